"""Factor tables (CSV, MoE database layout) and the deterministic sample supply chain."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from gxdlib.errors import DataFormatError
from gxdlib.footprint import AverageFactors, SpendFactors, gap_report, scope3_category1
from gxdlib.io.pact import read_pact, write_pact
from gxdlib.sample.supply_chain import (
    supply_chain_footprints,
    supply_chain_ledger,
    supply_chain_pact_v2,
    supply_chain_pact_v3,
)


def moe_workbook(path, bad_value=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "5産連表DB"
    sheet.append(["[5] 産業連関表ベースの排出原単位"])
    sheet.append(["単位：tCO2eq/百万円"])
    sheet.append([])
    sheet.append(["部門コード", "部門名", "排出原単位", None])
    sheet.append([None, None, "生産者価格ベース", "購入者価格ベース"])
    sheet.append(["3421", "集積回路", 3.5, 2.8])
    sheet.append(["2621", "熱間圧延鋼材", 9.0, bad_value if bad_value is not None else 8.5])
    sheet.append([None, None, None, None])
    book.save(path)
    return path


def test_moe_layout_loader(tmp_path):
    path = moe_workbook(tmp_path / "moe.xlsx")
    purchaser = SpendFactors.from_moe_database(path)
    # 2.8 t-CO2eq per million JPY = 2800 kg / 1e6 JPY
    assert purchaser.table.loc["3421", "kgco2e_per_jpy"] == pytest.approx(0.0028)
    assert purchaser.table.loc["2621", "sector_name"] == "熱間圧延鋼材"
    producer = SpendFactors.from_moe_database(path, price_basis="producer")
    assert producer.table.loc["2621", "kgco2e_per_jpy"] == pytest.approx(0.009)
    with pytest.raises(DataFormatError) as info:
        SpendFactors.from_moe_database(moe_workbook(tmp_path / "bad.xlsx", bad_value="n/a"))
    assert info.value.line == 7


def test_csv_factor_errors(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("sector,kgco2e_per_jpy\na,0.001\na,0.002\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="duplicate") as info:
        SpendFactors.from_csv(path)
    assert info.value.line == 3
    path.write_text("category,unit,kgco2e_per_unit\nx,box,1\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="not a PACT unit"):
        AverageFactors.from_csv(path)


def test_sample_tables_are_labelled_illustrative():
    spend = SpendFactors.sample()
    assert "not official" in spend.source
    assert len(spend.table) == 40
    # realistic magnitudes: 0.3-9 t-CO2eq per million JPY
    assert spend.table["kgco2e_per_jpy"].between(0.0003, 0.009).all()
    assert "not official" in AverageFactors.sample().source


def test_sample_supply_chain_is_deterministic_and_sized():
    ledger = supply_chain_ledger()
    assert len(ledger) >= 2000
    assert ledger["supplier_id"].nunique() == 150
    assert ledger["sector"].nunique() == 40
    assert set(ledger["fiscal_year"]) == {2022, 2023, 2024}
    pd.testing.assert_frame_equal(ledger, supply_chain_ledger())
    assert supply_chain_pact_v3() == supply_chain_pact_v3()
    v2, v3 = read_pact(supply_chain_pact_v2()), read_pact(supply_chain_pact_v3())
    assert {fp.spec_major for fp in v2} == {2} and {fp.spec_major for fp in v3} == {3}
    assert len(supply_chain_footprints()) == len(v2) + len(v3)
    assert read_pact(write_pact(v3, "3")) == v3
    result = scope3_category1(ledger, v2 + v3, SpendFactors.sample(), AverageFactors.sample())
    assert len(result.lines) == len(ledger)
    methods = set(result.lines["method"])
    assert {"supplier-specific", "average-data", "spend-based"} <= methods
    assert 0 < gap_report(result).visible_share < 1
    issues = set(result.lines["primary_data_issue"].dropna())
    assert "footprint deprecated" in issues
    assert "footprint unit incompatible with the line's quantity unit" in issues

"""Hybrid Scope 3 category 1 on a ledger small enough to compute by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gxdlib.errors import ValidationError
from gxdlib.footprint import (
    AverageFactors,
    SpendFactors,
    gap_report,
    reflect_reduction,
    scope3_category1,
)
from gxdlib.io.pact import read_pact
from gxdlib.testing import example_pact_v2, example_pact_v3

SPEND = SpendFactors(
    pd.DataFrame(
        {"sector_name": ["parts", "chemicals", "services"],
         "kgco2e_per_jpy": [0.003, 0.004, 0.0005]},
        index=pd.Index(["elec", "chem", "svc"], name="sector"),
    ),
    "test",
)  # fmt: skip
AVERAGE = AverageFactors(
    pd.DataFrame(
        {"unit": ["kilogram"], "kgco2e_per_unit": [2.0], "description": ["chemicals"]},
        index=pd.Index(["chem"], name="category"),
    ),
    "test",
)
KASEI = "urn:PACT:kasei.example.jp:company-id:1234567890123"  # NID case differs from the PCF


def ledger() -> pd.DataFrame:
    rows = [
        # supplier, product, sector, quantity, unit, spend, FY
        ("S001", "P-100", "elec", 2000, "piece", 100_000, 2024),  # PCF A: 2000 x 0.25 = 500
        (KASEI, "URN:gtin:5695872369587", "chem", 2, "t", 400_000, 2023),  # B: 2000 kg x 1.63
        ("S001", "P-100", "elec", 1000, "piece", 50_000, 2022),  # A not valid yet -> spend 150
        ("S002", None, "chem", 100, "kg", 20_000, 2024),  # average 100 x 2.0 = 200
        ("S003", None, "svc", np.nan, None, 1_000_000, 2024),  # spend 500
        ("S004", None, "xyz", np.nan, None, 1_000, 2024),  # unassessed
        ("S001", "P-100", "elec", 3, "kg", 10_000, 2024),  # 3 kg / 0.0005 kg = 6000 pcs -> 1500
        ("S001", "P-100", "elec", 5, "h", 20_000, 2024),  # hours vs pieces -> spend 60
    ]
    frame = pd.DataFrame(
        rows,
        columns=["supplier_id", "product_id", "sector", "quantity", "quantity_unit",
                 "spend_jpy", "fiscal_year"],
    )  # fmt: skip
    frame["supplier_name"] = frame["supplier_id"]
    frame["quantity"] = frame["quantity"].astype(float)
    frame["spend_jpy"] = frame["spend_jpy"].astype(float)
    frame.index.name = "line_id"
    return frame


@pytest.fixture(scope="module")
def result():
    footprints = read_pact([example_pact_v3(), example_pact_v2("kilogram")])
    return scope3_category1(ledger(), footprints, SPEND, AVERAGE)


def test_line_methods_and_emissions_by_hand(result):
    lines = result.lines
    assert list(lines["method"]) == [
        "supplier-specific", "supplier-specific", "spend-based", "average-data",
        "spend-based", "unassessed", "supplier-specific", "spend-based",
    ]  # fmt: skip
    expected = [500.0, 3260.0, 150.0, 200.0, 500.0, np.nan, 1500.0, 60.0]
    np.testing.assert_allclose(lines["emissions_kgco2e"], expected)
    np.testing.assert_allclose(
        lines["spend_based_kgco2e"], [300, 1600, 150, 80, 500, np.nan, 30, 60]
    )
    assert lines["footprint_id"].iloc[0] == example_pact_v3()["id"]
    assert lines["footprint_id"].iloc[1] == example_pact_v2()["id"]
    assert pd.isna(lines["footprint_id"].iloc[2])
    assert lines["candidate_footprint_id"].iloc[2] == example_pact_v3()["id"]
    assert lines["primary_data_issue"].iloc[2] == "footprint not valid in the line's fiscal year"
    assert lines["primary_data_issue"].iloc[7].startswith("footprint unit incompatible")
    assert lines["primary_data_issue"].iloc[3] == "no footprint matches supplier and product"
    assert "sector has no spend factor" in lines["unassessed_reason"].iloc[5]
    assert pd.isna(lines["unassessed_reason"].iloc[0])
    assert lines["quantity_in_footprint_unit"].iloc[6] == pytest.approx(6000)
    assert list(lines["data_quality"].iloc[[0, 1, 3, 4, 5]]) == [
        "primary: high", "primary: medium", "secondary: average-data",
        "secondary: spend-based", "unassessed",
    ]  # fmt: skip


def test_views_by_hand(result):
    assert result.total_kgco2e == pytest.approx(6170)
    by_method = result.totals_by_method().set_index("method")
    assert by_method.loc["supplier-specific", "emissions_kgco2e"] == pytest.approx(5260)
    assert by_method.loc["unassessed", "lines"] == 1
    assert result.primary_coverage_by_spend == pytest.approx(510_000 / 1_601_000)
    assert result.primary_coverage_by_emissions == pytest.approx(5260 / 6170)
    share = result.primary_data_share()
    weighted = 500 * 40.5 + 3260 * 12.9 + 1500 * 40.5
    assert share["within_supplier_specific_pct"] == pytest.approx(weighted / 5260)
    assert share["of_total_pct"] == pytest.approx(weighted / 6170)
    suppliers = result.totals_by_supplier().set_index("supplier_id")
    assert suppliers.loc["S001", "emissions_kgco2e"] == pytest.approx(2210)
    assert suppliers.loc["S001", "supplier_specific_kgco2e"] == pytest.approx(2000)
    sectors = result.totals_by_sector().set_index("sector")
    assert sectors.loc["chem", "emissions_kgco2e"] == pytest.approx(3460)
    quality = result.quality_distribution().set_index("data_quality")
    assert quality.loc["primary: high", "emissions_kgco2e"] == pytest.approx(2000)
    assert quality.loc["primary: unrated", "lines"] == 0
    assert len(result.unassessed()) == 1
    mix = result.method_mix("supplier_id")
    assert mix["emissions_kgco2e"].sum() == pytest.approx(6170)


def test_gap_report_by_hand(result):
    gaps = gap_report(result)
    np.testing.assert_allclose(gaps.primary_vs_spend["ratio"], [500 / 300, 3260 / 1600, 50.0])
    np.testing.assert_allclose(gaps.primary_vs_spend["difference_kgco2e"], [200, 1660, 1470])
    pareto = gaps.pareto
    assert list(pareto["supplier_id"]) == ["S003", "S001", "S002"]
    np.testing.assert_allclose(pareto["estimated_kgco2e"], [500, 210, 200])
    np.testing.assert_allclose(pareto["cumulative_share"], [500 / 910, 710 / 910, 1.0])
    assert list(pareto["has_primary_data"]) == [False, True, False]
    assert gaps.visible_share == pytest.approx(5260 / 6170)


def test_reflect_reduction_by_hand(result):
    frame = reflect_reduction(result, "S001", 0.2).set_index("accounting")
    assert frame.loc["hybrid", "change_kgco2e"] == pytest.approx(-400)
    assert frame.loc["hybrid", "supplier_after_kgco2e"] == pytest.approx(1810)
    assert frame.loc["spend-based only", "scope3_before_kgco2e"] == pytest.approx(2720)
    assert frame.loc["spend-based only", "change_kgco2e"] == 0
    with pytest.raises(ValidationError):
        reflect_reduction(result, "S001", 1.5)
    with pytest.raises(ValidationError):
        reflect_reduction(result, "nobody", 0.1)


def test_best_of_several_matching_footprints():
    better = example_pact_v3(pcf="100")
    better["id"] = "11111111-2222-4333-8444-555555555555"
    better["pcf"]["dqi"] = {"technologicalDQR": "1", "geographicalDQR": "1", "temporalDQR": "1"}
    deprecated = example_pact_v3(pcf="10")
    deprecated["id"] = "21111111-2222-4333-8444-555555555555"
    deprecated["status"] = "Deprecated"
    footprints = read_pact([example_pact_v3(), better, deprecated])
    lines = scope3_category1(ledger().iloc[[0]], footprints, SPEND).lines
    assert lines["footprint_id"].iloc[0] == better["id"]
    assert lines["emissions_kgco2e"].iloc[0] == pytest.approx(2000 * 0.1)


def test_no_footprints_and_bad_ledgers():
    lines = scope3_category1(ledger(), [], SPEND).lines
    assert lines["method"].iloc[1] == "spend-based"
    assert lines["method"].iloc[3] == "spend-based"  # no average factors given
    bad = ledger()
    bad.loc[0, "spend_jpy"] = -1.0
    bad.loc[1, "quantity_unit"] = "bushel"
    with pytest.raises(ValidationError) as info:
        scope3_category1(bad, [], SPEND)
    assert len(info.value.problems) == 2
    with pytest.raises(ValidationError, match="sector"):
        scope3_category1(ledger().drop(columns="sector"), [], SPEND)

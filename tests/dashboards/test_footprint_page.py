"""The supply-chain emissions page class without a server, on a ledger checked by hand.

Hand calculation (sample factors of gxdlib/data, fiscal year 2024):

- L1: S1 / P1, 1000 pieces, 100,000 JPY, integrated circuits. The v3 PCF is 150
  kgCO2e per 1000 pieces -> 150 kg (supplier-specific); spend-based
  100,000 x 0.0028 = 280 kg.
- L2: S2 / P2, 2 t of hot-rolled steel, 220,000 JPY: average-data 2000 kg x 2.3
  = 4,600 kg; spend-based 220,000 x 0.0085 = 1,870 kg.
- L3: S3, software, 550,000 JPY, no quantity: spend-based 550,000 x 0.0006 = 330 kg.

Total 5,080 kg = 5.1 t; primary coverage by spend 100,000 / 870,000 = 11.5 %,
by emissions 150 / 5,080 = 3.0 %. S1 cutting its PCF by 30 %: the hybrid total
falls by 45 kg to 5,035 kg (-0.89 %); the spend-based total (2,480 kg) stays.
A fiscal-2023 line (L4) is outside the year shown.
"""

from __future__ import annotations

import copy
import io
import json

import pandas as pd
import pytest

from gxdlib.dashboards.footprint import (
    FootprintDashboard,
    escape_markdown,
    problems_markdown,
)

LEDGER_CSV = (
    "supplier_id,supplier_name,product_id,description,sector,quantity,quantity_unit,"
    "spend_jpy,fiscal_year\n"
    "S1,Kyushu Denshi,P1,MCU,integrated_circuits,1000,piece,100000,2024\n"
    "S2,Kanto Kinzoku,P2,steel coil,hot_rolled_steel,2,t,220000,2024\n"
    "S3,Tokai Systems,,ERP licence,software,,,550000,2024\n"
    "S1,Kyushu Denshi,P1,MCU,integrated_circuits,500,piece,50000,2023\n"
)

V3_DOC = {
    "id": "3f1c8e52-7a7b-4d2e-9a0c-5d6e7f809112",
    "specVersion": "3.0.0",
    "created": "2024-02-01T09:00:00Z",
    "status": "Active",
    "companyName": "Kyushu Denshi",
    "companyIds": ["urn:pact:buyer.example.jp:buyer-id:S1"],
    "productDescription": "Microcontroller",
    "productIds": ["urn:pact:buyer.example.jp:buyer-id:P1"],
    "productNameCompany": "MCU-1",
    "pcf": {
        "declaredUnitOfMeasurement": "piece",
        "declaredUnitAmount": "1000",
        "productMassPerDeclaredUnit": "2",
        "referencePeriodStart": "2023-01-01T00:00:00Z",
        "referencePeriodEnd": "2024-01-01T00:00:00Z",
        "pcfExcludingBiogenicUptake": "150",
        "pcfIncludingBiogenicUptake": "150",
        "fossilGhgEmissions": "148",
        "fossilCarbonContent": "0",
        "ipccCharacterizationFactors": ["AR6"],
        "crossSectoralStandards": ["ISO14067"],
        "exemptedEmissionsPercent": "0",
        "primaryDataShare": "40",
    },
}


@pytest.fixture
def page() -> FootprintDashboard:
    page = FootprintDashboard()
    page.receive_pact(["mcu.json"], [json.dumps({"data": [V3_DOC]}).encode()])
    page.receive_ledger("ledger.csv", LEDGER_CSV.encode())
    return page


def figures(page: FootprintDashboard) -> list[str]:
    return page.key_figures().iloc[:, 1].tolist()


def test_sample_data_open_on_the_latest_fiscal_year() -> None:
    page = FootprintDashboard()
    assert page.fiscal_year == 2024
    status = page.data_status()[-1].object
    assert "Sample data" in status and "61 v2.x, 98 v3.0" in status
    assert len(page.result.lines) == int((page.ledger["fiscal_year"] == 2024).sum())


def test_uploaded_files_give_the_hand_computed_figures(page: FootprintDashboard) -> None:
    assert page.fiscal_year == 2024
    assert figures(page) == ["5.1", "11.5", "3.0", "40.0", "3 (0)", "1 / 1"]
    methods = page.result.lines["method"].astype(str).tolist()
    assert methods == ["supplier-specific", "average-data", "spend-based"]
    status = page.data_status()[-1].object
    assert "Uploaded data" in status and "mcu.json (1 v3.0)" in status
    assert "ledger.csv (4 lines, 3 suppliers)" in status


def test_gauges_show_the_coverage_shares(page: FootprintDashboard) -> None:
    spend, emissions = (column[1].value for column in page.gauges())
    assert spend == pytest.approx(11.5)  # 100,000 / 870,000, rounded to 0.1
    assert emissions == pytest.approx(3.0)  # 150 / 5,080


def test_reduction_shows_through_primary_data_only(page: FootprintDashboard) -> None:
    assert page.reduction_supplier == "S1"  # the only supplier with a PCF
    table = page.reduction().value
    assert table.iloc[:, 1].tolist() == ["5.1", "5.0", "-0.89", "0.1"]  # hybrid
    assert table.iloc[:, 2].tolist() == ["2.5", "2.5", "+0.00", "0.3"]  # spend-based only


def test_fiscal_year_switch_recomputes(page: FootprintDashboard) -> None:
    page.fiscal_year = 2023
    # L4: 500 pieces x 0.15 kg = 75 kg, all supplier-specific.
    assert figures(page)[:3] == ["0.1", "100.0", "100.0"]
    assert page.result.total_kgco2e == pytest.approx(75.0)


def test_drill_down_filters_and_download(page: FootprintDashboard) -> None:
    page.drill_supplier = "S2"
    table = page.drill_table().value
    assert table["supplier_id"].tolist() == ["S2"]
    assert table["method"].tolist() == ["Average-data"]
    page.drill_supplier = ""
    page.drill_sector = "software"
    assert page.drill_table().value["supplier_id"].tolist() == ["S3"]
    csv = pd.read_csv(io.BytesIO(page.lines_csv().getvalue()), encoding="utf-8-sig")
    assert len(csv) == 3
    assert csv["emissions_kgco2e"].sum() == pytest.approx(5080.0)
    assert csv["spend_based_kgco2e"].tolist() == pytest.approx([280.0, 1870.0, 330.0])


def test_invalid_pact_lists_every_path_and_keeps_the_data(page: FootprintDashboard) -> None:
    bad = copy.deepcopy(V3_DOC)
    bad["pcf"]["declaredUnitOfMeasurement"] = "box"
    bad["pcf"]["declaredUnitAmount"] = 1000  # a number where v3 wants a decimal string
    del bad["companyName"]
    page.receive_pact(["bad.json"], [json.dumps([bad]).encode()])
    assert figures(page)[0] == "5.1"  # the previous data stay
    alert = page.data_status()[0]
    assert alert.alert_type == "danger"
    text = alert.object
    assert "bad.json: 3 problem(s)" in text
    for path in ("$[0].companyName", "$[0].pcf.declaredUnitOfMeasurement"):
        assert f"- `{path}`:" in text
    assert "- `$[0].pcf.declaredUnitAmount`: expected a decimal string" in text
    assert text.count("\n- `") == 3


def test_refused_files_say_why(page: FootprintDashboard) -> None:
    page.receive_pact(["pcf.txt"], [b"{}"])
    assert "pcf.txt: expected a file ending in .json" in page.data_status()[0].object
    page.receive_ledger("ledger.csv", LEDGER_CSV.replace("220000", "-1").encode())
    messages = [pane.object for pane in page.data_status()[:-1]]
    assert any(
        "ledger.csv, line 3, column 'spend\\_jpy': spend must not be negative" in m
        for m in messages
    )
    page.use_sample()
    assert len(page.data_status()) == 1  # errors cleared, only the data status


def test_japanese_labels(page: FootprintDashboard) -> None:
    page.language = "ja"
    assert page.key_figures().columns.tolist() == ["指標", "値"]
    assert page.gauges()[0][0].object == "**一次データ：金額ベースの比率**"
    table = page.drill_table()
    assert table.titles["spend_jpy"] == "購入額 [円]"
    assert set(table.value["method"]) == {"サプライヤー固有（PCF）", "平均データ", "金額ベース"}
    assert page.pareto().get(0).opts.get().kwargs["ylabel"] == "推計排出量 [t-CO2e]"


def test_markdown_helpers_escape_what_users_send() -> None:
    assert escape_markdown("*a*_b_<c>") == "\\*a\\*\\_b\\_\\<c\\>"
    text = problems_markdown("T", "x.json: 1 problem(s)\n  - $.pcf.unit: '<b>' is not one of")
    assert text.endswith("- `$.pcf.unit`: '\\<b\\>' is not one of")

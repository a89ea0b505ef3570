"""The supply-chain emissions page in a real browser: uploads update coverage, bad files explain."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from gxdlib.errors import ValidationError
from gxdlib.footprint import AverageFactors, SpendFactors, scope3_category1
from gxdlib.io.footprint_uploads import parse_pact_upload
from gxdlib.io.pact import parse_pact
from gxdlib.sample import supply_chain_footprints, supply_chain_ledger, supply_chain_pact_v3
from tests.ui.conftest import ARTIFACTS

pytestmark = pytest.mark.ui

ERROR_TEXT = re.compile(r"Traceback|Exception|Error:", re.IGNORECASE)
FISCAL_YEAR = 2024  # the page opens on the ledger's latest fiscal year


def coverage_by_spend(footprints: list, ledger: pd.DataFrame) -> str:
    """The spend coverage [%] the page should show, as the library computes it."""
    lines = ledger[ledger["fiscal_year"] == FISCAL_YEAR]
    result = scope3_category1(lines, footprints, SpendFactors.sample(), AverageFactors.sample())
    return f"{100 * result.primary_coverage_by_spend:.1f}"


def kpis(page: Page):
    return page.locator(".tabulator").first


def open_page(page: Page, served: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 3000})  # the whole page in one screenshot
    page.goto(f"{served}/footprint")
    expect(kpis(page)).to_contain_text("Primary-data coverage by spend", timeout=90_000)
    expect(page.locator("canvas").first).to_be_visible(timeout=60_000)


def upload(page: Page, kind: str, path: Path) -> None:
    page.locator(f".{kind}-upload input[type=file]").set_input_files(str(path))


def test_v3_pact_and_ledger_uploads_update_the_coverage(
    page: Page, served: str, tmp_path: Path
) -> None:
    v3 = supply_chain_pact_v3()
    pact_file = tmp_path / "supplier_pcfs_v3.json"
    pact_file.write_text(json.dumps(v3), encoding="utf-8")
    ledger = supply_chain_ledger()
    # A smaller ledger: the first 90 suppliers only.
    part = ledger[ledger["supplier_id"] <= "S090"]
    ledger_file = tmp_path / "ledger_part.csv"
    ledger_file.write_text(part.drop(columns="source_line").to_csv(index=False), encoding="utf-8")
    sample_all = coverage_by_spend(supply_chain_footprints(), ledger)
    v3_sample_ledger = coverage_by_spend(parse_pact(v3), ledger)
    v3_part_ledger = coverage_by_spend(parse_pact(v3), part)
    assert len({sample_all, v3_sample_ledger, v3_part_ledger}) == 3

    open_page(page, served)
    expect(kpis(page)).to_contain_text(sample_all)
    before = page.screenshot(path=ARTIFACTS / "footprint-sample.png", full_page=True)

    upload(page, "pact", pact_file)
    expect(kpis(page)).to_contain_text(v3_sample_ledger, timeout=30_000)
    expect(page.get_by_text(re.compile(r"Uploaded: supplier_pcfs_v3\.json"))).to_be_visible()
    upload(page, "ledger", ledger_file)
    expect(kpis(page)).to_contain_text(v3_part_ledger, timeout=30_000)
    expect(page.get_by_text(re.compile(r"Uploaded: ledger_part\.csv"))).to_be_visible()
    expect(page.get_by_text("Data: Uploaded data")).to_be_visible()
    page.wait_for_timeout(1_500)  # let Bokeh and ECharts finish drawing before the screenshot
    after = page.screenshot(path=ARTIFACTS / "footprint-uploaded.png", full_page=True)

    assert after != before
    assert not ERROR_TEXT.search(page.locator("body").inner_text())


def test_invalid_pact_file_lists_every_problem(page: Page, served: str, tmp_path: Path) -> None:
    doc = copy.deepcopy(supply_chain_pact_v3())
    doc["data"][0]["pcf"]["declaredUnitOfMeasurement"] = "box"
    doc["data"][1]["pcf"]["pcfExcludingBiogenicUptake"] = 1.5  # v3 wants a decimal string
    del doc["data"][2]["companyName"]
    doc["data"][3]["companyIds"] = "urn:pact:x.example:company-id:1"  # not an array
    bad = json.dumps(doc).encode()
    with pytest.raises(ValidationError) as caught:
        parse_pact_upload(bad, "bad.json")
    paths = [problem.split(": ", 1)[0] for problem in caught.value.problems]
    assert paths == [
        "$.data[0].pcf.declaredUnitOfMeasurement",
        "$.data[1].pcf.pcfExcludingBiogenicUptake",
        "$.data[2].companyName",
        "$.data[3].companyIds",
    ]
    bad_file = tmp_path / "bad_pcfs.json"
    bad_file.write_bytes(bad)

    open_page(page, served)
    coverage_before = kpis(page).inner_text()
    upload(page, "pact", bad_file)
    alert = page.locator(".alert-danger")
    expect(alert).to_contain_text("PACT file refused", timeout=30_000)
    expect(alert).to_contain_text("bad_pcfs.json: 4 problem(s)")
    items = alert.locator("li")
    expect(items).to_have_count(len(paths))
    for item, path in zip(items.all(), paths, strict=True):
        expect(item.locator("code")).to_have_text(path)
    expect(alert).to_contain_text("'box' is not one of")
    page.screenshot(path=ARTIFACTS / "footprint-invalid.png", full_page=True)
    assert kpis(page).inner_text() == coverage_before  # the previous data stay
    assert "Traceback" not in page.locator("body").inner_text()


def test_language_switch_relabels_the_page(page: Page, served: str) -> None:
    open_page(page, served)
    page.get_by_role("button", name="日本語").click()
    expect(page.get_by_text("サプライチェーン排出量：Scope 3 のどこが一次データか")).to_be_visible(
        timeout=30_000
    )
    expect(kpis(page)).to_contain_text("一次データのカバー率（金額）", timeout=30_000)
    expect(page.get_by_text("一次データ：金額ベースの比率")).to_be_visible()
    page.wait_for_timeout(1_500)
    page.screenshot(path=ARTIFACTS / "footprint-ja.png", full_page=True)
    assert not ERROR_TEXT.search(page.locator("body").inner_text())

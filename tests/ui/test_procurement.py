"""The procurement page in a real browser: the target moves capacities and costs, an
unreachable target says how far one can go, and the page speaks Japanese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import ARTIFACTS

pytestmark = pytest.mark.ui

ERROR_TEXT = re.compile(r"Traceback|Exception|Error:", re.IGNORECASE)
COST_LABEL = "Cost per kWh consumed [JPY/kWh]"
SOLAR_LABEL = "Off-site solar PPA [kW]"


def summary_row(page: Page, label: str):
    return page.locator(".proc-summary .tabulator-row", has_text=label)


def row_values(page: Page, label: str) -> list[str]:
    cells = summary_row(page, label).locator(".tabulator-cell").all_inner_texts()
    texts = [text.strip() for text in cells if text.strip()]
    return texts[-2:]  # annual, hourly


def number(text: str) -> float:
    return float(text.replace(",", ""))


def open_procurement(page: Page, served: str) -> None:
    page.goto(f"{served}/procurement")
    expect(summary_row(page, COST_LABEL)).to_be_visible(timeout=90_000)
    page.wait_for_timeout(1_500)  # let Bokeh finish drawing before the screenshot


def set_target(page: Page, percent: int) -> None:
    """Move the slider's handle with the keyboard to ``percent``."""
    handle = page.locator(".proc-target .noUi-handle")
    current = int(float(handle.get_attribute("aria-valuenow")))
    handle.focus()
    key = "ArrowRight" if percent > current else "ArrowLeft"
    for _ in range(abs(percent - current)):
        handle.press(key)
    expect(handle).to_have_attribute("aria-valuenow", re.compile(rf"^{percent}(\.0+)?$"))


def test_target_moves_capacities_and_cost(page: Page, served: str) -> None:
    open_procurement(page, served)
    annual_90, hourly_90 = (number(v) for v in row_values(page, COST_LABEL))
    solar_90 = number(row_values(page, SOLAR_LABEL)[1])
    # hourly matching at 90 % needs off-site PPAs and costs more than certificates
    assert hourly_90 > annual_90
    assert solar_90 > 0
    before = page.screenshot(path=ARTIFACTS / "procurement-90.png", full_page=True)

    set_target(page, 95)
    expect(summary_row(page, COST_LABEL)).not_to_contain_text(f"{hourly_90:.2f}", timeout=60_000)
    page.wait_for_timeout(1_500)
    annual_95, hourly_95 = (number(v) for v in row_values(page, COST_LABEL))
    solar_95 = number(row_values(page, SOLAR_LABEL)[1])
    assert hourly_95 > hourly_90
    assert annual_95 >= annual_90
    assert solar_95 > solar_90
    after = page.screenshot(path=ARTIFACTS / "procurement-95.png", full_page=True)
    assert after != before
    # the template scrolls inside its main area: bring the heat map into view for its shot
    page.locator(".proc-heatmap").first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=ARTIFACTS / "procurement-heatmap.png")
    assert not ERROR_TEXT.search(page.locator("body").inner_text())


def test_unreachable_target_shows_the_maximum(page: Page, served: str) -> None:
    open_procurement(page, served)
    page.locator(".proc-storage input[type=checkbox]").uncheck()
    set_target(page, 100)
    message = page.locator(".proc-infeasible", has_text="cannot be reached").first
    expect(message).to_be_visible(timeout=60_000)
    expect(message).to_contain_text(re.compile(r"highest reachable score is 9\d\.\d %"))
    expect(summary_row(page, COST_LABEL)).to_contain_text("not reachable")
    page.wait_for_timeout(1_500)
    page.screenshot(path=ARTIFACTS / "procurement-infeasible.png", full_page=True)
    assert not ERROR_TEXT.search(page.locator("body").inner_text())


def test_japanese_page(page: Page, served: str) -> None:
    open_procurement(page, served)
    page.get_by_role("button", name="日本語").click()
    expect(page.get_by_text("再エネ調達ポートフォリオ").first).to_be_visible(timeout=30_000)
    expect(page.locator(".proc-summary .tabulator")).to_contain_text(
        "消費 kWh あたり費用", timeout=60_000
    )
    expect(page.locator(".proc-summary .tabulator")).to_contain_text("時間別 24/7 CFE")
    page.wait_for_timeout(1_500)
    page.screenshot(path=ARTIFACTS / "procurement-ja.png", full_page=True)
    assert not ERROR_TEXT.search(page.locator("body").inner_text())

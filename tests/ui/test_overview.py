"""The overview page in a real browser: it renders, reacts to the area selector, shows no error."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import ARTIFACTS

pytestmark = pytest.mark.ui

ERROR_TEXT = re.compile(r"Traceback|Exception|Error:", re.IGNORECASE)


def summary_text(page: Page) -> str:
    return page.locator(".tabulator").first.inner_text()


def open_overview(page: Page, served: str) -> None:
    page.goto(f"{served}/overview")
    expect(page.locator(".tabulator").first).to_be_visible(timeout=60_000)
    expect(page.locator("canvas").first).to_be_visible(timeout=60_000)


def test_area_selector_changes_the_plots(page: Page, served: str) -> None:
    open_overview(page, served)
    before_text = summary_text(page)
    before_image = page.screenshot(full_page=True)
    page.screenshot(path=ARTIFACTS / "overview-system.png", full_page=True)

    page.locator("select").first.select_option(label="Kyushu")
    expect(page.locator(".tabulator").first).not_to_have_text(before_text, timeout=30_000)
    page.wait_for_timeout(1_000)  # let Bokeh finish drawing before the screenshot
    after_image = page.screenshot(path=ARTIFACTS / "overview-kyushu.png", full_page=True)

    assert after_image != before_image
    assert not ERROR_TEXT.search(page.locator("body").inner_text())


def test_language_switch_relabels_the_page(page: Page, served: str) -> None:
    open_overview(page, served)
    page.get_by_role("button", name="日本語").click()
    expect(page.get_by_text("概要：JEPX スポット価格")).to_be_visible(timeout=30_000)
    expect(page.locator(".tabulator").first).to_contain_text("平均価格", timeout=30_000)
    page.screenshot(path=ARTIFACTS / "overview-ja.png", full_page=True)
    assert not ERROR_TEXT.search(page.locator("body").inner_text())

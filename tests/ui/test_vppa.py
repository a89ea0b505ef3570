"""The VPPA page in a real browser: strike changes the totals, bad uploads give a message,
and the downloaded statement holds the total shown."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.ui.conftest import ARTIFACTS, serve

pytestmark = pytest.mark.ui

ERROR_TEXT = re.compile(r"Traceback|Exception|Error:", re.IGNORECASE)
TOTAL_LABEL = "Total settlement [JPY] (+: buyer receives)"
COLOURED = 60
"""Spread of a pixel's RGB channels above which it counts as coloured (not grey)."""


def total_row(page: Page):
    return page.locator(".tabulator-row", has_text=TOTAL_LABEL)


def shown_total(page: Page) -> int:
    text = total_row(page).inner_text().replace(TOTAL_LABEL, "")
    return int(text.strip().replace(",", ""))


def open_vppa(page: Page, served: str) -> None:
    page.goto(f"{served}/vppa")
    expect(total_row(page)).to_be_visible(timeout=60_000)
    expect(page.locator(".vppa-risk .tabulator").first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1_000)  # let Bokeh finish drawing before the screenshot


def strike_input(page: Page):
    return page.locator(".bk-input-group", has_text="Strike [JPY/kWh]").locator("input")


def test_strike_changes_the_totals(page: Page, served: str) -> None:
    open_vppa(page, served)
    before_total = shown_total(page)
    before_image = page.screenshot(path=ARTIFACTS / "vppa-strike-12.png", full_page=True)

    strike = strike_input(page)
    strike.fill("9")
    strike.press("Enter")
    expect(total_row(page)).not_to_contain_text(f"{before_total:,}", timeout=30_000)
    after_total = shown_total(page)
    # a lower strike moves money towards the buyer
    assert after_total > before_total
    page.wait_for_timeout(1_000)
    after_image = page.screenshot(path=ARTIFACTS / "vppa-strike-9.png", full_page=True)
    assert after_image != before_image
    # the template scrolls inside its main area: bring the risk section into view for its shot
    page.locator(".vppa-risk").first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=ARTIFACTS / "vppa-risk.png")
    assert not ERROR_TEXT.search(page.locator("body").inner_text())


def test_malformed_upload_shows_a_readable_message(page: Page, served: str) -> None:
    open_vppa(page, served)
    page.get_by_role("button", name="Upload CSV").click()
    bad = b"slot_start,kyushu_jpy_per_kwh\n2022-04-01T00:00+09:00,12.5\n2022-04-01T00:30,abc\n"
    upload = page.locator(".vppa-prices-upload input[type=file]")
    upload.set_input_files(
        files=[{"name": "bad_prices.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    message = page.locator(".alert-danger", has_text="bad_prices.csv")
    expect(message).to_be_visible(timeout=30_000)
    expect(message).to_contain_text("line 3")
    expect(message).to_contain_text("expected a number, got 'abc'")
    page.screenshot(path=ARTIFACTS / "vppa-bad-upload.png", full_page=True)
    assert "Traceback" not in page.locator("body").inner_text()


def test_downloaded_statement_holds_the_total_shown(page: Page, served: str) -> None:
    open_vppa(page, served)
    total = shown_total(page)
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Download statement (CSV)").click()
    download = info.value
    assert download.suggested_filename == "vppa_statement.csv"
    text = ARTIFACTS / "vppa_statement.csv"
    download.save_as(text)
    rows = list(csv.DictReader(io.StringIO(text.read_text(encoding="utf-8"))))
    assert rows[-1]["period"] == "total"
    assert round(float(rows[-1]["settlement_jpy"])) == total
    monthly = sum(float(r["settlement_jpy"]) for r in rows[:-1])
    assert abs(monthly - float(rows[-1]["settlement_jpy"])) < 1.0


def test_japanese_page(page: Page, served: str) -> None:
    open_vppa(page, served)
    page.get_by_role("button", name="日本語").click()
    expect(page.get_by_text("バーチャル PPA：精算とリスク")).to_be_visible(timeout=30_000)
    expect(page.locator(".vppa-totals .tabulator")).to_contain_text("精算額合計", timeout=30_000)
    page.wait_for_timeout(1_000)
    page.screenshot(path=ARTIFACTS / "vppa-ja.png", full_page=True)
    assert not ERROR_TEXT.search(page.locator("body").inner_text())


@pytest.fixture(scope="module")
def served_real(data_dir) -> Iterator[str]:
    """Base URL of the dashboards served on the real data of ``data_dir``."""
    ARTIFACTS.mkdir(exist_ok=True)
    process, base = serve([], env={"GXD_DATA_DIR": str(data_dir)})
    yield base
    process.terminate()
    process.wait(timeout=30)


def coloured_pixels(image_png: bytes) -> int:
    """Pixels far from grey: bars, lines and areas, not axes, text or background."""
    image = Image.open(io.BytesIO(image_png)).convert("RGB")
    return sum(n for n, rgb in image.getcolors(maxcolors=1 << 20) if max(rgb) - min(rgb) > COLOURED)


def test_fy2023_real_data_is_settled_and_labelled_as_nine_months(
    page: Page, served_real: str
) -> None:
    label = "FY2023, Apr-Dec 2023 only (9 of 12 months)"
    open_vppa(page, served_real)
    page.locator(".bk-input-group", has_text="Fiscal year").locator("select").select_option("2023")
    expect(page.locator(".data-coverage")).to_contain_text(label, timeout=60_000)
    expect(page.get_by_text(f"Totals — {label}")).to_be_visible(timeout=60_000)
    expect(page.get_by_text(f"Capture prices by month — {label}")).to_be_visible()
    risk = page.locator(".alert-warning", has_text="No settlement risk for this data")
    expect(risk).to_contain_text(label, timeout=60_000)
    # nine months in the capture table, then the total
    expect(page.locator(".vppa-capture .tabulator-row")).to_have_count(10, timeout=30_000)
    page.wait_for_timeout(1_500)  # let Bokeh finish drawing before the screenshots
    page.screenshot(path=ARTIFACTS / "vppa-fy2023.png", full_page=True)
    plots = page.locator(".bk-Figure")
    assert plots.count() >= 2
    for k, name in enumerate(("monthly", "cumulative")):
        shot = plots.nth(k).screenshot(path=ARTIFACTS / f"vppa-fy2023-{name}.png")
        # an empty plot has only the toolbar's logo in colour (under 400 pixels)
        assert coloured_pixels(shot) > 5_000, f"the {name} plot draws nothing"
    risk.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=ARTIFACTS / "vppa-fy2023-risk.png")
    assert not ERROR_TEXT.search(page.locator("body").inner_text())
    assert "nan" not in total_row(page).inner_text().lower()

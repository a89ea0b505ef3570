"""Every page on a phone (390 px), a tablet (768 px) and a desktop (1440 px), on real data.

Each page is opened afresh at each width, as a visitor's browser would, and
photographed into ``test-artifacts/``. The page must keep its text readable (no
paragraph, heading or list item squeezed narrower than :data:`MIN_TEXT_PX`),
fold the sidebar behind the menu button below desktop width, give its first
Bokeh plot at least :data:`MIN_PHONE_PLOT_PX` on a phone, and never
show where the server keeps its files, in either language.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import ARTIFACTS, serve

pytestmark = pytest.mark.ui

PAGES = ("overview", "vppa", "procurement", "footprint")
WIDTHS_PX = {"phone": 390, "tablet": 768, "desktop": 1440}
HEIGHT_PX = 900
SCREENSHOT_HEIGHT_PX = 4200
JAPANESE_TITLES = {
    "overview": "概要：JEPX スポット価格",
    "vppa": "バーチャル PPA：精算とリスク",
    "procurement": "再エネ調達ポートフォリオ",
    "footprint": "サプライチェーン排出量",
}
MIN_TEXT_PX = 120
"""Narrowest a block of text may be before it reads one word (or letter) per line."""
MIN_PHONE_PLOT_PX = 300
"""Narrowest the first plot may be on a 390 px phone."""
TEXT_BLOCKS = "p, li, h1, h2, h3, h4"

# Visible text blocks of the main area (Playwright's CSS engine pierces Panel's
# shadow roots) with their width, so a failure names the squeezed text.
MEASURE_TEXT = """
blocks => blocks
  .map(b => ({width: b.getBoundingClientRect().width,
              height: b.getBoundingClientRect().height,
              text: b.innerText.trim().slice(0, 60)}))
  .filter(b => b.width > 0 && b.height > 0 && b.text.length > 0)
"""


@pytest.fixture(scope="module")
def served_real(data_dir: Path) -> Iterator[str]:
    """Base URL of the dashboards served on the real data of ``data_dir``."""
    ARTIFACTS.mkdir(exist_ok=True)
    process, base = serve([], env={"GXD_DATA_DIR": str(data_dir)})
    yield base
    process.terminate()
    process.wait(timeout=30)


def open_rendered(page: Page, url: str, width_px: int) -> None:
    """Open ``url`` at ``width_px`` and wait until its plots and tables are drawn."""
    page.set_viewport_size({"width": width_px, "height": HEIGHT_PX})
    page.goto(url)
    expect(page.locator("#main .tabulator").first).to_be_visible(timeout=90_000)
    expect(page.locator("#main canvas").first).to_be_visible(timeout=90_000)
    page.wait_for_timeout(1_500)  # let Bokeh finish laying out before measuring


def assert_no_server_path(page: Page, data_dir: Path) -> None:
    content = page.content()
    for path in (str(data_dir), str(data_dir.resolve()), "/work/"):
        assert path not in content, f"the page shows the server path {path!r}"


@pytest.mark.parametrize("width", list(WIDTHS_PX), ids=list(WIDTHS_PX))
@pytest.mark.parametrize("name", PAGES)
def test_page_is_usable_at_width(
    page: Page, served_real: str, data_dir: Path, name: str, width: str
) -> None:
    width_px = WIDTHS_PX[width]
    open_rendered(page, f"{served_real}/{name}", width_px)

    main = page.locator("#main")
    main_width = main.bounding_box()["width"]
    # the sidebar folds behind the menu button below desktop width
    assert main_width >= 0.9 * width_px if width_px < 1024 else main_width >= 900
    blocks = main.locator(TEXT_BLOCKS).evaluate_all(MEASURE_TEXT)
    assert blocks, "no text found in the main area"
    squeezed = [b for b in blocks if b["width"] < MIN_TEXT_PX]
    assert not squeezed, f"text narrower than {MIN_TEXT_PX} px at {width_px} px: {squeezed}"
    # a Bokeh figure's canvas; the footprint page's gauges are ECharts canvases
    plot_width = main.locator(".bk-Canvas").first.bounding_box()["width"]
    if width_px == WIDTHS_PX["phone"]:
        assert plot_width >= MIN_PHONE_PLOT_PX, f"first plot {plot_width:.0f} px wide"
    assert_no_server_path(page, data_dir)
    # the template scrolls inside its main area: a tall window shows the whole page
    page.set_viewport_size({"width": width_px, "height": SCREENSHOT_HEIGHT_PX})
    page.wait_for_timeout(1_500)  # let Bokeh lay out again before the screenshot
    page.screenshot(path=ARTIFACTS / f"responsive-{name}-{width_px}.png", full_page=True)


@pytest.mark.parametrize("name", PAGES)
def test_no_server_path_in_either_language(
    page: Page, served_real: str, data_dir: Path, name: str
) -> None:
    open_rendered(page, f"{served_real}/{name}", WIDTHS_PX["desktop"])
    assert_no_server_path(page, data_dir)
    page.get_by_role("button", name="日本語").click()
    expect(page.get_by_text(JAPANESE_TITLES[name]).first).to_be_visible(timeout=60_000)
    if name != "footprint":  # the pages on JEPX prices name the file in Japanese
        expect(page.locator(".data-status").first).to_contain_text(
            "JEPX スポット市場取引結果", timeout=60_000
        )
    assert_no_server_path(page, data_dir)
    assert "Traceback" not in page.locator("body").inner_text()

"""The shared page shell: data sources and errors named without server paths, in both
languages; rows that wrap on a narrow screen."""

from __future__ import annotations

from pathlib import Path

import panel as pn
import pytest

from gxdlib.catalog import jepx_file, load_prices
from gxdlib.dashboards.base import BLOCK_MIN_WIDTH_PX, Page, screen_message, side_by_side
from gxdlib.errors import DataFormatError, MissingDataError


class BarePage(Page):
    def main(self) -> list:
        return []


@pytest.mark.realdata
def test_real_prices_are_named_by_file_publisher_and_year(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GXD_DATA_DIR", str(data_dir))
    loaded = load_prices(2023)
    assert not loaded.is_sample
    assert loaded.source == "JEPX spot summary spot_summary_2023.csv (JEPX, FY2023)"
    assert BarePage(language="en").prices_source(loaded) == loaded.source
    assert (
        BarePage(language="ja").prices_source(loaded)
        == "JEPX スポット市場取引結果 spot_summary_2023.csv（JEPX、2023 年度）"
    )


def test_sample_prices_say_which_file_is_missing_but_not_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GXD_DATA_DIR", str(tmp_path))
    loaded = load_prices(2021)
    assert loaded.is_sample
    texts = [loaded.source] + [BarePage(language=ln).prices_source(loaded) for ln in ("en", "ja")]
    for text in texts:
        assert "spot_summary_2021.csv" in text and "2021" in text
        assert str(tmp_path) not in text and "/" not in text.replace("gxdlib", "")
    assert texts[2].startswith("サンプルデータ")


def test_side_by_side_gives_each_block_a_flex_basis_not_a_width() -> None:
    left, right = pn.pane.Markdown("a"), pn.pane.Markdown("b")
    row = side_by_side(left, right)
    assert isinstance(row, pn.FlexBox) and row.flex_wrap == "wrap"
    assert [cell.objects for cell in row.objects] == [[left], [right]]
    for cell in row.objects:
        assert cell.min_width == BLOCK_MIN_WIDTH_PX and cell.width is None
        assert cell.styles["flex"] == f"1 1 {BLOCK_MIN_WIDTH_PX}px"
    assert left.sizing_mode == right.sizing_mode == "stretch_width"


def test_screen_message_keeps_file_names_urls_and_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GXD_DATA_DIR", str(tmp_path))
    with pytest.raises(MissingDataError) as caught:
        jepx_file("spot_summary", 2015)
    assert str(tmp_path) in str(caught.value)
    shown = screen_message(caught.value)
    assert str(tmp_path) not in shown
    assert shown.startswith("spot_summary_2015.csv not found: download it from https://www.jepx.jp")
    assert shown.endswith("into jepx, or call gxdlib.io.get_jepx_spot(2015)")
    units = DataFormatError("price 3 JPY/kWh below floor", source="prices.csv", line=2)
    assert screen_message(units) == str(units)

"""Coverage captions: the English is the library's label, the Japanese follows it."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gxdlib.dashboards.coverage import coverage_caption, coverage_label, fiscal_year_coverage
from gxdlib.timeseries import HOUR, SLOT, fiscal_year_slots, year_coverage


def slots(start: str, end: str) -> pd.DatetimeIndex:
    return pd.date_range(start, end, freq="30min", tz="Asia/Tokyo", inclusive="left")


@settings(max_examples=25, deadline=None)
@given(
    year=st.integers(2016, 2025),
    first=st.integers(0, 11),
    length=st.integers(1, 12),
    drop=st.integers(0, 3),
)
def test_english_caption_is_the_library_label(year: int, first: int, length: int, drop: int):
    index = fiscal_year_slots(year)
    months = index.strftime("%Y-%m")
    periods = pd.period_range(f"{year}-04", periods=12, freq="M").strftime("%Y-%m")
    kept = index[months.isin(periods[first : min(first + length, 12)])]
    kept = kept[drop:]  # a few slots missing at the start: gaps inside a month
    coverage = year_coverage(kept, year, SLOT)
    assert coverage_label(coverage, "en") == coverage.label


@pytest.mark.parametrize(
    ("index", "year", "step", "expected"),
    [
        (fiscal_year_slots(2022), 2022, SLOT, "2022 年度（2022 年 4 月〜2023 年 3 月）"),
        (
            pd.date_range("2023-04-01", "2023-12-31 23:00", freq="h", tz="Asia/Tokyo"),
            2023,
            HOUR,
            "2023 年度、2023 年 4 月〜12 月のみ（12 か月中 9 か月）",
        ),
        (
            slots("2023-10-01", "2024-02-01"),
            2023,
            SLOT,
            "2023 年度、2023 年 10 月〜2024 年 1 月のみ（12 か月中 4 か月）",
        ),
        # 17,568 slots in FY2023 (366 days), two missing
        (
            fiscal_year_slots(2023)[2:],
            2023,
            SLOT,
            "2023 年度、2023 年 4 月〜2024 年 3 月のみ（12 か月中 12 か月、2 ステップ欠損）",
        ),
        (pd.DatetimeIndex([], tz="Asia/Tokyo"), 2024, SLOT, "2024 年度、データなし"),
    ],
)
def test_japanese_captions(index, year, step, expected) -> None:
    assert coverage_label(year_coverage(index, year, step), "ja") == expected


def test_coverage_of_two_fiscal_years_is_one_label_each() -> None:
    # 2023-03-30 00:00 to 2023-04-02 00:00: two days of March, one of April
    index = slots("2023-03-30", "2023-04-02")
    coverage = fiscal_year_coverage(index, SLOT)
    assert [(c.fiscal_year, c.steps) for c in coverage] == [(2022, 96), (2023, 48)]
    assert coverage_caption(coverage) == (
        "FY2022, Mar 2023 only (1 of 12 months); FY2023, Apr 2023 only (1 of 12 months)"
    )

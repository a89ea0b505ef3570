"""Which part of each fiscal year a page's data covers, said in English and Japanese.

A partial fiscal year (FY2023's TSO files end in December 2023) must never be
shown as a year: every caption of annual figures carries the label. The
English text is that of :attr:`gxdlib.timeseries.YearCoverage.label`; the
Japanese follows the same pattern from the message catalogue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gxdlib.dashboards.i18n import label, register_labels
from gxdlib.timeseries import YearCoverage, fiscal_year, year_coverage

register_labels(
    {
        "coverage_none": ("FY{fy}, no data", "{fy} 年度、データなし"),
        "coverage_complete": ("FY{fy} ({span})", "{fy} 年度（{span}）"),
        "coverage_partial": (
            "FY{fy}, {span} only ({n} of 12 months{gaps})",
            "{fy} 年度、{span}のみ（12 か月中 {n} か月{gaps}）",
        ),
        "coverage_gaps": (", {missing} steps missing", "、{missing} ステップ欠損"),
        "coverage_span_one_month": ("{first:%b %Y}", "{first.year} 年 {first.month} 月"),
        "coverage_span_one_year": (
            "{first:%b}-{last:%b %Y}",
            "{first.year} 年 {first.month} 月〜{last.month} 月",
        ),
        "coverage_span_two_years": (
            "{first:%b %Y}-{last:%b %Y}",
            "{first.year} 年 {first.month} 月〜{last.year} 年 {last.month} 月",
        ),
    }
)


def fiscal_year_coverage(index: pd.DatetimeIndex, step: pd.Timedelta) -> tuple[YearCoverage, ...]:
    """The coverage of every fiscal year that ``index`` reaches, in order.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Unique, tz-aware step starts.
    step : pandas.Timedelta
        The step of the series (:data:`gxdlib.timeseries.SLOT` or ``HOUR``).

    Returns
    -------
    tuple of YearCoverage

    Examples
    --------
    >>> from gxdlib.timeseries import SLOT
    >>> slots = pd.date_range("2023-03-31", "2023-04-01 23:30", freq="30min", tz="Asia/Tokyo")
    >>> [c.label for c in fiscal_year_coverage(slots, SLOT)]
    ['FY2022, Mar 2023 only (1 of 12 months)', 'FY2023, Apr 2023 only (1 of 12 months)']
    """
    years = np.asarray(fiscal_year(index))
    return tuple(year_coverage(index[years == y], int(y), step) for y in np.unique(years))


def coverage_label(coverage: YearCoverage, language: str = "en") -> str:
    """What one fiscal year of data covers, for a caption in ``language``.

    Examples
    --------
    >>> from gxdlib.timeseries import HOUR
    >>> hours = pd.date_range("2023-04-01", "2023-12-31 23:00", freq="h", tz="Asia/Tokyo")
    >>> coverage_label(year_coverage(hours, 2023, HOUR), "ja")
    '2023 年度、2023 年 4 月〜12 月のみ（12 か月中 9 か月）'
    """
    words = {"fy": coverage.fiscal_year}
    if not coverage.months:
        return label("coverage_none", language).format(**words)
    first, last = (pd.Timestamp(f"{m}-01") for m in (coverage.months[0], coverage.months[-1]))
    if first == last:
        span_key = "coverage_span_one_month"
    elif first.year == last.year:
        span_key = "coverage_span_one_year"
    else:
        span_key = "coverage_span_two_years"
    words["span"] = label(span_key, language).format(first=first, last=last)
    if coverage.complete:
        return label("coverage_complete", language).format(**words)
    missing = coverage.expected_steps - coverage.steps
    gaps = label("coverage_gaps", language).format(missing=missing)
    return label("coverage_partial", language).format(
        **words, n=len(coverage.months), gaps=gaps if len(coverage.months) == 12 else ""
    )


def coverage_caption(coverages: tuple[YearCoverage, ...], language: str = "en") -> str:
    """The labels of several fiscal years, joined for one caption."""
    return "; ".join(coverage_label(c, language) for c in coverages)

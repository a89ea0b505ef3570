"""Japanese working-day calendar for sample load and price shapes.

National holidays come from the ``holidays`` package (Japan's Act on National
Holidays, with substitute and citizens' holidays). Company breaks are the
customary ones: New Year (29 December to 3 January), Obon (13 to 16 August)
and, for factories, whole Golden Week and longer shutdowns.
"""

from __future__ import annotations

import holidays
import numpy as np
import pandas as pd


def national_holidays(index: pd.DatetimeIndex) -> np.ndarray:
    """True where the slot falls on a Japanese national holiday.

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2023-05-03 12:00", "2023-05-08 12:00"], tz="Asia/Tokyo")
    >>> national_holidays(idx).tolist()
    [True, False]
    """
    years = range(int(index.year.min()), int(index.year.max()) + 1)
    dates = pd.DatetimeIndex(sorted(holidays.Japan(years=years)))
    return np.asarray(index.tz_localize(None).normalize().isin(dates))


def _within(
    index: pd.DatetimeIndex, start_md: tuple[int, int], end_md: tuple[int, int]
) -> np.ndarray:
    """True where (month, day) is within an inclusive range that may wrap the year end."""
    md = index.month.to_numpy() * 100 + index.day.to_numpy()
    start, end = start_md[0] * 100 + start_md[1], end_md[0] * 100 + end_md[1]
    if start <= end:
        return (md >= start) & (md <= end)
    return (md >= start) | (md <= end)


def office_closed(index: pd.DatetimeIndex) -> np.ndarray:
    """True on weekends, national holidays, New Year (29 Dec-3 Jan) and Obon (13-16 Aug)."""
    weekend = index.day_of_week.to_numpy() >= 5
    return (
        weekend
        | national_holidays(index)
        | _within(index, (12, 29), (1, 3))
        | _within(index, (8, 13), (8, 16))
    )


def factory_shutdown(index: pd.DatetimeIndex) -> np.ndarray:
    """True in a plant's annual shutdown weeks.

    Golden Week (29 April to 5 May), Obon (11 to 16 August) and New Year
    (29 December to 4 January), when lines stop for maintenance.
    """
    return (
        _within(index, (4, 29), (5, 5))
        | _within(index, (8, 11), (8, 16))
        | _within(index, (12, 29), (1, 4))
    )

"""Slots and fiscal years: exact conversions, and refusals where none is exact."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gxdlib.errors import ValidationError
from gxdlib.timeseries import (
    TZ,
    fiscal_year,
    fiscal_year_bounds,
    fiscal_year_slots,
    jst_index,
    jst_label,
    jst_time_of_day_ns,
    month_slot_key,
    require_regular,
    slot_index,
    slot_of_day,
    to_slots,
    utc_ns_from_jst_wall,
)


def hours(n: int, start: str = "2024-02-28 22:00") -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, freq="h", tz=TZ)


def test_fiscal_year_edges_and_utc_input() -> None:
    index = pd.DatetimeIndex(
        ["2023-03-31 23:30", "2023-04-01 00:00", "2024-03-31 23:30", "2024-04-01 00:00"], tz=TZ
    )
    assert fiscal_year(index).tolist() == [2022, 2023, 2023, 2024]
    # 2023-03-31 15:00 UTC is 2023-04-01 00:00 JST: the fiscal year is read in JST.
    assert fiscal_year(pd.DatetimeIndex(["2023-03-31 15:00"], tz="UTC")).tolist() == [2023]


def test_fiscal_year_slot_counts() -> None:
    assert len(fiscal_year_slots(2022)) == 17_520
    assert len(fiscal_year_slots(2023)) == 17_568  # holds 29 February 2024
    start, end = fiscal_year_bounds(2023)
    assert start == pd.Timestamp("2023-04-01", tz=TZ) and end == pd.Timestamp("2024-04-01", tz=TZ)
    assert slot_index("2024-01-01", "2024-01-02").name == "slot_start"


def test_to_slots_by_hand() -> None:
    frame = pd.DataFrame({"pv_kwh": [4.0, 0.0, 1.0], "wind_kwh": [2.0, 6.0, 0.5]}, index=hours(3))
    slots = to_slots(frame)
    assert slots.index[0] == pd.Timestamp("2024-02-28 22:00", tz=TZ)
    assert slots.index[1] == pd.Timestamp("2024-02-28 22:30", tz=TZ)
    assert slots["pv_kwh"].tolist() == [2.0, 2.0, 0.0, 0.0, 0.5, 0.5]
    assert slots["wind_kwh"].tolist() == [1.0, 1.0, 3.0, 3.0, 0.25, 0.25]
    require_regular(slots.index, pd.Timedelta(minutes=30))


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (pd.date_range("2024-01-01", periods=3, freq="h"), "naive"),
        (
            pd.DatetimeIndex(["2024-01-01 00:00", "2024-01-01 01:00", "2024-01-01 03:00"], tz=TZ),
            "irregular",
        ),
        (pd.date_range("2024-01-01 00:30", periods=3, freq="h", tz=TZ), "whole hours"),
        (pd.date_range("2024-01-01", periods=3, freq="30min", tz=TZ), "irregular"),
        (pd.RangeIndex(3), "DatetimeIndex"),
    ],
)
def test_to_slots_refuses_what_it_cannot_convert_exactly(index, message) -> None:
    with pytest.raises(ValidationError, match=message):
        to_slots(pd.Series([1.0, 2.0, 3.0], index=index))


@settings(max_examples=50, deadline=None)
@given(
    values=arrays(
        np.float64, st.integers(1, 200), elements=st.floats(0, 1e6, allow_subnormal=False)
    )
)
def test_to_slots_keeps_every_kwh(values: np.ndarray) -> None:
    hourly = pd.Series(values, index=hours(len(values), "2023-12-31 20:00"))
    slots = to_slots(hourly)
    assert len(slots) == 2 * len(hourly)
    np.testing.assert_allclose(slots.to_numpy()[0::2] + slots.to_numpy()[1::2], values)
    assert slots.index.tz is not None and str(slots.index.tz) == TZ


# Instants from 1990 to 2060 at a whole second: the readers' range and more.
instants_ns = st.integers(631_152_000, 2_871_763_200).map(lambda seconds: seconds * 10**9)


@settings(max_examples=60, deadline=None)
@given(utc_ns=st.lists(instants_ns, min_size=1, max_size=20))
def test_jst_conversions_agree_with_the_tz_database(utc_ns: list[int]) -> None:
    utc = np.array(utc_ns, dtype=np.int64)
    by_tz_database = pd.DatetimeIndex(utc, tz="UTC").tz_convert(TZ)
    index = jst_index(utc, "slot_start")
    assert index.equals(by_tz_database) and index.name == "slot_start" and str(index.tz) == TZ
    wall_ns = by_tz_database.tz_localize(None).as_unit("ns").asi8
    np.testing.assert_array_equal(utc_ns_from_jst_wall(wall_ns), utc)
    since_midnight = (by_tz_database - by_tz_database.normalize()).as_unit("ns").asi8
    np.testing.assert_array_equal(jst_time_of_day_ns(utc), since_midnight)
    first = by_tz_database[0]
    clock = "%H:%M" if first.second == 0 else "%H:%M:%S"
    assert jst_label(utc[0]) == first.strftime(f"%Y-%m-%d {clock} JST")


def test_jst_label_by_hand() -> None:
    # 15:00 UTC on 31 March is midnight of 1 April in Tokyo, the start of FY2022.
    assert jst_label(pd.Timestamp("2022-03-31 15:00", tz="UTC").value) == "2022-04-01 00:00 JST"
    assert jst_label(pd.Timestamp("2022-04-01 12:34:56", tz=TZ).value) == "2022-04-01 12:34:56 JST"


def test_slot_of_day_and_month_slot_key_by_hand() -> None:
    utc = pd.DatetimeIndex(["2022-03-31 15:00", "2022-04-01 14:59", "2023-01-31 14:30"], tz="UTC")
    # In JST: 1 April 00:00 (slot 0), 1 April 23:59 (slot 47), 31 January 23:30 (slot 47).
    assert slot_of_day(utc).tolist() == [0, 47, 47]
    assert month_slot_key(utc).tolist() == [3 * 48 + 0, 3 * 48 + 47, 0 * 48 + 47]


def test_month_slot_key_counts_each_cell_of_a_year_by_its_days() -> None:
    index = fiscal_year_slots(2022)
    counts = np.bincount(month_slot_key(index), minlength=12 * 48).reshape(12, 48)
    days_per_month = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    np.testing.assert_array_equal(counts, np.repeat(days_per_month[:, None], 48, axis=1))
    minutes = (index - index.normalize()).total_seconds().to_numpy() / 60
    np.testing.assert_array_equal(slot_of_day(index), minutes // 30)

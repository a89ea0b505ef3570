"""Slots, fiscal years and Japan Standard Time helpers.

A JEPX slot is 30 minutes long and labelled by its start. Japan has no daylight
saving time, so every day has exactly 48 slots. Fiscal year N runs from
1 April N to 31 March N+1.

The readers hold timestamps as UTC epoch nanoseconds (int64) while they
validate; :func:`utc_ns_from_jst_wall`, :func:`jst_time_of_day_ns`,
:func:`jst_index` and :func:`jst_label` are the only places where those
become JST again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gxdlib.checks import first_labels, numeric_values, require_finite
from gxdlib.errors import IncompleteYearError, ValidationError

TZ = "Asia/Tokyo"
SLOT = pd.Timedelta(minutes=30)
HOUR = pd.Timedelta(hours=1)
SLOTS_PER_DAY = 48

_JST_OFFSET_NS = pd.Timedelta(hours=9).value
"""JST is UTC+9 all year round [ns]: Japan has kept no daylight saving time since
1951 (IANA time zone database, file ``asia``, rules ``Japan`` 1948-1951), so the
shift between a JST wall clock and UTC is exact."""
_DAY_NS = pd.Timedelta(days=1).value


def utc_ns_from_jst_wall(local_ns: np.ndarray) -> np.ndarray:
    """UTC epoch nanoseconds of JST wall-clock times.

    Parameters
    ----------
    local_ns : numpy.ndarray
        JST wall-clock times as naive epoch nanoseconds (int64), e.g.
        ``DatetimeIndex.asi8`` of naive timestamps read from a file.

    Returns
    -------
    numpy.ndarray
        The same instants as UTC epoch nanoseconds (int64).

    Examples
    --------
    >>> wall = pd.DatetimeIndex(["2022-04-01 09:00"]).as_unit("ns").asi8
    >>> pd.Timestamp(int(utc_ns_from_jst_wall(wall)[0]), tz="UTC")
    Timestamp('2022-04-01 00:00:00+0000', tz='UTC')
    """
    return np.asarray(local_ns, dtype=np.int64) - _JST_OFFSET_NS


def jst_time_of_day_ns(utc_ns: np.ndarray | np.int64) -> np.ndarray | np.int64:
    """Nanoseconds since the last JST midnight of UTC epoch nanoseconds.

    Examples
    --------
    >>> start = pd.Timestamp("2022-04-01 00:30", tz=TZ).value
    >>> int(jst_time_of_day_ns(start)) == SLOT.value
    True
    """
    return (utc_ns + _JST_OFFSET_NS) % _DAY_NS


def jst_index(utc_ns: np.ndarray, name: str | None = None) -> pd.DatetimeIndex:
    """A tz-aware ``Asia/Tokyo`` DatetimeIndex from UTC epoch nanoseconds (int64)."""
    utc = pd.DatetimeIndex(np.asarray(utc_ns, dtype="datetime64[ns]"), tz="UTC")
    return utc.tz_convert(TZ).rename(name)


def jst_label(utc_ns: np.int64 | int) -> str:
    """One instant in JST for messages: ``2022-04-01 00:30 JST``, seconds only when set.

    Examples
    --------
    >>> jst_label(pd.Timestamp("2022-03-31 15:00", tz="UTC").value)
    '2022-04-01 00:00 JST'
    >>> jst_label(pd.Timestamp("2022-04-01 00:10:30", tz=TZ).value)
    '2022-04-01 00:10:30 JST'
    """
    stamp = pd.Timestamp(int(utc_ns), tz="UTC").tz_convert(TZ)
    whole_minute = stamp.second == 0 and stamp.microsecond == 0 and stamp.nanosecond == 0
    return stamp.strftime("%Y-%m-%d %H:%M JST" if whole_minute else "%Y-%m-%d %H:%M:%S JST")


def slot_of_day(index: pd.DatetimeIndex) -> np.ndarray:
    """Slot of the JST day of each timestamp: 0 for 00:00-00:30 to 47 for 23:30-24:00.

    Examples
    --------
    >>> slot_of_day(pd.DatetimeIndex(["2022-04-01 00:00", "2022-04-01 23:45"], tz=TZ)).tolist()
    [0, 47]
    """
    local = pd.DatetimeIndex(index).tz_convert(TZ)
    return local.hour.to_numpy(dtype=np.int64) * 2 + local.minute.to_numpy(dtype=np.int64) // 30


def month_slot_key(index: pd.DatetimeIndex) -> np.ndarray:
    """Calendar cell of each timestamp: (JST month - 1) x 48 + slot of the day, 0 to 575.

    Examples
    --------
    >>> month_slot_key(pd.DatetimeIndex(["2022-01-01 00:30", "2022-12-31 23:30"], tz=TZ)).tolist()
    [1, 575]
    """
    local = pd.DatetimeIndex(index).tz_convert(TZ)
    return (local.month.to_numpy(dtype=np.int64) - 1) * SLOTS_PER_DAY + slot_of_day(local)


def fiscal_year(index: pd.DatetimeIndex) -> pd.Index:
    """Japanese fiscal year of each timestamp (April to March).

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Timestamps, tz-aware (they are read in JST) or naive JST.

    Returns
    -------
    pandas.Index
        Integer fiscal years, named ``fiscal_year``; 2022 for 2022-04-01 to
        2023-03-31.

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2023-03-31 23:30", "2023-04-01"], tz=TZ)
    >>> list(fiscal_year(idx))
    [2022, 2023]
    """
    index = pd.DatetimeIndex(index)
    if index.tz is not None:
        index = index.tz_convert(TZ)
    years = index.year - (index.month < 4).astype(int)
    return pd.Index(np.asarray(years, dtype=int), name="fiscal_year")


def fiscal_year_bounds(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start (inclusive) and end (exclusive) of fiscal year ``year`` in JST."""
    return (
        pd.Timestamp(year=year, month=4, day=1, tz=TZ),
        pd.Timestamp(year=year + 1, month=4, day=1, tz=TZ),
    )


@dataclass(frozen=True)
class YearCoverage:
    """Which part of one fiscal year a series covers.

    Attributes
    ----------
    fiscal_year : int
        The fiscal year asked for.
    months : tuple of str
        Calendar months with at least one step, ``"YYYY-MM"``, in order.
    steps : int
        Steps present.
    expected_steps : int
        Steps in the whole fiscal year.
    """

    fiscal_year: int
    months: tuple[str, ...]
    steps: int
    expected_steps: int

    @property
    def complete(self) -> bool:
        """Whether every step of the fiscal year is present."""
        return self.steps == self.expected_steps

    @property
    def label(self) -> str:
        """What the data covers, for tables, plot titles and notebook cells.

        Examples
        --------
        >>> hours = pd.date_range("2023-04-01", "2023-12-31 23:00", freq="h", tz=TZ)
        >>> year_coverage(hours, 2023, HOUR).label
        'FY2023, Apr-Dec 2023 only (9 of 12 months)'
        >>> year_coverage(fiscal_year_slots(2022), 2022, SLOT).label
        'FY2022 (Apr 2022-Mar 2023)'
        """
        if not self.months:
            return f"FY{self.fiscal_year}, no data"
        first, last = (pd.Timestamp(f"{m}-01") for m in (self.months[0], self.months[-1]))
        if first == last:
            span = f"{first:%b %Y}"
        elif first.year == last.year:
            span = f"{first:%b}-{last:%b %Y}"
        else:
            span = f"{first:%b %Y}-{last:%b %Y}"
        if self.complete:
            return f"FY{self.fiscal_year} ({span})"
        missing = self.expected_steps - self.steps
        gaps = f", {missing} steps missing" if len(self.months) == 12 else ""
        return f"FY{self.fiscal_year}, {span} only ({len(self.months)} of 12 months{gaps})"

    def attrs(self) -> dict[str, object]:
        """The coverage as ``DataFrame.attrs`` entries: months, partial, coverage."""
        return {
            "fiscal_year": self.fiscal_year,
            "months": list(self.months),
            "partial": not self.complete,
            "coverage": self.label,
        }


def year_coverage(index: pd.DatetimeIndex, year: int, step: pd.Timedelta) -> YearCoverage:
    """The part of fiscal year ``year`` that ``index`` covers.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Unique, tz-aware step starts, all inside the fiscal year (check
        with :func:`fiscal_year` first, where lines can be named).
    year : int
        The fiscal year.
    step : pandas.Timedelta
        The step of the series (:data:`SLOT` or :data:`HOUR`).

    Returns
    -------
    YearCoverage
    """
    start, end = fiscal_year_bounds(year)
    local = pd.DatetimeIndex(index).tz_convert(TZ)
    months = tuple(sorted(set(local.strftime("%Y-%m"))))
    return YearCoverage(year, months, len(local), int((end - start) / step))


def require_full_year(
    index: pd.DatetimeIndex, year: int, step: pd.Timedelta, *, partial: bool, what: str
) -> YearCoverage:
    """The coverage of fiscal year ``year``; refuse a partial year unless ``partial``.

    Parameters
    ----------
    index, year, step
        As :func:`year_coverage`.
    partial : bool
        Accept a fiscal year that is not complete.
    what : str
        Name of the data (file or argument), for the message.

    Returns
    -------
    YearCoverage

    Raises
    ------
    IncompleteYearError
        If the year is incomplete and ``partial`` is false; the message names
        the months present.

    Examples
    --------
    >>> hours = pd.date_range("2023-04-01", "2023-12-31 23:00", freq="h", tz=TZ)
    >>> require_full_year(hours, 2023, HOUR, partial=False, what="tso files")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gxdlib.errors.IncompleteYearError: tso files: FY2023, Apr-Dec 2023 only (9 of 12 months): ...
    """
    coverage = year_coverage(index, year, step)
    if not coverage.complete and not partial:
        raise IncompleteYearError(
            f"{what}: {coverage.label}: {coverage.steps} of {coverage.expected_steps} steps; "
            "pass partial=True to use a partial year",
            year,
            coverage.months,
        )
    return coverage


def slot_index(start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.DatetimeIndex:
    """Slot starts from ``start`` (inclusive) to ``end`` (exclusive), in JST."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start.tz is None:
        start = start.tz_localize(TZ)
    if end.tz is None:
        end = end.tz_localize(TZ)
    return pd.date_range(start, end, freq=SLOT, inclusive="left", name="slot_start")


def fiscal_year_slots(year: int) -> pd.DatetimeIndex:
    """Every slot start of fiscal year ``year`` (17,520 or 17,568 slots)."""
    return slot_index(*fiscal_year_bounds(year))


def require_tz_index(index: object, what: str) -> pd.DatetimeIndex:
    """Check that ``index`` is a tz-aware DatetimeIndex; return it in ``Asia/Tokyo``.

    The one check of every public function that takes a time series: a naive
    index, a RangeIndex, a PeriodIndex or timestamps held as strings are
    refused rather than guessed at (a naive timestamp could be JST or UTC).

    Parameters
    ----------
    index : object
        The index to check (normally ``series.index``).
    what : str
        Name of the argument, for the message.

    Returns
    -------
    pandas.DatetimeIndex
        The index converted to ``Asia/Tokyo``, nanosecond resolution.

    Raises
    ------
    ValidationError
        Naming ``what`` and the kind of index found.

    Examples
    --------
    >>> require_tz_index(pd.RangeIndex(3), "prices")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gxdlib.errors.ValidationError: prices: the index must be a tz-aware DatetimeIndex ... RangeIndex
    """
    if not isinstance(index, pd.DatetimeIndex):
        kind = type(index).__name__
        if isinstance(index, pd.Index) and index.dtype == object:
            kind += " of text (parse it with pandas.to_datetime and tz_localize first)"
        raise ValidationError(
            f"{what}: the index must be a tz-aware DatetimeIndex (Asia/Tokyo), got a {kind}"
        )
    if index.tz is None:
        raise ValidationError(
            f"{what}: the index must be tz-aware (Asia/Tokyo), it is naive; "
            "use tz_localize('Asia/Tokyo') if the times are JST"
        )
    return index.tz_convert(TZ).as_unit("ns")


def require_regular(index: pd.Index, step: pd.Timedelta, what: str = "series") -> pd.DatetimeIndex:
    """Check that ``index`` is tz-aware, sorted, unique and evenly spaced.

    Parameters
    ----------
    index : pandas.Index
        The index to check.
    step : pandas.Timedelta
        The expected spacing.
    what : str
        Name of the data, for the error message.

    Returns
    -------
    pandas.DatetimeIndex
        The index converted to ``Asia/Tokyo``.

    Raises
    ------
    ValidationError
        Naming the first offending timestamps.
    """
    index = require_tz_index(index, what)
    if len(index) < 2:
        return index
    gaps = np.diff(index.asi8)
    bad = np.flatnonzero(gaps != step.value)
    if bad.size:
        first = bad[:3]
        pairs = ", ".join(f"{index[i]} -> {index[i + 1]}" for i in first)
        raise ValidationError(
            f"{what}: expected a step of {step} between consecutive timestamps; "
            f"{bad.size} irregular steps, first at {pairs}"
        )
    return index


def to_slots(hourly_energy: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Split hour-beginning energy into two 30-minute slots, half each.

    Parameters
    ----------
    hourly_energy : pandas.Series or pandas.DataFrame
        Energy per hour [any energy unit, e.g. kWh or MWh], indexed by
        tz-aware hour starts at a regular one-hour step.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Energy per slot in the same unit, indexed by slot start
        (``slot_start``); twice as many rows, the same total.

    Raises
    ------
    ValidationError
        If the index is naive, not on whole hours or not a regular hourly
        step: anything that cannot be converted exactly.

    Examples
    --------
    >>> hours = pd.date_range("2022-04-01", periods=2, freq="h", tz=TZ)
    >>> to_slots(pd.Series([10.0, 3.0], index=hours)).tolist()
    [5.0, 5.0, 1.5, 1.5]
    """
    index = require_regular(hourly_energy.index, HOUR, "hourly energy")
    off_hour = (index.minute != 0) | (index.second != 0) | (index.nanosecond != 0)
    if np.any(off_hour):
        raise ValidationError(
            f"hourly energy: timestamps must be whole hours; first offender {index[off_hour][0]}"
        )
    starts = np.repeat(index.asi8, 2)
    starts[1::2] += SLOT.value
    slot_starts = jst_index(starts, "slot_start")
    values = np.repeat(np.asarray(hourly_energy, dtype=float), 2, axis=0) / 2.0
    if isinstance(hourly_energy, pd.DataFrame):
        return pd.DataFrame(values, index=slot_starts, columns=hourly_energy.columns)
    return pd.Series(values, index=slot_starts, name=hourly_energy.name)


def check_generation(generation_kwh: pd.Series) -> pd.Series:
    """Validate a 30-minute generation series [kWh]; return it in JST as float.

    Raises
    ------
    ValidationError
        For a non-Series, an index that is not a tz-aware DatetimeIndex, an
        irregular index, an hourly series (use
        :func:`gxdlib.timeseries.to_slots` first), values that are not
        numbers, NaN, infinite or negative values; the message names the
        first offending timestamps.
    """
    if not isinstance(generation_kwh, pd.Series):
        raise ValidationError(
            f"generation_kwh must be a pandas Series of kWh per slot, got "
            f"{type(generation_kwh).__name__}; pass one column"
        )
    index = generation_kwh.index
    if isinstance(index, pd.DatetimeIndex) and index.tz is not None and len(index) > 1:
        steps = np.diff(index.as_unit("ns").asi8)
        if np.all(steps == HOUR.value):
            raise ValidationError(
                "generation_kwh is hourly (first steps "
                f"{index[0]} -> {index[1]}); split each hour into two 30-minute slots "
                "with gxdlib.timeseries.to_slots first"
            )
    index = require_regular(index, SLOT, "generation_kwh")
    values = require_finite(
        numeric_values(generation_kwh, "generation_kwh", "kWh"), index, "generation_kwh"
    )
    negative = values < 0
    if negative.any():
        raise ValidationError(
            f"generation_kwh is negative at {negative.sum()} slots, first at "
            f"{first_labels(index, negative)}"
        )
    return pd.Series(values, index=index, name="generation_kwh")

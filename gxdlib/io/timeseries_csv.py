"""Simple time-series CSVs uploaded by users: prices per slot and plant generation.

The layout is deliberately small, so that anyone can write it from a
spreadsheet, and is checked strictly, so that a mistake is named rather than
silently settled.

Layout (UTF-8, with or without BOM; Shift-JIS is also read)::

    slot_start,kyushu_jpy_per_kwh,system_jpy_per_kwh
    2022-04-01T00:00+09:00,12.50,12.31
    2022-04-01T00:30+09:00,12.10,12.02

- Line 1 is the header; every later line is one row, no blank lines, no
  quoting, fields separated by commas, no thousands separators.
- ``slot_start`` is the start of the interval in Japan Standard Time, ISO 8601:
  ``YYYY-MM-DDTHH:MM`` or ``YYYY-MM-DD HH:MM``, optional ``:SS`` (must be 00)
  and optional offset ``+09:00`` (any other offset is refused, as is ``Z``).
- Rows are in time order at one regular step: 30 minutes for prices (JEPX
  slots); 30 minutes or 1 hour for generation, hourly energy being split
  evenly into two slots (:func:`gxdlib.timeseries.to_slots`).
- Prices: one or more columns ``<index>_jpy_per_kwh`` where ``<index>`` is
  ``system`` or a JEPX area (``kyushu``...), values [JPY/kWh] >= 0 (JEPX has no
  negative prices; its floor is 0.01 JPY/kWh).
- Generation: exactly one column, ``generation_kwh`` [kWh per interval] or
  ``generation_mwh`` [MWh per interval], values >= 0.
- Numbers and timestamps are written in ASCII digits: full-width or
  other-script digits, ``inf``, ``nan`` and numbers beyond the float range are
  refused, never converted. UTF-16, gzip and other binary content are refused
  with the encoding or format named.

Every refusal is a :class:`~gxdlib.errors.DataFormatError` naming the source,
the 1-based line and the column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gxdlib.areas import PRICE_INDICES
from gxdlib.errors import DataFormatError
from gxdlib.io._tables import detect_encoding
from gxdlib.io._text import parse_numbers, split_lines
from gxdlib.timeseries import (
    HOUR,
    SLOT,
    jst_index,
    jst_label,
    jst_time_of_day_ns,
    to_slots,
    utc_ns_from_jst_wall,
)

TIME_COLUMN = "slot_start"
"""Header of the timestamp column."""

PRICE_SUFFIX = "_jpy_per_kwh"
"""Suffix of a price column header: ``<index>_jpy_per_kwh``."""

GENERATION_COLUMNS: dict[str, float] = {"generation_kwh": 1.0, "generation_mwh": 1000.0}
"""Accepted generation headers and their factor to kWh."""

# Groups: date, hour, minute, optional seconds, optional offset; ASCII digits only
# ([0-9], not \d, which matches full-width and other-script digits too).
_TIMESTAMP = r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?(\+09:00)?"


def _lines(data: bytes, source: str) -> pd.Series:
    if not isinstance(data, bytes | bytearray):
        raise DataFormatError(f"expected bytes, got {type(data).__name__}", source=source)
    text = bytes(data).decode(detect_encoding(bytes(data), source)).removeprefix("\ufeff")
    lines = split_lines(text)
    if lines.empty or not lines.iloc[0].strip():
        raise DataFormatError(
            f"expected a header line starting with {TIME_COLUMN}", source=source, line=1
        )
    return lines


def _header(first_line: str, source: str) -> list[str]:
    names = [name.strip() for name in first_line.split(",")]
    if names[0] != TIME_COLUMN:
        raise DataFormatError(
            f"the first column must be {TIME_COLUMN!r}", source=source, line=1, column=names[0]
        )
    for k, name in enumerate(names):
        if name in names[:k]:
            raise DataFormatError("header appears twice", source=source, line=1, column=name)
    return names


def _cells(lines: pd.Series, width: int, source: str) -> pd.DataFrame:
    """Data rows split into ``width`` text cells; a row of another width raises."""
    rows = lines.iloc[1:]
    if rows.empty:
        raise DataFormatError("the file holds no data rows", source=source, line=2)
    fields = rows.str.count(",").to_numpy() + 1
    wrong = fields != width
    if wrong.any():
        k = int(np.flatnonzero(wrong)[0])
        line = int(rows.index[k])
        what = "the line is empty" if not rows.iloc[k].strip() else f"the row has {fields[k]}"
        suffix = "" if what == "the line is empty" else f" fields, the header {width}"
        raise DataFormatError(what + suffix, source=source, line=line)
    return rows.str.split(",", expand=True, regex=False).set_axis(range(width), axis=1)


def _timestamps(cells: pd.Series, source: str) -> np.ndarray:
    """Interval starts as int64 nanoseconds since the epoch (UTC)."""
    text = cells.str.strip()
    parts = text.str.extract(f"^{_TIMESTAMP}$")
    seconds = parts[3].fillna("00")
    bad = parts[0].isna().to_numpy() | (seconds != "00").to_numpy()
    if not bad.any():
        local = pd.to_datetime(
            parts[0] + " " + parts[1] + ":" + parts[2], format="%Y-%m-%d %H:%M", errors="coerce"
        )
        bad = local.isna().to_numpy()
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise DataFormatError(
            "expected a JST timestamp YYYY-MM-DDTHH:MM (optional :00 seconds and +09:00), "
            f"got {cells.iloc[k]!r}",
            source=source,
            line=int(cells.index[k]),
            column=TIME_COLUMN,
        )
    return utc_ns_from_jst_wall(local.to_numpy(dtype="datetime64[ns]").astype(np.int64))


def _minutes(step_ns: int) -> str:
    return f"{step_ns / 60e9:g} minutes"


def _regular_index(starts_ns: np.ndarray, lines: pd.Index, steps: tuple, source: str):
    """Check the timestamps run at one allowed step; return the index and the step."""
    step = steps[0].value if starts_ns.size < 2 else int(starts_ns[1] - starts_ns[0])
    allowed = [s.value for s in steps]
    names = " or ".join(_minutes(s) for s in allowed)
    if step not in allowed:
        raise DataFormatError(
            f"the rows must follow each other at {names}; the first two are {_minutes(step)} apart",
            source=source,
            line=int(lines[1]),
            column=TIME_COLUMN,
        )
    # A step divides the day, so being on its grid is a matter of the time of day.
    off_grid = jst_time_of_day_ns(starts_ns) % step != 0
    gaps = np.concatenate(([False], np.diff(starts_ns) != step))
    bad = off_grid | gaps
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        stamp = jst_label(starts_ns[k])
        if off_grid[k]:
            message = f"{stamp} does not start a {_minutes(step)} interval"
        else:
            previous = jst_label(starts_ns[k - 1])
            kind = "repeats or goes back in time" if starts_ns[k] <= starts_ns[k - 1] else "gap"
            message = f"{stamp} follows {previous} ({kind}); expected {_minutes(step)} later"
        raise DataFormatError(message, source=source, line=int(lines[k]), column=TIME_COLUMN)
    return jst_index(starts_ns, TIME_COLUMN), step


def _values(cells: pd.DataFrame, names: list[str], source: str) -> np.ndarray:
    """Non-negative decimal numbers; the first bad cell raises naming line and column."""
    lines = cells.index.to_numpy()
    values = parse_numbers(cells, lines, source, labels=names)
    negative = values < 0
    if negative.any():
        row, col = np.unravel_index(int(np.argmax(negative.ravel())), values.shape)
        raise DataFormatError(
            f"expected a value >= 0, got {cells.iloc[row, col].strip()}",
            source=source,
            line=int(lines[row]),
            column=names[col],
        )
    return values


def parse_price_csv(data: bytes, name: str = "prices.csv") -> pd.DataFrame:
    """Read uploaded slot prices in the layout of this module.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file name, for error messages.

    Returns
    -------
    pandas.DataFrame
        Prices [JPY/kWh] indexed by tz-aware ``slot_start`` (Asia/Tokyo), one
        column per price index named as in :func:`gxdlib.io.jepx.read_jepx_spot`
        (``system``, ``kyushu``...), in the file's column order.

    Raises
    ------
    DataFormatError
        Naming the source, line and column at fault.

    Examples
    --------
    >>> rows = ["slot_start,kyushu_jpy_per_kwh", "2022-04-01T00:00+09:00,12.5"]
    >>> rows.append("2022-04-01T00:30,0.01")
    >>> parse_price_csv("\\n".join(rows).encode(), "p.csv")["kyushu"].tolist()
    [12.5, 0.01]
    """
    lines = _lines(data, name)
    names = _header(lines.iloc[0], name)
    if len(names) < 2:
        raise DataFormatError(
            f"expected at least one price column <index>{PRICE_SUFFIX}", source=name, line=1
        )
    columns = []
    for header in names[1:]:
        index = header.removesuffix(PRICE_SUFFIX)
        if not header.endswith(PRICE_SUFFIX) or index not in PRICE_INDICES:
            expected = ", ".join(f"{p}{PRICE_SUFFIX}" for p in PRICE_INDICES[:3])
            raise DataFormatError(
                f"unknown price column; expected <index>{PRICE_SUFFIX} with <index> one of "
                f"{', '.join(PRICE_INDICES)} (e.g. {expected})",
                source=name,
                line=1,
                column=header,
            )
        columns.append(index)
    cells = _cells(lines, len(names), name)
    starts = _timestamps(cells[0], name)
    values = _values(cells.iloc[:, 1:], names[1:], name)
    index, _ = _regular_index(starts, cells.index, (SLOT,), name)
    return pd.DataFrame(values, index=index, columns=columns)


def parse_generation_csv(data: bytes, name: str = "generation.csv") -> pd.Series:
    """Read uploaded plant generation in the layout of this module.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file name, for error messages.

    Returns
    -------
    pandas.Series
        Energy per 30-minute slot [kWh], named ``generation_kwh``, indexed by
        tz-aware ``slot_start`` (Asia/Tokyo). Hourly rows are split evenly into
        two slots; MWh are converted to kWh.

    Raises
    ------
    DataFormatError
        Naming the source, line and column at fault.

    Examples
    --------
    >>> text = "slot_start,generation_mwh\\n2022-04-01 10:00,1.5\\n2022-04-01 11:00,2\\n"
    >>> parse_generation_csv(text.encode(), "g.csv").tolist()
    [750.0, 750.0, 1000.0, 1000.0]
    """
    lines = _lines(data, name)
    names = _header(lines.iloc[0], name)
    if len(names) != 2 or names[1] not in GENERATION_COLUMNS:
        raise DataFormatError(
            f"expected exactly two columns, {TIME_COLUMN} and one of "
            f"{', '.join(GENERATION_COLUMNS)}; got {', '.join(names)}",
            source=name,
            line=1,
            column=names[1] if len(names) > 1 else None,
        )
    cells = _cells(lines, 2, name)
    starts = _timestamps(cells[0], name)
    values = _values(cells.iloc[:, 1:], names[1:], name)[:, 0] * GENERATION_COLUMNS[names[1]]
    index, step = _regular_index(starts, cells.index, (SLOT, HOUR), name)
    series = pd.Series(values, index=index, name="generation_kwh")
    if step == HOUR.value:
        series = to_slots(series)
    return series

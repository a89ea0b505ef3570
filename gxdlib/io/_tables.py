"""Shared machinery of the slot-table readers: encodings, headers, numbers, slots.

JEPX publishes its tables as CSV with a Japanese header, one row per delivery
date and slot code (1-48). The readers here turn such tables into frames with
English column names, checking every cell on the way, and report any problem
with the file and the 1-based line number at fault.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from gxdlib.errors import DataFormatError
from gxdlib.io._text import why_not_a_number
from gxdlib.timeseries import (
    SLOT,
    SLOTS_PER_DAY,
    jst_index,
    jst_label,
    jst_time_of_day_ns,
    utc_ns_from_jst_wall,
)

PathOrPaths = str | PathLike | Iterable[str | PathLike]

_ENCODINGS = ("utf-8", "cp932")


def as_path_list(paths: PathOrPaths) -> list[Path]:
    """One path or many, as a list of :class:`~pathlib.Path` (a folder is not expanded)."""
    if isinstance(paths, str | PathLike):
        paths = [paths]
    result = [Path(p) for p in paths]
    if not result:
        raise DataFormatError("no files given")
    return result


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, or a :class:`DataFormatError` naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataFormatError(f"cannot read the file: {exc.strerror or exc}", source=path) from exc


def detect_encoding(raw: bytes, source: str | PathLike) -> str:
    """The encoding of a Japanese CSV: UTF-8 (with or without BOM) or Shift-JIS (cp932).

    The whole text must decode: a BOM announces UTF-8 but does not prove it.

    Raises
    ------
    DataFormatError
        When the bytes are neither, naming the line of the first bad byte, or
        naming what they are instead (see :func:`refuse_binary`).
    """
    refuse_binary(raw, source, "UTF-8 or Shift-JIS text")
    bom = raw.startswith(b"\xef\xbb\xbf")
    candidates = ("utf-8-sig",) if bom else _ENCODINGS
    errors = {}
    for encoding in candidates:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError as exc:
            errors[encoding] = exc
        else:
            return encoding
    # The encoding that decodes furthest is the likely one: report where it fails.
    # (utf-8-sig reports offsets after the three BOM bytes.)
    likely = max(errors, key=lambda name: errors[name].start)
    first_bad = errors[likely].start + (3 if bom else 0)
    raise DataFormatError(
        f"not valid {likely} text ({errors[likely].reason}); UTF-8 or Shift-JIS expected",
        source=source,
        line=raw.count(b"\n", 0, first_bad) + 1,
    )


# Leading bytes that name a format other than the text a reader expects.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed (decompress it first)"),
    (b"PK\x03\x04", "a zip archive, such as an .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 (.xls) workbook"),
    (b"\xff\xfe\x00\x00", "UTF-32-LE text (byte-order mark FF FE 00 00)"),
    (b"\x00\x00\xfe\xff", "UTF-32-BE text (byte-order mark 00 00 FE FF)"),
    (b"\xff\xfe", "UTF-16-LE text (byte-order mark FF FE)"),
    (b"\xfe\xff", "UTF-16-BE text (byte-order mark FE FF)"),
)


def refuse_binary(raw: bytes, source: str | PathLike, expected: str) -> None:
    """Refuse bytes that are not ASCII-compatible text, naming what they are.

    UTF-16 and UTF-32 are refused rather than converted: every line and field
    check of the readers works on the bytes, which holds only for encodings
    in which a comma, a quote and a newline are single ASCII bytes.

    Parameters
    ----------
    raw : bytes
        The file's content.
    source : str or path-like
        The file, for the message.
    expected : str
        What the reader reads, for the message (``"UTF-8 or Shift-JIS text"``).

    Raises
    ------
    DataFormatError
        For compressed data, workbooks, UTF-16 or UTF-32 (by their leading
        bytes) and any other content holding NUL bytes, with the encoding or
        format it looks like.

    Examples
    --------
    >>> refuse_binary("a,b".encode("utf-16"), "x.csv", "UTF-8 text")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gxdlib.errors.DataFormatError: x.csv, line 1: the file is UTF-16-LE text (byte-order ...
    """
    for magic, what in _SIGNATURES:
        if raw.startswith(magic):
            raise DataFormatError(f"the file is {what}; {expected} expected", source=source, line=1)
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise DataFormatError(
            f"the file holds NUL bytes: {_nul_pattern(raw)}; {expected} expected",
            source=source,
            line=raw.count(b"\n", 0, nul) + 1,
        )


def _nul_pattern(raw: bytes) -> str:
    """What NUL bytes suggest: UTF-16 or UTF-32 without a byte-order mark, or binary data."""
    head = np.frombuffer(raw[:4096], dtype=np.uint8)
    head = head[: head.size - head.size % 4]
    if head.size == 0:
        return "binary data, not text"
    # Share of NUL bytes at each position modulo 4: text in UTF-16 or UTF-32 has
    # its NULs at fixed positions (ASCII characters, and any BMP one in UTF-32).
    share = (head == 0).reshape(-1, 4).mean(axis=0)
    if share[2] > 0.9 and share[3] > 0.9:
        return "it looks like UTF-32-LE text without a byte-order mark"
    if share[0] > 0.9 and share[1] > 0.9:
        return "it looks like UTF-32-BE text without a byte-order mark"
    if share[0] == share[2] == 0 and min(share[1], share[3]) > 0.3:
        return "it looks like UTF-16-LE text without a byte-order mark"
    if share[1] == share[3] == 0 and min(share[0], share[2]) > 0.3:
        return "it looks like UTF-16-BE text without a byte-order mark"
    return "binary data, not text"


def normalise_header(name: str) -> str:
    """Fold full-width characters and strip blanks, so that header spellings compare equal."""
    return unicodedata.normalize("NFKC", str(name)).replace(" ", "").replace("\u3000", "")


@dataclass(frozen=True)
class SlotTable:
    """A JEPX-style slot table read from one file, before slots are checked across files.

    Attributes
    ----------
    source : Path
        The file read.
    slot_start : numpy.ndarray
        Slot starts as int64 nanoseconds since the epoch (UTC), one per data row.
    lines : numpy.ndarray
        The 1-based line number of each data row in ``source``.
    values : dict of str to numpy.ndarray
        The value columns, by their English names, as float.
    date_column : str
        The (normalised) header of the delivery-date column, for messages.
    """

    source: Path
    slot_start: np.ndarray
    lines: np.ndarray
    values: dict[str, np.ndarray]
    date_column: str = "受渡日"


def read_slot_table(
    path: Path,
    *,
    date_headers: tuple[str, ...],
    columns: Mapping[str, str],
    ignored: tuple[str, ...] = (),
    minimum: Mapping[str, float] | None = None,
) -> SlotTable:
    """Read one JEPX-style table of (date, slot code, values...).

    Parameters
    ----------
    path : Path
        The CSV file.
    date_headers : tuple of str
        Accepted names of the delivery-date column (``YYYY/MM/DD``).
    columns : mapping of str to str
        Japanese header (normalised with :func:`normalise_header`) to English
        column name, for every value column that the result keeps. All are
        required.
    ignored : tuple of str
        Known headers whose columns are read past (checked for nothing).
    minimum : mapping of str to float, optional
        Lowest valid value of some columns, by (normalised) header; a value
        below it raises.

    Returns
    -------
    SlotTable

    Raises
    ------
    DataFormatError
        Unknown or missing headers, rows of the wrong width, malformed dates,
        slot codes outside 1-48 and non-numeric cells, each naming the file and
        line.
    """
    raw = read_bytes(path)
    encoding = _likely_encoding(raw, path)
    raw_headers = _header_fields(raw, encoding, path)
    headers = [normalise_header(h) for h in raw_headers]
    date_header = _check_headers(headers, date_headers, columns, ignored, path)
    japanese_of = dict(zip(headers, raw_headers, strict=True))
    float64 = np.dtype("float64")
    dtypes: dict[str, object] = {
        japanese_of[h]: float64 for h in headers if h in columns or h in ignored
    }
    # A year holds 365 distinct dates in 17,520 rows: the parser factorises them once.
    dtypes[japanese_of[date_header]] = pd.CategoricalDtype()
    dtypes[japanese_of["時刻コード"]] = float64
    frame = _parse(raw, encoding, path, dtypes)
    frame.columns = headers

    # Columns stay separate arrays: consolidating them per file would cost more than parsing.
    numeric = {h: frame[h].to_numpy(dtype=float) for h in headers if h in columns or h in ignored}
    dates, codes = frame[date_header], frame["時刻コード"].to_numpy(dtype=float)
    lines = np.arange(2, len(frame) + 2)
    with_gaps = [h for h, cells in numeric.items() if np.isnan(cells).any()]
    if with_gaps or np.isnan(codes).any():
        blank = dates.isna().to_numpy() & np.isnan(codes)
        for cells in numeric.values():
            blank &= np.isnan(cells)
        if blank.any():
            keep = ~blank
            numeric = {h: cells[keep] for h, cells in numeric.items()}
            dates, codes, lines = dates[keep], codes[keep], lines[keep]
        # An empty cell and a missing field both read as NaN; only the bytes tell them apart.
        check_row_widths(raw, path)

    slot_start = _slot_starts(dates, codes, lines, path)
    _check_values(numeric, lines, path, minimum or {})
    values = {english: numeric[japanese] for japanese, english in columns.items()}
    return SlotTable(
        source=path, slot_start=slot_start, lines=lines, values=values, date_column=date_header
    )


def _likely_encoding(raw: bytes, path: Path) -> str:
    """The encoding that the header line suggests; :func:`_parse` confirms it on the body.

    Decoding the whole file twice (once to check, once to parse) costs as
    much as a tenth of the read, so the body is checked by the parser itself.
    """
    first_line = raw.split(b"\n", 1)[0]
    if b"\x00" in raw or first_line.startswith((b"\xef\xbb\xbf", b"\x1f\x8b", b"PK\x03\x04")):
        return detect_encoding(raw, path)
    try:
        first_line.decode("utf-8")
    except UnicodeDecodeError:
        return detect_encoding(raw, path)
    return "utf-8"


def _header_fields(raw: bytes, encoding: str, path: Path) -> list[str]:
    first_line = raw.split(b"\n", 1)[0].decode(encoding).lstrip("\ufeff").rstrip("\r")
    if not first_line.strip():
        raise DataFormatError("expected a header line", source=path, line=1)
    return first_line.split(",")


def _check_headers(
    headers: list[str],
    date_headers: tuple[str, ...],
    columns: Mapping[str, str],
    ignored: tuple[str, ...],
    path: Path,
) -> str:
    """Every header known, none twice, every required one present; returns the date header."""
    known = set(date_headers) | {"時刻コード"} | set(columns) | set(ignored)
    for header in headers:
        if header not in known:
            raise DataFormatError(
                f"unknown header; expected only {sorted(known)}", source=path, line=1, column=header
            )
        if headers.count(header) > 1:
            raise DataFormatError("header appears twice", source=path, line=1, column=header)
    date_header = next((h for h in headers if h in date_headers), date_headers[0])
    missing = [h for h in (date_header, "時刻コード", *columns) if h not in headers]
    if missing:
        raise DataFormatError(
            f"missing column(s) {missing}", source=path, line=1, column=missing[0]
        )
    return date_header


def _parse(raw: bytes, encoding: str, path: Path, dtypes: dict[str, object]) -> pd.DataFrame:
    """Parse with typed columns; on failure, parse again as text to name the bad cell."""
    options = dict(encoding=encoding, keep_default_na=False, na_values=[""], skip_blank_lines=False)
    try:
        return pd.read_csv(io.BytesIO(raw), dtype=dtypes, **options)
    except UnicodeDecodeError:
        # The header decoded but the body does not: the full check names the line,
        # or finds the encoding that fits the whole file.
        actual = detect_encoding(raw, path)
        if actual == encoding:
            raise
        return _parse(raw, actual, path, dtypes)
    except pd.errors.ParserError as exc:
        check_row_widths(raw, path, parsed=False)
        raise DataFormatError(f"malformed CSV: {exc}", source=path) from exc
    except (ValueError, TypeError):
        pass
    check_row_widths(raw, path, parsed=False)
    # The typed parse may have stopped before a byte the header's encoding cannot
    # decode: the whole file is checked before it is parsed again as text.
    options["encoding"] = detect_encoding(raw, path)
    text = pd.read_csv(io.BytesIO(raw), dtype=str, **options)
    for name, dtype in dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype):
            continue
        cells = text[name]
        bad = (pd.to_numeric(cells, errors="coerce").isna() & cells.notna()).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataFormatError(
                why_not_a_number(cells.iloc[i]),
                source=path,
                line=i + 2,
                column=normalise_header(name),
            )
    raise DataFormatError("the file could not be parsed as CSV", source=path)


def _check_values(
    numeric: Mapping[str, np.ndarray], lines: np.ndarray, path: Path, minimum: Mapping[str, float]
) -> None:
    """Infinite values are never data; values below a documented minimum are refused."""
    for header, cells in numeric.items():
        low = minimum.get(header, -np.inf)
        with np.errstate(invalid="ignore"):
            bad = np.isinf(cells) | (cells < low)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            expected = "a finite number" if header not in minimum else f"a finite number >= {low}"
            # The parser read inf or nan literals, or digits beyond the float range, as inf.
            got = "a number that reads as infinite" if np.isinf(cells[row]) else cells[row]
            raise DataFormatError(
                f"expected {expected}, got {got}",
                source=path,
                line=int(lines[row]),
                column=header,
            )


def _all_rows_full(data: np.ndarray, header_lines: int) -> bool:
    """Quick pass for unquoted text: as many commas as full rows would hold.

    Rows with too many fields never get here (the parser refuses them), so a
    total equal to the header's count times the non-blank lines means no row
    is short either.
    """
    newlines = np.flatnonzero(data == ord("\n"))
    if newlines.size < header_lines:
        return False
    expected = int(np.count_nonzero(data[: newlines[header_lines - 1]] == ord(",")))
    starts = np.concatenate(([0], newlines + 1))
    stops = np.concatenate((newlines, [data.size]))
    width = stops - starts
    first_byte = data[np.minimum(starts, max(data.size - 1, 0))]
    has_text = (width > 1) | ((width == 1) & (first_byte != ord("\r")))
    rows = int(np.count_nonzero(has_text)) - header_lines
    return int(np.count_nonzero(data == ord(","))) == expected * (rows + header_lines)


def check_row_widths(
    raw: bytes, source: str | PathLike, header_lines: int = 1, *, parsed: bool = True
) -> None:
    """Every non-blank line must have as many fields as the header.

    Counted on the raw bytes (commas outside double quotes), because pandas
    pads a short row with empty cells that would pass for real empty cells.
    Safe for UTF-8 and Shift-JIS, whose multi-byte sequences never contain
    the bytes of a comma, a quote or a newline. ``parsed=True`` says the
    parser accepted the text (so no row is too long), which allows a quick
    count before the line-by-line one.
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    if parsed and b'"' not in raw and _all_rows_full(data, header_lines):
        return
    is_newline = data == ord("\n")
    is_comma = data == ord(",")
    if b'"' in raw:
        inside_quotes = (np.cumsum(data == ord('"'), dtype=np.int64) % 2).astype(bool)
        is_newline &= ~inside_quotes
        is_comma &= ~inside_quotes
    newlines = np.flatnonzero(is_newline)
    commas_before = np.cumsum(is_comma, dtype=np.int64)
    line_ends = np.concatenate((newlines, [data.size - 1])) if data.size else newlines
    commas = np.diff(np.concatenate(([0], commas_before[line_ends]))) if data.size else line_ends
    starts = np.concatenate(([0], newlines + 1))
    stops = np.concatenate((newlines, [data.size]))
    ends_in_cr = (stops > starts) & (data[np.maximum(stops - 1, 0)] == ord("\r"))
    lengths = stops - starts - ends_in_cr
    expected = commas[header_lines - 1]
    wrong = (commas != expected) & (lengths > 0)
    wrong[:header_lines] = False
    if wrong.any():
        k = int(np.flatnonzero(wrong)[0])
        raise DataFormatError(
            f"the row has {commas[k] + 1} fields, the header {expected + 1}",
            source=source,
            line=k + 1,
        )


def _slot_starts(dates: pd.Series, code: np.ndarray, lines: np.ndarray, path: Path) -> np.ndarray:
    categories = dates.cat.categories
    # The date parser reads full-width and other-script digits; only ASCII dates are
    # data: the others are blanked, so that the check below names the first of them.
    ascii_dates = np.asarray(categories.str.isascii(), dtype=bool)
    if not ascii_dates.all():
        categories = categories.where(ascii_dates)
    distinct = pd.to_datetime(categories, format="%Y/%m/%d", errors="coerce")
    codes_of_day = dates.cat.codes.to_numpy()
    day = distinct.take(codes_of_day, allow_fill=True, fill_value=pd.NaT)
    bad = day.isna()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataFormatError(
            f"expected a date YYYY/MM/DD, got {dates.iloc[i]!r}",
            source=path,
            line=int(lines[i]),
            column=dates.name,
        )
    bad = ~np.isfinite(code) | (code != np.round(code)) | (code < 1) | (code > SLOTS_PER_DAY)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataFormatError(
            f"expected a slot code 1-{SLOTS_PER_DAY}, got {code[i]:g}",
            source=path,
            line=int(lines[i]),
            column="時刻コード",
        )
    local_ns = day.as_unit("ns").asi8
    local_ns = local_ns + (code.astype(np.int64) - 1) * SLOT.value
    return utc_ns_from_jst_wall(local_ns)


def combine_slot_tables(tables: list[SlotTable], name: str = "slot_start") -> pd.DataFrame:
    """Stack tables from several files into one frame indexed by slot start.

    Every day present must hold its 48 slots exactly once: a slot repeated in
    one file or across files, or missing inside a file, raises naming the file
    and line. Files need not be adjacent (FY2016 with FY2024 is fine), but
    within a file the slots run without gaps.

    Returns
    -------
    pandas.DataFrame
        Indexed by tz-aware ``Asia/Tokyo`` slot starts, sorted and unique.
        ``attrs["empty_cells"]`` maps each column to its count of empty cells
        (kept as NaN, never filled).
    """
    for table in tables:
        _check_within_file(table)
    starts = np.concatenate([t.slot_start for t in tables])
    lines = np.concatenate([t.lines for t in tables])
    file_no = np.concatenate([np.full(len(t.lines), k) for k, t in enumerate(tables)])
    # Files given in date order, each already sorted, need no reordering.
    order = None if np.all(np.diff(starts) > 0) else np.argsort(starts, kind="stable")
    if order is not None:
        starts, lines, file_no = starts[order], lines[order], file_no[order]
    repeated = np.flatnonzero(np.diff(starts) == 0)
    if repeated.size:
        i = int(repeated[0])
        first, second = tables[file_no[i]].source, tables[file_no[i + 1]].source
        raise DataFormatError(
            f"slot {jst_label(starts[i])} appears twice (first at {first}, line {lines[i]})",
            source=second,
            line=int(lines[i + 1]),
        )
    columns = {}
    for column in tables[0].values:
        stacked = np.concatenate([t.values[column] for t in tables])
        columns[column] = stacked if order is None else stacked[order]
    frame = pd.DataFrame(columns, index=jst_index(starts, name))
    frame.attrs["empty_cells"] = {
        c: int(n) for c, cells in columns.items() if (n := np.count_nonzero(np.isnan(cells)))
    }
    return frame


def _check_within_file(table: SlotTable) -> None:
    starts = table.slot_start
    if starts.size == 0:
        raise DataFormatError("the file holds no data rows", source=table.source, line=2)
    order = np.argsort(starts, kind="stable")
    sorted_starts = starts[order]
    steps = np.diff(sorted_starts)
    repeated = np.flatnonzero(steps == 0)
    if repeated.size:
        i = order[repeated[0] + 1]
        raise DataFormatError(
            f"slot {jst_label(starts[i])} appears twice",
            source=table.source,
            line=int(table.lines[i]),
        )
    gaps = np.flatnonzero(steps != SLOT.value)
    if gaps.size:
        i = order[gaps[0] + 1]
        raise DataFormatError(
            f"slots missing before {jst_label(starts[i])} "
            f"(after {jst_label(sorted_starts[gaps[0]])})",
            source=table.source,
            line=int(table.lines[i]),
        )
    first_offset = jst_time_of_day_ns(sorted_starts[0])
    last_offset = jst_time_of_day_ns(sorted_starts[-1])
    if first_offset != 0 or last_offset != pd.Timedelta(days=1).value - SLOT.value:
        edge = order[0] if first_offset != 0 else order[-1]
        raise DataFormatError(
            "the file must hold whole days of 48 slots; "
            f"it runs from {jst_label(sorted_starts[0])} to {jst_label(sorted_starts[-1])}",
            source=table.source,
            line=int(table.lines[edge]),
        )

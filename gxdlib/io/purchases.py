"""Read a purchase ledger (CSV or Excel) for Scope 3 category 1.

One row per purchase line with the columns of :data:`LEDGER_COLUMNS`:
``supplier_id, supplier_name, product_id`` (optional), ``description, sector``
(a code of the spend-factor table), ``quantity, quantity_unit, spend_jpy,
fiscal_year``. A line may leave ``quantity`` and ``quantity_unit`` both blank
(services bought by spend only). An optional ``line_id`` column names each
line; its values must be unique. Extra columns, such as ``product_category``
for average-data factors, are kept as text.

A CSV ledger may be UTF-8 (with or without BOM) or Shift-JIS, as Japanese
Excel saves it; anything else (UTF-16, gzip, a workbook renamed ``.csv``) is
refused with the encoding or format named. Blank lines are skipped and a
quoted cell may span lines: every message names the line in the file as an
editor shows it. Numbers are ASCII digits; full-width digits, ``inf`` and
``nan`` are refused, never converted.
"""

from __future__ import annotations

import csv
import io
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from gxdlib.errors import DataFormatError
from gxdlib.footprint.model import unit_table
from gxdlib.io._tables import detect_encoding, read_bytes, refuse_binary
from gxdlib.io._text import overflow_message, why_not_a_number

__all__ = ["LEDGER_COLUMNS", "read_purchases"]

#: Columns a ledger must have (``product_id`` may be absent or blank).
LEDGER_COLUMNS: tuple[str, ...] = (
    "supplier_id",
    "supplier_name",
    "product_id",
    "description",
    "sector",
    "quantity",
    "quantity_unit",
    "spend_jpy",
    "fiscal_year",
)
_REQUIRED = tuple(c for c in LEDGER_COLUMNS if c != "product_id")
# ASCII digits ([0-9], not \d, which also matches full-width and other scripts).
# Exponents are allowed: Excel cells read as text give "1e-05" for small numbers.
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_ZIP = b"PK\x03\x04"


def _raise_first(bad: pd.Series, message: str, path: Path, column: str) -> None:
    """Raise for the first line flagged in ``bad`` (index = file line numbers)."""
    if not bad.any():
        return
    lines = bad.index[bad.to_numpy()]
    more = f" ({len(lines) - 1} more line(s) like it)" if len(lines) > 1 else ""
    raise DataFormatError(message + more, source=path, line=int(lines[0]), column=column)


def _numbers(text: pd.Series, path: Path, column: str, allow_blank: bool) -> pd.Series:
    blank = text.eq("")
    if not allow_blank:
        _raise_first(blank, "value is missing", path, column)
    wellformed = text.str.fullmatch(_NUMBER) | blank
    first_bad = text[~wellformed]
    if len(first_bad):
        _raise_first(~wellformed, why_not_a_number(first_bad.iloc[0]), path, column)
    values = text.where(~blank).astype(float)
    overflow = np.isinf(values)
    if overflow.any():
        _raise_first(overflow, overflow_message(text[overflow].iloc[0]), path, column)
    return values


def _csv_grid(path: Path) -> pd.DataFrame:
    """The CSV's records as text, indexed by the file line each starts on.

    The csv module, unlike pandas, says where each record ends, so a quoted
    cell spanning lines and a blank line (skipped) leave later numbers right.
    """
    raw = read_bytes(path)
    text = raw.decode(detect_encoding(raw, path)).removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    starts: list[int] = []
    end = 0
    try:
        for record in reader:
            if record:
                records.append(record)
                starts.append(end + 1)
            end = reader.line_num
    except csv.Error as exc:
        raise DataFormatError(
            f"malformed CSV: {exc}", source=path, line=reader.line_num or None
        ) from exc
    if not records:
        raise DataFormatError("the ledger is empty (no header line)", source=path, line=1)
    width = len(records[0])
    for record, line in zip(records, starts, strict=True):
        if len(record) != width:
            raise DataFormatError(
                f"wrong number of fields: {len(record)}, the header has {width}",
                source=path,
                line=line,
            )
    return pd.DataFrame(records[1:], index=starts[1:], columns=records[0], dtype=str)


def _excel_grid(path: Path) -> pd.DataFrame:
    """The first sheet's rows as text, indexed by sheet row; blank rows dropped."""
    raw = read_bytes(path)
    if not raw.startswith(_ZIP):
        refuse_binary(raw, path, "an Excel workbook (.xlsx, .xlsm: a zip archive)")
        raise DataFormatError(
            "not an Excel workbook: an .xlsx or .xlsm file is a zip archive (its first bytes "
            f"are 'PK'); this one starts with {raw[:12]!r}, text such as a CSV file renamed",
            source=path,
            line=1,
        )
    try:
        grid = pd.read_excel(
            io.BytesIO(raw), header=None, dtype=str, keep_default_na=False, engine="openpyxl"
        )
    # A damaged workbook fails deep in zipfile, zlib, XML or openpyxl code with
    # exceptions of many kinds; each is a file the user must fix, so each is named.
    except Exception as exc:
        raise DataFormatError(
            f"not a readable Excel workbook ({type(exc).__name__}: {exc})", source=path
        ) from exc
    if grid.empty:
        raise DataFormatError("the ledger is empty (no header line)", source=path, line=1)
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    grid = grid.fillna("").astype(str)
    grid = grid[grid.apply(lambda col: col.str.strip().ne("")).any(axis=1)]
    body = grid.iloc[1:]
    body.columns = grid.iloc[0].to_list()
    return body


def _line_ids(text: pd.DataFrame, path: Path) -> pd.Index:
    """The optional ``line_id`` column: present on every line and unique, or refused."""
    if "line_id" not in text.columns:
        return pd.RangeIndex(len(text), name="line_id")
    ids = text["line_id"]
    _raise_first(ids.eq(""), "value is missing", path, "line_id")
    repeated = ids.duplicated(keep="first")
    if repeated.any():
        line = int(ids.index[repeated.to_numpy()][0])
        first = int(ids.index[ids.eq(ids[line]).to_numpy()][0])
        raise DataFormatError(
            f"line id {ids[line]!r} appears twice (first on line {first})",
            source=path,
            line=line,
            column="line_id",
        )
    return pd.Index(ids.to_numpy(dtype=str), name="line_id")


def read_purchases(path: str | PathLike) -> pd.DataFrame:
    """Read and validate a purchase ledger.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` (UTF-8 or Shift-JIS, header row first) or ``.xlsx``/``.xlsm``
        (first sheet, header row first) file.

    Returns
    -------
    pandas.DataFrame
        Index ``line_id``: the file's ``line_id`` column (str) when it has
        one, else 0, 1, ...; the :data:`LEDGER_COLUMNS` with
        ``quantity`` [``quantity_unit``] and ``spend_jpy`` [JPY] as float,
        ``fiscal_year`` as int, text columns as str (``product_id`` blank ->
        missing); column ``source_line`` holds the file line (CSV) or sheet row
        (Excel) of each purchase.

    Raises
    ------
    DataFormatError
        Naming the file, line and column: missing columns, blank required
        values, malformed numbers, negative spend or quantity, a quantity
        without unit (or the reverse), units not in
        :func:`gxdlib.footprint.model.unit_table`, non-integer fiscal years,
        a repeated or blank ``line_id``; a file in another encoding or format
        (naming it), a malformed CSV or a damaged workbook.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFormatError("no such ledger file", source=path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise DataFormatError("expected a .csv, .xlsx or .xlsm ledger", source=path)
    raw = _csv_grid(path) if suffix == ".csv" else _excel_grid(path)
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in _REQUIRED if c not in raw.columns]
    if missing:
        raise DataFormatError(
            f"missing column(s) {', '.join(missing)}; a ledger needs {', '.join(_REQUIRED)}",
            source=path,
            line=1,
            column=missing[0],
        )
    if raw.columns.duplicated().any():
        dup = raw.columns[raw.columns.duplicated()][0]
        raise DataFormatError("duplicate column", source=path, line=1, column=dup)
    text = raw.apply(lambda col: col.fillna("").astype(str).str.strip())
    line_ids = _line_ids(text, path)

    for column in ("supplier_id", "sector"):
        _raise_first(text[column].eq(""), "value is missing", path, column)
    spend = _numbers(text["spend_jpy"], path, "spend_jpy", allow_blank=False)
    _raise_first(spend < 0, "spend must not be negative", path, "spend_jpy")
    quantity = _numbers(text["quantity"], path, "quantity", allow_blank=True)
    _raise_first(quantity < 0, "quantity must not be negative", path, "quantity")
    unit = text["quantity_unit"]
    _raise_first(quantity.notna() & unit.eq(""), "quantity has no unit", path, "quantity_unit")
    _raise_first(quantity.isna() & unit.ne(""), "unit given without quantity", path, "quantity")
    known = unit_table().index
    unknown = unit.ne("") & ~unit.isin(known)
    if unknown.any():
        _raise_first(
            unknown,
            f"unknown unit {unit[unknown].iloc[0]!r}; known units: {', '.join(known)}",
            path,
            "quantity_unit",
        )
    year = _numbers(text["fiscal_year"], path, "fiscal_year", allow_blank=False)
    _raise_first(
        (year != np.round(year)) | (year < 1900) | (year > 2200),
        "fiscal year must be a whole year such as 2023",
        path,
        "fiscal_year",
    )

    ledger = text.copy()
    if "product_id" not in ledger.columns:
        ledger["product_id"] = ""
    ledger["product_id"] = ledger["product_id"].replace("", pd.NA).astype("str")
    ledger["quantity"] = quantity
    ledger["quantity_unit"] = unit.replace("", pd.NA).astype("str")
    ledger["spend_jpy"] = spend
    ledger["fiscal_year"] = year.astype(int)
    ledger["source_line"] = ledger.index.to_numpy()
    extras = [c for c in ledger.columns if c not in (*LEDGER_COLUMNS, "source_line", "line_id")]
    ledger = ledger[[*LEDGER_COLUMNS, *extras, "source_line"]]
    ledger.index = line_ids
    return ledger

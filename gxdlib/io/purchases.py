"""Read a purchase ledger (CSV or Excel) for Scope 3 category 1.

One row per purchase line with the columns of :data:`LEDGER_COLUMNS`:
``supplier_id, supplier_name, product_id`` (optional), ``description, sector``
(a code of the spend-factor table), ``quantity, quantity_unit, spend_jpy,
fiscal_year``. A line may leave ``quantity`` and ``quantity_unit`` both blank
(services bought by spend only). Extra columns, such as ``product_category``
for average-data factors, are kept as text.
"""

from __future__ import annotations

import re
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from gxdlib.errors import DataFormatError
from gxdlib.footprint.model import unit_table

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
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"


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
        _raise_first(~wellformed, f"expected a number, got {first_bad.iloc[0]!r}", path, column)
    values = pd.to_numeric(text.where(~blank), errors="raise").astype(float)
    _raise_first(~np.isfinite(values) & ~blank, "number is not finite", path, column)
    return values


def read_purchases(path: str | PathLike) -> pd.DataFrame:
    """Read and validate a purchase ledger.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` (UTF-8, header row first) or ``.xlsx``/``.xlsm`` (first
        sheet, header row first) file.

    Returns
    -------
    pandas.DataFrame
        Index ``line_id`` (0, 1, ...); the :data:`LEDGER_COLUMNS` with
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
        :func:`gxdlib.footprint.model.unit_table`, non-integer fiscal years.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFormatError("no such ledger file", source=path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise DataFormatError("expected a .csv, .xlsx or .xlsm ledger", source=path)
    try:
        # header=None: the header line fixes the width, so a line with more
        # fields raises instead of silently turning its first cell into an index.
        if suffix == ".csv":
            grid = pd.read_csv(
                path, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig"
            )
        else:
            grid = pd.read_excel(
                path, header=None, dtype=str, keep_default_na=False, engine="openpyxl"
            )
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise DataFormatError(
            f"wrong number of fields: {exc}".strip(),
            source=path,
            line=int(line[1]) if line else None,
        ) from exc
    except (UnicodeDecodeError, ValueError, OSError) as exc:
        raise DataFormatError(f"cannot be read as a ledger: {exc}", source=path) from exc
    if grid.empty:
        raise DataFormatError("the ledger is empty (no header line)", source=path, line=1)
    raw = grid.iloc[1:].reset_index(drop=True)
    raw.columns = grid.iloc[0].fillna("").astype(str).to_list()
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
    # Line 1 is the header in both formats; data start on line (row) 2.
    raw.index = pd.RangeIndex(2, len(raw) + 2)
    text = raw.apply(lambda col: col.fillna("").astype(str).str.strip())

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
    extras = [c for c in ledger.columns if c not in LEDGER_COLUMNS and c != "source_line"]
    ledger = ledger[[*LEDGER_COLUMNS, *extras, "source_line"]]
    ledger.index = pd.RangeIndex(len(ledger), name="line_id")
    return ledger

"""Cell-level parsing shared by the text-table readers: strict numbers and physical lines.

Japanese utilities write numbers as spreadsheets display them, so a file may
hold ``7650`` in one row and ``"8,707"`` (quoted, with a thousands separator)
in the next. :func:`parse_numbers` accepts exactly those two spellings, with an
optional sign and decimal part, and nothing else: no blanks, no ``nan``, no
exponents, no misplaced separators.

Digits must be ASCII. Python's ``float()`` reads full-width (``１２．３``) and
other-script digits (Arabic-Indic ``٣``, Devanagari ``३``), and Unicode NFKC
folds the full-width ones to ASCII; neither is done here, because a cell that
a person typed in another script is a cell nobody checked, and reading it
would turn it into a number silently. Such a cell is refused, and
:func:`why_not_a_number` says why.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from os import PathLike

import numpy as np
import pandas as pd

from gxdlib.errors import DataFormatError

# ASCII digits, plain or grouped by three with commas ("1,046", "-12,345.6");
# full-width digits are refused, although Python's float() would take them.
_NUMBER = r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?"


_NON_FINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan"})


def why_not_a_number(cell: str) -> str:
    """A message saying why a cell is not read as a number, for every reader.

    Parameters
    ----------
    cell : str
        The cell's text, as found in the file.

    Returns
    -------
    str
        ``"expected a number, got '...'"``, with the reason when there is a
        specific one: digits or signs in another script, an ``inf``/``nan``
        literal.

    Examples
    --------
    >>> why_not_a_number("１２．３")
    "expected ASCII digits, got '１２．３' (full-width or other-script digits are not read)"
    >>> why_not_a_number("NaN")
    "expected a finite number, got 'NaN' (inf and nan are not values)"
    >>> why_not_a_number("12円")
    "expected a number, got '12円'"
    """
    text = cell.strip()
    if text.lower() in _NON_FINITE:
        return f"expected a finite number, got {cell!r} (inf and nan are not values)"
    if any(not ch.isascii() and _looks_numeric(ch) for ch in text):
        return (
            f"expected ASCII digits, got {cell!r} (full-width or other-script digits are not read)"
        )
    return f"expected a number, got {cell!r}"


def _looks_numeric(char: str) -> bool:
    """A digit of any script, or a sign or separator that NFKC folds to ASCII."""
    return char.isnumeric() or unicodedata.normalize("NFKC", char) in ("+", "-", ".", ",")


def overflow_message(cell: str) -> str:
    """The message for well-formed digits too large for a float (they would read as inf).

    Examples
    --------
    >>> overflow_message("9" * 400)
    'the number 99999999999999999999... (400 characters) is too large: it overflows to infinity'
    """
    text = cell.strip()
    shown = text if len(text) <= 24 else f"{text[:20]}... ({len(text)} characters)"
    return f"the number {shown} is too large: it overflows to infinity"


def split_lines(text: str) -> pd.Series:
    """The physical lines of ``text``, indexed by their 1-based line number.

    Lines end at ``\\n`` (a preceding ``\\r`` is dropped), which is how
    :func:`gxdlib.io._tables.check_row_widths` counts them, so both report the
    same line numbers. A final line terminator does not start an extra line.

    Examples
    --------
    >>> split_lines("a,b\\r\\n1,2\\r\\n").to_dict()
    {1: 'a,b', 2: '1,2'}
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    series = pd.Series(lines, dtype=str, index=np.arange(1, len(lines) + 1))
    return series.str.removesuffix("\r")


def parse_numbers(
    cells: pd.DataFrame,
    lines: np.ndarray,
    source: str | PathLike,
    labels: Sequence[str] | None = None,
) -> np.ndarray:
    """Strict decimal numbers, with optional thousands separators, as float.

    Parameters
    ----------
    cells : pandas.DataFrame
        Text cells, one row per data row (quotes already removed by the CSV
        parser, so ``"1,046"`` arrives as ``1,046``).
    lines : numpy.ndarray
        The 1-based line number in ``source`` of each row of ``cells``.
    source : str or path-like
        The file, for error messages.
    labels : sequence of str, optional
        The header text of each column, for error messages; defaults to the
        column names of ``cells``.

    Returns
    -------
    numpy.ndarray
        Float array of shape ``cells.shape``, in the unit the file uses.

    Raises
    ------
    DataFormatError
        At the first (top-most, then left-most) cell that is empty, not a
        number in ASCII digits, or too large for a float, naming the line and
        column. A row whose every cell is empty is reported as such.

    Examples
    --------
    >>> cells = pd.DataFrame({"a": ["7650", "8,707"], "b": ["-1,012", "333.6"]})
    >>> parse_numbers(cells, np.array([3, 4]), "demo.csv").tolist()
    [[7650.0, -1012.0], [8707.0, 333.6]]
    """
    labels = list(cells.columns if labels is None else labels)
    # One flat column of text, row by row, so a single regex pass checks every cell.
    text = pd.Series(cells.to_numpy(dtype=str).ravel(), dtype=str).str.strip()
    ok = text.str.fullmatch(_NUMBER).to_numpy(dtype=bool).reshape(cells.shape)
    if not ok.all():
        row, col = np.unravel_index(int(np.argmin(ok.ravel())), ok.shape)
        row_cells = text.iloc[row * cells.shape[1] : (row + 1) * cells.shape[1]]
        if (row_cells == "").all():
            message = "the row has no values"
        elif row_cells.iloc[col] == "":
            message = "empty cell, expected a number"
        else:
            message = why_not_a_number(cells.iloc[row, col])
        raise DataFormatError(message, source=source, line=int(lines[row]), column=labels[col])
    plain = text.str.replace(",", "", regex=False)
    values = plain.to_numpy(dtype=float).reshape(cells.shape)
    # Well-formed digits can still exceed the float range (400 digits): inf is never data.
    overflow = np.isinf(values)
    if overflow.any():
        row, col = np.unravel_index(int(np.argmax(overflow.ravel())), overflow.shape)
        raise DataFormatError(
            overflow_message(cells.iloc[row, col]),
            source=source,
            line=int(lines[row]),
            column=labels[col],
        )
    return values

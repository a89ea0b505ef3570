"""Cell-level parsing shared by the text-table readers: strict numbers and physical lines.

Japanese utilities write numbers as spreadsheets display them, so a file may
hold ``7650`` in one row and ``"8,707"`` (quoted, with a thousands separator)
in the next. :func:`parse_numbers` accepts exactly those two spellings, with an
optional sign and decimal part, and nothing else: no blanks, no ``nan``, no
exponents, no misplaced separators.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike

import numpy as np
import pandas as pd

from gxdlib.errors import DataFormatError

# ASCII digits, plain or grouped by three with commas ("1,046", "-12,345.6");
# full-width digits are refused, although Python's float() would take them.
_NUMBER = r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?"


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
        At the first (top-most, then left-most) cell that is empty or not a
        number, naming the line and column. A row whose every cell is empty is
        reported as such.

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
            message = f"expected a number, got {cells.iloc[row, col]!r}"
        raise DataFormatError(message, source=source, line=int(lines[row]), column=labels[col])
    plain = text.str.replace(",", "", regex=False)
    return plain.to_numpy(dtype=float).reshape(cells.shape)

"""Parse uploaded PACT JSON and purchase ledgers from bytes (dashboard uploads).

``parse_*`` reads a buffer, as in :mod:`gxdlib.io` generally: these functions
take the bytes and the file name a browser sent and return what
:func:`~gxdlib.io.pact.read_pact` and :func:`~gxdlib.io.purchases.read_purchases`
return for a file, with every error naming the uploaded file (not a temporary
path) and its line, column or JSON path.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from gxdlib.errors import DataFormatError
from gxdlib.footprint.model import ProductFootprint
from gxdlib.io.pact import load_json, parse_pact
from gxdlib.io.purchases import read_purchases

__all__ = ["LEDGER_SUFFIXES", "PACT_SUFFIXES", "parse_pact_upload", "parse_purchases"]

PACT_SUFFIXES: tuple[str, ...] = (".json",)
"""File endings accepted for PACT uploads."""

LEDGER_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".xlsm")
"""File endings accepted for ledger uploads (those :func:`read_purchases` reads)."""


def parse_pact_upload(data: bytes, name: str) -> list[ProductFootprint]:
    """Validate and normalise PACT ProductFootprints from the bytes of a JSON file.

    Parameters
    ----------
    data : bytes
        UTF-8 JSON (a byte-order mark is allowed): one ProductFootprint, a list
        of them, or a PACT API response ``{"data": [...]}``; specVersion 2.0 to
        2.3 or 3.0.
    name : str
        The file name, for messages.

    Returns
    -------
    list of ProductFootprint
        As :func:`gxdlib.io.read_pact` returns them.

    Raises
    ------
    DataFormatError
        The bytes are not UTF-8 or not JSON (naming the line), or repeat a key
        in an object (naming its JSON path): see :func:`gxdlib.io.pact.load_json`.
    ValidationError
        Summary naming ``name``; ``problems`` lists every offending JSON path.

    Examples
    --------
    >>> parse_pact_upload(b'{"specVersion": "9.0.0"}', "pcf.json")
    Traceback (most recent call last):
    ...
    gxdlib.errors.ValidationError: pcf.json: 1 problem(s) in 1 PACT ProductFootprint(s)
      - $.specVersion: '9.0.0' is not supported (2.0 to 2.3 and 3.0 are)
    """
    return parse_pact(load_json(data, name), source=name)


def parse_purchases(data: bytes, name: str) -> pd.DataFrame:
    """Read a purchase ledger from the bytes of a CSV or Excel file.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file name; its ending (``.csv``, ``.xlsx``, ``.xlsm``) selects the format.

    Returns
    -------
    pandas.DataFrame
        As :func:`gxdlib.io.read_purchases` returns it.

    Raises
    ------
    DataFormatError
        As :func:`~gxdlib.io.read_purchases`, naming ``name``, the line and the column.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in LEDGER_SUFFIXES:
        raise DataFormatError("expected a .csv, .xlsx or .xlsm ledger", source=name)
    # read_purchases reads files; a private temporary copy keeps its validation
    # in one place, and errors are re-issued under the uploaded name.
    with tempfile.TemporaryDirectory(prefix="gxd-ledger-") as folder:
        path = Path(folder) / f"ledger{suffix}"
        path.write_bytes(data)
        try:
            return read_purchases(path)
        except DataFormatError as exc:
            raise DataFormatError(
                exc.reason, source=name, line=exc.line, column=exc.column
            ) from exc

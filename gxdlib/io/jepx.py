"""Japan Electric Power Exchange (JEPX) day-ahead spot market files.

JEPX publishes, per fiscal year, a spot summary (``spot_summary_<FY>.csv``: one
row per delivery date and slot code 1-48, with bid and contracted volumes
[kWh], the system price and the nine area prices [JPY/kWh]) and a table of
avoidable costs and FIP reference prices (``fit_fip_<FY>.csv``). Source:
https://www.jepx.jp (market data, spot market).

Empty price cells are real: JEPX suspended trading in the Hokkaido area after
the blackout of 6 September 2018, so the FY2018 file has no Hokkaido price for
those days. They are kept as NaN, never filled, and counted in
``frame.attrs["empty_cells"]``.

Asked for one fiscal year (``fiscal_year=``), the readers refuse a row of
another fiscal year, naming its line, and a year that is incomplete, naming
the months present, unless ``partial=True``; the frame's ``attrs`` then say
which months it covers (:meth:`gxdlib.timeseries.YearCoverage.attrs`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import requests

from gxdlib.areas import AREA_NAMES_JA, AREAS
from gxdlib.errors import DataFormatError, GXDError, ValidationError
from gxdlib.io._tables import (
    PathOrPaths,
    SlotTable,
    as_path_list,
    combine_slot_tables,
    read_slot_table,
)
from gxdlib.timeseries import SLOT, jst_index, require_full_year
from gxdlib.timeseries import fiscal_year as fiscal_year_of

SPOT_COLUMNS: tuple[str, ...] = (
    "system",
    *AREAS,
    "sell_bid_kwh",
    "buy_bid_kwh",
    "contracted_kwh",
)
"""Columns of :func:`read_jepx_spot`: prices [JPY/kWh], then volumes [kWh]."""

_SPOT_HEADERS: dict[str, str] = {
    "売り入札量(kWh)": "sell_bid_kwh",
    "買い入札量(kWh)": "buy_bid_kwh",
    "約定総量(kWh)": "contracted_kwh",
    "システムプライス(円/kWh)": "system",
    **{f"エリアプライス{ja}(円/kWh)": area for area, ja in AREA_NAMES_JA.items()},
}
_SPOT_IGNORED = (
    "売りブロック入札総量(kWh)",
    "売りブロック約定総量(kWh)",
    "買いブロック入札総量(kWh)",
    "買いブロック約定総量(kWh)",
)

# JEPX has no negative prices or volumes. The floor is 0.01 JPY/kWh, yet the
# FY2016 file holds 26 area prices of 0.00 (Hokuriku on 4 June, Hokkaido on
# 12 June and 22 October 2016): they are kept as published, so zero is the bound.
_SPOT_MINIMUM = dict.fromkeys([*_SPOT_HEADERS, *_SPOT_IGNORED], 0.0)

_FIP_PLACES = {"national": "全国値", **AREA_NAMES_JA}
_FIP_HEADERS: dict[str, str] = {
    **{f"回避可能原価{ja}(円/kWh)": f"avoidable_cost_{place}" for place, ja in _FIP_PLACES.items()},
    **{
        f"FIP参照価格(卸電力取引市場分){ja}(円/kWh)": f"fip_reference_{place}"
        for place, ja in _FIP_PLACES.items()
    },
}

SPOT_URL = (
    "https://www.jepx.jp/js/csv_read.php?dir=spot_summary&file=spot_summary_{fiscal_year}.csv"
)
"""Where JEPX serves a fiscal year's spot summary."""
SPOT_REFERER = "https://www.jepx.jp/electricpower/market-data/spot/"
"""The page JEPX expects as the Referer of a download."""


def read_jepx_spot(
    paths: PathOrPaths, *, fiscal_year: int | None = None, partial: bool = False
) -> pd.DataFrame:
    """Read one or many JEPX spot summary CSVs.

    Parameters
    ----------
    paths : path or iterable of paths
        ``spot_summary_<FY>.csv`` files, UTF-8 (with or without BOM) or
        Shift-JIS (cp932), detected per file.
    fiscal_year : int, optional
        The fiscal year the files must hold (April to March): a row of another
        year is refused, and so is an incomplete year unless ``partial``.
    partial : bool
        With ``fiscal_year``, accept a year that lacks some slots.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``slot_start`` (tz-aware ``Asia/Tokyo``, 30-minute steps,
        sorted, unique); columns ``system`` and the nine areas [JPY/kWh], then
        ``sell_bid_kwh``, ``buy_bid_kwh``, ``contracted_kwh`` [kWh]. Empty
        cells stay NaN and are counted in ``attrs["empty_cells"]``. With
        ``fiscal_year``, ``attrs`` also holds ``fiscal_year``, ``months``
        (``"YYYY-MM"``), ``partial`` and ``coverage`` (a label such as
        ``"FY2023 (Apr 2023-Mar 2024)"``).

    Raises
    ------
    DataFormatError
        For an unknown or missing header, a row of the wrong width, a bad date
        or slot code, a cell that is not a finite number in ASCII digits, a
        missing or repeated slot, or a row outside ``fiscal_year``, naming the
        file and line.
    IncompleteYearError
        When ``fiscal_year`` is incomplete and ``partial`` is false, naming the
        months present.
    """
    return _read_tables(
        paths,
        SPOT_COLUMNS,
        fiscal_year,
        partial,
        date_headers=("受渡日",),
        columns=_SPOT_HEADERS,
        ignored=_SPOT_IGNORED,
        minimum=_SPOT_MINIMUM,
    )


def read_jepx_fip_reference(
    paths: PathOrPaths, *, fiscal_year: int | None = None, partial: bool = False
) -> pd.DataFrame:
    """Read JEPX's avoidable-cost and FIP reference price files.

    Parameters
    ----------
    paths : path or iterable of paths
        ``fit_fip_<FY>.csv`` files (FY2022 onwards).
    fiscal_year, partial
        As :func:`read_jepx_spot`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``slot_start`` like :func:`read_jepx_spot`; columns
        ``avoidable_cost_<place>`` and ``fip_reference_<place>`` [JPY/kWh] for
        ``national`` and the nine areas. The FIP reference here is the market
        component of the FIP reference price (卸電力取引市場分).

    Raises
    ------
    DataFormatError, IncompleteYearError
        As :func:`read_jepx_spot`.
    """
    columns = [
        f"{kind}_{place}" for kind in ("avoidable_cost", "fip_reference") for place in _FIP_PLACES
    ]
    return _read_tables(
        paths,
        columns,
        fiscal_year,
        partial,
        date_headers=("年月日", "受渡日"),
        columns=_FIP_HEADERS,
    )


def _read_tables(
    paths: PathOrPaths,
    order: Sequence[str],
    fiscal_year: int | None,
    partial: bool,
    **layout,
) -> pd.DataFrame:
    """Read, stack and order the tables of ``paths``; check the fiscal year asked for."""
    if fiscal_year is None and partial:
        raise ValidationError("partial=True needs fiscal_year: it says which year may be partial")
    tables = [read_slot_table(path, **layout) for path in as_path_list(paths)]
    if fiscal_year is not None:
        for table in tables:
            _check_fiscal_year(table, fiscal_year)
    frame = _ordered(combine_slot_tables(tables), order)
    if fiscal_year is not None:
        what = ", ".join(str(table.source) for table in tables)
        coverage = require_full_year(frame.index, fiscal_year, SLOT, partial=partial, what=what)
        frame.attrs.update(coverage.attrs())
    return frame


def _check_fiscal_year(table: SlotTable, fiscal_year: int) -> None:
    """Every row of ``table`` in ``fiscal_year``; the first one outside is named by its line."""
    starts = jst_index(table.slot_start)
    years = fiscal_year_of(starts).to_numpy()
    outside = years != fiscal_year
    if outside.any():
        row = int(np.flatnonzero(outside)[0])
        raise DataFormatError(
            f"the row is for FY{years[row]} ({starts[row]:%Y-%m-%d}); FY{fiscal_year} was asked "
            f"for (1 April {fiscal_year} to 31 March {fiscal_year + 1})",
            source=table.source,
            line=int(table.lines[row]),
            column=table.date_column,
        )


def _ordered(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    attrs = dict(frame.attrs)
    frame = frame.loc[:, list(columns)]
    frame.attrs.update(attrs)
    return frame


def get_jepx_spot(
    fiscal_year: int,
    cache_dir: str | os.PathLike | None = None,
    *,
    url: str = SPOT_URL,
    timeout_s: float = 60.0,
) -> pd.DataFrame:
    """Download a fiscal year's spot summary from JEPX, cache it and read it.

    Parameters
    ----------
    fiscal_year : int
        Fiscal year N (April N to March N+1).
    cache_dir : path, optional
        Where the file is kept; default ``$GXD_CACHE_DIR`` or
        ``~/.cache/gxdlib/jepx``. A cached file is read without downloading.
    url : str
        URL template with ``{fiscal_year}``; the default is JEPX's own.
    timeout_s : float
        Network timeout [s].

    Returns
    -------
    pandas.DataFrame
        As :func:`read_jepx_spot`.

    Raises
    ------
    GXDError
        When the download fails; :class:`DataFormatError` when the file
        downloaded is not a spot summary (it is then not cached).
    """
    if cache_dir is None:
        folder = Path(os.environ.get("GXD_CACHE_DIR") or Path.home() / ".cache" / "gxdlib") / "jepx"
    else:
        folder = Path(cache_dir)
    target = folder / f"spot_summary_{fiscal_year}.csv"
    if target.exists():
        return read_jepx_spot(target)
    address = url.format(fiscal_year=fiscal_year)
    try:
        response = requests.get(address, headers={"Referer": SPOT_REFERER}, timeout=timeout_s)
        response.raise_for_status()
    except requests.RequestException as exc:
        raise GXDError(f"could not download {address}: {exc}") from exc
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as part:
        part.write(response.content)
    part_path = Path(part.name)
    try:
        frame = read_jepx_spot(part_path)
    except DataFormatError as exc:
        part_path.unlink()
        raise DataFormatError(
            f"the download is not a JEPX spot summary: {exc.reason}", source=address
        ) from exc
    part_path.replace(target)
    return frame

"""Transmission operators' area supply-demand actuals (エリア需給実績).

Each general transmission and distribution operator publishes, for its area,
the hourly energy of demand and of each source: nuclear, thermal, hydro,
geothermal, biomass, solar and wind (each with the amount curtailed, 抑制量),
pumped storage and the interconnector flow, in MWh. Timestamps are JST and
label the hour they begin (``2022/4/1 0:00`` is 00:00-01:00). Sources: the
area pages of Kyushu Electric Power Transmission and Distribution, Tohoku
Electric Power Network and Kansai Transmission and Distribution; the files
under test are copies from the public repository ``ryomakom/renewable_energy``
(``data/``).

The files are Shift-JIS text and vary between utilities and across years: one
header row (``太陽光実績〔MWh〕``) or two (``太陽光`` on the row above
``実績〔MWh〕``), different column orders, different words for one quantity
(``揚水`` / ``揚水等``, ``火力`` / ``火力等``, ``連系線`` / ``連系線潮流``),
note lines above the header, blank rows, and numbers written ``"1,046"``.
Columns are therefore found by their header text, never by position.

The files do not name their area, so each area's :class:`TsoProfile` records
what tells its files apart: the column order its operator writes (Tohoku's
differs from Kyushu's and Kansai's) and whether the area has geothermal plants
(Kyushu's and Tohoku's produce in every hour of FY2016-2023; Kansai has none
and its files read 0 in every hour). A file that does not match the area asked
for is refused. Every row must also satisfy the area balance (demand = delivered
generation + pumped storage + interconnector flow) within the profile's
tolerance.

With ``fiscal_year=``, :func:`read_tso_actuals` refuses rows of another fiscal
year and a fiscal year that is not complete (the FY2023 files end in December
2023) unless ``partial=True``; the frame's ``attrs`` then say which months it
covers (:class:`gxdlib.timeseries.YearCoverage`).

Adding an area means adding its :class:`TsoProfile` to :data:`TSO_PROFILES`:
the header words it uses for each quantity, the units its numbers are in, its
column order, whether it has geothermal output, and its balance tolerance.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from io import StringIO
from os import PathLike
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from gxdlib.areas import AREAS
from gxdlib.errors import DataFormatError, MissingDataError, ValidationError
from gxdlib.io._tables import check_row_widths, detect_encoding, normalise_header, read_bytes
from gxdlib.io._text import parse_numbers, split_lines
from gxdlib.timeseries import (
    HOUR,
    fiscal_year_bounds,
    jst_index,
    jst_label,
    jst_time_of_day_ns,
    require_full_year,
    utc_ns_from_jst_wall,
)

TSO_COLUMNS: tuple[str, ...] = (
    "demand_mwh",
    "nuclear_mwh",
    "thermal_mwh",
    "hydro_mwh",
    "geothermal_mwh",
    "biomass_mwh",
    "solar_mwh",
    "solar_curtailed_mwh",
    "wind_mwh",
    "wind_curtailed_mwh",
    "pumped_storage_mwh",
    "interconnector_mwh",
)
"""Columns of :func:`read_tso_actuals`, every one energy per hour [MWh]."""

BALANCE_SUPPLY_COLUMNS: tuple[str, ...] = tuple(
    c for c in TSO_COLUMNS if c != "demand_mwh" and not c.endswith("_curtailed_mwh")
)
"""The columns whose sum is area demand (curtailed output was not delivered)."""


@dataclass(frozen=True)
class TsoProfile:
    """How one utility writes its area actuals.

    Attributes
    ----------
    timestamp_header : str
        Text of the first header cell, above the ``YYYY/M/D H:MM`` timestamps.
    labels : Mapping[str, str]
        Header label to column of :data:`TSO_COLUMNS`. A label is the text of
        the group row above (if any) followed by the header cell, with blanks
        and the unit removed and full-width forms folded (NFKC): ``太陽光`` over
        ``実績〔MWh〕`` and a single ``太陽光実績〔MWh〕`` both give ``太陽光実績``.
    units_to_mwh : Mapping[str, float]
        Unit written in the header brackets to its factor to MWh.
    name : str
        The area's name for messages (``Kyushu``).
    column_orders : tuple of tuple of str
        The orders of :data:`TSO_COLUMNS` in which the operator writes its
        value columns; a file in another order is refused as not the area's.
    has_geothermal : bool
        Whether the area has geothermal plants: if so a file whose geothermal
        column is 0 in every hour is refused, if not any hour above 0 is.
    balance_tolerance_mwh : float
        Largest ``|demand - sum of BALANCE_SUPPLY_COLUMNS|`` accepted in a row
        [MWh].
    """

    timestamp_header: str
    labels: Mapping[str, str]
    units_to_mwh: Mapping[str, float]
    name: str
    column_orders: tuple[tuple[str, ...], ...]
    has_geothermal: bool
    balance_tolerance_mwh: float


_VOCABULARY_2016 = MappingProxyType(
    {
        "エリア需要": "demand_mwh",
        "原子力": "nuclear_mwh",
        "火力": "thermal_mwh",
        # 火力等: thermal plus output of unknown type; Kansai's FY2021 file notes
        # that it counts unclassified output as 火力 too.
        "火力等": "thermal_mwh",
        "水力": "hydro_mwh",
        "地熱": "geothermal_mwh",
        "バイオマス": "biomass_mwh",
        "太陽光実績": "solar_mwh",
        "太陽光抑制量": "solar_curtailed_mwh",
        "風力実績": "wind_mwh",
        "風力抑制量": "wind_curtailed_mwh",
        "揚水": "pumped_storage_mwh",
        "揚水等": "pumped_storage_mwh",
        "連系線": "interconnector_mwh",
        "連系線潮流": "interconnector_mwh",
    }
)

# Kyushu and Kansai write demand, nuclear, thermal, hydro, geothermal, biomass,
# solar (actual, curtailed), wind (actual, curtailed), pumped storage and
# interconnector under a two-row header; Tohoku writes one row in its own order.
# Both held in every file from FY2016 (the first year at hand) to FY2023.
_KYUSHU_KANSAI_ORDER = TSO_COLUMNS
_TOHOKU_ORDER = (
    "demand_mwh",
    "hydro_mwh",
    "thermal_mwh",
    "nuclear_mwh",
    "solar_mwh",
    "solar_curtailed_mwh",
    "wind_mwh",
    "wind_curtailed_mwh",
    "geothermal_mwh",
    "biomass_mwh",
    "pumped_storage_mwh",
    "interconnector_mwh",
)
_MWH = MappingProxyType({"MWh": 1.0})
# Kyushu and Tohoku balance exactly (their integer columns sum to demand in every
# row of FY2016-2023); the tolerance only absorbs float addition of decimals.
_EXACT_MWH = 1e-6
# Kansai rounds demand and its nine supply columns to whole MWh each, so a row's
# residual can reach 10 x 0.5 = 5 MWh; the largest over FY2016-2023 is 3 MWh.
_KANSAI_ROUNDING_MWH = 5.0

TSO_PROFILES: Mapping[str, TsoProfile] = MappingProxyType(
    {
        "kyushu": TsoProfile(
            "DATE_TIME", _VOCABULARY_2016, _MWH, "Kyushu", (_KYUSHU_KANSAI_ORDER,), True, _EXACT_MWH
        ),
        "tohoku": TsoProfile(
            "DATE_TIME", _VOCABULARY_2016, _MWH, "Tohoku", (_TOHOKU_ORDER,), True, _EXACT_MWH
        ),
        # Kansai's files read 0 geothermal in every hour of FY2016-2023, Kyushu's
        # at least 38 MWh and Tohoku's at least 33 MWh in every hour.
        "kansai": TsoProfile(
            "DATE_TIME",
            _VOCABULARY_2016,
            _MWH,
            "Kansai",
            (_KYUSHU_KANSAI_ORDER,),
            False,
            _KANSAI_ROUNDING_MWH,
        ),
    }
)
"""Areas :func:`read_tso_actuals` can read, with the profile of each."""

_SUFFIXES = (".csv", ".txt")
_HEADER_SEARCH_LINES = 50
# Tohoku writes one or two blanks between date and hour.
_TIMESTAMP = r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}\s+[0-9]{1,2}:[0-9]{2}"
_UNIT = re.compile(r"(?P<name>.*?)[〔\[(](?P<unit>[^〔〕\[\]()]+)[〕\])]")


def read_tso_actuals(
    paths: str | PathLike | Iterable[str | PathLike],
    area: str,
    *,
    fiscal_year: int | None = None,
    partial: bool = False,
) -> pd.DataFrame:
    """Read an operator's hourly area supply-demand actuals from one or more files.

    Parameters
    ----------
    paths : str, path-like or iterable of them
        CSV or text files as published, or folders: a folder stands for every
        ``*.csv`` and ``*.txt`` file directly inside it.
    area : str
        The area whose operator wrote the files, one of :data:`TSO_PROFILES`
        (``kyushu``, ``tohoku``, ``kansai``). It selects the header
        vocabulary, and each file must match the area's signature (column
        order, geothermal output; see :class:`TsoProfile`).
    fiscal_year : int, optional
        The fiscal year the files are meant to cover (April to March). Rows of
        another fiscal year are refused, and so is a fiscal year that lacks
        any hour, unless ``partial``.
    partial : bool
        Accept an incomplete ``fiscal_year`` (the FY2023 files end in
        December 2023); the frame's ``attrs`` say which months it covers.

    Returns
    -------
    pandas.DataFrame
        Index ``hour_start``: tz-aware ``Asia/Tokyo`` hour starts, sorted and
        unique. Columns :data:`TSO_COLUMNS`, float, energy in the hour [MWh]:
        ``demand_mwh`` (area demand), ``nuclear_mwh``, ``thermal_mwh``,
        ``hydro_mwh``, ``geothermal_mwh``, ``biomass_mwh``, ``solar_mwh`` and
        ``wind_mwh`` (delivered), ``solar_curtailed_mwh`` and
        ``wind_curtailed_mwh`` (curtailed output), ``pumped_storage_mwh``
        (negative while pumping) and ``interconnector_mwh`` (net inflow into
        the area, negative when exporting). Demand is the sum of the delivered
        sources, pumped storage and the interconnector flow in every row:
        exactly in the Kyushu and Tohoku files, within 5 MWh (rounding) in
        Kansai's. Hours that no file covers are absent, not filled.
        ``attrs["area"]`` is the area; with ``fiscal_year``, ``attrs`` also
        holds ``fiscal_year``, ``months`` (``"YYYY-MM"`` present), ``partial``
        (bool) and ``coverage`` (a label such as ``"FY2023, Apr-Dec 2023 only
        (9 of 12 months)"``) from :meth:`gxdlib.timeseries.YearCoverage.attrs`.

    Raises
    ------
    ValidationError
        If ``area`` has no profile; the message lists the areas that have.
    MissingDataError
        If a path does not exist or a folder holds no ``.csv``/``.txt`` file.
    DataFormatError
        Naming the file and 1-based line: text that is neither UTF-8 nor
        Shift-JIS, no header row, an unknown, repeated or missing header,
        rows of the wrong width, malformed or non-hourly timestamps, empty or
        non-numeric cells, an hour repeated or missing inside a file, a file
        not made of whole days, or one hour given different values by two
        files (both are named). Blank rows (only commas) are skipped; nothing
        else is dropped. An hour repeated with identical values in two files
        (overlapping downloads) is kept once. Also a file that is not the
        area's (another operator's column order, geothermal output where the
        area has none or none where it has), a row whose balance residual
        exceeds the area's tolerance (the residual is named), and, with
        ``fiscal_year``, a row of another fiscal year.
    IncompleteYearError
        With ``fiscal_year`` and not ``partial``, when an hour of that fiscal
        year is missing; the message names the months present.

    Examples
    --------
    One day in Tohoku's one-row layout, solar rising by 100 MWh an hour and
    thermal falling as much, geothermal steady, demand balanced:

    >>> import tempfile
    >>> words = ["エリア需要", "水力", "火力", "原子力", "太陽光実績", "太陽光抑制量",
    ...          "風力実績", "風力抑制量", "地熱", "バイオマス", "揚水", "連系線"]
    >>> header = "DATE_TIME," + ",".join(f"{w}〔MWh〕" for w in words)
    >>> rows = [f"2022/4/1 {h}:00,8000,0,{7900 - 100 * h},0,{100 * h},0,0,0,100,0,0,0"
    ...         for h in range(24)]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "juyo_2022_tohoku_1Q.txt"
    ...     _ = path.write_bytes("\\r\\n".join([header, *rows]).encode("cp932"))
    ...     frame = read_tso_actuals(path, "tohoku")
    >>> frame.index[12]
    Timestamp('2022-04-01 12:00:00+0900', tz='Asia/Tokyo')
    >>> frame["solar_mwh"].iloc[11:14].tolist()
    [1100.0, 1200.0, 1300.0]
    """
    profile = _profile(area)
    tables = [_read_file(path, profile) for path in _expand_paths(paths)]
    if fiscal_year is not None:
        for table in tables:
            _check_fiscal_year(table, fiscal_year)
    frame = _merge(tables)
    frame.attrs["area"] = area
    if fiscal_year is not None:
        what = f"TSO actuals {area} ({', '.join(sorted({t.source.name for t in tables}))})"
        coverage = require_full_year(frame.index, fiscal_year, HOUR, partial=partial, what=what)
        frame.attrs.update(coverage.attrs())
    return frame


def _profile(area: str) -> TsoProfile:
    if area in TSO_PROFILES:
        return TSO_PROFILES[area]
    known = ", ".join(sorted(TSO_PROFILES))
    if area in AREAS:
        raise ValidationError(
            f"no TSO file profile for area {area!r} yet; areas that can be read: {known}"
        )
    raise ValidationError(f"unknown area {area!r}; areas that can be read: {known}")


def _expand_paths(paths: str | PathLike | Iterable[str | PathLike]) -> list[Path]:
    if isinstance(paths, str | PathLike):
        paths = [paths]
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES)
            if not found:
                raise MissingDataError(f"{path}: no .csv or .txt files in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise MissingDataError(
                f"{path}: no such file; the area actuals are published on each "
                "transmission operator's web site (エリア需給実績)"
            )
    if not files:
        raise ValidationError("no files given")
    return files


@dataclass(frozen=True)
class _HourTable:
    """One file's data rows: hour starts (UTC ns), line numbers, values in TSO_COLUMNS order."""

    source: Path
    hour_ns: np.ndarray
    lines: np.ndarray
    values: np.ndarray


def _read_file(path: Path, profile: TsoProfile) -> _HourTable:
    raw, lines = _read_lines(path)
    header_at = _find_header(lines, profile, path)
    check_row_widths(raw, path, header_lines=header_at)
    header, positions = _read_header(lines, header_at, profile, path)

    body = lines.loc[header_at + 1 :]
    body = body[~body.str.fullmatch(r"[\s,]*")]
    if body.empty:
        raise DataFormatError("no data rows below the header", source=path, line=header_at)
    cells = _cells(body, path)
    line_numbers = body.index.to_numpy()
    hour_ns = _hour_starts(cells.iloc[:, 0], line_numbers, path, header.iloc[0])
    _check_consecutive(hour_ns, line_numbers, path)
    value_cells = cells.iloc[:, [p for p, _, _ in positions]]
    labels = [header.iloc[p] for p, _, _ in positions]
    values = parse_numbers(value_cells, line_numbers, path, labels)
    values = values * np.array([factor for _, _, factor in positions])
    where = {column: i for i, (_, column, _) in enumerate(positions)}
    table = _HourTable(path, hour_ns, line_numbers, values[:, [where[c] for c in TSO_COLUMNS]])
    # The area's signature first: another area's file would otherwise be
    # reported as out of balance rather than as the wrong area.
    _check_geothermal(table, profile)
    _check_balance(table, profile)
    return table


def _read_lines(path: Path) -> tuple[bytes, pd.Series]:
    """The file's bytes and its decoded lines (indexed by line number), checked for CSV use."""
    raw = read_bytes(path)
    text = raw.decode(detect_encoding(raw, path))
    lines = split_lines(text)
    # A quote left open or a lone carriage return would make the CSV parser join
    # or split lines, and every later line number would be wrong.
    unbalanced = lines.str.count('"') % 2 == 1
    if unbalanced.any():
        raise DataFormatError("unbalanced double quote", source=path, line=_first(unbalanced))
    stray = lines.str.contains("\r", regex=False)
    if stray.any():
        raise DataFormatError("carriage return inside a line", source=path, line=_first(stray))
    return raw, lines


def _read_header(
    lines: pd.Series, header_at: int, profile: TsoProfile, path: Path
) -> tuple[pd.Series, list[tuple[int, str, float]]]:
    """Header cells and value positions; a row above with an empty first cell is a group row."""
    header = _fields(lines.loc[header_at])
    group = None
    if header_at - 1 in lines.index:
        above = _fields(lines.loc[header_at - 1])
        if above.iloc[0].strip() == "" and (above.str.strip() != "").any():
            if len(above) != len(header):
                raise DataFormatError(
                    f"the row above the header has {len(above)} fields, the header {len(header)}",
                    source=path,
                    line=header_at - 1,
                )
            group = above
    return header, _value_positions(header, group, profile, path, header_at)


def _cells(lines: pd.Series, path: Path) -> pd.DataFrame:
    """CSV cells of ``lines`` as text, one row per line, index kept (quotes honoured).

    Raises
    ------
    DataFormatError
        When the CSV parser finds a row of another width than the first (a
        quote in the middle of a field can hide a comma from the byte count
        of :func:`check_row_widths`), naming the file line.
    """
    try:
        frame = pd.read_csv(
            StringIO("\n".join(lines)),
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        found = re.search(r"in line (\d+), saw (\d+)", str(exc))
        line = int(lines.index[int(found.group(1)) - 1]) if found else None
        detail = f"the row has {found.group(2)} fields" if found else str(exc)
        raise DataFormatError(f"malformed CSV row: {detail}", source=path, line=line) from exc
    return frame.set_axis(lines.index, axis=0)


def _fields(line: str) -> pd.Series:
    """The CSV fields of one line, as text."""
    return pd.Series(next(csv.reader([line])), dtype=str)


def _first(mask: pd.Series) -> int:
    return int(mask.index[mask.to_numpy()][0])


def _find_header(lines: pd.Series, profile: TsoProfile, path: Path) -> int:
    """Line number of the header row: the first whose first cell is the timestamp header."""
    head = lines.iloc[:_HEADER_SEARCH_LINES]
    first_cell = head.str.split(",", n=1).str[0].str.strip('" \t\u3000')
    is_header = first_cell.map(normalise_header) == profile.timestamp_header
    is_data = first_cell.str.fullmatch(r"\s*" + _TIMESTAMP + r"\s*")
    if is_header.any():
        header_at = _first(is_header)
        if is_data.loc[:header_at].any():
            raise DataFormatError(
                "a data row above the header row", source=path, line=_first(is_data)
            )
        return header_at
    line = _first(is_data) - 1 if is_data.any() else 1
    raise DataFormatError(
        f"no header row: expected a line starting with {profile.timestamp_header!r} "
        f"within the first {_HEADER_SEARCH_LINES} lines, above the first timestamp",
        source=path,
        line=max(line, 1),
    )


def _value_positions(
    header: pd.Series, group: pd.Series | None, profile: TsoProfile, path: Path, line: int
) -> list[tuple[int, str, float]]:
    """(position, output column, factor to MWh) of every value column, checked complete."""
    found: dict[str, int] = {}
    positions = []
    for position in range(1, len(header)):
        cell = normalise_header(header.iloc[position])
        prefix = "" if group is None else normalise_header(group.iloc[position])
        match = _UNIT.fullmatch(cell)
        name, unit = (match["name"], match["unit"]) if match else (cell, None)
        label = prefix + name
        column = profile.labels.get(label)
        raw = (
            header.iloc[position]
            if group is None
            else f"{group.iloc[position]} / {header.iloc[position]}"
        )
        if column is None:
            raise DataFormatError(
                f"unknown header {raw!r} (read as {label!r}); known: {sorted(profile.labels)}",
                source=path,
                line=line,
                column=header.iloc[position],
            )
        if unit not in profile.units_to_mwh:
            raise DataFormatError(
                f"header {raw!r} gives unit {unit!r}; expected one of "
                f"{sorted(profile.units_to_mwh)} in brackets, e.g. 〔MWh〕",
                source=path,
                line=line,
                column=header.iloc[position],
            )
        if column in found:
            raise DataFormatError(
                f"header {raw!r} names {column} again (already column {found[column] + 1})",
                source=path,
                line=line,
                column=header.iloc[position],
            )
        found[column] = position
        positions.append((position, column, profile.units_to_mwh[unit]))
    missing = [c for c in TSO_COLUMNS if c not in found]
    if missing:
        wanted = {c: sorted(k for k, v in profile.labels.items() if v == c) for c in missing}
        raise DataFormatError(
            f"the header lacks {missing}; expected labels {wanted}", source=path, line=line
        )
    order = tuple(column for _, column, _ in positions)
    if order not in profile.column_orders:
        others = [p.name for p in TSO_PROFILES.values() if order in p.column_orders]
        hint = f"; that is the order of {', '.join(others)}'s files" if others else ""
        raise DataFormatError(
            f"columns in the order {list(order)}, not the order {profile.name}'s operator "
            f"writes ({[list(o) for o in profile.column_orders]}){hint}: is this another "
            "area's file?",
            source=path,
            line=line,
        )
    return positions


def _hour_starts(cells: pd.Series, lines: np.ndarray, path: Path, label: str) -> np.ndarray:
    """Hour starts as int64 UTC nanoseconds, from JST ``YYYY/M/D H:00`` text."""
    text = cells.str.strip()
    # The regex keeps the format strict (two-digit minutes, nothing else);
    # to_datetime then rejects impossible dates and hours such as 2/30 or 24:00.
    stamps = pd.to_datetime(text, format="%Y/%m/%d %H:%M", errors="coerce")
    bad = stamps.isna().to_numpy() | ~text.str.fullmatch(_TIMESTAMP).to_numpy(dtype=bool)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataFormatError(
            f"expected a timestamp YYYY/M/D H:00, got {cells.iloc[i]!r}",
            source=path,
            line=int(lines[i]),
            column=label,
        )
    off_hour = (stamps.dt.minute != 0).to_numpy()
    if off_hour.any():
        i = int(np.flatnonzero(off_hour)[0])
        raise DataFormatError(
            f"expected a whole hour, got {cells.iloc[i]!r}",
            source=path,
            line=int(lines[i]),
            column=label,
        )
    return utc_ns_from_jst_wall(stamps.to_numpy().astype("datetime64[ns]").astype(np.int64))


def _check_consecutive(hour_ns: np.ndarray, lines: np.ndarray, path: Path) -> None:
    """Rows run hour by hour without gaps or repeats and cover whole JST days."""
    steps = np.diff(hour_ns)
    wrong = np.flatnonzero(steps != HOUR.value)
    if wrong.size:
        i = int(wrong[0])
        before, after = jst_label(hour_ns[i]), jst_label(hour_ns[i + 1])
        if steps[i] == 0:
            reason = f"hour {after} repeats line {lines[i]}"
        elif steps[i] < 0:
            reason = f"hour {after} comes after {before} (line {lines[i]}): rows out of order"
        else:
            reason = f"hours missing between {before} (line {lines[i]}) and {after}"
        raise DataFormatError(reason, source=path, line=int(lines[i + 1]))
    if jst_time_of_day_ns(hour_ns[0]) != 0:
        raise DataFormatError(
            f"the file must hold whole days; its first hour is {jst_label(hour_ns[0])}, not 0:00",
            source=path,
            line=int(lines[0]),
        )
    if jst_time_of_day_ns(hour_ns[-1]) != pd.Timedelta(days=1).value - HOUR.value:
        raise DataFormatError(
            f"the file must hold whole days; its last hour is {jst_label(hour_ns[-1])}, not 23:00",
            source=path,
            line=int(lines[-1]),
        )


def _check_geothermal(table: _HourTable, profile: TsoProfile) -> None:
    """Geothermal output where the area has plants, none where it has not."""
    geothermal = table.values[:, TSO_COLUMNS.index("geothermal_mwh")]
    if profile.has_geothermal and not geothermal.any():
        raise DataFormatError(
            f"geothermal_mwh is 0 in every hour, but {profile.name}'s geothermal plants "
            "produce in every hour: is this another area's file (Kansai's read 0)?",
            source=table.source,
            line=int(table.lines[0]),
            column="geothermal_mwh",
        )
    if not profile.has_geothermal and geothermal.any():
        i = int(np.flatnonzero(geothermal)[0])
        raise DataFormatError(
            f"geothermal_mwh = {geothermal[i]:g}, but {profile.name}'s files have no "
            "geothermal output: is this another area's file?",
            source=table.source,
            line=int(table.lines[i]),
            column="geothermal_mwh",
        )


def _check_balance(table: _HourTable, profile: TsoProfile) -> None:
    """Demand equals delivered generation, pumped storage and interconnector flow, row by row."""
    supply = [TSO_COLUMNS.index(c) for c in BALANCE_SUPPLY_COLUMNS]
    residual = table.values[:, 0] - table.values[:, supply].sum(axis=1)
    broken = np.flatnonzero(np.abs(residual) > profile.balance_tolerance_mwh)
    if broken.size:
        i = int(broken[0])
        raise DataFormatError(
            f"area balance broken: demand {table.values[i, 0]:g} MWh minus the sum of "
            f"{', '.join(BALANCE_SUPPLY_COLUMNS)} leaves {residual[i]:+g} MWh; "
            f"{profile.name}'s files balance within {profile.balance_tolerance_mwh:g} MWh "
            f"({broken.size} rows of this file do not)",
            source=table.source,
            line=int(table.lines[i]),
            column="demand_mwh",
        )


def _check_fiscal_year(table: _HourTable, year: int) -> None:
    """Every row of the file lies in fiscal year ``year``."""
    start, end = (bound.value for bound in fiscal_year_bounds(year))
    outside = np.flatnonzero((table.hour_ns < start) | (table.hour_ns >= end))
    if outside.size:
        i = int(outside[0])
        raise DataFormatError(
            f"hour {jst_label(table.hour_ns[i])} is not in FY{year} (April {year} to March "
            f"{year + 1}), the fiscal year asked for: the file holds another fiscal year "
            f"({outside.size} rows outside FY{year})",
            source=table.source,
            line=int(table.lines[i]),
        )


def _merge(tables: list[_HourTable]) -> pd.DataFrame:
    """Stack files; an hour in several files must carry identical values and is kept once."""
    hour_ns = np.concatenate([t.hour_ns for t in tables])
    lines = np.concatenate([t.lines for t in tables])
    file_no = np.concatenate([np.full(t.hour_ns.size, k) for k, t in enumerate(tables)])
    values = np.concatenate([t.values for t in tables])
    order = np.argsort(hour_ns, kind="stable")
    hour_ns, lines, file_no, values = hour_ns[order], lines[order], file_no[order], values[order]
    repeat = np.concatenate(([False], hour_ns[1:] == hour_ns[:-1]))
    differs = repeat & np.concatenate(([False], (values[1:] != values[:-1]).any(axis=1)))
    if differs.any():
        i = int(np.flatnonzero(differs)[0])
        k = int(np.flatnonzero(values[i] != values[i - 1])[0])
        column, earlier = TSO_COLUMNS[k], tables[file_no[i - 1]].source
        raise DataFormatError(
            f"hour {jst_label(hour_ns[i])} has {column} = {values[i - 1, k]:g} in {earlier} "
            f"(line {lines[i - 1]}) but {values[i, k]:g} here",
            source=tables[file_no[i]].source,
            line=int(lines[i]),
            column=column,
        )
    keep = ~repeat
    return pd.DataFrame(
        values[keep], index=jst_index(hour_ns[keep], "hour_start"), columns=list(TSO_COLUMNS)
    )

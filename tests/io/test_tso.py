"""TSO area actuals reader: every real file, independent totals, and hand-made edge cases.

Independent figures are computed here with ``bytes.decode`` and the ``csv``
module over column positions read off the published headers, never through
the reader.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gxdlib.errors import DataFormatError, IncompleteYearError, MissingDataError, ValidationError
from gxdlib.io.tso import BALANCE_SUPPLY_COLUMNS, TSO_COLUMNS, TSO_PROFILES, read_tso_actuals
from gxdlib.timeseries import HOUR, TZ, fiscal_year, fiscal_year_bounds, require_regular
from tests.conftest import real_data_dir

AREAS_WITH_DATA = ("kyushu", "tohoku", "kansai")


def real_files() -> list[tuple[str, str]]:
    """(area, file name) of every real file, for parametrising; empty without the data."""
    root = real_data_dir()
    if root is None or not (root / "tso").is_dir():
        return []
    return [
        (area, path.name)
        for area in AREAS_WITH_DATA
        for path in sorted((root / "tso" / area).iterdir())
    ]


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("cp932"))))


def data_rows(rows: list[list[str]]) -> list[list[str]]:
    return [row for row in rows if row and row[0][:1].isdigit()]


# --------------------------------------------------------------------------- real files


@pytest.fixture(scope="module")
def area_frame(tso_dir: Path):
    """Every file of an area read once per module: area -> frame."""
    frames: dict[str, pd.DataFrame] = {}

    def read(area: str) -> pd.DataFrame:
        if area not in frames:
            frames[area] = read_tso_actuals(tso_dir / area, area)
        return frames[area]

    return read


@pytest.mark.realdata
@pytest.mark.parametrize(("area", "name"), real_files())
def test_every_real_file_reads(tso_dir: Path, area: str, name: str) -> None:
    path = tso_dir / area / name
    frame = read_tso_actuals(path, area)
    rows = data_rows(csv_rows(path))

    assert list(frame.columns) == list(TSO_COLUMNS)
    assert len(frame) == len(rows)
    assert frame.index.name == "hour_start"
    assert str(frame.index.tz) == TZ
    require_regular(frame.index, HOUR, name)
    first = pd.Timestamp(" ".join(rows[0][0].split()).replace("/", "-"), tz=TZ)
    assert frame.index[0] == first
    assert frame.notna().all().all()
    assert (frame.dtypes == np.float64).all()


# Column positions of solar actual and curtailed, read off the published headers.
SOLAR_POSITIONS = {"kyushu": (7, 8), "kansai": (7, 8), "tohoku": (5, 6)}
YEAR_FILES = {
    ("kyushu", 2018): [f"area_jyukyu_jisseki_H30_{q}Q.csv" for q in range(1, 5)],
    ("kyushu", 2022): [f"area_jyukyu_jisseki_2022_{q}Q.csv" for q in range(1, 5)],
    ("tohoku", 2017): [f"juyo_2017_tohoku_{q}Q.txt" for q in range(1, 5)],
    ("tohoku", 2022): [f"juyo_2022_tohoku_{q}Q.txt" for q in range(1, 5)],
    ("kansai", 2019): ["area_jyukyu_jisseki_2019.csv"],
    ("kansai", 2021): ["area_jyukyu_jisseki_2021.csv"],
}


def independent_solar_totals(tso_dir: Path, area: str, names: list[str]) -> tuple[float, float]:
    solar_at, curtailed_at = SOLAR_POSITIONS[area]
    solar = curtailed = 0.0
    for name in names:
        rows = csv_rows(tso_dir / area / name)
        header = next(row for row in rows if row and row[0] == "DATE_TIME")
        assert "実績" in header[solar_at] and "抑制量" in header[curtailed_at]
        for row in data_rows(rows):
            solar += float(row[solar_at].replace(",", ""))
            curtailed += float(row[curtailed_at].replace(",", ""))
    return solar, curtailed


@pytest.mark.realdata
@pytest.mark.parametrize(("area", "year"), sorted(YEAR_FILES))
def test_fiscal_year_solar_totals(tso_dir: Path, area_frame, area: str, year: int) -> None:
    solar, curtailed = independent_solar_totals(tso_dir, area, YEAR_FILES[area, year])
    frame = area_frame(area)
    in_year = frame[fiscal_year(frame.index) == year]

    start, end = fiscal_year_bounds(year)
    assert len(in_year) == (end - start) // HOUR
    assert in_year["solar_mwh"].sum() == pytest.approx(solar, rel=1e-12)
    assert in_year["solar_curtailed_mwh"].sum() == pytest.approx(curtailed, rel=1e-12)


@pytest.mark.realdata
def test_kyushu_curtailment_begins_in_fy2018(area_frame) -> None:
    # Kyushu first curtailed solar in October 2018; the files carry zeros before.
    frame = area_frame("kyushu")
    first = frame.index[frame["solar_curtailed_mwh"] > 0][0]
    assert (first.year, first.month) == (2018, 10)


@pytest.mark.realdata
@pytest.mark.parametrize("area", AREAS_WITH_DATA)
def test_whole_area_index(area_frame, area: str) -> None:
    frame = area_frame(area)
    index = require_regular(frame.index, HOUR, area)
    assert index.is_unique and index.is_monotonic_increasing
    assert index[0] == pd.Timestamp("2016-04-01 00:00", tz=TZ)
    assert index[-1] == pd.Timestamp("2023-12-31 23:00", tz=TZ)
    assert len(index) == (index[-1] - index[0]) // HOUR + 1


@pytest.mark.realdata
def test_quoted_thousands_and_decimals(tso_dir: Path) -> None:
    kansai = read_tso_actuals(tso_dir / "kansai" / "area_jyukyu_jisseki_2021.csv", "kansai")
    # Line 7349: 2022/2/1 0:00,17041,4143,"10,285",518,...
    assert kansai.loc[pd.Timestamp("2022-02-01 00:00", tz=TZ), "thermal_mwh"] == 10_285.0
    kyushu = read_tso_actuals(tso_dir / "kyushu" / "area_jyukyu_jisseki_2019_1Q.csv", "kyushu")
    # Line 11: 2019/4/1 8:00,...,2387,333.6,...
    assert kyushu.loc[pd.Timestamp("2019-04-01 08:00", tz=TZ), "solar_curtailed_mwh"] == 333.6


@pytest.mark.realdata
def test_overlapping_real_files_merge(tso_dir: Path) -> None:
    path = tso_dir / "tohoku" / "juyo_2022_tohoku_1Q.txt"
    once = read_tso_actuals(path, "tohoku")
    twice = read_tso_actuals([path, str(path)], "tohoku")
    pd.testing.assert_frame_equal(once, twice)


# --------------------------------------------------------------------------- hand-made files

ONE_ROW_HEADER = [
    "DATE_TIME,エリア需要〔MWh〕,水力〔MWh〕,火力〔MWh〕,原子力〔MWh〕,太陽光実績〔MWh〕,"
    "太陽光抑制量〔MWh〕,風力実績〔MWh〕,風力抑制量〔MWh〕,地熱〔MWh〕,バイオマス〔MWh〕,"
    "揚水〔MWh〕,連系線〔MWh〕"
]
ONE_ROW_ORDER = (0, 3, 2, 1, 6, 7, 8, 9, 4, 5, 10, 11)  # TSO_COLUMNS positions, file order
TWO_ROW_HEADER = [
    "・発電実績は、電源種別が不明なものは火力に含んでおります。,,,,,,,,,,,,",
    ",,,,,,,,,,,,",
    ",,,,,,,太陽光,太陽光,風力,風力,,",
    "DATE_TIME,エリア需要〔MWh〕,原子力〔MWh〕,火力等〔MWh〕,水力〔MWh〕,地熱〔MWh〕,"
    "バイオマス〔MWh〕,実績〔MWh〕,抑制量〔MWh〕,実績〔MWh〕,抑制量〔MWh〕,揚水等〔MWh〕,"
    "連系線潮流〔MWh〕",
]
TWO_ROW_ORDER = tuple(range(12))


def hand_values(start: str, days: int, geothermal: bool = True) -> pd.DataFrame:
    """Distinct values per hour and column, 100 * column + hour number, in balance.

    Thermal is what balances the row: demand minus the other supply columns.
    Without ``geothermal`` (a Kansai-like file) that column is 0.
    """
    hourly = pd.date_range(start, periods=24 * days, freq="h", tz=TZ, name="hour_start", unit="ns")
    index = pd.DatetimeIndex(hourly, freq=None)  # the reader sets no freq
    hours = np.arange(len(index), dtype=float)
    values = {c: 100.0 * k + hours for k, c in enumerate(TSO_COLUMNS)}
    values["demand_mwh"] = 10_000.0 + hours  # four digits and up: thousands separators
    values["interconnector_mwh"] = -1_500.0 - hours
    if not geothermal:
        values["geothermal_mwh"] = 0.0 * hours
    others = [c for c in BALANCE_SUPPLY_COLUMNS if c != "thermal_mwh"]
    values["thermal_mwh"] = values["demand_mwh"] - sum(values[c] for c in others)
    return pd.DataFrame(values, index=index)


def format_rows(frame: pd.DataFrame, order: tuple[int, ...], quoted: bool) -> list[str]:
    rows = []
    for stamp, values in zip(frame.index, frame.to_numpy(), strict=True):
        cells = [f"{stamp.year}/{stamp.month}/{stamp.day} {stamp.hour}:00"]
        for k in order:
            v = values[k]
            cells.append(f'"{v:,.0f}"' if quoted and abs(v) >= 1000 else f"{v:.0f}")
        rows.append(",".join(cells))
    return rows


def write(path: Path, lines: list[str], encoding: str = "cp932") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def one_row_file(path: Path, frame: pd.DataFrame) -> Path:
    return write(path, ONE_ROW_HEADER + format_rows(frame, ONE_ROW_ORDER, quoted=False))


def two_row_file(path: Path, frame: pd.DataFrame) -> Path:
    return write(path, TWO_ROW_HEADER + format_rows(frame, TWO_ROW_ORDER, quoted=True))


def test_one_row_header(tmp_path: Path) -> None:
    expected = hand_values("2022-04-01", 1)
    lines = [
        ONE_ROW_HEADER[0],
        # Tohoku writes two blanks between date and hour in some quarters.
        "2022/4/1  0:00,7887,1812,8072,0,0,0,46,0,116,41,0,-2200",
        *format_rows(expected, ONE_ROW_ORDER, quoted=False)[1:],
    ]
    frame = read_tso_actuals(write(tmp_path / "juyo.txt", lines), "tohoku")

    first = frame.iloc[0]
    assert frame.index[0] == pd.Timestamp("2022-04-01 00:00", tz=TZ)  # hour beginning
    assert (first.demand_mwh, first.hydro_mwh, first.thermal_mwh) == (7887, 1812, 8072)
    assert (first.wind_mwh, first.geothermal_mwh, first.biomass_mwh) == (46, 116, 41)
    assert first.interconnector_mwh == -2200
    pd.testing.assert_frame_equal(frame.iloc[1:], expected.iloc[1:])


def test_two_row_header_with_notes_quotes_and_blank_rows(tmp_path: Path) -> None:
    expected = hand_values("2019-01-01", 2)
    rows = format_rows(expected, TWO_ROW_ORDER, quoted=True)
    assert rows[0].startswith('2019/1/1 0:00,"10,000",100,"7,800",300,')
    lines = TWO_ROW_HEADER + rows[:30] + [",,,,,,,,,,,,"] + rows[30:] + [",,,,,,,,,,,,"] * 3
    frame = read_tso_actuals(write(tmp_path / "kyushu.csv", lines), "kyushu")
    pd.testing.assert_frame_equal(frame, expected)


def test_layouts_agree(tmp_path: Path) -> None:
    expected = hand_values("2020-02-28", 3)  # across 29 February
    one = read_tso_actuals(one_row_file(tmp_path / "a.txt", expected), "tohoku")
    two = read_tso_actuals(two_row_file(tmp_path / "b.csv", expected), "kyushu")
    pd.testing.assert_frame_equal(one, expected)
    pd.testing.assert_frame_equal(two, expected)
    no_geothermal = hand_values("2020-02-28", 3, geothermal=False)
    kansai = read_tso_actuals(two_row_file(tmp_path / "c.csv", no_geothermal), "kansai")
    pd.testing.assert_frame_equal(kansai, no_geothermal)


def test_utf8_copy_reads_the_same(tmp_path: Path) -> None:
    expected = hand_values("2022-04-01", 1, geothermal=False)
    lines = TWO_ROW_HEADER + format_rows(expected, TWO_ROW_ORDER, quoted=True)
    frame = read_tso_actuals(write(tmp_path / "utf8.csv", lines, "utf-8"), "kansai")
    pd.testing.assert_frame_equal(frame, expected)


def test_utf16_is_refused(tmp_path: Path) -> None:
    lines = TWO_ROW_HEADER + format_rows(hand_values("2022-04-01", 1), TWO_ROW_ORDER, True)
    with pytest.raises(DataFormatError, match="utf16.csv"):
        read_tso_actuals(write(tmp_path / "utf16.csv", lines, "utf-16"), "kansai")


def test_overlap_with_identical_values_merges(tmp_path: Path) -> None:
    values = hand_values("2022-04-01", 3)
    first = two_row_file(tmp_path / "first.csv", values.iloc[:48])
    second = two_row_file(tmp_path / "second.csv", values.iloc[24:])
    frame = read_tso_actuals([second, first], "kyushu")
    pd.testing.assert_frame_equal(frame, values)


def test_overlap_with_different_values_raises(tmp_path: Path) -> None:
    values = hand_values("2022-04-01", 3)
    changed = values.copy()
    # Solar up and wind down by as much: the row still balances, the files differ.
    changed.iloc[30, TSO_COLUMNS.index("solar_mwh")] += 1.0
    changed.iloc[30, TSO_COLUMNS.index("wind_mwh")] -= 1.0
    first = two_row_file(tmp_path / "first.csv", values.iloc[:48])
    second = two_row_file(tmp_path / "second.csv", changed.iloc[24:])
    with pytest.raises(DataFormatError) as caught:
        read_tso_actuals([first, second], "kyushu")
    error = caught.value
    message = str(error)
    assert "first.csv" in message and "second.csv" in message
    assert "2022-04-02 06:00" in message and "solar_mwh" in message
    assert error.source == str(second)
    assert error.line == len(TWO_ROW_HEADER) + 7  # the 7th data row of the second file


def test_separate_files_leave_a_gap(tmp_path: Path) -> None:
    values = hand_values("2022-04-01", 3)
    a = one_row_file(tmp_path / "a.txt", values.iloc[:24])
    b = one_row_file(tmp_path / "b.txt", values.iloc[48:])
    frame = read_tso_actuals([a, b], "tohoku")
    pd.testing.assert_frame_equal(frame, values.iloc[np.r_[0:24, 48:72]])


def test_folder_reads_its_csv_and_txt_files(tmp_path: Path) -> None:
    values = hand_values("2022-04-01", 2)
    two_row_file(tmp_path / "a.txt", values.iloc[:24])
    two_row_file(tmp_path / "b.csv", values.iloc[24:])
    (tmp_path / "README.md").write_text("not data")
    pd.testing.assert_frame_equal(read_tso_actuals(tmp_path, "kyushu"), values)
    pd.testing.assert_frame_equal(read_tso_actuals(str(tmp_path), "kyushu"), values)


def test_absent_paths(tmp_path: Path) -> None:
    with pytest.raises(MissingDataError, match="nothing.csv"):
        read_tso_actuals(tmp_path / "nothing.csv", "kyushu")
    with pytest.raises(MissingDataError, match="no .csv or .txt"):
        read_tso_actuals(tmp_path, "kyushu")
    with pytest.raises(ValidationError, match="no files"):
        read_tso_actuals([], "kyushu")


def test_areas() -> None:
    assert set(TSO_PROFILES) == set(AREAS_WITH_DATA)
    with pytest.raises(ValidationError, match="kansai, kyushu, tohoku"):
        read_tso_actuals("x.csv", "atlantis")
    with pytest.raises(ValidationError, match="no TSO file profile for area 'tokyo'"):
        read_tso_actuals("x.csv", "tokyo")


# --------------------------------------------------------------------------- malformed files


def malformed(tmp_path: Path, replace: dict[int, str], drop: tuple[int, ...] = ()) -> Path:
    """A two-row-header day (header on line 4, data on lines 5-28), lines replaced or dropped."""
    lines = TWO_ROW_HEADER + format_rows(hand_values("2022-04-01", 1), TWO_ROW_ORDER, True)
    lines = [replace.get(n, text) for n, text in enumerate(lines, start=1)]
    return write(tmp_path / "bad.csv", [t for n, t in enumerate(lines, start=1) if n not in drop])


ROW_7 = '2022/4/1 2:00,"10,002",102,"7,790",302,402,502,602,702,802,902,"1,002","-1,502"'


def test_row_7_is_the_third_hour() -> None:
    rows = format_rows(hand_values("2022-04-01", 1), TWO_ROW_ORDER, quoted=True)
    assert (TWO_ROW_HEADER + rows)[6] == ROW_7


@pytest.mark.parametrize(
    ("replace", "drop", "line", "pattern"),
    [
        ({7: ROW_7.replace("402", "abc")}, (), 7, "expected a number, got 'abc'"),
        ({7: ROW_7.replace(",402,", ",,")}, (), 7, "empty cell"),
        ({7: ROW_7.replace('"10,002"', '"10,02"')}, (), 7, "expected a number"),
        ({7: "2022/4/1 2:00" + "," * 12}, (), 7, "the row has no values"),
        ({7: ROW_7.replace("2022/4/1 2:00", "2022/4/31 2:00")}, (), 7, "expected a timestamp"),
        ({7: ROW_7.replace("2022/4/1 2:00", "2022-04-01 02:00")}, (), 7, "expected a timestamp"),
        ({7: ROW_7.replace("2:00", "2:30")}, (), 7, "whole hour"),
        ({7: ROW_7.replace(',"-1,502"', "")}, (), 7, "fields"),
        ({7: ROW_7 + ",0"}, (), 7, "fields"),
        ({7: ROW_7.replace('"-1,502"', '"-1,502')}, (), 7, "unbalanced"),
        # A quote inside a field is literal to the CSV parser, so its comma splits the field.
        ({7: ROW_7.replace('"-1,502"', 'x"-1,502"')}, (), 7, "the row has 14 fields"),
        ({}, (7,), 7, "hours missing between 2022-04-01 01:00"),
        ({7: ",,,,,,,,,,,,"}, (), 8, "hours missing"),
        ({8: ROW_7}, (), 8, "repeats line 7"),
        ({}, (5,), 5, "first hour is 2022-04-01 01:00"),
        ({}, (28,), 27, "last hour is 2022-04-01 22:00"),
        ({4: TWO_ROW_HEADER[3].replace("地熱", "蓄電池")}, (), 4, "unknown header"),
        ({3: TWO_ROW_HEADER[2].replace(",風力,風力", ",風力,太陽光")}, (), 4, "solar_curtailed"),
        ({4: TWO_ROW_HEADER[3].replace("水力〔MWh〕", "水力")}, (), 4, "unit None"),
        ({4: TWO_ROW_HEADER[3].replace("水力〔MWh〕", "水力〔kWh〕")}, (), 4, "unit 'kWh'"),
        ({4: TWO_ROW_HEADER[3].replace("DATE_TIME", "DATE")}, (), 4, "no header row"),
        ({2: ROW_7}, (), 2, "a data row above the header"),
    ],
)
def test_malformed_file_names_the_line(
    tmp_path: Path, replace: dict[int, str], drop: tuple[int, ...], line: int, pattern: str
) -> None:
    path = malformed(tmp_path, replace, drop)
    with pytest.raises(DataFormatError, match=pattern) as caught:
        read_tso_actuals(path, "kyushu")
    assert caught.value.source == str(path)
    assert caught.value.line == line


def test_missing_column_raises(tmp_path: Path) -> None:
    # Every published file so far carries all twelve quantities; a file without
    # one is refused rather than read with a column of NaN.
    header = ONE_ROW_HEADER[0].rsplit(",", 1)[0]
    rows = [
        r.rsplit(",", 1)[0] for r in format_rows(hand_values("2022-04-01", 1), ONE_ROW_ORDER, False)
    ]
    path = write(tmp_path / "short.txt", [header, *rows])
    with pytest.raises(DataFormatError, match="lacks \\['interconnector_mwh'\\]") as caught:
        read_tso_actuals(path, "tohoku")
    assert caught.value.line == 1


def test_empty_body_raises(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.csv", TWO_ROW_HEADER + [",,,,,,,,,,,,"])
    with pytest.raises(DataFormatError, match="no data rows") as caught:
        read_tso_actuals(path, "kansai")
    assert caught.value.line == 4


def test_utf8_bom_before_shift_jis_text(tmp_path: Path) -> None:
    lines = TWO_ROW_HEADER + format_rows(hand_values("2022-04-01", 1), TWO_ROW_ORDER, True)
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(lines)).encode("cp932"))
    with pytest.raises(DataFormatError, match="not valid utf-8-sig") as caught:
        read_tso_actuals(path, "kansai")
    assert caught.value.line == 1


@pytest.mark.realdata
@pytest.mark.parametrize(("area", "tolerance_mwh"), [("kyushu", 0), ("tohoku", 0), ("kansai", 3)])
def test_area_balance(area_frame, area: str, tolerance_mwh: float) -> None:
    # Demand = delivered sources + pumped storage + interconnector inflow, hour by
    # hour: a column mapped to the wrong quantity (or sign) would break this.
    frame = area_frame(area)
    supply = frame.drop(columns=["demand_mwh", "solar_curtailed_mwh", "wind_curtailed_mwh"])
    residual = frame["demand_mwh"] - supply.sum(axis=1)
    assert residual.abs().max() <= tolerance_mwh


# --------------------------------------------------------------------------- balance identity

# Value columns by header position, read off the published headers (TSO_COLUMNS names).
KYUSHU_KANSAI_POSITIONS = {column: k + 1 for k, column in enumerate(TSO_COLUMNS)}
TOHOKU_POSITIONS = {
    "demand_mwh": 1,
    "hydro_mwh": 2,
    "thermal_mwh": 3,
    "nuclear_mwh": 4,
    "solar_mwh": 5,
    "wind_mwh": 7,
    "geothermal_mwh": 9,
    "biomass_mwh": 10,
    "pumped_storage_mwh": 11,
    "interconnector_mwh": 12,
}
POSITIONS = {"kyushu": KYUSHU_KANSAI_POSITIONS, "kansai": KYUSHU_KANSAI_POSITIONS}
POSITIONS["tohoku"] = TOHOKU_POSITIONS
# The largest |residual| measured over every row of FY2016-2023 (by this test's parse).
MEASURED_MAX_RESIDUAL_MWH = {"kyushu": 0.0, "tohoku": 0.0, "kansai": 3.0}


def independent_residuals(path: Path, area: str) -> np.ndarray:
    """demand - sum of delivered sources, pumped storage and interconnector, row by row."""
    at = POSITIONS[area]
    residuals = []
    for row in data_rows(csv_rows(path)):
        number = {c: float(row[k].replace(",", "")) for c, k in at.items()}
        residuals.append(number["demand_mwh"] - sum(number[c] for c in BALANCE_SUPPLY_COLUMNS))
    return np.array(residuals)


@pytest.mark.realdata
@pytest.mark.parametrize("area", AREAS_WITH_DATA)
def test_balance_identity_on_every_real_row(tso_dir: Path, area: str) -> None:
    paths = sorted((tso_dir / area).iterdir())
    residuals = np.concatenate([independent_residuals(path, area) for path in paths])
    assert np.abs(residuals).max() == MEASURED_MAX_RESIDUAL_MWH[area]
    assert np.abs(residuals).max() <= TSO_PROFILES[area].balance_tolerance_mwh
    # And the reader accepts every file, which it would not if one row broke the identity.
    assert len(read_tso_actuals(paths, area)) == residuals.size


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("area", "name", "asked"),
    [
        (area, name, asked)
        for area, name in real_files()
        for asked in AREAS_WITH_DATA
        if asked != area
    ],
)
def test_real_file_read_as_another_area_is_refused(
    tso_dir: Path, area: str, name: str, asked: str
) -> None:
    with pytest.raises(DataFormatError, match="another area's file") as caught:
        read_tso_actuals(tso_dir / area / name, asked)
    assert caught.value.source == str(tso_dir / area / name)
    assert caught.value.line is not None


def test_broken_balance_names_the_line_and_residual(tmp_path: Path) -> None:
    values = hand_values("2022-04-01", 1)
    values.iloc[5, TSO_COLUMNS.index("hydro_mwh")] += 7.0  # demand now 7 MWh short
    path = two_row_file(tmp_path / "unbalanced.csv", values)
    with pytest.raises(DataFormatError, match=r"leaves -7 MWh") as caught:
        read_tso_actuals(path, "kyushu")
    assert caught.value.line == len(TWO_ROW_HEADER) + 6
    assert caught.value.column == "demand_mwh"


def test_kansai_rounding_is_tolerated_up_to_five_mwh(tmp_path: Path) -> None:
    values = hand_values("2022-04-01", 1, geothermal=False)
    values.iloc[3, TSO_COLUMNS.index("demand_mwh")] += 5.0
    frame = read_tso_actuals(two_row_file(tmp_path / "k.csv", values), "kansai")
    pd.testing.assert_frame_equal(frame, values)
    values.iloc[3, TSO_COLUMNS.index("demand_mwh")] += 1.0
    with pytest.raises(DataFormatError, match=r"leaves \+6 MWh") as caught:
        read_tso_actuals(two_row_file(tmp_path / "k.csv", values), "kansai")
    assert caught.value.line == len(TWO_ROW_HEADER) + 4
    # Read as Kyushu's, the file is refused as another area's before its balance is checked.
    with pytest.raises(DataFormatError, match="geothermal_mwh is 0 in every hour"):
        read_tso_actuals(two_row_file(tmp_path / "k.csv", values), "kyushu")


# --------------------------------------------------------------------------- area signature


def test_geothermal_signature(tmp_path: Path) -> None:
    with_geothermal = two_row_file(tmp_path / "g.csv", hand_values("2022-04-01", 1))
    with pytest.raises(DataFormatError, match="geothermal_mwh = 400, but Kansai") as caught:
        read_tso_actuals(with_geothermal, "kansai")
    assert caught.value.line == len(TWO_ROW_HEADER) + 1
    without = two_row_file(tmp_path / "n.csv", hand_values("2022-04-01", 1, geothermal=False))
    with pytest.raises(DataFormatError, match="0 in every hour, but Kyushu"):
        read_tso_actuals(without, "kyushu")


def test_column_order_signature(tmp_path: Path) -> None:
    tohoku_like = one_row_file(tmp_path / "t.txt", hand_values("2022-04-01", 1))
    with pytest.raises(DataFormatError, match="that is the order of Tohoku's files") as caught:
        read_tso_actuals(tohoku_like, "kyushu")
    assert caught.value.line == 1
    kyushu_like = two_row_file(tmp_path / "k.csv", hand_values("2022-04-01", 1))
    with pytest.raises(DataFormatError, match="Kyushu, Kansai's files"):
        read_tso_actuals(kyushu_like, "tohoku")


# --------------------------------------------------------------------------- fiscal year


@pytest.mark.realdata
def test_partial_fiscal_year_is_refused_naming_the_months(tso_dir: Path) -> None:
    paths = sorted((tso_dir / "kyushu").glob("area_jyukyu_jisseki_2023_?Q.csv"))
    with pytest.raises(IncompleteYearError, match=r"FY2023, Apr-Dec 2023 only \(9 of 12") as caught:
        read_tso_actuals(paths, "kyushu", fiscal_year=2023)
    assert caught.value.months == tuple(f"2023-{m:02d}" for m in range(4, 13))
    assert "partial=True" in str(caught.value)

    frame = read_tso_actuals(paths, "kyushu", fiscal_year=2023, partial=True)
    assert (
        len(frame)
        == (pd.Timestamp("2024-01-01", tz=TZ) - pd.Timestamp("2023-04-01", tz=TZ)) // HOUR
    )
    assert frame.attrs["months"] == [f"2023-{m:02d}" for m in range(4, 13)]
    assert frame.attrs["partial"] is True
    assert frame.attrs["coverage"] == "FY2023, Apr-Dec 2023 only (9 of 12 months)"
    assert frame.attrs["area"] == "kyushu" and frame.attrs["fiscal_year"] == 2023


@pytest.mark.realdata
def test_complete_fiscal_year_attrs(tso_dir: Path) -> None:
    frame = read_tso_actuals(
        tso_dir / "kansai" / "area_jyukyu_jisseki_2022.csv", "kansai", fiscal_year=2022
    )
    assert len(frame) == 8760
    assert frame.attrs["partial"] is False
    assert frame.attrs["coverage"] == "FY2022 (Apr 2022-Mar 2023)"
    assert len(frame.attrs["months"]) == 12


@pytest.mark.realdata
def test_a_file_of_another_fiscal_year_is_refused(tso_dir: Path) -> None:
    path = tso_dir / "tohoku" / "juyo_2022_tohoku_4Q.txt"
    with pytest.raises(DataFormatError, match="not in FY2023") as caught:
        read_tso_actuals(path, "tohoku", fiscal_year=2023)
    assert caught.value.source == str(path)
    assert caught.value.line == 2  # the first data row, 2023/1/1 0:00
    assert "2023-01-01 00:00 JST" in str(caught.value)


def test_rows_outside_the_fiscal_year_name_the_first_line(tmp_path: Path) -> None:
    # Two days across 1 April: the first day belongs to FY2021.
    path = two_row_file(tmp_path / "across.csv", hand_values("2022-03-31", 2))
    with pytest.raises(DataFormatError, match="2022-03-31 00:00 JST is not in FY2022") as caught:
        read_tso_actuals(path, "kyushu", fiscal_year=2022)
    assert caught.value.line == len(TWO_ROW_HEADER) + 1
    with pytest.raises(DataFormatError, match="2022-04-01 00:00 JST is not in FY2021") as caught:
        read_tso_actuals(path, "kyushu", fiscal_year=2021)
    assert caught.value.line == len(TWO_ROW_HEADER) + 25


def test_one_day_is_a_partial_year(tmp_path: Path) -> None:
    path = two_row_file(tmp_path / "day.csv", hand_values("2022-04-01", 1))
    with pytest.raises(IncompleteYearError, match=r"FY2022, Apr 2022 only \(1 of 12"):
        read_tso_actuals(path, "kyushu", fiscal_year=2022)
    frame = read_tso_actuals(path, "kyushu", fiscal_year=2022, partial=True)
    assert frame.attrs["months"] == ["2022-04"] and frame.attrs["partial"] is True
    assert "fiscal_year" not in read_tso_actuals(path, "kyushu").attrs

"""Fuzzing the TSO reader with corrupted copies of slices of real files.

Each slice is a real file's preamble and header followed by eight whole days
(192 rows) of its data, written as published (Shift-JIS, CRLF). The slices
cover Kyushu's two-row header with quoted thousands, Tohoku's one-row header
with double blanks in its timestamps, and Kansai's note lines above a two-row
header.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxdlib.errors import DataFormatError
from gxdlib.io.tso import BALANCE_SUPPLY_COLUMNS, TSO_PROFILES, read_tso_actuals

pytestmark = pytest.mark.realdata

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAYS = 8

# (area, file, first timestamp of the slice as written in the file)
SOURCES = (
    ("kyushu", "kyushu/area_jyukyu_jisseki_H30_4Q.csv", "2019/3/12 0:00"),
    ("tohoku", "tohoku/juyo_2016_tohoku_3Q.txt", "2016/10/1  0:00"),
    ("kansai", "kansai/area_jyukyu_jisseki_2021.csv", "2022/2/1 0:00"),
)


@dataclass(frozen=True)
class Slice:
    area: str
    head: list[str]  # preamble and header lines
    rows: list[str]  # data lines
    frame: pd.DataFrame  # the clean slice as read

    @property
    def header(self) -> list[str]:
        return split(self.head[-1])

    def line_of_row(self, row: int) -> int:
        return len(self.head) + row + 1


def split(line: str) -> list[str]:
    return next(csv.reader([line]))


def join(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def encode(lines: list[str], encoding: str = "cp932") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def count_data_lines(raw: bytes) -> int:
    """Lines below the ``DATE_TIME`` header that hold any digit."""
    lines = raw.decode("cp932", errors="replace").split("\n")
    header_at = next(i for i, line in enumerate(lines) if line.startswith("DATE_TIME"))
    return sum(1 for line in lines[header_at + 1 :] if re.search("[0-9]", line))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tso_fuzz")


@pytest.fixture(scope="module")
def slices(tso_dir: Path, workdir: Path) -> list[Slice]:
    result = []
    for area, name, first in SOURCES:
        lines = (tso_dir / name).read_bytes().decode("cp932").split("\r\n")
        start = next(i for i, line in enumerate(lines) if line.startswith(first + ","))
        header_at = next(i for i, line in enumerate(lines) if line.startswith("DATE_TIME,"))
        head, rows = lines[: header_at + 1], lines[start : start + 24 * DAYS]
        path = workdir / f"clean_{area}.csv"
        path.write_bytes(encode(head + rows))
        frame = read_tso_actuals(path, area)
        assert len(frame) == 24 * DAYS
        result.append(Slice(area, head, rows, frame))
    return result


def read(workdir: Path, piece: Slice, raw: bytes) -> pd.DataFrame:
    path = workdir / "case.csv"
    path.write_bytes(raw)
    return read_tso_actuals(path, piece.area)


def expect_error(workdir: Path, piece: Slice, raw: bytes, line: int | None) -> DataFormatError:
    with pytest.raises(DataFormatError) as caught:
        read(workdir, piece, raw)
    error = caught.value
    assert error.source == str(workdir / "case.csv")
    if line is not None:
        assert error.line == line, str(error)
    return error


pick_slice = st.integers(0, len(SOURCES) - 1)
pick_row = st.integers(0, 24 * DAYS - 1)
pick_column = st.integers(1, 12)


@FUZZ
@given(which=pick_slice, row=pick_row, data=st.data())
def test_truncated_row(workdir: Path, slices: list[Slice], which: int, row: int, data) -> None:
    piece = slices[which]
    text = piece.rows[row]
    # Cut anywhere from just after the first character to the last comma, so at
    # least one field is lost (cutting inside the last number is undetectable).
    cut = data.draw(st.integers(1, text.rindex(",")))
    rows = piece.rows[:row] + [text[:cut]] + piece.rows[row + 1 :]
    expect_error(workdir, piece, encode(piece.head + rows), piece.line_of_row(row))


@FUZZ
@given(which=pick_slice, column=pick_column, word=st.text("ABCxyz_蓄電池他計合", min_size=1))
def test_renamed_header(
    workdir: Path, slices: list[Slice], which: int, column: int, word: str
) -> None:
    piece = slices[which]
    header = piece.header
    header[column] = f"{word}〔MWh〕"
    error = expect_error(
        workdir, piece, encode([*piece.head[:-1], join(header)] + piece.rows), None
    )
    assert error.line == len(piece.head)
    assert "unknown header" in str(error)


@FUZZ
@given(which=pick_slice, pair=st.lists(pick_column, min_size=2, max_size=2, unique=True))
def test_header_copied_onto_another_column(
    workdir: Path, slices: list[Slice], which: int, pair: list[int]
) -> None:
    piece = slices[which]
    source, target = pair
    head = [split(line) for line in piece.head]
    for cells in head[-2:]:  # the group row (when there is one) and the header row
        if len(cells) == len(head[-1]):
            cells[target] = cells[source]
    error = expect_error(workdir, piece, encode([join(c) for c in head] + piece.rows), None)
    assert error.line == len(piece.head)
    assert "again" in str(error)


@FUZZ
@given(which=pick_slice, pair=st.lists(pick_column, min_size=2, max_size=2, unique=True))
def test_swapped_columns_are_not_the_operators_layout(
    workdir: Path, slices: list[Slice], which: int, pair: list[int]
) -> None:
    # Headers and data swapped together: every value keeps its label, but no
    # operator writes that order, so the file is refused as another area's.
    piece = slices[which]
    i, j = pair
    lines = []
    for line in piece.head + piece.rows:
        cells = split(line)
        cells[i], cells[j] = cells[j], cells[i]
        lines.append(join(cells))
    error = expect_error(workdir, piece, encode(lines), len(piece.head))
    assert "another area's file" in str(error)


@settings(FUZZ, max_examples=30)
@given(
    which=pick_slice,
    row=pick_row,
    column=pick_column,
    delta=st.integers(-3000, 3000).filter(lambda d: abs(d) > 5),
)
def test_one_row_out_of_balance_is_refused(
    workdir: Path, slices: list[Slice], which: int, row: int, column: int, delta: int
) -> None:
    piece = slices[which]
    header = piece.header
    cells = split(piece.rows[row])
    value = float(cells[column].replace(",", "")) + delta
    cells[column] = f"{value:.0f}" if value == int(value) else f"{value}"
    rows = piece.rows[:row] + [join(cells)] + piece.rows[row + 1 :]
    raw = encode(piece.head + rows)
    if "抑制量" in header[column]:  # curtailment (both layouts): the identity does not see it
        frame = read(workdir, piece, raw)
        assert frame.iloc[row].sum() - piece.frame.iloc[row].sum() == pytest.approx(delta)
        return
    clean = piece.frame.iloc[row]
    before = clean["demand_mwh"] - clean[list(BALANCE_SUPPLY_COLUMNS)].sum()
    after = before + (delta if header[column].startswith("エリア需要") else -delta)
    if abs(after) <= TSO_PROFILES[piece.area].balance_tolerance_mwh:
        # Kansai's rows are off by up to 3 MWh from rounding, so a change of
        # 6 MWh or more can leave one within its 5 MWh tolerance.
        assert piece.area == "kansai"
        read(workdir, piece, raw)
        return
    error = expect_error(workdir, piece, raw, piece.line_of_row(row))
    if "area balance broken" not in str(error):
        # Kansai's geothermal 0 made positive is refused as another area's file first.
        assert header[column].startswith("地熱") and "another area's file" in str(error)
        return
    assert f"leaves {after:+g} MWh" in str(error)


@settings(FUZZ, max_examples=9)
@given(which=pick_slice, asked=st.sampled_from(["kyushu", "tohoku", "kansai"]))
def test_a_slice_read_as_another_area(
    workdir: Path, slices: list[Slice], which: int, asked: str
) -> None:
    piece = slices[which]
    path = workdir / "case.csv"
    path.write_bytes(encode(piece.head + piece.rows))
    if asked == piece.area:
        pd.testing.assert_frame_equal(read_tso_actuals(path, asked), piece.frame)
        return
    with pytest.raises(DataFormatError, match="another area's file"):
        read_tso_actuals(path, asked)


def _cp932(text: str) -> bool:
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


BAD_TOKENS = ["", " ", "abc", "1.2.3", "--5", "1,23", "12a", "N/A", "－5", "1e3", "nan", "inf"]
BAD_TOKENS += ["５", "0x10", "1_000", "+-1", ".5", "5.", "1,0000", "△100", "-"]
assert all(map(_cp932, BAD_TOKENS))
# Any text with a character no number has (control characters excluded: NUL is
# refused for the whole file, not for a line).
free_text = st.text(
    st.characters(blacklist_characters=',"\r\n', blacklist_categories=["Cs", "Cc"]), min_size=1
).filter(lambda t: re.search(r"[^0-9+\-.,\s]", t) is not None and _cp932(t))


@FUZZ
@given(
    which=pick_slice,
    row=pick_row,
    column=pick_column,
    token=st.one_of(st.sampled_from(BAD_TOKENS), free_text),
)
def test_non_numeric_cell(
    workdir: Path, slices: list[Slice], which: int, row: int, column: int, token: str
) -> None:
    piece = slices[which]
    cells = split(piece.rows[row])
    cells[column] = token
    rows = piece.rows[:row] + [join(cells)] + piece.rows[row + 1 :]
    error = expect_error(workdir, piece, encode(piece.head + rows), piece.line_of_row(row))
    assert error.column == piece.header[column]


@FUZZ
@given(which=pick_slice, encoding=st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32"]))
def test_utf16_and_utf32_are_refused(
    workdir: Path, slices: list[Slice], which: int, encoding: str
) -> None:
    piece = slices[which]
    expect_error(workdir, piece, encode(piece.head + piece.rows, encoding), None)


@FUZZ
@given(which=pick_slice, encoding=st.sampled_from(["euc-jp", "iso-2022-jp", "utf-8", "utf-8-sig"]))
def test_other_japanese_encodings(
    workdir: Path, slices: list[Slice], which: int, encoding: str
) -> None:
    piece = slices[which]
    raw = encode(piece.head + piece.rows, encoding)
    if encoding.startswith("utf-8"):
        pd.testing.assert_frame_equal(read(workdir, piece, raw), piece.frame)
    else:  # decodes as neither, or as cp932 mojibake whose header is unknown
        expect_error(workdir, piece, raw, None)


@FUZZ
@given(which=pick_slice, row=pick_row)
def test_duplicated_row(workdir: Path, slices: list[Slice], which: int, row: int) -> None:
    piece = slices[which]
    rows = piece.rows[: row + 1] + piece.rows[row:]
    error = expect_error(workdir, piece, encode(piece.head + rows), piece.line_of_row(row + 1))
    assert f"repeats line {piece.line_of_row(row)}" in str(error)


@FUZZ
@given(which=pick_slice, row=pick_row)
def test_deleted_row(workdir: Path, slices: list[Slice], which: int, row: int) -> None:
    piece = slices[which]
    rows = piece.rows[:row] + piece.rows[row + 1 :]
    # The row that takes the deleted one's place is reported; at the end, the new last row.
    expect_error(
        workdir, piece, encode(piece.head + rows), piece.line_of_row(min(row, len(rows) - 1))
    )


@FUZZ
@given(
    which=pick_slice,
    blanks=st.lists(
        st.tuples(pick_row, st.sampled_from(["", ",,,,,,,,,,,,", " ,\u3000,,,,,,,,,,, "])),
        max_size=5,
    ),
    lf=st.booleans(),
)
def test_blank_rows_and_line_endings_keep_every_hour(
    workdir: Path, slices: list[Slice], which: int, blanks: list[tuple[int, str]], lf: bool
) -> None:
    # A blank row is an empty line or one of empty cells, as many as the header has.
    piece = slices[which]
    rows = list(piece.rows)
    for position, blank in sorted(blanks, reverse=True):
        rows.insert(position, blank)
    raw = encode(piece.head + rows)
    if lf:
        raw = raw.replace(b"\r\n", b"\n").rstrip(b"\n")
    pd.testing.assert_frame_equal(read(workdir, piece, raw), piece.frame)


@FUZZ
@given(
    which=pick_slice, edits=st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=3)), max_size=3)
)
def test_random_bytes_raise_or_keep_every_hour(
    workdir: Path, slices: list[Slice], which: int, edits: list[tuple[float, bytes]]
) -> None:
    """Overwrite random bytes: the read fails with a DataFormatError or returns one hour per row."""
    piece = slices[which]
    raw = bytearray(encode(piece.head + piece.rows))
    for where, replacement in edits:
        at = int(where * (len(raw) - 1))
        raw[at : at + max(len(replacement), 1)] = replacement
    raw = bytes(raw)
    try:
        frame = read(workdir, piece, raw)
    except DataFormatError as error:
        assert error.source == str(workdir / "case.csv")
        assert error.line is not None or "NUL" in str(error), str(error)
    else:
        assert len(frame) == count_data_lines(raw)
        assert frame.index.is_unique and frame.index.is_monotonic_increasing

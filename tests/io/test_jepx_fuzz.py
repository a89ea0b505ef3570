"""Property tests: corrupted copies of a real JEPX file are refused, naming the line.

Each example starts from the header and the first two days (96 slots) of the
real FY2022 spot summary, applies one corruption and reads the result. The
reader must either raise a :class:`DataFormatError` that names the file and
the corrupted line, or (for harmless edits) return exactly the slots the file
holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxdlib.io import read_jepx_spot
from gxdlib.testing import assert_refused, assert_slot_index

pytestmark = pytest.mark.realdata

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
DATA_LINES = range(2, 98)  # 1-based line numbers of the 96 data rows


@pytest.fixture(scope="module")
def two_days(jepx_dir: Path) -> list[str]:
    text = (jepx_dir / "spot_summary_2022.csv").read_text(encoding="utf-8-sig")
    return text.splitlines()[:97]


def _write(tmp_path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / "corrupt.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _refused_at(path: Path, line: int) -> None:
    assert_refused(read_jepx_spot, path, source=str(path), line=line)


@FUZZ
@given(line=st.sampled_from(DATA_LINES), keep=st.integers(min_value=1, max_value=18))
def test_truncated_row(tmp_path, two_days, line, keep) -> None:
    lines = list(two_days)
    lines[line - 1] = ",".join(lines[line - 1].split(",")[:keep])
    _refused_at(_write(tmp_path, lines), line)


@FUZZ
@given(
    line=st.sampled_from(DATA_LINES),
    column=st.integers(min_value=1, max_value=18),
    junk=st.sampled_from(["abc", "1.2.3", "１２", "--", "12円", "nan", "N/A", "inf", "-3", "-0.5"]),
)
def test_non_numeric_cell(tmp_path, two_days, line, column, junk) -> None:
    lines = list(two_days)
    cells = lines[line - 1].split(",")
    cells[column] = junk
    lines[line - 1] = ",".join(cells)
    _refused_at(_write(tmp_path, lines), line)


@FUZZ
@given(line=st.sampled_from(DATA_LINES), duplicate=st.booleans())
def test_duplicated_or_missing_slot(tmp_path, two_days, line, duplicate) -> None:
    lines = list(two_days)
    if duplicate:
        lines.insert(line, lines[line - 1])
        expected = line + 1
    else:
        del lines[line - 1]
        # A missing slot shows at the next slot, or at the file's last line when the day ends short.
        expected = min(line, len(lines))
    _refused_at(_write(tmp_path, lines), expected)


@FUZZ
@given(column=st.integers(min_value=0, max_value=18), suffix=st.sampled_from(["x", "(MWh)", "_2"]))
def test_renamed_header(tmp_path, two_days, column, suffix) -> None:
    lines = list(two_days)
    headers = lines[0].split(",")
    headers[column] += suffix
    lines[0] = ",".join(headers)
    _refused_at(_write(tmp_path, lines), 1)


@FUZZ
@given(first=st.integers(min_value=2, max_value=18), second=st.integers(min_value=2, max_value=18))
def test_swapped_columns_are_read_by_name(tmp_path, two_days, first, second) -> None:
    def swap(line: str) -> str:
        cells = line.split(",")
        cells[first], cells[second] = cells[second], cells[first]
        return ",".join(cells)

    reference = read_jepx_spot(_write(tmp_path, two_days))
    swapped = read_jepx_spot(_write(tmp_path, [swap(line) for line in two_days]))
    assert swapped.equals(reference)


@FUZZ
@given(encoding=st.sampled_from(["utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le"]))
def test_wrong_encoding(tmp_path, two_days, encoding) -> None:
    path = _write(tmp_path, two_days, encoding)
    # the message names UTF-16 or UTF-32
    assert_refused(read_jepx_spot, path, source=str(path), words=encoding[:6].upper())


@FUZZ
@given(n_days=st.integers(min_value=1, max_value=2), blank_at=st.sampled_from(DATA_LINES))
def test_whole_days_and_blank_lines_keep_every_slot(tmp_path, two_days, n_days, blank_at) -> None:
    lines = two_days[: 1 + 48 * n_days]
    if blank_at <= len(lines):
        lines = [*lines[:blank_at], "", *lines[blank_at:]]
    frame = read_jepx_spot(_write(tmp_path, lines))
    assert len(frame) == 48 * n_days
    assert_slot_index(frame.index)

"""The uploaded time-series CSV parsers: hand-written files and hypothesis fuzzing.

Valid files are generated from random values and read back exactly; each
corruption (a bad cell, a dropped, repeated or shifted row, a wrong header)
must raise a DataFormatError naming the line at fault, and arbitrary bytes
never raise anything else.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gxdlib.errors import DataFormatError
from gxdlib.io.timeseries_csv import parse_generation_csv, parse_price_csv
from gxdlib.testing import assert_refused, assert_slot_index, slot_indexes, slot_prices

FUZZ = settings(max_examples=150, deadline=None)
START = pd.Timestamp("2022-04-01 00:00", tz="Asia/Tokyo")


def price_file(values: np.ndarray, columns=("kyushu", "system"), start=START) -> list[str]:
    """Lines of a valid price file; values has one column per price index."""
    stamps = pd.date_range(start, periods=len(values), freq="30min")
    return price_lines(pd.DataFrame(values, index=stamps, columns=list(columns)))


def price_lines(prices: pd.DataFrame) -> list[str]:
    """Lines of the price file that holds ``prices`` (slot starts written in JST)."""
    header = "slot_start," + ",".join(f"{c}_jpy_per_kwh" for c in prices.columns)
    rows = [
        stamp.strftime("%Y-%m-%dT%H:%M+09:00") + "," + ",".join(f"{v:.2f}" for v in row)
        for stamp, row in zip(prices.index, prices.to_numpy(), strict=True)
    ]
    return [header, *rows]


def encode(lines: list[str], newline: str = "\n") -> bytes:
    return (newline.join(lines) + newline).encode("utf-8")


def read_error(parse, lines: list[str]) -> DataFormatError:
    return assert_refused(parse, encode(lines), "upload.csv", source="upload.csv")


def test_price_file_by_hand() -> None:
    data = (
        "\ufeffslot_start,system_jpy_per_kwh,kyushu_jpy_per_kwh\r\n"
        "2022-04-01T23:00+09:00,20.5,0.01\r\n"
        "2022-04-01 23:30:00,21,0.01\r\n"
        "2022-04-02T00:00,19.75,3\r\n"
    ).encode()
    frame = parse_price_csv(data, "p.csv")
    assert list(frame.columns) == ["system", "kyushu"]
    assert frame.index.name == "slot_start"
    assert str(frame.index.tz) == "Asia/Tokyo"
    assert frame.index[0] == pd.Timestamp("2022-04-01 14:00", tz="UTC")
    assert frame["system"].tolist() == [20.5, 21.0, 19.75]
    assert frame["kyushu"].tolist() == [0.01, 0.01, 3.0]


def test_hourly_generation_in_mwh_is_split_into_slots() -> None:
    data = b"slot_start,generation_mwh\n2022-04-01T11:00,3\n2022-04-01T12:00,0.5\n"
    series = parse_generation_csv(data, "g.csv")
    assert series.name == "generation_kwh"
    assert series.tolist() == [1500.0, 1500.0, 250.0, 250.0]
    assert series.index[1] == pd.Timestamp("2022-04-01 11:30", tz="Asia/Tokyo")


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("", 1, None, "header"),
        ("time,kyushu_jpy_per_kwh\n", 1, "time", "first column"),
        ("slot_start,kyushu\n2022-04-01T00:00,1\n", 1, "kyushu", "unknown price column"),
        ("slot_start,kyushu_jpy_per_kwh\n", 2, None, "no data rows"),
        ("slot_start,kyushu_jpy_per_kwh,kyushu_jpy_per_kwh\n", 1, "kyushu_jpy_per_kwh", "twice"),
        ("slot_start,kyushu_jpy_per_kwh\n2022-04-01T00:00,1\n\n", 3, None, "empty"),
        (
            "slot_start,kyushu_jpy_per_kwh\n2022-04-01T00:00,\n",
            2,
            "kyushu_jpy_per_kwh",
            "no values",
        ),
        (
            "slot_start,kyushu_jpy_per_kwh\n2022-04-01T00:00,1;5\n",
            2,
            "kyushu_jpy_per_kwh",
            "number",
        ),
        ("slot_start,kyushu_jpy_per_kwh\n2022-04-01T00:00,-0.5\n", 2, "kyushu_jpy_per_kwh", ">= 0"),
        ("slot_start,kyushu_jpy_per_kwh\n2022-04-01T00:00+00:00,1\n", 2, "slot_start", "JST"),
        ("slot_start,kyushu_jpy_per_kwh\n2022/04/01 00:00,1\n", 2, "slot_start", "JST"),
        ("slot_start,kyushu_jpy_per_kwh\n2022-04-31T00:00,1\n", 2, "slot_start", "JST"),
        ("slot_start,kyushu_jpy_per_kwh\n2022-04-01T00:10,1\n", 2, "slot_start", "does not start"),
        (
            "slot_start,kyushu_jpy_per_kwh\n2022-04-01T00:00,1\n2022-04-01T01:00,1\n",
            3,
            "slot_start",
            "30 minutes",
        ),
        (
            "slot_start,kyushu_jpy_per_kwh\n2022-04-01T00:00,1\n2022-04-01T00:30,1\n"
            "2022-04-01T01:30,1\n",
            4,
            "slot_start",
            "gap",
        ),
    ],
)
def test_price_file_refusals_name_the_line(text, line, column, words) -> None:
    error = assert_refused(
        parse_price_csv, text.encode(), "p.csv", source="p.csv", line=line, words=words
    )
    assert error.column == column  # None included: no column is named
    assert str(error).startswith("p.csv, line")


def test_generation_file_needs_one_known_column() -> None:
    with pytest.raises(DataFormatError, match="generation_kwh") as caught:
        parse_generation_csv(b"slot_start,generation_kw\n2022-04-01T00:00,1\n", "g.csv")
    assert caught.value.line == 1


@FUZZ
@given(
    prices=slot_prices(slot_indexes(max_slots=60), columns=("kyushu", "system")),
    crlf=st.booleans(),
)
def test_valid_price_files_round_trip(prices, crlf) -> None:
    frame = parse_price_csv(encode(price_lines(prices), "\r\n" if crlf else "\n"), "p.csv")
    pd.testing.assert_frame_equal(frame, prices, check_freq=False)
    assert_slot_index(frame.index)


@FUZZ
@given(
    n=st.integers(3, 40),
    data=st.data(),
    junk=st.sampled_from(["abc", "1.2.3", "１２", "--", "12円", "nan", "inf", "-3", "1e3", " "]),
)
def test_a_bad_cell_is_named(n, data, junk) -> None:
    lines = price_file(np.full((n, 2), 10.0))
    line = data.draw(st.integers(2, n + 1))
    column = data.draw(st.integers(1, 2))
    cells = lines[line - 1].split(",")
    cells[column] = junk
    lines[line - 1] = ",".join(cells)
    error = read_error(parse_price_csv, lines)
    assert error.line == line
    assert error.column == ("kyushu_jpy_per_kwh", "system_jpy_per_kwh")[column - 1]


@FUZZ
@given(n=st.integers(4, 40), data=st.data(), kind=st.sampled_from(["drop", "repeat", "swap"]))
def test_a_broken_sequence_is_named(n, data, kind) -> None:
    lines = price_file(np.arange(2 * n, dtype=float).reshape(n, 2))
    line = data.draw(st.integers(3, n))  # a middle data row
    if kind == "drop":
        del lines[line - 1]  # the next row now follows a gap, at the same line number
    elif kind == "repeat":
        lines.insert(line, lines[line - 1])
        line += 1
    else:
        lines[line - 1], lines[line] = lines[line], lines[line - 1]
    error = read_error(parse_price_csv, lines)
    assert error.line == line
    assert error.column == "slot_start"


@FUZZ
@given(n=st.integers(2, 30), data=st.data(), keep=st.integers(0, 2), extra=st.booleans())
def test_a_row_of_the_wrong_width_is_named(n, data, keep, extra) -> None:
    lines = price_file(np.ones((n, 2)))
    line = data.draw(st.integers(2, n + 1))
    cells = lines[line - 1].split(",")
    lines[line - 1] = ",".join([*cells, "1"] if extra else cells[:keep])
    error = read_error(parse_price_csv, lines)
    assert error.line == line


@FUZZ
@given(n=st.integers(2, 30), hourly=st.booleans(), mwh=st.booleans(), data=st.data())
def test_generation_files_round_trip(n, hourly, mwh, data) -> None:
    values = np.round(data.draw(st.lists(st.floats(0, 1e4), min_size=n, max_size=n)), 3)
    stamps = pd.date_range(START, periods=n, freq="h" if hourly else "30min")
    unit = "mwh" if mwh else "kwh"
    lines = [f"slot_start,generation_{unit}"] + [
        f"{t:%Y-%m-%d %H:%M},{v}" for t, v in zip(stamps, values, strict=True)
    ]
    series = parse_generation_csv(encode(lines), "g.csv")
    kwh = np.asarray(values) * (1000.0 if mwh else 1.0)
    expected = np.repeat(kwh / 2, 2) if hourly else kwh
    np.testing.assert_allclose(series.to_numpy(), expected, rtol=1e-12)
    assert series.sum() == pytest.approx(kwh.sum(), rel=1e-12)
    assert len(series) == (2 * n if hourly else n)


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes_parse_or_raise_a_data_format_error(raw) -> None:
    for parse in (parse_price_csv, parse_generation_csv):
        try:
            parse(raw, "junk.csv")
        except DataFormatError as error:
            assert str(error).startswith("junk.csv")

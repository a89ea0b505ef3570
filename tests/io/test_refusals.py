"""Inputs refused before they mislead: corruptions injected into good real files.

Each property test starts from a good file (the real JEPX FY2022 spot summary
and FIP table, a real Tohoku TSO file, the sample purchase ledger, valid PACT
v2 and v3 documents), lets hypothesis pick a row and field, injects one
corruption and reads the result. The reader must raise a
:class:`~gxdlib.errors.GXDError` that names the file, the line (or JSON path)
and the field; any other exception fails the test. The expected line and field
are those the test wrote the corruption into, counted by the test itself.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gxdlib.errors import DataFormatError, GXDError, IncompleteYearError, ValidationError
from gxdlib.io import read_jepx_fip_reference, read_jepx_spot, read_pact, read_purchases
from gxdlib.io.footprint_uploads import parse_pact_upload, parse_purchases
from gxdlib.io.purchases import LEDGER_COLUMNS
from gxdlib.io.timeseries_csv import parse_generation_csv, parse_price_csv
from gxdlib.io.tso import read_tso_actuals
from gxdlib.sample.supply_chain import (
    supply_chain_ledger,
    supply_chain_pact_v2,
    supply_chain_pact_v3,
)
from gxdlib.testing import example_pact_v2 as v2_doc
from gxdlib.testing import example_pact_v3 as v3_doc

PROPERTY = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Cells that must never be read as a number: overflow, non-finite literals,
# full-width, Arabic-Indic and Devanagari digits (which float() would read).
BAD_NUMBERS = [
    "1e999",
    "9" * 400,
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "１２．３",
    "１２",
    "٣٤",
    "३",
]
FOREIGN_ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "gzip"]


def encode(text: str, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.compress(text.encode("utf-8"))
    return text.encode(encoding)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")


def assert_names(error: GXDError, source: object, line: int | None, column: str | None) -> None:
    """The error is a DataFormatError naming ``source``, ``line`` and ``column``."""
    assert isinstance(error, DataFormatError), repr(error)
    assert error.source == str(source)
    assert str(source) in str(error)
    if line is not None:
        assert error.line == line, str(error)
        assert f"line {line}" in str(error)
    if column is not None:
        assert error.column == column, str(error)


def raised(read, *args) -> GXDError:
    """The GXDError ``read(*args)`` raises; any other outcome fails."""
    with pytest.raises(GXDError) as caught:
        read(*args)
    return caught.value


def edit_cell(lines: list[str], line: int, column: int, value: str) -> list[str]:
    cells = lines[line - 1].split(",")
    cells[column] = value
    return [*lines[: line - 1], ",".join(cells), *lines[line:]]


def random_byte_edits() -> st.SearchStrategy:
    return st.lists(
        st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=4)), min_size=1, max_size=6
    )


def apply_edits(raw: bytes, edits: list[tuple[float, bytes]]) -> bytes:
    data = bytearray(raw)
    for where, replacement in edits:
        at = int(where * (len(data) - 1))
        data[at : at + max(len(replacement), 1)] = replacement
    return bytes(data)


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def spot_lines(jepx_dir: Path) -> list[str]:
    """Header and the first two days (96 slots) of the real FY2022 spot summary."""
    return (jepx_dir / "spot_summary_2022.csv").read_text(encoding="utf-8-sig").splitlines()[:97]


@pytest.fixture(scope="module")
def fip_lines(jepx_dir: Path) -> list[str]:
    return (jepx_dir / "fit_fip_2022.csv").read_text(encoding="utf-8-sig").splitlines()[:97]


@pytest.fixture(scope="module")
def tohoku_lines(tso_dir: Path) -> list[str]:
    """Header and the first two days (48 hours) of a real Tohoku file."""
    raw = (tso_dir / "tohoku" / "juyo_2022_tohoku_1Q.txt").read_bytes().decode("cp932")
    return raw.splitlines()[:49]


@pytest.fixture(scope="module")
def price_lines(jepx_dir: Path) -> list[str]:
    """An upload price file holding the real FY2022 system and Kyushu prices of two days."""
    frame = read_jepx_spot(jepx_dir / "spot_summary_2022.csv").iloc[:96]
    rows = [
        f"{stamp:%Y-%m-%dT%H:%M+09:00},{system},{kyushu}"
        for stamp, system, kyushu in zip(frame.index, frame["system"], frame["kyushu"], strict=True)
    ]
    return ["slot_start,system_jpy_per_kwh,kyushu_jpy_per_kwh", *rows]


@pytest.fixture(scope="module")
def ledger_rows() -> list[list[str]]:
    """Header and the first 40 lines of the sample ledger, as text cells."""
    ledger = supply_chain_ledger().iloc[:40].drop(columns="source_line")
    buffer = io.StringIO()
    ledger.to_csv(buffer, index=False)
    return list(csv.reader(io.StringIO(buffer.getvalue())))


def ledger_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


# --------------------------------------------------------------------------- numbers
@PROPERTY
@given(
    line=st.integers(2, 97),
    junk=st.sampled_from(BAD_NUMBERS),
    reader=st.sampled_from(["spot", "fip"]),
    data=st.data(),
)
def test_jepx_number_corruption_names_line_and_column(
    tmp_path, spot_lines, fip_lines, line, junk, reader, data
):
    lines, read = (
        (spot_lines, read_jepx_spot) if reader == "spot" else (fip_lines, read_jepx_fip_reference)
    )
    header = lines[0].split(",")
    column = data.draw(st.integers(2, len(header) - 1))  # after the date and the slot code
    path = tmp_path / f"{reader}_2022.csv"
    path.write_text("\n".join(edit_cell(lines, line, column, junk)) + "\n", encoding="utf-8")
    assert_names(raised(read, path), path, line, nfkc(header[column]))


@PROPERTY
@given(line=st.integers(2, 97), digits=st.sampled_from(["２０２２", "٢٠٢٢", "२०२२"]))
def test_spot_date_in_other_digits_is_refused(tmp_path, spot_lines, line, digits):
    lines = list(spot_lines)
    lines[line - 1] = lines[line - 1].replace("2022", digits, 1)
    path = tmp_path / "spot.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_names(raised(read_jepx_spot, path), path, line, "受渡日")


@PROPERTY
@given(line=st.integers(2, 49), column=st.integers(1, 12), junk=st.sampled_from(BAD_NUMBERS))
@example(line=30, column=3, junk="9" * 400)  # ASCII digits that overflow: a regex alone passes them
def test_tso_number_corruption_names_line_and_column(tmp_path, tohoku_lines, line, column, junk):
    path = tmp_path / "juyo_2022_tohoku_1Q.txt"
    lines = edit_cell(tohoku_lines, line, column, junk)
    # UTF-8, which the reader also reads: Shift-JIS has no Arabic-Indic or Devanagari digits.
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    error = raised(read_tso_actuals, path, "tohoku")
    assert_names(error, path, line, tohoku_lines[0].split(",")[column])


@PROPERTY
@given(
    line=st.integers(2, 97),
    column=st.integers(1, 2),
    junk=st.sampled_from(BAD_NUMBERS),
    hourly=st.booleans(),
)
@example(line=40, column=2, junk="9" * 400, hourly=False)
@example(line=20, column=1, junk="9" * 400, hourly=True)
def test_upload_number_corruption_names_line_and_column(price_lines, line, column, junk, hourly):
    if hourly:  # a generation file: one column, hourly rows, MWh
        lines = ["slot_start,generation_mwh"] + [
            f"{row.split(',')[0]},{row.split(',')[2]}" for row in price_lines[1::2]
        ]
        line, column, parse, label = (
            min(line, len(lines)),
            1,
            parse_generation_csv,
            "generation_mwh",
        )
    else:
        lines, parse = price_lines, parse_price_csv
        label = lines[0].split(",")[column]
    data = ("\n".join(edit_cell(lines, line, column, junk)) + "\n").encode()
    assert_names(raised(parse, data, "upload.csv"), "upload.csv", line, label)


@PROPERTY
@given(
    row=st.integers(1, 40),
    column=st.sampled_from(["quantity", "spend_jpy", "fiscal_year"]),
    junk=st.sampled_from(BAD_NUMBERS),
    blank_lines=st.lists(st.integers(1, 40), max_size=4),
    multiline_rows=st.lists(st.integers(1, 40), max_size=4),
)
def test_ledger_number_corruption_names_the_line_after_blanks_and_multiline_cells(
    tmp_path, ledger_rows, row, column, junk, blank_lines, multiline_rows
):
    rows = [list(r) for r in ledger_rows]
    header = rows[0]
    rows[row][header.index(column)] = junk
    for k in multiline_rows:  # a description over two lines, as Excel writes Alt+Enter
        rows[k][header.index("description")] += "\nsecond line"
    # Write line by line and count the physical lines the corrupted row starts on.
    text, line, expected = [], 1, None
    for k, cells in enumerate(rows):
        text.extend([""] * blank_lines.count(k))
        line += blank_lines.count(k)
        if k == row:
            expected = line
        record = ledger_text([cells])
        text.append(record.removesuffix("\n"))
        line += record.count("\n")
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert_names(raised(read_purchases, path), path, expected, column)


def test_ledger_line_numbers_by_hand(tmp_path):
    """Line 1 header, 2 blank, 3-4 one record (a quoted cell on two lines), 5 blank, 6 bad."""
    header = ",".join(LEDGER_COLUMNS)
    good = 'S1,A,,"two\nlines",integrated_circuits,1,piece,100,2024'
    path = tmp_path / "ledger.csv"
    path.write_text(f"{header}\n\n{good}\n\n{good.replace(',100,', ',1e999,')}\n", "utf-8")
    assert_names(raised(read_purchases, path), path, 6, "spend_jpy")
    path.write_text(f"{header}\n\n{good}\n\n{good}\n", "utf-8")
    assert read_purchases(path)["source_line"].tolist() == [3, 6]


# --------------------------------------------------------------------------- PACT
V2_DECIMALS = ["unitaryProductAmount", "pCfExcludingBiogenic", "fossilGhgEmissions"]
V2_NUMBERS = ["exemptedEmissionsPercent", "primaryDataShare"]
V3_DECIMALS = [
    "declaredUnitAmount",
    "pcfExcludingBiogenicUptake",
    "fossilGhgEmissions",
    "exemptedEmissionsPercent",
    "primaryDataShare",
]


@pytest.fixture(scope="module")
def sample_pact() -> dict[int, dict]:
    return {2: supply_chain_pact_v2(), 3: supply_chain_pact_v3()}


def pcf_problem(error: GXDError, index: int, field: str) -> None:
    assert isinstance(error, ValidationError), repr(error)
    assert any(p.startswith(f"$.data[{index}].pcf.{field}:") for p in error.problems), (
        field,
        error.problems,
    )


@PROPERTY
@given(
    major=st.sampled_from([2, 3]),
    pick=st.integers(0, 10_000),
    data=st.data(),
)
def test_pact_numbers_of_the_wrong_json_type_or_digits(sample_pact, major, pick, data):
    payload = json.loads(json.dumps(sample_pact[major]))
    index = pick % len(payload["data"])
    pcf = payload["data"][index]["pcf"]
    if major == 2:
        field = data.draw(st.sampled_from(V2_DECIMALS + V2_NUMBERS))
        if field in V2_NUMBERS and field not in pcf:
            field = "exemptedEmissionsPercent"
        text = str(pcf[field]) if field in V2_NUMBERS else pcf[field]
    else:
        field = data.draw(st.sampled_from([f for f in V3_DECIMALS if f in pcf]))
        text = pcf[field]
    wrong = data.draw(
        st.sampled_from(
            [
                "as the other JSON type",
                "full-width",
                "arabic-indic",
                "overflow",
            ]
        )
    )
    if wrong == "as the other JSON type":
        pcf[field] = text if major == 2 and field in V2_NUMBERS else float(text)
    elif wrong == "overflow":
        # A decimal string of 400 digits, or the JSON number 1e999 (json reads it as inf).
        pcf[field] = "9" * 400 if isinstance(pcf[field], str) else "__overflow__"
    else:
        offset = 0xFEE0 if wrong == "full-width" else 0x0660 - ord("0")
        shifted = "".join(chr(ord(c) + offset) if c.isdigit() else c for c in str(text))
        pcf[field] = shifted
    raw = json.dumps(payload, ensure_ascii=False).replace('"__overflow__"', "1e999").encode()
    error = raised(parse_pact_upload, raw, "pcfs.json")
    pcf_problem(error, index, field)
    assert str(error).startswith("pcfs.json:")


@PROPERTY
@given(
    major=st.sampled_from([2, 3]),
    field=st.sampled_from(["referencePeriodStart", "referencePeriodEnd", "created"]),
    date=st.sampled_from(
        [
            "2023-02-30T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-04-31T00:00:00Z",
            "2023-01-01T25:00:00Z",
        ]
    ),
)
def test_pact_dates_that_do_not_exist(major, field, date):
    doc = v2_doc() if major == 2 else v3_doc()
    where = doc if field == "created" else doc["pcf"]
    where[field] = date
    error = raised(read_pact, {"data": [doc]})
    assert isinstance(error, ValidationError)
    prefix = "$.data[0]." if field == "created" else "$.data[0].pcf."
    assert any(p.startswith(prefix + field) for p in error.problems), error.problems


@pytest.mark.parametrize(
    ("major", "amount"),
    [(3, "0"), (3, "0." + "0" * 330 + "1"), (3, "1e-320"), (2, "0"), (2, "0." + "0" * 320 + "5")],
)
def test_pact_tiny_or_zero_declared_amount(major, amount):
    doc = v3_doc(amount=amount) if major == 3 else v2_doc(unitaryProductAmount=amount)
    field = "declaredUnitAmount" if major == 3 else "unitaryProductAmount"
    pcf_problem(raised(read_pact, {"data": [doc]}), 0, field)


def test_pact_amount_small_enough_to_overflow_the_per_unit_value():
    doc = v3_doc(amount="0." + "0" * 300 + "1", pcf="1" + "0" * 20)
    error = raised(read_pact, {"data": [doc]})
    assert "overflows" in str(error)
    pcf_problem(error, 0, "declaredUnitAmount")


@PROPERTY
@given(major=st.sampled_from([2, 3]), pick=st.integers(0, 10_000), data=st.data())
def test_pact_repeated_key_names_its_path(sample_pact, major, pick, data):
    payload = sample_pact[major]
    index = pick % len(payload["data"])
    key = data.draw(st.sampled_from(sorted(payload["data"][index]["pcf"])))
    docs = [json.dumps(doc) for doc in payload["data"]]
    pcf = json.dumps(payload["data"][index]["pcf"])
    repeated = pcf[:-1] + f", {json.dumps(key)}: {json.dumps(payload['data'][index]['pcf'][key])}}}"
    docs[index] = docs[index].replace(pcf, repeated, 1)
    raw = ('{"data": [' + ",\n".join(docs) + "]}").encode()
    error = raised(parse_pact_upload, raw, "pcfs.json")
    assert_names(error, "pcfs.json", index + 1, f"$.data[{index}].pcf.{key}")  # a doc per line


@PROPERTY
@given(major=st.sampled_from([2, 3]), first=st.integers(0, 10_000), gap=st.integers(1, 10_000))
def test_pact_repeated_footprint_id(tmp_path, sample_pact, major, first, gap):
    payload = json.loads(json.dumps(sample_pact[major]))
    n = len(payload["data"])
    i = first % (n - 1)
    j = i + 1 + gap % (n - 1 - i)
    payload["data"][j]["id"] = payload["data"][i]["id"]
    path = tmp_path / "pcfs.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    error = raised(read_pact, path)
    assert isinstance(error, ValidationError)
    assert str(error).startswith(str(path))
    assert [p for p in error.problems if ".id:" in p] == [
        f"$.data[{j}].id: {payload['data'][i]['id']!r} is also the id of $.data[{i}]; "
        "a payload must hold each footprint once"
    ]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_pact_non_json_constants_name_their_line(literal):
    text = json.dumps(v2_doc(), indent=1).replace(
        '"primaryDataShare": 12.9', f'"primaryDataShare": {literal}'
    )
    line = next(k for k, row in enumerate(text.splitlines(), 1) if literal in row)
    assert_names(raised(parse_pact_upload, text.encode(), "pcf.json"), "pcf.json", line, None)


def test_pact_deep_nesting_and_huge_integers_are_format_errors():
    for raw in (b"[" * 100_000 + b"]" * 100_000, b'{"version": ' + b"9" * 5000 + b"}"):
        assert isinstance(raised(parse_pact_upload, raw, "x.json"), DataFormatError)


# --------------------------------------------------------------------------- encodings
@pytest.mark.parametrize("encoding", FOREIGN_ENCODINGS)
def test_foreign_encodings_are_refused_naming_the_encoding(tmp_path, spot_lines, encoding):
    name = "gzip" if encoding == "gzip" else "UTF-" + encoding[4:6]
    text = "\n".join(spot_lines) + "\n"
    path = tmp_path / "spot.csv"
    path.write_bytes(encode(text, encoding))
    for error in (
        raised(read_jepx_spot, path),
        raised(parse_price_csv, encode("slot_start,system_jpy_per_kwh\n", encoding), "p.csv"),
        raised(parse_pact_upload, encode(json.dumps(v3_doc()), encoding), "p.json"),
        raised(parse_purchases, encode(ledger_text([["supplier_id"], ["S1"]]), encoding), "l.csv"),
    ):
        assert isinstance(error, DataFormatError)
        assert name in str(error), str(error)


def test_shift_jis_where_utf8_is_expected_and_the_reverse(tmp_path, spot_lines, ledger_rows):
    text = "\n".join(spot_lines) + "\n"
    utf8, sjis = tmp_path / "utf8.csv", tmp_path / "sjis.csv"
    utf8.write_bytes(text.encode("utf-8"))
    sjis.write_bytes(text.encode("cp932"))
    pd.testing.assert_frame_equal(read_jepx_spot(utf8), read_jepx_spot(sjis))

    rows = [list(r) for r in ledger_rows]
    rows[1][rows[0].index("supplier_name")] = "九州電子株式会社"
    by_encoding = {
        enc: parse_purchases(ledger_text(rows).encode(enc), "l.csv") for enc in ("utf-8", "cp932")
    }
    pd.testing.assert_frame_equal(by_encoding["utf-8"], by_encoding["cp932"])
    assert by_encoding["cp932"]["supplier_name"].iloc[0] == "九州電子株式会社"

    doc = v3_doc()
    doc["companyName"] = "九州電子株式会社"
    error = raised(parse_pact_upload, json.dumps(doc, ensure_ascii=False).encode("cp932"), "p.json")
    assert "Shift-JIS" in str(error) and error.line == 1


@pytest.mark.parametrize(
    "content",
    [b"supplier_id,sector\nS1,x\n", bytes(range(256)), b"PK\x03\x04" + bytes(60), b"\x1f\x8b\x08"],
)
def test_a_workbook_that_is_not_a_zip_is_refused(tmp_path, content):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(content)
    assert_names(raised(read_purchases, path), path, None, None)
    assert_names(raised(parse_purchases, content, "up.xlsx"), "up.xlsx", None, None)


# --------------------------------------------------------------------------- fiscal years
def test_spot_file_of_another_fiscal_year(jepx_dir):
    path = jepx_dir / "spot_summary_2023.csv"
    with pytest.raises(DataFormatError) as caught:
        read_jepx_spot(path, fiscal_year=2022)
    assert_names(caught.value, path, 2, "受渡日")
    assert "FY2023" in str(caught.value) and "FY2022" in str(caught.value)
    frame = read_jepx_spot(path, fiscal_year=2023)
    assert frame.attrs["months"] == [f"2023-{m:02d}" for m in range(4, 13)] + [
        f"2024-{m:02d}" for m in range(1, 4)
    ]
    assert frame.attrs["partial"] is False
    assert frame.attrs["coverage"] == "FY2023 (Apr 2023-Mar 2024)"
    assert len(frame) == 366 * 48  # FY2023 holds 29 February 2024


@PROPERTY
@given(days=st.integers(1, 2), reader=st.sampled_from(["spot", "fip"]))
def test_incomplete_fiscal_year_names_the_months(tmp_path, spot_lines, fip_lines, days, reader):
    lines = (spot_lines if reader == "spot" else fip_lines)[: 1 + 48 * days]
    read = read_jepx_spot if reader == "spot" else read_jepx_fip_reference
    path = tmp_path / "part.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(IncompleteYearError) as caught:
        read(path, fiscal_year=2022)
    assert caught.value.months == ("2022-04",)
    assert str(path) in str(caught.value)
    frame = read(path, fiscal_year=2022, partial=True)
    assert len(frame) == 48 * days
    assert frame.attrs["partial"] is True and frame.attrs["months"] == ["2022-04"]
    assert "only (1 of 12 months)" in frame.attrs["coverage"]


@PROPERTY
@given(tail_days=st.integers(1, 3), head_days=st.integers(1, 3))
def test_rows_of_the_next_fiscal_year_are_named(tmp_path, jepx_dir, tail_days, head_days):
    """The last days of FY2022 followed by the first days of FY2023, asked as FY2022."""
    last = (jepx_dir / "spot_summary_2022.csv").read_text(encoding="utf-8-sig").splitlines()
    first = (jepx_dir / "spot_summary_2023.csv").read_text(encoding="utf-8-sig").splitlines()
    lines = [last[0], *last[-48 * tail_days :], *first[1 : 1 + 48 * head_days]]
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFormatError) as caught:
        read_jepx_spot(path, fiscal_year=2022, partial=True)
    assert_names(caught.value, path, 2 + 48 * tail_days, "受渡日")


def test_partial_without_fiscal_year_is_refused(jepx_dir):
    with pytest.raises(ValidationError, match="fiscal_year"):
        read_jepx_spot(jepx_dir / "spot_summary_2022.csv", partial=True)


# --------------------------------------------------------------------------- catch-all
@FUZZ
@given(edits=random_byte_edits(), reader=st.sampled_from(["spot", "fip"]))
# Found by this test: a bad cell, then a last byte that the header's encoding cannot decode.
@example(edits=[(1.0, b"\x80"), (0.5, b"\x01")], reader="spot")
def test_random_byte_edits_of_jepx_files_raise_only_gxd_errors(
    tmp_path, spot_lines, fip_lines, edits, reader
):
    lines = spot_lines if reader == "spot" else fip_lines
    path = tmp_path / "edited.csv"
    path.write_bytes(apply_edits(("\n".join(lines) + "\n").encode(), edits))
    read = read_jepx_spot if reader == "spot" else read_jepx_fip_reference
    try:
        frame = read(path)
    except GXDError as error:
        assert str(path) in str(error)
    else:
        assert len(frame) % 48 == 0 and frame.index.is_unique


@FUZZ
@given(edits=random_byte_edits(), hourly=st.booleans())
def test_random_byte_edits_of_uploads_raise_only_gxd_errors(price_lines, edits, hourly):
    lines = price_lines
    if hourly:
        lines = ["slot_start,generation_kwh"] + [
            f"{row.split(',')[0]},{row.split(',')[1]}" for row in price_lines[1::2]
        ]
    raw = apply_edits(("\n".join(lines) + "\n").encode(), edits)
    parse = parse_generation_csv if hourly else parse_price_csv
    try:
        parse(raw, "upload.csv")
    except GXDError as error:
        assert str(error).startswith("upload.csv")


@pytest.fixture(scope="module")
def ledger_workbook(tmp_path_factory, ledger_rows) -> bytes:
    path = tmp_path_factory.mktemp("xlsx") / "ledger.xlsx"
    frame = pd.DataFrame(ledger_rows[1:12], columns=ledger_rows[0])
    frame.to_excel(path, index=False)
    return path.read_bytes()


@FUZZ
@given(edits=random_byte_edits(), kind=st.sampled_from([".csv", ".xlsx"]))
def test_random_byte_edits_of_ledgers_raise_only_gxd_errors(
    ledger_rows, ledger_workbook, edits, kind
):
    good = ledger_text(ledger_rows[:12]).encode() if kind == ".csv" else ledger_workbook
    try:
        ledger = parse_purchases(apply_edits(good, edits), f"ledger{kind}")
    except GXDError as error:
        assert str(error).startswith(f"ledger{kind}")
    else:
        assert len(ledger) <= 11 and np.isfinite(ledger["spend_jpy"]).all()


@FUZZ
@given(edits=random_byte_edits(), major=st.sampled_from([2, 3]))
def test_random_byte_edits_of_pact_files_raise_only_gxd_errors(edits, major):
    doc = v2_doc() if major == 2 else v3_doc()
    raw = apply_edits(json.dumps({"data": [doc, v3_doc(amount="7")]}, indent=1).encode(), edits)
    try:
        footprints = parse_pact_upload(raw, "pcfs.json")
    except GXDError as error:
        assert str(error).startswith("pcfs.json")
    else:
        assert all(np.isfinite(fp.pcf_kgco2e_per_unit) for fp in footprints)


def test_catalog_refuses_a_file_named_for_one_year_holding_another(tmp_path, jepx_dir, monkeypatch):
    """spot_summary_2022.csv that holds FY2023's prices: the catalog entry asks for FY2022."""
    from gxdlib.catalog import open_catalog

    (tmp_path / "jepx").mkdir()
    misnamed = tmp_path / "jepx" / "spot_summary_2022.csv"
    misnamed.symlink_to(jepx_dir / "spot_summary_2023.csv")
    monkeypatch.setenv("GXD_DATA_DIR", str(tmp_path))
    with pytest.raises(DataFormatError, match="FY2022 was asked for") as caught:
        open_catalog()["jepx_spot"](fiscal_year=2022).read()
    assert_names(caught.value, misnamed, 2, "受渡日")


def test_load_prices_refuses_a_misnamed_year_rather_than_showing_it(
    tmp_path, jepx_dir, monkeypatch
):
    from gxdlib.catalog import load_prices

    (tmp_path / "jepx").mkdir()
    (tmp_path / "jepx" / "spot_summary_2024.csv").symlink_to(jepx_dir / "spot_summary_2023.csv")
    monkeypatch.setenv("GXD_DATA_DIR", str(tmp_path))
    with pytest.raises(DataFormatError, match="the row is for FY2023"):
        load_prices(2024)
    (tmp_path / "jepx" / "spot_summary_2023.csv").symlink_to(jepx_dir / "spot_summary_2023.csv")
    loaded = load_prices(2023)
    assert not loaded.is_sample and loaded.frame.attrs["coverage"] == "FY2023 (Apr 2023-Mar 2024)"

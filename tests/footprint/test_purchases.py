"""Purchase-ledger reader: good files, each kind of error, and fuzzing."""

from __future__ import annotations

import hypothesis.strategies as st
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from gxdlib.errors import DataFormatError
from gxdlib.io.purchases import read_purchases

HEADER = ",".join(
    ["supplier_id", "supplier_name", "product_id", "description", "sector", "quantity",
     "quantity_unit", "spend_jpy", "fiscal_year"]
)  # fmt: skip
ROWS = [
    "S001,Kyushu Denshi,P-100,MLCC,integrated_circuits,2000,piece,100000,2024",
    "S002,Kanto Kasei,,resin,synthetic_resins,1.5,t,480000,2023",
    "S003,Keihin Systems,,cloud,information_services,,,1200000,2024",
]


def write(tmp_path, rows, header=HEADER):
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_csv_and_excel_read_the_same(tmp_path):
    ledger = read_purchases(write(tmp_path, ROWS))
    assert list(ledger["quantity"].isna()) == [False, False, True]
    assert ledger["spend_jpy"].tolist() == [100000.0, 480000.0, 1200000.0]
    assert ledger["fiscal_year"].tolist() == [2024, 2023, 2024]
    assert pd.isna(ledger["product_id"].iloc[1])
    assert ledger["source_line"].tolist() == [2, 3, 4]
    assert ledger.index.name == "line_id"
    xlsx = tmp_path / "ledger.xlsx"
    ledger.drop(columns="source_line").to_excel(xlsx, index=False)
    from_excel = read_purchases(xlsx)
    pd.testing.assert_frame_equal(from_excel, ledger)


@pytest.mark.parametrize(
    ("rows", "header", "line", "column", "text"),
    [
        (
            [
                r.replace(",integrated_circuits", "")
                .replace(",synthetic_resins", "")
                .replace(",information_services", "")
                for r in ROWS
            ],
            HEADER.replace(",sector", ""),
            1,
            "sector",
            "missing column",
        ),
        ([ROWS[0] + ",extra"], HEADER, 2, None, "wrong number of fields"),
        ([ROWS[0], ROWS[1].replace("480000", "-5")], HEADER, 3, "spend_jpy", "negative"),
        ([ROWS[0].replace(",piece,", ",box,")], HEADER, 2, "quantity_unit", "unknown unit 'box'"),
        ([ROWS[0].replace(",2000,", ",lots,")], HEADER, 2, "quantity", "expected a number"),
        ([ROWS[0].replace(",piece,", ",,")], HEADER, 2, "quantity_unit", "no unit"),
        ([ROWS[0], ROWS[0].replace(",2024", ",2024.5")], HEADER, 3, "fiscal_year", "whole year"),
        ([ROWS[0].replace("S001", "")], HEADER, 2, "supplier_id", "missing"),
    ],
)
def test_errors_name_file_line_and_column(tmp_path, rows, header, line, column, text):
    with pytest.raises(DataFormatError) as info:
        read_purchases(write(tmp_path, rows, header))
    assert info.value.line == line
    assert info.value.column == column
    assert text in str(info.value)
    assert "ledger.csv" in str(info.value)


_CELL = st.one_of(
    st.sampled_from(["", "-1", "abc", "1e3", "nan", "2024.0", "kg", "1,000", " 5 "]),
    st.text(alphabet="0123456789.-e", max_size=6),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(row=st.integers(0, 2), col=st.integers(0, 8), value=_CELL)
def test_fuzz_a_corrupted_cell_parses_or_names_its_line(tmp_path, row, col, value):
    cells = [r.split(",") for r in ROWS]
    cells[row][col] = value
    path = write(tmp_path, [",".join(c) for c in cells])
    try:
        ledger = read_purchases(path)
    except DataFormatError as exc:
        assert exc.line in (1, row + 2)
        assert exc.column is not None or "wrong number of fields" in str(exc)
    else:
        assert len(ledger) == 3
        assert (ledger["spend_jpy"] >= 0).all()


def test_line_ids_become_the_index_and_a_repeat_is_refused(tmp_path):
    rows = [f"L{k},{row}" for k, row in enumerate(ROWS, start=1)]
    ledger = read_purchases(write(tmp_path, rows, "line_id," + HEADER))
    assert ledger.index.tolist() == ["L1", "L2", "L3"]
    assert ledger.index.name == "line_id"
    assert "line_id" not in ledger.columns
    rows[2] = rows[2].replace("L3", "L1", 1)
    with pytest.raises(DataFormatError, match="'L1' appears twice \\(first on line 2\\)") as info:
        read_purchases(write(tmp_path, rows, "line_id," + HEADER))
    assert (info.value.line, info.value.column) == (4, "line_id")


def test_shift_jis_ledger_reads_like_utf8(tmp_path):
    rows = [ROWS[0].replace("Kyushu Denshi", "九州電子")]
    utf8 = read_purchases(write(tmp_path, rows))
    path = tmp_path / "sjis.csv"
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("cp932"))
    pd.testing.assert_frame_equal(read_purchases(path), utf8)
    assert utf8["supplier_name"].tolist() == ["九州電子"]


def test_short_row_is_refused_not_padded(tmp_path):
    with pytest.raises(DataFormatError, match="wrong number of fields") as info:
        read_purchases(write(tmp_path, [ROWS[0], ROWS[1].rsplit(",", 1)[0]]))
    assert info.value.line == 3

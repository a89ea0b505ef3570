"""Every upload goes through one guard: size, type and reader errors become messages."""

from __future__ import annotations

import pytest

from gxdlib.dashboards.uploads import DEFAULT_LIMIT_MB, guard_upload, upload_limit_bytes
from gxdlib.errors import DataFormatError


def parse_lines(data: bytes, name: str) -> list[str]:
    lines = data.decode().splitlines()
    if not lines or lines[0] != "header":
        raise DataFormatError("expected the header 'header'", source=name, line=1)
    return lines[1:]


def test_accepted_file_is_parsed() -> None:
    outcome = guard_upload("ok.csv", b"header\na\nb", parse_lines, suffixes=(".csv",))
    assert outcome.accepted and outcome.value == ["a", "b"]


def test_reader_error_becomes_its_message() -> None:
    outcome = guard_upload("bad.csv", b"nope\n", parse_lines, suffixes=(".csv",))
    assert not outcome.accepted and outcome.value is None
    assert outcome.message == "bad.csv, line 1: expected the header 'header'"


def test_unexpected_exception_is_still_a_message() -> None:
    outcome = guard_upload("bad.csv", b"\xff\xfe", parse_lines, suffixes=(".csv",))
    assert "could not be read (UnicodeDecodeError" in outcome.message
    assert "Traceback" not in outcome.message


def test_size_limit_default_and_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GXD_UPLOAD_LIMIT_MB", raising=False)
    assert upload_limit_bytes() == DEFAULT_LIMIT_MB * 1_000_000 == 50_000_000
    monkeypatch.setenv("GXD_UPLOAD_LIMIT_MB", "0.001")
    assert upload_limit_bytes() == 1_000
    outcome = guard_upload("big.csv", b"header\n" + b"x" * 1_000, parse_lines, suffixes=(".csv",))
    assert outcome.message == "big.csv: 0.00101 MB is larger than the limit of 0.001 MB"


def test_size_message_in_megabytes() -> None:
    data = b"x" * 2_500_000
    outcome = guard_upload("big.csv", data, parse_lines, suffixes=(".csv",), limit_bytes=2_000_000)
    assert outcome.message == "big.csv: 2.5 MB is larger than the limit of 2 MB"


def test_wrong_type_and_missing_content() -> None:
    assert guard_upload("a.xlsx", b"1", parse_lines, suffixes=(".csv", ".json")).message == (
        "a.xlsx: expected a file ending in .csv or .json"
    )
    assert guard_upload(None, None, parse_lines, suffixes=(".csv",)).message == (
        "upload: no content received"
    )


def test_a_csv_renamed_xlsx_is_a_message_naming_the_file() -> None:
    from gxdlib.io.footprint_uploads import LEDGER_SUFFIXES, parse_purchases

    data = b"supplier_id,sector\nS1,integrated_circuits\n"
    outcome = guard_upload("ledger.xlsx", data, parse_purchases, suffixes=LEDGER_SUFFIXES)
    assert not outcome.accepted
    assert outcome.message.startswith("ledger.xlsx, line 1: not an Excel workbook")
    assert "BadZipFile" not in outcome.message

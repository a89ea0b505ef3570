"""JEPX readers against the real published files and hand-made edge cases.

The expected figures are computed here with the ``csv`` module, independently
of the reader, and match the fiscal-year means in DOMAIN.md.
"""

from __future__ import annotations

import csv
import http.server
import shutil
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gxdlib.areas import AREAS
from gxdlib.errors import DataFormatError, GXDError
from gxdlib.io import get_jepx_spot, read_jepx_fip_reference, read_jepx_spot
from gxdlib.io.jepx import SPOT_COLUMNS, SPOT_REFERER
from gxdlib.testing import assert_refused, assert_slot_index

pytestmark = pytest.mark.realdata


def independent_figures(path: Path) -> dict[str, float]:
    """Mean system price and 0.01 JPY/kWh slot counts, with nothing but ``csv``."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    system = header.index("システムプライス(円/kWh)")
    kyushu = header.index("エリアプライス九州(円/kWh)")
    prices = [float(row[system]) for row in body]
    return {
        "slots": len(body),
        "mean_system": sum(prices) / len(prices),
        "system_floor_slots": sum(1 for row in body if row[system] == "0.01"),
        "kyushu_floor_slots": sum(1 for row in body if row[kyushu] == "0.01"),
    }


@pytest.mark.parametrize(
    ("fiscal_year", "published_mean"), [(2019, 7.93), (2022, 20.41), (2023, 10.74)]
)
def test_fiscal_year_figures(jepx_dir: Path, fiscal_year: int, published_mean: float) -> None:
    path = jepx_dir / f"spot_summary_{fiscal_year}.csv"
    expected = independent_figures(path)
    frame = read_jepx_spot(path)

    assert len(frame) == expected["slots"]
    assert frame["system"].mean() == pytest.approx(expected["mean_system"], rel=1e-12)
    assert round(frame["system"].mean(), 2) == published_mean
    assert int((frame["system"] == 0.01).sum()) == expected["system_floor_slots"]
    assert int((frame["kyushu"] == 0.01).sum()) == expected["kyushu_floor_slots"]


def test_fy2022_shape_and_index(jepx_dir: Path) -> None:
    frame = read_jepx_spot(jepx_dir / "spot_summary_2022.csv")
    assert len(frame) == 17_520
    assert list(frame.columns) == list(SPOT_COLUMNS)
    assert_slot_index(frame.index)
    assert frame.index[0] == pd.Timestamp("2022-04-01 00:00", tz="Asia/Tokyo")
    assert frame.index[-1] == pd.Timestamp("2023-03-31 23:30", tz="Asia/Tokyo")
    assert (frame[["system", *AREAS]] >= 0.01).all().all()


def test_kyushu_floor_counts_match_domain_primer(jepx_dir: Path) -> None:
    frame = read_jepx_spot([jepx_dir / "spot_summary_2019.csv", jepx_dir / "spot_summary_2023.csv"])
    years = np.where(frame.index.month >= 4, frame.index.year, frame.index.year - 1)
    at_floor = (frame["kyushu"] == 0.01).groupby(years).sum()
    assert at_floor.to_dict() == {2019: 693, 2023: 2178}


def test_all_years_read_and_hokkaido_suspension_kept_as_gaps(jepx_dir: Path) -> None:
    frame = read_jepx_spot(sorted(jepx_dir.glob("spot_summary_*.csv")))
    assert len(frame) == sum(
        independent_figures(p)["slots"] for p in jepx_dir.glob("spot_summary_*.csv")
    )
    missing = frame.index[frame["hokkaido"].isna()]
    # JEPX suspended the Hokkaido area after the blackout of 6 September 2018.
    assert missing.min() == pd.Timestamp("2018-09-07 00:00", tz="Asia/Tokyo")
    assert missing.max() == pd.Timestamp("2018-09-26 23:30", tz="Asia/Tokyo")
    assert frame.attrs["empty_cells"] == {"hokkaido": 960}


def test_fip_reference(jepx_dir: Path) -> None:
    path = jepx_dir / "fit_fip_2023.csv"
    frame = read_jepx_fip_reference(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("FIP参照価格(卸電力取引市場分)九州(円/kWh)")
    expected = sum(float(r[column]) for r in rows[1:]) / (len(rows) - 1)
    assert len(frame) == len(rows) - 1 == 17_568  # FY2023 holds 29 February 2024
    assert frame["fip_reference_kyushu"].mean() == pytest.approx(expected, rel=1e-12)
    assert frame.columns[0] == "avoidable_cost_national"
    assert len(frame.columns) == 20


def _two_days(jepx_dir: Path, tmp_path: Path, encoding: str = "utf-8") -> Path:
    """The header and the first two days (96 slots) of FY2022, in ``encoding``."""
    lines = (jepx_dir / "spot_summary_2022.csv").read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / f"two_days_{encoding}.csv"
    path.write_bytes("\n".join(lines[:97]).encode(encoding) + b"\n")
    return path


def test_shift_jis_and_bom_read_the_same(jepx_dir: Path, tmp_path: Path) -> None:
    reference = read_jepx_spot(_two_days(jepx_dir, tmp_path))
    assert len(reference) == 96
    for encoding in ("cp932", "utf-8-sig"):
        pd.testing.assert_frame_equal(
            reference, read_jepx_spot(_two_days(jepx_dir, tmp_path, encoding))
        )


@pytest.mark.parametrize(
    ("line_number", "edit", "message"),
    [
        (5, lambda line: line.replace("2022/04/01", "2022-04-01"), "expected a date"),
        (7, lambda line: ",".join(line.split(",")[:-2]), "fields"),
        (10, lambda line: line.replace(",9,", ",49,", 1), "slot code"),
        (12, lambda line: line[: line.rindex(",")] + ",abc", "expected a number"),
    ],
)
def test_bad_rows_name_the_line(jepx_dir, tmp_path, line_number, edit, message) -> None:
    path = _two_days(jepx_dir, tmp_path)
    lines = path.read_text().splitlines()
    lines[line_number - 1] = edit(lines[line_number - 1])
    path.write_text("\n".join(lines) + "\n")
    assert_refused(read_jepx_spot, path, source=str(path), line=line_number, words=message)


def test_unknown_header_and_missing_slot(jepx_dir: Path, tmp_path: Path) -> None:
    path = _two_days(jepx_dir, tmp_path)
    text = path.read_text()
    path.write_text(text.replace("約定総量(kWh)", "約定量(kWh)", 1))
    assert_refused(read_jepx_spot, path, source=str(path), line=1, words="unknown header")

    lines = text.splitlines()
    del lines[30]  # 2022/04/01 slot 30
    path.write_text("\n".join(lines) + "\n")
    assert_refused(read_jepx_spot, path, source=str(path), line=31, words="slots missing")


def test_repeated_slot_across_files_names_both(jepx_dir: Path, tmp_path: Path) -> None:
    first = _two_days(jepx_dir, tmp_path)
    second = tmp_path / "copy.csv"
    shutil.copy(first, second)
    with pytest.raises(DataFormatError, match="appears twice") as caught:
        read_jepx_spot([first, second])
    assert str(first) in str(caught.value) and str(second) in str(caught.value)


class _Handler(http.server.BaseHTTPRequestHandler):
    payload = b""
    referers: list[str] = []

    def do_GET(self) -> None:  # the name http.server dispatches to
        type(self).referers.append(self.headers.get("Referer", ""))
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.end_headers()
        self.wfile.write(type(self).payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def local_jepx(jepx_dir: Path):
    _Handler.payload = (jepx_dir / "spot_summary_2022.csv").read_bytes()
    _Handler.referers = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/spot_summary_{{fiscal_year}}.csv"
    server.shutdown()


def test_get_jepx_spot_downloads_once_and_caches(
    local_jepx: str, jepx_dir: Path, tmp_path: Path
) -> None:
    frame = get_jepx_spot(2022, cache_dir=tmp_path, url=local_jepx)
    assert len(frame) == 17_520
    assert _Handler.referers == [SPOT_REFERER]
    assert (tmp_path / "spot_summary_2022.csv").read_bytes() == _Handler.payload
    again = get_jepx_spot(2022, cache_dir=tmp_path, url=local_jepx)
    assert len(_Handler.referers) == 1
    pd.testing.assert_frame_equal(frame, again)


def test_get_jepx_spot_refuses_a_page_that_is_not_a_summary(local_jepx, tmp_path) -> None:
    _Handler.payload = b"<html>maintenance</html>"
    with pytest.raises(DataFormatError, match="not a JEPX spot summary"):
        get_jepx_spot(2022, cache_dir=tmp_path, url=local_jepx)
    assert list(tmp_path.iterdir()) == []


def test_get_jepx_spot_unreachable_server(tmp_path: Path) -> None:
    with pytest.raises(GXDError, match="could not download"):
        get_jepx_spot(
            2022, cache_dir=tmp_path, url="http://127.0.0.1:9/{fiscal_year}.csv", timeout_s=2
        )


@pytest.mark.network
def test_get_jepx_spot_from_jepx(tmp_path: Path) -> None:
    frame = get_jepx_spot(2023, cache_dir=tmp_path)
    assert len(frame) == 17_568


def test_undecodable_byte_in_the_body_names_its_line(jepx_dir: Path, tmp_path: Path) -> None:
    path = _two_days(jepx_dir, tmp_path)
    lines = path.read_bytes().split(b"\n")
    lines[40] = lines[40].replace(b",", b",\xff", 1)
    path.write_bytes(b"\n".join(lines))
    assert_refused(read_jepx_spot, path, source=str(path), line=41, words="not valid")

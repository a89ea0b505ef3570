"""The VPPA page class without a server: what it shows is what the engine computes.

Expected figures are computed here by hand (numpy on the same inputs, or tiny
uploaded files worked out on paper), not by calling the page's own helpers.
"""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import openpyxl
import pandas as pd
import panel as pn
import pytest

from gxdlib import sample
from gxdlib.dashboards.vppa import VPPADashboard

# Four slots of 2022-04-01 noon: prices and output small enough to settle on paper.
PRICES_CSV = (
    b"slot_start,kyushu_jpy_per_kwh,system_jpy_per_kwh\n"
    b"2022-04-01T11:00+09:00,14,15\n"
    b"2022-04-01T11:30+09:00,0.01,9\n"
    b"2022-04-01T12:00+09:00,6,8\n"
    b"2022-04-01T12:30+09:00,20,21\n"
)
GENERATION_CSV = b"slot_start,generation_mwh\n2022-04-01T11:00,2\n2022-04-01T12:00,1\n"
# Hourly MWh split into slots: 1000, 1000, 500, 500 kWh.


@pytest.fixture
def sample_page(monkeypatch) -> VPPADashboard:
    monkeypatch.delenv("GXD_DATA_DIR", raising=False)
    pn.state.clear_caches()
    yield VPPADashboard(fiscal_year=2022)
    pn.state.clear_caches()


@pytest.fixture
def real_data(data_dir, monkeypatch) -> None:
    """The page reads the real files of ``data_dir``, not the caches of another test's data."""
    monkeypatch.setenv("GXD_DATA_DIR", str(data_dir))
    pn.state.clear_caches()
    yield
    pn.state.clear_caches()


@pytest.fixture
def upload_page() -> VPPADashboard:
    return upload(PRICES_CSV, GENERATION_CSV)


def totals_text(page: VPPADashboard) -> dict[str, str]:
    table = page.totals()[1].value
    return dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))


def upload(prices_csv: bytes, generation_csv: bytes) -> VPPADashboard:
    page = VPPADashboard(source="upload", strike=10.0, nfc_price=1.0)
    page.receive_upload("prices", "prices.csv", prices_csv)
    page.receive_upload("generation", "generation.csv", generation_csv)
    return page


def zero_prices(csv: bytes) -> bytes:
    """The same slots with every price at 0 JPY/kWh."""
    header, *rows = csv.decode().splitlines()
    width = header.count(",")
    return "\n".join([header, *(row.split(",")[0] + ",0" * width for row in rows)]).encode()


def test_sample_page_settles_the_scaled_sample_profile(sample_page) -> None:
    profile = sample.pv_profile_kwh_per_kw(fiscal_year=2022, site="kyushu").to_numpy()
    hours = profile.size / 2
    generation = profile / profile.sum() * 10_000 * 0.14 * hours
    price = sample.prices(2022)["kyushu"].to_numpy()
    expected_total = ((price - 12.0) * generation).sum()
    expected_capture = (price * generation).sum() / generation.sum()

    result = sample_page.settlement()
    assert result.total_jpy == pytest.approx(expected_total, rel=1e-9)
    assert result.capture_price == pytest.approx(expected_capture, rel=1e-12)
    shown = totals_text(sample_page)
    assert shown["Total settlement [JPY] (+: buyer receives)"] == f"{expected_total:,.0f}"
    assert shown["Contracted volume [MWh]"] == f"{generation.sum() / 1e3:,.1f}"
    assert shown["Capture rate [-]"] == f"{expected_capture / price.mean():.3f}"
    status = sample_page.data_status()
    assert [pane.alert_type for pane in status] == ["warning", "warning"]
    assert "Sample" in status[0].object and "Sample PV profile" in status[1].object


def test_raising_the_strike_lowers_the_total_by_strike_times_volume(sample_page) -> None:
    before = sample_page.settlement()
    sample_page.strike = 15.5
    after = sample_page.settlement()
    assert after.total_jpy == pytest.approx(
        before.total_jpy - 3.5 * before.total_volume_kwh, rel=1e-9
    )
    assert totals_text(sample_page)["Total settlement [JPY] (+: buyer receives)"] == (
        f"{after.total_jpy:,.0f}"
    )


def test_uploaded_files_settle_as_worked_by_hand(upload_page) -> None:
    # (14-10)*1000 + (0.01-10)*1000 + (6-10)*500 + (20-10)*500 = 4000 - 9990 - 2000 + 5000
    assert upload_page.settlement().total_jpy == pytest.approx(-2990.0)
    shown = totals_text(upload_page)
    assert shown["Total settlement [JPY] (+: buyer receives)"] == "-2,990"
    assert shown["Net payer"] == "Buyer pays"
    assert shown["Certificate cost [JPY]"] == "3,000"
    # capture price (14*1000 + 0.01*1000 + 6*500 + 20*500) / 3000
    assert shown["Capture price [JPY/kWh]"] == f"{27010 / 3000:.2f}"

    upload_page.floor_clause = "exclude"  # the 0.01 slot settles 0
    assert upload_page.settlement().total_jpy == pytest.approx(7000.0)
    upload_page.cap, upload_page.floor = 16.0, 8.0  # prices clipped to [8, 16]
    # exclude 0.01: (14-10)*1000 + 0 + (8-10)*500 + (16-10)*500 = 6000
    assert upload_page.settlement().total_jpy == pytest.approx(6000.0)
    upload_page.price_index = "system"
    # system: 15, 9, 8, 21 -> clipped 15, 9, 8, 16
    assert upload_page.settlement().total_jpy == pytest.approx(5000 - 1000 - 1000 + 3000)


def test_volume_forms(upload_page) -> None:
    upload_page.volume = "baseload"
    upload_page.baseload_kw = 1000.0  # 500 kWh per slot
    # (14 + 0.01 + 6 + 20 - 4 * 10) * 500
    assert upload_page.settlement().total_jpy == pytest.approx(0.005 * 1000)
    upload_page.volume = "shaped"
    # shape: mean per month x time of day; each slot is its own time of day here
    assert upload_page.settlement().total_jpy == pytest.approx(-2990.0)
    upload_page.volume = "as_produced"
    upload_page.share = 0.5
    assert upload_page.settlement().total_jpy == pytest.approx(-1495.0)


def test_downloads_hold_the_total_shown(upload_page) -> None:
    csv = pd.read_csv(upload_page.statement_csv())
    assert csv["period"].tolist() == ["2022-04", "total"]
    assert csv.loc[1, "settlement_jpy"] == pytest.approx(-2990.0)
    assert csv.loc[1, "volume_kwh"] == pytest.approx(3000.0)
    book = openpyxl.load_workbook(io.BytesIO(upload_page.statement_xlsx().getvalue()))
    assert book.sheetnames == ["statement", "contract"]
    rows = list(book["statement"].iter_rows(values_only=True))
    header = rows[0]
    assert rows[-1][0] == "total"
    assert rows[-1][header.index("settlement_jpy")] == pytest.approx(-2990.0)


def test_malformed_upload_gives_a_readable_message(upload_page) -> None:
    bad = PRICES_CSV.replace(b"0.01,9", b"0.01,nine")
    upload_page.receive_upload("prices", "bad_prices.csv", bad)
    message = upload_page.upload_messages["prices"]
    assert message.startswith("bad_prices.csv, line 3, column 'system_jpy_per_kwh'")
    alerts = upload_page.data_status()
    assert alerts[0].alert_type == "danger"
    assert "line 3" in alerts[0].object
    assert "Traceback" not in alerts[0].object
    # without accepted prices the page asks for files instead of settling
    assert upload_page.totals().alert_type == "info"
    upload_page.receive_upload("prices", "prices.txt", PRICES_CSV)
    assert "expected a file ending in .csv" in upload_page.upload_messages["prices"]


def test_invalid_terms_show_the_validation_message(upload_page) -> None:
    upload_page.floor, upload_page.cap = 20.0, 10.0
    alert = upload_page.totals()
    assert alert.alert_type == "danger"
    assert "a collar needs floor < cap" in alert.object
    upload_page.floor = None
    upload_page.price_index = "tokyo"  # not in the uploaded file
    assert "no column 'tokyo'" in upload_page.totals().object


def test_risk_table_matches_the_scenario_quantiles(sample_page) -> None:
    sample_page.n_scenarios, sample_page.n_years = 40, 2
    risk = sample_page.risk()
    annual = risk.annual.to_numpy()
    assert annual.shape == (40, 2)
    table = sample_page.risk_view()[1].value
    first_year = annual[:, 0]
    cfar = first_year.mean() - np.quantile(first_year, 0.05)
    assert table.iloc[0, 3] == f"{cfar:,.0f}"
    assert table.iloc[0, 1] == f"{first_year.mean():,.0f}"
    # blocks of the one history year: every scenario-year spends its volume in that year's shape
    assert risk.annual_volume_kwh.to_numpy().min() > 0


def test_japanese_labels(sample_page) -> None:
    sample_page.language = "ja"
    shown = totals_text(sample_page)
    assert "精算額合計 [円]（正：需要家が受取）" in shown
    assert shown["差額の支払者"] in {"需要家が支払い", "発電事業者が支払い（需要家が受取）"}
    assert "年度" in sample_page.data_status()[1].object


@pytest.mark.realdata
def test_real_kyushu_fy2022_is_marked_real(real_data) -> None:
    page = VPPADashboard(fiscal_year=2022)
    status = page.data_status()
    assert [pane.alert_type for pane in status] == ["success", "success"]
    assert "TSO solar actuals FY2022" in status[1].object
    result = page.settlement()
    assert len(result.intervals) == 17520
    # 10 MW at 14 % over 8,760 h
    assert result.total_volume_kwh == pytest.approx(10_000 * 0.14 * 8760, rel=1e-12)
    assert 0.5 < result.capture_rate < 0.95
    assert page.totals()[0].object == "#### Totals — FY2022 (Apr 2022-Mar 2023)"


def test_all_zero_prices_show_why_the_capture_rate_is_undefined() -> None:
    page = upload(zero_prices(PRICES_CSV), GENERATION_CSV)
    assert page.upload_messages == {}
    shown = totals_text(page)
    # (0 - 10) * 3000 kWh, and a capture price of 0 over a time-weighted mean of 0
    assert shown["Total settlement [JPY] (+: buyer receives)"] == "-30,000"
    assert shown["Capture price [JPY/kWh]"] == "0.00"
    assert shown["Time-weighted mean price [JPY/kWh]"] == "0.00"
    assert shown["Capture rate [-]"] == "undefined (see note)"
    assert "nan" not in " ".join(shown.values()).lower()
    note = page.totals()[2]
    assert note.alert_type == "warning"
    assert note.object.startswith("Capture rate cannot be computed")
    assert "0 JPY/kWh over the settled slots" in note.object
    assert "0 JPY/kWh over the settled slots" in page.capture()[2].object
    page.language = "ja"
    assert totals_text(page)["キャプチャー率 [-]"] == "定義できません（注記参照）"
    assert page.totals()[2].object.startswith("キャプチャー率を計算できません")


def test_no_output_shows_why_capture_price_and_rate_are_undefined() -> None:
    night = b"slot_start,generation_mwh\n2022-04-01T11:00,0\n2022-04-01T12:00,0\n"
    page = upload(PRICES_CSV, night)
    shown = totals_text(page)
    assert shown["Total settlement [JPY] (+: buyer receives)"] == "0"
    for key in ("Capture price [JPY/kWh]", "Capture rate [-]", "Settlement per kWh [JPY/kWh]"):
        assert shown[key] == "undefined (see note)"
    # (14 + 0.01 + 6 + 20) / 4
    assert shown["Time-weighted mean price [JPY/kWh]"] == f"{40.01 / 4:.2f}"
    assert page.totals()[2].object.startswith("Capture price and capture rate cannot be computed")


def test_an_unknown_capture_note_is_shown_as_the_library_wrote_it(upload_page) -> None:
    result = dataclasses.replace(upload_page.settlement(), capture_note="a new reason")
    assert upload_page.capture_note(result) == "a new reason"


def test_a_part_year_upload_is_labelled_and_gets_no_risk(upload_page) -> None:
    label = "FY2022, Apr 2022 only (1 of 12 months)"
    assert upload_page.totals()[0].object == f"#### Totals — {label}"
    coverage = [p for p in upload_page.data_status() if "data-coverage" in p.css_classes]
    assert len(coverage) == 1 and label in coverage[0].object
    risk = upload_page.risk_view()
    assert risk.alert_type == "warning"
    assert label in risk.object and "Choose a complete fiscal year" in risk.object


@pytest.mark.realdata
def test_real_fy2023_settles_april_to_december_and_says_so(real_data) -> None:
    page = VPPADashboard(fiscal_year=2023)
    result = page.settlement()
    # Kyushu's FY2023 files end on 31 December 2023: 30+31+30+31+31+30+31+30+31 = 275 days
    hours = 275 * 24
    assert len(result.intervals) == 2 * hours
    assert result.intervals.index[0] == pd.Timestamp("2023-04-01 00:00", tz="Asia/Tokyo")
    assert result.intervals.index[-1] == pd.Timestamp("2023-12-31 23:30", tz="Asia/Tokyo")
    # no complete year to weight the months by: 14 % over the hours present
    assert result.total_volume_kwh == pytest.approx(10_000 * 0.14 * hours, rel=1e-12)

    label = "FY2023, Apr-Dec 2023 only (9 of 12 months)"
    status = page.data_status()
    assert [pane.alert_type for pane in status] == ["success", "success", "warning"]
    assert label in status[2].object
    assert page.totals()[0].object == f"#### Totals — {label}"
    assert page.monthly_bars().opts.get().kwargs["title"] == f"Monthly settlement\n{label}"
    assert page.cumulative().opts.get().kwargs["title"] == f"Cumulative settlement\n{label}"
    assert page.capture()[0].object.endswith(label)
    risk = page.risk_view()
    assert risk.alert_type == "warning" and label in risk.object
    terms = dict(page.terms().itertuples(index=False))
    assert terms["coverage"] == label

    page.language = "ja"
    label_ja = "2023 年度、2023 年 4 月〜12 月のみ（12 か月中 9 か月）"
    assert label_ja in page.data_status()[2].object
    assert page.totals()[0].object == f"#### 合計 — {label_ja}"
    assert page.monthly_bars().opts.get().kwargs["title"] == f"月別精算額\n{label_ja}"
    assert label_ja in page.risk_view().object

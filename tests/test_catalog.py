"""The Intake catalog resolves real files through the gxdlib readers, or says what is missing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gxdlib import sample
from gxdlib.catalog import (
    TSOActuals,
    available_fiscal_years,
    load_prices,
    open_catalog,
    tso_files,
)
from gxdlib.errors import IncompleteYearError, MissingDataError, ValidationError
from gxdlib.io import read_jepx_spot
from gxdlib.io.tso import read_tso_actuals


@pytest.fixture
def real_data_env(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GXD_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture
def no_data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GXD_DATA_DIR", str(tmp_path))
    return tmp_path


def test_entries() -> None:
    assert set(open_catalog().entries) >= {
        "jepx_spot",
        "jepx_fip_reference",
        "tso_actuals",
        "sample_prices",
        "sample_profiles",
        "sample_demand",
    }


@pytest.mark.realdata
def test_jepx_spot_entry_reads_the_requested_fiscal_year(real_data_env: Path) -> None:
    frame = open_catalog()(fiscal_year=2019).jepx_spot.read()
    direct = read_jepx_spot(real_data_env / "jepx" / "spot_summary_2019.csv")
    pd.testing.assert_frame_equal(frame, direct)


@pytest.mark.realdata
def test_tso_entry_reads_all_quarters_of_a_year(real_data_env: Path) -> None:
    frame = open_catalog()(area="kyushu", fiscal_year=2017).tso_actuals.read()
    quarters = sorted((real_data_env / "tso" / "kyushu").glob("area_jyukyu_jisseki_H29_?Q.csv"))
    assert len(quarters) == 4
    pd.testing.assert_frame_equal(frame, read_tso_actuals(quarters, "kyushu"))
    assert len(frame) == 365 * 24
    assert frame.attrs["coverage"] == "FY2017 (Apr 2017-Mar 2018)"
    assert frame.attrs["partial"] is False


@pytest.mark.realdata
def test_tso_entry_refuses_a_partial_year_unless_asked(real_data_env: Path) -> None:
    # The FY2023 files end in December 2023.
    with pytest.raises(
        IncompleteYearError, match=r"Apr-Dec 2023 only \(9 of 12 months\)"
    ) as caught:
        open_catalog()(area="tohoku", fiscal_year=2023).tso_actuals.read()
    assert caught.value.months[0] == "2023-04" and caught.value.months[-1] == "2023-12"
    frame = open_catalog()(area="tohoku", fiscal_year=2023, partial=True).tso_actuals.read()
    assert frame.index[-1] == pd.Timestamp("2023-12-31 23:00", tz="Asia/Tokyo")
    assert frame.attrs["partial"] is True
    assert frame.attrs["months"] == [f"2023-{m:02d}" for m in range(4, 13)]
    assert frame.attrs["coverage"] == "FY2023, Apr-Dec 2023 only (9 of 12 months)"


def test_tso_partial_flag_must_be_a_boolean() -> None:
    with pytest.raises(ValidationError, match="'partial' must be true or false"):
        TSOActuals()._read(region="kyushu", year=2022, accept_partial="yes")


def test_missing_file_names_the_file_and_how_to_get_it(no_data_env: Path) -> None:
    with pytest.raises(MissingDataError) as caught:
        open_catalog()(fiscal_year=2022).jepx_spot.read()
    message = str(caught.value)
    assert str(no_data_env / "jepx" / "spot_summary_2022.csv") in message
    assert "get_jepx_spot(2022)" in message


def test_missing_tso_year_and_unknown_area(no_data_env: Path) -> None:
    with pytest.raises(MissingDataError, match="kansai"):
        tso_files("kansai", 2022)
    with pytest.raises(ValidationError, match="known for"):
        tso_files("okinawa", 2022)


def test_load_prices_falls_back_to_the_sample_and_says_so(no_data_env: Path) -> None:
    loaded = load_prices(2023)
    assert loaded.is_sample
    assert "Sample data" in loaded.source and "spot_summary_2023.csv" in loaded.source
    pd.testing.assert_frame_equal(loaded.frame, sample.prices(2023))
    assert available_fiscal_years() == []


@pytest.mark.realdata
def test_load_prices_prefers_real_data(real_data_env: Path) -> None:
    loaded = load_prices(2022)
    assert not loaded.is_sample
    assert round(loaded.frame["system"].mean(), 2) == 20.41
    assert available_fiscal_years() == list(range(2016, 2025))


def test_sample_entries_are_the_sample_functions() -> None:
    cat = open_catalog()
    pd.testing.assert_frame_equal(cat(fiscal_year=2021).sample_prices.read(), sample.prices(2021))
    demand = cat(kind="factory", fiscal_year=2023).sample_demand.read()
    pd.testing.assert_series_equal(demand, sample.demand_kwh("factory", fiscal_year=2023))
    profiles = cat(fiscal_year=2023).sample_profiles.read()
    assert list(profiles.columns) == ["pv_kwh_per_kw", "wind_kwh_per_kw"]

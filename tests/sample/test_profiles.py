"""Tests of gxdlib.sample.profiles (office and factory load) and the re-exports."""

from __future__ import annotations

import numpy as np
import pytest

from gxdlib import generation, sample
from gxdlib.errors import ValidationError
from gxdlib.sample import demand_kwh, profiles


def daily_totals(series):
    return series.groupby(series.index.date).sum()


@pytest.mark.parametrize("kind", ["office", "factory"])
@pytest.mark.parametrize(("fiscal_year", "slots"), [(2022, 17_520), (2023, 17_568)])
def test_demand_sums_to_annual_kwh_in_48_slots_a_day(kind, fiscal_year, slots):
    load = demand_kwh(kind, fiscal_year, annual_kwh=2_500_000.0)
    assert len(load) == slots
    assert load.sum() == pytest.approx(2_500_000.0, rel=1e-12)
    assert (load.groupby(load.index.date).size() == 48).all()
    assert (load > 0).all()
    assert str(load.index.tz) == "Asia/Tokyo"


def test_office_peaks_on_weekday_daytime_and_rests_on_holidays():
    office = demand_kwh("office", 2023, annual_kwh=1_000_000.0)
    days = daily_totals(office)
    weekday = days[str_date("2023-06-07")]  # a Wednesday in June
    for holiday in ("2023-05-03", "2023-05-04", "2023-08-15", "2024-01-02", "2023-06-10"):
        # Golden Week, Obon, New Year and a Saturday: base load only.
        assert days[str_date(holiday)] < 0.5 * weekday, holiday
    wednesday = office["2023-06-07"]
    assert (
        wednesday.between_time("10:00", "11:30").mean()
        > 2.5 * wednesday.between_time("01:00", "04:00").mean()
    )


def test_factory_is_flat_around_the_clock_with_shutdown_weeks():
    factory = demand_kwh("factory", 2023, annual_kwh=1_000_000.0)
    days = daily_totals(factory)
    weekday = days[str_date("2023-06-07")]
    wednesday = factory["2023-06-07"]
    night = wednesday.between_time("01:00", "04:00").mean()
    day = wednesday.between_time("09:00", "12:00").mean()
    assert night > 0.75 * day
    assert 0.5 * weekday < days[str_date("2023-06-10")] < 0.9 * weekday  # Saturday
    for shutdown in ("2023-05-02", "2023-08-14", "2024-01-04"):
        assert days[str_date(shutdown)] < 0.4 * weekday, shutdown


def test_demand_is_reproducible_and_seed_sensitive():
    first = profiles._demand_shape.__wrapped__("office", 2023, 3)
    second = profiles._demand_shape.__wrapped__("office", 2023, 3)
    assert np.array_equal(first.to_numpy(), second.to_numpy())
    other = demand_kwh("office", 2023, annual_kwh=1.0, seed=4)
    assert not np.array_equal(first.to_numpy(), other.to_numpy())


def test_demand_rejects_bad_arguments():
    with pytest.raises(ValidationError, match="kind"):
        demand_kwh("hospital")
    with pytest.raises(ValidationError, match="annual_kwh"):
        demand_kwh("office", annual_kwh=0.0)
    with pytest.raises(ValidationError, match="annual_kwh"):
        demand_kwh("factory", annual_kwh=float("nan"))


def test_sample_exports_the_generation_profiles():
    assert sample.pv_profile_kwh_per_kw is generation.pv_profile_kwh_per_kw
    assert sample.wind_profile_kwh_per_kw is generation.wind_profile_kwh_per_kw


def str_date(text):
    return np.datetime64(text).astype(object)

"""Tests of gxdlib.generation: calibration, physics bounds, determinism, helpers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gxdlib import generation
from gxdlib.errors import ValidationError
from gxdlib.generation import (
    normalise,
    pv_profile_kwh_per_kw,
    scale,
    wind_profile_kwh_per_kw,
)

HOURS_FY2023 = 366 * 24  # FY2023 includes 29 February 2024


def capacity_factor(profile_kwh_per_kw: pd.Series) -> float:
    return float(profile_kwh_per_kw.sum()) / (len(profile_kwh_per_kw) / 2)


def test_pv_index_covers_the_fiscal_year_in_48_slots_a_day():
    pv = pv_profile_kwh_per_kw(2022, "kyushu", seed=0)
    assert len(pv) == 365 * 48
    assert str(pv.index.tz) == "Asia/Tokyo"
    assert pv.index[0] == pd.Timestamp("2022-04-01 00:00", tz="Asia/Tokyo")
    assert (pv.groupby(pv.index.date).size() == 48).all()


@pytest.mark.parametrize(
    ("site", "seed"), [("kyushu", 0), ("kyushu", 1), ("kyushu", 2), ("tokyo", 0)]
)
def test_pv_capacity_factor_is_in_the_japanese_range(site, seed):
    # 12-15 % is 1,050-1,310 kWh/kW a year: JPEA's rule of thumb is about
    # 1,000 kWh/kW and manufacturers simulate 1,030-1,250 kWh/kW.
    assert 0.12 <= capacity_factor(pv_profile_kwh_per_kw(2023, site, seed)) <= 0.15


def test_pv_clear_sky_yield_bounds_the_typical_yield():
    clear = pv_profile_kwh_per_kw(2023, "kyushu", seed=0, clear_sky=True).sum()
    cloudy = pv_profile_kwh_per_kw(2023, "kyushu", seed=0).sum()
    # A cloudless year must beat the best typical Japanese yield (~1,300
    # kWh/kWp) yet stay below fixed-tilt yields of desert sites (~2,200).
    assert 1300 < clear < 2200
    # Japan's mean clear-sky index is far below 1 (tsuyu, winter clouds).
    assert 0.55 < cloudy / clear < 0.85


def test_pv_is_zero_at_night_and_never_above_the_inverter_limit():
    pv = pv_profile_kwh_per_kw(2023, "kyushu", seed=0)
    night = (pv.index.hour < 4) | (pv.index.hour >= 21)
    assert (pv[night] == 0).all()
    # DC/AC ratio 1.2: at most 1/1.2 kW AC per kW DC, for half an hour.
    assert pv.max() <= 0.5 / 1.2 + 1e-9
    assert pv.min() >= 0


def test_pv_rainy_season_june_yields_less_than_may():
    may, june = [], []
    for seed in range(5):
        pv = pv_profile_kwh_per_kw(2023, "kyushu", seed=seed)
        may.append(pv[pv.index.month == 5].sum())
        june.append(pv[pv.index.month == 6].sum())
    # Kyushu TSO solar actuals FY2016-2023: median June / May = 0.85.
    assert np.mean(june) < 0.92 * np.mean(may)


def test_pv_is_reproducible_without_the_cache_and_seed_sensitive():
    site = generation.SITES["kyushu"]
    first = generation._pv_kwh_per_kw.__wrapped__(2023, site, 7, 20.0, False)
    second = generation._pv_kwh_per_kw.__wrapped__(2023, site, 7, 20.0, False)
    assert np.array_equal(first.to_numpy(), second.to_numpy())
    other = pv_profile_kwh_per_kw(2023, "kyushu", seed=8)
    assert not np.array_equal(first.to_numpy(), other.to_numpy())
    # Fiscal years get different weather under one seed.
    next_year = pv_profile_kwh_per_kw(2024, "kyushu", seed=7)
    assert not np.array_equal(first.to_numpy()[:1000], next_year.to_numpy()[:1000])


def test_cached_profiles_are_copies():
    pv = pv_profile_kwh_per_kw(2023, "kyushu", seed=0)
    pv.iloc[:] = -1.0
    assert pv_profile_kwh_per_kw(2023, "kyushu", seed=0).min() >= 0


def test_pv_accepts_latitude_longitude_and_rejects_bad_sites():
    pv = pv_profile_kwh_per_kw(2023, (35.0, 135.0), seed=0)
    assert 0.12 <= capacity_factor(pv) <= 0.15
    with pytest.raises(ValidationError, match="unknown area 'okinawa'"):
        pv_profile_kwh_per_kw(2023, "okinawa")
    with pytest.raises(ValidationError, match="outside Japan"):
        pv_profile_kwh_per_kw(2023, (51.5, -0.1))
    with pytest.raises(ValidationError, match="tilt_deg"):
        pv_profile_kwh_per_kw(2023, "kyushu", tilt_deg=120.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_wind_capacity_factor_is_in_the_japanese_onshore_range(seed):
    assert 0.20 <= capacity_factor(wind_profile_kwh_per_kw(2023, seed=seed)) <= 0.30


def test_wind_is_stronger_in_winter_and_bounded_by_the_rating():
    wind = wind_profile_kwh_per_kw(2023, seed=0)
    winter = wind[wind.index.month.isin([12, 1, 2])].mean()
    summer = wind[wind.index.month.isin([6, 7, 8])].mean()
    assert winter > 1.5 * summer
    # The power curve tops out at the rating; losses take 12 % off.
    assert wind.max() <= 0.5 * (1 - generation.WIND_LOSS_FRACTION) + 1e-9
    assert wind.min() >= 0


def test_hub_wind_speed_follows_the_weibull_climate():
    index = generation.fiscal_year_slots(2023)
    speed = generation.hub_wind_speed_ms(index, generation.SITES["tohoku"], 3)
    # Mean of a Weibull(k=2) is scale * Gamma(1.5); the seasonal and diurnal
    # cosines average out over a year.
    expected = generation._WIND_WEIBULL_SCALE_MS * math.gamma(1.5)
    assert speed.mean() == pytest.approx(expected, rel=0.06)
    assert np.corrcoef(speed[:-1], speed[1:])[0, 1] > 0.9
    assert speed.min() >= 0


def test_wind_is_reproducible_without_the_cache_and_seed_sensitive():
    site = generation.SITES["tohoku"]
    first = generation._wind_kwh_per_kw.__wrapped__(2023, site, 5)
    second = generation._wind_kwh_per_kw.__wrapped__(2023, site, 5)
    assert np.array_equal(first.to_numpy(), second.to_numpy())
    assert not np.array_equal(first.to_numpy(), wind_profile_kwh_per_kw(2023, seed=6).to_numpy())


def test_ar1_has_unit_variance_and_the_requested_autocorrelation():
    series = generation.ar1(np.random.default_rng(0), 200_000, 0.8)
    assert series.std() == pytest.approx(1.0, abs=0.02)
    assert np.corrcoef(series[:-1], series[1:])[0, 1] == pytest.approx(0.8, abs=0.01)


def test_normalise_and_scale_by_hand():
    index = pd.date_range("2023-04-01", periods=4, freq="30min", tz="Asia/Tokyo")
    profile = pd.Series([0.0, 0.1, 0.3, 0.1], index=index)
    shape = normalise(profile)
    assert shape.tolist() == pytest.approx([0.0, 0.2, 0.6, 0.2])
    assert shape.index.equals(index)
    energy = scale(profile, 2000.0)
    assert energy.tolist() == pytest.approx([0.0, 200.0, 600.0, 200.0])
    assert energy.name == "energy_kwh"


def test_normalise_and_scale_reject_bad_input():
    index = pd.date_range("2023-04-01", periods=2, freq="30min", tz="Asia/Tokyo")
    with pytest.raises(ValidationError, match="first at 2023-04-01 00:30"):
        normalise(pd.Series([0.1, -0.1], index=index))
    with pytest.raises(ValidationError, match="total is zero"):
        normalise(pd.Series([0.0, 0.0], index=index))
    with pytest.raises(ValidationError, match="1 bad values"):
        scale(pd.Series([np.nan, 0.1], index=index), 10.0)
    with pytest.raises(ValidationError, match="capacity_kw"):
        scale(pd.Series([0.1, 0.1], index=index), -5.0)

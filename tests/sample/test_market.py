"""Tests of gxdlib.sample.market: layout, calibration to JEPX figures, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gxdlib.areas import AREAS
from gxdlib.errors import ValidationError
from gxdlib.sample import market, prices

COLUMNS = ["system", *AREAS, "sell_bid_kwh", "buy_bid_kwh", "contracted_kwh"]
# Published fiscal-year mean system prices [JPY/kWh] and Kyushu slots at the
# 0.01 floor, from DOMAIN.md (JEPX files), kept here independently of FY_STATS.
PUBLISHED_MEAN = {2016: 8.46, 2019: 7.93, 2022: 20.41, 2023: 10.74, 2024: 12.29}
PUBLISHED_KYUSHU_FLOOR = {2019: 693, 2023: 2178}


def spring_hours(frame: pd.DataFrame, first_hour: int, last_hour: int) -> np.ndarray:
    index = frame.index
    return np.isin(index.month, (3, 4, 5)) & (index.hour >= first_hour) & (index.hour < last_hour)


@pytest.mark.parametrize(("fiscal_year", "slots"), [(2022, 17_520), (2023, 17_568)])
def test_layout_is_that_of_read_jepx_spot(fiscal_year, slots):
    frame = prices(fiscal_year)
    assert list(frame.columns) == COLUMNS
    assert (frame.dtypes == "float64").all()
    assert len(frame) == slots
    assert frame.index.name == "slot_start"
    assert str(frame.index.tz) == "Asia/Tokyo"
    assert frame.index[0] == pd.Timestamp(f"{fiscal_year}-04-01", tz="Asia/Tokyo")
    assert (np.diff(frame.index.as_unit("ns").asi8) == 30 * 60 * 10**9).all()
    assert (frame.groupby(frame.index.date).size() == 48).all()
    assert not frame.isna().any().any()


@pytest.mark.parametrize("fiscal_year", sorted(PUBLISHED_MEAN))
def test_fiscal_year_mean_matches_the_published_figure(fiscal_year):
    mean = prices(fiscal_year)["system"].mean()
    assert mean == pytest.approx(PUBLISHED_MEAN[fiscal_year], rel=0.02)


@pytest.mark.parametrize("fiscal_year", sorted(PUBLISHED_KYUSHU_FLOOR))
def test_kyushu_floor_slots_match_the_real_count(fiscal_year):
    floor_slots = int((prices(fiscal_year)["kyushu"] <= 0.01).sum())
    assert floor_slots == pytest.approx(PUBLISHED_KYUSHU_FLOOR[fiscal_year], rel=0.05)


@pytest.mark.parametrize("fiscal_year", [2016, 2020, 2023])
def test_prices_never_fall_below_the_floor_and_have_two_decimals(fiscal_year):
    values = prices(fiscal_year)[["system", *AREAS]].to_numpy()
    assert values.min() >= 0.01
    # FY2016 had no floor slots (JEPX); later years do.
    assert (values.min() == 0.01) == (fiscal_year != 2016)
    assert np.allclose(values * 100, np.round(values * 100), atol=1e-6)


def test_spikes_stay_within_the_real_maximum():
    # DOMAIN.md: the FY2020 maximum was 251 JPY/kWh, in January 2021.
    fy2020 = prices(2020)
    assert fy2020[["system", *AREAS]].to_numpy().max() <= 251.0
    january = fy2020["system"][fy2020.index.month == 1].mean()
    assert january > 3 * fy2020["system"][fy2020.index.month.isin([4, 5, 6])].mean()


def test_other_areas_reach_the_floor_less_often_than_kyushu():
    frame = prices(2023)
    counts = (frame[list(AREAS)] <= 0.01).sum()
    assert counts.drop("kyushu").max() < 0.7 * counts["kyushu"]
    # The east (50 Hz) is furthest from Kyushu's surplus.
    assert counts[["hokkaido", "tohoku", "tokyo"]].max() < 0.2 * counts["kyushu"]


def test_spring_midday_dip_is_deepest_in_kyushu():
    frame = prices(2023)
    midday, evening = spring_hours(frame, 11, 14), spring_hours(frame, 17, 20)
    kyushu_ratio = frame["kyushu"][midday].mean() / frame["kyushu"][evening].mean()
    tokyo_ratio = frame["tokyo"][midday].mean() / frame["tokyo"][evening].mean()
    # JEPX FY2023: Kyushu spring midday 1.9-2.5 against 14 in the evening.
    assert kyushu_ratio < 0.35
    assert kyushu_ratio < tokyo_ratio


def test_daily_and_seasonal_shapes():
    frame = prices(2023)
    by_hour = frame["system"].groupby(frame.index.hour).mean()
    assert by_hour.idxmax() in (17, 18, 19)  # evening peak
    assert by_hour[18] > 1.25 * by_hour[3] > 1.25 * by_hour[12]
    by_month = frame["system"].groupby(frame.index.month).mean()
    # JEPX FY2023: winter and late summer above the April-May trough.
    assert by_month[[8, 9, 12, 1, 2]].mean() > 1.15 * by_month[[4, 5]].mean()


def test_area_prices_couple_and_split():
    frame = prices(2023)
    equal = frame[list(AREAS)].eq(frame["system"], axis=0).mean()
    assert (equal > 0.2).all() and (equal < 0.8).all()
    means = frame[["system", *AREAS]].mean()
    assert means["tokyo"] > means["system"] > means["kyushu"]
    assert frame["system"].max() > 2.5 * means["system"]  # occasional spikes


def test_volumes_are_consistent():
    frame = prices(2023)
    assert (frame["sell_bid_kwh"] >= frame["contracted_kwh"]).all()
    assert (frame["buy_bid_kwh"] >= frame["contracted_kwh"]).all()
    assert (frame[["sell_bid_kwh", "buy_bid_kwh", "contracted_kwh"]] % 50 == 0).all().all()
    assert 1.0e7 < frame["contracted_kwh"].mean() < 2.0e7


def test_prices_are_reproducible_without_the_cache_and_seed_sensitive():
    first = market._prices.__wrapped__(2023, 11)
    second = market._prices.__wrapped__(2023, 11)
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    other = prices(2023, seed=12)
    assert not np.array_equal(first["system"].to_numpy(), other["system"].to_numpy())
    # A different seed keeps the calibration.
    assert other["system"].mean() == pytest.approx(10.74, rel=0.02)
    assert int((other["kyushu"] <= 0.01).sum()) == pytest.approx(2178, rel=0.05)


def test_cached_prices_are_copies():
    frame = prices(2023)
    frame.iloc[:, 0] = -5.0
    assert prices(2023)["system"].min() == 0.01


def test_fiscal_years_without_figures_are_refused():
    with pytest.raises(ValidationError, match="FY2030.*FY2016-FY2024"):
        prices(2030)


@pytest.mark.realdata
def test_calibration_against_the_real_jepx_file(jepx_dir):
    from gxdlib.io.jepx import read_jepx_spot

    real = read_jepx_spot(jepx_dir / "spot_summary_2023.csv")
    sample = prices(2023)
    assert list(sample.columns) == list(real.columns)
    assert (sample.dtypes == real.dtypes).all()
    assert sample.index.equals(real.index)
    assert sample["system"].mean() == pytest.approx(real["system"].mean(), rel=0.02)
    assert (sample["kyushu"] <= 0.01).sum() == pytest.approx(
        (real["kyushu"] <= 0.01).sum(), rel=0.05
    )
    assert sample["contracted_kwh"].mean() == pytest.approx(real["contracted_kwh"].mean(), rel=0.05)
    midday, spring = spring_hours(real, 11, 14), spring_hours(real, 0, 24)
    real_ratio = real["system"][midday].mean() / real["system"][spring].mean()
    sample_ratio = sample["system"][midday].mean() / sample["system"][spring].mean()
    assert sample_ratio == pytest.approx(real_ratio, abs=0.05)

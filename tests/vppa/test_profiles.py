"""plant_generation_kwh over several fiscal years: hand-worked fleets, partial years, Kyushu."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gxdlib.errors import IncompleteYearError, ValidationError
from gxdlib.io.tso import read_tso_actuals
from gxdlib.timeseries import TZ, fiscal_year, to_slots
from gxdlib.vppa.profiles import plant_generation_kwh

CAPACITY_KW = 1000.0
CF = 0.2


def _slots(start: str, end: str) -> pd.DatetimeIndex:
    return pd.date_range(start, end, freq="30min", inclusive="left", tz=TZ)


def _noon_profile(slots: pd.DatetimeIndex, per_day: np.ndarray | float) -> pd.Series:
    """``per_day`` units in the noon slot of each day, nothing in the other slots."""
    noon = (slots.hour == 12) & (slots.minute == 0)
    return pd.Series(np.where(noon, per_day, 0.0), index=slots)


def _yields(generation: pd.Series) -> list[float]:
    return generation.groupby(fiscal_year(generation.index)).sum().tolist()


def _hours(fy: int) -> float:
    return (dt.date(fy + 1, 4, 1) - dt.date(fy, 4, 1)).days * 24.0


TWO_YEARS = _slots("2021-04-01", "2023-04-01")  # FY2021 and FY2022, 8,760 h each
SECOND = TWO_YEARS >= pd.Timestamp("2022-04-01", tz=TZ)


def test_a_doubled_fleet_under_the_same_weather_gives_equal_yields():
    area = _noon_profile(TWO_YEARS, np.where(SECOND, 2.0, 1.0))
    plant = plant_generation_kwh(area, CAPACITY_KW, CF)
    # each fiscal year: 1,000 kW x 0.2 x 8,760 h
    np.testing.assert_allclose(_yields(plant), [1_752_000.0, 1_752_000.0])
    # one spread over both years would have given the second year twice the first
    assert plant.name == "generation_kwh"
    assert plant.attrs["coverage"] == ["FY2021 (Apr 2021-Mar 2022)", "FY2022 (Apr 2022-Mar 2023)"]


def test_the_shape_within_a_year_is_the_profile_s():
    weather = np.where(TWO_YEARS.month.isin([6, 7]), 0.5, 1.0)  # a dull June and July
    area = _noon_profile(TWO_YEARS, weather * np.where(SECOND, 3.0, 1.0))
    plant = plant_generation_kwh(area, CAPACITY_KW, CF)
    producing = area > 0
    ratio = plant[producing] / area[producing]
    # one factor per fiscal year: 1,752,000 kWh over the year's output
    first_year_output = (30 + 31) * 0.5 + (365 - 61) * 1.0
    expected = np.where(
        SECOND[producing], 1_752_000 / (3 * first_year_output), 1_752_000 / first_year_output
    )
    np.testing.assert_allclose(ratio, expected)


def test_with_fleet_capacities_the_yield_follows_the_weather():
    # the fleet doubles (100 -> 200 kW) and the second year is 20 % duller on every day
    area = _noon_profile(TWO_YEARS, np.where(SECOND, 2.0 * 0.8, 1.0))
    plant = plant_generation_kwh(
        area, CAPACITY_KW, CF, fleet_capacity_kw={2021: 100.0, 2022: 200.0}
    )
    # per kW of fleet: 365 x 1 / 100 in FY2021, 365 x 1.6 / 200 in FY2022, ratio 1 : 0.8;
    # the plant's mean capacity factor over both years is 0.2: 2 x 1,752,000 kWh in all
    total = 2 * 1_752_000.0
    np.testing.assert_allclose(_yields(plant), [total / 1.8, total * 0.8 / 1.8])
    same_weather = plant_generation_kwh(
        _noon_profile(TWO_YEARS, np.where(SECOND, 2.0, 1.0)),
        CAPACITY_KW,
        CF,
        fleet_capacity_kw={2021: 100.0, 2022: 200.0},
    )
    np.testing.assert_allclose(_yields(same_weather), [1_752_000.0, 1_752_000.0])


# FY2022 complete, FY2023 April to December only (as the TSO files are)
WITH_PARTIAL = _slots("2022-04-01", "2024-01-01")
SUMMER_HALF = WITH_PARTIAL.month.isin([4, 5, 6, 7, 8, 9])


def test_a_partial_year_gets_the_share_its_months_have_in_a_complete_year():
    # 1 unit a day April-September, 0.5 October-March; the fleet doubles in FY2023
    doubled = WITH_PARTIAL >= pd.Timestamp("2023-04-01", tz=TZ)
    area = _noon_profile(WITH_PARTIAL, np.where(SUMMER_HALF, 1.0, 0.5) * np.where(doubled, 2, 1))
    with pytest.raises(IncompleteYearError, match="Apr-Dec 2023"):
        plant_generation_kwh(area, CAPACITY_KW, CF)
    plant = plant_generation_kwh(area, CAPACITY_KW, CF, partial=True)
    # FY2022: 183 days x 1 + 182 days x 0.5 = 274 units, of which April-December
    # (183 days x 1 + 92 days x 0.5) = 229; FY2023 as a whole year has 8,784 h
    np.testing.assert_allclose(
        _yields(plant), [CAPACITY_KW * CF * 8760, CAPACITY_KW * CF * 8784 * 229 / 274]
    )
    assert plant.attrs["coverage"][1] == "FY2023, Apr-Dec 2023 only (9 of 12 months)"


def test_a_profile_with_no_complete_year_takes_the_factor_over_its_own_period():
    slots = _slots("2023-04-01", "2024-01-01")
    plant = plant_generation_kwh(
        _noon_profile(slots, 1.0), CAPACITY_KW, CF, partial=True, fleet_capacity_kw=None
    )
    assert plant.sum() == pytest.approx(CAPACITY_KW * CF * len(slots) / 2)
    with_fleet = plant_generation_kwh(
        _noon_profile(slots, 3.0), CAPACITY_KW, CF, partial=True, fleet_capacity_kw={2023: 5.0}
    )
    np.testing.assert_allclose(with_fleet, plant)


def test_bad_fleet_capacities_and_empty_years_are_refused():
    area = _noon_profile(TWO_YEARS, 1.0)
    with pytest.raises(ValidationError, match="no capacity for FY2022"):
        plant_generation_kwh(area, CAPACITY_KW, CF, fleet_capacity_kw={2021: 100.0})
    with pytest.raises(ValidationError, match=r"FY2021 has 0\.0"):
        plant_generation_kwh(area, CAPACITY_KW, CF, fleet_capacity_kw={2021: 0.0, 2022: 1.0})
    with pytest.raises(ValidationError, match="no output in FY2022"):
        plant_generation_kwh(area.where(~SECOND, 0.0), CAPACITY_KW, CF)
    with pytest.raises(ValidationError, match="capacity_factor"):
        plant_generation_kwh(area, CAPACITY_KW, 1.2)
    with pytest.raises(ValidationError, match="non-negative"):
        plant_generation_kwh(area.where(~SECOND, -1.0), CAPACITY_KW, CF)


@settings(max_examples=15, deadline=None)
@given(
    growth=st.floats(0.1, 10.0),
    weather_seed=st.integers(0, 2**32 - 1),
)
def test_the_fleet_s_growth_never_reaches_the_plant(growth, weather_seed):
    # the same random weather year twice, the fleet scaled by ``growth`` in the second
    weather = np.random.default_rng(weather_seed).uniform(0.0, 1.0, 365)
    per_day = np.concatenate([weather, weather * growth])
    area = _noon_profile(TWO_YEARS, np.repeat(per_day, 48))
    np.testing.assert_allclose(
        _yields(plant_generation_kwh(area, CAPACITY_KW, CF)), [1_752_000.0] * 2
    )


def test_real_kyushu_solar_fy2019_to_fy2022(tso_dir):
    files = sorted(
        path
        for fy in range(2019, 2023)
        for path in (tso_dir / "kyushu").glob(f"area_jyukyu_jisseki_{fy}_*Q.csv")
    )
    assert len(files) == 16
    area = to_slots(read_tso_actuals(files, "kyushu")["solar_mwh"]) * 1000.0
    plant = plant_generation_kwh(area, 10_000.0, 0.14)
    fy = fiscal_year(area.index)
    area_twh = (area.groupby(fy).sum() / 1e9).round(2).tolist()
    # the fleet grew by about a third, FY2019 to FY2022 (Kyushu TSO area actuals)
    assert area_twh == [10.44, 12.48, 12.46, 13.74]
    expected = [10_000.0 * 0.14 * _hours(y) for y in range(2019, 2023)]  # FY2019 holds 29 Feb 2020
    np.testing.assert_allclose(_yields(plant), expected)
    # and inside each year the plant keeps the area's shape
    producing = area > 0
    ratio = (plant[producing] / area[producing]).groupby(fy[producing]).agg(["min", "max"])
    np.testing.assert_allclose(ratio["min"], ratio["max"], rtol=1e-12)

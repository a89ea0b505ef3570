"""optimize refuses inputs that would mislead, built from a week of real JEPX prices.

Every refusal is a ValidationError naming the argument and the first
offending step; nothing else escapes (no solver error, no NaN result).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxdlib.errors import ValidationError
from gxdlib.io import read_jepx_spot
from gxdlib.procurement import Certificate, Generator, Grid, Target, optimize

WEEK = 168


@pytest.fixture(scope="module")
def week(jepx_dir) -> pd.DataFrame:
    """Kyushu's hourly prices of the first week of FY2022, a sun profile and a load."""
    prices = read_jepx_spot(jepx_dir / "spot_summary_2022.csv", fiscal_year=2022)["kyushu"]
    hourly = prices.to_numpy()[: 2 * WEEK].reshape(WEEK, 2).mean(axis=1)
    index = prices.index[: 2 * WEEK : 2]
    hour = index.hour.to_numpy()
    return pd.DataFrame(
        {
            "price": hourly + 10.0,
            "pv": np.clip(np.sin(np.pi * (hour - 6) / 12), 0, None) * 0.8,
            "demand": 100.0 + 30.0 * ((hour >= 8) & (hour < 19)),
        },
        index=index,
    )


def _solve(week: pd.DataFrame) -> object:
    pv = Generator("pv", week["pv"], ppa_price_jpy_per_kwh=12.0)
    grid = Grid(price_jpy_per_kwh=week["price"], cfe_share=0.3)
    return optimize(week["demand"], [pv, Certificate("nfc", 0.4)], grid, Target.hourly_cfe(0.5))


def test_the_real_week_solves(week):
    assert _solve(week).cfe_score >= 0.5 - 1e-9


BAD_VALUES = st.sampled_from([np.nan, np.inf, -np.inf])
FIXTURE_OK = [HealthCheck.function_scoped_fixture]  # the fixture is read-only here


@settings(max_examples=25, deadline=None, suppress_health_check=FIXTURE_OK)
@given(
    column=st.sampled_from(["price", "pv", "demand"]), row=st.integers(0, WEEK - 1), bad=BAD_VALUES
)
def test_a_non_finite_value_is_refused_with_its_argument_and_step(week, column, row, bad):
    corrupted = week.copy()
    corrupted.iloc[row, corrupted.columns.get_loc(column)] = bad
    what = {"price": "grid price", "pv": "profile", "demand": "demand_kwh"}[column]
    with pytest.raises(ValidationError, match=what) as raised:
        _solve(corrupted)
    assert str(week.index[row]) in str(raised.value)


@settings(max_examples=20, deadline=None, suppress_health_check=FIXTURE_OK)
@given(row=st.integers(0, WEEK - 1), factor=st.sampled_from([1.5, 2.0, 1000.0]))
def test_a_capacity_factor_above_one_is_refused(week, row, factor):
    """A profile above one kWh per kW in an hour: given in W/kW, or for the whole fleet."""
    corrupted = week.copy()
    corrupted.iloc[row, corrupted.columns.get_loc("pv")] = factor
    with pytest.raises(ValidationError, match="profile"):
        _solve(corrupted)


@pytest.mark.parametrize(
    "index",
    [
        lambda i: i.tz_localize(None),
        lambda i: pd.RangeIndex(len(i)),
        lambda i: pd.Index(i.strftime("%Y-%m-%d %H:%M")),
    ],
)
def test_an_index_that_is_not_tz_aware_is_refused(week, index):
    demand = week["demand"].set_axis(index(week.index))
    grid = Grid(price_jpy_per_kwh=12.0)
    with pytest.raises(ValidationError, match="demand_kwh"):
        optimize(demand, [Certificate("nfc", 0.4)], grid, Target.annual_re(1.0))

"""Block bootstrap: shape, determinism, joint draws from history, calendar alignment."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from gxdlib.errors import ValidationError
from gxdlib.scenarios import bootstrap
from gxdlib.timeseries import SLOTS_PER_DAY, fiscal_year_slots

HISTORY = fiscal_year_slots(2022)


def history(seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    hour = HISTORY.hour.to_numpy() + HISTORY.minute.to_numpy() / 60
    sun = np.clip(np.sin((hour - 6) / 12 * np.pi), 0, None)
    gen = pd.Series(1000 * sun * rng.uniform(0.2, 1.0, len(HISTORY)), index=HISTORY)
    system = np.round(np.where(sun > 0.8, 0.01, rng.uniform(5, 30, len(HISTORY))), 2)
    prices = pd.DataFrame(
        {"system": system, "kyushu": system * 0.9, "contracted_kwh": 1e6}, index=HISTORY
    )
    return prices, gen


PRICES, GEN = history()


def test_shape_and_horizon():
    s = bootstrap(PRICES, GEN, n_scenarios=5, n_years=2, block="week", seed=1)
    assert s.n_scenarios == 5
    assert s.index[0] == pd.Timestamp("2023-04-01", tz="Asia/Tokyo")
    assert len(s.index) == 17568 + 17520  # FY2023 has 29 February 2024
    assert s.prices("kyushu").shape == (5, len(s.index))
    assert s.generation_kwh(1, 3).shape == (2, len(s.index))
    assert list(s.history_prices.columns) == ["system", "kyushu"]


def test_same_seed_same_set_other_seed_other_set():
    a = bootstrap(PRICES, GEN, 4, 1, seed=11)
    b = bootstrap(PRICES, GEN, 4, 1, seed=11)
    c = bootstrap(PRICES, GEN, 4, 1, seed=12)
    np.testing.assert_array_equal(a.prices("system"), b.prices("system"))
    np.testing.assert_array_equal(a.generation_kwh(), b.generation_kwh())
    assert not np.array_equal(a.block_starts, c.block_starts)


@pytest.mark.parametrize("block", ["day", "week", 3])
def test_price_and_generation_come_jointly_from_the_same_history_slot(block):
    s = bootstrap(PRICES, GEN, 3, 1, block=block, seed=5, start_fiscal_year=2030)
    positions = s.history_positions()
    np.testing.assert_array_equal(s.prices("system"), PRICES["system"].to_numpy()[positions])
    np.testing.assert_array_equal(s.prices("kyushu"), PRICES["kyushu"].to_numpy()[positions])
    np.testing.assert_array_equal(s.generation_kwh(), GEN.to_numpy()[positions])
    # within a block consecutive slots come from consecutive history slots
    steps = np.diff(positions, axis=1)
    inside = np.ones(positions.shape[1] - 1, dtype=bool)
    inside[s.block_slots - 1 :: s.block_slots] = False
    assert (steps[:, inside] == 1).all()
    # time of day is kept everywhere
    day = pd.Timedelta("1D").value
    scenario_tod = s.index.as_unit("ns").asi8 % day
    history_tod = HISTORY.as_unit("ns").asi8[positions] % day
    assert (history_tod == scenario_tod).all()


def fiscal_day(stamps: pd.DatetimeIndex) -> np.ndarray:
    """Days since 1 April of each timestamp's fiscal year, computed by hand."""
    years = np.where(stamps.month < 4, stamps.year - 1, stamps.year)
    april = pd.DatetimeIndex([f"{y}-04-01" for y in years], tz=stamps.tz)
    return np.asarray((stamps - april).days)


def test_blocks_match_weekday_and_season():
    s = bootstrap(PRICES, GEN, 50, 1, block="week", seed=2, window_days=10)
    starts = HISTORY[s.block_starts.ravel()]
    targets = s.index[np.tile(np.arange(0, len(s.index), s.block_slots), s.n_scenarios)]
    assert (starts.day_of_week == targets.day_of_week).all()
    assert (np.abs(fiscal_day(starts) - fiscal_day(targets)) <= 10).all()
    # and draws vary: more than one history week is used for the first block
    assert len(np.unique(s.block_starts[:, 0])) > 1


def test_values_are_historical_so_the_floor_is_kept():
    s = bootstrap(PRICES, GEN, 4, 1, seed=3)
    scenario = s.prices("system")
    assert np.isin(scenario, PRICES["system"].to_numpy()).all()
    assert scenario.min() == 0.01
    assert (scenario == 0.01).mean() == pytest.approx((PRICES["system"] == 0.01).mean(), rel=0.2)


def test_a_series_of_prices_is_used_for_any_index():
    s = bootstrap(PRICES["kyushu"], GEN, 2, 1, seed=3)
    np.testing.assert_array_equal(
        s.prices("tokyo"), PRICES["kyushu"].to_numpy()[s.history_positions()]
    )


def test_unknown_price_index_is_refused():
    s = bootstrap(PRICES, GEN, 2, 1, seed=3)
    with pytest.raises(ValidationError, match="'tokyo'"):
        s.prices("tokyo")


def test_history_shorter_than_a_block_or_a_season_is_refused():
    with pytest.raises(ValidationError, match="shorter than one block"):
        bootstrap(PRICES.iloc[: 3 * SLOTS_PER_DAY], GEN.iloc[: 3 * SLOTS_PER_DAY], 2, 1, seed=0)
    with pytest.raises(ValidationError, match="no historical block"):
        bootstrap(PRICES.iloc[: 60 * SLOTS_PER_DAY], GEN.iloc[: 60 * SLOTS_PER_DAY], 2, 1, seed=0)


def test_gaps_and_nan_in_the_common_history_are_named():
    with pytest.raises(ValidationError, match="missing at 1 slots.*2022-04-02 00:00:00"):
        bootstrap(PRICES.drop(HISTORY[48]), GEN, 2, 1, seed=0)
    prices = PRICES.copy()
    prices.iloc[100, 1] = np.nan
    with pytest.raises(ValidationError, match="'kyushu'.*2022-04-03 02:00:00"):
        bootstrap(prices, GEN, 2, 1, seed=0)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"n_scenarios": 0}, "n_scenarios"),
        ({"n_years": 0}, "n_years"),
        ({"block": "month"}, "block"),
    ],
)
def test_bad_arguments(kwargs, fragment):
    with pytest.raises(ValidationError, match=fragment):
        bootstrap(PRICES, GEN, **({"n_scenarios": 2, "n_years": 1} | kwargs), seed=0)


def test_the_scenarios_package_stands_without_the_vppa_domain() -> None:
    code = "import sys, gxdlib.scenarios; print('gxdlib.vppa' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"

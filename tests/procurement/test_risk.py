"""Scenarios, CVaR and the mean-CVaR frontier."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gxdlib.errors import ValidationError
from gxdlib.procurement import (
    CVaR,
    PortfolioModel,
    Scenarios,
    Target,
    efficient_frontier,
    optimize,
)
from tests.procurement.instances import instance

ALPHA = 0.8
TARGET = Target.hourly_cfe(0.8)


def _scenarios(demand: pd.Series, resources, grid) -> Scenarios:
    names = ["low", "mid", "high", "crisis"]
    level = np.array([0.7, 1.0, 1.3, 2.5])
    windiness = np.array([1.2, 1.0, 0.8, 0.5])
    price = np.asarray(grid.price_jpy_per_kwh)[:, None] * level
    wind = np.clip(np.asarray(resources[1].profile)[:, None] * windiness, 0, 1)
    frame = lambda values: pd.DataFrame(values, index=demand.index, columns=names)  # noqa: E731
    return Scenarios(
        probability=pd.Series([0.3, 0.3, 0.3, 0.1], index=names),
        grid_price_jpy_per_kwh=frame(price),
        export_price_jpy_per_kwh=frame(0.6 * price),
        profiles={"wind": frame(wind)},
    )


@pytest.fixture(scope="module")
def case():
    demand, resources, grid, _ = instance(steps=24)
    return demand, resources, grid, _scenarios(demand, resources, grid)


def _empirical_cvar(costs: np.ndarray, p: np.ndarray, alpha: float) -> float:
    """min over eta of eta + E[(L - eta)+] / (1 - alpha); the minimum is at a scenario cost."""
    excess = np.maximum(costs[None, :] - costs[:, None], 0.0) @ p
    return float(np.min(costs + excess / (1 - alpha)))


def test_zero_weight_equals_expected_cost(case):
    demand, resources, grid, scenarios = case
    neutral = optimize(demand, resources, grid, TARGET, scenarios=scenarios)
    zero = optimize(
        demand, resources, grid, TARGET, scenarios=scenarios, risk=CVaR(alpha=ALPHA, weight=0.0)
    )
    assert zero.objective_jpy == pytest.approx(neutral.cost_jpy, rel=1e-7)
    assert zero.cost_jpy == pytest.approx(neutral.cost_jpy, rel=1e-7)


def test_cvar_matches_the_empirical_formula(case):
    demand, resources, grid, scenarios = case
    res = optimize(
        demand, resources, grid, TARGET, scenarios=scenarios, risk=CVaR(alpha=ALPHA, weight=2.0)
    )
    costs = res.scenario_costs_jpy.to_numpy()
    p = scenarios.probability.to_numpy()
    assert res.cvar_jpy == pytest.approx(_empirical_cvar(costs, p, ALPHA), rel=1e-7)
    # Second definition: the mean of the worst 1 - alpha of probability.
    order = np.argsort(costs)[::-1]
    taken = np.minimum(
        p[order], np.maximum(1 - ALPHA - np.concatenate([[0], np.cumsum(p[order])[:-1]]), 0)
    )
    assert taken.sum() == pytest.approx(1 - ALPHA)
    assert res.cvar_jpy == pytest.approx(taken @ costs[order] / (1 - ALPHA), rel=1e-7)
    assert res.cost_jpy == pytest.approx(p @ costs, rel=1e-9)
    assert res.objective_jpy == pytest.approx(res.cost_jpy + 2.0 * res.cvar_jpy, rel=1e-7)


def test_risk_aversion_trades_expected_cost_for_cvar(case):
    demand, resources, grid, scenarios = case
    neutral = optimize(demand, resources, grid, TARGET, scenarios=scenarios, risk=CVaR(ALPHA, 0.0))
    averse = optimize(demand, resources, grid, TARGET, scenarios=scenarios, risk=CVaR(ALPHA, 5.0))
    assert averse.cvar_jpy < neutral.cvar_jpy
    assert averse.cost_jpy >= neutral.cost_jpy - 1e-6 * neutral.cost_jpy


def test_targets_hold_in_every_scenario(case):
    demand, resources, grid, scenarios = case
    res = optimize(demand, resources, grid, TARGET, scenarios=scenarios, risk=CVaR(ALPHA, 1.0))
    assert res.dispatch.columns.names == ["scenario", "quantity"]
    gamma = np.asarray(grid.cfe_share)
    for name in scenarios.names:
        d = res.dispatch[name]
        score = 1 - ((1 - gamma) * d["grid_import_kwh"]).sum() / demand.sum()
        assert score >= 0.8 - 1e-7
        np.testing.assert_allclose(
            d["wind_kwh"], res.capacities["wind_kw"] * scenarios.profiles["wind"][name]
        )
    assert res.cost_breakdown_jpy.sum() == pytest.approx(res.cost_jpy, rel=1e-9)


def test_one_certain_scenario_is_the_deterministic_problem(case):
    demand, resources, grid, _ = case
    single = Scenarios(probability=pd.Series([1.0], index=["only"]))
    a = optimize(demand, resources, grid, TARGET, scenarios=single)
    b = optimize(demand, resources, grid, TARGET)
    assert a.cost_jpy == pytest.approx(b.cost_jpy, rel=1e-9)
    pd.testing.assert_frame_equal(a.dispatch["only"], b.dispatch, check_names=False, atol=1e-6)


def test_frontier_compiles_once_and_is_monotone(case):
    demand, resources, grid, scenarios = case
    weights = [0.0, 0.5, 2.0, 10.0]
    frontier = efficient_frontier(
        demand, resources, grid, TARGET, scenarios, weights=weights, alpha=ALPHA
    )
    points = frontier.points
    assert list(points.index) == weights
    assert np.all(np.diff(points["expected_cost_jpy"]) >= -1e-6 * points["expected_cost_jpy"].max())
    assert np.all(np.diff(points["cvar_jpy"]) <= 1e-6 * points["cvar_jpy"].max())
    direct = optimize(demand, resources, grid, TARGET, scenarios=scenarios, risk=CVaR(ALPHA, 2.0))
    assert points.loc[2.0, "objective_jpy"] == pytest.approx(direct.objective_jpy, rel=1e-7)
    model = PortfolioModel(
        demand, resources, grid, TARGET, scenarios=scenarios, risk=CVaR(ALPHA, 1.0)
    )
    assert model.problem.is_dpp()


def test_scenario_inputs_are_checked(case):
    demand, resources, grid, scenarios = case
    with pytest.raises(ValidationError, match="sum to 1"):
        Scenarios(probability=pd.Series([0.5, 0.6], index=["a", "b"]))
    with pytest.raises(ValidationError, match="columns"):
        Scenarios(
            probability=pd.Series([0.5, 0.5], index=["a", "b"]),
            grid_price_jpy_per_kwh=pd.DataFrame({"b": [1.0], "a": [1.0]}),
        )
    bad = Scenarios(
        probability=scenarios.probability, profiles={"nuclear": scenarios.profiles["wind"]}
    )
    with pytest.raises(ValidationError, match="unknown generators"):
        optimize(demand, resources, grid, TARGET, scenarios=bad)
    with pytest.raises(ValidationError, match="weights"):
        efficient_frontier(demand, resources, grid, TARGET, scenarios, weights=[-1.0])

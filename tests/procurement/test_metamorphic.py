"""Metamorphic properties of the procurement optimum."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gxdlib.errors import InfeasibleTargetError
from gxdlib.procurement import Certificate, Target, optimize
from tests.procurement.instances import instance


def test_cost_never_falls_as_the_cfe_target_rises():
    demand, resources, grid, _ = instance()
    shares = np.array([0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 1.0])
    costs = []
    for share in shares:
        res = optimize(demand, resources, grid, Target.hourly_cfe(share))
        costs.append(res.cost_jpy)
        assert res.cfe_score >= share - 1e-7
    costs = np.array(costs)
    assert np.all(np.diff(costs) >= -1e-6 * np.abs(costs[1:]))
    # An LP's optimum is convex in its right-hand side: the cost per point of
    # CFE never falls, gentle at first and steep towards 100%.
    slopes = np.diff(costs) / np.diff(shares)
    assert np.all(np.diff(slopes) >= -1e-5 * np.abs(slopes[1:]).max())
    assert slopes[-1] > 10 * max(slopes[0], 1.0)


def test_cost_never_falls_as_the_annual_target_rises():
    demand, resources, grid, _ = instance()
    costs = [
        optimize(demand, resources, grid, Target.annual_re(x)).cost_jpy
        for x in (0.0, 0.25, 0.5, 0.75, 1.0)
    ]
    assert np.all(np.diff(costs) >= -1e-6 * np.abs(costs[1:]))


def test_certificates_never_change_the_cfe_score():
    demand, resources, grid, _ = instance()
    physical = [r for r in resources if not isinstance(r, Certificate)]
    cheap = [*physical, Certificate("free_ish", 1e-3)]
    for share in (0.6, 0.9):
        target = Target.hourly_cfe(share)
        with_certs = optimize(demand, cheap, grid, target)
        without = optimize(demand, physical, grid, target)
        assert with_certs.certificates_kwh.sum() == pytest.approx(0.0, abs=1e-6)
        assert with_certs.cfe_score == pytest.approx(without.cfe_score, abs=1e-9)
        assert with_certs.cost_jpy == pytest.approx(without.cost_jpy, rel=1e-9)
    # Meeting an annual target with (cheapest) certificates leaves the
    # physical portfolio, hence the CFE score, as without any target.
    annual = optimize(demand, cheap, grid, Target.annual_re(1.0))
    none = optimize(demand, physical, grid, Target.none())
    assert annual.certificates_kwh.sum() > 0
    assert annual.cfe_score == pytest.approx(none.cfe_score, abs=1e-7)


@pytest.mark.parametrize("target", [Target.hourly_cfe(0.9), Target.annual_re(1.0)])
@pytest.mark.parametrize("k", [0.01, 7.3, 1000.0])
def test_scaling_prices_scales_cost_only(target, k):
    """Every price and cost times k (the instance has a unique optimum)."""
    demand, resources, grid, _ = instance()
    base = optimize(demand, resources, grid, target)
    _, scaled_resources, scaled_grid, _ = instance(scale=k)
    scaled = optimize(demand, scaled_resources, scaled_grid, target)
    assert scaled.cost_jpy == pytest.approx(k * base.cost_jpy, rel=1e-7)
    assert scaled.shadow_price_jpy_per_kwh == pytest.approx(
        k * base.shadow_price_jpy_per_kwh, rel=1e-6
    )
    pd.testing.assert_series_equal(scaled.capacities, base.capacities, rtol=1e-6, atol=1e-6)
    pd.testing.assert_series_equal(
        scaled.certificates_kwh, base.certificates_kwh, rtol=1e-6, atol=1e-6
    )


def test_more_resources_never_cost_more():
    demand, resources, grid, _ = instance(pv_max_kw=100.0)
    bounded = optimize(demand, resources, grid, Target.hourly_cfe(0.7))
    demand, resources, grid, _ = instance()
    free = optimize(demand, resources, grid, Target.hourly_cfe(0.7))
    assert free.cost_jpy <= bounded.cost_jpy + 1e-6 * bounded.cost_jpy


def test_raising_a_bound_makes_an_infeasible_target_feasible():
    demand, resources, grid, _ = instance(certificates=False, pv_max_kw=60.0, wind_max_kw=80.0)
    with pytest.raises(InfeasibleTargetError) as info:
        optimize(demand, resources, grid, Target.annual_re(1.0))
    assert info.value.max_reachable < 1.0
    demand, resources, grid, _ = instance(certificates=False, pv_max_kw=60.0, wind_max_kw=500.0)
    assert optimize(demand, resources, grid, Target.annual_re(1.0)).re_share >= 1 - 1e-7

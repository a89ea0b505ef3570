"""The procurement LP against an independent linprog formulation, and its report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gxdlib.errors import InfeasibleTargetError, ValidationError
from gxdlib.procurement import (
    Certificate,
    Generator,
    Grid,
    PortfolioModel,
    Storage,
    Target,
    max_reachable_score,
    optimize,
)
from tests.procurement.instances import instance
from tests.procurement.reference import max_score_reference, solve_reference

TARGETS = [
    ("none", 0.0),
    ("annual_re", 0.8),
    ("annual_re", 1.0),
    ("hourly_cfe", 0.6),
    ("hourly_cfe", 0.95),
]


def _target(kind: str, share: float) -> Target:
    if kind == "none":
        return Target.none()
    return {"annual_re": Target.annual_re, "hourly_cfe": Target.hourly_cfe}[kind](share)


@pytest.mark.parametrize(("kind", "share"), TARGETS)
@pytest.mark.parametrize(
    "features",
    [
        {},
        {"storage": False},
        {"certificates": False},
        {"exports": False},
        {"freq": "30min", "steps": 48},
    ],
    ids=["all", "no-storage", "no-certificates", "no-exports", "half-hourly"],
)
def test_objective_matches_linprog(kind, share, features):
    demand, resources, grid, case = instance(**features)
    result = optimize(demand, resources, grid, _target(kind, share))
    reference = solve_reference(case, kind, share)
    assert reference.status == 0, reference.message
    assert result.status == "optimal"
    assert result.cost_jpy == pytest.approx(reference.fun, rel=1e-6)


def test_features_are_exercised():
    """The instance is not degenerate: each resource kind is used somewhere."""
    demand, resources, grid, _ = instance()
    hourly = optimize(demand, resources, grid, Target.hourly_cfe(0.95))
    annual = optimize(demand, resources, grid, Target.annual_re(1.0))
    assert hourly.capacities["battery_kwh"] > 1
    assert hourly.capacities["wind_kw"] > 1
    assert hourly.dispatch["grid_export_kwh"].sum() > 1
    assert annual.certificates_kwh.sum() > 1


def test_report_is_consistent_with_the_dispatch():
    demand, resources, grid, case = instance()
    res = optimize(demand, resources, grid, Target.hourly_cfe(0.8))
    d = res.dispatch
    supply = (
        d["pv_kwh"]
        + d["wind_kwh"]
        - d["curtailment_kwh"]
        + d["battery_discharge_kwh"]
        - d["battery_charge_kwh"]
        + d["grid_import_kwh"]
        - d["grid_export_kwh"]
    )
    np.testing.assert_allclose(supply, demand, atol=1e-6)
    assert res.cost_breakdown_jpy.sum() == pytest.approx(res.cost_jpy, rel=1e-9)
    gamma = np.asarray(grid.cfe_share)
    score = 1 - ((1 - gamma) * d["grid_import_kwh"]).sum() / demand.sum()
    assert res.cfe_score == pytest.approx(score, abs=1e-9)
    assert res.cfe_score >= 0.8 - 1e-7
    # Delivered renewable energy: output less curtailment, exports and storage
    # losses, plus certificates, capped at demand; the rest is surplus.
    cf_output = d["pv_kwh"].sum() + d["wind_kwh"].sum()
    losses = d["battery_charge_kwh"].sum() - d["battery_discharge_kwh"].sum()
    delivered = (
        cf_output
        - d["curtailment_kwh"].sum()
        - d["grid_export_kwh"].sum()
        - losses
        + res.certificates_kwh.sum()
    )
    assert res.re_share == pytest.approx(min(delivered, demand.sum()) / demand.sum(), rel=1e-9)
    assert res.re_share <= 1.0
    gross = cf_output + res.certificates_kwh.sum()
    assert res.re_surplus_kwh == pytest.approx(gross - min(delivered, demand.sum()), rel=1e-9)
    location = (np.asarray(grid.emission_factor_kg_per_kwh) * d["grid_import_kwh"]).sum()
    assert res.emissions_kg["location_based"] == pytest.approx(location, rel=1e-9)
    assert res.cost_jpy_per_kwh == pytest.approx(res.cost_jpy / demand.sum())
    assert d.index.equals(demand.index)


def test_market_based_emissions_net_of_certificates():
    """Certificates covering half the imports halve market-based emissions."""
    idx = pd.date_range("2024-04-01", periods=4, freq="h", tz="Asia/Tokyo")
    demand = pd.Series(10.0, index=idx)
    grid = Grid(price_jpy_per_kwh=10.0, emission_factor_kg_per_kwh=0.5)
    cert = Certificate("nfc", 0.4)
    res = optimize(demand, [cert], grid, Target.annual_re(0.5))
    assert res.certificates_kwh["nfc"] == pytest.approx(20.0)
    assert res.emissions_kg["location_based"] == pytest.approx(20.0)
    assert res.emissions_kg["market_based"] == pytest.approx(10.0)
    assert res.cost_jpy == pytest.approx(400.0 + 8.0)
    # One more kWh of required attributes costs one certificate.
    assert res.shadow_price_jpy_per_kwh == pytest.approx(0.4, rel=1e-6)


@pytest.mark.parametrize(("kind", "share"), [("annual_re", 0.9), ("hourly_cfe", 0.75)])
def test_shadow_price_is_a_subgradient(kind, share):
    """LP cost is convex in the target: cost(x') >= cost(x) + y (x' - x) D."""
    demand, resources, grid, _ = instance()
    total = demand.sum()
    base = optimize(demand, resources, grid, _target(kind, share))
    assert base.shadow_price_jpy_per_kwh > 0
    for other in (share - 0.1, share - 0.02, share + 0.02, share + 0.05):
        cost = optimize(demand, resources, grid, _target(kind, other)).cost_jpy
        bound = base.cost_jpy + base.shadow_price_jpy_per_kwh * (other - share) * total
        assert cost >= bound - 1e-6 * abs(bound)


def test_no_target_has_nan_shadow_price():
    demand, resources, grid, _ = instance()
    assert np.isnan(optimize(demand, resources, grid, Target.none()).shadow_price_jpy_per_kwh)


@pytest.mark.parametrize("kind", ["annual_re", "hourly_cfe"])
def test_unreachable_target_reports_the_maximum(kind):
    demand, resources, grid, case = instance(certificates=False, pv_max_kw=60.0, wind_max_kw=80.0)
    best = max_score_reference(case, kind)
    assert 0.3 < best < 0.99
    with pytest.raises(InfeasibleTargetError) as info:
        optimize(demand, resources, grid, _target(kind, min(1.0, best + 0.01)))
    assert info.value.max_reachable == pytest.approx(best, rel=1e-6)
    # Just below the maximum is feasible and binding.
    res = optimize(demand, resources, grid, _target(kind, best - 1e-4))
    assert res.status == "optimal"


def test_hourly_cfe_of_one_needs_output_or_storage_in_every_step():
    """With unbounded capacities, 100% CFE is reachable only if every step can
    be served carbon-free: here one step has neither sun nor wind, so it
    takes a battery."""
    demand, resources, grid, case = instance(certificates=False, storage=False)
    dark = ~(case.profiles > 0).any(axis=0)
    assert dark.any() and (case.gamma < 1).all()
    best = max_score_reference(case, "hourly_cfe")
    assert best < 1
    with pytest.raises(InfeasibleTargetError) as info:
        optimize(demand, resources, grid, Target.hourly_cfe(1.0))
    assert info.value.max_reachable == pytest.approx(best, rel=1e-6)

    demand, resources, grid, case = instance(certificates=False)
    res = optimize(demand, resources, grid, Target.hourly_cfe(1.0))
    assert res.cfe_score == pytest.approx(1.0, abs=1e-7)
    assert res.dispatch["battery_discharge_kwh"][dark].sum() > 0
    assert res.cost_jpy == pytest.approx(solve_reference(case, "hourly_cfe", 1.0).fun, rel=1e-6)


def test_clarabel_agrees_with_highs():
    demand, resources, grid, _ = instance()
    target = Target.hourly_cfe(0.8)
    highs = optimize(demand, resources, grid, target)
    clarabel = optimize(demand, resources, grid, target, solver="CLARABEL")
    assert highs.solver == "HIGHS" and clarabel.solver == "CLARABEL"
    assert clarabel.cost_jpy == pytest.approx(highs.cost_jpy, rel=1e-5)


def test_model_split_build_solve_report():
    demand, resources, grid, _ = instance(steps=24)
    model = PortfolioModel(demand, resources, grid, Target.annual_re(1.0))
    assert model.problem.status is None
    assert model.solve() == "optimal"
    assert model.report().cost_jpy == pytest.approx(model.problem.value, rel=1e-9)


# ------------------------------------------------------------- validation --


def _one_day():
    idx = pd.date_range("2024-04-01", periods=24, freq="h", tz="Asia/Tokyo")
    return idx, pd.Series(1.0, index=idx)


def test_rejects_profile_over_step_length():
    idx, demand = _one_day()
    pv = Generator("pv", pd.Series(1.2, index=idx))
    with pytest.raises(ValidationError, match="'pv'.*profile"):
        optimize(demand, [pv], Grid(10.0), Target.none())


def test_rejects_half_hourly_capacity_factor():
    """Half-hourly profiles are kWh per kW per 30 min, at most 0.5."""
    idx = pd.date_range("2024-04-01", periods=4, freq="30min", tz="Asia/Tokyo")
    pv = Generator("pv", pd.Series(0.8, index=idx))
    with pytest.raises(ValidationError, match="0.5"):
        optimize(pd.Series(1.0, index=idx), [pv], Grid(10.0), Target.none())


def test_rejects_misaligned_profile():
    idx, demand = _one_day()
    pv = Generator("pv", pd.Series(0.5, index=idx + pd.Timedelta(hours=1)))
    with pytest.raises(ValidationError, match="demand index"):
        optimize(demand, [pv], Grid(10.0), Target.none())


def test_rejects_naive_and_irregular_demand():
    idx, demand = _one_day()
    with pytest.raises(ValidationError, match="naive"):
        optimize(demand.tz_localize(None), [], Grid(10.0), Target.none())
    with pytest.raises(ValidationError, match="irregular"):
        optimize(demand.drop(idx[5]), [], Grid(10.0), Target.none())
    with pytest.raises(ValidationError, match="one hour or 30 minutes"):
        optimize(demand.iloc[::2], [], Grid(10.0), Target.none())


def test_rejects_duplicates_bad_shares_and_bounds():
    idx, demand = _one_day()
    with pytest.raises(ValidationError, match="unique"):
        optimize(demand, [Certificate("a", 1.0), Certificate("a", 2.0)], Grid(10.0), Target.none())
    with pytest.raises(ValidationError, match="cfe_share"):
        optimize(demand, [], Grid(10.0, cfe_share=1.5), Target.none())
    with pytest.raises(ValidationError, match="missing"):
        optimize(demand, [], Grid(demand * np.nan), Target.none())
    with pytest.raises(ValidationError, match="min_kw"):
        Generator("pv", demand, min_kw=5.0, max_kw=1.0)
    with pytest.raises(ValidationError, match="charge_efficiency"):
        Storage("b", 1.0, 1.0, charge_efficiency=1.2)
    with pytest.raises(ValidationError, match=r"\[0, 1\]"):
        Target.hourly_cfe(1.2)


def test_max_reachable_score_is_infinite_with_unlimited_certificates():
    demand, resources, grid, _ = instance(steps=24)
    model = PortfolioModel(demand, resources, grid, Target.annual_re(1.0))
    assert max_reachable_score(model) == float("inf")
    model = PortfolioModel(demand, resources, grid, Target.hourly_cfe(1.0))
    assert max_reachable_score(model) == pytest.approx(1.0, abs=1e-7)

"""Delivered renewable energy, annual quantities on part of a year, and solver statuses.

Every expectation is worked out by hand on a few hours, or comes from a
second formulation (the full year against its representative weeks).
"""

from __future__ import annotations

import cvxpy as cp
import numpy as np
import pandas as pd
import pytest

from gxdlib import sample
from gxdlib.errors import InfeasibleTargetError, SolverError, ValidationError
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
from gxdlib.procurement.case import CostAssumptions, build_case
from gxdlib.procurement.solve import solve_problem
from gxdlib.sites import SITE_PRESETS, hourly_site_inputs, representative_weeks
from tests.procurement.instances import instance
from tests.procurement.reference import Case, max_score_reference

TZ = "Asia/Tokyo"


def _hours(n: int) -> pd.DatetimeIndex:
    return pd.date_range("2024-04-01", periods=n, freq="h", tz=TZ)


def test_curtailed_and_exported_output_is_not_delivered():
    """2 kWh of solar in hour 1 for 1 kWh of demand: 1 kWh is curtailed.

    Demand 1 kWh in each of two hours; the grid supplies hour 2. The old
    count (gross output over demand) said 2/2 = 1.00; delivered is
    (2 - 1 curtailed) / 2 = 0.5, and the curtailed 1 kWh is surplus.
    """
    idx = _hours(2)
    pv = Generator("pv", pd.Series([1.0, 0.0], index=idx), min_kw=2.0, max_kw=2.0)
    grid = Grid(price_jpy_per_kwh=10.0, max_export_share=0.0)
    res = optimize(pd.Series(1.0, index=idx), [pv], grid, Target.none())
    assert res.dispatch["curtailment_kwh"].tolist() == pytest.approx([1.0, 0.0], abs=1e-9)
    assert res.re_share == pytest.approx(0.5)
    assert res.re_surplus_kwh == pytest.approx(1.0)
    assert res.cfe_score == pytest.approx(0.5)

    # Exporting the spare kWh earns its price but takes its attributes away.
    exporting = Grid(price_jpy_per_kwh=10.0, export_price_jpy_per_kwh=1.0, max_export_share=0.5)
    res = optimize(pd.Series(1.0, index=idx), [pv], exporting, Target.none())
    assert res.dispatch["grid_export_kwh"].sum() == pytest.approx(1.0)
    assert res.re_share == pytest.approx(0.5)
    assert res.re_surplus_kwh == pytest.approx(1.0)


def test_storage_losses_are_not_delivered():
    """1 kWh stored at 0.9 x 0.9 arrives as 0.81 kWh: the grid tops up 0.19."""
    idx = _hours(2)
    pv = Generator("pv", pd.Series([1.0, 0.0], index=idx), min_kw=2.0, max_kw=2.0)
    battery = Storage("battery", 0.0, 0.0, charge_efficiency=0.9, discharge_efficiency=0.9)
    grid = Grid(price_jpy_per_kwh=10.0, max_export_share=0.0)
    res = optimize(pd.Series(1.0, index=idx), [pv, battery], grid, Target.none())
    assert res.dispatch["grid_import_kwh"].sum() == pytest.approx(0.19)
    assert res.re_share == pytest.approx((2.0 - 0.19) / 2.0)
    # Gross 2 kWh, delivered 1.81: 0.19 lost in the battery.
    assert res.re_surplus_kwh == pytest.approx(0.19)


def test_annual_target_counts_delivered_energy_and_certificates_fill_the_gap():
    """RE100 at 100 %: the curtailed kWh does not count, so 1 kWh of certificates is bought."""
    idx = _hours(2)
    pv = Generator("pv", pd.Series([1.0, 0.0], index=idx), min_kw=2.0, max_kw=2.0)
    nfc = Certificate("nfc", 0.4)
    grid = Grid(price_jpy_per_kwh=10.0, max_export_share=0.0)
    res = optimize(pd.Series(1.0, index=idx), [pv, nfc], grid, Target.annual_re(1.0))
    assert res.certificates_kwh["nfc"] == pytest.approx(1.0)
    assert res.re_share == pytest.approx(1.0)
    assert res.cost_jpy == pytest.approx(10.0 + 0.4)


def test_curtailment_is_charged_to_non_carbon_free_output_first():
    """Hour 1: solar 1 kWh and a gas unit 1 kWh for 1 kWh of demand.

    The curtailed kWh is the gas unit's, so hour 1 is served by solar; in
    hour 2 the gas unit serves the load. Delivered RE 1 of 2 kWh, CFE 0.5;
    charging the curtailment to solar would have given 0.
    """
    idx = _hours(2)
    pv = Generator("pv", pd.Series([1.0, 0.0], index=idx), min_kw=1.0, max_kw=1.0)
    gas = Generator(
        "gas", pd.Series([1.0, 1.0], index=idx), min_kw=1.0, max_kw=1.0, carbon_free=False
    )
    grid = Grid(price_jpy_per_kwh=100.0, max_export_share=0.0)
    res = optimize(pd.Series(1.0, index=idx), [pv, gas], grid, Target.none())
    assert res.dispatch["non_cfe_generation_kwh"].tolist() == pytest.approx([0.0, 1.0], abs=1e-9)
    assert res.re_share == pytest.approx(0.5)
    assert res.cfe_score == pytest.approx(0.5)
    # An hourly target of 0.5 is met exactly; 0.6 is not reachable without imports.
    assert optimize(
        pd.Series(1.0, index=idx), [pv, gas], grid, Target.hourly_cfe(0.5)
    ).cfe_score == pytest.approx(0.5)


@pytest.mark.parametrize("share", [0.8, 0.9, 0.95])
def test_delivered_share_never_exceeds_one_under_hourly_targets(share):
    demand, resources, grid, _ = instance()
    res = optimize(demand, resources, grid, Target.hourly_cfe(share))
    assert res.re_share <= 1.0 + 1e-9
    gross = sum(res.dispatch[f"{g}_kwh"].sum() for g in ("pv", "wind"))
    assert res.re_surplus_kwh == pytest.approx(
        gross + res.certificates_kwh.sum() - res.re_share * demand.sum(), rel=1e-9
    )


def _periodic_year() -> pd.DataFrame:
    """A fiscal year in which every day is the same: its weeks stand for it exactly."""
    index = pd.date_range("2023-04-01", periods=366 * 24, freq="h", tz=TZ)
    hour = index.hour.to_numpy()
    sun = np.clip(np.sin(np.pi * (hour - 6) / 12), 0, None)
    return pd.DataFrame(
        {
            "demand_kwh": 100.0 + 50.0 * ((hour >= 8) & (hour < 19)),
            "pv": 0.8 * sun,
            "wind": 0.3 + 0.1 * np.cos(2 * np.pi * hour / 24),
            "price": 12.0 + 6.0 * ((hour >= 17) & (hour < 21)) - 4.0 * (sun > 0.3),
        },
        index=index,
    )


def _solve_periodic(frame: pd.DataFrame, year_fraction: float, share: float):
    resources = [
        Generator("pv", frame["pv"], annual_cost_jpy_per_kw=9_000.0),
        Generator("wind", frame["wind"], ppa_price_jpy_per_kwh=15.0),
        Storage("battery", 3_000.0, 2_000.0),
        # A cap that binds: 100 MWh a year, a quarter of the demand.
        Certificate("nfc", 0.4, max_kwh=100_000.0),
        Certificate("green_power", 4.0),
    ]
    grid = Grid(price_jpy_per_kwh=frame["price"], export_price_jpy_per_kwh=0.0)
    return optimize(
        frame["demand_kwh"],
        resources,
        grid,
        Target.annual_re(share),
        solver="HIGHS",
        year_fraction=year_fraction,
    )


def test_representative_weeks_and_the_full_year_agree_on_a_periodic_year():
    """Annual costs and the certificate cap are scaled by the year fraction.

    Every day is identical, so one week per month stands for the year
    exactly: the annual cost, the capacities and the annual certificate
    volumes must be those of the full year. Without the scaling the 100 MWh
    cap acted as 100 / 0.2295 = 436 MWh on the weeks.
    """
    year = _periodic_year()
    weeks = representative_weeks(year)
    full = _solve_periodic(year, 1.0, 0.9)
    part = _solve_periodic(weeks.frame, weeks.year_fraction, 0.9)
    assert full.certificates_kwh["nfc"] == pytest.approx(100_000.0)
    assert part.certificates_kwh["nfc"] == pytest.approx(100_000.0)
    assert part.cost_jpy == pytest.approx(full.cost_jpy, rel=1e-6)
    assert part.cost_jpy_per_kwh == pytest.approx(full.cost_jpy_per_kwh, rel=1e-6)
    pd.testing.assert_series_equal(part.capacities, full.capacities, rtol=1e-5, atol=1e-3)
    pd.testing.assert_series_equal(
        part.certificates_kwh, full.certificates_kwh, rtol=1e-6, atol=1e-3
    )
    assert part.re_share == pytest.approx(full.re_share, abs=1e-9)
    pd.testing.assert_series_equal(part.cost_breakdown_jpy, full.cost_breakdown_jpy, rtol=1e-5)


def test_year_fraction_must_be_a_share_of_a_year():
    demand, resources, grid, _ = instance()
    for bad in (0.0, -0.5, 1.5, float("nan")):
        with pytest.raises(ValidationError, match="year_fraction"):
            PortfolioModel(demand, resources, grid, Target.none(), year_fraction=bad)


@pytest.mark.parametrize(
    ("solver", "options"), [("HIGHS", {"time_limit": 1e-6}), ("CLARABEL", {"max_iter": 2})]
)
def test_a_solver_limit_raises_solver_error_naming_the_status(solver, options):
    demand, resources, grid, _ = instance(steps=168)
    with pytest.raises(SolverError, match="user_limit"):
        optimize(
            demand, resources, grid, Target.hourly_cfe(0.9), solver=solver, solver_options=options
        )


def test_the_default_solver_is_chosen_by_size_and_reported():
    demand, resources, grid, _ = instance()
    small = optimize(demand, resources, grid, Target.hourly_cfe(0.9))
    assert small.solver == "HIGHS" and small.status == "optimal"
    demand, resources, grid, _ = instance(steps=24 * 42)
    large = optimize(demand, resources, grid, Target.hourly_cfe(0.9))
    assert large.solver == "CLARABEL"
    assert "verified" in large.solver_check
    exact = optimize(demand, resources, grid, Target.hourly_cfe(0.9), solver="HIGHS")
    assert large.cost_jpy == pytest.approx(exact.cost_jpy, rel=1e-6)


def _kyushu_factory_without_battery():
    """Twelve representative weeks of the Kyushu factory, no battery (sample data)."""
    inputs = hourly_site_inputs(SITE_PRESETS["kyushu_factory"], sample.prices(2023), 2023)
    frame = representative_weeks(inputs).frame
    return build_case(frame, SITE_PRESETS["kyushu_factory"], CostAssumptions(), with_storage=False)


def _reference_case(case) -> Case:
    """The case's numbers for the independent linprog formulation."""
    generators = [r for r in case.resources if isinstance(r, Generator)]
    certificates = [r for r in case.resources if isinstance(r, Certificate)]
    demand = case.demand_kwh.to_numpy()
    steps = len(demand)
    return Case(
        demand=demand,
        step_hours=1.0,
        profiles=np.vstack([np.asarray(g.profile, dtype=float) for g in generators]),
        annual_cost=np.array([g.annual_cost_jpy_per_kw for g in generators]),
        ppa_price=np.array([g.ppa_price_jpy_per_kwh for g in generators]),
        min_kw=np.array([g.min_kw for g in generators]),
        max_kw=np.array([np.inf if g.max_kw is None else g.max_kw for g in generators]),
        carbon_free=np.ones(len(generators), dtype=bool),
        energy_cost=np.zeros(0),
        power_cost=np.zeros(0),
        eta_c=np.zeros(0),
        eta_d=np.zeros(0),
        max_kwh=np.zeros(0),
        cert_price=np.array([c.price_jpy_per_kwh for c in certificates]),
        cert_max=np.array([np.inf for _ in certificates]),
        price=np.asarray(case.grid.price_jpy_per_kwh, dtype=float),
        export_price=np.asarray(case.grid.export_price_jpy_per_kwh, dtype=float),
        gamma=np.full(steps, case.grid.cfe_share)
        if np.ndim(case.grid.cfe_share) == 0
        else np.asarray(case.grid.cfe_share, dtype=float),
        max_export_share=case.grid.max_export_share,
    )


def test_reachable_maximum_agrees_across_solvers_where_the_interior_point_stalls():
    """Clarabel alone reports "Solved" at 0.878 here; the maximum is 0.998.

    The optimum needs wind capacity thousands of times the load (the calmest
    hours decide). The reachable maximum is found by the simplex, and a
    Clarabel solution of the same LP fails verification and is replaced.
    """
    case = _kyushu_factory_without_battery()
    expected = max_score_reference(_reference_case(case), "hourly_cfe")
    model = PortfolioModel(case.demand_kwh, case.resources, case.grid, Target.hourly_cfe(1.0))
    assert max_reachable_score(model) == pytest.approx(expected, abs=1e-6)

    lowest = cp.Variable()
    share_lp = cp.Problem(cp.Maximize(lowest), [*model.constraints, lowest <= model.score()])
    report = solve_problem(share_lp, "CLARABEL")
    assert share_lp.value == pytest.approx(expected, abs=1e-6)
    assert report.solver == "HIGHS" and "CLARABEL" in report.check

    for solver in ("CLARABEL", "HIGHS"):
        with pytest.raises(InfeasibleTargetError) as raised:
            optimize(case.demand_kwh, case.resources, case.grid, Target.hourly_cfe(1.0), solver)
        assert raised.value.max_reachable == pytest.approx(expected, abs=1e-6)

"""Least-cost procurement portfolio as a linear programme (cvxpy).

The layer is split as PyPSA splits its optimisation layer: *build* turns
validated inputs into a cvxpy problem (:class:`PortfolioModel`), *solve*
chooses the solver and checks the status, *report* writes the solution back
as frames (:class:`PortfolioResult`). :func:`optimize` chains the three.

Notation (all energy per step in kWh, Δ the step length in hours):

- capacity P_g of generator g, output P_g * profile_g,t, curtailment c_t;
- storage energy E_k [kWh] and power W_k [kW], charge and discharge
  <= W_k Δ, state of charge soc_t = soc_t-1 + eta_c charge_t -
  discharge_t / eta_d in [0, E_k], cyclic over the horizon;
- import m_t, export x_t with sum x <= max_export_share * sum d;
- certificates q_c.

Balance: sum_g P_g profile_g,t - c_t + discharge_t - charge_t + m_t - x_t = d_t
with 0 <= c_t <= sum_g P_g profile_g,t (curtailment cannot exceed output).
Curtailment is not a variable: eliminating it leaves the two inequalities
supply >= demand and (supply - generation) <= demand. A curtailment variable
bounded by a zero output (solar at night) would leave the feasible set
without interior points, which slows interior-point solvers badly.
Renewable and carbon-free energy are counted where they are delivered
(the attribution rule):

- curtailment is charged to output that is not carbon-free first, and to
  carbon-free output only when nothing else can be curtailed: in each step
  the non-carbon-free output used is ``v_t = max(0, g_n,t - c_t)``, with
  ``g_n,t`` the output of generators with ``carbon_free=False``;
- exports carry their attributes away, and storage losses are charged to
  carbon-free energy: both reduce the renewable energy that reaches the load;
- with the annual energy balance these rules give the delivered renewable
  energy ``sum_t (d_t - m_t - v_t) + q``: the demand that neither the grid nor
  non-carbon-free generators supplied, plus certificates. The annual target
  asks for ``>= share * sum d``; the hourly target counts
  ``sum_t (1 - gamma_t) m_t + v_t`` as not carbon-free and asks for
  ``<= (1 - share) * sum d``.

Annual quantities follow the share of a year that the steps stand for
(``year_fraction``: 1 for a whole year, about 0.23 for one week per month):
annual costs and annual certificate volumes are multiplied by it inside the
model, and every total of the result is divided by it, so results are per
year whatever the horizon.

With scenarios, capacities and certificates are decided once and
dispatch per scenario; the risk term is CVaR in the Rockafellar-Uryasev form
CVaR_a(L) = min_eta eta + 1/(1-a) sum_s p_s max(0, L_s - eta)
(Rockafellar & Uryasev, Journal of Risk 2(3), 2000).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cvxpy as cp
import numpy as np
import pandas as pd
import scipy.sparse as sp

from gxdlib.errors import InfeasibleTargetError, SolverError, ValidationError
from gxdlib.procurement.resources import (
    Certificate,
    CVaR,
    Generator,
    Grid,
    Scenarios,
    Storage,
    Target,
)
from gxdlib.procurement.solve import SolveReport, solve_problem
from gxdlib.timeseries import HOUR, SLOT, require_regular

Resource = Generator | Storage | Certificate

BLOCK_STEPS = 168
"""Steps that share one local copy of a capacity decision (see ``PortfolioModel._local``)."""
_INFEASIBLE = {cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE, cp.settings.INFEASIBLE_OR_UNBOUNDED}
# Profiles may exceed the step length by rounding only.
_PROFILE_TOLERANCE = 1e-9


# ---------------------------------------------------------------- inputs --


@dataclass(frozen=True)
class _Inputs:
    """Validated numeric inputs: T steps, S scenarios, G generators."""

    index: pd.DatetimeIndex
    step_hours: float
    demand_kwh: np.ndarray  # (T,)
    generators: tuple[Generator, ...]
    storages: tuple[Storage, ...]
    certificates: tuple[Certificate, ...]
    scenario_names: tuple[str, ...]
    probability: np.ndarray  # (S,)
    profiles: np.ndarray  # (G, T, S) [kWh/kW per step]
    price_jpy_per_kwh: np.ndarray  # (T, S)
    export_price_jpy_per_kwh: np.ndarray  # (T, S)
    cfe_share: np.ndarray  # (T,)
    emission_factor_kg_per_kwh: np.ndarray  # (T,)
    max_export_share: float
    with_scenarios: bool
    year_fraction: float

    @property
    def total_demand_kwh(self) -> float:
        return float(self.demand_kwh.sum())


def _demand_index(demand_kwh: pd.Series) -> tuple[pd.DatetimeIndex, float]:
    if not isinstance(demand_kwh, pd.Series):
        raise ValidationError(f"demand_kwh: expected a pandas Series, got {type(demand_kwh)}")
    index = demand_kwh.index
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
        raise ValidationError("demand_kwh: expected a DatetimeIndex with at least two steps")
    step = pd.Timedelta(index[1] - index[0])
    if step not in (HOUR, SLOT):
        raise ValidationError(
            f"demand_kwh: the step must be one hour or 30 minutes, got {step} "
            f"between {index[0]} and {index[1]}"
        )
    return require_regular(index, step, "demand_kwh"), step / HOUR


def _values(value: object, index: pd.DatetimeIndex, what: str) -> np.ndarray:
    """A scalar, Series or array as a float array over ``index``, checked."""
    if isinstance(value, pd.Series | pd.DataFrame):
        if value.index.tz is None or not value.index.tz_convert(index.tz).equals(index):
            raise ValidationError(f"{what}: the index must equal the demand index")
        array = value.to_numpy(dtype=float)
    elif np.ndim(value) == 0:
        array = np.full(len(index), float(value))
    else:
        array = np.asarray(value, dtype=float)
        if array.shape[0] != len(index):
            raise ValidationError(
                f"{what}: expected {len(index)} values (one per step), got {array.shape[0]}"
            )
    bad = ~np.isfinite(array)
    if bad.any():
        first = index[np.argwhere(bad)[0][0]]
        raise ValidationError(
            f"{what}: {int(bad.sum())} missing or infinite values, first at {first}"
        )
    return array


def _check_range(array: np.ndarray, low: float, high: float, what: str) -> None:
    bad = (array < low) | (array > high)
    if bad.any():
        raise ValidationError(
            f"{what}: {int(bad.sum())} values outside [{low}, {high}] "
            f"(min {array.min():.6g}, max {array.max():.6g})"
        )


def _split_resources(
    resources: Sequence[Resource],
) -> tuple[tuple[Generator, ...], tuple[Storage, ...], tuple[Certificate, ...]]:
    names = [r.name for r in resources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValidationError(f"resources: names must be unique, repeated: {duplicates}")
    unknown = [r for r in resources if not isinstance(r, Generator | Storage | Certificate)]
    if unknown:
        raise ValidationError(f"resources: not a Generator, Storage or Certificate: {unknown!r}")
    return (
        tuple(r for r in resources if isinstance(r, Generator)),
        tuple(r for r in resources if isinstance(r, Storage)),
        tuple(r for r in resources if isinstance(r, Certificate)),
    )


def _prepare(
    demand_kwh: pd.Series,
    resources: Sequence[Resource],
    grid: Grid,
    scenarios: Scenarios | None,
    year_fraction: float,
) -> _Inputs:
    if not (np.isfinite(year_fraction) and 0 < year_fraction <= 1):
        raise ValidationError(f"year_fraction must be in (0, 1], got {year_fraction!r}")
    index, step_hours = _demand_index(demand_kwh)
    demand = _values(demand_kwh, index, "demand_kwh")
    _check_range(demand, 0, np.inf, "demand_kwh")
    if demand.sum() <= 0:
        raise ValidationError("demand_kwh: total demand must be positive")
    generators, storages, certificates = _split_resources(resources)
    if scenarios is None:
        names, probability = ("base",), np.ones(1)
        price_frame = export_frame = None
        profile_frames: dict[str, pd.DataFrame] = {}
    else:
        names, probability = tuple(scenarios.names), scenarios.probability.to_numpy(dtype=float)
        price_frame = scenarios.grid_price_jpy_per_kwh
        export_frame = scenarios.export_price_jpy_per_kwh
        profile_frames = dict(scenarios.profiles)
        unknown = sorted(set(profile_frames) - {g.name for g in generators})
        if unknown:
            raise ValidationError(f"Scenarios: profiles for unknown generators {unknown}")
    n_scen = len(names)

    def per_scenario(base: object, frame: pd.DataFrame | None, what: str) -> np.ndarray:
        if frame is None:
            return np.repeat(_values(base, index, what)[:, None], n_scen, axis=1)
        return _values(frame, index, what).reshape(len(index), n_scen)

    profile_list = [
        per_scenario(g.profile, profile_frames.get(g.name), f"Generator {g.name!r}: profile")
        for g in generators
    ]
    profiles = np.stack(profile_list) if profile_list else np.zeros((0, len(index), n_scen))
    for g, profile in zip(generators, profiles, strict=True):
        _check_range(
            profile,
            0,
            step_hours + _PROFILE_TOLERANCE,
            f"Generator {g.name!r}: profile [kWh/kW per step of {step_hours} h]",
        )
    cfe_share = _values(grid.cfe_share, index, "Grid: cfe_share")
    _check_range(cfe_share, 0, 1, "Grid: cfe_share")
    emission_factor = _values(
        grid.emission_factor_kg_per_kwh, index, "Grid: emission_factor_kg_per_kwh"
    )
    _check_range(emission_factor, 0, np.inf, "Grid: emission_factor_kg_per_kwh")
    return _Inputs(
        index=index,
        step_hours=step_hours,
        demand_kwh=demand,
        generators=generators,
        storages=storages,
        certificates=certificates,
        scenario_names=names,
        probability=probability,
        profiles=profiles,
        price_jpy_per_kwh=per_scenario(grid.price_jpy_per_kwh, price_frame, "grid price"),
        export_price_jpy_per_kwh=per_scenario(
            grid.export_price_jpy_per_kwh, export_frame, "grid export price"
        ),
        cfe_share=cfe_share,
        emission_factor_kg_per_kwh=emission_factor,
        max_export_share=float(grid.max_export_share),
        with_scenarios=scenarios is not None,
        year_fraction=float(year_fraction),
    )


# ----------------------------------------------------------------- build --


class PortfolioModel:
    """The cvxpy problem of one procurement decision (the *build* step).

    Build once, then :meth:`solve` and :meth:`report`; :attr:`risk_weight`
    is a cvxpy Parameter, so a sweep over it reuses the compiled problem.

    Parameters
    ----------
    demand_kwh : pandas.Series
        Demand per step [kWh], tz-aware index at a one-hour or 30-minute step.
    resources : sequence of Generator, Storage or Certificate
        The resources on offer, with unique names.
    grid : Grid
        Import and export prices, the grid's carbon-free share and factor.
    target : Target
        The procurement target.
    scenarios : Scenarios, optional
        Price and profile scenarios; without them, one scenario ``"base"``.
    risk : CVaR, optional
        Adds ``risk.weight * CVaR`` of the scenario costs to the objective.
    year_fraction : float
        Share of a year that the steps stand for, in (0, 1]: annual costs
        and annual certificate volumes are scaled by it.
    """

    def __init__(
        self,
        demand_kwh: pd.Series,
        resources: Sequence[Resource],
        grid: Grid,
        target: Target,
        *,
        scenarios: Scenarios | None = None,
        risk: CVaR | None = None,
        year_fraction: float = 1.0,
    ) -> None:
        self.inputs = _prepare(demand_kwh, resources, grid, scenarios, year_fraction)
        self.target = target
        self.risk = risk
        self.solve_report: SolveReport | None = None
        self._build_variables()
        self._build_costs()
        self.target_constraint = self._target_constraint()
        constraints = list(self.constraints)
        if self.target_constraint is not None:
            constraints.append(self.target_constraint)
        objective = self.expected_cost_jpy
        self.risk_weight = cp.Parameter(nonneg=True, value=risk.weight if risk else 0.0)
        if risk is not None:
            objective = objective + self.risk_weight * self.cvar_jpy
        self.problem = cp.Problem(cp.Minimize(objective), constraints)

    # Variables and the constraints that do not depend on the target.
    def _build_variables(self) -> None:
        inp = self.inputs
        n_steps, n_scen = len(inp.index), len(inp.scenario_names)
        shape = (n_steps, n_scen)
        self.capacity_kw = cp.Variable(len(inp.generators), nonneg=True, name="capacity_kw")
        self.import_kwh = cp.Variable(shape, nonneg=True, name="import_kwh")
        self.export_kwh = cp.Variable(shape, nonneg=True, name="export_kwh")
        self.certificates_kwh = cp.Variable(len(inp.certificates), nonneg=True, name="cert_kwh")
        constraints: list[cp.Constraint] = []
        blocks = np.arange(n_steps) // BLOCK_STEPS
        self._block_map = sp.csr_matrix(
            (np.ones(n_steps), (np.arange(n_steps), blocks)), shape=(n_steps, blocks[-1] + 1)
        )

        generation = non_cfe_generation = 0
        for g, (generator, profile) in enumerate(zip(inp.generators, inp.profiles, strict=True)):
            output = cp.multiply(profile, self._local(self.capacity_kw[g], constraints))
            generation = generation + output
            if not generator.carbon_free:
                non_cfe_generation = non_cfe_generation + output
            if generator.min_kw > 0:
                constraints.append(self.capacity_kw[g] >= generator.min_kw)
            if generator.max_kw is not None:
                constraints.append(self.capacity_kw[g] <= generator.max_kw)
        self.generation_kwh = generation

        self.energy_kwh, self.power_kw = [], []
        self.charge_kwh, self.discharge_kwh, self.soc_kwh = [], [], []
        net_storage = 0
        for storage in inp.storages:
            energy = cp.Variable(nonneg=True, name=f"{storage.name}_kwh")
            power = cp.Variable(nonneg=True, name=f"{storage.name}_kw")
            charge = cp.Variable(shape, nonneg=True, name=f"{storage.name}_charge")
            discharge = cp.Variable(shape, nonneg=True, name=f"{storage.name}_discharge")
            soc = cp.Variable(shape, nonneg=True, name=f"{storage.name}_soc")
            # The previous state of step 0 is the last step's: a cyclic horizon.
            previous = cp.vstack([soc[-1:, :], soc[:-1, :]])
            constraints += [
                soc
                == previous
                + storage.charge_efficiency * charge
                - discharge / storage.discharge_efficiency,
            ]
            local_power = self._local(power, constraints) * inp.step_hours
            constraints += [
                soc <= self._local(energy, constraints),
                charge <= local_power,
                discharge <= local_power,
            ]
            if storage.max_kwh is not None:
                constraints.append(energy <= storage.max_kwh)
            net_storage = net_storage + discharge - charge
            self.energy_kwh.append(energy)
            self.power_kw.append(power)
            self.charge_kwh.append(charge)
            self.discharge_kwh.append(discharge)
            self.soc_kwh.append(soc)

        cert_max = np.array(
            [c.max_kwh if c.max_kwh is not None else np.inf for c in inp.certificates]
        )
        if np.isfinite(cert_max).any():
            bounded = np.flatnonzero(np.isfinite(cert_max))
            # An annual volume: the horizon gets its share of it.
            constraints.append(
                self.certificates_kwh[bounded] <= cert_max[bounded] * inp.year_fraction
            )

        demand = inp.demand_kwh[:, None] * np.ones((1, n_scen))
        other_supply = net_storage + self.import_kwh - self.export_kwh
        if inp.generators:
            # Supply covers demand, the excess being curtailment, which
            # cannot exceed the generators' output.
            constraints += [generation + other_supply >= demand, other_supply <= demand]
        else:
            constraints.append(other_supply == demand)
        constraints.append(
            cp.sum(self.export_kwh, axis=0) <= inp.max_export_share * inp.total_demand_kwh
        )
        # Non-carbon-free output used, v >= g_n - c with c = supply - demand the
        # curtailment: curtailment goes to non-carbon-free output first (v >= 0
        # from nonneg). Minimising pushes v down to max(0, g_n - c) wherever a
        # target binds; the report recomputes it exactly from the dispatch.
        self.non_cfe_generation_kwh = None
        if any(not g.carbon_free for g in inp.generators):
            used = cp.Variable(shape, nonneg=True, name="non_cfe_generation_kwh")
            curtailment = generation + other_supply - demand
            constraints.append(used >= non_cfe_generation - curtailment)
            self.non_cfe_generation_kwh = used
        self.constraints = constraints

        # Scores per scenario, shape (S,): numerators of the two target kinds.
        used = self.non_cfe_generation_kwh
        non_cfe_own = 0.0 if used is None else cp.sum(used, axis=0)
        self.annual_re_kwh = (
            inp.total_demand_kwh
            - cp.sum(self.import_kwh, axis=0)
            - non_cfe_own
            + cp.sum(self.certificates_kwh)
        )
        self.non_cfe_kwh = (1.0 - inp.cfe_share) @ self.import_kwh + non_cfe_own

    def _local(self, decision: cp.Expression, constraints: list) -> cp.Expression:
        """A scalar decision as a (steps, scenarios) expression of local copies.

        Each block of :data:`BLOCK_STEPS` steps of each scenario reads its own
        copy, tied to the decision by an equality. The same LP, but a decision
        that appears in every row becomes a few hundred short columns: an
        interior point's factorisation no longer fills in around one dense
        column (Gondzio, "Interior point methods 25 years later", EJOR 2012,
        on dense columns).
        """
        copies = cp.Variable((self._block_map.shape[1], len(self.inputs.scenario_names)))
        constraints.append(copies == decision)
        return self._block_map @ copies

    def _build_costs(self) -> None:
        inp = self.inputs
        annual = np.array([g.annual_cost_jpy_per_kw for g in inp.generators])
        ppa = np.array([g.ppa_price_jpy_per_kwh for g in inp.generators])
        cert_price = np.array([c.price_jpy_per_kwh for c in inp.certificates])
        share = inp.year_fraction
        fixed = share * annual @ self.capacity_kw + cert_price @ self.certificates_kwh
        for storage, energy, power in zip(
            inp.storages, self.energy_kwh, self.power_kw, strict=True
        ):
            fixed = fixed + share * storage.energy_cost_jpy_per_kwh_year * energy
            fixed = fixed + share * storage.power_cost_jpy_per_kw_year * power
        # Pay-as-produced: the PPA price applies to the available output.
        ppa_cost = (inp.profiles.sum(axis=1) * ppa[:, None]).T @ self.capacity_kw
        energy_cost = cp.sum(cp.multiply(inp.price_jpy_per_kwh, self.import_kwh), axis=0) - cp.sum(
            cp.multiply(inp.export_price_jpy_per_kwh, self.export_kwh), axis=0
        )
        self.scenario_cost_jpy = fixed + ppa_cost + energy_cost  # (S,)
        self.expected_cost_jpy = inp.probability @ self.scenario_cost_jpy
        if self.risk is not None:
            n_scen = len(inp.scenario_names)
            self.var_jpy = cp.Variable(name="value_at_risk_jpy")
            self.excess_jpy = cp.Variable(n_scen, nonneg=True, name="excess_jpy")
            self.constraints.append(self.excess_jpy >= self.scenario_cost_jpy - self.var_jpy)
            self.cvar_jpy = self.var_jpy + inp.probability @ self.excess_jpy / (
                1.0 - self.risk.alpha
            )

    def _target_constraint(self) -> cp.Constraint | None:
        total = self.inputs.total_demand_kwh
        share = self.target.share
        if self.target.kind == "annual_re":
            return self.annual_re_kwh >= share * total
        if self.target.kind == "hourly_cfe":
            return self.non_cfe_kwh <= (1.0 - share) * total
        return None

    def score_kwh(self) -> cp.Expression:
        """The target's score per scenario in energy [kWh], an expression.

        Delivered renewable energy for an annual target, carbon-free energy
        delivered for an hourly one; the score is this over total demand.
        """
        if self.target.kind == "annual_re":
            return self.annual_re_kwh
        return self.inputs.total_demand_kwh - self.non_cfe_kwh

    def score(self) -> cp.Expression:
        """The target's score per scenario (share of demand), an expression."""
        return self.score_kwh() / self.inputs.total_demand_kwh

    # ------------------------------------------------------------ solve --

    def solve(self, solver: str | None = None, options: dict[str, object] | None = None) -> str:
        """Solve the problem; raise unless the status is optimal.

        Parameters
        ----------
        solver : str, optional
            A cvxpy solver name. By default the size decides: HiGHS's
            simplex for small problems, Clarabel for large ones, its
            solution verified and replaced by HiGHS's when it fails the
            check (:mod:`gxdlib.procurement.solve`).
        options : dict, optional
            Passed to the solver through cvxpy, e.g. ``{"max_iter": 600}``
            for Clarabel on large scenario sets.

        Returns
        -------
        str
            The status, ``"optimal"``.

        Raises
        ------
        InfeasibleTargetError
            If the target cannot be met; states the highest reachable score.
        SolverError
            For any status other than optimal (``optimal_inaccurate``,
            ``user_limit``, ``unknown``, ...), naming it.
        """
        self.solve_report = solve_problem(self.problem, solver, options)
        status = self.problem.status
        if status in _INFEASIBLE and self.target.kind != "none":
            best = max_reachable_score(self)
            if best < self.target.share:
                raise InfeasibleTargetError(
                    f"{self.target.kind} target {self.target.share:.6g} cannot be met "
                    "with the given resources",
                    best,
                )
        if status != cp.OPTIMAL:
            raise SolverError(
                f"solver {self.solve_report.solver} ended with status {status!r}, not optimal"
            )
        return status

    # ----------------------------------------------------------- report --

    def report(self) -> PortfolioResult:
        """The solution as a :class:`PortfolioResult` (after :meth:`solve`)."""
        if self.problem.status != cp.OPTIMAL or self.solve_report is None:
            raise SolverError("report: the problem has not been solved to optimality")
        return _report(self)


def max_reachable_score(model: PortfolioModel) -> float:
    """The highest target score the model's resources can reach in every scenario.

    Solves a second LP: the model's constraints without the target,
    maximising the lowest score over scenarios, in energy units (kWh, the
    units of the constraints) rather than as a share. Its optimum often sits
    at capacities thousands of times the load (the hours with the least wind
    decide), where an interior point stops early while reporting success, so
    it is solved by the simplex of HiGHS, exact at a vertex, whatever solver
    the model itself uses.

    Returns
    -------
    float
        The highest reachable annual RE share or hourly CFE score; ``inf``
        when unbounded (for example unlimited certificates).

    Raises
    ------
    SolverError
        If the maximum cannot be found (status other than optimal or unbounded).
    """
    lowest_kwh = cp.Variable(name="lowest_score_kwh")
    problem = cp.Problem(
        cp.Maximize(lowest_kwh), [*model.constraints, lowest_kwh <= model.score_kwh()]
    )
    solve_problem(problem, "HIGHS")
    if problem.status in (cp.UNBOUNDED, cp.UNBOUNDED_INACCURATE):
        return float("inf")
    if problem.status != cp.OPTIMAL:
        raise SolverError(f"maximum score: solver HIGHS ended with status {problem.status!r}")
    return float(lowest_kwh.value) / model.inputs.total_demand_kwh


# ---------------------------------------------------------------- report --


@dataclass(frozen=True)
class PortfolioResult:
    """An optimal procurement portfolio.

    Totals (costs, certificate volumes, emissions, surplus) are per year:
    the horizon's totals divided by the model's ``year_fraction``. Shares and
    prices per kWh do not depend on it; ``dispatch`` is per model step. With
    scenarios, the scalar scores, emissions and costs are probability-weighted
    means, ``dispatch`` has a column level ``scenario`` above ``quantity``,
    and ``scenario_costs_jpy`` holds the cost of each scenario.

    Attributes
    ----------
    cost_jpy : float
        Expected annual cost [JPY/year].
    cost_jpy_per_kwh : float
        Expected cost per kWh of demand [JPY/kWh].
    capacities : pandas.Series
        Capacity decisions, labelled ``<generator>_kw``, ``<storage>_kwh``
        and ``<storage>_kw`` [kW or kWh].
    certificates_kwh : pandas.Series
        Certificate volume per certificate [kWh/year].
    dispatch : pandas.DataFrame
        Per step [kWh]: ``demand_kwh``, ``<generator>_kwh`` (available
        output), ``curtailment_kwh``, ``<storage>_charge_kwh``,
        ``<storage>_discharge_kwh``, ``<storage>_soc_kwh``,
        ``grid_import_kwh``, ``grid_export_kwh``, ``non_cfe_import_kwh``
        and ``non_cfe_generation_kwh`` (output of generators that are not
        carbon-free, after curtailment, which is charged to them first).
    cfe_score : float
        Hourly carbon-free score, ``1 - sum_t ((1 - gamma_t) m_t + v_t) / sum_t d_t``.
    re_share : float
        Delivered renewable share of demand, at most 1: ``min(RE, D) / D``
        with ``RE = sum_t (d_t - m_t - v_t) + certificates`` (module
        docstring: curtailed, exported and stored-and-lost carbon-free energy
        is not delivered).
    re_surplus_kwh : float
        Carbon-free output and certificates that ``re_share`` does not count:
        curtailed, exported or lost in storage, plus any excess over demand
        [kWh/year].
    emissions_kg : pandas.Series
        ``location_based``: grid factor times imports; ``market_based``: the
        same net of certificates, which cover imports pro rata [kgCO2e/year].
    shadow_price_jpy_per_kwh : float
        Dual of the target constraint: the cost of one more kWh of required
        carbon-free (hourly) or renewable (annual) energy [JPY/kWh]; NaN
        without a target.
    solver, status : str
        Solver whose solution this is, and its status.
    solver_check : str
        How the solution was verified, or why the first solver's answer was
        replaced (:mod:`gxdlib.procurement.solve`).
    cost_breakdown_jpy : pandas.Series
        Expected annual cost by component (resources, ``grid_import``,
        ``grid_export`` negative) [JPY/year]; sums to ``cost_jpy``.
    scenario_costs_jpy : pandas.Series
        Annual cost per scenario [JPY/year].
    cvar_jpy : float
        CVaR of the annual scenario costs at the model's alpha [JPY/year];
        NaN without risk.
    objective_jpy : float
        The minimised objective, E[cost] + weight * CVaR, per year [JPY/year].
    target : Target
        The target that was imposed.
    year_fraction : float
        Share of a year the model's steps stand for.
    """

    cost_jpy: float
    cost_jpy_per_kwh: float
    capacities: pd.Series
    certificates_kwh: pd.Series
    dispatch: pd.DataFrame
    cfe_score: float
    re_share: float
    re_surplus_kwh: float
    emissions_kg: pd.Series
    shadow_price_jpy_per_kwh: float
    solver: str
    status: str
    solver_check: str
    cost_breakdown_jpy: pd.Series
    scenario_costs_jpy: pd.Series
    cvar_jpy: float
    objective_jpy: float
    target: Target
    year_fraction: float


def _report(model: PortfolioModel) -> PortfolioResult:
    inp = model.inputs
    probability = inp.probability
    total = inp.total_demand_kwh
    per_year = 1.0 / inp.year_fraction
    capacity = np.atleast_1d(model.capacity_kw.value) if inp.generators else np.zeros(0)
    labels = [f"{g.name}_kw" for g in inp.generators]
    values = list(capacity)
    for storage, energy, power in zip(inp.storages, model.energy_kwh, model.power_kw, strict=True):
        labels += [f"{storage.name}_kwh", f"{storage.name}_kw"]
        values += [float(energy.value), float(power.value)]
    capacities = pd.Series(values, index=labels, name="capacity", dtype=float)
    certificates = np.atleast_1d(model.certificates_kwh.value) if inp.certificates else []
    certificates = np.asarray(certificates, dtype=float)

    imports = model.import_kwh.value
    exports = model.export_kwh.value
    columns: dict[str, np.ndarray] = {
        "demand_kwh": np.repeat(inp.demand_kwh[:, None], len(probability), axis=1)
    }
    output = capacity[:, None, None] * inp.profiles  # (G, T, S)
    for generator, generator_output in zip(inp.generators, output, strict=True):
        columns[f"{generator.name}_kwh"] = generator_output
    charges = [charge.value for charge in model.charge_kwh]
    discharges = [discharge.value for discharge in model.discharge_kwh]
    # Curtailment is implicit in the model: the supply in excess of demand.
    curtailment = (
        output.sum(axis=0) + sum(discharges) - sum(charges) + imports - exports
    ) - columns["demand_kwh"]
    columns["curtailment_kwh"] = curtailment
    for storage, charge, discharge, soc in zip(
        inp.storages, charges, discharges, model.soc_kwh, strict=True
    ):
        columns[f"{storage.name}_charge_kwh"] = charge
        columns[f"{storage.name}_discharge_kwh"] = discharge
        columns[f"{storage.name}_soc_kwh"] = soc.value
    columns["grid_import_kwh"] = imports
    columns["grid_export_kwh"] = exports
    non_cfe = (1.0 - inp.cfe_share)[:, None] * imports
    columns["non_cfe_import_kwh"] = non_cfe
    cf = np.array([g.carbon_free for g in inp.generators], dtype=bool)
    # Curtailment is charged to non-carbon-free output first (module docstring).
    non_cfe_output = output[~cf].sum(axis=0) if (~cf).any() else np.zeros_like(imports)
    non_cfe_generation = np.maximum(non_cfe_output - np.maximum(curtailment, 0.0), 0.0)
    columns["non_cfe_generation_kwh"] = non_cfe_generation
    dispatch = _dispatch_frame(columns, inp)

    # Scores and emissions per scenario, then their expectations.
    cfe_scores = 1.0 - (non_cfe.sum(axis=0) + non_cfe_generation.sum(axis=0)) / total
    delivered = total - imports.sum(axis=0) - non_cfe_generation.sum(axis=0) + certificates.sum()
    counted = np.minimum(delivered, total)
    gross = (output[cf].sum(axis=(0, 1)) if cf.any() else 0.0) + certificates.sum()
    location = inp.emission_factor_kg_per_kwh @ imports
    import_total = imports.sum(axis=0)
    # Certificates cover imports pro rata over the year (market-based method).
    uncovered = np.divide(
        np.maximum(import_total - certificates.sum(), 0.0),
        import_total,
        out=np.zeros_like(import_total),
        where=import_total > 0,
    )
    emissions = pd.Series(
        {
            "location_based": probability @ location * per_year,
            "market_based": probability @ (location * uncovered) * per_year,
        },
        name="emissions_kg",
    )

    breakdown = _cost_breakdown(model, capacity, certificates, imports, exports) * per_year
    scenario_costs = pd.Series(
        np.atleast_1d(model.scenario_cost_jpy.value) * per_year,
        index=pd.Index(inp.scenario_names, name="scenario"),
        name="cost_jpy",
    )
    cost = float(probability @ scenario_costs.to_numpy())
    cvar = (
        conditional_value_at_risk(scenario_costs.to_numpy(), probability, model.risk.alpha)
        if model.risk is not None
        else float("nan")
    )
    report = model.solve_report
    return PortfolioResult(
        cost_jpy=cost,
        cost_jpy_per_kwh=cost * inp.year_fraction / total,
        capacities=capacities,
        certificates_kwh=pd.Series(
            certificates * per_year,
            index=[c.name for c in inp.certificates],
            name="certificates_kwh",
            dtype=float,
        ),
        dispatch=dispatch,
        cfe_score=float(probability @ cfe_scores),
        re_share=float(probability @ counted) / total,
        re_surplus_kwh=float(probability @ (gross - counted)) * per_year,
        emissions_kg=emissions,
        shadow_price_jpy_per_kwh=_shadow_price(model),
        solver=report.solver,
        status=model.problem.status,
        solver_check=report.check,
        cost_breakdown_jpy=breakdown,
        scenario_costs_jpy=scenario_costs,
        cvar_jpy=cvar,
        objective_jpy=float(model.problem.value) * per_year,
        target=model.target,
        year_fraction=inp.year_fraction,
    )


def conditional_value_at_risk(costs: np.ndarray, probability: np.ndarray, alpha: float) -> float:
    """CVaR of a discrete cost distribution at level ``alpha`` [same unit as ``costs``].

    The Rockafellar-Uryasev function ``eta + sum_s p_s max(0, c_s - eta) / (1 - alpha)``
    is convex and piecewise linear in ``eta`` with its kinks at the costs, so
    its minimum is reached at one of them. Computed from the solved costs, not
    read from the solver's ``eta``, which a CVaR weight of zero leaves free.

    Examples
    --------
    >>> conditional_value_at_risk(np.array([1.0, 2.0, 3.0, 10.0]), np.full(4, 0.25), 0.75)
    10.0
    >>> conditional_value_at_risk(np.array([1.0, 2.0, 3.0, 10.0]), np.full(4, 0.25), 0.5)
    6.5
    """
    excess = np.maximum(costs[np.newaxis, :] - costs[:, np.newaxis], 0.0)
    return float(np.min(costs + excess @ probability / (1.0 - alpha)))


def _dispatch_frame(columns: dict[str, np.ndarray], inp: _Inputs) -> pd.DataFrame:
    if not inp.with_scenarios:
        return pd.DataFrame({k: v[:, 0] for k, v in columns.items()}, index=inp.index)
    stacked = np.stack(list(columns.values()), axis=2)  # (T, S, Q)
    header = pd.MultiIndex.from_product(
        [list(inp.scenario_names), list(columns)], names=["scenario", "quantity"]
    )
    return pd.DataFrame(stacked.reshape(len(inp.index), -1), index=inp.index, columns=header)


def _cost_breakdown(
    model: PortfolioModel,
    capacity: np.ndarray,
    certificates: np.ndarray,
    imports: np.ndarray,
    exports: np.ndarray,
) -> pd.Series:
    inp = model.inputs
    p = inp.probability
    parts: dict[str, float] = {}
    for generator, cap, profile in zip(inp.generators, capacity, inp.profiles, strict=True):
        ppa = generator.ppa_price_jpy_per_kwh * cap * profile.sum(axis=0)  # (S,)
        fixed = generator.annual_cost_jpy_per_kw * cap * inp.year_fraction
        parts[generator.name] = fixed + float(p @ ppa)
    for storage, energy, power in zip(inp.storages, model.energy_kwh, model.power_kw, strict=True):
        parts[storage.name] = inp.year_fraction * (
            storage.energy_cost_jpy_per_kwh_year * float(energy.value)
            + storage.power_cost_jpy_per_kw_year * float(power.value)
        )
    for certificate, volume in zip(inp.certificates, certificates, strict=True):
        parts[certificate.name] = certificate.price_jpy_per_kwh * float(volume)
    parts["grid_import"] = float(p @ (inp.price_jpy_per_kwh * imports).sum(axis=0))
    parts["grid_export"] = -float(p @ (inp.export_price_jpy_per_kwh * exports).sum(axis=0))
    return pd.Series(parts, name="cost_jpy", dtype=float)


def _shadow_price(model: PortfolioModel) -> float:
    if model.target_constraint is None:
        return float("nan")
    # The objective already weights scenarios by probability: relaxing every
    # scenario's target by one kWh changes the optimum by the sum of duals.
    return float(np.sum(model.target_constraint.dual_value))


# ------------------------------------------------------------------ entry --


def optimize(
    demand_kwh: pd.Series,
    resources: Sequence[Resource],
    grid: Grid,
    target: Target,
    solver: str | None = None,
    *,
    scenarios: Scenarios | None = None,
    risk: CVaR | None = None,
    solver_options: dict[str, object] | None = None,
    year_fraction: float = 1.0,
) -> PortfolioResult:
    """Least-cost (or mean-CVaR) procurement portfolio for a target.

    Parameters
    ----------
    demand_kwh : pandas.Series
        Demand per step [kWh], tz-aware, hourly or half-hourly.
    resources : sequence of Generator, Storage or Certificate
        The resources on offer.
    grid : Grid
        The grid connection.
    target : Target
        ``Target.none()``, ``Target.annual_re(x)`` or ``Target.hourly_cfe(x)``.
    solver : str, optional
        cvxpy solver name; by default HiGHS (simplex) for small problems and
        Clarabel, verified, for large ones (:mod:`gxdlib.procurement.solve`).
        The result's ``solver``, ``status`` and ``solver_check`` say what
        was used.
    scenarios : Scenarios, optional
        Price and profile scenarios; capacities are decided once.
    risk : CVaR, optional
        Mean-CVaR objective; requires nothing else but works best with scenarios.
    solver_options : dict, optional
        Passed to the solver through cvxpy.
    year_fraction : float
        Share of a year that the steps of ``demand_kwh`` stand for (1 for a
        whole year; the ``year_fraction`` of
        :func:`gxdlib.sites.representative_weeks`): annual costs and annual
        certificate volumes are scaled by it and the result's totals are
        per year.

    Returns
    -------
    PortfolioResult

    Raises
    ------
    InfeasibleTargetError
        The target cannot be reached; ``max_reachable`` is the highest score.
    SolverError
        The solver ended with a status other than optimal.

    Notes
    -----
    On a year of hourly steps with storage under an hourly target, Clarabel
    solves in a few seconds where the simplex of HiGHS takes half a minute or
    more (``benchmarks/bench_procurement.py``); its solution is checked on the
    unscaled problem and replaced by HiGHS's when the check fails.

    Examples
    --------
    Two hours, a flat demand of 1 kWh, solar in the first hour only and an
    expensive grid: solar (6 JPY/kWh) is built for the hour it can cover;
    the second hour's attributes come from certificates, cheaper than
    oversizing solar.

    >>> idx = pd.date_range("2024-04-01", periods=2, freq="h", tz="Asia/Tokyo")
    >>> pv = Generator("pv", pd.Series([0.5, 0.0], index=idx), annual_cost_jpy_per_kw=3.0)
    >>> cert = Certificate("nfc", price_jpy_per_kwh=0.4)
    >>> res = optimize(pd.Series(1.0, index=idx), [pv, cert], Grid(price_jpy_per_kwh=10.0),
    ...                Target.annual_re(1.0))
    >>> values = res.cost_jpy, res.capacities["pv_kw"], res.certificates_kwh["nfc"]
    >>> [round(float(v), 6) for v in values]
    [16.4, 2.0, 1.0]
    """
    model = PortfolioModel(
        demand_kwh,
        resources,
        grid,
        target,
        scenarios=scenarios,
        risk=risk,
        year_fraction=year_fraction,
    )
    model.solve(solver, solver_options)
    return model.report()

"""Mean-CVaR efficient frontier of procurement portfolios.

One :class:`~gxdlib.procurement.model.PortfolioModel` is built with the CVaR
weight as a cvxpy Parameter; each point of the sweep only changes the
parameter's value, so cvxpy compiles the problem once and re-solves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from gxdlib.errors import ValidationError
from gxdlib.procurement.model import PortfolioModel, PortfolioResult, Resource
from gxdlib.procurement.resources import CVaR, Grid, Scenarios, Target


@dataclass(frozen=True)
class Frontier:
    """Expected cost against CVaR over a sweep of risk weights.

    Attributes
    ----------
    points : pandas.DataFrame
        Indexed by ``weight``; columns ``expected_cost_jpy``, ``cvar_jpy``
        and ``objective_jpy`` [JPY].
    portfolios : tuple of PortfolioResult
        The optimal portfolio at each weight, in the order of ``points``.
    """

    points: pd.DataFrame
    portfolios: tuple[PortfolioResult, ...]


def efficient_frontier(
    demand_kwh: pd.Series,
    resources: Sequence[Resource],
    grid: Grid,
    target: Target,
    scenarios: Scenarios,
    weights: Sequence[float],
    alpha: float = 0.95,
    solver: str | None = None,
    solver_options: dict[str, object] | None = None,
    year_fraction: float = 1.0,
) -> Frontier:
    """Solve the mean-CVaR problem for each CVaR weight.

    Parameters
    ----------
    demand_kwh, resources, grid, target, scenarios, year_fraction
        As for :func:`~gxdlib.procurement.model.optimize`.
    weights : sequence of float
        CVaR weights lambda >= 0 of the objective E[cost] + lambda CVaR.
    alpha : float
        CVaR confidence level.
    solver : str, optional
        cvxpy solver name; chosen by size when not given (as ``optimize``).
    solver_options : dict, optional
        Passed to the solver.

    Returns
    -------
    Frontier
        Expected cost rises and CVaR falls (weakly) as the weight rises.
    """
    weights = [float(w) for w in weights]
    if not weights or min(weights) < 0:
        raise ValidationError(f"weights: expected at least one weight, all >= 0, got {weights}")
    model = PortfolioModel(
        demand_kwh,
        resources,
        grid,
        target,
        scenarios=scenarios,
        risk=CVaR(alpha=alpha, weight=weights[0]),
        year_fraction=year_fraction,
    )
    portfolios = []
    for weight in weights:
        model.risk_weight.value = weight
        model.solve(solver, solver_options)
        portfolios.append(model.report())
    points = pd.DataFrame(
        {
            "expected_cost_jpy": [p.cost_jpy for p in portfolios],
            "cvar_jpy": [p.cvar_jpy for p in portfolios],
            "objective_jpy": [p.objective_jpy for p in portfolios],
        },
        index=pd.Index(weights, name="weight"),
    )
    return Frontier(points=points, portfolios=tuple(portfolios))

"""Solving a procurement LP: the default solver, its verification and the fallback.

Unless a solver is named, the size of the problem chooses: up to
:data:`SIMPLEX_MAX_VARIABLES` scalar variables (a week or so of hourly steps)
the simplex of HiGHS, exact at a vertex and as fast as anything on such
sizes; above it the interior-point solver Clarabel, which solves a year of
hourly steps with storage under an hourly target in seconds where the
simplex takes half a minute or more (on 4,032 hourly steps 0.8 s against
16 s, and see ``benchmarks/bench_procurement.py``). An interior point stops at
tolerances on its own equilibrated problem, and
on badly scaled instances those can hide a wrong answer: on the reachable
maximum of a Kyushu factory without a battery, Clarabel reports "Solved" at
a score of 0.878 where the maximum is 0.998, because the optimum sits at
wind capacities ten thousand times the load. So every Clarabel solution is
checked on the unscaled problem that cvxpy hands it, ``min q'x`` subject to
``A x + s = b``, ``s`` in the cone (zero cone and non-negative orthant),
with the dual ``z``:

- primal residual ``max |A x + s - b| / max(1, max |b|)``,
- dual residual ``max |A'z + q| / max(1, max |q|)``,
- duality gap ``|q'x + b'z| / max(1, |q'x|)``,

each at most :data:`VERIFY_TOLERANCE`. A solution that fails is solved again
with HiGHS (dual simplex, exact to its feasibility tolerance of 1e-7), and
the report says so.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import cvxpy as cp
import numpy as np

from gxdlib.errors import SolverError

SIMPLEX_MAX_VARIABLES = 5_000
"""Largest problem (scalar variables) solved by the simplex when no solver is named."""

FALLBACK_SOLVER = "HIGHS"
"""The exact solver used when an interior-point solution fails verification."""

VERIFY_TOLERANCE = 1e-7
"""Largest relative residual or gap accepted from an interior-point solver."""


@dataclass(frozen=True)
class SolveReport:
    """How a problem was solved.

    Attributes
    ----------
    solver : str
        The solver whose solution is used.
    status : str
        cvxpy's status of that solution.
    check : str
        What was verified, or why the first solver's answer was replaced.
    seconds : float
        Wall time of compilation and solving [s].
    """

    solver: str
    status: str
    check: str
    seconds: float


def solve_problem(
    problem: cp.Problem, solver: str | None = None, options: dict[str, object] | None = None
) -> SolveReport:
    """Solve ``problem`` in place with ``solver`` (Clarabel by default), verified.

    Parameters
    ----------
    problem : cvxpy.Problem
        A linear programme.
    solver : str, optional
        A cvxpy solver name; when not given, HiGHS up to
        :data:`SIMPLEX_MAX_VARIABLES` scalar variables and Clarabel above.
    options : dict, optional
        Passed to the solver through cvxpy.

    Returns
    -------
    SolveReport
        The solver used, its status and the verification. The status may be
        anything cvxpy reports; the caller decides what it accepts.

    Raises
    ------
    SolverError
        When the solver itself fails (cvxpy's ``SolverError``).
    """
    name = (solver or default_solver(problem)).upper()
    start = time.perf_counter()
    if name == "CLARABEL":
        failure = _solve_clarabel(problem, options or {})
        if failure is None:
            check = (
                f"CLARABEL solution verified: residuals and gap <= {VERIFY_TOLERANCE:g}"
                if problem.status == cp.OPTIMAL
                else f"CLARABEL status {problem.status!r}"
            )
            return SolveReport(name, problem.status, check, time.perf_counter() - start)
        _solve_with(problem, FALLBACK_SOLVER, {})
        check = f"CLARABEL {failure}; solved again with {FALLBACK_SOLVER} (simplex)"
        return SolveReport(FALLBACK_SOLVER, problem.status, check, time.perf_counter() - start)
    _solve_with(problem, name, options or {})
    check = f"{name}'s own status (no further check)"
    return SolveReport(name, problem.status, check, time.perf_counter() - start)


def default_solver(problem: cp.Problem) -> str:
    """The solver chosen for ``problem`` when none is named: by its size.

    Examples
    --------
    >>> x = cp.Variable(3, nonneg=True)
    >>> default_solver(cp.Problem(cp.Minimize(cp.sum(x)), [x >= 1]))
    'HIGHS'
    """
    variables = problem.size_metrics.num_scalar_variables
    return FALLBACK_SOLVER if variables <= SIMPLEX_MAX_VARIABLES else "CLARABEL"


def _solve_with(problem: cp.Problem, solver: str, options: dict[str, object]) -> None:
    try:
        problem.solve(solver=solver, **options)
    except cp.SolverError as exc:
        raise SolverError(f"solver {solver} failed: {exc}") from exc


def _solve_clarabel(problem: cp.Problem, options: dict[str, object]) -> str | None:
    """Solve with Clarabel; None when its verdict stands, else why it is not trusted."""
    try:
        data, chain, inverse = problem.get_problem_data(cp.CLARABEL, solver_opts=options)
        raw = chain.solver.solve_via_data(data, False, False, options)
        with warnings.catch_warnings():
            # cvxpy warns of an inaccurate solution; it is replaced below.
            warnings.simplefilter("ignore", UserWarning)
            problem.unpack_results(raw, chain, inverse)
    except cp.SolverError as exc:
        raise SolverError(f"solver CLARABEL failed: {exc}") from exc
    if problem.status == cp.OPTIMAL_INACCURATE:
        return f"ended with status {problem.status!r}"
    if problem.status != cp.OPTIMAL:
        # Infeasible and unbounded verdicts come with Clarabel's certificate;
        # a limit the caller set (user_limit) is theirs to see.
        return None
    residuals = conic_residuals(
        data["A"],
        data["b"],
        data["c"],
        int(data["dims"].zero),
        np.asarray(raw.x),
        np.asarray(raw.s),
        np.asarray(raw.z),
    )
    worst = max(residuals, key=residuals.get)
    if residuals[worst] > VERIFY_TOLERANCE:
        found = ", ".join(f"{k} {v:.1e}" for k, v in residuals.items())
        return f"solution failed verification ({found}; limit {VERIFY_TOLERANCE:g})"
    return None


def conic_residuals(
    a: object,
    b: np.ndarray,
    q: np.ndarray,
    zero_rows: int,
    x: np.ndarray,
    s: np.ndarray,
    z: np.ndarray,
) -> dict[str, float]:
    """Relative residuals of a primal-dual pair of ``min q'x : A x + s = b, s in K``.

    ``K`` is the zero cone on the first ``zero_rows`` rows and the
    non-negative orthant on the others (the cones of a linear programme).

    Returns
    -------
    dict
        ``primal``, ``dual``, ``gap`` and ``cone`` (the largest violation of
        ``s >= 0`` or ``z >= 0`` on the orthant, relative like the primal).

    Examples
    --------
    ``min x`` subject to ``x >= 1`` (``-x + s = -1``, ``s >= 0``), solved by
    ``x = 1`` with the dual ``z = 1``:

    >>> import scipy.sparse as sp
    >>> r = conic_residuals(sp.csc_matrix([[-1.0]]), np.array([-1.0]), np.array([1.0]), 0,
    ...                     np.array([1.0]), np.array([0.0]), np.array([1.0]))
    >>> [float(v) for v in r.values()]
    [0.0, 0.0, 0.0, 0.0]
    """
    primal_scale = max(1.0, float(np.max(np.abs(b), initial=0.0)))
    dual_scale = max(1.0, float(np.max(np.abs(q), initial=0.0)))
    objective = float(q @ x)
    orthant_s, orthant_z = s[zero_rows:], z[zero_rows:]
    cone = max(
        float(np.max(-orthant_s, initial=0.0)) / primal_scale,
        float(np.max(-orthant_z, initial=0.0)) / dual_scale,
    )
    return {
        "primal": float(np.max(np.abs(a @ x + s - b), initial=0.0)) / primal_scale,
        "dual": float(np.max(np.abs(a.T @ z + q), initial=0.0)) / dual_scale,
        "gap": abs(objective + float(b @ z)) / max(1.0, abs(objective)),
        "cone": cone,
    }

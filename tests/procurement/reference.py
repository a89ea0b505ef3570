"""An independent formulation of the procurement LP for scipy.optimize.linprog.

Written from the issue's equations, not from gxdlib's model: the constraint
matrices are assembled by hand, row block by row block, with scipy.sparse.
Deterministic (one scenario) only.

Column layout: P (G) | E (K) | W (K) | q (C) | m (T) | x (T) | c (T) |
charge (K*T) | discharge (K*T) | soc (K*T).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog


@dataclass
class Case:
    """Plain arrays of one instance (mirrors the gxdlib dataclasses)."""

    demand: np.ndarray  # (T,)
    step_hours: float
    profiles: np.ndarray  # (G, T)
    annual_cost: np.ndarray  # (G,)
    ppa_price: np.ndarray  # (G,)
    min_kw: np.ndarray  # (G,)
    max_kw: np.ndarray  # (G,), inf when unbounded
    carbon_free: np.ndarray  # (G,) bool
    energy_cost: np.ndarray  # (K,)
    power_cost: np.ndarray  # (K,)
    eta_c: np.ndarray  # (K,)
    eta_d: np.ndarray  # (K,)
    max_kwh: np.ndarray  # (K,)
    cert_price: np.ndarray  # (C,)
    cert_max: np.ndarray  # (C,)
    price: np.ndarray  # (T,)
    export_price: np.ndarray  # (T,)
    gamma: np.ndarray  # (T,)
    max_export_share: float


def _blocks(case: Case) -> dict[str, slice]:
    g, k, c = len(case.annual_cost), len(case.energy_cost), len(case.cert_price)
    t = len(case.demand)
    sizes = [
        ("P", g),
        ("E", k),
        ("W", k),
        ("q", c),
        ("m", t),
        ("x", t),
        ("c", t),
        ("ch", k * t),
        ("dis", k * t),
        ("soc", k * t),
    ]
    out, start = {}, 0
    for name, size in sizes:
        out[name] = slice(start, start + size)
        start += size
    out["n"] = slice(0, start)
    return out


def solve_reference(case: Case, kind: str, share: float, sense: str = "cost"):
    """Solve with linprog(method="highs").

    ``sense="cost"`` minimises the annual cost under the target;
    ``sense="max_score"`` maximises the target's score (without the target).
    Returns the scipy result.
    """
    b = _blocks(case)
    n = b["n"].stop
    t = len(case.demand)
    k = len(case.energy_cost)
    total = case.demand.sum()
    eye = sp.identity(t, format="csr")

    def row_block(entries: dict[str, sp.spmatrix], rows: int) -> sp.csr_matrix:
        mat = sp.lil_matrix((rows, n))
        for name, block in entries.items():
            s = b[name]
            mat[:, s] = block
        return mat.tocsr()

    # Objective.
    cost = np.zeros(n)
    cost[b["P"]] = case.annual_cost + case.ppa_price * case.profiles.sum(axis=1)
    cost[b["E"]] = case.energy_cost
    cost[b["W"]] = case.power_cost
    cost[b["q"]] = case.cert_price
    cost[b["m"]] = case.price
    cost[b["x"]] = -case.export_price

    # Balance: profiles' P - c + sum_k (dis - ch) + m - x = d.
    a_eq = [
        row_block(
            {
                "P": sp.csr_matrix(case.profiles.T),
                "c": -eye,
                "m": eye,
                "x": -eye,
                "ch": -sp.hstack([eye] * k) if k else sp.csr_matrix((t, 0)),
                "dis": sp.hstack([eye] * k) if k else sp.csr_matrix((t, 0)),
            },
            t,
        )
    ]
    b_eq = [case.demand]
    # Cyclic state of charge: soc_t - soc_{t-1} - eta_c ch_t + dis_t / eta_d = 0.
    shift = sp.csr_matrix(np.roll(np.eye(t), 1, axis=0))  # row t picks t-1 (cyclic)
    for j in range(k):
        rows = sp.lil_matrix((t, n))
        off = j * t
        rows[:, b["soc"].start + off : b["soc"].start + off + t] = eye - shift
        rows[:, b["ch"].start + off : b["ch"].start + off + t] = -case.eta_c[j] * eye
        rows[:, b["dis"].start + off : b["dis"].start + off + t] = eye / case.eta_d[j]
        a_eq.append(rows.tocsr())
        b_eq.append(np.zeros(t))

    a_ub, b_ub = [], []
    # Curtailment at most the available output.
    a_ub.append(row_block({"c": eye, "P": -sp.csr_matrix(case.profiles.T)}, t))
    b_ub.append(np.zeros(t))
    for j in range(k):
        off = j * t
        for name, cap, scale in (
            ("ch", "W", case.step_hours),
            ("dis", "W", case.step_hours),
            ("soc", "E", 1.0),
        ):
            rows = sp.lil_matrix((t, n))
            rows[:, b[name].start + off : b[name].start + off + t] = eye
            rows[:, b[cap].start + j] = -scale
            a_ub.append(rows.tocsr())
            b_ub.append(np.zeros(t))
    # Exports at most a share of demand.
    a_ub.append(row_block({"x": sp.csr_matrix(np.ones((1, t)))}, 1))
    b_ub.append(np.array([case.max_export_share * total]))

    # Delivered renewable energy: carbon-free output, less curtailment,
    # exports (their attributes leave) and storage losses, plus certificates.
    # With every generator carbon-free all curtailment is of carbon-free output.
    if not case.carbon_free.all():
        raise NotImplementedError("the reference counts carbon-free generators only")
    annual_row = np.zeros(n)
    annual_row[b["P"]] = case.profiles.sum(axis=1)
    annual_row[b["c"]] = -1.0
    annual_row[b["x"]] = -1.0
    annual_row[b["ch"]] = -1.0
    annual_row[b["dis"]] = 1.0
    annual_row[b["q"]] = 1.0
    hourly_row = np.zeros(n)
    hourly_row[b["m"]] = 1.0 - case.gamma

    bounds = [(0.0, None)] * n
    for j in range(len(case.annual_cost)):
        hi = None if np.isinf(case.max_kw[j]) else case.max_kw[j]
        bounds[b["P"].start + j] = (case.min_kw[j], hi)
    for j in range(k):
        hi = None if np.isinf(case.max_kwh[j]) else case.max_kwh[j]
        bounds[b["E"].start + j] = (0.0, hi)
    for j in range(len(case.cert_price)):
        hi = None if np.isinf(case.cert_max[j]) else case.cert_max[j]
        bounds[b["q"].start + j] = (0.0, hi)

    if sense == "max_score":
        # Maximise the score: annual -> max annual_row @ v; hourly -> min hourly_row @ v.
        cost = -annual_row if kind == "annual_re" else hourly_row
    elif kind == "annual_re":
        a_ub.append(sp.csr_matrix(-annual_row))
        b_ub.append(np.array([-share * total]))
    elif kind == "hourly_cfe":
        a_ub.append(sp.csr_matrix(hourly_row))
        b_ub.append(np.array([(1 - share) * total]))

    return linprog(
        cost,
        A_ub=sp.vstack(a_ub).tocsr(),
        b_ub=np.concatenate(b_ub),
        A_eq=sp.vstack(a_eq).tocsr(),
        b_eq=np.concatenate(b_eq),
        bounds=bounds,
        method="highs",
    )


def max_score_reference(case: Case, kind: str) -> float:
    """Highest reachable score by linprog (annual RE share or hourly CFE)."""
    res = solve_reference(case, kind, 0.0, sense="max_score")
    assert res.status == 0, res.message
    total = case.demand.sum()
    if kind == "annual_re":
        return -res.fun / total
    return 1.0 - res.fun / total

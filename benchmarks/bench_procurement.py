"""Benchmark: procurement LP at 8,760 hourly steps, ours (cvxpy) against PyPSA.

Run as ``.venv/bin/python benchmarks/bench_procurement.py``. PyPSA and
linopy are a benchmark-only extra (``pip install pypsa``).

The instance: one year hourly of a synthetic 1 MW-average office-like load,
PV + onshore wind + offshore wind (pay-as-produced PPAs, solar also owned
on-site), a battery with independent energy and power capacities, grid
imports at a time-varying price, exports, two certificates, 95% hourly CFE.

The same problem in PyPSA (one bus):

- generators with ``p_nom_extendable`` and ``p_max_pu`` profiles; a
  pay-as-produced PPA pays for the available output, curtailed or not, so
  its price enters the capital cost: ``ppa_price * sum_t profile_t`` per kW,
  and the marginal cost is zero;
- the battery as a Store (energy) with a charging and a discharging Link;
  our power capacity W bounds the energy drawn when charging and the energy
  delivered when discharging, so the discharging link (rated on its input)
  has ``p_nom = W / eta_d``, an extra constraint;
- grid import as a generator with the price as marginal cost, export as a
  generator with ``p_min_pu = -1, p_max_pu = 0`` and the export price as
  marginal cost; the export limit and the 24/7 constraint are extra linopy
  constraints; certificates are extra linopy variables with their cost added
  to the objective (they are never worth buying under an hourly target, in
  both models).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from gxdlib.procurement import (
    Certificate,
    CVaR,
    Generator,
    Grid,
    PortfolioModel,
    Scenarios,
    Storage,
    Target,
)

TARGET = 0.95
HOURS = 8760


def synthetic_year(seed: int = 0) -> dict[str, pd.Series]:
    """Deterministic hourly demand, profiles, prices and grid CFE share."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2023-04-01", periods=HOURS, freq="h", tz="Asia/Tokyo")
    hour = index.hour.to_numpy()
    day = np.arange(HOURS) // 24
    season = np.cos(2 * np.pi * (day - 170) / 365)  # +1 in summer
    sun = np.clip(np.sin(np.pi * (hour - 6) / 12), 0, None) * (0.8 + 0.2 * season)
    cloud = np.repeat(rng.uniform(0.25, 1.0, HOURS // 24 + 1), 24)[:HOURS]
    pv = 0.85 * sun * cloud

    def wind(scale: float, rho: float) -> np.ndarray:
        # AR(1) with unit stationary variance: s_t = rho s_t-1 + sqrt(1-rho^2) e_t.
        state = lfilter([np.sqrt(1 - rho**2)], [1.0, -rho], rng.normal(size=HOURS))
        speed = scale * np.exp(0.45 * state - 0.1 * season)
        return np.clip(((speed - 3) / 9) ** 3, 0, 1) * (speed < 25)

    onshore = wind(7.0, 0.97)
    offshore = wind(9.0, 0.98)
    office = 0.6 + 0.6 * ((hour >= 8) & (hour < 20)) * (index.day_of_week < 5)
    demand = 1000.0 * office * (1 + 0.15 * np.abs(season)) / np.mean(office)
    price = 10 + 4 * season**2 - 5 * sun + rng.normal(0, 1.5, HOURS)
    price = np.clip(price, 0.01, None)
    cfe_share = np.clip(0.25 + 0.3 * sun + 0.05 * rng.normal(size=HOURS), 0, 1)

    def series(values: np.ndarray) -> pd.Series:
        return pd.Series(values, index=index)

    return {
        "demand_kwh": series(demand),
        "pv": series(pv),
        "onshore": series(onshore),
        "offshore": series(offshore),
        "price": series(price),
        "cfe_share": series(cfe_share),
    }


def portfolio(data: dict[str, pd.Series]) -> tuple[list, Grid]:
    resources = [
        Generator("pv", data["pv"], annual_cost_jpy_per_kw=14_000.0, max_kw=3_000.0),
        Generator("onshore", data["onshore"], ppa_price_jpy_per_kwh=17.0),
        Generator("offshore", data["offshore"], ppa_price_jpy_per_kwh=20.0),
        Storage("battery", 4_000.0, 5_000.0, 0.95, 0.95),
        Certificate("fit_nfc", 0.4),
        Certificate("green_power", 3.0, max_kwh=1e6),
    ]
    grid = Grid(
        price_jpy_per_kwh=data["price"],
        cfe_share=data["cfe_share"],
        emission_factor_kg_per_kwh=0.45,
        export_price_jpy_per_kwh=0.5 * data["price"],
        max_export_share=0.2,
    )
    return resources, grid


def run_ours(data: dict[str, pd.Series], solver: str | None = None) -> tuple[float, float, object]:
    """Build and solve times [s] and the result, with the default solver unless one is named."""
    resources, grid = portfolio(data)
    start = time.perf_counter()
    model = PortfolioModel(data["demand_kwh"], resources, grid, Target.hourly_cfe(TARGET))
    built = time.perf_counter()
    model.solve(solver)  # compiles (cvxpy), solves and verifies
    solved = time.perf_counter()
    return built - start, solved - built, model.report()


def run_pypsa(data: dict[str, pd.Series]) -> tuple[float, float, float]:
    import pypsa

    resources, grid = portfolio(data)
    gens = {r.name: r for r in resources if isinstance(r, Generator)}
    battery = next(r for r in resources if isinstance(r, Storage))
    certs = [r for r in resources if isinstance(r, Certificate)]
    demand = data["demand_kwh"]
    total = float(demand.sum())
    start = time.perf_counter()
    n = pypsa.Network()
    n.set_snapshots(demand.index.tz_localize(None))
    n.add("Bus", "site")
    n.add("Load", "demand", bus="site", p_set=demand.to_numpy())
    for name, g in gens.items():
        profile = np.asarray(g.profile, dtype=float)
        n.add(
            "Generator",
            name,
            bus="site",
            p_nom_extendable=True,
            p_nom_min=g.min_kw,
            p_nom_max=np.inf if g.max_kw is None else g.max_kw,
            p_max_pu=profile,
            capital_cost=g.annual_cost_jpy_per_kw + g.ppa_price_jpy_per_kwh * profile.sum(),
            marginal_cost=0.0,
        )
    n.add(
        "Generator",
        "grid_import",
        bus="site",
        p_nom=10 * demand.max(),
        marginal_cost=np.asarray(grid.price_jpy_per_kwh),
    )
    n.add(
        "Generator",
        "grid_export",
        bus="site",
        p_nom=10 * demand.max(),
        p_min_pu=-1.0,
        p_max_pu=0.0,
        marginal_cost=np.asarray(grid.export_price_jpy_per_kwh),
    )
    n.add("Bus", "battery")
    n.add(
        "Store",
        "battery",
        bus="battery",
        e_nom_extendable=True,
        e_cyclic=True,
        capital_cost=battery.energy_cost_jpy_per_kwh_year,
    )
    n.add(
        "Link",
        "battery_charger",
        bus0="site",
        bus1="battery",
        efficiency=battery.charge_efficiency,
        p_nom_extendable=True,
        capital_cost=battery.power_cost_jpy_per_kw_year,
    )
    n.add(
        "Link",
        "battery_discharger",
        bus0="battery",
        bus1="site",
        efficiency=battery.discharge_efficiency,
        p_nom_extendable=True,
    )
    m = n.optimize.create_model()
    link_p_nom = m["Link-p_nom"]
    dims = [d for d in link_p_nom.dims]
    charger = link_p_nom.sel({dims[0]: "battery_charger"})
    discharger = link_p_nom.sel({dims[0]: "battery_discharger"})
    m.add_constraints(discharger * battery.discharge_efficiency == charger, name="battery_power")
    gen_p = m["Generator-p"]
    gen_dim = [d for d in gen_p.dims if d != "snapshot"][0]
    imports = gen_p.sel({gen_dim: "grid_import"})
    exports = gen_p.sel({gen_dim: "grid_export"})
    non_cfe = (1 - np.asarray(grid.cfe_share)) * imports
    m.add_constraints(non_cfe.sum() <= (1 - TARGET) * total, name="cfe_247")
    m.add_constraints(-exports.sum() <= grid.max_export_share * total, name="export_limit")
    cert_upper = pd.Series(
        [np.inf if c.max_kwh is None else c.max_kwh for c in certs],
        index=pd.Index([c.name for c in certs], name="certificate"),
    )
    q = m.add_variables(lower=0, upper=cert_upper, name="certificates_kwh")
    prices = pd.Series([c.price_jpy_per_kwh for c in certs], index=cert_upper.index)
    m.objective = m.objective + (q * prices).sum()
    built = time.perf_counter()
    status, condition = n.optimize.solve_model(solver_name="highs")
    solved = time.perf_counter()
    if status != "ok":
        raise RuntimeError(f"PyPSA: {status} {condition}")
    return built - start, solved - built, float(m.objective.value)


def scenario_set(data: dict[str, pd.Series], n_scenarios: int, seed: int = 1) -> Scenarios:
    """Price and wind scenarios: price levels and wind years scaled and shifted."""
    rng = np.random.default_rng(seed)
    names = [f"s{i:02d}" for i in range(n_scenarios)]
    level = rng.lognormal(0.0, 0.3, n_scenarios)
    shift = rng.integers(0, HOURS, n_scenarios)
    price = np.clip(data["price"].to_numpy()[:, None] * level[None, :], 0.01, None)
    index = data["demand_kwh"].index

    def rolled(values: np.ndarray) -> pd.DataFrame:
        columns = np.stack([np.roll(values, int(s)) for s in shift], axis=1)
        return pd.DataFrame(columns, index=index, columns=names)

    return Scenarios(
        probability=pd.Series(1.0 / n_scenarios, index=names),
        grid_price_jpy_per_kwh=pd.DataFrame(price, index=index, columns=names),
        export_price_jpy_per_kwh=pd.DataFrame(0.5 * price, index=index, columns=names),
        profiles={
            "onshore": rolled(data["onshore"].to_numpy()),
            "offshore": rolled(data["offshore"].to_numpy()),
        },
    )


def run_cvar(data: dict[str, pd.Series], n_scenarios: int) -> tuple[float, object]:
    """Build and solve time [s] of the mean-CVaR problem, and its result (default solver)."""
    resources, grid = portfolio(data)
    start = time.perf_counter()
    model = PortfolioModel(
        data["demand_kwh"],
        resources,
        grid,
        Target.hourly_cfe(TARGET),
        scenarios=scenario_set(data, n_scenarios),
        risk=CVaR(alpha=0.95, weight=0.5),
    )
    # Clarabel's default of 200 iterations is too few for twenty scenarios of a year.
    model.solve(None, {"max_iter": 600})
    result = model.report()
    return time.perf_counter() - start, result


def main() -> int:
    """Print the figures beside their targets; 1 when a target is missed."""
    import pypsa

    data = synthetic_year()
    print(
        f"procurement LP, {HOURS} hourly steps, {TARGET:.0%} hourly CFE; PyPSA {pypsa.__version__}"
    )
    ours_build, ours_solve, ours = run_ours(data)
    pypsa_build, pypsa_solve, pypsa_cost = run_pypsa(data)
    print(f"{'':22s}{'build [s]':>12s}{'solve [s]':>12s}{'total [s]':>12s}{'cost [JPY]':>20s}")
    rows = [
        (f"gxdlib ({ours.solver})", ours_build, ours_solve, ours.cost_jpy),
        ("PyPSA/linopy (HiGHS)", pypsa_build, pypsa_solve, pypsa_cost),
    ]
    for name, build, solve, cost in rows:
        print(f"{name:22s}{build:12.2f}{solve:12.2f}{build + solve:12.2f}{cost:20.2f}")
    print(f"gxdlib solver check: {ours.solver_check}")
    missed = []
    gap = abs(ours.cost_jpy - pypsa_cost) / abs(pypsa_cost)
    print(f"objective relative difference gxdlib/PyPSA {gap:.2e} (required <= 1e-6)")
    if gap > 1e-6:
        missed.append("objective")
    ratio = (ours_build + ours_solve) / (pypsa_build + pypsa_solve)
    print(f"time ratio gxdlib / PyPSA = {ratio:.3f} (required <= 0.2)")
    if ratio > 0.2:
        missed.append("time ratio")
    seconds, risky = run_cvar(data, 20)
    print(
        f"20 scenarios, CVaR(0.95) weight 0.5, {risky.solver}: build + solve {seconds:.1f} s "
        f"(required < 60 s); E[cost] {risky.cost_jpy:,.0f} JPY, CVaR {risky.cvar_jpy:,.0f} JPY; "
        f"{risky.solver_check}"
    )
    if seconds >= 60:
        missed.append("20-scenario time")
    if missed:
        print(f"TARGETS MISSED: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

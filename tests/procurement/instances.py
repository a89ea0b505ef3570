"""Small synthetic procurement instances, as gxdlib objects and as plain arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gxdlib.procurement import Certificate, Generator, Grid, Storage
from tests.procurement.reference import Case


def instance(
    steps: int = 48,
    *,
    freq: str = "h",
    storage: bool = True,
    certificates: bool = True,
    exports: bool = True,
    seed: int = 0,
    scale: float = 1.0,
    pv_max_kw: float | None = None,
    wind_max_kw: float | None = None,
) -> tuple[pd.Series, list, Grid, Case]:
    """A day or two of demand, solar, wind, a battery, two certificates.

    ``scale`` multiplies every price and cost (the metamorphic scaling test).
    Profiles are in kWh/kW per step, so half-hourly profiles are halved.
    """
    rng = np.random.default_rng(seed)
    step_hours = 1.0 if freq == "h" else 0.5
    index = pd.date_range("2024-04-01", periods=steps, freq=freq, tz="Asia/Tokyo")
    hour = (index.hour + index.minute / 60).to_numpy()
    demand = (80 + 40 * ((hour >= 8) & (hour < 19)) + rng.uniform(0, 10, steps)) * step_hours
    pv = np.clip(np.sin(np.pi * (hour - 6) / 12), 0, None) * rng.uniform(0.6, 0.9, steps)
    wind = np.clip(0.35 + 0.25 * np.sin(np.arange(steps) / 7.0) + rng.normal(0, 0.1, steps), 0, 1)
    pv, wind = pv * step_hours, wind * step_hours
    price = (12 + 6 * ((hour >= 17) & (hour < 21)) - 4 * (pv > 0.3 * step_hours)) * (
        1 + rng.uniform(-0.05, 0.05, steps)
    )
    gamma = np.clip(0.2 + 0.3 * pv / step_hours + rng.uniform(0, 0.05, steps), 0, 1)
    export_price = 0.6 * price if exports else np.zeros(steps)
    ef = 0.45 + 0.05 * (1 - gamma)

    demand_s = pd.Series(demand, index=index, name="demand_kwh")
    resources: list = [
        Generator(
            "pv",
            pd.Series(pv, index=index),
            annual_cost_jpy_per_kw=100.0 * step_hours * scale,
            max_kw=pv_max_kw,
        ),
        Generator(
            "wind",
            pd.Series(wind, index=index),
            ppa_price_jpy_per_kwh=12.5 * scale,
            max_kw=wind_max_kw,
        ),
    ]
    # Costs are per horizon (a two-day "year"), sized so that solar, wind
    # and the battery all compete with the grid.
    stores = []
    if storage:
        stores = [Storage("battery", 12.0 * scale, 9.0 * scale, 0.95, 0.9)]
    certs = []
    if certificates:
        certs = [
            Certificate("fit_nfc", 0.4 * scale, max_kwh=0.3 * demand.sum()),
            Certificate("green_power", 3.0 * scale),
        ]
    resources += stores + certs
    grid = Grid(
        price_jpy_per_kwh=pd.Series(price * scale, index=index),
        cfe_share=pd.Series(gamma, index=index),
        emission_factor_kg_per_kwh=pd.Series(ef, index=index),
        export_price_jpy_per_kwh=pd.Series(export_price * scale, index=index),
        max_export_share=0.2 if exports else 0.0,
    )
    case = Case(
        demand=demand,
        step_hours=step_hours,
        profiles=np.vstack([pv, wind]),
        annual_cost=np.array([resources[0].annual_cost_jpy_per_kw, 0.0]),
        ppa_price=np.array([0.0, resources[1].ppa_price_jpy_per_kwh]),
        min_kw=np.zeros(2),
        max_kw=np.array([np.inf if m is None else m for m in (pv_max_kw, wind_max_kw)]),
        carbon_free=np.array([True, True]),
        energy_cost=np.array([s.energy_cost_jpy_per_kwh_year for s in stores]),
        power_cost=np.array([s.power_cost_jpy_per_kw_year for s in stores]),
        eta_c=np.array([s.charge_efficiency for s in stores]),
        eta_d=np.array([s.discharge_efficiency for s in stores]),
        max_kwh=np.array([np.inf for _ in stores]),
        cert_price=np.array([c.price_jpy_per_kwh for c in certs]),
        cert_max=np.array([np.inf if c.max_kwh is None else c.max_kwh for c in certs]),
        price=price * scale,
        export_price=export_price * scale,
        gamma=gamma,
        max_export_share=grid.max_export_share,
    )
    return demand_s, resources, grid, case

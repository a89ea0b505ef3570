"""Deterministic sample data: what dashboards and notebooks show without real data.

Every function takes a ``seed`` and returns the same data bit for bit for the
same arguments; results are memoised and returned as copies.

- :func:`prices`: JEPX spot prices and volumes in the layout of
  :func:`gxdlib.io.jepx.read_jepx_spot`, calibrated to JEPX's published
  fiscal-year figures.
- :func:`pv_profile_kwh_per_kw`, :func:`wind_profile_kwh_per_kw`: generation
  per kW per slot [kWh/kW] (from :mod:`gxdlib.generation`).
- :func:`demand_kwh`: office and factory consumption per slot [kWh].
- :func:`supply_chain_ledger`, :func:`supply_chain_pact_v2`,
  :func:`supply_chain_pact_v3`, :func:`supply_chain_footprints`: an
  electronics manufacturer's purchase ledger and its suppliers' PACT
  footprints in both specification versions.
"""

from gxdlib.generation import pv_profile_kwh_per_kw, wind_profile_kwh_per_kw
from gxdlib.sample.market import FY_STATS, prices
from gxdlib.sample.profiles import demand_kwh
from gxdlib.sample.supply_chain import (
    supply_chain_footprints,
    supply_chain_ledger,
    supply_chain_pact_v2,
    supply_chain_pact_v3,
)

__all__ = [
    "FY_STATS",
    "demand_kwh",
    "prices",
    "supply_chain_footprints",
    "supply_chain_ledger",
    "supply_chain_pact_v2",
    "supply_chain_pact_v3",
    "pv_profile_kwh_per_kw",
    "wind_profile_kwh_per_kw",
]

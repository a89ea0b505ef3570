"""Deterministic sample load profiles of an office and a factory.

Generation profiles live in :mod:`gxdlib.generation` and are re-exported by
:mod:`gxdlib.sample`; this module adds the consumption side.
"""

from __future__ import annotations

import functools
import zlib
from typing import Literal

import numpy as np
import pandas as pd

from gxdlib.errors import ValidationError
from gxdlib.generation import SITES, air_temperature_c, ar1
from gxdlib.sample.calendar_jp import factory_shutdown, office_closed
from gxdlib.timeseries import SLOTS_PER_DAY, fiscal_year_slots, slot_of_day

DemandKind = Literal["office", "factory"]

# Relative load by half hour (48 values) of a weekday.
# Office: base load of servers, lifts and standby HVAC at night; ramp from
# 07:00, working-day plateau with a lunch dip, ramp-down 18:00-22:00.
_OFFICE_WEEKDAY = np.interp(
    np.arange(SLOTS_PER_DAY) / 2,
    [0, 6.5, 8.0, 9.0, 11.5, 12.0, 13.0, 13.5, 17.5, 19.0, 22.0, 24.0],
    [0.32, 0.32, 0.70, 1.00, 1.00, 0.90, 0.90, 1.00, 0.97, 0.70, 0.36, 0.32],
)
_OFFICE_CLOSED = 0.30  # a closed office keeps its base load only
# Factory: three shifts changing at 06:00, 14:00 and 22:00 with short dips,
# a slightly busier day shift.
_FACTORY_WEEKDAY = np.interp(
    np.arange(SLOTS_PER_DAY) / 2,
    [0, 5.5, 6.0, 6.5, 8.0, 13.5, 14.0, 14.5, 21.5, 22.0, 22.5, 24.0],
    [0.88, 0.88, 0.78, 0.92, 1.00, 1.00, 0.86, 0.97, 0.95, 0.80, 0.88, 0.88],
)
_FACTORY_WEEKEND = 0.72  # continuous processes run, batch lines stop
_FACTORY_SHUTDOWN = 0.25  # maintenance, utilities and security only


def _weather_load(index: pd.DatetimeIndex, sensitivity: float) -> np.ndarray:
    """Heating and cooling factor from Tokyo's seasonal temperature [-].

    Cooling above 22 degC counts about twice as much per degree as heating
    below 14 degC (electric chillers versus partly gas-fired heating).
    """
    temperature = air_temperature_c(index, SITES["tokyo"])
    degrees = 2.0 * np.maximum(temperature - 22.0, 0.0) + np.maximum(14.0 - temperature, 0.0)
    return 1.0 + sensitivity * degrees


@functools.lru_cache(maxsize=16)
def _demand_shape(kind: str, fiscal_year: int, seed: int) -> pd.Series:
    index = fiscal_year_slots(fiscal_year).as_unit("ns")
    rng = np.random.default_rng([seed, zlib.crc32(f"demand:{kind}:{fiscal_year}".encode())])
    slot = slot_of_day(index)
    day = np.arange(len(index)) // SLOTS_PER_DAY
    if kind == "office":
        closed = office_closed(index)
        load = np.where(closed, _OFFICE_CLOSED, _OFFICE_WEEKDAY[slot])
        occupied = (load > _OFFICE_CLOSED + 0.05).astype(float)
        # Air conditioning runs in occupied hours; base load stays flat.
        load = load * (1.0 + occupied * (_weather_load(index, 0.035) - 1.0))
    else:
        weekend = index.day_of_week.to_numpy() >= 5
        load = np.where(weekend, _FACTORY_WEEKEND * _FACTORY_WEEKDAY[slot], _FACTORY_WEEKDAY[slot])
        load = np.where(factory_shutdown(index), _FACTORY_SHUTDOWN, load)
        load = load * _weather_load(index, 0.008)
    # Production and occupancy vary from day to day; meters see small jitter.
    noise = 0.04 * ar1(rng, int(day[-1]) + 1, 0.6)[day] + 0.02 * ar1(rng, len(index), 0.5)
    load = load * np.exp(noise)
    return pd.Series(load / load.sum(), index=index, name=f"{kind}_demand_kwh")


def demand_kwh(
    kind: DemandKind,
    fiscal_year: int = 2023,
    annual_kwh: float = 1_000_000.0,
    seed: int = 0,
) -> pd.Series:
    """Sample 30-minute electricity consumption of an office or a factory [kWh].

    Parameters
    ----------
    kind : {"office", "factory"}
        ``"office"``: weekday daytime plateau with a lunch dip, base load at
        night, weekends, national holidays (Golden Week included), Obon
        (13-16 August) and New Year (29 December-3 January); air conditioning
        raises summer and winter working hours. ``"factory"``: three shifts
        around the clock with dips at the 06:00, 14:00 and 22:00 shift
        changes, lighter weekends and shutdown weeks (Golden Week, Obon,
        New Year).
    fiscal_year : int
        Fiscal year to cover: 17,520 or 17,568 slots.
    annual_kwh : float
        Total consumption over the fiscal year [kWh], finite and positive.
    seed : int
        Seed of the day-to-day and slot noise.

    Returns
    -------
    pandas.Series
        Energy per slot [kWh], index ``slot_start`` (Asia/Tokyo), summing to
        ``annual_kwh``.

    Raises
    ------
    ValidationError
        For an unknown kind or a non-positive ``annual_kwh``.

    Examples
    --------
    >>> office = demand_kwh("office", 2023, annual_kwh=876_000.0)
    >>> round(float(office.sum()), 6)
    876000.0
    """
    if kind not in ("office", "factory"):
        raise ValidationError(f"kind: expected 'office' or 'factory', got {kind!r}")
    if not np.isfinite(annual_kwh) or annual_kwh <= 0:
        raise ValidationError(f"annual_kwh: expected a finite value > 0, got {annual_kwh}")
    shape = _demand_shape(kind, int(fiscal_year), int(seed))
    return shape * float(annual_kwh)

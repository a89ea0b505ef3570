"""Contract volumes from generation profiles: a plant sized from an area profile, a shape.

A VPPA on a new plant has no metered history yet. Analysts borrow the shape of
the area's actual solar output (the TSO's hourly area actuals) and scale it to
the plant: capacity x capacity factor x hours gives the plant's energy over
the period, spread over the slots in the proportions of the area profile.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gxdlib.errors import ValidationError
from gxdlib.generation import normalise
from gxdlib.timeseries import SLOT, SLOTS_PER_DAY, TZ, require_regular


def plant_generation_kwh(
    profile: pd.Series, capacity_kw: float, capacity_factor: float
) -> pd.Series:
    """A plant's output shaped like ``profile``, sized by capacity and capacity factor.

    Parameters
    ----------
    profile : pandas.Series
        Energy per 30-minute slot in any unit (e.g. an area's solar [kWh] from
        :func:`gxdlib.timeseries.to_slots`), regular, tz-aware, >= 0.
    capacity_kw : float
        Plant capacity [kW], > 0.
    capacity_factor : float
        Mean output over capacity over the profile's period [-], 0 < cf <= 1.

    Returns
    -------
    pandas.Series
        ``generation_kwh`` per slot [kWh], summing to
        ``capacity_kw * capacity_factor * hours`` where ``hours`` is the span of
        the profile (0.5 h per slot).

    Raises
    ------
    ValidationError
        For an irregular or naive index, negative or non-finite values, a zero
        profile or out-of-range capacity or capacity factor.

    Examples
    --------
    >>> slots = pd.date_range("2022-04-01 11:00", periods=4, freq="30min", tz="Asia/Tokyo")
    >>> plant_generation_kwh(pd.Series([1.0, 3.0, 0.0, 0.0], index=slots), 1000.0, 0.5).tolist()
    [250.0, 750.0, 0.0, 0.0]
    """
    if not np.isfinite(capacity_kw) or capacity_kw <= 0:
        raise ValidationError(f"capacity_kw must be a finite number > 0, got {capacity_kw!r}")
    if not np.isfinite(capacity_factor) or not 0 < capacity_factor <= 1:
        raise ValidationError(f"capacity_factor must satisfy 0 < cf <= 1, got {capacity_factor!r}")
    index = require_regular(profile.index, SLOT, "profile")
    hours = len(index) * (SLOT / pd.Timedelta(hours=1))
    shares = normalise(profile).to_numpy()
    energy_kwh = capacity_kw * capacity_factor * hours
    return pd.Series(shares * energy_kwh, index=index, name="generation_kwh")


def _month_slot_key(index: pd.DatetimeIndex) -> np.ndarray:
    """(calendar month - 1) x 48 + slot of the day, in JST: 0 to 575."""
    local = index.tz_convert(TZ)
    return np.asarray((local.month - 1) * SLOTS_PER_DAY + local.hour * 2 + local.minute // 30)


def monthly_diurnal_shape_kwh(
    generation_kwh: pd.Series, index: pd.DatetimeIndex | None = None
) -> pd.Series:
    """A shaped-volume profile: each slot gets the mean of its month and time of day [kWh].

    The usual shaped PPA volume is a fixed 12 x 48 table (calendar month x
    slot of the day) agreed in advance; here the table is the mean of the
    given generation over every year it covers, so the shape delivers the
    same monthly energy without the day-to-day weather.

    Parameters
    ----------
    generation_kwh : pandas.Series
        Energy per 30-minute slot [kWh], regular, tz-aware.
    index : pandas.DatetimeIndex, optional
        Slots to lay the table onto (e.g. a scenario horizon); default the
        generation's own slots.

    Returns
    -------
    pandas.Series
        ``shape_kwh`` per slot of ``index`` [kWh]. Over one complete year its
        sum per calendar month equals the generation's.

    Raises
    ------
    ValidationError
        For an irregular or naive index, or an ``index`` reaching a calendar
        month the generation does not cover.

    Examples
    --------
    >>> slots = pd.date_range("2022-04-01", periods=96, freq="30min", tz="Asia/Tokyo")
    >>> gen = pd.Series(np.r_[np.full(48, 2.0), np.full(48, 4.0)], index=slots)
    >>> monthly_diurnal_shape_kwh(gen).unique().tolist()
    [3.0]
    """
    source = require_regular(generation_kwh.index, SLOT, "generation_kwh")
    target = source if index is None else require_regular(index, SLOT, "index")
    table_size = 12 * SLOTS_PER_DAY
    key = _month_slot_key(source)
    sums = np.bincount(key, weights=generation_kwh.to_numpy(dtype=float), minlength=table_size)
    counts = np.bincount(key, minlength=table_size)
    target_key = _month_slot_key(target)
    uncovered = counts[target_key] == 0
    if uncovered.any():
        raise ValidationError(
            f"index: the generation covers no slot of the month and time of day of "
            f"{target[uncovered][0]}; give generation over every calendar month of the index"
        )
    means = sums / np.maximum(counts, 1)
    return pd.Series(means[target_key], index=target, name="shape_kwh")

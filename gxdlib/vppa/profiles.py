"""Contract volumes from generation profiles: a plant sized from an area profile, a shape.

A VPPA on a new plant has no metered history yet. Analysts borrow the shape of
the area's actual solar output (the TSO's hourly area actuals) and scale it to
the plant. An area's output is a growing fleet's: Kyushu's delivered solar rose
from 7.09 TWh in FY2016 to 13.74 TWh in FY2022 (Kyushu Electric Power
Transmission and Distribution, area supply-demand actuals, エリア需給実績), so
:func:`plant_generation_kwh` scales each fiscal year on its own.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from gxdlib.errors import ValidationError
from gxdlib.generation import SLOT_HOURS, normalise
from gxdlib.timeseries import (
    SLOT,
    SLOTS_PER_DAY,
    YearCoverage,
    fiscal_year,
    fiscal_year_slots,
    month_slot_key,
    require_full_year,
    require_regular,
)


def plant_generation_kwh(
    profile: pd.Series,
    capacity_kw: float,
    capacity_factor: float,
    *,
    fleet_capacity_kw: Mapping[int, float] | None = None,
    partial: bool = False,
) -> pd.Series:
    """A plant's output shaped like an area profile, scaled fiscal year by fiscal year.

    Spreading one total over several years in the shares of an area profile
    hands the area fleet's growth to the plant: a year in which the fleet was
    twice as large would give the plant twice the output. So each fiscal year
    is scaled on its own. Per fiscal year rather than per month: a month's
    total is the month's weather and season, which a plant's monthly volume
    must keep; the price is that the fleet's growth *within* a year (capacity
    added month by month) stays in the shape as a drift of a few percent.

    Two methods, by what is known about the fleet:

    - Without ``fleet_capacity_kw`` (the default): every complete fiscal year
      yields ``capacity_kw * capacity_factor * hours`` of that year, spread
      over its slots in the shares the profile has within that year. The
      fleet's growth between years is removed exactly; so is the weather's
      variation between years (every complete year yields the same energy),
      while the weather within a year (sunny and cloudy weeks, seasons) is
      kept.
    - With ``fleet_capacity_kw``, the installed capacity of the area's fleet
      per fiscal year (for instance from METI's published FIT/FIP
      statistics): the fleet's output per kW, ``profile / fleet capacity``,
      keeps each year's weather; one factor scales it so that the plant's
      capacity factor over the complete fiscal years of the profile is
      ``capacity_factor``. ``profile`` must then be in kWh. A capacity
      estimated from the profile itself (a high quantile of its output) was
      not used: in Kyushu's actuals such estimates move with curtailment,
      which clips the clear-day peaks the quantile reads.

    A partial fiscal year is refused unless ``partial=True``. Its months then
    receive, by default, the part of a year's yield that the complete fiscal
    years of the profile delivered in the same calendar months (each month
    weighted by the fraction of its slots present); with ``fleet_capacity_kw``
    the common factor applies to it as well. When the profile holds no
    complete fiscal year, ``capacity_factor`` is taken as the plant's
    capacity factor over the period given, since the months' seasonal weight
    cannot be read from the profile.

    Parameters
    ----------
    profile : pandas.Series
        The area's energy per 30-minute slot, regular, tz-aware, >= 0: in any
        unit by default (e.g. [kWh] from :func:`gxdlib.timeseries.to_slots`),
        in [kWh] with ``fleet_capacity_kw``.
    capacity_kw : float
        Plant capacity [kW], > 0.
    capacity_factor : float
        The plant's mean output over its capacity in a complete fiscal year
        [-], 0 < cf <= 1.
    fleet_capacity_kw : mapping of int to float, optional
        Installed capacity of the area's fleet [kW] per fiscal year of the
        profile, each finite and > 0.
    partial : bool
        Accept fiscal years that the profile covers only in part.

    Returns
    -------
    pandas.Series
        ``generation_kwh`` per slot [kWh]. ``attrs["coverage"]`` lists what
        each fiscal year covers (e.g. ``'FY2023, Apr-Dec 2023 only (9 of 12
        months)'``).

    Raises
    ------
    ValidationError
        For an irregular or naive index, negative or non-finite values, a
        fiscal year without output, out-of-range capacity or capacity factor,
        or a fleet capacity missing or invalid for a fiscal year.
    IncompleteYearError
        For a partial fiscal year without ``partial=True``, naming its months.

    Examples
    --------
    An area whose fleet doubles in FY2023, under identical weather (1 unit at
    noon every day of FY2022, 2 units in FY2023): the plant yields the same
    in both years, 1,000 kW x 0.15 x the year's hours (8,784 in FY2023, which
    holds 29 February 2024).

    >>> slots = pd.date_range("2022-04-01", "2024-03-31 23:30", freq="30min", tz="Asia/Tokyo")
    >>> noon = (slots.hour == 12) & (slots.minute == 0)
    >>> area = pd.Series(np.where(noon, np.where(slots >= "2023-04-01", 2.0, 1.0), 0.0), slots)
    >>> plant = plant_generation_kwh(area, 1000.0, 0.15)
    >>> plant.groupby(fiscal_year(slots)).sum().round(1).tolist()
    [1314000.0, 1317600.0]
    """
    if not np.isfinite(capacity_kw) or capacity_kw <= 0:
        raise ValidationError(f"capacity_kw must be a finite number > 0, got {capacity_kw!r}")
    if not np.isfinite(capacity_factor) or not 0 < capacity_factor <= 1:
        raise ValidationError(f"capacity_factor must satisfy 0 < cf <= 1, got {capacity_factor!r}")
    index = require_regular(profile.index, SLOT, "profile")
    shares = normalise(profile).to_numpy()
    years, year_code = np.unique(np.asarray(fiscal_year(index)), return_inverse=True)
    coverage = [
        require_full_year(index[year_code == i], int(year), SLOT, partial=partial, what="profile")
        for i, year in enumerate(years)
    ]
    year_share = np.bincount(year_code, weights=shares, minlength=len(years))
    if (year_share <= 0).any():
        empty = [f"FY{y}" for y in years[year_share <= 0]]
        raise ValidationError(f"profile: no output in {', '.join(empty)}, so nothing to scale")
    if fleet_capacity_kw is None:
        hours = _year_hours(coverage, index, shares, year_code)
        energy_kwh = capacity_kw * capacity_factor * hours
        values = shares / year_share[year_code] * energy_kwh[year_code]
    else:
        per_kw = (
            profile.to_numpy(dtype=float) / _fleet_capacity(fleet_capacity_kw, years)[year_code]
        )
        complete = np.array([c.complete for c in coverage])
        calibration = complete if complete.any() else np.ones(len(years), dtype=bool)
        steps = np.array([c.steps for c in coverage])
        hours = steps[calibration].sum() * SLOT_HOURS
        fleet_kwh_per_kw = per_kw[calibration[year_code]].sum()
        values = per_kw * capacity_kw * capacity_factor * hours / fleet_kwh_per_kw
    result = pd.Series(values, index=index, name="generation_kwh")
    result.attrs["coverage"] = [c.label for c in coverage]
    return result


def _year_hours(
    coverage: list[YearCoverage],
    index: pd.DatetimeIndex,
    shares: np.ndarray,
    year_code: np.ndarray,
) -> np.ndarray:
    """Hours at the plant's capacity factor that each fiscal year stands for [h].

    A complete year stands for its hours. A partial year stands for a
    complete year's hours times the part of a year's output that falls in
    the slots it has: per calendar month, the mean share of the profile's
    complete years, times the fraction of the month's slots present.
    """
    complete = np.array([c.complete for c in coverage])
    if not complete.any():
        return np.array([c.steps for c in coverage]) * SLOT_HOURS
    n_years = len(coverage)
    key = year_code * 12 + (np.asarray(index.month) - 1)
    output = np.bincount(key, weights=shares, minlength=n_years * 12).reshape(n_years, 12)
    present = np.bincount(key, minlength=n_years * 12).reshape(n_years, 12)
    in_full_year = np.stack(
        [np.bincount(fiscal_year_slots(c.fiscal_year).month - 1, minlength=12) for c in coverage]
    )
    month_share = (output[complete] / output[complete].sum(axis=1, keepdims=True)).mean(axis=0)
    part = np.where(complete, 1.0, (month_share * present / in_full_year).sum(axis=1))
    return np.array([c.expected_steps for c in coverage]) * SLOT_HOURS * part


def _fleet_capacity(fleet_capacity_kw: Mapping[int, float], years: np.ndarray) -> np.ndarray:
    """The fleet capacity of each fiscal year [kW], validated."""
    missing = [f"FY{y}" for y in years if int(y) not in fleet_capacity_kw]
    if missing:
        raise ValidationError(
            f"fleet_capacity_kw: no capacity for {', '.join(missing)} of the profile"
        )
    capacity = np.array([fleet_capacity_kw[int(y)] for y in years], dtype=float)
    bad = ~np.isfinite(capacity) | (capacity <= 0)
    if bad.any():
        raise ValidationError(
            f"fleet_capacity_kw: FY{years[bad][0]} has {float(capacity[bad][0])!r}; "
            "expected a finite capacity > 0 [kW]"
        )
    return capacity


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
    key = month_slot_key(source)
    sums = np.bincount(key, weights=generation_kwh.to_numpy(dtype=float), minlength=table_size)
    counts = np.bincount(key, minlength=table_size)
    target_key = month_slot_key(target)
    uncovered = counts[target_key] == 0
    if uncovered.any():
        raise ValidationError(
            f"index: the generation covers no slot of the month and time of day of "
            f"{target[uncovered][0]}; give generation over every calendar month of the index"
        )
    means = sums / np.maximum(counts, 1)
    return pd.Series(means[target_key], index=target, name="shape_kwh")

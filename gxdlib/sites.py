"""Consumer sites: presets of a demand profile in a JEPX area, and their hourly inputs.

A :class:`SitePreset` names what an analysis of one site needs: the JEPX
area (prices and the weather of its main city), the kind and size of the
load, and the room for rooftop PV. :func:`hourly_site_inputs` turns a preset
and a year of JEPX prices into one hourly frame (energy summed over the two
half-hour slots of each hour, prices averaged), and
:func:`representative_weeks` cuts a year down to one week per month for
models that must solve in seconds.

The demand, PV and wind series are gxdlib's deterministic samples
(:mod:`gxdlib.sample`); the prices are whatever frame the caller loaded
(real JEPX files or the sample). The grid's carbon-free share and carbon
intensity come from :func:`site_grid_signal`: the hourly signal of the
site's area (:func:`gxdlib.grid.area_signal`, from the TSO's area actuals)
where its fiscal year is complete, else a flat national share and the
area utility's published emission factor, and the frame says which.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gxdlib import sample
from gxdlib.areas import AREAS
from gxdlib.errors import IncompleteYearError, MissingDataError, ValidationError
from gxdlib.grid import area_signal, emission_factors
from gxdlib.io.tso import TSO_PROFILES
from gxdlib.timeseries import HOUR, SLOT, fiscal_year_slots, require_regular


@dataclass(frozen=True)
class SitePreset:
    """A consumer site.

    Parameters
    ----------
    name : str
        Key of the preset.
    area : str
        JEPX area of the site: its area price and the weather of its main
        city (:data:`gxdlib.generation.SITES`).
    demand_kind : str
        ``"office"`` or ``"factory"`` (:func:`gxdlib.sample.demand_kwh`).
    annual_kwh : float
        Consumption over a fiscal year [kWh].
    rooftop_pv_max_kw : float
        PV capacity that fits on the site's roofs and car parks [kW].
    """

    name: str
    area: str
    demand_kind: str
    annual_kwh: float
    rooftop_pv_max_kw: float

    def __post_init__(self) -> None:
        if self.area not in AREAS:
            raise ValidationError(f"SitePreset {self.name!r}: unknown area {self.area!r}")
        if self.demand_kind not in ("office", "factory"):
            raise ValidationError(
                f"SitePreset {self.name!r}: demand_kind must be 'office' or 'factory', "
                f"got {self.demand_kind!r}"
            )
        if not (np.isfinite(self.annual_kwh) and self.annual_kwh > 0):
            raise ValidationError(f"SitePreset {self.name!r}: annual_kwh must be > 0")
        if not (np.isfinite(self.rooftop_pv_max_kw) and self.rooftop_pv_max_kw >= 0):
            raise ValidationError(f"SitePreset {self.name!r}: rooftop_pv_max_kw must be >= 0")


SITE_PRESETS: dict[str, SitePreset] = {
    # A mid-size Tokyo office building (about 230 kW on average) with room
    # for 200 kW of PV on its roof: on-site PV covers about a tenth of it.
    "tokyo_office": SitePreset("tokyo_office", "tokyo", "office", 2_000_000.0, 200.0),
    # A three-shift electronics plant in Kyushu (about 1.1 MW on average)
    # with 1.5 MW of PV on its halls and car park.
    "kyushu_factory": SitePreset("kyushu_factory", "kyushu", "factory", 10_000_000.0, 1_500.0),
}
"""Illustrative sites of the procurement notebook and dashboard (sizes are assumptions)."""

INPUT_COLUMNS = (
    "demand_kwh",
    "pv_kwh_per_kw",
    "wind_kwh_per_kw",
    "spot_jpy_per_kwh",
    "grid_cfe_share",
    "grid_kgco2e_per_kwh",
)
"""Columns of :func:`hourly_site_inputs`."""

NATIONAL_CFE_SHARE_FY2023 = 0.314
"""Non-fossil share of Japan's generation in FY2023 [-]: renewables including
hydro 22.9 %, nuclear 8.5 % (METI/ANRE, エネルギー需給実績 FY2023 preliminary,
2024-11-22, reported by Denki Shimbun). The fallback where an area has no
hourly signal: a national annual figure, applied to every hour."""


@dataclass(frozen=True)
class GridSignal:
    """The grid's carbon-free share and carbon intensity at a site, per hour.

    Attributes
    ----------
    cfe_share : pandas.Series
        Carbon-free share of the grid's supply in each hour [-].
    kgco2e_per_kwh : pandas.Series
        Carbon intensity of grid power in each hour [kgCO2e/kWh].
    hourly : bool
        Whether the values vary by hour (the area's TSO signal) or are one
        fallback figure repeated.
    source : str
        Where the values come from, for tables and the screen.
    """

    cfe_share: pd.Series
    kgco2e_per_kwh: pd.Series
    hourly: bool
    source: str


def site_grid_signal(preset: SitePreset, fiscal_year: int) -> GridSignal:
    """The grid signal of a site's area in one fiscal year, or the stated fallback.

    The hourly signal of :func:`gxdlib.grid.area_signal` (carbon-free share of
    the area's generation and its life-cycle intensity, from the TSO's area
    actuals under ``GXD_DATA_DIR``) where that fiscal year is complete. Where
    it is not (no TSO file layout for the area, no file, or a partial year
    such as FY2023's, which ends in December), the national carbon-free share
    :data:`NATIONAL_CFE_SHARE_FY2023` and the area utility's latest published
    basic emission factor (:func:`gxdlib.grid.emission_factors`) in every
    hour; ``source`` says which and why. A file that is there but malformed
    still raises.

    Parameters
    ----------
    preset : SitePreset
        The site; its area decides the signal.
    fiscal_year : int
        The fiscal year.

    Returns
    -------
    GridSignal
        Indexed by the fiscal year's hour starts.

    Examples
    --------
    >>> signal = site_grid_signal(SITE_PRESETS["tokyo_office"], 2023)
    >>> signal.hourly, len(signal.cfe_share), float(signal.cfe_share.iloc[0])
    (False, 8784, 0.314)
    """
    hours = fiscal_year_slots(fiscal_year)[::2].rename("hour_start")
    reason = f"no hourly TSO signal for the {preset.area} area"
    if preset.area in TSO_PROFILES:
        try:
            signal = area_signal(preset.area, fiscal_year)
        except MissingDataError:
            reason = f"no TSO area actuals of FY{fiscal_year} under GXD_DATA_DIR"
        except IncompleteYearError as exc:
            reason = (
                f"the TSO area actuals of FY{fiscal_year} cover {exc.months[0]} to "
                f"{exc.months[-1]} only"
            )
        else:
            signal = signal.reindex(hours)
            return GridSignal(
                cfe_share=signal["cfe_share"],
                kgco2e_per_kwh=signal["gco2_per_kwh"] / 1000.0,
                hourly=True,
                source=(
                    f"{preset.area} TSO area actuals, {signal.attrs['coverage']}: hourly "
                    "carbon-free share and life-cycle intensity of the area's generation"
                ),
            )
    factor = emission_factors().set_index("area").loc[preset.area]
    return GridSignal(
        cfe_share=pd.Series(NATIONAL_CFE_SHARE_FY2023, index=hours),
        kgco2e_per_kwh=pd.Series(float(factor["basic_kg_per_kwh"]), index=hours),
        hourly=False,
        source=(
            f"national carbon-free share {NATIONAL_CFE_SHARE_FY2023:.1%} (FY2023) in every hour "
            f"and {factor['utility']}'s FY{int(factor['fiscal_year_of_results'])} basic "
            f"emission factor {float(factor['basic_kg_per_kwh']):.3f} kg/kWh ({reason})"
        ),
    )


def hourly_site_inputs(
    preset: SitePreset,
    prices: pd.DataFrame,
    fiscal_year: int,
    weather_seed: int = 0,
    demand_kind: str | None = None,
    grid: GridSignal | None = None,
) -> pd.DataFrame:
    """One fiscal year of a site's hourly demand, generation, area price and grid signal.

    Parameters
    ----------
    preset : SitePreset
        The site.
    prices : pandas.DataFrame
        JEPX spot prices per slot of ``fiscal_year``, as
        :func:`gxdlib.io.jepx.read_jepx_spot` returns them [JPY/kWh].
    fiscal_year : int
        The fiscal year; prices must cover all its slots.
    weather_seed : int
        Seed of the sample PV and wind weather.
    demand_kind : str, optional
        Overrides the preset's load profile (``"office"`` or ``"factory"``).
    grid : GridSignal, optional
        The grid's hourly carbon-free share and intensity, by default
        :func:`site_grid_signal` (which reads the area's TSO actuals where
        ``GXD_DATA_DIR`` has them).

    Returns
    -------
    pandas.DataFrame
        Hourly, index tz Asia/Tokyo: ``demand_kwh`` [kWh],
        ``pv_kwh_per_kw`` (south-facing PV in the area's main city) and
        ``wind_kwh_per_kw`` (onshore wind) [kWh/kW], ``spot_jpy_per_kwh``
        (the area price, mean of the hour's two slots) [JPY/kWh],
        ``grid_cfe_share`` [-] and ``grid_kgco2e_per_kwh`` [kgCO2e/kWh].
        ``attrs["grid_source"]`` says where the grid signal comes from.

    Raises
    ------
    ValidationError
        When ``prices`` do not cover exactly the fiscal year's slots.

    Examples
    --------
    >>> frame = hourly_site_inputs(SITE_PRESETS["tokyo_office"], sample.prices(2023), 2023)
    >>> len(frame), round(float(frame["demand_kwh"].sum()))
    (8784, 2000000)
    """
    slots = fiscal_year_slots(fiscal_year)
    index = require_regular(prices.index, SLOT, "prices")
    if not index.equals(slots.as_unit("ns")):
        raise ValidationError(
            f"prices: expected the {len(slots)} slots of FY{fiscal_year} "
            f"({slots[0]} to {slots[-1]}), got {len(index)} from {index[0]} to {index[-1]}"
        )
    if preset.area not in prices.columns:
        raise ValidationError(f"prices: no column {preset.area!r} for the site's area")
    spot = prices[preset.area].to_numpy(dtype=float)
    if not np.all(np.isfinite(spot)):
        raise ValidationError(f"prices[{preset.area!r}]: missing values in FY{fiscal_year}")
    kind = demand_kind or preset.demand_kind
    per_slot = pd.DataFrame(
        {
            "demand_kwh": sample.demand_kwh(kind, fiscal_year, preset.annual_kwh),
            "pv_kwh_per_kw": sample.pv_profile_kwh_per_kw(
                fiscal_year, site=preset.area, seed=weather_seed
            ),
            "wind_kwh_per_kw": sample.wind_profile_kwh_per_kw(
                fiscal_year, site=preset.area, seed=weather_seed
            ),
            "spot_jpy_per_kwh": spot,
        },
        index=slots,
    )
    hourly = _slots_to_hours(per_slot)
    grid = site_grid_signal(preset, fiscal_year) if grid is None else grid
    hourly["grid_cfe_share"] = _on_hours(grid.cfe_share, hourly.index, "grid cfe_share")
    hourly["grid_kgco2e_per_kwh"] = _on_hours(
        grid.kgco2e_per_kwh, hourly.index, "grid kgco2e_per_kwh"
    )
    hourly.attrs["grid_source"] = grid.source
    return hourly


def _on_hours(values: pd.Series, hours: pd.DatetimeIndex, what: str) -> np.ndarray:
    """``values`` on exactly ``hours``, every one finite."""
    index = require_regular(values.index, HOUR, what)
    if not index.equals(hours):
        raise ValidationError(
            f"{what}: expected the {len(hours)} hours from {hours[0]} to {hours[-1]}, "
            f"got {len(index)} from {index[0]} to {index[-1]}"
        )
    array = values.to_numpy(dtype=float)
    if not np.all(np.isfinite(array)):
        first = hours[~np.isfinite(array)][0]
        raise ValidationError(f"{what}: missing or infinite values, first at {first}")
    return array


def _slots_to_hours(per_slot: pd.DataFrame) -> pd.DataFrame:
    """Energy summed and prices averaged over the two slots of each hour."""
    values = per_slot.to_numpy(dtype=float)
    pairs = values.reshape(len(per_slot) // 2, 2, values.shape[1])
    hourly = pairs.sum(axis=1)
    price_columns = [i for i, c in enumerate(per_slot.columns) if c.endswith("_jpy_per_kwh")]
    hourly[:, price_columns] = pairs[:, :, price_columns].mean(axis=1)
    index = per_slot.index[::2]
    index = pd.DatetimeIndex(index, freq=HOUR, name="hour_start")
    return pd.DataFrame(hourly, index=index, columns=per_slot.columns)


REPRESENTATIVE_DAYS = range(8, 15)
"""Days of the month of the representative week (the 8th to the 14th)."""


@dataclass(frozen=True)
class RepresentativeWeeks:
    """One week per month, laid end to end for a model that needs a regular index.

    Attributes
    ----------
    frame : pandas.DataFrame
        The selected hours, re-indexed onto ``model_index``.
    calendar : pandas.DatetimeIndex
        The real hour of each row, for plots and monthly views.
    year_fraction : float
        Hours kept over hours in the year: annual fixed costs are multiplied
        by it so that the kept hours carry their share of them, and costs of
        the kept hours are divided by it to annualise.
    """

    frame: pd.DataFrame
    calendar: pd.DatetimeIndex
    year_fraction: float

    def on_calendar(self, frame: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
        """``frame`` (indexed like :attr:`frame`) with the real hours as index."""
        return frame.set_axis(self.calendar, axis=0)


def representative_weeks(hourly: pd.DataFrame) -> RepresentativeWeeks:
    """The 8th to the 14th of each month of an hourly year, end to end.

    Twelve weeks (2,016 or so hours) keep the seasons, the weekly cycle and a
    weekend in every month, at a quarter of the year's size. The weeks are
    placed end to end on a regular hourly index starting at the first kept
    hour, so a storage model carries energy from one week into the next:
    a modelling shortcut, small next to the daily cycle that dominates
    batteries' use.

    Parameters
    ----------
    hourly : pandas.DataFrame
        One fiscal year at a regular hourly step, tz-aware.

    Returns
    -------
    RepresentativeWeeks

    Examples
    --------
    >>> frame = hourly_site_inputs(SITE_PRESETS["tokyo_office"], sample.prices(2023), 2023)
    >>> weeks = representative_weeks(frame)
    >>> len(weeks.frame), weeks.calendar[0].strftime("%m-%d %H"), round(weeks.year_fraction, 4)
    (2016, '04-08 00', 0.2295)
    """
    index = require_regular(hourly.index, HOUR, "hourly inputs")
    keep = np.isin(index.day, list(REPRESENTATIVE_DAYS))
    calendar = index[keep]
    model_index = pd.date_range(calendar[0], periods=len(calendar), freq=HOUR, name="hour_start")
    frame = hourly.iloc[np.flatnonzero(keep)].set_axis(model_index, axis=0)
    return RepresentativeWeeks(frame, calendar, len(calendar) / len(index))

"""Hourly area grid signal from TSO actuals, and the utilities' published emission factors.

:func:`area_signal` gives, for every hour of a fiscal year in one transmission
area, the carbon-free share of the area's generation (``cfe_share``) and its
carbon intensity (``gco2_per_kwh``); :func:`signal_from_actuals` computes the
same from any frame shaped like :func:`gxdlib.io.read_tso_actuals` output,
without reading files. :func:`emission_factors` loads the versioned table of
the former general utilities' basic and adjusted emission factors
(基礎排出係数 / 調整後排出係数) with the notice each value comes from.

Accounting rule (production-based)
----------------------------------
The signal describes electricity generated inside the area in the hour:

- generation is nuclear, thermal, hydro, geothermal, biomass, solar and wind
  as delivered; curtailed solar and wind (抑制量) are excluded, they were
  never delivered;
- carbon-free generation is all of these but thermal (biomass is renewable
  and counts as carbon-free; its life-cycle emissions still enter
  ``gco2_per_kwh``);
- pumped storage is storage, not generation: its discharge and its pumping
  are left out of numerator and denominator, because the energy it releases
  was generated (and already counted) in an earlier hour;
- interconnector flows are left out: imports were generated elsewhere, and
  exports were generated here and are counted here.

So ``cfe_share`` and ``gco2_per_kwh`` are properties of the area's own
generation, independent of trade; they are not the intensity of the area's
consumption.

Life-cycle factors [gCO2e/kWh], IPCC AR5 WG3 Annex III, Table A.III.2
(Schlömer et al. 2014, medians): coal (pulverised) 820, gas combined cycle 490,
biomass (dedicated) 230, solar PV utility-scale 48 (the higher of the two PV
medians, rooftop is 41), geothermal 38, hydropower 24, nuclear 12, wind onshore
11. AR5 gives no oil figure; oil is 650, the value Electricity Maps uses by
default, citing the UK Parliamentary Office of Science and Technology
(github.com/electricitymaps/electricitymaps-contrib wiki, "Default emission
factors").

The TSO files give thermal output as one number. It is split by
:data:`DEFAULT_THERMAL_MIX`, the generation mix of the ten general utilities
in FY2014 (Federation of Electric Power Companies, reported by the Japan Atomic
Industrial Forum, 2015-05-25: coal 31.0 %, LNG 46.2 %, oil and other 10.6 % of
generation), renormalised to thermal. It is a national mix used for every area:
no coal/LNG/oil split of an area's thermal generation (TSO, OCCTO or
電力調査統計 by area) nor of a utility's own generation could be verified for
Kyushu, Tohoku or Kansai, so the signal has no per-area mix; pass
``thermal_mix`` for one.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

import numpy as np
import pandas as pd

from gxdlib.catalog import tso_files
from gxdlib.errors import ValidationError
from gxdlib.io.tso import read_tso_actuals
from gxdlib.timeseries import HOUR, require_full_year
from gxdlib.timeseries import fiscal_year as fiscal_year_of

LIFECYCLE_GCO2_PER_KWH = MappingProxyType(
    {
        "coal": 820.0,
        "lng": 490.0,
        "oil": 650.0,
        "nuclear": 12.0,
        "hydro": 24.0,
        "geothermal": 38.0,
        "biomass": 230.0,
        "solar": 48.0,
        "wind": 11.0,
    }
)
"""Life-cycle emissions per source [gCO2e/kWh]; sources in the module docstring."""

CARBON_FREE_COLUMNS: tuple[str, ...] = (
    "nuclear_mwh",
    "hydro_mwh",
    "geothermal_mwh",
    "biomass_mwh",
    "solar_mwh",
    "wind_mwh",
)
"""Delivered generation counted as carbon-free [MWh columns of the TSO actuals]."""

GENERATION_COLUMNS: tuple[str, ...] = ("thermal_mwh", *CARBON_FREE_COLUMNS)
"""Delivered generation inside the area; storage and interconnector flows excluded."""

SIGNAL_COLUMNS: tuple[str, ...] = (
    "generation_mwh",
    "carbon_free_mwh",
    "thermal_mwh",
    "emissions_kgco2e",
    "cfe_share",
    "gco2_per_kwh",
    "pumped_storage_mwh",
    "interconnector_mwh",
)
"""Columns of :func:`signal_from_actuals` and :func:`area_signal`."""


@dataclass(frozen=True)
class ThermalMix:
    """Shares of coal, LNG and oil in an area's thermal generation.

    Attributes
    ----------
    coal, lng, oil : float
        Shares of thermal generation [-], non-negative, summing to 1.
    source : str
        Where the shares come from, with the year.
    """

    coal: float
    lng: float
    oil: float
    source: str

    def __post_init__(self) -> None:
        shares = np.array([self.coal, self.lng, self.oil])
        if not np.isfinite(shares).all() or (shares < 0).any() or abs(shares.sum() - 1) > 1e-9:
            raise ValidationError(
                f"thermal_mix: coal, lng and oil must be non-negative shares summing to 1, "
                f"got {self.coal}, {self.lng}, {self.oil}"
            )

    @property
    def gco2_per_kwh(self) -> float:
        """Life-cycle intensity of the thermal mix [gCO2e/kWh]."""
        factors = LIFECYCLE_GCO2_PER_KWH
        return self.coal * factors["coal"] + self.lng * factors["lng"] + self.oil * factors["oil"]


_FEPC_FY2014_PERCENT = {"coal": 31.0, "lng": 46.2, "oil": 10.6}
DEFAULT_THERMAL_MIX = ThermalMix(
    **{
        fuel: share / sum(_FEPC_FY2014_PERCENT.values())
        for fuel, share in _FEPC_FY2014_PERCENT.items()
    },
    source=(
        "ten general utilities' generation mix FY2014, national (FEPC via JAIF, 2015-05-25): "
        "coal 31.0 %, LNG 46.2 %, oil 10.6 % of generation, renormalised to thermal"
    ),
)
"""The thermal split used when none is given (a national mix; see the module docstring)."""


def signal_from_actuals(
    actuals: pd.DataFrame, *, thermal_mix: ThermalMix = DEFAULT_THERMAL_MIX
) -> pd.DataFrame:
    """Hourly carbon-free share and carbon intensity of an area's own generation.

    Pure: no files are read. The accounting rule (curtailment, pumped storage,
    interconnector flows) is the module's.

    Parameters
    ----------
    actuals : pandas.DataFrame
        Hourly energy [MWh] with at least the columns of
        :data:`GENERATION_COLUMNS`, ``pumped_storage_mwh`` and
        ``interconnector_mwh`` (as :func:`gxdlib.io.read_tso_actuals` returns),
        indexed by tz-aware hour starts.
    thermal_mix : ThermalMix
        Split of thermal output into coal, LNG and oil.

    Returns
    -------
    pandas.DataFrame
        Same index. ``generation_mwh`` (delivered generation in the area
        [MWh]), ``carbon_free_mwh`` [MWh], ``thermal_mwh`` [MWh],
        ``emissions_kgco2e`` (life-cycle emissions of that generation
        [kgCO2e]), ``cfe_share`` (carbon_free / generation [-]),
        ``gco2_per_kwh`` (emissions / generation [gCO2e/kWh]), and, for
        explanation only, ``pumped_storage_mwh`` and ``interconnector_mwh``
        [MWh], which enter neither ratio. ``attrs`` carries ``thermal_mix``
        (its source) and ``thermal_gco2_per_kwh``, plus the input's ``attrs``.

    Raises
    ------
    ValidationError
        If a column is missing, a value is not finite or negative (generation
        only), the index is not tz-aware, or an hour has no generation.

    Examples
    --------
    Two hours: 100 MWh thermal + 100 MWh solar, then 300 MWh nuclear + 100 MWh wind:

    >>> from gxdlib.io.tso import TSO_COLUMNS
    >>> hours = pd.date_range("2022-04-01", periods=2, freq="h", tz="Asia/Tokyo")
    >>> frame = pd.DataFrame(0.0, index=hours, columns=list(TSO_COLUMNS))
    >>> frame.loc[hours[0], ["thermal_mwh", "solar_mwh"]] = 100.0
    >>> frame.loc[hours[1], ["nuclear_mwh", "wind_mwh"]] = [300.0, 100.0]
    >>> mix = ThermalMix(coal=1.0, lng=0.0, oil=0.0, source="all coal")
    >>> signal = signal_from_actuals(frame, thermal_mix=mix)
    >>> signal["cfe_share"].tolist()
    [0.5, 1.0]
    >>> signal["gco2_per_kwh"].tolist()  # (100*820 + 100*48)/200, (300*12 + 100*11)/400
    [434.0, 11.75]
    """
    needed = [*GENERATION_COLUMNS, "pumped_storage_mwh", "interconnector_mwh"]
    missing = [c for c in needed if c not in actuals.columns]
    if missing:
        raise ValidationError(f"actuals: missing columns {missing}")
    index = actuals.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise ValidationError("actuals: the index must be a tz-aware DatetimeIndex of hour starts")
    values = actuals[needed].to_numpy(dtype=float)
    if not np.isfinite(values).all():
        row, col = np.argwhere(~np.isfinite(values))[0]
        raise ValidationError(f"actuals: {needed[col]} is not finite at {index[row]}")
    generation_by_source = values[:, : len(GENERATION_COLUMNS)]
    if (generation_by_source < 0).any():
        row, col = np.argwhere(generation_by_source < 0)[0]
        raise ValidationError(
            f"actuals: {needed[col]} = {generation_by_source[row, col]:g} MWh at {index[row]}; "
            "generation cannot be negative"
        )
    generation = generation_by_source.sum(axis=1)
    if (generation <= 0).any():
        raise ValidationError(
            f"actuals: no generation at {index[np.flatnonzero(generation <= 0)[0]]}"
        )
    thermal = generation_by_source[:, 0]
    carbon_free = generation_by_source[:, 1:].sum(axis=1)
    # gCO2e/kWh equals kgCO2e/MWh, so MWh x factor is kgCO2e.
    factors = np.array(
        [thermal_mix.gco2_per_kwh]
        + [LIFECYCLE_GCO2_PER_KWH[c.removesuffix("_mwh")] for c in CARBON_FREE_COLUMNS]
    )
    emissions_kgco2e = generation_by_source @ factors
    signal = pd.DataFrame(
        {
            "generation_mwh": generation,
            "carbon_free_mwh": carbon_free,
            "thermal_mwh": thermal,
            "emissions_kgco2e": emissions_kgco2e,
            "cfe_share": carbon_free / generation,
            "gco2_per_kwh": emissions_kgco2e / generation,
            "pumped_storage_mwh": values[:, -2],
            "interconnector_mwh": values[:, -1],
        },
        index=index,
    )
    signal.attrs.update(actuals.attrs)
    signal.attrs["thermal_mix"] = thermal_mix.source
    signal.attrs["thermal_gco2_per_kwh"] = thermal_mix.gco2_per_kwh
    return signal


def area_signal(
    area: str,
    fiscal_year: int,
    *,
    actuals: pd.DataFrame | None = None,
    partial: bool = False,
    thermal_mix: ThermalMix = DEFAULT_THERMAL_MIX,
) -> pd.DataFrame:
    """Hourly carbon-free share and carbon intensity of one area for one fiscal year.

    Parameters
    ----------
    area : str
        A transmission area with TSO files (``kyushu``, ``tohoku``, ``kansai``).
    fiscal_year : int
        Fiscal year N (1 April N to 31 March N+1).
    actuals : pandas.DataFrame, optional
        The area's hourly actuals [MWh], shaped as
        :func:`gxdlib.io.read_tso_actuals` returns them; default: read the
        fiscal year's files under ``GXD_DATA_DIR`` (found by
        :func:`gxdlib.catalog.tso_files`).
    partial : bool
        Accept a fiscal year that is not complete (FY2023's files end in
        December 2023). Otherwise an incomplete year raises
        :class:`~gxdlib.errors.IncompleteYearError` naming the months present.
    thermal_mix : ThermalMix
        Split of thermal output; default :data:`DEFAULT_THERMAL_MIX`.

    Returns
    -------
    pandas.DataFrame
        As :func:`signal_from_actuals`, one row per hour of the fiscal year
        present (index ``hour_start``, tz ``Asia/Tokyo``). ``attrs``:
        ``area``, ``fiscal_year``, ``months``, ``partial``, ``coverage`` (a
        label for titles, e.g. ``"FY2023, Apr-Dec 2023 only (9 of 12
        months)"``), ``thermal_mix`` and ``thermal_gco2_per_kwh``.

    Raises
    ------
    ValidationError
        If ``actuals`` holds hours of another fiscal year, or as
        :func:`signal_from_actuals`.
    IncompleteYearError
        If the year is incomplete and ``partial`` is false.
    MissingDataError
        If no TSO file of that area and year is under ``GXD_DATA_DIR``.
    DataFormatError
        From the reader, for a malformed file or one of another area or year.
    """
    if actuals is None:
        actuals = read_tso_actuals(
            tso_files(area, fiscal_year), area, fiscal_year=fiscal_year, partial=partial
        )
    coverage = require_full_year(
        _hours_of(actuals, fiscal_year), fiscal_year, HOUR, partial=partial, what=f"{area} actuals"
    )
    signal = signal_from_actuals(actuals, thermal_mix=thermal_mix)
    signal.attrs.update(coverage.attrs())
    signal.attrs["area"] = area
    return signal


def _hours_of(actuals: pd.DataFrame, year: int) -> pd.DatetimeIndex:
    """The index of ``actuals``, checked to lie in fiscal year ``year``."""
    index = actuals.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise ValidationError("actuals: the index must be a tz-aware DatetimeIndex of hour starts")
    wrong = np.flatnonzero(np.asarray(fiscal_year_of(index)) != year)
    if wrong.size:
        raise ValidationError(
            f"actuals: {wrong.size} hours outside FY{year}, the fiscal year asked for; "
            f"first {index[wrong[0]]}"
        )
    return index


FACTOR_BASES: tuple[str, ...] = ("company", "residual menu", "national average")
"""What a row's factors are for: the utility's whole retail supply (事業者全体),
the residual menu where only menus are published (残差メニュー, the supply
outside the zero-carbon menus; from FY2023 results the basic factor is
published per menu too), or the national average (全国平均係数)."""

VALUE_STATUSES: tuple[str, ...] = ("government", "utility")
"""Who stands behind a value: ``government`` for the MoE/METI publication
(read in the list, a news report of it, or a utility's notice citing it),
``utility`` for the utility's own figure (its report before the government's
confirmation, or its data pages)."""


def emission_factors(fiscal_year: int | None = None) -> pd.DataFrame:
    """Published emission factors of the former general utilities, with their notices.

    The packaged table holds only values read in a publication, never an
    interpolation. Its newest year per area (see ``gxdlib/data/README.md``):
    Shikoku FY2024 (residual menu), Kyushu FY2022 (company, the figure
    reported before the government's confirmation), Hokkaido FY2020, Kansai
    FY2018, Hokuriku FY2015, and FY2013 for Tohoku, Tokyo, Chubu, Chugoku and
    Okinawa, for which no newer publication was verified; the national
    average factor (全国平均係数, area ``national``) for FY2018.

    Parameters
    ----------
    fiscal_year : int, optional
        Fiscal year of results (実績年度). Default: for each area, the latest
        year in the table.

    Returns
    -------
    pandas.DataFrame
        One row per area (``national`` included when it has a value),
        columns ``area``, ``utility``, ``fiscal_year_of_results``,
        ``basic_kg_per_kwh`` (基礎排出係数; for FY2013 the then 実排出係数)
        [kg-CO2/kWh], ``adjusted_kg_per_kwh`` (調整後排出係数) [kg-CO2/kWh],
        ``adjusted_basis`` (one of :data:`FACTOR_BASES`: the supply both
        values are for), ``notice`` (the publication), ``published`` (its
        date where known), ``source_url``, ``menu`` (the utility's name for
        the menu of a ``residual menu`` row, else empty) and ``value_status``
        (one of :data:`VALUE_STATUSES`). ``attrs``: ``fiscal_year`` (as
        asked) and ``table`` (the packaged file name).

    Raises
    ------
    ValidationError
        If no area has values for ``fiscal_year``; the years present are listed.

    Examples
    --------
    >>> float(emission_factors(2013).set_index("area").loc["kyushu", "basic_kg_per_kwh"])
    0.613
    >>> latest = emission_factors().set_index("area")
    >>> int(latest.loc["kyushu", "fiscal_year_of_results"]), latest.loc["kyushu", "value_status"]
    (2022, 'utility')
    >>> float(latest.loc["national", "adjusted_kg_per_kwh"])
    0.462
    """
    table = _factor_table()
    if fiscal_year is None:
        latest = table.groupby("area")["fiscal_year_of_results"].transform("max")
        chosen = table[table["fiscal_year_of_results"] == latest]
    else:
        chosen = table[table["fiscal_year_of_results"] == fiscal_year]
        if chosen.empty:
            years = sorted(table["fiscal_year_of_results"].unique().tolist())
            raise ValidationError(
                f"fiscal_year {fiscal_year}: no published emission factors in the table; "
                f"years present: {years}"
            )
    chosen = chosen.reset_index(drop=True)
    chosen.attrs = {"fiscal_year": fiscal_year, "table": _FACTOR_TABLE}
    return chosen


_FACTOR_TABLE = "emission_factors.csv"


def _factor_table() -> pd.DataFrame:
    with (resources.files("gxdlib") / "data" / _FACTOR_TABLE).open("r", encoding="utf-8") as f:
        return pd.read_csv(f, dtype={"published": str}, keep_default_na=False)

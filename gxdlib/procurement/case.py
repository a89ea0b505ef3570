"""A site's procurement problem, ready for :func:`gxdlib.procurement.optimize`.

Turns a site's hourly inputs (:func:`gxdlib.sites.hourly_site_inputs`) and
editable cost assumptions into the demand, resources and grid of
:mod:`gxdlib.procurement`, and reads results back per year and per hour of
the day. Used by the procurement notebook and dashboard alike.

Assumptions and sources
-----------------------
- Grid tariff = area spot price + network and retail adder + renewable
  energy surcharge. The adder stands for the wheeling charge (託送料金) and a
  retail margin of a high-voltage customer on a market-linked tariff; it is
  an ILLUSTRATIVE ASSUMPTION of 6 JPY/kWh, below the low-voltage average
  wheeling charge of 9.44 JPY/kWh in the Tokyo area (Tohoku Electric,
  託送料金相当額, 2024) because high-voltage customers pay less per kWh.
  The surcharge is :data:`gxdlib.procurement.jp.RENEWABLE_SURCHARGE_FY2025_JPY_PER_KWH`.
- A physical off-site PPA is delivered over the grid through a retailer
  (enetech.co.jp, "オフサイトPPAとは", 2024), so its delivered price here is
  the PPA price plus the same adder and surcharge; on-site PV behind the
  meter pays neither. PPA prices are those of :mod:`gxdlib.procurement.jp`.
- Carbon-free share and carbon intensity of grid power: the hourly signal of
  the site's area from its TSO actuals (:func:`gxdlib.sites.site_grid_signal`,
  :mod:`gxdlib.grid`) where the fiscal year is complete, else the national
  FY2023 share and the area utility's published emission factor in every
  hour; the case's ``grid_source`` says which. They set the hourly CFE score
  and the location-based emissions.
- Battery: a commercial and industrial battery system cost 92,000 JPY/kWh
  installed in FY2023 (METI study group on stationary storage, via ITmedia
  Smart Japan 2024-12-20), annualised over 15 years at 5 %. The power
  conversion cost of 30,000 JPY/kW is an ILLUSTRATIVE ASSUMPTION, annualised
  the same way.
- Certificates: FIT non-fossil certificates at their floor,
  :data:`gxdlib.procurement.jp.FIT_NFC_FLOOR_JPY_PER_KWH`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gxdlib.errors import ValidationError
from gxdlib.procurement import (
    Certificate,
    Generator,
    Grid,
    PortfolioResult,
    Scenarios,
    Storage,
    Target,
    jp,
    optimize,
)
from gxdlib.sites import SitePreset

NETWORK_RETAIL_ADDER_JPY_PER_KWH = 6.0
"""Wheeling charge and retail margin per kWh from the grid [JPY/kWh]: ILLUSTRATIVE."""

BATTERY_SYSTEM_COST_JPY_PER_KWH = 92_000.0
"""Installed cost of a commercial and industrial battery system, FY2023 [JPY/kWh]."""

BATTERY_PCS_COST_JPY_PER_KW = 30_000.0
"""Power conversion cost of a battery [JPY/kW]: ILLUSTRATIVE ASSUMPTION."""

BATTERY_LIFETIME_YEARS = 15
DISCOUNT_RATE = 0.05


def annuity_factor(rate: float, years: int) -> float:
    """Capital recovery factor: the annual payment per JPY of investment [1/year].

    Examples
    --------
    >>> round(annuity_factor(0.05, 15), 5)
    0.09634
    """
    return rate / (1.0 - (1.0 + rate) ** -years)


_CRF = annuity_factor(DISCOUNT_RATE, BATTERY_LIFETIME_YEARS)


@dataclass(frozen=True)
class CostAssumptions:
    """Editable prices and costs of a procurement case.

    Parameters
    ----------
    onsite_pv_ppa_jpy_per_kwh : float
        On-site PV PPA price [JPY/kWh].
    solar_ppa_jpy_per_kwh, wind_ppa_jpy_per_kwh : float
        Off-site solar and onshore wind PPA prices at the plant [JPY/kWh].
    battery_energy_jpy_per_kwh_year : float
        Annualised battery energy capacity cost [JPY/kWh/year].
    battery_power_jpy_per_kw_year : float
        Annualised battery power capacity cost [JPY/kW/year].
    certificate_jpy_per_kwh : float
        Unbundled certificate price [JPY/kWh].
    network_adder_jpy_per_kwh : float
        Wheeling charge and retail margin on grid-delivered energy [JPY/kWh].
    surcharge_jpy_per_kwh : float
        Renewable energy surcharge on grid-delivered energy [JPY/kWh].
    """

    onsite_pv_ppa_jpy_per_kwh: float = jp.ON_SITE_PV_PPA_JPY_PER_KWH
    solar_ppa_jpy_per_kwh: float = jp.OFF_SITE_PPA_JPY_PER_KWH["solar"]
    wind_ppa_jpy_per_kwh: float = jp.OFF_SITE_PPA_JPY_PER_KWH["onshore_wind"]
    battery_energy_jpy_per_kwh_year: float = BATTERY_SYSTEM_COST_JPY_PER_KWH * _CRF
    battery_power_jpy_per_kw_year: float = BATTERY_PCS_COST_JPY_PER_KW * _CRF
    certificate_jpy_per_kwh: float = jp.FIT_NFC_FLOOR_JPY_PER_KWH
    network_adder_jpy_per_kwh: float = NETWORK_RETAIL_ADDER_JPY_PER_KWH
    surcharge_jpy_per_kwh: float = jp.RENEWABLE_SURCHARGE_FY2025_JPY_PER_KWH

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not (np.isfinite(value) and value >= 0):
                raise ValidationError(f"CostAssumptions: {name} must be >= 0, got {value}")

    @property
    def delivery_jpy_per_kwh(self) -> float:
        """What every kWh delivered over the grid pays on top of its energy price [JPY/kWh]."""
        return self.network_adder_jpy_per_kwh + self.surcharge_jpy_per_kwh


RESOURCE_NAMES = ("onsite_pv", "solar_ppa", "wind_ppa", "battery", "certificates")
"""Names of the resources of a case, in order."""


@dataclass(frozen=True)
class ProcurementCase:
    """Inputs of :func:`gxdlib.procurement.optimize` for one site.

    Attributes
    ----------
    demand_kwh : pandas.Series
        Demand per hour [kWh] on the model's index.
    resources : tuple
        On-site PV, off-site solar and wind PPAs, a battery (unless left
        out) and certificates.
    grid : Grid
        Tariff, carbon-free share and emission factor of the area.
    year_fraction : float
        Share of the year the model's hours stand for, passed to
        :func:`gxdlib.procurement.optimize`, which scales annual costs and
        volumes by it.
    calendar : pandas.DatetimeIndex
        The real hour of each model step.
    grid_source : str
        Where the grid's carbon-free share and intensity come from.
    """

    demand_kwh: pd.Series
    resources: tuple
    grid: Grid
    year_fraction: float
    calendar: pd.DatetimeIndex = field(repr=False)
    grid_source: str = ""


def build_case(
    inputs: pd.DataFrame,
    preset: SitePreset,
    costs: CostAssumptions,
    *,
    with_storage: bool = True,
    year_fraction: float = 1.0,
    calendar: pd.DatetimeIndex | None = None,
) -> ProcurementCase:
    """The procurement problem of a site.

    Parameters
    ----------
    inputs : pandas.DataFrame
        Hourly ``demand_kwh``, ``pv_kwh_per_kw``, ``wind_kwh_per_kw``,
        ``spot_jpy_per_kwh``, ``grid_cfe_share``, ``grid_kgco2e_per_kwh``
        (:func:`gxdlib.sites.hourly_site_inputs`, or the frame of
        :func:`gxdlib.sites.representative_weeks`); ``attrs["grid_source"]``
        is passed on.
    preset : SitePreset
        The site: its rooftop PV limit.
    costs : CostAssumptions
        Prices and costs.
    with_storage : bool
        Whether a battery may be built.
    year_fraction : float
        Share of the year ``inputs`` stand for (1 for a whole year); solve
        with :func:`optimize_case`, which hands it to the model.
    calendar : pandas.DatetimeIndex, optional
        Real hours of the rows of ``inputs`` (default: their index).

    Returns
    -------
    ProcurementCase
    """
    if not 0 < year_fraction <= 1:
        raise ValidationError(f"year_fraction must be in (0, 1], got {year_fraction}")
    delivery = costs.delivery_jpy_per_kwh
    resources: list = [
        Generator(
            "onsite_pv",
            inputs["pv_kwh_per_kw"],
            ppa_price_jpy_per_kwh=costs.onsite_pv_ppa_jpy_per_kwh,
            max_kw=preset.rooftop_pv_max_kw,
        ),
        Generator(
            "solar_ppa",
            inputs["pv_kwh_per_kw"],
            ppa_price_jpy_per_kwh=costs.solar_ppa_jpy_per_kwh + delivery,
        ),
        Generator(
            "wind_ppa",
            inputs["wind_kwh_per_kw"],
            ppa_price_jpy_per_kwh=costs.wind_ppa_jpy_per_kwh + delivery,
        ),
    ]
    if with_storage:
        resources.append(
            Storage(
                "battery",
                energy_cost_jpy_per_kwh_year=costs.battery_energy_jpy_per_kwh_year,
                power_cost_jpy_per_kw_year=costs.battery_power_jpy_per_kw_year,
            )
        )
    resources.append(Certificate("certificates", costs.certificate_jpy_per_kwh))
    grid = Grid(
        price_jpy_per_kwh=inputs["spot_jpy_per_kwh"] + delivery,
        cfe_share=inputs["grid_cfe_share"],
        emission_factor_kg_per_kwh=inputs["grid_kgco2e_per_kwh"],
        export_price_jpy_per_kwh=inputs["spot_jpy_per_kwh"],
    )
    return ProcurementCase(
        demand_kwh=inputs["demand_kwh"].rename("demand_kwh"),
        resources=tuple(resources),
        grid=grid,
        year_fraction=year_fraction,
        calendar=inputs.index if calendar is None else calendar,
        grid_source=str(inputs.attrs.get("grid_source", "")),
    )


def case_scenarios(variants: dict[str, pd.DataFrame], costs: CostAssumptions) -> Scenarios:
    """Equally likely scenarios of grid prices and PV and wind profiles.

    Parameters
    ----------
    variants : dict of str to pandas.DataFrame
        Per scenario name, inputs shaped like the case's (same index), for
        example other weather seeds or other years' prices laid on the same
        hours.
    costs : CostAssumptions
        For the grid tariff's adders.

    Returns
    -------
    gxdlib.procurement.Scenarios
    """
    names = list(variants)
    if not names:
        raise ValidationError("case_scenarios: no scenarios given")

    def columns(column: str, offset: float = 0.0) -> pd.DataFrame:
        return pd.DataFrame({name: variants[name][column] + offset for name in names})

    return Scenarios(
        probability=pd.Series(1.0 / len(names), index=pd.Index(names, name="scenario")),
        grid_price_jpy_per_kwh=columns("spot_jpy_per_kwh", costs.delivery_jpy_per_kwh),
        export_price_jpy_per_kwh=columns("spot_jpy_per_kwh"),
        profiles={
            "onsite_pv": columns("pv_kwh_per_kw"),
            "solar_ppa": columns("pv_kwh_per_kw"),
            "wind_ppa": columns("wind_kwh_per_kw"),
        },
    )


def optimize_case(case: ProcurementCase, target: Target, **options: object) -> PortfolioResult:
    """:func:`gxdlib.procurement.optimize` on a case, with its year fraction.

    Parameters
    ----------
    case : ProcurementCase
        From :func:`build_case`.
    target : Target
        The procurement target.
    **options
        Further keywords of :func:`gxdlib.procurement.optimize` (``solver``,
        ``scenarios``, ``risk``, ``solver_options``).

    Returns
    -------
    PortfolioResult
        Totals per year.
    """
    return optimize(
        case.demand_kwh,
        case.resources,
        case.grid,
        target,
        year_fraction=case.year_fraction,
        **options,
    )


def _require_same_year_fraction(result: PortfolioResult, case: ProcurementCase) -> None:
    if not np.isclose(result.year_fraction, case.year_fraction):
        raise ValidationError(
            f"the result was solved for year_fraction {result.year_fraction:.6g}, "
            f"the case stands for {case.year_fraction:.6g}: solve it with optimize_case"
        )


def annual_costs_jpy(result: PortfolioResult, case: ProcurementCase) -> pd.Series:
    """The result's cost by component [JPY/year] (results are already per year)."""
    _require_same_year_fraction(result, case)
    return result.cost_breakdown_jpy


def portfolio_summary(result: PortfolioResult, case: ProcurementCase) -> pd.Series:
    """Headline figures of a portfolio: costs per year and per kWh, scores, capacities.

    Returns
    -------
    pandas.Series
        ``annual_cost_jpy`` [JPY/year], ``cost_jpy_per_kwh`` [JPY/kWh],
        ``cfe_score`` and ``re_share`` (delivered) [-], ``re_surplus_kwh``
        [kWh/year], ``certificates_kwh`` [kWh/year], ``curtailed_share``
        (curtailment over generation) [-], and the capacities of
        :attr:`PortfolioResult.capacities` [kW or kWh].
    """
    _require_same_year_fraction(result, case)
    dispatch = result.dispatch
    generation = sum(dispatch[f"{r.name}_kwh"] for r in case.resources if isinstance(r, Generator))
    total_generation = float(np.sum(generation))
    curtailed = float(dispatch["curtailment_kwh"].clip(lower=0).sum())
    figures = {
        "annual_cost_jpy": result.cost_jpy,
        "cost_jpy_per_kwh": result.cost_jpy_per_kwh,
        "cfe_score": result.cfe_score,
        "re_share": result.re_share,
        "re_surplus_kwh": result.re_surplus_kwh,
        "certificates_kwh": float(result.certificates_kwh.sum()),
        "curtailed_share": curtailed / total_generation if total_generation > 0 else 0.0,
    }
    return pd.concat([pd.Series(figures), result.capacities]).rename("value")


def cfe_by_month_hour(result: PortfolioResult, case: ProcurementCase) -> pd.DataFrame:
    """Carbon-free share of demand by calendar month and hour of the day [-].

    In each cell, 1 - (non-carbon-free imports) / demand over the cell's
    hours: the hourly CFE score of Google's 24/7 methodology, aggregated.

    Returns
    -------
    pandas.DataFrame
        Index ``month`` (1-12, in fiscal-year order as they occur), columns
        ``hour`` 0-23.
    """
    dispatch = result.dispatch
    frame = pd.DataFrame(
        {
            "demand_kwh": dispatch["demand_kwh"].to_numpy(),
            "non_cfe_kwh": dispatch["non_cfe_import_kwh"].to_numpy(),
            "month": case.calendar.month,
            "hour": case.calendar.hour,
        }
    )
    sums = frame.groupby(["month", "hour"], sort=False)[["demand_kwh", "non_cfe_kwh"]].sum()
    score = (1.0 - sums["non_cfe_kwh"] / sums["demand_kwh"]).unstack("hour")
    return score.reindex(pd.unique(frame["month"])).rename_axis(index="month", columns="hour")

"""Resources, grid, targets and scenarios of a procurement portfolio.

Plain frozen dataclasses with units in their field names; they only check
their own values. Everything that needs the demand's time index (profile
lengths, step length) is checked when a model is built.

Energy per step is in kWh; a generator's ``profile`` is its output in kWh
per kW of capacity in each step (at most the step length in hours).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from gxdlib.errors import ValidationError

Numeric = float | pd.Series | np.ndarray


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _require_nonnegative(value: float | None, what: str) -> None:
    if value is not None:
        _require(
            math.isfinite(value) and value >= 0,
            f"{what}: expected a finite value >= 0, got {value}",
        )


@dataclass(frozen=True)
class Generator:
    """A generator bought as an owned asset or under a pay-as-produced PPA.

    Parameters
    ----------
    name : str
        Unique resource name.
    profile : pandas.Series or numpy.ndarray
        Output per kW of capacity in each step [kWh/kW per step], aligned with
        the demand index.
    annual_cost_jpy_per_kw : float
        Annualised cost of owned capacity [JPY/kW/year].
    ppa_price_jpy_per_kwh : float
        PPA price paid for all output, curtailed or not [JPY/kWh].
    min_kw, max_kw : float
        Bounds on the capacity decision [kW]; ``max_kw=None`` is unbounded.
    carbon_free : bool
        Whether the output counts towards annual and hourly matching.
    """

    name: str
    profile: pd.Series | np.ndarray
    annual_cost_jpy_per_kw: float = 0.0
    ppa_price_jpy_per_kwh: float = 0.0
    min_kw: float = 0.0
    max_kw: float | None = None
    carbon_free: bool = True

    def __post_init__(self) -> None:
        where = f"Generator {self.name!r}"
        _require_nonnegative(self.annual_cost_jpy_per_kw, f"{where}: annual_cost_jpy_per_kw")
        _require_nonnegative(self.ppa_price_jpy_per_kwh, f"{where}: ppa_price_jpy_per_kwh")
        _require_nonnegative(self.min_kw, f"{where}: min_kw")
        _require_nonnegative(self.max_kw, f"{where}: max_kw")
        if self.max_kw is not None:
            _require(
                self.min_kw <= self.max_kw,
                f"{where}: min_kw {self.min_kw} exceeds max_kw {self.max_kw}",
            )


@dataclass(frozen=True)
class Storage:
    """A battery (or any store) whose energy and power capacities are decisions.

    Parameters
    ----------
    name : str
        Unique resource name.
    energy_cost_jpy_per_kwh_year : float
        Annualised cost of energy capacity [JPY/kWh/year].
    power_cost_jpy_per_kw_year : float
        Annualised cost of power capacity, shared by charging and
        discharging [JPY/kW/year].
    charge_efficiency, discharge_efficiency : float
        Efficiencies in (0, 1]; the round trip is their product.
    max_kwh : float, optional
        Upper bound on the energy capacity [kWh].
    """

    name: str
    energy_cost_jpy_per_kwh_year: float
    power_cost_jpy_per_kw_year: float
    charge_efficiency: float = 0.95
    discharge_efficiency: float = 0.95
    max_kwh: float | None = None

    def __post_init__(self) -> None:
        where = f"Storage {self.name!r}"
        _require_nonnegative(
            self.energy_cost_jpy_per_kwh_year, f"{where}: energy_cost_jpy_per_kwh_year"
        )
        _require_nonnegative(
            self.power_cost_jpy_per_kw_year, f"{where}: power_cost_jpy_per_kw_year"
        )
        _require_nonnegative(self.max_kwh, f"{where}: max_kwh")
        for what in ("charge_efficiency", "discharge_efficiency"):
            value = getattr(self, what)
            _require(0 < value <= 1, f"{where}: {what} must be in (0, 1], got {value}")


@dataclass(frozen=True)
class Certificate:
    """Unbundled renewable attributes (non-fossil certificates, J-credits, menus).

    They count towards annual matching only, never towards hourly carbon-free
    matching.

    Parameters
    ----------
    name : str
        Unique resource name.
    price_jpy_per_kwh : float
        Price per kWh of attributes [JPY/kWh].
    max_kwh : float, optional
        Volume available [kWh/year]; ``None`` is unlimited.
    """

    name: str
    price_jpy_per_kwh: float
    max_kwh: float | None = None

    def __post_init__(self) -> None:
        where = f"Certificate {self.name!r}"
        _require_nonnegative(self.price_jpy_per_kwh, f"{where}: price_jpy_per_kwh")
        _require_nonnegative(self.max_kwh, f"{where}: max_kwh")


@dataclass(frozen=True)
class Grid:
    """The grid connection: imports, exports and the grid's carbon-free share.

    Parameters
    ----------
    price_jpy_per_kwh : float or pandas.Series
        Import price in each step [JPY/kWh].
    cfe_share : float or pandas.Series
        Carbon-free share of grid power in each step, in [0, 1].
    emission_factor_kg_per_kwh : float or pandas.Series
        Location-based emission factor of grid power [kgCO2e/kWh].
    export_price_jpy_per_kwh : float or pandas.Series
        Price received for exports [JPY/kWh].
    max_export_share : float
        Exports over the horizon at most this share of total demand.
    """

    price_jpy_per_kwh: Numeric
    cfe_share: Numeric = 0.0
    emission_factor_kg_per_kwh: Numeric = 0.0
    export_price_jpy_per_kwh: Numeric = 0.0
    max_export_share: float = 0.2

    def __post_init__(self) -> None:
        _require(
            math.isfinite(self.max_export_share) and self.max_export_share >= 0,
            f"Grid: max_export_share must be >= 0, got {self.max_export_share}",
        )


TargetKind = Literal["none", "annual_re", "hourly_cfe"]


@dataclass(frozen=True)
class Target:
    """A procurement target; build one with the class methods.

    Examples
    --------
    >>> Target.hourly_cfe(0.9)
    Target(kind='hourly_cfe', share=0.9)
    """

    kind: TargetKind
    share: float = 0.0

    def __post_init__(self) -> None:
        _require(
            self.kind in ("none", "annual_re", "hourly_cfe"),
            f"Target: unknown kind {self.kind!r}",
        )
        _require(
            math.isfinite(self.share) and 0 <= self.share <= 1,
            f"Target: share must be in [0, 1], got {self.share}",
        )

    @classmethod
    def annual_re(cls, share: float) -> Target:
        """Carbon-free output plus certificates >= ``share`` of annual demand."""
        return cls("annual_re", float(share))

    @classmethod
    def hourly_cfe(cls, share: float) -> Target:
        """24/7 matching: non-carbon-free imports <= (1 - ``share``) of demand."""
        return cls("hourly_cfe", float(share))

    @classmethod
    def none(cls) -> Target:
        """No target: least cost only."""
        return cls("none", 0.0)


@dataclass(frozen=True)
class CVaR:
    """Conditional value at risk of the annual cost, added to the objective.

    Parameters
    ----------
    alpha : float
        Confidence level in (0, 1): the CVaR is the mean cost of the worst
        ``1 - alpha`` of probability.
    weight : float
        Weight lambda >= 0 of the CVaR in the objective E[cost] + lambda CVaR.
    """

    alpha: float = 0.95
    weight: float = 1.0

    def __post_init__(self) -> None:
        _require(0 < self.alpha < 1, f"CVaR: alpha must be in (0, 1), got {self.alpha}")
        _require_nonnegative(self.weight, "CVaR: weight")


@dataclass(frozen=True)
class Scenarios:
    """Equally indexed price and generation scenarios with probabilities.

    Capacities and certificate volumes are decided once for all scenarios;
    dispatch is decided per scenario. Anything not given varies not at all
    and is taken from the :class:`Grid` or the :class:`Generator`.

    Parameters
    ----------
    probability : pandas.Series
        Probability of each scenario, indexed by scenario name; sums to 1.
    grid_price_jpy_per_kwh : pandas.DataFrame, optional
        Import price [JPY/kWh], indexed like the demand, one column per scenario.
    export_price_jpy_per_kwh : pandas.DataFrame, optional
        Export price [JPY/kWh], same layout.
    profiles : mapping of str to pandas.DataFrame
        Per generator name, its profile [kWh/kW per step] in each scenario,
        same layout.
    """

    probability: pd.Series
    grid_price_jpy_per_kwh: pd.DataFrame | None = None
    export_price_jpy_per_kwh: pd.DataFrame | None = None
    profiles: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        p = np.asarray(self.probability, dtype=float)
        _require(p.size >= 1, "Scenarios: probability is empty")
        _require(
            bool(np.all(np.isfinite(p)) and np.all(p >= 0)),
            "Scenarios: probabilities must be finite and >= 0",
        )
        _require(
            abs(p.sum() - 1) <= 1e-9, f"Scenarios: probabilities must sum to 1, sum is {p.sum()}"
        )
        _require(self.probability.index.is_unique, "Scenarios: scenario names must be unique")
        names = list(self.probability.index)
        frames = {
            "grid_price_jpy_per_kwh": self.grid_price_jpy_per_kwh,
            "export_price_jpy_per_kwh": self.export_price_jpy_per_kwh,
        }
        frames.update({f"profiles[{k!r}]": v for k, v in self.profiles.items()})
        for what, frame in frames.items():
            if frame is not None:
                _require(
                    list(frame.columns) == names,
                    f"Scenarios: {what} columns {list(frame.columns)} must be the "
                    f"scenario names {names}, in that order",
                )

    @property
    def names(self) -> list[str]:
        """Scenario names, in order."""
        return list(self.probability.index)

"""Settlement risk of a virtual PPA over many price x generation scenarios.

:func:`simulate` settles every scenario with the slot formula of
:func:`gxdlib.vppa.settlement.unit_settlement`, vectorised over a chunk of
scenarios x slots and reduced to contract-year sums at once, so memory is
bounded by the chunk size whatever the number of scenarios. The same chunk
function maps over a ``dask.distributed`` client.

Sign convention throughout: a settlement is **positive when the buyer
receives money** from the generator. Risk measures are stated for the buyer,
whose adverse outcomes are the low settlements (the alpha-tail with alpha
small, e.g. 0.05); for the generator's view, negate the settlements.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from gxdlib.errors import ValidationError
from gxdlib.vppa.contract import VPPAContract
from gxdlib.vppa.settlement import (
    SettlementPlan,
    check_capacity,
    plan_settlement,
    settle,
    unit_settlement,
)

if TYPE_CHECKING:
    from distributed import Client

    from gxdlib.scenarios import ScenarioSource

CHUNK_ELEMENTS = 4_000_000
"""Default scenario-slots per chunk (32 MB per float64 array)."""

Progress = Callable[[int, int], None]
"""Called as ``progress(scenarios_done, n_scenarios)`` after each chunk."""


def simulate_chunk(
    scenarios: ScenarioSource, plan: SettlementPlan, price_index: str, start: int, stop: int
) -> tuple[np.ndarray, np.ndarray]:
    """Contract-year settlement and volume sums of scenarios ``start:stop``.

    Returns
    -------
    settlement_jpy, volume_kwh : numpy.ndarray
        Shape (stop - start, contract years) [JPY] and [kWh].
    """
    positions, year_starts = plan.positions, plan.year_starts
    prices = scenarios.prices(price_index, start, stop)[:, positions]
    if plan.fixed_volume_kwh is None:
        generation = scenarios.generation_kwh(start, stop)[:, positions]
        volume = np.add.reduceat(generation, year_starts, axis=1)
    else:
        generation = plan.fixed_volume_kwh
        volume = np.broadcast_to(
            np.add.reduceat(generation, year_starts), (stop - start, len(year_starts))
        )
    # The chunk's prices are a fresh copy: settle in place.
    settlement = unit_settlement(prices, plan.weights(generation), plan, out=prices)
    return (
        np.add.reduceat(settlement, year_starts, axis=1) * plan.scale,
        volume * plan.scale,
    )


def _chunks(n_scenarios: int, chunk_size: int) -> list[tuple[int, int]]:
    starts = range(0, n_scenarios, chunk_size)
    return [(s, min(s + chunk_size, n_scenarios)) for s in starts]


def _progress_callback(progress: bool | Progress | None, total: int) -> tuple[Progress, Callable]:
    """A (callback, close) pair: tqdm for True, the given callable, or nothing."""
    if progress is True:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, unit="scenario", desc="settling")
        return (lambda done, _total: bar.update(done - bar.n)), bar.close
    if callable(progress):
        return progress, lambda: None
    return (lambda done, _total: None), lambda: None


def simulate(
    contract: VPPAContract,
    scenarios: ScenarioSource,
    chunk_size: int | None = None,
    client: Client | None = None,
    progress: bool | Progress | None = None,
) -> RiskResult:
    """Settle ``contract`` on every scenario; sums per scenario and contract year.

    Parameters
    ----------
    contract : VPPAContract
        The contract; its period is laid over ``scenarios.index``.
    scenarios : ScenarioSource
        Price x generation scenarios (:func:`gxdlib.scenarios.bootstrap`).
    chunk_size : int, optional
        Scenarios per chunk; by default about 4e6 scenario-slots, so memory
        stays near 200 MB whatever the number of scenarios.
    client : distributed.Client, optional
        Map the chunks over this dask cluster instead of running locally.
    progress : bool or callable, optional
        True shows a tqdm bar; a callable gets ``(scenarios_done, total)``.

    Returns
    -------
    RiskResult
        Settlement [JPY] and volume [kWh] per scenario and contract year.

    Raises
    ------
    ValidationError
        ``scenarios`` that are not a scenario set, a contract period outside
        the horizon, a contract ``capacity_kw`` that the history generation
        the scenarios are drawn from exceeds (capacity x 0.5 h in a slot), a
        bad ``chunk_size``, or settlements that overflow to infinity.
    """
    _check_scenarios(scenarios)
    plan = plan_settlement(contract, scenarios.index)
    # Scenario generation is copied from this history: checking it once checks every scenario.
    check_capacity(contract, scenarios.history_generation_kwh, scenarios.history_index)
    price_index = scenarios.price_column(contract.price_index)
    n = scenarios.n_scenarios
    if chunk_size is None:
        chunk_size = max(1, CHUNK_ELEMENTS // scenarios.n_slots)
    if not isinstance(chunk_size, int | np.integer) or chunk_size < 1:
        raise ValidationError(f"chunk_size must be an int >= 1, got {chunk_size!r}")
    chunks = _chunks(n, int(chunk_size))
    report, close = _progress_callback(progress, n)
    # An overflow is refused below, with its cause: no RuntimeWarning before it.
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            if client is None:
                parts = []
                for start, stop in chunks:
                    parts.append(simulate_chunk(scenarios, plan, price_index, start, stop))
                    report(stop, n)
            else:
                parts = _map_on_cluster(client, scenarios, plan, price_index, chunks, report)
    finally:
        close()
    settlement = np.concatenate([p[0] for p in parts])
    volume = np.concatenate([p[1] for p in parts])
    overflow = ~np.isfinite(settlement)
    if overflow.any():
        scenario, year = np.argwhere(overflow)[0]
        raise ValidationError(
            f"the settlement overflows in {int(overflow.sum())} scenario-years, first in "
            f"scenario {scenario}, contract year {plan.contract_year[plan.year_starts][year]}: "
            f"strike (up to {plan.strike_jpy_per_kwh.max():.6g} JPY/kWh), prices and volumes "
            "are too large to multiply in floating point"
        )
    years = pd.Index(plan.contract_year[plan.year_starts], name="contract_year")
    scenario = pd.RangeIndex(n, name="scenario")
    return RiskResult(
        contract=contract,
        annual=pd.DataFrame(settlement, index=scenario, columns=years),
        annual_volume_kwh=pd.DataFrame(volume, index=scenario, columns=years),
        year_start=pd.Series(plan.index[plan.year_starts], index=years, name="year_start"),
    )


_SCENARIO_ATTRIBUTES = ("index", "n_scenarios", "n_slots", "prices", "generation_kwh")


def _check_scenarios(scenarios: object) -> None:
    missing = [a for a in _SCENARIO_ATTRIBUTES if not hasattr(scenarios, a)]
    if missing:
        raise ValidationError(
            "scenarios must be a scenario set from gxdlib.scenarios.bootstrap or parametric, "
            f"got {type(scenarios).__name__} (no {', '.join(missing)})"
        )


def _map_on_cluster(
    client: Client,
    scenarios: ScenarioSource,
    plan: SettlementPlan,
    price_index: str,
    chunks: list[tuple[int, int]],
    report: Progress,
) -> list[tuple[np.ndarray, np.ndarray]]:
    from distributed import as_completed

    scenarios_future, plan_future = client.scatter([scenarios, plan], broadcast=True)
    futures = client.map(
        simulate_chunk,
        [scenarios_future] * len(chunks),
        [plan_future] * len(chunks),
        [price_index] * len(chunks),
        [start for start, _ in chunks],
        [stop for _, stop in chunks],
    )
    done = 0
    for future in as_completed(futures):
        start, stop = chunks[futures.index(future)]
        done += stop - start
        report(done, chunks[-1][1])
    return client.gather(futures)


Horizon = Literal["annual", "total"]


@dataclass(frozen=True)
class RiskResult:
    """Settlement distribution of a contract over scenarios.

    Attributes
    ----------
    contract : VPPAContract
        The contract simulated.
    annual : pandas.DataFrame
        Settlement [JPY] per scenario (index ``scenario``) and contract year
        (columns ``contract_year``, from 1); positive: the buyer receives.
    annual_volume_kwh : pandas.DataFrame
        Contracted volume [kWh], same shape.
    year_start : pandas.Series
        First settled slot of each contract year.

    Notes
    -----
    With ``X`` the settlement and ``alpha`` a small tail probability:
    ``cfar(alpha) = E[X] - Q_alpha(X)``, ``value_at_risk(alpha) = -Q_alpha(X)``
    (the buyer's loss exceeded with probability alpha; negative when even
    that tail is a receipt) and ``expected_shortfall(alpha) =
    -E[X | X <= Q_alpha(X)]``. Quantiles are numpy's default (linear).
    """

    contract: VPPAContract
    annual: pd.DataFrame
    annual_volume_kwh: pd.DataFrame
    year_start: pd.Series

    @property
    def total_jpy(self) -> pd.Series:
        """Settlement over the whole horizon per scenario [JPY]."""
        return self.annual.sum(axis=1).rename("settlement_jpy")

    def tidy(self) -> pd.DataFrame:
        """Long form for plotting: ``scenario, contract_year, settlement_jpy, volume_kwh``."""
        axes = {"index": "scenario", "columns": "contract_year"}
        return pd.DataFrame(
            {
                "settlement_jpy": self.annual.rename_axis(**axes).stack(),
                "volume_kwh": self.annual_volume_kwh.rename_axis(**axes).stack(),
            }
        ).reset_index()

    def _values(self, horizon: Horizon) -> np.ndarray:
        if horizon == "annual":
            return self.annual.to_numpy()
        if horizon == "total":
            return self.total_jpy.to_numpy()[:, None]
        raise ValidationError(f"horizon must be 'annual' or 'total', got {horizon!r}")

    def _shape(self, values: np.ndarray, horizon: Horizon, name: str) -> pd.Series | float:
        if horizon == "total":
            return float(values[0])
        return pd.Series(values, index=self.annual.columns, name=name)

    @staticmethod
    def _check_alpha(alpha: float) -> None:
        if not 0 < alpha < 1:
            raise ValidationError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")

    def percentiles(
        self, qs: Sequence[float] = (0.05, 0.5, 0.95), horizon: Horizon = "annual"
    ) -> pd.DataFrame | pd.Series:
        """Quantiles of the settlement [JPY].

        Parameters
        ----------
        qs : sequence of float
            Probabilities in [0, 1].
        horizon : {"annual", "total"}
            Per contract year (a frame, quantiles x years) or over the whole
            horizon (a series indexed by quantile).
        """
        qs = np.asarray(qs, dtype=float)
        if np.any((qs < 0) | (qs > 1)):
            raise ValidationError(f"quantiles must lie in [0, 1], got {qs.tolist()}")
        values = np.quantile(self._values(horizon), qs, axis=0)
        index = pd.Index(qs, name="quantile")
        if horizon == "total":
            return pd.Series(values[:, 0], index=index, name="settlement_jpy")
        return pd.DataFrame(values, index=index, columns=self.annual.columns)

    def cfar(self, alpha: float = 0.05, horizon: Horizon = "annual") -> pd.Series | float:
        """Cash flow at risk: expected settlement minus its alpha-quantile [JPY], >= 0."""
        self._check_alpha(alpha)
        values = self._values(horizon)
        return self._shape(
            values.mean(axis=0) - np.quantile(values, alpha, axis=0), horizon, "cfar_jpy"
        )

    def value_at_risk(self, alpha: float = 0.05, horizon: Horizon = "annual") -> pd.Series | float:
        """The buyer's loss at tail probability alpha, ``-Q_alpha(settlement)`` [JPY]."""
        self._check_alpha(alpha)
        values = self._values(horizon)
        return self._shape(-np.quantile(values, alpha, axis=0), horizon, "value_at_risk_jpy")

    def expected_shortfall(
        self, alpha: float = 0.05, horizon: Horizon = "annual"
    ) -> pd.Series | float:
        """Mean loss in the alpha-tail, ``-E[X | X <= Q_alpha(X)]`` [JPY]."""
        self._check_alpha(alpha)
        values = self._values(horizon)
        tail = values <= np.quantile(values, alpha, axis=0)
        shortfall = -(values * tail).sum(axis=0) / tail.sum(axis=0)
        return self._shape(shortfall, horizon, "expected_shortfall_jpy")


def _totals(
    contract: VPPAContract, data: ScenarioSource | tuple[pd.Series, pd.DataFrame | pd.Series], **kw
) -> np.ndarray:
    """Total settlement per scenario [JPY] (one value for a history tuple)."""
    if isinstance(data, tuple):
        generation_kwh, prices = data
        return np.array([settle(contract, generation_kwh, prices).total_jpy])
    return simulate(contract, data, **kw).total_jpy.to_numpy()


def breakeven_strike(
    contract: VPPAContract,
    data: ScenarioSource | tuple[pd.Series, pd.DataFrame | pd.Series],
    quantile: float = 0.5,
    **simulate_kwargs,
) -> float:
    """The first-year strike at which the ``quantile`` of total settlement is zero.

    The settlement is linear and non-increasing in the strike: with
    escalation the strike of every slot scales with the first-year strike.
    So each scenario's total is ``A_s - K * B_s``, obtained from two
    settlements (strikes 0 and 1, floors, caps and excluded slots honoured),
    and :func:`scipy.optimize.brentq` finds the root of its quantile.

    Parameters
    ----------
    contract : VPPAContract
        The contract; its own strike is ignored.
    data : ScenarioSource or tuple
        A scenario set, or one history ``(generation_kwh, prices)`` as for
        :func:`gxdlib.vppa.settle` (then ``quantile`` is moot).
    quantile : float
        Probability in [0, 1]: 0.5 gives the median break-even strike; a
        buyer wanting to receive money in 95 % of scenarios asks for the
        strike of ``quantile=0.05``.
    **simulate_kwargs
        Passed to :func:`simulate` (``chunk_size``, ``client``, ``progress``).

    Returns
    -------
    float
        The break-even first-year strike [JPY/kWh].

    Raises
    ------
    ValidationError
        ``quantile`` not a number in [0, 1], ``data`` neither scenarios nor
        a ``(generation_kwh, prices)`` pair, no scenario with contracted
        volume, or the reasons of :func:`simulate` and :func:`settle`.
    """
    if not isinstance(quantile, int | float | np.number) or not 0 <= quantile <= 1:
        raise ValidationError(f"quantile must be a number in [0, 1], got {quantile!r}")
    if isinstance(data, tuple) and len(data) != 2:
        raise ValidationError(
            f"data as a tuple must be (generation_kwh, prices), got {len(data)} items"
        )
    if not isinstance(contract, VPPAContract):
        raise ValidationError(f"contract must be a VPPAContract, got {type(contract).__name__}")
    at_zero = _totals(
        dataclasses.replace(contract, strike_jpy_per_kwh=0.0), data, **simulate_kwargs
    )
    at_one = _totals(dataclasses.replace(contract, strike_jpy_per_kwh=1.0), data, **simulate_kwargs)
    slope = at_zero - at_one
    with_volume = slope > 0
    if not with_volume.any():
        raise ValidationError("no contracted volume in any scenario: no break-even strike")
    roots = at_zero[with_volume] / slope[with_volume]

    def quantile_at(strike: float) -> float:
        return float(np.quantile(at_zero - strike * slope, quantile))

    low, high = float(roots.min()), float(roots.max())
    if low == high:
        return low
    return float(brentq(quantile_at, low, high, xtol=1e-10, rtol=1e-12))

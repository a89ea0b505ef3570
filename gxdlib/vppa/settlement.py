"""Settle a virtual PPA on historical prices and generation, slot by slot.

For each settled 30-minute slot t::

    settlement_jpy_t = (clip(P_t, floor, cap) - K_t) * V_t

where P_t is the index price [JPY/kWh], K_t the strike in force in that
contract year and V_t the contracted volume [kWh]. **Positive means the
buyer receives money from the generator; negative, the buyer pays.** The
same slot formula (:func:`unit_settlement`) serves :func:`settle` and the
scenario engine in :mod:`gxdlib.vppa.risk`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from gxdlib.areas import AT_FLOOR_JPY_PER_KWH
from gxdlib.checks import first_labels, numeric_values, require_finite
from gxdlib.errors import ValidationError
from gxdlib.timeseries import HOUR, SLOT, TZ, check_generation, fiscal_year, require_tz_index
from gxdlib.vppa.contract import VPPAContract, capacity_excess


@dataclass(frozen=True)
class SettlementPlan:
    """Per-slot contract terms over the settled slots, computed once.

    Attributes
    ----------
    index : pandas.DatetimeIndex
        Settled slot starts (contract period within the given slots).
    positions : slice
        Where the settled slots sit in the slots the plan was made for.
    contract_year : numpy.ndarray
        Contract year of each settled slot, numbered from 1 (int).
    strike_jpy_per_kwh : numpy.ndarray
        Strike in force in each settled slot [JPY/kWh].
    fixed_volume_kwh : numpy.ndarray or None
        Contracted volume per slot [kWh] for baseload and shaped contracts;
        None for as_produced, whose volume follows generation.
    scale : float
        Factor from the weights used by :func:`unit_settlement` to the
        contracted volume: ``share`` for as_produced, 1 otherwise.
    low_jpy_per_kwh, high_jpy_per_kwh : float
        Clip bounds on the index price (floor and cap, or -inf and inf).
    exclude_floor_slots : bool
        Whether slots with the index at the 0.01 JPY/kWh floor settle 0.
    """

    index: pd.DatetimeIndex
    positions: slice
    contract_year: np.ndarray
    strike_jpy_per_kwh: np.ndarray
    fixed_volume_kwh: np.ndarray | None
    scale: float
    low_jpy_per_kwh: float
    high_jpy_per_kwh: float
    exclude_floor_slots: bool

    def weights(self, generation_kwh: np.ndarray) -> np.ndarray:
        """Per-slot weights for :func:`unit_settlement`: generation or the fixed volume."""
        return generation_kwh if self.fixed_volume_kwh is None else self.fixed_volume_kwh

    @property
    def year_starts(self) -> np.ndarray:
        """Positions where each contract year begins, for ``np.add.reduceat``."""
        return np.flatnonzero(np.diff(self.contract_year, prepend=-1))


def plan_settlement(contract: VPPAContract, slots: pd.DatetimeIndex) -> SettlementPlan:
    """Lay the contract's terms over regular 30-minute ``slots``.

    Parameters
    ----------
    contract : VPPAContract
        The contract.
    slots : pandas.DatetimeIndex
        Regular, tz-aware 30-minute slot starts (generation or a scenario
        horizon).

    Returns
    -------
    SettlementPlan
        Terms for the slots inside the contract period.

    Raises
    ------
    ValidationError
        If ``contract`` is not a :class:`VPPAContract`, no slot lies in the
        contract period, a shaped contract's ``shape_kwh`` misses settled
        slots, or the escalated strike overflows.
    """
    if not isinstance(contract, VPPAContract):
        raise ValidationError(f"contract must be a VPPAContract, got {type(contract).__name__}")
    stamps = slots.as_unit("ns").asi8
    lo = 0 if contract.start is None else np.searchsorted(stamps, contract.start.value)
    hi = len(stamps) if contract.end is None else np.searchsorted(stamps, contract.end.value)
    if hi <= lo:
        raise ValidationError(
            f"the contract period ({contract.start} to {contract.end}) and the slots "
            f"({slots[0] if len(slots) else None} to {slots[-1] if len(slots) else None}) "
            "do not overlap"
        )
    index = slots[lo:hi]
    anchor = contract.start if contract.start is not None else index[0]
    n_years = index[-1].year - anchor.year + 2
    anniversaries = pd.DatetimeIndex([anchor + pd.DateOffset(years=k) for k in range(n_years)])
    contract_year = np.searchsorted(anniversaries.as_unit("ns").asi8, stamps[lo:hi], "right")
    fixed = None
    if contract.volume == "baseload":
        fixed = np.full(len(index), contract.baseload_kw * (SLOT / HOUR))
    elif contract.volume == "shaped":
        shape = contract.shape_kwh.copy()
        shape.index = shape.index.tz_convert(TZ)
        fixed = shape.reindex(index).to_numpy(dtype=float)
        missing = np.isnan(fixed)
        if missing.any():
            raise ValidationError(
                f"shape_kwh does not cover {missing.sum()} settled slots, first at "
                f"{first_labels(index, missing)}"
            )
    floor, cap = contract.floor_jpy_per_kwh, contract.cap_jpy_per_kwh
    with np.errstate(over="ignore"):
        strike = np.asarray(contract.strike_in_year(contract_year), dtype=float)
    overflow = ~np.isfinite(strike)
    if overflow.any():
        raise ValidationError(
            f"the escalated strike overflows: strike_jpy_per_kwh {contract.strike_jpy_per_kwh!r} "
            f"x (1 + escalation_per_year {contract.escalation_per_year!r}) ** (year - 1) is "
            f"infinite from contract year {int(contract_year[overflow][0])}, first at "
            f"{first_labels(index, overflow, 1)}"
        )
    return SettlementPlan(
        index=index,
        positions=slice(int(lo), int(hi)),
        contract_year=contract_year.astype(np.int64),
        strike_jpy_per_kwh=strike,
        fixed_volume_kwh=fixed,
        scale=contract.share if contract.volume == "as_produced" else 1.0,
        low_jpy_per_kwh=-np.inf if floor is None else float(floor),
        high_jpy_per_kwh=np.inf if cap is None else float(cap),
        exclude_floor_slots=contract.floor_price_slots == "exclude",
    )


def unit_settlement(
    prices: np.ndarray, weights: np.ndarray, plan: SettlementPlan, out: np.ndarray | None = None
) -> np.ndarray:
    """``(clip(P, floor, cap) - K) * W`` per slot, 0 in excluded slots.

    The single implementation of the slot formula; the contracted volume is
    ``plan.scale * W``, so the settlement is ``plan.scale`` times the result.

    Parameters
    ----------
    prices : numpy.ndarray
        Index prices [JPY/kWh], shape (..., slots).
    weights : numpy.ndarray
        :meth:`SettlementPlan.weights`, broadcastable to ``prices`` [kWh].
    plan : SettlementPlan
        The contract terms per slot.
    out : numpy.ndarray, optional
        Buffer of the shape of ``prices`` to write into, ``prices`` itself
        included (saves an allocation).

    Returns
    -------
    numpy.ndarray
        Settlement per unit of ``plan.scale`` [JPY], shape of ``prices``.
    """
    # The mask comes first so that ``out`` may be ``prices`` itself.
    at_floor = prices <= AT_FLOOR_JPY_PER_KWH if plan.exclude_floor_slots else None
    if np.isfinite(plan.low_jpy_per_kwh) or np.isfinite(plan.high_jpy_per_kwh):
        out = np.clip(prices, plan.low_jpy_per_kwh, plan.high_jpy_per_kwh, out=out)
        out -= plan.strike_jpy_per_kwh
    else:
        out = np.subtract(prices, plan.strike_jpy_per_kwh, out=out)
    out *= weights
    if at_floor is not None:
        np.putmask(out, at_floor, 0.0)
    return out


def check_capacity(
    contract: VPPAContract, generation_kwh: np.ndarray, slots: pd.DatetimeIndex
) -> None:
    """Refuse generation that the contract's plant cannot produce (see :func:`capacity_excess`).

    Nothing is checked when the contract gives no ``capacity_kw``.

    Raises
    ------
    ValidationError
        If a slot's generation exceeds ``capacity_kw`` x 0.5 h.
    """
    if contract.capacity_kw is None:
        return
    excess = capacity_excess(generation_kwh, slots, contract.capacity_kw, "generation_kwh")
    if excess:
        raise ValidationError(excess)


def index_prices(
    prices: pd.DataFrame | pd.Series, price_index: str, slots: pd.DatetimeIndex
) -> np.ndarray:
    """The index price at each of ``slots`` [JPY/kWh], validated.

    Parameters
    ----------
    prices : pandas.DataFrame or pandas.Series
        A frame in :func:`gxdlib.io.jepx.read_jepx_spot` format (the column
        ``price_index`` is used) or one price series.
    price_index : str
        Column to use when ``prices`` is a frame.
    slots : pandas.DatetimeIndex
        The settled slots.

    Raises
    ------
    ValidationError
        If the column is absent, the index not a tz-aware DatetimeIndex or
        duplicated, the prices not numbers, or a price missing, NaN or
        infinite at a settled slot (naming the first ones).
    """
    if isinstance(prices, pd.DataFrame):
        if price_index not in prices.columns:
            raise ValidationError(
                f"prices has no column {price_index!r} (the contract's price_index); "
                f"columns: {list(prices.columns)}"
            )
        series = prices[price_index]
    elif isinstance(prices, pd.Series):
        series = prices
    else:
        raise ValidationError(f"prices must be a DataFrame or Series, got {type(prices).__name__}")
    index = require_tz_index(series.index, "prices (slot starts)")
    if index.has_duplicates:
        raise ValidationError(
            f"prices: duplicate slots, first at {first_labels(index, index.duplicated())}"
        )
    what = f"prices ({price_index!r})"
    values = pd.Series(numeric_values(series, what, "JPY/kWh"), index=index)
    aligned = values.reindex(slots).to_numpy()
    missing = np.isnan(aligned)
    if missing.any():
        raise ValidationError(
            f"{what}: no price (missing or NaN) at {missing.sum()} settled "
            f"slots, first at {first_labels(slots, missing)}"
        )
    return require_finite(aligned, slots, what)


def month_start(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The JST calendar month (its first instant) of each timestamp."""
    local = index.tz_convert(TZ).tz_localize(None)
    return local.to_period("M").to_timestamp().tz_localize(TZ).rename("month")


def _grouped_sums(intervals: pd.DataFrame, key: pd.Index) -> pd.DataFrame:
    """Sums per group of the quantities every statement is derived from."""
    volume = intervals["volume_kwh"]
    price = intervals["index_price_jpy_per_kwh"]
    strike = intervals["strike_jpy_per_kwh"]
    excluded = intervals["excluded"]
    parts = pd.DataFrame(
        {
            "slots": 1,
            "volume_kwh": volume,
            "market_value_jpy": price * volume,
            "price_sum": price,
            "strike_volume": strike * volume,
            "strike_sum": strike,
            "settlement_jpy": intervals["settlement_jpy"],
            "certificate_cost_jpy": intervals["certificate_cost_jpy"],
            "excluded_slots": excluded.astype(int),
            "excluded_volume_kwh": volume.where(excluded, 0.0),
        },
        index=intervals.index,
    )
    return parts.groupby(np.asarray(key), sort=True).sum().rename_axis(key.name)


def _weighted_strike(sums: pd.DataFrame) -> pd.Series:
    """Volume-weighted strike, time-weighted where a group has no volume."""
    by_volume = sums["strike_volume"] / sums["volume_kwh"].where(sums["volume_kwh"] > 0)
    return by_volume.fillna(sums["strike_sum"] / sums["slots"])


def payer(settlement_jpy: pd.Series | np.ndarray | float) -> np.ndarray:
    """Who pays whom: the one place where the sign of a settlement is read.

    Parameters
    ----------
    settlement_jpy : pandas.Series, numpy.ndarray or float
        Settlements [JPY], positive when the buyer receives.

    Returns
    -------
    numpy.ndarray
        ``"generator"`` where positive (the generator pays the buyer),
        ``"buyer"`` where negative, ``"none"`` at zero; 0-d for a float.

    Examples
    --------
    >>> payer(np.array([250.0, -3.0, 0.0])).tolist()
    ['generator', 'buyer', 'none']
    """
    values = np.asarray(settlement_jpy, dtype=float)
    return np.where(values > 0, "generator", np.where(values < 0, "buyer", "none"))


def statement(intervals: pd.DataFrame, key: pd.Index) -> pd.DataFrame:
    """The settlement statement grouped by ``key`` (months or fiscal years).

    Columns: ``slots``, ``volume_kwh``, ``capture_price_jpy_per_kwh``
    (volume-weighted index price), ``average_price_jpy_per_kwh``
    (time-weighted), ``strike_jpy_per_kwh`` (volume-weighted; time-weighted
    without volume), ``settlement_jpy``, ``certificate_cost_jpy``,
    ``excluded_slots``, ``excluded_volume_kwh``, ``payer``.
    """
    sums = _grouped_sums(intervals, key)
    volume = sums["volume_kwh"]
    out = pd.DataFrame(
        {
            "slots": sums["slots"],
            "volume_kwh": volume,
            "capture_price_jpy_per_kwh": sums["market_value_jpy"] / volume.where(volume > 0),
            "average_price_jpy_per_kwh": sums["price_sum"] / sums["slots"],
            "strike_jpy_per_kwh": _weighted_strike(sums),
            "settlement_jpy": sums["settlement_jpy"],
            "certificate_cost_jpy": sums["certificate_cost_jpy"],
            "excluded_slots": sums["excluded_slots"],
            "excluded_volume_kwh": sums["excluded_volume_kwh"],
        }
    )
    out["payer"] = pd.Series(payer(out["settlement_jpy"]), index=out.index, dtype="str")
    return out


@dataclass(frozen=True)
class SettlementResult:
    """A contract settled on one price and generation history.

    Attributes
    ----------
    contract : VPPAContract
        The contract settled.
    intervals : pandas.DataFrame
        One row per settled slot (index ``slot_start``): ``volume_kwh``,
        ``index_price_jpy_per_kwh``, ``settlement_price_jpy_per_kwh`` (the
        index clipped to floor and cap), ``strike_jpy_per_kwh``,
        ``settlement_jpy`` (positive: the buyer receives),
        ``certificate_cost_jpy``, ``excluded`` (bool: a 0.01 slot settled at
        0 under ``floor_price_slots="exclude"``), ``contract_year`` (from 1).
    monthly : pandas.DataFrame
        The statement per JST calendar month (index ``month``, the month's
        first instant); columns as in :func:`statement`.
    annual : pandas.DataFrame
        The same per fiscal year (index ``fiscal_year``).
    total_jpy : float
        Sum of ``settlement_jpy`` [JPY].
    capture_price : float
        Volume-weighted mean index price over the settled slots [JPY/kWh].
    capture_rate : float
        ``capture_price`` / time-weighted mean index price over all settled
        slots, those without output included [-].
    capture_note : str
        Empty when capture price and rate are defined; otherwise why they
        are NaN, for tables and dashboards (see Notes).

    Notes
    -----
    The capture price is undefined (NaN) when no volume is contracted over
    the settled slots (a plant that produced nothing, e.g. only night
    slots), and the capture rate also when the time-weighted mean index
    price is not positive (a year of prices at 0, which JEPX never clears:
    its floor is 0.01 JPY/kWh, and a year all at the floor has a rate of
    exactly 1). Both are then NaN with ``capture_note`` saying why, never an
    infinity or an error: the settlement itself is still defined. The same
    holds for :attr:`mean_settlement_jpy_per_kwh` without volume.

    Capture price and rate measure the market value of the contracted
    profile, so excluded 0.01 slots count in both (the clause changes the
    settlement, not the market). Certificates are bought on every contracted
    kWh, excluded slots included: the plant still produced that energy.
    """

    contract: VPPAContract
    intervals: pd.DataFrame
    monthly: pd.DataFrame
    annual: pd.DataFrame
    total_jpy: float
    capture_price: float
    capture_rate: float
    capture_note: str = ""

    @property
    def total_volume_kwh(self) -> float:
        """Contracted volume over the settled slots [kWh]."""
        return float(self.intervals["volume_kwh"].sum())

    @property
    def total_certificate_cost_jpy(self) -> float:
        """Certificate cost over the settled slots [JPY]."""
        return float(self.intervals["certificate_cost_jpy"].sum())

    @property
    def payer(self) -> str:
        """Who pays over the whole settled period (:func:`payer` of ``total_jpy``)."""
        return str(payer(self.total_jpy))

    @property
    def excluded_slots(self) -> int:
        """Number of 0.01 slots settled at 0 under the exclude clause."""
        return int(self.intervals["excluded"].sum())

    @property
    def mean_settlement_jpy_per_kwh(self) -> float:
        """Total settlement per contracted kWh [JPY/kWh]; NaN without contracted volume."""
        volume = self.total_volume_kwh
        return self.total_jpy / volume if volume > 0 else float("nan")


def capture(price_jpy_per_kwh: np.ndarray, volume_kwh: np.ndarray) -> tuple[float, float, str]:
    """Capture price [JPY/kWh], capture rate [-] and why they are undefined ("" if defined).

    The capture price is the volume-weighted mean price, the rate its ratio
    to the time-weighted mean price over the same slots.

    Examples
    --------
    >>> capture(np.array([0.01, 0.01]), np.array([3.0, 1.0]))
    (0.01, 1.0, '')
    >>> capture(np.array([8.0, 12.0]), np.zeros(2))[2]
    'capture price and rate undefined: no contracted volume over the settled slots'
    """
    total_volume = volume_kwh.sum()
    if not total_volume > 0:
        reason = "capture price and rate undefined: no contracted volume over the settled slots"
        return float("nan"), float("nan"), reason
    capture_price = float((price_jpy_per_kwh * volume_kwh).sum() / total_volume)
    mean_price = float(price_jpy_per_kwh.mean())
    if not mean_price > 0:
        reason = (
            f"capture rate undefined: the time-weighted mean index price over the settled "
            f"slots is {mean_price:g} JPY/kWh"
        )
        return capture_price, float("nan"), reason
    return capture_price, capture_price / mean_price, ""


def settle(
    contract: VPPAContract, generation_kwh: pd.Series, prices: pd.DataFrame | pd.Series
) -> SettlementResult:
    """Settle ``contract`` slot by slot on historical generation and prices.

    Parameters
    ----------
    contract : VPPAContract
        The contract.
    generation_kwh : pandas.Series
        Metered plant output per 30-minute slot [kWh], tz-aware, regular.
        Hourly data goes through :func:`gxdlib.timeseries.to_slots` first.
        The settled slots are those of this series inside the contract period.
    prices : pandas.DataFrame or pandas.Series
        JEPX prices [JPY/kWh]: a :func:`gxdlib.io.jepx.read_jepx_spot` frame
        (the column ``contract.price_index`` is used) or one series.

    Returns
    -------
    SettlementResult
        Per-slot intervals, monthly and fiscal-year statements and totals.

    Raises
    ------
    ValidationError
        Bad generation (hourly, not a tz-aware DatetimeIndex, irregular, not
        numbers, NaN, infinite, negative, or above the contract's
        ``capacity_kw`` x 0.5 h in a slot), a missing, NaN or infinite price
        at a settled slot, no overlap with the contract period, or a
        settlement that overflows; messages name the argument and the first
        offending timestamps.

    Warns
    -----
    GXDWarning
        Generation peaking under 1/1,000 of the contract's capacity x 0.5 h
        (MWh given as kWh?).

    Examples
    --------
    >>> slots = pd.date_range("2022-04-01 10:00", periods=2, freq="30min", tz="Asia/Tokyo")
    >>> result = settle(
    ...     VPPAContract(10.0),
    ...     pd.Series([100.0, 50.0], index=slots),
    ...     pd.Series([14.0, 6.0], index=slots),
    ... )
    >>> result.total_jpy  # (14 - 10) * 100 + (6 - 10) * 50
    200.0
    >>> round(result.capture_price, 4), round(result.capture_rate, 4)
    (11.3333, 1.1333)
    """
    generation = check_generation(generation_kwh)
    plan = plan_settlement(contract, generation.index)
    gen = generation.to_numpy()[plan.positions]
    check_capacity(contract, gen, plan.index)
    price = index_prices(prices, contract.price_index, plan.index)
    # An overflow is refused below, with its cause: no RuntimeWarning before it.
    with np.errstate(over="ignore", invalid="ignore"):
        settlement = unit_settlement(price, plan.weights(gen), plan) * plan.scale
        total = float(settlement.sum())
    if not np.isfinite(total):
        raise ValidationError(
            f"the settlement overflows to {total}: strike (up to "
            f"{plan.strike_jpy_per_kwh.max():.6g} JPY/kWh), prices and volumes are too large "
            "to multiply in floating point"
        )
    volume = plan.weights(gen) * plan.scale
    excluded = plan.exclude_floor_slots & (price <= AT_FLOOR_JPY_PER_KWH)
    intervals = pd.DataFrame(
        {
            "volume_kwh": volume,
            "index_price_jpy_per_kwh": price,
            "settlement_price_jpy_per_kwh": np.clip(
                price, plan.low_jpy_per_kwh, plan.high_jpy_per_kwh
            ),
            "strike_jpy_per_kwh": plan.strike_jpy_per_kwh,
            "settlement_jpy": settlement,
            "certificate_cost_jpy": contract.nfc_price_jpy_per_kwh * volume,
            "excluded": excluded,
            "contract_year": plan.contract_year,
        },
        index=plan.index.rename("slot_start"),
    )
    capture_price, capture_rate, capture_note = capture(price, volume)
    return SettlementResult(
        contract=contract,
        intervals=intervals,
        monthly=statement(intervals, month_start(plan.index)),
        annual=statement(intervals, fiscal_year(plan.index)),
        total_jpy=total,
        capture_price=capture_price,
        capture_rate=capture_rate,
        capture_note=capture_note,
    )


def hedge_view(
    result: SettlementResult, by: Literal["slot", "month", "fiscal_year"] = "month"
) -> pd.DataFrame:
    """The buyer's effective price per hedged kWh: market purchase plus settlement.

    A buyer who purchases the contracted volume at the index price and
    receives the settlement pays ``P*V - settlement``; without floor, cap or
    excluded slots that is exactly ``K*V``, a fixed price: the VPPA as a hedge.

    Parameters
    ----------
    result : SettlementResult
        A settled contract.
    by : {"slot", "month", "fiscal_year"}
        Grouping of the rows.

    Returns
    -------
    pandas.DataFrame
        ``volume_kwh``, ``market_cost_jpy`` (index price x volume),
        ``settlement_jpy``, ``net_cost_jpy`` (market cost minus settlement),
        ``certificate_cost_jpy``, ``market_price_jpy_per_kwh``,
        ``effective_price_jpy_per_kwh`` (net cost per kWh),
        ``all_in_price_jpy_per_kwh`` (net cost plus certificates per kWh),
        ``strike_jpy_per_kwh``; per-kWh columns are NaN without volume.

    Raises
    ------
    ValidationError
        If ``result`` is not a :class:`SettlementResult` or ``by`` is unknown.
    """
    if not isinstance(result, SettlementResult):
        raise ValidationError(
            f"result must be a SettlementResult (from settle), got {type(result).__name__}"
        )
    intervals = result.intervals
    keys = {
        "slot": intervals.index.rename("slot_start"),
        "month": month_start(intervals.index),
        "fiscal_year": fiscal_year(intervals.index),
    }
    if by not in keys:
        raise ValidationError(f"by must be one of {tuple(keys)}, got {by!r}")
    sums = _grouped_sums(intervals, keys[by])
    volume = sums["volume_kwh"].where(sums["volume_kwh"] > 0)
    net = sums["market_value_jpy"] - sums["settlement_jpy"]
    return pd.DataFrame(
        {
            "volume_kwh": sums["volume_kwh"],
            "market_cost_jpy": sums["market_value_jpy"],
            "settlement_jpy": sums["settlement_jpy"],
            "net_cost_jpy": net,
            "certificate_cost_jpy": sums["certificate_cost_jpy"],
            "market_price_jpy_per_kwh": sums["market_value_jpy"] / volume,
            "effective_price_jpy_per_kwh": net / volume,
            "all_in_price_jpy_per_kwh": (net + sums["certificate_cost_jpy"]) / volume,
            "strike_jpy_per_kwh": _weighted_strike(sums),
        }
    )

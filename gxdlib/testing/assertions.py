"""Assertion helpers: the invariants every slot series, settlement and Scope 3 result keeps.

Each helper recomputes what it checks from its definition with plain numpy and
pandas, not by calling the code under test, and raises :class:`AssertionError`
naming the first value that breaks the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from gxdlib.areas import JEPX_PRICE_FLOOR_JPY_PER_KWH
from gxdlib.errors import DataFormatError
from gxdlib.footprint.scope3 import METHODS, Scope3Result
from gxdlib.timeseries import SLOT, TZ
from gxdlib.vppa import SettlementResult, VPPAContract

__all__ = [
    "assert_refused",
    "assert_scope3_reconciles",
    "assert_settlement_reconciles",
    "assert_slot_index",
]

RTOL = 1e-9
"""Relative tolerance of sums compared with sums computed in another order [-]."""

_METHOD_COLUMNS = {
    "supplier-specific": "supplier_specific_kgco2e",
    "average-data": "average_data_kgco2e",
    "spend-based": "spend_based_kgco2e",
}


def _assert_close(actual: Any, expected: Any, what: str, labels: pd.Index | None = None) -> None:
    """Equal within :data:`RTOL` of the largest magnitude involved; NaN only against NaN."""
    actual = np.atleast_1d(np.asarray(actual, dtype=float))
    expected = np.atleast_1d(np.asarray(expected, dtype=float))
    if actual.shape != expected.shape:
        raise AssertionError(f"{what}: {actual.size} values, expected {expected.size}")
    scale = max(float(np.nanmax(np.abs(expected), initial=0.0)), 1.0)
    both_nan = np.isnan(actual) & np.isnan(expected)
    wrong = ~both_nan & ~(np.abs(actual - expected) <= RTOL * scale * max(expected.size, 1))
    if wrong.any():
        at = int(np.flatnonzero(wrong)[0])
        where = f" at {labels[at]}" if labels is not None else ""
        raise AssertionError(
            f"{what}{where}: {actual[at]!r}, expected {expected[at]!r} "
            f"({int(wrong.sum())} value(s) differ)"
        )


def assert_slot_index(index: object, *, name: str | None = "slot_start") -> None:
    """Assert that ``index`` is a JEPX slot index.

    A slot index is a :class:`pandas.DatetimeIndex` in ``Asia/Tokyo``, sorted
    without repeats at a regular 30-minute step, each slot labelled by its
    start: on a :00 or :30 boundary and named ``slot_start``.

    Parameters
    ----------
    index : object
        The index to check.
    name : str or None
        The name expected (None: any name).

    Raises
    ------
    AssertionError
        Naming the rule broken and the first timestamp that breaks it.

    Examples
    --------
    >>> from gxdlib.timeseries import slot_index
    >>> assert_slot_index(slot_index("2023-04-01", "2023-04-02"))
    >>> hours = pd.date_range("2023-04-01", periods=3, freq="h", tz=TZ, name="slot_start")
    >>> assert_slot_index(hours)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: index: step of 0 days 01:00:00 after 2023-04-01 00:00:00+09:00, expected ...
    """
    if not isinstance(index, pd.DatetimeIndex):
        raise AssertionError(f"index: a {type(index).__name__}, expected a DatetimeIndex")
    if str(index.tz) != TZ:
        raise AssertionError(f"index: time zone {index.tz}, expected {TZ}")
    if name is not None and index.name != name:
        raise AssertionError(f"index: named {index.name!r}, expected {name!r}")
    off_boundary = (index.minute % 30 != 0) | (index.second != 0) | (index.microsecond != 0)
    off_boundary |= index.nanosecond != 0
    if off_boundary.any():
        raise AssertionError(
            f"index: {index[off_boundary][0]} is not the start of a slot (:00 or :30)"
        )
    steps = np.diff(index.as_unit("ns").asi8)
    irregular = np.flatnonzero(steps != SLOT.value)
    if irregular.size:
        at = int(irregular[0])
        raise AssertionError(
            f"index: step of {pd.Timedelta(int(steps[at]))} after {index[at]}, expected 30 minutes"
        )


def _contract_years(slots: pd.DatetimeIndex, anchor: pd.Timestamp) -> np.ndarray:
    """Contract year of each slot, from 1: year n starts n - 1 years after ``anchor``."""
    n_years = slots[-1].year - anchor.year + 2
    anniversaries = [anchor + pd.DateOffset(years=k) for k in range(n_years)]
    return np.searchsorted(pd.DatetimeIndex(anniversaries).as_unit("ns").asi8, slots.asi8, "right")


def _settled_slots(generation_kwh: pd.Series, contract: VPPAContract) -> pd.DatetimeIndex:
    slots = generation_kwh.index.tz_convert(TZ).as_unit("ns")
    inside = np.ones(len(slots), dtype=bool)
    if contract.start is not None:
        inside &= slots >= contract.start
    if contract.end is not None:
        inside &= slots < contract.end
    return slots[inside]


def _contracted_volume_kwh(
    contract: VPPAContract, generation_kwh: pd.Series, slots: pd.DatetimeIndex
) -> np.ndarray:
    if contract.volume == "baseload":
        return np.full(len(slots), contract.baseload_kw * (SLOT / pd.Timedelta(hours=1)))
    if contract.volume == "shaped":
        shape = contract.shape_kwh.tz_convert(TZ)
        return shape.reindex(slots).to_numpy(dtype=float)
    generation = generation_kwh.tz_convert(TZ)
    return contract.share * generation.reindex(slots).to_numpy(dtype=float)


def _expected_payer(settlement_jpy: pd.Series) -> np.ndarray:
    """The sign rule: positive, the generator pays the buyer; negative, the buyer pays."""
    value = settlement_jpy.to_numpy(dtype=float)
    return np.select([value > 0, value < 0], ["generator", "buyer"], "none")


def _assert_statement(
    statement: pd.DataFrame, expected: pd.DataFrame, keys: pd.Index, what: str
) -> None:
    if list(statement.index) != list(keys):
        raise AssertionError(f"{what}: periods {list(statement.index)}, expected {list(keys)}")
    for column in expected.columns:
        _assert_close(statement[column], expected[column], f"{what} {column}", keys)
    payer = statement["payer"].astype(str).to_numpy()
    rule = _expected_payer(statement["settlement_jpy"])
    wrong = payer != rule
    if wrong.any():
        at = int(np.flatnonzero(wrong)[0])
        raise AssertionError(
            f"{what} payer at {keys[at]}: {payer[at]!r} for a settlement of "
            f"{statement['settlement_jpy'].iloc[at]!r} JPY, expected {rule[at]!r}"
        )


def assert_settlement_reconciles(
    result: SettlementResult,
    prices: pd.DataFrame | pd.Series,
    generation_kwh: pd.Series,
    contract: VPPAContract,
) -> None:
    """Assert that a settlement follows the contract slot by slot and its statements add up.

    Recomputed from the inputs: the settled slots (those of
    ``generation_kwh`` in the contract period), each slot's index price,
    contracted volume [kWh], settlement price (the index clipped to floor
    and cap), strike (escalated per contract year), exclusion (an index at
    the 0.01 JPY/kWh floor under ``floor_price_slots="exclude"``) and
    settlement ``(settlement price - strike) x volume`` [JPY], 0 where
    excluded; positive means the buyer receives. Then the monthly (JST
    calendar month) and fiscal-year statements must hold the sums of their
    slots, ``total_jpy`` the sum of all, and each period's ``payer`` must
    follow the sign of its settlement.

    Parameters
    ----------
    result : SettlementResult
        What :func:`gxdlib.vppa.settle` returned.
    prices : pandas.DataFrame or pandas.Series
        The prices it was given [JPY/kWh].
    generation_kwh : pandas.Series
        The generation it was given [kWh per slot].
    contract : VPPAContract
        The contract it was given.

    Raises
    ------
    AssertionError
        Naming the quantity and the first slot or period that does not
        reconcile.
    """
    if result.contract is not contract:
        raise AssertionError("result.contract is not the contract given")
    intervals = result.intervals
    slots = _settled_slots(generation_kwh, contract)
    assert_slot_index(intervals.index)
    if not intervals.index.equals(slots):
        raise AssertionError(
            f"settled slots: {len(intervals)} from {intervals.index.min()}, expected "
            f"{len(slots)} from {slots.min()} (the generation slots in the contract period)"
        )
    series = prices[contract.price_index] if isinstance(prices, pd.DataFrame) else prices
    index_price = series.tz_convert(TZ).reindex(slots).to_numpy(dtype=float)
    volume = _contracted_volume_kwh(contract, generation_kwh, slots)
    low, high = contract.floor_jpy_per_kwh, contract.cap_jpy_per_kwh
    settlement_price = np.clip(
        index_price, -np.inf if low is None else low, np.inf if high is None else high
    )
    anchor = slots[0] if contract.start is None else contract.start
    year = _contract_years(slots, anchor)
    strike = contract.strike_jpy_per_kwh * (1.0 + contract.escalation_per_year) ** (year - 1)
    at_floor = np.isclose(index_price, JEPX_PRICE_FLOOR_JPY_PER_KWH, rtol=0.0, atol=1e-9)
    excluded = at_floor & (contract.floor_price_slots == "exclude")
    settlement = np.where(excluded, 0.0, (settlement_price - strike) * volume)
    certificate = contract.nfc_price_jpy_per_kwh * volume
    expected = {
        "index_price_jpy_per_kwh": index_price,
        "volume_kwh": volume,
        "settlement_price_jpy_per_kwh": settlement_price,
        "contract_year": year,
        "strike_jpy_per_kwh": strike,
        "excluded": excluded,
        "settlement_jpy": settlement,
        "certificate_cost_jpy": certificate,
    }
    for column, values in expected.items():
        _assert_close(intervals[column], values, f"intervals {column}", slots)
    _assert_close(result.total_jpy, settlement.sum(), "total_jpy")
    sums = pd.DataFrame(
        {
            "slots": 1.0,
            "volume_kwh": volume,
            "settlement_jpy": settlement,
            "certificate_cost_jpy": certificate,
            "excluded_slots": excluded.astype(float),
        },
        index=slots,
    )
    local = slots.tz_convert(TZ)
    months = local.normalize() - pd.to_timedelta(local.day - 1, unit="D")
    fiscal_years = np.where(local.month >= 4, local.year, local.year - 1)
    for statement, key, what in (
        (result.monthly, months, "monthly"),
        (result.annual, fiscal_years, "annual"),
    ):
        by_period = sums.groupby(np.asarray(key), sort=True).sum()
        _assert_statement(statement, by_period, pd.Index(by_period.index), what)
        _assert_close(statement["settlement_jpy"].sum(), result.total_jpy, f"{what} total")


def assert_scope3_reconciles(result: Scope3Result, ledger: pd.DataFrame | None = None) -> None:
    """Assert that a Scope 3 category 1 result counts each line once and its totals add up.

    Checks: every ledger line appears once, in the ledger's order; each line's
    ``emissions_kgco2e`` is the estimate of its ``method`` (NaN exactly when
    unassessed); ``total_kgco2e`` is the sum of the lines; the totals by
    method, supplier and sector each add up to it (lines and spend [JPY]
    too); coverage shares lie in [0, 1].

    Parameters
    ----------
    result : Scope3Result
        What :func:`gxdlib.footprint.scope3_category1` returned.
    ledger : pandas.DataFrame, optional
        The ledger it was given; without it, the lines are only checked to
        be unique.

    Raises
    ------
    AssertionError
        Naming the total or the first line that does not reconcile.
    """
    lines = result.lines
    if ledger is not None and not lines.index.equals(ledger.index):
        raise AssertionError(
            f"lines: {len(lines)} labelled {list(lines.index[:5])}..., expected the ledger's "
            f"{len(ledger)} lines in order ({list(ledger.index[:5])}...)"
        )
    if not lines.index.is_unique:
        repeated = lines.index[lines.index.duplicated()][0]
        raise AssertionError(f"lines: line {repeated!r} appears more than once")
    method = lines["method"].astype(str)
    unknown = ~method.isin(METHODS)
    if unknown.any():
        raise AssertionError(
            f"line {lines.index[unknown][0]!r}: unknown method {method[unknown].iloc[0]!r}"
        )
    emissions = lines["emissions_kgco2e"].to_numpy(dtype=float)
    expected = np.full(len(lines), np.nan)
    for name, column in _METHOD_COLUMNS.items():
        chosen = (method == name).to_numpy()
        expected[chosen] = lines[column].to_numpy(dtype=float)[chosen]
    _assert_close(emissions, expected, "line emissions_kgco2e of its method", lines.index)
    total = float(np.nansum(emissions))
    _assert_close(result.total_kgco2e, total, "total_kgco2e (sum of lines)")
    spend = float(lines["spend_jpy"].sum())
    for view, frame in (
        ("method", result.totals_by_method()),
        ("supplier", result.totals_by_supplier()),
        ("sector", result.totals_by_sector()),
    ):
        _assert_close(frame["emissions_kgco2e"].sum(), total, f"totals by {view} emissions_kgco2e")
        _assert_close(frame["spend_jpy"].sum(), spend, f"totals by {view} spend_jpy")
        if frame["lines"].sum() != len(lines):
            raise AssertionError(
                f"totals by {view}: {frame['lines'].sum()} lines, expected {len(lines)}"
            )
    shares = result.coverage()["share"].dropna()
    if not ((shares >= 0) & (shares <= 1 + RTOL)).all():
        raise AssertionError(f"coverage shares outside [0, 1]: {shares.tolist()}")


def assert_refused(
    read: Callable[..., Any],
    *args: Any,
    source: str,
    line: int | None = None,
    column: str | None = None,
    words: str | None = None,
    **kwargs: Any,
) -> DataFormatError:
    """Assert that ``read(*args, **kwargs)`` raises a DataFormatError naming the place at fault.

    Parameters
    ----------
    read : callable
        A reader or parser of :mod:`gxdlib.io`.
    *args, **kwargs
        Its arguments.
    source : str
        The file or buffer name the error must carry (``error.source``).
    line : int, optional
        The 1-based line it must name; not checked when None.
    column : str, optional
        The column it must name; not checked when None.
    words : str, optional
        Text its message must contain.

    Returns
    -------
    DataFormatError
        The error, for further checks.

    Raises
    ------
    AssertionError
        When nothing is raised, or the error names another place; any other
        exception propagates unchanged.
    """
    try:
        read(*args, **kwargs)
    except DataFormatError as error:
        caught = error
    else:
        raise AssertionError(f"{getattr(read, '__name__', read)} accepted the input")
    for field, wanted in (("source", str(source)), ("line", line), ("column", column)):
        found = getattr(caught, field)
        if wanted is not None and found != wanted:
            raise AssertionError(f"error {field}: {found!r}, expected {wanted!r} ({caught})")
    if words is not None and words not in str(caught):
        raise AssertionError(f"error message lacks {words!r}: {caught}")
    return caught

"""Hypothesis strategies for JEPX-like prices, plant output, purchase ledgers and PACT documents.

Slot-level series are drawn as a seed for a numpy Generator rather than value
by value: a fiscal year has 17,520 slots, far more than hypothesis can draw and
shrink one by one, and the same seed gives the same series bit for bit.
Hypothesis shrinks the seed and the lengths; the shapes (a midday dip to the
0.01 JPY/kWh floor, an evening peak, no output at night) hold for every seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from gxdlib.areas import JEPX_PRICE_FLOOR_JPY_PER_KWH
from gxdlib.errors import ValidationError
from gxdlib.footprint.model import UNITS_OF_MEASUREMENT, V2_DECLARED_UNITS
from gxdlib.io.purchases import LEDGER_COLUMNS
from gxdlib.testing.pact_documents import example_pact_v2, example_pact_v3
from gxdlib.timeseries import (
    SLOT,
    SLOTS_PER_DAY,
    TZ,
    fiscal_year_bounds,
    fiscal_year_slots,
    slot_index,
)

__all__ = [
    "FISCAL_YEARS",
    "generation_profiles",
    "jepx_like_prices",
    "pact_footprints",
    "price_years",
    "purchase_ledgers",
    "slot_indexes",
    "slot_prices",
    "solar_like_generation_kwh",
]

FISCAL_YEARS = range(2016, 2031)
"""Fiscal years drawn by default: those of the JEPX files (FY2016-2024) and a few ahead."""

PACT_VERSIONS = ("2.0", "2.1", "2.2", "2.3", "3.0")
"""``specVersion`` (major.minor) values :func:`pact_footprints` can draw."""

PRICE_LEVELS = st.floats(5.0, 25.0)
"""Default price levels [JPY/kWh]: around JEPX's FY2016-2024 system means (7.93 to 20.41)."""

FLOOR_SHARES = st.floats(0.0, 0.3)
"""Default expected shares of slots at the 0.01 floor (Kyushu FY2023: 2,178 of 17,568, JEPX)."""

_SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def _mid_slot_hour(index: pd.DatetimeIndex) -> np.ndarray:
    """Hour of the day [h, JST] at the middle of each slot."""
    local = index.tz_convert(TZ)
    return local.hour.to_numpy() + local.minute.to_numpy() / 60 + 0.25


def _sun(index: pd.DatetimeIndex) -> np.ndarray:
    """Clear-sky shape of each slot [0-1]: 0 at night, 1 at noon JST."""
    return np.clip(np.sin((_mid_slot_hour(index) - 6.0) / 12.0 * np.pi), 0.0, None)


@st.composite
def slot_indexes(
    draw: st.DrawFn,
    *,
    min_slots: int = 1,
    max_slots: int = 4 * SLOTS_PER_DAY,
    fiscal_years: Sequence[int] = FISCAL_YEARS,
) -> pd.DatetimeIndex:
    """Regular 30-minute slot starts, tz ``Asia/Tokyo``, named ``slot_start``.

    At nanosecond resolution, as the readers of :mod:`gxdlib.io` return them.

    Parameters
    ----------
    min_slots, max_slots : int
        Bounds on the number of slots.
    fiscal_years : sequence of int
        Fiscal years the first slot may fall in; the index may run on into
        the next one.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of pandas.DatetimeIndex
        Starting at any slot of any day of the drawn fiscal year.
    """
    year = draw(st.sampled_from(list(fiscal_years)))
    first, end = fiscal_year_bounds(year)
    n_year_slots = (end - first) // SLOT
    start = first + draw(st.integers(0, n_year_slots - 1)) * SLOT
    n_slots = draw(st.integers(min_slots, max_slots))
    return slot_index(start, start + n_slots * SLOT).as_unit("ns")


def jepx_like_prices(
    index: pd.DatetimeIndex,
    rng: np.random.Generator,
    columns: Sequence[str] = ("system",),
    mean_jpy_per_kwh: float = 12.0,
    floor_share: float = 0.05,
) -> pd.DataFrame:
    """Prices shaped like JEPX's: an evening peak, a midday dip to the floor.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Slot starts, tz-aware.
    rng : numpy.random.Generator
        Source of the draws.
    columns : sequence of str
        Price indices (``"system"`` or area names), drawn independently.
    mean_jpy_per_kwh : float
        Typical price level [JPY/kWh] (JEPX's FY2016-2024 system means lie
        between 7.93 and 20.41 JPY/kWh).
    floor_share : float
        Expected share of slots at the 0.01 JPY/kWh floor, 0 to 1/pi; the
        chance peaks at noon and is 0 at night, when solar cannot depress
        prices.

    Returns
    -------
    pandas.DataFrame
        Prices [JPY/kWh] rounded to 0.01 as JEPX publishes them, >= 0.01.
    """
    sun = _sun(index)[:, None]
    hour = _mid_slot_hour(index)[:, None]
    daily = 1.0 + 0.3 * np.cos((hour - 18.0) / 24.0 * 2 * np.pi) - 0.3 * sun
    shape = (len(index), len(columns))
    price = mean_jpy_per_kwh * daily * rng.lognormal(0.0, 0.35, shape)
    # The mean of ``sun`` over a day is 1/pi: scaling by pi makes floor_share the expected share.
    at_floor = rng.random(shape) < floor_share * np.pi * sun
    price = np.where(at_floor, JEPX_PRICE_FLOOR_JPY_PER_KWH, price)
    price = np.maximum(np.round(price, 2), JEPX_PRICE_FLOOR_JPY_PER_KWH)
    return pd.DataFrame(price, index=index, columns=list(columns))


def solar_like_generation_kwh(
    index: pd.DatetimeIndex, rng: np.random.Generator, capacity_kw: float = 1000.0
) -> pd.Series:
    """Solar-like plant output per slot [kWh]: nothing at night, at most capacity x 0.5 h.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Slot starts, tz-aware.
    rng : numpy.random.Generator
        Source of the draws (a clearness per day and a flicker per slot).
    capacity_kw : float
        The plant's capacity [kW].

    Returns
    -------
    pandas.Series
        Named ``generation_kwh``.
    """
    day, days = pd.factorize(index.tz_convert(TZ).normalize())
    clearness = rng.uniform(0.1, 1.0, len(days))[day]
    flicker = rng.uniform(0.8, 1.0, len(index))
    energy = capacity_kw * (SLOT / pd.Timedelta(hours=1)) * _sun(index) * clearness * flicker
    return pd.Series(energy, index=index, name="generation_kwh")


def _draw_index(
    draw: st.DrawFn, index: pd.DatetimeIndex | st.SearchStrategy[pd.DatetimeIndex] | None
) -> pd.DatetimeIndex:
    """``index`` itself, a draw from it if it is a strategy, or a :func:`slot_indexes` draw."""
    if index is None:
        return draw(slot_indexes())
    return draw(index) if isinstance(index, st.SearchStrategy) else index


@st.composite
def slot_prices(
    draw: st.DrawFn,
    index: pd.DatetimeIndex | st.SearchStrategy[pd.DatetimeIndex] | None = None,
    *,
    columns: Sequence[str] = ("system",),
    mean_jpy_per_kwh: st.SearchStrategy[float] = PRICE_LEVELS,
    floor_share: st.SearchStrategy[float] = FLOOR_SHARES,
) -> pd.DataFrame:
    """JEPX-like slot prices [JPY/kWh], on ``index`` or on a drawn :func:`slot_indexes`.

    Parameters
    ----------
    index : pandas.DatetimeIndex or strategy of them, optional
        Slot starts, or a strategy to draw them from (such as
        :func:`slot_indexes` with bounds); ``slot_indexes()`` when not given.
    columns : sequence of str
        Price indices, one column each (``"system"`` or JEPX area names).
    mean_jpy_per_kwh : strategy of float
        Price level [JPY/kWh]; default 5 to 25.
    floor_share : strategy of float
        Expected share of slots at the 0.01 floor; default 0 to 0.3.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of pandas.DataFrame
        As :func:`gxdlib.io.read_jepx_spot` returns prices: >= 0.01, two
        decimals, index named ``slot_start``. See :func:`jepx_like_prices`.
    """
    index = _draw_index(draw, index)
    level = draw(mean_jpy_per_kwh)
    share = draw(floor_share)
    rng = np.random.default_rng(draw(_SEEDS))
    return jepx_like_prices(index, rng, columns, level, share)


def price_years(
    fiscal_years: Sequence[int] = FISCAL_YEARS,
    *,
    columns: Sequence[str] = ("system",),
    mean_jpy_per_kwh: st.SearchStrategy[float] = PRICE_LEVELS,
    floor_share: st.SearchStrategy[float] = FLOOR_SHARES,
) -> st.SearchStrategy[pd.DataFrame]:
    """A whole fiscal year of JEPX-like slot prices [JPY/kWh].

    Parameters
    ----------
    fiscal_years : sequence of int
        Fiscal years to draw from (April to March: 17,520 slots, 17,568 in
        a year with 29 February).
    columns, mean_jpy_per_kwh, floor_share
        As in :func:`slot_prices`.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of pandas.DataFrame
        Indexed by every slot start of the drawn fiscal year.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=2, deadline=None)
    ... @given(price_years([2023], columns=("system", "kyushu")))
    ... def check(prices):
    ...     assert len(prices) == 17_568 and prices.min().min() >= 0.01
    >>> check()
    """
    return st.sampled_from(list(fiscal_years)).flatmap(
        lambda year: slot_prices(
            fiscal_year_slots(year).as_unit("ns"),
            columns=columns,
            mean_jpy_per_kwh=mean_jpy_per_kwh,
            floor_share=floor_share,
        )
    )


@st.composite
def generation_profiles(
    draw: st.DrawFn,
    index: pd.DatetimeIndex | st.SearchStrategy[pd.DatetimeIndex] | None = None,
    *,
    capacity_kw: st.SearchStrategy[float] | float = 1000.0,
) -> pd.Series:
    """Solar-like plant output per slot [kWh], named ``generation_kwh``.

    Parameters
    ----------
    index : pandas.DatetimeIndex or strategy of them, optional
        Slot starts (pass a price frame's index to pair the two), or a
        strategy to draw them from; ``slot_indexes()`` when not given.
    capacity_kw : float or strategy of float
        The plant's capacity [kW]; no slot exceeds capacity x 0.5 h.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of pandas.Series
        Zero at night, positive by day. See :func:`solar_like_generation_kwh`.
    """
    index = _draw_index(draw, index)
    if isinstance(capacity_kw, st.SearchStrategy):
        capacity_kw = draw(capacity_kw)
    rng = np.random.default_rng(draw(_SEEDS))
    return solar_like_generation_kwh(index, rng, capacity_kw)


@st.composite
def purchase_ledgers(
    draw: st.DrawFn,
    *,
    supplier_ids: Sequence[str] = ("S001", "S002"),
    product_ids: Sequence[str | None] = (None, "P-100"),
    sectors: Sequence[str] = ("integrated_circuits", "hot_rolled_steel", "software"),
    quantity_units: Sequence[str] = ("piece", "kg", "t", "h", "kWh"),
    fiscal_years: Sequence[int] = (2022, 2023, 2024, 2025),
    min_lines: int = 1,
    max_lines: int = 30,
    max_spend_jpy: float = 1e9,
    max_quantity: float = 1e6,
) -> pd.DataFrame:
    """Scope 3 category 1 purchase ledgers, as :func:`gxdlib.footprint.scope3_category1` takes them.

    Parameters
    ----------
    supplier_ids, product_ids, sectors, quantity_units, fiscal_years : sequence
        Values each line draws from (``None`` for no product id). A sector
        or unit the factor tables do not know makes a line that cannot be
        assessed, which is worth drawing too.
    min_lines, max_lines : int
        Bounds on the number of lines.
    max_spend_jpy : float
        Largest spend of a line [JPY].
    max_quantity : float
        Largest quantity of a line, in its ``quantity_unit``.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of pandas.DataFrame
        Columns :data:`gxdlib.io.purchases.LEDGER_COLUMNS`; about one line in
        three has no quantity and no unit (bought by spend only). The index,
        ``line_id``, is unique but neither sorted nor positional, so code
        that confuses labels with positions fails.
    """
    line = st.tuples(
        st.sampled_from(list(supplier_ids)),
        st.sampled_from(list(product_ids)),
        st.sampled_from(list(sectors)),
        st.one_of(st.none(), st.floats(0.0, max_quantity), st.floats(0.0, max_quantity)),
        st.sampled_from(list(quantity_units)),
        st.floats(0.0, max_spend_jpy),
        st.sampled_from(list(fiscal_years)),
    )
    rows = draw(st.lists(line, min_size=min_lines, max_size=max_lines))
    frame = pd.DataFrame(
        rows,
        columns=["supplier_id", "product_id", "sector", "quantity", "quantity_unit",
                 "spend_jpy", "fiscal_year"],
    )  # fmt: skip
    frame["quantity"] = frame["quantity"].astype(float)
    frame["quantity_unit"] = frame["quantity_unit"].where(frame["quantity"].notna())
    frame["supplier_name"] = "Supplier " + frame["supplier_id"]
    frame["description"] = "Purchase of " + frame["sector"]
    frame["fiscal_year"] = frame["fiscal_year"].astype(int)
    order = np.random.default_rng(draw(_SEEDS)).permutation(len(frame))
    frame.index = pd.Index(order * 7 + 1, name="line_id")
    return frame[list(LEDGER_COLUMNS)]


def _decimal_strings(low_thousandths: int, high_thousandths: int) -> st.SearchStrategy[str]:
    """Decimal strings with three places, as PACT writes numbers ("12.500")."""
    return st.integers(low_thousandths, high_thousandths).map(lambda k: str(Decimal(k).scaleb(-3)))


def _hundredths(low: int, high: int) -> st.SearchStrategy[float]:
    """JSON numbers with two decimals, as v2 writes shares and DQRs (no subnormal floats)."""
    return st.integers(low * 100, high * 100).map(lambda k: k / 100)


def _valid_pact(draw: st.DrawFn, version: str) -> dict:
    major, minor = version.split(".")
    year = draw(st.integers(2015, 2025))
    if major == "2":
        doc = example_pact_v2(
            draw(st.sampled_from(V2_DECLARED_UNITS)),
            unitaryProductAmount=draw(_decimal_strings(1, 10**6)),
            pCfExcludingBiogenic=draw(_decimal_strings(0, 10**7)),
            fossilGhgEmissions=draw(_decimal_strings(0, 10**7)),
            primaryDataShare=draw(_hundredths(0, 100)),
        )
        doc["version"] = draw(st.integers(0, 100))
        doc["pcf"]["dqi"] = {
            key: draw(_hundredths(1, 3)) for key in doc["pcf"]["dqi"] if key.endswith("DQR")
        } | {"coveragePercent": draw(_hundredths(0, 100))}
    else:
        doc = example_pact_v3(
            draw(st.sampled_from(UNITS_OF_MEASUREMENT)),
            draw(_decimal_strings(1, 10**6)),
            draw(_decimal_strings(-(10**6), 10**7)),
            fossilGhgEmissions=draw(_decimal_strings(0, 10**7)),
            primaryDataShare=draw(_decimal_strings(0, 100_000)),
        )
        doc["pcf"]["dqi"] = {key: draw(_decimal_strings(1000, 5000)) for key in doc["pcf"]["dqi"]}
    doc["specVersion"] = f"{major}.{minor}.0"
    doc["id"] = str(draw(st.uuids()))
    doc["pcf"]["referencePeriodStart"] = f"{year}-01-01T00:00:00Z"
    doc["pcf"]["referencePeriodEnd"] = f"{year + 1}-01-01T00:00:00Z"
    return doc


def _break_pact(draw: st.DrawFn, doc: dict) -> dict:
    """``doc`` with exactly one violation of its version's schema."""
    v2 = doc["specVersion"].startswith("2.")
    pcf = doc["pcf"]
    unit_field = "declaredUnit" if v2 else "declaredUnitOfMeasurement"
    amount_field = "unitaryProductAmount" if v2 else "declaredUnitAmount"
    value_field = "pCfExcludingBiogenic" if v2 else "pcfExcludingBiogenicUptake"
    breakages = {
        "missing id": lambda: doc.pop("id"),
        "missing companyName": lambda: doc.pop("companyName"),
        "missing PCF value": lambda: pcf.pop(value_field),
        "unknown unit": lambda: pcf.update({unit_field: "box"}),
        "zero amount": lambda: pcf.update({amount_field: "0"}),
        "negative fossil emissions": lambda: pcf.update({"fossilGhgEmissions": "-1.5"}),
        "number for a decimal string": lambda: pcf.update({"fossilGhgEmissions": 1.5}),
        "primary data share over 100": lambda: pcf.update(
            {"primaryDataShare": 100.5 if v2 else "100.5"}
        ),
        "id not a UUID": lambda: doc.update({"id": "not-a-uuid"}),
        "reference period backwards": lambda: pcf.update(
            {"referencePeriodEnd": pcf["referencePeriodStart"]}
        ),
        "unsupported specVersion": lambda: doc.update({"specVersion": "2.4.0" if v2 else "3.1.0"}),
    }
    breakages[draw(st.sampled_from(sorted(breakages)))]()
    return doc


@st.composite
def _pact_documents(draw: st.DrawFn, version: str, valid: bool) -> dict:
    doc = _valid_pact(draw, version)
    return doc if valid else _break_pact(draw, doc)


def pact_footprints(version: str = "3.0", valid: bool = True) -> st.SearchStrategy[dict]:
    """One PACT ProductFootprint document (a dict, as decoded JSON).

    Parameters
    ----------
    version : {"2.0", "2.1", "2.2", "2.3", "3.0"}
        The ``specVersion`` drawn (patch 0).
    valid : bool
        True: a document :func:`gxdlib.io.read_pact` accepts, with drawn id,
        declared unit, amount, PCF, fossil emissions, primary data share,
        DQRs within the version's scale and a one-year reference period.
        False: such a document with exactly one violation that ``read_pact``
        must refuse with a :class:`~gxdlib.errors.ValidationError` (a
        required field missing, a unit outside the version's list, a zero
        amount, a negative emission, a JSON number where a decimal string is
        required, a share above 100 %, an id that is not a UUID, a reference
        period ending where it starts, an unsupported ``specVersion``).

    Returns
    -------
    hypothesis.strategies.SearchStrategy of dict

    Raises
    ------
    ValidationError
        If ``version`` is not one of :data:`PACT_VERSIONS`.
    """
    if version not in PACT_VERSIONS:
        raise ValidationError(f"version must be one of {PACT_VERSIONS}, got {version!r}")
    return _pact_documents(version, valid)

"""The generator's feed-in premium (FIP), Japan's scheme since April 2022.

The rule (METI Agency for Natural Resources and Energy, FIP page
https://www.enecho.meti.go.jp/category/saving_and_new/saiene/kaitori/FIP_index.html;
the reference-price formula as set by METI's 再エネ大量導入・次世代電力ネットワーク
小委員会 of 13 January 2021, explained by the New Energy Foundation,
https://www.nef.or.jp/keyword/abc/articles_f_01_04.html):

- premium per kWh = base price (FIP price, 基準価格) - reference price
  (参照価格), fixed per month and paid monthly on the kWh sold; never
  negative: when the reference exceeds the base price no premium is paid;
- reference price = market reference + non-fossil value - balancing cost;
- market reference of month m of fiscal year Y =
  the previous fiscal year's annual mean market price (前年度年間平均市場価格)
  + the monthly correction (月間補正価格): the mean market price of month m
  (当年度月間平均市場価格) minus that of the same month of fiscal year Y-1
  (前年度月間平均市場価格). Anchoring on the previous year keeps the premium
  from swinging with the seasons; the correction passes on the market's
  movement since then;
- for solar each of these means is weighted by the area's solar output in
  its period (tensor energy's FIP calculation notes,
  https://docs.tensorenergy.jp/en/technology/simulations/fip, which also
  give the market price of a slot as the volume-weighted mean of the spot
  and intraday prices);
- no premium is paid for electricity sold in slots where the JEPX spot
  price is at its 0.01 JPY/kWh floor.

JEPX publishes the market price of the formula per slot and area as
"FIP参照価格(卸電力取引市場分)" in ``fit_fip_<FY>.csv`` (FY2022 onwards, read by
:func:`gxdlib.io.jepx.read_jepx_fip_reference`). It is not the spot price:
for Kyushu it equals the spot area price in 69 %, 60 % and 59 % of the slots
of FY2022, FY2023 and FY2024 and differs by up to 2.47, 1.14 and 5.55 JPY/kWh; it is at
0.01 in only 978 of the 1,909 FY2022 slots where the spot price is (1,692 of
2,178 in FY2023); the national value equals the national avoidable cost
(回避可能原価) in every slot (computed from JEPX's files). That fits the
volume-weighted spot and intraday mean above; so the spot price, not this
value, decides the 0.01 slots.

Where the reference comes from is stated in every result
(``reference_source``): ``official`` for monthly values the caller takes
from the official publication, ``jepx`` for the formula over JEPX's
published per-slot values, ``computed`` for the formula over spot prices
alone (a fallback that lacks the intraday market).

Not modelled: some practitioners' models (tensor energy, above) raise the
premium of a month's other slots by the ratio of the area's solar output in
the month to its output outside 0.01 slots; no official text confirming it
was found, so a premium here is the lower figure if that adjustment applies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gxdlib.areas import AT_FLOOR_JPY_PER_KWH
from gxdlib.errors import ValidationError
from gxdlib.timeseries import (
    TZ,
    check_generation,
    fiscal_year,
    fiscal_year_slots,
    jst_index,
    slot_index,
)
from gxdlib.vppa.settlement import index_prices, month_start

REFERENCE_SOURCES = ("official", "jepx", "computed")
"""Values of ``reference_source`` in :func:`fip_premium`'s result."""


def _months(index: pd.Index, what: str) -> pd.DatetimeIndex:
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise ValidationError(f"{what}: the index must be a tz-aware DatetimeIndex (Asia/Tokyo)")
    return month_start(index)


def _needed_slots(months: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Every slot of the fiscal years before ``months`` and of ``months`` themselves."""
    previous = [fiscal_year_slots(year - 1) for year in np.unique(fiscal_year(months))]
    own = [slot_index(m, m + pd.DateOffset(months=1)) for m in months]
    starts = np.unique(np.concatenate([i.as_unit("ns").asi8 for i in previous + own]))
    return jst_index(starts)


def _slot_values(series: pd.Series, what: str, slots: pd.DatetimeIndex) -> np.ndarray:
    """``series`` at every one of ``slots``, finite and >= 0, or a refusal naming the gap."""
    if not isinstance(series, pd.Series):
        raise ValidationError(
            f"{what} must be a pandas Series per slot, got {type(series).__name__}"
        )
    index = series.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise ValidationError(f"{what}: the index must be tz-aware slot starts (Asia/Tokyo)")
    missing = ~slots.isin(index)
    if missing.any():
        first = ", ".join(str(t) for t in slots[missing][:3])
        raise ValidationError(
            f"{what}: the official formula needs every slot of the previous fiscal year and "
            f"of the months priced; {int(missing.sum())} are missing, first at {first}"
        )
    if index.has_duplicates:
        raise ValidationError(f"{what}: duplicate slots, first at {index[index.duplicated()][0]}")
    try:
        numbers = series.to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{what} must be numeric: {exc}") from exc
    values = pd.Series(numbers, index=index).reindex(slots).to_numpy()
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        raise ValidationError(
            f"{what}: expected finite values >= 0; {int(bad.sum())} are not, "
            f"first at {slots[bad][0]}"
        )
    return values


def market_reference(
    slot_prices: pd.Series,
    months: pd.DatetimeIndex,
    weights_kwh: pd.Series | None = None,
    *,
    what: str = "slot_prices",
) -> pd.DataFrame:
    """The monthly market reference by the official formula [JPY/kWh].

    For month m of fiscal year Y: the weighted mean price of fiscal year Y-1,
    plus the weighted mean of month m, minus that of the same month a year
    earlier (see the module docstring for the rule and its sources).

    Parameters
    ----------
    slot_prices : pandas.Series
        Market price per 30-minute slot [JPY/kWh], tz-aware: JEPX's FIP
        reference (market component) of the area, or spot prices. It must
        cover every slot of each previous fiscal year and of each month.
    months : pandas.DatetimeIndex
        Any instants of the months wanted, tz-aware.
    weights_kwh : pandas.Series, optional
        Weight of each slot over the same span [kWh]: the area's solar output
        for solar. Time-weighted (every slot alike) when not given.
    what : str
        Name of ``slot_prices`` in messages.

    Returns
    -------
    pandas.DataFrame
        Per month (index ``month``, first instant): ``previous_year_mean_jpy_per_kwh``,
        ``month_mean_jpy_per_kwh``, ``previous_year_month_mean_jpy_per_kwh`` and
        ``market_reference_jpy_per_kwh``.

    Raises
    ------
    ValidationError
        For a naive index, a slot missing from the span needed, a price or
        weight that is NaN, negative or infinite, or weights summing to zero
        over a month or a year.

    Examples
    --------
    FY2022 at 10 JPY/kWh except May 2022 at 13; May 2023 at 15:

    >>> slots = pd.date_range("2022-04-01", "2023-06-01", freq="30min", inclusive="left", tz=TZ)
    >>> prices = pd.Series(10.0, index=slots)
    >>> prices[(slots >= "2022-05-01") & (slots < "2022-06-01")] = 13.0
    >>> prices[slots >= "2023-05-01"] = 15.0
    >>> may = market_reference(prices, pd.DatetimeIndex(["2023-05-01"], tz=TZ))
    >>> round(float(may["previous_year_mean_jpy_per_kwh"].iloc[0]), 4)  # 10 + 3 x 31/365
    10.2548
    >>> round(float(may["market_reference_jpy_per_kwh"].iloc[0]), 4)  # + (15 - 13)
    12.2548
    """
    months = _months(pd.DatetimeIndex(months), "months").unique()
    slots = _needed_slots(months)
    prices = _slot_values(slot_prices, what, slots)
    weights = (
        np.ones(len(slots))
        if weights_kwh is None
        else _slot_values(weights_kwh, "weights_kwh", slots)
    )
    frame = pd.DataFrame({"weighted": prices * weights, "weight": weights})
    per_month = frame.groupby(np.asarray(month_start(slots))).sum()
    per_year = frame.groupby(np.asarray(fiscal_year(slots))).sum()
    for name, sums in (("month", per_month), ("fiscal year", per_year)):
        empty = sums.index[sums["weight"] <= 0]
        if len(empty):
            raise ValidationError(f"weights_kwh sum to zero in {name}(s) {list(empty)}")
    month_mean = per_month["weighted"] / per_month["weight"]
    year_mean = per_year["weighted"] / per_year["weight"]
    month_mean.index = pd.DatetimeIndex(month_mean.index).tz_convert(TZ)
    out = pd.DataFrame(index=months)
    out["previous_year_mean_jpy_per_kwh"] = year_mean.reindex(fiscal_year(months) - 1).to_numpy()
    out["month_mean_jpy_per_kwh"] = month_mean.reindex(months).to_numpy()
    out["previous_year_month_mean_jpy_per_kwh"] = month_mean.reindex(
        months - pd.DateOffset(years=1)
    ).to_numpy()
    out["market_reference_jpy_per_kwh"] = (
        out["previous_year_mean_jpy_per_kwh"]
        + out["month_mean_jpy_per_kwh"]
        - out["previous_year_month_mean_jpy_per_kwh"]
    )
    return out


def _official_monthly(official_reference: pd.Series, months: pd.DatetimeIndex) -> np.ndarray:
    """The caller's official market reference of each month [JPY/kWh]."""
    if not isinstance(official_reference, pd.Series):
        raise ValidationError(
            f"official_reference must be a pandas Series per month, "
            f"got {type(official_reference).__name__}"
        )
    given = _months(official_reference.index, "official_reference")
    if given.has_duplicates:
        raise ValidationError(
            f"official_reference: more than one value for month(s) "
            f"{sorted({str(m.date()) for m in given[given.duplicated()]})}"
        )
    monthly = pd.Series(official_reference.to_numpy(dtype=float), index=given).reindex(months)
    lacking = months[~np.isfinite(monthly.to_numpy())]
    if len(lacking):
        raise ValidationError(
            f"official_reference lacks a finite value for month(s) "
            f"{[str(m.date()) for m in lacking]}"
        )
    return monthly.to_numpy()


def _finite(value: float, name: str) -> float:
    if not np.isfinite(value):
        raise ValidationError(f"{name} must be a finite number [JPY/kWh], got {value!r}")
    return float(value)


def fip_premium(
    generation_kwh: pd.Series,
    spot_prices: pd.Series,
    base_price_jpy_per_kwh: float,
    balancing_cost_jpy_per_kwh: float,
    *,
    non_fossil_value_jpy_per_kwh: float = 0.0,
    official_reference: pd.Series | None = None,
    jepx_reference: pd.Series | None = None,
    weights_kwh: pd.Series | None = None,
) -> pd.DataFrame:
    """The generator's monthly FIP premium under the rule in the module docstring.

    The market reference is taken, in this order, from ``official_reference``
    (``reference_source`` ``official``), from the official formula over
    ``jepx_reference`` (``jepx``), or from the formula over ``spot_prices``
    (``computed``).

    Parameters
    ----------
    generation_kwh : pandas.Series
        Electricity sold per 30-minute slot [kWh], tz-aware.
    spot_prices : pandas.Series
        The area's JEPX spot price per slot [JPY/kWh]; it decides the 0.01
        slots, and feeds the formula when no other reference is given (then
        it must cover the previous fiscal year as well).
    base_price_jpy_per_kwh : float
        The plant's base price (FIP price) [JPY/kWh].
    balancing_cost_jpy_per_kwh : float
        Balancing cost deducted in the reference [JPY/kWh]; for solar and
        wind 1.0 in FY2022, then decreasing (nef.or.jp).
    non_fossil_value_jpy_per_kwh : float
        Non-fossil value added in the reference [JPY/kWh].
    official_reference : pandas.Series, optional
        The official market reference per month [JPY/kWh], indexed by any
        instant of each month, as published for the plant's area and source.
    jepx_reference : pandas.Series, optional
        JEPX's FIP reference price (market component) of the plant's area per
        slot [JPY/kWh], over the previous fiscal year and the months sold.
    weights_kwh : pandas.Series, optional
        Weights of the formula's means over the same span [kWh]: for solar,
        the area's solar output. Time-weighted when not given.

    Returns
    -------
    pandas.DataFrame
        Per month (index ``month``): ``generation_kwh``, ``floor_slots``
        (slots with the spot price at 0.01), ``eligible_kwh`` (sold outside
        them), ``market_reference_jpy_per_kwh``, ``reference_source``,
        ``reference_price_jpy_per_kwh``, ``premium_jpy_per_kwh`` (>= 0) and
        ``premium_jpy``.

    Raises
    ------
    ValidationError
        For a non-finite price argument, both ``official_reference`` and
        ``jepx_reference``, ``weights_kwh`` with an official reference (it is
        weighted already), or any refusal of :func:`market_reference`.

    Examples
    --------
    >>> slots = pd.date_range("2023-05-01 11:00", periods=3, freq="30min", tz="Asia/Tokyo")
    >>> out = fip_premium(
    ...     pd.Series([100.0, 200.0, 100.0], index=slots),
    ...     pd.Series([8.0, 0.01, 9.0], index=slots),
    ...     base_price_jpy_per_kwh=10.0,
    ...     balancing_cost_jpy_per_kwh=1.0,
    ...     official_reference=pd.Series([7.5], index=slots[:1]),
    ... )
    >>> out["reference_source"].iloc[0]
    'official'
    >>> float(out["premium_jpy_per_kwh"].iloc[0])  # 10 - (7.5 - 1)
    3.5
    >>> float(out["premium_jpy"].iloc[0])  # the 200 kWh of the 0.01 slot earn nothing
    700.0
    """
    base = _finite(base_price_jpy_per_kwh, "base_price_jpy_per_kwh")
    balancing = _finite(balancing_cost_jpy_per_kwh, "balancing_cost_jpy_per_kwh")
    non_fossil = _finite(non_fossil_value_jpy_per_kwh, "non_fossil_value_jpy_per_kwh")
    generation = check_generation(generation_kwh)
    slots = generation.index
    spot = index_prices(spot_prices, "spot_prices", slots)
    months = month_start(slots).unique()
    if official_reference is not None:
        if jepx_reference is not None:
            raise ValidationError("give official_reference or jepx_reference, not both")
        if weights_kwh is not None:
            raise ValidationError(
                "weights_kwh weight the formula; official_reference is weighted already"
            )
        market, source = _official_monthly(official_reference, months), "official"
    elif jepx_reference is not None:
        reference = market_reference(jepx_reference, months, weights_kwh, what="jepx_reference")
        market, source = reference["market_reference_jpy_per_kwh"].to_numpy(), "jepx"
    else:
        reference = market_reference(spot_prices, months, weights_kwh, what="spot_prices")
        market, source = reference["market_reference_jpy_per_kwh"].to_numpy(), "computed"
    at_floor = spot <= AT_FLOOR_JPY_PER_KWH
    values = generation.to_numpy()
    per_slot = pd.DataFrame(
        {
            "generation_kwh": values,
            "floor_slots": at_floor.astype(int),
            "eligible_kwh": np.where(at_floor, 0.0, values),
        }
    )
    out = per_slot.groupby(np.asarray(month_start(slots))).sum()
    out.index = pd.DatetimeIndex(out.index).tz_convert(TZ).rename("month")
    out["market_reference_jpy_per_kwh"] = market
    out["reference_source"] = source
    out["reference_price_jpy_per_kwh"] = market + non_fossil - balancing
    out["premium_jpy_per_kwh"] = np.maximum(base - out["reference_price_jpy_per_kwh"], 0.0)
    out["premium_jpy"] = out["premium_jpy_per_kwh"] * out["eligible_kwh"]
    return out

"""The generator's feed-in premium (FIP), Japan's scheme since April 2022.

Rule modelled (METI Agency for Natural Resources and Energy, FIP page
https://www.enecho.meti.go.jp/category/saving_and_new/saiene/kaitori/FIP_index.html;
explained by the New Energy Foundation, nef.or.jp):

- premium per kWh = base price (FIP price, 基準価格) - reference price
  (参照価格), set per month and paid monthly on the kWh sold; it is never
  negative: when the reference exceeds the base price no premium is paid;
- reference price = market reference price + non-fossil value - balancing
  cost; for solar the market reference weights the area's prices by the
  area's solar output;
- no premium is paid for electricity sold in slots where the JEPX spot
  price is at its 0.01 JPY/kWh floor.

JEPX publishes the market component per slot and area (``fit_fip_<FY>.csv``,
read by :func:`gxdlib.io.jepx.read_jepx_fip_reference`). The official market
reference also carries the previous year's annual mean with a monthly
correction; callers holding the official monthly values pass them directly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gxdlib.errors import ValidationError
from gxdlib.timeseries import SLOT, TZ
from gxdlib.vppa.settlement import AT_FLOOR_JPY_PER_KWH, check_generation, index_prices, month_start


def _monthly_market_reference(
    fip_reference: pd.Series, slots: pd.DatetimeIndex, weights_kwh: pd.Series | None
) -> pd.Series:
    """The market reference per month [JPY/kWh], from slot or monthly values."""
    index = fip_reference.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise ValidationError("fip_reference: the index must be tz-aware (Asia/Tokyo)")
    months = month_start(slots).unique()
    if len(index) > 1 and np.all(np.diff(index.as_unit("ns").asi8) == SLOT.value):
        reference = index_prices(fip_reference, "fip_reference", slots)
        weights = (
            np.ones(len(slots))
            if weights_kwh is None
            else index_prices(weights_kwh, "weights_kwh", slots)
        )
        frame = pd.DataFrame({"value": reference * weights, "weight": weights})
        sums = frame.groupby(np.asarray(month_start(slots))).sum()
        if (sums["weight"] <= 0).any():
            raise ValidationError(
                f"weights_kwh sum to zero in month(s) {list(sums.index[sums['weight'] <= 0])}"
            )
        return (sums["value"] / sums["weight"]).set_axis(months)
    monthly = fip_reference.copy()
    monthly.index = month_start(index)
    missing = ~months.isin(monthly.index)
    if missing.any() or monthly.isna().any():
        raise ValidationError(
            f"fip_reference (monthly) lacks a value for months {list(months[missing])}"
        )
    return monthly.reindex(months)


def fip_premium(
    generation_kwh: pd.Series,
    fip_reference: pd.Series,
    base_price_jpy_per_kwh: float,
    balancing_cost_jpy_per_kwh: float,
    *,
    non_fossil_value_jpy_per_kwh: float = 0.0,
    spot_prices: pd.Series | None = None,
    weights_kwh: pd.Series | None = None,
) -> pd.DataFrame:
    """The generator's monthly FIP premium under the rule in the module docstring.

    Parameters
    ----------
    generation_kwh : pandas.Series
        Electricity sold per 30-minute slot [kWh], tz-aware.
    fip_reference : pandas.Series
        Market reference price [JPY/kWh]: either per slot (JEPX's FIP
        reference, market component, of the plant's area), averaged per
        month with ``weights_kwh``, or one value per month (indexed by any
        instant of the month, e.g. its first).
    base_price_jpy_per_kwh : float
        The plant's base price (FIP price) [JPY/kWh].
    balancing_cost_jpy_per_kwh : float
        Balancing cost deducted in the reference [JPY/kWh]; for solar and
        wind 1.0 in FY2022, then decreasing (nef.or.jp).
    non_fossil_value_jpy_per_kwh : float
        Non-fossil value added in the reference [JPY/kWh].
    spot_prices : pandas.Series, optional
        The area's spot price per slot [JPY/kWh], which decides the 0.01
        slots; by default the per-slot ``fip_reference`` decides.
    weights_kwh : pandas.Series, optional
        Weights of the monthly market reference (for solar, the area's
        solar output); time-weighted when not given.

    Returns
    -------
    pandas.DataFrame
        Per month (index ``month``): ``generation_kwh``, ``floor_slots``,
        ``eligible_kwh`` (outside 0.01 slots),
        ``market_reference_jpy_per_kwh``, ``reference_price_jpy_per_kwh``,
        ``premium_jpy_per_kwh`` (>= 0) and ``premium_jpy``.

    Examples
    --------
    >>> slots = pd.date_range("2022-04-01 12:00", periods=2, freq="30min", tz="Asia/Tokyo")
    >>> out = fip_premium(
    ...     pd.Series([10.0, 20.0], index=slots),
    ...     pd.Series([8.0, 0.01], index=slots),
    ...     base_price_jpy_per_kwh=10.0,
    ...     balancing_cost_jpy_per_kwh=1.0,
    ... )
    >>> float(out["premium_jpy_per_kwh"].iloc[0])  # 10 - ((8 + 0.01) / 2 - 1)
    6.995
    >>> float(out["premium_jpy"].iloc[0])  # the 0.01 slot earns nothing
    69.95
    """
    generation = check_generation(generation_kwh)
    slots = generation.index
    if spot_prices is not None:
        floor_prices = index_prices(spot_prices, "spot_prices", slots)
    elif len(fip_reference) > 1 and np.all(
        np.diff(fip_reference.index.as_unit("ns").asi8) == SLOT.value
    ):
        floor_prices = index_prices(fip_reference, "fip_reference", slots)
    else:
        raise ValidationError(
            "fip_reference is monthly: give spot_prices per slot to find the 0.01 slots"
        )
    market = _monthly_market_reference(fip_reference, slots, weights_kwh)
    at_floor = floor_prices <= AT_FLOOR_JPY_PER_KWH
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
    out["market_reference_jpy_per_kwh"] = market.to_numpy()
    out["reference_price_jpy_per_kwh"] = (
        out["market_reference_jpy_per_kwh"]
        + non_fossil_value_jpy_per_kwh
        - balancing_cost_jpy_per_kwh
    )
    out["premium_jpy_per_kwh"] = np.maximum(
        base_price_jpy_per_kwh - out["reference_price_jpy_per_kwh"], 0.0
    )
    out["premium_jpy"] = out["premium_jpy_per_kwh"] * out["eligible_kwh"]
    return out

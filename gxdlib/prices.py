"""Statistics of JEPX price frames: what the overview and the market notebook report.

All functions take frames in the layout of :func:`gxdlib.io.read_jepx_spot`:
a tz-aware DatetimeIndex of slot starts and numeric prices [JPY/kWh]. A
missing price (NaN: an area suspended) is allowed and left out of means; an
infinite price, text, or an index that is not tz-aware is refused with a
:class:`~gxdlib.errors.ValidationError` naming the column and the first slot.
"""

from __future__ import annotations

import pandas as pd

from gxdlib.areas import AREAS, JEPX_PRICE_FLOOR_JPY_PER_KWH, PRICE_INDICES
from gxdlib.checks import numeric_values, require_finite
from gxdlib.errors import ValidationError
from gxdlib.timeseries import fiscal_year, require_tz_index


def _checked(prices: pd.Series | pd.DataFrame, required: tuple[str, ...] = ()) -> None:
    """Refuse what the statistics would turn into wrong numbers (see the module doc)."""
    if not isinstance(prices, pd.Series | pd.DataFrame):
        raise ValidationError(
            f"prices must be a pandas Series or DataFrame, got {type(prices).__name__}"
        )
    index = require_tz_index(prices.index, "prices (slot starts)")
    frame = prices.to_frame() if isinstance(prices, pd.Series) else prices
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValidationError(f"prices lack column(s) {', '.join(missing)}")
    for column in frame.columns:
        what = f"prices ({column!r})"
        require_finite(numeric_values(frame[column], what, "JPY/kWh"), index, what, allow_nan=True)


def floor_slots(prices_jpy_per_kwh: pd.Series | pd.DataFrame) -> pd.Series | int:
    """Number of slots at the JEPX floor of 0.01 JPY/kWh (per column for a frame)."""
    _checked(prices_jpy_per_kwh)
    at_floor = prices_jpy_per_kwh == JEPX_PRICE_FLOOR_JPY_PER_KWH
    return at_floor.sum() if isinstance(at_floor, pd.DataFrame) else int(at_floor.sum())


def price_summary(prices_jpy_per_kwh: pd.Series) -> dict[str, float]:
    """Mean, highest and lowest price [JPY/kWh], slots at the floor and slots in all.

    Missing prices (a suspended area) are left out of the mean and counted apart;
    without any price the mean, highest and lowest are NaN.
    """
    _checked(prices_jpy_per_kwh)
    return {
        "mean_jpy_per_kwh": float(prices_jpy_per_kwh.mean()),
        "max_jpy_per_kwh": float(prices_jpy_per_kwh.max()),
        "min_jpy_per_kwh": float(prices_jpy_per_kwh.min()),
        "floor_slots": floor_slots(prices_jpy_per_kwh),
        "missing_slots": int(prices_jpy_per_kwh.isna().sum()),
        "slots": int(prices_jpy_per_kwh.size),
    }


def monthly_mean_prices(prices: pd.DataFrame) -> pd.DataFrame:
    """Time-weighted mean price of each calendar month [JPY/kWh], one column per price index.

    Returns
    -------
    pandas.DataFrame
        A ``month`` column (``YYYY-MM``) and the columns of ``PRICE_INDICES``.
    """
    _checked(prices)
    columns = [c for c in PRICE_INDICES if c in prices.columns]
    month = prices.index.strftime("%Y-%m")
    return prices[columns].groupby(month).mean().rename_axis("month").reset_index()


def fiscal_year_statistics(prices: pd.DataFrame) -> pd.DataFrame:
    """Per fiscal year: mean system price, its maximum, floor slots and area spreads.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``fiscal_year``: ``mean_system_jpy_per_kwh``,
        ``max_system_jpy_per_kwh``, ``system_floor_slots``, ``kyushu_floor_slots``,
        ``slots``, and ``spread_<area>_jpy_per_kwh``, the mean of area minus
        system price [JPY/kWh] for each of the nine areas.
    """
    _checked(prices, required=("system", *AREAS))
    years = fiscal_year(prices.index)
    grouped = prices.groupby(years.to_numpy())
    table = pd.DataFrame(
        {
            "mean_system_jpy_per_kwh": grouped["system"].mean(),
            "max_system_jpy_per_kwh": grouped["system"].max(),
            "system_floor_slots": grouped["system"].apply(floor_slots),
            "kyushu_floor_slots": grouped["kyushu"].apply(floor_slots),
            "slots": grouped.size(),
        }
    )
    spreads = prices[list(AREAS)].sub(prices["system"], axis=0).groupby(years.to_numpy()).mean()
    table = table.join(spreads.add_prefix("spread_").add_suffix("_jpy_per_kwh"))
    return table.rename_axis("fiscal_year")

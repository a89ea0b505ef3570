"""Statistics of JEPX price frames: what the overview and the market notebook report.

All functions take frames in the layout of :func:`gxdlib.io.read_jepx_spot`.
"""

from __future__ import annotations

import pandas as pd

from gxdlib.areas import AREAS, JEPX_PRICE_FLOOR_JPY_PER_KWH, PRICE_INDICES
from gxdlib.timeseries import fiscal_year


def floor_slots(prices_jpy_per_kwh: pd.Series | pd.DataFrame) -> pd.Series | int:
    """Number of slots at the JEPX floor of 0.01 JPY/kWh (per column for a frame)."""
    at_floor = prices_jpy_per_kwh == JEPX_PRICE_FLOOR_JPY_PER_KWH
    return at_floor.sum() if isinstance(at_floor, pd.DataFrame) else int(at_floor.sum())


def price_summary(prices_jpy_per_kwh: pd.Series) -> dict[str, float]:
    """Mean, highest and lowest price [JPY/kWh], slots at the floor and slots in all.

    Missing prices (a suspended area) are left out of the mean and counted apart.
    """
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

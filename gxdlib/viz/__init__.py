"""Plot builders shared by notebooks and dashboards (HoloViews, Bokeh backend).

This module holds the market-price plots; :mod:`gxdlib.viz.vppa` and
:mod:`gxdlib.viz.footprint` hold those of their capabilities.

Each builder takes tidy data and plain labels and returns a HoloViews object;
it computes nothing a domain function should.
"""

from __future__ import annotations

import holoviews as hv
import numpy as np
import pandas as pd

from gxdlib.errors import ValidationError
from gxdlib.timeseries import TZ
from gxdlib.viz.backend import bokeh_builder

PRICE_CMAP = "viridis"


@bokeh_builder
def price_heatmap(
    prices_jpy_per_kwh: pd.Series, *, title: str, xlabel: str, ylabel: str, clabel: str
) -> hv.Image:
    """Price by day (x) and slot start of the day (y).

    Parameters
    ----------
    prices_jpy_per_kwh : pandas.Series
        Prices per slot [JPY/kWh], indexed by tz-aware slot starts.
    title, xlabel, ylabel, clabel : str
        Title, axis and colour bar labels.
    """
    index = prices_jpy_per_kwh.index.tz_convert(TZ)
    days = index.normalize().unique()
    if len(index) != 48 * len(days):
        raise ValidationError("price_heatmap: expected whole days of 48 slots")
    grid = prices_jpy_per_kwh.to_numpy(dtype=float).reshape(len(days), 48).T
    # Pixel centres: noon of each day (x) and the middle of each slot (y, hours).
    day_centres = (days.tz_localize(None) + pd.Timedelta(hours=12)).to_numpy()
    slot_centres = np.arange(48) / 2.0 + 0.25
    image = hv.Image((day_centres, slot_centres, grid), kdims=["day", "slot_hour"], vdims=["price"])
    return image.opts(
        cmap=PRICE_CMAP,
        colorbar=True,
        clabel=clabel,
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        responsive=True,
        height=380,
        tools=["hover"],
        invert_yaxis=True,
        yticks=[0, 6, 12, 18, 24],
    )


@bokeh_builder
def duration_curve(
    prices_jpy_per_kwh: pd.Series, *, title: str, xlabel: str, ylabel: str
) -> hv.Curve:
    """Prices sorted from highest to lowest against the share of slots [%]."""
    # Sorted descending into a fresh contiguous array (Bokeh does not serialise strided views).
    ordered = -np.sort(-prices_jpy_per_kwh.dropna().to_numpy(dtype=float))
    share_pct = (np.arange(ordered.size) + 0.5) / ordered.size * 100.0
    return hv.Curve((share_pct, ordered), kdims=["share_pct"], vdims=["price"]).opts(
        title=title, xlabel=xlabel, ylabel=ylabel, responsive=True, height=300, tools=["hover"]
    )


@bokeh_builder
def monthly_bars(
    monthly: pd.DataFrame, *, value: str, title: str, xlabel: str, ylabel: str
) -> hv.Bars:
    """Bars of one value per month; ``monthly`` has a ``month`` column (``YYYY-MM``)."""
    return hv.Bars(monthly, kdims=["month"], vdims=[value]).opts(
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        xrotation=45,
        responsive=True,
        height=300,
        tools=["hover"],
    )

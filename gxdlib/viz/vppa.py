"""Plot and table builders for virtual PPA results (notebooks and the VPPA page).

Builders take results of :mod:`gxdlib.vppa` and plain labels and return
HoloViews objects or display frames; they lay results out, they do not settle.
Sign convention as in :mod:`gxdlib.vppa`: a settlement is positive when the
buyer receives money from the generator.
"""

from __future__ import annotations

import holoviews as hv
import numpy as np
import pandas as pd

from gxdlib.timeseries import TZ
from gxdlib.viz.backend import bokeh_builder, legend_below
from gxdlib.vppa import RiskResult, SettlementResult
from gxdlib.vppa.settlement import payer

PAYER_COLOURS = {"generator": "#1b7f5b", "buyer": "#c0392b", "none": "#7f8c8d"}
"""Colours by :func:`gxdlib.vppa.settlement.payer`: green when the generator pays
the buyer, red when the buyer pays, grey when nobody does."""

STATEMENT_COLUMNS = (
    "slots",
    "volume_kwh",
    "capture_price_jpy_per_kwh",
    "average_price_jpy_per_kwh",
    "strike_jpy_per_kwh",
    "settlement_jpy",
    "certificate_cost_jpy",
    "excluded_slots",
    "payer",
)
"""Columns of the downloadable statement, after ``period``."""


def month_labels(months: pd.Index) -> list[str]:
    """``YYYY-MM`` of each month start."""
    return [stamp.strftime("%Y-%m") for stamp in pd.DatetimeIndex(months).tz_convert(TZ)]


@bokeh_builder
def monthly_settlement_bars(
    result: SettlementResult,
    *,
    payer_labels: dict[str, str],
    title: str,
    xlabel: str,
    ylabel: str,
) -> hv.Overlay:
    """Monthly settlement [million JPY], stacked by who pays (one payer per month).

    Parameters
    ----------
    result : SettlementResult
        A settled contract.
    payer_labels : dict
        Legend text for ``"generator"`` (the buyer receives) and ``"buyer"``.
    title, xlabel, ylabel : str
        Title and axis labels.
    """
    monthly = result.monthly
    value = monthly["settlement_jpy"].to_numpy() / 1e6
    months = month_labels(monthly.index)
    # One bar layer per payer over every month (zero where the other pays), so the
    # months keep their order and the legend names who pays.
    layers = [
        hv.Bars(
            (months, np.where(monthly["payer"] == who, value, 0.0)),
            kdims=["month"],
            vdims=["settlement_mjpy"],
            label=payer_labels[who],
        ).opts(color=PAYER_COLOURS[who], line_color=None)
        for who in ("generator", "buyer")
    ]
    return hv.Overlay(layers).opts(
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        xrotation=45,
        responsive=True,
        tools=["hover"],
        **legend_below(200),
    )


@bokeh_builder
def cumulative_settlement(
    result: SettlementResult, *, title: str, xlabel: str, ylabel: str
) -> hv.Area:
    """Cumulative settlement by day [million JPY] over the settled period."""
    daily = (
        result.intervals["settlement_jpy"]
        .groupby(result.intervals.index.tz_convert(TZ).normalize().tz_localize(None))
        .sum()
    )
    cumulative = daily.cumsum().to_numpy() / 1e6
    colour = PAYER_COLOURS[str(payer(cumulative[-1]))]
    return hv.Area((daily.index, cumulative), kdims=["day"], vdims=["cumulative_mjpy"]).opts(
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        color=colour,
        alpha=0.6,
        line_color=colour,
        responsive=True,
        height=320,
        tools=["hover"],
    )


def capture_table(result: SettlementResult) -> pd.DataFrame:
    """Monthly capture prices beside time-weighted prices, with the whole period last.

    Columns: ``month`` (``YYYY-MM`` or ``total``), ``volume_mwh``,
    ``capture_price_jpy_per_kwh``, ``average_price_jpy_per_kwh``,
    ``capture_rate`` (their ratio [-]), ``settlement_mjpy``.
    """
    monthly = result.monthly
    intervals = result.intervals
    table = pd.DataFrame(
        {
            "month": month_labels(monthly.index),
            "volume_mwh": monthly["volume_kwh"].to_numpy() / 1e3,
            "capture_price_jpy_per_kwh": monthly["capture_price_jpy_per_kwh"].to_numpy(),
            "average_price_jpy_per_kwh": monthly["average_price_jpy_per_kwh"].to_numpy(),
            "settlement_mjpy": monthly["settlement_jpy"].to_numpy() / 1e6,
        }
    )
    total = pd.DataFrame(
        {
            "month": ["total"],
            "volume_mwh": [result.total_volume_kwh / 1e3],
            "capture_price_jpy_per_kwh": [result.capture_price],
            "average_price_jpy_per_kwh": [intervals["index_price_jpy_per_kwh"].mean()],
            "settlement_mjpy": [result.total_jpy / 1e6],
        }
    )
    table = pd.concat([table, total], ignore_index=True)
    table.insert(
        4,
        "capture_rate",
        table["capture_price_jpy_per_kwh"] / table["average_price_jpy_per_kwh"],
    )
    return table


def statement_frame(result: SettlementResult) -> pd.DataFrame:
    """The monthly settlement statement for download, with a ``total`` row last.

    ``period`` is ``YYYY-MM`` per month and ``total`` for the sum; the total
    row's prices are those of the whole period (capture price volume-weighted,
    average price time-weighted, strike volume-weighted).
    """
    monthly = result.monthly
    intervals = result.intervals
    rows = monthly.loc[:, list(STATEMENT_COLUMNS)].reset_index(drop=True)
    rows.insert(0, "period", month_labels(monthly.index))
    volume = result.total_volume_kwh
    strike = intervals["strike_jpy_per_kwh"]
    total = {
        "period": "total",
        "slots": int(monthly["slots"].sum()),
        "volume_kwh": volume,
        "capture_price_jpy_per_kwh": result.capture_price,
        "average_price_jpy_per_kwh": float(intervals["index_price_jpy_per_kwh"].mean()),
        "strike_jpy_per_kwh": float((strike * intervals["volume_kwh"]).sum() / volume)
        if volume > 0
        else float(strike.mean()),
        "settlement_jpy": result.total_jpy,
        "certificate_cost_jpy": result.total_certificate_cost_jpy,
        "excluded_slots": result.excluded_slots,
        "payer": result.payer,
    }
    return pd.concat([rows, pd.DataFrame([total])], ignore_index=True)


@bokeh_builder
def settlement_histogram(
    risk: RiskResult,
    *,
    alpha: float,
    title: str,
    xlabel: str,
    ylabel: str,
    mean_label: str,
    quantile_label: str,
    bins: int = 30,
) -> hv.Overlay:
    """Histogram of annual settlements over scenarios and contract years [million JPY].

    Vertical lines mark the expected annual settlement and its ``alpha``
    quantile; the gap between them is the cash flow at risk
    (:meth:`gxdlib.vppa.RiskResult.cfar`).
    """
    values = risk.annual.to_numpy().ravel() / 1e6
    counts, edges = np.histogram(values, bins=bins)
    mean = float(values.mean())
    low = float(np.quantile(values, alpha))
    top = float(counts.max()) * 1.08
    pad = (edges[-1] - edges[0]) * 0.05
    histogram = hv.Histogram(
        (edges, counts), kdims=["annual_settlement_mjpy"], vdims=["count"]
    ).opts(color="#5b7fa6", line_color="white", alpha=0.85)
    return (
        histogram
        * hv.VLine(mean).opts(color="black", line_width=2)
        * hv.VLine(low).opts(color=PAYER_COLOURS["buyer"], line_width=2, line_dash="dashed")
        * hv.Text(mean, top, f" {mean_label}", halign="left", fontsize=9)
        * hv.Text(low, top, f"{quantile_label} ", halign="right", fontsize=9)
    ).opts(
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        responsive=True,
        height=320,
        ylim=(0, top * 1.1),
        xlim=(edges[0] - pad, edges[-1] + pad),
    )

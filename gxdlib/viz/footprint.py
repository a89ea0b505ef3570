"""Plot and table builders for Scope 3 category 1 results (notebook and footprint page).

Builders take the frames of :mod:`gxdlib.footprint` (``Scope3Result`` views and
``GapReport``) and plain labels, and return HoloViews objects or display
frames; they lay results out and compute nothing a domain function should.
"""

from __future__ import annotations

import holoviews as hv
import numpy as np
import pandas as pd

from gxdlib.viz.backend import bokeh_builder, legend_below

METHOD_COLOURS: dict[str, str] = {
    "supplier-specific": "#1b7f5b",
    "average-data": "#e0a526",
    "spend-based": "#8c8c8c",
    "unassessed": "#c0392b",
}
"""One colour per assessment method, primary data in the consortium's green."""

PARETO_COLOURS: dict[bool, str] = {False: "#c0392b", True: "#e0a526"}
"""Pareto bars: red for suppliers with no PCF at all, amber for those with some."""

LINE_COLUMNS: tuple[str, ...] = (
    "supplier_id",
    "supplier_name",
    "product_id",
    "sector",
    "fiscal_year",
    "quantity",
    "quantity_unit",
    "spend_jpy",
    "method",
    "emissions_kgco2e",
    "spend_based_kgco2e",
    "footprint_id",
    "data_quality",
    "primary_data_issue",
)
"""Columns of the drill-down table, in order (those the result holds)."""


@bokeh_builder
def method_mix_bars(
    coverage: pd.DataFrame,
    *,
    method_labels: dict[str, str],
    basis_labels: dict[str, str],
    title: str,
    xlabel: str,
    ylabel: str,
) -> hv.Bars:
    """Stacked bars of each method's share of spend and of emissions [%].

    Parameters
    ----------
    coverage : pandas.DataFrame
        :meth:`gxdlib.footprint.Scope3Result.coverage` (``basis, method, value, share``).
    method_labels, basis_labels : dict
        Display names of the methods and of the bases (``spend``, ``emissions``).
    title, xlabel, ylabel : str
        Title and axis labels.
    """
    frame = pd.DataFrame(
        {
            "basis": coverage["basis"].map(basis_labels).astype(object),
            "method": coverage["method"].astype(str).map(method_labels).astype(object),
            "share_pct": 100.0 * coverage["share"].fillna(0.0).to_numpy(dtype=float),
        }
    )
    colours = {method_labels[m]: c for m, c in METHOD_COLOURS.items()}
    return hv.Bars(frame, kdims=["basis", "method"], vdims=["share_pct"]).opts(
        stacked=True,
        cmap=colours,
        invert_axes=True,
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        ylim=(0, 100),
        responsive=True,
        **legend_below(180),
        tools=["hover"],
    )


@bokeh_builder
def pareto_chart(
    pareto: pd.DataFrame,
    *,
    top: int,
    has_data_labels: dict[bool, str],
    title: str,
    xlabel: str,
    ylabel: str,
    cumulative_label: str,
) -> hv.Overlay:
    """Suppliers ranked by estimated emissions [t-CO2e] with the cumulative share [%].

    Parameters
    ----------
    pareto : pandas.DataFrame
        :attr:`gxdlib.footprint.GapReport.pareto`.
    top : int
        Number of suppliers drawn (the cumulative share still counts all).
    has_data_labels : dict
        Legend text for ``has_primary_data`` False and True.
    title, xlabel, ylabel, cumulative_label : str
        Title, axis labels and the label of the cumulative-share axis.
    """
    head = pareto.head(top)
    frame = pd.DataFrame(
        {
            "supplier": head["supplier_id"].astype(object).to_numpy(),
            "estimated_tco2e": head["estimated_kgco2e"].to_numpy(dtype=float) / 1000.0,
            "cumulative_pct": 100.0 * head["cumulative_share"].to_numpy(dtype=float),
            "data": head["has_primary_data"].map(has_data_labels).astype(object).to_numpy(),
        }
    )
    # Stacking on the data-availability label colours each bar by it, with a legend.
    bars = hv.Bars(frame, kdims=["supplier", "data"], vdims=["estimated_tco2e"]).opts(
        stacked=True,
        cmap={has_data_labels[k]: c for k, c in PARETO_COLOURS.items()},
        ylabel=ylabel,
        tools=["hover"],
    )
    line = hv.Curve(frame, kdims=["supplier"], vdims=["cumulative_pct"]).opts(
        color="#1f4e79", line_width=2, ylabel=cumulative_label, ylim=(0, 100)
    )
    points = hv.Scatter(frame, kdims=["supplier"], vdims=["cumulative_pct"]).opts(
        color="#1f4e79", size=5, tools=["hover"]
    )
    return (bars * line * points).opts(
        multi_y=True,
        title=title,
        xlabel=xlabel,
        xrotation=60,
        responsive=True,
        **legend_below(220),
    )


@bokeh_builder
def primary_vs_estimate(
    primary_vs_spend: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    parity_label: str,
) -> hv.Overlay:
    """Log-log scatter of each line's PCF-based emissions against its spend-based estimate.

    Parameters
    ----------
    primary_vs_spend : pandas.DataFrame
        :attr:`gxdlib.footprint.GapReport.primary_vs_spend`; lines without a
        positive spend-based estimate cannot be drawn on log axes and are left
        out of the plot (not of the data).
    title, xlabel, ylabel, parity_label : str
        Title, axis labels [kgCO2e] and the legend of the 1:1 line.
    """
    both = primary_vs_spend[
        (primary_vs_spend["spend_based_kgco2e"] > 0) & (primary_vs_spend["primary_kgco2e"] > 0)
    ]
    frame = pd.DataFrame(
        {
            "spend_based_kgco2e": both["spend_based_kgco2e"].to_numpy(dtype=float),
            "primary_kgco2e": both["primary_kgco2e"].to_numpy(dtype=float),
            "supplier_id": both["supplier_id"].astype(object).to_numpy(),
            "sector": both["sector"].astype(object).to_numpy(),
            "ratio": both["ratio"].to_numpy(dtype=float),
        }
    )
    values = np.concatenate([frame["spend_based_kgco2e"], frame["primary_kgco2e"]])
    low, high = (values.min(), values.max()) if values.size else (1.0, 10.0)
    scatter = hv.Scatter(
        frame,
        kdims=["spend_based_kgco2e"],
        vdims=["primary_kgco2e", "supplier_id", "sector", "ratio"],
    ).opts(color="#1b7f5b", alpha=0.6, size=6, tools=["hover"])
    parity = hv.Curve(
        ([low, high], [low, high]), "spend_based_kgco2e", "primary_kgco2e", label=parity_label
    ).opts(color="#555555", line_dash="dashed")
    return (scatter * parity).opts(
        logx=True,
        logy=True,
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        frame_width=440,
        **legend_below(380),
    )


def line_table(lines: pd.DataFrame) -> pd.DataFrame:
    """The result's lines in the drill-down layout: :data:`LINE_COLUMNS`, categoricals as text."""
    columns = [c for c in LINE_COLUMNS if c in lines.columns]
    frame = lines[columns].reset_index()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("str").fillna("")
    return frame

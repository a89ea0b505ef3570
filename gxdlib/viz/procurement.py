"""Plot builders of the procurement portfolio (notebook and dashboard).

Each builder takes frames computed by :mod:`gxdlib.procurement` and
:mod:`gxdlib.procurement.case` and plain labels, and returns a HoloViews
object; none computes anything a domain function should.
"""

from __future__ import annotations

import holoviews as hv
import numpy as np
import pandas as pd

from gxdlib.viz.backend import bokeh_builder, legend_below

COMPONENT_COLOURS: dict[str, str] = {
    "onsite_pv": "#f2b701",
    "solar_ppa": "#e68a00",
    "wind_ppa": "#3a86c8",
    "battery": "#7b4fa0",
    "certificates": "#8fbf5a",
    "grid_import": "#7f7f7f",
    "grid_export": "#c9c9c9",
}
"""One colour per resource, the grid and exports, shared by every plot."""


@bokeh_builder
def cost_curve(
    costs_jpy_per_kwh: pd.DataFrame, *, title: str, xlabel: str, ylabel: str
) -> hv.Overlay:
    """Cost per kWh against the target, one line per column.

    Parameters
    ----------
    costs_jpy_per_kwh : pandas.DataFrame
        Index: target share in % (the x axis); one column per case, the
        column name is the legend label [JPY/kWh]. Missing values (an
        unreachable target) leave a gap.
    """
    curves = [
        hv.Curve((costs_jpy_per_kwh.index.to_numpy(float), costs_jpy_per_kwh[c]), label=str(c))
        * hv.Scatter((costs_jpy_per_kwh.index.to_numpy(float), costs_jpy_per_kwh[c]), label=str(c))
        for c in costs_jpy_per_kwh.columns
    ]
    return hv.Overlay(curves).opts(
        hv.opts.Curve(line_width=2, tools=["hover"]),
        hv.opts.Scatter(size=7),
        hv.opts.Overlay(
            title=title,
            xlabel=xlabel,
            ylabel=ylabel,
            responsive=True,
            **legend_below(240),
        ),
    )


@bokeh_builder
def cost_stack(
    costs_jpy: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    component_labels: dict[str, str] | None = None,
) -> hv.Bars:
    """Stacked bars of annual cost by component, one bar per row.

    Parameters
    ----------
    costs_jpy : pandas.DataFrame
        One row per portfolio (index: its label, the x axis), one column per
        cost component (resources, ``grid_import``, ``grid_export``), in the
        unit shown by ``ylabel``. Exports are negative and stack below zero.
    component_labels : dict, optional
        Legend text of each component.
    """
    labels = component_labels or {}
    long = costs_jpy.rename_axis(index="portfolio", columns="component").stack().reset_index()
    long.columns = ["portfolio", "component", "cost"]
    long["portfolio"] = long["portfolio"].astype(str)
    colours = {labels.get(c, c): COMPONENT_COLOURS.get(c, "#333333") for c in costs_jpy.columns}
    long["component"] = [labels.get(c, c) for c in long["component"]]
    return hv.Bars(long, kdims=["portfolio", "component"], vdims=["cost"]).opts(
        stacked=True,
        cmap=colours,
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        responsive=True,
        tools=["hover"],
        **legend_below(240),
    )


@bokeh_builder
def dispatch_week(
    dispatch: pd.DataFrame,
    *,
    supply_columns: dict[str, str],
    demand_column: str,
    title: str,
    xlabel: str,
    ylabel: str,
    demand_label: str,
) -> hv.Overlay:
    """Hourly supply stacked by source with demand as a line.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Hourly energy [kWh] of one period (e.g. a week), tz-aware index.
        Its supply columns are stacked in the order of ``supply_columns``.
    supply_columns : dict
        Column name to legend label; a column name's prefix before
        ``_kwh``/``_discharge_kwh``/``_import_kwh`` selects its colour.
    demand_column : str
        Column drawn as a line.
    """
    index = dispatch.index.tz_localize(None)
    areas = []
    bottom = np.zeros(len(dispatch))
    for column, legend in supply_columns.items():
        top = bottom + dispatch[column].to_numpy(float)
        colour = COMPONENT_COLOURS.get(_component(column), "#333333")
        areas.append(
            hv.Area((index, bottom, top), kdims=["time"], vdims=["low", "high"], label=legend).opts(
                color=colour, alpha=0.85, line_alpha=0
            )
        )
        bottom = top
    demand = hv.Curve(
        (index, dispatch[demand_column].to_numpy(float)), kdims=["time"], label=demand_label
    ).opts(color="black", line_width=2)
    return hv.Overlay([*areas, demand]).opts(
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        responsive=True,
        **legend_below(220),
    )


def _component(column: str) -> str:
    for suffix in ("_discharge_kwh", "_import_kwh", "_kwh"):
        if column.endswith(suffix):
            return column.removesuffix(suffix).replace("grid", "grid_import")
    return column


@bokeh_builder
def cfe_heatmap(
    score_by_month_hour: pd.DataFrame, *, title: str, xlabel: str, ylabel: str, clabel: str
) -> hv.HeatMap:
    """Carbon-free share of demand by hour of the day (x) and month (y), in %.

    Parameters
    ----------
    score_by_month_hour : pandas.DataFrame
        Index month (1-12, top to bottom in the given order), columns hour
        0-23, values in [0, 1].
    """
    months = [f"{m:02d}" for m in score_by_month_hour.index]
    long = pd.DataFrame(
        {
            "hour": np.tile(score_by_month_hour.columns.to_numpy(int), len(months)),
            "month": np.repeat(months, score_by_month_hour.shape[1]),
            "cfe_pct": 100.0 * score_by_month_hour.to_numpy(float).ravel(),
        }
    )
    return hv.HeatMap(long, kdims=["hour", "month"], vdims=["cfe_pct"]).opts(
        cmap="YlGn",
        clim=(0.0, 100.0),
        colorbar=True,
        clabel=clabel,
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        invert_yaxis=True,
        responsive=True,
        height=360,
        tools=["hover"],
    )


@bokeh_builder
def frontier_plot(
    points: pd.DataFrame, *, x: str, y: str, title: str, xlabel: str, ylabel: str
) -> hv.Overlay:
    """Expected cost (y) against the cost of the worst outcomes (x), weights annotated.

    Parameters
    ----------
    points : pandas.DataFrame
        One row per risk weight (index), columns ``x`` and ``y``.
    """
    xs, ys = points[x].to_numpy(float), points[y].to_numpy(float)
    labels = hv.Labels(
        {"x": xs, "y": ys, "text": [f"λ={w:g}" for w in points.index]},
        kdims=["x", "y"],
        vdims=["text"],
    ).opts(text_font_size="9pt", yoffset=0.02 * (ys.max() - ys.min() + 1e-9))
    return (hv.Curve((xs, ys)) * hv.Scatter((xs, ys)).opts(size=8) * labels).opts(
        title=title, xlabel=xlabel, ylabel=ylabel, responsive=True, height=340
    )

"""Every plot with a legend keeps it below the plot area, off the data, at any width."""

from __future__ import annotations

import holoviews as hv
import pandas as pd
import pytest
from bokeh.models import Legend

from gxdlib import sample
from gxdlib.timeseries import TZ
from gxdlib.viz.procurement import cost_stack, dispatch_week
from gxdlib.viz.vppa import monthly_settlement_bars
from gxdlib.vppa import VPPAContract, settle

LABELS = {"title": "t", "xlabel": "x", "ylabel": "y"}


def bokeh_figure(element: hv.core.Dimensioned):
    return hv.renderer("bokeh").get_plot(element).state


def legends(models: list) -> list[Legend]:
    return [model for model in models if isinstance(model, Legend)]


def settled_year():
    prices = sample.prices(2022)
    generation_kwh = sample.pv_profile_kwh_per_kw(fiscal_year=2022) * 1000.0
    return settle(
        VPPAContract(strike_jpy_per_kwh=12.0, price_index="kyushu"), generation_kwh, prices
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: monthly_settlement_bars(
            settled_year(), payer_labels={"generator": "G", "buyer": "B"}, **LABELS
        ),
        lambda: cost_stack(
            pd.DataFrame({"grid_import": [30.0, 10.0], "onsite_pv": [5.0, 20.0]}, index=["a", "b"]),
            **LABELS,
        ),
        lambda: dispatch_week(
            pd.DataFrame(
                {
                    "onsite_pv_kwh": [0.0, 3.0, 1.0],
                    "grid_import_kwh": [5.0, 2.0, 4.0],
                    "demand_kwh": [5.0, 5.0, 5.0],
                },
                index=pd.date_range("2023-08-08", periods=3, freq="h", tz=TZ),
            ),
            supply_columns={"onsite_pv_kwh": "PV", "grid_import_kwh": "Grid"},
            demand_column="demand_kwh",
            demand_label="Demand",
            **LABELS,
        ),
    ],
    ids=["vppa_monthly", "procurement_cost_stack", "procurement_dispatch_week"],
)
def test_legend_sits_below_the_plot_area_one_entry_a_line(build) -> None:
    figure = bokeh_figure(build())
    below = legends(figure.below)
    assert len(below) == 1, "the legend is not below the plot area"
    assert not legends(figure.center), "a legend lies over the data"
    assert below[0].orientation == "vertical"
    # the plot area keeps its height; the legend adds to the figure's
    assert figure.frame_height > 0 and figure.height is None

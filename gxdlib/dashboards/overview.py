"""The overview page: what the workbench holds, which data is loaded, a JEPX price explorer."""

from __future__ import annotations

import holoviews as hv
import pandas as pd
import panel as pn
import param

from gxdlib import prices as price_stats
from gxdlib import viz
from gxdlib.areas import PRICE_INDICES
from gxdlib.catalog import LoadedPrices, available_fiscal_years
from gxdlib.dashboards.base import Page, side_by_side
from gxdlib.dashboards.data import cached_prices
from gxdlib.dashboards.i18n import area_label, area_options
from gxdlib.sample import FY_STATS


def fiscal_year_choices() -> list[int]:
    """Real fiscal years when ``GXD_DATA_DIR`` holds JEPX files, else the sample's years."""
    return available_fiscal_years() or sorted(FY_STATS)


class OverviewDashboard(Page):
    """Overview and JEPX price explorer.

    Parameters
    ----------
    area : str
        ``system`` or one of the nine JEPX areas.
    fiscal_year : int
        The fiscal year shown.
    """

    title_key = "overview_title"

    area = param.Selector(default="system", objects=list(PRICE_INDICES))
    fiscal_year = param.Selector(default=None, objects=[])

    def __init__(self, **params) -> None:
        years = fiscal_year_choices()
        self.param.fiscal_year.objects = years
        params.setdefault("fiscal_year", 2023 if 2023 in years else years[-1])
        super().__init__(**params)

    @property
    def loaded(self) -> LoadedPrices:
        return cached_prices(int(self.fiscal_year))

    @property
    def series(self) -> pd.Series:
        """Prices of the selected area and fiscal year [JPY/kWh]."""
        return self.loaded.frame[self.area]

    def sidebar(self) -> list:
        area = pn.widgets.Select.from_param(self.param.area, options=area_options(self.language))

        @param.depends(self.param.language, watch=True)
        def relabel(language: str) -> None:
            area.name = self.text("area")
            area.options = area_options(language)

        area.name = self.text("area")
        year = pn.widgets.Select.from_param(self.param.fiscal_year, name=self.text("fiscal_year"))
        self.param.watch(lambda event: setattr(year, "name", self.text("fiscal_year")), "language")
        return [area, year]

    @param.depends("fiscal_year", "language")
    def data_status(self) -> pn.pane.Alert:
        return self.data_status_alert(self.loaded.is_sample, self.prices_source(self.loaded))

    @param.depends("area", "fiscal_year", "language")
    def summary(self) -> pn.widgets.Tabulator:
        stats = price_stats.price_summary(self.series)
        rows = [
            ("mean_price", f"{stats['mean_jpy_per_kwh']:.2f}"),
            ("max_price", f"{stats['max_jpy_per_kwh']:.2f}"),
            ("floor_slots", f"{stats['floor_slots']:,}"),
            ("slots", f"{stats['slots']:,}"),
        ]
        return self.statistics_table(rows, "price-summary")

    @param.depends("area", "fiscal_year", "language")
    def heatmap(self) -> hv.Image:
        where = area_label(self.area, self.language)
        title = f"{self.text('heatmap_title')}: {where} FY{self.fiscal_year}"
        return viz.price_heatmap(
            self.series,
            title=title,
            xlabel=self.text("day"),
            ylabel=self.text("slot_start"),
            clabel=self.text("price"),
        )

    @param.depends("area", "fiscal_year", "language")
    def duration(self) -> hv.Curve:
        return viz.duration_curve(
            self.series,
            title=f"{self.text('duration_title')}: {area_label(self.area, self.language)}",
            xlabel=self.text("share_of_slots"),
            ylabel=self.text("price"),
        )

    @param.depends("area", "fiscal_year", "language")
    def monthly(self) -> hv.Bars:
        monthly = price_stats.monthly_mean_prices(self.loaded.frame)
        return viz.monthly_bars(
            monthly,
            value=self.area,
            title=f"{self.text('monthly_title')}: {area_label(self.area, self.language)}",
            xlabel=self.text("month"),
            ylabel=self.text("price"),
        )

    def main(self) -> list:
        intro = pn.pane.Markdown(
            pn.bind(lambda _: self.text("overview_intro"), self.param.language)
        )
        return [
            side_by_side(pn.Column(intro, self.data_status), pn.Column(self.summary)),
            pn.panel(self.heatmap, sizing_mode="stretch_width"),
            side_by_side(pn.panel(self.duration), pn.panel(self.monthly)),
        ]

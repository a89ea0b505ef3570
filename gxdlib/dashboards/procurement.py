"""The procurement page: least-cost portfolios for annual and hourly (24/7) targets.

The page wires a site, a load profile, cost assumptions and a target share
to :func:`gxdlib.procurement.optimize` through
:mod:`gxdlib.procurement.case`, solving the same share as an annual
renewable target and as an hourly carbon-free target so that the two sit
side by side. Models run on one representative week per month
(:func:`gxdlib.sites.representative_weeks`) so that a solve takes about a
second; the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import holoviews as hv
import pandas as pd
import panel as pn
import param

from gxdlib.dashboards.base import Page, screen_message, side_by_side
from gxdlib.dashboards.data import cached_prices
from gxdlib.dashboards.i18n import area_label, register_labels
from gxdlib.dashboards.overview import fiscal_year_choices
from gxdlib.errors import GXDError, InfeasibleTargetError
from gxdlib.procurement import PortfolioResult, Target
from gxdlib.procurement.case import (
    CostAssumptions,
    ProcurementCase,
    annual_costs_jpy,
    build_case,
    cfe_by_month_hour,
    optimize_case,
    portfolio_summary,
)
from gxdlib.sites import SITE_PRESETS, RepresentativeWeeks, hourly_site_inputs, representative_weeks
from gxdlib.viz.procurement import cfe_heatmap, cost_stack, dispatch_week

KINDS = ("annual_re", "hourly_cfe")
"""The two target kinds shown side by side."""

DEFAULT_COSTS = CostAssumptions()

register_labels(
    {
        "proc_title": ("Renewable procurement portfolio", "再エネ調達ポートフォリオ"),
        "proc_intro": (
            "The least-cost mix of on-site PV, off-site solar and wind PPAs, a battery, grid "
            "power and unbundled certificates for a target share of the site's consumption. "
            "**Annual matching** (RE100 style) counts renewable output and certificates over the "
            "year; **hourly matching** (24/7 carbon-free, Riepin & Brown 2024) counts only "
            "carbon-free supply in the same hour, where certificates do not help.",
            "サイトの消費量に対する目標比率を、オンサイト太陽光・オフサイト太陽光/風力 PPA・"
            "蓄電池・系統電力・証書の最小費用の組合せで達成します。**年間マッチング**（RE100 型）"
            "は年間の再エネ発電量と証書を数え、**時間別マッチング**（24/7 カーボンフリー、"
            "Riepin & Brown 2024）は同じ時間のカーボンフリー電力のみを数えます"
            "（証書は効きません）。",
        ),
        "proc_period": (
            "Solved on one representative week per month (the 8th to the 14th, 2,016 hours, "
            "about 23 % of the year), hourly; fixed costs are scaled to those hours and the "
            "results are shown per year.",
            "各月の代表週（8〜14 日、計 2,016 時間、年間の約 23 %）を 1 時間単位で解いています。"
            "固定費はこの時間数に按分し、結果は年間に換算して表示しています。",
        ),
        "proc_site": ("Site", "サイト"),
        "proc_site_tokyo_office": ("Tokyo office (2 GWh/year)", "東京のオフィス（2 GWh/年）"),
        "proc_site_kyushu_factory": (
            "Kyushu factory (10 GWh/year)",
            "九州の工場（10 GWh/年）",
        ),
        "proc_demand": ("Load profile", "負荷プロファイル"),
        "proc_office": ("Office", "オフィス"),
        "proc_factory": ("Factory (three shifts)", "工場（3 交替）"),
        "proc_costs": ("Costs", "コスト"),
        "proc_onsite_pv": ("On-site PV PPA [JPY/kWh]", "オンサイト太陽光 PPA [円/kWh]"),
        "proc_solar_ppa": ("Off-site solar PPA [JPY/kWh]", "オフサイト太陽光 PPA [円/kWh]"),
        "proc_wind_ppa": ("Off-site wind PPA [JPY/kWh]", "オフサイト風力 PPA [円/kWh]"),
        "proc_battery_energy": (
            "Battery energy [JPY/kWh/year]",
            "蓄電池 容量 [円/kWh/年]",
        ),
        "proc_battery_power": ("Battery power [JPY/kW/year]", "蓄電池 出力 [円/kW/年]"),
        "proc_certificate": ("Certificates [JPY/kWh]", "証書 [円/kWh]"),
        "proc_with_storage": ("Battery allowed", "蓄電池を使う"),
        "proc_target": ("Target share [%]", "目標比率 [%]"),
        "proc_detail": ("Dispatch and heat map of", "需給と時間別 CFE の表示"),
        "proc_month": ("Week shown (month)", "表示する週（月）"),
        "proc_annual_re": ("Annual matching", "年間マッチング"),
        "proc_hourly_cfe": ("Hourly 24/7 CFE", "時間別 24/7 CFE"),
        "proc_metric": ("Figure", "指標"),
        "proc_annual_cost": ("Annual cost [million JPY/year]", "年間費用 [百万円/年]"),
        "proc_cost_per_kwh": ("Cost per kWh consumed [JPY/kWh]", "消費 kWh あたり費用 [円/kWh]"),
        "proc_cfe_score": ("Hourly CFE score [%]", "時間別 CFE スコア [%]"),
        "proc_re_share": ("Annual RE share [%]", "年間再エネ比率 [%]"),
        "proc_onsite_pv_kw": ("On-site PV [kW]", "オンサイト太陽光 [kW]"),
        "proc_solar_ppa_kw": ("Off-site solar PPA [kW]", "オフサイト太陽光 PPA [kW]"),
        "proc_wind_ppa_kw": ("Off-site wind PPA [kW]", "オフサイト風力 PPA [kW]"),
        "proc_battery_kwh": ("Battery energy [kWh]", "蓄電池 容量 [kWh]"),
        "proc_battery_kw": ("Battery power [kW]", "蓄電池 出力 [kW]"),
        "proc_certificates_mwh": ("Certificates [MWh/year]", "証書 [MWh/年]"),
        "proc_curtailed": ("Curtailed output [%]", "出力抑制・余剰 [%]"),
        "proc_infeasible": (
            "{kind} of {target:g} % cannot be reached with these resources: the highest "
            "reachable score is {best:.1f} %.",
            "{kind} {target:g} % はこの資源では達成できません。"
            "到達可能な最大値は {best:.1f} % です。",
        ),
        "proc_not_solved": ("not reachable", "達成不可"),
        "proc_cost_title": ("Annual cost by component", "要素別の年間費用"),
        "proc_cost_axis": ("Cost [million JPY/year]", "費用 [百万円/年]"),
        "proc_portfolio": ("Portfolio", "ポートフォリオ"),
        "proc_grid_import": ("Grid import", "系統からの購入"),
        "proc_grid_export": ("Export (revenue)", "売電（収入）"),
        "proc_onsite_pv_name": ("On-site PV", "オンサイト太陽光"),
        "proc_solar_ppa_name": ("Solar PPA", "太陽光 PPA"),
        "proc_wind_ppa_name": ("Wind PPA", "風力 PPA"),
        "proc_battery_name": ("Battery", "蓄電池"),
        "proc_certificates_name": ("Certificates", "証書"),
        "proc_demand_name": ("Demand", "需要"),
        "proc_dispatch_title": ("Hourly supply, week of {day}", "時間別の供給（{day} の週）"),
        "proc_energy_axis": ("Energy [kWh/h]", "電力量 [kWh/時]"),
        "proc_time": ("Time (JST)", "時刻（JST）"),
        "proc_heatmap_title": (
            "Carbon-free share of demand by month and hour",
            "月別・時間別のカーボンフリー比率",
        ),
        "proc_hour": ("Hour of day (JST)", "時（JST）"),
        "proc_cfe_axis": ("CFE [%]", "CFE [%]"),
        "proc_prices": ("JEPX prices", "JEPX 価格"),
        "proc_assumptions": (
            "Grid tariff = area spot price + {adder:g} JPY/kWh network and retail (assumption) + "
            "{surcharge:g} JPY/kWh renewable surcharge (FY2025); off-site PPAs pay the same "
            "delivery charges. Sources: gxdlib.procurement.case, gxdlib.procurement.jp.",
            "系統料金 = エリアスポット価格 + 託送・小売 {adder:g} 円/kWh（仮定）+ 再エネ賦課金 "
            "{surcharge:g} 円/kWh（2025 年度）。オフサイト PPA にも同じ送電費用がかかります。"
            "出典：gxdlib.procurement.case、gxdlib.procurement.jp。",
        ),
        "proc_grid_signal": (
            "Grid carbon-free share and carbon intensity: {source}.",
            "系統のカーボンフリー比率と炭素強度：{source}。",
        ),
    }
)

COST_PARAMS = (
    "onsite_pv_ppa",
    "solar_ppa",
    "wind_ppa",
    "battery_energy_cost",
    "battery_power_cost",
    "certificate_price",
)
SOLVE_PARAMS = ("site", "demand_kind", "fiscal_year", *COST_PARAMS, "with_storage", "target_pct")

SUMMARY_ROWS = (
    ("proc_annual_cost", "annual_cost_jpy", 1e-6, "{:,.1f}"),
    ("proc_cost_per_kwh", "cost_jpy_per_kwh", 1.0, "{:.2f}"),
    ("proc_cfe_score", "cfe_score", 100.0, "{:.1f}"),
    ("proc_re_share", "re_share", 100.0, "{:.1f}"),
    ("proc_onsite_pv_kw", "onsite_pv_kw", 1.0, "{:,.0f}"),
    ("proc_solar_ppa_kw", "solar_ppa_kw", 1.0, "{:,.0f}"),
    ("proc_wind_ppa_kw", "wind_ppa_kw", 1.0, "{:,.0f}"),
    ("proc_battery_kwh", "battery_kwh", 1.0, "{:,.0f}"),
    ("proc_battery_kw", "battery_kw", 1.0, "{:,.0f}"),
    ("proc_certificates_mwh", "certificates_kwh", 1e-3, "{:,.0f}"),
    ("proc_curtailed", "curtailed_share", 100.0, "{:.1f}"),
)
"""Rows of the side-by-side table: label, summary field, scale, format."""


@dataclass(frozen=True)
class Solved:
    """What the page solved: the case and, per target kind, a portfolio or a message."""

    case: ProcurementCase
    outcomes: dict[str, PortfolioResult | str]


@pn.cache(max_items=12)
def _weeks(site: str, demand_kind: str, fiscal_year: int) -> RepresentativeWeeks:
    prices = cached_prices(fiscal_year).frame
    inputs = hourly_site_inputs(SITE_PRESETS[site], prices, fiscal_year, demand_kind=demand_kind)
    return representative_weeks(inputs)


class ProcurementDashboard(Page):
    """Least-cost procurement for annual and hourly targets, side by side.

    Parameters
    ----------
    site : str
        A key of :data:`gxdlib.sites.SITE_PRESETS`.
    demand_kind : str
        ``office`` or ``factory``.
    fiscal_year : int
        Year of JEPX prices and sample profiles.
    onsite_pv_ppa, solar_ppa, wind_ppa, certificate_price : float
        Prices [JPY/kWh].
    battery_energy_cost, battery_power_cost : float
        Annualised battery costs [JPY/kWh/year, JPY/kW/year].
    with_storage : bool
        Whether a battery may be built.
    target_pct : int
        Target share [%], applied as an annual RE and as an hourly CFE target.
    detail : str
        Which of the two portfolios the dispatch and heat map show.
    month : int
        Calendar month of the representative week shown.
    """

    title_key = "proc_title"

    site = param.Selector(default="tokyo_office", objects=list(SITE_PRESETS))
    demand_kind = param.Selector(default="office", objects=["office", "factory"])
    fiscal_year = param.Selector(default=None, objects=[])
    onsite_pv_ppa = param.Number(default=DEFAULT_COSTS.onsite_pv_ppa_jpy_per_kwh, bounds=(0, 100))
    solar_ppa = param.Number(default=DEFAULT_COSTS.solar_ppa_jpy_per_kwh, bounds=(0, 100))
    wind_ppa = param.Number(default=DEFAULT_COSTS.wind_ppa_jpy_per_kwh, bounds=(0, 100))
    battery_energy_cost = param.Number(
        default=round(DEFAULT_COSTS.battery_energy_jpy_per_kwh_year), bounds=(0, 100_000)
    )
    battery_power_cost = param.Number(
        default=round(DEFAULT_COSTS.battery_power_jpy_per_kw_year), bounds=(0, 100_000)
    )
    certificate_price = param.Number(default=DEFAULT_COSTS.certificate_jpy_per_kwh, bounds=(0, 20))
    with_storage = param.Boolean(default=True)
    target_pct = param.Integer(default=90, bounds=(0, 100))
    detail = param.Selector(default="hourly_cfe", objects=list(KINDS))
    month = param.Selector(default=8, objects=[4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3])

    def __init__(self, **params) -> None:
        years = fiscal_year_choices()
        self.param.fiscal_year.objects = years
        params.setdefault("fiscal_year", 2023 if 2023 in years else years[-1])
        super().__init__(**params)
        self._solved: tuple[tuple, Solved | str] | None = None

    @param.depends("site", watch=True)
    def _site_profile(self) -> None:
        self.demand_kind = SITE_PRESETS[self.site].demand_kind

    # ----- computation ---------------------------------------------------------------------

    def costs(self) -> CostAssumptions:
        """The cost assumptions of the form (delivery charges and grid CFE share as default)."""
        return CostAssumptions(
            onsite_pv_ppa_jpy_per_kwh=float(self.onsite_pv_ppa),
            solar_ppa_jpy_per_kwh=float(self.solar_ppa),
            wind_ppa_jpy_per_kwh=float(self.wind_ppa),
            battery_energy_jpy_per_kwh_year=float(self.battery_energy_cost),
            battery_power_jpy_per_kw_year=float(self.battery_power_cost),
            certificate_jpy_per_kwh=float(self.certificate_price),
        )

    def solve(self) -> Solved | str:
        """Both portfolios at the target share, or a message why nothing could be solved."""
        key = tuple(getattr(self, name) for name in SOLVE_PARAMS)
        if self._solved is not None and self._solved[0] == key:
            return self._solved[1]
        try:
            weeks = _weeks(self.site, self.demand_kind, int(self.fiscal_year))
            case = build_case(
                weeks.frame,
                SITE_PRESETS[self.site],
                self.costs(),
                with_storage=self.with_storage,
                year_fraction=weeks.year_fraction,
                calendar=weeks.calendar,
            )
            share = self.target_pct / 100.0
            targets = {"annual_re": Target.annual_re(share), "hourly_cfe": Target.hourly_cfe(share)}
            outcomes: dict[str, PortfolioResult | str] = {}
            for kind, target in targets.items():
                try:
                    outcomes[kind] = optimize_case(case, target)
                except InfeasibleTargetError as exc:
                    outcomes[kind] = self._infeasible_message(kind, exc.max_reachable)
            outcome: Solved | str = Solved(case, outcomes)
        except GXDError as exc:
            outcome = screen_message(exc)
        self._solved = (key, outcome)
        return outcome

    def _infeasible_message(self, kind: str, best: float) -> str:
        return self.text("proc_infeasible").format(
            kind=self.text(f"proc_{kind}"), target=self.target_pct, best=100.0 * best
        )

    # ----- views ---------------------------------------------------------------------------

    @param.depends("fiscal_year", "site", "demand_kind", "language")
    def data_status(self) -> pn.Column:
        loaded = cached_prices(int(self.fiscal_year))
        costs = DEFAULT_COSTS
        assumptions = self.text("proc_assumptions").format(
            adder=costs.network_adder_jpy_per_kwh,
            surcharge=costs.surcharge_jpy_per_kwh,
        )
        try:
            source = _weeks(self.site, self.demand_kind, int(self.fiscal_year)).frame.attrs
            assumptions += " " + self.text("proc_grid_signal").format(source=source["grid_source"])
        except GXDError as exc:
            assumptions += " " + screen_message(exc)
        return pn.Column(
            self.data_status_alert(loaded.is_sample, self.prices_source(loaded), "proc_prices"),
            pn.pane.Alert(
                f"{self.text('proc_period')}<br>{assumptions}",
                alert_type="info",
                css_classes=["proc-period"],
            ),
            sizing_mode="stretch_width",
        )

    def _failure(self, message: str) -> pn.pane.Alert:
        return pn.pane.Alert(message, alert_type="danger", css_classes=["proc-error"])

    @param.depends(*SOLVE_PARAMS, "language")
    def summary(self) -> pn.viewable.Viewable:
        solved = self.solve()
        if isinstance(solved, str):
            return self._failure(solved)
        columns = {self.text("proc_metric"): [self.text(key) for key, *_ in SUMMARY_ROWS]}
        alerts = []
        for kind in KINDS:
            outcome = solved.outcomes[kind]
            if isinstance(outcome, str):
                alerts.append(
                    pn.pane.Alert(outcome, alert_type="warning", css_classes=["proc-infeasible"])
                )
                values = [self.text("proc_not_solved")] * len(SUMMARY_ROWS)
            else:
                figures = portfolio_summary(outcome, solved.case)
                values = [
                    form.format(figures.get(field, 0.0) * scale)
                    for _, field, scale, form in SUMMARY_ROWS
                ]
            columns[self.text(f"proc_{kind}")] = values
        table = pn.widgets.Tabulator(
            pd.DataFrame(columns),
            show_index=False,
            disabled=True,
            css_classes=["proc-summary"],
            sizing_mode="stretch_width",
            layout="fit_data_stretch",
        )
        return pn.Column(*alerts, table, sizing_mode="stretch_width")

    def _component_labels(self) -> dict[str, str]:
        names = ("onsite_pv", "solar_ppa", "wind_ppa", "battery", "certificates")
        labels = {name: self.text(f"proc_{name}_name") for name in names}
        labels.update(
            grid_import=self.text("proc_grid_import"), grid_export=self.text("proc_grid_export")
        )
        return labels

    @param.depends(*SOLVE_PARAMS, "language")
    def cost_plot(self) -> hv.Element | pn.viewable.Viewable:
        solved = self.solve()
        if isinstance(solved, str):
            return pn.Spacer(height=0)
        rows = {
            self.text(f"proc_{kind}"): annual_costs_jpy(outcome, solved.case) / 1e6
            for kind, outcome in solved.outcomes.items()
            if not isinstance(outcome, str)
        }
        return cost_stack(
            pd.DataFrame(rows).T.fillna(0.0),
            title=f"{self.text('proc_cost_title')} ({self.target_pct} %)",
            xlabel=self.text("proc_portfolio"),
            ylabel=self.text("proc_cost_axis"),
            component_labels=self._component_labels(),
        )

    def _detail(self) -> tuple[Solved, PortfolioResult] | pn.viewable.Viewable:
        solved = self.solve()
        if isinstance(solved, str):
            return pn.Spacer(height=0)
        outcome = solved.outcomes[self.detail]
        if isinstance(outcome, str):
            return pn.pane.Alert(outcome, alert_type="warning", css_classes=["proc-infeasible"])
        return solved, outcome

    @param.depends(*SOLVE_PARAMS, "detail", "month", "language")
    def dispatch_plot(self) -> hv.Element | pn.viewable.Viewable:
        detail = self._detail()
        if not isinstance(detail, tuple):
            return detail
        solved, result = detail
        frame = result.dispatch.set_axis(solved.case.calendar, axis=0)
        week = frame[frame.index.month == self.month]
        names = [r.name for r in solved.case.resources]
        supply = {
            f"{name}_kwh": self.text(f"proc_{name}_name")
            for name in ("onsite_pv", "solar_ppa", "wind_ppa")
        }
        if "battery" in names:
            supply["battery_discharge_kwh"] = self.text("proc_battery_name")
        supply["grid_import_kwh"] = self.text("proc_grid_import")
        day = week.index[0].strftime("%Y-%m-%d")
        return dispatch_week(
            week,
            supply_columns=supply,
            demand_column="demand_kwh",
            title=f"{self.text(f'proc_{self.detail}')}: "
            + self.text("proc_dispatch_title").format(day=day),
            xlabel=self.text("proc_time"),
            ylabel=self.text("proc_energy_axis"),
            demand_label=self.text("proc_demand_name"),
        )

    @param.depends(*SOLVE_PARAMS, "detail", "language")
    def heatmap(self) -> hv.Element | pn.viewable.Viewable:
        detail = self._detail()
        if not isinstance(detail, tuple):
            return detail
        solved, result = detail
        where = area_label(SITE_PRESETS[self.site].area, self.language)
        return cfe_heatmap(
            cfe_by_month_hour(result, solved.case),
            title=f"{self.text(f'proc_{self.detail}')}: {self.text('proc_heatmap_title')} "
            f"({where})",
            xlabel=self.text("proc_hour"),
            ylabel=self.text("month"),
            clabel=self.text("proc_cfe_axis"),
        )

    # ----- layout --------------------------------------------------------------------------

    def _options(self) -> dict[str, dict[str, object]]:
        return {
            "proc_site": {self.text(f"proc_site_{s}"): s for s in SITE_PRESETS},
            "proc_demand": {self.text(f"proc_{k}"): k for k in ("office", "factory")},
            "proc_detail": {self.text(f"proc_{k}"): k for k in KINDS},
        }

    def _widgets(self) -> dict[str, pn.widgets.Widget]:
        w = pn.widgets
        options = self._options()
        return {
            "proc_site": w.Select.from_param(self.param.site, options=options["proc_site"]),
            "proc_demand": w.Select.from_param(
                self.param.demand_kind, options=options["proc_demand"]
            ),
            "fiscal_year": w.Select.from_param(self.param.fiscal_year),
            "proc_target": w.IntSlider.from_param(
                self.param.target_pct, step=1, css_classes=["proc-target"]
            ),
            "proc_with_storage": w.Checkbox.from_param(
                self.param.with_storage, css_classes=["proc-storage"]
            ),
            "proc_onsite_pv": w.FloatInput.from_param(self.param.onsite_pv_ppa, step=0.5),
            "proc_solar_ppa": w.FloatInput.from_param(self.param.solar_ppa, step=0.5),
            "proc_wind_ppa": w.FloatInput.from_param(self.param.wind_ppa, step=0.5),
            "proc_battery_energy": w.FloatInput.from_param(
                self.param.battery_energy_cost, step=500.0
            ),
            "proc_battery_power": w.FloatInput.from_param(
                self.param.battery_power_cost, step=500.0
            ),
            "proc_certificate": w.FloatInput.from_param(self.param.certificate_price, step=0.1),
        }

    def sidebar(self) -> list:
        widgets = self._widgets()
        costs_title = pn.pane.Markdown(f"### {self.text('proc_costs')}")

        def relabel(_: object = None) -> None:
            options = self._options()
            for key, widget in widgets.items():
                if key in options:
                    widget.options = options[key]
                widget.name = self.text(key)
            costs_title.object = f"### {self.text('proc_costs')}"

        relabel()
        self.param.watch(relabel, "language")
        return [
            *(widgets[k] for k in ("proc_site", "proc_demand", "fiscal_year", "proc_target")),
            widgets["proc_with_storage"],
            costs_title,
            *(
                widgets[k]
                for k in (
                    "proc_onsite_pv",
                    "proc_solar_ppa",
                    "proc_wind_ppa",
                    "proc_battery_energy",
                    "proc_battery_power",
                    "proc_certificate",
                )
            ),
        ]

    def main(self) -> list:
        intro = pn.pane.Markdown(pn.bind(lambda _: self.text("proc_intro"), self.param.language))
        options = self._options()
        detail = pn.widgets.RadioButtonGroup.from_param(
            self.param.detail, options=options["proc_detail"], button_type="light"
        )
        month = pn.widgets.Select.from_param(self.param.month, width=160)

        def relabel(_: object = None) -> None:
            detail.options = self._options()["proc_detail"]
            month.name = self.text("proc_month")

        relabel()
        self.param.watch(relabel, "language")
        busy = {"loading_indicator": True, "sizing_mode": "stretch_width"}
        return [
            side_by_side(
                pn.Column(intro, self.data_status), pn.Column(pn.panel(self.summary, **busy))
            ),
            pn.panel(self.cost_plot, linked_axes=False, **busy),
            pn.FlexBox(detail, month),
            pn.panel(self.dispatch_plot, linked_axes=False, **busy),
            pn.panel(self.heatmap, linked_axes=False, css_classes=["proc-heatmap"], **busy),
        ]

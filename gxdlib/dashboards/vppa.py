"""The virtual PPA page: settle a contract on a year of prices and solar, and see its risk.

The page wires a contract form and a data choice to :func:`gxdlib.vppa.settle`,
:func:`gxdlib.scenarios.bootstrap` and :func:`gxdlib.vppa.simulate`, and lays
the results out with :mod:`gxdlib.viz.vppa`. Sign convention as in
:mod:`gxdlib.vppa`: a settlement is positive when the buyer receives money
from the generator.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass

import holoviews as hv
import numpy as np
import pandas as pd
import panel as pn
import param

from gxdlib import sample
from gxdlib.areas import PRICE_INDICES
from gxdlib.catalog import open_catalog
from gxdlib.dashboards.base import Page, screen_message, side_by_side
from gxdlib.dashboards.coverage import coverage_caption, fiscal_year_coverage
from gxdlib.dashboards.data import cached_prices
from gxdlib.dashboards.i18n import area_label, area_options, register_labels
from gxdlib.dashboards.overview import fiscal_year_choices
from gxdlib.dashboards.uploads import guard_upload
from gxdlib.errors import GXDError, MissingDataError
from gxdlib.io.timeseries_csv import parse_generation_csv, parse_price_csv
from gxdlib.scenarios import bootstrap
from gxdlib.timeseries import SLOT, YearCoverage, to_slots
from gxdlib.viz.vppa import (
    capture_table,
    cumulative_settlement,
    monthly_settlement_bars,
    settlement_histogram,
    statement_frame,
)
from gxdlib.vppa import RiskResult, SettlementResult, VPPAContract, settle, simulate
from gxdlib.vppa.profiles import monthly_diurnal_shape_kwh, plant_generation_kwh

TSO_AREAS: tuple[str, ...] = ("kyushu", "tohoku", "kansai")
"""Areas whose TSO solar actuals the catalog holds (``tso_actuals``)."""

RISK_ALPHA = 0.05
"""Tail probability of the cash flow at risk shown (CFaR at 95 %)."""

RISK_SEED = 2022
"""Seed of the page's bootstrap, so that a view is reproducible."""

register_labels(
    {
        "vppa_title": ("Virtual PPA: settlement and risk", "バーチャル PPA：精算とリスク"),
        "vppa_intro": (
            "A virtual PPA settles the difference between the market price and a fixed strike on "
            "a plant's output: per slot (price - strike) x volume. **Positive: the generator "
            "pays the buyer; negative: the buyer pays the generator.** The buyer also buys the "
            "plant's non-FIT non-fossil certificates (Orrick, Japan Renewables Alert 60, 2022).",
            "バーチャル PPA は、発電量に対して市場価格と固定のストライク価格との差額を精算します："
            "コマごとに（価格 − ストライク）× 数量。**正：発電事業者が需要家に支払い、負：需要家が"
            "発電事業者に支払い。** 需要家は発電所の非 FIT 非化石証書も購入します"
            "（Orrick, Japan Renewables Alert 60, 2022）。",
        ),
        "contract": ("Contract", "契約条件"),
        "strike": ("Strike [JPY/kWh]", "ストライク価格 [円/kWh]"),
        "price_index": ("Price index", "参照価格"),
        "volume_type": ("Volume", "数量の形態"),
        "as_produced": ("As produced (share of output)", "発電量連動（比率）"),
        "baseload": ("Baseload", "ベースロード"),
        "shaped": ("Shaped (month x time-of-day mean)", "シェイプ（月・時間帯別平均）"),
        "share": ("Share of output [-]", "契約比率 [-]"),
        "baseload_kw": ("Baseload power [kW]", "ベースロード電力 [kW]"),
        "settlement_floor": ("Floor [JPY/kWh] (empty: none)", "フロア価格 [円/kWh]（空欄：なし）"),
        "settlement_cap": ("Cap [JPY/kWh] (empty: none)", "キャップ価格 [円/kWh]（空欄：なし）"),
        "floor_clause": ("Slots at 0.01 JPY/kWh", "0.01 円/kWh のコマ"),
        "clause_settle": ("Settle as usual", "通常どおり精算"),
        "clause_exclude": ("Exclude (settle 0)", "精算対象外（0 円）"),
        "nfc_price": ("Certificate price [JPY/kWh]", "非化石証書価格 [円/kWh]"),
        "escalation": ("Strike escalation [%/year]", "ストライク価格の上昇率 [%/年]"),
        "data_choice": ("Data", "データ"),
        "catalog_data": ("Catalog", "カタログ"),
        "uploaded_data": ("Upload CSV", "CSV アップロード"),
        "profile_area": ("Solar profile of area", "太陽光プロファイルのエリア"),
        "capacity_kw": ("Plant capacity [kW]", "発電所の出力 [kW]"),
        "capacity_factor": ("Capacity factor [%]", "設備利用率 [%]"),
        "price_upload": (
            "Prices CSV: slot_start, kyushu_jpy_per_kwh, ...",
            "価格 CSV：slot_start, kyushu_jpy_per_kwh, ...",
        ),
        "generation_upload": (
            "Generation CSV: slot_start, generation_kwh",
            "発電量 CSV：slot_start, generation_kwh",
        ),
        "upload_needed": (
            "Upload a prices CSV and a generation CSV (UTF-8; first column `slot_start` in JST, "
            "e.g. `2022-04-01T00:00+09:00`; prices `kyushu_jpy_per_kwh`...; generation "
            "`generation_kwh` or `generation_mwh`, 30-minute or hourly rows).",
            "価格 CSV と発電量 CSV をアップロードしてください"
            "（UTF-8、1 列目は JST の `slot_start`、"
            "例 `2022-04-01T00:00+09:00`、価格は `kyushu_jpy_per_kwh` など、発電量は "
            "`generation_kwh` または `generation_mwh`、30 分または 1 時間ごと）。",
        ),
        "prices_label": ("Prices", "価格"),
        "generation_label": ("Generation", "発電量"),
        "uploaded_file": ("uploaded file", "アップロードしたファイル"),
        "tso_profile": (
            "{area} TSO solar actuals FY{fy}, scaled to a {mw:g} MW plant "
            "at {cf:g} % capacity factor",
            "{area} 一般送配電事業者の太陽光実績 {fy} 年度、{mw:g} MW・設備利用率 {cf:g} % に換算",
        ),
        "sample_profile": (
            "Sample PV profile (gxdlib, {area}) FY{fy}, scaled to a {mw:g} MW plant at "
            "{cf:g} % capacity factor (no TSO area actuals on this server)",
            "サンプル太陽光プロファイル（gxdlib、{area}）{fy} 年度、{mw:g} MW・設備利用率 {cf:g} % "
            "に換算（このサーバーに TSO エリア需給実績なし）",
        ),
        "totals": ("Totals", "合計"),
        "total_settlement": (
            "Total settlement [JPY] (+: buyer receives)",
            "精算額合計 [円]（正：需要家が受取）",
        ),
        "contracted_volume": ("Contracted volume [MWh]", "契約数量 [MWh]"),
        "capture_price": ("Capture price [JPY/kWh]", "キャプチャー価格 [円/kWh]"),
        "time_weighted_price": ("Time-weighted mean price [JPY/kWh]", "時間加重平均価格 [円/kWh]"),
        "capture_rate": ("Capture rate [-]", "キャプチャー率 [-]"),
        "mean_settlement": ("Settlement per kWh [JPY/kWh]", "kWh あたり精算額 [円/kWh]"),
        "certificate_cost": ("Certificate cost [JPY]", "証書購入額 [円]"),
        "excluded_slots": ("Excluded 0.01 JPY/kWh slots", "精算対象外の 0.01 円コマ数"),
        "net_payer": ("Net payer", "差額の支払者"),
        "payer_generator": (
            "Generator pays (buyer receives)",
            "発電事業者が支払い（需要家が受取）",
        ),
        "payer_buyer": ("Buyer pays", "需要家が支払い"),
        "payer_none": ("Nobody", "なし"),
        "monthly_settlement_title": ("Monthly settlement", "月別精算額"),
        "settlement_mjpy": ("Settlement [million JPY]", "精算額 [百万円]"),
        "cumulative_title": ("Cumulative settlement", "累積精算額"),
        "date": ("Date", "日付"),
        "capture_title": ("Capture prices by month", "月別キャプチャー価格"),
        "volume_mwh": ("Volume [MWh]", "数量 [MWh]"),
        "average_price": ("Mean price [JPY/kWh]", "平均価格 [円/kWh]"),
        "total": ("Total", "合計"),
        "risk_title": ("Settlement risk", "精算額のリスク"),
        "risk_intro": (
            "Scenarios: weekly blocks of the year shown, drawn jointly for prices and output "
            "(gxdlib.scenarios.bootstrap, seed fixed). CFaR 95 %: expected annual settlement "
            "minus its 5 % quantile.",
            "シナリオ：表示中の年の週単位ブロックを価格と発電量の組で復元抽出"
            "（gxdlib.scenarios.bootstrap、シード固定）。"
            "CFaR 95 %：年間精算額の期待値 − 5 % 分位点。",
        ),
        "n_scenarios": ("Scenarios", "シナリオ数"),
        "n_years": ("Contract years", "契約年数"),
        "contract_year": ("Year", "契約年"),
        "risk_plot_title": (
            "Annual settlement: {n} scenarios x {years} years",
            "年間精算額：{n} シナリオ × {years} 年",
        ),
        "annual_settlement_mjpy": ("Annual settlement [million JPY]", "年間精算額 [百万円]"),
        "scenario_years": ("Scenario-years", "シナリオ・年の数"),
        "expected_annual": ("Expected [JPY]", "期待値 [円]"),
        "quantile_5": ("5 % quantile [JPY]", "5 % 分位点 [円]"),
        "cfar": ("CFaR 95 % [JPY]", "CFaR 95 % [円]"),
        "expected_shortfall": ("Shortfall 95 % [JPY]", "期待ショートフォール 95 % [円]"),
        "mean_line": ("mean", "平均"),
        "quantile_line": ("5 %", "5 %"),
        "download_csv": ("Download statement (CSV)", "精算書をダウンロード（CSV）"),
        "download_xlsx": ("Download statement (Excel)", "精算書をダウンロード（Excel）"),
        "no_result": ("No settlement", "精算できません"),
        "caption_with_coverage": ("{title} — {coverage}", "{title} — {coverage}"),
        "plot_title_with_coverage": ("{title}\n{coverage}", "{title}\n{coverage}"),
        "partial_year_alert": (
            "**Part of a fiscal year: {coverage}.** Totals, capture prices, plots and the "
            "statement are for these months only, not for a whole year.",
            "**年度の一部のみ：{coverage}。** 合計・キャプチャー価格・グラフ・精算書はこの期間の"
            "値で、1 年分ではありません。",
        ),
        "risk_needs_full_year": (
            "No settlement risk for this data: scenarios are whole fiscal years assembled from "
            "weekly blocks of the same season, and the data cover {coverage}. Choose a complete "
            "fiscal year.",
            "このデータではリスクを示せません：シナリオは同じ季節の週単位ブロックで 1 年度分を"
            "組み立てますが、データは {coverage}です。全期間のそろった年度を選んでください。",
        ),
        "risk_history": ("drawn from {coverage}", "{coverage} から抽出"),
        "undefined": ("undefined (see note)", "定義できません（注記参照）"),
        "capture_note_no_volume": (
            "Capture price and capture rate cannot be computed: no volume is contracted in the "
            "settled slots (the plant produced nothing in them).",
            "キャプチャー価格とキャプチャー率を計算できません：精算対象のコマに契約数量がありません"
            "（発電量がゼロ）。",
        ),
        "capture_note_mean_price": (
            "Capture rate cannot be computed: it is a ratio to the time-weighted mean price, "
            "which is {mean:g} JPY/kWh over the settled slots. JEPX never clears at 0 (its floor "
            "is 0.01 JPY/kWh): check the prices.",
            "キャプチャー率を計算できません：時間加重平均価格に対する比ですが、精算対象のコマでの"
            "時間加重平均価格が {mean:g} 円/kWh です。JEPX の約定価格は 0 になりません"
            "（下限 0.01 円/kWh）。価格をご確認ください。",
        ),
    }
)

CAPTURE_NOTE_KEYS: tuple[tuple[str, str], ...] = (
    ("capture price and rate undefined: no contracted volume", "capture_note_no_volume"),
    ("capture rate undefined: the time-weighted mean index price", "capture_note_mean_price"),
)
"""Beginnings of :attr:`SettlementResult.capture_note` texts, and their message keys.

A note that begins otherwise is shown as the library wrote it.
"""

CONTRACT_PARAMS = (
    "strike",
    "price_index",
    "volume",
    "share",
    "baseload_kw",
    "floor",
    "cap",
    "floor_clause",
    "nfc_price",
    "escalation_pct",
)
DATA_PARAMS = (
    "source",
    "fiscal_year",
    "profile_area",
    "capacity_kw",
    "capacity_factor_pct",
    "uploaded_prices",
    "uploaded_generation",
)


@dataclass(frozen=True)
class PageData:
    """Prices and generation the page settles on, with what the screen says of them."""

    prices: pd.DataFrame
    generation_kwh: pd.Series
    prices_real: bool
    generation_real: bool
    prices_source: str
    generation_source: str
    coverage: tuple[YearCoverage, ...]
    """What each fiscal year of the generation (the settled slots) covers."""

    @property
    def partial(self) -> bool:
        """Whether a fiscal year is covered only in part."""
        return not all(c.complete for c in self.coverage)


@pn.cache(max_items=12)
def _area_solar(fiscal_year: int, area: str) -> tuple[pd.Series, bool]:
    """The area's solar per slot [kWh] (TSO actuals) and True, or the sample PV profile and False.

    A fiscal year the TSO files cover in part (FY2023 ends in December 2023) is
    read as it is: the page labels every annual figure with the months covered.
    """
    try:
        catalog = open_catalog()(fiscal_year=fiscal_year, area=area, partial=True)
        actuals = catalog.tso_actuals.read()
    except MissingDataError:
        return sample.pv_profile_kwh_per_kw(fiscal_year=fiscal_year, site=area), False
    return to_slots(actuals["solar_mwh"]) * 1000.0, True


class VPPADashboard(Page):
    """Virtual PPA settlement, capture prices and settlement risk.

    Parameters
    ----------
    strike : float
        First-year strike [JPY/kWh].
    price_index : str
        ``system`` or a JEPX area.
    volume : str
        ``as_produced``, ``baseload`` or ``shaped``.
    share, baseload_kw, floor, cap, floor_clause, nfc_price, escalation_pct
        The other contract terms (escalation in % per year).
    source : str
        ``catalog`` (JEPX prices and an area solar profile of ``fiscal_year``)
        or ``upload``.
    n_scenarios, n_years : int
        Size of the risk simulation.
    """

    title_key = "vppa_title"

    strike = param.Number(default=12.0, bounds=(0.0, 100.0))
    price_index = param.Selector(default="kyushu", objects=list(PRICE_INDICES))
    volume = param.Selector(default="as_produced", objects=["as_produced", "baseload", "shaped"])
    share = param.Number(default=1.0, bounds=(0.01, 1.0))
    baseload_kw = param.Number(default=1500.0, bounds=(1.0, None))
    floor = param.Number(default=None, allow_None=True)
    cap = param.Number(default=None, allow_None=True)
    floor_clause = param.Selector(default="settle", objects=["settle", "exclude"])
    nfc_price = param.Number(default=1.0, bounds=(0.0, 20.0))
    escalation_pct = param.Number(default=0.0, bounds=(-50.0, 50.0))

    source = param.Selector(default="catalog", objects=["catalog", "upload"])
    fiscal_year = param.Selector(default=None, objects=[])
    profile_area = param.Selector(default="kyushu", objects=list(TSO_AREAS))
    capacity_kw = param.Number(default=10_000.0, bounds=(1.0, None))
    capacity_factor_pct = param.Number(default=14.0, bounds=(0.1, 100.0))
    uploaded_prices = param.Parameter(default=None, precedence=-1)
    uploaded_generation = param.Parameter(default=None, precedence=-1)
    upload_messages = param.Dict(default={}, precedence=-1)

    n_scenarios = param.Integer(default=100, bounds=(10, 2000))
    n_years = param.Integer(default=5, bounds=(1, 20))

    def __init__(self, **params) -> None:
        years = fiscal_year_choices()
        self.param.fiscal_year.objects = years
        params.setdefault("fiscal_year", 2022 if 2022 in years else years[-1])
        super().__init__(**params)
        self._settled: tuple[tuple, SettlementResult | str] | None = None
        self._price_input = pn.widgets.FileInput(accept=".csv", css_classes=["vppa-prices-upload"])
        self._generation_input = pn.widgets.FileInput(
            accept=".csv", css_classes=["vppa-generation-upload"]
        )
        self._price_input.param.watch(self._on_price_upload, "value")
        self._generation_input.param.watch(self._on_generation_upload, "value")

    # ----- uploads -------------------------------------------------------------------------

    def receive_upload(self, kind: str, filename: str | None, data: bytes | None) -> None:
        """Parse an uploaded ``prices`` or ``generation`` CSV; keep it or its refusal message."""
        parse = parse_price_csv if kind == "prices" else parse_generation_csv
        outcome = guard_upload(filename, data, parse, suffixes=(".csv",))
        messages = {**self.upload_messages, kind: outcome.message}
        with param.parameterized.batch_call_watchers(self):
            setattr(self, f"uploaded_{kind}", outcome.value)
            self.upload_messages = {k: v for k, v in messages.items() if v}

    def _on_price_upload(self, event: param.parameterized.Event) -> None:
        self.receive_upload("prices", self._price_input.filename, event.new)

    def _on_generation_upload(self, event: param.parameterized.Event) -> None:
        self.receive_upload("generation", self._generation_input.filename, event.new)

    # ----- data and settlement -------------------------------------------------------------

    def page_data(self) -> PageData | str:
        """The prices and generation chosen, or a message saying what is missing."""
        if self.source == "upload":
            if self.uploaded_prices is None or self.uploaded_generation is None:
                return self.text("upload_needed")
            name = self.text("uploaded_file")
            generation = self.uploaded_generation
            coverage = fiscal_year_coverage(generation.index, SLOT)
            return PageData(self.uploaded_prices, generation, True, True, name, name, coverage)
        fiscal_year = int(self.fiscal_year)
        loaded = cached_prices(fiscal_year)
        profile, is_actual = _area_solar(fiscal_year, self.profile_area)
        generation = plant_generation_kwh(
            profile, self.capacity_kw, self.capacity_factor_pct / 100.0, partial=True
        )
        words = {
            "area": area_label(self.profile_area, self.language),
            "fy": fiscal_year,
            "mw": self.capacity_kw / 1000.0,
            "cf": self.capacity_factor_pct,
        }
        described = self.text("tso_profile" if is_actual else "sample_profile").format(**words)
        return PageData(
            loaded.frame,
            generation,
            not loaded.is_sample,
            is_actual,
            self.prices_source(loaded),
            described,
            fiscal_year_coverage(generation.index, SLOT),
        )

    def contract(self, data: PageData) -> VPPAContract:
        """The contract of the form; a shaped volume takes the month x time-of-day mean."""
        shaped = self.volume == "shaped"
        return VPPAContract(
            strike_jpy_per_kwh=float(self.strike),
            price_index=self.price_index,
            volume=self.volume,
            share=float(self.share) if self.volume == "as_produced" else 1.0,
            baseload_kw=float(self.baseload_kw) if self.volume == "baseload" else None,
            shape_kwh=monthly_diurnal_shape_kwh(data.generation_kwh) if shaped else None,
            floor_jpy_per_kwh=self.floor,
            cap_jpy_per_kwh=self.cap,
            floor_price_slots=self.floor_clause,
            nfc_price_jpy_per_kwh=float(self.nfc_price),
            escalation_per_year=float(self.escalation_pct) / 100.0,
        )

    def _key(self, *extra: str) -> tuple:
        values = [getattr(self, name) for name in (*CONTRACT_PARAMS, *DATA_PARAMS, *extra)]
        return tuple(id(v) if isinstance(v, pd.DataFrame | pd.Series) else v for v in values)

    def settlement(self) -> SettlementResult | str:
        """The settled contract, or a readable message why it cannot be settled."""
        key = self._key()
        if self._settled is not None and self._settled[0] == key:
            return self._settled[1]
        try:
            data = self.page_data()
            outcome = (
                data
                if isinstance(data, str)
                else settle(self.contract(data), data.generation_kwh, data.prices)
            )
        except GXDError as exc:
            outcome = screen_message(exc)
        self._settled = (key, outcome)
        return outcome

    def risk(self) -> RiskResult | str:
        """Settlement of the contract over bootstrapped scenarios, or why there is none."""
        try:
            data = self.page_data()
            if isinstance(data, str):
                return data
            if data.partial:
                coverage = coverage_caption(data.coverage, self.language)
                return self.text("risk_needs_full_year").format(coverage=coverage)
            scenarios = bootstrap(
                data.prices, data.generation_kwh, self.n_scenarios, self.n_years, seed=RISK_SEED
            )
            contract = self.contract(data)
            if contract.volume == "shaped":
                shape = monthly_diurnal_shape_kwh(data.generation_kwh, scenarios.index)
                contract = _with_shape(contract, shape)
            return simulate(contract, scenarios)
        except GXDError as exc:
            return screen_message(exc)

    # ----- views ---------------------------------------------------------------------------

    @staticmethod
    def _nothing() -> pn.Spacer:
        """What a plot or table shows when there is no settlement (the totals say why)."""
        return pn.Spacer(height=0)

    def _message(self, outcome: str, kind: str | None = None) -> pn.pane.Alert:
        kind = kind or ("info" if outcome == self.text("upload_needed") else "danger")
        return pn.pane.Alert(outcome, alert_type=kind, name="vppa-message")

    def _caption(
        self, title: str, result: SettlementResult, key: str = "caption_with_coverage"
    ) -> str:
        """A title with the part of each fiscal year that ``result`` settles.

        Plot titles (``key="plot_title_with_coverage"``) put the coverage on a
        line of its own: a plot half the page wide cuts a long title off.
        """
        coverage = coverage_caption(
            fiscal_year_coverage(result.intervals.index, SLOT), self.language
        )
        return self.text(key).format(title=title, coverage=coverage)

    def capture_note(self, result: SettlementResult) -> str:
        """Why capture price or rate is undefined, in the page's language ("" when defined)."""
        note = result.capture_note
        for beginning, key in CAPTURE_NOTE_KEYS:
            if note.startswith(beginning):
                mean = result.intervals["index_price_jpy_per_kwh"].mean()
                return self.text(key).format(mean=mean)
        return note

    def _capture_note_alert(self, result: SettlementResult) -> list[pn.pane.Alert]:
        note = self.capture_note(result)
        if not note:
            return []
        return [pn.pane.Alert(note, alert_type="warning", css_classes=["vppa-capture-note"])]

    def _defined(self, value: float, spec: str) -> str:
        """``value`` formatted, or "undefined" for NaN (the capture note says why)."""
        return format(value, spec) if np.isfinite(value) else self.text("undefined")

    @param.depends(*DATA_PARAMS, "upload_messages", "language")
    def data_status(self) -> pn.Column:
        panes = [
            pn.pane.Alert(f"**{kind}**: {message}", alert_type="danger", name="upload-error")
            for kind, message in self.upload_messages.items()
        ]
        try:
            data = self.page_data()
        except GXDError:
            data = None  # the totals show why the data cannot be read
        if isinstance(data, PageData) and self.source == "catalog":
            panes += [
                self.data_status_alert(not real, source, key)
                for key, real, source in (
                    ("prices_label", data.prices_real, data.prices_source),
                    ("generation_label", data.generation_real, data.generation_source),
                )
            ]
        if isinstance(data, PageData) and data.partial:
            coverage = coverage_caption(data.coverage, self.language)
            panes.append(
                pn.pane.Alert(
                    self.text("partial_year_alert").format(coverage=coverage),
                    alert_type="warning",
                    css_classes=["data-coverage"],
                )
            )
        return pn.Column(*panes, sizing_mode="stretch_width")

    @param.depends(*CONTRACT_PARAMS, *DATA_PARAMS, "language")
    def totals(self) -> pn.viewable.Viewable:
        result = self.settlement()
        if isinstance(result, str):
            return self._message(result)
        intervals = result.intervals
        rows = [
            ("total_settlement", f"{result.total_jpy:,.0f}"),
            ("net_payer", self.text(f"payer_{result.payer}")),
            ("contracted_volume", f"{result.total_volume_kwh / 1e3:,.1f}"),
            ("capture_price", self._defined(result.capture_price, ".2f")),
            ("time_weighted_price", f"{intervals['index_price_jpy_per_kwh'].mean():.2f}"),
            ("capture_rate", self._defined(result.capture_rate, ".3f")),
            ("mean_settlement", self._defined(result.mean_settlement_jpy_per_kwh, ".2f")),
            ("certificate_cost", f"{result.total_certificate_cost_jpy:,.0f}"),
            ("excluded_slots", f"{result.excluded_slots:,}"),
        ]
        return pn.Column(
            pn.pane.Markdown(f"#### {self._caption(self.text('totals'), result)}"),
            self.statistics_table(rows, "vppa-totals"),
            *self._capture_note_alert(result),
            sizing_mode="stretch_width",
        )

    def _payer_labels(self) -> dict[str, str]:
        return {who: self.text(f"payer_{who}") for who in ("generator", "buyer")}

    @param.depends(*CONTRACT_PARAMS, *DATA_PARAMS, "language")
    def monthly_bars(self) -> hv.Element | pn.pane.Alert:
        result = self.settlement()
        if isinstance(result, str):
            return self._nothing()
        return monthly_settlement_bars(
            result,
            payer_labels=self._payer_labels(),
            title=self._caption(
                self.text("monthly_settlement_title"), result, "plot_title_with_coverage"
            ),
            xlabel=self.text("month"),
            ylabel=self.text("settlement_mjpy"),
        )

    @param.depends(*CONTRACT_PARAMS, *DATA_PARAMS, "language")
    def cumulative(self) -> hv.Element | pn.pane.Alert:
        result = self.settlement()
        if isinstance(result, str):
            return self._nothing()
        return cumulative_settlement(
            result,
            title=self._caption(self.text("cumulative_title"), result, "plot_title_with_coverage"),
            xlabel=self.text("date"),
            ylabel=self.text("settlement_mjpy"),
        )

    @param.depends(*CONTRACT_PARAMS, *DATA_PARAMS, "language")
    def capture(self) -> pn.viewable.Viewable:
        result = self.settlement()
        if isinstance(result, str):
            return self._nothing()
        table = capture_table(result)
        table["month"] = table["month"].replace({"total": self.text("total")})
        table.columns = [
            self.text(key)
            for key in (
                "month",
                "volume_mwh",
                "capture_price",
                "average_price",
                "capture_rate",
                "settlement_mjpy",
            )
        ]
        return pn.Column(
            pn.pane.Markdown(f"#### {self._caption(self.text('capture_title'), result)}"),
            pn.widgets.Tabulator(
                table.round(3),
                show_index=False,
                disabled=True,
                css_classes=["vppa-capture"],
                sizing_mode="stretch_width",
            ),
            *self._capture_note_alert(result),
        )

    @param.depends(*CONTRACT_PARAMS, *DATA_PARAMS, "n_scenarios", "n_years", "language")
    def risk_view(self) -> pn.viewable.Viewable:
        risk = self.risk()
        if isinstance(risk, str) and isinstance(self.settlement(), str):
            return self._nothing()
        data = self.page_data()
        if isinstance(risk, str):
            return self._message(risk, "warning" if data.partial else None)
        low = risk.percentiles([RISK_ALPHA]).iloc[0]
        columns = {
            "contract_year": risk.annual.columns,
            "expected_annual": risk.annual.mean(),
            "quantile_5": low,
            "cfar": risk.cfar(RISK_ALPHA),
            "expected_shortfall": risk.expected_shortfall(RISK_ALPHA),
        }
        table = pd.DataFrame(
            {
                self.text(key): values if key == "contract_year" else _yen(values)
                for key, values in columns.items()
            }
        )
        histogram = settlement_histogram(
            risk,
            alpha=RISK_ALPHA,
            title=self.text("plot_title_with_coverage").format(
                title=self.text("risk_plot_title").format(
                    n=risk.annual.shape[0], years=risk.annual.shape[1]
                ),
                coverage=self.text("risk_history").format(
                    coverage=coverage_caption(data.coverage, self.language)
                ),
            ),
            xlabel=self.text("annual_settlement_mjpy"),
            ylabel=self.text("scenario_years"),
            mean_label=self.text("mean_line"),
            quantile_label=self.text("quantile_line"),
        )
        return pn.Column(
            pn.pane.HoloViews(histogram, sizing_mode="stretch_width", linked_axes=False),
            pn.widgets.Tabulator(
                table,
                show_index=False,
                disabled=True,
                css_classes=["vppa-risk"],
                sizing_mode="stretch_width",
                layout="fit_columns",
            ),
            sizing_mode="stretch_width",
        )

    # ----- downloads -----------------------------------------------------------------------

    def statement(self) -> pd.DataFrame | None:
        """The monthly statement with a total row, or None when nothing is settled."""
        result = self.settlement()
        return None if isinstance(result, str) else statement_frame(result)

    def statement_csv(self) -> io.BytesIO:
        """The statement as UTF-8 CSV (full precision), or the reason there is none."""
        frame = self.statement()
        if frame is None:
            return io.BytesIO(f"message\n{self.settlement()}\n".encode())
        return io.BytesIO(frame.to_csv(index=False).encode("utf-8"))

    def statement_xlsx(self) -> io.BytesIO:
        """The statement and the contract terms as an Excel workbook (openpyxl)."""
        buffer = io.BytesIO()
        frame = self.statement()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            if frame is None:
                pd.DataFrame({"message": [self.settlement()]}).to_excel(
                    writer, sheet_name="statement", index=False
                )
            else:
                frame.to_excel(writer, sheet_name="statement", index=False)
                self.terms().to_excel(writer, sheet_name="contract", index=False)
        buffer.seek(0)
        return buffer

    def terms(self) -> pd.DataFrame:
        """The contract terms, the data choice and the months settled, for the second sheet."""
        names = (*CONTRACT_PARAMS, "source", "fiscal_year", "profile_area", "capacity_kw")
        names += ("capacity_factor_pct",)
        values = [str(getattr(self, n)) for n in names]
        result = self.settlement()
        if not isinstance(result, str):
            names += ("coverage",)
            values.append(coverage_caption(fiscal_year_coverage(result.intervals.index, SLOT)))
        return pd.DataFrame({"term": list(names), "value": values})

    # ----- layout --------------------------------------------------------------------------

    def _widgets(self) -> dict[str, pn.widgets.Widget]:
        w = pn.widgets
        clause = {self.text("clause_settle"): "settle", self.text("clause_exclude"): "exclude"}
        volumes = {self.text(v): v for v in ("as_produced", "baseload", "shaped")}
        sources = {self.text("catalog_data"): "catalog", self.text("uploaded_data"): "upload"}
        areas = {area_label(a, self.language): a for a in TSO_AREAS}
        return {
            "strike": w.FloatInput.from_param(self.param.strike, step=0.5),
            "price_index": w.Select.from_param(
                self.param.price_index, options=area_options(self.language)
            ),
            "volume_type": w.Select.from_param(self.param.volume, options=volumes),
            "share": w.FloatInput.from_param(self.param.share, step=0.05),
            "baseload_kw": w.FloatInput.from_param(self.param.baseload_kw, step=100.0),
            "settlement_floor": w.FloatInput.from_param(self.param.floor, step=0.5),
            "settlement_cap": w.FloatInput.from_param(self.param.cap, step=0.5),
            "floor_clause": w.Select.from_param(self.param.floor_clause, options=clause),
            "nfc_price": w.FloatInput.from_param(self.param.nfc_price, step=0.1),
            "escalation": w.FloatInput.from_param(self.param.escalation_pct, step=0.5),
            "data_choice": w.RadioButtonGroup.from_param(
                self.param.source, options=sources, button_type="light"
            ),
            "fiscal_year": w.Select.from_param(self.param.fiscal_year),
            "profile_area": w.Select.from_param(self.param.profile_area, options=areas),
            "capacity_kw": w.FloatInput.from_param(self.param.capacity_kw, step=1000.0),
            "capacity_factor": w.FloatInput.from_param(self.param.capacity_factor_pct, step=0.5),
        }

    def sidebar(self) -> list:
        widgets = self._widgets()
        for key, widget in widgets.items():
            widget.label = self.text(key)

        def relabel(event: param.parameterized.Event) -> None:
            fresh = self._widgets()
            for key, widget in widgets.items():
                widget.label = self.text(key)
                if hasattr(widget, "options") and isinstance(fresh[key].options, dict):
                    widget.options = fresh[key].options
            contract_title.object = f"### {self.text('contract')}"
            data_title.object = f"### {self.text('data_choice')}"

        self.param.watch(relabel, "language")
        contract_title = pn.pane.Markdown(f"### {self.text('contract')}")
        data_title = pn.pane.Markdown(f"### {self.text('data_choice')}")
        catalog_inputs = pn.Column(
            widgets["fiscal_year"],
            widgets["profile_area"],
            widgets["capacity_kw"],
            widgets["capacity_factor"],
            visible=self.param.source.rx() == "catalog",
        )
        upload_inputs = pn.Column(
            pn.pane.Markdown(
                pn.bind(lambda _: f"{self.text('price_upload')}", self.param.language)
            ),
            self._price_input,
            pn.pane.Markdown(
                pn.bind(lambda _: f"{self.text('generation_upload')}", self.param.language)
            ),
            self._generation_input,
            visible=self.param.source.rx() == "upload",
        )
        return [
            contract_title,
            *(widgets[k] for k in ("strike", "price_index", "volume_type")),
            pn.Column(widgets["share"], visible=self.param.volume.rx() == "as_produced"),
            pn.Column(widgets["baseload_kw"], visible=self.param.volume.rx() == "baseload"),
            *(
                widgets[k]
                for k in ("settlement_floor", "settlement_cap", "floor_clause", "nfc_price")
            ),
            widgets["escalation"],
            data_title,
            widgets["data_choice"],
            catalog_inputs,
            upload_inputs,
        ]

    def main(self) -> list:
        intro = pn.pane.Markdown(pn.bind(lambda _: self.text("vppa_intro"), self.param.language))
        downloads = pn.FlexBox(
            pn.widgets.FileDownload(
                callback=self.statement_csv,
                filename="vppa_statement.csv",
                label=self.text("download_csv"),
                button_type="primary",
            ),
            pn.widgets.FileDownload(
                callback=self.statement_xlsx,
                filename="vppa_statement.xlsx",
                label=self.text("download_xlsx"),
                button_type="light",
            ),
        )
        risk_controls = pn.FlexBox(
            pn.widgets.IntInput.from_param(self.param.n_scenarios, step=50, width=140),
            pn.widgets.IntInput.from_param(self.param.n_years, width=140),
        )

        def relabel_main(event: param.parameterized.Event) -> None:
            downloads[0].label = self.text("download_csv")
            downloads[1].label = self.text("download_xlsx")
            risk_controls[0].label = self.text("n_scenarios")
            risk_controls[1].label = self.text("n_years")

        relabel_main(None)
        self.param.watch(relabel_main, "language")
        risk_intro = pn.pane.Markdown(
            pn.bind(
                lambda _: f"### {self.text('risk_title')}\n{self.text('risk_intro')}",
                self.param.language,
            )
        )
        return [
            side_by_side(pn.Column(intro, self.data_status, downloads), pn.Column(self.totals)),
            side_by_side(
                pn.panel(self.monthly_bars, linked_axes=False),
                pn.panel(self.cumulative, linked_axes=False),
            ),
            pn.panel(self.capture, sizing_mode="stretch_width"),
            pn.Column(
                risk_intro,
                risk_controls,
                pn.panel(self.risk_view, sizing_mode="stretch_width", loading_indicator=True),
                sizing_mode="stretch_width",
            ),
        ]


def _yen(values: pd.Series) -> list[str]:
    return [f"{v:,.0f}" for v in values]


def _with_shape(contract: VPPAContract, shape_kwh: pd.Series) -> VPPAContract:
    return dataclasses.replace(contract, shape_kwh=shape_kwh)

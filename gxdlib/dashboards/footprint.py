"""The supply-chain emissions page: PACT footprints against spend-based estimates.

The page wires uploads (PACT JSON v2.x/v3.0, a purchase ledger) or the sample
data to :func:`gxdlib.footprint.scope3_category1`, :func:`~gxdlib.footprint.gap_report`
and :func:`~gxdlib.footprint.reflect_reduction`, and lays the results out with
:mod:`gxdlib.viz.footprint`: primary-data coverage, the method mix, the Pareto of
suppliers still estimated, primary data against the spend-based estimate, a
supplier's reduction seen both ways, and the line-level result to download.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

import holoviews as hv
import pandas as pd
import panel as pn
import param

from gxdlib import sample
from gxdlib.dashboards.base import ACCENT, Page, side_by_side
from gxdlib.dashboards.i18n import register_labels
from gxdlib.dashboards.uploads import guard_upload
from gxdlib.footprint import (
    METHODS,
    AverageFactors,
    GapReport,
    ProductFootprint,
    Scope3Result,
    SpendFactors,
    gap_report,
    reflect_reduction,
    scope3_category1,
)
from gxdlib.io.footprint_uploads import (
    LEDGER_SUFFIXES,
    PACT_SUFFIXES,
    parse_pact_upload,
    parse_purchases,
)
from gxdlib.viz.footprint import line_table, method_mix_bars, pareto_chart, primary_vs_estimate

PARETO_TOP = 25
"""Suppliers drawn in the Pareto chart (the cumulative share counts all of them)."""

register_labels(
    {
        "footprint_title": (
            "Supply-chain emissions: where Scope 3 rests on primary data",
            "サプライチェーン排出量：Scope 3 のどこが一次データか",
        ),
        "footprint_intro": (
            "Scope 3 category 1 (purchased goods and services) by the GHG Protocol's hybrid "
            "hierarchy: each ledger line uses the supplier's PACT product footprint when one "
            "matches, else an average-data factor, else a spend-based factor. Only the lines "
            "assessed with a supplier's PCF can show that supplier's reductions.",
            "GHG プロトコルのハイブリッド法による Scope 3 カテゴリ 1（購入した製品・サービス）："
            "台帳の各行に、該当するサプライヤーの PACT 製品カーボンフットプリント（PCF）があれば"
            "それを、なければ平均データの原単位を、それもなければ金額ベースの原単位を使います。"
            "サプライヤーの削減努力が反映されるのは PCF で算定した行だけです。",
        ),
        "data_heading": ("Data", "データ"),
        "pact_upload": (
            "PACT footprints (JSON, one or more)",
            "PACT フットプリント（JSON、複数可）",
        ),
        "ledger_upload": ("Purchase ledger (CSV or Excel)", "購買台帳（CSV または Excel）"),
        "ledger_hint": (
            "PACT: specVersion 2.0-2.3 or 3.0, one footprint, a list or an API response "
            '{"data": [...]}. Ledger columns: supplier_id, supplier_name, '
            "product_id (optional), description, "
            "sector (a spend-factor code), quantity, quantity_unit, spend_jpy, fiscal_year.",
            'PACT：specVersion 2.0〜2.3 または 3.0、単体・配列・API 応答 {"data": [...]}。'
            "台帳の列：supplier_id, supplier_name, product_id（任意）, description, "
            "sector（金額原単位のコード）, quantity, quantity_unit, spend_jpy, fiscal_year。",
        ),
        "use_sample": ("Use the sample data", "サンプルデータを使う"),
        "fp_fiscal_year": ("Fiscal year (April-March)", "年度（4月〜3月）"),
        "footprints_label": ("PCFs", "PCF"),
        "ledger_label": ("Ledger", "台帳"),
        "fp_all_sample": ("Sample data", "サンプルデータ"),
        "fp_partly_sample": ("Partly sample data", "一部サンプルデータ"),
        "fp_uploaded": ("Uploaded data", "アップロードしたデータ"),
        "factors_label": ("Secondary factors", "二次データの原単位"),
        "sample_pcfs": (
            "Sample (invented): {counts} from gxdlib.sample",
            "サンプル（架空）：{counts}（gxdlib.sample）",
        ),
        "uploaded_pcfs": ("Uploaded: {files} ({counts})", "アップロード：{files}（{counts}）"),
        "sample_ledger": (
            "Sample (invented electronics maker): {lines:,} lines, {suppliers} suppliers",
            "サンプル（架空の電機メーカー）：{lines:,} 行、サプライヤー {suppliers} 社",
        ),
        "uploaded_ledger": (
            "Uploaded: {file} ({lines:,} lines, {suppliers} suppliers)",
            "アップロード：{file}（{lines:,} 行、サプライヤー {suppliers} 社）",
        ),
        "factors_note": (
            "Illustrative sample factors, not official figures (gxdlib/data)",
            "例示用のサンプル原単位であり、公式値ではありません（gxdlib/data）",
        ),
        "pact_refused": ("PACT file refused", "PACT ファイルを受け付けられません"),
        "ledger_refused": ("Ledger refused", "台帳を受け付けられません"),
        "still_showing": (
            "The page still shows the previous data.",
            "画面には直前のデータを表示しています。",
        ),
        "coverage_spend": ("Primary data, share of spend", "一次データ：金額ベースの比率"),
        "coverage_emissions": (
            "Primary data, share of emissions",
            "一次データ：排出量ベースの比率",
        ),
        "kpi_heading": ("Key figures", "主要指標"),
        "kpi_total": ("Scope 3 category 1 [t-CO2e]", "Scope 3 カテゴリ 1 [t-CO2e]"),
        "kpi_cov_spend": (
            "Primary-data coverage by spend [%]",
            "一次データのカバー率（金額）[%]",
        ),
        "kpi_cov_emissions": (
            "Primary-data coverage by emissions [%]",
            "一次データのカバー率（排出量）[%]",
        ),
        "kpi_pds": (
            "Weighted primaryDataShare of PCFs used [%]",
            "使用した PCF の primaryDataShare（排出量加重）[%]",
        ),
        "kpi_lines": ("Ledger lines (unassessed)", "台帳の行数（未算定）"),
        "kpi_pcfs_used": ("PCFs used / given", "使用した PCF / 受領した PCF"),
        "kpi_item": ("Figure", "指標"),
        "kpi_value": ("Value", "値"),
        "method_supplier-specific": ("Supplier-specific (PCF)", "サプライヤー固有（PCF）"),
        "method_average-data": ("Average-data", "平均データ"),
        "method_spend-based": ("Spend-based", "金額ベース"),
        "method_unassessed": ("Unassessed", "未算定"),
        "basis_spend": ("Spend", "金額"),
        "basis_emissions": ("Emissions", "排出量"),
        "mix_title": ("Method mix", "算定方法の内訳"),
        "share_pct": ("Share [%]", "比率 [%]"),
        "pareto_title": (
            "Suppliers still estimated: engagement priorities (Pareto)",
            "推計値のままのサプライヤー：働きかけの優先順位（パレート図）",
        ),
        "supplier": ("Supplier", "サプライヤー"),
        "estimated_t": ("Estimated emissions [t-CO2e]", "推計排出量 [t-CO2e]"),
        "cumulative_pct": ("Cumulative share of estimates [%]", "推計値に占める累積比率 [%]"),
        "no_pcf": ("No PCF at all", "PCF なし"),
        "some_pcf": ("PCF for some lines", "一部の行に PCF あり"),
        "scatter_title": (
            "Primary data against the spend-based estimate, per line",
            "行ごとの一次データと金額ベース推計値",
        ),
        "spend_based_kg": ("Spend-based estimate [kgCO2e]", "金額ベース推計値 [kgCO2e]"),
        "primary_kg": ("From the supplier's PCF [kgCO2e]", "サプライヤーの PCF による値 [kgCO2e]"),
        "parity": ("1:1", "1:1"),
        "no_primary": (
            "No line is assessed with a PCF: nothing to compare.",
            "PCF で算定した行がないため、比較できません。",
        ),
        "reduction_heading": (
            "A supplier cuts its PCF: does it show?",
            "サプライヤーが PCF を削減すると反映されるか",
        ),
        "reduction_note": (
            "Through the supplier's PCFs the cut reaches the customer's Scope 3; a spend-based "
            "estimate does not move, since the spend is the same (GHG Protocol Scope 3 "
            "Technical Guidance, category 1).",
            "サプライヤーの PCF を使えば削減が顧客の Scope 3 に反映されますが、金額ベースの推計値は"
            "支出額が変わらない限り動きません"
            "（GHG プロトコル Scope 3 算定技術ガイダンス、カテゴリ 1）。",
        ),
        "reduction_supplier": ("Supplier with PCFs", "PCF のあるサプライヤー"),
        "reduction_pct": ("PCF reduction [%]", "PCF の削減率 [%]"),
        "accounting": ("Figure", "指標"),
        "acc_hybrid": ("Hybrid (with PCFs)", "ハイブリッド（PCF 使用）"),
        "acc_spend": ("Spend-based only", "金額ベースのみ"),
        "before_t": ("Before [t-CO2e]", "削減前 [t-CO2e]"),
        "after_t": ("After [t-CO2e]", "削減後 [t-CO2e]"),
        "change_pct": ("Change [%]", "変化 [%]"),
        "supplier_after_t": ("Supplier after [t-CO2e]", "同サプライヤー削減後 [t-CO2e]"),
        "col_line_id": ("Line", "行"),
        "col_supplier_id": ("Supplier ID", "サプライヤー ID"),
        "col_supplier_name": ("Supplier name", "サプライヤー名"),
        "col_product_id": ("Product ID", "製品 ID"),
        "col_sector": ("Sector", "セクター"),
        "col_fiscal_year": ("FY", "年度"),
        "col_quantity": ("Quantity", "数量"),
        "col_quantity_unit": ("Unit", "単位"),
        "col_spend_jpy": ("Spend [JPY]", "購入額 [円]"),
        "col_method": ("Method", "算定方法"),
        "col_emissions_kgco2e": ("Emissions [kgCO2e]", "排出量 [kgCO2e]"),
        "col_spend_based_kgco2e": ("Spend-based [kgCO2e]", "金額ベース [kgCO2e]"),
        "col_footprint_id": ("PCF id", "PCF の ID"),
        "col_data_quality": ("Data quality", "データ品質"),
        "col_primary_data_issue": ("Why no PCF", "PCF を使えない理由"),
        "drill_heading": ("Line-level result", "行ごとの算定結果"),
        "drill_sector": ("Sector", "セクター"),
        "drill_supplier": ("Supplier", "サプライヤー"),
        "all": ("All", "すべて"),
        "download_lines": ("Download lines (CSV)", "行ごとの結果をダウンロード（CSV）"),
        "no_lines": (
            "The ledger has no line in this fiscal year.",
            "この年度の台帳データがありません。",
        ),
    }
)


@dataclass(frozen=True)
class Assessment:
    """The page's current result: Scope 3 of one fiscal year and its gap report."""

    result: Scope3Result
    gaps: GapReport
    footprints_given: int


@pn.cache(max_items=1)
def _sample_data() -> tuple[list[ProductFootprint], pd.DataFrame]:
    return sample.supply_chain_footprints(), sample.supply_chain_ledger()


@pn.cache(max_items=1)
def _factors() -> tuple[SpendFactors, AverageFactors]:
    return SpendFactors.sample(), AverageFactors.sample()


def version_counts(footprints: list[ProductFootprint]) -> str:
    """``"61 v2.x, 98 v3.0"``: how many footprints of each specification major version.

    Examples
    --------
    >>> from gxdlib.sample import supply_chain_footprints
    >>> version_counts(supply_chain_footprints())
    '61 v2.x, 98 v3.0'
    """
    counts = Counter(fp.spec_major for fp in footprints)
    names = {2: "v2.x", 3: "v3.0"}
    return ", ".join(f"{counts[m]} {names[m]}" for m in sorted(counts))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$&])")


def escape_markdown(text: str) -> str:
    r"""``text`` with Markdown's special characters escaped, so it shows as typed.

    Examples
    --------
    >>> escape_markdown("'kg_co2' is not <one> of [a]")
    "'kg\\_co2' is not \\<one\\> of \\[a\\]"
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def problems_markdown(title: str, message: str) -> str:
    """A refusal message as Markdown: the summary, then one bullet per problem.

    A :class:`~gxdlib.errors.ValidationError` message holds its problems on
    lines starting ``"  - "``; a JSON path leading a problem is shown as code.

    Examples
    --------
    >>> print(problems_markdown("Refused", "f.json: 2 problem(s)\\n  - $.id: bad\\n  - $.pcf: x"))
    **Refused**: f.json: 2 problem(s)
    <BLANKLINE>
    - `$.id`: bad
    - `$.pcf`: x
    """
    head, *rest = message.split("\n")
    items = []
    for line in rest:
        problem = line.strip().removeprefix("- ")
        path, sep, what = problem.partition(": ")
        if sep and path.startswith("$"):
            code = path.replace("`", "'")
            items.append(f"- `{code}`: {escape_markdown(what)}")
        elif problem:
            items.append(f"- {escape_markdown(problem)}")
    text = f"**{title}**: {escape_markdown(head)}"
    return text + ("\n\n" + "\n".join(items) if items else "")


class FootprintDashboard(Page):
    """Scope 3 category 1 from PACT footprints and a purchase ledger, and its gaps.

    Parameters
    ----------
    fiscal_year : int
        Fiscal year of the ledger assessed (April to March).
    reduction_supplier : str
        Supplier whose PCF reduction is reflected.
    reduction_pct : float
        That supplier's PCF reduction [%].
    """

    title_key = "footprint_title"

    fiscal_year = param.Selector(default=None, objects=[])
    reduction_supplier = param.Selector(default=None, objects=[])
    reduction_pct = param.Number(default=30.0, bounds=(0.0, 100.0))
    drill_sector = param.String(default="")
    drill_supplier = param.String(default="")

    footprints = param.List(default=[], precedence=-1)
    footprint_files = param.List(default=[], precedence=-1, doc="uploaded names; [] = sample")
    ledger = param.DataFrame(default=None, precedence=-1)
    ledger_file = param.String(default="", precedence=-1, doc="uploaded name; '' = sample")
    upload_errors = param.Dict(default={}, precedence=-1)
    assessment = param.Parameter(default=None, precedence=-1)

    def __init__(self, **params) -> None:
        # Gauges and tables re-render on every change: their scripts must load up front.
        pn.extension("echarts", "tabulator")
        footprints, ledger = _sample_data()
        params.setdefault("footprints", footprints)
        params.setdefault("ledger", ledger)
        super().__init__(**params)
        self._pact_input = pn.widgets.FileInput(
            accept=",".join(PACT_SUFFIXES), multiple=True, css_classes=["pact-upload"]
        )
        self._ledger_input = pn.widgets.FileInput(
            accept=",".join(LEDGER_SUFFIXES), css_classes=["ledger-upload"]
        )
        self._pact_input.param.watch(self._on_pact_upload, "value")
        self._ledger_input.param.watch(self._on_ledger_upload, "value")
        self._year_choices()
        self._assess()

    # ----- uploads -------------------------------------------------------------------------

    def receive_pact(self, filenames: list[str], contents: list[bytes]) -> None:
        """Read uploaded PACT files; use them only if every one is accepted."""
        outcomes = [
            guard_upload(name, data, parse_pact_upload, suffixes=PACT_SUFFIXES)
            for name, data in zip(filenames, contents, strict=True)
        ]
        refused = [o.message for o in outcomes if not o.accepted]
        with param.parameterized.batch_call_watchers(self):
            self.upload_errors = {**self.upload_errors, "pact": refused}
            if not refused:
                self.footprints = [fp for o in outcomes for fp in o.value]
                self.footprint_files = list(filenames)

    def receive_ledger(self, filename: str, data: bytes) -> None:
        """Read an uploaded ledger; use it if accepted."""
        outcome = guard_upload(filename, data, parse_purchases, suffixes=LEDGER_SUFFIXES)
        with param.parameterized.batch_call_watchers(self):
            self.upload_errors = {
                **self.upload_errors,
                "ledger": [] if outcome.accepted else [outcome.message],
            }
            if outcome.accepted:
                self.ledger = outcome.value
                self.ledger_file = filename

    def use_sample(self, event: object = None) -> None:
        """Back to the sample footprints and ledger."""
        footprints, ledger = _sample_data()
        with param.parameterized.batch_call_watchers(self):
            self.upload_errors = {}
            self.footprints = footprints
            self.footprint_files = []
            self.ledger = ledger
            self.ledger_file = ""

    def _on_pact_upload(self, event: param.parameterized.Event) -> None:
        names, contents = self._pact_input.filename, event.new
        if contents is None:
            return
        if isinstance(contents, bytes):
            names, contents = [names], [contents]
        self.receive_pact(list(names), list(contents))

    def _on_ledger_upload(self, event: param.parameterized.Event) -> None:
        if event.new is not None:
            self.receive_ledger(self._ledger_input.filename, event.new)

    # ----- computation ---------------------------------------------------------------------

    @param.depends("ledger", watch=True)
    def _year_choices(self) -> None:
        years = sorted(int(y) for y in self.ledger["fiscal_year"].unique())
        self.param.fiscal_year.objects = years
        if self.fiscal_year not in years:
            self.fiscal_year = years[-1] if years else None

    @param.depends("footprints", "ledger", "fiscal_year", watch=True)
    def _assess(self) -> None:
        spend_factors, average_factors = _factors()
        lines = self.ledger[self.ledger["fiscal_year"] == self.fiscal_year]
        result = scope3_category1(lines, self.footprints, spend_factors, average_factors)
        primary = result.lines["method"].eq("supplier-specific")
        suppliers = (
            result.lines.loc[primary]
            .groupby("supplier_id", sort=False)["emissions_kgco2e"]
            .sum()
            .sort_values(ascending=False)
        )
        choices = [str(s) for s in suppliers.index]
        with param.parameterized.batch_call_watchers(self):
            self.param.reduction_supplier.objects = choices
            if self.reduction_supplier not in choices:
                self.reduction_supplier = choices[0] if choices else None
            self.drill_sector = ""
            self.drill_supplier = ""
            self.assessment = Assessment(result, gap_report(result), len(self.footprints))

    @property
    def result(self) -> Scope3Result:
        return self.assessment.result

    # ----- views ---------------------------------------------------------------------------

    @param.depends("assessment", "upload_errors", "language")
    def data_status(self) -> pn.Column:
        panes = [
            pn.pane.Alert(
                problems_markdown(self.text(f"{kind}_refused"), message)
                + f"\n\n{self.text('still_showing')}",
                alert_type="danger",
                name=f"{kind}-error",
                sizing_mode="stretch_width",
            )
            for kind, messages in self.upload_errors.items()
            for message in messages
        ]
        if self.footprint_files:
            pcfs = self.text("uploaded_pcfs").format(
                files=", ".join(self.footprint_files), counts=version_counts(self.footprints)
            )
        else:
            pcfs = self.text("sample_pcfs").format(counts=version_counts(self.footprints))
        ledger_key = "uploaded_ledger" if self.ledger_file else "sample_ledger"
        ledger = self.text(ledger_key).format(
            file=self.ledger_file,
            lines=len(self.ledger),
            suppliers=self.ledger["supplier_id"].nunique(),
        )
        uploads = bool(self.footprint_files) + bool(self.ledger_file)
        kind = self.text(("fp_all_sample", "fp_partly_sample", "fp_uploaded")[uploads])
        uploaded = uploads == 2
        status = (
            f"**{self.text('data_status')}: {kind}**\n\n"
            f"- {self.text('footprints_label')}: {escape_markdown(pcfs)}\n"
            f"- {self.text('ledger_label')}: {escape_markdown(ledger)}\n"
            f"- {self.text('factors_label')}: {self.text('factors_note')}"
        )
        panes.append(
            pn.pane.Alert(
                status,
                alert_type="success" if uploaded else "warning",
                name="data-status",
                sizing_mode="stretch_width",
            )
        )
        return pn.Column(*panes, sizing_mode="stretch_width")

    def key_figures(self) -> pd.DataFrame:
        """The figures of the KPI table, formatted for the screen (label, value)."""
        result = self.result
        lines = result.lines
        used = lines["footprint_id"].dropna().nunique()
        pds = result.primary_data_share()
        rows = [
            ("kpi_total", f"{result.total_kgco2e / 1000:,.1f}"),
            ("kpi_cov_spend", _pct(result.primary_coverage_by_spend)),
            ("kpi_cov_emissions", _pct(result.primary_coverage_by_emissions)),
            ("kpi_pds", _pct(pds["within_supplier_specific_pct"] / 100)),
            ("kpi_lines", f"{len(lines):,} ({len(result.unassessed()):,})"),
            ("kpi_pcfs_used", f"{used:,} / {self.assessment.footprints_given:,}"),
        ]
        return pd.DataFrame(
            {
                self.text("kpi_item"): [self.text(k) for k, _ in rows],
                self.text("kpi_value"): [v for _, v in rows],
            }
        )

    @param.depends("assessment", "language")
    def kpis(self) -> pn.viewable.Viewable:
        if self.result.lines.empty:
            return pn.pane.Alert(self.text("no_lines"), alert_type="info", name="no-lines")
        return pn.widgets.Tabulator(
            self.key_figures(),
            show_index=False,
            disabled=True,
            css_classes=["coverage-kpis"],
            widths={self.text("kpi_item"): 360, self.text("kpi_value"): 110},
            configuration={"columnDefaults": {"headerSort": False}},
        )

    @param.depends("assessment", "language")
    def gauges(self) -> pn.FlexBox:
        result = self.result
        shares = (
            ("coverage_spend", result.primary_coverage_by_spend),
            ("coverage_emissions", result.primary_coverage_by_emissions),
        )
        return pn.FlexBox(
            *(
                pn.Column(
                    pn.pane.Markdown(
                        f"**{self.text(key)}**", css_classes=[f"gauge-{key}"], margin=(0, 10)
                    ),
                    pn.indicators.Gauge(
                        label="",
                        value=round(100 * share, 1) if share == share else 0.0,
                        bounds=(0, 100),
                        format="{value} %",
                        colors=[(0.2, "#c0392b"), (0.5, "#e0a526"), (1.0, ACCENT)],
                        width=270,
                        height=270,
                        margin=(0, 5),
                    ),
                )
                for key, share in shares
            )
        )

    def _method_labels(self) -> dict[str, str]:
        return {m: self.text(f"method_{m}") for m in METHODS}

    @param.depends("assessment", "language")
    def method_mix(self) -> hv.Bars:
        return method_mix_bars(
            self.result.coverage(),
            method_labels=self._method_labels(),
            basis_labels={b: self.text(f"basis_{b}") for b in ("spend", "emissions")},
            title=f"{self.text('mix_title')} FY{self.fiscal_year}",
            xlabel="",
            ylabel=self.text("share_pct"),
        )

    @param.depends("assessment", "language")
    def pareto(self) -> hv.Overlay:
        return pareto_chart(
            self.assessment.gaps.pareto,
            top=PARETO_TOP,
            has_data_labels={False: self.text("no_pcf"), True: self.text("some_pcf")},
            title=f"{self.text('pareto_title')} FY{self.fiscal_year}",
            xlabel=self.text("supplier"),
            ylabel=self.text("estimated_t"),
            cumulative_label=self.text("cumulative_pct"),
        )

    @param.depends("assessment", "language")
    def scatter(self) -> hv.Overlay | pn.pane.Alert:
        pvs = self.assessment.gaps.primary_vs_spend
        if pvs.empty:
            return pn.pane.Alert(self.text("no_primary"), alert_type="info", name="no-primary")
        return primary_vs_estimate(
            pvs,
            title=self.text("scatter_title"),
            xlabel=self.text("spend_based_kg"),
            ylabel=self.text("primary_kg"),
            parity_label=self.text("parity"),
        )

    @param.depends("assessment", "reduction_supplier", "reduction_pct", "language")
    def reduction(self) -> pn.viewable.Viewable:
        if self.reduction_supplier is None:
            return pn.pane.Alert(self.text("no_primary"), alert_type="info", name="no-reduction")
        frame = reflect_reduction(self.result, self.reduction_supplier, self.reduction_pct / 100)
        figures = {
            "before_t": _tonnes(frame["scope3_before_kgco2e"]),
            "after_t": _tonnes(frame["scope3_after_kgco2e"]),
            "change_pct": [f"{v:+.2f}" for v in frame["change_pct"]],
            "supplier_after_t": _tonnes(frame["supplier_after_kgco2e"]),
        }
        hybrid, spend_only = (frame["accounting"] == a for a in ("hybrid", "spend-based only"))
        table = pd.DataFrame(
            {
                self.text("accounting"): [self.text(k) for k in figures],
                self.text("acc_hybrid"): [v[hybrid.idxmax()] for v in figures.values()],
                self.text("acc_spend"): [v[spend_only.idxmax()] for v in figures.values()],
            }
        )
        return pn.widgets.Tabulator(
            table,
            show_index=False,
            disabled=True,
            css_classes=["reduction-table"],
            layout="fit_data_table",
            configuration={"columnDefaults": {"headerSort": False}},
        )

    def drill_lines(self) -> pd.DataFrame:
        """The result's lines in the table layout, filtered by sector and supplier."""
        frame = line_table(self.result.lines)
        if self.drill_sector:
            frame = frame[frame["sector"] == self.drill_sector]
        if self.drill_supplier:
            frame = frame[frame["supplier_id"] == self.drill_supplier]
        return frame

    @param.depends("assessment", "drill_sector", "drill_supplier", "language")
    def drill_table(self) -> pn.widgets.Tabulator:
        method_names = self._method_labels()
        frame = self.drill_lines()
        frame["method"] = frame["method"].map(method_names)
        return pn.widgets.Tabulator(
            frame,
            titles={c: self.text(f"col_{c}") for c in frame.columns},
            show_index=False,
            disabled=True,
            pagination="remote",
            page_size=15,
            header_filters={
                "supplier_id": {"type": "input", "func": "like", "placeholder": "S001"},
                "supplier_name": {"type": "input", "func": "like"},
                "sector": {"type": "input", "func": "like"},
                "product_id": {"type": "input", "func": "like"},
            },
            formatters={
                "fiscal_year": {"type": "plaintext"},
                **{
                    c: {"type": "money", "precision": 0}
                    for c in ("spend_jpy", "emissions_kgco2e", "spend_based_kgco2e")
                },
            },
            css_classes=["lines-table"],
            sizing_mode="stretch_width",
            height=560,
        )

    def lines_csv(self) -> io.BytesIO:
        """Every line of the result, all columns, as UTF-8 CSV (with BOM for Excel)."""
        return io.BytesIO(self.result.lines.to_csv().encode("utf-8-sig"))

    # ----- layout --------------------------------------------------------------------------

    def _drill_options(self) -> tuple[dict[str, str], dict[str, str]]:
        lines = self.result.lines
        everything = {self.text("all"): ""}
        sectors = {s: s for s in sorted(lines["sector"].unique())}
        pairs = lines[["supplier_id", "supplier_name"]].drop_duplicates("supplier_id")
        suppliers = {
            f"{i} {n}": i
            for i, n in sorted(zip(pairs["supplier_id"], pairs["supplier_name"], strict=True))
        }
        return {**everything, **sectors}, {**everything, **suppliers}

    def sidebar(self) -> list:
        heading = pn.pane.Markdown(f"### {self.text('data_heading')}")
        self._pact_input.name = self.text("pact_upload")
        self._ledger_input.name = self.text("ledger_upload")
        hint = pn.pane.Markdown(
            escape_markdown(self.text("ledger_hint")), styles={"font-size": "0.85em"}
        )
        sample_button = pn.widgets.Button(name=self.text("use_sample"), button_type="light")
        sample_button.on_click(self.use_sample)
        year = pn.widgets.Select.from_param(
            self.param.fiscal_year, name=self.text("fp_fiscal_year")
        )

        def relabel(event: param.parameterized.Event) -> None:
            heading.object = f"### {self.text('data_heading')}"
            self._pact_input.name = self.text("pact_upload")
            self._ledger_input.name = self.text("ledger_upload")
            hint.object = escape_markdown(self.text("ledger_hint"))
            sample_button.name = self.text("use_sample")
            year.name = self.text("fp_fiscal_year")

        self.param.watch(relabel, "language")
        return [
            heading,
            self._pact_input,
            self._ledger_input,
            hint,
            sample_button,
            year,
        ]

    def main(self) -> list:
        intro = pn.pane.Markdown(
            pn.bind(lambda _: self.text("footprint_intro"), self.param.language)
        )
        sector, supplier = self._drill_options()
        sector_select = pn.widgets.Select(name=self.text("drill_sector"), options=sector)
        supplier_select = pn.widgets.Select(name=self.text("drill_supplier"), options=supplier)
        sector_select.link(self, value="drill_sector")
        supplier_select.link(self, value="drill_supplier")
        supplier_choice = pn.widgets.Select.from_param(
            self.param.reduction_supplier, name=self.text("reduction_supplier")
        )
        reduction = pn.widgets.FloatSlider.from_param(
            self.param.reduction_pct, name=self.text("reduction_pct"), step=5.0
        )
        download = pn.widgets.FileDownload(
            callback=self.lines_csv,
            filename=f"scope3_category1_lines_FY{self.fiscal_year}.csv",
            label=self.text("download_lines"),
            button_type="primary",
        )
        reduction_heading = pn.pane.Markdown(f"### {self.text('reduction_heading')}")
        drill_heading = pn.pane.Markdown(f"### {self.text('drill_heading')}")

        def refresh(event: param.parameterized.Event) -> None:
            sectors, suppliers = self._drill_options()
            sector_select.options, supplier_select.options = sectors, suppliers
            sector_select.value, supplier_select.value = "", ""
            download.filename = f"scope3_category1_lines_FY{self.fiscal_year}.csv"
            for widget, key in (
                (sector_select, "drill_sector"),
                (supplier_select, "drill_supplier"),
                (supplier_choice, "reduction_supplier"),
                (reduction, "reduction_pct"),
            ):
                widget.name = self.text(key)
            download.label = self.text("download_lines")
            reduction_heading.object = f"### {self.text('reduction_heading')}"
            drill_heading.object = f"### {self.text('drill_heading')}"

        self.param.watch(refresh, ["assessment", "language"])
        return [
            side_by_side(pn.Column(intro, self.data_status), pn.Column(self.kpis)),
            side_by_side(pn.panel(self.gauges), pn.panel(self.method_mix)),
            pn.panel(self.pareto, sizing_mode="stretch_width"),
            side_by_side(
                # the scatter keeps its square shape and scrolls on a phone
                pn.Column(self.scatter, scroll=True),
                pn.Column(
                    reduction_heading,
                    pn.pane.Markdown(
                        pn.bind(lambda _: self.text("reduction_note"), self.param.language)
                    ),
                    supplier_choice,
                    reduction,
                    self.reduction,
                ),
            ),
            drill_heading,
            pn.FlexBox(sector_select, supplier_select, download),
            pn.panel(self.drill_table, sizing_mode="stretch_width"),
        ]


def _pct(share: float) -> str:
    return "-" if share != share else f"{100 * share:.1f}"


def _tonnes(values: pd.Series) -> list[str]:
    return [f"{v / 1000:,.1f}" for v in values]

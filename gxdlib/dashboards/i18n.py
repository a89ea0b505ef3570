"""Labels of the dashboards in English and Japanese.

Every text a page shows goes through :func:`label`, so that the English /
日本語 switch changes titles, axis labels and units together. Shared labels
live here; a page module registers its own with :func:`register_labels`.
"""

from __future__ import annotations

from gxdlib.areas import AREA_NAMES_JA, PRICE_INDICES

LANGUAGES: dict[str, str] = {"English": "en", "日本語": "ja"}
"""Language switch options: shown name to code."""

_LABELS: dict[str, tuple[str, str]] = {
    "app_title": ("GXD Workbench", "GXD ワークベンチ"),
    "language": ("Language", "言語"),
    "overview_title": ("Overview: JEPX day-ahead prices", "概要：JEPX スポット価格"),
    "overview_intro": (
        "GXD Workbench gives the members of the Green x Digital Consortium one library, "
        "notebooks and dashboards for renewable procurement and supply-chain emissions.",
        "GXD ワークベンチは、グリーン×デジタルコンソーシアムの会員企業のための、再エネ調達と"
        "サプライチェーン排出量分析のライブラリ・ノートブック・ダッシュボードです。",
    ),
    "pages": ("Pages", "ページ"),
    "page_overview": ("Overview and JEPX price explorer", "概要と JEPX 価格エクスプローラー"),
    "page_vppa": ("Virtual PPA settlement and risk", "バーチャル PPA の精算とリスク"),
    "page_procurement": ("Renewable procurement portfolio", "再エネ調達ポートフォリオ"),
    "page_footprint": (
        "Supply-chain emissions: PCFs against estimates",
        "サプライチェーン排出量：PCF と推計値",
    ),
    "data_status": ("Data", "データ"),
    "real_data": ("Real data", "実データ"),
    "sample_data": ("Sample data (no real data configured)", "サンプルデータ（実データ未設定）"),
    "area": ("Price area", "エリア"),
    "fiscal_year": ("Fiscal year", "年度"),
    "price": ("Price [JPY/kWh]", "価格 [円/kWh]"),
    "mean_price": ("Mean price [JPY/kWh]", "平均価格 [円/kWh]"),
    "max_price": ("Highest price [JPY/kWh]", "最高価格 [円/kWh]"),
    "floor_slots": ("Slots at 0.01 JPY/kWh", "0.01 円/kWh のコマ数"),
    "slots": ("Slots", "コマ数"),
    "heatmap_title": ("Price by slot and day", "日別・コマ別の価格"),
    "duration_title": ("Price duration curve", "価格持続曲線"),
    "monthly_title": ("Monthly mean price", "月平均価格"),
    "day": ("Day", "日"),
    "slot_start": ("Slot start [h, JST]", "コマ開始 [時, JST]"),
    "share_of_slots": ("Share of slots [%]", "コマの割合 [%]"),
    "month": ("Month", "月"),
    "statistic": ("Statistic", "指標"),
    "value": ("Value", "値"),
    "upload_too_large": ("is larger than the limit of", "はサイズ上限を超えています："),
    "upload_refused": ("could not be read", "を読み込めませんでした"),
}


def register_labels(labels: dict[str, tuple[str, str]]) -> None:
    """Add a page's own labels, each ``key: (English, Japanese)``.

    Raises
    ------
    ValueError
        When a key is already registered with other texts.
    """
    for key, texts in labels.items():
        if _LABELS.get(key, texts) != texts:
            raise ValueError(f"label {key!r} is already registered as {_LABELS[key]}")
    _LABELS.update(labels)


def label(key: str, language: str = "en") -> str:
    """The text of ``key`` in ``language`` (``"en"`` or ``"ja"``).

    Examples
    --------
    >>> label("price", "ja")
    '価格 [円/kWh]'
    """
    english, japanese = _LABELS[key]
    return japanese if language == "ja" else english


def area_label(area: str, language: str = "en") -> str:
    """Display name of a price index: ``system`` or one of the nine areas.

    Examples
    --------
    >>> area_label("kyushu", "ja"), area_label("system")
    ('九州', 'System price')
    """
    if area == "system":
        return "システムプライス" if language == "ja" else "System price"
    return AREA_NAMES_JA[area] if language == "ja" else area.capitalize()


def area_options(language: str = "en") -> dict[str, str]:
    """Options of an area selector: display name to price index."""
    return {area_label(area, language): area for area in PRICE_INDICES}

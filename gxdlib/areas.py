"""The nine JEPX price areas and their Japanese names."""

from __future__ import annotations

AREAS: tuple[str, ...] = (
    "hokkaido",
    "tohoku",
    "tokyo",
    "chubu",
    "hokuriku",
    "kansai",
    "chugoku",
    "shikoku",
    "kyushu",
)
"""The nine JEPX areas, in JEPX's column order."""

AREA_NAMES_JA: dict[str, str] = {
    "hokkaido": "北海道",
    "tohoku": "東北",
    "tokyo": "東京",
    "chubu": "中部",
    "hokuriku": "北陸",
    "kansai": "関西",
    "chugoku": "中国",
    "shikoku": "四国",
    "kyushu": "九州",
}
"""Japanese name of each area, as used in JEPX and TSO file headers."""

PRICE_INDICES: tuple[str, ...] = ("system", *AREAS)
"""Every JEPX price a contract can settle against."""

JEPX_PRICE_FLOOR_JPY_PER_KWH = 0.01
"""The JEPX day-ahead price floor [JPY/kWh]; there are no negative prices.

JEPX accepts spot bids from 0.01 JPY/kWh (JEPX, spot market trading rules,
https://www.jepx.jp/).
"""

AT_FLOOR_JPY_PER_KWH = JEPX_PRICE_FLOOR_JPY_PER_KWH + 1e-9
"""Index prices at or below this sit at the JEPX floor (tolerates float parsing) [JPY/kWh]."""

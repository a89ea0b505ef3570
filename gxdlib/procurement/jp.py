"""Default assumptions for procurement in Japan, each with its source.

Every value here is an editable starting point, not a forecast: pass your own
numbers to the resource dataclasses when you have quotes. Values whose source
could not be verified are marked as such.

Sources
-------
- Non-fossil certificates: FIT certificates trade in the renewable-value
  market (再エネ価値取引市場), where buyers may be end users; its floor price
  was 0.3 JPY/kWh and is 0.4 JPY/kWh from the August 2023 auction (FY2023)
  onwards (reivalue.co.jp, blog 2467, 2023). Non-FIT certificates trade in the
  market under the Sophisticated Methods Act (高度化法義務達成市場), retailers
  only; floor 0.6 JPY/kWh (ITmedia Smart Japan, 2024-10-04: the FY2024 first
  auction cleared at the 0.6 floor). The 1.3 JPY/kWh cap is taken from the
  project's domain notes (egmkt.co.jp, solarjournal.jp); it was not re-checked
  against a primary source here.
- Renewable energy surcharge (再エネ賦課金): 3.98 JPY/kWh for FY2025 (May 2025
  to April 2026 bills), METI press release 2025-03-21 "再生可能エネルギーの
  FIT制度・FIP制度における2025年度以降の買取価格等と2025年度の賦課金単価を設定します"
  (https://www.meti.go.jp/press/2024/03/20250321006/20250321006.html). It is
  levied on grid-supplied electricity, not on on-site generation behind the
  meter (enehub.jp, 2025-03).
- Grid emission factors are not here: :func:`gxdlib.grid.emission_factors`
  ships the published table with its notices, and :mod:`gxdlib.grid` the
  hourly area signal.
- PPA prices: on-site PV PPAs are quoted at about 15-18 JPY/kWh
  (panerou.com/ppa/19262). Off-site PPA prices could not be verified from a
  published source; the off-site figures below are illustrative assumptions.
"""

from __future__ import annotations

from types import MappingProxyType

from gxdlib.procurement.resources import Certificate

FIT_NFC_FLOOR_JPY_PER_KWH = 0.4
"""Floor price of FIT non-fossil certificates since the August 2023 auction [JPY/kWh]."""

FIT_NFC_FLOOR_BEFORE_FY2023_JPY_PER_KWH = 0.3
"""Floor price of FIT non-fossil certificates before FY2023 [JPY/kWh]."""

NON_FIT_NFC_FLOOR_JPY_PER_KWH = 0.6
"""Floor price of non-FIT non-fossil certificates [JPY/kWh]."""

NON_FIT_NFC_CAP_JPY_PER_KWH = 1.3
"""Cap price of non-FIT non-fossil certificates [JPY/kWh] (not re-verified, see module notes)."""

RENEWABLE_SURCHARGE_FY2025_JPY_PER_KWH = 3.98
"""Renewable energy surcharge (再エネ賦課金) for FY2025 [JPY/kWh], METI 2025-03-21."""

ON_SITE_PV_PPA_JPY_PER_KWH = 16.5
"""On-site PV PPA price, the middle of the quoted 15-18 JPY/kWh range [JPY/kWh]."""

OFF_SITE_PPA_JPY_PER_KWH = MappingProxyType(
    {"solar": 14.0, "onshore_wind": 17.0, "offshore_wind": 22.0}
)
"""Off-site PPA prices by technology [JPY/kWh]: ILLUSTRATIVE, UNVERIFIED.

No published source for Japanese off-site PPA prices was found; set your own.
"""


def fit_nfc(max_kwh: float | None = None) -> Certificate:
    """FIT non-fossil certificates at the floor price, bought directly.

    Examples
    --------
    >>> fit_nfc().price_jpy_per_kwh
    0.4
    """
    return Certificate("fit_nfc", FIT_NFC_FLOOR_JPY_PER_KWH, max_kwh)


def utility_renewable_menu(
    premium_jpy_per_kwh: float, name: str = "renewable_menu", max_kwh: float | None = None
) -> Certificate:
    """A utility renewable menu (再エネメニュー) as a certificate at its premium.

    Such menus deliver ordinary grid power with renewable-designated
    non-fossil certificates attached, so for procurement they are the grid
    tariff plus a per-kWh premium for the attributes: they count towards
    annual matching, never towards hourly carbon-free matching. Premiums are
    contract-specific and none is assumed here; a menu backed by non-FIT
    certificates costs the retailer at least their floor price
    (:data:`NON_FIT_NFC_FLOOR_JPY_PER_KWH`).

    Parameters
    ----------
    premium_jpy_per_kwh : float
        The menu's surcharge over the standard tariff [JPY/kWh].
    name : str
        Resource name.
    max_kwh : float, optional
        Volume cap [kWh/year].

    Examples
    --------
    >>> utility_renewable_menu(1.0)
    Certificate(name='renewable_menu', price_jpy_per_kwh=1.0, max_kwh=None)
    """
    return Certificate(name, float(premium_jpy_per_kwh), max_kwh)

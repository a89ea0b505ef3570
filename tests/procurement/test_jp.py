"""Japanese default assumptions and their use as resources."""

from __future__ import annotations

import pandas as pd
import pytest

from gxdlib.areas import AREAS
from gxdlib.procurement import Grid, Target, jp, optimize


def test_emission_factor_tables_cover_the_ten_utility_areas():
    for table in (jp.GRID_EMISSION_FACTOR_KG_PER_KWH, jp.GRID_ADJUSTED_EMISSION_FACTOR_KG_PER_KWH):
        assert set(table) == {*AREAS, "okinawa"}
        assert all(0.3 < v < 1.0 for v in table.values())
    # Published FY2013 figures (MoE/METI): Okinawa highest, Chubu lowest.
    factors = jp.GRID_EMISSION_FACTOR_KG_PER_KWH
    assert max(factors, key=factors.get) == "okinawa"
    assert min(factors, key=factors.get) == "chubu"


def test_certificate_prices_respect_the_market_rules():
    assert jp.FIT_NFC_FLOOR_BEFORE_FY2023_JPY_PER_KWH < jp.FIT_NFC_FLOOR_JPY_PER_KWH
    assert jp.NON_FIT_NFC_FLOOR_JPY_PER_KWH < jp.NON_FIT_NFC_CAP_JPY_PER_KWH
    assert jp.fit_nfc(max_kwh=10.0).max_kwh == 10.0


def test_a_renewable_menu_is_bought_for_annual_matching_only():
    """Grid at 20 JPY/kWh plus a 1.5 JPY/kWh menu premium on all 48 kWh."""
    idx = pd.date_range("2024-04-01", periods=48, freq="30min", tz="Asia/Tokyo")
    demand = pd.Series(1.0, index=idx)
    grid = Grid(
        price_jpy_per_kwh=20.0,
        emission_factor_kg_per_kwh=jp.GRID_EMISSION_FACTOR_KG_PER_KWH["tokyo"],
    )
    menu = jp.utility_renewable_menu(1.5)
    annual = optimize(demand, [menu], grid, Target.annual_re(1.0))
    assert annual.cost_jpy == pytest.approx(48 * 21.5)
    assert annual.emissions_kg["location_based"] == pytest.approx(48 * 0.530)
    assert annual.emissions_kg["market_based"] == pytest.approx(0.0, abs=1e-9)
    assert annual.cfe_score == pytest.approx(0.0)

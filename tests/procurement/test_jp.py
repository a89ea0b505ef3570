"""Japanese default assumptions and their use as resources."""

from __future__ import annotations

import pandas as pd
import pytest

from gxdlib.procurement import Grid, Target, jp, optimize


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
        emission_factor_kg_per_kwh=0.530,
    )
    menu = jp.utility_renewable_menu(1.5)
    annual = optimize(demand, [menu], grid, Target.annual_re(1.0))
    assert annual.cost_jpy == pytest.approx(48 * 21.5)
    assert annual.emissions_kg["location_based"] == pytest.approx(48 * 0.530)
    assert annual.emissions_kg["market_based"] == pytest.approx(0.0, abs=1e-9)
    assert annual.cfe_score == pytest.approx(0.0)

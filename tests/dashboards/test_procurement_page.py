"""The procurement page class without a server: what it shows is what a hand computation gives.

Expected figures are computed here with numpy on the sample inputs (the
8th-14th of each month picked by hand), in cases whose optimum is known
without a solver: generators priced out of the market, certificates as the
only renewable attribute, and the 24/7 ceiling without storage (an hour with
neither sun nor wind must import).
"""

from __future__ import annotations

import numpy as np
import panel as pn
import pytest

from gxdlib import sample
from gxdlib.dashboards.procurement import ProcurementDashboard
from gxdlib.procurement.case import CostAssumptions
from gxdlib.sites import NATIONAL_CFE_SHARE_FY2023

DEFAULTS = CostAssumptions()
DELIVERY = DEFAULTS.network_adder_jpy_per_kwh + DEFAULTS.surcharge_jpy_per_kwh


@pytest.fixture
def page(monkeypatch) -> ProcurementDashboard:
    monkeypatch.delenv("GXD_DATA_DIR", raising=False)
    pn.state.clear_caches()
    # Generators priced out: only grid power and certificates are worth buying.
    yield ProcurementDashboard(
        site="tokyo_office",
        fiscal_year=2023,
        onsite_pv_ppa=100.0,
        solar_ppa=100.0,
        wind_ppa=100.0,
        with_storage=False,
    )
    pn.state.clear_caches()


def hourly_by_hand(values: np.ndarray, how: str) -> np.ndarray:
    pairs = values.reshape(-1, 2)
    return pairs.sum(axis=1) if how == "sum" else pairs.mean(axis=1)


def week_inputs() -> dict[str, np.ndarray]:
    """Sample hourly inputs of the Tokyo office on the 8th-14th of every month."""
    slots = sample.demand_kwh("office", 2023, 2_000_000.0)
    hours = slots.index[::2]
    keep = (hours.day >= 8) & (hours.day <= 14)
    pv = sample.pv_profile_kwh_per_kw(2023, site="tokyo").to_numpy()
    wind = sample.wind_profile_kwh_per_kw(2023, site="tokyo").to_numpy()
    return {
        "demand": hourly_by_hand(slots.to_numpy(), "sum")[keep],
        "price": hourly_by_hand(sample.prices(2023)["tokyo"].to_numpy(), "mean")[keep],
        "pv": hourly_by_hand(pv, "sum")[keep],
        "wind": hourly_by_hand(wind, "sum")[keep],
        "fraction": keep.sum() / keep.size,
    }


def table(page: ProcurementDashboard) -> dict[str, tuple[str, str]]:
    frame = page.summary()[-1].value
    return {row[0]: (row[1], row[2]) for row in frame.itertuples(index=False)}


def test_grid_only_cost_matches_the_tariff_by_hand(page) -> None:
    page.target_pct = 0
    inputs = week_inputs()
    cost = ((inputs["price"] + DELIVERY) * inputs["demand"]).sum()
    shown = table(page)
    annual, hourly = shown["Cost per kWh consumed [JPY/kWh]"]
    assert annual == hourly == f"{cost / inputs['demand'].sum():.2f}"
    assert shown["Annual cost [million JPY/year]"][0] == f"{cost / inputs['fraction'] / 1e6:,.1f}"
    assert shown["Off-site solar PPA [kW]"] == ("0", "0")


def test_annual_matching_buys_certificates_for_the_whole_demand(page) -> None:
    page.target_pct = 100
    inputs = week_inputs()
    grid = ((inputs["price"] + DELIVERY) * inputs["demand"]).sum()
    certificates = DEFAULTS.certificate_jpy_per_kwh * inputs["demand"].sum()
    annual, _ = table(page)["Cost per kWh consumed [JPY/kWh]"]
    assert annual == f"{(grid + certificates) / inputs['demand'].sum():.2f}"
    volume = inputs["demand"].sum() / inputs["fraction"] / 1e3
    assert table(page)["Certificates [MWh/year]"][0] == f"{volume:,.0f}"


def test_unreachable_hourly_target_states_the_ceiling(page) -> None:
    page.target_pct = 100
    page.onsite_pv_ppa = page.solar_ppa = page.wind_ppa = 15.0
    inputs = week_inputs()
    dark = (inputs["pv"] <= 0) & (inputs["wind"] <= 0)
    ceiling = (
        1 - (1 - NATIONAL_CFE_SHARE_FY2023) * inputs["demand"][dark].sum() / inputs["demand"].sum()
    )
    assert dark.any() and ceiling < 1
    alert = page.summary()[0]
    assert alert.alert_type == "warning"
    assert f"highest reachable score is {100 * ceiling:.1f} %" in alert.object
    assert table(page)["Cost per kWh consumed [JPY/kWh]"][1] == "not reachable"
    # the plots of the unreachable portfolio give way to the same message
    assert page.dispatch_plot().object == alert.object
    assert page.heatmap().object == alert.object


def test_japanese_labels(page) -> None:
    page.language = "ja"
    frame = page.summary()[-1].value
    assert list(frame.columns) == ["指標", "年間マッチング", "時間別 24/7 CFE"]
    assert "消費 kWh あたり費用 [円/kWh]" in set(frame["指標"])

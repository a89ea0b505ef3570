"""Inputs refused before they mislead: the public VPPA, scenario, Scope 3 and price functions.

Each property test starts from a good real case (JEPX FY2022 prices and the
Kyushu TSO's FY2022 solar actuals scaled to a 1,000 kW plant, or the sample
supply-chain ledger), lets hypothesis pick where and how to corrupt it, and
asserts a :class:`~gxdlib.errors.GXDError` naming the argument (and the
first offending slot or line): any other exception type fails the test.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import hypothesis.strategies as st
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from gxdlib.errors import GXDError, GXDWarning, ValidationError
from gxdlib.footprint import (
    AverageFactors,
    SpendFactors,
    gap_report,
    reflect_reduction,
    scope3_category1,
)
from gxdlib.io.jepx import read_jepx_spot
from gxdlib.io.tso import read_tso_actuals
from gxdlib.prices import fiscal_year_statistics, monthly_mean_prices, price_summary
from gxdlib.sample.supply_chain import supply_chain_footprints, supply_chain_ledger
from gxdlib.scenarios import bootstrap, fit_price_model, parametric
from gxdlib.timeseries import to_slots
from gxdlib.vppa import VPPAContract, breakeven_strike, hedge_view, settle, simulate
from gxdlib.vppa.contract import SLOT_HOURS

CAPACITY_KW = 1000.0
PEAK_SHARE = 0.8
"""The plant's best slot delivers 80 % of capacity x 0.5 h."""

STRIKE = 12.0
BAD_NUMBERS = st.sampled_from([math.nan, math.inf, -math.inf])
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


REAL = pytest.mark.realdata


@pytest.fixture(scope="module")
def fy2022(jepx_dir, tso_dir):
    """Real JEPX FY2022 prices and a 1,000 kW plant with Kyushu's FY2022 solar profile [kWh]."""
    prices = read_jepx_spot(jepx_dir / "spot_summary_2022.csv")
    files = [tso_dir / "kyushu" / f"area_jyukyu_jisseki_2022_{q}Q.csv" for q in (1, 2, 3, 4)]
    area_kwh = to_slots(read_tso_actuals(files, "kyushu")["solar_mwh"]) * 1000.0
    plant_kwh = area_kwh / area_kwh.max() * (PEAK_SHARE * CAPACITY_KW * SLOT_HOURS)
    return prices, plant_kwh.rename("generation_kwh")


@pytest.fixture(scope="module")
def may(fy2022):
    """May 2022 of the real case: a month keeps each settlement fast."""
    prices, plant_kwh = fy2022
    return prices.loc["2022-05"], plant_kwh.loc["2022-05"]


@pytest.fixture(scope="module")
def scenarios(fy2022):
    prices, plant_kwh = fy2022
    return bootstrap(prices, plant_kwh, n_scenarios=4, n_years=2, seed=3)


@pytest.fixture(scope="module")
def kyushu_model(fy2022):
    prices, plant_kwh = fy2022
    return fit_price_model(prices["kyushu"], plant_kwh)


CONTRACT = VPPAContract(STRIKE, "kyushu", capacity_kw=CAPACITY_KW)


def message(info: pytest.ExceptionInfo) -> str:
    return str(info.value)


# --- non-finite numbers ----------------------------------------------------------------------


def corrupted(case, target, where, bad, column="kyushu"):
    """Copies of (prices, generation) with one value of ``target`` replaced by ``bad``.

    Returns the pair, the corrupted slot and the argument the refusal must name.
    """
    prices, plant_kwh = case[0].copy(), case[1].copy()
    position = int(where * (len(plant_kwh) - 1))
    if target == "prices":
        prices.iloc[position, prices.columns.get_loc(column)] = bad
        named = f"prices ({column!r})"
    else:
        plant_kwh.iloc[position] = bad
        named = "generation_kwh"
    return prices, plant_kwh, str(plant_kwh.index[position]), named


TARGETS = st.sampled_from(["prices", "generation"])


@REAL
@PROPERTY
@given(where=st.floats(0, 1), bad=BAD_NUMBERS, target=TARGETS)
def test_settle_names_the_first_non_finite_slot(may, where, bad, target):
    prices, plant_kwh, slot, named = corrupted(may, target, where, bad)
    with pytest.raises(GXDError) as info:
        settle(CONTRACT, plant_kwh, prices)
    assert named in message(info) and slot in message(info)


@REAL
@PROPERTY
@given(where=st.floats(0, 1), bad=BAD_NUMBERS, target=TARGETS)
def test_bootstrap_names_the_first_non_finite_slot(fy2022, where, bad, target):
    prices, plant_kwh, slot, named = corrupted(fy2022, target, where, bad, column="tokyo")
    with pytest.raises(GXDError) as info:
        bootstrap(prices, plant_kwh, n_scenarios=2, n_years=1, seed=0)
    assert named in message(info) and slot in message(info)


@REAL
@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"seed": "2022"}, "seed"),
        ({"seed": -1}, "seed"),
        ({"window_days": 2.5}, "window_days"),
        ({"start_fiscal_year": "2024"}, "start_fiscal_year"),
        ({"match_weekday": "yes"}, "match_weekday"),
        ({"n_scenarios": 0}, "n_scenarios"),
        ({"block": "month"}, "block"),
    ],
)
def test_scenario_options_of_the_wrong_kind_are_refused(fy2022, kyushu_model, options, named):
    prices, plant_kwh = fy2022
    kwargs = {"n_scenarios": 2, "n_years": 1, "seed": 0} | options
    with pytest.raises(ValidationError, match=named):
        bootstrap(prices, plant_kwh, **kwargs)
    with pytest.raises(ValidationError, match=named):
        parametric(kyushu_model, plant_kwh, **kwargs)


@REAL
@PROPERTY
@given(where=st.floats(0, 1), bad=BAD_NUMBERS)
def test_fit_price_model_names_the_first_non_finite_price(fy2022, where, bad):
    prices = fy2022[0]["kyushu"].copy()
    position = int(where * (len(prices) - 1))
    prices.iloc[position] = bad
    with pytest.raises(GXDError) as info:
        fit_price_model(prices)
    assert "prices" in message(info) and str(prices.index[position]) in message(info)


@pytest.mark.parametrize(
    "terms",
    [
        {"strike_jpy_per_kwh": math.inf},
        {"floor_jpy_per_kwh": -math.inf},
        {"nfc_price_jpy_per_kwh": math.nan},
        {"escalation_per_year": math.nan},
        {"capacity_kw": math.inf},
        {"volume": "baseload", "baseload_kw": math.inf},
    ],
)
def test_contract_refuses_non_finite_terms(terms):
    name = next(iter(terms.keys() - {"volume"}))
    with pytest.raises(ValidationError, match=name):
        VPPAContract(**({"strike_jpy_per_kwh": STRIKE} | terms))


@REAL
@PROPERTY
@given(where=st.floats(0, 1), bad=BAD_NUMBERS)
def test_shaped_contract_names_the_non_finite_slot(may, where, bad):
    shape = may[1].copy()
    position = int(where * (len(shape) - 1))
    shape.iloc[position] = bad
    with pytest.raises(ValidationError) as info:
        VPPAContract(STRIKE, volume="shaped", shape_kwh=shape)
    assert "shape_kwh" in message(info)
    assert str(shape.index[position]) in message(info)


# --- escalation that overflows ---------------------------------------------------------------


@PROPERTY
@given(escalation=st.floats(1.0, 1e300, exclude_min=True))
def test_escalation_above_a_doubling_a_year_is_refused(escalation):
    with pytest.raises(ValidationError, match="escalation_per_year") as info:
        VPPAContract(STRIKE, escalation_per_year=escalation)
    assert "percent" in message(info)


@REAL
def test_a_strike_that_escalates_to_infinity_is_refused(scenarios):
    contract = VPPAContract(1e308, "kyushu", escalation_per_year=1.0)
    with pytest.raises(ValidationError, match="escalated strike overflows.*contract year 2"):
        simulate(contract, scenarios)


@REAL
def test_a_settlement_that_overflows_is_refused(may):
    prices, plant_kwh = may
    with pytest.raises(ValidationError, match="settlement overflows"):
        settle(VPPAContract(1e306, "kyushu"), plant_kwh, prices)


# --- indexes that are not tz-aware DatetimeIndexes -------------------------------------------

INDEX_KINDS = {
    "naive": lambda index: index.tz_localize(None),
    "range": lambda index: pd.RangeIndex(len(index)),
    "strings": lambda index: pd.Index(index.astype(str)),
    "period": lambda index: index.tz_localize(None).to_period("30min"),
}


@REAL
@pytest.mark.parametrize("kind", INDEX_KINDS)
@pytest.mark.parametrize("target", ["generation_kwh", "prices"])
def test_settle_refuses_an_index_that_is_not_tz_aware(may, kind, target):
    prices, plant_kwh = may
    if target == "prices":
        prices = prices.set_axis(INDEX_KINDS[kind](prices.index))
    else:
        plant_kwh = plant_kwh.set_axis(INDEX_KINDS[kind](plant_kwh.index))
    with pytest.raises(ValidationError, match="tz-aware") as info:
        settle(CONTRACT, plant_kwh, prices)
    assert target in message(info)


@REAL
@pytest.mark.parametrize("kind", INDEX_KINDS)
def test_scenarios_and_price_helpers_refuse_an_index_that_is_not_tz_aware(fy2022, kind):
    prices, plant_kwh = fy2022
    bad = prices.set_axis(INDEX_KINDS[kind](prices.index))
    for call in (
        lambda: bootstrap(bad, plant_kwh, n_scenarios=1, n_years=1, seed=0),
        lambda: fit_price_model(bad["kyushu"]),
        lambda: price_summary(bad["system"]),
        lambda: monthly_mean_prices(bad),
        lambda: fiscal_year_statistics(bad),
    ):
        with pytest.raises(ValidationError, match="prices.*tz-aware"):
            call()


# --- all-zero, all-floor prices and zero generation -------------------------------------------


@REAL
def test_capture_rate_of_a_month_all_at_the_floor_is_exactly_one(may):
    prices, plant_kwh = may
    floor = prices.assign(kyushu=0.01)
    result = settle(CONTRACT, plant_kwh, floor)
    assert result.capture_price == pytest.approx(0.01, rel=1e-12)
    assert result.capture_rate == pytest.approx(1.0, rel=1e-12)
    assert result.capture_note == ""
    assert result.total_jpy == pytest.approx((0.01 - STRIKE) * plant_kwh.sum(), rel=1e-12)


@REAL
def test_capture_rate_of_zero_prices_is_nan_and_says_why(may):
    prices, plant_kwh = may
    result = settle(CONTRACT, plant_kwh, prices.assign(kyushu=0.0))
    assert result.capture_price == 0.0
    assert math.isnan(result.capture_rate)
    assert "mean index price" in result.capture_note
    assert result.total_jpy == pytest.approx(-STRIKE * plant_kwh.sum(), rel=1e-12)


@REAL
def test_zero_generation_settles_zero_and_says_why_capture_is_undefined(may):
    prices, plant_kwh = may
    result = settle(CONTRACT, plant_kwh * 0.0, prices)
    assert result.total_jpy == 0.0
    assert math.isnan(result.capture_price) and math.isnan(result.capture_rate)
    assert math.isnan(result.mean_settlement_jpy_per_kwh)
    assert "no contracted volume" in result.capture_note
    assert hedge_view(result)["effective_price_jpy_per_kwh"].isna().all()
    with pytest.raises(ValidationError, match="no contracted volume"):
        breakeven_strike(CONTRACT, (plant_kwh * 0.0, prices))


@REAL
@settings(max_examples=8, deadline=None)
@given(months=st.sets(st.integers(1, 12), min_size=1))
def test_parametric_prices_stay_defined_when_months_sit_at_the_floor(fy2022, months):
    prices, plant_kwh = fy2022
    kyushu = prices["kyushu"].where(~prices.index.month.isin(list(months)), 0.01)
    model = fit_price_model(kyushu, plant_kwh)
    summary = model.summary()
    assert np.isfinite(summary.to_numpy()).all()
    drawn = parametric(model, plant_kwh, n_scenarios=2, n_years=1, seed=1)
    values = drawn.prices("kyushu")
    assert np.isfinite(values).all() and values.min() >= 0.01
    # a month whose every history slot is at the floor stays at the floor
    at_floor = np.isin(drawn.index.month, list(months))
    assert (values[:, at_floor] == 0.01).all()
    totals = simulate(VPPAContract(STRIKE, "kyushu"), drawn).total_jpy
    assert np.isfinite(totals).all()


# --- implausible units: capacity ---------------------------------------------------------------


@REAL
@PROPERTY
@given(scale=st.sampled_from([1000.0, 2.0, 1.3, 400.0]))
def test_generation_beyond_capacity_is_refused_with_its_likely_cause(may, scale):
    prices, plant_kwh = may
    with pytest.raises(ValidationError) as info:
        settle(CONTRACT, plant_kwh * scale, prices)
    text = message(info)
    assert "generation_kwh peaks at" in text and "1,000 kW plant" in text
    assert ("Wh" in text) if scale >= 100 else ("whole area" in text)
    peak_at = (plant_kwh * scale).idxmax()
    assert str(peak_at) in text


@REAL
def test_generation_far_below_capacity_warns_of_mwh(may):
    prices, plant_kwh = may
    with pytest.warns(GXDWarning, match="was it given in MWh"):
        settle(CONTRACT, plant_kwh / 1000.0, prices)


@REAL
def test_a_plausible_plant_settles_as_without_a_capacity(may):
    prices, plant_kwh = may
    with warnings.catch_warnings():
        warnings.simplefilter("error", GXDWarning)
        checked = settle(CONTRACT, plant_kwh, prices)
    plain = settle(dataclasses.replace(CONTRACT, capacity_kw=None), plant_kwh, prices)
    assert checked.total_jpy == plain.total_jpy
    assert checked.capture_rate == plain.capture_rate


@REAL
def test_simulate_checks_the_scenario_history_against_capacity(fy2022):
    prices, plant_kwh = fy2022
    whole_area = bootstrap(prices, plant_kwh * 1000.0, n_scenarios=2, n_years=1, seed=0)
    with pytest.raises(ValidationError, match="generation_kwh peaks at .* capacity_kw in MW"):
        simulate(CONTRACT, whole_area)


@pytest.mark.parametrize(
    ("terms", "fragment"),
    [
        ({"volume": "baseload", "baseload_kw": 1500.0}, "baseload_kw 1,500 exceeds capacity_kw"),
        ({"capacity_kw": 0.0}, "capacity_kw must be"),
    ],
)
def test_contract_volumes_beyond_capacity_are_refused(terms, fragment):
    with pytest.raises(ValidationError, match=fragment):
        VPPAContract(STRIKE, **({"capacity_kw": CAPACITY_KW} | terms))


@REAL
def test_a_shape_beyond_capacity_is_refused(may):
    with pytest.raises(ValidationError, match="shape_kwh peaks at"):
        VPPAContract(STRIKE, volume="shaped", shape_kwh=may[1] * 2.0, capacity_kw=CAPACITY_KW)


# --- argument types ----------------------------------------------------------------------------


@REAL
@pytest.mark.parametrize("quantile", [math.nan, "0.5", None, 1.5])
def test_breakeven_strike_refuses_a_bad_quantile(may, quantile):
    with pytest.raises(ValidationError, match="quantile"):
        breakeven_strike(CONTRACT, (may[1], may[0]), quantile=quantile)


@REAL
def test_public_vppa_functions_refuse_wrong_argument_types(may, scenarios):
    prices, plant_kwh = may
    with pytest.raises(ValidationError, match="contract must be a VPPAContract"):
        settle("12 JPY", plant_kwh, prices)
    with pytest.raises(ValidationError, match="scenarios must be a scenario set"):
        simulate(CONTRACT, prices)
    with pytest.raises(ValidationError, match="result must be a SettlementResult"):
        hedge_view(prices)
    with pytest.raises(ValidationError, match="generation_kwh must be numbers"):
        settle(CONTRACT, plant_kwh.astype(str), prices)


# --- Scope 3 ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def supply_chain():
    return supply_chain_ledger(), supply_chain_footprints()


SPEND = SpendFactors.sample()
AVERAGE = AverageFactors.sample()


@PROPERTY
@given(
    where=st.floats(0, 1),
    column=st.sampled_from(["spend_jpy", "quantity"]),
    bad=st.sampled_from([math.nan, math.inf, -math.inf, -1.0]),
)
def test_scope3_names_the_column_and_line_of_a_bad_number(supply_chain, where, column, bad):
    ledger, footprints = supply_chain
    if column == "quantity" and math.isnan(bad):
        bad = math.inf  # NaN is a line without quantity, documented as such
    position = int(where * (len(ledger) - 1))
    corrupt = ledger.copy()
    corrupt.iloc[position, corrupt.columns.get_loc(column)] = bad
    with pytest.raises(GXDError) as info:
        scope3_category1(corrupt, footprints, SPEND, AVERAGE)
    assert f"{column} is" in message(info)
    assert f"line_id {ledger.index[position]}" in message(info)


@PROPERTY
@given(rows=st.sets(st.integers(0, 2856), min_size=1, max_size=40))
def test_mixed_currencies_are_refused_without_rates_and_converted_with_them(supply_chain, rows):
    ledger, footprints = supply_chain
    rows = sorted(rows)
    mixed = ledger.assign(currency="JPY")
    mixed.iloc[rows, mixed.columns.get_loc("currency")] = "USD"
    with pytest.raises(ValidationError, match="mixes currencies.*USD.*exchange_rates") as info:
        scope3_category1(mixed, footprints, SPEND, AVERAGE)
    assert f"line_id {ledger.index[rows[0]]}" in message(info)
    with pytest.raises(ValidationError, match="no rate for USD"):
        scope3_category1(mixed, footprints, SPEND, AVERAGE, exchange_rates={"EUR": 160.0})

    converted = scope3_category1(mixed, footprints, SPEND, AVERAGE, exchange_rates={"USD": 150.0})
    expected_spend = ledger["spend_jpy"].to_numpy().copy()
    expected_spend[rows] *= 150.0
    np.testing.assert_allclose(converted.lines["spend_jpy"], expected_spend, rtol=1e-12)
    factor = SPEND.table["kgco2e_per_jpy"].reindex(ledger["sector"]).to_numpy()
    np.testing.assert_allclose(
        converted.lines["spend_based_kgco2e"], expected_spend * factor, rtol=1e-12
    )
    assert converted.lines["spend_amount"].tolist() == ledger["spend_jpy"].tolist()


def test_a_ledger_all_in_yen_is_assessed_as_without_a_currency_column(supply_chain):
    ledger, footprints = supply_chain
    plain = scope3_category1(ledger, footprints, SPEND, AVERAGE)
    in_yen = scope3_category1(ledger.assign(currency="JPY"), footprints, SPEND, AVERAGE)
    assert in_yen.total_kgco2e == plain.total_kgco2e
    with pytest.raises(ValidationError, match="no currency column"):
        scope3_category1(ledger, footprints, SPEND, AVERAGE, exchange_rates={"USD": 150.0})


@PROPERTY
@given(rate=st.sampled_from([0.0, -150.0, math.nan, math.inf, "150"]))
def test_exchange_rates_must_be_positive_finite_numbers(supply_chain, rate):
    ledger, footprints = supply_chain
    mixed = ledger.assign(currency=np.where(np.arange(len(ledger)) % 2, "USD", "JPY"))
    with pytest.raises(ValidationError, match="USD: the rate must be a finite number > 0"):
        scope3_category1(mixed, footprints, SPEND, AVERAGE, exchange_rates={"USD": rate})


@PROPERTY
@given(where=st.floats(0, 1), bad=st.sampled_from([math.nan, math.inf, -0.5]))
def test_scope3_names_the_sector_of_a_bad_spend_factor(supply_chain, where, bad):
    ledger, footprints = supply_chain
    table = SPEND.table.copy()
    position = int(where * (len(table) - 1))
    table.iloc[position, table.columns.get_loc("kgco2e_per_jpy")] = bad
    with pytest.raises(ValidationError, match="spend_factors: kgco2e_per_jpy") as info:
        scope3_category1(ledger, footprints, SpendFactors(table, "corrupt"), AVERAGE)
    assert f"sector {table.index[position]}" in message(info)


def test_scope3_names_the_footprint_with_a_non_finite_pcf(supply_chain):
    ledger, footprints = supply_chain
    broken = dataclasses.replace(footprints[3], pcf_kgco2e_per_unit=math.inf)
    with pytest.raises(ValidationError, match=f"footprint id {broken.id}"):
        scope3_category1(ledger, [*footprints[:3], broken], SPEND, AVERAGE)


@pytest.mark.parametrize("reduction", [math.nan, math.inf, -0.1, "0.5", None, True])
def test_reflect_reduction_refuses_a_bad_fraction(supply_chain, reduction):
    ledger, footprints = supply_chain
    result = scope3_category1(ledger.iloc[:50], footprints, SPEND, AVERAGE)
    with pytest.raises(ValidationError, match="reduction must be a fraction"):
        reflect_reduction(result, ledger["supplier_id"].iloc[0], reduction)
    with pytest.raises(ValidationError, match="result must be a Scope3Result"):
        gap_report(result.lines)


# --- price helpers --------------------------------------------------------------------------------


@REAL
@PROPERTY
@given(where=st.floats(0, 1), column=st.sampled_from(["system", "kyushu", "tokyo"]))
def test_price_helpers_name_an_infinite_price(fy2022, where, column):
    prices = fy2022[0].copy()
    position = int(where * (len(prices) - 1))
    prices.iloc[position, prices.columns.get_loc(column)] = math.inf
    for call in (
        lambda: fiscal_year_statistics(prices),
        lambda: monthly_mean_prices(prices),
        lambda: price_summary(prices[column]),
    ):
        with pytest.raises(ValidationError, match=f"prices \\('{column}'\\) is infinite") as info:
            call()
        assert str(prices.index[position]) in message(info)


@REAL
def test_price_helpers_keep_their_numbers_on_the_real_year(fy2022):
    prices = fy2022[0]
    system = prices["system"].to_numpy()
    table = fiscal_year_statistics(prices)
    assert table.loc[2022, "mean_system_jpy_per_kwh"] == pytest.approx(system.mean(), rel=1e-12)
    assert table.loc[2022, "system_floor_slots"] == int((system == 0.01).sum())
    assert price_summary(prices["system"])["slots"] == len(system) == 17520

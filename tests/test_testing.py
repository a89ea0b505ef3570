"""gxdlib.testing: each strategy yields what it promises, each assertion helper can fail."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gxdlib.errors import DataFormatError, ValidationError
from gxdlib.footprint import AverageFactors, SpendFactors, scope3_category1
from gxdlib.io.pact import read_pact
from gxdlib.io.purchases import LEDGER_COLUMNS
from gxdlib.io.timeseries_csv import parse_price_csv
from gxdlib.testing import (
    assert_refused,
    assert_scope3_reconciles,
    assert_settlement_reconciles,
    assert_slot_index,
    example_pact_v3,
    generation_profiles,
    pact_footprints,
    price_years,
    purchase_ledgers,
    slot_indexes,
    slot_prices,
)
from gxdlib.vppa import VPPAContract, settle

FEW = settings(max_examples=25, deadline=None)
YEARS = settings(max_examples=4, deadline=None)
JST = "Asia/Tokyo"


def night(index: pd.DatetimeIndex) -> np.ndarray:
    """Slots wholly before 06:00 or from 18:00 JST, when the sun is down."""
    hour = index.tz_convert(JST).hour
    return np.asarray((hour < 6) | (hour >= 18))


# --- strategies ------------------------------------------------------------------------------


@FEW
@given(slot_indexes(min_slots=3, max_slots=50, fiscal_years=[2023]))
def test_slot_indexes_are_slot_indexes_within_bounds(index):
    assert_slot_index(index)
    assert 3 <= len(index) <= 50
    assert pd.Timestamp("2023-04-01", tz=JST) <= index[0] < pd.Timestamp("2024-04-01", tz=JST)


@FEW
@given(slot_prices(columns=("system", "kyushu")))
def test_slot_prices_are_jepx_like(prices):
    assert_slot_index(prices.index)
    assert list(prices.columns) == ["system", "kyushu"]
    values = prices.to_numpy()
    assert values.min() >= 0.01
    np.testing.assert_array_equal(np.round(values, 2), values)  # two decimals, as JEPX publishes
    # the floor comes with the sun: never at night
    assert not (values[night(prices.index)] == 0.01).any()


@YEARS
@given(price_years([2022, 2023], floor_share=st.just(0.2)))
def test_price_years_cover_a_fiscal_year_with_the_promised_floor_share(prices):
    first = prices.index[0]
    year = first.year
    days = (pd.Timestamp(f"{year + 1}-04-01") - pd.Timestamp(f"{year}-04-01")).days
    assert len(prices) == 48 * days  # 365 or 366 days, 48 slots each
    assert first == pd.Timestamp(f"{year}-04-01 00:00", tz=JST)
    assert prices.index[-1] == pd.Timestamp(f"{year + 1}-03-31 23:30", tz=JST)
    assert_slot_index(prices.index)
    # 17,520 Bernoulli draws of mean 0.2: a standard error of 0.003
    assert (prices["system"] == 0.01).mean() == pytest.approx(0.2, abs=0.02)


@FEW
@given(data=st.data(), capacity_kw=st.floats(1.0, 1e5))
def test_generation_profiles_follow_the_sun_within_capacity(data, capacity_kw):
    index = data.draw(slot_indexes(min_slots=48, max_slots=96))
    generation = data.draw(generation_profiles(index, capacity_kw=capacity_kw))
    assert generation.name == "generation_kwh"
    assert generation.index.equals(index)
    assert (generation >= 0).all()
    assert (generation <= capacity_kw * 0.5).all()
    assert (generation[night(index)] == 0).all()
    hour = index.tz_convert(JST).hour
    assert (generation[(hour >= 10) & (hour < 14)] > 0).all()


@FEW
@given(
    purchase_ledgers(
        supplier_ids=["A", "B"], sectors=["software"], fiscal_years=[2024], max_lines=12
    )
)
def test_purchase_ledgers_have_the_ledger_columns_and_unique_lines(ledger):
    assert list(ledger.columns) == list(LEDGER_COLUMNS)
    assert ledger.index.name == "line_id" and ledger.index.is_unique
    assert 1 <= len(ledger) <= 12
    assert set(ledger["supplier_id"]) <= {"A", "B"}
    assert set(ledger["sector"]) == {"software"}
    assert (ledger["fiscal_year"] == 2024).all()
    # a line has a unit exactly when it has a quantity
    assert ledger["quantity"].isna().equals(ledger["quantity_unit"].isna())
    assert ((ledger["spend_jpy"] >= 0) & (ledger["spend_jpy"] <= 1e9)).all()


@FEW
@given(data=st.data(), version=st.sampled_from(["2.0", "2.1", "2.2", "2.3", "3.0"]))
def test_valid_pact_footprints_are_read_and_normalised_per_unit(data, version):
    doc = data.draw(pact_footprints(version))
    (footprint,) = read_pact(doc)
    assert doc["specVersion"] == f"{version}.0"
    pcf = doc["pcf"]
    if version == "3.0":
        # v3: the PCF is per declaredUnitAmount units
        per_unit = Decimal(pcf["pcfExcludingBiogenicUptake"]) / Decimal(pcf["declaredUnitAmount"])
        assert footprint.unit == pcf["declaredUnitOfMeasurement"]
    else:
        per_unit = Decimal(pcf["pCfExcludingBiogenic"])  # v2: per ONE declared unit
        assert footprint.unit == pcf["declaredUnit"]
    assert footprint.pcf_kgco2e_per_unit == pytest.approx(float(per_unit), rel=1e-12)


@FEW
@given(data=st.data(), version=st.sampled_from(["2.0", "2.3", "3.0"]))
def test_invalid_pact_footprints_are_refused(data, version):
    doc = data.draw(pact_footprints(version, valid=False))
    with pytest.raises(ValidationError, match=r"^1 problem\(s\)"):  # exactly the one planted
        read_pact(doc)


def test_pact_footprints_refuses_an_unknown_version():
    with pytest.raises(ValidationError, match="version"):
        pact_footprints("2.4")


# --- assert_slot_index ---------------------------------------------------------------------

SLOTS = pd.date_range("2023-04-01", periods=4, freq="30min", tz=JST, name="slot_start")


def test_assert_slot_index_passes_a_slot_index():
    assert_slot_index(SLOTS)
    assert_slot_index(SLOTS.rename("t"), name=None)


@pytest.mark.parametrize(
    ("index", "words"),
    [
        (pd.RangeIndex(4), "DatetimeIndex"),
        (SLOTS.tz_localize(None), "time zone None"),
        (SLOTS.tz_convert("UTC"), "time zone UTC"),
        (SLOTS.rename("slot_end"), "'slot_end'"),
        (SLOTS + pd.Timedelta(minutes=10), "not the start of a slot"),
        (SLOTS.delete(2), "step of 0 days 01:00:00"),
        (SLOTS.append(SLOTS[-1:]), "step of 0 days 00:00:00"),
        (SLOTS[::-1], "step of -1 days"),
    ],
)
def test_assert_slot_index_fails(index, words):
    with pytest.raises(AssertionError, match=words):
        assert_slot_index(index)


# --- assert_settlement_reconciles ----------------------------------------------------------

SETTLE_SLOTS = pd.date_range("2023-03-31 23:00", periods=4, freq="30min", tz=JST)
SETTLE_PRICES = pd.Series([14.0, 6.0, 0.01, 20.0], index=SETTLE_SLOTS)
SETTLE_GENERATION = pd.Series([100.0, 50.0, 80.0, 10.0], index=SETTLE_SLOTS)
SETTLE_CONTRACT = VPPAContract(10.0, floor_price_slots="exclude")


def settled():
    return settle(SETTLE_CONTRACT, SETTLE_GENERATION, SETTLE_PRICES)


def with_interval(column, position, value):
    result = settled()
    intervals = result.intervals.copy()
    intervals.iloc[position, intervals.columns.get_loc(column)] = value
    return dataclasses.replace(result, intervals=intervals)


def with_statement(name, column, position, value):
    result = settled()
    frame = getattr(result, name).copy()
    frame.iloc[position, frame.columns.get_loc(column)] = value
    return dataclasses.replace(result, **{name: frame})


def test_the_hand_case_reconciles():
    result = settled()
    # (14 - 10) x 100 + (6 - 10) x 50 + 0 (excluded 0.01 slot) + (20 - 10) x 10
    assert result.total_jpy == pytest.approx(300.0)
    assert_settlement_reconciles(result, SETTLE_PRICES, SETTLE_GENERATION, SETTLE_CONTRACT)


@pytest.mark.parametrize(
    ("broken", "words"),
    [
        (lambda: with_interval("settlement_jpy", 1, 200.0), "intervals settlement_jpy"),  # sign
        (lambda: with_interval("excluded", 2, False), "intervals excluded"),
        (lambda: with_interval("volume_kwh", 0, 99.0), "intervals volume_kwh"),
        (lambda: with_interval("strike_jpy_per_kwh", 3, 11.0), "intervals strike"),
        (lambda: dataclasses.replace(settled(), total_jpy=301.0), "total_jpy"),
        (lambda: with_statement("monthly", "settlement_jpy", 0, 401.0), "monthly settlement"),
        (lambda: with_statement("monthly", "payer", 1, "buyer"), "monthly payer"),
        (lambda: with_statement("annual", "volume_kwh", 1, 0.0), "annual volume_kwh"),
        (lambda: dataclasses.replace(settled(), intervals=settled().intervals.iloc[1:]), "slots"),
        (lambda: dataclasses.replace(settled(), contract=VPPAContract(10.0)), "contract"),
    ],
)
def test_assert_settlement_reconciles_fails(broken, words):
    with pytest.raises(AssertionError, match=words):
        assert_settlement_reconciles(broken(), SETTLE_PRICES, SETTLE_GENERATION, SETTLE_CONTRACT)


# --- assert_scope3_reconciles --------------------------------------------------------------

FOOTPRINTS = read_pact([example_pact_v3()])
LEDGER = pd.DataFrame(
    {
        "supplier_id": ["S001", "S002", "S003"],
        "product_id": ["P-100", None, None],
        "sector": ["integrated_circuits", "software", "unknown"],
        "quantity": [2000.0, np.nan, np.nan],
        "quantity_unit": ["piece", None, None],
        "spend_jpy": [50_000.0, 1_000_000.0, 5.0],
        "fiscal_year": [2024, 2024, 2024],
    },
    index=pd.Index([30, 10, 20], name="line_id"),
)


def scope3():
    return scope3_category1(LEDGER, FOOTPRINTS, SpendFactors.sample(), AverageFactors.sample())


def with_lines(change):
    result = scope3()
    return dataclasses.replace(result, lines=change(result.lines.copy()))


def test_scope3_hand_case_reconciles():
    result = scope3()
    # 2000 pieces x 250 kgCO2e / 1000 pieces; the unknown sector cannot be assessed
    assert result.lines["emissions_kgco2e"].iloc[0] == pytest.approx(500.0)
    assert result.lines["method"].tolist() == ["supplier-specific", "spend-based", "unassessed"]
    assert_scope3_reconciles(result, LEDGER)


def _set(lines, column, position, value):
    lines.iloc[position, lines.columns.get_loc(column)] = value
    return lines


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda lines: lines.iloc[[0, 1, 1, 2]], "expected the ledger's"),
        (lambda lines: lines.iloc[[1, 0, 2]], "expected the ledger's"),
        (lambda lines: _set(lines, "emissions_kgco2e", 0, 501.0), "of its method"),
        (lambda lines: _set(lines, "emissions_kgco2e", 2, 0.0), "of its method"),
    ],
)
def test_assert_scope3_reconciles_fails(change, words):
    with pytest.raises(AssertionError, match=words):
        assert_scope3_reconciles(with_lines(change), LEDGER)


def test_assert_scope3_reconciles_fails_on_a_repeated_line_without_the_ledger():
    with pytest.raises(AssertionError, match="more than once"):
        assert_scope3_reconciles(with_lines(lambda lines: lines.iloc[[0, 0, 1, 2]]))


# --- assert_refused ------------------------------------------------------------------------

BAD_PRICE_FILE = b"slot_start,kyushu_jpy_per_kwh\n2022-04-01T00:00,1\n2022-04-01T00:30,abc\n"


def test_assert_refused_returns_the_error_that_names_the_place():
    error = assert_refused(
        parse_price_csv,
        BAD_PRICE_FILE,
        "p.csv",
        source="p.csv",
        line=3,
        column="kyushu_jpy_per_kwh",
        words="number",
    )
    assert isinstance(error, DataFormatError)


@pytest.mark.parametrize(
    ("expected", "words"),
    [
        ({"source": "other.csv"}, "error source"),
        ({"source": "p.csv", "line": 2}, "error line"),
        ({"source": "p.csv", "column": "slot_start"}, "error column"),
        ({"source": "p.csv", "words": "gap"}, "lacks 'gap'"),
    ],
)
def test_assert_refused_fails_on_another_place(expected, words):
    with pytest.raises(AssertionError, match=words):
        assert_refused(parse_price_csv, BAD_PRICE_FILE, "p.csv", **expected)


def test_assert_refused_fails_when_the_input_is_accepted():
    good = b"slot_start,kyushu_jpy_per_kwh\n2022-04-01T00:00,1\n"
    with pytest.raises(AssertionError, match="accepted"):
        assert_refused(parse_price_csv, good, "p.csv", source="p.csv")

"""settle and hedge_view on hand-worked slots: every formula and contract option."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gxdlib.errors import ValidationError
from gxdlib.testing import (
    assert_settlement_reconciles,
    generation_profiles,
    jepx_like_prices,
    slot_indexes,
    slot_prices,
    solar_like_generation_kwh,
)
from gxdlib.timeseries import TZ, slot_index
from gxdlib.viz.vppa import statement_frame
from gxdlib.vppa import VPPAContract, hedge_view, settle
from gxdlib.vppa.settlement import payer

SLOTS = pd.date_range("2022-05-10 10:00", periods=4, freq="30min", tz=TZ, name="slot_start")
PRICE = pd.Series([14.0, 6.0, 0.01, 20.0], index=SLOTS)
GEN = pd.Series([100.0, 50.0, 80.0, 10.0], index=SLOTS)


def run(**terms) -> float:
    return settle(VPPAContract(**({"strike_jpy_per_kwh": 10.0} | terms)), GEN, PRICE)


def test_as_produced_with_share():
    result = run(share=0.5)
    # V = [50, 25, 40, 5]; (P - 10) * V
    expected = [4 * 50, -4 * 25, (0.01 - 10) * 40, 10 * 5]
    np.testing.assert_allclose(result.intervals["settlement_jpy"], expected)
    np.testing.assert_allclose(result.intervals["volume_kwh"], [50, 25, 40, 5])
    assert result.total_jpy == pytest.approx(-249.6)
    assert result.capture_price == pytest.approx(950.4 / 120)
    assert result.capture_rate == pytest.approx((950.4 / 120) / (40.01 / 4))
    assert result.mean_settlement_jpy_per_kwh == pytest.approx(-249.6 / 120)
    assert result.excluded_slots == 0


@pytest.mark.parametrize(
    ("terms", "settlement_prices", "total"),
    [
        ({"floor_jpy_per_kwh": 5.0}, [14, 6, 5, 20], 400 - 200 - 400 + 100),
        ({"cap_jpy_per_kwh": 15.0}, [14, 6, 0.01, 15], 400 - 200 - 799.2 + 50),
        ({"floor_jpy_per_kwh": 5.0, "cap_jpy_per_kwh": 15.0}, [14, 6, 5, 15], 400 - 200 - 400 + 50),
    ],
)
def test_floor_cap_and_collar_clip_the_index_before_the_strike(terms, settlement_prices, total):
    result = run(**terms)
    np.testing.assert_allclose(result.intervals["settlement_price_jpy_per_kwh"], settlement_prices)
    np.testing.assert_allclose(result.intervals["index_price_jpy_per_kwh"], PRICE)
    assert result.total_jpy == pytest.approx(total)
    # capture price uses the index price, not the clipped one
    assert result.capture_price == pytest.approx(1900.8 / 240)


def test_exclude_settles_zero_in_floor_slots_and_counts_them():
    settled = run(floor_price_slots="settle")
    excluded = run(floor_price_slots="exclude", nfc_price_jpy_per_kwh=1.0)
    assert settled.total_jpy == pytest.approx(400 - 200 - 799.2 + 100)
    assert excluded.total_jpy == pytest.approx(400 - 200 + 0 + 100)
    assert excluded.intervals["excluded"].tolist() == [False, False, True, False]
    assert excluded.excluded_slots == 1
    assert excluded.monthly["excluded_slots"].iloc[0] == 1
    assert excluded.monthly["excluded_volume_kwh"].iloc[0] == 80.0
    # certificates are bought on every contracted kWh, excluded slots included
    assert excluded.total_certificate_cost_jpy == pytest.approx(240.0)


def test_exclude_with_floor_still_excludes_on_the_index_price():
    result = run(floor_price_slots="exclude", floor_jpy_per_kwh=5.0)
    assert result.total_jpy == pytest.approx(400 - 200 + 100)


def test_baseload_volume_is_kw_times_half_an_hour():
    result = run(volume="baseload", baseload_kw=100.0)
    np.testing.assert_allclose(result.intervals["volume_kwh"], 50.0)
    assert result.total_jpy == pytest.approx((4 - 4 - 9.99 + 10) * 50)
    assert result.capture_price == pytest.approx(40.01 / 4)
    assert result.capture_rate == pytest.approx(1.0)


def test_shaped_volume_follows_the_shape_not_generation():
    shape = pd.Series(
        [10.0, 20.0, 30.0, 40.0, 99.0], index=slot_index(SLOTS[0], SLOTS[-1] + 2 * SLOTS.freq)
    )
    result = run(volume="shaped", shape_kwh=shape)
    np.testing.assert_allclose(result.intervals["volume_kwh"], [10, 20, 30, 40])
    assert result.total_jpy == pytest.approx(40 - 80 - 299.7 + 400)


def test_shape_must_cover_every_settled_slot():
    shape = pd.Series([1.0, 1.0], index=SLOTS[:2])
    with pytest.raises(ValidationError, match="2022-05-10 11:00"):
        run(volume="shaped", shape_kwh=shape)


def test_certificate_cost_is_price_times_contracted_volume():
    result = run(share=0.5, nfc_price_jpy_per_kwh=1.5)
    np.testing.assert_allclose(result.intervals["certificate_cost_jpy"], [75, 37.5, 60, 7.5])
    assert result.monthly["certificate_cost_jpy"].iloc[0] == pytest.approx(180.0)


def test_escalation_steps_at_the_contract_anniversary_not_the_fiscal_year():
    slots = pd.date_range("2023-09-30 23:00", periods=4, freq="30min", tz=TZ)
    gen = pd.Series(1.0, index=slots)
    price = pd.Series(20.0, index=slots)
    contract = VPPAContract(10.0, escalation_per_year=0.1, start="2022-10-01")
    result = settle(contract, gen, price)
    # 2022-10-01 to 2023-10-01 is contract year 1; the slot at 2023-10-01 00:00 starts year 2
    np.testing.assert_allclose(result.intervals["strike_jpy_per_kwh"], [10, 10, 11, 11])
    assert result.intervals["contract_year"].tolist() == [1, 1, 2, 2]
    assert result.total_jpy == pytest.approx(10 + 10 + 9 + 9)
    # without a start, years count from the first settled slot: all in year 1
    plain = settle(VPPAContract(10.0, escalation_per_year=0.1), gen, price)
    np.testing.assert_allclose(plain.intervals["strike_jpy_per_kwh"], 10.0)


def test_contract_period_limits_the_settled_slots():
    contract = VPPAContract(10.0, start=SLOTS[1], end=SLOTS[3])
    result = settle(contract, GEN, PRICE)
    assert list(result.intervals.index) == list(SLOTS[1:3])
    assert result.total_jpy == pytest.approx(-4 * 50 + (0.01 - 10) * 80)


def test_monthly_and_annual_statements_by_hand():
    slots = pd.date_range("2023-03-31 23:00", periods=4, freq="30min", tz=TZ)
    gen = pd.Series([1.0, 3.0, 2.0, 0.0], index=slots)
    price = pd.Series([12.0, 8.0, 4.0, 6.0], index=slots)
    result = settle(VPPAContract(10.0), gen, price)
    monthly, annual = result.monthly, result.annual
    assert list(monthly.index) == [
        pd.Timestamp("2023-03-01", tz=TZ),
        pd.Timestamp("2023-04-01", tz=TZ),
    ]
    assert list(annual.index) == [2022, 2023]
    np.testing.assert_allclose(monthly["volume_kwh"], [4.0, 2.0])
    np.testing.assert_allclose(monthly["capture_price_jpy_per_kwh"], [(12 + 24) / 4, 4.0])
    np.testing.assert_allclose(monthly["average_price_jpy_per_kwh"], [10.0, 5.0])
    np.testing.assert_allclose(monthly["settlement_jpy"], [2 - 6, -12.0])
    assert monthly["payer"].tolist() == ["buyer", "buyer"]
    pd.testing.assert_frame_equal(monthly.reset_index(drop=True), annual.reset_index(drop=True))
    # capture rate: time-weighted mean over all slots, the zero-output one included
    assert result.capture_price == pytest.approx(44 / 6)
    assert result.capture_rate == pytest.approx((44 / 6) / 7.5)


def test_payer_names_who_pays():
    slots = pd.date_range("2022-04-01", periods=3, freq="MS", tz=TZ)
    gen = pd.Series(1.0, index=slot_index(slots[0], slots[-1] + pd.Timedelta("1h")))
    price = pd.Series(10.0, index=gen.index)
    price[price.index.month == 4] = 15.0
    price[price.index.month == 5] = 5.0
    result = settle(VPPAContract(10.0), gen, price)
    assert result.monthly["payer"].tolist() == ["generator", "buyer", "none"]
    # April: 1,440 slots x (15 - 10) x 1 kWh = 7,200 JPY; May: 1,488 x (5 - 10) = -7,440 JPY.
    assert result.total_jpy == pytest.approx(-240.0)
    assert result.payer == "buyer"
    statement = statement_frame(result)
    assert statement["payer"].tolist() == ["generator", "buyer", "none", "buyer"]


def test_payer_reads_the_sign_of_arrays_and_numbers():
    assert payer(np.array([0.5, -1e-9, 0.0, -0.0])).tolist() == [
        "generator",
        "buyer",
        "none",
        "none",
    ]
    assert [str(payer(value)) for value in (3.0, -3.0, 0.0)] == ["generator", "buyer", "none"]


def test_statements_reconcile_with_slot_sums_over_a_year():
    index = slot_index("2022-04-01", "2023-04-01")
    rng = np.random.default_rng(7)
    gen = solar_like_generation_kwh(index, rng, capacity_kw=2000.0)
    prices = jepx_like_prices(index, rng, ("kyushu",), floor_share=0.1)
    price = prices["kyushu"]
    contract = VPPAContract(
        12.0, "kyushu", share=0.7, nfc_price_jpy_per_kwh=0.6, escalation_per_year=0.02
    )
    result = settle(contract, gen, prices)
    assert_settlement_reconciles(result, prices, gen, contract)
    assert len(result.monthly) == 12
    for frame in (result.monthly, result.annual):
        assert abs(frame["settlement_jpy"].sum() - result.total_jpy) < 1.0
        assert abs(frame["certificate_cost_jpy"].sum() - result.total_certificate_cost_jpy) < 1.0
        assert frame["volume_kwh"].sum() == pytest.approx(0.7 * gen.sum())
    by_hand = ((price - 12.0) * gen * 0.7).groupby(index.month).sum()
    np.testing.assert_allclose(
        result.monthly["settlement_jpy"].to_numpy(),
        by_hand.loc[[*range(4, 13), 1, 2, 3]].to_numpy(),
    )


def shaped_over(index: pd.DatetimeIndex) -> VPPAContract:
    shape = pd.Series(np.resize([0.0, 40.0, 80.0], len(index)), index=index)
    return VPPAContract(9.0, "system", volume="shaped", shape_kwh=shape)


CONTRACTS = {
    "plain": lambda index: VPPAContract(10.0),
    "clauses": lambda index: VPPAContract(
        11.0,
        "kyushu",
        share=0.6,
        floor_jpy_per_kwh=3.0,
        cap_jpy_per_kwh=25.0,
        floor_price_slots="exclude",
        nfc_price_jpy_per_kwh=0.8,
        escalation_per_year=0.05,
        start=index[len(index) // 3],
        end=index[-1],
    ),
    "baseload": lambda index: VPPAContract(9.0, volume="baseload", baseload_kw=250.0),
    "shaped": shaped_over,
}


@settings(max_examples=20, deadline=None)
@given(
    data=st.data(),
    name=st.sampled_from(sorted(CONTRACTS)),
    index=slot_indexes(min_slots=3, max_slots=3000),
)
def test_any_contract_reconciles_slot_by_slot_with_its_statements(data, name, index):
    contract = CONTRACTS[name](index)
    prices = data.draw(slot_prices(index, columns=("system", "kyushu")))
    generation = data.draw(generation_profiles(index))
    result = settle(contract, generation, prices)
    assert_settlement_reconciles(result, prices, generation, contract)


def test_hedge_view_effective_price_is_the_strike_without_floor_or_cap():
    view = hedge_view(run(share=0.5, nfc_price_jpy_per_kwh=0.5))
    assert view["market_cost_jpy"].iloc[0] == pytest.approx(950.4)
    assert view["net_cost_jpy"].iloc[0] == pytest.approx(950.4 + 249.6)
    assert view["effective_price_jpy_per_kwh"].iloc[0] == pytest.approx(10.0)
    assert view["all_in_price_jpy_per_kwh"].iloc[0] == pytest.approx(10.5)


def test_hedge_view_with_a_floor_and_per_slot():
    result = run(share=0.5, floor_jpy_per_kwh=5.0)
    month = hedge_view(result)
    assert month["effective_price_jpy_per_kwh"].iloc[0] == pytest.approx((950.4 + 50) / 120)
    per_slot = hedge_view(result, by="slot")
    # in the floor slot the buyer pays 0.01 at market and 5 - 10 = -5 to the generator
    np.testing.assert_allclose(per_slot["effective_price_jpy_per_kwh"], [10, 10, 0.01 + 5, 10])
    assert list(hedge_view(result, by="fiscal_year").index) == [2022]
    with pytest.raises(ValidationError, match="by must be"):
        hedge_view(result, by="week")


# --- validation: errors name the first offending timestamps ---------------------------------


def test_hourly_generation_points_to_to_slots():
    hourly = pd.Series(1.0, index=pd.date_range("2022-04-01", periods=3, freq="h", tz=TZ))
    with pytest.raises(ValidationError, match="to_slots"):
        settle(VPPAContract(10.0), hourly, PRICE)


def test_naive_generation_index_is_refused():
    with pytest.raises(ValidationError, match="tz-aware"):
        settle(VPPAContract(10.0), GEN.tz_localize(None), PRICE)


def test_irregular_generation_index_is_refused():
    with pytest.raises(ValidationError, match="irregular"):
        settle(VPPAContract(10.0), GEN.drop(SLOTS[1]), PRICE)


@pytest.mark.parametrize(("value", "label"), [(-1.0, "negative"), (np.nan, "NaN")])
def test_bad_generation_values_name_the_slot(value, label):
    gen = GEN.copy()
    gen.iloc[2] = value
    with pytest.raises(ValidationError, match=f"{label}.*2022-05-10 11:00:00"):
        settle(VPPAContract(10.0), gen, PRICE)


def test_nan_or_missing_price_at_a_settled_slot_names_it():
    price = PRICE.copy()
    price.iloc[1] = np.nan
    with pytest.raises(ValidationError, match="2022-05-10 10:30:00"):
        settle(VPPAContract(10.0), GEN, price)
    with pytest.raises(ValidationError, match="2022-05-10 11:30:00"):
        settle(VPPAContract(10.0), GEN, PRICE.iloc[:3])
    # a NaN outside the contract period is not a settled slot
    assert settle(VPPAContract(10.0, start=SLOTS[2]), GEN, price).total_jpy == pytest.approx(
        -799.2 + 100
    )


def test_price_frame_needs_the_contract_index_column():
    with pytest.raises(ValidationError, match="'kyushu'"):
        settle(VPPAContract(10.0, "kyushu"), GEN, PRICE.to_frame("system"))


def test_naive_price_index_is_refused():
    with pytest.raises(ValidationError, match="tz-aware"):
        settle(VPPAContract(10.0), GEN, PRICE.tz_localize(None))


def test_no_overlap_with_the_contract_period():
    with pytest.raises(ValidationError, match="do not overlap"):
        settle(VPPAContract(10.0, start="2030-04-01"), GEN, PRICE)

"""simulate against settle, risk metrics against numpy by hand, break-even strikes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gxdlib.errors import ValidationError
from gxdlib.scenarios import bootstrap
from gxdlib.testing import assert_settlement_reconciles, jepx_like_prices, solar_like_generation_kwh
from gxdlib.timeseries import fiscal_year_slots
from gxdlib.vppa import RiskResult, VPPAContract, breakeven_strike, settle, simulate

HISTORY = fiscal_year_slots(2022)
RNG = np.random.default_rng(0)
PRICES = jepx_like_prices(HISTORY, RNG, ("system", "kyushu"), floor_share=0.1)
GEN = solar_like_generation_kwh(HISTORY, RNG)
SCENARIOS = bootstrap(PRICES, GEN, n_scenarios=7, n_years=2, block="week", seed=4)


def shaped() -> VPPAContract:
    shape = pd.Series(np.resize([0.0, 5.0, 10.0], len(SCENARIOS.index)), index=SCENARIOS.index)
    return VPPAContract(9.0, "system", volume="shaped", shape_kwh=shape)


CONTRACTS = {
    "as_produced": VPPAContract(
        11.0,
        "kyushu",
        share=0.6,
        floor_jpy_per_kwh=3.0,
        cap_jpy_per_kwh=25.0,
        escalation_per_year=0.05,
        nfc_price_jpy_per_kwh=0.8,
        start="2023-10-01",
    ),
    "exclude": VPPAContract(12.0, "system", floor_price_slots="exclude", end="2025-01-01"),
    "baseload": VPPAContract(10.0, "kyushu", volume="baseload", baseload_kw=250.0),
    "shaped": shaped(),
}


def settle_scenario(contract: VPPAContract, s: int):
    generation = pd.Series(SCENARIOS.generation_kwh(s, s + 1)[0], index=SCENARIOS.index)
    prices = pd.Series(SCENARIOS.prices(contract.price_index, s, s + 1)[0], index=SCENARIOS.index)
    result = settle(contract, generation, prices)
    assert_settlement_reconciles(result, prices, generation, contract)
    return result


@pytest.mark.parametrize("name", CONTRACTS)
def test_simulate_equals_settle_on_every_scenario(name):
    contract = CONTRACTS[name]
    risk = simulate(contract, SCENARIOS, chunk_size=3)
    assert risk.annual.shape[0] == SCENARIOS.n_scenarios
    for s in range(SCENARIOS.n_scenarios):
        result = settle_scenario(contract, s)
        by_year = result.intervals.groupby("contract_year")[["settlement_jpy", "volume_kwh"]].sum()
        np.testing.assert_allclose(risk.annual.loc[s], by_year["settlement_jpy"], rtol=1e-9)
        np.testing.assert_allclose(risk.annual_volume_kwh.loc[s], by_year["volume_kwh"], rtol=1e-9)
        assert risk.total_jpy[s] == pytest.approx(result.total_jpy, rel=1e-9)


def test_contract_years_follow_the_contract_start():
    risk = simulate(CONTRACTS["as_produced"], SCENARIOS)
    assert list(risk.annual.columns) == [1, 2]
    assert risk.year_start[2] == pd.Timestamp("2024-10-01", tz="Asia/Tokyo")


def test_chunking_progress_and_dask_give_the_same_result():
    from distributed import Client, LocalCluster

    contract = CONTRACTS["as_produced"]
    calls = []
    whole = simulate(contract, SCENARIOS, chunk_size=100)
    chunked = simulate(
        contract, SCENARIOS, chunk_size=2, progress=lambda d, n: calls.append((d, n))
    )
    pd.testing.assert_frame_equal(whole.annual, chunked.annual)
    assert calls == [(2, 7), (4, 7), (6, 7), (7, 7)]
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        calls.clear()
        on_dask = simulate(
            contract, SCENARIOS, chunk_size=3, client=client, progress=lambda d, n: calls.append(d)
        )
    pd.testing.assert_frame_equal(whole.annual, on_dask.annual)
    assert sorted(calls)[-1] == 7


def test_bad_chunk_size():
    with pytest.raises(ValidationError, match="chunk_size"):
        simulate(CONTRACTS["baseload"], SCENARIOS, chunk_size=0)


# --- risk metrics against numpy, by hand ---------------------------------------------------

VALUES = np.array(
    [
        [5.0, -3.0],
        [-20.0, 4.0],
        [7.0, 1.0],
        [1.0, -8.0],
        [-2.0, 9.0],
        [3.0, 0.0],
        [11.0, -6.0],
        [-9.0, 2.0],
        [6.0, 5.0],
        [0.0, -1.0],
    ]
)


def hand_result() -> RiskResult:
    years = pd.Index([1, 2], name="contract_year")
    annual = pd.DataFrame(VALUES, columns=years)
    return RiskResult(
        contract=CONTRACTS["baseload"],
        annual=annual,
        annual_volume_kwh=annual.abs(),
        year_start=pd.Series([pd.Timestamp("2023-04-01"), pd.Timestamp("2024-04-01")], index=years),
    )


def test_percentiles_and_cfar_match_numpy():
    risk = hand_result()
    pct = risk.percentiles([0.1, 0.5, 0.9])
    for j in range(2):
        np.testing.assert_allclose(pct.iloc[:, j], np.quantile(VALUES[:, j], [0.1, 0.5, 0.9]))
    # year 1 sorted: -20 -9 -2 0 1 3 5 6 7 11; linear 0.2-quantile at position 1.8 -> -9 + 0.8 * 7
    q = -9 + 0.8 * 7
    assert risk.cfar(0.2)[1] == pytest.approx(VALUES[:, 0].mean() - q)
    assert risk.value_at_risk(0.2)[1] == pytest.approx(-q)
    # tail at or below -3.4: -20 and -9
    assert risk.expected_shortfall(0.2)[1] == pytest.approx(14.5)
    totals = VALUES.sum(axis=1)
    assert risk.percentiles([0.5], horizon="total").iloc[0] == pytest.approx(np.median(totals))
    assert risk.cfar(0.1, horizon="total") == pytest.approx(
        totals.mean() - np.quantile(totals, 0.1)
    )
    tail = np.sort(totals)[:1]
    assert risk.expected_shortfall(0.1, horizon="total") == pytest.approx(-tail.mean())
    tidy = risk.tidy()
    assert list(tidy.columns) == ["scenario", "contract_year", "settlement_jpy", "volume_kwh"]
    assert tidy["settlement_jpy"].sum() == pytest.approx(VALUES.sum())


@pytest.mark.parametrize("call", ["cfar", "value_at_risk", "expected_shortfall"])
def test_alpha_must_be_a_probability(call):
    with pytest.raises(ValidationError, match="alpha"):
        getattr(hand_result(), call)(1.5)


# --- break-even strike ----------------------------------------------------------------------


@pytest.mark.parametrize("quantile", [0.5, 0.2])
def test_breakeven_strike_zeroes_that_quantile(quantile):
    contract = CONTRACTS["as_produced"]
    strike = breakeven_strike(contract, SCENARIOS, quantile=quantile)
    risk = simulate(VPPAContract(**{**contract.__dict__, "strike_jpy_per_kwh": strike}), SCENARIOS)
    scale = risk.annual_volume_kwh.to_numpy().sum(axis=1).mean()
    assert abs(np.quantile(risk.total_jpy, quantile)) < 1e-8 * scale


def test_breakeven_on_history_is_the_capture_price_without_clauses():
    generation = pd.Series(SCENARIOS.generation_kwh(0, 1)[0], index=SCENARIOS.index)
    prices = pd.Series(SCENARIOS.prices("system", 0, 1)[0], index=SCENARIOS.index)
    strike = breakeven_strike(VPPAContract(1.0, share=0.3), (generation, prices))
    assert strike == pytest.approx((prices * generation).sum() / generation.sum(), rel=1e-9)
    floored = VPPAContract(1.0, floor_jpy_per_kwh=8.0, escalation_per_year=0.1)
    strike = breakeven_strike(floored, (generation, prices))
    assert (
        abs(
            settle(
                VPPAContract(strike, floor_jpy_per_kwh=8.0, escalation_per_year=0.1),
                generation,
                prices,
            ).total_jpy
        )
        < 1e-3
    )


def test_breakeven_needs_volume():
    generation = pd.Series(0.0, index=SCENARIOS.index)
    prices = pd.Series(10.0, index=SCENARIOS.index)
    with pytest.raises(ValidationError, match="no contracted volume"):
        breakeven_strike(VPPAContract(1.0), (generation, prices))

"""VPPAContract: terms, escalation and validation of invalid combinations."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from gxdlib.errors import ValidationError
from gxdlib.timeseries import TZ
from gxdlib.vppa import VPPAContract

SHAPE = pd.Series([1.0, 2.0], index=pd.date_range("2022-04-01", periods=2, freq="30min", tz=TZ))


def test_escalation_is_compounded_per_contract_year():
    contract = VPPAContract(10.0, escalation_per_year=0.1)
    assert contract.strike_in_year(1) == pytest.approx(10.0)
    assert contract.strike_in_year(3) == pytest.approx(10.0 * 1.1 * 1.1)


def test_naive_dates_are_read_as_jst_and_contract_is_frozen():
    contract = VPPAContract(10.0, start="2022-04-01", end="2023-04-01")
    assert contract.start == pd.Timestamp("2022-04-01", tz=TZ)
    with pytest.raises(dataclasses.FrozenInstanceError):
        contract.strike_jpy_per_kwh = 3.0


def test_equality_includes_the_shape():
    a = VPPAContract(10.0, volume="shaped", shape_kwh=SHAPE)
    b = VPPAContract(10.0, volume="shaped", shape_kwh=SHAPE.copy())
    c = VPPAContract(10.0, volume="shaped", shape_kwh=SHAPE * 2)
    assert a == b and hash(a) == hash(b)
    assert a != c


@pytest.mark.parametrize(
    ("terms", "fragment"),
    [
        ({"strike_jpy_per_kwh": -1.0}, "strike_jpy_per_kwh"),
        ({"strike_jpy_per_kwh": float("nan")}, "strike_jpy_per_kwh"),
        ({"price_index": "okinawa"}, "price_index"),
        ({"volume": "monthly"}, "volume"),
        ({"share": 0.0}, "0 < share <= 1"),
        ({"share": 1.2}, "0 < share <= 1"),
        ({"volume": "baseload"}, "baseload_kw > 0"),
        ({"volume": "baseload", "baseload_kw": 100.0, "share": 0.5}, "as_produced volume only"),
        ({"baseload_kw": 100.0}, "baseload volume only"),
        ({"volume": "shaped"}, "shape_kwh"),
        ({"shape_kwh": SHAPE}, "shaped volume only"),
        ({"volume": "shaped", "shape_kwh": SHAPE * -1}, "negative"),
        ({"volume": "shaped", "shape_kwh": SHAPE.tz_localize(None)}, "tz-aware"),
        ({"floor_jpy_per_kwh": 20.0, "cap_jpy_per_kwh": 5.0}, "floor < cap"),
        ({"cap_jpy_per_kwh": float("inf")}, "cap_jpy_per_kwh"),
        ({"floor_price_slots": "skip"}, "floor_price_slots"),
        ({"nfc_price_jpy_per_kwh": -0.5}, "nfc_price_jpy_per_kwh"),
        ({"escalation_per_year": -1.0}, "escalation_per_year"),
        ({"start": "2023-04-01", "end": "2022-04-01"}, "before end"),
    ],
)
def test_invalid_terms_raise_validation_error(terms, fragment):
    kwargs = {"strike_jpy_per_kwh": 10.0} | terms
    with pytest.raises(ValidationError, match=fragment):
        VPPAContract(**kwargs)


def test_every_problem_is_listed_at_once():
    with pytest.raises(ValidationError) as info:
        VPPAContract(-1.0, price_index="x", share=2.0, nfc_price_jpy_per_kwh=-1.0)
    assert len(info.value.problems) == 4

"""Hypothesis strategies and assertion helpers for code that builds on gxdlib.

The project's own tests use them, and so can a user who writes a reader, a
contract term or a Scope 3 method of their own, as :mod:`xarray.testing`
serves xarray's users. This package needs ``hypothesis`` (a test
dependency); ``import gxdlib`` does not import it.

Strategies (:mod:`gxdlib.testing.strategies`)
    :func:`slot_indexes`, :func:`slot_prices`, :func:`price_years`,
    :func:`generation_profiles`, :func:`purchase_ledgers`,
    :func:`pact_footprints`; and the numpy generators behind the slot
    series, :func:`jepx_like_prices` and :func:`solar_like_generation_kwh`,
    for fixed data from a seed.
Documents (:mod:`gxdlib.testing.pact_documents`)
    :func:`example_pact_v2`, :func:`example_pact_v3`: complete PACT
    ProductFootprints with values to check by hand.
Assertions (:mod:`gxdlib.testing.assertions`)
    :func:`assert_slot_index`, :func:`assert_settlement_reconciles`,
    :func:`assert_scope3_reconciles`, :func:`assert_refused`.

Examples
--------
>>> from hypothesis import given, settings, strategies as st
>>> from gxdlib.vppa import VPPAContract, settle
>>> contract = VPPAContract(10.0, floor_price_slots="exclude")
>>> @settings(max_examples=5, deadline=None)
... @given(prices=slot_prices(), data=st.data())
... def check(prices, data):
...     generation = data.draw(generation_profiles(prices.index))
...     result = settle(contract, generation, prices)
...     assert_settlement_reconciles(result, prices, generation, contract)
>>> check()
"""

from gxdlib.testing.assertions import (
    assert_refused,
    assert_scope3_reconciles,
    assert_settlement_reconciles,
    assert_slot_index,
)
from gxdlib.testing.pact_documents import example_pact_v2, example_pact_v3
from gxdlib.testing.strategies import (
    generation_profiles,
    jepx_like_prices,
    pact_footprints,
    price_years,
    purchase_ledgers,
    slot_indexes,
    slot_prices,
    solar_like_generation_kwh,
)

__all__ = [
    "assert_refused",
    "assert_scope3_reconciles",
    "assert_settlement_reconciles",
    "assert_slot_index",
    "example_pact_v2",
    "example_pact_v3",
    "generation_profiles",
    "jepx_like_prices",
    "pact_footprints",
    "price_years",
    "purchase_ledgers",
    "slot_indexes",
    "slot_prices",
    "solar_like_generation_kwh",
]

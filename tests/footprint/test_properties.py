"""Property tests of the hybrid calculation on random ledgers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from gxdlib.footprint import AverageFactors, SpendFactors, scope3_category1
from gxdlib.io.pact import read_pact
from gxdlib.testing import (
    assert_scope3_reconciles,
    example_pact_v2,
    example_pact_v3,
    purchase_ledgers,
)

FOOTPRINTS = read_pact([example_pact_v3(), example_pact_v2("kilogram")])
SPEND = SpendFactors.sample()
AVERAGE = AverageFactors.sample()
KASEI = "urn:pact:kasei.example.jp:company-id:1234567890123"

LEDGERS = purchase_ledgers(
    supplier_ids=["S001", "S002", KASEI],
    product_ids=[None, "P-100", "urn:gtin:5695872369587"],
    sectors=["integrated_circuits", "hot_rolled_steel", "software", "unknown"],
    quantity_units=["piece", "kg", "t", "h", "kWh"],
    fiscal_years=[2022, 2023, 2024, 2025],
    max_lines=30,
)


@settings(max_examples=60, deadline=None)
@given(LEDGERS)
def test_total_lines_and_shares(ledger):
    result = scope3_category1(ledger, FOOTPRINTS, SPEND, AVERAGE)
    assert_scope3_reconciles(result, ledger)
    for value in (result.primary_coverage_by_spend, result.primary_coverage_by_emissions):
        assert np.isnan(value) or 0 <= value <= 1 + 1e-12

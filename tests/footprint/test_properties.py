"""Property tests of the hybrid calculation on random ledgers."""

from __future__ import annotations

import hypothesis.strategies as st
import numpy as np
import pandas as pd
from hypothesis import given, settings

from gxdlib.footprint import AverageFactors, SpendFactors, scope3_category1
from gxdlib.io.pact import read_pact
from tests.footprint.pact_docs import v2_doc, v3_doc

FOOTPRINTS = read_pact([v3_doc(), v2_doc("kilogram")])
SPEND = SpendFactors.sample()
AVERAGE = AverageFactors.sample()
KASEI = "urn:pact:kasei.example.jp:company-id:1234567890123"

line = st.tuples(
    st.sampled_from(["S001", "S002", KASEI]),
    st.sampled_from([None, "P-100", "urn:gtin:5695872369587"]),
    st.sampled_from(["integrated_circuits", "hot_rolled_steel", "software", "unknown"]),
    st.one_of(st.none(), st.floats(0, 1e6)),
    st.sampled_from(["piece", "kg", "t", "h", "kWh"]),
    st.floats(0, 1e9),
    st.sampled_from([2022, 2023, 2024, 2025]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(line, min_size=1, max_size=30))
def test_total_lines_and_shares(rows):
    frame = pd.DataFrame(
        rows,
        columns=["supplier_id", "product_id", "sector", "quantity", "quantity_unit",
                 "spend_jpy", "fiscal_year"],
    )  # fmt: skip
    frame["quantity_unit"] = frame["quantity_unit"].where(frame["quantity"].notna())
    frame["quantity"] = frame["quantity"].astype(float)
    frame.index = pd.Index(np.random.default_rng(0).permutation(len(frame)) * 7, name="line_id")
    result = scope3_category1(frame, FOOTPRINTS, SPEND, AVERAGE)
    lines = result.lines
    # every ledger line exactly once, in order
    assert lines.index.equals(frame.index)
    assert np.isclose(result.total_kgco2e, np.nansum(lines["emissions_kgco2e"]))
    assert np.isclose(result.totals_by_method()["emissions_kgco2e"].sum(), result.total_kgco2e)
    assert result.totals_by_method()["lines"].sum() == len(frame)
    shares = result.coverage()["share"].dropna()
    assert ((shares >= 0) & (shares <= 1 + 1e-12)).all()
    for value in (result.primary_coverage_by_spend, result.primary_coverage_by_emissions):
        assert np.isnan(value) or 0 <= value <= 1 + 1e-12
    assert (lines["method"] == "unassessed").eq(lines["emissions_kgco2e"].isna()).all()

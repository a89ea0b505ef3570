"""The pages' shared price loader: one read per fiscal year and process."""

from __future__ import annotations

import pandas as pd

from gxdlib.catalog import load_prices
from gxdlib.dashboards.data import cached_prices


def test_every_caller_gets_the_one_loaded_year() -> None:
    first = cached_prices(2022)
    assert cached_prices(2022) is first
    fresh = load_prices(2022)
    pd.testing.assert_frame_equal(first.frame, fresh.frame)
    assert (first.is_sample, first.source) == (fresh.is_sample, fresh.source)


def test_the_pages_read_prices_through_it() -> None:
    from gxdlib.dashboards import overview, procurement, vppa

    assert all(page.cached_prices is cached_prices for page in (overview, procurement, vppa))

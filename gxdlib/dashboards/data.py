"""Data the pages share across sessions, loaded once per process.

:mod:`gxdlib.catalog` stays free of Panel; the caches live here, keyed by the
arguments' values, so every page and every session reads one copy.
"""

from __future__ import annotations

import panel as pn

from gxdlib.catalog import LoadedPrices, load_prices


@pn.cache(max_items=12)
def cached_prices(fiscal_year: int) -> LoadedPrices:
    """:func:`gxdlib.catalog.load_prices` of ``fiscal_year``, read once per process.

    Parameters
    ----------
    fiscal_year : int
        The fiscal year (April to March).

    Returns
    -------
    LoadedPrices
        The same object for every caller; treat it as read-only.
    """
    return load_prices(fiscal_year)

"""Supply-chain emissions: PACT product footprints, Scope 3 category 1 and its gaps.

>>> from gxdlib.footprint import scope3_category1, gap_report, reflect_reduction
"""

from gxdlib.footprint.factors import AverageFactors, SpendFactors
from gxdlib.footprint.gaps import GapReport, gap_report, reflect_reduction
from gxdlib.footprint.model import (
    UNITS_OF_MEASUREMENT,
    V2_DECLARED_UNITS,
    ProductFootprint,
    footprints_frame,
    quality_score,
    unit_table,
)
from gxdlib.footprint.scope3 import METHODS, QUALITY_BANDS, Scope3Result, scope3_category1

__all__ = [
    "METHODS",
    "QUALITY_BANDS",
    "UNITS_OF_MEASUREMENT",
    "V2_DECLARED_UNITS",
    "AverageFactors",
    "GapReport",
    "ProductFootprint",
    "Scope3Result",
    "SpendFactors",
    "footprints_frame",
    "gap_report",
    "quality_score",
    "reflect_reduction",
    "scope3_category1",
    "unit_table",
]

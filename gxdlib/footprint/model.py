"""The normalised product carbon footprint and the units it is declared in.

A PACT ProductFootprint (WBCSD Partnership for Carbon Transparency, Technical
Specifications for PCF Data Exchange v2.0-2.3 and v3.0,
https://github.com/wbcsd/data-exchange-protocol) is normalised here into one
:class:`ProductFootprint` whatever its version: every emission value is
expressed per ONE unit of measurement.

- v2.x: ``pCfExcludingBiogenic`` is already per one declared unit (the spec's
  data model table: "calculated per declared unit"); ``unitaryProductAmount``
  is the number of declared units in the product.
- v3.0: ``pcfExcludingBiogenicUptake`` is per declared unit, which v3 defines as
  ``declaredUnitAmount`` units of ``declaredUnitOfMeasurement``, so it is
  divided by ``declaredUnitAmount``.

Data-quality ratings (DQR) run from 1 (best) to 3 in v2.x (technological,
temporal, geographical, completeness, reliability) and from 1 (best) to 5 in
v3.0 (technological, geographical, temporal). :func:`quality_score` maps the
mean rating ``r`` on a scale with worst value ``m`` linearly onto [0, 1] with
1 best: ``(m - r) / (m - 1)``. A v2 mean of 1.6 scores 0.7, a v3 mean of 2.0
scores 0.75. The mapping is ours: PACT defines no cross-version score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: Units of measurement of PACT v3.0 (``declaredUnitOfMeasurement``).
UNITS_OF_MEASUREMENT: tuple[str, ...] = (
    "kilogram",
    "liter",
    "cubic meter",
    "kilowatt hour",
    "megajoule",
    "ton kilometer",
    "square meter",
    "piece",
    "hour",
    "megabit second",
)
#: The subset PACT v2.0-2.3 allows as ``declaredUnit`` (piece, hour and
#: megabit second arrived with v3.0; decision log 0033 proposed piece).
V2_DECLARED_UNITS: tuple[str, ...] = UNITS_OF_MEASUREMENT[:7]

# unit -> (dimension, size in the dimension's base unit). The bases are
# kilogram, liter, megajoule, ton kilometer, square meter, piece, hour and
# megabit second; 1 kWh = 3.6 MJ exactly (SI), 1 m3 = 1000 L, 1 t = 1000 kg.
_UNIT_TABLE: dict[str, tuple[str, float]] = {
    "kilogram": ("mass", 1.0),
    "kg": ("mass", 1.0),
    "g": ("mass", 1e-3),
    "t": ("mass", 1e3),
    "tonne": ("mass", 1e3),
    "liter": ("volume", 1.0),
    "L": ("volume", 1.0),
    "mL": ("volume", 1e-3),
    "cubic meter": ("volume", 1e3),
    "m3": ("volume", 1e3),
    "megajoule": ("energy", 1.0),
    "MJ": ("energy", 1.0),
    "GJ": ("energy", 1e3),
    "kilowatt hour": ("energy", 3.6),
    "kWh": ("energy", 3.6),
    "MWh": ("energy", 3.6e3),
    "ton kilometer": ("transport", 1.0),
    "tkm": ("transport", 1.0),
    "square meter": ("area", 1.0),
    "m2": ("area", 1.0),
    "piece": ("count", 1.0),
    "pcs": ("count", 1.0),
    "hour": ("time", 1.0),
    "h": ("time", 1.0),
    "megabit second": ("data", 1.0),
}


def unit_table() -> pd.DataFrame:
    """Every quantity unit gxdlib understands, with its dimension and size.

    Returns
    -------
    pandas.DataFrame
        Index ``unit``; columns ``dimension`` and ``size_in_base`` (the size of
        one unit in the dimension's base unit: kilogram, liter, megajoule, ton
        kilometer, square meter, piece, hour, megabit second).

    Examples
    --------
    >>> unit_table().loc["kWh", "size_in_base"]
    np.float64(3.6)
    """
    frame = pd.DataFrame.from_dict(
        _UNIT_TABLE, orient="index", columns=["dimension", "size_in_base"]
    )
    frame.index.name = "unit"
    return frame


def quality_score(ratings: Iterable[float], scale_max: int) -> float | None:
    """Map data-quality ratings (1 best, ``scale_max`` worst) onto [0, 1], 1 best.

    Parameters
    ----------
    ratings : iterable of float
        The DQR values present (any subset of a version's ratings).
    scale_max : int
        3 for PACT v2.x, 5 for v3.0.

    Returns
    -------
    float or None
        ``(scale_max - mean) / (scale_max - 1)``; None without ratings.

    Examples
    --------
    >>> quality_score([1.6, 2.6, 1.8, 1.7, 2.1], 3)
    0.6
    >>> quality_score([1.0, 3.0, 2.0], 5)
    0.75
    """
    values = [float(r) for r in ratings]
    if not values:
        return None
    return round((scale_max - float(np.mean(values))) / (scale_max - 1), 12)


@dataclass(frozen=True)
class ProductFootprint:
    """One PACT ProductFootprint, normalised across spec versions.

    Every ``*_per_unit`` value refers to ONE unit of measurement ``unit``.

    Attributes
    ----------
    id : str
        The footprint's UUID.
    spec_version : str
        ``specVersion`` as read, e.g. ``"2.2.0"`` or ``"3.0.0"``.
    version : int or None
        The footprint's ``version`` (v2; optional and deprecated in v3).
    status : str
        ``"Active"`` or ``"Deprecated"``.
    created : pandas.Timestamp
        Creation time, UTC.
    company_name : str
        The data owner (the supplier).
    company_ids : tuple of str
        URNs of the data owner.
    product_ids : tuple of str
        URNs of the product.
    product_name : str
        ``productNameCompany``.
    product_description : str
        ``productDescription``.
    unit : str
        Unit of measurement, one of :data:`UNITS_OF_MEASUREMENT`.
    declared_unit_amount : float
        Units of measurement in the product the PCF refers to (v2
        ``unitaryProductAmount``, v3 ``declaredUnitAmount``).
    pcf_kgco2e_per_unit : float
        Emissions excluding biogenic CO2 uptake [kgCO2e/unit].
    pcf_including_biogenic_kgco2e_per_unit : float or None
        Emissions including biogenic uptake [kgCO2e/unit], where given.
    product_mass_kg_per_unit : float or None
        Product mass per unit of measurement [kg/unit]; None where not given,
        0 where the spec says mass is not relevant (energy, logistics).
    reference_period_start, reference_period_end : pandas.Timestamp
        The period the PCF represents (UTC; end exclusive).
    validity_period_start, validity_period_end : pandas.Timestamp or None
        The validity period as declared.
    geography : str or None
        Country subdivision (ISO 3166-2), country (ISO 3166-1 alpha-2) or UN
        region/subregion, whichever is defined; None means global.
    primary_data_share_pct : float or None
        Share of primary data in the PCF [%].
    dqr : tuple of (str, float)
        The data-quality ratings present, by name (e.g. ``technologicalDQR``).
    dqr_scale_max : int
        Worst rating of the version's scale: 3 (v2.x) or 5 (v3.0); 1 is best.
    quality_score : float or None
        :func:`quality_score` of ``dqr``: in [0, 1], 1 best.
    document : dict
        The original JSON object, kept so that writing it back loses nothing.
    """

    id: str
    spec_version: str
    version: int | None
    status: str
    created: pd.Timestamp
    company_name: str
    company_ids: tuple[str, ...]
    product_ids: tuple[str, ...]
    product_name: str
    product_description: str
    unit: str
    declared_unit_amount: float
    pcf_kgco2e_per_unit: float
    pcf_including_biogenic_kgco2e_per_unit: float | None
    product_mass_kg_per_unit: float | None
    reference_period_start: pd.Timestamp
    reference_period_end: pd.Timestamp
    validity_period_start: pd.Timestamp | None
    validity_period_end: pd.Timestamp | None
    geography: str | None
    primary_data_share_pct: float | None
    dqr: tuple[tuple[str, float], ...]
    dqr_scale_max: int
    quality_score: float | None
    document: Mapping[str, Any] = field(repr=False, compare=False, hash=False)

    @property
    def spec_major(self) -> int:
        """The major spec version, 2 or 3."""
        return int(self.spec_version.split(".", 1)[0])

    @property
    def valid_from(self) -> pd.Timestamp:
        """Start of validity: declared, else the reference period end (PACT default)."""
        if self.validity_period_start is not None:
            return self.validity_period_start
        return self.reference_period_end

    @property
    def valid_until(self) -> pd.Timestamp:
        """End of validity (exclusive): declared, else 3 years after the reference period end.

        PACT v2 and v3: "If no validity period is specified, the ProductFootprint
        is valid for 3 years" from ``referencePeriodEnd``.
        """
        if self.validity_period_end is not None:
            return self.validity_period_end
        return self.reference_period_end + pd.DateOffset(years=3)


#: Columns of :func:`footprints_frame`, in order.
FOOTPRINT_COLUMNS: tuple[str, ...] = (
    "id",
    "spec_version",
    "version",
    "status",
    "created",
    "company_name",
    "company_ids",
    "product_ids",
    "product_name",
    "unit",
    "declared_unit_amount",
    "pcf_kgco2e_per_unit",
    "pcf_including_biogenic_kgco2e_per_unit",
    "product_mass_kg_per_unit",
    "reference_period_start",
    "reference_period_end",
    "valid_from",
    "valid_until",
    "geography",
    "primary_data_share_pct",
    "dqr_scale_max",
    "quality_score",
)


def footprints_frame(footprints: Iterable[ProductFootprint]) -> pd.DataFrame:
    """One row per footprint, the normalised fields as columns.

    Parameters
    ----------
    footprints : iterable of ProductFootprint

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FOOTPRINT_COLUMNS` (``company_ids`` and ``product_ids``
        hold tuples of URNs; ``valid_from``/``valid_until`` apply the PACT
        3-year default); timestamps UTC; numbers float with NaN where a value
        was not given.
    """
    rows = [
        {
            **{name: getattr(fp, name) for name in FOOTPRINT_COLUMNS},
        }
        for fp in footprints
    ]
    frame = pd.DataFrame(rows, columns=list(FOOTPRINT_COLUMNS))
    for name in (
        "declared_unit_amount",
        "pcf_kgco2e_per_unit",
        "pcf_including_biogenic_kgco2e_per_unit",
        "product_mass_kg_per_unit",
        "primary_data_share_pct",
        "quality_score",
    ):
        frame[name] = pd.to_numeric(frame[name], errors="raise").astype(float)
    for name in (
        "created",
        "reference_period_start",
        "reference_period_end",
        "valid_from",
        "valid_until",
    ):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    frame["version"] = frame["version"].astype("Int64")
    frame["dqr_scale_max"] = frame["dqr_scale_max"].astype(int)
    return frame

"""Scope 3 category 1 (purchased goods and services) by the GHG Protocol's hybrid hierarchy.

Each ledger line is assessed by the best method available (GHG Protocol,
Technical Guidance for Calculating Scope 3 Emissions, category 1: supplier-
specific, hybrid, average-data and spend-based methods, in decreasing
specificity):

1. **supplier-specific**: a PACT footprint matching the line's supplier and
   product, ``Active``, valid during the line's fiscal year, whose unit the
   line's quantity converts to: ``quantity [PCF unit] x pcf_kgco2e_per_unit``;
2. **average-data**: an :class:`~gxdlib.footprint.factors.AverageFactors` entry
   for the line's ``product_category`` (or ``sector`` when the ledger has no
   such column) in a unit the quantity converts to;
3. **spend-based**: ``spend_jpy x`` the sector's factor [kgCO2e/JPY].

A line no method can assess stays in the result as ``unassessed`` with its
reason; nothing is dropped. The spend-based estimate is computed for every line
whose sector has a factor, whatever method is used, for comparison.

Matching a ledger line to a footprint (our convention, after the PACT
identifier guidance, spec/v2/identifiers.md): identifiers are compared as
URNs after lower-casing the ``urn:`` prefix and the namespace identifier
(case-insensitive by RFC 8141). A ledger ``supplier_id`` matches a footprint
when it equals one of its ``companyIds``, or when a companyId has the buyer-
assigned form ``urn:pact:<buyer domain>:buyer-id:<supplier_id>``;
``product_id`` likewise against ``productIds`` (PACT's ``buyer-id``
identifier type is the buyer's own part number). Several matching footprints:
the valid one with the best quality score, then the latest reference period,
is used.

Quantity units convert within a dimension (mass, volume, energy, ...; see
:func:`gxdlib.footprint.model.unit_table`); a mass converts to another PCF unit
through the PCF's product mass per unit when given (kg of product -> pieces).
Anything else is incompatible: the footprint is not used and the line records
why (``primary_data_issue``).

Validity "for the period": the footprint's validity period (declared, else 3
years from its reference period end, as PACT prescribes) overlaps the line's
fiscal year (1 April to 1 April, JST).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gxdlib.checks import first_labels
from gxdlib.errors import ValidationError
from gxdlib.footprint.factors import AverageFactors, SpendFactors
from gxdlib.footprint.ledger import checked_ledger
from gxdlib.footprint.model import ProductFootprint, footprints_frame, unit_table

__all__ = ["METHODS", "QUALITY_BANDS", "Scope3Result", "scope3_category1"]

#: Assessment methods, best first.
METHODS: tuple[str, ...] = ("supplier-specific", "average-data", "spend-based", "unassessed")
#: Data-quality bands of a line (see :attr:`Scope3Result.lines`).
QUALITY_BANDS: tuple[str, ...] = (
    "primary: high",
    "primary: medium",
    "primary: low",
    "primary: unrated",
    "secondary: average-data",
    "secondary: spend-based",
    "unassessed",
)
# Why a line is not supplier-specific, closest miss first (candidate codes 1-5).
_PRIMARY_ISSUES = (
    "footprint unit incompatible with the line's quantity unit",
    "line has no quantity",
    "footprint not valid in the line's fiscal year",
    "footprint deprecated",
    "no footprint matches supplier and product",
)
_AVERAGE_ISSUES = (
    "average factor unit incompatible with the line's quantity unit",
    "line has no quantity",
    "no average factor for the category",
)
_JST = "Asia/Tokyo"
_URN_PREFIX = r"^(?i:urn):([^:]+):"
_BUYER_ID = r"^urn:pact:[^:]+:buyer-id:(.+)$"


def _normalise_ids(ids: pd.Series) -> pd.Series:
    """URNs with the ``urn:`` prefix and namespace lower-cased; other ids unchanged."""
    text = ids.astype("str")
    is_urn = text.str.match(r"(?i)urn:[^:]+:").fillna(False).to_numpy(dtype=bool)
    if not is_urn.any():
        return text
    urns = text[is_urn]
    nid = urns.str.replace(r"^[^:]+:([^:]+):.*$", r"\1", regex=True).str.lower()
    rest = urns.str.replace(r"^[^:]+:[^:]+:", "", regex=True)
    out = text.copy()
    out[is_urn] = "urn:" + nid + ":" + rest
    return out


def _id_keys(owner: np.ndarray, urns: pd.Series) -> pd.DataFrame:
    """(owner, key) pairs: each URN and, for buyer-assigned URNs, the bare buyer id."""
    full = _normalise_ids(urns)
    is_buyer = full.str.match(_BUYER_ID).fillna(False).to_numpy(dtype=bool)
    buyer = full[is_buyer].str.replace(r"^urn:pact:[^:]+:buyer-id:", "", regex=True)
    keys = pd.DataFrame(
        {
            "owner": np.concatenate([owner, owner[is_buyer]]),
            "key": pd.concat([full, buyer], ignore_index=True),
        }
    )
    return keys.dropna().drop_duplicates()


def _codes(keys: pd.Series, uniques: pd.Index) -> np.ndarray:
    return uniques.get_indexer(keys.to_numpy())


def _lookup(labels: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each label in ``index`` (-1 if absent), via its distinct values."""
    codes, uniques = pd.factorize(labels)
    return _pick(index.get_indexer(np.asarray(uniques, dtype=object)), codes, -1)


def _unit_arrays(units: pd.Series, table: pd.DataFrame, dims: pd.Index):
    """Dimension code (-1 unknown/missing) and size in base unit of each unit."""
    pos = _lookup(units, table.index)
    dim = _pick(dims.get_indexer(table["dimension"].to_numpy()), pos, -1)
    size = _pick(table["size_in_base"].to_numpy(dtype=float), pos, np.nan)
    return dim, size


def _pick(values: np.ndarray, index: np.ndarray, fill) -> np.ndarray:
    """``values[index]`` with ``fill`` where ``index`` is -1 (also for empty ``values``)."""
    padded = np.append(values, np.array([fill], dtype=values.dtype))
    return padded[np.where(index >= 0, index, len(values))]


def _fiscal_year_bounds_ns(years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    uniq, inverse = np.unique(years, return_inverse=True)
    starts = pd.to_datetime([f"{y}-04-01" for y in uniq]).tz_localize(_JST)
    ends = pd.to_datetime([f"{y + 1}-04-01" for y in uniq]).tz_localize(_JST)
    return (
        starts.as_unit("ns").asi8[inverse],
        ends.as_unit("ns").asi8[inverse],
    )


def _factor_problems(table: pd.DataFrame, column: str, what: str) -> list[str]:
    """Factors that are not finite numbers >= 0, named by their key."""
    values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if not bad.any():
        return []
    keys = table.index.rename(table.index.name or "key")
    return [f"{what}: {column} is not a finite number >= 0 at {first_labels(keys, bad)}"]


def _footprints_frame(footprints: object) -> pd.DataFrame:
    """The footprints as a :func:`footprints_frame`, refusing anything else."""
    if isinstance(footprints, pd.DataFrame):
        missing = [c for c in footprints_frame([]).columns if c not in footprints.columns]
        if missing:
            raise ValidationError(
                f"footprints lack column(s) {', '.join(missing)}: pass ProductFootprints or "
                "their gxdlib.footprint.footprints_frame"
            )
        return footprints
    if isinstance(footprints, str | bytes) or not isinstance(footprints, Sequence):
        raise ValidationError(
            f"footprints must be a list of ProductFootprint, got {type(footprints).__name__}"
        )
    others = sorted({type(f).__name__ for f in footprints if not isinstance(f, ProductFootprint)})
    if others:
        raise ValidationError(f"footprints must be ProductFootprints, got {', '.join(others)}")
    return footprints_frame(footprints)


def _check_inputs(footprints: pd.DataFrame, spend_factors: object, average_factors: object) -> None:
    """Refuse factor tables and footprints whose numbers would reach the totals as inf or NaN."""
    if not isinstance(spend_factors, SpendFactors):
        raise ValidationError(
            f"spend_factors must be SpendFactors, got {type(spend_factors).__name__}"
        )
    if average_factors is not None and not isinstance(average_factors, AverageFactors):
        raise ValidationError(
            f"average_factors must be AverageFactors or None, got {type(average_factors).__name__}"
        )
    problems = _factor_problems(spend_factors.table, "kgco2e_per_jpy", "spend_factors")
    if average_factors is not None:
        problems += _factor_problems(average_factors.table, "kgco2e_per_unit", "average_factors")
    if len(footprints):
        by_id = footprints.set_index(pd.Index(footprints["id"], name="footprint id"))
        problems += _factor_problems(by_id, "pcf_kgco2e_per_unit", "footprints")
    if problems:
        raise ValidationError("invalid emission factors", problems)


@dataclass(frozen=True)
class Scope3Result:
    """Line-level Scope 3 category 1 result and its views.

    Attributes
    ----------
    lines : pandas.DataFrame
        One row per ledger line, same index as the purchases; the ledger's
        columns plus ``method`` (one of :data:`METHODS`), ``emissions_kgco2e``
        [kgCO2e] (NaN when unassessed), ``supplier_specific_kgco2e``,
        ``average_data_kgco2e`` and ``spend_based_kgco2e`` [kgCO2e] (each NaN
        where that method cannot apply), ``footprint_id`` (the PCF used),
        ``footprint_unit`` (categoricals), ``quantity_in_footprint_unit``,
        ``primary_data_share_pct`` [%] and ``data_quality_score`` [0-1, 1 best]
        of that PCF, ``data_quality`` (one of :data:`QUALITY_BANDS`),
        ``primary_data_issue`` and ``candidate_footprint_id`` (why the closest
        PCF was not used), ``unassessed_reason``.
    spend_factors_source, average_factors_source : str
        Provenance of the secondary factors.
    """

    lines: pd.DataFrame
    spend_factors_source: str
    average_factors_source: str | None

    @property
    def total_kgco2e(self) -> float:
        """Scope 3 category 1 over assessed lines [kgCO2e]."""
        return float(self.lines["emissions_kgco2e"].sum())

    def _totals(self, by: list[str]) -> pd.DataFrame:
        grouped = self.lines.groupby(by, observed=True, sort=False)
        frame = grouped.agg(
            lines=("emissions_kgco2e", "size"),
            spend_jpy=("spend_jpy", "sum"),
            emissions_kgco2e=("emissions_kgco2e", "sum"),
            spend_based_kgco2e=("spend_based_kgco2e", "sum"),
        )
        total = self.total_kgco2e
        frame["share_of_emissions"] = frame["emissions_kgco2e"] / total if total else np.nan
        return frame.reset_index()

    def totals_by_method(self) -> pd.DataFrame:
        """Lines, spend [JPY] and emissions [kgCO2e] per method, every method listed."""
        frame = self._totals(["method"]).set_index("method")
        frame = frame.reindex(pd.CategoricalIndex(METHODS, categories=METHODS, name="method"))
        frame["lines"] = frame["lines"].fillna(0).astype(int)
        frame = frame.fillna({"spend_jpy": 0.0, "emissions_kgco2e": 0.0})
        return frame.reset_index()

    def totals_by_supplier(self) -> pd.DataFrame:
        """Per supplier, largest emissions first; plus its supplier-specific part [kgCO2e]."""
        by = ["supplier_id"] + (["supplier_name"] if "supplier_name" in self.lines else [])
        frame = self._totals(by)
        primary = (
            self.lines["supplier_specific_kgco2e"]
            .where(self.lines["method"].eq("supplier-specific"), 0.0)
            .groupby(self.lines["supplier_id"], sort=False)
            .sum()
        )
        frame["supplier_specific_kgco2e"] = primary.reindex(frame["supplier_id"]).to_numpy()
        return frame.sort_values("emissions_kgco2e", ascending=False, ignore_index=True)

    def totals_by_sector(self) -> pd.DataFrame:
        """Per sector, largest emissions first."""
        frame = self._totals(["sector"])
        return frame.sort_values("emissions_kgco2e", ascending=False, ignore_index=True)

    def method_mix(self, by: str) -> pd.DataFrame:
        """Long frame ``by, method, spend_jpy, emissions_kgco2e`` for stacked bars."""
        frame = self.lines.groupby([by, "method"], observed=True, sort=False).agg(
            spend_jpy=("spend_jpy", "sum"), emissions_kgco2e=("emissions_kgco2e", "sum")
        )
        return frame.reset_index()

    def coverage(self) -> pd.DataFrame:
        """Share of spend and of emissions by method (tidy: basis, method, value, share).

        ``basis`` is ``"spend"`` (value [JPY]) or ``"emissions"`` (value
        [kgCO2e]); shares are in [0, 1] and NaN when the basis total is 0.
        Unassessed lines carry spend but no emissions.
        """
        totals = self.totals_by_method()
        rows = []
        for basis, column in (("spend", "spend_jpy"), ("emissions", "emissions_kgco2e")):
            total = totals[column].sum()
            part = totals[["method", column]].rename(columns={column: "value"})
            part.insert(0, "basis", basis)
            part["share"] = part["value"] / total if total > 0 else np.nan
            rows.append(part)
        return pd.concat(rows, ignore_index=True)

    @property
    def primary_coverage_by_spend(self) -> float:
        """Share of spend assessed with supplier-specific data [0-1]."""
        return self._primary_share("spend")

    @property
    def primary_coverage_by_emissions(self) -> float:
        """Share of emissions assessed with supplier-specific data [0-1]."""
        return self._primary_share("emissions")

    def _primary_share(self, basis: str) -> float:
        cov = self.coverage()
        row = cov[(cov["basis"] == basis) & (cov["method"] == "supplier-specific")]
        return float(row["share"].iloc[0])

    def primary_data_share(self) -> pd.Series:
        """Emissions-weighted ``primaryDataShare`` of the PCFs used [%].

        Returns
        -------
        pandas.Series
            ``within_supplier_specific_pct``: weighted over supplier-specific
            lines whose PCF states a share; ``of_total_pct``: the same primary
            emissions over the whole assessed total (secondary data count 0%).
        """
        lines = self.lines
        used = lines["method"].eq("supplier-specific") & lines["primary_data_share_pct"].notna()
        weights = lines["emissions_kgco2e"].where(used, 0.0)
        primary = float((weights * lines["primary_data_share_pct"].fillna(0.0)).sum())
        within = primary / weights.sum() if weights.sum() > 0 else np.nan
        total = self.total_kgco2e
        return pd.Series(
            {
                "within_supplier_specific_pct": within,
                "of_total_pct": primary / total if total > 0 else np.nan,
            },
            name="primary_data_share_pct",
        )

    def quality_distribution(self) -> pd.DataFrame:
        """Lines, spend and emissions per data-quality band, every band listed."""
        frame = self.lines.groupby("data_quality", observed=False).agg(
            lines=("spend_jpy", "size"),
            spend_jpy=("spend_jpy", "sum"),
            emissions_kgco2e=("emissions_kgco2e", "sum"),
        )
        for column in ("spend_jpy", "emissions_kgco2e"):
            total = frame[column].sum()
            frame[f"share_of_{column.removesuffix('_jpy').removesuffix('_kgco2e')}"] = (
                frame[column] / total if total > 0 else np.nan
            )
        return frame.reset_index()

    def unassessed(self) -> pd.DataFrame:
        """The lines no method could assess, with their reason."""
        return self.lines[self.lines["method"].eq("unassessed")]


def scope3_category1(
    purchases: pd.DataFrame,
    footprints: Sequence[ProductFootprint] | pd.DataFrame,
    spend_factors: SpendFactors,
    average_factors: AverageFactors | None = None,
    *,
    exchange_rates: Mapping[str, float] | None = None,
) -> Scope3Result:
    """Assess every ledger line by the GHG Protocol hybrid hierarchy (see module doc).

    Parameters
    ----------
    purchases : pandas.DataFrame
        A ledger as from :func:`gxdlib.io.read_purchases` (``supplier_id,
        sector, quantity, quantity_unit, spend_jpy, fiscal_year`` required;
        ``product_id``, ``product_category``, ``supplier_name`` used if present).
        A ``currency`` column (ISO 4217 code per line) says which currency
        each line's spend amount is in; see ``exchange_rates``.
    footprints : list of ProductFootprint or pandas.DataFrame
        PCFs, or their :func:`gxdlib.footprint.footprints_frame`.
    spend_factors : SpendFactors
        Factors [kgCO2e/JPY] by sector.
    average_factors : AverageFactors, optional
        Factors [kgCO2e/unit] by category.
    exchange_rates : mapping of str to float, optional
        JPY per unit of each currency besides JPY in the ledger's
        ``currency`` column [JPY/unit], e.g. ``{"USD": 150.0}``. A ledger
        mixing currencies is refused without it; with it, spend is converted
        line by line (``spend_jpy = spend_amount x jpy_per_unit``, both kept
        in :attr:`Scope3Result.lines`). See :mod:`gxdlib.footprint.ledger`.

    Returns
    -------
    Scope3Result
        One row per ledger line (none dropped) and the views on them.

    Raises
    ------
    ValidationError
        Every problem of the ledger at once (:func:`~gxdlib.footprint.ledger.checked_ledger`:
        missing columns, duplicate line ids, spend or quantity not numbers,
        NaN, infinite or negative, unknown units, bad fiscal years, mixed
        currencies without rates, a currency without a rate), factor tables
        or footprints with factors that are not finite numbers >= 0 (naming
        the sector, category or footprint id), or factors of the wrong type.
    """
    purchases = checked_ledger(purchases, exchange_rates)
    fp = _footprints_frame(footprints)
    _check_inputs(fp, spend_factors, average_factors)
    n = len(purchases)
    units = unit_table()
    dims = pd.Index(units["dimension"].unique())
    quantity = purchases["quantity"].to_numpy(dtype=float)
    spend = purchases["spend_jpy"].to_numpy(dtype=float)
    line_dim, line_size = _unit_arrays(purchases["quantity_unit"], units, dims)
    mass_dim = dims.get_loc("mass")

    # --- supplier-specific: candidate (line, footprint) pairs by identifier keys
    s_codes, s_raw = pd.factorize(purchases["supplier_id"])
    s_key_codes, s_keys = pd.factorize(_normalise_ids(pd.Series(s_raw)))
    line_s = s_key_codes[s_codes]
    has_product = "product_id" in purchases.columns
    product = purchases["product_id"] if has_product else pd.Series(pd.NA, index=purchases.index)
    p_codes, p_raw = pd.factorize(product)
    p_key_codes, p_keys = pd.factorize(_normalise_ids(pd.Series(p_raw, dtype="str")))
    line_p = _pick(p_key_codes.astype(np.int64), p_codes, -1)

    fp_pos = np.arange(len(fp))
    comp = fp["company_ids"].explode()
    prod = fp["product_ids"].explode()
    comp_keys = _id_keys(fp_pos[comp.index.to_numpy()], comp.reset_index(drop=True))
    prod_keys = _id_keys(fp_pos[prod.index.to_numpy()], prod.reset_index(drop=True))
    comp_keys["s"] = _codes(comp_keys["key"], pd.Index(s_keys))
    prod_keys["p"] = _codes(prod_keys["key"], pd.Index(p_keys))
    pairs = comp_keys[comp_keys["s"] >= 0][["owner", "s"]].merge(
        prod_keys[prod_keys["p"] >= 0][["owner", "p"]], on="owner"
    )
    n_p = max(len(p_keys), 1)
    pairs["pair"] = pairs["s"].to_numpy(np.int64) * n_p + pairs["p"].to_numpy(np.int64)
    pairs = pairs.drop_duplicates(["pair", "owner"])
    line_pair = np.where(line_p >= 0, line_s.astype(np.int64) * n_p + line_p, -1)
    wanted = np.flatnonzero(line_pair >= 0)
    cand = pd.DataFrame({"line": wanted, "pair": line_pair[wanted]}).merge(
        pairs[["pair", "owner"]], on="pair"
    )
    c_line = cand["line"].to_numpy()
    c_fp = cand["owner"].to_numpy()

    fy_start, fy_end = _fiscal_year_bounds_ns(purchases["fiscal_year"].to_numpy())
    fp_dim, fp_size = _unit_arrays(fp["unit"], units, dims)
    fp_mass = fp["product_mass_kg_per_unit"].to_numpy(dtype=float)
    fp_from = pd.DatetimeIndex(fp["valid_from"]).as_unit("ns").asi8
    fp_until = pd.DatetimeIndex(fp["valid_until"]).as_unit("ns").asi8
    fp_active = fp["status"].eq("Active").to_numpy()
    fp_quality = fp["quality_score"].to_numpy(dtype=float)
    fp_ref_end = pd.DatetimeIndex(fp["reference_period_end"]).as_unit("ns").asi8

    same_dim = line_dim[c_line] == fp_dim[c_fp]
    via_mass = (line_dim[c_line] == mass_dim) & (fp_mass[c_fp] > 0) & ~same_dim
    convert = np.where(
        same_dim,
        line_size[c_line] / fp_size[c_fp],
        np.where(via_mass, line_size[c_line] / np.where(via_mass, fp_mass[c_fp], 1.0), np.nan),
    )
    valid = (fp_from[c_fp] < fy_end[c_line]) & (fy_start[c_line] < fp_until[c_fp])
    issue = np.select(
        [~fp_active[c_fp], ~valid, np.isnan(quantity[c_line]), np.isnan(convert)],
        [4, 3, 2, 1],
        default=0,
    )
    order = np.lexsort(
        (-fp_ref_end[c_fp], -np.nan_to_num(fp_quality[c_fp], nan=-1.0), issue, c_line)
    )
    first = order[np.unique(c_line[order], return_index=True)[1]]
    best_fp = np.full(n, -1)
    best_issue = np.full(n, 5)
    best_convert = np.full(n, np.nan)
    best_fp[c_line[first]] = c_fp[first]
    best_issue[c_line[first]] = issue[first]
    best_convert[c_line[first]] = convert[first]
    is_primary = best_issue == 0
    q_fp_unit = np.where(is_primary, quantity * best_convert, np.nan)
    pcf_value = _pick(fp["pcf_kgco2e_per_unit"].to_numpy(dtype=float), best_fp, np.nan)
    primary_kg = np.where(is_primary, q_fp_unit * pcf_value, np.nan)

    # --- average-data
    if average_factors is not None:
        category = purchases["product_category" if "product_category" in purchases else "sector"]
        a_pos = _lookup(category, average_factors.table.index)
        a_dim, a_size = _unit_arrays(average_factors.table["unit"], units, dims)
        a_factor = average_factors.table["kgco2e_per_unit"].to_numpy(dtype=float)
        has_avg = a_pos >= 0
        safe_a = np.maximum(a_pos, 0)
        compatible = has_avg & (line_dim == a_dim[safe_a]) & (line_dim >= 0)
        avg_kg = np.where(
            compatible & ~np.isnan(quantity),
            quantity * line_size / a_size[safe_a] * a_factor[safe_a],
            np.nan,
        )
        avg_issue = np.select([~has_avg, np.isnan(quantity), ~compatible], [3, 2, 1], default=0)
    else:
        avg_kg = np.full(n, np.nan)
        avg_issue = np.full(n, 3)
    is_average = ~is_primary & ~np.isnan(avg_kg)

    # --- spend-based, for every line
    spend_factor = _pick(
        spend_factors.table["kgco2e_per_jpy"].to_numpy(dtype=float),
        _lookup(purchases["sector"], spend_factors.table.index),
        np.nan,
    )
    spend_kg = spend * spend_factor
    is_spend = ~is_primary & ~is_average & ~np.isnan(spend_kg)

    method_code = np.select([is_primary, is_average, is_spend], [0, 1, 2], default=3)
    emissions = np.choose(method_code, [primary_kg, avg_kg, spend_kg, np.full(n, np.nan)])

    lines = purchases.copy()
    lines["method"] = pd.Categorical.from_codes(method_code, categories=list(METHODS))
    lines["emissions_kgco2e"] = emissions
    lines["supplier_specific_kgco2e"] = primary_kg
    lines["average_data_kgco2e"] = avg_kg
    lines["spend_based_kgco2e"] = spend_kg
    used_fp = np.where(is_primary, best_fp, -1)
    id_codes, id_values = pd.factorize(fp["id"])
    unit_codes, unit_values = pd.factorize(fp["unit"])
    lines["footprint_id"] = pd.Categorical.from_codes(_pick(id_codes, used_fp, -1), id_values)
    lines["footprint_unit"] = pd.Categorical.from_codes(_pick(unit_codes, used_fp, -1), unit_values)
    lines["quantity_in_footprint_unit"] = q_fp_unit
    lines["primary_data_share_pct"] = _pick(
        fp["primary_data_share_pct"].to_numpy(dtype=float), used_fp, np.nan
    )
    score = _pick(fp_quality, used_fp, np.nan)
    lines["data_quality_score"] = score
    band = np.select(
        [
            is_primary & (score >= 2 / 3),
            is_primary & (score >= 1 / 3),
            is_primary & (score >= 0),
            is_primary,
            is_average,
            is_spend,
        ],
        [0, 1, 2, 3, 4, 5],
        default=6,
    )
    lines["data_quality"] = pd.Categorical.from_codes(band, categories=list(QUALITY_BANDS))
    issue_code = np.where(is_primary, -1, best_issue - 1)
    lines["primary_data_issue"] = pd.Categorical.from_codes(
        issue_code, categories=list(_PRIMARY_ISSUES)
    )
    lines["candidate_footprint_id"] = pd.Categorical.from_codes(
        _pick(id_codes, np.where(is_primary, -1, best_fp), -1), id_values
    )
    reasons = _unassessed_reasons(
        method_code == 3, best_issue, avg_issue, np.isnan(spend_factor), average_factors is None
    )
    lines["unassessed_reason"] = reasons
    return Scope3Result(
        lines=lines,
        spend_factors_source=spend_factors.source,
        average_factors_source=None if average_factors is None else average_factors.source,
    )


def _unassessed_reasons(
    unassessed: np.ndarray,
    primary_issue: np.ndarray,
    average_issue: np.ndarray,
    no_spend_factor: np.ndarray,
    no_average_table: bool,
) -> pd.Categorical:
    """One reason per unassessed line, combining why each method failed."""
    average_text = ["", *_AVERAGE_ISSUES]
    if no_average_table:
        average_text[3] = "no average-data factors given"
    combos = [
        f"supplier-specific: {p}; average-data: {average_text[a]}; "
        "spend-based: sector has no spend factor"
        for p in _PRIMARY_ISSUES
        for a in range(1, 4)
    ]
    code = np.where(
        unassessed & no_spend_factor,
        (np.clip(primary_issue, 1, 5) - 1) * 3 + np.clip(average_issue, 1, 3) - 1,
        -1,
    )
    return pd.Categorical.from_codes(code, categories=combos)

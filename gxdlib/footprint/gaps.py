"""Where Scope 3 rests on estimates, how far estimates are from primary data, and who to engage.

Only emissions assessed with a supplier's own PCF can move when that supplier
reduces: a spend-based estimate (spend x sector average) stays put however
much the supplier cuts (GHG Protocol Scope 3 Technical Guidance, category 1:
only the supplier-specific method tracks a supplier's own performance). These
functions measure that gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gxdlib.errors import ValidationError
from gxdlib.footprint.scope3 import Scope3Result

__all__ = ["GapReport", "gap_report", "reflect_reduction"]


@dataclass(frozen=True)
class GapReport:
    """Primary data against estimates, and the engagement priorities.

    Attributes
    ----------
    primary_vs_spend : pandas.DataFrame
        One row per line assessed with a PCF: ``line_id, supplier_id,
        product_id, sector, footprint_id, primary_kgco2e, spend_based_kgco2e,
        difference_kgco2e`` (primary - spend-based) and ``ratio``
        (primary / spend-based; NaN where the spend-based estimate is missing
        or 0).
    pareto : pandas.DataFrame
        Suppliers ranked by the emissions still estimated without primary data
        (average-data or spend-based) [kgCO2e]: ``rank, supplier_id,
        estimated_kgco2e, spend_jpy, has_primary_data`` (the supplier gives a PCF
        for some other line), ``share_of_estimated``, ``cumulative_share``
        (of all estimated emissions) and ``cumulative_share_of_scope3``.
    visible_share : float
        Share of the assessed Scope 3 in which a supplier's reduction can show
        at all: supplier-specific emissions / total [0-1].
    """

    primary_vs_spend: pd.DataFrame
    pareto: pd.DataFrame
    visible_share: float


def _check_result(result: object) -> None:
    if not isinstance(result, Scope3Result):
        raise ValidationError(
            f"result must be a Scope3Result (from scope3_category1), got {type(result).__name__}"
        )


def gap_report(result: Scope3Result) -> GapReport:
    """Primary against spend-based per line, the supplier Pareto and the visible share.

    Parameters
    ----------
    result : Scope3Result
        From :func:`gxdlib.footprint.scope3_category1`.

    Returns
    -------
    GapReport

    Raises
    ------
    ValidationError
        If ``result`` is not a :class:`~gxdlib.footprint.Scope3Result`.
    """
    _check_result(result)
    lines = result.lines
    primary = lines["method"].eq("supplier-specific").to_numpy()
    columns = [c for c in ("supplier_id", "product_id", "sector", "footprint_id") if c in lines]
    pvs = lines.loc[primary, columns].copy()
    pvs["primary_kgco2e"] = lines["emissions_kgco2e"].to_numpy()[primary]
    pvs["spend_based_kgco2e"] = lines["spend_based_kgco2e"].to_numpy()[primary]
    pvs["difference_kgco2e"] = pvs["primary_kgco2e"] - pvs["spend_based_kgco2e"]
    spend_based = pvs["spend_based_kgco2e"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        pvs["ratio"] = np.where(spend_based > 0, pvs["primary_kgco2e"] / spend_based, np.nan)
    pvs = pvs.reset_index()

    estimated = lines["method"].isin(["average-data", "spend-based"]).to_numpy()
    # Sums by supplier through integer codes: far cheaper than grouping strings.
    codes, suppliers = pd.factorize(lines["supplier_id"])
    size = len(suppliers)
    emissions = np.where(estimated, lines["emissions_kgco2e"].to_numpy(dtype=float), 0.0)
    spend = np.where(estimated, lines["spend_jpy"].to_numpy(dtype=float), 0.0)
    pareto = pd.DataFrame(
        {
            "supplier_id": np.asarray(suppliers, dtype=object),
            "estimated_kgco2e": np.bincount(codes, emissions, size),
            "spend_jpy": np.bincount(codes, spend, size),
            "has_primary_data": np.bincount(codes, primary, size) > 0,
        }
    )[np.bincount(codes, estimated, size) > 0]
    pareto["supplier_id"] = pareto["supplier_id"].astype("str")
    pareto = pareto.sort_values(
        ["estimated_kgco2e", "supplier_id"], ascending=[False, True], ignore_index=True
    )
    estimated_total = pareto["estimated_kgco2e"].sum()
    total = result.total_kgco2e
    pareto["share_of_estimated"] = (
        pareto["estimated_kgco2e"] / estimated_total if estimated_total > 0 else np.nan
    )
    cumulative = pareto["estimated_kgco2e"].cumsum()
    pareto["cumulative_share"] = cumulative / estimated_total if estimated_total > 0 else np.nan
    pareto["cumulative_share_of_scope3"] = cumulative / total if total > 0 else np.nan
    pareto.insert(0, "rank", np.arange(1, len(pareto) + 1))

    visible = float(lines["emissions_kgco2e"].to_numpy()[primary].sum())
    return GapReport(
        primary_vs_spend=pvs,
        pareto=pareto,
        visible_share=visible / total if total > 0 else float("nan"),
    )


def reflect_reduction(result: Scope3Result, supplier_id: str, reduction: float) -> pd.DataFrame:
    """How the customer's Scope 3 changes when one supplier cuts its PCFs by a fraction.

    Through primary data, the supplier's supplier-specific lines fall by
    ``reduction``; lines of that supplier assessed by average-data or spend
    stay as they are. Through spend-based accounting alone nothing moves: spend
    is unchanged, so is the estimate.

    Parameters
    ----------
    result : Scope3Result
    supplier_id : str
        A ``supplier_id`` of the ledger.
    reduction : float
        Fraction by which the supplier's PCFs fall, in [0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per accounting (``"hybrid"``: the result's methods;
        ``"spend-based only"``): ``scope3_before_kgco2e``,
        ``scope3_after_kgco2e``, ``change_kgco2e`` (after - before),
        ``change_pct`` [%], ``supplier_before_kgco2e``, ``supplier_after_kgco2e``.

    Raises
    ------
    ValidationError
        ``result`` not a :class:`~gxdlib.footprint.Scope3Result`,
        ``reduction`` not a number in [0, 1] (NaN and infinities included),
        or ``supplier_id`` not in the ledger.
    """
    _check_result(result)
    number = isinstance(reduction, int | float | np.number) and not isinstance(reduction, bool)
    if not number or not 0.0 <= reduction <= 1.0:
        raise ValidationError(f"reduction must be a fraction in [0, 1], got {reduction!r}")
    lines = result.lines
    mine = lines["supplier_id"].eq(supplier_id).to_numpy()
    if not mine.any():
        raise ValidationError(f"supplier_id {supplier_id!r} is not in the ledger")
    emissions = lines["emissions_kgco2e"].to_numpy()
    spend_based = lines["spend_based_kgco2e"].to_numpy()
    primary = lines["method"].eq("supplier-specific").to_numpy()
    cut = np.nansum(emissions[mine & primary]) * reduction
    hybrid_before = np.nansum(emissions)
    spend_before = np.nansum(spend_based)
    rows = {
        "hybrid": (hybrid_before, hybrid_before - cut, np.nansum(emissions[mine]), cut),
        "spend-based only": (spend_before, spend_before, np.nansum(spend_based[mine]), 0.0),
    }
    frame = pd.DataFrame(
        [
            {
                "accounting": name,
                "scope3_before_kgco2e": before,
                "scope3_after_kgco2e": after,
                "change_kgco2e": after - before,
                "change_pct": 100 * (after - before) / before if before > 0 else np.nan,
                "supplier_before_kgco2e": supplier,
                "supplier_after_kgco2e": supplier - drop,
            }
            for name, (before, after, supplier, drop) in rows.items()
        ]
    )
    return frame

"""A purchase ledger checked before Scope 3 uses it: columns, numbers, fiscal years, currencies.

Every refusal names the column and the first ``line_id``\\ s at fault; nothing
is coerced or dropped. A ledger may carry a ``currency`` column (an ISO 4217
code per line, e.g. from an ERP export that mixes yen and dollar invoices):
the amount in ``spend_jpy`` is then in that currency until converted, and a
ledger with any currency other than JPY is refused unless the caller gives
the rates to convert it (:func:`checked_ledger`'s ``exchange_rates``). The
rates are the caller's choice (for example the fiscal year's average TTM
rate of the bank the company uses): gxdlib never guesses one.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from gxdlib.checks import first_labels, numeric_values
from gxdlib.errors import ValidationError
from gxdlib.footprint.model import unit_table

__all__ = ["REQUIRED_COLUMNS", "checked_ledger"]

#: Columns :func:`gxdlib.footprint.scope3_category1` needs.
REQUIRED_COLUMNS = (
    "supplier_id",
    "sector",
    "quantity",
    "quantity_unit",
    "spend_jpy",
    "fiscal_year",
)
_YEN = "JPY"


def _problem(labels: pd.Index, bad: np.ndarray, column: str, what: str) -> list[str]:
    """One problem naming ``column`` and the first lines where ``bad`` holds (none if none)."""
    if not bad.any():
        return []
    return [f"{column} {what} at {int(bad.sum())} rows, first at {first_labels(labels, bad)}"]


def _line_labels(purchases: pd.DataFrame) -> pd.Index:
    return purchases.index.rename(purchases.index.name or "line_id")


def _numbers(
    purchases: pd.DataFrame, column: str, unit: str, *, allow_nan: bool
) -> tuple[np.ndarray, list[str]]:
    """A numeric column as floats and its problems: not numbers, NaN (unless allowed), inf, < 0."""
    try:
        values = numeric_values(purchases[column], column, unit)
    except ValidationError as exc:
        return np.full(len(purchases), np.nan), [str(exc)]
    labels = _line_labels(purchases)
    problems = _problem(labels, np.isinf(values), column, "is infinite")
    if not allow_nan:
        problems += _problem(labels, np.isnan(values), column, "is missing (NaN)")
    return values, problems + _problem(labels, values < 0, column, "is negative")


def _checked_rates(rates: Mapping[str, float], needed: list[str]) -> dict[str, float]:
    if not isinstance(rates, Mapping):
        raise ValidationError(
            f"exchange_rates must map currency codes to JPY per unit, got {type(rates).__name__}"
        )
    problems = [f"no rate for {code} (used by the ledger)" for code in needed if code not in rates]
    for code, rate in rates.items():
        if not isinstance(rate, int | float | np.number) or not np.isfinite(rate) or rate <= 0:
            problems.append(
                f"{code}: the rate must be a finite number > 0 [JPY per unit], got {rate!r}"
            )
    if _YEN in rates and rates[_YEN] != 1:
        problems.append(f"JPY: the rate of the yen to itself is 1, got {rates[_YEN]!r}")
    if problems:
        raise ValidationError("exchange_rates cannot convert the ledger to JPY", problems)
    return {code: float(rates[code]) for code in needed}


def _in_yen(purchases: pd.DataFrame, exchange_rates: Mapping[str, float] | None) -> pd.DataFrame:
    """The ledger with ``spend_jpy`` in JPY: converted line by line where it carries currencies."""
    if "currency" not in purchases.columns:
        if exchange_rates is not None:
            raise ValidationError(
                "exchange_rates given but the purchases have no currency column: the spend is "
                "already in JPY (spend_jpy)"
            )
        return purchases
    codes = purchases["currency"]
    blank = codes.isna().to_numpy() | codes.astype("str").str.strip().eq("").to_numpy()
    problems = _problem(_line_labels(purchases), blank, "currency", "is missing")
    if problems:
        raise ValidationError("invalid purchases", problems)
    codes = codes.astype("str").str.strip().str.upper()
    foreign = sorted(set(codes.unique()) - {_YEN})
    if not foreign:
        return purchases
    if exchange_rates is None:
        first = first_labels(_line_labels(purchases), codes.ne(_YEN).to_numpy())
        raise ValidationError(
            f"purchases: the ledger mixes currencies ({', '.join([_YEN, *foreign])}; first "
            f"non-JPY at {first}); pass exchange_rates={{code: JPY per unit}} to convert "
            "spend to JPY, e.g. exchange_rates={'USD': 150.0}"
        )
    rates = _checked_rates(exchange_rates, foreign) | {_YEN: 1.0}
    rate = codes.map(rates).to_numpy(dtype=float)
    converted = purchases.copy()
    converted["currency"] = codes.to_numpy()
    converted["spend_amount"] = purchases["spend_jpy"].to_numpy(dtype=float)
    converted["jpy_per_unit"] = rate
    converted["spend_jpy"] = converted["spend_amount"] * rate
    return converted


def checked_ledger(
    purchases: pd.DataFrame, exchange_rates: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Check a ledger for Scope 3 and return it with ``spend_jpy`` in JPY.

    Parameters
    ----------
    purchases : pandas.DataFrame
        A ledger with :data:`REQUIRED_COLUMNS`, one row per line, unique
        index labels (``line_id``); optionally ``currency``.
    exchange_rates : mapping of str to float, optional
        JPY per unit of each currency the ledger's ``currency`` column uses
        besides JPY [JPY/unit], e.g. ``{"USD": 150.0}``. Required when the
        ledger carries a currency other than JPY; refused without a
        ``currency`` column.

    Returns
    -------
    pandas.DataFrame
        The ledger itself when it is all in JPY; otherwise a copy whose
        ``spend_jpy`` [JPY] is ``spend_amount`` [currency] x
        ``jpy_per_unit`` [JPY/unit], those two columns added and
        ``currency`` upper-cased.

    Raises
    ------
    ValidationError
        Missing columns, duplicate line labels, ``spend_jpy`` not numbers,
        NaN, infinite or negative, ``quantity`` not numbers, infinite or
        negative (NaN is "no quantity"), unknown quantity units, fiscal
        years that are not whole years, missing currencies, mixed
        currencies without rates, a currency without a rate, or a rate that
        is not a finite number > 0; each names the column and the first
        ``line_id``, every problem of the ledger listed at once.

    Examples
    --------
    >>> ledger = pd.DataFrame({
    ...     "supplier_id": ["S1", "S2"], "sector": ["software", "software"],
    ...     "quantity": [np.nan, np.nan], "quantity_unit": [None, None],
    ...     "spend_jpy": [1000.0, 10.0], "fiscal_year": [2024, 2024],
    ...     "currency": ["JPY", "USD"]})
    >>> checked_ledger(ledger, {"USD": 150.0})["spend_jpy"].tolist()
    [1000.0, 1500.0]
    """
    if not isinstance(purchases, pd.DataFrame):
        raise ValidationError(f"purchases must be a DataFrame, got {type(purchases).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in purchases.columns]
    if missing:
        raise ValidationError(f"purchases lack column(s) {', '.join(missing)}")
    labels = _line_labels(purchases)
    problems = _problem(labels, labels.duplicated(), "line_id (the index)", "is duplicated")
    problems += _numbers(purchases, "spend_jpy", "JPY", allow_nan=False)[1]
    problems += _numbers(purchases, "quantity", "quantity_unit", allow_nan=True)[1]
    units = purchases["quantity_unit"]
    unknown = units.notna().to_numpy() & ~units.isin(unit_table().index).to_numpy()
    problems += _problem(
        labels, unknown, "quantity_unit", f"is not a known unit ({', '.join(unit_table().index)})"
    )
    year, year_problems = _numbers(purchases, "fiscal_year", "year", allow_nan=False)
    whole = ~np.isfinite(year) | (year == np.round(year)) & (year >= 1900) & (year <= 2200)
    problems += year_problems or _problem(
        labels, ~whole, "fiscal_year", "is not a whole year such as 2023"
    )
    if problems:
        raise ValidationError("invalid purchases", problems)
    return _in_yen(purchases, exchange_rates)

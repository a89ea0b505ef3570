"""Checks of numeric arguments shared by the public functions: numbers, finite, where not.

A public function refuses a number it cannot use rather than letting it turn
into a NaN or an infinity three calls later: the message names the argument
and the first offending labels (timestamps of a series, ``line_id`` of a
ledger). Index checks live in :mod:`gxdlib.timeseries`
(:func:`~gxdlib.timeseries.require_tz_index`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gxdlib.errors import ValidationError


def first_labels(labels: pd.Index, bad: np.ndarray, n: int = 3) -> str:
    """The first ``n`` labels where ``bad`` is true, for messages.

    Row labels are prefixed by the index name (``line_id 7``); timestamps
    speak for themselves.

    Examples
    --------
    >>> first_labels(pd.Index([4, 7, 9], name="line_id"), np.array([False, True, True]))
    'line_id 7, 9'
    """
    shown = ", ".join(str(label) for label in labels[bad][:n])
    named = isinstance(labels.name, str) and not isinstance(labels, pd.DatetimeIndex)
    return f"{labels.name} {shown}" if named else shown


def numeric_values(values: pd.Series | np.ndarray, what: str, unit: str) -> np.ndarray:
    """``values`` as a float array; refuse text, booleans and other non-numbers.

    Parameters
    ----------
    values : pandas.Series or numpy.ndarray
        The argument's values.
    what : str
        Name of the argument (or column), for the message.
    unit : str
        Its unit, for the message, e.g. ``"kWh"``.

    Returns
    -------
    numpy.ndarray
        float64; a pandas missing value (``pd.NA``) becomes NaN.

    Raises
    ------
    ValidationError
        If the dtype is not a number (text that looks like numbers included:
        it is not converted silently).
    """
    dtype = values.dtype
    numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    if not numeric:
        raise ValidationError(f"{what} must be numbers [{unit}], got dtype {dtype}")
    if isinstance(values, pd.Series | pd.Index):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(values, dtype=float)


def require_finite(
    values: np.ndarray, labels: pd.Index, what: str, *, allow_nan: bool = False
) -> np.ndarray:
    """Refuse infinities (and NaN unless ``allow_nan``) in ``values``, naming the first labels.

    Parameters
    ----------
    values : numpy.ndarray
        Float values, one per label.
    labels : pandas.Index
        Timestamps or row labels of ``values``.
    what : str
        Name of the argument, for the message.
    allow_nan : bool
        Accept NaN as "missing" (where a function documents it); infinities
        are refused always.

    Returns
    -------
    numpy.ndarray
        ``values`` unchanged.

    Raises
    ------
    ValidationError
        Naming ``what``, how many values and the first offending labels.

    Examples
    --------
    >>> require_finite(np.array([1.0, np.inf]), pd.Index(["a", "b"]), "spend_jpy")
    Traceback (most recent call last):
    ...
    gxdlib.errors.ValidationError: spend_jpy is infinite at 1 rows, first at b
    """
    checks = [("infinite", np.isinf(values))]
    if not allow_nan:
        checks.insert(0, ("NaN", np.isnan(values)))
    noun = "slots" if isinstance(labels, pd.DatetimeIndex) else "rows"
    for label, bad in checks:
        if bad.any():
            raise ValidationError(
                f"{what} is {label} at {int(bad.sum())} {noun}, "
                f"first at {first_labels(labels, bad)}"
            )
    return values

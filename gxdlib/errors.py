"""Errors raised by gxdlib.

Every failure a user can cause raises a :class:`GXDError` subclass whose
message names the file, line, column or field at fault and what was expected.
"""

from __future__ import annotations

from os import PathLike


class GXDError(Exception):
    """Base class of every error gxdlib raises on purpose."""


class DataFormatError(GXDError, ValueError):
    """A file or buffer does not have the format its reader expects.

    Parameters
    ----------
    message : str
        What is wrong and what was expected.
    source : str or path-like, optional
        The file (or buffer description) that was being read.
    line : int, optional
        The 1-based line number in ``source`` at fault.
    column : str, optional
        The column or field at fault.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | PathLike | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.source = None if source is None else str(source)
        self.line = line
        self.column = column
        self.reason = message
        where = []
        if self.source is not None:
            where.append(self.source)
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class ValidationError(GXDError, ValueError):
    """Arguments or in-memory data violate a documented rule.

    Parameters
    ----------
    message : str
        A summary of what is invalid.
    problems : list of str, optional
        Every individual problem (for example one per JSON path), so that a
        user can fix them all at once rather than one per attempt.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        text = message
        if self.problems:
            text += "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(text)


class IncompleteYearError(GXDError, ValueError):
    """Data asked for as one fiscal year covers only part of it.

    Raised unless the caller passes ``partial=True``; the message names the
    months present.

    Parameters
    ----------
    message : str
        What was asked for and what is there.
    fiscal_year : int
        The fiscal year asked for.
    months : tuple of str
        The months present, ``"YYYY-MM"``, in order.
    """

    def __init__(self, message: str, fiscal_year: int, months: tuple[str, ...]) -> None:
        self.fiscal_year = fiscal_year
        self.months = months
        super().__init__(message)


class InfeasibleTargetError(GXDError):
    """A procurement target cannot be met with the resources given.

    Parameters
    ----------
    message : str
        What was asked for.
    max_reachable : float
        The highest target value that the given resources can reach.
    """

    def __init__(self, message: str, max_reachable: float) -> None:
        self.max_reachable = max_reachable
        super().__init__(f"{message} (highest reachable: {max_reachable:.6g})")


class SolverError(GXDError):
    """An optimisation solver ended with a status other than optimal."""


class MissingDataError(GXDError, FileNotFoundError):
    """A data file a catalog entry or reader needs is not there.

    The message names the file and says how to obtain it.
    """


class GXDWarning(UserWarning):
    """An input gxdlib accepts but that is probably a mistake (a unit, a scale).

    A ``UserWarning`` subclass, so notebooks show it by default; the message
    names the argument and the likely cause.
    """

"""Calendar-matched blocks of history, shared by the bootstrap and the parametric scenarios.

A block (a day or a week) is drawn among the historical blocks that start on
the same weekday and within a window of the same day of the fiscal year, so
seasons, weekdays and the time of day stay aligned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from gxdlib.areas import PRICE_INDICES
from gxdlib.checks import first_labels, numeric_values, require_finite
from gxdlib.errors import ValidationError
from gxdlib.timeseries import (
    SLOTS_PER_DAY,
    check_generation,
    fiscal_year,
    fiscal_year_bounds,
    require_tz_index,
    slot_index,
)

BLOCK_DAYS = {"day": 1, "week": 7}
"""Named block lengths [days]."""

SERIES_COLUMN = "price"
"""Column name given to prices passed as one Series."""


def _gather_blocks(
    history: np.ndarray, block_starts: np.ndarray, block_slots: int, n_slots: int
) -> np.ndarray:
    """Concatenate the history blocks starting at ``block_starts`` (rows), cut to ``n_slots``."""
    # Copy whole blocks as rows of a strided view: no per-slot index array.
    windows = sliding_window_view(history, block_slots)
    blocks = windows[block_starts]
    return blocks.reshape(blocks.shape[0], -1)[:, :n_slots]


def _joint_history(
    prices: pd.DataFrame | pd.Series, generation_kwh: pd.Series
) -> tuple[pd.DataFrame, pd.Series]:
    """Prices and generation on their common slots, checked complete, numeric and finite."""
    generation = check_generation(generation_kwh)
    if isinstance(prices, pd.Series):
        frame = prices.to_frame(SERIES_COLUMN)
    elif isinstance(prices, pd.DataFrame):
        columns = [c for c in prices.columns if c in PRICE_INDICES]
        if not columns:
            raise ValidationError(
                f"prices has none of the price columns {PRICE_INDICES}; "
                f"columns: {list(prices.columns)}"
            )
        frame = prices[columns]
    else:
        raise ValidationError(f"prices must be a DataFrame or Series, got {type(prices).__name__}")
    frame = frame.set_axis(require_tz_index(frame.index, "prices (slot starts)"))
    common = generation.index.intersection(frame.index)
    if len(common) == 0:
        raise ValidationError("prices and generation_kwh share no slot")
    span = generation.index[(generation.index >= common[0]) & (generation.index <= common[-1])]
    missing = ~span.isin(common)
    if missing.any():
        raise ValidationError(
            f"prices: missing at {missing.sum()} slots inside the common history, first at "
            f"{first_labels(span, missing)}"
        )
    frame = frame.loc[span]
    values = {
        column: require_finite(
            numeric_values(frame[column], f"prices ({column!r})", "JPY/kWh"),
            span,
            f"prices ({column!r})",
        )
        for column in frame.columns
    }
    return pd.DataFrame(values, index=span), generation.loc[span]


def _day_of_fiscal_year(stamps: pd.DatetimeIndex) -> np.ndarray:
    years = np.asarray(fiscal_year(stamps))
    april_first = pd.DatetimeIndex([fiscal_year_bounds(y)[0] for y in np.unique(years)])
    starts = april_first[np.searchsorted(np.unique(years), years)]
    return np.asarray((stamps - starts).days)


def _whole(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _check_draw(
    seed: object, window_days: object, start_fiscal_year: object, match_weekday: object
) -> None:
    """Validate how blocks are drawn: seed, window, first fiscal year, weekday matching."""
    problems = []
    if not _whole(seed) or seed < 0:
        problems.append(f"seed must be an int >= 0, got {seed!r}")
    if not _whole(window_days) or window_days < 0:
        problems.append(f"window_days must be an int >= 0, got {window_days!r}")
    if start_fiscal_year is not None and (
        not _whole(start_fiscal_year) or not 1900 <= start_fiscal_year <= 2200
    ):
        problems.append(
            f"start_fiscal_year must be None or a year such as 2025, got {start_fiscal_year!r}"
        )
    if not isinstance(match_weekday, bool | np.bool_):
        problems.append(f"match_weekday must be True or False, got {match_weekday!r}")
    if problems:
        raise ValidationError("invalid scenario options", problems)


def _check_sizes(n_scenarios: int, n_years: int, block: str | int) -> int:
    """Validate the set's size; return the slots per block."""
    if not isinstance(n_scenarios, int | np.integer) or n_scenarios < 1:
        raise ValidationError(f"n_scenarios must be an int >= 1, got {n_scenarios!r}")
    if not isinstance(n_years, int | np.integer) or n_years < 1:
        raise ValidationError(f"n_years must be an int >= 1, got {n_years!r}")
    days = BLOCK_DAYS.get(block, block) if isinstance(block, str) else block
    if not isinstance(days, int | np.integer) or days < 1:
        raise ValidationError(
            f"block must be 'day', 'week' or a number of days >= 1, got {block!r}"
        )
    return int(days) * SLOTS_PER_DAY


def _horizon(
    history: pd.DatetimeIndex, n_years: int, start_fiscal_year: int | None
) -> pd.DatetimeIndex:
    """Scenario slots: ``n_years`` whole fiscal years, from the year after the history."""
    if start_fiscal_year is None:
        start_fiscal_year = int(fiscal_year(history[-1:])[0]) + 1
    return slot_index(
        fiscal_year_bounds(start_fiscal_year)[0],
        fiscal_year_bounds(start_fiscal_year + n_years - 1)[1],
    )


@dataclass(frozen=True, eq=False)
class _BlockTable:
    """For each scenario block, the historical blocks it may be drawn from.

    Block b may copy the history blocks starting at
    ``positions[offsets[b] : offsets[b] + counts[b]]``.
    """

    positions: np.ndarray
    offsets: np.ndarray
    counts: np.ndarray

    @classmethod
    def build(
        cls,
        history: pd.DatetimeIndex,
        index: pd.DatetimeIndex,
        block_slots: int,
        window_days: int,
        match_weekday: bool,
    ) -> _BlockTable:
        days = block_slots // SLOTS_PER_DAY
        # Candidate history blocks start at midnight and fit whole in the history.
        midnight = (history.hour == 0) & (history.minute == 0)
        fits = np.arange(len(history)) <= len(history) - block_slots
        candidates = np.flatnonzero(midnight & fits)
        if candidates.size == 0:
            raise ValidationError(f"the history is shorter than one block of {days} days")
        targets = index[::block_slots]
        same_day = (
            np.abs(
                _day_of_fiscal_year(history[candidates])[None, :]
                - _day_of_fiscal_year(targets)[:, None]
            )
            <= window_days
        )
        if match_weekday:
            same_day &= (
                history[candidates].day_of_week.to_numpy()[None, :]
                == np.asarray(targets.day_of_week)[:, None]
            )
        counts = same_day.sum(axis=1)
        if (counts == 0).any():
            first = targets[counts == 0][:3]
            raise ValidationError(
                f"no historical block within {window_days} days of the fiscal-year day of "
                f"{', '.join(str(t) for t in first)}; give a longer history or a wider window"
            )
        _, matching = np.nonzero(same_day)
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
        return cls(positions=candidates[matching], offsets=offsets, counts=counts)

    def starts(self, draws: np.ndarray) -> np.ndarray:
        """History block starts for ``draws`` (scenarios x blocks, each in ``[0, counts)``)."""
        return self.positions[self.offsets + draws]

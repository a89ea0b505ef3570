"""Joint price x generation scenarios by calendar-matched block bootstrap.

Each scenario is a sequence of blocks (days or weeks) copied from history.
A block copies prices and generation *from the same historical slots*, so
their correlation (solar output depressing the price at noon, the 0.01
JPY/kWh floor hours of sunny spring days) is kept exactly, and every value
is a historical one: the JEPX floor appears as often as history allows,
never below it. Blocks are drawn among historical blocks that start on the
same weekday and within ``window_days`` of the same day of the fiscal year,
so seasons, weekdays and the time of day stay aligned.

A :class:`ScenarioSet` holds only the drawn block starts; the scenarios x
slots arrays are materialised chunk by chunk on demand, so 1,000 scenarios
of 20 years (3.5e8 slot-scenarios) never sit in memory at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from gxdlib.areas import PRICE_INDICES
from gxdlib.errors import ValidationError
from gxdlib.timeseries import SLOTS_PER_DAY, fiscal_year, fiscal_year_bounds, slot_index
from gxdlib.vppa.settlement import check_generation

BLOCK_DAYS = {"day": 1, "week": 7}
"""Named block lengths [days]."""

SERIES_COLUMN = "price"
"""Column name given to prices passed as one Series."""


@dataclass(frozen=True, eq=False)
class ScenarioSet:
    """Scenarios of index prices and generation over a future slot horizon.

    Attributes
    ----------
    index : pandas.DatetimeIndex
        Scenario slot starts (whole fiscal years, JST).
    history_index : pandas.DatetimeIndex
        The historical slots blocks are copied from.
    history_prices : pandas.DataFrame
        Historical prices [JPY/kWh], one column per price index (``price``
        when a single Series was given), indexed like ``history_index``.
    history_generation_kwh : numpy.ndarray
        Historical generation per slot [kWh].
    block_starts : numpy.ndarray
        Shape (scenarios, blocks): the history position where each
        scenario's block b starts; block b covers scenario slots
        ``b*block_slots`` to ``(b+1)*block_slots``.
    block_slots : int
        Slots per block.
    """

    index: pd.DatetimeIndex
    history_index: pd.DatetimeIndex
    history_prices: pd.DataFrame
    history_generation_kwh: np.ndarray
    block_starts: np.ndarray
    block_slots: int

    @property
    def n_scenarios(self) -> int:
        """Number of scenarios."""
        return self.block_starts.shape[0]

    @property
    def n_slots(self) -> int:
        """Slots per scenario."""
        return len(self.index)

    def price_column(self, price_index: str) -> str:
        """The history column for ``price_index`` (the only one for a Series)."""
        columns = list(self.history_prices.columns)
        if columns == [SERIES_COLUMN]:
            return SERIES_COLUMN
        if price_index not in columns:
            raise ValidationError(
                f"the scenarios hold no prices for {price_index!r}; columns: {columns}"
            )
        return price_index

    def _gather(self, history: np.ndarray, start: int, stop: int | None) -> np.ndarray:
        # Copy whole blocks as rows of a strided view: no per-slot index array.
        windows = sliding_window_view(history, self.block_slots)
        blocks = windows[self.block_starts[start:stop]]
        return blocks.reshape(blocks.shape[0], -1)[:, : self.n_slots]

    def history_positions(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """History position of every slot of scenarios ``start:stop`` (int, scenarios x slots)."""
        return self._gather(np.arange(len(self.history_index)), start, stop)

    def prices(self, price_index: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Prices of scenarios ``start:stop`` [JPY/kWh], shape (scenarios, slots)."""
        column = self.history_prices[self.price_column(price_index)].to_numpy(dtype=float)
        return self._gather(column, start, stop)

    def generation_kwh(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Generation of scenarios ``start:stop`` [kWh], shape (scenarios, slots)."""
        return self._gather(self.history_generation_kwh, start, stop)


def _joint_history(
    prices: pd.DataFrame | pd.Series, generation_kwh: pd.Series
) -> tuple[pd.DataFrame, pd.Series]:
    """Prices and generation on their common slots, checked complete."""
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
    if not isinstance(frame.index, pd.DatetimeIndex) or frame.index.tz is None:
        raise ValidationError("prices: the index must be tz-aware slot starts (Asia/Tokyo)")
    common = generation.index.intersection(frame.index.tz_convert(generation.index.tz))
    if len(common) == 0:
        raise ValidationError("prices and generation_kwh share no slot")
    span = generation.index[(generation.index >= common[0]) & (generation.index <= common[-1])]
    missing = ~span.isin(common)
    if missing.any():
        raise ValidationError(
            f"prices: missing at {missing.sum()} slots inside the common history, first at "
            f"{', '.join(str(t) for t in span[missing][:3])}"
        )
    frame = frame.set_axis(frame.index.tz_convert(generation.index.tz)).loc[span].astype(float)
    for column in frame.columns:
        bad = frame[column].isna().to_numpy()
        if bad.any():
            raise ValidationError(
                f"prices ({column!r}) are NaN at {bad.sum()} slots, first at "
                f"{', '.join(str(t) for t in span[bad][:3])}"
            )
    return frame, generation.loc[span]


def _day_of_fiscal_year(stamps: pd.DatetimeIndex) -> np.ndarray:
    years = np.asarray(fiscal_year(stamps))
    april_first = pd.DatetimeIndex([fiscal_year_bounds(y)[0] for y in np.unique(years)])
    starts = april_first[np.searchsorted(np.unique(years), years)]
    return np.asarray((stamps - starts).days)


def bootstrap(
    prices: pd.DataFrame | pd.Series,
    generation_kwh: pd.Series,
    n_scenarios: int,
    n_years: int,
    block: str | int = "week",
    *,
    seed: int,
    start_fiscal_year: int | None = None,
    window_days: int = 14,
    match_weekday: bool = True,
) -> ScenarioSet:
    """Draw joint price x generation scenarios by calendar-matched block bootstrap.

    Parameters
    ----------
    prices : pandas.DataFrame or pandas.Series
        Historical JEPX prices [JPY/kWh]: a
        :func:`gxdlib.io.jepx.read_jepx_spot` frame (all price columns are
        kept, so any index can be settled) or one series.
    generation_kwh : pandas.Series
        Historical generation per 30-minute slot [kWh] (hourly data goes
        through :func:`gxdlib.timeseries.to_slots` first). The history is
        the span of slots where both series exist.
    n_scenarios : int
        Number of scenarios, >= 1.
    n_years : int
        Fiscal years per scenario, >= 1.
    block : {"day", "week"} or int
        Block length; an int is a number of days.
    seed : int
        Seed of the numpy Generator; the set is reproducible bit for bit.
    start_fiscal_year : int, optional
        First scenario fiscal year; the year after the history by default.
    window_days : int
        A block starting on fiscal-year day d is drawn among historical
        blocks starting on days d - window_days to d + window_days.
    match_weekday : bool
        Draw only historical blocks starting on the same weekday.

    Returns
    -------
    ScenarioSet
        Block starts and the scenario slot index; arrays on demand.

    Raises
    ------
    ValidationError
        Bad inputs, or a block position with no historical candidate
        (history too short for the window).

    Examples
    --------
    >>> idx = slot_index("2022-04-01", "2023-04-01")
    >>> gen = pd.Series(np.tile(np.r_[np.zeros(12), np.ones(24), np.zeros(12)], 365), index=idx)
    >>> price = pd.Series(10.0 - gen.to_numpy(), index=idx)
    >>> s = bootstrap(price, gen, n_scenarios=3, n_years=2, seed=1)
    >>> s.prices("system").shape
    (3, 35088)
    """
    if not isinstance(n_scenarios, int | np.integer) or n_scenarios < 1:
        raise ValidationError(f"n_scenarios must be an int >= 1, got {n_scenarios!r}")
    if not isinstance(n_years, int | np.integer) or n_years < 1:
        raise ValidationError(f"n_years must be an int >= 1, got {n_years!r}")
    days = BLOCK_DAYS.get(block, block) if isinstance(block, str) else block
    if not isinstance(days, int | np.integer) or days < 1:
        raise ValidationError(
            f"block must be 'day', 'week' or a number of days >= 1, got {block!r}"
        )
    frame, generation = _joint_history(prices, generation_kwh)
    history = frame.index
    block_slots = int(days) * SLOTS_PER_DAY
    if start_fiscal_year is None:
        start_fiscal_year = int(fiscal_year(history[-1:])[0]) + 1
    index = slot_index(
        fiscal_year_bounds(start_fiscal_year)[0],
        fiscal_year_bounds(start_fiscal_year + n_years - 1)[1],
    )
    n_blocks = -(-len(index) // block_slots)

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
    row_offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, counts, size=(n_scenarios, n_blocks))
    block_starts = candidates[matching[row_offsets + draws]]
    return ScenarioSet(
        index=index,
        history_index=history,
        history_prices=frame,
        history_generation_kwh=generation.to_numpy(),
        block_starts=block_starts,
        block_slots=block_slots,
    )

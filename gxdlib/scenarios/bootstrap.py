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
from typing import Protocol

import numpy as np
import pandas as pd

from gxdlib.errors import ValidationError
from gxdlib.scenarios._blocks import (
    SERIES_COLUMN,
    _BlockTable,
    _check_draw,
    _check_sizes,
    _gather_blocks,
    _horizon,
    _joint_history,
)


class ScenarioSource(Protocol):
    """What :func:`gxdlib.vppa.simulate` reads from a scenario set.

    :class:`ScenarioSet` (:func:`bootstrap`) and :class:`ParametricScenarioSet`
    (:func:`parametric`) both provide it.
    """

    index: pd.DatetimeIndex
    history_index: pd.DatetimeIndex
    history_generation_kwh: np.ndarray

    @property
    def n_scenarios(self) -> int: ...

    @property
    def n_slots(self) -> int: ...

    def price_column(self, price_index: str) -> str: ...

    def prices(self, price_index: str, start: int = 0, stop: int | None = None) -> np.ndarray: ...

    def generation_kwh(self, start: int = 0, stop: int | None = None) -> np.ndarray: ...


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
        return _gather_blocks(
            history, self.block_starts[start:stop], self.block_slots, self.n_slots
        )

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
        Bad inputs (prices or generation that are not numbers, NaN or
        infinite, an index that is not a tz-aware DatetimeIndex, sizes or
        options of the wrong type, naming the argument and the first
        offending slot), or a block position with no historical candidate
        (history too short for the window).

    Examples
    --------
    >>> from gxdlib.timeseries import slot_index
    >>> idx = slot_index("2022-04-01", "2023-04-01")
    >>> gen = pd.Series(np.tile(np.r_[np.zeros(12), np.ones(24), np.zeros(12)], 365), index=idx)
    >>> price = pd.Series(10.0 - gen.to_numpy(), index=idx)
    >>> s = bootstrap(price, gen, n_scenarios=3, n_years=2, seed=1)
    >>> s.prices("system").shape
    (3, 35088)
    """
    block_slots = _check_sizes(n_scenarios, n_years, block)
    _check_draw(seed, window_days, start_fiscal_year, match_weekday)
    frame, generation = _joint_history(prices, generation_kwh)
    index = _horizon(frame.index, n_years, start_fiscal_year)
    table = _BlockTable.build(frame.index, index, block_slots, window_days, match_weekday)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, table.counts, size=(n_scenarios, len(table.counts)))
    return ScenarioSet(
        index=index,
        history_index=frame.index,
        history_prices=frame,
        history_generation_kwh=generation.to_numpy(),
        block_starts=table.starts(draws),
        block_slots=block_slots,
    )

"""Parametric price scenarios: a seasonal, mean-reverting price model with spikes and the floor.

:func:`fit_price_model` fits a :class:`PriceModel` to a price history;
:func:`parametric` draws scenarios from it, lazily and chunk by chunk, with
generation drawn as calendar-matched blocks of history as in
:func:`gxdlib.scenarios.bootstrap`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import signal, special

from gxdlib.areas import AT_FLOOR_JPY_PER_KWH, JEPX_PRICE_FLOOR_JPY_PER_KWH
from gxdlib.checks import first_labels, numeric_values, require_finite
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
from gxdlib.timeseries import (
    SLOT,
    SLOTS_PER_DAY,
    check_generation,
    month_slot_key,
    require_regular,
    slot_of_day,
)

N_MONTHS = 12
N_CELLS = N_MONTHS * SLOTS_PER_DAY
"""Calendar cells of the seasonal shape: month (January first) x slot of the day."""

_DAYS_PER_MONTH = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
"""Mean days per calendar month over a leap-year cycle, to weight calendar cells."""

_MAD_TO_SD = 1.4826
"""Standard deviations per median absolute deviation of a normal distribution."""

_UNIT_OPEN = 1e-12
"""Probabilities are kept in [_UNIT_OPEN, 1 - _UNIT_OPEN] before the normal quantile."""


def _cell_mean(values: np.ndarray, cell: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Mean of ``values[where]`` per calendar cell (NaN where a cell has none)."""
    counts = np.bincount(cell[where], minlength=N_CELLS)
    sums = np.bincount(cell[where], values[where], minlength=N_CELLS)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts


def _cell_median(values: np.ndarray, cell: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Median of ``values[where]`` per calendar cell (NaN where a cell has none)."""
    order = np.lexsort((values[where], cell[where]))
    ranked = values[where][order]
    counts = np.bincount(cell[where], minlength=N_CELLS)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    filled = counts > 0
    low = ranked[(first + (counts - 1) // 2)[filled]]
    high = ranked[(first + counts // 2)[filled]]
    median = np.full(N_CELLS, np.nan)
    median[filled] = 0.5 * (low + high)
    return median


def _lag1_coefficient(values: np.ndarray, axis: int) -> float:
    """Least-squares AR(1) coefficient through the origin along ``axis``, in [0, 0.999].

    0 when ``values`` never deviate from 0 (a history all at the floor has
    no persistence to measure).
    """
    head = np.take(values, np.arange(values.shape[axis] - 1), axis=axis)
    tail = np.take(values, np.arange(1, values.shape[axis]), axis=axis)
    energy = (head * head).sum()
    if not energy > 0:
        return 0.0
    return float(np.clip((head * tail).sum() / energy, 0.0, 0.999))


def _fit_factors(latent: np.ndarray, index: pd.DatetimeIndex) -> tuple[np.ndarray, float, float]:
    """Daily-factor loadings (48,), daily AR(1) and fast AR(1) coefficients of latent scores."""
    day = np.asarray((index.normalize() - index[0].normalize()).days)
    table = np.full((day[-1] + 1, SLOTS_PER_DAY), np.nan)
    table[day, slot_of_day(index)] = latent
    complete = ~np.isnan(table).any(axis=1)
    days = table[complete]
    standard = (days - days.mean(axis=0)) / np.where(days.std(axis=0) > 0, days.std(axis=0), 1.0)
    # A slot of the day that never varies (always at the floor) correlates with nothing.
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = np.nan_to_num(np.corrcoef(standard, rowvar=False))
    np.fill_diagonal(correlation, 1.0)
    eigenvalues, eigenvectors = np.linalg.eigh(correlation)
    loading = np.sqrt(max(eigenvalues[-1], 0.0)) * eigenvectors[:, -1]
    loading *= np.sign(loading.sum()) or 1.0
    loading = np.clip(loading, 0.0, np.sqrt(0.99))
    score = standard @ loading / max(loading @ loading, _UNIT_OPEN)
    # Pairs of consecutive complete days only.
    follows = complete[1:] & complete[:-1]
    scores = np.full(len(table), np.nan)
    scores[complete] = score
    pairs = np.column_stack([scores[:-1][follows], scores[1:][follows]])
    day_phi = _lag1_coefficient(pairs - pairs.mean(), axis=1) if len(pairs) > 2 else 0.0
    fast_phi = _lag1_coefficient(standard - np.outer(score, loading), axis=1)
    return loading, day_phi, fast_phi


@dataclass(frozen=True, eq=False)
class PriceModel:
    """Fitted parametric model of one JEPX price series [JPY/kWh].

    Use :func:`fit_price_model` to fit one and :func:`parametric` to draw
    scenarios from it. Calendar arrays have shape (12, 48): calendar month
    (row 0 is January) x slot of the day (column 0 is 00:00-00:30).

    Per slot t in calendar cell c (month x slot of the day) the model is::

        x_t = r_c * g_t + sqrt(1 - r_c**2) * (l_h * D_d + sqrt(1 - l_h**2) * F_t)
        u_t = Phi(x_t)
        P_t = floor                                           if u_t < f_c
        P_t = floor + exp(m_c + s_c * Phi^-1((u_t - f_c) / (1 - f_c))) + J_t   otherwise

    with ``D`` a stationary unit-variance AR(1) process over days
    (coefficient ``day_phi``, the value of day d held over its 48 slots, with
    loading ``l_h`` = ``day_loading`` for slot h of the day), ``F`` one over
    slots (coefficient ``fast_phi``), ``g_t`` the generation
    anomaly (generation minus its calendar-cell mean, over its cell standard
    deviation; r_c = ``generation_coupling`` in cells where generation varies,
    0 at night), ``f_c`` the floor share, ``m_c, s_c`` the lognormal
    parameters of the non-spike price above the floor, and ``J`` a spike
    process ``J_t = spike_decay * J_{t-1} + N_t * Z_t`` with onsets ``N_t``
    (probability ``spike_onset_probability[c]``) and exponential sizes
    ``Z_t`` (mean ``spike_mean_jpy_per_kwh``).

    So the latent ``x`` is a two-factor mean-reverting deviation (a daily
    level that moves the slots of a day together, and a fast within-day
    one), and the price is its quantile transform onto a calendar-cell
    distribution with a point mass at the floor: a slot sits at the floor
    exactly when the deviation is in its lowest ``f_c`` quantile. Floor slots
    therefore come in the cells where history had them (sunny spring
    middays), in runs (``x`` is persistent) and on days of high generation
    when ``generation_coupling`` is negative. Each cell's floor share and
    mean are kept by construction.

    Limits: one daily factor with one loading per slot cannot also hold the
    midday block of a sunny day together as tightly as history does, so
    runs of floor slots come out shorter (about 4 slots against 6.6 in the
    sample Kyushu FY2023 history) though as many in total.

    Attributes
    ----------
    price_name : str
        Name of the fitted series (e.g. ``kyushu``).
    floor_jpy_per_kwh : float
        The JEPX floor [JPY/kWh] (0.01).
    floor_share : numpy.ndarray
        Share of history slots at the floor per calendar cell [-].
    log_mean, log_sd : numpy.ndarray
        ``m_c`` and ``s_c``: mean and standard deviation of ``ln(P - floor)``
        of the lognormal fitted by moments (so its mean is the cell's
        historical mean) to the non-floor prices with spikes removed
        [ln(JPY/kWh)] and [-]. Unused (0) where every slot is at the floor.
    day_loading : numpy.ndarray
        ``l_h``, shape (48,): correlation of the latent deviation at slot h of
        the day with the daily factor [-].
    day_phi : float
        AR(1) coefficient of the daily factor per day [-].
    fast_phi : float
        AR(1) coefficient of the fast factor per slot [-].
    generation_coupling : float
        Correlation ``r`` of the latent deviation with the generation anomaly
        in daylight cells [-]; 0 when fitted without generation.
    spike_threshold : float
        A non-floor price is a spike where ``ln(P - floor)`` exceeds its cell
        median by more than this many robust standard deviations [-].
    spike_onset_probability : numpy.ndarray
        Probability that a spike starts in a slot, per calendar cell [-].
    spike_mean_jpy_per_kwh : float
        Mean spike size at onset [JPY/kWh].
    spike_decay : float
        Share of a spike left one slot later [-].
    history_mean_jpy_per_kwh : float
        Time-weighted mean of the fitted history [JPY/kWh], for comparison.
    """

    price_name: str
    floor_jpy_per_kwh: float
    floor_share: np.ndarray
    log_mean: np.ndarray
    log_sd: np.ndarray
    day_loading: np.ndarray
    day_phi: float
    fast_phi: float
    generation_coupling: float
    spike_threshold: float
    spike_onset_probability: np.ndarray
    spike_mean_jpy_per_kwh: float
    spike_decay: float
    history_mean_jpy_per_kwh: float

    @staticmethod
    def _half_life(phi: float) -> float:
        """Steps until an AR(1) deviation halves; 0 forgets at once, 1 never."""
        if phi <= 0:
            return 0.0
        if phi >= 1:
            return float("inf")
        return float(np.log(0.5) / np.log(phi))

    @property
    def day_half_life_d(self) -> float:
        """Half-life of the daily factor [days]."""
        return self._half_life(self.day_phi)

    @property
    def fast_half_life_h(self) -> float:
        """Half-life of the fast (within-day) deviation [h]."""
        return 0.5 * self._half_life(self.fast_phi)

    @property
    def spike_half_life_h(self) -> float:
        """Half-life of a spike [h]."""
        return 0.5 * self._half_life(self.spike_decay)

    def summary(self) -> pd.Series:
        """The scalar parameters and calendar averages, named with their units.

        ``floor_share`` and ``spike_onsets_per_year`` weight the months by
        their days; ``day_loading_night`` and ``day_loading_midday`` average
        the loadings of 00:00-06:00 and 10:00-14:00.
        """
        return pd.Series(
            {
                "history_mean_jpy_per_kwh": self.history_mean_jpy_per_kwh,
                "floor_share": float(_DAYS_PER_MONTH @ self.floor_share.mean(axis=1) / 365.25),
                "floor_share_max_cell": float(self.floor_share.max()),
                "day_loading_night": float(self.day_loading[:12].mean()),
                "day_loading_midday": float(self.day_loading[20:28].mean()),
                "day_phi": self.day_phi,
                "day_half_life_d": self.day_half_life_d,
                "fast_phi": self.fast_phi,
                "fast_half_life_h": self.fast_half_life_h,
                "generation_coupling": self.generation_coupling,
                "spike_onsets_per_year": float(
                    _DAYS_PER_MONTH @ self.spike_onset_probability.sum(axis=1)
                ),
                "spike_mean_jpy_per_kwh": self.spike_mean_jpy_per_kwh,
                "spike_decay": self.spike_decay,
                "spike_half_life_h": self.spike_half_life_h,
            },
            name=self.price_name,
        )


def _positive_number(value: object) -> bool:
    return isinstance(value, int | float | np.number) and bool(np.isfinite(value)) and value > 0


def _check_model(model: object) -> None:
    """Refuse a model that is not a PriceModel or holds non-finite parameters."""
    if not isinstance(model, PriceModel):
        raise ValidationError(f"model must be a PriceModel, got {type(model).__name__}")
    problems = [
        f"{name} is not finite"
        for name, value in vars(model).items()
        if not isinstance(value, str) and not np.isfinite(np.asarray(value, dtype=float)).all()
    ]
    if problems:
        raise ValidationError("model: invalid PriceModel parameters", problems)


def _price_history(
    prices: pd.Series, generation_kwh: pd.Series | None
) -> tuple[pd.Series, pd.Series | None]:
    """The price series (and generation on the same slots), validated."""
    if not isinstance(prices, pd.Series):
        raise ValidationError(
            f"prices must be one pandas Series [JPY/kWh], got {type(prices).__name__}; "
            "pass one column, e.g. prices['kyushu']"
        )
    if generation_kwh is not None:
        frame, generation = _joint_history(prices, generation_kwh)
        series = frame[SERIES_COLUMN].rename(prices.name)
    else:
        index = require_regular(prices.index, SLOT, "prices")
        values = require_finite(numeric_values(prices, "prices", "JPY/kWh"), index, "prices")
        series, generation = pd.Series(values, index=index, name=prices.name), None
    below = series.to_numpy() < JEPX_PRICE_FLOOR_JPY_PER_KWH - 1e-9
    if below.any():
        raise ValidationError(
            f"prices below the JEPX floor of {JEPX_PRICE_FLOOR_JPY_PER_KWH} JPY/kWh at "
            f"{below.sum()} slots, first at {first_labels(series.index, below)}"
        )
    seen = np.bincount(month_slot_key(series.index), minlength=N_CELLS).reshape(N_MONTHS, -1)
    missing = np.flatnonzero((seen < 2).any(axis=1)) + 1
    if missing.size:
        raise ValidationError(
            f"prices: the history must hold every slot of the day at least twice in every "
            f"calendar month; too few in month(s) {missing.tolist()}"
        )
    return series, generation


def _generation_anomaly(
    generation_kwh: np.ndarray, cell: np.ndarray, mean_kwh: np.ndarray, sd_kwh: np.ndarray
) -> np.ndarray:
    """Standardised generation anomaly per slot [-]; 0 where a cell's generation never varies."""
    varies = sd_kwh > 0
    scale = np.where(varies, sd_kwh, 1.0)
    return np.where(varies[cell], (generation_kwh - mean_kwh[cell]) / scale[cell], 0.0)


def _generation_cell_stats(
    generation_kwh: np.ndarray, cell: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of generation per calendar cell [kWh] (0 where absent)."""
    everywhere = np.ones(len(cell), dtype=bool)
    mean = _cell_mean(generation_kwh, cell, everywhere)
    mean_square = _cell_mean(generation_kwh**2, cell, everywhere)
    sd = np.sqrt(np.maximum(mean_square - mean**2, 0.0))
    # Round-off leaves a tiny spread in cells that never vary (night): treat as none.
    sd = np.where(sd > 1e-9 * np.maximum(np.abs(mean), 1.0), sd, 0.0)
    return np.nan_to_num(mean), np.nan_to_num(sd)


def fit_price_model(
    prices: pd.Series,
    generation_kwh: pd.Series | None = None,
    *,
    spike_threshold: float = 3.0,
) -> PriceModel:
    """Fit the parametric price model of :class:`PriceModel` to a price history.

    Parameters
    ----------
    prices : pandas.Series
        Historical prices of one index [JPY/kWh], 30-minute slots, tz-aware,
        at least one full year (every slot of the day twice in every month),
        none below the 0.01 JPY/kWh floor.
    generation_kwh : pandas.Series, optional
        Generation over the same history [kWh per slot]: fits the coupling
        of the price deviation with the generation anomaly (a sunny day
        lowers the price and brings the floor). Without it the coupling is 0
        and prices and generation share only their seasonal shape.
    spike_threshold : float
        Robust standard deviations above the cell median of ``ln(P - floor)``
        beyond which the excess of a price counts as a spike [-].

    Returns
    -------
    PriceModel
        The fitted parameters.

    Raises
    ------
    ValidationError
        A non-Series, an index that is not a regular tz-aware DatetimeIndex,
        prices that are not numbers, NaN or infinite prices or generation,
        prices below the floor, a history missing a calendar month, or
        generation not covering the prices.

    Notes
    -----
    The fit, step by step (all moments, no optimiser):

    1. Floor share per cell: the share of slots at 0.01 JPY/kWh.
    2. Spikes: the excess of a price over ``floor + exp(median + k * 1.4826
       * MAD)`` of ``ln(P - floor)`` in its cell (a robust outlier rule).
       The decay is the least-squares AR(1) coefficient of the excess
       series through the origin; onsets (excess after a slot without) are
       spread over cells as ``onsets(month) * onsets(slot) / onsets`` (the
       independence model of a contingency table); the mean size is set so
       that the spike process's mean equals the historical mean excess,
       ``sum(excess) * (1 - decay) / onsets``.
    3. Lognormal per cell, fitted by moments to ``P - excess - floor`` of the
       non-floor slots: ``s**2 = ln(1 + var / mean**2)``, ``m = ln(mean) -
       s**2 / 2``, so the cell mean is kept exactly.
    4. Latent scores: each history slot is mapped back through the model
       (the normal quantile of its cell probability; floor slots take the
       mean of the normal below the floor quantile); the generation
       coupling is their correlation with the generation anomaly in
       daylight cells.
    5. Daily factor: the latent scores of the complete days form a days x
       48 matrix; the loadings are the first principal component of its
       correlation matrix (``sqrt(eigenvalue) * eigenvector``), the daily
       factor's AR(1) coefficient is the lag-1 autocorrelation of the
       days' component scores, and ``fast_phi`` is the lag-1 regression
       coefficient of what is left within each day.

    A history all at the floor (or constant in some slots of the day) is
    defined, not an error: those cells have floor share 1 (or no spread),
    their latent deviation correlates with nothing and the persistence of a
    deviation that never moves is 0, so the scenarios repeat the floor there.

    Assumptions and limits: the calendar shape is by month and slot only
    (no weekday or holiday effect, no trend: fit on recent years); one
    history year gives about 30 slots per cell, so cell parameters are
    noisy; spikes are independent of the deviation and of generation; the
    model keeps the history's level, so it is a risk model around that
    level, not a forecast of future fuel prices. Two-factor mean-reverting
    spot models follow Lucia and Schwartz (2002), Review of Derivatives
    Research 5, 5-50; spikes as decaying jumps follow the mean-reverting
    jump diffusions reviewed by Weron (2014), International Journal of
    Forecasting 30, 1030-1081.

    Examples
    --------
    >>> from gxdlib.sample import prices as sample_prices
    >>> model = fit_price_model(sample_prices(2023)["kyushu"])
    >>> model.floor_share.shape, round(float(model.floor_share.max()), 2)
    ((12, 48), 0.87)
    """
    if not _positive_number(spike_threshold):
        raise ValidationError(
            f"spike_threshold must be a finite number > 0, got {spike_threshold!r}"
        )
    series, generation = _price_history(prices, generation_kwh)
    price = series.to_numpy()
    floor = JEPX_PRICE_FLOOR_JPY_PER_KWH
    cell = month_slot_key(series.index)
    at_floor = price <= AT_FLOOR_JPY_PER_KWH
    above = ~at_floor
    floor_share = _cell_mean(at_floor.astype(float), cell, np.ones(len(cell), dtype=bool))

    # 2. Spikes: robust outliers of the log price above the floor.
    log_above = np.log(np.where(above, price - floor, 1.0))
    median = _cell_median(log_above, cell, above)
    mad = _cell_median(np.abs(log_above - np.nan_to_num(median)[cell]), cell, above)
    threshold = floor + np.exp(median + spike_threshold * _MAD_TO_SD * mad)
    excess = np.where(above, np.maximum(price - np.nan_to_num(threshold)[cell], 0.0), 0.0)
    previous = np.concatenate([[0.0], excess[:-1]])
    onset = (excess > 0) & (previous == 0)
    n_onsets = int(onset.sum())
    onset_probability = np.zeros(N_CELLS)
    decay, mean_size = 0.0, 0.0
    if n_onsets:
        decay = float(np.clip(np.dot(excess, previous) / np.dot(previous, previous), 0, 0.99))
        mean_size = float(excess.sum() * (1 - decay) / n_onsets)
        month, slot = np.divmod(cell[onset], SLOTS_PER_DAY)
        by_month = np.bincount(month, minlength=N_MONTHS)
        by_slot = np.bincount(slot, minlength=SLOTS_PER_DAY)
        expected = np.outer(by_month, by_slot).ravel() / n_onsets
        onset_probability = expected / np.bincount(cell, minlength=N_CELLS)

    # 3. Lognormal of the non-spike price above the floor, by moments.
    base = price - excess - floor
    mean = _cell_mean(base, cell, above)
    variance = _cell_mean(base**2, cell, above) - mean**2
    with np.errstate(invalid="ignore", divide="ignore"):
        log_var = np.log1p(np.maximum(variance, 0.0) / mean**2)
        log_mean = np.log(mean) - log_var / 2
    log_mean, log_sd = np.nan_to_num(log_mean), np.sqrt(np.nan_to_num(log_var))

    # 4. Latent normal scores of the history.
    share = floor_share[cell]
    with np.errstate(invalid="ignore", divide="ignore"):
        standard = (np.log(np.where(above, base, 1.0)) - log_mean[cell]) / log_sd[cell]
    within = np.where(log_sd[cell] > 0, special.ndtr(np.nan_to_num(standard)), 0.5)
    probability = np.clip(share + (1 - share) * within, _UNIT_OPEN, 1 - _UNIT_OPEN)
    below = special.ndtri(np.clip(share, _UNIT_OPEN, 1.0))
    # E[X | X < c] = -pdf(c) / cdf(c) for a standard normal X.
    floor_score = -np.exp(-(below**2) / 2) / np.sqrt(2 * np.pi) / np.maximum(share, _UNIT_OPEN)
    latent = np.where(above, special.ndtri(probability), floor_score)

    coupling = 0.0
    if generation is not None:
        mean_kwh, sd_kwh = _generation_cell_stats(generation.to_numpy(), cell)
        anomaly = _generation_anomaly(generation.to_numpy(), cell, mean_kwh, sd_kwh)
        daylight = (sd_kwh > 0)[cell]
        # A latent deviation that never moves (daylight all at the floor) has no coupling.
        if daylight.sum() > 2 and latent[daylight].std() > 0:
            coupling = float(
                np.clip(np.corrcoef(latent[daylight], anomaly[daylight])[0, 1], -0.95, 0.95)
            )
        r = np.where(daylight, coupling, 0.0)
        latent = (latent - r * anomaly) / np.sqrt(1 - r**2)

    # 5. Daily factor and fast factor.
    day_loading, day_phi, fast_phi = _fit_factors(latent, series.index)

    return PriceModel(
        price_name=str(prices.name) if prices.name is not None else SERIES_COLUMN,
        floor_jpy_per_kwh=floor,
        floor_share=floor_share.reshape(N_MONTHS, SLOTS_PER_DAY),
        log_mean=log_mean.reshape(N_MONTHS, SLOTS_PER_DAY),
        log_sd=log_sd.reshape(N_MONTHS, SLOTS_PER_DAY),
        day_loading=day_loading,
        day_phi=day_phi,
        fast_phi=fast_phi,
        generation_coupling=coupling,
        spike_threshold=float(spike_threshold),
        spike_onset_probability=onset_probability.reshape(N_MONTHS, SLOTS_PER_DAY),
        spike_mean_jpy_per_kwh=mean_size,
        spike_decay=decay,
        history_mean_jpy_per_kwh=float(price.mean()),
    )


# SplitMix64 (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number
# generators", OOPSLA; constants of Vigna's reference implementation): output i
# of the generator seeded with k is mix(k + (i + 1) * gamma). Evaluated on an
# array of counters it is a counter-based generator: any (scenario, stream,
# slot) draws its own number, whatever chunk it is computed in.
_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)

_STREAMS = {"blocks": 0, "daily": 1, "fast": 2, "spike_onset": 3, "spike_size": 4}
"""Independent random streams of a parametric scenario."""


def _uniforms(
    key: int, scenarios: np.ndarray, stream: str, slots: np.ndarray, stride: int
) -> np.ndarray:
    """Uniform numbers in (0, 1) of one stream at (scenario, slot) pairs (arrays broadcast)."""
    counter = scenarios.astype(np.uint64) * np.uint64(len(_STREAMS)) + np.uint64(_STREAMS[stream])
    counter = counter * np.uint64(stride) + slots.astype(np.uint64) + np.uint64(1)
    # uint64 arithmetic wraps modulo 2**64, as the algorithm intends.
    z = counter * _GAMMA + np.uint64(key)
    z ^= z >> np.uint64(30)
    z *= _MIX_1
    z ^= z >> np.uint64(27)
    z *= _MIX_2
    z ^= z >> np.uint64(31)
    # The top 53 bits, centred in their interval: never exactly 0 or 1. They fit in
    # an int64, whose conversion to float is much faster than uint64's.
    uniform = (z >> np.uint64(11)).view(np.int64).astype(float)
    uniform += 0.5
    uniform *= 2.0**-53
    return uniform


def _unit_ar1(shocks: np.ndarray, phi: float) -> np.ndarray:
    """Stationary unit-variance AR(1) along axis 1 of standard normal ``shocks`` (in place)."""
    shocks[:, 0] /= np.sqrt(1.0 - phi**2)  # start in the stationary distribution
    return signal.lfilter([np.sqrt(1.0 - phi**2)], [1.0, -phi], shocks, axis=1)


@dataclass(frozen=True, eq=False)
class ParametricScenarioSet:
    """Scenarios drawn from a :class:`PriceModel` and historical generation blocks.

    The same interface as :class:`ScenarioSet` (``index``, ``n_scenarios``,
    ``n_slots``, ``price_column``, ``prices``, ``generation_kwh``), so
    :func:`gxdlib.vppa.simulate` and :func:`gxdlib.vppa.breakeven_strike`
    take either. Nothing is stored per slot and scenario: every chunk is
    computed on demand from counter-based random numbers keyed by (seed,
    scenario, slot), so a scenario is the same whichever chunk it is
    computed in.

    Attributes
    ----------
    index : pandas.DatetimeIndex
        Scenario slot starts (whole fiscal years, JST).
    model : PriceModel
        The price model.
    n_scenarios : int
        Number of scenarios.
    key : int
        The 64-bit key derived from the seed.
    history_index : pandas.DatetimeIndex
        Slots of the generation history blocks are copied from.
    history_generation_kwh : numpy.ndarray
        Historical generation per slot [kWh].
    generation_mean_kwh, generation_sd_kwh : numpy.ndarray
        Mean and standard deviation of historical generation per calendar
        cell [kWh], for the generation anomaly.
    block_slots : int
        Slots per generation block.
    blocks : _BlockTable
        The historical blocks each scenario block may be drawn from.
    cells : numpy.ndarray
        Calendar cell of each scenario slot (month x slot of the day, int).
    """

    index: pd.DatetimeIndex
    model: PriceModel
    n_scenarios: int
    key: int
    history_index: pd.DatetimeIndex
    history_generation_kwh: np.ndarray
    generation_mean_kwh: np.ndarray
    generation_sd_kwh: np.ndarray
    block_slots: int
    blocks: _BlockTable
    cells: np.ndarray

    @property
    def n_slots(self) -> int:
        """Slots per scenario."""
        return len(self.index)

    def price_column(self, price_index: str) -> str:
        """The modelled series serves any price index, as a Series does in :func:`bootstrap`."""
        return self.model.price_name

    def _rows(self, start: int, stop: int | None) -> np.ndarray:
        stop = self.n_scenarios if stop is None else stop
        return np.arange(self.n_scenarios)[start:stop]

    def _uniforms(self, rows: np.ndarray, stream: str, n: int) -> np.ndarray:
        """Uniforms of scenarios ``rows`` x the first ``n`` steps of ``stream``."""
        return _uniforms(self.key, rows[:, None], stream, np.arange(n)[None, :], self.n_slots)

    def block_starts(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """History position where each block of scenarios ``start:stop`` starts (int)."""
        counts = self.blocks.counts
        u = self._uniforms(self._rows(start, stop), "blocks", len(counts))
        return self.blocks.starts(np.minimum((u * counts).astype(np.int64), counts - 1))

    def generation_kwh(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Generation of scenarios ``start:stop`` [kWh], shape (scenarios, slots)."""
        return _gather_blocks(
            self.history_generation_kwh,
            self.block_starts(start, stop),
            self.block_slots,
            self.n_slots,
        )

    def latent(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Latent standard normal deviation ``x`` of scenarios ``start:stop`` [-]."""
        model, rows, n = self.model, self._rows(start, stop), self.n_slots
        cell = self.cells
        loading = model.day_loading[cell % SLOTS_PER_DAY]
        noise = np.sqrt(1 - loading**2) * _unit_ar1(
            special.ndtri(self._uniforms(rows, "fast", n)), model.fast_phi
        )
        # The horizon starts at midnight: slot t belongs to day t // 48.
        daily = _unit_ar1(
            special.ndtri(self._uniforms(rows, "daily", -(-n // SLOTS_PER_DAY))), model.day_phi
        )
        noise += loading * np.repeat(daily, SLOTS_PER_DAY, axis=1)[:, :n]
        if model.generation_coupling == 0:
            return noise
        anomaly = _generation_anomaly(
            self.generation_kwh(start, stop),
            cell,
            self.generation_mean_kwh,
            self.generation_sd_kwh,
        )
        r = np.where(self.generation_sd_kwh[cell] > 0, model.generation_coupling, 0.0)
        return r * anomaly + np.sqrt(1 - r**2) * noise

    def spikes(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Spike process ``J`` of scenarios ``start:stop`` [JPY/kWh], >= 0."""
        model, rows, n = self.model, self._rows(start, stop), self.n_slots
        probability = model.spike_onset_probability.ravel()[self.cells]
        row, slot = np.nonzero(self._uniforms(rows, "spike_onset", n) < probability)
        # Onsets are rare: draw sizes only there, keyed by their (scenario, slot).
        size = np.zeros((len(rows), n))
        u = _uniforms(self.key, rows[row], "spike_size", slot, self.n_slots)
        size[row, slot] = -model.spike_mean_jpy_per_kwh * np.log(u)
        return signal.lfilter([1.0], [1.0, -model.spike_decay], size, axis=1)

    def prices(self, price_index: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Prices of scenarios ``start:stop`` [JPY/kWh], shape (scenarios, slots), >= 0.01."""
        model, cell = self.model, self.cells
        share = model.floor_share.ravel()[cell]
        u = special.ndtr(self.latent(start, stop))
        at_floor = u < share
        within = np.clip(
            (u - share) / np.maximum(1 - share, _UNIT_OPEN), _UNIT_OPEN, 1 - _UNIT_OPEN
        )
        above = model.floor_jpy_per_kwh + np.exp(
            model.log_mean.ravel()[cell] + model.log_sd.ravel()[cell] * special.ndtri(within)
        )
        above += self.spikes(start, stop)
        return np.where(at_floor, model.floor_jpy_per_kwh, above)


def parametric(
    model: PriceModel,
    generation_kwh: pd.Series,
    n_scenarios: int,
    n_years: int,
    block: str | int = "week",
    *,
    seed: int,
    start_fiscal_year: int | None = None,
    window_days: int = 14,
    match_weekday: bool = True,
) -> ParametricScenarioSet:
    """Draw price x generation scenarios from a fitted :class:`PriceModel`.

    Generation is a calendar-matched block bootstrap of ``generation_kwh``
    exactly as in :func:`bootstrap`; prices come from ``model``, their
    deviation coupled to the drawn generation's anomaly through
    ``model.generation_coupling`` (so sunny weeks bring low prices and floor
    slots). Unlike :func:`bootstrap`, prices are not limited to historical
    values: new spikes, new runs of floor slots and new day-to-day swings
    appear, with the history's calendar shape, floor share and persistence.

    Parameters
    ----------
    model : PriceModel
        From :func:`fit_price_model`.
    generation_kwh : pandas.Series
        Historical generation per 30-minute slot [kWh] (need not cover the
        price history the model was fitted on).
    n_scenarios, n_years, block, start_fiscal_year, window_days, match_weekday
        As for :func:`bootstrap`; the horizon starts after the generation
        history by default.
    seed : int
        Seed; the set is reproducible bit for bit and a scenario does not
        depend on the chunk it is computed in.

    Returns
    -------
    ParametricScenarioSet
        Scenarios computed chunk by chunk on demand.

    Raises
    ------
    ValidationError
        A model that is not a :class:`PriceModel` or has non-finite
        parameters; bad sizes or generation, as for :func:`bootstrap`.

    Examples
    --------
    >>> from gxdlib.sample import prices as sample_prices, pv_profile_kwh_per_kw
    >>> model = fit_price_model(sample_prices(2023)["kyushu"])
    >>> s = parametric(model, 1000 * pv_profile_kwh_per_kw(2023), n_scenarios=2, n_years=1, seed=1)
    >>> s.prices("kyushu").shape, bool(s.prices("kyushu").min() >= 0.01)
    ((2, 17520), True)
    """
    _check_model(model)
    block_slots = _check_sizes(n_scenarios, n_years, block)
    _check_draw(seed, window_days, start_fiscal_year, match_weekday)
    generation = check_generation(generation_kwh)
    history = generation.index
    index = _horizon(history, n_years, start_fiscal_year)
    values = generation.to_numpy()
    mean_kwh, sd_kwh = _generation_cell_stats(values, month_slot_key(history))
    return ParametricScenarioSet(
        index=index,
        model=model,
        n_scenarios=int(n_scenarios),
        key=int(np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0]),
        history_index=history,
        history_generation_kwh=values,
        generation_mean_kwh=mean_kwh,
        generation_sd_kwh=sd_kwh,
        block_slots=block_slots,
        blocks=_BlockTable.build(history, index, block_slots, window_days, match_weekday),
        cells=month_slot_key(index),
    )

"""Deterministic sample JEPX day-ahead spot prices and volumes.

The frame has exactly the layout of :func:`gxdlib.io.jepx.read_jepx_spot`, so
every consumer of real JEPX data runs on it unchanged. The model, per slot:

* a national price ``L * M[month] * (shape(slot, day type) * noise * spike
  - kappa * season(month) * solar(t))``, floored at 0.01 JPY/kWh, where
  ``solar`` is the sample PV output of Kyushu and Tokyo (the same weather as
  :func:`gxdlib.generation.pv_profile_kwh_per_kw` with the same seed, so
  solar capture prices come out as low as in the real market);
* area prices: each area carries a deviation (a deeper solar dip in Kyushu,
  Shikoku and Chugoku, a premium in the east); interconnectors couple
  neighbouring areas most of the time (persistent random states whose
  probabilities follow JEPX FY2023 split frequencies) and coupled areas share
  the demand-weighted mean of their deviations, so an area coupled with all
  others pays exactly the system price;
* volumes: the fiscal year's mean contracted volume times a daily shape.

Calibration (``FY_STATS``, computed from JEPX's ``spot_summary_<FY>.csv``
files and matching the DOMAIN figures): ``L`` is solved so that the fiscal
year's mean system price equals the published one; ``kappa`` so that the
spring midday (11:00-14:00) mean system price relative to the spring mean
matches the real ratio; the Kyushu dip so that the number of Kyushu slots at
the 0.01 floor matches the real count (693 in FY2019, 2,178 in FY2023).
Prices are capped at the fiscal year's real maximum (251 JPY/kWh in FY2020).
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from gxdlib.areas import AREAS, JEPX_PRICE_FLOOR_JPY_PER_KWH
from gxdlib.errors import ValidationError
from gxdlib.generation import ar1, pv_profile_kwh_per_kw
from gxdlib.sample.calendar_jp import office_closed
from gxdlib.timeseries import SLOTS_PER_DAY, fiscal_year_slots

PRICE_COLUMNS = ("system", *AREAS)
VOLUME_COLUMNS = ("sell_bid_kwh", "buy_bid_kwh", "contracted_kwh")


@dataclass(frozen=True)
class FiscalYearStats:
    """Published statistics of one JEPX fiscal year (computed from JEPX's files).

    Attributes
    ----------
    mean_system_jpy_per_kwh : float
        Time-weighted mean system price [JPY/kWh].
    max_system_jpy_per_kwh : float
        Highest system price of the year [JPY/kWh]; sample prices are capped
        there (FY2020: 251 in January 2021).
    kyushu_floor_slots : int
        Slots with the Kyushu area price at 0.01 JPY/kWh.
    system_floor_slots : int
        Slots with the system price at 0.01 JPY/kWh (reported, not calibrated).
    spring_midday_ratio : float
        Mean system price 11:00-14:00 in March-May over the March-May mean [-].
    contracted_kwh : float
        Mean contracted volume per slot [kWh].
    sell_ratio, buy_ratio : float
        Mean sell and buy bid volumes over the mean contracted volume [-].
    monthly_ratio : tuple of float
        Monthly mean system price over the annual mean, April to March [-].
    """

    mean_system_jpy_per_kwh: float
    max_system_jpy_per_kwh: float
    kyushu_floor_slots: int
    system_floor_slots: int
    spring_midday_ratio: float
    contracted_kwh: float
    sell_ratio: float
    buy_ratio: float
    monthly_ratio: tuple[float, ...]


# Statistics computed from JEPX's official spot summaries, spot_summary_<FY>.csv
# (Japan Electric Power Exchange, https://www.jepx.jp/; copies from the public mirror
# github.com/dlxiii/jepx_scraper, csv/): the FY mean system prices (FY2016 8.46 ...
# FY2024 12.29 JPY/kWh) are those files' means.
FY_STATS: dict[int, FiscalYearStats] = {
    2016: FiscalYearStats(8.46, 40.0, 0, 0, 0.97, 1.311e6, 4.218, 2.651,
                          (0.81, 0.81, 0.92, 0.96, 1.03, 0.94, 0.90, 0.97, 1.06, 1.18, 1.25, 1.20)),
    2017: FiscalYearStats(9.72, 50.0, 0, 0, 0.91, 3.344e6, 2.375, 1.952,
                          (0.89, 0.80, 0.82, 1.09, 1.01, 0.83, 0.87, 0.90, 1.11, 1.25, 1.50, 0.97)),
    2018: FiscalYearStats(9.76, 75.0, 39, 0, 0.84, 1.191e7, 1.317, 1.299,
                          (0.84, 0.90, 0.94, 1.29, 1.25, 0.99, 1.01, 1.02, 1.02, 1.02, 0.92, 0.79)),
    2019: FiscalYearStats(7.93, 60.0, 693, 22, 0.75, 1.665e7, 1.202, 1.202,
                          (1.02, 0.96, 1.00, 0.94, 1.29, 1.14, 1.04, 0.98, 1.04, 0.97, 0.87, 0.75)),
    2020: FiscalYearStats(11.21, 251.0, 867, 266, 0.59, 1.786e7, 1.223, 1.201,
                          (0.47, 0.37, 0.45, 0.38, 0.63, 0.56, 0.45, 0.50, 1.24, 5.63, 0.67, 0.56)),
    2021: FiscalYearStats(13.46, 80.0, 1515, 284, 0.59, 1.867e7, 1.224, 1.225,
                          (0.50, 0.50, 0.53, 0.60, 0.64, 0.59, 0.90, 1.37, 1.29, 1.63, 1.53, 1.95)),
    2022: FiscalYearStats(20.41, 100.0, 1909, 582, 0.43, 1.818e7, 1.277, 1.158,
                          (0.87, 0.83, 1.04, 1.22, 1.25, 1.18, 1.08, 1.11, 1.23, 0.96, 0.74, 0.48)),
    2023: FiscalYearStats(10.74, 52.9, 2178, 829, 0.40, 1.488e7, 1.531, 1.234,
                          (0.80, 0.81, 0.79, 0.94, 1.09, 1.25, 1.05, 1.32, 1.15, 0.94, 0.87, 0.99)),
    2024: FiscalYearStats(12.29, 45.0, 1167, 428, 0.54, 1.517e7, 1.616, 1.288,
                          (0.77, 0.78, 0.89, 1.15, 1.18, 1.14, 1.03, 1.01, 1.00, 1.01, 1.13, 0.92)),
}  # fmt: skip
"""JEPX statistics per fiscal year; :func:`prices` supports exactly these years."""

# Relative national price by hour of day without the solar dip: night trough,
# morning rise, evening peak when solar fades and lighting load rises
# (shape of JEPX FY2016-2019 system prices, before solar reshaped middays).
_HOURLY_SHAPE = np.array([
    0.95, 0.92, 0.90, 0.89, 0.90, 0.93, 0.98, 1.03, 1.07, 1.08, 1.08, 1.07,
    1.03, 1.06, 1.08, 1.10, 1.16, 1.30, 1.40, 1.38, 1.28, 1.17, 1.07, 1.00,
])  # fmt: skip
# How strongly solar depresses prices by month (Jan..Dec): most in the mild
# spring and autumn, least when air-conditioning demand is high.
_SOLAR_DIP_SEASON = np.array([0.7, 0.8, 1.2, 1.35, 1.35, 1.0, 0.6, 0.55, 0.85, 1.1, 1.0, 0.75])
# Contracted volume by hour of day relative to the mean (JEPX FY2023 shape).
_VOLUME_SHAPE = np.array([
    0.91, 0.91, 0.92, 0.92, 0.92, 0.92, 0.91, 0.96, 1.05, 1.12, 1.16, 1.17,
    1.16, 1.15, 1.11, 1.06, 1.02, 0.99, 1.00, 1.00, 0.98, 0.96, 0.94, 0.91,
])  # fmt: skip

# Weights of the areas in coupled prices: approximate shares of national
# demand (Tokyo about a third), in AREAS order, summing to 1.
_AREA_WEIGHTS = np.array([0.04, 0.09, 0.33, 0.14, 0.03, 0.16, 0.07, 0.03, 0.11])
_LINKS = (
    # (area, area, coupling probability at night, change at full midday sun);
    # probabilities follow JEPX FY2023 frequencies of equal neighbouring prices.
    ("hokkaido", "tohoku", 0.93, -0.08),
    ("tohoku", "tokyo", 0.93, -0.12),
    ("tokyo", "chubu", 0.80, -0.35),
    ("chubu", "hokuriku", 0.45, 0.35),
    ("chubu", "kansai", 0.40, 0.40),
    ("hokuriku", "kansai", 0.90, 0.09),
    ("kansai", "chugoku", 0.99, 0.0),
    ("kansai", "shikoku", 0.97, 0.02),
    ("chugoku", "shikoku", 0.98, 0.02),
    ("chugoku", "kyushu", 0.96, -0.30),
)
_DIP_EXPONENT = 1.5
_DIP_CLOSED = 1.5
_DIP_DAILY_SD = 0.7
_LINK_PERSISTENCE = 0.97  # a split, once binding, lasts hours
_DAILY_NOISE = (0.75, 0.16)  # AR(1) coefficient and sd of the daily log-price level
_SLOT_NOISE = (0.85, 0.07)  # the same within the day
_SPIKE_DAY_PROBABILITY = np.array(
    [0.05, 0.05, 0.01, 0.0, 0.0, 0.01, 0.04, 0.05, 0.02, 0.0, 0.01, 0.04]
)  # Jan..Dec: tight supply in midwinter and midsummer evenings


def _require_fiscal_year(fiscal_year: int) -> FiscalYearStats:
    if fiscal_year not in FY_STATS:
        raise ValidationError(
            f"fiscal_year: no JEPX calibration figures for FY{fiscal_year}; "
            f"sample prices exist for FY{min(FY_STATS)}-FY{max(FY_STATS)}"
        )
    return FY_STATS[fiscal_year]


def _bisect(function, target: float, low: float, high: float, iterations: int = 60) -> float:
    """Smallest x in [low, high] with function(x) >= target, for non-decreasing function."""
    if function(low) >= target:
        return low
    for _ in range(iterations):
        middle = 0.5 * (low + high)
        if function(middle) >= target:
            high = middle
        else:
            low = middle
    return high


def _components(coupled: np.ndarray) -> np.ndarray:
    """Same-component matrix (slots x areas x areas) of the interconnector graph.

    Label propagation: each pass lets coupled neighbours share the smaller
    label; as many passes as areas reach every path in the graph.
    """
    labels = np.broadcast_to(np.arange(len(AREAS)), (coupled.shape[0], len(AREAS))).copy()
    position = {area: i for i, area in enumerate(AREAS)}
    for _ in range(len(AREAS)):
        for k, (a, b, _night, _sun) in enumerate(_LINKS):
            i, j = position[a], position[b]
            shared = np.minimum(labels[:, i], labels[:, j])
            labels[:, i] = np.where(coupled[:, k], shared, labels[:, i])
            labels[:, j] = np.where(coupled[:, k], shared, labels[:, j])
    return labels[:, :, None] == labels[:, None, :]


def _round_floor(price: np.ndarray, cap_jpy_per_kwh: float) -> np.ndarray:
    """JEPX publishes prices to 0.01 JPY/kWh, never below the floor.

    The cap is the fiscal year's real maximum, so that heavy-tailed spikes
    stay within what the market has seen.
    """
    return np.clip(np.round(price, 2), JEPX_PRICE_FLOOR_JPY_PER_KWH, cap_jpy_per_kwh)


@functools.lru_cache(maxsize=16)
def _prices(fiscal_year: int, seed: int) -> pd.DataFrame:
    stats = _require_fiscal_year(fiscal_year)
    index = fiscal_year_slots(fiscal_year).as_unit("ns")
    rng = np.random.default_rng([seed, zlib.crc32(f"jepx-prices:{fiscal_year}".encode())])
    n_slots = len(index)
    n_days = n_slots // SLOTS_PER_DAY
    day = np.repeat(np.arange(n_days), SLOTS_PER_DAY)
    hour = index.hour.to_numpy()
    month = index.month.to_numpy()
    fiscal_month = (month - 4) % 12
    closed = office_closed(index)

    # Solar output per kW, scaled to about 1 at a clear noon.
    solar_kyushu = pv_profile_kwh_per_kw(fiscal_year, "kyushu", seed).to_numpy() / 0.4
    solar_tokyo = pv_profile_kwh_per_kw(fiscal_year, "tokyo", seed).to_numpy() / 0.4
    solar_national = 0.5 * (solar_kyushu + solar_tokyo)
    dip_season = _SOLAR_DIP_SEASON[month - 1]

    # National price shape before the solar dip.
    day_type = np.where(closed & (hour >= 7) & (hour <= 21), 0.86, 1.0)
    day_type = np.where(closed & ~((hour >= 7) & (hour <= 21)), 0.96, day_type)
    log_noise = _DAILY_NOISE[1] * ar1(rng, n_days, _DAILY_NOISE[0])[day]
    log_noise += _SLOT_NOISE[1] * ar1(rng, n_slots, _SLOT_NOISE[0])
    spike_day = rng.random(n_days) < _SPIKE_DAY_PROBABILITY[month[::SLOTS_PER_DAY] - 1]
    spike_size = 1.0 + np.minimum(rng.pareto(2.5, n_days), 3.0)
    evening = (hour >= 16) & (hour <= 21)
    spike = np.where(spike_day[day] & evening, spike_size[day], 1.0)
    level = np.asarray(stats.monthly_ratio)[fiscal_month]
    shape = level * _HOURLY_SHAPE[hour] * day_type * np.exp(log_noise) * spike
    # Surplus grows faster than solar output (convex) and is largest when
    # offices are closed, so sunny holidays reach the floor first.
    dip = level * dip_season * solar_national**_DIP_EXPONENT * np.where(closed, _DIP_CLOSED, 1.0)
    # Day-to-day swings of the surplus (wind, nuclear and thermal availability).
    dip *= np.exp(_DIP_DAILY_SD * ar1(rng, n_days, 0.6) - _DIP_DAILY_SD**2 / 2)[day]

    spring = np.isin(month, (3, 4, 5))
    midday = spring & (hour >= 11) & (hour < 14)

    def spring_midday_ratio(kappa: float) -> float:
        relative = np.maximum(shape - kappa * dip, 0.0)
        return relative[midday].mean() / relative[spring].mean()

    # The ratio falls as kappa grows: solve for the published ratio.
    kappa = _bisect(lambda k: -spring_midday_ratio(k), -stats.spring_midday_ratio, 0.0, 3.0)
    unscaled = shape - kappa * dip
    target = stats.mean_system_jpy_per_kwh
    cap = stats.max_system_jpy_per_kwh
    scale_jpy = _bisect(
        lambda s: np.clip(s * unscaled, JEPX_PRICE_FLOOR_JPY_PER_KWH, cap).mean(),
        target,
        0.0,
        50.0 * target,
    )
    system = _round_floor(scale_jpy * unscaled, cap)

    # Area deviations, as fractions of the national level; linear in the
    # Kyushu dip so that its size can be solved below.
    east = np.maximum(ar1(rng, n_slots, 0.99), 0.0)
    deviation = np.zeros((n_slots, len(AREAS)))
    column = {area: i for i, area in enumerate(AREAS)}
    deviation[:, column["hokkaido"]] = 0.10 + 0.25 * east
    deviation[:, column["tohoku"]] = 0.08 + 0.20 * east
    deviation[:, column["tokyo"]] = 0.15 + 0.25 * east
    deviation[:, column["chubu"]] = 0.04
    deviation[:, column["shikoku"]] = -0.15 * dip_season * solar_kyushu
    deviation[:, column["chugoku"]] = -0.10 * dip_season * solar_kyushu
    deviation *= level[:, None]
    kyushu_dip = np.zeros_like(deviation)
    kyushu_dip[:, column["kyushu"]] = -level * dip_season * solar_kyushu

    sun = np.clip(solar_national, 0.0, 1.0)
    coupled = np.empty((n_slots, len(_LINKS)), dtype=bool)
    for k, (_a, _b, night, sun_change) in enumerate(_LINKS):
        probability = np.clip(night + sun_change * sun, 0.01, 0.999)
        coupled[:, k] = special.ndtr(ar1(rng, n_slots, _LINK_PERSISTENCE)) < probability
    same = _components(coupled).astype(float)
    weight_in_component = same @ _AREA_WEIGHTS

    def relative_to_system(values: np.ndarray) -> np.ndarray:
        component_mean = (same @ (values * _AREA_WEIGHTS)[:, :, None])[:, :, 0]
        component_mean /= weight_in_component
        return component_mean - (values @ _AREA_WEIGHTS)[:, None]

    base_shift = scale_jpy * relative_to_system(deviation)
    kyushu_shift = scale_jpy * relative_to_system(kyushu_dip)

    def areas_at(depth: float) -> np.ndarray:
        return _round_floor(system[:, None] + base_shift + depth * kyushu_shift, cap)

    kyushu = column["kyushu"]
    depth = _bisect(
        lambda d: np.count_nonzero(areas_at(d)[:, kyushu] <= JEPX_PRICE_FLOOR_JPY_PER_KWH),
        stats.kyushu_floor_slots,
        0.0,
        20.0,
        iterations=40,
    )
    area_prices = areas_at(depth)

    volume_noise = np.exp(0.04 * ar1(rng, n_days, 0.7)[day] + 0.03 * ar1(rng, n_slots, 0.8))
    contracted = stats.contracted_kwh * _VOLUME_SHAPE[hour] * np.where(closed, 0.93, 1.0)
    contracted = contracted * volume_noise
    sell = contracted * np.maximum(stats.sell_ratio * np.exp(0.06 * ar1(rng, n_slots, 0.9)), 1.0)
    buy = contracted * np.maximum(stats.buy_ratio * np.exp(0.06 * ar1(rng, n_slots, 0.9)), 1.0)

    def to_50_kwh(volume: np.ndarray) -> np.ndarray:
        # JEPX volumes are whole multiples of 50 kWh (its files since FY2018).
        return np.round(volume / 50.0) * 50.0

    frame = pd.DataFrame(
        np.column_stack(
            [system, area_prices, to_50_kwh(sell), to_50_kwh(buy), to_50_kwh(contracted)]
        ),
        index=index,
        columns=[*PRICE_COLUMNS, *VOLUME_COLUMNS],
    )
    frame.attrs["empty_cells"] = {}
    return frame


def prices(fiscal_year: int = 2023, seed: int = 0) -> pd.DataFrame:
    """Sample JEPX spot prices and volumes for one fiscal year.

    Parameters
    ----------
    fiscal_year : int
        Fiscal year, FY2016-FY2024 (the years with published JEPX figures in
        ``FY_STATS``).
    seed : int
        Seed of every random draw (and of the sample PV weather that shapes
        the midday dip); the same seed gives the same frame bit for bit.

    Returns
    -------
    pandas.DataFrame
        The layout of :func:`gxdlib.io.jepx.read_jepx_spot`: index
        ``slot_start`` (Asia/Tokyo, 30 minutes, 17,520 or 17,568 slots);
        columns ``system`` and the nine areas [JPY/kWh], ``sell_bid_kwh``,
        ``buy_bid_kwh``, ``contracted_kwh`` [kWh].

    Raises
    ------
    ValidationError
        For a fiscal year without published figures (no extrapolation).

    Notes
    -----
    Calibration targets, from JEPX's ``spot_summary_<FY>.csv`` (Japan
    Electric Power Exchange, https://www.jepx.jp/; the figures in
    :data:`FY_STATS`): the fiscal year's mean system price (e.g. FY2019 7.93, FY2022
    20.41, FY2023 10.74 JPY/kWh) to within rounding; the number of Kyushu
    slots at the 0.01 JPY/kWh floor (FY2019 693, FY2023 2,178) to within a
    few slots; the spring midday price relative to the spring mean; the
    monthly price profile; mean contracted and bid volumes. Prices are
    rounded to 0.01 JPY/kWh and never below the 0.01 floor.

    Examples
    --------
    >>> frame = prices(2023)
    >>> len(frame), round(float(frame["system"].mean()), 2)
    (17568, 10.74)
    """
    return _prices(int(fiscal_year), int(seed)).copy()

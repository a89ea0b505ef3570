"""Synthetic PV and wind generation profiles for Japanese sites, and helpers.

Output is energy per kW of installed capacity per 30-minute slot [kWh/kW],
indexed by slot start in Asia/Tokyo. PV uses pvlib (solar position, Ineichen
clear sky with the climatological Linke turbidity shipped inside pvlib,
Erbs decomposition, isotropic transposition to the tilted plane, Faiman cell
temperature, PVWatts DC, losses and inverter); clouds come from a seeded
clear-sky-index model. Wind feeds a seeded synthetic hub-height wind speed
through windpowerlib's ``ModelChain`` with a power curve from the turbine
library bundled with the installed windpowerlib (no network).

Every random draw comes from a :class:`numpy.random.Generator` seeded from
the ``seed`` argument and the site, so each profile is reproducible bit for
bit; the pure generators are memoised and return copies.
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pvlib
from scipy import signal, special, stats
from windpowerlib import ModelChain, WindTurbine

from gxdlib.errors import ValidationError
from gxdlib.timeseries import SLOT, fiscal_year_slots

SLOT_HOURS = SLOT / pd.Timedelta(hours=1)


@dataclass(frozen=True)
class Site:
    """A generation site.

    Parameters
    ----------
    name : str
        Label, used in series names and to derive the site's random stream.
    latitude, longitude : float
        Position [degrees north, degrees east].
    mean_temp_c : float
        Annual mean air temperature [degC].
    temp_amplitude_c : float
        Half the difference between the August and January monthly means [degC].
    """

    name: str
    latitude: float
    longitude: float
    mean_temp_c: float
    temp_amplitude_c: float


SITES: dict[str, Site] = {
    # One representative city per JEPX area; temperatures approximate the JMA
    # 1991-2020 normals of that city (annual mean, half the Aug-Jan range).
    "hokkaido": Site("hokkaido", 43.06, 141.35, 9.2, 12.5),
    "tohoku": Site("tohoku", 38.27, 140.87, 12.8, 11.0),
    "tokyo": Site("tokyo", 35.69, 139.69, 15.8, 10.5),
    "chubu": Site("chubu", 35.17, 136.91, 16.2, 11.5),
    "hokuriku": Site("hokuriku", 36.56, 136.66, 15.0, 11.5),
    "kansai": Site("kansai", 34.69, 135.50, 17.1, 11.5),
    "chugoku": Site("chugoku", 34.40, 132.46, 16.5, 11.5),
    "shikoku": Site("shikoku", 33.56, 133.53, 17.3, 10.5),
    "kyushu": Site("kyushu", 33.58, 130.38, 17.3, 10.5),
}
"""Representative sites (the area's main city) keyed by JEPX area name."""

# Mean daily clear-sky index per calendar month (Jan..Dec): lowest in the
# June-July tsuyu rains and in the cloudy Japan-Sea-side winter, highest in
# spring and late summer. Tuned so that the monthly shape of Kyushu's PV
# output follows Kyushu TSO solar actuals FY2016-2023 (median month over May:
# Jan 0.55, Mar 0.84, Jun 0.85, Aug 1.02, Oct 0.87, Dec 0.56) and the annual
# yield lands in the typical Japanese range (see ``pv_profile_kwh_per_kw``).
_CLEARNESS_MEAN = np.array([0.61, 0.63, 0.65, 0.70, 0.71, 0.55, 0.66, 0.74, 0.63, 0.74, 0.68, 0.64])
_CLEARNESS_CONCENTRATION = 3.5  # Beta a+b: daily spread from overcast to clear
_CLEARNESS_DAILY_AR = 0.45  # day-to-day persistence of weather regimes
_CLOUD_SLOT_AR = 0.85  # slot-to-slot persistence of passing clouds
_CLOUD_SLOT_SD = 0.6  # intra-day variability on a half-clear day


def resolve_site(site: str | Site | tuple[float, float]) -> Site:
    """Turn an area name, a :class:`Site` or a ``(lat, lon)`` pair into a Site.

    A bare ``(lat, lon)`` pair gets Tokyo's temperature climate.

    Raises
    ------
    ValidationError
        For an unknown area name or a position outside Japan's bounding box.
    """
    if isinstance(site, Site):
        return site
    if isinstance(site, str):
        if site not in SITES:
            raise ValidationError(f"site: unknown area {site!r}; expected one of {sorted(SITES)}")
        return SITES[site]
    latitude, longitude = (float(v) for v in site)
    if not (20.0 <= latitude <= 46.0 and 122.0 <= longitude <= 154.0):
        raise ValidationError(
            f"site: ({latitude}, {longitude}) is outside Japan (latitude 20-46 N, "
            "longitude 122-154 E)"
        )
    tokyo = SITES["tokyo"]
    return Site(
        f"{latitude:.3f},{longitude:.3f}",
        latitude,
        longitude,
        tokyo.mean_temp_c,
        tokyo.temp_amplitude_c,
    )


def site_rng(seed: int, site: Site, purpose: str, index: pd.DatetimeIndex) -> np.random.Generator:
    """A Generator for one site, purpose and period, stable across runs and platforms.

    The period's first timestamp is part of the key, so fiscal years differ
    under one seed, and neighbouring sites get independent weather.
    """
    key = zlib.crc32(f"{purpose}:{site.name}:{index[0].isoformat()}".encode())
    return np.random.default_rng([int(seed), key])


def ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """A stationary AR(1) series with unit variance, drawn without a Python loop."""
    shocks = rng.standard_normal(n)
    shocks[0] /= np.sqrt(1.0 - phi**2)  # start in the stationary distribution
    return signal.lfilter([np.sqrt(1.0 - phi**2)], [1.0, -phi], shocks)


def _day_number(index: pd.DatetimeIndex) -> np.ndarray:
    """Position of each slot's day within the series, 0-based."""
    days = index.normalize()
    return np.asarray((days - days[0]).days)


def air_temperature_c(index: pd.DatetimeIndex, site: Site) -> np.ndarray:
    """Smooth seasonal and diurnal air temperature [degC], coldest in late January."""
    day_of_year = index.day_of_year.to_numpy()
    hour = (index.hour + index.minute / 60).to_numpy()
    seasonal = -site.temp_amplitude_c * np.cos(2 * np.pi * (day_of_year - 25) / 365.25)
    diurnal = 4.0 * np.cos(2 * np.pi * (hour - 14.0) / 24.0)
    return site.mean_temp_c + seasonal + diurnal


def clear_sky_index(index: pd.DatetimeIndex, site: Site, seed: int) -> np.ndarray:
    """Seeded clear-sky index (GHI / clear-sky GHI) per slot [-].

    A daily index follows a Beta distribution whose mean varies by month
    (``_CLEARNESS_MEAN``: lower in the June-July tsuyu rains), linked from day
    to day by a Gaussian copula on an AR(1) series so weather comes in spells.
    Within a day, autocorrelated noise moves the index most on half-clear
    days and least on clear or overcast ones.
    """
    rng = site_rng(seed, site, "clouds", index)
    day = _day_number(index)
    n_days = int(day[-1]) + 1
    first_days = index[np.r_[0, np.flatnonzero(np.diff(day)) + 1]]
    mean = _CLEARNESS_MEAN[first_days.month.to_numpy() - 1]
    alpha = mean * _CLEARNESS_CONCENTRATION
    beta = (1.0 - mean) * _CLEARNESS_CONCENTRATION
    uniform = special.ndtr(ar1(rng, n_days, _CLEARNESS_DAILY_AR))
    daily = stats.beta.ppf(uniform, alpha, beta)[day]
    noise = ar1(rng, len(index), _CLOUD_SLOT_AR)
    # Passing clouds move the index most on half-clear days (daily near 0.5).
    wobble = _CLOUD_SLOT_SD * daily * (1.0 - daily) * noise
    return np.clip(daily + wobble, 0.03, 1.05)


@functools.lru_cache(maxsize=32)
def _pv_kwh_per_kw(
    fiscal_year: int, site: Site, seed: int, tilt_deg: float, clear_sky: bool
) -> pd.Series:
    index = fiscal_year_slots(fiscal_year)
    mid = index + SLOT / 2  # irradiance at the slot's centre stands for the slot
    location = pvlib.location.Location(site.latitude, site.longitude, tz=index.tz)
    solar = location.get_solarposition(mid)
    clearsky = location.get_clearsky(mid, model="ineichen", solar_position=solar)
    ghi_cs = clearsky["ghi"].to_numpy()
    if clear_sky:
        ghi, dni, dhi = ghi_cs, clearsky["dni"].to_numpy(), clearsky["dhi"].to_numpy()
    else:
        ghi = ghi_cs * clear_sky_index(index, site, seed)
        split = pvlib.irradiance.erbs(ghi, solar["zenith"].to_numpy(), mid)
        dni, dhi = split["dni"].to_numpy(), split["dhi"].to_numpy()
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt=tilt_deg,
        surface_azimuth=180.0,
        solar_zenith=solar["apparent_zenith"].to_numpy(),
        solar_azimuth=solar["azimuth"].to_numpy(),
        dni=dni,
        ghi=ghi,
        dhi=dhi,
        albedo=0.2,
        model="isotropic",
    )["poa_global"]
    poa = np.nan_to_num(np.asarray(poa, dtype=float), nan=0.0).clip(min=0.0)
    temp_cell = pvlib.temperature.faiman(poa, air_temperature_c(mid, site), wind_speed=2.0)
    # PVWatts chain per kW DC: 14 % system losses (PVWatts defaults) and a
    # 1.2 DC/AC ratio, common for Japanese ground-mounted plants.
    pdc_kw = pvlib.pvsystem.pvwatts_dc(poa, temp_cell, pdc0=1.0, gamma_pdc=-0.0037)
    pdc_kw = pdc_kw * (1.0 - pvlib.pvsystem.pvwatts_losses() / 100.0)
    pac_kw = pvlib.inverter.pvwatts(pdc_kw, pdc0=1.0 / 1.2 / 0.96, eta_inv_nom=0.96)
    energy = np.clip(np.asarray(pac_kw, dtype=float), 0.0, None) * SLOT_HOURS
    return pd.Series(energy, index=index, name=f"pv_{site.name}_kwh_per_kw")


def pv_profile_kwh_per_kw(
    fiscal_year: int = 2023,
    site: str | Site | tuple[float, float] = "kyushu",
    seed: int = 0,
    *,
    tilt_deg: float = 20.0,
    clear_sky: bool = False,
) -> pd.Series:
    """AC energy of a south-facing fixed PV plant per kW DC per slot [kWh/kW].

    Parameters
    ----------
    fiscal_year : int
        Fiscal year to cover (1 April to 31 March): 17,520 or 17,568 slots.
    site : str, Site or (float, float)
        A JEPX area name (its main city, see ``SITES``), a :class:`Site` or a
        ``(latitude, longitude)`` pair in Japan.
    seed : int
        Seed of the cloud model; the same seed gives the same series.
    tilt_deg : float
        Module tilt from horizontal [degrees], facing south.
    clear_sky : bool
        If true, no clouds: the clear-sky upper bound of the yield.

    Returns
    -------
    pandas.Series
        Energy per slot [kWh/kW DC], index ``slot_start`` (Asia/Tokyo).

    Notes
    -----
    Calibration target: annual capacity factor 12-15 % (1,050-1,310 kWh/kW),
    around the Japan Photovoltaic Energy Association's rule of thumb of
    about 1,000 kWh per kW per year (quoted e.g. by TEPCO's EVDAYS, June 2022)
    and manufacturers' simulated 1,030-1,250 kWh/kW (eco-hatsu.com, 2021);
    Kyushu's sunnier climate sits at the upper end. The default Kyushu site
    gives about 13-14.5 %; the clear-sky yield is about 1.5 times that.

    Examples
    --------
    >>> pv = pv_profile_kwh_per_kw(2023, "kyushu", seed=1)
    >>> len(pv), bool(0.12 < pv.sum() / 8784 < 0.15)
    (17568, True)
    """
    resolved = resolve_site(site)
    if not 0.0 <= tilt_deg <= 90.0:
        raise ValidationError(f"tilt_deg: expected 0-90 degrees, got {tilt_deg}")
    return _pv_kwh_per_kw(int(fiscal_year), resolved, int(seed), float(tilt_deg), clear_sky).copy()


WIND_TURBINE_TYPE = "E-82/2300"
"""Turbine from windpowerlib's bundled library (Enercon E-82, 2.3 MW, common in Japan)."""
WIND_HUB_HEIGHT_M = 85.0
WIND_LOSS_FRACTION = 0.12
"""Availability, wake and electrical losses applied to the turbine's power curve output."""

# Weibull hub-height wind climate: shape k about 2 is typical of onshore
# sites; the scale is set so that the plant's capacity factor is around the
# 20-30 % reported for Japanese onshore wind. Winter (NW monsoon) is windier.
_WIND_WEIBULL_SHAPE = 2.0
_WIND_WEIBULL_SCALE_MS = 7.4
_WIND_SEASONAL_AMPLITUDE = 0.18
_WIND_SYNOPTIC_AR = 0.5  # daily weather systems last a few days
_WIND_SLOT_AR = 0.95  # hour-scale persistence
_WIND_SYNOPTIC_SHARE = 0.5


def hub_wind_speed_ms(index: pd.DatetimeIndex, site: Site, seed: int) -> np.ndarray:
    """Seeded synthetic hub-height wind speed per slot [m/s].

    A Gaussian latent series mixes a daily (synoptic) AR(1) and a slot-level
    AR(1); it is mapped through a Weibull quantile function whose scale peaks
    in late January (winter monsoon) and dips in summer, with a mild
    afternoon rise.
    """
    rng = site_rng(seed, site, "wind", index)
    day = _day_number(index)
    synoptic = ar1(rng, int(day[-1]) + 2, _WIND_SYNOPTIC_AR)
    # Interpolate daily values across the day so speeds do not jump at midnight.
    position = day + (index.hour.to_numpy() * 60 + index.minute.to_numpy()) / 1440.0
    synoptic_slot = np.interp(position, np.arange(synoptic.size), synoptic)
    # Linear interpolation shrinks variance; rescale to unit variance.
    synoptic_slot /= synoptic_slot.std()
    fast = ar1(rng, len(index), _WIND_SLOT_AR)
    latent = np.sqrt(_WIND_SYNOPTIC_SHARE) * synoptic_slot
    latent += np.sqrt(1 - _WIND_SYNOPTIC_SHARE) * fast
    day_of_year = index.day_of_year.to_numpy()
    hour = (index.hour + index.minute / 60).to_numpy()
    scale = _WIND_WEIBULL_SCALE_MS * (
        1.0
        + _WIND_SEASONAL_AMPLITUDE * np.cos(2 * np.pi * (day_of_year - 25) / 365.25)
        + 0.05 * np.cos(2 * np.pi * (hour - 15.0) / 24.0)
    )
    upper_tail = special.ndtr(-latent)  # survival probability, precise for high speeds
    return scale * (-np.log(upper_tail)) ** (1.0 / _WIND_WEIBULL_SHAPE)


@functools.lru_cache(maxsize=1)
def _turbine() -> WindTurbine:
    # path="oedb" reads the CSV files shipped inside the windpowerlib package.
    return WindTurbine(hub_height=WIND_HUB_HEIGHT_M, turbine_type=WIND_TURBINE_TYPE, path="oedb")


@functools.lru_cache(maxsize=32)
def _wind_kwh_per_kw(fiscal_year: int, site: Site, seed: int) -> pd.Series:
    index = fiscal_year_slots(fiscal_year)
    speed = hub_wind_speed_ms(index, site, seed)
    weather = pd.DataFrame(
        {("wind_speed", WIND_HUB_HEIGHT_M): speed, ("roughness_length", 0): 0.1},
        index=index,
    )
    weather.columns.names = ["variable_name", "height"]
    turbine = _turbine()
    chain = ModelChain(turbine, power_output_model="power_curve", density_correction=False)
    power_w = chain.run_model(weather).power_output.to_numpy(dtype=float)
    # Per kW of the curve's maximum output: the library's E-82 E2 curve peaks
    # at 2,350 kW although its nominal power is listed as 2,300 kW.
    rated_w = float(turbine.power_curve["value"].max())
    energy = power_w / rated_w * (1.0 - WIND_LOSS_FRACTION) * SLOT_HOURS
    return pd.Series(energy, index=index, name=f"wind_{site.name}_kwh_per_kw")


def wind_profile_kwh_per_kw(
    fiscal_year: int = 2023,
    site: str | Site | tuple[float, float] = "tohoku",
    seed: int = 0,
) -> pd.Series:
    """Energy of an onshore wind plant per kW of capacity per slot [kWh/kW].

    Parameters
    ----------
    fiscal_year : int
        Fiscal year to cover: 17,520 or 17,568 slots.
    site : str, Site or (float, float)
        Used to derive the random stream (the wind climate itself is generic).
    seed : int
        Seed of the wind-speed model.

    Returns
    -------
    pandas.Series
        Energy per slot [kWh/kW], index ``slot_start`` (Asia/Tokyo).

    Notes
    -----
    Power from windpowerlib's ``ModelChain`` with the power curve of
    ``WIND_TURBINE_TYPE`` at ``WIND_HUB_HEIGHT_M`` (bundled turbine library,
    no network), less ``WIND_LOSS_FRACTION``. Calibration target: annual
    capacity factor 20-30 %, the usual range quoted for Japanese onshore
    wind (about 25 % on average over seeds; single years vary by about
    +/-2 points, as real years do).
    Windier in winter than in summer.

    Examples
    --------
    >>> wind = wind_profile_kwh_per_kw(2023, seed=1)
    >>> bool(0.20 < wind.sum() / 8784 < 0.30)
    True
    """
    return _wind_kwh_per_kw(int(fiscal_year), resolve_site(site), int(seed)).copy()


def _require_energy_profile(profile: pd.Series, what: str) -> np.ndarray:
    values = np.asarray(profile, dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        first = profile.index[np.flatnonzero(bad)[0]]
        raise ValidationError(
            f"{what}: expected finite, non-negative energy; {int(bad.sum())} bad values, "
            f"first at {first}"
        )
    return values


def normalise(profile: pd.Series) -> pd.Series:
    """Shape of a profile: each slot's share of the total [-], summing to 1.

    Raises
    ------
    ValidationError
        If a value is negative or not finite, or the total is zero.

    Examples
    --------
    >>> normalise(pd.Series([1.0, 3.0])).tolist()
    [0.25, 0.75]
    """
    values = _require_energy_profile(profile, "profile")
    total = values.sum()
    if total <= 0:
        raise ValidationError("profile: the total is zero, so it has no shape to normalise")
    return pd.Series(values / total, index=profile.index, name=profile.name)


def scale(profile_kwh_per_kw: pd.Series, capacity_kw: float) -> pd.Series:
    """Energy of a plant of ``capacity_kw`` from a per-kW profile [kWh].

    Parameters
    ----------
    profile_kwh_per_kw : pandas.Series
        Energy per kW of capacity per slot [kWh/kW].
    capacity_kw : float
        Installed capacity [kW], finite and non-negative.

    Returns
    -------
    pandas.Series
        Energy per slot [kWh], same index.

    Examples
    --------
    >>> scale(pd.Series([0.1, 0.25]), 1000.0).tolist()
    [100.0, 250.0]
    """
    values = _require_energy_profile(profile_kwh_per_kw, "profile_kwh_per_kw")
    if not np.isfinite(capacity_kw) or capacity_kw < 0:
        raise ValidationError(f"capacity_kw: expected a finite value >= 0, got {capacity_kw}")
    return pd.Series(values * capacity_kw, index=profile_kwh_per_kw.index, name="energy_kwh")

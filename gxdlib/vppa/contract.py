"""The terms of a virtual PPA: a contract for differences on a plant's output.

A Japanese virtual PPA is typically the purchase of one plant's non-FIT,
renewable-designated non-fossil certificates together with a contract for
differences on the JEPX price (Orrick, Japan Renewables Alert 60, November
2022). :class:`VPPAContract` holds the commercial terms; :mod:`.settlement`
applies them to a price and generation series.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from gxdlib.areas import PRICE_INDICES
from gxdlib.checks import first_labels, numeric_values
from gxdlib.errors import GXDWarning, ValidationError
from gxdlib.timeseries import HOUR, SLOT, TZ, require_tz_index

VOLUMES: tuple[str, ...] = ("as_produced", "baseload", "shaped")
"""Volume forms: a share of metered output, a flat kW block, or a fixed profile."""

FLOOR_PRICE_SLOT_RULES: tuple[str, ...] = ("settle", "exclude")
"""What happens in slots where the index sits at the JEPX floor of 0.01 JPY/kWh."""

MAX_ESCALATION_PER_YEAR = 1.0
"""Highest strike escalation accepted [1/year]: the strike doubling every year.

Escalation is a fraction (0.02 for 2 % a year); a larger value is almost
always a percentage typed as a fraction, and compounded over a 20-year term
it drives the strike towards overflow (``1e6`` a year gives 1e114 JPY/kWh).
"""

SLOT_HOURS = SLOT / HOUR
"""Length of a JEPX slot [h]: energy per slot is at most capacity x 0.5 h."""

TOO_SMALL = 1e-3
"""Energy peaking below this share of capacity x 0.5 h is warned about (MWh given as kWh)."""


def capacity_excess(
    energy_kwh: np.ndarray, index: pd.DatetimeIndex, capacity_kw: float, what: str
) -> str | None:
    """Why ``energy_kwh`` cannot come from a plant of ``capacity_kw``, or None if it can.

    A slot's energy above ``capacity_kw x 0.5 h`` is a capacity factor above
    1: impossible for the plant, so the caller refuses it. An energy series
    whose peak is positive but under 1/1000 of that bound is accepted with a
    :class:`~gxdlib.errors.GXDWarning` (it may be a plant that hardly ran, but
    is more often MWh given as kWh).

    Parameters
    ----------
    energy_kwh : numpy.ndarray
        Energy per 30-minute slot [kWh], finite.
    index : pandas.DatetimeIndex
        Slot starts of ``energy_kwh``.
    capacity_kw : float
        The plant's capacity [kW].
    what : str
        Name of the argument, for the message.

    Returns
    -------
    str or None
        The refusal message, naming the peak, the first slot over the bound
        and the likely cause.

    Examples
    --------
    >>> slots = pd.date_range("2022-05-01 12:00", periods=2, freq="30min", tz=TZ)
    >>> print(capacity_excess(np.array([400.0, 2350.0]), slots, 1000.0, "generation_kwh"))
    ... # doctest: +NORMALIZE_WHITESPACE
    generation_kwh peaks at 2,350 kWh per 30-minute slot (2022-05-01 12:30:00+09:00) for a
    1,000 kW plant: more than capacity x 0.5 h = 500 kWh, a capacity factor of 4.7 (1 slots
    over the bound, first at 2022-05-01 12:30:00+09:00); was it given for the whole area,
    or hourly energy not split into slots (gxdlib.timeseries.to_slots)?
    """
    if len(energy_kwh) == 0:
        return None
    limit_kwh = capacity_kw * SLOT_HOURS
    peak_at = int(np.argmax(energy_kwh))
    peak_kwh = float(energy_kwh[peak_at])
    if 0 < peak_kwh < TOO_SMALL * limit_kwh:
        warnings.warn(
            f"{what} peaks at {peak_kwh:,.4g} kWh per 30-minute slot ({index[peak_at]}), under "
            f"1/1,000 of a {capacity_kw:,.6g} kW plant's {limit_kwh:,.6g} kWh per slot; "
            "was it given in MWh?",
            GXDWarning,
            stacklevel=3,
        )
    over = energy_kwh > limit_kwh * (1 + 1e-9)
    if not over.any():
        return None
    factor = peak_kwh / limit_kwh
    cause = (
        "was it given in Wh, or capacity_kw in MW?"
        if factor >= 100
        else "was it given for the whole area, or hourly energy not split into slots "
        "(gxdlib.timeseries.to_slots)?"
    )
    return (
        f"{what} peaks at {peak_kwh:,.6g} kWh per 30-minute slot ({index[peak_at]}) for a "
        f"{capacity_kw:,.6g} kW plant: more than capacity x 0.5 h = {limit_kwh:,.6g} kWh, a "
        f"capacity factor of {factor:.3g} ({int(over.sum())} slots over the bound, first at "
        f"{first_labels(index, over, 1)}); {cause}"
    )


def _as_jst(value: str | pd.Timestamp | None) -> pd.Timestamp | None:
    """A contract date as a JST timestamp; naive dates are read as JST."""
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    return stamp.tz_localize(TZ) if stamp.tz is None else stamp.tz_convert(TZ)


def _finite(value: float | None) -> bool:
    number = isinstance(value, int | float | np.number) and not isinstance(value, bool)
    return number and math.isfinite(value)


@dataclass(frozen=True, eq=False)
class VPPAContract:
    """A fixed-for-floating virtual PPA on JEPX day-ahead prices.

    For each settled slot t the settlement is
    ``(clip(P_t, floor, cap) - K_t) * V_t`` [JPY]: **positive when the buyer
    receives money from the generator, negative when the buyer pays**.

    Parameters
    ----------
    strike_jpy_per_kwh : float
        Strike K in the first contract year [JPY/kWh], >= 0.
    price_index : str
        ``"system"`` or a JEPX area name (a column of
        :func:`gxdlib.io.jepx.read_jepx_spot`).
    volume : {"as_produced", "baseload", "shaped"}
        ``as_produced``: ``share`` x metered output; ``baseload``:
        ``baseload_kw`` x 0.5 h per slot; ``shaped``: ``shape_kwh`` per slot.
    share : float
        Contracted fraction of metered output, 0 < share <= 1 (as_produced
        only; must stay 1 for the other volume forms).
    baseload_kw : float, optional
        Contracted flat power [kW], > 0; required for ``baseload`` only.
    shape_kwh : pandas.Series, optional
        Contracted energy per 30-minute slot [kWh], tz-aware index, no
        negative or missing values; required for ``shaped`` only.
    floor_jpy_per_kwh, cap_jpy_per_kwh : float, optional
        Floor and cap on the settlement price [JPY/kWh]; both make a collar
        (floor < cap).
    floor_price_slots : {"settle", "exclude"}
        ``exclude`` settles 0 in slots where the index price is at the JEPX
        floor of 0.01 JPY/kWh (Japan's analogue of a negative-price clause).
    nfc_price_jpy_per_kwh : float
        Price the buyer pays for the plant's non-FIT non-fossil certificates
        per contracted kWh [JPY/kWh], >= 0.
    escalation_per_year : float
        Strike escalation per contract year [1/year] as a fraction (0.02 for
        2 %), compounded: contract year n (numbered from 1) has strike
        ``K * (1 + escalation_per_year) ** (n - 1)``; -1 < escalation <=
        :data:`MAX_ESCALATION_PER_YEAR` (1, a doubling a year: more is a
        percentage typed as a fraction). Contract years count from ``start``.
    start, end : str or pandas.Timestamp, optional
        Contract period, ``start`` inclusive and ``end`` exclusive; naive
        values are read as JST. Open when not given.
    capacity_kw : float, optional
        The plant's capacity [kW], > 0. When given, volumes are checked
        against it: ``baseload_kw`` and ``shape_kwh`` here, metered
        generation in :func:`~gxdlib.vppa.settle` and scenario generation in
        :func:`~gxdlib.vppa.simulate`. Energy above capacity x 0.5 h in a
        slot (a capacity factor above 1) is refused with its likely cause;
        energy peaking under 1/1,000 of it is warned about
        (:class:`~gxdlib.errors.GXDWarning`, MWh given as kWh?). See
        :func:`capacity_excess`.

    Raises
    ------
    ValidationError
        Listing every invalid term or combination at once.

    Notes
    -----
    Contracts compare equal when all terms, ``shape_kwh`` included, are equal.

    Examples
    --------
    >>> c = VPPAContract(12.0, "kyushu", floor_jpy_per_kwh=5.0, cap_jpy_per_kwh=20.0)
    >>> float(c.strike_in_year(1))
    12.0
    >>> float(VPPAContract(10.0, escalation_per_year=0.02).strike_in_year(3))
    10.404
    >>> VPPAContract(12.0, "kyushu", share=1.5)
    Traceback (most recent call last):
    ...
    gxdlib.errors.ValidationError: invalid VPPA contract
      - share must satisfy 0 < share <= 1, got 1.5
    """

    strike_jpy_per_kwh: float
    price_index: str = "system"
    volume: Literal["as_produced", "baseload", "shaped"] = "as_produced"
    share: float = 1.0
    baseload_kw: float | None = None
    shape_kwh: pd.Series | None = field(default=None, repr=False)
    floor_jpy_per_kwh: float | None = None
    cap_jpy_per_kwh: float | None = None
    floor_price_slots: Literal["settle", "exclude"] = "settle"
    nfc_price_jpy_per_kwh: float = 0.0
    escalation_per_year: float = 0.0
    start: pd.Timestamp | str | None = None
    end: pd.Timestamp | str | None = None
    capacity_kw: float | None = None

    def __post_init__(self) -> None:
        problems = []
        try:
            object.__setattr__(self, "start", _as_jst(self.start))
            object.__setattr__(self, "end", _as_jst(self.end))
        except (ValueError, TypeError) as exc:
            problems.append(f"start/end must be dates: {exc}")
        problems += self._price_problems() + self._volume_problems()
        if self.floor_price_slots not in FLOOR_PRICE_SLOT_RULES:
            problems.append(
                f"floor_price_slots must be one of {FLOOR_PRICE_SLOT_RULES}, "
                f"got {self.floor_price_slots!r}"
            )
        starts_and_ends = isinstance(self.start, pd.Timestamp) and isinstance(
            self.end, pd.Timestamp
        )
        if starts_and_ends and self.start >= self.end:
            problems.append(f"start {self.start} must be before end {self.end}")
        if problems:
            raise ValidationError("invalid VPPA contract", problems)

    def _price_problems(self) -> list[str]:
        problems = []
        if not _finite(self.strike_jpy_per_kwh) or self.strike_jpy_per_kwh < 0:
            problems.append(
                f"strike_jpy_per_kwh must be a finite number >= 0, got {self.strike_jpy_per_kwh!r}"
            )
        if self.price_index not in PRICE_INDICES:
            problems.append(f"price_index must be one of {PRICE_INDICES}, got {self.price_index!r}")
        for name in ("floor_jpy_per_kwh", "cap_jpy_per_kwh"):
            value = getattr(self, name)
            if value is not None and not _finite(value):
                problems.append(f"{name} must be a finite number or None, got {value!r}")
        floor, cap = self.floor_jpy_per_kwh, self.cap_jpy_per_kwh
        if _finite(floor) and _finite(cap) and floor >= cap:
            problems.append(f"a collar needs floor < cap, got floor {floor} and cap {cap}")
        if not _finite(self.nfc_price_jpy_per_kwh) or self.nfc_price_jpy_per_kwh < 0:
            problems.append(
                "nfc_price_jpy_per_kwh must be a finite number >= 0, "
                f"got {self.nfc_price_jpy_per_kwh!r}"
            )
        escalation = self.escalation_per_year
        if not _finite(escalation) or not -1 < escalation <= MAX_ESCALATION_PER_YEAR:
            problems.append(
                f"escalation_per_year must be a finite fraction per year, -1 < escalation <= "
                f"{MAX_ESCALATION_PER_YEAR:g} (0.02 for 2 %), got {escalation!r}"
                + ("; was it given in percent?" if _finite(escalation) and escalation > 1 else "")
            )
        return problems

    def _volume_problems(self) -> list[str]:
        if self.volume not in VOLUMES:
            return [f"volume must be one of {VOLUMES}, got {self.volume!r}"]
        problems = []
        if not _finite(self.share) or not 0 < self.share <= 1:
            problems.append(f"share must satisfy 0 < share <= 1, got {self.share!r}")
        elif self.volume != "as_produced" and self.share != 1:
            problems.append(
                f"share applies to as_produced volume only; {self.volume} needs share=1"
            )
        if self.volume == "baseload":
            if not _finite(self.baseload_kw) or self.baseload_kw <= 0:
                problems.append(f"baseload volume needs baseload_kw > 0, got {self.baseload_kw!r}")
        elif self.baseload_kw is not None:
            problems.append(f"baseload_kw applies to baseload volume only, not {self.volume}")
        if self.volume == "shaped":
            problems += _shape_problems(self.shape_kwh)
        elif self.shape_kwh is not None:
            problems.append(f"shape_kwh applies to shaped volume only, not {self.volume}")
        if self.capacity_kw is not None:
            problems += self._capacity_problems()
        return problems

    def _capacity_problems(self) -> list[str]:
        if not _finite(self.capacity_kw) or self.capacity_kw <= 0:
            return [f"capacity_kw must be a finite number > 0 or None, got {self.capacity_kw!r}"]
        if self.volume == "baseload" and _finite(self.baseload_kw):
            if self.baseload_kw > self.capacity_kw:
                return [
                    f"baseload_kw {self.baseload_kw:,.6g} exceeds capacity_kw "
                    f"{self.capacity_kw:,.6g}: a capacity factor above 1"
                ]
        if self.volume == "shaped" and not _shape_problems(self.shape_kwh):
            shape = self.shape_kwh
            excess = capacity_excess(
                shape.to_numpy(dtype=float), shape.index, self.capacity_kw, "shape_kwh"
            )
            return [excess] if excess else []
        return []

    def strike_in_year(self, contract_year: int | np.ndarray) -> float | np.ndarray:
        """Strike in force in contract year(s) numbered from 1 [JPY/kWh], escalation compounded."""
        return self.strike_jpy_per_kwh * (1.0 + self.escalation_per_year) ** (
            np.asarray(contract_year) - 1
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VPPAContract):
            return NotImplemented
        return self._key() == other._key() and _same_shape(self.shape_kwh, other.shape_kwh)

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple:
        return (
            self.strike_jpy_per_kwh,
            self.price_index,
            self.volume,
            self.share,
            self.baseload_kw,
            self.floor_jpy_per_kwh,
            self.cap_jpy_per_kwh,
            self.floor_price_slots,
            self.nfc_price_jpy_per_kwh,
            self.escalation_per_year,
            self.start,
            self.end,
            self.capacity_kw,
        )


def _same_shape(a: pd.Series | None, b: pd.Series | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.equals(b)


def _shape_problems(shape_kwh: object) -> list[str]:
    if not isinstance(shape_kwh, pd.Series):
        return [f"shaped volume needs shape_kwh, a pandas Series, got {type(shape_kwh).__name__}"]
    try:
        index = require_tz_index(shape_kwh.index, "shape_kwh (30-minute slot starts)")
        values = numeric_values(shape_kwh, "shape_kwh", "kWh")
    except ValidationError as exc:
        return [str(exc)]
    problems = []
    if index.has_duplicates:
        problems.append(
            f"shape_kwh has duplicate slots, first {first_labels(index, index.duplicated())}"
        )
    for label, bad in (
        ("missing (NaN)", np.isnan(values)),
        ("infinite", np.isinf(values)),
        ("negative", values < 0),
    ):
        if bad.any():
            problems.append(f"shape_kwh is {label} at {first_labels(index, bad)}")
    off_slot = index.as_unit("ns").asi8 % SLOT.value != 0
    if off_slot.any():
        problems.append(
            f"shape_kwh is not on 30-minute slot starts at {first_labels(index, off_slot)}"
        )
    return problems

"""The terms of a virtual PPA: a contract for differences on a plant's output.

A Japanese virtual PPA is typically the purchase of one plant's non-FIT,
renewable-designated non-fossil certificates together with a contract for
differences on the JEPX price (Orrick, Japan Renewables Alert 60, November
2022). :class:`VPPAContract` holds the commercial terms; :mod:`.settlement`
applies them to a price and generation series.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from gxdlib.areas import PRICE_INDICES
from gxdlib.errors import ValidationError
from gxdlib.timeseries import SLOT, TZ

VOLUMES: tuple[str, ...] = ("as_produced", "baseload", "shaped")
"""Volume forms: a share of metered output, a flat kW block, or a fixed profile."""

FLOOR_PRICE_SLOT_RULES: tuple[str, ...] = ("settle", "exclude")
"""What happens in slots where the index sits at the JEPX floor of 0.01 JPY/kWh."""


def _as_jst(value: str | pd.Timestamp | None) -> pd.Timestamp | None:
    """A contract date as a JST timestamp; naive dates are read as JST."""
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    return stamp.tz_localize(TZ) if stamp.tz is None else stamp.tz_convert(TZ)


def _finite(value: float | None) -> bool:
    return value is not None and isinstance(value, int | float) and math.isfinite(value)


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
        Strike escalation per contract year, compounded: contract year n
        (numbered from 1) has strike ``K * (1 + escalation_per_year) ** (n - 1)``;
        > -1. Contract years count from ``start``.
    start, end : str or pandas.Timestamp, optional
        Contract period, ``start`` inclusive and ``end`` exclusive; naive
        values are read as JST. Open when not given.

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
        if not _finite(self.escalation_per_year) or self.escalation_per_year <= -1:
            problems.append(
                "escalation_per_year must be a finite number > -1, "
                f"got {self.escalation_per_year!r}"
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
        return problems

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
        )


def _same_shape(a: pd.Series | None, b: pd.Series | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.equals(b)


def _shape_problems(shape_kwh: object) -> list[str]:
    if not isinstance(shape_kwh, pd.Series):
        return [f"shaped volume needs shape_kwh, a pandas Series, got {type(shape_kwh).__name__}"]
    index = shape_kwh.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        return ["shape_kwh needs a tz-aware DatetimeIndex of 30-minute slot starts"]
    problems = []
    if index.has_duplicates:
        problems.append(
            f"shape_kwh has duplicate slots, first {index[index.duplicated()][:3].tolist()}"
        )
    values = shape_kwh.to_numpy(dtype=float)
    for label, bad in (("missing (NaN)", np.isnan(values)), ("negative", values < 0)):
        if bad.any():
            problems.append(f"shape_kwh is {label} at {index[bad][:3].tolist()}")
    off_slot = index.as_unit("ns").asi8 % SLOT.value != 0
    if off_slot.any():
        problems.append(
            f"shape_kwh is not on 30-minute slot starts at {index[off_slot][:3].tolist()}"
        )
    return problems

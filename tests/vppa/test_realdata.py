"""Acceptance on real data: Kyushu FY2022 area solar settled on the Kyushu area price.

The expected figures are computed here from the raw CSV files with the csv
module and plain numpy, independently of gxdlib's readers and engine.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gxdlib.io.jepx import read_jepx_spot
from gxdlib.io.tso import read_tso_actuals
from gxdlib.timeseries import to_slots
from gxdlib.vppa import VPPAContract, settle

pytestmark = pytest.mark.realdata

STRIKE = 12.0
TSO_FILES = [f"area_jyukyu_jisseki_2022_{q}Q.csv" for q in (1, 2, 3, 4)]


def kyushu_price_by_hand(path: Path) -> dict[datetime, float]:
    """Slot start (naive JST) -> Kyushu area price, from the JEPX summary."""
    prices = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        column = next(i for i, name in enumerate(header) if "九州" in name)
        for row in rows:
            day = datetime.strptime(row[0], "%Y/%m/%d")
            prices[day + timedelta(minutes=30 * (int(row[1]) - 1))] = float(row[column])
    return prices


def kyushu_solar_by_hand(folder: Path) -> dict[datetime, float]:
    """Slot start (naive JST) -> area solar [kWh], half of each hour's MWh."""
    solar = {}
    for name in TSO_FILES:
        with (folder / name).open(encoding="shift_jis", newline="") as handle:
            rows = list(csv.reader(handle))
        header = rows[1]
        column = next(i for i, name in enumerate(header) if name.startswith("実績"))  # first: solar
        for row in rows[2:]:
            if not row or not row[0].strip():
                continue
            hour = datetime.strptime(row[0], "%Y/%m/%d %H:%M")
            kwh = float(row[column]) * 1000 / 2
            solar[hour] = kwh
            solar[hour + timedelta(minutes=30)] = kwh
    return solar


def test_kyushu_fy2022_solar_vppa_matches_an_independent_computation(data_dir):
    spot_file = data_dir / "jepx" / "spot_summary_2022.csv"
    tso_folder = data_dir / "tso" / "kyushu"
    price_by_slot = kyushu_price_by_hand(spot_file)
    solar_by_slot = kyushu_solar_by_hand(tso_folder)
    assert len(solar_by_slot) == 17520
    slots = sorted(solar_by_slot)
    price = np.array([price_by_slot[t] for t in slots])
    solar = np.array([solar_by_slot[t] for t in slots])
    capture = (price * solar).sum() / solar.sum()
    expected_rate = capture / price.mean()
    expected_per_kwh = ((price - STRIKE) * solar).sum() / solar.sum()

    actuals = read_tso_actuals([tso_folder / name for name in TSO_FILES], "kyushu")
    generation_kwh = to_slots(actuals["solar_mwh"]) * 1000.0
    prices = read_jepx_spot(spot_file)
    result = settle(VPPAContract(STRIKE, "kyushu"), generation_kwh, prices)

    assert len(result.intervals) == 17520
    assert result.capture_price == pytest.approx(capture, rel=1e-9)
    assert result.capture_rate == pytest.approx(expected_rate, rel=1e-9)
    assert result.mean_settlement_jpy_per_kwh == pytest.approx(expected_per_kwh, rel=1e-9)
    assert abs(result.monthly["settlement_jpy"].sum() - result.total_jpy) < 1.0
    assert list(result.annual.index) == [2022]
    # solar in Kyushu earns well below the time-weighted mean price
    assert 0.5 < result.capture_rate < 0.95
    assert pd.Timestamp(slots[0], tz="Asia/Tokyo") == result.intervals.index[0]

"""fip_premium and the official reference formula: hand-worked years, 0.01 slots, real Kyushu."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from gxdlib.errors import ValidationError
from gxdlib.io.jepx import read_jepx_fip_reference
from gxdlib.io.tso import read_tso_actuals
from gxdlib.timeseries import TZ, to_slots
from gxdlib.vppa import fip_premium
from gxdlib.vppa.fip import market_reference

# FY2022 in full, then April and May 2023
SLOTS = pd.date_range("2022-04-01", "2023-06-01", freq="30min", inclusive="left", tz=TZ)
DAYTIME = (SLOTS.hour >= 10) & (SLOTS.hour < 14)  # 8 slots a day, 10:00-13:30
FY2023 = SLOTS >= pd.Timestamp("2023-04-01", tz=TZ)


def _in_month(month: str) -> np.ndarray:
    start = pd.Timestamp(f"{month}-01", tz=TZ)
    return (SLOTS >= start) & (SLOTS < start + pd.DateOffset(months=1))


def _daytime_prices() -> pd.Series:
    """Daytime 6 in April 2022, 8 in May 2022, 10 in the rest of FY2022, 4 in April 2023,
    12 in May 2023; 20 at night throughout."""
    day = np.select(
        [_in_month("2022-04"), _in_month("2022-05"), _in_month("2023-04"), _in_month("2023-05")],
        [6.0, 8.0, 4.0, 12.0],
        10.0,
    )
    return pd.Series(np.where(DAYTIME, day, 20.0), index=SLOTS)


# the area's solar: 1 kWh in every daytime slot of FY2022, 2 in FY2023 (a fleet doubled)
SOLAR = pd.Series(np.where(DAYTIME, np.where(FY2023, 2.0, 1.0), 0.0), index=SLOTS)
# solar-weighted FY2022 mean: (30 days x 6 + 31 x 8 + 304 x 10) / 365
FY2022_SOLAR_MEAN = (30 * 6 + 31 * 8 + 304 * 10) / 365
APRIL_2023, MAY_2023 = FY2022_SOLAR_MEAN + (4 - 6), FY2022_SOLAR_MEAN + (12 - 8)


def test_official_formula_by_hand_with_solar_weights():
    months = pd.DatetimeIndex(["2023-04-15", "2023-05-01"], tz=TZ)
    out = market_reference(_daytime_prices(), months, SOLAR)
    np.testing.assert_allclose(out["previous_year_mean_jpy_per_kwh"], [FY2022_SOLAR_MEAN] * 2)
    np.testing.assert_allclose(out["month_mean_jpy_per_kwh"], [4.0, 12.0])
    np.testing.assert_allclose(out["previous_year_month_mean_jpy_per_kwh"], [6.0, 8.0])
    np.testing.assert_allclose(out["market_reference_jpy_per_kwh"], [APRIL_2023, MAY_2023])
    assert list(out.index) == list(pd.DatetimeIndex(["2023-04-01", "2023-05-01"], tz=TZ))


def test_official_formula_time_weighted_counts_the_night():
    out = market_reference(_daytime_prices(), pd.DatetimeIndex(["2023-04-01"], tz=TZ))
    # every slot alike: 8 daytime slots of 48 a day, 40 at 20 JPY/kWh
    year = (8 * FY2022_SOLAR_MEAN + 40 * 20) / 48
    assert out["market_reference_jpy_per_kwh"].iloc[0] == pytest.approx(year + 8 / 48 * (4 - 6))


def _spot_with_floor() -> pd.Series:
    """The market prices, but the spot price sits at 0.01 in the daytime of 1-5 May 2023."""
    floor = DAYTIME & (SLOTS >= pd.Timestamp("2023-05-01", tz=TZ)) & (SLOTS.day <= 5) & FY2023
    return _daytime_prices().where(~floor, 0.01)


def test_premium_from_jepx_values_and_the_0_01_slots():
    sold = SLOTS[FY2023]
    generation = pd.Series(np.where(DAYTIME[FY2023], 100.0, 0.0), index=sold)
    out = fip_premium(
        generation,
        _spot_with_floor(),
        base_price_jpy_per_kwh=15.0,
        balancing_cost_jpy_per_kwh=1.0,
        non_fossil_value_jpy_per_kwh=0.5,
        jepx_reference=_daytime_prices(),
        weights_kwh=SOLAR,
    )
    assert out["reference_source"].tolist() == ["jepx", "jepx"]
    np.testing.assert_allclose(out["market_reference_jpy_per_kwh"], [APRIL_2023, MAY_2023])
    reference = np.array([APRIL_2023, MAY_2023]) + 0.5 - 1.0
    np.testing.assert_allclose(out["reference_price_jpy_per_kwh"], reference)
    np.testing.assert_allclose(out["premium_jpy_per_kwh"], 15.0 - reference)
    # April: 30 days x 8 slots x 100 kWh; May: the 5 days at 0.01 earn nothing
    assert out["floor_slots"].tolist() == [0, 40]
    np.testing.assert_allclose(out["generation_kwh"], [24_000.0, 24_800.0])
    np.testing.assert_allclose(out["eligible_kwh"], [24_000.0, 20_800.0])
    np.testing.assert_allclose(out["premium_jpy"], (15.0 - reference) * [24_000.0, 20_800.0])


def test_a_month_sold_only_in_0_01_slots_earns_nothing_and_spot_alone_is_labelled_computed():
    sold = SLOTS[FY2023]
    at_floor_only = DAYTIME[FY2023] & (sold >= pd.Timestamp("2023-05-01", tz=TZ)) & (sold.day <= 5)
    generation = pd.Series(np.where(at_floor_only | (sold.month == 4), 100.0, 0.0), index=sold)
    spot = _spot_with_floor()
    out = fip_premium(generation, spot, 15.0, 1.0, weights_kwh=SOLAR)
    assert out["reference_source"].tolist() == ["computed", "computed"]
    # the spot fallback sees the 0.01 slots in its May mean: (26 x 12 + 5 x 0.01) / 31
    may_mean = (26 * 12 + 5 * 0.01) / 31
    np.testing.assert_allclose(
        out["market_reference_jpy_per_kwh"], [APRIL_2023, FY2022_SOLAR_MEAN + may_mean - 8]
    )
    premium = 15.0 - (out["market_reference_jpy_per_kwh"] - 1.0)
    np.testing.assert_allclose(out["premium_jpy_per_kwh"], premium)
    # April has every slot eligible (midnight slots sell too, at 100 kWh each)
    assert out["eligible_kwh"].iloc[0] == 30 * 48 * 100.0
    assert out["premium_jpy"].iloc[0] == pytest.approx(premium.iloc[0] * 30 * 48 * 100.0)
    assert out["eligible_kwh"].iloc[1] == 0.0
    assert out["premium_jpy"].iloc[1] == 0.0
    assert out["premium_jpy_per_kwh"].iloc[1] > 0  # the month's rate stands; nothing earns it


def test_official_monthly_values_are_used_as_given():
    sold = SLOTS[_in_month("2023-05")]
    generation = pd.Series(100.0, index=sold)
    official = pd.Series([9.0], index=pd.DatetimeIndex(["2023-05-20"], tz=TZ))
    out = fip_premium(generation, _spot_with_floor(), 12.0, 1.0, official_reference=official)
    assert out["reference_source"].iloc[0] == "official"
    eligible = 100.0 * (len(sold) - 40)
    assert out["premium_jpy"].iloc[0] == pytest.approx((12 - 8) * eligible)
    with pytest.raises(ValidationError, match="lacks a finite value for month"):
        fip_premium(
            pd.Series(1.0, index=SLOTS[FY2023]),
            _spot_with_floor(),
            12.0,
            1.0,
            official_reference=official,
        )
    with_official = functools.partial(
        fip_premium, generation, _spot_with_floor(), 12.0, 1.0, official_reference=official
    )
    with pytest.raises(ValidationError, match="not both"):
        with_official(jepx_reference=_daytime_prices())
    with pytest.raises(ValidationError, match="weighted already"):
        with_official(weights_kwh=SOLAR)


def test_the_formula_refuses_a_missing_previous_year_and_bad_inputs():
    sold = SLOTS[_in_month("2023-05")]
    generation = pd.Series(100.0, index=sold)
    only_this_year = _daytime_prices()[FY2023]
    with pytest.raises(ValidationError, match="previous fiscal year.*first at 2022-04-01 00:00"):
        fip_premium(generation, only_this_year, 12.0, 1.0)
    with pytest.raises(ValidationError, match="weights_kwh: expected finite values >= 0"):
        fip_premium(generation, _spot_with_floor(), 12.0, 1.0, weights_kwh=SOLAR * -1.0)
    with pytest.raises(ValidationError, match="sum to zero in month"):
        fip_premium(
            generation,
            _spot_with_floor(),
            12.0,
            1.0,
            weights_kwh=SOLAR.where(~_in_month("2022-05"), 0.0),
        )
    with pytest.raises(ValidationError, match="base_price_jpy_per_kwh must be a finite"):
        fip_premium(generation, _spot_with_floor(), np.inf, 1.0)


def _csv_rows(path, column):
    """(slot start, value) from a JEPX file, read with the csv module."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            day = dt.datetime.strptime(row.get("年月日") or row["受渡日"], "%Y/%m/%d")
            start = day + dt.timedelta(minutes=30 * (int(row["時刻コード"]) - 1))
            yield pd.Timestamp(start, tz=TZ), float(row[column])


def test_real_fy2023_kyushu_solar_reference_and_premium(jepx_dir, tso_dir):
    files = sorted(
        path
        for year in (2022, 2023)
        for path in (tso_dir / "kyushu").glob(f"area_jyukyu_jisseki_{year}_*Q.csv")
    )
    solar_kwh = to_slots(read_tso_actuals(files, "kyushu")["solar_mwh"]) * 1000.0
    fip_files = [jepx_dir / f"fit_fip_{year}.csv" for year in (2022, 2023)]
    jepx = read_jepx_fip_reference(fip_files)["fip_reference_kyushu"]
    # April-December 2023: the TSO files end in December 2023
    months = pd.date_range("2023-04-01", "2023-12-01", freq="MS", tz=TZ)
    out = market_reference(jepx, months, solar_kwh, what="jepx_reference")

    # the same by hand: the csv module, sums per fiscal year and per month
    weighted, weight = defaultdict(float), defaultdict(float)
    column = "FIP参照価格(卸電力取引市場分)九州(円/kWh)"
    for path in fip_files:
        for start, price in _csv_rows(path, column):
            if start not in solar_kwh.index:
                continue  # January-March 2024: no TSO file
            w = float(solar_kwh[start])
            fiscal = start.year - (start.month < 4)
            for key in (("fy", fiscal), ("month", start.year, start.month)):
                weighted[key] += price * w
                weight[key] += w
    mean = {key: weighted[key] / weight[key] for key in weight}
    expected = [
        mean["fy", 2022] + mean["month", 2023, m] - mean["month", 2022, m] for m in range(4, 13)
    ]
    np.testing.assert_allclose(out["market_reference_jpy_per_kwh"], expected, rtol=1e-12)

    # a plant shaped like the area: no premium in the slots of a 0.01 spot price
    sold = solar_kwh[months[0] : pd.Timestamp("2023-12-31 23:30", tz=TZ)] / 1e3
    spot = dict(_csv_rows(jepx_dir / "spot_summary_2023.csv", "エリアプライス九州(円/kWh)"))
    spot_series = pd.Series(spot).sort_index()
    premium = fip_premium(sold, spot_series, 9.5, 0.95, jepx_reference=jepx, weights_kwh=solar_kwh)
    eligible = defaultdict(float)
    for start, kwh in sold.items():
        if spot[start] > 0.01:
            eligible[start.month] += kwh
    np.testing.assert_allclose(premium["eligible_kwh"], [eligible[m] for m in range(4, 13)])
    np.testing.assert_allclose(
        premium["premium_jpy"],
        np.maximum(9.5 - (np.array(expected) - 0.95), 0.0) * [eligible[m] for m in range(4, 13)],
    )
    assert (premium["floor_slots"] > 0).sum() >= 6  # spring and autumn months of Kyushu

"""Price statistics on a hand-made two-day frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gxdlib.areas import AREAS
from gxdlib.prices import fiscal_year_statistics, monthly_mean_prices, price_summary
from gxdlib.timeseries import slot_index


@pytest.fixture
def two_days_across_fiscal_years() -> pd.DataFrame:
    index = slot_index("2023-03-31", "2023-04-02")  # last day of FY2022, first of FY2023
    system = np.r_[np.full(48, 10.0), np.full(48, 20.0)]
    system[:3] = 0.01
    frame = pd.DataFrame({"system": system}, index=index)
    for area in AREAS:
        frame[area] = system
    frame["kyushu"] = system - 2.0
    frame.loc[frame.index[50:52], "kyushu"] = 0.01
    return frame


def test_fiscal_year_statistics_by_hand(two_days_across_fiscal_years: pd.DataFrame) -> None:
    table = fiscal_year_statistics(two_days_across_fiscal_years)
    assert table.index.tolist() == [2022, 2023]
    assert table.loc[2022, "mean_system_jpy_per_kwh"] == pytest.approx((45 * 10 + 3 * 0.01) / 48)
    assert table.loc[2022, "system_floor_slots"] == 3
    assert table.loc[2023, "kyushu_floor_slots"] == 2
    # Kyushu is 2 below the system price except two slots at 0.01 in FY2023 (20 -> 0.01).
    assert table.loc[2023, "spread_kyushu_jpy_per_kwh"] == pytest.approx(
        (46 * -2 + 2 * -19.99) / 48
    )
    assert table.loc[2022, "spread_tokyo_jpy_per_kwh"] == 0


def test_monthly_means_and_summary(two_days_across_fiscal_years: pd.DataFrame) -> None:
    monthly = monthly_mean_prices(two_days_across_fiscal_years)
    assert monthly["month"].tolist() == ["2023-03", "2023-04"]
    assert monthly["system"].iloc[1] == 20.0
    summary = price_summary(two_days_across_fiscal_years["system"])
    assert summary["floor_slots"] == 3 and summary["slots"] == 96
    assert summary["max_jpy_per_kwh"] == 20.0

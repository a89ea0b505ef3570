"""fip_premium on hand-worked slots: the monthly rule, 0.01 slots, weights, zero floor."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gxdlib.errors import ValidationError
from gxdlib.timeseries import TZ
from gxdlib.vppa import fip_premium

# two slots on 30 April, two on 1 May
SLOTS = pd.DatetimeIndex(
    ["2022-04-30 12:00", "2022-04-30 12:30", "2022-05-01 12:00", "2022-05-01 12:30"], tz=TZ
)
GEN = pd.Series([100.0, 200.0, 50.0, 50.0], index=SLOTS)
REFERENCE = pd.Series([10.0, 6.0, 0.01, 9.0], index=SLOTS)


def test_monthly_premium_by_hand():
    # contiguous slots needed: fill the night between with zero output
    slots = pd.date_range(SLOTS[0], SLOTS[-1], freq="30min")
    gen = GEN.reindex(slots, fill_value=0.0)
    reference = REFERENCE.reindex(slots, fill_value=5.0)
    out = fip_premium(
        gen,
        reference,
        base_price_jpy_per_kwh=12.0,
        balancing_cost_jpy_per_kwh=1.0,
        non_fossil_value_jpy_per_kwh=0.5,
        weights_kwh=gen,
    )
    # April: output-weighted market reference (10*100 + 6*200) / 300; no 0.01 slot
    april = (1000 + 1200) / 300
    # May: (0.01*50 + 9*50) / 100; the 0.01 slot earns no premium
    may = (0.5 + 450) / 100
    np.testing.assert_allclose(out["market_reference_jpy_per_kwh"], [april, may])
    np.testing.assert_allclose(out["reference_price_jpy_per_kwh"], [april - 0.5, may - 0.5])
    np.testing.assert_allclose(out["premium_jpy_per_kwh"], [12 - april + 0.5, 12 - may + 0.5])
    np.testing.assert_allclose(out["eligible_kwh"], [300.0, 50.0])
    assert out["floor_slots"].tolist() == [0, 1]
    np.testing.assert_allclose(out["premium_jpy"], [(12.5 - april) * 300, (12.5 - may) * 50])
    assert list(out.index) == [pd.Timestamp("2022-04-01", tz=TZ), pd.Timestamp("2022-05-01", tz=TZ)]


def test_spot_prices_decide_the_floor_slots_and_premium_is_never_negative():
    slots = SLOTS[:2]
    out = fip_premium(
        GEN.iloc[:2],
        REFERENCE.iloc[:2],
        base_price_jpy_per_kwh=7.0,
        balancing_cost_jpy_per_kwh=0.0,
        spot_prices=pd.Series([0.01, 7.0], index=slots),
    )
    # time-weighted reference 8 > base 7: no premium, nothing reclaimed
    assert out["premium_jpy_per_kwh"].iloc[0] == 0.0
    assert out["premium_jpy"].iloc[0] == 0.0
    assert out["eligible_kwh"].iloc[0] == 200.0


def test_monthly_reference_values_are_used_as_given():
    monthly = pd.Series([9.0], index=pd.DatetimeIndex(["2022-04-01"], tz=TZ))
    out = fip_premium(
        GEN.iloc[:2],
        monthly,
        base_price_jpy_per_kwh=12.0,
        balancing_cost_jpy_per_kwh=1.0,
        spot_prices=REFERENCE.iloc[:2],
    )
    assert out["premium_jpy"].iloc[0] == pytest.approx((12 - 8) * 300)
    with pytest.raises(ValidationError, match="spot_prices"):
        fip_premium(GEN.iloc[:2], monthly, 12.0, 1.0)
    with pytest.raises(ValidationError, match="months"):
        fip_premium(GEN.iloc[2:], monthly, 12.0, 1.0, spot_prices=REFERENCE.iloc[2:])

"""Site inputs: their columns and the grid signal they carry, without real data."""

from __future__ import annotations

import pytest

from gxdlib import sample
from gxdlib.sites import (
    INPUT_COLUMNS,
    NATIONAL_CFE_SHARE_FY2023,
    SITE_PRESETS,
    hourly_site_inputs,
)


def test_inputs_have_the_documented_columns_and_the_national_fallback(monkeypatch):
    """Without GXD_DATA_DIR the Kyushu factory falls back to the national share, and says so."""
    monkeypatch.delenv("GXD_DATA_DIR", raising=False)
    frame = hourly_site_inputs(SITE_PRESETS["kyushu_factory"], sample.prices(2022), 2022)
    assert tuple(frame.columns) == INPUT_COLUMNS
    assert len(frame) == 8760
    assert (frame["grid_cfe_share"] == NATIONAL_CFE_SHARE_FY2023).all()
    assert frame["grid_kgco2e_per_kwh"].nunique() == 1
    assert "national carbon-free share 31.4%" in frame.attrs["grid_source"]
    assert "no TSO area actuals of FY2022" in frame.attrs["grid_source"]


def test_the_real_kyushu_year_gives_an_hourly_signal(data_dir, monkeypatch):
    monkeypatch.setenv("GXD_DATA_DIR", str(data_dir))
    frame = hourly_site_inputs(SITE_PRESETS["kyushu_factory"], sample.prices(2022), 2022)
    assert frame["grid_cfe_share"].nunique() > 1000
    assert frame["grid_cfe_share"].between(0, 1).all()
    assert frame.attrs["grid_source"].startswith("kyushu TSO area actuals, FY2022")
    # FY2023's files end in December: the partial year is not taken for a year.
    partial = hourly_site_inputs(SITE_PRESETS["kyushu_factory"], sample.prices(2023), 2023)
    assert partial["grid_cfe_share"].nunique() == 1
    assert "cover 2023-04 to 2023-12 only" in partial.attrs["grid_source"]
    assert partial["grid_cfe_share"].iloc[0] == pytest.approx(NATIONAL_CFE_SHARE_FY2023)

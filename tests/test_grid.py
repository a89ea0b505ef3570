"""The hourly area grid signal and the published emission factors.

Independent figures: the carbon-free share is recomputed from the raw
Shift-JIS files with ``bytes.decode`` and the ``csv`` module over column
positions read off the published headers; intensities are worked by hand.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gxdlib import grid
from gxdlib.areas import AREAS as JEPX_AREAS
from gxdlib.catalog import open_catalog
from gxdlib.errors import IncompleteYearError, MissingDataError, ValidationError
from gxdlib.grid import (
    DEFAULT_THERMAL_MIX,
    SIGNAL_COLUMNS,
    ThermalMix,
    area_signal,
    emission_factors,
    signal_from_actuals,
)
from gxdlib.io.tso import TSO_COLUMNS
from gxdlib.timeseries import TZ

# Header positions of the sources, read off the published files.
KYUSHU_POSITIONS = {
    "nuclear": 2,
    "thermal": 3,
    "hydro": 4,
    "geothermal": 5,
    "biomass": 6,
    "solar": 7,
    "wind": 9,
}
TOHOKU_POSITIONS = {
    "hydro": 2,
    "thermal": 3,
    "nuclear": 4,
    "solar": 5,
    "wind": 7,
    "geothermal": 9,
    "biomass": 10,
}
YEAR_FILES = {
    ("kyushu", 2022): (
        KYUSHU_POSITIONS,
        [f"kyushu/area_jyukyu_jisseki_2022_{q}Q.csv" for q in range(1, 5)],
    ),
    ("tohoku", 2021): (
        TOHOKU_POSITIONS,
        [f"tohoku/juyo_2021_tohoku_{q}Q.txt" for q in range(1, 5)],
    ),
}


def independent_cfe_share(tso_dir: Path, area: str, year: int) -> dict[pd.Timestamp, float]:
    positions, names = YEAR_FILES[area, year]
    shares = {}
    for name in names:
        text = (tso_dir / name).read_bytes().decode("cp932")
        for row in csv.reader(io.StringIO(text)):
            if not row or not row[0][:1].isdigit():
                continue
            mwh = {source: float(row[k].replace(",", "")) for source, k in positions.items()}
            generation = sum(mwh.values())
            hour = pd.Timestamp(" ".join(row[0].split()).replace("/", "-"), tz=TZ)
            shares[hour] = (generation - mwh["thermal"]) / generation
    return shares


@pytest.fixture
def real_data_env(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GXD_DATA_DIR", str(data_dir))
    return data_dir


@pytest.mark.realdata
@pytest.mark.parametrize(("area", "year"), sorted(YEAR_FILES))
def test_cfe_share_equals_an_independent_sum_of_the_files(
    real_data_env: Path, area: str, year: int
) -> None:
    expected = independent_cfe_share(real_data_env / "tso", area, year)
    signal = area_signal(area, year)

    assert len(signal) == len(expected) == 8760
    assert list(signal.columns) == list(SIGNAL_COLUMNS)
    assert str(signal.index.tz) == TZ
    assert signal.attrs["coverage"] == f"FY{year} (Apr {year}-Mar {year + 1})"
    wanted = np.array([expected[hour] for hour in signal.index])
    np.testing.assert_allclose(signal["cfe_share"].to_numpy(), wanted, rtol=0, atol=1e-12)


@pytest.mark.realdata
def test_fy2023_is_refused_as_partial_unless_asked(real_data_env: Path) -> None:
    with pytest.raises(
        IncompleteYearError, match=r"Apr-Dec 2023 only \(9 of 12 months\)"
    ) as caught:
        area_signal("kyushu", 2023)
    assert caught.value.months == tuple(f"2023-{m:02d}" for m in range(4, 13))
    signal = area_signal("kyushu", 2023, partial=True)
    assert signal.attrs["partial"] is True
    assert signal.attrs["coverage"] == "FY2023, Apr-Dec 2023 only (9 of 12 months)"
    assert signal.attrs["area"] == "kyushu"
    assert signal.index[-1] == pd.Timestamp("2023-12-31 23:00", tz=TZ)


@pytest.mark.realdata
def test_given_actuals_give_the_same_signal(real_data_env: Path) -> None:
    actuals = open_catalog()(area="tohoku", fiscal_year=2021).tso_actuals.read()
    pd.testing.assert_frame_equal(
        area_signal("tohoku", 2021, actuals=actuals), area_signal("tohoku", 2021)
    )


def test_without_data_the_files_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GXD_DATA_DIR", str(tmp_path))
    with pytest.raises(MissingDataError, match="kyushu"):
        area_signal("kyushu", 2022)


# --------------------------------------------------------------------------- tiny cases


def hours_frame(rows: list[dict[str, float]], start: str = "2022-04-01") -> pd.DataFrame:
    index = pd.date_range(start, periods=len(rows), freq="h", tz=TZ, name="hour_start")
    frame = pd.DataFrame(0.0, index=index, columns=list(TSO_COLUMNS))
    for k, row in enumerate(rows):
        for column, value in row.items():
            frame.iloc[k, TSO_COLUMNS.index(column)] = value
    return frame


HALF_COAL_HALF_LNG = ThermalMix(coal=0.5, lng=0.5, oil=0.0, source="test mix")


def test_intensity_by_hand() -> None:
    frame = hours_frame(
        [
            # 400 thermal at (820 + 490) / 2 = 655, 100 hydro at 24, 500 solar at 48.
            {"thermal_mwh": 400, "hydro_mwh": 100, "solar_mwh": 500},
            # Pumping, exports, curtailment and demand leave the signal alone.
            {
                "thermal_mwh": 400,
                "hydro_mwh": 100,
                "solar_mwh": 500,
                "solar_curtailed_mwh": 300,
                "pumped_storage_mwh": -200,
                "interconnector_mwh": -700,
                "demand_mwh": 100,
            },
            # Discharge and imports too; geothermal 38, biomass 230, nuclear 12, wind 11.
            {
                "geothermal_mwh": 10,
                "biomass_mwh": 10,
                "nuclear_mwh": 70,
                "wind_mwh": 10,
                "pumped_storage_mwh": 50,
                "interconnector_mwh": 900,
            },
        ]
    )
    signal = signal_from_actuals(frame, thermal_mix=HALF_COAL_HALF_LNG)

    first = (400 * 655 + 100 * 24 + 500 * 48) / 1000  # 288.4
    third = (10 * 38 + 10 * 230 + 70 * 12 + 10 * 11) / 100  # 36.3
    np.testing.assert_allclose(signal["gco2_per_kwh"], [first, first, third], rtol=1e-15)
    np.testing.assert_allclose(signal["cfe_share"], [0.6, 0.6, 1.0], rtol=1e-15)
    np.testing.assert_allclose(signal["generation_mwh"], [1000, 1000, 100])
    np.testing.assert_allclose(signal["emissions_kgco2e"], [288_400, 288_400, 3_630])
    assert signal["pumped_storage_mwh"].tolist() == [0, -200, 50]
    assert signal["interconnector_mwh"].tolist() == [0, -700, 900]
    assert signal.attrs["thermal_mix"] == "test mix"


def test_default_thermal_mix_by_hand() -> None:
    # FEPC FY2014: coal 31.0 %, LNG 46.2 %, oil 10.6 % of generation (87.8 % thermal).
    expected = (31.0 * 820 + 46.2 * 490 + 10.6 * 650) / 87.8
    assert DEFAULT_THERMAL_MIX.gco2_per_kwh == pytest.approx(expected, rel=1e-12)
    assert DEFAULT_THERMAL_MIX.coal + DEFAULT_THERMAL_MIX.lng + DEFAULT_THERMAL_MIX.oil == (
        pytest.approx(1.0, abs=1e-15)
    )
    signal = signal_from_actuals(hours_frame([{"thermal_mwh": 1}]))
    assert signal["gco2_per_kwh"].iloc[0] == pytest.approx(expected, rel=1e-12)


def test_area_signal_with_own_actuals_states_coverage() -> None:
    day = hours_frame([{"thermal_mwh": 10, "wind_mwh": 30}] * 24)
    with pytest.raises(IncompleteYearError, match=r"FY2022, Apr 2022 only \(1 of 12"):
        area_signal("kyushu", 2022, actuals=day)
    signal = area_signal("kyushu", 2022, actuals=day, partial=True, thermal_mix=HALF_COAL_HALF_LNG)
    assert signal.attrs["months"] == ["2022-04"] and signal.attrs["partial"] is True
    assert signal["cfe_share"].eq(0.75).all()
    assert signal["gco2_per_kwh"].iloc[0] == pytest.approx((10 * 655 + 30 * 11) / 40)
    with pytest.raises(ValidationError, match="outside FY2021"):
        area_signal("kyushu", 2021, actuals=day, partial=True)


@pytest.mark.parametrize(
    ("row", "pattern"),
    [
        ({"thermal_mwh": -1, "solar_mwh": 5}, "thermal_mwh = -1 MWh.*cannot be negative"),
        ({"pumped_storage_mwh": 100}, "no generation at 2022-04-01 00:00"),
        ({"thermal_mwh": np.inf}, "thermal_mwh is not finite"),
        ({"hydro_mwh": np.nan, "thermal_mwh": 1}, "hydro_mwh is not finite"),
    ],
)
def test_bad_actuals_are_refused(row: dict[str, float], pattern: str) -> None:
    with pytest.raises(ValidationError, match=pattern):
        signal_from_actuals(hours_frame([row]))


def test_actuals_need_columns_and_a_tz_aware_index() -> None:
    frame = hours_frame([{"thermal_mwh": 1}])
    with pytest.raises(ValidationError, match=r"missing columns \['wind_mwh'\]"):
        signal_from_actuals(frame.drop(columns="wind_mwh"))
    with pytest.raises(ValidationError, match="tz-aware"):
        signal_from_actuals(frame.tz_localize(None))


def test_thermal_mix_must_be_shares() -> None:
    with pytest.raises(ValidationError, match="summing to 1"):
        ThermalMix(coal=0.5, lng=0.6, oil=0.0, source="x")
    with pytest.raises(ValidationError, match="non-negative"):
        ThermalMix(coal=1.5, lng=-0.5, oil=0.0, source="x")


# --------------------------------------------------------------------------- emission factors


def packaged_table() -> list[dict[str, str]]:
    path = Path(grid.__file__).parent / "data" / "emission_factors.csv"
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_emission_factors_of_a_year_are_the_table_rows() -> None:
    rows = [r for r in packaged_table() if r["fiscal_year_of_results"] == "2013"]
    frame = emission_factors(2013)
    assert len(frame) == len(rows) == 10
    assert frame["area"].tolist() == [r["area"] for r in rows]
    assert frame["basic_kg_per_kwh"].tolist() == [float(r["basic_kg_per_kwh"]) for r in rows]
    assert frame["adjusted_kg_per_kwh"].tolist() == [float(r["adjusted_kg_per_kwh"]) for r in rows]
    # Published FY2013 figures (MoE/METI): Kyushu 0.613 actual, 0.617 adjusted.
    kyushu = frame.set_index("area").loc["kyushu"]
    assert (kyushu["basic_kg_per_kwh"], kyushu["adjusted_kg_per_kwh"]) == (0.613, 0.617)
    assert frame.attrs == {"fiscal_year": 2013, "table": "emission_factors.csv"}


# The nine JEPX areas and Okinawa, which has no JEPX price: the ten former general utilities.
UTILITY_AREAS = {*JEPX_AREAS, "okinawa"}
# The bases and statuses gxdlib/data/README.md documents.
DOCUMENTED_BASES = {"company", "residual menu", "national average"}
DOCUMENTED_STATUSES = {"government", "utility"}


def test_every_row_of_the_table_is_well_formed() -> None:
    rows = packaged_table()
    keys = [(r["area"], r["fiscal_year_of_results"]) for r in rows]
    assert len(keys) == len(set(keys)), "one row per area and fiscal year"
    assert {r["area"] for r in rows} == UTILITY_AREAS | {"national"}
    for row in rows:
        where = f"{row['area']} FY{row['fiscal_year_of_results']}"
        year = int(row["fiscal_year_of_results"])
        assert 2013 <= year <= 2030, where
        for column in ("basic_kg_per_kwh", "adjusted_kg_per_kwh"):
            assert 0 < float(row[column]) < 1.5, (where, column)
        assert row["adjusted_basis"] in DOCUMENTED_BASES, where
        assert row["value_status"] in DOCUMENTED_STATUSES, where
        assert (row["menu"] != "") == (row["adjusted_basis"] == "residual menu"), where
        assert (row["area"] == "national") == (row["adjusted_basis"] == "national average")
        assert row["utility"] and row["notice"], where
        assert row["source_url"].startswith(("http://", "https://")), where
        if row["published"]:
            # A fiscal year's results can only be published after it ends (31 March N+1).
            assert pd.Timestamp(row["published"]) > pd.Timestamp(f"{year + 1}-03-31"), where
    assert DOCUMENTED_BASES == set(grid.FACTOR_BASES)
    assert DOCUMENTED_STATUSES == set(grid.VALUE_STATUSES)


def test_latest_emission_factors_per_area() -> None:
    latest: dict[str, int] = {}
    for row in packaged_table():
        year = int(row["fiscal_year_of_results"])
        latest[row["area"]] = max(latest.get(row["area"], 0), year)
    frame = emission_factors()
    assert frame["area"].is_unique and set(frame["area"]) == set(latest)
    assert dict(zip(frame["area"], frame["fiscal_year_of_results"], strict=True)) == latest
    by_area = frame.set_index("area")
    # 四国電力, 2026-01-23: FY2024 menu C (residual) 0.457 basic and adjusted.
    shikoku = by_area.loc["shikoku"]
    assert shikoku["fiscal_year_of_results"] == 2024
    assert (shikoku["basic_kg_per_kwh"], shikoku["adjusted_kg_per_kwh"]) == (0.457, 0.457)
    assert shikoku["adjusted_basis"] == "residual menu" and shikoku["menu"] == "メニューC (残差)"
    assert shikoku["published"] == "2026-01-23"
    # 九州電力, 2020-01-07: the FY2018 national average factor 0.462.
    national = by_area.loc["national"]
    assert national["fiscal_year_of_results"] == 2018
    assert national["adjusted_kg_per_kwh"] == 0.462
    kyushu = by_area.loc["kyushu"]
    assert (kyushu["fiscal_year_of_results"], kyushu["value_status"]) == (2022, "utility")
    assert (
        by_area.loc[["tohoku", "tokyo", "chubu", "chugoku", "okinawa"]]["fiscal_year_of_results"]
        .eq(2013)
        .all()
    )
    assert frame.attrs == {"fiscal_year": None, "table": "emission_factors.csv"}


def test_a_year_with_a_few_areas_gives_only_those() -> None:
    expected = {
        r["area"]: float(r["adjusted_kg_per_kwh"])
        for r in packaged_table()
        if r["fiscal_year_of_results"] == "2018"
    }
    frame = emission_factors(2018)
    assert dict(zip(frame["area"], frame["adjusted_kg_per_kwh"], strict=True)) == expected
    assert expected == {"kansai": 0.33, "kyushu": 0.347, "national": 0.462}


def test_a_year_without_factors_lists_the_years() -> None:
    with pytest.raises(ValidationError, match=r"fiscal_year 2030.*years present: \[2013, "):
        emission_factors(2030)

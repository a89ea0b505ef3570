"""PACT reader and writer: hand-written documents, every error path, round trips."""

from __future__ import annotations

import json

import hypothesis.strategies as st
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from gxdlib.errors import DataFormatError, ValidationError
from gxdlib.footprint import footprints_frame
from gxdlib.io.pact import read_pact, write_pact
from gxdlib.testing import example_pact_v2, example_pact_v3, pact_footprints

# v2: pCfExcludingBiogenic "1.63" is already per one declared unit, whatever the unit.
V2_UNITS = ["kilogram", "liter", "cubic meter", "kilowatt hour", "megajoule", "ton kilometer",
            "square meter"]  # fmt: skip
# v3: (unit, declaredUnitAmount, pcfExcludingBiogenicUptake, expected kgCO2e per one unit,
#      expected product mass per unit = 0.5 / amount)
V3_CASES = [
    ("kilogram", "1", "2.4", 2.4, 0.5),
    ("liter", "12", "18", 1.5, 0.5 / 12),
    ("cubic meter", "0.5", "40", 80.0, 1.0),
    ("kilowatt hour", "1000", "450", 0.45, 0.0005),
    ("megajoule", "100", "7", 0.07, 0.005),
    ("ton kilometer", "20", "3", 0.15, 0.025),
    ("square meter", "4", "720", 180.0, 0.125),
    ("piece", "1000", "250", 0.25, 0.0005),
    ("hour", "8", "2", 0.25, 0.0625),
    ("megabit second", "1000000", "3", 3e-6, 5e-7),
]


@pytest.mark.parametrize("unit", V2_UNITS)
def test_v2_normalised_by_hand(unit):
    (fp,) = read_pact(example_pact_v2(unit))
    assert fp.unit == unit
    assert fp.spec_major == 2
    assert fp.pcf_kgco2e_per_unit == pytest.approx(1.63)
    assert fp.pcf_including_biogenic_kgco2e_per_unit == pytest.approx(1.85)
    assert fp.declared_unit_amount == 12.0
    assert fp.primary_data_share_pct == 12.9
    # mean DQR (1.6 + 2.6 + 1.8 + 1.7 + 2.1) / 5 = 1.96 on 1..3 -> (3 - 1.96) / 2 = 0.52
    assert fp.quality_score == pytest.approx(0.52)
    assert fp.dqr_scale_max == 3
    assert fp.geography == "JP"
    # no validity period: 3 years from referencePeriodEnd
    assert fp.valid_from == pd.Timestamp("2023-01-01", tz="UTC")
    assert fp.valid_until == pd.Timestamp("2026-01-01", tz="UTC")


@pytest.mark.parametrize(("unit", "amount", "pcf", "per_unit", "mass"), V3_CASES)
def test_v3_normalised_by_hand(unit, amount, pcf, per_unit, mass):
    (fp,) = read_pact(example_pact_v3(unit, amount, pcf))
    assert fp.unit == unit
    assert fp.pcf_kgco2e_per_unit == pytest.approx(per_unit, rel=1e-12)
    assert fp.pcf_including_biogenic_kgco2e_per_unit == pytest.approx(240 / float(amount))
    assert fp.product_mass_kg_per_unit == pytest.approx(mass)
    # mean DQR (1 + 3 + 2) / 3 = 2 on 1..5 -> (5 - 2) / 4 = 0.75
    assert fp.quality_score == pytest.approx(0.75)
    assert fp.dqr_scale_max == 5
    assert fp.primary_data_share_pct == 40.5
    assert fp.geography == "Eastern Asia"
    assert fp.valid_until == pd.Timestamp("2026-01-01", tz="UTC")


def test_sources_file_string_list_and_api_response(tmp_path):
    docs = [example_pact_v2("kilogram"), example_pact_v3()]
    path = tmp_path / "pcfs.json"
    path.write_text(json.dumps({"data": docs}), encoding="utf-8")
    for source in (path, str(path), json.dumps(docs), {"data": docs}, docs):
        assert [fp.id for fp in read_pact(source)] == [d["id"] for d in docs]
    assert len(read_pact({"data": example_pact_v3()})) == 1
    assert read_pact({"data": []}) == []


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "data": [\n    {"id": }\n  ]\n}', encoding="utf-8")
    with pytest.raises(DataFormatError, match="line 3"):
        read_pact(path)


def test_every_problem_is_listed_with_its_path():
    good = example_pact_v3()
    bad_v2 = example_pact_v2("kilogram")
    bad_v2["pcf"]["declaredUnit"] = "piece"  # v2 has no piece
    bad_v2["pcf"]["pCfExcludingBiogenic"] = 1.63  # v2 wants a decimal string
    bad_v2["pcf"]["primaryDataShare"] = "12.9"  # ... but a number here
    del bad_v2["pcf"]["fossilGhgEmissions"]
    bad_v2["companyIds"] = "urn:x:y"
    bad_v3 = example_pact_v3()
    bad_v3["pcf"]["declaredUnitAmount"] = "0"
    bad_v3["pcf"]["dqi"]["temporalDQR"] = "6"
    bad_v3["pcf"]["geographyCountry"] = "JP"  # two geographies at once
    bad_v3["status"] = "Retired"
    bad_v3["productIds"] = ["P-100"]
    with pytest.raises(ValidationError) as info:
        read_pact({"data": [good, bad_v2, good, bad_v3, {"specVersion": "1.0.0"}]})
    problems = info.value.problems
    expected_paths = [
        "$.data[1].pcf.declaredUnit",
        "$.data[1].pcf.pCfExcludingBiogenic",
        "$.data[1].pcf.primaryDataShare",
        "$.data[1].pcf.fossilGhgEmissions",
        "$.data[1].companyIds",
        "$.data[3].pcf.declaredUnitAmount",
        "$.data[3].pcf.dqi.temporalDQR",
        "$.data[3].pcf:",
        "$.data[3].status",
        "$.data[3].productIds[0]",
        "$.data[4].specVersion",
        # good appears twice, and bad_v3 is a copy of it: one footprint, three times
        "$.data[2].id",
        "$.data[3].id",
    ]
    for path in expected_paths:
        assert any(p.startswith(path) for p in problems), (path, problems)
    assert len(problems) == len(expected_paths)
    assert "'piece' is not one of" in str(info.value)


def test_v2_0_does_not_require_2_1_fields():
    doc = example_pact_v2("kilogram")
    doc["specVersion"] = "2.0.0"
    del doc["pcf"]["ipccCharacterizationFactorsSources"]
    assert read_pact(doc)[0].spec_version == "2.0.0"
    doc["specVersion"] = "2.1.0"
    with pytest.raises(ValidationError, match="ipccCharacterizationFactorsSources"):
        read_pact(doc)


@settings(max_examples=30, deadline=None)
@given(data=st.data(), version=st.sampled_from(["2.0", "2.1", "2.2", "2.3", "3.0"]))
def test_round_trip_keeps_every_field(data, version):
    doc = data.draw(pact_footprints(version))
    doc["x-vendor-field"] = {"kept": True}
    fps = read_pact(doc)
    major = fps[0].spec_major
    written = write_pact(fps, str(major))
    assert written == {"data": [doc]}
    again = read_pact(written)
    assert footprints_frame(again).equals(footprints_frame(fps))


def test_cross_version_write_preserves_normalised_values(tmp_path):
    v3 = read_pact(example_pact_v3("liter", "12", "18", productMassPerDeclaredUnit="9.6"))
    as_v2 = write_pact(v3, "2.3.0", path=tmp_path / "out.json")
    assert as_v2["data"][0]["pcf"]["pCfExcludingBiogenic"] == "1.5"  # 18 / 12 per liter
    (back,) = read_pact(tmp_path / "out.json")
    assert back.pcf_kgco2e_per_unit == pytest.approx(1.5)
    assert back.product_mass_kg_per_unit == pytest.approx(0.8)
    (v3_again,) = read_pact(write_pact([back], "3.0.0"))
    assert v3_again.pcf_kgco2e_per_unit == pytest.approx(1.5)
    assert v3_again.declared_unit_amount == 12.0
    with pytest.raises(ValidationError, match="has no v2 declaredUnit"):
        write_pact(read_pact(example_pact_v3("piece")), "2")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(sorted(example_pact_v3()["pcf"])), value=_JSON)
def test_fuzz_any_bad_pcf_value_is_reported_at_its_path(field, value):
    doc = example_pact_v3()
    doc["pcf"][field] = value
    try:
        read_pact({"data": [doc]})
    except ValidationError as exc:
        assert all(p.startswith("$.data[0]") for p in exc.problems)
        assert any(
            f"$.data[0].pcf.{field}" in p or p.startswith("$.data[0].pcf:") for p in exc.problems
        )


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=40))
def test_fuzz_malformed_text_raises_gxdlib_errors(text):
    try:
        read_pact("{" + text)
    except (DataFormatError, ValidationError):
        pass

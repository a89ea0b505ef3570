"""Read and write PACT ProductFootprint JSON (Technical Specifications v2.0-2.3, v3.0).

Sources checked: the WBCSD data-exchange-protocol repository
(https://github.com/wbcsd/data-exchange-protocol): ``spec/v2/index.bs`` (the
v2 data model tables), ``spec/v3/openapi.yaml`` (the v3.0 schema) and the
conformance schemas for v2.1 and v2.3. What each version requires:

- v2.x: ``id, specVersion, version, created, status, comment, companyName,
  companyIds, productDescription, productIds, productCategoryCpc,
  productNameCompany, pcf``; in ``pcf``: ``declaredUnit, unitaryProductAmount,
  pCfExcludingBiogenic, fossilGhgEmissions, fossilCarbonContent,
  biogenicCarbonContent, characterizationFactors, crossSectoralStandardsUsed,
  boundaryProcessesDescription, referencePeriodStart, referencePeriodEnd,
  exemptedEmissionsPercent, exemptedEmissionsDescription,
  packagingEmissionsIncluded`` and, from 2.1, ``ipccCharacterizationFactorsSources``.
  Emission values are *decimal strings* ("1.63"); ``exemptedEmissionsPercent``,
  ``primaryDataShare`` and the DQI values are JSON numbers.
- v3.0: ``id, specVersion, created, status, companyName, companyIds,
  productDescription, productIds, productNameCompany, pcf``; in ``pcf``:
  ``declaredUnitOfMeasurement, declaredUnitAmount, productMassPerDeclaredUnit,
  referencePeriodStart, referencePeriodEnd, pcfExcludingBiogenicUptake,
  pcfIncludingBiogenicUptake, fossilGhgEmissions, fossilCarbonContent,
  ipccCharacterizationFactors, crossSectoralStandards, exemptedEmissionsPercent``.
  Every number is a decimal string, including ``primaryDataShare`` and DQRs.

Every problem found is reported with its JSON path (``$.data[3].pcf.declaredUnit``)
in one :class:`~gxdlib.errors.ValidationError`.
"""

from __future__ import annotations

import copy
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from gxdlib.errors import DataFormatError, ValidationError
from gxdlib.footprint.model import (
    UNITS_OF_MEASUREMENT,
    V2_DECLARED_UNITS,
    ProductFootprint,
    quality_score,
)
from gxdlib.io._tables import read_bytes, refuse_binary

__all__ = ["load_json", "parse_pact", "read_pact", "write_pact"]

# re.ASCII: without it \d also matches full-width and other-script digits, which
# Decimal() and float() would then read as numbers nobody typed in ASCII.
_DECIMAL = re.compile(r"[+-]?\d+(\.\d+)?", re.ASCII)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_URN = re.compile(r"[uU][rR][nN]:[^:\s]+:\S+")
_SPEC_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)(-\d{8})?", re.ASCII)
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.ASCII)
_COUNTRY = re.compile(r"[A-Z]{2}")
_SUBDIVISION = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
_AR = re.compile(r"AR\d+", re.ASCII)
# JSON's non-standard constants, which Python's json module reads by default.
_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')
# Strings and structural characters of JSON text (numbers and literals are skipped).
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')
_SUPPORTED = {(2, 0), (2, 1), (2, 2), (2, 3), (3, 0)}

_REGIONS = (
    "Africa", "Americas", "Asia", "Europe", "Oceania", "Australia and New Zealand",
    "Central Asia", "Eastern Asia", "Eastern Europe", "Latin America and the Caribbean",
    "Melanesia", "Micronesia", "Northern Africa", "Northern America", "Northern Europe",
    "Polynesia", "South-eastern Asia", "Southern Asia", "Southern Europe",
    "Sub-Saharan Africa", "Western Asia", "Western Europe",
)  # fmt: skip
_V2_STANDARDS = ("GHG Protocol Product standard", "ISO Standard 14067", "ISO Standard 14044")
_V3_STANDARDS = (
    "ISO14067", "ISO14083", "ISO14040-44", "GHGP-Product", "PEF",
    "PACT-1.0", "PACT-2.0", "PACT-3.0",
)  # fmt: skip
# v2 names -> v3 names of the cross-sectoral standards (v3 openapi notes).
_STANDARD_V2_TO_V3 = {
    "GHG Protocol Product standard": "GHGP-Product",
    "ISO Standard 14067": "ISO14067",
    "ISO Standard 14044": "ISO14040-44",
}

Problems = list[str]
Check = Callable[[Any, str, Problems], None]


# --------------------------------------------------------------------------- checks
def _type_name(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean"}.get(
        type(value), "null" if value is None else "number"
    )


def _string(nonempty: bool = False, pattern: re.Pattern | None = None, what: str = "") -> Check:
    def check(value: Any, path: str, problems: Problems) -> None:
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string, got {_type_name(value)}")
        elif nonempty and not value:
            problems.append(f"{path}: expected a non-empty string")
        elif pattern is not None and not pattern.fullmatch(value):
            problems.append(f"{path}: {value!r} is not {what}")

    return check


def _datetime() -> Check:
    def check(value: Any, path: str, problems: Problems) -> None:
        if not isinstance(value, str) or not _DATETIME.fullmatch(value):
            problems.append(
                f"{path}: expected an RFC 3339 date-time with time zone "
                f"(e.g. '2023-01-01T00:00:00Z'), got {value!r}"
            )
        elif _timestamp(value) is None:
            problems.append(
                f"{path}: {value!r} is not a date-time of the calendar "
                "(or lies outside the years 1678-2261)"
            )

    return check


def _timestamp(value: str) -> pd.Timestamp | None:
    """The UTC time of an RFC 3339 text, or None for a day or time that does not exist."""
    try:
        return pd.Timestamp(value).tz_convert("UTC")
    except (ValueError, OverflowError):
        return None


def _enum(values: Sequence[str]) -> Check:
    def check(value: Any, path: str, problems: Problems) -> None:
        if value not in values or not isinstance(value, str):
            problems.append(f"{path}: {value!r} is not one of {', '.join(map(repr, values))}")

    return check


def _decimal(sign: str = "any", low: float | None = None, high: float | None = None) -> Check:
    """A decimal *string*; sign is 'any', '>=0', '>0' or '<=0'."""

    def check(value: Any, path: str, problems: Problems) -> None:
        if not isinstance(value, str):
            problems.append(
                f'{path}: expected a decimal string such as "1.5", got {_type_name(value)}'
                + (f" {value!r}" if not isinstance(value, dict | list) else "")
            )
            return
        if not _DECIMAL.fullmatch(value):
            problems.append(f"{path}: {value!r} is not a decimal string")
            return
        if _check_float_range(Decimal(value), path, problems):
            _check_range(Decimal(value), sign, low, high, path, problems)

    return check


def _number(sign: str = "any", low: float | None = None, high: float | None = None) -> Check:
    """A JSON number (v2 Number fields)."""

    def check(value: Any, path: str, problems: Problems) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{path}: expected a JSON number, got {_type_name(value)} {value!r}")
            return
        if value != value or value in (float("inf"), float("-inf")):
            problems.append(f"{path}: expected a finite number, got {value!r}")
            return
        if _check_float_range(Decimal(repr(value)), path, problems):
            _check_range(Decimal(repr(value)), sign, low, high, path, problems)

    return check


def _check_float_range(value: Decimal, path: str, problems: Problems) -> bool:
    """Whether ``value`` keeps its magnitude as a float; else a problem is recorded.

    Values are computed as floats: a decimal beyond the float range
    would become infinite, and one below the smallest normal float would lose
    its digits or become zero (and a later division by it, infinite).
    """
    magnitude = abs(float(value))
    if math.isinf(magnitude):
        problems.append(f"{path}: {_short(value)} is too large: it overflows to infinity")
        return False
    if value != 0 and magnitude < sys.float_info.min:
        problems.append(
            f"{path}: {_short(value)} is too small to compute with "
            f"(below {sys.float_info.min:.3g}, the smallest normal float)"
        )
        return False
    return True


def _short(value: Decimal | str) -> str:
    text = str(value)
    return text if len(text) <= 24 else f"{text[:20]}... ({len(text)} characters)"


def _check_range(
    value: Decimal, sign: str, low: float | None, high: float | None, path: str, problems: Problems
) -> None:
    bad_sign = {
        ">=0": value < 0,
        ">0": value <= 0,
        "<=0": value > 0,
        "any": False,
    }[sign]
    if bad_sign:
        problems.append(f"{path}: {value} must be {sign.replace('>=', '>= ').replace('<=', '<= ')}")
    elif (low is not None and value < Decimal(repr(low))) or (
        high is not None and value > Decimal(repr(high))
    ):
        problems.append(f"{path}: {value} is outside [{low:g}, {high:g}]")


def _integer() -> Check:
    def check(value: Any, path: str, problems: Problems) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"{path}: expected a non-negative integer, got {value!r}")

    return check


def _boolean() -> Check:
    def check(value: Any, path: str, problems: Problems) -> None:
        if not isinstance(value, bool):
            problems.append(f"{path}: expected true or false, got {value!r}")

    return check


def _array(item: Check | None = None, nonempty: bool = True, unique: bool = False) -> Check:
    def check(value: Any, path: str, problems: Problems) -> None:
        if not isinstance(value, list):
            problems.append(f"{path}: expected an array, got {_type_name(value)}")
            return
        if nonempty and not value:
            problems.append(f"{path}: expected a non-empty array")
        if unique:
            seen = [json.dumps(v, sort_keys=True) for v in value]
            if len(set(seen)) != len(seen):
                problems.append(f"{path}: array items must be unique")
        if item is not None:
            for i, element in enumerate(value):
                item(element, f"{path}[{i}]", problems)

    return check


def _object(fields: Mapping[str, tuple[Check, bool]]) -> Check:
    def check(value: Any, path: str, problems: Problems) -> None:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object, got {_type_name(value)}")
            return
        for name, (field_check, required) in fields.items():
            if name not in value:
                if required:
                    problems.append(f"{path}.{name}: required property is missing")
                continue
            field_check(value[name], f"{path}.{name}", problems)

    return check


_URNS = _array(_string(pattern=_URN, what="a URN ('urn:<namespace>:<id>')"), unique=True)
_UUIDS = _array(_string(pattern=_UUID, what="a UUID"), unique=True)
_RULE = _object(
    {
        "operator": (_enum(("PEF", "EPD International", "Other")), True),
        "ruleNames": (_array(_string(nonempty=True), unique=True), True),
        "otherOperatorName": (_string(nonempty=True), False),
    }
)
_EF_SOURCE = _object(
    {"name": (_string(nonempty=True), True), "version": (_string(nonempty=True), True)}
)
_GEOGRAPHY = {
    "geographyRegionOrSubregion": (_enum(_REGIONS), False),
    "geographyCountry": (_string(pattern=_COUNTRY, what="an ISO 3166-1 alpha-2 code"), False),
    "geographyCountrySubdivision": (
        _string(pattern=_SUBDIVISION, what="an ISO 3166-2 code"),
        False,
    ),
}


def _v2_schema(minor: int) -> Check:
    dqr = _number(low=1, high=3)
    from_2_1 = minor >= 1
    dqi = _object(
        {
            "coveragePercent": (_number(low=0, high=100), from_2_1),
            "technologicalDQR": (dqr, from_2_1),
            "temporalDQR": (dqr, from_2_1),
            "geographicalDQR": (dqr, from_2_1),
            "completenessDQR": (dqr, from_2_1),
            "reliabilityDQR": (dqr, from_2_1),
        }
    )
    assurance = _object(
        {
            "assurance": (_boolean(), True),
            "providerName": (_string(), True),
            "coverage": (
                _enum(("corporate level", "product line", "PCF system", "product level")),
                False,
            ),
            "level": (_enum(("limited", "reasonable")), False),
            "boundary": (_enum(("Gate-to-Gate", "Cradle-to-Gate")), False),
            "completedAt": (_datetime(), False),
            "standardName": (_string(), False),
            "comments": (_string(), False),
        }
    )
    nonneg = _decimal(">=0")
    pcf = _object(
        {
            "declaredUnit": (_enum(V2_DECLARED_UNITS), True),
            "unitaryProductAmount": (_decimal(">0"), True),
            "productMassPerDeclaredUnit": (nonneg, False),
            "pCfExcludingBiogenic": (nonneg, True),
            "pCfIncludingBiogenic": (_decimal(), False),
            "fossilGhgEmissions": (nonneg, True),
            "fossilCarbonContent": (nonneg, True),
            "biogenicCarbonContent": (nonneg, True),
            "dLucGhgEmissions": (nonneg, False),
            "landManagementGhgEmissions": (nonneg, False),
            "otherBiogenicGhgEmissions": (nonneg, False),
            "iLucGhgEmissions": (nonneg, False),
            "biogenicCarbonWithdrawal": (_decimal(), False),
            "aircraftGhgEmissions": (nonneg, False),
            "characterizationFactors": (_enum(("AR5", "AR6")), True),
            "ipccCharacterizationFactorsSources": (
                _array(_string(pattern=_AR, what="of the form 'AR<n>'"), unique=True),
                from_2_1,
            ),
            "crossSectoralStandardsUsed": (_array(_enum(_V2_STANDARDS), unique=True), True),
            "crossSectoralStandards": (_array(_enum(_V3_STANDARDS), unique=True), False),
            "productOrSectorSpecificRules": (_array(_RULE, nonempty=False), False),
            "biogenicAccountingMethodology": (_enum(("PEF", "ISO", "GHGP", "Quantis")), False),
            "boundaryProcessesDescription": (_string(), True),
            "referencePeriodStart": (_datetime(), True),
            "referencePeriodEnd": (_datetime(), True),
            **_GEOGRAPHY,
            "secondaryEmissionFactorSources": (_array(_EF_SOURCE), False),
            "exemptedEmissionsPercent": (_number(low=0, high=5), True),
            "exemptedEmissionsDescription": (_string(), True),
            "packagingEmissionsIncluded": (_boolean(), True),
            "packagingGhgEmissions": (nonneg, False),
            "allocationRulesDescription": (_string(), False),
            "uncertaintyAssessmentDescription": (_string(), False),
            "primaryDataShare": (_number(low=0, high=100), False),
            "dqi": (dqi, False),
            "assurance": (assurance, False),
        }
    )
    return _object(
        {
            "id": (_string(pattern=_UUID, what="a UUID"), True),
            "specVersion": (_string(), True),
            "precedingPfIds": (_UUIDS, False),
            "version": (_integer(), True),
            "created": (_datetime(), True),
            "updated": (_datetime(), False),
            "status": (_enum(("Active", "Deprecated")), True),
            "statusComment": (_string(), False),
            "validityPeriodStart": (_datetime(), False),
            "validityPeriodEnd": (_datetime(), False),
            "companyName": (_string(nonempty=True), True),
            "companyIds": (_URNS, True),
            "productDescription": (_string(), True),
            "productIds": (_URNS, True),
            "productCategoryCpc": (_string(nonempty=True), True),
            "productClassifications": (_URNS, False),
            "productNameCompany": (_string(nonempty=True), True),
            "comment": (_string(), True),
            "pcf": (pcf, True),
            "extensions": (_array(), False),
        }
    )


def _v3_schema() -> Check:
    dqr = _decimal(low=1, high=5)
    nonneg = _decimal(">=0")
    nonpos = _decimal("<=0")
    pcf = _object(
        {
            "declaredUnitOfMeasurement": (_enum(UNITS_OF_MEASUREMENT), True),
            "declaredUnitAmount": (_decimal(">0"), True),
            "productMassPerDeclaredUnit": (nonneg, True),
            "referencePeriodStart": (_datetime(), True),
            "referencePeriodEnd": (_datetime(), True),
            **_GEOGRAPHY,
            "boundaryProcessesDescription": (_string(), False),
            "pcfExcludingBiogenicUptake": (_decimal(), True),
            "pcfIncludingBiogenicUptake": (_decimal(), True),
            "fossilCarbonContent": (nonneg, True),
            "biogenicCarbonContent": (nonneg, False),
            "recycledCarbonContent": (nonneg, False),
            "fossilGhgEmissions": (nonneg, True),
            "landUseChangeGhgEmissions": (nonneg, False),
            "landCarbonLeakage": (nonneg, False),
            "landManagementFossilGhgEmissions": (nonneg, False),
            "landManagementBiogenicCO2Emissions": (nonneg, False),
            "landManagementBiogenicCO2Removals": (nonpos, False),
            "biogenicCO2Uptake": (nonpos, False),
            "biogenicNonCO2Emissions": (nonneg, False),
            "landAreaOccupation": (nonneg, False),
            "aircraftGhgEmissions": (nonneg, False),
            "packagingEmissionsIncluded": (_boolean(), False),
            "packagingGhgEmissions": (nonneg, False),
            "packagingBiogenicCarbonContent": (nonneg, False),
            "outboundLogisticsGhgEmissions": (nonneg, False),
            "technologicalCO2CaptureOrigin": (_string(), False),
            "technologicalCO2Removals": (nonneg, False),
            "ccsTechnologicalCO2CaptureIncluded": (_boolean(), False),
            "ccsTechnologicalCO2Capture": (nonpos, False),
            "ccuCarbonContent": (nonneg, False),
            "ccuCalculationApproach": (_enum(("Cut-off", "Credit")), False),
            "ccuCreditCertification": (_string(), False),
            "ipccCharacterizationFactors": (
                _array(_string(pattern=_AR, what="of the form 'AR<n>'"), unique=True),
                True,
            ),
            # v3 says hosts MUST accept standards added by later revisions.
            "crossSectoralStandards": (_array(_string(nonempty=True), unique=True), True),
            "productOrSectorSpecificRules": (_array(_RULE), False),
            "exemptedEmissionsPercent": (_decimal(">=0"), True),
            "exemptedEmissionsDescription": (_string(), False),
            "allocationRulesDescription": (_string(), False),
            "secondaryEmissionFactorSources": (_array(_EF_SOURCE), False),
            "primaryDataShare": (_decimal(low=0, high=100), False),
            "dqi": (
                _object(
                    {
                        "technologicalDQR": (dqr, True),
                        "geographicalDQR": (dqr, True),
                        "temporalDQR": (dqr, True),
                    }
                ),
                False,
            ),
            "verification": (
                _object(
                    {
                        "coverage": (
                            _enum(("PCF calculation model", "PCF program", "product level")),
                            False,
                        ),
                        "providerName": (_string(), False),
                        "completedAt": (_datetime(), False),
                        "standardName": (_string(), False),
                        "comments": (_string(), False),
                    }
                ),
                False,
            ),
        }
    )
    return _object(
        {
            "id": (_string(pattern=_UUID, what="a UUID"), True),
            "specVersion": (_string(), True),
            "precedingPfIds": (_UUIDS, False),
            "version": (_integer(), False),
            "created": (_datetime(), True),
            "status": (_enum(("Active", "Deprecated")), True),
            "validityPeriodStart": (_datetime(), False),
            "validityPeriodEnd": (_datetime(), False),
            "companyName": (_string(nonempty=True), True),
            "companyIds": (_URNS, True),
            "productDescription": (_string(), True),
            "productIds": (_URNS, True),
            "productClassifications": (_URNS, False),
            "productNameCompany": (_string(nonempty=True), True),
            "comment": (_string(), False),
            "pcf": (pcf, True),
            "extensions": (_array(), False),
        }
    )


# v3 fields that _normalise divides by declaredUnitAmount.
_V3_DIVIDED = (
    "pcfExcludingBiogenicUptake",
    "pcfIncludingBiogenicUptake",
    "productMassPerDeclaredUnit",
)

_SCHEMAS: dict[tuple[int, int], Check] = {
    **{(2, minor): _v2_schema(minor) for minor in range(4)},
    (3, 0): _v3_schema(),
}


def _spec_key(doc: Any, path: str, problems: Problems) -> tuple[int, int] | None:
    if not isinstance(doc, dict):
        problems.append(f"{path}: expected a ProductFootprint object, got {_type_name(doc)}")
        return None
    version = doc.get("specVersion")
    if version is None:
        problems.append(f"{path}.specVersion: required property is missing")
        return None
    match = _SPEC_VERSION.fullmatch(version) if isinstance(version, str) else None
    if match is None:
        problems.append(f"{path}.specVersion: {version!r} is not 'major.minor.patch'")
        return None
    key = (int(match[1]), int(match[2]))
    if key not in _SUPPORTED:
        problems.append(
            f"{path}.specVersion: {version!r} is not supported (2.0 to 2.3 and 3.0 are)"
        )
        return None
    return key


def _cross_checks(doc: dict, path: str, problems: Problems) -> None:
    """Rules between fields that a per-field check cannot see."""
    pcf = doc.get("pcf")
    if isinstance(pcf, dict):
        defined = [name for name in _GEOGRAPHY if name in pcf]
        if len(defined) > 1:
            problems.append(
                f"{path}.pcf: at most one of geographyRegionOrSubregion, geographyCountry and "
                f"geographyCountrySubdivision may be defined; found {', '.join(defined)}"
            )
        _check_order(pcf, "referencePeriodStart", "referencePeriodEnd", f"{path}.pcf", problems)
    _check_order(doc, "validityPeriodStart", "validityPeriodEnd", path, problems)
    _check_per_unit(doc, path, problems)


def _check_order(obj: dict, first: str, second: str, path: str, problems: Problems) -> None:
    a, b = obj.get(first), obj.get(second)
    if not (isinstance(a, str) and isinstance(b, str)):
        return
    if not (_DATETIME.fullmatch(a) and _DATETIME.fullmatch(b)):
        return
    start, end = _timestamp(a), _timestamp(b)
    if start is not None and end is not None and end <= start:
        problems.append(f"{path}.{second}: {b} must be after {first} {a}")


def _check_per_unit(doc: dict, path: str, problems: Problems) -> None:
    """v3 values divided by ``declaredUnitAmount`` must stay finite floats.

    Only well-formed values within the float range are looked at: the
    per-field checks report the others.
    """
    pcf = doc.get("pcf")
    if not isinstance(pcf, dict) or not str(doc.get("specVersion", "")).startswith("3."):
        return
    usable = {
        name: float(text)
        for name in ("declaredUnitAmount", *_V3_DIVIDED)
        if isinstance(text := pcf.get(name), str)
        and _DECIMAL.fullmatch(text)
        and _check_float_range(Decimal(text), path, [])
    }
    amount = usable.pop("declaredUnitAmount", 0.0)
    if amount <= 0:
        return
    for name, value in usable.items():
        if math.isinf(value / amount):
            problems.append(
                f"{path}.pcf.declaredUnitAmount: {_short(pcf['declaredUnitAmount'])} is so small "
                f"that {name} per unit ({_short(pcf[name])} / that amount) overflows"
            )


def _check_unique_ids(docs: list[tuple[Any, str]], problems: Problems) -> None:
    """One payload holds each footprint once: a repeated ``id`` would count it twice."""
    first_path: dict[str, str] = {}
    for doc, path in docs:
        footprint_id = doc.get("id") if isinstance(doc, dict) else None
        if not isinstance(footprint_id, str):
            continue
        if footprint_id in first_path:
            problems.append(
                f"{path}.id: {footprint_id!r} is also the id of {first_path[footprint_id]}; "
                "a payload must hold each footprint once"
            )
        else:
            first_path[footprint_id] = path


# --------------------------------------------------------------------------- reading
def _documents(payload: Any) -> list[tuple[Any, str]]:
    """The ProductFootprint objects in ``payload``, each with its JSON path."""
    if isinstance(payload, list):
        return [(doc, f"$[{i}]") for i, doc in enumerate(payload)]
    if isinstance(payload, dict) and "data" in payload and "specVersion" not in payload:
        data = payload["data"]
        if isinstance(data, list):
            return [(doc, f"$.data[{i}]") for i, doc in enumerate(data)]
        return [(data, "$.data")]
    return [(payload, "$")]


def _load(source: Any) -> tuple[Any, str]:
    """The decoded JSON of ``source`` and a description of it for messages."""
    if isinstance(source, dict | list):
        return source, "<object>"
    if isinstance(source, bytes):
        return load_json(source, "<bytes>"), "<bytes>"
    if isinstance(source, str) and source.lstrip()[:1] in ("{", "["):
        return load_json(source, "<string>"), "<string>"
    path = Path(source)
    if not path.is_file():
        raise DataFormatError(f"no such PACT file: {path}", source=path)
    return load_json(read_bytes(path), str(path)), str(path)


def load_json(data: bytes | str, source: str) -> Any:
    """Decode PACT JSON strictly: UTF-8, no repeated keys, no NaN or Infinity.

    Parameters
    ----------
    data : bytes or str
        The JSON text, or its UTF-8 bytes (a byte-order mark is allowed).
    source : str
        The file or buffer, for messages.

    Returns
    -------
    object
        The decoded JSON.

    Raises
    ------
    DataFormatError
        Naming ``source`` and the line, or the JSON path of a repeated key:
        bytes that are not UTF-8 (naming the encoding they look like), text
        that is not JSON, a key repeated in one object (RFC 8259 leaves the
        meaning to each parser, and Python's keeps the last silently), the
        literals ``NaN``, ``Infinity`` and ``-Infinity`` (not JSON).

    Examples
    --------
    >>> load_json('{"a": 1,\\n "a": 2}', "x.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gxdlib.errors.DataFormatError: x.json, line 2, column '$.a': the key 'a' appears twice ...
    """
    text = _utf8(data, source) if isinstance(data, bytes) else data
    repeated_keys: list[str] = []

    def pairs_to_object(pairs: list[tuple[str, Any]]) -> dict:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            keys = [key for key, _ in pairs]
            repeated_keys.append(next(key for k, key in enumerate(keys) if key in keys[:k]))
        return obj

    def refuse_constant(name: str) -> None:
        raise _NonStandardConstant(name)

    try:
        payload = json.loads(
            text, object_pairs_hook=pairs_to_object, parse_constant=refuse_constant
        )
    except json.JSONDecodeError as exc:
        raise DataFormatError(
            f"not valid JSON: {exc.msg} (character {exc.colno})", source=source, line=exc.lineno
        ) from exc
    except _NonStandardConstant as exc:
        raise DataFormatError(
            f"{exc.args[0]} is not a JSON value (JSON numbers are finite)",
            source=source,
            line=_line_of_constant(text),
        ) from exc
    # Integers beyond Python's digit limit, nesting beyond its recursion limit.
    except (ValueError, RecursionError) as exc:
        raise DataFormatError(f"not usable JSON: {exc}", source=source) from exc
    if repeated_keys:
        # The hook saw a repeat but not where it is: the scan finds it (only then).
        found = _first_repeated_key(text)
        if found is None:
            raise DataFormatError(
                f"the key {repeated_keys[0]!r} appears twice in one object", source=source
            )
        path, key, line = found
        raise DataFormatError(
            f"the key {key!r} appears twice in one object",
            source=source,
            line=line,
            column=f"{path}.{key}",
        )
    return payload


class _NonStandardConstant(ValueError):
    """NaN or Infinity met while decoding JSON."""


def _utf8(data: bytes, source: str) -> str:
    refuse_binary(data, source, "UTF-8 JSON")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            data.decode("cp932")
            looks_like = "; it decodes as Shift-JIS (cp932)"
        except UnicodeDecodeError:
            looks_like = ""
        raise DataFormatError(
            f"not UTF-8 text (byte {exc.start}: {exc.reason}){looks_like}; PACT JSON is UTF-8",
            source=source,
            line=data.count(b"\n", 0, exc.start) + 1,
        ) from exc


def _line_of_constant(text: str) -> int | None:
    """The line of the first NaN or Infinity outside a JSON string."""
    for match in _CONSTANT.finditer(text):
        if match[1] is not None:
            return text.count("\n", 0, match.start()) + 1
    return None


@dataclass
class _Container:
    """An object or array open while :func:`_first_repeated_key` scans JSON text."""

    path: str
    keys: set[str] | None  # None for an array
    key: str = ""
    index: int = 0

    def child_path(self) -> str:
        return f"{self.path}[{self.index}]" if self.keys is None else f"{self.path}.{self.key}"


def _first_repeated_key(text: str) -> tuple[str, str, int] | None:
    """JSON path of the object, the key and the line of the first key repeated in JSON text.

    Scans the text by its strings and punctuation; ``text`` must be valid JSON.
    """
    stack: list[_Container] = []
    last_string, last_start = "", 0
    for match in _JSON_TOKEN.finditer(text):
        token = match[0]
        if token in "{[":
            path = stack[-1].child_path() if stack else "$"
            stack.append(_Container(path, set() if token == "{" else None))
        elif token in "}]":
            stack.pop()
        elif token == ",":
            if stack[-1].keys is None:
                stack[-1].index += 1
        elif token == ":":
            container, key = stack[-1], json.loads(last_string)
            if key in container.keys:
                return container.path, key, text.count("\n", 0, last_start) + 1
            container.keys.add(key)
            container.key = key
        else:
            last_string, last_start = token, match.start()
    return None


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _time(value: str | None) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value).tz_convert("UTC")


def _normalise(doc: dict) -> ProductFootprint:
    pcf = doc["pcf"]
    major = int(doc["specVersion"].split(".", 1)[0])
    if major == 2:
        unit = pcf["declaredUnit"]
        amount = float(pcf["unitaryProductAmount"])
        per_unit = 1.0  # v2 values are already per one declared unit
        excluding = float(pcf["pCfExcludingBiogenic"])
        including = _num(pcf.get("pCfIncludingBiogenic"))
        dqr_names = (
            "technologicalDQR", "temporalDQR", "geographicalDQR",
            "completenessDQR", "reliabilityDQR",
        )  # fmt: skip
        scale = 3
    else:
        unit = pcf["declaredUnitOfMeasurement"]
        amount = float(pcf["declaredUnitAmount"])
        per_unit = amount  # v3 values are per declaredUnitAmount units
        excluding = float(pcf["pcfExcludingBiogenicUptake"]) / amount
        including = float(pcf["pcfIncludingBiogenicUptake"]) / amount
        dqr_names = ("technologicalDQR", "geographicalDQR", "temporalDQR")
        scale = 5
    mass = _num(pcf.get("productMassPerDeclaredUnit"))
    dqi = pcf.get("dqi") or {}
    dqr = tuple((name, float(dqi[name])) for name in dqr_names if name in dqi)
    geography = next((pcf[name] for name in reversed(list(_GEOGRAPHY)) if name in pcf), None)
    return ProductFootprint(
        id=doc["id"],
        spec_version=doc["specVersion"],
        version=doc.get("version"),
        status=doc["status"],
        created=_time(doc["created"]),
        company_name=doc["companyName"],
        company_ids=tuple(doc["companyIds"]),
        product_ids=tuple(doc["productIds"]),
        product_name=doc["productNameCompany"],
        product_description=doc["productDescription"],
        unit=unit,
        declared_unit_amount=amount,
        pcf_kgco2e_per_unit=excluding,
        pcf_including_biogenic_kgco2e_per_unit=including,
        product_mass_kg_per_unit=None if mass is None else mass / per_unit,
        reference_period_start=_time(pcf["referencePeriodStart"]),
        reference_period_end=_time(pcf["referencePeriodEnd"]),
        validity_period_start=_time(doc.get("validityPeriodStart")),
        validity_period_end=_time(doc.get("validityPeriodEnd")),
        geography=geography,
        primary_data_share_pct=_num(pcf.get("primaryDataShare")),
        dqr=dqr,
        dqr_scale_max=scale,
        quality_score=quality_score((v for _, v in dqr), scale),
        document=copy.deepcopy(doc),
    )


def parse_pact(payload: Any, source: str | None = None) -> list[ProductFootprint]:
    """Validate and normalise decoded PACT JSON (see :func:`read_pact`).

    Parameters
    ----------
    payload : dict or list
        Decoded JSON, as :func:`read_pact` takes it.
    source : str, optional
        The file the payload came from; the error summary starts with it.
    """
    problems: Problems = []
    docs = _documents(payload)
    for doc, path in docs:
        key = _spec_key(doc, path, problems)
        if key is None:
            continue
        _SCHEMAS[key](doc, path, problems)
        _cross_checks(doc, path, problems)
    _check_unique_ids(docs, problems)
    if problems:
        prefix = "" if source is None else f"{source}: "
        raise ValidationError(
            f"{prefix}{len(problems)} problem(s) in {len(docs)} PACT ProductFootprint(s)", problems
        )
    return [_normalise(doc) for doc, _ in docs]


def read_pact(source: str | PathLike | Mapping | Sequence) -> list[ProductFootprint]:
    """Read PACT ProductFootprints (specVersion 2.0-2.3 or 3.0).

    Parameters
    ----------
    source : str, path-like, dict or list
        A JSON file path, a JSON string, or decoded JSON. It may hold one
        ProductFootprint, a list of them, or a PACT API response
        ``{"data": [...]}`` (or ``{"data": {...}}``).

    Returns
    -------
    list of ProductFootprint
        In document order, normalised per one unit of measurement.

    Raises
    ------
    DataFormatError
        The file is missing, is not UTF-8 JSON, repeats a key in an object or
        holds ``NaN``/``Infinity`` (naming the line or JSON path; see
        :func:`load_json`).
    ValidationError
        Listing every problem with its JSON path, e.g.
        ``$.data[3].pcf.declaredUnit: 'box' is not one of ...``: among them
        numbers given as strings where the schema wants numbers (v2's DQRs,
        ``primaryDataShare``) or the reverse (v2 emissions, every v3 number),
        digits that are not ASCII, numbers beyond the float range or too small
        to divide by, dates that do not exist, and a footprint ``id`` repeated
        in one payload.
    """
    payload, name = _load(source)
    if isinstance(source, Mapping | Sequence) and not isinstance(source, str | bytes):
        payload = copy.deepcopy(payload)
    return parse_pact(payload, None if name == "<object>" else name)


# --------------------------------------------------------------------------- writing
def _dec(value: Any) -> Decimal:
    return Decimal(value) if isinstance(value, str) else Decimal(repr(value))


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text not in ("-0", "") else "0"


# Fields expressed per declared unit; v2 declares per one unit, v3 per
# declaredUnitAmount units, so converting multiplies or divides by that amount.
_PER_DECLARED_UNIT = {
    "pCfExcludingBiogenic": "pcfExcludingBiogenicUptake",
    "pCfIncludingBiogenic": "pcfIncludingBiogenicUptake",
    "fossilGhgEmissions": "fossilGhgEmissions",
    "fossilCarbonContent": "fossilCarbonContent",
    "biogenicCarbonContent": "biogenicCarbonContent",
    "aircraftGhgEmissions": "aircraftGhgEmissions",
    "packagingGhgEmissions": "packagingGhgEmissions",
    "productMassPerDeclaredUnit": "productMassPerDeclaredUnit",
    "dLucGhgEmissions": "landUseChangeGhgEmissions",
    "biogenicCarbonWithdrawal": "biogenicCO2Uptake",
}
_SAME_NAME_PF = (
    "id", "precedingPfIds", "created", "status", "validityPeriodStart", "validityPeriodEnd",
    "companyName", "companyIds", "productDescription", "productIds", "productClassifications",
    "productNameCompany", "comment", "extensions",
)  # fmt: skip
_SAME_NAME_PCF = (
    "referencePeriodStart", "referencePeriodEnd", "geographyRegionOrSubregion",
    "geographyCountry", "geographyCountrySubdivision", "boundaryProcessesDescription",
    "productOrSectorSpecificRules", "secondaryEmissionFactorSources",
    "exemptedEmissionsDescription", "allocationRulesDescription", "packagingEmissionsIncluded",
)  # fmt: skip
_NO_MASS_UNITS = ("kilowatt hour", "megajoule", "ton kilometer", "hour", "megabit second")
_CPC_URN = "urn:pact:productclassification:un-cpc:"


def _to_v3(doc: dict, version: str, path: str, problems: Problems) -> dict:
    src = doc["pcf"]
    amount = _dec(src["unitaryProductAmount"])
    out = {k: copy.deepcopy(doc[k]) for k in _SAME_NAME_PF if k in doc}
    out["specVersion"] = version
    if "productClassifications" not in out and "productCategoryCpc" in doc:
        out["productClassifications"] = [_CPC_URN + doc["productCategoryCpc"]]
    pcf = {k: copy.deepcopy(src[k]) for k in _SAME_NAME_PCF if k in src}
    pcf["declaredUnitOfMeasurement"] = src["declaredUnit"]
    pcf["declaredUnitAmount"] = src["unitaryProductAmount"]
    with localcontext() as ctx:
        ctx.prec = 28
        for old, new in _PER_DECLARED_UNIT.items():
            if old in src:
                pcf[new] = _fmt(_dec(src[old]) * amount)
    if "productMassPerDeclaredUnit" not in pcf:
        if src["declaredUnit"] == "kilogram":
            pcf["productMassPerDeclaredUnit"] = _fmt(amount)
        elif src["declaredUnit"] in _NO_MASS_UNITS:
            pcf["productMassPerDeclaredUnit"] = "0"  # v3: 0 where mass is not relevant
        else:
            problems.append(f"{path}.pcf.productMassPerDeclaredUnit: needed for v3, not given")
    if "pcfIncludingBiogenicUptake" not in pcf:
        problems.append(f"{path}.pcf.pCfIncludingBiogenic: needed for v3, not given")
    pcf["ipccCharacterizationFactors"] = copy.deepcopy(
        src.get("ipccCharacterizationFactorsSources", [src["characterizationFactors"]])
    )
    pcf["crossSectoralStandards"] = copy.deepcopy(
        src.get("crossSectoralStandards")
        or [_STANDARD_V2_TO_V3[s] for s in src["crossSectoralStandardsUsed"]]
    )
    pcf["exemptedEmissionsPercent"] = _fmt(_dec(src["exemptedEmissionsPercent"]))
    if "primaryDataShare" in src:
        pcf["primaryDataShare"] = _fmt(_dec(src["primaryDataShare"]))
    # DQRs are not carried over: the 1-3 and 1-5 scales have no defined mapping.
    out["pcf"] = pcf
    return out


def _to_v2(doc: dict, version: str, path: str, problems: Problems) -> dict:
    src = doc["pcf"]
    amount = _dec(src["declaredUnitAmount"])
    out = {k: copy.deepcopy(doc[k]) for k in _SAME_NAME_PF if k in doc}
    out["specVersion"] = version
    out["version"] = doc.get("version", 1)
    out.setdefault("comment", "")
    cpcs = [
        u[len(_CPC_URN) :] for u in doc.get("productClassifications", []) if u.startswith(_CPC_URN)
    ]
    if cpcs:
        out["productCategoryCpc"] = cpcs[0]
    else:
        problems.append(f"{path}.productClassifications: no UN CPC code for v2 productCategoryCpc")
    pcf = {k: copy.deepcopy(src[k]) for k in _SAME_NAME_PCF if k in src}
    if src["declaredUnitOfMeasurement"] not in V2_DECLARED_UNITS:
        problems.append(
            f"{path}.pcf.declaredUnitOfMeasurement: {src['declaredUnitOfMeasurement']!r} "
            "has no v2 declaredUnit"
        )
    pcf["declaredUnit"] = src["declaredUnitOfMeasurement"]
    pcf["unitaryProductAmount"] = src["declaredUnitAmount"]
    with localcontext() as ctx:
        ctx.prec = 28
        for old, new in _PER_DECLARED_UNIT.items():
            if new in src:
                pcf[old] = _fmt(_dec(src[new]) / amount)
    for name in ("biogenicCarbonContent", "packagingEmissionsIncluded"):
        if name not in src:
            problems.append(f"{path}.pcf.{name}: needed for v2, not given")
    factors = src["ipccCharacterizationFactors"]
    usable = [f for f in ("AR6", "AR5") if f in factors]
    if usable:
        pcf["characterizationFactors"] = usable[0]
    else:
        problems.append(f"{path}.pcf.ipccCharacterizationFactors: v2 needs AR5 or AR6")
    pcf["ipccCharacterizationFactorsSources"] = copy.deepcopy(factors)
    back = {v: k for k, v in _STANDARD_V2_TO_V3.items()}
    used = [back[s] for s in src["crossSectoralStandards"] if s in back]
    if used:
        pcf["crossSectoralStandardsUsed"] = used
    else:
        problems.append(f"{path}.pcf.crossSectoralStandards: none of them has a v2 name")
    pcf["crossSectoralStandards"] = [s for s in src["crossSectoralStandards"] if s in _V3_STANDARDS]
    pcf.setdefault("boundaryProcessesDescription", "")
    pcf.setdefault("exemptedEmissionsDescription", "")
    exempted = _dec(src["exemptedEmissionsPercent"])
    if exempted > 5:
        problems.append(f"{path}.pcf.exemptedEmissionsPercent: {exempted} exceeds v2's 5%")
    pcf["exemptedEmissionsPercent"] = float(exempted)
    if "primaryDataShare" in src:
        pcf["primaryDataShare"] = float(src["primaryDataShare"])
    out["pcf"] = pcf
    return out


def _target_version(spec_version: str) -> tuple[int, str]:
    text = str(spec_version)
    full = {"2": "2.3.0", "2.3": "2.3.0", "3": "3.0.0", "3.0": "3.0.0"}.get(text, text)
    match = _SPEC_VERSION.fullmatch(full)
    if match is None or (int(match[1]), int(match[2])) not in _SUPPORTED:
        raise ValidationError(
            f"spec_version {spec_version!r} is not supported: give 2.0.x to 2.3.x or 3.0.x"
        )
    return int(match[1]), full


def write_pact(
    footprints: Iterable[ProductFootprint],
    spec_version: str,
    path: str | PathLike | None = None,
) -> dict:
    """Write footprints as a PACT list response ``{"data": [...]}``.

    A footprint whose major version equals the requested one is written exactly
    as it was read (its original document, every field kept, its own
    ``specVersion``). A footprint of the other major version is converted: the
    fields the two versions share are copied, per-declared-unit values are
    rescaled between v2's one unit and v3's ``declaredUnitAmount`` units, and
    renamed fields are renamed. DQRs are not converted (their scales differ).

    Parameters
    ----------
    footprints : iterable of ProductFootprint
    spec_version : str
        Target version: ``"2.0.0"``...``"2.3.x"``, ``"3.0.x"``, or ``"2"``/``"3"``
        for 2.3.0/3.0.0.
    path : str or path-like, optional
        Also write the JSON (UTF-8, indented) to this file.

    Returns
    -------
    dict
        ``{"data": [ProductFootprint objects]}``.

    Raises
    ------
    ValidationError
        When a conversion lacks data the target version requires, listing each.
    """
    major, full = _target_version(spec_version)
    problems: Problems = []
    data = []
    for i, fp in enumerate(footprints):
        doc = dict(fp.document)
        if fp.spec_major == major:
            data.append(copy.deepcopy(doc))
        elif major == 3:
            data.append(_to_v3(doc, full, f"$.data[{i}]", problems))
        else:
            data.append(_to_v2(doc, full, f"$.data[{i}]", problems))
    if problems:
        raise ValidationError(f"cannot write {len(problems)} field(s) as PACT {full}", problems)
    payload = {"data": data}
    if path is not None:
        Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return payload

"""Complete PACT ProductFootprint documents to start tests from.

The documents follow the WBCSD PACT Technical Specifications (v2.2 and v3.0,
https://github.com/wbcsd/data-exchange-protocol, ``spec/v2/index.bs`` and
``spec/v3/openapi.yaml``); company and product names are invented. Each
builder returns a fresh deep copy, so a test may mutate what it gets.
"""

from __future__ import annotations

import copy


def example_pact_v2(unit: str = "liter", **pcf_overrides: object) -> dict:
    """A complete PACT v2.2 ProductFootprint, values chosen to check by hand.

    ``pCfExcludingBiogenic`` is 1.63 kgCO2e per ONE declared unit (v2's rule),
    ``unitaryProductAmount`` 12 declared units per product; its five DQRs
    average 1.96 on v2's 1-3 scale.

    Parameters
    ----------
    unit : str
        ``pcf.declaredUnit``, one of PACT v2's declared units.
    **pcf_overrides
        Fields of ``pcf`` to replace or add (decimal strings where PACT v2
        wants them).

    Returns
    -------
    dict
        A new document each call, which :func:`gxdlib.io.read_pact` accepts.
    """
    doc = {
        "id": "91715e5e-fd0b-4d1c-8fab-76290c46e6ed",
        "specVersion": "2.2.0",
        "version": 1,
        "created": "2023-03-01T09:32:20Z",
        "status": "Active",
        "companyName": "Kansai Kasei K.K.",
        "companyIds": ["URN:PACT:kasei.example.jp:company-id:1234567890123"],
        "productDescription": "Ethanol 98%",
        "productIds": ["urn:gtin:5695872369587"],
        "productCategoryCpc": "3342",
        "productNameCompany": "Green Ethanol",
        "comment": "",
        "pcf": {
            "declaredUnit": unit,
            "unitaryProductAmount": "12",
            "pCfExcludingBiogenic": "1.63",
            "pCfIncludingBiogenic": "1.85",
            "fossilGhgEmissions": "1.5",
            "fossilCarbonContent": "0",
            "biogenicCarbonContent": "0.41",
            "characterizationFactors": "AR6",
            "ipccCharacterizationFactorsSources": ["AR6"],
            "crossSectoralStandardsUsed": ["GHG Protocol Product standard", "ISO Standard 14067"],
            "boundaryProcessesDescription": "Cradle-to-gate",
            "referencePeriodStart": "2022-01-01T00:00:00Z",
            "referencePeriodEnd": "2023-01-01T00:00:00Z",
            "geographyCountry": "JP",
            "exemptedEmissionsPercent": 0.5,
            "exemptedEmissionsDescription": "",
            "packagingEmissionsIncluded": False,
            "primaryDataShare": 12.9,
            "dqi": {
                "coveragePercent": 78,
                "technologicalDQR": 1.6,
                "temporalDQR": 2.6,
                "geographicalDQR": 1.8,
                "completenessDQR": 1.7,
                "reliabilityDQR": 2.1,
            },
        },
        "extensions": [
            {"specVersion": "2.0.0", "dataSchema": "https://x.example/s.json", "data": {"k": 1}}
        ],
    }
    doc["pcf"].update(pcf_overrides)
    return copy.deepcopy(doc)


def example_pact_v3(
    unit: str = "piece", amount: str = "1000", pcf: str = "250", **pcf_overrides: object
) -> dict:
    """A complete PACT v3.0 ProductFootprint, values chosen to check by hand.

    The PCF is ``pcf`` kgCO2e per ``amount`` units of ``unit`` (v3's rule), so
    per one unit it is ``pcf / amount`` (0.25 kgCO2e per piece by default).
    Its buyer-assigned ids name supplier ``S001`` and product ``P-100``.

    Parameters
    ----------
    unit : str
        ``pcf.declaredUnitOfMeasurement``, one of PACT v3's units.
    amount : str
        ``pcf.declaredUnitAmount``, a decimal string > 0.
    pcf : str
        ``pcf.pcfExcludingBiogenicUptake`` [kgCO2e per ``amount`` units], a
        decimal string.
    **pcf_overrides
        Fields of ``pcf`` to replace or add (every v3 number is a decimal
        string).

    Returns
    -------
    dict
        A new document each call, which :func:`gxdlib.io.read_pact` accepts.
    """
    doc = {
        "id": "079e425a-464f-528d-341d-4a944a1dfd70",
        "specVersion": "3.0.0",
        "created": "2024-10-31T00:00:00Z",
        "status": "Active",
        "validityPeriodStart": "2024-01-01T00:00:00Z",
        "validityPeriodEnd": "2026-01-01T00:00:00Z",
        "companyName": "Kyushu Denshi K.K.",
        "companyIds": [
            "urn:pact:denshi.example.jp:company-id:9876543210987",
            "urn:pact:buyer.example.jp:buyer-id:S001",
        ],
        "productDescription": "MLCC 0402",
        "productIds": ["urn:pact:buyer.example.jp:buyer-id:P-100"],
        "productClassifications": ["urn:pact:productclassification:un-cpc:4714"],
        "productNameCompany": "MLCC 0402 100nF",
        "pcf": {
            "declaredUnitOfMeasurement": unit,
            "declaredUnitAmount": amount,
            "productMassPerDeclaredUnit": "0.5",
            "referencePeriodStart": "2023-01-01T00:00:00Z",
            "referencePeriodEnd": "2024-01-01T00:00:00Z",
            "geographyRegionOrSubregion": "Eastern Asia",
            "pcfExcludingBiogenicUptake": pcf,
            "pcfIncludingBiogenicUptake": "240",
            "fossilGhgEmissions": "245",
            "fossilCarbonContent": "0",
            "biogenicCarbonContent": "0",
            "ipccCharacterizationFactors": ["AR6"],
            "crossSectoralStandards": ["GHGP-Product", "ISO14067"],
            "exemptedEmissionsPercent": "0",
            "packagingEmissionsIncluded": False,
            "primaryDataShare": "40.5",
            "dqi": {"technologicalDQR": "1.0", "geographicalDQR": "3.0", "temporalDQR": "2.0"},
        },
    }
    doc["pcf"].update(pcf_overrides)
    return copy.deepcopy(doc)

"""A deterministic sample supply chain: an electronics maker's ledger and its suppliers' PCFs.

Invented but realistic: 150 suppliers across the 40 sectors of the illustrative
spend-factor table (``gxdlib/data/spend_factors_sample.csv``), fiscal years
2022-2024, about 2,500 purchase lines, and PACT ProductFootprints from about a
third of the suppliers, in v2.x (materials and logistics suppliers) and v3.0
(electronic parts, whose unit is ``piece``, which v2 lacks). PCF intensities
scatter around the sector's spend-based intensity (lognormal, median 0.8x) so
the gap between primary data and estimates is visible. A few footprints are
deliberately unusable: one deprecated, one valid for only two months after its
reference period, and a
v2 footprint per kilogram for parts bought by the piece (no product mass).
Everything is generated from ``seed``; the same seed gives the same data.
"""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd

from gxdlib.footprint.factors import SpendFactors
from gxdlib.footprint.model import ProductFootprint
from gxdlib.io.pact import parse_pact

__all__ = [
    "supply_chain_footprints",
    "supply_chain_ledger",
    "supply_chain_pact_v2",
    "supply_chain_pact_v3",
]

BUYER_DOMAIN = "gxd-electronics.example.jp"
FISCAL_YEARS = (2022, 2023, 2024)
N_SUPPLIERS = 150

# sector -> (ledger unit or "" for spend-only services, unit price [JPY/unit],
#            product mass [kg/unit] or 0, sourcing weight)
_SECTORS: dict[str, tuple[str, float, float, float]] = {
    "integrated_circuits": ("piece", 850.0, 0.002, 6),
    "semiconductor_devices": ("piece", 45.0, 0.001, 5),
    "liquid_crystal_panels": ("piece", 9_000.0, 0.6, 3),
    "printed_circuit_boards": ("square meter", 60_000.0, 0.0, 5),
    "electronic_components_other": ("piece", 6.0, 0.0005, 6),
    "batteries": ("piece", 2_400.0, 0.25, 3),
    "electric_wire_cable": ("kg", 1_900.0, 0.0, 3),
    "rotating_electrical_machinery": ("piece", 4_800.0, 1.2, 3),
    "power_supplies": ("piece", 3_500.0, 0.8, 4),
    "hot_rolled_steel": ("t", 110_000.0, 0.0, 3),
    "coated_steel_sheet": ("t", 150_000.0, 0.0, 3),
    "copper_products": ("kg", 1_300.0, 0.0, 2),
    "aluminium_products": ("kg", 700.0, 0.0, 3),
    "metal_fasteners": ("piece", 4.0, 0.004, 3),
    "synthetic_resins": ("kg", 320.0, 0.0, 3),
    "plastic_products": ("piece", 120.0, 0.05, 5),
    "rubber_products": ("piece", 80.0, 0.02, 2),
    "glass_products": ("kg", 400.0, 0.0, 1),
    "corrugated_packaging": ("kg", 150.0, 0.0, 3),
    "chemical_products": ("kg", 900.0, 0.0, 2),
    "paints_inks": ("L", 1_200.0, 0.0, 1),
    "industrial_gases": ("m3", 250.0, 0.0, 1),
    "industrial_machinery": ("piece", 2_500_000.0, 800.0, 2),
    "measuring_instruments": ("piece", 900_000.0, 15.0, 2),
    "office_supplies": ("", 0.0, 0.0, 1),
    "road_freight": ("tkm", 45.0, 0.0, 4),
    "ocean_freight": ("tkm", 3.0, 0.0, 2),
    "air_freight": ("tkm", 160.0, 0.0, 1),
    "warehousing": ("", 0.0, 0.0, 2),
    "software": ("", 0.0, 0.0, 3),
    "information_services": ("", 0.0, 0.0, 3),
    "telecommunications": ("", 0.0, 0.0, 1),
    "advertising": ("", 0.0, 0.0, 1),
    "equipment_rental": ("", 0.0, 0.0, 1),
    "maintenance_repair": ("h", 9_000.0, 0.0, 2),
    "worker_dispatch": ("h", 3_800.0, 0.0, 2),
    "building_cleaning": ("", 0.0, 0.0, 1),
    "research_development": ("", 0.0, 0.0, 1),
    "professional_services": ("h", 25_000.0, 0.0, 1),
    "insurance": ("", 0.0, 0.0, 1),
}
_PACT_UNIT = {
    "piece": "piece", "square meter": "square meter", "kg": "kilogram", "t": "kilogram",
    "L": "liter", "m3": "cubic meter", "tkm": "ton kilometer", "h": "hour",
}  # fmt: skip
_PLACES = (
    "Kanto", "Kansai", "Chubu", "Kyushu", "Hokuriku", "Tohoku", "Shinetsu", "Sanyo",
    "Tokai", "Keihin", "Hanshin", "Seto", "Hokkaido", "Shikoku", "Sagami",
)  # fmt: skip
_WORDS = (
    "Denshi", "Seiko", "Kasei", "Kinzoku", "Butsuryu", "Shoji", "Kogyo", "Techno",
    "Systems", "Precision", "Devices", "Materials", "Logistics", "Services",
)  # fmt: skip


def _decimal(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _suppliers(rng: np.random.Generator) -> pd.DataFrame:
    codes = list(_SECTORS)
    weights = np.array([_SECTORS[c][3] for c in codes], dtype=float)
    # One supplier per sector first, so every sector is bought from.
    drawn = rng.choice(codes, size=N_SUPPLIERS - len(codes), p=weights / weights.sum())
    sector = np.concatenate([codes, drawn])
    names = [
        f"{rng.choice(_PLACES)} {rng.choice(_WORDS)} {i:03d} K.K."
        for i in range(1, N_SUPPLIERS + 1)
    ]
    return pd.DataFrame(
        {
            "supplier_id": [f"S{i:03d}" for i in range(1, N_SUPPLIERS + 1)],
            "supplier_name": names,
            "sector": sector,
            # annual spend scale [JPY], heavy-tailed as real supplier bases are
            "annual_spend_jpy": np.round(rng.lognormal(np.log(30e6), 1.3, N_SUPPLIERS), -3),
            "corporate_number": rng.integers(10**12, 10**13 - 1, N_SUPPLIERS),
        }
    )


def _products(rng: np.random.Generator, suppliers: pd.DataFrame) -> pd.DataFrame:
    counts = rng.integers(2, 7, len(suppliers))
    products = suppliers.loc[suppliers.index.repeat(counts)].reset_index(drop=True)
    number = products.groupby("supplier_id").cumcount() + 1
    products["product_id"] = products["supplier_id"] + "-P" + number.map("{:02d}".format)
    products["unit"] = products["sector"].map(lambda s: _SECTORS[s][0])
    base_price = products["sector"].map(lambda s: _SECTORS[s][1]).to_numpy(float)
    products["unit_price_jpy"] = base_price * rng.lognormal(0.0, 0.35, len(products))
    base_mass = products["sector"].map(lambda s: _SECTORS[s][2]).to_numpy(float)
    products["mass_kg_per_unit"] = base_mass * rng.lognormal(0.0, 0.3, len(products))
    share = rng.dirichlet(np.ones(3), len(products)).max(axis=1)
    products["spend_share"] = share / products.groupby("supplier_id")["sector"].transform("size")
    return products


def supply_chain_ledger(seed: int = 2024) -> pd.DataFrame:
    """The sample purchase ledger (same layout as :func:`gxdlib.io.read_purchases`).

    Parameters
    ----------
    seed : int
        Seed of the numpy Generator; the same seed gives the same ledger.

    Returns
    -------
    pandas.DataFrame
        About 2,500 lines, 150 suppliers, 40 sectors, fiscal years 2022-2024;
        index ``line_id``; ``source_line`` counts from 2 as a CSV export would.

    Examples
    --------
    >>> ledger = supply_chain_ledger()
    >>> int(ledger["supplier_id"].nunique()), int(ledger["sector"].nunique())
    (150, 40)
    """
    rng = np.random.default_rng(seed)
    suppliers = _suppliers(rng)
    products = _products(rng, suppliers)
    combos = products.loc[products.index.repeat(len(FISCAL_YEARS))].reset_index(drop=True)
    combos["fiscal_year"] = np.tile(FISCAL_YEARS, len(products))
    orders = rng.integers(1, 3, len(combos))
    lines = combos.loc[combos.index.repeat(orders)].reset_index(drop=True)
    per_order = lines["annual_spend_jpy"] * lines["spend_share"] / np.repeat(orders, orders)
    growth = 1.03 ** (lines["fiscal_year"] - FISCAL_YEARS[0])
    spend = np.round(per_order * growth * rng.lognormal(0.0, 0.25, len(lines)), 0)
    has_quantity = lines["unit"].ne("")
    price = lines["unit_price_jpy"] * rng.lognormal(0.0, 0.05, len(lines))
    quantity = np.where(has_quantity, spend / price.where(has_quantity, 1.0), np.nan)
    # Materials in tonnes and freight in tkm come to three decimals, parts in whole pieces.
    whole = lines["unit"].isin(["piece", "h"]).to_numpy()
    quantity = np.where(whole, np.maximum(np.round(quantity), 1.0), np.round(quantity, 3))
    ledger = pd.DataFrame(
        {
            "supplier_id": lines["supplier_id"].astype("str"),
            "supplier_name": lines["supplier_name"].astype("str"),
            "product_id": lines["product_id"].astype("str"),
            "description": (lines["sector"].str.replace("_", " ") + " " + lines["product_id"]),
            "sector": lines["sector"].astype("str"),
            "quantity": quantity,
            "quantity_unit": lines["unit"].replace("", pd.NA).astype("str"),
            "spend_jpy": spend.astype(float),
            "fiscal_year": lines["fiscal_year"].astype(int),
        }
    )
    ledger["source_line"] = np.arange(2, len(ledger) + 2)
    ledger.index = pd.RangeIndex(len(ledger), name="line_id")
    return ledger


def _uuid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def _pact_documents(seed: int) -> tuple[list[dict], list[dict]]:
    rng = np.random.default_rng(seed)
    suppliers = _suppliers(rng)
    products = _products(rng, suppliers)
    factors = SpendFactors.sample().table["kgco2e_per_jpy"]
    pcf_rng = np.random.default_rng([seed, 1])
    goods = products[products["unit"].ne("")]
    bigness = suppliers.set_index("supplier_id")["annual_spend_jpy"]
    chosen_suppliers = goods["supplier_id"].drop_duplicates()
    p = bigness[chosen_suppliers].to_numpy() ** 0.5
    chosen = pcf_rng.choice(chosen_suppliers.to_numpy(), size=50, replace=False, p=p / p.sum())
    v2_docs: list[dict] = []
    v3_docs: list[dict] = []
    for supplier_id in sorted(chosen):
        rows = goods[goods["supplier_id"] == supplier_id]
        supplier = suppliers.set_index("supplier_id").loc[supplier_id]
        domain = f"{supplier_id.lower()}.supplier.example.jp"
        company_ids = [
            f"urn:pact:{domain}:company-id:{supplier['corporate_number']}",
            f"urn:pact:{BUYER_DOMAIN}:buyer-id:{supplier_id}",
        ]
        unit = rows["unit"].iloc[0]
        # Parts by the piece (and hours) need v3; some parts makers still send v2 per kg.
        v2_per_kg_parts = unit == "piece" and pcf_rng.random() < 0.12
        use_v2 = (unit not in ("piece", "h") and pcf_rng.random() < 0.6) or v2_per_kg_parts
        for _, row in rows.iterrows():
            if pcf_rng.random() < 0.25:
                continue  # not every product has a PCF yet
            ratio = pcf_rng.lognormal(np.log(0.8), 0.45)
            per_ledger_unit = factors[row["sector"]] * row["unit_price_jpy"] * ratio
            ledger_to_pact = 1000.0 if row["unit"] == "t" else 1.0
            per_unit = per_ledger_unit / ledger_to_pact  # per PACT unit (t -> kilogram)
            pact_unit = _PACT_UNIT[row["unit"]]
            year = int(pcf_rng.choice([2022, 2023]))
            common = {
                "id": _uuid(pcf_rng),
                "created": f"{year + 1}-02-{int(pcf_rng.integers(1, 28)):02d}T09:00:00Z",
                "status": "Active",
                "companyName": supplier["supplier_name"],
                "companyIds": company_ids,
                "productDescription": f"{row['sector'].replace('_', ' ')} {row['product_id']}",
                "productIds": [
                    f"urn:pact:{domain}:supplier-id:{row['product_id'].split('-')[1]}",
                    f"urn:pact:{BUYER_DOMAIN}:buyer-id:{row['product_id']}",
                ],
                "productNameCompany": row["sector"].replace("_", " ").title()
                + " "
                + row["product_id"],
            }
            reference = {
                "referencePeriodStart": f"{year}-01-01T00:00:00Z",
                "referencePeriodEnd": f"{year + 1}-01-01T00:00:00Z",
                "geographyCountry": "JP",
            }
            share = float(np.round(pcf_rng.uniform(15, 90), 1))
            if use_v2:
                if v2_per_kg_parts:
                    pact_unit, per_unit = "kilogram", per_unit / max(row["mass_kg_per_unit"], 1e-3)
                doc = {
                    **common,
                    "specVersion": str(pcf_rng.choice(["2.2.0", "2.3.0"])),
                    "version": 1,
                    "comment": "",
                    "productCategoryCpc": "4",
                    "pcf": {
                        "declaredUnit": pact_unit,
                        "unitaryProductAmount": "1",
                        "pCfExcludingBiogenic": _decimal(per_unit),
                        "pCfIncludingBiogenic": _decimal(per_unit),
                        "fossilGhgEmissions": _decimal(per_unit * 0.98),
                        "fossilCarbonContent": "0",
                        "biogenicCarbonContent": "0",
                        "characterizationFactors": "AR6",
                        "ipccCharacterizationFactorsSources": ["AR6"],
                        "crossSectoralStandardsUsed": [
                            "GHG Protocol Product standard",
                            "ISO Standard 14067",
                        ],
                        "boundaryProcessesDescription": "Cradle-to-gate",
                        **reference,
                        "exemptedEmissionsPercent": float(np.round(pcf_rng.uniform(0, 3), 1)),
                        "exemptedEmissionsDescription": "",
                        "packagingEmissionsIncluded": bool(pcf_rng.random() < 0.5),
                        "primaryDataShare": share,
                        "dqi": {
                            "coveragePercent": 90,
                            **{
                                name: float(np.round(pcf_rng.uniform(1.0, 3.0), 1))
                                for name in (
                                    "technologicalDQR",
                                    "temporalDQR",
                                    "geographicalDQR",
                                    "completenessDQR",
                                    "reliabilityDQR",
                                )  # fmt: skip
                            },
                        },
                    },
                }
                v2_docs.append(doc)
            else:
                amount = {"piece": 1000.0, "liter": 12.0}.get(pact_unit, 1.0)
                mass = row["mass_kg_per_unit"] * amount if pact_unit == "piece" else 0.0
                if pact_unit == "kilogram":
                    mass = amount
                doc = {
                    **common,
                    "specVersion": "3.0.0",
                    "pcf": {
                        "declaredUnitOfMeasurement": pact_unit,
                        "declaredUnitAmount": _decimal(amount),
                        "productMassPerDeclaredUnit": _decimal(mass),
                        **reference,
                        "pcfExcludingBiogenicUptake": _decimal(per_unit * amount),
                        "pcfIncludingBiogenicUptake": _decimal(per_unit * amount),
                        "fossilGhgEmissions": _decimal(per_unit * amount * 0.98),
                        "fossilCarbonContent": "0",
                        "ipccCharacterizationFactors": ["AR6"],
                        "crossSectoralStandards": ["GHGP-Product", "ISO14067", "PACT-3.0"],
                        "exemptedEmissionsPercent": "0",
                        "primaryDataShare": _decimal(share),
                        "dqi": {
                            name: _decimal(np.round(pcf_rng.uniform(1.0, 5.0), 1))
                            for name in ("technologicalDQR", "geographicalDQR", "temporalDQR")
                        },
                    },
                }
                v3_docs.append(doc)
    # Two deliberately unusable footprints, so the sample shows why lines miss.
    if v3_docs:
        v3_docs[0]["status"] = "Deprecated"
    if len(v3_docs) > 1:
        v3_docs[1]["validityPeriodStart"] = v3_docs[1]["pcf"]["referencePeriodEnd"]
        end_year = v3_docs[1]["pcf"]["referencePeriodEnd"][:4]
        v3_docs[1]["validityPeriodEnd"] = f"{end_year}-03-01T00:00:00Z"
    return v2_docs, v3_docs


def supply_chain_pact_v2(seed: int = 2024) -> dict:
    """Sample PACT v2.2/v2.3 footprints as an API response ``{"data": [...]}``."""
    return {"data": _pact_documents(seed)[0]}


def supply_chain_pact_v3(seed: int = 2024) -> dict:
    """Sample PACT v3.0 footprints as an API response ``{"data": [...]}``."""
    return {"data": _pact_documents(seed)[1]}


def supply_chain_footprints(seed: int = 2024) -> list[ProductFootprint]:
    """Every sample footprint (v2.x then v3.0), read through the PACT reader."""
    v2, v3 = _pact_documents(seed)
    return parse_pact(v2) + parse_pact(v3)

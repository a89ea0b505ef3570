"""Benchmark: hybrid Scope 3 category 1 + gap report against the same logic in DuckDB SQL.

1,000,000 ledger lines and 50,000 footprints (synthetic, seeded). Ours:
``scope3_category1`` then ``gap_report`` and the result views. Baseline: the
same identifier normalisation, candidate join, best-footprint choice, unit
conversion, method hierarchy, per-method/supplier/sector totals, coverage,
primary-vs-spend lines and supplier Pareto, written in DuckDB SQL over the same
data, in the same process. Prints both times, the ratio and the peak memory.

Run: ``.venv/bin/python benchmarks/bench_footprint.py``
"""

from __future__ import annotations

import resource
import time

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from gxdlib.footprint import AverageFactors, SpendFactors, gap_report, scope3_category1
from gxdlib.footprint.model import unit_table

N_LINES = 1_000_000
N_FOOTPRINTS = 50_000
N_SUPPLIERS = 20_000
N_PRODUCTS = 200_000
BUYER = "urn:pact:buyer.example.jp:buyer-id:"


def make_data(seed: int = 7):
    rng = np.random.default_rng(seed)
    spend = SpendFactors.sample()
    average = AverageFactors.sample()
    sectors = spend.table.index.to_numpy()
    product_supplier = rng.integers(0, N_SUPPLIERS, N_PRODUCTS)
    product_sector = rng.choice(sectors, N_PRODUCTS)
    sector_units = rng.choice(["piece", "kg", "t", "tkm"], len(sectors))
    unit_of = dict(zip(sectors, sector_units, strict=True))
    product = rng.integers(0, N_PRODUCTS, N_LINES)
    units = np.array([unit_of[s] for s in product_sector])
    ledger = pd.DataFrame(
        {
            "supplier_id": pd.array([f"S{i:05d}" for i in product_supplier[product]], dtype="str"),
            "product_id": pd.array([f"P{i:06d}" for i in product], dtype="str"),
            "sector": pd.array(product_sector[product], dtype="str"),
            "quantity": rng.lognormal(5, 1, N_LINES).round(2),
            "quantity_unit": pd.array(units[product], dtype="str"),
            "spend_jpy": rng.lognormal(12, 1.2, N_LINES).round(0),
            "fiscal_year": rng.choice([2022, 2023, 2024], N_LINES),
        }
    )
    ledger.index.name = "line_id"
    fp_product = rng.choice(N_PRODUCTS, N_FOOTPRINTS, replace=False)
    ref_year = rng.choice([2021, 2022, 2023], N_FOOTPRINTS)
    ref_end = pd.to_datetime([f"{y + 1}-01-01" for y in ref_year], utc=True)
    pact_unit = {"piece": "piece", "kg": "kilogram", "t": "kilogram", "tkm": "ton kilometer"}
    fp = pd.DataFrame(
        {
            "id": [f"{i:08x}-0000-4000-8000-000000000000" for i in range(N_FOOTPRINTS)],
            "status": np.where(rng.random(N_FOOTPRINTS) < 0.02, "Deprecated", "Active"),
            "company_ids": [
                (f"urn:pact:s{s}.example.jp:company-id:{s}", f"{BUYER}S{s:05d}")
                for s in product_supplier[fp_product]
            ],
            "product_ids": [(f"{BUYER}P{p:06d}",) for p in fp_product],
            "unit": [pact_unit[units[p]] for p in fp_product],
            "pcf_kgco2e_per_unit": rng.lognormal(0, 1, N_FOOTPRINTS),
            "product_mass_kg_per_unit": rng.choice([0.0, 0.5], N_FOOTPRINTS),
            "reference_period_end": ref_end,
            "valid_from": ref_end,
            "valid_until": ref_end + pd.DateOffset(years=3),
            "primary_data_share_pct": rng.uniform(10, 90, N_FOOTPRINTS),
            "quality_score": rng.uniform(0, 1, N_FOOTPRINTS),
        }
    )
    return ledger, fp, spend, average


def ours(ledger, fp, spend, average):
    result = scope3_category1(ledger, fp, spend, average)
    gaps = gap_report(result)
    views = (
        result.totals_by_method(),
        result.totals_by_supplier(),
        result.totals_by_sector(),
        result.coverage(),
    )
    return result, gaps, views


SQL = r"""
CREATE OR REPLACE TEMP TABLE lines AS
WITH
norm_fp_c AS (SELECT row_number() OVER () - 1 AS fp, * FROM fp),
comp AS (
  SELECT fp, CASE WHEN lower(u) LIKE 'urn:%'
    THEN 'urn:' || lower(split_part(u, ':', 2)) || ':' || regexp_replace(u, '^[^:]+:[^:]+:', '')
    ELSE u END AS k
  FROM (SELECT fp, unnest(company_ids) AS u FROM norm_fp_c)),
comp_keys AS (
  SELECT fp, k FROM comp UNION
  SELECT fp, regexp_extract(k, '^urn:pact:[^:]+:buyer-id:(.+)$', 1) FROM comp
  WHERE regexp_matches(k, '^urn:pact:[^:]+:buyer-id:')),
prod AS (
  SELECT fp, CASE WHEN lower(u) LIKE 'urn:%'
    THEN 'urn:' || lower(split_part(u, ':', 2)) || ':' || regexp_replace(u, '^[^:]+:[^:]+:', '')
    ELSE u END AS k
  FROM (SELECT fp, unnest(product_ids) AS u FROM norm_fp_c)),
prod_keys AS (
  SELECT fp, k FROM prod UNION
  SELECT fp, regexp_extract(k, '^urn:pact:[^:]+:buyer-id:(.+)$', 1) FROM prod
  WHERE regexp_matches(k, '^urn:pact:[^:]+:buyer-id:')),
pairs AS (SELECT DISTINCT c.k AS s, p.k AS p, c.fp FROM comp_keys c JOIN prod_keys p USING (fp)),
l AS (
  SELECT row_number() OVER () - 1 AS line, *,
    CASE WHEN lower(supplier_id) LIKE 'urn:%' THEN 'urn:' || lower(split_part(supplier_id, ':', 2))
      || ':' || regexp_replace(supplier_id, '^[^:]+:[^:]+:', '') ELSE supplier_id END AS s,
    CASE WHEN lower(product_id) LIKE 'urn:%' THEN 'urn:' || lower(split_part(product_id, ':', 2))
      || ':' || regexp_replace(product_id, '^[^:]+:[^:]+:', '') ELSE product_id END AS p,
    make_timestamptz(fiscal_year, 4, 1, 0, 0, 0, 'Asia/Tokyo') AS fy_start,
    make_timestamptz(fiscal_year + 1, 4, 1, 0, 0, 0, 'Asia/Tokyo') AS fy_end
  FROM ledger),
lu AS (SELECT l.*, u.dimension AS ldim, u.size_in_base AS lsize
       FROM l LEFT JOIN units u ON u.unit = l.quantity_unit),
cand AS (
  SELECT lu.line, f.fp, f.id, f.quality_score, f.reference_period_end, f.pcf_kgco2e_per_unit,
    f.primary_data_share_pct,
    CASE WHEN lu.ldim = fu.dimension THEN lu.lsize / fu.size_in_base
         WHEN lu.ldim = 'mass' AND f.product_mass_kg_per_unit > 0
           THEN lu.lsize / f.product_mass_kg_per_unit END AS conv,
    CASE WHEN f.status <> 'Active' THEN 4
         WHEN NOT (f.valid_from < lu.fy_end AND lu.fy_start < f.valid_until) THEN 3
         WHEN lu.quantity IS NULL THEN 2
         WHEN NOT (lu.ldim = fu.dimension OR (lu.ldim = 'mass' AND f.product_mass_kg_per_unit > 0))
           THEN 1 ELSE 0 END AS issue
  FROM lu JOIN pairs pr ON pr.s = lu.s AND pr.p = lu.p
  JOIN norm_fp_c f ON f.fp = pr.fp LEFT JOIN units fu ON fu.unit = f.unit),
best AS (
  SELECT * FROM cand QUALIFY row_number() OVER (
    PARTITION BY line
    ORDER BY issue, coalesce(quality_score, -1) DESC, reference_period_end DESC) = 1),
assessed AS (
  SELECT lu.line, lu.supplier_id, lu.product_id, lu.sector, lu.spend_jpy,
    CASE WHEN b.issue = 0 THEN lu.quantity * b.conv * b.pcf_kgco2e_per_unit END AS primary_kg,
    CASE WHEN lu.ldim = au.dimension
      THEN lu.quantity * lu.lsize / au.size_in_base * a.kgco2e_per_unit END AS avg_kg,
    lu.spend_jpy * sf.kgco2e_per_jpy AS spend_kg,
    CASE WHEN b.issue = 0 THEN b.id END AS footprint_id,
    CASE WHEN b.issue = 0 THEN b.primary_data_share_pct END AS pds,
    coalesce(b.issue, 5) AS primary_issue
  FROM lu LEFT JOIN best b ON b.line = lu.line
  LEFT JOIN avg a ON a.category = lu.sector LEFT JOIN units au ON au.unit = a.unit
  LEFT JOIN spend sf ON sf.sector = lu.sector)
SELECT *,
  CASE WHEN primary_kg IS NOT NULL THEN 'supplier-specific'
       WHEN avg_kg IS NOT NULL THEN 'average-data'
       WHEN spend_kg IS NOT NULL THEN 'spend-based' ELSE 'unassessed' END AS method,
  coalesce(primary_kg, avg_kg, spend_kg) AS emissions_kgco2e
FROM assessed;
"""
VIEWS = {
    "by_method": "SELECT method, count(*) AS lines, sum(spend_jpy) AS spend_jpy, "
    "sum(emissions_kgco2e) AS emissions_kgco2e, sum(spend_kg) AS spend_based_kgco2e "
    "FROM lines GROUP BY method",
    "by_supplier": "SELECT supplier_id, count(*) AS lines, sum(spend_jpy) AS spend_jpy, "
    "sum(emissions_kgco2e) AS emissions_kgco2e, sum(spend_kg) AS spend_based_kgco2e, "
    "sum(CASE WHEN method = 'supplier-specific' THEN emissions_kgco2e ELSE 0 END) AS primary_kg "
    "FROM lines GROUP BY supplier_id ORDER BY emissions_kgco2e DESC",
    "by_sector": "SELECT sector, count(*) AS lines, sum(spend_jpy) AS spend_jpy, "
    "sum(emissions_kgco2e) AS emissions_kgco2e, sum(spend_kg) AS spend_based_kgco2e "
    "FROM lines GROUP BY sector ORDER BY emissions_kgco2e DESC",
    "primary_vs_spend": "SELECT line, supplier_id, product_id, sector, footprint_id, "
    "primary_kg, spend_kg, primary_kg - spend_kg AS difference_kgco2e, "
    "CASE WHEN spend_kg > 0 THEN primary_kg / spend_kg END AS ratio "
    "FROM lines WHERE method = 'supplier-specific' ORDER BY line",
    "pareto": "WITH s AS (SELECT supplier_id, sum(emissions_kgco2e) AS est, sum(spend_jpy) AS sp "
    "FROM lines WHERE method IN ('average-data', 'spend-based') GROUP BY supplier_id) "
    "SELECT supplier_id, est, sp, "
    "sum(est) OVER (ORDER BY est DESC, supplier_id) / sum(est) OVER () AS cumulative_share "
    "FROM s ORDER BY est DESC, supplier_id",
}


def duck(con):
    con.execute(SQL)
    return {name: con.execute(query).df() for name, query in VIEWS.items()}


def main() -> None:
    ledger, fp, spend, average = make_data()
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.register("ledger", ledger.reset_index(drop=True))
    fp_arrow = pa.Table.from_pandas(
        fp.assign(company_ids=fp["company_ids"].map(list), product_ids=fp["product_ids"].map(list))
    )
    con.register("fp", fp_arrow)
    con.register("units", unit_table().reset_index())
    con.register("avg", average.table.reset_index())
    con.register("spend", spend.table.reset_index())

    times_ours, times_duck = [], []
    for _ in range(2):
        start = time.perf_counter()
        result, gaps, _ = ours(ledger, fp, spend, average)
        times_ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        views = duck(con)
        times_duck.append(time.perf_counter() - start)

    # Same answers both ways.
    by_method = views["by_method"].set_index("method")["emissions_kgco2e"]
    ours_method = result.totals_by_method().set_index("method")["emissions_kgco2e"]
    for method, value in by_method.items():
        assert np.isclose(ours_method[method], value, rtol=1e-9), (method, value)
    assert len(views["primary_vs_spend"]) == len(gaps.primary_vs_spend)
    assert np.allclose(
        views["pareto"]["cumulative_share"].to_numpy(), gaps.pareto["cumulative_share"].to_numpy()
    )

    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    best_ours, best_duck = min(times_ours), min(times_duck)
    print(f"lines {N_LINES:,}, footprints {N_FOOTPRINTS:,}")
    print(f"methods: {result.lines['method'].value_counts().to_dict()}")
    print(f"gxdlib scope3_category1 + gap_report + views: {best_ours:.3f} s (runs {times_ours})")
    print(f"DuckDB SQL, same logic:                      {best_duck:.3f} s (runs {times_duck})")
    print(f"ratio ours / DuckDB: {best_ours / best_duck:.2f} (target <= 1.5)")
    print(f"peak resident memory of the process: {peak_gib:.2f} GiB (target < 3)")


if __name__ == "__main__":
    main()

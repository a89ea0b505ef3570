"""Benchmark: settle 1,000 scenarios x 20 years of 30-minute slots with `simulate`.

Baseline, measured in the same run on the same arrays and chunks: a bare numpy
pass ``reduceat((clip(P, floor, cap) - K) * G)`` per contract year, the
memory-bound limit. Both include materialising each chunk from the bootstrap
block starts (timed alone too). Target: engine <= 1.5x the bare pass, peak
traced memory < 2 GiB whatever the number of scenarios.

Usage: ``.venv/bin/python benchmarks/bench_vppa.py [--quick] [--scenarios N]``
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np

from gxdlib import sample
from gxdlib.scenarios import bootstrap
from gxdlib.vppa import VPPAContract, simulate
from gxdlib.vppa.risk import CHUNK_ELEMENTS
from gxdlib.vppa.settlement import plan_settlement


def timed(func):
    """(seconds, traced peak bytes, result) of one call."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    t0 = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 scenarios instead of 1,000")
    parser.add_argument("--scenarios", type=int, default=None)
    parser.add_argument("--years", type=int, default=20)
    args = parser.parse_args()
    n = args.scenarios or (100 if args.quick else 1000)

    prices = sample.prices()
    generation = sample.pv_profile_kwh_per_kw() * 1000.0  # a 1 MW plant [kWh]
    scenarios = bootstrap(prices, generation, n, args.years, block="week", seed=0)
    contract = VPPAContract(
        12.0, "kyushu", floor_jpy_per_kwh=1.0, cap_jpy_per_kwh=50.0, escalation_per_year=0.01
    )
    chunk = max(1, CHUNK_ELEMENTS // scenarios.n_slots)
    slot_scenarios = n * scenarios.n_slots
    print(f"{n} scenarios x {scenarios.n_slots} slots = {slot_scenarios:.3g} slot-scenarios")
    print(f"chunk: {chunk} scenarios")

    plan = plan_settlement(contract, scenarios.index)
    starts = plan.year_starts
    strike = plan.strike_jpy_per_kwh
    bounds = [(s, min(s + chunk, n)) for s in range(0, n, chunk)]

    def materialise_only():
        for s0, s1 in bounds:
            scenarios.prices("kyushu", s0, s1)
            scenarios.generation_kwh(s0, s1)

    def bare():
        out = []
        for s0, s1 in bounds:
            p = scenarios.prices("kyushu", s0, s1)
            g = scenarios.generation_kwh(s0, s1)
            out.append(np.add.reduceat((np.clip(p, 1.0, 50.0) - strike) * g, starts, axis=1))
        return np.concatenate(out)

    def engine():
        return simulate(contract, scenarios, chunk_size=chunk).annual.to_numpy()

    t_mat, _, _ = timed(materialise_only)
    t_bare, m_bare, ref = timed(bare)
    t_eng, m_eng, got = timed(engine)
    t_bare2, _, _ = timed(bare)
    t_eng2, _, _ = timed(engine)
    t_bare, t_eng = min(t_bare, t_bare2), min(t_eng, t_eng2)
    np.testing.assert_allclose(got, ref, rtol=1e-9)

    gib = 2.0**30
    print(f"materialise chunks only : {t_mat:7.2f} s")
    print(
        f"bare numpy pass         : {t_bare:7.2f} s  {slot_scenarios / t_bare / 1e6:7.1f} M slot/s"
        f"  peak {m_bare / gib:.2f} GiB"
    )
    print(
        f"simulate (engine)       : {t_eng:7.2f} s  {slot_scenarios / t_eng / 1e6:7.1f} M slot/s"
        f"  peak {m_eng / gib:.2f} GiB"
    )
    print(f"ratio engine / bare     : {t_eng / t_bare:.2f}  (target <= 1.5)")
    arithmetic = (t_eng - t_mat) / max(t_bare - t_mat, 1e-9)
    print(f"ratio without materialising: {arithmetic:.2f}")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"process max RSS         : {maxrss / gib:.2f} GiB (target < 2)")


if __name__ == "__main__":
    main()

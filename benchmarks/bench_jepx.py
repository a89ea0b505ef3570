"""Benchmark: read all nine JEPX spot summaries (FY2016-FY2024) with `read_jepx_spot`.

Baseline, measured in the same run on the same files: a plain ``pandas.read_csv``
of each file (no validation, no slot index). The reader validates every cell,
builds the tz-aware slot index and checks every slot, and should take at most
twice the plain read. Each is timed as the best of several repeats.

Usage: ``.venv/bin/python benchmarks/bench_jepx.py [DATA_DIR]`` (default
``$GXD_DATA_DIR`` or ``../shared/data``).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pandas as pd

from gxdlib.io import read_jepx_spot

REPEATS = 9
TARGET_RATIO = 2.0


def best_of_interleaved(first, second, repeats: int = REPEATS) -> tuple[float, float]:
    """Shortest wall times [s] of ``first`` and ``second``, called alternately.

    Alternating keeps both exposed to the same background load on a shared machine.
    """
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for func, record in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            func()
            record.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def main() -> int:
    default = (
        os.environ.get("GXD_DATA_DIR") or Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    data_dir = Path(sys.argv[1] if len(sys.argv) > 1 else default)
    paths = sorted((data_dir / "jepx").glob("spot_summary_*.csv"))
    if not paths:
        print(f"no JEPX spot summaries under {data_dir / 'jepx'}: nothing to benchmark")
        return 1

    slots = len(read_jepx_spot(paths))
    baseline_s, reader_s = best_of_interleaved(
        lambda: [pd.read_csv(path) for path in paths], lambda: read_jepx_spot(paths)
    )
    ratio = reader_s / baseline_s
    print(f"files: {len(paths)} ({paths[0].name} .. {paths[-1].name}), slots: {slots:,}")
    print(f"plain pandas.read_csv: {baseline_s * 1e3:8.1f} ms")
    print(
        f"read_jepx_spot:        {reader_s * 1e3:8.1f} ms  ({slots / reader_s / 1e6:.2f} M slots/s)"
    )
    verdict = "ok" if ratio <= TARGET_RATIO else "SLOWER THAN TARGET"
    print(f"ratio: {ratio:.2f} (target <= {TARGET_RATIO}) {verdict}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())

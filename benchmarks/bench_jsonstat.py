"""Benchmark: JSON-stat2 -> tidy frame for a 1,000,000-cell document.

Compares etl.jsonstat.parse_jsonstat with pyjstat and with a bare json.loads of the same bytes,
in the same run, and prints the timings and their ratios. Not a test: it prints figures.

    .venv/bin/python benchmarks/bench_jsonstat.py [--cells 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.jsonstat import parse_jsonstat  # noqa: E402


def document(cells: int, seed: int = 7) -> bytes:
    """Return a StatFin-shaped JSON-stat2 dataset of about `cells` cells, as bytes."""
    sizes = {"alue_23_20260101": 250, "timeperiod_y": 40, "sukupuoli_9_20180101": 4}
    rest = max(1, cells // int(np.prod(list(sizes.values()))))
    sizes["contentscode"] = rest
    rng = np.random.default_rng(seed)
    n = int(np.prod(list(sizes.values())))
    values = np.round(rng.gamma(2.0, 500.0, n), 1).tolist()
    status = {}
    for i in rng.choice(n, n // 50, replace=False).tolist():  # 2 % missing/confidential
        values[i] = None
        status[str(i)] = ".." if i % 3 else "."
    codes = {
        "alue_23_20260101": ["SSS"] + [f"KU{i:03d}" for i in range(1, 250)],
        "timeperiod_y": [str(1986 + i) for i in range(40)],
        "sukupuoli_9_20180101": ["SSS", "1", "2", "X"],
        "contentscode": [f"vaerak-c{i:02d}" for i in range(rest)],
    }
    dims = {d: {"label": d, "category": {"index": {c: i for i, c in enumerate(cs)},
                                         "label": {c: c for c in cs}}}
            for d, cs in codes.items()}
    doc = {"version": "2.0", "class": "dataset", "label": "benchmark", "source": "synthetic",
           "updated": "2026-06-08T05:00:00Z", "id": list(sizes), "size": list(sizes.values()),
           "dimension": dims, "value": values, "status": status,
           "role": {"time": ["timeperiod_y"], "metric": ["contentscode"]}}
    return json.dumps(doc).encode("utf-8")


def best_of(fn, repeat: int) -> float:
    """Return the fastest wall time of `repeat` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Run the three contenders on the same bytes and print timings and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    raw = document(args.cells)
    text = raw.decode("utf-8")
    n = len(json.loads(raw)["value"])
    print(f"document: {n:,} cells, {len(raw) / 1e6:.1f} MB")

    frame = parse_jsonstat(raw)
    assert len(frame) == n and frame["value"].isna().sum() == n // 50

    t_json = best_of(lambda: json.loads(raw), args.repeat)
    t_ours = best_of(lambda: parse_jsonstat(raw), args.repeat)
    try:
        from pyjstat import pyjstat
        def run_pyjstat():
            return pyjstat.Dataset.read(text).write("dataframe", naming="id")
        t_pyj = best_of(run_pyjstat, max(1, args.repeat - 1))
    except ImportError:
        t_pyj = float("nan")
    print(f"json.loads (bytes only)       {t_json:8.3f} s")
    print(f"etl.jsonstat.parse_jsonstat   {t_ours:8.3f} s")
    print(f"pyjstat Dataset -> dataframe  {t_pyj:8.3f} s")
    print(f"ratio parse_jsonstat / json.loads = {t_ours / t_json:6.2f}")
    print(f"ratio pyjstat / json.loads        = {t_pyj / t_json:6.2f}")
    print(f"ratio pyjstat / parse_jsonstat    = {t_pyj / t_ours:6.2f}")


if __name__ == "__main__":
    main()

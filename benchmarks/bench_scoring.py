"""Benchmark the scoring engine: point scores + 1,000-draw Monte Carlo rank intervals.

Run: .venv/bin/python benchmarks/bench_scoring.py [--draws 1000] [--skip-large]
Prints timings for the bundled snapshot (19 regions, real data), a synthetic panel of the same
size, and a SYNTHETIC EU NUTS-3-sized panel (1,200 areas x 50 indicators x 30 years).
Target (issue 4): score_panel + rank_intervals for all regions x all years <= 1 s.
Seconds are the best of --repeats runs (wall clock) and the CPU time of the process, which is the
steadier figure on a shared machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import pandas as pd  # noqa: E402
from synthetic_panel import (  # noqa: E402
    synthetic_areas,
    synthetic_indicators,
    synthetic_observations,
)

from indicators.scoring import rank_intervals, score_panel  # noqa: E402


def timed(func, repeats: int) -> tuple[float, float, object]:
    """Return the best wall time and CPU time of repeats runs and the last result."""
    best, best_cpu, out = float("inf"), float("inf"), None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = func()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return best, best_cpu, out


def bench(label: str, obs, ind, areas, draws: int, repeats: int) -> None:
    """Print one benchmark line."""
    t_score, c_score, res = timed(lambda: score_panel(obs, ind, areas), repeats)
    t_mc, c_mc, _ = timed(lambda: rank_intervals(obs, ind, areas, draws=draws), repeats)
    n_regions = int((areas["level"] == "region").sum())
    years = res.dimension_scores["period"].nunique()
    print(f"{label:<44} {n_regions:>6} {len(ind):>5} {years:>5} {draws:>6} "
          f"{t_score:>9.3f} {t_mc:>9.3f} {t_score + t_mc:>9.3f} {c_score + c_mc:>9.3f}")


def main() -> int:
    """Run the benchmarks and print a table of seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    print(f"{'panel':<44} {'areas':>6} {'inds':>5} {'years':>5} {'draws':>6} "
          f"{'score_s':>9} {'mc_s':>9} {'total_s':>9} {'cpu_s':>9}")
    snapshot = ROOT / "data" / "observations.parquet"
    if snapshot.exists():
        from indicators.catalog import catalog_frame
        from indicators.regions import areas_frame
        bench("bundled snapshot (real data)", pd.read_parquet(snapshot), catalog_frame(),
              areas_frame(), args.draws, args.repeats)
    else:
        print("bundled snapshot: data/observations.parquet missing, skipped")
    bench("SYNTHETIC 19 regions x 25 ind x 25 years", synthetic_observations(19, 25, 25),
          synthetic_indicators(25), synthetic_areas(19), args.draws, args.repeats)
    if not args.skip_large:
        bench("SYNTHETIC NUTS-3-sized 1200 x 50 x 30", synthetic_observations(1200, 50, 30),
              synthetic_indicators(50), synthetic_areas(1200), args.draws, 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

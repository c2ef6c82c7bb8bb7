"""Benchmark the scoring engine: point scores + 1,000-draw Monte Carlo rank intervals.

Run: .venv/bin/python benchmarks/bench_scoring.py [--draws 1000] [--repeats 3] [--skip-large]
Prints seconds for the bundled snapshot (19 regions, real data), a synthetic panel of the same
size, and SYNTHETIC EU NUTS-3-sized panels (300, 600 and 1,200 areas x 50 indicators x 30 years),
with the growth of the time against the number of areas next to n log n.
Targets: the bundled snapshot in about a second; 1,200 x 50 x 30 with 1,000 draws <= 10 s
(issue 13). Seconds are the best of --repeats runs: wall clock and the CPU time of the process,
which is the steadier figure on a shared machine. score = score_panel, mc = rank_intervals (two
public calls, each preparing its own panel); warehouse = warehouse_scores (one call, also peers).
"""

from __future__ import annotations

import argparse
import math
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

from indicators.scoring import (  # noqa: E402
    NO_BREAKS,
    NO_GOALPOSTS,
    rank_intervals,
    score_panel,
    warehouse_scores,
)

HEADER = (f"{'panel':<42} {'areas':>5} {'inds':>4} {'years':>5} {'draws':>5} {'score_s':>8} "
          f"{'mc_s':>8} {'total_s':>8} {'cpu_s':>8} {'warehouse_s':>11}")


def timed(func, repeats: int) -> tuple[float, float, object]:
    """Return the best wall time and CPU time of repeats runs and the last result."""
    best, best_cpu, out = float("inf"), float("inf"), None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = func()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return best, best_cpu, out


def bench(label: str, obs, ind, areas, draws: int, repeats: int, **inputs) -> float:
    """Print one benchmark line and return the CPU seconds of score + mc."""
    t_score, c_score, res = timed(lambda: score_panel(obs, ind, areas, **inputs), repeats)
    t_mc, c_mc, _ = timed(lambda: rank_intervals(obs, ind, areas, draws=draws, **inputs),
                          repeats)
    t_wh, _, _ = timed(lambda: warehouse_scores(obs, ind, areas, draws=draws, **inputs), repeats)
    n_regions = int((areas["level"] == "region").sum())
    years = res.dimension_scores["period"].nunique()
    print(f"{label:<42} {n_regions:>5} {len(ind):>4} {years:>5} {draws:>5} {t_score:>8.3f} "
          f"{t_mc:>8.3f} {t_score + t_mc:>8.3f} {c_score + c_mc:>8.3f} {t_wh:>11.3f}",
          flush=True)
    return c_score + c_mc


def synthetic(n_regions: int, n_indicators: int, n_years: int):
    """Return the synthetic (observations, indicators, areas) frames."""
    return (synthetic_observations(n_regions, n_indicators, n_years),
            synthetic_indicators(n_indicators), synthetic_areas(n_regions))


def main() -> int:
    """Run the benchmarks and print a table of seconds and the growth with the areas."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    print(HEADER)
    snapshot = ROOT / "data" / "observations.parquet"
    if snapshot.exists():
        from indicators.catalog import catalog_frame, dimension_ids
        from indicators.regions import areas_frame
        bench("bundled snapshot (real data)", pd.read_parquet(snapshot), catalog_frame(),
              areas_frame(), args.draws, args.repeats, dimensions=dimension_ids())
    else:
        print("bundled snapshot: data/observations.parquet missing, skipped")
    synthetic_inputs = {"goalposts": NO_GOALPOSTS, "breaks": NO_BREAKS}
    bench("SYNTHETIC 19 regions x 25 ind x 25 years", *synthetic(19, 25, 25), args.draws,
          args.repeats, **synthetic_inputs)
    if args.skip_large:
        return 0
    sizes, seconds = (300, 600, 1200), []
    for n in sizes:
        seconds.append(bench(f"SYNTHETIC NUTS-3-sized {n} x 50 x 30", *synthetic(n, 50, 30),
                             args.draws, 1, **synthetic_inputs))
    print("\ngrowth of the CPU time of score + mc with the number of areas (goal: <= n log n)")
    print(f"{'areas':>6} {'cpu_s':>8} {'x time':>7} {'x n':>5} {'x n log n':>9}")
    for n, s in zip(sizes, seconds, strict=True):
        n_log_n = n * math.log(n) / (sizes[0] * math.log(sizes[0]))
        print(f"{n:>6} {s:>8.3f} {s / seconds[0]:>7.2f} {n / sizes[0]:>5.1f} {n_log_n:>9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark the EU twins engine on the bundled Eurostat snapshot and SYNTHETIC EU-sized panels.

Run: .venv/bin/python benchmarks/bench_twins.py [--repeats 3]
Prints seconds (best of --repeats, wall clock) for: the twins of one region, the twins of every
region at once (all_twins), the comparison of every region with its twins (compare), and the
warehouse table of the 19 Finnish regions. The SYNTHETIC panels (random numbers, no real figures)
have 300, 600 and 1,200 regions × 4 structural and 5 compared variables × 10 years; the growth
against the number of regions is printed next to n² (the distance matrix is regions × pool).
Goal (issue 13): well under a second per region.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from indicators.regions import registry_frame  # noqa: E402
from indicators.twins import (  # noqa: E402
    TWIN_POOL,
    all_twins,
    compare,
    finnish_twins,
    role_variables,
    twins,
)


def synthetic_panel(n: int, years: range = range(2012, 2022), seed: int = 1):
    """Return SYNTHETIC (eu_obs, eu_regions): n regions spread over the 27 pool countries."""
    rng = np.random.default_rng(seed)
    codes = [f"{TWIN_POOL[i % len(TWIN_POOL)]}{i:03X}" for i in range(n)]
    regions = pd.DataFrame({"nuts_code": codes, "level": 3, "country_code": [c[:2] for c in codes],
                            "name": [f"Synthetic {i}" for i in range(n)],
                            "name_source": "synthetic"})
    variables = [v for v, _ in role_variables("structure") + role_variables("compare")]
    frames = []
    for year in years:
        for var in variables:
            frames.append(pd.DataFrame({"variable": var, "nuts_code": codes, "period": year,
                                        "value": np.exp(rng.normal(3, 1, n)), "flag": None,
                                        "source_id": "synthetic"}))
    return pd.concat(frames, ignore_index=True), regions


def best(fn, repeats: int) -> float:
    """Return the best wall-clock seconds of repeats calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(name: str, obs: pd.DataFrame, regions: pd.DataFrame, one: str, repeats: int) -> dict:
    """Time the engine calls on one panel and print a line."""
    every = all_twins(obs, regions)
    row = {"panel": name, "regions": int((regions["level"] == 3).sum()),
           "one_s": best(lambda: twins(obs, regions, one), repeats),
           "all_s": best(lambda: all_twins(obs, regions), repeats),
           "compare_all_s": best(lambda: compare(obs, every), repeats)}
    row["per_region_ms"] = 1000 * (row["all_s"] + row["compare_all_s"]) / row["regions"]
    print(f"{row['panel']:<38} {row['regions']:>7} {row['one_s']:>8.3f} {row['all_s']:>8.3f} "
          f"{row['compare_all_s']:>13.3f} {row['per_region_ms']:>14.2f}")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'panel':<38} {'regions':>7} {'one_s':>8} {'all_s':>8} {'compare_all_s':>13} "
          f"{'per_region_ms':>14}")
    data = ROOT / "data"
    obs = pd.read_parquet(data / "eu_observations.parquet")
    regions = pd.read_parquet(data / "eu_regions.parquet")
    run("bundled Eurostat snapshot (real)", obs, regions, "FI1D3", args.repeats)
    start = time.perf_counter()
    finnish_twins(obs, regions, registry_frame())
    print(f"warehouse eu_twins for the 19 regions: {time.perf_counter() - start:.3f} s")
    rows = [run(f"SYNTHETIC {n} regions", *synthetic_panel(n), f"{TWIN_POOL[0]}000", args.repeats)
            for n in (300, 600, 1200)]
    base = rows[0]
    for row in rows[1:]:
        ratio = row["regions"] / base["regions"]
        print(f"{row['regions']} vs {base['regions']} regions: all_twins ×"
              f"{row['all_s'] / base['all_s']:.1f}, compare ×"
              f"{row['compare_all_s'] / base['compare_all_s']:.1f} (n² ×{ratio ** 2:.1f}, "
              f"n ×{ratio:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

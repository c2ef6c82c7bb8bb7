"""Benchmark the alert rules over the bundled history, and print how their numbers were tuned.

Run: .venv/bin/python benchmarks/bench_alerts.py [--tuning] [--history]
Times `evaluate` of the shipped rules (regions and sub-regions) over every month of
data/monthly.parquet, and the same rules on all 308 municipalities, by wall clock and CPU
(median of five runs). --tuning prints, per rule, the percentiles of the absolute share move and
the share of area-months flagged at 0.5–1.5 × the threshold, history factors 0–3 and one or three
months in a row, with the alerts per year at 0.75 × and 1 × the threshold. --history prints the
shipped rules' alerts and episodes by year and every episode (the closing note's table).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from indicators.alerts import (  # noqa: E402
    Rule,
    episodes,
    evaluate,
    monthly_change_alerts,
    rules_for,
    share_move,
    trailing_mean,
)
from indicators.regions import COUNTRY_CODE, areas_frame  # noqa: E402
from warehouse.snapshot import read_monthly  # noqa: E402

CALM_YEARS = tuple(range(2011, 2020))


def timed(function, runs: int = 5) -> tuple[float, float]:
    """Return the median wall and CPU seconds of a call."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def gaps(rule: Rule, monthly: pd.DataFrame, areas: pd.DataFrame) -> np.ndarray:
    """Return every finite share move of a rule's level (all areas, all months)."""
    p = rule.params
    codes = [COUNTRY_CODE, *areas.loc[areas["level"] == p["level"], "code"]]
    rows = monthly[(monthly["series_id"] == p["series"]) & monthly["area_code"].isin(codes)]
    wide = (rows.pivot(index="month", columns="area_code", values="value")
            .reindex(columns=codes))
    months = pd.period_range(wide.index.min(), wide.index.max(), freq="M").strftime("%Y-%m")
    wide = wide.reindex(months).to_numpy(dtype=float)
    means = trailing_mean(wide, int(p["window_months"]))
    lag = int(p["lag_months"])
    earlier = np.full(means.shape, np.nan)
    earlier[lag:] = means[:-lag]
    change = (means / earlier - 1) * 100
    move = share_move(change[:, 1:], change[:, :1])
    return np.abs(move[np.isfinite(move)])


def tuning(monthly: pd.DataFrame, areas: pd.DataFrame) -> None:
    """Print the tuning grid of every shipped rule."""
    for rule in rules_for({"monthly": monthly}):
        p = rule.params
        moves = gaps(rule, monthly, areas)
        quantiles = np.round(np.quantile(moves, [0.5, 0.9, 0.95, 0.975, 0.99]), 1)
        at = (moves < p["threshold_pct"]).mean() * 100
        print(f"\n{rule.id}: {len(moves)} area-months; |share move| p50/p90/p95/p97.5/p99 = "
              f"{quantiles.tolist()}; the threshold {p['threshold_pct']} is at percentile "
              f"{at:.0f}")
        grid = {}
        for scale in (0.5, 0.75, 1.0, 1.25, 1.5):
            for factor in (0.0, 1.5, 2.0, 3.0):
                for persist in (1, 3):
                    trial = Rule(rule.id, rule.kind, {**p, "threshold_pct": p["threshold_pct"]
                                                      * scale, "history_factor": factor,
                                                      "persist_months": persist})
                    found = monthly_change_alerts(trial, monthly, areas)
                    grid[(p["threshold_pct"] * scale, persist, factor)] = \
                        round(100 * len(found) / len(moves), 2)
        table = pd.Series(grid)
        table.index.names = ["threshold", "in_a_row", "history_factor"]
        print("% of area-months flagged:")
        print(table.unstack("history_factor").to_string())
        for scale in (0.75, 1.0):
            trial = Rule(rule.id, rule.kind, {**p, "threshold_pct": p["threshold_pct"] * scale})
            found = monthly_change_alerts(trial, monthly, areas)
            years = found["period"].str[:4].astype(int)
            calm = years.isin(CALM_YEARS).sum()
            print(f"  at {scale} x threshold: {len(found)} alerts, {calm} in the calm years "
                  f"{CALM_YEARS[0]}-{CALM_YEARS[-1]}; by year "
                  f"{years.value_counts().sort_index().to_dict()}")


def history(monthly: pd.DataFrame, areas: pd.DataFrame) -> None:
    """Print the shipped rules' alerts and episodes by year, and every episode."""
    found = evaluate(rules_for({"monthly": monthly}), {"monthly": monthly}, areas)
    names = areas.set_index("code")["name_fi"]
    found["year"] = found["period"].str[:4]
    print("\nAlert months by year, rule and direction:")
    table = (found.groupby(["year", "rule_id", "direction"]).size()
             .unstack(["rule_id", "direction"]).fillna(0).astype(int))
    print(table[sorted(table.columns)].to_string())
    runs = episodes(found)
    runs["year"] = runs["first"].str[:4]
    print("\nEpisodes (runs of consecutive alert months) by the year they start:")
    print(runs.groupby(["year", "rule_id"]).size().unstack("rule_id").fillna(0).astype(int)
          .to_string())
    runs["name"] = runs["area_code"].map(names)
    columns = ["rule_id", "name", "direction", "first", "last", "n_periods", "peak_period",
               "peak_value", "peak_country_value", "peak_gap"]
    print("\nEvery episode:")
    print(runs[columns].round(1).to_string(index=False))


def main(argv: list[str] | None = None) -> None:
    """Time the evaluation; optionally print the tuning grid and the history."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tuning", action="store_true")
    parser.add_argument("--history", action="store_true")
    args = parser.parse_args(argv)
    monthly, areas = read_monthly(), areas_frame()
    rules = rules_for({"monthly": monthly})
    wall, cpu = timed(lambda: evaluate(rules, {"monthly": monthly}, areas))
    count = len(evaluate(rules, {"monthly": monthly}, areas))
    print(f"evaluate: {len(rules)} rules, regions and sub-regions, "
          f"{monthly['month'].nunique()} months: {wall:.3f} s wall, {cpu:.3f} s CPU, "
          f"{count} alerts")
    municipal = tuple(Rule(f"{r.id}_municipality", r.kind, {**r.params, "level": "municipality"})
                      for r in rules if r.params["level"] == "subregion")
    wall, cpu = timed(lambda: evaluate(municipal, {"monthly": monthly}, areas))
    print(f"evaluate: the sub-region rules on the 308 municipalities: {wall:.3f} s wall, "
          f"{cpu:.3f} s CPU")
    if args.tuning:
        tuning(monthly, areas)
    if args.history:
        history(monthly, areas)


if __name__ == "__main__":
    main()

"""Benchmark the region briefs: the batch of 19 (PDF + HTML) per language and for all three.

Run: .venv/bin/python benchmarks/bench_briefs.py [--db PATH] [--format both|pdf|html]
Without --db a warehouse is built from the bundled snapshot into a temporary folder. For each
language the whole batch runs through the CLI code (python -m report --all), timed by wall clock
and CPU; then one language is split into its steps (content, charts, PDF, HTML), median per brief.
CPU time is the steadier figure on a shared machine.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from presentation.frames import load_frames, region_codes  # noqa: E402
from presentation.region import build_region_picture as build_content  # noqa: E402
from presentation.static_charts import BriefCharts, radar_png, trends_png  # noqa: E402
from report import cli  # noqa: E402
from report.html import html_bytes  # noqa: E402
from report.pdf import pdf_bytes  # noqa: E402
from warehouse.build import build_from_snapshot  # noqa: E402

LANGS = ("fi", "sv", "en")


def batch(db: Path, lang: str, fmt: str, out: Path) -> tuple[float, float, int]:
    """Run the CLI batch for one language; return wall seconds, CPU seconds and exit code."""
    err = io.StringIO()
    start, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stderr(err):
        code = cli.main(["--all", "--lang", lang, "--format", fmt, "--out", str(out),
                         "--db", str(db)])
    return time.perf_counter() - start, time.process_time() - cpu, code


def steps(db: Path, lang: str) -> dict[str, list[float]]:
    """Return per-brief seconds of each step for the 19 regions in one language."""
    frames = load_frames(db)
    times: dict[str, list[float]] = {k: [] for k in ("content", "radar", "trends", "pdf",
                                                     "html")}
    for code in region_codes(frames):
        t = time.perf_counter()
        content = build_content(frames, code, lang)
        times["content"].append(time.perf_counter() - t)
        t = time.perf_counter()
        radar = radar_png(content.radar)
        times["radar"].append(time.perf_counter() - t)
        t = time.perf_counter()
        trends = trends_png(content.key_rows, lang)
        times["trends"].append(time.perf_counter() - t)
        charts = BriefCharts(radar, trends)
        t = time.perf_counter()
        pdf_bytes(content, charts)
        times["pdf"].append(time.perf_counter() - t)
        t = time.perf_counter()
        html_bytes(content, charts)
        times["html"].append(time.perf_counter() - t)
    return times


def main() -> int:
    """Print the batch timings."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--db", help="warehouse (default: build one from the bundled snapshot)")
    p.add_argument("--format", default="both", choices=["pdf", "html", "both"])
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else build_from_snapshot(Path(tmp) / "wh.duckdb")
        print(f"warehouse: {db}")
        total_wall = total_cpu = 0.0
        for lang in LANGS:
            out = Path(tmp) / f"briefs_{lang}"
            wall, cpu, code = batch(db, lang, args.format, out)
            n = len(list(out.glob("*.pdf"))) or len(list(out.glob("*.html")))
            total_wall += wall
            total_cpu += cpu
            print(f"{lang}: 19 briefs ({args.format}) in {wall:6.1f} s wall, {cpu:6.1f} s CPU "
                  f"= {wall / 19:.2f} s per brief; exit {code}, {n} briefs written")
        print(f"all three languages (57 briefs): {total_wall:.1f} s wall, {total_cpu:.1f} s CPU")
        parts = steps(db, "fi")
        print("per brief, fi, median of 19 (s): " + ", ".join(
            f"{k} {statistics.median(v):.3f}" for k, v in parts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

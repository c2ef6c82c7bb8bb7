"""Benchmark many people using the app at once: concurrent sessions rerun pages for a while.

Usage: .venv/bin/python benchmarks/bench_sessions.py [--sessions 20] [--seconds 120] [--db PATH]
       [--app-dir DIR]

One Streamlit server is started as `make run` starts it (see bench_pages.serve). `--sessions`
headless-Chromium tabs open the region, compare and explorer pages in turn (different regions),
and for `--seconds` every tab reruns its page (Streamlit's "R" key) as soon as its previous run
has settled, all at the same time. A rerun's time is from the key press until the page's
document last changed (no change for 1.5 s), measured in the page. Prints the number of reruns,
their p50/p95/max, and the server's resident memory (RSS, sampled every 0.5 s: start and peak).
It does not pass or fail.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    OBSERVER,
    SETTLED,
    serve,
    stop,
    warehouse_for,
)

VIEWS = ("", "vertailu", "indikaattorit")
REGIONS = ("MK12", "MK19", "MK01", "MK02", "MK07")


def rss_mib(pid: int) -> float:
    """Return a process's resident memory in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class RssSampler(threading.Thread):
    """Sample a process's RSS every half second until stopped; keep the peak."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, rss_mib(pid), threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.peak = max(self.peak, rss_mib(self.pid))


def percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0–1) of values by linear interpolation."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def main() -> None:
    """Parse the arguments, start the server, run the sessions and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--db", help="an existing warehouse (default: build one into tmp)")
    parser.add_argument("--app-dir", default=str(ROOT), help="the checkout whose app.py to serve")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    app_dir = Path(args.app_dir).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        db = warehouse_for(args.db, tmp)
        env = {**os.environ, "TILANNEKUVA_DB": str(db), "PYTHONPATH": str(app_dir)}
        app, url = serve(app_dir / "app.py", app_dir, env)
        try:
            start_rss = rss_mib(app.pid)
            sampler = RssSampler(app.pid)
            sampler.start()
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.add_init_script(OBSERVER)
                tabs = []
                for n in range(args.sessions):
                    tab = context.new_page()
                    view, region = VIEWS[n % len(VIEWS)], REGIONS[n % len(REGIONS)]
                    tab.goto(f"{url}/{view}?alue={region}", wait_until="domcontentloaded")
                    tabs.append(tab)
                for tab in tabs:
                    tab.wait_for_function(SETTLED, timeout=180_000, polling=200)
                times: list[float] = []
                deadline = time.perf_counter() + args.seconds
                while time.perf_counter() < deadline:
                    for tab in tabs:  # every session asks at once ...
                        tab.evaluate("window.__pressed = window.__lastChange = performance.now()")
                        tab.locator("body").press("r")
                    for tab in tabs:  # ... and each one's wait is its own
                        tab.wait_for_function(SETTLED, timeout=180_000, polling=100)
                        times.append(float(tab.evaluate(
                            "window.__lastChange - window.__pressed")) / 1000)
                browser.close()
            sampler.done.set()
            sampler.join()
        finally:
            stop(app)
    print(f"{app_dir}: {args.sessions} concurrent sessions for {args.seconds:.0f} s "
          f"({os.cpu_count()} CPUs)")
    print(f"reruns {len(times)}; seconds until settled: p50 {statistics.median(times):.2f}, "
          f"p95 {percentile(times, 0.95):.2f}, max {max(times):.2f}")
    print(f"server RSS: {start_rss:.0f} MiB at start, peak {sampler.peak:.0f} MiB")


if __name__ == "__main__":
    main()

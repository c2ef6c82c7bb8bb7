"""Benchmark the app's pages: AppTest script run time (warm median) vs an empty page, and the
time until the first chart is visible in headless Chromium.

Usage: .venv/bin/python benchmarks/bench_pages.py [--runs 20] [--db PATH] [--no-browser]
Without --db a warehouse is built from the bundled snapshot into a temporary folder.
Prints figures; it does not pass or fail.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [("tilannekuva", "views/tilannekuva.py"), ("vertailu", "views/vertailu.py"),
         ("indikaattorit", "views/indikaattorit.py"), ("painotukset", "views/painotukset.py"),
         ("menetelma", "views/menetelma.py")]
# The app's own shell (language, navigation, sidebar, URL state) around a page that shows nothing.
SHELL_ONLY = """
import streamlit as st
from ui import shell
lang = shell.language()
page = st.navigation([st.Page(lambda: None, title="empty", url_path="empty", default=True)])
shell.sidebar(lang)
page.run()
"""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def timed_runs(at, runs: int) -> list[float]:
    """Return the wall time (ms) of each of runs warm re-runs of an AppTest."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"page raised: {at.exception[0].value}")
    return times


def bench_apptest(runs: int) -> None:
    """Print the warm median run time of every page and of an empty page."""
    from streamlit.testing.v1 import AppTest

    empty = AppTest.from_string("import streamlit as st\n", default_timeout=60)
    empty.run()
    empty.run()
    base = statistics.median(timed_runs(empty, runs))
    shell = AppTest.from_string(SHELL_ONLY, default_timeout=60)
    shell.run()
    shell.run()
    shell_base = statistics.median(timed_runs(shell, runs))
    print(f"AppTest warm median of {runs} runs (ms): empty Streamlit page {base:.1f} ms; "
          f"the app's shell around an empty page {shell_base:.1f} ms")
    print(f"{'page':<16}{'median':>9}{'p90':>9}{'× empty':>9}{'× shell':>9}")
    for name, path in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["alue"] = "MK02"
        at.run()
        if name != "tilannekuva":
            at.switch_page(path).run()
        at.run()  # warm the caches
        times = sorted(timed_runs(at, runs))
        med = statistics.median(times)
        p90 = times[int(0.9 * (len(times) - 1))]
        print(f"{name:<16}{med:>9.1f}{p90:>9.1f}{med / base:>9.2f}{med / shell_base:>9.2f}")
    empty_again = statistics.median(timed_runs(empty, runs))
    print(f"empty page again {empty_again:.1f} ms (drift check)")


def free_port() -> int:
    """Return a free loopback TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_browser(db: Path) -> None:
    """Start the app with `make run` and print the time until each page's first chart shows."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "TILANNEKUVA_DB": str(db)}
    proc = subprocess.Popen(["make", "run", f"PORT={port}", "HOST=127.0.0.1"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            print("browser: time until the first chart is visible (ms), cold and warm load")
            for name, _ in PAGES:
                url = f"http://127.0.0.1:{port}/{'' if name == 'tilannekuva' else name}?alue=MK02"
                figures = []
                for _ in range(2):
                    start = time.perf_counter()
                    page.goto(url)
                    page.locator(".js-plotly-plot").first.wait_for(state="visible",
                                                                   timeout=60_000)
                    figures.append((time.perf_counter() - start) * 1000)
                print(f"{name:<16}{figures[0]:>9.0f}{figures[1]:>9.0f}")
            browser.close()
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)


def main() -> None:
    """Parse the arguments, prepare a warehouse and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", help="an existing warehouse (default: build one into tmp)")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            db = Path(args.db)
        else:
            from etl.warehouse import build_from_snapshot

            db = build_from_snapshot(Path(tmp) / "warehouse.duckdb")
        os.environ["TILANNEKUVA_DB"] = str(db)
        os.chdir(ROOT)  # .streamlit/config.toml is read from the working directory
        bench_apptest(max(20, args.runs))
        if not args.no_browser:
            bench_browser(db)


if __name__ == "__main__":
    main()

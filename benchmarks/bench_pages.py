"""Benchmark the app as a browser sees it: each page against an empty Streamlit page, and the
server CPU of one rerun with 20 sessions open.

Usage: .venv/bin/python benchmarks/bench_pages.py [--runs 7] [--db PATH] [--app-dir DIR]
       [--sessions 20] [--pages tilannekuva,vertailu,...]

Two Streamlit servers are started the same way (same command, flags and .streamlit/config.toml):
the app, and a script that only imports streamlit. One warm headless Chromium (its cache filled
by a first visit) opens each page `--runs` times; a page's time is from navigation start until
the last change of its document, measured by a MutationObserver, once nothing has changed for
1.5 s. Then `--sessions` browser tabs open the region page and each one reruns it (Streamlit's
"R" key); the server process's CPU time over those reruns (from /proc), less the same idle
time's CPU, divided by the reruns, is the CPU per rerun. Without --db a warehouse is built from
the bundled snapshot into a temporary folder; --app-dir serves another checkout's app.py (for a
before/after comparison). Prints figures; it does not pass or fail.
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

PAGES = ("tilannekuva", "alke", "vertailu", "indikaattorit", "painotukset", "menetelma")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
QUIET_MS = 1500
# Records the time (ms since navigation start) of the last change to the document.
OBSERVER = """
window.__lastChange = performance.now();
new MutationObserver(() => { window.__lastChange = performance.now(); })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
# Settled: the app's script has finished (Streamlit marks its root element) and the document has
# not changed since for QUIET_MS. Without the first condition a slow first run that sends
# nothing for a while would count as settled and spill into the next measurement.
SETTLED = (f"() => {{ const app = document.querySelector('[data-test-script-state]'); "
           f"return app !== null && app.getAttribute('data-test-script-state') === 'notRunning' "
           f"&& performance.now() - window.__lastChange > {QUIET_MS}; }}")


def free_port() -> int:
    """Return a free loopback TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(script: Path, cwd: Path, env: dict) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run script` as `make run` does; return the process and its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{script} did not start within 120 s")


def stop(proc: subprocess.Popen) -> None:
    """Stop one server started by serve() (its own process group)."""
    os.killpg(proc.pid, 15)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)


def cpu_seconds(pid: int) -> float:
    """Return the user + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle_ms(page, url: str) -> float:
    """Open url and return ms from navigation start until the document last changed."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(SETTLED, timeout=120_000, polling=100)
    return float(page.evaluate("window.__lastChange"))


def page_times(context, url: str, runs: int) -> list[float]:
    """Return the settle times of runs visits of url after one warming visit."""
    page = context.new_page()
    settle_ms(page, url)
    times = [settle_ms(page, url) for _ in range(runs)]
    page.close()
    return times


def rerun_cpu(browser, url: str, pid: int, sessions: int, rounds: int) -> tuple[float, float]:
    """Return (CPU seconds per rerun, idle CPU seconds per second) with sessions tabs open."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(OBSERVER)
    tabs = []
    for _ in range(sessions):
        tab = context.new_page()
        tab.goto(url, wait_until="domcontentloaded")
        tabs.append(tab)
    for tab in tabs:
        tab.wait_for_function(SETTLED, timeout=120_000, polling=200)
    before = idle(pid)
    start, cpu = time.perf_counter(), cpu_seconds(pid)
    for _ in range(rounds):
        for tab in tabs:
            tab.evaluate("window.__lastChange = performance.now()")
            tab.locator("body").press("r")
        for tab in tabs:
            tab.wait_for_function(SETTLED, timeout=120_000, polling=200)
    spent, seconds = cpu_seconds(pid) - cpu, time.perf_counter() - start
    idle_rate = (before + idle(pid)) / 2  # the server's own background work, per second
    context.close()
    return (spent - idle_rate * seconds) / (rounds * sessions), idle_rate


def idle(pid: int, seconds: float = 5.0) -> float:
    """Return the server's CPU seconds per second while no page runs."""
    start, cpu = time.perf_counter(), cpu_seconds(pid)
    time.sleep(seconds)
    return (cpu_seconds(pid) - cpu) / (time.perf_counter() - start)


def warehouse_for(db: str | None, tmp: str) -> Path:
    """Return the warehouse to serve: db when given, else one built from the snapshot in tmp."""
    if db:
        return Path(db)
    from warehouse.build import build_from_snapshot

    return build_from_snapshot(Path(tmp) / "warehouse.duckdb")


def main() -> None:
    """Parse the arguments, start both servers and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", help="an existing warehouse (default: build one into tmp)")
    parser.add_argument("--app-dir", default=str(ROOT), help="the checkout whose app.py to serve")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--no-rerun", action="store_true", help="skip the server-CPU part")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    app_dir = Path(args.app_dir).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        db = warehouse_for(args.db, tmp)
        empty = Path(tmp) / "empty_page.py"
        empty.write_text("import streamlit as st\n", encoding="utf-8")
        env = {**os.environ, "TILANNEKUVA_DB": str(db), "PYTHONPATH": str(app_dir)}
        app, app_url = serve(app_dir / "app.py", app_dir, env)
        blank, blank_url = serve(empty, app_dir, env)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.add_init_script(OBSERVER)
                base = statistics.median(page_times(context, blank_url, args.runs))
                print(f"{app_dir}: warm browser, ms until the page stops changing "
                      f"(median of {args.runs})")
                print(f"{'empty Streamlit page':<22}{base:>8.0f}")
                for name in args.pages.split(","):
                    path = "" if name == "tilannekuva" else name
                    times = page_times(context, f"{app_url}/{path}?alue=MK12", args.runs)
                    med = statistics.median(times)
                    print(f"{name:<22}{med:>8.0f}   {med / base:4.2f} × empty  "
                          f"(min {min(times):.0f}, max {max(times):.0f})")
                context.close()
                if args.no_rerun:
                    browser.close()
                    return
                blank_rerun, _ = rerun_cpu(browser, blank_url, blank.pid, args.sessions,
                                           args.rounds)
                per_rerun, idle = rerun_cpu(browser, f"{app_url}/?alue=MK12", app.pid,
                                            args.sessions, args.rounds)
                print(f"server CPU per rerun with {args.sessions} sessions open "
                      f"({args.rounds} rounds, idle CPU subtracted): region page "
                      f"{per_rerun:.3f} s, empty Streamlit page {blank_rerun:.3f} s")
                browser.close()
        finally:
            stop(app)
            stop(blank)


if __name__ == "__main__":
    main()

"""Benchmark: `python -m etl run` against hostile or broken local servers (issue 11, ETL rows).

Each scenario starts a local server, runs the ETL as the operator's cron would (a child
process with the default settings unless the row says otherwise) over a copy of a freshly
built warehouse, and prints the wall time, the child's peak memory, the requests the server
got, the exit code and whether the warehouse changed. Not a test: it prints figures.

    .venv/bin/python benchmarks/bench_etl_faults.py [--code DIR] [--limit 300] [--only ROW…]

--code runs another checkout's ETL (e.g. an export of the commit before the fix) for
before/after figures; a child still running after --limit seconds is killed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

from werkzeug import Request, Response
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
META = ROOT / "tests" / "fixtures" / "pxweb" / "meta" / "vaerak_11ra.json"
LISTING = ROOT / "tests" / "fixtures" / "pxweb" / "listing" / "vaerak.json"
CONFIG = {"maxValues": 120000, "maxCells": 120000, "maxCalls": 40, "timeWindow": 60}


def metadata_for_both() -> dict:
    """Return the recorded 11ra metadata plus the taajama-aste content both ETLs ask for."""
    meta = json.loads(META.read_text("utf-8"))
    contents = meta["variables"][-1]
    contents["values"].append("vaerak-taajama_aste")
    contents["valueTexts"].append("Taajama-aste, %")
    return meta


class Server:
    """A threaded local HTTP server answering with a scenario's handler; counts requests."""

    def __init__(self, handler):
        self.requests = 0
        lock = threading.Lock()

        def app(environ, start_response):
            with lock:
                self.requests += 1
            return handler(Request(environ))(environ, start_response)

        self.http = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.http.server_port}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def stop(self):
        self.http.shutdown()


def everything(status, headers=None):
    """Answer every request with one status."""
    return lambda request: Response("error", status=status, headers=headers or {})


def normal_then(post_answer):
    """Answer ?config, listings and metadata normally; every POST with post_answer."""
    meta = metadata_for_both()

    def handler(request):
        if request.method == "POST":
            return post_answer(request)
        if request.args.get("config") is not None or request.path.endswith("/fi/"):
            return Response(json.dumps(CONFIG), content_type="application/json")
        if request.path.endswith("/vaerak"):
            return Response(LISTING.read_bytes(), content_type="application/json")
        if request.path.endswith("11ra.px"):
            return Response(json.dumps(meta), content_type="application/json")
        return Response("not here", status=404)
    return handler


def trickle(request):
    """A body of 1 byte every 0.5 s (about 100 s in all)."""
    def body():
        for _ in range(200):
            yield b" "
            time.sleep(0.5)
    return Response(body(), content_type="application/json")


def gzip_bomb() -> bytes:
    """Return about 1 MB of gzip that inflates to 1 GiB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return b"".join(packer.compress(bytes(1 << 20)) for _ in range(1024)) + packer.flush()


BOMB = gzip_bomb()


def bomb(request):
    """Answer with the gzip bomb."""
    return Response(BOMB, content_type="application/json", headers={"Content-Encoding": "gzip"})


def dead_url() -> str:
    """Return a URL where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


SCENARIOS = {
    "1-500": ("every request answers 500 (full run)", everything(500), None, {}),
    "1-dead": ("the hosts are down: connection refused (full run)", None, None, {}),
    "2-429": ("429 with Retry-After: 600 (full run)",
              everything(429, {"Retry-After": "600"}), None, {}),
    "3-trickle": ("1 byte every 0.5 s, timeout 5 s (one table)", normal_then(trickle),
                  ["urbanisation_degree"], {"TILANNEKUVA_HTTP_TIMEOUT": "5"}),
    "6-bomb": ("gzip 1 MB -> 1 GiB (one table)", normal_then(bomb),
               ["urbanisation_degree"], {}),
}


def sha(path: Path) -> str:
    """Return the warehouse's fingerprint."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_one(name: str, code: Path, template: Path, limit: float) -> str:
    """Run one scenario and return its figures as a line."""
    label, handler, only, extra = SCENARIOS[name]
    server = Server(handler) if handler else None
    url = server.url if server else dead_url()
    work = Path(tempfile.mkdtemp())
    db = work / "warehouse.duckdb"
    shutil.copy2(template, db)
    before = sha(db)
    env = dict(os.environ, PYTHONPATH=str(code), TILANNEKUVA_DB=str(db),
               TILANNEKUVA_PXWEB_URL=f"{url}/PxWeb/api/v1/fi",
               TILANNEKUVA_SOTKANET_URL=f"{url}/rest/1.1", **extra)
    cmd = [sys.executable, "-m", "etl", "run", *(["--only", *only] if only else [])]
    started = time.monotonic()
    child = subprocess.Popen(cmd, cwd=code, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    killed = False
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > limit:
            child.kill()
            pid, status, usage = os.wait4(child.pid, 0)
            killed = True
            break
        time.sleep(0.1)
    elapsed = time.monotonic() - started
    code_text = "killed" if killed else str(os.waitstatus_to_exitcode(status))
    if server:
        server.stop()
    changed = "unchanged" if sha(db) == before else "CHANGED"
    shutil.rmtree(work, ignore_errors=True)
    requests = server.requests if server else "-"
    return (f"{name:10} {label:52} {elapsed:7.1f} s{'+' if killed else ' '} "
            f"peak {usage.ru_maxrss / 1024:7.0f} MB  requests {requests!s:>5}  "
            f"exit {code_text:6} warehouse {changed}")


def main() -> None:
    """Build a template warehouse with the chosen code, then run the scenarios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default=str(ROOT), help="checkout whose ETL to run")
    parser.add_argument("--limit", type=float, default=300, help="kill a run after this (s)")
    parser.add_argument("--only", nargs="+", choices=list(SCENARIOS), help="some rows only")
    args = parser.parse_args()
    code = Path(args.code).resolve()
    template = Path(tempfile.mkdtemp()) / "warehouse.duckdb"
    subprocess.run([sys.executable, "-m", "etl", "build", "--db", str(template)], cwd=code,
                   env=dict(os.environ, PYTHONPATH=str(code)), check=True,
                   stdout=subprocess.DEVNULL)
    print(f"ETL of {code}; runs killed after {args.limit:g} s (time marked +)")
    for name in args.only or SCENARIOS:
        print(run_one(name, code, template, args.limit), flush=True)


if __name__ == "__main__":
    main()

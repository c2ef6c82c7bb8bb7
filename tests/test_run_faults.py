"""Issue 11, ETL rows: each fault reproduced against a local server or file, now handled:
nothing bad published, the warehouse byte-identical, a clear message, bounded time and memory.
"""

import copy
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import tracemalloc
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from live_fakes import (
    COVERED_PXWEB,
    FakeClock,
    answer,
    export,
    metadata,
    run_env,
    template_warehouse,
)
from werkzeug import Response

from etl import http
from etl.lock import RunLock
from etl.run import EXIT_FAILED, EXIT_LOCKED, RunOptions, lock_path, run
from warehouse import writer

ROOT = Path(__file__).resolve().parent.parent
TJT = "/PxWeb/api/v1/fi/StatFin/tjt/14ww.px"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return template_warehouse(tmp_path_factory.mktemp("template"))


@pytest.fixture
def env(tmp_path, httpserver, template):
    return run_env(tmp_path, httpserver, template)


def etl(env, only=None, force=False, settings=None, pxweb_url=None, sotkanet_url=None,
        run_deadline=3600.0):
    clock = FakeClock(start=1000.0)
    lines = []
    report = run(RunOptions(
        db_path=env.db, only=list(only) if only else None, force=force, snapshot_dir=env.snap,
        http_settings=settings or http.HttpSettings(), clock=clock, sleep=clock.sleep,
        pxweb_url=pxweb_url or env.fake.pxweb_url,
        sotkanet_url=sotkanet_url or env.fake.sotkanet_url, out=lines.append,
        run_deadline=run_deadline))
    return SimpleNamespace(report=report, lines=lines, text="\n".join(lines), clock=clock,
                           by_id={r.source_id: r for r in report.results})


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def dead_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def value(db, indicator, area, period):
    obs = writer.read_tables(db, ("observations",))["observations"]
    row = obs[(obs.indicator_id == indicator) & (obs.area_code == area) & (obs.period == period)]
    return row["value"].item()


def assert_nothing_published(env, before, out):
    assert sha(env.db) == before and not writer.backup_path(env.db).exists()
    assert out.report.exit_code == EXIT_FAILED and not out.report.published
    assert "warehouse not changed" in out.lines[-1]


# ----- row 1: every request answers 500, or the host is down ---------------------------------

def test_a_500_only_host_and_a_dead_host_end_the_run_quickly_non_zero(env):
    env.server.expect_request("").respond_with_data("Internal Server Error", status=500)
    before = sha(env.db)
    out = etl(env, sotkanet_url=f"{dead_url()}/rest/1.1")
    assert_nothing_published(env, before, out)
    # the PxWeb host got three requests, then the breaker closed it for the run
    assert len(env.server.log) == 3
    assert sum(out.clock.sleeps) <= 2 + 4 + 2 + 4  # two hosts × one backoff series
    failed = [r for r in out.report.results if r.status == "failed"]
    assert len(failed) == 46  # 45 sources and the monthly series they need
    assert out.by_id["live:enterprise_birth_rate"].status == "skipped"
    not_sent = [r for r in failed if "not sent:" in r.message]
    assert len(not_sent) >= 40  # one clear line each, without a request
    assert all(f"FAILED: {r.message}" in out.text for r in failed)
    assert any("failed 3 times in a row" in r.message and "HTTP 500" in r.message
               for r in failed)
    assert any("127.0.0.1" in r.message and "cannot connect" in r.message for r in failed)


def test_a_dead_host_from_the_command_line_exits_1_with_the_warehouse_unchanged(env):
    before = sha(env.db)
    dead = dead_url()
    child = dict(os.environ, TILANNEKUVA_DB=str(env.db), PYTHONPATH=str(ROOT),
                 TILANNEKUVA_PXWEB_URL=f"{dead}/PxWeb/api/v1/fi",
                 TILANNEKUVA_SOTKANET_URL=f"{dead}/rest/1.1")
    proc = subprocess.run([sys.executable, "-m", "etl", "run"], cwd=ROOT, env=child,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and sha(env.db) == before
    assert proc.stdout.count("FAILED:") == 46 and "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.count("not sent:") >= 40


def test_the_run_deadline_skips_what_is_left_with_one_line_each(env):
    env.server.expect_request("").respond_with_data("busy", status=503)
    out = etl(env, run_deadline=5.0,
              settings=http.HttpSettings(attempts=3, backoff=2, breaker_failures=50))
    late = [r for r in out.report.results if "run's deadline" in r.message]
    assert len(late) > 40
    assert sum(out.clock.sleeps) <= 5.0 + 1e-9


# ----- row 2: 429 with Retry-After: 600 ------------------------------------------------------

def test_retry_after_600_is_not_slept_and_closes_the_host(env):
    env.server.expect_request("").respond_with_data("Too Many Requests", status=429,
                                                    headers={"Retry-After": "600"})
    before = sha(env.db)
    out = etl(env, only=COVERED_PXWEB)
    assert_nothing_published(env, before, out)
    assert out.clock.sleeps == [] and len(env.server.log) == 1
    first = out.by_id["live:low_income_rate"].message
    assert "retry after 600 s, longer than the 120 s allowed" in first
    assert all("not sent" in out.by_id[f"live:{i}"].message for i in COVERED_PXWEB[1:])


# ----- row 3: a server that trickles ----------------------------------------------------------

def test_a_trickling_table_fails_at_its_deadline_and_nothing_is_published(env):
    def trickle(request):
        def body():
            for _ in range(400):
                yield b" "
                time.sleep(0.25)
        return Response(body(), content_type="application/json")

    env.server.expect_request(TJT, method="POST").respond_with_handler(trickle)
    env.fake.statfin.serve_all(("tjt/14ww.px",))
    before = sha(env.db)
    started = time.monotonic()
    lines = []
    report = run(RunOptions(db_path=env.db, only=["low_income_rate"], snapshot_dir=env.snap,
                            pxweb_url=env.fake.pxweb_url, sotkanet_url=env.fake.sotkanet_url,
                            out=lines.append,
                            http_settings=http.HttpSettings(timeout=5, attempts=1,
                                                            request_deadline=1.5)))
    assert time.monotonic() - started < 20  # 100 s of trickle cut at the deadline
    assert sha(env.db) == before and report.exit_code == EXIT_FAILED
    assert "did not arrive within 1.5 s" in report.results[0].message


# ----- row 4: values divided by 1000 ----------------------------------------------------------

def divided(recorded, by=1000.0):
    out = copy.deepcopy(recorded)
    for row in out["data"]:
        row["values"] = [v if v == "..." else f"{float(v) / by:g}" for v in row["values"]]
    return out


def reserve(env, recorded, stamp="2026-02-01T06:00:00"):
    env.server.clear()
    env.fake.statfin.serve_config()
    env.fake.statfin.serve_folder("tjt", [{"id": "14ww.px", "type": "t", "text": "x",
                                           "updated": stamp}])
    env.fake.statfin.serve_table("tjt/14ww.px", recorded=recorded)


def test_a_unit_change_is_rejected_with_the_figures_and_force_publishes_it_flagged(env):
    env.fake.serve_all()
    etl(env, only=["low_income_rate"])
    assert value(env.db, "low_income_rate", "091", 2024) == 14.1
    reserve(env, divided(export("tjt/14ww.px")))
    before = sha(env.db)
    out = etl(env, only=["low_income_rate"])
    assert sha(env.db) == before and out.report.exit_code == EXIT_FAILED
    message = out.by_id["live:low_income_rate"].message
    assert "implausible, not published" in message and "--force" in message
    assert "396 published figures would change by more than ×10 or ÷10" in message
    assert "SSS 2024 14.2 → 2024 0.0142, MK01 2024 12.4 → 2024 0.0124" in message
    forced = etl(env, only=["low_income_rate"], force=True)
    assert forced.by_id["live:low_income_rate"].status == "ok"
    assert value(env.db, "low_income_rate", "091", 2024) == pytest.approx(0.0141)
    sources = writer.read_tables(env.db, ("sources",))["sources"].set_index("source_id")
    assert "published with --force although" in sources.loc["live:low_income_rate",
                                                             "derivation"]


def test_a_unit_change_against_the_previous_year_is_rejected(env):
    # the snapshot holds Sotkanet's 2019 low-income rates; 2024 arrives divided by 1000
    reserve(env, divided(export("tjt/14ww.px")))
    before = sha(env.db)
    out = etl(env, only=["low_income_rate"])
    assert sha(env.db) == before and out.report.exit_code == EXIT_FAILED
    message = out.by_id["live:low_income_rate"].message
    assert "jump by more than ×10 or ÷10 from their previous year" in message
    assert " 2019 " in message and " → 2024 " in message


def test_an_honest_small_municipal_jump_is_not_a_unit_change(env):
    recorded = export("tjt/14ww.px")
    cols = [c["code"] for c in recorded["columns"] if c["type"] == "c"]
    akaa = next(r for r in recorded["data"] if r["key"][0] == "KU020")
    akaa["values"][cols.index("rpt_aste")] = "0.5"  # one municipality, not a unit change
    reserve(env, recorded)
    out = etl(env, only=["low_income_rate"])
    assert out.by_id["live:low_income_rate"].status == "ok", out.text


# ----- row 5: one area missing from a response -------------------------------------------------

def without_helsinki(env):
    """Serve 14ww without Helsinki's row; run; return (the outcome, the warehouse before)."""
    recorded = export("tjt/14ww.px")
    recorded["data"] = [r for r in recorded["data"] if r["key"][0] != "KU091"]
    reserve(env, recorded)
    before = sha(env.db)
    out = etl(env, only=["low_income_rate"])
    assert sha(env.db) == before and out.report.exit_code == EXIT_FAILED
    return out.by_id["live:low_income_rate"].message


def test_a_vanished_area_rejects_the_source_and_force_publishes_it(env):
    env.fake.serve_all()
    etl(env, only=["low_income_rate"])
    message = without_helsinki(env)
    assert "1 published figures have no row in the new load: 091 (2024: 14.1)" in message
    forced = etl(env, only=["low_income_rate"], force=True)
    assert forced.by_id["live:low_income_rate"].status == "ok"


def test_an_area_missing_from_the_newest_year_is_named(env):
    message = without_helsinki(env)
    assert "had a figure in 2019 and have none in 2024: 091 (2019: " in message


# ----- row 6: a gzip body that inflates 1 MB → 1 GiB -----------------------------------------

def test_a_decompression_bomb_fails_the_source_with_bounded_memory(env):
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(packer.compress(bytes(1 << 20)) for _ in range(1024)) + packer.flush()
    env.server.expect_request(TJT, method="POST").respond_with_data(
        bomb, content_type="application/json", headers={"Content-Encoding": "gzip"})
    env.fake.statfin.serve_all(("tjt/14ww.px",))
    before = sha(env.db)
    tracemalloc.start()
    try:
        out = etl(env, only=["low_income_rate"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sha(env.db) == before and out.report.exit_code == EXIT_FAILED
    assert "larger than 50,000,000 bytes decompressed; refused" in out.by_id[
        "live:low_income_rate"].message
    assert peak < 160 * 2**20, peak  # the cap (50 MB) bounds it, not the 1 GiB bomb


# ----- row 7: a redirect to another host -------------------------------------------------------

def test_a_redirect_to_another_host_is_refused_and_nothing_published(env):
    other = env.server.url_for(TJT).replace("localhost", "127.0.0.1")
    env.server.expect_request(TJT, method="POST").respond_with_data(
        "", status=307, headers={"Location": other})
    env.fake.statfin.serve_all(("tjt/14ww.px",))
    before = sha(env.db)
    out = etl(env, only=["low_income_rate"])
    assert sha(env.db) == before and out.report.exit_code == EXIT_FAILED
    assert "redirected to another host" in out.by_id["live:low_income_rate"].message
    assert all(req.host.startswith("localhost") for req, _ in env.server.log)


def test_a_same_host_redirect_is_followed_logged_and_the_url_read_recorded(env):
    moved = "/PxWeb/api/v1/fi/StatFin/tjt/moved/14ww.px"
    env.server.expect_request(TJT, method="POST").respond_with_data(
        "", status=307, headers={"Location": moved})
    def reply(request):
        return Response(json.dumps(answer(metadata("tjt/14ww.px"), export("tjt/14ww.px"),
                                          json.loads(request.data))),
                        content_type="application/json")

    env.server.expect_request(moved, method="POST").respond_with_handler(reply)
    env.fake.statfin.serve_all(("tjt/14ww.px",))
    out = etl(env, only=["low_income_rate"])
    result = out.by_id["live:low_income_rate"]
    assert result.status == "ok", out.text
    assert f"followed a redirect: {env.server.url_for(TJT)} → " in result.message
    sources = writer.read_tables(env.db, ("sources",))["sources"].set_index("source_id")
    assert sources.loc["live:low_income_rate", "origin"] == env.server.url_for(moved)


# ----- row 10: kill -9 during build or run leaves .tmp and .tmp.wal ---------------------------

def stale_files(db):
    names = [f".{db.name}.999999991.tmp", f".{db.name}.999999991.tmp.wal",
             f".{db.name}.bak.999999992.tmp"]
    for name in names:
        (db.parent / name).write_bytes(b"left by a killed process")
    return [db.parent / n for n in names]


def test_build_removes_temp_files_left_by_killed_processes(env):
    files = stale_files(env.db)
    keep = env.db.parent / f".{env.db.name}.{os.getpid()}.tmp"  # a live process's own file
    keep.write_bytes(b"in use")
    child = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "etl", "build", "--db", str(env.db)],
                          cwd=ROOT, env=child, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert not any(f.exists() for f in files) and keep.exists()
    assert proc.stdout.count("removed a half-written file") == 3


def test_run_removes_temp_files_and_wal_left_by_killed_processes(env):
    files = stale_files(env.db)
    env.fake.serve_all()
    out = etl(env, only=["low_income_rate"])
    assert not any(f.exists() for f in files)
    assert out.text.count("removed a half-written file") == 3


# ----- row 11: `etl build` while a run is publishing -----------------------------------------

def test_build_takes_the_run_lock_and_exits_3_while_a_run_holds_it(env):
    before = sha(env.db)
    child = dict(os.environ, PYTHONPATH=str(ROOT))
    with RunLock(lock_path(env.db)):
        proc = subprocess.run([sys.executable, "-m", "etl", "build", "--db", str(env.db)],
                              cwd=ROOT, env=child, capture_output=True, text=True, timeout=120)
    assert proc.returncode == EXIT_LOCKED
    assert "another ETL run or build is in progress" in proc.stderr
    assert sha(env.db) == before


def test_monthly_counts_divided_by_1000_are_rejected(env):
    env.fake.serve_all()
    etl(env, only=["unemployment_rate"])
    recorded = divided(export("tyonv/12r5.px"))
    env.server.clear()
    env.fake.statfin.serve_config()
    env.fake.statfin.serve_folder("tyonv", [{"id": "12r5.px", "type": "t", "text": "x",
                                             "updated": "2026-08-25T05:00:00"}])
    env.fake.statfin.serve_table("tyonv/12r5.px", recorded=recorded)
    before = sha(env.db)
    out = etl(env, only=["unemployment_rate"])
    assert sha(env.db) == before and out.report.exit_code == EXIT_FAILED
    monthly = out.by_id["live:monthly:StatFin/tyonv/12r5.px"].message
    assert "stored monthly counts would change by more than ×10 or ÷10" in monthly
    assert "unemployed SSS 2026-06 352001 → 352.001" in monthly
    assert "monthly series of StatFin/tyonv/12r5.px" in out.by_id[
        "live:unemployment_rate"].message

"""`python -m etl run|snapshot|build` as an operator's cron would run them (subprocesses)."""

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from live_fakes import LOADED, SERVED, FakeApis, template_warehouse

from etl.run import PAUSE_ENV
from warehouse import writer

ROOT = Path(__file__).resolve().parent.parent


def cli_env(db, pxweb, sotkanet, **extra):
    env = dict(os.environ, TILANNEKUVA_DB=str(db), TILANNEKUVA_PXWEB_URL=pxweb,
               TILANNEKUVA_SOTKANET_URL=sotkanet, TILANNEKUVA_HTTP_ATTEMPTS="2",
               TILANNEKUVA_HTTP_BACKOFF="0.01", TILANNEKUVA_HTTP_TIMEOUT="5",
               PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def etl(args, env, timeout=120):
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def observations(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT * FROM observations ORDER BY ALL").df()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return template_warehouse(tmp_path_factory.mktemp("template"))[0]


@pytest.fixture
def start(tmp_path, template):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy2(template, db)
    return db


@pytest.fixture
def dead_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_run_against_the_local_server_loads_every_source_it_serves(start, httpserver):
    fake = FakeApis(httpserver)
    fake.serve_all()
    env = cli_env(start, fake.pxweb_url, fake.sotkanet_url)
    full = etl(["run"], env)
    assert full.returncode == 1, full.stdout + full.stderr  # unserved sources fail cleanly
    with duckdb.connect(str(start), read_only=True) as con:
        runs = con.execute("SELECT source_id, status FROM etl_runs WHERE source_id IS NOT NULL"
                           ).df()
        loaded = set(con.execute("SELECT DISTINCT indicator_id FROM observations "
                                 "WHERE source_id LIKE 'live:%'").df()["indicator_id"])
    assert set(runs.loc[runs.status == "ok", "source_id"]) == {f"live:{i}" for i in LOADED} | {
        "live:monthly:StatFin/tyonv/12r5.px"}
    assert loaded == set(LOADED)
    assert f"[1/{len(runs) - 1}] live:" in full.stdout and "FAILED:" in full.stdout  # + monthly
    assert full.stdout.strip().splitlines()[-1].startswith("ETL run ")
    assert f"{len(LOADED) + 1} loaded" in full.stdout.splitlines()[-1]
    assert writer.backup_path(start).exists()
    only = etl(["run", "--only", *SERVED], env)
    assert only.returncode == 0, only.stdout
    assert f"0 loaded, {len(SERVED) + 1} unchanged, 0 failed" in only.stdout


def test_dead_server_fails_cleanly_and_leaves_the_warehouse(start, dead_url, tmp_path):
    before = sha(start)
    env = cli_env(start, f"{dead_url}/PxWeb/api/v1/fi", f"{dead_url}/rest/1.1")
    out = etl(["run"], env)
    assert out.returncode == 1
    assert sha(start) == before and not writer.backup_path(start).exists()
    assert "cannot connect" in out.stdout and "warehouse not changed" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr
    assert (tmp_path / "logs" / "etl_runs.jsonl").exists()


def test_unknown_only_id_is_a_usage_error(start, dead_url):
    out = etl(["run", "--only", "no_such_indicator"], cli_env(start, dead_url, dead_url))
    assert out.returncode == 2 and "no live source for ['no_such_indicator']" in out.stdout


def test_sigkill_mid_publish_leaves_a_consistent_warehouse(start, httpserver):
    fake = FakeApis(httpserver)
    fake.serve_all()
    before = observations(start)
    before_sha = sha(start)
    env = cli_env(start, fake.pxweb_url, fake.sotkanet_url, **{PAUSE_ENV: "60"})
    proc = subprocess.Popen([sys.executable, "-m", "etl", "run", "--only", *SERVED], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        lines = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "paused before publishing" in line or not line:
                break
        assert "paused before publishing" in lines[-1], "".join(lines)
        temps = list(start.parent.glob(f".{start.name}.*.tmp"))
        assert temps, "the new warehouse should be half-published (temp file written)"
        # a second run while the first holds the lock exits at once
        second = etl(["run"], cli_env(start, fake.pxweb_url, fake.sotkanet_url), timeout=30)
        assert second.returncode == 3
        assert "another ETL run or build is in progress" in second.stdout
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
    # the live warehouse is the last good one, opens, and is consistent
    assert sha(start) == before_sha
    pd.testing.assert_frame_equal(observations(start), before)
    with duckdb.connect(str(start), read_only=True) as con:
        orphans = con.execute("SELECT count(*) FROM observations o LEFT JOIN sources s "
                              "USING (source_id) WHERE s.source_id IS NULL").fetchone()[0]
    assert orphans == 0
    # the lock is not stale and the next run cleans up and publishes
    after = etl(["run", "--only", *SERVED], cli_env(start, fake.pxweb_url, fake.sotkanet_url))
    assert after.returncode == 0, after.stdout
    assert "removed a half-written file" in after.stdout
    assert not list(start.parent.glob(f".{start.name}.*.tmp"))
    assert len(observations(start)) > len(before)


def test_snapshot_writes_the_warehouse_back_and_build_reads_it(start, tmp_path, dead_url):
    env = cli_env(start, dead_url, dead_url)
    out = etl(["snapshot", "--snapshot", str(tmp_path / "new")], env)
    assert out.returncode == 0, out.stderr
    snap_obs = pd.read_parquet(tmp_path / "new" / "observations.parquet")
    assert len(snap_obs) == len(observations(start))
    rebuilt = tmp_path / "rebuilt.duckdb"
    built = etl(["build", "--db", str(rebuilt), "--snapshot", str(tmp_path / "new")], env)
    assert built.returncode == 0, built.stderr
    pd.testing.assert_frame_equal(observations(rebuilt), observations(start))
    missing = etl(["snapshot", "--db", str(tmp_path / "nope.duckdb"),
                   "--snapshot", str(tmp_path / "x")], env)
    assert missing.returncode == 1 and "No warehouse at" in missing.stderr
    assert not (tmp_path / "x" / "observations.parquet").exists()

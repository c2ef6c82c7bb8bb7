"""`python -m etl check`: the preflight against the local server serving recorded metadata."""

import copy
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from live_fakes import SERVED, FakeApis, metadata, template_warehouse

from etl import http
from etl.check import run_check
from etl.run import RunOptions, journal_path
from warehouse import writer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """One starting warehouse built with build_from_snapshot; each test gets a copy."""
    return template_warehouse(tmp_path_factory.mktemp("template"))


@pytest.fixture
def start(tmp_path, template):
    db = tmp_path / "warehouse.duckdb"
    db.write_bytes(template[0].read_bytes())
    return db


def check(db, fake, only=None, snap=None):
    lines = []
    code = run_check(RunOptions(db_path=db, only=only, snapshot_dir=snap or db.parent,
                                pxweb_url=fake.pxweb_url, sotkanet_url=fake.sotkanet_url,
                                sleep=lambda s: None,
                                http_settings=http.HttpSettings(timeout=5, attempts=1,
                                                                backoff=0)),
                     out=lines.append)
    return code, lines


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_check_of_the_recorded_indicators_resolves_every_code_and_exits_0(start, httpserver):
    fake = FakeApis(httpserver)
    fake.serve_all()
    before = sha(start)
    env = dict(os.environ, TILANNEKUVA_DB=str(start), TILANNEKUVA_PXWEB_URL=fake.pxweb_url,
               TILANNEKUVA_SOTKANET_URL=fake.sotkanet_url, TILANNEKUVA_HTTP_ATTEMPTS="1",
               PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "etl", "check", "--only", *SERVED], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == len(SERVED) + 1
    by_id = {line.split(":")[0].split()[-1]: line for line in lines[:-1]}
    assert set(by_id) == set(SERVED) and all(line.startswith("ok ") for line in lines[:-1])
    assert ("StatFin/tjt/14ww.px found; area alue_23_20250101; time timeperiod_y; "
            "contentscode rpt_aste; newest 2024 offered (stored 2019)") in by_id[
                "low_income_rate"]
    assert "area Alue; time timeperiod_m" in by_id["unemployment_rate"]
    assert "newest month 2026-06" in by_id["unemployment_rate"]
    assert "2026 flagged partial" in by_id["unemployment_rate"]
    assert "contentscode kaste5T8osuus, kaste5T8, vaesto_15_" in by_id["tertiary_education_share"]
    assert "sotkanet:3562 'Pitkäaikaistyöttömät, % työvoimasta' found; data-updated" in by_id[
        "long_term_unemployed_share"]
    assert lines[-1].startswith(f"etl check: {len(SERVED)} resolved, 0 unresolved")
    # metadata only: no data POST, no Sotkanet data call, nothing written
    assert all(req.method == "GET" and not req.path.endswith("/json")
               for req, _ in httpserver.log)
    assert sha(start) == before and not writer.backup_path(start).exists()
    assert not journal_path(start).exists()


def test_metadata_lacking_a_code_fails_naming_indicator_table_and_code(start, httpserver):
    fake = FakeApis(httpserver)
    meta = copy.deepcopy(metadata("tjt/14ww.px"))
    contents = meta["variables"][-1]
    at = contents["values"].index("rpt_aste")
    del contents["values"][at], contents["valueTexts"][at]
    fake.statfin.serve_config()
    fake.statfin.serve_table("tjt/14ww.px", meta=meta)
    code, lines = check(start, fake, only=["low_income_rate", "median_income"])
    assert code == 1
    assert lines[0].startswith("FAIL  low_income_rate: StatFin/tjt/14ww.px: value 'rpt_aste' "
                               "(with or without a prefix) in variable 'contentscode' not found")
    assert "tjt-henkiloita" in lines[0]  # the codes on offer
    assert lines[1].startswith("ok    median_income:")
    assert lines[-1].startswith("etl check: 1 resolved, 1 unresolved")


def test_full_check_names_every_unresolved_source_and_exits_non_zero(start, httpserver):
    fake = FakeApis(httpserver)
    fake.serve_all()
    code, lines = check(start, fake)
    assert code == 1
    status = {line.split(":")[0].split()[-1]: line.split()[0] for line in lines[:-1]}
    assert len(status) == 46
    assert {k for k, v in status.items() if v == "ok"} == set(SERVED)
    assert status["enterprise_birth_rate"] == "none"
    fails = [line for line in lines if line.startswith("FAIL")]
    assert any("gdp_per_capita: " in f and "altp/12bc.px" in f and "HTTP 404" in f
               for f in fails)
    assert any("population_change" in f and "no previous year" in f for f in fails)
    assert any("urbanisation_degree" in f and "taajama-aste" in f for f in fails)
    assert lines[-1] == (f"etl check: {len(SERVED)} resolved, {46 - len(SERVED) - 1} "
                         "unresolved, 1 without a live source (of 46); nothing was written")


def test_a_wrong_sotkanet_id_fails_the_title_check(start, httpserver):
    fake = FakeApis(httpserver)
    httpserver.expect_request("/rest/1.1/indicators/5641").respond_with_json(
        {"id": 5641, "title": {"fi": "Syöpäindeksi"}, "data-updated": "2026-01-01"})
    code, lines = check(start, fake, only=["morbidity_index"])
    assert code == 1
    assert "'Syöpäindeksi' does not contain 'Sairastavuusindeksi'" in lines[0]


def test_check_without_a_warehouse_reads_the_snapshot_and_creates_nothing(tmp_path, template,
                                                                          httpserver):
    fake = FakeApis(httpserver)
    fake.serve_all()
    db = tmp_path / "none.duckdb"
    code, lines = check(db, fake, only=["low_income_rate"], snap=template[1])
    assert code == 0 and "(stored 2019)" in lines[0]
    assert not db.exists() and not list(tmp_path.iterdir())

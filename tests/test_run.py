import hashlib
import json
import shutil
import socket
import time
from types import SimpleNamespace

import pandas as pd
import pytest
from live_fakes import (
    SERVED,
    SERVED_PXWEB,
    SERVED_SOTKANET,
    FakeApis,
    FakeClock,
    make_snapshot,
)

from etl import http, warehouse
from etl.lock import RunLock
from etl.run import EXIT_FAILED, EXIT_LOCKED, EXIT_OK, RunOptions, journal_path, lock_path, run

FAST = http.HttpSettings(timeout=2, attempts=3, backoff=1.0)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """One starting warehouse built with build_from_snapshot; each test gets a copy."""
    folder = tmp_path_factory.mktemp("template")
    snap = make_snapshot(folder / "snap")
    return warehouse.build_from_snapshot(folder / "warehouse.duckdb", snap), snap


@pytest.fixture
def env(tmp_path, httpserver, template):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy2(template[0], db)
    return SimpleNamespace(db=db, snap=template[1], fake=FakeApis(httpserver),
                           server=httpserver)


def etl(env, only=None, force=False, settings=FAST, clock=None, pxweb_url=None, dry_run=False):
    clock = clock or FakeClock(start=1000.0)
    lines = []
    report = run(RunOptions(
        db_path=env.db, only=list(only) if only else None, force=force, dry_run=dry_run,
        snapshot_dir=env.snap, http_settings=settings, clock=clock, sleep=clock.sleep,
        pxweb_url=pxweb_url or env.fake.pxweb_url, sotkanet_url=env.fake.sotkanet_url,
        out=lines.append))
    return SimpleNamespace(report=report, lines=lines, text="\n".join(lines), clock=clock,
                           by_id={r.source_id: r for r in report.results})


def digest(path):
    """Return a fingerprint of the published warehouse and its backup."""
    backup = warehouse.backup_path(path)
    return (hashlib.sha256(path.read_bytes()).hexdigest(),
            hashlib.sha256(backup.read_bytes()).hexdigest() if backup.exists() else None)


def tables(db):
    t = warehouse.read_tables(db, ("observations", "sources", "etl_runs"))
    t["observations"] = t["observations"].sort_values(
        ["indicator_id", "area_code", "period"]).reset_index(drop=True)
    return t


def assert_untouched(env, before_digest, outcome, source, message):
    """The fault left the published warehouse exactly as it was and said so clearly."""
    assert digest(env.db) == before_digest
    result = outcome.by_id[f"live:{source}"]
    assert result.status == "failed"
    assert message in result.message, result.message
    assert f"FAILED: {result.message}" in outcome.text
    assert outcome.report.exit_code == EXIT_FAILED and not outcome.report.published
    assert "warehouse not changed" in outcome.lines[-1]
    with __import__("duckdb").connect(str(env.db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] > 0


# ----- the good path -------------------------------------------------------------------------

def test_served_sources_load_with_provenance_and_run_log(env):
    env.fake.serve_all()
    before = tables(env.db)
    out = etl(env, only=SERVED)
    assert out.report.exit_code == EXIT_OK and out.report.published, out.text
    assert {r.status for r in out.report.results} == {"ok"}
    after = tables(env.db)
    obs = after["observations"]
    assert set(obs["indicator_id"]) >= set(SERVED)
    # a real figure travels unchanged: Tornio (851) low-income rate 2019 from Sotkanet
    raw = env.fake.rows
    tornio = next(r["id"] for r in env.fake.regions if r["code"] == "851")
    expected = raw[(raw.indicator == 3099) & (raw.region == tornio)]["value"].item()
    got = obs[(obs.indicator_id == "low_income_rate") & (obs.area_code == "851")]
    assert got["value"].item() == expected and got["source_id"].item() == "live:low_income_rate"
    # ratio from real counts: jobs / employed × 100
    cube = env.fake.cubes["tyokay/115p.px"]
    jss = obs[(obs.indicator_id == "job_self_sufficiency") & (obs.area_code == "005")
              & (obs.period == 2016)]["value"].item()
    assert jss == pytest.approx(cube[("KU005", "2016", "tyokay-tyopaikat")]
                                / cube[("KU005", "2016", "tyokay-tyolliset")] * 100)
    # provenance: table id, exact query body, updated stamp, fetched-at
    src = after["sources"].set_index("source_id")
    row = src.loc["live:job_self_sufficiency"]
    assert row["table_id"] == "StatFin/tyokay/115p.px" and row["updated"] == "2026-03-27T05:00:00"
    assert json.loads(row["query"]) == env.fake.posts("tyokay/115p.px")
    assert row["fetched_at"] and row["licence"] == "CC BY 4.0"
    assert json.loads(src.loc["live:population_change", "query"])[0]["indicator"] == 127
    # run log: one row for the run, one per source
    runs = after["etl_runs"]
    assert (runs["source_id"].isna()).sum() == 1
    assert set(runs["source_id"].dropna()) == {f"live:{i}" for i in SERVED}
    assert set(runs.loc[runs.source_id.notna(), "status"]) == {"ok"}
    assert (runs["rows"] > 0).all() and runs["finished_at"].ge(runs["started_at"]).all()
    # backup is the previous warehouse
    backup = tables(warehouse.backup_path(env.db))
    pd.testing.assert_frame_equal(backup["observations"], before["observations"])
    assert "published" in out.lines[-1] and "9 loaded" not in out.lines[-1]
    assert f"{len(SERVED)} loaded, 0 unchanged, 0 failed" in out.lines[-1]


def test_population_change_is_derived_from_real_population_counts(env):
    env.fake.serve_all()
    etl(env, only=["population_change"])
    obs = tables(env.db)["observations"]
    pc = obs[obs.indicator_id == "population_change"]
    assert set(pc["period"]) == {2018, 2019}  # 2017 has no previous year
    raw = env.fake.rows
    helsinki = next(r["id"] for r in env.fake.regions if r["code"].zfill(3) == "091")
    pop = raw[(raw.indicator == 127) & (raw.region == helsinki)].set_index("year")["value"]
    got = pc[(pc.area_code == "091") & (pc.period == 2019)]["value"].item()
    assert got == pytest.approx((pop[2019] / pop[2018] - 1) * 100)


def test_unchanged_tables_are_not_downloaded_again(env):
    env.fake.serve_all()
    etl(env, only=SERVED)
    stamp = digest(env.db)
    posts = len(env.fake.posts("tyokay/115p.px"))
    seen = len(env.server.log)
    again = etl(env, only=SERVED)
    assert {r.status for r in again.report.results} == {"unchanged"}
    assert again.report.exit_code == EXIT_OK and not again.report.published
    assert len(env.fake.posts("tyokay/115p.px")) == posts
    later = [req.path for req, _ in env.server.log[seen:]]
    assert later and not any(p.endswith("/json") or p.endswith(".px") for p in later)
    assert digest(env.db) == stamp
    forced = etl(env, only=["job_self_sufficiency"], force=True)
    assert forced.by_id["live:job_self_sufficiency"].status == "ok"
    assert len(env.fake.posts("tyokay/115p.px")) > posts


def test_a_full_run_loads_what_is_served_and_fails_the_rest_clearly(env):
    env.fake.serve_all()
    out = etl(env)
    statuses = {r.source_id: r.status for r in out.report.results}
    assert {k for k, v in statuses.items() if v == "ok"} == {f"live:{i}" for i in SERVED}
    assert out.report.exit_code == EXIT_FAILED and out.report.published
    failed = out.by_id["live:works_in_home_municipality"]
    assert "tyokay-asuinkunnassaan_tyossakayvat" in failed.message
    assert "HTTP 404" in out.by_id["live:life_expectancy"].message
    assert "kuol/12an.px" in out.by_id["live:life_expectancy"].message


# ----- faults: each leaves the last good warehouse and says why --------------------------------

def test_429_with_retry_after_is_honoured_then_loads(env):
    env.fake.serve_config()
    env.server.expect_oneshot_request("/PxWeb/api/v1/fi/StatFin/vaerak/11ra.px",
                                      method="POST").respond_with_data(
        "Too Many Requests", status=429, headers={"Retry-After": "30"})
    env.fake.serve_table("vaerak/11ra.px")
    out = etl(env, only=["urbanisation_degree"])
    assert out.by_id["live:urbanisation_degree"].status == "ok"
    assert 30.0 in out.clock.sleeps


def test_429_that_never_ends_keeps_the_last_good_warehouse(env):
    env.fake.serve_config()
    env.server.expect_request("/PxWeb/api/v1/fi/StatFin/vaerak/11ra.px",
                              method="POST").respond_with_data(
        "Too Many Requests", status=429, headers={"Retry-After": "5"})
    env.fake.serve_table("vaerak/11ra.px")
    before = digest(env.db)
    out = etl(env, only=["urbanisation_degree"])
    assert out.clock.sleeps.count(5.0) == FAST.attempts - 1
    assert_untouched(env, before, out, "urbanisation_degree", "HTTP 429")
    assert "Statistics Finland PxWeb vaerak/11ra.px" in out.by_id[
        "live:urbanisation_degree"].message


def test_500_then_success(env):
    env.fake.serve_config()
    env.server.expect_oneshot_request("/rest/1.1/json").respond_with_data("error", status=500)
    env.fake.serve_sotkanet()
    out = etl(env, only=["low_income_rate"])
    assert out.by_id["live:low_income_rate"].status == "ok" and out.report.published
    assert out.clock.sleeps == [FAST.backoff]


def test_timeout(env):
    env.fake.serve_config()
    env.fake.serve_table("vaerak/11ra.px", answer=lambda q: time.sleep(0.6) or {})
    before = digest(env.db)
    out = etl(env, only=["urbanisation_degree"],
              settings=http.HttpSettings(timeout=0.2, attempts=2, backoff=0))
    assert_untouched(env, before, out, "urbanisation_degree", "timed out after 0.2 s")


def test_connection_refused(env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/PxWeb/api/v1/fi"
    before = digest(env.db)
    out = etl(env, only=["urbanisation_degree"], pxweb_url=dead)
    assert_untouched(env, before, out, "urbanisation_degree", "cannot connect")
    assert "?config" in out.by_id["live:urbanisation_degree"].message


@pytest.mark.parametrize("body, content_type, message", [
    (b'{"version": "2.0", "class": "dataset", "id": ["alue_23_2026', "application/json",
     "not valid JSON (truncated"),
    (b"<!DOCTYPE html><html><body>Palvelukatko</body></html>", "text/html; charset=utf-8",
     "HTML page"),
])
def test_truncated_json_and_html_with_status_200(env, body, content_type, message):
    env.fake.serve_config()
    meta = env.fake.metas["vaerak/11ra.px"]
    env.server.expect_request("/PxWeb/api/v1/fi/StatFin/vaerak", method="GET").respond_with_json(
        [{"id": "11ra.px", "type": "t", "text": meta["title"], "updated": "2026-04-01"}])
    env.server.expect_request("/PxWeb/api/v1/fi/StatFin/vaerak/11ra.px",
                              method="GET").respond_with_json(meta)
    env.server.expect_request("/PxWeb/api/v1/fi/StatFin/vaerak/11ra.px",
                              method="POST").respond_with_data(body, content_type=content_type)
    before = digest(env.db)
    out = etl(env, only=["urbanisation_degree"])
    assert_untouched(env, before, out, "urbanisation_degree", message)


def test_renamed_variable_code(env):
    env.fake.serve_config()
    meta = json.loads(json.dumps(env.fake.metas["tyokay/115p.px"]))
    meta["variables"][0]["code"] = "alue_23_20270101"
    env.fake.serve_table("tyokay/115p.px", meta=meta)
    before = digest(env.db)
    out = etl(env, only=["job_self_sufficiency"])
    assert_untouched(env, before, out, "job_self_sufficiency",
                     "variable code 'alue_23_20260101' is not in the table")
    assert "alue_23_20270101" in out.by_id["live:job_self_sufficiency"].message
    assert env.fake.posts("tyokay/115p.px") == []  # nothing was asked with stale codes


def test_unknown_area_code(env):
    regions = env.fake.regions + [{"id": 99999, "title": {"fi": "Tuntematon"}, "code": "999",
                                   "category": "KUNTA"}]
    rows = pd.concat([env.fake.rows, pd.DataFrame([{"indicator": 3099, "region": 99999,
                                                    "year": 2019, "gender": "total",
                                                    "value": 12.0}])])
    env.fake.serve_sotkanet(regions=regions, rows=rows)
    before = digest(env.db)
    out = etl(env, only=["low_income_rate"])
    assert_untouched(env, before, out, "low_income_rate", "1 unknown area codes: ['999']")


def test_unknown_area_code_in_a_pxweb_answer(env):
    env.fake.serve_config()
    cube = dict(env.fake.cubes["vaerak/11ra.px"])
    meta = env.fake.metas["vaerak/11ra.px"]

    def answer(query):
        from live_fakes import jsonstat_answer
        query["query"][0]["selection"]["values"].append("KU999")
        cube[("KU999", "2016", "vaerak-taajama_aste")] = 50.0
        meta2 = json.loads(json.dumps(meta))
        meta2["variables"][0]["values"].append("KU999")
        meta2["variables"][0]["valueTexts"].append("Tuntematon")
        return jsonstat_answer(meta2, query, cube)

    env.fake.serve_table("vaerak/11ra.px", answer=answer)
    before = digest(env.db)
    out = etl(env, only=["urbanisation_degree"])
    assert_untouched(env, before, out, "urbanisation_degree", "unknown area codes: ['999']")


def test_empty_dataset(env):
    env.fake.serve_sotkanet(rows=env.fake.rows.iloc[0:0])
    before = digest(env.db)
    out = etl(env, only=["low_income_rate"])
    assert_untouched(env, before, out, "low_income_rate", "empty dataset")


def test_duplicate_rows(env):
    env.fake.serve_sotkanet(rows=pd.concat([env.fake.rows, env.fake.rows]))
    before = digest(env.db)
    out = etl(env, only=["low_income_rate"])
    assert_untouched(env, before, out, "low_income_rate", "share a key (duplicates)")


def test_value_outside_the_valid_range(env):
    rows = env.fake.rows.copy()
    rows.loc[rows.index[rows.indicator == 3099][0], "value"] = 75.0  # valid range is 0-60
    env.fake.serve_sotkanet(rows=rows)
    before = digest(env.db)
    out = etl(env, only=["low_income_rate"])
    assert_untouched(env, before, out, "low_income_rate", "outside the valid range [0, 60]")


def test_wrong_indicator_id_is_caught_by_the_title_check(env):
    env.fake.serve_sotkanet()
    env.server.expect_request("/rest/1.1/indicators/4123").respond_with_json(
        {"id": 4123, "title": {"fi": "Hammaslääkärikäynnit / 1000 asukasta"}})
    before = digest(env.db)
    out = etl(env, only=["doctor_wait_over_7_days"])
    assert_untouched(env, before, out, "doctor_wait_over_7_days", "does not contain 'yli 7'")


def test_cell_limit_exceeded_splits_the_query(env):
    env.fake.serve_config({"maxValues": 200, "maxCells": 200, "maxCalls": 40,
                           "timeWindow": 60})
    env.fake.serve_table("tyokay/115p.px")
    out = etl(env, only=["job_self_sufficiency"])
    assert out.by_id["live:job_self_sufficiency"].status == "ok", out.text
    bodies = env.fake.posts("tyokay/115p.px")
    sizes = [len(b["query"][0]["selection"]["values"]) * len(b["query"][1]["selection"]["values"])
             * len(b["query"][2]["selection"]["values"]) for b in bodies]
    assert len(bodies) >= 10 and max(sizes) <= 200
    assert sum(sizes) == 303 * 3 * 2  # every cell asked exactly once
    codes = [b["query"][0]["code"] for b in bodies]
    assert set(codes) == {"alue_23_20260101"}
    assert all(b["query"][2]["selection"]["values"] == ["tyokay-tyopaikat", "tyokay-tyolliset"]
               for b in bodies)
    obs = tables(env.db)["observations"]
    assert (obs.indicator_id == "job_self_sufficiency").sum() == 303 * 3


def test_the_api_rate_limit_is_respected(env):
    env.fake.serve_config({"maxValues": 200, "maxCalls": 3, "timeWindow": 60})
    env.fake.serve_table("tyokay/115p.px")
    out = etl(env, only=["job_self_sufficiency"])
    assert out.by_id["live:job_self_sufficiency"].status == "ok"
    calls = [req for req, _ in env.server.log if "config" not in req.query_string.decode()]
    assert len(calls) >= 12
    # fake time only moves by sleeping: 3 calls per 60 s means at least this much waiting
    assert sum(out.clock.sleeps) >= 60 * ((len(calls) - 1) // 3) - 1e-6


def test_row_count_drop_needs_force(env):
    env.fake.serve_sotkanet()
    etl(env, only=["low_income_rate"])
    env.server.clear()
    rows = env.fake.rows
    keep = rows[(rows.indicator != 3099) | (rows.index % 3 == 0)]
    env.fake.serve_sotkanet(rows=keep, updated="2026-04-01")
    before = digest(env.db)
    out = etl(env, only=["low_income_rate"])
    assert_untouched(env, before, out, "low_income_rate", "rerun with --force")
    forced = etl(env, only=["low_income_rate"], force=True)
    assert forced.by_id["live:low_income_rate"].status == "ok"
    obs = tables(env.db)["observations"]
    assert (obs.indicator_id == "low_income_rate").sum() == (keep.indicator == 3099).sum()


def test_two_runs_at_once(env):
    env.fake.serve_all()
    before = digest(env.db)
    with RunLock(lock_path(env.db)):
        out = etl(env, only=SERVED)
    assert out.report.exit_code == EXIT_LOCKED and out.report.results == []
    assert "another ETL run is in progress" in out.text
    assert digest(env.db) == before and len(env.server.log) == 0


def test_publish_failure_keeps_the_previous_warehouse(env, monkeypatch):
    env.fake.serve_all()
    before = digest(env.db)

    def broken(*args, **kwargs):
        raise warehouse.WarehouseError("disk full")

    monkeypatch.setattr(warehouse, "build_live", broken)
    out = etl(env, only=["low_income_rate"])
    assert digest(env.db) == before and out.report.exit_code == EXIT_FAILED
    assert "publishing failed, the previous warehouse is kept: disk full" in out.text


def test_dry_run_publishes_nothing(env):
    env.fake.serve_all()
    before = digest(env.db)
    out = etl(env, only=SERVED_SOTKANET, dry_run=True)
    assert {r.status for r in out.report.results} == {"ok"}
    assert digest(env.db) == before and not journal_path(env.db).exists()
    assert "(dry run)" in out.lines[0]


def test_failed_runs_reach_etl_runs_at_the_next_publish(env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/PxWeb/api/v1/fi"
    failed = etl(env, only=SERVED_PXWEB, pxweb_url=dead)
    assert failed.report.exit_code == EXIT_FAILED and journal_path(env.db).exists()
    env.fake.serve_all()
    ok = etl(env, only=SERVED_PXWEB)
    runs = tables(env.db)["etl_runs"]
    assert {failed.report.run_id, ok.report.run_id} <= set(runs["run_id"])
    first = runs[runs.run_id == failed.report.run_id]
    assert set(first["status"]) == {"failed"}
    assert first["message"].str.contains("cannot connect|warehouse not changed").all()


def test_stale_half_written_file_is_removed(env):
    stale = env.db.with_name(f".{env.db.name}.999999999.tmp")
    stale.write_bytes(b"half a warehouse")
    env.fake.serve_all()
    out = etl(env, only=["low_income_rate"])
    assert not stale.exists()
    assert "removed a half-written file" in out.text

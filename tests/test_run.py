"""A live run against the local server serving the recorded post-June-2026 responses."""

import copy
import hashlib
import json
import socket
import time
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest
from live_fakes import (
    ANNUAL_FROM_MONTHS,
    COVERED_PXWEB,
    LOADED,
    SERVED,
    SERVED_SOTKANET,
    FakeClock,
    export,
    metadata,
    run_env,
    template_warehouse,
)

from etl import http
from etl.lock import RunLock
from etl.run import EXIT_FAILED, EXIT_LOCKED, EXIT_OK, RunOptions, journal_path, lock_path, run
from warehouse import build, writer

FAST = http.HttpSettings(timeout=2, attempts=3, backoff=1.0, request_deadline=120)
TJT = "/PxWeb/api/v1/fi/StatFin/tjt/14ww.px"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """One starting warehouse built with build_from_snapshot; each test gets a copy."""
    return template_warehouse(tmp_path_factory.mktemp("template"))


@pytest.fixture
def env(tmp_path, httpserver, template):
    return run_env(tmp_path, httpserver, template)


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
    backup = writer.backup_path(path)
    return (hashlib.sha256(path.read_bytes()).hexdigest(),
            hashlib.sha256(backup.read_bytes()).hexdigest() if backup.exists() else None)


def tables(db):
    t = writer.read_tables(db, ("observations", "sources", "etl_runs",
                                   "monthly_observations"))
    t["observations"] = t["observations"].sort_values(
        ["indicator_id", "area_code", "period"]).reset_index(drop=True)
    return t


def value(obs, indicator, area, period):
    row = obs[(obs.indicator_id == indicator) & (obs.area_code == area) & (obs.period == period)]
    return row["value"].item()


def assert_untouched(env, before_digest, outcome, source, message):
    """The fault left the published warehouse exactly as it was and said so clearly."""
    assert digest(env.db) == before_digest
    result = outcome.by_id[f"live:{source}"]
    assert result.status == "failed"
    assert message in result.message, result.message
    assert f"FAILED: {result.message}" in outcome.text
    assert outcome.report.exit_code == EXIT_FAILED and not outcome.report.published
    assert "warehouse not changed" in outcome.lines[-1]
    with duckdb.connect(str(env.db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] > 0


# ----- the good path -------------------------------------------------------------------------

def test_recorded_responses_load_with_provenance_and_run_log(env):
    env.fake.serve_all()
    before = tables(env.db)
    out = etl(env, only=SERVED)
    assert out.report.exit_code == EXIT_OK and out.report.published, out.text
    annual = {f"live:{i}" for i in ANNUAL_FROM_MONTHS}
    assert {r.status for r in out.report.results if r.source_id not in annual} == {"ok"}
    # the recording holds June 2026 only: the months are stored, but they make no annual figure
    waiting = [r for r in out.report.results if r.source_id in annual]
    assert waiting and all(r.status == "unchanged" and "make no year of 6 months" in r.message
                           for r in waiting), out.text
    obs = tables(env.db)["observations"]
    assert set(obs["indicator_id"]) >= set(LOADED)
    assert not set(obs.loc[obs.source_id.str.startswith("live:"), "indicator_id"]) & set(
        ANNUAL_FROM_MONTHS)
    # figures read by hand from the recordings (derived ones stored to STORED_DECIMALS)
    assert value(obs, "low_income_rate", "091", 2024) == 14.1
    assert value(obs, "median_income", "091", 2024) == 33525
    assert value(obs, "gini_coefficient", "MK13", 2024) == 26.6
    assert value(obs, "basic_security_share", "091", 2024) == pytest.approx(
        38964 / 663626 * 100, abs=5e-5)
    assert value(obs, "tertiary_education_share", "MK01", 2025) == 40.9
    assert value(obs, "tertiary_education_share", "SK016", 2025) == pytest.approx(
        (493 + 3414) / (2134 + 12449) * 100, abs=5e-5)
    assert value(obs, "population", "091", 2025) == 694392
    assert value(obs, "natural_increase_per_1000", "SK016", 2025) == pytest.approx(
        (-21 - 120) / (2430 + 14196) * 1000, abs=5e-5)
    assert value(obs, "net_internal_migration_per_1000", "SSS", 2025) == 0
    # a Sotkanet figure travels unchanged
    raw, regions = env.fake.sotkanet.rows, env.fake.sotkanet.regions
    tornio = next(r["id"] for r in regions if r["code"] == "851")
    expected = raw[(raw.indicator == 3562) & (raw.region == tornio)]["value"].item()
    assert value(obs, "long_term_unemployed_share", "851", 2019) == expected
    # the bundled rows the run did not touch are as they were
    old = before["observations"]
    kept = obs[obs.source_id == "snap:sotkanet-2019"]
    cols = ["indicator_id", "area_code", "period", "value", "source_id"]
    pd.testing.assert_frame_equal(kept[cols].reset_index(drop=True),
                                  old.loc[old.source_id == "snap:sotkanet-2019", cols]
                                  .reset_index(drop=True), check_dtype=False)


def test_one_query_per_table_with_the_codes_exactly_as_recorded(env):
    env.fake.serve_all()
    etl(env, only=COVERED_PXWEB)
    for table in ("tjt/14ww.px", "vkour/12bs.px", "vaerak/11ra.px", "ssaaty/121w.px",
                  "tyonv/12r5.px"):
        posts = env.fake.posts(table)
        assert len(posts) == 1, table
        body = posts[0]
        recorded = export(table)
        keys = [c["code"] for c in recorded["columns"] if c["type"] in ("d", "t")]
        contents = {c["code"] for c in recorded["columns"] if c["type"] == "c"}
        assert [q["code"] for q in body["query"]] == keys + ["contentscode"]
        assert body["response"] == {"format": "json"}
        asked = {q["code"]: q["selection"]["values"] for q in body["query"]}
        assert set(asked["contentscode"]) <= contents
        assert all(q["selection"]["filter"] == "item" for q in body["query"])
    body = env.fake.posts("tjt/14ww.px")[0]
    asked = {q["code"]: q["selection"]["values"] for q in body["query"]}
    assert asked["timeperiod_y"] == ["2024"]
    assert asked["contentscode"] == ["rpt_aste", "rpt_l_aste", "pit_rpt_aste",
                                     "tjt-ekvikturaha_med", "gini_kturaha", "pt1_henkiloita",
                                     "tjt-henkiloita"]
    assert "HV01" not in asked["alue_23_20250101"] and len(asked["alue_23_20250101"]) == 397
    src = tables(env.db)["sources"].set_index("source_id")
    row = src.loc["live:low_income_rate"]
    assert json.loads(row["query"]) == [body]
    assert row["table_id"] == "StatFin/tjt/14ww.px" and row["updated"] == "2025-12-16T06:00:00"
    assert row["origin"] == env.server.url_for(TJT)
    assert row["fetched_at"] and row["licence"] == "CC BY 4.0"


def test_monthly_series_are_stored_and_annual_values_come_from_annual_ratio(env):
    env.fake.serve_all()
    out = etl(env, only=["unemployment_rate", "vacancies_per_100_unemployed"])
    assert out.report.exit_code == EXIT_OK, out.text
    t = tables(env.db)
    monthly = t["monthly_observations"]
    assert set(monthly["series_id"]) == {"unemployed", "labour_force", "open_vacancies",
                                        "long_term_unemployed", "unemployed_under_25",
                                        "unemployed_over_50", "unemployed_foreign", "laid_off",
                                        "new_vacancies"}
    assert set(monthly["month"]) == {"2026-06"}
    hki = monthly[monthly.area_code == "091"].set_index("series_id")["value"]
    assert hki["unemployed"] == 52578 and hki["labour_force"] == 370847
    assert hki["laid_off"] == 1530 and hki["new_vacancies"] == 2309
    assert not monthly["area_code"].isin(["199", "MK91", "ELY01"]).any()
    obs = t["observations"]
    # June 2026 alone is one month of a seasonal series: stored as a month, no annual figure
    assert obs[obs.indicator_id.isin(ANNUAL_FROM_MONTHS) & (obs.period == 2026)].empty
    for ident in ANNUAL_FROM_MONTHS:
        result = out.by_id[f"live:{ident}"]
        assert result.status == "unchanged"
        assert "(2026-06…2026-06) make no year of 6 months" in result.message
    assert len(env.fake.posts("tyonv/12r5.px")) == 1  # both indicators, one fetch
    assert "live:monthly:StatFin/tyonv/12r5.px" in set(t["sources"]["source_id"])


def test_unchanged_tables_are_not_downloaded_again(env):
    env.fake.serve_all()
    etl(env, only=SERVED)
    stamp = digest(env.db)
    posts = len(env.fake.posts("tjt/14ww.px"))
    seen = len(env.server.log)
    again = etl(env, only=SERVED)
    assert {r.status for r in again.report.results} == {"unchanged"}, again.text
    assert again.report.exit_code == EXIT_OK and not again.report.published
    later = [req.path for req, _ in env.server.log[seen:]]
    assert later and not any(p.endswith("/json") or p.endswith(".px") for p in later)
    assert digest(env.db) == stamp
    forced = etl(env, only=["low_income_rate"], force=True)
    assert forced.by_id["live:low_income_rate"].status == "ok"
    assert len(env.fake.posts("tjt/14ww.px")) == posts + 1


def test_a_full_run_loads_what_is_recorded_and_fails_the_rest_clearly(env):
    env.fake.serve_all()
    out = etl(env)
    statuses = {r.source_id: r.status for r in out.report.results}
    loaded = {k for k, v in statuses.items() if v == "ok"}
    assert loaded == {f"live:{i}" for i in LOADED} | {"live:monthly:StatFin/tyonv/12r5.px"}
    assert {statuses[f"live:{i}"] for i in ANNUAL_FROM_MONTHS} == {"unchanged"}
    assert statuses["live:enterprise_birth_rate"] == "skipped"
    assert out.report.exit_code == EXIT_FAILED and out.report.published
    assert "label 'taajama-aste'" in out.by_id["live:urbanisation_degree"].message
    assert "vaerak-vaesto, vaesto_alle15_p" in out.by_id["live:urbanisation_degree"].message
    assert "HTTP 404" in out.by_id["live:gdp_per_capita"].message
    assert "no previous year" in out.by_id["live:population_change"].message
    assert "1 without a live source" in out.lines[-1]


# ----- faults: each leaves the last good warehouse and says why --------------------------------

def test_a_renamed_content_code_fails_that_indicator_naming_table_and_codes(env):
    env.fake.statfin.serve_config()
    env.fake.statfin.serve_folder("tjt")
    meta = copy.deepcopy(metadata("tjt/14ww.px"))
    contents = meta["variables"][-1]
    contents["values"] = ["tjt-rpt_aste60" if c == "rpt_aste" else c for c in contents["values"]]
    env.fake.statfin.serve_table("tjt/14ww.px", meta=meta)
    before = digest(env.db)
    out = etl(env, only=["low_income_rate"])
    assert_untouched(env, before, out, "low_income_rate", "StatFin/tjt/14ww.px: value "
                                                          "'rpt_aste'")
    assert "tjt-rpt_aste60" in out.by_id["live:low_income_rate"].message
    assert env.fake.posts("tjt/14ww.px") == []  # nothing was asked with stale codes


def test_a_prefix_added_overnight_is_followed(env):
    env.fake.statfin.serve_config()
    env.fake.statfin.serve_folder("tjt")
    meta = copy.deepcopy(metadata("tjt/14ww.px"))
    recorded = export("tjt/14ww.px")
    codes = meta["variables"][-1]["values"]
    codes[:] = ["tjt-rpt_aste" if c == "rpt_aste" else c for c in codes]
    for col in recorded["columns"]:
        if col["code"] == "rpt_aste":
            col["code"] = "tjt-rpt_aste"
    env.fake.statfin.serve_table("tjt/14ww.px", meta=meta, recorded=recorded)
    out = etl(env, only=["low_income_rate"])
    assert out.by_id["live:low_income_rate"].status == "ok", out.text
    assert env.fake.posts("tjt/14ww.px")[0]["query"][2]["selection"]["values"] == [
        "tjt-rpt_aste"]
    assert value(tables(env.db)["observations"], "low_income_rate", "091", 2024) == 14.1


def test_429_with_retry_after_is_honoured_then_loads(env):
    env.server.expect_oneshot_request(TJT, method="POST").respond_with_data(
        "Too Many Requests", status=429, headers={"Retry-After": "30"})
    env.fake.statfin.serve_all(("tjt/14ww.px",))
    out = etl(env, only=["low_income_rate"])
    assert out.by_id["live:low_income_rate"].status == "ok"
    assert 30.0 in out.clock.sleeps


def test_429_that_never_ends_keeps_the_last_good_warehouse(env):
    env.server.expect_request(TJT, method="POST").respond_with_data(
        "Too Many Requests", status=429, headers={"Retry-After": "5"})
    env.fake.statfin.serve_all(("tjt/14ww.px",))
    before = digest(env.db)
    out = etl(env, only=["low_income_rate"])
    assert out.clock.sleeps.count(5.0) == FAST.attempts - 1
    assert_untouched(env, before, out, "low_income_rate", "HTTP 429")
    assert "Statistics Finland PxWeb tjt/14ww.px" in out.by_id["live:low_income_rate"].message


def test_500_then_success(env):
    env.server.expect_oneshot_request("/rest/1.1/json").respond_with_data("error", status=500)
    env.fake.sotkanet.serve()
    out = etl(env, only=["long_term_unemployed_share"])
    assert out.by_id["live:long_term_unemployed_share"].status == "ok" and out.report.published
    assert out.clock.sleeps == [FAST.backoff]


def test_timeout(env):
    env.fake.statfin.serve_config()
    env.fake.statfin.serve_folder("tjt")
    env.fake.statfin.serve_table("tjt/14ww.px", reply=lambda q: time.sleep(0.6) or {})
    before = digest(env.db)
    out = etl(env, only=["low_income_rate"],
              settings=http.HttpSettings(timeout=0.2, attempts=2, backoff=0))
    assert_untouched(env, before, out, "low_income_rate", "timed out after 0.2 s")


def test_connection_refused(env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/PxWeb/api/v1/fi"
    before = digest(env.db)
    out = etl(env, only=["low_income_rate"], pxweb_url=dead)
    assert_untouched(env, before, out, "low_income_rate", "cannot connect")
    assert "?config" in out.by_id["live:low_income_rate"].message


@pytest.mark.parametrize("body, content_type, message", [
    (b'{"columns": [{"code": "alue_23_2025', "application/json", "not valid JSON (truncated"),
    (b"<!DOCTYPE html><html><body>Palvelukatko</body></html>", "text/html; charset=utf-8",
     "HTML page"),
])
def test_truncated_json_and_html_with_status_200(env, body, content_type, message):
    env.server.expect_request(TJT, method="POST").respond_with_data(body,
                                                                   content_type=content_type)
    env.fake.statfin.serve_all(("tjt/14ww.px",))
    before = digest(env.db)
    out = etl(env, only=["low_income_rate"])
    assert_untouched(env, before, out, "low_income_rate", message)


def test_an_area_code_the_registry_lacks_is_left_out_and_named(env):
    recorded = export("tjt/14ww.px")
    extra = copy.deepcopy(recorded["data"][1])
    extra["key"][0] = "KU999"
    recorded["data"].append(extra)
    meta = copy.deepcopy(metadata("tjt/14ww.px"))
    meta["variables"][0]["values"].append("KU999")
    meta["variables"][0]["valueTexts"].append("Tuntematon")
    env.fake.statfin.serve_config()
    env.fake.statfin.serve_folder("tjt")
    env.fake.statfin.serve_table("tjt/14ww.px", meta=meta, recorded=recorded)
    out = etl(env, only=["low_income_rate"])
    result = out.by_id["live:low_income_rate"]
    assert result.status == "ok"
    assert "KU999" not in json.dumps(env.fake.posts("tjt/14ww.px"))  # never asked for
    assert not (tables(env.db)["observations"]["area_code"] == "999").any()


def test_unknown_region_id_in_sotkanet(env):
    regions = env.fake.sotkanet.regions + [{"id": 99999, "title": {"fi": "Tuntematon"},
                                            "code": "999", "category": "KUNTA"}]
    rows = pd.concat([env.fake.sotkanet.rows, pd.DataFrame([{
        "indicator": 3562, "region": 99999, "year": 2019, "gender": "total", "value": 12.0}])])
    env.fake.sotkanet.serve(regions=regions, rows=rows)
    before = digest(env.db)
    out = etl(env, only=["long_term_unemployed_share"])
    assert_untouched(env, before, out, "long_term_unemployed_share",
                     "1 unknown area codes: ['999']")


def test_empty_dataset(env):
    env.fake.sotkanet.serve(rows=env.fake.sotkanet.rows.iloc[0:0])
    before = digest(env.db)
    out = etl(env, only=["long_term_unemployed_share"])
    assert_untouched(env, before, out, "long_term_unemployed_share", "empty dataset")


def test_duplicate_rows(env):
    env.fake.sotkanet.serve(rows=pd.concat([env.fake.sotkanet.rows, env.fake.sotkanet.rows]))
    before = digest(env.db)
    out = etl(env, only=["long_term_unemployed_share"])
    assert_untouched(env, before, out, "long_term_unemployed_share",
                     "share a key (duplicates)")


def test_value_outside_the_valid_range(env):
    recorded = export("tjt/14ww.px")
    cols = [c["code"] for c in recorded["columns"] if c["type"] == "c"]
    recorded["data"][1]["values"][cols.index("rpt_aste")] = "75.0"  # valid range is 0-60
    env.fake.statfin.serve_config()
    env.fake.statfin.serve_folder("tjt")
    env.fake.statfin.serve_table("tjt/14ww.px", recorded=recorded)
    before = digest(env.db)
    out = etl(env, only=["low_income_rate"])
    assert_untouched(env, before, out, "low_income_rate", "outside the valid range [0, 60]")


def test_wrong_indicator_id_is_caught_by_the_title_check(env):
    env.fake.sotkanet.serve()
    env.server.expect_request("/rest/1.1/indicators/4123").respond_with_json(
        {"id": 4123, "title": {"fi": "Hammaslääkärikäynnit / 1000 asukasta"}})
    before = digest(env.db)
    out = etl(env, only=["doctor_wait_over_7_days"])
    assert_untouched(env, before, out, "doctor_wait_over_7_days", "does not contain 'yli 7'")


def test_cell_limit_exceeded_splits_the_query(env):
    env.fake.statfin.serve_config({"maxValues": 200, "maxCells": 200, "maxCalls": 40,
                                   "timeWindow": 60})
    env.fake.statfin.serve_folder("tjt")
    env.fake.statfin.serve_table("tjt/14ww.px")
    out = etl(env, only=["low_income_rate", "basic_security_share"])
    assert out.by_id["live:low_income_rate"].status == "ok", out.text
    bodies = env.fake.posts("tjt/14ww.px")
    sizes = [len(b["query"][0]["selection"]["values"]) * len(b["query"][1]["selection"]["values"])
             * len(b["query"][2]["selection"]["values"]) for b in bodies]
    assert len(bodies) >= 6 and max(sizes) <= 200
    assert sum(sizes) == 397 * 1 * 3  # every cell asked exactly once
    assert all(b["query"][2]["selection"]["values"] == ["rpt_aste", "pt1_henkiloita",
                                                        "tjt-henkiloita"] for b in bodies)
    obs = tables(env.db)["observations"]
    assert (obs.indicator_id == "basic_security_share").sum() == 397


def test_the_api_rate_limit_is_respected(env):
    env.fake.statfin.serve_config({"maxValues": 200, "maxCalls": 3, "timeWindow": 60})
    env.fake.statfin.serve_folder("tjt")
    env.fake.statfin.serve_table("tjt/14ww.px")
    out = etl(env, only=["low_income_rate"])
    assert out.by_id["live:low_income_rate"].status == "ok"
    calls = [req for req, _ in env.server.log if "config" not in req.query_string.decode()]
    assert len(calls) >= 4
    # fake time only moves by sleeping: 3 calls per 60 s means at least this much waiting
    assert sum(out.clock.sleeps) >= 60 * ((len(calls) - 1) // 3) - 1e-6


def test_row_count_drop_needs_force(env):
    env.fake.sotkanet.serve()
    etl(env, only=["long_term_unemployed_share"])
    env.server.clear()
    rows = env.fake.sotkanet.rows
    keep = rows[(rows.indicator != 3562) | (rows.index % 3 == 0)]
    env.fake.sotkanet.serve(rows=keep, updated="2026-04-01")
    before = digest(env.db)
    out = etl(env, only=["long_term_unemployed_share"])
    assert_untouched(env, before, out, "long_term_unemployed_share", "rerun with --force")
    forced = etl(env, only=["long_term_unemployed_share"], force=True)
    assert forced.by_id["live:long_term_unemployed_share"].status == "ok"
    obs = tables(env.db)["observations"]
    assert (obs.indicator_id == "long_term_unemployed_share").sum() == (keep.indicator ==
                                                                        3562).sum()


def test_a_revision_by_the_source_is_published_and_logged_with_old_and_new_value(env):
    env.fake.serve_all()
    etl(env, only=["low_income_rate"])
    env.server.clear()
    recorded = export("tjt/14ww.px")
    cols = [c["code"] for c in recorded["columns"] if c["type"] == "c"]
    hki = next(r for r in recorded["data"] if r["key"][0] == "KU091")
    hki["values"][cols.index("rpt_aste")] = "14.3"
    listing = [{"id": "14ww.px", "type": "t", "text": "x", "updated": "2026-02-01T06:00:00"}]
    env.fake.statfin.serve_config()
    env.fake.statfin.serve_folder("tjt", listing)
    env.fake.statfin.serve_table("tjt/14ww.px", recorded=recorded)
    out = etl(env, only=["low_income_rate"])
    result = out.by_id["live:low_income_rate"]
    assert result.status == "ok"
    assert "revised 1 published figures: 091 2024 14.1 → 14.3" in result.message
    assert "revised 1 published figures" in out.text
    runs = tables(env.db)["etl_runs"]
    assert runs["message"].str.contains("091 2024 14.1 → 14.3", regex=False).any()
    assert value(tables(env.db)["observations"], "low_income_rate", "091", 2024) == 14.3


def test_two_runs_at_once(env):
    env.fake.serve_all()
    before = digest(env.db)
    with RunLock(lock_path(env.db)):
        out = etl(env, only=SERVED)
    assert out.report.exit_code == EXIT_LOCKED and out.report.results == []
    assert "another ETL run or build is in progress" in out.text
    assert digest(env.db) == before and len(env.server.log) == 0


def test_publish_failure_keeps_the_previous_warehouse(env, monkeypatch):
    env.fake.serve_all()
    before = digest(env.db)

    def broken(*args, **kwargs):
        raise writer.WarehouseError("disk full")

    monkeypatch.setattr(build, "build_live", broken)
    out = etl(env, only=["low_income_rate"])
    assert digest(env.db) == before and out.report.exit_code == EXIT_FAILED
    assert "publishing failed, the previous warehouse is kept: disk full" in out.text


def test_dry_run_publishes_nothing(env):
    env.fake.serve_all()
    before = digest(env.db)
    out = etl(env, only=SERVED_SOTKANET + ("low_income_rate",), dry_run=True)
    assert {r.status for r in out.report.results} == {"ok"}
    assert digest(env.db) == before and not journal_path(env.db).exists()
    assert "(dry run)" in out.lines[0]


def test_failed_runs_reach_etl_runs_at_the_next_publish(env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/PxWeb/api/v1/fi"
    failed = etl(env, only=["low_income_rate"], pxweb_url=dead)
    assert failed.report.exit_code == EXIT_FAILED and journal_path(env.db).exists()
    env.fake.serve_all()
    ok = etl(env, only=["low_income_rate"])
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

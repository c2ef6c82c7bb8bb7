"""Replay: a live run on the recorded responses over the bundled warehouse moves it forward.

Expectations come from the recordings themselves (their newest period, their figures), not
from the bundled snapshot's own years, so they hold whatever the snapshot holds.
"""

import json

import pandas as pd
import pytest
from live_fakes import COVERED_PXWEB, EXPORTS, RECORDED, FakeApis
from streamlit.testing.v1 import AppTest

from etl import http
from etl.live_sources import specs_from_catalog
from etl.run import EXIT_OK, RunOptions, run
from warehouse import query, writer
from warehouse.paths import ROOT

KEY = ["indicator_id", "area_code", "period"]


def newest_recorded(table: str) -> int:
    """Return the newest year a recording holds (the year of its newest month for months)."""
    doc = json.loads((RECORDED / EXPORTS[table]).read_text("utf-8"))
    col = next(i for i, c in enumerate(c for c in doc["columns"] if c["type"] in ("d", "t"))
               if c["type"] == "t")
    return max(int(row["key"][col][:4]) for row in doc["data"])


@pytest.fixture(scope="module")
def replayed(tmp_path_factory, make_httpserver, warehouse):
    httpserver = make_httpserver
    httpserver.clear()
    db = tmp_path_factory.mktemp("bundled") / "warehouse.duckdb"
    db.write_bytes(warehouse.read_bytes())
    before = warehouse_tables(db)
    fake = FakeApis(httpserver)
    fake.serve_all()
    lines = []
    report = run(RunOptions(db_path=db, only=list(COVERED_PXWEB), pxweb_url=fake.pxweb_url,
                            sotkanet_url=fake.sotkanet_url, sleep=lambda s: None,
                            http_settings=http.HttpSettings(timeout=5, attempts=2, backoff=0),
                            out=lines.append))
    yield report, before, warehouse_tables(db), db, lines
    httpserver.clear()


def warehouse_tables(db):
    return writer.read_tables(db, ("observations", "sources", "monthly_observations"))


def test_every_covered_indicator_reaches_the_newest_recorded_year(replayed):
    report, _, after, _, lines = replayed
    assert report.exit_code == EXIT_OK, "\n".join(lines)
    obs = after["observations"]
    monthly = after["monthly_observations"]
    for spec in specs_from_catalog(only=list(COVERED_PXWEB)):
        newest = newest_recorded(spec.live["table"])
        got = obs[(obs.indicator_id == spec.indicator_id) & obs.value.notna()]
        if spec.derive == "annual_ratio":
            # one recorded month is stored as a month; it makes no annual figure (< 6 months)
            numerator = spec.series["numerator"]
            months = monthly[(monthly.series_id == numerator) & monthly.value.notna()]
            assert months["month"].max()[:4] == str(newest), spec.indicator_id
            assert newest not in set(got["period"]), spec.indicator_id
            continue
        assert got["period"].max() == newest, spec.indicator_id
        live = got[got.period == newest]
        assert (live["source_id"] == spec.source_id).all()
        assert {"SSS", "MK01", "MK21"} <= set(live["area_code"]), spec.indicator_id


def test_nothing_older_changes_unless_the_source_revised_it_and_revisions_are_logged(replayed):
    report, before, after, _, lines = replayed
    old = before["observations"].set_index(KEY)["value"]
    new = after["observations"].set_index(KEY)["value"]
    assert set(old.index) <= set(new.index)  # no bundled figure is lost
    common = old.index
    changed = common[~((old - new.loc[common]).abs().le(1e-9)
                       | (old.isna() & new.loc[common].isna()))]
    revised = pd.concat([r.revised for r in report.results if r.revised is not None
                         and r.observations is not None], ignore_index=True)
    logged = set(map(tuple, revised[KEY].to_numpy().tolist())) if len(revised) else set()
    assert set(changed) == logged
    for key in changed:  # each change is in the run's output with its old and new value
        indicator, area, period = key
        assert any(f"{area} {period}" in line and "revised" in line for line in lines), key
    # every bundled figure of an indicator the run did not load is untouched
    untouched = sorted(set(before["observations"]["indicator_id"]) - set(COVERED_PXWEB))
    assert untouched
    a = before["observations"][before["observations"].indicator_id.isin(untouched)]
    b = after["observations"][after["observations"].indicator_id.isin(untouched)]
    pd.testing.assert_frame_equal(a.sort_values(KEY).reset_index(drop=True)[KEY + ["value"]],
                                  b.sort_values(KEY).reset_index(drop=True)[KEY + ["value"]],
                                  check_dtype=False)


def test_sources_and_monthly_rows_are_complete(replayed):
    _, _, after, _, _ = replayed
    assert set(after["sources"]["source_id"]) >= set(after["observations"]["source_id"])
    monthly = after["monthly_observations"]
    live = monthly[monthly.source_id == "live:monthly:StatFin/tyonv/12r5.px"]
    assert set(live["month"]) == {"2026-06"} and len(live) == 9 * 397


def test_the_region_page_then_shows_the_newer_year(replayed, monkeypatch):
    _, _, _, db, _ = replayed
    con = query.connect(db)
    try:
        tertiary = query.observations(con, ["tertiary_education_share"])
    finally:
        con.close()
    assert tertiary[tertiary.area_code == "MK02"]["period"].max() == newest_recorded(
        "vkour/12bs.px")
    monkeypatch.setenv("TILANNEKUVA_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["alue"] = "MK02"
    at.run()
    assert not at.exception
    shown = "\n".join(str(e.value) for kind in ("markdown", "caption", "subheader", "header")
                      for e in getattr(at, kind))
    shown += "\n".join(str(m.value) + str(m.label) for m in at.metric)
    shown += "\n".join(df.value.to_csv() for df in at.dataframe)
    assert str(newest_recorded("vkour/12bs.px")) in shown

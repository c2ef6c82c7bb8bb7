"""A live run on top of the real bundled snapshot: merge rules, and two real sources agree."""

import pandas as pd
import pytest
from live_fakes import SERVED, FakeApis

from etl import http, warehouse
from etl.paths import DATA_DIR
from etl.run import EXIT_OK, RunOptions, run


@pytest.fixture(scope="module")
def published(tmp_path_factory, make_httpserver):
    httpserver = make_httpserver
    httpserver.clear()
    db = warehouse.build_from_snapshot(tmp_path_factory.mktemp("bundled") / "warehouse.duckdb",
                                       DATA_DIR)
    before = warehouse.read_tables(db, ("observations",))["observations"]
    fake = FakeApis(httpserver)
    fake.serve_all()
    report = run(RunOptions(db_path=db, only=list(SERVED), pxweb_url=fake.pxweb_url,
                            sotkanet_url=fake.sotkanet_url, sleep=lambda s: None,
                            http_settings=http.HttpSettings(timeout=5, attempts=2, backoff=0),
                            out=lambda line: None))
    after = warehouse.read_tables(db, ("observations", "sources"))
    yield report, before, after
    httpserver.clear()


KEY = ["indicator_id", "area_code", "period"]


def test_live_loads_replace_overlapping_snapshot_rows_and_keep_the_rest(published):
    report, before, after = published
    assert report.exit_code == EXIT_OK
    obs = after["observations"]
    assert not obs.duplicated(KEY).any()
    live = obs[obs.source_id.str.startswith("live:")]
    assert set(live.indicator_id) == set(SERVED)
    # rows of indicators the run did not touch are exactly as bundled
    untouched = sorted(set(before.indicator_id) - set(SERVED))
    assert untouched
    a = before[before.indicator_id.isin(untouched)].sort_values(KEY).reset_index(drop=True)
    b = obs[obs.indicator_id.isin(untouched)].sort_values(KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(a[KEY + ["value"]], b[KEY + ["value"]], check_dtype=False)
    # snapshot rows of a loaded indicator survive where the live load has no key (regions)
    lir = obs[(obs.indicator_id == "low_income_rate") & obs.area_code.str.startswith("MK")]
    assert len(lir) and not lir.source_id.str.startswith("live:").any()
    assert set(after["sources"].source_id) >= set(obs.source_id)


def test_two_real_sources_agree(published):
    _, before, after = published
    obs = after["observations"]
    # the bundled low-income rates and Sotkanet's 2019 figures are the same published numbers
    snap = before[(before.indicator_id == "low_income_rate") & (before.period == 2019)
                  & before.area_code.str.fullmatch(r"\d{3}")].set_index("area_code")["value"]
    live = obs[(obs.indicator_id == "low_income_rate")
               & (obs.source_id == "live:low_income_rate")].set_index("area_code")["value"]
    common = snap.index.intersection(live.index)
    assert len(common) > 250
    assert (snap[common] - live[common]).abs().max() < 1e-9
    # job self-sufficiency: the bundled published % vs the live ratio of the published counts
    snap = before[(before.indicator_id == "job_self_sufficiency") & (before.period == 2016)
                  & before.area_code.str.fullmatch(r"\d{3}")].set_index("area_code")["value"]
    live = obs[(obs.indicator_id == "job_self_sufficiency") & (obs.period == 2016)
               & (obs.source_id == "live:job_self_sufficiency")].set_index("area_code")["value"]
    common = snap.index.intersection(live.index)
    assert len(common) > 250
    assert (snap[common] - live[common]).abs().max() < 0.06  # published % has one decimal

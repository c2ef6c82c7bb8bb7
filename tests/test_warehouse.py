import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from indicators.catalog import catalog_frame
from warehouse import build, snapshot, writer
from warehouse.paths import DATA_DIR, ROOT


def query(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def test_warehouse_holds_every_level_and_traceable_observations(warehouse):
    levels = query(warehouse, "SELECT level, count(*) n FROM areas GROUP BY level")
    counts = dict(zip(levels["level"], levels["n"], strict=True))
    assert counts["country"] == 1 and counts["region"] == 19
    assert counts["subregion"] > 60 and counts["municipality"] > 300
    orphans = query(warehouse, """
        SELECT count(*) n FROM observations o
        LEFT JOIN sources s USING (source_id) LEFT JOIN areas a ON a.code = o.area_code
        WHERE s.source_id IS NULL OR a.code IS NULL""")
    assert orphans["n"][0] == 0
    per_dim = query(warehouse, """
        SELECT i.dimension, count(DISTINCT o.indicator_id) n FROM observations o
        JOIN indicators i ON i.id = o.indicator_id WHERE o.value IS NOT NULL GROUP BY 1""")
    assert len(per_dim) == 6 and per_dim["n"].min() >= 2 and per_dim["n"].sum() >= 12


def test_missing_values_are_null_with_a_flag_never_zero(warehouse):
    bad = query(warehouse, """SELECT count(*) n FROM observations
                              WHERE (value IS NULL) <> (flag IN ('missing', 'confidential'))""")
    assert bad["n"][0] == 0


def test_scores_are_written_for_the_regions(warehouse):
    latest = query(warehouse, """
        SELECT area_code, score, rank, rank_low, rank_high FROM scores
        WHERE dimension = 'overall' AND period = (
            SELECT max(period) FROM scores WHERE dimension = 'overall' AND score IS NOT NULL)
          AND score IS NOT NULL""")
    regions = latest[latest["area_code"].str.startswith("MK")]
    assert len(regions) >= 15 and "SSS" in set(latest["area_code"])
    assert regions["score"].between(0, 100).all()
    assert (regions["rank_low"] <= regions["rank"]).all()
    assert (regions["rank"] <= regions["rank_high"]).all()
    assert sorted(regions["rank"]) == list(range(1, len(regions) + 1))


def write_snapshot(folder, observations, sources):
    folder.mkdir(parents=True, exist_ok=True)
    observations.to_parquet(folder / "observations.parquet")
    sources.to_parquet(folder / "sources.parquet")


def test_failed_build_leaves_the_published_file_untouched(warehouse, tmp_path):
    target = tmp_path / "warehouse.duckdb"
    target.write_bytes(warehouse.read_bytes())
    before = target.read_bytes()
    observations, sources = snapshot.read_snapshot(DATA_DIR)
    broken = pd.concat([observations.head(3), observations.head(1).assign(area_code="MK03")])
    write_snapshot(tmp_path / "snap", broken, sources)
    with pytest.raises(writer.WarehouseError, match="unknown area codes: \\['MK03'\\]"):
        build.build_from_snapshot(target, tmp_path / "snap")
    assert target.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_crash_while_writing_leaves_the_published_file_untouched(warehouse, tmp_path,
                                                               monkeypatch):
    target = tmp_path / "warehouse.duckdb"
    target.write_bytes(warehouse.read_bytes())
    before = target.read_bytes()
    real_insert = writer._insert

    def failing_insert(con, table, frame):
        if table == "observations":
            raise OSError("disk full")
        real_insert(con, table, frame)

    monkeypatch.setattr(writer, "_insert", failing_insert)
    with pytest.raises(OSError, match="disk full"):
        build.build_from_snapshot(target)
    assert target.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_indicator_table_matches_the_catalog(warehouse):
    ids = set(query(warehouse, "SELECT id FROM indicators")["id"])
    assert ids == set(catalog_frame()["id"])


def test_cli_build_honours_tilannekuva_db(tmp_path):
    target = tmp_path / "env.duckdb"
    env = {"TILANNEKUVA_DB": str(target), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "etl", "build"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert target.exists()
    assert query(target, "SELECT count(*) n FROM observations")["n"][0] > 10000


def test_cli_build_reports_a_missing_snapshot_plainly(tmp_path):
    done = subprocess.run([sys.executable, "-m", "etl", "build", "--db", str(tmp_path / "x.duckdb"),
                           "--snapshot", str(tmp_path / "nowhere")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "Snapshot file missing" in done.stderr
    assert not (tmp_path / "x.duckdb").exists()


def monthly_rows(series="unemployed", month="2022-01", area="MK01", source="snap_monthly"):
    return pd.DataFrame({"series_id": [series], "area_code": [area], "month": [month],
                         "value": [1234.0], "flag": [None], "source_id": [source]})


def with_monthly_source(sources):
    extra = sources.head(1).assign(source_id="snap_monthly")
    return pd.concat([sources, extra], ignore_index=True)


def test_monthly_snapshot_lands_in_its_table_with_breaks_and_series(tmp_path):
    observations, sources = snapshot.read_snapshot(DATA_DIR)
    folder = tmp_path / "snap"
    write_snapshot(folder, observations, with_monthly_source(sources))
    monthly_rows().to_parquet(folder / "monthly.parquet")
    target = build.build_from_snapshot(tmp_path / "w.duckdb", folder)
    got = query(target, "SELECT series_id, area_code, month, value FROM monthly_observations")
    assert got.to_dict("records") == [{"series_id": "unemployed", "area_code": "MK01",
                                       "month": "2022-01", "value": 1234.0}]
    assert query(target, "SELECT count(*) n FROM monthly_series")["n"][0] >= 3
    assert query(target, "SELECT count(*) n FROM breaks WHERE kind = 'one_off'")["n"][0] >= 1


@pytest.mark.parametrize("rows, expected", [
    (monthly_rows(series="unemployd"), "unknown ids: \\['unemployd'\\]"),
    (monthly_rows(month="2022-1"), "month codes not 'YYYY-MM'"),
    (monthly_rows(area="MK03"), "unknown area codes"),
    (pd.concat([monthly_rows(), monthly_rows()]), "duplicate"),
])
def test_bad_monthly_rows_stop_the_build(tmp_path, rows, expected):
    observations, sources = snapshot.read_snapshot(DATA_DIR)
    folder = tmp_path / "snap"
    write_snapshot(folder, observations, with_monthly_source(sources))
    rows.to_parquet(folder / "monthly.parquet")
    with pytest.raises(writer.WarehouseError, match=expected):
        build.build_from_snapshot(tmp_path / "w.duckdb", folder)


def test_scores_carry_data_ages_ranked_counts_and_notes(warehouse):
    scores = query(warehouse, "SELECT * FROM scores")
    shown = scores["change_1y_note"].isna() | (scores["change_1y_note"] == "partial")
    assert (scores.loc[~shown, "change_1y"].isna()).all()
    assert set(scores["change_1y_note"].dropna()) <= {"partial", "no_new_data", "break",
                                                      "set_changed", "no_base"}
    scored = scores[scores["score"].notna()]
    assert (scored["newest_period"] <= scored["period"]).all()
    assert (scored["oldest_period"] <= scored["newest_period"]).all()
    assert (scored["n_indicators"] <= scored["n_expected"]).all()
    assert (scored["n_carried"] <= scored["n_indicators"]).all()
    assert (scores.loc[scores["dimension"] == "overall", "n_expected"] == 6).all()
    regions = scores[scores["area_code"].str.startswith("MK")]
    counted = regions.groupby(["period", "dimension"]).agg(n=("rank", "count"),
                                                          stored=("n_ranked", "max"))
    assert (counted["n"] == counted["stored"]).all()
    assert scores.groupby(["period", "dimension"])["n_ranked"].nunique().max() == 1


def test_no_comparable_change_crosses_a_break_or_a_changed_set(warehouse):
    """Every change marked comparable (note NULL) uses the same indicators in both years, none
    of them across a recorded break; read back from the stored tables alone."""
    scores = query(warehouse, "SELECT * FROM scores WHERE dimension <> 'overall'")
    ind = query(warehouse, """SELECT s.*, i.dimension FROM indicator_scores s
                              JOIN indicators i ON i.id = s.indicator_id""")
    breaks = query(warehouse, "SELECT * FROM breaks WHERE level = 'region'")
    one_off = set(zip(breaks.loc[breaks.kind == "one_off", "indicator_id"],
                      breaks.loc[breaks.kind == "one_off", "period"], strict=True))
    series = breaks[breaks.kind == "series_break"]
    flagged = query(warehouse, "SELECT indicator_id, area_code, period FROM observations "
                               "WHERE flag = 'b'")
    used = {key: dict(zip(g["indicator_id"], g["value_period"], strict=True))
            for key, g in ind.groupby(["area_code", "period", "dimension"])}
    checked = 0
    for lag in (1, 5):
        rows = scores[scores[f"change_{lag}y_note"].isna() & scores[f"change_{lag}y"].notna()
                      & scores["area_code"].str.startswith("MK")]
        for row in rows.itertuples():
            now = used[(row.area_code, row.period, row.dimension)]
            then = used[(row.area_code, row.period - lag, row.dimension)]
            assert now.keys() == then.keys(), (row.area_code, row.period, row.dimension, lag)
            for ident, period in now.items():
                base = then[ident]
                assert (ident, base) not in one_off and (ident, period) not in one_off
                spans = series[(series.indicator_id == ident) & (series.period > base)
                               & (series.period <= period)]
                own = flagged[(flagged.indicator_id == ident)
                              & (flagged.area_code == row.area_code)
                              & (flagged.period > base) & (flagged.period <= period)]
                assert spans.empty and own.empty, (row.area_code, row.period, ident, lag)
            checked += 1
    assert checked > 100
    # carried-forward values are never a change of zero
    carried = scores[(scores["change_1y_note"] == "no_new_data")]
    assert len(carried) > 0 and carried["change_1y"].isna().all()


def test_goalposts_peers_per_year_and_the_method_id_are_stored(warehouse):
    from indicators.goalposts import load_goalposts
    from indicators.method import Method

    stored = query(warehouse, "SELECT * FROM goalposts ORDER BY indicator_id")
    file = load_goalposts().sort_values("indicator_id").reset_index(drop=True)
    assert stored["indicator_id"].tolist() == file["indicator_id"].tolist()
    assert stored["low"].tolist() == pytest.approx(file["low"].tolist())
    meta = query(warehouse, "SELECT value FROM meta WHERE key = 'method'")
    assert meta["value"].tolist() == [Method().id()]
    peers = query(warehouse, "SELECT period, area_code, count(*) n FROM peers GROUP BY ALL")
    assert peers["period"].nunique() > 10 and set(peers["n"]) == {3}
    capped = query(warehouse, "SELECT count(*) n FROM indicator_scores WHERE capped IS NULL")
    assert capped["n"][0] == 0


# Employed by industry (data/industry.parquet -> industries, industry_employment)

def industry_rows(area="MK01", industry="C", source="statfin_tyokay_115i", value=100):
    return pd.DataFrame({"area_code": [area], "period": [2020], "industry": [industry],
                         "value": [value], "source_id": [source]})


def test_the_bundled_warehouse_holds_the_industry_tables(warehouse):
    names = query(warehouse, "SELECT code, label_fi, sort_order FROM industries "
                             "ORDER BY sort_order")
    assert names["code"].tolist() == list("ABCDEFGHIJKLMNOPQRSTU") + ["X"]
    assert names.set_index("code").at["X", "label_fi"] == "Toimiala tuntematon"
    stored = query(warehouse, "SELECT * FROM industry_employment")
    bundled = pd.read_parquet(DATA_DIR / "industry.parquet")
    assert len(stored) == len(bundled) == 7480
    assert int(stored["value"].sum()) == int(bundled["value"].sum())
    traced = query(warehouse, """SELECT count(*) n FROM industry_employment e
                                 JOIN sources s USING (source_id)""")
    assert traced["n"][0] == len(bundled)


def test_a_snapshot_without_industry_rows_still_builds(tmp_path):
    observations, sources = snapshot.read_snapshot(DATA_DIR)
    write_snapshot(tmp_path / "snap", observations, sources)
    target = build.build_from_snapshot(tmp_path / "w.duckdb", tmp_path / "snap")
    assert query(target, "SELECT count(*) n FROM industry_employment")["n"][0] == 0
    assert query(target, "SELECT count(*) n FROM industries")["n"][0] == 22


@pytest.mark.parametrize("rows, expected", [
    (industry_rows(industry="Y"), "unknown industry codes: \\['Y'\\]"),
    (industry_rows(area="MK03"), "unknown area codes"),
    (industry_rows(source="nowhere"), "unknown source ids"),
    (pd.concat([industry_rows(), industry_rows()]), "duplicate"),
    (industry_rows(value=-5), "missing or negative"),
])
def test_bad_industry_rows_stop_the_build(tmp_path, rows, expected):
    observations, sources = snapshot.read_snapshot(DATA_DIR)
    folder = tmp_path / "snap"
    write_snapshot(folder, observations, sources)
    rows.to_parquet(folder / "industry.parquet")
    with pytest.raises(writer.WarehouseError, match=expected):
        build.build_from_snapshot(tmp_path / "w.duckdb", folder)


def test_a_live_warehouse_keeps_the_bundled_industry_rows_and_their_source(tmp_path):
    observations, sources = snapshot.read_snapshot(DATA_DIR)
    without = sources[sources["source_id"] != "statfin_tyokay_115i"]
    kept = observations[observations["source_id"] != "statfin_tyokay_115i"]
    industry, completed = snapshot.bundled_industry(without)
    assert len(industry) == 7480
    assert "statfin_tyokay_115i" in set(completed["source_id"])
    assert len(completed) == len(without) + 1
    target = build.build_live(tmp_path / "live.duckdb", kept, without,
                           pd.DataFrame(columns=["run_id"]), {"built_from": "test"})
    assert query(target, "SELECT count(*) n FROM industry_employment")["n"][0] == 7480
    assert query(target, "SELECT count(*) n FROM sources WHERE source_id = "
                         "'statfin_tyokay_115i'")["n"][0] == 1


def test_meta_records_the_data_vintage(warehouse):
    meta = dict(query(warehouse, "SELECT key, value FROM meta").itertuples(index=False))
    newest = query(warehouse, "SELECT max(period) p FROM observations WHERE value IS NOT NULL "
                              "AND (flag IS NULL OR flag <> 'partial')")["p"].iloc[0]
    month = query(warehouse, "SELECT max(month) m FROM monthly_observations "
                             "WHERE value IS NOT NULL")["m"].iloc[0]
    assert meta["newest_period"] == str(newest) and meta["newest_month"] == month
    assert meta["snapshot_sha256"] == snapshot.snapshot_sha256(DATA_DIR)
    assert len(meta["snapshot_sha256"]) == 64


def test_the_snapshot_hash_follows_every_data_file(tmp_path):
    for name in snapshot.SNAPSHOT_FILES:
        (tmp_path / name).write_bytes(b"x")
    first = snapshot.snapshot_sha256(tmp_path)
    for name in snapshot.SNAPSHOT_FILES:
        (tmp_path / name).write_bytes(b"y")
        assert snapshot.snapshot_sha256(tmp_path) != first, name
        (tmp_path / name).write_bytes(b"x")
    assert snapshot.snapshot_sha256(tmp_path) == first


def test_a_build_reports_its_four_steps_in_order(tmp_path):
    told = []
    build.build_from_snapshot(tmp_path / "w.duckdb", DATA_DIR,
                              report=lambda step, text: told.append((step, text)))
    assert [step for step, _ in told] == list(build.STEPS) == ["load", "check", "score", "save"]
    texts = dict(told)
    observations, _ = snapshot.read_snapshot(DATA_DIR)
    assert f"{len(observations):,} observations" in texts["load"]
    assert "the overall index for 2006–2025" in texts["score"]
    assert "newest year 2025, newest month 2026-06" in texts["save"]


def test_a_failed_check_stops_the_build_before_scoring(tmp_path, monkeypatch):
    told = []
    observations, sources = snapshot.read_snapshot(DATA_DIR)
    folder = tmp_path / "snap"
    folder.mkdir()
    observations.assign(area_code="MK03").head(5).to_parquet(folder / "observations.parquet")
    sources.to_parquet(folder / "sources.parquet")
    scored = []
    monkeypatch.setattr(build, "score", lambda *a: scored.append(a))
    with pytest.raises(writer.WarehouseError, match="unknown area codes"):
        build.build_from_snapshot(tmp_path / "w.duckdb", folder,
                                  report=lambda step, text: told.append(step))
    assert told == ["load"] and scored == []

import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from etl import warehouse as wh
from etl.paths import DATA_DIR, ROOT
from indicators.catalog import catalog_frame


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
    observations, sources = wh.read_snapshot(DATA_DIR)
    broken = pd.concat([observations.head(3), observations.head(1).assign(area_code="MK03")])
    write_snapshot(tmp_path / "snap", broken, sources)
    with pytest.raises(wh.WarehouseError, match="unknown area codes: \\['MK03'\\]"):
        wh.build_from_snapshot(target, tmp_path / "snap")
    assert target.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_crash_while_writing_leaves_the_published_file_untouched(warehouse, tmp_path,
                                                               monkeypatch):
    target = tmp_path / "warehouse.duckdb"
    target.write_bytes(warehouse.read_bytes())
    before = target.read_bytes()
    real_insert = wh._insert

    def failing_insert(con, table, frame):
        if table == "observations":
            raise OSError("disk full")
        real_insert(con, table, frame)

    monkeypatch.setattr(wh, "_insert", failing_insert)
    with pytest.raises(OSError, match="disk full"):
        wh.build_from_snapshot(target)
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
    observations, sources = wh.read_snapshot(DATA_DIR)
    folder = tmp_path / "snap"
    write_snapshot(folder, observations, with_monthly_source(sources))
    monthly_rows().to_parquet(folder / "monthly.parquet")
    target = wh.build_from_snapshot(tmp_path / "w.duckdb", folder)
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
    observations, sources = wh.read_snapshot(DATA_DIR)
    folder = tmp_path / "snap"
    write_snapshot(folder, observations, with_monthly_source(sources))
    rows.to_parquet(folder / "monthly.parquet")
    with pytest.raises(wh.WarehouseError, match=expected):
        wh.build_from_snapshot(tmp_path / "w.duckdb", folder)

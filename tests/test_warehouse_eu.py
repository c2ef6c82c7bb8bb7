"""EU tables in the warehouse: read from the snapshot, checked, twins written at build time."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from indicators.regions import registry_frame
from indicators.twins import finnish_twins
from warehouse import build, snapshot, writer
from warehouse import query as q
from warehouse.paths import DATA_DIR, SNAPSHOT_EU_OBSERVATIONS, SNAPSHOT_EU_REGIONS


def snapshot_copy(folder, with_eu=True):
    folder.mkdir(parents=True, exist_ok=True)
    names = ["observations.parquet", "sources.parquet"]
    if with_eu:
        names += [SNAPSHOT_EU_REGIONS, SNAPSHOT_EU_OBSERVATIONS]
    for name in names:
        shutil.copyfile(DATA_DIR / name, folder / name)
    return folder


def test_bundled_warehouse_has_the_eu_tables_and_twins(warehouse):
    con = q.connect(warehouse)
    try:
        twins = q.eu_twins(con, "MK12")
        assert list(twins["twin_rank"]) == [1, 2, 3, 4, 5]
        assert list(twins["twin_nuts"]) == ["FRJ14", "SE214", "PT184", "ES417", "PT181"]
        assert set(q.eu_twins(con)["area_code"]) == set(
            registry_frame().query("level == 'region'")["code"])
        names = q.eu_regions(con, list(twins["twin_nuts"]))
        assert "Soria" in set(names["name"])
        births = q.eu_observations(con, ["crude_birth_rate"], ["FI1D3"])
        assert births["period"].is_monotonic_increasing and len(births) == 8
        variables = q.eu_variables(con)
        assert variables["id"].iloc[0] == "gdp_per_head_pps"
        orphans = con.execute("""
            SELECT count(*) FROM eu_observations o LEFT JOIN sources s USING (source_id)
            LEFT JOIN eu_regions r USING (nuts_code)
            WHERE s.source_id IS NULL OR r.nuts_code IS NULL""").fetchone()[0]
        assert orphans == 0
        stored = q.eu_twins(con)
    finally:
        con.close()
    obs = pd.read_parquet(DATA_DIR / SNAPSHOT_EU_OBSERVATIONS)
    regions = pd.read_parquet(DATA_DIR / SNAPSHOT_EU_REGIONS)
    expected = finnish_twins(obs, regions, registry_frame())
    pd.testing.assert_frame_equal(stored.reset_index(drop=True), expected, check_dtype=False)


def test_a_snapshot_without_eu_files_builds_without_eu_rows(tmp_path):
    target = build.build_from_snapshot(tmp_path / "w.duckdb", snapshot_copy(tmp_path / "s", False))
    con = q.connect(target)
    try:
        assert q.eu_twins(con).empty and q.eu_observations(con).empty
    finally:
        con.close()


def test_half_an_eu_snapshot_is_an_error(tmp_path):
    folder = snapshot_copy(tmp_path / "s")
    (folder / SNAPSHOT_EU_REGIONS).unlink()
    with pytest.raises(writer.WarehouseError, match="missing.*eu_regions"):
        snapshot.read_eu(folder)


def test_bad_eu_rows_stop_the_build(tmp_path):
    folder = snapshot_copy(tmp_path / "s")
    obs = pd.read_parquet(folder / SNAPSHOT_EU_OBSERVATIONS)
    bad = pd.concat([obs, obs.head(1).assign(variable="nonsense"),
                     obs.head(1).assign(nuts_code="ZZ999")], ignore_index=True)
    bad.to_parquet(folder / SNAPSHOT_EU_OBSERVATIONS)
    with pytest.raises(writer.WarehouseError, match="unknown NUTS codes.*unknown variables"):
        build.build_from_snapshot(tmp_path / "w.duckdb", folder)
    assert not (tmp_path / "w.duckdb").exists()


def test_eu_sources_missing_from_the_sources_table_are_added_from_the_bundle():
    eu = snapshot.read_eu(DATA_DIR)
    observations, sources = snapshot.read_snapshot(DATA_DIR)
    without = sources[~sources["source_id"].isin(eu["sources"]["source_id"])]
    merged = build.with_eu_sources(build.Inputs(observations, without, eu=eu)).sources
    assert set(eu["eu_observations"]["source_id"]) <= set(merged["source_id"])
    assert len(merged) == len(sources)
    assert len(build.eu_tables(eu)["eu_twins"]) == 95


def test_a_live_build_keeps_the_bundled_eu_tables(tmp_path):
    observations, sources = snapshot.read_snapshot(DATA_DIR)
    runs = pd.DataFrame(columns=["run_id"])
    target = build.build_live(tmp_path / "live.duckdb", observations, sources, runs,
                           {"built_from": "live"})
    con = duckdb.connect(str(target), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM eu_twins").fetchone()[0] == 95
    finally:
        con.close()

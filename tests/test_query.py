from pathlib import Path

import duckdb
import pandas as pd
import pytest

from warehouse import query
from warehouse.writer import write_warehouse

# A handful of test rows (not real figures) to check the queries' logic by hand.
AREAS = pd.DataFrame({
    "code": ["SSS", "MK01", "MK02", "SK011", "091"],
    "level": ["country", "region", "region", "subregion", "municipality"],
    "parent_code": [None, "SSS", "SSS", "MK01", "SK011"],
    "region_code": [None, "MK01", "MK02", "MK01", "MK01"],
    "name_fi": ["Koko maa", "Uusimaa", "Varsinais-Suomi", "Helsingin seutukunta", "Helsinki"],
    "name_sv": ["Hela landet", "Nyland", "Egentliga Finland", "Helsingfors ekonomiska region",
                "Helsingfors"],
    "name_en": ["Whole country", "Uusimaa", "Southwest Finland", "Helsinki sub-region",
                "Helsinki"],
    "nuts3_code": [None, "FI1B1", "FI1C1", None, None], "sort_order": [0, 1, 2, 3, 4]})
DIMENSIONS = pd.DataFrame({"id": ["osaaminen", "turvallisuus"], "sort_order": [1, 0],
                           "label_fi": ["Osaaminen", "Turvallisuus"], "color": ["#000", "#111"]})
INDICATORS = pd.DataFrame({"id": ["tertiary", "offences", "unemp"],
                           "dimension": ["osaaminen", "turvallisuus", "osaaminen"],
                           "direction": ["higher_better", "lower_better", "lower_better"],
                           "key": [True, True, False], "label_fi": ["a", "b", "c"]})
SOURCES = pd.DataFrame({"source_id": ["s1", "s2"], "publisher": ["Tilastokeskus", "THL"],
                        "licence": ["CC BY 4.0", "CC BY 4.0"],
                        "updated": ["2024-03-01", "2023-11-15"],
                        "fetched_at": ["2024-03-02T10:00:00", None]})
OBS = pd.DataFrame({
    "indicator_id": ["tertiary"] * 5 + ["offences"] * 4,
    "area_code": ["SSS", "MK01", "MK02", "MK01", "091", "MK01", "MK02", "MK02", "SK011"],
    "period": [2021, 2021, 2021, 2020, 2021, 2021, 2021, 2020, 2021],
    "value": [30.0, 40.0, None, 39.0, 55.0, 80.0, 60.0, None, 82.0],
    "flag": [None, None, "missing", None, None, None, None, "confidential", None],
    "source_id": ["s1"] * 5 + ["s2"] * 4})
SCORES = pd.DataFrame({
    "area_code": ["MK01", "MK02", "SSS", "MK01", "MK02", "MK01"],
    "period": [2021, 2021, 2021, 2020, 2020, 2019],
    "dimension": ["overall"] * 5 + ["osaaminen"],
    "score": [60.0, 50.0, 55.0, 58.0, None, 40.0], "rank": [1, 2, None, 1, None, 1],
    "rank_low": [1, 1, None, 1, None, 1], "rank_high": [2, 2, None, 1, None, 1],
    "method": ["m"] * 6})
PEERS = pd.DataFrame({"area_code": ["MK01", "MK02", "MK01", "MK02"],
                      "period": [2020, 2020, 2021, 2021],
                      "peer_code": ["MK02", "MK01", "MK02", "MK01"], "peer_rank": [1, 1, 1, 1],
                      "distance": [0.5, 0.5, 0.7, 0.7], "method": ["m"] * 4})
GOALPOSTS = pd.DataFrame({"indicator_id": ["tertiary", "offences"], "low": [10.0, 1.0],
                          "high": [50.0, 9.0], "scale": ["linear", "log"],
                          "reference_first": [2006, 2020], "reference_last": [2021, 2024],
                          "method_version": ["tk-test"] * 2})
RUNS = pd.DataFrame({"run_id": ["r1", "r2", "r3"], "source_id": ["s1", "s1", "s2"],
                     "started_at": pd.to_datetime(["2024-03-01 01:00", "2024-03-02 01:00",
                                                   "2024-03-03 01:00"]),
                     "finished_at": pd.to_datetime(["2024-03-01 01:05", "2024-03-02 01:05",
                                                    "2024-03-03 01:05"]),
                     "status": ["ok", "ok", "failed"], "rows": [10, 12, 0],
                     "message": [None, None, "HTTP 503"]})


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "w.duckdb"
    write_warehouse(path, {"areas": AREAS, "dimensions": DIMENSIONS, "indicators": INDICATORS,
                           "sources": SOURCES, "observations": OBS, "scores": SCORES,
                           "peers": PEERS, "goalposts": GOALPOSTS, "etl_runs": RUNS},
                    {"built_at": "2024-03-04T05:06:07+00:00"})
    return path


@pytest.fixture
def con(tiny):
    connection = query.connect(tiny)
    yield connection
    connection.close()


def test_connection_is_read_only(con):
    with pytest.raises(duckdb.Error):
        con.execute("CREATE TABLE x (a INTEGER)")
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM areas")


def test_missing_warehouse_says_how_to_build_it(tmp_path):
    with pytest.raises(query.WarehouseMissing) as info:
        query.connect(tmp_path / "nope.duckdb")
    assert "make run" in str(info.value) and "python -m etl build" in str(info.value)


def test_default_path_comes_from_environment(tiny, monkeypatch):
    monkeypatch.setenv("TILANNEKUVA_DB", str(tiny))
    connection = query.connect()
    assert len(query.areas(connection)) == 5
    connection.close()


def test_areas_and_levels(con):
    assert list(query.areas(con)["code"]) == ["SSS", "MK01", "MK02", "SK011", "091"]
    assert list(query.areas(con, levels=["region"])["code"]) == ["MK01", "MK02"]
    assert list(query.areas(con, levels=["municipality", "country"])["code"]) == ["SSS", "091"]


def test_dimensions_and_indicators_in_display_order(con):
    assert list(query.dimensions(con)["id"]) == ["turvallisuus", "osaaminen"]
    assert list(query.indicators(con)["id"]) == ["offences", "tertiary", "unemp"]


def test_observations_filters(con):
    assert len(query.observations(con)) == 9
    got = query.observations(con, indicator_ids=["tertiary"], area_codes=["MK01", "MK02"])
    assert list(zip(got["area_code"], got["period"], strict=True)) == [
        ("MK01", 2020), ("MK01", 2021), ("MK02", 2021)]
    assert pd.isna(got["value"].iloc[2]) and got["flag"].iloc[2] == "missing"
    assert len(query.observations(con, periods=[2020])) == 2
    regions = query.observations(con, levels=["region"], indicator_ids=["offences"])
    assert set(regions["area_code"]) == {"MK01", "MK02"}


def test_values_are_parameters_never_sql(con):
    sneaky = "MK01') OR 1=1 --"
    assert query.observations(con, area_codes=[sneaky]).empty
    assert query.scores(con, area_code=sneaky).empty
    assert query.peers(con, sneaky).empty


def test_coverage_counts_values_and_missing(con):
    cov = query.coverage(con)
    row = cov[(cov["indicator_id"] == "tertiary") & (cov["period"] == 2021)
              & (cov["level"] == "region")].iloc[0]
    assert (row["dimension"], row["n_values"], row["n_missing"]) == ("osaaminen", 1, 1)
    row = cov[(cov["indicator_id"] == "offences") & (cov["period"] == 2020)].iloc[0]
    assert (row["n_values"], row["n_missing"]) == (0, 1)
    assert len(cov) == 7


def test_indicator_levels(con):
    levels = query.indicator_levels(con)
    tert = dict(zip(*[levels.loc[levels["indicator_id"] == "tertiary", c] for c in
                      ("level", "n_areas")], strict=True))
    assert tert == {"country": 1, "region": 1, "municipality": 1}


def test_scores_filters_and_periods(con):
    assert len(query.scores(con, period=2021)) == 3
    got = query.scores(con, area_code="MK01", dimension="overall")
    assert list(got["period"]) == [2020, 2021]
    assert list(query.scores(con, period=[2019, 2020], area_code=["MK01"])["dimension"]) == [
        "osaaminen", "overall"]
    # periods with a region's overall score (2019 has only a dimension score)
    assert query.score_periods(con) == [2020, 2021]
    assert query.latest_period(con) == 2021
    assert query.observation_periods(con) == [2020, 2021]


def test_peers_per_year_and_goalposts(con):
    assert list(query.peers(con).columns) == query.PEER_COLUMNS
    assert query.peers(con)["period"].tolist() == [2021, 2021]             # the newest year
    assert query.peers(con, "MK01", period=2020)["distance"].tolist() == [0.5]
    assert query.peers(con, "MK01", period=2019).empty
    got = query.goalposts(con)
    assert list(got.columns) == query.GOALPOST_COLUMNS
    assert got["indicator_id"].tolist() == ["offences", "tertiary"]
    assert set(query.SCORE_COLUMNS) >= {"n_ranked", "change_1y_note", "newest_period"}
    assert query.scores(con, period=2021)["n_ranked"].isna().all()   # not in this tiny table


def test_latest_period_falls_back_to_observations(tmp_path):
    path = write_warehouse(tmp_path / "w.duckdb", {"areas": AREAS, "observations": OBS,
                                                   "sources": SOURCES}, {})
    connection = query.connect(path)
    assert query.score_periods(connection) == []
    assert query.latest_period(connection) == 2021
    assert query.peers(connection).empty
    assert list(query.peers(connection).columns) == query.PEER_COLUMNS
    connection.close()


def test_has_table(con):
    assert query.has_table(con, "scores")
    assert not query.has_table(con, "no_such_table")


def test_etl_runs_newest_first_with_limit(con):
    assert list(query.etl_runs(con)["run_id"]) == ["r3", "r2", "r1"]
    assert list(query.etl_runs(con, limit=1)["run_id"]) == ["r3"]


def test_meta_and_freshness(con):
    assert query.meta(con)["built_at"] == "2024-03-04T05:06:07+00:00"
    fresh = query.freshness(con)
    assert fresh["built_at"] == "2024-03-04T05:06:07+00:00"
    assert fresh["last_run"].startswith("2024-03-02 01:05")  # the failed run does not count
    assert (fresh["updated_min"], fresh["updated_max"]) == ("2023-11-15", "2024-03-01")
    assert fresh["fetched_max"] == "2024-03-02T10:00:00"


def test_the_bundled_warehouse(warehouse):
    connection = query.connect(warehouse)
    areas = query.areas(connection)
    assert (areas["level"] == "region").sum() == 19
    assert areas.loc[areas["code"] == "SSS", "name_fi"].iloc[0] == "Koko maa"
    snapshot = pd.read_parquet(Path(__file__).parent.parent / "data" / "observations.parquet")
    assert len(query.observations(connection)) == len(snapshot)
    assert set(query.sources(connection)["source_id"]) >= set(snapshot["source_id"])
    connection.close()


def test_industries_and_industry_employment(tmp_path):
    from indicators.industries import industries_frame

    rows = pd.DataFrame({"area_code": ["MK01", "MK01", "MK02", "SSS"],
                         "period": [2022, 2023, 2023, 2023], "industry": ["C", "C", "X", "C"],
                         "value": [10, 12, 3, 40], "source_id": ["s1"] * 4})
    path = tmp_path / "w.duckdb"
    write_warehouse(path, {"areas": AREAS, "sources": SOURCES, "industries": industries_frame(),
                           "industry_employment": rows}, {})
    connection = query.connect(path)
    try:
        names = query.industries(connection)
        assert names["code"].tolist()[:3] == ["A", "B", "C"] and names["code"].iloc[-1] == "X"
        every = query.industry_employment(connection)
        assert list(every.columns) == query.INDUSTRY_COLUMNS and len(every) == 4
        mk01 = query.industry_employment(connection, area_codes=["MK01"], periods=[2023])
        assert mk01[["industry", "value"]].values.tolist() == [["C", 12]]
        x = query.industry_employment(connection, industry_codes="X")
        assert x["area_code"].tolist() == ["MK02"]
    finally:
        connection.close()


def test_industry_queries_on_a_warehouse_without_industry_rows(con):
    assert query.industry_employment(con).empty
    assert query.industries(con).empty


@pytest.fixture(scope="module")
def damaged(warehouse, tmp_path_factory):
    from damaged import damaged_copies

    return damaged_copies(warehouse, tmp_path_factory.mktemp("damaged"))


def test_the_bundled_warehouse_verifies(warehouse):
    query.verify(warehouse)
    con = query.connect(warehouse)
    assert query.problems(con, "tk-2026.2") == []
    con.close()


@pytest.mark.parametrize(("kind", "says"), [
    ("truncated", None), ("bit_rotted", None), ("not_duckdb", None),
    ("no_scores", "table scores is missing"), ("old_columns", "table scores lacks n_ranked"),
    ("old_method", "built with method tk-2021.1")])
def test_a_damaged_warehouse_is_refused_with_what_to_run(damaged, kind, says):
    with pytest.raises(query.WarehouseMissing) as info:
        query.verify(damaged[kind])
    message = str(info.value)
    assert "make build" in message or "make run" in message
    if says:
        assert isinstance(info.value, query.WarehouseDamaged) and says in message

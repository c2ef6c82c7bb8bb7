"""Checks of the snapshot writer and of the committed snapshot in data/."""

import re
from pathlib import Path

import pandas as pd
import pytest

from etl.convert.snapshot import (
    check_monthly,
    check_snapshot,
    coverage_table,
    load_sources,
    split_out_of_range,
    write_snapshot,
)
from indicators.catalog import catalog_frame, dimension_ids
from indicators.monthly import MONTHLY_COLUMNS, load_series
from indicators.regions import areas_frame

DATA = Path(__file__).resolve().parent.parent / "data"
KEY = ["indicator_id", "area_code", "period"]


@pytest.fixture(scope="module")
def snapshot():
    return pd.read_parquet(DATA / "observations.parquet"), pd.read_parquet(DATA / "sources.parquet")


def obs_frame(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "period", "value", "flag",
                                       "source_id"])


def test_check_snapshot_finds_each_kind_of_problem():
    sources = load_sources()
    areas = set(areas_frame()["code"])
    good = obs_frame([("gdp_per_capita", "MK04", 2020, 37400.0, None, "eurostat_nama_10r_3gdp")])
    assert check_snapshot(good, sources, areas, catalog_frame()) == []
    bad = obs_frame([
        ("gdp_per_capita", "MK04", 2020, 37400.0, None, "eurostat_nama_10r_3gdp"),
        ("gdp_per_capita", "MK04", 2020, 37400.0, None, "eurostat_nama_10r_3gdp"),
        ("gdp_per_capita", "MK03", 2020, 1e6, None, "nope"),
        ("no_such", "MK04", 2020, None, None, "eurostat_nama_10r_3gdp"),
        ("gdp_per_capita", "MK05", 2020, 1.0, "missing", "eurostat_nama_10r_3gdp"),
    ])
    problems = "\n".join(check_snapshot(bad, sources, areas, catalog_frame()))
    for text in ("unknown indicator ids: ['no_such']", "unknown area codes: ['MK03']",
                 "unknown source ids: ['nope']", "duplicate keys", "no value and no missing",
                 "carry a value", "outside valid_range"):
        assert text in problems


def test_split_out_of_range():
    obs = obs_frame([("population_change", "766", 2011, -31.4, None, "s"),
                     ("population_change", "SSS", 2011, 0.3, None, "s"),
                     ("population_change", "SSS", 2012, None, "missing", "s")])
    kept, rejected = split_out_of_range(obs, catalog_frame())
    assert rejected["area_code"].tolist() == ["766"]
    assert len(kept) == 2


def test_write_snapshot_only_keeps_used_sources(tmp_path):
    obs = obs_frame([("gdp_per_capita", "MK04", 2020, 37400.0, None, "eurostat_nama_10r_3gdp")])
    write_snapshot(obs, load_sources(), tmp_path)
    src = pd.read_parquet(tmp_path / "sources.parquet")
    assert src["source_id"].tolist() == ["eurostat_nama_10r_3gdp"]
    back = pd.read_parquet(tmp_path / "observations.parquet")
    assert back["period"].tolist() == [2020] and back["value"].tolist() == [37400.0]
    assert not list(tmp_path.glob(".*tmp"))


def monthly_frame(rows):
    return pd.DataFrame(rows, columns=MONTHLY_COLUMNS)


def test_check_monthly_finds_each_kind_of_problem():
    sources, areas = load_sources(), set(areas_frame()["code"])
    series = {s["id"] for s in load_series()}
    good = monthly_frame([("unemployed", "MK12", "2026-06", 16016.0, None, "tyonv_12r5"),
                          ("unemployed", "707", "2019-01", None, "confidential", "tyonv_12r5")])
    assert check_monthly(good, sources, areas, series) == []
    bad = monthly_frame([
        ("unemployed", "MK12", "2026-06", 1.0, None, "tyonv_12r5"),
        ("unemployed", "MK12", "2026-06", 1.0, None, "tyonv_12r5"),
        ("jobless", "ELY10", "2026M06", None, None, "nope"),
    ])
    problems = "\n".join(check_monthly(bad, sources, areas, series))
    for text in ("unknown monthly series ids: ['jobless']", "unknown monthly area codes: ['ELY10']",
                 "unknown monthly source ids: ['nope']", "month codes not 'YYYY-MM': ['2026M06']",
                 "duplicate monthly keys", "1 monthly rows have no value"):
        assert text in problems
    assert "columns" in check_monthly(good.drop(columns="flag"), sources, areas, series)[0]


def test_write_snapshot_writes_monthly_and_keeps_its_sources(tmp_path):
    obs = obs_frame([("gdp_per_capita", "MK04", 2020, 37400.0, None, "eurostat_nama_10r_3gdp")])
    monthly = monthly_frame([("unemployed", "MK12", "2026-06", 16016.0, None, "tyonv_12r5")])
    write_snapshot(obs, load_sources(), tmp_path, monthly)
    src = pd.read_parquet(tmp_path / "sources.parquet")
    assert sorted(src["source_id"]) == ["eurostat_nama_10r_3gdp", "tyonv_12r5"]
    back = pd.read_parquet(tmp_path / "monthly.parquet")
    assert list(back.columns) == MONTHLY_COLUMNS and back["value"].tolist() == [16016.0]


def test_coverage_table_counts_levels():
    obs = obs_frame([("a", "SSS", 2019, 1.0, None, "s"), ("a", "MK01", 2019, 1.0, None, "s"),
                     ("a", "MK01", 2021, None, "missing", "s")])
    levels = pd.Series({"SSS": "country", "MK01": "region"})
    row = coverage_table(obs, levels).iloc[0]
    assert (row.years, row.country, row.region, row.missing_rows) == ("2019", 1, 1, 1)


def test_sources_declared_with_licence_and_derivation():
    sources = load_sources()
    assert sources["source_id"].is_unique
    assert sources["licence"].str.contains("CC BY 4.0|Eurostat").all()


# --- the committed snapshot ---------------------------------------------------------------

def claimed_indicators():
    """Indicators that data/README.md's coverage table says the snapshot holds."""
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| \w+ \| (\w+) \| [\d–, ]+ \|", readme, flags=re.M))


def test_snapshot_covers_every_claimed_indicator_with_two_per_dimension(snapshot):
    obs, _ = snapshot
    claimed = claimed_indicators()
    with_values = set(obs.loc[obs["value"].notna(), "indicator_id"])
    catalog = catalog_frame()
    assert len(claimed) >= 24
    assert claimed <= set(catalog["id"])
    assert claimed == with_values == set(obs["indicator_id"])
    per_dim = catalog.loc[catalog["id"].isin(claimed)].groupby("dimension").size()
    assert set(per_dim.index) == set(dimension_ids())
    assert (per_dim >= 2).all()


def test_snapshot_years_match_readme(snapshot):
    obs, _ = snapshot
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for ident in ("gdp_per_capita", "offences_per_1000", "low_income_rate"):
        years = re.search(rf"^\| \w+ \| {ident} \| ([\d–, ]+) \|", readme, flags=re.M).group(1)
        first, last = obs.loc[obs.indicator_id == ident, "period"].agg(["min", "max"])
        assert years.strip().startswith(str(first)) and years.strip().endswith(str(last))


def test_snapshot_integrity(snapshot):
    obs, sources = snapshot
    assert list(obs.columns) == KEY + ["value", "flag", "source_id"]
    assert not obs.duplicated(KEY).any()
    assert set(obs["area_code"]) <= set(areas_frame()["code"])
    assert set(obs["source_id"]) <= set(sources["source_id"])
    assert obs["period"].between(1980, 2030).all()
    assert (obs["value"].notna() | obs["flag"].isin(["missing", "confidential"])).all()
    assert set(obs["flag"].dropna()) <= {"p", "e", "b", "partial", "missing", "confidential"}
    bounds = catalog_frame().set_index("id")
    lo = obs["indicator_id"].map(bounds["valid_min"])
    hi = obs["indicator_id"].map(bounds["valid_max"])
    inside = obs["value"].isna() | obs["value"].between(lo, hi)
    assert inside.all(), obs.loc[~inside].head()


def test_snapshot_has_all_levels_for_municipal_series(snapshot):
    obs, _ = snapshot
    levels = areas_frame().set_index("code")["level"]
    pop = obs.loc[(obs.indicator_id == "population_change") & (obs.period == 2020)]
    counts = pop["area_code"].map(levels).value_counts()
    assert counts["country"] == 1 and counts["region"] == 19 and counts["subregion"] == 69
    assert counts["municipality"] >= 300


def test_committed_monthly_snapshot_integrity(snapshot):
    _, sources = snapshot
    monthly = pd.read_parquet(DATA / "monthly.parquet")
    problems = check_monthly(monthly, sources, set(areas_frame()["code"]),
                             {s["id"] for s in load_series()})
    assert problems == []
    unemployed = monthly.loc[(monthly.series_id == "unemployed") & (monthly.area_code == "SSS")]
    assert unemployed["month"].min() == "2006-01" and unemployed["month"].max() == "2026-06"
    assert len(unemployed) == 214 + 1


def test_annual_unemployment_only_from_the_monthly_series(snapshot):
    obs, _ = snapshot
    rates = obs.loc[obs.indicator_id.isin(["unemployment_rate", "vacancies_per_100_unemployed"])]
    assert set(rates["source_id"]) == {"tyonv_12r5_unemployment_rate", "tyonv_12r5_vacancies"}
    country = rates.loc[(rates.indicator_id == "unemployment_rate") & (rates.area_code == "SSS")]
    flags = country.set_index("period")["flag"]
    assert flags[2022] is pd.NA or pd.isna(flags[2022])
    assert flags[2023] == "partial"  # ten months
    # 2024-2025 are not in the raw files, and 2026 has one month only: no annual row
    assert not {2024, 2025, 2026} & set(country["period"])


def test_at_least_14_indicators_have_a_figure_for_2023_or_later_in_5_dimensions(snapshot):
    obs, _ = snapshot
    recent = obs.loc[obs["value"].notna() & (obs["period"] >= 2023)
                     & (obs["flag"].fillna("") != "partial")]
    catalog = catalog_frame().set_index("id")
    ids = set(recent["indicator_id"])
    assert len(ids) >= 14
    assert len(set(catalog.loc[sorted(ids), "dimension"])) >= 5
    scored = {i for i in ids if catalog.at[i, "scored"]}
    assert len(scored) >= 10

"""Eurostat NUTS-3 tables of every EU/EFTA region -> eu_regions and eu_observations.

Expected figures are read by hand from the raw excerpts in tests/fixtures/raw/
eurostat_nuts3_vds2023w (rows copied unchanged from the maintainer's raw files).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from etl.convert import eurostat_eu as E
from etl.convert.errors import ConvertError
from etl.convert.snapshot import load_sources
from indicators.regions import registry_frame
from indicators.twins import EU_OBS_COLUMNS, TWIN_POOL, load_variables

FIXTURES = Path(__file__).parent / "fixtures" / "raw"
FOLDER = FIXTURES / "eurostat_nuts3_vds2023w"
DATA = Path(__file__).resolve().parent.parent / "data"


def excerpt_cell(file: str, starts: str, year: int) -> str:
    """Return the text of one year's cell of the excerpt row starting with `starts`."""
    with gzip.open(FOLDER / file, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    header = [h.strip() for h in lines[0].replace("\t", ",").split(",")]
    row = next(line for line in lines if line.startswith(starts))
    cells = [c.strip() for c in row.replace("\t", ",").split(",")]
    return cells[header.index(str(year))]


@pytest.fixture(scope="module")
def converted():
    return E.convert_eu(FIXTURES)


def value(obs: pd.DataFrame, variable: str, code: str, year: int) -> pd.Series:
    return obs.set_index(["variable", "nuts_code", "period"]).loc[(variable, code, year)]


def test_published_figures_are_kept_with_their_flags(converted):
    _, obs, _ = converted
    assert list(obs.columns) == EU_OBS_COLUMNS
    assert value(obs, "gdp_per_head_pps", "FI1D3", 2020)["value"] == float(
        excerpt_cell("estat_nama_10r_3gdp.tsv.gz", "A,PPS_EU27_2020_HAB,FI1D3,", 2020))
    frj14 = value(obs, "population_density", "FRJ14", 2022)
    assert excerpt_cell("density.tsv.gz", "PER_KM2,FRJ14,", 2022) == "14.8p"
    assert (frj14["value"], frj14["flag"]) == (14.8, "p")
    assert value(obs, "old_age_dependency", "FI1D3", 2020)["value"] == 44.0
    assert value(obs, "young_age_dependency", "FI1D7", 2020)["value"] == float(
        excerpt_cell("estat_demo_r_pjanind3.tsv.gz", "A,YOUNGDEP1,PC,FI1D7\t", 2020))
    assert value(obs, "enterprise_birth_rate", "FI1D3", 2011)["value"] == 6.65   # TOTAL, not 0
    assert value(obs, "enterprise_survival_3y", "FI1D3", 2014)["value"] == 48.62
    assert value(obs, "population", "FI1D3", 2021)["value"] == 160341


def test_no_figure_means_no_row_and_old_years_and_codes_are_left_out(converted):
    regions, obs, dropped = converted
    assert excerpt_cell("estat_nama_10r_3gdp.tsv.gz", "A,PPS_EU27_2020_HAB,FI1D3,", 2021) == ":"
    gdp = obs[(obs.variable == "gdp_per_head_pps") & (obs.nuts_code == "FI1D3")]
    assert gdp["period"].max() == 2020 and gdp["period"].min() == E.FIRST_YEAR
    assert obs["value"].notna().all()
    assert "FI1D4" in dropped and "FI1D4" not in set(obs["nuts_code"])   # NUTS 2013 Kainuu
    assert set(obs["nuts_code"]) <= set(regions.loc[regions.level == 3, "nuts_code"])
    assert not obs["nuts_code"].str.len().ne(5).any()                      # no country rows
    assert set(obs["variable"]) == {v["id"] for v in load_variables()}


def test_crude_rates_divide_by_the_mean_population(converted):
    _, obs, _ = converted
    births = float(excerpt_cell("births.tsv.gz", "A,NR,FI1D3,", 2020))
    deaths = float(excerpt_cell("deaths_total.tsv.gz", "A,NR,FI1D3,", 2020))
    pop = [float(excerpt_cell("estat_demo_r_pjangrp3.tsv.gz", "A,T,NR,TOTAL,FI1D3\t", y))
           for y in (2020, 2021)]
    assert (births, deaths, pop) == (1137, 2071, [161211, 160341])
    average = sum(pop) / 2
    assert value(obs, "crude_birth_rate", "FI1D3", 2020)["value"] == pytest.approx(
        births / average * 1000, abs=1e-4)
    assert value(obs, "crude_death_rate", "FI1D3", 2020)["value"] == pytest.approx(
        deaths / average * 1000, abs=1e-4)
    assert value(obs, "population_change", "FI1D3", 2020)["value"] == pytest.approx(
        (pop[1] / pop[0] - 1) * 100, abs=1e-4)
    # the last population year has no next year: no rate, no change
    assert 2022 not in set(obs.loc[obs.variable == "population_change", "period"])


def test_a_derived_figure_carries_the_flag_of_its_parts():
    pop = pd.DataFrame({"nuts_code": "X0001", "period": [2020, 2021], "value": [100.0, 110.0],
                        "flag": [None, "e"]})
    events = pd.DataFrame({"nuts_code": ["X0001"], "period": [2020], "value": [3.0],
                           "flag": ["p"]})
    rate = E.crude_rate(events, pop).iloc[0]
    assert rate["value"] == pytest.approx(3 / 105 * 1000, abs=1e-4) and rate["flag"] == "e"
    assert E.population_change(pop).iloc[0]["flag"] == "e"
    broken = pop.assign(flag=[None, "b"])
    assert E.population_change(broken).empty          # no change across a break
    assert E.crude_rate(events, broken).iloc[0]["flag"] == "b"
    flags = E.first_flag(pd.Series(["p", None, None]), pd.Series(["b", None, "p"]))
    assert flags.tolist() == ["b", None, "p"]


def test_names_file_is_nuts_2021_with_every_finnish_region():
    names = E.read_names()
    regions = E.eu_regions(names)
    assert set(regions["level"]) == {0, 3}
    level3 = regions[regions.level == 3]
    assert level3["country_code"].isin(TWIN_POOL).sum() == 1166   # the NUTS 2021 count
    lookup = regions.set_index("nuts_code")["name"]
    assert (lookup["FI1D3"], lookup["FI1D7"], lookup["ES417"]) == ("Pohjois-Karjala", "Lappi",
                                                                    "Soria")
    assert lookup["EL307"] == "Peiraias, Nisoi" and lookup["SE332"] == "Norrbottens län"
    finnish = registry_frame().query("level == 'region'")["nuts3_2021"]
    assert set(finnish) <= set(level3["nuts_code"])
    assert set(regions["name_source"]) == {E.NAMES_SOURCE}


@pytest.mark.parametrize("text, message", [
    ("code;name\nFI;Suomi\n", "header"), ("NUTS_ID;NAME_LATN\nFI;Suomi\nFI;Finland\n",
                                          "duplicate"),
    ("NUTS_ID;NAME_LATN\nfi1;x\n", "bad rows"), ("NUTS_ID;NAME_LATN\nFI1;\n", "bad rows"),
])
def test_bad_names_file_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "names.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConvertError, match=message):
        E.read_names(path)
    with pytest.raises(ConvertError, match="missing"):
        E.read_names(tmp_path / "none.csv")


def test_bad_raw_files_are_clear_errors(tmp_path):
    with pytest.raises(ConvertError, match="missing"):
        E.read_selected(tmp_path / "x.tsv.gz", {"unit": "NR"})
    broken = tmp_path / "broken.tsv.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(ConvertError, match="unreadable"):
        E.read_selected(broken, {"unit": "NR"})
    short = tmp_path / "short.tsv.gz"
    short.write_bytes(gzip.compress(b"freq,unit,geo,2020,2021\nA,NR,FI1D3,5\n"))
    with pytest.raises(ConvertError, match="line 2: 4 cells"):
        E.read_selected(short, {"unit": "NR"})
    with pytest.raises(ConvertError, match=r"no key column\(s\) \['sex'\]"):
        E.read_selected(short, {"sex": "T"})
    garbage = tmp_path / "garbage.tsv.gz"
    garbage.write_bytes(gzip.compress(b"freq,unit,geo,2020\nA,NR,FI1D3,12x!\n"))
    with pytest.raises(ConvertError, match="unreadable Eurostat cell"):
        E.read_selected(garbage, {"unit": "NR"})


def test_check_eu_finds_each_kind_of_problem(converted):
    regions, obs, _ = converted
    ids = set(load_sources()["source_id"])
    assert E.check_eu(regions, obs, ids) == []
    bad = pd.concat([obs.head(1), obs.head(1)], ignore_index=True)
    bad.loc[1, "flag"] = "u"
    bad = pd.concat([bad, obs.head(1).assign(variable="nonsense", nuts_code="ZZ999")])
    text = "\n".join(E.check_eu(regions, bad, ids - {E.NAMES_SOURCE}))
    for expected in ("duplicate", "unknown flags ['u']", "unknown variables", "unknown NUTS",
                     "names source"):
        assert expected in text
    assert "unknown source ids" in "\n".join(E.check_eu(regions, obs, {E.NAMES_SOURCE}))


def test_prepare_write_and_readme(tmp_path, converted):
    snap = E.prepare(FIXTURES, set(load_sources()["source_id"]))
    assert snap.problems == ()
    assert snap.source_ids >= {E.NAMES_SOURCE, "eurostat_eu_bd_size_r3"}
    regions_path, obs_path = snap.write(tmp_path)
    back = pd.read_parquet(obs_path)
    pd.testing.assert_frame_equal(back, converted[1])
    assert len(pd.read_parquet(regions_path)) == len(converted[0])
    text = snap.readme(tmp_path)
    assert "eu_observations.parquet" in text and "| crude_birth_rate |" in text
    assert not list(tmp_path.glob(".*.tmp"))


def test_every_source_the_eu_files_cite_is_declared():
    declared = load_sources().set_index("source_id")
    for entry in load_variables():
        assert entry["source_id"] in declared.index
    assert "Hankintailmoitukset/hilma-api" in declared.loc[E.NAMES_SOURCE, "origin"]


def test_committed_eu_snapshot_is_consistent():
    obs = pd.read_parquet(DATA / "eu_observations.parquet")
    regions = pd.read_parquet(DATA / "eu_regions.parquet")
    assert E.check_eu(regions, obs, set(load_sources()["source_id"])) == []
    sources = set(pd.read_parquet(DATA / "sources.parquet")["source_id"])
    assert set(obs["source_id"]) | {E.NAMES_SOURCE} <= sources
    eu = regions[(regions.level == 3) & regions.country_code.isin(TWIN_POOL)]["nuts_code"]
    gdp2020 = obs[(obs.variable == "gdp_per_head_pps") & (obs.period == 2020)]
    assert gdp2020["nuts_code"].isin(eu).sum() == 1166
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert f"{len(obs):,} rows" in readme

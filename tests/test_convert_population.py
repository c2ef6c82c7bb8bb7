import json
from pathlib import Path

import pandas as pd
import pytest
from raw_excerpts import MAPS, number

from etl.convert import crime
from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.population import (
    RA_SOURCE,
    RAW_FILE,
    RH_SOURCE,
    SOURCE_ID,
    municipal_population,
    population_change,
    population_observations,
    population_rollup,
    population_series,
    read_population,
    statfin_population,
)
from etl.convert.pxweb_json import read_pxweb_json
from etl.convert.vaerak_11ra import municipal_population as population_11ra
from etl.convert.vaerak_11ra import table_11ra
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
DIVISION = Division(registry_frame(), successors_frame())
RH = json.loads((RAW / crime.RAW_FILE).read_text(encoding="utf-8"))["populationData"]


@pytest.fixture(scope="module")
def municipal():
    return municipal_population(read_population(RAW / RAW_FILE), DIVISION)


@pytest.fixture(scope="module")
def statfin():
    ra = population_11ra(table_11ra(read_pxweb_json(MAPS / "age_register_kunnat_11ra.json"),
                                    DIVISION), DIVISION)
    return statfin_population(crime.read_crime(RAW / crime.RAW_FILE), ra, DIVISION)


def test_pertunmaa_is_summed_into_mantyharju(municipal):
    row = municipal.loc[(municipal.code == "507") & (municipal.period == 2015), "population"]
    assert row.tolist() == [6159 + 1817]
    assert not (municipal.code == "588").any()


def test_rollup_to_region(municipal):
    levels = population_rollup(municipal, DIVISION)
    mk10 = levels.loc[(levels.area_code == "MK10") & (levels.period == 2019), "population"]
    assert mk10.tolist() == [53134 + 5791 + 1690]


def test_statfin_population_is_11rh_then_11ra(statfin):
    by = statfin.set_index(["code", "period"])
    assert by.loc[("214", 2024), "population"] == RH["2024"]["214"]
    assert by.loc[("214", 2024), "source_id"] == RH_SOURCE
    assert by.loc[("167", 2025), "population"] == number("age_register_kunnat_11ra.json",
                                                         "KU167", "vaerak-vaesto")
    assert by.loc[("167", 2025), "source_id"] == RA_SOURCE


def test_the_same_year_from_two_tables_is_refused(statfin):
    rh = statfin.loc[statfin.source_id == RH_SOURCE, ["code", "period", "population"]]
    with pytest.raises(ConvertError, match=r"11rh and 11ra both give the population of \[2024\]"):
        statfin_population(rh, rh.loc[rh.period == 2024], DIVISION)


def test_series_is_sotkanet_up_to_its_last_year(municipal, statfin):
    overlap = pd.DataFrame({"code": ["214"], "period": [2019], "population": [1.0],
                            "source_id": [RH_SOURCE]})
    series = population_series(municipal, pd.concat([statfin, overlap]))
    by = series.set_index(["code", "period"])
    assert by.loc[("214", 2019), "population"] == 12906  # Sotkanet kept where it has a year
    assert by.loc[("214", 2019), "source_id"] == SOURCE_ID
    assert by.loc[("214", 2024), "source_id"] == RH_SOURCE
    assert not series.duplicated(["code", "period"]).any()


def test_change_recomputed_from_sums(municipal, statfin):
    obs = population_change(municipal, statfin, DIVISION)
    got = obs.loc[(obs.area_code == "SK101") & (obs.period == 2015), "value"].iloc[0]
    expected = ((54665 + 6159 + 1817) / (54605 + 6266 + 1832) - 1) * 100
    assert got == pytest.approx(expected, abs=1e-4)
    assert (obs.loc[obs.period <= 2019, "source_id"] == SOURCE_ID).all()
    # 2014 has no previous year, 2018 has no 2017 in the excerpt
    assert set(obs.loc[obs.period <= 2022, "period"]) == {2015, 2019}


def test_later_changes_come_from_one_table(municipal, statfin):
    obs = population_change(municipal, statfin, DIVISION).set_index(["area_code", "period"])
    expected = (RH["2024"]["214"] / RH["2023"]["214"] - 1) * 100
    assert obs.loc[("214", 2024), "value"] == pytest.approx(expected, abs=1e-4)
    assert obs.loc[("214", 2024), "source_id"] == RH_SOURCE
    # the excerpt's 2024 and 2025 municipalities differ: no change for the sums of either
    assert ("SSS", 2025) not in obs.index and ("167", 2025) not in obs.index


def test_population_indicator_for_every_level_with_the_years_source(municipal, statfin):
    obs = population_observations(population_series(municipal, statfin), DIVISION)
    by = obs.set_index(["area_code", "period"])
    assert by.loc[("SK101", 2019), "value"] == 53134 + 5791 + 1690
    assert by.loc[("SK101", 2019), "source_id"] == SOURCE_ID
    assert by.loc[("MK12", 2025), "value"] == number("age_register_kunnat_11ra.json", "MK12",
                                                     "vaerak-vaesto")
    assert by.loc[("MK12", 2025), "source_id"] == RA_SOURCE
    assert by.loc[("181", 2023), "value"] == RH["2023"]["181"]

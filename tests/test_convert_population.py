from pathlib import Path

import pytest

from etl.convert.division import Division
from etl.convert.population import (
    RAW_FILE,
    municipal_population,
    population_change,
    population_rollup,
    read_population,
)
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
DIVISION = Division(registry_frame(), successors_frame())


@pytest.fixture(scope="module")
def municipal():
    return municipal_population(read_population(RAW / RAW_FILE), DIVISION)


def test_pertunmaa_is_summed_into_mantyharju(municipal):
    row = municipal.loc[(municipal.code == "507") & (municipal.period == 2015), "population"]
    assert row.tolist() == [6159 + 1817]
    assert not (municipal.code == "588").any()


def test_rollup_to_region(municipal):
    levels = population_rollup(municipal, DIVISION)
    mk10 = levels.loc[(levels.area_code == "MK10") & (levels.period == 2019), "population"]
    assert mk10.tolist() == [53134 + 5791 + 1690]


def test_change_recomputed_from_sums(municipal):
    obs = population_change(municipal, DIVISION)
    got = obs.loc[(obs.area_code == "SK101") & (obs.period == 2015), "value"].iloc[0]
    expected = ((54665 + 6159 + 1817) / (54605 + 6266 + 1832) - 1) * 100
    assert got == pytest.approx(expected, abs=1e-4)
    # 2014 has no previous year, 2018 has no 2017 in the excerpt
    assert set(obs.period) == {2015, 2019}

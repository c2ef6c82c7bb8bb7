from pathlib import Path

import pandas as pd
import pytest

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.road_accidents import RAW_DIR, accident_counts, convert_accidents, read_accidents
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
DIVISION = Division(registry_frame(), successors_frame())


@pytest.fixture(scope="module")
def records():
    return read_accidents(RAW / RAW_DIR)


def population(value=1000.0, **real):
    """Population for every mainland municipality × fixture year; real ones override."""
    parents = DIVISION.parents
    codes = parents.loc[parents.region_code != "MK21", "code"]
    frame = pd.DataFrame([(c, y, value) for c in codes for y in (2015, 2019)],
                         columns=["code", "period", "population"])
    for (code, year), pop in real.items():
        frame.loc[(frame.code == code) & (frame.period == year), "population"] = pop
    return frame


def test_counts_merge_honkajoki_into_kankaanpaa_and_keep_zeros(records):
    counts = accident_counts(records, DIVISION).set_index(["code", "period"])
    # excerpt 2019: Honkajoki (099) 3 injury, Kankaanpää (214) 10 injury, Jämijärvi (181) none
    assert counts.loc[("214", 2019), "fatal_or_injury"] == 13
    assert counts.loc[("214", 2019), "fatal"] == 0
    assert counts.loc[("181", 2019), "fatal_or_injury"] == 0
    assert counts.loc[("181", 2015), "fatal"] == 1
    assert counts.loc[("181", 2015), "fatal_or_injury"] == 4
    assert counts.loc[("609", 2015), "fatal"] == 4
    assert "478" not in counts.index.get_level_values("code")  # Åland is not covered


def test_rates_per_100k(records):
    pop = pd.DataFrame({"code": ["214"], "period": [2019], "population": [12906.0]})
    pop_all = population()
    pop_all = pop_all.loc[~((pop_all.code == "214") & (pop_all.period == 2019))]
    pop_all = pd.concat([pop_all, pop], ignore_index=True)
    obs = convert_accidents(records, pop_all, DIVISION)
    inj = obs.loc[obs.indicator_id == "road_injury_accidents_per_100k"].set_index(
        ["area_code", "period"])["value"]
    assert inj[("214", 2019)] == pytest.approx(13 / 12906 * 1e5, abs=1e-4)
    assert inj[("181", 2019)] == 0.0
    n_mainland = (pop_all.period == 2019).sum()
    total_pop = pop_all.loc[pop_all.period == 2019, "population"].sum()
    assert n_mainland == 308 - 16
    assert inj[("SSS", 2019)] == pytest.approx(13 / total_pop * 1e5, abs=1e-4)
    assert ("MK21", 2019) not in inj.index and ("478", 2019) not in inj.index
    fatal = obs.loc[obs.indicator_id == "road_fatal_accidents_per_100k"].set_index(
        ["area_code", "period"])["value"]
    assert fatal[("MK04", 2015)] == pytest.approx(5 / (16 * 1000) * 1e5, abs=1e-4)


def test_missing_population_is_a_clear_error(records):
    with pytest.raises(ConvertError, match="population missing"):
        convert_accidents(records, population().iloc[5:], DIVISION)


def test_no_files_is_a_clear_error(tmp_path):
    with pytest.raises(ConvertError, match="no tieliikenneonnettomuudet"):
        read_accidents(tmp_path)

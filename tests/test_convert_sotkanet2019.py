from pathlib import Path

import pandas as pd
import pytest

from etl.convert.division import Division
from etl.convert.population import municipal_population, read_population
from etl.convert.sotkanet2019 import RAW_FILE, convert_sotkanet, read_sotkanet
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
DIVISION = Division(registry_frame(), successors_frame())
POP = municipal_population(
    read_population(RAW / "sotkanet_geofi" / "sotkadata_population_municipality.csv"), DIVISION)


@pytest.fixture(scope="module")
def obs():
    return convert_sotkanet(read_sotkanet(RAW / RAW_FILE), POP, DIVISION)


def get(obs, indicator, area):
    hit = obs.loc[(obs.indicator_id == indicator) & (obs.area_code == area), "value"]
    assert len(hit) == 1, (indicator, area)
    return hit.iloc[0]


def test_municipal_values_are_published_ones(obs):
    assert get(obs, "low_income_rate", "214") == 18.2
    assert get(obs, "long_term_unemployed_share", "541") == 3.2
    assert (obs.period == 2019).all()


def test_low_income_recomputed_from_counts(obs):
    # Kankaanpää 2295 persons = 18.2 %, Jämijärvi 273 = 16.0 %
    expected = (2295 + 273) / (2295 / 18.2 * 100 + 273 / 16.0 * 100) * 100
    assert get(obs, "low_income_rate", "SK044") == pytest.approx(expected, abs=1e-4)


def test_long_term_unemployed_uses_labour_force_from_181(obs):
    # 3562 counts 98 and 9; labour force from 181: 566 / 9.7 %, 56 / 7.2 %
    expected = (98 + 9) / (566 / 9.7 * 100 + 56 / 7.2 * 100) * 100
    assert get(obs, "long_term_unemployed_share", "MK04") == pytest.approx(expected, abs=1e-4)


def test_economic_dependency_weighted_by_employed(obs):
    # employed = population 31.12.2019 / (1 + ratio / 100); Kankaanpää 12906, Jämijärvi 1739
    e1, e2 = 12906 / (1 + 163.8 / 100), 1739 / (1 + 161.1 / 100)
    expected = ((12906 - e1) + (1739 - e2)) / (e1 + e2) * 100
    assert get(obs, "economic_dependency_ratio", "SK044") == pytest.approx(expected, abs=1e-4)
    assert get(obs, "economic_dependency_ratio", "SK044") != pytest.approx((163.8 + 161.1) / 2)


def test_gini_only_for_municipalities_as_published(obs):
    gini = obs.loc[obs.indicator_id == "gini_coefficient"]
    assert sorted(gini.area_code) == ["181", "214", "491", "507", "541"]
    assert get(obs, "gini_coefficient", "214") == 25.1
    assert get(obs, "gini_coefficient", "507") == 27.1


def test_unemployment_is_not_taken_from_sotkanet(obs):
    # 181 only gives the labour force for long-term unemployment; rates come from 12r5
    assert "unemployment_rate" not in set(obs.indicator_id)


def test_poorly_covered_aggregate_is_left_out():
    # a big municipality (Pomarkku, SK044) without any Sotkanet figure: coverage < 97 %
    extra = pd.DataFrame({"code": ["609"], "period": [2019], "population": [1_000_000.0]})
    pori_parents = DIVISION.parents.set_index("code").loc["609"]
    assert pori_parents.region_code == "MK04"
    obs = convert_sotkanet(read_sotkanet(RAW / RAW_FILE), pd.concat([POP, extra]), DIVISION)
    low = obs.loc[obs.indicator_id == "low_income_rate"]
    assert "MK04" not in set(low.area_code)
    assert "SSS" not in set(low.area_code)
    assert "SK044" in set(low.area_code)  # Pori is not in SK044
    assert "MK12" in set(low.area_code)


def test_demographic_dependency_weighted_by_working_age_population(obs):
    # people aged 15–64 = population / (1 + ratio / 100); Mikkeli 53134, Mäntyharju 5791 + 1690
    w1, w2 = 53134 / (1 + 67.8 / 100), (5791 + 1690) / (1 + 93.0 / 100)
    expected = ((53134 - w1) + (5791 + 1690 - w2)) / (w1 + w2) * 100
    assert get(obs, "demographic_dependency_ratio", "SK101") == pytest.approx(expected, abs=1e-4)


def test_suppressed_municipalities_limit_youth_assistance_aggregates(obs):
    youth = obs.loc[obs.indicator_id == "youth_long_term_social_assistance"]
    # Jämijärvi and Mäntyharju are suppressed: SK044 and SK101 are under 97 % covered
    assert set(youth.area_code) == {"214", "491", "541", "SK125", "MK12"}
    assert get(obs, "youth_long_term_social_assistance", "MK12") == 2.5

from pathlib import Path

import pandas as pd
import pytest

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.tem import COUNTRY_FILE, REGION_FILE, convert_tem, read_tem
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
DIVISION = Division(registry_frame(), successors_frame())
SATAKUNTA_2019 = [9949, 9625, 9277, 8821, 8496, 9510, 10166, 8912, 8901, 8825, 9237, 10575]
VACANCIES_2019 = [2651, 3423, 2602, 2000, 1620, 1377, 1210, 1636, 1694, 1618, 1428, 1992]


@pytest.fixture(scope="module")
def obs():
    return convert_tem(read_tem(RAW / REGION_FILE, "maakunta"), read_tem(RAW / COUNTRY_FILE, None),
                       DIVISION)


def get(obs, indicator, area, period=2019):
    hit = obs.loc[(obs.indicator_id == indicator) & (obs.area_code == area)
                  & (obs.period == period), "value"]
    assert len(hit) == 1
    return hit.iloc[0]


def test_annual_unemployment_rate_is_mean_unemployed_over_mean_labour_force(obs):
    expected = sum(SATAKUNTA_2019) / 12 / 99069 * 100
    assert get(obs, "unemployment_rate", "MK04") == pytest.approx(expected, abs=1e-4)


def test_vacancies_per_100_unemployed(obs):
    expected = sum(VACANCIES_2019) / sum(SATAKUNTA_2019) * 100
    assert get(obs, "vacancies_per_100_unemployed", "MK04") == pytest.approx(expected, abs=1e-4)


def test_incomplete_year_is_left_out_and_country_is_published_row(obs):
    assert 2020 not in set(obs.period)  # the file ends in October 2020
    country = pd.read_csv(RAW / COUNTRY_FILE)
    expected = country["Tyottomat"].mean() / country["Tyovoima"].mean() * 100
    assert get(obs, "unemployment_rate", "SSS") == pytest.approx(expected, abs=1e-4)


def test_unknown_region_name_is_a_clear_error():
    regions = read_tem(RAW / REGION_FILE, "maakunta").assign(area="Atlantis")
    with pytest.raises(ConvertError, match="Atlantis"):
        convert_tem(regions, read_tem(RAW / COUNTRY_FILE, None), DIVISION)

from pathlib import Path

import pytest

from etl.convert.avainluvut import RAW_FILE, convert_avainluvut, read_avainluvut
from etl.convert.division import Division
from etl.convert.errors import ConvertError
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
DIVISION = Division(registry_frame(), successors_frame())


@pytest.fixture(scope="module")
def obs():
    return convert_avainluvut(read_avainluvut(RAW / RAW_FILE, DIVISION), DIVISION)


def get(obs, indicator, area, period=2016):
    hit = obs.loc[(obs.indicator_id == indicator) & (obs.area_code == area)
                  & (obs.period == period)]
    assert len(hit) == 1, (indicator, area, period)
    return hit["value"].iloc[0]


def test_honkajoki_lands_in_kankaanpaa_weighted_by_population(obs):
    # Honkajoki 2016: Väkiluku 1759, Taajama-aste 44.6; Kankaanpää: 11637, 72.4
    expected = (1759 * 44.6 + 11637 * 72.4) / (1759 + 11637)
    assert get(obs, "urbanisation_degree", "214") == pytest.approx(expected, abs=1e-4)
    assert not (obs.area_code == "099").any()


def test_tertiary_share_weighted_by_population_aged_15_plus(obs):
    w_honka = 1759 * (1 - 13.8 / 100)
    w_kank = 11637 * (1 - 14.9 / 100)
    w_jami = 1915 * (1 - 14.7 / 100)
    expected_214 = (14.4 * w_honka + 22.1 * w_kank) / (w_honka + w_kank)
    assert get(obs, "tertiary_education_share", "214") == pytest.approx(expected_214, abs=1e-4)
    # the excerpt's SK044 = Honkajoki + Kankaanpää + Jämijärvi
    expected_sk = (14.4 * w_honka + 22.1 * w_kank + 17.5 * w_jami) / (w_honka + w_kank + w_jami)
    assert get(obs, "tertiary_education_share", "SK044") == pytest.approx(expected_sk, abs=1e-4)
    assert get(obs, "tertiary_education_share", "MK04") == pytest.approx(expected_sk, abs=1e-4)


def test_job_self_sufficiency_from_counts(obs):
    # jobs 684 + 4964, employed residents 699 + 4431
    assert get(obs, "job_self_sufficiency", "214") == pytest.approx(
        (684 + 4964) / (699 + 4431) * 100, abs=1e-4)
    assert get(obs, "job_self_sufficiency", "181") == 67.0  # Jämijärvi: published figure


def test_economic_dependency_weighted_by_employed_and_valtimo_in_nurmes(obs):
    assert get(obs, "economic_dependency_ratio", "541", 2015) == pytest.approx(
        (204.2 * 764 + 201.4 * 2653) / (764 + 2653), abs=1e-4)
    assert get(obs, "employment_rate", "MK12", 2015) == pytest.approx(
        (61.0 * 2324 * 55.6 + 61.3 * 7996 * 56.1) / (2324 * 55.6 + 7996 * 56.1), abs=1e-4)


def test_unknown_municipality_name_is_a_clear_error(tmp_path):
    text = (RAW / RAW_FILE).read_text(encoding="utf-8").replace("Jämijärvi", "Atlantis")
    path = tmp_path / "key.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConvertError, match="Atlantis"):
        read_avainluvut(path, DIVISION)


def test_missing_column_is_a_clear_error(tmp_path):
    path = tmp_path / "key.csv"
    path.write_text("Alue,vuosi,Vakiluku\nKankaanpää,2016,1\n", encoding="utf-8")
    with pytest.raises(ConvertError, match="columns missing"):
        read_avainluvut(path, DIVISION)


def test_share_65_plus_weighted_by_population(obs):
    # Valtimo merged into Nurmes: 2016 Väkiluku 2245 (32.7 % aged 65+) and 7885 (32.2 %)
    expected = (2245 * 32.7 + 7885 * 32.2) / (2245 + 7885)
    assert get(obs, "share_65_plus", "541") == pytest.approx(expected, abs=1e-4)
    assert get(obs, "share_65_plus", "181") == 28.5

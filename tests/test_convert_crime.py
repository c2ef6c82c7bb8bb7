import json
from pathlib import Path

import pytest

from etl.convert.crime import RAW_FILE, convert_crime, read_crime
from etl.convert.division import Division
from etl.convert.errors import ConvertError
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
DIVISION = Division(registry_frame(), successors_frame())


def get(obs, indicator, area, period=2024):
    hit = obs.loc[(obs.indicator_id == indicator) & (obs.area_code == area)
                  & (obs.period == period), "value"]
    assert len(hit) == 1
    return hit.iloc[0]


def test_offences_per_1000_from_counts():
    obs = convert_crime(read_crime(RAW / RAW_FILE), DIVISION)
    assert get(obs, "offences_per_1000", "214") == pytest.approx(1117 / 12478 * 1000, abs=1e-4)
    # excerpt SK101 = Mikkeli + Mäntyharju
    assert get(obs, "offences_per_1000", "SK101") == pytest.approx(
        (4691 + 586) / (51890 + 7057) * 1000, abs=1e-4)
    assert get(obs, "harm_offences_per_1000", "MK04", 2023) == pytest.approx(
        (192 + 30) / (12394 + 1682) * 1000, abs=1e-4)
    assert get(obs, "offences_per_1000", "SSS", 2023) == pytest.approx(
        (1018 + 127 + 4443 + 641) / (12394 + 1682 + 51919 + 7099) * 1000, abs=1e-4)


def test_bad_json_is_a_clear_error(tmp_path):
    path = tmp_path / "crime.json"
    path.write_text(json.dumps({"crimeData": {}}), encoding="utf-8")
    with pytest.raises(ConvertError, match="populationData"):
        read_crime(path)

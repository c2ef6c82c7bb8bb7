from pathlib import Path

import pytest

from etl.convert.commuting import RAW_FILE, convert_commuting, read_commuting
from etl.convert.division import Division
from etl.convert.errors import ConvertError
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
DIVISION = Division(registry_frame(), successors_frame())


def get(obs, area, period):
    hit = obs.loc[(obs.area_code == area) & (obs.period == period), "value"]
    assert len(hit) == 1
    return hit.iloc[0]


def test_share_from_counts_with_merger_and_country_row():
    obs = convert_commuting(read_commuting(RAW / RAW_FILE), DIVISION)
    assert set(obs.indicator_id) == {"works_in_home_municipality"}
    assert get(obs, "214", 2016) == pytest.approx((479 + 3416) / (699 + 4431) * 100, abs=1e-4)
    assert get(obs, "MK04", 2017) == pytest.approx((446 + 3484) / (674 + 4514) * 100, abs=1e-4)
    assert get(obs, "478", 2016) == pytest.approx(4380 / 5752 * 100, abs=1e-4)  # Mariehamn
    assert get(obs, "SSS", 2017) == pytest.approx(1522017 / 2327730 * 100, abs=1e-4)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConvertError, match="missing"):
        read_commuting(tmp_path / "nope.csv")

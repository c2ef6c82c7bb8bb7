from pathlib import Path

import pytest

from etl.convert.errors import ConvertError
from etl.convert.geofi import (
    read_key,
    read_mergers,
    read_nuts2021,
    read_nuts2021_moves,
    registry_frame,
    successors_frame,
)
from indicators.regions import validate_registry

KEYS = Path(__file__).parent / "fixtures" / "raw" / "geofi_classifications"


@pytest.fixture(scope="module")
def keys():
    return {year: read_key(KEYS / f"municipality_key_{year}.csv") for year in (2024, 2025, 2026)}


def test_key_codes_are_padded(keys):
    assert "099" not in set(keys[2026].kunta)
    assert {"214", "181", "507", "541"} <= set(keys[2026].kunta)
    assert set(keys[2026].region_code) == {"MK04", "MK10", "MK12"}
    assert set(keys[2026].subregion_code) == {"SK044", "SK101", "SK125"}


def test_registry_from_key_excerpt(keys):
    reg = registry_frame(keys[2026], read_nuts2021(), read_nuts2021_moves())
    assert validate_registry(reg) == []
    by_code = reg.set_index("code")
    assert by_code.loc["SSS", "level"] == "country"
    assert by_code.loc["MK04", "nuts3_code"] == "FI196"
    assert by_code.loc["MK10", "nuts3_code"] == "FI1DA"
    assert by_code.loc["MK10", "nuts3_2021"] == "FI1D1"
    sk = by_code.loc["SK044"]
    assert (sk.level, sk.parent_code, sk.name_fi) == ("subregion", "MK04", "Pohjois-Satakunta")
    assert sk.name_sv == sk.name_fi == sk.name_en  # the key has Finnish sub-region names only
    kank = by_code.loc["214"]
    assert (kank.parent_code, kank.region_code, kank.name_fi) == ("SK044", "MK04", "Kankaanpää")
    assert "588" not in by_code.index  # Pertunmaa merged in 2025
    assert reg["sort_order"].is_unique


def test_successors_must_cover_every_vanished_code(keys):
    mergers = read_mergers()
    in_excerpt = mergers.loc[mergers.successor_code.isin(keys[2026].kunta)]
    out = successors_frame(in_excerpt, keys[2026], [keys[2024], keys[2025]])
    row = out.set_index("old_code").loc["588"]
    assert (row.successor_code, row.successor_name_fi, row.merger_year) == ("507", "Mäntyharju",
                                                                             2025)
    without_pertunmaa = in_excerpt.loc[in_excerpt.old_code != "588"]
    with pytest.raises(ConvertError, match="588"):
        successors_frame(without_pertunmaa, keys[2026], [keys[2024]])


def test_successor_outside_todays_key_is_an_error(keys):
    with pytest.raises(ConvertError, match="successor codes"):
        successors_frame(read_mergers(), keys[2026], [keys[2024]])


def test_missing_key_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConvertError, match="missing"):
        read_key(tmp_path / "municipality_key_2026.csv")

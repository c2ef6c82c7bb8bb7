import json

import pytest
from raw_excerpts import MAPS, MK12_MUNICIPALITIES, MK12_SUBREGIONS, number

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.pxweb_json import parse_pxweb_json, read_pxweb_json
from etl.convert.vkour_12bs import RAW_FILE, convert_12bs
from indicators.regions import registry_frame, successors_frame

DIVISION = Division(registry_frame(), successors_frame())
FILE = RAW_FILE.name


@pytest.fixture(scope="module")
def obs():
    return convert_12bs(read_pxweb_json(MAPS / FILE), DIVISION).set_index(
        ["indicator_id", "area_code", "period"])


def value(obs, indicator, area):
    return obs.loc[(indicator, area, 2025), "value"]


def test_published_shares_for_country_region_and_municipality(obs):
    assert value(obs, "tertiary_education_share", "SSS") == 34.5
    assert value(obs, "tertiary_education_share", "MK12") == number(FILE, "MK12", "kaste5T8osuus")
    assert value(obs, "upper_secondary_or_higher_share", "167") == number(FILE, "KU167",
                                                                          "kaste3T8osuus")
    assert value(obs, "no_post_basic_share", "422") == number(FILE, "KU422", "kaste0osuus")


@pytest.mark.parametrize("indicator, count", [("tertiary_education_share", "kaste5T8"),
                                              ("upper_secondary_or_higher_share", "kaste3T8"),
                                              ("no_post_basic_share", "kaste0")])
def test_subregions_are_summed_counts(obs, indicator, count):
    for sub, codes in MK12_SUBREGIONS.items():
        expected = (sum(number(FILE, f"KU{c}", count) for c in codes)
                    / sum(number(FILE, f"KU{c}", "vaesto_15_") for c in codes) * 100)
        assert value(obs, indicator, sub) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("count, share", [("kaste5T8", "kaste5T8osuus"),
                                          ("kaste3T8", "kaste3T8osuus"), ("kaste0", "kaste0osuus")])
def test_recomputed_share_equals_the_published_one_to_its_decimal(count, share):
    for area in ["MK12", *(f"KU{c}" for c in MK12_MUNICIPALITIES)]:
        recomputed = number(FILE, area, count) / number(FILE, area, "vaesto_15_") * 100
        assert round(recomputed, 1) == number(FILE, area, share), area
    total = sum(number(FILE, f"KU{c}", count) for c in MK12_MUNICIPALITIES)
    assert total == number(FILE, "MK12", count)


def test_education_level_index_is_published_only(obs):
    assert value(obs, "education_level_index", "MK12") == number(FILE, "MK12", "vktm")
    assert value(obs, "education_level_index", "SSS") == 403.2
    index = obs.xs("education_level_index")
    assert not index.index.get_level_values("area_code").str.startswith("SK").any()


def test_other_area_types_are_left_out(obs):
    assert "MA1" not in set(obs.index.get_level_values("area_code"))


def test_a_region_that_is_not_its_municipalities_sum_is_refused():
    doc = json.loads((MAPS / FILE).read_text(encoding="utf-8"))
    columns = [c["code"] for c in doc["columns"] if c["type"] == "c"]
    at = columns.index("kaste5T8")
    for row in doc["data"]:
        if row["key"][1] == "MK12":
            row["values"][at] = str(int(row["values"][at]) + 1)
    with pytest.raises(ConvertError, match="published kaste5T8 is not the sum .* MK12 2025"):
        convert_12bs(parse_pxweb_json(doc, FILE), DIVISION)

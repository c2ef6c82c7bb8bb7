import json

import pytest
from raw_excerpts import MAPS, MK12_MUNICIPALITIES, MK12_SUBREGIONS, number

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.pxweb_json import parse_pxweb_json, read_pxweb_json
from etl.convert.vaerak_11ra import RAW_FILE, convert_11ra, municipal_population, table_11ra
from indicators.regions import registry_frame, successors_frame

DIVISION = Division(registry_frame(), successors_frame())
FILE = RAW_FILE.name


@pytest.fixture(scope="module")
def table():
    return table_11ra(read_pxweb_json(MAPS / FILE), DIVISION)


def test_share_65_plus_and_mean_age_as_published(table):
    obs = convert_11ra(table).set_index(["indicator_id", "area_code", "period"])
    for area, code in (("SSS", "SSS"), ("MK12", "MK12"), ("SK124", "SK124"), ("167", "KU167")):
        assert obs.loc[("share_65_plus", area, 2025), "value"] == number(FILE, code,
                                                                          "vaesto_yli64_p")
        assert obs.loc[("mean_age", area, 2025), "value"] == number(FILE, code,
                                                                     "vaesto_keski_ika")
    assert obs.loc[("share_65_plus", "SSS", 2025), "value"] == 23.8
    assert not obs.index.get_level_values("area_code").isin(["HVA12", "MA1"]).any()


def test_published_populations_add_up_and_municipal_ones_feed_the_series(table):
    pop = municipal_population(table, DIVISION).set_index("code")["population"]
    assert sorted(pop.index) == sorted([*MK12_MUNICIPALITIES, "091"])
    assert pop["167"] == number(FILE, "KU167", "vaerak-vaesto")
    for sub, codes in MK12_SUBREGIONS.items():
        assert sum(pop[c] for c in codes) == number(FILE, sub, "vaerak-vaesto")
    assert sum(pop[c] for c in MK12_MUNICIPALITIES) == number(FILE, "MK12", "vaerak-vaesto")


def test_a_subregion_that_does_not_add_up_is_refused():
    doc = json.loads((MAPS / FILE).read_text(encoding="utf-8"))
    for row in doc["data"]:
        if row["key"][0] == "SK125":
            row["values"][0] = str(int(row["values"][0]) - 1)
    with pytest.raises(ConvertError, match="vaerak-vaesto is not the sum .* SK125 2025"):
        table_11ra(parse_pxweb_json(doc, FILE), DIVISION)

import pandas as pd
import pytest
from raw_excerpts import MAPS, number

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.pxweb_json import read_pxweb_json
from etl.convert.tjt_14ww import RAW_FILE, convert_14ww
from indicators.regions import registry_frame, successors_frame

DIVISION = Division(registry_frame(), successors_frame())
FILE = RAW_FILE.name


@pytest.fixture(scope="module")
def obs():
    return convert_14ww(read_pxweb_json(MAPS / FILE), DIVISION).set_index(
        ["indicator_id", "area_code", "period"])


@pytest.mark.parametrize("indicator, content", [
    ("low_income_rate", "rpt_aste"), ("child_low_income_rate", "rpt_l_aste"),
    ("persistent_low_income_rate", "pit_rpt_aste"), ("median_income", "tjt-ekvikturaha_med"),
    ("gini_coefficient", "gini_kturaha")])
def test_published_on_every_level(obs, indicator, content):
    for area, code in (("SSS", "SSS"), ("MK12", "MK12"), ("SK122", "SK122"), ("167", "KU167")):
        assert obs.loc[(indicator, area, 2024), "value"] == number(FILE, code, content)
    assert obs.loc[(indicator, area, 2024), "flag"] is None


def test_country_checks_from_sources_md(obs):
    assert obs.loc[("low_income_rate", "SSS", 2024), "value"] == 14.2
    assert obs.loc[("gini_coefficient", "SSS", 2024), "value"] == 28.4


def test_basic_security_share_is_a_ratio_of_published_counts(obs):
    for area, code in (("MK12", "MK12"), ("SK125", "SK125"), ("541", "KU541")):
        expected = number(FILE, code, "pt1_henkiloita") / number(FILE, code, "tjt-henkiloita")
        assert obs.loc[("basic_security_share", area, 2024), "value"] == pytest.approx(
            expected * 100, abs=1e-4)


def test_confidential_cells_are_empty_values_flagged(obs):
    # Brändö (035): rpt_l_aste and pt1_henkiloita are '...', rpt_aste is published
    for indicator in ("child_low_income_rate", "basic_security_share"):
        row = obs.loc[(indicator, "035", 2024)]
        assert pd.isna(row["value"]) and row["flag"] == "confidential"
    assert obs.loc[("low_income_rate", "035", 2024), "value"] == 9.8


def test_wellbeing_services_counties_are_left_out(obs):
    assert not obs.index.get_level_values("area_code").str.startswith("HVA").any()


def test_missing_content_is_a_clear_error():
    long = read_pxweb_json(MAPS / FILE)
    with pytest.raises(ConvertError, match=r"content codes missing \['gini_kturaha'\]"):
        convert_14ww(long.loc[long["content"] != "gini_kturaha"], DIVISION)

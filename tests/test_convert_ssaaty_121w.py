import pytest
from raw_excerpts import MAPS, MK12_MUNICIPALITIES, MK12_SUBREGIONS, number

from etl.convert.division import Division
from etl.convert.pxweb_json import read_pxweb_json
from etl.convert.ssaaty_121w import RAW_FILE, convert_121w
from indicators.regions import registry_frame, successors_frame

DIVISION = Division(registry_frame(), successors_frame())
FILE = RAW_FILE.name
COUNTS = {"natural_increase_per_1000": "ssaaty-luonvalisays",
          "net_internal_migration_per_1000": "ssaaty-vm43_netto",
          "net_immigration_per_1000": "ssaaty-vm4142"}


@pytest.fixture(scope="module")
def obs():
    return convert_121w(read_pxweb_json(MAPS / FILE), DIVISION).set_index(
        ["indicator_id", "area_code", "period"])


def per_1000(codes, content):
    return (sum(number(FILE, f"KU{c}", content) for c in codes)
            / sum(number(FILE, f"KU{c}", "ssaaty-vaesto") for c in codes) * 1000)


@pytest.mark.parametrize("indicator, content", COUNTS.items())
def test_regions_and_subregions_sum_their_municipalities(obs, indicator, content):
    assert obs.loc[(indicator, "MK12", 2025), "value"] == pytest.approx(
        per_1000(MK12_MUNICIPALITIES, content), abs=1e-4)
    for sub, codes in MK12_SUBREGIONS.items():
        assert obs.loc[(indicator, sub, 2025), "value"] == pytest.approx(
            per_1000(codes, content), abs=1e-4)
    assert obs.loc[(indicator, "167", 2025), "value"] == pytest.approx(
        per_1000(["167"], content), abs=1e-4)


def test_country_uses_its_own_row(obs):
    assert obs.loc[("natural_increase_per_1000", "SSS", 2025), "value"] == pytest.approx(
        -13377 / 5652881 * 1000, abs=1e-4)
    assert obs.loc[("net_internal_migration_per_1000", "SSS", 2025), "value"] == 0.0

from pathlib import Path

import pandas as pd
import pytest

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.eurostat import (
    FILES,
    RAW_DIR,
    enterprise_birth_rate,
    gdp_per_capita,
    natural_increase,
    nuts2021_population,
    parse_cell,
    population_density,
    read_eurostat,
)
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw" / RAW_DIR
DIVISION = Division(registry_frame(), successors_frame())


def series(obs):
    return obs.set_index(["area_code", "period"])


@pytest.mark.parametrize("cell, expected", [
    ("36600", (36600.0, None)), ("4700p", (4700.0, "p")), ("3.5e", (3.5, "e")),
    ("344016 p", (344016.0, "p")), ("18.1b", (18.1, "b")), (": ", (None, "missing")),
    (":", (None, "missing")), ("12 u", (12.0, None)),
])
def test_parse_cell(cell, expected):
    assert parse_cell(cell) == expected


def test_parse_cell_rejects_garbage():
    with pytest.raises(ConvertError):
        parse_cell("12,3x!")


def test_gdp_maps_nuts_2021_codes_and_keeps_missing():
    obs = series(gdp_per_capita(read_eurostat(RAW / FILES["gdp"]), DIVISION))
    assert obs.loc[("MK04", 2020), "value"] == 37400  # FI196 Satakunta
    assert obs.loc[("MK06", 2019), "value"] == 40100  # FI197 Pirkanmaa
    assert obs.loc[("MK12", 2000), "value"] == 19100  # FI1D3 Pohjois-Karjala
    assert obs.loc[("SSS", 2021), "value"] == 45400
    missing = obs.loc[("MK04", 2021)]
    assert pd.isna(missing["value"]) and missing["flag"] == "missing"
    assert set(obs.index.get_level_values("area_code")) == {"SSS", "MK04", "MK06", "MK12"}


def test_density_flags():
    obs = series(population_density(read_eurostat(RAW / FILES["density"]), DIVISION))
    assert obs.loc[("MK18", 2021), "value"] == 3.5
    assert obs.loc[("MK18", 2021), "flag"] == "e"
    assert obs.loc[("MK04", 2016), "flag"] == "b"
    assert obs.loc[("MK04", 2015), "flag"] is None


def test_enterprise_birth_rate_is_births_over_active():
    obs = series(enterprise_birth_rate(read_eurostat(RAW / FILES["business"]), DIVISION))
    assert obs.loc[("MK04", 2019), "value"] == pytest.approx(1116 / 14804 * 100, abs=1e-4)
    assert obs.loc[("SSS", 2020), "value"] == pytest.approx(34854 / 388087 * 100, abs=1e-4)
    assert obs.loc[("SSS", 2008), "flag"] == "missing"
    assert pd.isna(obs.loc[("MK18", 2012), "value"])  # FI1D8 starts in 2013
    assert "FI1D4" not in set(obs.index.get_level_values("area_code"))


def test_nuts2021_population_keeps_moved_municipality_in_old_region():
    pop = pd.DataFrame({"code": ["090", "541"], "period": 2019, "population": [3000.0, 9000.0]})
    moves = pd.DataFrame({"municipality_code": ["090"], "region_code_nuts2021": ["MK10"]})
    out = nuts2021_population(pop, DIVISION, moves).set_index(["area_code", "period"])
    assert out.loc[("MK10", 2019), "population"] == 3000
    assert out.loc[("MK12", 2019), "population"] == 9000
    assert out.loc[("SSS", 2019), "population"] == 12000


def test_natural_increase_per_1000():
    pop = pd.DataFrame({"area_code": ["MK04", "SSS"], "period": 2019,
                        "population": [216752.0, 5525292.0]})
    obs = series(natural_increase(read_eurostat(RAW / FILES["births"]),
                                  read_eurostat(RAW / FILES["deaths"]), pop, DIVISION))
    assert obs.loc[("MK04", 2019), "value"] == pytest.approx((1528 - 2781) / 216752 * 1000,
                                                              abs=1e-4)
    assert obs.loc[("SSS", 2019), "value"] == pytest.approx((45613 - 53949) / 5525292 * 1000,
                                                             abs=1e-4)
    assert len(obs) == 2  # only years and areas with a population


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConvertError, match="missing"):
        read_eurostat(tmp_path / "x.tsv.gz")

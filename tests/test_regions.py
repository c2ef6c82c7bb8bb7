import pandas as pd
import pytest

from indicators import regions
from indicators.regions import (
    RegistryError,
    areas_frame,
    codes,
    current_municipality,
    municipality_for_name,
    region_for_name,
    region_for_nuts,
    registry_frame,
    successors_frame,
    validate_registry,
)


def test_areas_frame_has_the_contract_columns():
    assert list(areas_frame().columns) == list(regions.AREA_COLUMNS)


def test_registry_is_valid():
    assert validate_registry(registry_frame()) == []


def test_levels_and_counts():
    areas = areas_frame()
    assert codes("country") == ["SSS"]
    region_codes = codes("region")
    assert len(region_codes) == 19
    assert "MK03" not in region_codes and "MK20" not in region_codes
    assert set(region_codes) == {f"MK{n:02d}" for n in range(1, 22)} - {"MK03", "MK20"}
    assert areas["code"].is_unique
    subs = areas.loc[areas.level == "subregion", "code"]
    assert subs.str.fullmatch(r"SK\d{3}").all()
    munis = areas.loc[areas.level == "municipality", "code"]
    assert munis.str.fullmatch(r"\d{3}").all()
    assert len(munis) == 308


def test_every_municipality_has_subregion_and_region_parents():
    areas = areas_frame().set_index("code")
    munis = areas.loc[areas.level == "municipality"]
    assert (munis["parent_code"].map(areas["level"]) == "subregion").all()
    assert (munis["region_code"].map(areas["level"]) == "region").all()
    assert (munis["parent_code"].map(areas["region_code"]) == munis["region_code"]).all()
    subs = areas.loc[areas.level == "subregion"]
    assert (subs["parent_code"].map(areas["level"]) == "region").all()


def test_names_in_three_languages_and_nuts_codes():
    areas = areas_frame()
    for lang in ("fi", "sv", "en"):
        assert areas[f"name_{lang}"].notna().all()
        assert (areas[f"name_{lang}"].str.strip() != "").all()
    uusimaa = areas.set_index("code").loc["MK01"]
    assert (uusimaa.name_fi, uusimaa.name_sv, uusimaa.name_en) == ("Uusimaa", "Nyland", "Uusimaa")
    regs = areas.loc[areas.level == "region"]
    assert regs["nuts3_code"].str.fullmatch(r"FI(1[9BCD][0-9A-F]|200)").all()
    assert regs["nuts3_code"].is_unique


def test_validate_registry_catches_broken_rows():
    broken = registry_frame()
    broken.loc[broken.code == "214", "parent_code"] = "MK04"  # a region, not a sub-region
    broken.loc[broken.code == "005", "name_sv"] = None
    broken = pd.concat([broken, broken.loc[broken.code == "091"]])
    problems = "\n".join(validate_registry(broken))
    assert "214: parent 'MK04' is not a subregion" in problems
    assert "005: empty name_sv" in problems
    assert "duplicate codes: ['091']" in problems


def test_successors_cover_mergers_since_2015():
    succ = successors_frame().set_index("old_code")
    assert succ.loc["099", "successor_code"] == "214"  # Honkajoki -> Kankaanpää
    assert succ.loc["099", "merger_year"] == 2021
    assert succ.loc["911", "successor_code"] == "541"  # Valtimo -> Nurmes
    assert succ.loc["588", "successor_code"] == "507"  # Pertunmaa -> Mäntyharju
    assert set(succ["successor_code"]) <= set(codes("municipality"))
    assert not set(succ.index) & set(codes("municipality"))


def test_current_municipality_follows_mergers():
    assert current_municipality("099") == "214"
    assert current_municipality(99) == "214"
    assert current_municipality("532") == "398"  # Nastola -> Lahti
    assert current_municipality(5) == "005"
    with pytest.raises(RegistryError):
        current_municipality("999")
    with pytest.raises(RegistryError):
        current_municipality("abc")


def test_name_lookup_handles_merged_and_bilingual_names():
    assert municipality_for_name("Honkajoki") == "214"
    assert municipality_for_name("Valtimo") == "541"
    assert municipality_for_name("Maarianhamina - Mariehamn") == "478"
    assert municipality_for_name("Helsingfors") == "091"
    with pytest.raises(RegistryError):
        municipality_for_name("Atlantis")


def test_region_lookups():
    assert region_for_name("Lappland") == "MK19"
    assert region_for_nuts("FI197") == "MK06"  # NUTS 2021 Pirkanmaa
    assert region_for_nuts("FI19B") == "MK06"  # NUTS 2024 Pirkanmaa
    with pytest.raises(RegistryError):
        region_for_nuts("SE110")


def test_resolve_successors_follows_chains_and_refuses_cycles():
    chain = pd.DataFrame({"old_code": ["001", "002"], "successor_code": ["002", "003"]})
    assert regions.resolve_successors(chain) == {"001": "003", "002": "003"}
    cycle = pd.DataFrame({"old_code": ["001", "002"], "successor_code": ["002", "001"]})
    with pytest.raises(RegistryError, match="cycle"):
        regions.resolve_successors(cycle)

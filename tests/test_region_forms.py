"""indicators/region_forms.toml: the inflected names of the country and the regions."""

import pytest

from indicators import regions


def test_every_region_has_its_forms_in_every_language():
    forms = regions.region_forms()
    registry = regions.registry_frame()
    wanted = set(registry.loc[registry["level"].isin(["country", "region"]), "code"])
    assert set(forms) == wanted and len(wanted) == 20
    assert forms["MK19"]["fi"] == {"nom": "Lappi", "gen": "Lapin", "loc": "Lapissa"}
    assert forms["MK01"]["fi"]["loc"] == "Uudellamaalla"
    assert forms["MK12"]["sv"]["gen"] == "Norra Karelens"
    assert forms["MK10"]["sv"]["gen"] == "Södra Savolax"  # no genitive s after -x
    assert forms["MK02"]["en"]["gen"] == "Southwest Finland's"


def test_validation_names_every_problem():
    registry = regions.registry_frame()
    data = {"forms": {"fi": ["nom", "gen"], "sv": ["nom"], "en": ["nom"]},
            "area": {code: {"fi": {"nom": n, "gen": n + "n"}, "sv": {"nom": s}, "en": {"nom": e}}
                     for code, n, s, e in zip(registry["code"], registry["name_fi"],
                                              registry["name_sv"], registry["name_en"],
                                              strict=True)
                     if code in set(registry.loc[registry["level"].isin(
                         ["country", "region"]), "code"])}}
    assert regions.validate_region_forms(data, registry) == []
    data["area"]["MK19"]["fi"]["nom"] = "Lapland"
    del data["area"]["MK01"]["fi"]["gen"]
    data["area"]["MK02"]["fi"]["abl"] = "x"
    data["area"]["MK04"]["sv"]["nom"] = " "
    data["area"]["SK011"] = {}
    del data["area"]["MK05"]
    problems = regions.validate_region_forms(data, registry)
    assert any("MK19 fi: nom 'Lapland'" in p for p in problems)
    assert "MK01 fi: missing form 'gen'" in problems
    assert "MK02 fi: unknown form 'abl'" in problems
    assert any(p.startswith("MK04 sv: empty form 'nom'") for p in problems)
    assert "SK011: not a country or region of the registry" in problems
    assert "MK05: no forms" in problems


def test_a_broken_file_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "forms.toml"
    path.write_text('[forms]\nfi = ["nom"]\nsv = ["nom"]\nen = ["nom"]\n[area.MK19]\n'
                    'fi = { nom = "Lappi" }\n', encoding="utf-8")
    with pytest.raises(regions.RegistryError, match="SSS: no forms"):
        regions.region_forms(path)

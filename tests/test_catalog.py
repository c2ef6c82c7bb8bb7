import copy

import pytest

from indicators.catalog import (
    CatalogError,
    catalog_frame,
    dimension_ids,
    load_catalog,
    load_dimensions,
    validate_catalog,
)

DIMENSIONS = ("saavutettavuus", "hyvinvointi", "osaaminen", "elinymparisto",
              "elinkeinot_tyollisyys", "turvallisuus")


def test_six_dimensions_in_order_with_three_languages():
    assert dimension_ids() == DIMENSIONS
    for dim in load_dimensions():
        assert set(dim["label"]) == {"fi", "sv", "en"}
        assert all(dim["label"].values())


def test_catalog_is_valid_and_covers_every_dimension():
    entries = load_catalog()
    assert validate_catalog(list(entries), dimension_ids()) == []
    per_dim = catalog_frame().groupby("dimension").size()
    assert set(per_dim.index) == set(DIMENSIONS)
    assert per_dim.min() >= 2


def good_entry():
    return copy.deepcopy(dict(load_catalog()[0]))


@pytest.mark.parametrize("mutate, expected", [
    (lambda e: e.update(dimension="hyvinvoinit"), "dimension 'hyvinvoinit'"),
    (lambda e: e.update(direction="higher"), "direction 'higher'"),
    (lambda e: e["label"].pop("sv"), "'label' must have exactly the languages"),
    (lambda e: e["description"].update(en="  "), "'description' has an empty text"),
    (lambda e: e.pop("unit"), "missing field 'unit'"),
    (lambda e: e.update(valid_range=[5, 1]), "valid_range"),
    (lambda e: e["source"].pop("licence"), "source lacks 'licence'"),
    (lambda e: e.update(key="yes"), "key must be true or false"),
    (lambda e: e.update(lable={"fi": "x"}), "unknown field 'lable'"),
])
def test_validation_catches_typos(mutate, expected):
    entry = good_entry()
    mutate(entry)
    problems = validate_catalog([entry], dimension_ids())
    assert any(expected in p for p in problems), problems


def test_duplicate_ids_are_rejected():
    entry = good_entry()
    problems = validate_catalog([entry, copy.deepcopy(entry)], dimension_ids())
    assert any("duplicate id" in p for p in problems)


def test_load_catalog_raises_on_invalid_file(tmp_path):
    bad = tmp_path / "catalog.toml"
    bad.write_text('[[indicator]]\nid = "x"\ndimension = "nope"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="dimension 'nope'"):
        load_catalog(bad)


def test_scored_must_be_boolean_and_defaults_to_true():
    entry = good_entry()
    entry.pop("scored", None)
    assert validate_catalog([entry], dimension_ids()) == []
    entry["scored"] = "no"
    assert any("scored must be true or false" in p
               for p in validate_catalog([entry], dimension_ids()))
    assert catalog_frame()["scored"].dtype == bool

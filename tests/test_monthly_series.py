import copy

import pytest

from indicators.monthly import (
    load_series,
    month_code,
    parse_month,
    series_frame,
    validate_series,
)


def test_bundled_series_are_valid_with_unique_codes():
    entries = load_series()
    assert validate_series(list(entries)) == []
    frame = series_frame()
    assert frame["id"].is_unique and frame["code"].is_unique
    assert {"unemployed", "labour_force", "open_vacancies"} <= set(frame["id"])
    assert set(frame.columns) >= {"label_fi", "label_sv", "label_en", "unit_fi", "table_id"}


@pytest.mark.parametrize("mutate, expected", [
    (lambda e: e.pop("code"), "missing 'code'"),
    (lambda e: e.update(id="Työttömät"), "snake_case"),
    (lambda e: e.update(decimals="0"), "decimals"),
    (lambda e: e["label"].update(sv=""), "'label' needs"),
    (lambda e: e.update(colour="red"), "unknown field 'colour'"),
])
def test_validation_names_the_problem(mutate, expected):
    entry = copy.deepcopy(dict(load_series()[0]))
    mutate(entry)
    assert any(expected in p for p in validate_series([entry]))


def test_duplicate_ids_are_refused():
    entry = copy.deepcopy(dict(load_series()[0]))
    assert any("duplicate" in p for p in validate_series([entry, entry]))


@pytest.mark.parametrize("code, expected", [
    ("2026-06", (2026, 6)), ("2026M06", (2026, 6)), (" 2006-01 ", (2006, 1)),
    ("2026-13", None), ("2026M6", None), ("2026", None), ("", None),
])
def test_parse_month(code, expected):
    assert parse_month(code) == expected


def test_month_code_pads_and_checks():
    assert month_code(2026, 6) == "2026-06"
    with pytest.raises(ValueError):
        month_code(2026, 0)

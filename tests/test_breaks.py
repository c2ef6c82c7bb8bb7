import copy

import pytest

from indicators.breaks import BREAK_COLUMNS, breaks_frame, load_breaks, validate_breaks
from indicators.catalog import load_catalog

IDS = {e["id"] for e in load_catalog()}


def good():
    return copy.deepcopy(dict(load_breaks()[0]))


def test_bundled_breaks_are_valid_and_expand_per_level():
    entries = load_breaks()
    assert validate_breaks(list(entries), IDS) == []
    frame = breaks_frame()
    assert list(frame.columns) == BREAK_COLUMNS
    first = entries[0]
    rows = frame[(frame["indicator_id"] == first["indicator"])
                 & (frame["period"] == first["period"])]
    assert set(rows["level"]) == set(first.get("levels",
                                               ["country", "region", "subregion", "municipality"]))


def test_levels_restrict_the_rows():
    entry = good()
    entry["levels"] = ["region"]
    frame = breaks_frame((entry,))
    assert list(frame["level"]) == ["region"]


@pytest.mark.parametrize("mutate, expected", [
    (lambda e: e.update(indicator="offences_per_100"), "unknown indicator"),
    (lambda e: e.update(period="2020"), "period must be a year"),
    (lambda e: e.update(kind="jump"), "kind 'jump'"),
    (lambda e: e["reason"].pop("sv"), "reason needs"),
    (lambda e: e.update(evidence=" "), "evidence"),
    (lambda e: e.update(levels=["county"]), "levels"),
    (lambda e: e.update(note="x"), "unknown field 'note'"),
])
def test_validation_names_the_problem(mutate, expected):
    entry = good()
    mutate(entry)
    problems = validate_breaks([entry], IDS)
    assert any(expected in p for p in problems), problems


def test_a_second_break_for_the_same_year_and_level_is_refused():
    problems = validate_breaks([good(), good()], IDS)
    assert any("second break" in p for p in problems)

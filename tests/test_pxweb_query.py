import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.pxweb_query import (
    build_query,
    count_cells,
    split_selection,
)

FIX = Path(__file__).parent / "fixtures" / "pxweb"


def test_build_query_matches_a_real_statfin_query_body():
    recorded = json.loads((FIX / "pxwebpy_query_vaerak_11rc_sv.json").read_text("utf-8"))
    selection = {q["code"]: q["selection"]["values"] for q in recorded["query"]["query"]}
    assert build_query(selection, "json-stat2") == recorded["query"]
    # by default the API is asked for its own json export, the recorded responses' format
    assert build_query(selection)["response"] == {"format": "json"}
    assert build_query(selection)["query"] == recorded["query"]["query"]


def test_count_cells():
    assert count_cells({"a": ["1", "2"], "b": ["x", "y", "z"]}) == 6
    assert count_cells({"a": ["1"]}) == 1


def cells(selection):
    out = [()]
    for values in selection.values():
        out = [c + (v,) for c in out for v in values]
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=1, max_size=4), st.integers(1, 60))
def test_split_stays_under_the_limit_and_covers_every_cell_once(sizes, limit):
    selection = {f"v{i}": [f"{i}-{j}" for j in range(n)] for i, n in enumerate(sizes)}
    parts = split_selection(selection, limit)
    for part in parts:
        assert list(part) == list(selection)  # variable order kept
        assert count_cells(part) <= limit or all(len(v) == 1 for v in part.values())
    got = [c for part in parts for c in cells(part)]
    assert sorted(got) == sorted(cells(selection))
    assert len(got) == len(set(got))


def test_split_cuts_the_largest_variable_first_and_keeps_order():
    selection = {"area": [f"KU{i:03d}" for i in range(300)], "year": ["2014", "2015"],
                 "contents": ["a", "b"]}
    parts = split_selection(selection, 500)
    assert [len(p["area"]) for p in parts] == [125, 125, 50]
    assert all(p["year"] == ["2014", "2015"] for p in parts)
    assert [a for p in parts for a in p["area"]] == selection["area"]


def test_keep_whole_variables_are_cut_last():
    selection = {"area": ["1", "2", "3"], "contents": ["a", "b", "c", "d"]}
    parts = split_selection(selection, 4, keep_whole=("contents",))
    assert all(p["contents"] == ["a", "b", "c", "d"] for p in parts)
    assert len(parts) == 3


def test_split_rejects_a_zero_limit():
    with pytest.raises(ValueError):
        split_selection({"a": ["1"]}, 0)

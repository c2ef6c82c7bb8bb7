import copy

import pytest

from indicators.catalog import (
    catalog_frame,
    dimension_ids,
    is_scored,
    load_catalog,
    validate_catalog,
)


def test_every_indicator_has_a_live_source_and_each_dimension_five():
    entries = load_catalog()
    # the context indicators of issue 9 (scored = false) get their live blocks from the ETL work
    assert all("live" in e for e in entries if is_scored(e))
    assert len(entries) >= 30
    per_dim = catalog_frame().dropna(subset=["live_kind"]).groupby("dimension").size()
    assert set(per_dim.index) == set(dimension_ids())
    assert per_dim.min() >= 5


def entry(kind):
    e = next(e for e in load_catalog() if e["live"]["kind"] == kind)
    return copy.deepcopy(dict(e))


@pytest.mark.parametrize("kind, mutate, expected", [
    ("pxweb", lambda live: live.update(kind="px"), "kind 'px'"),
    ("pxweb", lambda live: live.pop("area"), "lacks 'area'"),
    ("pxweb", lambda live: live.update(table="vaerak/11ra"), "folder/id.px"),
    ("pxweb", lambda live: live.update(select={"sukupuoli": ["SSS"]}), "single value codes"),
    ("pxweb", lambda live: (live.update(derive="ratio"), live.pop("denominator")),
     "needs a denominator"),
    ("pxweb", lambda live: live.update(levels=["county"]), "levels must be"),
    ("pxweb", lambda live: live.update(areas=["MK*"]), "unknown key 'areas'"),
    ("pxweb", lambda live: live.update(since="2010"), "'since' has the wrong type"),
    ("sotkanet", lambda live: live.update(indicator="3099"), "'indicator' has the wrong type"),
    ("sotkanet", lambda live: live.pop("title_contains"), "lacks 'title_contains'"),
    ("sotkanet", lambda live: live.update(database="StatFin"), "unknown key 'database'"),
    ("sotkanet", lambda live: live.update(derive="sum"), "derive 'sum'"),
])
def test_live_block_typos_are_caught(kind, mutate, expected):
    e = entry(kind)
    mutate(e["live"])
    problems = validate_catalog([e], dimension_ids())
    assert any(expected in p and p.startswith(f"{e['id']}: live:") for p in problems), problems

import numpy as np
import pandas as pd

from etl.merge import (
    describe_revisions,
    replace_monthly,
    replace_observations,
    replace_source,
    revisions,
)


def obs(rows, source):
    return pd.DataFrame([{"indicator_id": i, "area_code": a, "period": p, "value": v,
                          "flag": None, "source_id": source} for i, a, p, v in rows])


def test_a_load_replaces_its_own_rows_and_overlapping_keys_only():
    old = pd.concat([obs([("x", "091", 2019, 1.0), ("x", "091", 2020, 2.0)], "snap"),
                     obs([("x", "049", 2018, 5.0)], "live:x")], ignore_index=True)
    new = obs([("x", "091", 2020, 2.5), ("x", "091", 2021, 3.0)], "live:x")
    out = replace_observations(old, new, "live:x").set_index(["area_code", "period"])
    assert out.loc[("091", 2019), "source_id"] == "snap"          # kept
    assert out.loc[("091", 2020), "value"] == 2.5                  # replaced
    assert ("049", 2018) not in out.index                          # the source's old row gone
    assert len(out) == 3


def test_monthly_and_sources_are_replaced_by_key():
    old = pd.DataFrame({"series_id": ["unemployed"], "area_code": ["SSS"], "month": ["2023-10"],
                        "value": [1.0], "flag": [None], "source_id": ["snap"]})
    new = old.assign(value=[2.0], source_id=["live:m"])
    out = replace_monthly(old, new, "live:m")
    assert out["value"].tolist() == [2.0]
    sources = pd.DataFrame([{"source_id": "a", "title": "old"}])
    assert replace_source(sources, {"source_id": "a", "title": "new"})["title"].tolist() == [
        "new"]
    assert len(replace_source(sources, {"source_id": "b", "title": "x"})) == 2


def test_revisions_list_changed_appeared_and_vanished_values():
    old = obs([("x", "091", 2024, 14.1), ("x", "049", 2024, 9.0), ("x", "092", 2024, np.nan),
               ("x", "005", 2024, 7.0)], "snap")
    new = obs([("x", "091", 2024, 14.3), ("x", "049", 2024, 9.0), ("x", "092", 2024, 3.0),
               ("x", "005", 2024, np.nan), ("x", "010", 2024, 1.0)], "live:x")
    rev = revisions(old, new)
    assert sorted(rev["area_code"]) == ["005", "091", "092"]
    text = describe_revisions(rev.sort_values("area_code"))
    assert text.startswith("revised 3 published figures: 005 2024 7 → none, 091 2024 14.1 → 14.3")
    assert describe_revisions(revisions(old, old)) == ""

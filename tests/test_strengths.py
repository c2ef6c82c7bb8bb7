import math

import pandas as pd
import pytest

from indicators.scoring import ScoreResult
from indicators.strengths import (
    EXTREME_COLUMNS,
    SW_COLUMNS,
    classify,
    extremes,
    stored_strengths,
    strengths_weaknesses,
)

NAN = float("nan")


def result():
    dims = []
    for area, scores in {"MK01": (70, 40, 55), "SSS": (55, 55, 50), "MK02": (58, 52, 60),
                         "MK03": (62, 48, 40)}.items():
        for dim, score in zip(("osaaminen", "hyvinvointi", "turvallisuus"), scores, strict=True):
            dims.append({"area_code": area, "period": 2021, "dimension": dim, "score": score})
        dims.append({"area_code": area, "period": 2021, "dimension": "overall", "score": 90.0})
    inds = [{"indicator_id": i, "area_code": a, "period": 2021, "score": s, "value": v,
             "value_period": p}
            for i, a, s, v, p in [("i1", "MK01", 90, 19.0, 2021), ("i1", "SSS", 60, 14.2, 2021),
                                  ("i1", "MK02", 85, 18.0, 2021), ("i1", "MK03", 70, 16.0, 2021),
                                  ("i2", "MK01", 20, 3.5, 2019), ("i2", "SSS", 40, 2.5, 2020),
                                  ("i3", "MK01", 50, 7.0, 2021)]]
    return ScoreResult(pd.DataFrame(inds), pd.DataFrame(dims))


def test_classify_rule_hand_computed():
    assert classify(70, 55, 60, threshold=10) == ("strength", 10.0, "country_and_peers:10")
    assert classify(70, 55, 60, threshold=12)[0] is None
    assert classify(70, 55, 60, threshold=12)[2] == "country_and_peers:12"
    assert classify(40, 55, 50) == ("weakness", -10.0, "country_and_peers:10")
    assert classify(69.9, 55, 60)[0] is None
    assert classify(20, 40, NAN) == ("weakness", -20.0, "country:10")
    assert classify(20, NAN, NAN)[0] is None
    assert classify(NAN, 40, 40)[0] is None


def test_strengths_and_weaknesses_with_peers():
    frame = strengths_weaknesses(result(), "MK01", 2021, peer_codes=("MK02", "MK03"))
    assert list(frame.columns) == SW_COLUMNS
    rows = [tuple(r) for r in frame[["kind", "level", "id", "gap", "rule"]].itertuples(index=False)]
    assert rows == [
        ("strength", "dimension", "osaaminen", 10.0, "country_and_peers:10"),
        ("strength", "indicator", "i1", 12.5, "country_and_peers:10"),
        ("weakness", "dimension", "hyvinvointi", -10.0, "country_and_peers:10"),
        ("weakness", "indicator", "i2", -20.0, "country:10"),
    ]
    i1 = frame[frame.id == "i1"].iloc[0]
    assert (i1.score, i1.country_score, i1.peer_score) == (90, 60, pytest.approx(77.5))
    assert math.isnan(frame[frame.id == "i2"].iloc[0].peer_score)
    assert "overall" not in set(frame.id)


def test_without_peers_the_country_decides():
    frame = strengths_weaknesses(result(), "MK01", 2021)
    osaaminen = frame[frame.id == "osaaminen"].iloc[0]
    assert (osaaminen.kind, osaaminen.gap, osaaminen.rule) == ("strength", 15.0, "country:10")


def test_unknown_area_or_empty_year():
    with pytest.raises(ValueError, match="not among the scored areas"):
        strengths_weaknesses(result(), "MK99", 2021)
    with pytest.raises(ValueError, match="peer"):
        strengths_weaknesses(result(), "MK01", 2021, peer_codes=["XX"])
    assert strengths_weaknesses(result(), "MK01", 1999).empty


def test_stored_strengths_drops_unscored_peers_and_areas():
    r = result()
    direct = strengths_weaknesses(r, "MK01", 2021, peer_codes=("MK02",))
    stored = stored_strengths(r.dimension_scores, r.indicator_scores, "MK01", 2021,
                              peer_codes=("MK02", "MK99"))
    pd.testing.assert_frame_equal(stored, direct)
    assert not stored.empty
    nothing = stored_strengths(r.dimension_scores, r.indicator_scores, "MK01", 2020, ("MK02",))
    assert nothing.empty and list(nothing.columns) == SW_COLUMNS
    missing = stored_strengths(r.dimension_scores, r.indicator_scores, "MK21", 2021)
    assert missing.empty
    with pytest.raises(ValueError, match="MK99"):
        strengths_weaknesses(r, "MK01", 2021, peer_codes=("MK99",))


def test_indicator_rows_carry_values_years_and_ranks():
    frame = strengths_weaknesses(result(), "MK01", 2021, peer_codes=("MK02", "MK03"))
    i1 = frame[frame.id == "i1"].iloc[0]
    assert (i1.value, i1.value_period, i1.country_value) == (19.0, 2021, 14.2)
    assert (i1["rank"], i1.n_ranked) == (1, 3)              # 90 of 90, 85, 70
    i2 = frame[frame.id == "i2"].iloc[0]
    assert (i2.value, i2.value_period, i2.country_value) == (3.5, 2019, 2.5)
    assert (i2["rank"], i2.n_ranked) == (1, 1)
    osaaminen = frame[frame.id == "osaaminen"].iloc[0]
    assert (osaaminen["rank"], osaaminen.n_ranked) == (1, 3)      # 70 of 70, 58, 62
    assert pd.isna(osaaminen.value) and pd.isna(osaaminen.value_period)


def test_stored_ranks_are_used_as_published():
    r = result()
    dims = r.dimension_scores.assign(rank=7, n_ranked=18)
    frame = stored_strengths(dims, r.indicator_scores, "MK01", 2021)
    row = frame[frame.id == "osaaminen"].iloc[0]
    assert (row["rank"], row.n_ranked) == (7, 18)


def test_extremes_name_the_best_and_worst_even_below_the_threshold():
    r = result()
    got = extremes(r.dimension_scores, r.indicator_scores, "MK02", 2021)
    assert list(got.columns) == EXTREME_COLUMNS
    rows = {(k, lvl): (i, rank, n) for k, lvl, i, rank, n in
            got[["kind", "level", "id", "rank", "n_ranked"]].itertuples(index=False)}
    # MK02: osaaminen 58 (3rd of 3), hyvinvointi 52 (1st), turvallisuus 60 (1st, higher score)
    assert rows[("best", "dimension")] == ("turvallisuus", 1, 3)
    assert rows[("worst", "dimension")] == ("osaaminen", 3, 3)
    # one indicator only: its best row, no worst row
    assert rows[("best", "indicator")] == ("i1", 2, 3)
    assert ("worst", "indicator") not in rows
    best = got[(got.kind == "best") & (got.level == "indicator")].iloc[0]
    assert (best.value, best.value_period, best.country_value) == (18.0, 2021, 14.2)
    assert extremes(r.dimension_scores, r.indicator_scores, "MK02", 1999).empty
    assert extremes(r.dimension_scores, r.indicator_scores, "MK99", 2021).empty

import math

import pandas as pd
import pytest

from etl.convert.aggregate import (
    change_pct,
    coverage_filter,
    prefer_published,
    rate_from_counts,
    rollup,
    to_today,
    weighted_mean,
)
from etl.convert.errors import ConvertError

# a tiny division: two sub-regions in MK04, one in MK12
PARENTS = pd.DataFrame({
    "code": ["214", "181", "541", "422"],
    "subregion_code": ["SK044", "SK044", "SK125", "SK125"],
    "region_code": ["MK04", "MK04", "MK12", "MK12"],
})
SUCCESSORS = {"099": "214", "911": "541"}
CURRENT = set(PARENTS["code"])


def value(frame, area, period=2016, column="value"):
    hit = frame.loc[(frame.area_code == area) & (frame.period == period), column]
    assert len(hit) == 1, (area, period, hit)
    return float(hit.iloc[0])


def test_to_today_maps_merged_codes_and_rejects_unknown():
    frame = pd.DataFrame({"code": ["099", "214", None], "period": 2016, "n": [1, 2, 3]})
    out = to_today(frame, SUCCESSORS, CURRENT)
    assert out["code"].tolist()[:2] == ["214", "214"]
    assert pd.isna(out["code"].iloc[2])
    with pytest.raises(ConvertError, match="123"):
        to_today(pd.DataFrame({"code": ["123"], "period": [2016]}), SUCCESSORS, CURRENT)


def test_rollup_puts_merged_municipality_into_successor_subregion_region():
    # Honkajoki (099) offences land in Kankaanpää (214), SK044 and MK04
    frame = pd.DataFrame({"code": ["099", "214", "181", "911", "541"], "period": 2016,
                          "n": [10.0, 100.0, 7.0, 3.0, 50.0]})
    rolled = rollup(to_today(frame, SUCCESSORS, CURRENT), ["n"], PARENTS)
    assert value(rolled, "214", column="n") == 110
    assert value(rolled, "214", column="n_parts") == 2
    assert value(rolled, "181", column="n_parts") == 1
    assert value(rolled, "SK044", column="n") == 117
    assert value(rolled, "MK04", column="n") == 117
    assert value(rolled, "MK12", column="n") == 53
    assert value(rolled, "SSS", column="n") == 170
    assert set(rolled.level) == {"municipality", "subregion", "region", "country"}


def test_rollup_unknown_area_counts_only_in_country_and_nan_propagates():
    frame = pd.DataFrame({"code": ["214", None, "541"], "period": 2016, "n": [1.0, 5.0, None]})
    rolled = rollup(frame, ["n"], PARENTS)
    assert value(rolled, "MK04", column="n") == 1
    assert math.isnan(value(rolled, "MK12", column="n"))
    assert math.isnan(value(rolled, "SSS", column="n"))
    frame2 = frame.assign(n=[1.0, 5.0, 2.0])
    assert value(rollup(frame2, ["n"], PARENTS), "SSS", column="n") == 8


def test_rate_from_counts_matches_hand_computation():
    frame = pd.DataFrame({"code": ["214", "181", "541"], "period": 2016,
                          "offences": [1018.0, 127.0, 400.0], "pop": [12394.0, 1682.0, 9000.0]})
    out = rate_from_counts(frame, "offences", "pop", PARENTS, scale=1000.0)
    assert value(out, "SK044") == pytest.approx((1018 + 127) / (12394 + 1682) * 1000)
    assert value(out, "SSS") == pytest.approx((1018 + 127 + 400) / (12394 + 1682 + 9000) * 1000)
    # not the mean of the municipal rates
    mean_of_rates = (1018 / 12394 + 127 / 1682) / 2 * 1000
    assert value(out, "SK044") != pytest.approx(mean_of_rates)


def test_rate_with_zero_denominator_is_nan():
    frame = pd.DataFrame({"code": ["214"], "period": [2016], "a": [1.0], "b": [0.0]})
    assert math.isnan(value(rate_from_counts(frame, "a", "b", PARENTS), "214"))


def test_weighted_mean_by_population():
    frame = pd.DataFrame({"code": ["099", "214"], "period": 2016, "rate": [44.6, 72.4],
                          "pop": [1759.0, 11637.0]})
    out = weighted_mean(to_today(frame, SUCCESSORS, CURRENT), "rate", "pop", PARENTS)
    expected = (44.6 * 1759 + 72.4 * 11637) / (1759 + 11637)
    assert value(out, "214") == pytest.approx(expected)
    assert value(out, "MK04") == pytest.approx(expected)


def test_prefer_published_only_for_single_source_municipalities():
    frame = pd.DataFrame({"code": ["214", "214", "181"], "period": 2016,
                          "a": [1.0, 2.0, 1.0], "b": [3.0, 3.0, 3.0]})
    rolled = rate_from_counts(frame, "a", "b", PARENTS, scale=100.0)
    published = pd.DataFrame({"code": ["214", "214", "181"], "period": 2016,
                              "rate": [33.3, 66.7, 33.3]})
    out = prefer_published(rolled, published, "rate")
    assert value(out, "181") == 33.3  # published, not 33.333…
    assert value(out, "214") == pytest.approx(50.0)  # merged: recomputed
    assert value(out, "SK044") == pytest.approx(4 / 9 * 100)


def test_coverage_filter_drops_thin_aggregates():
    pop = pd.DataFrame({"code": ["214", "181", "541", "422"], "period": 2019,
                        "population": [95.0, 5.0, 50.0, 50.0]})
    covered = rollup(pop.loc[pop.code != "422"], ["population"], PARENTS)
    total = rollup(pop, ["population"], PARENTS)
    rolled = covered.assign(value=1.0)
    out = coverage_filter(rolled, covered, total, "population", 0.97)
    kept = set(out.area_code)
    assert {"214", "181", "541", "SK044", "MK04"} <= kept
    assert "SK125" not in kept and "MK12" not in kept  # 50 % covered
    assert "SSS" not in kept  # 150 / 200


def test_change_pct_needs_consecutive_years():
    frame = pd.DataFrame({"area_code": ["A"] * 3 + ["B"] * 2,
                          "period": [2010, 2011, 2013, 2010, 2011],
                          "n": [100.0, 110.0, 121.0, 50.0, 40.0]})
    out = change_pct(frame, "n")
    assert value(out, "A", 2011) == pytest.approx(10.0)
    assert value(out, "B", 2011) == pytest.approx(-20.0)
    assert out.loc[out.area_code == "A", "period"].tolist() == [2011]

"""Changes are shown only where comparable: hand-built cases and an independent re-computation."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.scoring import score_panel

NAN = float("nan")
REGIONS = ["MK01", "MK02", "MK03"]
AREAS = pd.DataFrame({"code": [*REGIONS, "SSS"], "level": ["region"] * 3 + ["country"],
                      "sort_order": [1, 2, 3, 0]})
IDS = ["x", "y", "z"]
INDICATORS = pd.DataFrame({"id": IDS, "dimension": ["turvallisuus"] * 3,
                           "direction": ["higher_better"] * 3})
# goalposts 0..100: an indicator's score is its value, so every change can be checked by hand
GOALPOSTS = pd.DataFrame({"indicator_id": IDS, "low": 0.0, "high": 100.0, "scale": "linear"})
NO_BREAKS = pd.DataFrame(columns=["indicator_id", "period", "level", "kind"])


def frame(values):
    """{(indicator, year): value or [values per region]} -> observations of all areas."""
    rows = []
    for (ind, year), value in values.items():
        per_area = value if isinstance(value, list) else [value] * 4
        for area, x in zip([*REGIONS, "SSS"], per_area, strict=True):
            rows.append((ind, area, year, x, None))
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "period", "value", "flag"])


def breaks(*rows):
    return pd.DataFrame([(i, p, level, kind) for i, p, kind in rows
                         for level in ("region", "country")],
                        columns=["indicator_id", "period", "level", "kind"])


def row(values, year=2021, area="MK01", dimension="turvallisuus", brk=NO_BREAKS,
        indicators=INDICATORS):
    dims = score_panel(frame(values), indicators, AREAS, breaks=brk,
                       goalposts=GOALPOSTS).dimension_scores
    found = dims[(dims.period == year) & (dims.area_code == area) & (dims.dimension == dimension)]
    return found.iloc[0]


def test_a_comparable_change_is_the_difference_on_the_same_indicators():
    got = row({("x", 2020): 10, ("y", 2020): 20, ("z", 2020): 30,
               ("x", 2021): 16, ("y", 2021): 20, ("z", 2021): 33})
    assert got.change_1y == pytest.approx((6 + 0 + 3) / 3) and got.change_1y_note is None
    assert (got.n_indicators, got.n_expected, got.n_carried) == (3, 3, 0)


COUNTRY_ONLY = [NAN, NAN, NAN, 10.0]      # a 2021 figure of the country only: 2021 exists


def test_carried_forward_values_are_no_new_data_never_zero():
    got = row({("x", 2020): 10, ("y", 2020): 20, ("z", 2020): 30, ("x", 2021): COUNTRY_ONLY})
    assert math.isnan(got.change_1y) and got.change_1y_note == "no_new_data"
    assert got.score == pytest.approx(20.0)
    assert (got.n_carried, got.newest_period, got.oldest_period) == (3, 2020, 2020)


def test_a_new_value_beside_carried_ones_is_a_real_change():
    got = row({("x", 2020): 10, ("y", 2020): 20, ("z", 2020): 30, ("x", 2021): 19})
    assert got.change_1y == pytest.approx(9 / 3) and got.change_1y_note is None
    assert (got.n_carried, got.newest_period, got.oldest_period) == (2, 2021, 2020)


def test_a_joined_indicator_is_not_a_change():
    # 2020 has x only (the dimension rests on one indicator); 2021 adds y and z
    got = row({("x", 2020): 50, ("x", 2021): 50, ("y", 2021): 10, ("z", 2021): 10})
    assert math.isnan(got.change_1y) and got.change_1y_note == "set_changed"
    assert got.score == pytest.approx(70 / 3)        # the score itself fell: not a change


def test_a_change_on_the_indicators_in_common_is_partial():
    got = row({("x", 2020): 10, ("y", 2020): 20, ("x", 2021): 14, ("y", 2021): 24,
               ("z", 2021): 90})
    assert got.change_1y == pytest.approx(4.0) and got.change_1y_note == "partial"


def test_no_change_crosses_a_series_break():
    values = {(i, y): v + (y - 2020) for i, v in zip(IDS, (10, 20, 30), strict=True)
              for y in (2020, 2021)}
    one = row(values, brk=breaks(("x", 2021, "series_break")))
    assert one.change_1y == pytest.approx(1.0) and one.change_1y_note == "partial"   # y and z
    two = row(values, brk=breaks(("x", 2021, "series_break"), ("y", 2021, "series_break")))
    assert math.isnan(two.change_1y) and two.change_1y_note == "break"
    # a break before the base year does not stop the change
    earlier = row(values, brk=breaks(("x", 2020, "series_break"), ("y", 2020, "series_break")))
    assert earlier.change_1y == pytest.approx(1.0) and earlier.change_1y_note is None


def test_no_change_starts_or_ends_on_a_one_off_year():
    values = {(i, y): 10 + (y - 2019) for i in IDS for y in (2019, 2020, 2021)}
    brk = breaks(("x", 2020, "one_off"), ("y", 2020, "one_off"))
    into = row(values, year=2020, brk=brk)
    out_of = row(values, year=2021, brk=brk)
    assert into.change_1y_note == "break" and out_of.change_1y_note == "break"
    assert math.isnan(into.change_1y) and math.isnan(out_of.change_1y)
    # two years on, the one-off year is neither end: comparable again
    later = row({**values, **{(i, 2022): 13 for i in IDS}}, year=2022, brk=brk)
    assert later.change_1y == pytest.approx(1.0) and later.change_1y_note is None


def test_a_break_on_a_carried_value_blocks_nothing_new():
    # x has a new 2021 value across a break; y and z are carried: nothing comparable is new
    values = {("x", 2020): 10, ("y", 2020): 20, ("z", 2020): 30, ("x", 2021): 40}
    got = row(values, brk=breaks(("x", 2021, "series_break")))
    assert math.isnan(got.change_1y) and got.change_1y_note == "break"


def test_eurostat_break_flag_starts_a_series_break_for_that_area():
    obs = frame({(i, y): 10 + (y - 2020) for i in IDS for y in (2020, 2021)})
    obs.loc[(obs.area_code == "MK02") & (obs.period == 2021) & obs.indicator_id.isin(["x", "y"]),
            "flag"] = "b"
    dims = score_panel(obs, INDICATORS, AREAS, breaks=NO_BREAKS, goalposts=GOALPOSTS)
    got = dims.dimension_scores.set_index(["area_code", "period", "dimension"])
    assert got.loc[("MK02", 2021, "turvallisuus"), "change_1y_note"] == "break"
    assert got.loc[("MK01", 2021, "turvallisuus"), "change_1y_note"] is None


def test_no_base_and_the_five_year_change():
    values = {(i, y): 10 + (y - 2015) for i in IDS for y in (2015, 2020)}
    got = row(values, year=2020)
    assert got.change_5y == pytest.approx(5.0) and got.change_5y_note is None
    # 2019 still uses the 2015 values (within the age limit): the 1-year change is the same
    assert got.change_1y == pytest.approx(5.0) and got.change_1y_note is None
    first = row(values, year=2015)
    assert math.isnan(first.change_1y) and first.change_1y_note == "no_base"


OVERALL_INDICATORS = pd.DataFrame({
    "id": ["x", "y", "z", "u", "v", "w"],
    "dimension": ["turvallisuus"] * 3 + ["osaaminen"] * 3,
    "direction": ["higher_better"] * 6})
OVERALL_GOALPOSTS = pd.DataFrame({"indicator_id": list(OVERALL_INDICATORS.id), "low": 0.0,
                                  "high": 100.0, "scale": "linear"})


def overall(values, brk=NO_BREAKS, year=2021):
    dims = score_panel(frame(values), OVERALL_INDICATORS, AREAS, breaks=brk,
                       goalposts=OVERALL_GOALPOSTS).dimension_scores
    got = dims[(dims.period == year) & (dims.area_code == "MK01")].set_index("dimension")
    return got


def test_the_index_changes_only_on_comparable_dimensions():
    base = {(i, 2020): 10.0 for i in OVERALL_INDICATORS.id}
    fresh = {(i, 2021): 16.0 for i in ("x", "y", "z")}
    got = overall({**base, **fresh})
    # turvallisuus +6, osaaminen carried: the index moves by half of 6
    assert got.loc["turvallisuus", "change_1y"] == pytest.approx(6.0)
    assert got.loc["osaaminen", "change_1y_note"] == "no_new_data"
    assert got.loc["overall", "change_1y"] == pytest.approx(3.0)
    assert got.loc["overall", "change_1y_note"] is None
    assert (got.loc["overall", "n_indicators"], got.loc["overall", "n_expected"],
            got.loc["overall", "n_carried"]) == (2, 2, 1)
    assert (got.loc["overall", "newest_period"], got.loc["overall", "oldest_period"]) == (
        2021, 2020)
    nothing = overall({**base, ("x", 2021): COUNTRY_ONLY})
    assert nothing.loc["overall", "change_1y_note"] == "no_new_data"
    assert math.isnan(nothing.loc["overall", "change_1y"])
    broken = overall({**base, **fresh}, brk=breaks(*[(i, 2021, "series_break") for i in "xyz"]))
    assert broken.loc["turvallisuus", "change_1y_note"] == "break"
    assert broken.loc["overall", "change_1y_note"] == "break"


# --- An independent re-computation of the rules on random panels ----------------------------

def naive_notes(values, brk_rows, lag, max_age=5):
    """Return {(area, year): (change, note)} of the single dimension, by the rules in words."""
    years = sorted({y for (_, y), v in values.items() if not np.isnan(v).all()})
    if not years:
        return {}
    first, last = years[0], years[-1]

    def value(area, ind, year):
        for back in range(0, max_age + 1):
            v = values.get((ind, year - back))
            if v is not None and not math.isnan(v[REGIONS.index(area)]):
                return v[REGIONS.index(area)], year - back
        return None

    def in_publication(ind, year):
        return 3 * sum(value(a, ind, year) is not None for a in REGIONS) >= 2 * len(REGIONS)

    def used(area, year):
        return {i: value(area, i, year) for i in IDS
                if in_publication(i, year) and value(area, i, year) is not None}

    def expected(year):
        return sum(in_publication(i, year) for i in IDS)

    def scored(area, year):
        return expected(year) > 0 and 3 * len(used(area, year)) >= 2 * expected(year)

    def crosses(ind, since, until):
        for i, p, kind in brk_rows:
            if i == ind and ((kind == "one_off" and p in (since, until))
                             or (kind == "series_break" and since < p <= until)):
                return True
        return False

    out = {}
    for area in REGIONS:
        for year in range(first + lag, last + 1):
            base = year - lag
            if not (scored(area, year) and scored(area, base)):
                out[area, year] = (NAN, "no_base")
                continue
            now, then = used(area, year), used(area, base)
            need = max(expected(year), expected(base))
            common = [i for i in now if i in then]
            comparable = [i for i in common if not crosses(i, then[i][1], now[i][1])]
            news = [i for i in comparable if now[i][1] > then[i][1]]
            if all(i in then and then[i][1] == now[i][1] for i in now):
                note = "no_new_data"
            elif 3 * len(common) < 2 * need:
                note = "set_changed"
            elif 3 * len(comparable) < 2 * need:
                note = "break"
            elif not news:
                note = "break" if any(now[i][1] > then[i][1] for i in common) else "set_changed"
            else:
                same = set(comparable) == set(now) == set(then)
                note = None if same else "partial"
            if note in (None, "partial"):
                change = (np.mean([min(max(now[i][0], 0), 100) for i in comparable])
                          - np.mean([min(max(then[i][0], 0), 100) for i in comparable]))
            else:
                change = NAN
            out[area, year] = (change, note)
    return out


cell = st.one_of(st.floats(1, 99), st.just(NAN))
panel_strategy = st.dictionaries(
    st.tuples(st.sampled_from(IDS), st.integers(2010, 2019)),
    st.lists(cell, min_size=4, max_size=4), min_size=3, max_size=24)
break_strategy = st.lists(st.tuples(st.sampled_from(IDS), st.integers(2010, 2019),
                                    st.sampled_from(["one_off", "series_break"])),
                          max_size=4, unique_by=lambda b: (b[0], b[1]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=panel_strategy, brk_rows=break_strategy)
def test_changes_equal_an_independent_reading_of_the_rules(values, brk_rows):
    brk = breaks(*brk_rows) if brk_rows else NO_BREAKS
    dims = score_panel(frame(values), INDICATORS, AREAS, breaks=brk,
                       goalposts=GOALPOSTS).dimension_scores
    got = dims[(dims.dimension == "turvallisuus") & dims.area_code.isin(REGIONS)].set_index(
        ["area_code", "period"])
    for lag in (1, 5):
        for key, (change, note) in naive_notes(values, brk_rows, lag).items():
            assert got.loc[key, f"change_{lag}y_note"] == note, (key, lag)
            if note in (None, "partial"):
                assert got.loc[key, f"change_{lag}y"] == pytest.approx(change), (key, lag)
            else:
                assert math.isnan(got.loc[key, f"change_{lag}y"]), (key, lag)

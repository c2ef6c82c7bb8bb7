import numpy as np
import pandas as pd
import pytest

from indicators.method import Rules
from indicators.panel import (
    ScoringInputError,
    build_panel,
    crosses_break,
    in_publication,
    latest_values,
    ordered_dimensions,
    scored_areas,
)

AREAS = pd.DataFrame({"code": ["SSS", "MK02", "MK01", "SK011"],
                      "level": ["country", "region", "region", "subregion"],
                      "sort_order": [0, 2, 1, 3]})
INDICATORS = pd.DataFrame({"id": ["a", "b"], "dimension": ["osaaminen", "hyvinvointi"],
                           "direction": ["higher_better", "lower_better"],
                           "goalpost_low": [None, 0.0], "goalpost_high": [None, 10.0]})


def obs(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "period", "value", "flag"])


def test_latest_value_carries_forward_at_most_max_age_years():
    periods = np.arange(2000, 2010)
    raw = np.full((10, 1, 1), np.nan)
    raw[0, 0, 0] = 1.0          # 2000
    raw[3, 0, 0] = 2.0          # 2003
    latest, period = latest_values(raw, periods, max_age=5)
    assert latest[:, 0, 0].tolist()[:9] == [1, 1, 1, 2, 2, 2, 2, 2, 2]
    assert period[:, 0, 0].tolist()[:9] == [2000, 2000, 2000] + [2003] * 6
    assert np.isnan(latest[9, 0, 0]) and period[9, 0, 0] == -1   # 2009 - 2003 = 6 > 5
    short, _ = latest_values(raw, periods, max_age=1)
    assert np.isnan(short[2, 0, 0]) and short[4, 0, 0] == 2.0 and np.isnan(short[5, 0, 0])


def test_scored_areas_are_regions_in_order_then_country():
    codes, is_region = scored_areas(AREAS)
    assert codes == ["MK01", "MK02", "SSS"]
    assert is_region.tolist() == [True, True, False]


def test_dimension_order_is_an_explicit_input():
    assert ordered_dimensions(INDICATORS) == ["osaaminen", "hyvinvointi"]
    framework = ["saavutettavuus", "hyvinvointi", "osaaminen"]
    assert ordered_dimensions(INDICATORS, framework) == framework
    panel = build_panel(obs([("a", "MK01", 2020, 1.5, None)]), INDICATORS, AREAS,
                        dimensions=framework)
    assert panel.dims == framework and panel.ind_dim.tolist() == [2, 1]


def test_build_panel_places_values_and_ignores_other_areas_and_missing_rows():
    panel = build_panel(obs([("a", "MK01", 2020, 1.5, None), ("b", "MK02", 2022, 3.0, "p"),
                             ("a", "SK011", 2020, 9.0, None), ("a", "SSS", 2021, None, "missing"),
                             ("zzz", "MK01", 2020, 1.0, None)]), INDICATORS, AREAS)
    assert panel.periods.tolist() == [2020, 2021, 2022]
    assert panel.raw[0, 0, 0] == 1.5 and panel.raw[2, 1, 1] == 3.0
    assert np.isnan(panel.raw[1, 2, 0])
    assert panel.latest[2, 0, 0] == 1.5 and panel.value_period[2, 0, 0] == 2020
    assert panel.sign.tolist() == [1.0, -1.0]
    assert panel.goal_high[1] == 10.0 and np.isnan(panel.goal_low[0])
    # one region of two has a value: below two thirds, neither is in publication
    assert not panel.in_publication.any()


def test_partial_years_and_context_indicators_never_enter_the_panel():
    indicators = INDICATORS.assign(scored=[True, False])
    panel = build_panel(obs([("a", "MK01", 2020, 1.0, None), ("a", "MK01", 2021, 9.0, "partial"),
                             ("b", "MK01", 2020, 3.0, None)]), indicators, AREAS)
    assert panel.indicator_ids == ["a"]                    # b is context only
    assert panel.dims == ["osaaminen", "hyvinvointi"]      # its dimension stays in the framework
    assert panel.periods.tolist() == [2020]                # the partial year is not a figure
    assert panel.latest[0, 0, 0] == 1.0
    kept = build_panel(obs([("a", "MK01", 2020, 1.0, None), ("a", "MK01", 2021, 9.0, "partial")]),
                       indicators, AREAS, rules=Rules(not_scored_flags=()))
    assert kept.raw[1, 0, 0] == 9.0


def test_in_publication_needs_the_share_of_regions_within_the_age_limit():
    nan = np.nan
    # [P, A, I]: three regions and the country (last); indicator 0: two regions, 1: one region
    latest = np.array([[[1.0, 1.0], [2.0, nan], [nan, nan], [9.0, 9.0]],
                       [[nan, 1.0], [nan, nan], [nan, 3.0], [9.0, 9.0]]])
    is_region = np.array([True, True, True, False])
    assert in_publication(latest, is_region, (2, 3)).tolist() == [[True, False], [False, True]]
    assert in_publication(latest, is_region, (1, 3)).tolist() == [[True, True], [False, True]]


def test_an_ended_indicator_leaves_publication_after_the_age_limit():
    rows = [("a", code, year, 1.0 + year % 3, None) for code in ("MK01", "MK02")
            for year in (2010, 2011)] + [("b", "MK01", 2020, 1.0, None),
                                         ("b", "MK02", 2020, 1.0, None)]
    panel = build_panel(obs(rows), INDICATORS, AREAS, rules=Rules(max_age_years=3))
    by_year = dict(zip(panel.periods.tolist(), panel.in_publication[:, 0].tolist(),
                       strict=True))
    assert [y for y, on in by_year.items() if on] == [2010, 2011, 2012, 2013, 2014]


def test_breaks_and_flagged_values_become_arrays_and_crossing_is_decided_on_value_years():
    rows = [("a", code, y, float(y), "b" if (code, y) == ("MK02", 2015) else None)
            for code in ("MK01", "MK02", "SSS") for y in range(2010, 2021)]
    breaks = pd.DataFrame({"indicator_id": ["a", "a"], "period": [2013, 2018],
                           "level": ["region", "country"], "kind": ["one_off", "series_break"]})
    panel = build_panel(obs(rows), INDICATORS, AREAS, breaks=breaks)
    a = panel.indicator_ids.index("a")
    mk01, mk02, sss = (panel.area_codes.index(c) for c in ("MK01", "MK02", "SSS"))
    t = panel.periods.tolist().index
    assert panel.one_off[t(2013), mk01, a] and not panel.one_off[t(2013), sss, a]
    assert panel.series_breaks[t(2018), sss, a] == 1 and panel.series_breaks[t(2017), sss, a] == 0
    assert panel.series_breaks[t(2015), mk02, a] == 1 and panel.series_breaks[t(2015), mk01, a] == 0

    def crosses(base, value):
        shape = (panel.n_areas, len(panel.indicator_ids))
        return crosses_break(panel, np.full(shape, base), np.full(shape, value))[:, a]

    assert crosses(2012, 2013)[mk01] and crosses(2013, 2014)[mk01]     # the one-off year
    assert not crosses(2014, 2019)[mk01] and not crosses(2013, 2013)[sss]
    assert crosses(2017, 2018)[sss] and not crosses(2018, 2020)[sss]   # base < break <= value
    assert crosses(2014, 2015)[mk02] and not crosses(2015, 2016)[mk02]
    assert not crosses(-1, 2015)[mk02]                                 # no base value


@pytest.mark.parametrize("frames, message", [
    ((obs([]).drop(columns="value"), INDICATORS, AREAS), "lacks the column"),
    ((obs([("a", "MK01", 2020, 1.0, None)] * 2), INDICATORS, AREAS), "duplicate"),
    ((obs([]), INDICATORS.assign(direction="up"), AREAS), "unknown direction"),
    ((obs([]), INDICATORS.assign(goalpost_low=[None, 20.0]), AREAS), "goalpost_low"),
    ((obs([]), INDICATORS, AREAS.drop(columns="level")), "lacks the column"),
    ((obs([("a", "MK01", 2020.5, 1.0, None)]), INDICATORS, AREAS), "whole years"),
])
def test_bad_input_gets_a_clear_message(frames, message):
    with pytest.raises(ScoringInputError, match=message):
        build_panel(*frames)


def test_bad_breaks_get_a_clear_message():
    rows = obs([("a", "MK01", 2020, 1.0, None)])
    with pytest.raises(ScoringInputError, match="break kind"):
        build_panel(rows, INDICATORS, AREAS, breaks=pd.DataFrame({
            "indicator_id": ["a"], "period": [2020], "level": ["region"], "kind": ["wave"]}))
    with pytest.raises(ScoringInputError, match="breaks lacks"):
        build_panel(rows, INDICATORS, AREAS, breaks=pd.DataFrame({"indicator_id": ["a"]}))


def test_empty_observations_give_an_empty_panel():
    panel = build_panel(obs([]), INDICATORS, AREAS)
    assert panel.raw.shape == (0, 3, 2)

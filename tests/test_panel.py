import numpy as np
import pandas as pd
import pytest

from indicators.method import INDICATOR_MIN_REGIONS, MAX_AGE_YEARS
from indicators.panel import (
    ScoringInputError,
    active_indicators,
    build_panel,
    latest_values,
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
    latest, period = latest_values(raw, periods)
    assert MAX_AGE_YEARS == 5
    assert latest[:, 0, 0].tolist()[:9] == [1, 1, 1, 2, 2, 2, 2, 2, 2]
    assert period[:, 0, 0].tolist()[:9] == [2000, 2000, 2000] + [2003] * 6
    assert np.isnan(latest[9, 0, 0]) and period[9, 0, 0] == -1   # 2009 - 2003 = 6 > 5


def test_scored_areas_are_regions_in_order_then_country():
    codes, is_region = scored_areas(AREAS)
    assert codes == ["MK01", "MK02", "SSS"]
    assert is_region.tolist() == [True, True, False]


def test_build_panel_places_values_and_ignores_other_areas_and_missing_rows():
    panel = build_panel(obs([("a", "MK01", 2020, 1.5, None), ("b", "MK02", 2022, 3.0, "p"),
                             ("a", "SK011", 2020, 9.0, None), ("a", "SSS", 2021, None, "missing"),
                             ("zzz", "MK01", 2020, 1.0, None)]), INDICATORS, AREAS)
    assert panel.periods.tolist() == [2020, 2021, 2022]
    assert panel.dims == ["hyvinvointi", "osaaminen"]       # catalog display order
    assert panel.raw[0, 0, 0] == 1.5 and panel.raw[2, 1, 1] == 3.0
    assert np.isnan(panel.raw[1, 2, 0])
    assert panel.latest[2, 0, 0] == 1.5 and panel.value_period[2, 0, 0] == 2020
    assert panel.sign.tolist() == [1.0, -1.0]
    assert panel.goal_high[1] == 10.0 and np.isnan(panel.goal_low[0])
    # one region of two in any year is below two thirds: neither indicator takes part
    assert panel.active.tolist() == [False, False]


def test_indicator_takes_part_when_two_thirds_of_regions_have_a_value_in_some_year():
    nan = np.nan
    raw = np.array([[[1.0, 1.0, nan], [2.0, nan, nan], [nan, nan, 5.0], [9.0, 9.0, 9.0]],
                    [[nan, 1.0, nan], [nan, nan, 3.0], [nan, nan, nan], [9.0, 9.0, 9.0]]])
    is_region = np.array([True, True, True, False])          # the last is the country
    assert INDICATOR_MIN_REGIONS == (2, 3)
    assert active_indicators(raw, is_region).tolist() == [True, False, False]


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


def test_empty_observations_give_an_empty_panel():
    panel = build_panel(obs([]), INDICATORS, AREAS)
    assert panel.raw.shape == (0, 3, 2)

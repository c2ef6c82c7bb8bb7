import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from indicators.method import NEUTRAL_SCORE, ZSCORE_CLIP
from indicators.normalise import (
    capped,
    choose_goalposts,
    data_goalposts,
    goalpost_scores,
    minmax_scores,
    normalise,
    zscore_scores,
)

UP, DOWN = np.array([1.0]), np.array([-1.0])


def cube(values_by_year):
    """[T, A] lists -> [T, A, 1] array."""
    return np.array(values_by_year, dtype=float)[:, :, None]


def test_goalposts_hand_computed_higher_better():
    scores = goalpost_scores(np.array([[[50.0], [65.0], [80.0]]]), np.array([50.0]),
                             np.array([80.0]), UP)
    assert scores.ravel().tolist() == pytest.approx([0.0, 50.0, 100.0])


def test_goalposts_lower_better_flips():
    scores = goalpost_scores(np.array([[[50.0], [65.0], [74.0]]]), np.array([50.0]),
                             np.array([80.0]), DOWN)
    # 74 is 80 % of the way from 50 to 80; lower is better -> 20.
    assert scores.ravel().tolist() == pytest.approx([100.0, 50.0, 20.0])


def test_goalposts_winsorise_at_the_posts():
    scores = goalpost_scores(np.array([[[40.0], [90.0]]]), np.array([50.0]), np.array([80.0]), UP)
    assert scores.ravel().tolist() == [0.0, 100.0]


def test_goalposts_keep_missing_missing_and_flat_range_neutral():
    scores = goalpost_scores(np.array([[[np.nan], [3.0]]]), np.array([3.0]), np.array([3.0]), UP)
    assert math.isnan(scores[0, 0, 0])
    assert scores[0, 1, 0] == NEUTRAL_SCORE


def test_data_goalposts_pool_regions_over_all_years_with_margin():
    # two years, three regions + the country (last column, left out of the base)
    raw = cube([[10.0, 20.0, np.nan, 99.0], [30.0, 15.0, 12.0, -50.0]])
    low, high = data_goalposts(raw, np.array([True, True, True, False]), margin=0.1)
    # min 10, max 30, range 20, margin 10 % -> 8 and 32
    assert low[0] == pytest.approx(8.0)
    assert high[0] == pytest.approx(32.0)
    low, high = data_goalposts(raw, np.array([True, True, True, False]), margin=0.0)
    assert (low[0], high[0]) == (10.0, 30.0)


def test_the_fixed_file_comes_first_then_the_catalog_then_the_data():
    nan = np.nan
    fixed = (np.array([1.0, nan, nan]), np.array([2.0, nan, nan]))
    catalog = (np.array([5.0, 5.0, nan]), np.array([6.0, 6.0, nan]))
    data = (np.array([8.0, 8.0, 8.0]), np.array([9.0, 9.0, 9.0]))
    low, high, origin = choose_goalposts(fixed, catalog, data)
    assert low.tolist() == [1.0, 5.0, 8.0] and high.tolist() == [2.0, 6.0, 9.0]
    assert origin.tolist() == ["file", "catalog", "data"]


def test_capped_marks_values_beyond_the_scale():
    values = np.array([[[40.0], [50.0], [80.0], [90.0], [np.nan]]])
    is_region = np.ones(5, dtype=bool)
    low, high = np.array([50.0]), np.array([80.0])
    assert capped("goalposts", values, is_region, low, high)[0, :, 0].tolist() == [
        True, False, False, True, False]
    assert not capped("minmax", values, is_region, low, high).any()
    near = cube([[0.0, 0.0, 0.0, 1000.0]])                # z of the last is sqrt(3) < 3
    assert not capped("zscore", near, np.ones(4, dtype=bool), low, high).any()
    far = cube([[0.0] * 20 + [1000.0]])                   # z = sqrt(20) > 3
    mask = capped("zscore", far, np.ones(21, dtype=bool), low, high)[0, :, 0]
    assert mask.tolist() == [False] * 20 + [True] and np.sqrt(20) > ZSCORE_CLIP
    with pytest.raises(ValueError, match="unknown normalisation"):
        capped("rank", values, is_region, low, high)


def test_indicator_without_region_data_has_no_score():
    raw = cube([[np.nan, np.nan, 5.0]])
    is_region = np.array([True, True, False])
    low, high = data_goalposts(raw, is_region)
    assert np.isnan(goalpost_scores(raw, low, high, UP)).all()
    assert np.isnan(minmax_scores(raw, is_region, UP)).all()
    assert np.isnan(zscore_scores(raw, is_region, UP)).all()


def test_minmax_within_year_hand_computed():
    values = cube([[2.0, 4.0, 6.0, 5.0], [1.0, 1.0, 1.0, 1.0]])
    is_region = np.array([True, True, True, False])
    scores = minmax_scores(values, is_region, UP)
    assert scores[0, :, 0].tolist() == pytest.approx([0.0, 50.0, 100.0, 75.0])
    assert scores[1, :, 0].tolist() == [NEUTRAL_SCORE] * 4       # no spread this year
    assert minmax_scores(values, is_region, DOWN)[0, :, 0].tolist() == pytest.approx(
        [100.0, 50.0, 0.0, 25.0])


def test_zscore_hand_computed():
    values = cube([[1.0, 2.0, 3.0, 2.5]])
    scores = zscore_scores(values, np.array([True, True, True, False]), UP)
    sd = math.sqrt(2 / 3)                       # population sd of 1, 2, 3
    expected = [50 + 50 * ((x - 2) / sd) / 3 for x in (1, 2, 3, 2.5)]
    assert scores[0, :, 0].tolist() == pytest.approx(expected)
    assert scores[0, 0, 0] == pytest.approx(29.5876, abs=1e-4)


def test_zscore_winsorised_at_three_sd():
    values = cube([[0.0] * 9 + [10.0] + [1000.0]])       # mean 1, sd 3 over the 10 regions
    is_region = np.array([True] * 10 + [False])
    scores = zscore_scores(values, is_region, UP)
    assert scores[0, 9, 0] == pytest.approx(100.0)       # z = 3 exactly
    assert scores[0, 10, 0] == 100.0                      # z = 333 clipped
    assert scores[0, 0, 0] == pytest.approx(50 - 50 / 9)  # z = -1/3


def test_unknown_normalisation_is_refused():
    with pytest.raises(ValueError, match="unknown normalisation"):
        normalise("rank", cube([[1.0]]), np.array([True]), UP, np.array([0.0]), np.array([1.0]))


finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(finite, st.just(float("nan"))), min_size=8, max_size=8),
       scale=st.floats(1e-2, 1e2), shift=finite, name=st.sampled_from(["minmax", "zscore"]),
       up=st.booleans())
def test_minmax_and_zscore_ignore_the_unit(values, scale, shift, name, up):
    arr = np.array(values).reshape(2, 4, 1)
    is_region = np.array([True, True, True, False])
    sign = UP if up else DOWN
    a = normalise(name, arr, is_region, sign, None, None)
    b = normalise(name, arr * scale + shift, is_region, sign, None, None)
    # values within float noise of each other count as "no spread"
    spread = np.nanmax(arr[:, :3], axis=1, initial=-np.inf) - np.nanmin(arr[:, :3], axis=1,
                                                                         initial=np.inf)
    assume(not np.any((spread > 0) & (spread < 1e-3 * (1 + np.nanmax(np.abs(arr), initial=0)))))
    np.testing.assert_allclose(a, b, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(finite, st.just(float("nan"))), min_size=8, max_size=8),
       name=st.sampled_from(["goalposts", "minmax", "zscore"]), up=st.booleans())
def test_scores_stay_within_0_and_100(values, name, up):
    arr = np.array(values).reshape(2, 4, 1)
    is_region = np.array([True, True, True, False])
    low, high = data_goalposts(arr, is_region)
    scores = normalise(name, arr, is_region, UP if up else DOWN, low, high)
    ok = scores[~np.isnan(scores)]
    assert ((ok >= 0) & (ok <= 100)).all()
    assert (np.isnan(scores) >= np.isnan(arr)).all()     # a missing value never gets a score

import math

import numpy as np
import pytest

import indicators.aggregate as agg
from indicators.aggregate import (
    aggregate_year,
    competition_ranks,
    coverage,
    rank_percentiles,
    weighted_means,
)
from indicators.method import DIMENSION_COVERAGE, GEOMETRIC_OFFSET, OVERALL_COVERAGE

NAN = float("nan")


def one_year(rows):
    """[A, I] list -> [1, A, I] array."""
    return np.array(rows, dtype=float)[None]


def dimension_scores(rows, ind_dim, n_dims, aggregation="arithmetic", ind_w=None, dim_w=None):
    scores = one_year(rows)
    ind_dim = np.array(ind_dim)
    ind_w = np.ones(len(ind_dim)) if ind_w is None else np.array(ind_w, dtype=float)
    dim_w = np.ones(n_dims) if dim_w is None else np.array(dim_w, dtype=float)
    active = np.ones(len(ind_dim), dtype=bool)
    cov = coverage(scores, ind_dim, n_dims, active, ind_w, dim_w)
    return aggregate_year(scores, cov, 0, ind_dim, ind_w[None], dim_w[None], aggregation)[0], cov


def test_arithmetic_mean_hand_computed():
    out, _ = dimension_scores([[20, 50, 80]], [0, 0, 0], 1)
    assert out[0, 0] == pytest.approx(50.0)
    assert out[0, 1] == pytest.approx(50.0)     # overall of a single dimension


def test_geometric_mean_with_offset_hand_computed():
    out, _ = dimension_scores([[20, 50, 80]], [0, 0, 0], 1, "geometric")
    assert GEOMETRIC_OFFSET == 1.0
    assert out[0, 0] == pytest.approx((21 * 51 * 81) ** (1 / 3) - 1)      # 43.27
    zero, _ = dimension_scores([[0, 50, 80]], [0, 0, 0], 1, "geometric")
    assert zero[0, 0] == pytest.approx((1 * 51 * 81) ** (1 / 3) - 1) and zero[0, 0] > 0


def test_weights_hand_computed():
    out, _ = dimension_scores([[20, 50, 80]], [0, 0, 0], 1, ind_w=[2, 1, 1])
    assert out[0, 0] == pytest.approx((2 * 20 + 50 + 80) / 4)               # 42.5
    out, _ = dimension_scores([[20, 80]], [0, 1], 2, dim_w=[3, 1])
    assert out[0, 2] == pytest.approx((3 * 20 + 80) / 4)                    # overall 35


def test_dimension_coverage_two_thirds():
    assert DIMENSION_COVERAGE == (2, 3)
    out, cov = dimension_scores([[20, 50, NAN], [20, NAN, NAN]], [0, 0, 0], 1)
    assert out[0, 0] == pytest.approx(35.0)          # 2 of 3: mean of the two
    assert math.isnan(out[1, 0])                     # 1 of 3: missing, not zero
    assert cov.n_available[0, :, 0].tolist() == [2, 1]
    # four indicators need three
    out, _ = dimension_scores([[10, 20, 30, NAN], [10, 20, NAN, NAN]], [0, 0, 0, 0], 1)
    assert out[0, 0] == pytest.approx(20.0) and math.isnan(out[1, 0])


def test_overall_needs_five_of_six_dimensions():
    assert OVERALL_COVERAGE == (5, 6)
    five = [[10, 20, 30, 40, 50, NAN]]
    out, _ = dimension_scores(five, [0, 1, 2, 3, 4, 5], 6)
    assert out[0, 6] == pytest.approx(30.0)          # plain mean of the five
    four = [[10, 20, 30, 40, NAN, NAN]]
    out, _ = dimension_scores(four, [0, 1, 2, 3, 4, 5], 6)
    assert math.isnan(out[0, 6])


def test_zero_weight_indicator_is_out_of_use():
    out, cov = dimension_scores([[20, 50, NAN]], [0, 0, 0], 1, ind_w=[1, 1, 0])
    assert cov.ind_in_use.tolist() == [True, True, False]
    assert out[0, 0] == pytest.approx(35.0)
    out, _ = dimension_scores([[20, NAN, 90]], [0, 0, 0], 1, ind_w=[1, 1, 0])
    assert math.isnan(out[0, 0])                     # 1 of the 2 in use


def test_weighted_means_handles_many_draws_at_once():
    scores = np.array([[20.0, 50.0, 80.0]])
    weights = np.array([[1, 1, 1], [1, 0, 0], [0, 0, 1]], dtype=float)
    out = weighted_means(scores, np.ones((1, 3), bool), weights, np.ones((3, 1)), "arithmetic")
    assert out[:, 0, 0].tolist() == pytest.approx([50.0, 20.0, 80.0])


def test_competition_ranks_hand_computed():
    ranks = competition_ranks(np.array([10.0, 30.0, 30.0, NAN, 5.0]))
    assert ranks[[0, 1, 2, 4]].tolist() == [3.0, 1.0, 1.0, 4.0]
    assert math.isnan(ranks[3])


def test_sorting_ranks_equal_pairwise_ranks(monkeypatch):
    rng = np.random.default_rng(3)
    scores = rng.uniform(0, 100, size=(40, 5, 90))
    scores[rng.uniform(size=scores.shape) < 0.1] = NAN
    scores[..., 10] = scores[..., 11]            # ties
    scores[..., 12] = 100.0
    scores[..., 13] = 0.0
    by_sort = competition_ranks(scores)           # 90 > PAIRWISE_MAX: sorting path
    monkeypatch.setattr(agg, "PAIRWISE_MAX", 1000)
    np.testing.assert_array_equal(by_sort, competition_ranks(scores))


def test_rank_percentiles_equal_inverted_cdf():
    rng = np.random.default_rng(4)
    ranks = rng.integers(1, 20, size=(1000, 7, 19)).astype(float)
    ranks[:, 2, 3] = NAN
    low, high = rank_percentiles(ranks, (5, 95))
    np.testing.assert_array_equal(low, np.percentile(ranks, 5, axis=0, method="inverted_cdf"))
    np.testing.assert_array_equal(high, np.percentile(ranks, 95, axis=0, method="inverted_cdf"))
    # hand-computed: 100 draws, rank 1 in 4 and rank 2 in 96 -> 5th percentile is 2
    hand = np.array([1.0] * 4 + [2.0] * 96)[:, None]
    assert [p[0] for p in rank_percentiles(hand, (4, 5))] == [1.0, 2.0]

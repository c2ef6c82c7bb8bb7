import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from indicators.aggregate import (
    aggregate_year,
    competition_ranks,
    coverage,
    group_counts,
    rank_percentiles,
    rank_rows,
    weighted_means,
)
from indicators.method import GEOMETRIC_OFFSET, Rules

NAN = float("nan")
TWO_THIRDS = Rules(dimension_coverage=(2, 3), overall_coverage=(5, 6))


def one_year(rows):
    """[A, I] list -> [1, A, I] array."""
    return np.array(rows, dtype=float)[None]


def dimension_scores(rows, ind_dim, n_dims, aggregation="arithmetic", ind_w=None, dim_w=None,
                     publication=None, rules=TWO_THIRDS):
    scores = one_year(rows)
    ind_dim = np.array(ind_dim)
    ind_w = np.ones(len(ind_dim)) if ind_w is None else np.array(ind_w, dtype=float)
    dim_w = np.ones(n_dims) if dim_w is None else np.array(dim_w, dtype=float)
    publication = (np.ones((1, len(ind_dim)), dtype=bool) if publication is None
                   else np.array([publication], dtype=bool))
    cov = coverage(scores, ind_dim, n_dims, publication, ind_w, dim_w, rules)
    return aggregate_year(scores, cov, 0, ind_dim, ind_w[None], dim_w[None], aggregation)[0], cov


def test_arithmetic_mean_hand_computed():
    out, _ = dimension_scores([[20, 50, 80]], [0, 0, 0], 1)
    assert out[0, 0] == pytest.approx(50.0)
    assert out[0, 1] == pytest.approx(50.0)     # overall of a single dimension


def test_geometric_mean_with_offset_hand_computed():
    out, _ = dimension_scores([[20, 50, 80]], [0, 0, 0], 1, "geometric")
    c = GEOMETRIC_OFFSET
    assert out[0, 0] == pytest.approx(((20 + c) * (50 + c) * (80 + c)) ** (1 / 3) - c)
    zero, _ = dimension_scores([[0, 50, 80]], [0, 0, 0], 1, "geometric")
    assert zero[0, 0] == pytest.approx((c * (50 + c) * (80 + c)) ** (1 / 3) - c)
    assert zero[0, 0] > 0


def test_weights_hand_computed():
    out, _ = dimension_scores([[20, 50, 80]], [0, 0, 0], 1, ind_w=[2, 1, 1])
    assert out[0, 0] == pytest.approx((2 * 20 + 50 + 80) / 4)               # 42.5
    out, _ = dimension_scores([[20, 80]], [0, 1], 2, dim_w=[3, 1])
    assert out[0, 2] == pytest.approx((3 * 20 + 80) / 4)                    # overall 35


def test_dimension_coverage_share_of_the_indicators_in_publication():
    out, cov = dimension_scores([[20, 50, NAN], [20, NAN, NAN]], [0, 0, 0], 1)
    assert out[0, 0] == pytest.approx(35.0)          # 2 of 3: mean of the two
    assert math.isnan(out[1, 0])                     # 1 of 3: missing, not zero
    assert cov.n_available[0, :, 0].tolist() == [2, 1]
    assert cov.n_expected[0].tolist() == [3]
    # four indicators need three at two thirds, two at one half
    rows = [[10, 20, 30, NAN], [10, 20, NAN, NAN]]
    out, _ = dimension_scores(rows, [0, 0, 0, 0], 1)
    assert out[0, 0] == pytest.approx(20.0) and math.isnan(out[1, 0])
    half, _ = dimension_scores(rows, [0, 0, 0, 0], 1, rules=Rules(dimension_coverage=(1, 2)))
    assert half[1, 0] == pytest.approx(15.0)


def test_an_indicator_out_of_publication_does_not_count_against_its_dimension():
    rows = [[20, 50, NAN], [20, NAN, 90]]
    out, cov = dimension_scores(rows, [0, 0, 0], 1)               # all three in publication
    assert cov.n_expected[0].tolist() == [3]
    assert out[0, 0] == pytest.approx(35.0) and out[1, 0] == pytest.approx(55.0)
    # the third has ended: two of two for the first region; the second region's old value
    # of the ended indicator is not used, and one of two is too few
    out, cov = dimension_scores(rows, [0, 0, 0], 1, publication=[True, True, False])
    assert cov.n_expected[0].tolist() == [2]
    assert out[0, 0] == pytest.approx(35.0) and math.isnan(out[1, 0])


def test_overall_needs_its_share_of_the_framework_dimensions():
    five = [[10, 20, 30, 40, 50, NAN]]
    out, _ = dimension_scores(five, [0, 1, 2, 3, 4, 5], 6)
    assert out[0, 6] == pytest.approx(30.0)          # plain mean of the five
    four = [[10, 20, 30, 40, NAN, NAN]]
    out, _ = dimension_scores(four, [0, 1, 2, 3, 4, 5], 6)
    assert math.isnan(out[0, 6])
    # a dimension with nothing in publication still counts in the framework
    out, cov = dimension_scores(five, [0, 1, 2, 3, 4, 5], 6,
                                publication=[True, True, True, True, True, False])
    assert cov.n_expected[0, 5] == 0 and out[0, 6] == pytest.approx(30.0)
    out, _ = dimension_scores(five, [0, 1, 2, 3, 4, 5], 6,
                              publication=[True, True, True, True, False, False])
    assert math.isnan(out[0, 6])


def test_zero_weight_indicator_is_out_of_use():
    out, cov = dimension_scores([[20, 50, NAN]], [0, 0, 0], 1, ind_w=[1, 1, 0])
    assert cov.ind_in_use[0].tolist() == [True, True, False]
    assert out[0, 0] == pytest.approx(35.0)
    out, _ = dimension_scores([[20, NAN, 90]], [0, 0, 0], 1, ind_w=[1, 1, 0])
    assert math.isnan(out[0, 0])                     # 1 of the 2 in use


def test_weighted_means_handles_many_draws_at_once():
    scores = np.array([[20.0, 50.0, 80.0]])
    weights = np.array([[1, 1, 1], [1, 0, 0], [0, 0, 1]], dtype=float)
    out = weighted_means(scores, np.ones((1, 3), bool), weights, np.ones((3, 1)), "arithmetic")
    assert out[:, 0, 0].tolist() == pytest.approx([50.0, 20.0, 80.0])


def test_group_counts():
    mask = np.array([[True, False, True, True], [False, False, False, True]])
    assert group_counts(mask, np.array([0, 0, 1, 1]), 3).tolist() == [[1, 2, 0], [0, 1, 0]]


def test_competition_ranks_hand_computed():
    ranks = competition_ranks(np.array([10.0, 30.0, 30.0, NAN, 5.0]))
    assert ranks[[0, 1, 2, 4]].tolist() == [3.0, 1.0, 1.0, 4.0]
    assert math.isnan(ranks[3])


def test_ties_are_decided_on_the_shown_precision():
    # 65.04 is shown as 65,0 like 65.0; 65.06 is shown as 65,1
    scores = np.array([70.0, 65.0, 65.04, 65.06, 60.0])
    assert competition_ranks(scores, decimals=1).tolist() == [1.0, 3.0, 3.0, 2.0, 5.0]
    assert competition_ranks(scores, decimals=2).tolist() == [1.0, 4.0, 3.0, 2.0, 5.0]
    assert competition_ranks(np.array([99.96, 100.0, 0.0, 0.04]), 1).tolist() == [1, 1, 3, 3]


def naive_ranks(row, decimals):
    """Rank by counting higher rounded scores one by one (the rule as stated)."""
    shown = [None if math.isnan(x) else round(x, decimals) for x in row]
    return [math.nan if s is None else 1 + sum(o is not None and o > s for o in shown)
            for s in shown]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(st.one_of(st.floats(0, 100), st.just(NAN),
                                        st.sampled_from([10.0, 10.04, 55.6, 100.0])),
                              min_size=1, max_size=40), min_size=1, max_size=6),
       decimals=st.integers(0, 2))
def test_ranks_equal_counting_higher_shown_scores(rows, decimals):
    width = max(len(r) for r in rows)
    array = np.array([r + [NAN] * (width - len(r)) for r in rows])
    # Python and numpy may round a value within a hair of an exact half differently
    finite = array[~np.isnan(array)] * 10 ** decimals
    assume(not (np.abs(finite % 1 - 0.5) < 1e-6).any())
    got = competition_ranks(array, decimals)
    for row, ranks in zip(array, got, strict=True):
        np.testing.assert_array_equal(ranks, naive_ranks(row.tolist(), decimals))


@pytest.mark.parametrize("n", [5, 30, 40, 300])   # short rows pairwise, long ones on the grid
def test_rank_rows_counts_higher_scores_in_chunks(monkeypatch, n):
    import indicators.aggregate as agg
    rng = np.random.default_rng(n)
    scores = np.round(rng.uniform(0, 100, size=(20, n)), 1)
    scores[:, 0] = scores[:, 1]                                # ties
    scores[rng.uniform(size=scores.shape) < 0.1] = NAN
    whole = rank_rows(scores)
    monkeypatch.setattr(agg, "RANK_CHUNK_CELLS", 1)            # one row per chunk
    np.testing.assert_array_equal(rank_rows(scores), whole)
    assert whole[np.isnan(scores)].tolist() == [0] * int(np.isnan(scores).sum())
    for row, got in zip(scores, whole, strict=True):
        expected = [0 if math.isnan(x) else 1 + int(np.sum(row[~np.isnan(row)] > x))
                    for x in row]
        assert got.tolist() == expected


def test_rank_percentiles_hand_computed():
    # 1,000 draws: 30 x 3rd, 700 x 4th, 270 x 5th -> 5th percentile 4, 95th 5
    draws = np.array([3] * 30 + [4] * 700 + [5] * 270)[:, None]
    assert [float(p[0]) for p in rank_percentiles(draws, (5, 95))] == [4.0, 5.0]
    # 100 draws, rank 1 in 4 and rank 2 in 96 -> the 4th percentile is 1, the 5th 2
    hand = np.array([1] * 4 + [2] * 96)[:, None]
    assert [float(p[0]) for p in rank_percentiles(hand, (4, 5))] == [1.0, 2.0]
    # draws without a rank (0) are left out; a cell without any rank has none
    some = np.array([[0, 0], [2, 0], [2, 0], [3, 0]])
    low, high = rank_percentiles(some, (5, 95))
    assert low.tolist()[0] == 2.0 and high.tolist()[0] == 3.0 and math.isnan(low[1])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), missing=st.floats(0, 0.5))
def test_rank_percentiles_equal_numpys_inverted_cdf(seed, missing):
    rng = np.random.default_rng(seed)
    ranks = rng.integers(1, 20, size=(200, 3, 5))
    ranks[rng.uniform(size=ranks.shape) < missing] = 0
    ranks[:, 0, 0] = 0                                         # never ranked
    floats = np.where(ranks > 0, ranks, np.nan)
    for got in (rank_percentiles(ranks, (5, 95)), rank_percentiles(floats, (5, 95))):
        with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
            expected = np.nanpercentile(floats, [5, 95], axis=0, method="inverted_cdf")
        np.testing.assert_array_equal(got[0], expected[0])
        np.testing.assert_array_equal(got[1], expected[1])


def test_a_group_with_every_score_divides_by_the_draws_whole_weight():
    from indicators.aggregate import _groups
    scores = np.array([[20.0, 50.0, 80.0, 10.0], [40.0, NAN, 60.0, 30.0]])   # [A, I]
    member = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=float)          # {0, 1}, {2, 3}
    available = ~np.isnan(scores)
    complete, gappy = _groups(np.nan_to_num(scores), available.astype(float), member)[::-1]
    assert complete[2] is None and gappy[2] is not None
    weights = np.array([[1, 3, 1, 1], [1, 1, 3, 1]], dtype=float)
    out = weighted_means(scores, available, weights, member, "arithmetic")      # [D, A, K]
    assert out[:, 0, 1].tolist() == pytest.approx([45.0, 62.5])   # (80+10)/2, (3*80+10)/4
    assert out[:, 1, 1].tolist() == pytest.approx([45.0, 52.5])
    assert out[:, 1, 0].tolist() == pytest.approx([40.0, 40.0])   # only the first has a score
    assert out[:, 0, 0].tolist() == pytest.approx([42.5, 35.0])   # (20+3*50)/4, (20+50)/2

"""Aggregate indicator scores to dimensions and the overall index; coverage rules and ranks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indicators.method import DIMENSION_COVERAGE, GEOMETRIC_OFFSET, OVERALL_COVERAGE, meets_share


@dataclass
class Coverage:
    """Which indicators and dimensions are in use and which scores have enough data."""

    ind_in_use: np.ndarray      # [I] the indicator has data somewhere and a positive weight
    dim_in_use: np.ndarray      # [K] the dimension has an indicator in use and a positive weight
    available: np.ndarray       # [T, A, I] an in-use indicator has a score
    n_available: np.ndarray     # [T, A, K] in-use indicators with a score
    dim_ok: np.ndarray          # [T, A, K] the dimension meets DIMENSION_COVERAGE
    overall_ok: np.ndarray      # [T, A] enough dimensions (OVERALL_COVERAGE)


def membership(ind_dim: np.ndarray, n_dims: int) -> np.ndarray:
    """Return the [I, K] 0/1 matrix of which dimension each indicator belongs to."""
    member = np.zeros((len(ind_dim), n_dims))
    member[np.arange(len(ind_dim)), ind_dim] = 1.0
    return member


def coverage(scores: np.ndarray, ind_dim: np.ndarray, n_dims: int, active: np.ndarray,
             ind_weight: np.ndarray, dim_weight: np.ndarray) -> Coverage:
    """Return the coverage of scores [T, A, I] under the rules (weights decide what is in use)."""
    member = membership(ind_dim, n_dims)
    ind_in_use = active & (ind_weight > 0)
    n_use = ind_in_use.astype(float) @ member
    dim_in_use = (n_use > 0) & (dim_weight > 0)
    available = ~np.isnan(scores) & ind_in_use
    n_available = available.astype(float) @ member
    dim_ok = meets_share(n_available, n_use, DIMENSION_COVERAGE) & dim_in_use
    overall_ok = meets_share(dim_ok.sum(axis=-1), dim_in_use.sum(), OVERALL_COVERAGE)
    return Coverage(ind_in_use, dim_in_use, available, n_available.astype(np.int64), dim_ok,
                    overall_ok)


def _transform(scores: np.ndarray, aggregation: str) -> np.ndarray:
    """Return the scores on the scale where the aggregation is a weighted arithmetic mean."""
    if aggregation == "arithmetic":
        return scores
    if aggregation == "geometric":
        return np.log(scores + GEOMETRIC_OFFSET)
    raise ValueError(f"unknown aggregation '{aggregation}'")


def _untransform(means: np.ndarray, aggregation: str) -> np.ndarray:
    """Return means back on the 0–100 score scale."""
    return np.exp(means) - GEOMETRIC_OFFSET if aggregation == "geometric" else means


def weighted_means(scores: np.ndarray, available: np.ndarray, weights: np.ndarray,
                   member: np.ndarray, aggregation: str) -> np.ndarray:
    """Return [D, A, K] means of scores [A, I] within groups, for each weight draw [D, I]."""
    values = np.where(available, _transform(np.where(available, scores, 1.0), aggregation), 0.0)
    avail = available.astype(float)
    means = np.empty((len(weights), values.shape[0], member.shape[1]))
    for k in range(member.shape[1]):
        idx = np.flatnonzero(member[:, k])
        w = weights[:, idx]
        with np.errstate(divide="ignore", invalid="ignore"):
            means[:, :, k] = (w @ values[:, idx].T) / (w @ avail[:, idx].T)
    return np.clip(_untransform(means, aggregation), 0.0, 100.0)


def aggregate_year(scores: np.ndarray, cov: Coverage, t: int, ind_dim: np.ndarray,
                   ind_weights: np.ndarray, dim_weights: np.ndarray,
                   aggregation: str) -> np.ndarray:
    """Return [D, A, K + 1] dimension scores and (last) overall for year t and weight draws."""
    n_dims = len(cov.dim_in_use)
    member = membership(ind_dim, n_dims)
    avail = cov.available[t]
    dims = weighted_means(scores[t], avail, ind_weights * cov.ind_in_use, member, aggregation)
    dim_ok = cov.dim_ok[t]                                              # [A, K]
    dims = np.where(dim_ok[None], dims, np.nan)
    dim_w = dim_weights * cov.dim_in_use                                # [D, K]
    values = np.where(dim_ok[None], _transform(np.where(dim_ok[None], dims, 1.0), aggregation),
                      0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        overall = (values * dim_w[:, None, :]).sum(-1) / (dim_ok[None] * dim_w[:, None, :]).sum(-1)
    overall = np.clip(_untransform(overall, aggregation), 0.0, 100.0)
    overall = np.where(cov.overall_ok[t][None], overall, np.nan)
    return np.concatenate([dims, overall[:, :, None]], axis=-1)


PAIRWISE_MAX = 64   # up to this many areas, ranks are counted pairwise; above, by sorting


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Return ranks along the last axis: 1 = highest, ties share the best rank, NaN stays NaN.

    Scores must lie within 0–100. The rank is 1 + the number of strictly higher scores.
    """
    scores = np.ascontiguousarray(scores)
    missing = np.isnan(scores)
    n = scores.shape[-1]
    if n <= PAIRWISE_MAX:
        higher = (scores[..., None, :] > scores[..., :, None]).sum(axis=-1)
        return np.where(missing, np.nan, higher + 1.0)
    keyed = np.where(missing, np.inf, -scores)                         # best first, NaN last
    order = np.argsort(keyed, axis=-1)
    ranks = np.empty(scores.shape)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1.0, n + 1.0), scores.shape), axis=-1)
    ordered = np.sort(keyed, axis=-1)
    tied = ((ordered[..., 1:] == ordered[..., :-1]) & np.isfinite(ordered[..., 1:])).any(axis=-1)
    if tied.any():                                                     # ties share the best rank
        sub_order = order[tied]
        sub_sorted = ordered[tied]
        new_group = np.ones(sub_sorted.shape, dtype=bool)
        new_group[:, 1:] = sub_sorted[:, 1:] != sub_sorted[:, :-1]
        pos = np.broadcast_to(np.arange(n), sub_sorted.shape)
        first = np.maximum.accumulate(np.where(new_group, pos, 0), axis=-1)
        sub_ranks = np.empty(sub_sorted.shape)
        np.put_along_axis(sub_ranks, sub_order, first + 1.0, axis=-1)
        ranks[tied] = sub_ranks
    return np.where(missing, np.nan, ranks)


def rank_percentiles(ranks: np.ndarray, percents: tuple[float, ...]) -> list[np.ndarray]:
    """Return, per percent p, the smallest rank r with at least p % of draws (axis 0) at ≤ r.

    This is the inverted-CDF percentile over the draws that have a rank; NaN where none has.
    """
    n_draws = ranks.shape[0]
    cols = ranks.reshape(n_draws, -1)
    valid = ~np.isnan(cols)
    small = cols.shape[1] == 0 or np.nanmax(cols, initial=0) < np.iinfo(np.int16).max
    dtype = np.int16 if small else np.int64
    sentinel = np.iinfo(dtype).max                                   # missing ranks sort last
    ints = np.where(valid, np.nan_to_num(cols), sentinel).astype(dtype)
    ordered = np.sort(ints, axis=0, kind="stable")                   # radix sort for int16
    n_valid = valid.sum(axis=0)
    out = []
    for p in percents:
        k = np.maximum(np.ceil(n_valid * p / 100.0 - 1e-9).astype(np.int64), 1)
        picked = np.take_along_axis(ordered, np.minimum(k, n_draws)[None] - 1, axis=0)[0]
        out.append(np.where(n_valid > 0, picked.astype(float), np.nan).reshape(ranks.shape[1:]))
    return out

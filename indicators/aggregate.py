"""Aggregate indicator scores to dimensions and the overall index; coverage rules and ranks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indicators.method import (
    DEFAULT_RULES,
    GEOMETRIC_OFFSET,
    SCORE_MAX,
    SCORE_MIN,
    Rules,
    meets_share,
)


@dataclass
class Coverage:
    """Which indicators and dimensions are in use and which scores have enough data."""

    ind_in_use: np.ndarray      # [T, I] in publication that year and a positive weight
    dim_in_use: np.ndarray      # [K] the framework dimension has a positive weight
    available: np.ndarray       # [T, A, I] an in-use indicator has a score
    n_available: np.ndarray     # [T, A, K] in-use indicators with a score
    n_expected: np.ndarray      # [T, K] in-use indicators of the dimension
    dim_ok: np.ndarray          # [T, A, K] the dimension meets the dimension coverage rule
    overall_ok: np.ndarray      # [T, A] enough of the framework's dimensions have a score


def membership(ind_dim: np.ndarray, n_dims: int) -> np.ndarray:
    """Return the [I, K] 0/1 matrix of which dimension each indicator belongs to."""
    member = np.zeros((len(ind_dim), n_dims))
    member[np.arange(len(ind_dim)), ind_dim] = 1.0
    return member


def group_counts(mask: np.ndarray, ind_dim: np.ndarray, n_dims: int) -> np.ndarray:
    """Return [..., K] how many indicators of each dimension a mask [..., I] holds."""
    out = np.zeros((*mask.shape[:-1], n_dims), dtype=np.int64)
    for k in range(n_dims):
        out[..., k] = mask[..., ind_dim == k].sum(axis=-1)
    return out


def coverage(scores: np.ndarray, ind_dim: np.ndarray, n_dims: int, publication: np.ndarray,
             ind_weight: np.ndarray, dim_weight: np.ndarray,
             rules: Rules = DEFAULT_RULES) -> Coverage:
    """Return the coverage of scores [T, A, I] under the rules.

    publication [T, I] says which indicators are in publication in each year; a weight of 0
    takes an indicator or a dimension out of use.
    """
    ind_in_use = publication & (ind_weight > 0)
    n_expected = group_counts(ind_in_use, ind_dim, n_dims)
    dim_in_use = dim_weight > 0
    available = ~np.isnan(scores) & ind_in_use[:, None, :]
    n_available = group_counts(available, ind_dim, n_dims)
    dim_ok = meets_share(n_available, n_expected[:, None, :], rules.dimension_coverage) & dim_in_use
    overall_ok = meets_share(dim_ok.sum(axis=-1), int(dim_in_use.sum()), rules.overall_coverage)
    return Coverage(ind_in_use, dim_in_use, available, n_available, n_expected, dim_ok,
                    overall_ok)


def _transform(scores: np.ndarray, aggregation: str) -> np.ndarray:
    """Return the scores on the scale where the aggregation is a weighted arithmetic mean."""
    if aggregation == "arithmetic":
        return scores
    if aggregation == "geometric":
        return np.log(scores + GEOMETRIC_OFFSET)
    raise ValueError(f"unknown aggregation '{aggregation}'")


def _untransform(means: np.ndarray, aggregation: str, out: np.ndarray | None = None
                 ) -> np.ndarray:
    """Return means back on the 0–100 score scale (into out when given, e.g. means itself)."""
    if aggregation != "geometric":
        return means
    return np.subtract(np.exp(means, out=out), GEOMETRIC_OFFSET, out=out)


def _groups(values: np.ndarray, avail: np.ndarray, member: np.ndarray) -> list[tuple]:
    """Return per group k its indicator positions and values, availability as [I_k, A].

    The availability is None where every indicator of the group has a score for every area.
    """
    groups = []
    for k in range(member.shape[1]):
        idx = np.flatnonzero(member[:, k])
        group_avail = avail[:, idx]
        groups.append((idx, np.ascontiguousarray(values[:, idx].T),
                       None if group_avail.all() else np.ascontiguousarray(group_avail.T)))
    return groups


def _group_means(groups: list[tuple], weights: np.ndarray, n_areas: int) -> np.ndarray:
    """Return [D, K, A] weighted means (on the transformed scale) within the groups.

    The sums are einsum products rather than BLAS ones: the matrices are small, and BLAS
    threads cost more than they bring on a shared two-core machine. Where a group has every
    score, the weights of each area are the draw's whole weight of the group.
    """
    means = np.empty((len(weights), len(groups), n_areas), dtype=weights.dtype)
    for k, (idx, values, avail) in enumerate(groups):
        w = weights[:, idx]
        total = (w.sum(axis=1)[:, None] if avail is None
                 else np.einsum("di,ia->da", w, avail))
        with np.errstate(divide="ignore", invalid="ignore"):
            np.divide(np.einsum("di,ia->da", w, values), total, out=means[:, k, :])
    return means


def _prepared(scores: np.ndarray, available: np.ndarray, aggregation: str) -> tuple:
    """Return the scores on the aggregation's scale (0 where unavailable) and the 0/1 mask."""
    dtype = scores.dtype if scores.dtype.kind == "f" else np.float64
    values = np.where(available, _transform(np.where(available, scores, 1.0), aggregation), 0.0)
    return values.astype(dtype, copy=False), available.astype(dtype)


def weighted_means(scores: np.ndarray, available: np.ndarray, weights: np.ndarray,
                   member: np.ndarray, aggregation: str) -> np.ndarray:
    """Return [D, A, K] means of scores [A, I] within groups, for each weight draw [D, I]."""
    values, avail = _prepared(scores, available, aggregation)
    means = _group_means(_groups(values, avail, member), weights.astype(values.dtype, copy=False),
                         values.shape[0])
    return np.clip(_untransform(means, aggregation), SCORE_MIN, SCORE_MAX).transpose(0, 2, 1)


def overall_means(dims: np.ndarray, ok: np.ndarray, dim_weights: np.ndarray,
                  aggregation: str) -> np.ndarray:
    """Return [D, A] weighted means of the dimension scores [D, A, K] where ok [A, K]."""
    values = np.where(ok[None], _transform(np.where(ok[None], dims, 1.0), aggregation), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = ((values * dim_weights[:, None, :]).sum(-1)
                 / (ok[None] * dim_weights[:, None, :]).sum(-1))
    return np.clip(_untransform(means, aggregation), SCORE_MIN, SCORE_MAX)


@dataclass
class YearBlock:
    """One year's scores prepared for aggregation under one aggregation method."""

    groups: list[tuple]         # per dimension: indicator positions, values and 0/1 [I_k, A]
    n_areas: int
    ind_in_use: np.ndarray      # [I]
    dim_ok: np.ndarray          # [K, A]
    overall_ok: np.ndarray      # [A]
    dim_in_use: np.ndarray      # [K]
    aggregation: str


def year_block(scores: np.ndarray, cov: Coverage, t: int, ind_dim: np.ndarray,
               aggregation: str, areas: np.ndarray | None = None,
               dtype=np.float64) -> YearBlock:
    """Return year t of scores [T, A, I] and their coverage, for the areas (mask) given."""
    areas = slice(None) if areas is None else areas
    values, avail = _prepared(scores[t][areas].astype(dtype), cov.available[t][areas],
                              aggregation)
    member = membership(ind_dim, len(cov.dim_in_use))
    return YearBlock(_groups(values, avail, member), values.shape[0], cov.ind_in_use[t],
                     np.ascontiguousarray(cov.dim_ok[t][areas].T), cov.overall_ok[t][areas],
                     cov.dim_in_use, aggregation)


def aggregate_block(block: YearBlock, ind_weights: np.ndarray,
                    dim_weights: np.ndarray) -> np.ndarray:
    """Return [D, K + 1, A] dimension scores and (last) overall for weight draws [D, I], [D, K]."""
    dtype = block.groups[0][1].dtype if block.groups else np.float64
    w = (ind_weights * block.ind_in_use).astype(dtype, copy=False)
    means = _group_means(block.groups, w, block.n_areas)                  # [D, K, A]
    ok = block.dim_ok[None]
    dim_w = (dim_weights * block.dim_in_use).astype(dtype, copy=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        index = (np.einsum("dka,dk->da", np.where(ok, means, 0.0), dim_w)
                 / np.einsum("ka,dk->da", block.dim_ok.astype(dtype), dim_w))
    out = np.empty((len(w), means.shape[1] + 1, means.shape[2]), dtype=dtype)
    out[:, :-1] = np.where(ok, means, np.nan)
    out[:, -1] = np.where(block.overall_ok[None], index, np.nan)
    return np.clip(_untransform(out, block.aggregation, out=out), SCORE_MIN, SCORE_MAX, out=out)


def aggregate_year(scores: np.ndarray, cov: Coverage, t: int, ind_dim: np.ndarray,
                   ind_weights: np.ndarray, dim_weights: np.ndarray,
                   aggregation: str) -> np.ndarray:
    """Return [D, A, K + 1] dimension scores and (last) overall for year t and weight draws."""
    block = year_block(scores, cov, t, ind_dim, aggregation)
    return aggregate_block(block, ind_weights, dim_weights).transpose(0, 2, 1)


RANK_CHUNK_CELLS = 1 << 17    # rows are ranked in chunks of about this many cells (cache)


def rank_rows(scores: np.ndarray, decimals: int = DEFAULT_RULES.rank_decimals) -> np.ndarray:
    """Return integer ranks of each row of scores [N, n] (0–100): 1 = highest, 0 = missing.

    Scores are compared rounded to `decimals`; the rank is 1 + the number of higher rounded
    scores in the row. The higher scores are counted on the grid of rounded scores (n + 1,001
    steps a row at one decimal) or, for short rows where that is cheaper, by comparing the
    rounded scores pairwise (n² steps); either way in chunks of rows that fit the cache.
    """
    scale = 10 ** decimals
    n_keys = int(round((SCORE_MAX - SCORE_MIN) * scale)) + 1
    width = n_keys + 1                                  # one more cell holds the missing scores
    n_rows, n = scores.shape
    ranks = np.zeros(scores.shape, dtype=np.int16 if n < np.iinfo(np.int16).max else np.int64)
    pairwise = n * n <= width
    step = max(1, RANK_CHUNK_CELLS // (n * n if pairwise else max(n, width)))
    for start in range(0, n_rows, step):
        chunk = scores[start:start + step]
        rows = len(chunk)
        grid = (chunk - SCORE_MIN) * scale
        np.rint(grid, out=grid)
        missing = np.isnan(grid)
        if pairwise:
            higher = np.count_nonzero(grid[:, None, :] > grid[:, :, None], axis=-1)  # NaN: never
            ranks[start:start + step] = np.where(missing, 0, higher + 1)
            continue
        np.clip(grid, 0, n_keys - 1, out=grid)
        np.copyto(grid, n_keys, where=missing)
        grid += (np.arange(rows, dtype=grid.dtype) * width)[:, None]   # < 2**24: exact
        keys = grid.astype(np.intp)
        counts = np.bincount(keys.reshape(-1), minlength=rows * width)
        at_most = np.cumsum(counts.reshape(rows, width), axis=1, dtype=np.int32)
        rank = at_most[:, n_keys - 1:n_keys] + 1 - at_most.reshape(-1)[keys]
        rank[missing] = 0
        ranks[start:start + step] = rank
    return ranks


def competition_ranks(scores: np.ndarray, decimals: int = DEFAULT_RULES.rank_decimals
                      ) -> np.ndarray:
    """Return ranks along the last axis: 1 = highest, NaN stays NaN.

    Scores (0–100) are compared rounded to `decimals`, so scores that look the same share the
    best rank: the rank is 1 + the number of higher rounded scores (`rank_rows`).
    """
    scores = np.asarray(scores, dtype=float)
    if not scores.size:
        return scores.copy()
    ranks = rank_rows(np.ascontiguousarray(scores).reshape(-1, scores.shape[-1]), decimals)
    return np.where(ranks > 0, ranks, np.nan).reshape(scores.shape)


def rank_percentiles(ranks: np.ndarray, percents: tuple[float, ...]) -> list[np.ndarray]:
    """Return, per percent p, the smallest rank r with at least p % of draws (axis 0) at ≤ r.

    This is the inverted-CDF percentile (numpy's method="inverted_cdf") over the draws that have
    a rank; NaN where none has. Float ranks use NaN for missing and go to numpy; integer ranks
    (0 = missing) are counted per rank, which is the same percentile in linear time.
    """
    if ranks.dtype.kind == "f":
        valid = ~np.isnan(ranks)
        out = [np.full(ranks.shape[1:], np.nan) for _ in percents]
        some = valid.any(axis=0)
        if some.any():
            picked = np.nanpercentile(ranks[:, some], percents, axis=0, method="inverted_cdf")
            for o, p in zip(out, picked, strict=True):
                o[some] = p
        return out
    n_draws = ranks.shape[0]
    cells = ranks.reshape(n_draws, -1)
    top = int(cells.max(initial=0)) + 1
    out = [np.full(cells.shape[1], np.nan) for _ in percents]
    step = max(1, RANK_CHUNK_CELLS // top)
    for start in range(0, cells.shape[1], step):
        chunk = cells[:, start:start + step]                           # [D, c]
        size = chunk.shape[1]
        keys = np.arange(size, dtype=np.intp) * top + chunk            # one pass, as intp
        counts = np.bincount(keys.reshape(-1), minlength=size * top).reshape(size, top)
        counts[:, 0] = 0                                               # rank 0 = no score
        at_most = np.cumsum(counts, axis=1, dtype=np.int32)
        n_valid = at_most[:, -1]
        for o, p in zip(out, percents, strict=True):
            need = np.maximum(np.ceil(n_valid * (p / 100.0) - 1e-9), 1)
            o[start:start + step] = np.where(n_valid > 0,
                                             (at_most >= need[:, None]).argmax(axis=1), np.nan)
    return [o.reshape(ranks.shape[1:]) for o in out]

"""Monte Carlo rank intervals over weights, normalisation and aggregation (seeded, vectorised)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from indicators.aggregate import (
    Coverage,
    aggregate_block,
    rank_percentiles,
    rank_rows,
    year_block,
)
from indicators.method import (
    AGGREGATIONS,
    DEFAULT_RULES,
    DIRICHLET_CONCENTRATION,
    NORMALISATIONS,
    RANK_PERCENTILES,
)


@dataclass
class Draws:
    """The sampled methods: one normalisation, aggregation and weight vector per draw."""

    normalisation: np.ndarray   # [D] index into NORMALISATIONS
    aggregation: np.ndarray     # [D] index into AGGREGATIONS
    ind_weights: np.ndarray     # [D, I] sum to 1 within each dimension
    dim_weights: np.ndarray     # [D, K] sum to 1


def dirichlet_around(rng: np.random.Generator, weights: np.ndarray, draws: int) -> np.ndarray:
    """Return [draws, n] Dirichlet weights centred on weights (α = c · n_positive · share)."""
    weights = np.asarray(weights, dtype=float)
    out = np.zeros((draws, len(weights)))
    positive = weights > 0
    if positive.sum() == 1:
        out[:, positive] = 1.0
    elif positive.sum() > 1:
        share = weights[positive] / weights[positive].sum()
        alpha = DIRICHLET_CONCENTRATION * positive.sum() * share
        out[:, positive] = rng.dirichlet(alpha, size=draws)
    return out


def draw_methods(ind_weights: np.ndarray, dim_weights: np.ndarray, ind_dim: np.ndarray,
                 draws: int, seed: int) -> Draws:
    """Return the seeded draws: methods uniformly, weights Dirichlet around the chosen ones."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    rng = np.random.default_rng(seed)
    norm = rng.integers(0, len(NORMALISATIONS), size=draws)
    agg = rng.integers(0, len(AGGREGATIONS), size=draws)
    dim_w = dirichlet_around(rng, dim_weights, draws)
    ind_w = np.zeros((draws, len(ind_weights)))
    for k in range(len(dim_weights)):
        idx = np.flatnonzero(ind_dim == k)
        if len(idx):
            ind_w[:, idx] = dirichlet_around(rng, ind_weights[idx], draws)
    return Draws(norm, agg, ind_w, dim_w)


MC_CHUNK_CELLS = 1 << 19   # draws are aggregated and ranked in chunks of about this many scores


def _method_runs(sampled: Draws, n_areas: int) -> list[tuple[str, str, slice, np.ndarray]]:
    """Return (normalisation, aggregation, positions, draw indices) of the draws by method.

    Positions are slices of the draws reordered by method, in chunks small enough for the cache.
    """
    chunk = max(1, MC_CHUNK_CELLS // (n_areas * (sampled.dim_weights.shape[1] + 1)))
    combo = sampled.normalisation * len(AGGREGATIONS) + sampled.aggregation
    order = np.argsort(combo, kind="stable")
    runs, start = [], 0
    for value in np.unique(combo):
        n = int((combo == value).sum())
        norm, agg = NORMALISATIONS[value // len(AGGREGATIONS)], AGGREGATIONS[value % len(
            AGGREGATIONS)]
        for lo in range(start, start + n, chunk):
            hi = min(lo + chunk, start + n)
            runs.append((norm, agg, slice(lo, hi), order[lo:hi]))
        start += n
    return runs


def simulate_year(scores: dict[str, np.ndarray], covs: dict[str, Coverage], t: int,
                  ind_dim: np.ndarray, sampled: Draws) -> np.ndarray:
    """Return [D, A, K + 1] dimension and overall scores of year t for every draw."""
    n_areas = next(iter(scores.values())).shape[1]
    out = np.full((len(sampled.normalisation), sampled.dim_weights.shape[1] + 1, n_areas),
                  np.nan)
    blocks = {}
    for norm, agg, _, draws in _method_runs(sampled, n_areas):
        if (norm, agg) not in blocks:
            blocks[norm, agg] = year_block(scores[norm], covs[norm], t, ind_dim, agg)
        out[draws] = aggregate_block(blocks[norm, agg], sampled.ind_weights[draws],
                                     sampled.dim_weights[draws])
    return out.transpose(0, 2, 1)


def year_rank_draws(scores: dict[str, np.ndarray], covs: dict[str, Coverage], t: int,
                    ind_dim: np.ndarray, is_region: np.ndarray, sampled: Draws,
                    decimals: int = DEFAULT_RULES.rank_decimals) -> np.ndarray:
    """Return the regions' integer ranks [D, K + 1, R] in year t, 0 where a draw has no score.

    The draws come in method order (the order does not matter for percentiles). Scores are
    aggregated in single precision, which is exact to far more than the rounding of the ranks.
    """
    n_regions = int(is_region.sum())
    n_cols = sampled.dim_weights.shape[1] + 1
    ranks = np.zeros((len(sampled.normalisation), n_cols, n_regions), dtype=np.int32)
    blocks = {}
    for norm, agg, positions, draws in _method_runs(sampled, n_regions):
        if (norm, agg) not in blocks:
            blocks[norm, agg] = year_block(scores[norm], covs[norm], t, ind_dim, agg,
                                           is_region, np.float32)
        sim = aggregate_block(blocks[norm, agg], sampled.ind_weights[draws],
                              sampled.dim_weights[draws])                 # [c, K+1, R]
        ranks[positions] = rank_rows(sim.reshape(-1, n_regions), decimals).reshape(sim.shape)
    return ranks


MC_WORKERS = min(2, os.cpu_count() or 1)   # years ranked side by side (numpy frees the GIL)
MC_THREAD_CELLS = 1 << 18   # below this many ranks a year, threads only wait for each other


def year_workers(n_regions: int, draws: int, workers: int = MC_WORKERS) -> int:
    """Return how many threads should rank the years: one where a year's work is small."""
    return max(1, workers) if n_regions * draws >= MC_THREAD_CELLS else 1


def rank_interval_arrays(scores: dict[str, np.ndarray], covs: dict[str, Coverage],
                         year_indices, ind_dim: np.ndarray, is_region: np.ndarray,
                         sampled: Draws, decimals: int = DEFAULT_RULES.rank_decimals,
                         workers: int = MC_WORKERS) -> tuple[np.ndarray, np.ndarray]:
    """Return (low, high) [T, R, K + 1] percentile ranks among the regions over the draws.

    Each draw is ranked like the published scores (rounded to `decimals`). The years are
    independent, so up to `workers` threads rank them at once; the result does not depend on it.
    """
    n_regions, n_cols = int(is_region.sum()), sampled.dim_weights.shape[1] + 1
    year_indices = list(year_indices)
    low = np.full((len(year_indices), n_regions, n_cols), np.nan)
    high = np.full((len(year_indices), n_regions, n_cols), np.nan)
    todo = [(n, t) for n, t in enumerate(year_indices)
            if any(c.dim_ok[t][is_region].any() for c in covs.values())]   # else nothing to rank

    def percentiles(t: int) -> list[np.ndarray]:
        ranks = year_rank_draws(scores, covs, t, ind_dim, is_region, sampled, decimals)
        return rank_percentiles(ranks, RANK_PERCENTILES)

    years = [t for _, t in todo]
    n_threads = year_workers(n_regions, len(sampled.normalisation), workers)
    if n_threads > 1:
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            results = list(pool.map(percentiles, years))
    else:
        results = [percentiles(t) for t in years]
    for (n, _), (lo, hi) in zip(todo, results, strict=True):
        low[n], high[n] = lo.T, hi.T
    return low, high

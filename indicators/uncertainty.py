"""Monte Carlo rank intervals over weights, normalisation and aggregation (seeded, vectorised)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indicators.aggregate import Coverage, aggregate_year, competition_ranks, rank_percentiles
from indicators.method import (
    AGGREGATIONS,
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


def simulate_year(scores: dict[str, np.ndarray], covs: dict[str, Coverage], t: int,
                  ind_dim: np.ndarray, sampled: Draws) -> np.ndarray:
    """Return [D, A, K + 1] dimension and overall scores of year t for every draw."""
    n_draws = len(sampled.normalisation)
    n_areas = next(iter(scores.values())).shape[1]
    out = np.full((n_draws, n_areas, sampled.dim_weights.shape[1] + 1), np.nan)
    for n_i, norm in enumerate(NORMALISATIONS):
        for g_i, agg in enumerate(AGGREGATIONS):
            sel = (sampled.normalisation == n_i) & (sampled.aggregation == g_i)
            if sel.any():
                out[sel] = aggregate_year(scores[norm], covs[norm], t, ind_dim,
                                          sampled.ind_weights[sel], sampled.dim_weights[sel], agg)
    return out


def rank_interval_arrays(scores: dict[str, np.ndarray], covs: dict[str, Coverage],
                         year_indices, ind_dim: np.ndarray, is_region: np.ndarray,
                         sampled: Draws) -> tuple[np.ndarray, np.ndarray]:
    """Return (low, high) [T, R, K + 1] percentile ranks among the regions over the draws."""
    lo_p, hi_p = RANK_PERCENTILES
    lows, highs = [], []
    n_cols = sampled.dim_weights.shape[1] + 1
    for t in year_indices:
        if not any(c.dim_ok[t][is_region].any() for c in covs.values()):
            empty = np.full((int(is_region.sum()), n_cols), np.nan)     # nothing to rank
            lows.append(empty)
            highs.append(empty)
            continue
        sim = simulate_year(scores, covs, t, ind_dim, sampled)[:, is_region, :]   # [D, R, K+1]
        ranks = competition_ranks(sim.transpose(0, 2, 1)).transpose(0, 2, 1)      # [D, R, K+1]
        low, high = rank_percentiles(ranks, (lo_p, hi_p))
        lows.append(low)
        highs.append(high)
    shape = (0, int(is_region.sum()), n_cols)
    if not lows:
        return np.zeros(shape), np.zeros(shape)
    return np.stack(lows), np.stack(highs)

"""Public scoring API: indicator, dimension and overall scores, ranks, rank intervals, peers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.aggregate import Coverage, aggregate_year, competition_ranks, coverage
from indicators.method import (
    CHANGE_LAGS,
    INSUFFICIENT_FLAG,
    MC_DRAWS,
    MC_SEED,
    METHOD_VERSION,
    NORMALISATIONS,
    OVERALL,
    Method,
    WeightsError,
    dimension_weights,
    indicator_weights,
    validate_method,
)
from indicators.normalise import goalposts, normalise
from indicators.panel import Panel, ScoringInputError, build_panel, on_scale
from indicators.peers import peers
from indicators.strengths import strengths_weaknesses
from indicators.uncertainty import draw_methods, rank_interval_arrays

__all__ = [
    "METHOD_VERSION", "Method", "WeightsError", "ScoringInputError", "ScoreResult",
    "validate_method", "score_panel", "rank_intervals", "peers", "strengths_weaknesses",
    "warehouse_scores",
]

INDICATOR_SCORE_COLUMNS = ["indicator_id", "area_code", "period", "value_period", "value", "score"]
DIMENSION_SCORE_COLUMNS = ["area_code", "period", "dimension", "score", "rank", "change_1y",
                           "change_5y", "n_indicators", "flag"]
INTERVAL_COLUMNS = ["area_code", "period", "dimension", "rank_low", "rank_high"]
DEFAULT_METHOD = Method()
SCORES_TABLE_COLUMNS = ["area_code", "period", "dimension", "score", "rank", "rank_low",
                        "rank_high", "change_1y", "change_5y", "n_indicators", "flag", "method"]


@dataclass
class ScoreResult:
    """Scores of the regions and the country: per indicator, per dimension and overall."""

    indicator_scores: pd.DataFrame
    dimension_scores: pd.DataFrame
    method: Method = field(default_factory=Method)
    goalposts: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class _Context:
    """The prepared panel, goalposts and weights shared by point scores and Monte Carlo."""

    panel: Panel
    low: np.ndarray
    high: np.ndarray
    origin: np.ndarray
    ind_w: np.ndarray
    dim_w: np.ndarray


def _prepare(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
             method: Method) -> _Context:
    """Validate the inputs and build the panel, the goalposts and the weight vectors."""
    if not isinstance(indicators, pd.DataFrame) or not {"id", "dimension"} <= set(indicators):
        raise ScoringInputError("indicators must be a DataFrame with columns id and dimension")
    validate_method(method, indicators)
    panel = build_panel(observations, indicators, areas)
    low, high, origin = goalposts(on_scale(panel.raw, panel.log_scale), panel.is_region,
                                  on_scale(panel.goal_low, panel.log_scale),
                                  on_scale(panel.goal_high, panel.log_scale))
    iw = indicator_weights(method, indicators)
    dw = dimension_weights(method, panel.dims)
    ind_w = np.array([iw[i] for i in panel.indicator_ids]) * panel.active
    dim_w = np.array([dw[d] for d in panel.dims])
    return _Context(panel, low, high, origin, ind_w, dim_w)


def _scores(ctx: _Context, normalisation: str) -> tuple[np.ndarray, Coverage]:
    """Return indicator scores [T, A, I] and their coverage under one normalisation."""
    p = ctx.panel
    scores = normalise(normalisation, on_scale(p.latest, p.log_scale), p.is_region, p.sign,
                       ctx.low, ctx.high)
    scores[..., ~p.active] = np.nan          # too few regions have data: not scored at all
    cov = coverage(scores, p.ind_dim, len(p.dims), p.active, ctx.ind_w, ctx.dim_w)
    return scores, cov


def _year_indices(panel: Panel, years: Iterable[int] | None) -> np.ndarray:
    """Return the indices of the requested years (all years when None)."""
    if years is None:
        return np.arange(len(panel.periods))
    if isinstance(years, int | np.integer):
        years = [years]
    wanted = {int(y) for y in years}
    return np.flatnonzero(np.isin(panel.periods, sorted(wanted)))


def _point_arrays(ctx: _Context, method: Method) -> tuple[np.ndarray, np.ndarray, Coverage]:
    """Return indicator scores [T, A, I], dimension+overall scores [T, A, K+1] and coverage."""
    scores, cov = _scores(ctx, method.normalisation)
    p = ctx.panel
    n_cols = len(p.dims) + 1
    dims = np.full((len(p.periods), p.n_areas, n_cols), np.nan)
    for t in range(len(p.periods)):
        dims[t] = aggregate_year(scores, cov, t, p.ind_dim, ctx.ind_w[None], ctx.dim_w[None],
                                 method.aggregation)[0]
    return scores, dims, cov


def _region_ranks(dims: np.ndarray, is_region: np.ndarray) -> np.ndarray:
    """Return ranks [T, A, K+1] among the regions (NaN for the country and missing scores)."""
    ranks = np.full(dims.shape, np.nan)
    ranks[:, is_region, :] = competition_ranks(
        dims[:, is_region, :].transpose(0, 2, 1)).transpose(0, 2, 1)
    return ranks


def _lagged_change(dims: np.ndarray, lag: int) -> np.ndarray:
    """Return score(t) − score(t − lag) along the year axis (NaN when either is missing)."""
    change = np.full(dims.shape, np.nan)
    if lag < len(dims):
        change[lag:] = dims[lag:] - dims[:-lag]
    return change


def _indicator_frame(ctx: _Context, scores: np.ndarray, t_idx: np.ndarray) -> pd.DataFrame:
    """Return the indicator_scores frame for the chosen years (rows with a score only)."""
    p = ctx.panel
    sub = scores[t_idx]
    t, a, i = np.nonzero(~np.isnan(sub))
    frame = pd.DataFrame({
        "indicator_id": np.array(p.indicator_ids, dtype=object)[i],
        "area_code": np.array(p.area_codes, dtype=object)[a],
        "period": p.periods[t_idx][t].astype(np.int64),
        "value_period": p.value_period[t_idx][t, a, i].astype(np.int64),
        "value": p.latest[t_idx][t, a, i],
        "score": sub[t, a, i],
    })
    return frame[INDICATOR_SCORE_COLUMNS]


def _long(arr: np.ndarray, t_idx: np.ndarray) -> np.ndarray:
    """Return an [T, A, K+1] array restricted to t_idx and flattened in frame row order."""
    return arr[t_idx].reshape(-1)


def _dimension_frame(ctx: _Context, dims: np.ndarray, cov: Coverage,
                     t_idx: np.ndarray) -> pd.DataFrame:
    """Return the dimension_scores frame for the chosen years (every area × dimension row)."""
    p = ctx.panel
    n_cols = len(p.dims) + 1
    ranks = _region_ranks(dims, p.is_region)
    changes = {lag: _lagged_change(dims, lag) for lag in CHANGE_LAGS}
    n_ind = np.concatenate(
        [cov.n_available, (cov.n_available * cov.dim_ok).sum(-1, keepdims=True)], axis=-1)
    n_t = len(t_idx)
    score = _long(dims, t_idx)
    frame = pd.DataFrame({
        "area_code": np.tile(np.repeat(np.array(p.area_codes, dtype=object), n_cols), n_t),
        "period": np.repeat(p.periods[t_idx], p.n_areas * n_cols).astype(np.int64),
        "dimension": np.tile(np.array([*p.dims, OVERALL], dtype=object), n_t * p.n_areas),
        "score": score,
        "rank": pd.array(_long(ranks, t_idx), dtype="Float64").astype("Int64"),
        "change_1y": _long(changes[1], t_idx),
        "change_5y": _long(changes[5], t_idx),
        "n_indicators": _long(n_ind, t_idx).astype(np.int64),
        "flag": np.where(np.isnan(score), INSUFFICIENT_FLAG, None).astype(object),
    })
    frame["flag"] = frame["flag"].astype(object).where(frame["flag"].notna(), None)
    return frame[DIMENSION_SCORE_COLUMNS]


def _goalpost_frame(ctx: _Context) -> pd.DataFrame:
    """Return the goalposts (in value units), their origin ('catalog'|'data'), scale and use."""
    p = ctx.panel
    low, high = (np.where(p.log_scale, np.exp(np.where(p.log_scale, x, 0.0)), x)
                 for x in (ctx.low, ctx.high))
    return pd.DataFrame({"indicator_id": p.indicator_ids, "low": low, "high": high,
                         "origin": ctx.origin, "scale": np.where(p.log_scale, "log", "linear"),
                         "in_use": p.active})


def _score(ctx: _Context, method: Method, years) -> ScoreResult:
    """Return the ScoreResult of a prepared context."""
    scores, dims, cov = _point_arrays(ctx, method)
    t_idx = _year_indices(ctx.panel, years)
    return ScoreResult(_indicator_frame(ctx, scores, t_idx),
                       _dimension_frame(ctx, dims, cov, t_idx), method, _goalpost_frame(ctx))


def score_panel(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
                method: Method = DEFAULT_METHOD, years: Iterable[int] | None = None) -> ScoreResult:
    """Score the 19 regions and the country (reference line) for every year, or the given years."""
    return _score(_prepare(observations, indicators, areas, method), method, years)


def _intervals(ctx: _Context, method: Method, draws: int, seed: int, years) -> pd.DataFrame:
    """Return the rank interval frame of a prepared context, widened to hold the point rank."""
    p = ctx.panel
    t_idx = _year_indices(p, years)
    _, dims, _ = _point_arrays(ctx, method)
    point = _region_ranks(dims, p.is_region)[t_idx][:, p.is_region, :]
    scored = {n: _scores(ctx, n) for n in NORMALISATIONS}
    sampled = draw_methods(ctx.ind_w, ctx.dim_w, p.ind_dim, draws, seed)
    low, high = rank_interval_arrays({n: s for n, (s, _) in scored.items()},
                                     {n: c for n, (_, c) in scored.items()},
                                     t_idx, p.ind_dim, p.is_region, sampled)
    low, high = np.fmin(low, point), np.fmax(high, point)
    low = np.where(np.isnan(point), np.nan, low)
    high = np.where(np.isnan(point), np.nan, high)
    regions = np.array(p.area_codes, dtype=object)[p.is_region]
    n_cols = len(p.dims) + 1
    n_t = len(t_idx)
    frame = pd.DataFrame({
        "area_code": np.tile(np.repeat(regions, n_cols), n_t),
        "period": np.repeat(p.periods[t_idx], len(regions) * n_cols).astype(np.int64),
        "dimension": np.tile(np.array([*p.dims, OVERALL], dtype=object), n_t * len(regions)),
        "rank_low": pd.array(low.reshape(-1), dtype="Float64").astype("Int64"),
        "rank_high": pd.array(high.reshape(-1), dtype="Float64").astype("Int64"),
    })
    return frame[INTERVAL_COLUMNS]


def rank_intervals(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
                   method: Method = DEFAULT_METHOD, draws: int = MC_DRAWS, seed: int = MC_SEED,
                   years: Iterable[int] | None = None) -> pd.DataFrame:
    """Return 5th–95th percentile rank intervals of every region, year and dimension."""
    ctx = _prepare(observations, indicators, areas, method)
    return _intervals(ctx, method, draws, seed, years)


def warehouse_scores(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
                     draws: int = MC_DRAWS, seed: int = MC_SEED) -> dict[str, pd.DataFrame]:
    """Return the scores, indicator_scores and peers tables of the default method."""
    method = Method()
    ctx = _prepare(observations, indicators, areas, method)
    result = _score(ctx, method, None)
    intervals = _intervals(ctx, method, draws, seed, None)
    scores = result.dimension_scores.merge(intervals, on=["area_code", "period", "dimension"],
                                           how="left")
    method_id = method.id()
    scores["method"] = method_id
    ind = result.indicator_scores.copy()
    ind["method"] = method_id
    peer_frame = peers(observations, indicators, areas).copy()
    peer_frame["method"] = method_id
    return {"scores": scores[SCORES_TABLE_COLUMNS], "indicator_scores": ind,
            "peers": peer_frame}

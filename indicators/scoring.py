"""Public scoring API: indicator, dimension and overall scores, ranks, rank intervals, peers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.aggregate import (
    Coverage,
    aggregate_year,
    competition_ranks,
    coverage,
    group_counts,
)
from indicators.changes import comparable_changes
from indicators.goalposts import GOALPOST_COLUMNS, load_goalposts
from indicators.method import (
    DEFAULT_RULES,
    INSUFFICIENT_FLAG,
    MC_DRAWS,
    MC_SEED,
    METHOD_VERSION,
    NORMALISATIONS,
    OVERALL,
    Method,
    Rules,
    WeightsError,
    dimension_weights,
    indicator_weights,
    method_problems,
    validate_method,
)
from indicators.normalise import capped, choose_goalposts, data_goalposts, normalise
from indicators.panel import Panel, ScoringInputError, build_panel, on_scale
from indicators.peers import peers, peers_by_period
from indicators.strengths import extremes, stored_strengths, strengths_weaknesses
from indicators.uncertainty import draw_methods, rank_interval_arrays

__all__ = [
    "METHOD_VERSION", "Method", "Rules", "WeightsError", "ScoringInputError", "ScoreResult",
    "validate_method", "method_problems", "score_panel", "rank_intervals", "peers",
    "strengths_weaknesses", "stored_strengths", "extremes", "warehouse_scores",
]

INDICATOR_SCORE_COLUMNS = ["indicator_id", "area_code", "period", "value_period", "value", "score",
                           "capped"]
AGE_COLUMNS = ["n_indicators", "n_expected", "n_carried", "newest_period", "oldest_period"]
INTERVAL_COLUMNS = ["area_code", "period", "dimension", "rank_low", "rank_high"]
DEFAULT_METHOD = Method()
NO_GOALPOSTS = pd.DataFrame(columns=["indicator_id", "low", "high", "scale"])
NO_BREAKS = pd.DataFrame(columns=["indicator_id", "period", "level", "kind"])


def _change_columns(lags: Sequence[int]) -> list[str]:
    """Return the change and note columns for the lags, e.g. change_1y, change_1y_note."""
    return [c for lag in lags for c in (f"change_{lag}y", f"change_{lag}y_note")]


DIMENSION_SCORE_COLUMNS = ["area_code", "period", "dimension", "score", "rank", "n_ranked",
                           *_change_columns(DEFAULT_RULES.change_lags), *AGE_COLUMNS, "flag"]
SCORES_TABLE_COLUMNS = ["area_code", "period", "dimension", "score", "rank", "rank_low",
                        "rank_high", "n_ranked", *_change_columns(DEFAULT_RULES.change_lags),
                        *AGE_COLUMNS, "flag", "method"]


@dataclass
class ScoreResult:
    """Scores of the regions and the country: per indicator, per dimension and overall."""

    indicator_scores: pd.DataFrame
    dimension_scores: pd.DataFrame
    method: Method = field(default_factory=Method)
    goalposts: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class _Context:
    """The prepared panel, goalposts, weights and rules shared by point scores and Monte Carlo."""

    panel: Panel
    low: np.ndarray
    high: np.ndarray
    origin: np.ndarray
    ind_w: np.ndarray
    dim_w: np.ndarray
    rules: Rules


def _fixed_goalposts(goalposts: pd.DataFrame, panel: Panel) -> tuple[np.ndarray, np.ndarray]:
    """Return the fixed goalposts [I] on the normalisation scale (NaN where the file has none)."""
    if not isinstance(goalposts, pd.DataFrame) or not {"indicator_id", "low", "high"} <= set(
            goalposts.columns):
        raise ScoringInputError("goalposts must be a DataFrame with indicator_id, low and high")
    table = goalposts.drop_duplicates("indicator_id", keep="last").set_index("indicator_id")
    table = table.reindex(panel.indicator_ids)
    if "scale" in table.columns:
        stated = table["scale"].dropna()
        log_ids = {i for i, log in zip(panel.indicator_ids, panel.log_scale, strict=True) if log}
        wrong = sorted(i for i, s in stated.items() if (s == "log") != (i in log_ids))
        if wrong:
            raise ScoringInputError(f"goalposts give the wrong scale for {wrong}; the method's "
                                    "log-scale indicators are fixed in indicators/method.py")
    low = pd.to_numeric(table["low"], errors="coerce").to_numpy(dtype=float)
    high = pd.to_numeric(table["high"], errors="coerce").to_numpy(dtype=float)
    broken = [i for i, lo, hi in zip(panel.indicator_ids, low, high, strict=True)
              if np.isfinite(lo) and np.isfinite(hi) and not lo < hi]
    if broken:
        raise ScoringInputError(f"goalposts need low < high for {broken}")
    return on_scale(low, panel.log_scale), on_scale(high, panel.log_scale)


def _prepare(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
             method: Method, dimensions: Sequence[str] | None, breaks: pd.DataFrame | None,
             goalposts: pd.DataFrame | None, rules: Rules) -> _Context:
    """Validate the inputs and build the panel, the goalposts and the weight vectors."""
    if not isinstance(indicators, pd.DataFrame) or not {"id", "dimension"} <= set(indicators):
        raise ScoringInputError("indicators must be a DataFrame with columns id and dimension")
    validate_method(method, indicators)
    if breaks is None:
        from indicators.breaks import breaks_frame
        breaks = breaks_frame()
    panel = build_panel(observations, indicators, areas, dimensions=dimensions, breaks=breaks,
                        rules=rules)
    fixed = _fixed_goalposts(load_goalposts() if goalposts is None else goalposts, panel)
    catalog = (on_scale(panel.goal_low, panel.log_scale), on_scale(panel.goal_high,
                                                                   panel.log_scale))
    data = data_goalposts(on_scale(panel.raw, panel.log_scale), panel.is_region)
    low, high, origin = choose_goalposts(fixed, catalog, data)
    iw = indicator_weights(method, indicators)
    dw = dimension_weights(method, panel.dims)
    ind_w = np.array([iw[i] for i in panel.indicator_ids], dtype=float)
    dim_w = np.array([dw[d] for d in panel.dims], dtype=float)
    return _Context(panel, low, high, origin, ind_w, dim_w, rules)


def _scores(ctx: _Context, normalisation: str) -> tuple[np.ndarray, Coverage]:
    """Return indicator scores [T, A, I] and their coverage under one normalisation."""
    p = ctx.panel
    scores = normalise(normalisation, on_scale(p.latest, p.log_scale), p.is_region, p.sign,
                       ctx.low, ctx.high)
    scores = np.where(p.in_publication[:, None, :], scores, np.nan)   # not in publication
    cov = coverage(scores, p.ind_dim, len(p.dims), p.in_publication, ctx.ind_w, ctx.dim_w,
                   ctx.rules)
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
    dims = np.full((len(p.periods), p.n_areas, len(p.dims) + 1), np.nan)
    for t in range(len(p.periods)):
        dims[t] = aggregate_year(scores, cov, t, p.ind_dim, ctx.ind_w[None], ctx.dim_w[None],
                                 method.aggregation)[0]
    return scores, dims, cov


def _region_ranks(dims: np.ndarray, is_region: np.ndarray, decimals: int) -> np.ndarray:
    """Return ranks [T, A, K+1] among the regions (NaN for the country and missing scores)."""
    ranks = np.full(dims.shape, np.nan)
    ranks[:, is_region, :] = competition_ranks(
        dims[:, is_region, :].transpose(0, 2, 1), decimals).transpose(0, 2, 1)
    return ranks


def _per_dimension(values: np.ndarray, mask: np.ndarray, ind_dim: np.ndarray, n_dims: int,
                   reduce) -> np.ndarray:
    """Return reduce (np.max or np.min) of values [T, A, I] over mask within each dimension."""
    fill = -1 if reduce is np.max else np.iinfo(np.int64).max
    out = np.full((*values.shape[:2], n_dims), fill, dtype=np.int64)
    for k in range(n_dims):
        idx = ind_dim == k
        if idx.any():
            out[..., k] = reduce(np.where(mask[..., idx], values[..., idx], fill), axis=-1)
    return out


def _data_age(ctx: _Context, cov: Coverage) -> dict[str, np.ndarray]:
    """Return the [T, A, K+1] counts and value years of each score (overall: dimensions)."""
    p = ctx.panel
    n_dims = len(p.dims)
    carried = cov.available & (p.value_period < p.periods[:, None, None])
    newest = _per_dimension(p.value_period, cov.available, p.ind_dim, n_dims, np.max)
    oldest = _per_dimension(p.value_period, cov.available, p.ind_dim, n_dims, np.min)
    big = np.iinfo(np.int64).max
    used = cov.dim_ok                                                  # [T, A, K]
    overall_newest = np.where(used, newest, -1).max(axis=-1, initial=-1)
    overall_oldest = np.where(used, oldest, big).min(axis=-1, initial=big)
    stale_dims = used & (newest < p.periods[:, None, None])
    n_exp = np.broadcast_to(cov.n_expected[:, None, :], cov.n_available.shape)
    return {
        "n_indicators": np.concatenate([cov.n_available, used.sum(-1, keepdims=True)], -1),
        "n_expected": np.concatenate(
            [n_exp, np.full((*n_exp.shape[:2], 1), int(cov.dim_in_use.sum()))], -1),
        "n_carried": np.concatenate([group_counts(carried, p.ind_dim, n_dims),
                                     stale_dims.sum(-1, keepdims=True)], -1),
        "newest_period": np.concatenate([newest, overall_newest[..., None]], -1),
        "oldest_period": np.concatenate([oldest, overall_oldest[..., None]], -1),
    }


def _ints(values: np.ndarray, invalid: np.ndarray | None = None) -> pd.arrays.IntegerArray:
    """Return a nullable integer array; NaN (or where invalid) becomes NULL."""
    floats = values.astype(float)
    if invalid is not None:
        floats = np.where(invalid, np.nan, floats)
    return pd.array(floats, dtype="Float64").astype("Int64")


def _labels(names, positions: np.ndarray) -> pd.arrays.ArrowStringArray:
    """Return names[positions] as a string array (taken from the few names, not built per row)."""
    return pd.array(np.asarray(names, dtype=object), dtype="str").take(positions)


def _indicator_frame(ctx: _Context, scores: np.ndarray, t_idx: np.ndarray,
                     normalisation: str) -> pd.DataFrame:
    """Return the indicator_scores frame for the chosen years (rows with a score only)."""
    p = ctx.panel
    sub = scores[t_idx]
    t, a, i = np.nonzero(~np.isnan(sub))
    values = on_scale(p.latest[t_idx], p.log_scale)
    beyond = capped(normalisation, values, p.is_region, ctx.low, ctx.high)
    frame = pd.DataFrame({
        "indicator_id": _labels(p.indicator_ids, i),
        "area_code": _labels(p.area_codes, a),
        "period": p.periods[t_idx][t].astype(np.int64),
        "value_period": p.value_period[t_idx][t, a, i].astype(np.int64),
        "value": p.latest[t_idx][t, a, i],
        "score": sub[t, a, i],
        "capped": beyond[t, a, i].astype(bool),
    })
    return frame[INDICATOR_SCORE_COLUMNS]


def _dimension_frame(ctx: _Context, method: Method, scores: np.ndarray, dims: np.ndarray,
                     cov: Coverage, t_idx: np.ndarray) -> pd.DataFrame:
    """Return the dimension_scores frame for the chosen years (every area × dimension row)."""
    p, rules = ctx.panel, ctx.rules
    n_cols = len(p.dims) + 1
    ranks = _region_ranks(dims, p.is_region, rules.rank_decimals)
    n_ranked = np.broadcast_to((~np.isnan(dims[:, p.is_region, :])).sum(axis=1)[:, None, :],
                               dims.shape)
    n_t = len(t_idx)
    score = dims[t_idx].reshape(-1)
    columns = {
        "area_code": _labels(p.area_codes, np.tile(np.repeat(np.arange(p.n_areas), n_cols), n_t)),
        "period": np.repeat(p.periods[t_idx], p.n_areas * n_cols).astype(np.int64),
        "dimension": _labels([*p.dims, OVERALL], np.tile(np.arange(n_cols), n_t * p.n_areas)),
        "score": score,
        "rank": _ints(ranks[t_idx].reshape(-1)),
        "n_ranked": n_ranked[t_idx].reshape(-1).astype(np.int64),
    }
    for lag in rules.change_lags:
        change, note = comparable_changes(p, scores, cov, dims, lag, ctx.ind_w, ctx.dim_w,
                                          method.aggregation, rules)
        columns[f"change_{lag}y"] = change[t_idx].reshape(-1)
        columns[f"change_{lag}y_note"] = note[t_idx].reshape(-1)
    age = _data_age(ctx, cov)
    for name in ("n_indicators", "n_expected", "n_carried"):
        columns[name] = age[name][t_idx].reshape(-1).astype(np.int64)
    none = age["newest_period"][t_idx].reshape(-1) < 0
    columns["newest_period"] = _ints(age["newest_period"][t_idx].reshape(-1), none)
    columns["oldest_period"] = _ints(age["oldest_period"][t_idx].reshape(-1), none)
    columns["flag"] = np.where(np.isnan(score), INSUFFICIENT_FLAG, None).astype(object)
    frame = pd.DataFrame(columns)
    for column in ("flag", *(f"change_{lag}y_note" for lag in rules.change_lags)):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    order = ["area_code", "period", "dimension", "score", "rank", "n_ranked",
             *_change_columns(rules.change_lags), *AGE_COLUMNS, "flag"]
    return frame[order]


def _goalpost_frame(ctx: _Context) -> pd.DataFrame:
    """Return the goalposts used (in value units), their origin, scale and years in use."""
    p = ctx.panel
    low, high = (np.where(p.log_scale, np.exp(np.where(p.log_scale, x, 0.0)), x)
                 for x in (ctx.low, ctx.high))
    return pd.DataFrame({"indicator_id": p.indicator_ids, "low": low, "high": high,
                         "origin": ctx.origin, "scale": np.where(p.log_scale, "log", "linear"),
                         "in_use": p.in_publication.any(axis=0)})


def _score(ctx: _Context, method: Method, years) -> tuple[ScoreResult, np.ndarray]:
    """Return the ScoreResult of a prepared context and its [T, A, K+1] dimension scores."""
    scores, dims, cov = _point_arrays(ctx, method)
    t_idx = _year_indices(ctx.panel, years)
    return ScoreResult(_indicator_frame(ctx, scores, t_idx, method.normalisation),
                       _dimension_frame(ctx, method, scores, dims, cov, t_idx), method,
                       _goalpost_frame(ctx)), dims


def score_panel(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
                method: Method = DEFAULT_METHOD, years: Iterable[int] | None = None, *,
                dimensions: Sequence[str] | None = None, breaks: pd.DataFrame | None = None,
                goalposts: pd.DataFrame | None = None,
                rules: Rules = DEFAULT_RULES) -> ScoreResult:
    """Score the regions and the country (reference line) for every year, or the given years.

    dimensions: the framework's dimensions in display order (default: those of the indicators);
    breaks: recorded series breaks (default: indicators/breaks.toml); goalposts: fixed goalposts
    (default: indicators/goalposts.toml of this method version); rules: time and coverage rules.
    """
    ctx = _prepare(observations, indicators, areas, method, dimensions, breaks, goalposts, rules)
    return _score(ctx, method, years)[0]


def hold_point_rank(low: np.ndarray, high: np.ndarray, point: np.ndarray) -> tuple[np.ndarray,
                                                                                  np.ndarray]:
    """Return the interval widened where needed so that it holds the published rank."""
    low, high = np.fmin(low, point), np.fmax(high, point)
    return np.where(np.isnan(point), np.nan, low), np.where(np.isnan(point), np.nan, high)


def _intervals(ctx: _Context, method: Method, draws: int, seed: int, years,
               dims: np.ndarray | None = None) -> pd.DataFrame:
    """Return the rank interval frame of a prepared context, widened to hold the point rank."""
    p = ctx.panel
    t_idx = _year_indices(p, years)
    if dims is None:
        _, dims, _ = _point_arrays(ctx, method)
    decimals = ctx.rules.rank_decimals
    point = _region_ranks(dims, p.is_region, decimals)[t_idx][:, p.is_region, :]
    scored = {n: _scores(ctx, n) for n in NORMALISATIONS}
    sampled = draw_methods(ctx.ind_w, ctx.dim_w, p.ind_dim, draws, seed)
    low, high = rank_interval_arrays({n: s for n, (s, _) in scored.items()},
                                     {n: c for n, (_, c) in scored.items()},
                                     t_idx, p.ind_dim, p.is_region, sampled, decimals)
    low, high = hold_point_rank(low, high, point)
    regions = np.flatnonzero(p.is_region)
    n_cols = len(p.dims) + 1
    n_t = len(t_idx)
    frame = pd.DataFrame({
        "area_code": _labels(p.area_codes, np.tile(np.repeat(regions, n_cols), n_t)),
        "period": np.repeat(p.periods[t_idx], len(regions) * n_cols).astype(np.int64),
        "dimension": _labels([*p.dims, OVERALL], np.tile(np.arange(n_cols), n_t * len(regions))),
        "rank_low": _ints(low.reshape(-1)),
        "rank_high": _ints(high.reshape(-1)),
    })
    return frame[INTERVAL_COLUMNS]


def rank_intervals(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
                   method: Method = DEFAULT_METHOD, draws: int = MC_DRAWS, seed: int = MC_SEED,
                   years: Iterable[int] | None = None, *,
                   dimensions: Sequence[str] | None = None, breaks: pd.DataFrame | None = None,
                   goalposts: pd.DataFrame | None = None,
                   rules: Rules = DEFAULT_RULES) -> pd.DataFrame:
    """Return 5th–95th percentile rank intervals of every region, year and dimension."""
    ctx = _prepare(observations, indicators, areas, method, dimensions, breaks, goalposts, rules)
    return _intervals(ctx, method, draws, seed, years)


def warehouse_scores(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
                     draws: int = MC_DRAWS, seed: int = MC_SEED, *,
                     dimensions: Sequence[str] | None = None, breaks: pd.DataFrame | None = None,
                     goalposts: pd.DataFrame | None = None,
                     rules: Rules = DEFAULT_RULES) -> dict[str, pd.DataFrame]:
    """Return the scores, indicator_scores, peers and goalposts tables of the default method."""
    method = Method()
    goalposts = load_goalposts() if goalposts is None else goalposts
    ctx = _prepare(observations, indicators, areas, method, dimensions, breaks, goalposts, rules)
    result, dims = _score(ctx, method, None)
    intervals = _intervals(ctx, method, draws, seed, None, dims)
    scores = result.dimension_scores.merge(intervals, on=["area_code", "period", "dimension"],
                                           how="left")
    method_id = method.id()
    scores["method"] = method_id
    ind = result.indicator_scores.copy()
    ind["method"] = method_id
    peer_frame = peers_by_period(observations, indicators, areas, ctx.panel.periods).copy()
    peer_frame["method"] = method_id
    table = goalposts.copy()
    if "method_version" not in table.columns:
        table["method_version"] = METHOD_VERSION
    table = table[[c for c in GOALPOST_COLUMNS if c in table.columns]]
    return {"scores": scores[[c for c in SCORES_TABLE_COLUMNS if c in scores.columns]],
            "indicator_scores": ind, "peers": peer_frame, "goalposts": table}

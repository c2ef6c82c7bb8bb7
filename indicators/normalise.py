"""Normalise indicator values to 0–100 scores: fixed goalposts, min–max within year, z-score."""

from __future__ import annotations

import numpy as np

from indicators.method import (
    GOALPOST_MARGIN,
    NEUTRAL_SCORE,
    SCORE_MAX,
    ZSCORE_CLIP,
)


def _masked_min_max(values: np.ndarray, mask: np.ndarray, axis) -> tuple[np.ndarray, np.ndarray]:
    """Return min and max over axis of the values where mask is true (NaN where none)."""
    ok = mask & ~np.isnan(values)
    lo = np.where(ok, values, np.inf).min(axis=axis, initial=np.inf)
    hi = np.where(ok, values, -np.inf).max(axis=axis, initial=-np.inf)
    none = ~ok.any(axis=axis)
    return np.where(none, np.nan, lo), np.where(none, np.nan, hi)


def data_goalposts(raw: np.ndarray, is_region: np.ndarray,
                   margin: float = GOALPOST_MARGIN) -> tuple[np.ndarray, np.ndarray]:
    """Return goalposts [I] from all region values of all periods, widened by margin × range."""
    pooled = raw[:, is_region, :]
    lo, hi = _masked_min_max(pooled, np.ones(pooled.shape, dtype=bool), axis=(0, 1))
    spread = hi - lo
    return lo - margin * spread, hi + margin * spread


def choose_goalposts(fixed: tuple[np.ndarray, np.ndarray], catalog: tuple[np.ndarray, np.ndarray],
                     data: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray,
                                                                   np.ndarray]:
    """Return goalposts low, high [I] and their origin ('file', 'catalog' or 'data').

    The fixed file's goalposts come first, then the catalog's, else provisional ones from the data.
    """
    low, high = data
    origin = np.full(len(low), "data", dtype=object)
    for name, (lo, hi) in (("catalog", catalog), ("file", fixed)):
        given = np.isfinite(lo) & np.isfinite(hi)
        low, high = np.where(given, lo, low), np.where(given, hi, high)
        origin[given] = name
    return low, high, origin


def _oriented(fraction: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Return 0–100 scores from fractions in [0, 1] with higher = better after direction."""
    fraction = np.clip(fraction, 0.0, 1.0)
    return SCORE_MAX * np.where(sign > 0, fraction, 1.0 - fraction)


def goalpost_scores(values: np.ndarray, low: np.ndarray, high: np.ndarray,
                    sign: np.ndarray) -> np.ndarray:
    """Return 100·(x − low)/(high − low), capped to 0–100 at the goalposts."""
    spread = high - low
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        fraction = (values - low) / spread
    scores = _oriented(fraction, sign)
    flat = np.broadcast_to(~(spread > 0), values.shape)
    missing = np.isnan(values) | np.broadcast_to(np.isnan(spread), values.shape)
    return np.where(missing, np.nan, np.where(flat, NEUTRAL_SCORE, scores))


def minmax_scores(values: np.ndarray, is_region: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Return min–max scores within each year [T, A, I]; min and max over the regions."""
    mask = np.broadcast_to(is_region[None, :, None], values.shape)
    lo, hi = _masked_min_max(values, mask, axis=1)
    return goalpost_scores(values, lo[:, None, :], hi[:, None, :], sign)


def _zscores(values: np.ndarray, is_region: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                 np.ndarray]:
    """Return z within each year over the regions [T, A, I], the sd and the count [T, I]."""
    ok = is_region[None, :, None] & ~np.isnan(values)
    n = ok.sum(axis=1)
    filled = np.where(ok, values, 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mean = filled.sum(axis=1) / n
        var = (np.where(ok, values - mean[:, None, :], 0.0) ** 2).sum(axis=1) / n
        sd = np.sqrt(var)
        z = (values - mean[:, None, :]) / sd[:, None, :]
    return z, sd, n


def zscore_scores(values: np.ndarray, is_region: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Return 50 + 50·z/3 with z within each year over the regions, winsorised at ±3."""
    z, sd, n = _zscores(values, is_region)
    z = np.clip(sign * z, -ZSCORE_CLIP, ZSCORE_CLIP)
    scores = NEUTRAL_SCORE + (SCORE_MAX - NEUTRAL_SCORE) * z / ZSCORE_CLIP
    flat = np.broadcast_to(~(sd > 0)[:, None, :], values.shape)
    no_base = np.broadcast_to((n == 0)[:, None, :], values.shape)
    out = np.where(flat, NEUTRAL_SCORE, scores)
    return np.where(np.isnan(values) | no_base, np.nan, out)


def normalise(method: str, values: np.ndarray, is_region: np.ndarray, sign: np.ndarray,
              low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Return the 0–100 scores [T, A, I] of the latest values under one normalisation."""
    if method == "goalposts":
        return goalpost_scores(values, low, high, sign)
    if method == "minmax":
        return minmax_scores(values, is_region, sign)
    if method == "zscore":
        return zscore_scores(values, is_region, sign)
    raise ValueError(f"unknown normalisation '{method}'")


def capped(method: str, values: np.ndarray, is_region: np.ndarray, low: np.ndarray,
           high: np.ndarray) -> np.ndarray:
    """Return [T, A, I]: the score was capped at 0 or 100 because the value lay beyond the scale.

    Goalposts: beyond a goalpost; z-score: beyond ±3 standard deviations; min–max: never.
    """
    with np.errstate(invalid="ignore"):
        if method == "goalposts":
            return (values < low) | (values > high)
        if method == "zscore":
            z, sd, _ = _zscores(values, is_region)
            return (sd[:, None, :] > 0) & (np.abs(z) > ZSCORE_CLIP)
    if method == "minmax":
        return np.zeros(values.shape, dtype=bool)
    raise ValueError(f"unknown normalisation '{method}'")

"""Turn observation frames into the dense [year, area, indicator] arrays that scoring works on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.method import (
    INDICATOR_MIN_REGIONS,
    LOG_SCALE_INDICATORS,
    MAX_AGE_YEARS,
    RANKED_LEVEL,
    REFERENCE_AREA,
    meets_share,
)

OBSERVATION_COLUMNS = ("indicator_id", "area_code", "period", "value")
INDICATOR_COLUMNS = ("id", "dimension", "direction")
AREA_COLUMNS = ("code", "level")
DIRECTION_SIGN = {"higher_better": 1.0, "lower_better": -1.0}


class ScoringInputError(ValueError):
    """Raised with a plain-language message when the frames given to scoring are unusable."""


@dataclass
class Panel:
    """Dense arrays of the scored areas: raw values by period and latest values by scored year."""

    indicator_ids: list[str]
    dims: list[str]
    ind_dim: np.ndarray          # [I] index into dims
    sign: np.ndarray             # [I] +1 higher_better, -1 lower_better
    goal_low: np.ndarray         # [I] catalog goalpost_low (NaN when not given)
    goal_high: np.ndarray        # [I] catalog goalpost_high (NaN when not given)
    area_codes: list[str]        # regions first (display order), then the reference area
    is_region: np.ndarray        # [A] bool
    periods: np.ndarray          # [P] every year from the first to the last observed one
    raw: np.ndarray              # [P, A, I] observed values (NaN when missing)
    latest: np.ndarray           # [P, A, I] latest value within MAX_AGE_YEARS (NaN when none)
    value_period: np.ndarray     # [P, A, I] the period of that value (-1 when none)
    active: np.ndarray           # [I] bool: enough regions have a value in some year
    log_scale: np.ndarray        # [I] bool: normalised on a log scale

    @property
    def n_areas(self) -> int:
        """Return the number of scored areas."""
        return len(self.area_codes)


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    """Raise ScoringInputError when a frame lacks required columns."""
    if not isinstance(frame, pd.DataFrame):
        raise ScoringInputError(f"{name} must be a DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ScoringInputError(f"{name} lacks the column(s) {', '.join(missing)}")


def ordered_dimensions(indicators: pd.DataFrame) -> list[str]:
    """Return the dimensions of the indicators, in the catalog's display order where known."""
    from indicators.catalog import dimension_ids

    present = list(dict.fromkeys(indicators["dimension"]))
    known = [d for d in dimension_ids() if d in present]
    return known + sorted(d for d in present if d not in known)


def scored_areas(areas: pd.DataFrame) -> tuple[list[str], np.ndarray]:
    """Return the scored area codes (the regions in display order, then the country) and a mask."""
    _require(areas, AREA_COLUMNS, "areas")
    regions = areas[areas["level"] == RANKED_LEVEL]
    if "sort_order" in regions.columns:
        regions = regions.sort_values(["sort_order", "code"], na_position="last")
    else:
        regions = regions.sort_values("code")
    codes = [str(c) for c in regions["code"]]
    if REFERENCE_AREA in set(areas["code"]):
        codes.append(REFERENCE_AREA)
    return codes, np.array([c != REFERENCE_AREA for c in codes], dtype=bool)


def _indicator_arrays(indicators: pd.DataFrame) -> tuple:
    """Return ids, dimension list, dimension index, sign and catalog goalposts."""
    _require(indicators, INDICATOR_COLUMNS, "indicators")
    if indicators["id"].duplicated().any():
        dupes = sorted(set(indicators.loc[indicators["id"].duplicated(), "id"]))
        raise ScoringInputError(f"indicators has duplicate ids: {dupes}")
    bad = sorted(set(indicators["direction"]) - set(DIRECTION_SIGN))
    if bad:
        raise ScoringInputError(f"unknown direction(s) {bad}; use higher_better or lower_better")
    ids = [str(i) for i in indicators["id"]]
    dims = ordered_dimensions(indicators)
    ind_dim = np.array([dims.index(d) for d in indicators["dimension"]], dtype=np.int64)
    sign = indicators["direction"].map(DIRECTION_SIGN).to_numpy(dtype=float)
    low = high = np.full(len(ids), np.nan)
    if "goalpost_low" in indicators.columns and "goalpost_high" in indicators.columns:
        low = pd.to_numeric(indicators["goalpost_low"], errors="coerce").to_numpy(dtype=float)
        high = pd.to_numeric(indicators["goalpost_high"], errors="coerce").to_numpy(dtype=float)
        broken = [i for i, lo, hi in zip(ids, low, high, strict=True)
                  if np.isfinite(lo) and np.isfinite(hi) and not lo < hi]
        if broken:
            raise ScoringInputError(f"goalpost_low must be below goalpost_high for {broken}")
    return ids, dims, ind_dim, sign, low, high


def latest_values(raw: np.ndarray, periods: np.ndarray,
                  max_age: int = MAX_AGE_YEARS) -> tuple[np.ndarray, np.ndarray]:
    """Return, per year, the latest value at most max_age years old and its period (-1: none)."""
    valid = ~np.isnan(raw)
    idx = np.where(valid, np.arange(len(periods))[:, None, None], -1)
    last = np.maximum.accumulate(idx, axis=0) if len(periods) else idx
    has = last >= 0
    value_period = np.where(has, periods[np.clip(last, 0, None)], -1)
    fresh = has & (periods[:, None, None] - value_period <= max_age)
    latest = np.take_along_axis(raw, np.clip(last, 0, None), axis=0)
    return np.where(fresh, latest, np.nan), np.where(fresh, value_period, -1)


def on_scale(values: np.ndarray, log_scale: np.ndarray) -> np.ndarray:
    """Return values [..., I] on the normalisation scale: natural log where log_scale."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(log_scale, np.log(np.where(log_scale, values, 1.0)), values)


def _check_log_values(raw: np.ndarray, log_scale: np.ndarray, ids: list[str], codes: list[str],
                      periods: np.ndarray) -> None:
    """Raise ScoringInputError when a log-scale indicator has a value of zero or below."""
    bad = np.argwhere(log_scale & (raw <= 0))
    if len(bad):
        t, a, i = bad[0]
        raise ScoringInputError(
            f"{ids[i]} is scored on a log scale and needs values above zero, but {codes[a]} "
            f"has {raw[t, a, i]:g} in {periods[t]} ({len(bad)} such value(s))")


def active_indicators(raw: np.ndarray, is_region: np.ndarray) -> np.ndarray:
    """Return [I]: in some year at least INDICATOR_MIN_REGIONS of the regions have a value."""
    counts = (~np.isnan(raw[:, is_region, :])).sum(axis=1)                 # [P, I]
    return meets_share(counts, int(is_region.sum()), INDICATOR_MIN_REGIONS).any(axis=0)


def build_panel(observations: pd.DataFrame, indicators: pd.DataFrame,
                areas: pd.DataFrame) -> Panel:
    """Return the dense panel of the regions and the country from the three frames."""
    _require(observations, OBSERVATION_COLUMNS, "observations")
    if "scored" in indicators.columns:  # context indicators (scored = false) are never scored
        indicators = indicators.loc[indicators["scored"].astype("boolean").fillna(True)
                                    .astype(bool)]
    if "flag" in observations.columns:  # an annual mean of fewer than 12 months is not scored
        observations = observations.loc[observations["flag"].astype(object) != "partial"]
    ids, dims, ind_dim, sign, low, high = _indicator_arrays(indicators)
    codes, is_region = scored_areas(areas)
    obs = observations.loc[observations["indicator_id"].isin(ids)
                           & observations["area_code"].isin(codes),
                           list(OBSERVATION_COLUMNS)]
    if obs.duplicated(["indicator_id", "area_code", "period"]).any():
        raise ScoringInputError("observations has duplicate (indicator_id, area_code, period) rows")
    values = pd.to_numeric(obs["value"], errors="coerce").to_numpy(dtype=float)
    keep = np.isfinite(values)
    obs, values = obs[keep], values[keep]
    period = pd.to_numeric(obs["period"], errors="coerce")
    if period.isna().any() or (period != period.round()).any():
        raise ScoringInputError("observations.period must be whole years")
    period = period.to_numpy(dtype=np.int64)
    periods = (np.arange(period.min(), period.max() + 1, dtype=np.int64) if len(period)
               else np.zeros(0, dtype=np.int64))
    raw = np.full((len(periods), len(codes), len(ids)), np.nan)
    if len(period):
        a_idx = pd.Index(codes).get_indexer(obs["area_code"])
        i_idx = pd.Index(ids).get_indexer(obs["indicator_id"])
        raw[period - periods[0], a_idx, i_idx] = values
    latest, value_period = latest_values(raw, periods)
    active = active_indicators(raw, is_region)
    log_scale = np.isin(np.array(ids, dtype=object), LOG_SCALE_INDICATORS)
    _check_log_values(raw, log_scale, ids, codes, periods)
    return Panel(ids, dims, ind_dim, sign, low, high, codes, is_region, periods, raw,
                 latest, value_period, active, log_scale)

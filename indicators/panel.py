"""Turn observation frames into the dense [year, area, indicator] arrays that scoring works on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.method import (
    DEFAULT_RULES,
    LOG_SCALE_INDICATORS,
    RANKED_LEVEL,
    REFERENCE_AREA,
    Rules,
    meets_share,
    scored_indicators,
)

OBSERVATION_COLUMNS = ("indicator_id", "area_code", "period", "value")
INDICATOR_COLUMNS = ("id", "dimension", "direction")
AREA_COLUMNS = ("code", "level")
BREAK_COLUMNS = ("indicator_id", "period", "level", "kind")
BREAK_KINDS = ("one_off", "series_break")
DIRECTION_SIGN = {"higher_better": 1.0, "lower_better": -1.0}


class ScoringInputError(ValueError):
    """Raised with a plain-language message when the frames given to scoring are unusable."""


@dataclass
class Panel:
    """Dense arrays of the scored areas: raw values by period and latest values by scored year."""

    indicator_ids: list[str]     # the scored indicators (context indicators are left out)
    dims: list[str]              # the framework's dimensions, in display order
    ind_dim: np.ndarray          # [I] index into dims
    sign: np.ndarray             # [I] +1 higher_better, -1 lower_better
    goal_low: np.ndarray         # [I] catalog goalpost_low (NaN when not given)
    goal_high: np.ndarray        # [I] catalog goalpost_high (NaN when not given)
    area_codes: list[str]        # regions first (display order), then the reference area
    is_region: np.ndarray        # [A] bool
    periods: np.ndarray          # [P] every year from the first to the last observed one
    raw: np.ndarray              # [P, A, I] observed values (NaN when missing)
    latest: np.ndarray           # [P, A, I] latest value within the age limit (NaN when none)
    value_period: np.ndarray     # [P, A, I] the period of that value (-1 when none)
    in_publication: np.ndarray   # [P, I] bool: enough regions have a value within the age limit
    log_scale: np.ndarray        # [I] bool: normalised on a log scale
    one_off: np.ndarray          # [P, A, I] bool: the year's value is a recorded one-off
    series_breaks: np.ndarray    # [P, A, I] int: series breaks recorded up to and including P

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


def ordered_dimensions(indicators: pd.DataFrame, order: Sequence[str] | None = None) -> list[str]:
    """Return the framework's dimensions: order as given, then any others of the indicators."""
    present = list(dict.fromkeys(indicators["dimension"]))
    given = list(dict.fromkeys(order or ()))
    return given + [d for d in present if d not in given]


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


def _indicator_arrays(indicators: pd.DataFrame, order: Sequence[str] | None) -> tuple:
    """Return ids, dimension list, dimension index, sign and catalog goalposts."""
    _require(indicators, INDICATOR_COLUMNS, "indicators")
    if indicators["id"].duplicated().any():
        dupes = sorted(set(indicators.loc[indicators["id"].duplicated(), "id"]))
        raise ScoringInputError(f"indicators has duplicate ids: {dupes}")
    bad = sorted(set(indicators["direction"]) - set(DIRECTION_SIGN))
    if bad:
        raise ScoringInputError(f"unknown direction(s) {bad}; use higher_better or lower_better")
    dims = ordered_dimensions(indicators, order)
    scored = scored_indicators(indicators)
    ids = [str(i) for i in scored["id"]]
    ind_dim = np.array([dims.index(d) for d in scored["dimension"]], dtype=np.int64)
    sign = scored["direction"].map(DIRECTION_SIGN).to_numpy(dtype=float)
    low = high = np.full(len(ids), np.nan)
    if "goalpost_low" in scored.columns and "goalpost_high" in scored.columns:
        low = pd.to_numeric(scored["goalpost_low"], errors="coerce").to_numpy(dtype=float)
        high = pd.to_numeric(scored["goalpost_high"], errors="coerce").to_numpy(dtype=float)
        broken = [i for i, lo, hi in zip(ids, low, high, strict=True)
                  if np.isfinite(lo) and np.isfinite(hi) and not lo < hi]
        if broken:
            raise ScoringInputError(f"goalpost_low must be below goalpost_high for {broken}")
    return ids, dims, ind_dim, sign, low, high


def latest_values(raw: np.ndarray, periods: np.ndarray,
                  max_age: int = DEFAULT_RULES.max_age_years) -> tuple[np.ndarray, np.ndarray]:
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


def in_publication(latest: np.ndarray, is_region: np.ndarray,
                   share: tuple[int, int] = DEFAULT_RULES.publication_share) -> np.ndarray:
    """Return [P, I]: at least share of the regions have a value within the age limit."""
    counts = (~np.isnan(latest[:, is_region, :])).sum(axis=1)              # [P, I]
    return meets_share(counts, int(is_region.sum()), share)


def break_arrays(breaks: pd.DataFrame, flagged: pd.DataFrame, periods: np.ndarray,
                 codes: list[str], levels: list[str],
                 ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return one_off [P, A, I] and the running count of series breaks [P, A, I].

    breaks has one row per (indicator_id, period, level, kind) and applies to every area of the
    level; flagged has (indicator_id, area_code, period) rows that start a series break there.
    """
    shape = (len(periods), len(codes), len(ids))
    one_off = np.zeros(shape, dtype=bool)
    series = np.zeros(shape, dtype=np.int64)
    if not len(periods):
        return one_off, series
    rows = []
    if breaks is not None and len(breaks):
        _require(breaks, BREAK_COLUMNS, "breaks")
        bad = sorted(set(breaks["kind"]) - set(BREAK_KINDS))
        if bad:
            raise ScoringInputError(f"unknown break kind(s) {bad}; use one_off or series_break")
        level_areas = pd.DataFrame({"level": levels, "area_code": codes})
        rows.append(breaks.merge(level_areas, on="level")[["indicator_id", "area_code", "period",
                                                            "kind"]])
    if len(flagged):
        rows.append(flagged.assign(kind="series_break")[["indicator_id", "area_code", "period",
                                                         "kind"]])
    if not rows:
        return one_off, series
    frame = pd.concat(rows, ignore_index=True)
    frame["period"] = pd.to_numeric(frame["period"], errors="coerce")
    frame = frame[frame["indicator_id"].isin(ids) & frame["area_code"].isin(codes)
                  & frame["period"].between(periods[0], periods[-1])]
    t = frame["period"].to_numpy(dtype=np.int64) - periods[0]
    a = pd.Index(codes).get_indexer(frame["area_code"])
    i = pd.Index(ids).get_indexer(frame["indicator_id"])
    is_one_off = frame["kind"].to_numpy() == "one_off"
    one_off[t[is_one_off], a[is_one_off], i[is_one_off]] = True
    np.add.at(series, (t[~is_one_off], a[~is_one_off], i[~is_one_off]), 1)
    return one_off, np.cumsum(series, axis=0)


def _positions(column: pd.Series, known: list[str]) -> np.ndarray:
    """Return each row's position in known (-1 when not there), factorising the column first."""
    codes, uniques = pd.factorize(column)
    lookup = pd.Index(known).get_indexer(pd.Index(uniques).astype(object))
    return np.where(codes >= 0, np.append(lookup, -1)[codes], -1)


def _flagged(observations: pd.DataFrame, *flag_sets: tuple[str, ...]) -> list[np.ndarray]:
    """Return, per set of flags, which rows carry one of them (bool arrays)."""
    out = [np.zeros(len(observations), dtype=bool) for _ in flag_sets]
    if "flag" in observations.columns:
        column = observations["flag"]
        rows = np.flatnonzero(column.notna().to_numpy())
        values = column.iloc[rows].astype(str).to_numpy(dtype=object)
        for mask, flags in zip(out, flag_sets, strict=True):
            mask[rows[np.isin(values, list(flags))]] = True
    return out


def build_panel(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame, *,
                dimensions: Sequence[str] | None = None, breaks: pd.DataFrame | None = None,
                rules: Rules = DEFAULT_RULES) -> Panel:
    """Return the dense panel of the regions and the country from the frames.

    Context indicators (scored = false) and observations flagged rules.not_scored_flags are
    left out; dimensions gives the framework's dimensions in display order; breaks are the
    recorded series breaks (observations flagged rules.break_flags add their own).
    """
    _require(observations, OBSERVATION_COLUMNS, "observations")
    ids, dims, ind_dim, sign, low, high = _indicator_arrays(indicators, dimensions)
    codes, is_region = scored_areas(areas)
    i_idx = _positions(observations["indicator_id"], ids)
    a_idx = _positions(observations["area_code"], codes)
    values = pd.to_numeric(observations["value"], errors="coerce").to_numpy(dtype=float)
    period = pd.to_numeric(observations["period"], errors="coerce").to_numpy(dtype=float)
    ours = (i_idx >= 0) & (a_idx >= 0)
    not_scored, break_flag = _flagged(observations, rules.not_scored_flags, rules.break_flags)
    keep = ours & np.isfinite(values) & ~not_scored
    if not np.isfinite(period[ours]).all() or (period[ours] != np.round(period[ours])).any():
        raise ScoringInputError("observations.period must be whole years")
    period = np.where(ours, period, 0).astype(np.int64)
    first = int(period[ours].min()) if ours.any() else 0
    key = np.sort((((period - first) * len(codes) + a_idx) * len(ids) + i_idx)[ours])
    if (key[1:] == key[:-1]).any():
        raise ScoringInputError("observations has duplicate (indicator_id, area_code, period) rows")
    periods = (np.arange(period[keep].min(), period[keep].max() + 1, dtype=np.int64)
               if keep.any() else np.zeros(0, dtype=np.int64))
    raw = np.full((len(periods), len(codes), len(ids)), np.nan)
    if keep.any():
        raw[period[keep] - periods[0], a_idx[keep], i_idx[keep]] = values[keep]
    broke = keep & break_flag
    flagged = pd.DataFrame({"indicator_id": np.array(ids, dtype=object)[i_idx[broke]],
                            "area_code": np.array(codes, dtype=object)[a_idx[broke]],
                            "period": period[broke]})
    latest, value_period = latest_values(raw, periods, rules.max_age_years)
    log_scale = np.isin(np.array(ids, dtype=object), LOG_SCALE_INDICATORS)
    _check_log_values(raw, log_scale, ids, codes, periods)
    level_of = dict(zip(areas["code"].astype(str), areas["level"].astype(str), strict=False))
    one_off, series = break_arrays(breaks, flagged, periods, codes,
                                   [level_of[c] for c in codes], ids)
    return Panel(ids, dims, ind_dim, sign, low, high, codes, is_region, periods, raw, latest,
                 value_period, in_publication(latest, is_region, rules.publication_share),
                 log_scale, one_off, series)


def crosses_break(panel: Panel, base_period: np.ndarray, value_period: np.ndarray) -> np.ndarray:
    """Return [A, I]: a change from base_period to value_period [A, I] would cross a break.

    A one-off year may be neither end of a change; a series break at year y lies between when
    base_period < y <= value_period. Periods of -1 (no value) never cross.
    """
    if not len(panel.periods):
        return np.zeros(base_period.shape, dtype=bool)
    have = (base_period >= 0) & (value_period >= 0)
    b = np.clip(base_period - panel.periods[0], 0, len(panel.periods) - 1)
    v = np.clip(value_period - panel.periods[0], 0, len(panel.periods) - 1)
    a, i = np.indices(base_period.shape)
    one_off = panel.one_off[b, a, i] | panel.one_off[v, a, i]
    spanned = panel.series_breaks[v, a, i] - panel.series_breaks[b, a, i] != 0
    return have & (one_off | spanned)

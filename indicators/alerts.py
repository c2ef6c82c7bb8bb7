"""Structural-change alerts (pure): documented rules, kept as data, run over the whole history.

A rule is an entry of indicators/alerts.toml with a `kind`. Each kind is a RuleKind in
RULE_KINDS: the frame it reads (a key of the `frames` given to `evaluate`), its parameters with
their checks, and a pure function (rule, frame, areas) -> rows with ALERT_COLUMNS (`gap` may be
left out: `evaluate` fills it from value and country_value). A new kind, e.g. an annual industry
rule, is plugged in by
    INDUSTRY = RuleKind("industry_change", "industry_employment",
                        {"threshold_pct": Param(float, 0.0, 100.0), ...}, industry_alerts)
    RULE_KINDS[INDUSTRY.name] = INDUSTRY
(its module must not import this one), its rules go into alerts.toml, and the warehouse passes
the frame under that name to `evaluate`.
"""

from __future__ import annotations

import math
import numbers
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from indicators import fast, regions
from indicators.monthly import load_series, month_code, parse_month

RULES_PATH = Path(__file__).with_name("alerts.toml")

# --- Rules (each one is stated, with a worked example, in docs/methodology.md). --------------
# Version of the alert rules: goes into alerts.method; bump it whenever a rule or number changes.
ALERTS_VERSION = "tk-alerts-2026.1"
# `up`: the area's figure moved up against the country's (rose more or fell less), `down` the
# opposite. Both are alerts: a sharp improvement is a structural change too.
DIRECTIONS = ("up", "down")
# Levels a monthly rule may evaluate (the country is the reference, never evaluated).
MONTHLY_LEVELS = ("region", "subregion", "municipality")

ALERT_COLUMNS = ["area_code", "level", "rule_id", "series", "period", "direction", "value",
                 "baseline", "country_value", "threshold", "since", "method", "gap"]
EPISODE_COLUMNS = ["area_code", "level", "rule_id", "series", "direction", "first", "last",
                   "n_periods", "peak_period", "peak_gap", "peak_value", "peak_country_value"]


class AlertRulesError(ValueError):
    """Raised when the alert rules break a rule; the message names every problem."""


@dataclass(frozen=True)
class Param:
    """One parameter of a rule kind: its type, bounds and (optionally) its allowed values."""

    type: type
    low: float | None = None
    high: float | None = None
    choices: Callable[[], tuple[str, ...]] | None = None

    def problems(self, name: str, value: object) -> list[str]:
        """Return what is wrong with a value of this parameter (empty when it is valid)."""
        if self.type is str:
            if not isinstance(value, str):
                return [f"'{name}' must be text, not {value!r}"]
            allowed = self.choices() if self.choices else None
            if allowed is not None and value not in allowed:
                return [f"'{name}' must be one of {list(allowed)}, not {value!r}"]
            return []
        is_int = isinstance(value, int) and not isinstance(value, bool)
        if self.type is int and not is_int:
            return [f"'{name}' must be a whole number, not {value!r}"]
        if self.type is float and (isinstance(value, bool) or not isinstance(value, numbers.Real)
                                   or not math.isfinite(float(value))):
            return [f"'{name}' must be a finite number, not {value!r}"]
        if self.low is not None and value < self.low:
            return [f"'{name}' must be at least {self.low}, not {value}"]
        if self.high is not None and value > self.high:
            return [f"'{name}' must be at most {self.high}, not {value}"]
        return []


@dataclass(frozen=True)
class Rule:
    """One alert rule: a stable id, its kind and the kind's parameters."""

    id: str
    kind: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self) -> str:
        """Return the rule with all its numbers, as stored in alerts.method."""
        numbers_ = " ".join(f"{k}={_number_text(v)}" for k, v in self.params.items())
        return f"{ALERTS_VERSION}:{self.id}:{self.kind} {numbers_}"


@dataclass(frozen=True)
class RuleKind:
    """A kind of rule: the frame it reads, its parameters and its pure evaluation function."""

    name: str
    input: str
    params: Mapping[str, Param]
    evaluate: Callable[[Rule, pd.DataFrame, pd.DataFrame], pd.DataFrame]
    check: Callable[[Mapping[str, object]], list[str]] = lambda params: []


def _number_text(value: object) -> str:
    """Return a parameter as it is written in alerts.method: numbers by repr (10.0), text as is."""
    return repr(value) if not isinstance(value, str) else value


def _series_ids() -> tuple[str, ...]:
    """Return the monthly series ids of indicators/monthly.toml."""
    return tuple(entry["id"] for entry in load_series())


# --- The monthly rule: a 12-month move of the area against the country and its own history. ---

MONTHLY_CHANGE_PARAMS = {
    "series": Param(str, choices=_series_ids),
    "level": Param(str, choices=lambda: MONTHLY_LEVELS),
    "window_months": Param(int, 1, 12),
    "lag_months": Param(int, fast.CHANGE_LAG_MONTHS, 5 * fast.CHANGE_LAG_MONTHS),
    "threshold_pct": Param(float, 0.0, 1000.0),
    "history_factor": Param(float, 0.0, 100.0),
    "history_months": Param(int, 1, 240),
    "min_history_months": Param(int, 1, 240),
    "min_change": Param(float, 0.0, None),
    "persist_months": Param(int, 1, 24),
}


def _check_monthly_change(params: Mapping[str, object]) -> list[str]:
    """Return the cross-field problems of a monthly_change rule."""
    problems = []
    lag = params.get("lag_months")
    if isinstance(lag, int) and lag % fast.CHANGE_LAG_MONTHS:
        problems.append(f"'lag_months' must be a whole number of years (a multiple of "
                        f"{fast.CHANGE_LAG_MONTHS}): the series are seasonal, not {lag}")
    hist, least = params.get("history_months"), params.get("min_history_months")
    if isinstance(hist, int) and isinstance(least, int) and least > hist:
        problems.append(f"'min_history_months' ({least}) cannot exceed 'history_months' ({hist})")
    if params.get("threshold_pct") == 0:
        problems.append("'threshold_pct' must be above 0")
    return problems


def month_index(codes: pd.Series) -> np.ndarray:
    """Return months since year 0 (year × 12 + month − 1) of 'YYYY-MM' codes; bad codes raise."""
    parsed = [parse_month(c) for c in codes.astype(str)]
    bad = sorted({c for c, p in zip(codes.astype(str), parsed, strict=True) if p is None})
    if bad:
        raise ValueError(f"month codes must be 'YYYY-MM': {bad[:5]}")
    return np.array([y * 12 + m - 1 for y, m in parsed], dtype=int)


def _index_code(index: int) -> str:
    """Return the 'YYYY-MM' code of a month index."""
    return month_code(index // 12, index % 12 + 1)


def trailing_mean(values: np.ndarray, window: int, min_count: int | None = None,
                  skip: int = 0) -> np.ndarray:
    """Return per row the mean over rows t−skip−window+1 … t−skip (axis 0) of a 2-D array.

    NaN counts as missing; fewer than min_count values (default: all of the window) give NaN.
    """
    need = window if min_count is None else min_count
    present = ~np.isnan(values)
    zeros = np.zeros((1, values.shape[1]))
    sums = np.vstack([zeros, np.cumsum(np.where(present, values, 0.0), axis=0)])
    counts = np.vstack([zeros, np.cumsum(present, axis=0)])
    ends = np.arange(values.shape[0]) - skip + 1
    starts = np.clip(ends - window, 0, None)
    ends = np.clip(ends, 0, None)
    total, count = sums[ends] - sums[starts], counts[ends] - counts[starts]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count >= need, total / np.where(count > 0, count, 1), np.nan)


def lagged(values: np.ndarray, lag: int) -> np.ndarray:
    """Return the array shifted down `lag` rows (row t holds row t − lag; the first rows NaN)."""
    out = np.full(values.shape, np.nan)
    if lag < values.shape[0]:
        out[lag:] = values[:values.shape[0] - lag]
    return out


def run_lengths(mask: np.ndarray) -> np.ndarray:
    """Return per cell how many rows in a row (ending there) are True along axis 0."""
    out = np.zeros(mask.shape, dtype=int)
    run = np.zeros(mask.shape[1:], dtype=int)
    for row in range(mask.shape[0]):
        run = np.where(mask[row], run + 1, 0)
        out[row] = run
    return out


def share_move(change_pct: np.ndarray, country_pct: np.ndarray) -> np.ndarray:
    """Return how many per cent the area's share of the country's figure moved.

    (1 + area change) / (1 + country change) − 1, in per cent; e.g. +25 % against +5 %: +19.0 %.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        country = np.where(country_pct > -100.0, 1 + country_pct / 100.0, np.nan)
        return ((1 + change_pct / 100.0) / country - 1) * 100.0


def _wide(rows: pd.DataFrame, codes: list[str]) -> tuple[np.ndarray, int]:
    """Return (months × areas values over every calendar month, first month index)."""
    index = month_index(rows["month"])
    first = int(index.min())
    wide = np.full((int(index.max()) - first + 1, len(codes)), np.nan)
    column = {code: i for i, code in enumerate(codes)}
    cols = rows["area_code"].map(column).to_numpy()
    values = pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype=float)
    wide[index - first, cols] = np.where(np.isfinite(values), values, np.nan)
    return wide, first


def monthly_change_alerts(rule: Rule, monthly: pd.DataFrame, areas: pd.DataFrame
                          ) -> pd.DataFrame:
    """Return the alerts of one monthly_change rule over every month of the data.

    In month t the rule compares the mean of the window (t − window + 1 … t) with the same
    months lag earlier, for each area of the level and for the country, and raises an alert
    when the area's share of the country's figure moved by at least threshold_pct, by at least
    history_factor × its usual move over the history_months before t, and its own figure by at
    least min_change, in persist_months consecutive months. A missing month anywhere in a window
    gives no change that month (gaps are never bridged).
    """
    p = rule.params
    level_codes = areas.loc[areas["level"] == p["level"], "code"].astype(str).tolist()
    codes = [regions.COUNTRY_CODE, *[c for c in level_codes if c != regions.COUNTRY_CODE]]
    rows = monthly[(monthly["series_id"] == p["series"]) & monthly["area_code"].isin(codes)]
    rows = rows[pd.to_numeric(rows["value"], errors="coerce").notna()]
    if rows.empty or len(codes) < 2 or not (rows["area_code"] == regions.COUNTRY_CODE).any():
        return empty_alerts()
    wide, first = _wide(rows, codes)
    window, lag = int(p["window_months"]), int(p["lag_months"])
    means = trailing_mean(wide, window)
    earlier = lagged(means, lag)
    with np.errstate(invalid="ignore", divide="ignore"):
        change = (means / np.where(earlier > 0, earlier, np.nan) - 1) * 100.0
    gap = share_move(change[:, 1:], change[:, :1])
    usual = trailing_mean(np.abs(gap), int(p["history_months"]),
                          int(p["min_history_months"]), skip=1)
    factor = float(p["history_factor"])
    size = np.abs(gap)
    with np.errstate(invalid="ignore"):
        beyond = size >= float(p["threshold_pct"])
        if factor > 0:
            beyond &= size >= factor * usual
        beyond &= np.abs(means - earlier)[:, 1:] >= float(p["min_change"])
        up, down = beyond & (gap > 0), beyond & (gap < 0)
    persist = int(p["persist_months"])
    found = []
    for direction, mask in (("up", up), ("down", down)):
        t, a = np.nonzero(run_lengths(mask) >= persist)
        found.append((direction, t, a))
    out = []
    for direction, t, a in found:
        if not len(t):
            continue
        out.append(pd.DataFrame({
            "area_code": [codes[i + 1] for i in a], "level": p["level"], "rule_id": rule.id,
            "series": p["series"], "period": [_index_code(first + i) for i in t],
            "direction": direction, "value": change[t, a + 1], "baseline": usual[t, a],
            "country_value": change[t, 0], "threshold": float(p["threshold_pct"]),
            "since": [_index_code(first + i - lag) for i in t], "method": rule.text(),
            "gap": gap[t, a]}))
    return pd.concat(out, ignore_index=True) if out else empty_alerts()


MONTHLY_CHANGE = RuleKind("monthly_change", "monthly", MONTHLY_CHANGE_PARAMS,
                          monthly_change_alerts, _check_monthly_change)


def industry_change_alerts(rule: Rule, employment: pd.DataFrame,
                           areas: pd.DataFrame) -> pd.DataFrame:
    """Return the annual industry alerts of one rule (indicators.industry.industry_alerts)."""
    from indicators.industry import industry_alerts

    levels = dict(zip(areas["code"], areas["level"], strict=True))
    found = industry_alerts(employment, threshold=float(rule.params["threshold_pct"]),
                            min_persons=int(rule.params["min_persons"]), levels=levels)
    return found.assign(rule_id=rule.id, method=rule.text())


INDUSTRY_CHANGE = RuleKind("industry_change", "industry_employment",
                           {"threshold_pct": Param(float, 0.0, 100.0),
                            "min_persons": Param(int, 1)}, industry_change_alerts)
# Every kind of rule, by the name used in alerts.toml. A new kind is added here.
RULE_KINDS: dict[str, RuleKind] = {MONTHLY_CHANGE.name: MONTHLY_CHANGE,
                                   INDUSTRY_CHANGE.name: INDUSTRY_CHANGE}


# --- Rules as data: loading, validation, evaluation. -----------------------------------------

def validate_rules(entries: list[dict], kinds: Mapping[str, RuleKind] | None = None
                   ) -> list[str]:
    """Return the problems of the rule entries of alerts.toml (empty when valid)."""
    kinds = RULE_KINDS if kinds is None else kinds
    problems: list[str] = []
    seen: set[str] = set()
    if not entries:
        problems.append("no [[rule]] entries")
    for entry in entries:
        ident = entry.get("id", "<no id>")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(ident)):
            problems.append(f"{ident}: id must be snake_case ASCII")
        if ident in seen:
            problems.append(f"{ident}: duplicate id")
        seen.add(ident)
        kind = kinds.get(entry.get("kind"))
        if kind is None:
            problems.append(f"{ident}: unknown kind {entry.get('kind')!r}; known: "
                            f"{sorted(kinds)}")
            continue
        params = {k: v for k, v in entry.items() if k not in ("id", "kind")}
        problems += [f"{ident}: missing '{name}'" for name in kind.params if name not in params]
        problems += [f"{ident}: unknown field '{name}'" for name in params
                     if name not in kind.params]
        for name, spec in kind.params.items():
            if name in params:
                problems += [f"{ident}: {text}" for text in spec.problems(name, params[name])]
        if not any(p.startswith(f"{ident}:") for p in problems):
            problems += [f"{ident}: {text}" for text in kind.check(params)]
    return problems


def rules_from_entries(entries: list[dict], kinds: Mapping[str, RuleKind] | None = None
                       ) -> tuple[Rule, ...]:
    """Return validated Rules from entries; raise AlertRulesError naming every problem."""
    kinds = RULE_KINDS if kinds is None else kinds
    problems = validate_rules(entries, kinds)
    if problems:
        raise AlertRulesError("Invalid alert rules:\n" + "\n".join(problems))
    rules = []
    for entry in entries:
        spec = kinds[entry["kind"]].params
        params = {name: (float(entry[name]) if spec[name].type is float else entry[name])
                  for name in spec}
        rules.append(Rule(entry["id"], entry["kind"], params))
    return tuple(rules)


@cache
def load_rules(path: Path = RULES_PATH) -> tuple[Rule, ...]:
    """Return the validated rules of alerts.toml; raise AlertRulesError naming every problem."""
    with open(path, "rb") as fh:
        entries = tomllib.load(fh).get("rule", [])
    return rules_from_entries(entries)


def empty_alerts() -> pd.DataFrame:
    """Return an alerts frame without rows."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in ALERT_COLUMNS})
    for column in ("value", "baseline", "country_value", "threshold", "gap"):
        frame[column] = frame[column].astype(float)
    return frame


def inputs(rules: tuple[Rule, ...] | list[Rule],
           kinds: Mapping[str, RuleKind] | None = None) -> set[str]:
    """Return the frame names that the rules read."""
    kinds = RULE_KINDS if kinds is None else kinds
    return {kinds[r.kind].input for r in rules}


def rules_for(frames: Mapping[str, pd.DataFrame | None], rules: tuple[Rule, ...] | None = None,
              kinds: Mapping[str, RuleKind] | None = None) -> tuple[Rule, ...]:
    """Return the rules (default: alerts.toml's) whose input frame is given and not None."""
    kinds = RULE_KINDS if kinds is None else kinds
    rules = load_rules() if rules is None else rules
    return tuple(r for r in rules if frames.get(kinds[r.kind].input) is not None)


def evaluate(rules: tuple[Rule, ...] | list[Rule], frames: Mapping[str, pd.DataFrame],
             areas: pd.DataFrame, kinds: Mapping[str, RuleKind] | None = None) -> pd.DataFrame:
    """Return every alert the rules raise over the whole history (ALERT_COLUMNS).

    frames maps each kind's input name (e.g. 'monthly') to its frame; a rule whose frame is not
    given is an error. Rows are ordered by period, rule (in the given order) and area code.
    """
    kinds = RULE_KINDS if kinds is None else kinds
    missing = sorted(inputs(rules, kinds) - set(frames))
    if missing:
        raise AlertRulesError(f"alert rules need the frames {missing}; given {sorted(frames)}")
    parts = []
    for order, rule in enumerate(rules):
        kind = kinds[rule.kind]
        found = kind.evaluate(rule, frames[kind.input], areas)
        unknown = set(ALERT_COLUMNS) - set(found.columns) - {"gap"}
        if unknown:
            raise AlertRulesError(f"rule {rule.id} returned no {sorted(unknown)}")
        found = found.assign(_order=order)
        if "gap" not in found.columns:
            found["gap"] = share_move(found["value"].to_numpy(float),
                                      found["country_value"].to_numpy(float))
        parts.append(found[[*ALERT_COLUMNS, "_order"]])
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_alerts()
    out = pd.concat(parts, ignore_index=True)
    bad = sorted(set(out["direction"]) - set(DIRECTIONS))
    if bad:
        raise AlertRulesError(f"alert directions must be {DIRECTIONS}, not {bad}")
    out = out.sort_values(["period", "_order", "area_code"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def episodes(alerts: pd.DataFrame) -> pd.DataFrame:
    """Return runs of consecutive alert periods (EPISODE_COLUMNS) per area, rule and direction.

    Monthly periods one month apart (annual periods one year apart) belong to one episode; its
    peak is the period with the largest share move (gap).
    """
    if alerts.empty:
        return pd.DataFrame(columns=EPISODE_COLUMNS)
    frame = alerts.copy()
    periods = frame["period"].astype(str)
    monthly = (periods.str.len() == 7).to_numpy()
    steps = np.zeros(len(frame), dtype=int)
    if monthly.any():
        steps[monthly] = month_index(periods[monthly])
    steps[~monthly] = periods[~monthly].astype(int).to_numpy()
    frame["_t"] = steps
    keys = ["area_code", "level", "rule_id", "series", "direction"]
    frame = frame.sort_values([*keys, "_t"]).reset_index(drop=True)
    step = frame.groupby(keys, sort=False)["_t"].diff()
    frame["_episode"] = (step != 1).cumsum()
    rows = []
    for _, group in frame.groupby("_episode", sort=False):
        peak = group.loc[group["gap"].abs().idxmax()]
        rows.append({**{k: group.iloc[0][k] for k in keys},
                     "first": group.iloc[0]["period"], "last": group.iloc[-1]["period"],
                     "n_periods": len(group), "peak_period": peak["period"],
                     "peak_gap": peak["gap"], "peak_value": peak["value"],
                     "peak_country_value": peak["country_value"]})
    out = pd.DataFrame(rows, columns=EPISODE_COLUMNS)
    return out.sort_values(["first", "rule_id", "area_code"]).reset_index(drop=True)

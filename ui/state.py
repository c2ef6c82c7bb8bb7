"""URL state of the app: parse and validate query parameters (pure functions, no Streamlit)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from presentation.i18n import DEFAULT_LANG, LANGUAGES

__all__ = ["DEFAULT_LANG", "LANGUAGES"]
DEFAULT_REGION = "MK01"
MAX_AREAS = 5
# Bounds on what a link may carry: longer values are cut with one message, and of a list's
# rejected items the first few are named and the rest counted in one message.
MAX_PARAM_CHARS = 1000
MAX_ITEMS = 60
MAX_ITEM_ISSUES = 3
# The weight sliders' scale: 0–5 in steps of 0.5.
WEIGHT_MAX, WEIGHT_STEP = 5.0, 0.5
WEIGHT_STEPS = tuple(i * WEIGHT_STEP for i in range(int(WEIGHT_MAX / WEIGHT_STEP) + 1))

# Query parameter names (Finnish, short; part of every shared link).
P_LANG = "kieli"
P_AREA = "alue"
P_YEAR = "vuosi"
P_INDICATOR = "mittari"
P_AREAS = "alueet"
P_MEASURE = "mittaus"
P_DIM_WEIGHTS = "painot"
P_IND_WEIGHTS = "ipainot"
P_NORM = "norm"
P_AGG = "agg"
P_DIST_YEAR = "jvuosi"
P_LEVEL = "taso"

_SAFE = re.compile(r"[^0-9A-Za-zÅÄÖåäö_.:,\- ]")


@dataclass(frozen=True)
class Issue:
    """One rejected URL parameter: which parameter, a display-safe copy of its value, why."""

    param: str
    value: str
    reason: str  # 'unknown' | 'invalid' | 'too_many' | 'too_long' | 'more' | 'off_grid'


@dataclass(frozen=True)
class ViewState:
    """The validated shell state shared by every page: language, region and year."""

    lang: str
    area: str
    year: int | None
    issues: tuple[Issue, ...] = field(default_factory=tuple)


def display_safe(value: object, limit: int = 30) -> str:
    """Return a short, harmless copy of a URL value for a message (no markup characters)."""
    text = _SAFE.sub("", str(value))
    return text[:limit] + ("…" if len(text) > limit else "")


def first(raw: object) -> str | None:
    """Return the single text of a query value (the last one if repeated); None when absent."""
    if raw is None:
        return None
    if isinstance(raw, (list, tuple)):
        return str(raw[-1]) if raw else None
    return str(raw)


def parse_lang(raw: object) -> tuple[str, Issue | None]:
    """Return (language, issue): a missing value gives the default, an unknown one an issue."""
    text = first(raw)
    if text is None or not text.strip():
        return DEFAULT_LANG, None
    lang = text.strip().lower()
    if lang in LANGUAGES:
        return lang, None
    return DEFAULT_LANG, Issue(P_LANG, display_safe(text), "unknown")


def _parse_member(raw: object, valid: Sequence[str], default: str | None, param: str,
                  upper: bool) -> tuple[str | None, Issue | None]:
    """Return (value, issue) for one case-folded value among valid, else the default."""
    text = first(raw)
    if text is None or not text.strip():
        return default, None
    value = text.strip().upper() if upper else text.strip().lower()
    if value in valid:
        return value, None
    return default, Issue(param, display_safe(text), "unknown")


def parse_code(raw: object, valid: Sequence[str], default: str,
               param: str = P_AREA) -> tuple[str, Issue | None]:
    """Return (area code, issue) for one code among valid (case-insensitive), else the default."""
    return _parse_member(raw, valid, default, param, upper=True)


def parse_choice(raw: object, valid: Sequence[str], default: str | None,
                 param: str) -> tuple[str | None, Issue | None]:
    """Return (choice, issue) for an exact (lower-case) id among valid, else the default."""
    return _parse_member(raw, valid, default, param, upper=False)


def parse_year(raw: object, years: Sequence[int], default: int | None,
               param: str = P_YEAR) -> tuple[int | None, Issue | None]:
    """Return (year, issue): a year among the available years, else the default."""
    text = first(raw)
    if text is None or not text.strip():
        return default, None
    try:
        value = int(text.strip())
    except ValueError:
        return default, Issue(param, display_safe(text), "invalid")
    if value in years:
        return value, None
    return default, Issue(param, display_safe(text), "unknown")


def _items(raw: object, param: str) -> tuple[list[str], list[Issue]]:
    """Return the comma-separated items of a list value, cut to the bounds, and the issue."""
    text = first(raw) or ""
    issues: list[Issue] = []
    parts = text[:MAX_PARAM_CHARS].split(",", MAX_ITEMS)
    if len(text) > MAX_PARAM_CHARS or len(parts) > MAX_ITEMS:
        issues.append(Issue(param, str(len(text.split(","))), "too_long"))
        parts = parts[:MAX_ITEMS]
        if len(text) > MAX_PARAM_CHARS and len(parts) > 1:
            parts = parts[:-1]  # the last item may be cut in the middle
    return parts, issues


def _capped(issues: list[Issue], param: str) -> list[Issue]:
    """Return the first MAX_ITEM_ISSUES item issues and one that counts the rest."""
    if len(issues) <= MAX_ITEM_ISSUES:
        return issues
    return [*issues[:MAX_ITEM_ISSUES], Issue(param, str(len(issues) - MAX_ITEM_ISSUES), "more")]


def snap_weight(value: float) -> float:
    """Return the slider step nearest to a weight."""
    return min(WEIGHT_STEPS, key=lambda s: abs(s - float(value)))


def off_grid(weights: Mapping[str, float] | None, param: str) -> list[Issue]:
    """Return an issue per weight that is not on the sliders' scale (it is shown snapped)."""
    return _capped([Issue(param, display_safe(f"{k}:{v:g}", 80), "off_grid")
                    for k, v in (weights or {}).items()
                    if math.isfinite(v) and float(v) not in WEIGHT_STEPS], param)


def parse_codes(raw: object, valid: Sequence[str], default: Sequence[str],
                param: str = P_AREAS, limit: int = MAX_AREAS) -> tuple[list[str], list[Issue]]:
    """Return (codes, issues) for a comma-separated list of area codes, at most limit of them.

    Unknown codes are dropped with an issue; duplicates are dropped; an empty result gives default.
    """
    text = first(raw)
    if text is None or not text.strip():
        return list(default), []
    parts, bounds = _items(raw, param)
    issues: list[Issue] = []
    codes: list[str] = []
    for part in parts:
        code = part.strip().upper()
        if not code:
            continue
        if code not in valid:
            if display_safe(part) not in {i.value for i in issues}:
                issues.append(Issue(param, display_safe(part), "unknown"))
        elif code not in codes:
            codes.append(code)
    issues = bounds + _capped(issues, param)
    if len(codes) > limit:
        issues.append(Issue(param, str(len(codes)), "too_many"))
        codes = codes[:limit]
    return (codes or list(default)), issues


def parse_weights(raw: object, valid_ids: Iterable[str],
                  param: str) -> tuple[dict[str, float] | None, list[Issue]]:
    """Return (weights, issues) from 'id:2,id2:0.5'; None when absent or nothing usable.

    Values are parsed as numbers as given (negative or NaN included) so that the scoring module's
    own validation can reject them with its plain message; unknown ids and non-numbers are issues.
    """
    text = first(raw)
    if text is None or not text.strip():
        return None, []
    valid = set(valid_ids)
    weights: dict[str, float] = {}
    issues: list[Issue] = []
    parts, bounds = _items(raw, param)
    for part in parts:
        if not part.strip():
            continue
        key, sep, value = part.partition(":")
        key = key.strip().lower()
        if not sep or key not in valid:
            issues.append(Issue(param, display_safe(part), "unknown"))
            continue
        try:
            weights[key] = float(value.strip())
        except ValueError:
            issues.append(Issue(param, display_safe(part), "invalid"))
    return (weights or None), bounds + _capped(issues, param)


def format_weights(weights: Mapping[str, float] | None) -> str:
    """Return weights as the URL text 'id:2,id2:0.5' (sorted by id); empty for None."""
    if not weights:
        return ""
    parts = []
    for key in sorted(weights):
        value = float(weights[key])
        text = "nan" if math.isnan(value) else f"{value:g}"
        parts.append(f"{key}:{text}")
    return ",".join(parts)


def resolve_view(params: Mapping[str, object], regions: Sequence[str], years: Sequence[int],
                 default_region: str = DEFAULT_REGION) -> ViewState:
    """Return the validated shell state (language, region, year) from query parameters.

    The default year is the latest available; an unknown value falls back to the default and
    is reported as an issue for a friendly message.
    """
    lang, lang_issue = parse_lang(params.get(P_LANG))
    default = default_region if default_region in regions else (regions[0] if regions else "")
    area, area_issue = parse_code(params.get(P_AREA), regions, default)
    latest = max(years) if years else None
    year, year_issue = parse_year(params.get(P_YEAR), years, latest)
    issues = tuple(i for i in (lang_issue, area_issue, year_issue) if i is not None)
    return ViewState(lang=lang, area=area, year=year, issues=issues)


def shell_params(view: ViewState) -> dict[str, str]:
    """Return the query parameters that reproduce the shell state in a link."""
    params = {P_LANG: view.lang, P_AREA: view.area}
    if view.year is not None:
        params[P_YEAR] = str(view.year)
    return params


"""Scoring rules as constants, the Method and Rules choices, method problems (methodology.md)."""

from __future__ import annotations

import hashlib
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from indicators import regions

# --- Version: goes into scores.method; bump it whenever a rule below changes. -----------------
METHOD_VERSION = "tk-2026.2"

# --- Rules (each one is stated, with a worked example, in docs/methodology.md). --------------
NORMALISATIONS = ("goalposts", "minmax", "zscore")
AGGREGATIONS = ("arithmetic", "geometric")
SCORE_MIN = 0.0
SCORE_MAX = 100.0
# Goalposts are fixed per method version in indicators/goalposts.toml, written from the region
# values of these years of the bundled data (first, last), widened by this share of the range.
GOALPOST_REFERENCE = (2000, 2025)
GOALPOST_MARGIN = 0.10
# Strongly skewed indicators are normalised on a natural-log scale (values must be positive).
# Chosen by the JRC/OECD rule |skewness| > 2 and kurtosis > 3.5 on the pooled regional values of
# the bundled data when this method version was set; a change of the list is a new version.
LOG_SCALE_INDICATORS = ("population_density", "vacancies_per_100_unemployed")
# No spread at all (every region equal): every score is the midpoint.
NEUTRAL_SCORE = 50.0
# z-score: winsorised at mean ± ZSCORE_CLIP standard deviations, then 50 + 50 * z / ZSCORE_CLIP.
ZSCORE_CLIP = 3.0
# Geometric mean of (score + GEOMETRIC_OFFSET), minus the offset, so that a zero does not zero all.
GEOMETRIC_OFFSET = 1.0
# Observations with these flags are stored and shown but never scored (annual means of < 12 months).
NOT_SCORED_FLAGS = ("partial",)
# Observations with these flags start a series break for their area (Eurostat's own "b").
BREAK_FLAGS = ("b",)
# Latest value at most this many years older than the scored year; older counts as missing.
MAX_AGE_YEARS = 5
# An indicator is in publication in a year when at least this share of the regions has a value
# of that year or within MAX_AGE_YEARS before it; only indicators in publication count.
PUBLICATION_SHARE = (2, 3)
# A dimension needs a value for at least this share of its indicators in publication.
DIMENSION_COVERAGE = (2, 3)
# The overall index needs a score in at least this share of the framework's dimensions.
OVERALL_COVERAGE = (5, 6)
INSUFFICIENT_FLAG = "insufficient_data"
OVERALL = "overall"
# Scored areas: the regions are ranked; the country is scored as the reference line only.
RANKED_LEVEL = "region"
REFERENCE_AREA = regions.COUNTRY_CODE
# Ranks compare scores rounded to this many decimals (the precision the page shows).
RANK_DECIMALS = 1
CHANGE_LAGS = (1, 5)
# Why a change is marked or not shown (NULL: comparable on the same indicators in both years).
CHANGE_NOTES = ("partial", "no_new_data", "break", "set_changed", "no_base")
# Monte Carlo: Dirichlet concentration per component, percentile interval, defaults.
DIRICHLET_CONCENTRATION = 10.0
RANK_PERCENTILES = (5, 95)
MC_DRAWS = 1000
MC_SEED = 20261122
# Peers: nearest neighbours on z-scored structural variables (log for the skewed ones).
PEER_COUNT = 3
PEER_VARIABLES = (
    ("population_density", "log"),
    ("urbanisation_degree", "identity"),
    ("gdp_per_capita", "log"),
    ("economic_dependency_ratio", "identity"),
    ("tertiary_education_share", "identity"),
)
PEER_MIN_VARIABLES = 2
# Strengths and weaknesses: at least this many points above (below) the country and the peers.
STRENGTH_THRESHOLD = 10.0

# English texts of the method problems (the app translates the codes itself).
PROBLEM_MESSAGES = {
    "unknown_normalisation": "unknown normalisation '{value}'; choose one of "
                             + ", ".join(NORMALISATIONS),
    "unknown_aggregation": "unknown aggregation '{value}'; choose one of "
                           + ", ".join(AGGREGATIONS),
    "unknown_dimension_ids": "unknown dimension ids in the weights: {values}",
    "unknown_indicator_ids": "unknown indicator ids in the weights: {values}",
    "weight_not_a_number": "the weight of {subject} is not a number: {value!r}",
    "weight_not_finite": "the weight of {subject} must be a finite number, not {value}",
    "weight_negative": "the weight of {subject} is negative ({value}); weights must be 0 or more",
    "all_dimensions_zero": "every dimension has weight 0; give at least one a positive weight",
    "all_indicators_zero": "every indicator of dimension {subject} has weight 0; give at least "
                           "one a positive weight or give the dimension weight 0",
}


class WeightsError(ValueError):
    """Raised with a plain-language message when a method's weights or names are invalid."""


@dataclass(frozen=True)
class Problem:
    """One reason why a method cannot be used: a code, what it concerns and the offending value."""

    code: str
    subject: str | None = None
    value: object = None

    def message(self) -> str:
        """Return the problem in plain English."""
        values = ", ".join(self.value) if isinstance(self.value, tuple) else self.value
        return PROBLEM_MESSAGES[self.code].format(subject=self.subject, value=self.value,
                                                  values=values)


@dataclass(frozen=True)
class Method:
    """One scoring method: normalisation, aggregation and (relative) weights."""

    normalisation: str = "goalposts"
    aggregation: str = "arithmetic"
    dimension_weights: Mapping[str, float] | None = None
    indicator_weights: Mapping[str, float] | None = None

    def id(self) -> str:
        """Return a compact id, e.g. 'tk-2026.2:goalposts:arithmetic:equal'."""
        parts = [METHOD_VERSION, self.normalisation, self.aggregation]
        if not self.dimension_weights and not self.indicator_weights:
            parts.append("equal")
        else:
            text = repr((_canonical(self.dimension_weights), _canonical(self.indicator_weights)))
            parts.append("w-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8])
        return ":".join(parts)

    def __hash__(self) -> int:
        """Hash by id (weights are mappings, which cannot be hashed themselves)."""
        return hash(self.id())


def _share(value, name: str) -> None:
    """Raise ValueError unless value is a share (numerator, denominator) within 0–1."""
    if not (isinstance(value, tuple) and len(value) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in value)
            and 0 <= value[0] <= value[1] and value[1] > 0):
        raise ValueError(f"{name} must be (numerator, denominator) with 0 <= n <= d, d > 0")


@dataclass(frozen=True)
class Rules:
    """The time and coverage rules of a scoring run (the defaults are this method version's)."""

    max_age_years: int = MAX_AGE_YEARS
    publication_share: tuple[int, int] = PUBLICATION_SHARE
    dimension_coverage: tuple[int, int] = DIMENSION_COVERAGE
    overall_coverage: tuple[int, int] = OVERALL_COVERAGE
    change_lags: tuple[int, ...] = CHANGE_LAGS
    rank_decimals: int = RANK_DECIMALS
    not_scored_flags: tuple[str, ...] = NOT_SCORED_FLAGS
    break_flags: tuple[str, ...] = BREAK_FLAGS

    def __post_init__(self) -> None:
        """Refuse rules that cannot be applied."""
        for name in ("publication_share", "dimension_coverage", "overall_coverage"):
            _share(getattr(self, name), name)
        if not (isinstance(self.max_age_years, int) and self.max_age_years >= 0):
            raise ValueError("max_age_years must be a whole number of years, 0 or more")
        if not all(isinstance(lag, int) and lag > 0 for lag in self.change_lags):
            raise ValueError("change_lags must be positive whole numbers of years")
        if not (isinstance(self.rank_decimals, int) and 0 <= self.rank_decimals <= 3):
            raise ValueError("rank_decimals must be 0..3")


DEFAULT_RULES = Rules()


def _canonical(weights: Mapping[str, float] | None) -> list[tuple[str, str]]:
    """Return weights as sorted (id, number text) pairs, so equal weights give equal ids."""
    def text(value) -> str:
        is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
        return repr(float(value)) if is_number else repr(value)
    return sorted((str(k), text(v)) for k, v in (weights or {}).items())


def _weight_problems(weights: Mapping[str, float] | None, known: set[str],
                     what: str) -> list[Problem]:
    """Return the problems of one weight mapping."""
    if weights is None:
        return []
    if not isinstance(weights, Mapping):
        raise WeightsError(f"{what} weights must be a mapping of id to number, "
                           f"not {type(weights).__name__}")
    problems = []
    unknown = tuple(sorted(str(k) for k in weights if k not in known))
    if unknown:
        problems.append(Problem(f"unknown_{what}_ids", None, unknown))
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            problems.append(Problem("weight_not_a_number", str(key), value))
        elif not math.isfinite(float(value)):
            problems.append(Problem("weight_not_finite", str(key), value))
        elif value < 0:
            problems.append(Problem("weight_negative", str(key), value))
    return problems


def scored_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """Return the indicators that take part in scoring (catalog `scored`, default true)."""
    if "scored" not in indicators.columns:
        return indicators
    keep = indicators["scored"].map(lambda s: True if pd.isna(s) else bool(s))
    return indicators[keep.astype(bool)]


def method_problems(method: Method, indicators: pd.DataFrame) -> list[Problem]:
    """Return why the method cannot be used with these indicators (empty when it can)."""
    if not isinstance(method, Method):
        raise WeightsError(f"method must be a Method, not {type(method).__name__}")
    problems = []
    if method.normalisation not in NORMALISATIONS:
        problems.append(Problem("unknown_normalisation", None, method.normalisation))
    if method.aggregation not in AGGREGATIONS:
        problems.append(Problem("unknown_aggregation", None, method.aggregation))
    dims = set(indicators["dimension"])
    problems += _weight_problems(method.dimension_weights, dims, "dimension")
    problems += _weight_problems(method.indicator_weights, set(indicators["id"]), "indicator")
    if not problems:
        dim_w = dimension_weights(method, sorted(dims))
        if all(w == 0 for w in dim_w.values()):
            problems.append(Problem("all_dimensions_zero"))
        scored = scored_indicators(indicators)
        ind_w = indicator_weights(method, scored)
        for dim in sorted(dims):
            ids = scored.loc[scored["dimension"] == dim, "id"]
            if dim_w[dim] > 0 and len(ids) and all(ind_w[i] == 0 for i in ids):
                problems.append(Problem("all_indicators_zero", dim))
    return problems


def validate_method(method: Method, indicators: pd.DataFrame) -> None:
    """Raise WeightsError in plain language when the method cannot be used with these indicators."""
    problems = method_problems(method, indicators)
    if problems:
        raise WeightsError("Invalid scoring method: "
                           + "; ".join(p.message() for p in problems) + ".")


def dimension_weights(method: Method, dims: list[str]) -> dict[str, float]:
    """Return the relative weight of each dimension (1 unless overridden)."""
    given = method.dimension_weights or {}
    return {d: float(given.get(d, 1.0)) for d in dims}


def indicator_weights(method: Method, indicators: pd.DataFrame) -> dict[str, float]:
    """Return the relative weight of each indicator within its dimension (1 unless overridden)."""
    given = method.indicator_weights or {}
    return {i: float(given.get(i, 1.0)) for i in indicators["id"]}


def meets_share(count, total, share: tuple[int, int]):
    """Return count/total >= share, in exact integer arithmetic (works on numpy arrays too)."""
    num, den = share
    return (count * den >= total * num) & (total > 0)

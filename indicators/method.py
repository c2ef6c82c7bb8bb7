"""Scoring rules as constants, the Method choice and weight validation (docs/methodology.md)."""

from __future__ import annotations

import hashlib
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from indicators import regions

# --- Version: goes into scores.method; bump it whenever a rule below changes. -----------------
METHOD_VERSION = "tk-2026.1"

# --- Rules (each one is stated, with a worked example, in docs/methodology.md). --------------
NORMALISATIONS = ("goalposts", "minmax", "zscore")
AGGREGATIONS = ("arithmetic", "geometric")
SCORE_MIN = 0.0
SCORE_MAX = 100.0
# Data-derived goalposts: min and max of all region values in all years, widened by this share of
# the range on both sides (the catalog's goalposts, when given, are used instead).
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
# Latest value at most this many years older than the scored year; older counts as missing.
MAX_AGE_YEARS = 5
# An indicator takes part only if, in some year, at least this share of the regions has a value.
INDICATOR_MIN_REGIONS = (2, 3)
# A dimension needs at least this share of its indicators in use (numerator, denominator).
DIMENSION_COVERAGE = (2, 3)
# The overall index needs at least this share of the dimensions in use.
OVERALL_COVERAGE = (5, 6)
INSUFFICIENT_FLAG = "insufficient_data"
OVERALL = "overall"
# Scored areas: the regions are ranked; the country is scored as the reference line only.
RANKED_LEVEL = "region"
REFERENCE_AREA = regions.COUNTRY_CODE
CHANGE_LAGS = (1, 5)
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


class WeightsError(ValueError):
    """Raised with a plain-language message when a method's weights or names are invalid."""


@dataclass(frozen=True)
class Method:
    """One scoring method: normalisation, aggregation and (relative) weights."""

    normalisation: str = "goalposts"
    aggregation: str = "arithmetic"
    dimension_weights: Mapping[str, float] | None = None
    indicator_weights: Mapping[str, float] | None = None

    def id(self) -> str:
        """Return a compact id, e.g. 'tk-2026.1:goalposts:arithmetic:equal'."""
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


def _canonical(weights: Mapping[str, float] | None) -> list[tuple[str, str]]:
    """Return weights as sorted (id, number text) pairs, so equal weights give equal ids."""
    def text(value) -> str:
        is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
        return repr(float(value)) if is_number else repr(value)
    return sorted((str(k), text(v)) for k, v in (weights or {}).items())


def _check_weights(weights: Mapping[str, float] | None, known: set[str], what: str) -> list[str]:
    """Return the problems of one weight mapping."""
    if weights is None:
        return []
    if not isinstance(weights, Mapping):
        return [f"{what} weights must be a mapping of id to number, not {type(weights).__name__}"]
    problems = []
    unknown = sorted(str(k) for k in weights if k not in known)
    if unknown:
        problems.append(f"unknown {what} ids in the weights: {', '.join(unknown)}")
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            problems.append(f"the weight of {key} is not a number: {value!r}")
        elif not math.isfinite(float(value)):
            problems.append(f"the weight of {key} must be a finite number, not {value}")
        elif value < 0:
            problems.append(f"the weight of {key} is negative ({value}); weights must be 0 or more")
    return problems


def validate_method(method: Method, indicators: pd.DataFrame) -> None:
    """Raise WeightsError in plain language when the method cannot be used with these indicators."""
    if not isinstance(method, Method):
        raise WeightsError(f"method must be a Method, not {type(method).__name__}")
    problems = []
    if method.normalisation not in NORMALISATIONS:
        problems.append(f"unknown normalisation '{method.normalisation}'; "
                        f"choose one of {', '.join(NORMALISATIONS)}")
    if method.aggregation not in AGGREGATIONS:
        problems.append(f"unknown aggregation '{method.aggregation}'; "
                        f"choose one of {', '.join(AGGREGATIONS)}")
    dims = set(indicators["dimension"])
    problems += _check_weights(method.dimension_weights, dims, "dimension")
    problems += _check_weights(method.indicator_weights, set(indicators["id"]), "indicator")
    if not problems:
        dim_w = dimension_weights(method, sorted(dims))
        if all(w == 0 for w in dim_w.values()):
            problems.append("every dimension has weight 0; give at least one a positive weight")
        ind_w = indicator_weights(method, indicators)
        for dim in sorted(dims):
            ids = indicators.loc[indicators["dimension"] == dim, "id"]
            if dim_w[dim] > 0 and all(ind_w[i] == 0 for i in ids):
                problems.append(f"every indicator of dimension {dim} has weight 0; give at least "
                                "one a positive weight or give the dimension weight 0")
    if problems:
        raise WeightsError("Invalid scoring method: " + "; ".join(problems) + ".")


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

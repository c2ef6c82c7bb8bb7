"""What the view-models take from the scoring engine: strengths, extremes, method problems.

The engine (indicators/) produces these per the scoring contract; this module only calls it and
makes its rows the shape the pictures read. Where the engine of this checkout predates the
contract (no `extremes`, no `method_problems`, strengths rows without values) a stand-in with
the same output is used, marked below; it goes when the engine provides the function.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from indicators import method as engine_method
from indicators import strengths as engine_strengths
from indicators.method import OVERALL, REFERENCE_AREA, STRENGTH_THRESHOLD

STRENGTH_COLUMNS = ["kind", "level", "id", "score", "country_score", "peer_score", "gap", "rule",
                    "value", "value_period", "country_value", "rank", "n_ranked"]
EXTREME_COLUMNS = ["id", "level", "rank", "n_ranked", "score"]
__all__ = ["STRENGTH_THRESHOLD", "Problem", "extremes", "method_problems", "strengths"]


@dataclass(frozen=True)
class Problem:
    """One reason a scoring method cannot be used: a code, what it concerns, the value."""

    code: str
    subject: str | None = None
    value: object = None


def strengths(scores: pd.DataFrame, indicator_scores: pd.DataFrame, area: str, year: int,
              peer_codes: Sequence[str]) -> pd.DataFrame:
    """Return the region's strengths and weaknesses with value, year, country value and rank."""
    rows = engine_strengths.stored_strengths(scores, indicator_scores, area, year,
                                             tuple(peer_codes))
    rows = rows.copy()
    missing = [c for c in STRENGTH_COLUMNS if c not in rows]
    if missing and not rows.empty:  # stand-in: the engine's rows predate the contract
        ranks = _ranks(scores, indicator_scores, year)
        values = _values(indicator_scores, year)
        for column in missing:
            rows[column] = [_lookup(row, column, area, ranks, values)
                            for row in rows.to_dict("records")]
    for column in missing if rows.empty else []:
        rows[column] = pd.Series(dtype=object)
    return rows[STRENGTH_COLUMNS].reset_index(drop=True)


def extremes(scores: pd.DataFrame, indicator_scores: pd.DataFrame, area: str,
             year: int) -> pd.DataFrame:
    """Return the region's best and worst ranked dimension and indicator (contract columns)."""
    found = getattr(engine_strengths, "extremes", None)
    if found is not None:
        out = found(scores, indicator_scores, area, year)
        return pd.DataFrame(out)
    ranks = _ranks(scores, indicator_scores, year)  # stand-in until the engine has extremes
    own = ranks[ranks["area_code"] == area].dropna(subset=["rank"])
    picked = []
    for level in ("dimension", "indicator"):
        part = own[own["level"] == level].sort_values(["rank", "id"])
        if not part.empty:
            picked += [part.iloc[0], part.iloc[-1]] if len(part) > 1 else [part.iloc[0]]
    frame = pd.DataFrame(picked, columns=[*EXTREME_COLUMNS, "area_code"])
    return frame[EXTREME_COLUMNS].reset_index(drop=True)


def method_problems(method: engine_method.Method, indicators: pd.DataFrame) -> list[Problem]:
    """Return the structured problems of a scoring method (empty when it can be used)."""
    found = getattr(engine_method, "method_problems", None)
    if found is not None:
        return [Problem(p.code, getattr(p, "subject", None), getattr(p, "value", None))
                for p in found(method, indicators)]
    return _stand_in_problems(method, indicators)


def _stand_in_problems(method: engine_method.Method, indicators: pd.DataFrame) -> list[Problem]:
    """Return the contract's problem codes by calling validate_method (until the engine has them).

    Weight checks are made one weight at a time so that each problem gets its own code.
    """
    problems: list[Problem] = []
    for field, what in (("dimension_weights", "dimension"), ("indicator_weights", "indicator")):
        for key, value in (getattr(method, field) or {}).items():
            code = _weight_code(value)
            if code:
                problems.append(Problem(code, str(key), value))
            elif what == "dimension" and key not in set(indicators["dimension"]):
                problems.append(Problem("unknown_dimension_ids", str(key)))
            elif what == "indicator" and key not in set(indicators["id"]):
                problems.append(Problem("unknown_indicator_ids", str(key)))
    if method.normalisation not in engine_method.NORMALISATIONS:
        problems.append(Problem("unknown_normalisation", None, method.normalisation))
    if method.aggregation not in engine_method.AGGREGATIONS:
        problems.append(Problem("unknown_aggregation", None, method.aggregation))
    if problems:
        return problems
    dims = sorted(set(indicators["dimension"]))
    dim_w = engine_method.dimension_weights(method, dims)
    if all(w == 0 for w in dim_w.values()):
        return [Problem("all_dimensions_zero")]
    ind_w = engine_method.indicator_weights(method, indicators)
    for dim in [d for d in indicators["dimension"].drop_duplicates() if dim_w[d] > 0]:
        ids = indicators.loc[indicators["dimension"] == dim, "id"]
        if all(ind_w[i] == 0 for i in ids):
            problems.append(Problem("all_indicators_zero", dim))
    return problems


def _weight_code(value: object) -> str | None:
    """Return the problem code of one weight value, None when it is usable."""
    import math
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return "weight_not_a_number"
    if not math.isfinite(float(value)):
        return "weight_not_finite"
    if value < 0:
        return "weight_negative"
    return None


def _ranks(scores: pd.DataFrame, indicator_scores: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return (area_code, level, id, rank, n_ranked, score) of the year's ranked scores.

    Dimension ranks are the stored ones; indicator ranks rank the regions' indicator scores
    (ties share the best rank), as the engine does.
    """
    dims = scores[(scores["period"] == year) & (scores["dimension"] != OVERALL)]
    dim_rows = pd.DataFrame({"area_code": dims["area_code"], "level": "dimension",
                             "id": dims["dimension"], "rank": dims["rank"],
                             "n_ranked": dims["n_ranked"], "score": dims["score"]})
    ind = indicator_scores[(indicator_scores["period"] == year)
                           & (indicator_scores["area_code"] != REFERENCE_AREA)
                           & indicator_scores["score"].notna()]
    rank = ind.groupby("indicator_id")["score"].rank(ascending=False, method="min")
    n = ind.groupby("indicator_id")["score"].transform("count")
    ind_rows = pd.DataFrame({"area_code": ind["area_code"], "level": "indicator",
                             "id": ind["indicator_id"], "rank": rank, "n_ranked": n,
                             "score": ind["score"]})
    return pd.concat([dim_rows, ind_rows], ignore_index=True)


def _values(indicator_scores: pd.DataFrame, year: int) -> dict[tuple[str, str], tuple]:
    """Return (indicator, area) -> (value, value_period) of the year's indicator scores."""
    part = indicator_scores[indicator_scores["period"] == year]
    return {(i, a): (v, p) for i, a, v, p in zip(part["indicator_id"], part["area_code"],
                                                 part["value"], part["value_period"],
                                                 strict=True)}


def _lookup(row: dict, column: str, area: str, ranks: pd.DataFrame,
            values: dict[tuple[str, str], tuple]) -> object:
    """Return one missing strengths column for a row (stand-in for the engine's own)."""
    if column in ("rank", "n_ranked"):
        hit = ranks[(ranks["area_code"] == area) & (ranks["level"] == row["level"])
                    & (ranks["id"] == row["id"])]
        return hit[column].iloc[0] if len(hit) else None
    if row["level"] != "indicator":
        return None
    own = values.get((row["id"], area), (None, None))
    if column == "value":
        return own[0]
    if column == "value_period":
        return own[1]
    country = values.get((row["id"], REFERENCE_AREA), (None, None))
    return country[0] if country[1] == own[1] else None

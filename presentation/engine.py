"""What the view-models take from the scoring engine: strengths, extremes, method problems.

The engine (indicators/) produces these per the scoring contract; this module only calls it and
gives its rows the columns the pictures read.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from indicators import method as engine_method
from indicators import strengths as engine_strengths
from indicators.method import STRENGTH_THRESHOLD, Problem

STRENGTH_COLUMNS = ["kind", "level", "id", "score", "country_score", "peer_score", "gap", "rule",
                    "value", "value_period", "country_value", "rank", "n_ranked"]
__all__ = ["STRENGTH_THRESHOLD", "Problem", "engine_method", "extremes", "method_problems",
           "strengths"]


def strengths(scores: pd.DataFrame, indicator_scores: pd.DataFrame, area: str, year: int,
              peer_codes: Sequence[str]) -> pd.DataFrame:
    """Return the region's strengths and weaknesses with value, year, country value and rank."""
    rows = engine_strengths.stored_strengths(scores, indicator_scores, area, year,
                                             tuple(peer_codes))
    return rows[STRENGTH_COLUMNS].reset_index(drop=True)


def extremes(scores: pd.DataFrame, indicator_scores: pd.DataFrame, area: str,
             year: int) -> pd.DataFrame:
    """Return the region's best and worst ranked dimension and indicator."""
    return pd.DataFrame(engine_strengths.extremes(scores, indicator_scores, area, year))


def method_problems(method: engine_method.Method, indicators: pd.DataFrame) -> list[Problem]:
    """Return the structured problems of a scoring method (empty when it can be used)."""
    return list(engine_method.method_problems(method, indicators))

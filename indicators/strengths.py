"""Strengths and weaknesses of a region: scores clearly above or below the country and its peers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.method import OVERALL, REFERENCE_AREA, STRENGTH_THRESHOLD

SW_COLUMNS = ["kind", "level", "id", "score", "country_score", "peer_score", "gap", "rule"]


@dataclass(frozen=True)
class _Stored:
    """Stored indicator and dimension scores shaped like a ScoreResult."""

    indicator_scores: pd.DataFrame
    dimension_scores: pd.DataFrame


def classify(score: float, country: float, peer: float,
             threshold: float = STRENGTH_THRESHOLD) -> tuple[str | None, float, str]:
    """Return (kind or None, gap, rule) for one score against the country and the peer mean.

    Strength: at least threshold points above every available comparator; weakness: at least
    threshold below every one. The gap is the smaller of the differences (closest to zero).
    """
    refs = {name: ref for name, ref in (("country", country), ("peers", peer))
            if ref is not None and np.isfinite(ref)}
    if score is None or not np.isfinite(score) or not refs:
        return None, float("nan"), ""
    rule = "_and_".join(refs) + f":{threshold:g}"
    diffs = [score - ref for ref in refs.values()]
    if min(diffs) >= threshold:
        return "strength", float(min(diffs)), rule
    if max(diffs) <= -threshold:
        return "weakness", float(max(diffs)), rule
    return None, float("nan"), rule


def _rows(frame: pd.DataFrame, key: str, area_code: str, peer_codes: tuple[str, ...],
          level: str) -> list[dict]:
    """Return the classified rows of one level (dimension or indicator)."""
    wide = frame.pivot_table(index=key, columns="area_code", values="score", aggfunc="first")
    if area_code not in wide.columns:
        return []
    peers_present = [c for c in peer_codes if c in wide.columns]
    rows = []
    for ident, row in wide.iterrows():
        score = row[area_code]
        country = row.get(REFERENCE_AREA, np.nan)
        peer = row[peers_present].mean() if peers_present else np.nan
        kind, gap, rule = classify(score, country, peer)
        if kind:
            rows.append({"kind": kind, "level": level, "id": ident, "score": score,
                         "country_score": country, "peer_score": peer, "gap": gap,
                         "rule": rule})
    return rows


def strengths_weaknesses(result, area_code: str, period: int,
                         peer_codes=()) -> pd.DataFrame:
    """Return a region's strengths and weaknesses in a year, dimensions and biggest gaps first."""
    dims = result.dimension_scores
    known = set(dims["area_code"])
    if area_code not in known:
        raise ValueError(f"area {area_code} is not among the scored areas")
    peer_codes = tuple(peer_codes)
    unknown = [c for c in peer_codes if c not in known]
    if unknown:
        raise ValueError(f"peer area(s) {unknown} are not among the scored areas")
    dim_rows = dims[(dims["period"] == period) & (dims["dimension"] != OVERALL)]
    ind = result.indicator_scores
    ind_rows = ind[ind["period"] == period]
    rows = (_rows(dim_rows, "dimension", area_code, peer_codes, "dimension")
            + _rows(ind_rows, "indicator_id", area_code, peer_codes, "indicator"))
    frame = pd.DataFrame(rows, columns=SW_COLUMNS)
    if frame.empty:
        return frame
    frame["_kind"] = frame["kind"].map({"strength": 0, "weakness": 1})
    frame["_level"] = frame["level"].map({"dimension": 0, "indicator": 1})
    frame["_size"] = -frame["gap"].abs()
    frame = frame.sort_values(["_kind", "_level", "_size", "id"]).drop(columns=["_kind", "_level",
                                                                             "_size"])
    return frame.reset_index(drop=True)


def stored_strengths(dimension_scores: pd.DataFrame, indicator_scores: pd.DataFrame,
                     area_code: str, period: int, peer_codes=()) -> pd.DataFrame:
    """Return strengths_weaknesses of stored scores; empty when the area has none that year.

    Peers without scores in the year are left out rather than refused.
    """
    dims = dimension_scores[dimension_scores["period"] == period]
    if area_code not in set(dims["area_code"]):
        return pd.DataFrame(columns=SW_COLUMNS)
    known = set(dims["area_code"])
    ind = indicator_scores[indicator_scores["period"] == period]
    result = _Stored(indicator_scores=ind, dimension_scores=dims)
    return strengths_weaknesses(result, area_code, period,
                                tuple(c for c in peer_codes if c in known))

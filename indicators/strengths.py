"""Strengths and weaknesses of a region, and its best and worst ranks, from the scores."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.aggregate import competition_ranks
from indicators.method import OVERALL, RANK_DECIMALS, REFERENCE_AREA, STRENGTH_THRESHOLD

SW_COLUMNS = ["kind", "level", "id", "score", "country_score", "peer_score", "gap", "rule",
              "value", "value_period", "country_value", "rank", "n_ranked"]
EXTREME_COLUMNS = ["kind", "level", "id", "rank", "n_ranked", "score", "value", "value_period",
                   "country_value"]


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


def _ranked_rows(frame: pd.DataFrame, key: str, area_code: str) -> pd.DataFrame:
    """Return one row per id of a level: the area's score, rank and n_ranked, and more.

    Also the country's score and, where the frame has values, the area's and the country's
    value and the value's year. Stored ranks (a scores table) are used as published.
    """
    wide = frame.pivot_table(index=key, columns="area_code", values="score", aggfunc="first")
    if area_code not in wide.columns:
        return pd.DataFrame(columns=["id", "score", "country_score", "rank", "n_ranked", "value",
                                     "value_period", "country_value"])
    regions = wide.drop(columns=[REFERENCE_AREA], errors="ignore")
    ranks = competition_ranks(regions.to_numpy(dtype=float), RANK_DECIMALS)
    own = regions.columns.get_loc(area_code) if area_code in regions.columns else None
    out = pd.DataFrame({"id": wide.index, "score": wide[area_code].to_numpy(dtype=float),
                        "country_score": (wide[REFERENCE_AREA] if REFERENCE_AREA in wide
                                          else pd.Series(np.nan, index=wide.index)).to_numpy(
                                              dtype=float),
                        "rank": ranks[:, own] if own is not None else np.nan,
                        "n_ranked": (~np.isnan(regions.to_numpy(dtype=float))).sum(axis=1)})
    stored = {"rank", "n_ranked"} <= set(frame.columns)
    if stored:                                    # the stored ranks are the published ones
        mine = frame[frame["area_code"] == area_code].set_index(key)
        out["rank"] = mine["rank"].reindex(out["id"]).astype("float64").to_numpy()
        out["n_ranked"] = mine["n_ranked"].reindex(out["id"]).astype("float64").to_numpy()
    for column, code, name in (("value", area_code, "value"),
                               ("value_period", area_code, "value_period"),
                               ("value", REFERENCE_AREA, "country_value")):
        if column in frame.columns:
            rows = frame[frame["area_code"] == code].set_index(key)[column]
            out[name] = rows.reindex(out["id"]).astype("float64").to_numpy()
        else:
            out[name] = np.nan
    out.loc[out["score"].isna(), "rank"] = np.nan
    return out


def _rows(frame: pd.DataFrame, key: str, area_code: str, peer_codes: tuple[str, ...],
          level: str) -> list[dict]:
    """Return the classified rows of one level (dimension or indicator)."""
    wide = frame.pivot_table(index=key, columns="area_code", values="score", aggfunc="first")
    if area_code not in wide.columns:
        return []
    peers_present = [c for c in peer_codes if c in wide.columns]
    ranked = _ranked_rows(frame, key, area_code).set_index("id")
    rows = []
    for ident, row in wide.iterrows():
        score = row[area_code]
        country = row.get(REFERENCE_AREA, np.nan)
        peer = row[peers_present].mean() if peers_present else np.nan
        kind, gap, rule = classify(score, country, peer)
        if kind:
            info = ranked.loc[ident]
            rows.append({"kind": kind, "level": level, "id": ident, "score": score,
                         "country_score": country, "peer_score": peer, "gap": gap,
                         "rule": rule, "value": info["value"],
                         "value_period": info["value_period"],
                         "country_value": info["country_value"], "rank": info["rank"],
                         "n_ranked": info["n_ranked"]})
    return rows


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame with whole-number columns as nullable integers."""
    for column in ("value_period", "rank", "n_ranked"):
        if column in frame.columns:
            frame[column] = pd.array(pd.to_numeric(frame[column], errors="coerce")
                                     .to_numpy(dtype=float), dtype="Float64").astype("Int64")
    return frame


def strengths_weaknesses(result, area_code: str, period: int,
                         peer_codes=()) -> pd.DataFrame:
    """Return a region's strengths and weaknesses in a year, dimensions and biggest gaps first.

    Indicator rows carry the region's and the country's value and the value's year; every row
    carries the rank among the regions and how many were ranked.
    """
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
        return _typed(frame)
    frame["_kind"] = frame["kind"].map({"strength": 0, "weakness": 1})
    frame["_level"] = frame["level"].map({"dimension": 0, "indicator": 1})
    frame["_size"] = -frame["gap"].abs()
    frame = frame.sort_values(["_kind", "_level", "_size", "id"]).drop(columns=["_kind", "_level",
                                                                             "_size"])
    return _typed(frame.reset_index(drop=True))


def stored_strengths(dimension_scores: pd.DataFrame, indicator_scores: pd.DataFrame,
                     area_code: str, period: int, peer_codes=()) -> pd.DataFrame:
    """Return strengths_weaknesses of stored scores; empty when the area has none that year.

    Peers without scores in the year are left out rather than refused.
    """
    dims = dimension_scores[dimension_scores["period"] == period]
    if area_code not in set(dims["area_code"]):
        return _typed(pd.DataFrame(columns=SW_COLUMNS))
    known = set(dims["area_code"])
    ind = indicator_scores[indicator_scores["period"] == period]
    result = _Stored(indicator_scores=ind, dimension_scores=dims)
    return strengths_weaknesses(result, area_code, period,
                                tuple(c for c in peer_codes if c in known))


def extremes(scores: pd.DataFrame, indicator_scores: pd.DataFrame, area_code: str,
             period: int) -> pd.DataFrame:
    """Return the region's best and worst ranked dimension and indicator in a year.

    One 'best' and one 'worst' row per level (dimension, indicator), whatever the gap to the
    country; ties in rank go to the higher (best) or lower (worst) score, then the id. A level
    with a single ranked item has only its 'best' row; a level without ranks has none.
    """
    rows = []
    levels = (("dimension", scores[(scores["period"] == period)
                                   & (scores["dimension"] != OVERALL)], "dimension"),
              ("indicator", indicator_scores[indicator_scores["period"] == period],
               "indicator_id"))
    for level, frame, key in levels:
        ranked = _ranked_rows(frame, key, area_code).dropna(subset=["rank"])
        if ranked.empty:
            continue
        best = ranked.sort_values(["rank", "score", "id"], ascending=[True, False, True]).iloc[0]
        worst = ranked.sort_values(["rank", "score", "id"], ascending=[False, True, True]).iloc[0]
        picks = [("best", best)] + ([("worst", worst)] if worst["id"] != best["id"] else [])
        for kind, row in picks:
            rows.append({"kind": kind, "level": level, **{c: row[c] for c in EXTREME_COLUMNS[2:]}})
    return _typed(pd.DataFrame(rows, columns=EXTREME_COLUMNS))

"""The warehouse frames every view-model is built from, read once through warehouse/query.py.

`read_frames` reads the country's and the regions' tables (one batch of briefs, one warehouse
version of the app). `conform` gives the scores and indicator scores the columns of the scoring
contract (CONTRACTS.md): a warehouse built before that contract lacks some of them, and then the
pictures say less, plainly, instead of failing: ranks are counted from the stored ranks, the
ages of the figures come from the indicator scores' value years, and a stored change whose
comparability was never checked is not shown (note `unchecked`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from warehouse import query

AREA_LEVELS = ("country", "region")
OVERALL = "overall"
SCORE_COLUMNS = query.SCORE_COLUMNS
INDICATOR_SCORE_COLUMNS = query.INDICATOR_SCORE_COLUMNS
UNCHECKED = "unchecked"  # a stored change from a warehouse that records no comparability


@dataclass(frozen=True)
class PictureFrames:
    """The warehouse tables behind the pictures: the country and the regions, every year."""

    meta: dict[str, str]
    freshness: dict[str, str | None]
    areas: pd.DataFrame
    dimensions: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame
    observations: pd.DataFrame
    scores: pd.DataFrame
    indicator_scores: pd.DataFrame
    peers: pd.DataFrame
    breaks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=query.BREAK_COLUMNS))
    score_periods: list[int] = field(default_factory=list)
    observation_periods: list[int] = field(default_factory=list)


def read_frames(con: duckdb.DuckDBPyConnection) -> PictureFrames:
    """Return the conformed frames of every picture from an open read-only connection."""
    levels = list(AREA_LEVELS)
    areas = query.areas(con, levels=levels)
    codes = list(areas["code"])
    frames = PictureFrames(
        meta=query.meta(con), freshness=query.freshness(con), areas=areas,
        dimensions=query.dimensions(con), indicators=query.indicators(con),
        sources=query.sources(con), observations=query.observations(con, levels=levels),
        scores=query.scores(con, area_code=codes),
        indicator_scores=query.indicator_scores(con, area_code=codes),
        peers=query.peers(con), breaks=query.breaks(con),
        score_periods=query.score_periods(con),
        observation_periods=query.observation_periods(con))
    return conform(frames)


def load_frames(db_path: Path | str | None = None) -> PictureFrames:
    """Open the warehouse read-only (default: $TILANNEKUVA_DB), read the frames and close it.

    Raises warehouse.query.WarehouseMissing with how to build it when the file is absent.
    """
    con = query.connect(db_path)
    try:
        return read_frames(con)
    finally:
        con.close()


def conform(frames: PictureFrames) -> PictureFrames:
    """Return frames whose scores and indicator scores have every contract column."""
    indicator_scores = conform_indicator_scores(frames.indicator_scores)
    scores = conform_scores(frames.scores, indicator_scores, frames.indicators, frames.areas)
    return replace(frames, scores=scores, indicator_scores=indicator_scores)


def conform_indicator_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """Return indicator scores with the contract columns (`capped` unknown when not stored)."""
    out = frame.copy()
    if "capped" not in out:
        out["capped"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    return out[INDICATOR_SCORE_COLUMNS]


def conform_scores(scores: pd.DataFrame, indicator_scores: pd.DataFrame,
                   indicators: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Return scores with the contract columns, filling what an older warehouse lacks."""
    out = scores.copy()
    if "n_ranked" not in out:
        regions = set(areas.loc[areas["level"] == "region", "code"])
        ranked = out["rank"].notna() & out["area_code"].isin(regions)
        counts = ranked.groupby([out["period"], out["dimension"]]).transform("sum")
        out["n_ranked"] = counts.where(out["rank"].notna()).astype("Int64")
    missing_ages = [c for c in ("n_carried", "newest_period", "oldest_period") if c not in out]
    if missing_ages:
        ages = _ages(indicator_scores, indicators)
        out = out.merge(ages[["area_code", "period", "dimension", *missing_ages]], how="left",
                        on=["area_code", "period", "dimension"])
        out.loc[out["score"].isna(), missing_ages] = pd.NA
    for lag in ("1y", "5y"):
        note = f"change_{lag}_note"
        if note not in out:
            unchecked = out[f"change_{lag}"].notna()
            out[note] = pd.Series(pd.NA, index=out.index, dtype="object")
            out.loc[unchecked, note] = UNCHECKED
    if "n_expected" not in out:
        out["n_expected"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    return out[SCORE_COLUMNS].reset_index(drop=True)


def _ages(indicator_scores: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Return per area, year and dimension (and overall) the value years of the scored values."""
    used = indicator_scores[indicator_scores["score"].notna()]
    dims = dict(zip(indicators["id"], indicators["dimension"], strict=True))
    used = used.assign(dimension=used["indicator_id"].map(dims),
                       carried=(used["value_period"] < used["period"]).astype(int))
    both = pd.concat([used, used.assign(dimension=OVERALL)], ignore_index=True)
    grouped = both.groupby(["area_code", "period", "dimension"])
    ages = grouped.agg(n_carried=("carried", "sum"), newest_period=("value_period", "max"),
                       oldest_period=("value_period", "min")).reset_index()
    return ages.astype({"n_carried": "Int64", "newest_period": "Int64",
                        "oldest_period": "Int64"})


def region_codes(frames: PictureFrames) -> list[str]:
    """Return the region codes in display order."""
    return list(frames.areas.loc[frames.areas["level"] == "region", "code"])


def available_years(frames: PictureFrames) -> list[int]:
    """Return the years a picture can be made for: years with an overall index, else values."""
    return sorted(frames.score_periods or frames.observation_periods)

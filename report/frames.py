"""Read everything a region brief needs through etl/query.py, once for a whole batch of briefs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import query

AREA_LEVELS = ("country", "region")


@dataclass
class BriefFrames:
    """The warehouse tables behind the briefs: regions and the country, every year."""

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
    score_periods: list[int] = field(default_factory=list)
    observation_periods: list[int] = field(default_factory=list)


def read_frames(con: duckdb.DuckDBPyConnection) -> BriefFrames:
    """Return the frames of every brief from an open read-only warehouse connection."""
    levels = list(AREA_LEVELS)
    areas = query.areas(con, levels=levels)
    codes = list(areas["code"])
    return BriefFrames(
        meta=query.meta(con), freshness=query.freshness(con), areas=areas,
        dimensions=query.dimensions(con), indicators=query.indicators(con),
        sources=query.sources(con), observations=query.observations(con, levels=levels),
        scores=query.scores(con, area_code=codes),
        indicator_scores=query.indicator_scores(con, area_code=codes),
        peers=query.peers(con), score_periods=query.score_periods(con),
        observation_periods=query.observation_periods(con))


def load_frames(db_path: Path | str | None = None) -> BriefFrames:
    """Open the warehouse read-only (default: $TILANNEKUVA_DB), read the frames and close it.

    Raises etl.query.WarehouseMissing with how to build it when the file is absent.
    """
    con = query.connect(db_path)
    try:
        return read_frames(con)
    finally:
        con.close()

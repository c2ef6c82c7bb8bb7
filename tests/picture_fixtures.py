"""Frames with the scoring contract's columns, for the tests of the views and the brief.

The one shared place that gives tests the contract's scores:
`contract_frames(frames)` conforms a warehouse's frames (the engine writes the contract
columns). `contract_warehouse` writes such frames into a warehouse file, so that the app itself
can be run on them. `with_cases` sets the cases the pages must never get wrong: a change across
a break, a changed indicator set, no new data, a partial change, a dimension of one indicator,
a dimension of carried values.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb

from presentation.frames import (
    OVERALL,
    PictureFrames,
    conform,
)

CASE_AREA = "MK12"
# dimension -> the case it carries in the newest year of CASE_AREA (see with_cases)
# (the overall index carries a break too: in the real figures saavutettavuus has no score in the
# newest year, and a card without a score shows no change line at all)
CASES = {"saavutettavuus": "break", "hyvinvointi": "set_changed", "osaaminen": "no_new_data",
         "elinymparisto": "partial", "elinkeinot_tyollisyys": "single",
         "turvallisuus": "carried", OVERALL: "break"}
CASE_CHANGE = 12.3456  # a change stored with every case: must never be shown where not allowed


def contract_frames(frames: PictureFrames) -> PictureFrames:
    """Return the frames with the scoring contract's columns (the engine writes them)."""
    return conform(frames)


def newest_year(frames: PictureFrames) -> int:
    """Return the newest year with an overall index."""
    return max(frames.score_periods)


def with_cases(frames: PictureFrames, area: str = CASE_AREA) -> PictureFrames:
    """Return contract frames with one case per dimension of area in the newest year (CASES).

    Every case row stores CASE_CHANGE as its 1- and 5-year change, so a view that shows a
    change it must not show shows that number.
    """
    year = newest_year(frames)
    scores = frames.scores.copy()
    own = (scores["area_code"] == area) & (scores["period"] == year)
    for dim, case in CASES.items():
        row = own & (scores["dimension"] == dim)
        scores.loc[row, ["change_1y", "change_5y"]] = CASE_CHANGE
        if case in ("break", "set_changed", "no_new_data"):
            scores.loc[row, ["change_1y_note", "change_5y_note"]] = case
            scores.loc[row, "newest_period"] = year - 3
            scores.loc[row, "oldest_period"] = scores.loc[row, "oldest_period"].clip(
                upper=year - 3)
        elif case == "partial":
            scores.loc[row, ["change_1y_note", "change_5y_note"]] = "partial"
        elif case == "single":
            scores.loc[row, ["n_indicators", "n_carried"]] = (1, 0)
            scores.loc[row, ["change_1y_note", "change_5y_note"]] = None
        elif case == "carried":
            scores.loc[row, ["n_indicators", "n_carried"]] = (4, 3)
            scores.loc[row, ["change_1y_note", "change_5y_note"]] = "no_new_data"
    return dataclasses.replace(frames, scores=scores)


def contract_warehouse(source: Path, target: Path, frames: PictureFrames) -> Path:
    """Write a copy of the warehouse at source to target with frames' scores (contract columns).

    Only the scores and indicator_scores tables are replaced; every other table is copied.
    """
    con = duckdb.connect(str(target))
    try:
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        for (name,) in con.execute("SELECT table_name FROM information_schema.tables "
                                   "WHERE table_catalog = 'src'").fetchall():
            if name in ("scores", "indicator_scores"):
                continue
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM src."{name}"')
        con.execute("DETACH src")
        for name, frame in (("scores", frames.scores),
                            ("indicator_scores", frames.indicator_scores)):
            con.register("_frame", frame)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM _frame")
            con.unregister("_frame")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return target

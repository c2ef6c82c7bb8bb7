"""Frames with the scoring contract's columns, for the tests of the views and the brief.

The one shared place that gives tests the contract's scores (CONTRACTS.md, "Scoring contract"):
`contract_frames(frames)` passes a warehouse's frames through when its scores already carry the
contract columns (a warehouse built by the contract's engine), and otherwise derives them with a
plain stand-in of the engine's rules (counted ranks, value years of the indicator scores, notes
from the value years and the recorded breaks). `contract_warehouse` writes such frames into a
warehouse file, so that the app itself can be run on them (with `contract_columns` patching the
read API's column list where it predates the contract). `with_cases` sets the cases the pages
must never get wrong: a change across a break, a changed indicator set, no new data, a partial
change, a dimension of one indicator, a dimension of carried values.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pandas as pd

from etl import query
from presentation.frames import (
    INDICATOR_SCORE_COLUMNS,
    OVERALL,
    SCORE_COLUMNS,
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


def has_contract(scores: pd.DataFrame) -> bool:
    """Return True when the scores already carry the engine's own contract columns."""
    return "change_1y_note" in scores.columns and "n_ranked" in scores.columns


def _stand_in_notes(scores: pd.DataFrame, indicator_scores: pd.DataFrame,
                    breaks: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Return scores with change notes by the contract's rules, as a stand-in for the engine.

    no_new_data: no newer value year than in the base year; break: a recorded break of a used
    indicator between the base year's and this year's value; no_base: no score in the base year.
    """
    out = scores.copy()
    dims = dict(zip(indicators["id"], indicators["dimension"], strict=True))
    used = indicator_scores[indicator_scores["score"].notna()].assign(
        dimension=lambda f: f["indicator_id"].map(dims))
    region_breaks = breaks[breaks["level"] == "region"]
    newest = {(a, p, d): v for a, p, d, v in zip(out["area_code"], out["period"],
                                                 out["dimension"], out["newest_period"],
                                                 strict=True)}
    value_years = {(i, a, p): v for i, a, p, v in zip(used["indicator_id"], used["area_code"],
                                                      used["period"], used["value_period"],
                                                      strict=True)}
    by_dim = {k: list(g["indicator_id"]) for k, g in used.groupby(["area_code", "period",
                                                                    "dimension"])}
    by_area = {k: list(g["indicator_id"]) for k, g in used.groupby(["area_code", "period"])}
    for lag in (1, 5):
        notes = []
        changes = []
        for a, p, d, change in zip(out["area_code"], out["period"], out["dimension"],
                                   out[f"change_{lag}y"], strict=True):
            base = p - lag
            ids = by_area.get((a, p), []) if d == OVERALL else by_dim.get((a, p, d), [])
            note = None
            if pd.isna(change):
                note = "no_base"
            elif not pd.isna(newest.get((a, base, d))) and newest.get((a, p, d)) is not None \
                    and newest[(a, p, d)] <= newest[(a, base, d)]:
                note = "no_new_data"
            else:
                for ident in ids:
                    now, then = value_years.get((ident, a, p)), value_years.get((ident, a, base))
                    part = region_breaks[region_breaks["indicator_id"] == ident]
                    if now is None or then is None:
                        continue
                    for year, kind in zip(part["period"], part["kind"], strict=True):
                        if (kind == "one_off" and year in (now, then)) or (
                                kind == "series_break" and then < year <= now):
                            note = "break"
            notes.append(note)
            changes.append(None if note not in (None, "partial") else change)
        out[f"change_{lag}y_note"] = notes
        out[f"change_{lag}y"] = changes
    return out


def contract_frames(frames: PictureFrames) -> PictureFrames:
    """Return frames whose scores have the contract's columns and notes (see the module)."""
    if has_contract(frames.scores):
        return conform(frames)
    raw = dataclasses.replace(frames, scores=frames.scores.drop(
        columns=[c for c in ("change_1y_note", "change_5y_note") if c in frames.scores]))
    conformed = conform(raw)
    scores = _stand_in_notes(conformed.scores, conformed.indicator_scores, frames.breaks,
                             frames.indicators)
    return dataclasses.replace(conformed, scores=scores[SCORE_COLUMNS])


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


def contract_columns(monkeypatch) -> None:
    """Make the read API return the contract's columns (a no-op once it already does)."""
    if "n_ranked" not in query.SCORE_COLUMNS:
        monkeypatch.setattr(query, "SCORE_COLUMNS", list(SCORE_COLUMNS))
    if "capped" not in query.INDICATOR_SCORE_COLUMNS:
        monkeypatch.setattr(query, "INDICATOR_SCORE_COLUMNS", list(INDICATOR_SCORE_COLUMNS))


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

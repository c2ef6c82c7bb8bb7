"""Load and validate the declarative list of series breaks (indicators/breaks.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pandas as pd

from indicators.catalog import LANGUAGES, LIVE_LEVELS, load_catalog

BREAKS_PATH = Path(__file__).with_name("breaks.toml")
KINDS = ("one_off", "series_break")
FIELDS = ("indicator", "period", "kind", "reason", "evidence")
OPTIONAL = ("levels",)
BREAK_COLUMNS = ["indicator_id", "period", "level", "kind", "reason_fi", "reason_sv", "reason_en"]


class BreaksError(ValueError):
    """Raised when breaks.toml breaks a rule; the message names every problem."""


def validate_breaks(entries: list[dict], indicator_ids: set[str]) -> list[str]:
    """Return the problems of the break entries (empty when valid)."""
    problems: list[str] = []
    seen: set[tuple] = set()
    for n, entry in enumerate(entries, 1):
        where = f"break {n} ({entry.get('indicator', '?')} {entry.get('period', '?')})"
        problems += [f"{where}: missing '{f}'" for f in FIELDS if f not in entry]
        problems += [f"{where}: unknown field '{f}'"
                     for f in sorted(set(entry) - set(FIELDS) - set(OPTIONAL))]
        if entry.get("indicator") not in indicator_ids:
            problems.append(f"{where}: unknown indicator '{entry.get('indicator')}'")
        period = entry.get("period")
        if isinstance(period, bool) or not isinstance(period, int) or not 1900 <= period <= 2100:
            problems.append(f"{where}: period must be a year")
        if entry.get("kind") not in KINDS:
            problems.append(f"{where}: kind '{entry.get('kind')}' is not one of {KINDS}")
        reason = entry.get("reason", {})
        if not isinstance(reason, dict) or set(reason) != set(LANGUAGES) or not all(
                isinstance(t, str) and t.strip() for t in reason.values()):
            problems.append(f"{where}: reason needs a non-empty text in each of {LANGUAGES}")
        if not str(entry.get("evidence", "")).strip():
            problems.append(f"{where}: evidence must say what was measured")
        levels = entry.get("levels", list(LIVE_LEVELS))
        if not isinstance(levels, list) or not levels or set(levels) - set(LIVE_LEVELS):
            problems.append(f"{where}: levels must be a non-empty subset of {LIVE_LEVELS}")
            levels = []
        for level in levels:
            key = (entry.get("indicator"), period, level)
            if key in seen:
                problems.append(f"{where}: a second break for the same year and level {level}")
            seen.add(key)
    return problems


@cache
def load_breaks(path: Path = BREAKS_PATH) -> tuple[dict, ...]:
    """Return the validated break entries; raise BreaksError naming every problem."""
    with open(path, "rb") as fh:
        entries = tomllib.load(fh).get("break", [])
    problems = validate_breaks(entries, {e["id"] for e in load_catalog()})
    if problems:
        raise BreaksError("Invalid breaks file:\n" + "\n".join(problems))
    return tuple(entries)


def breaks_frame(entries: tuple[dict, ...] | None = None) -> pd.DataFrame:
    """Return the breaks as the warehouse table: one row per indicator, year and area level."""
    entries = load_breaks() if entries is None else entries
    rows = [(e["indicator"], int(e["period"]), level, e["kind"],
             e["reason"]["fi"], e["reason"]["sv"], e["reason"]["en"])
            for e in entries for level in e.get("levels", list(LIVE_LEVELS))]
    frame = pd.DataFrame(rows, columns=BREAK_COLUMNS)
    return frame.astype({"period": "int64"})

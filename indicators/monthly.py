"""Load and validate the monthly series list (indicators/monthly.toml) and its month codes."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pandas as pd

from indicators.catalog import LANGUAGES, TRANSLATED_FIELDS

MONTHLY_PATH = Path(__file__).with_name("monthly.toml")
FIELDS = ("id", "code", "table", "decimals", *TRANSLATED_FIELDS)
MONTH_PATTERN = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
MONTHLY_COLUMNS = ["series_id", "area_code", "month", "value", "flag", "source_id"]


class MonthlyError(ValueError):
    """Raised when monthly.toml breaks a rule; the message names every problem."""


def validate_series(entries: list[dict]) -> list[str]:
    """Return the problems of the monthly series entries (empty when valid)."""
    problems: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        ident = entry.get("id", "<no id>")
        problems += [f"{ident}: missing '{f}'" for f in FIELDS if f not in entry]
        problems += [f"{ident}: unknown field '{f}'" for f in sorted(set(entry) - set(FIELDS))]
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(ident)):
            problems.append(f"{ident}: id must be snake_case ASCII")
        if ident in seen:
            problems.append(f"{ident}: duplicate id")
        seen.add(ident)
        if not isinstance(entry.get("decimals"), int) or isinstance(entry.get("decimals"), bool):
            problems.append(f"{ident}: decimals must be a whole number")
        for field in TRANSLATED_FIELDS:
            texts = entry.get(field, {})
            if not isinstance(texts, dict) or set(texts) != set(LANGUAGES) or not all(
                    isinstance(t, str) and t.strip() for t in texts.values()):
                problems.append(f"{ident}: '{field}' needs a non-empty text in each of "
                                f"{LANGUAGES}")
    return problems


@cache
def load_series(path: Path = MONTHLY_PATH) -> tuple[dict, ...]:
    """Return the validated monthly series; raise MonthlyError naming every problem."""
    with open(path, "rb") as fh:
        entries = tomllib.load(fh).get("series", [])
    problems = validate_series(entries)
    if problems:
        raise MonthlyError("Invalid monthly series file:\n" + "\n".join(problems))
    return tuple(entries)


def series_frame(entries: tuple[dict, ...] | None = None) -> pd.DataFrame:
    """Return the series as the warehouse table monthly_series (one row per series)."""
    rows = []
    for e in load_series() if entries is None else entries:
        row = {"id": e["id"], "code": e["code"], "table_id": e["table"],
               "decimals": e["decimals"]}
        for field in TRANSLATED_FIELDS:
            for lang in LANGUAGES:
                row[f"{field}_{lang}"] = e[field][lang]
        rows.append(row)
    return pd.DataFrame(rows)


def month_code(year: int, month: int) -> str:
    """Return the warehouse month code 'YYYY-MM'."""
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month must be 1..12, not {month}")
    return f"{int(year):04d}-{int(month):02d}"


def parse_month(code: str) -> tuple[int, int] | None:
    """Return (year, month) of 'YYYY-MM' or a PxWeb 'YYYYMmm' code ('2026M06'), else None."""
    text = str(code).strip()
    match = MONTH_PATTERN.fullmatch(text) or re.fullmatch(r"(\d{4})M(0[1-9]|1[0-2])", text)
    return (int(match.group(1)), int(match.group(2))) if match else None

"""Load and validate the TOL 2008 section names (indicators/industries.toml): table `industries`."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pandas as pd

from indicators.catalog import LANGUAGES

INDUSTRIES_PATH = Path(__file__).with_name("industries.toml")
TOL2008_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")
FIELDS = ("code", "label")
OPTIONAL = ("unknown",)
INDUSTRY_COLUMNS = ["code", "label_fi", "label_sv", "label_en", "sort_order"]


class IndustriesError(ValueError):
    """Raised when industries.toml breaks a rule; the message names every problem."""


def validate_industries(entries: list[dict]) -> list[str]:
    """Return the problems of the industry entries (empty when valid).

    The known codes must be exactly the 21 TOL 2008 sections A…U, and exactly one more entry,
    marked unknown = true, holds the employed whose industry is not known.
    """
    problems: list[str] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        code = entry.get("code")
        where = f"industry {n} ({code!r})"
        problems += [f"{where}: missing '{f}'" for f in FIELDS if f not in entry]
        problems += [f"{where}: unknown field '{f}'"
                     for f in sorted(set(entry) - set(FIELDS) - set(OPTIONAL))]
        if not (isinstance(code, str) and len(code) == 1 and "A" <= code <= "Z"):
            problems.append(f"{where}: code must be one capital letter")
        if code in seen:
            problems.append(f"{where}: duplicate code")
        seen.add(code)
        if "unknown" in entry and entry["unknown"] is not True:
            problems.append(f"{where}: 'unknown' may only be true")
        label = entry.get("label", {})
        if not isinstance(label, dict) or set(label) != set(LANGUAGES) or not all(
                isinstance(t, str) and t.strip() for t in label.values()):
            problems.append(f"{where}: label needs a non-empty text in each of {LANGUAGES}")
        elif any(ch in t for t in label.values() for ch in "<>&"):
            problems.append(f"{where}: a label holds markup characters (<, > or &)")
    unknown = [e.get("code") for e in entries if e.get("unknown") is True]
    if len(unknown) != 1:
        problems.append(f"exactly one entry must be marked unknown = true, not {unknown}")
    known = [e.get("code") for e in entries if e.get("unknown") is not True]
    if sorted(map(str, known)) != list(TOL2008_SECTIONS):
        problems.append(f"the known codes {known} are not the TOL 2008 sections "
                        f"{''.join(TOL2008_SECTIONS)}")
    return problems


@cache
def load_industries(path: Path = INDUSTRIES_PATH) -> tuple[dict, ...]:
    """Return the validated industry entries in display order; raise IndustriesError."""
    with open(path, "rb") as fh:
        entries = tomllib.load(fh).get("industry", [])
    problems = validate_industries(entries)
    if problems:
        raise IndustriesError("Invalid industries file:\n" + "\n".join(problems))
    return tuple(entries)


def industries_frame(entries: tuple[dict, ...] | None = None) -> pd.DataFrame:
    """Return the warehouse table `industries`: code, label_fi/sv/en, sort_order."""
    entries = load_industries() if entries is None else entries
    rows = [{"code": e["code"], **{f"label_{lang}": e["label"][lang] for lang in LANGUAGES},
             "sort_order": order} for order, e in enumerate(entries)]
    return pd.DataFrame(rows, columns=INDUSTRY_COLUMNS).astype({"sort_order": "int64"})


def unknown_code(entries: tuple[dict, ...] | None = None) -> str:
    """Return the code of the entry for the employed whose industry is not known ('X')."""
    entries = load_industries() if entries is None else entries
    return next(e["code"] for e in entries if e.get("unknown") is True)


def section_codes(entries: tuple[dict, ...] | None = None) -> tuple[str, ...]:
    """Return the codes of the real sections (all but the unknown one), in display order."""
    entries = load_industries() if entries is None else entries
    return tuple(e["code"] for e in entries if e.get("unknown") is not True)


def all_codes(entries: tuple[dict, ...] | None = None) -> tuple[str, ...]:
    """Return every code of the file, the unknown one included, in display order."""
    entries = load_industries() if entries is None else entries
    return tuple(e["code"] for e in entries)

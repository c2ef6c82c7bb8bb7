"""Load and validate the declarative indicator catalog and the six dimensions."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
CATALOG_PATH = HERE / "catalog.toml"
DIMENSIONS_PATH = HERE / "dimensions.toml"

LANGUAGES = ("fi", "sv", "en")
DIRECTIONS = ("higher_better", "lower_better")
REQUIRED_FIELDS = (
    "id", "dimension", "direction", "unit", "decimals", "valid_range", "key",
    "label", "description", "source",
)
TRANSLATED_FIELDS = ("unit", "label", "description")
SOURCE_FIELDS = ("publisher", "table", "selection", "licence")


class CatalogError(ValueError):
    """Raised when the catalog or the dimension list breaks a rule."""


@cache
def load_dimensions(path: Path = DIMENSIONS_PATH) -> tuple[dict, ...]:
    """Return the six dimensions in display order."""
    with open(path, "rb") as fh:
        return tuple(tomllib.load(fh)["dimension"])


def dimension_ids() -> tuple[str, ...]:
    """Return the dimension ids in display order."""
    return tuple(d["id"] for d in load_dimensions())


def validate_entry(entry: dict, dimensions: tuple[str, ...]) -> list[str]:
    """Return the problems of one catalog entry (empty when it is valid)."""
    ident = entry.get("id", "<no id>")
    problems = [f"{ident}: missing field '{f}'" for f in REQUIRED_FIELDS if f not in entry]
    unknown = set(entry) - set(REQUIRED_FIELDS) - {"live", "goalposts"}
    problems += [f"{ident}: unknown field '{f}'" for f in sorted(unknown)]
    if entry.get("dimension") not in dimensions:
        problems.append(f"{ident}: dimension '{entry.get('dimension')}' is not one of {dimensions}")
    if entry.get("direction") not in DIRECTIONS:
        problems.append(f"{ident}: direction '{entry.get('direction')}' is not one of {DIRECTIONS}")
    for field in TRANSLATED_FIELDS:
        texts = entry.get(field, {})
        if not isinstance(texts, dict) or set(texts) != set(LANGUAGES):
            problems.append(f"{ident}: '{field}' must have exactly the languages {LANGUAGES}")
        elif not all(isinstance(t, str) and t.strip() for t in texts.values()):
            problems.append(f"{ident}: '{field}' has an empty text")
    rng = entry.get("valid_range")
    if not (isinstance(rng, list) and len(rng) == 2 and rng[0] < rng[1]):
        problems.append(f"{ident}: valid_range must be [min, max] with min < max")
    source = entry.get("source", {})
    problems += [f"{ident}: source lacks '{f}'" for f in SOURCE_FIELDS if not source.get(f)]
    if not isinstance(entry.get("key"), bool):
        problems.append(f"{ident}: key must be true or false")
    return problems


def validate_catalog(entries: list[dict], dimensions: tuple[str, ...]) -> list[str]:
    """Return every problem in the catalog (empty when it is valid)."""
    problems: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        problems += validate_entry(entry, dimensions)
        ident = entry.get("id")
        if ident in seen:
            problems.append(f"{ident}: duplicate id")
        seen.add(ident)
    return problems


@cache
def load_catalog(path: Path = CATALOG_PATH) -> tuple[dict, ...]:
    """Return the validated catalog entries; raise CatalogError naming every problem."""
    with open(path, "rb") as fh:
        entries = tomllib.load(fh)["indicator"]
    problems = validate_catalog(entries, dimension_ids())
    if problems:
        raise CatalogError("Invalid indicator catalog:\n" + "\n".join(problems))
    return tuple(entries)


def indicator(indicator_id: str) -> dict:
    """Return one catalog entry by id."""
    for entry in load_catalog():
        if entry["id"] == indicator_id:
            return entry
    raise KeyError(f"Unknown indicator '{indicator_id}'")


def catalog_frame() -> pd.DataFrame:
    """Return the catalog as one flat row per indicator (the warehouse's indicators table)."""
    rows = []
    for e in load_catalog():
        row = {
            "id": e["id"], "dimension": e["dimension"], "direction": e["direction"],
            "decimals": e["decimals"], "valid_min": float(e["valid_range"][0]),
            "valid_max": float(e["valid_range"][1]), "key": e["key"],
            "goalpost_low": float(e["goalposts"][0]) if "goalposts" in e else None,
            "goalpost_high": float(e["goalposts"][1]) if "goalposts" in e else None,
        }
        for field in TRANSLATED_FIELDS:
            for lang in LANGUAGES:
                row[f"{field}_{lang}"] = e[field][lang]
        for field in SOURCE_FIELDS:
            row[f"source_{field}"] = e["source"][field]
        row["live_kind"] = e.get("live", {}).get("kind")
        rows.append(row)
    return pd.DataFrame(rows)

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
OPTIONAL_FIELDS = ("live", "goalposts", "scored")
TRANSLATED_FIELDS = ("unit", "label", "description")
SOURCE_FIELDS = ("publisher", "table", "selection", "licence")


LIVE_KINDS = ("pxweb", "sotkanet", "none")
LIVE_LEVELS = ("country", "region", "subregion", "municipality")
LIVE_DERIVATIONS = {"pxweb": ("value", "ratio", "published_or_ratio", "change_pct"),
                    "sotkanet": ("value", "change_pct"), "none": ()}
# key -> accepted types; required keys per kind, then the optional ones every kind may use.
LIVE_REQUIRED = {
    "pxweb": {"kind": str, "database": str, "table": str, "evidence": str},
    "sotkanet": {"kind": str, "indicator": int, "title_contains": str, "evidence": str},
    "none": {"kind": str, "note": str},
}
LIVE_OPTIONAL = {
    "pxweb": {"value": str, "numerator": str, "denominator": str, "denominator_table": str,
              "derive": str, "rollup": bool, "select": list, "by": str, "content": str,
              "series": dict, "previous_from": str},
    "sotkanet": {"gender": str, "derive": str},
    "none": {"evidence": str},
}
LIVE_COMMON = {"since": int, "levels": list, "scale": (int, float), "note": str,
               "title_contains": str, "max_factor": (int, float)}
REF_MARKS = ("label:", "label~", "offers:")


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
    unknown = set(entry) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
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
    if not isinstance(entry.get("scored", True), bool):
        problems.append(f"{ident}: scored must be true or false")
    if "live" in entry:
        problems += [f"{ident}: live: {p}" for p in validate_live(entry["live"])]
    return problems


def _ref_problem(key: str, ref) -> str | None:
    """Return a problem of a code reference ('code', 'label:<text>', 'label~<text>')."""
    if not isinstance(ref, str) or not ref.strip():
        return f"'{key}' must be a code or label:<text> / label~<text>"
    for mark in REF_MARKS:
        if ref.startswith(mark) and not ref[len(mark):].strip():
            return f"'{key}' has an empty {mark} reference"
    return None


def validate_live(live) -> list[str]:
    """Return the problems of an [indicator.live] block (see README: The [indicator.live] block)."""
    if not isinstance(live, dict):
        return ["must be a table"]
    kind = live.get("kind")
    if kind not in LIVE_KINDS:
        return [f"kind '{kind}' is not one of {LIVE_KINDS}"]
    required, optional = LIVE_REQUIRED[kind], LIVE_OPTIONAL[kind]
    problems = [f"lacks '{k}'" + (" (guards against a wrong indicator id)"
                                  if k == "title_contains" else "")
                for k in required if k not in live]
    allowed = {**required, **optional, **LIVE_COMMON}
    for key, value in live.items():
        if key not in allowed:
            problems.append(f"unknown key '{key}' for kind {kind}")
        elif (isinstance(value, bool) and allowed[key] is not bool) or \
                not isinstance(value, allowed[key]):
            problems.append(f"'{key}' has the wrong type")
        elif isinstance(value, str) and not value.strip():
            problems.append(f"'{key}' is empty")
    if kind == "none":
        return problems
    for key in ("table", "denominator_table"):
        if isinstance(live.get(key), str) and not live[key].endswith(".px"):
            problems.append(f"{key} must be folder/id.px, e.g. vaerak/11ra.px")
    for key in ("value", "numerator", "denominator", "by", "content"):
        if key in live and (problem := _ref_problem(key, live[key])):
            problems.append(problem)
    select = live.get("select", [])
    if isinstance(select, list):
        for item in select:
            if not isinstance(item, dict) or set(item) != {"variable", "value"} or \
                    any(_ref_problem(k, item[k]) for k in item):
                problems.append("select items must be { variable = <ref>, value = <ref> }")
    levels = live.get("levels", list(LIVE_LEVELS))
    if isinstance(levels, list) and (not levels or set(levels) - set(LIVE_LEVELS)):
        problems.append(f"levels must be a non-empty subset of {LIVE_LEVELS}")
    if isinstance(live.get("scale"), (int, float)) and live["scale"] == 0:
        problems.append("scale must not be zero")
    if isinstance(live.get("max_factor"), (int, float)) and live["max_factor"] <= 1:
        problems.append("max_factor must be above 1 (e.g. 10: ×10 or ÷10 is implausible)")
    if "series" in live:
        return problems + _series_problems(live)
    derive = live.get("derive", "ratio" if "denominator" in live else "value")
    if derive not in LIVE_DERIVATIONS[kind]:
        return problems + [f"derive '{derive}' is not one of {LIVE_DERIVATIONS[kind]}"]
    ratio_like = derive in ("ratio", "published_or_ratio")
    if ratio_like != ("denominator" in live):
        problems.append("derive 'ratio' needs a denominator, and a denominator needs 'ratio'")
    if derive == "ratio" and "value" not in live and "numerator" not in live:
        problems.append("derive 'ratio' needs a numerator (or value)")
    if derive == "published_or_ratio" and not {"value", "numerator"} <= set(live):
        problems.append("derive 'published_or_ratio' needs value, numerator and denominator")
    if "rollup" in live and not ratio_like:
        problems.append("rollup is only for derive 'ratio' or 'published_or_ratio'")
    if "previous_from" in live and derive != "change_pct":
        problems.append("previous_from is only for derive 'change_pct'")
    if "denominator_table" in live and "denominator" not in live:
        problems.append("denominator_table needs a denominator")
    return problems


def _series_problems(live: dict) -> list[str]:
    """Return problems of an annual ratio of monthly series (ids from indicators/monthly.toml)."""
    from indicators.monthly import load_series  # local: monthly imports this module

    series = live["series"]
    if set(series) != {"numerator", "denominator"}:
        return ["series must be { numerator = <series id>, denominator = <series id> }"]
    known = {s["id"]: s["table"] for s in load_series()}
    problems = [f"series '{sid}' is not in indicators/monthly.toml" for sid in series.values()
                if sid not in known]
    problems += [f"series '{sid}' comes from {known[sid]}, not {live.get('table')}"
                 for sid in series.values() if sid in known and known[sid] != live.get("table")]
    for key in ("value", "numerator", "denominator", "derive", "by", "select", "rollup"):
        if key in live:
            problems.append(f"'{key}' does not go with series (the codes are in monthly.toml)")
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


def is_scored(entry: dict) -> bool:
    """Return True when the indicator takes part in the index (False: shown as context only)."""
    return bool(entry.get("scored", True))


def catalog_frame() -> pd.DataFrame:
    """Return the catalog as one flat row per indicator (the warehouse's indicators table)."""
    rows = []
    for e in load_catalog():
        row = {
            "id": e["id"], "dimension": e["dimension"], "direction": e["direction"],
            "decimals": e["decimals"], "valid_min": float(e["valid_range"][0]),
            "valid_max": float(e["valid_range"][1]), "key": e["key"],
            "scored": is_scored(e),
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

"""Region registry: whole country, 19 regions, sub-regions, municipalities and merged ones."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
REGIONS_CSV = HERE / "regions.csv"
SUCCESSORS_CSV = HERE / "municipality_successors.csv"
REGION_FORMS_TOML = HERE / "region_forms.toml"

LEVELS = ("country", "region", "subregion", "municipality")
AREA_COLUMNS = ("code", "level", "parent_code", "region_code", "name_fi", "name_sv", "name_en",
                "nuts3_code", "sort_order")
COUNTRY_CODE = "SSS"


class RegistryError(ValueError):
    """Raised when a code or name cannot be placed on today's division."""


def read_registry(path: Path = REGIONS_CSV) -> pd.DataFrame:
    """Read a regions.csv file with string codes and NULLs for empty cells."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    frame["sort_order"] = frame["sort_order"].astype(int)
    return frame


@cache
def _registry() -> pd.DataFrame:
    """Return the cached full registry (with the NUTS 2021 column)."""
    return read_registry()


def registry_frame() -> pd.DataFrame:
    """Return the full registry, including the region's NUTS 2021 code (column nuts3_2021)."""
    return _registry().copy()


def areas_frame() -> pd.DataFrame:
    """Return the warehouse areas table: code, level, parents, names, nuts3_code, sort_order."""
    return _registry().loc[:, list(AREA_COLUMNS)].copy()


@cache
def _successors() -> pd.DataFrame:
    """Return the cached successor table."""
    frame = pd.read_csv(SUCCESSORS_CSV, dtype=str)
    frame["merger_year"] = frame["merger_year"].astype(int)
    return frame


def successors_frame() -> pd.DataFrame:
    """Return merged-away municipalities: old_code, old_name_fi, successor_code, merger_year, ..."""
    return _successors().copy()


def validate_registry(frame: pd.DataFrame) -> list[str]:
    """Return the problems of a registry frame (empty when it is valid)."""
    problems = []
    if frame["code"].duplicated().any():
        problems.append(f"duplicate codes: {sorted(frame.loc[frame.code.duplicated(), 'code'])}")
    bad_level = sorted(set(frame["level"]) - set(LEVELS))
    if bad_level:
        problems.append(f"unknown levels: {bad_level}")
    by_code = frame.set_index("code")
    expected_parent = {"region": "country", "subregion": "region", "municipality": "subregion"}
    for row in frame.itertuples():
        for lang in ("fi", "sv", "en"):
            name = getattr(row, f"name_{lang}")
            if not isinstance(name, str) or not name.strip():
                problems.append(f"{row.code}: empty name_{lang}")
        if row.level == "country":
            continue
        parent = row.parent_code
        if parent not in by_code.index or by_code.at[parent, "level"] != expected_parent[row.level]:
            problems.append(f"{row.code}: parent {parent!r} is not a {expected_parent[row.level]}")
        region = row.region_code
        if region not in by_code.index or by_code.at[region, "level"] != "region":
            problems.append(f"{row.code}: region_code {region!r} is not a region")
        if row.level == "municipality" and parent in by_code.index:
            if by_code.at[parent, "region_code"] != region:
                problems.append(f"{row.code}: sub-region {parent} lies in another region")
    return problems


def codes(level: str) -> list[str]:
    """Return the area codes of one level in display order."""
    if level not in LEVELS:
        raise RegistryError(f"unknown level {level!r}; expected one of {LEVELS}")
    reg = _registry()
    return reg.loc[reg["level"] == level].sort_values("sort_order")["code"].tolist()


def municipality_code(code: str | int) -> str:
    """Return the 3-digit string form of a municipality number ('5', 5 -> '005')."""
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) > 3:
        raise RegistryError(f"not a municipality code: {code!r}")
    return text.zfill(3)


def resolve_successors(successors: pd.DataFrame) -> dict[str, str]:
    """Return old municipality code -> today's code from a successor table (chains followed)."""
    direct = dict(zip(successors["old_code"], successors["successor_code"], strict=True))
    resolved = {}
    for old in direct:
        code, seen = old, set()
        while code in direct:
            if code in seen:
                raise RegistryError(f"merger cycle at {code}")
            seen.add(code)
            code = direct[code]
        resolved[old] = code
    return resolved


def successor_map() -> dict[str, str]:
    """Return old municipality code -> today's municipality code (chains of mergers followed)."""
    return resolve_successors(_successors())


def current_municipality(code: str | int) -> str:
    """Return today's municipality code for a current or merged-away municipality code."""
    text = municipality_code(code)
    text = successor_map().get(text, text)
    if text not in set(codes("municipality")):
        raise RegistryError(f"municipality code {code!r} is neither current nor a known merger")
    return text


def name_index(registry: pd.DataFrame, successors: pd.DataFrame) -> dict[str, str]:
    """Return casefolded name (fi, sv, en, and merged-away fi) -> today's municipality code."""
    munis = registry.loc[registry["level"] == "municipality"]
    index: dict[str, str] = {}
    for lang in ("fi", "sv", "en"):
        index.update({n.casefold(): c for n, c in zip(munis[f"name_{lang}"], munis["code"],
                                                        strict=True)})
    succ = resolve_successors(successors)
    for name, old in zip(successors["old_name_fi"], successors["old_code"], strict=True):
        index[name.casefold()] = succ[old]
    return index


def match_name(index: dict[str, str], name: str) -> str | None:
    """Return the code of a name in a name_index, None when unknown.

    Bilingual labels such as 'Maarianhamina - Mariehamn' are matched on either part.
    """
    text = str(name).strip()
    for candidate in [text] + [part.strip() for part in text.split(" - ")]:
        if candidate.casefold() in index:
            return index[candidate.casefold()]
    return None


@cache
def _name_index() -> dict[str, str]:
    """Return the name index of the bundled registry."""
    return name_index(_registry(), _successors())


def municipality_for_name(name: str) -> str:
    """Return today's municipality code for a current or merged-away name ('Honkajoki' -> '214')."""
    code = match_name(_name_index(), name)
    if code is None:
        raise RegistryError(f"unknown municipality name {name!r}")
    return code


def region_by_name(registry: pd.DataFrame, name: str) -> str | None:
    """Return the code of a region named in Finnish, Swedish or English, None when unknown."""
    regions = registry.loc[registry["level"] == "region"]
    for lang in ("fi", "sv", "en"):
        hit = regions.loc[regions[f"name_{lang}"].str.casefold() == str(name).strip().casefold()]
        if len(hit) == 1:
            return hit["code"].iloc[0]
    return None


def region_for_name(name: str) -> str:
    """Return the region code for a Finnish, Swedish or English region name ('Lappi' -> 'MK19')."""
    code = region_by_name(_registry(), name)
    if code is None:
        raise RegistryError(f"unknown region name {name!r}")
    return code


def region_for_nuts(nuts_code: str) -> str:
    """Return the region code for a NUTS-3 code of the 2024 or 2021 classification."""
    reg = _registry()
    regions = reg.loc[reg["level"] == "region"]
    for column in ("nuts3_code", "nuts3_2021"):
        hit = regions.loc[regions[column] == nuts_code]
        if len(hit) == 1:
            return hit["code"].iloc[0]
    raise RegistryError(f"NUTS-3 code {nuts_code!r} is not a Finnish region")


def validate_region_forms(data: dict, registry: pd.DataFrame) -> list[str]:
    """Return the problems of region_forms.toml data against a registry (empty when valid).

    Every country and region code needs every form of [forms] in every language it lists, the
    nominative equal to the registry's name, no other code and no empty or unknown form.
    """
    wanted = data.get("forms", {})
    entries = data.get("area", {})
    problems = [f"[forms] lacks the language {lang}" for lang in ("fi", "sv", "en")
                if lang not in wanted]
    areas = registry.loc[registry["level"].isin(["country", "region"])].set_index("code")
    problems += [f"{code}: not a country or region of the registry"
                 for code in sorted(set(entries) - set(areas.index))]
    for code in areas.index:
        if code not in entries:
            problems.append(f"{code}: no forms")
            continue
        for lang, forms in wanted.items():
            given = entries[code].get(lang, {})
            problems += [f"{code} {lang}: missing form '{f}'" for f in forms if f not in given]
            problems += [f"{code} {lang}: unknown form '{f}'" for f in sorted(set(given) - set(
                forms))]
            problems += [f"{code} {lang}: empty form '{f}'" for f, text in given.items()
                         if not isinstance(text, str) or not text.strip()]
            if given.get("nom") != areas.at[code, f"name_{lang}"]:
                problems.append(f"{code} {lang}: nom {given.get('nom')!r} is not the registry "
                                f"name {areas.at[code, f'name_{lang}']!r}")
    return problems


@cache
def _region_forms(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Return the validated forms of one file."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    problems = validate_region_forms(data, _registry())
    if problems:
        raise RegistryError(f"Invalid {path.name}:\n" + "\n".join(problems))
    return data["area"]


def region_forms(path: Path = REGION_FORMS_TOML) -> dict[str, dict[str, dict[str, str]]]:
    """Return code -> language -> form -> text ('MK19' -> 'fi' -> 'gen' -> 'Lapin')."""
    return _region_forms(Path(path))

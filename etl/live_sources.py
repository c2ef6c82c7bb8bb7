"""Turn the catalog's [indicator.live] blocks into fetch specs, check them, shape observations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from etl.pxweb_query import Selection, check_selection, metadata_variables
from indicators.catalog import load_catalog
from indicators.regions import COUNTRY_CODE

LEVEL_OF_PREFIX = (("SSS", "country"), ("MK", "region"), ("SK", "subregion"))
ALL_LEVELS = ("country", "region", "subregion", "municipality")
DEFAULT_SINCE = 2000


class SourceError(ValueError):
    """A live source's definition does not match what the API offers."""


@dataclass(frozen=True)
class LiveSpec:
    """One indicator's live source, as declared in the catalog."""

    indicator_id: str
    kind: str
    live: dict
    valid_range: tuple[float, float]
    publisher: str = ""
    licence: str = "CC BY 4.0"
    levels: tuple[str, ...] = field(default=ALL_LEVELS)

    @property
    def source_id(self) -> str:
        """Return the sources-table id of this live source."""
        return f"live:{self.indicator_id}"

    @property
    def table_id(self) -> str:
        """Return a readable table id: StatFin/vaerak/11ra.px or sotkanet:3099."""
        if self.kind == "pxweb":
            return f"{self.live['database']}/{self.live['table']}"
        return f"sotkanet:{self.live['indicator']}"

    @property
    def since(self) -> int:
        """Return the first year to fetch."""
        return int(self.live.get("since", DEFAULT_SINCE))

    @property
    def scale(self) -> float:
        """Return the multiplier applied to the published value or ratio."""
        return float(self.live.get("scale", 1))

    @property
    def derive(self) -> str:
        """Return how the indicator is derived: value, ratio or change_pct."""
        return str(self.live.get("derive", "ratio" if "denominator" in self.live else "value"))


def specs_from_catalog(entries: tuple[dict, ...] | None = None,
                       only: list[str] | None = None) -> list[LiveSpec]:
    """Return the live specs of the catalog (optionally only some ids); raise on unknown ids."""
    entries = entries if entries is not None else load_catalog()
    by_id = {e["id"]: e for e in entries if "live" in e}
    if only:
        unknown = [i for i in only if i not in by_id and i.removeprefix("live:") not in by_id]
        if unknown:
            raise SourceError(f"no live source for {unknown}; known: {', '.join(sorted(by_id))}")
        wanted = {i.removeprefix("live:") for i in only}
        by_id = {k: v for k, v in by_id.items() if k in wanted}
    specs = []
    for ident, entry in by_id.items():
        live = dict(entry["live"])
        specs.append(LiveSpec(
            indicator_id=ident, kind=live["kind"], live=live,
            valid_range=(float(entry["valid_range"][0]), float(entry["valid_range"][1])),
            publisher=entry["source"]["publisher"], licence=entry["source"]["licence"],
            levels=tuple(live.get("levels", ALL_LEVELS))))
    return specs


def _normal(text: str) -> str:
    """Return text casefolded, with dashes unified and whitespace collapsed."""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", str(text)).casefold()
    return " ".join(text.replace(" - ", "-").split())


def title_problem(titles, expected: str | None) -> str | None:
    """Return a problem when none of the titles contains the expected text (None if fine)."""
    if not expected:
        return None
    texts = list(titles.values()) if isinstance(titles, dict) else [titles]
    if any(_normal(expected) in _normal(t) for t in texts if t):
        return None
    shown = next((t for t in texts if t), "")
    return (f"the title '{shown}' does not contain '{expected}' (wrong id?); "
            "check the id in indicators/catalog.toml")


def area_level(code: str) -> str:
    """Return the level of a Tilannekuva area code."""
    for prefix, level in LEVEL_OF_PREFIX:
        if code.startswith(prefix):
            return level
    return "municipality"


def pxweb_area_code(code: str) -> str | None:
    """Map a StatFin area code (SSS, MK01, SK011, KU005) to Tilannekuva's (None if other)."""
    code = str(code).strip()
    if code == "SSS":
        return COUNTRY_CODE
    if re.fullmatch(r"MK\d{2}", code) or re.fullmatch(r"SK\d{3}", code):
        return code
    match = re.fullmatch(r"(?:KU)?(\d{3})", code)
    return match.group(1) if match else None


def period_of(code: str) -> int | None:
    """Return the year a time code stands for: '2024' -> 2024, '2022-2024' -> 2024, else None."""
    match = re.fullmatch(r"(?:\d{4}\s*[-–]\s*)?(\d{4})", str(code).strip())
    return int(match.group(1)) if match else None


@dataclass
class PxWebPlan:
    """What to ask a PxWeb table for, after checking the spec against the table's metadata."""

    selection: Selection
    notes: list[str]


def plan_pxweb(spec: LiveSpec, metadata: dict, known_areas: set[str],
               last_year: int | None = None) -> PxWebPlan:
    """Check a PxWeb spec against the table metadata and return the selection to fetch.

    Raises SourceError naming every mismatch (renamed variable, missing value code, …).
    """
    live = spec.live
    try:
        variables = metadata_variables(metadata)
    except ValueError as exc:
        raise SourceError(str(exc)) from exc
    area_var, time_var, measure = live["area"], live["time"], live["measure"]
    wanted_measures = [live["value"]] + ([live["denominator"]] if "denominator" in live else [])
    fixed = {code: [str(value)] for code, value in live.get("select", {}).items()}
    problems = check_selection({measure: wanted_measures, **fixed,
                                **{v: [] for v in (area_var, time_var)}}, variables)
    named = {area_var, time_var, measure, *fixed}
    for code, var in variables.items():
        if code not in named and not var.get("elimination", False):
            problems.append(f"variable '{code}' cannot be left out (not eliminable); "
                            f"add it to select")
    if problems:
        raise SourceError("; ".join(problems))

    notes = []
    areas = []
    skipped = []
    for code in variables[area_var].get("values", []):
        mapped = pxweb_area_code(code)
        if mapped is None or area_level(mapped) not in spec.levels:
            continue
        (areas if mapped in known_areas else skipped).append(code)
    if skipped:
        notes.append(f"skipped {len(skipped)} area codes not in today's division: {skipped[:5]}")
    if not areas:
        raise SourceError(f"area variable '{area_var}' has no codes of the levels {spec.levels}")
    top = last_year or date.today().year + 1
    times = [c for c in variables[time_var].get("values", [])
             if (p := period_of(c)) is not None and spec.since <= p <= top]
    if not times:
        raise SourceError(f"time variable '{time_var}' has no yearly values from {spec.since} on")
    selection = {area_var: areas, time_var: times, measure: wanted_measures, **fixed}
    return PxWebPlan(selection=selection, notes=notes)


def _combine_flags(*flags: np.ndarray) -> np.ndarray:
    """Return the strongest flag per row: confidential > missing > others > None."""
    out = np.full(len(flags[0]), None, dtype=object)
    for rank in ("p", "e", "b", "missing", "confidential"):
        for f in flags:
            out[f == rank] = rank
    return out


def derive(frame: pd.DataFrame, how: str, scale: float) -> pd.DataFrame:
    """Derive the indicator from (area_code, period, value, flag[, denominator, denominator_flag]).

    value: value × scale; ratio: value / denominator × scale; change_pct: % change from the
    previous year of the same area (the first year has no change and is dropped).
    """
    out = frame[["area_code", "period"]].copy()
    value = frame["value"].to_numpy(float)
    flag = frame["flag"].to_numpy(object)
    if how == "ratio":
        den = frame["denominator"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(den > 0, value / den, np.nan)
        flag = _combine_flags(flag, frame["denominator_flag"].to_numpy(object))
    elif how == "change_pct":
        ordered = frame.sort_values(["area_code", "period"])
        prev = ordered.groupby("area_code", sort=False)["value"].shift(1)
        gap = ordered["period"] - ordered.groupby("area_code", sort=False)["period"].shift(1)
        prev = prev.where(gap == 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            change = (ordered["value"] / prev - 1.0) * 100.0
        keep = (gap == 1).to_numpy()
        out = ordered.loc[keep, ["area_code", "period"]].copy()
        value = change.to_numpy(float)[keep]
        prev_flag = ordered.groupby("area_code", sort=False)["flag"].shift(1)
        flag = _combine_flags(ordered["flag"].to_numpy(object)[keep],
                              prev_flag.to_numpy(object)[keep])
    elif how != "value":
        raise SourceError(f"unknown derivation '{how}'")
    value = value * scale
    flag = np.where(np.isnan(value) & pd.isna(flag), "missing", flag)
    out["value"] = value
    out["flag"] = flag
    return out.reset_index(drop=True)


def pxweb_cells_to_frame(cells: pd.DataFrame, spec: LiveSpec) -> pd.DataFrame:
    """Turn parsed JSON-stat cells into (area_code, period, value, flag[, denominator…])."""
    live = spec.live
    area_var, time_var, measure = live["area"], live["time"], live["measure"]
    missing = [v for v in (area_var, time_var, measure) if v not in cells.columns]
    if missing:
        raise SourceError(f"the response lacks the variables {missing} (renamed?); it has "
                          f"{[c for c in cells.columns if c not in ('value', 'flag')]}")
    areas = cells[area_var].astype(str).map(pxweb_area_code)
    unmapped = sorted(set(cells.loc[areas.isna(), area_var].astype(str)))
    if unmapped:
        raise SourceError(f"the response has area codes that are not SSS/MK/SK/KU codes: "
                          f"{unmapped[:10]}")
    periods = cells[time_var].astype(str).map(period_of)
    if periods.isna().any():
        raise SourceError(f"the response has non-yearly time codes: "
                          f"{sorted(set(cells.loc[periods.isna(), time_var].astype(str)))[:5]}")
    tidy = pd.DataFrame({"area_code": areas.astype(str), "period": periods.astype(int),
                         "measure": cells[measure].astype(str),
                         "value": cells["value"].to_numpy(float),
                         "flag": cells["flag"].to_numpy(object)})
    num = tidy[tidy["measure"] == live["value"]].drop(columns="measure")
    if "denominator" not in live:
        return num.reset_index(drop=True)
    den = tidy[tidy["measure"] == live["denominator"]].drop(columns="measure")
    den = den.rename(columns={"value": "denominator", "flag": "denominator_flag"})
    return num.merge(den, on=["area_code", "period"], how="inner").reset_index(drop=True)


def to_observations(frame: pd.DataFrame, spec: LiveSpec) -> pd.DataFrame:
    """Return warehouse rows: indicator_id, area_code, period, value, flag, source_id."""
    derived = derive(frame, spec.derive, spec.scale)
    return pd.DataFrame({
        "indicator_id": spec.indicator_id,
        "area_code": derived["area_code"].astype(str).to_numpy(),
        "period": derived["period"].astype("int64").to_numpy(),
        "value": derived["value"].to_numpy(float),
        "flag": pd.Series(derived["flag"].to_numpy(object), dtype=object),
        "source_id": spec.source_id,
    })

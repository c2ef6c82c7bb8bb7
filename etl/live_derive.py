"""Pure derivations of live indicators from fetched cells, the same as the bundled snapshot's.

published value × scale; a ratio of published counts; the published share where the table
publishes the area and Σ numerator / Σ denominator of today's municipalities elsewhere; the %
change from the previous year; and annual ratios of monthly series (only via
etl.monthly.annual_ratio, which flags short years `partial`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from etl.convert.aggregate import rollup
from etl.convert.errors import ConvertError
from indicators.monthly import month_code, parse_month
from indicators.regions import COUNTRY_CODE

LEVEL_OF_PREFIX = (("SSS", "country"), ("MK", "region"), ("SK", "subregion"))
FLAG_RANK = ("p", "e", "b", "partial", "missing", "confidential")


class DeriveError(ValueError):
    """Fetched cells cannot be shaped into the indicator (bad codes, missing roles)."""


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


def month_of(code: str) -> str | None:
    """Return the warehouse month 'YYYY-MM' of a PxWeb month code ('2026M06'), else None."""
    parsed = parse_month(code)
    return month_code(*parsed) if parsed else None


def combine_flags(*flags: np.ndarray) -> np.ndarray:
    """Return the strongest flag per row: confidential > missing > partial > p/e/b > None."""
    out = np.full(len(flags[0]), None, dtype=object)
    for rank in FLAG_RANK:
        for f in flags:
            out[f == rank] = rank
    return out


def wide_by_role(cells: pd.DataFrame, *, area_var: str, time_var: str, role_var: str,
                 roles: dict[str, str], frequency: str, known_areas: set[str],
                 ) -> tuple[pd.DataFrame, list[str]]:
    """Return area_code, period (year or 'YYYY-MM'), <role>, <role>_flag for each role.

    Area codes of other kinds (ELY, wellbeing services counties, 'unknown' buckets) and codes
    not in today's registry are left out and named in the notes; a time code of the wrong
    frequency raises DeriveError.
    """
    missing = [c for c in (area_var, time_var, role_var) if c not in cells.columns]
    if missing:
        raise DeriveError(f"the response lacks the variables {missing} (renamed?); it has "
                          f"{[c for c in cells.columns if c not in ('value', 'flag')]}")
    areas = cells[area_var].astype(str).map(pxweb_area_code)
    outside = sorted(set(cells.loc[areas.isna() | ~areas.isin(known_areas), area_var]))
    notes = [f"left out {len(outside)} area codes not on today's division: {outside[:6]}"] \
        if outside else []
    parse = month_of if frequency == "month" else period_of
    periods = cells[time_var].astype(str).map(parse)
    if periods.isna().any():
        bad = sorted(set(cells.loc[periods.isna(), time_var].astype(str)))[:5]
        raise DeriveError(f"the response has time codes that are not {frequency}s: {bad}")
    keep = areas.notna() & areas.isin(known_areas)
    base = pd.DataFrame({"area_code": areas[keep].astype(str).to_numpy(),
                         "period": periods[keep].to_numpy(),
                         "code": cells.loc[keep, role_var].astype(str).to_numpy(),
                         "value": cells.loc[keep, "value"].to_numpy(float),
                         "flag": cells.loc[keep, "flag"].to_numpy(object)})
    if frequency != "month":
        base["period"] = base["period"].astype("int64")
    if base.duplicated(["area_code", "period", "code"]).any():
        dupes = base.loc[base.duplicated(["area_code", "period", "code"], keep=False),
                         ["area_code", "period", "code"]].head(3).to_dict("records")
        raise DeriveError(f"the response has several cells for one area, period and content, "
                          f"e.g. {dupes}")
    wide = base[["area_code", "period"]].drop_duplicates().reset_index(drop=True)
    for role, code in roles.items():
        part = base[base["code"] == code][["area_code", "period", "value", "flag"]]
        if part.empty:
            raise DeriveError(f"the response has no cells for {role} '{code}'")
        part = part.rename(columns={"value": role, "flag": f"{role}_flag"})
        wide = wide.merge(part, on=["area_code", "period"], how="left")
        absent = wide[role].isna() & wide[f"{role}_flag"].isna()
        wide.loc[absent, f"{role}_flag"] = "missing"
    return wide, notes


def _ratio(num: np.ndarray, den: np.ndarray, scale: float) -> np.ndarray:
    """Return num / den × scale, NaN where the denominator is not positive or missing."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, np.nan) * scale


def municipal_parents(areas: pd.DataFrame) -> pd.DataFrame:
    """Return code, subregion_code, region_code for every municipality of the registry."""
    munis = areas[areas["level"] == "municipality"]
    return pd.DataFrame({"code": munis["code"].to_numpy(),
                         "subregion_code": munis["parent_code"].to_numpy(),
                         "region_code": munis["region_code"].to_numpy()})


def rolled_ratio(wide: pd.DataFrame, parents: pd.DataFrame, scale: float,
                 numerator: str = "numerator", denominator: str = "denominator",
                 ) -> pd.DataFrame:
    """Return Σ numerator / Σ denominator × scale over today's municipalities, for every level.

    An aggregate is given only when every municipality of the area is in the answer with both
    counts; otherwise its value is missing. Columns: area_code, period, value, flag.
    """
    munis = wide[wide["area_code"].isin(set(parents["code"]))]
    frame = pd.DataFrame({"code": munis["area_code"], "period": munis["period"],
                          "num": munis[numerator].to_numpy(float),
                          "den": munis[denominator].to_numpy(float)})
    if frame.empty:
        return pd.DataFrame(columns=["area_code", "period", "value", "flag"])
    try:
        rolled = rollup(frame, ["num", "den"], parents,
                        levels=("subregion", "region", "country"))
    except ConvertError as exc:
        raise DeriveError(str(exc)) from exc
    expected = pd.concat([
        parents.groupby("subregion_code").size(), parents.groupby("region_code").size(),
        pd.Series({COUNTRY_CODE: len(parents)})])
    complete = rolled["n_parts"].to_numpy() == rolled["area_code"].map(expected).to_numpy()
    value = _ratio(rolled["num"].to_numpy(float), rolled["den"].to_numpy(float), scale)
    value = np.where(complete, value, np.nan)
    out = pd.DataFrame({"area_code": rolled["area_code"], "period": rolled["period"],
                        "value": value})
    out["flag"] = np.where(np.isnan(value), "missing", None)
    return out


def derive(wide: pd.DataFrame, how: str, scale: float = 1.0, *,
           parents: pd.DataFrame | None = None, previous: pd.DataFrame | None = None,
           ) -> pd.DataFrame:
    """Derive the indicator: columns area_code, period, value, flag.

    value: value × scale. ratio: numerator / denominator × scale (areas the table does not
    publish are summed from municipalities when parents are given). published_or_ratio: the
    published value where the table publishes the area, the municipal sum ratio elsewhere.
    change_pct: % change of value from the previous year of the same area; a previous year
    the answer lacks is taken from `previous` (area_code, period, value) when given.
    """
    if how == "value":
        out = wide[["area_code", "period"]].copy()
        out["value"] = wide["value"].to_numpy(float) * scale
        out["flag"] = wide["value_flag"].to_numpy(object)
    elif how in ("ratio", "published_or_ratio"):
        num = "numerator" if "numerator" in wide.columns else "value"
        ratio = wide[["area_code", "period"]].copy()
        ratio["value"] = _ratio(wide[num].to_numpy(float), wide["denominator"].to_numpy(float),
                                scale)
        ratio["flag"] = combine_flags(wide[f"{num}_flag"].to_numpy(object),
                                      wide["denominator_flag"].to_numpy(object))
        if how == "published_or_ratio":
            published = wide[["area_code", "period"]].copy()
            published["value"] = wide["value"].to_numpy(float)
            published["flag"] = wide["value_flag"].to_numpy(object)
            has = wide["value"].notna() | wide["value_flag"].isin(["confidential"])
            out = published[has.to_numpy()]
            extra = ratio[~has.to_numpy()]
            extra = extra[~extra["area_code"].isin(set(out["area_code"]))]
            out = pd.concat([out, extra], ignore_index=True)
        else:
            out = ratio
        if parents is not None:
            rolled = rolled_ratio(wide.rename(columns={num: "numerator"}) if num != "numerator"
                                  else wide, parents, scale)
            have = set(zip(out["area_code"], out["period"], strict=True))
            fill = rolled[[(a, p) not in have for a, p in
                           zip(rolled["area_code"], rolled["period"], strict=True)]]
            out = pd.concat([out, fill], ignore_index=True) if len(fill) else out
    elif how == "change_pct":
        out = _change_pct(wide, previous)
    else:
        raise DeriveError(f"unknown derivation '{how}'")
    value = out["value"].to_numpy(float)
    flags = out["flag"].to_numpy(object)
    out = out.assign(value=value, flag=np.where(np.isnan(value) & pd.isna(flags), "missing",
                                                flags))
    return out.sort_values(["area_code", "period"]).reset_index(drop=True)


def _change_pct(wide: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Return the % change of `value` from the previous year per area (consecutive years only)."""
    current = wide[["area_code", "period", "value", "value_flag"]].rename(
        columns={"value_flag": "flag"})
    base = current[["area_code", "period", "value", "flag"]]
    if previous is not None and len(previous):
        stored = previous[["area_code", "period", "value"]].assign(flag=None)
        stored = stored[~stored.set_index(["area_code", "period"]).index.isin(
            base.set_index(["area_code", "period"]).index)]
        base = pd.concat([base, stored], ignore_index=True)
    prior = base.assign(period=base["period"] + 1).rename(
        columns={"value": "prev", "flag": "prev_flag"})
    joined = current.merge(prior, on=["area_code", "period"], how="inner")
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(joined["prev"] > 0, (joined["value"] / joined["prev"] - 1.0) * 100.0,
                          np.nan)
    return pd.DataFrame({"area_code": joined["area_code"], "period": joined["period"],
                         "value": change,
                         "flag": combine_flags(joined["flag"].to_numpy(object),
                                               joined["prev_flag"].to_numpy(object))})


def monthly_rows(wide: pd.DataFrame, series: dict[str, str], source_id: str) -> pd.DataFrame:
    """Return monthly_observations rows from a wide monthly frame (one column per series id)."""
    parts = []
    for series_id in series:
        parts.append(pd.DataFrame({
            "series_id": series_id, "area_code": wide["area_code"].to_numpy(),
            "month": wide["period"].astype(str).to_numpy(),
            "value": wide[series_id].to_numpy(float),
            "flag": pd.Series(wide[f"{series_id}_flag"].to_numpy(object), dtype=object),
            "source_id": source_id}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

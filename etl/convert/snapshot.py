"""Assemble, check and write the snapshot: data/observations.parquet and data/sources.parquet."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from etl.convert.division import OBS_COLUMNS
from etl.convert.errors import ConvertError
from indicators.monthly import MONTH_PATTERN, MONTHLY_COLUMNS
from warehouse.atomic import replacing
from warehouse.paths import SNAPSHOT_MONTHLY

SOURCES_TOML = Path(__file__).with_name("sources.toml")
SOURCE_COLUMNS = ("source_id", "publisher", "table_id", "title", "licence", "origin", "derivation",
                  "query", "updated", "fetched_at")
NULL_FLAGS = ("missing", "confidential")
# partial: an annual mean of fewer than 12 months (etl/monthly.py); stored, shown, never scored
FLAGS = (None, "p", "e", "b", "partial", *NULL_FLAGS)


def load_sources(path: Path = SOURCES_TOML) -> pd.DataFrame:
    """Return the declared sources as a frame with the sources-table columns."""
    with open(path, "rb") as fh:
        entries = tomllib.load(fh)["source"]
    frame = pd.DataFrame(entries).reindex(columns=list(SOURCE_COLUMNS))
    if frame["source_id"].duplicated().any():
        raise ConvertError(f"duplicate source ids in {path.name}")
    for column in ("source_id", "publisher", "licence", "origin", "derivation"):
        if frame[column].isna().any():
            raise ConvertError(f"{path.name}: every source needs '{column}'")
    return frame.astype(object).where(frame.notna(), None)


def split_out_of_range(obs: pd.DataFrame, catalog: pd.DataFrame,
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (kept, rejected): rejected rows have a value outside the catalog's valid_range."""
    bounds = catalog.set_index("id")[["valid_min", "valid_max"]]
    lo = obs["indicator_id"].map(bounds["valid_min"])
    hi = obs["indicator_id"].map(bounds["valid_max"])
    bad = obs["value"].notna() & ((obs["value"] < lo) | (obs["value"] > hi))
    return obs.loc[~bad].reset_index(drop=True), obs.loc[bad].reset_index(drop=True)


def check_snapshot(obs: pd.DataFrame, sources: pd.DataFrame, area_codes: set[str],
                   catalog: pd.DataFrame) -> list[str]:
    """Return every problem of a snapshot (empty when it may be written)."""
    problems = []
    if list(obs.columns) != list(OBS_COLUMNS):
        problems.append(f"observation columns {list(obs.columns)} != {list(OBS_COLUMNS)}")
        return problems
    for column, known, what in (("indicator_id", set(catalog["id"]), "indicator ids"),
                                ("area_code", area_codes, "area codes"),
                                ("source_id", set(sources["source_id"]), "source ids")):
        unknown = sorted(set(obs[column]) - known)
        if unknown:
            problems.append(f"unknown {what}: {unknown[:10]}")
    dupes = obs.duplicated(["indicator_id", "area_code", "period"], keep=False)
    if dupes.any():
        problems.append(f"duplicate keys: {obs.loc[dupes].head(5).to_dict('records')}")
    bad_flags = sorted(set(obs["flag"].dropna()) - {f for f in FLAGS if f})
    if bad_flags:
        problems.append(f"unknown flags {bad_flags}")
    null_ok = obs["value"].notna() | obs["flag"].isin(NULL_FLAGS)
    if not null_ok.all():
        problems.append(f"{(~null_ok).sum()} rows have no value and no missing/confidential flag")
    value_with_null_flag = obs["value"].notna() & obs["flag"].isin(NULL_FLAGS)
    if value_with_null_flag.any():
        problems.append("rows flagged missing/confidential carry a value")
    _, rejected = split_out_of_range(obs, catalog)
    if len(rejected):
        problems.append(f"{len(rejected)} values outside valid_range")
    return problems


def check_monthly(monthly: pd.DataFrame, sources: pd.DataFrame, area_codes: set[str],
                  series_ids: set[str]) -> list[str]:
    """Return every problem of the monthly observations (empty when they may be written)."""
    if list(monthly.columns) != list(MONTHLY_COLUMNS):
        return [f"monthly columns {list(monthly.columns)} != {list(MONTHLY_COLUMNS)}"]
    problems = []
    for column, known, what in (("series_id", series_ids, "monthly series ids"),
                                ("area_code", area_codes, "monthly area codes"),
                                ("source_id", set(sources["source_id"]), "monthly source ids")):
        unknown = sorted(set(monthly[column]) - known)
        if unknown:
            problems.append(f"unknown {what}: {unknown[:10]}")
    bad_months = sorted(str(m) for m in set(monthly["month"])
                        if not MONTH_PATTERN.fullmatch(str(m)))
    if bad_months:
        problems.append(f"month codes not 'YYYY-MM': {bad_months[:5]}")
    if monthly.duplicated(["series_id", "area_code", "month"]).any():
        problems.append("duplicate monthly keys")
    null_ok = monthly["value"].notna() | monthly["flag"].isin(NULL_FLAGS)
    if not null_ok.all():
        problems.append(f"{(~null_ok).sum()} monthly rows have no value and no flag")
    return problems


def typed_monthly(monthly: pd.DataFrame) -> pd.DataFrame:
    """Return monthly observations sorted, value float64, the other columns strings."""
    out = monthly.sort_values(["series_id", "area_code", "month"]).reset_index(drop=True)
    out["value"] = out["value"].astype("float64")
    for column in ("series_id", "area_code", "month", "flag", "source_id"):
        out[column] = out[column].astype("string")
    return out.loc[:, MONTHLY_COLUMNS]


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a parquet file beside path, then rename it into place."""
    with replacing(path) as tmp:
        frame.to_parquet(tmp, index=False)


def typed_observations(obs: pd.DataFrame) -> pd.DataFrame:
    """Return observations sorted, with stable dtypes (period int32, value float64, strings)."""
    out = obs.sort_values(["indicator_id", "area_code", "period"]).reset_index(drop=True)
    out["period"] = out["period"].astype("int32")
    out["value"] = out["value"].astype("float64")
    for column in ("indicator_id", "area_code", "flag", "source_id"):
        out[column] = out[column].astype("string")
    return out


def write_snapshot(obs: pd.DataFrame, sources: pd.DataFrame, out_dir: Path,
                   monthly: pd.DataFrame | None = None,
                   also_used: frozenset[str] = frozenset()) -> None:
    """Write the parquet files (each atomically); the caller checks the snapshot first.

    sources.parquet keeps the sources used by the observations, the monthly rows or also_used
    (the EU files' sources).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    used_ids = set(obs["source_id"]) | (set(monthly["source_id"]) if monthly is not None
                                        else set()) | set(also_used)
    used = sources.loc[sources["source_id"].isin(used_ids)].astype("string")
    _atomic_parquet(used.reset_index(drop=True), out_dir / "sources.parquet")
    if monthly is not None:
        _atomic_parquet(typed_monthly(monthly), out_dir / SNAPSHOT_MONTHLY)
    _atomic_parquet(typed_observations(obs), out_dir / "observations.parquet")


def coverage_table(obs: pd.DataFrame, area_levels: pd.Series) -> pd.DataFrame:
    """Return one row per indicator: years covered and the number of rows with a value per level."""
    data = obs.loc[obs["value"].notna()].assign(level=obs["area_code"].map(area_levels))
    rows = []
    for ident, part in data.groupby("indicator_id", sort=True):
        counts = part["level"].value_counts()
        rows.append({"indicator_id": ident,
                     "years": _year_span(sorted(part["period"].unique())),
                     **{level: int(counts.get(level, 0)) for level in
                        ("country", "region", "subregion", "municipality")},
                     "missing_rows": int(obs.loc[(obs["indicator_id"] == ident)
                                                 & obs["value"].isna()].shape[0]),
                     "sources": ", ".join(sorted(part["source_id"].unique()))})
    return pd.DataFrame(rows)


def _year_span(years: list[int]) -> str:
    """Return '2006–2016, 2019' for a sorted list of years."""
    spans, start, prev = [], None, None
    for year in years:
        if start is None:
            start = prev = year
        elif year == prev + 1:
            prev = year
        else:
            spans.append((start, prev))
            start = prev = year
    if start is not None:
        spans.append((start, prev))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)

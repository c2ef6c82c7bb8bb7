"""Write the DuckDB warehouse: the only module that writes SQL. Builds are atomic (temp+rename)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.atomic import replacing
from etl.paths import (
    DATA_DIR,
    SNAPSHOT_EU_OBSERVATIONS,
    SNAPSHOT_EU_REGIONS,
    SNAPSHOT_INDUSTRY,
    SNAPSHOT_MONTHLY,
    SNAPSHOT_OBSERVATIONS,
    SNAPSHOT_SOURCES,
)
from indicators.alerts import evaluate, rules_for
from indicators.breaks import breaks_frame
from indicators.catalog import catalog_frame, dimension_ids, load_dimensions
from indicators.goalposts import load_goalposts
from indicators.industries import industries_frame
from indicators.monthly import MONTHLY_COLUMNS, parse_month, series_frame
from indicators.regions import areas_frame, registry_frame
from indicators.scoring import DEFAULT_METHOD, warehouse_scores
from indicators.twins import EU_OBS_COLUMNS, EU_REGION_COLUMNS, finnish_twins, variables_frame

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
TABLE_ORDER = ("meta", "areas", "dimensions", "indicators", "breaks", "monthly_series", "sources",
               "observations", "monthly_observations", "goalposts", "scores", "indicator_scores",
               "peers", "alerts", "eu_regions", "eu_variables", "eu_observations", "eu_twins",
               "etl_runs", "industries", "industry_employment")
INDUSTRY_COLUMNS = ["area_code", "period", "industry", "value", "source_id"]


class WarehouseError(RuntimeError):
    """Raised when a warehouse cannot be built; the published file is left untouched."""


def read_snapshot(snapshot_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the bundled (observations, sources) frames from a snapshot folder."""
    obs_path = Path(snapshot_dir) / SNAPSHOT_OBSERVATIONS
    src_path = Path(snapshot_dir) / SNAPSHOT_SOURCES
    for path in (obs_path, src_path):
        if not path.exists():
            raise WarehouseError(f"Snapshot file missing: {path}")
    return pd.read_parquet(obs_path), pd.read_parquet(src_path)


def read_monthly(snapshot_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Return the bundled monthly observations (empty when the snapshot has none)."""
    path = Path(snapshot_dir) / SNAPSHOT_MONTHLY
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MONTHLY_COLUMNS})
    return pd.read_parquet(path)


def read_industry(snapshot_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Return the bundled employed-by-industry rows (empty when the snapshot has none)."""
    path = Path(snapshot_dir) / SNAPSHOT_INDUSTRY
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in INDUSTRY_COLUMNS})
    return pd.read_parquet(path)


def check_industry_integrity(industry: pd.DataFrame, sources: pd.DataFrame, areas: pd.DataFrame,
                             industries: pd.DataFrame) -> None:
    """Raise WarehouseError when industry rows point at unknown areas, sections or sources."""
    if industry is None or industry.empty:
        return
    problems = []
    missing = sorted(set(INDUSTRY_COLUMNS) - set(industry.columns))
    if missing:
        raise WarehouseError(f"Industry snapshot lacks columns {missing}")
    for column, known, what in (("area_code", set(areas["code"]), "area codes"),
                                ("industry", set(industries["code"]), "industry codes"),
                                ("source_id", set(sources["source_id"]), "source ids")):
        unknown = sorted(set(industry[column].dropna()) - known)
        if unknown:
            problems.append(f"industry_employment: unknown {what}: {unknown[:10]}")
    dupes = industry.duplicated(["area_code", "period", "industry"]).sum()
    if dupes:
        problems.append(f"industry_employment: {dupes} duplicate (area_code, period, industry) "
                        "rows")
    if industry["value"].isna().any() or (pd.to_numeric(industry["value"]) < 0).any():
        problems.append("industry_employment: counts missing or negative")
    if problems:
        raise WarehouseError("Snapshot fails integrity checks: " + "; ".join(problems))


def bundled_industry(sources: pd.DataFrame, snapshot_dir: Path = DATA_DIR
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the bundled industry rows and sources completed with their bundled source rows.

    The live ETL does not fetch tyokay 115i: a live warehouse keeps the bundled figures, and
    their provenance, even when a live load has replaced other rows of the sources table.
    """
    industry = read_industry(snapshot_dir)
    if industry.empty:
        return industry, sources
    needed = set(industry["source_id"]) - set(sources["source_id"])
    src_path = Path(snapshot_dir) / SNAPSHOT_SOURCES
    if needed and src_path.exists():
        bundled = pd.read_parquet(src_path)
        extra = bundled.loc[bundled["source_id"].isin(needed)]
        sources = pd.concat([sources, extra.astype(object)], ignore_index=True)
    return industry, sources
def read_eu(snapshot_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """Return the bundled EU tables: eu_regions, eu_observations and their sources rows.

    Empty frames when the snapshot has no EU files (both or neither must be there).
    """
    folder = Path(snapshot_dir)
    paths = folder / SNAPSHOT_EU_REGIONS, folder / SNAPSHOT_EU_OBSERVATIONS
    present = [p.exists() for p in paths]
    if not any(present):
        return {"eu_regions": pd.DataFrame(columns=EU_REGION_COLUMNS),
                "eu_observations": pd.DataFrame(columns=EU_OBS_COLUMNS),
                "sources": pd.DataFrame(columns=["source_id"])}
    if not all(present):
        raise WarehouseError(f"Snapshot file missing: {paths[present.index(False)]}")
    regions, obs = pd.read_parquet(paths[0]), pd.read_parquet(paths[1])
    used = set(obs["source_id"]) | set(regions["name_source"].dropna())
    src_path = folder / SNAPSHOT_SOURCES
    sources = pd.read_parquet(src_path) if src_path.exists() else pd.DataFrame(
        columns=["source_id"])
    return {"eu_regions": regions, "eu_observations": obs,
            "sources": sources.loc[sources["source_id"].isin(used)].reset_index(drop=True)}


def eu_tables(eu: dict[str, pd.DataFrame], sources: pd.DataFrame
              ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Return the EU warehouse tables (with each Finnish region's twins) and the sources.

    Sources rows the EU figures cite but `sources` lacks are added from eu['sources'].
    """
    regions, obs = eu["eu_regions"], eu["eu_observations"]
    if obs.empty:
        return {}, sources
    missing = eu["sources"].loc[~eu["sources"]["source_id"].isin(sources["source_id"])]
    if len(missing):
        sources = pd.concat([sources, missing], ignore_index=True)
    variables = variables_frame()
    problems = []
    for column, known, what in (("nuts_code", set(regions["nuts_code"]), "NUTS codes"),
                                ("variable", set(variables["id"]), "variables"),
                                ("source_id", set(sources["source_id"]), "source ids")):
        unknown = sorted(set(obs[column].dropna()) - known)
        if unknown:
            problems.append(f"eu_observations: unknown {what}: {unknown[:10]}")
    dupes = obs.duplicated(["variable", "nuts_code", "period"]).sum()
    if dupes:
        problems.append(f"eu_observations: {dupes} duplicate (variable, nuts_code, period) rows")
    if problems:
        raise WarehouseError("Snapshot fails integrity checks: " + "; ".join(problems))
    tables = {"eu_regions": regions, "eu_variables": variables, "eu_observations": obs,
              "eu_twins": finnish_twins(obs, regions, registry_frame())}
    return tables, sources


def dimensions_frame() -> pd.DataFrame:
    """Return the dimensions table from indicators/dimensions.toml."""
    rows = []
    for order, d in enumerate(load_dimensions()):
        row = {"id": d["id"], "sort_order": order, "color": d["color"]}
        for lang in ("fi", "sv", "en"):
            row[f"label_{lang}"] = d["label"][lang]
            row[f"description_{lang}"] = d["description"][lang]
        rows.append(row)
    return pd.DataFrame(rows)


def check_integrity(observations: pd.DataFrame, sources: pd.DataFrame, areas: pd.DataFrame,
                    indicators: pd.DataFrame, monthly: pd.DataFrame | None = None,
                    series: pd.DataFrame | None = None) -> None:
    """Raise WarehouseError when observations point at unknown areas, indicators or sources."""
    problems = []
    checks = [(observations, "observations", "indicator_id", set(indicators["id"]),
               ["indicator_id", "area_code", "period"])]
    if monthly is not None and len(monthly):
        checks.append((monthly, "monthly observations", "series_id",
                       set(series["id"]) if series is not None else set(),
                       ["series_id", "area_code", "month"]))
        bad_months = sorted(set(monthly["month"]) - {m for m in set(monthly["month"])
                                                     if parse_month(m) and len(str(m)) == 7})
        if bad_months:
            problems.append(f"monthly observations: month codes not 'YYYY-MM': {bad_months[:5]}")
    for frame, name, id_column, known_ids, key in checks:
        for column, known, what in (
            ("area_code", set(areas["code"]), "area codes"),
            (id_column, known_ids, "ids"),
            ("source_id", set(sources["source_id"]), "source ids"),
        ):
            unknown = sorted(set(frame[column].dropna()) - known)
            if unknown:
                problems.append(f"{name}: unknown {what}: {unknown[:10]}")
        dupes = frame.duplicated(key).sum()
        if dupes:
            problems.append(f"{name}: {dupes} duplicate ({', '.join(key)}) rows")
    if problems:
        raise WarehouseError("Snapshot fails integrity checks: " + "; ".join(problems))


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert a frame into an existing table by column name."""
    if frame is None or frame.empty:
        return
    cols = [c for c in con.table(table).columns if c in frame.columns]
    con.register("_frame", frame[cols])
    con.execute(f'INSERT INTO {table} ({", ".join(cols)}) SELECT {", ".join(cols)} FROM _frame')
    con.unregister("_frame")


def write_warehouse(db_path: Path, tables: dict[str, pd.DataFrame], meta: dict[str, str], *,
                    backup: bool = False,
                    before_replace: Callable[[Path], None] | None = None) -> Path:
    """Write tables into a new warehouse file beside db_path, then rename it into place.

    With backup=True the file being replaced is first kept as `<name>.bak` (itself swapped in
    atomically). before_replace(tmp) runs after the new file is complete, just before the swap.
    """
    db_path = Path(db_path)
    with replacing(db_path) as tmp:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
            for table in TABLE_ORDER:
                if table in tables:
                    _insert(con, table, tables[table])
            _insert(con, "meta", pd.DataFrame({"key": list(meta), "value": list(meta.values())}))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        if before_replace is not None:
            before_replace(tmp)
        if backup and db_path.exists():
            keep_backup(db_path)
    return db_path


def backup_path(db_path: Path) -> Path:
    """Return where the previous warehouse is kept: <name>.bak beside it."""
    return Path(db_path).with_name(Path(db_path).name + ".bak")


def keep_backup(db_path: Path) -> Path:
    """Copy the live warehouse to <name>.bak (copy to a temp name, then rename)."""
    target = backup_path(db_path)
    with replacing(target) as tmp:
        shutil.copy2(db_path, tmp)
    return target


def stale_temp_files(db_path: Path) -> list[Path]:
    """Return temp files beside db_path left by builds or runs whose process no longer exists.

    They are `.<name>.<pid>.tmp` (the new warehouse being written), its DuckDB write-ahead
    log `.<name>.<pid>.tmp.wal`, and `.<name>.bak.<pid>.tmp` (the backup being copied).
    """
    db_path = Path(db_path)
    pattern = re.compile(rf"\.{re.escape(db_path.name)}(?:\.bak)?\.(\d+)\.tmp(?:\.wal)?")
    stale = []
    for path in sorted(db_path.parent.glob(f".{db_path.name}*")):
        match = pattern.fullmatch(path.name)
        if match and not _pid_alive(int(match.group(1))):
            stale.append(path)
    return stale


def remove_stale_temp_files(db_path: Path) -> list[Path]:
    """Delete the stale temp files beside db_path and return them (for the log)."""
    removed = []
    for path in stale_temp_files(db_path):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _pid_alive(pid: int) -> bool:
    """Return True when a process with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_tables(db_path: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Return whole tables of an existing warehouse (opened read-only); absent tables are empty."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        out = {}
        for name in names:
            try:
                out[name] = con.table(name).df()
            except duckdb.CatalogException:
                out[name] = pd.DataFrame()
        return out
    finally:
        con.close()


def last_good(db_path: Path, snapshot_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """Return the last good observations, sources and etl_runs.

    They come from the live warehouse, else from the bundled snapshot, else are empty.
    """
    if Path(db_path).exists():
        tables = read_tables(db_path, ("observations", "sources", "monthly_observations",
                                       "etl_runs"))
        if tables["monthly_observations"].empty:
            tables["monthly_observations"] = _empty("monthly_observations")
        return tables
    try:
        observations, sources = read_snapshot(snapshot_dir)
        monthly = read_monthly(snapshot_dir)
    except WarehouseError:
        observations, sources = _empty("observations"), _empty("sources")
        monthly = _empty("monthly_observations")
    return {"observations": observations, "sources": sources, "monthly_observations": monthly,
            "etl_runs": _empty("etl_runs")}


def _empty(table: str) -> pd.DataFrame:
    """Return an empty frame with a schema table's columns."""
    con = duckdb.connect()
    try:
        con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
        return con.table(table).df()
    finally:
        con.close()


def build_live(db_path: Path, observations: pd.DataFrame, sources: pd.DataFrame,
               etl_runs: pd.DataFrame, meta: dict[str, str],
               before_replace: Callable[[Path], None] | None = None,
               monthly: pd.DataFrame | None = None,
               industry: pd.DataFrame | None = None,
               eu: dict[str, pd.DataFrame] | None = None) -> Path:
    """Publish a live-run warehouse: all tables from base_tables(), the run log, a backup.

    Without industry rows the bundled ones are kept (see bundled_industry); the EU tables (not
    fetched live) come from eu, by default the bundled snapshot's.
    """
    if industry is None:
        industry, sources = bundled_industry(sources)
    tables = base_tables(observations, sources, monthly, industry,
                         read_eu() if eu is None else eu)
    tables["etl_runs"] = etl_runs
    return write_warehouse(db_path, tables, {**meta, **vintage(tables)}, backup=True,
                           before_replace=before_replace)


def write_snapshot(db_path: Path, snapshot_dir: Path = DATA_DIR) -> tuple[Path, Path]:
    """Write the warehouse's observations and sources back into the bundled snapshot files."""
    if not Path(db_path).exists():
        raise WarehouseError(f"No warehouse at {db_path}; run `python -m etl build` or `run` first")
    tables = read_tables(db_path, ("observations", "sources"))
    if tables["observations"].empty:
        raise WarehouseError(f"The warehouse {db_path} has no observations; snapshot not written")
    snapshot_dir = Path(snapshot_dir)
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, file in (("observations", SNAPSHOT_OBSERVATIONS), ("sources", SNAPSHOT_SOURCES)):
        target = snapshot_dir / file
        with replacing(target) as tmp:
            tables[name].to_parquet(tmp, index=False)
        written.append(target)
    return written[0], written[1]


def base_tables(observations: pd.DataFrame, sources: pd.DataFrame,
                monthly: pd.DataFrame | None = None,
                industry: pd.DataFrame | None = None,
                eu: dict[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """Return every table for observations and sources: integrity-checked, with the scores.

    eu (from read_eu) adds the EU tables and the Finnish regions' twins.
    """
    eu_part, sources = eu_tables(eu, sources) if eu is not None else ({}, sources)
    areas = areas_frame()
    indicators = catalog_frame()
    series = series_frame()
    industries = industries_frame()
    check_integrity(observations, sources, areas, indicators, monthly, series)
    check_industry_integrity(industry, sources, areas, industries)
    breaks = breaks_frame()
    tables = {"areas": areas, "dimensions": dimensions_frame(), "indicators": indicators,
              "breaks": breaks, "monthly_series": series, "sources": sources,
              "observations": observations}
    if monthly is not None:
        tables["monthly_observations"] = monthly
    tables["industries"] = industries
    if industry is not None:
        tables["industry_employment"] = industry
    frames = {k: v for k, v in (("monthly", monthly), ("industry_employment", industry))
              if v is not None}
    tables["alerts"] = evaluate(rules_for(frames), frames, areas)
    tables.update(warehouse_scores(observations, indicators, areas, dimensions=dimension_ids(),
                                   breaks=breaks, goalposts=load_goalposts()))
    tables.update(eu_part)
    tables["meta"] = pd.DataFrame({"key": ["method"], "value": [DEFAULT_METHOD.id()]})
    return tables


SNAPSHOT_FILES = (SNAPSHOT_OBSERVATIONS, SNAPSHOT_SOURCES, SNAPSHOT_MONTHLY, SNAPSHOT_INDUSTRY,
                  SNAPSHOT_EU_REGIONS, SNAPSHOT_EU_OBSERVATIONS)


def snapshot_sha256(snapshot_dir: Path = DATA_DIR) -> str:
    """Return one SHA-256 over the snapshot's data files (name and bytes, in a fixed order)."""
    digest = hashlib.sha256()
    for name in SNAPSHOT_FILES:
        path = Path(snapshot_dir) / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def vintage(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Return the data's vintage for meta: the newest year with a figure and the newest month."""
    obs = tables["observations"]
    years = obs.loc[obs["value"].notna() & (obs["flag"].fillna("") != "partial"), "period"]
    monthly = tables.get("monthly_observations")
    months = monthly.loc[monthly["value"].notna(), "month"] if monthly is not None and len(
        monthly) else pd.Series(dtype=object)
    return {"newest_period": str(int(years.max())) if len(years) else "",
            "newest_month": str(months.max()) if len(months) else ""}


def build_from_snapshot(db_path: Path, snapshot_dir: Path = DATA_DIR) -> Path:
    """Build the warehouse at db_path from the bundled snapshot (atomic)."""
    observations, sources = read_snapshot(snapshot_dir)
    tables = base_tables(observations, sources, read_monthly(snapshot_dir),
                         read_industry(snapshot_dir), read_eu(snapshot_dir))
    meta = {"built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "built_from": "snapshot", "snapshot_dir": str(snapshot_dir),
            "snapshot_sha256": snapshot_sha256(snapshot_dir), **vintage(tables)}
    return write_warehouse(db_path, tables, meta)

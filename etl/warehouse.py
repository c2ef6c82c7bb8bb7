"""Write the DuckDB warehouse: the only module that writes SQL. Builds are atomic (temp + rename)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.paths import DATA_DIR, SNAPSHOT_OBSERVATIONS, SNAPSHOT_SOURCES
from indicators.catalog import catalog_frame, load_dimensions
from indicators.regions import areas_frame

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
TABLE_ORDER = ("meta", "areas", "dimensions", "indicators", "sources", "observations",
               "scores", "indicator_scores", "etl_runs")


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
                    indicators: pd.DataFrame) -> None:
    """Raise WarehouseError when observations point at unknown areas, indicators or sources."""
    problems = []
    for column, known, what in (
        ("area_code", set(areas["code"]), "area codes"),
        ("indicator_id", set(indicators["id"]), "indicator ids"),
        ("source_id", set(sources["source_id"]), "source ids"),
    ):
        unknown = sorted(set(observations[column].dropna()) - known)
        if unknown:
            problems.append(f"unknown {what}: {unknown[:10]}")
    dupes = observations.duplicated(["indicator_id", "area_code", "period"]).sum()
    if dupes:
        problems.append(f"{dupes} duplicate (indicator, area, period) rows")
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


def write_warehouse(db_path: Path, tables: dict[str, pd.DataFrame], meta: dict[str, str]) -> Path:
    """Write tables into a new warehouse file beside db_path, then rename it into place."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
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
        os.replace(tmp, db_path)
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    return db_path


def base_tables(observations: pd.DataFrame, sources: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return the reference and fact tables for given observations and sources, integrity-checked."""
    areas = areas_frame()
    indicators = catalog_frame()
    check_integrity(observations, sources, areas, indicators)
    return {"areas": areas, "dimensions": dimensions_frame(), "indicators": indicators,
            "sources": sources, "observations": observations}


def build_from_snapshot(db_path: Path, snapshot_dir: Path = DATA_DIR) -> Path:
    """Build the warehouse at db_path from the bundled snapshot (atomic)."""
    observations, sources = read_snapshot(snapshot_dir)
    tables = base_tables(observations, sources)
    meta = {"built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "built_from": "snapshot", "snapshot_dir": str(snapshot_dir)}
    return write_warehouse(db_path, tables, meta)

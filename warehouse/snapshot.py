"""The bundled snapshot in data/: read its parquet files, hash them, write them back."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from indicators.industry import STORED_EMPLOYMENT_COLUMNS
from indicators.monthly import MONTHLY_COLUMNS
from indicators.twins import EU_OBS_COLUMNS, EU_REGION_COLUMNS
from warehouse.atomic import replacing
from warehouse.paths import (
    DATA_DIR,
    SNAPSHOT_EU_OBSERVATIONS,
    SNAPSHOT_EU_REGIONS,
    SNAPSHOT_INDUSTRY,
    SNAPSHOT_MONTHLY,
    SNAPSHOT_OBSERVATIONS,
    SNAPSHOT_SOURCES,
)
from warehouse.writer import WarehouseError, read_tables


def read_snapshot(snapshot_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the bundled (observations, sources) frames from a snapshot folder."""
    obs_path = Path(snapshot_dir) / SNAPSHOT_OBSERVATIONS
    src_path = Path(snapshot_dir) / SNAPSHOT_SOURCES
    for path in (obs_path, src_path):
        if not path.exists():
            raise WarehouseError(f"Snapshot file missing: {path}")
    return pd.read_parquet(obs_path), pd.read_parquet(src_path)


def _read_or_empty(path: Path, columns: list[str]) -> pd.DataFrame:
    """Return a bundled parquet file, or an empty frame of its columns when it is not there."""
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.read_parquet(path)


def read_monthly(snapshot_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Return the bundled monthly observations (empty when the snapshot has none)."""
    return _read_or_empty(Path(snapshot_dir) / SNAPSHOT_MONTHLY, MONTHLY_COLUMNS)


def read_industry(snapshot_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Return the bundled employed-by-industry rows (empty when the snapshot has none)."""
    return _read_or_empty(Path(snapshot_dir) / SNAPSHOT_INDUSTRY, STORED_EMPLOYMENT_COLUMNS)


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

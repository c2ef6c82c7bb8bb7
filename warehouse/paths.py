"""Where the bundled snapshot and the warehouse live (overridable by environment variables)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SNAPSHOT_OBSERVATIONS = "observations.parquet"
SNAPSHOT_SOURCES = "sources.parquet"
SNAPSHOT_MONTHLY = "monthly.parquet"
SNAPSHOT_INDUSTRY = "industry.parquet"
SNAPSHOT_EU_REGIONS = "eu_regions.parquet"
SNAPSHOT_EU_OBSERVATIONS = "eu_observations.parquet"
DEFAULT_DB = DATA_DIR / "warehouse.duckdb"


def warehouse_path() -> Path:
    """Return the warehouse path: $TILANNEKUVA_DB or data/warehouse.duckdb."""
    return Path(os.environ.get("TILANNEKUVA_DB") or DEFAULT_DB)

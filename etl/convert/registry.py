"""Write indicators/regions.csv and indicators/municipality_successors.csv from the geofi keys."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.errors import ConvertError
from etl.convert.geofi import (
    read_key,
    read_mergers,
    read_nuts2021,
    read_nuts2021_moves,
    registry_frame,
    successors_frame,
)
from indicators.regions import REGIONS_CSV, SUCCESSORS_CSV, validate_registry
from warehouse.atomic import replacing

TODAY_YEAR = 2026
OLDER_YEARS = (2024, 2025)


def build_registry(raw_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (registry, successors) frames built from RAW_DIR/geofi_classifications."""
    folder = Path(raw_dir) / "geofi_classifications"
    today = read_key(folder / f"municipality_key_{TODAY_YEAR}.csv")
    older = [read_key(folder / f"municipality_key_{y}.csv") for y in OLDER_YEARS]
    registry = registry_frame(today, read_nuts2021(), read_nuts2021_moves())
    problems = validate_registry(registry)
    if problems:
        raise ConvertError("registry is invalid: " + "; ".join(problems[:10]))
    return registry, successors_frame(read_mergers(), today, older)


def write_registry(registry: pd.DataFrame, successors: pd.DataFrame,
                   regions_csv: Path = REGIONS_CSV, successors_csv: Path = SUCCESSORS_CSV) -> None:
    """Write both registry CSV files (each written to a temp file, then renamed)."""
    for frame, path in ((registry, regions_csv), (successors, successors_csv)):
        with replacing(Path(path)) as tmp:
            frame.to_csv(tmp, index=False, lineterminator="\n")

"""Read one raw table file, with one clear ConvertError when it or a needed column is missing."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from etl.convert.errors import ConvertError


def read_raw(path: Path | str, what: str, needed: Iterable[str],
             only_empty_is_missing: bool = False) -> pd.DataFrame:
    """Return the CSV or Parquet file at path; ConvertError names a missing file or columns.

    With only_empty_is_missing a CSV cell is missing only when empty ('NA' stays text).
    """
    path = Path(path)
    if not path.exists():
        raise ConvertError(f"{what} missing: {path}")
    options = {"keep_default_na": False, "na_values": [""]} if only_empty_is_missing else {}
    raw = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, **options)
    missing = sorted(set(needed) - set(raw.columns))
    if missing:
        raise ConvertError(f"{path.name}: columns missing {missing}")
    return raw

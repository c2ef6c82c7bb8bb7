"""Write the DuckDB warehouse: the only module that writes SQL. Writes are atomic (temp+rename)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from warehouse.atomic import replacing

SCHEMA_PATH = Path(__file__).with_name("schema.sql")


TABLE_ORDER = ("meta", "areas", "dimensions", "indicators", "breaks", "monthly_series", "sources",
               "observations", "monthly_observations", "goalposts", "scores", "indicator_scores",
               "peers", "alerts", "eu_regions", "eu_variables", "eu_observations", "eu_twins",
               "etl_runs", "industries", "industry_employment")


class WarehouseError(RuntimeError):
    """Raised when a warehouse cannot be built; the published file is left untouched."""


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
    """Return whole tables of an existing warehouse (read-only); absent ones empty, with columns."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        out = {}
        for name in names:
            try:
                out[name] = con.table(name).df()
            except duckdb.CatalogException:
                out[name] = empty_table(name)
        return out
    finally:
        con.close()


def empty_table(table: str) -> pd.DataFrame:
    """Return an empty frame with a schema table's columns."""
    con = duckdb.connect()
    try:
        con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
        return con.table(table).df()
    finally:
        con.close()

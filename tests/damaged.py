"""Damaged copies of a warehouse, for the tests of the friendly warehouse message."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import duckdb


def truncated(source: Path, target: Path) -> Path:
    """A copy cut to a third of its length (a disk that filled up mid-copy)."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 3])
    return target


def bit_rotted(source: Path, target: Path) -> Path:
    """A copy with 4 KiB of noise every 1 MiB after the first 256 KiB (rotted blocks)."""
    data = bytearray(source.read_bytes())
    noise = random.Random(0)
    for start in range(256 * 1024, len(data) - 4096, 1024 * 1024):
        data[start:start + 4096] = noise.randbytes(4096)
    target.write_bytes(bytes(data))
    return target


def altered(source: Path, target: Path, sql: str) -> Path:
    """A copy changed by one SQL statement (another schema, another method version)."""
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    try:
        con.execute(sql)
    finally:
        con.close()
    return target


def damaged_copies(source: Path, folder: Path) -> dict[str, Path]:
    """Return one damaged copy of source per kind of damage."""
    return {
        "truncated": truncated(source, folder / "truncated.duckdb"),
        "bit_rotted": bit_rotted(source, folder / "rotted.duckdb"),
        "no_scores": altered(source, folder / "schema.duckdb", "DROP TABLE scores"),
        "old_columns": altered(source, folder / "columns.duckdb",
                               "ALTER TABLE scores DROP COLUMN n_ranked"),
        "old_method": altered(source, folder / "method.duckdb",
                              "UPDATE meta SET value = 'tk-2021.1:goalposts:arithmetic:equal' "
                              "WHERE key = 'method'"),
        "not_duckdb": _text(folder / "text.duckdb"),
    }


def _text(target: Path) -> Path:
    target.write_text("<html>not a database</html>")
    return target

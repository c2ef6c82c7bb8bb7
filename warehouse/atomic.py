"""Atomic file writes: a temp file beside the target, renamed over it only once complete."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


def temp_path(path: Path) -> Path:
    """Return the temp name of a write to path: '.<name>.<pid>.tmp' in the same folder."""
    path = Path(path)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temp path beside path to write; rename it over path when the block succeeds.

    On any error (or an interrupt) the temp file and its DuckDB write-ahead log are removed and
    path is left as it was: a reader sees the old file or the new one, never half of one.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    tmp.unlink(missing_ok=True)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)

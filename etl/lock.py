"""One ETL run at a time: an flock on a lock file, released by the kernel even after SIGKILL."""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path


class LockBusy(RuntimeError):
    """Another run holds the lock; this one must exit at once."""


class RunLock:
    """Exclusive, non-blocking lock on `path` (the file stays; only the flock matters)."""

    def __init__(self, path: Path):
        """Prepare a lock on the given file path."""
        self.path = Path(path)
        self._fh = None

    def acquire(self) -> RunLock:
        """Take the lock or raise LockBusy naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown process"
            fh.close()
            raise LockBusy(f"another ETL run or build is in progress ({holder}; lock "
                           f"{self.path}); this one exits without changing anything") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}")
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        """Give the lock back (closing the file releases the flock)."""
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def __enter__(self) -> RunLock:
        """Acquire on entering a with-block."""
        return self.acquire()

    def __exit__(self, *exc) -> None:
        """Release on leaving a with-block."""
        self.release()

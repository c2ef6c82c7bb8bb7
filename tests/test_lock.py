import os
import signal
import subprocess
import sys
import time

import pytest

from etl.lock import LockBusy, RunLock


def test_second_lock_is_refused_with_the_holder(tmp_path):
    path = tmp_path / "warehouse.duckdb.lock"
    with RunLock(path):
        with pytest.raises(LockBusy, match=f"pid {os.getpid()}") as err:
            RunLock(path).acquire()
        assert "exits without changing anything" in str(err.value)
    with RunLock(path):  # released: can be taken again
        pass


def test_lock_is_not_stale_after_sigkill(tmp_path):
    path = tmp_path / "w.lock"
    code = ("import sys, time; from etl.lock import RunLock; "
            "lock = RunLock(sys.argv[1]).acquire(); print('locked', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE,
                            text=True, cwd=os.getcwd(),
                            env=dict(os.environ, PYTHONPATH=os.getcwd()))
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(LockBusy):
            RunLock(path).acquire()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
    deadline = time.monotonic() + 5
    while True:
        try:
            RunLock(path).acquire().release()
            break
        except LockBusy:
            assert time.monotonic() < deadline, "lock still held after SIGKILL"
            time.sleep(0.05)
    assert path.exists()

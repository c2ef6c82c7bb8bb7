"""ui/memo.py: a key is built once however many threads ask for it at the same time."""

import threading
import time

from ui import memo


def test_concurrent_callers_of_one_key_build_it_once():
    builds = []

    @memo.shared(maxsize=8)
    def slow(key):
        builds.append(key)
        time.sleep(0.2)
        return key * 2

    results = []
    threads = [threading.Thread(target=lambda: results.append(slow(21))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 8
    assert builds == [21]
    assert slow.cache_info().misses == 1


def test_other_keys_are_not_held_up_by_a_slow_build():
    started = threading.Event()
    release = threading.Event()

    @memo.shared(maxsize=8)
    def build(key):
        if key == "slow":
            started.set()
            release.wait(5)
        return key

    slow = threading.Thread(target=build, args=("slow",))
    slow.start()
    started.wait(5)
    begun = time.perf_counter()
    assert build("quick") == "quick"
    assert time.perf_counter() - begun < 1.0
    release.set()
    slow.join()


def test_a_failed_build_is_not_remembered():
    calls = []

    @memo.shared(maxsize=8)
    def flaky(key):
        calls.append(key)
        if len(calls) == 1:
            raise RuntimeError("first try fails")
        return key

    try:
        flaky("a")
    except RuntimeError:
        pass
    assert flaky("a") == "a" and calls == ["a", "a"]
    assert flaky("a") == "a" and calls == ["a", "a"]

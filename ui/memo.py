"""A process-wide memo that builds each key once, even when many sessions ask at the same time."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def shared(maxsize: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Return a decorator: an LRU memo of maxsize entries whose misses are built one at a time.

    functools.lru_cache alone lets every session that misses a key build it at once: twenty
    officials opening the same region after a nightly rebuild would draw its charts twenty times.
    Here the first caller of a key builds it while later callers of that key wait for the result;
    callers of other keys are not held up.
    """
    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        guard = threading.Lock()
        building: dict[tuple, threading.Lock] = {}

        @functools.wraps(fn)
        def call(*args: object, **kwargs: object) -> T:
            key = (args, tuple(sorted(kwargs.items())))
            with guard:
                lock = building.setdefault(key, threading.Lock())
            try:
                with lock:
                    return cached(*args, **kwargs)
            finally:
                with guard:
                    if building.get(key) is lock:
                        del building[key]

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call
    return decorate

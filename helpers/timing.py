"""Timing a function the simple way: the median of a few calls.

The median (not the mean) shrugs off the odd slow call when the computer is
busy with something else; one call before the timed ones pays for first-use
costs (loading code, allocating memory) that later calls do not have.
"""
from __future__ import annotations

import time
from collections.abc import Callable


def median_time(function: Callable[[], object], repeat: int = 5) -> float:
    """Median wall-clock seconds of ``repeat`` calls of ``function()``, after one warm-up call.

    >>> median_time(lambda: sum(range(1000))) < 1.0
    True
    """
    if not callable(function):
        raise TypeError(f"function must be callable with no arguments; got {function!r}")
    if isinstance(repeat, bool) or not isinstance(repeat, int) or repeat < 1:
        raise ValueError(f"repeat must be a whole number of at least 1; got {repeat!r}")
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    times.sort()
    middle = len(times) // 2
    return times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2

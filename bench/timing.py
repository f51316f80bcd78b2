"""Timing helpers shared by the benchmarks."""

import statistics
import time
from collections.abc import Callable


def best_of(func: Callable[[], object], *, repeat: int = 3) -> float:
    """The fastest of `repeat` runs, in seconds: the least disturbed by the other load on the machine."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        timings.append(time.perf_counter() - started)
    return min(timings)


def median_of(func: Callable[[], object], *, repeat: int = 30, warmup: int = 3) -> float:
    """The median of `repeat` runs after `warmup` runs, in seconds."""
    for _ in range(warmup):
        func()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)

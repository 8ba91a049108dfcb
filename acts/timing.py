"""Measuring what an activation costs: time per element, and ratios measured in the same run.

Timings on a shared machine are noisy, so the course only ever reports a time
next to a baseline measured moments before in the same process, and takes the
best of several repeats (the run least disturbed by other programs).
Notebooks tag the cells that print timings `nbval-ignore-output`.
"""

from __future__ import annotations

import math
import time

import numpy as np

from acts.registry import get


def best_time(fn, repeat: int = 5) -> float:
    """The shortest of ``repeat`` wall-clock timings of ``fn()``, in seconds."""
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def time_per_element(fn, n: int = 200_000, dtype=np.float64, repeat: int = 5, seed: int = 0, **params) -> float:
    """Seconds per element of ``fn(x)`` on ``n`` values drawn N(0, 3^2).

    ``fn`` is a registered name (its value, with ``params``), or any callable of an array.
    """
    x = np.random.default_rng(seed).normal(0.0, 3.0, n).astype(dtype)
    call = get(fn) if isinstance(fn, str) else fn
    return best_time(lambda: call(x, **params), repeat) / n


def relative_cost(names, baseline: str = "relu", n: int = 200_000, dtype=np.float64, repeat: int = 5,
                  seed: int = 0) -> dict:
    """{name: time per element / baseline's time per element}, all measured in this call.

    The functions are timed in rounds, each round timing every function once
    (baseline included), and each keeps its best round: a burst of load from
    another program then affects all of them alike, and the first (cold) call
    of any function never counts alone.
    """
    x = np.random.default_rng(seed).normal(0.0, 3.0, n).astype(dtype)
    order = [baseline, *[name for name in names if name != baseline]]
    calls = {name: get(name) for name in order}
    best = dict.fromkeys(order, math.inf)
    for _ in range(repeat + 1):  # one extra round: the first one warms up
        for name in order:
            best[name] = min(best[name], best_time(lambda: calls[name](x), 1))  # noqa: B023
    return {name: best[name] / best[baseline] for name in names}

"""Measuring what an activation costs: the course's one timer.

Timings on a shared machine are noisy, so the course only ever reports a time
next to a baseline measured moments before in the same process, and takes the
best of several repeats (the run least disturbed by other programs). Several
functions are timed in rounds (``best_times``): each round times every
function once, so a burst of load from another program affects all of them
alike. Notebooks tag the cells that print timings `nbval-ignore-output`.
NumPy timings measure NumPy on the machine that ran them, nothing more.
"""

from __future__ import annotations

import math
import time
from functools import partial

import numpy as np

from acts.registry import get


def best_time(fn, repeat: int = 5, number: int = 1) -> float:
    """The shortest of ``repeat`` wall-clock timings of ``fn()``, in seconds per call.

    Each timing runs ``fn`` ``number`` times in a row (many calls, for a
    function that takes microseconds) and is divided by ``number``.
    """
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def best_times(calls: dict, repeat: int = 5, number: int = 1, warm: bool = False) -> dict:
    """{label: best seconds per call} for every function of no argument in ``calls``, timed in rounds.

    One extra first round warms every function up and does not count. ``warm``:
    call each function once, untimed, right before timing it, so that it finds
    memory as it left it (a large array allocated by the previous function can
    otherwise cost the next one fresh pages: the order would bias the ratio).
    """
    best = dict.fromkeys(calls, math.inf)
    for round_ in range(repeat + 1):
        for label, fn in calls.items():
            if warm:
                fn()
            t = best_time(fn, 1, number)
            if round_:
                best[label] = min(best[label], t)
    return best


def _sample(n: int, dtype, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0, 3.0, n).astype(dtype)


def time_per_element(fn, n: int = 200_000, dtype=np.float64, repeat: int = 5, seed: int = 0, **params) -> float:
    """Seconds per element of ``fn(x)`` on ``n`` values drawn N(0, 3^2).

    ``fn`` is a registered name (its value, with ``params``), or any callable of an array.
    """
    x = _sample(n, dtype, seed)
    call = get(fn) if isinstance(fn, str) else fn
    return best_time(lambda: call(x, **params), repeat) / n


def relative_cost(names, baseline: str = "relu", n: int = 200_000, dtype=np.float64, repeat: int = 5,
                  seed: int = 0) -> dict:
    """{name: time per element / baseline's time per element}, all measured in this call, in rounds."""
    x = _sample(n, dtype, seed)
    order = [baseline, *[name for name in names if name != baseline]]
    calls = {name: partial(get(name), x) for name in order}
    best = best_times(calls, repeat)
    return {name: best[name] / best[baseline] for name in names}

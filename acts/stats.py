"""The course's statistics for comparisons over seeds: one Student-t interval and one way to read it.

>>> mean, low, high = t_interval([0.01, 0.03, -0.01, 0.02, 0.02])
>>> round(mean, 3), verdict(low, high)
(0.014, 'tie')

Every comparison of activations in the course pairs two entries seed by
seed (same data sample, same initialisation seed), takes the differences,
and reports their mean with a 95% Student-t interval. An interval above 0
means "better", below 0 "worse", and one that contains 0 a tie: no
difference this experiment can resolve.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.special import stdtr, stdtrit

__all__ = ["LEVEL", "equal_spread_p", "t_interval", "verdict"]

LEVEL = 0.95


def t_interval(values, level: float = LEVEL) -> tuple[float, float, float]:
    """(mean, low, high): the mean of ``values`` and its ``level`` Student-t confidence interval (n >= 2)."""
    values = np.asarray(values, dtype=float).ravel()
    if values.size < 2:
        raise ValueError(f"t_interval(): values needs at least 2 numbers; got {values.size}")
    if not np.isfinite(values).all():
        raise ValueError(f"t_interval(): values must be finite; got {values.tolist()}")
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise ValueError(f"t_interval(): level must be a number between 0 and 1 (0.95 for 95%); got {level!r}")
    mean = float(values.mean())
    half = float(stdtrit(values.size - 1, 0.5 + level / 2) * values.std(ddof=1) / np.sqrt(values.size))
    return mean, mean - half, mean + half


def verdict(low: float, high: float) -> str:
    """"better" if the interval of differences lies above 0, "worse" if below, "tie" if it contains 0."""
    return "better" if low > 0 else "worse" if high < 0 else "tie"


def equal_spread_p(a, b) -> float:
    """Two-sided p-value for "a and b vary equally" when they are paired (the same seeds): the Pitman-Morgan test.

    var(a) = var(b) exactly when a + b and a - b are uncorrelated (their covariance is var(a) - var(b)), so
    it tests their correlation r with t = r sqrt((n - 2) / (1 - r^2)) on n - 2 degrees of freedom. An F-test
    of the two variances would assume independent samples, which paired seeds are not.
    """
    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    if a.size != b.size or a.size < 3:
        raise ValueError(f"equal_spread_p(): a and b need the same length, 3 or more; got {a.size} and {b.size}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("equal_spread_p(): a and b must be finite")
    total, diff = a + b, a - b
    tol = 1e-12 * max(float(np.max(np.abs(a))), float(np.max(np.abs(b))), 1e-300)  # float rounding of a +- b
    if np.ptp(total) <= tol or np.ptp(diff) <= tol:  # b = a + c or b = c - a: the spreads are equal exactly
        return 1.0
    r = float(np.corrcoef(total, diff)[0, 1])
    t = r * np.sqrt((a.size - 2) / max(1.0 - r * r, 1e-300))
    return float(2.0 * stdtr(a.size - 2, -abs(t)))


"""Toy data sets for the demos, made with NumPy alone: seeded, small, nothing downloaded.

Classification sets return ``(X, y)``: points X of shape (n, 2) and integer
labels y of shape (n,), classes as balanced as n allows, rows shuffled.
``noise`` is the standard deviation of Gaussian noise added to each coordinate.

>>> X, y = spirals(300, classes=3, noise=0.05, seed=0)
>>> X.shape, y.shape, sorted(set(y.tolist()))
((300, 2), (300,), [0, 1, 2])

Regression sets return ``(X, y)`` with X of shape (n, 1) on an even grid and
float targets y of shape (n,): ``regression("sine")``, ``regression("abs")``,
``regression("square")``.
"""

from __future__ import annotations

import numbers

import numpy as np

TARGETS = {"sine": np.sin, "abs": np.abs, "square": np.square}


def _check(n, noise, classes=2):
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < classes:
        raise ValueError(f"n must be an integer >= {classes} (at least one point per class); got {n!r}")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0 (a standard deviation); got {noise!r}")


def _labels(n, classes):
    """n labels, as balanced as possible: 0, 1, ..., classes-1, 0, 1, ..."""
    return np.arange(n) % classes


def _finish(X, y, noise, rng):
    """Add the coordinate noise, then shuffle the rows."""
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(y))
    return X[order], y[order].astype(np.int64)


def xor(n=200, noise=0.1, seed=0):
    """Points uniform in the square [-1, 1]^2; label 1 where x1 and x2 have opposite signs.

    No straight line separates the classes: the classic problem a linear model cannot solve.
    """
    _check(n, noise)
    rng = np.random.default_rng(seed)
    y = _labels(n, 2)
    magnitude = rng.uniform(0.0, 1.0, size=(n, 2))
    sign1 = rng.choice([-1.0, 1.0], size=n)
    sign2 = np.where(y == 0, sign1, -sign1)  # same signs for class 0, opposite for class 1
    X = magnitude * np.column_stack([sign1, sign2])
    return _finish(X, y, noise, rng)


def moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles (radius 1): the upper one is class 0, the lower one class 1."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    y = _labels(n, 2)
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(y[:, None] == 0, upper, lower)
    return _finish(X, y, noise, rng)


def circles(n=200, noise=0.05, factor=0.5, seed=0):
    """Two concentric circles: the outer one (radius 1) is class 0, the inner one (radius ``factor``) class 1."""
    _check(n, noise)
    if not isinstance(factor, numbers.Real) or not 0 < factor < 1:
        raise ValueError(f"factor must be a number between 0 and 1 (the inner radius); got {factor!r}")
    rng = np.random.default_rng(seed)
    y = _labels(n, 2)
    t = rng.uniform(0.0, 2.0 * np.pi, size=n)
    radius = np.where(y == 0, 1.0, factor)
    X = radius[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    return _finish(X, y, noise, rng)


def spirals(n=300, classes=3, noise=0.05, seed=0):
    """``classes`` spiral arms winding out from the centre, one class per arm.

    Arm c starts at angle 2 pi c / classes and turns 1.25 times as its radius
    grows from 0 to 1.
    """
    if isinstance(classes, bool) or not isinstance(classes, numbers.Integral) or classes < 2:
        raise ValueError(f"classes must be an integer >= 2; got {classes!r}")
    _check(n, noise, classes)
    rng = np.random.default_rng(seed)
    y = _labels(n, classes)
    radius = rng.uniform(0.0, 1.0, size=n)
    angle = 2.0 * np.pi * (y / classes + 1.25 * radius)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _finish(X, y, noise, rng)


def regression(target="sine", n=200, noise=0.0, low=-3.0, high=3.0, seed=0):
    """A 1-D regression set: X on an even grid in [low, high], y = target(x) + noise.

    ``target`` is "sine" (sin x), "abs" (abs(x)) or "square" (x^2). X has shape
    (n, 1), y shape (n,), both float64.
    """
    if target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(map(repr, TARGETS))}; got {target!r}")
    _check(n, noise)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"low and high must be finite numbers with low < high; got low={low!r}, high={high!r}")
    rng = np.random.default_rng(seed)
    x = np.linspace(low, high, n)
    y = TARGETS[target](x) + noise * rng.standard_normal(n)
    return x[:, None], y

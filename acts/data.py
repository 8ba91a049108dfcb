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

Real data, shipped with the package (nothing is downloaded): ``digits()``,
the 8x8 handwritten digits (UCI, CC BY 4.0; see acts/datasets/README.md).
``split(X, y)`` holds out a test set with the same share of every class.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import numbers
from importlib import resources

import numpy as np

TARGETS = {"sine": np.sin, "abs": np.abs, "square": np.square}
DIGITS_FILE = "datasets/digits.csv.gz"
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"


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


def digits():
    """The 8x8 handwritten digits: X of shape (1797, 64), float64 in [0, 1]; y of shape (1797,), int64 in 0..9.

    Each row of X is one image, its 64 pixels row by row (``X[i].reshape(8, 8)``),
    the original counts 0..16 divided by 16. Alpaydin and Kaynak, UCI Machine
    Learning Repository (1998), CC BY 4.0. The file ships inside ``acts``;
    its SHA-256 checksum is verified on every load.
    """
    raw = resources.files("acts").joinpath(DIGITS_FILE).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != DIGITS_SHA256:
        raise OSError(f"acts/{DIGITS_FILE} is damaged: its SHA-256 is {digest}, expected {DIGITS_SHA256}; "
                      f"reinstall acts (pip install --force-reinstall .) to restore it")
    table = np.loadtxt(io.BytesIO(gzip.decompress(raw)), delimiter=",", dtype=np.int64)
    return table[:, :64] / 16.0, table[:, 64]


def split(X, y, test=0.3, seed=0):
    """(X_train, y_train, X_test, y_test): a random ``test`` share of every class held out.

    Stratified: each class keeps its share in both parts. Rows are shuffled with ``seed``.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows; got {len(X)} and {len(y)}")
    if isinstance(test, bool) or not isinstance(test, numbers.Real) or not 0 < test < 1:
        raise ValueError(f"test must be a fraction between 0 and 1 (the share held out); got {test!r}")
    rng = np.random.default_rng(seed)
    held = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        held[rng.choice(rows, size=int(round(test * len(rows))), replace=False)] = True
    train, held_out = rng.permutation(np.flatnonzero(~held)), rng.permutation(np.flatnonzero(held))
    return X[train], y[train], X[held_out], y[held_out]

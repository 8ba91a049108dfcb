"""A tiny NumPy network toolkit for the course's demos (work in progress: more below soon)."""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from acts.registry import get

INITS = ("he", "xavier", "lecun")


def _weight_std(init, fan_in: int, fan_out: int) -> float:
    """Standard deviation of the initial weights for a named scheme or a float scale."""
    if isinstance(init, str):
        if init == "he":
            return np.sqrt(2.0 / fan_in)
        if init == "xavier":
            return np.sqrt(2.0 / (fan_in + fan_out))
        if init == "lecun":
            return np.sqrt(1.0 / fan_in)
    elif isinstance(init, numbers.Real) and not isinstance(init, bool) and np.isfinite(init) and init > 0:
        return float(init) / np.sqrt(fan_in)
    raise ValueError(f"init must be one of {', '.join(map(repr, INITS))} or a positive number (a scale); got {init!r}")


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def _value_and_grad(act, z, params):
    """(f(z), f'(z)) through the registry, in one pass when the registry offers it."""
    if hasattr(act, "value_and_grad"):
        return act.value_and_grad(z, **params)
    return act(z, **params), act.grad(z, **params)


@dataclass
class SignalPropagation:
    """What happens to a signal and its gradient through a deep stack of dense layers."""

    activations: list
    preactivations: list
    grad_norms: np.ndarray
    means: np.ndarray
    stds: np.ndarray


def signal_propagation(activation="tanh", depth=20, width=64, init="xavier", n=256, seed=0, **activation_params):
    """Send n inputs x ~ N(0, 1) through ``depth`` dense layers of ``width`` units, then a gradient back.

    Layer l computes z_l = a_{l-1} W_l (biases 0) and a_l = f(z_l). The weights
    are drawn N(0, std^2) with the std of ``init``: "xavier" (var 2/(fan_in+fan_out)),
    "he" (2/fan_in), "lecun" (1/fan_in), or a positive float scale (scale^2/fan_in).
    A fixed random upstream gradient g ~ N(0, 1) at the top is back-propagated;
    ``grad_norms[l]`` is the Frobenius norm of the gradient at the input of layer
    l + 1 (layer 1 first). Computed in float32: the statistics need three digits,
    not sixteen, and it is twice as fast. Overflow to inf or NaN is allowed: it *is* the answer
    for an exploding configuration.
    """
    act = get(activation)
    depth = _positive_int(depth, "depth")
    width = _positive_int(width, "width")
    n = _positive_int(n, "n")
    std = _weight_std(init, width, width)
    act(np.zeros(1), **activation_params)  # let the registry check the parameters once

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, width), dtype=np.float32)
    weights = [np.float32(std) * rng.standard_normal((width, width), dtype=np.float32) for _ in range(depth)]
    upstream = rng.standard_normal((n, width), dtype=np.float32)

    activations, preactivations, slopes = [], [], []
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        a = x
        for W in weights:
            z = a @ W
            a, slope = _value_and_grad(act, z, activation_params)
            preactivations.append(z)
            activations.append(a)
            slopes.append(slope)
        grad_norms = np.empty(depth)
        g = upstream
        for layer in reversed(range(depth)):
            g = (g * slopes[layer]) @ weights[layer].T
            grad_norms[layer] = np.sqrt(np.sum(g * g))
        means = np.array([a.mean() for a in activations])
        stds = np.array([a.std() for a in activations])
    return SignalPropagation(activations, preactivations, grad_norms, means, stds)


def decision_grid(net, X, resolution=200, margin=0.5):
    """A ``resolution`` x ``resolution`` grid over X's bounding box plus ``margin``, and net's label at each point.

    Returns ``(xx, yy, labels)``, three arrays of shape (resolution, resolution),
    ready for ``plt.contourf(xx, yy, labels)``.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2) for a decision grid; got shape {X.shape}")
    resolution = _positive_int(resolution, "resolution")
    low = X.min(axis=0) - margin
    high = X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    points = np.column_stack([xx.ravel(), yy.ravel()])
    labels = np.asarray(net.predict(points)).reshape(xx.shape)
    return xx, yy, labels

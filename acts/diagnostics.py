"""Looking inside networks: a signal and its gradient through a deep stack, a net's decision regions.

Both use the layers of ``acts.nn``; nothing here trains.

>>> from acts import diagnostics
>>> result = diagnostics.signal_propagation("tanh", depth=5, width=8, n=16)
>>> result.grad_norms.shape
(5,)
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from acts.layers import Dense, weight_std
from acts.nn import single_threaded_blas
from acts.registry import get


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def decision_grid(net, X, resolution=200, margin=0.5):
    """A ``resolution`` x ``resolution`` grid over X's bounding box plus ``margin``, and net's label at each point.

    Returns ``(xx, yy, labels)``, three arrays of shape (resolution, resolution),
    ready for ``plt.contourf(xx, yy, labels)``.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_grid(): X must have shape (n, 2); got shape {X.shape}")
    resolution = _positive_int(resolution, "decision_grid(): resolution")
    low = X.min(axis=0) - margin
    high = X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    points = np.column_stack([xx.ravel(), yy.ravel()])
    labels = np.asarray(net.predict(points)).reshape(xx.shape)
    return xx, yy, labels


@dataclass
class SignalPropagation:
    """What happens to a signal and its gradient through a deep stack of dense layers (``signal_propagation``)."""

    activations: list
    preactivations: list
    grad_norms: np.ndarray
    means: np.ndarray
    stds: np.ndarray


def signal_propagation(activation="tanh", depth=20, width=64, init="xavier", n=256, seed=0, **activation_params):
    """Send n inputs x ~ N(0, 1) through ``depth`` dense layers of ``width`` units, then a gradient back.

    Layer l computes z_l = a_{l-1} W_l (biases 0) and a_l = f(z_l): ``acts.nn.Dense``
    layers. The weights are drawn N(0, std^2) with the std of ``init``:
    "xavier" (var 2/(fan_in+fan_out)), "he" (2/fan_in), "lecun" (1/fan_in), or
    a positive float scale (scale^2/fan_in). A fixed random upstream gradient
    g ~ N(0, 1) at the top is back-propagated; ``grad_norms[l]`` is the
    Frobenius norm of the gradient at the input of layer l + 1 (layer 1
    first). Computed in float32: the statistics need three digits, not
    sixteen. Overflow to inf or NaN is allowed: it *is* the answer for an
    exploding configuration.
    """
    act = get(activation)
    depth = _positive_int(depth, "depth")
    width = _positive_int(width, "width")
    n = _positive_int(n, "n")
    weight_std(init, width, width)  # check it before drawing anything
    act(np.zeros(1), **activation_params)  # let the registry check the parameters once

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, width), dtype=np.float32)
    layers = [Dense(width, width, act.name, init, rng, learn_activation=False, dtype=np.float32, **activation_params)
              for _ in range(depth)]
    upstream = rng.standard_normal((n, width), dtype=np.float32)

    with np.errstate(over="ignore", under="ignore", invalid="ignore"), single_threaded_blas():
        activations = [x]
        for layer in layers:
            activations.append(layer.forward(activations[-1]))
        activations = activations[1:]
        grad_norms = np.empty(depth)
        g = upstream
        for i in reversed(range(depth)):
            g = layers[i].backward(g)
            grad_norms[i] = np.sqrt(np.sum(g * g))
        means = np.array([a.mean() for a in activations])
        stds = np.array([a.std() for a in activations])
    return SignalPropagation(activations, [layer.z for layer in layers], grad_norms, means, stds)

"""Looking inside networks: a signal and its gradient through a deep stack.

It uses the layers of ``acts.nn``; nothing here trains. (A net's decision
regions: ``acts.analysis.decision_grid``.)

>>> from acts import diagnostics
>>> result = diagnostics.signal_propagation("tanh", depth=5, width=8, n=16)
>>> result.grad_norms.shape
(5,)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from acts.layers import Dense, weight_std
from acts.mlp import positive_int
from acts.nn import single_threaded_blas
from acts.registry import get


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
    depth = positive_int(depth, "depth")
    width = positive_int(width, "width")
    n = positive_int(n, "n")
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

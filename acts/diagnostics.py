"""Looking inside networks: a signal and its gradient through a deep stack.

It uses the layers of ``acts.nn``; nothing here trains. (A net's decision
regions: ``acts.analysis.decision_grid``.)

>>> from acts import diagnostics
>>> result = diagnostics.signal_propagation("tanh", depth=5, width=8, n=16)
>>> result.grad_norms.shape
(5,)

``SignalPropagator`` is the same computation for a slider: it remembers its
last network, so the next call computes only what changed.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from acts.layers import Dense, weight_std
from acts.mlp import positive_int
from acts.nn import single_threaded_blas
from acts.registry import get

__all__ = ["SignalPropagation", "SignalPropagator", "signal_propagation"]


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

    The draws, from one generator seeded by ``seed``: the inputs, each
    layer's weights in turn (std times standard normals), then the upstream
    gradient.
    """
    return SignalPropagator()(activation, depth, width, init, n, seed, **activation_params)


class _Draws:
    """The standard normals of one (n, width, seed) in the order ``signal_propagation`` draws them: the inputs,
    then layer after layer's weights (drawn when first asked for; the generator's state after each is kept),
    then the upstream gradient, which comes after the last layer's weights, so it depends on the depth."""

    def __init__(self, n: int, width: int, seed):
        self.shape = (n, width)
        self.rng = np.random.default_rng(seed)
        self.x = self.rng.standard_normal(self.shape, dtype=np.float32)
        self.weights: list = []  # standard normals; layer i's weights are std * weights[i]
        self.states: list = []  # the generator's state after weights[i]
        self.upstreams: dict = {}  # depth -> the upstream gradient
        self._moved = False  # True once an upstream gradient was drawn from self.rng after the last weights

    def weight(self, i: int) -> np.ndarray:
        width = self.shape[1]
        if len(self.weights) <= i and self._moved:  # an upstream gradient was drawn since: back to the weights
            self.rng.bit_generator.state = self.states[-1]
        while len(self.weights) <= i:
            self.weights.append(self.rng.standard_normal((width, width), dtype=np.float32))
            self.states.append(self.rng.bit_generator.state)
        return self.weights[i]

    def upstream(self, depth: int) -> np.ndarray:
        if depth not in self.upstreams:
            self.weight(depth - 1)
            if depth == len(self.weights) and not self._moved:  # the stream stands right after layer depth
                rng, self._moved = self.rng, True
            else:  # a generator put where the stream stood after layer depth
                rng = np.random.Generator(type(self.rng.bit_generator)())
                rng.bit_generator.state = self.states[depth - 1]
            self.upstreams[depth] = rng.standard_normal(self.shape, dtype=np.float32)
        return self.upstreams[depth]


class _Stack:
    """``Dense`` layers of one activation and its parameters over one set of draws, with their forward pass
    under one weight std. Layer i's weights are std * draws.weight(i) whatever the depth, so a deeper or
    shallower network shares the layers below; a new std rescales the weights in place and runs forward again."""

    def __init__(self, act, params: dict, draws: _Draws):
        self.act, self.params, self.draws = act, params, draws
        self.layers: list = []
        self.outputs: list = []  # a_l of the layers run forward so far (the valid prefix)
        self.means: list = []
        self.stds: list = []
        self.std = None
        self._scratch = np.random.default_rng(0)  # Dense draws weights when built; these are overwritten

    def forward(self, depth: int, std) -> None:
        """Make the first ``depth`` layers' forward pass the one with weights std * draws."""
        if std != self.std:
            self.std = std
            del self.outputs[:], self.means[:], self.stds[:]
        width = self.draws.shape[1]
        while len(self.layers) < depth:
            self.layers.append(Dense(width, width, self.act.name, "he", self._scratch, learn_activation=False,
                                     dtype=np.float32, **self.params))
        for i in range(len(self.outputs), depth):
            layer = self.layers[i]
            np.multiply(std, self.draws.weight(i), out=layer.weight)  # as Dense does: float32 std times the draws
            a = layer.forward(self.outputs[-1] if self.outputs else self.draws.x)
            self.outputs.append(a)
            self.means.append(a.mean())
            self.stds.append(a.std())

    def backward(self, depth: int) -> np.ndarray:
        """The gradient norm at each layer's input, the upstream gradient of ``depth`` sent down from layer depth."""
        grad_norms = np.empty(depth)
        g = self.draws.upstream(depth)
        for i in reversed(range(depth)):
            g = self.layers[i].backward(g)
            grad_norms[i] = np.sqrt(np.sum(g * g))
        return grad_norms


def _params_key(params: dict):
    """The activation's parameters as a comparable key (None when a value has no exact bytes, e.g. an object)."""
    key = []
    for name, value in sorted(params.items()):
        array = np.asarray(value)
        if array.dtype.kind == "O":
            return None
        key.append((name, array.dtype.str, array.shape, array.tobytes()))
    return tuple(key)


class SignalPropagator:
    """``signal_propagation`` for a slider: called with the same arguments, it gives the same numbers, bit for
    bit, and remembers its last network, so the next call computes only what changed.

    It keeps the standard-normal draws of one (n, width, seed) (the inputs, each layer's weights before they are
    scaled by the init's std, the upstream gradient of each depth) and the ``Dense`` layers of one activation
    and its parameters, with their forward pass under one std. A new depth runs only the layers not yet run
    forward, then the backward pass; a new init rescales the weights in place and runs forward again; a new
    activation builds new layers on the same draws. Results of two calls may share arrays: treat them as
    read-only (``signal_propagation`` builds a new propagator each call). A ``seed`` that is not an integer
    (a Generator, None) is not remembered.
    """

    def __init__(self):
        self._draws_key, self._draws = None, None
        self._stack_key, self._stack = None, None

    def __call__(self, activation="tanh", depth=20, width=64, init="xavier", n=256, seed=0, **activation_params):
        act = get(activation)
        depth = positive_int(depth, "depth")
        width = positive_int(width, "width")
        n = positive_int(n, "n")
        std = np.float32(weight_std(init, width, width))  # checks init before anything is drawn
        act(np.zeros(1), **activation_params)  # let the registry check the parameters once

        keep = isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
        draws_key = (n, width, int(seed)) if keep else None
        if draws_key is None or draws_key != self._draws_key:
            self._draws_key, self._draws = draws_key, _Draws(n, width, seed)
            self._stack_key = None
        params_key = _params_key(activation_params)
        stack_key = None if draws_key is None or params_key is None else (act.name, params_key)
        if stack_key is None or stack_key != self._stack_key:
            self._stack_key, self._stack = stack_key, _Stack(act, activation_params, self._draws)
        stack = self._stack

        with np.errstate(over="ignore", under="ignore", invalid="ignore"), single_threaded_blas():
            stack.forward(depth, std)
            grad_norms = stack.backward(depth)
        return SignalPropagation(stack.outputs[:depth], [layer.z for layer in stack.layers[:depth]], grad_norms,
                                 np.array(stack.means[:depth]), np.array(stack.stds[:depth]))

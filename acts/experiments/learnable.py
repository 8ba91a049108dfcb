"""Notebook 05's experiment helpers: finite differences, maxout fits, parameter counts.

>>> from acts.experiments import learnable
>>> learnable.count_parameters(learnable.dense_layer(4, 3))
15
"""

from __future__ import annotations

import numpy as np

from acts import data, nn


def central_difference(fn, value, h=1e-6):
    """(fn(value + h) - fn(value - h)) / (2 h): the slope of fn at value, from two evaluations."""
    return (fn(value + h) - fn(value - h)) / (2 * h)


def dense_layer(n_in, n_out, seed=0):
    """A real ``nn.Dense`` layer (no activation parameters) of the given sizes."""
    return nn.Dense(n_in, n_out, "relu", rng=seed)


def maxout_layer(n_in, n_out, k, seed=0):
    """A real ``nn.Maxout`` layer of the given sizes with k pieces per unit."""
    return nn.Maxout(n_in, n_out, k, rng=seed)


def count_parameters(layer_or_net) -> int:
    """The number of trainable numbers in a layer or an MLP (the sizes of the arrays of ``parameters()``)."""
    return int(sum(np.size(p) for p in layer_or_net.parameters().values()))


def maxout_fit(target, k, steps=200, lr=0.15, seed=0, n=200):
    """Fit ``target`` ("abs" or "square") on [-3, 3] with ONE maxout unit of k pieces: MLP([1, 1, 1]).

    The output weight starts at +1 (it still trains), so the net starts as the
    convex maxout unit itself: a negative start would flip it to a concave
    function that cannot fit abs or x^2. Returns (net, mse, pieces) where
    ``pieces`` is how many of the k pieces win somewhere on the data.
    """
    X, y = data.regression(target, n=n)
    net = nn.MLP([1, 1, 1], activation="maxout", k=k, seed=seed)
    net.parameters()["layer2.weight"][...] = 1.0
    nn.train(net, X, y, steps=steps, lr=lr)
    mse = float(np.mean((net.predict(X) - y) ** 2))
    hidden = net.layers[0]
    pieces = len(np.unique(np.argmax(hidden.pieces(X), axis=0)))
    return net, mse, pieces


def extra_parameters(activation, sizes=(2, 16, 16, 3), **kwargs) -> int:
    """Parameters of MLP(sizes, activation, **kwargs) minus those of the same ReLU net."""
    return count_parameters(nn.MLP(list(sizes), activation=activation, **kwargs)) - count_parameters(
        nn.MLP(list(sizes), activation="relu"))

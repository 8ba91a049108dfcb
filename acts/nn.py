"""A tiny NumPy network toolkit for the course: a multilayer perceptron, two optimisers, training.

>>> from acts import data, nn
>>> X, y = data.spirals(300, classes=3, seed=0)
>>> net = nn.MLP([2, 32, 32, 3], activation="prelu", seed=0)
>>> list(net.parameters())[:3]
['layer1.weight', 'layer1.bias', 'layer1.alpha']
>>> history = nn.train(net, X, y, steps=200, lr=0.01)
>>> history.loss.shape, history.params["layer1.alpha"].shape
((200,), (201,))

This module is the one place to import the toolkit from. Its parts, each in
its own file, pointing down: the layers (``Dense``, ``Maxout``, ``LayerNorm``,
``Residual``, ``GLU``) and the losses in ``acts.layers``; the optimisers
(``SGD``, ``Adam``) in ``acts.optim``; the stacked network (``MLP``) and the
checks of X and y in ``acts.mlp``; the training loop (``train``, ``History``)
in ``acts.training``.

Many models at once: ``MLP(sizes, seed=[0, 1, ..., 9])`` builds ten nets,
each exactly the net of its seed, stacked on a leading model axis, and
``train`` trains them as one batched computation of the same code. X may then
be shared, shape (N, n_in), or one set per model, shape (10, N, n_in); the
history gains a model axis after the step axis.
"""

from __future__ import annotations

from acts.layers import (
    GATES,
    GLU,
    INITS,
    Dense,
    LayerNorm,
    Maxout,
    Residual,
    block_parameters,
    gated_width,
    mean_squared_error,
    one_hot,
    softmax_cross_entropy,
)
from acts.mlp import LAYERS, MLP, accuracy
from acts.optim import SGD, Adam
from acts.training import SAMPLINGS, History, single_threaded_blas, train

__all__ = ["GATES", "GLU", "INITS", "LAYERS", "SAMPLINGS", "Adam", "Dense", "History", "LayerNorm", "MLP", "Maxout",
           "Residual", "SGD", "accuracy", "block_parameters", "gated_width", "mean_squared_error", "one_hot",
           "single_threaded_blas", "softmax_cross_entropy", "train"]

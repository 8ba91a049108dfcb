r"""Maxout (notebook 05): the largest of k lines, in its one-input view."""

from __future__ import annotations

import numpy as np


def _piece(x, w, b):
    """w x + b; a piece with w = 0 is the constant b (0 * inf would be NaN), NaN still propagating.
    (For the winner; the value needs no order and folds the constants in at the end.)"""
    if w == 0:
        return np.where(np.isnan(x), x, b)
    return w * x + b


def maxout(x, weights=(1.0, 0.0), biases=(0.0, 0.0)):
    r"""Maxout of a scalar input: the largest of k lines; the defaults, pieces x and 0, give ReLU.

    .. math:: \mathrm{maxout}(x) = \max_{j = 1..k}\,(w_j x + b_j)

    Args:
        x: float array.
        weights: slope w_j of each piece (k of them).
        biases: offset b_j of each piece (k of them).

    In a network each piece is a full affine map of the layer's inputs
    (``acts.nn``); here it is the one-input view, which is what can be plotted.

    Example:
        >>> maxout(np.array([-2.0, 3.0]), weights=(1.0, -1.0), biases=(0.0, 0.0))
        array([2., 3.])

    Paper: Goodfellow, Warde-Farley, Mirza, Courville & Bengio 2013, Maxout Networks, arXiv:1302.4389
    """
    lines = [(w, b) for w, b in zip(weights, biases) if w != 0]
    flat = [b for w, b in zip(weights, biases) if w == 0]  # constant pieces: no 0 * inf, one maximum
    if not lines:
        return np.where(np.isnan(x), x, max(flat))
    with np.errstate(over="ignore"):  # w x + b beyond the largest float: the true value is beyond it too
        value = lines[0][0] * x + lines[0][1]
        for w, b in lines[1:]:
            value = np.maximum(value, w * x + b)
    return np.maximum(value, max(flat)) if flat else value


def _maxout_winner(x, weights, biases):
    """Index of the winning piece at each x: a later piece wins only if strictly larger,
    so on a tie the first piece wins (as PyTorch's max over a dimension)."""
    value = _piece(x, weights[0], biases[0])
    winner = np.zeros(np.shape(value), dtype=np.intp)
    for j in range(1, len(weights)):
        piece = _piece(x, weights[j], biases[j])
        wins = piece > value
        value = np.where(wins, piece, value)
        winner[wins] = j
    return winner


def maxout_grad(x, weights=(1.0, 0.0), biases=(0.0, 0.0)):
    """The winning piece's slope w_j (on a tie, the first piece's)."""
    return np.asarray(weights, dtype=x.dtype)[_maxout_winner(x, weights, biases)]


def maxout_param_grads(x, weights=(1.0, 0.0), biases=(0.0, 0.0)):
    """d f / d w_j = x and d f / d b_j = 1 for the winning piece, 0 for the others.

    Both arrays have x's shape plus a trailing axis of length k.
    """
    one_hot = _maxout_winner(x, weights, biases)[..., np.newaxis] == np.arange(len(weights))
    d_w = np.where(one_hot, x[..., np.newaxis], np.zeros((), x.dtype))
    return {"weights": d_w, "biases": one_hot.astype(x.dtype)}

"""The optimisers of ``acts.nn``: gradient descent with momentum and Adam, each updating its arrays in place.

Both take {name: live array} and, at each ``step``, {name: gradient}. The
learning rate is a number, or one per model when the arrays carry a leading
model axis (``acts.nn.MLP(sizes, seed=[...])``).
"""

from __future__ import annotations

import numpy as np


def _per_model(lr, p):
    """A learning rate shaped to broadcast against parameter p: a number, or one per model on p's leading axis."""
    return lr if np.ndim(lr) == 0 else lr.reshape(lr.shape + (1,) * (p.ndim - lr.ndim))


class SGD:
    """Gradient descent with momentum: v = momentum v + g; p -= lr v (momentum 0: plain gradient descent)."""

    def __init__(self, params: dict, lr, momentum: float = 0.0):
        self.params, self.momentum = params, momentum
        self.lr = {name: _per_model(lr, p) for name, p in params.items()}
        self.velocity = {name: np.zeros_like(p) for name, p in params.items()}
        self._slots = [(name, p, self.lr[name], self.velocity[name]) for name, p in params.items()]

    def step(self, grads: dict):
        for name, p, lr, v in self._slots:
            v *= self.momentum
            v += grads[name]
            p -= lr * v


class Adam:
    """Adam (Kingma & Ba 2015): steps scaled by running averages of the gradient and of its square."""

    def __init__(self, params: dict, lr, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        self.params, self.beta1, self.beta2, self.eps = params, beta1, beta2, eps
        self.lr = {name: _per_model(lr, p) for name, p in params.items()}
        self.m = {name: np.zeros_like(p) for name, p in params.items()}  # running mean of the gradient
        self.v = {name: np.zeros_like(p) for name, p in params.items()}  # running mean of its square
        self.t = 0
        self._slots = [(name, p, self.lr[name], self.m[name], self.v[name]) for name, p in params.items()]

    def step(self, grads: dict):
        self.t += 1
        for name, p, lr, m, v in self._slots:
            g = grads[name]
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * (g * g)
            m_hat = m / (1.0 - self.beta1**self.t)  # bias corrections: m and v start at 0
            v_hat = v / (1.0 - self.beta2**self.t)
            p -= lr * m_hat / (np.sqrt(v_hat) + self.eps)


OPTIMIZERS = {"adam": Adam, "sgd": SGD}

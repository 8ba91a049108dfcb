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
    """Adam (Kingma & Ba 2015): steps scaled by running averages of the gradient and of its square.

    The running averages of every parameter sit side by side in one flat array, so a step is a dozen NumPy
    calls whatever the number of parameter arrays (the arithmetic is elementwise, so the result is the same,
    bit for bit, as updating the arrays one by one; ``m`` and ``v`` hold each parameter's view of them).
    """

    def __init__(self, params: dict, lr, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        self.params, self.beta1, self.beta2, self.eps = params, beta1, beta2, eps
        models = () if np.ndim(lr) == 0 else np.shape(lr)  # a per-model rate: the flat arrays keep the model axis
        self.lr = lr if np.ndim(lr) == 0 else np.reshape(lr, models + (1,))
        sizes = [p[(0,) * len(models)].size for p in params.values()]
        self._ends = np.cumsum(sizes)
        self._flat_shape = models + (int(self._ends[-1]) if sizes else 0,)
        dtype = np.result_type(*params.values()) if params else float
        self._g = np.zeros(self._flat_shape, dtype)
        self._m, self._v = np.zeros(self._flat_shape, dtype), np.zeros(self._flat_shape, dtype)
        spans = [(end - size, end) for size, end in zip(sizes, self._ends)]
        self.m = {name: self._m[..., a:b].reshape(p.shape) for (name, p), (a, b) in zip(params.items(), spans)}
        self.v = {name: self._v[..., a:b].reshape(p.shape) for (name, p), (a, b) in zip(params.items(), spans)}
        self._slots = [(name, p, a, b, models + (b - a,)) for (name, p), (a, b) in zip(params.items(), spans)]
        self.t = 0

    def step(self, grads: dict):
        self.t += 1
        g, m, v = self._g, self._m, self._v
        for name, _p, a, b, shape in self._slots:  # gather every gradient into one flat array
            g[..., a:b] = grads[name].reshape(shape)
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * (g * g)
        m_hat = m / (1.0 - self.beta1**self.t)  # bias corrections: m and v start at 0
        v_hat = v / (1.0 - self.beta2**self.t)
        update = self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        for _name, p, a, b, _shape in self._slots:
            p -= update[..., a:b].reshape(p.shape)


OPTIMIZERS = {"adam": Adam, "sgd": SGD}

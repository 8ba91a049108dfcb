"""A tiny NumPy network toolkit for the course's demos: layers, a multilayer perceptron, training.

>>> from acts import data, nn
>>> X, y = data.spirals(300, classes=3, seed=0)
>>> net = nn.MLP([2, 32, 32, 3], activation="prelu", seed=0)
>>> sorted(net.parameters())[:3]
['layer1.alpha', 'layer1.bias', 'layer1.weight']
>>> history = nn.train(net, X, y, steps=200, lr=0.01)
>>> history.loss.shape, history.params["layer1.alpha"].shape
((200,), (201,))

Read it top to bottom: initialisation, the two layer types (``Dense`` and
``Maxout``), the network (``MLP``), the losses, the optimizers (``SGD``,
``Adam``), the training loop (``train`` and its ``History``), and two tools
for the notebooks: ``decision_grid`` and ``signal_propagation``.

Every hidden activation comes from the registry (``acts.get(name)``): the
forward pass uses its value, the backward pass its derivative ``grad`` and,
for learnable parameters (PReLU's alpha, Swish's beta), its ``param_grads``.
Everything is float64, vectorised over the batch, and deterministic given the seeds.
"""

from __future__ import annotations

import ctypes
import glob
import numbers
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from acts.registry import get

INITS = ("he", "xavier", "lecun")


# ---------------------------------------------------------------- initialisation


def _weight_std(init, fan_in: int, fan_out: int) -> float:
    """Standard deviation of the initial weights for a named scheme or a float scale."""
    if isinstance(init, str):
        if init == "he":  # He et al. 2015: keeps the variance through ReLU layers
            return np.sqrt(2.0 / fan_in)
        if init == "xavier":  # Glorot & Bengio 2010: keeps it through tanh layers, both ways
            return np.sqrt(2.0 / (fan_in + fan_out))
        if init == "lecun":  # LeCun et al. 1998: the one SELU needs
            return np.sqrt(1.0 / fan_in)
    elif isinstance(init, numbers.Real) and not isinstance(init, bool) and np.isfinite(init) and init > 0:
        return float(init) / np.sqrt(fan_in)
    raise ValueError(f"init must be one of {', '.join(map(repr, INITS))} or a positive number (a scale); got {init!r}")


def default_init(activation: str) -> str:
    """The textbook initialisation for an activation: LeCun for SELU, Xavier for the saturating ones, He otherwise."""
    if activation == "selu":
        return "lecun"
    if activation in ("sigmoid", "tanh", "hard_sigmoid"):
        return "xavier"
    return "he"


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def _value_and_grad(act, z, params):
    """(f(z), f'(z)) through the registry, in one pass when the registry offers it."""
    if hasattr(act, "value_and_grad"):
        return act.value_and_grad(z, **params)
    return act(z, **params), act.grad(z, **params)


def _sum_to_shape(g, shape):
    """Sum a gradient over the axes along which a parameter of ``shape`` was broadcast."""
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


# ---------------------------------------------------------------- layers


class Dense:
    """A fully connected layer: z = x W + b, then a = f(z) for a registered activation f (or none).

    ``weight`` has shape (n_in, n_out), ``bias`` shape (n_out,). Learnable
    activation parameters (``act.learnable``: PReLU's alpha, Swish's beta) are
    trained with the weights: one value per layer (a 0-d array), or one per
    unit (shape (n_out,)) with ``per_unit=True``. Other activation parameters
    (ELU's alpha, the leaky slope, ...) are fixed values.
    """

    def __init__(self, n_in, n_out, activation=None, init="he", rng=None, bias_init=0.0, per_unit=False,
                 learn_activation=True, **activation_params):
        rng = np.random.default_rng(rng)
        self.weight = _weight_std(init, n_in, n_out) * rng.standard_normal((n_in, n_out))
        self.bias = np.full(n_out, float(bias_init))
        self.act = None if activation is None else get(activation)
        self.fixed = {}  # activation parameters that stay as given
        self.learned = {}  # activation parameters trained with the weights: name -> live array
        if self.act is None:
            if activation_params:
                raise TypeError(f"activation parameters {sorted(activation_params)} given without an activation")
            return
        self.act(np.zeros(1), **activation_params)  # the registry checks names and values once, here
        for name, spec in self.act.params.items():
            value = activation_params.get(name, spec.default)
            if name in self.act.learnable and learn_activation:
                shape = (n_out,) if per_unit else ()
                self.learned[name] = np.array(np.broadcast_to(np.asarray(value, dtype=float), shape))
            elif name in activation_params:
                self.fixed[name] = value

    def parameters(self) -> dict:
        return {"weight": self.weight, "bias": self.bias, **self.learned}

    def _act_params(self):
        return {**self.fixed, **self.learned}

    def __call__(self, x):
        """The layer's output for input x (no bookkeeping for a backward pass)."""
        z = x @ self.weight + self.bias
        return z if self.act is None else self.act(z, **self._act_params())

    def forward(self, x):
        """The output, remembering what the backward pass needs: the input and f'(z)."""
        z = x @ self.weight + self.bias
        self.x, self.z = x, z
        if self.act is None:
            self.slope = None
            return z
        a, self.slope = _value_and_grad(self.act, z, self._act_params())
        return a

    def backward(self, grad_a):
        """Given dL/da, store dL/dparameter in ``self.grads`` and return dL/dx."""
        grad_z = grad_a if self.slope is None else grad_a * self.slope
        self.grads = {"weight": self.x.T @ grad_z, "bias": grad_z.sum(axis=0)}
        if self.learned:
            d_params = self.act.param_grads(self.z, **self._act_params())
            for name, value in self.learned.items():
                self.grads[name] = _sum_to_shape(grad_a * d_params[name], value.shape)
        return grad_z @ self.weight.T

    def dead(self):
        """Per unit, after ``forward``: True where f'(z) = 0 for every example (no gradient reaches the unit)."""
        if self.slope is None:
            return np.zeros(self.weight.shape[1], dtype=bool)
        return np.all(self.slope == 0, axis=0)


class Maxout:
    """A maxout layer (Goodfellow et al. 2013): unit j outputs max over k pieces i of (x W_i + b_i)_j.

    ``weight`` has shape (k, n_in, n_out): one affine map per piece; ``bias``
    shape (k, n_out). With k = 2 and one piece fixed at 0 it would be ReLU;
    here every piece is learned, so each unit is a learned convex
    piecewise-linear function of its input.
    """

    def __init__(self, n_in, n_out, k=2, init="he", rng=None, bias_init=0.0):
        rng = np.random.default_rng(rng)
        self.weight = _weight_std(init, n_in, n_out) * rng.standard_normal((k, n_in, n_out))
        self.bias = np.full((k, n_out), float(bias_init))

    def parameters(self) -> dict:
        return {"weight": self.weight, "bias": self.bias}

    def _pieces(self, x):
        return x @ self.weight + self.bias[:, np.newaxis, :]  # shape (k, batch, n_out)

    def __call__(self, x):
        return self._pieces(x).max(axis=0)

    def forward(self, x):
        pieces = self._pieces(x)
        winner = np.argmax(pieces, axis=0)  # the first piece on ties, as PyTorch's max(dim)
        self.x = x
        self.winner = np.arange(len(pieces))[:, np.newaxis, np.newaxis] == winner
        return np.take_along_axis(pieces, winner[np.newaxis], axis=0)[0]

    def backward(self, grad_a):
        """The gradient flows only through the winning piece of each unit."""
        grad_pieces = self.winner * grad_a  # shape (k, batch, n_out)
        self.grads = {"weight": self.x.T @ grad_pieces, "bias": grad_pieces.sum(axis=1)}
        return (grad_pieces @ self.weight.transpose(0, 2, 1)).sum(axis=0)

    def dead(self):
        """A maxout unit always passes gradient to its winning piece: never dead."""
        return np.zeros(self.weight.shape[2], dtype=bool)


# ---------------------------------------------------------------- losses


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of softmax(logits) against integer labels, and its gradient dL/dlogits."""
    shifted = logits - logits.max(axis=1, keepdims=True)  # softmax does not change; exp cannot overflow
    log_norm = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_probs = shifted - log_norm
    rows = np.arange(len(labels))
    loss = -log_probs[rows, labels].mean()
    grad = np.exp(log_probs)
    grad[rows, labels] -= 1.0
    return loss, grad / len(labels)


def mean_squared_error(outputs, targets):
    """Mean of (output - target)^2 over every element, and its gradient."""
    diff = outputs - targets
    return np.mean(diff * diff), (2.0 / diff.size) * diff


# ---------------------------------------------------------------- the network


class MLP:
    """A multilayer perceptron: ``sizes = [n_in, hidden..., n_out]``, a registered activation on every hidden layer.

    ``MLP([2, 32, 32, 3], activation="prelu", per_unit=True)``: two hidden
    layers of 32 PReLU units, each with its own alpha, and 3 linear outputs
    (logits). The output layer has no activation: the loss brings softmax
    (classification) or nothing (regression).

    ``init``: "he", "xavier", "lecun" or a positive float scale (weights
    N(0, scale^2 / fan_in)); None picks the textbook one for the activation
    (``default_init``). ``bias_init``: the initial value of every hidden bias
    (negative values make dead ReLUs). ``learn_activation=False`` keeps PReLU's
    alpha and Swish's beta fixed. ``activation="maxout"`` builds ``Maxout``
    layers of ``k`` pieces (default 2). Any other keyword is a parameter of the
    activation (``slope=0.2`` for leaky_relu, ``alpha=0.1`` as PReLU's initial alpha).

    Layers are named layer1, layer2, ... (the output layer last); their
    parameters ``layer1.weight``, ``layer1.bias``, ``layer1.alpha``, ...
    """

    def __init__(self, sizes, activation="relu", seed=0, init=None, bias_init=0.0, per_unit=False,
                 learn_activation=True, k=None, **activation_params):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
            raise ValueError(f"sizes must be a list of at least two layer widths, like [2, 32, 3]; got {sizes!r}")
        self.sizes = [_positive_int(size, f"sizes[{i}]") for i, size in enumerate(sizes)]
        act = get(activation)  # an unknown name raises a KeyError that lists the valid ones
        self.activation = act.name
        init = default_init(act.name) if init is None else init
        _weight_std(init, 1, 1)  # check it before building anything
        if k is not None and act.name != "maxout":
            raise TypeError(f"k (the number of maxout pieces) only applies to activation='maxout'; got k={k!r} "
                            f"with activation={act.name!r}")
        if act.name == "maxout":
            if activation_params:
                raise TypeError(f"activation='maxout' takes k (pieces per unit), not {sorted(activation_params)}: "
                                f"its weights and biases are the layer's own")
            k = 2 if k is None else _positive_int(k, "k")
        rng = np.random.default_rng(seed)
        self.layers = []
        for n_in, n_out in zip(self.sizes[:-2], self.sizes[1:-1]):
            if act.name == "maxout":
                layer = Maxout(n_in, n_out, k, init, rng, bias_init)
            else:
                layer = Dense(n_in, n_out, act.name, init, rng, bias_init, per_unit, learn_activation,
                              **activation_params)
            self.layers.append(layer)
        self.layers.append(Dense(self.sizes[-2], self.sizes[-1], None, init, rng))

    def __repr__(self):
        return f"MLP({self.sizes}, activation={self.activation!r})"

    def parameters(self) -> dict:
        """Every trainable array, live (edit it and the net changes): {"layer1.weight": ..., ...}."""
        return {f"layer{i}.{name}": value for i, layer in enumerate(self.layers, start=1)
                for name, value in layer.parameters().items()}

    def __call__(self, X):
        """The outputs (logits, or values for regression), shape (n, sizes[-1])."""
        a = _check_X(self, X, "net(X)")
        for layer in self.layers:
            a = layer(a)
        return a

    def predict(self, X):
        """Labels (argmax of the logits) when the net has 2+ outputs; values, shape (n,), with one output."""
        outputs = self(X)
        return outputs[:, 0] if outputs.shape[1] == 1 else np.argmax(outputs, axis=1)

    def forward(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, grad):
        for layer in reversed(self.layers):
            grad = layer.backward(grad)

    def _loss_and_gradients(self, X, y):
        """Forward, loss, backward for checked data: (loss, outputs, {name: gradient})."""
        outputs = self.forward(X)
        loss_fn = softmax_cross_entropy if y.dtype.kind == "i" else mean_squared_error
        loss, grad = loss_fn(outputs, y)
        self.backward(grad)
        grads = {f"layer{i}.{name}": g for i, layer in enumerate(self.layers, start=1)
                 for name, g in layer.grads.items()}
        return loss, outputs, grads

    def gradients(self, X, y):
        """(loss, {name: dloss/dparameter}) over the whole batch.

        Integer labels y of shape (n,): softmax cross-entropy. Float targets of
        shape (n,) (one output) or (n, n_out): mean squared error.
        """
        X = _check_X(self, X, "gradients()")
        y = _check_y(self, y, len(X), "gradients()")
        loss, _, grads = self._loss_and_gradients(X, y)
        return float(loss), grads

    def dead_fraction(self, X):
        """Per hidden layer, the fraction of units with f'(z) = 0 on every row of X."""
        self.forward(_check_X(self, X, "dead_fraction()"))
        return self._dead_fraction()

    def _dead_fraction(self):
        """The same, for the rows of the last ``forward``."""
        return np.array([layer.dead().mean() for layer in self.layers[:-1]])


def accuracy(net, X, y) -> float:
    """The fraction of rows of X whose predicted label equals y."""
    y = _check_y(net, y, len(_check_X(net, X, "accuracy()")), "accuracy()")
    return float(np.mean(net.predict(X) == y))


# ---------------------------------------------------------------- checking the data


def _check_X(net, X, where):
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{where}: X must be an array of numbers of shape (n, {net.sizes[0]}); got {exc}") from None
    if X.ndim == 1 and net.sizes[0] == 1:
        X = X[:, np.newaxis]
    if X.ndim != 2 or X.shape[1] != net.sizes[0]:
        raise ValueError(f"{where}: X must have shape (n, {net.sizes[0]}) (the net's input size sizes[0] = "
                         f"{net.sizes[0]}); got shape {X.shape}")
    if len(X) == 0:
        raise ValueError(f"{where}: X has no rows")
    bad = ~np.isfinite(X)
    if bad.any():
        row = int(np.argwhere(bad)[0, 0])
        raise ValueError(f"{where}: X must be finite; row {row} is {X[row].tolist()} (NaN or inf)")
    return X


def _check_y(net, y, n, where):
    y = np.asarray(y)
    if y.dtype.kind == "b" or y.dtype.kind not in "iuf":
        raise TypeError(f"{where}: y must hold integer labels (classification) or float targets (regression); "
                        f"got dtype {y.dtype}")
    if len(y) != n if y.ndim else True:
        raise ValueError(f"{where}: y must have one entry per row of X ({n}); got shape {y.shape}")
    n_out = net.sizes[-1]
    if y.dtype.kind in "iu":
        if y.ndim != 1:
            raise ValueError(f"{where}: integer labels y must have shape ({n},); got shape {y.shape}")
        if n_out < 2:
            raise ValueError(f"{where}: integer labels need a net with at least 2 outputs (one per class); "
                             f"this one has {n_out}; give float targets for regression")
        outside = (y < 0) | (y >= n_out)
        if outside.any():
            i = int(np.argmax(outside))
            raise ValueError(f"{where}: labels y must be in 0..{n_out - 1} (the net has {n_out} outputs); "
                             f"y[{i}] = {y[i]}")
        return y.astype(np.int64)
    if not np.isfinite(y).all():
        i = int(np.argmax(~np.isfinite(y).reshape(n, -1).any(axis=1)))
        raise ValueError(f"{where}: y must be finite; y[{i}] is NaN or inf")
    y = y.astype(float)
    if y.ndim == 1:
        y = y[:, np.newaxis]
    if y.shape != (n, n_out):
        raise ValueError(f"{where}: float targets y must have shape ({n},) or ({n}, {n_out}); got {y.shape}")
    return y


# ---------------------------------------------------------------- optimizers


class Optimizer:
    """Updates a dict of live parameter arrays in place from a dict of gradients.

    The arrays are small and many, so the update is computed once on one flat
    vector holding every gradient, then written back piece by piece.
    """

    def __init__(self, params: dict, lr: float):
        self.params, self.lr = params, lr
        self.size = sum(p.size for p in params.values())

    def step(self, grads: dict):
        g = np.concatenate([grads[name].ravel() for name in self.params])
        update = self.update(g)
        start = 0
        for p in self.params.values():
            p -= update[start:start + p.size].reshape(p.shape)
            start += p.size


class SGD(Optimizer):
    """Gradient descent with momentum: v = momentum v + g; p -= lr v (momentum 0: plain gradient descent)."""

    def __init__(self, params: dict, lr: float, momentum: float = 0.0):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = np.zeros(self.size)

    def update(self, g):
        self.velocity *= self.momentum
        self.velocity += g
        return self.lr * self.velocity


class Adam(Optimizer):
    """Adam (Kingma & Ba 2014): steps scaled by running averages of the gradient and of its square."""

    def __init__(self, params: dict, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(params, lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m = np.zeros(self.size)  # running mean of the gradient
        self.v = np.zeros(self.size)  # running mean of its square
        self.t = 0

    def update(self, g):
        self.t += 1
        self.m *= self.beta1
        self.m += (1.0 - self.beta1) * g
        self.v *= self.beta2
        self.v += (1.0 - self.beta2) * (g * g)
        m_hat = self.m / (1.0 - self.beta1**self.t)  # bias corrections: m and v start at 0
        v_hat = self.v / (1.0 - self.beta2**self.t)
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


OPTIMIZERS = {"adam": Adam, "sgd": SGD}


# ---------------------------------------------------------------- training


@dataclass
class History:
    """What happened during ``train``, ready to plot.

    ``loss``, ``accuracy``: per step, on the batch of that step, before its
    update (accuracy is NaN for regression). ``params``: {name: array} with
    the value of each learnable activation parameter before every step and
    after the last (steps + 1 rows). ``grad_norms``: (steps, layers), the norm
    of each layer's weight gradient. ``dead_steps``, ``dead_trace``: the
    fraction of dead units per hidden layer on the whole training set, measured
    every ``every`` steps and at the end; ``dead_fraction`` is the last row.
    ``layers``: the layer names. Entries not reached yet are NaN, so a
    callback can plot ``history.loss`` while training runs.
    """

    loss: np.ndarray
    accuracy: np.ndarray
    params: dict
    grad_norms: np.ndarray
    layers: list
    dead_steps: list = field(default_factory=list)
    dead_trace: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def dead_fraction(self) -> np.ndarray:
        """Per hidden layer, the fraction of dead units at the end of training."""
        return self.dead_trace[-1]


def _check_number(value, name, low=None, low_open=True, high=None, high_open=True):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if not ok:
        limits = []
        if low is not None:
            limits.append(f"{'>' if low_open else '>='} {low}")
        if high is not None:
            limits.append(f"{'<' if high_open else '<='} {high}")
        raise ValueError(f"train(): {name} must be a finite number {' and '.join(limits)}; got {value!r}")
    return float(value)


def train(net, X, y, steps=1000, lr=0.01, optimizer="adam", momentum=0.0, batch_size=None, seed=0,
          every=10, callback=None) -> History:
    """Train ``net`` in place on (X, y) and return its ``History``.

    ``optimizer``: "adam" or "sgd" (``momentum`` is SGD's; Adam uses beta1 =
    0.9, beta2 = 0.999). ``batch_size`` None trains on the full batch every
    step; a number draws mini-batches from a shuffled order (reshuffled every
    epoch with ``seed``). Every ``every`` steps, dead units are counted on the
    whole of X and ``callback(step, history)`` is called, if given (``step``:
    the number of steps done), for a progress bar. Every argument is checked
    before the first step.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"train(): net must be an acts.nn.MLP; got {type(net).__name__}")
    X = _check_X(net, X, "train()")
    y = _check_y(net, y, len(X), "train()")
    steps = _positive_int(steps, "train(): steps")
    lr = _check_number(lr, "lr", low=0)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"train(): optimizer must be one of {', '.join(map(repr, OPTIMIZERS))}; got {optimizer!r}")
    momentum = _check_number(momentum, "momentum", low=0, low_open=False, high=1)
    if batch_size is not None:
        batch_size = min(_positive_int(batch_size, "train(): batch_size"), len(X))
    every = _positive_int(every, "train(): every")
    if callback is not None and not callable(callback):
        raise TypeError(f"train(): callback must be a function callback(step, history) or None; got {callback!r}")

    params = net.parameters()
    opt = Adam(params, lr) if optimizer == "adam" else SGD(params, lr, momentum)
    traced = {name: p for name, p in params.items() if not name.endswith((".weight", ".bias"))}
    weights = [name for name in params if name.endswith(".weight")]
    history = History(
        loss=np.full(steps, np.nan), accuracy=np.full(steps, np.nan),
        params={name: np.full((steps + 1, *p.shape), np.nan) for name, p in traced.items()},
        grad_norms=np.full((steps, len(weights)), np.nan), layers=[w.removesuffix(".weight") for w in weights],
    )
    classification = y.dtype.kind == "i"
    rng = np.random.default_rng(seed)
    order, position = None, len(X)
    start = time.perf_counter()
    with np.errstate(over="ignore", under="ignore"), single_threaded_blas():
        for step in range(steps):
            if batch_size is None:
                xb, yb = X, y
            else:
                if position + batch_size > len(X):
                    order, position = rng.permutation(len(X)), 0
                rows = order[position:position + batch_size]
                position += batch_size
                xb, yb = X[rows], y[rows]
            for name, p in traced.items():
                history.params[name][step] = p
            loss, outputs, grads = net._loss_and_gradients(xb, yb)
            if step % every == 0:  # dead units on the whole of X, with the parameters of this step
                history.dead_steps.append(step)
                history.dead_trace.append(net._dead_fraction() if batch_size is None else net.dead_fraction(X))
            history.loss[step] = loss
            if classification:
                history.accuracy[step] = np.mean(np.argmax(outputs, axis=1) == yb)
            history.grad_norms[step] = [np.sqrt(np.sum(grads[w] * grads[w])) for w in weights]
            opt.step(grads)
            if callback is not None and ((step + 1) % every == 0 or step + 1 == steps):
                callback(step + 1, history)
        for name, p in traced.items():
            history.params[name][steps] = p
        history.dead_steps.append(steps)
        history.dead_trace.append(net.dead_fraction(X))
    history.dead_steps = np.array(history.dead_steps)
    history.dead_trace = np.array(history.dead_trace)
    history.seconds = time.perf_counter() - start
    return history


# ---------------------------------------------------------------- one BLAS thread for tiny matrices


def _openblas_thread_setter():
    """The thread-count functions of the OpenBLAS inside NumPy's wheel, or None (another BLAS, or not found)."""
    folder = os.path.dirname(np.__file__)
    for path in glob.glob(os.path.join(folder, os.pardir, "numpy.libs", "*openblas*")) + glob.glob(
            os.path.join(folder, ".dylibs", "*openblas*")):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("64_", ""):
                get_n, set_n = f"{prefix}get_num_threads{suffix}", f"{prefix}set_num_threads{suffix}"
                if hasattr(lib, get_n) and hasattr(lib, set_n):
                    return getattr(lib, get_n), getattr(lib, set_n)
    return None


_OPENBLAS = _openblas_thread_setter()


@contextmanager
def single_threaded_blas():
    """Run the matrix products on one thread for the duration of a ``with`` block.

    The demo networks multiply matrices of a few dozen columns: splitting them
    over threads costs more than it saves, and much more when another process
    keeps a core busy (a 2-64-64-3 net on 600 points trained 7x slower on two
    threads on the course's 2-core test machine). Results are identical either
    way; this only changes the speed. A no-op for BLAS libraries other than
    the OpenBLAS of NumPy's wheels.
    """
    if _OPENBLAS is None:
        yield
        return
    get_threads, set_threads = _OPENBLAS
    before = get_threads()
    set_threads(1)
    try:
        yield
    finally:
        set_threads(before)


# ---------------------------------------------------------------- tools for the notebooks


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
    with np.errstate(over="ignore", under="ignore", invalid="ignore"), single_threaded_blas():
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

"""A tiny NumPy network toolkit for the course: a multilayer perceptron, two optimisers, training.

>>> from acts import data, nn
>>> X, y = data.spirals(300, classes=3, seed=0)
>>> net = nn.MLP([2, 32, 32, 3], activation="prelu", seed=0)
>>> list(net.parameters())[:3]
['layer1.weight', 'layer1.bias', 'layer1.alpha']
>>> history = nn.train(net, X, y, steps=200, lr=0.01)
>>> history.loss.shape, history.params["layer1.alpha"].shape
((200,), (201,))

The layers (``Dense``, ``Maxout``, ``LayerNorm``, ``Residual``, ``GLU``) and
the losses live in ``acts.layers``, the optimisers (``SGD``, ``Adam``) in
``acts.optim``; this module stacks the layers (``MLP``) and trains them
(``train``, ``History``).

Many models at once: ``MLP(sizes, seed=[0, 1, ..., 9])`` builds ten nets,
each exactly the net of its seed, stacked on a leading model axis, and
``train`` trains them as one batched computation of the same code. X may then
be shared, shape (N, n_in), or one set per model, shape (10, N, n_in); the
history gains a model axis after the step axis.
"""

from __future__ import annotations

import functools
import numbers
import time
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import ThreadpoolController

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
    init_of,
    mean_squared_error,
    models,
    softmax_cross_entropy,
    weight_std,
)
from acts.optim import OPTIMIZERS, SGD, Adam
from acts.registry import get

__all__ = ["GATES", "GLU", "INITS", "LAYERS", "Adam", "Dense", "History", "LayerNorm", "MLP", "Maxout", "Residual",
           "SGD", "accuracy", "block_parameters", "gated_width", "mean_squared_error", "single_threaded_blas",
           "softmax_cross_entropy", "train"]

LAYERS = ("dense", "maxout", *GATES)


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def single_threaded_blas():
    """A ``with`` block in which the matrix products run on one thread.

    The course's networks multiply matrices of a few dozen columns: splitting
    them over threads costs more than it saves (``bench/train_speed.py``
    measures it). Results are identical either way; only the speed changes.
    """
    return _threadpools().limit(limits=1, user_api="blas")


@functools.cache
def _threadpools():
    """The thread pools of the loaded libraries (NumPy's BLAS among them), found once: the search takes 0.4 ms."""
    return ThreadpoolController()


# ---------------------------------------------------------------- the network


class MLP:
    """A multilayer perceptron: ``sizes = [n_in, hidden..., n_out]``, a registered activation on every hidden layer.

    ``MLP([2, 32, 32, 3], activation="prelu", per_unit=True)``: two hidden
    layers of 32 PReLU units, each with its own alpha, and 3 linear outputs
    (logits). The output layer has no activation: the loss brings softmax
    (classification) or nothing (regression).

    ``init``: "he", "xavier", "lecun" or a positive float scale (weights
    N(0, scale^2 / fan_in)); None takes the activation's own
    (``acts.get(name).init``). ``bias_init``: the initial value of every hidden
    bias. ``learn_activation=False`` keeps PReLU's alpha and Swish's beta
    fixed. Any other keyword is a parameter of the activation (``slope=0.2``
    for leaky_relu, ``alpha=0.1`` as PReLU's initial alpha).

    ``layer``: the hidden layers' kind: "dense" (the default); "maxout"
    (``k`` pieces per unit, default 2; ``activation="maxout"`` says the
    same); or a gated unit "glu", "reglu", "geglu", "swiglu" (``GLU``; its
    gate fixes the activation). ``norm=True`` adds layer normalisation to
    every hidden layer: between z and f(z) in a dense layer, on the input of a
    gated one (pre-norm). ``residual=True`` adds x to the output of every
    hidden layer whose input and output widths are equal.

    ``seed``: an integer, or a list of S integers for S independent nets
    stacked on a leading model axis. Layers are named layer1, layer2, ...
    (the output layer last); their parameters ``layer1.weight``,
    ``layer1.bias``, ``layer1.alpha``, ...
    """

    def __init__(self, sizes, activation=None, seed=0, init=None, bias_init=0.0, per_unit=False,
                 learn_activation=True, k=None, layer="dense", norm=False, residual=False, **activation_params):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
            raise ValueError(f"sizes must be a list of at least two layer widths, like [2, 32, 3]; got {sizes!r}")
        self.sizes = [_positive_int(size, f"sizes[{i}]") for i, size in enumerate(sizes)]
        if layer not in LAYERS:
            raise ValueError(f"layer must be one of {', '.join(map(repr, LAYERS))}; got {layer!r}")
        if activation is not None and get(activation).name == "maxout":
            layer = "maxout"
        if layer in GATES and activation is not None:
            raise TypeError(f"layer={layer!r} brings its own gate activation ({GATES[layer]}); drop activation=")
        act = get(GATES.get(layer, "maxout" if layer == "maxout" else activation or "relu"))
        self.activation, self.layer = act.name, layer
        init = init_of(act.name) if init is None else init
        weight_std(init, 1, 1)  # check it before building anything
        if k is not None and layer != "maxout":
            raise TypeError(f"k (the number of maxout pieces) only applies to activation='maxout'; got k={k!r} "
                            f"with activation={act.name!r}")
        if layer != "dense" and activation_params:
            raise TypeError(f"layer={layer!r} takes no activation parameters; got {sorted(activation_params)}")
        if layer == "maxout" and norm:
            raise TypeError("norm=True applies to dense and gated layers, not to maxout")
        k = 2 if k is None else _positive_int(k, "k")
        if isinstance(seed, (list, tuple, range)):
            rng = [np.random.default_rng(s) for s in seed]
            if not rng:
                raise ValueError("seed must be an integer or a non-empty list of integers; got an empty list")
        else:
            rng = np.random.default_rng(seed)
        self.lead = models(rng)
        self.layers = []
        for n_in, n_out in zip(self.sizes[:-2], self.sizes[1:-1]):
            if layer == "maxout":
                hidden = Maxout(n_in, n_out, k, init, rng, bias_init)
            elif layer in GATES:
                hidden = GLU(n_in, n_out, layer, init, rng, bias_init, norm)
            else:
                hidden = Dense(n_in, n_out, act.name, init, rng, bias_init, per_unit, learn_activation, norm,
                               **activation_params)
            self.layers.append(Residual(hidden) if residual and n_in == n_out else hidden)
        self.layers.append(Dense(self.sizes[-2], self.sizes[-1], None, init, rng))

    def __repr__(self):
        return f"MLP({self.sizes}, activation={self.activation!r}, layer={self.layer!r})"

    def parameters(self, kind=None) -> dict:
        """Every trainable array, live (edit it and the net changes): {"layer1.weight": ..., ...}.

        ``kind``: only the "weight", "bias", "activation" or "norm" parameters.
        """
        return {f"layer{i}.{name}": p for i, layer in enumerate(self.layers, start=1)
                for name, p in layer.parameters(kind).items()}

    def grads(self) -> dict:
        """dL/d(each parameter) from the last ``backward``, named as ``parameters()``."""
        return {f"layer{i}.{name}": layer.grads[name] for i, layer in enumerate(self.layers, start=1)
                for name in layer.parameters()}

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad):
        for layer in reversed(self.layers):
            grad = layer.backward(grad)

    def loss(self, outputs, y):
        """(loss, dL/doutputs): softmax cross-entropy for integer labels, mean squared error for float targets."""
        return softmax_cross_entropy(outputs, y) if y.dtype.kind == "i" else mean_squared_error(outputs, y)

    def __call__(self, X):
        """The outputs (logits, or values for regression), shape (N, sizes[-1]) (after the model axis, if any)."""
        return self.forward(_check_X(self, X, "net(X)"))

    def predict(self, X):
        """Labels (argmax of the logits) when the net has 2+ outputs; values, shape (N,), with one output."""
        outputs = self(X)
        return outputs[..., 0] if outputs.shape[-1] == 1 else np.argmax(outputs, axis=-1)

    def gradients(self, X, y):
        """(loss, {name: dloss/dparameter}) over the whole batch.

        Integer labels y of shape (N,): softmax cross-entropy. Float targets of
        shape (N,) (one output) or (N, n_out): mean squared error. With a model
        axis the loss is one number per model.
        """
        X = _check_X(self, X, "gradients()")
        y = _check_y(self, y, X.shape[-2], "gradients()")
        loss, grad = self.loss(self.forward(X), y)
        self.backward(grad)
        return (float(loss) if loss.ndim == 0 else loss), self.grads()

    def dead_fraction(self, X=None):
        """Per hidden layer, the fraction of units with no gradient on every row of X (of the last forward if None)."""
        if X is not None:
            self.forward(_check_X(self, X, "dead_fraction()"))
        return np.stack([layer.dead().mean(axis=-1) for layer in self.layers[:-1]], axis=-1)


def accuracy(net, X, y):
    """The fraction of rows of X whose predicted label equals y (one per model, with a model axis)."""
    X = _check_X(net, X, "accuracy()")
    y = _check_y(net, y, X.shape[-2], "accuracy()")
    right = np.mean(net.predict(X) == y, axis=-1)
    return float(right) if right.ndim == 0 else right


# ---------------------------------------------------------------- checking the data


def _check_X(net, X, where):
    n_in = net.sizes[0]
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{where}: X must be an array of numbers of shape (n, {n_in}); got {exc}") from None
    if X.ndim == 1 and n_in == 1:
        X = X[:, np.newaxis]
    if X.ndim not in (2, 2 + len(net.lead)) or X.shape[-1] != n_in or X.shape[:-2] not in ((), net.lead):
        models_too = f" or {(*net.lead, 'n', n_in)} (one set per model)" if net.lead else ""
        raise ValueError(f"{where}: X must have shape (n, {n_in}){models_too} (the net's input size sizes[0] = "
                         f"{n_in}); got shape {X.shape}")
    if X.shape[-2] == 0:
        raise ValueError(f"{where}: X has no rows")
    bad = ~np.isfinite(X)
    if bad.any():
        row = int(np.argwhere(bad)[0, -2])
        raise ValueError(f"{where}: X must be finite; row {row} is {X[..., row, :].tolist()} (NaN or inf)")
    return X


def _check_y(net, y, n, where):
    y = np.asarray(y)
    if y.dtype.kind == "b" or y.dtype.kind not in "iuf":
        raise TypeError(f"{where}: y must hold integer labels (classification) or float targets (regression); "
                        f"got dtype {y.dtype}")
    n_out = net.sizes[-1]
    if y.dtype.kind in "iu":
        if y.shape not in ((n,), (*net.lead, n)):
            raise ValueError(f"{where}: y must have one entry per row of X ({n}): integer labels of shape ({n},); "
                             f"got shape {y.shape}")
        if n_out < 2:
            raise ValueError(f"{where}: integer labels need a net with at least 2 outputs (one per class); "
                             f"this one has {n_out}; give float targets for regression")
        outside = (y < 0) | (y >= n_out)
        if outside.any():
            i = np.unravel_index(np.argmax(outside), y.shape)
            raise ValueError(f"{where}: labels y must be in 0..{n_out - 1} (the net has {n_out} outputs); "
                             f"y[{', '.join(map(str, i))}] = {y[i]}")
        return y.astype(np.int64)
    if y.ndim == 1 or (y.ndim == 1 + len(net.lead) and y.shape[:-1] == net.lead and n_out == 1 and net.lead):
        y = y[..., np.newaxis]
    if y.shape not in ((n, n_out), (*net.lead, n, n_out)):
        raise ValueError(f"{where}: y must have one entry per row of X ({n}): float targets of shape ({n},) or "
                         f"({n}, {n_out}); got shape {y.shape}")
    if not np.isfinite(y).all():
        i = int(np.argwhere(~np.isfinite(y))[0, -2])
        raise ValueError(f"{where}: y must be finite; y[{i}] is NaN or inf")
    return y.astype(float)


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


def _check_lr(lr, lead):
    """A number, or one positive number per model."""
    if np.ndim(lr) == 0:
        return _check_number(lr, "lr", low=0)
    rates = np.asarray(lr, dtype=float)
    if rates.shape != lead or not np.all(np.isfinite(rates) & (rates > 0)):
        raise ValueError(f"train(): lr must be a finite number > 0, or one per model (shape {lead}); got {lr!r}")
    return rates


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
    ``update_ratios``: at the steps ``dead_steps[:-1]``, per layer, the size
    of that step's update of the weight matrices over their size,
    ||W_after - W_before|| / ||W_before||. ``layers``: the layer names. With S models, every array gains an axis of
    length S after the step axis. Entries not reached yet are NaN, so a
    callback can plot ``history.loss`` while training runs.
    """

    loss: np.ndarray
    accuracy: np.ndarray
    params: dict
    grad_norms: np.ndarray
    layers: list
    dead_steps: list = field(default_factory=list)
    dead_trace: list = field(default_factory=list)
    update_ratios: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def dead_fraction(self) -> np.ndarray:
        """Per hidden layer, the fraction of dead units at the end of training."""
        return self.dead_trace[-1]


class _Recorder:
    """Fills a ``History`` as training goes: what the loop body leaves out."""

    def __init__(self, net, X, steps, every, callback, full_batch):
        self.net, self.X, self.every, self.callback, self.full_batch = net, X, every, callback, full_batch
        self.steps = steps
        self.traced = net.parameters("activation")
        lead = net.lead
        # per layer, its weight matrices and the axes of one model's matrix: what a gradient norm sums over
        self.weights = [[(name, tuple(range(len(lead), p.ndim))) for name, p in layer.parameters("weight").items()]
                        for layer in net.layers]
        self.history = History(
            loss=np.full((steps, *lead), np.nan), accuracy=np.full((steps, *lead), np.nan),
            params={name: np.full((steps + 1, *p.shape), np.nan) for name, p in self.traced.items()},
            grad_norms=np.full((steps, *lead, len(net.layers)), np.nan),
            layers=[f"layer{i}" for i in range(1, len(net.layers) + 1)],
        )

    def step(self, step, loss, outputs, y):
        """After the backward pass of ``step``, before its update."""
        h, net = self.history, self.net
        for name, p in self.traced.items():
            h.params[name][step] = p
        h.loss[step] = loss
        if y.dtype.kind == "i":
            h.accuracy[step] = np.mean(np.argmax(outputs, axis=-1) == y, axis=-1)
        for i, (layer, weights) in enumerate(zip(net.layers, self.weights)):
            squares = [np.sum(layer.grads[name] ** 2, axis=axes) for name, axes in weights]
            h.grad_norms[step, ..., i] = np.sqrt(sum(squares))
        if step % self.every == 0:  # dead units on the whole of X, with the parameters of this step
            h.dead_steps.append(step)
            h.dead_trace.append(net.dead_fraction(None if self.full_batch else self.X))
            self.before = [[layer.params[name].copy() for name, _ in weights]
                           for layer, weights in zip(net.layers, self.weights)]

    def _sum_of_squares(self, arrays, weights):
        return sum(np.sum(a * a, axis=axes) for a, (_, axes) in zip(arrays, weights))

    def after_update(self, done):
        if (done - 1) % self.every == 0:  # the update of a step that kept its weights in ``before``
            ratios = []
            for layer, weights, before in zip(self.net.layers, self.weights, self.before):
                change = [layer.params[name] - b for (name, _), b in zip(weights, before)]
                ratios.append(np.sqrt(self._sum_of_squares(change, weights) / self._sum_of_squares(before, weights)))
            self.history.update_ratios.append(np.stack(ratios, axis=-1))
        if self.callback is not None and (done % self.every == 0 or done == self.steps):
            self.callback(done, self.history)

    def finish(self, seconds):
        h = self.history
        for name, p in self.traced.items():
            h.params[name][self.steps] = p
        h.dead_steps = np.array([*h.dead_steps, self.steps])
        h.dead_trace = np.array([*h.dead_trace, self.net.dead_fraction(self.X)])
        h.update_ratios = np.array(h.update_ratios)
        h.seconds = seconds
        return h


def _batches(X, y, batch_size, seed):
    """(x, y) for every step: the whole set each time, or mini-batches of a shuffled order, reshuffled every epoch."""
    if batch_size is None:
        while True:
            yield X, y
    rng = np.random.default_rng(seed)
    n = X.shape[-2]
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            rows = order[start:start + batch_size]
            yield X[..., rows, :], y[..., rows] if y.dtype.kind == "i" else y[..., rows, :]


def train(net, X, y, steps=1000, lr=0.01, optimizer="adam", momentum=0.0, batch_size=None, seed=0,
          every=10, callback=None) -> History:
    """Train ``net`` in place on (X, y) and return its ``History``.

    ``optimizer``: "adam" or "sgd" (``momentum`` is SGD's; Adam uses beta1 =
    0.9, beta2 = 0.999). ``lr``: a number, or one per model. ``batch_size``
    None trains on the full batch every step; a number draws mini-batches
    from a shuffled order (reshuffled every epoch with ``seed``). Every
    ``every`` steps, dead units are counted on the whole of X and
    ``callback(step, history)`` is called, if given (``step``: the number of
    steps done), for a progress bar. Every argument is checked before the
    first step.
    """
    X, y, steps, opt, batch_size, every = _check_training(net, X, y, steps, lr, optimizer, momentum, batch_size,
                                                          every, callback)
    record = _Recorder(net, X, steps, every, callback, full_batch=batch_size is None)
    batches = _batches(X, y, batch_size, seed)
    start = time.perf_counter()
    with np.errstate(over="ignore", under="ignore"), single_threaded_blas():
        for step in range(steps):
            xb, yb = next(batches)
            outputs = net.forward(xb)
            loss, grad = net.loss(outputs, yb)
            net.backward(grad)
            record.step(step, loss, outputs, yb)
            opt.step(net.grads())
            record.after_update(step + 1)
        return record.finish(time.perf_counter() - start)


def _check_training(net, X, y, steps, lr, optimizer, momentum, batch_size, every, callback):
    if not isinstance(net, MLP):
        raise TypeError(f"train(): net must be an acts.nn.MLP; got {type(net).__name__}")
    X = _check_X(net, X, "train()")
    y = _check_y(net, y, X.shape[-2], "train()")
    steps = _positive_int(steps, "train(): steps")
    lr = _check_lr(lr, net.lead)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"train(): optimizer must be one of {', '.join(map(repr, OPTIMIZERS))}; got {optimizer!r}")
    momentum = _check_number(momentum, "momentum", low=0, low_open=False, high=1)
    if batch_size is not None:
        batch_size = min(_positive_int(batch_size, "train(): batch_size"), X.shape[-2])
    every = _positive_int(every, "train(): every")
    if callback is not None and not callable(callback):
        raise TypeError(f"train(): callback must be a function callback(step, history) or None; got {callback!r}")
    params = net.parameters()
    opt = Adam(params, lr) if optimizer == "adam" else SGD(params, lr, momentum)
    return X, y, steps, opt, batch_size, every

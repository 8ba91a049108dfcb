"""Training for ``acts.nn``: the loop (``train``), what it records (``History``), and one-thread BLAS.

The loop body is the textbook one: forward, loss, backward, step. Checking
the arguments happens once before it, and recording (``_Recorder``) beside it.
"""

from __future__ import annotations

import functools
import numbers
import time
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import ThreadpoolController

from acts.layers import one_hot
from acts.mlp import MLP, check_inputs, check_targets, positive_int
from acts.optim import OPTIMIZERS, SGD, Adam

__all__ = ["SAMPLINGS", "History", "single_threaded_blas", "train"]

#: How many steps the recorder keeps before it works out their accuracy and gradient norms in one go.
BLOCK = 32

#: How ``train`` draws mini-batches: "epochs" (a shuffled order, reshuffled every epoch) or "draws"
#: (each step draws its rows afresh, none twice within a batch).
SAMPLINGS = ("epochs", "draws")


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


@dataclass
class History:
    """What happened during ``train``, ready to plot.

    ``loss``, ``accuracy``: per step, on the batch of that step, before its
    update (accuracy is NaN for regression). ``params``: {name: array} with
    the value of each learnable activation parameter before every step and
    after the last (steps + 1 rows). ``grad_norms``: (steps, layers), the norm
    of each layer's weight gradient. ``dead_steps``, ``dead_trace``: the
    fraction of dead units per hidden layer on the whole training set (or on
    ``dead_X``), measured every ``every`` steps (or at the ``checkpoints``) and at the end;
    ``dead_fraction`` is the last row. ``update_ratios``: at the steps
    ``dead_steps[:-1]``, per layer, the size of that step's update of the
    weight matrices over their size, ||W_after - W_before|| / ||W_before||.
    ``layers``: the layer names. With S models, every array gains an axis of
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


def _sum_of_squares(arrays, weights):
    return sum(np.add.reduce(a * a, axis=axes) for a, (_, axes) in zip(arrays, weights))


class _Recorder:
    """Fills a ``History`` as training goes: what the loop body leaves out."""

    def __init__(self, net, X, steps, every, checkpoints, callback, reuse_forward):
        # X: the rows dead units are counted on; reuse_forward: they are the batch of every step (full batch)
        self.net, self.X, self.callback, self.reuse_forward = net, X, callback, reuse_forward
        self.steps = steps
        # the steps at which dead units are counted, the update ratio taken and the callback called
        self.marked = set(range(0, steps, every)) if checkpoints is None else set(checkpoints)
        self.traced = net.parameters("activation")
        self.pending = []  # what ``flush`` needs of the steps not worked out yet
        lead = net.lead
        # per layer, its weight matrices and the axes of one model's matrix: what a gradient norm sums over
        self.weights = [[(name, tuple(range(len(lead), p.ndim))) for name, p in layer.parameters("weight").items()]
                        for layer in net.layers]
        # every weight matrix's gradient, layer by layer: (the layer's grads dict, the name in it)
        self.weight_grads = [(layer.grads, name) for layer, weights in zip(net.layers, self.weights)
                             for name, _ in weights]
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
        # accuracy and gradient norms are worked out a block of steps at a time (``flush``): one NumPy call
        # per block instead of one per step; each step's arrays are kept (the next step makes new ones)
        self.pending.append((outputs, y, [grads[name] for grads, name in self.weight_grads]))
        if len(self.pending) == BLOCK:
            self.flush(step + 1)
        if step in self.marked:  # dead units on the whole of X, with the parameters of this step
            h.dead_steps.append(step)
            h.dead_trace.append(net.dead_fraction(None if self.reuse_forward else self.X))
            self.before = [[layer.params[name].copy() for name, _ in weights]
                           for layer, weights in zip(net.layers, self.weights)]

    def flush(self, done):
        """Fill in accuracy and gradient norms for the steps kept since the last flush (they end at ``done``)."""
        if not self.pending:
            return
        h, pending, self.pending = self.history, self.pending, []
        steps = slice(done - len(pending), done)
        outputs, y, grads = zip(*pending)
        if y[0].dtype.kind == "i":
            labels = np.stack(y)  # (k, N) or (k, models, N); the predictions are (k, [models,] N)
            labels = labels.reshape(labels.shape[:1] + (1,) * (outputs[0].ndim - 1 - y[0].ndim) + labels.shape[1:])
            h.accuracy[steps] = (np.stack(outputs).argmax(axis=-1) == labels).mean(axis=-1)
        j = 0  # the position of a weight matrix in each step's flat list
        for i, weights in enumerate(self.weights):
            squares = 0.0
            for _, axes in weights:
                g = np.stack([step_grads[j] for step_grads in grads])
                squares = squares + np.add.reduce(g * g, axis=tuple(a + 1 for a in axes))
                j += 1
            h.grad_norms[steps, ..., i] = np.sqrt(squares)

    def after_update(self, done):
        if done - 1 in self.marked:  # the update of a step that kept its weights in ``before``
            ratios = []
            for layer, weights, before in zip(self.net.layers, self.weights, self.before):
                change = [layer.params[name] - b for (name, _), b in zip(weights, before)]
                ratios.append(np.sqrt(_sum_of_squares(change, weights) / _sum_of_squares(before, weights)))
            self.history.update_ratios.append(np.stack(ratios, axis=-1))
        if self.callback is not None and (done in self.marked or done == self.steps):
            self.flush(done)
            self.callback(done, self.history)

    def finish(self, seconds):
        self.flush(self.steps)
        h = self.history
        for name, p in self.traced.items():
            h.params[name][self.steps] = p
        h.dead_steps = np.array([*h.dead_steps, self.steps])
        h.dead_trace = np.array([*h.dead_trace, self.net.dead_fraction(self.X)])
        h.update_ratios = np.array(h.update_ratios)
        h.seconds = seconds
        return h


def _batches(X, y, batch_size, seed, sampling, classes):
    """(x, y, one-hot labels or None) for every step: the whole set each time, or mini-batches (see SAMPLINGS)."""
    onehot = (lambda labels: one_hot(labels, classes)) if y.dtype.kind == "i" else (lambda labels: None)
    if batch_size is None:
        whole = X, y, onehot(y)  # the same batch every step: its one-hot mask is made once
        while True:
            yield whole
    rng = np.random.default_rng(seed)
    n = X.shape[-2]
    while True:
        if sampling == "draws":
            orders = [rng.choice(n, size=batch_size, replace=False)]
        else:
            order = rng.permutation(n)
            orders = [order[start:start + batch_size] for start in range(0, n - batch_size + 1, batch_size)]
        for rows in orders:
            yb = y[..., rows] if y.dtype.kind == "i" else y[..., rows, :]
            yield X[..., rows, :], yb, onehot(yb)


def train(net, X, y, steps=1000, lr=0.01, optimizer="adam", momentum=0.0, batch_size=None, seed=0,
          every=10, callback=None, sampling="epochs", checkpoints=None, dead_X=None) -> History:
    """Train ``net`` in place on (X, y) and return its ``History``.

    ``optimizer``: "adam" or "sgd" (``momentum`` is SGD's; Adam uses beta1 =
    0.9, beta2 = 0.999). ``lr``: a number, or one per model. ``batch_size``
    None trains on the full batch every step; a number draws mini-batches
    with ``seed``: from a shuffled order, reshuffled every epoch
    (``sampling="epochs"``), or afresh at every step (``sampling="draws"``).
    Every ``every`` steps (or at the steps listed in ``checkpoints``), dead
    units are counted on the whole of X (or on the rows ``dead_X``: a
    forward pass over a large X costs a deep net many steps), the update
    ratio is taken, and ``callback(step, history)`` is called, if given
    (``step``: the number of steps done), for a progress bar; the callback is
    also called at the end. Every argument is checked before the first step.
    """
    X, y, steps, opt, batch_size, every = _check_training(net, X, y, steps, lr, optimizer, momentum, batch_size,
                                                          every, callback, sampling, checkpoints)
    if dead_X is not None:
        dead_X = check_inputs(net, dead_X, "train(): dead_X")
    record = _Recorder(net, X if dead_X is None else dead_X, steps, every, checkpoints, callback,
                       reuse_forward=batch_size is None and dead_X is None)
    batches = _batches(X, y, batch_size, seed, sampling, net.sizes[-1])
    start = time.perf_counter()
    with np.errstate(over="ignore", under="ignore"), single_threaded_blas():
        for step in range(steps):
            xb, yb, onehot = next(batches)
            outputs = net.forward(xb)
            loss, grad = net.loss(outputs, yb, onehot)
            net.backward(grad)
            record.step(step, loss, outputs, yb)
            opt.step(net.grads())
            record.after_update(step + 1)
        return record.finish(time.perf_counter() - start)


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


def _check_checkpoints(checkpoints, steps):
    if isinstance(checkpoints, (str, bytes)) or not hasattr(checkpoints, "__iter__"):
        raise TypeError(f"train(): checkpoints must be a list of step numbers or None; got {checkpoints!r}")
    for c in checkpoints:
        if isinstance(c, bool) or not isinstance(c, numbers.Integral) or not 0 <= c < steps:
            raise ValueError(f"train(): checkpoints must be step numbers from 0 to steps - 1 = {steps - 1}; got {c!r}")


def _check_training(net, X, y, steps, lr, optimizer, momentum, batch_size, every, callback, sampling, checkpoints):
    if not isinstance(net, MLP):
        raise TypeError(f"train(): net must be an acts.nn.MLP; got {type(net).__name__}")
    X = check_inputs(net, X, "train()")
    y = check_targets(net, y, X.shape[-2], "train()")
    steps = positive_int(steps, "train(): steps")
    lr = _check_lr(lr, net.lead)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"train(): optimizer must be one of {', '.join(map(repr, OPTIMIZERS))}; got {optimizer!r}")
    momentum = _check_number(momentum, "momentum", low=0, low_open=False, high=1)
    if batch_size is not None:
        batch_size = min(positive_int(batch_size, "train(): batch_size"), X.shape[-2])
    every = positive_int(every, "train(): every")
    if callback is not None and not callable(callback):
        raise TypeError(f"train(): callback must be a function callback(step, history) or None; got {callback!r}")
    if sampling not in SAMPLINGS:
        raise ValueError(f"train(): sampling must be one of {', '.join(map(repr, SAMPLINGS))}; got {sampling!r}")
    if checkpoints is not None:
        _check_checkpoints(checkpoints, steps)
    params = net.parameters()
    opt = Adam(params, lr) if optimizer == "adam" else SGD(params, lr, momentum)
    return X, y, steps, opt, batch_size, every

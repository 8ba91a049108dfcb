"""The experiments behind notebook 02 (unsaturated activations: the ReLU family, ELU, SELU, Swish, Mish, GELU).

>>> from acts import data
>>> from acts.experiments import unsaturated as ux
>>> X, y = data.moons(100, seed=0)
>>> run = ux.train_ensemble("relu", X, y, sizes=[2, 8, 2], seeds=(0, 1), steps=20)
>>> run.loss.shape, run.inactive_end.shape
((20, 2), (2, 1))

* ``train_ensemble``: train several copies of one small network at once
  (different seeds, learning rates, bias initialisations), exactly as
  ``acts.nn.train`` would train each of them alone (full batch, Adam), but
  with the copies stacked along a leading axis so that one NumPy call serves
  them all. The dead-ReLU sweep and the training race need dozens of tiny
  trainings; one at a time they would take most of the notebook's time budget.
* ``dead_sweep`` and ``plot_dead_sweep``: the fraction of units that never
  activate, against the learning rate and the bias initialisation.
* ``race``: the same net, data, seeds and budget for several activations;
  mean and spread of the final loss and the test accuracy.
* ``never_active``, ``peak_memory``, ``gaussian_moment``, ``properties``:
  small measurements the notebook prints.
"""

from __future__ import annotations

import time
import tracemalloc
from dataclasses import dataclass, field
from itertools import product

import numpy as np

from acts import nn, plotting
from acts.registry import get

# ---------------------------------------------------------------- many small nets at once


@dataclass
class EnsembleRun:
    """What ``train_ensemble`` measured; member b is ``members[b]`` (a dict: activation, seed, lr, bias_init).

    ``loss``: (steps, B) full-batch training loss before each update.
    ``inactive_start`` / ``inactive_end``: (B, hidden layers), the fraction of
    units whose pre-activation z <= 0 on every training example ("never
    activate"), before the first step and after the last.
    ``dead_end``: (B, hidden layers), the fraction of units with f'(z) = 0 on
    every example after training: no gradient reaches them (for ReLU this is
    the same as never active; for Leaky ReLU it is always 0).
    ``zero_fraction``: (B,), the share of hidden activation values that are
    exactly 0 on the training set after training (sparsity).
    ``final_loss``, ``train_accuracy``: (B,), after training;
    ``test_accuracy``: (B,) on the test set, or None.
    ``shape``: (activations, bias_inits, lrs, seeds), the order of the members.
    """

    activations: list
    members: list
    loss: np.ndarray
    inactive_start: np.ndarray
    inactive_end: np.ndarray
    dead_end: np.ndarray
    zero_fraction: np.ndarray
    final_loss: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray | None
    seconds: float = 0.0
    shape: tuple = field(default=())

    def grid(self, what: str = "inactive_end") -> np.ndarray:
        """A per-member measurement averaged over seeds (and hidden layers), shape (activations, bias_inits, lrs)."""
        values = np.asarray(getattr(self, what), dtype=float)
        values = values.reshape(len(self.members), -1).mean(axis=1)
        return values.reshape(self.shape).mean(axis=-1)

    def per_activation(self, what: str) -> np.ndarray:
        """A per-member measurement, shape (activations, members per activation)."""
        return np.asarray(getattr(self, what), dtype=float).reshape(len(self.activations), -1)


def _stack(nets, attr, layer):
    return np.stack([getattr(net.layers[layer], attr) for net in nets])


def _forward(Ws, bs, X, groups):
    """Hidden pre-activations, activations and slopes, and the logits, for every member at once.

    ``groups``: (activation, slice of members, parameters); each activation
    is applied to its own members' slice.
    """
    a = X[np.newaxis]
    zs, acts_, slopes = [], [], []
    for W, b in zip(Ws[:-1], bs[:-1], strict=True):
        z = a @ W + b[:, np.newaxis, :]
        a, slope = np.empty_like(z), np.empty_like(z)
        for act, members, params in groups:
            a[members], slope[members] = act.value_and_grad(z[members], **params)
        zs.append(z)
        acts_.append(a)
        slopes.append(slope)
    logits = a @ Ws[-1] + bs[-1][:, np.newaxis, :]
    return zs, acts_, slopes, logits


def _cross_entropy(logits, y):
    """Per member: mean softmax cross-entropy (B,), its gradient (B, n, c), and the predicted labels."""
    shifted = logits - logits.max(axis=2, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    rows = np.arange(len(y))
    loss = -log_probs[:, rows, y].mean(axis=1)
    grad = np.exp(log_probs)
    grad[:, rows, y] -= 1.0
    return loss, grad / len(y), np.argmax(logits, axis=2)


def _never_active(zs):
    return np.stack([np.all(z <= 0, axis=1).mean(axis=1) for z in zs], axis=1)


def train_ensemble(activations, X, y, *, sizes, seeds=(0,), lrs=(0.01,), bias_inits=(0.0,), steps=200,
                   X_test=None, y_test=None, init=None, params=None) -> EnsembleRun:
    """Train one ``acts.nn.MLP(sizes, activation, seed, init, bias_init)`` per (activation, bias_init, lr, seed).

    ``activations``: a name or a list of names. Each member starts from
    exactly the weights ``nn.MLP`` gives for its activation, seed and
    bias_init (``init`` None: the activation's textbook initialisation), and
    takes ``steps`` full-batch Adam steps (beta1 0.9, beta2 0.999, eps 1e-8) on
    softmax cross-entropy, like ``nn.train(net, X, y, steps, lr)``: the results
    agree with it to rounding. All members are stacked along a leading axis,
    so one NumPy call serves them all. ``params``: {name: {parameter: value}},
    fixed activation parameters (never learned). Members are ordered by
    activation, bias_init, lr, then seed (``EnsembleRun.grid`` undoes that order).
    """
    names = [get(a).name for a in ([activations] if isinstance(activations, str) else activations)]
    params = params or {}
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=np.int64)
    members = [dict(activation=a, seed=s, lr=float(lr), bias_init=float(b))
               for a, b, lr, s in product(names, bias_inits, lrs, seeds)]
    nets = [nn.MLP(sizes, m["activation"], seed=m["seed"], init=init, bias_init=m["bias_init"],
                   learn_activation=False, **params.get(m["activation"], {})) for m in members]
    per = len(members) // len(names)
    groups = [(get(a), slice(i * per, (i + 1) * per), params.get(a, {})) for i, a in enumerate(names)]
    depth = len(sizes) - 1
    Ws = [_stack(nets, "weight", i) for i in range(depth)]
    bs = [_stack(nets, "bias", i) for i in range(depth)]
    weights = Ws + bs
    lr = np.array([m["lr"] for m in members])
    m1 = [np.zeros_like(p) for p in weights]
    m2 = [np.zeros_like(p) for p in weights]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    loss_trace = np.empty((steps, len(members)))
    start = time.perf_counter()
    with np.errstate(over="ignore", under="ignore"), nn.single_threaded_blas():
        for step in range(steps):
            zs, hidden, slopes, logits = _forward(Ws, bs, X, groups)
            if step == 0:
                inactive_start = _never_active(zs)
            loss, g, _ = _cross_entropy(logits, y)
            loss_trace[step] = loss
            grads_W, grads_b = [None] * depth, [None] * depth
            inputs = [X[np.newaxis], *hidden]
            for i in reversed(range(depth)):
                if i < depth - 1:
                    g = g * slopes[i]
                grads_W[i] = np.swapaxes(inputs[i], 1, 2) @ g
                grads_b[i] = g.sum(axis=1)
                if i:
                    g = g @ np.swapaxes(Ws[i], 1, 2)
            t = step + 1
            for p, grad, m, v in zip(weights, grads_W + grads_b, m1, m2, strict=True):
                m *= beta1
                m += (1.0 - beta1) * grad
                v *= beta2
                v += (1.0 - beta2) * (grad * grad)
                rate = (lr / (1.0 - beta1**t)).reshape((-1,) + (1,) * (p.ndim - 1))
                p -= rate * m / (np.sqrt(v / (1.0 - beta2**t)) + eps)
        zs, hidden, slopes, logits = _forward(Ws, bs, X, groups)
        final_loss, _, predicted = _cross_entropy(logits, y)
        test_accuracy = None
        if X_test is not None:
            *_, test_logits = _forward(Ws, bs, np.asarray(X_test, dtype=float), groups)
            test_accuracy = np.mean(np.argmax(test_logits, axis=2) == np.asarray(y_test)[np.newaxis], axis=1)
    return EnsembleRun(
        activations=names, members=members, loss=loss_trace, inactive_start=inactive_start,
        inactive_end=_never_active(zs),
        dead_end=np.stack([np.all(s == 0, axis=1).mean(axis=1) for s in slopes], axis=1),
        zero_fraction=np.mean([np.mean(a == 0, axis=(1, 2)) for a in hidden], axis=0),
        final_loss=final_loss, train_accuracy=np.mean(predicted == y[np.newaxis], axis=1),
        test_accuracy=test_accuracy, seconds=time.perf_counter() - start,
        shape=(len(names), len(bias_inits), len(lrs), len(seeds)),
    )


# ---------------------------------------------------------------- dead units


def never_active(net, X) -> list:
    """Per hidden layer of an ``nn.MLP``: a boolean array, True for units with z <= 0 on every row of X."""
    net.forward(np.asarray(X, dtype=float))
    return [np.all(layer.z <= 0, axis=0) for layer in net.layers[:-1]]


def dead_sweep(X, y, activations=("relu", "leaky_relu"), *, lrs=(0.001, 0.01, 0.1), bias_inits=(0.0, -0.5, -1.0),
               seeds=(0, 1, 2), sizes=(2, 16, 16, 2), steps=100) -> EnsembleRun:
    """The dead-ReLU experiment: one ``EnsembleRun`` over every (activation, bias_init, lr, seed).

    ``run.grid("inactive_start")`` / ``run.grid("inactive_end")`` give the
    fraction of hidden units that never activate on the training set, before
    and after training, averaged over seeds and layers, shape (activations,
    bias_inits, lrs).
    """
    return train_ensemble(list(activations), X, y, sizes=list(sizes), seeds=seeds, lrs=lrs, bias_inits=bias_inits,
                          steps=steps)


def plot_dead_sweep(run: EnsembleRun, lrs, bias_inits):
    """One panel per activation: the never-active fraction after training (solid) and before (dotted), against lr."""
    n = len(run.activations)
    fig, axes = plotting.new_figure(1, n, figsize=(4.2 * n, 3.8))
    axes = np.atleast_1d(axes)
    end, begin = run.grid("inactive_end"), run.grid("inactive_start")
    for k, (ax, name) in enumerate(zip(axes, run.activations, strict=True)):
        for i, b in enumerate(bias_inits):
            colour, style = plotting.PALETTE[i], plotting.LINESTYLES[i]
            ax.plot(lrs, end[k, i], color=colour, ls=style, marker=plotting.MARKERS[i], label=f"bias init {b:g}")
            ax.plot(lrs, begin[k, i], color=colour, ls=":", lw=1.2)
        ax.set_xscale("log")
        ax.set_ylim(-0.02, 1.0)
        ax.set_xlabel("learning rate (Adam)")
        ax.set_title(get(name).title)
    axes[0].set_ylabel("fraction of units never active")
    axes[0].legend(loc="upper left", fontsize="small")
    axes[-1].annotate("dotted: before training", xy=(0.98, 0.97), xycoords="axes fraction", ha="right", va="top",
                      fontsize="small")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- the race


@dataclass(frozen=True)
class RaceRow:
    """One activation's result in ``race``: mean and standard deviation over the seeds; ``tests`` per seed."""

    name: str
    loss_mean: float
    loss_std: float
    test_mean: float
    test_std: float
    zero_fraction: float
    tests: tuple = ()


def race(names, X, y, X_test, y_test, *, seeds=(0, 1, 2), sizes=(2, 16, 16, 3), steps=150, lr=0.02) -> list:
    """Train the same net (sizes, seeds, steps, Adam lr) with each activation; a ``RaceRow`` per name.

    SELU gets LeCun initialisation (what it is designed for), every other one He,
    as the registry's ``init`` records. Activation parameters are the defaults.
    """
    run = train_ensemble(list(names), X, y, sizes=list(sizes), seeds=seeds, lrs=(lr,), steps=steps,
                         X_test=X_test, y_test=y_test)
    loss, test, zeros = (run.per_activation(w) for w in ("final_loss", "test_accuracy", "zero_fraction"))
    return [RaceRow(name, float(loss[k].mean()), float(loss[k].std()), float(test[k].mean()), float(test[k].std()),
                    float(zeros[k].mean()), tuple(float(t) for t in test[k]))
            for k, name in enumerate(run.activations)]


def race_table(rows) -> str:
    """The race as aligned text: loss and test accuracy as mean ± std over seeds, and the share of zeros."""
    lines = [f"{'activation':12s} {'final loss':>16s} {'test accuracy':>16s} {'zeros':>6s}"]
    for r in sorted(rows, key=lambda r: -r.test_mean):
        lines.append(f"{r.name:12s} {r.loss_mean:8.3f} ± {r.loss_std:5.3f} {r.test_mean:8.3f} ± {r.test_std:5.3f}"
                     f" {r.zero_fraction:6.0%}")
    return "\n".join(lines)


# ---------------------------------------------------------------- small measurements


def peak_memory(fn, x) -> float:
    """The peak memory NumPy allocates while ``fn(x)`` runs, in units of x's own size (x.nbytes).

    Measured with ``tracemalloc`` (NumPy reports its array buffers to it); the
    result array counts, so a function that allocates only its output scores 1.
    """
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn(x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - base) / x.nbytes


#: A fine grid for E[f(z)] with z ~ N(0, 1): 0 (the kink of the ReLU family) is a grid point, the tails
#: beyond 12 weigh less than 1e-31, and the trapezoidal rule is then accurate to about 1e-9.
GAUSS_Z = np.linspace(-12.0, 12.0, 240_001)
GAUSS_DENSITY = np.exp(-GAUSS_Z**2 / 2) / np.sqrt(2 * np.pi)


def gaussian_moment(name: str, k: int = 1, **params) -> float:
    """E[f(z)^k] for z ~ N(0, 1): the integral of f(z)^k times the normal density, by the trapezoidal rule."""
    return float(np.trapezoid(get(name)(GAUSS_Z, **params) ** k * GAUSS_DENSITY, GAUSS_Z))


def properties(names, x_range=(-30.0, 30.0), n: int = 60001) -> list:
    """A row of computed properties per activation, for the comparison table.

    Each row is a dict: ``lower`` (the smallest value on the grid, or -inf when
    f keeps falling as x -> -inf), ``min_at`` (where f has a true minimum, a
    point where it turns back up, else None), ``grad0`` (f'(0)),
    ``monotonic`` (f' >= 0 everywhere on the grid), ``smooth`` (no kink),
    ``flat_left`` (f' exactly 0 for x < 0: units can die), ``mean`` (E[f(z)]
    for z ~ N(0, 1), ``gaussian_moment``).
    """
    x = np.linspace(*x_range, n)
    rows = []
    for name in names:
        act = get(name)
        f, g = act(x), act.grad(x)
        i = int(np.argmin(f))
        unbounded = float(act(-1e4)) < f[i] - 1e-9
        turns = 0 < i < n - 1 and f[i + 1] > f[i] and np.any(f[:i] > f[i] + 1e-9)
        rows.append(dict(
            name=name, lower=-np.inf if unbounded else float(f[i]), min_at=float(x[i]) if turns else None,
            grad0=float(act.grad(0.0)), monotonic=bool(np.all(g >= 0)), smooth=not act.kink_points(),
            flat_left=bool(np.all(act.grad(-np.geomspace(1e-3, 30, 50)) == 0)),
            mean=gaussian_moment(name),
        ))
    return rows


def properties_table(rows) -> str:
    """``properties`` as aligned text."""
    def yes(flag):
        return "yes" if flag else "no"

    header = ("activation", "lowest value", "f(0)", "f'(0)", "monotonic", "smooth", "f'=0 for x<0", "E[f(z)]")
    lines = ["{:11s} {:>13s} {:>5s} {:>7s} {:>9s} {:>6s} {:>12s} {:>8s}".format(*header)]
    for r in rows:
        lower = "-inf" if r["lower"] == -np.inf else f"{r['lower']:.4f}"
        if r["min_at"] is not None:
            lower += "*"
        f0 = float(get(r["name"])(0.0))
        mean = round(r["mean"], 4) + 0.0  # no "-0.0000"
        lines.append(f"{r['name']:11s} {lower:>13s} {f0:5.3f} {r['grad0']:7.4f} {yes(r['monotonic']):>9s} "
                     f"{yes(r['smooth']):>6s} {yes(r['flat_left']):>12s} {mean:8.4f}")
    return "\n".join(lines)

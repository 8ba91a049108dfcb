"""The experiments behind notebook 02 (the ReLU family: ReLU, Leaky ReLU, ELU, SELU).

>>> from acts import data
>>> from acts.experiments import relu_family
>>> X, y = data.moons(60, seed=0)
>>> sweep = relu_family.dead_sweep(X, y, ("relu",), lrs=(0.01,), bias_inits=(0.0,), seeds=(0,), steps=5)
>>> sweep.grid("inactive_end").shape
(1, 1, 1)

* ``never_active``: which hidden units of an ``acts.nn.MLP`` have z <= 0 on every example.
* ``dead_sweep`` and ``plot_dead_sweep``: train one ``nn.MLP`` per (activation,
  bias initialisation, learning rate, seed) with ``nn.train`` and measure the
  units that never activate, before and after training.
* ``plot_depth``: a deep network's gradient norm and activation spread per layer, on log axes.
* ``revival``: which never-active units of each hidden layer come back during
  training (none in the first layer; some in deeper layers, whose inputs move).

Every network is built and trained by ``acts.nn``; this module only loops and measures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from acts import nn, plotting
from acts.registry import get


def hidden_preactivations(net, X) -> list:
    """The pre-activations z of every hidden layer of an ``nn.MLP`` on the rows of X, one (n, units) array each."""
    net.forward(np.asarray(X, dtype=float))
    return [layer.z for layer in net.layers[:-1]]


def never_active(net, X) -> list:
    """Per hidden layer of an ``nn.MLP``: booleans (models, units), True where z <= 0 on every row of X."""
    return [np.all(z <= 0, axis=-2) for z in hidden_preactivations(net, X)]


# ---------------------------------------------------------------- the dead-unit sweep


@dataclass
class DeadSweep:
    """What ``dead_sweep`` measured. Arrays are indexed [activation, bias_init, lr, seed, hidden layer].

    ``inactive_start`` / ``inactive_end``: the fraction of a layer's units whose
    z <= 0 on every training example, before the first step and after the last.
    ``dead_end``: the fraction with f'(z) = 0 on every example after training
    (no gradient reaches them; for ReLU the same as never active, for Leaky
    ReLU always 0). ``zero_fraction`` [activation, bias_init, lr, seed]: the
    share of hidden outputs that are exactly 0 on the training set after training.
    """

    activations: list
    lrs: tuple
    bias_inits: tuple
    seeds: tuple
    inactive_start: np.ndarray
    inactive_end: np.ndarray
    dead_end: np.ndarray
    zero_fraction: np.ndarray

    def grid(self, what: str = "inactive_end") -> np.ndarray:
        """A measurement averaged over seeds (and hidden layers): shape (activations, bias_inits, lrs)."""
        values = np.asarray(getattr(self, what), dtype=float)
        return values.reshape(*values.shape[:3], -1).mean(axis=-1)


def dead_sweep(X, y, activations=("relu", "leaky_relu"), *, lrs=(0.001, 0.01, 0.1), bias_inits=(0.0, -0.5, -1.0),
               seeds=(0, 1, 2), sizes=(2, 16, 16, 2), steps=100, progress=None) -> DeadSweep:
    """Train ``nn.MLP(sizes, activation, seed, bias_init=...)`` with ``nn.train(steps, lr)`` (full-batch Adam).

    One network per (activation, bias_init, lr, seed); each starts from the
    activation's own initialisation (``nn.MLP``'s default) with every hidden
    bias set to ``bias_init``. The (lr, seed) networks of one activation and
    bias_init train together, as one ``nn.MLP`` with a model axis.
    ``progress(done, total)``, if given, is called after each such group.
    """
    names = [get(a).name for a in activations]
    shape = (len(names), len(bias_inits), len(lrs), len(seeds))
    layers = len(sizes) - 2
    start, end, dead = (np.zeros((*shape, layers)) for _ in range(3))
    zeros = np.zeros(shape)
    rates = np.repeat(np.asarray(lrs, dtype=float), len(seeds))  # models ordered (lr, seed)
    done, total = 0, len(names) * len(bias_inits)
    for k, name in enumerate(names):
        act = get(name)
        for i, bias in enumerate(bias_inits):
            net = nn.MLP(list(sizes), name, seed=list(seeds) * len(lrs), bias_init=bias)
            start[k, i] = _fractions(never_active(net, X), shape[2:])
            history = nn.train(net, X, y, steps=steps, lr=rates, every=steps)
            zs = hidden_preactivations(net, X)
            end[k, i] = _fractions([np.all(z <= 0, axis=-2) for z in zs], shape[2:])
            dead[k, i] = np.asarray(history.dead_fraction).reshape(*shape[2:], layers)
            zeros[k, i] = np.mean(np.concatenate([(act(z) == 0).reshape(len(rates), -1) for z in zs], axis=1),
                                  axis=1).reshape(shape[2:])
            done += 1
            if progress is not None:
                progress(done, total)
    return DeadSweep(names, tuple(lrs), tuple(bias_inits), tuple(seeds), start, end, dead, zeros)


def _fractions(masks, lead) -> np.ndarray:
    """Per model and hidden layer, the fraction of True units: shape (*lead, layers)."""
    return np.stack([m.mean(axis=-1).reshape(lead) for m in masks], axis=-1)


def plot_dead_sweep(sweep: DeadSweep):
    """One panel per activation: the never-active fraction against the lr, after (solid) and before (dotted)."""
    n = len(sweep.activations)
    fig, axes = plotting.new_figure(1, n, figsize=(4.2 * n, 3.8), sharey=True)
    axes = np.atleast_1d(axes)
    end, begin = sweep.grid("inactive_end"), sweep.grid("inactive_start")
    for k, (ax, name) in enumerate(zip(axes, sweep.activations, strict=True)):
        for i, b in enumerate(sweep.bias_inits):
            colour = plotting.PALETTE[i]
            ax.plot(sweep.lrs, end[k, i], color=colour, ls="-", marker=plotting.MARKERS[i],
                    label=f"bias init {b:g}, after")
            ax.plot(sweep.lrs, begin[k, i], color=colour, ls=":", lw=1.5, label=f"bias init {b:g}, before")
        ax.set_xscale("log")
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("learning rate (Adam)")
        # never active is dead only where the left side's slope is 0; a leak passes gradient: say which, per panel
        flat_left = np.all(get(name).grad(np.array([-1.0, -10.0])) == 0.0)
        status = "never active = dead" if flat_left else "never active, not dead"
        ax.set_title(f"{get(name).title}: {status}", fontsize="medium")
        ax.set_ylabel("fraction of units never active")  # every panel: each shows its tick labels (review item 9)
        ax.yaxis.set_tick_params(labelleft=True)
    axes[-1].legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize="small")
    layers = np.asarray(sweep.inactive_end).shape[-1]
    seeds = f"{len(sweep.seeds)} seed{'s' if len(sweep.seeds) > 1 else ''}"
    layers = "both hidden layers" if layers == 2 else f"all {layers} hidden layers" if layers > 2 else "1 hidden layer"
    fig.suptitle(f"Units never active: solid after training, dotted before\n(each point: the mean of {seeds} and "
                 f"{layers})", fontsize="medium")  # what a point is (review item 13)
    fig.tight_layout()
    return fig


def plot_depth(result, title: str = ""):
    """A ``diagnostics.signal_propagation`` run on log axes: the gradient norm and the activations' spread per layer.

    Left: the gradient norm at each layer's input. Right: per layer, the
    standard deviation of the activations and their 99th percentile, both on a
    log scale (a linear heat map shows only the last layers when the spread
    grows by powers of ten), and the share of exact zeros in the legend.
    """
    norms = np.asarray(result.grad_norms, dtype=float)
    values = [np.asarray(a, dtype=float).ravel() for a in result.activations]
    layers = np.arange(1, len(norms) + 1)
    stds = np.array([v.std() for v in values])
    top = np.array([np.percentile(v, 99) for v in values])
    zeros = np.array([np.mean(v == 0) for v in values])
    fig, (ax_g, ax_a) = plotting.new_figure(1, 2, figsize=(9.0, 3.6))
    ax_g.semilogy(layers, norms, marker="o", ms=4, color=plotting.PALETTE[0])
    ax_g.set(xlabel="layer (1 = next to the input)", ylabel="gradient norm at the layer's input",
             title="gradient (flows from the last layer back)")
    ax_a.semilogy(layers, stds, marker="o", ms=4, color=plotting.PALETTE[1], label="standard deviation")
    ax_a.semilogy(layers, top, marker="s", ms=4, ls="--", color=plotting.PALETTE[2], label="99th percentile")
    ax_a.plot([], [], ls="none", label=f"exact zeros: {zeros.min():.0%} to {zeros.max():.0%} per layer")
    ax_a.set(xlabel="layer", ylabel="activation (log scale)", title="spread of the activations")
    ax_a.legend(fontsize="small")
    for ax in (ax_g, ax_a):  # powers of ten labelled "1e3", as the depth explorer's panel does
        ax.yaxis.set_major_locator(LogLocator(numticks=6))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"1e{round(np.log10(v))}" if v > 0 else ""))
    if title:
        fig.suptitle(title, fontsize="medium")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- revival, layer by layer


@dataclass
class Revival:
    """Per hidden layer: units never active before training, how many of them came back, their weights' change.

    ``dead_before``, ``revived``: unit counts per layer. ``largest_change``:
    per layer, the largest absolute change of any incoming weight or bias of
    the units that were never active before training.
    """

    dead_before: list
    revived: list
    largest_change: list


def revival(X, y, *, sizes=(2, 16, 16, 2), seed=0, bias_init=-1.0, steps=100, lr=0.01) -> Revival:
    """Train a ReLU ``nn.MLP`` whose hidden biases start at ``bias_init``; follow its never-active units.

    A first-layer unit sees fixed data, so with zero gradient it stays dead;
    a deeper unit sees the layer below, which keeps learning, and may come back.
    """
    net = nn.MLP(list(sizes), "relu", seed=seed, bias_init=bias_init)
    before = never_active(net, X)
    params = [(layer.weight.copy(), layer.bias.copy()) for layer in net.layers[:-1]]
    nn.train(net, X, y, steps=steps, lr=lr, every=steps)
    after = never_active(net, X)
    change = []
    for (w0, b0), layer, dead in zip(params, net.layers[:-1], before, strict=True):
        moved = np.concatenate([np.abs(layer.weight - w0)[:, dead].ravel(), np.abs(layer.bias - b0)[dead]])
        change.append(float(moved.max()) if moved.size else 0.0)
    return Revival([int(d.sum()) for d in before], [int((d & ~a).sum()) for d, a in zip(before, after, strict=True)],
                   change)

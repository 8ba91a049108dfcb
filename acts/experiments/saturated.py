"""Experiments for notebook 01 (saturated activations: sigmoid, tanh, hard-sigmoid).

* ``saturation_x`` / ``saturation_x_closed_form``: where the right tail saturates (abs(f') < eps);
* ``notes_sigmoid``: the source notes' sigmoid formula, to show where it breaks;
* ``gradient_table``: gradient shrinkage through a deep net for (activation, init) pairs;
* ``spread_per_layer``: how different the examples still are after each hidden layer
  (the forward-signal collapse of a badly initialised deep sigmoid net);
* ``train_depths`` and ``plot_losses``: shallow against deep nets, trained the same way;
* ``layer_gradient_factor``: the mean-field estimate of the gradient's shrink per layer, for a scale;
* ``seed_losses``: final losses of several set-ups over several seeds (data and initialisation);
* ``weight_grad_signs``, ``same_sign_fraction``, ``plot_sign_patterns``: the sign pattern of one
  unit's per-example weight gradients when its inputs are all positive (sigmoid) or not (tanh);
* ``saturated_share``: the share of tanh units beyond a threshold, per hidden layer;
* ``exp_costs``: bare NumPy expressions timed against ``np.maximum(x, 0)`` in one call.
"""

from __future__ import annotations

import math

import numpy as np

from acts import analysis, data, diagnostics, nn, plotting, timing
from acts.registry import get

__all__ = ["saturation_x", "saturation_x_closed_form", "notes_sigmoid", "gradient_table", "spread_per_layer",
           "train_depths", "plot_losses", "layer_gradient_factor", "seed_losses", "weight_grad_signs",
           "same_sign_fraction", "plot_sign_patterns",
           "saturated_share", "NUMPY_EXPRESSIONS", "exp_costs"]


def saturation_x(name: str, eps: float = 1e-3, **params) -> float:
    """Where the right tail saturates: the x beyond which abs(f') < eps and stays so (``analysis.saturation_tails``).

    Saturation is a property of the tails (f' -> 0 as x -> inf); eps only says
    where, in practice, the tail starts. Sigmoid and tanh are symmetric, so -x
    bounds the left tail. Returns inf when the right side does not saturate (ReLU).
    """
    ends = [lo for lo, hi, _kind in analysis.saturation_tails(name, eps, **params) if hi == math.inf]
    return float(min(ends)) if ends else math.inf


def saturation_x_closed_form(name: str, eps: float = 1e-3) -> float:
    """The same bound from the derivatives' closed forms (sigmoid and tanh only).

    sigmoid' = s(1 - s) = eps  gives  s = (1 + r) / 2 with r = sqrt(1 - 4 eps), x = 2 artanh(r);
    tanh' = 1 - t^2 = eps      gives  t = sqrt(1 - eps),                         x = artanh(t).
    """
    if name == "sigmoid":
        return float(2.0 * np.arctanh(np.sqrt(1.0 - 4.0 * eps)))
    if name == "tanh":
        return float(np.arctanh(np.sqrt(1.0 - eps)))
    raise ValueError(f"closed form only for 'sigmoid' and 'tanh'; got {name!r}")


def notes_sigmoid(x):
    """The source notes' sigmoid, exp(x) / (exp(x) + 1), with NumPy's warnings silenced (inf / inf = NaN)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(x) / (np.exp(x) + 1.0)


def gradient_table(configs, depth: int = 20, width: int = 64, seed: int = 0) -> list:
    """For each (activation, init): (activation, init, gradient norm at layer 1 / at the last layer).

    ``init`` is "xavier", "he", "lecun" or a float scale (weights N(0, scale^2 / fan_in)); computed by
    ``diagnostics.signal_propagation``. A ratio far below 1 means the gradient vanishes on its way down, far
    above 1 that it explodes.
    """
    rows = []
    for activation, init in configs:
        result = diagnostics.signal_propagation(activation, depth=depth, width=width, init=init, seed=seed)
        rows.append((activation, init, float(result.grad_norms[0] / result.grad_norms[-1])))
    return rows


def spread_per_layer(net: nn.MLP, X) -> np.ndarray:
    """Per hidden layer of ``net``: the std of each unit's output across the rows of X, averaged over the units.

    Near 0 means every example leaves that layer as nearly the same vector: the
    layers above can no longer tell the examples apart (forward-signal collapse).
    """
    a, out = np.asarray(X, dtype=float), []
    for layer in net.layers[:-1]:
        a = layer(a)
        out.append(float(a.std(axis=0).mean()))
    return np.array(out)


def train_depths(activations, depths, X, y, width: int = 16, steps: int = 150, lr: float = 0.3,
                 optimizer: str = "sgd", seed: int = 0, init=None) -> dict:
    """{(activation, depth): History} for nets [n_in, width x depth, n_classes], trained identically.

    Default: plain gradient descent on the full batch, so the size of each gradient is the size of
    each step (Adam would rescale it). ``init``: as for ``nn.MLP`` (None: the activation's default).
    """
    out = {}
    classes = int(np.max(y)) + 1
    for activation in activations:
        for depth in depths:
            net = nn.MLP([X.shape[1], *[width] * depth, classes], activation=activation, seed=seed, init=init)
            out[(activation, depth)] = nn.train(net, X, y, steps=steps, lr=lr, optimizer=optimizer, seed=seed)
    return out


def plot_losses(histories: dict, *, talk: bool | None = None):
    """Training loss against step, one curve per (activation, depth) (colour and line style differ)."""
    fig, ax = plotting.new_figure(talk=talk)
    for i, ((activation, depth), history) in enumerate(histories.items()):
        ax.plot(history.loss, color=plotting.PALETTE[i % 8], ls=plotting.LINESTYLES[i % 8],
                label=f"{get(activation).title}, {depth} hidden layer{'s' if depth > 1 else ''}")
    # ln 2 thin and grey, under the curves: the deep sigmoid net that sits on it stays visible (review item 3)
    ax.axhline(np.log(2.0), color="0.45", lw=1.0, ls=(0, (1, 2)), zorder=1.5, label="ln 2: a coin toss")
    ax.set_xlabel("training step (full-batch gradient descent)")
    ax.set_ylabel("cross-entropy loss")
    ax.set_ylim(0.0, 1.0)
    # in the free band above ln 2 (the curves start at or below 0.8 and stay under ln 2 after the first steps);
    # not right of the axes any more, which left a third of the figure empty
    ax.legend(loc="upper right", ncol=2, frameon=True, framealpha=0.9, edgecolor="none", borderaxespad=0.3,
              columnspacing=1.0, handlelength=2.2)
    return fig


def layer_gradient_factor(name: str, scale: float, iterations: int = 200) -> tuple:
    """(q, chi): the mean-field variance q of a deep layer's pre-activations and the gradient's factor per layer.

    Square layers without biases, weights N(0, scale^2 / n): a pre-activation is a sum of n terms, so
    q = scale^2 E[f(z)^2] with z ~ N(0, q) (iterated to its fixed point), and back-propagation multiplies
    the gradient's size by chi = scale * sqrt(E[f'(z)^2]) per layer. Over L layers: about chi ** L.
    The expectations are ``analysis.gaussian_expectation`` (quadrature); the weights and the units are
    treated as independent, which holds for wide layers.
    """
    act = get(name)
    q = 1.0
    for _ in range(iterations):
        q = scale**2 * analysis.gaussian_expectation(lambda z: act(z) ** 2, std=math.sqrt(q))
    chi = scale * math.sqrt(analysis.gaussian_expectation(lambda z: act.grad(z) ** 2, std=math.sqrt(q)))
    return q, chi


def seed_losses(setups: dict, seeds=range(5), n: int = 200, steps: int = 150, last: int = 20,
                progress=None) -> dict:
    """{label: array of the mean training loss over the ``last`` steps, one entry per seed}.

    ``setups``: {label: dict(activation=..., depth=..., init=None, optimizer="sgd", lr=0.3)}. Seed s draws
    the moons data (``data.moons(n, seed=s)``) and the weights (``nn.MLP(seed=s)``), so every set-up sees the
    same data and starts for a given seed (paired). ``progress(done, total)`` after each run.
    """
    out = {label: [] for label in setups}
    total, done = len(setups) * len(seeds), 0
    for seed in seeds:
        X, y = data.moons(n, noise=0.1, seed=seed)
        for label, setup in setups.items():
            setup = {"init": None, "optimizer": "sgd", "lr": 0.3, "width": 16, **setup}
            net = nn.MLP([2, *[setup["width"]] * setup["depth"], 2], activation=setup["activation"], seed=seed,
                         init=setup["init"])
            history = nn.train(net, X, y, steps=steps, lr=setup["lr"], optimizer=setup["optimizer"], seed=seed)
            out[label].append(float(history.loss[-last:].mean()))
            done += 1
            if progress is not None:
                progress(done, total)
    return {label: np.array(v) for label, v in out.items()}


def weight_grad_signs(activation: str, X, y, unit: int = 0, width: int = 16, seed: int = 0) -> np.ndarray:
    """Signs of the per-example gradients of the weights *into* one unit of the second hidden layer.

    Builds ``nn.MLP([2, width, width, classes], activation)`` at its initialisation and, for each row of X
    alone, takes dL/dW[:, unit] of layer 2. Returns an array (rows of X, width) of -1, 0, +1. When layer 1's
    outputs are all positive (sigmoid), each row holds one sign only: dL/dW_ij = a_i * delta_j.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    net = nn.MLP([X.shape[1], width, width, int(np.max(y)) + 1], activation=activation, seed=seed)
    rows = [net.gradients(X[i:i + 1], y[i:i + 1])[1]["layer2.weight"][:, unit] for i in range(len(X))]
    return np.sign(np.array(rows))


def same_sign_fraction(signs) -> float:
    """The fraction of rows whose non-zero entries all share one sign."""
    signs = np.asarray(signs)
    positive, negative = (signs > 0).any(axis=1), (signs < 0).any(axis=1)
    return float(np.mean(~(positive & negative)))


def plot_sign_patterns(patterns: dict, *, talk: bool | None = None):
    """One panel per activation: examples down, incoming weights across; + dark blue, - light orange and hatched.

    The two signs differ in brightness and in texture as well as in colour, so
    the figure reads in greyscale and for every colour vision (I-17).
    """
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch, Rectangle

    plus, minus, hatch = "#004F7C", plotting.PALETTE[4], "////"  # greys about 0.25 and 0.62
    fig, axes = plotting.new_figure(1, len(patterns), talk=talk, figsize=(4.2 * len(patterns), 4.6))
    cmap = ListedColormap([minus, "white", plus])
    for ax, (name, signs) in zip(np.ravel(axes), patterns.items()):
        signs = np.asarray(signs)
        ax.imshow(signs, cmap=cmap, vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
        cells = [Rectangle((j0 - 0.5, i - 0.5), j1 - j0 + 1, 1) for i, row in enumerate(signs)
                 for j0, j1 in analysis.runs(row < 0)]  # each run of '-' in a row: one hatched rectangle
        ax.add_collection(PatchCollection(cells, facecolor="none", edgecolor="black", linewidth=0, hatch=hatch,
                                          alpha=0.6))
        ax.set_title(f"{get(name).title}: {same_sign_fraction(signs):.0%} one-signed rows")
        ax.set_xlabel("incoming weight i of the unit")
        ax.set_ylabel("training example")  # on every panel: each has its own tick labels (review item 9)
        ax.grid(False)
    fig.suptitle("sign of dL/dw_i per example")
    fig.legend(handles=[Patch(facecolor=plus, edgecolor="black", label="+ (dark)"),
                        Patch(facecolor=minus, edgecolor="black", hatch=hatch, label="- (light, hatched)")],
               loc="upper center", bbox_to_anchor=(0.5, 0.935), ncol=2, frameon=False,
               fontsize=plotting.course_style(fig.acts_talk)["legend.fontsize"])
    fig.subplots_adjust(top=0.8, bottom=0.12, wspace=0.3)
    return fig


def saturated_share(net: nn.MLP, X, threshold: float = 0.97) -> np.ndarray:
    """Per hidden layer of ``net``: the share of outputs with abs(a) > threshold over the rows of X.

    For tanh, abs(a) > 0.97 means tanh'(z) = 1 - a^2 < 0.06: the unit passes back
    less than 6% of the gradient it receives for that example.
    """
    a, out = np.asarray(X, dtype=float), []
    for layer in net.layers[:-1]:
        a = layer(a)
        out.append(float(np.mean(np.abs(a) > threshold)))
    return np.array(out)


# Bare NumPy expressions (values only, no argument checks, no derivative): what each formula costs in NumPy.
NUMPY_EXPRESSIONS = {
    "relu: np.maximum(x, 0)": lambda x: np.maximum(x, 0.0),
    "sigmoid: 1 / (1 + np.exp(-x))": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "tanh: np.tanh(x)": np.tanh,
    "hard_sigmoid: np.clip(x / 6 + 0.5, 0, 1)": lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0),
    "notes: np.exp(x) / (np.exp(x) + 1)": lambda x: np.exp(x) / (np.exp(x) + 1.0),
}


def exp_costs(expressions=None, n: int = 200_000, rounds: int = 7, seed: int = 0) -> dict:
    """{label: time / the first expression's time}, for ``NUMPY_EXPRESSIONS`` (float64, n values N(0, 3^2)).

    Interleaved: every round times each expression once and each keeps its best
    round, so a burst of load from another program hits all of them alike. The
    values stay within |x| < 20, so no exp overflows. This measures NumPy on this
    machine's CPU, one pass over memory per operation; it says nothing about a
    GPU or a fused kernel.
    """
    expressions = NUMPY_EXPRESSIONS if expressions is None else expressions
    x = np.random.default_rng(seed).normal(0.0, 3.0, n)
    best = dict.fromkeys(expressions, math.inf)
    for _ in range(rounds + 1):  # the first round warms up
        for label, fn in expressions.items():
            best[label] = min(best[label], timing.best_time(lambda fn=fn: fn(x), 1))
    base = best[next(iter(expressions))]
    return {label: t / base for label, t in best.items()}

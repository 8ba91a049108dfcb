"""Experiments for notebook 01 (saturated activations: sigmoid, tanh, hard-sigmoid).

* ``saturation_x`` / ``saturation_x_closed_form``: the x beyond which abs(f') < eps;
* ``notes_sigmoid``: the source notes' sigmoid formula, to show where it breaks;
* ``gradient_table``: gradient shrinkage through a deep net for (activation, init) pairs;
* ``train_depths`` and ``plot_losses``: shallow against deep nets, trained the same way;
* ``weight_grad_signs``, ``same_sign_fraction``, ``plot_sign_patterns``: the sign pattern of one
  unit's per-example weight gradients when its inputs are all positive (sigmoid) or not (tanh);
* ``exp_costs``: time per element against ReLU, measured in one call.
"""

from __future__ import annotations

import numpy as np

from acts import nn, plotting, timing
from acts.registry import get

__all__ = ["saturation_x", "saturation_x_closed_form", "notes_sigmoid", "gradient_table", "train_depths",
           "plot_losses", "weight_grad_signs", "same_sign_fraction", "plot_sign_patterns", "exp_costs"]


def saturation_x(name: str, eps: float = 1e-3, limit: float = 50.0, **params) -> float:
    """The smallest x > 0 beyond which abs(f'(x)) < eps (up to ``limit``), found by ``plotting.saturation_bounds``.

    Sigmoid and tanh are symmetric, so this is also the bound on the left (-x).
    Returns inf when f' does not drop below eps before ``limit``.
    """
    regions = plotting.saturation_bounds(name, (0.0, limit), eps, n=2001, **params)
    ends = [lo for lo, hi, _kind in regions if hi >= limit]
    return float(min(ends)) if ends else float("inf")


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
    ``nn.signal_propagation``. A ratio far below 1 means the gradient vanishes on its way down, far
    above 1 that it explodes.
    """
    rows = []
    for activation, init in configs:
        result = nn.signal_propagation(activation, depth=depth, width=width, init=init, seed=seed)
        rows.append((activation, init, float(result.grad_norms[0] / result.grad_norms[-1])))
    return rows


def train_depths(activations, depths, X, y, width: int = 16, steps: int = 150, lr: float = 0.3,
                 optimizer: str = "sgd", seed: int = 0) -> dict:
    """{(activation, depth): History} for nets [n_in, width x depth, n_classes], trained identically.

    Default: plain gradient descent on the full batch, so the size of each gradient is the size of
    each step (Adam would rescale it).
    """
    out = {}
    classes = int(np.max(y)) + 1
    for activation in activations:
        for depth in depths:
            net = nn.MLP([X.shape[1], *[width] * depth, classes], activation=activation, seed=seed)
            out[(activation, depth)] = nn.train(net, X, y, steps=steps, lr=lr, optimizer=optimizer, seed=seed)
    return out


def plot_losses(histories: dict, *, talk: bool | None = None):
    """Training loss against step, one curve per (activation, depth) (colour and line style differ)."""
    fig, ax = plotting.new_figure(talk=talk)
    for i, ((activation, depth), history) in enumerate(histories.items()):
        ax.plot(history.loss, color=plotting.PALETTE[i % 8], ls=plotting.LINESTYLES[i % 8],
                label=f"{get(activation).title}, {depth} hidden layer{'s' if depth > 1 else ''}")
    ax.axhline(np.log(2.0), color="grey", lw=1, ls=":")
    ax.text(0.99, np.log(2.0), "ln 2: guessing", transform=ax.get_yaxis_transform(), ha="right", va="bottom",
            fontsize="small", color="grey")
    ax.set_xlabel("training step (full-batch gradient descent)")
    ax.set_ylabel("cross-entropy loss")
    ax.set_ylim(bottom=0.0)
    ax.legend(fontsize="small")
    return fig


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
    """One panel per activation: examples down, incoming weights across; blue +, orange -."""
    from matplotlib.colors import ListedColormap

    fig, axes = plotting.new_figure(1, len(patterns), talk=talk, figsize=(4.2 * len(patterns), 4.4))
    cmap = ListedColormap([plotting.PALETTE[1], "white", plotting.PALETTE[0]])
    for ax, (name, signs) in zip(np.ravel(axes), patterns.items()):
        ax.imshow(signs, cmap=cmap, vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
        ax.set_title(f"{get(name).title}: {same_sign_fraction(signs):.0%} one-signed rows")
        ax.set_xlabel("incoming weight i of the unit")
        ax.grid(False)
    np.ravel(axes)[0].set_ylabel("training example")
    fig.suptitle("sign of dL/dw_i per example (blue +, orange -)")
    fig.subplots_adjust(top=0.85, bottom=0.12, wspace=0.25)
    return fig


def exp_costs(names=("sigmoid", "tanh", "hard_sigmoid"), baseline: str = "relu", n: int = 200_000,
              repeat: int = 7) -> dict:
    """{label: time per element / baseline's}, all measured in this call; includes the notes' sigmoid formula."""
    base = timing.time_per_element(baseline, n=n, repeat=repeat)
    out = {name: timing.time_per_element(name, n=n, repeat=repeat) / base for name in names}
    out["notes' exp(x)/(exp(x)+1)"] = timing.time_per_element(notes_sigmoid, n=n, repeat=repeat) / base
    return out

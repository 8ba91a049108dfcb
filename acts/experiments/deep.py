"""Notebook 06 (activations in a deep network): a deep MLP on the 8x8 digits, watched layer by layer.

>>> from acts.experiments import deep
>>> stats = deep.layer_stats(deep.build("tanh", depth=4, seed=0), *deep.probe())
>>> len(stats.std)
4

What a deep network does to its activations, measured per hidden layer on a
batch of real data:

- ``signal``: how much the layer's outputs differ from image to image: the
  standard deviation of each unit over the images, averaged over the units
  (does the information survive the depth?);
- ``std``: the overall spread of the layer's outputs a (every unit, every
  image; a constant offset per unit counts here, not in ``signal``);
- ``flat``: the share of (example, unit) pairs where f'(z) is below
  ``FLAT_SHARE`` of the activation's largest slope: a saturated tanh or
  sigmoid unit, an inactive ReLU; almost no gradient passes there;
- ``dead``: the share of units flat on every example of the batch;
- ``grad``: the norm of dL/dW, the weight gradient of the layer;
- ``update``: during training, the size of one optimiser step relative to the
  weights, ||W_after - W_before|| / ||W_before|| (Karpathy's update-to-data
  ratio; about 1e-3 is the usual healthy value).

Everything trains through ``acts.nn.train``; several seeds train at once on
the model axis, each with its own split of the data.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import ipywidgets as ipw
import numpy as np
from matplotlib.ticker import MaxNLocator

from acts import analysis, data, nn, panels, widgets
from acts.layers import Residual
from acts.registry import get
from acts.style import LINESTYLES, MARKERS, PALETTE, course_style, fmt, fmt_value, new_figure

__all__ = ["DEPTH", "WIDTH", "FLAT_SHARE", "CONFIGS", "build", "probe", "splits", "hidden_layers", "flat_threshold",
           "LayerStats", "layer_stats", "train_traced", "compare", "gain_for", "DeepPanel", "plot_layers", "explorer"]

DEPTH = 12  # hidden layers
WIDTH = 32  # units per hidden layer
FLAT_SHARE = 0.06  # f' below 6% of its peak: |tanh(z)| > 0.97, Karpathy's "saturated" threshold
SEEDS = tuple(range(5))
STEPS, BATCH, LR = 150, 64, 3e-3
CHECKPOINTS = (0, 10, 50, 100, 149)
HEALTHY_UPDATE = 1e-3  # Karpathy's rule of thumb for the update-to-data ratio (makemore, part 3)

#: The configurations the notebook compares: (label, keyword arguments of ``build``).
CONFIGS = (
    ("sigmoid, gain 1", dict(activation="sigmoid", gain=1.0)),
    ("sigmoid, gain 1, layer norm", dict(activation="sigmoid", gain=1.0, norm=True)),
    ("sigmoid, gain 1, residual", dict(activation="sigmoid", gain=1.0, residual=True)),
    ("tanh, gain 5/3", dict(activation="tanh", gain=5 / 3)),
    ("relu, gain sqrt 2 (He)", dict(activation="relu", gain=2 ** 0.5)),
)


def build(activation="tanh", depth=DEPTH, width=WIDTH, gain=None, norm=False, residual=False, seed=0):
    """A 64 -> width x depth -> 10 MLP; ``gain`` None takes the activation's own initialisation (its record's)."""
    return nn.MLP([64] + [width] * depth + [10], activation=activation, init=gain, seed=seed, norm=norm,
                  residual=residual)


def splits(seeds=SEEDS, test=0.3):
    """One stratified split of the digits per seed, stacked on a leading model axis: X_tr, y_tr, X_te, y_te."""
    X, y = data.digits()
    parts = [data.split(X, y, test=test, seed=s) for s in seeds]
    return tuple(np.stack([p[i] for p in parts]) for i in range(4))


def probe(n=256, seed=0):
    """(X, y): ``n`` training images of the split of ``seed``, for statistics at one moment."""
    X_tr, y_tr, _, _ = splits((seed,))
    return X_tr[0, :n], y_tr[0, :n]


def hidden_layers(net) -> list:
    """The dense layer of every hidden layer (inside its residual connection, if any)."""
    return [layer.layer if isinstance(layer, Residual) else layer for layer in net.layers[:-1]]


def flat_threshold(activation: str) -> float:
    """FLAT_SHARE of the largest |f'| of the activation (0.06 for tanh, 0.015 for sigmoid, 0.06 for relu)."""
    x = np.linspace(-10.0, 10.0, 4001)
    return FLAT_SHARE * float(np.max(np.abs(get(activation).grad(x))))


@dataclass
class LayerStats:
    """Per hidden layer (input side first); arrays gain a model axis first when the net has several models."""

    signal: np.ndarray
    std: np.ndarray
    flat: np.ndarray
    dead: np.ndarray
    grad: np.ndarray
    update: np.ndarray = field(default=None)

    def model(self, i: int) -> LayerStats:
        """The statistics of model ``i`` alone (from a run with several models)."""
        return LayerStats(*(None if v is None else v[i] for v in (self.signal, self.std, self.flat, self.dead,
                                                                      self.grad, self.update)))


def layer_stats(net, X, y) -> LayerStats:
    """One forward and backward pass on (X, y); the statistics of every hidden layer."""
    threshold = flat_threshold(net.activation)
    a, outputs = X, []
    for layer in net.layers:  # the forward pass, layer by layer, keeping each output
        a = layer.forward(a)
        outputs.append(a)
    _, grad = net.loss(a, y)
    net.backward(grad)
    hidden = hidden_layers(net)
    return LayerStats(
        signal=np.stack([out.std(axis=-2).mean(axis=-1) for out in outputs[:-1]], axis=-1),
        std=np.stack([out.std(axis=(-2, -1)) for out in outputs[:-1]], axis=-1),
        flat=np.stack([np.mean(np.abs(h.fprime) < threshold, axis=(-2, -1)) for h in hidden], axis=-1),
        dead=np.stack([np.mean(np.all(np.abs(h.fprime) < threshold, axis=-2), axis=-1) for h in hidden], axis=-1),
        grad=np.stack([np.sqrt(np.sum(h.grads["weight"] ** 2, axis=(-2, -1))) for h in hidden], axis=-1),
    )


def train_traced(net, X, y, steps=STEPS, lr=LR, batch=BATCH, checkpoints=CHECKPOINTS, probe_rows=256, seed=0,
                 progress=None) -> dict:
    """Train with ``nn.train`` (Adam, a fresh mini-batch every step), taking ``layer_stats`` at each checkpoint.

    Returns {step: LayerStats}. The statistics are taken on the first
    ``probe_rows`` training rows with the weights of that step, before its
    update; ``update`` is that update's size, from the history's update ratios.
    """
    probe_X, probe_y = X[..., :probe_rows, :], y[..., :probe_rows]
    checkpoints = sorted(c for c in checkpoints if c < steps)  # a short run reaches only the first ones
    trace = {}

    def checkpoint(done, history):  # called after ``done`` steps: the weights of step ``done``, before its update
        if done in checkpoints:
            trace[done] = layer_stats(net, probe_X, probe_y)
        if progress is not None:
            progress(done, steps)

    if 0 in checkpoints:
        with nn.single_threaded_blas():
            trace[0] = layer_stats(net, probe_X, probe_y)
    history = nn.train(net, X, y, steps=steps, lr=lr, batch_size=batch, seed=seed, sampling="draws",
                       checkpoints=checkpoints, callback=checkpoint, dead_X=probe_X)
    for step, ratios in zip(checkpoints, history.update_ratios, strict=True):
        trace[step].update = ratios[..., :-1]  # the hidden layers (the output layer is the last)
    return trace


def compare(configs=CONFIGS, seeds=SEEDS, steps=STEPS, progress=None) -> dict:
    """Train every configuration on every seed (seeds batched, each with its own split); held-out accuracy.

    Returns {label: {"test": accuracy per seed, "trace": {step: LayerStats}}}.
    """
    X_tr, y_tr, X_te, y_te = splits(seeds)
    results = {}
    for i, (label, kwargs) in enumerate(configs):
        net = build(seed=list(seeds), **kwargs)

        def tick(done, total, i=i):
            if progress is not None:
                progress(i * total + done, len(configs) * total)

        trace = train_traced(net, X_tr, y_tr, steps=steps, progress=tick)
        results[label] = {"test": nn.accuracy(net, X_te, y_te), "trace": trace}
    return results


def gain_for(activation: str, **params) -> float:
    """The weight gain that keeps E[a^2] = E[z^2] from layer to layer for z ~ N(0, 1): 1 / sqrt(E[f(z)^2]).

    With weights N(0, gain^2 / fan_in), z of the next layer has variance
    gain^2 E[f(z)^2]; the gain that makes it 1 again is this one.
    """
    act = get(activation)
    second_moment = analysis.gaussian_expectation(lambda z: act(z, **params) ** 2,
                                                  breaks=act.kink_points(**params))
    return float(1.0 / np.sqrt(second_moment))


# ---------------------------------------------------------------- figures and the explorer

STATS = (("signal", "signal: std of a across images", "log"),
         ("flat", "share of flat units, f' < 6% of its peak", "linear"),
         ("grad", "weight-gradient norm ||dL/dW||", "log"))
#: Each panel's y-axis label (the title says what is measured, the label its unit and scale).
YLABELS = {"signal": "std across images (log)", "flat": "fraction of units", "grad": "||dL/dW|| (log)"}


#: The explorer's fixed log-scale limits (the readout gives the exact numbers when a line leaves them).
LIVE_LIMITS = {"signal": (1e-10, 1e4), "grad": (1e-12, 1e4)}


class DeepPanel(panels.LivePanel):
    """Three panels side by side, one statistic per hidden layer: output spread, flat share, gradient norm.

    Several series can be drawn (one per configuration or per checkpoint),
    each in its own colour and line style, with a legend of what is drawn.
    """

    def __init__(self, n_series: int = 1, *, talk: bool | None = None, live: bool = False):
        super().__init__(live)
        style = course_style(talk)
        w, h = style["figure.figsize"]
        # 10 in wide at the default size (review item 14: 11.2 in was scaled down in a 1280-px notebook view)
        self.figure, self.axes = new_figure(1, 3, talk=talk, figsize=(w * 1.5625, h * 0.8))
        self.style = style
        self.lines = []
        for ax, (key, label, scale) in zip(self.axes, STATS, strict=True):
            ax.set_yscale(scale)
            ax.set_ylabel(YLABELS[key])
            ax.set_xlabel("hidden layer (1 = next to the input)")
            ax.set_title(label, fontsize=style["legend.fontsize"] + 1)
            ax.set_xlim(0.5, DEPTH + 0.5)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.axes[1].set_ylim(-0.03, 1.03)
        self.axes[2].set_xlabel("hidden layer (backprop: right to left)")
        for i in range(n_series):
            look = dict(color=PALETTE[i % len(PALETTE)], ls=LINESTYLES[i % len(LINESTYLES)], marker=MARKERS[i], ms=4)
            self.lines.append([self._dyn(ax.plot([], [], **look)[0]) for ax in self.axes])
        # a static figure's title; an explorer gives its setting in the readout (text is slow to redraw per step)
        self.title = None if live else self.axes[1].text(0.5, 1.38, "", ha="center", va="top",
                                                         transform=self.axes[1].transAxes,
                                                         fontsize=style["axes.titlesize"])
        self.figure.subplots_adjust(left=0.08, right=0.98, top=0.84 if live else 0.74, bottom=0.2, wspace=0.34)
        # a static figure whose flat panel is all zeros says so (review item 12: the flat line at 0 looked empty)
        self.none_flat = None if live else self.axes[1].text(0.5, 0.5, "", ha="center", va="center",
                                                             transform=self.axes[1].transAxes,
                                                             fontsize=style["legend.fontsize"])

    def update(self, series, title: str = "", legend: bool = True):
        """``series``: a list of (label, LayerStats of one model); draws each into its lines."""
        depth = max(len(s.std) for _, s in series)
        shown = next((d for d in (5, 10, 15, 20) if depth <= d), depth) if self.live else depth
        for k, (ax, (key, _label, scale)) in enumerate(zip(self.axes, STATS, strict=True)):
            ax.set_xlim(0.5, shown + 0.5)
            values = []
            for lines, (_name, s) in zip(self.lines, series, strict=False):
                v = np.asarray(getattr(s, key), dtype=float)
                lines[k].set_data(np.arange(1, len(v) + 1), v)
                values.append(v[np.isfinite(v) & (v > 0)] if scale == "log" else v)
            if scale == "log" and self.live:  # fixed limits: a slider step redraws the lines only
                ax.set_ylim(*LIVE_LIMITS[key])
            elif scale == "log":
                values = np.concatenate(values) if values else np.array([1.0])
                values = values if values.size else np.array([1.0])
                lo, hi = np.log10(values.min()), np.log10(values.max())
                # a static figure: the data plus a quarter decade each side, no empty decades
                ax.set_ylim(10 ** (lo - 0.25), 10 ** (hi + 0.25))
        for lines, (name, _s) in zip(self.lines, series, strict=False):
            lines[0].set_label(name)
        if self.none_flat is not None:
            none = all(np.all(np.asarray(s.flat) == 0) for _, s in series)
            self.none_flat.set_text("no flat units in any layer" if none else "")
        if legend and len(series) > 1:  # below the panels, clear of every curve, close under the x labels
            handles = [lines[0] for lines in self.lines[:len(series)]]
            rows = -(-len(series) // 3)
            self.figure.legend(handles=handles, loc="lower center", ncol=min(len(series), 3), frameon=False,
                               fontsize=self.style["legend.fontsize"], bbox_to_anchor=(0.5, 0.0))
            self.figure.subplots_adjust(bottom=0.17 + 0.065 * rows)
        if self.title is not None:
            self.title.set_text(title)
        return self


def plot_layers(series, title: str = "", *, talk: bool | None = None):
    """A static figure of ``DeepPanel`` for several (label, LayerStats) series."""
    return DeepPanel(len(series), talk=talk).update(series, title).figure


ACTIVATIONS = ("sigmoid", "tanh", "relu", "gelu", "selu")
GAINS = (0.5, 0.75, 1.0, 1.25, 2 ** 0.5, 1.5, 5 / 3, 1.75, 2.0, 2.5)


class _DeepExplorer(widgets.Explorer):
    CACHED = 24  # statistics remembered by setting: a drag back draws without building a network

    def __init__(self, activation, depth, gain, talk):
        self.X, self.y = probe()
        self._results: OrderedDict = OrderedDict()
        self.activation = ipw.Dropdown(options=ACTIVATIONS, value=activation, description="activation",
                                       style={"description_width": "initial"})
        self.depth = ipw.IntSlider(value=depth, min=2, max=20, description="hidden layers",
                                   style={"description_width": "initial"})
        self.gain = widgets.number_slider("init gain", GAINS, gain)
        self.norm = ipw.Checkbox(value=False, description="layer norm")
        self.residual = ipw.Checkbox(value=False, description="residual connections")
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        box = ipw.VBox(list(self.controls.values()))
        super().__init__(DeepPanel(1, talk=talk, live=True), box)

    @property
    def controls(self) -> dict:
        return {"activation": self.activation, "hidden layers": self.depth, "init gain": self.gain,
                "layer norm": self.norm, "residual connections": self.residual}

    def _state(self):
        return tuple(c.value for c in self.controls.values())

    def _draw(self, state):
        activation, depth, gain, norm, residual = state
        stats = self._results.pop(state, None)
        if stats is None:
            net = build(activation, depth=depth, gain=gain, norm=norm, residual=residual, seed=0)
            with nn.single_threaded_blas():  # tiny matrices: one thread is faster than two taking turns
                stats = layer_stats(net, self.X, self.y)
        self._results[state] = stats  # the newest last; the oldest leave first
        while len(self._results) > self.CACHED:
            self._results.popitem(last=False)
        extras = ", ".join(x for x, on in (("layer norm", norm), ("residual", residual)) if on)
        setting = f"{activation}, {depth} layers, gain {fmt_value(gain)}" + (f", {extras}" if extras else "")
        self.panel.update([(activation, stats)], setting, legend=False)
        rows = [("network", setting),
                ("signal across images, first / last layer", f"{fmt(stats.signal[0])} / {fmt(stats.signal[-1])}"),
                ("overall spread, first / last layer", f"{fmt(stats.std[0])} / {fmt(stats.std[-1])}"),
                ("flat share, first / last layer", f"{stats.flat[0]:.0%} / {stats.flat[-1]:.0%}"),
                ("dead units, all layers", f"{float(np.mean(stats.dead)):.0%}"),
                ("gradient norm, first / last layer", f"{fmt(stats.grad[0])} / {fmt(stats.grad[-1])}")]
        self.readout.value = widgets.readout_table(rows, talk=self.talk)


def explorer(activation: str = "sigmoid", depth: int = DEPTH, gain: float = 1.0, talk: bool | None = None):
    """At initialisation, on 256 digit images: each hidden layer's spread, flat share and gradient norm.

    Controls: the activation, the number of hidden layers, the weight gain
    (weights N(0, gain^2 / fan_in)), layer normalisation and residual connections.
    """
    box = _DeepExplorer(activation, depth, gain, talk)
    box.redraw()
    return box

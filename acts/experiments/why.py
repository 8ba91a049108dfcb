"""Experiments for notebook 00 (why activation functions).

Two ideas, each a few small functions:

* **Stacked linear layers collapse.** ``linear_net`` builds an ``acts.nn.MLP``
  whose hidden activation is the identity (Leaky ReLU with slope 1, so it is
  an ordinary registry activation); ``collapse`` multiplies its layers out to
  one matrix and one offset; ``slope_sweep`` trains one-hidden-layer nets on a
  data set while the slope goes from 1 (a straight line) to 0 (ReLU).
* **A sum of shifted ReLUs approximates a curve.** ``relu_sum`` builds the
  one-hidden-layer ReLU network

      g(x) = c + sum_k a_k relu(x - t_k),   k = 0 .. n-1,

  with n knots t_k evenly spaced on [low, high) and the a_k chosen so that g
  joins the points (t_k, f(t_k)): each unit bends the line at its knot by the
  change of slope there. ``max_error`` and ``units_needed`` measure how good
  that is; ``plot_relu_sum`` draws it and ``relu_sum_explorer`` puts a slider
  on the number of units (one persistent figure, as in ``acts.widgets``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, Normalize

from acts import analysis, nn, plotting
from acts.data import TARGETS
from acts.panels import stable_limits
from acts.style import fmt
from acts.widgets import Explorer, readout_table

__all__ = ["linear_net", "collapse", "slope_sweep", "ReluSum", "relu_sum", "max_error", "error_table",
           "units_needed", "ReluSumPanel", "plot_relu_sum", "relu_sum_explorer", "X_RANGE", "MAX_UNITS"]

X_RANGE = (-3.0, 3.0)  # the interval of the approximation demos (the range of ``acts.data.regression``)
MAX_UNITS = 40  # the slider's upper end
_LABELS = {"sine": "$\\sin x$", "abs": "$|x|$", "square": "$x^2$"}  # figure titles of the named targets


# ---------------------------------------------------------------------------
# Linear layers collapse


def linear_net(sizes, seed: int = 0) -> nn.MLP:
    """An ``nn.MLP`` with the identity as hidden activation: Leaky ReLU with slope 1 (x for every x)."""
    return nn.MLP(sizes, activation="leaky_relu", slope=1.0, seed=seed, init="xavier")


def collapse(net: nn.MLP):
    """(M, c) with net(X) == X @ M + c, for a net whose layers are all affine (``linear_net``).

    M is the product of the weight matrices; c is what the net gives for the
    input 0 (the biases carried through the later layers).
    """
    M = np.eye(net.sizes[0])
    for layer in net.layers:
        M = M @ layer.weight
    c = net(np.zeros((1, net.sizes[0])))[0]
    return M, c


def slope_sweep(X, y, slopes=(1.0, 0.5, 0.0), hidden: int = 16, steps: int = 300, lr: float = 0.05,
                seed: int = 0) -> dict:
    """{slope: trained net}: a [n_in, hidden, 2] Leaky-ReLU net trained with Adam, for each slope.

    slope 1 is the identity (a linear model), slope 0 is ReLU; anything in
    between still has a bend at 0.
    """
    out = {}
    for slope in slopes:
        net = nn.MLP([X.shape[1], hidden, 2], activation="leaky_relu", slope=float(slope), seed=seed)
        nn.train(net, X, y, steps=steps, lr=lr)
        out[float(slope)] = net
    return out


# ---------------------------------------------------------------------------
# Sums of shifted ReLUs


@dataclass(frozen=True)
class ReluSum:
    """g(x) = intercept + sum_k weights[k] * relu(x - knots[k]): a one-hidden-layer ReLU net."""

    knots: np.ndarray
    weights: np.ndarray
    intercept: float

    def units(self, x) -> np.ndarray:
        """Each unit's contribution weights[k] * relu(x - knots[k]), shape (n_units, len(x))."""
        x = np.asarray(x, dtype=float)
        return self.weights[:, None] * np.maximum(x[None, :] - self.knots[:, None], 0.0)

    def __call__(self, x) -> np.ndarray:
        return self.intercept + self.units(x).sum(axis=0)


def _target(target):
    """A target given by name (``acts.data.TARGETS``: "sine", "abs", "square") or as a function."""
    if callable(target):
        return target
    if target not in TARGETS:
        raise ValueError(f"target must be a function or one of {', '.join(map(repr, TARGETS))}; got {target!r}")
    return TARGETS[target]


def relu_sum(target="sine", n_units: int = 4, x_range=X_RANGE) -> ReluSum:
    """The sum of ``n_units`` shifted ReLUs that joins target's values at n_units + 1 evenly spaced points.

    Knot k sits at t_k = low + k h (h = (high - low) / n_units); its weight is
    the change of slope there (the first weight is the first slope), and the
    intercept is target(low). On [low, high] this is the piecewise-linear
    interpolant of the target.
    """
    f = _target(target)
    n = int(n_units)
    if n < 1:
        raise ValueError(f"n_units must be a positive integer; got {n_units!r}")
    lo, hi = map(float, x_range)
    nodes = np.linspace(lo, hi, n + 1)
    slopes = np.diff(f(nodes)) / np.diff(nodes)
    weights = np.diff(slopes, prepend=0.0)
    return ReluSum(knots=nodes[:-1], weights=weights, intercept=float(f(nodes[0])))


def max_error(target="sine", n_units: int = 4, x_range=X_RANGE, n_points: int = 4001) -> float:
    """max abs(target(x) - relu_sum(x)) on ``n_points`` evenly spaced x in x_range."""
    x = np.linspace(*x_range, n_points)
    return float(np.max(np.abs(_target(target)(x) - relu_sum(target, n_units, x_range)(x))))


def error_table(target="sine", units=(1, 2, 4, 8, 16, 32), x_range=X_RANGE) -> list:
    """[(n_units, max error), ...] for each number of units."""
    return [(int(n), max_error(target, n, x_range)) for n in units]


def units_needed(target="sine", tol: float = 0.01, x_range=X_RANGE, limit: int = 1000) -> int:
    """The smallest number of units whose ``relu_sum`` is within ``tol`` of the target everywhere in x_range."""
    for n in range(1, limit + 1):
        if max_error(target, n, x_range) < tol:
            return n
    raise ValueError(f"more than {limit} units are needed for tol = {tol}")


#: The bottom panel's unit colours, ordered by knot (a sequential map: the order reads without a legend).
UNIT_COLOURS = colormaps["viridis"]
#: The part of it the units use (0 to 0.85: the lightest yellow is faint on white), for the colour bar.
_UNIT_MAP = ListedColormap(UNIT_COLOURS(np.linspace(0.0, 0.85, 256)))


class ReluSumPanel(plotting.LivePanel):
    """Top: the target and the sum of ReLUs, knots marked. Bottom: each unit's contribution a_k relu(x - t_k)."""

    def __init__(self, *, talk: bool | None = None, live: bool = False):
        super().__init__(live)
        self.figure, (self.ax_f, self.ax_u) = plotting.new_figure(2, 1, talk=talk)
        size = self.figure.get_size_inches()
        self.figure.set_size_inches(size[0], size[1] * 1.15)
        c = plotting.PALETTE
        self.line_target = self.ax_f.plot([], [], color="black", ls="--", lw=1.5, label="target f(x)")[0]
        self.line_sum = self._dyn(self.ax_f.plot([], [], color=c[0], label="sum of ReLUs g(x)")[0])
        self.marks = self._dyn(self.ax_f.plot([], [], "o", color=c[1], ms=5, label="knots")[0])
        self.units = self._dyn(LineCollection([], colors=c[2], linewidths=1.2, alpha=0.9))
        self.ax_u.add_collection(self.units, autolim=False)
        # the error as text in the static figure only: an explorer's readout has it (text is slow to redraw)
        self.info = None if live else self.ax_f.text(0.98, 0.04, "", transform=self.ax_f.transAxes, ha="right",
                                                     fontsize="small")
        # which line is which unit: the static figure says so (colour by knot; a unit with a_k = 0 is on the 0 line)
        self.unit_info = None if live else self.ax_u.text(0.02, 0.96, "", transform=self.ax_u.transAxes, ha="left",
                                                          va="top", fontsize="small")
        # above the axes, not inside: targets such as x^2 fill the upper corners, where a legend would cover them
        self.ax_f.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, fontsize="small", frameon=False,
                         borderaxespad=0.2)
        self.ax_f.set_ylabel("f(x), g(x)")
        self.ax_u.set_ylabel("$a_k\\,\\mathrm{relu}(x - t_k)$")
        self.ax_u.set_xlabel("x")
        for ax in (self.ax_f, self.ax_u):
            ax.axhline(0, color="black", lw=0.8, zorder=1)
        # the static figure's colour bar of the knots t_k beside the lower panel (review item 4: a colour map with
        # only a sentence to explain it); both panels narrow alike, so their x axes stay aligned
        self.figure.subplots_adjust(left=0.14, right=0.97 if live else 0.87, top=0.87, bottom=0.1, hspace=0.3)
        self.cax = None
        if not live:
            box = self.ax_u.get_position()
            self.cax = self.figure.add_axes([0.89, box.y0, 0.022, box.height])
        self.state: dict = {}

    def update(self, n_units: int = 4, target="sine", x_range=X_RANGE):
        g = relu_sum(target, n_units, x_range)
        x = np.linspace(*x_range, 601)
        fx, gx, units = _target(target)(x), g(x), g.units(x)
        error = max_error(target, n_units, x_range)
        self.line_target.set_data(x, fx)
        self.line_sum.set_data(x, gx)
        self.marks.set_data(g.knots, g(g.knots))
        # one colour per unit, dark (first knot) to light (last knot); a unit with a_k = 0 dotted, on the zero line,
        # drawn last so the other units' flat parts do not cover it
        zero = np.abs(g.weights) <= 1e-9 * max(1.0, float(np.abs(g.weights).max()))
        order = np.argsort(zero, kind="stable")
        self.units.set_segments([np.column_stack([x, units[k]]) for k in order])
        self.units.set_color(UNIT_COLOURS(np.linspace(0.0, 0.85, len(units))[order]))
        self.units.set_linestyle([(0, (1, 1.5)) if zero[k] else "-" for k in order])
        self.units.set_linewidth([2.4 if zero[k] else 1.4 for k in order])
        if self.unit_info is not None:
            note = ""
            if zero.any():
                knots = ", ".join(fmt(float(t)) for t in g.knots[zero])
                at = f"at $t_k$ = {knots}" if zero.sum() <= 4 else f"for {int(zero.sum())} units"  # a short line
                note = f"$a_k = 0$ {at}: dotted, on the zero line"
            self.unit_info.set_text(note)
        if self.cax is not None:  # a unit's colour is its knot's place between the first and the last knot
            self.cax.clear()
            t0, t1 = float(g.knots[0]), float(g.knots[-1])
            norm = Normalize(t0, t1 if t1 > t0 else t0 + 1.0)
            bar = self.figure.colorbar(ScalarMappable(norm=norm, cmap=_UNIT_MAP), cax=self.cax)
            bar.set_label("knot $t_k$ of the unit", fontsize="small")
            ticks = g.knots if len(g.knots) <= 7 else g.knots[:: -(-len(g.knots) // 6)]
            bar.set_ticks([float(t) for t in ticks], labels=[fmt(float(t)) for t in ticks])
            bar.ax.tick_params(labelsize="small")
        name = _LABELS.get(target, target) if isinstance(target, str) else f"{getattr(target, '__name__', 'f')}(x)"
        self.figure.suptitle(f"A sum of ReLU units approximating {name}")
        if self.info is not None:
            self.info.set_text(f"{n_units} unit{'s' if n_units != 1 else ''}: max |f - g| = {error:.3g}")
        live = _drag_limits(target, tuple(x_range)) if self.live else None
        for i, (ax, data) in enumerate(((self.ax_f, (fx, gx)), (self.ax_u, (units,)))):
            ax.set_xlim(*x_range)
            # an explorer's limits hold every number of units of the target: a units drag redraws only the curves
            ax.set_ylim(*(live[i] if live else stable_limits(None, *analysis.finite_range(*data))))
        self.state = dict(n_units=n_units, target=target, error=error, relu_sum=g)
        return self


@functools.lru_cache(maxsize=16)
def _drag_limits(target, x_range) -> tuple:
    """Round y limits of both panels that fit the target's sums of 1 to MAX_UNITS units (about 5 ms)."""
    x = np.linspace(*x_range, 601)
    top, bottom = [_target(target)(x)], []
    for n in range(1, MAX_UNITS + 1):
        g = relu_sum(target, n, x_range)
        top.append(g(x))
        bottom.append(g.units(x))
    return (stable_limits(None, *analysis.finite_range(*top)),
            stable_limits(None, *analysis.finite_range(*[u.ravel() for u in bottom])))


def plot_relu_sum(n_units: int = 4, target="sine", x_range=X_RANGE, *, talk: bool | None = None):
    """The static figure of ``ReluSumPanel``: a sum of ``n_units`` ReLUs against the target."""
    return ReluSumPanel(talk=talk).update(n_units, target, x_range).figure


class _ReluSumExplorer(Explorer):
    def __init__(self, n_units, target, talk):
        self.n_units = widgets.IntSlider(value=n_units, min=1, max=MAX_UNITS, description="units",
                                         continuous_update=True)
        self.target = widgets.Dropdown(options=list(TARGETS), value=target, description="target")
        for control in (self.n_units, self.target):
            control.observe(self._changed, names="value")
        super().__init__(ReluSumPanel(talk=talk, live=True), widgets.VBox([self.n_units, self.target]))

    @property
    def controls(self) -> dict:
        return {"units": self.n_units, "target": self.target}

    def _state(self):
        return (self.n_units.value, self.target.value)

    def _draw(self, state):
        n, target = state
        self.panel.update(n, target)
        spacing = (X_RANGE[1] - X_RANGE[0]) / n
        self.readout.value = readout_table([("units", n), ("max |f - g|", fmt(self.panel.state["error"])),
                                            ("knot spacing", fmt(spacing))], talk=self.talk)


def relu_sum_explorer(n_units: int = 4, target: str = "sine", *, talk: bool | None = None) -> Explorer:
    """A slider for the number of ReLU units and a menu of targets; one persistent figure."""
    explorer = _ReluSumExplorer(n_units, target, talk)
    explorer.redraw()
    return explorer

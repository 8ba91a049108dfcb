"""Experiments for notebook 04 (mobile-friendly activations: ReLU6, hard-sigmoid, hard-swish).

What is here, in the order the notebook uses it:

* low precision: ``long_tailed_preactivations`` (a stand-in for a layer's
  pre-activations), ``quantise`` (an 8-bit grid over a fixed range),
  ``int8_error`` and ``float16_error`` (what representing activations costs),
  ``range_sweep`` (the error against the chosen range) and the explorer
  ``explore_quantisation`` with its static twin ``plot_quantisation``;
* hard-sigmoid, hard-swish, MobileNetV3 and costs: in ``acts.experiments.hard_versions``,
  re-exported here;
* integer-only hard-swish: ``quantise_multiplier``, ``rounding_shift``,
  ``hard_swish_int8``, ``int8_hard_swish_report``, the explorer
  ``explore_int8_hard_swish`` and its static twin ``plot_int8_hard_swish``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import ipywidgets
import numpy as np
from matplotlib.ticker import NullLocator

from acts import plotting
from acts.registry import get
from acts.style import fmt
from acts.widgets import Explorer, number_slider, readout_table

from .hard_versions import (  # noqa: F401  (re-exported: the notebook reaches them as mobile_friendly.<name>)
    HEAD_CHANNELS,
    HEAD_UNITS,
    MOBILENET_V3_LARGE,
    NUMPY_FORMS,
    STEM_CHANNELS,
    YARDSTICKS,
    cost_table,
    mobilenet_v3_blocks,
    mobilenet_v3_summary,
    notes_hard_sigmoid,
    plot_hard_sigmoid_forms,
    plot_hard_swish_gap,
    slope_changes,
)

# ---------------------------------------------------------------------------
# Low precision: float16 and 8-bit integers


def long_tailed_preactivations(n: int = 20_000, seed: int = 0) -> np.ndarray:
    """Pre-activations with a long tail: 2 * Student's t with 3 degrees of freedom.

    Most values are small and a few are large, as in a trained network's
    layers; a stand-in that needs no training. Float64, shape (n,).
    """
    return 2.0 * np.random.default_rng(seed).standard_t(3, n)


def quantise(a, high: float, bits: int = 8, low: float = 0.0) -> np.ndarray:
    """``a`` rounded to the nearest of 2**bits evenly spaced levels from ``low`` to ``high`` (clipped outside).

    This is what storing activations as 8-bit integers with a fixed scale
    (high - low) / (2**bits - 1) does; the result is dequantised back to floats.
    """
    levels = 2**bits - 1
    step = (high - low) / levels
    q = np.clip(np.rint((np.asarray(a, dtype=float) - low) / step), 0, levels)
    return low + q * step


@dataclass(frozen=True)
class QuantError:
    """The cost of storing activations on a fixed grid: step, RMS and max error, share clipped."""

    step: float
    rms: float
    max: float
    clipped: float


def int8_error(a, high: float, bits: int = 8) -> QuantError:
    """Error of ``quantise(a, high, bits)`` against ``a`` (a: non-negative activations)."""
    a = np.asarray(a, dtype=float)
    err = quantise(a, high, bits) - a
    return QuantError(high / (2**bits - 1), float(np.sqrt(np.mean(err * err))), float(np.max(np.abs(err))),
                      float(np.mean(a > high)))


def float16_error(a) -> dict:
    """Max absolute and relative error of storing ``a`` as float16, and how many values overflow to inf."""
    a = np.asarray(a, dtype=float)
    with np.errstate(over="ignore"):
        h = a.astype(np.float16).astype(float)
    finite = np.isfinite(h)
    err = np.abs(h[finite] - a[finite])
    nonzero = a[finite] != 0
    rel = err[nonzero] / np.abs(a[finite][nonzero])
    return {"max_abs": float(err.max(initial=0.0)), "max_rel": float(rel.max(initial=0.0)),
            "overflow": int(np.sum(~finite))}


def range_sweep(z, ranges, bits: int = 8) -> dict:
    """RMS error of 8-bit (``bits``) storage over [0, R] for every R in ``ranges``, for relu(z) and relu6(z)."""
    relu, relu6 = get("relu")(z), get("relu6")(z)
    return {"ranges": np.asarray(ranges, dtype=float),
            "relu": np.array([int8_error(relu, r, bits).rms for r in ranges]),
            "relu6": np.array([int8_error(relu6, r, bits).rms for r in ranges])}


class QuantisationPanel(plotting.LivePanel):
    """Left: the histogram of ReLU activations and the range [0, R] an 8-bit grid covers.

    Right: RMS storage error against R, for ReLU's and ReLU6's activations,
    with the current R marked. ``update(high, bits)`` moves the marks.
    """

    def __init__(self, z=None, *, talk: bool | None = None, live: bool = False):
        super().__init__(live)
        self.z = long_tailed_preactivations() if z is None else np.asarray(z, dtype=float)
        self.relu, self.relu6 = get("relu")(self.z), get("relu6")(self.z)
        style = plotting.course_style(talk)
        w, h = style["figure.figsize"]
        self.figure, (self.ax_h, self.ax_e) = plotting.new_figure(1, 2, talk=talk, figsize=(w * 1.6, h * 0.85))
        small = style["legend.fontsize"]
        top = float(np.ceil(self.relu.max() / 10) * 10)
        counts, edges = np.histogram(self.relu[self.relu > 0], bins=120, range=(0, top))
        self.ax_h.stairs(np.maximum(counts, 0.5), edges, baseline=0.5, fill=True, color=plotting.PALETTE[0])
        self.ax_h.set_yscale("log")
        # the tallest bar ends at least a third of a decade below the top: every bar inside, room for the legend
        self.ax_h.set_ylim(0.5, 10 ** np.ceil(np.log10(counts.max()) + 1 / 3))
        self.ax_h.set_xlim(0, top)
        self.ax_h.set_xlabel("ReLU activation value")
        self.ax_h.set_ylabel("count (log scale)")
        self.ax_h.set_title("Where the activations are")
        self.span = self._dyn(self.ax_h.axvspan(0, 6, color=plotting.PALETTE[2], alpha=0.2, lw=0,
                                                zorder=0, label="covered by the grid [0, R]"))
        self.clip = self._dyn(self.ax_h.axvspan(6, top, color=plotting.PALETTE[1], alpha=0.15, lw=0,
                                                zorder=0, label="stored as R (clipped)"))
        self.ax_h.axvline(6, color="black", ls=":", lw=1.2, label="ReLU6's cap")
        self.ax_h.legend(loc="upper right", fontsize=small)
        self.ranges = np.geomspace(1, top, 60)
        self.ax_e.set_xscale("log")
        self.ax_e.set_yscale("log")
        self.ax_e.set_xlabel("range R of the grid [0, R]")
        self.ax_e.set_ylabel("RMS error of the stored value")
        self.ax_e.set_title("Error against the chosen range")
        self.curve_relu = self._dyn(self.ax_e.plot([], [], color=plotting.PALETTE[0], ls="-", label="ReLU")[0])
        self.curve_relu6 = self._dyn(self.ax_e.plot([], [], color=plotting.PALETTE[1], ls="--", label="ReLU6")[0])
        self.at = self._dyn(self.ax_e.axvline(6, color="black", lw=1))
        self.dots = self._dyn(self.ax_e.plot([], [], "o", color="black", ms=6, zorder=5)[0])
        self.ax_e.legend(loc="upper right", fontsize=small)
        self.ax_e.set_xlim(self.ranges[0], self.ranges[-1])
        for axis in (self.ax_h.yaxis, self.ax_e.xaxis, self.ax_e.yaxis):  # minor log ticks are slow to draw
            axis.set_minor_locator(NullLocator())
        ticks = [t for t in (1, 2, 3, 6, 10, 20, 50, 100) if t <= top]
        self.ax_e.set_xticks(ticks, [str(t) for t in ticks])
        self.figure.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.15, wspace=0.28)
        self.state: dict = {}

    def update(self, high: float = 6.0, bits: int = 8):
        """Mark the range [0, high] and its errors; recompute the error curves when ``bits`` changes."""
        if self.state.get("bits") != bits:
            sweep = range_sweep(self.z, self.ranges, bits)
            self.curve_relu.set_data(self.ranges, sweep["relu"])
            self.curve_relu6.set_data(self.ranges, sweep["relu6"])
            both = np.concatenate([sweep["relu"], sweep["relu6"]])
            self.ax_e.set_ylim(10 ** np.floor(np.log10(both.min())), 10 ** np.ceil(np.log10(both.max())))
            self.state["bits"] = bits
        top = self.ax_h.get_xlim()[1]
        self.span.set_x(0)
        self.span.set_width(min(high, top))
        self.clip.set_x(min(high, top))
        self.clip.set_width(max(top - high, 0))
        relu, relu6 = int8_error(self.relu, high, bits), int8_error(self.relu6, high, bits)
        self.at.set_xdata([high, high])
        self.dots.set_data([high, high], [relu.rms, relu6.rms])
        self.state.update(high=high, relu=relu, relu6=relu6)
        return self


def _quant_readout(panel) -> str:
    s = panel.state
    rows = [("grid step", fmt(s['relu'].step), fmt(s['relu6'].step))]
    for label, key in (("RMS error", "rms"), ("max error", "max")):
        rows.append((label, fmt(getattr(s['relu'], key)), fmt(getattr(s['relu6'], key))))
    rows.append(("values clipped", f"{fmt(100 * s['relu'].clipped)} %", f"{fmt(100 * s['relu6'].clipped)} %"))
    return readout_table(rows, header=("", "ReLU", "ReLU6"), talk=panel.figure.acts_talk)


class QuantisationExplorer(Explorer):
    """The explorer of ``explore_quantisation``: sliders for the range R and the number of bits."""

    def __init__(self, z=None, talk=None):
        wide = {"description_width": "initial"}
        stops = np.concatenate([np.arange(1.0, 20.0, 0.25), np.arange(20.0, 100.5, 1.0)])  # 6 (ReLU6's cap) exact
        self.high = number_slider("range R", stops, 6.0)
        self.bits = ipywidgets.IntSlider(value=8, min=2, max=8, description="bits", continuous_update=True,
                                         style=wide)
        for control in (self.high, self.bits):
            control.observe(self._changed, names="value")
        super().__init__(QuantisationPanel(z, talk=talk, live=True), ipywidgets.VBox([self.high, self.bits]))

    @property
    def controls(self) -> dict:
        return {"range": self.high, "bits": self.bits}

    def _state(self):
        return (self.high.value, self.bits.value)

    def _draw(self, state):
        self.panel.update(*state)
        self.readout.value = _quant_readout(self.panel)


def explore_quantisation(z=None, *, talk: bool | None = None):
    """An explorer of 8-bit storage: sliders for the range R of the grid [0, R] and the number of bits.

    One persistent figure (``QuantisationPanel``), updated in place and sent
    as a PNG into an ``ipywidgets.Image``, as the explorers of ``acts.widgets``.
    """
    explorer = QuantisationExplorer(z, talk)
    explorer.redraw()
    return explorer


def plot_quantisation(high: float = 6.0, bits: int = 8, z=None, *, talk: bool | None = None):
    """The static twin of ``explore_quantisation``: the same figure for one range and number of bits."""
    return QuantisationPanel(z, talk=talk).update(high, bits).figure


# ---------------------------------------------------------------------------
# Integer-only hard-swish


def quantise_multiplier(m: float) -> tuple:
    """A real multiplier 0 < m < 1 as an integer and a shift: m ~ m0 * 2**-shift, 2**30 <= m0 < 2**31.

    This is how integer inference engines (gemmlowp, TFLite) apply a scale
    without floating point: multiply by m0, then shift right.
    """
    if not 0 < m < 1:
        raise ValueError(f"quantise_multiplier(): m must be in (0, 1); got {m!r}")
    mantissa, exponent = math.frexp(m)  # m = mantissa * 2**exponent, 0.5 <= mantissa < 1
    m0 = round(mantissa * 2**31)
    if m0 == 2**31:
        m0, exponent = m0 // 2, exponent + 1
    return m0, 31 - exponent


def rounding_shift(v, shift: int):
    """v / 2**shift rounded to the nearest integer (halves up), with integers only."""
    v = np.asarray(v, dtype=np.int64)
    return (v + (1 << (shift - 1))) >> shift


def hard_swish_int8(q_x, s_x: float, s_y: float, z_y: int) -> np.ndarray:
    """Hard-swish of int8 inputs with integer arithmetic only; int8 outputs.

    Input x = s_x * q_x (zero point 0); output y = s_y * (q_y - z_y).
    Steps: the constants 3 and 6 in input units (rounded once, offline); r =
    clamp(q_x + q3, 0, q6), which is relu6(x + 3) / s_x; the product q_x * r
    (an integer that fits in 32 bits); one multiply by m0 and a rounding shift
    that apply the scale s_x^2 / (6 s_y); add the zero point; clamp to int8.
    """
    q_x = np.asarray(q_x).astype(np.int64)
    q3, q6 = round(3 / s_x), round(6 / s_x)
    r = np.clip(q_x + q3, 0, q6)
    m0, shift = quantise_multiplier(s_x * s_x / (6 * s_y))
    q_y = rounding_shift(q_x * r * m0, shift) + z_y
    return np.clip(q_y, -128, 127).astype(np.int8)


def output_grid(s_x: float) -> tuple:
    """An int8 output scale and zero point covering hard-swish's outputs for int8 inputs of scale s_x."""
    low, high = -0.375, 127 * s_x  # the minimum of hard-swish; the largest input maps to itself
    s_y = (high - low) / 255
    return s_y, -128 + round(-low / s_y)


def int8_hard_swish_report(x_max: float = 8.0) -> dict:
    """Every int8 input (-128..127, input step s_x = x_max / 128) through ``hard_swish_int8``, against floats.

    ``lsb_vs_rounded``: integer result minus the float result rounded to the
    same output grid, in output steps (LSBs); ``lsb_vs_exact``: integer result
    minus the exact float value, in LSBs.
    """
    s_x = x_max / 128
    s_y, z_y = output_grid(s_x)
    q_x = np.arange(-128, 128)
    x = s_x * q_x
    q_int = hard_swish_int8(q_x, s_x, s_y, z_y).astype(np.int64)
    exact = get("hard_swish")(x)
    q_float = np.clip(np.floor(exact / s_y + 0.5) + z_y, -128, 127).astype(np.int64)  # halves up, as the shift
    return {"x": x, "q_x": q_x, "q_int": q_int, "q_float": q_float, "exact": exact, "s_x": s_x, "s_y": s_y,
            "z_y": z_y, "q3": 3 / s_x, "lsb_vs_rounded": q_int - q_float, "lsb_vs_exact": (q_int - z_y) - exact / s_y}


class Int8HardSwishPanel(plotting.LivePanel):
    """Top: the integer-only hard-swish of all 256 int8 inputs over the float curve. Bottom: its error in LSBs."""

    def __init__(self, *, talk: bool | None = None, live: bool = False):
        super().__init__(live)
        self.figure, (self.ax, self.ax_e) = plotting.new_figure(2, 1, talk=talk)
        small = plotting.course_style(talk)["legend.fontsize"]
        self.curve = self._dyn(self.ax.plot([], [], color=plotting.PALETTE[0], label="float hard-swish")[0])
        self.dots = self._dyn(self.ax.plot([], [], ".", color=plotting.PALETTE[1], ms=3,
                                           label="integer-only: int8 in, int8 out")[0])
        self.ax.set_ylabel("hard_swish(x)")
        self.ax.set_title("hard-swish in int8, with integer arithmetic only")
        self.ax.legend(loc="upper left", fontsize=small)
        # the exact-value dots on top: where both errors are 0 (x < -3) the crosses would hide them
        self.exact = self._dyn(self.ax_e.plot([], [], ".", color=plotting.PALETTE[2], ms=3, zorder=3,
                                              label="vs the exact value")[0])
        self.rounded = self._dyn(self.ax_e.plot([], [], "x", color=plotting.PALETTE[3], ms=4, zorder=2,
                                                label="vs float result on the same grid")[0])
        self.ax.set_xlabel("x")
        self.ax_e.set_ylim(-1.2, 2.0)  # an explorer's fixed limits: errors reach 1 LSB; room above for the legend
        self.ax_e.set_xlabel("x")
        self.ax_e.set_ylabel("error (output LSBs)")
        # inside the lower panel, in a band above the points, so it reads as this panel's legend
        self.ax_e.legend(loc="upper center", fontsize=small, ncols=2, borderaxespad=0.3)
        self.figure.subplots_adjust(left=0.13, right=0.97, top=0.92, bottom=0.11, hspace=0.42)
        self.state: dict = {}

    def update(self, x_max: float = 8.0):
        rep = int8_hard_swish_report(x_max)
        xs = np.linspace(rep["x"][0], rep["x"][-1], 801)
        self.curve.set_data(xs, get("hard_swish")(xs))
        self.dots.set_data(rep["x"], rep["s_y"] * (rep["q_int"] - rep["z_y"]))
        self.exact.set_data(rep["x"], rep["lsb_vs_exact"])
        self.rounded.set_data(rep["x"], rep["lsb_vs_rounded"])
        # limits in a few fixed sizes, so that a small slider move redraws only the points (see LivePanel)
        span = next((v for v in (4.0, 8.0, 16.0) if x_max <= v), x_max)
        for ax in (self.ax, self.ax_e):
            ax.set_xlim(-1.04 * span, 1.04 * span)
        self.ax.set_ylim(-0.1 * span - 0.5, 1.05 * span)
        if not self.live:  # a static figure: the errors drawn plus a margin, at least +-0.7 LSB
            top = max(0.5, float(np.abs(rep["lsb_vs_exact"]).max()), float(np.abs(rep["lsb_vs_rounded"]).max()))
            self.ax_e.set_ylim(-top - 0.2, top + 0.2 + 0.35 * (2 * top + 0.4))  # a band above for the legend
        self.state = rep
        return self


def plot_int8_hard_swish(x_max: float = 8.0, *, talk: bool | None = None):
    """The static twin of ``explore_int8_hard_swish``: all 256 int8 inputs, their outputs and errors."""
    return Int8HardSwishPanel(talk=talk).update(x_max).figure


class Int8HardSwishExplorer(Explorer):
    """The explorer of ``explore_int8_hard_swish``: a slider for the input range [-x_max, x_max)."""

    def __init__(self, talk=None):
        self.x_max = number_slider("input range x_max", np.arange(2.0, 16.0 + 1e-9, 0.125), 8.0)
        self.x_max.observe(self._changed, names="value")
        super().__init__(Int8HardSwishPanel(talk=talk, live=True), ipywidgets.VBox([self.x_max]))

    @property
    def controls(self) -> dict:
        return {"x_max": self.x_max}

    def _state(self):
        return self.x_max.value

    def _draw(self, state):
        rep = self.panel.update(state).state
        diff = rep["lsb_vs_rounded"]
        rows = [("input step s_x", fmt(rep['s_x'], 4)), ("3 / s_x", fmt(rep['q3'], 4)),
                ("output step s_y", fmt(rep['s_y'], 4)),
                ("max error vs exact", f"{fmt(np.abs(rep['lsb_vs_exact']).max())} LSB"),
                ("inputs off by 1 LSB from float", f"{int(np.sum(diff != 0))} of 256")]
        self.readout.value = readout_table(rows, talk=self.talk)


def explore_int8_hard_swish(*, talk: bool | None = None):
    """An explorer of the integer-only hard-swish: drag the int8 input range and watch the error in LSBs."""
    explorer = Int8HardSwishExplorer(talk)
    explorer.redraw()
    return explorer

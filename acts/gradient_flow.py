"""The gradient-flow panel: the gradient norm per layer, and the distribution of activations per layer.

Draws what ``acts.diagnostics.signal_propagation`` computes (anything with
``grad_norms`` and ``activations``), as a static figure
(``acts.plotting.plot_gradient_flow``) or live in ``acts.widgets.depth``.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps, patheffects
from matplotlib.colors import LogNorm
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from acts import analysis
from acts.panels import LivePanel
from acts.style import PALETTE, course_style, fmt, new_figure

__all__ = ["GradientFlowPanel"]


def _decade_limits(lo: float, hi: float) -> tuple:
    """Live axis limits for data in [lo, hi]: each end 0 or +-10^k. Activations that double at every slider
    stop then move the limits only every few stops; and being a function of the data alone (no memory of the
    last limits), a drag back meets limits drawn before, whose backgrounds the panel keeps (``LivePanel``)."""
    def end(v, up):
        if v == 0 or (v > 0) != up:  # the end on the other side of 0: 0
            return 0.0
        return float(np.copysign(10.0 ** np.ceil(np.log10(abs(v)) - 1e-9), v))

    new = (end(lo, False), end(hi, True))
    return (new[0] - 1.0, new[1] + 1.0) if new[0] == new[1] else new


class GradientFlowPanel(LivePanel):
    """Left: the gradient norm per layer (log scale). Right: the distribution of activations per layer.

    The distribution is a 2-D histogram: one column per layer, the share of
    the layer's units in each bin as colour on a log scale (with a colour bar;
    shares span several decades, from ReLU's spike of zeros to a tail bin;
    empty bins white), the
    mean of each layer drawn over it in white with a black edge, visible on
    any colour map. An arrow shows that backpropagation runs from the last
    layer to the first.
    """

    BINS = 60
    SAMPLE = 4096  # activations binned per layer at most (evenly spaced): the picture needs shares, not every unit
    SHARE_MIN = 1e-4  # the colour scale's lowest share: one unit in 10,000 (a layer's units reach about 4096)

    def __init__(self, *, talk: bool | None = None, live: bool = False):
        super().__init__(live)
        style = course_style(talk)
        w, h = style["figure.figsize"]
        self.figure, (self.ax_g, self.ax_a) = new_figure(1, 2, talk=talk, figsize=(w * 1.4, h * 0.85))
        self.style = style
        small = style["legend.fontsize"]
        self.ax_g.set_yscale("log")
        self.ax_g.yaxis.set_major_locator(LogLocator(numticks=6))  # few ticks, no minor ones: text is slow
        self.ax_g.yaxis.set_minor_locator(NullLocator())
        self.ax_g.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"1e{round(np.log10(v))}" if v > 0 else ""))
        self.ax_g.set_xlabel("layer (1 = next to the input)")
        self.ax_g.set_ylabel("gradient norm at the layer's input")
        self.ax_g.annotate("", xy=(0.06, 1.03), xytext=(0.94, 1.03), xycoords="axes fraction",
                           arrowprops=dict(arrowstyle="-|>", color=PALETTE[1], lw=2))
        self.ax_g.text(0.5, 1.05, "backpropagation runs this way", transform=self.ax_g.transAxes, ha="center",
                       va="bottom", fontsize=small, color=PALETTE[1])
        self.ax_a.set_xlabel("layer")
        self.ax_a.set_ylabel("activation value")
        self.ax_a.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v)))  # "2e6", no "1e6" over the title
        self.line_g = self._dyn(self.ax_g.plot([], [], marker="o", ms=4, color=PALETTE[0],
                                               lw=style["lines.linewidth"])[0])
        cmap = colormaps["cividis"].with_extremes(bad="white")  # an empty bin is white: no unit there
        self.image = self._dyn(self.ax_a.imshow(np.ma.masked_all((self.BINS, 1)), origin="lower", aspect="auto",
                                                cmap=cmap, norm=LogNorm(self.SHARE_MIN, 1.0),
                                                interpolation="nearest"))
        bar = self.figure.colorbar(self.image, ax=self.ax_a, fraction=0.06, pad=0.03, extend="min")
        bar.set_label("share of the layer's units\nin the bin (log scale)", fontsize=small)
        bar.ax.tick_params(labelsize=small)
        bar.ax.yaxis.set_minor_locator(NullLocator())
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v)))
        outline = [patheffects.Stroke(linewidth=4, foreground="black"), patheffects.Normal()]
        self.line_mean = self._dyn(self.ax_a.plot([], [], color="white", lw=2, label="mean", path_effects=outline)[0])
        self.ax_a.grid(False)
        self.ax_a.set_title("white line: the mean of each layer", fontsize=small)  # a legend would sit on the data
        self.note = self._dyn(self.ax_g.text(0.02, 0.02, "", transform=self.ax_g.transAxes, fontsize=small))
        self._limits: dict = {}
        self.figure.subplots_adjust(left=0.09, right=0.88, top=0.8, bottom=0.15, wspace=0.35)

    def update(self, result, title: str = ""):
        """Draw a ``signal_propagation`` result (anything with ``.grad_norms`` and ``.activations``)."""
        norms = np.asarray(result.grad_norms, dtype=float)
        depth = len(norms)
        layers = np.arange(1, depth + 1)
        positive = np.isfinite(norms) & (norms > 0)
        self.line_g.set_data(layers[positive], norms[positive])
        # live: x limits in a few sizes and y limits that stay while they fit, so a step redraws only the data
        shown = next((d for d in (5, 10, 20, 30, 40, 60) if depth <= d), depth) if self.live else depth
        for ax in (self.ax_g, self.ax_a):
            ax.set_xlim(0.5, shown + 0.5)
        if positive.any():
            logs = np.log10(norms[positive])
            lo_dec, hi_dec = np.floor(logs.min() - 0.2), np.ceil(logs.max() + 0.2)
            if self.live:  # whole blocks of 4 decades, a function of the norms alone (see _decade_limits)
                lo_dec, hi_dec = 4 * np.floor(lo_dec / 4), 4 * np.ceil(hi_dec / 4)
            self._limits["g"] = (lo_dec, hi_dec)
            self.ax_g.set_ylim(10 ** lo_dec, 10 ** hi_dec)
        bad = depth - int(positive.sum())
        self.note.set_text(f"{bad} layer(s) with gradient 0, inf or NaN (not drawn)" if bad else "")
        # (layers, values), about SAMPLE values a layer at most
        values = np.stack([np.asarray(a).reshape(-1) for a in result.activations])
        values = values[:, ::max(1, values.shape[1] // self.SAMPLE)]
        finite = np.isfinite(values)
        sample = values[finite]
        lo, hi = (np.percentile(sample, [0.1, 99.9]) if sample.size else (-1.0, 1.0))
        lo, hi = analysis.safe_range((lo, hi), 1e-6 * max(1.0, abs(lo), abs(hi)))
        if self.live:  # the binned range is the axis range: whole decades, 0 or +-10^k
            lo, hi = self._limits["a"] = _decade_limits(lo, hi)
        # one histogram per layer in a single bincount: bin b of layer k is slot k * BINS + b
        inside = finite & (values >= lo) & (values <= hi)
        bins = np.minimum(((np.where(inside, values, lo) - lo) * (self.BINS / (hi - lo))).astype(np.int64),
                          self.BINS - 1)
        slots = (np.arange(depth)[:, None] * self.BINS + bins)[inside]
        counts = np.bincount(slots, minlength=depth * self.BINS).reshape(depth, self.BINS).T.astype(float)
        counts /= np.maximum(finite.sum(axis=1), 1)
        if getattr(result, "means", None) is not None:  # every unit's mean, as signal_propagation gives it
            means = np.asarray(result.means, dtype=float)
        else:
            with np.errstate(invalid="ignore"):
                means = np.where(finite.any(axis=1), np.where(finite, values, 0).sum(axis=1) / finite.sum(axis=1),
                                 np.nan)
        # colour: the share of the layer's units in each bin on a log scale (ReLU's spike of zeros holds half the
        # units, a tail bin one in thousands: both readable); a fixed scale keeps the colour bar still
        self.image.set_data(np.ma.masked_less_equal(counts, 0.0))
        self.image.set_extent((0.5, depth + 0.5, lo, hi))
        self.line_mean.set_data(layers, means)
        self.ax_a.set_ylim(lo, hi)
        self.figure.suptitle(title, fontsize=self.style["axes.titlesize"])
        self.state = dict(layers=layers, grad_norms=norms, counts=counts, means=means, range=(lo, hi))
        return self

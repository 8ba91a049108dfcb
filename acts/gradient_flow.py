"""The gradient-flow panel: the gradient norm per layer, and the distribution of activations per layer.

Draws what ``acts.diagnostics.signal_propagation`` computes (anything with
``grad_norms`` and ``activations``), as a static figure
(``acts.plotting.plot_gradient_flow``) or live in ``acts.widgets.depth``.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps, patheffects
from matplotlib.colors import LogNorm
from matplotlib.image import AxesImage
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator
from matplotlib.transforms import IdentityTransform

from acts import analysis
from acts.panels import LivePanel
from acts.style import PALETTE, course_style, fmt, new_figure

__all__ = ["GradientFlowPanel"]


LAYER_BLOCK = 20  # the live layer axis grows in blocks: the default depth fills it, a drag widens it twice


def _scaled_limits(lo: float, hi: float) -> tuple:
    """Live activation axis for data in [lo, hi] (lo < hi): (scale, (a, b)). The axis shows values / scale, with
    scale the power of ten at or above the largest |value| and each end 0, +-0.1 or +-1, so the data fill at
    least a tenth of it; the limits change only when the data's signs do, while the scale (a text drawn with
    the data) follows every slider stop. A function of the data alone: a drag back meets what it drew."""
    big = max(abs(lo), abs(hi))
    scale = float(10.0 ** np.ceil(np.log10(big) - 1e-9)) if big > 0 else 1.0

    def end(v, up):
        r = v / scale
        if r == 0 or (r > 0) != up:  # the end on the other side of 0: 0
            return 0.0
        return float(np.copysign(0.1 if abs(r) <= 0.1 else 1.0, r))

    return scale, (end(lo, False), end(hi, True))


def _ladder(lo_dec: float, hi_dec: float) -> tuple:
    """Live gradient-norm limits in decades for data in [lo_dec, hi_dec]: each end 0 or +-2^k decades (1, 2, 4,
    8, 16, ...), so a slider that moves the norms a decade a stop crosses a new end at ever longer intervals."""
    def end(v, up):
        if v == 0 or (v > 0) != up:
            return 0.0
        return float(np.copysign(2.0 ** np.ceil(np.log2(abs(v)) - 1e-9), v))

    return end(lo_dec, False), end(hi_dec, True)


def _decade_label(v, _pos=None) -> str:
    """A log tick's text: "1e2" at a power of ten, else the number ("2e2", "500")."""
    if not v > 0:
        return ""
    e = round(float(np.log10(v)))
    return f"1e{e}" if abs(v / 10.0**e - 1) < 1e-9 else fmt(v)


def _set_lim(setter, now, new):
    """Set axis limits unless they are those already (setting them costs a live step about half a millisecond)."""
    if tuple(map(float, now)) != tuple(map(float, new)):
        setter(*new)


class _NearestImage(AxesImage):
    """An image of RGBA bytes drawn by nearest neighbour: each pixel of the canvas inside the image and the axes
    takes the colour of the cell its centre falls in. (Other data: as ``AxesImage`` draws it.)"""

    def make_image(self, renderer, magnification=1.0, unsampled=False):
        data = np.ma.getdata(self._A)  # the bytes (indexing a masked array costs as much as the rest)
        if unsampled or magnification != 1.0 or data.ndim != 3 or data.dtype != np.uint8:
            return super().make_image(renderer, magnification, unsampled)
        x0, x1, y0, y1 = self.get_extent()
        (px0, py0), (px1, py1) = self.get_transform().transform([(x0, y0), (x1, y1)])
        clip = self.axes.bbox
        left, bottom = round(max(min(px0, px1), clip.x0)), round(max(min(py0, py1), clip.y0))
        right, top = round(min(max(px0, px1), clip.x1)), round(min(max(py0, py1), clip.y1))
        if right <= left or top <= bottom:
            return None, 0, 0, None
        rows, cols = data.shape[:2]
        col = ((np.arange(left, right) + 0.5 - px0) * (cols / (px1 - px0))).astype(np.int64).clip(0, cols - 1)
        row = ((np.arange(bottom, top) + 0.5 - py0) * (rows / (py1 - py0))).astype(np.int64).clip(0, rows - 1)
        return data[row][:, col], left, bottom, IdentityTransform()  # the bottom row first, as Agg takes it


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

    def __init__(self, *, talk: bool | None = None, live: bool = False, max_layers: int = 60):
        super().__init__(live)
        style = course_style(talk)
        w, h = style["figure.figsize"]
        self.figure, (self.ax_g, self.ax_a) = new_figure(1, 2, talk=talk, figsize=(w * 1.4, h * 0.85))
        self.style = style
        small = style["legend.fontsize"]
        self.ax_g.set_yscale("log")
        self.ax_g.yaxis.set_major_locator(LogLocator(numticks=6))  # few ticks, no minor ones: text is slow
        self.ax_g.yaxis.set_minor_locator(NullLocator())
        self.ax_g.yaxis.set_major_formatter(FuncFormatter(_decade_label))
        self.ax_g.set_xlabel("layer (1 = next to the input)")
        self.ax_g.set_ylabel("gradient norm at the layer's input")
        self.ax_g.annotate("", xy=(0.06, 1.03), xytext=(0.94, 1.03), xycoords="axes fraction",
                           arrowprops=dict(arrowstyle="-|>", color=PALETTE[1], lw=2))
        self.ax_g.text(0.5, 1.05, "backpropagation runs this way", transform=self.ax_g.transAxes, ha="center",
                       va="bottom", fontsize=small, color=PALETTE[1])
        self.ax_a.set_xlabel("layer (white line: the mean of each layer)")  # a legend would sit on the data
        self.ax_a.set_ylabel("activation value")
        self.ax_a.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v)))  # "2e6", no "1e6" over the title
        self.line_g = self._dyn(self.ax_g.plot([], [], marker="o", ms=4, color=PALETTE[0],
                                               lw=style["lines.linewidth"])[0])
        cmap = colormaps["cividis"].with_extremes(bad="white")  # an empty bin is white: no unit there
        image = dict(origin="lower", cmap=cmap, norm=LogNorm(self.SHARE_MIN, 1.0), interpolation="nearest")
        if live:  # the same picture, resampled in a few array operations (matplotlib's way costs milliseconds)
            self.image = self._dyn(self.ax_a.add_image(_NearestImage(self.ax_a, **image)))
            self.image.set_data(np.ma.masked_all((self.BINS, 1)))
            self.ax_a.set_aspect("auto")
        else:
            self.image = self._dyn(self.ax_a.imshow(np.ma.masked_all((self.BINS, 1)), aspect="auto", **image))
        bar = self.figure.colorbar(self.image, ax=self.ax_a, fraction=0.06, pad=0.03, extend="min")
        bar.set_label("share of the layer's units\nin the bin (log scale)", fontsize=small)
        bar.ax.tick_params(labelsize=small)
        bar.ax.yaxis.set_minor_locator(NullLocator())
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v)))
        outline = [patheffects.Stroke(linewidth=4, foreground="black"), patheffects.Normal()]
        self.line_mean = self._dyn(self.ax_a.plot([], [], color="white", lw=2, label="mean", path_effects=outline)[0])
        self.ax_a.grid(False)
        self.note = self._dyn(self.ax_g.text(0.02, 0.02, "", transform=self.ax_g.transAxes, fontsize=small))
        self._limits: dict = {}
        self.scale_text = self._stamp(self.ax_a.text(0.0, 1.02, "", transform=self.ax_a.transAxes, ha="left",
                                                   va="bottom", fontsize=small))
        self._view_of = None  # the title the live limits belong to
        self.max_layers = max_layers
        self._table = cmap(np.arange(cmap.N), bytes=True)  # integers index the table itself
        self.figure.subplots_adjust(left=0.09, right=0.88, top=0.8, bottom=0.15, wspace=0.35)

    def update(self, result, title: str = ""):
        """Draw a ``signal_propagation`` result (anything with ``.grad_norms`` and ``.activations``).

        Live: the layer axis ends at the depth rounded up to a block of ``LAYER_BLOCK`` layers (at most
        ``max_layers``, the depth slider's end), widened only, as the gradient norm's limits, which only
        widen, with ends on a ladder of decades (``_ladder``), until ``title`` (the activation and the init)
        changes; the activations are drawn in units of a power of ten shown above the axes, on limits that move
        only with their signs (``_scaled_limits``). So a drag redraws few axes, and a drag back none. Every drawn
        value lies inside the axes.
        """
        norms = np.asarray(result.grad_norms, dtype=float)
        depth = len(norms)
        layers = np.arange(1, depth + 1)
        positive = np.isfinite(norms) & (norms > 0)
        self.line_g.set_data(layers[positive], norms[positive])
        if self.live and title != self._view_of:  # a new activation or init: the limits start afresh
            self._limits, self._view_of = {}, title
        shown = depth
        if self.live:  # blocks of LAYER_BLOCK layers, widened only: a drag redraws the axes at most twice
            shown = max(depth, min(self.max_layers, LAYER_BLOCK * -(-depth // LAYER_BLOCK)), self._limits.get("x", 0))
            self._limits["x"] = shown
        for ax in (self.ax_g, self.ax_a):
            _set_lim(ax.set_xlim, ax.get_xlim(), (0.5, shown + 0.5))
        if positive.any():
            logs = np.log10(norms[positive])
            # a static figure: the data plus a quarter decade each side (whole decades can leave one empty)
            lo_dec, hi_dec = logs.min() - 0.25, logs.max() + 0.25
            if self.live:  # ends on the ladder 0, +-1, +-2, +-4, ... decades, widened only
                lo_dec, hi_dec = _ladder(np.floor(logs.min() - 0.2), np.ceil(logs.max() + 0.2))
                was = self._limits.get("g", (lo_dec, hi_dec))
                lo_dec, hi_dec = min(lo_dec, was[0]), max(hi_dec, was[1])
            elif hi_dec - lo_dec < 1.5:  # under about a decade and a half: ticks at 1, 2, 3 and 5 times a power of
                self.ax_g.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 3.0, 5.0), numticks=8))  # 10, all
                self.ax_g.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v)))  # as numbers (100, 200, 300;
                # not "1e2" beside "200", review item 7)
            self._limits["g"] = (lo_dec, hi_dec)
            _set_lim(self.ax_g.set_ylim, self.ax_g.get_ylim(), (10 ** lo_dec, 10 ** hi_dec))
        bad = depth - int(positive.sum())
        self.note.set_text(f"{bad} layer(s) with gradient 0, inf or NaN (not drawn)" if bad else "")
        # (layers, values), about SAMPLE values a layer at most
        values = np.stack([np.asarray(a).reshape(-1) for a in result.activations])
        values = values[:, ::max(1, values.shape[1] // self.SAMPLE)]
        finite = np.isfinite(values)
        sample = values.reshape(-1) if finite.all() else values[finite]
        if self.live and sample.size > self.SAMPLE * 4:  # live limits are coarse: a quarter of the values is enough
            sample = sample[::4]
        lo, hi = (np.percentile(sample, [0.1, 99.9]) if sample.size else (-1.0, 1.0))
        lo, hi = analysis.safe_range((lo, hi), 1e-6 * max(1.0, abs(lo), abs(hi)))
        scale = 1.0
        if self.live:  # the binned range is the axis range times the scale (see _scaled_limits)
            scale, self._limits["a"] = _scaled_limits(lo, hi)
            lo, hi = self._limits["a"][0] * scale, self._limits["a"][1] * scale
        self.scale_text.set_text(f"values \u00d7 {fmt(scale)}" if scale != 1.0 else "")
        if max(abs(lo), abs(hi)) > float(np.finfo(values.dtype).max):  # live limits past float32's largest
            values = values.astype(float)  # value (a power of ten above it): compared in float32 they would overflow
        # one histogram per layer in a single bincount: bin b of layer k is slot k * BINS + b (in place, in few
        # arrays: each is as large as the data, and a fresh one costs page faults)
        inside = finite & (values >= lo) & (values <= hi)
        where = np.where(inside, values, lo)
        where -= lo
        where *= self.BINS / (hi - lo)
        slots = where.astype(np.int32)
        np.minimum(slots, self.BINS - 1, out=slots)
        slots += (np.arange(depth, dtype=np.int32) * self.BINS)[:, None]
        counts = np.bincount(slots[inside], minlength=depth * self.BINS).reshape(depth, self.BINS).T.astype(float)
        counts /= np.maximum(finite.sum(axis=1), 1)
        if getattr(result, "means", None) is not None:  # every unit's mean, as signal_propagation gives it
            means = np.asarray(result.means, dtype=float)
        else:
            with np.errstate(invalid="ignore"):
                means = np.where(finite.any(axis=1), np.where(finite, values, 0).sum(axis=1) / finite.sum(axis=1),
                                 np.nan)
        # colour: the share of the layer's units in each bin on a log scale (ReLU's spike of zeros holds half the
        # units, a tail bin one in thousands: both readable); a fixed scale keeps the colour bar still. Coloured
        # here through the colour map's table (RGBA, empty bins white), not by the image's norm on every draw.
        self.image.set_data(self._colours(counts))
        self.image.set_extent((0.5, depth + 0.5, lo / scale, hi / scale))
        self.line_mean.set_data(layers, means / scale)
        _set_lim(self.ax_a.set_ylim, self.ax_a.get_ylim(), (lo / scale, hi / scale))
        self.figure.suptitle(title, fontsize=self.style["axes.titlesize"])
        self.state = dict(layers=layers, grad_norms=norms, counts=counts, means=means, range=(lo, hi), scale=scale)
        return self

    def _colours(self, counts):
        """Shares as RGBA bytes: the colour map's entry for each share on the colour bar's log scale (shares
        below SHARE_MIN its lowest colour, as the bar's extension shows), an empty bin white."""
        n = len(self._table)
        where = np.log10(np.maximum(counts, self.SHARE_MIN)) / -np.log10(self.SHARE_MIN) + 1.0  # LogNorm's [0, 1]
        rgba = self._table[np.clip((where * n).astype(np.int64), 0, n - 1)]  # the colour map's own rounding
        rgba[counts <= 0] = 255
        return rgba

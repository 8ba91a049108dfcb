"""Figures for the course: curve and derivative panels, saturation shading, overlays, gradient flow.

Everything is read from the registry (``acts.names()``, ``acts.get(name)``),
so a new activation gets its figures for free.

The numbers behind the pictures are public too, so notebooks and tests use
the same logic as the figures:

* ``saturation_regions(name, x, eps)``: where abs(f') < eps, split into *hard*
  saturation (f' exactly 0, ReLU's left side) and *soft* saturation
  (f' small but not 0, sigmoid's tails);
* ``saturation_bounds(name, x_range, eps)``: the same regions as intervals,
  their ends refined by bisection;
* ``key_points(name, x_range)``: minima and maxima of f and of f' (found on a
  dense grid, then refined) and the kinks the registry lists;
* ``max_difference(names, x)``: where two or more activations differ most.

Figures are made with ``matplotlib.figure.Figure`` and an Agg canvas, never
through pyplot: pyplot's inline backend would show every figure it knows of
at the end of a cell (a second copy) and keep it alive (a leak). A course
figure displays itself as a PNG when it is the last value of a cell, and
``show(fig)`` displays it anywhere else; both give exactly one image.

Colours come from the Okabe-Ito palette, which viewers with the common forms
of colour blindness tell apart, and every curve of an overlay also has its own
line style. ``use_style(talk=True)`` switches to large fonts and thick lines
for a projector.

The explorers in ``acts.widgets`` reuse the panels defined here in "live"
mode: one figure per explorer, its artists updated in place, and only the
changing artists redrawn over a saved background (blitting) unless an axis
limit changed (see ``LivePanel.render_png``).
"""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.mathtext import MathTextParser
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from PIL import Image

from acts.registry import get

__all__ = [
    "PALETTE", "LINESTYLES", "MARKERS", "KeyPoint", "course_style", "use_style", "new_figure", "to_png", "show",
    "activation_grid", "saturation_regions", "saturation_bounds", "key_points", "max_difference",
    "ActivationPanel", "OverlayPanel", "GradientFlowPanel",
    "plot_activation", "plot_overlay", "plot_gradient_flow", "plot_decision_boundary",
]

# ---------------------------------------------------------------------------
# The course style

#: Okabe & Ito (2008) colours, safe for the common colour-vision deficiencies; yellow last (faint on white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
#: One line style per palette colour, so curves differ in grey-scale print and for every viewer.
LINESTYLES = ("-", "--", "-.", ":", (0, (6, 1.5)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 2.5)), (0, (8, 2, 2, 2)))
#: One marker per palette colour (scatter plots of classes, key points).
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

HARD_COLOUR = "#555555"  # f' exactly 0
SOFT_COLOUR = PALETTE[4]  # 0 < abs(f') < eps

_SIZES = {  # (figure size in inches, dpi, font size, line width) for the two variants
    False: ((6.4, 4.4), 80, 10, 2.0),
    True: ((9.6, 6.6), 100, 16, 3.0),
}
_talk_default = False


def course_style(talk: bool = False) -> dict:
    """The course's matplotlib settings as an rcParams dict (``talk=True``: big, for projection)."""
    figsize, dpi, font, width = _SIZES[bool(talk)]
    return {
        "axes.prop_cycle": cycler(color=list(PALETTE)) + cycler(linestyle=list(LINESTYLES)),
        "figure.figsize": figsize,
        "figure.dpi": dpi,
        "savefig.dpi": dpi,
        "font.size": font,
        "axes.titlesize": font * 1.1,
        "axes.labelsize": font,
        "xtick.labelsize": font * 0.9,
        "ytick.labelsize": font * 0.9,
        "legend.fontsize": font * 0.85,
        "lines.linewidth": width,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "image.cmap": "cividis",  # perceptually uniform and colour-blind safe
    }


def use_style(talk: bool = False) -> None:
    """Apply the course style to every later figure, pyplot ones included (``talk=True`` for projection)."""
    global _talk_default
    _talk_default = bool(talk)
    mpl.rcParams.update(course_style(talk))


def _talk(talk):
    return _talk_default if talk is None else bool(talk)


class CourseFigure(Figure):
    """A pyplot-free figure that Jupyter displays as one PNG when it is the last value of a cell."""

    def _repr_png_(self):
        return to_png(self)


def new_figure(nrows: int = 1, ncols: int = 1, *, talk: bool | None = None, figsize=None, **subplot_kw):
    """A course-styled ``CourseFigure`` with an Agg canvas, and its axes (as ``Figure.subplots`` gives them)."""
    style = course_style(_talk(talk))
    with mpl.rc_context(style):
        fig = CourseFigure(figsize=figsize or style["figure.figsize"], dpi=style["figure.dpi"])
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, subplot_kw=subplot_kw or None)
        for ax in np.ravel(axes):
            _style_axes(ax, style)
    return fig, axes


def _style_axes(ax, style):
    """Settings that matplotlib would otherwise read from rcParams at draw time, fixed now.

    At most six ticks per axis: tick labels are text, the slowest thing to draw.
    """
    ax.tick_params(labelsize=style["xtick.labelsize"])
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.grid(True, alpha=style["grid.alpha"])
    ax.set_prop_cycle(style["axes.prop_cycle"])


def to_png(fig, compress_level: int = 1) -> bytes:
    """The figure as PNG bytes (zlib level 1: several times faster to encode than the default, a little larger)."""
    fig.canvas.draw()
    return _encode(fig, compress_level)


def _encode(fig, compress_level: int = 1) -> bytes:
    """PNG of what the Agg canvas holds now (without drawing again)."""
    width, height = fig.canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="png", compress_level=compress_level)
    return out.getvalue()


def show(fig) -> None:
    """Display a figure once, as a plain PNG output (what a static twin of an explorer needs)."""
    from IPython.display import Image as PNG
    from IPython.display import display

    display(PNG(data=to_png(fig, compress_level=6)))


def _mathtext_ok(tex: str) -> bool:
    """Can matplotlib's mathtext (not full LaTeX) render this formula? Cached per formula."""
    if tex not in _MATHTEXT_CACHE:
        try:
            MathTextParser("path").parse(f"${tex}$")
            _MATHTEXT_CACHE[tex] = True
        except ValueError:
            _MATHTEXT_CACHE[tex] = False
    return _MATHTEXT_CACHE[tex]


_MATHTEXT_CACHE: dict = {}


def title_of(name: str) -> str:
    """'Title: $formula$' when mathtext can draw the registry's formula, else the title alone."""
    act = get(name)
    return f"{act.title}:  ${act.formula}$" if _mathtext_ok(act.formula) else act.title


def _param_text(name: str, params: dict) -> str:
    """The parameter values as short text: 'beta = 1.5, eps = 0.001'."""
    parts = []
    for pname, value in params.items():
        if isinstance(value, str):
            parts.append(f"{pname} = {value!r}")
        elif np.ndim(value):
            parts.append(f"{pname} = (" + ", ".join(f"{v:.3g}" for v in np.ravel(value)) + ")")
        else:
            parts.append(f"{pname} = {float(value):.4g}")
    return ", ".join(parts)


# ---------------------------------------------------------------------------
# The numbers behind the pictures live in acts.analysis; these names stay here for older notebooks.

from acts.analysis import (  # noqa: E402
    KIND_LABEL,
    KeyPoint,
    activation_grid,
    as_grid,
    curve,
    finite_range,
    key_points,
    max_difference,
    runs,
    safe_range,
    saturation_bounds,
    saturation_regions,
)

_safe_range, _finite_range, _KIND_LABEL, _as_grid, _curve_fn = safe_range, finite_range, KIND_LABEL, as_grid, curve


# ---------------------------------------------------------------------------
# Panels: figures whose artists are updated in place


def _nice_step(span: float) -> float:
    """A 1-2-5 step near span / 5, for axis limits that move in round numbers."""
    raw = max(span, 1e-12) / 5
    power = 10 ** np.floor(np.log10(raw))
    return float(power * min((m for m in (1, 2, 5, 10) if m * power >= raw), default=10))


def _stable_limits(current, lo: float, hi: float):
    """Axis limits for data in [lo, hi]: the current ones if they still fit well, else new round ones.

    Keeping the limits while a slider moves means the axes (the slow part to
    draw) need no redrawing, only the curves (see ``LivePanel.render_png``).
    """
    if not (np.isfinite(lo) and np.isfinite(hi)):
        lo, hi = (0.0, 1.0) if not np.isfinite(lo) and not np.isfinite(hi) else (lo, hi)
        lo = lo if np.isfinite(lo) else hi - 1.0
        hi = hi if np.isfinite(hi) else lo + 1.0
    span = hi - lo
    if current is not None:
        c_lo, c_hi = current
        if c_lo <= lo and hi <= c_hi and span >= 0.5 * (c_hi - c_lo):
            return current
    if span <= 1e-12 * max(1.0, abs(lo)):
        return (lo - 1.0, hi + 1.0)
    pad = 0.08 * span
    step = _nice_step(span + 2 * pad)
    return (float(np.floor((lo - pad) / step) * step), float(np.ceil((hi + pad) / step) * step))


class LivePanel:
    """Base of the panels: a figure, its 'dynamic' artists, and a fast PNG renderer for explorers.

    In live mode the dynamic artists (curves, shading, markers, labels) are
    marked animated, so a full ``canvas.draw()`` paints only the static part
    (axes, ticks, titles, zero lines); that background is saved. A later
    render restores it and paints the dynamic artists over it, which takes a
    few milliseconds instead of tens. Only when a limit, the layout or a
    title changed is the background drawn again.
    """

    def __init__(self, live: bool):
        self.live = live
        self.dynamic: list = []
        self._background = None
        self._background_key = None

    def _dyn(self, artist):
        """Register a dynamic artist (animated in live mode) and return it."""
        if self.live:
            artist.set_animated(True)
        self.dynamic.append(artist)
        return artist

    def _static_key(self):
        """Everything the saved background depends on."""
        legends = tuple(ax.get_legend().get_visible() for ax in self.figure.axes if ax.get_legend() is not None)
        return legends + tuple(
            (ax.get_visible(), ax.get_xlim(), ax.get_ylim(), ax.get_position().bounds, ax.get_title())
            for ax in self.figure.axes
        )

    def render_png(self, compress_level: int = 1) -> bytes:
        """The current state as PNG bytes, redrawing only what changed (live mode)."""
        canvas = self.figure.canvas
        if not self.live:
            return to_png(self.figure, compress_level)
        key = self._static_key()
        if key != self._background_key or self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._background_key = key
        else:
            canvas.restore_region(self._background)
        for artist in self.dynamic:
            if artist.get_visible() and artist.axes is not None and artist.axes.get_visible():
                artist.axes.draw_artist(artist)
        return _encode(self.figure, compress_level)


def _spans_verts(x, mask) -> list:
    """Rectangles (in x-data, y-axes coordinates) covering the runs of True of mask over the grid x.

    Each run reaches halfway to the neighbouring grid points, so an isolated
    saturated point still shows, and a grid point lies inside a rectangle
    exactly when the mask is True there.
    """
    verts = []
    for i, j in runs(mask):
        lo = x[i] if i == 0 else (x[i - 1] + x[i]) / 2
        hi = x[j] if j == len(x) - 1 else (x[j] + x[j + 1]) / 2
        verts.append(np.array([(lo, 0.0), (lo, 1.0), (hi, 1.0), (hi, 0.0)]))
    return verts


def _text_pool(ax, size: int, fontsize) -> list:
    """Reusable annotations for key points (hidden until used)."""
    return [
        ax.annotate("", (0, 0), xytext=(5, 6), textcoords="offset points", fontsize=fontsize, visible=False)
        for _ in range(size)
    ]


def fmt(value: float) -> str:
    """A number for a label: three significant digits, and 0 for rounding-level values such as 1e-9."""
    return "0" if abs(value) < 1e-7 else f"{value:.3g}"


def _place(label, x, y, text):
    """Put a pooled annotation at (x, y), on the side away from the nearer edge of the axes."""
    lo, hi = label.axes.get_xlim()
    right_half = (x - lo) > 0.6 * (hi - lo)
    label.xy = (x, y)
    label.set_text(text)
    label.set_ha("right" if right_half else "left")
    label.set_position((-5, 6) if right_half else (5, 6))
    label.set_visible(True)


#: The key to an explorer's figure, as HTML for the readout beside it (the figure itself has no legend).
LEGEND_HTML = (
    f"<span style='background:{HARD_COLOUR}55'>&nbsp;&nbsp;&nbsp;&nbsp;</span> hard saturation: f' = 0 &nbsp; "
    f"<span style='background:{SOFT_COLOUR}44'>&nbsp;&nbsp;&nbsp;&nbsp;</span> soft saturation: 0 &lt; |f'| &lt; eps"
    "<br>&#9679; min / max &nbsp; &#9671; kink"
)

_KIND_LABEL = {"min f": "min", "max f": "max", "min df": "min f'", "max df": "max f'", "kink": "kink"}


class ActivationPanel(LivePanel):
    """f on top, f' below on the same x range, with zero lines, key points and saturation shading.

    ``update(...)`` recomputes everything for new parameters and redraws by
    changing the artists' data; the figure and its artists live as long as
    the panel. Pass ``axes=(ax_f, ax_df)`` to draw into existing axes (one
    Axes draws both curves in it).
    """

    POOL = 8

    def __init__(self, name: str, *, axes=None, talk: bool | None = None, live: bool = False):
        super().__init__(live)
        self.name = get(name).name
        self.talk = _talk(talk)
        style = course_style(self.talk)
        self.own_figure = axes is None
        if axes is None:
            self.figure, (self.ax_f, self.ax_df) = new_figure(2, 1, talk=self.talk)
        else:
            axes = list(axes) if np.iterable(axes) else [axes, axes]
            self.ax_f, self.ax_df = axes[0], axes[-1]
            self.figure = self.ax_f.figure
        self._limits: dict = {}  # axes -> the y limits this panel chose last
        self.state: dict = {}
        self._build(style)

    def _build(self, style):
        small = style["font.size"] * 0.8
        c = PALETTE[0]
        ax_f, ax_df = self.ax_f, self.ax_df
        ax_f.set_title(title_of(self.name), fontsize=style["axes.titlesize"])
        ax_f.set_ylabel("f(x)")
        ax_df.set_ylabel("f'(x)")
        ax_df.set_xlabel("x")
        for ax in {ax_f, ax_df}:
            ax.axhline(0, color="black", lw=0.8, zorder=1)
            ax.axvline(0, color="black", lw=0.8, zorder=1)
        same = ax_f is ax_df
        self.hard = {ax: self._dyn(self._spans(ax, HARD_COLOUR, 0.30)) for ax in {ax_f, ax_df}}
        self.soft = {ax: self._dyn(self._spans(ax, SOFT_COLOUR, 0.25)) for ax in {ax_f, ax_df}}
        self.kink_lines = self._dyn(ax_df.plot([], [], color=HARD_COLOUR, lw=1, ls=":",
                                               transform=ax_df.get_xaxis_transform())[0])
        self.line_f = self._dyn(ax_f.plot([], [], color=c, ls=LINESTYLES[0], label="f")[0])
        self.line_df = self._dyn(ax_df.plot([], [], color=PALETTE[1], ls=LINESTYLES[1] if same else "-",
                                            label="f'")[0])
        self.marks_f = self._dyn(ax_f.plot([], [], "o", color="black", ms=5, zorder=5)[0])
        self.marks_kink = self._dyn(ax_f.plot([], [], "D", mfc="white", mec="black", ms=5, zorder=5)[0])
        self.marks_df = self._dyn(ax_df.plot([], [], "o", color="black", ms=5, zorder=5)[0])
        # Text is the slowest thing to draw (~0.3 ms a glyph): live panels label key points by marker
        # only, explained in a legend drawn once with the background, and give the numbers in the readout.
        pool = 0 if self.live else self.POOL
        self.labels_f = [self._dyn(t) for t in _text_pool(ax_f, pool, small)]
        self.labels_df = [self._dyn(t) for t in _text_pool(ax_df, pool, small)]
        self.info = self._dyn(ax_f.text(0.01, 0.97, "", transform=ax_f.transAxes, va="top", fontsize=small))
        marks = [Line2D([], [], ls="", marker="o", color="black", ms=5, label="min / max"),
                 Line2D([], [], ls="", marker="D", mfc="white", mec="black", ms=5, label="kink")]
        shading = [Patch(color=HARD_COLOUR, alpha=0.3, label="hard saturation: f' = 0"),
                   Patch(color=SOFT_COLOUR, alpha=0.25, label="soft saturation: 0 < |f'| < eps")]
        self.legend = None
        if not self.live:  # an explorer shows this key beside the figure (LEGEND_HTML): legends are slow to draw
            if ax_f is not ax_df:
                ax_f.legend(handles=marks, loc="lower right", fontsize=small, framealpha=0.8)
            self.legend = ax_df.legend(handles=(marks[:1] if ax_f is not ax_df else marks) + shading,
                                       loc="upper left", fontsize=small, framealpha=0.8)

    @staticmethod
    def _spans(ax, colour, alpha):
        spans = PolyCollection([], facecolors=colour, edgecolors="none", alpha=alpha,
                               transform=ax.get_xaxis_transform(), zorder=0.5)
        ax.add_collection(spans, autolim=False)
        return spans

    def _layout(self, show_grad: bool):
        """Two stacked panels, or f alone when the derivative is hidden (own figure only)."""
        if self.state.get("layout") == show_grad:
            return
        self.state["layout"] = show_grad
        if not self.own_figure or self.ax_f is self.ax_df:
            self.ax_df.set_visible(show_grad or self.ax_f is self.ax_df)
            return
        left, right, top, bottom, gap = 0.12, 0.97, 0.90, 0.11, 0.06
        if show_grad:
            height = (top - bottom - gap) / 2
            self.ax_f.set_position([left, bottom + height + gap, right - left, height])
            self.ax_df.set_position([left, bottom, right - left, height])
        else:
            self.ax_f.set_position([left, bottom, right - left, top - bottom])
        self.ax_df.set_visible(show_grad)
        self.ax_f.tick_params(labelbottom=not show_grad)
        self.ax_f.set_xlabel("" if show_grad else "x")

    def update(self, x=None, eps: float = 1e-3, show_grad: bool = True, shade: bool = True, **params):
        """Recompute for these parameters (x: a (low, high) range or an array of points) and update the artists."""
        act = get(self.name)
        x = _as_grid(self.name, x, params)
        f, df = act(x, **params), act.grad(x, **params)  # the registry checks the parameters
        hard, soft = saturation_regions(self.name, x, eps, **params)  # the tails only (acts.analysis)
        lo, hi = float(x[0]), float(x[-1])
        points = key_points(self.name, (lo, hi), **params) if hi > lo else []
        self.state.update(x=x, f=f, df=df, hard=hard, soft=soft, eps=eps, points=points, params=dict(params),
                          show_grad=show_grad, shade=shade)

        self._layout(show_grad)
        self.line_f.set_data(x, f)
        self.line_df.set_data(x, df)
        self.line_df.set_visible(show_grad)
        for ax in self.hard:
            self.hard[ax].set_verts(_spans_verts(x, hard))
            self.soft[ax].set_verts(_spans_verts(x, soft))
            self.hard[ax].set_visible(shade)
            self.soft[ax].set_visible(shade)
        if self.legend is not None:
            self.legend.set_visible(show_grad or self.ax_f is self.ax_df)
        self._mark(points, show_grad)
        if self.live:  # the sliders and the readout show the parameters; keep drawn text short
            self.info.set_text(f"eps = {eps:.0e}" if shade else "")
        else:
            text = _param_text(self.name, params)
            self.info.set_text(text + ("\n" if text else "") + (f"shaded: |f'| < eps = {eps:.2g}" if shade else ""))

        if hi > lo:
            for ax in {self.ax_f, self.ax_df}:
                ax.set_xlim(lo, hi)
        if self.ax_f is self.ax_df:
            self._set_ylim(self.ax_f, f, df if show_grad else f)
        else:
            self._set_ylim(self.ax_f, f)
            self._set_ylim(self.ax_df, df, [0.0])
        return self

    def _set_ylim(self, ax, *data):
        """Round y limits that stay put while the data fit them well (see ``_stable_limits``)."""
        self._limits[ax] = _stable_limits(self._limits.get(ax), *_finite_range(*data))
        ax.set_ylim(*self._limits[ax])

    def _mark(self, points, show_grad):
        on_f = [p for p in points if p.kind in ("min f", "max f")]
        kinks = [p for p in points if p.kind == "kink"]
        on_df = [p for p in points if p.kind in ("min df", "max df")] if show_grad else []
        self.marks_f.set_data([p.x for p in on_f], [p.y for p in on_f])
        self.marks_kink.set_data([p.x for p in kinks], [p.y for p in kinks])
        self.marks_df.set_data([p.x for p in on_df], [p.y for p in on_df])
        self.marks_df.set_visible(show_grad)
        kx = np.repeat([p.x for p in kinks], 3)
        ky = np.tile([0.0, 1.0, np.nan], len(kinks))
        if kx.size:
            kx[2::3] = np.nan
        self.kink_lines.set_data(kx, ky)
        self.kink_lines.set_visible(show_grad)
        for pool, chosen in ((self.labels_f, on_f + kinks), (self.labels_df, on_df)):
            for label, point in zip(pool, chosen[: len(pool)], strict=False):
                name = _KIND_LABEL[point.kind]
                if self.live:  # short labels: each glyph costs ~0.3 ms to draw; the numbers go to the readout
                    text = name
                elif point.kind == "kink":
                    text = f"{name} x={fmt(point.x)}"
                else:
                    text = f"{name} {fmt(point.y)} at x={fmt(point.x)}"
                _place(label, point.x, point.y, text)
            for label in pool[len(chosen):]:
                label.set_visible(False)


def plot_activation(name: str, x=None, eps: float = 1e-3, show_grad: bool = True, shade: bool = True, *,
                    axes=None, talk: bool | None = None, **params):
    """f and f' of one activation, with zero lines, key points and saturation shading; returns the Figure.

    ``x``: a (low, high) range (default (-6, 6)) or an array of points.
    ``axes``: draw into existing axes, a pair (ax_f, ax_df) or one Axes for both.
    ``eps``: the saturation threshold; shaded grey where f' = 0, orange where 0 < abs(f') < eps.

    >>> fig = plot_activation("swish", beta=2.0)   # last line of a cell: shown once, as a PNG
    """
    panel = ActivationPanel(name, axes=axes, talk=talk)
    panel.update(x, eps=eps, show_grad=show_grad, shade=shade, **params)
    return panel.figure


class OverlayPanel(LivePanel):
    """Several activations on the same axes (f on top, f' below), the largest difference marked on each.

    Each curve has its own colour and line style. ``update(x, params)`` takes
    params as a list with one dict per curve, in the order of ``names``.
    """

    def __init__(self, names, *, talk: bool | None = None, live: bool = False):
        super().__init__(live)
        self.names = [get(n).name for n in names]
        if not self.names:
            raise ValueError("plot_overlay()/compare() need at least one activation name")
        self.talk = _talk(talk)
        style = course_style(self.talk)
        small = style["font.size"] * 0.8
        self.figure, (self.ax_f, self.ax_df) = new_figure(2, 1, talk=self.talk)
        self.ax_f.set_title(" vs ".join(get(n).title for n in self.names), fontsize=style["axes.titlesize"])
        self.ax_f.set_ylabel("f(x)")
        self.ax_df.set_ylabel("f'(x)")
        self.ax_df.set_xlabel("x")
        self.lines: dict = {self.ax_f: [], self.ax_df: []}
        self.gap: dict = {}
        self.gap_label: dict = {}
        for ax in (self.ax_f, self.ax_df):
            ax.axhline(0, color="black", lw=0.8, zorder=1)
            ax.axvline(0, color="black", lw=0.8, zorder=1)
            for i, name in enumerate(self.names):
                line = ax.plot([], [], color=PALETTE[i % len(PALETTE)], ls=LINESTYLES[i % len(LINESTYLES)],
                               label=get(name).title)[0]
                self.lines[ax].append(self._dyn(line))
            self.gap[ax] = self._dyn(ax.plot([], [], color="black", lw=1.2, marker="_", ms=10, zorder=6)[0])
            self.gap_label[ax] = self._dyn(_text_pool(ax, 1, small)[0])
        self.ax_f.legend(loc="upper left", fontsize=small, framealpha=0.8)
        self.info = self._dyn(self.ax_df.text(0.01, 0.97, "", transform=self.ax_df.transAxes, va="top",
                                              fontsize=small))
        self._limits: dict = {}
        self.state: dict = {}
        self.figure.subplots_adjust(left=0.12, right=0.97, top=0.9, bottom=0.11, hspace=0.25)

    def update(self, x=None, params=None, show_grad: bool = True):
        """Recompute every curve and both largest differences for these parameters, and update the artists."""
        params = list(params) if params is not None else [{} for _ in self.names]
        for name, p in zip(self.names, params, strict=True):
            get(name)(0.0, **p)  # the registry's own checks and messages
        lo, hi = _safe_range((-6.0, 6.0) if x is None else x)
        kinks = [k for n, p in zip(self.names, params, strict=True) for k in get(n).kink_points(**p) if lo < k < hi]
        grid = np.union1d(np.linspace(lo, hi, 601), kinks)
        by_index = dict(enumerate(params))
        self.state = dict(x=grid, params=params, show_grad=show_grad, curves={}, gaps={})
        for ax, derivative in ((self.ax_f, False), (self.ax_df, True)):
            curves = [_curve_fn(n, p, derivative)(grid) for n, p in zip(self.names, params, strict=True)]
            for line, y in zip(self.lines[ax], curves, strict=True):
                line.set_data(grid, y)
            value, at, (i, j) = max_difference(self.names, grid, by_index, derivative=derivative)
            self.state["curves"][derivative] = curves
            self.state["gaps"][derivative] = (value, at, (i, j))
            shown = len(self.names) > 1 and value > 0
            ya, yb = _curve_fn(self.names[i], params[i], derivative)(at), _curve_fn(self.names[j], params[j],
                                                                                       derivative)(at)
            self.gap[ax].set_data([at, at], [ya, yb])
            self.gap[ax].set_visible(shown)
            what = "f'" if derivative else "f"
            _place(self.gap_label[ax], at, (ya + yb) / 2, f"max |Δ{what}| = {fmt(value)} at x = {fmt(at)}")
            self.gap_label[ax].set_visible(shown)
            ax.set_xlim(lo, hi)
            self._limits[ax] = _stable_limits(self._limits.get(ax), *_finite_range(*curves))
            ax.set_ylim(*self._limits[ax])
        text = "; ".join(f"{n}: {_param_text(n, p)}" for n, p in zip(self.names, params, strict=True) if p)
        self.info.set_text(text)
        self._layout(show_grad)
        return self

    def _layout(self, show_grad):
        left, right, top, bottom, gap = 0.12, 0.97, 0.90, 0.11, 0.06
        height = (top - bottom - gap) / 2 if show_grad else top - bottom
        self.ax_f.set_position([left, bottom + (height + gap if show_grad else 0), right - left, height])
        self.ax_df.set_position([left, bottom, right - left, (top - bottom - gap) / 2])
        self.ax_df.set_visible(show_grad)
        self.ax_f.tick_params(labelbottom=not show_grad)
        self.ax_f.set_xlabel("" if show_grad else "x")


def plot_overlay(names, x=None, params=None, show_grad: bool = True, *, talk: bool | None = None):
    """Several activations and their derivatives on shared axes, the largest abs difference of each marked.

    ``params``: one dict per name (a list), or a dict {name: {parameter: value}}.

    >>> fig = plot_overlay(["sigmoid", "hard_sigmoid"])   # max |Δf| = 0.0692 at x = -1.32
    """
    if isinstance(params, dict):
        params = [params.get(n, {}) for n in names]
    return OverlayPanel(names, talk=talk).update(x, params, show_grad).figure


class GradientFlowPanel(LivePanel):
    """Left: the gradient norm per layer (log scale). Right: the distribution of activations per layer.

    The distribution is a 2-D histogram: one column per layer, the value of
    the activations upwards, the share of units in each bin as colour (which
    saturates at the 98th percentile of the occupied bins, so one spike does
    not hide the rest); the mean of each layer is drawn over it.
    """

    BINS = 60

    def __init__(self, *, talk: bool | None = None, live: bool = False):
        super().__init__(live)
        self.talk = _talk(talk)
        style = course_style(self.talk)
        self.figure, (self.ax_g, self.ax_a) = new_figure(1, 2, talk=self.talk,
                                                         figsize=(style["figure.figsize"][0] * 1.4,
                                                                  style["figure.figsize"][1] * 0.8))
        self.ax_g.set_yscale("log")
        self.ax_g.set_xlabel("layer")
        self.ax_g.set_ylabel("gradient norm at the layer's input")
        self.ax_a.set_xlabel("layer")
        self.ax_a.set_ylabel("activation value")
        self.line_g = self.ax_g.plot([], [], marker="o", ms=3, color=PALETTE[0])[0]
        self.image = self.ax_a.imshow(np.zeros((self.BINS, 1)), origin="lower", aspect="auto",
                                      cmap="cividis", vmin=0.0, vmax=1.0, interpolation="nearest")
        self.line_mean = self.ax_a.plot([], [], color=PALETTE[4], lw=1.5, label="mean")[0]
        self.ax_a.grid(False)
        self.ax_a.legend(loc="upper right", fontsize=style["font.size"] * 0.8)
        self.note = self.ax_g.text(0.02, 0.02, "", transform=self.ax_g.transAxes, fontsize=style["font.size"] * 0.8)
        self.figure.subplots_adjust(left=0.09, right=0.98, top=0.88, bottom=0.13, wspace=0.3)

    def update(self, result, title: str = ""):
        """Draw a ``signal_propagation`` result (anything with ``.grad_norms`` and ``.activations``)."""
        norms = np.asarray(result.grad_norms, dtype=float)
        depth = len(norms)
        layers = np.arange(1, depth + 1)
        positive = np.isfinite(norms) & (norms > 0)
        self.line_g.set_data(layers[positive], norms[positive])
        self.ax_g.set_xlim(0.5, depth + 0.5)
        if positive.any():
            lo, hi = norms[positive].min(), norms[positive].max()
            self.ax_g.set_ylim(10 ** np.floor(np.log10(lo) - 0.2), 10 ** np.ceil(np.log10(hi) + 0.2))
        bad = depth - int(positive.sum())
        self.note.set_text(f"{bad} layer(s) with gradient 0, inf or NaN (not drawn)" if bad else "")

        values = [np.asarray(a, dtype=float).ravel() for a in result.activations]
        everything = np.concatenate(values)
        finite = everything[np.isfinite(everything)]
        lo, hi = (np.percentile(finite, [0.1, 99.9]) if finite.size else (-1.0, 1.0))
        lo, hi = _safe_range((lo, hi), 1e-6 * max(1.0, abs(lo), abs(hi)))
        counts = np.empty((self.BINS, depth))
        means = np.full(depth, np.nan)
        for k, v in enumerate(values):
            v = v[np.isfinite(v)]
            counts[:, k] = np.histogram(v, bins=self.BINS, range=(lo, hi))[0] / max(v.size, 1)
            means[k] = v.mean() if v.size else np.nan
        self.image.set_data(counts)
        self.image.set_extent((0.5, depth + 0.5, lo, hi))
        # colour saturates at the 98th percentile of the occupied bins, so a spike (ReLU's zeros) does not
        # turn the rest of the distribution black
        occupied = counts[counts > 0]
        self.image.set_clim(0.0, max(float(np.percentile(occupied, 98)) if occupied.size else 1.0, 1e-12))
        self.line_mean.set_data(layers, means)
        self.ax_a.set_xlim(0.5, depth + 0.5)
        self.ax_a.set_ylim(lo, hi)
        self.figure.suptitle(title, fontsize=course_style(self.talk)["axes.titlesize"])
        self.state = dict(layers=layers, grad_norms=norms, counts=counts, means=means, range=(lo, hi))
        return self


def plot_gradient_flow(activation: str = "tanh", depth: int = 20, init="xavier", *, width: int = 64, n: int = 256,
                       seed: int = 0, result=None, talk: bool | None = None, **activation_params):
    """Gradient norm per layer and the distribution of activations per layer, for a deep dense network.

    Runs ``acts.nn.signal_propagation`` (deterministic, fixed seed) unless a
    ``result`` of it is given. ``init``: "xavier", "he", "lecun" or a float scale.
    """
    if result is None:
        from acts.nn import signal_propagation

        result = signal_propagation(activation, depth=depth, width=width, init=init, n=n, seed=seed,
                                    **activation_params)
    title = f"{get(activation).title}, {len(result.grad_norms)} layers, init = {init!r}"
    return GradientFlowPanel(talk=talk).update(result, title).figure


def plot_decision_boundary(net, X, y, ax=None, *, resolution: int = 200, talk: bool | None = None):
    """The regions a classifier assigns to each class, with the data on top; returns the Figure.

    ``net`` needs ``predict(points) -> labels``; the grid comes from
    ``acts.nn.decision_grid``. Classes differ in colour and in marker.
    """
    from acts.nn import decision_grid

    X, y = np.asarray(X, dtype=float), np.asarray(y).ravel()
    xx, yy, labels = decision_grid(net, X, resolution=resolution)
    if ax is None:
        fig, ax = new_figure(talk=talk)
    else:
        fig = ax.figure
    classes = np.unique(np.concatenate([np.unique(labels), np.unique(y)]))
    index = {c: i for i, c in enumerate(classes)}
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(classes))]
    coded = np.vectorize(index.get, otypes=[float])(labels)
    ax.contourf(xx, yy, coded, levels=np.arange(len(classes) + 1) - 0.5, cmap=ListedColormap(colours), alpha=0.25)
    for c, i in index.items():
        pts = X[y == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=14, color=colours[i], marker=MARKERS[i % len(MARKERS)],
                   edgecolors="black", linewidths=0.4, label=f"class {c}")
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.legend(loc="best", fontsize="small")
    return fig

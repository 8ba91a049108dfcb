"""Panels: course figures whose artists are updated in place, for static figures and live explorers alike.

A panel owns one figure. ``update(...)`` recomputes what it shows (through
``acts.analysis``) and changes its artists' data; ``render_png()`` gives the
picture (``acts.live_panel.LivePanel``: in live mode only what changed is
redrawn). Live panels keep drawn text to a minimum (each glyph costs about
0.3 ms): the numbers go to the explorer's readout instead.
"""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from acts import analysis
from acts.live_panel import LivePanel, stable_limits
from acts.registry import get
from acts.style import (
    GAP_COLOUR,
    HARD_COLOUR,
    LINESTYLES,
    PALETTE,
    SOFT_COLOUR,
    course_style,
    drawn_params,
    fmt,
    fmt_at,
    new_figure,
    param_text,
    series_label,
    title_of,
)

__all__ = ["LivePanel", "ActivationPanel", "OverlayPanel", "stable_limits", "gap_where"]


def gap_where(at: float, kinks, span: float, both_sides: bool = False, view=None) -> str:
    """Where a largest difference lies, as text: 'at x = 1.32', or, when it is the one-sided limit beside a
    kink (f' jumps there, and the kink itself is left out), 'just left of the kink at x = 3', or with
    ``both_sides`` (the limit on the other side is as large) 'on both sides of the kink at x = 0'. With
    ``view`` (lo, hi), a largest difference at an end of it says so: 'at x = 6, the right end of the view'
    (ReLU vs sigmoid: the gap keeps growing; the largest is the view's, review item 8)."""
    tol = 1e-6 * abs(span) if span else 1e-9
    for k in kinks:
        if abs(at - k) <= tol and at != k:
            side = "on both sides of" if both_sides else f"just {'left' if at < k else 'right'} of"
            return f"{side} the kink at x = {fmt_at(k, span)}"
    end = "" if view is None else next((f", the {side} end of the view" for side, e in zip(("left", "right"), view)
                                        if abs(at - e) <= tol), "")
    return f"at x = {fmt_at(at, span)}{end}"


def _as_shown(act, points, span: float, params) -> list:
    """Key points as the reader sees them: a point within a millionth of the view of a kink or of 0 (where
    ``fmt_at`` shows that x) is moved there and its value is f (or f') at that x, so PReLU's minimum at the
    kink reads 'x = 0, value 0', not 'value 4.44e-16' from x = -1.8e-18."""
    tol = 1e-6 * abs(span)
    kinks = [p.x for p in points if p.kind == "kink"]
    shown = []
    for p in points:
        near = [k for k in [*kinks, 0.0] if abs(p.x - k) <= tol] if p.kind != "kink" else []
        if near and near[0] != p.x:
            fn = act.grad if p.kind.endswith("df") else act
            p = analysis.KeyPoint(p.kind, near[0], float(fn(near[0], **params)))
        shown.append(p)
    return shown


def _spans_verts(x, mask) -> list:
    """Rectangles (x-data, y-axes coordinates) over the runs of True of mask; each run reaches halfway to
    the neighbouring grid points, so a grid point lies inside a rectangle exactly when the mask is True."""
    verts = []
    for i, j in analysis.runs(mask):
        lo = x[i] if i == 0 else (x[i - 1] + x[i]) / 2
        hi = x[j] if j == len(x) - 1 else (x[j] + x[j + 1]) / 2
        verts.append(np.array([(lo, 0.0), (lo, 1.0), (hi, 1.0), (hi, 0.0)]))
    return verts


def _spans(ax, colour, alpha):
    spans = PolyCollection([], facecolors=colour, edgecolors="none", alpha=alpha,
                           transform=ax.get_xaxis_transform(), zorder=0.5)
    ax.add_collection(spans, autolim=False)
    return spans


def _stack(panel, show_grad: bool):
    """f on top and f' below, or f alone when the derivative is hidden."""
    left, right, top, bottom, gap = 0.12, 0.97, panel.top, 0.12, 0.07
    height = (top - bottom - gap) / 2
    panel.ax_f.set_position([left, bottom + (height + gap if show_grad else 0), right - left,
                             height if show_grad else top - bottom])
    panel.ax_df.set_position([left, bottom, right - left, height])
    panel.ax_df.set_visible(show_grad)
    panel.ax_f.tick_params(labelbottom=not show_grad)
    panel.ax_f.set_xlabel("" if show_grad else "x")


def _place(label, ax, p, up: bool, ha: str, zero_line: bool) -> None:
    """Put a key point's label next to its point: above a maximum, below a minimum, aligned ``ha`` if it fits;
    else the first of the other alignments (then beside the point) that lies inside the axes horizontally
    (clear of the y tick labels) and off the vertical zero line; else one inside the axes; else shifted in."""
    renderer = label.figure.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    zero = ax.transData.transform((0.0, p.y))[0] if zero_line else None
    dy = 9 if up else -9
    tries = [(0, dy, ha)] + [(0, dy, h) for h in ("center", "left", "right") if h != ha]
    side = 1 if p.x >= 0 else -1  # beside the point, away from the zero line first
    tries += [(7 * side, 7 if up else -7, "left" if side > 0 else "right"),
              (-7 * side, 7 if up else -7, "right" if side > 0 else "left")]
    fitting = None
    for dx, y, h in tries:
        label.set_position((dx, y))
        label.set_ha(h)
        box = label.get_window_extent(renderer)
        if box.x0 >= inside.x0 + 3 and box.x1 <= inside.x1 - 3:
            if zero is None or not box.x0 - 2 < zero < box.x1 + 2:
                return
            fitting = fitting or (dx, y, h)
    if fitting is not None:  # across the zero line (the label's white box covers it there), but inside
        label.set_position(fitting[:2])
        label.set_ha(fitting[2])
        return
    label.set_position((0, dy))  # wider than the axes allow at this point: centred, then shifted inside
    label.set_ha("center")
    box = label.get_window_extent(renderer)
    shift = max(inside.x0 + 3 - box.x0, 0.0) - max(box.x1 - (inside.x1 - 3), 0.0)
    label.set_position((shift * 72 / label.figure.dpi, dy))


class ActivationPanel(LivePanel):
    """f on top, f' below on the same x range, with zero lines, key points and the saturated tails shaded.

    ``axes=(ax_f, ax_df)`` draws into existing axes (one Axes draws both curves).
    ``state`` holds what was drawn: x, f, df, hard, soft, eps, points, bounds.
    """

    def __init__(self, name: str, *, axes=None, talk: bool | None = None, live: bool = False):
        super().__init__(live)
        self.name = get(name).name
        self.own_figure = axes is None
        if axes is None:
            self.figure, (self.ax_f, self.ax_df) = new_figure(2, 1, talk=talk)
        else:
            axes = list(axes) if np.iterable(axes) else [axes, axes]
            self.ax_f, self.ax_df = axes[0], axes[-1]
            self.figure = self.ax_f.figure
        self.style = course_style(getattr(self.figure, "acts_talk", talk))
        self.top = 0.9
        self._limits: dict = {}
        self.state: dict = {}
        self._layout_drawn = None
        self._x_view = None
        ax_f, ax_df = self.ax_f, self.ax_df
        ax_f.set_title(title_of(self.name), fontsize=self.style["axes.titlesize"])
        ax_f.set_ylabel("f(x)")
        ax_df.set_ylabel("f'(x)" if ax_f is not ax_df else "f(x), f'(x)")
        ax_df.set_xlabel("x")
        for ax in {ax_f, ax_df}:
            ax.axhline(0, color="black", lw=0.8, zorder=1)
            ax.axvline(0, color="black", lw=0.8, zorder=1)
        self.hard = {ax: self._dyn(_spans(ax, HARD_COLOUR, 0.30)) for ax in {ax_f, ax_df}}
        self.soft = {ax: self._dyn(_spans(ax, SOFT_COLOUR, 0.30)) for ax in {ax_f, ax_df}}
        self.kink_lines = self._dyn(ax_df.plot([], [], color=HARD_COLOUR, lw=1, ls=":",
                                               transform=ax_df.get_xaxis_transform())[0])
        self.line_f = self._dyn(ax_f.plot([], [], color=PALETTE[0], ls=LINESTYLES[0], label="f",
                                            lw=self.style["lines.linewidth"])[0])
        self.line_df = self._dyn(ax_df.plot([], [], color=PALETTE[1], ls=LINESTYLES[1], label="f'",
                                             lw=self.style["lines.linewidth"])[0])
        self.marks_f = self._dyn(ax_f.plot([], [], "o", color="black", ms=6, zorder=5)[0])
        self.marks_kink = self._dyn(ax_f.plot([], [], "D", mfc="white", mec="black", ms=6, zorder=5)[0])
        self.marks_df = self._dyn(ax_df.plot([], [], "o", color="black", ms=6, zorder=5)[0])
        small = self.style["legend.fontsize"]
        pool = 0 if live else 6  # live panels label key points by marker only; the readout has the numbers
        self.labels = [self._dyn(ax.annotate("", (0, 0), xytext=(0, 0), textcoords="offset points", fontsize=small,
                                             visible=False, zorder=6,
                                             bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none",
                                                       alpha=0.9)))
                       for ax in (ax_f, ax_df) for _ in range(pool)]

    def update(self, x=None, eps: float = 1e-3, show_grad: bool = True, shade: bool = True, **params):
        """Recompute for these parameters (x: a (low, high) range or an array of points) and update the artists."""
        act = get(self.name)
        x = analysis.as_grid(self.name, x, params)
        f, df = act(x, **params), act.grad(x, **params)  # the registry checks the parameters
        lo, hi = float(x[0]), float(x[-1])
        hard, soft = analysis.saturation_regions(self.name, x, eps, **params)
        points = _as_shown(act, analysis.key_points(self.name, (lo, hi), **params), hi - lo, params) if hi > lo else []
        bounds = analysis.saturation_bounds(self.name, (lo, hi), eps, **params) if hi > lo else []
        self.state.update(x=x, f=f, df=df, hard=hard, soft=soft, eps=eps, points=points, bounds=bounds,
                          params=dict(params), show_grad=show_grad, shade=shade)
        if self.own_figure and self.ax_f is not self.ax_df and self._layout_drawn != show_grad:
            _stack(self, show_grad)
            self._layout_drawn = show_grad
        self.line_f.set_data(x, f)
        self.line_df.set_data(x, df)
        self.line_df.set_visible(show_grad)
        for ax in self.hard:
            self.hard[ax].set_verts(_spans_verts(x, hard))
            self.soft[ax].set_verts(_spans_verts(x, soft))
            self.hard[ax].set_visible(shade)
            self.soft[ax].set_visible(shade)
        if hi > lo:
            for ax in {self.ax_f, self.ax_df}:
                ax.set_xlim(lo, hi)
        if self.live and self._x_view != (lo, hi):  # a new x range: y limits afresh, as a static figure of this
            self._limits.clear()                    # view has them; kept while only parameters move
            self._x_view = (lo, hi)
        self._mark(points, show_grad)
        pad = 0.08  # labels of a static figure get their room from _room_for
        if self.ax_f is self.ax_df:
            self._set_ylim(self.ax_f, pad, f, df if show_grad else f)
        else:
            self._set_ylim(self.ax_f, pad, f)
            self._set_ylim(self.ax_df, pad, df, [0.0])
        if not self.live:
            drawn = drawn_params(act.name, params)  # every value drawn, defaults too
            self._legend(points, hard, soft, eps, shade, drawn, show_grad)
            pool = len(self.labels) // 2
            self._room_for(self.ax_f, self.labels[:pool])
            if show_grad:
                self._room_for(self.ax_df, self.labels[pool:])
        return self

    def _set_ylim(self, ax, pad, *data):
        lo, hi = analysis.finite_range(*data)
        old = self._limits.get(ax)
        if self.live and old and (hi > old[1] or lo < old[0]):  # growing during a drag: room for a few steps
            span = hi - lo
            lo, hi = (lo - 0.5 * span if lo < old[0] else lo), (hi + 0.5 * span if hi > old[1] else hi)
        self._limits[ax] = stable_limits(old, lo, hi, pad=pad, keep=0.4 if self.live else 0.5)
        ax.set_ylim(*self._limits[ax])

    def _legend(self, points, hard, soft, eps, shade, params, show_grad):
        """A legend of what is drawn, and nothing else; its title gives the value of every parameter drawn
        (defaults too: PReLU drawn without alpha says alpha = 0.25)."""
        kinks = [p.x for p in points if p.kind == "kink"]
        handles = []
        drawn = {p.kind[:3] for p in points if p.kind in ("min f", "max f")
                 or (show_grad and p.kind in ("min df", "max df"))}
        if drawn:
            handles.append(Line2D([], [], ls="", marker="o", color="black", ms=6,
                                  label=" / ".join(k for k in ("min", "max") if k in drawn)))
        if kinks:
            handles.append(Line2D([], [], ls="", marker="D", mfc="white", mec="black", ms=6,
                                  label="kink at x = " + ", ".join(fmt(k) for k in kinks)))
        if shade and hard.any():
            handles.append(Patch(color=HARD_COLOUR, alpha=0.3, label="hard saturation: f' = 0"))
        if shade and soft.any():
            handles.append(Patch(color=SOFT_COLOUR, alpha=0.3, label=f"soft saturation: |f'| < {fmt(eps)}"))
        title = param_text(params)
        ax = self.ax_df if show_grad else self.ax_f
        for other in {self.ax_f, self.ax_df}:
            if other.get_legend() is not None:
                other.get_legend().remove()
        own = self.own_figure and self.ax_f is not self.ax_df
        size = self.style["legend.fontsize"]
        legend = None
        if (handles or title) and not own:
            ax.legend(handles=handles, title=title or None, loc="best", fontsize=size, title_fontsize=size,
                      framealpha=0.85)
        elif handles or title:  # own figure: the legend sits between the title and the axes, off the curves
            ncol = max(1, len(handles) if sum(len(h.get_label()) for h in handles) < 60 else 2)
            legend = self.ax_f.legend(handles=handles, title=title or None, loc="lower center", ncol=ncol,
                                      bbox_to_anchor=(0.5, 1.0), fontsize=size, title_fontsize=size, frameon=False,
                                      borderaxespad=0.2, columnspacing=1.2, handletextpad=0.4)
        if own:
            self._fit_title(legend, show_grad)

    def _fit_title(self, legend, show_grad: bool):
        """The title above the legend, inside the figure: on two lines (name, formula) when one is too wide,
        smaller (not under 12 px) when even that is too wide; the axes move down to make room."""
        renderer = self.figure.canvas.get_renderer()
        fig_w, fig_h = self.figure.bbox.width, self.figure.bbox.height
        legend_px = legend.get_window_extent(renderer).height if legend is not None else 0.0
        one_line = title_of(self.name)
        smallest = 12 * 72 / self.figure.dpi  # points
        title = self.ax_f.set_title(one_line, fontsize=self.style["axes.titlesize"],
                                    pad=legend_px * 72 / self.figure.dpi + 8)
        if title.get_window_extent(renderer).width > fig_w - 8:
            title.set_text(one_line.replace(":  $", ":\n$", 1))
        while title.get_window_extent(renderer).width > fig_w - 8 and title.get_fontsize() > smallest:
            title.set_fontsize(max(title.get_fontsize() * 0.92, smallest))
        self.top = 0.9 - legend_px / fig_h
        _stack(self, show_grad)
        if legend is not None:  # a formula that reaches below its baseline (maxout's subscript): more room
            low = title.get_window_extent(renderer).y0 - legend.get_window_extent(renderer).y1
            if low < 2:
                pad = legend_px * 72 / self.figure.dpi + 8 + (2 - low) * 72 / self.figure.dpi
                self.ax_f.set_title(title.get_text(), fontsize=title.get_fontsize(), pad=pad)
        over = title.get_window_extent(renderer).y1 - (fig_h - 4)
        if over > 0:
            self.top -= over / fig_h
            _stack(self, show_grad)

    def _mark(self, points, show_grad):
        on_f = [p for p in points if p.kind in ("min f", "max f")]
        kinks = [p for p in points if p.kind == "kink"]
        on_df = [p for p in points if p.kind in ("min df", "max df")] if show_grad else []
        self.marks_f.set_data([p.x for p in on_f], [p.y for p in on_f])
        self.marks_kink.set_data([p.x for p in kinks], [p.y for p in kinks])
        self.marks_df.set_data([p.x for p in on_df], [p.y for p in on_df])
        self.marks_df.set_visible(show_grad)
        kx = np.repeat([p.x for p in kinks], 3)
        if kx.size:
            kx[2::3] = np.nan
        self.kink_lines.set_data(kx, np.tile([0.0, 1.0, np.nan], len(kinks)))
        self.kink_lines.set_visible(show_grad and self.ax_f is not self.ax_df)
        if self.live:
            return
        pool = len(self.labels) // 2
        for labels, chosen, ax in ((self.labels[:pool], on_f, self.ax_f), (self.labels[pool:], on_df, self.ax_df)):
            for label, p in zip(labels, chosen[:pool], strict=False):
                lo, hi = ax.get_xlim()
                where = (p.x - lo) / max(hi - lo, 1e-12)
                up = p.kind.startswith("max")  # a maximum's label above it, a minimum's below: clear of the curve
                label.set_annotation_clip(False)
                label.xy = (p.x, p.y)
                label.set_text(f"{analysis.KIND_LABEL[p.kind]} {fmt(p.y)} at x = {fmt_at(p.x, hi - lo)}")
                label.set_va("bottom" if up else "top")
                label.set_visible(True)
                _place(label, ax, p, up, "left" if where < 0.25 else "right" if where > 0.75 else "center",
                       zero_line=lo < 0 < hi)
            for label in labels[len(chosen):]:
                label.set_visible(False)

    def _room_for(self, ax, labels):
        """Widen the y limits of ``ax`` until every label lies inside the axes (clear of the spines)."""
        renderer = self.figure.canvas.get_renderer()
        for _ in range(3):
            inside = ax.get_window_extent(renderer)
            boxes = [label.get_window_extent(renderer) for label in labels if label.get_visible()]
            below = max([inside.y0 + 3 - b.y0 for b in boxes] + [0.0])
            above = max([b.y1 + 3 - inside.y1 for b in boxes] + [0.0])
            if below <= 0 and above <= 0:
                return
            lo, hi = ax.get_ylim()
            per_px = (hi - lo) / max(inside.height - below - above, 1.0)
            ax.set_ylim(lo - below * per_px, hi + above * per_px)
            self._limits[ax] = ax.get_ylim()


class OverlayPanel(LivePanel):
    """Several activations on shared axes (f on top, f' below), the largest difference of a pair marked.

    Series i is drawn in (PALETTE[i], LINESTYLES[i]): no two share both. The
    legend sits above the axes, off the data; a static figure's legend states
    every parameter value drawn (``series_label``: "Swish ($\\beta$ = 1)") unless
    ``labels`` are given, and it names the pair and the gap in each panel's
    title; an explorer (titles in its legend, values on its sliders) in its readout.
    """

    def __init__(self, names, *, talk: bool | None = None, live: bool = False, labels=None):
        super().__init__(live)
        self.names = [get(n).name for n in names]
        if not self.names:
            raise ValueError("plot_overlay()/compare() need at least one activation name")
        if len(self.names) > len(PALETTE):
            raise ValueError(f"plot_overlay()/compare(): at most {len(PALETTE)} curves; got {len(self.names)}")
        self.given = bool(labels)
        self.labels = list(labels) if labels else _series_labels(self.names)
        self.figure, (self.ax_f, self.ax_df) = new_figure(2, 1, talk=talk)
        self.style = course_style(self.figure.acts_talk)
        unique = list(dict.fromkeys(get(n).title for n in self.names))
        self.figure.suptitle(" vs ".join(unique) if len(unique) <= 4 else f"{len(unique)} activations",
                             fontsize=self.style["axes.titlesize"], y=0.995)
        self.ax_f.set_ylabel("f(x)")
        self.ax_df.set_ylabel("f'(x)")
        self.ax_df.set_xlabel("x")
        self.lines: dict = {self.ax_f: [], self.ax_df: []}
        self.gap: dict = {}
        for ax in (self.ax_f, self.ax_df):
            ax.axhline(0, color="black", lw=0.8, zorder=1)
            ax.axvline(0, color="black", lw=0.8, zorder=1)
            for i, label in enumerate(self.labels):
                line = ax.plot([], [], color=PALETTE[i], ls=LINESTYLES[i], label=label,
                               lw=self.style["lines.linewidth"])[0]
                self.lines[ax].append(self._dyn(line))
            # in its own colour with a white edge: visible on the black x = 0 line (sigmoid vs tanh's f' gap);
            # whole even at the axes' edge (a static figure also widens its x range there, see update)
            halo = [patheffects.withStroke(linewidth=4.0, foreground="white")]
            self.gap[ax] = self._dyn(ax.plot([], [], color=GAP_COLOUR, lw=2.0, marker="_", ms=12, mew=2.0, zorder=6,
                                             clip_on=False, path_effects=halo)[0])
        self._legend(self.labels)
        self._limits: dict = {}
        self.state: dict = {}

    def _legend(self, labels):
        """The legend above the axes, in as many columns (at most 4) as fit the figure's width."""
        for old in list(self.figure.legends):
            old.remove()
        width = self.figure.bbox.width - 8
        for ncol in range(min(len(labels), 4), 0, -1):
            legend = self.figure.legend(handles=self.lines[self.ax_f], labels=labels, loc="upper center", ncol=ncol,
                                        frameon=False, bbox_to_anchor=(0.5, 0.955), handlelength=2.5,
                                        fontsize=self.style["legend.fontsize"], columnspacing=1.2)
            if ncol == 1 or legend.get_window_extent(self.figure.canvas.get_renderer()).width <= width:
                break
            legend.remove()
        self.top = 0.9 - 0.055 * -(-len(labels) // ncol) - (0.04 if not self.live else 0.0)

    def update(self, x=None, params=None, show_grad: bool = True):
        """Recompute every curve and both largest differences for these parameters, and update the artists."""
        params = list(params) if params is not None else [{} for _ in self.names]
        for name, p in zip(self.names, params, strict=True):
            get(name)(0.0, **p)  # the registry's own checks and messages
        if not self.live and not self.given:  # a static figure says the values it draws
            self._legend(_series_labels(self.names, params))
            if len(set(self.names)) < len(self.names):  # two settings of one function: the pair needs the values
                self.labels = _series_labels(self.names, params)
        lo, hi = analysis.safe_range((-6.0, 6.0) if x is None else x)
        if self.live and self.state.get("x_range") != (lo, hi):  # a new x range: y limits afresh, as a static
            self._limits.clear()                                  # figure of this view has them
        kinks = [k for n, p in zip(self.names, params, strict=True) for k in get(n).kink_points(**p) if lo < k < hi]
        grid = np.union1d(np.linspace(lo, hi, 601), kinks)
        self.state = dict(x=grid, x_range=(lo, hi), params=params, show_grad=show_grad, curves={}, gaps={},
                          kinks=kinks, both_sides={})
        self._edge: dict = {}
        for ax, derivative in ((self.ax_f, False), (self.ax_df, True)):
            fns = [analysis.curve(n, p, derivative) for n, p in zip(self.names, params, strict=True)]
            curves = [fn(grid) for fn in fns]
            for line, y in zip(self.lines[ax], curves, strict=True):
                line.set_data(grid, y)
            value, at, (i, j) = analysis.max_difference(self.names, grid, dict(enumerate(params)), derivative)
            self.state["curves"][derivative] = curves
            self.state["gaps"][derivative] = (value, at, (i, j))
            shown = len(self.names) > 1 and value > 0
            mark, both = at, False
            for k in kinks if derivative else []:  # a limit beside a kink: marked inside the piece, spanning the
                if 0 < abs(at - k) <= 1e-6 * (hi - lo):  # limits, its end caps clear of f''s jump line at the kink
                    side = 1.0 if at > k else -1.0
                    ends = [hi if side > 0 else lo, *[q for q in kinks if (q - k) * side > 0]]
                    end = min(ends, key=lambda q: abs(q - k))
                    mark = k + side * min(gap_clearance(self.figure, hi - lo, self.gap[ax]), abs(end - k) / 2)
                    both = abs(abs(fns[i](2 * k - at) - fns[j](2 * k - at)) - value) <= 1e-9 * max(1.0, value)
            self.state["both_sides"][derivative] = both
            self.gap[ax].set_data([mark, mark], [fns[i](at), fns[j](at)])
            self.gap[ax].set_visible(shown)
            if not self.live:
                what = "f'" if derivative else "f"
                pair = f"{self.labels[i]} vs {self.labels[j]}"
                where = gap_where(at, kinks if derivative else [], hi - lo, both, view=(lo, hi))
                text = f"max |Δ{what}| = {fmt(value)} {where}: {pair}" if shown else ""
                ax.set_title(text, loc="left", fontsize=self.style["legend.fontsize"])
            ax.set_xlim(lo, hi)
            if not self.live and shown:  # a bracket at an edge (relu vs sigmoid at x = 6): 2.5% more room there,
                room = 0.025 * (hi - lo)  # so its end caps lie inside the axes
                if mark - lo < room or hi - mark < room:
                    self._edge[ax] = (lo - room if mark - lo < room else lo, hi + room if hi - mark < room else hi)
            self._limits[ax] = stable_limits(self._limits.get(ax), *analysis.finite_range(*curves))
            ax.set_ylim(*self._limits[ax])
        if self._edge:  # the two panels share their x axis: the widest of the two
            wide = (min(e[0] for e in self._edge.values()), max(e[1] for e in self._edge.values()))
            ticks = [t for t in self.ax_df.xaxis.get_major_locator().tick_values(lo, hi) if lo <= t <= hi]
            for ax in (self.ax_f, self.ax_df):  # the ticks of the range asked for (-6 ... 6, not -5, -2.5, ...)
                ax.set_xticks(ticks)
                ax.set_xlim(*wide)
        _stack(self, show_grad)
        return self


def gap_clearance(figure, span: float, bracket) -> float:
    """How far (in x data units) a gap bracket's bar stands from a kink so that its end caps, their white edge
    and 3 pt more stay clear of the jump line there, at this figure's width (the axes span 0.12 to 0.97 of it;
    0.03 of the span at the default width)."""
    axes_pt = figure.get_size_inches()[0] * 72 * (0.97 - 0.12)
    clear_pt = bracket.get_markersize() / 2 + 2.0 + 3.0  # half a cap, the white edge, a margin
    return span * clear_pt / axes_pt


def _series_labels(names, params=None) -> list:
    """Legend labels: the titles (with ``params``, ``series_label``s: every value drawn), numbered where one repeats."""
    if params is None:
        titles = [get(n).title for n in names]
    else:
        titles = [series_label(n, p) for n, p in zip(names, params, strict=True)]
    return [f"{t} #{titles[:i + 1].count(t)}" if titles.count(t) > 1 else t for i, t in enumerate(titles)]

"""Figures for the course: one activation, several overlaid, gradient flow through depth, decision regions.

>>> from acts import plotting
>>> plotting.use_style()                        # the course style (talk mode: ACTS_TALK=1 or talk=True)
>>> fig = plotting.plot_activation("swish", beta=2.0)     # last line of a cell: shown once, as a PNG
>>> fig = plotting.plot_overlay(["sigmoid", "hard_sigmoid"])

Everything is read from the registry, so a new activation gets its figures
for free. The numbers behind the pictures (saturated tails, key points,
largest differences) come from ``acts.analysis``; the figures are
``acts.panels`` drawn once; the style (colours, sizes, talk mode) is
``acts.style``. Colours are Okabe-Ito, safe for the common colour-vision
deficiencies, and every curve of an overlay also has its own line style.
Figures are made without pyplot: a figure that is the last value of a cell
shows as one PNG, and ``show(fig)`` displays one anywhere else.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.transforms import ScaledTranslation

from acts import analysis
from acts.analysis import (  # noqa: F401  (the names older notebooks reach through plotting)
    KIND_LABEL,
    KeyPoint,
    activation_grid,
    key_points,
    max_difference,
    saturation_bounds,
    saturation_regions,
)
from acts.gradient_flow import GradientFlowPanel
from acts.panels import ActivationPanel, LivePanel, OverlayPanel
from acts.style import (  # noqa: F401  (public through plotting too)
    HARD_COLOUR,
    LINESTYLES,
    MARKERS,
    PALETTE,
    SOFT_COLOUR,
    CourseFigure,
    course_style,
    describe,
    fmt,
    fmt_value,
    new_figure,
    param_text,
    series_label,
    show,
    talk_mode,
    text_px,
    title_of,
    to_png,
    use_style,
)

__all__ = [
    "PALETTE", "LINESTYLES", "MARKERS", "course_style", "use_style", "talk_mode", "new_figure", "to_png", "show",
    "fmt", "fmt_value", "describe", "series_label", "LivePanel", "ActivationPanel", "OverlayPanel", "GradientFlowPanel",
    "plot_activation", "plot_overlay", "plot_gradient_flow", "plot_decision_boundary",
    "saturation_regions", "saturation_bounds", "key_points", "max_difference", "KeyPoint",
]


def plot_activation(name: str, x=None, eps: float = 1e-3, show_grad: bool = True, shade: bool = True, *,
                    axes=None, talk: bool | None = None, **params):
    """f and f' of one activation, with zero lines, key points and its saturated tails shaded; returns the Figure.

    ``x``: a (low, high) range (default (-6, 6)) or an array of points.
    ``axes``: draw into existing axes, a pair (ax_f, ax_df) or one Axes for both.
    ``eps``: the saturation threshold: shaded grey where f' = 0 in a tail,
    orange where 0 < abs(f') < eps in a tail (``acts.analysis.saturation_tails``).
    The legend's title gives the value of every parameter drawn, defaults too
    (``plot_activation("prelu")`` says alpha = 0.25).

    >>> fig = plot_activation("swish", beta=2.0)
    """
    panel = ActivationPanel(name, axes=axes, talk=talk)
    panel.update(x, eps=eps, show_grad=show_grad, shade=shade, **params)
    return panel.figure


def plot_overlay(names, x=None, params=None, show_grad: bool = True, *, talk: bool | None = None, labels=None):
    """Several activations and their derivatives on shared axes, the largest abs difference marked and named.

    ``params``: one dict per name (a list), or a dict {name: {parameter: value}}.
    ``labels``: legend labels, one per name (default: each title with every
    parameter value drawn, defaults too: "Swish ($\\beta$ = 1)", "ReLU"; the
    panels' titles name a pair by title, by these labels where a name repeats).

    >>> fig = plot_overlay(["sigmoid", "hard_sigmoid"])   # max |Δf| = 0.0692 at x = -1.32
    """
    if isinstance(params, dict):
        params = [params.get(n, {}) for n in names]
    return OverlayPanel(names, talk=talk, labels=labels).update(x, params, show_grad).figure


def plot_gradient_flow(result, title: str | None = None, *, talk: bool | None = None):
    """Gradient norm per layer and the distribution of activations per layer, for a deep dense network.

    ``result``: what ``acts.diagnostics.signal_propagation(...)`` returns
    (anything with ``grad_norms`` and ``activations``):

    >>> from acts import diagnostics
    >>> fig = plot_gradient_flow(diagnostics.signal_propagation("sigmoid", depth=20), "Sigmoid, 20 layers")
    """
    if isinstance(result, str):
        raise TypeError(
            "plot_gradient_flow() draws a computed result: pass acts.diagnostics.signal_propagation(...), e.g. "
            f"plot_gradient_flow(diagnostics.signal_propagation({result!r}, depth=20)); got the name {result!r}")
    if title is None:
        title = f"{len(result.grad_norms)} layers"
    return GradientFlowPanel(talk=talk).update(result, title).figure


def plot_decision_boundary(net, X, y, ax=None, *, resolution: int = 200, legend: str | None = "below",
                           talk: bool | None = None):
    """The regions a classifier assigns to each class, with the data on top; returns the Figure.

    ``net`` needs ``predict(points) -> labels`` (``acts.analysis.decision_grid``).
    Classes differ in colour and in marker; the axes are labelled x1 and x2.
    ``legend``: "below" (default: in one row under the axes, right of the x label, off the data),
    "inside" (the corner matplotlib finds emptiest) or None.
    """
    if legend not in ("below", "inside", None):
        raise ValueError(f"plot_decision_boundary(): legend must be 'below', 'inside' or None; got {legend!r}")
    X, y = np.asarray(X, dtype=float), np.asarray(y).ravel()
    xx, yy, labels = analysis.decision_grid(net, X, resolution=resolution)
    if ax is None:
        fig, ax = new_figure(talk=talk)
    else:
        fig = ax.figure
    classes = np.unique(np.concatenate([np.unique(labels), np.unique(y)]))
    index = {c: i for i, c in enumerate(classes)}
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(classes))]
    coded = np.vectorize(index.get, otypes=[float])(labels)
    # the regions as an image (one pixel per grid point): exact, no staircase of interpolated contour levels
    ax.imshow(coded, origin="lower", extent=(xx.min(), xx.max(), yy.min(), yy.max()), aspect="auto",
              cmap=ListedColormap(colours), vmin=-0.5, vmax=len(classes) - 0.5, alpha=0.25,
              interpolation="nearest", zorder=0)
    for c, i in index.items():
        pts = X[y == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=18, color=colours[i], marker=MARKERS[i % len(MARKERS)],
                   edgecolors="black", linewidths=0.4, label=f"class {c}", zorder=3)
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    size = course_style(getattr(fig, "acts_talk", talk))["legend.fontsize"]
    if legend == "inside":
        ax.legend(loc="best", fontsize=size, framealpha=0.85)
    elif legend == "below":  # on the x label's row, at its right: the row has room, and no data lie there
        ticks = ax.xaxis.get_major_ticks()[0].label1.get_size()
        down = ax.xaxis.get_tick_padding() + ticks + ax.xaxis.labelpad + ax.xaxis.label.get_size() / 2  # points
        row = ax.transAxes + ScaledTranslation(0, -down / 72, fig.dpi_scale_trans)
        ax.legend(loc="center right", bbox_to_anchor=(1.0, 0.0), bbox_transform=row, ncol=len(classes),
                  fontsize=size, frameon=False, borderaxespad=0.0, handletextpad=0.2, columnspacing=0.8,
                  borderpad=0.0)
    return fig

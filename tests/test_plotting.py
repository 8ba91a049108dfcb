"""acts.plotting: the numbers behind the figures, and what the figures draw, for every registered name."""

import matplotlib as mpl
import numpy as np
import pytest
from figure_helpers import PNG, covered, extremes, text_px
from matplotlib._pylab_helpers import Gcf

import acts
from acts import analysis as A
from acts import panels
from acts import plotting as P
from acts.diagnostics import signal_propagation
from acts.live_panel import stable_limits

# ---------------------------------------------------------------- style


def test_palette_and_linestyles_are_distinct_and_paired():
    assert len(set(P.PALETTE)) == len(P.PALETTE) >= 8
    assert len({str(s) for s in P.LINESTYLES}) == len(P.LINESTYLES) == len(P.PALETTE)
    assert len(set(P.MARKERS)) == len(P.MARKERS)


def test_talk_style_is_bigger():
    small, big = P.course_style(), P.course_style(talk=True)
    assert big["font.size"] > small["font.size"] and big["lines.linewidth"] > small["lines.linewidth"]
    w_small = P.plot_activation("relu").canvas.get_width_height()
    w_big = P.plot_activation("relu", talk=True).canvas.get_width_height()
    assert w_big[0] > w_small[0] and w_big[1] > w_small[1]


def test_use_style_sets_rcparams():
    with mpl.rc_context():
        P.use_style(talk=True)
        try:
            assert mpl.rcParams["font.size"] == P.course_style(True)["font.size"]
            assert P.talk_mode() is True
        finally:
            P.use_style(talk=False)


# ---------------------------------------------------------------- figures


def _line(ax, label):
    (line,) = [line for line in ax.lines if line.get_label() == label]
    return line


@pytest.mark.parametrize("name", acts.names())
def test_plot_activation_draws_the_registry_values(name):
    act = acts.get(name)
    fig = P.plot_activation(name)
    assert isinstance(fig, P.CourseFigure) and fig._repr_png_().startswith(PNG)
    panel = P.ActivationPanel(name)  # what plot_activation draws with, updated for each setting
    for params in extremes(name):
        for eps in (1e-8, 1e-3, 1.0):
            fig = panel.update((-7, 7), eps=eps, **params).figure
            ax_f, ax_df = fig.axes[:2]
            x, y = _line(ax_f, "f").get_data()
            assert x[0] == -7 and x[-1] == 7
            np.testing.assert_array_equal(y, act(x, **params))
            np.testing.assert_array_equal(_line(ax_df, "f'").get_ydata(), act.grad(x, **params))
            hard, soft = A.saturation_regions(name, x, eps, **params)  # the tails only
            shades = [c for c in ax_f.collections]
            assert np.array_equal(covered(x, shades[0]), hard)
            assert np.array_equal(covered(x, shades[1]), soft)
            _legend_lists_only_what_is_drawn(fig, hard, soft)
    assert Gcf.get_num_fig_managers() == 0  # nothing went through pyplot


def test_plot_activation_into_given_axes_and_without_derivative():
    fig, ax = P.new_figure()
    assert P.plot_activation("tanh", axes=ax) is fig
    assert len([line for line in ax.lines if len(line.get_xdata()) > 100]) == 2  # f and f' on one axes
    fig = P.plot_activation("tanh", show_grad=False, shade=False)
    assert not fig.axes[1].get_visible()
    assert not any(c.get_visible() for c in fig.axes[0].collections)


def test_show_displays_one_png(monkeypatch):
    import base64

    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    P.show(P.plot_activation("sigmoid"))
    assert len(shown) == 1
    assert base64.b64decode(shown[0]["image/png"]).startswith(PNG)
    assert "Sigmoid" in shown[0]["text/plain"] and "f(x) against" in shown[0]["text/plain"]  # alt text


@pytest.mark.parametrize("pair", [("swish", "mish"), ("swish", "hard_swish"), ("sigmoid", "hard_sigmoid"),
                                  ("relu", "relu6"), ("relu", "swish"), ("relu", "elu")])
def test_plot_overlay_marks_the_largest_difference(pair):
    fig = P.plot_overlay(pair, (-8, 8))
    ax_f, ax_df = fig.axes[:2]
    curves = [line for line in ax_f.lines if line.get_label() in {acts.get(n).title for n in pair}]
    assert len(curves) == 2
    for line, name in zip(curves, pair, strict=True):
        x, y = line.get_data()
        np.testing.assert_array_equal(y, acts.get(name)(x))
    for ax, derivative in ((ax_f, False), (ax_df, True)):
        value, at, (i, j) = A.max_difference(pair, curves[0].get_xdata(), derivative=derivative)
        gap = [line for line in ax.lines if line.get_marker() == "_"][0]
        gx, gy = gap.get_data()
        title = ax.get_title("left")  # names the pair it measures
        assert fmt_in(value, title) and f"{acts.get(pair[i]).title} vs {acts.get(pair[j]).title}" in title
        kinks = [k for n in pair for k in acts.get(n).kink_points()]
        beside = [k for k in kinks if abs(at - k) < 1e-6 * 16] if derivative else []
        fi, fj = (acts.get(pair[i]).grad, acts.get(pair[j]).grad) if derivative else (acts.get(pair[i]),
                                                                                     acts.get(pair[j]))
        if not beside:
            assert gx[0] == at and abs(gy[1] - gy[0]) == pytest.approx(value, abs=1e-12)  # the gap at its x
            assert abs(gy[1] - gy[0]) == pytest.approx(abs(fi(gx[0]) - fj(gx[0])), abs=1e-12)
            continue
        # f' beside a kink: the largest gap is a one-sided limit, said so (or both sides, where the other side's
        # limit is as large: ReLU vs Swish, 0 - 1/2 and 1 - 1/2); the marker stays off the kink but spans the limits
        (k,) = beside
        one, other = (abs(fi(k + d * 1e-9) - fj(k + d * 1e-9)) for d in (np.sign(at - k), -np.sign(at - k)))
        assert value == pytest.approx(one, abs=1e-6) and abs(gy[1] - gy[0]) == pytest.approx(value, abs=1e-6)
        side = f"just {'left' if at < k else 'right'} of"
        side = "on both sides of" if other == pytest.approx(one, abs=1e-6) else side
        assert f"{side} the kink at x = {P.fmt(k)}" in title
        assert np.sign(gx[0] - k) == np.sign(at - k) and abs(gx[0] - k) < 1.0  # in the piece, near the kink
        # review item 1 (01 cell 86, 03 cell 38): the end caps sat on the jump line; now half a cap, the 2 pt white
        # edge and 3 pt more stand between the bar and the kink, in pixels at the figure's size
        fig.canvas.draw()
        cap_px = gap.get_markersize() * fig.dpi / 72 / 2
        apart = abs(ax.transData.transform((gx[0], 0))[0] - ax.transData.transform((k, 0))[0])
        assert apart >= cap_px + 5 * fig.dpi / 72 - 0.5
        if pair == ("relu", "swish"):
            assert "on both sides of the kink at x = 0" in title
        if pair == ("relu", "elu"):
            assert "just left of the kink at x = 0" in title  # e^x - 0 on the left, 1 - 1 on the right


def test_plot_overlay_with_parameters():
    fig = P.plot_overlay(["swish", "swish"], params=[{"beta": 1.0}, {"beta": 5.0}])
    x, y = fig.axes[0].lines[3].get_data()
    np.testing.assert_array_equal(y, acts.swish(x, beta=5.0))


class _FakePropagation:
    def __init__(self, depth):
        rng = np.random.default_rng(1)
        self.activations = [rng.normal(0, 1 / (k + 1), (32, 8)) for k in range(depth)]
        self.grad_norms = 2.0 ** -np.arange(depth)
        self.grad_norms[-1] = 0.0  # drawn as "not drawn": log scale
        self.means = np.array([a.mean() for a in self.activations])
        self.stds = np.array([a.std() for a in self.activations])


def test_plot_gradient_flow_draws_norms_and_distributions():
    result = _FakePropagation(12)
    fig = P.plot_gradient_flow(result, "fake")
    ax_g, ax_a = fig.axes[:2]
    assert ax_g.get_yscale() == "log"
    layers, norms = ax_g.lines[0].get_data()
    np.testing.assert_array_equal(layers, np.arange(1, 12))
    np.testing.assert_array_equal(norms, result.grad_norms[:-1])
    image = ax_a.images[0]
    shade = image.get_array()
    counts = P.GradientFlowPanel().update(result).state["counts"]  # shares of each layer's units per bin
    assert np.all(counts.sum(axis=0) <= 1.0 + 1e-12) and counts.sum(axis=0).min() > 0.9
    assert shade.shape == (P.GradientFlowPanel.BINS, 12, 4)  # coloured by the panel (RGBA bytes)
    empty = counts == 0
    assert empty.any() and (~empty).any()
    np.testing.assert_array_equal(shade[empty], 255)  # empty bins: white, no colour
    # each other bin has the colour matplotlib's own norm and colour map give its share
    want = image.cmap(image.norm(np.ma.masked_equal(counts, 0)), bytes=True)
    np.testing.assert_array_equal(shade[~empty], want[~empty])
    # shares span decades: a log colour scale (L-37), and its colour bar says so
    assert isinstance(image.norm, mpl.colors.LogNorm) and image.norm.vmax == 1.0 and image.norm.vmin <= 1 / 4096
    bar_label = [a for a in fig.axes if a not in (ax_g, ax_a)][0].get_ylabel()
    assert "log scale" in bar_label and "share" in bar_label
    mean = [line for line in ax_a.lines if line.get_label() == "mean"][0]
    assert mean.get_color() == "white" and mean.get_path_effects()  # white with a black edge: seen on any colour


def test_plot_gradient_flow_is_deterministic_and_survives_explosion():
    one = P.plot_gradient_flow(signal_propagation("relu", depth=10, init="he"))
    two = P.plot_gradient_flow(signal_propagation("relu", depth=10, init="he"))
    assert one._repr_png_() == two._repr_png_()
    assert P.plot_gradient_flow(signal_propagation("relu", depth=50, init=10.0))._repr_png_().startswith(PNG)
    with pytest.raises(TypeError, match="signal_propagation"):
        P.plot_gradient_flow("relu")


def test_gradient_flow_shows_direction_colour_bar_and_a_visible_mean():
    fig = P.plot_gradient_flow(signal_propagation("sigmoid", depth=8))
    ax_g, ax_a, bar = fig.axes[:3]
    assert bar.get_ylabel().startswith("share of the layer's units")  # the colour bar of the heat map
    assert any("backpropagation" in t.get_text() for t in ax_g.texts)
    assert any(a.arrow_patch is not None for a in ax_g.texts if hasattr(a, "arrow_patch"))
    mean = [line for line in ax_a.lines if line.get_label() == "mean"][0]
    assert mean.get_color() == "white" and mean.get_path_effects()  # white with a black edge: any colour map
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in (ax_g, ax_a))


class _StandInNet:
    """Class 1 right of the line x0 + x1 = 0."""

    def predict(self, X):
        return (X[:, 0] + X[:, 1] > 0).astype(int)


def test_plot_decision_boundary():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = _StandInNet().predict(X)
    fig = P.plot_decision_boundary(_StandInNet(), X, y)
    ax = fig.axes[0]
    assert len(ax.collections) >= 2 and ax.images  # the regions and one scatter per class
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1", "x2")
    assert fig._repr_png_().startswith(PNG)
    fig2, ax2 = P.new_figure()
    assert P.plot_decision_boundary(_StandInNet(), X, y, ax=ax2) is fig2


def test_formula_titles_fall_back_when_mathtext_cannot_draw_them():
    fig = P.new_figure()[0]
    for k, name in enumerate(acts.names()):
        title = P.title_of(name)
        assert title.startswith(acts.get(name).title)
        fig.text(0, k / len(acts.names()), title)
    fig.canvas.draw()  # raises if mathtext cannot parse one of them


def test_a_figure_as_the_last_value_of_a_cell_is_one_png():
    from IPython.core.formatters import DisplayFormatter

    data, _metadata = DisplayFormatter().format(P.plot_activation("relu"))
    assert data["image/png"].startswith(PNG)
    assert [k for k in data if k.startswith("image/")] == ["image/png"]


def fmt_in(value, text):
    return P.fmt(value) in text


def _legend_lists_only_what_is_drawn(fig, hard, soft):
    entries = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert any(e.startswith("hard") for e in entries) == bool(hard.any())
    assert any(e.startswith("soft") for e in entries) == bool(soft.any())


def test_legends_of_single_activation_figures():
    fig = P.plot_activation("sigmoid")  # f' has its maximum at 0; no kink, no saturation in [-6, 6] at 1e-3
    entries = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert entries == ["max"]  # only a maximum is drawn (of f')
    fig = P.plot_activation("sigmoid", show_grad=False)
    assert not [t for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    fig = P.plot_activation("hard_swish", eps=1e-2)
    entries = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert entries == ["min", "kink at x = -3, 3", "hard saturation: f' = 0"]


def test_a_minimum_is_not_shaded_as_saturation():
    for name, eps in (("swish", 1e-2), ("hard_swish", 1e-2), ("mish", 1e-2)):
        panel = P.ActivationPanel(name).update((-6, 6), eps=eps)
        x = panel.state["x"]
        low = [p.x for p in panel.state["points"] if p.kind == "min f"][0]
        shaded = covered(x, panel.hard[panel.ax_f]) | covered(x, panel.soft[panel.ax_f])
        assert not shaded[np.argmin(np.abs(x - low))], name


def test_text_is_at_least_12_px_and_series_differ_in_colour_or_style():
    for fig in (P.plot_activation("swish"), P.plot_overlay(acts.names()[:8]),
                P.plot_gradient_flow(signal_propagation("tanh", depth=4))):
        dpi = fig.dpi
        texts = [t for t in fig.findobj(mpl.text.Text) if t.get_text() and t.get_visible()]
        assert texts and min(text_px(t, dpi) for t in texts) >= 12 - 1e-9
    fig = P.plot_overlay(acts.names()[:8])
    styles = [(line.get_color(), str(line.get_linestyle())) for line in fig.axes[0].lines if line.get_label()[0] != "_"]
    assert len(styles) == 8 and len(set(styles)) == 8


def test_same_function_twice_is_labelled_by_its_parameters():
    fig = P.plot_overlay(["hard_sigmoid", "hard_sigmoid"], params=[{}, {"slope": 0.2}])
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[0] != labels[1] and "slope = 0.2" in labels[1]
    assert fig._suptitle.get_text() == "Hard-sigmoid"


@pytest.mark.parametrize("name, params", [("tanh", {}), ("hard_swish", {}), ("swish", {"beta": 2.0}),
                                          ("sigmoid", {}), ("mish", {})])
def test_key_point_labels_sit_inside_their_axes_and_off_the_zero_line(name, params):
    panel = P.ActivationPanel(name).update(eps=1e-2, **params)
    renderer = panel.figure.canvas.get_renderer()
    labels = [t for t in panel.labels if t.get_visible() and t.get_text()]
    assert labels  # each of these has a minimum or a maximum in view
    for label in labels:
        ax = label.axes
        box, inside = label.get_window_extent(renderer), ax.get_window_extent(renderer)
        assert inside.x0 - 1 <= box.x0 and box.x1 <= inside.x1 + 1 and inside.y0 <= box.y0 and box.y1 <= inside.y1
        zero = ax.transData.transform((0.0, 0.0))[0]
        assert not box.x0 < zero < box.x1, label.get_text()
    legend = panel.ax_f.get_legend()  # above the axes, off the curves and the labels
    assert legend.get_window_extent(renderer).y0 >= panel.ax_f.get_window_extent(renderer).y1 - 1


def test_prelu_writes_alpha_as_the_course_does():
    """M-29/L-33: PReLU's slope is α in the record's formula, the figure title and the legend, never 'a'."""
    formula = acts.get("prelu").formula
    assert r"\alpha\,\min(0, x)" in formula and r" a\," not in formula
    fig = P.plot_activation("prelu", alpha=0.1)
    title = fig.axes[0].get_title()
    assert r"\alpha" in title
    assert fig.axes[0].get_legend().get_title().get_text() == r"$\alpha$ = 0.1"
    fig.canvas.draw()  # mathtext draws both


@pytest.mark.parametrize("name", [n for n in acts.names() if acts.get(n).params])
def test_a_figure_states_every_parameter_it_draws(name):
    """Review item 12: 05 cell 6 drew PReLU at alpha = 0.25 and 03 cell 7 Swish at beta = 1 without saying so
    (only given parameters were stated): the legend title names every parameter with its value, default or not."""
    act = acts.get(name)
    title = P.plot_activation(name).axes[0].get_legend().get_title().get_text()
    assert title == P.param_text({p: spec.default for p, spec in act.params.items()})
    for p in act.params:
        assert (f"$\\{p}$" if p in ("alpha", "beta") else p) in title, (name, title)
    assert P.plot_activation("prelu", x=(-4, 4)).axes[0].get_legend().get_title().get_text() == r"$\alpha$ = 0.25"
    assert P.plot_activation("swish", x=(-8, 8)).axes[0].get_legend().get_title().get_text() == r"$\beta$ = 1"
    legend = P.plot_activation("relu").axes[0].get_legend()  # no parameters: no legend title
    assert legend is None or not legend.get_title().get_text()


def test_sign_patterns_read_in_greyscale():
    """I-17: notebook 01 section 5's + and - blocks differ in brightness and texture, not in hue only."""
    from matplotlib.collections import PatchCollection

    from acts.experiments import saturated

    signs = np.array([[1, 1, -1, -1, 0], [-1, 1, 1, -1, -1]])
    fig = saturated.plot_sign_patterns({"tanh": signs})
    ax = fig.axes[0]
    cmap = ax.images[0].get_cmap()
    grey = [float(np.dot(cmap(v)[:3], (0.299, 0.587, 0.114))) for v in (0.0, 0.5, 1.0)]  # -, 0, +
    assert grey[0] - grey[2] > 0.3 and grey[1] - grey[0] > 0.3  # + dark, - light, 0 white
    (hatched,) = [c for c in ax.collections if isinstance(c, PatchCollection)]
    assert hatched.get_hatch() and len(hatched.get_paths()) == 3  # one rectangle per run of '-' in a row


@pytest.mark.parametrize("name", acts.names())
def test_title_and_legend_fit_inside_the_figure(name):
    fig = P.plot_activation(name)
    renderer = fig.canvas.get_renderer()
    ax_f = fig.axes[0]
    title = ax_f.title.get_window_extent(renderer)
    assert 0 <= title.x0 and title.x1 <= fig.bbox.width and title.y1 <= fig.bbox.height  # hard-sigmoid's is long
    legend = ax_f.get_legend()
    if legend is not None:  # between the axes and the title, overlapping neither
        box = legend.get_window_extent(renderer)
        assert ax_f.get_window_extent(renderer).y1 - 1 <= box.y0 and box.y1 <= title.y0 + 1


def test_encode_png_writes_the_canvas_exactly():
    """The explorers' own PNG writer (level 1) gives the canvas' pixels, as Pillow reads them, and a valid file."""
    import io

    from PIL import Image

    from acts.style import encode_png

    fig = P.plot_activation("gelu")
    fig.canvas.draw()
    canvas = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    for level in (1, 6):  # ours, Pillow's
        data = encode_png(fig, level)
        Image.open(io.BytesIO(data)).verify()  # checks the chunks' CRCs
        assert data.startswith(PNG)
        np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")), canvas)
    other = P.plot_activation("relu")  # the same size: encode_png reuses its row buffer, each PNG is its own
    other.canvas.draw()
    first, second = encode_png(fig, 1), encode_png(other, 1)
    assert first == encode_png(fig, 1) != second
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(second)).convert("RGB")),
                                  np.asarray(other.canvas.buffer_rgba())[..., :3])


# ---------------------------------------------------------------- limits, gap markers, decision legend (review r0001)


@pytest.mark.parametrize("lo, hi", [(-4.61, 4.18), (0.0, 1.0), (-1.0, 1.0), (0.0, 8.0), (-8.0, 8.0), (0.0, 0.25),
                                    (-0.5, 1.5), (-6.0, 6.0), (1e-5, 3e-5), (-3.0, 18.0), (0.0, 1.05), (-0.278, 6.0),
                                    (123.0, 456.0), (-0.0998, 1.1), (-2.0e6, 7.3e6), (0.001, 0.0195)])
def test_fresh_limits_are_round_and_leave_little_of_the_axis_empty(lo, hi):
    a, b = stable_limits(None, lo, hi)
    assert a < lo and hi < b
    assert (hi - lo) / (b - a) >= 0.8  # at most 20% empty (the default pad is 5% a side)
    step = 10.0 ** np.floor(np.log10(b - a)) / 100  # round: whole multiples of a 1-2-5 step
    assert a / step == pytest.approx(round(a / step), abs=1e-6) and b / step == pytest.approx(round(b / step), abs=1e-6)
    assert stable_limits(None, -4.61, 4.18) == (-5.2, 4.8)  # not (-10, 5)


def test_limits_stay_for_small_data_changes():
    limits = stable_limits(None, -4.61, 4.18)
    for lo, hi in ((-4.6, 4.2), (-4.5, 4.0), (-4.0, 3.5), (-4.7, 4.3)):
        assert stable_limits(limits, lo, hi) == limits
    assert stable_limits(limits, -9.0, 4.0) != limits  # no longer fits
    assert stable_limits(limits, -1.0, 1.0) != limits  # fills too little of them


def test_overlay_gap_marker_is_whole_at_the_axes_edge():
    """Review item 13 (notebook 00 cell 7): the bracket at x = 6 had half of each end cap outside the axes."""
    P.use_style()
    fig = P.plot_overlay(["relu", "sigmoid"])  # the largest f gap is at x = 6, the right edge
    fig.canvas.draw()
    for ax in fig.axes[:2]:
        gap = [line for line in ax.lines if line.get_marker() == "_"][0]
        assert gap.get_xdata()[0] == 6.0 and not gap.get_clip_on()
        cap_px = gap.get_markersize() * fig.dpi / 72 / 2  # half an end cap's width
        centre = ax.transData.transform((6.0, 0.0))[0]
        assert centre + cap_px <= ax.get_window_extent().x1  # the whole cap inside the axes
        assert [t for t in ax.get_xticks() if -6 <= t <= 6] == [-6, -4, -2, 0, 2, 4, 6]  # ticks as asked
        # review item 8: a largest gap at the view's end is the view's largest; the title says where it is
        assert "at x = 6, the right end of the view:" in ax.get_title("left")
    assert panels.gap_where(-2.0, [], 4.0, view=(-2.0, 2.0)) == "at x = -2, the left end of the view"
    assert panels.gap_where(1.5, [], 4.0, view=(-2.0, 2.0)) == "at x = 1.5"


@pytest.mark.parametrize("pair, x", [(["sigmoid", "tanh"], None), (["relu", "softplus"], (-8, 8))])
def test_overlay_gap_marker_differs_from_the_zero_line(pair, x):
    """Review item 13 (notebook 01 cell 24, 03 cell 38): a black bracket at x = 0 lay on the black zero line;
    it has its own colour, unlike the zero lines and every series, and a white edge."""
    fig = P.plot_overlay(pair, x)
    ax = fig.axes[1] if pair[0] == "sigmoid" else fig.axes[0]  # the panel whose gap is at x = 0
    gap = [line for line in ax.lines if line.get_marker() == "_"][0]
    assert abs(gap.get_xdata()[0]) < 1e-6
    others = {mpl.colors.to_hex(line.get_color()) for line in ax.lines if line is not gap}
    assert "#000000" in others and mpl.colors.to_hex(gap.get_color()) not in others | set(P.PALETTE)
    assert gap.get_path_effects()
    # review item 1 (03 cell 38, upper panel): drawn above the black x = 0 line and above every curve
    assert gap.get_zorder() > max(line.get_zorder() for line in ax.lines if line is not gap)


def test_decision_boundary_legend_sits_off_the_data():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(200, 2))  # data in every corner: any legend inside would cover some
    y = _StandInNet().predict(X)
    fig = P.plot_decision_boundary(_StandInNet(), X, y)
    fig.canvas.draw()
    ax = fig.axes[0]
    box, inside = ax.get_legend().get_window_extent(), ax.get_window_extent()
    assert box.y1 < inside.y0 and box.y0 > 0 and box.x1 <= fig.bbox.x1  # below the axes, inside the figure
    label = ax.xaxis.label.get_window_extent()
    assert box.x0 > label.x1  # beside the x label, not on it
    assert P.plot_decision_boundary(_StandInNet(), X, y, legend="inside").axes[0].get_legend() is not None
    assert P.plot_decision_boundary(_StandInNet(), X, y, legend=None).axes[0].get_legend() is None
    with pytest.raises(ValueError, match="legend must be"):
        P.plot_decision_boundary(_StandInNet(), X, y, legend="left")


# notebook 05 cell 24 exactly (x = (-4, 4)); the figures the notebooks draw; then every name at the default range
_NOTEBOOK_CALLS = [("swish", {"x": (-4, 4), "beta": 1.0}), ("prelu", {"x": (-4, 4)}), ("swish", {"x": (-8, 8)}),
                   ("prelu", {"alpha": 1.0}), ("swish", {"beta": 1.0})]


@pytest.mark.parametrize("name, params", [*_NOTEBOOK_CALLS, *[(n, {}) for n in acts.names()],
                                          *[(n, {"x": (-4, 4)}) for n in acts.names()]])
def test_key_point_labels_clear_of_tick_labels(name, params):
    """Notebook 05 cell 24, plot_activation("swish", x=(-4, 4), beta=1.0) after use_style(), had
    "min f' -0.0998 at x = -2.4" over the -0.5 tick label and starting left of the axes: every key-point label
    lies inside its axes (so off the tick labels), and no text drawn inside an axes overlaps a tick label of
    any axes, or another text."""
    P.use_style()  # as the notebooks' setup cell does
    fig = P.plot_activation(name, **params)
    fig = getattr(fig, "figure", fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ticks = [t.get_window_extent(renderer) for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()
             if t.get_visible() and t.get_text()]
    texts = [t for ax in fig.axes for t in ax.texts if t.get_visible() and t.get_text()]
    assert ticks and (texts or name not in ("swish", "sigmoid"))
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i, (text, box) in enumerate(zip(texts, boxes, strict=True)):
        inside = text.axes.get_window_extent(renderer)
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1, (text.get_text(), name, params)
        assert inside.y0 <= box.y0 and box.y1 <= inside.y1, (text.get_text(), name, params)
        assert not any(box.overlaps(tick) for tick in ticks), (text.get_text(), name)
        assert not any(box.overlaps(other) for other in boxes[i + 1:]), (text.get_text(), name)


@pytest.mark.parametrize("names, params, expected", [
    (["relu", "swish", "gelu"], None, ["ReLU", r"Swish / SiLU ($\beta$ = 1)", "GELU (approximate = 'none')"]),
    (["leaky_relu", "elu"], [{}, {}], ["Leaky ReLU (slope = 0.01)", r"ELU ($\alpha$ = 1)"]),
    (["leaky_relu", "elu", "gelu"], {"leaky_relu": {"slope": 0.2}, "gelu": {"approximate": "tanh"}},
     ["Leaky ReLU (slope = 0.2)", r"ELU ($\alpha$ = 1)", "GELU (approximate = 'tanh')"]),
    (["sigmoid", "hard_sigmoid"], None, ["Sigmoid", "Hard-sigmoid (slope = 1/6)"]),  # review item 17: not 0.1667
])
def test_overlay_legends_state_every_parameter_value_drawn(names, params, expected):
    """Issue #15: an overlay's legend says the values its curves are drawn with, defaults too, as a single
    function's legend does; the gap titles name a pair by title (the values are in the legend)."""
    fig = P.plot_overlay(names, params=params)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == expected
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert all("(" not in t.split(": ")[-1] for t in titles if t)
    gelu = acts.get("gelu")  # the defaults stated are the ones drawn
    assert "'none'" in P.series_label("gelu") and gelu.params["approximate"].default == "none"


@pytest.mark.parametrize("names", [["relu", "swish", "gelu"], ["selu", "elu", "leaky_relu", "prelu", "gelu"],
                                   acts.names()[:8]])
def test_overlay_legend_fits_the_figure_above_the_axes(names):
    for talk in (False, True):
        fig = P.plot_overlay(names, talk=talk)
        renderer = fig.canvas.get_renderer()
        fig.canvas.draw()
        box, page = fig.legends[0].get_window_extent(renderer), fig.bbox
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and box.y1 <= page.y1
        assert box.y0 >= fig.axes[0].get_tightbbox(renderer).y1 - 1  # clear of the top panel and its title
        assert box.y1 <= fig._suptitle.get_window_extent(renderer).y0 + 1


def test_given_overlay_labels_are_used_as_given():
    fig = P.plot_overlay(["swish", "gelu"], labels=["mine", "theirs"])
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["mine", "theirs"]


@pytest.mark.parametrize("value, text", [(1 / 6, "1/6"), (5 / 3, "5/3"), (-2 / 3, "-2/3"), (7 / 12, "7/12"),
                                         (0.25, "0.25"), (0.1667, "0.1667"), (2 ** 0.5, "1.414"), (3.0, "3"),
                                         (1 / 6 + 1e-9, "0.1667")])
def test_parameter_values_read_as_the_course_writes_them(value, text):
    """Review item 17 (01 cell 86): 'slope = 0.1667' for hard-sigmoid's 1/6; a fraction whose decimals never end
    reads as that fraction, every other value as fmt to 4 digits (a value only near 1/6 is not called 1/6)."""
    assert P.fmt_value(value) == text
    assert abs(eval(text) - value) <= (1e-12 if "/" in text else 5e-4 * abs(value))  # the text is the value


def test_deep_figure_says_when_no_unit_is_flat():
    """Review item 12 (06 cell 22): the flat panel, all zeros, looked empty; it says so. Review item 14: 10 in wide."""
    from types import SimpleNamespace

    from acts.experiments import deep

    def stats(flat):
        return SimpleNamespace(std=np.ones(12), signal=np.logspace(-1, -8, 12), flat=np.asarray(flat, float),
                               grad=np.logspace(-8, -1, 12))
    texts = []
    for flat in (np.zeros(12), np.r_[np.zeros(11), 0.01]):
        fig = deep.plot_layers([("a", stats(flat))], "t")
        texts.append([t.get_text() for t in fig.axes[1].texts if t.get_text() not in ("", "t")])
        assert fig.get_size_inches()[0] == pytest.approx(10.0)
    assert texts == [["no flat units in any layer"], []]


def test_gradient_axis_under_two_decades_reads_in_one_format():
    """Review item 7 (02 cell 71): the log axis showed '1e2' beside '200'; a short range reads 100, 200, 300."""
    from acts import diagnostics

    fig = P.plot_gradient_flow(diagnostics.signal_propagation("selu", depth=20, init="lecun"), "t")
    fig = getattr(fig, "figure", fig)
    fig.canvas.draw()
    lo, hi = fig.axes[0].get_ylim()
    texts = [t.get_text() for t in fig.axes[0].get_yticklabels() if lo <= t.get_position()[1] <= hi]
    assert len(texts) >= 2 and all(t.isdigit() for t in texts), texts

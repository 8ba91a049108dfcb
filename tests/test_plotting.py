"""acts.plotting: the numbers behind the figures, and what the figures draw, for every registered name."""

import matplotlib as mpl
import mpmath
import numpy as np
import pytest
from matplotlib._pylab_helpers import Gcf

import acts
from acts import plotting as P

PNG = b"\x89PNG\r\n\x1a\n"
mpmath.mp.dps = 30


def _logit(p):
    return float(mpmath.log(p / (1 - p)))


def _extremes(name):
    """Parameter settings at the slider ends (low and high), and the defaults."""
    act = acts.get(name)
    out = [{}]
    for end in ("low", "high"):
        params = {}
        for pname, spec in act.params.items():
            if spec.choices is not None:
                params[pname] = spec.choices[-1] if end == "high" else spec.choices[0]
            else:
                value = getattr(spec, end)
                params[pname] = tuple(value for _ in spec.default) if spec.is_tuple else value
        out.append(params)
    return out


def _covered(x, collection):
    """Which points of x lie inside one of a shading collection's rectangles."""
    inside = np.zeros(len(x), bool)
    for path in collection.get_paths():
        lo, hi = path.vertices[:, 0].min(), path.vertices[:, 0].max()
        inside |= (x >= lo) & (x <= hi)
    return inside


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
            assert P._talk(None) is True
        finally:
            P.use_style(talk=False)


# ---------------------------------------------------------------- numbers


def test_saturation_regions_hard_and_soft():
    x = np.linspace(-10, 10, 2001)
    hard, soft = P.saturation_regions("relu", x, eps=1e-3)
    assert np.array_equal(hard, acts.relu.grad(x) == 0) and not soft.any()
    hard, soft = P.saturation_regions("sigmoid", x, eps=1e-3)
    assert not hard.any()
    assert np.array_equal(soft, np.abs(acts.sigmoid.grad(x)) < 1e-3)


@pytest.mark.parametrize("name, exact", [
    # sigmoid' = s(1 - s) = eps at s = (1 + sqrt(1 - 4 eps)) / 2; tanh' = 1 - t^2 = eps at t = sqrt(1 - eps)
    ("sigmoid", lambda eps: _logit((1 + mpmath.sqrt(1 - 4 * mpmath.mpf(eps))) / 2)),
    ("tanh", lambda eps: float(mpmath.atanh(mpmath.sqrt(1 - mpmath.mpf(eps))))),
])
@pytest.mark.parametrize("eps", [1e-3, 1e-2])
def test_saturation_bounds_match_closed_forms(name, exact, eps):
    bounds = P.saturation_bounds(name, (-12, 12), eps)
    edge = exact(eps)
    assert [kind for *_, kind in bounds] == ["soft", "soft"]
    assert [b[:2] for b in bounds] == [(-12, pytest.approx(-edge, rel=1e-9)), (pytest.approx(edge, rel=1e-9), 12)]


def test_saturation_bounds_of_hard_regions_end_at_the_kink():
    assert P.saturation_bounds("relu6", (-5, 10), eps=0.5) == [(-5.0, 0.0, "hard"), (6.0, 10.0, "hard")]


def _root(fprime, x0):
    return float(mpmath.findroot(fprime, x0))


def _sig(x):
    return 1 / (1 + mpmath.exp(-x))


def _swish_prime(x):
    return _sig(x) * (1 + x * (1 - _sig(x)))


def _mish_prime(x):
    sp = mpmath.log1p(mpmath.exp(x))
    return mpmath.tanh(sp) + x * _sig(x) * mpmath.sech(sp) ** 2


def test_key_points_swish_mish_gelu_against_mpmath():
    swish = {p.kind: p for p in P.key_points("swish")}
    x_min = _root(_swish_prime, -1.3)
    assert swish["min f"].x == pytest.approx(x_min, abs=1e-7)
    assert swish["min f"].y == pytest.approx(float(x_min * _sig(x_min)), abs=1e-12)
    x_peak = _root(lambda x: mpmath.diff(_swish_prime, x), 2.4)
    assert swish["max df"].x == pytest.approx(x_peak, abs=1e-6)
    assert swish["max df"].y == pytest.approx(float(_swish_prime(x_peak)), abs=1e-12)
    mish = {p.kind: p for p in P.key_points("mish")}
    assert mish["min f"].x == pytest.approx(_root(_mish_prime, -1.2), abs=1e-7)
    gelu = {p.kind: p for p in P.key_points("gelu")}
    # gelu' = Phi(x) + x phi(x) = 0
    assert gelu["min f"].x == pytest.approx(_root(lambda x: mpmath.ncdf(x) + x * mpmath.npdf(x), -0.75), abs=1e-7)


@pytest.mark.parametrize("name", acts.names())
def test_key_points_kinks_come_from_the_registry(name):
    act = acts.get(name)
    points = P.key_points(name, (-8, 8))
    kinks = [p.x for p in points if p.kind == "kink"]
    assert kinks == [k for k in act.kink_points() if -8 <= k <= 8]
    for p in points:
        value = act(p.x) if p.kind in ("min f", "max f", "kink") else act.grad(p.x)
        assert p.y == pytest.approx(float(value), abs=1e-6)


def test_key_points_monotone_and_kinked_cases():
    kinds = [p.kind for p in P.key_points("sigmoid")]
    assert kinds == ["max df"]  # no minimum: sigmoid is monotone
    sig = P.key_points("sigmoid")[0]
    assert sig.x == pytest.approx(0, abs=1e-6) and sig.y == pytest.approx(0.25)
    hswish = {p.kind: p for p in P.key_points("hard_swish")}
    assert hswish["min f"].x == pytest.approx(-1.5) and hswish["min f"].y == pytest.approx(-0.375)
    absolute = {p.kind: p for p in P.key_points("maxout", weights=(1.0, -1.0), biases=(0.0, 0.0))}
    assert absolute["min f"].x == pytest.approx(0, abs=1e-9)


def test_max_difference_against_closed_forms():
    x = np.linspace(-6, 6, 601)
    # sigmoid - (x/6 + 1/2) is largest where sigmoid' = 1/6
    s = (1 + mpmath.sqrt(1 - mpmath.mpf(4) / 6)) / 2
    x_star = _logit(s)
    expected = float(s - (mpmath.mpf(x_star) / 6 + mpmath.mpf(1) / 2))
    value, at, pair = P.max_difference(["sigmoid", "hard_sigmoid"], x)
    assert value == pytest.approx(expected, rel=1e-9) and abs(at) == pytest.approx(x_star, rel=1e-6)
    assert pair == (0, 1)
    value, at, _ = P.max_difference(["swish", "hard_swish"], x)
    assert value == pytest.approx(float(3 - 3 * _sig(3)), rel=1e-9) and abs(at) == pytest.approx(3)
    value, at, _ = P.max_difference(["relu", "relu6"], x)
    assert value == 0  # identical up to x = 6
    value, at, _ = P.max_difference(["relu", "relu6"], np.linspace(-6, 10, 401))
    assert (value, at) == (4.0, 10.0)
    value, _, _ = P.max_difference(["swish", "swish"], x, params={0: {"beta": 1.0}, 1: {"beta": 2.0}})
    assert value > 0


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
    for params in _extremes(name):
        for eps in (1e-8, 1e-3, 1.0):
            fig = panel.update((-7, 7), eps=eps, **params).figure
            ax_f, ax_df = fig.axes[:2]
            x, y = _line(ax_f, "f").get_data()
            assert x[0] == -7 and x[-1] == 7
            np.testing.assert_array_equal(y, act(x, **params))
            np.testing.assert_array_equal(_line(ax_df, "f'").get_ydata(), act.grad(x, **params))
            hard, soft = P.saturation_regions(name, x, eps, **params)
            shades = [c for c in ax_f.collections]
            assert np.array_equal(_covered(x, shades[0]), hard)
            assert np.array_equal(_covered(x, shades[1]), soft)
    assert Gcf.get_num_fig_managers() == 0  # nothing went through pyplot


def test_plot_activation_into_given_axes_and_without_derivative():
    fig, ax = P.new_figure()
    assert P.plot_activation("tanh", axes=ax) is fig
    assert len([line for line in ax.lines if len(line.get_xdata()) > 100]) == 2  # f and f' on one axes
    fig = P.plot_activation("tanh", show_grad=False, shade=False)
    assert not fig.axes[1].get_visible()
    assert not any(c.get_visible() for c in fig.axes[0].collections)


def test_show_displays_one_png(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs: shown.extend(objs))
    P.show(P.plot_activation("sigmoid"))
    assert len(shown) == 1
    assert shown[0].data.startswith(PNG)


@pytest.mark.parametrize("pair", [("swish", "mish"), ("swish", "hard_swish"), ("sigmoid", "hard_sigmoid"),
                                  ("relu", "relu6")])
def test_plot_overlay_marks_the_largest_difference(pair):
    fig = P.plot_overlay(pair, (-8, 8))
    ax_f, ax_df = fig.axes[:2]
    curves = [line for line in ax_f.lines if line.get_label() in {acts.get(n).title for n in pair}]
    assert len(curves) == 2
    for line, name in zip(curves, pair, strict=True):
        x, y = line.get_data()
        np.testing.assert_array_equal(y, acts.get(name)(x))
    for ax, derivative in ((ax_f, False), (ax_df, True)):
        value, at, _ = P.max_difference(pair, curves[0].get_xdata(), derivative=derivative)
        gap = [line for line in ax.lines if line.get_marker() == "_"][0]
        gx, gy = gap.get_data()
        assert gx[0] == at and abs(gy[1] - gy[0]) == pytest.approx(value)


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
    fig = P.plot_gradient_flow("tanh", result=result)
    ax_g, ax_a = fig.axes[:2]
    assert ax_g.get_yscale() == "log"
    layers, norms = ax_g.lines[0].get_data()
    np.testing.assert_array_equal(layers, np.arange(1, 12))
    np.testing.assert_array_equal(norms, result.grad_norms[:-1])
    counts = ax_a.images[0].get_array()
    assert counts.shape == (P.GradientFlowPanel.BINS, 12)
    assert np.all(counts.sum(axis=0) <= 1.0 + 1e-12) and counts.sum(axis=0).min() > 0.9


def test_plot_gradient_flow_runs_acts_nn_deterministically():
    one = P.plot_gradient_flow("relu", depth=10, init="he")
    two = P.plot_gradient_flow("relu", depth=10, init="he")
    assert one._repr_png_() == two._repr_png_()
    from acts.diagnostics import signal_propagation

    expected = signal_propagation("relu", depth=10, init="he").grad_norms
    np.testing.assert_allclose(one.axes[0].lines[0].get_ydata(), expected[expected > 0])


def test_plot_gradient_flow_survives_explosion():
    fig = P.plot_gradient_flow("relu", depth=50, init=10.0)
    assert fig._repr_png_().startswith(PNG)


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
    assert len(ax.collections) >= 3  # filled regions and one scatter per class
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

"""The explorers, driven from Python the way a kernel receives slider changes.

Every control of every explorer is set to its minimum, maximum and middle,
for every registered name; after each change the picture must have changed,
and what it shows must be what ``acts`` computes for the current controls.
(pytest turns every warning into an error, so these also prove that no
control value warns.)
"""

import io

import ipywidgets as widgets
import numpy as np
import pytest
from figure_helpers import PNG, covered
from matplotlib._pylab_helpers import Gcf
from matplotlib.collections import PolyCollection
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from PIL import Image

import acts
from acts import analysis as A
from acts.style import fmt
from acts.widgets import MAX_PIECES, ProgressBar, compare, depth, explore


def _png(explorer) -> bytes:
    """The bytes the Image widget holds now (ipywidgets keeps them as a memoryview)."""
    return bytes(explorer.image.value)


def _settings(control):
    """Minimum, maximum and middle of a control (each option of a dropdown, both states of a checkbox)."""
    if isinstance(control, widgets.Dropdown):
        return list(control.options)[::-1]
    if isinstance(control, widgets.Checkbox):
        return [not control.value, control.value]
    if isinstance(control, widgets.SelectionSlider):
        values = [v for _, v in control.options]
        return [values[0], values[-1], values[len(values) // 2]]
    if isinstance(control, widgets.FloatLogSlider):
        lo, hi = control.base ** control.min, control.base ** control.max
        return [lo, hi, control.base ** ((control.min + control.max) / 2)]
    lo, hi = control.min, control.max
    mid = (lo + hi) / 2 if not isinstance(control, widgets.IntSlider) else (lo + hi) // 2
    if isinstance(control, widgets.FloatRangeSlider):
        return [(lo, lo), (hi, hi), (mid, mid), (lo, hi)]
    return [lo, hi, mid]


def _drawn(explorer):
    """A fingerprint of everything the figure shows: limits, layout, and each artist's data, text and visibility.

    A control change can leave the picture as it was (relu6's cap moving from
    12 to 6.5 outside a view that ends at 6): then this stays the same too.
    """
    out = []
    for ax in explorer.figure.axes:
        out.append((ax.get_visible(), ax.get_xlim(), ax.get_ylim(), ax.get_position().bounds, ax.get_title()))
        for artist in ax.get_children():
            visible = artist.get_visible()
            if isinstance(artist, Line2D):
                out.append((visible, np.asarray(artist.get_xydata()).tobytes()))
            elif isinstance(artist, PolyCollection):
                paths = artist.get_paths()  # an empty shading shows nothing, visible or not
                out.append((visible and bool(paths), tuple(np.asarray(p.vertices).tobytes() for p in paths)))
            elif isinstance(artist, Text):
                out.append((visible, artist.get_text(), artist.get_position()))
            elif isinstance(artist, AxesImage):
                out.append((visible, np.asarray(artist.get_array()).tobytes(), tuple(artist.get_extent())))
            elif isinstance(artist, Legend):
                out.append(visible)
    return out


def _drive(explorer, check):
    """Set every control to each of its settings; the Image must change whenever what is drawn changes."""
    for key in list(explorer.controls):
        control = explorer.controls.get(key)
        if control is None:  # gone: k removed this piece
            continue
        for value in _settings(control):
            before_drawn, before_png = _drawn(explorer), _png(explorer)
            control.value = value
            if _drawn(explorer) != before_drawn:
                assert _png(explorer) != before_png, f"{key} = {value!r}: the picture did not change"
            assert _png(explorer).startswith(PNG)
            check(explorer)


def _check_activation(explorer):
    """The drawn curves, shading and readout agree with acts for the current controls."""
    name, panel = explorer.name, explorer.panel
    params = explorer.params.values()
    act = acts.get(name)
    x, y = panel.line_f.get_data()
    lo, hi = A.safe_range(explorer.controls["x range"].value)
    assert (x[0], x[-1]) == (lo, hi)
    np.testing.assert_array_equal(y, act(x, **params))
    np.testing.assert_array_equal(panel.line_df.get_ydata(), act.grad(x, **params))
    eps = explorer.controls["eps"].value
    hard, soft = A.saturation_regions(name, x, eps, **params)
    ax = panel.ax_f
    assert np.array_equal(covered(x, panel.hard[ax]), hard)
    assert np.array_equal(covered(x, panel.soft[ax]), soft)
    assert panel.hard[ax].get_visible() == explorer.controls["shade"].value
    assert panel.ax_df.get_visible() == explorer.controls["derivative"].value
    assert fmt(float(act(0.0, **params))) in explorer.readout.value
    tails = A.saturation_bounds(name, (lo, hi), eps, **params)  # the readout states what is shaded
    assert (not tails) == ("none in view" in explorer.readout.value)


@pytest.mark.parametrize("name", acts.names())
def test_explore_every_control_of_every_activation(name):
    explorer = explore(name)
    assert isinstance(explorer, widgets.Widget)
    assert isinstance(explorer.image, widgets.Image) and _png(explorer).startswith(PNG)
    for pname, spec in acts.get(name).params.items():  # a control per parameter, labelled with its name
        if spec.is_tuple:
            for j in range(len(spec.default)):
                assert explorer.controls[f"{pname}[{j}]"].description == f"{pname}[{j}]"
        else:
            control = explorer.controls[pname]
            assert control.description == pname
            assert isinstance(control, widgets.Dropdown if spec.choices else widgets.SelectionSlider)
            if not spec.choices:
                values = [v for _, v in control.options]
                assert (values[0], values[-1]) == pytest.approx((spec.low, spec.high))
                assert control.value == spec.default  # exactly: the default is a stop
                for mark in acts.get(name).marks(pname):  # every canonical value is a stop, exactly
                    assert not spec.low <= mark <= spec.high or mark in values
    _check_activation(explorer)
    _drive(explorer, _check_activation)
    assert Gcf.get_num_fig_managers() == 0  # no pyplot figure was made


def test_explore_maxout_pieces():
    explorer = explore("maxout")
    controls = explorer.controls
    assert controls["k"].value == 2 and (controls["k"].min, controls["k"].max) == (1, MAX_PIECES)
    drawn = _png(explorer)
    controls["k"].value = 4  # new pieces copy the last one: same curve
    assert {f"weights[{j}]" for j in range(4)} <= set(explorer.controls)
    assert explorer.params.values() == {"weights": (1.0, 0.0, 0.0, 0.0), "biases": (0.0, 0.0, 0.0, 0.0)}
    explorer.controls["weights[3]"].value = -1.0  # now |x|
    np.testing.assert_array_equal(explorer.panel.line_f.get_ydata(), np.abs(explorer.panel.line_f.get_xdata()))
    assert _png(explorer) != drawn
    assert "min" in explorer.readout.value
    controls["k"].value = 1
    assert "weights[1]" not in explorer.controls
    assert explorer.params.values() == {"weights": (1.0,), "biases": (0.0,)}
    _check_activation(explorer)


def test_redraws_coalesce():
    explorer = explore("swish")
    renders = []
    render = explorer.panel.render_png
    explorer.panel.render_png = lambda: renders.append(1) or render()
    explorer.set(beta=2.0, eps=1e-2, **{"x range": (-3.0, 3.0)})
    assert len(renders) == 1  # three controls, one redraw
    explorer.controls["beta"].value = 2.0  # no change, no redraw
    explorer.redraw()  # same state as drawn: skipped
    assert len(renders) == 1
    explorer.controls["beta"].value = 3.0
    assert len(renders) == 2


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_live_render_equals_a_full_render():
    """Blitting over the saved background gives the picture of drawing everything.

    Not bit for bit: a full draw orders artists by zorder (shading under the
    grid), blitting paints the changing artists last; the two differ in a
    few percent of the pixels, by a shade.
    """
    explorer = explore("gelu")
    for beta in ("tanh", "none"):
        explorer.controls["approximate"].value = beta
        live = _png(explorer)
        explorer.panel.live = False
        for artist in explorer.panel.dynamic:
            artist.set_animated(False)
        full = explorer.panel.render_png()
        for artist in explorer.panel.dynamic:
            artist.set_animated(True)
        explorer.panel.live = True
        a, b = _pixels(live), _pixels(full)
        assert a.shape == b.shape
        assert np.mean(np.abs(a - b).max(axis=2) > 60) < 0.01


@pytest.mark.parametrize("names", [("swish", "mish"), ("swish", "hard_swish"), ("sigmoid", "hard_sigmoid"),
                                   ("relu", "relu6"), ("maxout", "prelu", "gelu")])
def test_compare_every_control(names):
    explorer = compare(*names)

    def check(explorer):
        params = [g.values() for g in explorer.groups]
        panel = explorer.panel
        for line, name, p in zip(panel.lines[panel.ax_f], names, params, strict=True):
            x, y = line.get_data()
            np.testing.assert_array_equal(y, acts.get(name)(x, **p))
        x = panel.lines[panel.ax_f][0].get_xdata()
        value, at, (i, j) = A.max_difference(names, x, dict(enumerate(params)))
        assert fmt(value) in explorer.readout.value
        if len(set(names)) == len(names):
            assert f"{acts.get(names[i]).title} vs {acts.get(names[j]).title}" in explorer.readout.value
        assert panel.state["gaps"][False][:2] == (value, at)

    check(explorer)
    _drive(explorer, check)


def test_compare_same_function_twice_and_all():
    explorer = compare("swish", "swish")
    explorer.controls["swish#2.beta"].value = 5.0
    value, _, _ = explorer.panel.state["gaps"][False]
    assert value > 0.1
    eight = compare(*acts.names()[:8])  # eight (colour, line style) pairs, none shared
    assert len(eight.panel.lines[eight.panel.ax_f]) == 8
    with pytest.raises(ValueError, match="at most 8 curves"):
        compare(*acts.names()[:9])
    with pytest.raises(ValueError):
        compare()


def test_depth_every_control_and_determinism():
    from acts.diagnostics import signal_propagation

    small = dict(width=16, n=64)  # a narrow network: the same picture logic, a quarter of the work
    explorer = depth(**small)
    again = depth(**small)
    assert _png(explorer) == _png(again)  # fixed seed

    def check(explorer):
        c = explorer.controls
        init = c["init gain"].value if c["init"].value == "gain" else c["init"].value
        result = signal_propagation(c["activation"].value, depth=c["depth"].value, init=init, **small,
                                    **explorer.params.values())
        norms = result.grad_norms
        good = np.isfinite(norms) & (norms > 0)
        np.testing.assert_array_equal(explorer.panel.line_g.get_ydata(), norms[good])
        assert explorer.panel.state["counts"].shape[1] == c["depth"].value

    check(explorer)
    _drive(explorer, check)  # every activation (and its parameter controls), depth 1..60, every init, the gain


def test_explorers_are_single_widgets_that_hold_one_figure():
    for explorer, key, value in ((explore("relu"), "x range", (-3, 3)), (compare("relu", "relu6"), "x range", (0, 9)),
                                 (depth("relu", width=16, n=32), "depth", 5)):
        assert isinstance(explorer, widgets.Box)
        image = explorer.image
        figure = explorer.figure
        first = _png(explorer)
        explorer.controls[key].value = value
        assert explorer.figure is figure and explorer.image is image and _png(explorer) != first
    assert Gcf.get_num_fig_managers() == 0


def test_talk_explorer_is_bigger():
    normal = explore("relu").figure.canvas.get_width_height()
    talk = explore("relu", talk=True).figure.canvas.get_width_height()
    assert talk[0] > normal[0] and talk[1] > normal[1]


def test_readouts_never_show_a_nonzero_value_as_zero():
    explorer = depth("sigmoid", width=16, n=64)  # the gradient at layer 1 is about 1e-11
    norm = explorer.panel.state["grad_norms"][0]
    assert 0 < norm < 1e-6
    assert f"<td>{fmt(norm)}</td>" in explorer.readout.value and "e-" in fmt(norm)
    assert "<td>0</td>" not in explorer.readout.value
    for value in (1.234e-11, -3e-9, 2.5e-4, 0.5, 123456.0, 7.0):
        assert float(fmt(value)) != 0 and float(fmt(value)) == pytest.approx(value, rel=5e-3)
    assert (fmt(0.0), fmt(1.234e-11), fmt(0.5), fmt(-1.27846), fmt(123456.0)) == ("0", "1.23e-11", "0.5", "-1.28",
                                                                                 "1.23e5")


@pytest.mark.parametrize("make", [lambda: explore("selu"), lambda: compare("swish", "swish"),
                                  lambda: depth("selu", width=16, n=32), lambda: explore("maxout")])
def test_labels_are_unique_within_an_explorer(make):
    explorer = make()
    labels = [c.description for c in explorer.controls.values()]
    if hasattr(explorer, "groups"):  # compare: each group has a heading naming its curve
        labels = [(k.split(".")[0], c.description) for k, c in explorer.controls.items()]
    assert len(labels) == len(set(labels)), labels


def test_canonical_values_are_exact_stops():
    explorer = explore("hard_sigmoid")
    stops = [v for _, v in explorer.controls["slope"].options]
    assert 1 / 6 in stops and 0.2 in stops and explorer.controls["slope"].value == 1 / 6
    explorer.set(slope=0.2)
    assert explorer.params.values() == {"slope": 0.2}
    leaky = [v for _, v in explore("leaky_relu").controls["slope"].options]
    assert 0.0 in leaky and 0.01 in leaky and 0.2 in leaky
    assert 0.25 in [v for _, v in explore("prelu").controls["alpha"].options]
    assert [lab for lab, v in explorer.controls["slope"].options if v == 1 / 6] == ["1/6"]


def test_layout_wraps_and_the_picture_scales_down():
    for explorer in (explore("relu"), compare("relu", "gelu"), depth("relu", width=16, n=32)):
        assert explorer.layout.flex_flow == "row wrap"
        assert explorer.image.layout.max_width == "100%" and explorer.image.layout.height == "auto"
        assert "acts-explorer" in explorer._dom_classes


def test_talk_mode_from_the_environment_reaches_figures_explorers_and_readouts():
    import subprocess
    import sys

    code = ("from acts.widgets import explore; from acts import plotting; e = explore('relu'); "
            "f = plotting.plot_activation('relu'); "
            "print(e.figure.canvas.get_width_height()[0], f.canvas.get_width_height()[0], "
            "'font-size:22px' in e.readout.value)")
    out = subprocess.run([sys.executable, "-c", code], env={**__import__("os").environ, "ACTS_TALK": "1"},
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["960", "960", "True"]


# ---------------------------------------------------------------- the progress bar


def test_progress_bar_outside_a_notebook_is_silent(capsys):
    bar = ProgressBar("x")
    bar.update(3, 4)
    assert bar.widget.value == 0.75
    bar.update(4, 4)
    assert bar.widget.value == 1.0 and bar.handle is None
    assert capsys.readouterr() == ("", "")
    assert bar.summary(4, 4) == "x: done, 4 of 4"


def test_a_finished_progress_bar_leaves_text_in_the_saved_notebook():
    """Run a tiny notebook: the bar shown in one cell, finished in the next (as in notebooks 04-07); the stored
    outputs hold one line of text where the bar was, and no widget view (which needs a running kernel)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from acts.widgets import ProgressBar\nbar = ProgressBar('training')\nbar"),
                nbformat.v4.new_code_cell("for i in range(1, 6):\n    bar.update(i, 5)"),
                nbformat.v4.new_code_cell("again = ProgressBar('unfinished')\ndisplay(again)\nagain.update(1, 2)")]
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    (shown,) = nb.cells[0].outputs
    assert shown["output_type"] == "display_data"
    assert set(shown["data"]) == {"text/plain"}
    assert shown["data"]["text/plain"] == "training: done, 5 of 5"
    assert nb.cells[1].outputs == []
    (unfinished,) = nb.cells[2].outputs  # the test can fail: a bar that never finishes stays a widget
    assert "application/vnd.jupyter.widget-view+json" in unfinished["data"]


def test_a_live_render_after_limit_changes_equals_a_full_render():
    """The depth explorer redraws only the axes whose limits changed, and reuses backgrounds on a drag back;
    the picture is still the one a full draw gives (up to the order of a few overlapping artists)."""
    explorer = depth("relu", init=2.0)
    control = explorer.controls["init gain"]
    values = [v for _, v in control.options]
    i = values.index(control.value)
    drawn_axes = []
    redraw_axes = explorer.panel._redraw_axes
    explorer.panel._redraw_axes = lambda changed: drawn_axes.append(redraw_axes(changed)) or drawn_axes[-1]
    for value in values[i:i + 12] + values[i:i + 12][::-1]:  # norms and activations grow: limits change
        control.value = value
    assert any(drawn_axes)  # some steps redrew single axes
    live = _png(explorer)
    explorer.panel.live = False
    for artist in explorer.panel.dynamic:
        artist.set_animated(False)
    full = explorer.panel.render_png()
    a, b = _pixels(live), _pixels(full)
    assert a.shape == b.shape
    assert np.mean(np.abs(a - b).max(axis=2) > 60) < 0.005


def test_depth_explorer_remembers_results_and_draws_them_the_same():
    from acts.diagnostics import signal_propagation
    from acts.gradient_flow import GradientFlowPanel
    from acts.widgets import _slim

    full = signal_propagation("relu", depth=7, init="he", n=100, width=50)  # 5000 values a layer: step 1
    a = GradientFlowPanel().update(full).state
    b = GradientFlowPanel().update(_slim(full)).state
    np.testing.assert_array_equal(a["counts"], b["counts"])
    assert a["range"] == b["range"]
    explorer = depth("tanh", layers=10)
    calls = []
    explorer.propagate = lambda *args, **kw: calls.append(kw["depth"]) or signal_propagation(*args, **kw)
    first = (_png(explorer), explorer.readout.value)
    explorer.controls["depth"].value = 11
    explorer.controls["depth"].value = 10  # back: remembered, not computed again
    assert calls == [11] and (_png(explorer), explorer.readout.value) == first


def test_explorer_key_names_only_the_extrema_drawn():
    """tanh: f' has a maximum and no minimum in view: the key says 'max', not 'min / max'."""
    explorer = explore("tanh")
    assert "&#9679; max" in explorer.readout.value and "min / max" not in explorer.readout.value
    explorer.controls["derivative"].value = False  # tanh's f has no extremum: no dot in the key
    assert "&#9679;" not in explorer.readout.value
    assert "&#9679; min / max" in explore("swish", beta=2.0).readout.value  # swish: min f, max f' (and min f')


def test_a_minimum_at_a_kink_reads_its_exact_value():
    explorer = explore("prelu", x_range=(-6.0, 6.0), alpha=-0.5)  # the key point search lands at x = -1.8e-18
    (minimum,) = [p for p in explorer.panel.state["points"] if p.kind == "min f"]
    assert (minimum.x, minimum.y) == (0.0, 0.0)
    assert "x = 0, value 0<" in explorer.readout.value and "e-1" not in explorer.readout.value
    explorer = explore("swish", x_range=(-6.0, 6.0))  # a smooth minimum keeps its own position and value
    (minimum,) = [p for p in explorer.panel.state["points"] if p.kind == "min f"]
    assert minimum.x == pytest.approx(-1.2785, abs=1e-4) and minimum.y == acts.swish(minimum.x)


def test_the_explorers_starting_view_is_the_static_figure():
    explorer = explore("prelu")  # as notebook 00 sets it up: the parameter, then the x range
    explorer.set(alpha=1.0)
    explorer.controls["x range"].value = (-6.0, 6.0)
    static = acts.plotting.plot_activation("prelu", alpha=1.0)
    assert [ax.get_ylim() for ax in explorer.figure.axes] == [ax.get_ylim() for ax in static.axes]
    first = explorer.figure.axes[0].get_ylim()
    seen = set()
    for alpha in np.linspace(1.0, 0.5, 11):  # a drag: the limits stay
        explorer.set(alpha=float(alpha))
        seen.add(explorer.figure.axes[0].get_ylim())
    assert seen == {first}
    explorer = compare("relu", "sigmoid")  # notebook 00's overlay explorer, moved to the static figure's view
    explorer.controls["x range"].value = (-6.0, 6.0)
    static = acts.plotting.plot_overlay(["relu", "sigmoid"])
    assert [ax.get_ylim() for ax in explorer.figure.axes[:2]] == [ax.get_ylim() for ax in static.axes[:2]]


def _depth_limits(explorer):
    """Every axis limit of the depth explorer's two panels: what a change of would redraw."""
    return tuple((ax.get_xlim(), ax.get_ylim()) for ax in (explorer.panel.ax_g, explorer.panel.ax_a))


def _assert_data_inside(explorer):
    """Everything drawn lies inside the axes: the norms, the heat map, the mean line; the heat map's range is
    the axis range in the units the scale text names."""
    panel = explorer.panel
    (x0, x1), (g0, g1) = panel.ax_g.get_xlim(), panel.ax_g.get_ylim()
    layers, norms = panel.line_g.get_data()
    assert len(norms) and x0 < layers.min() and layers.max() < x1 and g0 <= norms.min() and norms.max() <= g1
    a0, a1 = panel.ax_a.get_ylim()
    left, right, bottom, top = panel.image.get_extent()
    assert (x0, x1) == panel.ax_a.get_xlim() and x0 <= left and right <= x1 and (bottom, top) == (a0, a1)
    means = panel.line_mean.get_ydata()
    assert np.all((a0 <= means) & (means <= a1))
    scale, (lo, hi) = panel.state["scale"], panel.state["range"]
    assert np.isclose(lo, a0 * scale) and np.isclose(hi, a1 * scale)
    assert panel.scale_text.get_text() == ("" if scale == 1 else f"values \u00d7 {fmt(scale)}")


@pytest.mark.parametrize("make, key", [(lambda: depth("sigmoid", width=16, n=64), "depth"),
                                       (lambda: depth("relu", init=2.0, width=16, n=32), "init gain"),
                                       (lambda: depth("tanh", width=16, n=32), "depth")])
def test_depth_explorer_limits_hold_across_a_drag(make, key):
    """The layer axis spans the depth slider's range; the gradient axis only widens, its ends on a ladder of
    decades; the activation axis moves only with the data's signs. So over the slider's whole range: few
    limit changes on the first sweep, none on a second sweep there and back; all data inside the axes."""
    explorer = make()
    control = explorer.controls[key]
    values = list(range(control.min, control.max + 1)) if key == "depth" else [v for _, v in control.options]
    seen = [_depth_limits(explorer)]
    for value in values:  # the first sweep, bottom to top
        control.value = value
        _assert_data_inside(explorer)
        if _depth_limits(explorer) != seen[-1]:
            seen.append(_depth_limits(explorer))
    ends = [limits[0][0][1] for limits in seen]  # the layer axis: blocks of 20 layers, widened only
    assert all(limits[0][0] == limits[1][0] for limits in seen)
    assert ends == sorted(ends) and set(ends) <= {20.5, 40.5, 60.5}, ends
    assert len(seen) <= 7, seen
    widest = seen[-1]
    for value in values[::-1] + values:  # a drag across the whole range and back: no limit changes
        control.value = value
        _assert_data_inside(explorer)
        assert _depth_limits(explorer) == widest
    explorer.controls["activation"].value = "selu"  # another activation: the limits start afresh
    assert _depth_limits(explorer)[0][1] != widest[0][1]
    _assert_data_inside(explorer)


def test_depth_explorer_activation_axis_rule():
    """_scaled_limits: a power-of-ten scale at or above the largest |value|, ends 0, +-0.1 or +-1 of it, so the
    data fill at least a tenth of the axis and lie inside it; the gradient ladder's ends are 0 or +-2^k decades."""
    from acts.gradient_flow import _ladder, _scaled_limits

    assert _scaled_limits(0.02, 0.7) == (1.0, (0.0, 1.0))
    assert _scaled_limits(-3.0, 1500.0) == (1e4, (-0.1, 1.0))
    assert _scaled_limits(-2.5, 0.5) == (10.0, (-1.0, 0.1))
    assert _scaled_limits(-1.0, 1.0) == (1.0, (-1.0, 1.0))
    rng = np.random.default_rng(0)
    for lo, hi in np.sort(rng.standard_normal((500, 2)) * 10.0 ** rng.integers(-8, 9, (500, 1)), axis=1):
        scale, (a, b) = _scaled_limits(lo, hi)
        assert a * scale <= lo < hi <= b * scale
        assert max(abs(lo), abs(hi)) > 0.1 * scale
        assert {a, b} <= {0.0, 0.1, -0.1, 1.0, -1.0}
    assert _ladder(-11.0, 2.0) == (-16.0, 2.0) and _ladder(0.5, 3.0) == (0.0, 4.0)
    assert _ladder(-3.0, -1.0) == (-4.0, 0.0)
    for lo, hi in np.sort(rng.uniform(-40, 40, (200, 2)), axis=1):
        a, b = _ladder(lo, hi)
        assert a <= lo and hi <= b and all(v == 0 or np.log2(abs(v)).is_integer() for v in (a, b))


def test_the_live_histogram_draws_the_pixels_matplotlib_draws():
    """The depth explorer resamples its histogram itself (for speed): the same pixels as AxesImage, a full
    layer axis or a part of it, on linear or scaled activation axes."""
    for make in (lambda: depth("sigmoid"), lambda: depth("relu", init=2.0), lambda: depth("tanh", layers=7)):
        panel = make().panel
        image, canvas = panel.image, panel.figure.canvas
        pictures = []
        for ours in (True, False):
            if not ours:
                image.make_image = AxesImage.make_image.__get__(image)  # matplotlib's own resampling
            canvas.draw()
            image.axes.draw_artist(image)
            pictures.append(np.asarray(canvas.buffer_rgba()).copy())
        assert type(image) is not AxesImage and np.array_equal(*pictures)


def test_widening_the_layer_axis_redraws_axes_not_the_figure():
    """Depth 20 -> 21 widens the layer axis of both panels. The activation panel's x label reaches under its
    colour bar, so the two form one group, erased and redrawn together: no full draw, and the picture is the
    one a full draw gives."""
    explorer = depth("sigmoid")
    panel = explorer.panel
    full, counts = panel._full_draw, []
    panel._full_draw = lambda key: counts.append(key) or full(key)
    explorer.controls["depth"].value = 21
    assert counts == [] and panel.ax_a.get_xlim()[1] == 40.5
    cell, group = panel._regions[panel.ax_a]
    assert len(group) == 2 and panel._regions[group[1]][0] == cell  # the panel and its colour bar
    live = _pixels(_png(explorer))
    panel.live = False
    for artist in panel.dynamic:
        artist.set_animated(False)
    assert np.mean(np.abs(live - _pixels(panel.render_png())).max(axis=2) > 60) < 0.005


def test_a_remembered_depth_result_holds_only_its_sample():
    from acts.diagnostics import signal_propagation
    from acts.widgets import _slim

    result = signal_propagation("tanh", depth=3)  # 256 x 64 values a layer, 4096 kept
    slim = _slim(result)
    assert all(a.size == 4096 and a.base is None for a in slim.activations)  # not views of the whole layers
    np.testing.assert_array_equal(slim.activations[1], result.activations[1].reshape(-1)[::4])


def test_depth_explorer_past_float32s_range_warns_nothing():
    """ReLU at init gain 10 through 50 layers overflows float32: the live activation axis is then 1e39 wide,
    past float32's largest value; binning against it warned 'overflow encountered in cast' (an error here)."""
    explorer = depth("relu", init=10.0, layers=50)
    assert explorer.panel.state["scale"] > float(np.finfo(np.float32).max)
    assert explorer.panel.state["counts"].sum() > 0

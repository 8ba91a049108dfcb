"""Tests for notebook 04's plumbing: acts.experiments.mobile_friendly and acts.exercises.ex04_mobile_friendly."""

import math

import numpy as np
import pytest

import acts
from acts.exercises import ex04_mobile_friendly as ex
from acts.experiments import mobile_friendly as mf

# ---------------------------------------------------------------- low precision


def test_quantise_grid_and_clipping():
    a = np.array([0.0, 0.01, 0.0118, 3.0, 6.0, 7.5])
    q = mf.quantise(a, 6.0)
    step = 6 / 255
    assert np.allclose(q / step, np.round(q / step))  # on the grid
    assert q[-1] == pytest.approx(6.0)  # clipped to the range
    assert np.all(np.abs(q[:-1] - a[:-1]) <= step / 2 + 1e-12)


def test_int8_error_relu6_only_rounds():
    z = mf.long_tailed_preactivations(5000, seed=1)
    e6 = mf.int8_error(acts.relu6(z), 6.0)
    assert e6.clipped == 0 and e6.max <= e6.step / 2 + 1e-12
    e = mf.int8_error(acts.relu(z), 6.0)
    assert e.clipped == pytest.approx(np.mean(z > 6)) and e.rms > 10 * e6.rms


def test_float16_error_relative_bound_and_overflow():
    a = np.abs(mf.long_tailed_preactivations(5000))
    e = mf.float16_error(a[a > 1e-3])
    assert e["max_rel"] <= 2.0**-11 + 1e-12 and e["overflow"] == 0
    assert mf.float16_error([7e4, 1.0])["overflow"] == 1


def test_range_sweep_relu6_best_at_cap():
    z = mf.long_tailed_preactivations(5000)
    ranges = np.array([3.0, 6.0, 12.0, 50.0])
    sweep = mf.range_sweep(z, ranges)
    assert np.argmin(sweep["relu6"]) == 1
    assert sweep["relu"].min() > sweep["relu6"][1]


def test_quantisation_panel_and_explorer():
    z = mf.long_tailed_preactivations(2000)
    fig = mf.plot_quantisation(10.0, z=z)
    assert len(fig.axes) == 2
    explorer = mf.explore_quantisation(z)
    first = explorer.image.value
    explorer.set(range=20.0)
    assert explorer.image.value != first and explorer.panel.state["high"] == 20.0
    explorer.set(bits=4)
    assert explorer.panel.state["relu6"].step == pytest.approx(20.0 / 15)
    assert "ReLU6" in explorer.readout.value


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_histogram_bar_is_inside_its_log_axis(seed):
    z = mf.long_tailed_preactivations(seed=seed)
    ax = mf.plot_quantisation(6.0, z=z).axes[0]
    counts = np.histogram(acts.relu(z)[z > 0], bins=120, range=(0, ax.get_xlim()[1]))[0]
    tallest = max(max(p.get_path().vertices[:, 1]) for p in ax.patches)  # the drawn histogram
    assert tallest == counts.max()
    low, high = ax.get_ylim()
    assert low < 1 and math.log10(high / tallest) >= 1 / 3  # a third of a decade of room above the tallest bar


def test_a_share_clipped_is_never_printed_as_zero():
    relu = acts.relu(mf.long_tailed_preactivations(seed=0))
    e = mf.int8_error(relu, np.sort(relu)[-2])  # only the largest value is clipped
    assert e.clipped == 1 / relu.size
    assert mf.plotting.fmt(100 * e.clipped) == "0.005"  # as notebook 04 prints it, not '0.0%'


# ---------------------------------------------------------------- hard-sigmoid, MobileNetV3


def test_notes_hard_sigmoid_is_keras2_form():
    x = np.linspace(-8, 8, 1601)
    assert np.allclose(mf.notes_hard_sigmoid(x), acts.hard_sigmoid(x, slope=0.2), atol=1e-15)


def test_slope_changes():
    x = np.linspace(-8, 8, 1601)
    assert mf.slope_changes("hard_sigmoid", x).tolist() == [-3.0, 3.0]
    assert mf.slope_changes("hard_sigmoid", x, slope=0.2).tolist() == [-2.5, 2.5]
    assert mf.slope_changes("relu6", x).tolist() == [0.0, 6.0]
    assert len(mf.slope_changes("sigmoid", x)) > 1000


def test_hard_swish_gap_figure():
    fig = mf.plot_hard_swish_gap()
    assert len(fig.axes) == 2
    texts = [t.get_text() for t in fig.axes[1].texts]
    assert any("0.1423" in t for t in texts)


def test_hard_swish_gap_label_is_clear_of_the_curve():
    # review r0405 finding 4: the gap curve ran through the label; no point of it may lie inside the label's box
    fig = mf.plot_hard_swish_gap()
    fig.canvas.draw()
    ax = fig.axes[1]
    label = next(t for t in ax.texts if "largest |gap|" in t.get_text())
    box = label.get_window_extent().expanded(1.02, 1.1)
    for line in ax.get_lines():
        xy = ax.transData.transform(line.get_xydata())
        inside = (xy[:, 0] >= box.x0) & (xy[:, 0] <= box.x1) & (xy[:, 1] >= box.y0) & (xy[:, 1] <= box.y1)
        assert not inside.any(), f"the line {line.get_label()!r} passes through the label"


def test_hard_sigmoid_forms_figure():
    fig = mf.plot_hard_sigmoid_forms()
    assert len(fig.axes) == 2 and len(fig.axes[0].get_lines()) == 3


def test_mobilenet_v3_summary():
    s = mf.mobilenet_v3_summary()
    assert s["RE"]["blocks"] == [1, 2, 3, 4, 5, 6] and s["HS"]["blocks"] == list(range(7, 16))
    assert s["RE"]["se"] + s["HS"]["se"] == 8
    assert s["RE"]["sides"] == [112, 56, 28] and s["HS"]["sides"] == [28, 14, 7]
    # stem 112x112x16, head 1x1 conv to 960 at 7x7 plus the 1280-unit layer (review M-04)
    assert s["HS"]["outside_blocks"] == {"stem": 16 * 112 * 112, "head": 960 * 7 * 7 + 1280}
    blocks_only = mf.mobilenet_v3_summary(stem_and_head=False)
    assert s["HS"]["evaluations"] - blocks_only["HS"]["evaluations"] == 16 * 112 * 112 + 960 * 49 + 1280
    share = s["HS"]["evaluations"] / (s["HS"]["evaluations"] + s["RE"]["evaluations"])
    assert round(share, 3) == 0.395
    # block 2: expansion to 64 channels at 112x112, depthwise stride 2 to 56x56
    assert mf.mobilenet_v3_blocks()[1]["evaluations"] == 64 * (112 * 112 + 56 * 56)
    assert mf.mobilenet_v3_blocks()[0]["evaluations"] == 16 * 112 * 112  # no expansion conv


# ---------------------------------------------------------------- cost


def test_numpy_forms_match_registry_and_keep_float32():
    x = np.linspace(-10, 10, 2001).astype(np.float32)
    for name, fn in mf.NUMPY_FORMS.items():
        y = fn(x)
        assert y.dtype == np.float32, name
        assert np.allclose(y, acts.get(name)(x), rtol=1e-5, atol=1e-6), name


def test_cost_table_shape():
    rows = mf.cost_table(n=2000, repeat=1)
    labels = [r[0] for r in rows]
    assert labels[:2] == ["one pass (x * 1)", "np.exp alone"] and "hard_swish" in labels
    assert rows[0][2] == 1.0 and all(r[1] > 0 and r[2] > 0 for r in rows)


# ---------------------------------------------------------------- integer-only hard-swish


def test_quantise_multiplier():
    for m in (0.3, 0.5, 0.999999999, 1e-5, 0.0127):
        m0, shift = mf.quantise_multiplier(m)
        assert 2**30 <= m0 < 2**31
        assert m0 / 2**shift == pytest.approx(m, rel=2**-30)
    with pytest.raises(ValueError, match="m must be in"):
        mf.quantise_multiplier(1.5)


def test_rounding_shift_rounds_to_nearest():
    v = np.array([-13, -12, -11, -3, 0, 3, 4, 5, 12, 13])
    got = mf.rounding_shift(v, 3)
    assert got.tolist() == [math.floor(x / 8 + 0.5) for x in v.tolist()]


@pytest.mark.parametrize("x_max", [4.0, 6.0, 8.0, 12.0, 16.0])
def test_int8_hard_swish_exact_when_constants_are_whole(x_max):
    rep = mf.int8_hard_swish_report(x_max)
    assert rep["q3"] == round(rep["q3"])
    assert np.all(rep["lsb_vs_rounded"] == 0)
    assert np.abs(rep["lsb_vs_exact"]).max() <= 0.5 + 1e-9
    assert rep["q_int"].min() >= -128 and rep["q_int"].max() <= 127


def test_int8_hard_swish_rounded_constant_costs_at_most_one_lsb():
    rep = mf.int8_hard_swish_report(10.0)
    assert np.abs(rep["lsb_vs_rounded"]).max() == 1 and np.abs(rep["lsb_vs_exact"]).max() < 1.5


def test_hard_swish_int8_dtype_and_integer_only():
    s_x = 1 / 16
    s_y, z_y = mf.output_grid(s_x)
    out = mf.hard_swish_int8(np.arange(-128, 128, dtype=np.int8), s_x, s_y, z_y)
    assert out.dtype == np.int8 and out.shape == (256,)


def test_int8_panel_and_explorer():
    assert len(mf.plot_int8_hard_swish(8.0).axes) == 2
    explorer = mf.explore_int8_hard_swish()
    explorer.set(x_max=10.0)
    assert "of 256" in explorer.readout.value and explorer.panel.state["s_x"] == 10.0 / 128


# ---------------------------------------------------------------- exercises

CASES = [
    (ex.grid_step, 0.0235, 6 / 256),  # the question asks for 3 significant digits
    (ex.forms_gap, 0.0833, 0.07),  # 3 significant digits
    (ex.hard_swish_from_relu6, lambda x: x * acts.relu6(x + 3) / 6, lambda x: x * acts.relu6(x + 3) / 5),
    (ex.int8_three, 48, 47),
    (ex.why_cheaper, "b", "a"),
]


@pytest.mark.parametrize("check, right, wrong", CASES, ids=[c[0].__name__ for c in CASES])
def test_exercise_verdicts(check, right, wrong, capsys):
    assert check(right).status == "correct"
    assert check(wrong).status == "not yet"
    assert check(...).status == "not attempted yet"
    assert check("nonsense").status == "not yet"
    assert capsys.readouterr().out


def test_why_cheaper_options_cannot_be_told_by_length():
    # review r0405 finding 12: the right option was twice as long as the others
    lengths = [len(text) for text in ex.CHEAPER.values()]
    assert max(lengths) <= 1.2 * min(lengths), lengths


def test_notes_ledger_table_by_section(capsys):
    from acts import claims

    claims.table("04_mobile_friendly", sections=True)
    out = capsys.readouterr().out
    assert "Section: 1 · ReLU6: a ceiling at 6" in out
    assert "Section: 3 · Hard-swish: swish without the exponential" in out
    assert out.index("ReLU6: Two nested np.where") > out.index("Section: 1 ·")
    assert f"{len(claims.for_notebook('04_mobile_friendly'))} claims:" in out


def test_function_exercise_stub_and_raising():
    def stub(x):
        raise NotImplementedError

    def broken(x):
        raise ZeroDivisionError("oops")

    assert ex.hard_swish_from_relu6(stub).status == "not attempted yet"
    assert ex.hard_swish_from_relu6(broken).status == "not yet"


def test_scalar_only_hard_swish_gets_a_hint_not_a_raw_error(capsys):
    """Review 4 finding 9: an answer written for one number (float(x), min, max, if) is told that x is an array."""
    def with_float(x):
        return float(x) * min(max(float(x) + 3, 0), 6) / 6

    def with_if(x):
        if x < -3:
            return 0.0
        return x * min(x + 3, 6) / 6

    for fn in (with_float, with_if):
        assert ex.hard_swish_from_relu6(fn).status == "not yet"
        out = capsys.readouterr().out
        assert "works on one number" in out and f"x is a NumPy array of {ex.HARD_SWISH_X.size} points" in out
        assert "Hint: hard-swish is x times one of this notebook's hard functions." in out

    def wrong_everywhere(x):  # fails on a number too: the plain error, as before
        raise TypeError("nope")

    assert ex.hard_swish_from_relu6(wrong_everywhere).status == "not yet"
    out = capsys.readouterr().out
    assert "raised TypeError: nope" in out and "works on one number" not in out
    # a right array answer still passes, and a scalar-only call of the banned function is still caught
    assert ex.hard_swish_from_relu6(lambda x: x * acts.relu6(x + 3) / 6).status == "correct"
    assert ex.hard_swish_from_relu6(lambda x: acts.hard_swish(float(x))).status == "not yet"
    assert "rules out" in capsys.readouterr().out


def test_hard_swish_check_is_not_fooled_by_a_grid_only_answer():
    """Review 5 finding 6: right on the 0.05 grid only, 99 elsewhere; the check uses fixed off-grid points too."""
    grid = np.linspace(-6.0, 6.0, 241)

    def grid_only(x):
        x = np.asarray(x, dtype=float)
        on = np.isclose(x[:, None], grid[None, :], rtol=0, atol=1e-12).any(axis=1)
        return np.where(on, x * acts.relu6(x + 3) / 6, 99.0)

    assert ex.hard_swish_from_relu6(grid_only).status == "not yet"
    off = ex.HARD_SWISH_X[~np.isclose(ex.HARD_SWISH_X[:, None], grid[None, :], rtol=0, atol=1e-9).any(axis=1)]
    assert off.size >= 5  # the fixed points are off the grid (and no randomness: the same every call)
    assert np.array_equal(ex.HARD_SWISH_X, ex.HARD_SWISH_X.copy())
    assert ex.hard_swish_from_relu6(lambda x: x * acts.relu6(x + 3) / 6).status == "correct"


@pytest.mark.parametrize(("option", "says"), [("a", "256-entry table"), ("c", "phone"), ("d", "unbounded above")])
def test_why_cheaper_gives_feedback_per_wrong_option(option, says, capsys):
    """Review 5 finding 5: each wrong option gets its own hint; the right one gets none."""
    assert ex.why_cheaper(option).status == "not yet"
    out = capsys.readouterr().out
    assert says in out
    others = [w for k, w in ex.WHY_NOT.items() if k != option]
    assert not any(w in out for w in others)
    assert ex.why_cheaper("b").status == "correct" and "Hint" not in capsys.readouterr().out
    assert ex.why_cheaper("e").status == "not yet"  # not an option: no option's hint
    assert not any(w in capsys.readouterr().out for w in ex.WHY_NOT.values())


def test_choice_accepts_one_hint_or_a_hint_per_option(capsys):
    from acts import check
    assert check.choice("x", "y", options=("x", "y"), hint="one hint").status == check.WRONG
    assert "Hint: one hint" in capsys.readouterr().out
    assert check.choice("x", "y", options=("x", "y"), hint={"x": "about x"}).status == check.WRONG
    assert "Hint: about x" in capsys.readouterr().out
    assert check.choice(..., "y", options=("x", "y"), hint={"x": "about x"}).status == check.NOT_ATTEMPTED
    assert "about x" not in capsys.readouterr().out


def test_forms_figures_label_every_x_axis():
    """Figure review item 9: the upper panels of 04 cells 34, 43 and 64 carry an x label."""
    from acts.experiments import hard_versions
    for fig in (hard_versions.plot_hard_sigmoid_forms(), hard_versions.plot_hard_swish_gap(),
                mf.plot_int8_hard_swish()):
        assert all(ax.get_xlabel() == "x" for ax in fig.axes), [ax.get_xlabel() for ax in fig.axes]


def test_int8_figure_legend_in_the_lower_panel_and_dots_on_top():
    """Figure review item 16: the error legend sits inside the lower axes; the exact-error dots are drawn on top."""
    fig = mf.plot_int8_hard_swish()
    low = fig.axes[1]
    legend = low.get_legend()
    assert legend is not None and legend.get_bbox_to_anchor().bounds == low.bbox.bounds
    exact, rounded = low.get_lines()[:2]
    assert exact.get_label() == "vs the exact value" and exact.get_zorder() > rounded.get_zorder()
    # the legend band lies above every plotted error
    top = max(np.max(np.abs(line.get_ydata())) for line in (exact, rounded))
    assert low.get_ylim()[1] > top + 0.5

"""Notebook 00's plumbing: acts/experiments/why.py and acts/exercises/ex00_why.py."""

import numpy as np
import pytest

import acts
from acts import check, data, nn
from acts.exercises import ex00_why as ex
from acts.experiments import why

# ---------------------------------------------------------------- linear layers collapse


def test_linear_net_is_one_affine_map():
    net = why.linear_net([2, 8, 8, 3], seed=1)
    X = np.random.default_rng(0).standard_normal((50, 2))
    M, c = why.collapse(net)
    assert M.shape == (2, 3) and c.shape == (3,)
    np.testing.assert_allclose(net(X), X @ M + c, rtol=1e-12, atol=1e-12)


def test_linear_net_cannot_solve_xor_but_a_bend_can():
    X, y = data.xor(200, noise=0.1, seed=0)
    nets = why.slope_sweep(X, y, slopes=(1.0, 0.0), steps=300)
    assert set(nets) == {1.0, 0.0}
    assert nn.accuracy(nets[1.0], X, y) < 0.7
    assert nn.accuracy(nets[0.0], X, y) > 0.9


def test_a_bend_close_to_one_is_enough_in_principle_but_not_in_the_budget():
    """The notebook's optional cell: leaky(z, s) = s z + (1 - s) relu(z); slope 0.99 does not get there in 300 steps."""
    z = np.linspace(-3, 3, 601)
    for s in (0.5, 0.9, 0.99):
        np.testing.assert_allclose(acts.leaky_relu(z, slope=s), s * z + (1 - s) * np.maximum(z, 0), atol=1e-15)
    X, y = data.xor(200, noise=0.1, seed=0)
    nets = why.slope_sweep(X, y, slopes=(0.99, 0.9))
    assert nn.accuracy(nets[0.99], X, y) < 0.7 < 0.9 < nn.accuracy(nets[0.9], X, y)


# ---------------------------------------------------------------- sums of ReLUs


@pytest.mark.parametrize("target", ["sine", "abs", "square", np.cos])
@pytest.mark.parametrize("n", [1, 3, 8])
def test_relu_sum_joins_the_dots(target, n):
    f = why._target(target)
    g = why.relu_sum(target, n)
    nodes = np.linspace(-3, 3, n + 1)
    np.testing.assert_allclose(g(nodes), f(nodes), atol=1e-12)
    assert g.knots.shape == g.weights.shape == (n,)
    # between nodes it is a straight line: the midpoint is the mean of the ends
    mids = (nodes[:-1] + nodes[1:]) / 2
    np.testing.assert_allclose(g(mids), (f(nodes[:-1]) + f(nodes[1:])) / 2, atol=1e-12)


def test_relu_sum_by_hand():
    # |x| on [-3, 3] with 2 units, worked out on paper: knots -3 and 0, |x| = 3 - relu(x + 3) + 2 relu(x) (C-13)
    g = why.relu_sum("abs", 2)
    np.testing.assert_allclose(g.knots, [-3.0, 0.0])
    np.testing.assert_allclose(g.weights, [-1.0, 2.0])
    assert g.intercept == pytest.approx(3.0)
    np.testing.assert_allclose(g.units(np.array([2.0])).ravel(), [-5.0, 4.0])


def test_abs_is_exact_with_a_knot_at_zero():
    assert why.max_error("abs", 2) < 1e-12 and why.max_error("abs", 6) < 1e-12
    assert why.max_error("abs", 3) > 0.1


def test_error_falls_like_one_over_n_squared():
    rows = why.error_table("sine", units=(8, 16, 32, 64))
    errors = [e for _, e in rows]
    assert all(a > b for a, b in zip(errors, errors[1:]))
    ratios = [a / b for a, b in zip(errors, errors[1:])]
    assert all(3.5 < r < 4.5 for r in ratios[1:])
    for n, err in rows:  # the interpolation bound h^2/8 max|f''| (max |sin''| = 1)
        assert err <= (6 / n) ** 2 / 8 + 1e-12


def test_units_needed_is_the_smallest():
    n = why.units_needed("sine", 0.01)
    assert why.max_error("sine", n) < 0.01 <= why.max_error("sine", n - 1)
    assert n == 22  # h^2/8 < 0.01 needs n > 21.2, and the bound is nearly attained for sine


def test_relu_sum_rejects_bad_input():
    with pytest.raises(ValueError, match="target"):
        why.relu_sum("cube", 3)
    with pytest.raises(ValueError, match="n_units"):
        why.relu_sum("sine", 0)


def test_static_figure_and_explorer():
    fig = why.plot_relu_sum(5, "square")
    assert fig._repr_png_().startswith(b"\x89PNG")
    explorer = why.relu_sum_explorer(n_units=4)
    first = bytes(explorer.image.value)
    assert first.startswith(b"\x89PNG")
    assert explorer.panel.state["n_units"] == 4
    explorer.set(units=12, target="abs")
    assert explorer.panel.state["n_units"] == 12 and explorer.panel.state["target"] == "abs"
    assert bytes(explorer.image.value) != first
    assert "max |f - g|" in explorer.readout.value
    np.testing.assert_allclose(explorer.panel.state["error"], why.max_error("abs", 12))


def test_relu_sum_explorer_limits_hold_every_number_of_units():
    explorer = why.relu_sum_explorer(n_units=1)
    axes = (explorer.panel.ax_f, explorer.panel.ax_u)
    first = [ax.get_ylim() for ax in axes]
    for n in range(1, why.MAX_UNITS + 1):  # a units drag: the limits stay, and every curve fits them
        explorer.set(units=n)
        assert [ax.get_ylim() for ax in axes] == first
        units = why.relu_sum("sine", n).units(np.linspace(-3, 3, 601))
        assert first[1][0] <= units.min() and units.max() <= first[1][1]
    static = why.plot_relu_sum(n_units=6)  # the static figure: round limits around its own data
    lo, hi = static.axes[1].get_ylim()
    units = why.relu_sum("sine", 6).units(np.linspace(-3, 3, 601))
    assert lo < units.min() and units.max() < hi and (units.max() - units.min()) / (hi - lo) >= 0.8
    assert "units" not in " ".join(t.get_text() for t in explorer.figure.axes[0].texts)  # the readout has it


# ---------------------------------------------------------------- exercises


def _status(verdict):
    return verdict.status


def test_softmax_shift(capsys):
    assert _status(ex.softmax_shift("no output")) == check.CORRECT
    assert _status(ex.softmax_shift("every output")) == check.WRONG
    assert _status(ex.softmax_shift(42)) == check.WRONG
    assert _status(ex.softmax_shift("No output")) == check.CORRECT  # case and spaces do not matter
    assert _status(ex.softmax_shift("  no   output ")) == check.CORRECT
    assert _status(ex.softmax_shift("Every Output")) == check.WRONG
    assert _status(ex.softmax_shift(...)) == check.NOT_ATTEMPTED


def test_collapsed_matrix(capsys):
    rng = np.random.default_rng(3)
    A, B, C = rng.standard_normal((2, 3)), rng.standard_normal((3, 3)), rng.standard_normal((3, 2))
    assert _status(ex.collapsed_matrix(A @ B @ C, A, B, C)) == check.CORRECT
    assert _status(ex.collapsed_matrix(C.T @ B @ A.T, A, B, C)) == check.WRONG
    M = A @ B @ C
    six = np.vectorize(lambda v: float(f"{v:.6g}"))(M)  # "to 6 significant digits", as the question says
    assert _status(ex.collapsed_matrix(six, A, B, C)) == check.CORRECT
    assert _status(ex.collapsed_matrix(np.vectorize(lambda v: float(f"{v:.4g}"))(M) + 1e-3, A, B, C)) == check.WRONG
    assert _status(ex.collapsed_matrix(A @ B, A, B, C)) == check.WRONG  # wrong shape
    assert _status(ex.collapsed_matrix("M", A, B, C)) == check.WRONG
    assert _status(ex.collapsed_matrix(..., A, B, C)) == check.NOT_ATTEMPTED


def test_collapsed_matrix_never_reveals_an_expected_entry(capsys):
    # review r0001 finding 3: a wrong answer named the expected entry, so a few tries gave away every number
    rng = np.random.default_rng(0)
    A, B, C = (rng.standard_normal(shape).round(1) for shape in [(2, 3), (3, 3), (3, 2)])
    M = A @ B @ C
    capsys.readouterr()
    for wrong in (M.T, M + np.array([[0.0, 1.0], [0.0, 0.0]]), M * (1 + 1e-5), np.zeros((2, 2))):
        assert _status(ex.collapsed_matrix(wrong, A, B, C)) == check.WRONG
        out = capsys.readouterr().out
        for v in M.ravel():  # no expected entry, at any of the precisions a message might print
            for text in (f"{v:.6g}", f"{v:.4g}", f"{v:.3g}", f"{v:.2g}"):
                assert text not in out, (text, out)
    assert _status(ex.collapsed_matrix(M.T, A, B, C)) == check.WRONG
    assert "transpose" in capsys.readouterr().out           # M.T gets its own hint on order and transposition
    assert _status(ex.collapsed_matrix(M * (1 + 5e-6), A, B, C)) == check.CORRECT   # 6 significant digits
    assert _status(ex.collapsed_matrix(M.tolist(), A, B, C)) == check.CORRECT
    assert _status(ex.collapsed_matrix(M.astype(np.float32), A, B, C)) == check.CORRECT


def test_units_for_sine(capsys):
    n = why.units_needed("sine", 0.01)
    assert _status(ex.units_for_sine(n)) == check.CORRECT
    capsys.readouterr()
    assert _status(ex.units_for_sine(n + 10)) == check.WRONG
    assert f"{n}" not in capsys.readouterr().out.replace(f"{n + 10}", "")  # a wrong answer never reveals it
    assert _status(ex.units_for_sine(n + 0.5)) == check.WRONG
    assert _status(ex.units_for_sine(float(n))) == check.CORRECT
    assert _status(ex.units_for_sine(n - 1)) == check.WRONG
    assert _status(ex.units_for_sine(...)) == check.NOT_ATTEMPTED


def test_units_for_sine_gives_no_direction_and_words_near_misses_as_typed(capsys):
    # review r0001 finding 15: "too small / too large" let a learner bisect; 21.9999999 was shown as "22"
    n = why.units_needed("sine", 0.01)
    capsys.readouterr()
    for wrong in (n - 1, n + 1, 1, 100):
        assert _status(ex.units_for_sine(wrong)) == check.WRONG
        out = capsys.readouterr().out
        assert "too small" not in out and "too large" not in out, out
    assert _status(ex.units_for_sine(n - 1e-7)) == check.WRONG
    out = capsys.readouterr().out
    assert repr(n - 1e-7) in out and "whole number" in out, out
    assert _status(ex.units_for_sine(np.nextafter(float(n), 0.0))) == check.CORRECT   # float rounding aside
    assert _status(ex.units_for_sine(str(n))) == check.CORRECT


def test_relu_grad_at_zero(capsys):
    assert _status(ex.relu_grad_at_zero(float(acts.relu.grad(0.0)))) == check.CORRECT
    assert _status(ex.relu_grad_at_zero(0.5)) == check.WRONG
    assert _status(ex.relu_grad_at_zero(1)) == check.WRONG
    assert _status(ex.relu_grad_at_zero(0)) == check.CORRECT  # the value PyTorch, JAX and TensorFlow use
    assert _status(ex.relu_grad_at_zero(None)) == check.NOT_ATTEMPTED
    # review r0001 finding 15: the prose says the check accepts that whole number and nothing else
    assert _status(ex.relu_grad_at_zero(-0.0)) == check.CORRECT
    assert _status(ex.relu_grad_at_zero("0")) == check.CORRECT
    assert _status(ex.relu_grad_at_zero(np.float32(0))) == check.CORRECT
    assert _status(ex.relu_grad_at_zero(1e-9)) == check.WRONG
    assert _status(ex.relu_grad_at_zero(False)) == check.WRONG     # a truth value, not a number
    assert _status(ex.relu_grad_at_zero(np.False_)) == check.WRONG


def test_explorers_start_on_the_static_figures_view():
    # review r0001 finding 13: the prose says "the same overlay" / "the explorer's starting point", so each
    # explorer cell sets the x range that the static figure above it uses (plot_activation's default (-6, 6))
    import json
    from pathlib import Path

    from acts import plotting, widgets

    path = Path(__file__).resolve().parent.parent / "notebooks" / "00_why_activation_functions.ipynb"
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    sources = ["".join(c["source"]) for c in cells]
    explorers = [s for s in sources if "widgets.compare(" in s or "widgets.explore(" in s]
    assert len(explorers) == 2
    for source in explorers:
        assert 'controls["x range"].value = (-6.0, 6.0)' in source
    static = plotting.plot_overlay(["relu", "sigmoid"]).axes[0].get_xlim()
    explorer = widgets.compare("relu", "sigmoid")
    explorer.controls["x range"].value = (-6.0, 6.0)
    # the static figure leaves 2.5% more room at an edge where its gap bracket sits (x = 6), so its end caps
    # lie inside the axes; the explorer's view is the same x range without that room
    np.testing.assert_allclose(explorer.panel.figure.axes[0].get_xlim(), (-6.0, 6.0))
    np.testing.assert_allclose(static, (-6.0, 6.3))

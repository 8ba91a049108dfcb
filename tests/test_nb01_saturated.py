"""Notebook 01's plumbing: acts/experiments/saturated.py and acts/exercises/ex01_saturated.py."""

import mpmath as mp
import numpy as np
import pytest

import acts
from acts import check, data
from acts.exercises import ex01_saturated as ex
from acts.experiments import saturated

mp.mp.dps = 40


def _mp_bound(name, eps):
    """x > 0 with f'(x) = eps, from mpmath (derivatives written from the definitions)."""
    if name == "sigmoid":
        fprime = lambda x: mp.exp(-x) / (1 + mp.exp(-x)) ** 2
    else:
        fprime = lambda x: 1 / mp.cosh(x) ** 2
    return float(mp.findroot(lambda x: mp.log(fprime(x)) - mp.log(eps), (mp.mpf(1), mp.mpf(5))))  # nearly linear


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
@pytest.mark.parametrize("eps", [1e-1, 1e-2, 1e-3, 1e-6])
def test_saturation_bounds_match_mpmath(name, eps):
    expected = _mp_bound(name, eps)
    assert saturated.saturation_x_closed_form(name, eps) == pytest.approx(expected, rel=1e-9)
    assert saturated.saturation_x(name, eps) == pytest.approx(expected, rel=1e-9)


def test_saturation_bound_values_of_the_notebook():
    assert round(saturated.saturation_x("sigmoid", 1e-3), 3) == 6.906
    assert round(saturated.saturation_x("tanh", 1e-3), 3) == 4.147
    assert saturated.saturation_x("hard_sigmoid", 1e-3) == 3.0
    assert saturated.saturation_x("hard_sigmoid", 1e-3, slope=0.2) == 2.5
    assert saturated.saturation_x("relu", 1e-3) == float("inf")
    with pytest.raises(ValueError, match="closed form"):
        saturated.saturation_x_closed_form("relu")


def test_notes_sigmoid_fails_where_the_facts_say_without_warning():
    out = saturated.notes_sigmoid([0.0, 709.0, 710.0])  # warnings are errors in the test suite
    assert out[0] == 0.5 and out[1] == 1.0 and np.isnan(out[2])
    assert acts.sigmoid(710.0) == 1.0


def test_gradient_table_vanishing_depends_on_init():
    rows = {(a, i): r for a, i, r in saturated.gradient_table(
        [("sigmoid", "xavier"), ("sigmoid", 8.0), ("relu", "he"), ("relu", 0.7), ("relu", 2.0)], depth=20)}
    assert rows[("sigmoid", "xavier")] < 1e-8  # sigmoid with Xavier: vanishes
    assert rows[("sigmoid", 8.0)] > 1e-2  # a larger scale rescues most of it
    assert rows[("relu", 0.7)] < 1e-4 < rows[("relu", "he")]  # ReLU vanishes too with small weights
    assert rows[("relu", 2.0)] > 10  # and explodes with large ones


def test_train_depths_deep_sigmoid_stalls_deep_tanh_trains():
    X, y = data.moons(200, noise=0.1, seed=0)
    histories = saturated.train_depths(("sigmoid", "tanh"), (1, 5), X, y)
    assert set(histories) == {("sigmoid", 1), ("sigmoid", 5), ("tanh", 1), ("tanh", 5)}
    deep_sigmoid = histories[("sigmoid", 5)]
    assert deep_sigmoid.loss[-1] == pytest.approx(np.log(2), abs=5e-3)
    assert deep_sigmoid.grad_norms[0, 0] / deep_sigmoid.grad_norms[0, -1] < 1e-2
    assert histories[("tanh", 5)].loss[-1] < 0.1
    assert histories[("sigmoid", 1)].loss[-1] < 0.4
    fig = saturated.plot_losses(histories)
    assert len(fig.axes[0].get_lines()) == 5  # four curves and the ln 2 line


def test_weight_gradient_signs():
    X, y = data.moons(64, noise=0.1, seed=0)
    signs = {name: saturated.weight_grad_signs(name, X, y) for name in ("sigmoid", "tanh", "relu")}
    assert signs["sigmoid"].shape == (64, 16)
    assert saturated.same_sign_fraction(signs["sigmoid"]) == 1.0
    assert saturated.same_sign_fraction(signs["relu"]) == 1.0
    assert saturated.same_sign_fraction(signs["tanh"]) < 0.5
    assert saturated.same_sign_fraction([[1, 0, 1], [-1, 1, 0], [0, 0, 0]]) == pytest.approx(2 / 3)
    fig = saturated.plot_sign_patterns({"sigmoid": signs["sigmoid"], "tanh": signs["tanh"]})
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_exp_costs_are_ratios_for_each_name():
    costs = saturated.exp_costs(n=2000, repeat=2)
    assert set(costs) == {"sigmoid", "tanh", "hard_sigmoid", "notes' exp(x)/(exp(x)+1)"}
    assert all(np.isfinite(v) and v > 0 for v in costs.values())


# ---------------------------------------------------------------- exercises


def test_sigmoid_derivative(capsys):
    def stub(x):
        raise NotImplementedError

    assert ex.sigmoid_derivative(lambda x: acts.sigmoid(x) * (1 - acts.sigmoid(x))).status == check.CORRECT
    assert ex.sigmoid_derivative(lambda x: acts.sigmoid(x)).status == check.WRONG
    assert ex.sigmoid_derivative(lambda x: 1 / 0).status == check.WRONG
    assert ex.sigmoid_derivative(stub).status == check.NOT_ATTEMPTED


def test_tanh_from_sigmoid(capsys):
    def stub(x):
        raise NotImplementedError

    assert ex.tanh_from_sigmoid(lambda x: 2 * acts.sigmoid(2 * x) - 1).status == check.CORRECT
    assert ex.tanh_from_sigmoid(lambda x: 2 * acts.sigmoid(x) - 1).status == check.WRONG
    assert ex.tanh_from_sigmoid(stub).status == check.NOT_ATTEMPTED


def test_saturation_bound(capsys):
    assert ex.saturation_bound(_mp_bound("sigmoid", 1e-2)).status == check.CORRECT
    assert ex.saturation_bound(4.585).status == check.CORRECT  # 3 significant digits after the point
    assert ex.saturation_bound(6.906).status == check.WRONG  # the eps = 1e-3 bound
    assert ex.saturation_bound("4.6 or so").status == check.WRONG
    assert ex.saturation_bound(...).status == check.NOT_ATTEMPTED


def test_depth_factor(capsys):
    assert ex.depth_factor(0.25**10).status == check.CORRECT
    assert ex.depth_factor(0.25).status == check.WRONG
    assert ex.depth_factor(1.0**10).status == check.WRONG
    assert ex.depth_factor(None).status == check.NOT_ATTEMPTED


def test_gradient_signs(capsys):
    assert ex.gradient_signs("all the same sign").status == check.CORRECT
    assert ex.gradient_signs("a random mix of signs").status == check.WRONG
    assert ex.gradient_signs("positive").status == check.WRONG
    assert ex.gradient_signs(...).status == check.NOT_ATTEMPTED


def test_hard_sigmoid_edge(capsys):
    assert ex.hard_sigmoid_edge(3).status == check.CORRECT
    assert ex.hard_sigmoid_edge(2.5).status == check.WRONG  # the Keras-2 corner
    assert ex.hard_sigmoid_edge(...).status == check.NOT_ATTEMPTED

"""Notebook 01's plumbing: acts/experiments/saturated.py and acts/exercises/ex01_saturated.py."""

import mpmath as mp
import numpy as np
import pytest

import acts
from acts import check, data, nn
from acts.exercises import ex01_saturated as ex
from acts.experiments import saturated

E = 2.718281828459045   # Euler's number typed by hand (a loophole the notebook states)

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
    # saturation is a property of the tails (Gulcehre et al. 2016): Swish's right side never saturates,
    # and its minimum near x = -1.28 (where swish' = 0) is not a saturated region
    assert saturated.saturation_x("swish", 1e-3) == float("inf")
    with pytest.raises(ValueError, match="closed form"):
        saturated.saturation_x_closed_form("relu")


def test_notes_sigmoid_fails_where_the_facts_say_without_warning():
    out = saturated.notes_sigmoid([0.0, 709.0, 710.0])  # warnings are errors in the test suite
    assert out[0] == 0.5 and out[1] == 1.0 and np.isnan(out[2])
    assert acts.sigmoid(710.0) == 1.0


def test_gradient_table_vanishing_depends_on_init():
    rows = {(a, i): r for a, i, r in saturated.gradient_table(
        [("sigmoid", "xavier"), ("sigmoid", 4.0), ("sigmoid", 8.0), ("relu", "he"), ("relu", 0.7), ("relu", 2.0)],
        depth=20)}
    assert rows[("sigmoid", "xavier")] < 1e-10  # sigmoid with tanh's scale: about 12 powers of ten
    assert 1e-6 < rows[("sigmoid", 4.0)] < 1e-3  # Glorot's 4x rule for sigmoid: about 4 powers of ten
    assert rows[("sigmoid", 8.0)] > 1e-2  # a larger scale rescues most of it
    assert rows[("relu", 0.7)] < 1e-4 < rows[("relu", "he")]  # ReLU vanishes too with small weights
    assert rows[("relu", 2.0)] > 10  # and explodes with large ones


def _chain_rule_ratio(activation, scale, depth=20, width=64, n=256, seed=5):
    """The notebook's five-line loop, written independently here (float64, its own weights)."""
    rng = np.random.default_rng(seed)
    f = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}[activation]
    Ws = [scale * rng.standard_normal((width, width)) / np.sqrt(width) for _ in range(depth)]
    a, slopes = rng.standard_normal((n, width)), []
    for W in Ws:
        z = a @ W
        a = f(z)
        h = 1e-6
        slopes.append((f(z + h) - f(z - h)) / (2 * h))  # the derivative by finite differences
    g = rng.standard_normal(a.shape)
    norms = []
    for layer in reversed(range(depth)):
        g = (g * slopes[layer]) @ Ws[layer].T
        norms.append(np.linalg.norm(g))
    return norms[-1] / norms[0]  # at layer 1 / at layer 20


@pytest.mark.parametrize("activation, scale", [("sigmoid", 1.0), ("sigmoid", 4.0), ("tanh", 1.0)])
def test_gradient_table_agrees_with_an_independent_chain_rule_loop(activation, scale):
    init = "xavier" if scale == 1.0 else scale  # Xavier is scale 1 for square layers
    [(_, _, ratio)] = saturated.gradient_table([(activation, init)], depth=20)
    independent = _chain_rule_ratio(activation, scale)
    # different random weights: agree within a factor of 10 on ratios that span up to 12 powers of ten
    assert abs(np.log10(ratio) - np.log10(independent)) < 1.0


def test_spread_per_layer_shows_the_forward_collapse():
    X, _ = data.moons(200, noise=0.1, seed=0)
    shallow = nn.MLP([2, 16, 2], activation="sigmoid", seed=0)
    W, b = shallow.layers[0].weight, shallow.layers[0].bias
    by_hand = (1 / (1 + np.exp(-(X @ W + b)))).std(axis=0).mean()
    assert saturated.spread_per_layer(shallow, X) == pytest.approx([by_hand], rel=1e-12)
    xavier = saturated.spread_per_layer(nn.MLP([2] + [16] * 5 + [2], activation="sigmoid", seed=0), X)
    wide = saturated.spread_per_layer(nn.MLP([2] + [16] * 5 + [2], activation="sigmoid", seed=0, init=4.0), X)
    assert len(xavier) == 5 and np.all(np.diff(xavier) < 0)
    assert xavier[-1] < 1e-3 < 1e-2 < wide[-1]  # collapsed at the Xavier scale, alive at 4x


def test_saturated_share_counts_outputs_beyond_the_threshold():
    net = nn.MLP([1, 3, 2], activation="tanh", seed=0)
    net.layers[0].weight[...] = [[1.0, 3.0, -10.0]]
    net.layers[0].bias[...] = 0.0
    X = np.array([[0.1], [1.0]])  # tanh outputs: [0.1, 0.29, -0.76] and [0.76, 0.995, -1.0]
    assert saturated.saturated_share(net, X) == pytest.approx([2 / 6])
    assert saturated.saturated_share(net, X, threshold=0.5) == pytest.approx([4 / 6])


def test_train_depths_deep_sigmoid_stalls_deep_tanh_trains():
    X, y = data.moons(200, noise=0.1, seed=0)
    histories = saturated.train_depths(("sigmoid", "tanh"), (1, 5), X, y)
    assert set(histories) == {("sigmoid", 1), ("sigmoid", 5), ("tanh", 1), ("tanh", 5)}
    deep_sigmoid = histories[("sigmoid", 5)]
    assert deep_sigmoid.loss[-20:].mean() == pytest.approx(np.log(2), abs=5e-3)
    assert deep_sigmoid.grad_norms[0, 0] / deep_sigmoid.grad_norms[0, -1] < 1e-2
    assert histories[("tanh", 5)].loss[-20:].mean() < 0.15
    assert histories[("sigmoid", 1)].loss[-20:].mean() < 0.4
    rescued = saturated.train_depths(("sigmoid",), (5,), X, y, init=4.0)[("sigmoid", 5)]
    assert rescued.loss[-20:].mean() < 0.4  # the 4x rule: the same deep sigmoid net trains
    fig = saturated.plot_losses(histories)
    assert len(fig.axes[0].get_lines()) == 5  # four curves and the ln 2 line
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("ln 2" in label for label in labels)  # in the legend, not written over the curves
    assert not [t for t in fig.axes[0].texts if "ln 2" in t.get_text()]


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


def test_exp_costs_are_ratios_of_bare_numpy_expressions():
    costs = saturated.exp_costs(n=2000, rounds=2)
    assert list(costs) == list(saturated.NUMPY_EXPRESSIONS)
    assert costs["relu: np.maximum(x, 0)"] == 1.0
    assert all(np.isfinite(v) and v > 0 for v in costs.values())
    x = np.linspace(-20, 20, 401)  # the expressions compute what their labels say
    for label, fn in saturated.NUMPY_EXPRESSIONS.items():
        name = label.split(":")[0]
        reference = {"notes": acts.sigmoid}.get(name) or acts.get(name)
        np.testing.assert_allclose(fn(x), reference(x), rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- exercises


def test_sigmoid_derivative(capsys):
    def stub(x):
        raise NotImplementedError

    assert ex.sigmoid_derivative(lambda x: acts.sigmoid(x) * (1 - acts.sigmoid(x))).status == check.CORRECT
    assert ex.sigmoid_derivative(lambda x: acts.sigmoid(x)).status == check.WRONG
    assert ex.sigmoid_derivative(lambda x: 1 / 0).status == check.WRONG
    assert ex.sigmoid_derivative(stub).status == check.NOT_ATTEMPTED
    # what the question rules out is enforced: the registry's derivative, and finite differences
    assert ex.sigmoid_derivative(lambda x: acts.sigmoid.grad(x)).status == check.WRONG
    assert ex.sigmoid_derivative(
        lambda x: (acts.sigmoid(x + 1e-5) - acts.sigmoid(x - 1e-5)) / 2e-5).status == check.WRONG
    own = lambda x: 1 / (1 + np.exp(-x))  # the learner's own sigmoid, differenced: np.exp is blocked
    assert ex.sigmoid_derivative(lambda x: (own(x + 1e-5) - own(x - 1e-5)) / 2e-5).status == check.WRONG
    assert ex.sigmoid_derivative(  # the complex step: acts.sigmoid takes real input only
        lambda x: np.imag(acts.sigmoid(x + 1e-20j)) / 1e-20).status == check.WRONG


def test_sigmoid_derivative_blocks_other_activations_and_their_gradients(capsys):
    # review r0001 finding 2: sigma' from tanh, or sigma from softplus' (softplus' = sigma), was accepted
    capsys.readouterr()
    loopholes = {
        "acts.tanh": lambda x: 0.25 * (1 - acts.tanh(x / 2) ** 2),
        "acts.softplus.grad": lambda x: acts.softplus.grad(x) * (1 - acts.softplus.grad(x)),
        "acts.softplus.value_and_grad": lambda x: acts.softplus.value_and_grad(x)[1] * (1 - acts.sigmoid(x)),
    }
    for name, fn in loopholes.items():
        np.testing.assert_allclose(fn(np.linspace(-8, 8, 101)), acts.sigmoid.grad(np.linspace(-8, 8, 101)),
                                   rtol=1e-9, atol=1e-15)   # each really computes sigma' (outside the check)
        assert ex.sigmoid_derivative(fn).status == check.WRONG, name
        assert f"`{name}`" in capsys.readouterr().out
    via_get = lambda x: acts.get("softplus").grad(x) * (1 - acts.sigmoid(x))   # through acts.get as well
    assert ex.sigmoid_derivative(via_get).status == check.WRONG
    assert ex.sigmoid_derivative(lambda x: acts.sigmoid(x) * acts.sigmoid(-x)).status == check.CORRECT
    assert ex.sigmoid_derivative(lambda x: acts.sigmoid(x) * (1 - acts.sigmoid(x)) * 1.01).status == check.WRONG


def test_sigmoid_derivative_names_float32_as_the_reason(capsys):
    # review r0001 finding 2: a float32 answer was told it used acts.sigmoid "away from the test points"
    def in_float32(x):
        s = acts.sigmoid(np.asarray(x, np.float32))
        return s * (1 - s)

    capsys.readouterr()
    assert ex.sigmoid_derivative(in_float32).status == check.WRONG
    out = capsys.readouterr().out
    assert "float32" in out and "test points" not in out, out
    # the reason is real: in float32, 1 - s near s = 1 misses the check's relative tolerance
    x = ex.SIGMOID_POINTS
    assert not np.allclose(in_float32(x), acts.sigmoid.grad(x), rtol=1e-6, atol=1e-9)
    assert np.all(np.asarray(x, np.float32) == x)  # the test points are exact in float32


def test_tanh_from_sigmoid(capsys):
    def stub(x):
        raise NotImplementedError

    assert ex.tanh_from_sigmoid(lambda x: 2 * acts.sigmoid(2 * x) - 1).status == check.CORRECT
    assert ex.tanh_from_sigmoid(lambda x: 2 * acts.sigmoid(x) - 1).status == check.WRONG
    assert ex.tanh_from_sigmoid(stub).status == check.NOT_ATTEMPTED
    assert ex.tanh_from_sigmoid(lambda x: np.tanh(x)).status == check.WRONG  # "only acts.sigmoid", enforced
    # on trust, and the notebook says so (review r0001 finding 15): Euler's number typed by hand
    assert ex.tanh_from_sigmoid(lambda x: (E ** (2 * x) - 1) / (E ** (2 * x) + 1)).status == check.CORRECT


def test_on_trust_loopholes_are_stated_in_the_notebook():
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "notebooks" / "01_saturated.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for call in ("ex.sigmoid_derivative", "ex.tanh_from_sigmoid"):
        i = next(i for i, c in enumerate(cells) if c["cell_type"] == "code" and call in "".join(c["source"]))
        question = " ".join("".join(cells[i - 1]["source"]).split())
        assert "Euler's number typed" in question, (call, question)


def test_saturation_bound(capsys):
    truth = _mp_bound("sigmoid", 1e-2)  # 4.5846...
    assert ex.saturation_bound(truth).status == check.CORRECT
    assert ex.saturation_bound(round(truth, 2)).status == check.CORRECT  # 4.58: 3 significant digits, as asked
    assert ex.saturation_bound(4.585).status == check.CORRECT  # the solution's value
    assert ex.saturation_bound(4.59).status == check.WRONG  # not the truth rounded to 3 digits
    assert ex.saturation_bound(6.906).status == check.WRONG  # the eps = 1e-3 bound
    assert ex.saturation_bound("4.6 or so").status == check.WRONG
    assert ex.saturation_bound(...).status == check.NOT_ATTEMPTED


def test_depth_factor(capsys):
    assert ex.depth_factor(0.25**10).status == check.CORRECT
    assert ex.depth_factor(9.5e-7).status == check.CORRECT  # 2 significant digits, as the question allows
    assert ex.depth_factor(9.54e-7).status == check.CORRECT  # the solution's value
    assert ex.depth_factor(0.25**9).status == check.WRONG
    assert ex.depth_factor(0.25).status == check.WRONG
    assert ex.depth_factor(1.0**10).status == check.WRONG
    assert ex.depth_factor(None).status == check.NOT_ATTEMPTED


def test_gradient_signs(capsys):
    assert ex.gradient_signs("all the same sign").status == check.CORRECT
    assert ex.gradient_signs("a random mix of signs").status == check.WRONG
    assert ex.gradient_signs("positive").status == check.WRONG
    assert ex.gradient_signs("All the same sign").status == check.CORRECT  # case and spaces do not matter
    assert ex.gradient_signs(" all the  same sign").status == check.CORRECT
    assert ex.gradient_signs(...).status == check.NOT_ATTEMPTED


def test_hard_sigmoid_edge(capsys):
    assert ex.hard_sigmoid_edge(3).status == check.CORRECT
    assert ex.hard_sigmoid_edge(3.0).status == check.CORRECT
    assert ex.hard_sigmoid_edge(2.5).status == check.WRONG  # the Keras-2 corner
    assert ex.hard_sigmoid_edge(6).status == check.WRONG
    assert ex.hard_sigmoid_edge(...).status == check.NOT_ATTEMPTED


# ---------------------------------------------------------------- review findings 8, 12 (numbers the prose uses)


def test_sigmoid_in_float64_against_mpmath():
    x = np.linspace(-700, 700, 1401)
    truth = np.array([float(1 / (1 + mp.exp(-mp.mpf(v)))) for v in x])
    assert np.max(np.abs(acts.sigmoid(x) / truth - 1)) < 5e-16  # the last bit, as the prose says
    # the correctly rounded sigma(37) is just below 1; it reaches 1 only above 54 ln 2
    assert float(1 / (1 + mp.exp(-37))) < 1.0 and float(1 / (1 + mp.exp(-mp.mpf(37.5)))) == 1.0
    assert float(1 / (1 + mp.exp(-mp.mpf(37.4)))) < 1.0
    assert acts.sigmoid(37.0) == 1.0 and acts.sigmoid(-710.0) == 0.0
    assert float(1 / (1 + mp.exp(710))) > 0  # a subnormal, not 0


def test_layer_gradient_factor_against_monte_carlo_and_the_chain_rule():
    rng = np.random.default_rng(7)
    for scale in (1.0, 4.0, 8.0):
        q, chi = saturated.layer_gradient_factor("sigmoid", scale)
        # fixed point by sampling: q = scale^2 E[sigmoid(z)^2] with z ~ N(0, q)
        z = rng.standard_normal(400_000) * np.sqrt(q)
        s = 1 / (1 + np.exp(-z))
        assert q == pytest.approx(scale**2 * np.mean(s**2), rel=1e-2)
        assert chi == pytest.approx(scale * np.sqrt(np.mean((s * (1 - s)) ** 2)), rel=1e-2)
        # and the measured ratio over 19 layers agrees within a factor of 3 (finite width, one draw)
        [(_, _, ratio)] = saturated.gradient_table([("sigmoid", "xavier" if scale == 1.0 else scale)], depth=20)
        assert abs(np.log10(ratio) - 19 * np.log10(chi)) < np.log10(3)


def test_seed_losses_pairs_seeds_and_reports_every_setup():
    setups = {"a": dict(activation="tanh", depth=1), "b": dict(activation="sigmoid", depth=5)}
    calls = []
    out = saturated.seed_losses(setups, seeds=range(2), steps=20, progress=lambda d, t: calls.append((d, t)))
    assert set(out) == {"a", "b"} and all(v.shape == (2,) for v in out.values())
    assert calls[-1] == (4, 4)
    X, y = data.moons(200, noise=0.1, seed=1)  # seed 1: its own data and its own weights
    h = nn.train(nn.MLP([2, 16, 2], activation="tanh", seed=1), X, y, steps=20, lr=0.3, optimizer="sgd", seed=1)
    assert out["a"][1] == pytest.approx(h.loss[-20:].mean(), rel=1e-12)

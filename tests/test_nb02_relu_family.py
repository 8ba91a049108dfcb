"""Notebook 02's plumbing: acts.experiments.relu_family and acts.exercises.ex02_relu_family.

The sweep must reproduce a single ``nn.MLP`` trained alone with ``nn.train``;
measurements are recomputed here from the networks' parameters; every exercise
check says "correct" to a right answer rounded as its question asks, "not yet"
to a wrong one, "not attempted yet" to a stub, and never raises.
"""

import math

import numpy as np
import pytest
from scipy import integrate

import acts
from acts import check, data, nn
from acts.exercises import ex02_relu_family as ex
from acts.experiments import relu_family


@pytest.fixture(scope="module")
def moons():
    return data.moons(60, noise=0.15, seed=0)


def _preactivations_by_hand(net, X):
    """z of every hidden layer from the parameters alone (an independent forward pass)."""
    params, a, zs = net.parameters(), np.asarray(X, dtype=float), []
    for i in range(1, len(net.layers)):
        z = a @ params[f"layer{i}.weight"] + params[f"layer{i}.bias"]
        zs.append(z)
        a = np.maximum(z, 0.0) if net.activation == "relu" else acts.get(net.activation)(z)
    return zs


# ---------------------------------------------------------------- never_active


def test_never_active_matches_a_forward_pass_by_hand(moons):
    X, _ = moons
    net = nn.MLP([2, 8, 8, 2], "relu", seed=3, bias_init=-0.5)
    got = relu_family.never_active(net, X)
    want = [np.all(z <= 0, axis=0) for z in _preactivations_by_hand(net, X)]
    assert len(got) == 2
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)
    assert any(g.any() for g in got) and not all(g.all() for g in got)  # a test that can fail both ways


def test_hidden_preactivations_shapes_with_a_model_axis(moons):
    X, _ = moons
    net = nn.MLP([2, 8, 5, 2], "relu", seed=[0, 1, 2])
    zs = relu_family.hidden_preactivations(net, X)
    assert [z.shape for z in zs] == [(3, len(X), 8), (3, len(X), 5)]
    assert [m.shape for m in relu_family.never_active(net, X)] == [(3, 8), (3, 5)]


# ---------------------------------------------------------------- dead_sweep


def test_dead_sweep_members_match_single_networks(moons):
    X, y = moons
    sweep = relu_family.dead_sweep(X, y, ("relu", "leaky_relu"), lrs=(0.01, 0.1), bias_inits=(0.0, -1.0),
                                   seeds=(0, 1), sizes=(2, 8, 8, 2), steps=12)
    assert sweep.inactive_end.shape == (2, 2, 2, 2, 2) and sweep.zero_fraction.shape == (2, 2, 2, 2)
    for k, name in enumerate(sweep.activations):
        for i, bias in enumerate(sweep.bias_inits):
            for j, lr in enumerate(sweep.lrs):
                for s, seed in enumerate(sweep.seeds):
                    net = nn.MLP([2, 8, 8, 2], name, seed=seed, bias_init=bias)
                    before = [np.all(z <= 0, axis=0).mean() for z in _preactivations_by_hand(net, X)]
                    nn.train(net, X, y, steps=12, lr=lr)
                    zs = _preactivations_by_hand(net, X)
                    np.testing.assert_allclose(sweep.inactive_start[k, i, j, s], before)
                    np.testing.assert_allclose(sweep.inactive_end[k, i, j, s], [np.all(z <= 0, axis=0).mean()
                                                                                  for z in zs])
                    zeros = np.mean(np.concatenate([(acts.get(name)(z) == 0).ravel() for z in zs]))
                    assert sweep.zero_fraction[k, i, j, s] == pytest.approx(zeros)


def test_grid_averages_over_seeds_and_layers(moons):
    X, y = moons
    sweep = relu_family.dead_sweep(X, y, ("relu",), lrs=(0.01, 0.1), bias_inits=(0.0, -1.0), seeds=(0, 1, 2),
                                   sizes=(2, 8, 8, 2), steps=3)
    grid = sweep.grid("inactive_start")
    assert grid.shape == (1, 2, 2)
    assert grid[0, 1, 1] == pytest.approx(np.mean([sweep.inactive_start[0, 1, 1, s].mean() for s in range(3)]))
    assert sweep.grid("zero_fraction").shape == (1, 2, 2)


def test_dead_sweep_shows_both_causes_and_the_leak():
    X, y = data.moons(100, noise=0.15, seed=0)
    sweep = relu_family.dead_sweep(X, y, seeds=(0, 1), steps=80)
    start, end, dead = sweep.grid("inactive_start"), sweep.grid("inactive_end"), sweep.grid("dead_end")
    relu, leaky = 0, 1
    assert start[relu, 2, 0] > start[relu, 0, 0] + 0.3  # a negative bias starts units never active
    assert end[relu, 0, 2] > end[relu, 0, 0] + 0.1  # a larger learning rate kills more
    np.testing.assert_array_equal(dead[relu], end[relu])  # for ReLU never active == zero gradient
    assert dead[leaky].max() == 0.0  # a leaky unit always gets a gradient
    assert end[leaky, 2, 1] < end[relu, 2, 1] - 0.2  # and many come back
    zeros = sweep.grid("zero_fraction")
    assert zeros[relu, 0, 1] > 0.3 and zeros[leaky].max() == 0.0


def test_dead_sweep_reports_progress(moons):
    X, y = moons
    calls = []
    relu_family.dead_sweep(X, y, ("relu",), lrs=(0.01,), bias_inits=(0.0, -1.0), seeds=(0,), sizes=(2, 4, 2),
                           steps=2, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


def test_plot_dead_sweep_has_a_panel_per_activation_and_a_legend(moons):
    X, y = moons
    sweep = relu_family.dead_sweep(X, y, lrs=(0.01, 0.1), bias_inits=(0.0, -1.0), seeds=(0,), sizes=(2, 4, 2),
                                   steps=2)
    fig = relu_family.plot_dead_sweep(sweep)
    assert len(fig.axes) == 2
    assert "solid after training, dotted before" in fig._suptitle.get_text()
    # review r0203 finding 7: never active is not dead for Leaky ReLU, and the panel says so
    assert [ax.get_title() for ax in fig.axes] == ["ReLU: never active = dead", "Leaky ReLU: never active, not dead"]
    fig.canvas.draw()
    first, second = (ax.title.get_window_extent() for ax in fig.axes)
    assert first.x1 < second.x0  # the titles do not run together
    for ax in fig.axes:
        assert len(ax.lines) == 4  # after and before, per bias init
    labels = [t.get_text() for t in fig.axes[-1].get_legend().get_texts()]
    assert "bias init -1, before" in labels and "bias init 0, after" in labels
    assert fig._repr_png_()[:4] == b"\x89PNG"


def test_plot_depth_draws_the_spread_per_layer_on_log_axes():
    from acts import diagnostics
    result = diagnostics.signal_propagation("relu", depth=6, init=2.0, n=64, width=16)
    fig = relu_family.plot_depth(result, "ReLU, gain 2")
    ax_g, ax_a = fig.axes
    assert ax_g.get_yscale() == ax_a.get_yscale() == "log"
    np.testing.assert_allclose(ax_g.lines[0].get_ydata(), result.grad_norms)
    by_hand = [np.sqrt(np.mean((a - a.mean()) ** 2)) for a in (np.asarray(v, dtype=float) for v in result.activations)]
    np.testing.assert_allclose(ax_a.lines[0].get_ydata(), by_hand, rtol=1e-6)
    assert np.all(np.diff(ax_a.lines[0].get_ydata()) > 0)  # gain 2: the spread grows layer by layer
    zeros = [np.mean(np.asarray(v) == 0) for v in result.activations]
    label = [t.get_text() for t in ax_a.get_legend().get_texts()][-1]
    assert f"{min(zeros):.0%} to {max(zeros):.0%}" in label
    assert fig._suptitle.get_text() == "ReLU, gain 2"
    fig.canvas.draw()  # powers of ten read "1e3", as in the depth explorer's panel (review r0203 finding 12)
    labels = [t.get_text() for ax in (ax_g, ax_a) for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all(label.startswith("1e") for label in labels), labels


# ---------------------------------------------------------------- revival


def test_revival_first_layer_never_comes_back_deeper_units_can():
    X, y = data.moons(100, noise=0.15, seed=0)
    net = nn.MLP([2, 16, 16, 2], "relu", seed=0, bias_init=-1.0)
    before = [np.all(z <= 0, axis=0) for z in _preactivations_by_hand(net, X)]
    result = relu_family.revival(X, y, seed=0, bias_init=-1.0, steps=100, lr=0.01)
    assert result.dead_before == [int(b.sum()) for b in before]
    nn.train(net, X, y, steps=100, lr=0.01)
    after = [np.all(z <= 0, axis=0) for z in _preactivations_by_hand(net, X)]
    assert result.revived == [int((b & ~a).sum()) for b, a in zip(before, after, strict=True)]
    assert result.revived[0] == 0 and result.largest_change[0] == 0.0  # exactly zero gradient, exactly no change
    assert result.revived[1] > 0 and result.largest_change[1] > 0  # the layer below moved


def test_dead_unit_gets_exactly_zero_gradient(moons):
    X, y = moons
    net = nn.MLP([2, 8, 8, 2], "relu", seed=0, bias_init=-1.0)
    dead = relu_family.never_active(net, X)[0]
    assert dead.any()
    _, grads = net.gradients(X, y)
    assert np.all(grads["layer1.weight"][:, dead] == 0) and np.all(grads["layer1.bias"][dead] == 0)


# ---------------------------------------------------------------- exercises

def _selu_notes_variance():
    """Var[selu(z)] with lambda 2, alpha 1, z ~ N(0, 1), by scipy quad on each side of the kink."""
    def f(z):
        return 2.0 * (z if z > 0 else math.expm1(z))

    def phi(z):
        return math.exp(-z * z / 2) / math.sqrt(2 * math.pi)

    m1 = sum(integrate.quad(lambda z: f(z) * phi(z), a, b, epsabs=1e-13)[0] for a, b in ((-40, 0), (0, 40)))
    m2 = sum(integrate.quad(lambda z: f(z) ** 2 * phi(z), a, b, epsabs=1e-13)[0] for a, b in ((-40, 0), (0, 40)))
    return m2 - m1 * m1


SELU_VAR = _selu_notes_variance()

RIGHT_AND_WRONG = [
    (ex.relu_grad, lambda x: (x > 0).astype(float), lambda x: (x >= 0).astype(float)),
    (ex.dead_unit, "dead", "alive"),
    (ex.notes_leaky_slope, 0.5, 2.0),
    (ex.elu_grad_from_value, lambda x: np.where(x > 0, 1.0, acts.elu(x) + 1.0), lambda x: np.ones_like(x)),
    (ex.notes_selu_variance, round(SELU_VAR, 2), 1.0),  # 3 significant digits, as the question asks
]


@pytest.mark.parametrize("check_fn, right, wrong", RIGHT_AND_WRONG, ids=[c[0].__name__ for c in RIGHT_AND_WRONG])
def test_exercise_verdicts(check_fn, right, wrong, assert_verdicts):
    assert_verdicts(check_fn, right, wrong)


def test_selu_variance_truth_and_precision():
    assert SELU_VAR == pytest.approx(2.47671425349, abs=1e-9)
    assert ex.notes_selu_variance(2.48).status == check.CORRECT
    assert ex.notes_selu_variance(2.477).status == check.CORRECT
    assert ex.notes_selu_variance(2.5).status == check.WRONG  # 2 digits: the question asks for 3
    assert ex.notes_selu_variance(2.49).status == check.WRONG


def test_elu_check_refuses_np_exp():
    def with_exp(x):
        return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))

    assert ex.elu_grad_from_value(with_exp).status == check.WRONG


def _elu_grad_sigmoid(x):  # s / (1 - s) = e^x
    s = acts.sigmoid(np.minimum(x, 0))
    return np.where(x > 0, 1.0, s / (1 - s))


def _elu_grad_tanh(x):  # (1 + t) / (1 - t) = e^x for t = tanh(x / 2)
    t = acts.get("tanh")(np.minimum(x, 0) / 2)
    return np.where(x > 0, 1.0, (1 + t) / (1 - t))


def _elu_grad_swish(x):  # swish(z) / z = sigmoid(z), then s / (1 - s) = e^z
    z = np.minimum(x, -1e-300)
    s = acts.swish(z) / z
    return np.where(x > 0, 1.0, s / (1 - s))


def _elu_grad_typed_e(x):  # on trust, as the question says: the ** operator with a typed-out e
    return np.where(x > 0, 1.0, 2.718281828459045 ** np.minimum(x, 0))


@pytest.mark.parametrize("shortcut", [_elu_grad_sigmoid, _elu_grad_tanh, _elu_grad_swish])
def test_elu_check_refuses_exponentials_hidden_in_other_activations(shortcut, capsys):
    assert ex.elu_grad_from_value(shortcut).status == check.WRONG
    assert "rules out" in capsys.readouterr().out


@pytest.mark.parametrize("shortcut", [_elu_grad_sigmoid, _elu_grad_tanh, _elu_grad_swish, _elu_grad_typed_e])
def test_the_shortcuts_are_right_answers_when_nothing_is_forbidden(shortcut, capsys):
    # a refusal above must come from the forbid list, not from a wrong formula
    verdict = check.function(shortcut, acts.elu.grad)
    assert verdict.status == check.CORRECT


def test_elu_check_loophole_the_question_states_is_real():
    # the question says a typed-out e stays on trust: if this starts failing, update the question's wording
    assert ex.elu_grad_from_value(_elu_grad_typed_e).status == check.CORRECT
    assert {"acts.sigmoid", "acts.tanh", "acts.softplus", "acts.swish", "acts.mish", "np.exp"} <= set(ex.ELU_FORBIDDEN)


@pytest.mark.parametrize("check_fn", [c[0] for c in RIGHT_AND_WRONG], ids=[c[0].__name__ for c in RIGHT_AND_WRONG])
def test_exercises_never_raise(check_fn, assert_never_raises):
    assert_never_raises(check_fn)


def test_wrong_answers_do_not_reveal_the_number(capsys):
    ex.notes_selu_variance(1.0)
    assert "2.47" not in capsys.readouterr().out


def test_dead_unit_question_is_really_dead():
    w, b = np.array(ex.DEAD_UNIT["weights"]), ex.DEAD_UNIT["bias"]
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 101), np.linspace(-1, 1, 101)), -1).reshape(-1, 2)
    assert np.max(grid @ w + b) < 0


@pytest.mark.parametrize("loophole", [lambda x: acts.relu.grad(x), lambda x: acts.get("relu").grad(x),
                                      lambda x: acts.leaky_relu.grad(x, slope=0.0), lambda x: acts.relu6.grad(x)])
def test_relu_grad_check_refuses_the_course_s_own_derivative(loophole):
    assert ex.relu_grad(loophole).status == check.WRONG
    assert ex.relu_grad(lambda x: np.heaviside(x, 0.0)).status == check.CORRECT  # NumPy's step function is fair

"""Notebook 02's plumbing: acts.experiments.unsaturated and acts.exercises.ex02_relu_family.

The ensemble trainer must reproduce acts.nn.train member by member; the
measurements must match closed forms; every exercise check must say "correct"
to a right answer, "not yet" to a wrong one, "not attempted yet" to a stub,
and never raise.
"""

import math

import numpy as np
import pytest

import acts
from acts import check, data, nn
from acts.exercises import ex02_relu_family as ex
from acts.experiments import unsaturated as ux

# ---------------------------------------------------------------- the ensemble trainer


@pytest.fixture(scope="module")
def moons():
    return data.moons(60, noise=0.15, seed=0)


def test_ensemble_matches_nn_train_member_by_member(moons):
    X, y = moons
    names = ["relu", "swish", "selu"]
    run = ux.train_ensemble(names, X, y, sizes=[2, 8, 8, 2], seeds=(0, 1), lrs=(0.01, 0.1),
                            bias_inits=(0.0, -0.5), steps=15)
    assert run.loss.shape == (15, 3 * 2 * 2 * 2)
    assert run.shape == (3, 2, 2, 2)
    for b, member in enumerate(run.members):
        net = nn.MLP([2, 8, 8, 2], member["activation"], seed=member["seed"], bias_init=member["bias_init"],
                     learn_activation=False)
        history = nn.train(net, X, y, steps=15, lr=member["lr"])
        np.testing.assert_allclose(run.loss[:, b], history.loss, rtol=1e-10, atol=1e-13)
        inactive = [u.mean() for u in ux.never_active(net, X)]
        np.testing.assert_allclose(run.inactive_end[b], inactive)
        np.testing.assert_allclose(run.dead_end[b], history.dead_fraction)
        assert run.train_accuracy[b] == pytest.approx(nn.accuracy(net, X, y))


def test_ensemble_fixed_activation_parameters(moons):
    X, y = moons
    run = ux.train_ensemble("leaky_relu", X, y, sizes=[2, 8, 2], steps=5, params={"leaky_relu": {"slope": 0.2}})
    net = nn.MLP([2, 8, 2], "leaky_relu", seed=0, learn_activation=False, slope=0.2)
    history = nn.train(net, X, y, steps=5, lr=0.01)
    np.testing.assert_allclose(run.loss[:, 0], history.loss, rtol=1e-10)


def test_grid_averages_over_seeds_and_layers(moons):
    X, y = moons
    run = ux.train_ensemble(["relu"], X, y, sizes=[2, 8, 8, 2], seeds=(0, 1, 2), lrs=(0.01, 0.1),
                            bias_inits=(0.0, -1.0), steps=3)
    grid = run.grid("inactive_start")
    assert grid.shape == (1, 2, 2)
    by_hand = np.mean([run.inactive_start[b].mean() for b, m in enumerate(run.members)
                       if m["bias_init"] == -1.0 and m["lr"] == 0.1])
    assert grid[0, 1, 1] == pytest.approx(by_hand)
    assert run.per_activation("final_loss").shape == (1, 12)


def test_dead_sweep_shows_both_causes_and_the_leak():
    X, y = data.moons(100, noise=0.15, seed=0)
    sweep = ux.dead_sweep(X, y, seeds=(0, 1), steps=100)
    start, end, dead = sweep.grid("inactive_start"), sweep.grid("inactive_end"), sweep.grid("dead_end")
    relu, leaky = 0, 1
    assert start[relu, 2, 0] > start[relu, 0, 0] + 0.3  # a negative bias starts units dead
    assert end[relu, 0, 2] > end[relu, 0, 0] + 0.1  # a larger learning rate kills more
    np.testing.assert_array_equal(dead[relu], end[relu])  # for ReLU never active == zero gradient
    assert dead[leaky].max() == 0.0  # a leaky unit always gets gradient
    assert end[leaky, 2, 1] < end[relu, 2, 1] - 0.2  # and many come back
    zeros = sweep.grid("zero_fraction")
    assert zeros[relu, 0, 1] > 0.3 and zeros[leaky].max() == 0.0


def test_plot_dead_sweep_returns_a_figure(moons):
    X, y = moons
    run = ux.dead_sweep(X, y, lrs=(0.01, 0.1), bias_inits=(0.0, -1.0), seeds=(0,), sizes=(2, 4, 2), steps=2)
    fig = ux.plot_dead_sweep(run, (0.01, 0.1), (0.0, -1.0))
    assert len(fig.axes) == 2
    assert fig._repr_png_()[:4] == b"\x89PNG"


def test_race_rows(moons):
    X, y = moons
    rows = ux.race(["relu", "gelu"], X, y, X, y, sizes=(2, 8, 2), seeds=(0, 1), steps=10)
    assert [r.name for r in rows] == ["relu", "gelu"]
    for r in rows:
        assert len(r.tests) == 2 and r.test_mean == pytest.approx(np.mean(r.tests))
        assert 0 <= r.test_mean <= 1 and r.loss_std >= 0
    assert rows[1].zero_fraction == 0.0
    table = ux.race_table(rows)
    assert "relu" in table and "±" in table


def test_dead_unit_gets_exactly_zero_gradient_and_stays_dead(moons):
    X, y = moons
    net = nn.MLP([2, 8, 8, 2], "relu", seed=0, bias_init=-1.0)
    dead = ux.never_active(net, X)[0]
    assert dead.any()
    _, grads = net.gradients(X, y)
    assert np.all(grads["layer1.weight"][:, dead] == 0) and np.all(grads["layer1.bias"][dead] == 0)
    nn.train(net, X, y, steps=20, lr=0.01)
    assert np.all(ux.never_active(net, X)[0][dead])


# ---------------------------------------------------------------- measurements


def test_gaussian_moments_match_closed_forms():
    assert ux.gaussian_moment("relu") == pytest.approx(1 / math.sqrt(2 * math.pi), abs=1e-9)
    assert ux.gaussian_moment("relu", 2) == pytest.approx(0.5, abs=1e-9)
    assert ux.gaussian_moment("selu") == pytest.approx(0.0, abs=1e-8)
    assert ux.gaussian_moment("selu", 2) == pytest.approx(1.0, abs=1e-8)
    mean = ux.gaussian_moment("selu", scale=2.0, alpha=1.0)
    var = ux.gaussian_moment("selu", 2, scale=2.0, alpha=1.0) - mean**2
    # closed forms: E[relu] = 1/sqrt(2 pi), E[e^z - 1; z < 0] = e^(1/2) Phi(-1) - 1/2
    phi_m1 = 0.5 * math.erfc(1 / math.sqrt(2))
    assert mean == pytest.approx(2 * (1 / math.sqrt(2 * math.pi) + math.exp(0.5) * phi_m1 - 0.5), abs=1e-8)
    assert var == pytest.approx(2.47671425349, abs=1e-8)


def test_properties_rows():
    rows = {r["name"]: r for r in ux.properties(["relu", "leaky_relu", "elu", "swish", "mish", "softplus"])}
    assert rows["relu"]["flat_left"] and not rows["relu"]["smooth"] and rows["relu"]["grad0"] == 0.0
    assert rows["leaky_relu"]["lower"] == -np.inf and not rows["leaky_relu"]["flat_left"]
    assert rows["elu"]["lower"] == pytest.approx(-1.0) and rows["elu"]["min_at"] is None
    assert rows["swish"]["lower"] == pytest.approx(-0.278464542761, abs=1e-6)
    assert rows["swish"]["min_at"] == pytest.approx(-1.27846454276, abs=1e-3) and not rows["swish"]["monotonic"]
    assert rows["mish"]["grad0"] == pytest.approx(0.6)
    assert rows["mish"]["lower"] == pytest.approx(-0.308843413, abs=1e-6)
    assert rows["softplus"]["mean"] > 0.8 and rows["softplus"]["monotonic"]
    text = ux.properties_table(list(rows.values()))
    assert "-0.2785*" in text and "-inf" in text and "-0.0000" not in text


def test_peak_memory_counts_outputs_and_temporaries():
    x = np.zeros(100_000)
    assert ux.peak_memory(lambda v: v.copy(), x) == pytest.approx(1.0, abs=0.05)
    relu = ux.peak_memory(acts.get("relu").value_and_grad, x)
    mish = ux.peak_memory(acts.get("mish").value_and_grad, x)
    assert 1.5 <= relu < mish


# ---------------------------------------------------------------- exercises

RIGHT_AND_WRONG = [
    (ex.relu_grad, lambda x: (x > 0).astype(float), lambda x: (x >= 0).astype(float)),
    (ex.dead_unit, "dead", "alive"),
    (ex.notes_leaky_slope, 0.5, 2.0),
    (ex.elu_grad_from_value, lambda x: np.where(x > 0, 1.0, acts.elu(x) + 1.0), lambda x: np.exp(x)),
    (ex.notes_selu_variance, 2.47671425349, 1.0),
    (ex.swish_min_at, -1.27846454276 / 2, -1.27846454276),
    (ex.mish_from_softplus, lambda x: x * np.tanh(acts.softplus(x)), lambda x: x * np.tanh(x)),
    (ex.softplus_gap, math.log(2) / 4, math.log(2)),
    (ex.can_die, "relu", "gelu"),
]


def _raises(x):
    raise NotImplementedError


@pytest.mark.parametrize("check_fn, right, wrong", RIGHT_AND_WRONG, ids=[c[0].__name__ for c in RIGHT_AND_WRONG])
def test_exercise_verdicts(check_fn, right, wrong, capsys):
    assert check_fn(right).status == check.CORRECT
    assert check_fn(wrong).status == check.WRONG
    stub = _raises if callable(right) else ...
    assert check_fn(stub).status == check.NOT_ATTEMPTED
    assert check_fn(None).status == check.NOT_ATTEMPTED
    out = capsys.readouterr().out
    assert "Correct" in out and "Not yet" in out


@pytest.mark.parametrize("check_fn", [c[0] for c in RIGHT_AND_WRONG], ids=[c[0].__name__ for c in RIGHT_AND_WRONG])
@pytest.mark.parametrize("odd", ["seven", float("nan"), [1, 2], lambda x: 1 / 0, object()])
def test_exercises_never_raise(check_fn, odd, capsys):
    verdict = check_fn(odd)
    assert verdict.status in (check.WRONG, check.NOT_ATTEMPTED)


def test_wrong_answers_do_not_reveal_the_number(capsys):
    ex.notes_selu_variance(1.0)
    ex.swish_min_at(0.0)
    out = capsys.readouterr().out
    assert "2.4767" not in out and "0.639" not in out


def test_dead_unit_question_is_really_dead():
    w, b = np.array(ex.DEAD_UNIT["weights"]), ex.DEAD_UNIT["bias"]
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 101), np.linspace(-1, 1, 101)), -1).reshape(-1, 2)
    assert np.max(grid @ w + b) < 0

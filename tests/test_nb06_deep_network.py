"""Notebook 06's plumbing: acts.experiments.deep, acts.exercises.ex06_deep_network and acts.stats.

Each statistic is checked against an independent computation: flat shares
from the weights by hand, gradient norms by finite differences, Adam's first
update from its closed form, gains from mpmath quadrature and closed forms,
the t interval from mpmath's t distribution.
"""

import math

import mpmath
import numpy as np
import pytest

from acts import stats
from acts.experiments import deep

PNG = b"\x89PNG"


def test_splits_differ_by_seed_and_keep_every_digit():
    X_tr, y_tr, X_te, y_te = deep.splits(seeds=(0, 1))
    assert X_tr.shape[0] == 2 and X_tr.shape[2] == 64 and X_tr.shape[1] + X_te.shape[1] == 1797
    assert not np.array_equal(y_tr[0], y_tr[1])  # another seed, another split
    for s in range(2):  # stratified: every digit keeps about 30% of its images in the test set
        share = np.bincount(y_te[s], minlength=10) / (np.bincount(y_te[s], minlength=10)
                                                       + np.bincount(y_tr[s], minlength=10))
        assert np.all(np.abs(share - 0.3) < 0.01)


def test_flat_share_of_a_relu_layer_is_the_share_of_negative_z():
    net = deep.build("relu", depth=3, width=8, seed=1)
    X, y = deep.probe(n=64)
    s = deep.layer_stats(net, X, y)
    first = deep.hidden_layers(net)[0]
    z = X @ first.weight + first.bias  # by hand, from the weights
    assert s.flat[0] == pytest.approx(np.mean(z < 0))
    assert s.dead[0] == pytest.approx(np.mean(np.all(z < 0, axis=0)))
    assert s.std[0] == pytest.approx(np.maximum(z, 0).std())


def test_flat_threshold_matches_tanh_at_097():
    # |tanh(z)| > 0.97 <=> tanh'(z) = 1 - tanh^2 < 1 - 0.97^2 = 0.0591; the threshold is 6% of tanh'(0) = 1
    assert deep.flat_threshold("tanh") == pytest.approx(0.06)
    assert deep.flat_threshold("sigmoid") == pytest.approx(0.06 * 0.25)
    assert 1 - 0.97 ** 2 < deep.flat_threshold("tanh")


def test_gradient_norm_equals_finite_differences():
    net = deep.build("tanh", depth=2, width=3, seed=2)
    X, y = deep.probe(n=16)
    s = deep.layer_stats(net, X, y)
    layer = deep.hidden_layers(net)[1]
    fd = np.zeros_like(layer.weight)
    h = 1e-6
    for idx in np.ndindex(layer.weight.shape):
        old = layer.weight[idx]
        layer.weight[idx] = old + h
        up = net.loss(net.forward(X), y)[0]
        layer.weight[idx] = old - h
        down = net.loss(net.forward(X), y)[0]
        layer.weight[idx] = old
        fd[idx] = (up - down) / (2 * h)
    assert s.grad[1] == pytest.approx(np.linalg.norm(fd), rel=1e-6)


def test_update_ratio_of_adams_first_step():
    # Adam's first step moves each weight by lr * g / (|g| + eps): m_hat = g and v_hat = g^2 after one step
    net = deep.build("tanh", depth=2, width=4, seed=3)
    X, y = deep.probe(n=64)
    net.backward(net.loss(net.forward(X), y)[1])  # the gradient on the whole batch (the step uses all 64 rows)
    grads = [h.grads["weight"].copy() for h in deep.hidden_layers(net)]
    before = [h.weight.copy() for h in deep.hidden_layers(net)]
    trace = deep.train_traced(net, X, y, steps=1, lr=1e-3, batch=64, checkpoints=(0,), probe_rows=64)
    for k, (w, g) in enumerate(zip(before, grads, strict=True)):
        expected = np.linalg.norm(1e-3 * g / (np.abs(g) + 1e-8)) / np.linalg.norm(w)
        assert trace[0].update[k] == pytest.approx(expected, rel=1e-6)


def test_gains_against_closed_forms_and_mpmath():
    assert deep.gain_for("relu") == pytest.approx(math.sqrt(2), rel=1e-12)
    assert deep.gain_for("leaky_relu", slope=0.2) == pytest.approx(math.sqrt(2 / (1 + 0.2 ** 2)), rel=1e-12)
    with mpmath.workdps(30):  # local precision: other tests rely on the global setting
        moment = mpmath.quad(lambda z: mpmath.tanh(z) ** 2 * mpmath.npdf(z), [-mpmath.inf, 0, mpmath.inf])
        gain = float(1 / mpmath.sqrt(moment))
    assert deep.gain_for("tanh") == pytest.approx(gain, rel=1e-10)


def test_compare_returns_accuracy_per_seed_and_traces():
    configs = (("relu", dict(activation="relu", depth=2, width=4)),)
    out = deep.compare(configs, seeds=(0, 1), steps=2)
    assert set(out) == {"relu"} and out["relu"]["test"].shape == (2,)
    assert all(0 <= a <= 1 for a in out["relu"]["test"])
    assert set(out["relu"]["trace"]) == {0}  # only the checkpoints inside 2 steps
    assert out["relu"]["trace"][0].model(1).std.shape == (2,)


def test_explorer_reacts_to_every_control():
    e = deep.explorer("sigmoid", depth=4)
    assert bytes(e.image.value).startswith(PNG)
    for key, value in (("init gain", 2.0), ("activation", "relu"), ("hidden layers", 6), ("layer norm", True),
                       ("residual connections", True)):
        before = bytes(e.image.value)
        e.set(**{key: value})
        assert bytes(e.image.value) != before, key
    assert ">0<" not in e.readout.value  # the readout never shows a nonzero value as 0


def test_explorer_draws_a_remembered_setting_as_a_fresh_one():
    e = deep.explorer("sigmoid", depth=4)
    first = (e.readout.value, [line.get_ydata().copy() for line in e.panel.lines[0]])
    e.set(**{"init gain": 2.0})
    e.set(**{"init gain": 1.0})  # back: from the remembered statistics
    assert e.readout.value == first[0] and "sigmoid, 4 layers, gain 1" in e.readout.value
    for line, y in zip(e.panel.lines[0], first[1], strict=True):
        np.testing.assert_array_equal(line.get_ydata(), y)
    fresh = deep.explorer("sigmoid", depth=4, gain=2.0)
    e.set(**{"init gain": 2.0})
    assert e.readout.value == fresh.readout.value


def test_plot_layers_has_a_legend_clear_of_the_axes():
    s = deep.layer_stats(deep.build("relu", depth=3, width=4, seed=0), *deep.probe(n=32))
    fig = deep.plot_layers([("a", s), ("b", s)], "two")
    assert fig.legends and not any(ax.get_legend() for ax in fig.axes)


def test_t_interval_against_mpmath():
    values = [0.01, 0.03, -0.01, 0.02, 0.02]
    mean, low, high = stats.t_interval(values)
    n, m, sd = len(values), np.mean(values), np.std(values, ddof=1)
    with mpmath.workdps(30):
        upper_tail = lambda t: mpmath.betainc((n - 1) / 2, 0.5, 0, (n - 1) / ((n - 1) + t * t), regularized=True) / 2  # noqa: E731
        t = float(mpmath.findroot(lambda t: upper_tail(t) - 0.025, 2.7))
    assert (low, high) == pytest.approx((m - t * sd / math.sqrt(n), m + t * sd / math.sqrt(n)), rel=1e-12)
    assert stats.verdict(low, high) == "tie" and stats.verdict(0.1, 0.2) == "better"
    assert stats.verdict(-0.2, -0.1) == "worse"


@pytest.mark.parametrize("bad, match", [([1.0], "at least 2"), ([1.0, float("nan")], "finite")])
def test_t_interval_errors(bad, match):
    with pytest.raises(ValueError, match=match):
        stats.t_interval(bad)
    with pytest.raises(ValueError, match="level"):
        stats.t_interval([1.0, 2.0], level=95)

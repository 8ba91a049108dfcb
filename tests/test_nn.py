"""acts.nn: gradients against finite differences, training, determinism, bad input, the notebook tools."""

import numpy as np
import pytest

import acts
from acts import data, nn


def numeric_gradients(net, X, y, eps=1e-6):
    """Central finite differences of the loss for every entry of every parameter."""
    grads = {}
    for name, p in net.parameters().items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + eps
            up = net.gradients(X, y)[0]
            p[i] = saved - eps
            down = net.gradients(X, y)[0]
            p[i] = saved
            g[i] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


def assert_gradients_match(net, X, y):
    _, grads = net.gradients(X, y)
    numeric = numeric_gradients(net, X, y)
    assert grads.keys() == numeric.keys()
    for name in grads:
        assert grads[name].shape == net.parameters()[name].shape, name
        np.testing.assert_allclose(grads[name], numeric[name], rtol=1e-5, atol=1e-7, err_msg=name)


def small_problem(seed=0, n=12, n_in=3):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, n_in)), rng.integers(0, 3, size=n)


@pytest.mark.parametrize("name", acts.names())
def test_gradients_match_finite_differences_for_every_activation(name):
    X, y = small_problem()
    net = nn.MLP([3, 5, 4, 3], activation=name, seed=1)
    assert_gradients_match(net, X, y)


@pytest.mark.parametrize(
    "activation, options",
    [
        ("prelu", dict(per_unit=True, alpha=0.1)),
        ("swish", dict(per_unit=True, beta=1.5)),
        ("swish", dict(learn_activation=False, beta=2.0)),
        ("leaky_relu", dict(slope=0.2)),
        ("elu", dict(alpha=0.5)),
        ("gelu", dict(approximate="tanh")),
        ("maxout", dict(k=3)),
        ("maxout", dict(k=1)),
        ("relu", dict(init="xavier", bias_init=0.1)),
    ],
)
def test_gradients_match_finite_differences_for_layer_options(activation, options):
    X, y = small_problem(seed=2)
    net = nn.MLP([3, 4, 4, 3], activation=activation, seed=3, **options)
    assert_gradients_match(net, X, y)


def test_gradients_of_mean_squared_error_for_float_targets():
    X, _ = data.regression("sine", n=10)
    y = np.sin(X[:, 0])
    for activation in ("tanh", "prelu", "maxout"):
        net = nn.MLP([1, 6, 1], activation=activation, seed=0)
        loss, _ = net.gradients(X, y)
        assert loss == pytest.approx(np.mean((net(X)[:, 0] - y) ** 2))
        assert_gradients_match(net, X, y)


def test_parameters_are_named_live_arrays():
    net = nn.MLP([2, 8, 8, 3], activation="prelu", seed=0, per_unit=True)
    params = net.parameters()
    assert list(params) == ["layer1.weight", "layer1.bias", "layer1.alpha", "layer2.weight", "layer2.bias",
                            "layer2.alpha", "layer3.weight", "layer3.bias"]
    assert params["layer1.weight"].shape == (2, 8) and params["layer1.alpha"].shape == (8,)
    assert np.all(params["layer1.alpha"] == 0.25)
    X = np.ones((4, 2))
    before = net(X).copy()
    params["layer3.bias"][:] += 1.0  # editing the array edits the net
    assert np.allclose(net(X), before + 1.0)
    shared = nn.MLP([2, 8, 3], activation="swish").parameters()["layer1.beta"]
    assert shared.shape == () and shared == 1.0


def test_maxout_layer_shapes_and_value():
    net = nn.MLP([2, 5, 3], activation="maxout", k=3, seed=0)
    params = net.parameters()
    assert params["layer1.weight"].shape == (3, 2, 5) and params["layer1.bias"].shape == (3, 5)
    X = np.random.default_rng(0).standard_normal((7, 2))
    hidden = np.max([X @ params["layer1.weight"][j] + params["layer1.bias"][j] for j in range(3)], axis=0)
    assert np.allclose(net(X), hidden @ params["layer2.weight"] + params["layer2.bias"])


def test_initialisations_have_the_textbook_variance():
    for init, var in [("he", 2 / 400), ("xavier", 2 / 800), ("lecun", 1 / 400), (3.0, 9 / 400)]:
        w = nn.MLP([400, 400, 2], activation="tanh", init=init, seed=0).parameters()["layer1.weight"]
        assert w.var() == pytest.approx(var, rel=0.02), init
    assert nn.default_init("selu") == "lecun" and nn.default_init("tanh") == "xavier"
    assert nn.default_init("relu") == "he"


def test_spiral_reaches_95_percent_with_relu_and_adam():
    X, y = data.spirals(600, classes=3, noise=0.05, seed=0)
    net = nn.MLP([2, 64, 64, 3], activation="relu", seed=0)
    history = nn.train(net, X, y, steps=1000, lr=0.01, optimizer="adam")
    assert nn.accuracy(net, X, y) >= 0.95
    assert history.accuracy[-1] >= 0.95
    assert history.loss[-1] < history.loss[0] / 5


@pytest.mark.parametrize("batch_size", [None, 32])
def test_same_seed_same_history_bit_for_bit(batch_size):
    X, y = data.moons(120, noise=0.2, seed=1)

    def run():
        net = nn.MLP([2, 16, 16, 2], activation="prelu", seed=5, per_unit=True)
        history = nn.train(net, X, y, steps=60, lr=0.02, batch_size=batch_size, seed=7, every=5)
        return net, history

    (net1, h1), (net2, h2) = run(), run()
    for field in ("loss", "accuracy", "grad_norms", "dead_steps", "dead_trace"):
        assert np.array_equal(getattr(h1, field), getattr(h2, field)), field
    assert h1.params.keys() == h2.params.keys()
    for name in h1.params:
        assert np.array_equal(h1.params[name], h2.params[name])
    for name, p in net1.parameters().items():
        assert np.array_equal(p, net2.parameters()[name])


def test_other_training_seed_other_minibatches():
    X, y = data.moons(120, noise=0.2, seed=1)
    losses = [nn.train(nn.MLP([2, 8, 2], seed=0), X, y, steps=20, batch_size=16, seed=s).loss for s in (0, 1)]
    assert not np.array_equal(*losses)


@pytest.mark.parametrize("activation, param", [("prelu", "alpha"), ("swish", "beta")])
@pytest.mark.parametrize("per_unit", [False, True])
def test_learnable_activation_parameters_move(activation, param, per_unit):
    X, y = data.spirals(200, classes=3, seed=0)
    net = nn.MLP([2, 16, 16, 3], activation=activation, seed=0, per_unit=per_unit)
    start = {name: p.copy() for name, p in net.parameters().items()}
    history = nn.train(net, X, y, steps=100, lr=0.02)
    for layer in ("layer1", "layer2"):
        name = f"{layer}.{param}"
        trace = history.params[name]
        assert trace.shape == (101, *start[name].shape)
        assert np.array_equal(trace[0], start[name]) and np.array_equal(trace[-1], net.parameters()[name])
        assert np.all(np.abs(trace[-1] - trace[0]) > 1e-4)


def test_fixed_activation_parameters_stay():
    net = nn.MLP([2, 8, 3], activation="swish", learn_activation=False, beta=2.0)
    assert "layer1.beta" not in net.parameters()
    X, y = data.spirals(60, seed=0)
    assert nn.train(net, X, y, steps=5).params == {}


def test_history_shapes_and_dead_units():
    X, y = data.spirals(150, classes=3, seed=0)
    net = nn.MLP([2, 10, 10, 3], activation="relu", seed=0, bias_init=-5.0)  # most units start dead
    calls = []
    history = nn.train(net, X, y, steps=25, lr=0.01, every=10, callback=lambda step, h: calls.append(step))
    assert calls == [10, 20, 25]
    assert history.loss.shape == history.accuracy.shape == (25,)
    assert history.grad_norms.shape == (25, 3) and history.layers == ["layer1", "layer2", "layer3"]
    assert list(history.dead_steps) == [0, 10, 20, 25]
    assert history.dead_trace.shape == (4, 2)
    assert history.dead_fraction[0] > 0.5
    assert np.array_equal(history.dead_fraction, net.dead_fraction(X))
    healthy = nn.train(nn.MLP([2, 10, 3], activation="leaky_relu"), X, y, steps=3)
    assert np.all(healthy.dead_fraction == 0)


def test_sgd_with_momentum_and_minibatches_learns():
    X, y = data.xor(200, noise=0.05, seed=0)
    net = nn.MLP([2, 16, 2], activation="tanh", seed=0)
    history = nn.train(net, X, y, steps=300, lr=0.1, optimizer="sgd", momentum=0.9, batch_size=50)
    assert nn.accuracy(net, X, y) > 0.9 and history.loss[-20:].mean() < history.loss[0]


def test_regression_with_maxout_fits_abs():
    X, y = data.regression("abs", n=100)
    net = nn.MLP([1, 4, 1], activation="maxout", k=2, seed=0)
    history = nn.train(net, X, y, steps=400, lr=0.02)
    assert history.loss[-1] < 0.01 and np.isnan(history.accuracy).all()
    assert net.predict(X).shape == (100,)


def test_decision_grid_covers_the_data():
    X, y = data.moons(100, seed=0)
    net = nn.MLP([2, 8, 2], seed=0)
    xx, yy, labels = nn.decision_grid(net, X, resolution=50, margin=0.5)
    assert xx.shape == yy.shape == labels.shape == (50, 50)
    assert xx.min() == pytest.approx(X[:, 0].min() - 0.5) and yy.max() == pytest.approx(X[:, 1].max() + 0.5)
    assert set(np.unique(labels)) <= {0, 1}
    assert np.array_equal(labels.ravel(), net.predict(np.column_stack([xx.ravel(), yy.ravel()])))


def test_signal_propagation_shapes_and_determinism():
    result = nn.signal_propagation("tanh", depth=7, width=16, n=32, seed=3)
    assert len(result.activations) == len(result.preactivations) == 7
    assert result.activations[0].shape == (32, 16)
    assert result.grad_norms.shape == result.means.shape == result.stds.shape == (7,)
    assert np.allclose(result.activations[3], np.tanh(result.preactivations[3]), atol=1e-6)
    again = nn.signal_propagation("tanh", depth=7, width=16, n=32, seed=3)
    assert np.array_equal(result.grad_norms, again.grad_norms)


def test_signal_propagation_shows_what_the_course_claims():
    selu = nn.signal_propagation("selu", depth=50, init="lecun")
    assert np.all(np.abs(selu.means) < 0.2) and np.all(np.abs(selu.stds - 1) < 0.2)  # self-normalising
    wrong = nn.signal_propagation("selu", depth=50, init="lecun", scale=2.0, alpha=1.0)
    assert wrong.stds[-1] > 100
    sigmoid = nn.signal_propagation("sigmoid", depth=30, init="xavier")
    assert sigmoid.grad_norms[0] < 1e-6 * sigmoid.grad_norms[-1]  # vanishing
    relu = nn.signal_propagation("relu", depth=30, init="he")
    assert 0.1 < relu.grad_norms[0] / relu.grad_norms[-1] < 10  # He keeps it


# ---------------------------------------------------------------- bad input, caught before training


def spirals_net():
    X, y = data.spirals(60, classes=3, seed=0)
    return nn.MLP([2, 8, 3], activation="prelu", seed=0), X, y


@pytest.mark.parametrize(
    "change, error, words",
    [
        (dict(X="wide"), ValueError, r"X must have shape \(n, 2\).*got shape \(60, 3\)"),
        (dict(X="nan"), ValueError, r"X must be finite; row 7"),
        (dict(X="inf"), ValueError, r"X must be finite; row 7"),
        (dict(y="out"), ValueError, r"labels y must be in 0\.\.2.*y\[5\] = 3"),
        (dict(y="negative"), ValueError, r"labels y must be in 0\.\.2.*y\[0\] = -1"),
        (dict(y="short"), ValueError, r"y must have one entry per row of X \(60\)"),
        (dict(lr=0.0), ValueError, r"lr must be a finite number > 0; got 0\.0"),
        (dict(lr=-0.1), ValueError, r"lr must be a finite number > 0; got -0\.1"),
        (dict(lr=float("nan")), ValueError, r"lr must be"),
        (dict(steps=0), ValueError, r"steps must be a positive integer; got 0"),
        (dict(optimizer="rmsprop"), ValueError, r"optimizer must be one of 'adam', 'sgd'; got 'rmsprop'"),
        (dict(momentum=1.0), ValueError, r"momentum must be"),
        (dict(batch_size=0), ValueError, r"batch_size must be a positive integer"),
        (dict(callback=3), TypeError, r"callback must be"),
    ],
)
def test_bad_training_input_is_named_before_any_training(change, error, words):
    net, X, y = spirals_net()
    if change.get("X") == "wide":
        X = np.column_stack([X, X[:, 0]])
    elif change.get("X") in ("nan", "inf"):
        X = X.copy()
        X[7, 1] = np.nan if change["X"] == "nan" else np.inf
    if change.get("y") == "out":
        y = y.copy()
        y[5] = 3
    elif change.get("y") == "negative":
        y = y.copy()
        y[0] = -1
    elif change.get("y") == "short":
        y = y[:-1]
    kwargs = {k: v for k, v in change.items() if k not in ("X", "y")}
    before = {name: p.copy() for name, p in net.parameters().items()}
    calls = []
    kwargs.setdefault("callback", lambda step, h: calls.append(step))
    with pytest.raises(error, match=words):
        nn.train(net, X, y, steps=kwargs.pop("steps", 5), **kwargs)
    assert not calls
    for name, p in net.parameters().items():
        assert np.array_equal(p, before[name]), f"{name} changed before the error"


def test_nan_in_float_targets_is_named():
    X, y = data.regression("sine", n=20)
    y[4] = np.nan
    with pytest.raises(ValueError, match=r"y must be finite; y\[4\]"):
        nn.train(nn.MLP([1, 4, 1]), X, y, steps=3)


@pytest.mark.parametrize(
    "build, error, words",
    [
        (lambda: nn.MLP([2, 8, 3], activation="relu7"), KeyError, r"unknown activation 'relu7'.*relu6"),
        (lambda: nn.MLP([2, 8, 3], activation="elu", alpha=-1.0), ValueError, r"alpha"),
        (lambda: nn.MLP([2, 8, 3], activation="relu", slope=0.1), TypeError, r"slope"),
        (lambda: nn.MLP([2, 8, 3], activation="tanh", k=3), TypeError, r"k \(the number of maxout pieces\)"),
        (lambda: nn.MLP([2, 8, 3], activation="maxout", k=0), ValueError, r"k must be a positive integer"),
        (lambda: nn.MLP([2, 8, 3], init="glorot"), ValueError, r"init must be one of 'he', 'xavier', 'lecun'"),
        (lambda: nn.MLP([2, 8, 3], init=-1.0), ValueError, r"init must be"),
        (lambda: nn.MLP([2]), ValueError, r"sizes must be a list of at least two"),
        (lambda: nn.MLP([2, 0, 3]), ValueError, r"sizes\[1\] must be a positive integer"),
        (lambda: nn.signal_propagation("tanhh"), KeyError, r"unknown activation 'tanhh'"),
        (lambda: nn.signal_propagation("tanh", init="normal"), ValueError, r"init must be"),
        (lambda: nn.signal_propagation("tanh", depth=0), ValueError, r"depth must be a positive integer"),
    ],
)
def test_bad_construction_is_named(build, error, words):
    with pytest.raises(error, match=words):
        build()


def test_prediction_checks_the_input_width():
    net = nn.MLP([2, 4, 3])
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        net.predict(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"integer labels need a net with at least 2 outputs"):
        nn.MLP([2, 4, 1]).gradients(np.zeros((5, 2)), np.zeros(5, dtype=int))

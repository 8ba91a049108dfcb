"""acts.nn and acts.layers: gradients against finite differences, many models as one, training, bad input.

Every gradient is checked against central finite differences of the loss,
never against a second copy of the backward pass.
"""

import numpy as np
import pytest
from threadpoolctl import threadpool_info

import acts
from acts import analysis, data, diagnostics, layers, nn, optim


def numeric_gradients(net, X, y, eps=1e-6):
    """Central finite differences of the loss (summed over the models) for every entry of every parameter."""
    grads = {}
    for name, p in net.parameters().items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + eps
            up = np.sum(net.gradients(X, y)[0])
            p[i] = saved - eps
            down = np.sum(net.gradients(X, y)[0])
            p[i] = saved
            g[i] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


def assert_gradients_match(net, X, y, rtol=1e-5, atol=1e-7):
    _, grads = net.gradients(X, y)
    numeric = numeric_gradients(net, X, y)
    assert grads.keys() == numeric.keys()
    for name in grads:
        assert grads[name].shape == net.parameters()[name].shape, name
        np.testing.assert_allclose(grads[name], numeric[name], rtol=rtol, atol=atol, err_msg=name)


def small_problem(seed=0, n=12, n_in=3):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, n_in)), rng.integers(0, 3, size=n)


@pytest.mark.parametrize("name", acts.names())
def test_gradients_match_finite_differences_for_every_activation(name):
    X, y = small_problem()
    net = nn.MLP([3, 5, 4, 3], activation=name, seed=1)
    assert_gradients_match(net, X, y)


@pytest.mark.parametrize(
    "options",
    [
        dict(activation="prelu", per_unit=True, alpha=0.1),
        dict(activation="swish", per_unit=True, beta=1.5),
        dict(activation="swish", learn_activation=False, beta=2.0),
        dict(activation="leaky_relu", slope=0.2),
        dict(activation="elu", alpha=0.5),
        dict(activation="gelu", approximate="tanh"),
        dict(activation="maxout", k=3),
        dict(activation="maxout", k=1),
        dict(activation="relu", init="xavier", bias_init=0.1),
        dict(activation="tanh", norm=True),
        dict(activation="prelu", norm=True, per_unit=True),
        dict(activation="tanh", residual=True),
        dict(activation="swish", residual=True, norm=True),
        dict(layer="glu"),
        dict(layer="reglu"),
        dict(layer="geglu"),
        dict(layer="swiglu"),
        dict(layer="swiglu", residual=True),
        dict(layer="geglu", residual=True, norm=True),
    ],
    ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()),
)
def test_gradients_match_finite_differences_for_layer_options(options):
    X, y = small_problem(seed=2)
    net = nn.MLP([3, 4, 4, 3], seed=3, **options)
    assert_gradients_match(net, X, y)


def test_gradients_of_mean_squared_error_for_float_targets():
    X, _ = data.regression("sine", n=10)
    y = np.sin(X[:, 0])
    for options in (dict(activation="tanh"), dict(activation="prelu"), dict(activation="maxout"),
                    dict(layer="swiglu")):
        net = nn.MLP([1, 6, 1], seed=0, **options)
        loss, _ = net.gradients(X, y)
        assert loss == pytest.approx(np.mean((net(X)[:, 0] - y) ** 2))
        assert_gradients_match(net, X, y)


def test_gradients_with_a_model_axis_match_finite_differences():
    X, y = small_problem(seed=4)
    for options in (dict(activation="prelu"), dict(activation="swish", per_unit=True), dict(activation="maxout"),
                    dict(activation="tanh", norm=True, residual=True), dict(layer="geglu")):
        net = nn.MLP([3, 4, 4, 3], seed=[5, 6], **options)
        assert_gradients_match(net, X, y)
    X3 = np.random.default_rng(1).standard_normal((2, 12, 3))  # one data set per model
    assert_gradients_match(nn.MLP([3, 4, 3], activation="elu", seed=[0, 1]), X3, np.stack([y, y[::-1]]))


def layer_loss(layer, x, upstream):
    """A scalar of the layer's output whose gradient is ``upstream``: L = sum(upstream * layer(x))."""
    return np.sum(upstream * layer.forward(x))


@pytest.mark.parametrize("make", [
    lambda rng: layers.LayerNorm(5, rng=rng),
    lambda rng: layers.GLU(5, 4, "glu", rng=rng),
    lambda rng: layers.GLU(5, 4, "swiglu", rng=rng, bias_init=0.3),
    lambda rng: layers.GLU(5, 4, "reglu", rng=rng, norm=True),
    lambda rng: layers.Residual(layers.Dense(5, 5, "tanh", rng=rng)),
    lambda rng: layers.Dense(5, 4, "prelu", rng=rng, norm=True, per_unit=True),
], ids=["layernorm", "glu", "swiglu", "reglu-norm", "residual", "dense-norm"])
def test_single_layer_gradients_including_dx_match_finite_differences(make):
    rng = np.random.default_rng(0)
    layer = make(rng)
    for p in layer.parameters().values():  # move gains and biases off their starting values
        p += 0.3 * rng.standard_normal(p.shape)
    x = rng.standard_normal((6, 5))
    upstream = rng.standard_normal(layer.forward(x).shape)
    dx = layer.backward(upstream)
    eps = 1e-6
    for name, p in {**layer.parameters(), "x": x}.items():
        numeric = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + eps
            up = layer_loss(layer, x, upstream)
            p[i] = saved - eps
            down = layer_loss(layer, x, upstream)
            p[i] = saved
            numeric[i] = (up - down) / (2 * eps)
        analytic = dx if name == "x" else layer.grads[name]
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8, err_msg=name)


def test_layer_norm_output_has_zero_mean_and_unit_variance_per_row():
    x = np.random.default_rng(0).normal(3.0, 5.0, size=(7, 16))
    out = layers.LayerNorm(16).forward(x)
    assert np.allclose(out.mean(axis=1), 0, atol=1e-12)
    assert np.allclose(out.var(axis=1), 25 / (25 + 1e-5), rtol=0.1)  # var(x) / (var(x) + eps), with var(x) near 25


def test_glu_family_computes_gate_times_value():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3))
    sigmoid = lambda t: 1 / (1 + np.exp(-t))
    gates = {"glu": sigmoid, "reglu": lambda t: np.maximum(t, 0), "swiglu": lambda t: t * sigmoid(t)}
    for kind, gate in gates.items():
        layer = layers.GLU(3, 2, kind, rng=1, bias_init=0.1)
        expected = gate(x @ layer.W + layer.b) * (x @ layer.V + layer.c)
        np.testing.assert_allclose(layer(x), expected, rtol=1e-12, err_msg=kind)


# ---------------------------------------------------------------- many models as one


def separate_and_batched(seeds, options, X, y, train_options, per_model_data=False):
    """Train one net per seed alone, then all of them as one batched net; return both."""
    alone = []
    for i, s in enumerate(seeds):
        net = nn.MLP(seed=s, **options)
        history = nn.train(net, X[i] if per_model_data else X, y[i] if per_model_data else y, **train_options)
        alone.append((net, history))
    batched = nn.MLP(seed=list(seeds), **options)
    return alone, batched, nn.train(batched, X, y, **train_options)


@pytest.mark.parametrize("options, train_options", [
    (dict(sizes=[2, 16, 16, 3], activation="relu"), dict(steps=40, lr=0.02)),
    (dict(sizes=[2, 8, 8, 3], activation="prelu", per_unit=True), dict(steps=40, lr=0.02, batch_size=32, every=7)),
    (dict(sizes=[2, 8, 8, 3], activation="swish"), dict(steps=30, lr=0.05, optimizer="sgd", momentum=0.9)),
    (dict(sizes=[2, 8, 8, 3], activation="maxout", k=3), dict(steps=30, lr=0.02)),
    (dict(sizes=[2, 8, 8, 3], activation="tanh", norm=True, residual=True), dict(steps=30, lr=0.02)),
    (dict(sizes=[2, 8, 8, 3], layer="swiglu", norm=True, residual=True), dict(steps=30, lr=0.02)),
], ids=["relu", "prelu-minibatch", "swish-sgd", "maxout", "norm-residual", "swiglu-norm-residual"])
def test_a_batched_run_of_s_models_equals_s_separate_runs(options, train_options):
    X, y = data.spirals(150, classes=3, seed=0)
    seeds = (0, 1, 2, 3)
    alone, batched, history = separate_and_batched(seeds, options, X, y, train_options)
    assert history.loss.shape == (train_options["steps"], 4)
    for i, (net, h) in enumerate(alone):
        for name, p in net.parameters().items():
            np.testing.assert_allclose(batched.parameters()[name][i], p, rtol=1e-12, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(history.loss[:, i], h.loss, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(history.grad_norms[:, i], h.grad_norms, rtol=1e-12, atol=1e-12)
        assert np.array_equal(history.accuracy[:, i], h.accuracy)
        assert np.array_equal(history.dead_trace[:, i], h.dead_trace)
        for name, trace in h.params.items():
            np.testing.assert_allclose(history.params[name][:, i], trace, rtol=1e-12, atol=1e-12)


def test_batched_models_on_their_own_data_with_their_own_learning_rates():
    sets = [data.moons(100, noise=0.2, seed=s) for s in range(3)]
    X, y = np.stack([s[0] for s in sets]), np.stack([s[1] for s in sets])
    lrs = np.array([0.003, 0.01, 0.03])
    batched = nn.MLP([2, 8, 2], activation="elu", seed=[0, 1, 2])
    nn.train(batched, X, y, steps=25, lr=lrs)
    for i in range(3):
        net = nn.MLP([2, 8, 2], activation="elu", seed=i)
        nn.train(net, X[i], y[i], steps=25, lr=lrs[i])
        for name, p in net.parameters().items():
            np.testing.assert_allclose(batched.parameters()[name][i], p, rtol=1e-12, atol=1e-12)
        assert batched.predict(X)[i].tolist() == net.predict(X[i]).tolist()
    assert nn.accuracy(batched, X, y).shape == (3,)


# ---------------------------------------------------------------- parameters, initialisation, widths


def test_parameters_are_named_live_arrays_with_declared_kinds():
    net = nn.MLP([2, 8, 8, 3], activation="prelu", seed=0, per_unit=True)
    params = net.parameters()
    assert list(params) == ["layer1.weight", "layer1.bias", "layer1.alpha", "layer2.weight", "layer2.bias",
                            "layer2.alpha", "layer3.weight", "layer3.bias"]
    assert list(net.parameters("activation")) == ["layer1.alpha", "layer2.alpha"]
    assert list(net.parameters("weight")) == ["layer1.weight", "layer2.weight", "layer3.weight"]
    assert params["layer1.weight"].shape == (2, 8) and params["layer1.alpha"].shape == (8,)
    assert np.all(params["layer1.alpha"] == 0.25)
    X = np.ones((4, 2))
    before = net(X).copy()
    params["layer3.bias"][:] += 1.0  # editing the array edits the net
    assert np.allclose(net(X), before + 1.0)
    shared = nn.MLP([2, 8, 3], activation="swish").parameters()["layer1.beta"]
    assert shared.shape == () and shared == 1.0
    normed = nn.MLP([2, 8, 3], activation="tanh", norm=True).parameters("norm")
    assert list(normed) == ["layer1.norm_gain", "layer1.norm_bias"]
    assert list(nn.MLP([2, 8, 3], layer="swiglu").parameters("weight")) == ["layer1.W", "layer1.V", "layer2.weight"]


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
    # init=None takes the activation's record: tanh Xavier, relu He, selu LeCun
    for name, var in [("tanh", 2 / 800), ("relu", 2 / 400), ("selu", 1 / 400)]:
        w = nn.MLP([400, 400, 2], activation=name, seed=0).parameters()["layer1.weight"]
        assert w.var() == pytest.approx(var, rel=0.02), name


def test_gated_width_matches_the_plain_block_and_tends_to_two_thirds():
    for n, hidden in [(64, 96), (16, 48), (10, 30), (3, 8)]:
        width = nn.gated_width(n, hidden)
        plain = nn.MLP([n, hidden, n], activation="relu")
        counts = {h: sum(p.size for p in nn.MLP([n, h, n], layer="swiglu").parameters().values())
                  for h in range(1, 2 * hidden)}
        target = sum(p.size for p in plain.parameters().values())
        assert abs(counts[width] - target) == min(abs(c - target) for c in counts.values())
    assert nn.gated_width(4096, 3 * 4096) / (3 * 4096) == pytest.approx(2 / 3, abs=1e-3)


def test_one_blas_thread_inside_single_threaded_blas():
    blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
    if not blas:
        pytest.skip("no BLAS library found by threadpoolctl")
    with nn.single_threaded_blas():
        assert all(lib["num_threads"] == 1 for lib in threadpool_info() if lib["user_api"] == "blas")


# ---------------------------------------------------------------- training


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
    # a unit is dead when relu'(z) = 0 on every row: count it from z directly
    z = X @ net.layers[0].weight + net.layers[0].bias
    assert net.dead_fraction(X)[0] == np.mean(np.all(z <= 0, axis=0))
    healthy = nn.train(nn.MLP([2, 10, 3], activation="leaky_relu"), X, y, steps=3)
    assert np.all(healthy.dead_fraction == 0)


def test_grad_norms_are_the_norms_of_the_weight_gradients():
    X, y = data.spirals(90, classes=3, seed=0)
    net = nn.MLP([2, 6, 6, 3], layer="reglu", seed=0)
    _, grads = net.gradients(X, y)
    history = nn.train(net, X, y, steps=1, lr=0.01)
    expected = [np.sqrt(np.sum(grads["layer1.W"] ** 2) + np.sum(grads["layer1.V"] ** 2)),
                np.sqrt(np.sum(grads["layer2.W"] ** 2) + np.sum(grads["layer2.V"] ** 2)),
                np.linalg.norm(grads["layer3.weight"])]
    np.testing.assert_allclose(history.grad_norms[0], expected, rtol=1e-12)


def test_update_ratios_of_adams_first_step():
    """Adam's first step moves every weight by lr (times the sign of its gradient): ratio lr sqrt(size) / ||W||."""
    X, y = data.spirals(90, classes=3, seed=0)
    net = nn.MLP([2, 6, 6, 3], activation="tanh", seed=0)
    norms = [np.linalg.norm(layer.weight) for layer in net.layers]
    sizes = [layer.weight.size for layer in net.layers]
    history = nn.train(net, X, y, steps=7, lr=0.001, every=3)
    assert history.update_ratios.shape == (3, 3)  # steps 0, 3 and 6, three layers
    np.testing.assert_allclose(history.update_ratios[0], [0.001 * np.sqrt(n) / w for n, w in zip(sizes, norms)],
                               rtol=1e-4)
    batched = nn.train(nn.MLP([2, 6, 6, 3], activation="tanh", seed=[0, 1]), X, y, steps=7, lr=0.001, every=3)
    assert batched.update_ratios.shape == (3, 2, 3)
    np.testing.assert_allclose(batched.update_ratios[:, 0], history.update_ratios, rtol=1e-10)


def test_draws_sampling_takes_a_fresh_batch_every_step():
    """sampling="draws": step t trains on rng.choice(n, batch, replace=False), the t-th draw of one generator."""
    X, y = data.spirals(90, classes=3, seed=0)
    net = nn.MLP([2, 6, 3], activation="tanh", seed=0)
    rng = np.random.default_rng(4)
    rows = [rng.choice(90, size=16, replace=False) for _ in range(3)]
    seen = []
    original = net.forward
    net.forward = lambda x: (seen.append(x.copy()), original(x))[1]
    nn.train(net, X, y, steps=3, batch_size=16, seed=4, sampling="draws", every=100)
    batches = [x for x in seen if len(x) == 16]
    assert len(batches) == 3 and all(np.array_equal(b, X[r]) for b, r in zip(batches, rows, strict=True))


def test_checkpoints_choose_where_dead_units_update_ratios_and_callbacks_are_taken():
    X, y = data.spirals(90, classes=3, seed=0)
    calls = []
    history = nn.train(nn.MLP([2, 6, 6, 3], activation="tanh", seed=0), X, y, steps=9, lr=0.001,
                       checkpoints=(0, 2, 7), callback=lambda step, h: calls.append(step))
    assert calls == [2, 7, 9]  # after 2 and 7 steps (the weights of those checkpoints), and at the end
    assert list(history.dead_steps) == [0, 2, 7, 9]
    assert history.update_ratios.shape == (3, 3)
    every = nn.train(nn.MLP([2, 6, 6, 3], activation="tanh", seed=0), X, y, steps=9, lr=0.001, every=1)
    np.testing.assert_array_equal(history.update_ratios, every.update_ratios[[0, 2, 7]])


def test_dead_units_counted_on_the_rows_given():
    X, y = data.spirals(150, classes=3, seed=0)
    net = nn.MLP([2, 10, 10, 3], activation="relu", seed=0, bias_init=-2.0)
    history = nn.train(net, X, y, steps=12, lr=0.01, batch_size=30, every=5, dead_X=X[:40])
    assert list(history.dead_steps) == [0, 5, 10, 12] and history.dead_trace.shape == (4, 2)
    # counted from z by hand on those 40 rows, with the trained weights: relu'(z) = 0 on every row
    z1 = X[:40] @ net.layers[0].weight + net.layers[0].bias
    z2 = np.maximum(z1, 0) @ net.layers[1].weight + net.layers[1].bias
    expected = [np.mean(np.all(z <= 0, axis=0)) for z in (z1, z2)]
    np.testing.assert_array_equal(history.dead_fraction, expected)


def test_sgd_with_momentum_and_minibatches_learns():
    X, y = data.xor(200, noise=0.05, seed=0)
    net = nn.MLP([2, 16, 2], activation="tanh", seed=0)
    history = nn.train(net, X, y, steps=300, lr=0.1, optimizer="sgd", momentum=0.9, batch_size=50)
    assert nn.accuracy(net, X, y) > 0.9 and history.loss[-20:].mean() < history.loss[0]


def test_adam_first_step_moves_every_weight_by_lr():
    """Adam's first update is lr * g / (|g| + eps) elementwise: lr times the sign of the gradient."""
    X, y = data.moons(50, seed=0)
    net = nn.MLP([2, 4, 2], activation="tanh", seed=0)
    before = {name: p.copy() for name, p in net.parameters().items()}
    _, grads = net.gradients(X, y)
    nn.train(net, X, y, steps=1, lr=0.01)
    for name, p in net.parameters().items():
        np.testing.assert_allclose(before[name] - p, 0.01 * np.sign(grads[name]), rtol=1e-5, atol=1e-12)


def test_regression_with_maxout_fits_abs():
    X, y = data.regression("abs", n=100)
    net = nn.MLP([1, 4, 1], activation="maxout", k=2, seed=0)
    history = nn.train(net, X, y, steps=400, lr=0.02)
    assert history.loss[-1] < 0.01 and np.isnan(history.accuracy).all()
    assert net.predict(X).shape == (100,)


# ---------------------------------------------------------------- diagnostics


def test_decision_grid_covers_the_data():
    X, y = data.moons(100, seed=0)
    net = nn.MLP([2, 8, 2], seed=0)
    xx, yy, labels = analysis.decision_grid(net, X, resolution=50, margin=0.5)
    assert xx.shape == yy.shape == labels.shape == (50, 50)
    assert xx.min() == pytest.approx(X[:, 0].min() - 0.5) and yy.max() == pytest.approx(X[:, 1].max() + 0.5)
    assert set(np.unique(labels)) <= {0, 1}
    assert np.array_equal(labels.ravel(), net.predict(np.column_stack([xx.ravel(), yy.ravel()])))


def test_signal_propagation_shapes_and_determinism():
    result = diagnostics.signal_propagation("tanh", depth=7, width=16, n=32, seed=3)
    assert len(result.activations) == len(result.preactivations) == 7
    assert result.activations[0].shape == (32, 16) and result.activations[0].dtype == np.float32
    assert result.grad_norms.shape == result.means.shape == result.stds.shape == (7,)
    assert np.allclose(result.activations[3], np.tanh(result.preactivations[3]), atol=1e-6)
    again = diagnostics.signal_propagation("tanh", depth=7, width=16, n=32, seed=3)
    assert np.array_equal(result.grad_norms, again.grad_norms)


def test_signal_propagation_shows_what_the_course_claims():
    selu = diagnostics.signal_propagation("selu", depth=50, init="lecun")
    assert np.all(np.abs(selu.means) < 0.2) and np.all(np.abs(selu.stds - 1) < 0.2)  # self-normalising
    wrong = diagnostics.signal_propagation("selu", depth=50, init="lecun", scale=2.0, alpha=1.0)
    assert wrong.stds[-1] > 100
    sigmoid = diagnostics.signal_propagation("sigmoid", depth=30, init="xavier")
    assert sigmoid.grad_norms[0] < 1e-6 * sigmoid.grad_norms[-1]  # vanishing
    relu = diagnostics.signal_propagation("relu", depth=30, init="he")
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
        (dict(sampling="random"), ValueError, r"sampling must be one of 'epochs', 'draws'; got 'random'"),
        (dict(checkpoints=(0, 5)), ValueError, r"checkpoints must be step numbers from 0 to steps - 1 = 4; got 5"),
        (dict(checkpoints=3), TypeError, r"checkpoints must be a list of step numbers or None; got 3"),
        (dict(dead_X=np.ones((4, 3))), ValueError, r"train\(\): dead_X: X must have shape \(n, 2\)"),
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
        (lambda: nn.MLP([2, 8, 3], layer="gelu"), ValueError, r"layer must be one of 'dense', 'maxout', 'glu'"),
        (lambda: nn.MLP([2, 8, 3], layer="swiglu", activation="relu"), TypeError, r"brings its own gate"),
        (lambda: nn.MLP([2, 8, 3], seed=[]), ValueError, r"non-empty list"),
        (lambda: diagnostics.signal_propagation("tanhh"), KeyError, r"unknown activation 'tanhh'"),
        (lambda: diagnostics.signal_propagation("tanh", init="normal"), ValueError, r"init must be"),
        (lambda: diagnostics.signal_propagation("tanh", depth=0), ValueError, r"depth must be a positive integer"),
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


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_adam_matches_the_update_rule_step_by_step(dtype):
    """Three steps on L = sum(p^2) / 2 (gradient p) for arrays of three shapes, against Adam's rule written out
    for one number at a time: the flat bookkeeping neither mixes the arrays nor changes their dtype."""
    rng = np.random.default_rng(0)
    params = {"a": rng.normal(size=(2, 3)).astype(dtype), "b": rng.normal(size=4).astype(dtype),
              "c": np.array([0.7], dtype=dtype)}
    start = {name: p.copy() for name, p in params.items()}
    opt = optim.Adam(params, 0.1)
    for _ in range(3):
        opt.step({name: p.copy() for name, p in params.items()})
    for name, p in params.items():
        assert p.dtype == dtype
        for got, x0 in zip(p.ravel(), start[name].ravel()):
            x, m, v = float(x0), 0.0, 0.0
            for t in (1, 2, 3):
                m, v = 0.9 * m + 0.1 * x, 0.999 * v + 0.001 * x * x
                x -= 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
            assert got == pytest.approx(x, rel=1e-5 if dtype == np.float32 else 1e-12)

"""``acts.diagnostics``: what signal_propagation draws and computes, and that a SignalPropagator, which remembers
its last network, gives the same numbers bit for bit whatever came before."""

import numpy as np
import pytest

import acts
from acts import diagnostics
from acts.layers import Dense


def _by_hand(name, depth, width, init_std, n, seed, **params):
    """The documented computation in plain NumPy (float64 from the same float32 draws): inputs, each layer's
    weights std * N(0, 1) in turn, then the upstream gradient, from one generator; f and f' from the registry."""
    act = acts.get(name)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, width), dtype=np.float32).astype(float)
    weights = [init_std * rng.standard_normal((width, width), dtype=np.float32).astype(float) for _ in range(depth)]
    upstream = rng.standard_normal((n, width), dtype=np.float32).astype(float)
    a, slopes, outputs = x, [], []
    for w in weights:
        z = a @ w
        a = act(z, **params)
        slopes.append(act.grad(z, **params))
        outputs.append(a)
    g, norms = upstream, np.empty(depth)
    for i in reversed(range(depth)):
        g = (g * slopes[i]) @ weights[i].T
        norms[i] = np.linalg.norm(g)
    return outputs, norms


@pytest.mark.parametrize("name, init, std, params", [
    ("tanh", "xavier", np.sqrt(2 / 32), {}),
    ("relu", 2.0, 2 / np.sqrt(16), {}),
    ("swish", "he", np.sqrt(2 / 16), {"beta": 2.0}),
])
def test_signal_propagation_is_the_documented_computation(name, init, std, params):
    width = 16
    result = diagnostics.signal_propagation(name, depth=6, width=width, init=init, n=40, seed=7, **params)
    outputs, norms = _by_hand(name, 6, width, std, 40, 7, **params)
    for got, want in zip(result.activations, outputs, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)  # float32 against float64
    np.testing.assert_allclose(result.grad_norms, norms, rtol=1e-4)
    np.testing.assert_allclose(result.means, [o.mean() for o in outputs], atol=1e-5)
    np.testing.assert_allclose(result.stds, [o.std() for o in outputs], rtol=1e-4)


def _same(a, b):
    assert len(a.activations) == len(b.activations)
    for name in ("activations", "preactivations"):
        for x, y in zip(getattr(a, name), getattr(b, name), strict=True):
            assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=True), name
    for name in ("grad_norms", "means", "stds"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=True), name


# a drag over each control, and jumps between them: every call must equal a fresh computation
SEQUENCE = [
    ("sigmoid", dict(depth=20)), ("sigmoid", dict(depth=21)), ("sigmoid", dict(depth=35)), ("sigmoid", dict(depth=3)),
    ("sigmoid", dict(depth=22)), ("sigmoid", dict(depth=22, init="he")), ("sigmoid", dict(depth=30, init="he")),
    ("relu", dict(depth=20, init=2.0)), ("relu", dict(depth=20, init=2.0718)), ("relu", dict(depth=20, init=2.0)),
    ("relu", dict(depth=20, init="he")), ("relu", dict(depth=20, init=2 ** 0.5)), ("relu", dict(depth=60, init=10.0)),
    ("leaky_relu", dict(depth=12, slope=0.2)), ("leaky_relu", dict(depth=12, slope=0.3)),
    ("leaky_relu", dict(depth=14, slope=0.3)), ("selu", dict(depth=20, init="lecun")),
    ("selu", dict(depth=20, init="lecun", scale=2.0, alpha=1.0)), ("selu", dict(depth=25, init="lecun")),
    ("tanh", dict(depth=7, width=16, n=32, seed=3)), ("tanh", dict(depth=9, width=16, n=32, seed=3)),
    ("tanh", dict(depth=9, width=16, n=32, seed=4)), ("tanh", dict(depth=9, width=17, n=32, seed=4)),
    ("tanh", dict(depth=9, width=17, n=33, seed=4)), ("tanh", dict(depth=4)), ("gelu", dict(depth=8)),
    ("gelu", dict(depth=8, approximate="tanh")), ("maxout", dict(depth=5)),
]


def test_a_propagator_gives_what_a_fresh_computation_gives_whatever_came_before():
    propagator = diagnostics.SignalPropagator()
    kept = []
    for name, kw in SEQUENCE + SEQUENCE[::-1]:
        result = propagator(name, **kw)
        _same(result, diagnostics.signal_propagation(name, **kw))
        kept.append((name, kw, result))
    for name, kw, result in kept:  # and a later call changes no earlier result
        _same(result, diagnostics.signal_propagation(name, **kw))


def test_a_propagator_runs_only_what_changed(monkeypatch):
    calls = {"forward": 0, "built": 0}
    forward, init = Dense.forward, Dense.__init__

    def counting_forward(self, x):
        calls["forward"] += 1
        return forward(self, x)

    def counting_init(self, *args, **kwargs):
        calls["built"] += 1
        init(self, *args, **kwargs)

    monkeypatch.setattr(Dense, "forward", counting_forward)
    monkeypatch.setattr(Dense, "__init__", counting_init)
    propagator = diagnostics.SignalPropagator()
    propagator("sigmoid", depth=20)
    assert calls == {"forward": 20, "built": 20}
    propagator("sigmoid", depth=22)  # a deeper net: two new layers
    propagator("sigmoid", depth=10)  # a shallower one: none
    assert calls == {"forward": 22, "built": 22}
    propagator("sigmoid", depth=10, init=1.5)  # a new init: the layers again, rescaled, none built
    assert calls == {"forward": 32, "built": 22}
    propagator("tanh", depth=10, init=1.5)  # a new activation: new layers
    assert calls == {"forward": 42, "built": 32}


def test_a_generator_as_seed_is_used_as_before():
    """A Generator is drawn from in order (inputs, weights, upstream) and left after the upstream gradient."""
    rng = np.random.default_rng(5)
    result = diagnostics.signal_propagation("tanh", depth=6, width=8, n=10, seed=rng)
    _, norms = _by_hand("tanh", 6, 8, np.sqrt(2 / 16), 10, 5)
    np.testing.assert_allclose(result.grad_norms, norms, rtol=1e-4)
    replay = np.random.default_rng(5)
    for shape in [(10, 8)] + [(8, 8)] * 6 + [(10, 8)]:
        replay.standard_normal(shape, dtype=np.float32)
    assert rng.standard_normal() == replay.standard_normal()


def test_a_propagator_checks_its_arguments_like_signal_propagation():
    propagator = diagnostics.SignalPropagator()
    with pytest.raises(ValueError, match="depth must be a positive integer"):
        propagator("tanh", depth=0)
    with pytest.raises(ValueError, match="init must be"):
        propagator("tanh", init="normal")
    with pytest.raises(KeyError, match="tanhh"):
        propagator("tanhh")

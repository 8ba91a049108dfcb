"""Notebook 05's experiment code and exercise checks."""

import numpy as np
import pytest

import acts
from acts import check, data, nn
from acts.exercises import ex05_learnable as ex
from acts.experiments import learnable


def test_central_difference_matches_prelu_param_grad():
    x = np.array([-2.0, -0.5, 1.5])
    fd = learnable.central_difference(lambda a: acts.prelu(x, alpha=a), 0.25)
    assert np.allclose(fd, acts.get("prelu").param_grads(x, alpha=0.25)["alpha"], atol=1e-8)


def test_parameter_counts_of_real_layers():
    assert learnable.count_parameters(learnable.dense_layer(256, 256)) == 256 * 256 + 256
    assert learnable.count_parameters(learnable.maxout_layer(256, 256, 4)) == 4 * (256 * 256 + 256)
    assert learnable.extra_parameters("prelu") == 2
    assert learnable.extra_parameters("prelu", per_unit=True) == 32
    assert learnable.extra_parameters("maxout", k=2) == 2 * 16 + 16 + 16 * 16 + 16


def test_matched_width_counts_by_hand():
    # plain 2-24-24-3: (2*24 + 24) + (24*24 + 24) + (24*3 + 3) = 747
    plain = 2 * 24 + 24 + 24 * 24 + 24 + 24 * 3 + 3
    gated = lambda h: 2 * (2 * h + h) + 2 * (h * h + h) + h * 3 + 3  # noqa: E731  (two matrices per gated layer)
    h = learnable.matched_width("swiglu", width=24)
    assert abs(gated(h) - plain) <= min(abs(gated(h + 1) - plain), abs(gated(h - 1) - plain))
    assert learnable.count_parameters(nn.MLP([2, h, h, 3], layer="swiglu")) == gated(h)


def test_maxout_fits_abs_exactly_with_two_pieces():
    _, mse, pieces = learnable.maxout_fit("abs", 2, steps=200, lr=0.15)
    assert mse < 1e-8 and pieces == [2]


def test_maxout_fit_of_square_improves_with_more_pieces():
    assert learnable.maxout_fit("square", 5)[1] < learnable.maxout_fit("square", 2)[1]


def test_two_maxout_units_fit_a_sine_one_cannot():
    one = learnable.maxout_fit("sine", 4, units=1)[1]
    net, two, pieces = learnable.maxout_fit("sine", 4, units=2)
    assert two < one / 5 and len(pieces) == 2
    X, _ = data.regression("sine", n=200)
    parts = learnable.maxout_parts(net, X)
    bias = net.parameters()["layer2.bias"][0]
    assert np.allclose(parts.sum(axis=1) + bias, net.predict(X))
    w = net.parameters()["layer2.weight"][:, 0]
    assert w[0] * w[1] < 0  # a convex part minus a convex part
    for j in range(2):  # each unit's own output is convex: second differences >= 0
        unit = parts[:, j] / w[j]
        assert np.all(np.diff(unit, 2) >= -1e-9)


def test_maxout_layer_signature():
    layer = nn.Maxout(3, 2, 5, rng=0)
    assert layer.weight.shape == (5, 3, 2) and layer.bias.shape == (5, 2)


def test_maxout_winners_and_usage_by_hand():
    net = nn.MLP([1, 2, 1], activation="maxout", k=3, seed=0)
    p = net.parameters()
    p["layer1.weight"][...] = np.array([[[1.0, 1.0]], [[-1.0, 1.0]], [[0.0, 1.0]]])  # unit 2: three equal lines
    p["layer1.bias"][...] = np.array([[0.0, 0.0], [0.0, -1.0], [-5.0, -2.0]])
    X = np.linspace(-2, 2, 41)[:, None]
    win = learnable.maxout_winners(net.layers[0], X)
    assert set(win[:, 0]) == {0, 1} and set(win[:, 1]) == {0}
    usage = learnable.maxout_usage(net, X)[0]
    assert usage["idle pieces"] == pytest.approx(3 / 6)  # unit 1 never uses piece 3; unit 2 uses only piece 1
    assert usage["linear units"] == pytest.approx(1 / 2)


def test_dead_units_measured_from_gradients():
    X, y = data.spirals(90, seed=0)
    net = nn.MLP([2, 4, 3], activation="relu", seed=0)
    net.parameters()["layer1.bias"][:2] = -100.0  # two units that never fire
    assert learnable.dead_units(net, X, y).tolist() == [0.5]
    maxout = nn.MLP([2, 4, 3], activation="maxout", seed=0)
    assert learnable.dead_units(maxout, X, y).tolist() == [0.0]


def test_dead_units_with_learned_activation_parameters():
    # review r0405 finding 5: per-layer alpha and beta have no unit axis; they are not a unit's weights
    X, y, _, _ = learnable.spirals_per_seed((0, 1), 60)
    for spec in ({"activation": "prelu"}, {"activation": "swish"}, {"activation": "prelu", "per_unit": True},
                 {"activation": "leaky_relu"}, {"layer": "swiglu"}):
        net = nn.MLP([2, 4, 4, 3], seed=[0, 1], **spec)
        assert learnable.dead_units(net, X, y).shape == (2, 2), spec
    # a ReLU unit that never fires is dead; the same unit with a leak (PReLU, alpha = 0.25) is not
    Xs, ys = data.spirals(90, seed=0)
    for act, dead in (("relu", 0.5), ("prelu", 0.0)):
        net = nn.MLP([2, 4, 3], activation=act, seed=0)
        net.parameters()["layer1.bias"][:2] = -100.0
        assert learnable.dead_units(net, Xs, ys).tolist() == [dead], act


def test_best_convex_fit_by_brute_force_and_bounds():
    # k = 2: one join; a dense scan of the join (least squares for each) is the exact answer on this grid
    X, y = data.regression("square", n=200)
    x = X[:, 0]
    scan = []
    for t in np.linspace(-2.9, 2.9, 2321):
        A = np.column_stack([np.ones_like(x), x, np.maximum(x - t, 0.0)])
        coef = np.linalg.lstsq(A, y, rcond=None)[0]
        if coef[2] >= 0:
            scan.append(np.mean((A @ coef - y) ** 2))
    assert learnable.best_convex_fit("square", 2) == pytest.approx(min(scan), rel=1e-6)
    best = [learnable.best_convex_fit("square", k) for k in (2, 3, 4, 5)]
    assert all(b > c for b, c in zip(best, best[1:]))  # more pieces, smaller error
    for k, b in zip((2, 3, 4, 5), best):  # a trained unit of k pieces is one such function: never better
        assert b <= learnable.maxout_fit("square", k, steps=200, lr=0.15)[1] + 1e-9
    assert learnable.best_convex_fit("abs", 2) < 1e-20
    with pytest.raises(ValueError, match="k must be"):
        learnable.best_convex_fit("square", 0)


def test_versus_prints_bounds_with_four_decimals():
    st = learnable.SeedStudy(("ReLU", "B"), (0, 1, 2), {"ReLU": np.array([0.9, 0.9, 0.9]),
                                                       "B": np.array([0.9001, 0.9004, 0.9002])}, {}, {}, {})
    _, low, high = st.paired("B")
    assert f"[{low:+.4f}, {high:+.4f}]" in st.versus("B")  # review r0405 finding 2: -0.00035 is not "-0.000"
    assert abs(low) < 0.0005 and f"{low:+.4f}" not in ("+0.0000", "-0.0000")


def test_seed_study_small_and_paired():
    variants = {"ReLU": {"activation": "relu"}, "PReLU, alpha >= 0": {"activation": "prelu", "clamp": 0.0},
                "PReLU": {"activation": "prelu"}}
    st = learnable.seed_study(variants, seeds=(0, 1, 2), steps=30, n=60)
    assert st.seeds == (0, 1, 2) and set(st.test_acc) == set(variants)
    assert all(v.shape == (3,) for v in st.test_acc.values())
    assert all(np.all(a >= 0) for a in st.learned["PReLU, alpha >= 0"].values())
    assert st.n_params["PReLU"] == st.n_params["ReLU"] + 2
    mean, low, high = st.paired("PReLU")
    assert low <= mean <= high and mean == pytest.approx(np.mean(st.test_acc["PReLU"] - st.test_acc["ReLU"]))
    assert "beats ReLU on" in st.versus("PReLU")
    # a batched seed is the net of that seed alone
    X, y, Xt, yt = learnable.spirals_per_seed((1,), 60)
    alone = nn.MLP([2, 16, 16, 3], activation="relu", seed=1)
    nn.train(alone, X[0], y[0], steps=30, lr=0.03)
    assert nn.accuracy(alone, Xt[0], yt[0]) == pytest.approx(st.test_acc["ReLU"][1])


def test_gated_variants_are_parameter_matched():
    counts = {name: learnable.count_parameters(nn.MLP([2, spec["width"], spec["width"], 3],
                                                      **{k: v for k, v in spec.items() if k != "width"}))
              for name, spec in learnable.GATED.items()}
    plain = counts["ReLU MLP"]
    assert all(abs(c - plain) / plain < 0.05 for c in counts.values())


@pytest.mark.parametrize(
    ("fn", "right", "wrong"),
    [
        (ex.prelu_alpha_grad, -2, 0.25),
        (ex.swish_beta_zero, "x/2", "relu"),
        (ex.swish_beta_zero, "x / 2", "ReLU(x)"),
        (ex.swish_beta_zero, "0.5x", "2x"),
        (ex.maxout_parameters, 3 * (100 * 50 + 50), 100 * 50 + 50),
    ],
)
def test_exercise_checks(fn, right, wrong, capsys):
    assert fn(right).status == check.CORRECT
    assert fn(wrong).status == check.WRONG
    assert fn(...).status == check.NOT_ATTEMPTED
    assert "not attempted yet" in capsys.readouterr().out.lower()


def test_whole_number_answer_does_not_say_close(capsys):
    # review r0405 finding 12: "-2.4 is close, but the answer is a whole number" gave the answer away
    assert ex.prelu_alpha_grad(-2.4).status == check.WRONG
    out = capsys.readouterr().out
    assert "whole number" in out and "close" not in out

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
    assert usage["counts"] == (3, 6, 1, 2)


def test_maxout_usage_k2_idle_pieces_equal_linear_units():
    """Review 4 finding 4: with k = 2 an idle piece and a linear unit are one event (equal counts)."""
    X, _ = data.spirals(120, seed=3)
    net = nn.MLP([2, 16, 16, 3], activation="maxout", k=2, seed=[0, 1, 2])
    for u in learnable.maxout_usage(net, X):
        idle, pieces, linear, units = u["counts"]
        assert idle == linear and pieces == 2 * units == 2 * 3 * 16
        assert u["idle pieces"] == pytest.approx(idle / pieces) and u["linear units"] == pytest.approx(linear / units)


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
    assert "vs ReLU: " in st.versus("PReLU") and "loss" in st.versus("PReLU")
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


def test_corrected_is_the_bakeoffs_bonferroni_and_matches_scipy():
    """Review 4 findings 1-2: m comparisons, each at 1 - 0.05 / m, checked against scipy's t interval."""
    from scipy import stats as sps

    rng = np.random.default_rng(4)
    base = rng.uniform(0.85, 0.95, 8)
    acc = {"ReLU": base, "A": base - 0.012 + rng.normal(0, 0.004, 8), "B": base - 0.006 + rng.normal(0, 0.006, 8),
           "C": base + rng.normal(0, 0.01, 8)}
    st = learnable.SeedStudy(tuple(acc), tuple(range(8)), acc, {}, {}, {})
    lines = st.corrected()
    assert lines[0] == "all 3 intervals against ReLU widened to 98.33% (Bonferroni):"
    for name, line in zip(("A", "B", "C"), lines[1:], strict=True):
        d = acc[name] - acc["ReLU"]
        ci = sps.ttest_1samp(d, 0.0).confidence_interval(1 - 0.05 / 3)
        assert f"[{ci.low:+.4f}, {ci.high:+.4f}]" in line
        first = "tie" if st.paired(name)[1] <= 0 <= st.paired(name)[2] else "firm"
        now = "tie" if ci.low <= 0 <= ci.high else "firm"
        assert ("survives" in line) == (first == now == "firm")
        assert ("does not survive" in line) == (first == "firm" and now == "tie")
    assert any("does not survive" in x for x in lines) or any("survives" in x for x in lines)


def test_study_states_its_test_set_and_marks_borderline_verdicts():
    """Review 4 finding 5: the held-out size is printed; a bound within 1/300 of 0 is called borderline."""
    acc = {"ReLU": np.full(4, 0.9), "B": 0.9 - np.array([0.01, 0.012, 0.008, 0.01])}
    st = learnable.SeedStudy(tuple(acc), (0, 1, 2, 3), acc, {}, {}, {})
    assert st.held_out == "test set: 300 points per seed (1 point = 0.0033 of accuracy)"
    _, low, high = st.paired("B")
    assert 1 / 300 < -high < 1 / 60
    assert st.versus("B").endswith(": worse than ReLU")  # misses 0 by more than one point of 300
    st60 = learnable.SeedStudy(tuple(acc), (0, 1, 2, 3), acc, {}, {}, {}, test_size=60)
    assert "borderline" in st60.versus("B") and "1 point = 0.0167" in st60.held_out  # by less than one of 60


def test_versus_prints_wins_ties_and_losses():
    """Review 5 finding 4: "beats ReLU on 1 of 8" hid 2 ties; the line prints all three counts."""
    acc = {"ReLU": np.array([0.9, 0.9, 0.9, 0.9]), "B": np.array([0.91, 0.9, 0.9, 0.89])}
    st = learnable.SeedStudy(tuple(acc), (0, 1, 2, 3), acc, {}, {}, {})
    assert "vs ReLU: 1 win, 2 ties, 1 loss;" in st.versus("B")


def test_corrected_lines_mark_borderline_bounds():
    """Review 5 finding 1: a corrected bound within one test point of 0 is marked borderline, as at 95%."""
    from scipy import stats as sps

    base = np.full(8, 0.93)
    d = np.array([-3, -6, -7, -5, -2, -4, -3, 1]) / 300  # review 5's PReLU - ReLU, in test points
    rng = np.random.default_rng(0)
    acc = {"ReLU": base, "PReLU": base + d, **{f"X{i}": base + rng.normal(0, 0.01, 8) for i in range(4)}}
    st = learnable.SeedStudy(tuple(acc), tuple(range(8)), acc, {}, {}, {})
    line = next(x for x in st.corrected() if "PReLU" in x)
    ci = sps.ttest_1samp(d, 0.0).confidence_interval(0.99)
    assert -1 / 300 < ci.high < 0 and f"[{ci.low:+.4f}, {ci.high:+.4f}]" in line
    assert line.endswith("worse than ReLU (borderline: a bound within one test point of 0); the 95% verdict survives")


def test_best_convex_fit_of_a_non_convex_target_is_finite_and_bounds_one_unit():
    """Review 5 finding 9: the sine gave inf; now a convex (or concave) fit by non-negative least squares."""
    convex, concave = learnable.best_convex_fit("sine", 4), learnable.best_convex_fit("sine", 4, shape="concave")
    either = learnable.best_convex_fit("sine", 4, shape="either")
    assert np.isfinite(convex) and np.isfinite(concave) and either == min(convex, concave)
    assert either == pytest.approx(0.1176, abs=2e-4)  # review 5's own brute-force NNLS fit: 0.1176
    assert either <= learnable.maxout_fit("sine", k=4, units=1)[1] + 1e-9  # a trained unit never beats it
    X, y = data.regression("sine", n=200)
    line = np.polyfit(X[:, 0], y.ravel(), 1)
    assert either <= np.mean((np.polyval(line, X[:, 0]) - y.ravel()) ** 2)  # a line is one such fit
    with pytest.raises(ValueError, match="shape must be"):
        learnable.best_convex_fit("sine", 4, shape="wavy")

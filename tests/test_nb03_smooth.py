"""Notebook 03's plumbing: acts.experiments.smooth and acts.exercises.ex03_smooth.

The race must reproduce single networks trained alone with ``nn.train``; the
interval is compared with scipy's own t-interval; every exercise check says
"correct" to a right answer rounded as its question asks, "not yet" to a
wrong one, "not attempted yet" to a stub, and never raises.
"""

import math

import numpy as np
import pytest
from scipy import special, stats

import acts
from acts import check, nn
from acts.exercises import ex03_smooth as ex
from acts.experiments import smooth

# ---------------------------------------------------------------- data


def test_race_data_draws_three_fresh_sets_per_seed():
    sets = smooth.race_data(0, n_train=50, n_val=40, n_test=30)
    assert [X.shape for X, _ in sets] == [(50, 2), (40, 2), (30, 2)]
    assert all(set(np.unique(y)) <= {0, 1, 2} for _, y in sets)
    other = smooth.race_data(1, n_train=50, n_val=40, n_test=30)
    assert not np.allclose(sets[0][0], other[0][0])  # the seed varies the data
    again = smooth.race_data(0, n_train=50, n_val=40, n_test=30)
    np.testing.assert_array_equal(sets[2][0], again[2][0])


# ---------------------------------------------------------------- the race


@pytest.fixture(scope="module")
def small_race():
    return smooth.race(["relu", "gelu"], seeds=(0, 1, 2), lrs=(0.03, 0.1), steps=8, sizes=(2, 6, 3), n_train=40)


def test_race_members_match_single_networks(small_race):
    r = small_race
    assert r.val.shape == r.test.shape == (2, 2, 3)
    for k, name in enumerate(r.names):
        for j, lr in enumerate(r.lrs):
            for s, seed in enumerate(r.seeds):
                (X, y), (X_val, y_val), (X_test, y_test) = smooth.race_data(seed, n_train=40)
                net = nn.MLP([2, 6, 3], name, seed=seed, learn_activation=False)
                nn.train(net, X, y, steps=8, lr=lr)
                assert r.val[k, j, s] == pytest.approx(np.mean(np.argmax(net(X_val), axis=1) == y_val))
                assert r.test[k, j, s] == pytest.approx(np.mean(np.argmax(net(X_test), axis=1) == y_test))


def test_race_picks_each_learning_rate_on_validation_and_scores_on_test(small_race):
    r = small_race
    for k, name in enumerate(r.names):
        j = int(np.argmax(r.val[k].mean(axis=1)))
        assert r.chosen[k] == j and r.chosen_lr(name) == r.lrs[j]
        np.testing.assert_array_equal(r.scores()[k], r.test[k, j])


def test_race_keeps_swish_beta_fixed_and_reports_progress():
    calls = []
    r = smooth.race(["swish"], seeds=(0, 1), lrs=(0.03,), steps=3, sizes=(2, 4, 3), n_train=30,
                    progress=lambda done, total: calls.append((done, total)))
    net = nn.MLP([2, 4, 3], "swish", seed=0, learn_activation=False)
    assert not net.parameters("activation")
    (X, y), _, (X_test, y_test) = smooth.race_data(0, n_train=30)
    nn.train(net, X, y, steps=3, lr=0.03)
    assert r.test[0, 0, 0] == pytest.approx(np.mean(np.argmax(net(X_test), axis=1) == y_test))
    assert calls == [(1, 1)]


# ---------------------------------------------------------------- paired differences


def test_interval_matches_scipy():
    d = np.array([0.02, -0.01, 0.03, 0.0, 0.05, 0.01])
    mean, low, high = smooth.interval(d)
    want = stats.t.interval(0.95, d.size - 1, loc=d.mean(), scale=stats.sem(d))
    assert mean == pytest.approx(d.mean())
    assert (low, high) == pytest.approx(want, rel=1e-12)
    assert smooth.interval(d, 0.9)[2] < high
    for bad in ([1.0], np.zeros((2, 2))):
        with pytest.raises(ValueError, match="1-d array of at least 2"):
            smooth.interval(bad)
    with pytest.raises(ValueError, match="level"):
        smooth.interval(d, 1.5)


def test_verdicts_read_from_the_interval():
    assert smooth.verdict(0.01, 0.03) == "better than relu"
    assert smooth.verdict(-0.03, -0.01) == "worse than relu"
    assert smooth.verdict(-0.01, 0.02) == "no clear difference"


def test_paired_differences_by_hand():
    r = smooth.Race(names=["relu", "mish", "softplus"], seeds=(0, 1, 2, 3), lrs=(0.1,), steps=1,
                    val=np.zeros((3, 1, 4)),
                    test=np.array([[[0.80, 0.82, 0.78, 0.81]], [[0.83, 0.83, 0.80, 0.84]], [[0.5, 0.6, 0.55, 0.5]]]),
                    chosen=[0, 0, 0])
    rows = {row["name"]: row for row in smooth.paired_differences(r)}
    assert set(rows) == {"mish", "softplus"}
    d = np.array([0.03, 0.01, 0.02, 0.03])
    assert rows["mish"]["mean"] == pytest.approx(d.mean())
    half = stats.t.ppf(0.975, 3) * d.std(ddof=1) / 2
    assert rows["mish"]["low"] == pytest.approx(d.mean() - half)
    assert rows["mish"]["verdict"] == "better than relu" and rows["softplus"]["verdict"] == "worse than relu"
    table = smooth.race_table(r)
    assert "(baseline)" in table and "better than relu" in table and "[" in table


def test_holm_by_hand():
    # three comparisons; p-values from scipy's paired t-test, Holm's step-down done by hand
    base = np.array([0.80, 0.82, 0.78, 0.81, 0.79])
    others = {"swish": base + [0.03, 0.01, 0.02, 0.03, 0.02], "mish": base + [0.01, -0.01, 0.02, 0.0, 0.01],
              "gelu": base + [0.02, 0.02, 0.03, 0.01, 0.02]}
    r = smooth.Race(names=["relu", *others], seeds=tuple(range(5)), lrs=(0.1,), steps=1, val=np.zeros((4, 1, 5)),
                    test=np.stack([base, *others.values()])[:, None, :], chosen=[0, 0, 0, 0])
    p = {n: stats.ttest_rel(v, base).pvalue for n, v in others.items()}
    # Holm by hand (C-13: literals, not a second copy of the step-down): p = gelu 0.0031982, swish 0.0041811,
    # mish 0.30456; gelu x 3 = 0.0095946; swish x 2 = 0.0083621, raised to 0.0095946 by the running maximum;
    # mish x 1 = 0.30456
    want = {"gelu": 0.0095946064570059, "swish": 0.0095946064570059, "mish": 0.3045587846805348}
    rows = {row["name"]: row for row in smooth.holm(r)}
    assert set(rows) == set(others)
    for name in others:
        assert rows[name]["p"] == pytest.approx(p[name], rel=1e-9)
        assert rows[name]["holm"] == pytest.approx(want[name], rel=1e-9)
    assert rows["mish"]["holm"] > 0.05 > min(row["p"] for row in rows.values())  # a test that can fail both ways


def test_holm_with_the_rank_test():
    # review r0203 finding 2: the Wilcoxon signed-rank p-values come from scipy, Holm's step-down by hand
    rng = np.random.default_rng(3)
    base = rng.random(10)
    others = {f"n{i}": base + rng.normal(0.01 * i, 0.02, 10) for i in range(3)}
    r = smooth.Race(names=["relu", *others], seeds=tuple(range(10)), lrs=(0.1,), steps=1, val=np.zeros((4, 1, 10)),
                    test=np.stack([base, *others.values()])[:, None, :], chosen=[0] * 4)
    p = {n: stats.wilcoxon(v - base).pvalue for n, v in others.items()}
    # exact Wilcoxon p-values n1 1/256, n2 27/256, n0 96/256; Holm by hand: n1 x 3, n2 x 2, n0 x 1 (already rising)
    assert p == pytest.approx({"n1": 1 / 256, "n2": 27 / 256, "n0": 96 / 256})
    want = {"n1": 3 / 256, "n2": 54 / 256, "n0": 96 / 256}
    rows = {row["name"]: row for row in smooth.holm(r, test="wilcoxon")}
    for name in others:
        assert rows[name]["p"] == pytest.approx(p[name], rel=1e-9)
        assert rows[name]["holm"] == pytest.approx(want[name], rel=1e-9)
    assert {row["name"]: row["p"] for row in smooth.holm(r)} != {n: rows[n]["p"] for n in rows}  # not the t-test
    with pytest.raises(ValueError, match="test must be one of"):
        smooth.holm(r, test="sign")


def test_holm_keeps_the_adjusted_p_values_ordered_and_capped():
    rng = np.random.default_rng(1)
    base = rng.random(6)
    names = [f"n{i}" for i in range(4)]
    test = np.stack([base] + [base + rng.normal(0.01 * i, 0.02, 6) for i in range(4)])[:, None, :]
    r = smooth.Race(names=["relu", *names], seeds=tuple(range(6)), lrs=(0.1,), steps=1, val=np.zeros((5, 1, 6)),
                    test=test, chosen=[0] * 5)
    rows = sorted(smooth.holm(r), key=lambda row: row["p"])
    adjusted = [row["holm"] for row in rows]
    assert adjusted == sorted(adjusted) and max(adjusted) <= 1.0
    assert all(row["holm"] >= row["p"] for row in rows)


# ---------------------------------------------------------------- memory


def test_peak_memory_counts_outputs_and_temporaries():
    x = np.zeros(100_000)
    assert smooth.peak_memory(lambda v: v.copy(), x) == pytest.approx(1.0, abs=0.05)
    assert smooth.peak_memory(lambda v: (v + 1.0) * (v + 2.0), x) == pytest.approx(2.0, abs=0.1)


def test_mish_in_place_is_mish_and_allocates_only_its_output():
    x = np.random.default_rng(0).normal(0.0, 3.0, 100_000)
    reference = x * np.tanh(np.log1p(np.exp(np.minimum(x, 30.0))) + np.where(x > 30.0, x - 30.0, 0.0))
    np.testing.assert_allclose(smooth.mish_in_place(x), reference, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(smooth.mish_in_place(x), acts.mish(x), rtol=1e-12, atol=1e-15)
    assert smooth.peak_memory(smooth.mish_in_place, x) == pytest.approx(1.0, abs=0.05)
    assert smooth.peak_memory(lambda v: v * np.tanh(np.logaddexp(v, 0.0)), x) == pytest.approx(2.0, abs=0.1)


# ---------------------------------------------------------------- exercises

SWISH_MIN_BETA2 = -(1 + special.lambertw(1 / math.e).real) / 2  # closed form, halved by beta = 2
HALF_WIDTH = stats.t.ppf(0.975, 9) * np.std(ex.RACE_DIFFS, ddof=1) / math.sqrt(10)

RIGHT_AND_WRONG = [
    (ex.swish_min_at, float(f"{SWISH_MIN_BETA2:.3g}"), -1.27846454276),
    (ex.mish_from_softplus, lambda x: x * np.tanh(acts.softplus(x)), lambda x: x * np.tanh(x)),
    (ex.softplus_gap, float(f"{math.log(2) / 4:.3g}"), math.log(2)),
    (ex.interval_half_width, float(f"{HALF_WIDTH:.2g}"), 0.02),
]


@pytest.mark.parametrize("check_fn, right, wrong", RIGHT_AND_WRONG, ids=[c[0].__name__ for c in RIGHT_AND_WRONG])
def test_exercise_verdicts(check_fn, right, wrong, assert_verdicts):
    assert_verdicts(check_fn, right, wrong)


def test_rounded_answers_from_the_solutions_are_accepted():
    assert ex.swish_min_at(-0.639).status == check.CORRECT
    assert ex.softplus_gap(0.173).status == check.CORRECT  # the old check rejected this (L-24)
    assert ex.softplus_gap(0.1733).status == check.CORRECT
    assert ex.interval_half_width(0.013).status == check.CORRECT
    assert ex.interval_half_width(0.012).status == check.WRONG
    assert ex.softplus_gap(0.17).status == check.WRONG  # the question asks for 3 significant digits


def test_mish_check_refuses_acts_mish():
    def shortcut(x):
        return acts.mish(x)

    assert ex.mish_from_softplus(shortcut).status == check.WRONG


@pytest.mark.parametrize("check_fn", [c[0] for c in RIGHT_AND_WRONG], ids=[c[0].__name__ for c in RIGHT_AND_WRONG])
def test_exercises_never_raise(check_fn, assert_never_raises):
    assert_never_raises(check_fn)


def test_wrong_answers_do_not_reveal_the_number(capsys):
    ex.swish_min_at(0.0)
    ex.softplus_gap(1.0)
    out = capsys.readouterr().out
    assert "0.639" not in out and "0.173" not in out


def test_rank_test_ties_differences_equal_in_exact_arithmetic():
    """Accuracies over one test set differ by whole counts: 0.3 - 0.2 and 0.2 - 0.1 are both one tenth and must
    tie in the ranks, although their floating-point differences are 0.09999999999999998 and 0.1."""
    base = np.array([0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.2, 0.5, 0.1])
    tenths = np.array([1, 1, 2, -1, 1, 3, 1, -2, 2, 1])  # the differences, in tenths, exactly
    other = np.round(base + tenths / 10, 1)  # the other accuracies, as a count over ten would give them
    assert len(set(other - base)) > len(set(tenths))  # the float subtraction breaks ties that exist exactly
    r = smooth.Race(names=["relu", "gelu"], seeds=tuple(range(10)), lrs=(0.1,), steps=1, val=np.zeros((2, 1, 10)),
                    test=np.stack([base, other])[:, None, :], chosen=[0, 0])
    (row,) = smooth.holm(r, test="wilcoxon")
    assert row["p"] == pytest.approx(stats.wilcoxon(tenths / 10).pvalue, rel=1e-12)

"""Tests for notebook 04's quantisation experiments: acts.experiments.low_precision."""

import numpy as np
import pytest
from scipy import stats

import acts
from acts import data, nn
from acts.experiments import low_precision as lp
from acts.experiments import mobile_friendly as mf

# ---------------------------------------------------------------- statistics


def test_paired_interval_matches_scipy_t_test():
    d = np.array([0.01, -0.02, 0.03, 0.015, 0.0, 0.02, -0.005, 0.01])
    mean, low, high = lp.paired_interval(d)
    ci = stats.ttest_1samp(d, 0.0).confidence_interval(0.95)
    assert mean == pytest.approx(d.mean())
    assert (low, high) == pytest.approx((ci.low, ci.high), rel=1e-12)


def test_paired_interval_bad_input():
    with pytest.raises(ValueError, match="at least 2"):
        lp.paired_interval([0.1])
    with pytest.raises(ValueError, match="level"):
        lp.paired_interval([0.1, 0.2], level=1.5)


def test_verdict_words():
    assert lp.verdict(0.01, 0.02, "A", "B") == "A"
    assert lp.verdict(-0.02, -0.01, "A", "B") == "B"
    assert "contains 0" in lp.verdict(-0.01, 0.02, "A", "B")


def test_verdict_borderline_within_one_test_point():
    """Review 4 finding 6: a bound within one test point (1/300) of 0 is called borderline; a firm one is not."""
    point = 1 / 300
    assert lp.verdict(0.0002, 0.0258, "A", "B", point) == "A (borderline: a bound within one test point of 0)"
    assert lp.verdict(-0.0191, -0.0003, "A", "B", point).startswith("B (borderline")
    assert lp.verdict(0.0068, 0.0192, "A", "B", point) == "A"  # 0.0068 > 1/300
    assert lp.verdict(-0.0191, -0.0051, "A", "B", point) == "B"
    assert "contains 0" in lp.verdict(-0.0001, 0.02, "A", "B", point)  # a tie stays a tie
    assert lp.verdict(0.0002, 0.0258, "A", "B") == "A"  # no point given: no mark


def test_held_out_text():
    assert lp.held_out_text(300) == "test set: 300 points per seed (1 point = 0.0033 of accuracy)"


# ---------------------------------------------------------------- calibration and quantisation


def test_calibrate_rules():
    a = acts.relu(mf.long_tailed_preactivations(5000, seed=3))
    assert lp.calibrate(a, "max") == a.max()
    assert lp.calibrate(a, "percentile") == pytest.approx(np.percentile(a, lp.PERCENTILE))
    r = lp.calibrate(a, "mse", bits=4)
    assert 0 < r < a.max()  # 16 levels and a long tail: clipping some of it pays
    mse = lambda high: np.mean((mf.quantise(a, high, bits=4) - a) ** 2)  # noqa: E731
    assert all(mse(r) <= mse(c) + 1e-15 for c in np.linspace(0.5, a.max(), 97))
    r8 = lp.calibrate(a, "mse", bits=8)
    assert r < r8 == a.max()  # 256 levels: clipping no longer pays, the 8-bit range is the maximum (C-13)
    assert mse(r) < np.mean((mf.quantise(a, r8, bits=4) - a) ** 2)
    assert lp.calibrate(np.zeros(10), "mse") == 1.0
    with pytest.raises(ValueError, match="method must be one of"):
        lp.calibrate(a, "median")


def test_quantise_weights_symmetric_grid():
    w = np.random.default_rng(0).normal(size=(20, 30))
    q = lp.quantise_weights(w)
    scale = np.abs(w).max() / 127
    assert np.allclose(q / scale, np.round(q / scale))
    assert np.abs(q - w).max() <= scale / 2 + 1e-15
    assert len(np.unique(q)) <= 255


def test_hidden_activations_lead_to_the_logits():
    X, y = data.spirals(60, seed=1)
    net = nn.MLP([2, 8, 8, 3], activation="relu6", seed=1)
    hidden = lp.hidden_activations(net, X)
    assert len(hidden) == 2 and hidden[1].max() <= 6.0
    w, b = net.parameters()["layer3.weight"], net.parameters()["layer3.bias"]
    assert np.allclose(hidden[1] @ w + b, net(X))


def test_quantised_accuracy_fine_grid_keeps_accuracy():
    X, y = data.spirals(150, seed=2)
    net = nn.MLP([2, 16, 16, 3], activation="relu", seed=2)
    nn.train(net, X, y, steps=100, lr=0.03)
    fine = lp.quantised_accuracy(net, X, y, X, "max", bits=16)
    assert fine["float"] == nn.accuracy(net, X, y)
    assert abs(fine["quantised"] - fine["float"]) <= 1 / 150 + 1e-12
    assert len(fine["ranges"]) == 2
    coarse = lp.quantised_accuracy(net, X, y, X, "max", bits=2)
    assert coarse["quantised"] <= fine["float"]


def test_ptq_study_small():
    st = lp.ptq_study(seeds=(0, 1), steps=10, n=60, sizes=(2, 8, 8, 3))
    assert st.seeds == (0, 1) and st.bits == (8, 4)
    for act in ("relu", "relu6"):
        for m in lp.METHODS:
            for b in st.bits:
                assert st.drop(act, m, b).shape == (2,)
                assert np.allclose(st.drop(act, m, b), st.float_acc[act] - st.quant_acc[act, m, b])
                assert st.ranges[act, m, b].shape == (2, 2)
    assert np.all(st.ranges["relu6", "max", 8] <= 6.0)
    assert st.test_size == 60 == data.spirals(60, seed=1000)[1].size and st.point == pytest.approx(1 / 60)


# ---------------------------------------------------------------- lookup tables


def test_lut_int8_entries():
    s_x = 1 / 16
    s_y, z_y = mf.output_grid(s_x)
    table = lp.lut_int8("swish", s_x, s_y, z_y)
    assert table.dtype == np.int8 and table.shape == (256,)
    q = np.array([-128, -20, 0, 17, 127])
    x = s_x * q
    expected = np.floor(x / (1 + np.exp(-x)) / s_y + 0.5) + z_y  # swish written out
    assert table[q + 128].tolist() == np.clip(expected, -128, 127).astype(int).tolist()


def test_lut_report_errors_in_lsb():
    rep = lp.lut_report("swish", 8.0)
    assert rep["lut_lsb"] <= 0.5 + 1e-9 and rep["hard_swish_vs_own_lsb"] <= 0.5 + 1e-9
    gap = 0.142277619533  # max |hard_swish - swish| (reference/activation-facts.md), at x = +-3 on this grid
    assert abs(rep["hard_swish_lsb"] - gap / rep["s_y"]) <= 0.5 + 1e-9


# ---------------------------------------------------------------- number formats


def _decode_all(exponent_bits, mantissa_bits, ieee):
    """Every finite positive value of a tiny float format, by decoding each bit pattern."""
    bias = 2 ** (exponent_bits - 1) - 1
    values = []
    for e in range(2**exponent_bits):
        for m in range(2**mantissa_bits):
            if ieee and e == 2**exponent_bits - 1:
                continue  # inf and NaN
            if not ieee and e == 2**exponent_bits - 1 and m == 2**mantissa_bits - 1:
                continue  # E4M3's only NaN
            if e == 0:
                values.append(m / 2**mantissa_bits * 2.0 ** (1 - bias))
            else:
                values.append((1 + m / 2**mantissa_bits) * 2.0 ** (e - bias))
    return np.array([v for v in values if v > 0])


@pytest.mark.parametrize("spec", lp.FORMATS, ids=[s[0] for s in lp.FORMATS])
def test_float_format_matches_decoded_bit_patterns(spec):
    name, e, m, ieee = spec
    f = lp.float_format(name, e, m, ieee)
    if e + m <= 10 or name == "float16":
        values = _decode_all(e, m, ieee)
        assert f.max == values.max() and f.min_subnormal == values.min()
    assert f.epsilon == 2.0**-m


def test_float_format_against_numpy():
    for dtype, e, m in ((np.float16, 5, 10), (np.float32, 8, 23), (np.float64, 11, 52)):
        info, f = np.finfo(dtype), lp.float_format(str(dtype), e, m)
        assert (f.max, f.min_normal, f.min_subnormal, f.epsilon) == (
            float(info.max), float(info.tiny), float(info.smallest_subnormal), float(info.eps))
    bf16_max = np.array([0x7F7F0000], dtype=np.uint32).view(np.float32)[0]  # bfloat16's largest bit pattern
    assert lp.float_format("bfloat16", 8, 7).max == float(bf16_max)
    assert lp.float_format("e4m3", 4, 3, ieee=False).max == 448.0
    with pytest.raises(ValueError, match="exponent_bits"):
        lp.float_format("bad", 1, 3)


def test_float16_relative_error_grows_in_subnormals():
    tiny = float(np.finfo(np.float16).tiny)
    rel = lp.float16_relative_error([1.0, 3.0, 2 * tiny, 1e-6])
    assert rel[0] == 0 and rel[1] == 0 and rel[2] == 0
    step = 2.0**-24
    assert rel[3] == pytest.approx(abs(round(1e-6 / step) * step - 1e-6) / 1e-6)
    assert rel[3] > 0.01


def test_round_half_up_matches_integer_shift():
    v = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.4, -2.6])
    assert lp.round_half_up(v).tolist() == [-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 2.0, -3.0]
    ints = np.array([-20, -12, -4, 4, 12, 20])  # multiples of 8 / 2: exact halves after a shift by 3
    assert (mf.rounding_shift(ints, 3)).tolist() == lp.round_half_up(ints / 8).astype(int).tolist()


def test_record_counts_wins_ties_losses():
    """Review 5 finding 4: ties are counted, not hidden in "beats on k of n"."""
    assert lp.record([0.01, 0.0, -0.02, -0.01, 0.0]) == "1 win, 2 ties, 2 losses"
    assert lp.record([0.0]) == "0 wins, 1 tie, 0 losses"


def _ptq(drop_relu: dict, drop_relu6: dict, n_test=300):
    """A PTQStudy whose float accuracy is 0.9 and whose drops per (method, bits) are given."""
    seeds = len(next(iter(drop_relu.values())))
    keys = list(drop_relu)
    quant = {}
    for (m, b) in keys:
        quant["relu", m, b] = 0.9 - np.asarray(drop_relu[m, b])
        quant["relu6", m, b] = 0.9 - np.asarray(drop_relu6[m, b])
    return lp.PTQStudy(("relu", "relu6"), tuple(dict.fromkeys(m for m, _ in keys)), tuple(range(seeds)),
                       {"relu": np.full(seeds, 0.9), "relu6": np.full(seeds, 0.9)},
                       tuple(dict.fromkeys(b for _, b in keys)), quant, {}, n_test)


def test_ptq_corrected_is_bonferroni_over_all_comparisons_and_matches_scipy():
    """Review 5 finding 2: 04's comparisons get the same printed Bonferroni check as 05 (one implementation)."""
    rng = np.random.default_rng(5)
    keys = [(m, b) for b in (8, 4) for m in ("max", "mse")]
    d6 = {k: rng.uniform(0, 0.01, 10) for k in keys}
    shift = {("max", 8): 0.0, ("mse", 8): 0.0, ("max", 4): 0.012, ("mse", 4): 0.02}
    d = {k: d6[k] + shift[k] + rng.normal(0, 0.01, 10) for k in keys}
    st = _ptq(d, d6)
    lines = st.corrected()
    assert lines[0] == "all 4 intervals of ReLU - ReLU6 widened to 98.75% (Bonferroni):"
    assert len(lines) == 5
    for (m, b), line in zip([(m, b) for b in (8, 4) for m in ("max", "mse")], lines[1:], strict=True):
        diff = d[m, b] - d6[m, b]
        assert np.allclose(st.gaps().of(f"{b} bits, {m}"), diff)
        ci = stats.ttest_1samp(diff, 0.0).confidence_interval(1 - 0.05 / 4)
        assert line.strip().startswith(f"{b} bits, {m}") and f"[{ci.low:+.4f}, {ci.high:+.4f}]" in line
        first = stats.ttest_1samp(diff, 0.0).confidence_interval(0.95)
        was, now = first.low > 0 or first.high < 0, ci.low > 0 or ci.high < 0
        assert ("the 95% verdict survives" in line) == (was and now)
        assert ("does not survive" in line) == (was and not now)
        if now:
            assert "ReLU6 loses less" in line if ci.low > 0 else "ReLU loses less" in line
            assert ("borderline" in line) == (min(abs(ci.low), abs(ci.high)) < 1 / 300)


def test_corrected_marks_a_borderline_corrected_interval():
    """Review 5 finding 1: the one-test-point rule applies to the corrected lines too."""
    keys = [(m, b) for b in (8, 4) for m in ("max", "percentile", "mse")]
    diff = np.array([3, 6, 7, 5, 2, 4, 3, -1]) / 300  # review 5's PReLU differences, sign flipped
    lines = _ptq({k: diff for k in keys}, {k: np.zeros(8) for k in keys}).corrected()
    ci = stats.ttest_1samp(diff, 0.0).confidence_interval(1 - 0.05 / 6)
    assert 0 < ci.low < 1 / 300  # misses 0 by less than one test point
    assert lines[0] == "all 6 intervals of ReLU - ReLU6 widened to 99.17% (Bonferroni):"
    for line in lines[1:]:
        assert line.endswith("ReLU6 loses less (borderline: a bound within one test point of 0); "
                             "the 95% verdict survives")

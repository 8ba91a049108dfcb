"""Identities between activations and the key numbers the course states.

Expected values are derived here with mpmath or closed forms, never pasted.
"""

import mpmath as mp
import numpy as np
import pytest
from reference import REFERENCE, SELU_ALPHA, SELU_SCALE

import acts

X = np.linspace(-30, 30, 6001)


# ---------------------------------------------------------------- identities


def test_tanh_is_a_rescaled_sigmoid():
    np.testing.assert_allclose(acts.tanh(X), 2 * acts.sigmoid(2 * X) - 1, rtol=0, atol=4e-16)


def mp_values(f, x):
    return np.array([float(f(mp.mpf(float(v)))) for v in x])


def test_hard_swish_is_x_times_hard_sigmoid():
    """acts.hard_swish against x times the 50-digit hard-sigmoid (an independent definition of the identity)."""
    x = np.linspace(-6, 6, 1201)
    expected = mp_values(lambda t: t * REFERENCE["hard_sigmoid"](t), x)
    np.testing.assert_allclose(acts.hard_swish(x), expected, rtol=1e-15, atol=1e-300)


def test_hard_sigmoid_is_relu6_shifted():
    np.testing.assert_allclose(acts.hard_sigmoid(X), acts.relu6(X + 3) / 6, rtol=1e-15, atol=1e-16)


@pytest.mark.parametrize("beta", [10.0, 100.0, 1000.0])
def test_swish_with_large_beta_approaches_relu(beta):
    # |swish - relu| = |x| sigmoid(-beta |x|), whose maximum is W(1/e) / beta
    x = np.concatenate([X, np.linspace(-5 / beta, 5 / beta, 100001)])
    gap = np.max(np.abs(acts.swish(x, beta=beta) - acts.relu(x)))
    bound = float(mp.lambertw(1 / mp.e)) / beta
    assert gap <= bound * (1 + 1e-6)
    assert gap >= bound * 0.9  # the grid comes close to the worst point


def test_swish_with_zero_beta_is_half_x():
    np.testing.assert_allclose(acts.swish(X, beta=0.0), X / 2, rtol=1e-15, atol=0)


def test_softplus_derivative_is_sigmoid():
    x = X[::10]  # the derivative of softplus, from acts, against the 50-digit sigmoid
    np.testing.assert_allclose(acts.softplus.grad(x), mp_values(REFERENCE["sigmoid"], x), rtol=1e-15, atol=0)
    h = 1e-5  # and both agree with a central difference of softplus itself
    np.testing.assert_allclose((acts.softplus(X + h) - acts.softplus(X - h)) / (2 * h), acts.sigmoid(X),
                               rtol=1e-8, atol=1e-10)


def test_maxout_with_pieces_x_and_zero_is_relu():
    assert np.array_equal(acts.maxout(X, weights=(1, 0), biases=(0, 0)), acts.relu(X))
    assert np.array_equal(acts.maxout(X), acts.relu(X))
    away = X != 0  # at the tie x = 0 maxout's first piece wins (slope 1), relu's convention is 0
    assert np.array_equal(acts.maxout.grad(X)[away], acts.relu.grad(X)[away])


@pytest.mark.parametrize("alpha", [0.01, 0.25, -0.5])
def test_prelu_equals_leaky_relu_with_the_same_slope(alpha):
    x = X[::10]  # acts.prelu against the 50-digit leaky ReLU with that slope
    expected = mp_values(lambda t: REFERENCE["leaky_relu"](t, slope=mp.mpf(alpha)), x)
    np.testing.assert_allclose(acts.prelu(x, alpha=alpha), expected, rtol=1e-15, atol=0)


# ---------------------------------------------------------------- key numbers


def normal_expectation(f):
    """E[f(z)] for z ~ N(0, 1), f evaluated with acts: Gauss-Legendre on each side of the
    kink at 0 (one rule across the kink would converge slowly), tails beyond 12 are < 1e-30."""
    nodes, weights = np.polynomial.legendre.leggauss(200)
    total = 0.0
    for lo, hi in ((-12.0, 0.0), (0.0, 12.0)):
        z = (hi - lo) / 2 * nodes + (hi + lo) / 2
        total += (hi - lo) / 2 * np.sum(weights * f(z) * np.exp(-z * z / 2))
    return float(total / np.sqrt(2 * np.pi))


def mp_normal_expectation(f):
    return mp.quad(lambda z: f(z) * mp.npdf(z), [-mp.inf, 0, mp.inf])


def test_selu_fixed_point_mean_zero_variance_one():
    mean = normal_expectation(acts.selu)
    second = normal_expectation(lambda z: acts.selu(z) ** 2)
    assert abs(mean) < 1e-12 and abs(second - 1) < 1e-12
    # the same from the 50-digit reference, which pins the constants themselves
    assert abs(mp_normal_expectation(REFERENCE["selu"])) < 1e-12
    assert abs(mp_normal_expectation(lambda z: REFERENCE["selu"](z) ** 2) - 1) < 1e-12


def test_the_notes_selu_constants_are_not_a_fixed_point():
    notes = lambda z: acts.selu(z, scale=2.0, alpha=1.0)  # noqa: E731
    mean = normal_expectation(notes)
    var = normal_expectation(lambda z: notes(z) ** 2) - mean**2
    ref = lambda z: REFERENCE["selu"](z, scale=2, alpha=1)  # noqa: E731
    mp_mean = mp_normal_expectation(ref)
    mp_var = mp_normal_expectation(lambda z: ref(z) ** 2) - mp_mean**2
    assert mean == pytest.approx(float(mp_mean), abs=1e-12)
    assert var == pytest.approx(float(mp_var), abs=1e-12)
    assert mean > 0.3 and var > 2.4


def argmin_on_grid(f, lo, hi):
    """The minimum of f on [lo, hi]: a grid, then golden-section search around the best point."""
    x = np.linspace(lo, hi, 20001)
    i = int(np.argmin(f(x)))
    a, b = x[max(i - 1, 0)], x[min(i + 1, len(x) - 1)]
    g = (np.sqrt(5) - 1) / 2
    for _ in range(80):
        c, d = b - g * (b - a), a + g * (b - a)
        if f(c) < f(d):
            b = d
        else:
            a = c
    x_min = (a + b) / 2
    return x_min, float(f(x_min))


def test_swish_minimum_is_minus_lambert_w_of_one_over_e():
    x_min, f_min = argmin_on_grid(acts.swish, -5, 0)
    w = float(mp.lambertw(1 / mp.e))  # swish' = 0 <=> 1 + x + e^x = 0 <=> x = -1 - W(1/e)
    assert x_min == pytest.approx(-1 - w, abs=1e-4)
    assert f_min == pytest.approx(-w, abs=1e-12)


def test_mish_minimum_and_slope_at_zero():
    x_min, f_min = argmin_on_grid(acts.mish, -5, 0)
    root = mp.findroot(lambda x: mp.diff(REFERENCE["mish"], x), -1.2)
    assert x_min == pytest.approx(float(root), abs=1e-4)
    assert f_min == pytest.approx(float(REFERENCE["mish"](root)), abs=1e-12)
    assert float(acts.mish.grad(0.0)) == pytest.approx(0.6, abs=1e-15)  # tanh(ln 2) = 3/5


def test_gelu_minimum_and_tanh_approximation_error():
    x_min, f_min = argmin_on_grid(acts.gelu, -3, 0)
    root = mp.findroot(lambda x: mp.ncdf(x) + x * mp.npdf(x), -0.75)
    assert x_min == pytest.approx(float(root), abs=1e-4)
    assert f_min == pytest.approx(float(REFERENCE["gelu"](root)), abs=1e-12)
    x = np.linspace(-10, 10, 400001)
    err = np.max(np.abs(acts.gelu(x, approximate="tanh") - acts.gelu(x)))
    assert 4e-4 < err < 5e-4


@pytest.mark.parametrize("slope", [1 / 6, 0.2])
def test_hard_sigmoid_max_error_against_sigmoid(slope):
    x = np.linspace(-10, 10, 400001)
    err = np.abs(acts.hard_sigmoid(x, slope=slope) - acts.sigmoid(x))
    # the worst point: inside the linear part where sigmoid' = slope, or at a kink
    inner = mp.findroot(lambda t: mp.diff(REFERENCE["sigmoid"], t) - slope, 1.3)
    kink = mp.mpf(1) / (2 * slope)
    candidates = [t for t in (inner, kink) if t <= kink]
    exact = max(abs(REFERENCE["hard_sigmoid"](t, slope=slope) - REFERENCE["sigmoid"](t)) for t in candidates)
    assert np.max(err) == pytest.approx(float(exact), abs=1e-9)


def test_hard_swish_max_error_against_swish_and_its_minimum():
    x = np.linspace(-10, 10, 400001)
    err = np.abs(acts.hard_swish(x) - acts.swish(x))
    exact = abs(REFERENCE["hard_swish"](mp.mpf(3)) - REFERENCE["swish"](mp.mpf(3)))  # at the kinks +-3
    assert np.max(err) == pytest.approx(float(exact), abs=1e-12)
    assert abs(x[np.argmax(err)]) == pytest.approx(3, abs=1e-4)
    x_min, f_min = argmin_on_grid(acts.hard_swish, -3, 0)
    assert x_min == pytest.approx(-1.5, abs=1e-4) and f_min == pytest.approx(-0.375, abs=1e-12)


@pytest.mark.parametrize(("name", "eps"), [("sigmoid", 1e-3), ("tanh", 1e-3)])
def test_saturation_threshold(name, eps):
    """Where |f'| drops below eps: solved with mpmath, checked against acts on both sides."""
    root = float(mp.findroot(lambda t: mp.diff(REFERENCE[name], t) - eps, 5.0))
    act = acts.get(name)
    assert act.grad(root * (1 - 1e-9)) > eps > act.grad(root * (1 + 1e-9))
    assert act.grad(-root * (1 - 1e-9)) > eps > act.grad(-root * (1 + 1e-9))


def test_selu_is_scale_times_elu():
    """Against the 50-digit ELU: acts.selu(x, scale, alpha) = scale * elu(x, alpha)."""
    x = X[::10]
    expected = mp_values(lambda t: mp.mpf(2.0) * REFERENCE["elu"](t, alpha=mp.mpf(1.5)), x)
    np.testing.assert_allclose(acts.selu(x, scale=2.0, alpha=1.5), expected, rtol=1e-15, atol=0)


def test_selu_constants_match_reference():
    assert acts.selu.params["scale"].default == float(SELU_SCALE)
    assert acts.selu.params["alpha"].default == float(SELU_ALPHA)

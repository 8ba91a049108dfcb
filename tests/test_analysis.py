"""acts.analysis against independent sources: closed forms, mpmath, finite differences."""

import math

import mpmath as mp
import numpy as np
import pytest

import acts
from acts import analysis as A


@pytest.fixture(autouse=True)
def _thirty_digits():
    """mpmath at 30 digits for these tests only (a global setting would leak into other test files)."""
    with mp.workdps(30):
        yield


# --- saturation: the tails only ---------------------------------------------------------------------------


@pytest.mark.parametrize("eps", [1e-2, 1e-3, 1e-6])
def test_sigmoid_and_tanh_tails_match_closed_forms(eps):
    # sigmoid' = s(1 - s) = eps at s = (1 + sqrt(1 - 4 eps)) / 2; tanh' = 1 - t^2 = eps at t = sqrt(1 - eps)
    x_sig = float(2 * mp.atanh(mp.sqrt(1 - 4 * mp.mpf(eps))))
    x_tanh = float(mp.atanh(mp.sqrt(1 - mp.mpf(eps))))
    for name, x in (("sigmoid", x_sig), ("tanh", x_tanh)):
        (lo1, hi1, k1), (lo2, hi2, k2) = A.saturation_tails(name, eps)
        assert (lo1, k1, hi2, k2) == (-np.inf, "soft", np.inf, "soft")
        assert hi1 == pytest.approx(-x, rel=1e-8) and lo2 == pytest.approx(x, rel=1e-8)
        # the masks over points, against the closed form: soft where |x| >= x (grid points clear of the bound)
        grid = np.linspace(-12, 12, 2401)
        grid = grid[np.abs(np.abs(grid) - x) > 1e-6]
        hard, soft = A.saturation_regions(name, grid, eps)
        assert not hard.any() and np.array_equal(soft, np.abs(grid) > x), (name, eps)


def test_a_stationary_point_is_not_saturation():
    # Swish's minimum (x = -1.278...) and hard-swish's (x = -1.5) have f' = 0, yet only the left tails saturate
    for eps in (1e-3, 1e-2, 0.05):
        tails = A.saturation_tails("swish", eps)
        assert len(tails) == 1 and tails[0][0] == -np.inf and tails[0][1] < -3
    assert A.saturation_tails("hard_swish", 1e-2) == [(-np.inf, -3.0, "hard")]
    hard, soft = A.saturation_regions("hard_swish", np.array([-4.0, -1.5, -1.49, 0.0]), eps=1e-2)
    assert hard.tolist() == [True, False, False, False] and not soft.any()


def test_swish_left_tail_matches_mpmath():
    eps = 1e-3
    swish_grad = lambda x: 1 / (1 + mp.e ** -x) * (1 + x * (1 - 1 / (1 + mp.e ** -x)))  # noqa: E731
    exact = mp.findroot(lambda x: abs(swish_grad(x)) - eps, -9.0)
    (_lo, hi, kind), = A.saturation_tails("swish", eps)
    assert kind == "soft" and hi == pytest.approx(float(exact), rel=1e-8)


def test_hard_tails_end_at_the_kink_and_leaky_slopes_never_saturate():
    assert A.saturation_tails("relu") == [(-np.inf, 0.0, "hard")]
    assert A.saturation_tails("relu6", 0.5) == [(-np.inf, 0.0, "hard"), (6.0, np.inf, "hard")]
    # f' -> 0.01 at -inf, not 0: below eps = 0.1 everywhere on the left, still not saturation (Gulcehre et al.)
    assert A.saturation_tails("leaky_relu", 0.1) == []
    assert A.saturation_tails("sigmoid", 1.0) == [(-np.inf, np.inf, "soft")]  # eps above max f' = 1/4


def test_bounds_and_regions_agree_with_the_tails():
    x = np.linspace(-10, 10, 2001)
    for name in acts.names():
        tails = A.saturation_tails(name, 1e-2)
        hard, soft = A.saturation_regions(name, x, 1e-2)
        inside = np.zeros_like(hard)
        for lo, hi, _kind in tails:
            inside |= (x >= lo) & (x <= hi)
        g = acts.get(name).grad(x)
        assert np.array_equal(hard | soft, inside & (np.abs(g) < 1e-2)), name  # an end at a kink: as f' there
        assert np.all(np.abs(g[hard | soft]) < 1e-2), name
        assert np.all(g[hard] == 0), name
        for lo, hi, _kind in A.saturation_bounds(name, (-5, 5), 1e-2):
            assert -5 <= lo <= hi <= 5


def test_saturation_rejects_a_bad_eps():
    with pytest.raises(ValueError, match="eps"):
        A.saturation_tails("sigmoid", 0.0)


# --- key points ---------------------------------------------------------------------------------------------


def test_key_points_against_mpmath():
    swish = lambda x: x / (1 + mp.e ** -x)  # noqa: E731
    x_min = mp.findroot(lambda x: mp.diff(swish, x), -1.3)
    points = {p.kind: p for p in A.key_points("swish")}
    assert points["min f"].x == pytest.approx(float(x_min), abs=1e-8)
    assert points["min f"].y == pytest.approx(float(swish(x_min)), abs=1e-10)
    x_dmax = mp.findroot(lambda x: mp.diff(swish, x, 2), 2.4)
    assert points["max df"].x == pytest.approx(float(x_dmax), abs=1e-6)


def test_one_sided_limits_of_f_prime_at_a_kink_are_not_extrema():
    # hard-swish' jumps from 0 to -0.5 at x = -3: -0.5 is a one-sided limit, acts returns 0 there
    points = A.key_points("hard_swish", (-6, 6))
    assert [p.kind for p in points] == ["kink", "min f", "kink"]
    assert points[1].x == pytest.approx(-1.5, abs=1e-9)


def test_max_difference_names_the_pair_and_skips_kinks():
    x = np.linspace(-6, 6, 1201)
    value, at, pair = A.max_difference(["relu", "sigmoid", "hard_sigmoid"], x)
    assert pair == (0, 1) or pair == (0, 2)
    sig_hard = A.max_difference(["sigmoid", "hard_sigmoid"], x, derivative=True)
    assert sig_hard[1] not in (-3.0, 3.0)
    # closed form: |sigmoid'(x) - 1/6| inside (-3, 3) is largest just inside +-3, 1/6 - e^-3 / (1 + e^-3)^2
    assert sig_hard[0] == pytest.approx(1 / 6 - math.exp(-3) / (1 + math.exp(-3)) ** 2, rel=1e-2)


# --- Gaussian expectations ---------------------------------------------------------------------------------


def _mp_expectation(f, mean=0.0, std=1.0, breaks=()):
    pts = sorted({-mp.inf, *[mp.mpf(b) for b in breaks], mp.inf})
    density = lambda z: mp.exp(-((z - mean) / std) ** 2 / 2) / (std * mp.sqrt(2 * mp.pi))  # noqa: E731
    return float(mp.quad(lambda z: f(z) * density(z), pts))


MP_FUNCS = {
    "relu": (lambda z: max(z, 0), [0]),
    "elu": (lambda z: z if z > 0 else mp.expm1(z), [0]),
    "gelu": (lambda z: z * mp.ncdf(z), []),
    "softplus": (lambda z: mp.log1p(mp.e ** z), []),
    "tanh": (mp.tanh, []),
}


@pytest.mark.parametrize("name", sorted(MP_FUNCS))
@pytest.mark.parametrize("mean, std", [(0.0, 1.0), (0.5, 2.0), (-1.0, 0.3)])
def test_gaussian_expectation_matches_mpmath_quad(name, mean, std):
    f, breaks = MP_FUNCS[name]
    exact = _mp_expectation(f, mean, std, breaks)
    assert A.gaussian_expectation(name, mean, std) == pytest.approx(exact, rel=1e-12, abs=1e-14)


def test_gaussian_expectation_of_a_callable_selu_moments():
    scale, alpha = 1.0507009873554805, 1.6732632423543772
    selu = lambda z: scale * (z if z > 0 else alpha * mp.expm1(z))  # noqa: E731
    for k in (1, 2):
        exact = _mp_expectation(lambda z, k=k: selu(z) ** k, breaks=[0])
        got = A.gaussian_expectation(lambda z, k=k: acts.selu(z) ** k, breaks=[0.0])
        assert got == pytest.approx(exact, rel=1e-12, abs=1e-14)
    assert A.gaussian_expectation(lambda z: z**2) == pytest.approx(1.0, rel=1e-14)
    assert A.gaussian_expectation(np.cos, std=2.0) == pytest.approx(math.exp(-2.0), rel=1e-13)


def test_gaussian_expectation_errors_name_the_argument():
    with pytest.raises(ValueError, match="std"):
        A.gaussian_expectation("relu", std=0.0)
    with pytest.raises(TypeError, match="beta"):
        A.gaussian_expectation(np.tanh, beta=2.0)


# --- the property table -----------------------------------------------------------------------------------


def test_property_table_against_closed_forms():
    rows = {r["name"]: r for r in A.property_table()}
    assert set(rows) == set(acts.names())
    assert rows["sigmoid"]["range"] == "(0, 1)" and rows["sigmoid"]["saturation"] == "soft, both sides"
    assert rows["relu"]["saturation"] == "hard, left" and rows["relu"]["flat_left"]
    assert rows["relu6"]["saturation"] == "hard, both sides"
    assert rows["swish"]["saturation"] == "soft, left" and rows["swish"]["monotonic"].startswith("no")
    assert rows["leaky_relu"]["saturation"] == "none" and not rows["leaky_relu"]["flat_left"]
    assert rows["relu"]["mean"] == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-13)
    assert rows["tanh"]["zero_centred"] and not rows["relu"]["zero_centred"]
    assert rows["swish"]["min_at"] == pytest.approx(-1.2784645, abs=1e-6)
    assert rows["sigmoid"]["min_at"] is None and rows["elu"]["lower"] == -1.0
    assert rows["elu"]["smooth"].startswith("C¹") and rows["gelu"]["smooth"] == "yes"

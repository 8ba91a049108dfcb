"""Shared behaviour (COURSE.md): dtypes, scalars, warnings, NaN, infinities, kinks, low precision."""

import warnings

import mpmath as mp
import numpy as np
import pytest
from activation_cases import activation_param_sets
from reference import REFERENCE

import acts

DTYPES = [np.float16, np.float32, np.float64]
ALL = acts.names()


def awkward_inputs(dtype):
    """Every kind of finite value the dtype has, and +-inf, NaN, signed zeros."""
    info = np.finfo(dtype)
    values = [0.0, -0.0, float(info.tiny), -float(info.tiny), float(info.smallest_subnormal), 1e-10, -1e-10,
              1.0, -1.0, 3.0, -3.0, 6.0, 20.0, -20.0, 88.7, -88.7, 89.0, -89.0, 354.9, 709.8, -709.8, 710.0,
              -710.0, 745.2, -745.2, 1e10, -1e10, 1e154, -1e154, 1e300, -1e300,
              float(info.max), -float(info.max), np.inf, -np.inf, np.nan]
    values = [v for v in values if not np.isfinite(v) or abs(v) <= float(info.max)]
    return np.array(values, dtype=np.float64).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("name", ALL)
def test_no_warning_dtype_kept_nan_propagates(name, dtype, param_sets):
    act = acts.get(name)
    x = awkward_inputs(dtype)
    for params in param_sets(name):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            y, dy, pg = act(x, **params), act.grad(x, **params), act.param_grads(x, **params)
            both = act.value_and_grad(x, **params)
        for what, arr in [("value", y), ("grad", dy), *pg.items(), *zip(("fused value", "fused grad"), both)]:
            assert arr.dtype == dtype, f"{name}{params} {what}: {arr.dtype} != {dtype.__name__}"
            lead = arr if arr.shape == x.shape else arr[..., 0]
            assert np.isnan(lead[np.isnan(x)]).all(), f"{name}{params} {what}: NaN did not propagate"
            assert not np.isnan(lead[~np.isnan(x)]).any(), f"{name}{params} {what}: NaN from a non-NaN input"


@pytest.mark.parametrize("name", ALL)
def test_scalars_give_0d_and_integers_become_float64(name):
    act = acts.get(name)
    for x in (0, 1.5, -2, True, np.float32(1.5), np.float16(-1)):
        y = act(x)
        assert isinstance(y, np.ndarray) and y.shape == (), (x, y)
        assert act.grad(x).shape == ()
        expected = np.asarray(x).dtype if np.asarray(x).dtype.kind == "f" else np.float64
        assert y.dtype == expected
    assert act([[0, 1], [2, 3]]).dtype == np.float64
    assert act([[0, 1], [2, 3]]).shape == (2, 2)
    assert act(np.array([], dtype=np.float32)).shape == (0,)


def mp_limit(name, sign):
    """The mathematical limit at sign*inf, from the reference at +-1e60."""
    value = REFERENCE[name](mp.mpf(sign) * mp.mpf(10) ** 60)
    return float(value) if abs(value) < 1e50 else float(np.sign(float(value))) * np.inf


@pytest.mark.parametrize("name", ALL)
def test_limits_at_infinity(name):
    act = acts.get(name)
    for dtype in DTYPES:
        got = act(np.array([-np.inf, np.inf], dtype=dtype))
        for g, sign in zip(got, (-1, 1)):
            exact = mp_limit(name, sign)
            if np.isinf(exact):
                assert g == exact, (name, dtype, sign, g)
            else:
                assert abs(float(g) - exact) <= 1e-3 * abs(exact) + 1e-6, (name, dtype, sign, g, exact)
        # the slope at +-inf is the slope far out
        slopes = act.grad(np.array([-np.inf, np.inf]))
        far = act.grad(np.array([-1e300, 1e300]))
        np.testing.assert_allclose(slopes, far, rtol=1e-12, atol=1e-300)


# ---------------------------------------------------------------- kinks
# Each record declares its kinks and which one-sided derivative `grad` returns
# there (PyTorch's choice; facts file, "Value at a kink"). The expected value is
# that one-sided derivative of the 50-digit reference (mpmath.diff with a
# direction), never a second table.


def kink_cases():
    for name in ALL:
        for params in activation_param_sets(name):
            for k, side in acts.get(name).kink_sides(**params):
                yield pytest.param(name, params, k, side, id=f"{name}-{params}-{k:g}-{side}")


def one_sided(name, params, x, side, distance="1e-15"):
    """The reference's derivative at ``distance`` (1 + |x|) from x on one side.

    1e-15 finds the kink even where a float parameter moved the reference's kink by
    a rounding error (about 1e-16 |x|); 1e-40 gives the derivative of the piece that
    the float x itself lies on, to 40 digits."""
    with mp.workdps(60):  # its own precision: other test modules set mp.dps for themselves
        mparams = {k: (tuple(mp.mpf(v) for v in val) if isinstance(val, tuple) else mp.mpf(val))
                   for k, val in params.items()}
        step = mp.mpf(distance) * (1 + abs(x)) * (1 if side == "right" else -1)
        return +mp.diff(lambda t: REFERENCE[name](t, **mparams), mp.mpf(x) + step, h=abs(step) / 1000)


@pytest.mark.parametrize(("name", "kparams", "x", "side"), list(kink_cases()))
def test_derivative_at_a_kink_is_the_declared_side(name, kparams, x, side):
    act = acts.get(name)
    assert side in acts.registry.SIDES
    left, right = (one_sided(name, kparams, x, s) for s in ("left", "right"))
    assert abs(left - right) > 1e-6, f"{name}{kparams}: no kink at {x} (both sides {float(left)})"
    got = float(act.grad(x, **kparams))
    declared = pytest.approx(float(left if side == "left" else right), rel=1e-12, abs=1e-15)
    near_left, near_right = (one_sided(name, kparams, x, s, "1e-40") for s in ("left", "right"))
    if near_left != pytest.approx(near_right, rel=1e-12, abs=1e-15):  # x is exactly the reference's kink
        assert got == declared
    else:
        # the kink is not a float (maxout's 5/3): the float x lies on one piece, or its
        # pieces tie in float arithmetic and the declared side is taken
        assert got in (declared, pytest.approx(float(near_left), rel=1e-12, abs=1e-15))


# PyTorch 2.13's derivatives at the kinks (facts file): a check of the declared sides against the framework.
PYTORCH_AT_KINKS = [
    ("relu", {}, 0.0, 0.0), ("relu6", {}, 0.0, 0.0), ("relu6", {}, 6.0, 0.0), ("leaky_relu", {}, 0.0, 0.01),
    ("prelu", {}, 0.0, 0.25), ("elu", {"alpha": 2.5}, 0.0, 2.5), ("hard_sigmoid", {}, -3.0, 0.0),
    ("hard_sigmoid", {}, 3.0, 0.0), ("hard_sigmoid", {"slope": 0.2}, 2.5, 0.0), ("hard_swish", {}, -3.0, 0.0),
    ("hard_swish", {}, 3.0, 1.0), ("maxout", {}, 0.0, 1.0),  # a tie: the first piece wins, as torch.max(dim)
    ("selu", {}, 0.0, float(REFERENCE["selu"].__defaults__[0] * REFERENCE["selu"].__defaults__[1])),
]


@pytest.mark.parametrize(("name", "params", "x", "slope"), PYTORCH_AT_KINKS)
def test_declared_side_gives_pytorchs_value(name, params, x, slope):
    sides = dict(acts.get(name).kink_sides(**params))
    assert x in sides, f"{name}{params}: {x} is not a declared kink"
    assert float(one_sided(name, params, x, sides[x], "1e-40")) == pytest.approx(slope, rel=1e-12, abs=1e-15)
    assert float(acts.get(name).grad(x, **params)) == pytest.approx(slope, rel=1e-15, abs=0)


def test_elu_with_alpha_one_is_smooth_and_its_slope_at_zero_is_one():
    assert acts.elu.kink_points() == [] and float(acts.elu.grad(0.0)) == 1.0


LOW_PRECISION_ULPS = {np.float32: 8, np.float16: 1}


@pytest.mark.parametrize("dtype", [np.float32, np.float16], ids=lambda d: d.__name__)
@pytest.mark.parametrize("name", ALL)
def test_low_precision_within_a_few_ulps(name, dtype):
    """float32 and float16 results within a few units in the last place of their own precision."""
    act = acts.get(name)
    info = np.finfo(dtype)
    x = np.concatenate([np.linspace(-12, 12, 241), np.logspace(-4, np.log10(float(info.max) / 4), 40)])
    x = np.unique(np.concatenate([x, -x])).astype(dtype)
    x = x[np.min(np.abs(x[:, None].astype(float) - np.array(act.kink_points() or [np.inf])), axis=1) > 1e-2]
    exact = np.array([float(REFERENCE[name](mp.mpf(float(v)))) for v in x])
    got = act(x).astype(np.float64)
    representable = np.abs(exact) < float(info.max)
    exact, got, x = exact[representable], got[representable], x[representable]
    ulp = np.spacing(np.abs(exact).astype(dtype)).astype(np.float64)
    # a few ulps of the result (with a tiny floor for results that pass through zero)
    bound = LOW_PRECISION_ULPS[dtype] * np.maximum(ulp, float(info.eps) * 1e-3)
    err = np.abs(got - exact)
    bad = err > bound
    worst = np.argmax(np.where(bad, err / ulp, 0))
    assert not bad.any(), f"{name} {dtype.__name__}: {err[worst] / ulp[worst]:.1f} ulp at x={x[worst]}"


# ---------------------------------------------------------------- parameter gradients (C-15)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("name", [n for n in ALL if acts.get(n).param_grads_fn is not None])
def test_parameter_gradients_keep_the_dtype_of_x_with_per_unit_parameters(name, dtype):
    """A network passes one parameter per unit as a float64 array: the gradients still have x's dtype."""
    act = acts.get(name)
    x = np.linspace(-4, 4, 12).reshape(4, 3).astype(dtype)
    per_unit = {p: np.full(3, spec.default, dtype=np.float64) for p, spec in act.params.items()
                if spec.choices is None and not spec.is_tuple}
    tuples = {p: np.array(spec.default, dtype=np.float64) for p, spec in act.params.items() if spec.is_tuple}
    for params in (per_unit, tuples):
        if not params:
            continue
        for pname, g in act.param_grads(x, **params).items():
            assert g.dtype == dtype, f"{name} d/d{pname}: {g.dtype}"
            assert g.shape[:2] == (4, 3)
        assert act(x, **params).dtype == act.grad(x, **params).dtype == dtype


# Parameter gradients exactly at a kink, derived by hand from the formulas and the side the
# record declares for f' there (the same side's piece gives d f / d parameter).
PARAM_GRADS_AT_KINKS = [
    ("relu6", {}, 6.0, {"cap": 1.0}),  # right of the cap f = cap
    ("relu6", {}, 0.0, {"cap": 0.0}),
    ("relu6", {"cap": 2.5}, 2.5, {"cap": 1.0}),
    ("leaky_relu", {}, 0.0, {"slope": 0.0}),  # min(x, 0) = 0
    ("prelu", {}, 0.0, {"alpha": 0.0}),
    ("elu", {"alpha": 2.5}, 0.0, {"alpha": 0.0}),  # e^0 - 1
    ("selu", {}, 0.0, {"scale": 0.0, "alpha": 0.0}),  # elu(0) = 0 and scale (e^0 - 1) = 0
    ("hard_sigmoid", {}, -3.0, {"slope": 0.0}),  # on the flat pieces f does not depend on the slope
    ("hard_sigmoid", {}, 3.0, {"slope": 0.0}),
    ("hard_sigmoid", {"slope": 0.25}, 2.0, {"slope": 0.0}),
    ("maxout", {}, 0.0, {"weights": [0.0, 0.0], "biases": [1.0, 0.0]}),  # tie: the first piece, x, wins
    ("maxout", {"weights": (1.0, 0.0), "biases": (0.0, 1.0)}, 1.0, {"weights": [1.0, 0.0], "biases": [1.0, 0.0]}),
    # tie of the constant 1 (first) with x: the constant wins, and d f / d w_0 = x = 1 all the same
    ("maxout", {"weights": (0.0, 1.0), "biases": (1.0, 0.0)}, 1.0, {"weights": [1.0, 0.0], "biases": [1.0, 0.0]}),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: d.__name__)
@pytest.mark.parametrize(("name", "params", "x", "expected"), PARAM_GRADS_AT_KINKS)
def test_parameter_gradients_at_kinks(name, params, x, expected, dtype):
    assert x in acts.get(name).kink_points(**params)
    got = acts.get(name).param_grads(np.array([x], dtype=dtype), **params)
    assert set(got) == set(expected)
    for pname, value in expected.items():
        assert got[pname].dtype == dtype
        assert got[pname][0].tolist() == value, (pname, got[pname][0])

"""Shared behaviour (COURSE.md): dtypes, scalars, warnings, NaN, infinities, kinks, low precision."""

import warnings

import mpmath as mp
import numpy as np
import pytest
from reference import REFERENCE
from test_accuracy import PARAM_CASES

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


def all_param_sets(name):
    act = acts.get(name)
    sets = [{}] + PARAM_CASES.get(name, [])
    for pname, spec in act.params.items():  # both slider ends
        if spec.choices is not None:
            sets += [{pname: c} for c in spec.choices]
        elif spec.is_tuple:
            k = len(spec.default)
            sets += [{pname: (spec.low,) * k}, {pname: (spec.high,) * k}]
        else:
            low = spec.low if not (spec.open_min and spec.low == spec.minimum) else spec.low + 1e-3
            sets += [{pname: low}, {pname: spec.high}]
    return sets


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("name", ALL)
def test_no_warning_dtype_kept_nan_propagates(name, dtype):
    act = acts.get(name)
    x = awkward_inputs(dtype)
    for params in all_param_sets(name):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            y, dy, pg = act(x, **params), act.grad(x, **params), act.param_grads(x, **params)
        for what, arr in [("value", y), ("grad", dy), *pg.items()]:
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


# The derivative at each kink, as PyTorch 2.13 defines it (facts file, "Value at a kink").
KINKS = [
    ("relu", {}, 0.0, 0.0),
    ("relu6", {}, 0.0, 0.0),
    ("relu6", {}, 6.0, 0.0),
    ("leaky_relu", {}, 0.0, 0.01),
    ("prelu", {}, 0.0, 0.25),
    ("elu", {}, 0.0, 1.0),
    ("elu", {"alpha": 2.5}, 0.0, 2.5),
    ("selu", {}, 0.0, float(REFERENCE["selu"].__defaults__[0] * REFERENCE["selu"].__defaults__[1])),
    ("hard_sigmoid", {}, -3.0, 0.0),
    ("hard_sigmoid", {}, 3.0, 0.0),
    ("hard_sigmoid", {"slope": 0.2}, 2.5, 0.0),
    ("hard_swish", {}, -3.0, 0.0),
    ("hard_swish", {}, 3.0, 1.0),
    ("maxout", {}, 0.0, 1.0),  # a tie: the first piece wins, as torch.max(dim) picks the first
]


@pytest.mark.parametrize(("name", "params", "x", "slope"), KINKS)
def test_derivative_at_kinks_follows_pytorch(name, params, x, slope):
    assert float(acts.get(name).grad(x, **params)) == pytest.approx(slope, rel=1e-15, abs=0)


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

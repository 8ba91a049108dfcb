"""Values, derivatives and parameter gradients against a 50-digit mpmath reference.

Bar (float64, COURSE.md): abs(error) <= 1e-12 * abs(exact) + 1e-15, at many
points per function: near 0, around every kink, and across [-700, 700].
Derivatives are compared with mpmath.diff of the reference value (numerical
differentiation at 50 digits), never with a second copy of the formula.
An activation registered at run time is reached through its reference
(``reference.register_reference``): see test_api.py's softsign.
"""

import mpmath as mp
import numpy as np
import pytest
from activation_cases import activation_cases
from reference import GELU_TANH, REFERENCE

import acts

REL, ABS = 1e-12, 1e-15

# The parameter sets (defaults, presets, both ends of every slider) come from
# the records: a test that takes `name` and `params` gets them (tests/conftest.py).


def test_every_activation_has_a_reference():
    assert set(REFERENCE) == set(acts.names())


def sample_points(act, params, kinks_margin=0.0):
    """Points near 0, around the kinks, and spread over [-700, 700]."""
    mags = np.concatenate([np.logspace(-300, -1, 12), np.logspace(-1, np.log10(700), 120)])
    pts = [0.0, 1e-10, -1e-10, 700.0, -700.0]
    pts += list(mags) + list(-mags)
    pts += list(np.linspace(-12, 12, 97))
    for k in act.kink_points(**params):
        pts += [k + d for d in (-1e-6, -1e-9, 1e-9, 1e-6, -0.1, 0.1)]
    pts = np.unique(np.array(pts, dtype=np.float64))
    if kinks_margin:
        kinks = np.array(act.kink_points(**params) or [np.inf])
        pts = pts[np.min(np.abs(pts[:, None] - kinks[None, :]), axis=1) > kinks_margin]
    return pts


def reference_fn(name, params):
    mparams = {k: (tuple(mp.mpf(v) for v in val) if isinstance(val, tuple) else mp.mpf(val))
               for k, val in params.items() if not isinstance(val, str)}
    if name == "gelu" and params.get("approximate") == "tanh":
        return GELU_TANH
    mparams.pop("approximate", None)
    return lambda x: REFERENCE[name](x, **mparams)


def assert_close(got, exact, x, what):
    err = np.abs(got - exact)
    bound = REL * np.abs(exact) + ABS
    bad = ~(err <= bound)
    if np.any(bad):
        i = np.argmax(np.where(bad, err / bound, 0))
        raise AssertionError(
            f"{what}: {bad.sum()} of {len(x)} points outside the bar; worst at x={x[i]!r}: "
            f"got {got[i]!r}, exact {exact[i]!r}, error {err[i]:.3g} > {bound[i]:.3g}"
        )
    return float(np.max(err / np.maximum(np.abs(exact), 1e-300))) if len(x) else 0.0


def test_values_match_mpmath(name, params):
    act = acts.get(name)
    x = sample_points(act, params)
    f = reference_fn(name, params)
    exact = np.array([float(f(mp.mpf(v))) for v in x])
    assert_close(act(x, **params), exact, x, f"{name}{params} value")


def test_derivatives_match_high_precision_differences(name, params):
    act = acts.get(name)
    # derivative checks stay 1e-8 away from kinks; the kink values have their own test
    x = sample_points(act, params, kinks_margin=1e-8)
    f = reference_fn(name, params)
    exact = np.array([float(mp.diff(f, mp.mpf(v))) for v in x])
    assert_close(act.grad(x, **params), exact, x, f"{name}{params} derivative")


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_both_forms(approximate):
    act = acts.gelu
    x = sample_points(act, {})
    f = GELU_TANH if approximate == "tanh" else REFERENCE["gelu"]
    assert_close(act(x, approximate=approximate), np.array([float(f(mp.mpf(v))) for v in x]), x, "gelu value")
    exact = np.array([float(mp.diff(f, mp.mpf(v))) for v in x])
    assert_close(act.grad(x, approximate=approximate), exact, x, "gelu derivative")


def numeric_params(act, params):
    merged = {**act.defaults(), **params}
    return {k: v for k, v in merged.items() if act.params[k].choices is None}


def test_parameter_gradients_match_high_precision_differences(name, params):
    act = acts.get(name)
    if act.param_grads_fn is None:
        assert act.param_grads(np.linspace(-3, 3, 7), **params) == {}
        return
    x = sample_points(act, params, kinks_margin=1e-6)[::3]
    base = numeric_params(act, params)
    got = act.param_grads(x, **params)
    assert set(got) == set(base)
    for pname, value in base.items():
        pieces = range(len(value)) if isinstance(value, tuple) else [None]
        for j in pieces:
            def g(p, xv, pname=pname, j=j, value=value):
                trial = dict(base)
                if j is None:
                    trial[pname] = p
                else:
                    trial[pname] = tuple(p if i == j else v for i, v in enumerate(value))
                return reference_fn(name, trial)(xv)

            p0 = value if j is None else value[j]
            keep = np.ones(len(x), bool)
            if name == "maxout":  # no derivative where two pieces tie
                w, b = np.array(base["weights"]), np.array(base["biases"])
                top = np.sort(np.outer(x, w) + b, axis=1)
                keep = top[:, -1] - top[:, -2] > 1e-6 if len(w) > 1 else keep
            exact = np.array([float(mp.diff(lambda p, xv=v: g(p, mp.mpf(xv)), mp.mpf(p0))) for v in x[keep]])
            have = got[pname][keep] if j is None else got[pname][keep, j]
            assert_close(have, exact, x[keep], f"{name}{params} d/d{pname}{'' if j is None else f'[{j}]'}")


def worst_relative_error():
    """The worst relative error over all value checks, for the issue note."""
    worst = 0.0
    for name in acts.names():
        act = acts.get(name)
        x = sample_points(act, {})
        f = reference_fn(name, {})
        exact = np.array([float(f(mp.mpf(v))) for v in x])
        got = act(x)
        nz = exact != 0
        worst = max(worst, float(np.max(np.abs(got[nz] - exact[nz]) / np.abs(exact[nz]))))
    return worst


def tail_and_tiny_points(act, params):
    """Where the absolute floor of the bar would hide a lost relative accuracy."""
    x = sample_points(act, params, kinks_margin=1e-3)
    return x[(np.abs(x) <= 1e-3) | (np.abs(x) >= 20)]


def test_relative_accuracy_near_zero_and_in_the_tails(name, params):
    """Near 0 and in the tails the exact values are tiny (e^-x, 1e-10 * slope), so the
    absolute floor 1e-15 of the main bar would let a formula lose every digit there
    (exp(x) - 1 instead of expm1, s(1 - s) for sigmoid'); here the bar is relative."""
    act = acts.get(name)
    x = tail_and_tiny_points(act, params)
    f = reference_fn(name, params)
    # f(x) = 1 - e^-700 needs ~320 digits before its derivative can be differenced
    with mp.workdps(340):
        values = [f(mp.mpf(v)) for v in x]
        slopes = [mp.diff(f, mp.mpf(v)) for v in x]
    for what, got, exact in (("value", act(x, **params), values), ("derivative", act.grad(x, **params), slopes)):
        exact = np.array([float(e) for e in exact])
        normal = np.abs(exact) >= np.finfo(np.float64).tiny * 2**52  # leave out subnormal results
        err = np.abs(got[normal] - exact[normal])
        bound = 1e-12 * np.abs(exact[normal])
        bad = err > bound
        assert not bad.any(), (
            f"{name}{params} {what}: relative error {np.max(err / np.abs(exact[normal])):.3g} "
            f"at x={x[normal][np.argmax(err / bound)]!r}"
        )


@pytest.mark.parametrize(("name", "params"), [c for c in activation_cases() if acts.get(c.values[0]).value_and_grad_fn])
def test_fused_value_and_grad_match_mpmath(name, params):
    """Where a record has a fused value-and-derivative function, it meets the same bars."""
    act = acts.get(name)
    x = sample_points(act, params, kinks_margin=1e-8)
    f = reference_fn(name, params)
    value, slope = act.value_and_grad(x, **params)
    assert_close(value, np.array([float(f(mp.mpf(v))) for v in x]), x, f"{name}{params} fused value")
    assert_close(slope, np.array([float(mp.diff(f, mp.mpf(v))) for v in x]), x, f"{name}{params} fused derivative")
    tails = tail_and_tiny_points(act, params)
    with mp.workdps(340):
        exact = [(f(mp.mpf(v)), mp.diff(f, mp.mpf(v))) for v in tails]
    for i, got in enumerate(act.value_and_grad(tails, **params)):
        want = np.array([float(e[i]) for e in exact])
        normal = np.abs(want) >= np.finfo(np.float64).tiny * 2**52
        assert np.all(np.abs(got[normal] - want[normal]) <= 1e-12 * np.abs(want[normal])), (name, params, i)

"""Every numeric exercise is fair: it accepts its truth rounded as the question asks, and rejects a wrong value.

The exercise modules are found on disk (acts/exercises/ex*.py), so a new
notebook's exercises are covered without editing this file. A function that
calls ``check.number`` must carry ``@check.numeric`` (checked from the source
with ``ast``), so no numeric check escapes the fairness test. The checks whose
questions forbid a function are tested with an honest answer and with each
forbidden shortcut.
"""

import ast
import importlib
import inspect
from pathlib import Path

import numpy as np
import pytest

import acts
from acts import check

EXERCISES = Path(acts.__file__).parent / "exercises"
MODULES = sorted(p.stem for p in EXERCISES.glob("ex*.py"))


def _load():
    for name in MODULES:
        importlib.import_module(f"acts.exercises.{name}")
    return [fn for fn in check.numeric_checks() if fn.__module__.startswith("acts.exercises.")]


NUMERIC = _load()


def exercise(name):
    """The exercise function called ``name``, in whichever module holds it (sections move between notebooks)."""
    found = [getattr(importlib.import_module(f"acts.exercises.{m}"), name) for m in MODULES
             if hasattr(importlib.import_module(f"acts.exercises.{m}"), name)]
    assert len(found) == 1, f"{name}: found in {len(found)} exercise modules"
    return found[0]


def _calls_number(node) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "number"
               and isinstance(n.func.value, ast.Name) and n.func.value.id == "check" for n in ast.walk(node))


def _is_numeric_decorator(d) -> bool:
    return isinstance(d, ast.Attribute) and d.attr == "numeric" and isinstance(d.value, ast.Name) \
        and d.value.id == "check"


@pytest.mark.parametrize("module", MODULES)
def test_every_number_check_is_registered(module):
    tree = ast.parse((EXERCISES / f"{module}.py").read_text(encoding="utf-8"))
    missing = [f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and _calls_number(f)
               and not any(_is_numeric_decorator(d) for d in f.decorator_list)]
    assert not missing, f"{module}: these call check.number without @check.numeric: {missing}"


def test_the_registry_found_numeric_checks():
    assert len(NUMERIC) >= 10, [fn.__qualname__ for fn in NUMERIC]


def _record(fn):
    with check.recording() as records:
        verdict = fn(...)
    assert verdict.status == check.NOT_ATTEMPTED, f"{fn.__name__}(...) gave {verdict.status!r}"
    assert len(records) == 1, f"{fn.__name__} ran {len(records)} number checks; expected exactly one"
    return records[0]


@pytest.mark.parametrize("fn", NUMERIC, ids=[f"{fn.__module__.split('.')[-1]}.{fn.__name__}" for fn in NUMERIC])
def test_numeric_exercise_is_fair(fn, capsys):
    record = _record(fn)
    truth, precision = record.truth, record.precision
    assert np.isfinite(truth), f"{fn.__name__}: its truth is {truth!r}"
    rounded = precision.round(truth)
    assert fn(rounded).status == check.CORRECT, f"{fn.__name__} rejects {rounded!r}, its truth {precision.text()}"
    assert fn(truth).status == check.CORRECT
    assert fn(repr(rounded)).status == check.CORRECT, "the same number typed as text"
    wrong = truth + max(1.0, abs(truth))
    assert fn(wrong).status == check.WRONG, f"{fn.__name__} accepts the wrong value {wrong!r}"
    if not precision.exact:
        # a neighbouring rounded value (last digit one off), and a value with more digits just past the rounding
        # boundary on its side (beyond the guard): both must be rejected, wherever the truth sits
        unit = precision.unit(rounded)
        for side in (-1, 1):
            boundary = rounded + side * unit / 2
            past = boundary + side * (precision.guard(truth) + unit / 100)
            for outside in (rounded + side * unit, past):
                outside = float(f"{outside:.12g}")
                assert fn(outside).status == check.WRONG, f"{fn.__name__} accepts {outside!r}: looser than declared"
        # ... while the truth nudged by a tenth of the guard (a learner's float differing in the last bits) passes
        for nudged in (truth - precision.guard(truth) / 10, truth + precision.guard(truth) / 10):
            assert fn(nudged).status == check.CORRECT, f"{fn.__name__} rejects {nudged!r}, a hair from the truth"
    for bad in ("seven", [1.0, 2.0], float("nan"), 1j):
        assert fn(bad).status == check.WRONG
    out = capsys.readouterr().out
    assert "Traceback" not in out


def test_precisions_declared(report):
    """Print each exercise's precision (for the notebooks' wording) and keep the list honest."""
    lines = []
    for fn in NUMERIC:
        record = _record(fn)
        lines.append(f"{fn.__module__.split('.')[-1]}.{fn.__name__}: {record.precision.text()}")
    for line in lines:
        report(line)
    assert len(lines) == len(NUMERIC)


# ---------------------------------------------------------------- the review's own cases (L-24, M-20)


def test_review_cases_are_accepted():
    assert exercise("softplus_gap")(0.173)          # L-24: "about 0.1733" was rejected
    assert exercise("grid_step")(0.0235)            # M-20: the printed 0.0235 was rejected
    assert exercise("saturation_bound")(4.58)       # the question asks for 3 significant digits
    assert not exercise("saturation_bound")(4.6)    # ... so 2 are not enough
    assert exercise("units_for_sine")(22) and not exercise("units_for_sine")(21)
    assert not exercise("units_for_sine")(21.6)


# ---------------------------------------------------------------- forbidden functions (L-25)


def _sigmoid_grad(x):
    s = acts.sigmoid(x)
    return s * (1 - s)


def _sigmoid_grad_symmetric(x):
    return acts.sigmoid(x) * acts.sigmoid(-x)


def _sigmoid_grad_by_differences(x, h=1e-5):
    return (acts.sigmoid(x + h) - acts.sigmoid(x - h)) / (2 * h)


def _sigmoid_grad_copied(x):
    return acts.sigmoid.grad(x)


def _sigmoid_grad_copied_via_get(x):
    return acts.get("sigmoid").value_and_grad(x)[1]


def _tanh(x):
    return 2 * acts.sigmoid(2 * x) - 1


def _tanh_numpy(x):
    return np.tanh(x)


def _tanh_exp(x):
    return (np.exp(2 * x) - 1) / (np.exp(2 * x) + 1)


def _tanh_e(x):
    return (np.e ** (2 * x) - 1) / (np.e ** (2 * x) + 1)


def _tanh_acts(x):
    return acts.get("tanh")(x)


def _elu_grad(x):
    return np.where(x > 0, 1.0, acts.elu(x) + 1.0)


def _elu_grad_exp(x):
    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))


def _elu_grad_expm1(x):
    return np.where(x > 0, 1.0, np.expm1(np.minimum(x, 0)) + 1)


def _elu_grad_copied(x):
    return acts.elu.grad(x)


_SELU_LA = 1.0507009873554805 * 1.6732632423543772   # SELU's lambda * alpha, typed out


def _elu_grad_from_selu(x):   # review r0203 finding 3: e^x by arithmetic from SELU's value ...
    return np.where(x > 0, 1.0, acts.selu(x) / _SELU_LA + 1.0)


def _elu_grad_from_selu_grad(x):   # ... or from SELU's derivative
    return np.where(x > 0, 1.0, acts.selu.grad(np.minimum(x, 0)) / _SELU_LA)


def _elu_grad_from_selu_via_get(x):
    return np.where(x > 0, 1.0, acts.get("selu").grad(np.minimum(x, 0)) / _SELU_LA)


def _elu_grad_from_alpha_derivative(x):   # d elu / d alpha = e^x - 1 for x <= 0
    return np.where(x > 0, 1.0, acts.elu.param_grads(x)["alpha"] + 1.0)


def _elu_grad_from_registry(x):
    return acts.registry.get("elu").grad(x)


def _mish(x):
    return x * np.tanh(acts.softplus(x))


def _mish_copied(x):
    return acts.mish(x)


def _hard_swish(x):
    return x * acts.relu6(x + 3) / 6


def _hard_swish_copied(x):
    return acts.get("hard_swish")(x)


FORBIDDEN_CASES = [
    ("sigmoid_derivative", [_sigmoid_grad, _sigmoid_grad_symmetric],
     [_sigmoid_grad_by_differences, _sigmoid_grad_copied, _sigmoid_grad_copied_via_get]),
    ("tanh_from_sigmoid", [_tanh], [_tanh_numpy, _tanh_exp, _tanh_e, _tanh_acts]),
    ("elu_grad_from_value", [_elu_grad], [_elu_grad_exp, _elu_grad_expm1, _elu_grad_copied, _elu_grad_from_selu,
                                          _elu_grad_from_selu_grad, _elu_grad_from_selu_via_get,
                                          _elu_grad_from_alpha_derivative, _elu_grad_from_registry]),
    ("mish_from_softplus", [_mish], [_mish_copied]),
    ("hard_swish_from_relu6", [_hard_swish], [_hard_swish_copied]),
]


@pytest.mark.parametrize("name, honest, shortcuts", FORBIDDEN_CASES, ids=[c[0] for c in FORBIDDEN_CASES])
def test_forbidden_functions_are_enforced(name, honest, shortcuts, capsys):
    check_it = exercise(name)
    for fn in honest:
        assert check_it(fn).status == check.CORRECT, fn.__name__
    for fn in shortcuts:
        assert check_it(fn).status == check.WRONG, f"{name} accepts {fn.__name__}"
        assert "rules out" in capsys.readouterr().out
    # the namespace is restored afterwards, and acts itself never lost its exponential
    assert np.exp(0.0) == 1.0 and acts.tanh(0.0) == 0.0 and globals()["np"] is np


# ---------------------------------------------------------------- every exercise, numeric or not


def _stub_callable():
    """(module.name, function) for every public exercise function that needs only the learner's answer."""
    out = []
    for name in MODULES:
        module = importlib.import_module(f"acts.exercises.{name}")
        for attr, fn in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters.values())
            if params and all(p.default is not p.empty for p in params[1:]):
                out.append((f"{name}.{attr}", fn))
    return out


STUBBED = _stub_callable()


@pytest.mark.parametrize("fn", [fn for _, fn in STUBBED], ids=[label for label, _ in STUBBED])
def test_every_exercise_says_not_attempted_for_the_stub(fn, capsys):
    assert fn(...).status == check.NOT_ATTEMPTED
    assert "Not attempted yet" in capsys.readouterr().out

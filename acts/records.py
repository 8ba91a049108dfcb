"""What a record of the registry is: ``Param`` (one parameter) and ``Activation`` (one activation).

An ``Activation`` is called like a function, ``act(x, **params)``, and holds
every fact about one activation once: its value and derivative functions
(``acts/functions/``, whose docstrings carry the formula and the paper),
parameters with their ranges, families, where it is used, its kinks and which
one-sided derivative it takes there, its default weight initialisation, the
constraints between its parameters, and named parameter sets (presets) such
as the source notes' or a framework's. The list of records is
``acts/registry.py``.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

FAMILIES = ("saturated", "unsaturated", "mobile_friendly", "learnable")
#: Weight initialisations a record may name as its default: He et al. 2015 (ReLU-like),
#: Glorot & Bengio 2010 ("xavier", saturating), LeCun et al. 1998 (SELU's self-normalisation).
INITS = ("he", "xavier", "lecun")
#: Which one-sided derivative an activation's ``grad`` returns at a kink.
SIDES = ("left", "right")


@dataclass(frozen=True)
class Param:
    """One parameter of an activation.

    ``default``: the value used when the parameter is not given.
    ``low``, ``high``: the slider range in the explorers (each piece, for a tuple).
    ``step``: the slider step; ``low + k * step`` lands on every canonical value
    (``Activation.marks``) that the grid can reach; ``slider_values`` adds the rest.
    ``minimum``, ``maximum``: the allowed values (None for unbounded);
    ``open_min`` / ``open_max`` exclude the bound itself (alpha > 0 rather than >= 0).
    ``choices``: for a parameter that takes one of a few strings.
    ``learnable``: trained with the weights in ``acts.nn``.
    """

    default: object
    low: float | None = None
    high: float | None = None
    doc: str = ""
    minimum: float | None = None
    maximum: float | None = None
    open_min: bool = False
    open_max: bool = False
    choices: tuple | None = None
    learnable: bool = False
    step: float | None = None

    @property
    def is_tuple(self) -> bool:
        return isinstance(self.default, tuple)

    def allowed(self) -> str:
        """What is allowed, in words, for error messages and docs."""
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        parts = []
        if self.minimum is not None:
            parts.append(f"{'>' if self.open_min else '>='} {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"{'<' if self.open_max else '<='} {self.maximum:g}")
        what = "a finite number" if not parts else "a finite number " + " and ".join(parts)
        if self.is_tuple:
            what = f"a sequence of at least one {what.removeprefix('a ')}"
        return what

    def accepts(self, value: float) -> bool:
        """Whether one number is an allowed value (finite and within minimum/maximum)."""
        if not math.isfinite(value):
            return False
        if self.minimum is not None and (value <= self.minimum if self.open_min else value < self.minimum):
            return False
        return not (self.maximum is not None and (value >= self.maximum if self.open_max else value > self.maximum))


@dataclass(frozen=True)
class SameLength:
    """A constraint: two tuple parameters must have the same length (maxout: one weight and one bias per piece)."""

    first: str
    second: str

    def __call__(self, values: dict) -> str | None:
        a, b = (tuple(np.atleast_1d(values[p]).tolist()) for p in (self.first, self.second))
        if len(a) == len(b):
            return None
        return (f"{self.first} and {self.second} must have the same length (one of each per piece); "
                f"got {len(a)} {self.first} {_short(_plain(a))} and {len(b)} {self.second} {_short(_plain(b))}")


def _plain(values: tuple) -> tuple:
    return tuple(int(v) if float(v).is_integer() else v for v in values)


def _real_array(value, what: str) -> np.ndarray:
    """``value`` as a real NumPy array, or a TypeError that names ``what``."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{what} must be a real number or an array of real numbers; got the string {value!r}")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged lists and the like
        raise TypeError(f"{what} must be a real number or an array of real numbers; got {value!r} ({exc})") from None
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind == "O":
        # a list mixing numbers with None or strings: refuse rather than make NaN
        odd = [v for v in arr.flat if not isinstance(v, numbers.Real)]
        if odd:
            odd = odd[0]
            raise TypeError(
                f"{what} must be a real number or an array of real numbers; "
                f"got {_short(value)}, which holds {odd!r} of type {type(odd).__name__}"
            )
        arr = arr.astype(np.float64)
    if arr.dtype.kind != "f":
        raise TypeError(
            f"{what} must be a real number or an array of real numbers; "
            f"got {_short(value)} of dtype {arr.dtype} (allowed: floats, integers, bools)"
        )
    return arr


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _docstring_part(fn, pattern: str, what: str) -> str:
    match = re.search(pattern, fn.__doc__ or "", re.S | re.M)
    if match is None:
        raise ValueError(f"the docstring of {fn.__name__} has no {what}")
    return " ".join(match.group(1).split())


@dataclass(frozen=True)
class Activation:
    """An activation function with its derivative, parameter gradients and every fact about it.

    Call it like a function: ``act(x, **params)`` gives f(x); ``act.grad(x,
    **params)`` gives df/dx; ``act.value_and_grad`` both; ``act.param_grads(x,
    **params)`` gives ``{parameter: df/dparameter}`` for every parameter with a
    gradient, each with the shape of x broadcast against the parameter (maxout
    adds a trailing axis of length k).

    Inputs: a number, a list or an array of any shape. float16, float32 and
    float64 keep their dtype; integers and bools become float64; a scalar
    gives a 0-d array.
    """

    name: str
    title: str
    families: tuple
    value_fn: Callable = field(repr=False)  # x, **params -> f(x); its docstring holds the formula and paper
    grad_fn: Callable = field(repr=False)  # x, **params -> f'(x)
    param_grads_fn: Callable | None = field(default=None, repr=False)
    value_and_grad_fn: Callable | None = field(default=None, repr=False)  # fused, where it pays
    params: dict = field(default_factory=dict)
    used_in: str = ""
    kinks: Callable | None = field(default=None, repr=False)  # **params -> ((x, side), ...)
    init: str = "he"  # the weight initialisation acts.nn uses by default: one of INITS
    constraints: tuple = ()  # callables {param: value} -> an error message, or None when satisfied
    presets: dict = field(default_factory=dict)  # {"what it is": {param: value}}: framework and paper values

    @property
    def formula(self) -> str:
        """The formula in LaTeX (matplotlib's mathtext draws it), read from the value function's docstring."""
        return _docstring_part(self.value_fn, r"^\s*\.\. math::\s*(.+?)(?:\n\s*\n|\Z)", "'.. math::' line")

    @property
    def reference(self) -> str:
        """The paper(s), read from the ``Paper:`` paragraph of the value function's docstring."""
        return _docstring_part(self.value_fn, r"^\s*Paper:\s*(.+?)(?:\n\s*\n|\Z)", "'Paper:' paragraph")

    @property
    def family(self) -> str:
        """The activation's main family (``families`` lists every one it belongs to)."""
        return self.families[0]

    @property
    def learnable(self) -> tuple:
        """Names of the parameters that ``acts.nn`` trains with the weights."""
        return tuple(p for p, spec in self.params.items() if spec.learnable)

    # ---------------------------------------------------------------- checking

    def _check_params(self, params: dict, work) -> dict:
        """The given parameters, checked, as Python floats or arrays of dtype ``work``."""
        checked = {}
        for pname, value in params.items():
            spec = self.params.get(pname)
            if spec is None:
                allowed = ", ".join(self.params) if self.params else "none (it has no parameters)"
                raise TypeError(
                    f"{self.name}() got an unexpected keyword argument {pname!r}; allowed parameters: {allowed}"
                )
            if type(value) is float and spec.choices is None and not spec.is_tuple and spec.accepts(value):
                checked[pname] = value  # the common case, checked in one line
            else:
                checked[pname] = self._check_param(pname, spec, value, work)
        if self.constraints:
            merged = {**self.defaults(), **params}
            for rule in self.constraints:
                problem = rule(merged)
                if problem:
                    raise ValueError(f"{self.name}(): {problem}")
        return checked

    def _check_param(self, pname, spec: Param, value, work):
        where = f"{self.name}(): {pname}"
        if spec.choices is not None:
            if not isinstance(value, str) or value not in spec.choices:
                raise ValueError(f"{where} must be {spec.allowed()}; got {value!r}")
            return value
        if spec.is_tuple:
            arr = _real_array(value, where)
            if arr.ndim != 1 or arr.size == 0:
                raise ValueError(f"{where} must be {spec.allowed()}; got {_short(value)}")
        else:
            if isinstance(value, bool):
                raise TypeError(f"{where} must be {spec.allowed()}; got the bool {value!r}")
            arr = _real_array(value, where)
        bad = ~np.isfinite(arr)
        if spec.minimum is not None:
            bad |= (arr <= spec.minimum) if spec.open_min else (arr < spec.minimum)
        if spec.maximum is not None:
            bad |= (arr >= spec.maximum) if spec.open_max else (arr > spec.maximum)
        if np.any(bad):
            shown = value if arr.ndim == 0 else float(arr[bad].ravel()[0])
            raise ValueError(f"{where} must be {spec.allowed()}; got {_short(shown)}")
        if arr.ndim == 0 and not spec.is_tuple:
            return float(arr)  # a Python float is "weak": it takes x's dtype
        return arr.astype(work)

    def _prepare(self, x, params: dict, extra=()):
        """Check x and the parameters; return (x in its working dtype, params, output dtype)."""
        if extra:
            allowed = ", ".join(f"{p}=..." for p in self.params) or "none"
            raise TypeError(
                f"{self.name}() takes x and then parameters by keyword only; got extra positional "
                f"argument(s) {_short(extra)}; parameters: {allowed}"
            )
        xa = _real_array(x, f"{self.name}(): x")
        out_dtype = xa.dtype
        # float16 is computed in float32 and rounded once at the end: NumPy's
        # float16 arithmetic would round every intermediate step.
        work = np.float32 if out_dtype == np.float16 else out_dtype
        return xa.astype(work, copy=False), self._check_params(params, work), out_dtype

    # ---------------------------------------------------------------- evaluation

    def _evaluate(self, fns, x, params, extra=()):
        """Each of ``fns`` at x: checked arguments, the caller's dtype, NaN in, NaN out."""
        xa, checked, out_dtype = self._prepare(x, params, extra)
        # Overflow is silenced only because some results really exceed the
        # largest float (selu(1.7e308)); invalid operations are never hidden
        # (float16 results are rounded from float32 in _finish, where they overflow too.)
        out = []
        with np.errstate(over="ignore", under="ignore"):
            for fn in fns:
                result = fn(xa, **checked)
                if isinstance(result, dict):
                    out.append({k: self._finish(v, xa, out_dtype) for k, v in result.items()})
                elif isinstance(result, tuple):  # a fused (value, derivative)
                    out.append(tuple(self._finish(v, xa, out_dtype) for v in result))
                else:
                    out.append(self._finish(result, xa, out_dtype))
        return out

    @staticmethod
    def _finish(result, xa, out_dtype):
        """Cast to the caller's dtype; a NaN input gives NaN in every output.

        Piecewise derivatives (relu's x > 0, say) would otherwise turn NaN into 0 or 1.
        """
        result = np.asarray(result, dtype=out_dtype)
        nan = np.isnan(xa)
        if nan.any():
            nan = nan.reshape(nan.shape + (1,) * (result.ndim - nan.ndim))  # maxout's trailing axis
            result = np.where(nan, np.asarray(np.nan, dtype=out_dtype), result)
        return result

    def __call__(self, x, /, *extra, **params):
        """The value f(x)."""
        # The fast path: a float32/float64 array with at least one axis goes
        # straight to the value function, which neither warns nor loses a NaN.
        if type(x) is np.ndarray and x.dtype.char in "fd" and x.ndim and not extra:
            return self.value_fn(x, **self._check_params(params, x.dtype)) if params else self.value_fn(x)
        return self._evaluate((self.value_fn,), x, params, extra)[0]

    def grad(self, x, /, *extra, **params):
        """The derivative df/dx, elementwise."""
        return self._evaluate((self.grad_fn,), x, params, extra)[0]

    def value_and_grad(self, x, /, *extra, **params):
        """(f(x), df/dx): what a network's forward and backward passes need, the arguments checked once."""
        if type(x) is np.ndarray and x.dtype.char in "fd" and x.ndim and x.size and not extra:
            return self._value_and_grad_fast(x, self._check_params(params, x.dtype) if params else params)
        if self.value_and_grad_fn is not None:
            value, slope = self._evaluate((self.value_and_grad_fn,), x, params, extra)[0]
            return value, slope
        value, slope = self._evaluate((self.value_fn, self.grad_fn), x, params, extra)
        return value, slope

    def _value_and_grad_fast(self, x, checked):
        """``value_and_grad`` for a non-empty float32/float64 array x with at least one axis, parameters checked.

        The fast path of a training step: no conversions, and the NaN pass of
        ``_finish`` (NaN in, NaN out) only when x holds a NaN: its minimum tells.
        """
        with np.errstate(over="ignore", under="ignore"):
            if self.value_and_grad_fn is not None:
                value, fprime = self.value_and_grad_fn(x, **checked)
            else:
                value, fprime = self.value_fn(x, **checked), self.grad_fn(x, **checked)
        if value.dtype != x.dtype or fprime.dtype != x.dtype or np.isnan(np.minimum.reduce(x, axis=None)):
            value, fprime = self._finish(value, x, x.dtype), self._finish(fprime, x, x.dtype)
        return value, fprime

    def param_grads(self, x, /, *extra, **params) -> dict:
        """{parameter: df/dparameter} for every parameter with a gradient ({} if none)."""
        if self.param_grads_fn is None:
            self._prepare(x, params, extra)  # still check the arguments
            return {}
        return self._evaluate((self.param_grads_fn,), x, params, extra)[0]

    # ---------------------------------------------------------------- facts

    def defaults(self) -> dict:
        """The default value of every parameter."""
        return {name: spec.default for name, spec in self.params.items()}

    def kink_sides(self, **params) -> list:
        """[(x, side), ...]: where f is not differentiable, and which one-sided derivative ``grad`` returns there."""
        if self.kinks is None:
            return []
        merged = {**self.defaults(), **params}
        return sorted((float(k), side) for k, side in self.kinks(**merged))

    def kink_points(self, **params) -> list:
        """x positions where f is not differentiable, for the given parameters."""
        return [k for k, _ in self.kink_sides(**params)]

    def marks(self, pname: str) -> list:
        """The canonical values of one parameter: its default and every preset's value, sorted."""
        spec = self.params[pname]
        values = [spec.default] + [p[pname] for p in self.presets.values() if pname in p]
        if spec.choices is not None or spec.is_tuple:
            return list(dict.fromkeys(values))
        return sorted(set(values))

    def slider_values(self, pname: str) -> list:
        """Every value a slider for one number parameter offers: low to high by ``step``, plus the marks."""
        spec = self.params[pname]
        step = spec.step or (spec.high - spec.low) / 200  # a record without a step: 200 steps
        k = round((spec.high - spec.low) / step)
        grid = [spec.low + i * step for i in range(k + 1)]
        marks = [m for m in self.marks(pname) if spec.low <= m <= spec.high]
        grid = [g for g in grid if not any(math.isclose(g, m, rel_tol=1e-9, abs_tol=1e-12) for m in marks)]
        return sorted(grid + marks)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v.default!r}" for k, v in self.params.items())
        return f"<activation {self.name}({params}): {self.title}, family {self.family!r}>"

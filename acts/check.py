"""Self-check helpers for the exercises.

An exercise gives the learner a stub to fill::

    answer = ...          # replace ... with your number

and a check underneath, built in ``acts/exercises/`` from the primitives here::

    check.number(answer, truth, sig=3, what="the saturation bound of sigmoid")

Every check prints one clear verdict and returns a :class:`Verdict` (truthy
when correct). A check never raises, whatever the learner wrote, so a notebook
always runs top to bottom:

* ``...`` (Ellipsis), ``None`` or a function that raises ``NotImplementedError``
  counts as "not attempted yet";
* a wrong answer prints what was expected in general terms and a hint, never
  the answer itself;
* an answer that raises prints the exception's type and message.

**The fairness rule** (one place: :meth:`Precision.accepts`). A question states
the precision it asks for: ``sig=3`` ("to 3 significant digits") or
``decimals=2`` ("to 2 decimal places"). The check accepts an answer whose
rounding to that precision (in decimal, halves away from zero, as on paper)
equals the true value's rounding, and rejects one whose rounding differs: for
the truth 0.013061 at 2 significant digits, 0.013, 0.0131 and 0.01306 are
right, 0.0135 (which rounds to 0.014) is not. One guard for the boundary: an
answer within 1/20 of a unit (in the last digit asked for) of the truth is
accepted even if it rounds the other way, so a learner whose floating-point
computation differs from ours in the last bits is not turned away. Where the
question states no precision, the same rule applies at the second significant
digit (``sig=2``). ``exact=True`` is for whole numbers (counts, integer codes).

Every exercise function that calls :func:`number` carries the
:func:`numeric` decorator, so a test can find each one, learn its truth and
precision with :func:`recording`, and feed it the rounded truth.

**Forbidden functions.** When a question rules a function out ("no np.exp",
"only acts.sigmoid"), :func:`function` enforces it with ``forbid=`` (the machinery is in
:mod:`acts.forbid`): while the
learner's function runs, the names in its notebook namespace that lead to the
forbidden functions (``np``, ``acts``, ``math``, or the functions themselves)
are swapped for stand-ins that raise, and the verdict says which one was used.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from acts.forbid import EXPONENTIALS, ForbiddenCall, forbidden

__all__ = ["CORRECT", "EXPONENTIALS", "NOT_ATTEMPTED", "WRONG", "ForbiddenCall", "Precision", "Record", "Verdict",
           "array", "choice", "forbidden", "function", "number", "numeric", "numeric_checks", "recording", "report",
           "untouched"]

NOT_ATTEMPTED = "not attempted yet"
CORRECT = "correct"
WRONG = "not yet"


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: ``status`` is "correct", "not yet" or "not attempted yet"."""

    status: str
    message: str

    def __bool__(self) -> bool:
        return self.status == CORRECT

    def __repr__(self) -> str:
        return f"Verdict({self.status!r})"

    def _ipython_display_(self):
        """Show nothing as a cell's last value: the check has already printed its message."""


_MARKS = {CORRECT: "✅ Correct", WRONG: "❌ Not yet", NOT_ATTEMPTED: "✏️ Not attempted yet"}


def report(status: str, what: str, detail: str = "", hint: str = "") -> Verdict:
    """Print and return a verdict in the course's one format: mark, what is checked, detail, then the hint."""
    lines = [f"{_MARKS[status]}: {what}." + (f" {detail}" if detail else "")]
    if hint and status != CORRECT:
        lines.append(f"   Hint: {hint}")
    message = "\n".join(lines)
    print(message)
    return Verdict(status, message)


def untouched(answer) -> bool:
    """True for the stub values that mean the learner has not answered yet."""
    return answer is ... or answer is None


def _safe(fn, what, hint):
    """Run fn(); turn any exception into a verdict instead of an error."""
    try:
        return fn()
    except NotImplementedError:
        return report(NOT_ATTEMPTED, what, "Replace the `raise NotImplementedError` with your code.", hint)
    except ForbiddenCall as exc:
        return report(WRONG, what, f"Your code uses {exc}, which this exercise rules out.", hint)
    except Exception as exc:  # the learner's code may raise anything; the notebook must go on
        return report(WRONG, what, f"Your code raised {type(exc).__name__}: {exc}", hint)


# ---------------------------------------------------------------- the fairness rule


@dataclass(frozen=True)
class Precision:
    """The precision a question asks for; :meth:`accepts` is the course's one fairness rule.

    ``sig``: significant digits; ``decimals``: digits after the point; ``exact``: a whole
    number, nothing else. With none given, ``sig=2`` ("within the second significant digit").
    """

    sig: int | None = None
    decimals: int | None = None
    exact: bool = False

    def __post_init__(self):
        if (self.sig is not None) + (self.decimals is not None) + bool(self.exact) > 1:
            raise ValueError(f"Precision: give at most one of sig, decimals, exact; got {self!r}")
        if self.sig is not None and (not isinstance(self.sig, int) or self.sig < 1):
            raise ValueError(f"Precision: sig must be a whole number >= 1; got {self.sig!r}")
        if self.decimals is not None and not isinstance(self.decimals, int):
            raise ValueError(f"Precision: decimals must be a whole number; got {self.decimals!r}")

    @property
    def digits(self) -> int:
        """The significant digits in force (2 by default)."""
        return 2 if self.sig is None else self.sig

    def text(self) -> str:
        """How the question words it: "to 3 significant digits", "exactly", ..."""
        if self.exact:
            return "exactly"
        if self.decimals is not None:
            return f"to {self.decimals} decimal place{'s' if self.decimals != 1 else ''}"
        if self.sig is None:
            return "to 2 significant digits or better"
        return f"to {self.sig} significant digit{'s' if self.sig != 1 else ''}"

    def unit(self, truth: float) -> float:
        """One unit in the last digit asked for, at the truth's own magnitude (0 for a zero truth)."""
        truth = float(truth)
        if self.exact:
            return 1.0
        if self.decimals is not None:
            return 10.0 ** -self.decimals
        if truth == 0.0:
            return 0.0
        return 10.0 ** (math.floor(math.log10(abs(truth))) - self.digits + 1)

    def tolerance(self, truth: float) -> float:
        """Half a unit in the last digit asked for: the largest error that rounding the truth can make."""
        if self.exact:
            return 1e-9 * max(1.0, abs(float(truth)))
        return 0.5 * self.unit(truth)

    def guard(self, truth: float) -> float:
        """The boundary guard: 1/20 of a unit in the last digit asked for (see the module's fairness rule)."""
        return self.unit(truth) / 20.0

    def _decimal(self, value: float) -> Decimal:
        """``value`` rounded as asked, in decimal: the shortest decimal that is ``value``, halves away from 0."""
        d = Decimal(repr(float(value)))
        if d == 0:
            return Decimal(0)
        if self.decimals is not None:
            quantum = Decimal(1).scaleb(-self.decimals)
        else:
            quantum = Decimal(1).scaleb(d.adjusted() - self.digits + 1)
        return d.quantize(quantum, rounding=ROUND_HALF_UP)

    def round(self, truth: float) -> float:
        """The truth rounded as the question asks (what a careful learner types)."""
        truth = float(truth)
        if self.exact:
            return truth
        return float(self._decimal(truth))

    def accepts(self, value: float, truth: float) -> bool:
        """True when ``value`` rounds as asked to the truth's rounding, or lies within the boundary guard."""
        value, truth = float(value), float(truth)
        if self.exact:
            return abs(value - truth) <= self.tolerance(truth)
        if self._decimal(value) == self._decimal(truth):
            return True
        return abs(value - truth) <= self.guard(truth)


@dataclass(frozen=True)
class Record:
    """What a numeric check compared: filled in by :func:`number` while :func:`recording` is on."""

    truth: float
    precision: Precision
    what: str


_RECORDERS: list[list] = []
_NUMERIC: list = []


@contextlib.contextmanager
def recording():
    """Collect a :class:`Record` for every :func:`number` check run inside the ``with`` block."""
    records: list[Record] = []
    _RECORDERS.append(records)
    try:
        yield records
    finally:
        _RECORDERS.remove(records)


def numeric(fn):
    """Mark an exercise function as a numeric check (one that ends in :func:`number`).

    The course's test finds every marked function, calls it with ``...`` inside
    :func:`recording` to learn its truth and precision, then feeds it the truth
    rounded as declared (expects "correct") and a clearly wrong value ("not yet").
    """
    key = (fn.__module__, fn.__qualname__)
    _NUMERIC[:] = [f for f in _NUMERIC if (f.__module__, f.__qualname__) != key] + [fn]  # a reload replaces
    fn.numeric_check = True
    return fn


def numeric_checks() -> list:
    """Every function marked with :func:`numeric` in the modules imported so far."""
    return list(_NUMERIC)


def _as_number(answer):
    """(value, None) for one real number, else (None, why not)."""
    if isinstance(answer, (str, bytes)):
        try:
            return float(answer), None
        except ValueError:
            return None, f"Expected a number, got the text {answer!r}."
    if isinstance(answer, (complex, np.complexfloating)):
        return None, f"Expected a real number, got the complex number {answer!r}."
    try:
        array = np.asarray(answer)
    except Exception:
        array = None
    if array is not None and array.dtype != object and array.ndim > 0:
        return None, f"Expected one number, got an array of shape {array.shape}."
    try:
        return float(answer), None
    except (TypeError, ValueError):
        return None, f"Expected a number, got {type(answer).__name__} {answer!r}."


def number(answer, expected, *, what="your answer", sig=None, decimals=None, exact=False, hint="") -> Verdict:
    """Check a number against the truth ``expected`` by the fairness rule (see :class:`Precision`)."""
    precision = Precision(sig=sig, decimals=decimals, exact=exact)  # a bad declaration is a course bug: raise
    for records in _RECORDERS:
        records.append(Record(float(expected), precision, what))

    def run():
        if untouched(answer):
            return report(NOT_ATTEMPTED, what, f"Replace ... with your answer ({precision.text()}).", hint)
        value, problem = _as_number(answer)
        if problem:
            return report(WRONG, what, problem, hint)
        if not math.isfinite(value):
            return report(WRONG, what, f"Expected a finite number, got {value!r}.", hint)
        if precision.accepts(value, expected):
            return report(CORRECT, what, f"{value:.6g} is right.")
        if precision.exact and not float(value).is_integer():  # no "close": that would give the answer away
            return report(WRONG, what, f"{value:.6g} is not a whole number, and the answer is one.", hint)
        coarse = Precision(sig=max(precision.sig - 1, 1)) if precision.sig else None  # a digit short?
        if coarse and coarse.accepts(value, expected):
            given = len(f"{abs(value):.6g}".replace(".", "").lstrip("0").split("e")[0])
            near = abs(value - expected) <= 1.5 * precision.unit(expected)  # one step off, not another method
            if given >= precision.sig and near:  # enough digits, rounded the wrong way
                return report(WRONG, what, f"{value:.6g} is close, but the last digit is off: round the exact "
                                            f"value {precision.text()}.", hint)
            if given < precision.sig:
                return report(WRONG, what, f"{value:.6g} is close: give it {precision.text()}.", hint)
        direction = "too large" if value > expected else "too small"
        return report(WRONG, what, f"{value:.6g} is {direction} (the check accepts the answer "
                                    f"{precision.text()}).", hint)

    return _safe(run, what, hint)


def _same_option(answer, options):
    """The option a text answer means, ignoring case and runs of spaces ("No  output " -> "no output")."""
    if not isinstance(answer, str):
        return answer
    key = " ".join(answer.split()).casefold()
    found = [o for o in options if isinstance(o, str) and " ".join(o.split()).casefold() == key]
    return found[0] if len(found) == 1 else answer


def choice(answer, correct, *, options, what="your choice", hint="") -> Verdict:
    """Check a multiple-choice answer: one of ``options``; ``correct`` may be one option or a set.

    ``hint``: one hint for every wrong answer, or a dict {option: hint} with feedback per wrong option.
    """
    general = "" if isinstance(hint, dict) else hint

    def run():
        if untouched(answer):
            return report(NOT_ATTEMPTED, what, f"Set it to one of {', '.join(map(repr, options))}.", general)
        answer_ = _same_option(answer, options)
        if answer_ not in options:
            return report(WRONG, what, f"{answer!r} is not one of {', '.join(map(repr, options))}.", general)
        good = correct if isinstance(correct, (set, frozenset, tuple, list)) else {correct}
        if answer_ in good:
            return report(CORRECT, what, f"{answer_!r} is right.")
        return report(WRONG, what, f"{answer!r} is not it.", hint.get(answer_, "") if isinstance(hint, dict) else hint)

    return _safe(run, what, general)


def _scalar_only(fn, x0) -> bool:
    """True when fn, which failed on an array, gives one number for the single number x0 (a scalar-only answer)."""
    try:
        return np.ndim(fn(float(x0))) == 0
    except ForbiddenCall:
        raise
    except Exception:
        return False


def function(fn, reference, *, x=None, what="your function", rtol=1e-6, atol=1e-9, hint="",
             forbid=(), only_at=()) -> Verdict:
    """Check a learner's function of an array against ``reference`` (e.g. ``acts.sigmoid.grad``).

    The function is called on ``x`` (by default 201 points in [-8, 8]); the
    first point where it differs is reported. ``forbid`` and ``only_at``: what the
    question rules out (see :func:`forbidden`).
    """
    x = np.linspace(-8.0, 8.0, 201) if x is None else np.asarray(x, dtype=float)

    def run():
        if untouched(fn):
            return report(NOT_ATTEMPTED, what, "Write the function first.", hint)
        if not callable(fn):
            return report(WRONG, what, f"Expected a function, got {type(fn).__name__}.", hint)
        with np.errstate(all="ignore"), forbidden(fn, forbid, only_at=only_at, points=x):
            try:
                got = fn(x.copy())
            except (TypeError, ValueError) as exc:
                if not _scalar_only(fn, x[0]):
                    raise
                return report(WRONG, what, f"it works on one number but raised {type(exc).__name__} on an array: "
                              f"x is a NumPy array of {x.size} points, so use array operations (np.maximum, "
                              "np.minimum, np.where, acts functions) instead of max, min, float() or if.", hint)
        if untouched(got):
            return report(NOT_ATTEMPTED, what, "Your function returns nothing yet.", hint)
        got = np.broadcast_to(np.asarray(got, dtype=float), x.shape)
        want = np.asarray(reference(x), dtype=float)
        close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
        if close.all():
            return report(CORRECT, what, f"it matches at all {x.size} test points.")
        i = int(np.argmin(close))
        return report(WRONG, what, f"at x = {x[i]:.4g} it gives {got[i]:.6g}, expected {want[i]:.6g}.", hint)

    return _safe(run, what, hint)


def array(answer, expected, *, what="your array", rtol=1e-6, atol=1e-9, hint="") -> Verdict:
    """Check an array (shape and values) against ``expected``."""

    def run():
        if untouched(answer):
            return report(NOT_ATTEMPTED, what, "Replace ... with your array.", hint)
        got = np.asarray(answer, dtype=float)
        want = np.asarray(expected, dtype=float)
        if got.shape != want.shape:
            return report(WRONG, what, f"its shape is {got.shape}, expected {want.shape}.", hint)
        if np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
            return report(CORRECT, what, "the values are right.")
        worst = np.unravel_index(np.argmax(np.abs(got - want)), got.shape)
        return report(WRONG, what, f"entry {tuple(int(i) for i in worst)} is {got[worst]:.6g}, "
                                    f"expected {want[worst]:.6g}.", hint)

    return _safe(run, what, hint)

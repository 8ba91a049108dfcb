"""Self-check helpers for the exercises.

An exercise gives the learner a stub to fill::

    answer = ...          # replace ... with your number

and a check underneath::

    check.number(answer, expected=6.9057, what="the saturation bound of sigmoid")

Every check prints one clear verdict and returns a :class:`Verdict` (truthy
when correct). A check never raises, whatever the learner wrote, so a notebook
always runs top to bottom:

* ``...`` (Ellipsis), ``None`` or a function that raises ``NotImplementedError``
  counts as "not attempted yet";
* a wrong answer prints what was expected in general terms and a hint, never
  the answer itself;
* an answer that raises prints the exception's type and message.

The exercises of each notebook live in ``acts/exercises/`` and are built from
these primitives; they compute their expected values with ``acts``, so the
notebook does not show the answer in the cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

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


def _report(status: str, what: str, detail: str = "", hint: str = "") -> Verdict:
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
        return _report(NOT_ATTEMPTED, what, "Replace the `raise NotImplementedError` with your code.", hint)
    except Exception as exc:  # the learner's code may raise anything; the notebook must go on
        return _report(WRONG, what, f"Your code raised {type(exc).__name__}: {exc}", hint)


def number(answer, expected, *, what="your answer", rtol=1e-3, atol=0.0, hint="") -> Verdict:
    """Check a number against ``expected`` (within rtol relative or atol absolute)."""

    def run():
        if untouched(answer):
            return _report(NOT_ATTEMPTED, what, "Replace ... with your answer.", hint)
        try:
            value = float(answer)
        except (TypeError, ValueError):
            return _report(WRONG, what, f"Expected a number, got {type(answer).__name__} {answer!r}.", hint)
        if not math.isfinite(value):
            return _report(WRONG, what, f"Expected a finite number, got {value!r}.", hint)
        if math.isclose(value, float(expected), rel_tol=rtol, abs_tol=atol):
            return _report(CORRECT, what, f"{value:.6g} is right.")
        direction = "too large" if value > expected else "too small"
        return _report(WRONG, what, f"{value:.6g} is {direction}.", hint)

    return _safe(run, what, hint)


def choice(answer, correct, *, options, what="your choice", hint="") -> Verdict:
    """Check a multiple-choice answer: one of ``options``; ``correct`` may be one option or a set."""

    def run():
        if untouched(answer):
            return _report(NOT_ATTEMPTED, what, f"Set it to one of {', '.join(map(repr, options))}.", hint)
        if answer not in options:
            return _report(WRONG, what, f"{answer!r} is not one of {', '.join(map(repr, options))}.", hint)
        good = correct if isinstance(correct, (set, frozenset, tuple, list)) else {correct}
        if answer in good:
            return _report(CORRECT, what, f"{answer!r} is right.")
        return _report(WRONG, what, f"{answer!r} is not it.", hint)

    return _safe(run, what, hint)


def function(fn, reference, *, x=None, what="your function", rtol=1e-6, atol=1e-9, hint="") -> Verdict:
    """Check a learner's function of an array against ``reference`` (e.g. ``acts.sigmoid.grad``).

    The function is called on ``x`` (by default 201 points in [-8, 8]); the
    first point where it differs is reported.
    """
    x = np.linspace(-8.0, 8.0, 201) if x is None else np.asarray(x, dtype=float)

    def run():
        if untouched(fn):
            return _report(NOT_ATTEMPTED, what, "Write the function first.", hint)
        if not callable(fn):
            return _report(WRONG, what, f"Expected a function, got {type(fn).__name__}.", hint)
        with np.errstate(all="ignore"):
            got = fn(x.copy())
        if untouched(got):
            return _report(NOT_ATTEMPTED, what, "Your function returns nothing yet.", hint)
        got = np.broadcast_to(np.asarray(got, dtype=float), x.shape)
        want = np.asarray(reference(x), dtype=float)
        close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
        if close.all():
            return _report(CORRECT, what, f"it matches at all {x.size} test points.")
        i = int(np.argmin(close))
        return _report(WRONG, what, f"at x = {x[i]:.4g} it gives {got[i]:.6g}, expected {want[i]:.6g}.", hint)

    return _safe(run, what, hint)


def array(answer, expected, *, what="your array", rtol=1e-6, atol=1e-9, hint="") -> Verdict:
    """Check an array (shape and values) against ``expected``."""

    def run():
        if untouched(answer):
            return _report(NOT_ATTEMPTED, what, "Replace ... with your array.", hint)
        got = np.asarray(answer, dtype=float)
        want = np.asarray(expected, dtype=float)
        if got.shape != want.shape:
            return _report(WRONG, what, f"its shape is {got.shape}, expected {want.shape}.", hint)
        if np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
            return _report(CORRECT, what, "the values are right.")
        worst = np.unravel_index(np.argmax(np.abs(got - want)), got.shape)
        return _report(WRONG, what, f"entry {tuple(int(i) for i in worst)} is {got[worst]:.6g}, "
                                    f"expected {want[worst]:.6g}.", hint)

    return _safe(run, what, hint)

"""Exercises for notebook 00 (why activation functions).

Each check prints a verdict and never raises; the expected values are
computed here with ``acts``, so the notebook never shows them. A wrong answer's
message never gives the expected value away (nor a direction to bisect in).
"""

from __future__ import annotations

import math

import numpy as np

import acts
from acts import check
from acts.experiments import why

SHIFT_OPTIONS = ("every output", "only the largest output", "no output")
MATRIX_RTOL, MATRIX_ATOL = 5e-6, 1e-12   # rtol 5e-6 accepts every entry rounded to 6 significant digits



def _plain_number(answer):
    """``answer`` as a float when it is one plain real number (not a bool, array or complex); else None."""
    if isinstance(answer, (bool, np.bool_)) or np.ndim(answer) != 0:
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def softmax_shift(answer):
    """Section 1: add the same constant to every input of softmax; which outputs change? (None: it sees ratios.)"""
    return check.choice(
        answer, "no output", options=SHIFT_OPTIONS,
        what="which outputs of softmax change when the same number is added to all of its inputs",
        hint="exp(z_i + 5) = e^5 exp(z_i): what happens to each exp and to their sum, and so to the ratio?",
    )


def collapsed_matrix(answer, W1, W2, W3):
    """Section 2: the one matrix M with ((x W1) W2) W3 = x M.

    A wrong matrix of the right shape is answered by naming its wrong entries, never their expected
    values; the transpose of M (the product in the other order, transposed) gets its own hint.
    """
    expected = np.asarray(W1) @ np.asarray(W2) @ np.asarray(W3)
    what = "the single matrix that replaces the three layers"
    hint = "apply the layers one after another to x and use that matrix products associate: (x A) B = x (A B)."
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        got = None
    close = dict(rtol=MATRIX_RTOL, atol=MATRIX_ATOL, equal_nan=True)
    if got is not None and got.shape == expected.T.shape and not (
            got.shape == expected.shape and np.allclose(got, expected, **close)) \
            and np.allclose(got, expected.T, **close):
        return check.report(check.WRONG, what, "Your matrix is the transpose of the one asked for.",
                            "x is a row on the left, so x meets A first: the product runs A, B, C in that order. "
                            "(C^T B^T A^T is the same product transposed, for a column x on the right.)")
    if got is not None and got.shape == expected.shape and not np.allclose(got, expected, **close):
        wrong = np.argwhere(~np.isclose(got, expected, **close))
        first = tuple(int(i) for i in wrong[0])
        others = f" and {len(wrong) - 1} other entr{'y is' if len(wrong) == 2 else 'ies are'}" if len(wrong) > 1 else ""
        return check.report(check.WRONG, what,
                            f"Entry {first}{others} not right (the check reads 6 significant digits).", hint)
    return check.array(answer, expected, rtol=MATRIX_RTOL, atol=MATRIX_ATOL, what=what, hint=hint)


@check.numeric
def units_for_sine(answer, tol: float = 0.01):
    """Section 3: the fewest ReLU units whose sum stays within tol of sin(x) on [-3, 3].

    A wrong whole number is told only that it is not the fewest (no "too small", which would let a
    learner bisect without computing); a number that is not whole is told so, shown as typed.
    """
    truth = why.units_needed("sine", tol)
    what = f"the fewest units with max error below {tol:g}"
    hint = "try why.max_error('sine', n) for growing n (a loop), or move the explorer's slider."
    value = _plain_number(answer)
    if value is not None and not check.Precision(exact=True).accepts(value, truth):
        if not value.is_integer():
            return check.report(check.WRONG, what, f"{answer!r} is not a whole number: a count of units is.", hint)
        return check.report(check.WRONG, what,
                            f"{int(value)} is not the fewest number of units with max error below {tol:g}.",
                            hint + " Compare n with n - 1.")
    return check.number(answer, truth, what=what, exact=True, hint=hint)


@check.numeric
def relu_grad_at_zero(answer):
    """Section 4: the value acts (like PyTorch) uses for relu'(0): that number exactly, nothing else."""
    truth = float(acts.relu.grad(0.0))
    what = "relu'(0) as acts and PyTorch define it"
    hint = "compute acts.relu.grad(0.0); the slope is 0 just left of the kink and 1 just right of it."
    if isinstance(answer, (bool, np.bool_)):
        return check.report(check.WRONG, what, f"{answer!r} is a truth value; the question asks for a number.", hint)
    value = _plain_number(answer)
    if value is not None and value != truth:
        return check.report(check.WRONG, what, f"{answer!r} is not the value acts uses (the check accepts that "
                            "whole number exactly, nothing else).", hint)
    return check.number(answer, truth, what=what, exact=True, hint=hint)

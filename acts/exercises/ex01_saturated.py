"""Exercises for notebook 01 (saturated activations: sigmoid, tanh, hard-sigmoid).

Each check prints a verdict and never raises; the expected values are
computed here with ``acts``, so the notebook never shows them.
"""

from __future__ import annotations

import numpy as np

import acts
from acts import check
from acts.experiments import saturated

SIGN_OPTIONS = ("all the same sign", "a random mix of signs", "all zero")
# The sigmoid-derivative check's test points: [-8, 8] in steps of 1/32, exact in float16 and float32 too, so
# an answer that casts x to float32 still calls acts.sigmoid at the test points and is judged on its values.
SIGMOID_POINTS = np.arange(-256, 257) / 32.0
OTHER_ACTIVATIONS = tuple(f"acts.{name}" for name in acts.names() if name != "sigmoid")
SIGMOID_FORBID = ("acts.sigmoid.grad", "acts.sigmoid.value_and_grad", "np.gradient") + check.EXPONENTIALS \
    + OTHER_ACTIVATIONS



def _low_precision(fn, x, forbid, only_at) -> str | None:
    """The dtype name ("float32", "float16") when fn, run under the exercise's rules, returns a low-precision
    float array; None otherwise (including when it raises: check.function then reports that)."""
    if not callable(fn):
        return None
    try:
        with np.errstate(all="ignore"), check.forbidden(fn, forbid, only_at=only_at, points=x):
            out = fn(x.copy())
    except Exception:  # the learner's code may raise anything; check.function words it
        return None
    dtype = getattr(out, "dtype", None)
    return dtype.name if dtype in (np.float16, np.float32) else None


def sigmoid_derivative(fn):
    """Section 1: a function that returns sigmoid'(x) for an array x (no acts.sigmoid.grad, no finite differences).

    Enforced: acts.sigmoid.grad, acts.sigmoid.value_and_grad, np.gradient, NumPy's and math's exponentials
    and every other activation of acts (with its .grad: softplus' is the sigmoid) are blocked; acts.sigmoid
    answers only at the test points and only for real input (no complex step). An answer computed in float32
    is told that float32 is the reason. On trust: exponentials reached another way (Euler's number typed out,
    scipy, mpmath, a name bound before the check).
    """
    what = "your sigmoid derivative"
    hint = "differentiate 1 / (1 + e^-x) and write the result with s = acts.sigmoid(x) itself."
    low = _low_precision(fn, SIGMOID_POINTS, SIGMOID_FORBID, ("acts.sigmoid",))
    if low:
        return check.report(check.WRONG, what, f"Your function returns {low} numbers. They keep only about "
                            f"{np.finfo(low).precision} significant digits, and 1 - s loses most of them where s "
                            "is close to 1, so the values miss the check's 6 digits in the right tail.",
                            "keep x as it comes (float64) and compute in float64.")
    return check.function(fn, acts.sigmoid.grad, x=SIGMOID_POINTS, what=what, forbid=SIGMOID_FORBID,
                          only_at=("acts.sigmoid",), hint=hint)


def tanh_from_sigmoid(fn):
    """Section 2: tanh written with acts.sigmoid only (and arithmetic)."""
    return check.function(
        fn, acts.tanh, what="your tanh built from the sigmoid",
        forbid=check.EXPONENTIALS + OTHER_ACTIVATIONS,
        hint="stretch sigmoid's input by 2, then map its range (0, 1) onto (-1, 1).",
    )


@check.numeric
def saturation_bound(answer, eps: float = 1e-2):
    """Section 3: the x beyond which sigmoid'(x) < eps."""
    return check.number(
        answer, saturated.saturation_x("sigmoid", eps), what=f"the x beyond which sigmoid' < {eps:g}",
        sig=3, hint="solve s (1 - s) = eps for s, then x = log(s / (1 - s)); or read the explorer's readout.",
    )


@check.numeric
def depth_factor(answer, layers: int = 10):
    """Section 4: the largest possible product of sigmoid derivatives over ``layers`` layers."""
    largest = float(acts.sigmoid.grad(0.0))
    return check.number(
        answer, largest**layers, what=f"the largest product of {layers} sigmoid derivatives",
        hint="each factor is at most the largest value of sigmoid', which it takes at x = 0.",
    )


def gradient_signs(answer):
    """Section 5: the signs of one example's gradients for the weights into a unit whose inputs are all positive."""
    return check.choice(
        answer, "all the same sign", options=SIGN_OPTIONS,
        what="the signs of dL/dw_i for one example when every input a_i is positive",
        hint="dL/dw_i = a_i * delta: which factor is shared by every i, and what sign does a_i have?",
    )


@check.numeric
def hard_sigmoid_edge(answer):
    """Section 6: where PyTorch's hard-sigmoid, clip(x/6 + 1/2, 0, 1), reaches 1."""
    return check.number(
        answer, max(acts.get("hard_sigmoid").kink_points()), what="the x where hard-sigmoid reaches 1",
        hint="solve x/6 + 1/2 = 1.",
    )

"""The exercises of notebook 02 (unsaturated activations).

Each check prints a verdict and never raises; the expected values are computed
here with ``acts``, so the notebook cell shows only the question and the stub.

>>> from acts.exercises import ex02_relu_family as ex
>>> ex.notes_leaky_slope(...).status
'not attempted yet'
"""

from __future__ import annotations

import numpy as np

from acts import check, plotting
from acts.registry import get

# ---------------------------------------------------------------- ReLU


def relu_grad(fn):
    """Your ReLU derivative as a function of an array, with the value frameworks use at x = 0."""
    x = np.concatenate([np.linspace(-3.0, 3.0, 61), [0.0, -1e-300, 1e-300]])
    return check.function(fn, get("relu").grad, x=x, what="your ReLU derivative",
                          hint="1 where x > 0 and 0 elsewhere; PyTorch, JAX and TensorFlow all use 0 at x = 0")


#: The dead-unit question: weights, bias, and the square the data fill.
DEAD_UNIT = dict(weights=(0.5, -0.5), bias=-1.2, low=-1.0, high=1.0)


def dead_unit(answer):
    """Is the first-layer ReLU unit of ``DEAD_UNIT`` dead on every point of the square? 'dead' or 'alive'."""
    w, b = np.array(DEAD_UNIT["weights"]), DEAD_UNIT["bias"]
    corners = np.array([[DEAD_UNIT[i], DEAD_UNIT[j]] for i in ("low", "high") for j in ("low", "high")])
    largest_z = float(np.max(corners @ w + b))  # z is linear: its maximum over the square is at a corner
    correct = "dead" if largest_z <= 0 else "alive"
    return check.choice(answer, correct, options=("dead", "alive"), what="is the unit dead?",
                        hint="z = w . x + b is linear in x, so its largest value over the square is at a corner")


# ---------------------------------------------------------------- Leaky ReLU


@check.numeric
def notes_leaky_slope(answer):
    """The ``slope=`` of ``acts.leaky_relu`` that reproduces the notes' ``np.where(x < 0, x / a, x)`` with a = 2."""
    return check.number(answer, expected=1.0 / 2.0, what="the slope of the notes' leaky ReLU",
                        hint="for x < 0 the notes return x / a: what number multiplies x?")


# ---------------------------------------------------------------- ELU


def elu_grad_from_value(fn):
    """Your ELU derivative (alpha = 1) written with ``acts.elu(x)`` and no exponential of your own."""
    return check.function(fn, get("elu").grad, what="your ELU derivative",
                          forbid=check.EXPONENTIALS + ("acts.elu.grad", "acts.elu.value_and_grad"),
                          hint="for x <= 0, f(x) = e^x - 1, so e^x = f(x) + 1; for x > 0 the slope is 1")


# ---------------------------------------------------------------- SELU


@check.numeric
def notes_selu_variance(answer):
    """Var[selu(z)] for z ~ N(0, 1) with the notes' constants lambda = 2 (scale), alpha = 1."""
    from acts.experiments.unsaturated import gaussian_moment

    mean = gaussian_moment("selu", 1, scale=2.0, alpha=1.0)
    second = gaussian_moment("selu", 2, scale=2.0, alpha=1.0)
    return check.number(answer, expected=second - mean**2, what="the variance with lambda = 2, alpha = 1",
                        hint="Var = E[f(z)^2] - E[f(z)]^2; integrate f(z)^k times the normal density "
                              "(a fine grid and np.trapezoid will do)")


# ---------------------------------------------------------------- Swish


@check.numeric
def swish_min_at(answer, beta=2.0):
    """Where swish(x, beta) has its minimum (for beta = 2 by default)."""
    expected = next(p.x for p in plotting.key_points("swish", beta=beta) if p.kind == "min f")
    return check.number(answer, expected=expected, what=f"the x of swish's minimum for beta = {beta:g}",
                        hint="swish(x, beta) = swish(beta x, 1) / beta: the whole curve is squeezed by beta")


# ---------------------------------------------------------------- Mish


def mish_from_softplus(fn):
    """Your Mish, written with ``acts.softplus`` and ``np.tanh``."""
    return check.function(fn, get("mish"), what="your Mish", forbid=("acts.mish",),
                          hint="mish(x) = x * tanh(softplus(x))")


# ---------------------------------------------------------------- GELU and Softplus


@check.numeric
def softplus_gap(answer, beta=4.0):
    """The largest abs(softplus(x, beta) - relu(x)) over all x (for beta = 4 by default)."""
    x = np.linspace(-20.0, 20.0, 40001)
    expected = float(np.max(np.abs(get("softplus")(x, beta=beta) - get("relu")(x))))
    return check.number(answer, expected=expected, what=f"the largest gap between softplus (beta = {beta:g}) and ReLU",
                        hint="the gap shrinks on both sides: look at x = 0, and remember softplus(x, beta) "
                             "= ln(1 + e^(beta x)) / beta")


# ---------------------------------------------------------------- comparison

CAN_DIE = ("relu", "leaky_relu", "elu", "swish", "gelu")


def can_die(answer):
    """Which of ``CAN_DIE`` has f'(x) exactly 0 on the whole negative half-line (so its units can die)?"""
    x = -np.geomspace(1e-3, 30.0, 200)
    correct = {name for name in CAN_DIE if np.all(get(name).grad(x) == 0)}
    return check.choice(answer, correct, options=CAN_DIE, what="the activation whose units can die",
                        hint="evaluate acts.get(name).grad on some negative numbers")

"""The exercises of notebook 02 (the ReLU family: ReLU, Leaky ReLU, ELU, SELU).

Each check prints a verdict and never raises; the expected values are computed
here with ``acts``, so the notebook cell shows only the question and the stub.

>>> from acts.exercises import ex02_relu_family as ex
>>> ex.notes_leaky_slope(...).status
'not attempted yet'
"""

from __future__ import annotations

import numpy as np

from acts import analysis, check
from acts.registry import get

# ---------------------------------------------------------------- ReLU


#: What the ReLU-derivative question blocks: the course's own ReLU derivatives, the relatives whose derivative
#: is ReLU's (Leaky ReLU and PReLU at slope 0, ReLU6 below its cap) and the acts modules with second copies.
RELU_GRAD_FORBIDDEN = ("acts.relu.grad", "acts.relu.value_and_grad", "acts.leaky_relu", "acts.prelu", "acts.relu6",
                       "acts.get", "acts.registry", "acts.functions", "acts.records", "acts.layers")


def relu_grad(fn):
    """Your ReLU derivative as a function of an array, with the value frameworks use at x = 0."""
    x = np.concatenate([np.linspace(-3.0, 3.0, 61), [0.0, -1e-300, 1e-300]])
    return check.function(fn, get("relu").grad, x=x, what="your ReLU derivative", forbid=RELU_GRAD_FORBIDDEN,
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


#: What the ELU question blocks: NumPy's and math's exponentials, ELU's own derivatives (in x and in alpha:
#: d elu / d alpha = e^x - 1 on the left), the acts functions from whose values e^x follows by arithmetic
#: (s / (1 - s) with s = sigmoid(x), (1 + t) / (1 - t) with t = tanh(x / 2), selu(x) / (lambda alpha) + 1, ...),
#: and the acts modules that lead to a second copy of them (registry, functions, records, layers). Out of reach,
#: so on trust: the ** operator with a typed-out e, other libraries (scipy.special, mpmath), modules the
#: notebook imported by name (``ex``, ``nn``, ``analysis``), and names bound before the check runs or imported
#: inside the function.
ELU_FORBIDDEN = check.EXPONENTIALS + ("acts.elu.grad", "acts.elu.value_and_grad", "acts.elu.param_grads",
                                      "acts.sigmoid", "acts.tanh", "acts.softplus", "acts.swish", "acts.mish",
                                      "acts.selu", "acts.registry", "acts.functions", "acts.records", "acts.layers")


def elu_grad_from_value(fn):
    """Your ELU derivative (alpha = 1) written with ``acts.elu(x)`` and no exponential of your own."""
    return check.function(fn, get("elu").grad, what="your ELU derivative", forbid=ELU_FORBIDDEN,
                          hint="for x <= 0, f(x) = e^x - 1, so e^x = f(x) + 1; for x > 0 the slope is 1")


# ---------------------------------------------------------------- SELU


@check.numeric
def notes_selu_variance(answer):
    """Var[selu(z)] for z ~ N(0, 1) with the notes' constants lambda = 2 (scale), alpha = 1, to 3 significant digits."""
    mean = analysis.gaussian_expectation("selu", scale=2.0, alpha=1.0)
    second = analysis.gaussian_expectation(lambda z: get("selu")(z, scale=2.0, alpha=1.0) ** 2, breaks=(0.0,))
    return check.number(answer, second - mean**2, sig=3, what="the variance with lambda = 2, alpha = 1",
                        hint="Var = E[f(z)^2] - E[f(z)]^2; integrate f(z)^k times the normal density "
                             "(a fine grid and np.trapezoid will do)")

"""Exercises for notebook 00 (why activation functions).

Each check prints a verdict and never raises; the expected values are
computed here with ``acts``, so the notebook never shows them.
"""

from __future__ import annotations

import numpy as np

import acts
from acts import check
from acts.experiments import why

SHIFT_OPTIONS = ("every output", "only the largest output", "no output")


def softmax_shift(answer):
    """Section 1: add the same constant to every input of softmax; which outputs change? (None: it sees ratios.)"""
    return check.choice(
        answer, "no output", options=SHIFT_OPTIONS,
        what="which outputs of softmax change when the same number is added to all of its inputs",
        hint="exp(z_i + 5) = e^5 exp(z_i): what happens to each exp and to their sum, and so to the ratio?",
    )


def collapsed_matrix(answer, W1, W2, W3):
    """Section 2: the one matrix M with ((x W1) W2) W3 = x M."""
    expected = np.asarray(W1) @ np.asarray(W2) @ np.asarray(W3)
    return check.array(  # rtol 5e-6 accepts every entry rounded to 6 significant digits (leading digit 1: 5e-6)
        answer, expected, rtol=5e-6, atol=1e-12, what="the single matrix that replaces the three layers",
        hint="apply the layers one after another to x and use that matrix products associate: (x A) B = x (A B).",
    )


@check.numeric
def units_for_sine(answer, tol: float = 0.01):
    """Section 3: the fewest ReLU units whose sum stays within tol of sin(x) on [-3, 3]."""
    return check.number(
        answer, why.units_needed("sine", tol), what=f"the fewest units with max error below {tol:g}",
        exact=True,
        hint="try why.max_error('sine', n) for growing n (a loop), or move the explorer's slider.",
    )


@check.numeric
def relu_grad_at_zero(answer):
    """Section 4: the value acts (like PyTorch) uses for relu'(0)."""
    return check.number(
        answer, float(acts.relu.grad(0.0)), what="relu'(0) as acts and PyTorch define it", exact=True,
        hint="compute acts.relu.grad(0.0); the slope is 0 just left of the kink and 1 just right of it.",
    )

"""The exercises of notebook 03 (smooth activations: Swish, Mish, GELU, Softplus).

Each check prints a verdict and never raises; the expected values are computed
here with ``acts``, so the notebook cell shows only the question and the stub.
Numeric checks follow the course's fairness rule (``acts.check.Precision``):
each question states the precision it asks for.

>>> from acts.exercises import ex03_smooth as ex
>>> ex.softplus_gap(...).status
'not attempted yet'
"""

from __future__ import annotations

import numpy as np
from scipy.special import stdtrit

from acts import analysis, check
from acts.registry import get

# ---------------------------------------------------------------- Swish


@check.numeric
def swish_min_at(answer, beta=2.0):
    """Where swish(x, beta) has its minimum (beta = 2 by default), to 3 significant digits."""
    expected = next(p.x for p in analysis.key_points("swish", beta=beta) if p.kind == "min f")
    return check.number(answer, expected, sig=3, what=f"the x of swish's minimum for beta = {beta:g}",
                        hint="swish(x, beta) = swish(beta x, 1) / beta: the whole curve is squeezed by beta")


# ---------------------------------------------------------------- Mish


def mish_from_softplus(fn):
    """Your Mish, written with ``acts.softplus`` and ``np.tanh`` (``acts.mish`` ruled out)."""
    return check.function(fn, get("mish"), what="your Mish",
                          forbid=("acts.mish",),
                          hint="mish(x) = x * tanh(softplus(x))")


# ---------------------------------------------------------------- GELU and Softplus


@check.numeric
def softplus_gap(answer, beta=4.0):
    """The largest abs(softplus(x, beta) - relu(x)) over all x (beta = 4 by default), to 3 significant digits."""
    x = np.linspace(-20.0, 20.0, 40001)  # 0 is a grid point: the gap is largest there
    expected = float(np.max(np.abs(get("softplus")(x, beta=beta) - get("relu")(x))))
    return check.number(answer, expected, sig=3,
                        what=f"the largest gap between softplus (beta = {beta:g}) and ReLU",
                        hint="the gap shrinks on both sides: look at x = 0, and remember softplus(x, beta) "
                             "= ln(1 + e^(beta x)) / beta")


# ---------------------------------------------------------------- the race

#: Ten paired differences of test accuracy (made-up numbers for practice, not from a run) for the interval question.
RACE_DIFFS = (0.02, -0.01, 0.03, 0.00, 0.01, 0.04, -0.02, 0.01, 0.02, 0.00)


@check.numeric
def interval_half_width(answer, diffs=RACE_DIFFS, level=0.95):
    """The half-width t * s / sqrt(n) of the 95% interval for the mean of ``diffs``, to 2 significant digits."""
    d = np.asarray(diffs, dtype=float)
    expected = float(stdtrit(d.size - 1, 0.5 + level / 2) * d.std(ddof=1) / np.sqrt(d.size))
    return check.number(answer, expected, sig=2, what="the half-width of the 95% interval",
                        hint="s is the sample standard deviation (ddof=1), n the number of seeds, and t the "
                             "0.975 quantile of Student's t with n - 1 degrees of freedom "
                             "(scipy.stats.t.ppf(0.975, n - 1))")

"""Exercises of notebook 06 (activations in a deep network). Each check prints a verdict and never raises.

>>> from acts.exercises import ex06_deep_network as ex
>>> ex.relu_gain(...)                       # doctest: +ELLIPSIS
✏️ Not attempted yet: ...
Verdict('not attempted yet')
"""

from __future__ import annotations

import numpy as np

from acts import check
from acts.analysis import gaussian_expectation
from acts.registry import get


def _second_moment_gain(name: str) -> float:
    act = get(name)
    return float(1.0 / np.sqrt(gaussian_expectation(lambda z: act(z) ** 2, breaks=act.kink_points())))


@check.numeric
def relu_gain(answer) -> check.Verdict:
    """The ReLU gain that keeps E[a^2] = E[z^2] from layer to layer, to 3 significant digits."""
    return check.number(answer, _second_moment_gain("relu"), sig=3, what="the gain for ReLU",
                        hint="For z ~ N(0, 1), half the mass is below 0, where relu(z)^2 = 0; the other half "
                             "gives E[z^2] / 2. The gain is 1 / sqrt of that.")


@check.numeric
def tanh_gain(answer) -> check.Verdict:
    """The tanh gain 1 / sqrt(E[tanh(z)^2]) for z ~ N(0, 1), to 3 significant digits."""
    return check.number(answer, _second_moment_gain("tanh"), sig=3, what="the gain for tanh",
                        hint="Estimate E[tanh(z)^2] with many samples z = rng.standard_normal(10**6), or with "
                             "acts.analysis.gaussian_expectation; then take 1 / sqrt of it.")

"""Exercises of notebook 04 (mobile-friendly activations). Each check prints a verdict and never raises.

>>> from acts.exercises import ex04_mobile_friendly as ex
>>> ex.grid_step(...)                      # doctest: +ELLIPSIS
✏️ Not attempted yet: ...
Verdict('not attempted yet')
"""

from __future__ import annotations

import numpy as np

from acts import check
from acts.registry import get

_FINE = np.linspace(-8.0, 8.0, 16001)  # step 0.001: both forms' kinks (+-2.5, +-3) lie on it
#: A grid of step 0.05 over [-6, 6] plus fixed points off it (no randomness in a check), so that a function
#: right only on the grid is caught.
HARD_SWISH_X = np.concatenate([np.linspace(-6.0, 6.0, 241),
                            [-7.3, -3.0173, -2.9871, -1.2345, -0.0137, 0.4321, 1.7771, 2.9913, 3.0119, 4.4444, 8.9]])


@check.numeric
def grid_step(answer) -> check.Verdict:
    """The step between neighbouring levels of an 8-bit grid (256 levels) over ReLU6's range [0, 6]."""
    expected = get("relu6").params["cap"].default / (2**8 - 1)
    return check.number(answer, expected, what="the step of an 8-bit grid over [0, 6]", sig=3,
                        hint="An 8-bit grid has 2**8 evenly spaced levels, the lowest at 0 and the highest at 6.")


@check.numeric
def forms_gap(answer) -> check.Verdict:
    """The largest difference between the two hard-sigmoids, slope 1/6 (PyTorch) and slope 0.2 (Keras 2)."""
    act = get("hard_sigmoid")
    expected = float(np.max(np.abs(act(_FINE, slope=0.2) - act(_FINE))))
    return check.number(answer, expected, what="the largest gap between the two hard-sigmoids", sig=3,
                        hint="Both are straight lines through (0, 0.5) until one of them reaches 1: where, "
                             "and what is the other one's value there?")


def hard_swish_from_relu6(fn) -> check.Verdict:
    """A learner's hard-swish written with ``acts.relu6`` (or any other way), against the registry's."""
    return check.function(fn, get("hard_swish"), what="your hard-swish", x=HARD_SWISH_X,
                          forbid=("acts.hard_swish",),
                          hint="hard-swish is x times one of this notebook's hard functions.")


@check.numeric
def int8_three(answer) -> check.Verdict:
    """The int8 value that stands for x = 3 when int8 inputs cover [-8, 8) (step 8 / 128 = 1/16)."""
    return check.number(answer, 3 / (8 / 128), what="the int8 code of x = 3", exact=True,
                        hint="x = step * q, so q = x / step.")


CHEAPER = {
    "a": "swish cannot be computed with integers only, so an int8 engine would have to switch to float for it",
    "b": "hard-swish is built from ReLU6, which int8 engines already run: no sigmoid approximations, "
         "fewer memory reads",
    "c": "hard-swish is always faster in NumPy on a desktop CPU, and so it must be faster on a phone's chip too",
    "d": "hard-swish's output is bounded, so its int8 output range can be fixed once, before the network runs",
}


def why_cheaper(answer) -> check.Verdict:
    """Multiple choice: why MobileNetV3 chose hard-swish for int8 deployment (keys of CHEAPER; the paper's reasons)."""
    return check.choice(answer, "b", options=tuple(CHEAPER), what="why hard-swish suits int8 hardware",
                        hint=WHY_NOT)


#: Feedback per wrong option of ``why_cheaper``.
WHY_NOT = {
    "a": "A 256-entry table computes any function of an int8 input, swish included, with integers only. "
         "What else did the MobileNetV3 paper give as reasons?",
    "c": "NumPy timings on a desktop measure NumPy on that desktop; they say nothing about a phone's chip.",
    "d": "hard-swish(x) = x for x >= 3: it is unbounded above, like ReLU.",
}

"""Exercises of notebook 05 (learnable activations). Each check prints a verdict and never raises.

>>> from acts.exercises import ex05_learnable as ex
>>> ex.prelu_alpha_grad(...)                # doctest: +ELLIPSIS
✏️ Not attempted yet: ...
Verdict('not attempted yet')
"""

from __future__ import annotations

import numpy as np

from acts import check, nn
from acts.registry import get


@check.numeric
def prelu_alpha_grad(answer) -> check.Verdict:
    """d prelu / d alpha at x = -2 (alpha = 0.25)."""
    expected = float(get("prelu").param_grads(np.array(-2.0), alpha=0.25)["alpha"])
    return check.number(answer, expected, what="d f / d alpha at x = -2", exact=True,
                        hint="For x < 0, f = alpha * x: differentiate with respect to alpha, not x.")


SWISH_LIMITS = ("x/2", "relu", "x", "0")
#: Other ways to write an option, after spaces are dropped and letters lower-cased ("x / 2", "0.5x", "ReLU(x)").
_SWISH_SPELLINGS = {"x/2": ("0.5x", "0.5*x", "x*0.5", "x/2.0", "x/2.", "1/2x", "x*1/2", "(1/2)x", "(1/2)*x"),
                    "relu": ("relu(x)", "max(0,x)", "max(x,0)"), "x": ("1x", "1*x"), "0": ("0.0", "0.")}


def _swish_option(answer):
    """The option an answer spells (spaces dropped, case ignored); anything else unchanged, for the check's message."""
    if not isinstance(answer, str):
        return answer
    key = "".join(answer.split()).casefold()
    for option, spellings in _SWISH_SPELLINGS.items():
        if key == option or key in spellings:
            return option
    return answer


def swish_beta_zero(answer) -> check.Verdict:
    """Multiple choice: the function swish(x) = x sigmoid(beta x) becomes as beta -> 0 (one of SWISH_LIMITS).

    Spaces do not matter, and the usual other spellings of an option count as that option ("x / 2", "0.5x").
    """
    act = get("swish")
    x = np.linspace(-3.0, 3.0, 61)
    candidates = {"x/2": x / 2, "relu": np.maximum(x, 0.0), "x": x, "0": 0 * x}
    correct = next(key for key, value in candidates.items() if np.allclose(act(x, beta=0.0), value))
    return check.choice(_swish_option(answer), correct, options=SWISH_LIMITS, what="swish as beta -> 0",
                        hint="What is sigmoid(0)?")


MAXOUT_SIZES = {"n_in": 100, "n_out": 50, "k": 3}


@check.numeric
def maxout_parameters(answer) -> check.Verdict:
    """The number of parameters of a maxout layer with 100 inputs, 50 units and k = 3 pieces."""
    layer = nn.Maxout(MAXOUT_SIZES["n_in"], MAXOUT_SIZES["n_out"], MAXOUT_SIZES["k"], rng=0)
    expected = int(sum(p.size for p in layer.parameters().values()))
    return check.number(answer, expected, what="the parameters of the maxout layer", exact=True,
                        hint="Each of the k pieces is a whole dense layer, with its own weights and biases.")

"""Exercises of notebook 07 (choosing an activation).

Each check computes its expected answer with ``acts`` (or from the bake-off
result it is given), prints a verdict and never raises::

    from acts.exercises import ex07_choosing as ex
    answer = ...
    ex.gap_or_spread(answer, spirals)
"""

from __future__ import annotations

from acts import check
from acts.experiments import choosing
from acts.registry import get

YES_NO = ("yes", "no")


def gap_or_spread(answer, result, name: str = "swish", baseline: str = "relu"):
    """Is the gap between the mean scores of ``name`` and ``baseline`` larger than ``baseline``'s spread across seeds?

    The spread is max - min over the seeds. ``result``: a ``choosing.BakeOff``.
    """
    try:
        a = result.score[result.index(name)].mean()
        b = result.score[result.index(baseline)]
        expected = "yes" if abs(a - b.mean()) > b.max() - b.min() else "no"
    except Exception as exc:  # a wrong object for ``result`` must not break the notebook
        return check.choice(answer, None, options=YES_NO, what=f"{name} vs {baseline}",
                            hint=f"pass the bake-off result as the second argument ({type(exc).__name__})")
    return check.choice(
        answer, expected, options=YES_NO, what=f"is the {name} - {baseline} gap larger than {baseline}'s spread",
        hint=f"compare abs(mean({name}) - mean({baseline})) with max - min of {baseline}'s scores "
             f"(the 'min – max' column of the table)")


def smooth_non_monotonic(answer):
    """Which of a few activations is smooth (no kink, f'' continuous) and not monotonic?"""
    options = ("relu", "elu", "gelu", "hard_swish", "leaky_relu")
    correct = {n for n in options if choosing.smoothness(n) == "yes" and choosing.monotonic(n) != "yes"}
    return check.choice(answer, correct, options=options, what="smooth and non-monotonic",
                        hint="read the 'monotonic' and 'smooth' columns of the shape table; "
                             "a kink or a jump of f'' disqualifies")


@check.numeric
def keras_leaky_layer(answer, x: float = -5.0):
    """What does a Keras ``LeakyReLU`` layer with its default slope output for ``x``?"""
    expected = float(get("leaky_relu")(x, slope=choosing.LEAKY_SLOPES["Keras LeakyReLU layer"]))
    return check.number(answer, expected, what=f"Keras LeakyReLU layer at x = {x:g}",
                        hint="look up the layer's default slope in the conventions table; for x < 0 the output "
                             "is slope * x")


def microcontroller(answer):
    """Scenario: a small keyword-spotting net running with int8 arithmetic on a microcontroller."""
    options = ("gelu", "relu6", "selu", "sigmoid", "mish")
    return check.choice(answer, "relu6", options=options, what="an activation for an int8 microcontroller",
                        hint="you want a cheap, piecewise-linear function with a bounded range "
                             "(notebook 04: the range decides the int8 step size)")

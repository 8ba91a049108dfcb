"""Exercises of notebook 07 (choosing an activation).

Each check computes its expected answer with ``acts`` (or from the bake-off
result it is given), prints a verdict and never raises::

    from acts.exercises import ex07_choosing as ex
    answer = ...
    ex.paired_verdict(answer, spirals, "gelu")
"""

from __future__ import annotations

from acts import analysis, check
from acts.experiments import bakeoff, conventions
from acts.registry import get

VERDICTS = ("better", "tie", "worse")


def paired_verdict(answer, result):
    """On the spirals, against ReLU, seed by seed, is GELU "better", "worse" or a "tie" (95% interval contains 0)?

    ``result``: the spirals ``bakeoff.BakeOff``; the expected answer is read from its paired interval. The entry
    and the task are the question's, not the caller's: another task's result is refused.
    """
    label, baseline = "gelu", "relu"
    task = getattr(getattr(result, "task", None), "name", None)
    if task != "spirals":  # the question is about the spirals: another result would check another question
        return check.choice(answer, None, options=VERDICTS, what=f"{label} vs {baseline} on the spirals",
                            hint=f"pass the spirals bake-off result (`spirals`) as the second argument, not {task!r}")
    try:
        expected = bakeoff.paired(result, label, baseline).verdict
    except Exception as exc:  # a wrong object for ``result`` must not break the notebook
        return check.choice(answer, None, options=VERDICTS, what=f"{label} vs {baseline}",
                            hint=f"pass the bake-off result as the second argument ({type(exc).__name__})")
    return check.choice(
        answer, expected, options=VERDICTS, what=f"{label} against {baseline} on {result.task.name}",
        hint="read the interval of the paired difference: entirely on the better side of 0, entirely on the "
             "worse side, or containing 0")


def smooth_non_monotonic(answer):
    """Which of a few activations is smooth (no kink, f'' continuous) and not monotonic?"""
    options = ("relu", "elu", "gelu", "hard_swish", "leaky_relu")
    correct = {n for n in options if analysis.smoothness(n) == "yes" and analysis.monotonic(n) != "yes"}
    return check.choice(answer, correct, options=options, what="smooth and non-monotonic",
                        hint="read the 'monotonic' and 'smooth' columns of the shape table; "
                             "a kink or a jump of f'' disqualifies")


@check.numeric
def keras_leaky_layer(answer, x: float = -5.0):
    """What does a Keras ``LeakyReLU`` layer with its default slope output for ``x``? (To 3 significant digits.)"""
    expected = float(get("leaky_relu")(x, slope=conventions.leaky_slopes()["Keras 3: keras.layers.LeakyReLU"]))
    return check.number(answer, expected, what=f"Keras LeakyReLU layer at x = {x:g}", sig=3,
                        hint="look up the layer's default slope in the conventions table; for x < 0 the output "
                             "is slope * x")


def microcontroller(answer):
    """Scenario: a small keyword-spotting net running with int8 arithmetic on a microcontroller."""
    options = ("gelu", "relu", "relu6", "selu", "sigmoid", "mish")
    return check.choice(answer, {"relu", "relu6"}, options=options, what="an activation for an int8 microcontroller",
                        hint="you want a cheap, piecewise-linear function whose range an int8 format can cover "
                             "(notebook 04: a range calibrated on data, or a cap fixed in advance)")

"""The exercise checks: right verdicts, "not attempted yet" for stubs, never an exception."""

import numpy as np
import pytest

import acts
from acts import check


def test_number_verdicts(capsys):
    assert check.number(6.9, expected=6.9057, rtol=1e-2).status == check.CORRECT
    assert check.number(5.0, expected=6.9057).status == check.WRONG
    assert "too small" in capsys.readouterr().out
    assert check.number(..., expected=1.0).status == check.NOT_ATTEMPTED
    assert check.number(None, expected=1.0).status == check.NOT_ATTEMPTED
    assert check.number("seven", expected=7.0).status == check.WRONG
    assert check.number(float("nan"), expected=7.0).status == check.WRONG


def test_wrong_answer_does_not_reveal_the_expected_number(capsys):
    check.number(1.0, expected=6.9057, what="the bound", hint="solve sigmoid'(x) = eps")
    out = capsys.readouterr().out
    assert "6.9057" not in out and "Hint: solve" in out


def test_choice_verdicts():
    opts = ("a", "b", "c")
    assert check.choice("b", "b", options=opts)
    assert check.choice("a", {"a", "c"}, options=opts)
    assert check.choice("c", "b", options=opts).status == check.WRONG
    assert check.choice("z", "b", options=opts).status == check.WRONG
    assert check.choice(..., "b", options=opts).status == check.NOT_ATTEMPTED


def test_function_verdicts(capsys):
    assert check.function(lambda x: 1 / (1 + np.exp(-x)) * (1 - 1 / (1 + np.exp(-x))), acts.sigmoid.grad)
    verdict = check.function(lambda x: x, acts.sigmoid.grad)
    assert verdict.status == check.WRONG and "at x = -8" in capsys.readouterr().out


def test_function_stub_is_not_attempted():
    def stub(x):
        raise NotImplementedError

    assert check.function(stub, acts.relu).status == check.NOT_ATTEMPTED
    assert check.function(lambda x: None, acts.relu).status == check.NOT_ATTEMPTED
    assert check.function(..., acts.relu).status == check.NOT_ATTEMPTED


@pytest.mark.parametrize(
    "bad",
    [lambda x: 1 / 0, lambda x: x.undefined, lambda x: np.ones(3), lambda x: "text", 42],
)
def test_function_never_raises(bad):
    assert check.function(bad, acts.relu).status == check.WRONG


def test_array_verdicts():
    assert check.array([[1, 2], [3, 4]], np.array([[1, 2], [3, 4]]))
    assert check.array([1, 2], [1, 2, 3]).status == check.WRONG
    assert check.array([1, 5], [1, 2]).status == check.WRONG
    assert check.array(..., [1, 2]).status == check.NOT_ATTEMPTED


def test_learner_code_warnings_do_not_leak():
    # overflow in the learner's naive formula must not print a RuntimeWarning into the notebook
    assert check.function(lambda x: np.exp(x * 1000) / (np.exp(x * 1000) + 1), acts.sigmoid).status == check.WRONG


def test_a_verdict_as_last_value_of_a_cell_displays_nothing_more(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    verdict = check.number(1.0, expected=1.0)
    capsys.readouterr()
    shell = InteractiveShell.instance()
    shell.display_formatter.format(verdict)  # what IPython would do with the value
    assert hasattr(verdict, "_ipython_display_") and verdict._ipython_display_() is None
    assert capsys.readouterr().out == ""

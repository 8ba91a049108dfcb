"""The exercise checks: right verdicts, "not attempted yet" for stubs, never an exception."""

import numpy as np
import pytest

import acts
from acts import check


def test_number_verdicts(capsys):
    assert check.number(6.9, expected=6.9057).status == check.CORRECT       # default: 2 significant digits
    assert check.number(5.0, expected=6.9057).status == check.WRONG
    assert "too small" in capsys.readouterr().out
    assert check.number(..., expected=1.0).status == check.NOT_ATTEMPTED
    assert check.number(None, expected=1.0).status == check.NOT_ATTEMPTED
    assert check.number("seven", expected=7.0).status == check.WRONG
    assert check.number(float("nan"), expected=7.0).status == check.WRONG
    assert check.number(np.array([7.0]), expected=7.0).status == check.WRONG   # one number, not an array
    assert check.number(np.float32(7.0), expected=7.0)
    assert check.number(np.array(7.0), expected=7.0)


@pytest.mark.parametrize("truth, precision, accepted, rejected", [
    # no precision stated: the second significant digit decides
    (0.17328679513998632, {}, [0.17, 0.173, 0.1733, 0.1749, 0.168], [0.16, 0.18, 0.179, 0.178, 0.175, 0.164]),
    (6 / 255, {}, [0.024, 0.0235, 0.02353], [0.023, 0.025, 0.0234]),
    (-0.6392, {}, [-0.64, -0.639], [-0.63, -0.65, 0.64, -0.6349]),
    (9.5367431640625e-07, {}, [9.5e-7, 9.54e-7], [9.4e-7, 1e-6, 9.5e-6, 9.55e-7]),
    (9.96, {}, [10.0, 9.96, 9.95, 10.1], [9.9, 10.5, 11.0]),  # rounding carries: 10 to 2 digits is 10.1's rounding too
    # "to 3 significant digits"
    (4.584808, {"sig": 3}, [4.58, 4.5848, 4.5849, 4.585], [4.6, 4.59, 4.57, 4.586, 4.5861]),  # 4.585: within the guard
    (0.0235294, {"sig": 3}, [0.0235, 0.02353], [0.024, 0.0236, 0.02355]),
    # the review's cases: an answer that rounds to the wrong last digit is rejected (finding 9)
    (0.013061, {"sig": 2}, [0.013, 0.0131, 0.01306, 0.0125, 0.01349], [0.0135, 0.01355, 0.014, 0.012, 0.0124]),
    (-0.63923, {"sig": 3}, [-0.639, -0.6392, -0.6394], [-0.6397, -0.64, -0.638]),
    (0.17329, {"sig": 3}, [0.173, 0.1733, 0.17349], [0.1737, 0.174, 0.172]),
    # "to 2 decimal places"
    (0.693147, {"decimals": 2}, [0.69, 0.693], [0.7, 0.68, 0.695]),
    # whole numbers
    (22, {"exact": True}, [22, 22.0, np.int64(22)], [21, 23, 21.6, 22.4]),
    (0.0, {"exact": True}, [0, 0.0, -0.0], [1e-3, -1e-3, 0.5]),
])
def test_the_fairness_rule(truth, precision, accepted, rejected):
    for value in accepted:
        assert check.number(value, truth, **precision), f"{value} rejected for {truth} {precision}"
    for value in rejected:
        assert not check.number(value, truth, **precision), f"{value} accepted for {truth} {precision}"


def test_the_boundary_guard_is_one_twentieth_of_a_unit():
    # the truth sits just below a rounding boundary (0.01349999 -> 0.013 to 2 digits): a learner whose float
    # computation lands just above it (0.0135000, which rounds to 0.014) is still right; 0.0136 is not
    truth = 0.0134999
    assert check.number(0.0135, truth, sig=2) and check.number(0.013501, truth, sig=2)
    assert not check.number(0.0136, truth, sig=2) and not check.number(0.014, truth, sig=2)
    assert check.Precision(sig=2).guard(truth) == pytest.approx(0.001 / 20)
    assert check.Precision(decimals=2).guard(0.693) == pytest.approx(0.01 / 20)
    assert check.number(0.70501, 0.705 - 1e-6, decimals=2) and not check.number(0.706, 0.705 - 1e-6, decimals=2)
    # halves round away from zero on both sides, in decimal (0.0135 is stored as 0.013499999...)
    assert check.Precision(sig=2).round(0.0135) == 0.014 and check.Precision(sig=2).round(-0.0135) == -0.014


def test_precision_rounds_as_a_learner_would():
    assert check.Precision(sig=3).round(4.584808) == 4.58
    assert check.Precision().round(6 / 255) == 0.024
    assert check.Precision(decimals=1).round(2.4767) == 2.5
    assert check.Precision(sig=3).text() == "to 3 significant digits"
    assert check.Precision(decimals=1).text() == "to 1 decimal place"
    assert check.Precision(exact=True).text() == "exactly"
    with pytest.raises(ValueError, match="at most one"):
        check.Precision(sig=2, decimals=1)
    with pytest.raises(ValueError, match="sig"):
        check.Precision(sig=0)


def test_too_few_digits_gets_a_specific_message(capsys):
    assert not check.number(4.6, 4.584808, sig=3)
    assert "give it to 3 significant digits" in capsys.readouterr().out
    assert not check.number(21.6, 22, exact=True)
    assert "whole number" in capsys.readouterr().out


def test_recording_collects_truth_and_precision():
    with check.recording() as records:
        check.number(..., 4.584808, sig=3, what="the bound")
    assert [(r.truth, r.precision.sig, r.what) for r in records] == [(4.584808, 3, "the bound")]
    check.number(..., 1.0)
    assert len(records) == 1  # recording stops with the block


def _uses_exp(x):
    return np.exp(x)


def _uses_acts_sigmoid(x):
    return acts.sigmoid(x)


def test_forbidden_blocks_only_the_learners_names(capsys):
    assert not check.function(_uses_exp, np.exp, forbid=("np.exp",))
    assert "`np.exp`" in capsys.readouterr().out
    assert check.function(_uses_exp, np.exp, forbid=("np.tanh",))       # other names pass through
    assert check.function(_uses_acts_sigmoid, acts.sigmoid, forbid=("np.exp",))  # acts keeps its exp
    assert np.exp(0.0) == 1.0 and globals()["np"] is np                 # restored afterwards
    with pytest.raises(ValueError, match="must start with"):
        with check.forbidden(_uses_exp, ("scipy.special.expit",)):
            pass


def test_only_at_rejects_finite_differences(capsys):
    def by_differences(x, h=1e-6):
        return (acts.sigmoid(x + h) - acts.sigmoid(x)) / h

    assert not check.function(by_differences, acts.sigmoid.grad, rtol=1e-3, atol=1e-6, only_at=("acts.sigmoid",))
    assert "finite differences" in capsys.readouterr().out


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


def test_a_mis_rounded_answer_with_enough_digits_is_told_so(capsys):
    from acts import check
    v = check.number(1.42, 2 ** 0.5, sig=3, what="root 2")  # has 3 digits but rounds the wrong way
    assert v.status == check.WRONG and "last digit is off" in v.message
    v = check.number(1.4, 2 ** 0.5, sig=3, what="root 2")  # one digit short
    assert v.status == check.WRONG and "give it to 3 significant digits" in v.message

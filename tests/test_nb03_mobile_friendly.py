"""Notebook 03's experiment code and exercise checks."""

import numpy as np
import pytest

import acts
from acts import check
from acts.exercises import ex03_mobile_friendly as ex
from acts.experiments import mobile_friendly as mf


def test_quantise_rounds_to_the_grid_and_clips():
    q = mf.quantise(np.array([-1.0, 0.0, 1.0, 6.0, 9.0]), high=6.0)
    step = 6.0 / 255
    assert np.allclose(q, [0.0, 0.0, round(1.0 / step) * step, 6.0, 6.0])
    err = mf.int8_error(np.linspace(0, 6, 10001), high=6.0)
    assert err.max <= step / 2 + 1e-12 and err.clipped == 0.0


def test_relu_range_costs_more_than_relu6_range():
    z = mf.long_tailed_preactivations(5000)
    wide = mf.int8_error(acts.relu(z), high=float(acts.relu(z).max()))
    capped = mf.int8_error(acts.relu6(z), high=6.0)
    assert capped.rms < wide.rms


def test_float16_overflows_only_above_its_range():
    report = mf.float16_error(np.array([1.0, 65504.0, 1e6]))
    assert report["overflow"] == 1 and report["max_rel"] < 1e-3


def test_integer_hard_swish_is_within_one_step_of_the_float_result():
    report = mf.int8_hard_swish_report(8.0)
    assert np.max(np.abs(report["q_int"].astype(int) - report["q_float"].astype(int))) <= 1


@pytest.mark.parametrize(
    ("fn", "right", "wrong"),
    [
        (ex.grid_step, 6 / 255, 6 / 256 * 2),
        (ex.forms_gap, float(np.max(np.abs(acts.hard_sigmoid(np.linspace(-8, 8, 16001), slope=0.2)
                                           - acts.hard_sigmoid(np.linspace(-8, 8, 16001))))), 0.5),
        (ex.int8_three, 48, 47),
        (ex.why_cheaper, "a", "b"),
        (ex.hard_swish_from_relu6, lambda x: x * acts.relu6(x + 3) / 6, lambda x: x * acts.sigmoid(x)),
    ],
)
def test_exercise_checks(fn, right, wrong, capsys):
    assert fn(right).status == check.CORRECT
    assert fn(wrong).status == check.WRONG
    assert fn(...).status == check.NOT_ATTEMPTED
    capsys.readouterr()

"""Notebook 05's experiment code and exercise checks."""

import numpy as np
import pytest

import acts
from acts import check, nn
from acts.exercises import ex05_learnable as ex
from acts.experiments import learnable


def test_central_difference_matches_prelu_param_grad():
    x = np.array([-2.0, -0.5, 1.5])
    fd = learnable.central_difference(lambda a: acts.prelu(x, alpha=a), 0.25)
    assert np.allclose(fd, acts.get("prelu").param_grads(x, alpha=0.25)["alpha"], atol=1e-8)


def test_parameter_counts_of_real_layers():
    assert learnable.count_parameters(learnable.dense_layer(256, 256)) == 256 * 256 + 256
    assert learnable.count_parameters(learnable.maxout_layer(256, 256, 4)) == 4 * (256 * 256 + 256)
    assert learnable.extra_parameters("prelu") == 2
    assert learnable.extra_parameters("prelu", per_unit=True) == 32
    assert learnable.extra_parameters("maxout", k=2) == 2 * 16 + 16 + 16 * 16 + 16


def test_maxout_fits_abs_exactly_with_two_pieces():
    _, mse, pieces = learnable.maxout_fit("abs", 2)
    assert mse < 1e-8 and pieces == 2


def test_maxout_fit_of_square_improves_with_more_pieces():
    assert learnable.maxout_fit("square", 5)[1] < learnable.maxout_fit("square", 2)[1]


def test_maxout_layer_signature():
    layer = nn.Maxout(3, 2, 5, rng=0)
    assert layer.weight.shape == (5, 3, 2) and layer.bias.shape == (5, 2)


@pytest.mark.parametrize(
    ("fn", "right", "wrong"),
    [
        (ex.prelu_alpha_grad, -2, 0.25),
        (ex.swish_beta_zero, "x/2", "relu"),
        (ex.maxout_parameters, 3 * (100 * 50 + 50), 100 * 50 + 50),
    ],
)
def test_exercise_checks(fn, right, wrong, capsys):
    assert fn(right).status == check.CORRECT
    assert fn(wrong).status == check.WRONG
    assert fn(...).status == check.NOT_ATTEMPTED
    assert "not attempted yet" in capsys.readouterr().out.lower()

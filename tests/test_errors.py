"""Bad input: a clear error naming the argument, the value given and what is allowed."""

import numpy as np
import pytest

import acts


def test_unknown_name_lists_valid_names_and_a_close_match():
    with pytest.raises(KeyError) as info:
        acts.get("swsh")
    message = str(info.value)
    assert "'swsh'" in message and "Did you mean 'swish'" in message
    assert all(name in message for name in acts.names())


def test_unknown_name_without_close_match():
    with pytest.raises(KeyError, match="unknown activation 'softmax'.*Valid names: sigmoid"):
        acts.get("softmax")


def test_unknown_family():
    with pytest.raises(ValueError, match="family must be one of 'saturated'.*got 'smooth'"):
        acts.names(family="smooth")


@pytest.mark.parametrize(
    ("name", "params", "pattern"),
    [
        ("elu", {"alpha": 0.0}, r"elu\(\): alpha must be a finite number > 0; got 0.0"),
        ("elu", {"alpha": -1}, r"elu\(\): alpha must be a finite number > 0; got -1"),
        ("hard_sigmoid", {"slope": -0.2}, r"hard_sigmoid\(\): slope must be a finite number > 0; got -0.2"),
        ("relu6", {"cap": 0}, r"relu6\(\): cap must be a finite number > 0; got 0"),
        ("softplus", {"beta": 0}, r"softplus\(\): beta must be a finite number > 0; got 0"),
        ("leaky_relu", {"slope": 2.0}, r"leaky_relu\(\): slope must be a finite number >= 0 and <= 1; got 2.0"),
        ("selu", {"scale": np.inf}, r"selu\(\): scale must be a finite number > 0; got inf"),
        ("swish", {"beta": np.nan}, r"swish\(\): beta must be a finite number; got nan"),
        ("gelu", {"approximate": "fast"}, r"gelu\(\): approximate must be one of 'none', 'tanh'; got 'fast'"),
        ("prelu", {"alpha": np.array([0.1, np.nan])}, r"prelu\(\): alpha must be a finite number; got nan"),
    ],
)
def test_parameter_out_of_range(name, params, pattern):
    # a scalar, and float arrays (the fast path of act(x)) of both dtypes
    for x in (1.0, np.array([1.0, 2.0]), np.array([1.0], dtype=np.float32)):
        for method in ("__call__", "grad", "param_grads", "value_and_grad"):
            with pytest.raises(ValueError, match=pattern):
                getattr(acts.get(name), method)(x, **params)


def test_unknown_keyword_names_it_and_lists_allowed():
    pattern = r"swish\(\) got an unexpected keyword argument 'alpha'; allowed parameters: beta"
    for x in (1.0, np.array([1.0, 2.0])):
        with pytest.raises(TypeError, match=pattern):
            acts.swish(x, alpha=2.0)
    with pytest.raises(TypeError, match=r"relu\(\) got an unexpected keyword argument 'slope'.*none"):
        acts.relu.grad(1.0, slope=0.1)


def test_parameters_are_keyword_only():
    for x in (1.0, np.array([1.0, 2.0])):
        with pytest.raises(TypeError, match=r"elu\(\) takes x and then parameters by keyword only.*alpha="):
            acts.elu(x, 2.0)


@pytest.mark.parametrize(
    ("x", "pattern"),
    [
        ("abc", r"relu\(\): x must be a real number or an array of real numbers; got the string 'abc'"),
        ([1, None], r"relu\(\): x must be .*got \[1, None\], which holds None"),
        (1 + 2j, r"relu\(\): x must be .*dtype complex128 \(allowed: floats, integers, bools\)"),
        ([[1, 2], [3]], r"relu\(\): x must be a real number or an array of real numbers; got \[\[1, 2\], \[3\]\]"),
        (np.array(["1.0"]), r"relu\(\): x must be .*dtype <U3"),
    ],
)
def test_non_numeric_x(x, pattern):
    with pytest.raises(TypeError, match=pattern):
        acts.relu(x)


def test_bool_parameter_is_refused():
    for x in (1.0, np.array([1.0, 2.0])):
        with pytest.raises(TypeError, match=r"swish\(\): beta must be a finite number; got the bool True"):
            acts.swish(x, beta=True)


def test_mismatched_maxout_pieces():
    for x in (1.0, np.array([1.0, 2.0])):
        with pytest.raises(ValueError, match=r"maxout\(\): weights and biases must have the same length.*3 weights "
                                             r"\(1, 2, 3\) and 2 biases \(0, 0\)"):
            acts.maxout(x, weights=(1, 2, 3), biases=(0, 0))
    with pytest.raises(ValueError, match=r"maxout\(\): weights and biases must have the same length.*3 weights "
                                         r"\(1, 2, 3\) and 2 biases \(0, 0\)"):
        acts.maxout(1.0, weights=(1, 2, 3))  # the default biases have two pieces


def test_empty_maxout_pieces():
    with pytest.raises(ValueError, match=r"maxout\(\): weights must be a sequence of at least one finite number"):
        acts.maxout(1.0, weights=(), biases=())


def test_maxout_pieces_must_be_numbers():
    with pytest.raises(TypeError, match=r"maxout\(\): biases must be a real number"):
        acts.maxout(1.0, weights=(1, 0), biases=("a", 0))

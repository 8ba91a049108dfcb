r"""The saturated family (notebook 01): sigmoid, tanh and hard-sigmoid, whose slopes vanish in both tails."""

from __future__ import annotations

import numpy as np
from scipy.special import expit  # the logistic sigmoid, accurate in both tails


def sigmoid(x):
    r"""Logistic sigmoid: squashes any real number into (0, 1).

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}}

    Args:
        x: float array.

    Example:
        >>> sigmoid(np.array([0.0, 40.0]))
        array([0.5, 1. ])

    Paper: The logistic function (Verhulst 1838); as a neuron's output: Rumelhart, Hinton & Williams 1986
    """
    return expit(x)


def sigmoid_grad(x):
    """d sigma / dx = sigma(x) sigma(-x), as t / (1 + t)^2 with t = exp(-|x|) (never overflows, no cancellation)."""
    t = np.exp(-np.abs(x))
    r = 1.0 / (1.0 + t)
    return t * r * r


def tanh(x):
    r"""Hyperbolic tangent: a zero-centred sigmoid with range (-1, 1).

    .. math:: \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    Args:
        x: float array.

    Example:
        >>> tanh(np.array([0.0, 30.0]))
        array([0., 1.])

    Paper: LeCun, Bottou, Orr & Mueller 1998, Efficient BackProp
    """
    return np.tanh(x)


def tanh_grad(x):
    """d tanh / dx = sech^2(x) = 4t / (1 + t)^2 with t = exp(-2|x|); 1 - tanh^2 would cancel to 0 far too early."""
    t = np.exp(-2.0 * np.abs(x))
    r = 1.0 / (1.0 + t)
    return 4.0 * t * r * r


def hard_sigmoid(x, slope=1.0 / 6.0):
    r"""Piecewise-linear sigmoid: a straight line through (0, 1/2), clipped to [0, 1]; no exponential.

    .. math:: \mathrm{hard\_sigmoid}(x) = \mathrm{clip}(\mathrm{slope}\cdot x + \frac{1}{2},\ 0,\ 1)
        = \frac{\mathrm{relu6}(x + 3)}{6}\ \mathrm{for\ slope} = \frac{1}{6}

    Args:
        x: float array.
        slope: slope of the linear part, > 0; 1/6 as PyTorch, JAX and Keras 3, 0.2 as Keras 2.

    Example:
        >>> hard_sigmoid(np.array([-3.0, 0.0, 1.5, 3.0]))
        array([0.  , 0.5 , 0.75, 1.  ])

    Paper: Howard et al. 2019, Searching for MobileNetV3, arXiv:1905.02244 (slope 1/6);
    Courbariaux, Bengio & David 2015, arXiv:1511.00363 (slope 1/2); Keras 2 used slope 0.2
    """
    if type(slope) is float and slope <= 1.0:  # slope * x cannot overflow
        return np.clip(slope * x + 0.5, 0.0, 1.0)
    half_width = 0.5 / slope  # a steeper slope could: x is clipped to the linear part first
    return np.clip(slope * np.clip(x, -half_width, half_width) + 0.5, 0.0, 1.0)


def hard_sigmoid_grad(x, slope=1.0 / 6.0):
    """``slope`` strictly between the kinks at +-1/(2 slope); 0 outside and at the kinks (as PyTorch)."""
    half_width = 0.5 / slope
    return np.multiply((x > -half_width) & (x < half_width), slope, dtype=x.dtype)


def hard_sigmoid_param_grads(x, slope=1.0 / 6.0):
    """d f / d slope = x strictly between the kinks, 0 outside and at them."""
    half_width = 0.5 / slope
    inside = (x > -half_width) & (x < half_width)
    return {"slope": np.where(inside, x, np.zeros((), x.dtype))}

r"""Smooth, non-monotonic rectifiers and softplus (notebook 03): swish, softplus, mish, GELU."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit, ndtr  # logistic sigmoid and normal CDF, accurate in both tails

from acts.functions.numerics import times
from acts.functions.saturated import sigmoid_grad

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
GELU_TANH_COEFF = 0.044715


def swish(x, beta=1.0):
    r"""Swish: x gated by its own sigmoid; SiLU for beta = 1, x / 2 for beta = 0, ReLU as beta -> infinity.

    .. math:: \mathrm{swish}(x) = x\,\sigma(\beta x) = \frac{x}{1 + e^{-\beta x}}

    Args:
        x: float array.
        beta: sharpness, constant or learned.

    Example:
        >>> swish(np.array([0.0, 50.0]))
        array([ 0., 50.])

    Paper: SiLU (beta = 1) was introduced and named in Hendrycks & Gimpel 2016, Gaussian Error Linear Units,
    arXiv:1606.08415; used in reinforcement learning by Elfwing, Uchibe & Doya 2018 (Neural Networks; arXiv
    2017, arXiv:1702.03118); found again by search, with beta constant or trained, as Swish by Ramachandran,
    Zoph & Le 2017, Searching for Activation Functions, arXiv:1710.05941
    """
    with np.errstate(over="ignore"):  # beta x may overflow to +-inf, where sigma is exactly 1 or 0
        return times(x, expit(times(beta, x)))


def swish_grad(x, beta=1.0):
    """sigma(beta x) + beta x sigma'(beta x)."""
    with np.errstate(over="ignore"):
        bx = times(beta, x)
        return expit(bx) + times(bx, sigmoid_grad(bx))


def swish_value_and_grad(x, beta=1.0):
    """(swish, swish') from one exponential, t = exp(-|beta x|): sigma = 1 / (1 + t) or t / (1 + t),
    sigma' = t / (1 + t)^2. Fused because it halves the time of the pair (bench/acts_speed.py)."""
    with np.errstate(over="ignore"):
        bx = times(beta, x)
    t = np.exp(-np.abs(bx))
    r = 1.0 / (1.0 + t)
    s = np.where(bx >= 0, r, t * r)
    return times(x, s), s + times(bx, t * r * r)


def swish_param_grads(x, beta=1.0):
    r"""d f / d beta = x^2 sigma'(beta x) (missing from the notes)."""
    with np.errstate(over="ignore"):
        return {"beta": times(x, times(x, sigmoid_grad(times(beta, x))))}


def softplus(x, beta=1.0):
    r"""Softplus: ReLU's smooth twin, log(1 + e^(beta x)) / beta; its derivative is the sigmoid.

    .. math:: \mathrm{softplus}(x) = \frac{1}{\beta}\ln\left(1 + e^{\beta x}\right)

    Args:
        x: float array.
        beta: sharpness, > 0; beta -> infinity tends to ReLU.

    Example:
        >>> softplus(np.array([-800.0, 800.0]))
        array([  0., 800.])

    Paper: Dugas et al. 2001, Incorporating Second-Order Functional Knowledge for Better Option Pricing;
    Glorot, Bordes & Bengio 2011
    """
    # logaddexp(z, 0) = log(e^z + 1) without overflow, exact for every x (PyTorch switches to x above beta x = 20)
    with np.errstate(over="ignore", invalid="ignore"):  # invalid: raised only for a NaN input, which gives NaN
        return np.logaddexp(beta * x, 0.0) / beta


def softplus_grad(x, beta=1.0):
    """sigma(beta x)."""
    with np.errstate(over="ignore"):
        return expit(beta * x)


def softplus_param_grads(x, beta=1.0):
    r"""d f / d beta = (z sigma(z) - log(1 + e^z)) / beta^2, z = beta x.

    The numerator is even in z and equals -(|z| sigma(-|z|) + log(1 + e^-|z|)):
    two terms of the same sign, so no cancellation and no overflow.
    """
    with np.errstate(over="ignore"):
        z = np.abs(beta * x)
    t = np.exp(-z)
    numerator = -(times(z, t / (1.0 + t)) + np.log1p(t))
    return {"beta": numerator / (beta * beta)}


def _mish_parts(x):
    """(x clamped to [-800, 20], e^x there, tanh(softplus(x))) for mish and its derivative.

    With e = e^x and n = e (e + 2) = (1 + e)^2 - 1, tanh(softplus(x)) = n / (n + 2):
    one exponential. Beyond 20 it is 1 to double precision; below -800, e^x is 0.
    """
    xc = np.clip(x, -800.0, 20.0)
    e = np.exp(xc)
    n = e * (e + 2.0)
    return xc, e, n / (n + 2.0)


def mish(x):
    r"""Mish: x gated by tanh(softplus(x)); smooth, non-monotonic, slope 0.6 at 0.

    .. math:: \mathrm{mish}(x) = x \tanh(\mathrm{softplus}(x)) = x \tanh(\ln(1 + e^{x}))

    Args:
        x: float array.

    Example:
        >>> mish(np.array([0.0, 30.0]))
        array([ 0., 30.])

    Paper: Misra 2019, Mish: A Self Regularized Non-Monotonic Activation Function, arXiv:1908.08681
    """
    return times(x, _mish_parts(x)[2])


def mish_grad(x):
    """tanh(sp) + x sech^2(sp) sigma(x), sp = softplus(x): n / (n + 2) + 4 x e (1 + e) / (n + 2)^2."""
    xc, e, gate = _mish_parts(x)
    r = 1.0 / (e * (e + 2.0) + 2.0)
    return gate + 4.0 * xc * e * (1.0 + e) * r * r


def mish_value_and_grad(x):
    """(mish, mish') from one exponential. Fused because the pair shares its costly part (bench/acts_speed.py)."""
    xc, e, gate = _mish_parts(x)
    r = 1.0 / (e * (e + 2.0) + 2.0)
    return times(x, gate), gate + 4.0 * xc * e * (1.0 + e) * r * r


def gelu(x, approximate="none"):
    r"""Gaussian error linear unit: x weighted by the probability that a standard normal is below x.

    .. math:: \mathrm{gelu}(x) = x\,\Phi(x)
        \approx \frac{x}{2}\left(1 + \tanh\!\left(\sqrt{2/\pi}\,(x + 0.044715\,x^{3})\right)\right)

    Args:
        x: float array.
        approximate: "none", the exact x Phi(x) (PyTorch's default); "tanh", the
            approximation (jax.nn.gelu's default), evaluated as x sigma(2u) so that it cannot overflow.

    Example:
        >>> gelu(np.array([0.0, 10.0]))
        array([ 0., 10.])

    Paper: Hendrycks & Gimpel 2016, Gaussian Error Linear Units, arXiv:1606.08415
    """
    if approximate == "tanh":
        xc = np.clip(x, -40.0, 40.0)  # the gate sigma(2u) is exactly 0 or 1 beyond: no overflow in x^3
        u = SQRT_2_OVER_PI * xc * (1.0 + GELU_TANH_COEFF * xc * xc)
        return times(x, expit(2.0 * u))
    return times(x, ndtr(x))


def gelu_grad(x, approximate="none"):
    """Phi(x) + x phi(x); for "tanh", sigma(2u) + 2 x u' sigma'(2u)."""
    xc = np.clip(x, -40.0, 40.0)  # phi(40) underflows to 0: x phi(x) is 0 beyond
    if approximate == "tanh":
        u = SQRT_2_OVER_PI * xc * (1.0 + GELU_TANH_COEFF * xc * xc)
        du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_COEFF * xc * xc)
        return expit(2.0 * u) + 2.0 * xc * du * sigmoid_grad(2.0 * u)
    return ndtr(x) + xc * (INV_SQRT_2PI * np.exp(-0.5 * xc * xc))


def gelu_value_and_grad(x, approximate="none"):
    """(gelu, gelu') sharing the gate: Phi(x) (or sigma(2u) for "tanh") is computed once. Fused because the
    gate is the costly part of both (bench/acts_speed.py)."""
    xc = np.clip(x, -40.0, 40.0)
    if approximate == "tanh":
        u = SQRT_2_OVER_PI * xc * (1.0 + GELU_TANH_COEFF * xc * xc)
        du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_COEFF * xc * xc)
        gate = expit(2.0 * u)
        return times(x, gate), gate + 2.0 * xc * du * sigmoid_grad(2.0 * u)
    gate = ndtr(x)
    return times(x, gate), gate + xc * (INV_SQRT_2PI * np.exp(-0.5 * xc * xc))

r"""The ReLU family (notebook 02): ReLU, ReLU6, Leaky ReLU, PReLU, ELU and SELU, with their constants."""

from __future__ import annotations

import numpy as np

from acts.functions.numerics import broadcast_shape

SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


def relu(x):
    r"""Rectified linear unit: passes positive inputs unchanged and sets the rest to 0.

    .. math:: \mathrm{relu}(x) = \max(0, x)

    Args:
        x: float array.

    Example:
        >>> relu(np.array([-2.0, 0.0, 3.0]))
        array([0., 0., 3.])

    Paper: Nair & Hinton 2010; Glorot, Bordes & Bengio 2011, Deep Sparse Rectifier Neural Networks
    """
    return np.maximum(x, 0.0)


def relu_grad(x):
    """1 for x > 0, else 0 (0 at the kink, as PyTorch)."""
    return (x > 0).astype(x.dtype)


def relu6(x, cap=6.0):
    r"""ReLU capped at ``cap``: 0 below 0, the identity up to the cap, the cap above it.

    .. math:: \mathrm{relu6}(x) = \min(\max(0, x),\ 6)

    Args:
        x: float array.
        cap: the largest output, > 0; 6 in ReLU6.

    Example:
        >>> relu6(np.array([-1.0, 2.5, 9.0]))
        array([0. , 2.5, 6. ])

    Paper: Krizhevsky 2010, Convolutional Deep Belief Networks on CIFAR-10;
    Howard et al. 2017, MobileNets, arXiv:1704.04861
    """
    return np.clip(x, 0.0, cap)


def relu6_grad(x, cap=6.0):
    """1 strictly between 0 and cap; 0 elsewhere, both kinks included (as PyTorch)."""
    return ((x > 0) & (x < cap)).astype(x.dtype)


def relu6_param_grads(x, cap=6.0):
    """d f / d cap = 1 where the cap is active (x >= cap), else 0."""
    return {"cap": np.broadcast_to(x >= cap, broadcast_shape(x, cap)).astype(x.dtype)}


def leaky_relu(x, slope=0.01):
    r"""Leaky ReLU: the identity for x > 0, a small slope for x <= 0, so no unit's gradient is ever exactly 0.

    .. math:: \mathrm{leaky\_relu}(x) = \max(0, x) + \mathrm{slope}\cdot\min(0, x)

    Args:
        x: float array.
        slope: slope for x <= 0, in [0, 1]; 0.01 in PyTorch and JAX. (The source
            notes write x / a with a = 2: a slope of 0.5.)

    Example:
        >>> leaky_relu(np.array([-100.0, 5.0]))
        array([-1.,  5.])

    Paper: Maas, Hannun & Ng 2013, Rectifier Nonlinearities Improve Neural Network Acoustic Models
    """
    if type(slope) is float and 0.0 < abs(slope) <= 1.0:  # the usual case: slope * x is finite, never 0 * inf
        return np.where(x > 0, x, slope * x)
    # A zero slope meets -inf: 0 * inf is NaN, but the limit of 0 * x is 0, so x is clipped to the
    # finite floats. A slope beyond +-1 can overflow there, as the true value does.
    info = np.finfo(x.dtype)
    with np.errstate(over="ignore"):
        return np.where(x > 0, x, slope * np.clip(x, info.min, info.max))


def leaky_relu_grad(x, slope=0.01):
    """1 for x > 0; ``slope`` for x <= 0, the kink included (as PyTorch)."""
    return np.where(x > 0, np.ones((), x.dtype), np.asarray(slope, x.dtype))


def leaky_relu_param_grads(x, slope=0.01):
    """d f / d slope = x for x <= 0, else 0."""
    return {"slope": np.broadcast_to(np.minimum(x, 0.0), broadcast_shape(x, slope)).copy()}


def prelu(x, alpha=0.25):
    r"""Parametric ReLU: a leaky ReLU whose negative-side slope ``alpha`` is learned with the weights.

    .. math:: \mathrm{prelu}(x) = \max(0, x) + \alpha\,\min(0, x),\ \alpha\ \mathrm{learned}

    Args:
        x: float array.
        alpha: slope for x <= 0; PyTorch initialises it to 0.25. (The source notes
            code it exactly like their leaky ReLU, x / 2.)

    Example:
        >>> prelu(np.array([-2.0, 2.0]))
        array([-0.5,  2. ])

    Paper: He, Zhang, Ren & Sun 2015, Delving Deep into Rectifiers, arXiv:1502.01852
    """
    return leaky_relu(x, alpha)


def prelu_grad(x, alpha=0.25):
    """1 for x > 0; ``alpha`` for x <= 0, the kink included (as PyTorch)."""
    return leaky_relu_grad(x, alpha)


def prelu_param_grads(x, alpha=0.25):
    """d f / d alpha = x for x <= 0, else 0: the gradient that trains alpha."""
    return {"alpha": leaky_relu_param_grads(x, alpha)["slope"]}


def elu(x, alpha=1.0):
    r"""Exponential linear unit: the identity for x > 0, a smooth curve down to -alpha for x <= 0.

    .. math:: \mathrm{elu}(x) = \max(0, x) + \alpha\,(e^{\min(0, x)} - 1)

    Args:
        x: float array.
        alpha: the value -alpha is the limit at -inf; > 0.

    Example:
        >>> elu(np.array([-800.0, 0.0, 2.0]))
        array([-1.,  0.,  2.])

    Paper: Clevert, Unterthiner & Hochreiter 2015, arXiv:1511.07289
    """
    # expm1, because exp(x) - 1 loses every digit near 0; of min(x, 0), so the unused side cannot overflow
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x, alpha=1.0):
    """1 for x > 0; alpha e^x for x <= 0, so alpha at the kink (as PyTorch)."""
    return np.where(x > 0, np.ones((), x.dtype), alpha * np.exp(np.minimum(x, 0.0)))


def elu_param_grads(x, alpha=1.0):
    """d f / d alpha = e^x - 1 for x <= 0, else 0."""
    return {"alpha": np.broadcast_to(np.expm1(np.minimum(x, 0.0)), broadcast_shape(x, alpha)).copy()}


def selu(x, scale=SELU_SCALE, alpha=SELU_ALPHA):
    r"""Scaled ELU: with its two constants, N(0, 1) inputs give outputs of mean 0 and variance 1 (self-normalising).

    .. math:: \mathrm{selu}(x) = \lambda\,(\max(0, x) + \alpha\,(e^{\min(0, x)} - 1)),\ \lambda
        \approx 1.0507,\ \alpha \approx 1.6733

    Args:
        x: float array.
        scale: lambda, > 0; 1.0507... makes N(0, 1) a fixed point.
        alpha: alpha, > 0; 1.6733... makes N(0, 1) a fixed point.

    Example:
        >>> selu(np.array([0.0, 1.0]), scale=2.0)
        array([0., 2.])

    Paper: Klambauer, Unterthiner, Mayr & Hochreiter 2017, Self-Normalizing Neural Networks, arXiv:1706.02515
    """
    with np.errstate(over="ignore"):  # scale * x near the largest float: the true value is beyond it too
        return scale * elu(x, alpha)


def selu_grad(x, scale=SELU_SCALE, alpha=SELU_ALPHA):
    """scale for x > 0; scale alpha e^x for x <= 0, so scale alpha at the kink (as PyTorch)."""
    return scale * elu_grad(x, alpha)


def selu_param_grads(x, scale=SELU_SCALE, alpha=SELU_ALPHA):
    """d f / d scale = elu(x, alpha); d f / d alpha = scale (e^x - 1) for x <= 0, else 0."""
    shape = broadcast_shape(x, scale, alpha)
    d_scale = np.broadcast_to(elu(x, alpha), shape).copy()
    d_alpha = np.broadcast_to(scale * np.expm1(np.minimum(x, 0.0)), shape).copy()
    return {"scale": d_scale, "alpha": d_alpha}

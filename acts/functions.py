"""Every activation function of the course: value, derivative, parameter gradients.

Read this file like a textbook appendix. Each activation has

* ``<name>(x, ...)``               returns ``(value, derivative)``: f(x) and df/dx,
  computed together because they share most of their work (a network needs
  both: the value going forward, the slope coming back);
* ``<name>_param_grads(x, ...)``   returns ``{parameter: df/dparameter}``, for
  the activations that have parameters.

They expect ``x`` to be a float32 or float64 NumPy array and parameters that
have already been checked. The friendly entry points, which accept lists,
scalars, integers and float16, check their arguments and give the value alone,
are the registry's records: ``acts.swish(x, beta=2.0)``, ``acts.swish.grad(x)``
(see ``acts/registry.py``).

Numerical rules followed throughout (see ``reference/activation-facts.md``):

* never ``exp`` of a large positive number: work with ``exp(-|x|)``, ``expm1``,
  ``logaddexp``, or clamp the argument where the result no longer changes;
* no cancellation: the sigmoid's slope is ``exp(-|x|) / (1 + exp(-|x|))^2``,
  not ``s * (1 - s)``, which loses every digit once s rounds to 1;
* constants are Python floats, so NumPy keeps the input's dtype (a NumPy
  float64 constant would silently turn float32 into float64);
* ``0 * inf`` is NaN in IEEE arithmetic, but the limit of ``x * sigmoid(x)`` at
  ``-inf`` is 0: such products go through ``_times``, so every function has its
  mathematical limit at +-inf;
* at a kink the derivative takes the value PyTorch uses.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr  # the standard normal CDF, accurate in both tails (NumPy has no erf)

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
GELU_TANH_COEFF = 0.044715
SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


# ---------------------------------------------------------------- helpers


def _times(a, b):
    """a * b, except that a factor exactly 0 gives 0 even when the other factor is infinite.

    Used for products such as x * sigmoid(x), whose limit at -inf is 0. NaN
    still propagates. Infinite inputs are rare, so they are looked for first
    and the careful (slower) product is taken only when there are some.
    """
    if not (np.isinf(a).any() or np.isinf(b).any()):
        return np.multiply(a, b)
    dtype = np.result_type(a, b)  # before broadcasting, so Python floats stay "weak"
    a, b = np.broadcast_arrays(a, b)
    out = np.zeros(a.shape, dtype=dtype)
    np.multiply(a, b, out=out, where=(a != 0) & (b != 0))
    return out


def _shape(x, *params):
    """The shape of x broadcast against array-valued parameters (per-unit slopes, say)."""
    return np.broadcast_shapes(np.shape(x), *(np.shape(p) for p in params))


def _filled(shape, value, dtype):
    return np.full(shape, value, dtype=dtype)


# ---------------------------------------------------------------- saturated


def sigmoid(x):
    r"""Logistic sigmoid, :math:`\sigma(x) = 1 / (1 + e^{-x})`, and :math:`\sigma'(x) = \sigma(x)\sigma(-x)`.

    The logistic function (Verhulst 1838); trained as a neuron's output by
    Rumelhart, Hinton & Williams 1986.

    With t = exp(-|x|) (never overflows) and r = 1 / (1 + t):
    sigma(x) = r for x >= 0, t r for x < 0, and sigma'(x) = t r^2 on both sides.
    """
    t = np.exp(-np.abs(x))
    r = 1.0 / (1.0 + t)
    slope = t * r * r
    np.multiply(r, t, out=r, where=x < 0)
    return r, slope


def tanh(x):
    r"""Hyperbolic tangent, :math:`(e^x - e^{-x}) / (e^x + e^{-x}) = 2\sigma(2x) - 1`, and its slope.

    Recommended over sigmoid for hidden layers by LeCun et al. 1998, Efficient BackProp.
    The slope is sech^2(x) = 1 / cosh(x)^2; the textbook 1 - tanh(x)^2 cancels
    to 0 long before the true value does. cosh overflows to inf beyond
    |x| = 710, where sech^2 is 0 to double precision anyway.
    """
    with np.errstate(over="ignore"):
        sech = 1.0 / np.cosh(x)
    return np.tanh(x), sech * sech


def hard_sigmoid(x, slope=1.0 / 6.0):
    r"""Piecewise-linear sigmoid, :math:`\mathrm{clip}(\text{slope}\cdot x + 1/2, 0, 1)`.

    slope = 1/6 is relu6(x + 3) / 6 (Howard et al. 2019, MobileNetV3; PyTorch,
    JAX, Keras 3); slope = 0.2 is the Keras-2 form (2x + 5) / 10 of the source
    notes. No exponential anywhere. The slope is `slope` strictly between the
    kinks at +-1/(2 slope) and 0 outside and at the kinks (as PyTorch).
    """
    half_width = 0.5 / slope
    value = np.clip(slope * np.clip(x, -half_width, half_width) + 0.5, 0.0, 1.0)
    inside = (x > -half_width) & (x < half_width)
    return value, np.multiply(inside, slope, dtype=x.dtype)


def hard_sigmoid_param_grads(x, slope=1.0 / 6.0):
    """d f / d slope = x between the kinks, 0 outside."""
    half_width = 0.5 / slope
    inside = (x > -half_width) & (x < half_width)
    return {"slope": np.where(inside, x, np.zeros((), x.dtype))}


# ---------------------------------------------------------------- ReLU family


def relu(x):
    r"""Rectified linear unit, :math:`\max(0, x)`; slope 1 for x > 0, else 0 (0 at the kink).

    Nair & Hinton 2010; Glorot, Bordes & Bengio 2011 (deep sparse rectifier networks).
    """
    return np.maximum(x, 0.0), (x > 0).astype(x.dtype)


def relu6(x, cap=6.0):
    r"""ReLU capped at ``cap``: :math:`\min(\max(0, x), \text{cap})`.

    The cap of 6 comes from Krizhevsky 2010 (deep belief nets on CIFAR-10) and
    was popularised by MobileNetV1 (Howard et al. 2017). Slope 1 strictly
    between 0 and cap; 0 elsewhere, including both kinks (as PyTorch).
    """
    return np.minimum(np.maximum(x, 0.0), cap), ((x > 0) & (x < cap)).astype(x.dtype)


def relu6_param_grads(x, cap=6.0):
    """d f / d cap = 1 where the cap is active (x >= cap)."""
    return {"cap": np.broadcast_to(x >= cap, _shape(x, cap)).astype(x.dtype)}


def leaky_relu(x, slope=0.01):
    r"""Leaky ReLU: :math:`x` for x > 0, :math:`\text{slope}\cdot x` otherwise.

    Maas, Hannun & Ng 2013. The slope of the negative side is also the
    derivative there, and at 0 (as PyTorch). The source notes write it as x / a
    with a = 2, which is a slope of 0.5, not the usual 0.01.
    """
    positive = x > 0
    value = _times(slope, x)
    np.copyto(value, x, where=positive)
    grad = _filled(value.shape, 1.0, x.dtype)
    np.copyto(grad, np.asarray(slope, dtype=x.dtype), where=~positive)
    return value, grad


def leaky_relu_param_grads(x, slope=0.01):
    """d f / d slope = x for x <= 0, else 0."""
    return {"slope": np.broadcast_to(np.minimum(x, 0.0), _shape(x, slope)).copy()}


def prelu(x, alpha=0.25):
    r"""Parametric ReLU: :math:`x` for x > 0, :math:`\alpha x` otherwise, with ``alpha`` learned.

    He, Zhang, Ren & Sun 2015, arXiv:1502.01852 (initial alpha 0.25). The
    source notes code it exactly like their leaky ReLU (x / 2): the point of
    PReLU is that alpha is a trained parameter.
    """
    return leaky_relu(x, alpha)


def prelu_param_grads(x, alpha=0.25):
    """d f / d alpha = x for x < 0, else 0: the gradient that trains alpha."""
    return {"alpha": leaky_relu_param_grads(x, alpha)["slope"]}


def elu(x, alpha=1.0):
    r"""Exponential linear unit: :math:`x` for x > 0, :math:`\alpha(e^x - 1)` otherwise.

    Clevert, Unterthiner & Hochreiter 2015, arXiv:1511.07289.
    The negative side uses ``expm1`` (exp(x) - 1 loses every digit near 0) of
    min(x, 0), so the side that is not used cannot overflow. The slope there is
    alpha e^x; it is alpha at 0 (as PyTorch).
    """
    return selu(x, 1.0, alpha)


def elu_param_grads(x, alpha=1.0):
    """d f / d alpha = e^x - 1 for x <= 0, else 0."""
    return {"alpha": np.broadcast_to(np.expm1(np.minimum(x, 0.0)), _shape(x, alpha)).copy()}


def selu(x, scale=SELU_SCALE, alpha=SELU_ALPHA):
    r"""Scaled ELU: :math:`\lambda\,\mathrm{elu}(x, \alpha)`, :math:`\lambda \approx 1.0507, \alpha \approx 1.6733`.

    Klambauer, Unterthiner, Mayr & Hochreiter 2017, Self-Normalizing Neural
    Networks. With these constants, inputs distributed N(0, 1) give outputs
    with mean 0 and variance 1: the fixed point that makes SELU networks
    self-normalising. The slope is scale for x > 0, scale alpha e^x otherwise.
    """
    negative_side = np.minimum(x, 0.0)  # the positive side is not used: no overflow
    positive = x > 0
    value = (scale * alpha) * np.expm1(negative_side)
    np.copyto(value, scale * x, where=positive)
    grad = (scale * alpha) * np.exp(negative_side)  # not expm1 + 1: that is 0 once e^x < 1e-16
    np.copyto(grad, np.asarray(scale, dtype=x.dtype), where=positive)
    return value, grad


def selu_param_grads(x, scale=SELU_SCALE, alpha=SELU_ALPHA):
    """d f / d scale = elu(x, alpha); d f / d alpha = scale (e^x - 1) for x <= 0."""
    shape = _shape(x, scale, alpha)
    d_scale = np.broadcast_to(selu(x, 1.0, alpha)[0], shape).copy()
    d_alpha = np.broadcast_to(scale * np.expm1(np.minimum(x, 0.0)), shape).copy()
    return {"scale": d_scale, "alpha": d_alpha}


# ---------------------------------------------------------------- smooth, non-monotonic


def swish(x, beta=1.0):
    r"""Swish: :math:`x\,\sigma(\beta x)`, slope :math:`\sigma(\beta x) + \beta x\,\sigma'(\beta x)`.

    Ramachandran, Zoph & Le 2017, arXiv:1710.05941; SiLU (beta = 1): Elfwing et
    al. 2017. beta = 0 gives x / 2; beta -> infinity gives ReLU.
    """
    bx = _times(beta, x)
    s, ds = sigmoid(bx)
    return _times(x, s), s + _times(bx, ds)


def swish_param_grads(x, beta=1.0):
    r""":math:`\partial f/\partial\beta = x^2\,\sigma'(\beta x)` (missing from the notes)."""
    _, ds = sigmoid(_times(beta, x))
    return {"beta": _times(x, _times(x, ds))}


def softplus(x, beta=1.0):
    r"""Softplus, :math:`\frac{1}{\beta}\log(1 + e^{\beta x})`, ReLU's smooth twin; slope :math:`\sigma(\beta x)`.

    Dugas et al. 2001; used as a rectifier by Glorot, Bordes & Bengio 2011.
    Computed as logaddexp(beta x, 0) / beta: exact for every x. (PyTorch
    switches to the identity above beta x = 20; this version does not need to.)
    """
    z = _times(beta, x)
    with np.errstate(invalid="ignore"):  # raised only for a NaN input, which gives NaN as it should
        value = np.logaddexp(z, 0.0) / beta
    return value, sigmoid(z)[0]


def softplus_param_grads(x, beta=1.0):
    r""":math:`\partial f/\partial\beta = (z\,\sigma(z) - \log(1 + e^z)) / \beta^2`, z = beta x.

    The numerator is even in z and equals -(|z| sigma(-|z|) + log(1 + e^-|z|)):
    two terms of the same sign, so no cancellation and no overflow.
    """
    z = np.abs(_times(beta, x))
    t = np.exp(-z)
    numerator = -(_times(z, t / (1.0 + t)) + np.log1p(t))
    return {"beta": numerator / (beta * beta)}


def mish(x):
    r"""Mish: :math:`x \tanh(\mathrm{softplus}(x))`.

    Misra 2019, arXiv:1908.08681. With e = e^x and n = e (e + 2) = (1 + e)^2 - 1,
    tanh(softplus(x)) = n / (n + 2) and the slope is
    n / (n + 2) + 4 x e (1 + e) / (n + 2)^2: one exponential for both. The
    argument is clamped to [-800, 20]: beyond 20, tanh(softplus(x)) is 1 to
    double precision; below -800, e^x is 0.
    """
    xc = np.clip(x, -800.0, 20.0)
    e = np.exp(xc)
    n = e * (e + 2.0)
    r = 1.0 / (n + 2.0)
    tanh_sp = n * r
    return _times(x, tanh_sp), tanh_sp + 4.0 * xc * e * (1.0 + e) * r * r


def gelu(x, approximate="none"):
    r"""Gaussian error linear unit: :math:`x\,\Phi(x)`, slope :math:`\Phi(x) + x\,\varphi(x)`.

    Hendrycks & Gimpel 2016, arXiv:1606.08415. ``approximate="tanh"`` gives
    :math:`\frac{x}{2}\bigl(1 + \tanh(\sqrt{2/\pi}(x + 0.044715x^3))\bigr)`,
    evaluated as x sigmoid(2u) so that it cannot overflow.
    """
    xc = np.clip(x, -40.0, 40.0)  # phi(40) underflows to 0: x phi(x) is 0 beyond
    if approximate == "tanh":
        u = SQRT_2_OVER_PI * xc * (1.0 + GELU_TANH_COEFF * xc * xc)
        du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_COEFF * xc * xc)
        s, ds = sigmoid(2.0 * u)
        return _times(x, s), s + 2.0 * xc * du * ds
    cdf = ndtr(x)
    return _times(x, cdf), cdf + xc * (INV_SQRT_2PI * np.exp(-0.5 * xc * xc))


# ---------------------------------------------------------------- mobile-friendly


def hard_swish(x):
    r"""Hard-swish, :math:`x\,\mathrm{relu6}(x + 3) / 6 = x\cdot\mathrm{hard\_sigmoid}(x)`.

    Howard et al. 2019, Searching for MobileNetV3: a piecewise-polynomial
    stand-in for swish that needs no exponential. Slope: 0 for x <= -3,
    (2x + 3) / 6 for -3 < x < 3, 1 for x >= 3 (as PyTorch 2.7 and later).
    """
    gate, _ = hard_sigmoid(x)
    grad = (2.0 * np.clip(x, -3.0, 3.0) + 3.0) / 6.0
    np.copyto(grad, 0.0, where=x <= -3.0)
    np.copyto(grad, 1.0, where=x >= 3.0)
    return _times(x, gate), grad


# ---------------------------------------------------------------- maxout


def _maxout_pass(x, weights, biases):
    """Run through the k pieces w_j x + b_j once: the value, the slope and the winner's index.

    A later piece wins only if it is strictly larger, so on a tie the first
    piece wins (as PyTorch's max over a dimension).
    """
    value = _times(weights[0], x) + biases[0]
    slope = _filled(value.shape, weights[0], x.dtype)
    winner = np.zeros(value.shape, dtype=np.intp)
    for j in range(1, len(weights)):
        piece = _times(weights[j], x) + biases[j]
        wins = piece > value
        np.copyto(value, piece, where=wins)
        np.copyto(slope, weights[j], where=wins)
        np.copyto(winner, j, where=wins)
    return value, slope, winner


def maxout(x, weights=(1.0, 0.0), biases=(0.0, 0.0)):
    r"""Maxout of a scalar input: :math:`\max_j (w_j x + b_j)`; the slope is the winner's :math:`w_j`.

    Goodfellow, Warde-Farley, Mirza, Courville & Bengio 2013, arXiv:1302.4389.
    The defaults, pieces (1, 0) and (0, 0), give max(x, 0) = ReLU. In a network
    each piece is a full affine map of the layer's inputs (``acts.nn``); here
    it is the one-input view, which is what can be plotted.
    """
    value, slope, _ = _maxout_pass(x, weights, biases)
    return value, slope


def maxout_param_grads(x, weights=(1.0, 0.0), biases=(0.0, 0.0)):
    """d f / d w_j = x and d f / d b_j = 1 for the winning piece, 0 for the others.

    Both arrays have x's shape plus a trailing axis of length k.
    """
    _, _, winner = _maxout_pass(x, weights, biases)
    one_hot = winner[..., np.newaxis] == np.arange(len(weights))
    d_w = np.where(one_hot, x[..., np.newaxis], np.zeros((), x.dtype))
    return {"weights": d_w, "biases": one_hot.astype(x.dtype)}

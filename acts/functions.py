"""Every activation function of the course: value, derivative, parameter gradients.

Read this file like a textbook appendix. Each activation has up to three
functions:

* ``<name>(x, ...)``          the value f(x)
* ``<name>_grad(x, ...)``     the derivative df/dx
* ``<name>_param_grads(x, ...)``  a dict {parameter: df/dparameter}

They expect ``x`` to be a floating-point NumPy array (float32 or float64) and
parameters that have already been checked. The friendly entry points, which
accept lists, scalars, integers and float16 and check their arguments, are the
registry's records: ``acts.get("swish")(x, beta=2.0)`` or ``acts.swish(x)``
(see ``acts/registry.py``).

Numerical rules followed throughout (see ``reference/activation-facts.md``):

* never ``exp`` of a large positive number: rewrite with ``exp(-abs(x))``,
  ``expm1``, ``logaddexp``;
* ``np.where`` evaluates both branches, so the branch that is not used is fed
  a clamped argument that cannot overflow;
* constants are Python floats, so NumPy keeps the input's dtype (a NumPy
  float64 constant would silently turn float32 into float64);
* ``0 * inf`` is NaN in IEEE arithmetic but the limit of ``x * sigmoid(x)``
  at ``-inf`` is 0: products whose one factor is exactly 0 are taken as 0
  (``_times``), so every function has its mathematical limit at +-inf;
* at a kink the derivative takes the value PyTorch uses.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr  # standard normal CDF, accurate in both tails

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
GELU_TANH_COEFF = 0.044715
SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


# ---------------------------------------------------------------- helpers


def _times(a, b):
    """a * b, except that a factor exactly 0 gives 0 even when the other is inf.

    Used for products such as x * sigmoid(x) whose limit at -inf is 0.
    NaN still propagates: NaN != 0, so NaN * 0 is computed and gives NaN.
    """
    dtype = np.result_type(a, b)  # before broadcasting, so Python floats stay "weak"
    a, b = np.broadcast_arrays(a, b)
    out = np.zeros(a.shape, dtype=dtype)
    np.multiply(a, b, out=out, where=(a != 0) & (b != 0))
    return out


def _softplus(x):
    """log(1 + e^x) as max(x, 0) + log1p(e^-|x|): exact, no overflow, fine at +-inf.

    (np.logaddexp(x, 0) is as accurate but raises a RuntimeWarning for NaN.)
    """
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _exp_neg_abs(x):
    """exp(-|x|): never overflows, lies in [0, 1]."""
    return np.exp(-np.abs(x))


# ---------------------------------------------------------------- saturated


def sigmoid(x):
    r"""Logistic sigmoid, :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    The logistic function (Verhulst 1838); trained as a neuron's output by
    Rumelhart, Hinton & Williams 1986.

    Evaluated as ``1/(1+t)`` for x >= 0 and ``t/(1+t)`` for x < 0 with
    ``t = exp(-|x|)``, so it neither overflows nor loses relative accuracy in
    the left tail.
    """
    t = _exp_neg_abs(x)
    return np.where(x >= 0, 1.0, t) / (1.0 + t)


def sigmoid_grad(x):
    r""":math:`\sigma'(x) = \sigma(x)\,\sigma(-x) = t / (1 + t)^2`, t = exp(-|x|).

    The textbook form s(1 - s) cancels catastrophically for large x (1 - s is
    computed as a difference of two numbers close to 1); this form does not.
    """
    t = _exp_neg_abs(x)
    return t / ((1.0 + t) * (1.0 + t))


def tanh(x):
    r"""Hyperbolic tangent, :math:`(e^x - e^{-x}) / (e^x + e^{-x}) = 2\sigma(2x) - 1`.

    Recommended over sigmoid for hidden layers by LeCun et al. 1998, Efficient BackProp.
    """
    return np.tanh(x)


def tanh_grad(x):
    r""":math:`\tanh'(x) = \operatorname{sech}^2 x = 4t / (1 + t)^2`, t = exp(-2|x|).

    Avoids the cancellation in 1 - tanh(x)^2 for large |x|.
    """
    t = np.exp(-2.0 * np.abs(x))
    return 4.0 * t / ((1.0 + t) * (1.0 + t))


def hard_sigmoid(x, slope=1.0 / 6.0):
    r"""Piecewise-linear sigmoid, :math:`\mathrm{clip}(\text{slope}\cdot x + 1/2, 0, 1)`.

    slope = 1/6 is relu6(x + 3) / 6 (Howard et al. 2019, MobileNetV3; PyTorch, JAX, Keras 3);
    slope = 0.2 is the Keras-2 form (2x + 5) / 10 used by the source notes.
    No exponential anywhere.
    """
    half_width = 0.5 / slope  # the kinks sit at -half_width and +half_width
    inside = np.clip(x, -half_width, half_width)
    return np.clip(slope * inside + 0.5, 0.0, 1.0)


def _hard_sigmoid_inside(x, slope):
    half_width = 0.5 / slope
    return (x > -half_width) & (x < half_width)


def hard_sigmoid_grad(x, slope=1.0 / 6.0):
    """slope strictly between the kinks, 0 outside and at the kinks (as PyTorch)."""
    return np.where(_hard_sigmoid_inside(x, slope), slope, 0.0).astype(x.dtype)


def hard_sigmoid_param_grads(x, slope=1.0 / 6.0):
    """d f / d slope = x between the kinks, 0 outside."""
    zero = np.zeros_like(x)
    return {"slope": np.where(_hard_sigmoid_inside(x, slope), x, zero)}


# ---------------------------------------------------------------- ReLU family


def relu(x):
    r"""Rectified linear unit, :math:`\max(0, x)`.

    Nair & Hinton 2010; Glorot, Bordes & Bengio 2011 (deep sparse rectifier networks).
    """
    return np.maximum(x, 0.0)


def relu_grad(x):
    """1 for x > 0, else 0 (0 at the kink, as every framework)."""
    return (x > 0).astype(x.dtype)


def relu6(x, cap=6.0):
    r"""ReLU capped at ``cap``: :math:`\min(\max(0, x), \text{cap})`.

    The cap of 6 comes from Krizhevsky 2010 (deep belief nets on CIFAR-10) and
    was popularised by MobileNetV1 (Howard et al. 2017).
    """
    return np.minimum(np.maximum(x, 0.0), cap)


def relu6_grad(x, cap=6.0):
    """1 strictly between 0 and cap; 0 elsewhere, including both kinks (PyTorch)."""
    return ((x > 0) & (x < cap)).astype(x.dtype)


def relu6_param_grads(x, cap=6.0):
    """d f / d cap = 1 where the cap is active (x >= cap)."""
    return {"cap": np.broadcast_to(x >= cap, np.broadcast(x, cap).shape).astype(x.dtype)}


def leaky_relu(x, slope=0.01):
    r"""Leaky ReLU: :math:`x` for x > 0, :math:`\text{slope}\cdot x` otherwise.

    Maas, Hannun & Ng 2013. The source notes write it as x / a with a = 2,
    which is a slope of 0.5, not the usual 0.01.
    """
    return np.where(x > 0, x, _times(slope, x))


def leaky_relu_grad(x, slope=0.01):
    """1 for x > 0, slope otherwise (slope at 0, as PyTorch)."""
    ones = np.ones_like(x)
    return np.where(x > 0, ones, slope * ones)


def leaky_relu_param_grads(x, slope=0.01):
    """d f / d slope = x for x <= 0, else 0."""
    d_slope = np.where(x > 0, np.zeros_like(x), x)
    return {"slope": np.broadcast_to(d_slope, np.broadcast(x, slope).shape).copy()}


def prelu(x, alpha=0.25):
    r"""Parametric ReLU: :math:`x` for x > 0, :math:`\alpha x` otherwise, with ``alpha`` learned.

    He, Zhang, Ren & Sun 2015, arXiv:1502.01852 (initial alpha 0.25). The
    source notes code it exactly like their leaky ReLU (x / 2): the point of
    PReLU is that alpha is a trained parameter.
    """
    return leaky_relu(x, alpha)


def prelu_grad(x, alpha=0.25):
    """1 for x > 0, alpha otherwise (alpha at 0, as PyTorch)."""
    return leaky_relu_grad(x, alpha)


def prelu_param_grads(x, alpha=0.25):
    """d f / d alpha = x for x < 0, else 0: the gradient that trains alpha."""
    return {"alpha": leaky_relu_param_grads(x, alpha)["slope"]}


def elu(x, alpha=1.0):
    r"""Exponential linear unit: :math:`x` for x > 0, :math:`\alpha(e^x - 1)` otherwise.

    Clevert, Unterthiner & Hochreiter 2015, arXiv:1511.07289.

    The negative side uses ``expm1`` (exp(x) - 1 loses every digit near 0) on
    min(x, 0), so the unused branch cannot overflow.
    """
    negative_side = _times(alpha, np.expm1(np.minimum(x, 0.0)))
    return np.where(x > 0, x, negative_side)


def elu_grad(x, alpha=1.0):
    """1 for x > 0, alpha * e^x otherwise (alpha at 0, as PyTorch)."""
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0))).astype(x.dtype)


def elu_param_grads(x, alpha=1.0):
    """d f / d alpha = e^x - 1 for x <= 0, else 0."""
    d_alpha = np.where(x > 0, 0.0, np.expm1(np.minimum(x, 0.0))).astype(x.dtype)
    return {"alpha": np.broadcast_to(d_alpha, np.broadcast(x, alpha).shape).copy()}


def selu(x, scale=SELU_SCALE, alpha=SELU_ALPHA):
    r"""Scaled ELU (Klambauer et al. 2017): :math:`\lambda\,\mathrm{elu}(x, \alpha)`.

    With the default constants, inputs distributed N(0, 1) give outputs with
    mean 0 and variance 1: the fixed point that makes SELU networks
    self-normalising.
    """
    return scale * elu(x, alpha)


def selu_grad(x, scale=SELU_SCALE, alpha=SELU_ALPHA):
    """scale for x > 0, scale * alpha * e^x otherwise (scale * alpha at 0, as PyTorch)."""
    return scale * elu_grad(x, alpha)


def selu_param_grads(x, scale=SELU_SCALE, alpha=SELU_ALPHA):
    """d f / d scale = elu(x, alpha); d f / d alpha = scale * (e^x - 1) for x <= 0."""
    d_scale = np.broadcast_to(elu(x, alpha), np.broadcast(x, scale, alpha).shape).copy()
    d_alpha = scale * elu_param_grads(x, alpha)["alpha"]
    return {"scale": d_scale, "alpha": np.broadcast_to(d_alpha, d_scale.shape).copy()}


# ---------------------------------------------------------------- smooth, non-monotonic


def swish(x, beta=1.0):
    r"""Swish (Ramachandran et al. 2017): :math:`x\,\sigma(\beta x)`.

    beta = 1 is SiLU; beta = 0 gives x / 2; beta -> infinity gives ReLU.
    """
    return _times(x, sigmoid(_times(beta, x)))


def swish_grad(x, beta=1.0):
    r""":math:`\sigma(\beta x) + \beta x\,\sigma'(\beta x)`."""
    bx = _times(beta, x)
    return sigmoid(bx) + _times(bx, sigmoid_grad(bx))


def swish_param_grads(x, beta=1.0):
    r""":math:`\partial f/\partial\beta = x^2\,\sigma'(\beta x)` (missing from the notes)."""
    bx = _times(beta, x)
    return {"beta": _times(x, _times(x, sigmoid_grad(bx)))}


def softplus(x, beta=1.0):
    r"""Softplus, :math:`\frac{1}{\beta}\log(1 + e^{\beta x})`, ReLU's smooth twin.

    Dugas et al. 2001; used as a rectifier by Glorot, Bordes & Bengio 2011.

    Computed as max(z, 0) + log1p(e^-|z|), z = beta x, divided by beta: exact for every x. (PyTorch
    switches to the identity above beta x = 20; this version does not need to.)
    """
    return _softplus(_times(beta, x)) / beta


def softplus_grad(x, beta=1.0):
    r""":math:`\sigma(\beta x)`: the derivative of softplus is the sigmoid."""
    return sigmoid(_times(beta, x))


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
    r"""Mish (Misra 2019): :math:`x \tanh(\mathrm{softplus}(x))`."""
    return _times(x, np.tanh(_softplus(x)))


def mish_grad(x):
    r""":math:`\tanh(s) + x\,\sigma(x)\operatorname{sech}^2(s)`, s = softplus(x)."""
    s = _softplus(x)
    return np.tanh(s) + _times(x, sigmoid(x) * tanh_grad(s))


def gelu(x, approximate="none"):
    r"""Gaussian error linear unit (Hendrycks & Gimpel 2016): :math:`x\,\Phi(x)`.

    ``approximate="tanh"`` gives the approximation
    :math:`\frac{x}{2}\bigl(1 + \tanh(\sqrt{2/\pi}(x + 0.044715x^3))\bigr)`,
    evaluated as x * sigmoid(2u) so that it cannot overflow.
    """
    if approximate == "tanh":
        return _times(x, sigmoid(2.0 * _gelu_tanh_u(x)))
    return _times(x, ndtr(x))


def _gelu_tanh_u(x):
    xc = np.clip(x, -1e4, 1e4)  # beyond this u saturates the sigmoid anyway
    return SQRT_2_OVER_PI * xc * (1.0 + GELU_TANH_COEFF * xc * xc)


def gelu_grad(x, approximate="none"):
    r""":math:`\Phi(x) + x\,\varphi(x)` (or the derivative of the tanh form)."""
    xc = np.clip(x, -40.0, 40.0)  # phi(40) underflows to 0: x phi(x) is 0 beyond
    if approximate == "tanh":
        u = _gelu_tanh_u(x)
        du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_COEFF * xc * xc)
        return sigmoid(2.0 * u) + 2.0 * xc * du * sigmoid_grad(2.0 * u)
    return ndtr(x) + xc * (INV_SQRT_2PI * np.exp(-0.5 * xc * xc))


# ---------------------------------------------------------------- mobile-friendly


def hard_swish(x):
    r"""Hard-swish, :math:`x\,\mathrm{relu6}(x + 3) / 6 = x\cdot\mathrm{hard\_sigmoid}(x)`.

    Howard et al. 2019, Searching for MobileNetV3: a piecewise-polynomial
    stand-in for swish that needs no exponential.
    """
    return _times(x, hard_sigmoid(x))


def hard_swish_grad(x):
    """0 for x <= -3, (2x + 3) / 6 for -3 < x < 3, 1 for x >= 3 (as PyTorch >= 2.7)."""
    middle = (2.0 * np.clip(x, -3.0, 3.0) + 3.0) / 6.0
    return np.where(x <= -3.0, 0.0, np.where(x >= 3.0, 1.0, middle)).astype(x.dtype)


# ---------------------------------------------------------------- maxout


def _maxout_pieces(x, weights, biases):
    """The k affine pieces w_j x + b_j, stacked on a new trailing axis."""
    xk = x[..., np.newaxis]
    return _times(weights, xk) + biases


def _maxout_winner(x, weights, biases):
    """One-hot mask of the winning piece (the first one on ties, as PyTorch max(dim))."""
    pieces = _maxout_pieces(x, weights, biases)
    k = pieces.shape[-1]
    return np.arange(k) == np.argmax(pieces, axis=-1)[..., np.newaxis]


def maxout(x, weights=(1.0, 0.0), biases=(0.0, 0.0)):
    r"""Maxout (Goodfellow et al. 2013) of a scalar input: :math:`\max_j (w_j x + b_j)`.

    The defaults, pieces (1, 0) and (0, 0), give max(x, 0) = ReLU.
    In a network each piece is a full affine map of the layer's inputs
    (``acts.nn``); here it is the one-input view, which is what can be plotted.
    """
    return _maxout_pieces(x, weights, biases).max(axis=-1)


def maxout_grad(x, weights=(1.0, 0.0), biases=(0.0, 0.0)):
    """The slope w_j of the winning piece."""
    winner = _maxout_winner(x, weights, biases)
    return np.where(winner, weights, 0.0).sum(axis=-1).astype(x.dtype)


def maxout_param_grads(x, weights=(1.0, 0.0), biases=(0.0, 0.0)):
    """d f / d w_j = x and d f / d b_j = 1 for the winning piece, 0 for the others.

    Both arrays have x's shape plus a trailing axis of length k.
    """
    winner = _maxout_winner(x, weights, biases)
    d_w = np.where(winner, x[..., np.newaxis], 0.0).astype(x.dtype)
    return {"weights": d_w, "biases": winner.astype(x.dtype)}

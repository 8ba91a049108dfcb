r"""Every activation function of the course, as a value function and a derivative function.

Read this file like a textbook appendix. Each activation has

* ``<name>(x, ...)``               f(x), the value;
* ``<name>_grad(x, ...)``          f'(x) = df/dx, its derivative, by its own function;
* ``<name>_param_grads(x, ...)``   ``{parameter: df/dparameter}``, for the activations
  that have parameters.

Each value function's docstring is where its formula (the ``.. math::`` line)
and its paper (the ``Paper:`` paragraph) are written; the registry
(``acts/registry.py``) reads them from there. The functions expect ``x`` to be
a float32 or float64 NumPy array (any shape, 0-d included) and parameters that
are Python floats or arrays of x's dtype, already checked. The friendly entry
points check their arguments and accept lists, scalars, integers and float16:
``acts.swish(x, beta=2.0)``, ``acts.swish.grad(x)``.

Numerical rules followed throughout (see ``reference/activation-facts.md``):

* never ``exp`` of a large positive number: ``exp(-|x|)``, ``expm1``,
  ``scipy.special.expit``, ``logaddexp``, or the argument clamped where the
  result no longer changes;
* no cancellation: the sigmoid's slope is ``exp(-|x|) / (1 + exp(-|x|))^2``,
  not ``s * (1 - s)``, which loses every digit once s rounds to 1;
* constants are Python floats, so NumPy keeps the input's dtype;
* ``0 * inf`` is NaN in IEEE arithmetic, but the limit of ``x * sigmoid(x)``
  at -inf is 0: such products go through ``_times``, so every function has its
  mathematical limit at +-inf and no function warns;
* at a kink the derivative takes the value PyTorch uses (the registry records
  which side that is).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit, ndtr  # logistic sigmoid and normal CDF, accurate in both tails

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
GELU_TANH_COEFF = 0.044715
SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


# ---------------------------------------------------------------- helpers


def _times(a, b):
    """a * b, except that a factor exactly 0 gives 0 even when the other factor is infinite.

    For products such as x * sigmoid(x), whose limit at -inf is 0. NaN still
    propagates. A nonzero Python float (a checked parameter) cannot meet that
    case; for arrays the infinities are looked for first, and the careful
    product is taken only when there are some.
    """
    if type(a) is float and a != 0.0:
        return a * b
    if not (np.isinf(a).any() or np.isinf(b).any()):
        return a * b
    zero_times_inf = ((a == 0) & np.isinf(b)) | (np.isinf(a) & (b == 0))
    with np.errstate(invalid="ignore"):  # exactly the 0 * inf products, replaced on the next line
        product = a * b
    return np.where(zero_times_inf, np.zeros((), product.dtype), product)


def _shape(x, *params):
    """The shape of x broadcast against array-valued parameters (per-unit slopes, say)."""
    return np.broadcast_shapes(np.shape(x), *(np.shape(p) for p in params))


# ---------------------------------------------------------------- saturated


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
    half_width = 0.5 / slope
    # x is clipped first so that slope * x cannot overflow for a slope above 1
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


# ---------------------------------------------------------------- ReLU family


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
    return {"cap": np.broadcast_to(x >= cap, _shape(x, cap)).astype(x.dtype)}


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
    return {"slope": np.broadcast_to(np.minimum(x, 0.0), _shape(x, slope)).copy()}


def prelu(x, alpha=0.25):
    r"""Parametric ReLU: a leaky ReLU whose negative-side slope ``alpha`` is learned with the weights.

    .. math:: \mathrm{prelu}(x) = \max(0, x) + a\,\min(0, x),\ a\ \mathrm{learned}

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
    return {"alpha": np.broadcast_to(np.expm1(np.minimum(x, 0.0)), _shape(x, alpha)).copy()}


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
    shape = _shape(x, scale, alpha)
    d_scale = np.broadcast_to(elu(x, alpha), shape).copy()
    d_alpha = np.broadcast_to(scale * np.expm1(np.minimum(x, 0.0)), shape).copy()
    return {"scale": d_scale, "alpha": d_alpha}


# ---------------------------------------------------------------- smooth, non-monotonic


def swish(x, beta=1.0):
    r"""Swish: x gated by its own sigmoid; SiLU for beta = 1, x / 2 for beta = 0, ReLU as beta -> infinity.

    .. math:: \mathrm{swish}(x) = x\,\sigma(\beta x) = \frac{x}{1 + e^{-\beta x}}

    Args:
        x: float array.
        beta: sharpness, constant or learned.

    Example:
        >>> swish(np.array([0.0, 50.0]))
        array([ 0., 50.])

    Paper: Ramachandran, Zoph & Le 2017, Searching for Activation Functions, arXiv:1710.05941;
    SiLU (beta = 1): Elfwing, Uchibe & Doya 2017, arXiv:1702.03118
    """
    with np.errstate(over="ignore"):  # beta x may overflow to +-inf, where sigma is exactly 1 or 0
        return _times(x, expit(_times(beta, x)))


def swish_grad(x, beta=1.0):
    """sigma(beta x) + beta x sigma'(beta x)."""
    with np.errstate(over="ignore"):
        bx = _times(beta, x)
        return expit(bx) + _times(bx, sigmoid_grad(bx))


def swish_param_grads(x, beta=1.0):
    r"""d f / d beta = x^2 sigma'(beta x) (missing from the notes)."""
    with np.errstate(over="ignore"):
        return {"beta": _times(x, _times(x, sigmoid_grad(_times(beta, x))))}


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
    numerator = -(_times(z, t / (1.0 + t)) + np.log1p(t))
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
    return _times(x, _mish_parts(x)[2])


def mish_grad(x):
    """tanh(sp) + x sech^2(sp) sigma(x), sp = softplus(x): n / (n + 2) + 4 x e (1 + e) / (n + 2)^2."""
    xc, e, gate = _mish_parts(x)
    r = 1.0 / (e * (e + 2.0) + 2.0)
    return gate + 4.0 * xc * e * (1.0 + e) * r * r


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
        return _times(x, expit(2.0 * u))
    return _times(x, ndtr(x))


def gelu_grad(x, approximate="none"):
    """Phi(x) + x phi(x); for "tanh", sigma(2u) + 2 x u' sigma'(2u)."""
    xc = np.clip(x, -40.0, 40.0)  # phi(40) underflows to 0: x phi(x) is 0 beyond
    if approximate == "tanh":
        u = SQRT_2_OVER_PI * xc * (1.0 + GELU_TANH_COEFF * xc * xc)
        du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_COEFF * xc * xc)
        return expit(2.0 * u) + 2.0 * xc * du * sigmoid_grad(2.0 * u)
    return ndtr(x) + xc * (INV_SQRT_2PI * np.exp(-0.5 * xc * xc))


# ---------------------------------------------------------------- mobile-friendly


def hard_swish(x):
    r"""Hard-swish: x times hard-sigmoid(x), a piecewise-polynomial stand-in for swish with no exponential.

    .. math:: \mathrm{hard\_swish}(x) = x\,\frac{\mathrm{relu6}(x + 3)}{6}

    Args:
        x: float array.

    Example:
        >>> hard_swish(np.array([-4.0, 0.0, 1.5, 4.0]))
        array([-0.   ,  0.   ,  1.125,  4.   ])

    Paper: Howard et al. 2019, Searching for MobileNetV3, arXiv:1905.02244
    """
    # below -3 the gate is 0: clamping x there turns -inf * 0 (NaN) into -3 * 0
    x_clamped = np.maximum(x, -3.0)
    return x_clamped * (np.minimum(x_clamped + 3.0, 6.0) / 6.0)


def hard_swish_grad(x):
    """0 for x <= -3, (2x + 3) / 6 between, 1 for x >= 3 (as PyTorch 2.7 and later)."""
    inner = (2.0 * np.clip(x, -3.0, 3.0) + 3.0) / 6.0
    return np.where(x <= -3.0, 0.0, np.where(x >= 3.0, 1.0, inner)).astype(x.dtype, copy=False)


# ---------------------------------------------------------------- maxout


def _piece(x, w, b):
    """w x + b; a piece with w = 0 is the constant b (0 * inf would be NaN), NaN still propagating."""
    if w == 0:
        return np.where(np.isnan(x), x, b)
    return w * x + b


def maxout(x, weights=(1.0, 0.0), biases=(0.0, 0.0)):
    r"""Maxout of a scalar input: the largest of k lines; the defaults, pieces x and 0, give ReLU.

    .. math:: \mathrm{maxout}(x) = \max_{j = 1..k}\,(w_j x + b_j)

    Args:
        x: float array.
        weights: slope w_j of each piece (k of them).
        biases: offset b_j of each piece (k of them).

    In a network each piece is a full affine map of the layer's inputs
    (``acts.nn``); here it is the one-input view, which is what can be plotted.

    Example:
        >>> maxout(np.array([-2.0, 3.0]), weights=(1.0, -1.0), biases=(0.0, 0.0))
        array([2., 3.])

    Paper: Goodfellow, Warde-Farley, Mirza, Courville & Bengio 2013, Maxout Networks, arXiv:1302.4389
    """
    with np.errstate(over="ignore"):  # w x + b beyond the largest float: the true value is beyond it too
        value = _piece(x, weights[0], biases[0])
        for w, b in zip(weights[1:], biases[1:]):
            value = np.maximum(value, _piece(x, w, b))
    return value


def _maxout_winner(x, weights, biases):
    """Index of the winning piece at each x: a later piece wins only if strictly larger,
    so on a tie the first piece wins (as PyTorch's max over a dimension)."""
    value = _piece(x, weights[0], biases[0])
    winner = np.zeros(np.shape(value), dtype=np.intp)
    for j in range(1, len(weights)):
        piece = _piece(x, weights[j], biases[j])
        wins = piece > value
        value = np.where(wins, piece, value)
        winner[wins] = j
    return winner


def maxout_grad(x, weights=(1.0, 0.0), biases=(0.0, 0.0)):
    """The winning piece's slope w_j (on a tie, the first piece's)."""
    return np.asarray(weights, dtype=x.dtype)[_maxout_winner(x, weights, biases)]


def maxout_param_grads(x, weights=(1.0, 0.0), biases=(0.0, 0.0)):
    """d f / d w_j = x and d f / d b_j = 1 for the winning piece, 0 for the others.

    Both arrays have x's shape plus a trailing axis of length k.
    """
    one_hot = _maxout_winner(x, weights, biases)[..., np.newaxis] == np.arange(len(weights))
    d_w = np.where(one_hot, x[..., np.newaxis], np.zeros((), x.dtype))
    return {"weights": d_w, "biases": one_hot.astype(x.dtype)}

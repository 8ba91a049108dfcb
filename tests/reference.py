"""High-precision reference definitions, written independently of acts/functions/.

Each entry is the textbook formula evaluated with mpmath at 50 significant
digits. Derivatives are NOT written out here: the tests take them with
``mpmath.diff`` (high-precision numerical differentiation) of these values, so
a wrong derivative formula in ``acts`` cannot be matched by the same wrong
formula here. An activation added at run time (``acts.register``) brings its
own reference with ``register_reference``; the accuracy tests then reach it
like any other.
"""

import mpmath as mp

mp.mp.dps = 50

SELU_SCALE = mp.mpf("1.0507009873554804934193349852946")
SELU_ALPHA = mp.mpf("1.6732632423543772848170429916717")
ONE_SIXTH = mp.mpf(1) / 6
HALF = mp.mpf(1) / 2
LEAKY_SLOPE = mp.mpf("0.01")
PRELU_ALPHA = mp.mpf("0.25")


def _sigmoid(x):
    return 1 / (1 + mp.exp(-x))


def _softplus(x):
    return mp.log1p(mp.exp(x))


def _clip(x, lo, hi):
    return min(max(x, lo), hi)


REFERENCE = {
    "sigmoid": lambda x: _sigmoid(x),
    "tanh": lambda x: (mp.exp(x) - mp.exp(-x)) / (mp.exp(x) + mp.exp(-x)),
    "hard_sigmoid": lambda x, slope=ONE_SIXTH: _clip(slope * x + HALF, 0, 1),
    "relu": lambda x: max(x, 0),
    "leaky_relu": lambda x, slope=LEAKY_SLOPE: x if x > 0 else slope * x,
    "elu": lambda x, alpha=1: x if x > 0 else alpha * mp.expm1(x),
    "selu": lambda x, scale=SELU_SCALE, alpha=SELU_ALPHA: scale * (x if x > 0 else alpha * mp.expm1(x)),
    "swish": lambda x, beta=1: x * _sigmoid(beta * x),
    "mish": lambda x: x * mp.tanh(_softplus(x)),
    "gelu": lambda x: x * mp.ncdf(x),
    "softplus": lambda x, beta=1: _softplus(beta * x) / beta,
    "relu6": lambda x, cap=6: _clip(x, 0, cap),
    "hard_swish": lambda x: x * _clip(x + 3, 0, 6) / 6,
    "prelu": lambda x, alpha=PRELU_ALPHA: x if x > 0 else alpha * x,
    "maxout": lambda x, weights=(1, 0), biases=(0, 0): max(w * x + b for w, b in zip(weights, biases)),
}



def register_reference(name, fn):
    """Add the 50-digit reference of an activation registered at run time: fn(x, **params) on mpf values."""
    if name in REFERENCE:
        raise ValueError(f"a reference for {name!r} exists already")
    REFERENCE[name] = fn


def unregister_reference(name):
    del REFERENCE[name]


GELU_TANH = lambda x: x / 2 * (1 + mp.tanh(mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3)))  # noqa: E731

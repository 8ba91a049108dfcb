"""Two helpers every activation module uses: a product that respects limits, and a broadcast shape."""

from __future__ import annotations

import numpy as np


def times(a, b):
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


def broadcast_shape(x, *params):
    """The shape of x broadcast against array-valued parameters (per-unit slopes, say)."""
    return np.broadcast_shapes(np.shape(x), *(np.shape(p) for p in params))

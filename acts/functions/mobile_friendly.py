r"""Mobile-friendly (notebook 04): hard-swish, piecewise polynomial, no exponential (ReLU6 and hard-sigmoid
live with their families)."""

from __future__ import annotations

import numpy as np


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
    # The one trap: at x = -inf the gate is 0 and -inf * 0 is NaN, though the limit is 0.
    if x.ndim and x.size and x.min() > -np.inf:  # no -inf and no NaN (the usual case): one buffer, in place
        gate = np.add(x, 3.0)
        np.clip(gate, 0.0, 6.0, out=gate)
        gate /= 6.0  # the gate in [0, 1] first, so x * gate cannot overflow
        gate *= x
        return gate
    # otherwise clamp x at -3, below which the gate is 0 (np.clip: NumPy's clip loop beats np.maximum)
    x_clamped = np.clip(x, -3.0, np.inf)
    return x_clamped * (np.clip(x_clamped + 3.0, 0.0, 6.0) / 6.0)


def hard_swish_grad(x):
    """0 for x <= -3, (2x + 3) / 6 between, 1 for x >= 3 (as PyTorch 2.7 and later)."""
    inner = (2.0 * np.clip(x, -3.0, 3.0) + 3.0) / 6.0
    return np.where(x <= -3.0, 0.0, np.where(x >= 3.0, 1.0, inner)).astype(x.dtype, copy=False)

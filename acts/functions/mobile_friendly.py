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
    # below -3 the gate is 0: clamping x there turns -inf * 0 (NaN) into -3 * 0
    # (np.clip, not np.maximum: NumPy's clip loop is several times faster)
    x_clamped = np.clip(x, -3.0, np.inf)
    return x_clamped * (np.clip(x_clamped + 3.0, 0.0, 6.0) / 6.0)


def hard_swish_grad(x):
    """0 for x <= -3, (2x + 3) / 6 between, 1 for x >= 3 (as PyTorch 2.7 and later)."""
    inner = (2.0 * np.clip(x, -3.0, 3.0) + 3.0) / 6.0
    return np.where(x <= -3.0, 0.0, np.where(x >= 3.0, 1.0, inner)).astype(x.dtype, copy=False)

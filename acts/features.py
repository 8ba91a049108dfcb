"""Features of one activation's curve: saturated tails, extrema of f and f', kinks; and the grids they use.

The tails follow Gulcehre et al. (2016): f saturates in a region reaching
-inf or +inf in which abs(f') < eps and f' -> 0 as x -> -+inf; *hard* where
f' is exactly 0 (ReLU's left side), *soft* elsewhere (sigmoid's tails). A
stationary point in the middle (Swish's minimum) is not saturation, however
small f' is there. ``acts.analysis`` re-exports every public name here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from acts.registry import get

__all__ = [
    "KeyPoint", "KIND_LABEL", "runs", "zoom_max", "activation_grid", "as_grid", "safe_range", "finite_range",
    "saturation_tails", "saturation_bounds", "saturation_regions", "key_points",
]

# ---------------------------------------------------------------------------
# Grids


def safe_range(x_range, min_span: float = 0.5):
    """(low, high) sorted, with high - low >= min_span, so an axis never gets identical limits."""
    lo, hi = sorted(float(v) for v in x_range)
    if hi - lo < min_span:
        mid = (lo + hi) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    return lo, hi


def finite_range(*arrays):
    """(smallest, largest) finite value over the arrays; (0, 1) when there is none."""
    values = np.concatenate([np.ravel(a) for a in arrays]) if arrays else np.array([])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return 0.0, 1.0
    return float(values.min()), float(values.max())


def activation_grid(name: str, x_range=(-6.0, 6.0), n: int = 601, **params) -> np.ndarray:
    """n evenly spaced points over ``x_range`` plus the kinks inside it, so a plotted corner is sharp."""
    lo, hi = float(x_range[0]), float(x_range[1])
    x = np.linspace(lo, hi, n)
    kinks = [k for k in get(name).kink_points(**params) if lo < k < hi]
    return np.union1d(x, kinks) if kinks else x


def as_grid(name, x, params, n: int = 601):
    """x as given (an array of points), or a grid over it when it is a (low, high) pair or None."""
    if x is None:
        return activation_grid(name, (-6.0, 6.0), n, **params)
    x = np.asarray(x, dtype=float)
    if x.shape == (2,):
        return activation_grid(name, safe_range(x), n, **params)
    return x


def runs(mask) -> list:
    """Index ranges (start, stop inclusive) of the runs of True in a 1-D boolean mask."""
    padded = np.concatenate([[False], np.asarray(mask, bool), [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _bisect(predicate, a, b, rounds: int = 5, m: int = 64):
    """Where ``predicate`` switches between a and b (arrays of brackets, predicate(a) != predicate(b)).

    A bisection that looks at m points per step: each round evaluates the
    predicate on m points of every bracket at once (one call of the
    activation) and keeps the sub-interval where it switches, so a bracket
    shrinks (m - 1)-fold per round; 5 rounds of 64 points reach about 1e-9
    of the starting width.
    """
    a, b = np.array(a, dtype=float), np.array(b, dtype=float)
    if a.size == 0:
        return a
    pa = predicate(a)
    t = np.linspace(0.0, 1.0, m)
    for _ in range(rounds):
        grid = a[:, None] + (b - a)[:, None] * t
        same = predicate(grid) == pa[:, None]
        first = np.where(same.all(axis=1), m - 1, np.argmin(same, axis=1))
        i = np.maximum(first - 1, 0)
        a, b = grid[np.arange(len(a)), i], grid[np.arange(len(a)), np.maximum(first, 1)]
    return (a + b) / 2


def _snap(value, kinks, tol: float = 1e-9) -> float:
    """A bisected end that lands on a kink (up to rounding) is that kink exactly."""
    for k in kinks:
        if abs(value - k) <= tol * (1 + abs(k)):
            return float(k)
    return float(value)


# ---------------------------------------------------------------------------
# Saturation: the tails, as Gulcehre et al. (2016) define it

#: The tails are scanned on [-SCAN, SCAN] (widened when needed): far enough for every default
#: curve to have settled, near enough that no f' underflows to an exact 0 (GELU's would beyond ~38).
SCAN = 30.0
_STEP = 0.04  # the scan's grid step; the ends are then refined by bisection


def _tail(act, params, eps, side: float, reach: float):
    """One tail: (inner end, hard end or None), or None when that side does not saturate.

    The tail is the longest interval reaching side * inf on which abs(f') < eps;
    it exists when f'(side * inf) = 0. Its hard part is the longest interval
    reaching side * inf on which f' = 0 exactly (on the scanned grid).
    """
    if float(act.grad(side * np.inf, **params)) != 0.0:
        return None  # f' does not vanish at infinity: no saturation on this side, however small it is
    far = max(SCAN, reach)
    while abs(float(act.grad(side * far, **params))) >= eps and far < 1e6:
        far *= 2  # a very gentle tail (softplus with a small beta): look further out
    kinks = act.kink_points(**params)
    t = np.union1d(np.linspace(-far, far, int(2 * far / _STEP) + 1), kinks)[:: int(side)]  # t[-1] = side * far
    g = np.abs(act.grad(t, **params))
    inside = g < eps
    if not inside[-1]:
        return None
    first = _last_run_start(inside)
    if first == 0:
        inner = -side * np.inf  # abs(f') < eps on the whole scanned line
    else:
        inner = _snap(float(_bisect(lambda u: np.abs(act.grad(u, **params)) < eps, [t[first]], [t[first - 1]])[0]),
                      kinks)
    hard = None
    zero = g == 0
    if zero[-1]:
        first_zero = _last_run_start(zero)
        if first_zero == 0:
            hard = -side * np.inf
        else:
            hard = _snap(float(_bisect(lambda u: act.grad(u, **params) == 0, [t[first_zero]],
                                       [t[first_zero - 1]])[0]), kinks)
    return inner, hard


def _last_run_start(mask) -> int:
    """Index where the final run of True in ``mask`` (which ends at the last element) begins."""
    off = np.flatnonzero(~np.asarray(mask, bool))
    return int(off[-1]) + 1 if off.size else 0


def saturation_tails(name: str, eps: float = 1e-3, reach: float = 0.0, **params) -> list:
    """Where f saturates on the whole real line: a sorted list of (low, high, kind), kind 'hard' or 'soft'.

    Ends are floats, -inf or inf. Only tails count (see the module docstring):
    sigmoid at eps = 1e-3 gives [(-inf, -6.9, 'soft'), (6.9, inf, 'soft')],
    ReLU [(-inf, 0.0, 'hard')], Swish only its left tail, not its minimum.
    ``reach``: scan at least this far out (a view wider than ``SCAN``).
    """
    key = (get(name).name, float(eps), float(reach), tuple(sorted(params.items())))
    try:
        return list(_tails_cached(*key))
    except TypeError:  # unhashable parameter values (arrays): no cache
        return _saturation_tails(name, eps, reach, **params)


@functools.lru_cache(maxsize=256)
def _tails_cached(name, eps, reach, items):
    return tuple(_saturation_tails(name, eps, reach, **dict(items)))


def _saturation_tails(name: str, eps: float = 1e-3, reach: float = 0.0, **params) -> list:
    if not eps > 0:
        raise ValueError(f"saturation: eps must be a number > 0; got {eps!r}")
    act = get(name)
    act(0.0, **params)  # the registry's checks of the parameters, with its messages
    out = []
    for side in (-1.0, 1.0):
        tail = _tail(act, params, eps, side, reach)
        if tail is None:
            continue
        inner, hard = tail
        outer = side * np.inf
        if hard is None:
            pieces = [(outer, inner, "soft")]
        else:
            pieces = [(outer, hard, "hard")]
            if hard != inner:
                pieces.append((hard, inner, "soft"))
        out += [(min(a, b), max(a, b), kind) for a, b, kind in pieces]
    return _merge(sorted(out))


def _merge(intervals):
    """Overlapping intervals of the same kind become one (eps above max |f'| saturates both tails at once)."""
    out = []
    for lo, hi, kind in intervals:
        if out and out[-1][2] == kind and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi), kind)
        else:
            out.append((lo, hi, kind))
    return out


def saturation_bounds(name: str, x_range=(-6.0, 6.0), eps: float = 1e-3, n: int | None = None, **params) -> list:
    """The saturated tails inside ``x_range``: a list of (low, high, kind), clipped to the view.

    An end equal to an end of x_range means "and beyond". ``n`` is accepted
    for backward compatibility and ignored.
    """
    lo, hi = safe_range(x_range)
    tails = saturation_tails(name, eps, reach=max(abs(lo), abs(hi)) + 1.0, **params)
    return [(max(a, lo), min(b, hi), kind) for a, b, kind in tails if b > lo and a < hi or a == b == lo]


def saturation_regions(name: str, x, eps: float = 1e-3, **params):
    """Boolean masks (hard, soft) over the points x: which lie in a hard or a soft saturated tail."""
    x = np.asarray(x, dtype=float)
    hard, soft = np.zeros(x.shape, bool), np.zeros(x.shape, bool)
    reach = float(np.max(np.abs(x[np.isfinite(x)]), initial=0.0)) + 1.0
    act = get(name)
    for lo, hi, kind in saturation_tails(name, eps, reach=reach, **params):
        inside = (x >= lo) & (x <= hi)
        for end in (lo, hi):  # an end at a kink belongs to the tail only if f' there does (maxout'(0) = 1)
            at = x == end
            if at.any() and np.isfinite(end):
                g = abs(float(act.grad(end, **params)))
                inside[at] = g == 0 if kind == "hard" else g < eps
        if kind == "hard":
            hard |= inside
        else:
            soft |= inside & ~hard
    return hard, soft


# ---------------------------------------------------------------------------
# Key points


@dataclass(frozen=True)
class KeyPoint:
    """A notable point: ``kind`` is 'min f', 'max f', 'min df', 'max df' or 'kink'; y is f(x) (f'(x) for 'df')."""

    kind: str
    x: float
    y: float


#: Short names of the kinds, for labels and readouts.
KIND_LABEL = {"min f": "min", "max f": "max", "min df": "min f'", "max df": "max f'", "kink": "kink"}


def _strict_extrema(y, width: int = 3):
    """Indices where y has a strict local maximum: the largest in a window and clearly above both window ends."""
    y = np.asarray(y, dtype=float)
    if y.size < 2 * width + 1:
        return np.array([], dtype=int)
    finite = np.isfinite(y)
    tol = 1e-9 * (1.0 + np.max(np.abs(y[finite]), initial=0.0))
    windows = np.lib.stride_tricks.sliding_window_view(np.where(finite, y, -np.inf), 2 * width + 1)
    centre = windows[:, width]
    peak = (centre >= windows.max(axis=1)) & (centre > windows[:, 0] + tol) & (centre > windows[:, -1] + tol)
    return np.array([width + (a + b) // 2 for a, b in runs(peak)], dtype=int)


def zoom_max(fn, a, b, rounds: int = 5, m: int = 64):
    """The maximum of fn on each bracket [a, b]: m points per bracket, then zoom in around the best one."""
    a, b = np.array(a, dtype=float), np.array(b, dtype=float)
    if a.size == 0:
        return a
    t = np.linspace(0.0, 1.0, m)
    rows = np.arange(len(a))
    for _ in range(rounds):
        grid = a[:, None] + (b - a)[:, None] * t
        values = np.where(np.isfinite(v := fn(grid)), v, -np.inf)
        best = np.argmax(values, axis=1)
        a, b = grid[rows, np.maximum(best - 1, 0)], grid[rows, np.minimum(best + 1, m - 1)]
    return (a + b) / 2


def key_points(name: str, x_range=(-6.0, 6.0), n: int = 2001, **params) -> list:
    """Minima and maxima of f and of f' inside x_range, and the kinks of f there, as ``KeyPoint`` records.

    Strict local extrema on a dense grid, refined: an extremum of f by
    bisection on the sign of f' (so a kink such as abs(x)'s minimum is found
    exactly), an extremum of f' by a zooming search. A monotone function has
    none. Where f' jumps (a kink), its one-sided limit is not an extremum of
    f' and is left out.
    """
    act = get(name)
    lo, hi = safe_range(x_range)
    x = activation_grid(name, (lo, hi), n, **params)
    f, g = act(x, **params), act.grad(x, **params)
    kinks = [k for k in act.kink_points(**params) if lo <= k <= hi]
    w = 3
    points = []
    for kind, sign in (("min f", -1.0), ("max f", 1.0)):
        idx = _strict_extrema(sign * f, w)
        xs = _bisect(lambda t, s=sign: s * act.grad(t, **params) > 0, x[idx - w], x[idx + w])
        points += [KeyPoint(kind, float(t), float(act(t, **params))) for t in xs]
    for kind, sign in (("min df", -1.0), ("max df", 1.0)):
        idx = _strict_extrema(sign * g, w)
        idx = np.array([i for i in idx if not any(x[i - w] <= k <= x[i + w] for k in kinks)], dtype=int)
        xs = zoom_max(lambda t, s=sign: s * act.grad(t, **params), x[idx - w], x[idx + w])
        points += [KeyPoint(kind, float(t), float(act.grad(t, **params))) for t in xs]
    points += [KeyPoint("kink", float(k), float(act(k, **params))) for k in kinks]
    return sorted(points, key=lambda p: (p.x, p.kind))

"""The numbers behind the pictures: saturation, key points, largest differences, properties, Gaussian means.

Everything reads the registry (``acts.get(name)``), so figures, explorers,
notebooks and tests share one implementation of each idea.

* ``saturation_tails(name, eps)``: where f saturates, as Gulcehre et al. (2016)
  define it: in a *tail*, a region reaching -inf or +inf in which abs(f') < eps
  and f' -> 0 as x -> -+inf. *Hard* where f' is exactly 0 (ReLU's left side),
  *soft* elsewhere (sigmoid's tails). A stationary point in the middle (Swish's
  minimum) is not saturation, however small f' is there.
* ``saturation_bounds(name, x_range, eps)`` and ``saturation_regions(name, x, eps)``:
  the same tails clipped to a view, as intervals or as masks over points.
* ``key_points(name, x_range)``: minima and maxima of f and of f', and kinks.
* ``max_difference(names, x)``: where two activations differ most, and which two.
* ``property_table(names)``: one row of computed properties per activation.
* ``gaussian_expectation(fn, mean, std)``: E[fn(z)] for a normal z.
* ``decision_grid(net, X)``: a classifier's label over a grid.

The features of one curve (grids, tails, key points) are written in
``acts.features`` and reached from here.
"""

from __future__ import annotations

import numpy as np

from acts.features import (  # noqa: F401  (analysis is the public face of the curve features too)
    KIND_LABEL,
    KeyPoint,
    activation_grid,
    as_grid,
    finite_range,
    key_points,
    runs,
    safe_range,
    saturation_bounds,
    saturation_regions,
    saturation_tails,
    zoom_max,
)
from acts.registry import get
from acts.registry import names as all_names

__all__ = [
    "KeyPoint", "KIND_LABEL", "runs", "curve", "activation_grid", "as_grid", "safe_range", "finite_range",
    "saturation_tails", "saturation_bounds", "saturation_regions", "key_points", "max_difference",
    "gaussian_expectation", "value_range", "monotonic", "smoothness", "saturation_sides", "saturation_text",
    "property_table", "decision_grid",
]

# ---------------------------------------------------------------------------
# Largest difference


def _params_for(params, index, name):
    if not params:
        return {}
    if index in params:
        return params[index]
    return params.get(name, {})


def curve(name: str, params: dict, derivative: bool = False):
    """x -> f(x) (or f'(x)) of one activation with fixed parameters."""
    act = get(name)
    return (lambda t: act.grad(t, **params)) if derivative else (lambda t: act(t, **params))


def max_difference(names, x, params=None, derivative: bool = False):
    """The largest abs difference between any two of ``names`` over x (of f, or of f' with derivative=True).

    ``params`` maps a name (or its position in ``names``) to its parameters.
    Returns ``(value, x_at, (i, j))``, i and j the positions of the pair in
    ``names``. For f' the kinks of either curve are left out: f' has a jump
    there, and its value at the kink is a convention, not a difference.
    """
    x = np.asarray(x, dtype=float)
    plist = [_params_for(params, i, name) for i, name in enumerate(names)]
    kinks = [k for name, p in zip(names, plist, strict=True) for k in get(name).kink_points(**p)]
    if derivative and kinks:
        x = x[~np.isin(x, kinks)]
    fns = [curve(name, p, derivative) for name, p in zip(names, plist, strict=True)]
    curves = [fn(x) for fn in fns]
    best = (0.0, float(x[0]), (0, min(1, len(names) - 1)))
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            diff = np.abs(curves[i] - curves[j])
            diff = np.where(np.isfinite(diff), diff, -1.0)
            k = int(np.argmax(diff))
            if diff[k] > best[0]:
                a, b = x[max(k - 1, 0)], x[min(k + 1, len(x) - 1)]
                t = float(zoom_max(lambda s, i=i, j=j: np.abs(fns[i](s) - fns[j](s)), [a], [b])[0])
                value = float(np.abs(fns[i](t) - fns[j](t)))
                if not value >= diff[k]:  # a jump: keep the grid point
                    t, value = float(x[k]), float(diff[k])
                best = (value, t, (i, j))  # beside a kink for f': the one-sided limit there
    return best


# ---------------------------------------------------------------------------
# Gaussian expectations

_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(40)


def gaussian_expectation(fn, mean: float = 0.0, std: float = 1.0, *, breaks=(), **params) -> float:
    """E[fn(z)] for z ~ N(mean, std^2): composite Gauss-Legendre quadrature over mean +- 14 std.

    ``fn``: a callable of an array, or a registered activation's name (then
    ``params`` go to it and its kinks become break points). The interval is
    cut at 0, at every break point and into pieces about one std wide, with 40
    nodes in each: exact to rounding for the smooth pieces of an activation
    times the normal density. (Gauss-Hermite would converge slowly here: a
    kink inside the interval breaks its polynomial fit.) The tails beyond
    14 std weigh less than 1e-43. Moments: ``gaussian_expectation(lambda z: acts.selu(z) ** 2)``.
    """
    if not (np.isfinite(mean) and np.isfinite(std) and std > 0):
        raise ValueError(f"gaussian_expectation: mean must be finite and std > 0; got mean={mean!r}, std={std!r}")
    if isinstance(fn, str):
        act = get(fn)
        breaks = [*breaks, *act.kink_points(**params)]
        fn = curve(fn, params)
    elif params:
        raise TypeError(f"gaussian_expectation: keyword arguments {sorted(params)} need fn to be an activation name")
    lo, hi = mean - 14.0 * std, mean + 14.0 * std
    # 0 is always a cut: the piecewise activations switch formula there even where f is smooth (ELU's f'' jumps)
    cuts = np.union1d(np.linspace(lo, hi, 29), [b for b in (0.0, *breaks) if lo < b < hi])
    a, b = cuts[:-1, None], cuts[1:, None]
    z = (a + b) / 2 + (b - a) / 2 * _GL_NODES
    w = (b - a) / 2 * _GL_WEIGHTS
    u = (z - mean) / std
    density = np.exp(-0.5 * u * u) / (std * np.sqrt(2.0 * np.pi))
    return float(np.sum(w * np.asarray(fn(z), dtype=float) * density))


# ---------------------------------------------------------------------------
# Properties, computed

#: Where ``value_range``, ``monotonic`` and ``smoothness`` look: x in [-10, 10], step 0.0005, kinks added.
RANGE_GRID = np.linspace(-10.0, 10.0, 40001)
#: The threshold of soft saturation in the property table.
SOFT_EPS = 1e-3


def _grid(name, params, grid=RANGE_GRID):
    kinks = [k for k in get(name).kink_points(**params) if grid[0] < k < grid[-1]]
    return np.union1d(grid, kinks)


def _number(v) -> str:
    if np.isinf(v):
        return "∞" if v > 0 else "-∞"
    return f"{v:g}" if v == round(v) else f"{v:#.4g}"


def value_range(name: str, **params) -> str:
    """The range of f as interval text, e.g. "(0, 1)" or "[-0.2785, ∞)": grid values and the limits at +-inf.

    A bound only the limits reach is open; one a finite x reaches is closed.
    """
    act = get(name)
    f = act(_grid(name, params), **params)
    limits = np.array([act(-np.inf, **params), act(np.inf, **params)], dtype=float)
    lo_grid, hi_grid = float(np.min(f)), float(np.max(f))
    lo, hi = min(lo_grid, limits.min()), max(hi_grid, limits.max())
    lo, hi = lo + 0.0, hi + 0.0  # -0.0 (a negative slope times 0) reads as 0
    left = "[" if lo == lo_grid and np.isfinite(lo) else "("
    right = "]" if hi == hi_grid and np.isfinite(hi) else ")"
    return f"{left}{_number(lo)}, {_number(hi)}{right}"


def monotonic(name: str, **params) -> str:
    """"yes" when f' >= 0 everywhere on the grid; else "no: f' < 0 for ..." with the interval found."""
    x = _grid(name, params)
    negative = get(name).grad(x, **params) < 0
    if not negative.any():
        return "yes"
    where = np.flatnonzero(negative)
    lo, hi = x[where[0]], x[where[-1]]
    if where[0] == 0:
        return f"no: f' < 0 for x < {hi:.3g}"
    return f"no: f' < 0 on ({lo:.3g}, {hi:.3g})"


def smoothness(name: str, h: float = 1e-5, jump: float = 1e-2, **params) -> str:
    """How smooth f is: "no: kinks at ..." (the registry's kinks), "C¹ only: f'' jumps at ..." (the
    one-sided slopes of f' differ by more than ``jump``), or "yes"."""
    act = get(name)
    kinks = act.kink_points(**params)
    if kinks:
        return "no: kink" + ("s" if len(kinks) > 1 else "") + " at " + ", ".join(f"{k:.3g}" for k in kinks)
    x = np.union1d(np.linspace(-10.0, 10.0, 2001), [0.0])
    g, g_left, g_right = (act.grad(v, **params) for v in (x, x - h, x + h))
    bad = np.abs((g_right - g) / h - (g - g_left) / h) > jump
    if bad.any():
        return "C¹ only: f'' jumps at " + ", ".join(f"{v:.3g}" for v in x[bad])
    return "yes"


def saturation_sides(name: str, eps: float = SOFT_EPS, **params) -> dict:
    """{"left": kind, "right": kind}, kind "hard", "soft" or "none": the outermost piece of each tail."""
    out = {"left": "none", "right": "none"}
    for lo, hi, kind in saturation_tails(name, eps, **params):
        if lo == -np.inf:
            out["left"] = out["left"] if out["left"] == "hard" else kind
        if hi == np.inf:
            out["right"] = out["right"] if out["right"] == "hard" else kind
    return out


def saturation_text(sides: dict) -> str:
    """"soft, both sides", "hard, left", "none", ... for a ``saturation_sides`` result."""
    left, right = sides["left"], sides["right"]
    if left == right:
        return "none" if left == "none" else f"{left}, both sides"
    return "; ".join(f"{kind}, {side}" for side, kind in (("left", left), ("right", right)) if kind != "none")


def _defaults_text(name: str) -> str:
    parts = []
    for pname, spec in get(name).params.items():
        value = spec.default
        if isinstance(value, tuple):
            shown = "(" + ", ".join(f"{v:g}" for v in value) + ")"
        elif isinstance(value, str):
            shown = repr(value)
        else:
            shown = f"{value:.4g}"
        parts.append(f"{pname} = {shown}")
    return ", ".join(parts) or "—"


def property_table(names=None, zero_tol: float = 0.05) -> list:
    """One dict of computed properties per activation (default parameters), every entry computed or read
    from the registry.

    Keys: name, title, family, range (text), lower (smallest value; -inf when f
    falls without bound), min_at (x of a true minimum, else None), f0, grad0,
    mean (E f(z), z ~ N(0, 1)), zero_centred (abs(mean) < zero_tol), monotonic
    and smooth (text, "yes" or "no: ..."), flat_left (f' = 0 for every x < 0:
    units can die), saturation (text, tails at eps = SOFT_EPS), params (the
    defaults, as text), learnable, used_in, reference.
    """
    rows = []
    for name in all_names() if names is None else names:
        act = get(name)
        points = key_points(name, (-10.0, 10.0))
        minima = [p for p in points if p.kind == "min f"]
        mean = gaussian_expectation(name)
        lower = -np.inf if float(act(-np.inf)) == -np.inf else float(np.min(act(_grid(name, {}))))
        rows.append({
            "name": act.name, "title": act.title, "family": act.family, "range": value_range(name),
            "lower": min(lower, float(act(-np.inf))),
            "min_at": minima[0].x if minima else None,
            "f0": float(act(0.0)), "grad0": float(act.grad(0.0)),
            "mean": mean, "zero_centred": abs(mean) < zero_tol,
            "monotonic": monotonic(name), "smooth": smoothness(name),
            "flat_left": bool(np.all(act.grad(-np.geomspace(1e-3, 30.0, 50)) == 0)),
            "saturation": saturation_text(saturation_sides(name)),
            "params": _defaults_text(name), "learnable": ", ".join(act.learnable) or "—",
            "used_in": act.used_in, "reference": act.reference,
        })
    return rows


# ---------------------------------------------------------------------------
# A classifier's decision regions


def decision_grid(net, X, resolution: int = 200, margin: float = 0.5):
    """A ``resolution`` x ``resolution`` grid over X's bounding box plus ``margin``, and net's label at each point.

    ``net`` is anything with ``predict(points) -> labels``. Returns
    ``(xx, yy, labels)``, three arrays of shape (resolution, resolution).
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_grid(): X must have shape (n, 2); got shape {X.shape}")
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"decision_grid(): resolution must be an integer >= 2; got {resolution!r}")
    low, high = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    labels = np.asarray(net.predict(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(xx.shape)
    return xx, yy, labels

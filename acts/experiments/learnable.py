"""Notebook 05's experiment helpers: finite differences, seed studies, maxout fits and usage, parameter counts.

* ``central_difference``: a parameter gradient from two evaluations;
* ``seed_study``: variants of a 2-16-16-3 network (``VARIANTS``, ``GATED``)
  trained from many seeds as one batched computation, scored on held-out
  spirals, with the learned activation parameters; ``paired`` compares two
  variants seed by seed with a 95% interval, ``corrected`` all of them against
  one with the bake-off's Bonferroni correction;
* maxout: ``maxout_fit`` (one unit or two, on a 1-D target), ``best_convex_fit``
  (the best one unit could do), ``maxout_usage`` (idle pieces and units that
  stay linear, measured), ``dead_units`` (for any layer);
* parameters: ``count_parameters``, ``extra_parameters``, ``dense_layer``,
  ``maxout_layer``, ``matched_width`` (a gated net with as many parameters as a plain one).

>>> from acts.experiments import learnable
>>> learnable.count_parameters(learnable.dense_layer(4, 3))
15
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls

from acts import data, nn, stats

from .low_precision import ScoreTask, corrected, held_out_text, record, verdict

# ---------------------------------------------------------------------------
# Gradients and parameter counts


def central_difference(fn, value, h=1e-6):
    """(fn(value + h) - fn(value - h)) / (2 h): the slope of fn at value, from two evaluations."""
    return (fn(value + h) - fn(value - h)) / (2 * h)


def dense_layer(n_in, n_out, seed=0):
    """A real ``nn.Dense`` layer (no activation parameters) of the given sizes."""
    return nn.Dense(n_in, n_out, "relu", rng=seed)


def maxout_layer(n_in, n_out, k, seed=0):
    """A real ``nn.Maxout`` layer of the given sizes with k pieces per unit."""
    return nn.Maxout(n_in, n_out, k, rng=seed)


def count_parameters(layer_or_net) -> int:
    """The number of trainable numbers in a layer or an MLP (the sizes of the arrays of ``parameters()``)."""
    return int(sum(np.size(p) for p in layer_or_net.parameters().values()))


def extra_parameters(activation, sizes=(2, 16, 16, 3), **kwargs) -> int:
    """Parameters of MLP(sizes, activation, **kwargs) minus those of the same ReLU net."""
    return count_parameters(nn.MLP(list(sizes), activation=activation, **kwargs)) - count_parameters(
        nn.MLP(list(sizes), activation="relu"))


def matched_width(layer: str, width: int = 24, n_in: int = 2, n_out: int = 3, depth: int = 2) -> int:
    """The hidden width of a gated net (``layer`` "glu", "swiglu", ...) with as many parameters as a plain one.

    The plain net is ``MLP([n_in] + [width] * depth + [n_out])``; the width
    returned is the one whose gated net's count is nearest (the smaller on a tie).
    """
    target = count_parameters(nn.MLP([n_in, *[width] * depth, n_out]))
    counts = {h: count_parameters(nn.MLP([n_in, *[h] * depth, n_out], layer=layer)) for h in range(1, width + 1)}
    return min(counts, key=lambda h: (abs(counts[h] - target), h))


# ---------------------------------------------------------------------------
# Many seeds at once

#: The variants of section 1-2's study: keyword arguments of ``nn.MLP`` (plus ``clamp``: a lowest value
#: for the learned activation parameters, enforced after every step).
VARIANTS = {
    "ReLU": {"activation": "relu"},
    "Leaky ReLU": {"activation": "leaky_relu"},
    "PReLU": {"activation": "prelu"},
    "PReLU, alpha >= 0": {"activation": "prelu", "clamp": 0.0},
    "Swish, learned beta": {"activation": "swish"},
    "SiLU (beta = 1, fixed)": {"activation": "swish", "learn_activation": False},
}

#: The gated units against plain nets, at equal parameter counts (``width``: hidden width of each net).
GATED = {
    "ReLU MLP": {"activation": "relu", "width": 24},
    "SiLU MLP": {"activation": "swish", "learn_activation": False, "width": 24},
    "GLU": {"layer": "glu", "width": matched_width("glu")},
    "ReGLU": {"layer": "reglu", "width": matched_width("reglu")},
    "GeGLU": {"layer": "geglu", "width": matched_width("geglu")},
    "SwiGLU": {"layer": "swiglu", "width": matched_width("swiglu")},
}


def spirals_per_seed(seeds, n: int = 300, classes: int = 3):
    """(X, y, X_test, y_test) stacked on a leading seed axis: seed s draws its training set, s + 1000 its test set."""
    train = [data.spirals(n, classes=classes, seed=s) for s in seeds]
    test = [data.spirals(n, classes=classes, seed=1000 + s) for s in seeds]
    stack = lambda pairs, i: np.stack([p[i] for p in pairs])  # noqa: E731
    return stack(train, 0), stack(train, 1), stack(test, 0), stack(test, 1)


@dataclass
class SeedStudy:
    """Results of ``seed_study``: per variant, held-out accuracy per seed, learned parameters, parameter count.

    ``labels``, ``of`` and ``task`` read it as the bake-off's results are read, so the bake-off's paired
    comparisons and its Bonferroni correction (``bakeoff_report.bonferroni_verdicts``) apply to it unchanged.
    """

    names: tuple
    seeds: tuple
    test_acc: dict  # name -> (seeds,)
    learned: dict  # name -> {parameter name: final values, (seeds, ...)}
    n_params: dict  # name -> int (one network)
    nets: dict  # name -> the trained nn.MLP (with a model axis)
    test_size: int = 300  # held-out points per seed
    task = ScoreTask("spirals", True)

    @property
    def labels(self) -> list:
        return list(self.names)

    def of(self, label: str) -> np.ndarray:
        return self.test_acc[label]

    @property
    def held_out(self) -> str:
        """"test set: 300 points per seed (1 point = 0.0033 of accuracy)"."""
        return held_out_text(self.test_size)

    def paired(self, name: str, baseline: str = "ReLU") -> tuple:
        """(mean, low, high) of test_acc[name] - test_acc[baseline], seed by seed, with a 95% t interval."""
        return stats.t_interval(self.test_acc[name] - self.test_acc[baseline])

    def versus(self, name: str, baseline: str = "ReLU") -> str:
        """One printed line: both means, wins / ties / losses over seeds, the paired difference and its interval,
        a verdict. The bounds have 4 decimals, so that a bound just off 0 (-0.0004) is not printed as -0.000.
        """
        mean, low, high = self.paired(name, baseline)
        words = verdict(low, high, f"better than {baseline}", f"worse than {baseline}", 1 / self.test_size)
        return (f"{name:23s} {self.test_acc[name].mean():.3f}  vs {baseline}: "
                f"{record(self.test_acc[name] - self.test_acc[baseline])}; "
                f"difference {mean:+.3f} [{low:+.4f}, {high:+.4f}]: {words}")

    def corrected(self, baseline: str = "ReLU") -> list:
        """Printed lines: every variant against ``baseline`` again, with all the intervals widened together
        by the bake-off's Bonferroni correction, and whether each 95% verdict survives it (``low_precision.corrected``;
        a bound within one test point of 0 is marked borderline)."""
        return corrected(self, baseline, f"better than {baseline}", f"worse than {baseline}",
                         1 / self.test_size)


def seed_study(variants=None, seeds=range(8), hidden=(16, 16), steps: int = 200, lr: float = 0.03, n: int = 300,
               progress=None) -> SeedStudy:
    """Train every variant from every seed on three spirals and score it on held-out spirals.

    All seeds of one variant train as one batched computation (``nn.MLP``'s
    model axis); seed s draws the training set, the test set and the initial
    weights, the same for every variant (paired runs). A variant's ``width``
    replaces every hidden width; its ``clamp`` keeps the learned activation
    parameters at or above that value after every step (projected training).
    ``progress(done, total)`` is called as training goes.
    """
    variants = VARIANTS if variants is None else variants
    seeds = tuple(int(s) for s in seeds)
    X, y, X_test, y_test = spirals_per_seed(seeds, n)
    out = SeedStudy(tuple(variants), seeds, {}, {}, {}, {}, int(y_test.shape[-1]))
    for i, (name, spec) in enumerate(variants.items()):
        spec = dict(spec)
        clamp, width = spec.pop("clamp", None), spec.pop("width", None)
        sizes = [2, *([width] * len(hidden) if width else hidden), 3]
        net = nn.MLP(sizes, seed=list(seeds), **spec)

        def step(done, _history, i=i, net=net, clamp=clamp):
            if clamp is not None:
                for p in net.parameters("activation").values():
                    np.maximum(p, clamp, out=p)
            if progress is not None and (done % 10 == 0 or done == steps):
                progress(i * steps + done, len(variants) * steps)

        nn.train(net, X, y, steps=steps, lr=lr, every=1 if clamp is not None else 10, callback=step)
        out.test_acc[name] = np.asarray(nn.accuracy(net, X_test, y_test))
        out.learned[name] = {k: np.array(v) for k, v in net.parameters("activation").items()}
        out.n_params[name] = count_parameters(nn.MLP(sizes, seed=0, **spec))
        out.nets[name] = net
    return out


# ---------------------------------------------------------------------------
# Maxout


def maxout_winners(layer, x) -> np.ndarray:
    """Which piece wins, for every row and unit of a ``nn.Maxout`` layer: integers, shape (..., N, n_out)."""
    return np.argmax(layer.pieces(x), axis=-3)


def dead_units(net, X, y) -> np.ndarray:
    """Per hidden layer, the share of units whose weights and bias get no gradient at all on (X, y).

    Measured from one backward pass over the whole set (``net.gradients``), the
    same way for every kind of layer: a dense unit with f'(z) = 0 on every row,
    or a maxout unit none of whose pieces receives any gradient. A learned
    activation parameter (PReLU's alpha, Swish's beta) is not one of a unit's
    weights: per layer it has no unit axis, and it is left out. Shape
    (..., layers): with a model axis, one row per model.
    """
    grads = net.gradients(X, y)[1]
    skip = set(net.parameters("activation"))
    lead = len(net.lead)
    shares = []
    for i in range(1, len(net.layers)):
        silent = None
        for name, g in grads.items():
            if name.startswith(f"layer{i}.") and name not in skip:
                zero = np.all(g == 0, axis=tuple(range(lead, g.ndim - 1)))
                silent = zero if silent is None else silent & zero
        shares.append(silent.mean(axis=-1))
    return np.stack(shares, axis=-1)


def maxout_usage(net, X) -> list:
    """Per hidden maxout layer, measured on X: shares and counts of idle pieces and of linear units.

    An idle piece wins on no row, so it never gets a gradient. A linear unit
    has one piece winning on every row: on this data it is a straight line.
    Shares are over all pieces or all units (and all models of a net with a
    model axis); "counts" gives (idle pieces, pieces, linear units, units).
    With k = 2 a unit is linear exactly when one of its two pieces is idle, so
    the two counts are equal and only the shares' denominators differ.
    """
    out, a = [], np.asarray(X, dtype=float)
    for layer in net.layers[:-1]:
        pieces = layer.pieces(a)  # (..., k, N, n_out)
        a = pieces.max(axis=-3)
        win = np.argmax(pieces, axis=-3)  # (..., N, n_out)
        used = np.stack([np.any(win == j, axis=-2) for j in range(pieces.shape[-3])])  # (k, ..., n_out)
        linear = used.sum(axis=0) == 1
        out.append({"idle pieces": float(1 - used.mean()), "linear units": float(np.mean(linear)),
                    "counts": (int(used.size - used.sum()), int(used.size), int(linear.sum()), int(linear.size))})
    return out


def maxout_fit(target, k, units: int = 1, steps: int = 300, lr: float = 0.1, seed: int = 0, n: int = 200):
    """Fit ``target`` ("abs", "square", "sine") on [-3, 3] with ``units`` maxout units of k pieces: MLP([1, units, 1]).

    The output weights start at +1, -1, +1, ... (they still train): with one
    unit the net starts as the convex unit itself (a negative start would
    flip it to a concave function that cannot fit abs or x^2); with two it
    starts as a difference of two convex functions. Returns (net, mse,
    pieces), ``pieces`` being how many pieces win somewhere on the data, per unit.
    """
    X, y = data.regression(target, n=n)
    net = nn.MLP([1, units, 1], activation="maxout", k=k, seed=seed)
    net.parameters()["layer2.weight"][...] = np.where(np.arange(units) % 2 == 0, 1.0, -1.0)[:, np.newaxis]
    nn.train(net, X, y, steps=steps, lr=lr)
    mse = float(np.mean((net.predict(X) - y) ** 2))
    win = maxout_winners(net.layers[0], X)
    pieces = [len(np.unique(win[:, j])) for j in range(units)]
    return net, mse, pieces


def _hinge_mse(x, y, joins) -> float:
    """The smallest MSE of a + b x + sum_j c_j relu(x - joins_j) on (x, y) with every c_j >= 0 (a convex fit).

    Non-negative least squares (``scipy.optimize.nnls``) with a and b split into positive and negative parts,
    so the result is finite for any target: for a convex one it is the plain least-squares fit."""
    A = np.column_stack([np.ones_like(x), -np.ones_like(x), x, -x, np.maximum(x[:, np.newaxis] - joins, 0.0)])
    coef, _ = nnls(A, y, maxiter=50 * A.shape[1])
    return float(np.mean((A @ coef - y) ** 2))


def best_convex_fit(target, k, n: int = 200, starts: int = 6, seed: int = 0, tol: float = 1e-4,
                    shape: str = "convex") -> float:
    """The smallest MSE of any convex piecewise-linear function with k pieces on ``maxout_fit``'s data.

    That is the best one maxout unit of k pieces can do (a max of k lines is exactly such a function; with a
    negative output weight it is concave): ``shape`` "convex", "concave" or "either" (the smaller of the two,
    the bound for one unit on a target that is neither, such as the sine). For given joins, the best fit is a
    least-squares problem in the basis 1, x, relu(x - join) with the hinge weights >= 0; the joins are then
    moved by a pattern search (steps halving down to ``tol``) from evenly spaced joins and ``starts - 1``
    random ones, and the best result is returned.
    """
    if not (isinstance(k, (int, np.integer)) and k >= 1):
        raise ValueError(f"best_convex_fit(): k must be a whole number >= 1; got {k!r}")
    if shape not in ("convex", "concave", "either"):
        raise ValueError(f"best_convex_fit(): shape must be 'convex', 'concave' or 'either'; got {shape!r}")
    if shape == "either":
        return min(best_convex_fit(target, k, n, starts, seed, tol, s) for s in ("convex", "concave"))
    X, y = data.regression(target, n=n)
    x, y = X[:, 0], (y[:, 0] if y.ndim == 2 else y) * (1.0 if shape == "convex" else -1.0)
    low, high = x.min(), x.max()
    rng = np.random.default_rng(seed)
    inits = [np.linspace(low, high, k + 1)[1:-1]] + [np.sort(rng.uniform(low, high, k - 1)) for _ in range(starts - 1)]
    best = np.inf
    for joins in inits:
        mse, step = _hinge_mse(x, y, joins), (high - low) / (2 * k)
        while step > tol:
            moved = False
            for j in range(k - 1):
                for d in (step, -step):
                    trial = np.sort(np.where(np.arange(k - 1) == j, joins + d, joins))
                    trial_mse = _hinge_mse(x, y, trial)
                    if trial_mse < mse:
                        joins, mse, moved = trial, trial_mse, True
            if not moved:
                step /= 2
        best = min(best, mse)
    return best


def maxout_parts(net, X) -> np.ndarray:
    """Each maxout unit's output times its output weight, shape (N, units): the parts that sum to the prediction.

    With two units of opposite output weights, one part is convex and the
    other concave: the prediction is a difference of two convex functions.
    """
    hidden = net.layers[0].forward(np.asarray(X, dtype=float))
    return hidden * net.parameters()["layer2.weight"][:, 0]

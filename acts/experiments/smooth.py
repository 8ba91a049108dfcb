"""The experiments behind notebook 03 (smooth activations: Swish, Mish, GELU, Softplus).

>>> from acts.experiments import smooth
>>> result = smooth.race(["relu", "gelu"], seeds=(0, 1), lrs=(0.03,), steps=5)
>>> result.scores().shape
(2, 2)

* ``race``: the same network, data and budget for every activation, over
  several seeds; each seed draws its own data (training, validation and test
  points) and its own initial weights; every activation gets the same small
  learning-rate search, judged on the validation points; test accuracy at the
  chosen learning rate is the score.
* ``paired_differences`` and ``race_table``: each activation minus the
  baseline, seed by seed, with a 95% confidence interval (Student's t), and
  a verdict printed from the interval; ``holm``: the same comparisons' p-values,
  adjusted for making several of them at once.
* ``peak_memory``: the peak memory NumPy allocates during a call; ``mish_in_place``:
  Mish written so that it allocates only its output.

Every network is built and trained by ``acts.nn``.
"""

from __future__ import annotations

import tracemalloc
from dataclasses import dataclass

import numpy as np
from scipy import stats

from acts import data, nn
from acts.registry import get
from acts.stats import t_interval

# ---------------------------------------------------------------- the race


@dataclass
class Race:
    """What ``race`` measured. ``val`` and ``test``: accuracy, shape (activations, lrs, seeds).

    ``chosen``: per activation, the index of the learning rate with the best
    mean validation accuracy (ties: the smaller rate).
    """

    names: list
    seeds: tuple
    lrs: tuple
    steps: int
    val: np.ndarray
    test: np.ndarray
    chosen: list

    def chosen_lr(self, name: str) -> float:
        return self.lrs[self.chosen[self.names.index(name)]]

    def scores(self) -> np.ndarray:
        """Test accuracy at each activation's chosen learning rate, shape (activations, seeds)."""
        return np.stack([self.test[k, j] for k, j in enumerate(self.chosen)])


def race_data(seed: int, n_train: int = 150, n_val: int = 300, n_test: int = 300, noise: float = 0.05):
    """Three-arm spirals for one seed: (X_train, y_train), (X_val, y_val), (X_test, y_test), all drawn fresh."""
    X, y = data.spirals(n_train + n_val + n_test, classes=3, noise=noise, seed=seed)
    cut = np.cumsum([n_train, n_val])
    return list(zip(np.split(X, cut), np.split(y, cut), strict=True))


def race(names, *, seeds=tuple(range(10)), lrs=(0.03, 0.1), steps=100, sizes=(2, 16, 16, 3), n_train=150,
         progress=None) -> Race:
    """Train ``nn.MLP(sizes, name, seed=s)`` with ``nn.train`` (full-batch Adam) for every name, lr and seed.

    Seed s draws the data (``race_data(s)``) and the initial weights
    (``nn.MLP(..., seed=s)``, each activation's own initialisation), so
    two activations with the same seed see the same points: their scores are
    paired. Activation parameters stay at their defaults (Swish's beta fixed
    at 1: SiLU). The (lr, seed) networks of one activation train together,
    as one ``nn.MLP`` with a model axis. ``progress(done, total)`` is called
    after each activation.
    """
    names = [get(n).name for n in names]
    seeds, lrs = tuple(seeds), tuple(lrs)
    sets = [race_data(s, n_train=n_train) for s in seeds]
    X, y, X_val, y_val, X_test, y_test = (np.stack([d[i][j] for d in sets] * len(lrs))
                                          for i in range(3) for j in range(2))
    rates = np.repeat(np.asarray(lrs, dtype=float), len(seeds))  # models ordered (lr, seed)
    val = np.zeros((len(names), len(lrs), len(seeds)))
    test = np.zeros_like(val)
    for k, name in enumerate(names):
        net = nn.MLP(list(sizes), name, seed=list(seeds) * len(lrs), learn_activation=False)
        nn.train(net, X, y, steps=steps, lr=rates, every=steps)
        val[k] = nn.accuracy(net, X_val, y_val).reshape(len(lrs), len(seeds))
        test[k] = nn.accuracy(net, X_test, y_test).reshape(len(lrs), len(seeds))
        if progress is not None:
            progress(k + 1, len(names))
    chosen = [int(np.argmax(val[k].mean(axis=1))) for k in range(len(names))]
    return Race(names, seeds, lrs, steps, val, test, chosen)


def interval(d, level: float = 0.95) -> tuple:
    """(mean, low, high): the mean of the paired differences d and its Student-t interval (``acts.stats``)."""
    d = np.asarray(d, dtype=float)
    if d.ndim != 1 or d.size < 2:
        raise ValueError(f"interval() needs a 1-d array of at least 2 differences; got shape {d.shape}")
    return t_interval(d, level)


def verdict(low: float, high: float, baseline: str = "relu") -> str:
    """What an interval of differences says: better or worse than the baseline, or no clear difference."""
    if low > 0:
        return f"better than {baseline}"
    if high < 0:
        return f"worse than {baseline}"
    return "no clear difference"


def paired_differences(result: Race, baseline: str = "relu", level: float = 0.95) -> list:
    """Per activation but ``baseline``: name, mean, low, high (test accuracy minus the baseline's), verdict."""
    scores = result.scores()
    base = scores[result.names.index(get(baseline).name)]
    rows = []
    for name, s in zip(result.names, scores, strict=True):
        if name == get(baseline).name:
            continue
        mean, low, high = interval(s - base, level)
        rows.append(dict(name=name, mean=mean, low=low, high=high, verdict=verdict(low, high, baseline)))
    return rows


#: The paired tests ``holm`` can use: Student's t on the differences, or the Wilcoxon signed-rank test
#: (ranks only, no assumption that the differences are normal; zero differences are dropped). The ranks are
#: taken of the differences rounded to 12 decimals: accuracies are counts over one test set, so differences
#: that are equal in exact arithmetic must tie, whatever the last bit of their floating-point subtraction.
TESTS = {"t": lambda d: stats.ttest_1samp(d, 0.0).pvalue,
         "wilcoxon": lambda d: stats.wilcoxon(np.round(d, 12)).pvalue}


def holm(result: Race, baseline: str = "relu", test: str = "t") -> list:
    """Per activation but ``baseline``: name, p (a paired test of the differences against 0) and Holm's p.

    Several activations are compared with the same baseline, so one of them can
    look better by luck. Holm's step-down correction: sort the m p-values
    upwards, multiply the i-th smallest (i = 0, 1, ...) by m - i, keep the
    sequence non-decreasing (each adjusted p is the running maximum) and cap it
    at 1. A verdict that survives is one whose Holm-adjusted p stays below 0.05.
    ``test``: "t" (paired t-test) or "wilcoxon" (signed-rank test), see ``TESTS``.
    """
    if test not in TESTS:
        raise ValueError(f"holm(): test must be one of {sorted(TESTS)}; got {test!r}")
    scores = result.scores()
    base = scores[result.names.index(get(baseline).name)]
    names = [n for n in result.names if n != get(baseline).name]
    p = np.array([float(TESTS[test](scores[result.names.index(n)] - base)) for n in names])
    order = np.argsort(p, kind="stable")
    adjusted = np.empty_like(p)
    running = 0.0
    for i, k in enumerate(order):
        running = max(running, min(1.0, (len(p) - i) * p[k]))
        adjusted[k] = running
    return [dict(name=n, p=float(pk), holm=float(h)) for n, pk, h in zip(names, p, adjusted, strict=True)]


def race_table(result: Race, baseline: str = "relu") -> str:
    """The race as text: chosen lr, mean test accuracy, the paired difference to ``baseline`` and its interval."""
    scores = result.scores()
    diffs = {r["name"]: r for r in paired_differences(result, baseline)}
    lines = [f"{'activation':11s} {'lr':>5s} {'test acc.':>9s}   {'minus ' + baseline + ' [95% interval]':30s} verdict"]
    for k, name in enumerate(result.names):
        head = f"{name:11s} {result.chosen_lr(name):5g} {scores[k].mean():9.3f}"
        if name in diffs:
            r = diffs[name]
            lines.append(f"{head}   {r['mean']:+.3f} [{r['low']:+.3f}, {r['high']:+.3f}]{'':9s} {r['verdict']}")
        else:
            lines.append(f"{head}   (baseline)")
    return "\n".join(lines)


# ---------------------------------------------------------------- memory


def mish_in_place(x):
    """Mish as x * tanh(log(1 + e^x)), each step overwriting one array: no temporary beside the output."""
    out = np.logaddexp(x, 0.0)
    np.tanh(out, out=out)
    out *= x
    return out


def peak_memory(fn, x) -> float:
    """The peak memory NumPy allocates while ``fn(x)`` runs, in units of x's own size (x.nbytes).

    Measured with ``tracemalloc`` (NumPy reports its array buffers to it); the
    result array counts, so a function that allocates only its output scores 1.
    """
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn(x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - base) / x.nbytes

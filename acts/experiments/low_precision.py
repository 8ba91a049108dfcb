"""Notebook 04's quantisation experiments: trained networks quantised after training, lookup tables, float formats.

* ``paired_interval`` (``acts.stats.t_interval``) and ``verdict``: paired differences, a 95% t interval, in words
  (borderline when a bound is within one test point of 0); ``held_out_text``: the test-set size beside a study;
  ``record``: wins / ties / losses over seeds; ``corrected``: the Bonferroni-corrected lines (05 and 04 alike);
* post-training quantisation: ``calibrate`` (a range [0, R] by "max",
  "percentile" or "mse"), ``quantise_weights`` (symmetric int8 per tensor),
  ``quantised_accuracy`` (a trained MLP run with int8 weights and 8-bit
  activations) and ``ptq_study`` (ReLU and ReLU6 networks over seeds);
* integer-only lookup tables: ``lut_int8`` and ``lut_report`` (an int8 sigmoid
  or swish read from a 256-entry table, its error in output steps);
* number formats: ``float_format`` (range and precision from the bit layout:
  float16, bfloat16, FP8 E4M3 and E5M2) and ``float16_relative_error``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from acts import data, nn, stats
from acts.registry import get

from . import bakeoff, bakeoff_report
from .mobile_friendly import hard_swish_int8, output_grid, quantise

# ---------------------------------------------------------------------------
# Statistics


#: The mean of paired differences and its 95% Student-t interval: the course's one interval (``acts.stats``).
paired_interval = stats.t_interval


class ScoreTask(NamedTuple):
    """What the bake-off's statistics read of a task: its name and the direction of its score."""

    name: str
    higher_is_better: bool


def verdict(low: float, high: float, better: str, worse: str, point: float | None = None) -> str:
    """``acts.stats.verdict`` in words: ``better`` if the interval lies above 0, ``worse`` below, else a tie.

    ``point``: what one test point is worth (1 / test-set size, for accuracy). A verdict whose interval
    bound nearest 0 lies within one point of 0 is marked borderline: the interval misses 0 by less than
    one held-out point is worth.
    """
    word = stats.verdict(low, high)
    if word == "tie":
        return "no clear difference (the interval contains 0)"
    text = better if word == "better" else worse
    if point is not None and min(abs(low), abs(high)) < point:
        text += " (borderline: a bound within one test point of 0)"
    return text


def record(diffs) -> str:
    """"2 wins, 1 tie, 5 losses": the seeds on which a paired difference is above, at or below 0."""
    d = np.asarray(diffs, dtype=float)
    w, t, lo = int(np.sum(d > 0)), int(np.sum(d == 0)), int(np.sum(d < 0))
    return f"{w} win{'s' * (w != 1)}, {t} tie{'s' * (t != 1)}, {lo} loss{'es' * (lo != 1)}"


def corrected(result, baseline: str, better: str, worse: str, point: float | None = None,
              what: str | None = None) -> list:
    """Printed lines: every entry of ``result`` against ``baseline`` again, all the intervals widened together by
    the bake-off's Bonferroni correction (``bakeoff_report.bonferroni_verdicts``), each read by ``verdict`` (so a
    bound within one test point of 0 is marked borderline here too), and whether each 95% verdict survives.

    ``result`` is read as a bake-off result is: ``labels``, ``of(label)`` and ``task`` (name, higher_is_better).
    """
    strict, found = bakeoff_report.bonferroni_verdicts(result, baseline=baseline)
    kept = found[result.task.name]
    m = len(result.labels) - 1
    lines = [f"all {m} intervals {what or 'against ' + baseline} widened to {strict:.2%} (Bonferroni):"]
    width = max(23, *(len(label) for label in result.labels))
    for c in bakeoff.comparisons(result, baseline, strict):
        first = stats.verdict(*stats.t_interval(c.diffs)[1:])
        fate = ("" if first == "tie" else "; the 95% verdict survives" if c.label in kept[first]
                else "; the 95% verdict does not survive")
        words = "no clear difference" if c.verdict == "tie" else verdict(c.low, c.high, better, worse, point)
        lines.append(f"  {c.label:{width}s} [{c.low:+.4f}, {c.high:+.4f}]: {words}{fate}")
    return lines


def held_out_text(size: int) -> str:
    """What one seed is scored on, and what one test point is worth: "test set: 300 points per seed (...)"."""
    return f"test set: {size} points per seed (1 point = {1 / size:.4f} of accuracy)"


# ---------------------------------------------------------------------------
# Post-training quantisation of a trained MLP

METHODS = ("max", "percentile", "mse")
#: The percentile of the "percentile" calibration rule.
PERCENTILE = 99.9


def calibrate(a, method: str = "max", bits: int = 8, percentile: float = PERCENTILE, candidates: int = 50) -> float:
    """The top R of an unsigned grid [0, R] for the non-negative activations ``a``, chosen on calibration data.

    "max": the largest value (nothing clipped). "percentile": that percentile
    of the values (the tail above it is clipped). "mse": of ``candidates`` R
    from 1% to 100% of the largest value, the one whose ``bits``-bit grid
    stores ``a`` with the smallest mean squared error.
    """
    a = np.asarray(a, dtype=float).ravel()
    top = float(a.max()) if a.size else 0.0
    if top <= 0:
        return 1.0  # all zero: any grid stores it exactly
    if method == "max":
        return top
    if method == "percentile":
        return max(float(np.percentile(a, percentile)), top * 1e-3)
    if method == "mse":
        ranges = top * np.linspace(0.01, 1.0, candidates)
        errors = [np.mean((quantise(a, r, bits) - a) ** 2) for r in ranges]
        return float(ranges[int(np.argmin(errors))])
    raise ValueError(f"calibrate(): method must be one of {', '.join(map(repr, METHODS))}; got {method!r}")


def quantise_weights(w, bits: int = 8) -> np.ndarray:
    """Symmetric per-tensor quantisation: w rounded to multiples of max|w| / (2**(bits-1) - 1)."""
    w = np.asarray(w, dtype=float)
    scale = np.abs(w).max() / (2 ** (bits - 1) - 1)
    return w if scale == 0 else np.rint(w / scale) * scale


def _layers(net, model=None):
    """[(weight, bias)] of every layer of an ``nn.MLP`` of Dense layers; of model ``model`` if it has a model axis."""
    params = net.parameters()
    pick = (lambda p: p) if model is None else (lambda p: p[model])
    return [(pick(params[f"layer{i}.weight"]), pick(params[f"layer{i}.bias"])) for i in range(1, len(net.sizes))]


def hidden_activations(net, X, model=None) -> list:
    """The float activations of each hidden layer of a trained ``nn.MLP`` (Dense layers) for inputs X.

    For a net with a model axis, ``model`` picks one of its models.
    """
    act = get(net.activation)
    out, a = [], np.asarray(X, dtype=float)
    for w, b in _layers(net, model)[:-1]:
        a = act(a @ w + b)
        out.append(a)
    return out


def quantised_accuracy(net, X, y, X_cal, method: str = "max", bits: int = 8, model=None, **calibration) -> dict:
    """Accuracy of ``net`` on (X, y) with int8 weights and ``bits``-bit activations, ranges calibrated on X_cal.

    Simulated ("fake") quantisation, as deployment tools check a model: every
    weight matrix is rounded to symmetric int8 per tensor; every hidden
    layer's output is stored on an unsigned grid [0, R] (R from ``calibrate``
    on the calibration inputs); biases and the output logits stay in float.
    For a net with a model axis, ``model`` picks one of its models.
    Returns {"float": accuracy, "quantised": accuracy, "ranges": [R per layer]}.
    """
    act = get(net.activation)
    ranges = [calibrate(a, method, bits, **calibration) for a in hidden_activations(net, X_cal, model)]
    layers = _layers(net, model)
    a = f = np.asarray(X, dtype=float)
    for (w, b), r in zip(layers[:-1], ranges):
        a = quantise(act(a @ quantise_weights(w) + b), r, bits)
        f = act(f @ w + b)
    w, b = layers[-1]
    logits, float_logits = a @ quantise_weights(w) + b, f @ w + b
    return {"float": float(np.mean(np.argmax(float_logits, axis=1) == y)),
            "quantised": float(np.mean(np.argmax(logits, axis=1) == y)), "ranges": ranges}


@dataclass
class PTQStudy:
    """Results of ``ptq_study``: float and quantised test accuracy per activation, method and seed."""

    activations: tuple
    methods: tuple
    seeds: tuple
    float_acc: dict  # activation -> array (seeds,)
    bits: tuple
    quant_acc: dict  # (activation, method, bits) -> array (seeds,)
    ranges: dict  # (activation, method, bits) -> array (seeds, hidden layers)
    test_size: int = 0  # held-out points per seed

    @property
    def point(self) -> float:
        """What one test point is worth in accuracy: 1 / test_size."""
        return 1.0 / self.test_size

    def drop(self, activation: str, method: str, bits: int = 8) -> np.ndarray:
        """Float accuracy minus quantised accuracy, per seed (positive: quantisation lost accuracy)."""
        return self.float_acc[activation] - self.quant_acc[activation, method, bits]

    def gaps(self, first: str = "relu", second: str = "relu6") -> _Gaps:
        """Every (bits, method) comparison: ``first``'s drop minus ``second``'s, per seed, read as a bake-off
        result against a zero baseline, so that ``corrected`` applies to it unchanged."""
        diffs = {f"{b} bits, {m}": self.drop(first, m, b) - self.drop(second, m, b)
                 for b in self.bits for m in self.methods}
        return _Gaps(diffs)

    def corrected(self, first: str = "relu", second: str = "relu6") -> list:
        """``corrected`` over all ``gaps``: each interval of first - second widened by Bonferroni."""
        a, b = get(first).title, get(second).title
        return corrected(self.gaps(first, second), _Gaps.ZERO, f"{b} loses less", f"{a} loses less", self.point,
                         what=f"of {a} - {b}")


class _Gaps:
    """Paired differences by label, with a zero baseline: what ``corrected`` reads (labels, of, task)."""

    ZERO = "0"
    task = ScoreTask("quantisation", True)

    def __init__(self, diffs: dict):
        self.diffs = diffs
        self.labels = [self.ZERO, *diffs]

    def of(self, label: str) -> np.ndarray:
        if label == self.ZERO:
            return np.zeros_like(next(iter(self.diffs.values())))
        return self.diffs[label]


def ptq_study(activations=("relu", "relu6"), seeds=range(10), methods=METHODS, sizes=(2, 32, 32, 3),
              steps: int = 300, lr: float = 0.03, n: int = 300, bits=(8, 4), progress=None) -> PTQStudy:
    """Train one network per activation and seed, then quantise it after training with each calibration method.

    The seeds of one activation train as one batched computation (``nn.MLP``'s
    model axis). Every network is quantised with each number of activation
    ``bits`` (weights always int8). Seed s draws the training spirals, the
    held-out test spirals (seed 1000 + s) and the initial weights; both
    activations share them (paired runs). The calibration inputs are the
    training inputs. ``progress(done, total)``, if given, is called as training goes.
    """
    seeds = tuple(int(s) for s in seeds)
    bits = tuple(int(b) for b in np.atleast_1d(bits))
    sets = [data.spirals(n, classes=sizes[-1], seed=s) for s in seeds]
    tests = [data.spirals(n, classes=sizes[-1], seed=1000 + s) for s in seeds]
    X, y = np.stack([a for a, _ in sets]), np.stack([b for _, b in sets])
    keys = [(a, m, b) for a in activations for m in methods for b in bits]
    float_acc = {a: np.zeros(len(seeds)) for a in activations}
    quant_acc = {key: np.zeros(len(seeds)) for key in keys}
    ranges = {key: [] for key in keys}
    for i, act in enumerate(activations):
        net = nn.MLP(list(sizes), activation=act, seed=list(seeds))
        report = None if progress is None else (lambda done, _h, i=i: progress(i * steps + done,
                                                                                 len(activations) * steps))
        nn.train(net, X, y, steps=steps, lr=lr, callback=report)
        for j, (X_test, y_test) in enumerate(tests):
            for m in methods:
                for b in bits:
                    res = quantised_accuracy(net, X_test, y_test, X[j], m, b, model=j)
                    float_acc[act][j] = res["float"]
                    quant_acc[act, m, b][j] = res["quantised"]
                    ranges[act, m, b].append(res["ranges"])
    return PTQStudy(tuple(activations), tuple(methods), seeds, float_acc, bits, quant_acc,
                    {key: np.array(v) for key, v in ranges.items()}, int(tests[0][1].size))


# ---------------------------------------------------------------------------
# Lookup tables: an int8 function of an int8 input, with integers only at run time


def round_half_up(v):
    """v rounded to the nearest integer, halves upwards: what an integer add-half-then-shift does."""
    return np.floor(np.asarray(v, dtype=float) + 0.5)


def lut_int8(name: str, s_x: float, s_y: float, z_y: int, **params) -> np.ndarray:
    """The 256-entry table of an int8 activation: entry q + 128 holds the int8 code of f(s_x q).

    Built once, offline, in float; at run time the output is ``table[q_x + 128]``:
    one memory read, no arithmetic.
    """
    q = np.arange(-128, 128)
    return np.clip(round_half_up(get(name)(s_x * q, **params) / s_y) + z_y, -128, 127).astype(np.int8)


def lut_report(name: str = "swish", x_max: float = 8.0) -> dict:
    """An int8 ``name`` through ``lut_int8`` and the integer hard-swish, both against the exact ``name``.

    Inputs: all 256 int8 codes over [-x_max, x_max) (step s_x = x_max / 128);
    outputs on hard-swish's int8 grid (``output_grid``), so that errors are
    counted in the same output steps (LSB). Returns the table, the step
    sizes, and the largest error in LSB of the table and of the integer
    hard-swish against the exact function, and of hard-swish against it.
    """
    s_x = x_max / 128
    s_y, z_y = output_grid(s_x)
    q = np.arange(-128, 128)
    exact = get(name)(s_x * q)
    table = lut_int8(name, s_x, s_y, z_y)
    via_table = table[q + 128].astype(np.int64) - z_y
    via_hswish = hard_swish_int8(q, s_x, s_y, z_y).astype(np.int64) - z_y
    return {"table": table, "s_x": s_x, "s_y": s_y, "z_y": z_y,
            "lut_lsb": float(np.abs(via_table - exact / s_y).max()),
            "hard_swish_lsb": float(np.abs(via_hswish - exact / s_y).max()),
            "hard_swish_vs_own_lsb": float(np.abs(via_hswish - get("hard_swish")(s_x * q) / s_y).max())}


# ---------------------------------------------------------------------------
# Floating-point formats from their bit layouts


@dataclass(frozen=True)
class FloatFormat:
    """Range and precision of a binary floating-point format, computed from its bits."""

    name: str
    exponent_bits: int
    mantissa_bits: int
    max: float
    min_normal: float
    min_subnormal: float
    epsilon: float  # the gap between 1 and the next value: the relative step

    @property
    def decades(self) -> float:
        """Powers of ten between the smallest normal and the largest value."""
        return float(np.log10(self.max / self.min_normal))


def float_format(name: str, exponent_bits: int, mantissa_bits: int, ieee: bool = True) -> FloatFormat:
    """A format with a sign bit, ``exponent_bits`` and ``mantissa_bits`` (stored fraction bits).

    ``ieee=True``: the top exponent is reserved for inf and NaN (float16,
    bfloat16, FP8 E5M2). ``ieee=False``: the OCP FP8 E4M3 convention, no inf,
    the top exponent holds normal numbers except its all-ones mantissa (NaN).
    """
    if exponent_bits < 2 or mantissa_bits < 1:
        raise ValueError(f"float_format(): need exponent_bits >= 2 and mantissa_bits >= 1; "
                         f"got {exponent_bits}, {mantissa_bits}")
    bias = 2 ** (exponent_bits - 1) - 1
    if ieee:
        largest = (2.0 - 2.0**-mantissa_bits) * 2.0 ** (2**exponent_bits - 2 - bias)
    else:
        largest = (2.0 - 2.0 ** (1 - mantissa_bits)) * 2.0 ** (2**exponent_bits - 1 - bias)
    return FloatFormat(name, exponent_bits, mantissa_bits, largest, 2.0 ** (1 - bias),
                       2.0 ** (1 - bias - mantissa_bits), 2.0**-mantissa_bits)


FORMATS = (("float16", 5, 10, True), ("bfloat16", 8, 7, True), ("FP8 E5M2", 5, 2, True),
           ("FP8 E4M3", 4, 3, False))


def format_table() -> list:
    """``float_format`` for float16, bfloat16 and the two FP8 formats, in that order."""
    return [float_format(*spec) for spec in FORMATS]


def float16_relative_error(values) -> np.ndarray:
    """|float16(v) - v| / |v| for each (non-zero) v: constant above 6.1e-5, growing in the subnormals below."""
    v = np.asarray(values, dtype=float)
    return np.abs(v.astype(np.float16).astype(float) - v) / np.abs(v)

"""The value path of acts against bare NumPy and against the source notes, in the same run.

For every registered activation, ``act(x)`` (the value alone, default
parameters) is timed next to

* bare: the numerically stable NumPy expression of the same formula, typed
  inline with no checks (``BARE`` below; GELU needs ``scipy.special.ndtr``,
  NumPy has no erf), on 1e6 and 1e3 float64 and float32 values;
* notes: the value half of the source notes' own formulas, retyped as they are
  written there (their warnings silenced so they can be timed); the notes have
  no code for GELU, Softplus or Maxout: for those it is the naive textbook
  formula in the notes' style, marked "(textbook)".

Every pair is timed in rounds (``acts.timing.best_times``), best of
``--repeat``, each function called once untimed right before its timing (so
the order of the functions in a round cannot bias the ratio). Bars (issue #12):
act(x) / bare <= 1.5x on 1e6 values and <= 2.5x on 1e3 (the fixed overhead of
a call); geometric mean of act(x) / notes <= 1.0x.
A second table times ``act.value_and_grad`` against ``act(x)`` plus
``act.grad(x)``, and a third the bare value and derivative functions against a
fused prototype that shares the exponential (``FUSED``): what decides whether
a fused value-and-derivative function would pay.

Run: .venv/bin/python bench/acts_speed.py [--repeat N] [--names relu,tanh]
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from scipy.special import ndtr

import acts
from acts.functions import SELU_ALPHA, SELU_SCALE
from acts.timing import best_times


def _stable_sigmoid(x):
    t = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + t), t / (1.0 + t))


#: The bare, numerically stable expression of each formula (default parameters).
BARE = {
    "sigmoid": _stable_sigmoid,
    "tanh": np.tanh,
    "hard_sigmoid": lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0),
    "relu": lambda x: np.maximum(x, 0.0),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.01 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
    "swish": lambda x: x * _stable_sigmoid(x),
    "mish": lambda x: x * np.tanh(np.logaddexp(x, 0.0)),
    "gelu": lambda x: x * ndtr(x),
    "softplus": lambda x: np.logaddexp(x, 0.0),
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
    "hard_swish": lambda x: x * np.clip(x + 3.0, 0.0, 6.0) / 6.0,
    "prelu": lambda x: np.where(x > 0, x, 0.25 * x),
    "maxout": lambda x: np.maximum(1.0 * x + 0.0, 0.0 * x + 0.0),
}


def _notes_hard(x, lo, hi):
    f = np.where(x < lo, lo, x)
    return np.where(f > hi, hi, f)


#: The source notes' value formulas, retyped (b = 1, lamb = 2, alpha = 1, a = 2 as in the notes).
NOTES = {
    "sigmoid": lambda x: np.exp(x) / (np.exp(x) + 1),
    "tanh": np.tanh,
    "hard_sigmoid": lambda x: _notes_hard((2 * x + 5) / 10, 0, 1),
    "relu": lambda x: np.where(x < 0, 0, x),
    "leaky_relu": lambda x: np.where(x < 0, x / 2, x),
    "elu": lambda x: np.where(x > 0, x, 1 * (np.exp(x) - 1)),
    "selu": lambda x: np.where(x > 0, 2 * x, 2 * 1 * (np.exp(x) - 1)),
    "swish": lambda x: x * (np.exp(1 * x) / (np.exp(1 * x) + 1)),
    "mish": lambda x: x * (((1 + np.exp(x)) ** 2 - 1) / ((1 + np.exp(x)) ** 2 + 1)),
    "gelu": lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),  # textbook
    "softplus": lambda x: np.log(1 + np.exp(x)),  # textbook
    "relu6": lambda x: _notes_hard(x, 0, 6),
    "hard_swish": lambda x: x * _notes_hard(x + 3, 0, 6) / 6,
    "prelu": lambda x: np.where(x < 0, x / 2, x),
    "maxout": lambda x: np.maximum(1 * x + 0, 0 * x + 0),  # textbook
}
TEXTBOOK = {"gelu", "softplus", "maxout"}


def _fused_sigmoid(x):
    t = np.exp(-np.abs(x))
    r = 1.0 / (1.0 + t)
    return np.where(x >= 0, r, t * r), t * r * r


#: A prototype of a fused sigmoid value-and-derivative, sharing the exponential, to see whether it would pay
#: (the records of swish, mish and gelu have theirs: acts.functions.swish_value_and_grad and so on).
FUSED = {"sigmoid": _fused_sigmoid}
BARS = {1_000_000: 1.5, 1_000: 2.5}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15, help="rounds per case; the best is kept")
    parser.add_argument("--names", default="", help="comma-separated activations (default: all)")
    args = parser.parse_args()
    chosen = args.names.split(",") if args.names else acts.names()

    base = np.random.default_rng(0).normal(0.0, 4.0, 1_000_000)
    missing = set(acts.names()) - set(BARE)
    if missing:
        raise SystemExit(f"no bare expression for {sorted(missing)}: add one to BARE and NOTES")

    print(f"act(x) / bare NumPy, best of {args.repeat} rounds (bars: <= {BARS[1_000_000]}x on 1e6, "
          f"<= {BARS[1_000]}x on 1e3); act(x) / notes on 1e6")
    header = f"{'activation':<24}"
    for n in BARS:
        for dtype in ("float64", "float32"):
            header += f"{f'{n:.0e} {dtype}':>15}"
    print(header + f"{'/notes f64':>12}{'/notes f32':>12}")
    notes_ratios, over = [], []
    grad_rows = []
    for name in chosen:
        act = acts.get(name)
        row = f"{name + (' (textbook)' if name in TEXTBOOK else ''):<24}"
        notes_cells = ""
        for n in BARS:
            # 100 calls per timing on the short arrays: long enough for the clock, short enough
            # (about 0.2 ms) to fit between two preemptions on a loaded machine
            number = 100 if n <= 1_000 else 1
            for dtype in (np.float64, np.float32):
                x = base[:n].astype(dtype)
                calls = {"acts": lambda: act(x), "bare": lambda: BARE[name](x)}  # noqa: B023
                if n == 1_000_000:
                    calls["notes"] = lambda: NOTES[name](x)  # noqa: B023
                with np.errstate(all="ignore"):
                    t = best_times(calls, args.repeat, number, warm=True)
                ratio = t["acts"] / t["bare"]
                row += f"{ratio:14.2f}x"
                if ratio > BARS[n]:
                    over.append(f"{name} {np.dtype(dtype).name} {n:.0e}: {ratio:.2f}x")
                if n == 1_000_000:
                    notes_ratios.append(t["acts"] / t["notes"])
                    notes_cells += f"{notes_ratios[-1]:11.2f}x"
                    if dtype is np.float64:
                        g = best_times({"value": lambda: act(x), "grad": lambda: act.grad(x),  # noqa: B023
                                        "value_and_grad": lambda: act.value_and_grad(x)}, args.repeat)  # noqa: B023
                        grad_rows.append((name, t["acts"], g["grad"], g["value_and_grad"]))
        print(row + notes_cells)
    geo = math.exp(np.mean(np.log(notes_ratios)))
    print(f"\ngeometric mean of act(x) / notes over {len(notes_ratios)} cases (1e6, float64 and float32): "
          f"{geo:.2f}x (bar: <= 1.00x)")
    print("over the bars: " + ("; ".join(over) if over else "none"))

    print("\nvalue and derivative, 1e6 float64, ms: would a fused value_and_grad pay?")
    print(f"{'activation':<14}{'act(x)':>9}{'grad':>9}{'sum':>9}{'value_and_grad':>16}")
    for name, value, grad, both in grad_rows:
        print(f"{name:<14}{value * 1e3:9.2f}{grad * 1e3:9.2f}{(value + grad) * 1e3:9.2f}{both * 1e3:16.2f}")
    x = base.astype(np.float64)
    print("\nbare value function + derivative function vs a fused value-and-derivative, 1e6 float64")
    fused = {**FUSED, **{n: acts.get(n).value_and_grad_fn for n in acts.names() if acts.get(n).value_and_grad_fn}}
    fused = {n: fn for n, fn in fused.items() if n in chosen}
    for name, fn in fused.items():
        act = acts.get(name)
        t = best_times({"separate": lambda: (act.value_fn(x), act.grad_fn(x)),  # noqa: B023
                        "fused": lambda: fn(x)}, args.repeat, warm=True)  # noqa: B023
        kind = "prototype in this file" if name in FUSED else "the record's"
        print(f"{name:<14} separate {t['separate'] * 1e3:7.2f} ms, fused ({kind}) {t['fused'] * 1e3:7.2f} ms: "
              f"fused / separate = {t['fused'] / t['separate']:.2f}")


if __name__ == "__main__":
    main()

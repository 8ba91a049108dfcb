"""Speed of acts against the source notes' own formulas, in the same run.

For every registered activation, on 1e6 elements in float64 and float32, time
value + derivative (what the notes' methods return together) for:

* acts:  act.value_and_grad(x), exact and warning-free everywhere (and, in a
  second column, the separate calls act(x) and act.grad(x), which compute the
  shared work twice);
* notes: the formulas of the source notes, retyped as they are written there
  (their NaNs and warnings silenced so they can be timed). The notes have no
  code for GELU, Softplus or Maxout: for those the baseline is the naive
  textbook formula in the notes' style, marked "(textbook)";
* floor: np.copyto of the same array twice (the memory traffic of writing two
  outputs), the least any elementwise function can cost.

Prints a table and the geometric mean of acts / notes. Bar (issue 2): <= 1.0x.
Run: .venv/bin/python bench/acts_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import math

import numpy as np

import acts
from acts.timing import best_time


class Notes:
    """The source notes' formulas, retyped (including their errors, which is the point)."""

    def __init__(self, x, b=1, lamb=2, alpha=1, a=2):
        self.x, self.b, self.lamb, self.alpha, self.a = x, b, lamb, alpha, a

    def sigmoid(self):
        y = np.exp(self.x) / (np.exp(self.x) + 1)
        return y, y * (1 - y)

    def tanh(self):
        y = np.tanh(self.x)
        return y, 1 - y * y

    def swish(self):
        e = np.exp(self.b * self.x)
        y = self.x * (e / (e + 1))
        # the notes write exp(b x) five times; kept as written
        y_grad = np.exp(self.b * self.x) / (1 + np.exp(self.b * self.x)) + self.x * (
            self.b * np.exp(self.b * self.x) / ((1 + np.exp(self.b * self.x)) * (1 + np.exp(self.b * self.x)))
        )
        return y, y_grad

    def elu(self):
        y = np.where(self.x > 0, self.x, self.alpha * (np.exp(self.x) - 1))
        return y, np.where(self.x > 0, 1, self.alpha * np.exp(self.x))

    def selu(self):
        y = np.where(self.x > 0, self.lamb * self.x, self.lamb * self.alpha * (np.exp(self.x) - 1))
        return y, np.where(self.x > 0, self.lamb * 1, self.lamb * self.alpha * np.exp(self.x))

    def relu(self):
        return np.where(self.x < 0, 0, self.x), np.where(self.x < 0, 0, 1)

    def leaky_relu(self):  # the notes' PReLU is the same code
        return np.where(self.x < 0, self.x / self.a, self.x), np.where(self.x < 0, 1 / self.a, 1)

    prelu = leaky_relu

    def mish(self):
        f = 1 + np.exp(self.x)
        y = self.x * ((f * f - 1) / (f * f + 1))
        return y, (f * f - 1) / (f * f + 1) + self.x * (4 * f * (f - 1)) / ((f * f + 1) * (f * f + 1))

    def relu6(self):
        y = np.where(np.where(self.x < 0, 0, self.x) > 6, 6, np.where(self.x < 0, 0, self.x))
        return y, np.where(self.x > 6, 0, np.where(self.x < 0, 0, 1))

    def hard_swish(self):
        f = self.x + 3
        relu6 = np.where(np.where(f < 0, 0, f) > 6, 6, np.where(f < 0, 0, f))
        relu6_grad = np.where(f > 6, 0, np.where(f < 0, 0, 1))
        return self.x * relu6 / 6, relu6 / 6 + self.x * relu6_grad / 6

    def hard_sigmoid(self):
        f = (2 * self.x + 5) / 10
        y = np.where(np.where(f > 1, 1, f) < 0, 0, np.where(f > 1, 1, f))
        return y, np.where(f > 0, np.where(f >= 1, 0, 1 / 5), 0)

    # Not in the notes: the naive textbook formula, written in the same style.
    def gelu(self):
        c = np.sqrt(2 / np.pi)
        u = c * (self.x + 0.044715 * self.x**3)
        t = np.tanh(u)
        y = 0.5 * self.x * (1 + t)
        return y, 0.5 * (1 + t) + 0.5 * self.x * (1 - t * t) * c * (1 + 3 * 0.044715 * self.x**2)

    def softplus(self):
        e = np.exp(self.x)
        return np.log(1 + e), e / (1 + e)

    def maxout(self):
        y = np.maximum(1 * self.x + 0, 0 * self.x + 0)
        return y, np.where(1 * self.x + 0 >= 0 * self.x + 0, 1, 0)


TEXTBOOK = {"gelu", "softplus", "maxout"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="timings per case; the best is kept")
    parser.add_argument("--n", type=int, default=1_000_000, help="elements per array")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    base = rng.normal(0.0, 4.0, args.n)
    rows, ratios, ratios_notes_only = [], [], []
    for dtype in (np.float64, np.float32):
        x = base.astype(dtype)
        out = np.empty_like(x)
        floor = best_time(lambda: (np.copyto(out, x), np.copyto(out, x)), args.repeat)  # noqa: B023
        for name in acts.names():
            act = acts.get(name)
            ours = best_time(lambda: act.value_and_grad(x), args.repeat)  # noqa: B023
            separate = best_time(lambda: (act(x), act.grad(x)), args.repeat)  # noqa: B023
            notes = Notes(x)
            with np.errstate(all="ignore"):
                theirs = best_time(getattr(notes, name), args.repeat)
            ratio = ours / theirs
            ratios.append(ratio)
            if name not in TEXTBOOK:
                ratios_notes_only.append(ratio)
            rows.append((name + (" (textbook)" if name in TEXTBOOK else ""), np.dtype(dtype).name,
                         ours * 1e9 / args.n, separate * 1e9 / args.n, theirs * 1e9 / args.n,
                         floor * 1e9 / args.n, ratio))

    print(f"value + derivative, {args.n:.0e} elements, best of {args.repeat}; ns per element")
    print(f"{'activation':<24}{'dtype':<9}{'acts':>8}{'separate':>10}{'notes':>8}{'floor':>8}{'acts/notes':>12}")
    for name, dt, ours, separate, theirs, floor, ratio in rows:
        print(f"{name:<24}{dt:<9}{ours:8.2f}{separate:10.2f}{theirs:8.2f}{floor:8.2f}{ratio:11.2f}x")
    geo = math.exp(np.mean(np.log(ratios)))
    geo_notes = math.exp(np.mean(np.log(ratios_notes_only)))
    print(f"geometric mean acts/notes: {geo:.2f}x over all {len(ratios)} cases; "
          f"{geo_notes:.2f}x over the {len(ratios_notes_only)} with the notes' own code (bar: <= 1.00x)")


if __name__ == "__main__":
    main()

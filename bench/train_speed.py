"""How long the notebooks' training demos take, against the 60 s budget for the whole course.

Prints, for each configuration the notebooks train, the time per full-batch
step of ``acts.nn.train`` beside a baseline run in the same process: the bare
NumPy work of one step (the matrix products of the forward and backward
passes, written inline, no activation, loss or optimizer). Then the total of
the notebook 07 bake-off (every registered activation, the same net, data,
seed and budget) and the share of the 60 s course budget that all the demos'
training takes.

Run: .venv/bin/python bench/train_speed.py
"""

from __future__ import annotations

import time

import numpy as np

import acts
from acts import data, nn

COURSE_BUDGET = 60.0  # seconds, all notebooks, fresh kernels

# (notebook, what, sizes, activation, options, data set, steps, how many runs the notebook makes)
SPIRALS = ("spirals", 300)
CONFIGS = [
    ("00", "ReLU vs linear on moons", [2, 16, 2], "relu", {}, ("moons", 200), 300, 2),
    ("02", "dead ReLU: lr x bias init grid", [2, 32, 32, 3], "relu", {}, SPIRALS, 300, 9),
    ("04", "PReLU alpha per unit", [2, 32, 32, 3], "prelu", {"per_unit": True}, SPIRALS, 500, 1),
    ("04", "Swish learned beta", [2, 32, 32, 3], "swish", {}, SPIRALS, 500, 1),
    ("04", "Maxout fits x^2, k = 1..4", [1, 4, 1], "maxout", {"k": 3}, ("square", 200), 500, 4),
]
BAKE_OFF = dict(sizes=[2, 32, 32, 3], data=SPIRALS, steps=500)


def make_data(kind, n):
    if kind in data.TARGETS:
        return data.regression(kind, n=n)
    if kind == "spirals":
        return data.spirals(n, classes=3, seed=0)
    return getattr(data, kind)(n, seed=0)


def seconds_per_step(sizes, activation, options, X, y, steps=100, repeats=3):
    """Best of ``repeats`` trainings of ``steps`` full-batch Adam steps."""
    best = np.inf
    for _ in range(repeats):
        net = nn.MLP(sizes, activation=activation, seed=0, **options)
        start = time.perf_counter()
        nn.train(net, X, y, steps=steps, lr=0.01)
        best = min(best, (time.perf_counter() - start) / steps)
    return best


def baseline_seconds_per_step(sizes, X, steps=100, repeats=3):
    """The matrix products of one forward and backward pass, and nothing else."""
    rng = np.random.default_rng(0)
    weights = [rng.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    best = np.inf
    with nn.single_threaded_blas():
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(steps):
                inputs = [X]
                for W in weights:
                    inputs.append(inputs[-1] @ W)
                grad = inputs[-1]
                for W, a in zip(reversed(weights), reversed(inputs[:-1])):
                    _ = a.T @ grad
                    grad = grad @ W.T
            best = min(best, (time.perf_counter() - start) / steps)
    return best


def main():
    print(f"acts.nn training speed (full batch, Adam), NumPy {np.__version__}")
    print(f"{'nb':<3} {'demo':<34} {'net':<14} {'act':<8} {'ms/step':>8} {'bare':>7} {'ratio':>6} {'runs x steps':>13} "
          f"{'total s':>8}")
    demos_total = 0.0
    for notebook, what, sizes, activation, options, (kind, n), steps, runs in CONFIGS:
        X, y = make_data(kind, n)
        per_step = seconds_per_step(sizes, activation, options, X, y)
        bare = baseline_seconds_per_step(sizes, X)
        total = per_step * steps * runs
        demos_total += total
        net = "-".join(map(str, sizes))
        print(f"{notebook:<3} {what:<34} {net:<14} {activation:<8} {per_step * 1e3:8.3f} {bare * 1e3:7.3f} "
              f"{per_step / bare:6.1f} {f'{runs} x {steps}':>13} {total:8.2f}")

    X, y = make_data(*BAKE_OFF["data"])
    print(f"\nnotebook 07 bake-off: every activation, {'-'.join(map(str, BAKE_OFF['sizes']))} on "
          f"{BAKE_OFF['data'][1]} spiral points, {BAKE_OFF['steps']} Adam steps each, measured in full")
    bake_off = 0.0
    for name in acts.names():
        net = nn.MLP(BAKE_OFF["sizes"], activation=name, seed=0)
        history = nn.train(net, X, y, steps=BAKE_OFF["steps"], lr=0.01)
        bake_off += history.seconds
        print(f"  {name:<13} {history.seconds:6.2f} s  ({history.seconds / BAKE_OFF['steps'] * 1e3:.3f} ms/step)"
              f"  final accuracy {nn.accuracy(net, X, y):.3f}")
    print(f"  bake-off total: {bake_off:.2f} s")

    everything = demos_total + bake_off
    print(f"\ndemos before 05: {demos_total:.2f} s; with the bake-off: {everything:.2f} s = "
          f"{everything / COURSE_BUDGET:.0%} of the {COURSE_BUDGET:.0f} s budget for the whole course")


if __name__ == "__main__":
    main()

"""``acts.nn.train`` per step against a bare NumPy loop training the same network, side by side in one run.

The bar (issue #12): ``nn.train`` takes at most 1.5x the bare loop per step.
The bare loop is what one would write by hand for one fixed network: the
forward pass with the activation inline (``np.maximum``, ``np.tanh``), softmax
cross-entropy, the backward pass, and Adam on each array, no checks, no
history. Both start from the same weights, run the same number of full-batch
steps on one BLAS thread, and agree to rounding (printed). Each time is the
best of several interleaved repeats, in CPU seconds of this process
(``time.process_time``): on a machine shared with other busy processes, wall
time mostly measures the waiting (the load average is printed). Then: ten seeds trained one after another
against the same ten as one batched run (the model axis), and matrix products
on one BLAS thread against the default thread count (why ``nn.train`` limits
them). NumPy timings measure NumPy on this machine only. A further column times
the bare loop once more with the derivative computed as acts computes it
(``STABLE``): tanh's textbook 1 - a^2 is cheap but cancels, so acts pays an
exponential for an accurate sech^2; that column shows what is left of the
ratio once the accurate derivative is in both.

Run: .venv/bin/python bench/train_speed.py
"""

from __future__ import annotations

import os
import platform
import time

import numpy as np
from threadpoolctl import threadpool_limits

from acts import data, nn

STEPS = 50
REPEATS = 9
BAR = 1.5

ACTIVATIONS = {  # the bare loop's activation and its derivative from (z, a), written inline
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(float)),
    "tanh": (np.tanh, lambda z, a: 1.0 - a * a),
}


def _sech2(z, a):
    t = np.exp(-2.0 * np.abs(z))
    return 4.0 * t / (1.0 + t) ** 2


#: The derivative as acts computes it, where it differs from the inline one: tanh's 1 - a^2 cancels to 0
#: for |z| > 19 (and loses relative digits well before), so acts pays an exponential for sech^2.
STABLE = {"tanh": _sech2}


def spirals():
    return data.spirals(300, classes=3, seed=0)


def digits():
    return data.digits()


# (what, sizes, activation, data, steps)
CONFIGS = [
    ("spirals, notebook-sized", [2, 32, 32, 3], "relu", spirals, STEPS),
    ("spirals, notebook-sized", [2, 32, 32, 3], "tanh", spirals, STEPS),
    ("spirals, tiny", [2, 8, 3], "relu", spirals, STEPS),
    ("digits, deep", [64] + [64] * 10 + [10], "relu", digits, 10),
    ("digits, deep", [64] + [64] * 10 + [10], "tanh", digits, 10),
]


def bare_train(weights, biases, X, y, activation, steps, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, stable=False):
    """Full-batch Adam on softmax cross-entropy, written out for this one network (``stable``: f' as acts has it)."""
    f, fprime = ACTIVATIONS[activation]
    if stable:
        fprime = STABLE.get(activation, fprime)
    params = weights + biases
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    onehot = y[:, np.newaxis] == np.arange(weights[-1].shape[1])
    n = len(X)
    for t in range(1, steps + 1):
        inputs, slopes = [X], []
        for W, b in zip(weights[:-1], biases[:-1]):
            z = inputs[-1] @ W + b
            a = f(z)
            inputs.append(a)
            slopes.append(fprime(z, a))
        logits = inputs[-1] @ weights[-1] + biases[-1]
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        grad = (np.exp(log_probs) - onehot) / n
        grads_W, grads_b = [None] * len(weights), [None] * len(weights)
        for i in reversed(range(len(weights))):
            grads_W[i] = inputs[i].T @ grad
            grads_b[i] = grad.sum(axis=0)
            if i:
                grad = (grad @ weights[i].T) * slopes[i - 1]
        for p, g, m_, v_ in zip(params, grads_W + grads_b, m, v):
            m_ *= beta1
            m_ += (1 - beta1) * g
            v_ *= beta2
            v_ += (1 - beta2) * (g * g)
            p -= lr * (m_ / (1 - beta1**t)) / (np.sqrt(v_ / (1 - beta2**t)) + eps)
    return weights, biases


def compare(sizes, activation, X, y, steps):
    """(seconds per step of nn.train, of the bare loop, of the bare loop with acts' f', largest weight difference)."""
    best_nn = best_bare = best_stable = np.inf
    for _ in range(REPEATS):
        net = nn.MLP(sizes, activation=activation, seed=0, init="he")
        weights = [layer.weight.copy() for layer in net.layers]
        biases = [layer.bias.copy() for layer in net.layers]
        copies = [w.copy() for w in weights], [b.copy() for b in biases]
        start = time.process_time()
        nn.train(net, X, y, steps=steps, lr=0.01)
        best_nn = min(best_nn, (time.process_time() - start) / steps)
        # the thread limit is set before the clock starts: finding the BLAS library takes threadpoolctl
        # about 2 ms, which nn.train pays once per process (it keeps the controller)
        with threadpool_limits(limits=1, user_api="blas"), np.errstate(over="ignore", under="ignore"):
            start = time.process_time()
            bare_train(weights, biases, X, y, activation, steps)
            best_bare = min(best_bare, (time.process_time() - start) / steps)
            if activation in STABLE:
                start = time.process_time()
                bare_train(*copies, X, y, activation, steps, stable=True)
                best_stable = min(best_stable, (time.process_time() - start) / steps)
    difference = max(np.abs(layer.weight - W).max() for layer, W in zip(net.layers, weights))
    return best_nn, best_bare, best_stable if activation in STABLE else best_bare, difference


def seconds(fn, repeats=3, clock=time.process_time):
    best = np.inf
    for _ in range(repeats):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def main():
    print(f"acts.nn.train vs a bare NumPy loop, full-batch Adam steps, best of {REPEATS}")
    print(f"NumPy {np.__version__}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")
    print("ratio: nn.train / the bare loop (the bar); same f': / the bare loop computing f' as acts does (tanh:")
    print("sech^2 from exp(-2|z|), not 1 - a^2), what is left once the accurate derivative is paid for")
    same = "same f'"
    print(f"{'data':<24} {'net':<22} {'act':<5} {'nn ms/step':>10} {'bare':>8} {'ratio':>6} {'bar':>4} "
          f"{same:>8} {'max |dW|':>9}")
    for what, sizes, activation, load, steps in CONFIGS:
        X, y = load()
        per_step, bare, stable, difference = compare(sizes, activation, X, y, steps)
        net = f"{sizes[0]}-{sizes[1]}x{len(sizes) - 2}-{sizes[-1]}"
        ok = "ok" if per_step <= BAR * bare else "OVER"
        print(f"{what:<24} {net:<22} {activation:<5} {per_step * 1e3:10.3f} {bare * 1e3:8.3f} "
              f"{per_step / bare:6.2f} {ok:>4} {per_step / stable:8.2f} {difference:9.1e}")

    X, y = spirals()
    seeds = list(range(10))
    one_by_one = seconds(lambda: [nn.train(nn.MLP([2, 32, 32, 3], seed=s), X, y, steps=STEPS) for s in seeds])
    batched = seconds(lambda: nn.train(nn.MLP([2, 32, 32, 3], seed=seeds), X, y, steps=STEPS))
    print(f"\n10 seeds of 2-32x2-3 relu, {STEPS} steps: one after another {one_by_one:.3f} s, "
          f"as one batched run {batched:.3f} s ({one_by_one / batched:.1f}x faster)")

    X, y = digits()
    net = nn.MLP([64, 64, 64, 10], seed=0)
    W = net.layers[1].weight
    grads = np.random.default_rng(0).standard_normal((len(X), 64))
    work = lambda: [grads.T @ (grads @ W) for _ in range(50)]
    default = seconds(work, clock=time.perf_counter)
    with nn.single_threaded_blas():
        one = seconds(work, clock=time.perf_counter)
    print(f"(1797 x 64) @ (64 x 64) and back, 50 times, wall time: default BLAS threads {default * 1e3:.1f} ms, "
          f"one thread {one * 1e3:.1f} ms")


if __name__ == "__main__":
    main()

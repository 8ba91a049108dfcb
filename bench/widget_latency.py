"""Kernel-side latency of one slider step, for every explorer of the course, beside the common recipe, in one run.

A step is timed from setting a control's value (what the kernel does when a
comm message arrives) until the new PNG is in the explorer's ``Image``: the
callback is synchronous, so that is the duration of the assignment. Each
explorer's control is dragged over neighbouring stops, there and back, as a
mouse does.

The common way, which ``interact`` plus the inline backend does on every
step: a new pyplot figure, f and f' with zero lines and a title, then what
the inline backend's flush does (``print_figure(fig, "png",
bbox_inches="tight")``) and closing the figure. It draws less than the
explorers (no shading, no key points) and skips ``interact``'s own Output
widget work, so the comparison favours it. Same figure size and dpi.

Bar (COURSE.md, issue #15): median <= 16 ms and 95th percentile <= 35 ms per
step, for every explorer. Absolute times depend on the machine and its load:
the load average is printed, and the ratio to the common way in the same run
is the figure to compare between runs. The last column, the median CPU time of
a step (the process's own, ``time.process_time``), is what a busy machine
inflates least: the time spent waiting for a core is not in it.

Run: ``.venv/bin/python bench/widget_latency.py`` (``--steps N`` for fewer steps, ``--only deep.`` for the
explorers whose label contains ``deep.``).

``--ab``: instead, the depth explorers as they are against the same explorers
with the partial redraw, the saved backgrounds, the remembered results and the
remembered network (``diagnostics.SignalPropagator``) switched off (every
limit change a full draw, every step a fresh propagation),
interleaved in one run (``--rounds`` times each): ratios that a busy machine
shifts less than absolute times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import matplotlib

matplotlib.use("module://matplotlib_inline.backend_inline")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

import acts  # noqa: E402
from acts import diagnostics, plotting  # noqa: E402
from acts.experiments import deep, mobile_friendly, why  # noqa: E402
from acts.widgets import compare, depth, explore  # noqa: E402

WARMUP = 6


def _explorers():
    """(label, make the explorer, control key) for every explorer the notebooks show."""
    return [
        ("explore('swish'), beta", lambda: explore("swish"), "beta"),
        ("explore('hard_sigmoid'), slope", lambda: explore("hard_sigmoid"), "slope"),
        ("explore('sigmoid'), eps", lambda: explore("sigmoid"), "eps"),
        ("explore('maxout'), weights[1]", lambda: explore("maxout"), "weights[1]"),
        ("compare('swish', 'hard_swish'), beta", lambda: compare("swish", "hard_swish"), "swish.beta"),
        ("depth('sigmoid'), depth", lambda: depth("sigmoid"), "depth"),
        ("depth('relu', init=2.0), init gain", lambda: depth("relu", init=2.0), "init gain"),
        ("why.relu_sum_explorer, units", lambda: why.relu_sum_explorer(), "units"),
        ("mobile_friendly.explore_quantisation, range R", lambda: mobile_friendly.explore_quantisation(), "range"),
        ("mobile_friendly.explore_int8_hard_swish, x_max", lambda: mobile_friendly.explore_int8_hard_swish(),
         "x_max"),
        ("deep.explorer('sigmoid'), init gain", lambda: deep.explorer("sigmoid", gain=1.0), "init gain"),
        ("deep.explorer('sigmoid'), hidden layers", lambda: deep.explorer("sigmoid", gain=1.0), "hidden layers"),
    ]


def _drag(control, steps: int) -> list:
    """Neighbouring values of a control around its current one, there and back (a mouse drag)."""
    if isinstance(control, ipywidgets.SelectionSlider):
        values = [v for _, v in control.options]
    else:
        values = list(range(control.min, control.max + 1))
    start = values.index(control.value)
    half = max(2, min(steps // 2, len(values) - 1))
    lo = max(0, min(start - half // 2, len(values) - 1 - half))
    up = values[lo:lo + half + 1]
    path = up + up[::-1][1:]
    while len(path) < steps + WARMUP:
        path += path[1:]
    return path[:steps + WARMUP]


def time_explorer(make, key, steps: int, redraws: dict | None = None, cpu: list | None = None) -> list:
    """Step times of a drag; ``redraws`` (if given) counts the timed steps' full draws and single-axes redraws;
    ``cpu`` (if given) receives each timed step's CPU time (the process's: waiting for a busy core not counted)."""
    explorer = make()
    control = explorer.controls[key]
    panel = explorer.panel
    counts = {"full": 0, "axes": 0}
    if hasattr(panel, "_full_draw"):  # a LivePanel: count what each step redraws
        full, axes = panel._full_draw, panel._redraw_axes
        panel._full_draw = lambda k: (counts.__setitem__("full", counts["full"] + 1), full(k))[1]
        panel._redraw_axes = lambda changed: (counts.__setitem__("axes", counts["axes"] + 1), axes(changed))[1]
    times = []
    for i, value in enumerate(_drag(control, steps)):
        if i == WARMUP:
            counts.update(full=0, axes=0)
        before = explorer.image.value
        start, start_cpu = time.perf_counter(), time.process_time()
        control.value = value
        elapsed, used = time.perf_counter() - start, time.process_time() - start_cpu
        if i >= WARMUP and explorer.image.value is not before:
            times.append(elapsed)
            if cpu is not None:
                cpu.append(used)
    if redraws is not None:
        redraws.update(counts)
    return times


def common_step(beta: float) -> bytes:
    """One step done the common way: new figure, plot, PNG as the inline backend makes it, close."""
    act = acts.get("swish")
    style = plotting.course_style()
    x = np.linspace(-6, 6, 601)
    fig, (ax_f, ax_df) = plt.subplots(2, 1, sharex=True, figsize=style["figure.figsize"], dpi=style["figure.dpi"])
    ax_f.plot(x, act(x, beta=beta))
    ax_df.plot(x, act.grad(x, beta=beta), color="C1")
    for ax in (ax_f, ax_df):
        ax.axhline(0, color="black", lw=0.8)
        ax.axvline(0, color="black", lw=0.8)
        ax.grid(True, alpha=0.3)
    ax_f.set_title(plotting.title_of("swish"))
    ax_f.set_ylabel("f(x)")
    ax_df.set_ylabel("f'(x)")
    ax_df.set_xlabel("x")
    png = print_figure(fig, "png", bbox_inches="tight")
    plt.close(fig)
    return png


def time_common(steps: int) -> list:
    values = np.concatenate([np.linspace(0.5, 3.0, steps // 2 + 1), np.linspace(3.0, 0.5, steps // 2 + 1)[1:]])
    for v in values[:WARMUP]:
        common_step(float(v))
    times = []
    for v in values[:steps]:
        start = time.perf_counter()
        common_step(float(v))
        times.append(time.perf_counter() - start)
    return times


def _plain(explorer):
    """The explorer without the partial redraw, the saved backgrounds and the remembered results and network
    (every step a fresh ``signal_propagation``)."""
    explorer.panel._redraw_axes = lambda changed: False
    explorer.panel.SAVED = 0
    explorer.CACHED = 0
    explorer.propagate = diagnostics.signal_propagation
    return explorer


def ab(steps: int, rounds: int) -> None:
    """The depth explorers as they are against ``_plain`` ones, interleaved."""
    print(f"A/B, {steps} steps x {rounds} rounds each, interleaved; load average "
          + " ".join(f"{v:.1f}" for v in os.getloadavg()))
    cases = [(label, make, key) for label, make, key in _explorers() if label.startswith("depth(")]
    for label, make, key in cases:
        new, plain = [], []
        for _ in range(rounds):
            new += time_explorer(make, key, steps)
            plain += time_explorer(lambda make=make: _plain(make()), key, steps)
        med = [statistics.median(t) * 1e3 for t in (new, plain)]
        p95 = [float(np.percentile(t, 95)) * 1e3 for t in (new, plain)]
        print(f"  {label:40s} median {med[0]:6.1f} ms vs {med[1]:6.1f} ms ({med[0] / med[1]:.2f}x), "
              f"p95 {p95[0]:6.1f} ms vs {p95[1]:6.1f} ms ({p95[0] / p95[1]:.2f}x)")
    print("  load average at the end " + " ".join(f"{v:.1f}" for v in os.getloadavg()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60, help="timed steps per explorer (default 60)")
    parser.add_argument("--ab", action="store_true", help="the depth explorers with and without their caches")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of --ab (default 3)")
    parser.add_argument("--only", default="", help="time only the explorers whose label contains this text")
    args = parser.parse_args(argv)
    steps = args.steps
    if args.ab:
        ab(steps, args.rounds)
        return 0
    load = os.getloadavg()
    print(f"slider step, kernel side: {steps} steps per explorer; {os.cpu_count()} CPUs, load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; matplotlib {matplotlib.__version__}")
    common = time_common(steps)
    med_c = statistics.median(common) * 1e3
    rows, ok = [], True
    for label, make, key in [e for e in _explorers() if args.only in e[0]]:
        redraws: dict = {}
        cpu: list = []
        times = time_explorer(make, key, steps, redraws, cpu)
        med, p95 = statistics.median(times) * 1e3, float(np.percentile(times, 95)) * 1e3
        passed = med <= 16 and p95 <= 35
        ok &= passed
        rows.append((label, med, p95, med / med_c, "PASS" if passed else "FAIL", redraws, statistics.median(cpu) * 1e3))
    print(f"  {'explorer, control':52s} {'median':>9s} {'p95':>9s} {'x common':>9s}        redrawn (full, axes)"
          "   CPU median")
    for label, med, p95, ratio, verdict, redraws, cpu_med in rows:
        drawn = f"{redraws['full']:3d} {redraws['axes']:3d}" if redraws else "       "
        print(f"  {label:52s} {med:6.1f} ms {p95:6.1f} ms {ratio:8.2f}x  {verdict}  {drawn}   {cpu_med:6.1f} ms")
    print(f"  {'common way (new figure + inline PNG), swish beta':52s} {med_c:6.1f} ms "
          f"{float(np.percentile(common, 95)) * 1e3:6.1f} ms {1:8.2f}x")
    print(f"  bar: median <= 16 ms and p95 <= 35 ms for every explorer -> {'PASS' if ok else 'FAIL'}"
          f" (load average {os.getloadavg()[0]:.1f} at the end)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

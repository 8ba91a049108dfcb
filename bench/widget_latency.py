"""Kernel-side latency of one slider step: ``acts.widgets.explore`` against the common recipe, in one run.

A step is timed from setting the slider's value (what the kernel does when a
comm message arrives) until the new PNG is in the explorer's ``Image``; the
callback is synchronous, so that is the duration of the assignment.

The common way, which ``interact`` plus the inline backend does on every
step: make a new pyplot figure, plot f and f' with zero lines and a title,
then what the inline backend's flush does (``print_figure(fig, "png",
bbox_inches="tight")``) and close the figure. It draws less than the
explorer (no shading, no key points) and skips ``interact``'s own Output
widget work, so the comparison favours it. Same figure size and dpi.

Bar (COURSE.md and issue 3): median <= 35 ms and <= 0.35 x the common way.
Run: ``.venv/bin/python bench/widget_latency.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import matplotlib

matplotlib.use("module://matplotlib_inline.backend_inline")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

import acts  # noqa: E402
from acts import plotting  # noqa: E402
from acts.widgets import explore  # noqa: E402

NAME, PARAM = "swish", "beta"
STEPS = 120  # timed steps of each way, after WARMUP untimed ones
WARMUP = 10


def drag_values(low: float, high: float, steps: int) -> np.ndarray:
    """Slider positions of a drag from low to high and back, small steps as a mouse makes them."""
    up = np.linspace(low, high, steps // 2 + 1)
    return np.concatenate([up, up[::-1][1:]])[:steps]


def time_explorer(values) -> list:
    """Seconds per step for the explorer: set the slider, the new PNG is in the Image when it returns."""
    explorer = explore(NAME)
    slider = explorer.controls[PARAM]
    for v in values[:WARMUP]:
        slider.value = float(v) + 1e-3
    times = []
    for v in values:
        before = explorer.image.value
        start = time.perf_counter()
        slider.value = float(v)
        times.append(time.perf_counter() - start)
        assert explorer.image.value is not before
    return times


def common_step(beta: float) -> bytes:
    """One step done the common way: new figure, plot, PNG as the inline backend makes it, close."""
    act = acts.get(NAME)
    style = plotting.course_style()
    x = np.linspace(-6, 6, 601)
    fig, (ax_f, ax_df) = plt.subplots(2, 1, sharex=True, figsize=style["figure.figsize"], dpi=style["figure.dpi"])
    ax_f.plot(x, act(x, beta=beta))
    ax_df.plot(x, act.grad(x, beta=beta), color="C1")
    for ax in (ax_f, ax_df):
        ax.axhline(0, color="black", lw=0.8)
        ax.axvline(0, color="black", lw=0.8)
        ax.grid(True, alpha=0.3)
    ax_f.set_title(plotting.title_of(NAME))
    ax_f.set_ylabel("f(x)")
    ax_df.set_ylabel("f'(x)")
    ax_df.set_xlabel("x")
    png = print_figure(fig, "png", bbox_inches="tight")
    plt.close(fig)
    return png


def time_common(values) -> list:
    for v in values[:WARMUP]:
        common_step(float(v))
    times = []
    for v in values:
        start = time.perf_counter()
        common_step(float(v))
        times.append(time.perf_counter() - start)
    return times


def p95(times) -> float:
    return float(np.percentile(times, 95))


def main() -> int:
    spec = acts.get(NAME).params[PARAM]
    values = drag_values(0.5, min(spec.high, 3.0), STEPS)
    explorer_times = time_explorer(values)
    common_times = time_common(values)
    ms = 1000.0
    med_e, med_c = statistics.median(explorer_times) * ms, statistics.median(common_times) * ms
    ratio = med_e / med_c
    print(f"slider step of explore({NAME!r}), {PARAM} dragged over {len(values)} positions "
          f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, matplotlib {matplotlib.__version__})")
    print(f"  explore (persistent figure, blitted): median {med_e:6.1f} ms   p95 {p95(explorer_times) * ms:6.1f} ms")
    print(f"  common way (new figure + inline PNG): median {med_c:6.1f} ms   p95 {p95(common_times) * ms:6.1f} ms")
    print(f"  ratio of medians: {ratio:.2f}x   bar: median <= 35 ms and ratio <= 0.35x -> "
          f"{'PASS' if med_e <= 35 and ratio <= 0.35 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

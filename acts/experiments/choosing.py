"""Notebook 07 (choosing an activation): the bake-off, the cheat sheet, the framework conventions.

Three parts, each feeding a table or a figure of the notebook:

* **The bake-off.** Every registered activation trains the same network on
  the same toy task, from the same seeds, for the same number of steps, with
  one learning rate tuned once (on ReLU) and then fixed for all:
  ``make_task``, ``tune_lr``, ``bake_off`` (returns a ``BakeOff``),
  ``results_table``, ``timing_table``, ``plot_loss_curves``, ``plot_scores``.
* **The cheat sheet.** One row per activation, computed from the registry and
  from the functions themselves (nothing typed by hand): ``value_range``,
  ``zero_centred``, ``monotonic``, ``smoothness``, ``saturation``,
  ``measure_costs``, ``cheat_sheet`` and ``markdown_table``.
* **Framework conventions.** What PyTorch, Keras 2, Keras 3 and JAX mean by
  the same name: ``CONVENTIONS`` and ``KINK_DERIVATIVES`` (observed
  behaviour, from the course's facts file), as Markdown tables.

>>> task = make_task("spirals")
>>> result = bake_off(task, lr=0.03, names=["relu", "tanh"], seeds=(0,), steps=20)
>>> result.score.shape
(2, 1)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import partial

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from acts import data, nn, plotting, timing
from acts.registry import get
from acts.registry import names as all_names

# ---------------------------------------------------------------------------
# The bake-off

#: The budget every activation gets: small enough that notebook 07 runs in seconds.
HIDDEN = 16
STEPS = 60
SEEDS = (0, 1, 2)
LEARNING_RATES = (0.01, 0.03, 0.1, 0.3)


@dataclass(frozen=True)
class Task:
    """A toy task: training data, a validation set (for tuning), a test set (for the scores), the net's sizes.

    ``kind`` is "classification" (score: test accuracy, higher is better) or
    "regression" (score: test mean squared error against the noise-free
    target, lower is better).
    """

    name: str
    kind: str
    sizes: tuple
    X: np.ndarray
    y: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def metric(self) -> str:
        return "accuracy" if self.kind == "classification" else "MSE"

    @property
    def higher_is_better(self) -> bool:
        return self.kind == "classification"


def make_task(name: str = "spirals", hidden: int = HIDDEN) -> Task:
    """One of the two bake-off tasks, with a net of two hidden layers of ``hidden`` units.

    ``"spirals"``: 150 training points on three spiral arms (``data.spirals``),
    validation and test sets drawn with other seeds (300 and 600 points).
    ``"sine"``: 64 noisy samples (noise 0.1) of sin(x) on [-3, 3]; validation
    and test compare with the noise-free sin(x) on grids of 101 and 301 points.
    """
    if name == "spirals":
        X, y = data.spirals(150, classes=3, noise=0.05, seed=0)
        X_val, y_val = data.spirals(300, classes=3, noise=0.05, seed=1)
        X_test, y_test = data.spirals(600, classes=3, noise=0.05, seed=2)
        return Task(name, "classification", (2, hidden, hidden, 3), X, y, X_val, y_val, X_test, y_test)
    if name == "sine":
        X, y = data.regression("sine", n=64, noise=0.1, seed=0)
        X_val, y_val = data.regression("sine", n=101)
        X_test, y_test = data.regression("sine", n=301)
        return Task(name, "regression", (1, hidden, hidden, 1), X, y, X_val, y_val, X_test, y_test)
    raise ValueError(f"make_task(): name must be 'spirals' or 'sine'; got {name!r}")


def build_net(task: Task, activation: str, seed: int) -> nn.MLP:
    """The bake-off's net for ``task``: maxout gets k = 2 pieces per unit, every other name its registry defaults."""
    extra = {"k": 2} if get(activation).name == "maxout" else {}
    return nn.MLP(list(task.sizes), activation=activation, seed=seed, **extra)


def score(net: nn.MLP, task: Task, split: str = "test") -> float:
    """Test (or ``split="val"``) accuracy for classification, mean squared error for regression."""
    X, y = (task.X_test, task.y_test) if split == "test" else (task.X_val, task.y_val)
    if task.kind == "classification":
        return float(nn.accuracy(net, X, y))
    return float(np.mean((net.predict(X) - y) ** 2))


def tune_lr(task: Task, activation: str = "relu", lrs=LEARNING_RATES, seed: int = 0, steps: int = STEPS) -> dict:
    """{learning rate: validation score} for one activation and one seed: the one small sweep of the bake-off."""
    out = {}
    for lr in lrs:
        net = build_net(task, activation, seed)
        nn.train(net, task.X, task.y, steps=steps, lr=lr, every=steps)
        out[lr] = score(net, task, "val")
    return out


def best_lr(scores: dict, task: Task) -> float:
    """The learning rate with the best validation score in a ``tune_lr`` result."""
    pick = max if task.higher_is_better else min
    return pick(scores, key=scores.get)


@dataclass
class BakeOff:
    """The outcome of ``bake_off``: arrays indexed [activation, seed] (``loss`` adds a step axis).

    ``score``: test accuracy or test MSE; ``dead``: fraction of hidden units
    with f' = 0 on every training point at the end (mean over the hidden
    layers); ``seconds_per_step``: measured wall time (machine-dependent).
    """

    task: Task
    names: list
    seeds: tuple
    steps: int
    lr: float
    loss: np.ndarray
    score: np.ndarray
    dead: np.ndarray
    seconds_per_step: np.ndarray

    def index(self, name: str) -> int:
        return self.names.index(get(name).name)

    def wins_against(self, name: str, baseline: str = "relu") -> int:
        """On how many seeds ``name`` scored strictly better than ``baseline`` (the same seed for both)."""
        a, b = self.score[self.index(name)], self.score[self.index(baseline)]
        return int(np.sum(a > b) if self.task.higher_is_better else np.sum(a < b))

    def ranking(self) -> list:
        """The names sorted from best to worst mean score."""
        means = self.score.mean(axis=1)
        order = np.argsort(-means if self.task.higher_is_better else means, kind="stable")
        return [self.names[i] for i in order]


def _train_one(task: Task, name: str, seed: int, steps: int, lr: float, callback=None) -> tuple:
    """One bake-off run: (training loss per step, test score, dead-unit fraction, seconds per step)."""
    net = build_net(task, name, seed)
    history = nn.train(net, task.X, task.y, steps=steps, lr=lr, every=max(1, steps // 5), callback=callback)
    return history.loss, score(net, task), float(np.mean(history.dead_fraction)), history.seconds / steps


_REPORT = None  # in a worker process: the queue that nn.train's callback reports progress to


def _init_worker(queue):
    global _REPORT
    _REPORT = queue


def _train_one_in_worker(task, name, seed, steps, lr):
    last = [0]

    def callback(step, _history):
        _REPORT.put(step - last[0])
        last[0] = step

    return _train_one(task, name, seed, steps, lr, callback)


def default_workers() -> int:
    """Processes for ``bake_off``: 1 (the runs one after another, in this process).

    ``workers=2`` shares the runs between two forked processes on Linux, about
    1.4x sooner on an idle 2-core machine; it is not the default because
    forking a Jupyter kernel (which runs threads of its own) is not safe in
    general, and on a busy machine the two processes were slower, not faster.
    """
    return 1


def bake_off(task: Task, lr: float, names=None, seeds=SEEDS, steps: int = STEPS, progress=None,
             workers: int | None = None) -> BakeOff:
    """Train every activation in ``names`` (default: all registered) from every seed; same net, budget and lr.

    Full-batch Adam for ``steps`` steps. ``progress(done, total)``, if given,
    is called as training goes (from ``nn.train``'s callback), with ``done``
    and ``total`` counted in training steps.

    ``workers``: the runs are independent and seeded, so ``workers=2`` (two
    forked processes, Linux only) gives identical results; the default is 1
    (see ``default_workers``).
    """
    names = [get(n).name for n in (all_names() if names is None else names)]
    seeds = tuple(seeds)
    shape = (len(names), len(seeds))
    result = BakeOff(task, names, seeds, steps, lr, loss=np.empty((*shape, steps)), score=np.empty(shape),
                     dead=np.empty(shape), seconds_per_step=np.empty(shape))
    jobs = [((i, j), name, seed) for i, name in enumerate(names) for j, seed in enumerate(seeds)]
    total = len(jobs) * steps
    report = progress or (lambda done, total: None)
    workers = default_workers() if workers is None else workers

    def store(where, outcome):
        result.loss[where], result.score[where], result.dead[where], result.seconds_per_step[where] = outcome

    if workers <= 1 or len(jobs) == 1:
        for k, (where, name, seed) in enumerate(jobs):
            store(where, _train_one(task, name, seed, steps, lr,
                                    lambda step, _h, done=k * steps: report(done + step, total)))
        return result

    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("fork")
    queue = context.SimpleQueue()
    done = 0
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads (Jupyter's, OpenBLAS's idle pool) may
        # deadlock a child that takes a lock another thread held. The children here run only NumPy
        # code on copies of the data and talk to this process through the pool's pipes and ``queue``.
        warnings.filterwarnings("ignore", message=r".*multi-threaded, use of fork\(\) may lead to deadlocks",
                                category=DeprecationWarning)
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(queue,))
        pending = {pool.submit(_train_one_in_worker, task, name, seed, steps, lr): where
                   for where, name, seed in jobs}
    with pool:
        while pending:
            finished, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            for future in finished:
                store(pending.pop(future), future.result())
            while not queue.empty():
                done += queue.get()
            report(done, total)
    return result


def results_table(*results: BakeOff) -> str:
    """A Markdown table: per activation, each task's mean score, the spread across seeds, wins against ReLU, dead units.

    Every number is deterministic (no timings): stored notebook outputs can be compared.
    """
    head = ["activation"]
    for r in results:
        what = "accuracy ↑" if r.task.higher_is_better else "MSE ↓"
        head += [f"{r.task.name} {what} mean", "min – max", "beats ReLU", "dead units"]
    rows = []
    for name in results[0].names:
        row = [get(name).title]
        for r in results:
            s = r.score[r.index(name)]
            fmt = (lambda v: f"{v:.3f}") if r.task.higher_is_better else (lambda v: f"{v:.4f}")
            beats = "—" if name == "relu" else f"{r.wins_against(name)} of {len(r.seeds)}"
            row += [fmt(s.mean()), f"{fmt(s.min())} – {fmt(s.max())}", beats, f"{r.dead[r.index(name)].mean():.0%}"]
        rows.append(row)
    return markdown_table(head, rows)


def timing_table(*results: BakeOff) -> str:
    """A Markdown table of the measured time per training step (median over seeds) and its ratio to ReLU's."""
    head = ["activation"]
    for r in results:
        head += [f"{r.task.name}: ms per step", "× ReLU"]
    rows = []
    for name in results[0].names:
        row = [get(name).title]
        for r in results:
            median = np.median(r.seconds_per_step, axis=1)
            t = median[r.index(name)]
            row += [f"{1e3 * t:.2f}", f"{t / median[r.index('relu')]:.1f}"]
        rows.append(row)
    return markdown_table(head, rows)


def headline(result: BakeOff) -> str:
    """One sentence: the best mean score, ReLU's mean and range over seeds, how many others fall inside that range."""
    fmt = (lambda v: f"{v:.3f}") if result.task.higher_is_better else (lambda v: f"{v:.4f}")
    means = result.score.mean(axis=1)
    best = result.ranking()[0]
    relu = result.score[result.index("relu")]
    inside = sum(relu.min() <= means[i] <= relu.max() for i, n in enumerate(result.names) if n != "relu")
    what = "accuracy" if result.task.higher_is_better else "MSE"
    return (f"{result.task.name}: best mean {what} {get(best).title} ({fmt(means[result.index(best)])}); "
            f"ReLU {fmt(relu.mean())}, from {fmt(relu.min())} to {fmt(relu.max())} across seeds; "
            f"{inside} of the {len(result.names) - 1} others have a mean inside ReLU's range.")


def versus(results, name: str, baseline: str = "relu") -> str:
    """One line: on how many seeds of each task ``name`` beat ``baseline``, and both means."""
    parts = []
    for r in results:
        fmt = (lambda v: f"{v:.3f}") if r.task.higher_is_better else (lambda v: f"{v:.4f}")
        a, b = r.score[r.index(name)].mean(), r.score[r.index(baseline)].mean()
        parts.append(f"{r.task.name} {r.wins_against(name, baseline)} of {len(r.seeds)} seeds "
                     f"(mean {fmt(a)} vs {fmt(b)})")
    return f"{get(name).title} beats {get(baseline).title} on " + "; ".join(parts)


def against_baseline(results, baseline: str = "relu") -> dict:
    """Every other activation sorted by how it did against ``baseline``, seed by seed, over all the ``results``.

    {"better on every seed": [...], "mixed": [...], "worse on every seed": [...]}: "better on every
    seed" means a strictly better score than ``baseline`` from the same seed, on every seed of every task.
    """
    out = {"better on every seed": [], "mixed": [], "worse on every seed": []}
    for name in results[0].names:
        if name == get(baseline).name:
            continue
        wins = sum(r.wins_against(name, baseline) for r in results)
        runs = sum(len(r.seeds) for r in results)
        key = "better on every seed" if wins == runs else "worse on every seed" if wins == 0 else "mixed"
        out[key].append(name)
    return out


def cost_table(rows: list, result: BakeOff) -> str:
    """Measured costs: per element of the activation alone (``cheat_sheet`` rows with costs) and per training step."""
    median = np.median(result.seconds_per_step, axis=1)
    relu = median[result.index("relu")]
    table = [[row["title"], f"{row['cost']:.1f}", f"{median[result.index(row['name'])] / relu:.1f}"] for row in rows]
    return markdown_table(["activation", "f(x) per element, × ReLU", f"training step ({result.task.name}), × ReLU"],
                          table)


def plot_tasks(tasks, talk=None):
    """The bake-off's training data: the spirals coloured by class, the noisy sine samples with sin(x)."""
    fig, (ax1, ax2) = plotting.new_figure(1, 2, talk=talk, figsize=(8.8, 3.6))
    spirals, sine = tasks["spirals"], tasks["sine"]
    for c in np.unique(spirals.y):
        pts = spirals.X[spirals.y == c]
        ax1.scatter(pts[:, 0], pts[:, 1], s=14, color=plotting.PALETTE[c], marker=plotting.MARKERS[c],
                    edgecolors="black", linewidths=0.4, label=f"class {c}")
    ax1.set_aspect("equal")
    ax1.set_title(f"spirals: {len(spirals.X)} training points")
    ax1.legend(fontsize="small", loc="upper left")
    ax2.plot(sine.X_test[:, 0], sine.y_test, color="black", lw=1.2, label="sin(x) (test target)")
    ax2.scatter(sine.X[:, 0], sine.y, s=14, color=plotting.PALETTE[0], edgecolors="black", linewidths=0.4,
                label="training samples")
    ax2.set_title(f"sine: {len(sine.X)} noisy samples")
    ax2.set_xlabel("x")
    ax2.legend(fontsize="small", loc="upper left")
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.14, top=0.9, wspace=0.2)
    return fig


def _family_groups(names) -> list:
    """(family title, names) for every family with a member in ``names``, each name under its main family."""
    groups = {}
    for name in names:
        groups.setdefault(get(name).family, []).append(name)
    return [(family.replace("_", "-"), members) for family, members in groups.items()]


def plot_loss_curves(*results: BakeOff, talk=None):
    """Training loss against step: a row per task, a panel per family (median over seeds, min-max band).

    ReLU is drawn dotted in every panel, as the reference.
    """
    groups = _family_groups(results[0].names)
    fig, axes = plotting.new_figure(len(results), len(groups), talk=talk,
                                    figsize=(3.2 * len(groups), 3.0 * len(results) + 0.4))
    axes = np.reshape(axes, (len(results), len(groups)))
    for row, result in zip(axes, results):
        steps = np.arange(1, result.steps + 1)
        relu = result.loss[result.index("relu")]
        for ax, (family, members) in zip(row, groups):
            ax.plot(steps, np.median(relu, axis=0), color="black", lw=1.2, ls=(0, (1, 1.5)), label="ReLU")
            for k, name in enumerate(n for n in members if n != "relu"):
                loss = result.loss[result.index(name)]
                colour = plotting.PALETTE[k % len(plotting.PALETTE)]
                ax.fill_between(steps, loss.min(axis=0), loss.max(axis=0), color=colour, alpha=0.15, lw=0)
                ax.plot(steps, np.median(loss, axis=0), color=colour, ls=plotting.LINESTYLES[k % 8],
                        label=get(name).title)
            ax.set_yscale("log")
            ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))  # 0.2, 0.5, 1, 2: plain numbers
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
            ax.yaxis.set_minor_locator(NullLocator())  # minor log ticks cost more to draw than the curves
            ax.set_title(f"{result.task.name}: {family}")
            ax.legend(fontsize="x-small", loc="lower left")
        row[0].set_ylabel("training loss")
    for ax in axes[-1]:
        ax.set_xlabel("step")
    height = fig.get_figheight()
    fig.subplots_adjust(left=0.06, right=0.99, bottom=0.55 / height, top=1 - 0.4 / height, wspace=0.25,
                        hspace=0.45)
    return fig


def longer_budget(task: Task, lr: float, names, factor: int = 4, seed: int = 0, steps: int = STEPS) -> dict:
    """{name: (test score after ``steps``, after ``factor`` x ``steps``)}: one seed, one run per name.

    The score after ``steps`` is read from the same run (the net is scored at that step), so both
    numbers come from one training trajectory.
    """
    out = {}
    for name in names:
        net = build_net(task, name, seed)
        early = {}

        def callback(step, _history, net=net, early=early):
            if step == steps:
                early["score"] = score(net, task)

        nn.train(net, task.X, task.y, steps=factor * steps, lr=lr, every=steps, callback=callback)
        out[get(name).name] = (early["score"], score(net, task))
    return out


def plot_scores(*results: BakeOff, talk=None):
    """Each task's test score per activation and seed (dots) and the mean (bar), in the first task's ranking."""
    order = results[0].ranking()
    fig, axes = plotting.new_figure(1, len(results), talk=talk, figsize=(4.6 * len(results), 4.8))
    axes = np.ravel(axes)
    ypos = np.arange(len(order))[::-1]
    for ax, r in zip(axes, results):
        for y, name in zip(ypos, order):
            s = r.score[r.index(name)]
            colour = plotting.PALETTE[0] if name != "relu" else plotting.PALETTE[1]
            ax.barh(y, s.mean(), color=colour, alpha=0.35, height=0.7)
            ax.scatter(s, np.full(s.shape, y), color=colour, s=18, zorder=3, edgecolors="black", linewidths=0.4)
        ax.set_yticks(ypos, [get(n).title for n in order])
        if r.task.higher_is_better:
            ax.set_xlim(max(0.0, r.score.min() - 0.05), 1.0)
            ax.set_xlabel(f"{r.task.name}: test accuracy (higher is better)")
        else:
            ax.set_xscale("log")
            ax.set_xlabel(f"{r.task.name}: test MSE (lower is better)")
        ax.grid(axis="y", visible=False)
    fig.suptitle(f"Same net, seeds ({len(results[0].seeds)} dots per bar), steps and learning rate for every "
                 f"activation", fontsize="medium")
    fig.subplots_adjust(left=0.15, right=0.98, bottom=0.12, top=0.9, wspace=0.55)
    return fig


class ProgressBar:
    """An ipywidgets progress bar whose ``update(done, total)`` can be passed as ``bake_off(progress=...)``.

    Display ``bar.widget`` (or ``bar`` as the last line of a cell) in a cell of its own, then train.
    """

    def __init__(self, description: str = "training"):
        import ipywidgets

        self.widget = ipywidgets.FloatProgress(value=0.0, min=0.0, max=1.0, description=description)

    def update(self, done, total):
        self.widget.value = done / total

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


# ---------------------------------------------------------------------------
# The cheat sheet: every column computed

#: Where ``value_range`` looks for values reached at a finite x; the limits at +-inf are added to it.
RANGE_GRID = np.linspace(-10.0, 10.0, 40001)
#: Where ``saturation`` looks at f': far enough out that every curve has settled.
FAR = 15.0
#: The threshold of "soft" saturation: abs(f') below it, but not exactly 0.
SOFT_EPS = 1e-3


def _grid(name, params, grid=RANGE_GRID):
    kinks = [k for k in get(name).kink_points(**params) if grid[0] < k < grid[-1]]
    return np.union1d(grid, kinks)


def value_range(name: str, **params) -> str:
    """The range of f as interval text, e.g. "(0, 1)" or "[-0.2785, ∞)".

    Computed, not looked up: the values on ``RANGE_GRID`` (x in [-10, 10],
    step 0.0005, kinks added) and the limits f(-inf), f(+inf). A bound that
    only the limits reach is open, one that a finite x reaches is closed.
    """
    act = get(name)
    x = _grid(name, params)
    with np.errstate(all="ignore"):
        f = act(x, **params)
        limits = np.array([act(-np.inf, **params), act(np.inf, **params)], dtype=float)

    def bound(values_on_grid, pick):
        best = pick(values_on_grid)
        limit = pick(limits)
        value = pick([best, limit])
        return value, bool(best == value)  # attained on the grid: closed

    lo, lo_closed = bound(f, np.min)
    hi, hi_closed = bound(f, np.max)

    def text(v):
        if np.isinf(v):
            return "∞" if v > 0 else "-∞"
        return f"{v:g}" if v == round(v) else f"{v:#.4g}"

    left = "[" if lo_closed and np.isfinite(lo) else "("
    right = "]" if hi_closed and np.isfinite(hi) else ")"
    return f"{left}{text(lo)}, {text(hi)}{right}"


def gaussian_mean(name: str, **params) -> float:
    """E[f(z)] for z ~ N(0, 1), by the trapezoid rule on [-12, 12] (step 0.0005; the tails beyond add < 1e-30)."""
    z = _grid(name, params, np.linspace(-12.0, 12.0, 48001))
    values = get(name)(z, **params) * np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)
    return float(np.sum((values[1:] + values[:-1]) * np.diff(z)) / 2.0)


def zero_centred(name: str, tol: float = 0.05, **params) -> dict:
    """{"f0": f(0), "mean": E[f(z)] for z ~ N(0,1), "zero_centred": abs(mean) < tol}.

    The mean matters more than f(0): it is what the next layer receives, on average, from a standard normal input.
    """
    mean = gaussian_mean(name, **params)
    return {"f0": float(get(name)(0.0, **params)), "mean": mean, "zero_centred": abs(mean) < tol}


def monotonic(name: str, **params) -> str:
    """"yes" when f' >= 0 everywhere on [-10, 10]; else "no: f' < 0 for ..." with the interval found on the grid."""
    x = _grid(name, params)
    g = get(name).grad(x, **params)
    negative = g < 0
    if not negative.any():
        return "yes"
    where = np.flatnonzero(negative)
    lo, hi = x[where[0]], x[where[-1]]
    if where[0] == 0:
        return f"no: f' < 0 for x < {hi:.3g}"
    return f"no: f' < 0 on ({lo:.3g}, {hi:.3g})"


def smoothness(name: str, h: float = 1e-5, jump: float = 1e-2, **params) -> str:
    """How smooth f is, found by computation.

    "no: kinks at ..." when the registry lists kinks (f' jumps there: checked
    by ``derivative_jumps``); else the one-sided slopes of f' (steps of
    ``h``) are compared on a grid over [-10, 10]: a difference above ``jump``
    means f'' jumps ("C¹ only", ELU with alpha = 1 at 0); otherwise "yes".
    """
    act = get(name)
    kinks = act.kink_points(**params)
    if kinks:
        return "no: kink" + ("s" if len(kinks) > 1 else "") + " at " + ", ".join(f"{k:.3g}" for k in kinks)
    x = np.union1d(np.linspace(-10.0, 10.0, 2001), [0.0])
    g, g_left, g_right = (act.grad(v, **params) for v in (x, x - h, x + h))
    left, right = (g - g_left) / h, (g_right - g) / h
    bad = np.abs(right - left) > jump
    if bad.any():
        return "C¹ only: f'' jumps at " + ", ".join(f"{v:.3g}" for v in x[bad])
    return "yes"


def derivative_jumps(name: str, h: float = 1e-9, **params) -> dict:
    """{kink: (f' just left, f' just right)} for every kink the registry lists."""
    act = get(name)
    return {k: (float(act.grad(k - h, **params)), float(act.grad(k + h, **params))) for k in act.kink_points(**params)}


def saturation(name: str, far: float = FAR, eps: float = SOFT_EPS, **params) -> dict:
    """{"left": kind, "right": kind}: "hard" (f' exactly 0 at x = ∓far and ∓2 far), "soft" (0 < abs(f') < eps
    and shrinking from far to 2 far), or "none"."""
    act = get(name)
    out = {}
    for side, sign in (("left", -1.0), ("right", 1.0)):
        g1, g2 = (abs(float(act.grad(sign * d, **params))) for d in (far, 2 * far))
        if g1 == 0 and g2 == 0:
            out[side] = "hard"
        elif g1 < eps and g2 < g1:
            out[side] = "soft"
        else:
            out[side] = "none"
    return out


def saturation_text(sat: dict) -> str:
    """"soft, both sides", "hard, left", "none", ... for a ``saturation`` result."""
    left, right = sat["left"], sat["right"]
    if left == right:
        return "none" if left == "none" else f"{left}, both sides"
    parts = [f"{kind}, {side}" for side, kind in (("left", left), ("right", right)) if kind != "none"]
    return "; ".join(parts)


def measure_costs(names=None, n: int = 50_000, repeat: int = 5) -> dict:
    """{name: time per element / ReLU's}, measured now on n values drawn N(0, 3^2); machine-dependent.

    Each activation is called once to warm up, then the activations take turns ``repeat`` times
    (``acts.timing.best_time`` with one call per turn) and the best time of each counts: a burst of
    load from another program then slows every function alike instead of one of them.
    """
    names = all_names() if names is None else [get(name).name for name in names]
    timed = ["relu", *[name for name in names if name != "relu"]]
    x = np.random.default_rng(0).normal(0.0, 3.0, n)
    calls = {name: partial(get(name), x) for name in timed}
    for call in calls.values():  # warm-up: the first call pays for allocations
        call()
    best = dict.fromkeys(timed, np.inf)
    for _ in range(repeat):
        for name, call in calls.items():
            best[name] = min(best[name], timing.best_time(call, repeat=1))
    return {name: best[name] / best["relu"] for name in names}


def _param_text(name: str) -> str:
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


def cheat_sheet(names=None, costs=None) -> list:
    """One dict per activation, every entry computed or read from the registry.

    Keys: name, title, family, range, f0, mean, zero_centred, monotonic,
    smooth, saturation, cost (``costs[name]`` if given, else None), params,
    learnable, used_in, reference. Maxout is evaluated at its default pieces
    (weights (1, 0), biases (0, 0): ReLU); a trained maxout unit is any convex
    piecewise-linear function.
    """
    rows = []
    for name in all_names() if names is None else names:
        act = get(name)
        zc = zero_centred(name)
        rows.append({
            "name": act.name, "title": act.title, "family": act.family,
            "range": value_range(name), "f0": zc["f0"], "mean": zc["mean"], "zero_centred": zc["zero_centred"],
            "monotonic": monotonic(name), "smooth": smoothness(name),
            "saturation": saturation_text(saturation(name)),
            "cost": None if costs is None else costs[act.name],
            "params": _param_text(name), "learnable": ", ".join(act.learnable) or "—",
            "used_in": act.used_in, "reference": act.reference,
        })
    return rows


#: The cheat sheet's columns: key -> (header, how to show the value).
COLUMNS = {
    "title": ("activation", str),
    "range": ("range", str),
    "f0": ("f(0)", lambda v: f"{v:.3g}"),
    "mean": ("E f(z), z ~ N(0,1)", lambda v: f"{round(v, 3) + 0.0:.3f}"),
    "zero_centred": ("zero-centred", lambda v: "yes" if v else "no"),
    "monotonic": ("monotonic", str),
    "smooth": ("smooth", str),
    "saturation": ("saturates", str),
    "cost": ("cost × ReLU", lambda v: "—" if v is None else f"{v:.1f}"),
    "params": ("parameters (defaults)", str),
    "learnable": ("learned", str),
    "used_in": ("where it is used", str),
    "reference": ("paper", str),
}


def _escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(head, rows) -> str:
    """A Markdown table from a header list and rows of cells (pipes escaped)."""
    lines = ["| " + " | ".join(map(_escape, head)) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def cheat_sheet_table(rows: list, columns) -> str:
    """The cheat sheet (``cheat_sheet`` rows) as a Markdown table of the chosen ``COLUMNS`` keys."""
    head = [COLUMNS[c][0] for c in columns]
    return markdown_table(head, [[COLUMNS[c][1](row[c]) for c in columns] for row in rows])


# ---------------------------------------------------------------------------
# Framework conventions (observed: PyTorch 2.13, JAX 0.10.2, TensorFlow 2.21 / Keras 3.15; Keras 2 read from v2.15)

#: The default negative-side slope of Leaky ReLU, by where you call it.
LEAKY_SLOPES = {
    "PyTorch (F.leaky_relu)": 0.01,
    "JAX (jax.nn.leaky_relu)": 0.01,
    "keras.activations.leaky_relu, tf.nn.leaky_relu": 0.2,
    "Keras LeakyReLU layer": 0.3,
}

#: The same name, four meanings: (what, PyTorch, Keras 2, Keras 3, JAX).
CONVENTIONS = (
    ("hard-sigmoid", "`F.hardsigmoid`: clip(x/6 + 1/2, 0, 1)", "`hard_sigmoid`: clip(0.2x + 0.5, 0, 1)",
     "`hard_sigmoid`: clip(x/6 + 1/2, 0, 1)", "`jax.nn.hard_sigmoid`: clip(x/6 + 1/2, 0, 1)"),
    ("GELU by default", "exact x Φ(x) (`approximate='none'`)", "exact (`keras.activations.gelu`)",
     "exact in `keras.activations.gelu`; **tanh approximation** in `keras.ops.gelu`",
     "**tanh approximation** (`jax.nn.gelu`, `approximate=True`)"),
    ("Leaky ReLU slope", "0.01", "0.3 (`LeakyReLU` layer); 0.2 (`tf.nn.leaky_relu`)",
     "0.3 (`LeakyReLU` layer); 0.2 (`keras.activations.leaky_relu`)", "0.01"),
    ("PReLU initial slope", "0.25 (`nn.PReLU`)", "0 (`PReLU` layer)", "0 (`PReLU` layer)", "0.01 (Flax `PReLU`)"),
    ("Swish / SiLU", "`F.silu`, no beta", "`swish`, no beta (only `tf.nn.silu` takes beta)",
     "`silu`, no beta (only `tf.nn.silu` takes beta)", "`jax.nn.silu`, no beta"),
    ("hard-swish", "`F.hardswish`", "(not checked)", "`hard_silu`", "`jax.nn.hard_silu`"),
)

#: The derivative each framework returns at a kink: (function and point, PyTorch, JAX, TF / Keras 3).
KINK_DERIVATIVES = (
    ("ReLU at 0", "0", "0", "0"),
    ("ReLU6 at 0 and 6", "0, 0", "0, 0", "0, 0"),
    ("Leaky ReLU at 0", "slope (0.01)", "1", "slope"),
    ("ELU (alpha = 1) at 0", "1 (alpha)", "1", "1"),
    ("SELU at 0", "scale × alpha ≈ 1.758", "≈ 1.758", "scale ≈ 1.051"),
    ("hard-sigmoid at -3, +3", "0, 0", "0, 0", "0, 0"),
    ("hard-swish at -3, +3", "0, 1", "0, 1", "0, 1"),
)


def conventions_table() -> str:
    """``CONVENTIONS`` as a Markdown table."""
    return markdown_table(["name", "PyTorch", "Keras 2", "Keras 3", "JAX"], [list(r) for r in CONVENTIONS])


def kink_table() -> str:
    """``KINK_DERIVATIVES`` as a Markdown table, with what ``acts`` returns (it follows PyTorch) computed."""
    ours = {
        "ReLU at 0": [get("relu").grad(0.0)],
        "ReLU6 at 0 and 6": [get("relu6").grad(0.0), get("relu6").grad(6.0)],
        "Leaky ReLU at 0": [get("leaky_relu").grad(0.0)],
        "ELU (alpha = 1) at 0": [get("elu").grad(0.0)],
        "SELU at 0": [get("selu").grad(0.0)],
        "hard-sigmoid at -3, +3": [get("hard_sigmoid").grad(-3.0), get("hard_sigmoid").grad(3.0)],
        "hard-swish at -3, +3": [get("hard_swish").grad(-3.0), get("hard_swish").grad(3.0)],
    }
    rows = [[*r, ", ".join(f"{float(v):.4g}" for v in ours[r[0]])] for r in KINK_DERIVATIVES]
    return markdown_table(["f' at the kink", "PyTorch", "JAX", "TF / Keras 3", "acts (computed)"], rows)

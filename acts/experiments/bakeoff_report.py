"""Notebook 07's bake-off, reported: tables, conclusions and the budget check printed from the numbers, figures.

Each function takes what ``acts.experiments.bakeoff`` computed (or stored) and formats or draws it; nothing is
trained here.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from acts import plotting
from acts.experiments import bakeoff
from acts.experiments.tables import markdown_table
from acts.widgets import ProgressBar  # noqa: F401  (the course's one progress bar, used as bakeoff_report.ProgressBar)

TIE_GREY = "#8c8c8c"  # the colour of a tie in plot_differences (the captions call it grey)


def difference_text(c: bakeoff.Comparison) -> str:
    """The mean paired difference and its interval, in the task's units: accuracy points, or (MSE) 10 to the mean
    log10 ratio, i.e. the geometric mean of the per-seed ratios, with its interval mapped the same way."""
    if c.higher_is_better:
        return f"{100 * c.mean:+.1f} [{100 * c.low:+.1f}, {100 * c.high:+.1f}]"
    return f"{10 ** c.mean:.2f}× [{10 ** c.low:.2f}, {10 ** c.high:.2f}]"


def comparison_table(result: bakeoff.BakeOff, baseline: str = "relu", level: float = bakeoff.LEVEL) -> str:
    """Markdown: per entry, parameters, learning rate, mean test score, the paired difference from the
    baseline with its interval, wins out of the seeds, the verdict and the dead units."""
    task, n = result.task, len(result.seeds)
    diff = ("− ReLU, accuracy points" if task.higher_is_better
            else "÷ ReLU: geometric mean of the per-seed MSE ratios")
    head = ["entry", "parameters", "lr", f"test {task.metric} (mean)", f"{diff} [{level:.0%} CI]",
            f"better on (of {n})", "verdict", "dead units"]
    found = {c.label: c for c in bakeoff.comparisons(result, baseline, level)}
    rows = []
    for i, item in enumerate(result.entries):
        s = result.score[i].mean()
        shown = f"{s:.3f}" if task.higher_is_better else f"{s:.4f}"
        c = found.get(item.label)
        rows.append([item.title, bakeoff.param_count(task, item), f"{result.lrs[item.label]:g}", shown,
                     "(baseline)" if c is None else difference_text(c), "—" if c is None else c.wins,
                     "—" if c is None else c.verdict, f"{result.dead[i].mean():.0%}"])
    return markdown_table(head, rows)


def conclusions(*results: bakeoff.BakeOff, baseline: str = "relu", level: float = bakeoff.LEVEL) -> list:
    """Sentences read from the intervals: per task, who is better, tied and worse than the baseline; then the
    entries better on every task, how many "better" verdicts chance alone would give, and the "better" verdicts
    per task that survive a Bonferroni correction for all the comparisons."""
    lines, better_sets = [], []
    for r in results:
        v = bakeoff.verdicts(r, baseline, level)
        better_sets.append(set(v["better"]))
        parts = [f"{kind} ({len(v[kind])}): {', '.join(r.title(label) for label in v[kind]) or 'none'}"
                 for kind in ("better", "tie", "worse")]
        lines.append(f"{r.task.name}, {len(r.seeds)} paired seeds, {level:.0%} t-intervals against "
                     f"{r.title(baseline)}: " + "; ".join(parts))
    both = set.intersection(*better_sets) if better_sets else set()
    first = results[0]
    lines.append("better than ReLU on every task: " +
                 (", ".join(first.title(label) for label in first.labels if label in both) or "none"))
    m = sum(len(r.labels) - 1 for r in results)
    lines.append(f"{m} comparisons at {level:.0%}: if no entry differed from ReLU at all, about "
                 f"{m * (1 - level) / 2:.1f} would still come out 'better' by chance alone")
    strict, per_task = bonferroni(*results, baseline=baseline, level=level)
    kept = set.intersection(*[set(v) for v in per_task.values()]) if per_task else set()
    for r in results:
        lines.append(f"with all {m} intervals widened to {strict:.2%} (Bonferroni), better on {r.task.name}: " +
                     (", ".join(r.title(label) for label in per_task[r.task.name]) or "none"))
    lines.append("  ... and better on every task after that correction: " +
                 (", ".join(first.title(label) for label in first.labels if label in kept) or "none"))
    return lines


def bonferroni(*results, baseline: str = "relu", level: float = bakeoff.LEVEL) -> tuple:
    """(level used, {task: [labels]}): per task, the entries better than the baseline when each of the m
    intervals (all tasks together) is widened to 1 - (1 - level) / m, so that all m hold together with
    probability at least ``level`` (Bonferroni)."""
    m = sum(len(r.labels) - 1 for r in results)
    strict = 1 - (1 - level) / m
    return strict, {r.task.name: bakeoff.verdicts(r, baseline, strict)["better"] for r in results}


def bonferroni_better(*results, baseline: str = "relu", level: float = bakeoff.LEVEL) -> tuple:
    """(level used, [labels]): the entries that ``bonferroni`` keeps as better on every task."""
    strict, per_task = bonferroni(*results, baseline=baseline, level=level)
    kept = set.intersection(*[set(v) for v in per_task.values()])
    return strict, [label for label in results[0].labels if label in kept]


# ---------------------------------------------------------------- is the budget long enough?


def budget_table(tuning: dict, task: bakeoff.Task, labels) -> str:
    """Markdown: each entry's mean validation score at its chosen learning rate after 1x, 2x and 4x the budget
    (the stored tuning stage)."""
    chosen = bakeoff.chosen_lrs(tuning, task)
    factors = tuning["settings"]["factors"]
    steps = task.steps
    what = "accuracy" if task.higher_is_better else "log10 MSE"
    rows = []
    for label in labels:
        curve = tuning["curves"][task.name][label]
        lr = chosen[label]
        rows.append([bakeoff.entry(label).title, f"{lr:g}", *[f"{curve[str(f)][repr(lr)]:.3f}" for f in factors]])
    return markdown_table(["entry", "lr", *[f"validation {what}, {f * steps} steps" for f in factors]], rows)


def average_ranks(values) -> np.ndarray:
    """Ranks 1..n of ``values``; tied values share the mean of the ranks they span ([5, 7, 7] -> [1, 2.5, 2.5])."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="stable")
    ranks = np.empty(values.size)
    sorted_values = values[order]
    start = 0
    while start < values.size:
        stop = start
        while stop + 1 < values.size and sorted_values[stop + 1] == sorted_values[start]:
            stop += 1
        ranks[order[start:stop + 1]] = (start + stop) / 2 + 1
        start = stop + 1
    return ranks


def spearman(a, b) -> float:
    """Spearman's rank correlation with ties: Pearson's correlation of the average ranks."""
    return float(np.corrcoef(average_ranks(a), average_ranks(b))[0, 1])


def rank_agreement(tuning: dict, task: bakeoff.Task) -> dict:
    """{factor: Spearman correlation (average ranks for ties) between the entries' ranking after 1x and after
    factor x the budget}: validation scores of the stored tuning stage, every entry at its chosen learning rate."""
    chosen = bakeoff.chosen_lrs(tuning, task)
    curves = tuning["curves"][task.name]

    def scores(f):
        return [curves[label][str(f)][repr(chosen[label])] for label in chosen]

    return {f: spearman(scores(1), scores(f)) for f in tuning["settings"]["factors"][1:]}


def _gain(result_1x: bakeoff.BakeOff, result_nx: bakeoff.BakeOff, label: str, level: float = bakeoff.LEVEL):
    """Per seed, the entry's test score after the longer budget minus after 1x (accuracy, or log10 of the MSE
    ratio), with its t-interval."""
    a, b = result_nx.of(label), result_1x.of(label)
    diffs = a - b if result_1x.task.higher_is_better else np.log10(a) - np.log10(b)
    return bakeoff.Comparison(label, f"{result_1x.steps} steps", diffs, *bakeoff.t_interval(diffs, level),
                              int(np.sum(diffs > 0) if result_1x.task.higher_is_better else np.sum(diffs < 0)),
                              result_1x.task.higher_is_better)


def budget_gains(stored: dict, factor: int = 4, level: float = bakeoff.LEVEL) -> list:
    """For every entry of a stored budget check (``bakeoff.stored_bake_offs``): the paired change of its test
    score from 1x to ``factor`` x the budget over the bake-off's seeds (a ``Comparison``: "better" means the
    longer budget helped on the test sets, "tie" that these seeds cannot tell)."""
    return [_gain(stored[1], stored[factor], label, level) for label in stored[1].labels]


def worse_with_more_steps(stored: dict, factor: int = 4) -> tuple:
    """(pairs, total): how many (entry, seed) pairs have a worse test score after ``factor`` x the budget than
    after 1x, early stopping notwithstanding (it keeps the best *validation* step, not the best test step)."""
    changes = np.concatenate([c.diffs for c in budget_gains(stored, factor)])
    worse = changes < 0 if stored[1].task.higher_is_better else changes > 0
    return int(np.sum(worse)), int(changes.size)


def budget_verdicts(stored: dict, baseline: str = "relu") -> dict:
    """{label: [verdict against the baseline after each stored budget]} (every entry but the baseline)."""
    by_factor = {f: {c.label: c.verdict for c in bakeoff.comparisons(r, baseline)} for f, r in stored.items()}
    return {label: [by_factor[f][label] for f in stored] for label in by_factor[1]}


def budget_verdict_table(stored_by_task: dict, baseline: str = "relu") -> str:
    """Markdown: per entry and task, the verdict against the baseline after 1x, 2x and 4x the budget, and
    whether it depends on the budget."""
    tasks = list(stored_by_task)
    first = stored_by_task[tasks[0]][1]
    found = {t: budget_verdicts(stored, baseline) for t, stored in stored_by_task.items()}
    head = ["entry", *[f"{t}: 1x / 2x / 4x" for t in tasks], "depends on the budget"]
    rows = []
    for label in found[tasks[0]]:
        cells = [" / ".join(found[t][label]) for t in tasks]
        moving = [t for t in tasks if len(set(found[t][label])) > 1]
        rows.append([first.title(label), *cells, ", ".join(moving) or "no"])
    return markdown_table(head, rows)


def budget_dependent(stored_by_task: dict, baseline: str = "relu") -> dict:
    """{task: [labels whose verdict against the baseline is not the same after 1x, 2x and 4x the budget]}."""
    return {t: [label for label, v in budget_verdicts(stored, baseline).items() if len(set(v)) > 1]
            for t, stored in stored_by_task.items()}


# ---------------------------------------------------------------- the baseline's learning rate


def baseline_rate_changes(result: bakeoff.BakeOff, tuning: dict, baseline: str = "relu") -> list:
    """[(lr, [(label, verdict now, verdict had the baseline trained at lr)])] for every rate of the grid: which
    verdicts against the baseline change when only the baseline's learning rate changes (stored baseline runs)."""
    now = {c.label: c.verdict for c in bakeoff.comparisons(result, baseline)}
    out = []
    for lr in tuning["settings"]["learning_rates"]:
        other = bakeoff.with_baseline_rate(result, tuning, lr, baseline)
        then = {c.label: c.verdict for c in bakeoff.comparisons(other, baseline)}
        out.append((float(lr), [(label, now[label], then[label]) for label in now if then[label] != now[label]]))
    return out


# ---------------------------------------------------------------- figures


def plot_tasks(seed: int = 0, talk=None):
    """Seed ``seed``'s training data for both tasks (every seed draws its own)."""
    fig, (ax1, ax2) = plotting.new_figure(1, 2, talk=talk, figsize=(9.0, 3.9))
    spirals, sine = bakeoff.make_task("spirals"), bakeoff.make_task("sine")
    s = spirals.sample(seed)
    radius = np.linspace(0.0, 1.0, 200)
    for c in range(spirals.n_out):  # the noise-free arms, as data.spirals draws them
        angle = 2.0 * np.pi * (c / spirals.n_out + 1.25 * radius)
        ax1.plot(radius * np.cos(angle), radius * np.sin(angle), color=plotting.PALETTE[c], lw=1.0, alpha=0.6)
        pts = s.X[s.y == c]
        ax1.scatter(pts[:, 0], pts[:, 1], s=16, color=plotting.PALETTE[c], marker=plotting.MARKERS[c],
                    edgecolors="black", linewidths=0.4, label=f"class {c}")
    ax1.set_aspect("equal")
    ax1.set_title(f"spirals, seed {seed}: {len(s.X)} training points")
    ax1.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    t = sine.sample(seed)
    ax2.plot(t.X_test[:, 0], t.y_test, color="black", lw=1.2, label="sin(x): the test target")
    ax2.scatter(t.X[:, 0], t.y, s=14, color=plotting.PALETTE[0], edgecolors="black", linewidths=0.4,
                label="training samples")
    ax2.set_title(f"sine, seed {seed}: {len(t.X)} noisy samples")
    ax2.set_xlabel("x")
    ax2.legend(fontsize="small", loc="lower right")
    fig.subplots_adjust(left=0.05, right=0.98, bottom=0.14, top=0.9, wspace=0.45)
    return fig


def plot_differences(*results, baseline: str = "relu", talk=None):
    """Per task: each entry minus the baseline, one dot per seed, the mean with its 95% interval, a line at 0.

    Accuracy differences in points; MSE as the ratio to the baseline's, on a log axis (1 = equal).
    """
    first = results[0]
    order = [c.label for c in sorted(bakeoff.comparisons(first, baseline), key=lambda c: c.mean)]
    fig, axes = plotting.new_figure(1, len(results), talk=talk, figsize=(4.9 * len(results), 0.36 * len(order) + 1.3))
    axes = np.ravel(axes)
    ypos = np.arange(len(order))
    for ax, r in zip(axes, results):
        found = {c.label: c for c in bakeoff.comparisons(r, baseline)}
        colours = {"better": plotting.PALETTE[2], "tie": TIE_GREY, "worse": plotting.PALETTE[1]}
        for y, label in zip(ypos, order):
            c = found[label]
            scale = (lambda v: 100 * v) if r.task.higher_is_better else (lambda v: 10 ** v)
            colour = colours[c.verdict]
            ax.scatter(scale(c.diffs), np.full(c.diffs.shape, y + 0.18), s=9, color=colour, alpha=0.55, lw=0)
            ax.errorbar(scale(c.mean), y - 0.1, xerr=[[scale(c.mean) - scale(c.low)], [scale(c.high) - scale(c.mean)]],
                        fmt="o", color=colour, ms=4.5, capsize=2.5, lw=1.3)
        if r.task.higher_is_better:
            ax.axvline(0.0, color="black", lw=0.8)
            ax.set_xlabel(f"{r.task.name}: test accuracy − ReLU's (points)")
        else:
            ax.axvline(1.0, color="black", lw=0.8)
            ax.set_xscale("log")
            ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.set_xlabel(f"{r.task.name}: test MSE ÷ ReLU's (left is better)\nbar: geometric mean of the ratios")
        ax.set_yticks(ypos, [first.title(label) for label in order])
        ax.set_ylim(-0.7, len(order) - 0.3)
        ax.grid(axis="y", visible=False)
    for ax in axes[1:]:
        ax.tick_params(labelleft=False)
    fig.suptitle(f"Paired with ReLU, seed by seed ({len(first.seeds)} seeds): dots = seeds, bar = mean and 95% "
                 "interval;\ngreen better, grey tie, vermilion worse; the black line marks no difference",
                 fontsize="small")
    height = fig.get_figheight()
    fig.subplots_adjust(left=0.2, right=0.98, bottom=0.95 / height, top=1 - 0.62 / height, wspace=0.08)
    return fig


def plot_budget(tuning: dict, labels, talk=None):
    """Validation score after 1x, 2x and 4x the budget, each entry at its chosen learning rate (stored tuning)."""
    names = list(tuning["curves"])
    fig, axes = plotting.new_figure(1, len(names), talk=talk, figsize=(4.6 * len(names), 3.6))
    axes = np.ravel(axes)
    factors = tuning["settings"]["factors"]
    for ax, name in zip(axes, names):
        task = bakeoff.make_task(name)
        steps = np.array(factors) * task.steps
        chosen = bakeoff.chosen_lrs(tuning, task)
        for k, label in enumerate(labels):
            curve = tuning["curves"][name][label]
            values = [curve[str(f)][repr(chosen[label])] for f in factors]
            style = dict(color=plotting.PALETTE[k % 8], ls=plotting.LINESTYLES[k % 8], marker=plotting.MARKERS[k % 8])
            if label == "silu":  # often on top of learned Swish: hollow markers, a thin line, drawn above it
                style.update(markerfacecolor="white", markersize=8, lw=1.2, zorder=5)
            ax.plot(steps, values, label=bakeoff.entry(label).title, **style)
        ax.set_xscale("log", base=2)
        ax.set_xticks(steps, [f"{s}" for s in steps])
        ax.set_xlabel("training steps (1x, 2x, 4x the budget)")
        ax.set_ylabel("best validation accuracy" if task.higher_is_better else "best validation log10 MSE")
        ax.set_title(f"{name}: mean over {len(tuning['settings']['tuning_seeds'])} tuning seeds", fontsize="medium")
    axes[-1].legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(left=0.08, right=0.8, bottom=0.16, top=0.9, wspace=0.35)
    return fig

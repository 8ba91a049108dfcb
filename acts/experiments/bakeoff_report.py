"""Notebook 07's bake-off, reported: tables, conclusions and the budget check printed from the numbers (the
figures are in ``acts.experiments.bakeoff_figures``, re-exported here).

Each function takes what ``acts.experiments.bakeoff`` computed (or stored) and formats or draws it; nothing is
trained here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from acts.experiments import bakeoff
from acts.experiments.bakeoff_figures import (  # noqa: F401  (the figures, used as bakeoff_report.plot_budget ...)
    entry_label,
    entry_parameters,
    plot_budget,
    plot_differences,
    plot_tasks,
)
from acts.experiments.tables import markdown_table
from acts.widgets import ProgressBar  # noqa: F401  (the course's one progress bar, used as bakeoff_report.ProgressBar)


def points(value: float) -> str:
    """An accuracy difference in points, signed, to 0.1, halves rounded away from zero: a mean of ten accuracies
    on 1000 test points is an exact multiple of 0.01 points, so -18.95 (stored as -18.949999...) reads -19.0.
    A nonzero value that would read 0.0 gets a digit more (-0.03, not -0.0), so an interval's end that misses
    0 never looks as if it touched it."""
    exact = Decimal(f"{100 * value:.9f}")
    for step in ("0.1", "0.01", "0.001"):
        shown = exact.quantize(Decimal(step), rounding=ROUND_HALF_UP)
        if shown != 0 or exact == 0:
            break
    return f"{shown:+}"


def ratio(log10_value: float) -> str:
    """10 to a mean log10 ratio, to two decimals, or three where two would show a ratio that is not 1 as 1.00."""
    value = 10 ** log10_value
    return f"{value:.3f}" if f"{value:.2f}" == "1.00" and log10_value != 0 else f"{value:.2f}"


def difference_text(c: bakeoff.Comparison) -> str:
    """The mean paired difference and its interval, in the task's units: accuracy points, or (MSE) 10 to the mean
    log10 ratio, i.e. the geometric mean of the per-seed ratios, with its interval mapped the same way."""
    if c.higher_is_better:
        return f"{points(c.mean)} [{points(c.low)}, {points(c.high)}]"
    return f"{ratio(c.mean)}× [{ratio(c.low)}, {ratio(c.high)}]"


def typical(result: bakeoff.BakeOff, label: str) -> float:
    """An entry's typical test score on the scale of its verdicts: the mean accuracy, or the geometric-mean MSE."""
    scores = result.of(label)
    return float(scores.mean()) if result.task.higher_is_better else float(10 ** np.log10(scores).mean())


def seed_counts(c: bakeoff.Comparison) -> str:
    """"better / tied / worse": how many seeds the entry beat the baseline on, matched it exactly, lost on."""
    ties = int(np.sum(c.diffs == 0))
    return f"{c.wins} / {ties} / {c.diffs.size - c.wins - ties}"


def edge_rates(tuning: dict, task: bakeoff.Task) -> dict:
    """{label: "top" or "bottom"}: the entries whose tuned learning rate is an end of the shared grid, where the
    best rate may lie beyond it (their verdicts may partly measure where the grid stops)."""
    grid = [float(lr) for lr in tuning["settings"]["learning_rates"]]
    ends = {min(grid): "bottom", max(grid): "top"}
    return {label: ends[lr] for label, lr in bakeoff.chosen_lrs(tuning, task).items() if lr in ends}


def retuned(tuning: dict, task: bakeoff.Task, factor: int = 4) -> list:
    """The entries whose best learning rate on the tuning seeds' validation sets (stored curves) after ``factor`` x
    the budget differs from the one tuned at 1x (the rate every budget of the budget check keeps)."""
    chosen = bakeoff.chosen_lrs(tuning, task)
    out = []
    for label, curve in tuning["curves"][task.name].items():
        sweep = {float(lr): v for lr, v in curve[str(factor)].items()}
        if bakeoff.best_lr(sweep, task) != chosen[label]:
            out.append(label)
    return out


def without_seed(result: bakeoff.BakeOff, seed: int) -> bakeoff.BakeOff:
    """``result`` with one seed left out (a sensitivity check, not a result: leaving out a seed because of its
    outcome biases every comparison)."""
    keep = [i for i, s in enumerate(result.seeds) if s != seed]
    if len(keep) == len(result.seeds):
        raise ValueError(f"without_seed(): seed must be one of {list(result.seeds)}; got {seed!r}")
    return bakeoff.BakeOff(result.task, result.entries, tuple(result.seeds[i] for i in keep), result.steps,
                           result.lrs, result.score[:, keep], result.dead[:, keep], result.nets)


def comparison_table(result: bakeoff.BakeOff, baseline: str = "relu", level: float = bakeoff.LEVEL,
                     edges: dict | None = None) -> str:
    """Markdown: per entry, parameters, learning rate (marked when ``edges``, from ``edge_rates``, says it is an
    end of the grid), typical test score (mean accuracy; for MSE the geometric mean, the scale of the ratios),
    the paired difference from the baseline with its interval, seeds better / tied / worse, the verdict and the
    dead units."""
    task, n = result.task, len(result.seeds)
    diff = ("− ReLU, accuracy points" if task.higher_is_better
            else "÷ ReLU: geometric mean of the per-seed MSE ratios")
    mean = "test accuracy (mean)" if task.higher_is_better else "test MSE (geometric mean)"
    head = ["entry", "parameters", "lr", mean, f"{diff} [{level:.0%} CI]",
            f"seeds better / tied / worse (of {n})", "verdict", "dead units"]
    found = {c.label: c for c in bakeoff.comparisons(result, baseline, level)}
    edges = edges or {}
    rows = []
    for i, item in enumerate(result.entries):
        s = typical(result, item.label)
        shown = f"{s:.3f}" if task.higher_is_better else f"{s:.4f}"
        c = found.get(item.label)
        lr = f"{result.lrs[item.label]:g}" + (f" ‡ (the grid's {edges[item.label]})" if item.label in edges else "")
        rows.append([item.title, bakeoff.param_count(task, item), lr, shown,
                     "(baseline)" if c is None else difference_text(c), "—" if c is None else seed_counts(c),
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
    strict, corrected = bonferroni_verdicts(*results, baseline=baseline, level=level)
    kept = set.intersection(*[set(v["better"]) for v in corrected.values()]) if corrected else set()
    for r in results:
        found = corrected[r.task.name]
        lines.append(f"with all {m} intervals widened to {strict:.2%} (Bonferroni), on {r.task.name}: better: " +
                     (", ".join(r.title(label) for label in found["better"]) or "none") + "; worse: " +
                     (", ".join(r.title(label) for label in found["worse"]) or "none"))
    lines.append("  ... and better on every task after that correction: " +
                 (", ".join(first.title(label) for label in first.labels if label in kept) or "none"))
    return lines


def bonferroni_verdicts(*results, baseline: str = "relu", level: float = bakeoff.LEVEL) -> tuple:
    """(level used, {task: {"better": [labels], "tie": [...], "worse": [...]}}): the verdicts when each of the m
    intervals (all tasks together) is widened to 1 - (1 - level) / m, so that all m hold together with
    probability at least ``level`` (Bonferroni). Wins and losses are corrected alike."""
    m = sum(len(r.labels) - 1 for r in results)
    strict = 1 - (1 - level) / m
    return strict, {r.task.name: bakeoff.verdicts(r, baseline, strict) for r in results}


def bonferroni(*results, baseline: str = "relu", level: float = bakeoff.LEVEL) -> tuple:
    """(level used, {task: [labels]}): per task, the entries ``bonferroni_verdicts`` keeps as better."""
    strict, found = bonferroni_verdicts(*results, baseline=baseline, level=level)
    return strict, {name: v["better"] for name, v in found.items()}


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


def rank_agreement(tuning: dict, task: bakeoff.Task, retune: bool = False) -> dict:
    """{factor: Spearman correlation (average ranks for ties) between the entries' ranking after 1x and after
    factor x the budget}: validation scores of the stored tuning stage, every entry at its learning rate chosen
    at 1x, or (``retune``) each budget's scores at the rate that is best for that budget."""
    chosen = bakeoff.chosen_lrs(tuning, task)
    curves = tuning["curves"][task.name]

    def scores(f):
        if retune:
            sweeps = {label: {float(lr): v for lr, v in curves[label][str(f)].items()} for label in chosen}
            return [sweeps[label][bakeoff.best_lr(sweeps[label], task)] for label in chosen]
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


def budget_verdicts(stored: dict, baseline: str = "relu", level: float = bakeoff.LEVEL) -> dict:
    """{label: [verdict against the baseline after each stored budget]} (every entry but the baseline)."""
    by_factor = {f: {c.label: c.verdict for c in bakeoff.comparisons(r, baseline, level)} for f, r in stored.items()}
    return {label: [by_factor[f][label] for f in stored] for label in by_factor[1]}


def budget_verdict_table(stored_by_task: dict, baseline: str = "relu") -> str:
    """Markdown: per entry and task, the verdict against the baseline and the mean difference after 1x, 2x and 4x
    the budget, and whether the verdict depends on the budget."""
    tasks = list(stored_by_task)
    first = stored_by_task[tasks[0]][1]
    found = {t: budget_verdicts(stored, baseline) for t, stored in stored_by_task.items()}
    means = {t: {f: {c.label: difference_text(c).split(" [")[0] for c in bakeoff.comparisons(r, baseline)}
                 for f, r in stored.items()} for t, stored in stored_by_task.items()}
    units = {t: "points" if stored[1].task.higher_is_better else "× ReLU's MSE" for t, stored in stored_by_task.items()}
    head = ["entry", *[f"{t}: 1x / 2x / 4x ({units[t]})" for t in tasks], "verdict depends on the budget"]
    rows = []
    for label in found[tasks[0]]:
        cells = [" / ".join(f"{v} {means[t][f][label]}" for f, v in zip(stored_by_task[t], found[t][label]))
                 for t in tasks]
        moving = [t for t in tasks if len(set(found[t][label])) > 1]
        rows.append([first.title(label), *cells, ", ".join(moving) or "no"])
    return markdown_table(head, rows)


def budget_dependent(stored_by_task: dict, baseline: str = "relu", level: float = bakeoff.LEVEL) -> dict:
    """{task: [labels whose verdict against the baseline is not the same after 1x, 2x and 4x the budget]}."""
    return {t: [label for label, v in budget_verdicts(stored, baseline, level).items() if len(set(v)) > 1]
            for t, stored in stored_by_task.items()}


# ---------------------------------------------------------------- the baseline's learning rate


def baseline_rate_changes(result: bakeoff.BakeOff, tuning: dict, baseline: str = "relu",
                          level: float = bakeoff.LEVEL) -> list:
    """[(lr, [(label, verdict now, verdict had the baseline trained at lr)])] for every rate of the grid: which
    verdicts against the baseline change when only the baseline's learning rate changes (stored baseline runs)."""
    now = {c.label: c.verdict for c in bakeoff.comparisons(result, baseline, level)}
    out = []
    for lr in tuning["settings"]["learning_rates"]:
        other = bakeoff.with_baseline_rate(result, tuning, lr, baseline)
        then = {c.label: c.verdict for c in bakeoff.comparisons(other, baseline, level)}
        out.append((float(lr), [(label, now[label], then[label]) for label in now if then[label] != now[label]]))
    return out


def rate_fragile(result: bakeoff.BakeOff, tuning: dict, baseline: str = "relu", level: float = bakeoff.LEVEL) -> list:
    """Labels whose verdict against the baseline flips when only the baseline moves ONE step along the grid (to
    either neighbouring rate of its tuned one): fragile verdicts at ten seeds."""
    grid = sorted(float(lr) for lr in tuning["settings"]["learning_rates"])
    k = grid.index(float(result.lrs[baseline]))
    near = {grid[j] for j in (k - 1, k + 1) if 0 <= j < len(grid)}
    moved = {label for lr, changes in baseline_rate_changes(result, tuning, baseline, level) if lr in near
             for label, _, _ in changes}
    return [label for label in result.labels if label in moved]


def leave_one_out(result: bakeoff.BakeOff, baseline: str = "relu", level: float = bakeoff.LEVEL) -> dict:
    """{label: [(seed, verdict without it)]} for every entry whose verdict against the baseline changes when one
    seed is left out (each seed in turn): how much a verdict hangs on a single seed (a sensitivity check)."""
    now = {c.label: c.verdict for c in bakeoff.comparisons(result, baseline, level)}
    out = {}
    for seed in result.seeds:
        for c in bakeoff.comparisons(without_seed(result, seed), baseline, level):
            if c.verdict != now[c.label]:
                out.setdefault(c.label, []).append((int(seed), c.verdict))
    return {label: out[label] for label in result.labels if label in out}

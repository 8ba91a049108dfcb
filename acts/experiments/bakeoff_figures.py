"""Notebook 07's bake-off, drawn: the tasks, the paired differences with ReLU, the budget check.

Split from ``acts.experiments.bakeoff_report`` (which re-exports these names, so the notebook calls
``bakeoff_report.plot_budget`` and so on); every function draws what ``acts.experiments.bakeoff`` computed or
stored, and the parameter values of the entries are stated (``entry_label``, ``entry_parameters``).
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullLocator

from acts import plotting
from acts.experiments import bakeoff
from acts.registry import get
from acts.style import drawn_params

TIE_GREY = "#8c8c8c"  # the colour of a tie in plot_differences (the captions call it grey)


# ---------------------------------------------------------------- figures


def plot_tasks(seed: int = 0, talk=None):
    """Seed ``seed``'s training data for both tasks (every seed draws its own)."""
    fig, (ax1, ax2) = plotting.new_figure(1, 2, talk=talk, figsize=(9.0, 3.9))
    spirals, sine = bakeoff.make_task("spirals"), bakeoff.make_task("sine")
    s = spirals.sample(seed)
    radius = np.linspace(0.0, 1.0, 200)
    for c in range(spirals.n_out):  # the noise-free arms, as data.spirals draws them
        angle = 2.0 * np.pi * (c / spirals.n_out + 1.25 * radius)
        ax1.plot(radius * np.cos(angle), radius * np.sin(angle), color="grey", ls="-", lw=0.9, alpha=0.7, zorder=1)
        pts = s.X[s.y == c]
        ax1.scatter(pts[:, 0], pts[:, 1], s=16, color=plotting.PALETTE[c], marker=plotting.MARKERS[c],
                    edgecolors="black", linewidths=0.4, label=f"class {c}")
    ax1.plot([], [], color="grey", ls="-", lw=0.9, alpha=0.7, label="arm centres")  # each arm without noise
    ax1.set_aspect("equal")
    ax1.set_title(f"spirals, seed {seed}: {len(s.X)} training points")
    ax1.set_xlabel("x1")
    ax1.set_ylabel("x2")
    ax1.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    t = sine.sample(seed)
    ax2.plot(t.X_test[:, 0], t.y_test, color="black", lw=1.2, label="sin(x): the test target")
    ax2.scatter(t.X[:, 0], t.y, s=14, color=plotting.PALETTE[0], edgecolors="black", linewidths=0.4,
                label="training samples")
    ax2.set_title(f"sine, seed {seed}: {len(t.X)} noisy samples")
    ax2.set_xlabel("x")
    ax2.set_ylabel("y")
    ax2.legend(fontsize="small", loc="lower right")
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.9, wspace=0.5)
    return fig


def _entry_values(item) -> tuple:
    """(the entry's parameter values as figure text, whether they are learned starting values), or ("", False)
    when there are none to state (no parameters, the Maxouts' learned pieces, SiLU whose title says its beta)."""
    act = get(item.activation)
    if act.name == "maxout" or "learn_activation" in dict(item.options):
        return "", False
    values = drawn_params(act.name, dict(item.options))  # the one rule: the registry's defaults, then the options
    if not values:
        return "", False
    learned = [p for p in act.learnable if p in values]
    return plotting.param_text({p: values[p] for p in (learned or values)}), bool(learned)


def entry_label(item) -> str:
    """A legend entry for a bake-off entry: its title, with its fixed parameter values ("GELU (approximate =
    'none')"); learned parameters are named by the title itself."""
    text, learned = _entry_values(item)
    return f"{item.title} ({text})" if text and not learned else item.title


def entry_parameters(items) -> str:
    """The parameter values of the entries, as a figure's footnote: the fixed ones (Leaky ReLU's slope, GELU's
    ``approximate``, ...) and the starting values of the learned ones; the Maxouts' pieces are learned."""
    found = [(item.title, *_entry_values(item)) for item in items]
    fixed = [f"{title} {text}" for title, text, learned in found if text and not learned]
    start = [f"{title} {text}" for title, text, learned in found if text and learned]
    return "parameters: " + "; ".join(fixed) + ("; initial values of the learned ones: " + "; ".join(start)
                                                if start else "")


def plot_differences(*results, baseline: str = "relu", talk=None):
    """Per task: each entry minus the baseline, one dot per seed, the mean with its 95% interval, a line at 0.

    Accuracy differences in points; MSE as the ratio to the baseline's, on a log axis (1 = equal).
    """
    first = results[0]
    order = [c.label for c in sorted(bakeoff.comparisons(first, baseline), key=lambda c: c.mean)]
    fig, axes = plotting.new_figure(1, len(results), talk=talk, figsize=(4.9 * len(results), 0.36 * len(order) + 1.1))
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
            # linear within +-3 points, where most entries lie, logarithmic beyond (the saturating ones' -20)
            ax.set_xscale("symlog", linthresh=3.0, linscale=1.5)
            ax.xaxis.set_major_locator(FixedLocator([-30, -10, -3, -1, 0, 1, 3]))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:+g}" if v else "0"))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.set_xlabel(f"{r.task.name}: test accuracy − ReLU's (points;\nlinear within ±3, logarithmic beyond)")
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
                 fontsize="medium")  # the course's body size (10.5 pt)
    height = fig.get_figheight()
    note = entry_parameters(first.entries)
    fig.text(0.01, 0.005, "\n".join(textwrap.wrap(note, 150)), fontsize=fig.acts_font * 0.9, va="bottom")
    fig.subplots_adjust(left=0.2, right=0.98, bottom=(0.88 + 0.2 * len(textwrap.wrap(note, 150))) / height,
                        top=1 - 0.7 / height, wspace=0.08)
    return fig


def plot_budget(tuning: dict, labels, talk=None):
    """Change of the best validation score from 1x to 2x and 4x the budget, each entry at its chosen learning rate
    (stored tuning). Entries whose change stays within a tenth of the panel's largest are drawn again in a zoom
    panel below it (its own axes, so nothing covers the data), so a cluster near 0 can be told apart."""
    names = list(tuning["curves"])
    factors = tuning["settings"]["factors"]
    panels = []  # per task: (task, steps, lines, the lines near 0 or [])
    for name in names:
        task = bakeoff.make_task(name)
        steps = np.array(factors) * task.steps
        chosen = bakeoff.chosen_lrs(tuning, task)
        lines = []
        for k, label in enumerate(labels):
            curve = tuning["curves"][name][label]
            values = np.array([curve[str(f)][repr(chosen[label])] for f in factors])
            values = (values - values[0]) * (100 if task.higher_is_better else 1)
            style = dict(color=plotting.PALETTE[k % 8], ls=plotting.LINESTYLES[k % 8],
                         marker=plotting.MARKERS[k % 8])
            if label == "silu":  # often on top of learned Swish: hollow markers, a thin line, drawn above it
                style.update(markerfacecolor="white", markersize=8, lw=1.2, zorder=5)
            shift = 2.0 ** (0.04 * (k - (len(labels) - 1) / 2))  # a small sideways step per entry: lines that
            lines.append((label, steps * shift, values, style))  # coincide stay apart
        largest = max(np.max(np.abs(v)) for _, _, v, _ in lines)
        near = [line for line in lines if np.max(np.abs(line[2])) < 0.1 * largest]
        panels.append((task, steps, lines, near if 1 < len(near) < len(lines) else []))
    rows = 2 if any(near for *_, near in panels) else 1
    scale = plotting.course_style(talk)["font.size"] / plotting.course_style(False)["font.size"]  # talk: bigger
    fig, axes = plotting.new_figure(rows, len(names), talk=talk,
                                    figsize=((4.6 * len(names) + 0.4) * scale, 3.5 * rows * scale))
    axes = np.reshape(axes, (rows, len(names)))
    small = fig.acts_font * 0.9  # legend, zoom ticks: the course's tick size (at least 9 pt)
    for col, (name, (task, steps, lines, near)) in enumerate(zip(names, panels)):
        ax = axes[0, col]
        for label, x, v, style in lines:
            ax.plot(x, v, label=entry_label(bakeoff.entry(label)), **style)
        what = "accuracy since 1x (points)" if task.higher_is_better else "log10 MSE since 1x"
        better = "higher is better" if task.higher_is_better else "lower is better"
        ax.set_ylabel(f"change in best validation\n{what};\n{better}")
        seeds = len(tuning["settings"]["tuning_seeds"])
        ax.set_title(f"{name}: mean over {seeds} tuning seeds", fontsize=fig.acts_font)
        targets = [ax]
        if rows == 2:
            zoom = axes[1, col]
            zoom.set_visible(bool(near))
            if near:
                for _label, x, v, style in near:
                    zoom.plot(x, v, **style)
                zoom.set_title(f"zoom: the {len(near)} entries near 0", fontsize=fig.acts_font)
                zoom.set_ylabel("change in accuracy\nsince 1x (points)" if task.higher_is_better
                                else "change in log10 MSE\nsince 1x")
                zoom.tick_params(labelsize=small)
                targets.append(zoom)
        for a in targets:
            a.axhline(0.0, color="black", lw=0.8)
            a.set_xscale("log", base=2)
            a.set_xticks(steps, [f"{s}" for s in steps])
            a.xaxis.set_minor_locator(NullLocator())
            a.set_xlabel("training steps (1x, 2x, 4x the budget)")
    # the legend goes into a free zoom slot when there is one, else to the right of the last panel
    free = [axes[1, col] for col, (*_, near) in enumerate(panels) if rows == 2 and not near]
    handles, texts = axes[0, -1].get_legend_handles_labels()
    title = "each entry shifted\nsideways a little,\nso lines stay apart"
    if free:
        free[0].set_visible(True)
        free[0].axis("off")
        free[0].legend(handles, texts, fontsize=fig.acts_font, title=title, title_fontsize=fig.acts_font,
                       loc="center", ncols=1)
    else:
        axes[0, -1].legend(fontsize=fig.acts_font, title=title, title_fontsize=fig.acts_font, loc="upper left",
                           bbox_to_anchor=(1.02, 1.0))
    height = fig.get_figheight()
    fig.subplots_adjust(left=0.1, right=0.97 if free else 0.78, bottom=0.6 * scale / height,
                        top=1 - 0.35 * scale / height, wspace=0.5, hspace=0.55 if rows == 2 else 0.2)
    return fig

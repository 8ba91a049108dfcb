"""Notebook 07's bake-off: a comparison of activations that a statistician would sign.

The design, in the order the notebook shows it:

* **Seeds vary data and initialisation.** Seed ``s`` draws its own training,
  validation and test sets (``Task.sample``) and its own initial weights;
  every entry trains from the same seed ``s``, so the runs are *paired*.
* **Equal tuning.** Each entry gets its own learning rate, the best of the
  same small grid (``LEARNING_RATES``) on the *validation* sets of separate
  tuning seeds (``tune``). ``tools/tune_bakeoff.py`` runs that stage and
  stores it, with its provenance, in ``acts/bakeoff_tuning.json``
  (``load_tuning``).
* **Held-out scores.** Test accuracy (spirals) or test MSE against the
  noise-free target (sine), on sets no training or tuning step saw.
* **Paired intervals.** Each entry minus ReLU, seed by seed, with a 95%
  Student-t interval (``paired``); the verdicts (better, worse, tie) are
  read from the intervals by ``verdicts``, never typed.

Entries (``entries``) are the registered activations plus two that the
registry cannot name alone: SiLU with beta fixed at 1 (what ``F.silu``
computes) beside Swish with a learned beta, and a Maxout net narrowed to
about ReLU's parameter count. Every seed of one entry trains as one batched
computation (``train_entry``).

>>> task = make_task("sine")
>>> result = bake_off(task, [entry("relu"), entry("tanh")], {"relu": 0.03, "tanh": 0.03}, seeds=(0, 1), steps=5)
>>> result.score.shape
(2, 2)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from acts import data, nn, stats
from acts.registry import get
from acts.registry import names as all_names
from acts.stats import LEVEL, t_interval

#: The bake-off's defaults: ten paired seeds, two hidden layers of 16 units, full-batch Adam.
HIDDEN = 16
SEEDS = tuple(range(10))
TUNING_SEEDS = tuple(range(100, 110))
LEARNING_RATES = (0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5)
FACTORS = (1, 2, 4)  # the budget check: 1x, 2x and 4x the task's budget
EVERY = 25  # steps between validation checks (early stopping)


# ---------------------------------------------------------------- tasks


@dataclass(frozen=True)
class Split:
    """One seed's data: training, validation (for tuning) and test (for scores) sets."""

    X: np.ndarray
    y: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


@dataclass(frozen=True)
class Task:
    """A toy task: ``sample(seed)`` draws a seed's sets; ``kind`` is "classification" or "regression"."""

    name: str
    kind: str
    n_in: int
    n_out: int
    n_train: int
    steps: int  # the budget: full-batch Adam steps (the most any entry gets)

    @property
    def metric(self) -> str:
        return "accuracy" if self.kind == "classification" else "MSE"

    @property
    def higher_is_better(self) -> bool:
        return self.kind == "classification"

    def sample(self, seed: int) -> Split:
        """Seed ``seed``'s training, validation and test sets (three independent draws)."""
        if self.name == "spirals":
            sets = [data.spirals(n, classes=3, noise=0.05, seed=offset + seed)
                    for n, offset in ((self.n_train, 10_000), (300, 20_000), (1000, 30_000))]
        else:  # sine: noisy samples for training and validation, the noise-free target for testing
            sets = [data.regression("sine", n=self.n_train, noise=0.1, seed=10_000 + seed),
                    data.regression("sine", n=101, noise=0.1, seed=20_000 + seed),
                    data.regression("sine", n=301)]
        return Split(*sets[0], *sets[1], *sets[2])


TASKS = {"spirals": Task("spirals", "classification", 2, 3, 150, 200),
         "sine": Task("sine", "regression", 1, 1, 64, 800)}


def make_task(name: str = "spirals") -> Task:
    """``"spirals"``: 150 training points on 3 arms (validation 300, test 1000, all drawn per seed).
    ``"sine"``: 64 samples of sin(x) + N(0, 0.1^2) on [-3, 3] (validation: 101 noisy samples), scored
    against the noise-free sin(x) on 301 points."""
    if name not in TASKS:
        raise ValueError(f"make_task(): name must be one of {', '.join(map(repr, TASKS))}; got {name!r}")
    return TASKS[name]


# ---------------------------------------------------------------- entries


@dataclass(frozen=True)
class Entry:
    """One contestant: an activation with its net's hidden width and options for ``nn.MLP``."""

    label: str
    activation: str
    title: str
    hidden: int = HIDDEN
    options: tuple = ()  # (keyword, value) pairs for nn.MLP

    def sizes(self, task: Task) -> list:
        return [task.n_in, self.hidden, self.hidden, task.n_out]


def _matched_width(k: int = 2, hidden: int = HIDDEN) -> int:
    """The maxout width whose parameter count is closest to a dense net of ``hidden`` units (2 inputs, 3 outputs)."""
    def count(h, pieces):
        return pieces * (2 * h + h) + pieces * (h * h + h) + 3 * h + 3
    return min(range(1, hidden + 1), key=lambda h: abs(count(h, k) - count(hidden, 1)))


def entry(label: str) -> Entry:
    """The entry called ``label``: a registered name, ``"silu"`` (beta fixed at 1) or ``"maxout_matched"``."""
    if label == "silu":
        return Entry("silu", "swish", "SiLU (β = 1 fixed)", options=(("learn_activation", False),))
    if label == "maxout_matched":
        width = _matched_width()
        return Entry("maxout_matched", "maxout", f"Maxout, {width} units (matched)", width, (("k", 2),))
    act = get(label)
    titles = {"swish": "Swish (β learned)", "prelu": "PReLU (α learned)", "maxout": "Maxout, 16 units"}
    options = (("k", 2),) if act.name == "maxout" else ()
    return Entry(act.name, act.name, titles.get(act.name, act.title), HIDDEN, options)


def entries(names=None) -> list:
    """Every registered activation, then SiLU with a fixed beta and a parameter-matched Maxout (or ``names``)."""
    labels = [*all_names(), "silu", "maxout_matched"] if names is None else list(names)
    return [entry(label) for label in labels]


def build_nets(task: Task, item: Entry, seeds) -> nn.MLP:
    """One batched net: a model per seed, seed ``s`` with the initial weights ``nn.MLP(..., seed=s)`` draws."""
    return nn.MLP(item.sizes(task), activation=item.activation, seed=tuple(seeds), **dict(item.options))


def param_count(task: Task, item: Entry) -> int:
    """Trainable numbers in one model of the entry (learned activation parameters included)."""
    net = nn.MLP(item.sizes(task), activation=item.activation, seed=0, **dict(item.options))
    return int(sum(p.size for p in net.parameters().values()))


# ---------------------------------------------------------------- training


def _stack(splits, which: str):
    return np.stack([getattr(s, which) for s in splits])


def score(task: Task, outputs, y) -> np.ndarray:
    """Per model: accuracy (outputs: logits, shape (S, n, classes)) or MSE (outputs shape (S, n, 1))."""
    outputs, y = np.asarray(outputs), np.asarray(y)
    if task.kind == "classification":
        return np.mean(np.argmax(outputs, axis=-1) == y, axis=-1)
    return np.mean((outputs[..., 0] - y) ** 2, axis=-1)


@dataclass
class Runs:
    """What ``train_entry`` returns: ``score[c, s]`` after ``checkpoints[c]`` steps, seed ``s``; learned values."""

    checkpoints: tuple
    score: np.ndarray
    net: nn.MLP | None = None  # the trained batched net
    dead: np.ndarray | None = None  # per seed: the fraction of hidden units dead on the training set at the end

    @property
    def learned(self) -> dict:
        """{parameter: values at the end, shape (S, ...)} for the learned activation parameters."""
        return {name: np.array(p) for name, p in self.net.parameters("activation").items()}


def train_entry(task: Task, item: Entry, seeds, lr, steps: int | None = None, checkpoints=None, split: str = "test",
                stop_early: bool = True, every: int = EVERY, progress=None) -> Runs:
    """Train ``item`` from every seed at once (one batched net, a model per seed) and score it at each checkpoint.

    ``lr``: one learning rate, or one per seed; ``steps``: the task's budget by default. ``split``: "test" or
    "val", the sets scored. ``stop_early``: every ``every`` steps the validation score is measured, and a
    checkpoint's score is the one of the step with the best validation score so far (per model); False
    scores the net as it is at the checkpoint. ``progress(steps_done)`` is called at each checkpoint.
    """
    seeds = tuple(seeds)
    steps = task.steps if steps is None else steps
    checkpoints = (steps,) if checkpoints is None else tuple(checkpoints)
    if split not in ("test", "val"):
        raise ValueError(f"train_entry(): split must be 'test' or 'val'; got {split!r}")
    if list(checkpoints) != sorted(set(checkpoints)) or checkpoints[-1] != steps or checkpoints[0] < 1:
        raise ValueError(f"train_entry(): checkpoints must increase from 1 to steps ({steps}); got {checkpoints!r}")
    splits = [task.sample(s) for s in seeds]
    X, y = _stack(splits, "X"), _stack(splits, "y")
    X_val, y_val = _stack(splits, "X_val"), _stack(splits, "y_val")
    X_eval, y_eval = _stack(splits, f"X_{split}"), _stack(splits, f"y_{split}")
    net = build_nets(task, item, seeds)
    params = net.parameters()
    sign = 1.0 if task.higher_is_better else -1.0
    best = {"val": np.full(len(seeds), -np.inf), "params": {name: p.copy() for name, p in params.items()}}
    scores = {}

    def best_scores():
        """Per model, the score on the scored sets of its parameters at its best validation check so far."""
        if split == "val":
            return sign * best["val"]
        now = {name: p.copy() for name, p in params.items()}
        for name, p in params.items():  # score the kept parameters, then put the live ones back
            p[...] = best["params"][name]
        kept = score(task, net(X_eval), y_eval)
        for name, p in params.items():
            p[...] = now[name]
        return np.where(best["val"] > -np.inf, kept, np.nan)

    def check(step, _history):  # called after the update of ``step``: one run of Adam throughout
        if stop_early:
            val = sign * score(task, net(X_val), y_val)
            better = val > best["val"]
            if better.any():  # keep each improved model's parameters: the scored sets wait for a checkpoint
                best["val"] = np.where(better, val, best["val"])
                for name, p in params.items():
                    np.copyto(best["params"][name], p, where=better.reshape(better.shape + (1,) * (p.ndim - 1)))
        if step in checkpoints:
            scores[step] = best_scores() if stop_early else score(task, net(X_eval), y_eval)
            if progress is not None:
                progress(step)

    every = int(np.gcd.reduce([every, *checkpoints])) if stop_early else int(np.gcd.reduce(checkpoints))
    nn.train(net, X, y, steps=steps, lr=lr, every=every, callback=check)
    return Runs(checkpoints, np.array([scores[c] for c in checkpoints]), net, net.dead_fraction(X).mean(axis=-1))


# ---------------------------------------------------------------- tuning


def tune(task: Task, item: Entry, lrs=LEARNING_RATES, seeds=TUNING_SEEDS, steps: int | None = None) -> dict:
    """{learning rate: mean validation score over ``seeds``} for one entry: every (rate, seed) pair is a model
    of one batched run. The tuning seeds are not the bake-off's seeds."""
    lrs, seeds = tuple(lrs), tuple(seeds)
    runs = train_entry(task, item, seeds * len(lrs), np.repeat(lrs, len(seeds)), steps, split="val")
    per_lr = runs.score[-1].reshape(len(lrs), len(seeds))
    if not task.higher_is_better:
        per_lr = np.log10(per_lr)  # MSE: average on a log scale, as the comparisons do
    return {float(lr): float(v) for lr, v in zip(lrs, per_lr.mean(axis=1))}


def best_lr(sweep: dict, task: Task) -> float:
    """The learning rate with the best validation score in a ``tune`` result (the smaller one on an exact tie)."""
    sign = -1.0 if task.higher_is_better else 1.0
    return min(sweep, key=lambda lr: (sign * sweep[lr], lr))


TUNING_FILE = "bakeoff_tuning.json"


def load_tuning(path=None, data: dict | None = None) -> dict:
    """The stored tuning stage: {"provenance": {...}, "settings": {...}, "tasks": {task: {label: {lr: score}}},
    "curves": ..., "budget_check": ..., "baseline_rates": ...} (``data``: an already parsed copy, not re-read)."""
    if data is not None:
        stored = json.loads(json.dumps(data))
    else:
        text = resources.files("acts").joinpath(TUNING_FILE).read_text() if path is None else open(path).read()
        stored = json.loads(text)
    stored["tasks"] = {t: {label: {float(lr): v for lr, v in sweep.items()} for label, sweep in by_label.items()}
                       for t, by_label in stored["tasks"].items()}
    return stored


def chosen_lrs(tuning: dict, task: Task) -> dict:
    """{label: the best learning rate} for one task of a ``load_tuning`` result."""
    return {label: best_lr(sweep, task) for label, sweep in tuning["tasks"][task.name].items()}


# ---------------------------------------------------------------- the bake-off


@dataclass
class BakeOff:
    """Scores of every entry on every seed: ``score[e, s]`` (test accuracy or test MSE)."""

    task: Task
    entries: list
    seeds: tuple
    steps: int
    lrs: dict
    score: np.ndarray
    dead: np.ndarray  # [e, s]: fraction of hidden units dead on the training set at the end
    nets: dict  # {label: the trained batched net}

    @property
    def labels(self) -> list:
        return [e.label for e in self.entries]

    def index(self, label: str) -> int:
        return self.labels.index(label)

    def title(self, label: str) -> str:
        return self.entries[self.index(label)].title

    def of(self, label: str) -> np.ndarray:
        return self.score[self.index(label)]


def bake_off(task: Task, items, lrs: dict, seeds=SEEDS, steps: int | None = None, progress=None) -> BakeOff:
    """Train every entry from every seed (each entry one batched run) and score it on the seeds' test sets.

    ``lrs``: {label: learning rate}, from the tuning stage. ``progress(done, total)`` counts entries.
    """
    items, seeds = list(items), tuple(seeds)
    steps = task.steps if steps is None else steps
    scores, dead, nets = np.empty((len(items), len(seeds))), np.empty((len(items), len(seeds))), {}
    for i, item in enumerate(items):
        runs = train_entry(task, item, seeds, lrs[item.label], steps)
        scores[i], dead[i], nets[item.label] = runs.score[-1], runs.dead, runs.net
        if progress is not None:
            progress(i + 1, len(items))
    return BakeOff(task, items, seeds, steps, dict(lrs), scores, dead, nets)


# ---------------------------------------------------------------- paired differences


@dataclass(frozen=True)
class Comparison:
    """An entry against the baseline over paired seeds.

    ``diffs``: per seed, accuracy difference (classification) or log10 of the MSE ratio (regression);
    ``mean``, ``low``, ``high``: its mean and Student-t interval; ``wins``: seeds where the entry did better.
    """

    label: str
    baseline: str
    diffs: np.ndarray
    mean: float
    low: float
    high: float
    wins: int
    higher_is_better: bool

    @property
    def verdict(self) -> str:
        """"better", "worse" or "tie" (the interval contains 0), for the entry against the baseline."""
        if self.higher_is_better:
            return stats.verdict(self.low, self.high)
        return stats.verdict(-self.high, -self.low)  # a lower MSE is better


def paired(result: BakeOff, label: str, baseline: str = "relu", level: float = LEVEL) -> Comparison:
    """``label`` minus ``baseline``, seed by seed, with a ``level`` t-interval."""
    a, b = result.of(label), result.of(baseline)
    diffs = a - b if result.task.higher_is_better else np.log10(a) - np.log10(b)
    mean, low, high = t_interval(diffs, level)
    wins = int(np.sum(diffs > 0) if result.task.higher_is_better else np.sum(diffs < 0))
    return Comparison(label, baseline, diffs, mean, low, high, wins, result.task.higher_is_better)


def comparisons(result: BakeOff, baseline: str = "relu", level: float = LEVEL) -> list:
    """``paired`` for every entry but the baseline, in the result's order."""
    return [paired(result, label, baseline, level) for label in result.labels if label != baseline]


def verdicts(result: BakeOff, baseline: str = "relu", level: float = LEVEL) -> dict:
    """{"better": [labels], "tie": [...], "worse": [...]}: read from the intervals."""
    out = {"better": [], "tie": [], "worse": []}
    for c in comparisons(result, baseline, level):
        out[c.verdict].append(c.label)
    return out


# ---------------------------------------------------------------- stored runs: the budget check, the baseline's rate


def budget_runs(task: Task, items, lrs: dict, seeds=SEEDS, factors=FACTORS, progress=None) -> dict:
    """{factor: [per entry: test scores of every seed after factor x the budget]}: each entry trains once for the
    longest budget, early-stopped as the bake-off is, and is scored at every checkpoint (the 1x column is the
    bake-off's own score). ``tools/tune_bakeoff.py`` runs it and stores it."""
    out = {f: [] for f in factors}
    for item in items:
        runs = train_entry(task, item, seeds, lrs[item.label], factors[-1] * task.steps,
                           checkpoints=tuple(f * task.steps for f in factors))
        for f, row in zip(factors, runs.score):
            out[f].append(row)
        if progress is not None:
            progress(item.label)
    return out


def stored_bake_offs(tuning: dict, task: Task) -> dict:
    """{factor: BakeOff} rebuilt from the stored budget check (test scores of the bake-off's seeds at 1x, 2x and
    4x the budget; no trained nets, dead units not stored)."""
    stored = tuning["budget_check"][task.name]
    items = [entry(label) for label in stored["test"]]
    lrs = {label: float(lr) for label, lr in stored["lrs"].items()}
    out = {}
    for f in stored["factors"]:
        score = np.array([stored["test"][item.label][str(f)] for item in items])
        out[f] = BakeOff(task, items, tuple(stored["seeds"]), f * task.steps, lrs, score,
                         np.full(score.shape, np.nan), {})
    return out


def with_baseline_rate(result: BakeOff, tuning: dict, lr: float, baseline: str = "relu") -> BakeOff:
    """``result`` with the baseline's scores replaced by its stored test scores at learning rate ``lr`` (same seeds
    and budget): what the verdicts would be had the baseline been given that rate."""
    stored = tuning["baseline_rates"][result.task.name]
    if tuple(stored["seeds"]) != tuple(result.seeds) or stored["steps"] != result.steps:
        raise ValueError("with_baseline_rate(): result must use the stored seeds and budget "
                         f"({stored['seeds']}, {stored['steps']} steps); got {result.seeds}, {result.steps} steps")
    if repr(float(lr)) not in stored["test"]:
        raise ValueError(f"with_baseline_rate(): lr must be one of {list(stored['test'])}; got {lr!r}")
    score = result.score.copy()
    score[result.index(baseline)] = stored["test"][repr(float(lr))]
    return BakeOff(result.task, result.entries, result.seeds, result.steps, {**result.lrs, baseline: float(lr)},
                   score, result.dead, result.nets)

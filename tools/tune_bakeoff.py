"""The bake-off's tuning stage and its checks, run once and stored: acts/bakeoff_tuning.json.

1. Tuning. For every entry of ``acts.experiments.bakeoff`` and both tasks,
   every learning rate of the grid trains from every tuning seed (not the
   bake-off's seeds) for 4x the budget, and the *validation* score is
   recorded at 1x, 2x and 4x the budget. The notebook picks each entry's
   learning rate from the 1x column (``bakeoff.chosen_lrs``); every entry
   gets the same grid and the same seeds.
2. The budget check ("budget_check"). Every entry, at its chosen rate, trains
   from the bake-off's seeds for 4x the budget, early-stopped as the bake-off
   is; its test scores at 1x, 2x and 4x are stored per seed. The 1x column is
   the bake-off itself (the notebook checks that it equals its own run).
3. The baseline's rate ("baseline_rates"). ReLU trains from the bake-off's
   seeds at every rate of the grid for the budget; the notebook shows which
   verdicts would change had ReLU been given another rate.

It is stored because it takes several minutes on 2 cores, far beyond the
notebook's 30 s; ``tests/test_nb07_choosing.py`` re-derives a subset of it.

    .venv/bin/python tools/tune_bakeoff.py            # everything (a few minutes)
    .venv/bin/python tools/tune_bakeoff.py --check    # re-derive a small subset and compare, write nothing
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from acts.experiments import bakeoff

OUT = Path(__file__).resolve().parent.parent / "acts" / bakeoff.TUNING_FILE
FACTORS = bakeoff.FACTORS


def sweep(task, item, lrs=bakeoff.LEARNING_RATES, seeds=bakeoff.TUNING_SEEDS, steps=None, factors=FACTORS) -> dict:
    """{factor: {lr: mean best validation score up to factor x the budget}} for one entry: one batched run of
    every (lr, seed) pair, early-stopped as the bake-off is."""
    lrs, seeds = tuple(lrs), tuple(seeds)
    steps = task.steps if steps is None else steps
    checkpoints = tuple(f * steps for f in factors)
    runs = bakeoff.train_entry(task, item, seeds * len(lrs), np.repeat(lrs, len(seeds)), checkpoints[-1],
                               checkpoints=checkpoints, split="val")
    scores = runs.score.reshape(len(factors), len(lrs), len(seeds))
    if not task.higher_is_better:
        scores = np.log10(scores)  # MSE: averaged on a log scale, as bakeoff.tune does
    return {str(f): {repr(float(lr)): round(float(v), 12) for lr, v in zip(lrs, row.mean(axis=1))}
            for f, row in zip(factors, scores)}


def provenance(seconds: float) -> dict:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=OUT.parent.parent, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {
        "command": "python tools/tune_bakeoff.py",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "git_commit_before": commit, "python": platform.python_version(), "numpy": np.__version__,
        "platform": f"{platform.system()} {platform.machine()}", "seconds": round(seconds, 1),
        "load_average_before": round(os.getloadavg()[0], 2),
    }


def settings() -> dict:
    return {"learning_rates": list(bakeoff.LEARNING_RATES), "tuning_seeds": list(bakeoff.TUNING_SEEDS),
            "steps": {name: task.steps for name, task in bakeoff.TASKS.items()}, "factors": list(FACTORS),
            "hidden": bakeoff.HIDDEN, "every": bakeoff.EVERY,
            "score": "best validation accuracy (spirals) or log10 validation MSE (sine) up to the checkpoint, "
                     "checked every `every` steps, averaged over the tuning seeds",
            "bakeoff_seeds": list(bakeoff.SEEDS),
            "budget_check": "per entry, at its chosen rate, from the bake-off's seeds: test accuracy or test MSE "
                            "(early-stopped on validation) after each factor x the budget",
            "baseline_rates": "ReLU from the bake-off's seeds at every rate of the grid: test score after the budget"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="re-derive ReLU and tanh on sine; compare; write nothing")
    args = parser.parse_args(argv)
    if args.check:
        stored = json.loads(OUT.read_text())
        task = bakeoff.make_task("sine")
        worst = 0.0
        for label in ("relu", "tanh"):
            again = sweep(task, bakeoff.entry(label))
            for f, by_lr in again.items():
                for lr, v in by_lr.items():
                    worst = max(worst, abs(v - stored["curves"]["sine"][label][f][lr]))
        print(f"largest difference from the stored values: {worst:.2e}")
        return 0 if worst < 1e-9 else 1
    start = time.perf_counter()
    curves = {}
    for name in bakeoff.TASKS:
        task = bakeoff.make_task(name)
        curves[name] = {}
        for item in bakeoff.entries():
            t = time.perf_counter()
            curves[name][item.label] = sweep(task, item)
            print(f"{name:8} {item.label:15} {time.perf_counter() - t:6.1f} s", flush=True)
    tasks = {name: {label: c["1"] for label, c in by_label.items()} for name, by_label in curves.items()}
    stored = {"tasks": tasks}
    checks, rates = {}, {}
    for name in bakeoff.TASKS:
        task = bakeoff.make_task(name)
        lrs = bakeoff.chosen_lrs(bakeoff.load_tuning(data=stored), task)
        t = time.perf_counter()
        runs = bakeoff.budget_runs(task, bakeoff.entries(), lrs)
        checks[name] = {"seeds": list(bakeoff.SEEDS), "factors": list(FACTORS),
                        "lrs": {label: lr for label, lr in lrs.items()},
                        "test": {item.label: {str(f): [round(float(v), 12) for v in runs[f][i]] for f in FACTORS}
                                 for i, item in enumerate(bakeoff.entries())}}
        base = bakeoff.train_entry(task, bakeoff.entry("relu"), bakeoff.SEEDS * len(bakeoff.LEARNING_RATES),
                                   np.repeat(bakeoff.LEARNING_RATES, len(bakeoff.SEEDS)))
        per_lr = base.score[-1].reshape(len(bakeoff.LEARNING_RATES), len(bakeoff.SEEDS))
        rates[name] = {"seeds": list(bakeoff.SEEDS), "steps": task.steps,
                       "test": {repr(float(lr)): [round(float(v), 12) for v in row]
                                for lr, row in zip(bakeoff.LEARNING_RATES, per_lr)}}
        print(f"{name:8} budget check and baseline rates {time.perf_counter() - t:6.1f} s", flush=True)
    stored = {"provenance": provenance(time.perf_counter() - start), "settings": settings(), "tasks": tasks,
              "curves": curves, "budget_check": checks, "baseline_rates": rates}
    OUT.write_text(json.dumps(stored, indent=1) + "\n")
    print(f"wrote {OUT.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

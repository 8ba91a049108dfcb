"""How long the whole course takes to run: every notebook in a fresh kernel, one after another.

    .venv/bin/python bench/course_time.py            # all of notebooks/*.ipynb
    .venv/bin/python bench/course_time.py 05         # only the notebooks whose name starts with 05

Each notebook is executed with nbclient (what ``make notebooks`` and nbval
use) on a copy in a temporary directory, so nothing in the repository is
written. The time of a notebook is the wall time from starting its kernel
to shutting it down: kernel start-up, imports and every cell included.
The total is compared with the course's bar (120 s on a 2-core machine)
and each notebook with the bar for one notebook (30 s), both from the course
design's quality bars.

The share of the training demos is measured too: before the notebook's
first cell, one extra cell wraps ``acts.nn.train`` and the trainers of
the experiment modules (every function of ``acts.experiments.*`` whose
name starts with ``train``, and ``choosing.bake_off``, which trains in
worker processes) so that the time spent inside them adds up (a call
inside another counts once); one extra cell at the end reports the sum. ``--no-share`` runs the
notebooks untouched.

The machine's load average is printed with the result: on a shared machine
the times are only comparable with runs under similar load.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent
COURSE_BUDGET = 120.0
#: The bar for one notebook, Run All in a fresh kernel on a 2-core machine (seconds).
NOTEBOOK_BUDGET = 30.0

PROBE = """
import time as _bench_time
import acts.nn as _bench_nn
_bench_seconds = [0.0]
_bench_depth = [0]

def _bench_wrap(owner, name):
    original = getattr(owner, name)
    def wrapped(*args, **kwargs):
        _bench_depth[0] += 1
        start = _bench_time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            _bench_depth[0] -= 1
            if _bench_depth[0] == 0:  # a train() inside bake_off() counts once
                _bench_seconds[0] += _bench_time.perf_counter() - start
    wrapped.__wrapped__ = original
    setattr(owner, name, wrapped)

_bench_wrap(_bench_nn, "train")
import importlib as _bench_importlib
import pkgutil as _bench_pkgutil
import acts.experiments as _bench_experiments
for _bench_module in _bench_pkgutil.iter_modules(_bench_experiments.__path__):
    try:
        _bench_owner = _bench_importlib.import_module(f"acts.experiments.{_bench_module.name}")
    except Exception:  # a module that does not import is the notebook's problem, reported there
        continue
    for _bench_name in list(vars(_bench_owner)):
        _bench_fn = getattr(_bench_owner, _bench_name)
        if (_bench_name.startswith("train") or _bench_name == "bake_off") and callable(_bench_fn) \
                and getattr(_bench_fn, "__module__", None) == _bench_owner.__name__:
            _bench_wrap(_bench_owner, _bench_name)
"""
REPORT = "print(repr(_bench_seconds[0]))"


def run(path: Path, workdir: Path, share: bool) -> dict:
    """Execute one notebook (a copy in ``workdir``); {"seconds", "training", "error"}."""
    nb = nbformat.read(path, as_version=4)
    if share:
        nb.cells.insert(0, nbformat.v4.new_code_cell(PROBE))
        nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    client = NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=True,
                            resources={"metadata": {"path": str(workdir)}})
    error = None
    start = time.perf_counter()
    try:
        client.execute(stderr=subprocess.DEVNULL)  # the kernel's start-up banner is not ours to print
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1][:200] if str(exc).strip() else type(exc).__name__
    except (CellTimeoutError, DeadKernelError, RuntimeError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:200]
    seconds = time.perf_counter() - start
    training = None
    if share and error is None:
        out = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []) if o.get("output_type") == "stream")
        try:
            training = float(ast.literal_eval(out.strip()))  # the number our REPORT cell printed
        except (ValueError, SyntaxError):
            training = None
    return {"seconds": seconds, "training": training, "error": error}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("prefixes", nargs="*", help="only notebooks whose file name starts with one of these")
    parser.add_argument("--no-share", action="store_true", help="do not measure the training share")
    args = parser.parse_args(argv)

    found = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    names = found
    if args.prefixes:
        names = [n for n in names if n.startswith(tuple(args.prefixes))]
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"Course run time: each notebook in a fresh kernel, one after another ({os.cpu_count()} CPUs, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} before the run)\n")
    print(f"{'notebook':<36} {'time':>8} {'budget':>7}  {'training':>15}  verdict")
    total = training_total = 0.0
    missing, failed, shares_complete = [], [], True
    with tempfile.TemporaryDirectory(prefix="course_time_") as tmp:
        workdir = Path(tmp) / "notebooks"
        shutil.copytree(ROOT / "notebooks", workdir)
        for name in names:
            budget = NOTEBOOK_BUDGET
            budget_text = f"{budget:.0f} s" if budget else "-"
            if name not in found:
                missing.append(name)
                print(f"{name:<36} {'-':>8} {budget_text:>7}  {'':>15}  missing")
                continue
            result = run(workdir / name, workdir, share=not args.no_share)
            total += result["seconds"]
            if result["training"] is None:
                shares_complete = False
                train_text = "-"
            else:
                training_total += result["training"]
                train_text = f"{result['training']:.1f} s ({result['training'] / result['seconds']:.0%})"
            if result["error"]:
                failed.append(name)
                verdict = f"FAILED: {result['error']}"
            elif budget is None:
                verdict = "no budget"
            else:
                verdict = "ok" if result["seconds"] <= budget else f"over by {result['seconds'] - budget:.1f} s"
            print(f"{name:<36} {result['seconds']:>6.1f} s {budget_text:>7}  {train_text:>15}  {verdict}",
                  flush=True)
    ran = len(names) - len(missing)
    print(f"\n{'total (' + str(ran) + ' notebooks)':<36} {total:>6.1f} s {COURSE_BUDGET:>5.0f} s  "
          f"{'':>15}  {'ok' if total <= COURSE_BUDGET else 'OVER BUDGET'} ({total / COURSE_BUDGET:.0%} of the budget)")
    if not args.no_share and ran:
        note = "" if shares_complete else " (failed notebooks not counted)"
        share = training_total / max(total, 1e-9)
        print(f"training demos: {training_total:.1f} s of {total:.1f} s ({share:.0%}){note}")
    if missing:
        print(f"missing: {', '.join(missing)} (the total covers only the notebooks that exist)")
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

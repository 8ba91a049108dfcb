"""Does the course install and run on a given Python? (`make pythons`)

    .venv/bin/python tools/check_pythons.py /usr/bin/python3 /path/to/python3.13

For each interpreter: a fresh venv in a temporary folder, the pinned
requirements (`-c constraints.txt -r requirements.txt`, as `make lab` installs
them), then notebook 00 executed top to bottom in that environment's kernel.
It prints one line per interpreter and exits non-zero if any failed. With no
argument it checks the oldest and newest supported Pythons it can find.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "00_why_activation_functions.ipynb"
SUPPORTED = ((3, 11), (3, 13))  # oldest and newest minor version the README names


def version_of(python: str) -> tuple[int, ...] | None:
    try:
        out = subprocess.run([python, "-c", "import sys; print(*sys.version_info[:3])"], capture_output=True,
                             text=True, timeout=30).stdout.split()
    except OSError:
        return None
    return tuple(int(v) for v in out) if len(out) == 3 else None


def default_pythons() -> list[str]:
    """The oldest and the newest supported interpreter on this machine (the system one first)."""
    candidates = [shutil.which(f"python3.{m}") for m in range(SUPPORTED[0][1], SUPPORTED[1][1] + 1)]
    candidates += ["/usr/bin/python3", *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python3")))]
    found = {}
    for python in filter(None, candidates):
        v = version_of(python)
        if v and SUPPORTED[0] <= v[:2] <= SUPPORTED[1]:
            found.setdefault(v, python)
    if not found:
        return []
    versions = sorted(found)
    return [found[versions[0]]] if len(versions) == 1 else [found[versions[0]], found[versions[-1]]]


def check(python: str) -> tuple[bool, str]:
    version = ".".join(map(str, version_of(python) or ("?",)))
    with tempfile.TemporaryDirectory(prefix="course-python-") as tmp:
        venv = Path(tmp) / "venv"
        start = time.monotonic()
        steps = [
            [python, "-m", "venv", str(venv)],
            [str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-c", str(ROOT / "constraints.txt"), "-r", str(ROOT / "requirements.txt")],
            [str(venv / "bin/jupyter"), "nbconvert", "--to", "notebook", "--execute", "--output-dir", tmp,
             "--ExecutePreprocessor.kernel_name=python3", str(NOTEBOOK)],
        ]
        for cmd in steps:
            run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1200)
            if run.returncode != 0:
                errors = [line for line in (run.stderr + run.stdout).splitlines() if "WARNING: Location" not in line]
                return False, f"Python {version} ({python}): `{' '.join(cmd[:4])} ...` failed:\n" + \
                    "\n".join(errors[-15:])
        seconds = time.monotonic() - start
        return True, f"Python {version} ({python}): installs and runs {NOTEBOOK.name} ({seconds:.0f} s)"


def main(argv: list[str]) -> int:
    pythons = argv or default_pythons()
    if not pythons:
        print(f"no Python {SUPPORTED[0][0]}.{SUPPORTED[0][1]} to {SUPPORTED[1][0]}.{SUPPORTED[1][1]} found")
        return 1
    ok_all = True
    for python in pythons:
        ok, message = check(python)
        ok_all &= ok
        print(("OK   " if ok else "FAIL ") + message, flush=True)
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

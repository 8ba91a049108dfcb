"""Regenerate binder/requirements.txt from constraints.txt.

Binder (repo2docker) reads only binder/ and cannot use pip's -c constraints, so
binder/requirements.txt carries the pins itself: exactly the lines of
constraints.txt for the packages the course needs to *run* (requirements.txt and
everything they depend on, plus Notebook 7, which repo2docker's base image
ships and which must move with JupyterLab), none of the test-only tools. The course module
`acts` is installed by binder/postBuild (`pip install --no-deps -e .`).

The dependency closure is read from the installed metadata of the environment
this script runs in, so run it with the course's venv after `make`:

    .venv/bin/python tools/binder_requirements.py          # rewrite the file
    .venv/bin/python tools/binder_requirements.py --check  # exit 1 if it is stale

tests/test_binder.py runs the check, so the two pin sets cannot drift apart.
"""

from __future__ import annotations

import argparse
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
REQUIREMENTS = ROOT / "requirements.txt"
BINDER_REQUIREMENTS = ROOT / "binder" / "requirements.txt"

# Packages that repo2docker's base environment already ships and that pin
# JupyterLab's minor version: Binder must upgrade them together with JupyterLab,
# so they are pinned in constraints.txt (via requirements-dev.txt) and listed here.
BINDER_ALSO = ["notebook"]

HEADER = """\
# Binder's run-time pins: the lines of ../constraints.txt for requirements.txt
# (plus Notebook 7, which Binder's base image ships) and all they depend on.
# Generated: do not edit; after refreshing constraints.txt run
# `.venv/bin/python tools/binder_requirements.py`. binder/postBuild installs acts.
"""


def read_pins(path: Path) -> dict[str, str]:
    """{canonical name: the pin line as written} for every `name==version` line."""
    pins = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        pins[canonicalize_name(req.name)] = line
    return pins


def top_level_requirements(path: Path = REQUIREMENTS) -> list[Requirement]:
    """The named requirements of requirements.txt (not `-e .` nor other options)."""
    reqs = []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            reqs.append(Requirement(line))
    return reqs


def runtime_closure(roots: list[Requirement]) -> set[str]:
    """Canonical names of `roots` and all they need here, extras and markers honoured."""
    seen: set[tuple[str, frozenset[str]]] = set()
    names: set[str] = set()
    todo = [(r.name, frozenset(r.extras)) for r in roots if r.marker is None or r.marker.evaluate()]
    while todo:
        name, extras = todo.pop()
        key = (canonicalize_name(name), extras)
        if key in seen:
            continue
        seen.add(key)
        names.add(key[0])
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            sys.exit(f"{name} is not installed in {sys.prefix}: run `make .venv/.stamp-run` and use .venv/bin/python")
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is not None:
                envs = [{"extra": e} for e in extras] or [{"extra": ""}]
                if not any(req.marker.evaluate(env) for env in envs):
                    continue
            todo.append((req.name, frozenset(req.extras)))
    return names


def render() -> str:
    pins = read_pins(CONSTRAINTS)
    needed = runtime_closure(top_level_requirements() + [Requirement(n) for n in BINDER_ALSO])
    missing = sorted(needed - pins.keys())
    if missing:
        sys.exit(f"constraints.txt pins none of {missing}: regenerate constraints.txt first")
    lines = sorted((pins[name] for name in needed), key=lambda s: s.upper())
    return HEADER + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if binder/requirements.txt is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = BINDER_REQUIREMENTS.read_text() if BINDER_REQUIREMENTS.exists() else ""
        if current != text:
            rel = BINDER_REQUIREMENTS.relative_to(ROOT)
            print(f"{rel} is stale: run `.venv/bin/python tools/binder_requirements.py`")
            return 1
        print(f"{BINDER_REQUIREMENTS.relative_to(ROOT)} is up to date ({text.count('==')} pins)")
        return 0
    BINDER_REQUIREMENTS.parent.mkdir(exist_ok=True)
    BINDER_REQUIREMENTS.write_text(text)
    print(f"wrote {BINDER_REQUIREMENTS.relative_to(ROOT)} ({text.count('==')} pins)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

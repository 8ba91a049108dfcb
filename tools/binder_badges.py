"""Write the "launch on Binder" badges from the one place that holds the repository: binder/repository.

binder/repository holds one line, the repository as mybinder.org spells it,
e.g. ``gh/your-account/activation-functions-explored/HEAD`` (GitHub account,
repository name, branch or HEAD). To publish the course under a new address,
edit that line and run

    .venv/bin/python tools/binder_badges.py          # rewrites README.md and every notebook's badge
    .venv/bin/python tools/binder_badges.py --check  # exit 1 if any badge is out of date (a test runs this)

The README's badge opens JupyterLab on notebook 00; each notebook's badge (on
the line after its title) opens that notebook.

For a class on its own JupyterHub (with nbgitpuller installed in the hub's
image), the same address gives the link that copies the course into every
student's home folder and opens notebook 00:

    .venv/bin/python tools/binder_badges.py --nbgitpuller https://hub.example.edu
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"
BADGE_RE = re.compile(r"\[!\[Launch on Binder\]\([^)]*\)\]\([^)]*\)")


def repository() -> str:
    return (ROOT / "binder" / "repository").read_text().strip()


def badge(notebook: str) -> str:
    url = f"https://mybinder.org/v2/{repository()}?urlpath=lab/tree/notebooks/{notebook}"
    return f"[![Launch on Binder]({BADGE_IMAGE})]({url})"


def nbgitpuller_link(hub: str, notebook: str = "00_why_activation_functions.ipynb") -> str:
    """The nbgitpuller link that clones (or updates) the course on `hub` and opens `notebook` in JupyterLab."""
    match = re.fullmatch(r"gh/([^/]+)/([^/]+)/(.+)", repository())
    if not match:
        raise ValueError(f"binder/repository: {repository()!r} is not a GitHub address gh/ACCOUNT/REPOSITORY/BRANCH")
    account, name, branch = match.groups()
    query = {"repo": f"https://github.com/{account}/{name}", "urlpath": f"lab/tree/{name}/notebooks/{notebook}"}
    if branch != "HEAD":  # HEAD: the repository's default branch, which nbgitpuller finds by itself
        query["branch"] = branch
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{urlencode(query, quote_via=quote)}"


def notebooks() -> list:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _with_badge(text: str, wanted: str, after_title: bool) -> str:
    if BADGE_RE.search(text):
        return BADGE_RE.sub(lambda _: wanted, text, count=1)
    if after_title:  # a notebook without a badge yet: put it on the line after the title
        lines = text.split("\n")
        return "\n".join(lines[:1] + ["", wanted] + lines[1:])
    return text


def update(check: bool = False) -> list:
    """Bring every badge up to date (or, with check, only list the files that are not)."""
    stale = []
    first = notebooks()[0].name if notebooks() else "00_why_activation_functions.ipynb"
    readme = ROOT / "README.md"
    text = readme.read_text()
    new = _with_badge(text, badge(first), after_title=False)
    if new != text or not BADGE_RE.search(text):
        stale.append(readme)
        if not check and BADGE_RE.search(text):
            readme.write_text(new)
    for path in notebooks():
        nb = json.loads(path.read_text())
        cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
        source = "".join(cell["source"])
        new = _with_badge(source, badge(path.name), after_title=True)
        if new != source:
            stale.append(path)
            if not check:
                cell["source"] = new.splitlines(keepends=True)
                path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return stale


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--nbgitpuller":
        print(nbgitpuller_link(sys.argv[2]))
        sys.exit(0)
    checking = "--check" in sys.argv
    out_of_date = update(check=checking)
    for path in out_of_date:
        print(f"{'out of date' if checking else 'updated'}: {path.relative_to(ROOT)}")
    sys.exit(1 if checking and out_of_date else 0)

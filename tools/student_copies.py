"""Student copies of the course notebooks: every solution removed, everything else kept.

    .venv/bin/python tools/student_copies.py student      # or: make student

A solution is a markdown `<details>` block (the course puts every solution in
one, collapsed). Each block is replaced by a one-line note, so a student sees
where a solution would be. Code cells are copied unchanged, so every "Check
yourself" cell still calls the same check from `acts.exercises` and gives the
same verdict; stored outputs are kept, so the figures show before a first run.
The copies go to the folder given (created, and emptied first).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTE = "*(The solution is not part of the student copy: ask your instructor.)*"
DETAILS = re.compile(r"<details\b.*?</details>", re.DOTALL | re.IGNORECASE)


def strip_solutions(text: str) -> tuple[str, int]:
    """The markdown with every <details> block replaced by NOTE, and how many were replaced."""
    return DETAILS.subn(NOTE, text)


def student_copy(source: Path, target: Path) -> int:
    """Write the student copy of one notebook; return the number of solutions removed."""
    nb = nbformat.read(source, as_version=4)
    removed = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source, n = strip_solutions(cell.source)
            removed += n
    nbformat.write(nb, target)
    return removed


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: student_copies.py OUTPUT_FOLDER", file=sys.stderr)
        return 2
    out = Path(argv[0])
    if out.resolve() in (ROOT.resolve(), (ROOT / "notebooks").resolve()):
        print(f"student_copies.py: refusing to write into {out}: choose a new folder", file=sys.stderr)
        return 2
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0
    for nb in notebooks:
        n = student_copy(nb, out / nb.name)
        total += n
        print(f"{nb.name:<40} {n} solution(s) removed")
    # The copies import acts; a student folder moved elsewhere needs `pip install <course>`.
    print(f"{len(notebooks)} student notebooks in {out}/ ({total} solutions removed); "
          f"they need the course's environment (make lab, or pip install -e . from the course folder)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

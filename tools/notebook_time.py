"""How long a notebook takes a learner working alone: the course's one estimate, and the time each notebook states.

    .venv/bin/python tools/notebook_time.py                 # a table for every notebook
    .venv/bin/python tools/notebook_time.py notebooks/01_saturated.ipynb

The estimate (COURSE.md, "One slot per notebook"), for the core and, apart, for the optional cells:

    words in markdown / 150  +  0.5 min per code cell  +  3 min per explorer  +  4 min per exercise

* **core / optional**: a cell tagged ``optional`` in its metadata (``"tags": ["optional"]``) counts
  towards the optional estimate, every other cell towards the core;
* **words**: whitespace-separated tokens with a letter or digit in them, in markdown cells, after
  dropping HTML tags, link targets and image paths. Solutions in ``<details>`` blocks count: a
  learner reads them after trying. LaTeX counts token by token (reading a formula takes time);
* **code cell**: every code cell, the setup cell included;
* **explorer**: a code cell that calls ``widgets.explore``, ``widgets.compare``, ``widgets.depth``,
  or any function whose name starts with ``explore`` or ends in ``_explorer`` (the experiment
  modules' explorers: ``explore_quantisation``, ``relu_sum_explorer``). Each such cell counts once.
  A widget in the stored outputs is not enough: progress bars are widgets too;
* **exercise**: a call of an exercise check, ``ex.<name>(...)`` (``ex`` or whatever name the notebook
  imports an ``acts.exercises`` module as), in a code cell; a "Check yourself" heading with no such
  call below it (before the next heading of its level or higher) counts as one.

The stated time is read from the first cell: "**Time**: about 40 minutes", "**Time:** 40 min",
"40-45 minutes" (the midpoint). The bars (tests/test_notebook_time.py): core estimate at most 45
minutes; stated time within 25% of the core estimate.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_MINUTE = 150
CODE_CELL, EXPLORER, EXERCISE = 0.5, 3.0, 4.0
CORE_LIMIT, STATED_TOLERANCE = 45.0, 0.25

_TAG = re.compile(r"<[^>]+>")
_LINK_TARGET = re.compile(r"(!?\[[^\]]*\])\([^)]*\)")
_WORD = re.compile(r"\S*[A-Za-z0-9]\S*")
_EXPLORER_CALL = re.compile(r"\bwidgets\.(explore|compare|depth)\s*\(|\bexplore\w*\s*\(|\w*_explorer\s*\(")
_EXERCISE_IMPORT = re.compile(r"from\s+acts\.exercises\s+import\s+(\w+)(?:\s+as\s+(\w+))?")
_CHECK_HEADING = re.compile(r"^(#+)\s*check yourself", re.I | re.M)
_HEADING = re.compile(r"^(#+)\s", re.M)
_STATED = re.compile(r"\*\*Time:?\*\*:?[^0-9\n]{0,30}?(\d+)(?:\s*(?:-|–|to)\s*(\d+))?\s*min", re.I)


@dataclass
class Part:
    """The counts of one part of a notebook (the core or the optional cells) and their minutes."""

    words: int = 0
    code_cells: int = 0
    explorers: int = 0
    exercises: int = 0

    @property
    def minutes(self) -> float:
        return (self.words / WORDS_PER_MINUTE + CODE_CELL * self.code_cells + EXPLORER * self.explorers
                + EXERCISE * self.exercises)


@dataclass
class Estimate:
    name: str
    core: Part
    optional: Part
    stated: float | None  # minutes, as the first cell says; None when it says none

    @property
    def suggested(self) -> int:
        """The core estimate rounded to the nearest 5 minutes: what the first cell should state."""
        return int(5 * round(self.core.minutes / 5))

    def stated_ok(self) -> bool:
        return self.stated is not None and abs(self.stated - self.core.minutes) <= STATED_TOLERANCE * self.core.minutes


def is_optional(cell) -> bool:
    return "optional" in cell.get("metadata", {}).get("tags", [])


def count_words(markdown: str) -> int:
    text = _LINK_TARGET.sub(r"\1", _TAG.sub(" ", markdown))
    return len(_WORD.findall(text))


def is_explorer(cell) -> bool:
    if cell["cell_type"] != "code":
        return False
    return bool(_EXPLORER_CALL.search("".join(cell["source"])))


def exercise_aliases(cells) -> set:
    """The names a notebook gives its exercise modules (``from acts.exercises import ex01_saturated as ex``)."""
    found = {"ex"}
    for cell in cells:
        if cell["cell_type"] == "code":
            found |= {m.group(2) or m.group(1) for m in _EXERCISE_IMPORT.finditer("".join(cell["source"]))}
    return found


def exercise_calls(cell, aliases=frozenset({"ex"})) -> int:
    """The exercise checks a code cell calls: ``ex.saturation_bound(answer)`` and the like."""
    if cell["cell_type"] != "code":
        return 0
    names = "|".join(sorted(map(re.escape, aliases)))
    return len(re.findall(rf"(?<![\w.])(?:{names})\.[a-z]\w*\s*\(", "".join(cell["source"])))


def _uncalled_check_headings(cells, aliases) -> list[int]:
    """Indexes of "Check yourself" headings with no exercise call in their section (each counts as one)."""
    found = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        match = _CHECK_HEADING.search(source)
        if not match:
            continue
        level = len(match.group(1))
        calls = 0
        for later in cells[i + 1:]:
            text = "".join(later["source"]) if later["cell_type"] == "markdown" else ""
            if any(len(h) <= level for h in _HEADING.findall(text)):
                break
            calls += exercise_calls(later, aliases)
        if calls == 0:
            found.append(i)
    return found


def first_cell_time(nb) -> float | None:
    """The minutes the first markdown cell states, or None."""
    cells = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    if not cells:
        return None
    match = _STATED.search("".join(cells[0]["source"]))
    if not match:
        return None
    low, high = float(match.group(1)), match.group(2)
    return (low + float(high)) / 2 if high else low


def estimate(path) -> Estimate:
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    core, optional = Part(), Part()
    aliases = exercise_aliases(nb["cells"])
    uncalled = set(_uncalled_check_headings(nb["cells"], aliases))
    for i, cell in enumerate(nb["cells"]):
        part = optional if is_optional(cell) else core
        if cell["cell_type"] == "markdown":
            part.words += count_words("".join(cell["source"]))
            part.exercises += i in uncalled
        elif cell["cell_type"] == "code":
            part.code_cells += 1
            part.explorers += is_explorer(cell)
            part.exercises += exercise_calls(cell, aliases)
    return Estimate(path.stem, core, optional, first_cell_time(nb))


def table(paths) -> str:
    head = (f"{'notebook':34s} {'words':>6s} {'code':>5s} {'expl':>5s} {'ex':>3s} {'core':>6s} "
            f"{'optional':>8s} {'stated':>6s} {'say':>4s}  verdict")
    lines = [head, "-" * len(head)]
    for path in paths:
        e = estimate(path)
        stated = "none" if e.stated is None else f"{e.stated:g}"
        verdicts = []
        if e.core.minutes > CORE_LIMIT:
            verdicts.append(f"core over {CORE_LIMIT:g}")
        if not e.stated_ok():
            verdicts.append("stated time off by more than 25%" if e.stated is not None else "no stated time")
        lines.append(f"{e.name:34s} {e.core.words:6d} {e.core.code_cells:5d} {e.core.explorers:5d} "
                     f"{e.core.exercises:3d} {e.core.minutes:6.1f} {e.optional.minutes:8.1f} {stated:>6s} "
                     f"{e.suggested:4d}  {'; '.join(verdicts) or 'ok'}")
    lines.append("(words, code cells, explorers and exercises of the core; minutes for core and optional; "
                 "say: the core estimate to the nearest 5 minutes, for the first cell)")
    return "\n".join(lines)


def main(argv) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(table(paths))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

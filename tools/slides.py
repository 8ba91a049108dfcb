"""Slide metadata for every notebook, from rules: one deterministic pass, so decks never drift.

    .venv/bin/python tools/slides.py notebooks/*.ipynb          # rewrite each notebook's slideshow metadata
    .venv/bin/python tools/slides.py --check notebooks/*.ipynb  # exit 1 and list the cells that differ

Only ``cell.metadata["slideshow"]["slide_type"]`` changes; sources, outputs and
every other key stay as they are. tests/test_slides.py checks that every
notebook's metadata equals what this tool gives, and measures the decks.

The rules, applied to the cells in order:

1. A markdown cell that begins with a ``#`` or ``##`` heading starts a *slide*.
2. A solution (a markdown cell that begins with ``<details>``) is *skip*, and so
   is the setup cell (the first code cell, before the first ``##`` heading):
   neither belongs on a projector.
3. A markdown cell that begins with a ``###`` heading, or with a bold lead-in
   (``**Explore.**``, ``**Optional: ...**``), starts a *subslide*; so does the
   first cell of a run of cells tagged ``optional`` (going-further material
   stays on slides of its own, after the core).
4. Anything else continues the current slide, unless the slide would grow
   taller than the slide area (``BUDGET`` of reveal.js's 700 px, by the
   estimate in ``estimate_height``): then it starts a *subslide*. A code cell
   whose output is a figure, coming right after the markdown that introduces
   it, is a *fragment* (the question first, then the picture).

The notebook's ``rise`` metadata gets ``{"scroll": true}``: in the live slideshow (RISE) a slide
taller than the window scrolls (RISE cannot split or zoom a slide; notebooks/rise.css, which it loads by itself,
sets tables compactly and caps stored figures, so few do). The handout decks (tools/make_slides.py) start from
these slide types, then give long outputs slides of their own and fit every slide; speaker notes are not stored
in the notebooks: tools/make_slides.py adds them to the decks from the instructor guide.
"""

from __future__ import annotations

import argparse
import base64
import re
import struct
import sys
from pathlib import Path

import nbformat

#: reveal.js's slide area in the nbconvert template (px) and the share of it a slide may fill
SLIDE_HEIGHT = 700
BUDGET = 620
#: rendering constants of nbconvert's reveal template (20 px text, 19 px code), measured in Chromium
TEXT_LINE, TEXT_CHARS, CODE_LINE, OUT_LINE, TABLE_ROW, CODE_CHARS = 30, 82, 24, 24, 38, 72
CELL_GAP, FIGURE_WIDTH = 22, 830
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
LEAD_IN = re.compile(r"^\s*\*\*[^*\n]{1,80}?[.:]?\*\*")


def _png_size(data: str) -> tuple[int, int]:
    raw = base64.b64decode(data[:64] + "=" * (-len(data[:64]) % 4))
    width, height = struct.unpack(">II", raw[16:24])
    return width, height


def text_height(text: str) -> int:
    """Estimated height (px) of a markdown text at the deck's 20 px font."""
    height, in_math = 0, False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("$$"):
            in_math = not (in_math or stripped.count("$$") >= 2)
            height += 56 if not in_math else 0
            continue
        if in_math:
            continue
        if not stripped:
            height += 12
        elif stripped.startswith("# "):
            height += 110
        elif stripped.startswith("## "):
            height += 80
        elif stripped.startswith("#"):
            height += 56
        elif stripped.startswith("|"):
            height += 0 if set(stripped) <= set("|-: ") else _row_height(stripped)
        else:
            visible = re.sub(r"\]\([^)]*\)|<[^>]+>|[*`$\\]", "", stripped)
            height += TEXT_LINE * (1 + len(visible) // TEXT_CHARS)
    return height


def _row_height(row: str) -> int:
    """A table row: as tall as its longest cell wraps, each column getting an equal share of the width."""
    cells = [re.sub(r"\]\([^)]*\)|<[^>]+>|[*`$\\]", "", c).strip() for c in row.strip().strip("|").split("|")]
    per_column = max(8, TEXT_CHARS * 1.15 / max(1, len(cells)))
    return 8 + int(TEXT_LINE * max(1 + len(c) // per_column for c in cells))


def _wrapped_lines(text: str, width: int = CODE_CHARS) -> int:
    """Lines of code or output text as the deck shows them (long lines wrap)."""
    return sum(1 + len(line) // width for line in text.rstrip("\n").split("\n"))


def estimate_height(cell) -> int:
    """Estimated height (px) of a cell in a deck of the nbconvert reveal template."""
    if cell["cell_type"] == "markdown":
        return text_height("".join(cell["source"])) + CELL_GAP
    source = "".join(cell["source"])
    height = CODE_LINE * _wrapped_lines(source) + 20 if source.strip() else 0
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if out.get("output_type") == "stream":
            height += OUT_LINE * _wrapped_lines("".join(out.get("text", ""))) + 10
        elif "image/png" in data:
            width, h = _png_size(data["image/png"])
            height += int(h * min(1.0, FIGURE_WIDTH / width)) + 10
        elif WIDGET_VIEW in data:
            height += 360  # the explorer's static figure stands in for it in the decks
        elif "text/markdown" in data:
            height += text_height("".join(data["text/markdown"]))
        elif "text/html" in data:
            height += TABLE_ROW * "".join(data["text/html"]).count("<tr")
        elif "text/plain" in data:
            height += OUT_LINE * (1 + "".join(data["text/plain"]).count("\n"))
    return height + CELL_GAP


def _is_figure(cell) -> bool:
    outs = cell.get("outputs", [])
    return bool(outs) and all("image/png" in o.get("data", {}) or WIDGET_VIEW in o.get("data", {}) for o in outs)


def slide_types(cells) -> list[str]:
    """The slide type of each cell (``slide``, ``subslide``, ``fragment``, ``-`` or ``skip``), by the rules above."""
    types, used, seen_section, seen_code, previous_optional, previous = [], 0, False, False, False, None
    for cell in cells:
        source = "".join(cell["source"]).lstrip()
        optional = "optional" in cell.get("metadata", {}).get("tags", [])
        markdown = cell["cell_type"] == "markdown"
        height = estimate_height(cell)
        if markdown and re.match(r"#{1,2} ", source):
            kind = "slide"
            seen_section = seen_section or source.startswith("## ")
        elif markdown and source.startswith("<details"):
            kind = "skip"
        elif cell["cell_type"] == "code" and not seen_code and not seen_section:
            kind = "skip"
        elif markdown and (source.startswith("###") or LEAD_IN.match(source)):
            kind = "subslide"
        elif optional and not previous_optional:
            kind = "subslide"
        elif used + height > BUDGET and used > 0:
            kind = "subslide"
        elif cell["cell_type"] == "code" and previous is not None and previous["cell_type"] == "markdown" \
                and _is_figure(cell):
            kind = "fragment"
        else:
            kind = "-"
        if cell["cell_type"] == "code":
            seen_code = True
        if kind in ("slide", "subslide"):
            used = height
        elif kind != "skip":
            used += height
        if kind != "skip":
            previous_optional, previous = optional, cell
        types.append(kind)
    return types


def current_types(cells) -> list[str]:
    return [c.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") for c in cells]


#: the live slideshow's settings (RISE reads them from the notebook's metadata): a long slide scrolls
RISE = {"scroll": True}


def apply(nb: dict) -> dict:
    """Set every cell's slide type by the rules, and RISE's settings (in place); return the notebook."""
    for cell, kind in zip(nb["cells"], slide_types(nb["cells"])):
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": kind}
    nb.setdefault("metadata", {})["rise"] = dict(RISE)
    return nb


def differences(nb: dict) -> list[str]:
    """One line per cell whose stored slide type differs from the rules' ('' when in sync)."""
    lines = []
    for i, (cell, have, want) in enumerate(zip(nb["cells"], current_types(nb["cells"]), slide_types(nb["cells"]))):
        if have != want:
            first = "".join(cell["source"]).strip().split("\n")[0][:50]
            lines.append(f"cell {i} ({cell['cell_type']}, {first!r}): {have} -> {want}")
    if nb.get("metadata", {}).get("rise") != RISE:
        lines.append(f"notebook metadata 'rise': {nb.get('metadata', {}).get('rise')} -> {RISE}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if any notebook differs")
    args = parser.parse_args(argv)
    stale = 0
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        diff = differences(nb)
        if args.check:
            for line in diff:
                print(f"{path}: {line}")
            stale += bool(diff)
            continue
        if diff:
            apply(nb)
            nbformat.write(nb, path)
        print(f"{path}: {len(diff)} cells changed")
    if args.check and stale:
        print(f"{stale} notebook(s) out of date: run .venv/bin/python tools/slides.py notebooks/*.ipynb")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

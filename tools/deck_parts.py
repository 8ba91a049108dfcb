"""Long outputs on slides of their own in the handout decks (tools/make_slides.py; the notebooks are not touched).

A code cell that tools/slides.py estimates taller than OWN_SLIDE keeps its code where it is and shows its outputs
on sub-slides of their own: a long Markdown table is cut between rows (its header repeated on each part), a
Markdown list between items, a printout between lines, so that each part is estimated at most PART px at
tools/deck.css's sizes; the parts after the first say "continued (k of n)". tools/deck_fit.js then zooms any
slide that still comes out taller than reveal.js's 700 px (not below 0.75), and tests/test_slides.py measures
every slide in Chromium.
"""

from __future__ import annotations

import copy
import math
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import slides  # noqa: E402 - tools/ is not a package

#: a code cell estimated taller than this (by tools/slides.py) shows its output on slides of its own, after its code
OWN_SLIDE = 820
#: the estimated height of one part of an output on a slide of its own; deck_fit.js zooms a part that comes out
#: taller (down to its MIN_ZOOM, 0.75): so a part may be up to a third taller than estimated and still fit
PART = 660
#: deck.css's layout for an output on a slide of its own: characters per line and line heights (px)
TEXT_CHARS, TEXT_LINE = 92, 21      # output text, 16 px monospace
TABLE_CHARS, TABLE_LINE = 120, 19   # tables, 16 px
LIST_CHARS, LIST_LINE = 88, 25      # list items, 18 px
OWN_TAG = "deck-output"


def _plain(text: str) -> str:
    return re.sub(r"\]\([^)]*\)|<[^>]+>|[*`$\\\[]", "", text).strip()


def _table_cells(row: str) -> list[str]:
    return [_plain(c) for c in re.split(r"(?<!\\)\|", row.strip().strip("|"))]


def table_row_heights(rows: list[str]) -> list[int]:
    """Estimated height (px) of each row of a Markdown table (header first, no separator row) at deck.css's
    16 px: columns get widths as a browser's automatic table layout gives them (each its longest content when
    all fit, else its longest word plus a share of the rest in proportion to what it lacks)."""
    table = [_table_cells(r) for r in rows]
    ncol = max(len(r) for r in table)
    table = [r + [""] * (ncol - len(r)) for r in table]
    longest = [max(len(r[j]) for r in table) for j in range(ncol)]
    word = [max([len(w) for r in table for w in r[j].split()] or [1]) for j in range(ncol)]
    room = TABLE_CHARS - 1.5 * ncol
    if sum(longest) <= room:
        widths = longest
    else:
        spare, lacking = max(0.0, room - sum(word)), max(1, sum(longest) - sum(word))
        widths = [w + spare * (lo - w) / lacking for w, lo in zip(word, longest)]
    def lines(text: str, width: float) -> int:  # wrapping between words loses about a tenth of a line's room
        return 1 if len(text) <= width else math.ceil(1.1 * len(text) / max(1.0, width))

    return [7 + TABLE_LINE * max(lines(c, w) for c, w in zip(r, widths)) for r in table]


def _balanced(heights: list[int], limit: int = PART) -> list[int]:
    """Where to cut a run of items of these heights into the fewest parts of at most `limit` (px) each, as even
    as possible: the start index of each part after the first."""
    total = sum(heights)
    parts = max(1, math.ceil(total / limit))
    while True:
        target = min(limit, math.ceil(total / parts))
        for stretch in range(0, limit - target + 1, 10):
            cuts, used = [], 0
            for i, h in enumerate(heights):
                if used and used + h > target + stretch:
                    cuts.append(i)
                    used = 0
                used += h
            if len(cuts) < parts:
                return cuts
        parts += 1


#: an output's own padding and margins on its slide (px), as part_height counts them
MARGIN = 16


def _pieces(items: list[str], heights: list[int], limit: int = PART - MARGIN) -> list[list[str]]:
    cuts = [0, *_balanced(heights, limit), len(items)]
    return [items[a:b] for a, b in zip(cuts, cuts[1:])]


def split_output(out) -> list:
    """One output as the parts it is shown in on slides of its own: a Markdown table's rows (header repeated),
    a Markdown list's items or a printout's lines, each part estimated at most PART px; anything else whole."""
    data = out.get("data", {})
    if out.get("output_type") == "stream":
        lines = "".join(out.get("text", "")).rstrip("\n").split("\n")
        heights = [TEXT_LINE * max(1, math.ceil(len(line) / TEXT_CHARS)) for line in lines]
        return [nbformat.v4.new_output("stream", name=out.get("name", "stdout"), text="\n".join(part) + "\n")
                for part in _pieces(lines, heights)]
    if "text/markdown" in data:
        lines = "".join(data["text/markdown"]).rstrip("\n").split("\n")
        rows = [i for i, line in enumerate(lines) if line.lstrip().startswith("|")]
        if len(rows) > 3 and rows == list(range(rows[0], rows[-1] + 1)):
            before, header, body, after = lines[:rows[0]], lines[rows[0]:rows[0] + 2], \
                lines[rows[0] + 2:rows[-1] + 1], lines[rows[-1] + 1:]
            heights = table_row_heights([header[0], *body])
            parts = _pieces(body, heights[1:], PART - MARGIN - heights[0]) if sum(heights) > PART - MARGIN \
                else [body]
            texts = ["\n".join(header + part) for part in parts]
            texts[0], texts[-1] = "\n".join(before + [texts[0]]), "\n".join([texts[-1]] + after)
        elif lines and all(line.startswith(("- ", "* ")) for line in lines):
            heights = [LIST_LINE * max(1, math.ceil(len(_plain(line)) / LIST_CHARS)) + 4 for line in lines]
            texts = ["\n".join(part) for part in _pieces(lines, heights)]
        else:
            return [out]
        return [nbformat.v4.new_output("display_data", data={"text/markdown": text}) for text in texts]
    return [out]


def part_height(out) -> int:
    """Estimated height (px) of one output on a slide of its own, by deck.css's layout (as ``split_output``)."""
    data = out.get("data", {})
    if out.get("output_type") == "stream":
        lines = "".join(out.get("text", "")).rstrip("\n").split("\n")
        return MARGIN + sum(TEXT_LINE * max(1, math.ceil(len(line) / TEXT_CHARS)) for line in lines)
    text = "".join(data.get("text/markdown", ""))
    rows = [line for line in text.split("\n") if line.lstrip().startswith("|")]
    if len(rows) > 2:
        return MARGIN + sum(table_row_heights([rows[0], *rows[2:]])) + slides.text_height(
            "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("|")))
    if text and all(line.startswith(("- ", "* ")) for line in text.rstrip("\n").split("\n")):
        return MARGIN + sum(LIST_LINE * max(1, math.ceil(len(_plain(line)) / LIST_CHARS)) + 4
                        for line in text.rstrip("\n").split("\n"))
    if "image/png" in data:
        return 410
    return slides.estimate_height(nbformat.v4.new_code_cell(source="", outputs=[out])) - slides.CELL_GAP


def _continued(number: int, total: int):
    note = f"continued ({number} of {total})"
    return nbformat.v4.new_output("display_data", data={"text/html": f'<p class="deck-continued">{note}</p>'})


def own_slides(nb):
    """A code cell estimated taller than OWN_SLIDE (by tools/slides.py) shows its outputs on sub-slides of their
    own after its code: long ones split by ``split_output`` (each later part captioned "continued (k of n)"),
    packed in order into parts of at most PART px. The first part stays with the code when both fit on the
    code's slide. A part on a slide of its own hides the code (tag OWN_TAG for deck.css). Run after
    ``slides.apply`` (it reads the slide types)."""
    cells, used = [], 0
    for cell in nb.cells:
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")
        height = slides.estimate_height(cell)
        if kind != "skip":
            used = height if kind in ("slide", "subslide") else used + height
        if cell.cell_type != "code" or kind == "skip" or height <= OWN_SLIDE:
            cells.append(cell)
            continue
        code_only = copy.deepcopy(cell)
        code_only.outputs = []
        used += slides.estimate_height(code_only) - height  # the slide so far, with this cell's code only
        pieces = []
        for out in cell.outputs:
            split = split_output(out)
            for number, piece in enumerate(split, 1):
                pieces.append([_continued(number, len(split)), piece] if number > 1 else [piece])
        groups, room = [[]], max(0, slides.BUDGET - used)  # group 0 stays with the code
        for piece in pieces:
            height = sum(part_height(p) for p in piece)
            if height > room:
                groups.append([])
                room = PART
            groups[-1].extend(piece)
            room -= height
        code_only.outputs = groups[0]
        cells.append(code_only)
        for number, group in enumerate(groups[1:], 1):
            part = copy.deepcopy(cell)
            part.outputs = group
            if "id" in part:
                part.id = f"{cell.id}-{number}"[:64]
            part.metadata["slideshow"] = {"slide_type": "subslide"}
            part.metadata["tags"] = [*cell.metadata.get("tags", []), OWN_TAG]
            part.metadata["transient"] = {"remove_source": True}
            cells.append(part)
    nb.cells = cells
    return nb

"""One Markdown table writer for the experiment modules' tables (notebooks show them with ``IPython.display.Markdown``).

>>> print(markdown_table(["a", "b"], [[1, "x | y"]]))
| a | b |
|---|---|
| 1 | x \\| y |
"""

from __future__ import annotations


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(head, rows) -> str:
    """A Markdown table from a header and rows of cells; pipes inside cells are escaped, newlines become spaces."""
    lines = ["| " + " | ".join(map(_cell, head)) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(map(_cell, row)) + " |" for row in rows])

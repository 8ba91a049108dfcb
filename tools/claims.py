"""Write docs/claims.md, the ledger of the source notes' claims, from acts/claims.json; check its links.

    .venv/bin/python tools/claims.py            # rewrite docs/claims.md
    .venv/bin/python tools/claims.py --check    # exit 1 if docs/claims.md is stale or a link is broken
    .venv/bin/python tools/claims.py --links    # list the links that do not resolve, with suggestions
    .venv/bin/python tools/claims.py --retarget # move each broken link to the one heading with the same
                                                # text elsewhere (after a section moved or was renumbered)

A claim's ``section`` is ``notebooks/NN_name.ipynb#Anchor``. Anchors follow JupyterLab and nbconvert:
the heading's visible text with every space replaced by "-" (case, punctuation and "·" kept;
inline code, emphasis and link markup removed, HTML entities decoded). LaTeX stays as typed
(``$\\beta$``): JupyterLab sets the ids before it typesets the math.
"""

from __future__ import annotations

import difflib
import html
import json
import re
import sys
from pathlib import Path
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "acts" / "claims.json"
OUT = ROOT / "docs" / "claims.md"

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def anchor(heading: str) -> str:
    """The anchor JupyterLab gives a markdown heading (math is kept as typed: ids are set before typesetting)."""
    parts = re.split(r"(\$[^$]*\$)", heading)
    for i in range(0, len(parts), 2):  # the text between math spans
        text = _LINK.sub(r"\1", parts[i])
        text = re.sub(r"`([^`]*)`", r"\1", text)
        text = re.sub(r"\*\*|__|\*", "", text)
        parts[i] = html.unescape(_TAGS.sub("", text))
    return "".join(parts).strip().replace(" ", "-")


_TAGS = re.compile(r"<[^>]+>")


def headings(path: Path) -> list[tuple[str, str]]:
    """(heading text, anchor) for every markdown heading of a notebook, in order."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = _FENCE.sub("", "".join(cell["source"]))
            found += [(m.group(2), anchor(m.group(2))) for m in _HEADING.finditer(text)]
    return found


def notebook_anchors(root: Path = ROOT) -> dict[str, set]:
    """{"notebooks/NN_name.ipynb": {anchors}} for every notebook."""
    return {f"notebooks/{p.name}": {a for _, a in headings(p)}
            for p in sorted((root / "notebooks").glob("*.ipynb"))}


def titles(root: Path = ROOT) -> dict[str, str]:
    """{"notebooks/NN_name.ipynb#anchor": heading text} for every notebook heading (for link labels)."""
    return {f"notebooks/{p.name}#{a}": text for p in sorted((root / "notebooks").glob("*.ipynb"))
            for text, a in headings(p)}


def load(path: Path = DATA) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["claims"]


def split(section: str) -> tuple[str, str]:
    path, _, frag = section.partition("#")
    return path, unquote(frag)


def broken_links(claims: list[dict], anchors: dict[str, set]) -> list[dict]:
    """The claims whose section does not resolve to an existing notebook heading."""
    out = []
    for claim in claims:
        if not claim["section"]:
            continue
        path, frag = split(claim["section"])
        if path not in anchors or frag not in anchors[path]:
            out.append(claim)
    return out


def _unnumbered(frag: str) -> str:
    """An anchor without its leading section number ("6-·-Swish" -> "Swish")."""
    return re.sub(r"^\d+-·-", "", frag)


def suggestion(section: str, anchors: dict[str, set]) -> str | None:
    """The one heading elsewhere with the same text (numbers aside), else the closest anchor, else None."""
    _, frag = split(section)
    same = [f"{p}#{a}" for p, found in anchors.items() for a in found if _unnumbered(a) == _unnumbered(frag)]
    if len(same) == 1:
        return same[0]
    everything = [f"{p}#{a}" for p, found in anchors.items() for a in found]
    close = difflib.get_close_matches(section, everything, n=1, cutoff=0.6)
    return close[0] if close else None


# ---------------------------------------------------------------- the document

_INTRO = """\
# The source notes' claims, checked

The course grew from one learner's study notes on activation functions ("the source notes":
for each function a formula, some NumPy code, and lists of advantages and shortcomings). This
ledger lists every claim they make, in our words, with a verdict and the notebook section
where a computation shows it. Notebooks print the same rows with `acts.claims.show(id)`.

Verdicts:

- **holds**: a computation in the course confirms it;
- **holds with conditions**: true only in part, or only under conditions the notes do not state;
- **wrong**: a computation in the course contradicts it;
- **not testable at this scale**: a claim about large models or data that the course's small
  experiments cannot settle (the reason says what they do show).

This file is generated from `acts/claims.json` by `tools/claims.py`; edit the data file, then
run `.venv/bin/python tools/claims.py`. A test keeps the two in step and checks every link.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _link(section: str, known: dict) -> str:
    if not section:
        return "(not shown yet)"
    path, frag = split(section)
    name = Path(path).stem.split("_")[0]
    label = known.get(f"{path}#{frag}") or frag.replace("---", " - ").replace("-", " ")
    return f"[{name} · {_cell(label)}](../{path}#{_escape(frag)})"


def _escape(frag: str) -> str:
    """Percent-encode only what would break a markdown link or a table cell; keep the anchor readable."""
    return "".join(quote(ch, safe="") if ch in '%|()<>"\\` ' else ch for ch in frag)


def render(claims: list[dict], known: dict | None = None) -> str:
    """The ledger as markdown; ``known`` maps sections to heading texts (the link labels)."""
    known = titles() if known is None else known
    counts = {v: sum(c["verdict"] == v for c in claims) for v in
              ("holds", "holds with conditions", "wrong", "not testable at this scale")}
    linked = sum(bool(c["section"]) for c in claims)
    lines = [_INTRO, f"{len(claims)} claims, {linked} linked to a notebook section: "
             + ", ".join(f"{n} {v}" for v, n in counts.items()) + ".", ""]
    function = None
    for claim in claims:
        if claim["function"] != function:
            function = claim["function"]
            lines += ["", f"## {function}", "", "| id | part | the notes say | verdict | why | shown in |",
                      "|---|---|---|---|---|---|"]
        lines.append(f"| `{claim['id']}` | {claim['kind']} | {_cell(claim['claim'])} | **{claim['verdict']}** | "
                     f"{_cell(claim['reason'])} | {_link(claim['section'], known)} |")
    return "\n".join(lines) + "\n"


def main(argv) -> int:
    claims = load()
    anchors = notebook_anchors()
    broken = broken_links(claims, anchors)
    if "--links" in argv or "--retarget" in argv:
        moved = 0
        for claim in broken:
            better = suggestion(claim["section"], anchors)
            print(f"{claim['id']}: {claim['section']}  ->  {better or 'no suggestion'}")
            if "--retarget" in argv and better and _unnumbered(split(better)[1]) == \
                    _unnumbered(split(claim["section"])[1]):
                claim["section"] = better
                moved += 1
        if "--retarget" in argv and moved:
            DATA.write_text(json.dumps({"claims": claims}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            OUT.write_text(render(claims), encoding="utf-8")
            print(f"moved {moved} link(s); rewrote {DATA.relative_to(ROOT)} and {OUT.relative_to(ROOT)}")
        print(f"{len(broken)} of {sum(bool(c['section']) for c in claims)} links broken")
        return 0
    text = render(claims)
    if "--check" in argv:
        stale = not OUT.exists() or OUT.read_text(encoding="utf-8") != text
        if stale:
            print(f"{OUT.relative_to(ROOT)} is out of date: run .venv/bin/python tools/claims.py")
        for claim in broken:
            print(f"broken link: {claim['id']}: {claim['section']}")
        return 1 if stale or broken else 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(claims)} claims; {len(broken)} broken link(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

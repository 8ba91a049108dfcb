"""The course as a static website: an index and one page per notebook (`make site`).

    .venv/bin/python tools/make_site.py site

What it writes into the folder given (emptied first):

- ``index.html``: the README, rendered;
- ``notebooks/<notebook>.html``: each notebook as stored (outputs included:
  every figure is a PNG inside the page), with each explorer replaced by a
  short note: the static figure above it is the explorer's default view;
- every page or file those pages link to, at the same path as in the
  repository: markdown (the instructor guide, the ledger of the notes'
  claims, ...) rendered as a page, anything else (images, source files,
  licences) copied.

Links are rewritten to the pages (``.ipynb`` and ``.md`` become ``.html``), so the
site can be published on any static host or uploaded to a
learning platform as a folder. Formulas are typeset by MathJax, which the
pages load from its public CDN (as nbconvert's pages do): a reader needs a
network connection for the formulas, not for anything else.
"""

from __future__ import annotations

import copy
import html
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote

import mistune
import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
EXPLORER_NOTE = ("*Interactive explorer: open this notebook in JupyterLab (locally or on Binder) and run it to "
                 "move its sliders. The figure above shows its default view.*")
LINK = re.compile(r'((?:href|src)=")([^"#:?]+)(#[^"]*)?"')
MATHJAX = "https://cdn.jsdelivr.net/npm/mathjax@2.7.7/MathJax.js?config=TeX-AMS_CHTML-full,Safe"


PROGRESS = ("IntProgress(", "FloatProgress(")  # a progress bar's text: nothing to show once the run is over
FIGURE_NOTE = "*Static view of the explorer: run the notebook in JupyterLab to move its sliders.*"


def static_notebook(nb, figures=False):
    """A copy of the notebook without widget outputs (no widget state is stored).

    A progress bar is dropped. An explorer becomes a note that the figure above is its default
    view; with ``figures`` (the handout decks, tools/make_slides.py), a copy of that figure (the
    last one shown before it in the same section) and a one-line caption, so the explorer's
    slide is not empty; with no figure in its section, the note.
    """
    nb = copy.deepcopy(nb)
    last_figure = None
    for cell in nb.cells:
        if cell.cell_type == "markdown" and re.match(r"#{1,2} ", cell.source):
            last_figure = None  # a new section: the figure before it is not this explorer's
        if cell.cell_type != "code":
            continue
        kept, explorer = [], False
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                explorer = explorer or not str(data.get("text/plain", "")).startswith(PROGRESS)
                continue
            kept.append(out)
            if "image/png" in data:
                last_figure = out
        if explorer and figures and last_figure is not None:
            figure = copy.deepcopy(last_figure)
            figure["output_type"], figure["metadata"] = "display_data", figure.get("metadata", {})
            figure.pop("execution_count", None)
            kept += [nbformat.from_dict(figure),
                     nbformat.v4.new_output("display_data", data={"text/markdown": FIGURE_NOTE})]
        elif explorer:
            kept.append(nbformat.v4.new_output("display_data", data={"text/markdown": EXPLORER_NOTE}))
        cell.outputs = kept
    return nb


def page_name(rel: Path) -> Path:
    """Where the page for a repository file goes: the same path, .html for notebooks and markdown."""
    if rel == Path("README.md"):
        return Path("index.html")
    return rel.with_suffix(".html")


HEADING = re.compile(r'(<h[1-6] id="([^"]+)"[^>]*>)')


def decoded_anchors(page: str) -> str:
    """Give each heading its id percent-decoded too, as a second anchor.

    nbconvert writes ids with non-ASCII characters percent-encoded but
    apostrophes and brackets as they are; a link written with the heading's
    text (JupyterLab's style, as the claims ledger writes them) reaches the
    decoded form, which a browser tries after the raw fragment.
    """
    def repl(match):
        raw = match.group(2)
        text = unquote(html.unescape(raw))
        return match.group(1) if text == raw else f'{match.group(1)}<a id="{html.escape(text)}"></a>'
    return HEADING.sub(repl, page)


def rewrite_links(page: str, here: Path, wanted: set) -> str:
    """Point relative links at the site's pages; note in ``wanted`` the repository files they need.

    The site mirrors the repository's layout (README.md becomes index.html), so
    a relative link stays relative and only its extension changes.
    """
    def repl(match):
        prefix, target, anchor = match.group(1), match.group(2), match.group(3) or ""
        source = (here.parent / target).resolve()
        try:
            rel = source.relative_to(ROOT)
        except ValueError:
            return match.group(0)
        if source.is_dir() and rel != Path("."):  # a folder: the site gets an index page of its files
            wanted.add(rel / "index.html")
            return match.group(0)
        if not source.is_file():
            return match.group(0)
        wanted.add(rel)
        if rel.suffix not in (".ipynb", ".md"):
            return match.group(0)
        here_rel = here.resolve().relative_to(ROOT)
        up = [".."] * (len(here_rel.parts) - 1)
        return f'{prefix}{Path(*up, page_name(rel)).as_posix()}{anchor}"'
    return LINK.sub(repl, page)


def markdown_page(source: Path, title: str, wanted: set) -> str:
    body = mistune.html(source.read_text(encoding="utf-8"))
    body = rewrite_links(body, source, wanted)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
            "line-height:1.5}img{max-width:100%}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
            "padding:.3rem .5rem}pre{background:#f6f6f6;padding:.6rem;overflow:auto}</style>"
            f"</head><body>\n{body}\n</body></html>\n")


def build(out: Path) -> list[Path]:
    """Write the site; return its pages (index first, then the notebooks, then other pages)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    exporter = HTMLExporter(template_name="lab", mathjax_url=MATHJAX)
    wanted: set[Path] = set()
    done: set[Path] = set()
    pages = []

    def write(rel: Path, text: str):
        target = out / page_name(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        pages.append(target)
        done.add(rel)

    write(Path("README.md"), markdown_page(ROOT / "README.md", "Activation Functions, Explored", wanted))
    for source in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = static_notebook(nbformat.read(source, as_version=4))
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": source.stem}})
        write(source.relative_to(ROOT), decoded_anchors(rewrite_links(body, source, wanted)))
    # Everything the pages link to: markdown becomes a page (and may link further), other files are copied.
    while wanted - done:
        rel = sorted(wanted - done)[0]
        if rel.suffix == ".md":
            write(rel, markdown_page(ROOT / rel, rel.stem.replace("-", " "), wanted))
        elif rel.suffix == ".ipynb":
            done.add(rel)  # a notebook outside notebooks/ is not part of the site
        elif rel.name == "index.html" and (ROOT / rel.parent).is_dir():
            folder = ROOT / rel.parent
            files = sorted(f for f in folder.iterdir() if f.is_file() and not f.name.endswith((".pyc",)))
            for f in files:
                wanted.add(f.relative_to(ROOT))
            items = "".join(f'<li><a href="{html.escape(f.name)}">{html.escape(f.name)}</a></li>' for f in files)
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_text(f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                   f"<title>{html.escape(rel.parent.as_posix())}/</title></head><body>"
                                   f"<h1>{html.escape(rel.parent.as_posix())}/</h1><ul>{items}</ul></body></html>\n",
                                   encoding="utf-8")
            done.add(rel)
        else:
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, out / rel)
            done.add(rel)
    return pages


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make_site.py OUTPUT_FOLDER", file=sys.stderr)
        return 2
    out = Path(argv[0])
    if out.resolve() in (ROOT.resolve(), (ROOT / "notebooks").resolve(), (ROOT / "docs").resolve()):
        print(f"make_site.py: refusing to write into {out}: choose a new folder", file=sys.stderr)
        return 2
    pages = build(out)
    print(f"{len(pages)} pages in {out}/ (open {out / 'index.html'}; formulas need a network connection for MathJax)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

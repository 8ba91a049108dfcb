"""Handout decks (`make slides`): one reveal.js deck per notebook, with static figures, speaker notes, offline.

    .venv/bin/python tools/make_slides.py slides          # decks in slides/, reveal.js and MathJax in slides/_vendor/
    .venv/bin/python tools/make_slides.py slides --cdn    # no local copies: the decks load them from CDNs
    .venv/bin/python tools/make_slides.py slides --measure  # also measure every slide in Chromium
    .venv/bin/python tools/make_slides.py slides --pdf    # also a PDF handout per deck, one page per slide
    .venv/bin/python tools/make_slides.py slides --talk   # notebooks re-executed in talk mode first (sharp figures)

Each deck is `jupyter nbconvert --to slides` of the notebook as stored (or, with ``--talk``, as executed afresh
with ACTS_TALK=1), after these changes made on a copy (the notebooks are not touched):

- slide metadata by tools/slides.py's rules (the same the notebooks carry once that tool has run);
- each explorer shows its static figure (the figure its notebook shows just before it), and progress
  bars are dropped: tools/make_site.py's ``static_notebook`` does it for the site and the decks alike;
- long outputs on sub-slides of their own, split between table rows, list items or lines
  (tools/deck_parts.py);
- speaker notes: the instructor guide's live-demo steps and Explore answers for each section, as
  ``notes`` cells on the section's first slide (reveal.js's speaker view, key S; hidden on the slides);
- tools/deck.css (compact tables, wrapped code, no In/Out prompts, figures at most 400 px unless there is room)
  and tools/deck_fit.js (a slide still too tall is zoomed to fit, not below 0.75; figures grow into free room)
  inline in each deck, so every slide fits reveal.js's 960 x 700 area; the Binder badge (an online image) is
  left out.

Offline: reveal.js 4.0.2, MathJax 2.7.7, require.js and jQuery are fetched once from the npm registry
(``npm pack``; needs Node's npm) into ``slides/_vendor/`` and the decks point there, so the folder works
without a network (copy it whole). Without npm, use ``--cdn``: the decks then need a network connection
for their styling (reveal.js) and formulas (MathJax). ``--measure`` and ``--pdf`` need Chromium and Playwright
(the dev requirements).
"""

from __future__ import annotations

import argparse
import copy
import html
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import binder_badges  # noqa: E402 - tools/ is not a package
import deck_parts  # noqa: E402
import make_site  # noqa: E402
import slides  # noqa: E402

ROOT = make_site.ROOT
GUIDE = ROOT / "docs" / "instructor-guide.md"
#: npm package -> (version, files kept: path prefixes inside the package)
VENDOR = {
    "reveal.js": ("4.0.2", ("dist/", "plugin/notes/")),
    "mathjax": ("2.7.7", ("MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions/",
                          "jax/input/TeX/", "jax/output/CommonHTML/", "jax/element/", "localization/en/",
                          "fonts/HTML-CSS/TeX/woff/")),
    "requirejs": ("2.1.10", ("require.js",)),
    "jquery": ("3.5.1", ("dist/jquery.min.js",)),
}
MERMAID_STUB = "export default { initialize() {} };\n"  # nbconvert's template imports mermaid; no deck uses it


def vendor(out: Path) -> dict:
    """Local copies of reveal.js, MathJax, require.js and jQuery under out/_vendor; the exporter's URLs."""
    target = out / "_vendor"
    missing = [name for name, (version, _) in VENDOR.items() if not (target / f"{name}-{version}").is_dir()]
    if missing:
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("make_slides.py: npm not found. Install Node.js (it brings npm) to copy reveal.js and MathJax "
                     "next to the decks, or run with --cdn (the decks then need a network connection).")
        with tempfile.TemporaryDirectory() as tmp:
            specs = [f"{name}@{VENDOR[name][0]}" for name in missing]
            run = subprocess.run([npm, "pack", "--silent", *specs], cwd=tmp, capture_output=True, text=True)
            if run.returncode != 0:
                sys.exit(f"make_slides.py: `npm pack {' '.join(specs)}` failed:\n{run.stderr[-2000:]}")
            for name in missing:
                version, keep = VENDOR[name]
                dest = target / f"{name}-{version}"
                with tarfile.open(Path(tmp) / f"{name}-{version}.tgz") as tar:
                    for member in tar.getmembers():
                        rel = member.name.split("/", 1)[1] if "/" in member.name else ""
                        if member.isfile() and rel.startswith(keep) and ".." not in rel:
                            member.name = rel
                            tar.extract(member, dest, filter="data")
    (target / "mermaid-stub.mjs").write_text(MERMAID_STUB)
    return {
        "reveal_url_prefix": "_vendor/reveal.js-4.0.2",
        "mathjax_url": "_vendor/mathjax-2.7.7/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        "require_js_url": "_vendor/requirejs-2.1.10/require.js",
        "jquery_url": "_vendor/jquery-3.5.1/dist/jquery.min.js",
        "mermaid_js_url": "./_vendor/mermaid-stub.mjs",
    }


# ------------------------------------------------------------------ speaker notes from the instructor guide

def guide_notes(stem: str, guide: str | None = None) -> dict[int, list[str]]:
    """{section number (0: the title slide): [markdown items]} from the guide's part for notebook `stem`.

    The items are the "Live demo" steps and the "Answers to the Explore questions"; each goes to the
    section its first "§N" names (none: the title slide), with the notebook's goals on the title slide.
    """
    guide = GUIDE.read_text(encoding="utf-8") if guide is None else guide
    part = next((p for p in re.split(r"\n## ", guide) if p.startswith(f"{stem[:2]} ·")), None)
    notes: dict[int, list[str]] = {}
    if part is None:
        return notes
    blocks = re.split(r"\n(?=\*\*[^*\n]+\*\*)", part)
    for block in blocks:
        lead = re.match(r"\*\*([^*\n]+)\*\*", block)
        if not lead:
            continue
        name = lead.group(1).lower()
        if name.startswith("goals"):
            notes.setdefault(0, []).append(block.strip())
        elif name.startswith(("live demo", "answers to the explore")):
            title = "Demo" if name.startswith("live") else "Explore answers"
            for item in re.split(r"\n(?=\d+\. |- )", block.split("\n", 1)[1] if "\n" in block else ""):
                item = item.strip()
                if not item or not re.match(r"(\d+\. |- )", item):
                    continue
                section = re.search(r"§(\d+)", item)
                body = re.sub(r"^(\d+\. |- )", "", item)
                notes.setdefault(int(section.group(1)) if section else 0, []).append(f"**{title}.** {body}")
    return notes


def add_notes(nb, notes: dict[int, list[str]]):
    """Put each section's notes on its first slide: a ``notes`` cell right after the title cell (section 0)
    or after the section's heading ('## N ·'), so the speaker view shows the plan as the section opens."""
    cells, title_done = [], False
    for cell in nb.cells:
        cells.append(cell)
        section = None
        if cell.cell_type == "markdown":
            match = re.match(r"## (\d+) ·", cell.source)
            if match:
                section = int(match.group(1))
            elif cell.source.startswith("# ") and not title_done:
                section, title_done = 0, True
        if section is not None and notes.get(section):
            note = nbformat.v4.new_markdown_cell("\n\n".join(notes[section]))
            note.metadata["slideshow"] = {"slide_type": "notes"}
            cells.append(note)
    nb.cells = cells
    return nb


# ------------------------------------------------------------------ decks

def deck_notebook(nb, stem: str, guide: str | None = None, rules: bool = True):
    """The notebook as its deck shows it: rule-based slide types, static figures, speaker notes."""
    nb = make_site.static_notebook(copy.deepcopy(nb), figures=True)
    for cell in nb.cells:  # the Binder badge is an online image and no use on a projector
        if cell.cell_type == "markdown":
            cell.source = binder_badges.BADGE_RE.sub("", cell.source)
    if rules:
        slides.apply(nb)
        deck_parts.own_slides(nb)
    return add_notes(nb, guide_notes(stem, guide))


# ------------------------------------------------------------------ the deck's page

HERE = Path(__file__).resolve().parent
#: reveal.js's slide width in nbconvert's template (px); its height is slides.SLIDE_HEIGHT
WIDTH = 960


def deck_head() -> str:
    """What each deck gets in its <head>: tools/deck.css and tools/deck_fit.js, inline (a deck is one file)."""
    css = (HERE / "deck.css").read_text(encoding="utf-8")
    script = (HERE / "deck_fit.js").read_text(encoding="utf-8")
    return f"<style>\n{css}</style>\n<script>\n{script}</script>\n"


def talk_size(nb, source: Path):
    """The notebook executed afresh, top to bottom, with ACTS_TALK=1 (talk mode: every figure drawn at 960 x 660
    px with 16 pt text instead of 640 x 440 px with 10.5 pt), so the decks' figures stay sharp at projector size.
    The notebook file is not touched; seeds are fixed, so the printed numbers are the stored ones."""
    import os

    from nbclient import NotebookClient

    before = os.environ.get("ACTS_TALK")
    os.environ["ACTS_TALK"] = "1"  # the kernel inherits it
    try:
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False,
                       resources={"metadata": {"path": str(source.parent)}}).execute()
        print(f"  {source.name}: executed in talk mode ({time.perf_counter() - start:.0f} s)", flush=True)
    finally:
        if before is None:
            os.environ.pop("ACTS_TALK")
        else:
            os.environ["ACTS_TALK"] = before
    return nb


def build(out: Path, cdn: bool = False, rules: bool = True, talk: bool = False) -> list[Path]:
    """One deck per notebook in `out` (and an index page); `talk`: each notebook re-executed in talk mode first."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.slides.html"):
        old.unlink()
    urls = {} if cdn else vendor(out)
    # no reveal_scroll: deck_fit.js makes every slide fit (nbconvert's scrolling would also cut a slide that fits
    # 700 px but is taller than 95% of a window's height); white: its fonts ship with it
    exporter = SlidesExporter(reveal_scroll=False, reveal_theme="white", **urls)
    head = deck_head()
    decks = []
    for source in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(source, as_version=4)
        if talk:
            nb = talk_size(nb, source)
        nb = deck_notebook(nb, source.stem, rules=rules)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": source.stem}})
        body = body.replace("</head>", head + "</head>", 1)
        deck = out / f"{source.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    items = "".join(f'<li><a href="{d.name}">{html.escape(d.stem.removesuffix(".slides"))}</a></li>' for d in decks)
    (out / "index.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Slides</title></head><body>"
        f"<h1>Activation Functions, Explored: slides</h1><p>Press S in a deck for the speaker view, "
        f"Esc for the overview.</p><ul>{items}</ul></body></html>\n", encoding="utf-8")
    return decks


MEASURE = """async () => {
    // every image decoded, MathJax done and deck_fit.js done; then each slide's content height in reveal.js's own
    // pixels, its zoom (deck_fit.js) and its smallest text: font size times zoom (px at reveal.js's 960x700)
    await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
    if (window.MathJax && MathJax.Hub) {
        await new Promise(done => MathJax.Hub.Register.StartupHook("End", done));
        await new Promise(done => MathJax.Hub.Queue(done));
    }
    await new Promise(done => { const wait = () => document.documentElement.dataset.deckFit === "done" || !DECK_FIT
        ? done() : setTimeout(wait, 50); wait(); });
    const leaves = [...document.querySelectorAll(".reveal .slides section")].filter(s => !s.querySelector("section"));
    return leaves.map((s, i) => {
        const saved = [s.style.display, s.parentElement.style.display];
        s.style.display = "block"; s.parentElement.style.display = "block";
        const height = s.scrollHeight;  // and its width: its own, or the widest text or table cut off inside it
        const width = Math.max(s.scrollWidth, ...[...s.querySelectorAll("pre, table")].filter(e => !e.closest("aside"))
            .map(e => e.scrollWidth > e.clientWidth + 1 ? WIDTH + e.scrollWidth - e.clientWidth : 0));
        const zoom = parseFloat(s.dataset.deckZoom || "1");
        const texts = [...s.querySelectorAll("p, li, td, th, pre, h1, h2, h3, h4")]
            .filter(e => !e.closest("aside") && e.offsetHeight > 0 && e.textContent.trim());
        const smallest = Math.min(99, ...texts.map(e => parseFloat(getComputedStyle(e).fontSize) * zoom));
        const text = (s.innerText || "").trim().split("\\n")[0].slice(0, 60);
        [s.style.display, s.parentElement.style.display] = saved;
        const cells = [...s.querySelectorAll(".jp-Cell")].filter(c => !c.closest("aside")).length;
        return {index: i, height, width, text, cells, zoom, smallest};
    });
}"""


def measure(decks: list[Path], chromium: str, limit: int = slides.SLIDE_HEIGHT, offline: bool = True,
            fitted: bool = True):
    """{deck name: {"slides": number of slides, "tall": [(index, height, cells, first line) of each slide taller
    than `limit`], "wide": [(index, width, first line) of each slide wider than WIDTH], "zoomed": [(index, zoom,
    smallest text px, first line) of each slide deck_fit.js zoomed],
    "smallest": the smallest text on any slide (px), "outside": [requests that left the machine (aborted when
    offline)], "formulas": formulas typeset by MathJax}}, measured in headless Chromium at reveal.js's 960x700.
    `fitted`: wait for deck_fit.js (False: a deck without it, such as plain nbconvert's)."""
    from playwright.sync_api import sync_playwright

    script = MEASURE.replace("DECK_FIT", "true" if fitted else "false").replace("WIDTH", str(WIDTH))
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 960, "height": 700})
            outside = []
            if offline:
                page.route(lambda url: not url.startswith("file:"),
                           lambda route: (outside.append(route.request.url), route.abort()))
            for deck in decks:
                outside.clear()
                page.goto(deck.resolve().as_uri(), wait_until="load")
                page.wait_for_selector(".reveal.ready", timeout=30_000)
                rows = page.evaluate(script)
                results[deck.name] = {
                    "slides": len(rows),
                    "tall": [(r["index"], r["height"], r["cells"], r["text"]) for r in rows if r["height"] > limit],
                    "wide": [(r["index"], r["width"], r["text"]) for r in rows if r["width"] > WIDTH],
                    "zoomed": [(r["index"], r["zoom"], r["smallest"], r["text"]) for r in rows if r["zoom"] < 1],
                    "smallest": min(r["smallest"] for r in rows),
                    "outside": list(outside),
                    "formulas": page.evaluate("document.querySelectorAll('.MathJax_CHTML').length"),
                }
        finally:
            browser.close()
    return results


def report(results: dict) -> list[str]:
    """The lines `--measure` prints: each slide taller than the slide area, each zoomed slide, and the totals."""
    lines, total, tall, wide, zoomed = [], 0, 0, 0, 0
    for name, r in results.items():
        total, tall, zoomed = total + r["slides"], tall + len(r["tall"]), zoomed + len(r["zoomed"])
        wide += len(r["wide"])
        for index, height, cells, text in r["tall"]:
            lines.append(f"  {name} slide {index}: {height} px > {slides.SLIDE_HEIGHT}, {cells} cell(s) ({text!r})")
        for index, width, text in r["wide"]:
            lines.append(f"  {name} slide {index}: {width} px wide > {WIDTH} ({text!r})")
        for index, zoom, smallest, text in r["zoomed"]:
            lines.append(f"  {name} slide {index}: zoomed to {zoom:.2f}, smallest text {smallest:.1f} px ({text!r})")
    smallest = min(r["smallest"] for r in results.values())
    lines.append(f"{tall} of {total} slides taller than {slides.SLIDE_HEIGHT} px, {wide} wider than {WIDTH} px; "
                 f"{zoomed} zoomed to fit; "
                 f"smallest text on any slide {smallest:.1f} px (at reveal.js's 960 x 700)")
    return lines


#: reveal.js's ?print-pdf page: the slide plus its 4% margin (px); one page per slide, fragments shown at once
PDF_PAGE = (round(WIDTH * 1.04), round(slides.SLIDE_HEIGHT * 1.04))
PRINT_QUERY = "?print-pdf&pdfSeparateFragments=false"


def export_pdf(decks: list[Path], chromium: str, notes: bool = False, offline: bool = True) -> list[Path]:
    """A PDF handout next to each deck (deck.pdf), printed by headless Chromium from reveal.js's print view
    (``?print-pdf``) once deck_fit.js has fitted every slide and MathJax has typeset the formulas: one page per
    slide. `notes`: each slide's speaker notes on a page after it (``deck.notes.pdf``)."""
    from playwright.sync_api import sync_playwright

    pdfs = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": PDF_PAGE[0], "height": PDF_PAGE[1]})
            if offline:
                page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
            for deck in decks:
                query = PRINT_QUERY + ("&showNotes=separate-page" if notes else "")
                page.goto(deck.resolve().as_uri() + query, wait_until="load")
                page.wait_for_function("document.documentElement.dataset.deckFit === 'done'", timeout=60_000)
                page.wait_for_selector(".reveal .pdf-page", state="attached", timeout=30_000)
                pdf = deck.with_name(deck.name.replace(".slides.html", ".notes.pdf" if notes else ".pdf"))
                page.pdf(path=str(pdf), width=f"{PDF_PAGE[0]}px", height=f"{PDF_PAGE[1]}px", print_background=True,
                         margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
                pdfs.append(pdf)
        finally:
            browser.close()
    return pdfs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--cdn", action="store_true", help="no local reveal.js/MathJax: the decks load them online")
    parser.add_argument("--measure", action="store_true", help="print the slides taller than the slide area")
    parser.add_argument("--talk", action="store_true",
                        help="execute each notebook afresh in talk mode (ACTS_TALK=1) first: figures drawn for a "
                             "projector, sharp at the decks' sizes (a few minutes)")
    parser.add_argument("--pdf", action="store_true",
                        help="also print each deck to a PDF handout next to it (headless Chromium; NN_name.pdf)")
    parser.add_argument("--notes", action="store_true", help="with --pdf: the speaker notes on pages of their own")
    parser.add_argument("--as-stored", action="store_true",
                        help="keep the notebooks' stored slide metadata, not tools/slides.py's rules (to compare)")
    parser.add_argument("--chromium", default="/usr/lib/chromium/chromium")
    args = parser.parse_args(argv)
    if args.out.resolve() in (ROOT.resolve(), (ROOT / "notebooks").resolve(), (ROOT / "docs").resolve()):
        print(f"make_slides.py: refusing to write into {args.out}: choose a new folder", file=sys.stderr)
        return 2
    decks = build(args.out, cdn=args.cdn, rules=not args.as_stored, talk=args.talk)
    where = "online (CDN)" if args.cdn else f"offline ({args.out / '_vendor'})"
    print(f"{len(decks)} decks in {args.out}/, reveal.js and MathJax {where}; open {args.out / 'index.html'}")
    if args.pdf:
        pdfs = export_pdf(decks, args.chromium, notes=args.notes, offline=not args.cdn)
        print(f"{len(pdfs)} PDF handouts: {', '.join(str(p) for p in pdfs)}")
    if args.measure:
        print("\n".join(report(measure(decks, args.chromium, offline=not args.cdn))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

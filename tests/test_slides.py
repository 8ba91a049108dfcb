"""Slides: plain `nbconvert --to slides`, the slide metadata rules, and the handout decks of `make slides`.

- All notebooks are converted by one nbconvert run (as an instructor would), into a
  temporary directory; each deck must exist, be a reveal.js page, and have at least
  one <section> per cell whose slide_type is "slide".
- Every notebook's slide metadata equals what tools/slides.py's rules give.
- tools/make_slides.py builds the handout decks (static figures for explorers,
  speaker notes from the instructor guide, long outputs on slides of their own by
  tools/deck_parts.py, tools/deck.css and tools/deck_fit.js inline, reveal.js and
  MathJax copied next to them); Chromium with the network cut off loads each deck
  and measures every slide against reveal.js's 960x700 area: none may be taller or
  wider, none zoomed below 0.75, no text under 12 px; one deck prints to a PDF of
  one page per slide.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from course_paths import REPO, course_notebooks

CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/lib/chromium/chromium"))


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    notebooks = course_notebooks()
    if not notebooks:
        return {}, ""
    out = tmp_path_factory.mktemp("slides")
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides", "--output-dir", str(out)]
        + [str(nb) for nb in notebooks],
        capture_output=True, text=True, timeout=300,
    )
    elapsed = time.perf_counter() - start
    assert run.returncode == 0, f"nbconvert --to slides failed:\n{run.stderr[-3000:]}"
    summary = f"{len(notebooks)} decks in {out} ({elapsed:.1f} s)"
    return {nb: out / f"{nb.stem}.slides.html" for nb in notebooks}, summary


def test_slides_deck(notebook, decks, report):
    paths, summary = decks
    deck = paths[notebook]
    assert deck.exists(), f"nbconvert wrote no {deck.name}"
    html = deck.read_text(encoding="utf-8")
    assert 'class="reveal"' in html and "Reveal.initialize" in html, f"{deck.name} is not a reveal.js deck"
    nb = nbformat.read(notebook, as_version=4)
    slides = sum(c.metadata.get("slideshow", {}).get("slide_type") == "slide" for c in nb.cells)
    sections = html.count("<section")
    assert slides >= 1, f"{notebook.name}: no cell starts a slide"
    assert sections >= slides, f"{deck.name}: {sections} <section>s for {slides} slides"
    if notebook == course_notebooks()[-1]:
        report(f"slides: {summary}")


# ---------------------------------------------------------------- slide metadata by rules, handout decks (make slides)

def _tool(name):
    import importlib.util

    path = REPO / "tools" / f"{name}.py"
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_slide_metadata_follows_the_rules(notebook):
    """Every cell's slide type is what tools/slides.py's rules give (run the tool after editing a notebook)."""
    diff = _tool("slides").differences(nbformat.read(notebook, as_version=4))
    assert not diff, (f"{notebook.name}: slide metadata out of date; run .venv/bin/python tools/slides.py "
                      f"notebooks/*.ipynb\n" + "\n".join(diff[:20]))


def test_slide_rules_split_a_long_section():
    """The rules themselves: headings start slides, solutions and setup are skipped, a long run is split."""
    slides = _tool("slides")
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    long_text = " ".join(["word"] * 150)
    cells = [md("# Title"), code("import acts"), md("## 1 · A section"), md(long_text), md(long_text),
             md("<details><summary>Solution</summary>x</details>"), md("### Check yourself"),
             md("**Explore.** move it")]
    assert slides.slide_types(cells) == ["slide", "skip", "slide", "-", "subslide", "skip", "subslide", "subslide"]
    optional = md("more")
    optional.metadata["tags"] = ["optional"]
    assert slides.slide_types([md("## 2 · B"), md("core"), optional])[-1] == "subslide"
    nb = nbformat.v4.new_notebook(cells=cells)
    assert slides.differences(nb)  # no slide types, no RISE settings yet
    slides.apply(nb)
    assert nb.metadata["rise"] == {"scroll": True} and slides.differences(nb) == []


def test_speaker_notes_come_from_the_guide():
    make_slides = _tool("make_slides")
    guide = ("# Guide\n\n## 00 · Why\n\n**Goals.** Say why.\n\n**Live demo (with the results to expect).**\n"
             "1. §2, the sweep: slope 1 gives 0.57.\n2. Ask the room.\n\n**Answers to the Explore questions.**\n"
             "- §1 overlay: 5 at x = 6.\n\n**Discussion questions.**\n- §1 not a note.\n")
    notes = make_slides.guide_notes("00_why", guide)
    assert notes[2] == ["**Demo.** §2, the sweep: slope 1 gives 0.57."]
    assert notes[1] == ["**Explore answers.** §1 overlay: 5 at x = 6."]
    assert notes[0][0].startswith("**Goals.**") and notes[0][1] == "**Demo.** Ask the room."
    md = nbformat.v4.new_markdown_cell
    nb = nbformat.v4.new_notebook(cells=[md("# 00 · Why"), md("## 1 · One"), md("a"), md("## 2 · Two"), md("b")])
    out = make_slides.add_notes(nb, notes)
    kinds = [c.metadata.get("slideshow", {}).get("slide_type") for c in out.cells]
    assert kinds == [None, "notes", None, "notes", None, None, "notes", None]


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    """`make slides` into a temporary folder: offline (reveal.js and MathJax by npm), or from CDNs without npm."""
    if not course_notebooks():
        pytest.skip("no notebooks")
    make_slides = _tool("make_slides")
    out = tmp_path_factory.mktemp("handouts")
    offline = shutil.which("npm") is not None
    return make_slides, make_slides.build(out, cdn=not offline), offline


def test_handout_decks_show_figures_and_carry_notes(handouts):
    make_slides, decks, _ = handouts
    assert [d.name for d in decks] == [f"{nb.stem}.slides.html" for nb in course_notebooks()]
    for deck, notebook in zip(decks, course_notebooks()):
        page = deck.read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget-view+json" not in page and "Loading widget" not in page
        assert '<aside class="notes">' in page, f"{deck.name}: no speaker notes"
        nb = nbformat.read(notebook, as_version=4)
        explorers = sum(1 for c in nb.cells for o in c.get("outputs", [])
                        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
                        and not str(o["data"].get("text/plain", "")).startswith(("IntProgress", "FloatProgress")))
        shown = page.count("Static view of the explorer") + page.count("Interactive explorer: open this notebook")
        assert shown == explorers, f"{deck.name}: {shown} explorer stand-ins for {explorers} explorers"
        assert 'setAttribute("data-deck-fit", "done")' in page, f"{deck.name}: no deck_fit.js"
        assert ".celltag_deck-output" in page, f"{deck.name}: no deck.css"


def _table(rows: int, wide: bool = False) -> str:
    cell = "a long cell of words that wraps over several lines " * 4 if wide else "short"
    return "\n".join(["| entry | value | note |", "|---|---|---|"]
                     + [f"| row {i} | {i / 7:.4f} | {cell} |" for i in range(rows)])


def test_long_outputs_get_slides_of_their_own():
    """deck_parts.own_slides: a tall cell keeps its code; a long table is cut between rows with its header on every
    part, a long printout between lines, a long list between items; nothing is lost or reordered; each part is
    estimated within PART and captioned "continued (k of n)" after the first; a short output stays with its code."""
    parts, slides = _tool("deck_parts"), _tool("slides")
    md, code, output = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell, nbformat.v4.new_output
    table = _table(40, wide=True)
    printout = "\n".join(f"line {i}: " + "x" * (30 + 5 * (i % 30)) for i in range(120)) + "\n"
    items = "\n".join(f"- **item {i}**: " + "a reference of some length " * (1 + i % 4) for i in range(30))
    cells = [md("# T"), code("import acts"), md("## 1 · Section"), md("Intro."),
             code("table()", outputs=[output("execute_result", data={"text/markdown": table}, execution_count=1)]),
             code("print(lines)", outputs=[output("stream", name="stdout", text=printout)]),
             code("refs()", outputs=[output("display_data", data={"text/markdown": items})]),
             code("small()", outputs=[output("display_data", data={"text/markdown": _table(3)})])]
    nb = slides.apply(nbformat.v4.new_notebook(cells=cells))
    out = parts.own_slides(nb).cells
    sources = [c.source for c in out if c.cell_type == "code" and not c.metadata.get("transient")]
    assert sources == ["import acts", "table()", "print(lines)", "refs()", "small()"]  # each code shown once
    assert out[-1].source == "small()" and out[-1].outputs[0]["data"]["text/markdown"] == _table(3)

    def shown(cell_source):
        start = next(i for i, c in enumerate(out) if c.source == cell_source and not c.metadata.get("transient"))
        run = [out[start]]
        for c in out[start + 1:]:
            if not c.metadata.get("transient"):
                break
            run.append(c)
        return run

    for source in ("table()", "print(lines)", "refs()"):
        run = shown(source)
        assert len(run) >= 3, f"{source}: not split ({len(run)} cells)"
        for cell in run[1:]:
            assert cell.metadata["slideshow"] == {"slide_type": "subslide"}
            assert cell.metadata["transient"] == {"remove_source": True} and "deck-output" in cell.metadata["tags"]
        outs = [o for c in run for o in c.outputs]
        captions = [o["data"]["text/html"] for o in outs if "text/html" in o.get("data", {})]
        body = [o for o in outs if "text/html" not in o.get("data", {})]
        assert captions == [f'<p class="deck-continued">continued ({k} of {len(body)})</p>'
                            for k in range(2, len(body) + 1)], source
        assert all(parts.part_height(o) <= parts.PART for o in body), source
        if source == "table()":
            texts = [o["data"]["text/markdown"].split("\n") for o in body]
            assert all(t[:2] == table.split("\n")[:2] for t in texts)  # the header on every part
            assert [row for t in texts for row in t[2:]] == table.split("\n")[2:]
        elif source == "print(lines)":
            assert "".join(o["text"] for o in body) == printout
        else:
            assert "\n".join(o["data"]["text/markdown"] for o in body) == items


def test_table_row_heights_follow_the_browser():
    """One line of 16 px table text is 26 px tall in Chromium (measured: tools/make_slides.py --measure on 07's
    tables); a cell that has to wrap makes its row taller, the more text the taller."""
    parts = _tool("deck_parts")
    short, wrapped, longer = parts.table_row_heights(
        ["| a | b |", "| x | y |", "| x | " + "word " * 40 + "|", "| x | " + "word " * 80 + "|"])[1:]
    assert short == 26 and short < wrapped < longer


@pytest.mark.browser
def test_handout_decks_offline_and_every_slide_fits(handouts, report):
    """In Chromium with every non-local request aborted: each deck starts and typesets its formulas; no slide is
    taller than reveal.js's 700 px or wider than its 960 px, none is zoomed below 0.75 by deck_fit.js, and no
    text on any slide is under 12 px (at 960 x 700, about what a 1280 x 720 projector shows). Deck 00 prints
    (?print-pdf) to a PDF of exactly one page per slide."""
    make_slides, decks, offline = handouts
    if not CHROMIUM.exists():
        pytest.skip(f"chromium not installed ({CHROMIUM} missing)")
    if not offline:
        pytest.skip("npm not found: the decks load reveal.js and MathJax from CDNs, so they cannot be tested offline")
    results = make_slides.measure(decks, str(CHROMIUM), offline=True)
    report("handout decks: " + make_slides.report(results)[-1])
    outside = {name: r["outside"][:3] for name, r in results.items() if r["outside"]}
    untypeset = [name for name, r in results.items() if r["formulas"] == 0]
    assert not outside, f"decks asked for files outside the machine: {outside}"
    assert not untypeset, f"no formula typeset offline (MathJax) in {untypeset}"
    tall = [f"{name} slide {i}: {h} px ({text!r})" for name, r in results.items() for i, h, _, text in r["tall"]]
    wide = [f"{name} slide {i}: {w} px wide ({text!r})" for name, r in results.items() for i, w, text in r["wide"]]
    small = [f"{name} slide {i}: zoom {z}, text {px:.1f} px ({text!r})" for name, r in results.items()
             for i, z, px, text in r["zoomed"] if z < 0.75 or px < 12]
    assert not tall, "slides taller than 700 px:\n" + "\n".join(tall)
    assert not wide, "slides wider than 960 px:\n" + "\n".join(wide)
    assert not small, "slides zoomed below readable:\n" + "\n".join(small)
    assert min(r["smallest"] for r in results.values()) >= 12, make_slides.report(results)[-1]
    import re

    pdf = make_slides.export_pdf(decks[:1], str(CHROMIUM))[0]
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    count = results[decks[0].name]["slides"]
    assert pages == count, f"{pdf.name}: {pages} pages for {count} slides"


@pytest.mark.browser
def test_speaker_view_shows_the_guides_notes(handouts):
    """A deck opened from disk, network cut off: the first slide fits the slide area, and key S opens reveal.js's
    speaker view with the title slide's notes."""
    _, decks, offline = handouts
    if not CHROMIUM.exists():
        pytest.skip(f"chromium not installed ({CHROMIUM} missing)")
    if not offline:
        pytest.skip("npm not found: the decks load reveal.js from a CDN")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 960, "height": 700})
            page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
            page.goto(decks[0].resolve().as_uri(), wait_until="load")
            page.wait_for_selector(".reveal.ready", timeout=30_000)
            first = page.evaluate("() => { const s = document.querySelector('section.present section.present');"
                                  " return [s.scrollHeight, s.clientHeight, getComputedStyle(s).overflowY]; }")
            assert first[0] <= 700, f"{decks[0].name}: the first slide is {first[0]} px, taller than the slide area"
            with page.expect_popup(timeout=15_000) as popup:
                page.keyboard.press("s")
            speaker = popup.value
            speaker.wait_for_function("() => document.body.innerText.includes('Goals')", timeout=15_000)
        finally:
            browser.close()


def _selectors(css: str) -> list[str]:
    import re

    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [s.strip() for block in re.findall(r"([^{}]+)\{[^}]*\}", css) for s in block.split(",")]


def test_deck_and_live_slideshow_styles_stay_on_the_slides():
    """tools/deck.css and notebooks/rise.css (RISE loads it beside the notebooks) style only the slides: every
    selector is under .reveal; rise.css leaves the live explorers alone (no widget selector; images only of stored
    figures, .jp-RenderedImage > img); RISE's settings make a slide taller than the window scroll."""
    deck = _selectors((REPO / "tools" / "deck.css").read_text(encoding="utf-8"))
    live = _selectors((REPO / "notebooks" / "rise.css").read_text(encoding="utf-8"))
    assert deck and live
    assert all(s.startswith((".reveal ", "html.print-pdf .reveal ")) for s in deck), deck
    assert all(s.startswith(".reveal ") and "widget" not in s for s in live), live
    assert all(s.endswith(".jp-RenderedImage > img") for s in live if s.endswith("img")), live
    assert _tool("slides").RISE["scroll"] is True


def test_talk_size_runs_the_notebook_in_talk_mode(tmp_path, monkeypatch):
    """--talk (I-10): the notebook is executed afresh with ACTS_TALK=1 in its kernel (acts.style reads it: talk-size
    figures), in the notebook's folder, and the builder's own environment is left as it was."""
    make_slides = _tool("make_slides")
    monkeypatch.delenv("ACTS_TALK", raising=False)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os\nprint(os.environ.get('ACTS_TALK'), os.getcwd())")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    out = make_slides.talk_size(nb, tmp_path / "x.ipynb")
    assert out.cells[0].outputs[0]["text"].split() == ["1", str(tmp_path)]
    assert "ACTS_TALK" not in os.environ

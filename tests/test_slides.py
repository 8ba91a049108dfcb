"""`jupyter nbconvert --to slides` turns every notebook (as stored, not executed) into a reveal.js deck.

All notebooks are converted by one nbconvert run (as an instructor would), into a
temporary directory; each deck must exist, be a reveal.js page, and have at least
one <section> per cell whose slide_type is "slide".
"""

import subprocess
import sys
import time

import nbformat
import pytest
from course_paths import course_notebooks


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

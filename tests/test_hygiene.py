"""Notebook hygiene: what a committed notebook must look like (docs/writing-notebooks.md).

For each notebook: valid nbformat (4.5+, cell ids); every non-empty code cell
executed, execution counts 1..N in order (as `make notebooks` leaves them); no
stored error output, no stderr stream, no emitted warning ("SomethingWarning:")
and no machine path (/root/, /home/, /tmp/, /work/, ...) in any output or
metadata; slide metadata on every cell; and size limits: the file under
MAX_FILE_BYTES, stored widget state (which the course does not keep) under
MAX_WIDGET_STATE_BYTES. test_size_report prints every notebook's sizes.
"""

import json
import re
import warnings

import nbformat
import pytest
from course_paths import COURSE_ROOT, course_notebooks

MAX_FILE_BYTES = 3_000_000
MAX_WIDGET_STATE_BYTES = 100_000
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
MACHINE_PATH = re.compile(r"/root/|/home/|/tmp/|/work/|/Users/|/private/var/|[A-Za-z]:\\\\?Users\\\\?|site-packages")
EMITTED_WARNING = re.compile(r"\b\w*Warning: |\bwarnings\.warn\(")


def read(notebook):
    return nbformat.read(notebook, as_version=nbformat.NO_CONVERT)


def output_texts(output):
    """The text of an output that a reader sees (not the base64 of images)."""
    if output.get("output_type") == "stream":
        return [output.get("text", "")]
    if output.get("output_type") == "error":
        return [output.get("ename", ""), output.get("evalue", ""), *output.get("traceback", [])]
    texts = []
    for mime, value in output.get("data", {}).items():
        if mime.startswith("image/") and mime != "image/svg+xml":
            continue
        texts.append(value if isinstance(value, str) else json.dumps(value))
    return texts


def widget_state_bytes(nb):
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    return len(json.dumps(state)) if state is not None else 0


def test_valid_nbformat(notebook):
    text = notebook.read_text(encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        nbformat.validate(nb)
    assert not caught, f"{notebook.name}: nbformat warns: " + "; ".join(str(w.message) for w in caught)
    assert (nb.nbformat, nb.nbformat_minor) >= (4, 5), f"{notebook.name}: nbformat {nb.nbformat}.{nb.nbformat_minor}"
    ids = [cell.get("id") for cell in nb.cells]
    assert len(set(ids)) == len(ids), f"{notebook.name}: duplicate cell ids"


def test_every_code_cell_executed_in_order(notebook):
    nb = read(notebook)
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    counts = [c.execution_count for _, c in code]
    unexecuted = [i for i, c in code if c.execution_count is None]
    assert not unexecuted, f"{notebook.name}: code cells {unexecuted} were never executed: run `make notebooks`"
    assert counts == list(range(1, len(code) + 1)), (
        f"{notebook.name}: execution counts {counts} are not 1..{len(code)} in order: run `make notebooks`"
    )
    for i, cell in code:
        for out in cell.outputs:
            if out.output_type == "execute_result":
                assert out.execution_count == cell.execution_count, f"{notebook.name} cell {i}: stale execute_result"


def test_outputs_are_clean(notebook):
    nb = read(notebook)
    problems = []
    for i, cell in enumerate(nb.cells):
        where = f"cell {i}"
        if MACHINE_PATH.search(json.dumps(cell.metadata)):
            problems.append(f"{where}: a machine path in the cell metadata")
        for out in cell.get("outputs", []):
            kind = out.output_type
            if kind == "error":
                problems.append(f"{where}: stored error {out.ename}: {out.evalue}")
            if kind == "stream" and out.name == "stderr":
                problems.append(f"{where}: stderr output {out.text[:200]!r}")
            for text in output_texts(out):
                if m := MACHINE_PATH.search(text):
                    problems.append(f"{where}: machine path {m.group(0)!r} in {kind}: {text[:200]!r}")
                if m := EMITTED_WARNING.search(text):
                    problems.append(f"{where}: a warning in {kind}: {text[max(0, m.start() - 80):m.end() + 120]!r}")
    metadata = dict(nb.metadata)
    metadata.pop("widgets", None)  # widget state: sized in its own test
    if m := MACHINE_PATH.search(json.dumps(metadata)):
        problems.append(f"notebook metadata: machine path {m.group(0)!r}")
    assert not problems, f"{notebook.name}:\n" + "\n".join(problems)


def test_slide_metadata_on_every_cell(notebook):
    nb = read(notebook)
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    missing = [i for i, t in enumerate(types) if t not in SLIDE_TYPES]
    assert not missing, (
        f"{notebook.name}: cells {missing} lack metadata.slideshow.slide_type (one of {sorted(SLIDE_TYPES)})"
    )
    assert nb.cells and nb.cells[0].metadata["slideshow"]["slide_type"] == "slide", (
        f"{notebook.name}: the first cell should start a slide"
    )


def test_size_limits(notebook):
    size = notebook.stat().st_size
    state = widget_state_bytes(read(notebook))
    assert state <= MAX_WIDGET_STATE_BYTES, (
        f"{notebook.name}: {state / 1e3:.0f} kB of stored widget state (limit {MAX_WIDGET_STATE_BYTES / 1e3:.0f} kB):"
        " execute with --ExecutePreprocessor.store_widget_state=False (`make notebooks` does)"
    )
    assert size <= MAX_FILE_BYTES, f"{notebook.name}: {size / 1e6:.2f} MB (limit {MAX_FILE_BYTES / 1e6:.0f} MB)"


def test_size_report(report):
    notebooks = course_notebooks()
    if not notebooks:
        pytest.skip(f"no notebooks in {COURSE_ROOT / 'notebooks'} yet: no sizes to report")
    lines = ["notebook sizes (file / stored widget state / largest output):"]
    for path in notebooks:
        nb = read(path)
        largest = max((len(json.dumps(o)) for c in nb.cells for o in c.get("outputs", [])), default=0)
        lines.append(
            f"  {path.name:40s} {path.stat().st_size / 1e3:8.1f} kB {widget_state_bytes(nb) / 1e3:8.1f} kB"
            f" {largest / 1e3:8.1f} kB"
        )
    total = sum(p.stat().st_size for p in notebooks)
    lines.append(f"  {'total':40s} {total / 1e3:8.1f} kB")
    report("\n".join(lines))

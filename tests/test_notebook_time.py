"""One slot per notebook: the core fits 45 minutes by the course's estimate, and the stated time is honest.

The estimate and its counting rules live in tools/notebook_time.py (run it for
the table). The first tests below pin the counting on a small synthetic
notebook, so the rule cannot silently drift.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("notebook_time", ROOT / "tools" / "notebook_time.py")
nt = importlib.util.module_from_spec(_spec)
sys.modules["notebook_time"] = nt  # dataclasses look their module up while the class is made
_spec.loader.exec_module(nt)


def _md(text, tags=()):
    return {"cell_type": "markdown", "metadata": {"tags": list(tags)}, "source": text}


def _code(text, tags=(), outputs=()):
    return {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": text, "outputs": list(outputs),
            "execution_count": None}


def _notebook(tmp_path, cells):
    import json

    path = tmp_path / "99_test.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_the_estimate_counts_as_documented(tmp_path):
    words150 = " ".join(["word"] * 150)
    cells = [
        _md("# Title\n\n**Time**: about 12 minutes. [a link](https://example.org/very/long/path) <b>x</b>"),
        _md(words150),
        _code("import acts"),
        _code('widgets.explore("relu")'),
        _code("explorer = why.relu_sum_explorer(n_units=4)\nexplorer"),
        _code("bar = ProgressBar()", outputs=[{"output_type": "display_data",
                                               "data": {"application/vnd.jupyter.widget-view+json": {}}}]),
        _md("### Check yourself\n\nA question."),
        _code("from acts.exercises import ex01_saturated as drill\nanswer = ...\ndrill.saturation_bound(answer)"),
        _md("### Check yourself\n\nA question whose check is not a call."),
        _md("### Next section"),
        _md(words150, tags=["optional"]),
        _code('widgets.compare("relu", "gelu")', tags=["optional"]),
    ]
    e = nt.estimate(_notebook(tmp_path, cells))
    title_words = nt.count_words(cells[0]["source"])
    assert title_words == 8  # "#" has no letter; the link's target and the tag are dropped
    assert (e.core.code_cells, e.core.explorers, e.core.exercises) == (5, 2, 2)
    assert e.core.words == title_words + 150 + 4 + 10 + 2
    assert nt.exercise_calls(_code("explorer.set(beta=1)\nex.grid_step(answer)")) == 1
    assert e.core.minutes == pytest.approx(e.core.words / 150 + 5 * 0.5 + 2 * 3 + 2 * 4)
    assert (e.optional.words, e.optional.code_cells, e.optional.explorers) == (150, 1, 1)
    assert e.optional.minutes == pytest.approx(1 + 0.5 + 3)
    assert e.stated == 12


@pytest.mark.parametrize("first, minutes", [
    ("**Time**: about 40 minutes.", 40),
    ("**Time:** 35 min (core)", 35),
    ("**Time**: 40-50 minutes", 45),
    ("**Time:** about TIME_CORE minutes", None),
    ("No time here, 40 minutes of fun", None),
])
def test_stated_time_is_read_from_the_first_cell(first, minutes):
    assert nt.first_cell_time({"cells": [_md(first)]}) == minutes


def test_stated_ok_is_within_25_percent():
    core = nt.Part(words=0, code_cells=80)  # 40 minutes
    assert nt.Estimate("x", core, nt.Part(), 50).stated_ok()
    assert not nt.Estimate("x", core, nt.Part(), 51).stated_ok()
    assert not nt.Estimate("x", core, nt.Part(), 29).stated_ok()
    assert not nt.Estimate("x", core, nt.Part(), None).stated_ok()


# ---------------------------------------------------------------- the course


def test_core_fits_one_slot(notebook):
    e = nt.estimate(notebook)
    assert e.core.minutes <= nt.CORE_LIMIT, (
        f"{notebook.name}: the core takes about {e.core.minutes:.0f} minutes by the estimate "
        f"({e.core.words} words, {e.core.code_cells} code cells, {e.core.explorers} explorers, "
        f"{e.core.exercises} exercises), over {nt.CORE_LIMIT:g}: tag going-further cells `optional` or cut")


def test_stated_time_is_honest(notebook):
    e = nt.estimate(notebook)
    assert e.stated is not None, f"{notebook.name}: the first cell states no time (\"**Time**: about N minutes\")"
    assert e.stated_ok(), (f"{notebook.name}: states {e.stated:g} minutes; the core estimate is "
                           f"{e.core.minutes:.1f} (say about {e.suggested})")

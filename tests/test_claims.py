"""The ledger of the source notes' claims: one data file (acts/claims.json), docs/claims.md generated from it,
every link landing on an existing notebook heading.

After a notebook's headings change: `.venv/bin/python tools/claims.py --links` lists the broken links with a
suggestion, `--retarget` moves the ones whose heading only moved or was renumbered, and
`.venv/bin/python tools/claims.py` rewrites docs/claims.md.
"""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from acts import claims

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("claims_tool", ROOT / "tools" / "claims.py")
tool = importlib.util.module_from_spec(_spec)
sys.modules["claims_tool"] = tool
_spec.loader.exec_module(tool)

#: Every function the notes discuss; each must have claims in the ledger.
NOTES_FUNCTIONS = ("sigmoid", "tanh", "ReLU", "ReLU6", "Leaky ReLU", "PReLU", "ELU", "SELU", "Swish", "Mish",
                   "Maxout", "hard-sigmoid", "hard-swish")

#: The notes' errors listed in ../shared/reference/activation-facts.md, by the claim that records each.
KNOWN_ERRORS = {
    "sigmoid-code-overflow": "wrong", "tanh-formula-typo": "wrong", "tanh-derivative-range": "holds with conditions",
    "swish-code-overflow": "holds with conditions", "selu-code-constants": "wrong", "prelu-code": "wrong",
    "leaky-definition": "wrong", "mish-code": "wrong", "hardsig-code": "holds with conditions",
    "hardsig-exponent": "wrong", "code-dtype": "holds with conditions", "hardsig-soft-saturation": "wrong",
    "hardswish-piecewise-linear": "holds with conditions",  # facts item 13: the "piecewise linear" half is wrong
    "maxout-universal": "holds with conditions",
}


def test_the_ledger_is_complete_and_well_formed():
    rows = claims.all_claims()
    assert len(rows) >= 60
    for claim in rows:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", claim.id), claim.id
        for field in ("function", "claim", "reason"):
            assert getattr(claim, field).strip(), f"{claim.id}: empty {field}"
        assert claim.section == "" or re.fullmatch(r"notebooks/\d\d_\w+\.ipynb#\S+", claim.section), claim.section
    functions = {c.function for c in rows}
    assert set(NOTES_FUNCTIONS) <= functions, set(NOTES_FUNCTIONS) - functions
    for function in NOTES_FUNCTIONS:
        kinds = {c.kind for c in rows if c.function == function}
        assert kinds, function
    assert sum(bool(c.section) for c in rows) >= 40
    assert set(claims.VERDICTS) == {c.verdict for c in rows}  # every verdict is used


def test_the_notes_known_errors_are_recorded():
    for claim_id, verdict in KNOWN_ERRORS.items():
        assert claims.get(claim_id).verdict == verdict, claim_id


def test_get_and_show(capsys):
    claim = claims.get("tanh-formula-typo")
    assert claim.verdict == "wrong" and claim.function == "tanh"
    claims.show("tanh-formula-typo", "relu-dead-units")
    out = capsys.readouterr().out
    assert out.count("The notes say") == 2 and "Verdict: wrong." in out and "Shown in" not in out
    claims.show("tanh-formula-typo", section=True)
    assert "Shown in: notebooks/01_saturated.ipynb#" in capsys.readouterr().out
    with pytest.raises(KeyError, match="Did you mean 'tanh-formula-typo'"):
        claims.get("tanh-formula-typ")
    wrong = claims.select("hard-sigmoid", "wrong")
    assert wrong and all(c.function == "hard-sigmoid" and c.verdict == "wrong" for c in wrong)
    with pytest.raises(ValueError, match="function must be one of"):
        claims.select("Sigmoid")
    with pytest.raises(ValueError, match="verdict must be one of"):
        claims.select(verdict="true")


def test_anchors_follow_jupyterlab():
    assert tool.anchor("2 · Tanh: a sigmoid centred on zero") == "2-·-Tanh:-a-sigmoid-centred-on-zero"
    assert tool.anchor("The `acts` **way**, [linked](x.md)") == "The-acts-way,-linked"
    assert tool.anchor("Swish with a trainable $\\beta$") == "Swish-with-a-trainable-$\\beta$"
    assert tool.anchor("Fitting $|x|$ and $x^2$ with *one* unit") == "Fitting-$|x|$-and-$x^2$-with-one-unit"
    assert tool.anchor("Ready &amp; steady") == "Ready-&-steady"


def test_broken_links_are_found_and_retargeted(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    cell = {"cell_type": "markdown", "metadata": {}, "source": "## 1 · Swish: a gate\n\ntext\n### Details"}
    (notebooks / "03_smooth.ipynb").write_text(
        '{"cells": [' + __import__("json").dumps(cell) + '], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    anchors = tool.notebook_anchors(tmp_path)
    rows = [{"id": "a", "section": "notebooks/03_smooth.ipynb#Details"},
            {"id": "b", "section": "notebooks/02_relu_family.ipynb#6-·-Swish:-a-gate"},
            {"id": "c", "section": ""}]
    assert [r["id"] for r in tool.broken_links(rows, anchors)] == ["b"]
    assert tool.suggestion(rows[1]["section"], anchors) == "notebooks/03_smooth.ipynb#1-·-Swish:-a-gate"


def test_docs_claims_md_is_up_to_date():
    expected = tool.render(tool.load())
    actual = tool.OUT.read_text(encoding="utf-8") if tool.OUT.exists() else ""
    assert actual == expected, "docs/claims.md is out of date: run .venv/bin/python tools/claims.py"


def test_every_link_resolves_to_a_notebook_heading():
    broken = tool.broken_links(tool.load(), tool.notebook_anchors())
    listing = "\n".join(f"  {c['id']}: {c['section']}  (suggestion: "
                        f"{tool.suggestion(c['section'], tool.notebook_anchors())})" for c in broken)
    assert not broken, (f"{len(broken)} claim link(s) do not resolve to a notebook heading "
                        f"(fix acts/claims.json, or run tools/claims.py --retarget):\n{listing}")


def test_for_notebook_finds_every_linked_claim_once(capsys):
    from acts import claims
    linked = [c for c in claims.all_claims() if c.section]
    stems = sorted({c.section.split("#")[0].rsplit("/", 1)[-1].removesuffix(".ipynb") for c in linked})
    found = [c.id for stem in stems for c in claims.for_notebook(stem)]
    assert sorted(found) == sorted(c.id for c in linked)  # each linked claim under exactly one notebook
    claims.table(stems[0])
    out = capsys.readouterr().out
    assert f"{len(claims.for_notebook(stems[0]))} claims:" in out
    claims.table("99_no_such_notebook")
    assert "No claim" in capsys.readouterr().out

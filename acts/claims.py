"""The ledger of the source notes' claims: each claim, its verdict, and the notebook section that shows it.

The one data file is ``acts/claims.json``; ``docs/claims.md`` is generated from
it (``tools/claims.py``), and a notebook's "the notes say" passage prints a
claim from the same file, so the two cannot drift apart::

    from acts import claims
    claims.show("sigmoid-code-overflow")

>>> from acts import claims
>>> claims.get("tanh-formula-typo").verdict
'wrong'
>>> sorted(claims.VERDICTS)[0]
'holds'
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

DATA = Path(__file__).with_name("claims.json")

#: The four verdicts, in the order the ledger explains them.
VERDICTS = ("holds", "holds with conditions", "wrong", "not testable at this scale")
#: Which part of the notes a claim comes from.
KINDS = ("description", "advantage", "shortcoming", "code")


@dataclass(frozen=True)
class Claim:
    """One claim of the notes: what they say (in the course's words), the verdict, why, and where it is shown."""

    id: str
    function: str
    kind: str
    claim: str
    verdict: str
    reason: str
    section: str = ""  # "notebooks/NN_name.ipynb#Heading-anchor", or "" when no section shows it yet

    def __str__(self) -> str:
        where = f"\n   Shown in: {self.section}" if self.section else ""
        return (f"The notes say ({self.function}, {self.kind}): {self.claim}\n"
                f"   Verdict: {self.verdict}. {self.reason}{where}")


@functools.lru_cache(maxsize=1)
def _load() -> dict:
    rows = json.loads(DATA.read_text(encoding="utf-8"))["claims"]
    ledger = {}
    for row in rows:
        claim = Claim(**row)
        if claim.id in ledger:
            raise ValueError(f"{DATA.name}: the id {claim.id!r} appears twice")
        if claim.verdict not in VERDICTS:
            raise ValueError(f"{DATA.name}: {claim.id}: verdict must be one of {VERDICTS}; got {claim.verdict!r}")
        if claim.kind not in KINDS:
            raise ValueError(f"{DATA.name}: {claim.id}: kind must be one of {KINDS}; got {claim.kind!r}")
        ledger[claim.id] = claim
    return ledger


def all_claims() -> list[Claim]:
    """Every claim, in the order of the notes."""
    return list(_load().values())


def ids() -> list[str]:
    return list(_load())


def get(claim_id: str) -> Claim:
    """The claim called ``claim_id``; a KeyError suggests the closest id."""
    ledger = _load()
    try:
        return ledger[claim_id]
    except (KeyError, TypeError):
        close = difflib.get_close_matches(str(claim_id), list(ledger), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"claims.get(): no claim with the id {claim_id!r}.{hint} "
                       f"See docs/claims.md or claims.ids().") from None


def select(function: str | None = None, verdict: str | None = None) -> list[Claim]:
    """The claims about one function (as the ledger names it, e.g. "sigmoid", "Leaky ReLU") and/or with one verdict."""
    rows = all_claims()
    if function is not None:
        known = sorted({c.function for c in rows})
        if function not in known:
            raise ValueError(f"claims.select(): function must be one of {known}; got {function!r}")
        rows = [c for c in rows if c.function == function]
    if verdict is not None:
        if verdict not in VERDICTS:
            raise ValueError(f"claims.select(): verdict must be one of {VERDICTS}; got {verdict!r}")
        rows = [c for c in rows if c.verdict == verdict]
    return rows


def show(*claim_ids: str, section: bool = False) -> None:
    """Print claims with their verdicts (for a notebook's "the notes say" passage).

    ``section=True`` adds the notebook section that shows each one (in that section itself it is noise).
    """
    for claim_id in claim_ids:
        claim = get(claim_id)
        print(claim if section else replace(claim, section=""))


def for_notebook(notebook: str) -> list[Claim]:
    """The claims whose section is in ``notebook`` (its file name without .ipynb, e.g. "01_saturated")."""
    stem = str(notebook).removesuffix(".ipynb")
    rows = [c for c in all_claims() if c.section.split("#")[0].rsplit("/", 1)[-1] == f"{stem}.ipynb"]
    if not rows and not any(c.section for c in all_claims()):  # pragma: no cover - an empty ledger
        raise ValueError("claims.for_notebook(): the ledger links no claim to any notebook")
    return rows


def _heading_titles(path: str) -> dict:
    """{anchor: heading text} for the markdown headings of a notebook of the repository ({} when it is not there).

    Only for display: the anchor is the heading with markup dropped and spaces
    made "-" (tools/claims.py holds the full JupyterLab rule and checks every link).
    """
    file = DATA.parent.parent / path
    if not file.is_file():
        return {}
    found = {}
    for cell in json.loads(file.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for m in _HEADING.finditer("".join(cell["source"])):
                text = _MARKUP.sub("", m.group(1)).strip()
                found.setdefault(text.replace(" ", "-"), text)
    return found


_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_MARKUP = re.compile(r"`|\*\*|\*")


def table(notebook: str, sections: bool = False) -> None:
    """Print the notes' claims that ``notebook`` tests, one line each: verdict, function, claim.

    The ledger's own rows (acts/claims.json), so a notebook's summary cannot drift from docs/claims.md.
    ``sections=True`` groups the rows under the notebook section that shows them (its heading), in the
    notebook's order.
    """
    rows = for_notebook(notebook)
    if not rows:
        print(f"No claim of the notes is linked to {notebook} in the ledger.")
        return
    width = max(len(c.verdict) for c in rows)
    if sections:
        path = rows[0].section.split("#")[0]
        titles = _heading_titles(path)
        order = {anchor: i for i, anchor in enumerate(titles)}
        groups = {}
        for c in rows:
            groups.setdefault(c.section.split("#", 1)[-1], []).append(c)
        for anchor in sorted(groups, key=lambda a: order.get(a, len(order))):
            print(f"Section: {titles.get(anchor, anchor.replace('-', ' '))}")
            for c in groups[anchor]:
                print(f"  {c.verdict:<{width}}  {c.function}: {c.claim}")
    else:
        for c in rows:
            print(f"{c.verdict:<{width}}  {c.function}: {c.claim}")
    counts = {v: sum(c.verdict == v for c in rows) for v in VERDICTS}
    print(f"\n{len(rows)} claims: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n))

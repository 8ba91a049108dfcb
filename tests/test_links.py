"""Every relative link in the course resolves, and the notebooks' navigation is consistent.

Links checked: markdown links and images (`[t](target)`, `![a](src)`, `[id]: target`)
and HTML `<a href>` / `<img src>`, in the Markdown files at the top of the course
(README.md, the licence texts), docs/**/*.md and every notebook's markdown cells.
Links with a scheme (https:, mailto:, attachment:, ...) and pure `#anchor` links
are not checked; `path#anchor` checks the path. Text in code blocks and inline
code is not a link.

Navigation (docs/writing-notebooks.md): the first markdown cell and the last cell
of each notebook link to the previous notebook (not in the first), the index
(../README.md) and the next notebook (not in the last), in sorted file order.
The navigation line is the cell's first line that links to the index; it links
to no other notebook, and its links say "Previous" and "Next".
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from course_paths import COURSE_ROOT, course_notebooks

FENCED = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")
MD_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+[\"'(][^)]*)?\)")
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.M)
NAV_LINK = re.compile(r"\[([^\]]*)\]\(\s*(<[^>]*>|[^)\s]+)[^)]*\)")
HTML_LINK = re.compile(r"<(?:a|img|source)\b[^>]*?\b(?:href|src)\s*=\s*([\"'])(.*?)\1", re.I | re.S)


def strip_code(text):
    return INLINE_CODE.sub("", FENCED.sub("", text))


def link_targets(markdown):
    """Every link target in a piece of Markdown (with HTML), in order."""
    text = strip_code(markdown)
    targets = [m.group(1) for m in MD_LINK.finditer(text)]
    targets += [m.group(1) for m in REF_DEF.finditer(text)]
    targets += [m.group(2) for m in HTML_LINK.finditer(text)]
    return [t[1:-1] if t.startswith("<") and t.endswith(">") else t for t in targets]


def local_path(target, base):
    """The file a relative link points at, or None for external links and pure anchors."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (base / unquote(parts.path)).resolve()


def markdown_documents():
    """(label, base directory, markdown text) for every Markdown source outside the notebooks."""
    files = sorted(COURSE_ROOT.glob("*.md")) + sorted((COURSE_ROOT / "docs").glob("**/*.md"))
    return [(str(f.relative_to(COURSE_ROOT)), f.parent, f.read_text(encoding="utf-8")) for f in files]


def notebook_markdown(path):
    nb = nbformat.read(path, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "markdown"]


def broken_links(label, base, markdown):
    broken = []
    for target in link_targets(markdown):
        path = local_path(target, base)
        if path is not None and not path.exists():
            broken.append(f"{label}: {target!r} -> {path} does not exist")
    return broken


def test_link_extraction_understands_the_forms_the_course_uses():
    md = (
        "[a](x.md) ![b](img/f.png \"title\") [c](<with space.md>) [d](https://e.org) [e](#top)\n"
        "[f]: ref.md\n<a href=\"g.ipynb#sec\">g</a> <img src='h.svg' width=3>\n"
        "`[not](code.md)`\n```\n[not](fenced.md)\n```\n[nested [i]](n.md)"
    )
    assert link_targets(md) == [
        "x.md", "img/f.png", "with space.md", "https://e.org", "#top", "n.md", "ref.md", "g.ipynb#sec", "h.svg",
    ]
    base = Path("/course/docs")
    assert local_path("../README.md#x", base) == Path("/course/README.md")
    assert local_path("a%20b.md", base) == Path("/course/docs/a b.md")
    for external in ("https://e.org/x", "mailto:a@b.c", "#top", "attachment:img.png"):
        assert local_path(external, base) is None


def test_readme_and_docs_links_resolve():
    documents = markdown_documents()
    if not documents:
        pytest.skip(f"no README.md or docs/*.md in {COURSE_ROOT} yet")
    broken = [b for label, base, md in documents for b in broken_links(label, base, md)]
    assert not broken, "broken relative links:\n" + "\n".join(broken)


def test_notebook_links_resolve(notebook):
    label = notebook.relative_to(COURSE_ROOT)
    broken = [b for md in notebook_markdown(notebook) for b in broken_links(str(label), notebook.parent, md)]
    assert not broken, "broken relative links:\n" + "\n".join(broken)


def navigation_line(markdown, notebook):
    """The first line of a markdown cell that links to the index (../README.md), or None."""
    readme = (COURSE_ROOT / "README.md").resolve()
    for line in strip_code(markdown).splitlines():
        if any(local_path(t, notebook.parent) == readme for t in link_targets(line)):
            return line
    return None


def navigation_links(line, notebook):
    """{resolved notebook path: link text} for the notebook links of a navigation line."""
    links = {}
    for m in NAV_LINK.finditer(line):
        path = local_path(m.group(2).strip("<>"), notebook.parent)
        if path is not None and path.suffix == ".ipynb":
            links[path] = m.group(1)
    return links


def test_notebook_navigation(notebook):
    order = [p.resolve() for p in course_notebooks()]
    i = order.index(notebook.resolve())
    expected = {order[j]: word for j, word in ((i - 1, "Previous"), (i + 1, "Next")) if 0 <= j < len(order)}

    nb = nbformat.read(notebook, as_version=4)
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    assert markdown, f"{notebook.name} has no markdown cell"
    problems = []
    for where, cell in (("first markdown cell", markdown[0]), ("last cell", nb.cells[-1])):
        line = navigation_line(cell.source, notebook) if cell.cell_type == "markdown" else None
        if line is None:
            problems.append(f"the {where} has no navigation line (a line linking to the index, ../README.md)")
            continue
        links = navigation_links(line, notebook)
        if set(links) != set(expected):
            problems.append(
                f"the {where}'s navigation links to {sorted(p.name for p in links)}; "
                f"expected {sorted(p.name for p in expected)} (previous / next in file order): {line!r}"
            )
        for path, word in expected.items():
            if path in links and word.lower() not in links[path].lower():
                problems.append(f"the {where}: the link to {path.name} should say {word!r}: {links[path]!r}")
    assert not problems, f"{notebook.name}:\n" + "\n".join(problems)

"""`make site`: the course as a static website, loaded page by page in Chromium.

tools/make_site.py writes the site into a temporary folder; a local HTTP
server serves it; headless Chromium (Debian's, through Playwright) loads every
page, checks that every image has loaded (natural width > 0), and follows
every relative link: the target page or file must exist (images from other
sites, such as the Binder badge, are not checked: the test stays offline), and a link with an
anchor must land on an element with that id. Skipped without Chromium.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/lib/chromium/chromium"))
pytestmark = [pytest.mark.browser, pytest.mark.slow]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    run = subprocess.run([sys.executable, str(REPO / "tools/make_site.py"), str(out)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return out


def test_site_has_every_notebook_and_the_index(site):
    notebooks = sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks"
    assert sorted(p.stem for p in (site / "notebooks").glob("*.html")) == notebooks
    assert (site / "index.html").exists()
    for name in notebooks:
        page = (site / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget-view+json" not in page, f"{name}: a widget output was left in"
        assert "<img" in page and "data:image/png;base64" in page, f"{name}: no stored figure on the page"


def test_every_page_loads_its_images_and_links_resolve(site):
    if not CHROMIUM.exists():
        pytest.skip(f"chromium not installed ({CHROMIUM} missing); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    problems = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            # Nothing outside this machine: the MathJax CDN request is answered empty at once.
            page.route(lambda url: not url.startswith(base), lambda route: route.fulfill(status=204, body=""))
            queue, seen, anchors = ["/index.html"], set(), []
            while queue:
                path = queue.pop()
                if path in seen:
                    continue
                seen.add(path)
                page.goto(base + path, wait_until="load")
                broken = page.eval_on_selector_all(
                    "img", "(imgs, base) => imgs.filter(i => i.src.startsWith(base) || i.src.startsWith('data:'))"
                    "  .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))", base)
                problems += [f"{path}: image not loaded: {src}" for src in broken]
                hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
                for href in hrefs:
                    parsed = urlparse(href)
                    if parsed.scheme or href.startswith(("#", "mailto:")):
                        continue
                    target = (Path(path).parent / unquote(parsed.path)).as_posix()
                    target = os.path.normpath(target)
                    if parsed.path.endswith("/"):  # a folder: its index page
                        target += "/index.html"
                    if not (site / target.lstrip("/")).is_file():
                        problems.append(f"{path}: broken link {href}")
                        continue
                    if target.endswith(".html"):
                        queue.append(target)
                        if parsed.fragment:
                            anchors.append((path, target, parsed.fragment))
            for source, target, fragment in anchors:
                page.goto(base + target, wait_until="load")
                # a browser matches the fragment as written, then percent-decoded (HTML's indicated element)
                if page.evaluate("ids => ids.every(id => document.getElementById(id) === null)",
                                 [fragment, unquote(fragment)]):
                    problems.append(f"{source}: link to {target}#{fragment}: no element with that id")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert len(seen) >= 1 + len(list((REPO / "notebooks").glob("*.ipynb")))
    assert not problems, "\n".join(problems)

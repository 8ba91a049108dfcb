"""Every notebook works in a real browser: JupyterLab in headless Chromium, driven by Playwright.

JupyterLab runs from this venv on 127.0.0.1 (free port, no token, --allow-root),
on a temporary copy of notebooks/ (autosave never touches the repository), with
its settings, workspaces and Jupyter data/config in temporary directories. For
each notebook: open it, clear its outputs, Run All Cells, wait until every code
cell has run; then assert no "Error displaying widget", no error or stderr
output, at least one slider, that moving each explorer's first slider (an
ipywidgets slider in an output that also shows an <img>) changes that image,
and that no part of any explorer (picture, slider, label, readout) reaches
outside its output area. Two layouts (issue #15): a 1280x800 laptop with the
file browser open, and talk mode (ACTS_TALK=1 in the kernel's environment) on
a 1920x1080 projector. A screenshot per notebook and layout goes to a
temporary directory, printed at the end. Live slides (RISE, talk layout only):
notebook 00 opened as a slideshow at /rise/<path>, cleared and run from there
(two keyboard shortcuts the test's settings bind, as RISE's page exposes no
app object), then on the first explorer's slide its slider is dragged and its
image must change.

Needs Debian's Chromium (/usr/lib/chromium/chromium; .ci/run installs it):
skipped with a clear reason without it, and when notebooks/ is empty. Every
process the test starts (JupyterLab, its kernels, Playwright's driver,
Chromium) is stopped by PID in the teardown.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
import pytest
from course_paths import COURSE_ROOT, course_notebooks

CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/lib/chromium/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
STARTUP_TIMEOUT = 90  # s, JupyterLab answering
RUN_TIMEOUT = 180  # s, one notebook's Run All
IMAGE_TIMEOUT = 10  # s, an image changing after a slider step

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Settings for the temporary JupyterLab: every cell stays in the DOM (no windowing),
# no news or update pop-ups over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # RISE's slideshow page exposes no app object to script: these keys run its notebook commands
    "@jupyterlab/shortcuts-extension/shortcuts.jupyterlab-settings": {"shortcuts": [
        {"command": "notebook:clear-all-cell-outputs", "keys": ["Ctrl Shift F8"], "selector": "body"},
        {"command": "notebook:run-all-cells", "keys": ["Ctrl Shift F9"], "selector": "body"},
    ]},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True,
    },
}


def stop_pids(pids, grace=10):
    """SIGTERM each PID still alive, then SIGKILL what is left after `grace` seconds."""
    procs = []
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            proc.terminate()
            procs.append(proc)
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for proc in alive:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=grace)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: (viewport, environment of the server and its kernels) per layout
LAYOUTS = {
    "laptop": ({"width": 1280, "height": 800}, {}),
    "talk": ({"width": 1920, "height": 1080}, {"ACTS_TALK": "1"}),
}


@pytest.fixture(scope="module", params=list(LAYOUTS))
def layout(request):
    return request.param


@pytest.fixture(scope="module")
def lab(tmp_path_factory, layout):
    """JupyterLab on a temporary copy of the notebooks: (base URL, the copy's notebooks dir, server log)."""
    if not CHROMIUM.exists():
        pytest.skip(f"chromium not installed ({CHROMIUM} missing): browser test skipped; .ci/run installs it")
    if not course_notebooks():
        pytest.skip(f"no notebooks in {COURSE_ROOT / 'notebooks'} yet: browser test skipped")
    base = tmp_path_factory.mktemp("lab")
    course = base / "course"
    shutil.copytree(COURSE_ROOT / "notebooks", course / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    settings = base / "settings"
    for name, value in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(JUPYTER_CONFIG_DIR=str(base / "config"), JUPYTER_DATA_DIR=str(base / "data"),
               JUPYTER_RUNTIME_DIR=str(base / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"), IPYTHONDIR=str(base / "ipython"),
               **LAYOUTS[layout][1])
    port = free_port()
    log_path = base / "jupyterlab.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed in the teardown
    cmd = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        "--ServerApp.port_retries=0", "--ServerApp.token=", "--ServerApp.password=", "--allow-root",
        f"--ServerApp.root_dir={course}", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.expose_app_in_browser=True",
        "--ServerApp.disable_check_xsrf=True",  # the teardown of each notebook DELETEs its kernel session
    ]
    server = subprocess.Popen(cmd, cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"jupyter lab exited ({server.returncode}):\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer in {STARTUP_TIMEOUT} s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url, course / "notebooks", log_path
    finally:
        # the kernels run in sessions of their own: collect every descendant's PID before stopping the server
        try:
            children = [p.pid for p in psutil.Process(server.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            children = []
        try:
            os.killpg(server.pid, signal.SIGTERM)  # the server's own process group (start_new_session)
        except ProcessLookupError:
            pass
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        stop_pids(children)
        log.close()


@pytest.fixture(scope="module")
def browser(lab, layout, tmp_path_factory):
    """A Chromium context (Playwright, Debian's Chromium, fresh profile); its processes stopped by PID afterwards."""
    from playwright.sync_api import sync_playwright

    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    profile = tmp_path_factory.mktemp("chromium-profile")
    manager = sync_playwright().start()
    try:
        context = manager.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport=LAYOUTS[layout][0],
        )
        started = {p.pid for p in me.children(recursive=True)} - before
        try:
            yield context
        finally:
            context.close()
    finally:
        manager.stop()
        stop_pids(started if "started" in locals() else set())


@pytest.fixture(scope="module")
def screenshots(report):
    path = Path(tempfile.mkdtemp(prefix="course-browser-"))
    yield path
    report(f"browser test screenshots: {path}")


@pytest.fixture(scope="module")
def report(request):  # module-scoped twin of the report fixture in conftest.py
    terminal = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")

    def write(text):
        with capture.global_and_fixture_disabled():
            terminal.write_line("")
            terminal.write_line(text)

    return write


def code_cells_to_run(notebook):
    nb = nbformat.read(notebook, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())


def run_command(page, command):
    """Run a JupyterLab command (what its menu entry runs) on the current notebook."""
    page.evaluate("command => window.jupyterapp.commands.execute(command)", command)


KERNEL_IDLE = """path => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.context || panel.context.path !== path) return false;
    const session = panel.sessionContext && panel.sessionContext.session;
    return !!(session && session.kernel) && session.kernel.status === "idle";
}"""


def shut_down_kernels(url):
    """Stop every kernel session of the test server (through its REST API), so each notebook runs alone."""
    with urllib.request.urlopen(f"{url}/api/sessions", timeout=10) as answer:
        sessions = json.load(answer)
    for session in sessions:
        request = urllib.request.Request(f"{url}/api/sessions/{session['id']}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'  # errors and stderr


def wait_for_run(page, path, expected, timeout):
    """Wait until `expected` code cells have run, or Run All stopped at an error; return how many ran."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
        done = sum(bool(re.fullmatch(r"\s*\[\d+\]:\s*", p)) for p in prompts)
        busy = sum("*" in p for p in prompts)
        if busy == 0 and page.evaluate(KERNEL_IDLE, path):
            if done >= expected or page.locator(STDERR_OUTPUT).count():  # Run All stops at an error
                return done
        time.sleep(0.25)
    raise AssertionError(f"Run All did not finish in {timeout} s ({done}/{expected} cells done, {busy} running)")


def move_slider_and_wait(page, slider, image):
    """Step a slider with the keyboard (then by dragging); True when the image's src changed."""
    before = image.get_attribute("src")
    handle = slider.locator(".noUi-handle").first
    for key in ("ArrowRight", "ArrowLeft"):
        handle.focus()
        for _ in range(3):
            handle.press(key)
        if _src_changes(page, image, before):
            return True
    box = slider.locator(".noUi-base, .noUi-target").first.bounding_box()
    if box:
        page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2, steps=5)
        page.mouse.up()
        return _src_changes(page, image, before)
    return False


def _src_changes(page, image, before):
    deadline = time.monotonic() + IMAGE_TIMEOUT
    while time.monotonic() < deadline:
        if image.get_attribute("src") != before:
            return True
        time.sleep(0.1)
    return False


def test_notebook_in_jupyterlab(notebook, layout, lab, browser, screenshots, report):
    url, copies, log_path = lab
    page = browser.new_page()
    try:
        check_notebook(page, url, notebook, screenshots, report, layout)
    finally:
        page.close()
        shut_down_kernels(url)


OVERFLOW = """output => {
    // every visible part of the explorer in this output area must lie inside the area (1 px of slack),
    // and no readout or label may cut its own text off
    const area = output.getBoundingClientRect();
    const bad = [];
    for (const el of output.querySelectorAll(".jupyter-widgets *")) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
        if (el.closest("style")) continue;
        if (r.right > area.right + 1 || r.left < area.left - 1) {
            const what = (el.className && el.className.baseVal === undefined ? el.className : el.tagName);
            const span = `${Math.round(r.left)}..${Math.round(r.right)}`;
            bad.push(`${what}: ${span} outside ${Math.round(area.left)}..${Math.round(area.right)}`);
        }
    }
    for (const el of output.querySelectorAll(".widget-readout, .widget-label, .widget-html-content")) {
        if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {  // text cut off inside its own box
            bad.push(`text clipped in ${el.className}: "${el.textContent.trim().slice(0, 30)}"`);
        }
    }
    for (const el of output.querySelectorAll(".widget-slider .noUi-target, .widget-slider .slider")) {
        const w = el.getBoundingClientRect().width;
        if (w < 80) bad.push(`slider track only ${Math.round(w)} px wide`);  // squeezed out by a long label
    }
    return bad.slice(0, 5);
}"""


def check_notebook(page, url, notebook, screenshots, report, layout="laptop"):
    path = f"notebooks/{notebook.name}"
    start = time.perf_counter()
    page.goto(f"{url}/lab/tree/{path}?reset", wait_until="domcontentloaded", timeout=60_000)
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    page.wait_for_function(KERNEL_IDLE, arg=path, timeout=60_000)
    if layout == "laptop":  # the file browser open beside the notebook, as a learner has it
        run_command(page, "filebrowser:activate")
        page.locator(".jp-FileBrowser").first.wait_for(state="visible", timeout=10_000)
    opened = time.perf_counter()

    run_command(page, "notebook:clear-all-cell-outputs")
    run_command(page, "notebook:run-all-cells")
    expected = code_cells_to_run(notebook)
    cells_run = wait_for_run(page, path, expected, RUN_TIMEOUT)
    page.wait_for_timeout(500)  # let the last widget views render
    ran = time.perf_counter()

    notebook_area = page.locator(".jp-NotebookPanel:visible .jp-Notebook")
    widget_errors = notebook_area.get_by_text("Error displaying widget").count()
    errors = notebook_area.locator(STDERR_OUTPUT)
    error_texts = [t[:500] for t in errors.all_inner_texts()]
    sliders = notebook_area.locator(".widget-slider")
    outputs = notebook_area.locator(".jp-OutputArea-output").filter(has=page.locator(".widget-slider"))
    explorers = outputs.filter(has=page.locator(".jupyter-widgets img"))

    moved, stuck, overflowing = 0, [], []
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        outside = explorer.evaluate(OVERFLOW)
        if outside:
            overflowing.append(f"explorer {i}: {outside}")
        slider = explorer.locator(".widget-slider").first
        image = explorer.locator(".jupyter-widgets img").first
        label = slider.locator(".widget-label").first.inner_text() if slider.locator(".widget-label").count() else "?"
        if move_slider_and_wait(page, slider, image):
            moved += 1
        else:
            stuck.append(f"explorer {i} (slider {label!r})")
    shot = screenshots / f"{notebook.stem}-{layout}.png"
    page.screenshot(path=str(shot))
    finished = time.perf_counter()
    report(
        f"browser {notebook.name} ({layout}): open {opened - start:.1f} s, run all {ran - opened:.1f} s, "
        f"{sliders.count()} sliders, {moved}/{explorers.count()} explorers answered ({finished - ran:.1f} s); {shot}"
    )

    assert widget_errors == 0, f"{notebook.name}: 'Error displaying widget' x{widget_errors}"
    assert not error_texts, f"{notebook.name}: error/stderr output in the browser:\n" + "\n---\n".join(error_texts)
    assert cells_run == expected, f"{notebook.name}: Run All stopped after {cells_run} of {expected} code cells"
    assert sliders.count() >= 1, f"{notebook.name}: no slider rendered (screenshot {shot})"
    assert explorers.count() >= 1, f"{notebook.name}: no explorer (a slider beside an image) rendered ({shot})"
    assert not stuck, f"{notebook.name}: moving the slider did not change the image of {stuck} ({shot})"
    assert not overflowing, f"{notebook.name} ({layout}): explorers reach outside their output area: {overflowing}"


# ---------------------------------------------------------------- live slides (RISE)

RISE_NOTEBOOK = "00_why_activation_functions.ipynb"

RISE_PROMPTS = """() => {
    const prompts = [...document.querySelectorAll(".jp-CodeCell .jp-InputPrompt")].map(p => p.textContent.trim());
    return {done: prompts.filter(p => /^\\[\\d+\\]:$/.test(p)).length,
            busy: prompts.filter(p => p.includes("*")).length, total: prompts.length};
}"""


def kernel_states(url):
    with urllib.request.urlopen(f"{url}/api/kernels", timeout=10) as answer:
        return [k["execution_state"] for k in json.load(answer)]


def wait_for_rise_run(page, url, expected, timeout):
    """Wait until `expected` code cells show an execution count, none is busy, and every kernel is idle."""
    deadline = time.monotonic() + timeout
    state = {}
    while time.monotonic() < deadline:
        state = page.evaluate(RISE_PROMPTS)
        if state["busy"] == 0 and state["done"] >= expected and set(kernel_states(url)) == {"idle"}:
            return state["done"]
        if page.locator(STDERR_OUTPUT).count():
            return state["done"]
        time.sleep(0.25)
    raise AssertionError(f"RISE: Run All did not finish in {timeout} s ({state})")


def test_live_slideshow_explorer_answers(layout, lab, browser, screenshots, report):
    """RISE (jupyterlab-rise): open a notebook as a slideshow (/rise/<path>), clear it, run all cells from the
    slideshow, go to the first explorer's slide, drag its first slider and see its image change."""
    if layout != "talk":
        pytest.skip("the live slideshow is checked once, in the projector layout (talk)")
    url, copies, log_path = lab
    notebook = copies / RISE_NOTEBOOK
    if not notebook.exists():
        pytest.skip(f"no {RISE_NOTEBOOK}")
    page = browser.new_page()
    start = time.perf_counter()
    try:
        page.goto(f"{url}/rise/notebooks/{RISE_NOTEBOOK}", wait_until="domcontentloaded", timeout=60_000)
        page.locator(".reveal .slides section .jp-Cell").first.wait_for(state="attached", timeout=60_000)
        page.locator(".reveal.ready").wait_for(state="attached", timeout=60_000)
        deadline = time.monotonic() + 60
        while set(kernel_states(url)) != {"idle"} and time.monotonic() < deadline:
            time.sleep(0.25)
        expected = code_cells_to_run(notebook)
        page.keyboard.press("Escape")  # command mode: the shortcuts go to the notebook, not to a cell editor
        page.keyboard.press("Control+Shift+F8")  # clear every output and execution count
        page.wait_for_function(f"() => ({RISE_PROMPTS})().done === 0", timeout=30_000)
        page.keyboard.press("Control+Shift+F9")  # run all cells
        ran = wait_for_rise_run(page, url, expected, RUN_TIMEOUT)
        errors = [t[:300] for t in page.locator(STDERR_OUTPUT).all_inner_texts()]
        widget_errors = page.get_by_text("Error displaying widget").count()

        explorer = page.locator(".jp-OutputArea-output").filter(has=page.locator(".widget-slider")) \
            .filter(has=page.locator(".jupyter-widgets img")).first
        explorer.wait_for(state="attached", timeout=30_000)
        slide_id = explorer.evaluate("el => el.closest('section').id")
        page.evaluate("id => { window.location.hash = '#/' + id; }", slide_id)
        page.wait_for_function("id => document.getElementById(id).classList.contains('present')", arg=slide_id,
                               timeout=10_000)
        image = explorer.locator(".jupyter-widgets img").first
        image.wait_for(state="visible", timeout=10_000)
        before = image.get_attribute("src")
        track = explorer.locator(".widget-slider .noUi-base, .widget-slider .noUi-target").first
        box = track.bounding_box()
        # the mouse, not the keyboard: reveal.js takes the arrow keys to change slides
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.85, box["y"] + box["height"] / 2, steps=6)
        page.mouse.up()
        changed = _src_changes(page, image, before)
        shot = screenshots / f"rise-{notebook.stem}.png"
        page.screenshot(path=str(shot))
    finally:
        page.close()
        shut_down_kernels(url)
    report(f"RISE {RISE_NOTEBOOK}: {ran}/{expected} cells run from the slideshow, explorer on slide {slide_id} "
           f"answered: {changed} ({time.perf_counter() - start:.1f} s); {shot}")
    assert widget_errors == 0, f"RISE: 'Error displaying widget' x{widget_errors} ({shot})"
    assert not errors, "RISE: error/stderr output:\n" + "\n---\n".join(errors)
    assert ran == expected, f"RISE: Run All stopped after {ran} of {expected} code cells ({shot})"
    assert changed, f"RISE: dragging the slider on slide {slide_id} did not change the explorer's image ({shot})"

"""A pre-class check: is this machine ready to teach the course? (`make check`, about a minute.)

It confirms, in this order, and stops at the first essential failure:

1. a Jupyter kernel starts from the course's environment;
2. `acts` imports in that kernel;
3. an explorer renders there and its image changes when a slider moves;
4. the browser test's prerequisites are present (Chromium and Playwright):
   only needed for `make test`, so missing ones are reported, not fatal.

It prints OK for each step, or what is wrong and how to fix it, and exits 0
when the essential steps (1-3) pass.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/lib/chromium/chromium"))
TIMEOUT = 60  # s for any one step in the kernel

# Runs in the kernel: build an explorer (Swish, whose beta slider reshapes the
# curve), move its sliders, and report whether the image bytes changed. It walks the widget tree,
# so it does not depend on how an explorer lays out its controls.
EXPLORER_PROBE = r"""
import ipywidgets as W
import acts

def _walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from _walk(c)

_box = acts.widgets.explore("swish")
_box = getattr(_box, "widget", _box)
_parts = list(_walk(_box))
_image = next(w for w in _parts if isinstance(w, W.Image))
_sliders = [w for w in _parts if isinstance(w, (W.FloatSlider, W.IntSlider, W.FloatLogSlider, W.SelectionSlider))]
_before = bytes(_image.value)
for _slider in _sliders:  # move each slider to its other end until the picture changes
    if isinstance(_slider, W.SelectionSlider):
        _values = [v for _, v in _slider.options]
        _slider.value = _values[-1] if _slider.value != _values[-1] else _values[0]
    else:
        _slider.value = _slider.max if _slider.value != _slider.max else _slider.min
    _after = bytes(_image.value)
    if _after != _before:
        break
print("explorer-changed" if _after != _before else "explorer-unchanged", len(_sliders), "sliders")
"""


def step(label: str, ok: bool, fix: str = "") -> bool:
    print(f"{'OK  ' if ok else 'FAIL'} {label}")
    if not ok and fix:
        print(f"     how to fix: {fix}")
    return ok


def run_in_kernel(client, code: str) -> tuple[str, str]:
    """Execute code; return (stdout text, error text)."""
    msg_id = client.execute(code)
    out, err = [], []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        msg = client.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            (out if content["name"] == "stdout" else err).append(content["text"])
        elif kind == "error":
            err.append(f"{content['ename']}: {content['evalue']}")
        elif kind == "status" and content["execution_state"] == "idle":
            break
    return "".join(out), "".join(err)


def main() -> int:
    start = time.monotonic()
    print(f"Pre-class check of the course in {ROOT}")
    try:
        from jupyter_client.manager import KernelManager
    except ImportError:
        step("Jupyter is installed", False, "run `make lab` once (it installs the pinned environment)")
        return 1
    try:
        # IPC sockets in a private folder: a local kernel needs no TCP port (and gives no TCP warning).
        manager = KernelManager(kernel_name="python3", transport="ipc",
                                ip=str(Path(tempfile.mkdtemp(prefix="course-check-")) / "kernel"))
        manager.start_kernel(cwd=str(ROOT / "notebooks"))
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=TIMEOUT)
    except Exception as exc:  # any start-up failure is reported, with its cause
        step("a kernel starts", False, f"{type(exc).__name__}: {exc}; try `make clean && make lab`")
        return 1
    essential = True
    try:
        step(f"a kernel starts ({time.monotonic() - start:.1f} s)", True)
        out, err = run_in_kernel(client, "import acts; print(len(acts.names()))")
        essential = step(f"acts imports ({out.strip() or '?'} activations)", not err and out.strip().isdigit(),
                         f"{err.strip()}; install the course into the environment: `make lab`, "
                         f"or `.venv/bin/pip install -e .`")
        if essential:
            t0 = time.monotonic()
            out, err = run_in_kernel(client, EXPLORER_PROBE)
            changed = out.startswith("explorer-changed")
            essential = step(f"an explorer renders and reacts to a slider ({time.monotonic() - t0:.1f} s)",
                             changed and not err,
                             (err.strip() or out.strip()) + "; run `make test` to see which part of acts fails")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)

    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium at {CHROMIUM} (Debian: `apt-get install chromium`)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("Python Playwright (`make test` installs the development requirements)")
    if missing:
        print("NOTE the browser test (part of `make test`) will be skipped; it needs: " + "; ".join(missing))
    else:
        step("browser-test prerequisites: Chromium and Playwright", True)

    elapsed = time.monotonic() - start
    print(f"{'OK' if essential else 'NOT READY'}: pre-class check finished in {elapsed:.0f} s")
    return 0 if essential else 1


if __name__ == "__main__":
    sys.exit(main())

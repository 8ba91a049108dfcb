"""The teaching kit's commands, run as a user runs them: `make lab`, `make check`, `make student`.

`make lab` is started for real (as root, as CI runs, and as an unprivileged
user where this machine has one we can switch to), its token is read from what
JupyterLab prints, an HTTP request with that token must get 200, and every
process it started is stopped by PID.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import psutil
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import student_copies  # noqa: E402

pytestmark = pytest.mark.slow
URL = re.compile(r"http://127\.0\.0\.1:(\d+)/lab\?token=([0-9a-f]+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_tree(pid: int) -> None:
    try:
        parent = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    procs = [*parent.children(recursive=True), parent]
    for p in procs:
        try:
            p.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=10)
    for p in alive:
        p.kill()


def serve_lab(prefix: list[str], env: dict, course: Path = REPO, args: tuple = (), timeout: float = 120):
    """Start `make lab`, wait for its URL, GET /api/status with the token; return (HTTP status, log)."""
    port = free_port()
    cmd = [*prefix, "make", "-C", str(course), "lab", *args,
           f"LAB_ARGS=--port={port} --no-browser --ServerApp.port_retries=0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    log = []
    try:
        deadline = time.monotonic() + timeout
        token = None
        os.set_blocking(proc.stdout.fileno(), False)
        while time.monotonic() < deadline and proc.poll() is None:
            line = proc.stdout.readline()
            if not line:
                time.sleep(0.2)
                continue
            log.append(line)
            match = URL.search(line)
            if match:
                token = match.group(2)
                break
        assert token, "make lab printed no URL with a token:\n" + "".join(log[-30:])
        status = None
        for _attempt in range(60):  # the URL can be printed a moment before the socket accepts connections
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=20) as reply:
                    status = reply.status
                break
            except urllib.error.URLError as err:
                if not isinstance(err.reason, ConnectionRefusedError) or proc.poll() is not None:
                    raise
                time.sleep(0.5)
        assert status is not None, "JupyterLab printed its URL but refused connections for 30 s:\n" + "".join(log)
        # Without the token the server must refuse: it is not open to anyone on the machine.
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=20)
            refused = False
        except urllib.error.HTTPError as err:
            refused = err.code == 403
        assert refused, "JupyterLab answered /api/status without a token"
        return status, "".join(log)
    finally:
        stop_tree(proc.pid)
        proc.wait(timeout=30)
        proc.stdout.close()


def test_make_lab_serves_as_this_user(tmp_path):
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg")}
    status, _ = serve_lab([], env, timeout=900)  # the first `make lab` may install the pinned versions first
    assert status == 200


def test_make_lab_serves_as_an_unprivileged_user(tmp_path):
    """A normal user's first `make lab` on a fresh copy of the course: builds .venv, then serves."""
    python = Path("/usr/bin/python3")
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root and runuser to switch to an unprivileged user")
    if not python.exists():
        pytest.skip(f"no system Python at {python} that an unprivileged user can run")
    tmp_path.chmod(0o755)
    for parent in tmp_path.parents:  # pytest's base folder is private to root: open the path to it
        if parent == Path(tempfile.gettempdir()):
            break
        parent.chmod(parent.stat().st_mode | 0o055)
    course = tmp_path / "course"
    files = subprocess.run(["git", "-C", str(REPO), "ls-files", "-co", "--exclude-standard"], capture_output=True,
                           text=True, check=True).stdout.split()
    for name in files:
        if (REPO / name).is_file():
            (course / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, course / name)
    home = tmp_path / "home"
    home.mkdir()
    for path in [home, course, *course.rglob("*")]:
        os.chown(path, 65534, 65534)
    user_env = {"HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
                "JUPYTER_CONFIG_DIR": str(home / "cfg"), "JUPYTER_DATA_DIR": str(home / "data"),
                "IPYTHONDIR": str(home / "ipython"), "MPLCONFIGDIR": str(home / "mpl")}
    # runuser sets HOME to the user's (nobody's does not exist); env sets the user's variables after it
    prefix = ["runuser", "-u", "nobody", "--", "env", *(f"{k}={v}" for k, v in user_env.items())]
    status, log = serve_lab(prefix, {"PATH": os.environ["PATH"]}, course, [f"PYTHON={python}"], timeout=900)
    assert status == 200
    assert "--allow-root" not in log


def test_make_check_passes():
    run = subprocess.run(["make", "-C", str(REPO), "check"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "OK: pre-class check finished" in run.stdout
    assert "FAIL" not in run.stdout


def test_student_copies_have_no_solutions_and_the_same_code(tmp_path):
    out = tmp_path / "student"
    run = subprocess.run([sys.executable, str(REPO / "tools/student_copies.py"), str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    originals = sorted((REPO / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in originals]
    for original in originals:
        a, b = nbformat.read(original, 4), nbformat.read(out / original.name, 4)
        had = sum("<details" in c.source for c in a.cells if c.cell_type == "markdown")
        assert not any("<details" in c.source for c in b.cells), f"{original.name}: a solution survived"
        assert sum(student_copies.NOTE in c.source for c in b.cells) == had
        code_a = [c.source for c in a.cells if c.cell_type == "code"]
        code_b = [c.source for c in b.cells if c.cell_type == "code"]
        assert code_a == code_b, f"{original.name}: the student copy changed a code cell (a check would differ)"


def test_strip_solutions_keeps_the_rest():
    text = "Question.\n\n<details><summary>Solution</summary>\n\n`42`\n</details>\n\nAfter."
    out, n = student_copies.strip_solutions(text)
    assert n == 1 and "42" not in out and out.startswith("Question.") and out.endswith("After.")
    assert student_copies.strip_solutions("no solution here") == ("no solution here", 0)

"""The README's Python versions: the pinned environment installs, and notebook 00 runs, on the oldest
and the newest supported Python this machine has (tools/check_pythons.py, also `make pythons`)."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import check_pythons  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("which", ["oldest", "newest"])
def test_course_installs_and_runs(which, report):
    pythons = check_pythons.default_pythons()
    if not pythons:
        pytest.skip("no supported Python found on this machine")
    if which == "newest" and len(pythons) < 2:
        pytest.skip(f"only one supported Python here ({pythons[0]}): checked as the oldest")
    python = pythons[0] if which == "oldest" else pythons[-1]
    ok, message = check_pythons.check(python)
    assert ok, message
    report(message)


def test_an_unsupported_python_is_reported(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    run = subprocess.run([sys.executable, str(REPO / "tools/check_pythons.py"), str(fake)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 1 and "FAIL" in run.stdout

"""Shared helpers for the course-wide tests (links, hygiene, slides, browser).

Tests that take a `notebook` argument run once per notebooks/*.ipynb, in file
order; with no notebooks yet they are skipped with a clear reason.
COURSE_ROOT=/path points those tests at another copy of the course (a
throwaway course, to test the tests); the default is this repository.
"""

import pytest
from course_paths import COURSE_ROOT, course_notebooks


def pytest_generate_tests(metafunc):
    if "notebook" in metafunc.fixturenames:
        notebooks = course_notebooks()
        if notebooks:
            metafunc.parametrize("notebook", notebooks, ids=[nb.stem for nb in notebooks])
        else:
            reason = f"no notebooks in {COURSE_ROOT / 'notebooks'} yet: nothing to check"
            metafunc.parametrize("notebook", [pytest.param(None, marks=pytest.mark.skip(reason=reason))])


@pytest.fixture
def report(request):
    """report(text): a line in pytest's output, shown even when output is captured."""
    terminal = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")

    def write(text):
        if terminal is None or capture is None:  # pragma: no cover - plugins disabled
            print(text)
            return
        with capture.global_and_fixture_disabled():
            terminal.write_line("")
            terminal.write_line(text)

    return write

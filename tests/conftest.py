"""Shared helpers: the course-wide tests (links, hygiene, slides, browser) and the helpers of the module tests.

Tests that take a `notebook` argument run once per notebooks/*.ipynb, in file
order; with no notebooks yet they are skipped with a clear reason.
COURSE_ROOT=/path points those tests at another copy of the course (a
throwaway course, to test the tests); the default is this repository.
"""

import pytest
from activation_cases import activation_cases, activation_param_sets
from course_paths import COURSE_ROOT, course_notebooks


def pytest_generate_tests(metafunc):
    _parametrize_activations(metafunc)
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


# ---------------------------------------------------------------- helpers shared by the test modules
# Test modules cannot import conftest by name (notebooks/ has one too), so the
# helpers are fixtures, and the parameter sets of every activation are given
# to any test that asks for both `name` and `params` without parametrizing them
# (they are read from the records in activation_cases.py, which a test module
# may import to parametrize by hand).

def _parametrized(metafunc):
    return {arg.strip() for mark in metafunc.definition.iter_markers("parametrize")
            for arg in (mark.args[0].split(",") if isinstance(mark.args[0], str) else mark.args[0])}


def _parametrize_activations(metafunc):
    if {"name", "params"} <= set(metafunc.fixturenames) and not {"name", "params"} & _parametrized(metafunc):
        metafunc.parametrize(("name", "params"), list(activation_cases()))


@pytest.fixture
def param_sets():
    """param_sets(name): the parameter sets of ``activation_param_sets`` (defaults, presets, slider ends)."""
    return activation_param_sets


@pytest.fixture
def assert_verdicts(capsys):
    """assert_verdicts(check_fn, right, wrong): the exercise check says correct to a right answer, not yet
    to a wrong one, not attempted to the untouched placeholder (``...``, or a stub raising
    NotImplementedError for a function exercise) and to None, and prints both verdicts."""
    from acts import check

    def stub(*args):
        raise NotImplementedError

    def run(check_fn, right, wrong, *args):
        assert check_fn(right, *args).status == check.CORRECT
        assert check_fn(wrong, *args).status == check.WRONG
        untouched = stub if callable(right) else ...
        assert check_fn(untouched, *args).status == check.NOT_ATTEMPTED
        assert check_fn(None, *args).status == check.NOT_ATTEMPTED
        out = capsys.readouterr().out
        assert "Correct" in out and "Not yet" in out

    return run


#: Answers a learner might type that are no answer at all: a check must say "not yet", never raise.
ODD_ANSWERS = ("seven", float("nan"), [1, 2], lambda x: 1 / 0, object())


@pytest.fixture
def assert_never_raises(capsys):
    """assert_never_raises(check_fn): every one of ``ODD_ANSWERS`` gets a wrong or not-attempted verdict."""
    from acts import check

    def run(check_fn):
        for odd in ODD_ANSWERS:
            assert check_fn(odd).status in (check.WRONG, check.NOT_ATTEMPTED), odd
        capsys.readouterr()

    return run

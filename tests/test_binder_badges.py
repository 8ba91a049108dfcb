"""Every Binder badge (README and notebooks) points at the address in binder/repository, which is not the
placeholder (a skipped check, with what to do, while it is)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_tool():
    spec = importlib.util.spec_from_file_location("binder_badges", ROOT / "tools" / "binder_badges.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_badge_matches_binder_repository():
    stale = load_tool().update(check=True)
    assert not stale, f"run .venv/bin/python tools/binder_badges.py; out of date: {[p.name for p in stale]}"


def test_badge_opens_the_notebook_itself():
    tool = load_tool()
    badge = tool.badge("01_saturated.ipynb")
    assert tool.repository() in badge and badge.endswith("urlpath=lab/tree/notebooks/01_saturated.ipynb)")


PLACEHOLDER = "YOUR-ACCOUNT"


def test_binder_repository_is_published():
    """While binder/repository holds the placeholder, every badge leads to an error page: say how to publish."""
    repository = load_tool().repository()
    assert repository.count("/") >= 2 and repository.startswith(("gh/", "gl/", "git/", "zenodo/")), \
        f"binder/repository: {repository!r} is not a mybinder.org address (e.g. gh/ACCOUNT/REPOSITORY/HEAD)"
    if PLACEHOLDER in repository:
        pytest.skip(f"binder/repository holds the placeholder {repository!r}: to publish, write the real "
                    "address there (one line, e.g. gh/ACCOUNT/activation-functions-explored/HEAD) and run "
                    ".venv/bin/python tools/binder_badges.py, which rewrites every badge (README and notebooks)")


def test_nbgitpuller_link_reads_the_same_address():
    tool = load_tool()
    link = tool.nbgitpuller_link("https://hub.example.edu/")
    account, name = tool.repository().split("/")[1:3]
    assert link.startswith("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2F")
    assert f"{account}%2F{name}" in link and f"urlpath=lab%2Ftree%2F{name}%2Fnotebooks%2F00_" in link

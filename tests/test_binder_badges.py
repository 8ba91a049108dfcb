"""Every Binder badge (README and notebooks) points at the address in binder/repository."""

import importlib.util
from pathlib import Path

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

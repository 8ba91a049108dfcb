"""The README's picture is made by tools/readme_figure.py, not by hand."""

import importlib.util
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def test_script_redraws_the_committed_picture(tmp_path):
    spec = importlib.util.spec_from_file_location("readme_figure", ROOT / "tools" / "readme_figure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module.main(tmp_path / "overview.png")
    committed = ROOT / "docs" / "images" / "overview.png"
    assert committed.exists(), "run tools/readme_figure.py and commit docs/images/overview.png"
    with Image.open(fresh) as new, Image.open(committed) as old:
        assert new.size == old.size
    assert "docs/images/overview.png" in (ROOT / "README.md").read_text()

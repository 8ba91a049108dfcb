"""Draw the README's picture from the course's own plotting code.

    .venv/bin/python tools/readme_figure.py            # writes docs/images/overview.png

The picture is two saturating and two unsaturated activations and their
derivatives, drawn by ``acts.plotting.plot_overlay`` exactly as a notebook
draws it; re-run this script after changing the plotting style.
"""

from __future__ import annotations

import sys
from pathlib import Path

from acts import plotting

NAMES = ("sigmoid", "tanh", "relu", "gelu")
TARGET = Path(__file__).resolve().parent.parent / "docs" / "images" / "overview.png"


def main(target: Path = TARGET) -> Path:
    fig = plotting.plot_overlay(list(NAMES), x=(-4.0, 4.0), talk=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(plotting.to_png(fig, compress_level=9))
    return target


if __name__ == "__main__":
    print(f"wrote {main(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET).name}")

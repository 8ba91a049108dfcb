"""Helpers shared by the figure and explorer tests (test_plotting, test_widgets)."""

import numpy as np

import acts

PNG = b"\x89PNG\r\n\x1a\n"


def extremes(name):
    """Parameter settings at the slider ends (low and high), and the defaults."""
    act = acts.get(name)
    out = [{}]
    for end in ("low", "high"):
        params = {}
        for pname, spec in act.params.items():
            if spec.choices is not None:
                params[pname] = spec.choices[-1] if end == "high" else spec.choices[0]
            else:
                value = getattr(spec, end)
                params[pname] = tuple(value for _ in spec.default) if spec.is_tuple else value
        out.append(params)
    return out


def covered(x, collection):
    """Which points of x lie inside one of a shading collection's rectangles."""
    inside = np.zeros(len(x), bool)
    for path in collection.get_paths():
        lo, hi = path.vertices[:, 0].min(), path.vertices[:, 0].max()
        inside |= (x >= lo) & (x <= hi)
    return inside


def text_px(artist, dpi):
    """The height of a text artist's font in pixels at the figure's dpi."""
    return artist.get_fontsize() * dpi / 72

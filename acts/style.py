"""The course's figure style: colours, sizes, talk mode, figures without pyplot, PNG output, number format.

Talk mode is one switch for the whole course: ``ACTS_TALK=1`` in the
environment (``ACTS_TALK=1 make lab``) or ``acts.plotting.use_style(talk=True)``
once. Every figure, explorer, readout and slider label reads it through
``talk_mode()``; a ``talk=`` argument overrides it for one figure.

Sizes: a normal figure is 640 x 440 px with 10 pt text at 100 dpi (about
14 px; tick and legend text 9 pt, 12.5 px), so labels stay readable at 100%
zoom on a 1280-px laptop. Talk mode: 960 x 660 px, 16 pt (22 px).
"""

from __future__ import annotations

import io
import math
import os
import struct
import threading
import zlib
from fractions import Fraction

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.mathtext import MathTextParser
from matplotlib.ticker import MaxNLocator
from PIL import Image

from acts.registry import get

__all__ = [
    "PALETTE", "LINESTYLES", "MARKERS", "HARD_COLOUR", "SOFT_COLOUR", "GAP_COLOUR", "talk_mode", "course_style",
    "use_style", "CourseFigure", "new_figure", "to_png", "encode_png", "show", "title_of", "param_text", "fmt",
    "fmt_at", "fmt_value", "text_px",
]

#: Okabe & Ito (2008) colours, safe for the common colour-vision deficiencies; yellow last (faint on white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
#: One line style per palette colour: series i gets (PALETTE[i], LINESTYLES[i]), a pair no other series shares.
#: Neighbouring warm colours (vermilion 1, orange 4) get unlike patterns: dashed, and a long dash-dot-dot.
LINESTYLES = ("-", "--", "-.", ":", (0, (6, 1.5, 1, 1.5, 1, 1.5)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 2.5)),
              (0, (8, 2, 2, 2)))
#: One marker per palette colour (scatter plots of classes, key points).
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

HARD_COLOUR = "#555555"  # f' exactly 0
#: The largest-gap bracket of an overlay: a strong pink-red in no series, so it reads on the black zero lines.
GAP_COLOUR = "#D81B60"
SOFT_COLOUR = PALETTE[4]  # 0 < abs(f') < eps

_SIZES = {  # (figure size in inches, dpi, font size in points, line width) for the two variants
    False: ((6.4, 4.4), 100, 10.5, 2.0),
    True: ((9.6, 6.6), 100, 16, 3.0),
}
_TALK = {"on": os.environ.get("ACTS_TALK", "").strip().lower() in ("1", "true", "yes", "on")}


def talk_mode(value: bool | None = None) -> bool:
    """Talk mode: ``value`` when given, else the course-wide switch (``ACTS_TALK=1`` or ``use_style(talk=True)``)."""
    return _TALK["on"] if value is None else bool(value)


def course_style(talk: bool | None = None) -> dict:
    """The course's matplotlib settings as an rcParams dict (talk mode: big, for projection)."""
    figsize, dpi, font, width = _SIZES[talk_mode(talk)]
    return {
        "axes.prop_cycle": cycler(color=list(PALETTE)) + cycler(linestyle=list(LINESTYLES)),
        "figure.figsize": figsize,
        "figure.dpi": dpi,
        "savefig.dpi": dpi,
        "font.size": font,
        "axes.titlesize": font * 1.1,
        "axes.labelsize": font,
        "xtick.labelsize": font * 0.9,
        "ytick.labelsize": font * 0.9,
        "legend.fontsize": font * 0.9,
        "lines.linewidth": width,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "image.cmap": "cividis",  # perceptually uniform and colour-blind safe
    }


def use_style(talk: bool | None = None) -> None:
    """Apply the course style to every later figure, pyplot ones included.

    ``talk=True`` switches talk mode on for the whole course (figures,
    explorers, readouts), ``talk=False`` off; ``None`` keeps the current
    switch (``ACTS_TALK`` in the environment), so a notebook's setup cell
    does not undo ``ACTS_TALK=1``.
    """
    if talk is not None:
        _TALK["on"] = bool(talk)
    mpl.rcParams.update(course_style())


def text_px(talk: bool | None = None) -> int:
    """The font size of HTML readouts and control labels, in CSS pixels, matching the figures' text."""
    return 22 if talk_mode(talk) else 14


class CourseFigure(Figure):
    """A pyplot-free figure that Jupyter displays as one PNG when it is the last value of a cell."""

    def _repr_png_(self):
        return to_png(self)

    def __repr__(self):
        return f"Figure: {describe(self)}"


TICK_STEPS = (1, 2, 2.5, 5, 10)  # tick spacings (times a power of ten) the course's axes use


def new_figure(nrows: int = 1, ncols: int = 1, *, talk: bool | None = None, figsize=None, **subplot_kw):
    """A course-styled ``CourseFigure`` with an Agg canvas, and its axes (as ``Figure.subplots`` gives them).

    Never through pyplot: the inline backend would show every figure it knows
    of at the end of a cell (a second copy) and keep it alive (a leak).
    """
    style = course_style(talk)
    with mpl.rc_context(style):
        fig = CourseFigure(figsize=figsize or style["figure.figsize"], dpi=style["figure.dpi"])
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, subplot_kw=subplot_kw or None)
        for ax in np.ravel(axes):
            ax.tick_params(labelsize=style["xtick.labelsize"])
            # few ticks (tick labels are text, the slowest thing to draw), at 1-2-2.5-5 steps: 0, 2, 4, 6, not 0, 1.5, 3
            ax.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=TICK_STEPS))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=TICK_STEPS))
            ax.grid(True, alpha=style["grid.alpha"])
            ax.set_prop_cycle(style["axes.prop_cycle"])
    fig.acts_talk = talk_mode(talk)  # remembered, so panels and legends match the figure
    fig.acts_font = style["font.size"]
    return fig, axes


def to_png(fig, compress_level: int = 1) -> bytes:
    """The figure as PNG bytes (zlib level 1: several times faster to encode than the default, a little larger)."""
    fig.canvas.draw()
    return encode_png(fig, compress_level)


def encode_png(fig, compress_level: int = 1) -> bytes:
    """PNG of what the Agg canvas holds now (without drawing again).

    At ``compress_level`` 1 (explorers, figures in a cell) the PNG is written
    here, RGB rows without a filter, zlib level 1: about twice as fast as
    Pillow's adaptive filtering and, for flat figure colours, as small. Higher
    levels (figures kept in a notebook by ``show``) go through Pillow.
    """
    width, height = fig.canvas.get_width_height(physical=True)
    if compress_level <= 1:
        rows = _rows(height, width * 3 + 1)
        rows[:, 0] = 0  # filter type "none" for every row
        rgba = np.asarray(fig.canvas.buffer_rgba())
        for channel in range(3):  # a channel at a time: long strided rows, several times faster than [..., :3]
            rows[:, 1 + channel::3] = rgba[..., channel]
        return (_PNG_SIGNATURE + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + _png_chunk(b"IDAT", zlib.compress(rows, max(compress_level, 0)))
                + _png_chunk(b"IEND", b""))
    image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="png", compress_level=compress_level)
    return out.getvalue()


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_BUFFERS = threading.local()  # per thread: {shape: the last row buffer of that shape}


def _rows(height: int, width: int) -> np.ndarray:
    """A reused uint8 buffer for encode_png's rows: a fresh megabyte each render costs about as much in page
    faults as the copy into it (an explorer renders one figure size again and again)."""
    kept = _BUFFERS.__dict__.setdefault("rows", {})
    if (height, width) not in kept:
        if len(kept) >= 4:
            kept.clear()
        kept[(height, width)] = np.empty((height, width), dtype=np.uint8)
    return kept[(height, width)]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def show(fig, alt: str | None = None) -> None:
    """Display a figure once, as a plain PNG output (the static twin of an explorer).

    ``alt``: a one-line description, stored as the output's text (what a
    screen reader or a text-only viewer gets); by default the figure's
    titles, axis labels and legend entries.
    """
    import base64

    from IPython.display import display

    data = base64.b64encode(to_png(fig, compress_level=6)).decode("ascii")
    display({"image/png": data, "text/plain": f"Figure: {alt or describe(fig)}"}, raw=True)


def describe(fig) -> str:
    """A short text description of a figure from its titles, axis labels and legend entries (alt text)."""
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    xlabel = next((ax.get_xlabel() for ax in reversed(axes) if ax.get_xlabel()), "")
    parts = [t.get_text() for t in [getattr(fig, "_suptitle", None)] if t is not None and t.get_text()]
    for ax in axes:
        bits = [t for t in (ax.get_title(), ax.get_title("left")) if t]
        if ax.get_ylabel():
            bits.append(f"{ax.get_ylabel()} against {ax.get_xlabel() or xlabel}")
        if ax.get_legend() is not None:
            bits.append("legend: " + ", ".join(t.get_text() for t in ax.get_legend().get_texts()))
        parts.append("; ".join(bits))
    parts += ["legend: " + ", ".join(t.get_text() for t in legend.get_texts()) for legend in fig.legends]
    return " | ".join(p for p in parts if p)


_MATHTEXT_CACHE: dict = {}


def _mathtext_ok(tex: str) -> bool:
    """Can matplotlib's mathtext (not full LaTeX) render this formula? Cached per formula."""
    if tex not in _MATHTEXT_CACHE:
        try:
            MathTextParser("path").parse(f"${tex}$")
            _MATHTEXT_CACHE[tex] = True
        except ValueError:
            _MATHTEXT_CACHE[tex] = False
    return _MATHTEXT_CACHE[tex]


def title_of(name: str) -> str:
    """'Title: $formula$' when mathtext can draw the registry's formula, else the title alone. Fractions are drawn
    at full size (``\\dfrac``: a title's ``\\frac`` set its exponents at about 5 px, review item 2)."""
    act = get(name)
    formula = act.formula.replace(r"\frac{", r"\dfrac{")
    return f"{act.title}:  ${formula}$" if _mathtext_ok(formula) else act.title


_GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "theta", "kappa", "lambda", "mu", "sigma", "tau")


def param_text(params: dict) -> str:
    """Parameter values as short text for a figure: '$\\beta$ = 1.5, approximate = 'tanh''.

    A parameter named after a Greek letter is drawn as that letter (mathtext),
    as the course's formulas and prose write it (PReLU's alpha is α, not a).
    """
    parts = []
    for pname, value in params.items():
        pname = f"$\\{pname}$" if pname in _GREEK else pname
        if isinstance(value, str):
            parts.append(f"{pname} = {value!r}")
        elif np.ndim(value):
            parts.append(f"{pname} = (" + ", ".join(fmt(v) for v in np.ravel(value)) + ")")
        else:
            parts.append(f"{pname} = {fmt_value(value)}")
    return ", ".join(parts)


def fmt_value(value) -> str:
    """A parameter value as the course writes it: a simple fraction whose decimals never end (denominator 3, 6,
    7, 9, 11 or 12: hard-sigmoid's slope 1/6, tanh's gain 5/3) as that fraction, else ``fmt`` to 4 digits.

    >>> fmt_value(1 / 6), fmt_value(5 / 3), fmt_value(-2 / 3), fmt_value(0.25), fmt_value(0.1667), fmt_value(2 ** 0.5)
    ('1/6', '5/3', '-2/3', '0.25', '0.1667', '1.414')
    """
    v = float(value)
    if math.isfinite(v):
        frac = Fraction(v).limit_denominator(12)
        if frac.denominator in (3, 6, 7, 9, 11, 12) and math.isclose(float(frac), v, rel_tol=1e-12, abs_tol=1e-15):
            return f"{frac.numerator}/{frac.denominator}"
    return fmt(v, 4)


def drawn_params(name: str, params=None) -> dict:
    """Every parameter value a curve of ``name`` is drawn with: the registry's defaults, updated by ``params``."""
    return {p: spec.default for p, spec in get(name).params.items()} | dict(params or {})


def series_label(name: str, params=None) -> str:
    """One curve's legend entry: its title and every parameter value drawn, defaults too ("Swish ($\\beta$ = 1)",
    "GELU (approximate = 'none')"); the title alone for a function without parameters ("ReLU")."""
    text = param_text(drawn_params(name, params))
    return f"{get(name).title} ({text})" if text else get(name).title


def fmt_at(x: float, span: float) -> str:
    """A position on an axis of width ``span``: ``fmt`` after rounding to a millionth of the span
    (a point found next to a kink at 0, x = -4e-10, reads 0)."""
    q = 1e-6 * abs(span) if span else 1e-12
    return fmt(round(float(x) / q) * q)


def fmt(value, digits: int = 3) -> str:
    """A number for a label or readout: ``digits`` significant digits, scientific notation below 1e-3 or
    from 1e5 up; a nonzero value is never shown as 0 (1.2e-11, not 0).

    >>> fmt(1.234e-11), fmt(0.5), fmt(-1.27846), fmt(123456.0), fmt(0.0)
    ('1.23e-11', '0.5', '-1.28', '1.23e5', '0')
    """
    v = float(value)
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else str(v)
    exponent = math.floor(math.log10(abs(v)))
    if -3 <= exponent < 5:
        decimals = max(digits - 1 - exponent, 0)
        text = f"{v:.{decimals}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        if float(text) != 0:
            return text
    mantissa, exp = f"{v:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    return f"{mantissa}e{int(exp)}"

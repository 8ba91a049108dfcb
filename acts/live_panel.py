"""The live part of a course figure: a panel that redraws only what changed and renders PNG bytes fast.

``LivePanel`` is the base of every panel (``acts.panels``, ``acts.gradient_flow``
and the experiment modules' panels). In live mode (explorers) the changing
artists are marked animated, the rest is drawn once and saved, and a render
paints only the changing artists over that background (blitting); when some
axes' limits change, only those axes are redrawn into the background, and the
last few backgrounds are kept by their limits. ``stable_limits`` gives axis
limits that stay while the data fit them. How this fits the explorers:
``docs/explorers.md``.
"""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.collections import PolyCollection

from acts.style import encode_png, to_png

__all__ = ["LivePanel", "stable_limits"]


def _round_out(lo: float, hi: float, slack: float = 0.08) -> tuple:
    """[lo, hi] rounded out to a multiple of a 1-2-5 step: the coarsest step (from the span's decade down)
    that widens the range by at most ``slack`` of it, so round limits leave little of the axis empty."""
    span = hi - lo
    decade = int(np.ceil(np.log10(span)))
    for exponent in range(decade, decade - 5, -1):
        for mantissa in (1, 0.5, 0.2):
            step = mantissa * 10.0 ** exponent
            a, b = np.floor(lo / step) * step, np.ceil(hi / step) * step
            if b - a <= (1 + slack) * span:  # 12 significant digits: no 4.800000000000001
                return float(f"{a:.12g}") + 0.0, float(f"{b:.12g}") + 0.0  # + 0.0: no -0.0 limit
    return float(lo), float(hi)


def stable_limits(current, lo: float, hi: float, pad: float = 0.05, keep: float = 0.5):
    """Axis limits for data in [lo, hi]: the current ones if they still fit well, else new round ones.

    New limits are the data widened by ``pad`` of their span on each side, then
    rounded out to a 1-2-5 step fine enough to add at most 8% more: data in
    [-4.61, 4.18] get (-5, 5), not (-10, 5). Keeping the limits while a slider
    moves (while the data fit them and fill ``keep`` of them) means the axes,
    the slow part to draw, need no redrawing, only the curves.
    """
    if not (np.isfinite(lo) and np.isfinite(hi)):
        lo, hi = (0.0, 1.0) if not np.isfinite(lo) and not np.isfinite(hi) else (lo, hi)
        lo = lo if np.isfinite(lo) else hi - 1.0
        hi = hi if np.isfinite(hi) else lo + 1.0
    span = hi - lo
    if current is not None:
        c_lo, c_hi = current
        if c_lo <= lo and hi <= c_hi and span >= keep * (c_hi - c_lo):  # fits, and fills ``keep`` of them
            return current
    if span <= 1e-12 * max(1.0, abs(lo)):
        return (lo - 1.0, hi + 1.0)
    return _round_out(lo - pad * span, hi + pad * span)


class LivePanel:
    """Base of the panels: a figure, its dynamic artists, and a fast PNG renderer for explorers."""

    SAVED = 12  # backgrounds remembered (about 1.3 MB each at the course's sizes)

    def __init__(self, live: bool):
        self.live = live
        self.dynamic: list = []
        self._background = None
        self._background_key = None
        self._regions: dict = {}
        self._saved: dict = {}  # static key -> (background, regions): a drag back reuses what it drew
        self._stamps: list = []  # texts outside every axes' data, drawn from saved pixels (see _stamp)
        self._stamped: dict = {}  # (text, background key) -> the pixels of that text over that background

    def _dyn(self, artist):
        """Register a dynamic artist (animated in live mode) and return it."""
        if self.live:
            artist.set_animated(True)
        self.dynamic.append(artist)
        return artist

    def _stamp(self, text):
        """Register a changing text (animated in live mode) that lies clear of every other changing artist, e.g.
        above an axes: a render pastes the pixels it saved the first time it drew that string over that
        background (laying out and rasterising a text costs milliseconds; pasting costs microseconds)."""
        if self.live:
            text.set_animated(True)
        self._stamps.append(text)
        return text

    def _paste_stamps(self, canvas):
        renderer = canvas.get_renderer()
        for text in self._stamps:
            if not text.get_text() or not text.get_visible():
                continue
            key = (text.get_text(), self._background_key)
            pixels = self._stamped.get(key)
            if pixels is None:
                text.axes.draw_artist(text)
                box = text.get_window_extent(renderer).expanded(1.0, 1.0).padded(2.0)
                self._stamped[key] = pixels = canvas.copy_from_bbox(box)
                while len(self._stamped) > 4 * self.SAVED:
                    del self._stamped[next(iter(self._stamped))]
            else:
                canvas.restore_region(pixels)

    def _static_key(self):
        """Everything the saved background depends on: (the figure's own part, one part per axes)."""
        legends = tuple(ax.get_legend().get_visible() for ax in self.figure.axes if ax.get_legend() is not None)
        title = self.figure._suptitle.get_text() if self.figure._suptitle is not None else ""
        return (title, *legends, len(self.figure.axes)), tuple(
            (ax.get_visible(), ax.get_xlim(), ax.get_ylim(), ax.get_position().bounds, ax.get_title())
            for ax in self.figure.axes
        )

    def render_png(self, compress_level: int = 1) -> bytes:
        """The current state as PNG bytes, redrawing only what changed (live mode).

        Nothing static changed: the saved background, then the dynamic artists
        over it. Only some axes' limits changed: those axes alone are redrawn
        into the background (their ticks and labels are the slow text), unless
        their region touches another part of the figure; else everything.
        """
        canvas = self.figure.canvas
        if not self.live:
            return to_png(self.figure, compress_level)
        key = self._static_key()
        old = self._background_key
        if key != old and key in self._saved:  # drawn before (a drag back): that background again
            self._background, self._regions = self._saved[key]
            self._background_key = old = key
        if self._background is None or old is None or key[0] != old[0]:
            self._full_draw(key)
        elif key[1] != old[1]:
            changed = [ax for ax, new, was in zip(self.figure.axes, key[1], old[1], strict=True) if new != was]
            if not self._redraw_axes(changed):
                self._full_draw(key)
            else:
                self._keep(key, canvas.copy_from_bbox(self.figure.bbox))
        else:
            canvas.restore_region(self._background)
        for artist in self.dynamic:
            if isinstance(artist, PolyCollection) and not artist.get_paths():
                continue  # empty shading: nothing to paint
            if artist.get_visible() and artist.axes is not None and artist.axes.get_visible():
                artist.axes.draw_artist(artist)
        self._paste_stamps(canvas)
        return encode_png(self.figure, compress_level)

    def _full_draw(self, _key):
        canvas = self.figure.canvas
        canvas.draw()
        self._regions = self._cells(canvas.get_renderer())
        # the key after the draw: a draw may move axes (a colour bar's locator places it then), and a key taken
        # before would differ from the next step's, costing that step a full draw
        self._keep(self._static_key(), canvas.copy_from_bbox(self.figure.bbox))

    def _keep(self, key, background):
        """Make ``background`` the current one, and remember it (the last ``SAVED`` of them) by its key."""
        self._background, self._background_key = background, key
        self._saved[key] = (background, self._regions)
        while len(self._saved) > self.SAVED:
            del self._saved[next(iter(self._saved))]

    def _cells(self, renderer) -> dict:
        """Each visible axes' cell and group: axes whose tight boxes (ticks, labels, title) overlap form a group
        (an axes and its colour bar, under a wide x label); the group's cell is the union of their boxes grown
        until it meets another group, a figure text or the figure's edge, in whole pixels (x0, y0, x1, y1).
        Redrawing a group erases its cell only, so nothing else is touched. {axes: (cell, group)}, with None
        for a group that overlaps a figure text."""
        boxes = {ax: _pixel_box(ax.get_tightbbox(renderer)) for ax in self.figure.axes if ax.get_visible()}
        groups = [[ax] for ax in boxes]
        merged = True
        while merged:  # join any two groups whose boxes overlap, until none do
            merged = False
            for a, b in itertools.combinations(groups, 2):
                if _overlap(_union(boxes, a), _union(boxes, b)):
                    groups.remove(b)
                    a += b
                    merged = True
                    break
        texts = [t for t in self.figure.texts + self.figure.legends if t.get_visible()]
        if self.figure._suptitle is not None and self.figure._suptitle.get_text():
            texts.append(self.figure._suptitle)
        fixed = [_pixel_box(t.get_window_extent(renderer)) for t in texts]
        width, height = self.figure.canvas.get_width_height(physical=True)
        cells = {}
        for group in groups:
            x0, y0, x1, y1 = _union(boxes, group)
            others = [_union(boxes, g) for g in groups if g is not group] + fixed
            if any(_overlap((x0, y0, x1, y1), o) for o in others):
                cells.update({ax: None for ax in group})
                continue
            beside = [o for o in others if o[1] < y1 and y0 < o[3]]  # sharing rows: limit the width
            x0 = max([o[2] for o in beside if o[2] <= x0] + [0])
            x1 = min([o[0] for o in beside if o[0] >= x1] + [width])
            above_below = [o for o in others if o[0] < x1 and x0 < o[2]]  # sharing columns: limit the height
            y0 = max([o[3] for o in above_below if o[3] <= y0] + [0])
            y1 = min([o[1] for o in above_below if o[1] >= y1] + [height])
            cells.update({ax: ((x0, y0, x1, y1), tuple(group)) for ax in group})
        return cells

    def _redraw_axes(self, changed) -> bool:
        """Redraw only the groups of ``changed`` axes over the saved background (their limits or title changed,
        not their place or visibility): erase each group's cell, draw its axes. False, with nothing done, when
        that is not safe."""
        old = self._background_key[1]
        now = self._static_key()[1]
        index = {ax: i for i, ax in enumerate(self.figure.axes)}
        for ax in changed:
            was, new = old[index[ax]], now[index[ax]]
            if was[0] != new[0] or was[3] != new[3] or not ax.get_visible() or self._regions.get(ax) is None:
                return False
        canvas = self.figure.canvas
        renderer = canvas.get_renderer()
        canvas.restore_region(self._background)
        pixels = np.asarray(canvas.buffer_rgba())
        height = pixels.shape[0]
        face = (np.array(self.figure.get_facecolor()) * 255).round().astype(np.uint8)
        for (x0, y0, x1, y1), group in dict.fromkeys(self._regions[ax] for ax in changed):
            pixels[height - y1:height - y0, x0:x1] = face  # display y runs up, buffer rows down
            for ax in group:
                ax.draw(renderer)
        return True


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _union(boxes: dict, group) -> tuple:
    """The pixel box around the boxes of a group of axes."""
    parts = [boxes[ax] for ax in group]
    return (min(p[0] for p in parts), min(p[1] for p in parts), max(p[2] for p in parts), max(p[3] for p in parts))


def _pixel_box(bbox) -> tuple:
    """A matplotlib Bbox in display pixels as whole pixels, rounded outwards, 1 px around."""
    return (int(np.floor(bbox.x0)) - 1, int(np.floor(bbox.y0)) - 1, int(np.ceil(bbox.x1)) + 1,
            int(np.ceil(bbox.y1)) + 1)

"""Explorers: sliders over the registry's parameters, drawn into one persistent figure.

>>> from acts.widgets import explore, compare, depth
>>> explore("swish")                  # f and f', beta slider, x range, eps, toggles, live readout
>>> compare("swish", "mish")          # overlay, largest difference marked and named, each one's parameters
>>> depth()                           # gradient norm and activations through a deep network

Each function returns one ipywidgets widget (an ``Explorer``). Controls come
from the registry: a slider over ``act.slider_values(name)`` for a number
(the grid by ``Param.step`` plus the canonical values, so 1/6 and 0.2 are
exact stops), a Dropdown for a Param with ``choices``, and a slider per piece
plus a ``k`` slider for tuple parameters (maxout). How a slider change
reaches the screen, and why a fast drag cannot build a backlog of redraws:
``docs/explorers.md``.

Layout: the picture and the controls sit in one row that wraps, the picture
scaling down to the width of the output area (``max-width: 100%``), so
nothing is cut off on a laptop, nor in talk mode on a projector
(``acts.style``). ``readout_table`` is the one HTML readout of every explorer.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from contextlib import contextmanager
from types import SimpleNamespace

import ipywidgets as widgets
import numpy as np
from IPython.display import display

from acts import analysis, diagnostics, panels
from acts.controls import MAX_PIECES, ParamControls, nearest, number_slider
from acts.gradient_flow import GradientFlowPanel
from acts.registry import get, names
from acts.style import HARD_COLOUR, PALETTE, SOFT_COLOUR, fmt, fmt_at, talk_mode, text_px

__all__ = ["Explorer", "explore", "compare", "depth", "readout_table", "number_slider", "MAX_PIECES", "ProgressBar"]

X_LIMIT = 20.0  # the x-range control spans [-X_LIMIT, X_LIMIT]
X_RANGE = (-8.0, 8.0)  # the default view: sigmoid's and tanh's tails at eps = 1e-3 are inside it
_WIDE = {"description_width": "initial"}


def readout_table(rows, header=None, talk: bool | None = None) -> str:
    """An explorer's readout: rows of cells as an HTML table, the first cell of each row in bold.

    Font size follows talk mode (``acts.style.text_px``). Numbers should come
    formatted by ``acts.style.fmt`` (a nonzero value is never shown as 0).
    """
    size = text_px(talk)
    head = "" if header is None else "<tr>" + "".join(f"<th style='text-align:left'>{h}</th>" for h in header) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{'<b>' + str(c) + '</b>' if i == 0 else c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table style='font-size:{size}px; line-height:1.35'>{head}{body}</table>"


def _legend_html(hard: bool = True, soft: bool = True, extrema: str = "min / max", kinks: bool = True) -> str:
    """The key to an activation explorer's figure, as HTML: only the entries that are drawn now.

    ``extrema``: what the dots mark ("min", "max", "min / max"), or "" when none is drawn.
    """
    parts = []
    if hard:
        parts.append(f"<span style='background:{HARD_COLOUR}55'>&emsp;</span> hard saturation: f' = 0")
    if soft:
        parts.append(f"<span style='background:{SOFT_COLOUR}66'>&emsp;</span> soft saturation: "
                     "0 &lt; |f'| &lt; eps in a tail")
    if extrema:
        parts.append(f"&#9679; {extrema}")
    if kinks:
        parts.append("&#9671; kink")
    return " &nbsp; ".join(parts)


def _css(talk: bool) -> str:
    """Style for one explorer: ipywidgets' size variables scaled with the text (talk mode: 22 px), so labels,
    readouts and slider tracks grow together and a readout such as "-10.0 - 10.0" is never cut off."""
    size = text_px(talk)
    row = round(size * 1.6)
    return (f"<style>.acts-explorer {{--jp-widgets-font-size:{size}px; --jp-widgets-inline-height:{row}px;"
            f" --jp-widgets-inline-width:{size * 24}px; --jp-widgets-inline-width-short:{size * 9}px;"
            f" --jp-widgets-inline-width-tiny:{size * 5}px;}} "
            f".acts-explorer .widget-label, .acts-explorer .widget-readout, .acts-explorer select, "
            f".acts-explorer .widget-inline-hbox label, .acts-explorer .widget-checkbox span "
            f"{{font-size:{size}px !important; line-height:{row}px !important;}} "
            f".acts-explorer .widget-inline-hbox {{max-width:calc(100% - 2 * var(--jp-widgets-margin));}} "
            f".acts-explorer td:first-child {{white-space:nowrap; padding-right:0.6em;}}</style>")


class Explorer(widgets.Box):
    """One interactive figure: the picture (an ``ipywidgets.Image``), its controls and a text readout.

    The picture and the controls share a row that wraps: side by side when
    there is room, the controls below when there is not; the picture never
    grows wider than its container. ``controls``: every control by key;
    ``image``; ``readout`` (HTML); ``panel`` (``panel.figure``, ``panel.state``).
    ``set(**values)`` changes controls by key with one redraw.
    """

    def __init__(self, panel, controls_box, talk: bool | None = None, **kwargs):
        self.panel = panel
        self.talk = talk_mode(getattr(panel.figure, "acts_talk", talk))
        width, _height = panel.figure.canvas.get_width_height()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width}px", max_width="100%",
                                                                       height="auto", flex="0 1 auto", margin="0"))
        self.readout = widgets.HTML()
        self._holding = False
        self._drawn = None
        side = widgets.VBox([controls_box, self.readout],
                            layout=widgets.Layout(flex="1 1 320px", min_width="0", max_width="100%",
                                                  overflow="hidden"))
        super().__init__([widgets.HTML(_css(self.talk)), self.image, side],
                         layout=widgets.Layout(display="flex", flex_flow="row wrap", align_items="flex-start",
                                               width="100%", max_width="100%", overflow="hidden"), **kwargs)
        self.add_class("acts-explorer")

    @property
    def figure(self):
        return self.panel.figure

    @contextmanager
    def hold(self):
        """Change several controls inside this block; the figure is redrawn once, at the end."""
        self._holding = True
        try:
            yield self
        finally:
            self._holding = False
        self.redraw()

    def set(self, **values):
        """Set controls by key (``explorer.set(beta=2.0, eps=1e-2)``) with a single redraw."""
        with self.hold():
            for key, value in values.items():
                control = self.controls[key]
                control.value = nearest(control, value) if isinstance(control, widgets.SelectionSlider) else value

    def _changed(self, _change=None):
        if not self._holding:
            self.redraw()

    def redraw(self, force: bool = False):
        """Draw the current state of the controls (skipped when it is the state already drawn)."""
        state = self._state()
        if not force and state == self._drawn:
            return
        self._draw(state)
        self.image.value = self.panel.render_png()
        self._drawn = state

    controls: dict

    def _state(self):
        raise NotImplementedError

    def _draw(self, state):
        raise NotImplementedError


def _freeze(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


def _x_range_slider(x_range):
    return widgets.FloatRangeSlider(value=tuple(x_range), min=-X_LIMIT, max=X_LIMIT, step=0.5, description="x range",
                                    readout_format=".1f", continuous_update=True, style=_WIDE)


class _ActivationExplorer(Explorer):
    def __init__(self, name: str, talk, x_range, eps, params):
        self.name = get(name).name
        self.params = ParamControls(self.name, self._changed)
        self.x_range = _x_range_slider(x_range)
        eps_stops = [10.0 ** (e / 2) for e in range(-16, 1)]  # 1e-8, 3.16e-8, ..., 1: every power of ten a stop
        self.eps = widgets.SelectionSlider(options=[(fmt(v, 2), v) for v in eps_stops],
                                           value=min(eps_stops, key=lambda v: abs(math.log10(v / eps))),
                                           description="eps", continuous_update=True, style=_WIDE)
        self.show_grad = widgets.Checkbox(value=True, description="derivative f'", indent=False)
        self.shade = widgets.Checkbox(value=True, description="shade saturation", indent=False)
        for control in (self.x_range, self.eps, self.show_grad, self.shade):
            control.observe(self._changed, names="value")
        box = widgets.VBox([self.params.box, self.x_range, self.eps, widgets.HBox([self.show_grad, self.shade])])
        super().__init__(panels.ActivationPanel(self.name, talk=talk, live=True), box)
        for key, value in params.items():
            control = self.params.controls[key]
            control.value = nearest(control, value) if isinstance(control, widgets.SelectionSlider) else value

    @property
    def controls(self) -> dict:
        return {**self.params.controls, "x range": self.x_range, "eps": self.eps, "derivative": self.show_grad,
                "shade": self.shade}

    def _state(self):
        return _freeze((self.params.values(), self.x_range.value, self.eps.value, self.show_grad.value,
                        self.shade.value))

    def _draw(self, _state):
        params = self.params.values()
        x_range = analysis.safe_range(self.x_range.value)
        self.panel.update(x_range, eps=self.eps.value, show_grad=self.show_grad.value, shade=self.shade.value,
                          **params)
        self.readout.value = self._readout(params, x_range)

    def _readout(self, params, x_range) -> str:
        """f(0), f'(0), the saturated tails in view and the key points, from what the panel computed."""
        act, s = get(self.name), self.panel.state
        rows = [("f(0)", fmt(act(0.0, **params))), ("f'(0)", fmt(act.grad(0.0, **params)))]
        lo, hi = x_range
        spans = []
        for a, b, kind in s["bounds"]:
            if a <= lo and b >= hi:
                spans.append(f"everywhere in view ({kind})")
            elif a <= lo:
                spans.append(f"x &le; {fmt(b)} ({kind})")
            elif b >= hi:
                spans.append(f"x &ge; {fmt(a)} ({kind})")
            else:
                spans.append(f"{fmt(a)} &le; x &le; {fmt(b)} ({kind})")
        rows.append((f"saturated tails, |f'| &lt; {fmt(s['eps'])}", "<br>".join(spans) or "none in view"))
        for p in s["points"]:
            if p.kind in ("min df", "max df") and not s["show_grad"]:
                continue
            rows.append((analysis.KIND_LABEL[p.kind], f"x = {fmt_at(p.x, hi - lo)}" + ("" if p.kind == "kink" else
                                                                           f", value {fmt(p.y)}")))
        drawn = {p.kind[:3] for p in s["points"]
                 if p.kind in ("min f", "max f") or (s["show_grad"] and p.kind in ("min df", "max df"))}
        key = _legend_html(hard=s["shade"] and s["hard"].any(), soft=s["shade"] and s["soft"].any(),
                           extrema=" / ".join(k for k in ("min", "max") if k in drawn),
                           kinks=any(p.kind == "kink" for p in s["points"]))
        return readout_table(rows, talk=self.talk) + f"<div style='font-size:{text_px(self.talk)}px'>{key}</div>"


def explore(name: str, *, x_range=X_RANGE, eps: float = 1e-3, talk: bool | None = None, **params) -> Explorer:
    """An explorer of one activation: f and f', a slider per parameter, x range, eps, toggles, readout.

    Works for every registered name (``acts.names()``). ``x_range``, ``eps``
    and parameter values set the first view (``explore("swish", x_range=(-15, 5))``).
    """
    explorer = _ActivationExplorer(name, talk, x_range, eps, params)
    explorer.redraw()
    return explorer


class _CompareExplorer(Explorer):
    def __init__(self, chosen, talk, x_range):
        self.names = [get(n).name for n in chosen]
        self.groups = []
        boxes = []
        panel = panels.OverlayPanel(self.names, talk=talk, live=True)
        self.labels = panel.labels
        for i, name in enumerate(self.names):
            tag = name if self.names.count(name) == 1 else f"{name}#{i + 1}"
            group = ParamControls(name, self._changed, prefix=f"{tag}.")
            self.groups.append(group)
            if group.controls:
                boxes.append(widgets.HTML(f"<b style='color:{PALETTE[i]}'>{self.labels[i]}</b>"))
                boxes.append(group.box)
        self.x_range = _x_range_slider(x_range)
        self.show_grad = widgets.Checkbox(value=True, description="derivative f'", indent=False)
        for control in (self.x_range, self.show_grad):
            control.observe(self._changed, names="value")
        super().__init__(panel, widgets.VBox([*boxes, self.x_range, self.show_grad]))

    @property
    def controls(self) -> dict:
        out = {}
        for group in self.groups:
            out.update(group.controls)
        return {**out, "x range": self.x_range, "derivative": self.show_grad}

    def _state(self):
        return _freeze(([g.values() for g in self.groups], self.x_range.value, self.show_grad.value))

    def _draw(self, _state):
        params = [g.values() for g in self.groups]
        self.panel.update(analysis.safe_range(self.x_range.value), params, show_grad=self.show_grad.value)
        rows = []
        for derivative, what in ((False, "f"), (True, "f'")):
            if derivative and not self.show_grad.value:
                continue
            value, at, (i, j) = self.panel.state["gaps"][derivative]
            pair = f"{self.labels[i]} vs {self.labels[j]}" if len(self.names) > 1 else "(one curve)"
            kinks = self.panel.state["kinks"] if derivative else []
            where = panels.gap_where(at, kinks, X_LIMIT, self.panel.state["both_sides"][derivative],
                                     view=self.panel.state["x_range"])
            rows.append((f"max |Δ{what}|", f"{fmt(value)} {where}", pair))
        self.readout.value = readout_table(rows, talk=self.talk)


def compare(*chosen: str, x_range=X_RANGE, talk: bool | None = None) -> Explorer:
    """An overlay of several activations (f and f'), the largest difference marked and named, parameters live.

    A name may appear twice, to compare two parameter settings of one function.
    """
    if not chosen:
        raise ValueError(f"compare() needs at least one activation name; valid names: {', '.join(names())}")
    explorer = _CompareExplorer(chosen, talk, x_range)
    explorer.redraw()
    return explorer


#: The depth explorer's initialisations: the named rules, or "gain" (weights ~ N(0, gain^2 / fan_in)).
INITS = ("xavier", "he", "lecun", "gain")


def _slim(result, per_layer: int = GradientFlowPanel.SAMPLE):
    """What the depth explorer draws and reads of a ``signal_propagation`` result: the norms, means and stds,
    and at most about ``per_layer`` activations a layer, evenly spaced as the panel samples them (so the
    picture is the same, and a remembered result costs a few hundred kB, not megabytes)."""
    values = [np.asarray(a).reshape(-1) for a in result.activations]
    step = max(1, values[0].size // per_layer) if values else 1
    # sampled values copied: a view would keep the whole layer alive
    return SimpleNamespace(activations=[np.ascontiguousarray(v[::step]) for v in values],
                           grad_norms=np.asarray(result.grad_norms),
                           means=np.asarray(result.means), stds=np.asarray(result.stds))


class _DepthExplorer(Explorer):
    CACHED = 24  # results remembered by setting (a drag back)

    def __init__(self, activation, talk, width, n, seed, propagate, depth, init):
        self.width, self.n, self.seed, self.propagate = width, n, seed, propagate
        self._results: OrderedDict = OrderedDict()
        self.activation = widgets.Dropdown(options=names(), value=get(activation).name, description="activation",
                                           style=_WIDE)
        self.depth = widgets.IntSlider(value=depth, min=1, max=60, description="depth", continuous_update=True,
                                       style=_WIDE)
        gain = float(init) if not isinstance(init, str) else 1.0
        self.init = widgets.Dropdown(options=INITS, value=init if isinstance(init, str) else "gain",
                                     description="init", style=_WIDE)
        # fine stops (1/60 of a decade): through 20 layers one stop scales a ReLU net's output about 2x, not 10x
        gains = sorted({round(10 ** (e / 60), 4) for e in range(-60, 61)} | {1.0, 2.0 ** 0.5, 2.0, 5 / 3, 4.0})
        self.gain = number_slider("init gain", gains, gain,
                                  tooltip="weights ~ N(0, gain^2 / fan_in), used when init = 'gain'")
        for control in (self.depth, self.init, self.gain):
            control.observe(self._changed, names="value")
        self.activation.observe(self._activation_changed, names="value")
        self.params_box = widgets.VBox()
        self._new_params()
        box = widgets.VBox([self.activation, self.params_box, self.depth, self.init, self.gain])
        super().__init__(GradientFlowPanel(talk=talk, live=True, max_layers=self.depth.max), box)

    def _new_params(self):
        self.params = ParamControls(self.activation.value, self._changed)
        self.params_box.children = [self.params.box]

    def _activation_changed(self, _change):
        self._new_params()
        self._changed()

    @property
    def controls(self) -> dict:
        return {"activation": self.activation, **self.params.controls, "depth": self.depth, "init": self.init,
                "init gain": self.gain}

    def _state(self):
        return _freeze((self.activation.value, self.params.values(), self.depth.value, self.init.value,
                        self.gain.value))

    def _draw(self, _state):
        init = self.gain.value if self.init.value == "gain" else self.init.value
        self.gain.disabled = self.init.value != "gain"
        result = self._results.get(_state)
        if result is None:  # a drag back finds its settings here: no propagation, only a redraw
            result = _slim(self.propagate(self.activation.value, depth=self.depth.value, width=self.width,
                                          init=init, n=self.n, seed=self.seed, **self.params.values()))
            self._results[_state] = result
            while len(self._results) > self.CACHED:
                del self._results[next(iter(self._results))]
        else:
            self._results.move_to_end(_state)
        init_text = "gain" if self.init.value == "gain" else init  # depth and gain: in the readout
        self.panel.update(result, f"{get(self.activation.value).title}, init {init_text}")
        norms = np.asarray(result.grad_norms, dtype=float)
        rows = [("layers", len(norms)), ("init", init if isinstance(init, str) else f"gain {fmt(init)}"),
                ("gradient norm, layer 1 (input side)", fmt(norms[0])),
                (f"gradient norm, layer {len(norms)} (output side)", fmt(norms[-1])),
                ("last layer: mean, std", f"{fmt(result.means[-1])}, {fmt(result.stds[-1])}")]
        if np.isfinite(norms).all() and norms[-1] > 0:
            rows.insert(4, ("ratio layer 1 / last", fmt(norms[0] / norms[-1])))
        self.readout.value = readout_table(rows, talk=self.talk)


def depth(activation: str = "tanh", *, layers: int = 20, init="xavier", width: int = 64, n: int = 256,
          seed: int = 0, talk: bool | None = None) -> Explorer:
    """Gradient flow through a deep dense network: choose the activation, its parameters, depth and init.

    Left: the gradient norm per layer on a log scale; right: the distribution
    of activations per layer. Deterministic (fixed seed). Computed by
    ``acts.diagnostics.signal_propagation`` (through a ``SignalPropagator``, which
    gives the same numbers and remembers the last network, so a slider step
    computes only what changed).
    """
    explorer = _DepthExplorer(activation, talk, width, n, seed, diagnostics.SignalPropagator(), layers, init)
    explorer.redraw()
    return explorer


class ProgressBar:
    """A progress bar for training that takes more than a couple of seconds: pass ``bar.update`` as ``progress``.

    ``update(done, total)`` moves it. Shown by ``display(bar)`` or as the last
    value of a cell; once ``done`` reaches ``total`` the bar replaces its own
    display by one line of text ("training: done, 20 of 20"), so a saved
    notebook holds plain text there, not a widget view that needs a running
    kernel. Outside a notebook (never displayed) it stays silent.
    """

    def __init__(self, description: str = "training"):
        self.description = description
        self.widget = widgets.FloatProgress(value=0.0, min=0.0, max=1.0, description=description, style=_WIDE)
        self.handle = None  # the display handle, once shown in a notebook
        self.finished = False

    def update(self, done, total):
        """Move the bar to ``done / total``; at ``done >= total`` the display becomes a line of text."""
        self.widget.value = min(max(done / total, 0.0), 1.0) if total else 1.0
        if self.handle is None:
            return
        if done >= total and not self.finished:
            self.finished = True
            self.handle.update({"text/plain": self.summary(done, total)}, raw=True)
        elif done < total and self.finished:  # the bar is used again: show the widget again
            self.finished = False
            self.handle.update(self.widget)

    def summary(self, done, total) -> str:
        """The line of text a finished bar leaves behind."""
        count = (lambda v: str(int(v)) if float(v).is_integer() else fmt(v))  # noqa: E731
        return f"{self.description}: done, {count(done)} of {count(total)}"

    def _ipython_display_(self):
        self.finished = False
        self.handle = display(self.widget, display_id=True)

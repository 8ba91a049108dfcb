"""Explorers: sliders over the registry's parameters, drawn into one persistent figure.

>>> from acts.widgets import explore, compare, depth
>>> explore("swish")                  # f and f', beta slider, x range, eps, toggles, live readout
>>> compare("swish", "mish")          # overlay, largest difference marked, each one's parameters
>>> depth()                           # gradient norm and activations through a deep network

Each function returns one ipywidgets widget (an ``Explorer``, a VBox). Its
controls are built from the registry: a FloatSlider from ``Param.low`` to
``Param.high`` for a number, a Dropdown for a Param with ``choices``, and for
tuple parameters (maxout's weights and biases) a slider per piece plus a
``k`` slider (1 to 5 pieces). Every control's label is its parameter's name,
and no activation is special-cased here or in a notebook.

How a change reaches the screen
-------------------------------
Each explorer owns one matplotlib figure (``matplotlib.figure.Figure`` with
an Agg canvas, never pyplot, so the inline backend never shows or keeps it).
A control change updates that figure's artists in place, renders it to PNG
and assigns the bytes to an ``ipywidgets.Image`` inside the widget. That is
plain ipywidgets, so it works in JupyterLab, Notebook 7 and VS Code alike.
The render redraws only the curves over a saved picture of the axes when the
axis limits have not changed (see ``acts.plotting.LivePanel``), and encodes
the PNG at zlib level 1.

Why a fast drag cannot build a backlog
--------------------------------------
ipykernel handles shell messages (a comm message carries one slider change)
one at a time, in order: while our callback runs, later changes wait. So
the callback is synchronous and complete: it reads the *current* values of
all controls (not the value in the message), draws, and sets the Image
before returning. The frontend does the coalescing: an ipywidgets model
sends at most one update at a time and waits for the kernel to report idle
before sending the next; changes made meanwhile are merged into one pending
update holding only the latest value (``msg_throttle`` in
``@jupyter-widgets/base``). A drag therefore produces at most one queued
redraw, always of the newest position, however fast the mouse moves. We
deliberately do not defer the drawing to a timer or thread: a deferred
callback would let the kernel report idle before the image exists, which
defeats the frontend's throttle, and a thread would send comm messages from
outside the kernel's main thread. A redraw whose inputs equal the last drawn
state is skipped, and ``Explorer.set(...)`` changes several controls with a
single redraw.
"""

from __future__ import annotations

from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np

from acts import plotting
from acts.registry import get, names

__all__ = ["Explorer", "explore", "compare", "depth", "MAX_PIECES"]

MAX_PIECES = 5  # the k slider of tuple parameters (maxout's pieces) goes from 1 to this
X_LIMIT = 20.0  # the x-range control spans [-X_LIMIT, X_LIMIT]
SLIDER_STEPS = 200  # resolution of a parameter slider between Param.low and Param.high
_WIDE = {"description_width": "initial"}


class ParamControls:
    """The controls for one activation's parameters, read from ``act.params``.

    ``controls`` maps a key to its widget: the parameter name, or
    ``name[j]`` for piece j of a tuple parameter, and ``k`` for the number of
    pieces. ``values()`` gives the keyword arguments for the activation.
    ``on_change`` is called after any change (after a change of k, once the
    piece sliders are rebuilt).
    """

    def __init__(self, name: str, on_change, prefix: str = ""):
        self.act = get(name)
        self.prefix = prefix
        self.on_change = on_change
        self.box = widgets.VBox()
        self.controls: dict = {}
        self.tuples = [p for p, spec in self.act.params.items() if spec.is_tuple]
        self.pieces: dict = {}  # tuple parameter -> its sliders
        self.k = None
        for pname, spec in self.act.params.items():
            if spec.choices is not None:
                control = widgets.Dropdown(options=list(spec.choices), value=spec.default, description=pname,
                                           style=_WIDE)
            elif spec.is_tuple:
                continue
            else:
                control = _slider(pname, spec, spec.default)
            self._add(pname, control)
        if self.tuples:
            k = len(self.act.params[self.tuples[0]].default)
            self.k = widgets.IntSlider(value=k, min=1, max=MAX_PIECES, description="k", style=_WIDE,
                                       tooltip="number of pieces")
            self.controls[prefix + "k"] = self.k
            self.k.observe(self._pieces_changed, names="value")
            for pname in self.tuples:
                self.pieces[pname] = [self._piece(pname, j, v) for j, v in enumerate(self.act.params[pname].default)]
        self._layout()

    def _piece(self, pname, j, value):
        """The slider of piece j of a tuple parameter."""
        slider = _slider(f"{pname}[{j}]", self.act.params[pname], value)
        slider.observe(self._changed, names="value")
        return slider

    def _add(self, key, control):
        self.controls[self.prefix + key] = control
        control.observe(self._changed, names="value")

    def _changed(self, _change=None):
        self.on_change()

    def _layout(self):
        """Put the current controls in the box and refresh the key -> widget map of the pieces."""
        for key in [k for k in self.controls if "[" in k]:
            del self.controls[key]
        children = list(self.controls.values())
        for pname in self.tuples:
            for j, slider in enumerate(self.pieces[pname]):
                self.controls[f"{self.prefix}{pname}[{j}]"] = slider
                children.append(slider)
        self.box.children = children

    def _pieces_changed(self, change):
        """k changed: keep the first pieces, copy the last one into new pieces (the curve does not move)."""
        k = change["new"]
        for pname in self.tuples:
            sliders = self.pieces[pname]
            for gone in sliders[k:]:
                gone.unobserve(self._changed, names="value")
                gone.close()
            sliders = sliders[:k]
            while len(sliders) < k:
                sliders.append(self._piece(pname, len(sliders), sliders[-1].value))
            self.pieces[pname] = sliders
        self._layout()
        self.on_change()

    def values(self) -> dict:
        """The activation's keyword arguments, as the controls show them now."""
        out = {}
        for pname, spec in self.act.params.items():
            if spec.is_tuple:
                out[pname] = tuple(float(s.value) for s in self.pieces[pname])
            else:
                out[pname] = self.controls[self.prefix + pname].value
        return out


def _slider(label: str, spec, value) -> widgets.FloatSlider:
    """A slider from spec.low to spec.high, updating while dragged."""
    return widgets.FloatSlider(value=float(value), min=spec.low, max=spec.high,
                               step=(spec.high - spec.low) / SLIDER_STEPS, description=label,
                               continuous_update=True, readout_format=".3g", style=_WIDE)


class Explorer(widgets.VBox):
    """One interactive figure: controls, the picture (an ``ipywidgets.Image``) and a text readout.

    ``controls``: every control by key; ``image``: the Image whose value is
    the current PNG; ``readout``: an HTML widget with the key numbers;
    ``panel``: the ``acts.plotting`` panel (``panel.figure``, ``panel.state``).
    ``set(**values)`` changes controls by key with one redraw.
    """

    def __init__(self, panel, controls_box, **kwargs):
        self.panel = panel
        self.image = widgets.Image(format="png")
        width, _height = panel.figure.canvas.get_width_height()
        self.image.layout.width = f"{width}px"
        self.readout = widgets.HTML()
        self._holding = False
        self._drawn = None
        super().__init__([widgets.HBox([self.image, widgets.VBox([controls_box, self.readout])])], **kwargs)

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
                self.controls[key].value = value

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

    # subclasses provide these
    controls: dict

    def _state(self):
        raise NotImplementedError

    def _draw(self, state):
        raise NotImplementedError


def _freeze(value):
    """A hashable, comparable form of the controls' values."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


# ---------------------------------------------------------------------------
# explore(name)


class _ActivationExplorer(Explorer):
    def __init__(self, name: str, talk: bool | None):
        self.name = get(name).name
        self.params = ParamControls(self.name, self._changed)
        self.x_range = widgets.FloatRangeSlider(value=(-6.0, 6.0), min=-X_LIMIT, max=X_LIMIT, step=0.5,
                                                description="x range", continuous_update=True, style=_WIDE)
        self.eps = widgets.FloatLogSlider(value=1e-3, base=10, min=-8, max=0, step=0.1, description="eps",
                                          continuous_update=True, readout_format=".1e", style=_WIDE)
        self.show_grad = widgets.Checkbox(value=True, description="derivative f'", indent=False)
        self.shade = widgets.Checkbox(value=True, description="shade saturation", indent=False)
        for control in (self.x_range, self.eps, self.show_grad, self.shade):
            control.observe(self._changed, names="value")
        box = widgets.VBox([self.params.box, self.x_range, self.eps, widgets.HBox([self.show_grad, self.shade])])
        super().__init__(plotting.ActivationPanel(self.name, talk=talk, live=True), box)

    @property
    def controls(self) -> dict:
        return {**self.params.controls, "x range": self.x_range, "eps": self.eps, "derivative": self.show_grad,
                "shade": self.shade}

    def _state(self):
        return _freeze((self.params.values(), self.x_range.value, self.eps.value, self.show_grad.value,
                        self.shade.value))

    def _draw(self, _state):
        params = self.params.values()
        x_range = plotting._safe_range(self.x_range.value)
        self.panel.update(x_range, eps=self.eps.value, show_grad=self.show_grad.value, shade=self.shade.value,
                          **params)
        self.readout.value = _readout(self.name, params, x_range, self.eps.value, self.panel.state["points"])


def _readout(name, params, x_range, eps, points) -> str:
    """The key numbers as a small HTML table: f(0), f'(0), saturation at eps, key points in view."""
    act = get(name)
    fmt = plotting.fmt
    rows = [("f(0)", fmt(float(act(0.0, **params)))), ("f'(0)", fmt(float(act.grad(0.0, **params))))]
    bounds = plotting.saturation_bounds(name, x_range, eps, **params)
    lo, hi = x_range
    spans = []
    for a, b, kind in bounds:
        left = "" if a > lo else "&le; "
        if a > lo and b < hi:
            spans.append(f"{fmt(a)} &le; x &le; {fmt(b)} ({kind})")
        elif a <= lo and b >= hi:
            spans.append(f"everywhere in view ({kind})")
        elif a <= lo:
            spans.append(f"x {left}{fmt(b)} ({kind})")
        else:
            spans.append(f"x &ge; {fmt(a)} ({kind})")
    rows.append((f"|f'| &lt; {eps:.2g}", "<br>".join(spans) or "nowhere in view"))
    for p in points:
        label = plotting._KIND_LABEL[p.kind]
        rows.append((label, f"x = {fmt(p.x)}" + ("" if p.kind == "kink" else f", value {fmt(p.y)}")))
    cells = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
    return f"<table style='font-size: 90%'>{cells}</table><div style='font-size: 85%'>{plotting.LEGEND_HTML}</div>"


def explore(name: str, *, talk: bool | None = None) -> Explorer:
    """An explorer of one activation: f and f', a slider per parameter, x range, eps, toggles, readout.

    Works for every registered name (``acts.names()``).
    """
    explorer = _ActivationExplorer(name, talk)
    explorer.redraw()
    return explorer


# ---------------------------------------------------------------------------
# compare(*names)


class _CompareExplorer(Explorer):
    def __init__(self, chosen, talk):
        self.names = [get(n).name for n in chosen]
        self.groups = []
        boxes = []
        for i, name in enumerate(self.names):
            tag = name if self.names.count(name) == 1 else f"{name}#{i + 1}"
            group = ParamControls(name, self._changed, prefix=f"{tag}.")
            self.groups.append(group)
            if group.controls:
                colour = plotting.PALETTE[i % len(plotting.PALETTE)]
                boxes.append(widgets.HTML(f"<b style='color:{colour}'>{get(name).title}</b>"))
                boxes.append(group.box)
        self.x_range = widgets.FloatRangeSlider(value=(-6.0, 6.0), min=-X_LIMIT, max=X_LIMIT, step=0.5,
                                                description="x range", continuous_update=True, style=_WIDE)
        self.show_grad = widgets.Checkbox(value=True, description="derivative f'", indent=False)
        for control in (self.x_range, self.show_grad):
            control.observe(self._changed, names="value")
        box = widgets.VBox([*boxes, self.x_range, self.show_grad])
        super().__init__(plotting.OverlayPanel(self.names, talk=talk, live=True), box)

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
        self.panel.update(plotting._safe_range(self.x_range.value), params, show_grad=self.show_grad.value)
        fmt = plotting.fmt
        rows = []
        for derivative, what in ((False, "f"), (True, "f'")):
            value, at, (i, j) = self.panel.state["gaps"][derivative]
            rows.append(f"<tr><td><b>max |Δ{what}|</b></td><td>{fmt(value)} at x = {fmt(at)} "
                        f"({self.names[i]} vs {self.names[j]})</td></tr>")
        self.readout.value = "<table style='font-size: 90%'>" + "".join(rows) + "</table>"


def compare(*chosen: str, talk: bool | None = None) -> Explorer:
    """An overlay of several activations (f and f'), the largest difference marked, each one's parameters live.

    A name may appear twice, to compare two parameter settings of one function.
    """
    if not chosen:
        raise ValueError(f"compare() needs at least one activation name; valid names: {', '.join(names())}")
    explorer = _CompareExplorer(chosen, talk)
    explorer.redraw()
    return explorer


# ---------------------------------------------------------------------------
# depth()

INITS = ("xavier", "he", "lecun", "scale")


class _DepthExplorer(Explorer):
    def __init__(self, activation, talk, width, n, seed):
        self.width, self.n, self.seed = width, n, seed
        self.activation = widgets.Dropdown(options=names(), value=get(activation).name, description="activation",
                                           style=_WIDE)
        self.depth = widgets.IntSlider(value=20, min=1, max=60, description="depth", continuous_update=True,
                                       style=_WIDE)
        self.init = widgets.Dropdown(options=INITS, value="xavier", description="init", style=_WIDE)
        self.scale = widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=0.02, description="scale",
                                            continuous_update=True, readout_format=".3g", style=_WIDE,
                                            tooltip="weights ~ N(0, scale^2 / fan_in), used when init = 'scale'")
        for control in (self.depth, self.init, self.scale):
            control.observe(self._changed, names="value")
        self.activation.observe(self._activation_changed, names="value")
        self.params_box = widgets.VBox()
        self._new_params()
        box = widgets.VBox([self.activation, self.params_box, self.depth, self.init, self.scale])
        super().__init__(plotting.GradientFlowPanel(talk=talk, live=False), box)

    def _new_params(self):
        self.params = ParamControls(self.activation.value, self._changed)
        self.params_box.children = [self.params.box]

    def _activation_changed(self, _change):
        self._new_params()
        self._changed()

    @property
    def controls(self) -> dict:
        return {"activation": self.activation, **self.params.controls, "depth": self.depth, "init": self.init,
                "scale": self.scale}

    def _state(self):
        return _freeze((self.activation.value, self.params.values(), self.depth.value, self.init.value,
                        self.scale.value))

    def _draw(self, _state):
        from acts.diagnostics import signal_propagation

        init = self.scale.value if self.init.value == "scale" else self.init.value
        self.scale.disabled = self.init.value != "scale"
        params = self.params.values()
        result = signal_propagation(self.activation.value, depth=self.depth.value, width=self.width,
                                    init=init, n=self.n, seed=self.seed, **params)
        init_text = f"scale {init:.3g}" if self.init.value == "scale" else init
        self.panel.update(result, f"{get(self.activation.value).title}, {self.depth.value} layers, "
                                  f"init {init_text}")
        norms = np.asarray(result.grad_norms, dtype=float)
        fmt = plotting.fmt
        rows = [("gradient norm, layer 1", fmt(norms[0])), (f"gradient norm, layer {len(norms)}", fmt(norms[-1])),
                ("last layer: mean, std", f"{fmt(float(result.means[-1]))}, {fmt(float(result.stds[-1]))}")]
        if np.isfinite(norms).all() and norms[-1] > 0:
            rows.insert(2, ("ratio first / last", fmt(norms[0] / norms[-1])))
        cells = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
        self.readout.value = f"<table style='font-size: 90%'>{cells}</table>"


def depth(activation: str = "tanh", *, width: int = 64, n: int = 256, seed: int = 0,
          talk: bool | None = None) -> Explorer:
    """Gradient flow through a deep dense network: choose the activation, its parameters, depth and init.

    Left: the gradient norm per layer on a log scale; right: the distribution
    of activations per layer. Deterministic: the same controls give the same
    picture (fixed seed). Computed by ``acts.diagnostics.signal_propagation``.
    """
    explorer = _DepthExplorer(activation, talk, width, n, seed)
    explorer.redraw()
    return explorer

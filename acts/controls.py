"""Controls for the explorers: sliders whose stops are exact values, and one group per activation's parameters.

A number parameter's slider stops at ``act.slider_values(name)`` from the
registry: the grid by ``Param.step`` plus the canonical values (the default
and every preset: hard-sigmoid's 1/6 and 0.2), so a canonical value is a stop
exactly, not the nearest point of a float grid.
"""

from __future__ import annotations

import ipywidgets as widgets

from acts.registry import get
from acts.style import fmt_value

__all__ = ["number_slider", "nearest", "ParamControls", "MAX_PIECES"]

MAX_PIECES = 5  # the k slider of tuple parameters (maxout's pieces) goes from 1 to this
_WIDE = {"description_width": "initial"}


def _label(value: float) -> str:
    """A slider stop as text: a simple fraction when the value is one (1/6), else 4 significant digits
    (``style.fmt_value``, the one rule, also used by figure legends)."""
    return fmt_value(value)


def number_slider(label: str, values, value, **kwargs) -> widgets.SelectionSlider:
    """A slider whose stops are exactly ``values`` (canonical ones included), showing each as short text."""
    values = sorted({float(v) for v in values} | {float(value)})
    return widgets.SelectionSlider(options=[(_label(v), v) for v in values], value=float(value), description=label,
                                   continuous_update=True, style=_WIDE, **kwargs)


def _stops(act, pname: str) -> list:
    """The stops of a number parameter's slider: the registry's ``slider_values`` (or low to high in 200 steps)."""
    spec = act.params[pname]
    if not spec.is_tuple and hasattr(act, "slider_values") and getattr(spec, "step", None):
        return [float(v) for v in act.slider_values(pname)]
    step = getattr(spec, "step", None) or (spec.high - spec.low) / 200
    k = round((spec.high - spec.low) / step)
    return [round(spec.low + i * step, 10) for i in range(k + 1)]


def nearest(control, value):
    """The option of a SelectionSlider nearest to ``value`` (``Explorer.set(beta=2)`` need not be exact)."""
    options = [v for _, v in control.options]
    return min(options, key=lambda v: abs(v - float(value)))


class ParamControls:
    """The controls for one activation's parameters, read from ``act.params``.

    ``controls`` maps a key to its widget: the parameter name, or ``name[j]``
    for piece j of a tuple parameter, and ``k`` for the number of pieces.
    ``values()`` gives the keyword arguments for the activation.
    """

    def __init__(self, name: str, on_change, prefix: str = ""):
        self.act = get(name)
        self.prefix = prefix
        self.on_change = on_change
        self.box = widgets.VBox()
        self.controls: dict = {}
        self.tuples = [p for p, spec in self.act.params.items() if spec.is_tuple]
        self.pieces: dict = {}
        self.k = None
        for pname, spec in self.act.params.items():
            if spec.choices is not None:
                control = widgets.Dropdown(options=list(spec.choices), value=spec.default, description=pname,
                                           style=_WIDE)
            elif spec.is_tuple:
                continue
            else:
                control = number_slider(pname, _stops(self.act, pname), spec.default)
            self.controls[prefix + pname] = control
            control.observe(self._changed, names="value")
        if self.tuples:
            k = len(self.act.params[self.tuples[0]].default)
            self.k = widgets.IntSlider(value=k, min=1, max=MAX_PIECES, description="k", style=_WIDE)
            self.controls[prefix + "k"] = self.k
            self.k.observe(self._pieces_changed, names="value")
            for pname in self.tuples:
                self.pieces[pname] = [self._piece(pname, j, v) for j, v in enumerate(self.act.params[pname].default)]
        self._layout()

    def _piece(self, pname, j, value):
        slider = number_slider(f"{pname}[{j}]", _stops(self.act, pname), value)
        slider.observe(self._changed, names="value")
        return slider

    def _changed(self, _change=None):
        self.on_change()

    def _layout(self):
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

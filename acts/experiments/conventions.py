"""Notebook 07's framework tables, printed from measured data: ``acts/frameworks.json``.

Every value in that file was measured by ``tools/measure_frameworks.py`` in
the framework itself (PyTorch, JAX, Flax, Keras 3, Keras 2 through tf_keras),
with the command, date and versions stored beside it (``provenance_table``).
This module only reads and formats it; the one column it computes is what
``acts`` does today, so a test can check that the stored ``acts`` column
still agrees with ``acts``.

>>> slopes = leaky_slopes()
>>> slopes["Keras 2: tf_keras.layers.LeakyReLU"]
0.3
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np

from acts import analysis
from acts.experiments.tables import markdown_table
from acts.registry import get

FILE = "frameworks.json"
#: The columns in table order (the course first).
COLUMNS = ("acts", "PyTorch", "JAX", "Keras 3", "Keras 2")
#: Which facts make the conventions table, which the kink table.
CONVENTION_FACTS = ("hard_sigmoid", "gelu_default", "leaky_function", "leaky_layer", "prelu_init", "silu_beta",
                    "hard_swish")
KINK_FACTS = ("kink_relu", "kink_relu6", "kink_leaky", "kink_elu", "kink_selu", "kink_hard_sigmoid",
              "kink_hard_swish")
#: Documented, not measured: a note beside a measured cell, so a reader does not over-generalise it (the course's
#: fact sheet: only TensorFlow's tf.nn.silu takes beta; tf_keras.activations.swish, measured, does not).
DOCUMENTED = {("Keras 2", "silu_beta"): "`tf.nn.silu` takes beta: documented, not measured here"}
#: Below this, a largest difference from the exact formula is rounding: the function *is* that formula.
SAME = 1e-5


@lru_cache(maxsize=1)
def load() -> dict:
    """The stored measurements: {"facts": {id: question}, "columns": {name: {...}}, "read": [...]}."""
    return json.loads(resources.files("acts").joinpath(FILE).read_text(encoding="utf-8"))


def columns() -> list:
    """The columns present in the file, in table order."""
    stored = load()["columns"]
    return [c for c in COLUMNS if c in stored]


def value(column: str, fact: str):
    """The stored value of ``fact`` in ``column`` (None when that framework has no such function)."""
    entry = load()["columns"][column]["values"].get(fact)
    return None if entry is None else entry["value"]


def _number(v) -> str:
    if isinstance(v, list):
        return ", ".join(_number(u) for u in v)
    if isinstance(v, str):
        return v
    return f"{v:.4g}"


def _cell(column: str, fact: str) -> str:
    entry = load()["columns"][column]["values"].get(fact)
    if entry is None:
        return "—"
    v = entry["value"]
    if fact == "hard_sigmoid":
        text = "1/6" if abs(v - 1 / 6) < SAME else _number(v)
    elif fact in ("gelu_default", "hard_swish"):
        text = "the exact formula" if v < SAME else f"differs by up to {v:.3g}"
        if fact == "gelu_default" and v >= SAME:
            text = f"**tanh approximation** (up to {v:.3g} off)"
    else:
        text = _number(v)
    notes = [n for n in (entry.get("note"), DOCUMENTED.get((column, fact))) if n]
    note = "".join(f" ({n})" for n in notes)
    return f"{text}: `{entry['api']}`{note}"


def conventions_table(facts=CONVENTION_FACTS) -> str:
    """Markdown: one row per fact, one column per framework that measured any of them, each cell "value: `api`".

    "—": that library has no such function or layer.
    """
    stored = load()
    cols = [c for c in columns() if any(f in stored["columns"][c]["values"] for f in facts)]
    rows = [[stored["facts"][f], *[_cell(c, f) for c in cols]] for f in facts]
    return markdown_table(["measured", *cols], rows)


def kink_table() -> str:
    """Markdown: the derivative each framework's autodiff returns exactly at a kink, then the columns with no
    value at any kink in the file (not measured there)."""
    stored = load()
    missing = [c for c in columns() if not any(f in stored["columns"][c]["values"] for f in KINK_FACTS)]
    note = (f"\n\nNot measured at the kinks (no such values in acts/frameworks.json): {', '.join(missing)}."
            if missing else "")
    return conventions_table(KINK_FACTS) + note


def provenance_table() -> str:
    """Markdown: how each column was obtained (measured or documented), with versions, date and command."""
    rows = []
    for c in columns():
        p = load()["columns"][c]["provenance"]
        versions = ", ".join(f"{k} {v}" for k, v in p.get("versions", {}).items())
        backend = f" (Keras backend: {p['keras_backend']})" if p.get("keras_backend") else ""
        rows.append([c, p["status"], versions + backend, p.get("date", ""), f"`{p.get('command', '')}`"])
    return markdown_table(["column", "how", "versions", "date", "command"], rows)


def leaky_slopes() -> dict:
    """{"framework: api": default slope} for every Leaky ReLU function and layer in the file."""
    out = {}
    for c in columns():
        if c == "acts":
            continue
        for fact in ("leaky_function", "leaky_layer"):
            entry = load()["columns"][c]["values"].get(fact)
            if entry is not None:
                out.setdefault(f"{c}: {entry['api']}", entry["value"])
    return out


def read_facts() -> list:
    """Facts about published models that no call can measure, each with the source it was read from."""
    return list(load().get("read", []))


def read_fact(fact_id: str) -> dict:
    for fact in read_facts():
        if fact["id"] == fact_id:
            return fact
    raise KeyError(f"read_fact(): no fact {fact_id!r}; known: {', '.join(f['id'] for f in read_facts())}")


def torch_costs() -> dict:
    """The stored PyTorch CPU timings: {"what", "cpu", "load_average_before", "ratios": {name: x F.relu}} or {}."""
    return dict(load()["columns"].get("PyTorch", {}).get("costs", {}))


# ---------------------------------------------------------------- initialisation gain


def variance_gain(name: str, **params) -> float:
    """1 / sqrt(E[f(z)^2]) for z ~ N(0, 1): the weight scale that keeps the second moment of a layer's
    output equal to its input's, computed by quadrature (``analysis.gaussian_expectation``)."""
    act = get(name)
    second = analysis.gaussian_expectation(lambda z: np.asarray(act(z, **params), dtype=float) ** 2,
                                           breaks=act.kink_points(**params))
    return float(1.0 / np.sqrt(second))


def gain_table() -> str:
    """Markdown: PyTorch's stored ``calculate_gain`` next to the variance-preserving gain computed here."""
    torch_gains = load()["columns"].get("PyTorch", {}).get("gains", {})
    rows = []
    for name in ("sigmoid", "tanh", "relu", "leaky_relu", "selu"):
        computed = variance_gain(name)
        stored = torch_gains.get(name)
        rows.append([get(name).title, "—" if stored is None else f"{stored:.4g}", f"{computed:.4g}"])
    return markdown_table(["activation", "torch.nn.init.calculate_gain (measured)",
                   "1 / sqrt(E f(z)², z ~ N(0,1)) (computed here)"], rows)

"""Notebook 07's cheat sheet and decision guide: the property table, what training made of the learnable
functions, costs with the hardware they were measured on, and a guide whose verdicts come from the bake-off.

The shape columns are ``acts.analysis.property_table`` (the one property
table of the course); this module adds the rows and columns that need a
trained network or a stopwatch, and formats them.
"""

from __future__ import annotations

import numpy as np

from acts import analysis, nn, timing
from acts.experiments import bakeoff, bakeoff_report, conventions
from acts.experiments.tables import markdown_table
from acts.registry import get
from acts.registry import names as all_names

#: The cheat sheet's columns: key of a property_table row -> (header, how to show the value).
COLUMNS = {
    "title": ("activation", str),
    "range": ("range", str),
    "f0": ("f(0)", lambda v: f"{v:.3g}"),
    "mean": ("E f(z), z ~ N(0,1)", lambda v: f"{round(v, 3) + 0.0:.3f}"),
    "zero_centred": ("zero-centred", lambda v: "yes" if v else "no"),
    "monotonic": ("monotonic", str),
    "smooth": ("smooth", str),
    "saturation": ("saturates", str),
    "can_die": ("units can die", lambda v: "yes" if v else "no"),
    "cost": ("NumPy-on-CPU cost × ReLU", lambda v: "—" if v is None else f"{v:.1f}"),
    "params": ("parameters (defaults)", str),
    "learnable": ("learned", str),
    "used_in": ("where it is used", str),
    "reference": ("paper", str),
}


def numpy_costs(names=None, n: int = 100_000, repeat: int = 5) -> dict:
    """{name: time per element / ReLU's} of ``acts``'s NumPy value path, measured now on this CPU (not a claim
    about any other library or hardware)."""
    return timing.relative_cost(all_names() if names is None else names, n=n, repeat=repeat)


def cheat_sheet(costs=None) -> list:
    """``analysis.property_table()`` rows, each with "can_die" (f' exactly 0 on a whole side: hard saturation on
    the left or the right) and a "cost" (``costs[name]``, or None)."""
    rows = analysis.property_table()
    for row in rows:
        row["can_die"] = "hard" in analysis.saturation_sides(row["name"]).values()
        row["cost"] = None if costs is None else costs.get(row["name"])
    return rows


def cheat_sheet_table(rows: list, columns) -> str:
    """The chosen ``COLUMNS`` of ``cheat_sheet`` rows as a Markdown table."""
    return markdown_table([COLUMNS[c][0] for c in columns], [[COLUMNS[c][1](row[c]) for c in columns] for row in rows])


# ---------------------------------------------------------------- what training produces


def maxout_shapes(net) -> dict:
    """How the trained 2-piece maxout units of ``net`` bend, seen across each unit's ridge.

    A unit max(a.x + b1, c.x + b2) changes piece where the two are equal; along d = a - c its slopes are
    a.d > c.d. "V-shaped": c.d < 0 < a.d (falls then rises: not monotonic, no flat side, like |x|);
    "one-signed": both slopes of the same sign (monotonic along d). Counts over every hidden unit and model.
    """
    v = one = 0
    for layer in net.layers:
        if not isinstance(layer, nn.Maxout) or layer.weight.shape[-3] != 2:  # weight: (models..., k, n_in, n_out)
            continue
        a, c = layer.weight[..., 0, :, :], layer.weight[..., 1, :, :]
        d = a - c
        sa, sc = np.sum(a * d, axis=-2), np.sum(c * d, axis=-2)
        v += int(np.sum((sc < 0) & (sa > 0)))
        one += int(np.sum(~((sc < 0) & (sa > 0))))
    return {"v_shaped": v, "one_signed": one}


def _range(name: str, **params) -> str:
    """``analysis.value_range``, with a minimum of -0.0 (PReLU with a negative alpha, at x = 0) shown as 0."""
    return analysis.value_range(name, **params).replace("[-0, ", "[0, ")


def v_monotonic(weights=(1.0, -1.0), biases=(0.0, 0.0)) -> str:
    """The monotonic column of a V-shaped 2-piece maxout unit, max(w1 x + b1, w2 x + b2) with w1 > 0 > w2, from
    its pieces (exact; no grid): the slope is w2 < 0 left of the kink x* = (b2 - b1) / (w1 - w2)."""
    (w1, w2), (b1, b2) = weights, biases
    if not w1 > 0 > w2:
        raise ValueError(f"v_monotonic(): weights must be (w1 > 0, w2 < 0) for a V; got {weights!r}")
    kink = (b2 - b1) / (w1 - w2) + 0.0
    return f"no: f' = {w2:g} < 0 for x < {kink:g}"


def trained_rows(*results) -> list:
    """Rows for the learned entries of the bake-offs: what training produced, with the shape columns computed
    at the smallest and at the largest learned value (not at the defaults)."""
    rows = []
    for label, param in (("prelu", "alpha"), ("swish", "beta")):
        values = np.concatenate([np.ravel(v) for r in results for name, v in r.nets[label].parameters(
            "activation").items() if name.endswith(param)])
        lo, hi = float(values.min()), float(values.max())
        name = get(label).name
        if param == "alpha":
            count = f"α < 0 in {int(np.sum(values < 0))} of {values.size} layers"
        else:
            count = f"β > 1 in {int(np.sum(values > 1))} of {values.size} layers"
        for which, at in (("smallest", lo), ("largest", hi)):
            rows.append({
                "title": results[0].title(label), "learned": f"{param} from {lo:.3g} to {hi:.3g}; {count}",
                "at": f"the {which}: {param} = {at:.3g}", "range": _range(name, **{param: at}),
                "monotonic": analysis.monotonic(name, **{param: at}),
                "saturation": analysis.saturation_text(analysis.saturation_sides(name, **{param: at})),
            })
    shapes = {"v_shaped": 0, "one_signed": 0}
    for r in results:
        for label in r.labels:
            if r.entries[r.index(label)].activation == "maxout":
                for key, n in maxout_shapes(r.nets[label]).items():
                    shapes[key] += n
    total = sum(shapes.values())
    rows.append({
        "title": "Maxout (k = 2)", "learned": f"V-shaped across the ridge in {shapes['v_shaped']} of {total} "
                                              f"trained units (both bake-offs, every maxout entry)",
        "at": "weights (1, -1), the V: |x|", "range": analysis.value_range("maxout", weights=(1.0, -1.0)),
        "monotonic": v_monotonic((1.0, -1.0)),
        "saturation": analysis.saturation_text(analysis.saturation_sides("maxout", weights=(1.0, -1.0))),
    })
    return rows


def trained_table(*results) -> str:
    head = ["activation", "what training produced", "evaluated at", "range", "monotonic", "saturates"]
    return markdown_table(head, [[r["title"], r["learned"], r["at"], r["range"], r["monotonic"], r["saturation"]]
                         for r in trained_rows(*results)])


def cost_table(numpy: dict) -> str:
    """NumPy-on-CPU (measured now) beside PyTorch-on-CPU (measured by tools/measure_frameworks.py), × ReLU."""
    torch = conventions.torch_costs().get("ratios", {})
    pairs = [("relu", "relu"), ("leaky_relu", "leaky_relu"), ("hard_swish", "hard_swish"), ("swish", "silu"),
             ("gelu", "gelu"), ("sigmoid", "sigmoid"), ("tanh", "tanh"), ("elu", "elu"), ("mish", "mish"),
             ("softplus", "softplus")]
    rows = [[get(a).title, f"{numpy[a]:.1f}" if a in numpy else "—", f"{torch[t]:.1f}" if t in torch else "—"]
            for a, t in pairs]
    return markdown_table(["activation", "acts (NumPy, float64, this CPU, now) × ReLU",
                   "PyTorch (float32, 1 thread, stored) × F.relu"], rows)


# ---------------------------------------------------------------- the decision guide


def _names(result, labels) -> str:
    return ", ".join(result.title(label) for label in labels) or "none"


def _flagged(result, labels, budget: dict | None) -> str:
    """Titles, each marked with a dagger when its verdict on some task depends on the budget (``budget``:
    ``bakeoff_report.budget_dependent``)."""
    moving = set().union(*budget.values()) if budget else set()
    return ", ".join(result.title(label) + (" †" if label in moving else "") for label in labels) or "none"


#: What the bake-off is, in every row that quotes it.
SCOPE = "this bake-off (a 2-layer MLP of 16 units, two toy tasks, at this budget)"


def decision_rows(spirals, sine, budget: dict | None = None) -> list:
    """(situation, choice, what the literature or another notebook shows, what this bake-off shows) rows.

    Every verdict is read from the bake-offs' intervals; rows about settings the bake-off does not test (CNNs,
    transformers, deep networks, int8) quote no toy verdict. ``budget``: {task: [labels whose verdict changes
    between 1x, 2x and 4x the budget]} (``bakeoff_report.budget_dependent``); those are marked with a dagger.
    """
    v = {r.task.name: bakeoff.verdicts(r) for r in (spirals, sine)}
    better_both = [label for label in spirals.labels
                   if label in v["spirals"]["better"] and label in v["sine"]["better"]]
    worse_any = [label for label in spirals.labels if label in v["spirals"]["worse"] or label in v["sine"]["worse"]]
    _, survivors = bakeoff_report.bonferroni(spirals, sine)
    gap = float(np.max(np.abs(get("gelu")(np.linspace(-6, 6, 12001), approximate="tanh")
                              - get("gelu")(np.linspace(-6, 6, 12001)))))
    dead = {r.task.name: [label for label in r.labels if r.dead[r.index(label)].mean() > 0] for r in (spirals, sine)}
    none = "— (not tested by this bake-off)"
    return [
        ("An MLP built from scratch, no convention to follow",
         "ReLU as the baseline to beat, then try the functions that beat it on your task",
         "the method of section 1 (paired seeds, held-out data, equal tuning), on your own task",
         f"better than ReLU on both tasks: {_flagged(spirals, better_both, budget)}; after a Bonferroni "
         f"correction, better on spirals: {_names(spirals, survivors['spirals'])}, on sine: "
         f"{_names(sine, survivors['sine'])}; worse on at least one task: {_flagged(spirals, worse_any, budget)}"
         + (" († the verdict changes between 1x, 2x and 4x the budget)" if budget else "")),
        ("A transformer or language-model feed-forward block",
         "a gated unit: SwiGLU (LLaMA) or GeGLU (Gemma), hidden width cut to 2/3 to match parameters",
         f"literature: {conventions.read_fact('swiglu_llm')['source']}; "
         f"{conventions.read_fact('geglu_gemma')['source']}; the course: [05 · §5 gated units](05_learnable.ipynb) "
         "(GLU, ReGLU, GeGLU, SwiGLU, parameter-matched, on a toy task)", none),
        ("A modern CNN (EfficientNet-, ConvNeXt-style)", "SiLU or GELU, as the architecture uses",
         f"literature: {conventions.read_fact('silu_cnn')['source']}", none),
        ("Porting GPT-2 (or any checkpoint) between frameworks",
         "the GELU the checkpoint was trained with: GPT-2's is the tanh approximation",
         f"{conventions.read_fact('gpt2_gelu')['source'].split(':')[0]}; the two GELUs differ by up to "
         f"{gap:.3g} per unit (section 3); JAX's default is the tanh form (measured, section 3)", none),
        ("Initialising the weights", "a gain that matches the activation (He's √2 for ReLU)",
         "section 3: `calculate_gain` measured in PyTorch beside the gain computed here", none),
        ("Units die (dead fraction grows)", "Leaky ReLU or PReLU, or a smooth function",
         "[02 · the ReLU family](02_relu_family.ipynb); [06 · deep network](06_deep_network.ipynb)",
         f"units dead at the end: spirals {_names(spirals, dead['spirals'])}; sine {_names(sine, dead['sine'])}"),
        ("int8 inference, mobile or microcontroller", "ReLU with a calibrated range, ReLU6, hard-swish",
         "[04 · mobile-friendly](04_mobile_friendly.ipynb): quantised accuracy over seeds; literature: Howard et al. "
         "2019, Searching for MobileNetV3, arXiv:1905.02244", "— (float64 only: says nothing about int8)"),
        ("A deep MLP without normalisation layers", "SELU with LeCun initialisation",
         "[02 · the ReLU family](02_relu_family.ipynb): self-normalising moments through many layers; literature: "
         "Klambauer et al. 2017, Self-Normalizing Neural Networks, arXiv:1706.02515",
         "— (two hidden layers: not a deep MLP)"),
        ("A gate, or the output layer", "sigmoid (gates, independent labels), softmax (classes), none (regression)",
         "[01 · saturated](01_saturated.ipynb); [00](00_why_activation_functions.ipynb)", none),
    ]


def decision_table(spirals, sine, budget: dict | None = None) -> str:
    return markdown_table(["situation", "choose", "evidence: the literature and the course's notebooks",
                           f"evidence: {SCOPE}"], decision_rows(spirals, sine, budget))


#: Claims of the source notes that this notebook speaks to: (claim, entries, what really tests it). An empty
#: tuple of entries: the bake-off's final scores do not test the claim; the third field says what does.
CLAIMS = (
    ("Swish outperforms ReLU on deep models", ("swish", "silu"),
     "a claim about deep models: these two-layer verdicts do not test it"),
    ("Mish outperforms ReLU on deep models", ("mish",),
     "a claim about deep models: this two-layer verdict does not test it"),
    ("Leaky ReLU is in theory better, but its effect is unstable", ("leaky_relu",),
     "the seed-by-seed spread is in the table of section 1; 'in theory' is not testable"),
    ("ELU has no more prominent effect than ReLU", ("elu",), "on these toy tasks only"),
    ("sigmoid and tanh converge slowly", ("sigmoid", "tanh"),
     "speed, not a final score: the budget check above (verdicts at 1x, 2x, 4x), "
     "[01 §4](01_saturated.ipynb) and [06 §4-5](06_deep_network.ipynb) (deep nets)"),
    ("Maxout can approximate any continuous function", (),
     "not a final score: [05 · Two units: any continuous function](05_learnable.ipynb) fits sin x with two units"),
)


def claims_table(spirals, sine, stored: dict | None = None) -> str:
    """Markdown: each claim of the notes, each entry it concerns, its verdict against ReLU on both tasks (with the
    verdicts after 1x / 2x / 4x the budget when ``stored``, {task: bakeoff.stored_bake_offs(...)}, is given), and
    what really tests the claim."""
    moving = {t: bakeoff_report.budget_verdicts(v) for t, v in stored.items()} if stored else {}
    rows = []
    for claim, labels, tests in CLAIMS:
        if not labels:
            rows.append([f"*{claim}*", "—", "—", "—", tests])
        for label in (label for label in labels if label in spirals.labels and label in sine.labels):
            cells = []
            for r in (spirals, sine):
                c = bakeoff.paired(r, label)
                text = f"{c.verdict} ({bakeoff_report.difference_text(c)})"
                if r.task.name in moving:
                    text += f"; 1x / 2x / 4x: {' / '.join(moving[r.task.name][label])}"
                cells.append(text)
            rows.append([f"*{claim}*", spirals.title(label), *cells, tests])
    head = ["the notes say", "entry", "spirals vs ReLU (accuracy points)",
            "sine vs ReLU (geometric mean of per-seed MSE ratios)", "what tests the claim"]
    return markdown_table(head, rows)

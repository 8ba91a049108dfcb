"""Notebook 07's cheat sheet and decision guide: the property table, what training made of the learnable
functions, costs with the hardware they were measured on, and a guide whose verdicts come from the bake-off.

The shape columns are ``acts.analysis.property_table`` (the one property
table of the course); this module adds the rows and columns that need a
trained network or a stopwatch, and formats them.
"""

from __future__ import annotations

import numpy as np

from acts import analysis, claims, nn, stats, timing
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
    return analysis.value_range(name, **params)


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
    """NumPy-on-CPU (measured now) beside PyTorch-on-CPU (measured by tools/measure_frameworks.py), × ReLU, for
    every registered activation; "—" where a column has no measurement (the PyTorch tool timed only some)."""
    torch = conventions.torch_costs().get("ratios", {})
    rows = []
    for name in all_names():
        t = "silu" if name == "swish" else name
        rows.append([get(name).title, f"{numpy[name]:.1f}" if name in numpy else "—",
                     f"{torch[t]:.1f}" if t in torch else "— (not timed)"])
    return markdown_table(["activation", "acts (NumPy, float64, this CPU, now) × ReLU",
                           "PyTorch (float32, 1 thread, stored) × F.relu"], rows)


# ---------------------------------------------------------------- the decision guide


def _names(result, labels) -> str:
    return ", ".join(result.title(label) for label in labels) or "none"


def _marks(results: dict, stored: dict | None, edges: dict | None, tuning: dict | None, level: float) -> dict:
    """{task: {label: marks}} for the verdicts at ``level``: a dagger when the verdict changes between 1x, 2x
    and 4x the budget (``stored``: {task: bakeoff.stored_bake_offs(...)}), a double dagger when the tuned rate is an
    end of the grid (``edges``: {task: {label: "top" or "bottom"}}), a section sign when the verdict flips with
    ReLU one grid step from its tuned rate (``tuning``: the stored tuning stage), a pilcrow when it changes with
    one seed left out (``bakeoff_report.leave_one_out``)."""
    budget = bakeoff_report.budget_dependent(stored, level=level) if stored else {}
    out = {}
    for name, r in results.items():
        fragile = bakeoff_report.rate_fragile(r, tuning, level=level) if tuning else []
        one_seed = bakeoff_report.leave_one_out(r, level=level)
        out[name] = {label: " ".join(sym for sym, hit in (("†", label in budget.get(name, ())),
                                                          ("‡", label in (edges or {}).get(name, {})),
                                                          ("§", label in fragile), ("¶", label in one_seed)) if hit)
                     for label in r.labels}
    return out


def _listed(result, labels, marks: dict, tasks: dict | None = None) -> str:
    """Titles with their marks. A list of one task's verdicts (``tasks`` None): that task's marks. A list across
    tasks: each title followed by [the tasks in ``tasks[label]``, each with its own marks], those without
    marks left out unless ``tasks`` names them all (the list is about those tasks)."""
    parts = []
    for label in labels:
        if tasks is None:
            m = marks[result.task.name][label]
            parts.append(result.title(label) + (f" {m}" if m else ""))
        else:
            named = [f"{t} {marks[t][label]}".strip() for t in tasks[label]]
            parts.append(result.title(label) + (f" [{'; '.join(named)}]" if named else ""))
    return ", ".join(parts) or "none"


#: What the bake-off is, in every row that quotes it.
SCOPE = "this bake-off (a 2-layer MLP of 16 units, two toy tasks, at this budget)"


def decision_rows(spirals, sine, stored: dict | None = None, edges: dict | None = None,
                  tuning: dict | None = None) -> list:
    """The decision guide's rows (``_decision``), without the key to the marks."""
    return _decision(spirals, sine, stored, edges, tuning)[0]


def _decision(spirals, sine, stored: dict | None = None, edges: dict | None = None,
              tuning: dict | None = None) -> tuple:
    """([(situation, choice, what the literature or another notebook shows, what this bake-off shows)], [the key
    to the marks used]).

    Every verdict is read from the bake-offs' intervals; rows about settings the bake-off does not test (CNNs,
    transformers, deep networks, int8) quote no toy verdict. Marks, each computed at the level of the verdict
    it marks (95% per comparison, or the Bonferroni level) and for the task it belongs to: a dagger when the
    verdict changes between 1x, 2x and 4x the budget (``stored``: {task: bakeoff.stored_bake_offs(...)}), a double
    dagger when the tuned rate is an end of the grid (``edges``: ``bakeoff_report.edge_rates`` per task), a section
    sign when the verdict flips with ReLU one grid step from its tuned rate (``tuning``: the stored tuning stage),
    a pilcrow when it changes with one seed left out.
    """
    results = {r.task.name: r for r in (spirals, sine)}
    v = {name: bakeoff.verdicts(r) for name, r in results.items()}
    better_both = [label for label in spirals.labels
                   if label in v["spirals"]["better"] and label in v["sine"]["better"]]
    worse_in = {label: [n for n in results if label in v[n]["worse"]] for label in spirals.labels}
    worse_any = [label for label in spirals.labels if worse_in[label]]
    strict, corrected = bakeoff_report.bonferroni_verdicts(spirals, sine)
    marks = _marks(results, stored, edges, tuning, bakeoff.LEVEL)
    strict_marks = _marks(results, stored, edges, tuning, strict)
    marked_in = {label: [n for n in results if marks[n][label]] for label in spirals.labels}
    split = [f"{spirals.title(label)} ({', '.join(n for n in results if label in v[n]['better'])})"
             for label in worse_any if any(label in v[n]["better"] for n in results)]
    best = {name: sorted(bakeoff.comparisons(r), key=lambda c: -c.mean if r.task.higher_is_better else c.mean)[:3]
            for name, r in results.items()}
    def sized(r, label):  # an entry with far more parameters than ReLU's net says so
        n, base = (bakeoff.param_count(r.task, r.entries[r.index(k)]) for k in (label, "relu"))
        return f" ({n} parameters, ReLU's {base})" if n > 1.1 * base else ""

    best_text = "; ".join(f"{name}: " + ", ".join(f"{results[name].title(c.label)} "
                                                  f"{bakeoff_report.difference_text(c).split(' [')[0]}"
                                                  f"{sized(results[name], c.label)}" for c in cs)
                          for name, cs in best.items())
    corrected_text = "; ".join(
        f"{name}: " + ", ".join(kind + " " + _listed(results[name], corrected[name][kind], strict_marks)
                                for kind in ("better", "worse"))
        for name in results)
    gap = float(np.max(np.abs(get("gelu")(np.linspace(-6, 6, 12001), approximate="tanh")
                              - get("gelu")(np.linspace(-6, 6, 12001)))))
    dead = {name: [label for label in r.labels if r.dead[r.index(label)].mean() > 0] for name, r in results.items()}
    chosen = [label for label in ("leaky_relu", "prelu") if label in spirals.labels and label in sine.labels]
    outcome = "; ".join(
        f"{spirals.title(label)}: dead " + " / ".join(f"{results[n].dead[results[n].index(label)].mean():.0%}"
                                                      for n in results)
        + ", against ReLU " + " / ".join(f"{bakeoff.paired(results[n], label).verdict} {marks[n][label]}".strip()
                                         for n in results)
        for label in chosen)
    fewer = chosen and all(r.dead[r.index(label)].mean() < r.dead[r.index("relu")].mean()
                           for label in chosen for r in results.values())
    all_ties = chosen and all(bakeoff.paired(r, label).verdict == "tie" for label in chosen for r in results.values())
    relu_dead = " / ".join(f"{r.dead[r.index('relu')].mean():.0%}" for r in results.values())
    better_text = _listed(spirals, better_both, marks, marked_in)
    worse_text = _listed(spirals, worse_any, marks, worse_in)
    used = better_text + worse_text + corrected_text + outcome  # a note for every mark that is shown, and only those
    notes = []
    if "†" in used:
        notes.append("† the verdict changes between 1x, 2x and 4x the budget, every budget keeping the learning "
                     "rate tuned at 1x")
    if "‡" in used:
        notes.append("‡ the tuned rate is an end of the grid, where the best rate may lie beyond it")
    if "§" in used:
        notes.append("§ the verdict flips when ReLU trains one step along the grid from its tuned rate")
    if "¶" in used:
        notes.append("¶ the verdict changes when one of the ten seeds is left out (the optional one-seed check)")
    if notes:
        notes.append("in the 95% lists a mark follows the task whose verdict it marks; in the Bonferroni lists it "
                     "marks that task's corrected verdict; the three best mean differences carry no marks")
    none = "— (not tested by this bake-off)"
    rows = [
        ("An MLP built from scratch, no convention to follow",
         "ReLU as the baseline to beat, then try the functions that beat it on your task",
         "the method of section 1 (paired seeds, held-out data, equal tuning), on your own task",
         f"at 95% per comparison: better than ReLU on both tasks: "
         f"{better_text}; worse on at least one task: {worse_text}, of which better on the "
         f"other task: {', '.join(split) or 'none'}. After a Bonferroni correction ({strict:.2%}, all comparisons "
         f"at once): {corrected_text}. The three best mean differences from ReLU, {best_text}"
         ),
        ("A transformer or language-model feed-forward block",
         "a gated unit: SwiGLU (LLaMA) or GeGLU (Gemma); to match a non-gated block's parameters, cut the hidden "
         "width to 2/3 (as LLaMA does; Gemma's are wider: its paper's Table 1)",
         f"literature: {conventions.read_fact('glu_variants')['source']} (the 2/3 rule); "
         f"{conventions.read_fact('swiglu_llm')['source']}; {conventions.read_fact('geglu_gemma')['source']}; "
         "the course: [05 · §5 gated units](05_learnable.ipynb) (GLU, ReGLU, GeGLU, SwiGLU, parameter-matched, on "
         "a toy task)", none),
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
         f"dead at the end (f' = 0 on every training input): spirals {_names(spirals, dead['spirals'])}; sine "
         f"{_names(sine, dead['sine'])}; ReLU {relu_dead} (spirals / sine). The choices: {outcome or 'not run'} "
         "(spirals / sine)" + ((": fewer dead units than ReLU, but " if fewer else ": ")
                               + "no difference from ReLU that these seeds resolve" if all_ties else "")),
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
    return rows, notes


def decision_table(spirals, sine, stored: dict | None = None, edges: dict | None = None,
                   tuning: dict | None = None) -> str:
    """``decision_rows`` as a Markdown table, with the key to its marks below it."""
    rows, notes = _decision(spirals, sine, stored, edges, tuning)
    table = markdown_table(["situation", "choose", "evidence: the literature and the course's notebooks",
                            f"evidence: {SCOPE}"], rows)
    return table + ("\n\nMarks: " + "; ".join(notes) + "." if notes else "")


#: Claims of the source notes that this notebook speaks to: (ledger id in acts/claims.json, entries, what tests
#: it). An empty tuple of entries: the bake-off's final scores do not speak to the claim; the third field says
#: what does. The ledger's verdict is printed beside the toy verdicts, so the two cannot disagree.
CLAIMS = (
    ("swish-deep-models", ("swish", "silu"), "a claim about deep models: these two-layer verdicts do not test it"),
    ("mish-deep-models", ("mish",), "a claim about deep models: this two-layer verdict does not test it"),
    ("leaky-unstable", ("leaky_relu",), "'in theory' and 'in practice' are not testable here"),
    ("elu-no-better", ("elu",), "a claim about practice at scale: two toy verdicts do not test it"),
    ("relu-faster-convergence", ("sigmoid", "tanh"),
     "speed, not a final score: [01 §4](01_saturated.ipynb) and [06 §4-5](06_deep_network.ipynb) (deep nets)"),
    ("maxout-universal", (),
     "not a final score: [05 · Two units: any continuous function](05_learnable.ipynb) fits sin x with two units"),
)


def seed_scores(result, label: str) -> np.ndarray:
    """An entry's test scores per seed on the scale of its comparisons: accuracy points, or log10 of the MSE."""
    scores = result.of(label)
    return 100 * scores if result.task.higher_is_better else np.log10(scores)


def seed_spread(result, label: str) -> float:
    """The standard deviation over seeds of an entry's test score (``seed_scores``)."""
    return float(np.std(seed_scores(result, label), ddof=1))


def _claim_note(claim_id: str, label: str, results: dict, stored: dict | None) -> str:
    """What the numbers add to a claim's row: the seed-to-seed spread (Leaky ReLU: 'unstable'), the budget check
    (sigmoid and tanh: 'slow')."""
    if claim_id == "leaky-unstable":
        parts = []
        for name, r in results.items():
            mine, relu = seed_spread(r, label), seed_spread(r, "relu")
            p = stats.equal_spread_p(seed_scores(r, label), seed_scores(r, "relu"))
            found = ("larger" if mine > relu else "smaller") + " than ReLU's" if p < 0.05 else "no clear difference"
            parts.append(f"{name} {mine:.2f} vs ReLU {relu:.2f} ({'points' if r.task.higher_is_better else 'log10 MSE'}"
                         f"), {found} (paired test of equal spread, p = {p:.2g}; learning rates {r.lrs[label]:g} and "
                         f"{r.lrs['relu']:g})")
        return ("spread over seeds (SD): " + "; ".join(parts) + ". A larger spread on one toy task, at its own "
                "learning rate, is not the notes' 'unstable in practice'")
    if claim_id == "relu-faster-convergence" and stored:
        parts = []
        for name, by_factor in stored.items():
            gain = {c.label: c for c in bakeoff_report.budget_gains(by_factor)}[label]
            change = {"better": "improves", "worse": "gets worse", "tie": "no clear change"}[gain.verdict]
            parts.append(f"{name} {change}")
        return "test score 4x vs 1x the budget (rate tuned at 1x): " + ", ".join(parts)
    return ""


def claims_table(spirals, sine, stored: dict | None = None, fragile: dict | None = None) -> str:
    """Markdown: each claim of the notes (from the ledger, with the ledger's verdict), each entry it concerns, its
    verdict against ReLU on both tasks (with the verdicts after 1x / 2x / 4x the budget when ``stored``,
    {task: bakeoff.stored_bake_offs(...)}, is given), what the numbers add, and what really tests the claim.
    ``fragile``: {task: [labels]} (``bakeoff_report.rate_fragile``): those verdicts get a section sign (§); a
    verdict that changes with one seed left out (``bakeoff_report.leave_one_out``) a pilcrow (¶); a verdict the
    Bonferroni correction for all comparisons changes says so."""
    moving = {t: bakeoff_report.budget_verdicts(v) for t, v in stored.items()} if stored else {}
    results = {r.task.name: r for r in (spirals, sine)}
    one_seed = {name: bakeoff_report.leave_one_out(r) for name, r in results.items()}
    strict, corrected = bakeoff_report.bonferroni_verdicts(spirals, sine)
    after = {name: {label: kind for kind, labels in v.items() for label in labels} for name, v in corrected.items()}
    rows = []
    for claim_id, labels, tests in CLAIMS:
        claim = claims.get(claim_id)
        said = f"*{claim.claim}* ({claim.function})"
        present = [label for label in labels if label in spirals.labels and label in sine.labels]
        if not present:  # every claim keeps its row, so the table and the ledger cell list the same claims
            rows.append([said, claim.verdict, "—", "—", "—", tests])
        for label in present:
            cells = []
            for r in results.values():
                c = bakeoff.paired(r, label)
                mark = (" §" if label in (fragile or {}).get(r.task.name, ()) else "") + (
                    " ¶" if label in one_seed[r.task.name] else "")
                text = f"{c.verdict}{mark} ({bakeoff_report.difference_text(c)})"
                if after[r.task.name][label] != c.verdict:  # what the correction for all comparisons leaves
                    text += f"; after Bonferroni ({strict:.2%}): {after[r.task.name][label]}"
                if r.task.name in moving:
                    text += f"; 1x / 2x / 4x: {' / '.join(moving[r.task.name][label])}"
                cells.append(text)
            note = _claim_note(claim_id, label, results, stored)
            rows.append([said, claim.verdict, spirals.title(label), *cells,
                         tests + (f"; {note}" if note else "")])
    head = ["the notes say", "ledger's verdict", "entry", "spirals vs ReLU (accuracy points)",
            "sine vs ReLU (geometric mean of per-seed MSE ratios)", "what tests the claim, and what the numbers add"]
    return markdown_table(head, rows)


def ledger(out=print) -> None:
    """Print the ledger's rows (acts/claims.json) for the claims of ``CLAIMS``: the same claims, with the same
    verdicts, as ``claims_table``."""
    rows = [claims.get(claim_id) for claim_id, _, _ in CLAIMS]
    width = max(len(c.verdict) for c in rows)
    for c in rows:
        out(f"{c.verdict:<{width}}  {c.function}: {c.claim}")
    counts = {v: sum(c.verdict == v for c in rows) for v in claims.VERDICTS}
    out(f"\n{len(rows)} claims: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n))

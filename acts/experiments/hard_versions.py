"""Notebook 04's hard versions and their deployment: hard-sigmoid's two forms, hard-swish's gap, MobileNetV3, costs.

* hard-sigmoid: ``notes_hard_sigmoid`` (the source notes' code, for comparison),
  ``plot_hard_sigmoid_forms`` (the two forms in use) and ``slope_changes``
  (where a function on a grid stops being one straight line);
* hard-swish: ``plot_hard_swish_gap`` (swish, hard-swish and their difference);
* MobileNetV3: ``MOBILENET_V3_LARGE`` (its block table) and ``mobilenet_v3_summary``;
* cost: ``NUMPY_FORMS`` (bare NumPy one-liners) and ``cost_table``, timed with ``acts.timing``:
  NumPy on this CPU only.

``acts.experiments.mobile_friendly`` re-exports every name, so the notebook reaches them as ``mf.<name>``.
"""

from __future__ import annotations

import numpy as np

from acts import analysis, plotting, timing
from acts.registry import get

# ---------------------------------------------------------------------------
# Hard-sigmoid


def notes_hard_sigmoid(x):
    """The source notes' Hard_Sigmoid, as written there: clip((2x + 5) / 10, 0, 1)."""
    f = (2 * np.asarray(x, dtype=float) + 5) / 10
    return np.where(np.where(f > 1, 1, f) < 0, 0, np.where(f > 1, 1, f))


def plot_hard_sigmoid_forms(x_range=(-6.0, 6.0), *, talk: bool | None = None):
    """Sigmoid and the two hard-sigmoids (slope 1/6: PyTorch, JAX, Keras 3; slope 0.2: Keras 2), and their errors.

    Top: the three curves. Bottom: hard_sigmoid - sigmoid for each form, the
    largest absolute error marked (found by ``acts.analysis.max_difference``).
    """
    x = np.linspace(*x_range, 1201)
    sig = get("sigmoid")(x)
    forms = ((1 / 6, "x/6 + 1/2: PyTorch, JAX, Keras 3"), (0.2, "0.2x + 0.5: Keras 2, the notes"))
    fig, (ax, ax_e) = plotting.new_figure(2, 1, talk=talk)
    ax.plot(x, sig, color=plotting.PALETTE[0], ls=plotting.LINESTYLES[0], label="sigmoid")
    for i, (slope, label) in enumerate(forms, start=1):
        y = get("hard_sigmoid")(x, slope=slope)
        style = dict(color=plotting.PALETTE[i], ls=plotting.LINESTYLES[i])
        ax.plot(x, y, label=label, **style)
        ax_e.plot(x, y - sig, **style)
        gap, at, _ = analysis.max_difference(["sigmoid", "hard_sigmoid"], x, {1: {"slope": slope}})
        sign = np.sign(get("hard_sigmoid")(at, slope=slope) - get("sigmoid")(at))
        for t, sg in ((at, sign), (-at, -sign)):
            ax_e.plot([t], [sg * gap], "o", color=style["color"], ms=5)
        y_at = -sign * gap if at < 0 else sign * gap  # the marked point at +|at|
        ax_e.annotate(f"{gap:.4f} at ±{abs(at):.3g}", (abs(at), y_at), xytext=(0, 8 if y_at > 0 else -8),
                      textcoords="offset points", ha="center", va="bottom" if y_at > 0 else "top", fontsize="small")
    ax.set_title("Two functions called hard-sigmoid")
    ax.set(xlabel="x", ylabel="f(x)")
    ax.legend(loc="upper left", fontsize="small")
    ax_e.axhline(0, color="black", lw=0.8)
    low, high = ax_e.get_ylim()
    ax_e.set_ylim(1.45 * low, 1.45 * high)  # room for the labels above and below the marked points
    ax_e.set_xlabel("x")
    ax_e.set_ylabel("hard_sigmoid - sigmoid")
    fig.subplots_adjust(left=0.13, right=0.97, top=0.92, bottom=0.11, hspace=0.4)
    return fig


def plot_hard_swish_gap(x_range=(-6.0, 6.0), *, talk: bool | None = None):
    """Swish (beta = 1) and hard-swish on top; below, hard_swish - swish with its largest values marked.

    The lower panel has its own y scale, so that a gap of about a tenth is visible
    beside values that reach 6.
    """
    x = np.linspace(*x_range, 1201)
    swish, hard = get("swish")(x), get("hard_swish")(x)
    fig, (ax, ax_e) = plotting.new_figure(2, 1, talk=talk)
    ax.plot(x, swish, color=plotting.PALETTE[0], ls=plotting.LINESTYLES[0], label=plotting.series_label("swish"))
    ax.plot(x, hard, color=plotting.PALETTE[1], ls=plotting.LINESTYLES[1], label=plotting.series_label("hard_swish"))
    ax.set_title("Swish and hard-swish")
    ax.set(xlabel="x", ylabel="f(x)")
    ax.legend(loc="upper left", fontsize="small")
    ax_e.plot(x, hard - swish, color=plotting.PALETTE[1], ls=plotting.LINESTYLES[1])
    gap, at, _ = analysis.max_difference(["swish", "hard_swish"], x)
    for t in (abs(at), -abs(at)):
        ax_e.plot([t], [get("hard_swish")(t) - get("swish")(t)], "o", color=plotting.PALETTE[1], ms=5)
    # top centre: the gap is <= 0 on [-2, 2], so the curve stays below the label there (it reaches its top at +-3)
    ax_e.annotate(f"largest |gap| {gap:.4f} at x = ±{abs(at):.3g}", (0.5, 0.94), xycoords="axes fraction",
                  ha="center", va="top", fontsize="small")
    ax_e.axhline(0, color="black", lw=0.8)
    ax_e.set_xlabel("x")
    ax_e.set_ylabel("hard_swish - swish")
    fig.subplots_adjust(left=0.14, right=0.97, top=0.92, bottom=0.11, hspace=0.4)
    return fig


def slope_changes(name: str, x, tol: float = 1e-9, **params) -> np.ndarray:
    """The grid points of ``x`` (evenly spaced) where f's slope changes: the joins of its straight pieces.

    For a piecewise-linear function these are its kinks; a curved function
    (sigmoid) changes slope almost everywhere.
    """
    x = np.asarray(x, dtype=float)
    f = get(name)(x, **params)
    second = np.abs(np.diff(f, 2))
    return x[1:-1][second > tol]


# ---------------------------------------------------------------------------
# MobileNetV3-Large (Howard et al. 2019, Table 1; the same table as torchvision's mobilenet_v3_large)

#: The 15 bottleneck blocks: (input channels, kernel, expanded channels, output channels, squeeze-and-excite,
#: nonlinearity "RE" (ReLU) or "HS" (hard-swish), stride). The stem (3x3 conv, 16 channels, stride 2) uses HS.
MOBILENET_V3_LARGE = (
    (16, 3, 16, 16, False, "RE", 1), (16, 3, 64, 24, False, "RE", 2), (24, 3, 72, 24, False, "RE", 1),
    (24, 5, 72, 40, True, "RE", 2), (40, 5, 120, 40, True, "RE", 1), (40, 5, 120, 40, True, "RE", 1),
    (40, 3, 240, 80, False, "HS", 2), (80, 3, 200, 80, False, "HS", 1), (80, 3, 184, 80, False, "HS", 1),
    (80, 3, 184, 80, False, "HS", 1), (80, 3, 480, 112, True, "HS", 1), (112, 3, 672, 112, True, "HS", 1),
    (112, 5, 672, 160, True, "HS", 2), (160, 5, 960, 160, True, "HS", 1), (160, 5, 960, 160, True, "HS", 1),
)


def mobilenet_v3_blocks(resolution: int = 224) -> list:
    """Per block: its number, nonlinearity, SE or not, and how many values pass through its nonlinearity.

    A block expands its input with a 1x1 conv (skipped when the expansion
    equals the input width), filters with a depthwise conv (stride s), and
    projects back linearly; the first two are followed by the nonlinearity,
    so it is evaluated exp * (H_in^2 + H_out^2) times per image (exp * H_out^2
    without the expansion conv).
    """
    side = resolution // 2  # after the stem
    rows = []
    for i, (c_in, _k, exp, _c_out, se, nl, stride) in enumerate(MOBILENET_V3_LARGE, start=1):
        out = side // stride
        count = exp * out * out + (exp * side * side if exp != c_in else 0)
        rows.append({"block": i, "nonlinearity": nl, "se": se, "input": side, "evaluations": count})
        side = out
    return rows


#: Hard-swish outside the blocks: the stem (3x3 conv to 16 channels, stride 2), and the head: a 1x1 conv to
#: 960 channels on the last feature map, then (after global pooling) a 1280-unit layer.
STEM_CHANNELS, HEAD_CHANNELS, HEAD_UNITS = 16, 960, 1280


def mobilenet_v3_summary(resolution: int = 224, stem_and_head: bool = True) -> dict:
    """Counts from the block table: blocks per nonlinearity, SE blocks, evaluations per image, map sides.

    ``sides``: the feature-map sides (pixels) at which the blocks of each
    nonlinearity evaluate it. With ``stem_and_head``, hard-swish's count also
    includes the stem and the head (``STEM_CHANNELS``, ``HEAD_CHANNELS``, ``HEAD_UNITS``).
    """
    rows = mobilenet_v3_blocks(resolution)
    out = {}
    for nl in ("RE", "HS"):
        mine = [r for r in rows if r["nonlinearity"] == nl]
        sides = set()
        for r in mine:
            stride = MOBILENET_V3_LARGE[r["block"] - 1][6]
            c_in, exp = MOBILENET_V3_LARGE[r["block"] - 1][0], MOBILENET_V3_LARGE[r["block"] - 1][2]
            sides.add(r["input"] // stride)
            if exp != c_in:
                sides.add(r["input"])
        out[nl] = {"blocks": [r["block"] for r in mine], "se": sum(r["se"] for r in mine),
                   "evaluations": sum(r["evaluations"] for r in mine), "sides": sorted(sides, reverse=True)}
    if stem_and_head:
        side = resolution // 2
        last = side // int(np.prod([b[6] for b in MOBILENET_V3_LARGE]))
        extra = {"stem": STEM_CHANNELS * side * side, "head": HEAD_CHANNELS * last * last + HEAD_UNITS}
        out["HS"]["evaluations"] += sum(extra.values())
        out["HS"]["outside_blocks"] = extra
    return out


# ---------------------------------------------------------------------------
# Cost

#: Each function as the plain NumPy one-liner one would write (value only, float dtype kept).
NUMPY_FORMS = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "hard_sigmoid": lambda x: np.clip(x * (1 / 6) + 0.5, 0, 1),
    "swish": lambda x: x / (1 + np.exp(-x)),
    "hard_swish": lambda x: x * np.clip(x + 3, 0, 6) * (1 / 6),
}
#: The yardsticks: one pass over memory (read x, write the result) and the exponential alone.
YARDSTICKS = {"one pass (x * 1)": lambda x: x * 1.0, "np.exp alone": np.exp}


def cost_table(pairs=(("hard_sigmoid", "sigmoid"), ("hard_swish", "swish")),
               n: int = 500_000, dtype=np.float32, repeat: int = 5) -> list:
    """Time per element of each function's NumPy one-liner and of the yardsticks, all measured in this call.

    Returns rows ``(label, ns per element, passes)`` where passes = time / time
    of one pass over memory. Inputs: ``n`` values N(0, 3^2) in ``dtype``.
    """
    def per_element(fn):
        return timing.time_per_element(fn, n=n, dtype=dtype, repeat=repeat)

    one_pass = per_element(YARDSTICKS["one pass (x * 1)"])
    rows = [("one pass (x * 1)", one_pass * 1e9, 1.0), ("np.exp alone", per_element(np.exp) * 1e9, None)]
    for pair in pairs:
        for name in pair:
            rows.append((name, per_element(NUMPY_FORMS[name]) * 1e9, None))
    return [(label, ns, ns / (one_pass * 1e9)) for label, ns, _ in rows]

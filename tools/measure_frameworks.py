"""Measure what PyTorch, JAX (with Flax), Keras 3 and Keras 2 mean by an activation's name: acts/frameworks.json.

Notebook 07 prints its framework tables from that file; this script is where
every value in it comes from. Each run measures the frameworks importable in
the Python that runs it and updates their columns, keeping the others::

    python tools/measure_frameworks.py acts            # the course's own column (needs acts)
    /path/to/torch-env/bin/python tools/measure_frameworks.py torch
    KERAS_BACKEND=jax /path/to/jax-env/bin/python tools/measure_frameworks.py jax keras3   # JAX with Flax
    /path/to/tf-env/bin/python tools/measure_frameworks.py keras2   # tf_keras, on TensorFlow

A column records the command, the date, the versions and the platform that
produced it. A framework that cannot be installed keeps a column marked
"documented, not measured", with the documentation it was read from
(``DOCUMENTED``). The script needs only the framework and NumPy, not ``acts``
(except for the ``acts`` column).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "acts" / "frameworks.json"

#: The facts, in table order: id -> what is asked.
FACTS = {
    "hard_sigmoid": "hard-sigmoid: slope between the kinks (f(1) - f(0))",
    "gelu_default": "GELU called with defaults: largest |difference| from the exact x Φ(x) on [-6, 6]",
    "leaky_function": "Leaky ReLU function, default negative slope (-f(-1))",
    "leaky_layer": "Leaky ReLU layer, default negative slope (-f(-1))",
    "prelu_init": "PReLU layer, initial slope",
    "silu_beta": "SiLU / Swish: takes a beta argument?",
    "hard_swish": "hard-swish: largest |difference| from x·relu6(x + 3)/6 on [-6, 6]",
    "kink_relu": "f' of ReLU at 0",
    "kink_relu6": "f' of ReLU6 at 0 and at 6",
    "kink_leaky": "f' of Leaky ReLU (its default slope) at 0",
    "kink_elu": "f' of ELU (alpha = 1) at 0",
    "kink_selu": "f' of SELU at 0",
    "kink_hard_sigmoid": "f' of hard-sigmoid at -3 and at +3",
    "kink_hard_swish": "f' of hard-swish at -3 and at +3",
}

#: Columns that could not be measured here: the value as the documentation states it, and where.
DOCUMENTED = {}

#: Facts about published models that no framework call can measure: read from their source or paper.
READ = [
    {"id": "gpt2_gelu", "claim": "GPT-2 computes GELU with the tanh approximation",
     "source": "openai/gpt-2, src/model.py, def gelu (commit 122c55a): 0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x^3)))",
     "status": "read from source"},
    {"id": "swiglu_llm", "claim": "LLaMA's feed-forward blocks are SwiGLU (a SiLU-gated linear unit)",
     "source": "Touvron et al. 2023, LLaMA, arXiv:2302.13971, section 2.2", "status": "read from paper"},
    {"id": "geglu_gemma", "claim": "Gemma's feed-forward blocks are GeGLU (a GELU-gated linear unit)",
     "source": "Gemma Team 2024, arXiv:2403.08295, section 2 (model architecture)", "status": "read from paper"},
    {"id": "glu_variants", "claim": "GLU variants (ReGLU, GeGLU, SwiGLU) beat ReLU and GELU feed-forward blocks in "
                                   "T5 at equal parameters and compute (hidden width cut to 2/3)",
     "source": "Shazeer 2020, GLU Variants Improve Transformer, arXiv:2002.05202", "status": "read from paper"},
    {"id": "silu_cnn", "claim": "EfficientNet uses SiLU (Swish, beta = 1); ConvNeXt uses GELU",
     "source": "Tan & Le 2019, arXiv:1905.11946; Liu et al. 2022, A ConvNet for the 2020s, arXiv:2201.03545",
     "status": "read from paper"},
]

GRID = np.linspace(-6.0, 6.0, 12001)


def _exact_gelu(x):
    from math import erf, sqrt
    return np.array([v * 0.5 * (1.0 + erf(v / sqrt(2.0))) for v in x])


def _hard_swish_ref(x):
    return x * np.clip(x + 3.0, 0.0, 6.0) / 6.0


def _fact(value, api, note=""):
    out = {"value": value, "api": api}
    if note:
        out["note"] = note
    return out


def _max_gap(values, reference) -> float:
    return float(np.max(np.abs(np.asarray(values, dtype=np.float64) - reference)))


def _round(v, digits=6):
    return [round(float(u), digits) for u in v] if isinstance(v, (list, tuple)) else round(float(v), digits)


# ---------------------------------------------------------------- one function per column


def measure_acts() -> dict:
    import acts

    def d(name, *xs, **p):
        return _round([float(acts.get(name).grad(v, **p)) for v in xs]) if len(xs) > 1 else \
            _round(float(acts.get(name).grad(xs[0], **p)))

    return {
        "hard_sigmoid": _fact(_round(float(acts.hard_sigmoid(1.0) - acts.hard_sigmoid(0.0))), "acts.hard_sigmoid"),
        "gelu_default": _fact(_round(_max_gap(acts.gelu(GRID), _exact_gelu(GRID)), 9), "acts.gelu"),
        "leaky_function": _fact(_round(-float(acts.leaky_relu(-1.0))), "acts.leaky_relu"),
        "leaky_layer": _fact(_round(-float(acts.leaky_relu(-1.0))), "nn.MLP(activation='leaky_relu')"),
        "prelu_init": _fact(_round(acts.get("prelu").params["alpha"].default), "nn.MLP(activation='prelu')"),
        "silu_beta": _fact("yes", "acts.swish(x, beta=...)"),
        "hard_swish": _fact(_round(_max_gap(acts.hard_swish(GRID), _hard_swish_ref(GRID)), 9), "acts.hard_swish"),
        "kink_relu": _fact(d("relu", 0.0), "acts.relu.grad"),
        "kink_relu6": _fact(d("relu6", 0.0, 6.0), "acts.relu6.grad"),
        "kink_leaky": _fact(d("leaky_relu", 0.0), "acts.leaky_relu.grad"),
        "kink_elu": _fact(d("elu", 0.0), "acts.elu.grad"),
        "kink_selu": _fact(d("selu", 0.0), "acts.selu.grad"),
        "kink_hard_sigmoid": _fact(d("hard_sigmoid", -3.0, 3.0), "acts.hard_sigmoid.grad"),
        "kink_hard_swish": _fact(d("hard_swish", -3.0, 3.0), "acts.hard_swish.grad"),
    }


def measure_torch() -> dict:
    import torch
    import torch.nn.functional as F

    def t(v):
        return torch.tensor(v, dtype=torch.float64)

    def d(fn, *xs):
        out = []
        for v in xs:
            x = t(v).requires_grad_(True)
            fn(x).backward()
            out.append(float(x.grad))
        return _round(out) if len(out) > 1 else _round(out[0])

    x = t(GRID)
    import inspect
    return {
        "hard_sigmoid": _fact(_round(float(F.hardsigmoid(t(1.0)) - F.hardsigmoid(t(0.0)))), "F.hardsigmoid"),
        "gelu_default": _fact(_round(_max_gap(F.gelu(x).numpy(), _exact_gelu(GRID)), 9), "F.gelu"),
        "leaky_function": _fact(_round(-float(F.leaky_relu(t(-1.0)))), "F.leaky_relu"),
        "leaky_layer": _fact(_round(-float(torch.nn.LeakyReLU()(t(-1.0)))), "nn.LeakyReLU"),
        "prelu_init": _fact(_round(float(torch.nn.PReLU().weight.detach()[0])), "nn.PReLU"),
        "silu_beta": _fact("yes" if "beta" in inspect.signature(F.silu).parameters else "no", "F.silu"),
        "hard_swish": _fact(_round(_max_gap(F.hardswish(x).numpy(), _hard_swish_ref(GRID)), 9), "F.hardswish"),
        "kink_relu": _fact(d(F.relu, 0.0), "F.relu"),
        "kink_relu6": _fact(d(F.relu6, 0.0, 6.0), "F.relu6"),
        "kink_leaky": _fact(d(F.leaky_relu, 0.0), "F.leaky_relu"),
        "kink_elu": _fact(d(F.elu, 0.0), "F.elu"),
        "kink_selu": _fact(d(F.selu, 0.0), "F.selu"),
        "kink_hard_sigmoid": _fact(d(F.hardsigmoid, -3.0, 3.0), "F.hardsigmoid"),
        "kink_hard_swish": _fact(d(F.hardswish, -3.0, 3.0), "F.hardswish"),
    }


def torch_gains() -> dict:
    """torch.nn.init.calculate_gain for the nonlinearities it knows (leaky_relu with its default slope 0.01)."""
    from torch.nn import init

    return {name: round(float(init.calculate_gain(name)), 6)
            for name in ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "selu")}


def torch_costs(n: int = 2_000_000, repeat: int = 30) -> dict:
    """CPU time per element of a few PyTorch functions against F.relu: float32, one thread, in rounds, best of each."""
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    x = torch.from_numpy(np.random.default_rng(0).normal(0.0, 3.0, n).astype(np.float32))
    calls = {"relu": F.relu, "leaky_relu": F.leaky_relu, "hard_swish": F.hardswish, "silu": F.silu,
             "gelu": F.gelu, "gelu_tanh": lambda v: F.gelu(v, approximate="tanh"), "sigmoid": torch.sigmoid,
             "tanh": torch.tanh, "elu": F.elu, "mish": F.mish, "softplus": F.softplus}
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(repeat + 1):
        for name, fn in calls.items():
            start = time.thread_time()  # CPU time of this thread: a shared machine's other programs do not count
            fn(x)
            best[name] = min(best[name], time.thread_time() - start)
    return {name: round(best[name] / best["relu"], 2) for name in calls}


def measure_jax() -> dict:
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)

    def d(fn, *xs):
        out = [float(jax.grad(fn)(jnp.float64(v))) for v in xs]
        return _round(out) if len(out) > 1 else _round(out[0])

    x = jnp.asarray(GRID)
    import inspect
    return {
        "hard_sigmoid": _fact(_round(float(jax.nn.hard_sigmoid(1.0) - jax.nn.hard_sigmoid(0.0))),
                              "jax.nn.hard_sigmoid"),
        "gelu_default": _fact(_round(_max_gap(jax.nn.gelu(x), _exact_gelu(GRID)), 9), "jax.nn.gelu"),
        "leaky_function": _fact(_round(-float(jax.nn.leaky_relu(-1.0))), "jax.nn.leaky_relu"),
        "silu_beta": _fact("yes" if "beta" in inspect.signature(jax.nn.silu).parameters else "no", "jax.nn.silu"),
        "hard_swish": _fact(_round(_max_gap(jax.nn.hard_silu(x), _hard_swish_ref(GRID)), 9), "jax.nn.hard_silu"),
        "kink_relu": _fact(d(jax.nn.relu, 0.0), "jax.nn.relu"),
        "kink_relu6": _fact(d(jax.nn.relu6, 0.0, 6.0), "jax.nn.relu6"),
        "kink_leaky": _fact(d(jax.nn.leaky_relu, 0.0), "jax.nn.leaky_relu"),
        "kink_elu": _fact(d(jax.nn.elu, 0.0), "jax.nn.elu"),
        "kink_selu": _fact(d(jax.nn.selu, 0.0), "jax.nn.selu"),
        "kink_hard_sigmoid": _fact(d(jax.nn.hard_sigmoid, -3.0, 3.0), "jax.nn.hard_sigmoid"),
        "kink_hard_swish": _fact(d(jax.nn.hard_silu, -3.0, 3.0), "jax.nn.hard_silu"),
        **measure_flax(),
    }


def measure_flax() -> dict:
    """jax.nn has no layers; Flax, the usual layer library on JAX, has a PReLU."""
    import jax
    import jax.numpy as jnp
    from flax import linen

    layer = linen.PReLU()
    variables = layer.init(jax.random.PRNGKey(0), jnp.ones((1, 3)))
    alpha = float(np.ravel(jax.tree_util.tree_leaves(variables)[0])[0])
    return {"prelu_init": _fact(_round(alpha), "flax.linen.PReLU")}


def measure_keras3() -> dict:
    import keras

    ops, acts_ = keras.ops, keras.activations
    x = GRID.astype(np.float32)

    def v(fn, arg):
        return np.asarray(keras.ops.convert_to_numpy(fn(np.asarray(arg, dtype=np.float32))), dtype=np.float64)

    layer = keras.layers.PReLU()
    layer.build((None, 3))
    gelu_act = _max_gap(v(acts_.gelu, x), _exact_gelu(GRID))
    gelu_ops = _max_gap(v(ops.gelu, x), _exact_gelu(GRID))
    import inspect
    return {
        "hard_sigmoid": _fact(_round(float(v(acts_.hard_sigmoid, 1.0) - v(acts_.hard_sigmoid, 0.0)), 5),
                              "keras.activations.hard_sigmoid"),
        "gelu_default": _fact(_round(gelu_act, 6), "keras.activations.gelu",
                              note=f"keras.ops.gelu: {gelu_ops:.3g}"),
        "leaky_function": _fact(_round(-float(v(acts_.leaky_relu, -1.0)), 5), "keras.activations.leaky_relu"),
        "leaky_layer": _fact(_round(-float(v(keras.layers.LeakyReLU(), -1.0)), 5), "keras.layers.LeakyReLU"),
        "prelu_init": _fact(_round(float(np.ravel(keras.ops.convert_to_numpy(layer.alpha))[0])), "keras.layers.PReLU"),
        "silu_beta": _fact("yes" if "beta" in inspect.signature(acts_.silu).parameters else "no",
                           "keras.activations.silu"),
        "hard_swish": _fact(_round(_max_gap(v(acts_.hard_silu, x), _hard_swish_ref(GRID)), 6),
                            "keras.activations.hard_silu"),
    }


def measure_keras2() -> dict:
    import inspect

    import tensorflow as tf
    import tf_keras

    x = tf.constant(GRID, dtype=tf.float64)
    acts_ = tf_keras.activations

    def d(fn, *xs):
        out = []
        for val in xs:
            t = tf.constant(val, dtype=tf.float64)
            with tf.GradientTape() as tape:
                tape.watch(t)
                y = fn(t)
            out.append(float(tape.gradient(y, t)))
        return _round(out) if len(out) > 1 else _round(out[0])

    layer = tf_keras.layers.PReLU()
    layer.build((None, 3))
    hard_swish = getattr(acts_, "hard_silu", None) or getattr(acts_, "hard_swish", None)
    facts = {
        "hard_sigmoid": _fact(_round(float(acts_.hard_sigmoid(tf.constant(1.0, tf.float64))
                                           - acts_.hard_sigmoid(tf.constant(0.0, tf.float64)))),
                              "tf_keras.activations.hard_sigmoid"),
        "gelu_default": _fact(_round(_max_gap(acts_.gelu(x).numpy(), _exact_gelu(GRID)), 9),
                              "tf_keras.activations.gelu"),
        "leaky_function": _fact(_round(-float(tf.nn.leaky_relu(tf.constant(-1.0, tf.float64)))), "tf.nn.leaky_relu"),
        "leaky_layer": _fact(_round(-float(tf_keras.layers.LeakyReLU()(tf.constant([-1.0]))[0])),
                             "tf_keras.layers.LeakyReLU"),
        "prelu_init": _fact(_round(float(np.ravel(layer.alpha.numpy())[0])), "tf_keras.layers.PReLU"),
        "silu_beta": _fact("yes" if "beta" in inspect.signature(acts_.swish).parameters else "no",
                           "tf_keras.activations.swish"),
        "kink_relu": _fact(d(acts_.relu, 0.0), "tf_keras.activations.relu"),
        "kink_relu6": _fact(d(tf.nn.relu6, 0.0, 6.0), "tf.nn.relu6"),
        "kink_leaky": _fact(d(tf.nn.leaky_relu, 0.0), "tf.nn.leaky_relu"),
        "kink_elu": _fact(d(acts_.elu, 0.0), "tf_keras.activations.elu"),
        "kink_selu": _fact(d(acts_.selu, 0.0), "tf_keras.activations.selu"),
        "kink_hard_sigmoid": _fact(d(acts_.hard_sigmoid, -2.5, 2.5), "tf_keras.activations.hard_sigmoid",
                                   note="at its own kinks, -2.5 and +2.5"),
    }
    if hard_swish is not None:
        facts["hard_swish"] = _fact(_round(_max_gap(hard_swish(x).numpy(), _hard_swish_ref(GRID)), 9),
                                    f"tf_keras.activations.{hard_swish.__name__}")
    else:  # Keras 2 has no hard-swish activation; its MobileNetV3 application builds one
        from tf_keras.src.applications import mobilenet_v3

        built = mobilenet_v3.hard_swish(tf.constant(GRID, dtype=tf.float32)).numpy()
        facts["hard_swish"] = _fact(_round(_max_gap(built, _hard_swish_ref(GRID)), 6),
                                    "tf_keras.applications.mobilenet_v3 (its own hard_swish)",
                                    note="no hard-swish in tf_keras.activations")
    return facts


COLUMNS = {  # column name -> (measuring function, distributions whose versions are recorded)
    "acts": (measure_acts, ("numpy",)),
    "PyTorch": (measure_torch, ("torch",)),
    "JAX": (measure_jax, ("jax", "jaxlib", "flax")),
    "Keras 3": (measure_keras3, ("keras", "jax")),
    "Keras 2": (measure_keras2, ("tf_keras", "tensorflow")),
}
ALIASES = {"acts": "acts", "torch": "PyTorch", "jax": "JAX", "keras3": "Keras 3", "keras2": "Keras 2"}


def _version(dist: str) -> str:
    for name in (dist, dist.replace("_", "-"), dist + "-cpu"):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not installed"


def provenance(column: str, command: str) -> dict:
    _, dists = COLUMNS[column]
    return {
        "status": "measured", "command": command,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "versions": {d: _version(d) for d in dists},
        "python": platform.python_version(), "platform": f"{platform.system()} {platform.machine()}",
        "keras_backend": os.environ.get("KERAS_BACKEND", "") if column == "Keras 3" else "",
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("columns", nargs="+", choices=sorted(ALIASES))
    parser.add_argument("--costs", action="store_true", help="with torch: time a few functions against F.relu")
    args = parser.parse_args(argv)
    stored = json.loads(OUT.read_text()) if OUT.exists() else {}
    stored.setdefault("facts", FACTS)
    stored["facts"] = FACTS
    stored.setdefault("columns", {})
    stored["columns"] = {c: v for c, v in stored["columns"].items() if c in COLUMNS}
    command = "python tools/measure_frameworks.py " + " ".join(sys.argv[1:] if argv is None else argv)
    for alias in args.columns:
        column = ALIASES[alias]
        fn, _ = COLUMNS[column]
        stored["columns"][column] = {"provenance": provenance(column, command), "values": fn()}
        if column == "PyTorch" and args.costs:
            stored["columns"][column]["costs"] = {
                "what": "CPU time (time.thread_time) per element / F.relu's: 2,000,000 float32 values, "
                        "torch.set_num_threads(1), best of 31 rounds",
                "cpu": platform.processor() or platform.machine(),
                "load_average_before": round(os.getloadavg()[0], 2), "ratios": torch_costs()}
        if column == "PyTorch":
            stored["columns"][column]["gains"] = torch_gains()
        print(f"{column}: {len(stored['columns'][column]['values'])} facts measured")
    stored["read"] = READ
    for column, doc in DOCUMENTED.items():
        stored["columns"].setdefault(column, doc)
    OUT.write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

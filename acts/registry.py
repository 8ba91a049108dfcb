"""The registry: one record per activation, the course's single list of names.

Everything else (module shortcuts, sliders, nn's default initialisation,
tests, tables, notebooks) reads these records. To add an activation, write its
value and derivative functions (the value function's docstring carries the
formula and the paper) and call ``register``; see the README, "Contributing:
adding an activation".
"""

from __future__ import annotations

import difflib

import numpy as np

from acts import functions as F
from acts.records import FAMILIES, INITS, SIDES, Activation, Param, SameLength

__all__ = ["FAMILIES", "INITS", "SIDES", "Activation", "Param", "SameLength", "get", "names", "register",
           "unregister"]

_REGISTRY: dict[str, Activation] = {}


def register(name, *, title, families, value, grad, param_grads=None, params=None, used_in="", kinks=None,
             init="he", constraints=(), presets=None, value_and_grad=None) -> Activation:
    """Add an activation to the course; returns its record.

    ``value`` and ``grad``: functions of (x, **params), x a float array (see
    ``acts/functions/``); ``value``'s docstring has a ``.. math::`` line (the
    formula) and a ``Paper:`` paragraph. ``param_grads``: (x, **params) ->
    {parameter: df/dparameter}, or None. ``params``: {name: Param}.
    ``kinks``: (**params) -> ((x, "left" | "right"), ...), the side whose
    derivative ``grad`` returns at x (PyTorch's choice). ``init``: one of
    INITS. ``constraints``: callables {param: value} -> an error message or
    None. ``presets``: {"what it is": {param: value}}. ``value_and_grad``: a
    fused (x, **params) -> (f, f'), only where a benchmark shows it pays.
    """
    if name in _REGISTRY:
        raise ValueError(f"register(): an activation called {name!r} is already registered")
    problems = [f"family {f!r} is not one of {FAMILIES}" for f in families if f not in FAMILIES]
    if init not in INITS:
        problems.append(f"init must be one of {INITS}; got {init!r}")
    record = Activation(
        name=name, title=title, families=tuple(families), value_fn=value, grad_fn=grad,
        param_grads_fn=param_grads, value_and_grad_fn=value_and_grad, params=dict(params or {}),
        used_in=used_in, kinks=kinks, init=init,
        constraints=tuple(constraints), presets=dict(presets or {}),
    )
    for what in ("formula", "reference"):
        try:
            getattr(record, what)
        except ValueError as exc:
            problems.append(str(exc))
    for preset in record.presets.values():
        unknown = set(preset) - set(record.params)
        if unknown:
            problems.append(f"preset {preset} names unknown parameters {sorted(unknown)}")
    if problems:
        raise ValueError(f"register({name!r}): " + "; ".join(problems))
    _REGISTRY[name] = record
    return record


def unregister(name: str) -> None:
    """Remove an activation registered at run time (tests use it to leave the course as they found it)."""
    get(name)
    del _REGISTRY[name]


def names(family: str | None = None) -> list:
    """Every registered activation in course order, or those of one family."""
    if family is None:
        return list(_REGISTRY)
    if family not in FAMILIES:
        raise ValueError(f"names(): family must be one of {', '.join(map(repr, FAMILIES))}; got {family!r}")
    return [n for n, act in _REGISTRY.items() if family in act.families]


def get(name: str) -> Activation:
    """The registered activation called ``name``; a KeyError lists the valid names."""
    if isinstance(name, Activation):
        return name
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        close = difflib.get_close_matches(str(name).lower(), list(_REGISTRY), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise KeyError(
            f"unknown activation {name!r}.{hint} Valid names: {', '.join(_REGISTRY)}"
        ) from None


# ---------------------------------------------------------------------------
# The activations, in course order (notebooks 01 to 05).

_POSITIVE = dict(minimum=0.0, open_min=True)


def _outer_sides(*points):
    """Kinks at which PyTorch takes the derivative of the outer piece: the left one at the
    first kink, the right one at the last (relu6 at 0 and at the cap, hard-sigmoid, hard-swish)."""
    return ((points[0], "left"), (points[-1], "right")) if len(points) > 1 else ((points[0], "left"),)


register(
    "sigmoid", title="Sigmoid", families=("saturated",), value=F.sigmoid, grad=F.sigmoid_grad,
    used_in="output layer for binary probabilities; gates in LSTMs and GRUs; squeeze-and-excite blocks",
    init="xavier",
)
register(
    "tanh", title="Tanh", families=("saturated",), value=F.tanh, grad=F.tanh_grad,
    used_in="RNN and LSTM cell states; the tanh approximation of GELU",
    init="xavier",
)
register(
    "hard_sigmoid", title="Hard-sigmoid", families=("saturated", "mobile_friendly"),
    value=F.hard_sigmoid, grad=F.hard_sigmoid_grad, param_grads=F.hard_sigmoid_param_grads,
    params={"slope": Param(1.0 / 6.0, 0.05, 1.0, "slope of the linear part; 1/6 in PyTorch, JAX, Keras 3; "
                           "0.2 in Keras 2 and the source notes", step=1.0 / 60.0, **_POSITIVE)},
    presets={"Keras 2 and the source notes": {"slope": 0.2},
             "Courbariaux, Bengio & David 2015": {"slope": 0.5}},
    used_in="squeeze-and-excite gates in MobileNetV3",
    kinks=lambda slope: _outer_sides(-0.5 / slope, 0.5 / slope),
    init="xavier",
)
register(
    "relu", title="ReLU", families=("unsaturated",), value=F.relu, grad=F.relu_grad,
    used_in="the default in CNNs and MLPs since AlexNet (2012); ResNet, VGG",
    kinks=lambda: ((0.0, "left"),),
)
register(
    "leaky_relu", title="Leaky ReLU", families=("unsaturated",),
    value=F.leaky_relu, grad=F.leaky_relu_grad, param_grads=F.leaky_relu_param_grads,
    params={"slope": Param(0.01, 0.0, 0.5, "slope for x <= 0; 0.01 in PyTorch and JAX, 0.2 in "
                           "keras.activations.leaky_relu, 0.3 in the Keras LeakyReLU layer",
                           minimum=0.0, maximum=1.0, step=0.01)},
    presets={"keras.activations.leaky_relu, tf.nn.leaky_relu": {"slope": 0.2},
             "Keras LeakyReLU layer": {"slope": 0.3},
             "the source notes (x / a, a = 2)": {"slope": 0.5}},
    used_in="GAN discriminators (DCGAN, slope 0.2); YOLOv3 (slope 0.1)",
    kinks=lambda slope: ((0.0, "left"),) if slope != 1.0 else (),
)
register(
    "elu", title="ELU", families=("unsaturated",), value=F.elu, grad=F.elu_grad, param_grads=F.elu_param_grads,
    params={"alpha": Param(1.0, 0.1, 3.0, "the value ELU saturates to for x -> -inf is -alpha", step=0.1,
                           **_POSITIVE)},
    used_in="some CNNs and VAEs; the base of SELU",
    kinks=lambda alpha: ((0.0, "left"),) if alpha != 1.0 else (),
)
register(
    "selu", title="SELU", families=("unsaturated",), value=F.selu, grad=F.selu_grad, param_grads=F.selu_param_grads,
    params={
        "scale": Param(F.SELU_SCALE, 0.5, 2.5, "lambda; 1.0507... makes N(0,1) a fixed point", step=0.01,
                       **_POSITIVE),
        "alpha": Param(F.SELU_ALPHA, 0.5, 3.0, "alpha; 1.6733... makes N(0,1) a fixed point", step=0.01,
                       **_POSITIVE),
    },
    presets={"the source notes": {"scale": 2.0, "alpha": 1.0}},
    used_in="self-normalising fully connected networks (SNNs), with LeCun-normal initialisation",
    kinks=lambda scale, alpha: ((0.0, "left"),) if alpha != 1.0 else (),
    init="lecun",
)
register(
    "swish", title="Swish / SiLU", families=("unsaturated", "learnable"),
    value=F.swish, grad=F.swish_grad, param_grads=F.swish_param_grads, value_and_grad=F.swish_value_and_grad,
    params={"beta": Param(1.0, 0.0, 10.0, "beta = 0 gives x/2, beta = 1 is SiLU, beta -> inf tends to ReLU; "
                          "constant or learned", learnable=True, step=0.05)},
    presets={"x / 2": {"beta": 0.0}, "a softer gate": {"beta": 0.5}},
    used_in="EfficientNet, MobileNetV3 (as hard-swish), YOLOv5+, LLaMA's SwiGLU feed-forward blocks",
)
register(
    "mish", title="Mish", families=("unsaturated",), value=F.mish, grad=F.mish_grad,
    value_and_grad=F.mish_value_and_grad,
    used_in="YOLOv4 backbone (CSPDarknet53)",
)
register(
    "gelu", title="GELU", families=("unsaturated",), value=F.gelu, grad=F.gelu_grad,
    value_and_grad=F.gelu_value_and_grad,
    params={"approximate": Param("none", doc="'none': exact x Phi(x) (PyTorch and keras.activations "
                                 "default); 'tanh': the approximation (jax.nn.gelu's default)",
                                 choices=("none", "tanh"))},
    presets={"jax.nn.gelu's default": {"approximate": "tanh"}},
    used_in="transformers: BERT, GPT-2, ViT",
)
register(
    "softplus", title="Softplus", families=("unsaturated",),
    value=F.softplus, grad=F.softplus_grad, param_grads=F.softplus_param_grads,
    params={"beta": Param(1.0, 0.1, 10.0, "sharpness; beta -> inf tends to ReLU", step=0.05, **_POSITIVE)},
    used_in="keeping outputs positive (variances, rates); inside Mish",
)
register(
    "relu6", title="ReLU6", families=("mobile_friendly", "unsaturated"),
    value=F.relu6, grad=F.relu6_grad, param_grads=F.relu6_param_grads,
    params={"cap": Param(6.0, 1.0, 12.0, "the largest output; 6 in ReLU6", step=0.5, **_POSITIVE)},
    used_in="MobileNetV1 and V2; the inner part of hard-sigmoid and hard-swish",
    kinks=lambda cap: _outer_sides(0.0, cap),
)
register(
    "hard_swish", title="Hard-swish", families=("mobile_friendly",), value=F.hard_swish, grad=F.hard_swish_grad,
    used_in="MobileNetV3 (the deeper half of the network)",
    kinks=lambda: _outer_sides(-3.0, 3.0),
)
register(
    "prelu", title="PReLU", families=("learnable", "unsaturated"),
    value=F.prelu, grad=F.prelu_grad, param_grads=F.prelu_param_grads,
    params={"alpha": Param(0.25, -3.0, 4.0, "the learned slope for x <= 0 (training can make it negative, "
                                            "below -1 on notebook 05's spirals, or above 3 with alpha >= 0 "
                                            "enforced); PyTorch initialises it to 0.25",
                           learnable=True, step=0.01)},
    presets={"Keras PReLU layer's initial value": {"alpha": 0.0}, "Flax PReLU's initial value": {"alpha": 0.01},
             "the source notes (x / 2)": {"alpha": 0.5}},
    used_in="the ImageNet models of He et al. 2015; some face-recognition CNNs",
    kinks=lambda alpha: ((0.0, "left"),) if alpha != 1.0 else (),
)


def _maxout_kinks(weights, biases):
    """Where the winning piece changes, and the side whose slope the first of the tied pieces has."""
    w = np.asarray(weights, dtype=float)
    b = np.asarray(biases, dtype=float)
    points = {}
    for i in range(len(w)):
        for j in range(i + 1, len(w)):
            if w[i] != w[j]:
                xc = (b[j] - b[i]) / (w[i] - w[j])
                top = w * xc + b
                tied = np.isclose(top, np.max(top), rtol=1e-12, atol=1e-12)
                if tied[i] and tied[j]:
                    first = int(np.argmax(tied))  # on a tie the first piece wins
                    points[xc] = "right" if w[first] == np.max(w[tied]) else "left"
    return tuple(points.items())


register(
    "maxout", title="Maxout", families=("learnable",),
    value=F.maxout, grad=F.maxout_grad, param_grads=F.maxout_param_grads,
    params={
        "weights": Param((1.0, 0.0), -2.0, 2.0, "slope w_j of each piece (k pieces)", learnable=True, step=0.05),
        "biases": Param((0.0, 0.0), -2.0, 2.0, "offset b_j of each piece (k pieces)", learnable=True, step=0.05),
    },
    constraints=(SameLength("weights", "biases"),),
    presets={"|x|": {"weights": (1.0, -1.0), "biases": (0.0, 0.0)},
             "three pieces, convex": {"weights": (-1.0, 0.5, 2.0), "biases": (0.0, 1.0, -1.5)},
             "one piece, a line": {"weights": (0.3,), "biases": (0.2,)}},
    used_in="the maxout networks of Goodfellow et al. 2013 (with dropout)",
    kinks=_maxout_kinks,
)

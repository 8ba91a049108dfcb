"""The registry: one record per activation, the course's single list of names.

Everything else (module shortcuts, sliders, tests, tables, notebooks) reads
this list. To add an activation, write its functions in ``acts/functions.py``
and one ``_register(...)`` call below; the tests pick it up automatically.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from acts import functions as F

FAMILIES = ("saturated", "unsaturated", "mobile_friendly", "learnable")
#: Weight initialisations a record may name as its default: He et al. 2015 (ReLU-like),
#: Glorot & Bengio 2010 ("xavier", saturating), LeCun et al. 1998 (SELU's self-normalisation).
INITS = ("he", "xavier", "lecun")


@dataclass(frozen=True)
class Param:
    """One parameter of an activation.

    ``default``: the value used when the parameter is not given.
    ``low``, ``high``: the slider range in the explorers (each piece, for a tuple).
    ``minimum``, ``maximum``: the allowed values (None for unbounded);
    ``open_min`` / ``open_max`` exclude the bound itself (alpha > 0 rather than >= 0).
    ``choices``: for a parameter that takes one of a few strings.
    ``learnable``: trained with the weights in ``acts.nn``.
    """

    default: object
    low: float | None = None
    high: float | None = None
    doc: str = ""
    minimum: float | None = None
    maximum: float | None = None
    open_min: bool = False
    open_max: bool = False
    choices: tuple | None = None
    learnable: bool = False

    @property
    def is_tuple(self) -> bool:
        return isinstance(self.default, tuple)

    def allowed(self) -> str:
        """What is allowed, in words, for error messages and docs."""
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        parts = []
        if self.minimum is not None:
            parts.append(f"{'>' if self.open_min else '>='} {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"{'<' if self.open_max else '<='} {self.maximum:g}")
        what = "a finite number" if not parts else "a finite number " + " and ".join(parts)
        if self.is_tuple:
            what = f"a sequence of at least one {what.removeprefix('a ')}"
        return what


def _real_array(value, what: str) -> np.ndarray:
    """``value`` as a real NumPy array, or a TypeError that names ``what``."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{what} must be a real number or an array of real numbers; got the string {value!r}")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged lists and the like
        raise TypeError(f"{what} must be a real number or an array of real numbers; got {value!r} ({exc})") from None
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind == "O":
        # a list mixing numbers with None or strings: refuse rather than make NaN
        odd = [v for v in arr.flat if not isinstance(v, numbers.Real)]
        if odd:
            odd = odd[0]
            raise TypeError(
                f"{what} must be a real number or an array of real numbers; "
                f"got {_short(value)}, which holds {odd!r} of type {type(odd).__name__}"
            )
        arr = arr.astype(np.float64)
    if arr.dtype.kind != "f":
        raise TypeError(
            f"{what} must be a real number or an array of real numbers; "
            f"got {_short(value)} of dtype {arr.dtype} (allowed: floats, integers, bools)"
        )
    return arr


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class Activation:
    """An activation function with its derivative, parameter gradients and metadata.

    Call it like a function: ``act(x, **params)`` gives f(x); ``act.grad(x,
    **params)`` gives df/dx; ``act.param_grads(x, **params)`` gives
    ``{parameter: df/dparameter}`` for every parameter with a gradient, each
    with the shape of x broadcast against the parameter (maxout adds a
    trailing axis of length k).

    Inputs: a number, a list or an array of any shape. float16, float32 and
    float64 keep their dtype; integers and bools become float64; a scalar
    gives a 0-d array.
    """

    name: str
    title: str
    families: tuple
    formula: str
    reference: str
    fn: Callable = field(repr=False)  # x, **params -> (value, derivative); see acts/functions.py
    param_grads_fn: Callable | None = field(default=None, repr=False)
    params: dict = field(default_factory=dict)
    used_in: str = ""
    kinks: Callable | None = field(default=None, repr=False)
    init: str = "he"  # the weight initialisation acts.nn uses by default: one of INITS

    @property
    def family(self) -> str:
        """The activation's main family (``families`` lists every one it belongs to)."""
        return self.families[0]

    @property
    def learnable(self) -> tuple:
        """Names of the parameters that ``acts.nn`` trains with the weights."""
        return tuple(p for p, spec in self.params.items() if spec.learnable)

    # ---------------------------------------------------------------- checking

    def _prepare(self, x, params: dict, extra=()):
        """Check x and the parameters; return (x in its working dtype, params, output dtype)."""
        if extra:
            allowed = ", ".join(f"{p}=..." for p in self.params) or "none"
            raise TypeError(
                f"{self.name}() takes x and then parameters by keyword only; got extra positional "
                f"argument(s) {_short(extra)}; parameters: {allowed}"
            )
        unknown = sorted(set(params) - set(self.params))
        if unknown:
            allowed = ", ".join(self.params) if self.params else "none (it has no parameters)"
            raise TypeError(
                f"{self.name}() got an unexpected keyword argument {unknown[0]!r}; allowed parameters: {allowed}"
            )
        xa = _real_array(x, f"{self.name}(): x")
        out_dtype = xa.dtype
        # float16 is computed in float32 and rounded once at the end: NumPy's
        # float16 arithmetic would round every intermediate step.
        work = np.float32 if out_dtype == np.float16 else out_dtype
        xa = xa.astype(work, copy=False)
        checked = {}
        for pname, spec in self.params.items():
            value = params.get(pname, spec.default)
            checked[pname] = self._check_param(pname, spec, value, work)
        if self.name == "maxout" and checked["weights"].shape != checked["biases"].shape:
            raise ValueError(
                f"maxout(): weights and biases must have the same length (one of each per piece); "
                f"got {len(checked['weights'])} weights {tuple(params.get('weights', self.params['weights'].default))} "
                f"and {len(checked['biases'])} biases {tuple(params.get('biases', self.params['biases'].default))}"
            )
        return xa, checked, out_dtype

    def _check_param(self, pname, spec: Param, value, work):
        where = f"{self.name}(): {pname}"
        if spec.choices is not None:
            if not isinstance(value, str) or value not in spec.choices:
                raise ValueError(f"{where} must be {spec.allowed()}; got {value!r}")
            return value
        if spec.is_tuple:
            arr = _real_array(value, where)
            if arr.ndim != 1 or arr.size == 0:
                raise ValueError(f"{where} must be {spec.allowed()}; got {_short(value)}")
        else:
            if isinstance(value, bool):
                raise TypeError(f"{where} must be {spec.allowed()}; got the bool {value!r}")
            arr = _real_array(value, where)
        bad = ~np.isfinite(arr)
        if spec.minimum is not None:
            bad |= (arr <= spec.minimum) if spec.open_min else (arr < spec.minimum)
        if spec.maximum is not None:
            bad |= (arr >= spec.maximum) if spec.open_max else (arr > spec.maximum)
        if np.any(bad):
            shown = value if arr.ndim == 0 else float(arr[bad].ravel()[0])
            raise ValueError(f"{where} must be {spec.allowed()}; got {_short(shown)}")
        if arr.ndim == 0 and not spec.is_tuple:
            return float(arr)  # a Python float is "weak": it takes x's dtype
        return arr.astype(work)

    # ---------------------------------------------------------------- evaluation

    def _evaluate(self, fn, x, params, extra=()):
        xa, checked, out_dtype = self._prepare(x, params, extra)
        # NumPy turns 0-d arrays into scalars, which the in-place steps in
        # functions.py cannot write to: compute on shape (1,), then drop the axis.
        scalar = xa.ndim == 0 and all(
            np.ndim(v) == 0 for k, v in checked.items() if not self.params[k].is_tuple
        )
        if scalar:
            xa = xa.reshape(1)
        # Overflow is silenced only because some results really exceed the
        # largest float (selu(1.7e308)); invalid operations are never hidden.
        with np.errstate(over="ignore", under="ignore"):
            result = fn(xa, **checked)
            if isinstance(result, dict):
                out = {k: self._finish(v, xa, out_dtype) for k, v in result.items()}
                return {k: v.reshape(v.shape[1:]) for k, v in out.items()} if scalar else out
            out = tuple(self._finish(v, xa, out_dtype) for v in result)
            return tuple(v.reshape(v.shape[1:]) for v in out) if scalar else out

    @staticmethod
    def _finish(result, xa, out_dtype):
        """Cast to the caller's dtype; a NaN input gives NaN in every output.

        Piecewise derivatives (relu's x > 0, say) would otherwise turn NaN into 0 or 1.
        """
        result = np.asarray(result, dtype=out_dtype)
        nan = np.isnan(xa)
        if nan.any():
            nan = nan.reshape(nan.shape + (1,) * (result.ndim - nan.ndim))  # maxout's trailing axis
            result = np.where(nan, np.asarray(np.nan, dtype=out_dtype), result)
        return result

    def __call__(self, x, /, *extra, **params):
        """The value f(x)."""
        return self._evaluate(self.fn, x, params, extra)[0]

    def grad(self, x, /, *extra, **params):
        """The derivative df/dx, elementwise."""
        return self._evaluate(self.fn, x, params, extra)[1]

    def value_and_grad(self, x, /, *extra, **params):
        """(f(x), df/dx) in one pass: what a network's forward and backward passes need."""
        return self._evaluate(self.fn, x, params, extra)

    def param_grads(self, x, /, *extra, **params) -> dict:
        """{parameter: df/dparameter} for every parameter with a gradient ({} if none)."""
        if self.param_grads_fn is None:
            self._prepare(x, params, extra)  # still check the arguments
            return {}
        return self._evaluate(self.param_grads_fn, x, params, extra)

    def defaults(self) -> dict:
        """The default value of every parameter."""
        return {name: spec.default for name, spec in self.params.items()}

    def kink_points(self, **params) -> list:
        """x positions where f is not differentiable, for the given parameters."""
        if self.kinks is None:
            return []
        merged = {**self.defaults(), **params}
        return sorted(float(k) for k in self.kinks(**merged))

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v.default!r}" for k, v in self.params.items())
        return f"<activation {self.name}({params}): {self.title}, family {self.family!r}>"


_REGISTRY: dict[str, Activation] = {}


def _register(name, *, title, families, formula, reference, fn, param_grads=None,
              params=None, used_in="", kinks=None, init="he"):
    for family in families:
        assert family in FAMILIES, family
    assert init in INITS, init
    _REGISTRY[name] = Activation(
        name=name, title=title, families=tuple(families), formula=formula, reference=reference,
        fn=fn, param_grads_fn=param_grads, params=dict(params or {}),
        used_in=used_in, kinks=kinks, init=init,
    )


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

_register(
    "sigmoid", title="Sigmoid", families=("saturated",),
    formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    reference="The logistic function (Verhulst 1838); as a neuron's output: Rumelhart, Hinton & Williams 1986",
    fn=F.sigmoid,
    used_in="output layer for binary probabilities; gates in LSTMs and GRUs; squeeze-and-excite blocks",    init="xavier",
)
_register(
    "tanh", title="Tanh", families=("saturated",),
    formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
    reference="LeCun, Bottou, Orr & Mueller 1998, Efficient BackProp",
    fn=F.tanh,
    used_in="RNN and LSTM cell states; the tanh approximation of GELU",    init="xavier",
)
_register(
    "hard_sigmoid", title="Hard-sigmoid", families=("saturated", "mobile_friendly"),
    formula=r"\mathrm{hard\_sigmoid}(x) = \mathrm{clip}(\mathrm{slope}\cdot x + \frac{1}{2},\ 0,\ 1)"
            r" = \frac{\mathrm{relu6}(x + 3)}{6}\ \mathrm{for\ slope} = \frac{1}{6}",
    reference="Howard et al. 2019, Searching for MobileNetV3, arXiv:1905.02244 (slope 1/6); "
              "Courbariaux, Bengio & David 2015, arXiv:1511.00363 (slope 1/2); Keras 2 used slope 0.2",
    fn=F.hard_sigmoid, param_grads=F.hard_sigmoid_param_grads,
    params={"slope": Param(1.0 / 6.0, 0.05, 1.0, "slope of the linear part; 1/6 in PyTorch, JAX, Keras 3; "
                           "0.2 in Keras 2 and the source notes", **_POSITIVE)},
    used_in="squeeze-and-excite gates in MobileNetV3",
    kinks=lambda slope: (-0.5 / slope, 0.5 / slope),    init="xavier",
)
_register(
    "relu", title="ReLU", families=("unsaturated",),
    formula=r"\mathrm{relu}(x) = \max(0, x)",
    reference="Nair & Hinton 2010; Glorot, Bordes & Bengio 2011, Deep Sparse Rectifier Neural Networks",
    fn=F.relu,
    used_in="the default in CNNs and MLPs since AlexNet (2012); ResNet, VGG",
    kinks=lambda: (0.0,),
)
_register(
    "leaky_relu", title="Leaky ReLU", families=("unsaturated",),
    formula=r"\mathrm{leaky\_relu}(x) = \max(0, x) + \mathrm{slope}\cdot\min(0, x)",
    reference="Maas, Hannun & Ng 2013, Rectifier Nonlinearities Improve Neural Network Acoustic Models",
    fn=F.leaky_relu, param_grads=F.leaky_relu_param_grads,
    params={"slope": Param(0.01, 0.0, 0.5, "slope for x <= 0; 0.01 in PyTorch and JAX, 0.2 in "
                           "keras.activations.leaky_relu, 0.3 in the Keras LeakyReLU layer",
                           minimum=0.0, maximum=1.0)},
    used_in="GAN discriminators (DCGAN, slope 0.2); YOLOv3 (slope 0.1)",
    kinks=lambda slope: (0.0,),
)
_register(
    "elu", title="ELU", families=("unsaturated",),
    formula=r"\mathrm{elu}(x) = \max(0, x) + \alpha\,(e^{\min(0, x)} - 1)",
    reference="Clevert, Unterthiner & Hochreiter 2015, arXiv:1511.07289",
    fn=F.elu, param_grads=F.elu_param_grads,
    params={"alpha": Param(1.0, 0.1, 3.0, "the value ELU saturates to for x -> -inf is -alpha", **_POSITIVE)},
    used_in="some CNNs and VAEs; the base of SELU",
    kinks=lambda alpha: (0.0,) if alpha != 1.0 else (),
)
_register(
    "selu", title="SELU", families=("unsaturated",),
    formula=r"\mathrm{selu}(x) = \lambda\,(\max(0, x) + \alpha\,(e^{\min(0, x)} - 1)),"
            r"\ \lambda \approx 1.0507,\ \alpha \approx 1.6733",
    reference="Klambauer, Unterthiner, Mayr & Hochreiter 2017, Self-Normalizing Neural Networks, arXiv:1706.02515",
    fn=F.selu, param_grads=F.selu_param_grads,
    params={
        "scale": Param(F.SELU_SCALE, 0.5, 2.5, "lambda; 1.0507... makes N(0,1) a fixed point", **_POSITIVE),
        "alpha": Param(F.SELU_ALPHA, 0.5, 3.0, "alpha; 1.6733... makes N(0,1) a fixed point", **_POSITIVE),
    },
    used_in="self-normalising fully connected networks (SNNs), with LeCun-normal initialisation",
    kinks=lambda scale, alpha: (0.0,),    init="lecun",
)
_register(
    "swish", title="Swish / SiLU", families=("unsaturated", "learnable"),
    formula=r"\mathrm{swish}(x) = x\,\sigma(\beta x) = \frac{x}{1 + e^{-\beta x}}",
    reference="Ramachandran, Zoph & Le 2017, Searching for Activation Functions, arXiv:1710.05941; "
              "SiLU (beta = 1): Elfwing, Uchibe & Doya 2017, arXiv:1702.03118",
    fn=F.swish, param_grads=F.swish_param_grads,
    params={"beta": Param(1.0, 0.0, 10.0, "beta = 0 gives x/2, beta = 1 is SiLU, beta -> inf tends to ReLU; "
                          "constant or learned", learnable=True)},
    used_in="EfficientNet, MobileNetV3 (as hard-swish), YOLOv5+, LLaMA's SwiGLU feed-forward blocks",
)
_register(
    "mish", title="Mish", families=("unsaturated",),
    formula=r"\mathrm{mish}(x) = x \tanh(\mathrm{softplus}(x)) = x \tanh(\ln(1 + e^{x}))",
    reference="Misra 2019, Mish: A Self Regularized Non-Monotonic Activation Function, arXiv:1908.08681",
    fn=F.mish,
    used_in="YOLOv4 backbone (CSPDarknet53)",
)
_register(
    "gelu", title="GELU", families=("unsaturated",),
    formula=r"\mathrm{gelu}(x) = x\,\Phi(x) \approx \frac{x}{2}\left(1 + \tanh\!\left(\sqrt{2/\pi}\,"
            r"(x + 0.044715\,x^{3})\right)\right)",
    reference="Hendrycks & Gimpel 2016, Gaussian Error Linear Units, arXiv:1606.08415",
    fn=F.gelu,
    params={"approximate": Param("none", doc="'none': exact x Phi(x) (PyTorch and keras.activations "
                                 "default); 'tanh': the approximation (jax.nn.gelu's default)",
                                 choices=("none", "tanh"))},
    used_in="transformers: BERT, GPT-2, ViT",
)
_register(
    "softplus", title="Softplus", families=("unsaturated",),
    formula=r"\mathrm{softplus}(x) = \frac{1}{\beta}\ln\left(1 + e^{\beta x}\right)",
    reference="Dugas et al. 2001, Incorporating Second-Order Functional Knowledge for Better Option Pricing; "
              "Glorot, Bordes & Bengio 2011",
    fn=F.softplus, param_grads=F.softplus_param_grads,
    params={"beta": Param(1.0, 0.1, 10.0, "sharpness; beta -> inf tends to ReLU", **_POSITIVE)},
    used_in="keeping outputs positive (variances, rates); inside Mish",
)
_register(
    "relu6", title="ReLU6", families=("mobile_friendly", "unsaturated"),
    formula=r"\mathrm{relu6}(x) = \min(\max(0, x),\ 6)",
    reference="Krizhevsky 2010, Convolutional Deep Belief Networks on CIFAR-10; "
              "Howard et al. 2017, MobileNets, arXiv:1704.04861",
    fn=F.relu6, param_grads=F.relu6_param_grads,
    params={"cap": Param(6.0, 1.0, 12.0, "the largest output; 6 in ReLU6", **_POSITIVE)},
    used_in="MobileNetV1 and V2; the inner part of hard-sigmoid and hard-swish",
    kinks=lambda cap: (0.0, cap),
)
_register(
    "hard_swish", title="Hard-swish", families=("mobile_friendly",),
    formula=r"\mathrm{hard\_swish}(x) = x\,\frac{\mathrm{relu6}(x + 3)}{6}",
    reference="Howard et al. 2019, Searching for MobileNetV3, arXiv:1905.02244",
    fn=F.hard_swish,
    used_in="MobileNetV3 (the deeper half of the network)",
    kinks=lambda: (-3.0, 3.0),
)
_register(
    "prelu", title="PReLU", families=("learnable", "unsaturated"),
    formula=r"\mathrm{prelu}(x) = \max(0, x) + a\,\min(0, x),\ a\ \mathrm{learned}",
    reference="He, Zhang, Ren & Sun 2015, Delving Deep into Rectifiers, arXiv:1502.01852",
    fn=F.prelu, param_grads=F.prelu_param_grads,
    params={"alpha": Param(0.25, -0.5, 1.0, "the learned slope for x <= 0; PyTorch initialises it to 0.25",
                           learnable=True)},
    used_in="the ImageNet models of He et al. 2015; some face-recognition CNNs",
    kinks=lambda alpha: (0.0,) if alpha != 1.0 else (),
)
_register(
    "maxout", title="Maxout", families=("learnable",),
    formula=r"\mathrm{maxout}(x) = \max_{j = 1..k}\,(w_j x + b_j)",
    reference="Goodfellow, Warde-Farley, Mirza, Courville & Bengio 2013, Maxout Networks, arXiv:1302.4389",
    fn=F.maxout, param_grads=F.maxout_param_grads,
    params={
        "weights": Param((1.0, 0.0), -2.0, 2.0, "slope w_j of each piece (k pieces)", learnable=True),
        "biases": Param((0.0, 0.0), -2.0, 2.0, "offset b_j of each piece (k pieces)", learnable=True),
    },
    used_in="the maxout networks of Goodfellow et al. 2013 (with dropout)",
    kinks=lambda weights, biases: _maxout_kinks(weights, biases),
)


def _maxout_kinks(weights, biases):
    """Where the winning piece changes: found on the crossings of every pair of pieces."""
    w = np.asarray(weights, dtype=float)
    b = np.asarray(biases, dtype=float)
    points = []
    for i in range(len(w)):
        for j in range(i + 1, len(w)):
            if w[i] != w[j]:
                xc = (b[j] - b[i]) / (w[i] - w[j])
                top = np.max(w * xc + b)
                if math.isclose(w[i] * xc + b[i], top, rel_tol=1e-12, abs_tol=1e-12):
                    points.append(xc)
    return sorted(set(points))


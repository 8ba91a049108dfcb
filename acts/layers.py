"""The layers of ``acts.nn``, each with one forward and one backward pass, and the two losses.

Every layer computes its output in ``forward(x)``, remembering what the
backward pass needs, and in ``backward(grad)`` turns dL/d(output) into the
gradients of its parameters (``layer.grads``) and dL/dx, which it returns
(``backward(grad, input_grad=False)`` skips dL/dx: the first layer's input,
the data, needs none).

Shapes. x has shape (N, n_in): N examples in rows. Every parameter may carry a
leading "model" axis of S independent models (a weight (S, n_in, n_out), a
bias (S, n_out)), and then x may be (N, n_in), shared by the models, or
(S, N, n_in). The maths is written once for both: ``@`` multiplies the
trailing two axes, ``swapaxes(-1, -2)`` transposes them, and sums over the
examples run over axis -2. So S models train as one batched computation of
the same code.

Parameter kinds are declared, not read off names: "weight" (the matrices:
their gradient norms are traced during training), "bias", "activation" (a
learnable parameter of the activation, such as PReLU's alpha: traced by
value) and "norm" (layer normalisation's gain and bias).
"""

from __future__ import annotations

import numbers

import numpy as np

from acts.registry import INITS, get

KINDS = ("weight", "bias", "activation", "norm")


# ---------------------------------------------------------------- initialisation


def weight_std(init, fan_in: int, fan_out: int) -> float:
    """The standard deviation of the initial weights for a named scheme or a positive scale.

    "he" (He et al. 2015): 2 / fan_in, which keeps the variance through ReLU
    layers. "xavier" (Glorot & Bengio 2010): 2 / (fan_in + fan_out), for tanh
    and the other saturating functions. "lecun" (LeCun et al. 1998): 1 / fan_in,
    what SELU needs. A number s gives variance s^2 / fan_in.
    """
    if isinstance(init, str):
        if init == "he":
            return np.sqrt(2.0 / fan_in)
        if init == "xavier":
            return np.sqrt(2.0 / (fan_in + fan_out))
        if init == "lecun":
            return np.sqrt(1.0 / fan_in)
    elif isinstance(init, numbers.Real) and not isinstance(init, bool) and np.isfinite(init) and init > 0:
        return float(init) / np.sqrt(fan_in)
    raise ValueError(f"init must be one of {', '.join(map(repr, INITS))} or a positive number (a scale); got {init!r}")


def init_of(activation) -> str:
    """The initialisation recorded for an activation in the registry (``acts.get(name).init``)."""
    return get(activation).init


def models(rng) -> tuple:
    """The leading model axis that ``rng`` asks for: () for one generator or seed, (S,) for a list of S."""
    return (len(rng),) if isinstance(rng, (list, tuple)) else ()


def normal(rng, shape, dtype=np.float64) -> np.ndarray:
    """Standard normal draws of ``shape``; for a list of generators, one draw each, stacked on a leading axis."""
    if isinstance(rng, (list, tuple)):
        return np.stack([np.random.default_rng(r).standard_normal(shape, dtype=dtype) for r in rng])
    return np.random.default_rng(rng).standard_normal(shape, dtype=dtype)


def rows_sum(g):
    """The sum over the examples (axis -2): how a bias, shared by every row, collects its gradient."""
    return g.sum(axis=-2)


class Layer:
    """What every layer shares: named parameters with declared kinds, and gradients after ``backward``."""

    def __init__(self):
        self.params, self.kinds, self.grads = {}, {}, {}  # name -> array, name -> kind, name -> dL/dparameter

    def add(self, name: str, value, kind: str) -> np.ndarray:
        """Register a trainable array under ``name`` with its kind; returns the (live) array."""
        assert kind in KINDS, kind
        value = np.asarray(value)
        self.params[name] = value = value if value.dtype.kind == "f" else value.astype(float)
        self.kinds[name] = kind
        return value

    def parameters(self, kind=None) -> dict:
        """The trainable arrays by name, live (edit one and the layer changes); only those of ``kind`` if given."""
        return {name: p for name, p in self.params.items() if kind is None or self.kinds[name] == kind}

    def __call__(self, x):
        """The layer's output for x: the same computation as ``forward``."""
        return self.forward(x)

    def dead(self):
        """Per unit (shape (..., n_out)): True where no gradient reaches it on any row of the last ``forward``."""
        return np.zeros(self.out_shape, dtype=bool)


# ---------------------------------------------------------------- layers


class Dense(Layer):
    """A fully connected layer: z = x W + b, optionally z = LayerNorm(z), then a = f(z) (or a = z without f).

    ``weight`` W has shape (n_in, n_out), ``bias`` b shape (n_out,), each with
    the leading model axis when ``rng`` is a list of generators. f is a
    registered activation. Its learnable parameters (``act.learnable``:
    PReLU's alpha, Swish's beta) train with the weights: one value per layer,
    or one per unit with ``per_unit=True``; ``learn_activation=False`` keeps
    them fixed. Other activation parameters (ELU's alpha, the leaky slope)
    are fixed values. ``norm=True`` normalises z over the units before f.
    ``dtype``: float64, or float32 for a quick look at statistics.
    """

    def __init__(self, n_in, n_out, activation=None, init="he", rng=None, bias_init=0.0, per_unit=False,
                 learn_activation=True, norm=False, dtype=np.float64, **activation_params):
        super().__init__()
        lead = models(rng)
        self.out_shape = lead + (n_out,)
        std = dtype(weight_std(init, n_in, n_out))
        self.weight = self.add("weight", std * normal(rng, (n_in, n_out), dtype), "weight")
        self.bias = self.add("bias", np.full(lead + (n_out,), bias_init, dtype=dtype), "bias")
        self.norm = LayerNorm(n_out, rng=rng) if norm else None
        if self.norm is not None:
            self.norm_gain = self.add("norm_gain", self.norm.gain, "norm")
            self.norm_bias = self.add("norm_bias", self.norm.bias, "norm")
        self.act = None if activation is None else get(activation)
        self.fixed = {}  # activation parameters that stay as given
        self.learned = []  # names of the activation parameters trained with the weights
        self.per_unit = per_unit
        if self.act is None:
            if activation_params:
                raise TypeError(f"activation parameters {sorted(activation_params)} given without an activation")
            return
        self.act(np.zeros(1), **activation_params)  # the registry checks names and values once, here
        for name, spec in self.act.params.items():
            value = activation_params.get(name, spec.default)
            if name in self.act.learnable and learn_activation:
                shape = lead + (n_out,) if per_unit else lead
                self.add(name, np.full(shape, value, dtype=float), "activation")
                self.learned.append(name)
            elif name in activation_params:
                self.fixed[name] = value

    def activation_params(self) -> dict:
        """The keyword arguments of f: fixed values, and learned arrays shaped to broadcast against z."""
        if not self.learned:
            return self.fixed
        if self.per_unit:  # one value per unit: shape (..., n_out) -> (..., 1, n_out)
            learned = {name: self.params[name][..., np.newaxis, :] for name in self.learned}
        else:  # one value per layer: shape (...) -> (..., 1, 1)
            learned = {name: self.params[name][..., np.newaxis, np.newaxis] for name in self.learned}
        return {**self.fixed, **learned}

    def forward(self, x):
        z = x @ self.weight + self.bias[..., np.newaxis, :]
        if self.norm is not None:
            z = self.norm.forward(z)
        self.x, self.z = x, z
        if self.act is None:
            self.fprime = None
            return z
        a, self.fprime = self.act.value_and_grad(z, **self.activation_params())
        return a

    def backward(self, grad, input_grad=True):
        """Given dL/da, store dL/d(each parameter) in ``self.grads`` and return dL/dx (None if not ``input_grad``)."""
        if self.learned:
            df = self.act.param_grads(self.z, **self.activation_params())
            for name in self.learned:
                g = grad * df[name]
                self.grads[name] = rows_sum(g) if self.per_unit else rows_sum(g).sum(axis=-1)
        grad_z = grad if self.fprime is None else grad * self.fprime
        if self.norm is not None:
            grad_z = self.norm.backward(grad_z)
            self.grads["norm_gain"], self.grads["norm_bias"] = self.norm.grads["gain"], self.norm.grads["bias"]
        self.grads["weight"] = self.x.swapaxes(-1, -2) @ grad_z
        self.grads["bias"] = rows_sum(grad_z)
        return grad_z @ self.weight.swapaxes(-1, -2) if input_grad else None

    def dead(self):
        """Per unit, after ``forward``: True where f'(z) = 0 on every row (no gradient reaches the unit)."""
        if self.fprime is None:
            return np.zeros(self.out_shape, dtype=bool)
        return np.logical_and.reduce(self.fprime == 0, axis=-2)  # np.all without its Python wrapper


class Maxout(Layer):
    """A maxout layer (Goodfellow et al. 2013): unit j outputs max over k pieces i of (x W_i + b_i)_j.

    ``weight`` has shape (k, n_in, n_out), one affine map per piece; ``bias``
    shape (k, n_out). Each unit is a learned convex piecewise-linear function
    of its input. The gradient flows through the winning piece only (the first
    one on ties).
    """

    def __init__(self, n_in, n_out, k=2, init="he", rng=None, bias_init=0.0):
        super().__init__()
        lead = models(rng)
        self.out_shape = lead + (n_out,)
        self.weight = self.add("weight", weight_std(init, n_in, n_out) * normal(rng, (k, n_in, n_out)), "weight")
        self.bias = self.add("bias", np.full(lead + (k, n_out), float(bias_init)), "bias")

    def pieces(self, x):
        """Every piece's value for every row: shape (..., k, N, n_out)."""
        return x[..., np.newaxis, :, :] @ self.weight + self.bias[..., np.newaxis, :]

    def forward(self, x):
        z = self.pieces(x)
        k = z.shape[-3]
        self.x = x
        self.winner = np.arange(k)[:, np.newaxis, np.newaxis] == np.argmax(z, axis=-3)[..., np.newaxis, :, :]
        return z.max(axis=-3)

    def backward(self, grad, input_grad=True):
        grad_pieces = self.winner * grad[..., np.newaxis, :, :]  # shape (..., k, N, n_out)
        self.grads["weight"] = self.x[..., np.newaxis, :, :].swapaxes(-1, -2) @ grad_pieces
        self.grads["bias"] = rows_sum(grad_pieces)
        return (grad_pieces @ self.weight.swapaxes(-1, -2)).sum(axis=-3) if input_grad else None


class LayerNorm(Layer):
    """Layer normalisation (Ba, Kiros & Hinton 2016) over the last axis: y = gain * (x - mean) / sqrt(var + eps) + bias.

    The mean and variance are taken over the n units of each row, so every
    row is normalised alone (no batch statistics). ``gain`` starts at 1 and
    ``bias`` at 0, shape (n,) (plus the model axis).
    """

    def __init__(self, n, eps=1e-5, rng=None):
        super().__init__()
        lead = models(rng)
        self.out_shape = lead + (n,)
        self.eps = eps
        self.gain = self.add("gain", np.ones(lead + (n,)), "norm")
        self.bias = self.add("bias", np.zeros(lead + (n,)), "norm")

    def forward(self, x):
        mean = x.mean(axis=-1, keepdims=True)
        self.std = np.sqrt(x.var(axis=-1, keepdims=True) + self.eps)
        self.xhat = (x - mean) / self.std
        return self.gain[..., np.newaxis, :] * self.xhat + self.bias[..., np.newaxis, :]

    def backward(self, grad):
        self.grads["gain"] = rows_sum(grad * self.xhat)
        self.grads["bias"] = rows_sum(grad)
        g = grad * self.gain[..., np.newaxis, :]  # dL/dxhat
        # xhat depends on x directly and through the row's mean and std:
        mean_g = g.mean(axis=-1, keepdims=True)
        mean_gx = (g * self.xhat).mean(axis=-1, keepdims=True)
        return (g - mean_g - self.xhat * mean_gx) / self.std


class Residual(Layer):
    """A residual connection around a layer of equal input and output width: a = x + layer(x) (He et al. 2016).

    The gradient reaches x twice: straight through the sum, and through the layer.
    """

    def __init__(self, layer):
        self.layer = layer
        self.out_shape = layer.out_shape
        self.params, self.kinds, self.grads = layer.params, layer.kinds, layer.grads

    def forward(self, x):
        return x + self.layer.forward(x)

    def backward(self, grad, input_grad=True):
        through = self.layer.backward(grad, input_grad)
        return grad + through if input_grad else None

    def dead(self):
        return self.layer.dead()


GATES = {"glu": "sigmoid", "reglu": "relu", "geglu": "gelu", "swiglu": "swish"}


class GLU(Layer):
    """A gated linear unit layer: a = f(x W + b) * (x V + c), the product taken unit by unit.

    The gate f(x W + b) scales the value x V + c. With f the sigmoid it is
    Dauphin et al.'s GLU (2017); Shazeer (2020) swapped in ReLU (ReGLU), GELU
    (GeGLU) and Swish with beta = 1 (SwiGLU): ``gate`` is one of ``GATES``
    or any registered activation name. W and V have shape (n_in, n_out), b and
    c shape (n_out,): twice the parameters of a ``Dense`` layer of the same
    width (see ``gated_width``). ``norm=True`` normalises the layer's input
    first (``LayerNorm`` of n_in units): the "pre-norm" of transformer blocks,
    which keeps a deep stack of gated layers from vanishing or exploding (the
    product of two maps squares the scale of the signal at every layer).
    """

    def __init__(self, n_in, n_out, gate="swiglu", init=None, rng=None, bias_init=0.0, norm=False):
        super().__init__()
        self.act = get(GATES.get(gate, gate))
        init = init_of(self.act.name) if init is None else init
        lead = models(rng)
        self.out_shape = lead + (n_out,)
        std = weight_std(init, n_in, n_out)
        self.W = self.add("W", std * normal(rng, (n_in, n_out)), "weight")
        self.b = self.add("b", np.full(lead + (n_out,), float(bias_init)), "bias")
        self.V = self.add("V", std * normal(rng, (n_in, n_out)), "weight")
        self.c = self.add("c", np.zeros(lead + (n_out,)), "bias")
        self.norm = LayerNorm(n_in, rng=rng) if norm else None
        if self.norm is not None:
            self.norm_gain = self.add("norm_gain", self.norm.gain, "norm")
            self.norm_bias = self.add("norm_bias", self.norm.bias, "norm")

    def forward(self, x):
        if self.norm is not None:
            x = self.norm.forward(x)
        self.x = x
        self.z = x @ self.W + self.b[..., np.newaxis, :]  # the gate's pre-activation
        self.value = x @ self.V + self.c[..., np.newaxis, :]
        self.gate, self.fprime = self.act.value_and_grad(self.z)
        return self.gate * self.value

    def backward(self, grad, input_grad=True):
        grad_z = grad * self.value * self.fprime
        grad_value = grad * self.gate
        xT = self.x.swapaxes(-1, -2)
        self.grads["W"], self.grads["b"] = xT @ grad_z, rows_sum(grad_z)
        self.grads["V"], self.grads["c"] = xT @ grad_value, rows_sum(grad_value)
        if not input_grad and self.norm is None:
            return None
        grad_x = grad_z @ self.W.swapaxes(-1, -2) + grad_value @ self.V.swapaxes(-1, -2)
        if self.norm is not None:
            grad_x = self.norm.backward(grad_x)
            self.grads["norm_gain"], self.grads["norm_bias"] = self.norm.grads["gain"], self.norm.grads["bias"]
        return grad_x if input_grad else None

    def dead(self):
        """Per unit: True where the gate's derivative is 0 on every row (for ReGLU: a gate closed on every row)."""
        return np.logical_and.reduce(self.fprime == 0, axis=-2)  # np.all without its Python wrapper


def block_parameters(n_in, hidden, n_out, gated=False) -> int:
    """Weights and biases of the block n_in -> hidden -> n_out (a Dense or GLU hidden layer, then a linear map)."""
    first = (n_in + 1) * hidden
    return (2 * first if gated else first) + (hidden + 1) * n_out


def gated_width(n_in, hidden, n_out=None) -> int:
    """The hidden width of a gated block with as many parameters as a plain block of width ``hidden``.

    A plain block n -> h -> n has about 2 n h weights; a gated one has three
    matrices (W, V and the output map), 3 n h'. Equal counts give h' = 2 h / 3:
    the 2/3 rule of Shazeer (2020), with which LLaMA sizes its SwiGLU blocks.
    Here the biases are counted too, so the width returned is the one whose
    exact count (``block_parameters``) is nearest that of the plain block.
    ``n_out`` defaults to ``n_in``.
    """
    n_out = n_in if n_out is None else n_out
    target = block_parameters(n_in, hidden, n_out)
    per_unit = 2 * (n_in + 1) + n_out  # what one more gated unit costs
    low = max(1, (target - n_out) // per_unit)
    return min((low, low + 1), key=lambda h: (abs(block_parameters(n_in, h, n_out, gated=True) - target), h))


# ---------------------------------------------------------------- losses


def one_hot(labels, classes: int):
    """The boolean mask (..., N, classes) that is True at each row's label."""
    return labels[..., np.newaxis] == np.arange(classes)


def softmax_cross_entropy(logits, labels, onehot=None):
    """Mean cross-entropy of softmax(logits) against integer labels, and its gradient dL/dlogits.

    logits (..., N, C), labels (N,) or (..., N). The loss has shape (...):
    one mean per model. ``onehot``: ``one_hot(labels, C)``, if already made.
    """
    shifted = logits - logits.max(axis=-1, keepdims=True)  # softmax does not change; exp cannot overflow
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    if onehot is None:
        onehot = one_hot(labels, logits.shape[-1])
    if onehot.shape != log_probs.shape:  # labels shared by every model
        onehot = np.broadcast_to(onehot, log_probs.shape)
    n = logits.shape[-2]
    loss = -log_probs[onehot].reshape(log_probs.shape[:-1]).sum(axis=-1) / n  # log p of the right class, averaged
    return loss, (np.exp(log_probs) - onehot) / n


def mean_squared_error(outputs, targets):
    """Mean of (output - target)^2 over the rows and outputs, and its gradient. One mean per model."""
    diff = outputs - targets
    size = diff.shape[-2] * diff.shape[-1]
    return (diff * diff).sum(axis=(-2, -1)) / size, (2.0 / size) * diff

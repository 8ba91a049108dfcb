"""The multilayer perceptron of ``acts.nn``: layers stacked, a forward and a backward pass, and the data checks.

``MLP`` stacks the layers of ``acts.layers``; ``check_inputs`` and
``check_targets`` turn what a learner passes as X and y into checked arrays
(or a clear error that names the argument). Training is in ``acts.training``;
``acts.nn`` is the one place to import all of it from.
"""

from __future__ import annotations

import numbers

import numpy as np

from acts.layers import (
    GATES,
    GLU,
    Dense,
    Maxout,
    Residual,
    init_of,
    mean_squared_error,
    models,
    softmax_cross_entropy,
    weight_std,
)
from acts.registry import get

__all__ = ["LAYERS", "MLP", "accuracy", "check_inputs", "check_targets", "positive_int"]

LAYERS = ("dense", "maxout", *GATES)


def positive_int(value, name: str) -> int:
    """``value`` as an int, or a ValueError naming ``name`` if it is not a positive integer."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


# ---------------------------------------------------------------- the network


class MLP:
    """A multilayer perceptron: ``sizes = [n_in, hidden..., n_out]``, a registered activation on every hidden layer.

    ``MLP([2, 32, 32, 3], activation="prelu", per_unit=True)``: two hidden
    layers of 32 PReLU units, each with its own alpha, and 3 linear outputs
    (logits). The output layer has no activation: the loss brings softmax
    (classification) or nothing (regression).

    ``init``: "he", "xavier", "lecun" or a positive float scale (weights
    N(0, scale^2 / fan_in)); None takes the activation's own
    (``acts.get(name).init``). ``bias_init``: the initial value of every hidden
    bias. ``learn_activation=False`` keeps PReLU's alpha and Swish's beta
    fixed. Any other keyword is a parameter of the activation (``slope=0.2``
    for leaky_relu, ``alpha=0.1`` as PReLU's initial alpha).

    ``layer``: the hidden layers' kind: "dense" (the default); "maxout"
    (``k`` pieces per unit, default 2; ``activation="maxout"`` says the
    same); or a gated unit "glu", "reglu", "geglu", "swiglu" (``GLU``; its
    gate fixes the activation). ``norm=True`` adds layer normalisation to
    every hidden layer: between z and f(z) in a dense layer, on the input of a
    gated one (pre-norm). ``residual=True`` adds x to the output of every
    hidden layer whose input and output widths are equal.

    ``seed``: an integer, or a list of S integers for S independent nets
    stacked on a leading model axis. Layers are named layer1, layer2, ...
    (the output layer last); their parameters ``layer1.weight``,
    ``layer1.bias``, ``layer1.alpha``, ...
    """

    def __init__(self, sizes, activation=None, seed=0, init=None, bias_init=0.0, per_unit=False,
                 learn_activation=True, k=None, layer="dense", norm=False, residual=False, **activation_params):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
            raise ValueError(f"sizes must be a list of at least two layer widths, like [2, 32, 3]; got {sizes!r}")
        self.sizes = [positive_int(size, f"sizes[{i}]") for i, size in enumerate(sizes)]
        if layer not in LAYERS:
            raise ValueError(f"layer must be one of {', '.join(map(repr, LAYERS))}; got {layer!r}")
        if activation is not None and get(activation).name == "maxout":
            layer = "maxout"
        if layer in GATES and activation is not None:
            raise TypeError(f"layer={layer!r} brings its own gate activation ({GATES[layer]}); drop activation=")
        act = get(GATES.get(layer, "maxout" if layer == "maxout" else activation or "relu"))
        self.activation, self.layer = act.name, layer
        init = init_of(act.name) if init is None else init
        weight_std(init, 1, 1)  # check it before building anything
        if k is not None and layer != "maxout":
            raise TypeError(f"k (the number of maxout pieces) only applies to activation='maxout'; got k={k!r} "
                            f"with activation={act.name!r}")
        if layer != "dense" and activation_params:
            raise TypeError(f"layer={layer!r} takes no activation parameters; got {sorted(activation_params)}")
        if layer == "maxout" and norm:
            raise TypeError("norm=True applies to dense and gated layers, not to maxout")
        k = 2 if k is None else positive_int(k, "k")
        if isinstance(seed, (list, tuple, range)):
            rng = [np.random.default_rng(s) for s in seed]
            if not rng:
                raise ValueError("seed must be an integer or a non-empty list of integers; got an empty list")
        else:
            rng = np.random.default_rng(seed)
        self.lead = models(rng)
        self.layers = []
        for n_in, n_out in zip(self.sizes[:-2], self.sizes[1:-1]):
            if layer == "maxout":
                hidden = Maxout(n_in, n_out, k, init, rng, bias_init)
            elif layer in GATES:
                hidden = GLU(n_in, n_out, layer, init, rng, bias_init, norm)
            else:
                hidden = Dense(n_in, n_out, act.name, init, rng, bias_init, per_unit, learn_activation, norm,
                               **activation_params)
            self.layers.append(Residual(hidden) if residual and n_in == n_out else hidden)
        self.layers.append(Dense(self.sizes[-2], self.sizes[-1], None, init, rng))
        # (full name, layer, name in the layer) of every parameter, in order: the layers are fixed from here on
        self._index = [(f"layer{i}.{name}", layer, name) for i, layer in enumerate(self.layers, start=1)
                       for name in layer.parameters()]

    def __repr__(self):
        return f"MLP({self.sizes}, activation={self.activation!r}, layer={self.layer!r})"

    def parameters(self, kind=None) -> dict:
        """Every trainable array, live (edit it and the net changes): {"layer1.weight": ..., ...}.

        ``kind``: only the "weight", "bias", "activation" or "norm" parameters.
        """
        return {f"layer{i}.{name}": p for i, layer in enumerate(self.layers, start=1)
                for name, p in layer.parameters(kind).items()}

    def grads(self) -> dict:
        """dL/d(each parameter) from the last ``backward``, named as ``parameters()``."""
        return {full: layer.grads[name] for full, layer, name in self._index}

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad):
        for layer in reversed(self.layers[1:]):
            grad = layer.backward(grad)
        self.layers[0].backward(grad, input_grad=False)  # the data need no gradient

    def loss(self, outputs, y, onehot=None):
        """(loss, dL/doutputs): softmax cross-entropy for integer labels, mean squared error for float targets.

        ``onehot``: the labels' one-hot mask, if already made (``train`` makes it once per batch).
        """
        if y.dtype.kind == "i":
            return softmax_cross_entropy(outputs, y, onehot)
        return mean_squared_error(outputs, y)

    def __call__(self, X):
        """The outputs (logits, or values for regression), shape (N, sizes[-1]) (after the model axis, if any)."""
        return self.forward(check_inputs(self, X, "net(X)"))

    def predict(self, X):
        """Labels (argmax of the logits) when the net has 2+ outputs; values, shape (N,), with one output."""
        outputs = self(X)
        return outputs[..., 0] if outputs.shape[-1] == 1 else np.argmax(outputs, axis=-1)

    def gradients(self, X, y):
        """(loss, {name: dloss/dparameter}) over the whole batch.

        Integer labels y of shape (N,): softmax cross-entropy. Float targets of
        shape (N,) (one output) or (N, n_out): mean squared error. With a model
        axis the loss is one number per model.
        """
        X = check_inputs(self, X, "gradients()")
        y = check_targets(self, y, X.shape[-2], "gradients()")
        loss, grad = self.loss(self.forward(X), y)
        self.backward(grad)
        return (float(loss) if loss.ndim == 0 else loss), self.grads()

    def dead_fraction(self, X=None):
        """Per hidden layer, the fraction of units with no gradient on every row of X (of the last forward if None)."""
        if X is not None:
            self.forward(check_inputs(self, X, "dead_fraction()"))
        return np.stack([np.add.reduce(layer.dead(), axis=-1, dtype=np.intp) / layer.out_shape[-1]
                         for layer in self.layers[:-1]], axis=-1)  # the count of dead units over the width


def accuracy(net, X, y):
    """The fraction of rows of X whose predicted label equals y (one per model, with a model axis)."""
    X = check_inputs(net, X, "accuracy()")
    y = check_targets(net, y, X.shape[-2], "accuracy()")
    right = np.mean(net.predict(X) == y, axis=-1)
    return float(right) if right.ndim == 0 else right


# ---------------------------------------------------------------- checking the data a net is given


def check_inputs(net, X, where):
    """X as a float array of shape (n, n_in) (or with the model axis), finite; else an error saying where."""
    n_in = net.sizes[0]
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{where}: X must be an array of numbers of shape (n, {n_in}); got {exc}") from None
    if X.ndim == 1 and n_in == 1:
        X = X[:, np.newaxis]
    if X.ndim not in (2, 2 + len(net.lead)) or X.shape[-1] != n_in or X.shape[:-2] not in ((), net.lead):
        models_too = f" or {(*net.lead, 'n', n_in)} (one set per model)" if net.lead else ""
        raise ValueError(f"{where}: X must have shape (n, {n_in}){models_too} (the net's input size sizes[0] = "
                         f"{n_in}); got shape {X.shape}")
    if X.shape[-2] == 0:
        raise ValueError(f"{where}: X has no rows")
    bad = ~np.isfinite(X)
    if bad.any():
        row = int(np.argwhere(bad)[0, -2])
        raise ValueError(f"{where}: X must be finite; row {row} is {X[..., row, :].tolist()} (NaN or inf)")
    return X


def check_targets(net, y, n, where):
    """y as int64 labels or float targets, one per row of X; else an error saying where and what is allowed."""
    y = np.asarray(y)
    if y.dtype.kind == "b" or y.dtype.kind not in "iuf":
        raise TypeError(f"{where}: y must hold integer labels (classification) or float targets (regression); "
                        f"got dtype {y.dtype}")
    n_out = net.sizes[-1]
    if y.dtype.kind in "iu":
        if y.shape not in ((n,), (*net.lead, n)):
            raise ValueError(f"{where}: y must have one entry per row of X ({n}): integer labels of shape ({n},); "
                             f"got shape {y.shape}")
        if n_out < 2:
            raise ValueError(f"{where}: integer labels need a net with at least 2 outputs (one per class); "
                             f"this one has {n_out}; give float targets for regression")
        outside = (y < 0) | (y >= n_out)
        if outside.any():
            i = np.unravel_index(np.argmax(outside), y.shape)
            raise ValueError(f"{where}: labels y must be in 0..{n_out - 1} (the net has {n_out} outputs); "
                             f"y[{', '.join(map(str, i))}] = {y[i]}")
        return y.astype(np.int64)
    if y.ndim == 1 or (y.ndim == 1 + len(net.lead) and y.shape[:-1] == net.lead and n_out == 1 and net.lead):
        y = y[..., np.newaxis]
    if y.shape not in ((n, n_out), (*net.lead, n, n_out)):
        raise ValueError(f"{where}: y must have one entry per row of X ({n}): float targets of shape ({n},) or "
                         f"({n}, {n_out}); got shape {y.shape}")
    if not np.isfinite(y).all():
        i = int(np.argwhere(~np.isfinite(y))[0, -2])
        raise ValueError(f"{where}: y must be finite; y[{i}] is NaN or inf")
    return y.astype(float)

r"""Every activation function of the course, as a value function and a derivative function.

Read these files like a textbook appendix, one per family (as the notebooks). Each activation has

* ``<name>(x, ...)``               f(x), the value;
* ``<name>_grad(x, ...)``          f'(x) = df/dx, its derivative, by its own function;
* ``<name>_param_grads(x, ...)``   ``{parameter: df/dparameter}``, for the activations
  that have parameters;
* ``<name>_value_and_grad(x, ...)`` both at once, only where ``bench/acts_speed.py``
  shows that sharing the work pays (swish, mish, gelu).

Each value function's docstring is where its formula (the ``.. math::`` line)
and its paper (the ``Paper:`` paragraph) are written; the registry
(``acts/registry.py``) reads them from there. The functions expect ``x`` to be
a float32 or float64 NumPy array (any shape, 0-d included) and parameters that
are Python floats or arrays of x's dtype, already checked. The friendly entry
points check their arguments and accept lists, scalars, integers and float16:
``acts.swish(x, beta=2.0)``, ``acts.swish.grad(x)``.

Numerical rules followed throughout (see ``reference/activation-facts.md``):

* never ``exp`` of a large positive number: ``exp(-|x|)``, ``expm1``,
  ``scipy.special.expit``, ``logaddexp``, or the argument clamped where the
  result no longer changes;
* no cancellation: the sigmoid's slope is ``exp(-|x|) / (1 + exp(-|x|))^2``,
  not ``s * (1 - s)``, which loses every digit once s rounds to 1;
* constants are Python floats, so NumPy keeps the input's dtype;
* ``0 * inf`` is NaN in IEEE arithmetic, but the limit of ``x * sigmoid(x)``
  at -inf is 0: such products go through ``numerics.times``, so every function has its
  mathematical limit at +-inf and no function warns;
* at a kink the derivative takes the value PyTorch uses (the registry records
  which side that is).
"""


from acts.functions.maxout import maxout, maxout_grad, maxout_param_grads
from acts.functions.mobile_friendly import hard_swish, hard_swish_grad
from acts.functions.relu_family import (
    SELU_ALPHA,
    SELU_SCALE,
    elu,
    elu_grad,
    elu_param_grads,
    leaky_relu,
    leaky_relu_grad,
    leaky_relu_param_grads,
    prelu,
    prelu_grad,
    prelu_param_grads,
    relu,
    relu6,
    relu6_grad,
    relu6_param_grads,
    relu_grad,
    selu,
    selu_grad,
    selu_param_grads,
)
from acts.functions.saturated import (
    hard_sigmoid,
    hard_sigmoid_grad,
    hard_sigmoid_param_grads,
    sigmoid,
    sigmoid_grad,
    tanh,
    tanh_grad,
)
from acts.functions.smooth import (
    GELU_TANH_COEFF,
    gelu,
    gelu_grad,
    gelu_value_and_grad,
    mish,
    mish_grad,
    mish_value_and_grad,
    softplus,
    softplus_grad,
    softplus_param_grads,
    swish,
    swish_grad,
    swish_param_grads,
    swish_value_and_grad,
)

__all__ = [
    "GELU_TANH_COEFF",
    "SELU_ALPHA",
    "SELU_SCALE",
    "elu",
    "elu_grad",
    "elu_param_grads",
    "gelu",
    "gelu_grad",
    "gelu_value_and_grad",
    "hard_sigmoid",
    "hard_sigmoid_grad",
    "hard_sigmoid_param_grads",
    "hard_swish",
    "hard_swish_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "leaky_relu_param_grads",
    "maxout",
    "maxout_grad",
    "maxout_param_grads",
    "mish",
    "mish_grad",
    "mish_value_and_grad",
    "prelu",
    "prelu_grad",
    "prelu_param_grads",
    "relu",
    "relu6",
    "relu6_grad",
    "relu6_param_grads",
    "relu_grad",
    "selu",
    "selu_grad",
    "selu_param_grads",
    "sigmoid",
    "sigmoid_grad",
    "softplus",
    "softplus_grad",
    "softplus_param_grads",
    "swish",
    "swish_grad",
    "swish_param_grads",
    "swish_value_and_grad",
    "tanh",
    "tanh_grad",
]

#: The modules, one per family, in course order.
MODULES = ("saturated", "relu_family", "smooth", "mobile_friendly", "maxout")

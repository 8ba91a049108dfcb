"""acts: the shared module of the course "Activation Functions, Explored".

>>> import acts
>>> acts.names()[:3]
['sigmoid', 'tanh', 'hard_sigmoid']
>>> act = acts.get("swish")
>>> float(act(1.0, beta=2.0))            # value
0.8807970779778823
>>> float(act.grad(0.0))                 # derivative
0.5
>>> sorted(act.param_grads(1.0))         # gradients of the parameters
['beta']

Every registered activation is also a module-level shortcut: ``acts.swish(x,
beta=2.0)``, ``acts.relu.grad(x)``. The submodules ``acts.plotting``,
``acts.widgets``, ``acts.nn``, ``acts.data``, ``acts.check``, ``acts.timing``,
``acts.exercises`` and ``acts.experiments`` are imported
on first use.
"""

from __future__ import annotations

import importlib

from acts.registry import _REGISTRY as _registry
from acts.registry import FAMILIES, Activation, Param, get, names

__version__ = "0.1.0"

__all__ = ["FAMILIES", "Activation", "Param", "get", "names", *_registry]

# One shortcut per registered activation, read from the registry (never a second list).
globals().update(_registry)

_SUBMODULES = ("plotting", "widgets", "nn", "data", "check", "timing", "exercises", "experiments")


def __getattr__(name):
    if name in _SUBMODULES:
        module = importlib.import_module(f"acts.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'acts' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))

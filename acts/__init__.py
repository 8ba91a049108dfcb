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
beta=2.0)``, ``acts.relu.grad(x)``; ``acts.register`` adds one (see the README). The submodules ``acts.plotting``,
``acts.widgets``, ``acts.nn``, ``acts.data``, ``acts.check``, ``acts.timing``,
``acts.exercises`` and ``acts.experiments`` are imported
on first use.
"""

from __future__ import annotations

import importlib

from acts.registry import FAMILIES, INITS, Activation, Param, get, names, register, unregister

__version__ = "0.1.0"

__all__ = ["FAMILIES", "INITS", "Activation", "Param", "get", "names", "register", "unregister", *names()]

# One shortcut per registered activation, read from the registry (never a second list);
# activations registered later are found by __getattr__ below.
globals().update({name: get(name) for name in names()})

_SUBMODULES = ("plotting", "widgets", "nn", "layers", "diagnostics", "data", "check", "timing", "exercises",
               "experiments")


def __getattr__(name):
    if name in _SUBMODULES:
        module = importlib.import_module(f"acts.{name}")
        globals()[name] = module
        return module
    if name in names():
        return get(name)
    raise AttributeError(f"module 'acts' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SUBMODULES) | set(names()))

"""Forbidden functions for the exercise checks (used by :func:`acts.check.function`).

When a question rules a function out ("no np.exp", "only acts.sigmoid"),
:func:`forbidden` swaps, while the learner's function runs, the names in its
notebook namespace that lead to the forbidden functions (``np``, ``acts``,
``math``, or the functions themselves) for stand-ins that raise
:class:`ForbiddenCall`; the check's verdict then says which one was used.

>>> import numpy as np
>>> def uses_exp(x):
...     return np.exp(x)
>>> with forbidden(uses_exp, ("np.exp",)):
...     try:
...         uses_exp(0.0)
...     except ForbiddenCall as exc:
...         print("ruled out:", exc)
ruled out: `np.exp`
>>> float(uses_exp(0.0))   # restored afterwards
1.0
"""

from __future__ import annotations

import contextlib
import sys

import numpy as np


class ForbiddenCall(Exception):
    """Raised inside a learner's function when it uses a function its question rules out."""


#: Every way to an exponential that a "no np.exp" question rules out (``2.718 ** x`` stays on trust).
EXPONENTIALS = ("np.exp", "np.expm1", "np.exp2", "np.e", "np.power", "np.float_power", "np.sinh",
                "np.cosh", "np.tanh", "math.exp", "math.expm1", "math.e", "math.pow", "math.sinh",
                "math.cosh", "math.tanh")

_ROOTS = {"np": "numpy", "numpy": "numpy", "math": "math", "acts": "acts"}
_ONLY_AT = "only at the test points"  # a key in a rules tree: calls must stay at x or -x


class _Blocked:
    """A forbidden function or constant: calling it, or computing with it, raises ForbiddenCall."""

    __array_ufunc__ = None  # numpy hands arithmetic with an array back to the methods below

    def __init__(self, path):
        object.__setattr__(self, "_path", path)

    def __getattr__(self, name):  # acts.selu blocked blocks acts.selu.grad too, and says which was used
        if name.startswith("__"):
            raise AttributeError(name)
        return _Blocked(f"{self._path}.{name}")

    def _refuse(self, *args, **kwargs):
        raise ForbiddenCall(f"`{self._path}`")

    __call__ = __float__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __pow__ = __rpow__ = __neg__ = _refuse


class _Guard:
    """A stand-in for a module or object: the attributes named in ``rules`` are blocked, the rest pass through.

    ``rules`` maps an attribute to ``None`` (blocked) or to the rules of a deeper level; the key
    ``_ONLY_AT`` holds the points where calling the object itself is allowed. ``acts.get(name)``
    goes through the same rules as ``acts.<name>``.
    """

    def __init__(self, target, path, rules, points):
        for key, value in (("_target", target), ("_path", path), ("_rules", rules), ("_points", points)):
            object.__setattr__(self, key, value)

    def __getattr__(self, name):
        if name == "get" and self._path == "acts":
            return self._get
        if name not in self._rules or name == _ONLY_AT:
            return getattr(self._target, name)
        path = f"{self._path}.{name}"
        rule = self._rules[name]
        return _Blocked(path) if rule is None else _Guard(getattr(self._target, name), path, rule, self._points)

    def _get(self, name, *args, **kwargs):
        if isinstance(name, str) and name in self._rules:
            return getattr(self, name)
        return self._target.get(name, *args, **kwargs)

    def __call__(self, z, *args, **kwargs):
        if _ONLY_AT in self._rules:
            if np.iscomplexobj(z):
                raise ForbiddenCall(f"`{self._path}` on complex numbers (the complex-step derivative)")
            allowed = np.concatenate([self._points, -self._points])
            if not np.all(np.isin(np.ravel(np.asarray(z, dtype=float)), allowed)):
                raise ForbiddenCall(f"`{self._path}` away from the test points (finite differences)")
        return self._target(z, *args, **kwargs)

    def __repr__(self):
        return repr(self._target)


def _trees(forbid, only_at) -> list:
    """[(alias, module, rules)] from paths such as "np.exp" or "acts.sigmoid.grad"."""
    trees: dict = {}
    for path, leaf in [(p, None) for p in forbid] + [(p, _ONLY_AT) for p in only_at]:
        root, *rest = path.split(".")
        if root not in _ROOTS or not rest:
            raise ValueError(f"forbid: {path!r} must start with one of {sorted(_ROOTS)} and name an attribute")
        module = sys.modules.get(_ROOTS[root]) or __import__(_ROOTS[root])
        alias = "np" if module.__name__ == "numpy" else module.__name__
        node = trees.setdefault(alias, (module, {}))[1]
        for part in rest if leaf == _ONLY_AT else rest[:-1]:
            node = node.setdefault(part, {})
        if leaf == _ONLY_AT:
            node[_ONLY_AT] = True
        else:
            node[rest[-1]] = None
    return [(alias, module, rules) for alias, (module, rules) in trees.items()]


def _stand_ins(forbid, only_at, points) -> list:
    """(original object, stand-in) pairs for every root module and every blocked or guarded object."""
    pairs = []

    def walk(target, path, rules):
        pairs.append((target, _Guard(target, path, rules, points)))
        for name, rule in rules.items():
            child = getattr(target, name, None) if name != _ONLY_AT else None
            if child is None:
                continue
            if rule is None:
                if callable(child):  # ``from numpy import exp`` binds the function itself
                    pairs.append((child, _Blocked(f"{path}.{name}")))
            else:
                walk(child, f"{path}.{name}", rule)

    for alias, module, rules in _trees(forbid, only_at):
        walk(module, alias, rules)
    return pairs


@contextlib.contextmanager
def forbidden(fn, forbid=(), *, only_at=(), points=()):
    """While the block runs, ``fn``'s global names that lead to a forbidden function raise ForbiddenCall.

    ``forbid``: paths such as ``"np.exp"`` or ``"acts.sigmoid.grad"``. ``only_at``: paths such as
    ``"acts.sigmoid"`` that may be called only at ``points`` or their negatives (no finite
    differences). Only the learner's namespace (``fn.__globals__``) changes; ``acts`` and NumPy
    themselves keep working, so ``acts.sigmoid`` still uses ``np.exp`` inside while the learner may
    not. Names the learner binds in other ways (``e = np.exp`` before the check runs, a typed-out
    2.718) are out of reach: such constraints stay on trust.
    """
    space = getattr(fn, "__globals__", None)
    if not (forbid or only_at) or space is None:
        yield
        return
    pairs = _stand_ins(forbid, only_at, np.ravel(np.asarray(points, dtype=float)))
    swapped = {}
    for name, value in list(space.items()):
        for original, stand_in in pairs:
            if value is original:
                swapped[name] = value
                space[name] = stand_in
                break
    try:
        yield
    finally:
        space.update(swapped)

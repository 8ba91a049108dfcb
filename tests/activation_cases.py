"""The parameter sets worth testing for every activation, read from the registry's records.

A module of its own so that test modules can import it to parametrize (a
conftest cannot be imported by name); tests/conftest.py gives these cases to
every test that takes `name` and `params`.
"""

import pytest

import acts


def activation_param_sets(name):
    """The parameter sets worth trying for one activation, all read from its record:
    the defaults, every preset, each end of every slider and every choice."""
    act = acts.get(name)
    sets = [{}, *act.presets.values()]
    for pname, spec in act.params.items():
        if spec.choices is not None:
            sets += [{pname: c} for c in spec.choices]
        elif spec.is_tuple:
            k = len(spec.default)
            sets += [{pname: (spec.low,) * k}, {pname: (spec.high,) * k}]
        else:
            low = spec.low if not (spec.open_min and spec.low == spec.minimum) else spec.low + 1e-3
            sets += [{pname: low}, {pname: spec.high}]
    unique = []
    for params in sets:
        if params not in unique:
            unique.append(params)
    return unique


def activation_cases():
    for name in acts.names():
        for i, params in enumerate(activation_param_sets(name)):
            yield pytest.param(name, params, id=f"{name}-defaults" if not params else f"{name}-params{i}")

"""The public API contract of COURSE.md, checked for every registered name."""

import re

import numpy as np
import pytest

import acts

FAMILIES = {"saturated", "unsaturated", "mobile_friendly", "learnable"}
CONTRACT_NAMES = {  # the names COURSE.md promises; more are welcome
    "sigmoid", "tanh", "hard_sigmoid", "relu", "relu6", "leaky_relu", "prelu", "elu",
    "selu", "swish", "mish", "hard_swish", "maxout", "gelu", "softplus",
}


def test_every_promised_name_is_registered():
    assert CONTRACT_NAMES <= set(acts.names())
    assert len(acts.names()) == len(set(acts.names()))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_names_by_family_is_a_nonempty_ordered_subset(family):
    members = acts.names(family=family)
    assert members
    everything = acts.names()
    assert members == [n for n in everything if n in members]
    assert all(family in acts.get(n).families for n in members)


@pytest.mark.parametrize("name", acts.names())
def test_record_metadata(name):
    act = acts.get(name)
    assert act.name == name
    assert act.family in FAMILIES and act.family == act.families[0]
    assert act.title and act.formula and act.reference
    assert "\\" in act.formula or "=" in act.formula  # LaTeX
    assert getattr(acts, name) is act  # the module-level shortcut
    for pname, spec in act.params.items():
        assert isinstance(spec, acts.Param)
        assert spec.doc, f"{name}.{pname} has no doc"
        if spec.choices is None:
            assert spec.low < spec.high
            lows = np.atleast_1d(spec.default)
            assert np.all((spec.low <= lows) & (lows <= spec.high)), f"{name}.{pname} default outside slider range"


@pytest.mark.parametrize("name", acts.names())
def test_shapes_and_param_grads(name):
    act = acts.get(name)
    x = np.linspace(-4, 4, 24).reshape(2, 3, 4)
    assert act(x).shape == x.shape
    assert act.grad(x).shape == x.shape
    grads = act.param_grads(x)
    assert isinstance(grads, dict)
    numeric = {p for p, s in act.params.items() if s.choices is None}
    assert set(grads) == numeric
    for pname, g in grads.items():
        spec = act.params[pname]
        expected = x.shape + ((len(spec.default),) if spec.is_tuple else ())
        assert g.shape == expected, (pname, g.shape)


@pytest.mark.parametrize("name", acts.names())
def test_docstring_carries_formula_and_paper(name):
    act = acts.get(name)
    doc = act.fn.__doc__ or ""
    assert ":math:" in doc, f"{name}: no formula in the docstring"
    year = re.search(r"\b(1[89]|20)\d\d\b", act.reference).group(0)
    assert year in doc, f"{name}: the docstring does not cite the paper of {year} that the registry names"


@pytest.mark.parametrize("name", acts.names())
def test_value_and_grad_agrees_with_the_separate_calls(name):
    act = acts.get(name)
    x = np.linspace(-8, 8, 101).astype(np.float32)
    value, slope = act.value_and_grad(x)
    assert np.array_equal(value, act(x)) and np.array_equal(slope, act.grad(x))
    assert value.dtype == slope.dtype == np.float32


@pytest.mark.parametrize("name", acts.names())
def test_formula_renders_in_matplotlib_mathtext(name):
    """Figure titles and the cheat sheet draw the registry's formula with mathtext (no LaTeX install)."""
    from matplotlib.mathtext import MathTextParser

    MathTextParser("path").parse(f"${acts.get(name).formula}$")


@pytest.mark.parametrize("name", acts.names())
def test_default_initialisation_is_a_known_scheme(name):
    assert acts.get(name).init in acts.registry.INITS == ("he", "xavier", "lecun")
    assert getattr(acts, name).init == acts.get(name).init  # the shortcut is the record

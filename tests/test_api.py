"""The public API contract of COURSE.md and the records of the registry, checked for every registered name."""

import doctest
import re

import mpmath as mp
import numpy as np
import pytest
from reference import REFERENCE

import acts
from acts import functions as F

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
    assert act.title and act.used_in
    assert re.search(r"\b(1[89]|20)\d\d\b", act.reference), f"{name}: no year in the paper {act.reference!r}"
    assert getattr(acts, name) is act  # the module-level shortcut
    for pname, spec in act.params.items():
        assert isinstance(spec, acts.Param)
        assert spec.doc, f"{name}.{pname} has no doc"
        if spec.choices is None:
            assert spec.low < spec.high
            lows = np.atleast_1d(spec.default)
            assert np.all((spec.low <= lows) & (lows <= spec.high)), f"{name}.{pname} default outside slider range"


@pytest.mark.parametrize("name", acts.names())
def test_presets_are_allowed_parameter_values(name):
    act = acts.get(name)
    for what, preset in act.presets.items():
        assert what and set(preset) <= set(act.params)
        act(np.linspace(-3, 3, 7), **preset)  # raises if a value is not allowed


# Canonical values a slider must land on exactly (facts file; the issue of the figures):
# the step grid from the slider's low end reaches each of them.
ON_THE_GRID = {
    ("hard_sigmoid", "slope"): (1 / 6, 0.2, 0.5),
    ("prelu", "alpha"): (0.0, 0.01, 0.25, 0.5),
    ("leaky_relu", "slope"): (0.01, 0.2, 0.3, 0.5),
    ("elu", "alpha"): (1.0,),
    ("swish", "beta"): (0.0, 0.5, 1.0),
    ("relu6", "cap"): (6.0,),
    ("softplus", "beta"): (1.0,),
}


@pytest.mark.parametrize(("name", "pname"), sorted(ON_THE_GRID))
def test_slider_grid_lands_on_the_canonical_values(name, pname):
    spec = acts.get(name).params[pname]
    for value in ON_THE_GRID[(name, pname)]:
        k = (value - spec.low) / spec.step
        assert abs(k - round(k)) < 1e-9, f"{name}.{pname}: {value} is off the grid {spec.low} + k {spec.step}"
        assert value in acts.get(name).marks(pname)


@pytest.mark.parametrize("name", acts.names())
def test_every_mark_is_a_slider_value(name):
    act = acts.get(name)
    for pname, spec in act.params.items():
        if spec.choices is not None or spec.is_tuple:
            continue
        values = act.slider_values(pname)
        assert values == sorted(values) and values[0] == spec.low and values[-1] == pytest.approx(spec.high)
        for mark in act.marks(pname):
            assert mark in values, f"{name}.{pname}: {mark} is no slider value"
    if name == "selu":  # its constants are off any decimal grid, so they are added to it
        assert F.SELU_SCALE in act.slider_values("scale") and 2.0 in act.slider_values("scale")


@pytest.mark.parametrize("name", acts.names())
def test_default_initialisation_is_a_known_scheme(name):
    assert acts.get(name).init in acts.registry.INITS == ("he", "xavier", "lecun")
    assert getattr(acts, name).init == acts.get(name).init  # the shortcut is the record


def test_default_initialisations_are_the_textbook_ones():
    """LeCun for SELU (Klambauer et al. 2017), Xavier for the saturating functions (Glorot & Bengio
    2010), He for the rectifiers (He et al. 2015)."""
    inits = {name: acts.get(name).init for name in acts.names()}
    assert inits["selu"] == "lecun"
    assert {inits[n] for n in ("sigmoid", "tanh", "hard_sigmoid")} == {"xavier"}
    assert {inits[n] for n in ("relu", "leaky_relu", "prelu", "elu", "relu6", "gelu", "swish")} == {"he"}


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


def test_docstring_examples_are_right():
    """The examples in acts/functions/ (hand-computed values) run and print what they say."""
    import importlib

    attempted = 0
    for module in F.MODULES:
        result = doctest.testmod(importlib.import_module(f"acts.functions.{module}"),
                                 optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module
        attempted += result.attempted
    assert attempted >= len(acts.names())


@pytest.mark.parametrize("name", acts.names())
def test_value_and_grad_against_the_reference(name):
    """value_and_grad gives f and f' (against the 50-digit reference) in x's dtype."""
    act = acts.get(name)
    x = np.array([-7.25, -1.5, -0.3, 0.45, 2.2, 9.5])
    value, slope = act.value_and_grad(x.astype(np.float32))
    assert value.dtype == slope.dtype == np.float32
    value, slope = act.value_and_grad(x)
    exact = [REFERENCE[name](mp.mpf(v)) for v in x]
    exact_slope = [mp.diff(REFERENCE[name], mp.mpf(v)) for v in x]
    np.testing.assert_allclose(value, np.array(exact, dtype=float), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(slope, np.array(exact_slope, dtype=float), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", acts.names())
def test_formula_renders_in_matplotlib_mathtext(name):
    """Figure titles and the cheat sheet draw the registry's formula with mathtext (no LaTeX install)."""
    from matplotlib.mathtext import MathTextParser

    MathTextParser("path").parse(f"${acts.get(name).formula}$")


def test_register_refuses_a_bad_record():
    def value(x):
        """No formula and no paper."""
        return x

    with pytest.raises(ValueError, match=r"register\(\): an activation called .relu. is already registered"):
        acts.register("relu", title="ReLU", families=("unsaturated",), value=F.relu, grad=F.relu_grad)
    with pytest.raises(ValueError, match=r"family 'smooth'.*init must be one of.*got 'glorot'.*'\.\. math::' line"):
        acts.register("identity", title="Identity", families=("smooth",), value=value, grad=value, init="glorot")
    assert "identity" not in acts.names()
    with pytest.raises(KeyError, match="unknown activation 'identity'"):
        acts.unregister("identity")


# ---------------------------------------------------------------- one place to add an activation


def softsign(x):
    r"""Softsign: x / (1 + |x|), a sigmoid-shaped curve with polynomial tails.

    .. math:: \mathrm{softsign}(x) = \frac{x}{1 + |x|}

    Args:
        x: float array.

    Paper: Bergstra, Desjardins, Lamblin & Bengio 2009, Quadratic polynomials learn better image features
    """
    r = 1.0 / (1.0 + np.abs(x))
    # for |x| > 1 it is sign(x) (1 - r), which also gives +-1 at +-inf (x r would be inf * 0 there)
    return np.where(np.abs(x) > 1.0, np.copysign(1.0 - r, x), np.clip(x, -1.0, 1.0) * r)


def softsign_grad(x):
    """1 / (1 + |x|)^2."""
    r = 1.0 / (1.0 + np.abs(x))
    return r * r


@pytest.fixture
def with_softsign():
    """Softsign registered for one test (its record and its 50-digit reference), then removed."""
    from reference import register_reference, unregister_reference

    act = acts.register("softsign", title="Softsign", families=("saturated",), value=softsign, grad=softsign_grad,
                        used_in="a throwaway activation of the tests", init="xavier")
    register_reference("softsign", lambda x: x / (1 + abs(x)))
    yield act
    acts.unregister("softsign")
    unregister_reference("softsign")


def test_an_activation_is_added_in_one_place(with_softsign):
    """register() (with the reference for the tests) is the only edit: names, shortcut, explorer,
    network and property table find it, and the accuracy and numerics tests reach it."""
    import test_accuracy
    import test_numerics

    from acts import nn, widgets

    assert acts.names()[-1] == "softsign" and "softsign" in acts.names("saturated")
    assert acts.softsign is with_softsign and acts.get("softsign").init == "xavier"
    assert acts.get("softsign").formula.startswith(r"\mathrm{softsign}") and "2009" in acts.get("softsign").reference

    # the accuracy and numerics tests, on softsign through its 50-digit reference
    test_accuracy.test_values_match_mpmath("softsign", {})
    test_accuracy.test_derivatives_match_high_precision_differences("softsign", {})
    test_accuracy.test_relative_accuracy_near_zero_and_in_the_tails("softsign", {})
    test_accuracy.test_parameter_gradients_match_high_precision_differences("softsign", {})
    for dtype in test_numerics.DTYPES:
        test_numerics.test_no_warning_dtype_kept_nan_propagates("softsign", dtype, lambda name: [{}])
    test_numerics.test_scalars_give_0d_and_integers_become_float64("softsign")
    test_numerics.test_limits_at_infinity("softsign")

    # the explorer builds its view, and a network with softsign units trains a step
    explorer = widgets.explore("softsign")
    readout = " ".join(re.sub(r"<[^>]+>", " ", explorer.readout.value).split())
    assert "f(0) 0 f'(0) 1 " in readout  # by hand: softsign(0) = 0, softsign'(0) = 1 / (1 + 0)^2 = 1
    X = np.random.default_rng(0).normal(size=(32, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    net = nn.MLP([2, 8, 2], activation="softsign", seed=0)
    before = net.loss(net.forward(X), y)[0]
    history = nn.train(net, X, y, steps=5, lr=0.05)
    assert np.isfinite(history.loss).all() and net.loss(net.forward(X), y)[0] < before

    analysis = pytest.importorskip("acts.analysis", reason="acts.analysis (the property table) is not there yet")
    if not hasattr(analysis, "property_table"):
        pytest.skip("acts.analysis.property_table is not there yet (issue #15)")
    rows = analysis.property_table(["softsign"])
    assert rows[0]["name"] == "softsign" and rows[0]["reference"] == acts.get("softsign").reference


def test_the_course_is_left_as_it_was():
    assert "softsign" not in acts.names() and "softsign" not in REFERENCE
    with pytest.raises(AttributeError):
        acts.softsign  # noqa: B018

"""acts.timing: shapes of the results only (tests never assert on speed)."""

import numpy as np

import acts
from acts import timing


def test_time_per_element_is_positive_and_finite():
    t = timing.time_per_element("sigmoid", n=1000, repeat=2)
    assert np.isfinite(t) and t > 0
    assert timing.time_per_element(np.exp, n=1000, repeat=1) > 0


def test_relative_cost_covers_every_name_and_keeps_params():
    costs = timing.relative_cost(acts.names(family="saturated"), n=1000, repeat=1)
    assert list(costs) == acts.names(family="saturated")
    assert all(np.isfinite(v) and v > 0 for v in costs.values())
    assert timing.time_per_element("swish", n=1000, repeat=1, beta=2.0) > 0

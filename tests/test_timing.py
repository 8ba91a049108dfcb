"""acts.timing: shapes of the results and the arithmetic of the timer (tests never assert on speed)."""

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


def test_best_time_is_per_call_and_calls_number_times_repeat(monkeypatch):
    """With a fake clock that advances 1 s per call, every timing is exactly 1 s per call."""
    clock = {"now": 0.0}
    calls = []
    monkeypatch.setattr(timing.time, "perf_counter", lambda: clock["now"])

    def fn():
        calls.append(1)
        clock["now"] += 1.0

    assert timing.best_time(fn, repeat=3, number=4) == 1.0
    assert len(calls) == 12


def test_best_times_takes_each_functions_best_round_after_a_warm_up(monkeypatch):
    """Each function's cost falls by one round after round: the best is the last round's,
    and the warm-up round (the most expensive) never counts."""
    clock = {"now": 0.0}
    monkeypatch.setattr(timing.time, "perf_counter", lambda: clock["now"])
    costs = {"a": [5.0, 4.0, 3.0], "b": [9.0, 1.0, 2.0]}

    def make(label):
        def fn():
            clock["now"] += costs[label].pop(0)
        return fn

    best = timing.best_times({"a": make("a"), "b": make("b")}, repeat=2)
    assert best == {"a": 3.0, "b": 1.0}


def test_best_times_warm_calls_each_function_once_before_timing_it():
    calls = []
    timing.best_times({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, repeat=1, warm=True)
    assert calls == ["a", "a", "b", "b"] * 2  # warm-up round and one timed round, each call preceded by an untimed one

"""Notebook 07: the bake-off, the computed cheat sheet, the framework tables, and the exercises.

Speed is never asserted; only shapes, determinism and values that follow from the mathematics.
"""

import math

import numpy as np
import pytest

import acts
from acts import check
from acts.exercises import ex07_choosing as ex
from acts.experiments import choosing

NAMES = ["relu", "tanh", "prelu", "maxout"]


@pytest.fixture(scope="module")
def tasks():
    return {name: choosing.make_task(name) for name in ("spirals", "sine")}


@pytest.fixture(scope="module")
def small(tasks):
    """A tiny bake-off on both tasks: four activations (one learnable, maxout), two seeds, a few steps."""
    return {name: choosing.bake_off(task, 0.03, names=NAMES, seeds=(0, 1), steps=6, workers=1)
            for name, task in tasks.items()}


def fake(scores, names=("relu", "swish", "mish"), kind="spirals"):
    """A BakeOff with chosen scores (rows: names, columns: seeds)."""
    task = choosing.make_task(kind)
    scores = np.asarray(scores, dtype=float)
    n, s = scores.shape
    return choosing.BakeOff(task, list(names), tuple(range(s)), 3, 0.03, loss=np.ones((n, s, 3)), score=scores,
                            dead=np.zeros((n, s)), seconds_per_step=np.full((n, s), 1e-3))


# ---------------------------------------------------------------- tasks and training


def test_tasks_have_separate_train_validation_and_test_sets(tasks):
    spirals, sine = tasks["spirals"], tasks["sine"]
    assert spirals.sizes == (2, choosing.HIDDEN, choosing.HIDDEN, 3) and sine.sizes == (1, choosing.HIDDEN,
                                                                                        choosing.HIDDEN, 1)
    assert spirals.higher_is_better and not sine.higher_is_better
    assert len(spirals.X) == 150 and len(spirals.X_val) == 300 and len(spirals.X_test) == 600
    assert not np.array_equal(spirals.X[:10], spirals.X_test[:10])
    np.testing.assert_allclose(sine.y_test, np.sin(sine.X_test[:, 0]))  # scored against the noise-free target
    with pytest.raises(ValueError, match="spirals"):
        choosing.make_task("moons")


def test_maxout_gets_two_pieces(tasks):
    net = choosing.build_net(tasks["spirals"], "maxout", seed=0)
    assert net.layers[0].weight.shape[0] == 2


def test_bake_off_shapes_and_values(small):
    for result in small.values():
        assert result.names == NAMES and result.seeds == (0, 1)
        assert result.loss.shape == (4, 2, 6) and result.score.shape == (4, 2)
        assert np.isfinite(result.loss).all() and np.isfinite(result.score).all()
        assert ((result.dead >= 0) & (result.dead <= 1)).all()
        assert (result.seconds_per_step > 0).all()
        assert result.dead[result.index("maxout")].max() == 0  # a maxout unit always has a winning piece
    assert ((small["spirals"].score >= 0) & (small["spirals"].score <= 1)).all()


def test_parallel_and_serial_runs_agree_and_report_progress(tasks):
    calls = {1: [], 2: []}
    runs = {w: choosing.bake_off(tasks["sine"], 0.03, names=["relu", "swish"], seeds=(0, 1), steps=5, workers=w,
                                 progress=lambda done, total, w=w: calls[w].append((done, total)))
            for w in (1, 2)}
    np.testing.assert_array_equal(runs[1].loss, runs[2].loss)
    np.testing.assert_array_equal(runs[1].score, runs[2].score)
    for w in (1, 2):
        assert calls[w][-1] == (20, 20)
        done = [d for d, _ in calls[w]]
        assert done == sorted(done)


def test_tune_lr_and_best_lr(tasks):
    sweep = choosing.tune_lr(tasks["spirals"], lrs=(0.01, 0.1), steps=5)
    assert list(sweep) == [0.01, 0.1]
    assert choosing.best_lr({0.01: 0.5, 0.1: 0.7}, tasks["spirals"]) == 0.1  # accuracy: higher wins
    assert choosing.best_lr({0.01: 0.5, 0.1: 0.7}, tasks["sine"]) == 0.01  # MSE: lower wins


def test_longer_budget_matches_the_bake_off_at_the_short_budget(tasks, small):
    longer = choosing.longer_budget(tasks["spirals"], 0.03, ["tanh"], factor=2, seed=0, steps=6)
    early, late = longer["tanh"]
    assert early == small["spirals"].score[small["spirals"].index("tanh"), 0]
    assert 0 <= late <= 1


def test_wins_ranking_and_sentences():
    r = fake([[0.80, 0.85, 0.90], [0.86, 0.87, 0.91], [0.70, 0.95, 0.60]])
    assert r.wins_against("swish") == 3 and r.wins_against("mish") == 1
    assert r.ranking() == ["swish", "relu", "mish"]
    assert "Swish / SiLU (0.880)" in choosing.headline(r)
    assert "1 of the 2 others have a mean inside ReLU's range" in choosing.headline(r)  # swish 0.88 is inside
    assert choosing.versus([r], "mish") == "Mish beats ReLU on spirals 1 of 3 seeds (mean 0.750 vs 0.850)"
    groups = choosing.against_baseline([r])
    assert groups == {"better on every seed": ["swish"], "mixed": ["mish"], "worse on every seed": []}
    mse = fake([[0.01, 0.02], [0.005, 0.03]], names=("relu", "gelu"), kind="sine")
    assert mse.wins_against("gelu") == 1 and mse.ranking() == ["relu", "gelu"]


def test_tables_list_every_activation(small):
    text = choosing.results_table(small["spirals"], small["sine"])
    lines = text.splitlines()
    assert len(lines) == 2 + len(NAMES)
    assert all(acts.get(n).title in text for n in NAMES)
    assert "| ReLU |" in text and "—" in text  # ReLU does not play against itself
    timing = choosing.timing_table(small["spirals"])
    assert timing.splitlines()[2 + NAMES.index("relu")].endswith("| 1.0 |")


def test_figures(small, tasks):
    fig = choosing.plot_loss_curves(small["spirals"], small["sine"])
    families = {acts.get(n).family for n in NAMES}
    assert len(fig.axes) == 2 * len(families)
    assert len(choosing.plot_scores(small["spirals"], small["sine"]).axes) == 2
    assert len(choosing.plot_tasks(tasks).axes) == 2


def test_progress_bar():
    bar = choosing.ProgressBar("x")
    bar.update(5, 20)
    assert bar.widget.value == 0.25 and bar.widget.description == "x"


# ---------------------------------------------------------------- the cheat sheet


@pytest.mark.parametrize(("name", "expected"), [
    ("sigmoid", "(0, 1)"), ("tanh", "(-1, 1)"), ("hard_sigmoid", "[0, 1]"), ("relu", "[0, ∞)"),
    ("relu6", "[0, 6]"), ("leaky_relu", "(-∞, ∞)"), ("elu", "(-1, ∞)"), ("selu", "(-1.758, ∞)"),
    ("swish", "[-0.2785, ∞)"), ("mish", "[-0.3088, ∞)"), ("gelu", "[-0.1700, ∞)"), ("softplus", "(0, ∞)"),
    ("hard_swish", "[-0.3750, ∞)"),
])
def test_value_range(name, expected):
    assert choosing.value_range(name) == expected


def test_value_range_follows_parameters():
    assert choosing.value_range("relu6", cap=3.0) == "[0, 3]"
    assert choosing.value_range("elu", alpha=2.0) == "(-2, ∞)"


def test_gaussian_means():
    assert choosing.gaussian_mean("relu") == pytest.approx(1 / math.sqrt(2 * math.pi), abs=1e-7)
    assert choosing.gaussian_mean("gelu") == pytest.approx(1 / (2 * math.sqrt(math.pi)), abs=1e-7)  # E[z Phi(z)]
    assert choosing.gaussian_mean("selu") == pytest.approx(0.0, abs=1e-7)  # the self-normalising fixed point
    assert choosing.gaussian_mean("sigmoid") == pytest.approx(0.5, abs=1e-9)
    assert choosing.zero_centred("tanh")["zero_centred"] and not choosing.zero_centred("elu")["zero_centred"]
    assert choosing.zero_centred("softplus")["f0"] == pytest.approx(math.log(2))


def test_monotonic():
    assert choosing.monotonic("relu") == "yes" and choosing.monotonic("sigmoid") == "yes"
    assert choosing.monotonic("swish") == "no: f' < 0 for x < -1.28"
    assert choosing.monotonic("gelu") == "no: f' < 0 for x < -0.752"
    assert choosing.monotonic("hard_swish") == "no: f' < 0 on (-3, -1.5)"


def test_smoothness():
    assert choosing.smoothness("gelu") == "yes" and choosing.smoothness("tanh") == "yes"
    assert choosing.smoothness("elu") == "C¹ only: f'' jumps at 0"  # alpha = 1: f' continuous, f'' not
    assert choosing.smoothness("elu", alpha=2.0) == "no: kink at 0"
    assert choosing.smoothness("relu6") == "no: kinks at 0, 6"
    jumps = choosing.derivative_jumps("selu")[0.0]
    assert jumps[0] == pytest.approx(acts.selu.params["scale"].default * acts.selu.params["alpha"].default)
    assert jumps[1] == pytest.approx(acts.selu.params["scale"].default)


def test_saturation():
    assert choosing.saturation("sigmoid") == {"left": "soft", "right": "soft"}
    assert choosing.saturation("tanh") == {"left": "soft", "right": "soft"}
    assert choosing.saturation("relu") == {"left": "hard", "right": "none"}
    assert choosing.saturation("relu6") == {"left": "hard", "right": "hard"}
    assert choosing.saturation("leaky_relu") == {"left": "none", "right": "none"}
    assert choosing.saturation("elu") == {"left": "soft", "right": "none"}
    assert choosing.saturation_text({"left": "soft", "right": "soft"}) == "soft, both sides"
    assert choosing.saturation_text({"left": "hard", "right": "none"}) == "hard, left"
    assert choosing.saturation_text({"left": "none", "right": "none"}) == "none"


def test_cheat_sheet_covers_the_registry():
    costs = {name: 1.0 for name in acts.names()}
    rows = choosing.cheat_sheet(costs=costs)
    assert [r["name"] for r in rows] == acts.names()
    assert set(rows[0]) == {"name", "title", "family", "range", "f0", "mean", "zero_centred", "monotonic", "smooth",
                            "saturation", "cost", "params", "learnable", "used_in", "reference"}
    by_name = {r["name"]: r for r in rows}
    assert by_name["prelu"]["learnable"] == "alpha" and by_name["relu"]["params"] == "—"
    assert by_name["maxout"]["params"] == "weights = (1, 0), biases = (0, 0)"
    assert by_name["hard_sigmoid"]["params"] == "slope = 0.1667"
    table = choosing.cheat_sheet_table(rows, list(choosing.COLUMNS))
    assert len(table.splitlines()) == 2 + len(acts.names())
    assert "| Tanh | (-1, 1) | 0 | 0.000 | yes |" in table  # no "-0.000"


def test_markdown_table_escapes_pipes():
    assert choosing.markdown_table(["a"], [["x | y"]]).splitlines()[-1] == "| x \\| y |"


def test_measure_costs_is_relative_to_relu():
    costs = choosing.measure_costs(["sigmoid", "relu"], n=1000, repeat=2)
    assert list(costs) == ["sigmoid", "relu"] and costs["relu"] == 1.0 and costs["sigmoid"] > 0


# ---------------------------------------------------------------- framework conventions


def test_convention_tables():
    conventions = choosing.conventions_table()
    assert conventions.count("\n") == 1 + len(choosing.CONVENTIONS)
    assert "0.2x + 0.5" in conventions
    kinks = choosing.kink_table()
    assert "| Leaky ReLU at 0 | slope (0.01) | 1 | slope | 0.01 |" in kinks
    assert "| SELU at 0 | scale × alpha ≈ 1.758 | ≈ 1.758 | scale ≈ 1.051 | 1.758 |" in kinks
    assert "| hard-swish at -3, +3 | 0, 1 | 0, 1 | 0, 1 | 0, 1 |" in kinks


def test_leaky_slopes_agree_with_the_registry():
    assert choosing.LEAKY_SLOPES["PyTorch (F.leaky_relu)"] == acts.leaky_relu.params["slope"].default
    assert sorted(set(choosing.LEAKY_SLOPES.values())) == [0.01, 0.2, 0.3]


# ---------------------------------------------------------------- exercises: right, wrong, untouched, never raises


def status(verdict):
    return verdict.status


def test_gap_or_spread():
    wide = fake([[0.80, 0.85, 0.90], [0.86, 0.87, 0.91], [0.70, 0.95, 0.60]])  # gap 0.03 < spread 0.10
    assert status(ex.gap_or_spread("no", wide)) == check.CORRECT
    assert status(ex.gap_or_spread("yes", wide)) == check.WRONG
    narrow = fake([[0.80, 0.81, 0.80], [0.90, 0.91, 0.92], [0.7, 0.7, 0.7]])
    assert status(ex.gap_or_spread("yes", narrow)) == check.CORRECT
    assert status(ex.gap_or_spread(..., narrow)) == check.NOT_ATTEMPTED
    assert status(ex.gap_or_spread("maybe", narrow)) == check.WRONG
    assert status(ex.gap_or_spread("yes", None)) == check.WRONG  # a wrong second argument: a verdict, no error


def test_smooth_non_monotonic():
    assert status(ex.smooth_non_monotonic("gelu")) == check.CORRECT
    assert status(ex.smooth_non_monotonic("elu")) == check.WRONG
    assert status(ex.smooth_non_monotonic("hard_swish")) == check.WRONG
    assert status(ex.smooth_non_monotonic(...)) == check.NOT_ATTEMPTED
    assert status(ex.smooth_non_monotonic(3)) == check.WRONG


def test_keras_leaky_layer():
    assert status(ex.keras_leaky_layer(-1.5)) == check.CORRECT
    assert status(ex.keras_leaky_layer(-1.0)) == check.WRONG  # slope 0.2: the function, not the layer
    assert status(ex.keras_leaky_layer(-0.05)) == check.WRONG  # PyTorch's slope
    assert status(ex.keras_leaky_layer(...)) == check.NOT_ATTEMPTED
    assert status(ex.keras_leaky_layer("a lot")) == check.WRONG


def test_microcontroller():
    assert status(ex.microcontroller("relu6")) == check.CORRECT
    assert status(ex.microcontroller("gelu")) == check.WRONG
    assert status(ex.microcontroller(None)) == check.NOT_ATTEMPTED
    assert status(ex.microcontroller(["relu6"])) == check.WRONG

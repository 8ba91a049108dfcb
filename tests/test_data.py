"""acts.data: shapes, labels, seeds, the geometry of each set, and clear errors."""

import numpy as np
import pytest

from acts import data

CLASSIFICATION = {
    "xor": data.xor,
    "moons": data.moons,
    "circles": data.circles,
    "spirals": lambda n, noise, seed: data.spirals(n, classes=3, noise=noise, seed=seed),
}


@pytest.mark.parametrize("name", sorted(CLASSIFICATION))
def test_shapes_dtypes_and_balanced_labels(name):
    X, y = CLASSIFICATION[name](n=101, noise=0.1, seed=0)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert len(counts) == (3 if name == "spirals" else 2)
    assert counts.max() - counts.min() <= 1
    assert np.isfinite(X).all()


@pytest.mark.parametrize("name", sorted(CLASSIFICATION))
def test_same_seed_same_data_other_seed_other_data(name):
    make = CLASSIFICATION[name]
    X1, y1 = make(n=50, noise=0.1, seed=3)
    X2, y2 = make(n=50, noise=0.1, seed=3)
    X3, _ = make(n=50, noise=0.1, seed=4)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_xor_labels_follow_the_quadrants_without_noise():
    X, y = data.xor(200, noise=0.0, seed=1)
    assert np.array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    assert np.abs(X).max() <= 1


def test_circles_radii_without_noise():
    X, y = data.circles(200, noise=0.0, factor=0.3, seed=1)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(radius[y == 0], 1.0) and np.allclose(radius[y == 1], 0.3)


def test_moons_lie_on_their_half_circles_without_noise():
    X, y = data.moons(200, noise=0.0, seed=1)
    upper, lower = X[y == 0], X[y == 1]
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0) and (upper[:, 1] >= 0).all()
    assert np.allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0) and (lower[:, 1] <= 0.5).all()


def test_spiral_arms_are_rotated_copies_without_noise():
    X, y = data.spirals(300, classes=3, noise=0.0, seed=2)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius.max() <= 1
    angle = np.arctan2(X[:, 1], X[:, 0])
    expected = 2 * np.pi * (y / 3 + 1.25 * radius)
    assert np.allclose(np.exp(1j * angle), np.exp(1j * expected))


@pytest.mark.parametrize("target, f", [("sine", np.sin), ("abs", np.abs), ("square", np.square)])
def test_regression_targets(target, f):
    X, y = data.regression(target, n=50, noise=0.0, low=-2, high=2)
    assert X.shape == (50, 1) and y.shape == (50,)
    assert np.array_equal(X[:, 0], np.linspace(-2, 2, 50))
    assert np.allclose(y, f(X[:, 0]))
    _, noisy = data.regression(target, n=50, noise=0.1, low=-2, high=2, seed=1)
    assert 0.05 < np.std(noisy - y) < 0.2


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: data.xor(0), "n must be"),
        (lambda: data.moons(2.5), "n must be"),
        (lambda: data.circles(10, noise=-1), "noise must be"),
        (lambda: data.circles(10, factor=1.5), "factor must be"),
        (lambda: data.spirals(10, classes=1), "classes must be"),
        (lambda: data.spirals(2, classes=3), "n must be"),
        (lambda: data.spirals(10, noise=float("nan")), "noise must be"),
        (lambda: data.regression("cube"), "target must be one of"),
        (lambda: data.regression("sine", low=1, high=0), "low and high"),
    ],
)
def test_bad_arguments_are_named(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# ---------------------------------------------------------------- the handwritten digits


def test_digits_shape_range_and_class_counts():
    X, y = data.digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.all((X * 16) == np.round(X * 16))  # the original counts 0..16, divided by 16
    # the class counts of UCI's optdigits.tes
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_file_matches_its_checksum_and_its_readme():
    import hashlib
    from importlib import resources

    raw = resources.files("acts").joinpath(data.DIGITS_FILE).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == data.DIGITS_SHA256
    readme = resources.files("acts").joinpath("datasets/README.md").read_text()
    assert data.DIGITS_SHA256 in readme and "CC BY 4.0" in readme


def test_a_damaged_digits_file_is_named(monkeypatch):
    monkeypatch.setattr(data, "DIGITS_SHA256", "0" * 64)
    with pytest.raises(OSError, match=r"digits\.csv\.gz is damaged: its SHA-256 is 09f66e6d.*reinstall"):
        data.digits()


def test_a_small_mlp_learns_the_digits():
    from acts import nn

    X, y = data.digits()
    X_train, y_train, X_test, y_test = data.split(X, y, test=0.3, seed=0)
    net = nn.MLP([64, 32, 10], activation="relu", seed=0)
    nn.train(net, X_train, y_train, steps=150, lr=0.01)
    assert nn.accuracy(net, X_test, y_test) > 0.9


def test_split_keeps_every_class_share_and_every_row_once():
    X, y = data.digits()
    X_train, y_train, X_test, y_test = data.split(X, y, test=0.25, seed=1)
    assert len(y_train) + len(y_test) == len(y)
    assert np.array_equal(np.sort(np.concatenate([y_train, y_test])), np.sort(y))
    share = np.bincount(y_test, minlength=10) / np.bincount(y)
    assert np.all(np.abs(share - 0.25) < 0.01)
    together = np.column_stack([np.concatenate([X_train, X_test]), np.concatenate([y_train, y_test])])
    original = np.column_stack([X, y])
    assert np.array_equal(np.unique(together, axis=0), np.unique(original, axis=0))  # the same rows, none invented
    with pytest.raises(ValueError, match=r"test must be a fraction between 0 and 1.*got 1\.5"):
        data.split(X, y, test=1.5)

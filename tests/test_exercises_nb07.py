"""The checks of notebook 07's exercises: right answers pass, typical slips get a hint."""
import numpy as np
import pytest
from exercise_testing import verdict
from scipy import signal


@pytest.mark.parametrize("key", ["07.1", "07.2", "07.3"])
def test_unanswered(capsys, key):
    result, out = verdict(capsys, key, None)
    assert result is None and "not answered yet" in out


# ---------------------------------------------------------------- 07.1


def gradient_with(derivative, flip=False, factor=1.0, mean=True):
    """A gradient function built from scipy, with a chosen per-pixel derivative (and slips)."""

    def gradient(image, kernel, target):
        error = signal.correlate(image, kernel, mode="valid") - target
        result = signal.correlate(image, derivative(error), mode="valid") * factor
        if mean:
            result = result / error.size
        return result[::-1, ::-1] if flip else result

    return gradient


def test_mae_gradient_right(capsys):
    assert verdict(capsys, "07.1", gradient_with(np.sign))[0] is True


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (gradient_with(lambda e: 2 * e), "gradient of the squared error"),
        (gradient_with(np.sign, factor=-1.0), "sign is flipped"),
        (gradient_with(np.sign, mean=False), "divide by the number of output pixels"),
        (gradient_with(np.sign, factor=2.0), "factor in front"),
        (gradient_with(np.sign, flip=True), "flipped by 180°"),
        (lambda image, kernel, target: np.zeros((2, 2)), "shape is the kernel's"),
        (gradient_with(np.abs), "squared-error gradient in the notebook"),
        (lambda image, kernel, target: "x", "finite numbers"),
        (42, "a function"),
    ],
)
def test_mae_gradient_hints(capsys, answer, hint):
    result, out = verdict(capsys, "07.1", answer)
    assert result is False and hint in out


# ---------------------------------------------------------------- 07.2
# Box blur then Sobel-x: the 5×5 kernel is the full convolution [1 1 1]ᵀ[1 1 1]/9 * Sobel-x.

COMBINED = signal.convolve2d(np.ones((3, 3)) / 9, np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]))


def test_combined_kernel_right(capsys):
    noisy = COMBINED + np.random.default_rng(0).uniform(-0.005, 0.005, size=(5, 5))
    assert verdict(capsys, "07.2", noisy)[0] is True


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (np.zeros((3, 3)), "two pixels from the centre"),
        (-COMBINED, "signs are flipped"),
        (COMBINED + 0.05, "take more gradient steps"),
        (np.pad(np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]), 1), "check the target"),
        ("kernel", "2-D array"),
    ],
)
def test_combined_kernel_hints(capsys, answer, hint):
    result, out = verdict(capsys, "07.2", answer)
    assert result is False and hint in out


# ---------------------------------------------------------------- 07.3


def test_parameter_count_right(capsys):
    assert verdict(capsys, "07.3", lambda n, k, c: n * (k * k * c + 1))[0] is True


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda n, k, c: n * k * k * c, "one bias"),
        (lambda n, k, c: n * (k * k + 1), "every input channel"),
        (lambda n, k, c: n * k * k, "for every input channel, and one bias"),
        (lambda n, k, c: n * (k * k * c + 1) + 1, "count again"),
        (lambda n, k, c: float(n * (k * k * c + 1)), "whole number"),
    ],
)
def test_parameter_count_hints(capsys, answer, hint):
    result, out = verdict(capsys, "07.3", answer)
    assert result is False and hint in out

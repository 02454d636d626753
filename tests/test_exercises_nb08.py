"""The checks of notebook 08's exercises: right answers pass, typical slips get a hint."""
import numpy as np
import pytest
from exercise_testing import verdict
from scipy import signal

import helpers
import helpers.learning
from helpers.exercises import ruled_out_calls
from helpers.learning import fit_kernels, mse_gradient, windows


@pytest.mark.parametrize("key", ["08.1", "08.2"])
def test_unanswered(capsys, key):
    result, out = verdict(capsys, key, None)
    assert result is None and "not answered yet" in out


# ---------------------------------------------------------------- 08.1


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
    assert verdict(capsys, "08.1", gradient_with(np.sign))[0] is True


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
    result, out = verdict(capsys, "08.1", answer)
    assert result is False and hint in out


def test_mae_gradient_the_notebooks_way_gets_an_accurate_hint(capsys):
    # The squared-error gradient is shown as helpers.correlate(x, error, border="valid"); with an
    # even-sized error map (a 12×10 image and a 5×5 kernel give 8×6) that call refuses the kernel.
    def as_shown(image, kernel, target):
        error = helpers.correlate(image, kernel, border="valid") - target
        return helpers.correlate(image, np.sign(error), border="valid") / error.size

    result, out = verdict(capsys, "08.1", as_shown)
    assert result is False and "got 8×6" in out
    assert "the error map is 8×6 here" in out and "scipy.signal.correlate" in out


def test_mae_gradient_scipy_way_passes(capsys):
    def with_scipy(image, kernel, target):
        error = signal.correlate(image, kernel, mode="valid") - target
        return signal.correlate(image, np.sign(error), mode="valid") / error.size

    assert verdict(capsys, "08.1", with_scipy)[0] is True


@pytest.mark.parametrize("key", ["08.1", "08.2"])
@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("my answer", "wants a function, but your answer is a str"),
        (np.zeros((5, 5)), "wants a function, but your answer is a ndarray"),
        (lambda *args: None, "returned None"),
        (lambda *args: [][0], "raised IndexError"),
    ],
)
def test_wrong_kinds_get_a_sentence(capsys, key, answer, expected):
    result, out = verdict(capsys, key, answer)
    assert result is False and expected in out and "Traceback" not in out


# ---------------------------------------------------------------- 08.2
# learn_5x5(image, target): the check runs it on examples made with kernels the notebook never used.

BOX = np.ones((3, 3)) / 9
SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)
COMBINED = signal.convolve2d(BOX, SOBEL_X)  # box then Sobel-x: the notebook's own target


def descend(image, target, steps=400, rate=0.1, sign=1.0):
    kernel = np.zeros((5, 5))
    for _ in range(steps):
        kernel -= sign * rate * mse_gradient(image, kernel, target)
    return kernel


def test_learn_5x5_right(capsys):
    assert verdict(capsys, "08.2", descend)[0] is True


def test_learn_5x5_another_step_size_passes(capsys):
    # Any step size below the divergence limit, with enough steps, is a right answer.
    assert verdict(capsys, "08.2", lambda image, target: descend(image, target, steps=150, rate=0.3))[0] is True


def _with_convolve2d(image, target):
    return signal.convolve2d(helpers.box(3), helpers.KERNELS["sobel_x"])


def _with_scipy_convolve(image, target):
    return signal.convolve(helpers.box(3), helpers.KERNELS["sobel_x"])


def _with_fit_kernels(image, target):
    return fit_kernels(image, target, size=5, steps=400, learning_rate=0.1).kernels


def _with_helpers_fit_kernels(image, target):
    return helpers.learning.fit_kernels(image, target, size=5, steps=400).kernels


def _with_lstsq(image, target):
    return np.linalg.lstsq(windows(image, 5), target.ravel(), rcond=None)[0].reshape(5, 5)


def _with_pinv(image, target):
    return (np.linalg.pinv(windows(image, 5)) @ target.ravel()).reshape(5, 5)


def _with_solve(image, target):
    patches = windows(image, 5)
    return np.linalg.solve(patches.T @ patches, patches.T @ target.ravel()).reshape(5, 5)


def _with_inv(image, target):
    patches = windows(image, 5)
    return (np.linalg.inv(patches.T @ patches) @ patches.T @ target.ravel()).reshape(5, 5)


@pytest.mark.parametrize(
    ("answer", "label"),
    [
        (_with_convolve2d, "scipy.signal.convolve2d"),
        (_with_scipy_convolve, "scipy.signal.convolve"),
        (_with_fit_kernels, "helpers.learning.fit_kernels"),
        (_with_helpers_fit_kernels, "helpers.learning.fit_kernels"),
        (_with_lstsq, "np.linalg.lstsq"),
        (_with_pinv, "np.linalg.pinv"),
        (_with_solve, "np.linalg.solve"),
        (_with_inv, "np.linalg.inv"),
    ],
)
def test_learn_5x5_rules_out_shortcuts(capsys, answer, label):
    result, out = verdict(capsys, "08.2", answer)
    assert result is False and f"asks you to write the gradient-descent loop yourself, without {label}" in out
    assert label in ruled_out_calls("08.2")


def test_learn_5x5_the_shown_answer_without_learning(capsys):
    # Right for the notebook's example only: the box-then-Sobel-x kernel, whatever the target.
    result, out = verdict(capsys, "08.2", lambda image, target: COMBINED.copy())
    assert result is False and "whatever it is given" in out


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda image, target: np.zeros((3, 3)), "two pixels from the centre"),
        (lambda image, target: descend(image, target, rate=5.0), "descent diverged"),
        (lambda image, target: descend(image, target, steps=12), "more gradient steps"),
        (lambda image, target: descend(image, target)[::-1, ::-1], "turned by 180°"),
        (lambda image, target: -descend(image, target), "signs are flipped"),
        (lambda image, target: np.ones((5, 5)), "does not reproduce the target"),
        (lambda image, target: "kernel", "2-D array"),
    ],
)
def test_learn_5x5_hints(capsys, answer, hint):
    result, out = verdict(capsys, "08.2", answer)
    assert result is False and hint in out


def test_an_exception_quotes_the_students_line(capsys):
    def learn_5x5(image, target):
        kernel = np.zeros((5, 5))
        return kernel @ np.ones((3, 3))  # shapes do not match

    result, out = verdict(capsys, "08.2", learn_5x5)
    assert result is False and "raised ValueError" in out
    assert "return kernel @ np.ones((3, 3))" in out and "Traceback" not in out


# 08.3 the gradient that reaches the input


def input_gradient_solution(output_gradient, kernel):
    kernel = np.asarray(kernel, dtype=float)
    k_h, k_w = kernel.shape
    padded = np.pad(output_gradient, ((k_h - 1, k_h - 1), (k_w - 1, k_w - 1)))
    turned = kernel[::-1, ::-1]
    out = np.zeros((output_gradient.shape[0] + k_h - 1, output_gradient.shape[1] + k_w - 1))
    for m in range(k_h):
        for n in range(k_w):
            out += turned[m, n] * padded[m : m + out.shape[0], n : n + out.shape[1]]
    return out


def test_input_gradient_right(capsys):
    assert verdict(capsys, "08.3", input_gradient_solution)[0] is True


def test_input_gradient_matches_finite_differences():
    # The solution above against the definition, on a small loss L = Σ g · (x ⋆ K).
    rng = np.random.default_rng(83)
    x, kernel = rng.normal(size=(6, 7)), rng.normal(size=(3, 2))
    g = rng.normal(size=(4, 6))
    step = 1e-6
    numeric = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        nudged = x.copy()
        nudged[index] += step
        numeric[index] = (np.sum(g * signal.correlate2d(nudged, kernel, "valid")) - np.sum(g * signal.correlate2d(x, kernel, "valid"))) / step
    assert np.allclose(input_gradient_solution(g, kernel), numeric, atol=1e-4)


def no_turn(output_gradient, kernel):
    return input_gradient_solution(output_gradient, np.asarray(kernel)[::-1, ::-1])


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (no_turn, "turned by 180°"),
        (lambda g, k: g.copy(), "pad the output gradient"),
        (lambda g, k: input_gradient_solution(g, k) * 2, "2 times the right one"),
        (lambda g, k: "gradient", "return an array of numbers"),
    ],
    ids=["no turn", "same shape as g", "doubled", "a word"],
)
def test_input_gradient_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "08.3", answer)
    assert result is False and words in out, out


@pytest.mark.parametrize(
    "answer",
    [
        lambda g, k: signal.convolve2d(g, k),
        lambda g, k: signal.correlate2d(g, np.asarray(k)[::-1, ::-1]),
        lambda g, k: signal.fftconvolve(g, k),
        lambda g, k: signal.convolve(g, k),
    ],
    ids=["convolve2d", "correlate2d", "fftconvolve", "convolve"],
)
def test_input_gradient_shortcuts_are_named(capsys, answer):
    result, out = verdict(capsys, "08.3", answer)
    assert result is False and "without signal." in out, out
    assert set(ruled_out_calls("08.3")) >= {"signal.convolve2d", "helpers.convolve", "ndimage.convolve"}

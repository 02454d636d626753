"""The checks of notebook 03's exercises: right answers pass, typical mistakes get a hint."""
import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal
from exercise_testing import verdict

import helpers
from helpers.exercises import verdict as graded

# 03.1 predict the turn on kernels the notebook never printed


def test_turn_prediction_right(capsys):
    # Worked out by hand: prewitt_y turns into its negative, shift_right into shift_left,
    # arrow_up points down; gauss_3x3, pinwheel and cross_3x5 come back unchanged.
    assert graded("03.1", {"prewitt_y", "shift_right", "arrow_up"}) is True
    assert graded("03.1", ["arrow_up", "prewitt_y", "shift_right"]) is True  # any collection will do
    assert "correct" in capsys.readouterr().out


def test_turn_prediction_recalled_from_the_bank(capsys):
    # The answer the notebook printed for helpers.KERNELS does not answer the new question.
    result, out = verdict(capsys, "03.1", {"sobel_x", "sobel_y", "emboss"})
    assert result is False and "not a name in NEW_KERNELS" in out


def test_turn_prediction_mirror_symmetry_is_not_enough(capsys):
    # arrow_up is symmetric left to right, but not under the 180° turn.
    result, out = verdict(capsys, "03.1", {"prewitt_y", "shift_right"})
    assert result is False and "1 kernel is missing" in out
    assert "arrow_up" not in out


def test_turn_prediction_with_a_symmetric_kernel(capsys):
    result, out = verdict(capsys, "03.1", {"prewitt_y", "shift_right", "arrow_up", "pinwheel"})
    assert result is False
    assert "its own 180° rotation" in out
    assert "pinwheel" not in out  # the hint does not say which one


def test_turn_prediction_unknown_name_and_wrong_type(capsys):
    result, out = verdict(capsys, "03.1", {"prewitt"})
    assert result is False and "'prewitt' is not a name" in out
    result, out = verdict(capsys, "03.1", "prewitt_y, shift_right")
    assert result is False and "set of names" in out



@pytest.mark.parametrize("key", ["03.2", "03.3"])
@pytest.mark.parametrize(
    ("answer", "sentence"),
    [
        (np.eye(3), "wants a function, but your answer is a ndarray"),
        (lambda *args: "turned", "should return a NumPy array of numbers"),
    ],
)
def test_broken_answers_get_a_sentence(capsys, key, answer, sentence):
    result, out = verdict(capsys, key, answer)
    assert sentence in out
    assert "Traceback" not in out and "not callable" not in out


# 03.2 turn a kernel by 180°


def turn_180_solution(kernel):
    kernel = np.asarray(kernel)
    return kernel[::-1, ::-1].copy()


def test_turn_180_right(capsys):
    assert graded("03.2", turn_180_solution) is True
    assert graded("03.2", lambda k: np.asarray(k)[::-1][:, ::-1]) is True


@pytest.mark.parametrize(
    ("answer", "call"),
    [
        (lambda k: np.rot90(np.asarray(k), 2), "np.rot90"),
        (lambda k: np.flip(np.asarray(k)), "np.flip"),
        (lambda k: np.flipud(np.fliplr(np.asarray(k))), "np.fliplr"),
        (lambda k: np.flipud(np.asarray(k))[:, ::-1], "np.flipud"),
    ],
)
def test_turn_180_shortcuts_are_named(capsys, answer, call):
    result, out = verdict(capsys, "03.2", answer)
    assert result is False and f"write the turn yourself, without {call}" in out


def test_turn_180_right_on_square_kernels_only(capsys):
    def square_only(kernel):
        kernel = np.asarray(kernel)
        size = kernel.shape[0]
        return np.array([[kernel[size - 1 - r, size - 1 - c] for c in range(size)] for r in range(size)])

    result, out = verdict(capsys, "03.2", square_only)
    assert result is False and "3×5" in out


def test_turn_180_typical_mistakes(capsys):
    result, out = verdict(capsys, "03.2", lambda k: np.asarray(k)[::-1])
    assert result is False and "upside down but not mirrored" in out
    result, out = verdict(capsys, "03.2", lambda k: np.asarray(k)[:, ::-1])
    assert result is False and "mirrored left to right but not turned upside down" in out
    result, out = verdict(capsys, "03.2", lambda k: np.asarray(k).T)
    assert result is False and "keeps the shape" in out
    result, out = verdict(capsys, "03.2", lambda k: np.asarray(k))
    assert result is False and "unchanged" in out


def test_turn_180_must_not_change_its_input(capsys):
    def in_place(kernel):
        kernel[:] = kernel[::-1, ::-1].copy()
        return kernel

    result, out = verdict(capsys, "03.2", in_place)
    assert result is False and "changed the kernel" in out


def test_turn_180_must_accept_lists(capsys):
    def arrays_only(kernel):
        return kernel[::-1, ::-1]

    result, out = verdict(capsys, "03.2", arrays_only)
    assert result is False and "TypeError" in out  # a list cannot be sliced in two dimensions


# 03.3 correlation from convolution


def correlate_by_convolving_solution(image, kernel):
    kernel = np.asarray(kernel, dtype=float)
    return helpers.convolve(image, kernel[::-1, ::-1])


def test_correlate_by_convolving_right(capsys):
    assert graded("03.3", correlate_by_convolving_solution) is True


@pytest.mark.parametrize(
    ("answer", "call"),
    [
        (lambda im, k: helpers.correlate(im, k), "helpers.correlate"),
        (lambda im, k: ndi.correlate(im, k, mode="nearest"), "ndimage.correlate"),
        (lambda im, k: cv2.filter2D(im, cv2.CV_64F, k, borderType=cv2.BORDER_REPLICATE), "cv2.filter2D"),
        (lambda im, k: scipy.signal.correlate2d(im, k, mode="same", boundary="symm"), "signal.correlate2d"),
    ],
)
def test_correlate_by_convolving_shortcuts_are_named(capsys, answer, call):
    result, out = verdict(capsys, "03.3", answer)
    assert result is False and f"correlate through helpers.convolve, without {call}" in out


def test_correlate_by_convolving_right_for_symmetric_kernels_only(capsys):
    # Convolving without the turn is right only when the kernel equals its own turn.
    result, out = verdict(capsys, "03.3", lambda im, k: helpers.convolve(im, k))
    assert result is False and "your function convolves" in out


def test_correlate_by_convolving_that_convolves(capsys):
    result, out = verdict(capsys, "03.3", lambda im, k: helpers.convolve(im, k))
    assert result is False and "your function convolves" in out


def test_correlate_by_convolving_with_a_transpose(capsys):
    result, out = verdict(capsys, "03.3", lambda im, k: helpers.convolve(im, np.asarray(k).T))
    assert result is False


def test_correlate_by_convolving_wrong_border(capsys):
    result, out = verdict(capsys, "03.3", lambda im, k: helpers.convolve(im, np.asarray(k)[::-1, ::-1], border="zero"))
    assert result is False and "border" in out


# 03.4 linear and shift-invariant?


def probe_solution(operation):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(2, 10, 12))
    if not np.allclose(operation(-2 * x + 5 * y), -2 * operation(x) + 5 * operation(y)):
        return False
    shifted = operation(np.roll(x, (2, 5), axis=(0, 1)))
    return bool(np.allclose(shifted, np.roll(operation(x), (2, 5), axis=(0, 1))))


def test_lsi_probe_right(capsys):
    assert verdict(capsys, "03.4", probe_solution)[0] is True


def linearity_only(operation):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(2, 10, 12))
    return bool(np.allclose(operation(-2 * x + 5 * y), -2 * operation(x) + 5 * operation(y)))


def shift_only(operation):
    x = np.random.default_rng(0).normal(size=(10, 12))
    return bool(np.allclose(operation(np.roll(x, 3, axis=1)), np.roll(operation(x), 3, axis=1)))


def exact_equality(operation):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(2, 10, 12))
    if not np.array_equal(operation(-2 * x + 5 * y), -2 * operation(x) + 5 * operation(y)):
        return False
    return bool(np.array_equal(operation(np.roll(x, 2, axis=0)), np.roll(operation(x), 2, axis=0)))


def weights_adding_to_one(operation):
    # a + b = 1: an offset f(x) = x + 1 passes this comparison
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(2, 10, 12))
    if not np.allclose(operation(-2 * x + 3 * y), -2 * operation(x) + 3 * operation(y)):
        return False
    return bool(np.allclose(operation(np.roll(x, 2, axis=0)), np.roll(operation(x), 2, axis=0)))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (linearity_only, "linear but not shift-invariant"),
        (shift_only, "not linear"),
        (lambda operation: True, "not linear"),
        (lambda operation: False, "said False"),
        (exact_equality, "np.allclose"),
        (weights_adding_to_one, "do not add up to 1"),
        (lambda operation: "yes", "return True or False"),
        (lambda operation: 1, "return True or False"),
    ],
    ids=["linearity only", "shift only", "always True", "always False", "exact ==", "a + b = 1", "a word", "an int"],
)
def test_lsi_probe_mistakes_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "03.4", answer)
    assert result is False and words in out, out


def test_mystery_filter_passes_the_solution_probe():
    assert probe_solution(helpers.mystery_filter) is True
    assert probe_solution(lambda image: ndi.median_filter(image, size=3, mode="wrap")) is False

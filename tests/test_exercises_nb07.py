"""The checks of notebook 07's exercises: right answers pass, typical mistakes get a hint."""
import numpy as np
import pytest
import scipy.signal
from exercise_testing import verdict
from scipy import ndimage

from helpers.exercises import ruled_out_calls
from helpers.exercises import verdict as graded
from helpers.signals import KERNELS_1D, SIGNALS_1D, slide_1d

# 07.1 a kernel that moves the picture one pixel to the right


def test_shift_right_right(capsys):
    assert graded("07.1", [[0, 0, 0], [1, 0, 0], [0, 0, 0]]) is True
    assert graded("07.1", np.array([[0, 0, 0], [1.0, 0, 0], [0, 0, 0]])) is True


def test_shift_right_the_other_way(capsys):
    result, out = verdict(capsys, "07.1", [[0, 0, 0], [0, 0, 1], [0, 0, 0]])
    assert result is False and "moves the picture to the left" in out


def test_shift_right_typical_mistakes(capsys):
    result, out = verdict(capsys, "07.1", [[0, 0, 0], [2, 0, 0], [0, 0, 0]])
    assert result is False and "sum to 2" in out
    result, out = verdict(capsys, "07.1", [[0, 0, 0], [0.5, 0.5, 0], [0, 0, 0]])
    assert result is False and "mixes several pixels" in out
    result, out = verdict(capsys, "07.1", [[0, 1, 0], [0, 0, 0], [0, 0, 0]])
    assert result is False and "not one pixel to the right" in out
    result, out = verdict(capsys, "07.1", [1, 0, 0])
    assert result is False and "3×3" in out
    result, out = verdict(capsys, "07.1", None)
    assert result is None and "not answered yet" in out


# 07.2 which kernels turn into their own negative


def test_negated_right(capsys):
    assert graded("07.2", {"sobel_x", "sobel_y"}) is True
    assert graded("07.2", ["sobel_y", "sobel_x"]) is True


def test_negated_with_emboss_or_a_symmetric_kernel(capsys):
    result, out = verdict(capsys, "07.2", {"sobel_x", "sobel_y", "emboss"})
    assert result is False and "centre weight" in out
    result, out = verdict(capsys, "07.2", {"sobel_x", "sobel_y", "laplacian"})
    assert result is False and "its own 180° rotation" in out
    assert "laplacian" not in out


def test_negated_missing_one_or_bad_names(capsys):
    result, out = verdict(capsys, "07.2", {"sobel_x"})
    assert result is False and "1 kernel that turns into its own negative is missing" in out
    assert "sobel_y" not in out
    result, out = verdict(capsys, "07.2", set())
    assert result is False and "2 kernels" in out
    result, out = verdict(capsys, "07.2", {"sobel"})
    assert result is False and "'sobel' is not a name" in out
    result, out = verdict(capsys, "07.2", "sobel_x")
    assert result is False and "set of names from helpers.KERNELS" in out


# 07.3 one output of the 1-D convolution


def by_hand(signal, kernel, n):
    return sum(signal[j] * kernel[n - j] for j in range(len(signal)) if 0 <= n - j < len(kernel))


def test_output_at_right(capsys):
    assert graded("07.3", by_hand) is True


def test_output_at_without_the_flip(capsys):
    def unflipped(signal, kernel, n):
        return by_hand(signal, kernel[::-1], n)

    result, out = verdict(capsys, "07.3", unflipped)
    assert result is False and "without flipping" in out


def test_output_at_wrong_at_the_ends(capsys):
    def inside_only(signal, kernel, n):
        if n < len(kernel) - 1 or n >= len(signal):
            return 0.0
        return by_hand(signal, kernel, n)

    result, out = verdict(capsys, "07.3", inside_only)
    assert result is False and "hangs over an end" in out


def test_output_at_that_raises(capsys):
    def wraps_around(signal, kernel, n):
        return sum(signal[j] * kernel[n - j] for j in range(len(signal)))  # IndexError past the end

    result, out = verdict(capsys, "07.3", wraps_around)
    assert result is False
    assert "raised IndexError" in out and "Traceback" not in out
    assert "return sum(signal[j] * kernel[n - j] for j in range(len(signal)))" in out  # the student's line


# The calls 07.3 rules out, each as a student would use it (numpy, scipy, the notebook's own helper).


def _with_numpy_convolve(signal, kernel, n):
    return np.convolve(signal, kernel)[n]


def _with_numpy_correlate(signal, kernel, n):
    return np.correlate(signal, kernel[::-1], mode="full")[n]


def _with_polymul(signal, kernel, n):
    return np.polymul(signal, kernel)[n]


def _with_scipy_convolve(signal, kernel, n):
    return scipy.signal.convolve(signal, kernel)[n]


def _with_scipy_correlate(signal, kernel, n):
    return scipy.signal.correlate(signal, kernel[::-1])[n]


def _with_fftconvolve(signal, kernel, n):
    return scipy.signal.fftconvolve(signal, kernel)[n]


def _with_oaconvolve(signal, kernel, n):
    return scipy.signal.oaconvolve(signal, kernel)[n]


def _with_convolve1d(signal, kernel, n):
    padded = np.pad(signal, len(kernel))
    return ndimage.convolve1d(padded, kernel, mode="constant")[n]


def _with_correlate1d(signal, kernel, n):
    padded = np.pad(signal, len(kernel))
    return ndimage.correlate1d(padded, kernel[::-1], mode="constant")[n]


def _with_slide_1d(signal, kernel, n):
    return slide_1d(signal, kernel, n).value


@pytest.mark.parametrize(
    ("answer", "label"),
    [
        (_with_numpy_convolve, "np.convolve"),
        (_with_numpy_correlate, "np.correlate"),
        (_with_polymul, "np.polymul"),
        (_with_scipy_convolve, "scipy.signal.convolve"),
        (_with_scipy_correlate, "scipy.signal.correlate"),
        (_with_fftconvolve, "scipy.signal.fftconvolve"),
        (_with_oaconvolve, "scipy.signal.oaconvolve"),
        (_with_convolve1d, "scipy.ndimage.convolve1d"),
        (_with_correlate1d, "scipy.ndimage.correlate1d"),
        (_with_slide_1d, "helpers.signals.slide_1d"),
    ],
)
def test_output_at_rules_out_library_convolutions(capsys, answer, label):
    result, out = verdict(capsys, "07.3", answer)
    assert result is False and f"asks you to add up the products yourself, without {label}" in out
    assert label in ruled_out_calls("07.3")


def test_output_at_right_on_the_shown_case_only(capsys):
    # Right for the notebook's step and [1, 0, -1] (at every n), wrong for a kernel that is not antisymmetric.
    def minus_the_correlation(signal, kernel, n):
        return -sum(signal[j] * kernel[j - n + len(kernel) - 1] for j in range(len(signal))
                    if 0 <= j - n + len(kernel) - 1 < len(kernel))

    step, difference = SIGNALS_1D["step"], KERNELS_1D["difference [1, 0, -1]"]
    assert all(np.isclose(minus_the_correlation(step, difference, n), value)
               for n, value in enumerate(np.convolve(step, difference)))
    result, out = verdict(capsys, "07.3", minus_the_correlation)
    assert result is False and "Hint" in out


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("output_at", "wants a function, but your answer is a str"),
        (lambda signal, kernel, n: None, "returned None"),
        (lambda signal, kernel, n: 1 / 0, "raised ZeroDivisionError"),
        (lambda signal, kernel, n: [1.0, 2.0], "one number"),
    ],
)
def test_output_at_wrong_kinds_get_a_sentence(capsys, answer, expected):
    result, out = verdict(capsys, "07.3", answer)
    assert result is False and expected in out and "Traceback" not in out


def test_output_at_skeleton_says_to_fill_it_in(capsys):
    def output_at(signal, kernel, n): ...

    result, out = verdict(capsys, "07.3", output_at)
    assert result is False and "replace the ... with your code" in out

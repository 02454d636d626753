"""The checks of notebook 06's exercises: right answers pass, typical mistakes get a hint."""
import numpy as np
from exercise_testing import verdict

from helpers.exercises import verdict as graded

# 06.1 a kernel that moves the picture one pixel to the right


def test_shift_right_right(capsys):
    assert graded("06.1", [[0, 0, 0], [1, 0, 0], [0, 0, 0]]) is True
    assert graded("06.1", np.array([[0, 0, 0], [1.0, 0, 0], [0, 0, 0]])) is True


def test_shift_right_the_other_way(capsys):
    result, out = verdict(capsys, "06.1", [[0, 0, 0], [0, 0, 1], [0, 0, 0]])
    assert result is False and "moves the picture to the left" in out


def test_shift_right_typical_mistakes(capsys):
    result, out = verdict(capsys, "06.1", [[0, 0, 0], [2, 0, 0], [0, 0, 0]])
    assert result is False and "sum to 2" in out
    result, out = verdict(capsys, "06.1", [[0, 0, 0], [0.5, 0.5, 0], [0, 0, 0]])
    assert result is False and "mixes several pixels" in out
    result, out = verdict(capsys, "06.1", [[0, 1, 0], [0, 0, 0], [0, 0, 0]])
    assert result is False and "not one pixel to the right" in out
    result, out = verdict(capsys, "06.1", [1, 0, 0])
    assert result is False and "3×3" in out
    result, out = verdict(capsys, "06.1", None)
    assert result is None and "not answered yet" in out


# 06.2 which kernels turn into their own negative


def test_negated_right(capsys):
    assert graded("06.2", {"sobel_x", "sobel_y"}) is True
    assert graded("06.2", ["sobel_y", "sobel_x"]) is True


def test_negated_with_emboss_or_a_symmetric_kernel(capsys):
    result, out = verdict(capsys, "06.2", {"sobel_x", "sobel_y", "emboss"})
    assert result is False and "centre weight" in out
    result, out = verdict(capsys, "06.2", {"sobel_x", "sobel_y", "laplacian"})
    assert result is False and "its own 180° rotation" in out
    assert "laplacian" not in out


def test_negated_missing_one_or_bad_names(capsys):
    result, out = verdict(capsys, "06.2", {"sobel_x"})
    assert result is False and "1 kernel that turns into its own negative is missing" in out
    assert "sobel_y" not in out
    result, out = verdict(capsys, "06.2", set())
    assert result is False and "2 kernels" in out
    result, out = verdict(capsys, "06.2", {"sobel"})
    assert result is False and "'sobel' is not a name" in out
    result, out = verdict(capsys, "06.2", "sobel_x")
    assert result is False and "set of kernel names" in out


# 06.3 one output of the 1-D convolution


def by_hand(signal, kernel, n):
    return sum(signal[j] * kernel[n - j] for j in range(len(signal)) if 0 <= n - j < len(kernel))


def test_output_at_right(capsys):
    assert graded("06.3", by_hand) is True


def test_output_at_without_the_flip(capsys):
    def unflipped(signal, kernel, n):
        return by_hand(signal, kernel[::-1], n)

    result, out = verdict(capsys, "06.3", unflipped)
    assert result is False and "without flipping" in out


def test_output_at_wrong_at_the_ends(capsys):
    def inside_only(signal, kernel, n):
        if n < len(kernel) - 1 or n >= len(signal):
            return 0.0
        return by_hand(signal, kernel, n)

    result, out = verdict(capsys, "06.3", inside_only)
    assert result is False and "hangs over an end" in out


def test_output_at_that_raises(capsys):
    def wraps_around(signal, kernel, n):
        return sum(signal[j] * kernel[n - j] for j in range(len(signal)))  # IndexError past the end

    result, out = verdict(capsys, "06.3", wraps_around)
    assert result is False

"""The checks of notebook 01's exercises: right answers pass, typical slips get a hint."""
import numpy as np
import pytest
from exercise_testing import verdict


def test_scores_of_a_new_patch(capsys):
    # Patch [[120, 30], [160, 70]]: 240 + 60 - 320 - 140 and 240 - 60 + 320 - 140.
    assert verdict(capsys, "01.1", (-160, 360))[0] is True
    assert verdict(capsys, "01.1", [np.float64(-160.0), 360])[0] is True


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ((360, -160), "other order"),
        ((160, 360), "sign is flipped"),
        ((720, 0), "matrix product"),
        ((-160, 100), "horizontal-edge score is right"),
        ((1, 2), "add the four products"),
        ((1, 2, 3), "exactly two numbers"),
        (800, "pair of numbers"),
    ],
)
def test_scores_of_a_new_patch_hints(capsys, answer, hint):
    result, out = verdict(capsys, "01.1", answer)
    assert result is False and hint in out
    assert "-160" not in out and "360" not in out  # the hint never gives the answer


@pytest.mark.parametrize("kernel", [[[1, 0], [0, -1]], [[2.5, 0], [0, -2.5]], np.array([[7, 0], [0, -7]])])
def test_diagonal_kernels_pass(capsys, kernel):
    assert verdict(capsys, "01.2", kernel)[0] is True


@pytest.mark.parametrize(
    ("kernel", "hint"),
    [
        ([[2, 2], [-2, -2]], "other way"),  # the horizontal-edge kernel also answers the other diagonal
        ([[-1, 0], [0, 1]], "above 0"),  # detects the inverted edge
        ([[1, 0], [0, 0]], "flat patch"),
        ([[0, 1], [-1, 0]], "above 0"),  # the other diagonal's kernel
        ([[0, 0], [0, 0]], "zeros"),
        (np.ones((3, 3)), "2×2"),
        ("diagonal", "grid of numbers"),
    ],
)
def test_diagonal_kernel_hints(capsys, kernel, hint):
    result, out = verdict(capsys, "01.2", kernel)
    assert result is False and hint in out


def test_best_matching_patch(capsys):
    assert verdict(capsys, "01.3", [[255, 255], [0, 0]])[0] is True
    assert verdict(capsys, "01.3", np.array([[255, 255], [0, 0]], dtype=np.uint8))[0] is True


@pytest.mark.parametrize(
    ("patch", "hint"),
    [
        ([[200, 200], [0, 0]], "can still move"),
        ([[255, 255], [255, 255]], "can still move"),
        ([[0, 0], [255, 255]], "can still move"),
        ([[300, 300], [-10, -10]], "between 0 and 255"),
        ([255, 255, 0, 0], "2×2"),
    ],
)
def test_best_matching_patch_hints(capsys, patch, hint):
    result, out = verdict(capsys, "01.3", patch)
    assert result is False and hint in out

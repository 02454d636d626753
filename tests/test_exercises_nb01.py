"""The checks of notebook 01's exercises: right answers pass, typical slips get a hint."""
import cv2
import numpy as np
import pytest
import scipy.stats
from exercise_testing import verdict

import helpers.matching


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


# 01.4 normalised cross-correlation of one window


def ncc_solution(window, template):
    window = np.asarray(window, dtype=float) - np.mean(window)
    template = np.asarray(template, dtype=float) - np.mean(template)
    return float(np.sum(window * template) / np.sqrt(np.sum(window**2) * np.sum(template**2)))


def test_ncc_right(capsys):
    assert verdict(capsys, "01.4", ncc_solution)[0] is True


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda w, t: float(np.sum(w * t) / np.sqrt(np.sum(w**2) * np.sum(t**2))), "subtract each one's own mean"),
        (lambda w, t: float(np.sum((w - w.mean()) * (t - t.mean()))), "divide by both norms"),
        (lambda w, t: float(np.sum(w * t)), "plain score"),
        (lambda w, t: ncc_solution(w, t) * w.size, "between −1 and 1"),
        (lambda w, t: float(np.sum((w - w.mean()) * t) / np.sqrt(np.sum((w - w.mean()) ** 2) * np.sum(t**2))),
         "*and* the mean of the template"),
        (lambda w, t: (w - w.mean()) * (t - t.mean()), "return one number"),
        (lambda w, t: float("nan"), "not a finite number"),
        (lambda w, t: 0.5, "wrong score"),
    ],
    ids=["raw cosine", "no norms", "plain score", "times size", "template mean", "array", "nan", "constant"],
)
def test_ncc_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "01.4", answer)
    assert result is False and words in out, out


@pytest.mark.parametrize(
    ("answer", "call"),
    [
        (lambda w, t: float(np.corrcoef(w.ravel(), t.ravel())[0, 1]), "np.corrcoef"),
        (lambda w, t: float(cv2.matchTemplate(w.astype(np.float32), t.astype(np.float32), cv2.TM_CCOEFF_NORMED)[0, 0]),
         "cv2.matchTemplate"),
        (lambda w, t: float(scipy.stats.pearsonr(w.ravel(), t.ravel())[0]), "scipy.stats.pearsonr"),
        (lambda w, t: float(helpers.matching.ncc_map(w, t)[0, 0]), "helpers.matching.ncc_map"),
    ],
)
def test_ncc_shortcuts_are_named(capsys, answer, call):
    result, out = verdict(capsys, "01.4", answer)
    assert result is False and f"without {call}" in out, out


def test_ncc_must_not_change_its_input(capsys):
    def in_place(window, template):
        window -= window.mean()
        return ncc_solution(window, template)

    result, out = verdict(capsys, "01.4", in_place)
    assert result is False and "changed the window" in out

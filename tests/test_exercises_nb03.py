"""The checks of notebook 03's exercises: right answers pass, typical mistakes get a hint."""
import numpy as np
from exercise_testing import verdict

import helpers
from helpers.exercises import verdict as graded

# 03.1 predict which kernels change under the turn


def test_turn_prediction_right(capsys):
    assert graded("03.1", {"sobel_x", "sobel_y", "emboss"}) is True
    assert graded("03.1", ["emboss", "sobel_y", "sobel_x"]) is True  # any collection will do
    assert "correct" in capsys.readouterr().out


def test_turn_prediction_with_a_symmetric_kernel(capsys):
    result, out = verdict(capsys, "03.1", {"sobel_x", "sobel_y", "emboss", "sharpen"})
    assert result is False
    assert "its own 180° rotation" in out
    assert "sharpen" not in out  # the hint does not say which one


def test_turn_prediction_missing_one(capsys):
    result, out = verdict(capsys, "03.1", {"sobel_x", "sobel_y"})
    assert result is False
    assert "1 kernel is missing" in out
    assert "emboss" not in out


def test_turn_prediction_unknown_name_and_wrong_type(capsys):
    result, out = verdict(capsys, "03.1", {"sobel"})
    assert result is False and "'sobel' is not a name" in out
    result, out = verdict(capsys, "03.1", "sobel_x, sobel_y, emboss")
    assert result is False and "set of kernel names" in out


def test_turn_prediction_unanswered(capsys):
    result, out = verdict(capsys, "03.1", None)
    assert result is None and "not answered yet" in out


# 03.2 turn a kernel by 180°


def test_turn_180_right(capsys):
    assert graded("03.2", lambda k: np.asarray(k)[::-1, ::-1]) is True
    assert graded("03.2", lambda k: np.rot90(np.asarray(k), 2)) is True


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


def test_correlate_by_convolving_right(capsys):
    assert graded("03.3", lambda im, k: helpers.convolve(im, np.asarray(k)[::-1, ::-1])) is True


def test_correlate_by_convolving_that_convolves(capsys):
    result, out = verdict(capsys, "03.3", lambda im, k: helpers.convolve(im, k))
    assert result is False and "your function convolves" in out


def test_correlate_by_convolving_with_a_transpose(capsys):
    result, out = verdict(capsys, "03.3", lambda im, k: helpers.convolve(im, np.asarray(k).T))
    assert result is False


def test_correlate_by_convolving_wrong_border(capsys):
    result, out = verdict(capsys, "03.3", lambda im, k: helpers.convolve(im, np.asarray(k)[::-1, ::-1], border="zero"))
    assert result is False and "border" in out

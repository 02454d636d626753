"""The checks of notebook 11's exercises: right answers pass, typical slips get a hint."""
import numpy as np
import pytest
import scipy.signal
from exercise_testing import verdict

import helpers
from helpers.exercises import ruled_out_calls


@pytest.mark.parametrize("key", ["11.1", "11.2", "11.3"])
def test_unanswered(capsys, key):
    result, out = verdict(capsys, key, None)
    assert result is None and "not answered yet" in out


@pytest.mark.parametrize("key", ["11.1", "11.2", "11.3"])
@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("my answer", "wants a function, but your answer is a str"),
        (42, "wants a function, but your answer is a int"),
        (lambda *args: None, "returned None"),
        (lambda *args: {}["missing"], "raised KeyError"),
    ],
)
def test_wrong_kinds_get_a_sentence(capsys, key, answer, expected):
    result, out = verdict(capsys, key, answer)
    assert result is False and expected in out and "Traceback" not in out


# ---------------------------------------------------------------- 11.1
# multiplications(height, width): the notebook printed k² and 2k for square kernels only.


def test_multiplications_right(capsys):
    assert verdict(capsys, "11.1", lambda h, w: (h * w, h + w))[0] is True


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda h, w: (h * h, 2 * h), "count for a square kernel"),  # the printed table, reused
        (lambda h, w: (w * w, 2 * w), "count for a square kernel"),
        (lambda h, w: (h + w, h * w), "swapped"),
        (lambda h, w: (h * w, w), "two passes"),
        (lambda h, w: (h + w, h + w), "every tap"),
        (lambda h, w: (h * w, h + w + 1), "count the taps"),
        (lambda h, w: h * w, "two whole numbers"),
    ],
)
def test_multiplications_hints(capsys, answer, hint):
    result, out = verdict(capsys, "11.1", answer)
    assert result is False and hint in out


# ---------------------------------------------------------------- 11.2


def svd_factor(kernel):
    u, s, vt = np.linalg.svd(kernel)
    if s[1] > 1e-10 * s[0]:
        raise ValueError("not separable")
    return u[:, 0] * s[0], vt[0]


def test_factor_right(capsys):
    assert verdict(capsys, "11.2", svd_factor)[0] is True


def never_raises(kernel):
    u, s, vt = np.linalg.svd(kernel)
    return u[:, 0] * s[0], vt[0]


def absolute_threshold(kernel):
    # The teacher's guide's classic mistake: right on the notebook's kernels (entries near 1).
    u, s, vt = np.linalg.svd(kernel)
    if s[1] > 1e-3:
        raise ValueError("not separable")
    return u[:, 0] * s[0], vt[0]


def tiny_absolute_threshold(kernel):
    u, s, vt = np.linalg.svd(kernel)
    if s[1] > 1e-10:
        raise ValueError("not separable")
    return u[:, 0] * s[0], vt[0]


def test_absolute_thresholds_pass_the_notebooks_kernels():
    # So the scaled cases are what rejects them below.
    for kernel in [helpers.gaussian(7, 1.2), helpers.box(7), helpers.KERNELS["sobel_x"]]:
        for factor in (absolute_threshold, tiny_absolute_threshold):
            assert np.allclose(np.outer(*factor(kernel)), kernel)
    for kernel in [helpers.KERNELS["sharpen"], helpers.KERNELS["emboss"]]:
        for factor in (absolute_threshold, tiny_absolute_threshold):
            with pytest.raises(ValueError):
                factor(kernel)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda k: svd_factor(k)[::-1], "swapped"),
        (lambda k: (-svd_factor(k)[0], svd_factor(k)[1]), "wrong sign"),
        (lambda k: (svd_factor(k)[0], 2 * svd_factor(k)[1]), "should give the kernel back"),
        (never_raises, "the sharpen kernel is not separable"),
        (absolute_threshold, "times 0.001 is not separable"),
        (tiny_absolute_threshold, "compare the two singular values with each other"),
        (lambda k: (k[:, 0], 2 * k[0, :]), "should give the kernel back"),
        (lambda k: np.linalg.svd(k)[1][0], "two 1-D arrays"),
        (lambda k: (np.ones(2), np.ones(2)), "entries"),
    ],
)
def test_factor_hints(capsys, answer, hint):
    result, out = verdict(capsys, "11.2", answer)
    assert result is False and hint in out


def _with_separate_kernel(kernel):
    return helpers.separate_kernel(kernel)


def _with_is_separable(kernel):
    if not helpers.is_separable(kernel):
        raise ValueError("not separable")
    return never_raises(kernel)


@pytest.mark.parametrize(
    ("answer", "label"),
    [(_with_separate_kernel, "helpers.separate_kernel"), (_with_is_separable, "helpers.is_separable")],
)
def test_factor_rules_out_the_helpers(capsys, answer, label):
    result, out = verdict(capsys, "11.2", answer)
    assert result is False and f"with np.linalg.svd, without {label}" in out
    assert label in ruled_out_calls("11.2")


# ---------------------------------------------------------------- 11.3


def test_fft_length_right(capsys):
    assert verdict(capsys, "11.3", lambda n, k: n + k - 1)[0] is True


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda n, k: n, "circular"),
        (lambda n, k: n + k - 2, "too short"),
        (lambda n, k: n + k, "not the shortest"),
        (lambda n, k: float(n + k - 1), "whole number"),
        (lambda n, k: n + 2, "too short"),  # right on the notebook's 3-tap examples only
    ],
)
def test_fft_length_hints(capsys, answer, hint):
    result, out = verdict(capsys, "11.3", answer)
    assert result is False and hint in out


@pytest.mark.parametrize(
    ("answer", "label"),
    [
        (lambda n, k: len(np.convolve(np.ones(n), np.ones(k))), "np.convolve"),
        (lambda n, k: len(scipy.signal.convolve(np.ones(n), np.ones(k))), "scipy.signal.convolve"),
        (lambda n, k: len(scipy.signal.fftconvolve(np.ones(n), np.ones(k))), "scipy.signal.fftconvolve"),
    ],
)
def test_fft_length_rules_out_measuring(capsys, answer, label):
    result, out = verdict(capsys, "11.3", answer)
    assert result is False and f"work the length out from n and k, without {label}" in out


def test_an_exception_quotes_the_students_line(capsys):
    def factor(kernel):
        u, s, vt = np.linalg.svd(kernel)
        return u[:, 0] * s[0], vt[7]  # no row 7 in a 3×3 kernel's vt

    result, out = verdict(capsys, "11.2", factor)
    assert result is False and "raised IndexError" in out
    assert "return u[:, 0] * s[0], vt[7]" in out and "Traceback" not in out


def test_factor_that_always_raises_is_told_about_the_rank(capsys):
    def factor(kernel):
        raise ValueError("not separable")

    result, out = verdict(capsys, "11.2", factor)
    assert result is False and "for a kernel of rank 1" in out and "compare the two singular values" in out


def test_factor_library_valueerror_is_not_read_as_a_rank_test(capsys):
    # An error from inside a library call keeps its own message and the student's line.
    def factor(kernel):
        return np.ravel(kernel).reshape(7, 7), kernel[0]

    result, out = verdict(capsys, "11.2", factor)
    assert result is False and "cannot reshape" in out and "rank 1" not in out
    assert "return np.ravel(kernel).reshape(7, 7), kernel[0]" in out


@pytest.mark.parametrize("key", ["11.2"])
def test_the_helper_itself_as_the_answer_is_named(capsys, key):
    result, out = verdict(capsys, key, helpers.separate_kernel)
    assert result is False and "without helpers.separate_kernel" in out

"""The checks of notebook 11's exercises: right answers pass, typical slips get a hint."""
import cv2
import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
from exercise_testing import verdict

import helpers
import helpers.integral
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


# ---------------------------------------------------------------- 11.4


def running_sums_solution(image, k):
    s = np.zeros((image.shape[0] + 1, image.shape[1] + 1))
    s[1:, 1:] = np.cumsum(np.cumsum(image, axis=0), axis=1)
    return s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]


def no_zero_row(image, k):
    s = np.cumsum(np.cumsum(image, axis=0), axis=1)
    return s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]


def test_box_by_running_sums_right(capsys):
    assert verdict(capsys, "11.4", running_sums_solution)[0] is True


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (no_zero_row, "one row and one column too few"),
        (lambda image, k: running_sums_solution(image, k) / (k * k), "box *mean*"),
        (lambda image, k: image.copy(), "whole boxes"),
        (lambda image, k: running_sums_solution(image, k) + 1, "off by the same amount (+1)"),
        (lambda image, k: "sums", "return an array of numbers"),
    ],
    ids=["no zero row", "mean", "same shape", "plus one", "a word"],
)
def test_box_by_running_sums_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "11.4", answer)
    assert result is False and words in out, out


@pytest.mark.parametrize(
    ("answer", "call"),
    [
        (lambda image, k: scipy.signal.correlate2d(image, np.ones((k, k)), mode="valid"), "signal.correlate2d"),
        (lambda image, k: np.lib.stride_tricks.sliding_window_view(image, (k, k)).sum(axis=(2, 3)),
         "np.lib.stride_tricks.sliding_window_view"),
        (lambda image, k: cv2.integral(image)[k:, k:], "cv2.integral"),
        (lambda image, k: helpers.integral.box_sums(image, k), "helpers.integral.box_sums"),
    ],
)
def test_box_by_running_sums_shortcuts_are_named(capsys, answer, call):
    result, out = verdict(capsys, "11.4", answer)
    assert result is False and f"without {call}" in out, out


def test_box_by_running_sums_must_not_change_the_image(capsys):
    def in_place(image, k):
        np.cumsum(image, axis=0, out=image)
        return running_sums_solution(image, k)

    result, out = verdict(capsys, "11.4", in_place)
    assert result is False and "changed the image" in out


# ---------------------------------------------------------------- 11.5

PAD_MODES = {"zero": "constant", "replicate": "edge", "reflect": "symmetric", "reflect101": "reflect", "wrap": "wrap"}


def fast_correlate_solution(image, kernel, border, modes=PAD_MODES):
    kh, kw = kernel.shape
    padded = np.pad(image, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode=modes[border])
    out = np.zeros(image.shape)
    for m in range(kh):
        for n in range(kw):
            out += kernel[m, n] * padded[m : m + image.shape[0], n : n + image.shape[1]]
    return out


def test_fast_correlate_right(capsys):
    assert verdict(capsys, "11.5", fast_correlate_solution)[0] is True


def test_fast_correlate_agrees_with_the_series_loop():
    rng = np.random.default_rng(5)
    image, kernel = rng.uniform(0, 255, size=(12, 9)), rng.normal(size=(3, 5))
    for border in PAD_MODES:
        assert np.allclose(fast_correlate_solution(image, kernel, border),
                           helpers.correlate(image, kernel, border=border, method="loop"))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda im, k, b: fast_correlate_solution(im, k[::-1, ::-1], b), "convolves"),
        (lambda im, k, b: fast_correlate_solution(im, k, b, {**PAD_MODES, "reflect": "reflect"}), "pads like 'reflect101'"),
        (lambda im, k, b: fast_correlate_solution(im, k, b)[1:-1, 1:-1], "keeps the image's size"),
        (lambda im, k, b: fast_correlate_solution(im, k.T.copy(), b).T if k.shape[0] == k.shape[1] else
         fast_correlate_solution(im, k, b) + 1, "off by the same amount (+1)"),
        (lambda im, k, b: "fast", "return a NumPy array of numbers"),
    ],
    ids=["turned", "reflect mode", "shrunk", "wrong", "a word"],
)
def test_fast_correlate_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "11.5", answer)
    assert result is False and words in out, out


@pytest.mark.parametrize(
    ("answer", "call"),
    [
        (lambda im, k, b: cv2.filter2D(im, cv2.CV_64F, k), "cv2.filter2D"),
        (lambda im, k, b: helpers.correlate(im, k, border=b), "helpers.correlate"),
        (lambda im, k, b: scipy.ndimage.correlate(im, k), "ndimage.correlate"),
    ],
)
def test_fast_correlate_shortcuts_are_named(capsys, answer, call):
    result, out = verdict(capsys, "11.5", answer)
    assert result is False and f"without {call}" in out, out

"""Checks for the exercises of notebook 11 (making it fast).

11.1  ``multiplications(height, width)``: multiplications per pixel for a kernel that is not square;
11.2  ``factor(kernel)``: a rank-1 kernel as a column and a row (ValueError otherwise), at any scale;
11.3  ``fft_length(n, k)``: the shortest transform with no wrap-around;
11.4  ``box_by_running_sums(image, k)``: every k × k box sum by four look-ups in an integral image;
11.5  ``fast_correlate(image, kernel, border)``: notebook 04's loop, vectorised (one array operation per tap).

Expected values are counted here directly (loops over taps, lengths of
np.convolve's output), not with the formulas the notebook teaches.
"""
from __future__ import annotations

import numbers

import cv2
import numpy as np

from . import Hint, call_answer, exercise, ruled
from ._answers import array_or_hint, close_on_scale, number_type_hint, scaled_hint


def _whole_pair(value) -> tuple[int, int] | None:
    try:
        first, second = value
    except (TypeError, ValueError):
        return None
    if any(isinstance(x, bool) or not isinstance(x, numbers.Integral) for x in (first, second)):
        return None
    return int(first), int(second)


@exercise("11.1", wants_function=True)
def _multiplications(answer) -> str | None:
    """The notebook printed k² and 2k for square kernels; the check asks about height × width ones."""
    for height, width in [(3, 7), (1, 5), (9, 2), (5, 5), (15, 1), (4, 11)]:
        pair = _whole_pair(call_answer(answer, height, width, what="multiplications"))
        if pair is None:
            return "return two whole numbers: (direct, separable)"
        direct = sum(1 for _ in range(height) for _ in range(width))  # one per tap of the kernel
        separable = sum(1 for _ in range(height)) + sum(1 for _ in range(width))  # column pass, then row pass
        if pair == (direct, separable):
            continue
        if pair == (separable, direct):
            return "the two numbers are swapped: direct first, separable second"
        if height != width and pair in {(height * height, 2 * height), (width * width, 2 * width)}:
            return (
                f"that is the count for a square kernel; a {height}×{width} kernel has {height} rows "
                f"and {width} columns"
            )
        if pair[0] != direct:
            return f"direct: every tap of the {height}×{width} kernel multiplies one pixel"
        if pair[1] in (height, width):
            return "separable: there are two passes, a column and then a row"
        return f"separable: count the taps of the column ({height} high) and of the row ({width} wide)"
    return None


def _rank_one_cases() -> list[np.ndarray]:
    rng = np.random.default_rng(707)
    return [
        np.outer([-1.0, 0.0, 1.0], [1.0, 2.0, 1.0]),  # Sobel-y
        np.outer(rng.normal(size=5), rng.normal(size=5)),
        np.outer(rng.normal(size=3), rng.normal(size=7)),  # not square
        np.outer([1.0, 4.0, 6.0, 4.0, 1.0], [1.0, 4.0, 6.0, 4.0, 1.0]) / 256,
        1e3 * np.outer(rng.normal(size=4), rng.normal(size=6)),  # large entries
        1e-3 * np.outer(rng.normal(size=5), rng.normal(size=3)),  # small entries
        1e12 * np.outer(rng.normal(size=3), rng.normal(size=3)),  # rounding errors far above 1e-10
    ]


def _not_separable_cases() -> list[tuple[str, np.ndarray]]:
    sharpen = np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]])
    rng = np.random.default_rng(708)
    return [
        ("the sharpen kernel", sharpen),
        ("the sharpen kernel times 0.001", 1e-3 * sharpen),
        ("a 4×6 random kernel times 0.001", 1e-3 * rng.normal(size=(4, 6))),
        ("the sharpen kernel times 1000", 1e3 * sharpen),
    ]


#: Calls that separate a kernel for the student.
_SEPARATORS = ["helpers.separate_kernel", "helpers.is_separable"]


@exercise(
    "11.2",
    wants_function=True,
    asks="find the column and the row yourself with np.linalg.svd",
    ruled_out=_SEPARATORS,
    allows=["np.linalg.svd", "np.linalg.matrix_rank", "np.linalg.norm"],
)
def _factor(answer) -> str | None:
    for kernel in _rank_one_cases():
        scale = np.abs(kernel).max()
        try:
            result = call_answer(answer, kernel.copy(), what="factor")
        except Hint as hint:
            if "raised ValueError" in str(hint) and "`raise " in str(hint):  # the student's own rank test
                return (
                    f"{hint}, for a kernel of rank 1 whose largest entry is {scale:.3g}: "
                    "rounding leaves the second singular value a tiny fraction of the first, not exactly 0; "
                    "compare the two singular values with each other, not with a fixed number"
                )
            raise
        try:
            column, row = result
        except (TypeError, ValueError):
            return "return two 1-D arrays: (column, row)"
        column = np.asarray(column, dtype=np.float64).ravel()
        row = np.asarray(row, dtype=np.float64).ravel()
        if column.shape == (kernel.shape[0],) and row.shape == (kernel.shape[1],):
            rebuilt = np.outer(column, row)
            if np.allclose(rebuilt, kernel, rtol=0, atol=1e-6 * scale):  # float32 factors round at about 1e-7
                continue
            if np.allclose(rebuilt, -kernel, rtol=0, atol=1e-9 * scale):
                return "the outer product has the wrong sign: flip the sign of one factor"
            if np.allclose(np.outer(row, column), kernel, rtol=0, atol=1e-9 * scale):
                return "column and row are swapped: the column has one entry per kernel row"
            return "np.outer(column, row) should give the kernel back; it does not yet"
        if column.shape == (kernel.shape[1],) and row.shape == (kernel.shape[0],):
            return "column and row are swapped: the column has one entry per kernel row"
        return (
            f"for a {kernel.shape[0]}×{kernel.shape[1]} kernel the column has {kernel.shape[0]} "
            f"entries and the row {kernel.shape[1]}"
        )
    for name, kernel in _not_separable_cases():
        try:
            call_answer(answer, kernel.copy(), what="factor", allow_none=True)
        except Hint as hint:
            if "raised ValueError" in str(hint):
                continue
            raise
        if np.abs(kernel).max() < 0.1:
            return (
                f"{name} is not separable, so factor should raise ValueError for it: a test such as "
                "s[1] > 0.001 depends on the size of the entries; compare s[1] with s[0]"
            )
        return f"{name} is not separable, so factor should raise ValueError for it"
    return None


@exercise(
    "11.3",
    wants_function=True,
    asks="work the length out from n and k",
    ruled_out=["np.convolve", "scipy.signal.convolve", "scipy.signal.fftconvolve"],
)
def _fft_length(answer) -> str | None:
    for n, k in [(10, 3), (100, 7), (512, 31), (5, 5), (64, 1)]:
        result = call_answer(answer, n, k, what="fft_length")
        if isinstance(result, bool) or not isinstance(result, numbers.Integral):
            return "return a whole number"
        full = len(np.convolve(np.ones(n), np.ones(k), mode="full"))  # every output the kernel touches
        if result == full:
            continue
        if result == n:
            return "with only n samples the last outputs wrap around to the start: that is circular"
        if result < full:
            return "too short: some outputs still wrap around onto others"
        return "long enough, but not the shortest: count the outputs of the full linear convolution"
    return None


# --------------------------------------------------------------------------- 11.4


def _box_sums_by_loop(image: np.ndarray, k: int) -> np.ndarray:
    rows, cols = image.shape[0] - k + 1, image.shape[1] - k + 1
    return np.array([[image[i : i + k, j : j + k].sum() for j in range(cols)] for i in range(rows)])


@exercise(
    "11.4",
    asks="build the box sums from running sums yourself",
    ruled_out=[
        ruled("cv2.blur"),
        ruled("cv2.boxFilter"),
        ruled("cv2.integral"),
        ruled("cv2.filter2D"),
        ruled("ndimage.uniform_filter"),
        ruled("signal.correlate2d"),
        ruled("signal.convolve2d"),
        ruled("signal.fftconvolve"),
        ruled("np.lib.stride_tricks.sliding_window_view"),
        ruled("np.lib.stride_tricks.as_strided"),
        ruled("helpers.correlate"),
        ruled("helpers.integral.box_sums"),
        ruled("helpers.integral.integral_image"),
    ],
)
def _box_by_running_sums(answer) -> str | None:
    """Valid k × k box sums, against a loop, on sizes the notebook did not use."""
    rng = np.random.default_rng(1104)
    for shape, k in [((9, 13), 3), ((12, 7), 5), ((10, 10), 1), ((8, 11), 8), ((15, 9), 2), ((6, 6), 6)]:
        image = rng.integers(0, 256, size=shape).astype(float)
        kept = image.copy()
        result = call_answer(answer, image, k)
        if not np.array_equal(image, kept):
            return "your function changed the image it was given; work on a copy (np.cumsum returns a new array)"
        try:
            result = np.asarray(result, dtype=np.float64)
        except (TypeError, ValueError):
            return f"return an array of numbers; your function returned a {type(result).__name__}"
        expected = _box_sums_by_loop(image, k)
        case = f"a {shape[0]}×{shape[1]} image and k = {k}"
        if result.shape != expected.shape:
            if result.shape == (shape[0] - k, shape[1] - k):
                return (f"for {case} you returned one row and one column too few: put a row and a column of "
                        "zeros in front of the running sums, so the first box has something to subtract")
            return (f"for {case} there are {expected.shape[0]}×{expected.shape[1]} whole boxes "
                    f"(H − k + 1 by W − k + 1); yours is {result.shape}")
        if np.allclose(result, expected):
            continue
        if np.allclose(result * k * k, expected):
            return "that is the box *mean*; the exercise asks for the sum (do not divide by k²)"
        hint = scaled_hint(result, expected)
        if hint:
            return hint
        return f"wrong sums for {case}: S(i + k, j + k) − S(i, j + k) − S(i + k, j) + S(i, j), with S[0, :] = S[:, 0] = 0"
    return None


# --------------------------------------------------------------------------- 11.5

_CV_BORDERS = {
    "zero": cv2.BORDER_CONSTANT,
    "replicate": cv2.BORDER_REPLICATE,
    "reflect": cv2.BORDER_REFLECT,
    "reflect101": cv2.BORDER_REFLECT_101,
    "wrap": cv2.BORDER_WRAP,
}


def _opencv(image: np.ndarray, kernel: np.ndarray, border: str) -> np.ndarray:
    if border == "wrap":  # cv2.filter2D refuses BORDER_WRAP: pad by hand, keep the middle
        kh, kw = kernel.shape
        padded = np.pad(image, ((kh // 2,) * 2, (kw // 2,) * 2), mode="wrap")
        return cv2.filter2D(padded, cv2.CV_64F, kernel, borderType=cv2.BORDER_CONSTANT)[
            kh // 2 : kh // 2 + image.shape[0], kw // 2 : kw // 2 + image.shape[1]]
    return cv2.filter2D(image, cv2.CV_64F, kernel, borderType=_CV_BORDERS[border])


@exercise(
    "11.5",
    asks="vectorise your own loop",
    allows=["np.pad"],
    ruled_out=[
        ruled("cv2.filter2D"),
        ruled("cv2.sepFilter2D"),
        ruled("ndimage.correlate"),
        ruled("ndimage.convolve"),
        ruled("signal.correlate2d"),
        ruled("signal.convolve2d"),
        ruled("signal.fftconvolve"),
        ruled("helpers.correlate"),
        ruled("helpers.convolve"),
    ],
)
def _fast_correlate(answer) -> str | None:
    """Every border, odd kernels square or not, against OpenCV."""
    rng = np.random.default_rng(1105)
    for border in ("zero", "replicate", "reflect", "reflect101", "wrap"):
        for shape, kernel_shape in [((11, 14), (3, 5)), ((9, 8), (5, 3)), ((7, 7), (1, 3))]:
            image = rng.uniform(0, 255, size=shape)
            kernel = rng.normal(size=kernel_shape)
            raw = array_or_hint(call_answer(answer, image.copy(), kernel.copy(), border))
            result = raw.astype(np.float64)
            expected = _opencv(image, kernel, border)
            case = f"border {border!r}, a {kernel_shape[0]}×{kernel_shape[1]} kernel"
            if result.shape != expected.shape:
                return f"the result keeps the image's size ({shape[0]}×{shape[1]}); yours is {result.shape} ({case})"
            if close_on_scale(result, expected, 1e-5):  # float32 arithmetic rounds at about 1e-7 of the scale
                continue
            hint = number_type_hint(raw, expected) or scaled_hint(result, expected)
            if hint:
                return hint
            if np.allclose(result, _opencv(image, kernel[::-1, ::-1], border)):
                return "your function convolves (the kernel is turned): slide it as it is"
            for other in _CV_BORDERS:
                if other != border and np.allclose(result, _opencv(image, kernel, other)):
                    return f"with border {border!r} your function pads like {other!r}: check the np.pad mode"
            if kernel_shape[0] != kernel_shape[1]:
                return f"wrong for {case}: pad kh // 2 rows and kw // 2 columns, and shift rows by m, columns by n"
            return f"wrong values for {case}: out += K[m, n] · padded[m : m + H, n : n + W] for every tap"
    return None

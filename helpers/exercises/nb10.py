"""Checks for the exercises of notebook 10 (making it fast).

10.1  ``multiplications(height, width)``: multiplications per pixel for a kernel that is not square;
10.2  ``factor(kernel)``: a rank-1 kernel as a column and a row (ValueError otherwise), at any scale;
10.3  ``fft_length(n, k)``: the shortest transform with no wrap-around.

Expected values are counted here directly (loops over taps, lengths of
np.convolve's output), not with the formulas the notebook teaches.
"""
from __future__ import annotations

import numbers

import numpy as np

from . import Hint, call_answer, exercise


def _whole_pair(value) -> tuple[int, int] | None:
    try:
        first, second = value
    except (TypeError, ValueError):
        return None
    if any(isinstance(x, bool) or not isinstance(x, numbers.Integral) for x in (first, second)):
        return None
    return int(first), int(second)


@exercise("10.1", wants_function=True)
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
    "10.2",
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
            if np.allclose(rebuilt, kernel, rtol=0, atol=1e-9 * scale):
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
    "10.3",
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

"""Checks for the exercises of notebook 09 (making it fast).

09.1  ``multiplications(k)``: multiplications per pixel, direct and separable;
09.2  ``factor(kernel)``: a rank-1 kernel as a column and a row (ValueError otherwise);
09.3  ``fft_length(n, k)``: the shortest transform with no wrap-around.

Expected values are counted here directly (loops over taps, lengths of
np.convolve's output), not with the formulas the notebook teaches.
"""
from __future__ import annotations

import numbers

import numpy as np

from . import exercise


def _whole_pair(value) -> tuple[int, int] | None:
    try:
        first, second = value
    except (TypeError, ValueError):
        return None
    if any(isinstance(x, bool) or not isinstance(x, numbers.Integral) for x in (first, second)):
        return None
    return int(first), int(second)


@exercise("09.1")
def _multiplications(answer) -> str | None:
    if not callable(answer):
        return "answer with a function multiplications(k) that returns two whole numbers"
    for k in (3, 5, 9, 21, 31):
        pair = _whole_pair(answer(k))
        if pair is None:
            return "return two whole numbers: (direct, separable)"
        direct = sum(1 for _ in range(k) for _ in range(k))  # one per tap of the k×k kernel
        separable = sum(1 for _ in range(k)) + sum(1 for _ in range(k))  # column pass, then row pass
        if pair == (direct, separable):
            continue
        if pair == (separable, direct):
            return "the two numbers are swapped: direct first, separable second"
        if pair[0] != direct:
            return "direct: every tap of the k×k kernel multiplies one pixel"
        if pair[1] == k:
            return "separable: there are two passes, a column and then a row"
        return "separable: count the taps of the column and of the row"
    return None


def _rank_one_cases() -> list[np.ndarray]:
    rng = np.random.default_rng(707)
    return [
        np.outer([-1.0, 0.0, 1.0], [1.0, 2.0, 1.0]),  # Sobel-y
        np.outer(rng.normal(size=5), rng.normal(size=5)),
        np.outer(rng.normal(size=3), rng.normal(size=7)),  # not square
        np.outer([1.0, 4.0, 6.0, 4.0, 1.0], [1.0, 4.0, 6.0, 4.0, 1.0]) / 256,
    ]


@exercise("09.2")
def _factor(answer) -> str | None:
    if not callable(answer):
        return "answer with a function factor(kernel) that returns (column, row)"
    for kernel in _rank_one_cases():
        try:
            result = answer(kernel.copy())
        except ValueError:
            return "factor raised ValueError for a kernel of rank 1: check how it decides the rank"
        try:
            column, row = result
        except (TypeError, ValueError):
            return "return two 1-D arrays: (column, row)"
        column = np.asarray(column, dtype=np.float64).ravel()
        row = np.asarray(row, dtype=np.float64).ravel()
        scale = np.abs(kernel).max()
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
    sharpen = np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]])
    try:
        answer(sharpen)
    except ValueError:
        return None
    return "the sharpen kernel is not separable, so factor should raise ValueError for it"


@exercise("09.3")
def _fft_length(answer) -> str | None:
    if not callable(answer):
        return "answer with a function fft_length(n, k)"
    for n, k in [(10, 3), (100, 7), (512, 31), (5, 5), (64, 1)]:
        result = answer(n, k)
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

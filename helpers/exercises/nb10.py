"""Checks for the exercises of notebook 10 (why networks convolve).

10.1  ``layer_matrix(kernel, image_shape)``: the valid correlation written as a matrix;
10.2  ``field_with_strides(kernel_sizes, strides)``: the receptive field of a stack with strides and pooling.

Expected values come from impulses pushed through a loop (10.1) and from
following one output pixel down the stack (10.2), not from helpers.cnn,
whose functions are ruled out while the student's code runs.
"""
from __future__ import annotations

import numbers

import numpy as np

from . import RuledOut, call_answer, exercise
from ._answers import number_type_hint


def _cnn(name: str) -> RuledOut:
    """A function of helpers.cnn, named as the notebook calls it (``from helpers import cnn``)."""
    return RuledOut(f"cnn.{name}", f"helpers.cnn.{name}")


def _as_floats(value) -> np.ndarray | None:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array if array.ndim == 2 and np.all(np.isfinite(array)) else None


# --------------------------------------------------------------------------- 10.1


def _matrix_by_loop(kernel: np.ndarray, height: int, width: int) -> np.ndarray:
    """Column by column: the response of the valid correlation to each one-pixel image."""
    k_h, k_w = kernel.shape
    out_h, out_w = height - k_h + 1, width - k_w + 1
    matrix = np.zeros((out_h * out_w, height * width))
    for column in range(height * width):
        impulse = np.zeros((height, width))
        impulse.flat[column] = 1
        response = np.array([[np.sum(impulse[i : i + k_h, j : j + k_w] * kernel) for j in range(out_w)]
                             for i in range(out_h)])
        matrix[:, column] = response.ravel()
    return matrix


@exercise(
    "10.1",
    asks="place the weights in the matrix yourself",
    allows=["np.pad"],
    ruled_out=[_cnn("correlation_matrix"), _cnn("conv2d_nchw"), _cnn("im2col")],
)
def _layer_matrix(answer) -> str | None:
    rng = np.random.default_rng(906)
    # (kernel shape, image shape): none is the notebook's 3×3 kernel on a 4×5 image
    for kernel_shape, image_shape in [((2, 2), (4, 4)), ((3, 2), (5, 6)), ((1, 3), (3, 4)), ((3, 3), (6, 5))]:
        kernel = rng.integers(1, 10, size=kernel_shape) / 9  # fractions: a whole-number matrix would cut them
        kernel[0, 0] += 20  # no two weights equal, so a turned kernel shows
        kernel.flat[-1] = -7
        expected = _matrix_by_loop(kernel, *image_shape)
        raw = call_answer(answer, kernel.copy(), image_shape)
        result = _as_floats(raw)
        if result is not None and result.shape == expected.shape:
            hint = number_type_hint(np.asarray(raw), expected)
            if hint and not np.allclose(result, expected):
                return hint
        case = f"a {kernel_shape[0]}×{kernel_shape[1]} kernel on a {image_shape[0]}×{image_shape[1]} image"
        if result is None:
            return "return a 2-D array of numbers: one row per output pixel, one column per input pixel"
        if result.shape == expected.shape[::-1] and np.allclose(result, expected.T):
            return "that is the transpose: one *row* per output pixel, so that matrix @ image.ravel() works"
        if result.shape != expected.shape:
            return (f"for {case} the matrix has one row per output pixel ({expected.shape[0]}) and one column "
                    f"per input pixel ({expected.shape[1]}); yours has shape {result.shape}")
        if np.allclose(result, expected):
            continue
        if np.allclose(result, _matrix_by_loop(kernel[::-1, ::-1], *image_shape)):
            return "your matrix convolves (the kernel is turned): a layer correlates, K(m, n) goes to column (i + m)·W + (j + n)"
        if np.count_nonzero(result) == np.count_nonzero(expected):
            return (f"the right number of weights, in the wrong columns for {case}: row i·W' + j has "
                    "K(m, n) at column (i + m)·W + (j + n), where W is the image's width")
        return f"wrong matrix for {case}: check it with matrix @ image.ravel() against the correlation"
    return None


# --------------------------------------------------------------------------- 10.2


def _field_by_brute_force(kernel_sizes, strides) -> int:
    """Follow one output pixel down the stack: the span of input pixels its windows cover."""
    first, last = 0, 0  # the span of positions in the current layer, starting at the top output pixel
    for k, s in reversed(list(zip(kernel_sizes, strides, strict=True))):
        first, last = first * s, last * s + k - 1
    return last - first + 1


@exercise("10.2", wants_function=True, asks="work the field out layer by layer", ruled_out=[_cnn("receptive_field")])
def _field_with_strides(answer) -> str | None:
    for sizes, strides in [([3, 3], [2, 1]), ([5, 2, 3], [1, 2, 1]), ([3, 2, 3, 2, 3], [1, 2, 1, 2, 1]),
                           ([7, 3, 3], [2, 2, 2]), ([4], [3]), ([3, 3, 3, 3], [2, 2, 2, 1])]:
        result = call_answer(answer, list(sizes), list(strides), what="field_with_strides")
        if isinstance(result, bool) or not isinstance(result, numbers.Integral):
            return "return a whole number of pixels"
        expected = _field_by_brute_force(sizes, strides)
        if result == expected:
            continue
        if result == 1 + sum(k - 1 for k in sizes):
            return "each stride before a layer multiplies how far apart that layer's taps land on the image"
        own = 1 + sum((k - 1) * int(np.prod(strides[: i + 1])) for i, k in enumerate(sizes))
        if result == own:
            return "a layer's own stride does not widen its own window: multiply by the strides of the layers *before* it"
        return f"wrong field for kernel sizes {sizes} with strides {strides}; follow one output pixel down layer by layer"
    return None

"""Checks for the exercises of notebook 10 (why networks convolve).

10.1  ``layer_matrix(kernel, image_shape)``: the valid correlation written as a matrix;
10.2  ``field_with_strides(kernel_sizes, strides)``: the receptive field of a stack with strides and pooling;
10.3  ``transposed_size(n, k, stride, padding, output_padding)``: the output length of a transposed convolution;
10.4  ``input_gradient(output_gradient, weights, stride, input_shape)``: the gradient reaching a layer's
      input, with channels and a stride.

Expected values come from impulses pushed through a loop (10.1), from
following one output pixel down the stack (10.2), from sizes written out by
hand (10.3) and from a scatter loop (10.4), not from helpers.cnn, whose
functions are ruled out while the student's code runs.
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


# --------------------------------------------------------------------------- 10.3


@exercise("10.3", wants_function=True, asks="work the size out from the formula",
          ruled_out=[_cnn("conv_transpose2d"), _cnn("output_size")])
def _transposed_size(answer) -> str | None:
    """Along one axis: (n − 1)·s − 2p + k + output_padding, for cases the notebook did not show."""
    # (n, k, stride, padding, output_padding); expected values are written out by hand
    cases = [((5, 3, 2, 0, 0), 11), ((6, 4, 2, 1, 0), 12), ((4, 3, 3, 1, 2), 12), ((7, 2, 2, 0, 1), 15),
             ((3, 5, 1, 2, 0), 3), ((10, 3, 2, 1, 1), 20)]
    for (n, k, s, p, extra), expected in cases:
        result = call_answer(answer, n, k, s, p, extra, what="transposed_size")
        if isinstance(result, bool) or not isinstance(result, numbers.Integral):
            return "return a whole number of pixels"
        if result == expected:
            continue
        case = f"n={n}, k={k}, stride={s}, padding={p}, output_padding={extra}"
        if result == n * s - 2 * p + k + extra:
            return f"for {case}: n pixels give n − 1 gaps of s between the copies of the kernel, not n"
        if result == (n - 1) * s - p + k + extra:
            return f"for {case}: the padding is cut off on *both* sides"
        if result == (n - 1) * s - 2 * p + k:
            return f"for {case}: the output padding adds its rows too"
        if result == (n + 2 * p - k) // s + 1:
            return "that is the size of an ordinary (strided) layer's output; the transposed layer goes the other way"
        return f"wrong size for {case}; count where the last copy of the kernel ends, then cut the padding"
    return None


# --------------------------------------------------------------------------- 10.4


def _input_gradient_by_scatter(output_gradient: np.ndarray, weights: np.ndarray, stride: int,
                               input_shape: tuple[int, int]) -> np.ndarray:
    """Every output number G[o, i, j] sends G·W[o, c] back to the window it read, at (s·i, s·j)."""
    c_out, c_in, k, _ = weights.shape
    result = np.zeros((c_in, *input_shape))
    for o, i, j in np.ndindex(*output_gradient.shape):
        result[:, stride * i : stride * i + k, stride * j : stride * j + k] += output_gradient[o, i, j] * weights[o]
    return result


def _input_gradient_cases():
    rng = np.random.default_rng(1030)
    cases = []
    # (C_out, C_in, k, stride, H, W): the notebook showed 4 × 3 × 3 × 3 on 9 × 10 with stride 2
    for c_out, c_in, k, s, h, w in [(2, 3, 3, 2, 7, 8), (3, 2, 2, 2, 6, 6), (1, 2, 3, 3, 10, 8), (4, 1, 3, 1, 5, 6),
                                    (2, 2, 4, 2, 9, 11)]:
        out_h, out_w = (h - k) // s + 1, (w - k) // s + 1
        cases.append((rng.normal(size=(c_out, out_h, out_w)), rng.normal(size=(c_out, c_in, k, k)), s, (h, w)))
    return cases


@exercise(
    "10.4",
    wants_function=True,
    asks="send the output gradient back through the channels and the stride yourself",
    allows=["np.pad", "signal.convolve2d"],
    ruled_out=[_cnn("conv2d_input_gradient"), _cnn("conv_transpose2d"), _cnn("conv2d_nchw")],
)
def _strided_input_gradient(answer) -> str | None:
    """Σ_o spread(G_o) ∗ W[o, c], full convolution, zeros where no window reached: against a scatter loop."""
    for output_gradient, weights, stride, shape in _input_gradient_cases():
        kept = output_gradient.copy(), weights.copy()
        raw = call_answer(answer, output_gradient, weights, stride, shape, what="input_gradient")
        if not (np.array_equal(output_gradient, kept[0]) and np.array_equal(weights, kept[1])):
            return "your function changed the output gradient or the weights it was given; work on copies"
        try:
            result = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError):
            return "return an array of numbers of shape C_in × H × W, one per input number"
        expected = _input_gradient_by_scatter(output_gradient, weights, stride, shape)
        case = (f"a {weights.shape[0]}-channel output gradient of {output_gradient.shape[1]}×{output_gradient.shape[2]}, "
                f"weights {weights.shape}, stride {stride}")
        if result.shape != expected.shape:
            return (f"for {case} the gradient has one number per input number, shape {expected.shape} "
                    f"(C_in × H × W, with zeros where no window reached); yours has shape {result.shape}")
        if not np.all(np.isfinite(result)):
            return "your gradient holds inf or nan; return finite numbers"
        if np.allclose(result, expected):
            continue
        turned = weights[:, :, ::-1, ::-1].copy()
        if np.allclose(result, _input_gradient_by_scatter(output_gradient, turned, stride, shape)):
            return "the kernel is turned the wrong way: the gradient is a *full convolution* (08), each window gets G·W back as it is"
        if stride > 1 and weights.shape[0] > 1 and np.allclose(
                result, _input_gradient_by_scatter(output_gradient[:1], weights[:1], stride, shape)):
            return "only output channel 0 is in your gradient: every output channel o sends its share back, add over o"
        if stride > 1:
            unspread = np.zeros_like(expected)
            h, w = output_gradient.shape[1:]
            k = weights.shape[2]
            part = _input_gradient_by_scatter(output_gradient, weights, 1, (h + k - 1, w + k - 1))
            unspread[:, : min(h + k - 1, shape[0]), : min(w + k - 1, shape[1])] = part[:, : shape[0], : shape[1]]
            if np.allclose(result, unspread):
                return (f"with stride {stride} the windows start {stride} pixels apart: spread the output gradient "
                        f"out first ({stride - 1} zeros between neighbouring values)")
        return (f"wrong values for {case}; output number (o, i, j) read the window at (s·i, s·j) of every input "
                "channel c with the weights W[o, c]")
    return None

"""Checks for the exercises of notebook 09 (convolution inside a CNN).

09.1  ``layer_output_shape(input_shape, weight_shape, stride, padding, dilation)``: (N, C_out, H', W');
09.2  ``layer_by_hand(image, weights, bias)``: a multi-channel layer, stride 1, no padding;
09.3  ``field_of_view(kernel_sizes, dilations)``: the receptive field of a stack, stride 1;
09.4  ``same_split(k, d)``: "same" padding (before, after), the extra zero after (TensorFlow);
09.5  ``parameter_count(kernels, size, channels)``: weights and biases of a layer (07.3 before issue 16).

Expected values are found here by counting window positions, by plain loops
and by composing kernels, not with helpers.cnn, so the checks do not share
its mistakes; helpers.cnn's own functions are ruled out while the student's
code runs.
"""
from __future__ import annotations

import numbers

import numpy as np

from . import Hint, RuledOut, call_answer, exercise, ruled
from ._answers import scaled_hint


def _cnn(name: str) -> RuledOut:
    """A function of helpers.cnn, named as the notebook calls it (``from helpers import cnn``)."""
    return RuledOut(f"cnn.{name}", f"helpers.cnn.{name}")


# --------------------------------------------------------------------------- 09.1


def _positions(n: int, k: int, p: int, s: int, d: int) -> int:
    """How many times a window of k taps, d apart, fits when it starts at 0, s, 2s, ... on n + 2p pixels."""
    span = d * (k - 1) + 1
    return len([t for t in range(0, n + 2 * p, s) if t + span <= n + 2 * p])


def _shape_cases():
    # (input_shape, weight_shape, stride, padding, dilation); none is the notebook's example
    return [
        ((2, 3, 20, 15), (8, 3, 3, 3), 1, 1, 1),
        ((1, 4, 17, 23), (5, 4, 3, 5), 2, 0, 1),
        ((3, 2, 33, 30), (6, 2, 3, 3), 1, 2, 2),
        ((1, 16, 28, 28), (32, 16, 5, 5), 3, 2, 1),
        ((4, 1, 19, 12), (2, 1, 2, 4), 2, 1, 3),
        ((1, 3, 9, 11), (1, 3, 1, 1), 2, 0, 1),
    ]


def _whole_tuple(result) -> tuple[int, ...] | None:
    try:
        values = tuple(result)
    except TypeError:
        return None
    if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in values):
        return None
    return tuple(int(v) for v in values)


def _size_with(n, k, p, s, d, *, rounding=None, pad_sides=2, use_d=True, use_s=True) -> int:
    """The output-size formula with one typical slip, for recognising a wrong answer."""
    span = (d if use_d else 1) * (k - 1) + 1
    top = n + pad_sides * p - span
    if not use_s:
        return top + 1
    if rounding == "ceil":
        return -(-top // s) + 1
    if rounding == "round":
        return int(np.round(top / s)) + 1
    return top // s + 1


_SLIPS = [
    ({"use_d": False}, "a dilated kernel spans d(k − 1) + 1 pixels, not k: put the dilation into the formula"),
    ({"pad_sides": 1}, "the padding p is added on each side, so the axis grows by 2p"),
    ({"use_s": False}, "with stride s the window jumps s pixels at a time: divide by the stride"),
    ({"rounding": "ceil"}, "a window that would hang over the edge does not count: round the division down"),
    ({"rounding": "round"}, "a window that would hang over the edge does not count: round the division down"),
]


@exercise(
    "09.1",
    wants_function=True,
    asks="work the shape out from the formula",
    ruled_out=[_cnn("output_size"), _cnn("conv2d_nchw")],
)
def _layer_output_shape(answer) -> str | None:
    for input_shape, weight_shape, s, p, d in _shape_cases():
        n, _, height, width = input_shape
        c_out, c_in, k_h, k_w = weight_shape
        expected = (n, c_out, _positions(height, k_h, p, s, d), _positions(width, k_w, p, s, d))
        result = call_answer(answer, input_shape, weight_shape, s, p, d)
        shape = _whole_tuple(result)
        case = f"input {input_shape}, weights {weight_shape}, stride {s}, padding {p}, dilation {d}"
        if shape is None or len(shape) != 4:
            return f"return a tuple of four whole numbers (N, C_out, H', W'); for {case} you returned {result!r}"
        if shape == expected:
            continue
        if shape[0] != n:
            return "the batch size N does not change: the first number of the input shape"
        if shape[1] == c_in != c_out:
            return "the output has one channel per kernel: C_out, the first number of the weight shape, not C_in"
        if shape[1] != c_out:
            return "the output has one channel per kernel: C_out, the first number of the weight shape"
        if k_h != k_w and shape[2:] == (_positions(height, k_w, p, s, d), _positions(width, k_h, p, s, d)):
            return "rows go with the kernel's height k_h (weight_shape[2]), columns with its width k_w (weight_shape[3])"
        for slip, hint in _SLIPS:
            if shape[2:] == (_size_with(height, k_h, p, s, d, **slip), _size_with(width, k_w, p, s, d, **slip)):
                return hint
        return f"H' and W' are not right for {case}: count the window positions along one axis by hand"
    return None


# --------------------------------------------------------------------------- 09.2


def _loop_layer(image: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """out[o, i, j] = b[o] + Σ_c Σ_m Σ_n image[c, i + m, j + n] · W[o, c, m, n], one number at a time."""
    c_out, c_in, k, _ = weights.shape
    out = np.zeros((c_out, image.shape[1] - k + 1, image.shape[2] - k + 1))
    for o in range(c_out):
        for i in range(out.shape[1]):
            for j in range(out.shape[2]):
                out[o, i, j] = bias[o] + np.sum(image[:, i : i + k, j : j + k] * weights[o])
    return out


def _layer_cases():
    rng = np.random.default_rng(808)
    cases = []
    # (C_in, C_out, k, H, W): other channel counts, kernel sizes and shapes than the notebook's
    for c_in, c_out, k, height, width in [(2, 2, 3, 7, 9), (4, 2, 2, 6, 5), (1, 1, 3, 5, 8), (3, 3, 1, 4, 6),
                                          (5, 2, 3, 8, 7), (2, 3, 3, 6, 6)]:
        image = rng.uniform(-1, 1, size=(c_in, height, width))
        weights = rng.normal(size=(c_out, c_in, k, k))
        bias = rng.normal(size=c_out)
        cases.append((image, weights, bias))
    return cases


def _as_floats(value) -> np.ndarray | None:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array if np.all(np.isfinite(array)) else None


@exercise(
    "09.2",
    wants_function=True,
    asks="write the layer's sum yourself",
    ruled_out=[
        _cnn("conv2d_nchw"),
        ruled("scipy.signal.correlate"),
        ruled("scipy.signal.correlate2d"),
        ruled("scipy.signal.convolve"),
        ruled("scipy.signal.convolve2d"),
        ruled("scipy.ndimage.correlate"),
        ruled("scipy.ndimage.convolve"),
        ruled("cv2.filter2D"),
        ruled("helpers.correlate"),
    ],
)
def _layer_by_hand(answer) -> str | None:
    for image, weights, bias in _layer_cases():
        c_out, c_in, k, _ = weights.shape
        case = f"{c_in} input channel(s), {c_out} kernel(s) of {k}×{k}, a {image.shape[1]}×{image.shape[2]} image"
        expected = _loop_layer(image, weights, bias)
        originals = (image.copy(), weights.copy(), bias.copy())
        result = call_answer(answer, image, weights, bias)
        if not all(np.array_equal(a, b) for a, b in zip((image, weights, bias), originals, strict=True)):
            return "your function changed its input; work on copies"
        out = _as_floats(result)
        if out is None:
            return "return an array of finite numbers"
        if out.shape != expected.shape:
            kept_apart = (out.ndim == 4 and out.shape[:2] == (c_out, c_in)) or (
                c_in > 1 and out.ndim == 3 and out.shape[0] == c_out * c_in
            )
            if kept_apart:
                return (
                    f"one map per kernel: add the {c_in} channel results together instead of keeping them apart "
                    f"(expected shape {expected.shape} for {case}; got {out.shape})"
                )
            return f"for {case} the output has shape {expected.shape} (C_out, H − k + 1, W − k + 1); got {out.shape}"
        if np.allclose(out, expected, atol=1e-9):
            continue
        without_bias = expected - bias[:, np.newaxis, np.newaxis]
        if np.allclose(out, without_bias, atol=1e-9):
            raise Hint("add each kernel's bias to its whole map")
        if np.allclose(out, _loop_layer(image, weights[:, :, ::-1, ::-1], bias), atol=1e-9) and k > 1:
            return "that is a convolution (the kernel turned by 180°); a layer slides its kernel as it is"
        averaged = without_bias / c_in + bias[:, np.newaxis, np.newaxis]
        if c_in > 1 and np.allclose(out, averaged, atol=1e-9):
            return "the channel results are added, not averaged"
        first_only = _loop_layer(image[:1], weights[:, :1], bias)
        if c_in > 1 and np.allclose(out, first_only, atol=1e-9):
            return "every input channel contributes: sum over all C_in channels, not only the first"
        if c_out == c_in and np.allclose(out, _loop_layer(image, weights.transpose(1, 0, 2, 3), bias), atol=1e-9):
            return "weights[o, c] is the slice of kernel o for channel c: the output channel comes first"
        hint = scaled_hint(out, expected)
        if hint:
            return hint
        return f"wrong numbers for {case}; compare one output pixel with the formula, channel by channel"
    return None


# --------------------------------------------------------------------------- 09.3


def _footprint(kernel_sizes, dilations) -> int:
    """The width of the combined kernel of a stack, by composing dilated 1-D kernels of ones."""
    reach = np.ones(1)
    for k, d in zip(kernel_sizes, dilations, strict=True):
        taps = np.zeros(d * (k - 1) + 1)
        taps[::d] = 1
        reach = np.convolve(reach, taps)
    return len(reach)


@exercise(
    "09.3",
    wants_function=True,
    asks="work the receptive field out yourself",
    allows=["np.convolve"],
    ruled_out=[_cnn("receptive_field")],
)
def _field_of_view(answer) -> str | None:
    stacks = [([3, 3, 3, 3], [1, 1, 1, 1]), ([5, 3], [1, 1]), ([3, 3, 3], [1, 3, 9]), ([7], [1]),
              ([3, 5, 1, 3], [2, 1, 4, 2]), ([2, 2, 2], [1, 2, 4]), ([1, 1], [1, 5])]
    for sizes, dilations in stacks:
        expected = _footprint(sizes, dilations)
        result = call_answer(answer, list(sizes), list(dilations))
        if isinstance(result, bool) or not isinstance(result, numbers.Integral):
            return f"return a whole number of pixels; for {sizes} with dilations {dilations} you returned {result!r}"
        if result == expected:
            continue
        case = f"kernel sizes {sizes} with dilations {dilations}"
        if result == int(np.prod(sizes)) and expected != result:
            return "layers add to the view, they do not multiply it: each widens it by its span minus one"
        if result == expected - 1:
            return "count the output pixel's own column too: start from 1"
        if result == 1 + sum(k - 1 for k in sizes):
            return "a dilated layer widens the view by d(k − 1), not k − 1"
        if result == sum(d * (k - 1) + 1 for k, d in zip(sizes, dilations, strict=True)):
            return "neighbouring layers share a pixel: each layer adds its span minus one"
        return f"not right for {case}; draw the layers' taps on a line for a small stack and count"
    return None


# --------------------------------------------------------------------------- 09.4


@exercise(
    "09.4",
    wants_function=True,
    asks="split the padding yourself",
    ruled_out=[_cnn("same_padding")],
)
def _same_split(answer) -> str | None:
    for k, d in [(5, 1), (2, 1), (4, 1), (6, 1), (3, 2), (2, 3), (4, 3), (1, 1), (7, 2)]:
        total = d * (k - 1)
        expected = (total // 2, total - total // 2)
        result = call_answer(answer, k, d)
        pair = _whole_tuple(result)
        if pair is None or len(pair) != 2:
            return f"return two whole numbers (before, after); for k={k}, d={d} you returned {result!r}"
        if pair == expected:
            continue
        if pair == expected[::-1]:
            return "TensorFlow puts the extra zero after (at the bottom or on the right), not before"
        if sum(pair) == k - 1 and d > 1:
            return "a dilated kernel spans d(k − 1) + 1 pixels, so the padding adds up to d(k − 1)"
        if sum(pair) != total:
            return f"the two sides must add up to d(k − 1) = {total} for k={k}, d={d} so that the size is kept"
        return f"for k={k}, d={d} the total {total} splits as evenly as possible, the larger part after"
    return None


# --------------------------------------------------------------------------- 09.5


@exercise("09.5", wants_function=True)
def _parameter_count(answer) -> str | None:
    for kernels, size, channels in [(8, 3, 3), (16, 5, 1), (64, 3, 32), (1, 1, 1), (10, 7, 4)]:
        result = call_answer(answer, kernels, size, channels, what="parameter_count")
        if isinstance(result, bool) or not isinstance(result, numbers.Integral):
            return "return a whole number"
        weights = 0
        for _ in range(kernels):
            weights += size * size * channels + 1  # every weight of every channel, and one bias
        if result == weights:
            continue
        if result == kernels * size * size * channels:
            return "every kernel also learns one bias, added to its whole feature map"
        if result == kernels * (size * size + 1):
            return "each kernel of the layer sees every input channel, with its own weights for each"
        if result == kernels * size * size:
            return "count the weights for every input channel, and one bias per kernel"
        return f"not yet: for {kernels} kernels of {size}×{size} on {channels} channel(s), count again"
    return None


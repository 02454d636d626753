"""The checks of notebook 09's exercises: right answers pass, slips and shortcuts get a sentence."""
import cv2
import numpy as np
import pytest
from exercise_testing import verdict
from numpy.lib.stride_tricks import sliding_window_view
from scipy import ndimage, signal

import helpers
from helpers import cnn
from helpers.exercises import ruled_out_calls

# ---------------------------------------------------------------- 09.1 the output shape


def shape_with(size):
    def layer_output_shape(input_shape, weight_shape, stride, padding, dilation):
        n, _, height, width = input_shape
        c_out, _, k_h, k_w = weight_shape
        return (n, c_out, size(height, k_h, stride, padding, dilation), size(width, k_w, stride, padding, dilation))

    return layer_output_shape


def right_size(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def test_output_shape_right(capsys):
    assert verdict(capsys, "09.1", shape_with(right_size))[0] is True
    # numpy integers are whole numbers too, and a list is as good as a tuple
    assert verdict(capsys, "09.1", lambda *a: [np.int64(v) for v in shape_with(right_size)(*a)])[0] is True


@pytest.mark.parametrize(
    ("size", "phrase"),
    [
        (lambda n, k, s, p, d: (n + 2 * p - k) // s + 1, "dilated kernel spans"),
        (lambda n, k, s, p, d: (n + p - d * (k - 1) - 1) // s + 1, "on each side"),
        (lambda n, k, s, p, d: n + 2 * p - d * (k - 1), "divide by the stride"),
        (lambda n, k, s, p, d: -(-(n + 2 * p - d * (k - 1) - 1) // s) + 1, "round the division down"),
        (lambda n, k, s, p, d: n + 2 * p - k + 1, "divide by the stride"),
        (lambda n, k, s, p, d: n - k, "count the window positions"),
    ],
)
def test_output_shape_slips(capsys, size, phrase):
    result, out = verdict(capsys, "09.1", shape_with(size))
    assert result is False and phrase in out


def test_output_shape_channel_and_axis_slips(capsys):
    def c_in_channels(input_shape, weight_shape, *rest):
        n, c_out, rows, cols = shape_with(right_size)(input_shape, weight_shape, *rest)
        return (n, input_shape[1], rows, cols)

    result, out = verdict(capsys, "09.1", c_in_channels)
    assert result is False and "not C_in" in out

    def swapped_kernel_axes(input_shape, weight_shape, *rest):
        c_out, c_in, k_h, k_w = weight_shape
        return shape_with(right_size)(input_shape, (c_out, c_in, k_w, k_h), *rest)

    result, out = verdict(capsys, "09.1", swapped_kernel_axes)
    assert result is False and "kernel's height k_h" in out

    result, out = verdict(capsys, "09.1", lambda i, w, s, p, d: (w[0], i[0], 3, 3))
    assert result is False and "batch size N" in out

    result, out = verdict(capsys, "09.1", lambda *a: "1, 8, 20, 15")
    assert result is False and "tuple of four whole numbers" in out

    result, out = verdict(capsys, "09.1", lambda *a: tuple(float(v) for v in shape_with(right_size)(*a)))
    assert result is False and "whole numbers" in out


def test_output_shape_right_on_the_shown_case_only(capsys):
    # the notebook's astronaut layer: (1, 3, 96, 96) with (4, 3, 3, 3) -> (1, 4, 94, 94)
    result, out = verdict(capsys, "09.1", lambda *a: (1, 4, 94, 94))
    assert result is False and "Hint" in out


@pytest.mark.parametrize(
    "shortcut",
    [
        lambda i, w, s, p, d: (i[0], w[0], cnn.output_size(i[2], w[2], p, s, d), cnn.output_size(i[3], w[3], p, s, d)),
        lambda i, w, s, p, d: cnn.conv2d_nchw(np.zeros(i), np.zeros(w), stride=s, padding=p, dilation=d).shape,
    ],
)
def test_output_shape_rules_out_the_helpers(capsys, shortcut):
    result, out = verdict(capsys, "09.1", shortcut)
    assert result is False and "without cnn." in out
    assert cnn.output_size(7, 3) == 5  # restored


# ---------------------------------------------------------------- 09.2 a layer by hand


def by_einsum(image, weights, bias):
    k = weights.shape[-1]
    view = sliding_window_view(np.asarray(image, dtype=float), (k, k), axis=(1, 2))
    return np.einsum("cijmn,ocmn->oij", view, weights) + np.asarray(bias)[:, None, None]


def by_loops(image, weights, bias):
    c_out, c_in, k, _ = weights.shape
    h, w = image.shape[1] - k + 1, image.shape[2] - k + 1
    out = np.zeros((c_out, h, w))
    for o in range(c_out):
        for i in range(h):
            for j in range(w):
                out[o, i, j] = bias[o] + np.sum(image[:, i : i + k, j : j + k] * weights[o])
    return out


@pytest.mark.parametrize("answer", [by_einsum, by_loops])
def test_layer_by_hand_right(capsys, answer):
    assert verdict(capsys, "09.2", answer)[0] is True


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (lambda x, w, b: by_einsum(x, w, np.zeros_like(b)), "add each kernel's bias"),
        (lambda x, w, b: by_einsum(x, w[:, :, ::-1, ::-1], b), "that is a convolution"),
        (lambda x, w, b: by_einsum(x, w / x.shape[0], b), "added, not averaged"),
        (lambda x, w, b: by_einsum(x[:1], w[:, :1], b), "every input channel contributes"),
        (lambda x, w, b: by_einsum(x, w.transpose(1, 0, 2, 3), b), "the output channel comes first"),
        (lambda x, w, b: by_einsum(x, w, b)[:, 1:], "the output has shape"),
        (lambda x, w, b: np.stack([by_einsum(x[c : c + 1], w[:, c : c + 1], b) for c in range(x.shape[0])], axis=1),
         "add the"),
        (lambda x, w, b: by_einsum(x, w, b) + 1, "off by the same amount (+1)"),
        (lambda x, w, b: by_einsum(x, w, b) * 1.3 + 0.2, "wrong numbers"),
        (lambda x, w, b: "map", "finite numbers"),
    ],
)
def test_layer_by_hand_slips(capsys, answer, phrase):
    result, out = verdict(capsys, "09.2", answer)
    assert result is False and phrase in out


def test_layer_by_hand_for_three_channels_only(capsys):
    def three_channels(x, w, b):  # right on the notebook's RGB case, wrong elsewhere
        return sum(by_einsum(x[c : c + 1], w[:, c : c + 1], np.zeros_like(b)) for c in range(3)) + b[:, None, None]

    result, out = verdict(capsys, "09.2", three_channels)
    assert result is False and "Hint" in out


def test_layer_by_hand_must_not_change_its_input(capsys):
    def in_place(x, w, b):
        out = by_einsum(x, w, b)
        x *= 0
        return out

    result, out = verdict(capsys, "09.2", in_place)
    assert result is False and "changed the x it was given" in out


def per_channel_sum(correlate):
    def layer(x, w, b):
        return np.stack([sum(correlate(x[c], w[o, c]) for c in range(x.shape[0])) + b[o] for o in range(len(w))])

    return layer


@pytest.mark.parametrize(
    ("shortcut", "named"),
    [
        (lambda x, w, b: cnn.conv2d_nchw(x, w, b), "cnn.conv2d_nchw"),
        (per_channel_sum(lambda a, k: signal.correlate2d(a, k, mode="valid")), "scipy.signal.correlate2d"),
        (per_channel_sum(lambda a, k: signal.correlate(a, k, mode="valid")), "scipy.signal.correlate"),
        (per_channel_sum(lambda a, k: signal.convolve2d(a, k[::-1, ::-1], mode="valid")), "scipy.signal.convolve2d"),
        (per_channel_sum(lambda a, k: signal.convolve(a, k[::-1, ::-1], mode="valid")), "scipy.signal.convolve"),
        (per_channel_sum(lambda a, k: ndimage.correlate(a, k)), "scipy.ndimage.correlate"),
        (per_channel_sum(lambda a, k: ndimage.convolve(a, k)), "scipy.ndimage.convolve"),
        (per_channel_sum(lambda a, k: cv2.filter2D(a, -1, k)), "cv2.filter2D"),
        (per_channel_sum(lambda a, k: helpers.correlate(a, k, border="valid")), "helpers.correlate"),
    ],
)
def test_layer_by_hand_rules_out_library_convolutions(capsys, shortcut, named):
    result, out = verdict(capsys, "09.2", shortcut)
    assert result is False and f"without {named}" in out
    assert named in ruled_out_calls("09.2")


# ---------------------------------------------------------------- 09.3 the receptive field


def test_field_of_view_right(capsys):
    assert verdict(capsys, "09.3", lambda ks, ds: 1 + sum(d * (k - 1) for k, d in zip(ks, ds, strict=True)))[0]


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (lambda ks, ds: int(np.prod(ks)), "do not multiply"),
        (lambda ks, ds: sum(d * (k - 1) for k, d in zip(ks, ds, strict=True)), "start from 1"),
        (lambda ks, ds: 1 + sum(k - 1 for k in ks), "d(k − 1), not k − 1"),
        (lambda ks, ds: sum(d * (k - 1) + 1 for k, d in zip(ks, ds, strict=True)), "share a pixel"),
        (lambda ks, ds: 1 + len(ks) * (ks[0] - 1), "not right for"),
        (lambda ks, ds: 5, "not right for"),  # the notebook's example only
        (lambda ks, ds: 5.0, "whole number"),
    ],
)
def test_field_of_view_slips(capsys, answer, phrase):
    result, out = verdict(capsys, "09.3", answer)
    assert result is False and phrase in out


def test_field_of_view_rules_out_the_helper(capsys):
    result, out = verdict(capsys, "09.3", lambda ks, ds: cnn.receptive_field(ks, ds))
    assert result is False and "without cnn.receptive_field" in out


# ---------------------------------------------------------------- 09.4 "same" padding


def test_same_split_right(capsys):
    assert verdict(capsys, "09.4", lambda k, d: (d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2))[0] is True
    assert verdict(capsys, "09.4", lambda k, d: [np.int64(d * (k - 1) // 2), d * (k - 1) - d * (k - 1) // 2])[0]


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (lambda k, d: (d * (k - 1) - d * (k - 1) // 2, d * (k - 1) // 2), "after"),
        (lambda k, d: ((k - 1) // 2, k - 1 - (k - 1) // 2), "adds up to d(k − 1)"),
        (lambda k, d: (d * k // 2, d * k // 2), "must add up to"),
        (lambda k, d: (1, 1), "must add up to"),  # right on the notebook's example only
        (lambda k, d: (d * (k - 1) / 2, d * (k - 1) / 2), "two whole numbers"),
        (lambda k, d: d * (k - 1), "two whole numbers"),
    ],
)
def test_same_split_slips(capsys, answer, phrase):
    result, out = verdict(capsys, "09.4", answer)
    assert result is False and phrase in out


def test_same_split_rules_out_the_helper(capsys):
    result, out = verdict(capsys, "09.4", lambda k, d: cnn.same_padding(k, d))
    assert result is False and "without cnn.same_padding" in out


# ---------------------------------------------------------------- 09.5


def test_parameter_count_right(capsys):
    assert verdict(capsys, "09.5", lambda n, k, c: n * (k * k * c + 1))[0] is True


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda n, k, c: n * k * k * c, "one bias"),
        (lambda n, k, c: n * (k * k + 1), "every input channel"),
        (lambda n, k, c: n * k * k, "for every input channel, and one bias"),
        (lambda n, k, c: n * (k * k * c + 1) + 1, "count again"),
        (lambda n, k, c: float(n * (k * k * c + 1)), "whole number"),
    ],
)
def test_parameter_count_hints(capsys, answer, hint):
    result, out = verdict(capsys, "09.5", answer)
    assert result is False and hint in out


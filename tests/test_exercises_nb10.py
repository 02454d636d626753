"""The checks of notebook 10's exercises: right answers pass, slips and shortcuts get a sentence."""
import numpy as np
import pytest
from exercise_testing import verdict
from scipy import signal

from helpers import cnn

# ---------------------------------------------------------------- 10.1 the layer as a matrix


def layer_matrix_solution(kernel, image_shape):
    height, width = image_shape
    k_h, k_w = np.shape(kernel)
    out_h, out_w = height - k_h + 1, width - k_w + 1
    matrix = np.zeros((out_h * out_w, height * width))
    for i in range(out_h):
        for j in range(out_w):
            for m in range(k_h):
                for n in range(k_w):
                    matrix[i * out_w + j, (i + m) * width + (j + n)] = kernel[m][n]
    return matrix


def test_layer_matrix_right(capsys):
    assert verdict(capsys, "10.1", layer_matrix_solution)[0] is True


def test_layer_matrix_solution_reproduces_the_correlation():
    rng = np.random.default_rng(96)
    image, kernel = rng.normal(size=(5, 7)), rng.normal(size=(2, 3))
    assert np.allclose(layer_matrix_solution(kernel, image.shape) @ image.ravel(),
                       signal.correlate2d(image, kernel, "valid").ravel())


def wrong_width(kernel, image_shape):
    # columns counted with the output's width instead of the image's
    height, width = image_shape
    k_h, k_w = np.shape(kernel)
    out_h, out_w = height - k_h + 1, width - k_w + 1
    matrix = np.zeros((out_h * out_w, height * width))
    for i in range(out_h):
        for j in range(out_w):
            for m in range(k_h):
                for n in range(k_w):
                    matrix[i * out_w + j, ((i + m) * out_w + (j + n)) % (height * width)] = kernel[m][n]
    return matrix


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda k, s: layer_matrix_solution(k, s).T, "that is the transpose"),
        (lambda k, s: layer_matrix_solution(np.asarray(k)[::-1, ::-1], s), "your matrix convolves"),
        (lambda k, s: np.zeros((s[0] * s[1], s[0] * s[1])), "one row per output pixel"),
        (wrong_width, "wrong columns"),
        (lambda k, s: layer_matrix_solution(k, s) + 1, "wrong matrix"),
        (lambda k, s: "matrix", "return a 2-D array"),
    ],
    ids=["transpose", "turned", "square", "wrong width", "plus one", "a word"],
)
def test_layer_matrix_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "10.1", answer)
    assert result is False and words in out, out


@pytest.mark.parametrize("helper", ["correlation_matrix", "im2col"])
def test_layer_matrix_shortcuts_are_named(capsys, helper):
    def shortcut(kernel, image_shape):
        if helper == "im2col":
            cnn.im2col(np.zeros(image_shape), np.shape(kernel))
        return cnn.correlation_matrix(kernel, image_shape)

    result, out = verdict(capsys, "10.1", shortcut)
    assert result is False and f"without cnn.{helper}" in out, out


# ---------------------------------------------------------------- 10.2 the receptive field with strides


def field_with_strides_solution(kernel_sizes, strides):
    field, jump = 1, 1
    for k, s in zip(kernel_sizes, strides, strict=True):
        field += (k - 1) * jump
        jump *= s
    return field


def test_field_with_strides_right(capsys):
    assert verdict(capsys, "10.2", field_with_strides_solution)[0] is True


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda ks, ss: 1 + sum(k - 1 for k in ks), "each stride before a layer"),
        (lambda ks, ss: 1 + sum((k - 1) * int(np.prod(ss[: i + 1])) for i, k in enumerate(ks)), "*before* it"),
        (lambda ks, ss: float(field_with_strides_solution(ks, ss)), "whole number"),
        (lambda ks, ss: field_with_strides_solution(ks, ss) + 1, "follow one output pixel"),
        (lambda ks, ss: cnn.receptive_field(ks, strides=ss), "without cnn.receptive_field"),
    ],
    ids=["no strides", "own stride", "float", "off by one", "helper"],
)
def test_field_with_strides_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "10.2", answer)
    assert result is False and words in out, out

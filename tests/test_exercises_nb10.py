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


# ---------------------------------------------------------------- 10.3 the size a transposed convolution returns


def transposed_size_solution(n, k, stride, padding, output_padding):
    return (n - 1) * stride - 2 * padding + k + output_padding


def test_transposed_size_right(capsys):
    assert verdict(capsys, "10.3", transposed_size_solution)[0] is True


def test_transposed_size_solution_matches_stamping_copies_by_hand():
    # 3 pixels, stride 2, a kernel of 3: copies start at 0, 2, 4 and the last ends at 6, so 7 pixels
    assert transposed_size_solution(3, 3, 2, 0, 0) == 7
    # the notebook's doubling: 8 pixels, k = 4, s = 2, one pixel cut off each side
    assert transposed_size_solution(8, 4, 2, 1, 0) == 16


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda n, k, s, p, op: n * s - 2 * p + k + op, "n − 1 gaps"),
        (lambda n, k, s, p, op: (n - 1) * s - p + k + op, "*both* sides"),
        (lambda n, k, s, p, op: (n - 1) * s - 2 * p + k, "output padding"),
        (lambda n, k, s, p, op: (n + 2 * p - k) // s + 1, "goes the other way"),
        (lambda n, k, s, p, op: float(transposed_size_solution(n, k, s, p, op)), "whole number"),
        (lambda n, k, s, p, op: transposed_size_solution(n, k, s, p, op) + 5, "wrong size"),
    ],
    ids=["n gaps", "padding once", "no output padding", "forward formula", "float", "off by five"],
)
def test_transposed_size_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "10.3", answer)
    assert result is False and words in out, out


# ---------------------------------------------------------------- 10.4 the gradient through channels and a stride


def input_gradient_solution(output_gradient, weights, stride, input_shape):
    c_out, c_in, k, _ = np.shape(weights)
    gradient = np.zeros((c_in, *input_shape))
    for o, i, j in np.ndindex(*np.shape(output_gradient)):
        gradient[:, stride * i : stride * i + k, stride * j : stride * j + k] += output_gradient[o][i][j] * weights[o]
    return gradient


def test_input_gradient_right(capsys):
    assert verdict(capsys, "10.4", input_gradient_solution)[0] is True


def test_input_gradient_solution_agrees_with_finite_differences():
    rng = np.random.default_rng(104)
    x, w, g = rng.normal(size=(2, 8, 7)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=(3, 3, 3))
    numeric = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = 1e-6
        numeric[index] = np.sum(g * (cnn.conv2d_nchw(x + step, w, stride=2) - cnn.conv2d_nchw(x - step, w, stride=2))) / 2e-6
    assert np.allclose(input_gradient_solution(g, w, 2, (8, 7)), numeric, atol=1e-6)


def turned_kernel(g, w, s, shape):
    return input_gradient_solution(g, np.asarray(w)[:, :, ::-1, ::-1], s, shape)


def first_channel_only(g, w, s, shape):
    return input_gradient_solution(np.asarray(g)[:1], np.asarray(w)[:1], s, shape)


def not_spread(g, w, s, shape):
    # the stride forgotten: G convolved as it is, then cut or padded to the input's shape
    k = np.shape(w)[2]
    part = input_gradient_solution(g, w, 1, (np.shape(g)[1] + k - 1, np.shape(g)[2] + k - 1))
    result = np.zeros((np.shape(w)[1], *shape))
    rows, cols = min(part.shape[1], shape[0]), min(part.shape[2], shape[1])
    result[:, :rows, :cols] = part[:, :rows, :cols]
    return result


def no_tail(g, w, s, shape):
    # only as far as the last window reached: the skipped rows and columns left out
    k = np.shape(w)[2]
    return input_gradient_solution(g, w, s, ((np.shape(g)[1] - 1) * s + k, (np.shape(g)[2] - 1) * s + k))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (turned_kernel, "turned the wrong way"),
        (first_channel_only, "add over o"),
        (not_spread, "spread the output gradient"),
        (no_tail, "zeros where no window reached"),
        (lambda g, w, s, shape: 2 * input_gradient_solution(g, w, s, shape), "wrong values"),
        (lambda g, w, s, shape: "gradient", "array of numbers"),
        (lambda g, w, s, shape: cnn.conv2d_input_gradient(g, w, shape, stride=s), "without cnn.conv2d_input_gradient"),
    ],
    ids=["turned", "one channel", "not spread", "no tail", "doubled", "a word", "helper"],
)
def test_input_gradient_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "10.4", answer)
    assert result is False and words in out, out


def test_input_gradient_that_changes_its_arguments_is_named(capsys):
    def in_place(g, w, s, shape):
        result = input_gradient_solution(g, w, s, shape)
        g *= 0
        return result

    result, out = verdict(capsys, "10.4", in_place)
    assert result is False and "changed" in out, out

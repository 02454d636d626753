"""helpers.cnn against independent computations: plain loops, scipy.signal, counting by brute force."""
import itertools
import re

import numpy as np
import pytest
from scipy import signal

from helpers import cnn


def loop_layer(x, w, b, stride=(1, 1), pads=((0, 0), (0, 0)), dilation=(1, 1)):
    """The layer's sum, one output number at a time, for one C×H×W image."""
    padded = np.zeros((x.shape[0], x.shape[1] + sum(pads[0]), x.shape[2] + sum(pads[1])))
    padded[:, pads[0][0] : pads[0][0] + x.shape[1], pads[1][0] : pads[1][0] + x.shape[2]] = x
    c_out, c_in, k_h, k_w = w.shape
    (s_h, s_w), (d_h, d_w) = stride, dilation
    rows, cols = [], []
    i = 0
    while i * s_h + d_h * (k_h - 1) < padded.shape[1]:
        rows.append(i)
        i += 1
    j = 0
    while j * s_w + d_w * (k_w - 1) < padded.shape[2]:
        cols.append(j)
        j += 1
    out = np.zeros((c_out, len(rows), len(cols)))
    for o in range(c_out):
        for i in rows:
            for j in cols:
                total = b[o]
                for c in range(c_in):
                    for m in range(k_h):
                        for q in range(k_w):
                            total += padded[c, i * s_h + d_h * m, j * s_w + d_w * q] * w[o, c, m, q]
                out[o, i, j] = total
    return out


@pytest.fixture
def rng():
    return np.random.default_rng(8)


def test_one_image_is_the_sum_of_scipy_correlations_over_channels(rng):
    x = rng.normal(size=(3, 11, 14))
    w = rng.normal(size=(4, 3, 3, 2))  # an even, non-square kernel too
    b = rng.normal(size=4)
    out = cnn.conv2d_nchw(x, w, b)
    expected = np.stack([sum(signal.correlate2d(x[c], w[o, c], mode="valid") for c in range(3)) + b[o]
                         for o in range(4)])
    assert out.shape == (4, 9, 13)
    np.testing.assert_allclose(out, expected, atol=1e-12)
    # the same as one 3-D scipy correlation whose depth matches the channels
    np.testing.assert_allclose(out[1], signal.correlate(x, w[1], mode="valid")[0] + b[1], atol=1e-12)


@pytest.mark.parametrize(
    ("stride", "padding", "dilation"),
    [(1, 0, 1), (2, 0, 1), (1, 1, 2), (3, 2, 1), ((2, 1), (1, 0), (1, 3)), (1, ((0, 1), (2, 1)), 2), (2, 3, 2)],
)
def test_stride_padding_dilation_match_the_loop(rng, stride, padding, dilation):
    x = rng.normal(size=(2, 2, 10, 9))
    w = rng.normal(size=(3, 2, 3, 2))
    b = rng.normal(size=3)
    s = stride if isinstance(stride, tuple) else (stride, stride)
    d = dilation if isinstance(dilation, tuple) else (dilation, dilation)
    if isinstance(padding, int):
        pads = ((padding, padding), (padding, padding))
    elif isinstance(padding[0], int):
        pads = ((padding[0], padding[0]), (padding[1], padding[1]))
    else:
        pads = padding
    out = cnn.conv2d_nchw(x, w, b, stride=stride, padding=padding, dilation=dilation)
    for n in range(2):
        np.testing.assert_allclose(out[n], loop_layer(x[n], w, b, s, pads, d), atol=1e-12)


def test_a_batch_is_each_image_on_its_own(rng):
    x = rng.normal(size=(3, 2, 8, 8))
    w = rng.normal(size=(5, 2, 3, 3))
    batch = cnn.conv2d_nchw(x, w, padding=1)
    for n in range(3):
        np.testing.assert_array_equal(batch[n], cnn.conv2d_nchw(x[n], w, padding=1))


def test_dilation_is_a_kernel_with_zeros_between_its_taps(rng):
    x = rng.normal(size=(1, 12, 12))
    w = rng.normal(size=(1, 1, 3, 3))
    spread = np.zeros((1, 1, 5, 5))
    spread[:, :, ::2, ::2] = w
    np.testing.assert_allclose(cnn.conv2d_nchw(x, w, dilation=2), cnn.conv2d_nchw(x, spread), atol=1e-12)


def test_stride_keeps_every_sth_output_of_stride_one(rng):
    x = rng.normal(size=(2, 13, 10))
    w = rng.normal(size=(2, 2, 3, 3))
    np.testing.assert_allclose(cnn.conv2d_nchw(x, w, stride=3), cnn.conv2d_nchw(x, w)[:, ::3, ::3], atol=1e-12)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("d", [1, 2])
def test_same_padding_keeps_the_size_and_pads_after(rng, k, d):
    x = rng.normal(size=(1, 9, 7))
    w = rng.normal(size=(1, 1, k, k))
    out = cnn.conv2d_nchw(x, w, padding="same", dilation=d)
    assert out.shape == (1, 9, 7)
    before, after = cnn.same_padding(k, d)
    assert before + after == d * (k - 1) and after - before in (0, 1)
    padded = np.pad(x[0], ((before, after), (before, after)))
    np.testing.assert_allclose(out[0], loop_layer(padded[np.newaxis], w, [0.0], dilation=(d, d))[0], atol=1e-12)


def test_same_padding_of_a_2x2_kernel_puts_the_extra_zero_at_the_bottom_right():
    # TensorFlow's documented rule: pad_top = total // 2, pad_bottom = total - pad_top
    assert cnn.same_padding(2) == (0, 1)
    assert cnn.same_padding(4) == (1, 2)
    assert cnn.same_padding(4, d=3) == (4, 5)
    x = np.zeros((1, 3, 3))
    x[0, 2, 2] = 1  # bottom-right pixel: only a zero row/column below/right lets the kernel reach it
    out = cnn.conv2d_nchw(x, np.ones((1, 1, 2, 2)), padding="same")
    assert out[0].tolist() == [[0, 0, 0], [0, 1, 1], [0, 1, 1]]


def test_output_size_counts_the_windows_that_fit():
    checked = 0
    for n, k, p, s, d in itertools.product(range(1, 13), range(1, 6), range(0, 4), range(1, 5), range(1, 4)):
        starts = [t for t in range(0, n + 2 * p, s) if t + d * (k - 1) <= n + 2 * p - 1]
        if not starts:
            with pytest.raises(ValueError, match="no output pixel fits"):
                cnn.output_size(n, k, p, s, d)
            continue
        assert cnn.output_size(n, k, p, s, d) == len(starts), (n, k, p, s, d)
        checked += 1
    assert checked > 2000


def test_output_size_with_unequal_sides():
    assert cnn.output_size(8, 4, (1, 2)) == 8
    assert cnn.output_size(8, 4, (1, 2), s=2) == 4


def test_output_size_is_the_shape_the_layer_gives(rng):
    x = rng.normal(size=(1, 17, 12))
    for k, p, s, d in itertools.product([1, 2, 3], [0, 1, 2], [1, 2, 3], [1, 2]):
        out = cnn.conv2d_nchw(x, np.ones((1, 1, k, k)), padding=p, stride=s, dilation=d)
        assert out.shape[1:] == (cnn.output_size(17, k, p, s, d), cnn.output_size(12, k, p, s, d))


def footprint(kernel_sizes, dilations, strides):
    """Width of the input region one output pixel reads, found by pushing an impulse backwards.

    Each layer turns "the output pixels that matter" into "the input pixels they
    read": a full 1-D convolution with the dilated kernel of ones, after
    spreading the positions out by the layer's stride.
    """
    reach = np.ones(1)
    for k, d, s in reversed(list(zip(kernel_sizes, dilations, strides, strict=True))):
        spread = np.zeros((len(reach) - 1) * s + 1)
        spread[::s] = reach
        taps = np.zeros(d * (k - 1) + 1)
        taps[::d] = 1
        reach = np.convolve(spread, taps) > 0
    where = np.flatnonzero(reach)
    return int(where[-1] - where[0] + 1)


@pytest.mark.parametrize(
    ("sizes", "dilations", "strides"),
    [([3], [1], [1]), ([3, 3], [1, 1], [1, 1]), ([3, 3, 3], [1, 2, 4], [1, 1, 1]), ([5, 3, 1, 2], [1, 3, 1, 2], [1, 1, 1, 1]),
     ([3, 3, 3], [1, 1, 1], [2, 2, 1]), ([2, 4], [2, 1], [3, 2])],
)
def test_receptive_field_is_the_footprint(sizes, dilations, strides):
    assert cnn.receptive_field(sizes, dilations, strides) == footprint(sizes, dilations, strides)


def test_receptive_field_of_stacked_layers_found_by_perturbing_the_input(rng):
    # two 3×3 layers with a ReLU between: the centre output moves only for input pixels in a 5×5 square
    w1, w2 = rng.uniform(0.1, 1, size=(2, 1, 3, 3)), rng.uniform(0.1, 1, size=(1, 2, 3, 3))
    x = rng.uniform(0, 1, size=(1, 9, 9))

    def network(image):
        return cnn.conv2d_nchw(np.maximum(cnn.conv2d_nchw(image, w1, np.ones(2)), 0), w2)[0, 2, 2]

    seen = np.zeros((9, 9), dtype=bool)
    for i, j in itertools.product(range(9), range(9)):
        nudged = x.copy()
        nudged[0, i, j] += 1
        seen[i, j] = network(nudged) != network(x)
    rows, cols = np.nonzero(seen)
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (2, 6, 2, 6)
    assert seen.sum() == cnn.receptive_field([3, 3]) ** 2 == 25


@pytest.mark.parametrize(
    ("call", "error", "phrase"),
    [
        (lambda: cnn.output_size(0, 3), ValueError, "n must be a whole number of at least 1"),
        (lambda: cnn.output_size(5, 3, s=0), ValueError, "s must be"),
        (lambda: cnn.output_size(5, 3, p=-1), ValueError, "p must be a whole number of at least 0"),
        (lambda: cnn.output_size(5, 3, d=1.5), ValueError, "d must be"),
        (lambda: cnn.output_size(4, 3, d=2), ValueError, "spans 5 pixels"),
        (lambda: cnn.output_size(5, 3, p=(1, 2, 3)), ValueError, "pair (before, after)"),
        (lambda: cnn.same_padding(0), ValueError, "k must be"),
        (lambda: cnn.receptive_field([]), ValueError, "at least one layer"),
        (lambda: cnn.receptive_field(3), TypeError, "kernel_sizes must be a list"),
        (lambda: cnn.receptive_field([3, 3], dilations=[1]), ValueError, "dilations must have one entry per layer"),
        (lambda: cnn.receptive_field([3, 0]), ValueError, "every entry of kernel_sizes"),
        (lambda: cnn.conv2d_nchw(np.ones((5, 5)), np.ones((1, 1, 3, 3))), ValueError, "channels first"),
        (lambda: cnn.conv2d_nchw(np.ones((2, 5, 5)), np.ones((1, 3, 3, 3))), ValueError, "C_in=3"),
        (lambda: cnn.conv2d_nchw(np.ones((2, 5, 5)), np.ones((2, 3, 3))), ValueError, "weights must be"),
        (lambda: cnn.conv2d_nchw(np.ones((1, 5, 5)), np.ones((2, 1, 3, 3)), [1, 2, 3]), ValueError, "bias"),
        (lambda: cnn.conv2d_nchw(np.ones((1, 5, 5)), np.ones((1, 1, 3, 3)), stride=0), ValueError, "stride"),
        (lambda: cnn.conv2d_nchw(np.ones((1, 5, 5)), np.ones((1, 1, 3, 3)), padding="full"), ValueError, "padding"),
        (lambda: cnn.conv2d_nchw(np.ones((1, 5, 5)), np.ones((1, 1, 3, 3)), padding="same", stride=2),
         ValueError, "stride 1"),
        (lambda: cnn.conv2d_nchw(np.ones((1, 2, 2)), np.ones((1, 1, 3, 3))), ValueError, "no output pixel fits"),
        (lambda: cnn.conv2d_nchw(np.full((1, 3, 3), np.nan), np.ones((1, 1, 3, 3))), ValueError, "NaN"),
        (lambda: cnn.conv2d_nchw(None, np.ones((1, 1, 3, 3))), TypeError, "input"),
        (lambda: cnn.conv2d_nchw(np.ones((1, 3, 3)), "abc"), TypeError, "weights"),
    ],
)
def test_bad_arguments_are_named(call, error, phrase):
    with pytest.raises(error, match=re.escape(phrase)):
        call()


# --------------------------------------------------------------------------- the layer as a matrix


def test_correlation_matrix_reproduces_the_valid_correlation():
    rng = np.random.default_rng(91)
    image = rng.normal(size=(6, 7))
    kernel = rng.normal(size=(3, 2))
    matrix = cnn.correlation_matrix(kernel, image.shape)
    assert matrix.shape == (4 * 6, 42)
    assert np.allclose(matrix @ image.ravel(), signal.correlate2d(image, kernel, mode="valid").ravel())
    assert np.all(np.count_nonzero(matrix, axis=1) == 6)  # locality: k_h·k_w entries per row


def test_im2col_rows_are_windows():
    rng = np.random.default_rng(92)
    image = rng.normal(size=(5, 8))
    kernel = rng.normal(size=(3, 3))
    rows = cnn.im2col(image, (3, 3))
    assert rows.shape == (3 * 6, 9)
    assert np.array_equal(rows[7], image[1:4, 1:4].ravel())
    assert np.allclose(rows @ kernel.ravel(), signal.correlate2d(image, kernel, mode="valid").ravel())


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: cnn.correlation_matrix(np.ones((4, 4)), (3, 3)), "must fit inside"),
        (lambda: cnn.correlation_matrix(np.ones(3), (3, 3)), "kernel must be 2-D"),
        (lambda: cnn.im2col(np.ones((2, 2, 2)), 2), "image must be 2-D"),
        (lambda: cnn.im2col(np.ones((4, 4)), 0), "kernel_shape"),
    ],
)
def test_matrix_helpers_name_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# --------------------------------------------------------------------------- transposed convolution, backward pass,
# depthwise-separable layers, global average pooling


def layer_matrix_by_impulses(input_shape, w, stride, padding):
    """The matrix of conv2d_nchw (one image), column by column: the layer's response to each one-pixel input."""
    size = int(np.prod(input_shape))
    columns = []
    for p in range(size):
        impulse = np.zeros(size)
        impulse[p] = 1
        columns.append(loop_layer(impulse.reshape(input_shape), w, np.zeros(w.shape[0]), stride=stride,
                                  pads=((padding[0],) * 2, (padding[1],) * 2)).ravel())
    return np.stack(columns, axis=1)


@pytest.mark.parametrize(
    ("c_in", "c_out", "h", "w", "k", "stride", "padding"),
    [(1, 1, 7, 7, 3, (2, 2), (0, 0)), (3, 2, 8, 9, 3, (2, 2), (1, 1)), (2, 3, 9, 7, 4, (3, 2), (1, 0)),
     (2, 2, 6, 6, 2, (1, 1), (0, 0))],
)
def test_conv_transpose2d_is_the_transpose_of_the_layers_matrix(rng, c_in, c_out, h, w, k, stride, padding):
    weights = rng.normal(size=(c_out, c_in, k, k))
    matrix = layer_matrix_by_impulses((c_in, h, w), weights, stride, padding)
    out_h = (h + 2 * padding[0] - k) // stride[0] + 1
    out_w = (w + 2 * padding[1] - k) // stride[1] + 1
    g = rng.normal(size=(c_out, out_h, out_w))
    extra = ((h + 2 * padding[0] - k) % stride[0], (w + 2 * padding[1] - k) % stride[1])  # rows a stride skipped
    by_layer = cnn.conv_transpose2d(g, weights, stride=stride, padding=padding, output_padding=extra)
    assert by_layer.shape == (c_in, h, w)
    assert np.allclose(by_layer, (matrix.T @ g.ravel()).reshape(c_in, h, w))
    by_gradient = cnn.conv2d_input_gradient(g, weights, (h, w), stride=stride, padding=padding)
    assert np.allclose(by_gradient, by_layer)


@pytest.mark.parametrize(("n", "k", "s", "p", "op", "expected"),
                         [(3, 3, 2, 0, 0, 7), (8, 4, 2, 1, 0, 16), (5, 3, 2, 1, 1, 10), (4, 2, 2, 0, 0, 8), (6, 1, 3, 0, 2, 18)])
def test_conv_transpose2d_output_size(n, k, s, p, op, expected):
    # expected = (n − 1)·s − 2p + k + op, worked out by hand
    out = cnn.conv_transpose2d(np.ones((1, n, n)), np.ones((1, 1, k, k)), stride=s, padding=p, output_padding=op)
    assert out.shape == (1, expected, expected)


def test_conv_transpose2d_with_a_2x2_kernel_of_ones_and_stride_2_copies_each_pixel_to_a_block():
    x = np.arange(6.0).reshape(1, 2, 3)
    up = cnn.conv_transpose2d(x, np.ones((1, 1, 2, 2)), stride=2)
    assert np.array_equal(up[0], np.kron(x[0], np.ones((2, 2))))


def test_conv_transpose2d_of_a_constant_is_a_checkerboard_when_k_is_not_a_multiple_of_s():
    up = cnn.conv_transpose2d(np.ones((1, 6, 6)), np.ones((1, 1, 3, 3)), stride=2)[0]
    inside = up[2:-2, 2:-2]
    counts = np.array([2, 1] * 5)[: inside.shape[0]]  # copies along one axis: 2 on even positions, 1 between
    assert np.array_equal(inside, np.outer(counts, counts))
    even = cnn.conv_transpose2d(np.ones((1, 6, 6)), np.ones((1, 1, 4, 4)), stride=2)[0]
    assert np.ptp(even[3:-3, 3:-3]) == 0


def test_conv_transpose2d_one_dimension_agrees_with_numpy_upsample_and_convolve(rng):
    """Along one axis: insert s − 1 zeros between samples, then np.convolve with the kernel (full)."""
    x, kernel = rng.normal(size=6), rng.normal(size=3)
    spread = np.zeros(11)
    spread[::2] = x
    out = cnn.conv_transpose2d(x.reshape(1, 1, 6), kernel.reshape(1, 1, 1, 3), stride=(1, 2))[0, 0]
    assert np.allclose(out, np.convolve(spread, kernel))


def test_conv2d_input_gradient_agrees_with_finite_differences(rng):
    x, w = rng.normal(size=(2, 3, 9, 8)), rng.normal(size=(4, 3, 3, 3))
    target = rng.normal(size=cnn.conv2d_nchw(x, w, stride=2, padding=1).shape)

    def loss(values):
        return 0.5 * np.sum((cnn.conv2d_nchw(values, w, stride=2, padding=1) - target) ** 2)

    g = cnn.conv2d_nchw(x, w, stride=2, padding=1) - target
    analytic = cnn.conv2d_input_gradient(g, w, (9, 8), stride=2, padding=1)
    numeric = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = 1e-5
        numeric[index] = (loss(x + step) - loss(x - step)) / 2e-5
    assert np.abs(analytic - numeric).max() < 1e-6


def test_depthwise_conv2d_filters_each_channel_alone(rng):
    x, w = rng.normal(size=(3, 8, 9)), rng.normal(size=(3, 1, 3, 3))
    out = cnn.depthwise_conv2d(x, w, stride=2, padding=1)
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    for c in range(3):
        assert np.allclose(out[c], signal.correlate2d(padded[c], w[c, 0], mode="valid")[::2, ::2])


def test_depthwise_then_1x1_is_the_full_layer_with_the_product_kernel(rng):
    x, d, p = rng.normal(size=(2, 4, 7, 7)), rng.normal(size=(4, 1, 3, 3)), rng.normal(size=(6, 4, 1, 1))
    full = cnn.separable_as_full(d, p)
    assert full.shape == (6, 4, 3, 3)
    for o, c in itertools.product(range(6), range(4)):
        assert np.allclose(full[o, c], p[o, c, 0, 0] * d[c, 0])
    by_loop = np.stack([loop_layer(x[n], full, np.zeros(6)) for n in range(2)])
    assert np.allclose(cnn.conv2d_nchw(cnn.depthwise_conv2d(x, d), p), by_loop)


def test_separable_parameter_count_of_the_issue():
    d, p = np.zeros((64, 1, 3, 3)), np.zeros((64, 64, 1, 1))
    assert d.size + p.size == 4_672 and cnn.separable_as_full(d, p).size == 36_864


def test_global_average_pool_is_the_mean_and_ignores_a_wrapped_shift(rng):
    maps = rng.normal(size=(2, 3, 5, 6))
    pooled = cnn.global_average_pool(maps)
    assert pooled.shape == (2, 3)
    assert np.allclose(pooled, [[maps[n, c].sum() / 30 for c in range(3)] for n in range(2)])
    assert np.allclose(cnn.global_average_pool(np.roll(maps, (2, 3), axis=(2, 3))), pooled)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: cnn.conv_transpose2d(np.ones((2, 3, 3)), np.ones((3, 1, 2, 2))), "C_in=3"),
        (lambda: cnn.conv_transpose2d(np.ones((1, 3, 3)), np.ones((1, 1, 3, 3)), stride=2, output_padding=2),
         "output_padding must be smaller than the stride"),
        (lambda: cnn.conv_transpose2d(np.ones((1, 2, 2)), np.ones((1, 1, 2, 2)), padding=3), "cuts off the whole output"),
        (lambda: cnn.conv2d_input_gradient(np.ones((1, 3, 3)), np.ones((1, 1, 3, 3)), (6, 6)), "output_gradient is 3×3"),
        (lambda: cnn.conv2d_input_gradient(np.ones((2, 4, 4)), np.ones((1, 1, 3, 3)), (6, 6)), "C_out=1"),
        (lambda: cnn.depthwise_conv2d(np.ones((3, 5, 5)), np.ones((2, 1, 3, 3))), "one kernel per input channel"),
        (lambda: cnn.depthwise_conv2d(np.ones((3, 5, 5)), np.ones((3, 3, 3, 3))), "C×1×k_h×k_w"),
        (lambda: cnn.separable_as_full(np.ones((3, 1, 3, 3)), np.ones((2, 4, 1, 1))), "C_in=4"),
        (lambda: cnn.separable_as_full(np.ones((3, 1, 3, 3)), np.ones((2, 3, 3, 3))), "C_out×C_in×1×1"),
        (lambda: cnn.global_average_pool(np.ones((5, 5))), "N×C×H×W or C×H×W"),
    ],
)
def test_new_layers_name_bad_input(call, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call()

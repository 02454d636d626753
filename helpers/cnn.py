"""The convolution of a neural network's layer, in NumPy: channels in and out, stride, padding, dilation.

Layout: N × C × H × W ("NCHW", PyTorch's order): N images, each with C
channels of H × W pixels. TensorFlow's default is N × H × W × C; OpenCV and
scikit-image hold one image as H × W × C. A layer's weights have shape
(C_out, C_in, k_h, k_w), one bias per output channel, and each output channel
sums over *all* input channels (cross-correlation, as in notebook 03):

    out[n, o, i, j] = b[o] + Σ_c Σ_m Σ_q x[n, c, s·i + d·m, s·j + d·q] · W[o, c, m, q]

where x is the input padded with zeros, s the stride and d the dilation.
The layer has C_out · (C_in · k_h · k_w + 1) parameters.

Along one axis of n pixels, with p zeros added on each side:

    out = ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1

A stack of layers with kernel sizes k_l, dilations d_l and strides s_l lets
one output pixel see r = 1 + Σ_l d_l (k_l − 1) · s_1 ⋯ s_(l−1) input pixels
along each axis (its receptive field).
"""
from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from .validation import absolute_total, as_numeric_array, check_allocation, check_product_size, require_finite


def output_size(n: int, k: int, p: int | tuple[int, int] = 0, s: int = 1, d: int = 1) -> int:
    """Output length along one axis: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1.

    n input length, k kernel length, p zeros added on *each* side (or a pair
    (before, after) when the two sides differ, then 2p becomes before + after),
    s stride, d dilation. A dilated kernel spans d(k − 1) + 1 pixels.

    >>> output_size(7, 3), output_size(7, 3, p=1), output_size(7, 3, s=2), output_size(7, 3, d=2)
    (5, 7, 3, 3)
    """
    n = _whole(n, "n", 1)
    k = _whole(k, "k", 1)
    before, after = _pair_of_paddings(p, "p")
    s = _whole(s, "s", 1)
    d = _whole(d, "d", 1)
    span = d * (k - 1) + 1
    if n + before + after < span:
        raise ValueError(
            f"a kernel of k={k} with dilation d={d} spans {span} pixels, more than the "
            f"{n + before + after} of the padded input (n={n}, p={p}); no output pixel fits"
        )
    return (n + before + after - span) // s + 1


def same_padding(k: int, d: int = 1) -> tuple[int, int]:
    """Zeros (before, after) that keep the length with stride 1: before + after = d(k − 1).

    An odd kernel splits the total evenly. For an even kernel the total is odd
    and the extra zero goes *after* (at the bottom, or on the right), as
    TensorFlow does for padding "SAME": before = ⌊d(k − 1) / 2⌋.

    >>> same_padding(3), same_padding(4), same_padding(3, d=2)
    ((1, 1), (1, 2), (2, 2))
    """
    k = _whole(k, "k", 1)
    d = _whole(d, "d", 1)
    total = d * (k - 1)
    return total // 2, total - total // 2


def receptive_field(kernel_sizes: Sequence[int], dilations: Sequence[int] | None = None,
                    strides: Sequence[int] | None = None) -> int:
    """Pixels along one axis that one output pixel of a stack of layers depends on.

    r = 1 + Σ_l d_l (k_l − 1) · (s_1 ⋯ s_(l−1)): layer l widens the view by
    its dilated span minus one, counted in input pixels (each earlier stride
    multiplies the step between neighbouring pixels of its output). With
    L equal layers of k × k, stride 1 and no dilation, r = 1 + L(k − 1).

    >>> receptive_field([3, 3]), receptive_field([3, 3, 3], dilations=[1, 2, 4])
    (5, 15)
    """
    sizes = _whole_list(kernel_sizes, "kernel_sizes")
    dilations = [1] * len(sizes) if dilations is None else _whole_list(dilations, "dilations")
    strides = [1] * len(sizes) if strides is None else _whole_list(strides, "strides")
    for name, values in (("dilations", dilations), ("strides", strides)):
        if len(values) != len(sizes):
            raise ValueError(
                f"{name} must have one entry per layer, like kernel_sizes ({len(sizes)}); got {len(values)}"
            )
    field, step = 1, 1
    for k, d, s in zip(sizes, dilations, strides, strict=True):
        field += d * (k - 1) * step
        step *= s
    return field


def conv2d_nchw(input, weights, bias=None, stride=1, padding=0, dilation=1) -> np.ndarray:
    """What a deep-learning "Conv2d" layer computes, for images in N × C × H × W order.

    input    N × C_in × H × W (or one image C_in × H × W, which gives C_out × H' × W')
    weights  C_out × C_in × k_h × k_w
    bias     C_out numbers (zeros if None)
    stride, dilation  a whole number, or a pair (rows, columns)
    padding  zeros added around the image: a number p (each side), a pair
             (p_h, p_w), a pair of pairs ((top, bottom), (left, right)),
             "valid" (none) or "same" (stride 1 only; :func:`same_padding`)

    out[n, o, i, j] = b[o] + Σ_c Σ_m Σ_q x[n, c, s·i + d·m, s·j + d·q] · W[o, c, m, q],
    a cross-correlation (no kernel flip), with x the zero-padded input; the
    output is H' × W' with H' = :func:`output_size` (H, k_h, p, s, d). Every
    window is cut out with ``sliding_window_view`` and the sum is one
    ``np.einsum``. Returns float64.
    """
    x = as_numeric_array(input, "input")
    if x.ndim not in (3, 4):
        raise ValueError(
            f"input must be N×C×H×W (a batch) or C×H×W (one image), channels first; got shape {x.shape}"
        )
    require_finite(x, "input")
    single = x.ndim == 3
    x = x[np.newaxis] if single else x
    w = as_numeric_array(weights, "weights")
    if w.ndim != 4:
        raise ValueError(f"weights must be C_out×C_in×k_h×k_w; got shape {w.shape}")
    require_finite(w, "weights")
    if w.shape[1] != x.shape[1]:
        raise ValueError(
            f"weights have C_in={w.shape[1]} channels but the input has {x.shape[1]} "
            f"(input {x.shape}, weights {w.shape}); a kernel needs one slice per input channel"
        )
    if bias is None:
        b = np.zeros(w.shape[0])
    else:
        b = as_numeric_array(bias, "bias").astype(np.float64).ravel()
        require_finite(b, "bias")
        if b.size != w.shape[0]:
            raise ValueError(f"bias must have one number per output channel ({w.shape[0]}); got {b.size}")
    s_h, s_w = _pair(stride, "stride")
    d_h, d_w = _pair(dilation, "dilation")
    k_h, k_w = w.shape[2:]
    if isinstance(padding, str):
        if padding == "valid":
            pads = ((0, 0), (0, 0))
        elif padding == "same":
            if (s_h, s_w) != (1, 1):
                raise ValueError(f'padding="same" needs stride 1 here; got stride={stride!r}')
            pads = (same_padding(k_h, d_h), same_padding(k_w, d_w))
        else:
            raise ValueError(f'padding must be a number, a pair, "valid" or "same"; got {padding!r}')
    else:
        pads = _paddings(padding)
    out_h = output_size(x.shape[2], k_h, pads[0], s_h, d_h)
    out_w = output_size(x.shape[3], k_w, pads[1], s_w, d_w)
    batch, channels = x.shape[:2]
    padded_size = batch * channels * (x.shape[2] + sum(pads[0])) * (x.shape[3] + sum(pads[1]))
    check_allocation(padded_size, "padding", "the padded input")
    # np.einsum may copy the windows it multiplies: one k_h × k_w window per output pixel and input channel.
    check_allocation(batch * out_h * out_w * (w.shape[0] + channels * k_h * k_w), "input",
                     "the output and the windows of the input")
    # No output (nor partial sum) passes max|x| · max_o Σ|W[o]| + max|b|: refuse what could overflow.
    weight_total = float(absolute_total(w.reshape(w.shape[0], -1), axis=1).max())
    check_product_size(x, "input", weight_total, "weights", extra=float(np.abs(b).max()))
    padded = np.pad(x.astype(np.float64, copy=False), ((0, 0), (0, 0), *pads))
    span = (d_h * (k_h - 1) + 1, d_w * (k_w - 1) + 1)
    view = np.lib.stride_tricks.sliding_window_view(padded, span, axis=(2, 3))
    view = view[:, :, : (out_h - 1) * s_h + 1 : s_h, : (out_w - 1) * s_w + 1 : s_w, ::d_h, ::d_w]
    out = np.einsum("ncijmq,ocmq->noij", view, w.astype(np.float64, copy=False), optimize=True)
    out += b[np.newaxis, :, np.newaxis, np.newaxis]
    return out[0] if single else out


def correlation_matrix(kernel, image_shape) -> np.ndarray:
    """The valid 2-D cross-correlation with ``kernel`` as a matrix: M @ image.ravel() = (image ⋆ kernel).ravel().

    For an H × W image and a k_h × k_w kernel, M has one row per output pixel,
    (H − k_h + 1)(W − k_w + 1) rows, and one column per input pixel, H·W columns.
    Row r = i·(W − k_w + 1) + j holds the kernel's weights at the columns of
    the window whose top-left corner is (i, j):

        M[r, (i + m)·W + (j + n)] = K[m, n],   every other entry 0.

    Every row holds the same k_h·k_w weights (weight sharing), shifted one
    column along from the row above (or one image row further at the end of an
    output row), and all its other entries are 0 (locality): a doubly block
    Toeplitz matrix.

    >>> correlation_matrix([[1, 2]], (1, 3))
    array([[1., 2., 0.],
           [0., 1., 2.]])
    """
    kernel = as_numeric_array(kernel, "kernel").astype(np.float64)
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D (height × width); got shape {kernel.shape}")
    require_finite(kernel, "kernel")
    height, width = _pair(image_shape, "image_shape", meaning="(height, width)")
    k_h, k_w = kernel.shape
    if k_h > height or k_w > width:
        raise ValueError(f"kernel ({k_h}×{k_w}) must fit inside the image ({height}×{width})")
    out_h, out_w = height - k_h + 1, width - k_w + 1
    check_allocation(out_h * out_w * height * width, "image_shape",
                     f"the {out_h * out_w:,} × {height * width:,} matrix")
    matrix = np.zeros((out_h * out_w, height * width))
    for i in range(out_h):
        for j in range(out_w):
            for m in range(k_h):
                start = (i + m) * width + j
                matrix[i * out_w + j, start : start + k_w] = kernel[m]
    return matrix


def im2col(image, kernel_shape) -> np.ndarray:
    """Every k_h × k_w window of a 2-D image as one row: shape ((H − k_h + 1)(W − k_w + 1), k_h·k_w).

    Row i·(W − k_w + 1) + j is the window with top-left corner (i, j), read row
    by row. Then one matrix product gives the valid correlation with any
    number of kernels at once:

        im2col(image, (k, k)) @ kernel.ravel()  =  (image ⋆ kernel).ravel()

    ("image to columns": libraries that store the windows as columns use the
    transpose). One common way to compute a convolutional layer; others are
    the direct loop, the FFT and Winograd's method.

    >>> im2col(np.arange(6).reshape(2, 3), (2, 2))
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.]])
    """
    image = as_numeric_array(image, "image").astype(np.float64)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (H×W); got shape {image.shape}")
    require_finite(image, "image")
    k_h, k_w = _pair(kernel_shape, "kernel_shape", meaning="(height, width)")
    if k_h > image.shape[0] or k_w > image.shape[1]:
        raise ValueError(f"kernel_shape ({k_h}×{k_w}) must fit inside the image ({image.shape[0]}×{image.shape[1]})")
    rows = (image.shape[0] - k_h + 1) * (image.shape[1] - k_w + 1)
    check_allocation(rows * k_h * k_w, "kernel_shape", f"the {rows:,} windows of {k_h} × {k_w} pixels")
    windows = np.lib.stride_tricks.sliding_window_view(image, (k_h, k_w))
    return windows.reshape(-1, k_h * k_w).copy()


# --------------------------------------------------------------------------- argument checks


def _whole(value, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{name} must be a whole number of at least {low}; got {value!r}")
    return int(value)


def _whole_list(values, name: str) -> list[int]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence | np.ndarray) or _ndim(values) != 1:
        raise TypeError(f"{name} must be a list of whole numbers, one per layer; got {values!r}")
    if len(values) == 0:
        raise ValueError(f"{name} must list at least one layer; got an empty list")
    return [_whole(v, f"every entry of {name}", 1) for v in values]


def _ndim(values) -> int | None:
    """np.ndim, or None for a ragged nesting of lists."""
    try:
        return np.ndim(values)
    except ValueError:
        return None


def _pair(value, name: str, minimum: int = 1, meaning: str = "(rows, columns)") -> tuple[int, int]:
    """One whole number for both, or a pair of them, each at least ``minimum``."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 2:
            raise ValueError(f"{name} must be a whole number or a pair {meaning}; got {value!r}")
        return _whole(value[0], name, minimum), _whole(value[1], name, minimum)
    number = _whole(value, name, minimum)
    return number, number


def _pair_of_paddings(value, name: str) -> tuple[int, int]:
    """p (each side) or (before, after)."""
    return _pair(value, name, 0, "(before, after)")


def _paddings(padding) -> tuple[tuple[int, int], tuple[int, int]]:
    """((top, bottom), (left, right)) from p, (p_h, p_w) or ((top, bottom), (left, right))."""
    if isinstance(padding, Sequence) and not isinstance(padding, str):
        if len(padding) != 2:
            raise ValueError(
                f"padding must be p, (p_h, p_w) or ((top, bottom), (left, right)); got {padding!r}"
            )
        return _pair_of_paddings(padding[0], "padding"), _pair_of_paddings(padding[1], "padding")
    side = _pair_of_paddings(padding, "padding")
    return side, side

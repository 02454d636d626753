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

Beside the layer: its matrix (:func:`correlation_matrix`, :func:`im2col`),
the transposed convolution that multiplies by that matrix's transpose, with
(n − 1)s − 2p + k (+ output padding) pixels out (:func:`conv_transpose2d`),
the gradient reaching a layer's input, Σ_o spread_s(G_o) ∗ W[o, c]
(:func:`conv2d_input_gradient`), the depthwise layer and the full kernel a
depthwise-separable pair equals (:func:`depthwise_conv2d`,
:func:`separable_as_full`), and global average pooling
(:func:`global_average_pool`).
"""
from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
from scipy import signal

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


def conv_transpose2d(input, weights, stride=1, padding=0, output_padding=0) -> np.ndarray:
    """What a "transposed convolution" layer computes (PyTorch's ``ConvTranspose2d``, Keras' ``Conv2DTranspose``).

    input    N × C_in × H × W (or one image C_in × H × W)
    weights  C_in × C_out × k_h × k_w (PyTorch's order for this layer: input channels first)
    stride, padding, output_padding  a whole number or a pair (rows, columns)

    Every input pixel sends a copy of its kernel, scaled by its value, to the
    output, the copies ``stride`` pixels apart, and overlapping copies add up:

        full[n, o, s·i + m, s·j + q] += x[n, c, i, j] · W[c, o, m, q]

    Then ``padding`` rows and columns are cut off each side (``output_padding``
    extra ones are kept at the bottom and right), so along one axis

        out = (n − 1)·s − 2p + k + output_padding.

    This is the transpose of the matrix of :func:`conv2d_nchw` with the same
    weights (read as C_in × C_out), stride and padding: it sends a layer's output
    back to the shape of its input, and it is how the gradient of a layer with
    respect to its input is computed (:func:`conv2d_input_gradient`). With
    k not a multiple of s the copies overlap unevenly, and even a constant input
    comes out as a checkerboard. ``output_padding`` must be smaller than the
    stride. Returns float64.
    """
    x = as_numeric_array(input, "input")
    if x.ndim not in (3, 4):
        raise ValueError(f"input must be N×C×H×W (a batch) or C×H×W (one image), channels first; got shape {x.shape}")
    require_finite(x, "input")
    single = x.ndim == 3
    x = (x[np.newaxis] if single else x).astype(np.float64, copy=False)
    w = as_numeric_array(weights, "weights")
    if w.ndim != 4:
        raise ValueError(f"weights must be C_in×C_out×k_h×k_w (input channels first for this layer); got shape {w.shape}")
    require_finite(w, "weights")
    if w.shape[0] != x.shape[1]:
        raise ValueError(
            f"weights have C_in={w.shape[0]} (their first axis) but the input has {x.shape[1]} channels "
            f"(input {x.shape}, weights {w.shape})"
        )
    s_h, s_w = _pair(stride, "stride")
    p_h, p_w = _pair(padding, "padding", 0)
    o_h, o_w = _pair(output_padding, "output_padding", 0)
    if o_h >= s_h or o_w >= s_w:
        raise ValueError(f"output_padding must be smaller than the stride; got output_padding={output_padding!r}, "
                         f"stride={stride!r}")
    k_h, k_w = w.shape[2:]
    full_h, full_w = (x.shape[2] - 1) * s_h + k_h + o_h, (x.shape[3] - 1) * s_w + k_w + o_w
    if full_h - 2 * p_h < 1 or full_w - 2 * p_w < 1:
        raise ValueError(f"padding={padding!r} cuts off the whole output of {full_h}×{full_w} pixels")
    check_allocation(x.shape[0] * w.shape[1] * full_h * full_w, "input", "the output")
    weight_total = float(absolute_total(w.transpose(1, 0, 2, 3).reshape(w.shape[1], -1), axis=1).max())
    check_product_size(x, "input", weight_total, "weights")
    full = np.zeros((x.shape[0], w.shape[1], full_h, full_w))
    w = w.astype(np.float64, copy=False)
    rows, cols = (x.shape[2] - 1) * s_h + 1, (x.shape[3] - 1) * s_w + 1
    for m in range(k_h):
        for q in range(k_w):  # tap (m, q) of every copy lands on a grid of pixels s apart
            full[:, :, m : m + rows : s_h, q : q + cols : s_w] += np.einsum("ncij,co->noij", x, w[:, :, m, q])
    out = full[:, :, p_h : full_h - p_h, p_w : full_w - p_w]
    return out[0] if single else out


def conv2d_input_gradient(output_gradient, weights, input_shape, stride=1, padding=0) -> np.ndarray:
    """∂L/∂x of a layer ``conv2d_nchw(x, weights, stride=stride, padding=padding)``, given G = ∂L/∂out.

    output_gradient  N × C_out × H' × W' (or C_out × H' × W')
    weights          C_out × C_in × k_h × k_w, as for :func:`conv2d_nchw`
    input_shape      (H, W) of the layer's input

    Input pixel (c, p, q) of the padded input reaches output (o, i, j) with weight
    W[o, c, p − s·i, q − s·j], so

        ∂L/∂x_c = Σ_o spread(G_o) ∗ W[o, c]     (∗ the *full* convolution: the kernel turned)

    where spread(G_o) puts s − 1 zeros between neighbouring values of G_o. The
    last rows and columns a stride skipped get 0, and ``padding`` rows and
    columns are cut off each side. Computed here exactly as written, one
    ``scipy.signal.convolve2d`` per pair (o, c); :func:`conv_transpose2d` gives
    the same numbers by scattering. Returns float64.
    """
    g = as_numeric_array(output_gradient, "output_gradient")
    if g.ndim not in (3, 4):
        raise ValueError(f"output_gradient must be N×C_out×H'×W' or C_out×H'×W'; got shape {g.shape}")
    require_finite(g, "output_gradient")
    single = g.ndim == 3
    g = (g[np.newaxis] if single else g).astype(np.float64, copy=False)
    w = as_numeric_array(weights, "weights")
    if w.ndim != 4:
        raise ValueError(f"weights must be C_out×C_in×k_h×k_w; got shape {w.shape}")
    require_finite(w, "weights")
    if w.shape[0] != g.shape[1]:
        raise ValueError(f"weights have C_out={w.shape[0]} but output_gradient has {g.shape[1]} channels")
    height, width = _pair(input_shape, "input_shape", meaning="(height, width)")
    s_h, s_w = _pair(stride, "stride")
    p_h, p_w = _pair(padding, "padding", 0)
    k_h, k_w = w.shape[2:]
    expected = (output_size(height, k_h, p_h, s_h), output_size(width, k_w, p_w, s_w))
    if g.shape[2:] != expected:
        raise ValueError(f"an input of {height}×{width} gives an output of {expected[0]}×{expected[1]} with these "
                         f"weights, stride and padding; output_gradient is {g.shape[2]}×{g.shape[3]}")
    check_allocation(g.shape[0] * w.shape[1] * (height + 2 * p_h) * (width + 2 * p_w), "input_shape", "the gradient")
    # every number of the gradient is a sum of G·W over output channels and taps: refuse what could overflow
    weight_total = float(absolute_total(w.transpose(1, 0, 2, 3).reshape(w.shape[1], -1), axis=1).max())
    check_product_size(g, "output_gradient", weight_total, "weights")
    spread = np.zeros((*g.shape[:2], (g.shape[2] - 1) * s_h + 1, (g.shape[3] - 1) * s_w + 1))
    spread[:, :, ::s_h, ::s_w] = g
    padded = np.zeros((g.shape[0], w.shape[1], height + 2 * p_h, width + 2 * p_w))
    reach_h, reach_w = spread.shape[2] + k_h - 1, spread.shape[3] + k_w - 1
    for n in range(g.shape[0]):
        for c in range(w.shape[1]):
            padded[n, c, :reach_h, :reach_w] = sum(
                signal.convolve2d(spread[n, o], w[o, c], mode="full") for o in range(w.shape[0]))
    out = padded[:, :, p_h : p_h + height, p_w : p_w + width]
    return out[0] if single else out


def depthwise_conv2d(input, weights, stride=1, padding=0) -> np.ndarray:
    """A depthwise layer: one k × k kernel per input channel, and no sum over channels.

    input    N × C × H × W (or C × H × W)
    weights  C × 1 × k_h × k_w (PyTorch's shape for ``Conv2d(C, C, k, groups=C)``)

        out[n, c, i, j] = Σ_m Σ_q x[n, c, s·i + m, s·j + q] · W[c, 0, m, q]

    It equals :func:`conv2d_nchw` with a C × C × k_h × k_w weight tensor that is
    zero off its diagonal (W_full[c, c] = W[c, 0], W_full[o, c] = 0 for o ≠ c),
    with C·k_h·k_w weights instead of C²·k_h·k_w. Keras calls it
    ``DepthwiseConv2D``. Followed by a 1 × 1 layer it is a depthwise-separable
    layer (:func:`separable_as_full`). Returns float64.
    """
    x = as_numeric_array(input, "input")
    if x.ndim not in (3, 4):
        raise ValueError(f"input must be N×C×H×W (a batch) or C×H×W (one image), channels first; got shape {x.shape}")
    w = as_numeric_array(weights, "weights")
    if w.ndim != 4 or w.shape[1] != 1:
        raise ValueError(f"weights must be C×1×k_h×k_w, one kernel per channel; got shape {w.shape}")
    channels = x.shape[-3]
    if w.shape[0] != channels:
        raise ValueError(f"weights hold {w.shape[0]} kernels but the input has {channels} channels; "
                         "a depthwise layer has one kernel per input channel")
    full = np.zeros((channels, channels, *w.shape[2:]))
    full[np.arange(channels), np.arange(channels)] = w[:, 0]
    return conv2d_nchw(x, full, stride=stride, padding=padding)


def separable_as_full(depthwise, pointwise) -> np.ndarray:
    """The C_out × C_in × k_h × k_w kernel of the full layer a depthwise-separable layer equals.

    depthwise  C_in × 1 × k_h × k_w (one kernel per input channel, :func:`depthwise_conv2d`)
    pointwise  C_out × C_in × 1 × 1 (the 1 × 1 layer after it)

        W[o, c, m, q] = P[o, c] · D[c, m, q]

    Each slice W[o, c] is a multiple of the same D[c]: a full kernel constrained
    this way (rank one across output channel and pixel, for every c). The
    separable pair has C_in·k_h·k_w + C_in·C_out weights, the full layer
    C_out·C_in·k_h·k_w (3 × 3, 64 → 64: 4,672 against 36,864).
    """
    d = as_numeric_array(depthwise, "depthwise").astype(np.float64)
    p = as_numeric_array(pointwise, "pointwise").astype(np.float64)
    if d.ndim != 4 or d.shape[1] != 1:
        raise ValueError(f"depthwise must be C_in×1×k_h×k_w; got shape {d.shape}")
    if p.ndim != 4 or p.shape[2:] != (1, 1):
        raise ValueError(f"pointwise must be C_out×C_in×1×1; got shape {p.shape}")
    if p.shape[1] != d.shape[0]:
        raise ValueError(f"pointwise expects C_in={p.shape[1]} channels but depthwise has {d.shape[0]} kernels")
    require_finite(d, "depthwise")
    require_finite(p, "pointwise")
    check_product_size(d, "depthwise", float(np.abs(p).max()), "pointwise")
    return p[:, :, 0, 0][:, :, np.newaxis, np.newaxis] * d[:, 0][np.newaxis]


def global_average_pool(maps) -> np.ndarray:
    """The mean of every map over its pixels: N × C × H × W → N × C (or C × H × W → C).

        out[n, c] = (1 / (H·W)) Σ_i Σ_j maps[n, c, i, j]

    Keras' ``GlobalAveragePooling2D``; PyTorch's ``AdaptiveAvgPool2d(1)`` keeps
    two axes of size 1. It forgets *where* each feature was: shifting the maps
    around (with wrap-around) leaves it unchanged.
    """
    maps = as_numeric_array(maps, "maps")
    if maps.ndim not in (3, 4):
        raise ValueError(f"maps must be N×C×H×W or C×H×W; got shape {maps.shape}")
    require_finite(maps, "maps")
    count = maps.shape[-2] * maps.shape[-1]
    if count == 0:
        raise ValueError(f"maps must have at least one pixel; got shape {maps.shape}")
    return (maps.astype(np.float64) / count).sum(axis=(-2, -1))  # divided first: a sum near float64's limit stays finite


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

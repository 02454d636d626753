"""Cross-correlation and convolution of grey and colour images.

Cross-correlation slides the kernel K over the image I and writes, for each
output pixel (i, j), the sum of the element-wise product of K with the window
under it (indices measured from the kernel's centre):

    S(i, j) = sum_m sum_n I(i + m, j + n) K(m, n)

Convolution is the same with the kernel rotated by 180 degrees:

    S(i, j) = sum_m sum_n I(i - m, j - n) K(m, n)

Several methods compute the same result; they differ only in speed:

- "loop": one output pixel at a time, the version the notebooks teach;
- "vectorized": one NumPy array operation per kernel tap, no loop over pixels;
- "separable": a rank-1 kernel split into a column and a row (found with an
  SVD) and applied as two 1-D passes, 2k taps instead of k²;
- "fft": a product of Fourier transforms, padded so nothing wraps around;
- "opencv": ``cv2.filter2D`` (or ``cv2.sepFilter2D`` for rank-1 kernels);
- "auto": picks among them by kernel size and rank.
"""
from __future__ import annotations

import cv2
import numpy as np
from scipy import fft as scipy_fft

from .validation import (
    BORDERS,
    as_numeric_array,
    check_choice,
    check_image,
    check_kernel,
    require_finite,
)

METHODS = ("auto", "loop", "vectorized", "separable", "fft", "opencv")

#: How each border name pads, as a mode of ``np.pad``.
NUMPY_PAD_MODES = {
    "zero": "constant",
    "replicate": "edge",
    "reflect": "symmetric",
    "reflect101": "reflect",
    "wrap": "wrap",
}

#: The OpenCV flag with the same meaning as each border name.
OPENCV_BORDERS = {
    "zero": cv2.BORDER_CONSTANT,
    "replicate": cv2.BORDER_REPLICATE,
    "reflect": cv2.BORDER_REFLECT,
    "reflect101": cv2.BORDER_REFLECT_101,
    "wrap": cv2.BORDER_WRAP,
}

#: The ``mode`` of ``scipy.ndimage.correlate`` with the same meaning.
SCIPY_MODES = {
    "zero": "constant",
    "replicate": "nearest",
    "reflect": "reflect",
    "reflect101": "mirror",
    "wrap": "wrap",
}

# Rank-1 test: the second singular value must be this small next to the first.
_RANK_TOLERANCE = 1e-10


def apply_kernel(patch, kernel) -> float:
    """Return the sum of the element-wise product of ``patch`` and ``kernel``.

    score = sum_m sum_n patch[m, n] * kernel[m, n]

    This is one output pixel of a cross-correlation (not a matrix product).

    >>> apply_kernel([[200, 200], [0, 0]], [[2, 2], [-2, -2]])
    800.0
    """
    patch = as_numeric_array(patch, "patch")
    kernel = as_numeric_array(kernel, "kernel")
    if patch.shape != kernel.shape:
        raise ValueError(
            "patch and kernel must have the same shape; got patch "
            f"{_shape_text(patch.shape)} and kernel {_shape_text(kernel.shape)}"
        )
    require_finite(patch, "patch")
    require_finite(kernel, "kernel")
    return float(np.sum(patch.astype(np.float64) * kernel.astype(np.float64)))


def pad_for_kernel(image: np.ndarray, kernel_shape: tuple[int, int], border: str) -> np.ndarray:
    """Pad a 2-D image by (k - 1) / 2 pixels on each side for a k_h × k_w kernel.

    The padding is counted per side: a 3×3 kernel adds one row above, one
    below, one column left and one right. ``border`` names how the new pixels
    are filled ("valid" adds nothing):

    - "zero"        0 0 | a b c d | 0 0
    - "replicate"   a a | a b c d | d d
    - "reflect"     b a | a b c d | d c   (OpenCV BORDER_REFLECT)
    - "reflect101"  c b | a b c d | c b   (OpenCV BORDER_REFLECT_101)
    - "wrap"        c d | a b c d | a b
    """
    check_choice(border, "border", BORDERS)
    if border == "valid":
        return image
    pad_rows, pad_cols = kernel_shape[0] // 2, kernel_shape[1] // 2
    return np.pad(image, ((pad_rows, pad_rows), (pad_cols, pad_cols)), mode=NUMPY_PAD_MODES[border])


def separate_kernel(kernel) -> tuple[np.ndarray, np.ndarray]:
    """Split a rank-1 kernel into a column and a row with ``kernel = outer(column, row)``.

    The SVD writes K = sum_r s_r u_r v_r^T; K is separable when only s_1 is
    non-zero, and then column = sqrt(s_1) u_1, row = sqrt(s_1) v_1.
    Raises ValueError for a kernel of rank 2 or more.
    """
    kernel = check_kernel(kernel)
    factors = _rank_one_factors(kernel)
    if factors is None:
        singular = np.linalg.svd(kernel, compute_uv=False)
        rank = int(np.sum(singular > _RANK_TOLERANCE * singular[0]))
        raise ValueError(
            f"kernel is not separable: it has rank {rank}, and only a rank-1 kernel "
            "is the outer product of a column and a row"
        )
    return factors


def is_separable(kernel) -> bool:
    """True when the kernel has rank 1 (an outer product of two 1-D kernels)."""
    return _rank_one_factors(check_kernel(kernel)) is not None


def correlate(image, kernel, border: str = "replicate", method: str = "auto") -> np.ndarray:
    """Cross-correlate ``image`` with ``kernel``: S(i, j) = sum_mn I(i+m, j+n) K(m, n).

    image   2-D grey (H×W) or 3-D colour (H×W×C, each channel on its own).
    kernel  2-D with odd height and width.
    border  "valid" (output shrinks by k - 1), or a padding that keeps the
            size: "zero", "replicate", "reflect", "reflect101", "wrap".
    method  "auto", "loop", "vectorized", "separable", "fft" or "opencv".

    Returns a float64 array; uint8 input never overflows.

    >>> correlate(np.eye(3), [[0, 0, 0], [0, 0, 1], [0, 0, 0]], border="zero")[0]
    array([0., 1., 0.])
    """
    kernel = check_kernel(kernel)
    return _filter(image, kernel, border, method)


def convolve(image, kernel, border: str = "replicate", method: str = "auto") -> np.ndarray:
    """Convolve ``image`` with ``kernel``: S(i, j) = sum_mn I(i-m, j-n) K(m, n).

    The same as :func:`correlate` with the kernel rotated by 180 degrees;
    the arguments are the same.
    """
    kernel = check_kernel(kernel)
    return _filter(image, kernel[::-1, ::-1], border, method)


def _filter(image, kernel: np.ndarray, border: str, method: str) -> np.ndarray:
    image = check_image(image)
    check_choice(border, "border", BORDERS)
    check_choice(method, "method", METHODS)
    height, width = image.shape[:2]
    k_height, k_width = kernel.shape
    if border == "valid" and (k_height > height or k_width > width):
        raise ValueError(
            f"kernel ({_shape_text(kernel.shape)}) is larger than the image "
            f"({_shape_text((height, width))}); with border='valid' there is no position "
            "where it fits. Use a smaller kernel or a padding border such as 'replicate'"
        )
    if method == "auto":
        method = _choose_method(kernel, height, width, border)
    factors = None
    if method == "separable":
        factors = separate_kernel(kernel)
    if image.ndim == 3 and method == "opencv" and image.shape[2] <= 4:
        return _correlate_opencv(image, kernel, border)
    if image.ndim == 3:
        channels = [
            _correlate_plane(image[:, :, c], kernel, border, method, factors)
            for c in range(image.shape[2])
        ]
        return np.stack(channels, axis=-1)
    return _correlate_plane(image, kernel, border, method, factors)


def _choose_method(kernel: np.ndarray, height: int, width: int, border: str) -> str:
    """OpenCV whenever it can run; the series' own methods otherwise.

    OpenCV's reflecting borders need the padding to fit inside the image, so
    kernels larger than the image go to the NumPy methods: separable passes
    for a rank-1 kernel, the FFT for a big one, shifted sums for the rest.
    """
    k_height, k_width = kernel.shape
    if k_height <= height and k_width <= width:
        return "opencv"
    if _rank_one_factors(kernel) is not None:
        return "separable"
    if k_height * k_width >= 121:
        return "fft"
    return "vectorized"


def _correlate_plane(plane, kernel, border, method, factors) -> np.ndarray:
    """Correlate one 2-D plane with the chosen method; returns float64."""
    if method == "opencv":
        return _correlate_opencv(plane, kernel, border)
    padded = pad_for_kernel(plane.astype(np.float64, copy=False), kernel.shape, border)
    if method == "loop":
        return _correlate_loop(padded, kernel)
    if method == "vectorized":
        return _correlate_shifted_sums(padded, kernel)
    if method == "separable":
        column, row = factors
        vertical = _correlate_shifted_sums(padded, column[:, np.newaxis])
        return _correlate_shifted_sums(vertical, row[np.newaxis, :])
    return _correlate_fft(padded, kernel)


def _correlate_loop(padded: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The pixel loop: for each output pixel, multiply the window by the kernel and sum."""
    k_height, k_width = kernel.shape
    out_height = padded.shape[0] - k_height + 1
    out_width = padded.shape[1] - k_width + 1
    output = np.empty((out_height, out_width))
    for row in range(out_height):
        for col in range(out_width):
            window = padded[row : row + k_height, col : col + k_width]
            output[row, col] = np.sum(window * kernel)
    return output


def _correlate_shifted_sums(padded: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Add up one shifted, weighted copy of the image per kernel tap (zero taps skipped)."""
    k_height, k_width = kernel.shape
    out_height = padded.shape[0] - k_height + 1
    out_width = padded.shape[1] - k_width + 1
    output = np.zeros((out_height, out_width))
    scratch = np.empty_like(output)
    for m in range(k_height):
        for n in range(k_width):
            weight = kernel[m, n]
            if weight == 0:
                continue
            np.multiply(padded[m : m + out_height, n : n + out_width], weight, out=scratch)
            output += scratch
    return output


def _correlate_fft(padded: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Correlate through the FFT, padded to the full linear size so nothing wraps.

    Correlation is convolution with the flipped kernel; the FFT computes a
    circular convolution, which equals the linear one when both arrays are
    zero-padded to at least (H + k_h - 1) × (W + k_w - 1).
    """
    k_height, k_width = kernel.shape
    out_height = padded.shape[0] - k_height + 1
    out_width = padded.shape[1] - k_width + 1
    shape = (
        scipy_fft.next_fast_len(padded.shape[0] + k_height - 1, real=True),
        scipy_fft.next_fast_len(padded.shape[1] + k_width - 1, real=True),
    )
    spectrum = scipy_fft.rfft2(padded, shape) * scipy_fft.rfft2(kernel[::-1, ::-1], shape)
    full = scipy_fft.irfft2(spectrum, shape)
    return full[k_height - 1 : k_height - 1 + out_height, k_width - 1 : k_width - 1 + out_width]


def _correlate_opencv(image: np.ndarray, kernel: np.ndarray, border: str) -> np.ndarray:
    """``cv2.filter2D`` (or ``cv2.sepFilter2D`` for rank-1 kernels) in float64."""
    # Always float64 in: for 8-bit input OpenCV would round the kernel to float32.
    image = np.ascontiguousarray(image, dtype=np.float64)
    pad_rows, pad_cols = kernel.shape[0] // 2, kernel.shape[1] // 2
    crop = border in ("valid", "wrap")
    if border == "wrap":
        # filter2D cannot wrap by itself, so pad first and cut the result.
        image = cv2.copyMakeBorder(image, pad_rows, pad_rows, pad_cols, pad_cols, cv2.BORDER_WRAP)
    # After the pre-pad (or for "valid") the border pixels are cut off, so any flag will do.
    flag = cv2.BORDER_CONSTANT if crop else OPENCV_BORDERS[border]
    factors = _rank_one_factors(kernel) if min(kernel.shape) >= 7 else None
    if factors is not None:
        column, row = factors
        result = cv2.sepFilter2D(image, cv2.CV_64F, row, column, borderType=flag)
    else:
        result = cv2.filter2D(image, cv2.CV_64F, kernel, borderType=flag)
    if crop:
        result = result[
            pad_rows : result.shape[0] - pad_rows, pad_cols : result.shape[1] - pad_cols
        ]
    return result


def _rank_one_factors(kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(column, row) when ``kernel`` has rank 1 (or is all zero), else None."""
    u, singular, vt = np.linalg.svd(kernel)
    if singular[0] == 0:
        return np.zeros(kernel.shape[0]), np.zeros(kernel.shape[1])
    if len(singular) > 1 and singular[1] > _RANK_TOLERANCE * singular[0]:
        return None
    scale = np.sqrt(singular[0])
    return u[:, 0] * scale, vt[0] * scale


def _shape_text(shape) -> str:
    return "×".join(str(s) for s in shape)

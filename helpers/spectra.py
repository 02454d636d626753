"""What a kernel does to each spatial frequency: its frequency response.

A kernel k placed in the corner of an N × N array of zeros and Fourier
transformed gives H(u, v) = Σ_m Σ_n k(m, n) · exp(−2πi (u m + v n) / N):
how much a wave of u cycles down and v cycles across (per N pixels) is
multiplied by when the image is filtered. Correlating or convolving a
picture with k multiplies each frequency by |H| (convolving the picture with
two kernels multiplies their responses: the convolution theorem).
"""
from __future__ import annotations

import numpy as np

from .validation import as_numeric_array, check_allocation, check_fourier_size, require_finite


def frequency_response(kernel, size: int = 64) -> np.ndarray:
    """|H|, the magnitude of the kernel's 2-D Fourier transform on a size × size grid.

    The kernel is zero-padded to size × size (``np.fft.fft2(kernel, s=...)``)
    and the result shifted (``np.fft.fftshift``) so frequency 0 sits at the
    centre, index (size // 2, size // 2); :func:`frequencies` gives the axis.
    The value at the centre is |Σ k|, the response to a flat picture.

    >>> float(frequency_response([[0.25, 0.5, 0.25]], size=4)[0, 2])
    1.0
    """
    array = as_numeric_array(kernel, "kernel").astype(np.float64)
    if array.ndim != 2:
        raise ValueError(f"kernel must be 2-D (height × width); got shape {array.shape}")
    require_finite(array, "kernel")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise TypeError(f"size must be a whole number of samples such as 64; got {size!r}")
    if size < max(array.shape):
        raise ValueError(
            f"size must be at least the kernel's height and width ({max(array.shape)}) to hold it; got {size}"
        )
    # The complex transform (two numbers per entry), its magnitude and the shifted copy.
    check_allocation(4 * int(size) ** 2, "size", f"the {int(size)} × {int(size)} response")
    check_fourier_size([int(size), int(size)], "size", f"the {int(size)} × {int(size)} response")
    return np.abs(np.fft.fftshift(np.fft.fft2(array, s=(int(size), int(size)))))


def frequencies(size: int = 64) -> np.ndarray:
    """The frequency of each row (or column) of :func:`frequency_response`, in cycles per pixel.

    Runs from −0.5 (a pattern that flips every pixel) through 0 (flat) to just under 0.5.

    >>> frequencies(4)
    array([-0.5 , -0.25,  0.  ,  0.25])
    """
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"size must be a positive whole number of samples such as 64; got {size!r}")
    check_allocation(2 * int(size), "size", f"{int(size)} frequencies")
    return np.fft.fftshift(np.fft.fftfreq(int(size)))

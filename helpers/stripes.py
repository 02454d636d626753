"""Striped test images of known frequency, and a kernel's signed response measured on them.

Stripes of frequency f (cycles per pixel) that change across the columns,

    s(i, j) = cos(2π f j + φ),

repeat every 1/f pixels: f = 0.25 is a period of 4 pixels, f = 0.5 light and
dark pixels in turn. Correlating them with a kernel k (as ``helpers.correlate``
does) gives, when k is symmetric left to right, the same stripes multiplied by
one number,

    H(f) = Σ_m Σ_n k(m, n) · cos(2π f n),   n counted from the kernel's centre column,

the kernel's **response** at f. It is negative where the stripes come back with
light and dark swapped. :func:`measured_response` finds it by filtering
stripes, as a ratio of amplitudes; :func:`fourier_response` gets it for every
frequency at once from the discrete Fourier transform of the kernel.
For a kernel that is not symmetric, both give the part of the output that is in
step with the input (the part out of step is a shift of the stripes).
"""
from __future__ import annotations

import numpy as np

from .convolution import correlate
from .validation import (
    as_numeric_array,
    check_allocation,
    check_fourier_size,
    check_total_size,
    real_number,
    require_finite,
    unit_scaled,
)

#: Default width of a stripe image: 120 pixels hold a whole number of periods for
#: every multiple of 1/120 cycle per pixel (0.05, 0.1, 0.25, 0.3, 1/3, ...).
DEFAULT_SIZE = 120


def _check_frequency(frequency, size) -> tuple[float, int]:
    """(frequency, size) checked: a size of whole pixels whose size × size image fits in memory, and a
    frequency from 0 to 0.5 that fits a whole number of times into it."""
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 2:
        raise ValueError(f"size must be a whole number of pixels, at least 2, such as 120; got {size!r}")
    size = int(size)
    check_allocation(size * size + size, "size", f"a {size} × {size} stripe image")
    frequency = real_number(frequency, "frequency", "a number of cycles per pixel such as 0.25")
    if not 0 <= frequency <= 0.5:
        raise ValueError(
            f"frequency must lie between 0 and 0.5 cycles per pixel (0.5: pixels alternate); got {frequency}"
        )
    cycles = frequency * size
    if abs(cycles - round(cycles)) > 1e-9:
        raise ValueError(
            f"frequency × size must be a whole number of periods, so that the stripes wrap around without a seam; "
            f"{frequency} × {size} = {cycles:g}: choose another size (120 suits every multiple of 1/120)"
        )
    return frequency, size


def _unit_kernel(kernel: np.ndarray) -> tuple[np.ndarray, int]:
    """(k / 2^e, e) with max|k / 2^e| in [0.5, 1): a response is linear in the kernel, so it is computed for
    the scaled kernel and multiplied by 2^e at the end (exactly), without overflow for weights near 1e300
    or loss for weights near 1e-300. A kernel whose weights add up past 1e300 is refused by name."""
    check_total_size(kernel, "kernel")
    return unit_scaled(kernel)


def stripes(frequency, size: int = DEFAULT_SIZE, phase: float = 0.0) -> np.ndarray:
    """A size × size image of vertical stripes cos(2π · frequency · column + phase), values in [−1, 1].

    ``frequency`` is in cycles per pixel (0 to 0.5) and must fit a whole number
    of times into ``size``, so the image wraps around seamlessly. Show it on the
    0–255 scale as ``128 + 100 * stripes(...)``.

    >>> stripes(0.25, size=8)[0].round(6).tolist()
    [1.0, 0.0, -1.0, -0.0, 1.0, 0.0, -1.0, -0.0]
    """
    frequency, size = _check_frequency(frequency, size)
    phase = real_number(phase, "phase", "a number of radians such as 0.0")
    row = np.cos(2 * np.pi * frequency * np.arange(size) + phase)
    return np.tile(row, (size, 1))


def measured_response(kernel, frequency, size: int = DEFAULT_SIZE) -> float:
    """The kernel's signed response at ``frequency``, measured by filtering stripes.

    Correlates :func:`stripes` with the kernel (border "wrap", so the stripes
    continue past the edge) and returns the amplitude ratio
    Σ output · input / Σ input · input: 1 for stripes kept as they are, 0 for
    stripes removed, negative for stripes that come back inverted.

    >>> round(measured_response([[0.2, 0.2, 0.2, 0.2, 0.2]], 0.3), 3)
    -0.247
    """
    array = as_numeric_array(kernel, "kernel").astype(np.float64)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise ValueError(f"kernel must be 1-D (one row) or 2-D; got shape {array.shape}")
    require_finite(array, "kernel")
    frequency, size = _check_frequency(frequency, size)
    if max(array.shape) > size:
        raise ValueError(f"size must be at least the kernel's height and width ({max(array.shape)}); got {size}")
    # The stripes, the padded copy correlate makes, its output and the two products summed.
    check_allocation(5 * size * size, "size", f"the {size} × {size} stripe images of the measurement")
    image = stripes(frequency, size)
    scaled, exponent = _unit_kernel(array)
    out = correlate(image, scaled, border="wrap")
    return float(np.ldexp(np.sum(out * image) / np.sum(image * image), exponent))


def fourier_response(kernel, size: int = DEFAULT_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """(frequencies, H): the signed response to vertical stripes at every frequency 0 .. 0.5 at once.

    The columns of the kernel are summed (stripes do not change down a
    column), the resulting row is put in a row of ``size`` zeros with its
    centre tap at index 0 (the taps left of the centre wrap to the end), and
    ``np.fft.rfft`` gives Σ_n row(n) · e^(−2πi f n) for f = 0, 1/size, ..., 0.5.
    Its real part is H(f) = Σ_n row(n) · cos(2π f n), the value
    :func:`measured_response` measures; for a symmetric row the imaginary part is 0.

    >>> f, h = fourier_response([[1, 1, 1, 1, 1]], size=10)
    >>> h[[0, 2]].round(3).tolist()
    [5.0, 0.0]
    """
    array = as_numeric_array(kernel, "kernel").astype(np.float64)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2 or array.shape[1] % 2 == 0:
        raise ValueError(f"kernel must be 1-D or 2-D with an odd width; got shape {array.shape}")
    require_finite(array, "kernel")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < array.shape[1]:
        raise ValueError(f"size must be a whole number at least the kernel's width ({array.shape[1]}); got {size!r}")
    size = int(size)
    # The padded row, its rolled copy, the transform (two numbers per frequency) and the frequencies.
    check_allocation(4 * size, "size", f"the response at {size // 2 + 1} frequencies")
    check_fourier_size([size], "size", f"the response at {size // 2 + 1} frequencies")
    scaled, exponent = _unit_kernel(array)
    row = scaled.sum(axis=0)
    padded = np.zeros(int(size))
    padded[: row.size] = row
    centred = np.roll(padded, -(row.size // 2))
    return np.fft.rfftfreq(int(size)), np.ldexp(np.fft.rfft(centred).real, exponent)


def response_2d(kernel, size: int) -> np.ndarray:
    """H(fy, fx), the signed response to stripes of every direction, on the grid of ``np.fft.fft2`` of a size × size image.

    The kernel is put in a size × size array of zeros with its centre tap at
    (0, 0) (the taps above and left of the centre wrap to the far end), and the
    real part of ``np.fft.fft2`` is returned; frequencies as ``np.fft.fftfreq(size)``
    along each axis, not shifted. For a kernel that is symmetric about its
    centre the imaginary part is 0. Filtering a periodic image of that size
    (border "wrap") multiplies its transform by this array.

    >>> response_2d([[0.25, 0.5, 0.25]], 4)[0].round(3).tolist()
    [1.0, 0.5, 0.0, 0.5]
    """
    array = as_numeric_array(kernel, "kernel").astype(np.float64)
    if array.ndim != 2 or array.shape[0] % 2 == 0 or array.shape[1] % 2 == 0:
        raise ValueError(f"kernel must be 2-D with an odd height and width; got shape {array.shape}")
    require_finite(array, "kernel")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < max(array.shape):
        raise ValueError(f"size must be a whole number at least the kernel's height and width ({max(array.shape)}); got {size!r}")
    size = int(size)
    # The padded kernel, its rolled copy, the complex transform (two numbers each) and its real part.
    check_allocation(5 * size * size, "size", f"the {size} × {size} response")
    check_fourier_size([size, size], "size", f"the {size} × {size} response")
    scaled, exponent = _unit_kernel(array)
    padded = np.zeros((int(size), int(size)))
    padded[: array.shape[0], : array.shape[1]] = scaled
    padded = np.roll(padded, (-(array.shape[0] // 2), -(array.shape[1] // 2)), axis=(0, 1))
    return np.ldexp(np.fft.fft2(padded).real, exponent)

"""Striped test images of known frequency, and a kernel's response (magnitude and phase) measured on them.

Stripes of frequency f (cycles per pixel) that change across the columns,

    s(i, j) = cos(2π f j + φ),

repeat every 1/f pixels: f = 0.25 is a period of 4 pixels, f = 0.5 light and
dark pixels in turn. Correlating them with a kernel k (as ``helpers.correlate``
does) gives stripes of the same frequency again, |H| times as strong and moved
by the phase φ = angle(H):

    out(j) = |H| · cos(2π f j + φ),   H(f) = Σ_m Σ_n k(m, n) · e^(+2πi f n),

n counted from the kernel's centre column. H is the kernel's **response** at f,
a complex number: the magnitude |H| says how much of the stripes survive, the
phase φ how far they move (φ / (2π f) pixels towards smaller columns). For a
kernel symmetric about its centre column H is real, a signed ratio (negative:
light and dark swap). :func:`measured_response` finds H by filtering stripes;
:func:`fourier_response` and :func:`response_2d` get it for every frequency at
once from the discrete Fourier transform. H is the response of *correlating*
with k, whose impulse response is k turned 180° (the transform of k itself,
the response of convolving with k, is its complex conjugate: same magnitude,
opposite phase).
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


def measured_response(kernel, frequency, size: int = DEFAULT_SIZE) -> complex:
    """The kernel's response H at ``frequency``, a complex number, measured by filtering stripes.

    Correlates cosine stripes c(j) = cos(2π f j) with the kernel (border
    "wrap", so they continue past the edge). The output is again stripes of
    frequency f, a·c − b·s, a mix of the input and of the same stripes a
    quarter period later, s(j) = sin(2π f j); since c and s are orthogonal over
    whole periods, a = Σ out · c / Σ c · c and b = −Σ out · s / Σ s · s, and
    H = a + ib. |H| is the output's amplitude over the input's, angle(H) how
    far the stripes moved. At f = 0 and f = 0.5 the sine stripes are 0 and H is real.

    >>> round(measured_response([[0.2, 0.2, 0.2, 0.2, 0.2]], 0.3).real, 3)
    -0.247
    >>> h = measured_response([[-1, 0, 1]], 0.25)   # twice as strong, moved a quarter period
    >>> round(abs(h), 9), round(float(np.angle(h, deg=True)), 6)
    (2.0, 90.0)
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
    # The stripes, their quarter-period twin, the padded copy correlate makes, its output and the products.
    check_allocation(6 * size * size, "size", f"the {size} × {size} stripe images of the measurement")
    scaled, exponent = _unit_kernel(array)
    cosine, sine = stripes(frequency, size), stripes(frequency, size, -np.pi / 2)
    out = correlate(cosine, scaled, border="wrap")
    a = np.sum(out * cosine) / np.sum(cosine * cosine)
    sine_power = np.sum(sine * sine)
    b = 0.0 if sine_power < 1e-9 * sine.size else -np.sum(out * sine) / sine_power
    return complex(float(np.ldexp(a, exponent)), float(np.ldexp(b, exponent)))


def centre_first(row, size: int) -> np.ndarray:
    """The odd-length ``row`` in a row of ``size`` zeros, its centre tap at index 0: offset n at index n mod size.

    The discrete Fourier transform counts positions from index 0 and wraps
    around (index −1 is the last one), so a tap at offset n from the centre
    goes to index n mod size: the centre first, the taps right of it next, the
    taps left of it at the far end.

    >>> centre_first([1, 2, 3], 6).tolist()
    [2.0, 3.0, 0.0, 0.0, 0.0, 1.0]
    """
    array = as_numeric_array(row, "row").astype(np.float64)
    if array.ndim != 1 or array.size % 2 == 0:
        raise ValueError(f"row must be 1-D with an odd number of taps, so it has a centre; got shape {array.shape}")
    require_finite(array, "row")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < array.size:
        raise ValueError(f"size must be a whole number at least the row's length ({array.size}); got {size!r}")
    check_allocation(2 * int(size), "size", f"a row of {int(size)} samples")
    padded = np.zeros(int(size))
    padded[: array.size] = array
    return np.roll(padded, -(array.size // 2))


def fourier_response(kernel, size: int = DEFAULT_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """(frequencies, H): the complex response to vertical stripes at every frequency 0 .. 0.5 at once.

    The columns of the kernel are summed (stripes do not change down a
    column), the resulting row is put in a row of ``size`` zeros with its
    centre tap at index 0 (offset n at index n mod size: the taps left of the
    centre wrap to the end, as :func:`centre_first` shows), and ``np.fft.rfft``
    gives Σ_n row(n) · e^(−2πi f n) for f = 0, 1/size, ..., 0.5. Its complex
    conjugate is H(f) = Σ_n row(n) · e^(+2πi f n), the value
    :func:`measured_response` measures (correlation); ``np.abs`` gives the
    magnitude, ``np.angle`` the phase. For a symmetric row H is real.

    >>> f, h = fourier_response([[1, 1, 1, 1, 1]], size=10)
    >>> h[[0, 2]].real.round(3).tolist()
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
    spectrum = np.conj(np.fft.rfft(centre_first(row, size)))
    return np.fft.rfftfreq(int(size)), np.ldexp(spectrum.real, exponent) + 1j * np.ldexp(spectrum.imag, exponent)


def response_2d(kernel, size: int) -> np.ndarray:
    """H(fy, fx), the complex response to stripes of every direction, on the grid of ``np.fft.fft2`` of a size × size image.

    The kernel is put in a size × size array of zeros with its centre tap at
    (0, 0) (the taps above and left of the centre wrap to the far end), and the
    complex conjugate of ``np.fft.fft2`` is returned (the response of
    correlating with the kernel); frequencies as ``np.fft.fftfreq(size)`` along
    each axis, not shifted. For a kernel that is symmetric about its centre H
    is real. Correlating a periodic image of that size (border "wrap")
    multiplies its transform by this array.

    >>> response_2d([[0.25, 0.5, 0.25]], 4)[0].real.round(3).tolist()
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
    spectrum = np.conj(np.fft.fft2(padded))
    return np.ldexp(spectrum.real, exponent) + 1j * np.ldexp(spectrum.imag, exponent)

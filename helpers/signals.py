"""1-D convolution one shift at a time: the logic behind the 1-D explorer.

The full 1-D convolution of a signal x (length N) with a kernel k (length K)
has N + K - 1 outputs, one per shift n = 0 .. N + K - 2:

    y[n] = sum_j x[j] · k[n - j]

Read it as: flip the kernel, slide it so its last tap sits over position n,
multiply what overlaps and add. Positions outside the signal count as 0,
which is what ``np.convolve(x, k)`` ("full" mode) does.

:func:`slide_1d` returns everything one shift shows (the flipped kernel in
place, the products, the output built up to that shift) as arrays, so a test
or a widget can use it without drawing anything.

>>> step = slide_1d([0, 0, 1, 1], [1, 0, -1], shift=3)
>>> step.value
1.0
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import as_numeric_array, check_product_size, require_finite

#: Sample signals for the explorer (short, so every tap stays visible).
SIGNALS_1D: dict[str, np.ndarray] = {
    "step": np.r_[np.zeros(8), np.ones(8)],
    "pulse": np.r_[np.zeros(6), np.ones(4), np.zeros(6)],
    "ramp then flat": np.r_[np.linspace(0.0, 1.0, 8), np.ones(8)],
    "noisy step": np.r_[np.zeros(8), np.ones(8)] + np.random.default_rng(0).normal(0.0, 0.15, 16),
}

#: Sample kernels. "difference" is not symmetric, so the flip shows.
KERNELS_1D: dict[str, np.ndarray] = {
    "difference [1, 0, -1]": np.array([1.0, 0.0, -1.0]),
    "smooth [1, 2, 1] / 4": np.array([1.0, 2.0, 1.0]) / 4,
    "box of 5": np.full(5, 1 / 5),
    "ramp [1, 2, 3] / 6": np.array([1.0, 2.0, 3.0]) / 6,
}

for _array in (*SIGNALS_1D.values(), *KERNELS_1D.values()):
    _array.setflags(write=False)


@dataclass(frozen=True)
class Slide1D:
    """One shift of a full 1-D convolution, on the axis ``positions``.

    ``positions`` runs from -(K - 1) to N + K - 2 so the kernel can slide in
    from the left and out on the right; ``signal`` is 0 outside 0..N-1.
    ``placed_kernel`` holds the flipped kernel under positions
    shift - K + 1 .. shift and NaN elsewhere; ``products`` likewise.
    ``output`` holds y[0..shift] at positions 0..shift and NaN after.
    """

    shift: int
    positions: np.ndarray
    signal: np.ndarray
    placed_kernel: np.ndarray
    products: np.ndarray
    output: np.ndarray
    value: float

    @property
    def shift_count(self) -> int:
        """How many shifts the full convolution has: N + K - 1."""
        return int(np.sum(self.positions >= 0))


def _as_1d(values, name: str) -> np.ndarray:
    array = as_numeric_array(values, name)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {array.shape}")
    require_finite(array, name)
    return array.astype(np.float64)


def shift_count_1d(signal, kernel) -> int:
    """The number of shifts (outputs) of the full convolution: N + K - 1."""
    return len(_as_1d(signal, "signal")) + len(_as_1d(kernel, "kernel")) - 1


def slide_1d(signal, kernel, shift: int) -> Slide1D:
    """The flipped kernel at ``shift``, its products with the signal, and y[0..shift].

    y[n] = sum_j signal[j] · kernel[n - j] for n = 0 .. N + K - 2.
    """
    x = _as_1d(signal, "signal")
    k = _as_1d(kernel, "kernel")
    # No product nor output can be larger than max|x| · sum|k|: refuse what could overflow.
    check_product_size(x, "signal", float(np.abs(k).sum()), "kernel")
    n_signal, n_kernel = len(x), len(k)
    total = n_signal + n_kernel - 1
    if isinstance(shift, bool) or not isinstance(shift, (int, np.integer)) or not 0 <= shift < total:
        raise ValueError(f"shift must be a whole number from 0 to {total - 1}; got {shift!r}")
    shift = int(shift)
    positions = np.arange(-(n_kernel - 1), n_signal + n_kernel - 1)
    offset = n_kernel - 1  # index of position 0 in the arrays below
    padded = np.zeros(len(positions))
    padded[offset : offset + n_signal] = x
    placed = np.full(len(positions), np.nan)
    # Position j holds k[shift - j]: the flipped kernel ends at position `shift`.
    start = offset + shift - n_kernel + 1
    placed[start : start + n_kernel] = k[::-1]
    products = padded * placed
    outputs = np.array([np.sum(padded[offset + n - n_kernel + 1 : offset + n + 1] * k[::-1]) for n in range(total)])
    built = np.full(len(positions), np.nan)
    built[offset : offset + shift + 1] = outputs[: shift + 1]
    return Slide1D(shift, positions, padded, placed, products, built, float(outputs[shift]))

"""The kernel bank of the series and builders for blur kernels.

``KERNELS`` holds the seven named kernels (introduced in notebook 03, applied in 04) with their exact
values. ``box(size)`` and ``gaussian(size, sigma)`` build blur kernels of
any odd size; both sum to 1, so a flat image stays flat.
"""
from __future__ import annotations

import numpy as np

from .validation import check_allocation, real_number


def _odd_size(size, name: str = "size") -> int:
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise TypeError(f"{name} must be an odd whole number such as 3, 5 or 7; got {size!r}")
    if size < 1 or size % 2 == 0:
        raise ValueError(
            f"{name} must be a positive odd number so the kernel has a centre pixel; got {size}"
        )
    check_allocation(int(size) ** 2, name, f"a {int(size)} × {int(size)} kernel")
    return int(size)


def box(size: int) -> np.ndarray:
    """A size × size box (mean) kernel: every weight is 1 / size².

    >>> float(box(3).sum())
    1.0
    """
    size = _odd_size(size)
    return np.full((size, size), 1.0 / (size * size))


#: The range of ``sigma`` (in pixels) that :func:`gaussian` accepts.
SIGMA_RANGE = (1e-3, 1e6)


def gaussian(size: int, sigma: float) -> np.ndarray:
    """A size × size Gaussian kernel, normalised to sum to 1.

    G(x, y) = exp(-(x² + y²) / (2 σ²)) / Σ exp(...), with x and y measured
    from the centre pixel. It is the outer product of two 1-D Gaussians, so
    it is separable.

    sigma must lie between 0.001 and 1e6 pixels (``SIGMA_RANGE``). The ends
    are already the limits: below 0.0259 every off-centre weight underflows to 0
    (the identity kernel), and at 1e6 a kernel up to 41×41 is a box to 1e-9.
    Anything outside is a slip rather than a wish, and float64 could not
    square it (σ = 1e-200 gives σ² = 0, σ = 1e300 overflows).
    """
    size = _odd_size(size)
    sigma = real_number(sigma, "sigma", "a positive number such as 1.5")
    if sigma <= 0:
        raise ValueError(f"sigma must be a positive, finite number; got {sigma}")
    low, high = SIGMA_RANGE
    if not low <= sigma <= high:
        raise ValueError(
            f"sigma must lie between {low:g} and {high:g} pixels; got {float(sigma):g}. "
            f"A sigma below {low:g} gives the identity kernel and one above {high:g} a box"
        )
    offsets = np.arange(size) - size // 2
    line = np.exp(-(offsets**2) / (2.0 * float(sigma) ** 2))
    line /= line.sum()
    return np.outer(line, line)


def _frozen(values) -> np.ndarray:
    array = np.array(values, dtype=np.float64)
    array.setflags(write=False)
    return array


#: The seven kernels of the curriculum, by name (read-only arrays).
KERNELS: dict[str, np.ndarray] = {
    "small_blur": _frozen(box(7)),
    "large_blur": _frozen(box(21)),
    "sharpen": _frozen([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "laplacian": _frozen([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "sobel_x": _frozen([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "sobel_y": _frozen([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "emboss": _frozen([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
}


def unsharp(size: int, sigma: float, amount: float) -> np.ndarray:
    """The unsharp-masking kernel: sharpened = image + amount · (image − Gaussian blur).

    As one kernel: (1 + amount) · identity − amount · gaussian(size, sigma);
    its weights sum to 1, so flat regions keep their grey level.
    """
    amount = real_number(amount, "amount", "a number such as 1.0")
    blur = gaussian(size, sigma)
    kernel = -amount * blur
    kernel[size // 2, size // 2] += 1.0 + amount
    return kernel

"""Band-pass kernels: the Laplacian of a Gaussian (LoG), the difference of Gaussians (DoG), zero crossings.

The LoG is notebook 06's "blur, then Laplacian" as one kernel. With g the
sampled Gaussian of :func:`helpers.kernels.gaussian` (weights summing to 1),

    LoG(x, y) = (x² + y² − 2σ²) / σ⁴ · g(x, y),

the sum of the second derivatives along x and along y, which is what
``scipy.ndimage.gaussian_laplace`` applies (with its window of radius
round(4σ)). The DoG subtracts a Gaussian from a wider one:

    DoG = g(kσ) − g(σ) ≈ (k − 1) σ² · LoG(σ),   k about 1.6,

because ∂g/∂σ = σ ∇²g, so a small step in σ is a Laplacian times σ.
"""
from __future__ import annotations

import numpy as np

from .kernels import _odd_size, gaussian
from .validation import as_numeric_array, real_number, require_finite


def log_kernel(size: int, sigma: float) -> np.ndarray:
    """The size × size Laplacian of a Gaussian: (x² + y² − 2σ²) / σ⁴ · g(x, y).

    g is ``gaussian(size, sigma)`` (weights sum to 1), x and y count from the
    centre pixel. The centre weight is negative (a bright dot answers with a
    dark dip), as for the Laplacian ``[[0, 1, 0], [1, -4, 1], [0, 1, 0]]``.

    >>> k = log_kernel(9, 1.0)
    >>> bool(k[4, 4] < 0), round(float(k.sum()), 3)
    (True, 0.0)
    """
    g = gaussian(size, sigma)
    offsets = np.arange(g.shape[0]) - g.shape[0] // 2
    squared = offsets[:, np.newaxis] ** 2 + offsets[np.newaxis, :] ** 2
    return (squared - 2.0 * sigma**2) / sigma**4 * g


def dog_kernel(size: int, sigma: float, ratio: float = 1.6) -> np.ndarray:
    """The size × size difference of Gaussians: gaussian(size, ratio · σ) − gaussian(size, σ).

    The wider minus the narrower, so the centre is negative like the LoG's and
    the weights sum to 0 (a flat picture answers 0). ``ratio`` must be above 1.

    >>> k = dog_kernel(15, 2.0)
    >>> bool(k[7, 7] < 0), abs(float(k.sum())) < 1e-12
    (True, True)
    """
    size = _odd_size(size)
    ratio = real_number(ratio, "ratio", "a number above 1 such as 1.6")
    if not ratio > 1:
        raise ValueError(f"ratio must be above 1 (the second Gaussian is the wider one); got {ratio}")
    return gaussian(size, ratio * sigma) - gaussian(size, sigma)


def log_size(sigma: float) -> int:
    """The odd window size 2 · round(4σ) + 1 that ``scipy.ndimage.gaussian_laplace`` uses by default.

    >>> log_size(2.0)
    17
    """
    sigma = real_number(sigma, "sigma", "a positive number such as 2.0")
    if not sigma > 0:
        raise ValueError(f"sigma must be a positive number of pixels; got {sigma}")
    return 2 * int(4.0 * sigma + 0.5) + 1


def zero_crossings(response, threshold: float = 0.0) -> np.ndarray:
    """True where the sign of ``response`` changes to the right or below neighbour, by more than ``threshold``.

    A pixel is marked when response(p) and response(q) have opposite signs and
    |response(p) − response(q)| > threshold, for q the pixel to its right or
    below. The threshold drops the weak crossings noise makes in flat areas.

    >>> zero_crossings([[-1.0, 2.0, 3.0]]).astype(int)
    array([[1, 0, 0]])
    """
    array = as_numeric_array(response, "response").astype(np.float64)
    if array.ndim != 2:
        raise ValueError(f"response must be 2-D (H×W); got shape {array.shape}")
    require_finite(array, "response")
    threshold = real_number(threshold, "threshold", "a number of 0 or more")
    if threshold < 0:
        raise ValueError(f"threshold must be 0 or more; got {threshold}")
    marked = np.zeros(array.shape, dtype=bool)
    right = (array[:, :-1] * array[:, 1:] < 0) & (np.abs(array[:, :-1] - array[:, 1:]) > threshold)
    below = (array[:-1, :] * array[1:, :] < 0) & (np.abs(array[:-1, :] - array[1:, :]) > threshold)
    marked[:, :-1] |= right
    marked[:-1, :] |= below
    return marked


def disc_image(size: int, centres, radii, background: float = 200.0, value: float = 50.0) -> np.ndarray:
    """A size × size grey picture with dark discs: pixels within radius r of (row, column) are ``value``.

    >>> int((disc_image(9, [(4, 4)], [2]) == 50).sum())
    13
    """
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"size must be a positive whole number of pixels such as 64; got {size!r}")
    rows, cols = np.mgrid[:size, :size]
    picture = np.full((size, size), float(background))
    for (row, col), radius in zip(centres, radii, strict=True):
        picture[(rows - row) ** 2 + (cols - col) ** 2 <= radius**2] = float(value)
    return picture

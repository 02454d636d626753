"""Box sums at any size for the same price: the integral image (running sums).

The integral image of an H × W image I has one extra row and column of zeros
in front:

    S(i, j) = Σ_{r < i} Σ_{c < j} I(r, c),     S(0, ·) = S(·, 0) = 0,

two running sums (``np.cumsum`` down the rows, then along the columns). The
sum of any rectangle of rows r0..r1 − 1 and columns c0..c1 − 1 is then four
look-ups, whatever its size:

    Σ I = S(r1, c1) − S(r0, c1) − S(r1, c0) + S(r0, c0).

So a k × k box filter costs about the same for k = 3 and for k = 41, where
the direct sum pays k² additions per pixel.

>>> import numpy as np
>>> box_sums(np.arange(9.0).reshape(3, 3), 2)
array([[ 8., 12.],
       [20., 24.]])
"""
from __future__ import annotations

import numbers

import numpy as np

from .validation import as_numeric_array, check_total_size, require_finite


def integral_image(image) -> np.ndarray:
    """S with a leading row and column of zeros: S[i, j] = sum of image[:i, :j] (float64).

    No running sum passes Σ |image|; an image whose values add up past 1e300 in
    size is refused by name rather than summed to infinity.
    """
    image = _image(image)
    check_total_size(image, "image")
    total = np.zeros((image.shape[0] + 1, image.shape[1] + 1))
    total[1:, 1:] = image.cumsum(axis=0).cumsum(axis=1)
    return total


def box_sums(image, k: int) -> np.ndarray:
    """The sum of every k × k window (valid: (H − k + 1) × (W − k + 1) values), by four look-ups each."""
    image = _image(image)
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
        raise ValueError(f"k must be a whole number of at least 1; got {k!r}")
    if k > min(image.shape):
        raise ValueError(f"a {k}×{k} box does not fit in a {image.shape[0]}×{image.shape[1]} image")
    s = integral_image(image)
    return s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]


def _image(image) -> np.ndarray:
    image = as_numeric_array(image, "image").astype(np.float64)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (grey, H×W); got shape {image.shape}")
    require_finite(image, "image")
    return image

"""The image gradient from the Sobel kernels: its two components, length and direction.

Gx is the ``sobel_x`` response (positive where the picture gets brighter to
the right), Gy the ``sobel_y`` response (positive where it gets brighter
downwards; rows grow downwards). Both are cross-correlations, as everywhere
in the series.
"""
from __future__ import annotations

import numpy as np

from .convolution import correlate
from .kernels import KERNELS
from .validation import as_numeric_array, require_finite


def sobel_gradients(image, border: str = "replicate") -> tuple[np.ndarray, np.ndarray]:
    """The pair (Gx, Gy) of Sobel responses of a grey image, as float64 arrays.

    Gx = image ⋆ [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]] and Gy = image ⋆ its
    transpose (⋆ is cross-correlation), with the given ``border``.

    >>> gx, gy = sobel_gradients([[0, 0, 9], [0, 0, 9], [0, 0, 9]])
    >>> float(gx[1, 1]), float(gy[1, 1])
    (36.0, 0.0)
    """
    array = as_numeric_array(image, "image")
    if array.ndim != 2:
        raise ValueError(f"image must be a 2-D grey image (H×W); got shape {array.shape}")
    return correlate(array, KERNELS["sobel_x"], border=border), correlate(array, KERNELS["sobel_y"], border=border)


def _pair(gx, gy) -> tuple[np.ndarray, np.ndarray]:
    a = as_numeric_array(gx, "gx").astype(np.float64)
    b = as_numeric_array(gy, "gy").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"gx and gy must have the same shape; got {a.shape} and {b.shape}")
    require_finite(a, "gx")
    require_finite(b, "gy")
    return a, b


def gradient_magnitude(gx, gy) -> np.ndarray:
    """The length of the gradient at every pixel: √(Gx² + Gy²), as ``np.hypot`` computes it.

    >>> gradient_magnitude([3.0], [4.0])
    array([5.])
    """
    a, b = _pair(gx, gy)
    # np.hypot scales before squaring: Gx² would overflow from 1.3e154 and underflow below 1.5e-154.
    with np.errstate(over="ignore"):  # reported below
        length = np.hypot(a, b)
    if not np.all(np.isfinite(length)):
        raise ValueError(
            "gx and gy are too large: the gradient's length √(gx² + gy²) passes float64's 1.8e308 "
            "somewhere; scale them down"
        )
    return length


def gradient_direction(gx, gy) -> np.ndarray:
    """The angle of the gradient in radians, atan2(Gy, Gx), from −π to π.

    0 points right (brighter to the right), π/2 down (brighter below), since
    image rows grow downwards. Where Gx = Gy = 0 the angle is 0.

    >>> gradient_direction([0.0, -1.0], [1.0, 0.0])
    array([1.57079633, 3.14159265])
    """
    a, b = _pair(gx, gy)
    return np.arctan2(b, a)

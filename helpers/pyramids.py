"""Gaussian and Laplacian pyramids, with OpenCV's ``pyrDown`` and ``pyrUp`` conventions.

down(I) = (I ⋆ b)[::2, ::2] with b = [1, 4, 6, 4, 1]ᵀ [1, 4, 6, 4, 1] / 256,
border reflect-101; an H × W picture gives ⌈H/2⌉ × ⌈W/2⌉.

up(J, shape) puts J's pixels on the even rows and columns of a zero picture
of ``shape`` and filters with 4 · b (each output pixel gets a quarter of the
taps, so the 4 restores the brightness). OpenCV's ``pyrUp`` differs from
this only near the last row and column when the output has an odd size.

A Laplacian pyramid keeps L_i = G_i − up(G_{i+1}) and the last, smallest
G_n. Adding back, G_i = L_i + up(G_{i+1}), rebuilds the picture exactly
(up to float rounding), whatever ``up`` does, since each L_i stored the
difference from the very same up(G_{i+1}).
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage

from .validation import as_numeric_array, require_finite

#: The 5-tap binomial row of pyrDown and pyrUp: [1, 4, 6, 4, 1] / 16.
BINOMIAL = np.array([1.0, 4.0, 6.0, 4.0, 1.0]) / 16.0


def _plane(value, name: str = "image") -> np.ndarray:
    array = as_numeric_array(value, name).astype(np.float64)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D grey image (H×W); got shape {array.shape}")
    require_finite(array, name)
    return array


def _filter(array: np.ndarray, row: np.ndarray) -> np.ndarray:
    across = ndimage.correlate1d(array, row, axis=1, mode="mirror")  # scipy's "mirror" is reflect-101
    return ndimage.correlate1d(across, row, axis=0, mode="mirror")


def pyr_down(image) -> np.ndarray:
    """One level down: blur with the 5 × 5 binomial (reflect-101), keep the even rows and columns.

    >>> pyr_down(np.full((5, 4), 7.0))
    array([[7., 7.],
           [7., 7.],
           [7., 7.]])
    """
    array = _plane(image)
    if min(array.shape) < 3:
        raise ValueError(f"image must be at least 3 × 3 to blur with reflect-101; got {array.shape}")
    return _filter(array, BINOMIAL)[::2, ::2]


def pyr_up(image, shape: tuple[int, int]) -> np.ndarray:
    """One level up to ``shape``: zeros between the pixels, then the binomial times 4.

    ``shape`` must be (2h or 2h − 1, 2w or 2w − 1) for an h × w ``image``.

    >>> pyr_up(np.full((2, 2), 8.0), (4, 4))[1:3, 1:3]
    array([[8., 8.],
           [8., 8.]])
    """
    array = _plane(image)
    h, w = array.shape
    try:
        rows, cols = (int(v) for v in shape)
    except (TypeError, ValueError):
        raise TypeError(f"shape must be a pair (rows, columns); got {shape!r}") from None
    if rows not in (2 * h, 2 * h - 1) or cols not in (2 * w, 2 * w - 1) or min(rows, cols) < 3:
        raise ValueError(
            f"shape must be about twice the image's: ({2 * h} or {2 * h - 1}, {2 * w} or {2 * w - 1}), "
            f"at least 3 each; got {shape}"
        )
    spread = np.zeros((rows, cols))
    spread[::2, ::2] = array
    return _filter(spread, 2 * BINOMIAL)


def gaussian_pyramid(image, levels: int) -> list[np.ndarray]:
    """[G_0, G_1, …, G_levels]: the picture and ``levels`` halvings by :func:`pyr_down`."""
    if isinstance(levels, bool) or not isinstance(levels, (int, np.integer)) or levels < 0:
        raise ValueError(f"levels must be a whole number, 0 or more, such as 3; got {levels!r}")
    pyramid = [_plane(image)]
    for _ in range(int(levels)):
        pyramid.append(pyr_down(pyramid[-1]))
    return pyramid


def laplacian_pyramid(image, levels: int) -> list[np.ndarray]:
    """[L_0, …, L_(levels−1), G_levels] with L_i = G_i − pyr_up(G_(i+1)): band-pass levels, then the rest."""
    gaussians = gaussian_pyramid(image, levels)
    bands = [g - pyr_up(smaller, g.shape) for g, smaller in zip(gaussians[:-1], gaussians[1:], strict=True)]
    return [*bands, gaussians[-1]]


def reconstruct(pyramid) -> np.ndarray:
    """The picture back from a Laplacian pyramid: G_n, then G_i = L_i + pyr_up(G_(i+1)) down to G_0."""
    if not isinstance(pyramid, (list, tuple)) or not pyramid:
        raise TypeError("pyramid must be a non-empty list of levels, as laplacian_pyramid returns")
    picture = _plane(pyramid[-1], "the last level")
    for band in reversed(pyramid[:-1]):
        band = _plane(band, "a level")
        picture = band + pyr_up(picture, band.shape)
    return picture

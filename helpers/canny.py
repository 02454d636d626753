"""Canny's edge detector as four steps: smooth, gradient, non-maximum suppression, hysteresis.

1. Smooth with a Gaussian of σ (``helpers.gaussian``), border replicate.
2. Sobel gradient (``helpers.gradients``): magnitude √(Gx² + Gy²), direction atan2(Gy, Gx).
3. Non-maximum suppression: keep a pixel only where its magnitude is at
   least that of both neighbours along the gradient direction, rounded to
   0°, 45°, 90° or 135°; the others become 0. An edge a few pixels wide
   becomes one pixel wide.
4. Hysteresis: a kept pixel of magnitude above ``high`` is an edge; one
   above ``low`` is an edge if it is joined (8 neighbours) through such
   pixels to one above ``high``. "Above" is strict, as in ``cv2.Canny``.

``cv2.Canny`` does steps 2–4 on an 8-bit image it does not smooth; its
thresholds compare with the same Sobel magnitude (|Gx| + |Gy| unless
``L2gradient=True``).
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage

from .convolution import correlate
from .gradients import gradient_direction, gradient_magnitude, sobel_gradients
from .kernels import gaussian
from .validation import as_numeric_array, real_number, require_finite

#: (row step, column step) of the neighbour compared in each of the four direction sectors:
#: 0° (gradient across: left and right), 45° (down-right and up-left; rows grow downwards), 90°, 135°.
SECTOR_STEPS = ((0, 1), (1, 1), (1, 0), (1, -1))


def _plane(value, name: str) -> np.ndarray:
    array = as_numeric_array(value, name).astype(np.float64)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (H×W); got shape {array.shape}")
    require_finite(array, name)
    return array


def direction_sector(direction) -> np.ndarray:
    """The gradient direction rounded to 0°, 45°, 90° or 135°, as 0, 1, 2, 3.

    sector = round((θ mod π) / (π/4)) mod 4: a direction and its opposite
    share a sector, since both neighbours along the line are compared.

    >>> direction_sector([[0.0, np.pi / 4, -np.pi / 2, 3.0]])
    array([[0, 1, 2, 0]])
    """
    angle = np.mod(_plane(direction, "direction"), np.pi)
    return (np.round(angle / (np.pi / 4)).astype(int) % 4).astype(int)


def non_maximum_suppression(magnitude, direction) -> np.ndarray:
    """The magnitude where a pixel is a maximum along its gradient direction, 0 elsewhere.

    At pixel (i, j) in sector s with step (di, dj) from ``SECTOR_STEPS``, the
    magnitude m is kept when m ≥ m(i + di, j + dj) and m ≥ m(i − di, j − dj).
    The outer ring of pixels, which lacks a neighbour, becomes 0.

    >>> non_maximum_suppression(np.array([[0, 0, 0], [1, 3, 2], [0, 0, 0.]]), np.zeros((3, 3)))[1]
    array([0., 3., 0.])
    """
    m = _plane(magnitude, "magnitude")
    d = _plane(direction, "direction")
    if m.shape != d.shape:
        raise ValueError(f"magnitude and direction must have the same shape; got {m.shape} and {d.shape}")
    sector = direction_sector(d)
    kept = np.zeros_like(m)
    h, w = m.shape
    if h < 3 or w < 3:
        return kept
    centre = m[1:-1, 1:-1]
    for s, (di, dj) in enumerate(SECTOR_STEPS):
        ahead = m[1 + di : h - 1 + di, 1 + dj : w - 1 + dj]
        behind = m[1 - di : h - 1 - di, 1 - dj : w - 1 - dj]
        keep = (sector[1:-1, 1:-1] == s) & (centre >= ahead) & (centre >= behind)
        kept[1:-1, 1:-1][keep] = centre[keep]
    return kept


def hysteresis(thin, low: float, high: float) -> np.ndarray:
    """Edges from thinned magnitudes: pixels > ``low`` joined (8 neighbours) to a pixel > ``high``.

    Both comparisons are strict, as in ``cv2.Canny``.

    >>> hysteresis(np.array([[5.0, 2.0, 0.0, 2.0]]), low=1, high=4).astype(int)
    array([[1, 1, 0, 0]])
    """
    array = _plane(thin, "thin")
    low = real_number(low, "low", "a number such as 50")
    high = real_number(high, "high", "a number such as 100")
    if not 0 <= low <= high:
        raise ValueError(f"low and high must satisfy 0 ≤ low ≤ high; got low = {low}, high = {high}")
    weak = array > low
    labels, count = ndimage.label(weak, structure=np.ones((3, 3), dtype=bool))
    strong_labels = np.unique(labels[(array > high) & weak])
    return np.isin(labels, strong_labels[strong_labels > 0])


def canny(image, low: float, high: float, sigma: float | None = 1.4) -> np.ndarray:
    """The Canny edge map (bool) of a grey image: smooth, Sobel, non-maximum suppression, hysteresis.

    ``sigma=None`` skips the smoothing, as ``cv2.Canny`` does. ``low`` and
    ``high`` compare with the Sobel magnitude √(Gx² + Gy²) (up to 4 · 255 · √2
    for a 0–255 picture).
    """
    picture = _plane(image, "image")
    if sigma is not None:
        sigma = real_number(sigma, "sigma", "a positive number such as 1.4, or None")
        if not sigma > 0:
            raise ValueError(f"sigma must be a positive number of pixels, or None; got {sigma}")
        radius = max(1, int(np.ceil(3 * sigma)))
        picture = correlate(picture, gaussian(2 * radius + 1, sigma), border="replicate")
    gx, gy = sobel_gradients(picture, border="replicate")
    thin = non_maximum_suppression(gradient_magnitude(gx, gy), gradient_direction(gx, gy))
    return hysteresis(thin, low, high)


def edge_agreement(mine, reference) -> dict[str, float]:
    """How two edge maps agree: the share of each one's edge pixels the other also marks.

    ``"exact"``: |both| / |either| (intersection over union); ``"mine_within_1"``
    and ``"reference_within_1"``: the share of one map's edge pixels with an edge
    of the other map at most one pixel away (8 neighbours).
    """
    a, b = np.asarray(mine) != 0, np.asarray(reference) != 0
    if a.ndim != 2:
        raise ValueError(f"mine must be a 2-D edge map (H×W); got shape {a.shape}")
    if a.shape != b.shape:
        raise ValueError(f"mine and reference must have the same shape; got {a.shape} and {b.shape}")
    near_a = ndimage.binary_dilation(a, structure=np.ones((3, 3), dtype=bool))
    near_b = ndimage.binary_dilation(b, structure=np.ones((3, 3), dtype=bool))
    either = max(int((a | b).sum()), 1)
    return {
        "exact": float((a & b).sum() / either),
        "mine_within_1": float((a & near_b).sum() / max(int(a.sum()), 1)),
        "reference_within_1": float((b & near_a).sum() / max(int(b.sum()), 1)),
    }


def tied_with_a_neighbour(magnitude, sector, where) -> np.ndarray:
    """True at the pixels of ``where`` whose magnitude equals a neighbour's along their sector's direction.

    ``sector`` holds 0–3 as :func:`direction_sector` returns; pixels on the outer ring are never tied.
    """
    m = _plane(magnitude, "magnitude")
    s = np.asarray(sector)
    mask = np.asarray(where, dtype=bool)
    if s.shape != m.shape or mask.shape != m.shape:
        raise ValueError(f"magnitude, sector and where must have the same shape; got {m.shape}, {s.shape}, {mask.shape}")
    if not np.isin(s, (0, 1, 2, 3)).all():
        raise ValueError("sector must hold only 0, 1, 2 and 3, as direction_sector returns")
    tied = np.zeros(m.shape, dtype=bool)
    h, w = m.shape
    for i, j in zip(*np.nonzero(mask[1:-1, 1:-1]), strict=True):
        i, j = i + 1, j + 1
        di, dj = SECTOR_STEPS[int(s[i, j])]
        tied[i, j] = m[i, j] in (m[i + di, j + dj], m[i - di, j - dj])
    return tied

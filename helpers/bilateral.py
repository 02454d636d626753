"""The bilateral filter: a Gaussian in space times a Gaussian in brightness, normalised per pixel.

    out(p) = Σ_q w(p, q) · I(q) / Σ_q w(p, q),
    w(p, q) = exp(−|p − q|² / (2 σ_s²)) · exp(−(I(q) − I(p))² / (2 σ_r²)),

over the offsets q − p of a window. The brightness weight depends on the
picture, so the filter is not a convolution: it is not linear, and the
weights change from pixel to pixel.

:func:`bilateral` follows ``cv2.bilateralFilter(src, d, sigmaColor, sigmaSpace)``
on 8-bit grey images: the window is the disc of offsets with
√(dy² + dx²) ≤ d // 2 (not the square), the border is reflect-101
(``cv2.BORDER_DEFAULT``), and the result is rounded to whole grey levels.
Measured with OpenCV 4 on 8-bit pictures: equal on every pixel for d = 7
and 9; for d = 5 OpenCV takes another code path that cuts the fraction off
instead of rounding (97 % of pixels equal ``np.floor`` of the unrounded
result, the rest differ by 1).
"""
from __future__ import annotations

import numpy as np

from .validation import as_numeric_array, check_allocation, real_number, require_finite


def _positive(value, name: str, example: str) -> float:
    value = real_number(value, name, f"a positive number such as {example}")
    if not value > 0:
        raise ValueError(f"{name} must be a positive number; got {value}")
    return value


def bilateral_weights(patch, sigma_space: float, sigma_range: float) -> np.ndarray:
    """The weights w(p, q) of a square patch around its centre pixel p, normalised to sum to 1.

    >>> w = bilateral_weights([[0, 0, 0], [0, 0, 0], [0, 0, 255]], 1.0, 10.0)
    >>> float(w[2, 2]) < 1e-100, round(float(w.sum()), 6)
    (True, 1.0)
    """
    array = as_numeric_array(patch, "patch").astype(np.float64)
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.shape[0] % 2 == 0:
        raise ValueError(f"patch must be a square with an odd side (a centre pixel); got shape {array.shape}")
    require_finite(array, "patch")
    sigma_space = _positive(sigma_space, "sigma_space", "2.0")
    sigma_range = _positive(sigma_range, "sigma_range", "40")
    r = array.shape[0] // 2
    offsets = np.arange(-r, r + 1)
    space = np.exp(-(offsets[:, np.newaxis] ** 2 + offsets[np.newaxis, :] ** 2) / (2 * sigma_space**2))
    brightness = np.exp(-((array - array[r, r]) ** 2) / (2 * sigma_range**2))
    weights = space * brightness
    return weights / weights.sum()


def bilateral(image, diameter: int, sigma_space: float, sigma_range: float, round_result: bool = True) -> np.ndarray:
    """The bilateral filter of a grey image, with ``cv2.bilateralFilter``'s window, border and rounding.

    Window: offsets with dy² + dx² ≤ (diameter // 2)²; border: reflect-101;
    the result is rounded to whole grey levels unless ``round_result=False``.
    """
    array = as_numeric_array(image, "image").astype(np.float64)
    if array.ndim != 2:
        raise ValueError(f"image must be a 2-D grey image (H×W); got shape {array.shape}")
    require_finite(array, "image")
    if isinstance(diameter, bool) or not isinstance(diameter, (int, np.integer)) or diameter < 3:
        raise ValueError(f"diameter must be a whole number of pixels, 3 or more, such as 7; got {diameter!r}")
    sigma_space = _positive(sigma_space, "sigma_space", "2.0")
    sigma_range = _positive(sigma_range, "sigma_range", "40")
    r = int(diameter) // 2
    if min(array.shape) <= r:
        raise ValueError(f"image must be larger than the window's radius {r} in both directions; got {array.shape}")
    check_allocation(4 * array.size, "image", "the bilateral filter's sums")
    padded = np.pad(array, r, mode="reflect")  # NumPy's "reflect" is OpenCV's reflect-101
    h, w = array.shape
    total = np.zeros_like(array)
    weight_sum = np.zeros_like(array)
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dy * dy + dx * dx > r * r:
                continue
            shifted = padded[r + dy : r + dy + h, r + dx : r + dx + w]
            weight = np.exp(-(dy * dy + dx * dx) / (2 * sigma_space**2)) * np.exp(
                -((shifted - array) ** 2) / (2 * sigma_range**2))
            total += weight * shifted
            weight_sum += weight
    result = total / weight_sum
    return np.round(result) if round_result else result


def edge_width(profile, low: float = 0.1, high: float = 0.9) -> float:
    """The 10–90 % rise distance of a step profile, in pixels (linear interpolation between samples).

    The profile must rise: the levels are min + low · (max − min) and
    min + high · (max − min), and the width is where it first passes the
    higher minus where it last stays below the lower.

    >>> edge_width([0, 0, 0, 50, 100, 100, 100])
    1.6
    """
    values = as_numeric_array(profile, "profile").astype(np.float64).ravel()
    require_finite(values, "profile")
    if values.size < 2 or values[-1] <= values[0]:
        raise ValueError("profile must be a rising step with at least two samples (last value above the first)")
    bottom, top = values.min(), values.max()

    def crossing(level: float) -> float:
        above = np.nonzero(values >= level)[0]
        i = int(above[0])
        if i == 0:
            return 0.0
        return i - 1 + (level - values[i - 1]) / (values[i] - values[i - 1])

    return round(float(crossing(bottom + high * (top - bottom)) - crossing(bottom + low * (top - bottom))), 6)

"""Finding a template in an image: plain and normalised cross-correlation scores.

A template T (h × w) is laid on every h × w window W of the image (no padding,
so the map has (H − h + 1) × (W − w + 1) scores, one per top-left corner).

Plain correlation (notebook 01's score):   Σ W · T

Normalised cross-correlation (NCC): subtract each one's mean, then take the
cosine of the angle between them (notebook 01's angle, as a cosine):

    NCC = Σ (W − mean W)(T − mean T) / ( ‖W − mean W‖ · ‖T − mean T‖ )

NCC lies in [−1, 1], is 1 where the window is a brightened or darkened copy
of the template (W = a·T + b with a > 0), and is what OpenCV's
``cv2.matchTemplate(image, template, cv2.TM_CCOEFF_NORMED)`` computes. A flat
window (no contrast) has no direction; its score is set to 0 here.

>>> import numpy as np
>>> image = np.array([[0, 0, 0, 0], [0, 1, 5, 0], [0, 2, 3, 0]], dtype=float)
>>> float(ncc_map(image, 10 * image[1:3, 1:3] + 7)[1, 1])
1.0
"""
from __future__ import annotations

import numpy as np

from .validation import absolute_total, as_numeric_array, check_product_size, require_finite, unit_scaled


def _image_and_template(image, template) -> tuple[np.ndarray, np.ndarray]:
    image = as_numeric_array(image, "image").astype(np.float64)
    template = as_numeric_array(template, "template").astype(np.float64)
    for name, array in (("image", image), ("template", template)):
        if array.ndim != 2:
            raise ValueError(f"{name} must be 2-D (grey, H×W); got shape {array.shape}")
        require_finite(array, name)
    if template.shape[0] > image.shape[0] or template.shape[1] > image.shape[1]:
        raise ValueError(
            f"template ({template.shape[0]}×{template.shape[1]}) must fit inside the image "
            f"({image.shape[0]}×{image.shape[1]})"
        )
    return image, template


def _windows(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    return np.lib.stride_tricks.sliding_window_view(image, shape)


def correlation_map(image, template) -> np.ndarray:
    """Σ W · T for every window W of the template's size: the plain score at every position.

    No score (nor partial sum) passes max|image| · Σ|T|; where that could pass
    float64's range the call is refused, naming both, as ``correlate`` does.
    """
    image, template = _image_and_template(image, template)
    check_product_size(image, "image", float(absolute_total(template)), "template")
    return np.einsum("ijmn,mn->ij", _windows(image, template.shape), template)


def ncc_map(image, template) -> np.ndarray:
    """Normalised cross-correlation of the template with every window (formula in the module docstring).

    NCC does not change when the image or the template is multiplied by a
    positive number, so each is first scaled by a power of two (exactly) to a
    largest value between 0.5 and 1: values near 1e200 or 1e-200 score as
    values near 1 do, without overflow or underflow.
    """
    image, template = _image_and_template(image, template)
    image, _ = unit_scaled(image)
    template, _ = unit_scaled(template)
    centred_template = template - template.mean()
    template_norm = np.sqrt(np.sum(centred_template**2))
    if template_norm == 0:
        raise ValueError("template is flat (all pixels equal), so it has no pattern to match")
    windows = _windows(image, template.shape)
    centred = windows - windows.mean(axis=(2, 3), keepdims=True)
    norms = np.sqrt(np.sum(centred**2, axis=(2, 3)))
    dots = np.einsum("ijmn,mn->ij", centred, centred_template)
    scores = np.zeros_like(dots)
    # A window is flat when its spread is rounding error compared with its own brightness.
    textured = norms > 1e-9 * np.abs(windows).max(axis=(2, 3)) * np.sqrt(template.size)
    scores[textured] = dots[textured] / (norms[textured] * template_norm)
    return np.clip(scores, -1.0, 1.0)

"""The black box of notebook 03: a filter the student probes before reading it.

Notebook 03 hands ``helpers.mystery_filter`` to the student as a function
to experiment on (add two inputs, shift one, feed it one bright pixel) and
asks what it is. The answer is here, so this module is private (leading
underscore), not listed in the lessons, and reached only through the name
``helpers.mystery_filter``; a teacher may tell students not to open it
until they have finished the section.

What it computes: the cross-correlation of the image with the 5×5 kernel
``_KERNEL`` below, with the "wrap" border (the image repeats like a tile),

    out(i, j) = Σ_m Σ_n image((i + m) mod H, (j + n) mod W) · K(m + 2, n + 2),  m, n = −2..2,

so it is linear and shift-invariant exactly, also at the border, and its
impulse response is ``_KERNEL`` turned by 180°.
"""
from __future__ import annotations

import numpy as np

from .convolution import correlate
from .validation import check_image

# A blur that leans towards the top left, with a dark tap at the bottom right: not
# symmetric under the 180° turn, so the impulse response shows the turn.
_KERNEL = np.array(
    [
        [3.0, 2.0, 1.0, 0.0, 0.0],
        [2.0, 4.0, 2.0, 0.0, 0.0],
        [1.0, 2.0, 2.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, -3.0],
    ]
) / 16


def mystery_filter(image) -> np.ndarray:
    """Filter a 2-D grey image with an undisclosed linear, shift-invariant filter (notebook 03).

    Returns a float array of the same shape. The image wraps around at its
    border, so shifting the input with ``np.roll`` shifts the output by
    exactly the same amount.
    """
    image = check_image(image)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (grey, H×W); got shape {image.shape}")
    if min(image.shape) < _KERNEL.shape[0]:
        raise ValueError(f"image must be at least 5×5 pixels; got {image.shape[0]}×{image.shape[1]}")
    return correlate(image.astype(np.float64), _KERNEL, border="wrap")

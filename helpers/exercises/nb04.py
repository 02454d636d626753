"""Checks for the exercises of notebook 04 (the full convolver)."""
from __future__ import annotations

import numpy as np
from scipy import ndimage

from ..convolution import correlate
from ..kernels import KERNELS
from . import exercise


def _size_text(shape) -> str:
    return "×".join(str(s) for s in shape)


@exercise("04.1")
def _pad_reflect(answer) -> str | None:
    """OpenCV's BORDER_REFLECT by hand, compared with np.pad(mode="symmetric")."""
    rng = np.random.default_rng(401)
    cases = [((4, 5), 2), ((3, 7), 3), ((6, 2), 1), ((2, 3), 2), ((5, 5), 4), ((4, 6), 0)]
    for shape, p in cases:
        image = rng.integers(0, 256, size=shape)
        original = image.copy()
        result = np.asarray(answer(image, p))
        if not np.array_equal(image, original):
            return "your function changed the image it was given; work on a copy"
        expected = np.pad(image, p, mode="symmetric")
        if result.shape != expected.shape:
            if p == 0:
                return "try p = 0: nothing should be added (careful: a slice such as a[-0:] is the whole array)"
            return (
                f"a {_size_text(shape)} image padded by {p} on each side should be "
                f"{_size_text(expected.shape)}; got {_size_text(result.shape)}"
            )
        if np.array_equal(result, expected):
            continue
        if p > 0 and np.array_equal(result, np.pad(image, p, mode="reflect")):
            return "that is reflect-101: the mirror goes through the edge pixel. In BORDER_REFLECT the edge pixel repeats"
        if np.array_equal(result, np.pad(image, p, mode="edge")):
            return "that is replicate: every new pixel copies the edge. The mirror should continue into the image"
        if np.array_equal(result, np.pad(image, p, mode="wrap")):
            return "that is wrap: the new pixels come from the opposite side instead of a mirror"
        if np.array_equal(result[p:-p or None, p:-p or None], image) and np.array_equal(
            result[:, p:-p or None], np.pad(image, ((p, p), (0, 0)), mode="symmetric")
        ):
            return "the rows above and below are right, but the columns left and right are not"
        return f"wrong values for a {_size_text(shape)} image padded by {p}; compare with the pattern b a | a b c d | d c"
    return None


@exercise("04.2")
def _correlate_color(answer) -> str | None:
    """Per-channel correlation, compared with helpers.correlate on unseen colour images."""
    rng = np.random.default_rng(402)
    cases = [((9, 11, 3), (3, 3)), ((8, 7, 4), (3, 5)), ((6, 10, 2), (5, 5))]
    for shape, kernel_shape in cases:
        image = rng.integers(0, 256, size=shape, dtype=np.uint8)
        kernel = rng.normal(size=kernel_shape)
        expected = correlate(image, kernel, border="replicate", method="vectorized")
        result = np.asarray(answer(image, kernel))
        if result.shape != expected.shape:
            if result.shape == (shape[2], shape[0], shape[1]):
                return "the channel axis should stay last: an H×W×C image gives an H×W×C result"
            return f"a {_size_text(shape)} image should give a {_size_text(shape)} result; got {_size_text(result.shape)}"
        if not np.issubdtype(result.dtype, np.floating):
            return "return the float result; convert to uint8 only to display it"
        if np.allclose(result, expected):
            continue
        for c in range(shape[2]):
            if not np.allclose(result[:, :, c], expected[:, :, c]):
                return (
                    f"channel {c} of your result is wrong: it should be that channel of the image, "
                    "filtered on its own"
                )
    return None


def _edge_references(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The right answer and the one whose negative responses were clipped away first."""
    image = gray.astype(np.float64)
    gx = ndimage.correlate(image, KERNELS["sobel_x"], mode="nearest")
    gy = ndimage.correlate(image, KERNELS["sobel_y"], mode="nearest")
    right = np.clip(np.rint(np.abs(gx) + np.abs(gy)), 0, 255)
    lost = np.clip(np.rint(np.clip(gx, 0, 255) + np.clip(gy, 0, 255)), 0, 255)
    return right, lost


@exercise("04.3")
def _edge_strength(answer) -> str | None:
    """|Gx| + |Gy| as uint8, compared with scipy.ndimage on unseen images."""
    rng = np.random.default_rng(403)
    square = np.full((20, 24), 40, dtype=np.uint8)
    square[5:15, 6:18] = 70  # edges of both signs; every |Gx| + |Gy| stays below 255
    cases = [square, rng.integers(0, 256, size=(15, 18), dtype=np.uint8), 255 - square]
    for gray in cases:
        result = answer(gray.copy())
        right, lost = _edge_references(gray)
        result = np.asarray(result)
        if result.shape != gray.shape:
            return f"a {_size_text(gray.shape)} image should give a {_size_text(gray.shape)} result; got {_size_text(result.shape)}"
        if result.dtype != np.uint8:
            return f"return a uint8 image (your result has dtype {result.dtype})"
        difference = np.abs(result.astype(int) - right.astype(int))
        if difference.max() <= 1:
            continue
        if np.abs(result.astype(int) - lost.astype(int)).max() <= 1:
            return "the bright-to-dark edges are missing: negative responses were clipped before the absolute value"
        if result.min() == 0 and result.max() == 255 and right.max() < 255:
            return "clip, do not rescale: a strength of 100 should stay 100"
        return "some pixels are off by more than 1 grey level; check the border mode (replicate) and the kernels"
    return None

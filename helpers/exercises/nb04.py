"""Checks for the exercises of notebook 04 (the full convolver).

04.0  ``correlate_loop(image, kernel, border)``: the pixel-loop convolver, any odd
      kernel (square or not) and every border, compared with ``cv2.filter2D``;
04.1  ``pad_reflect(image, p)``: OpenCV's BORDER_REFLECT by hand;
04.2  ``correlate_color(image, kernel)``: a colour image one channel at a time;
04.3  ``edge_strength(gray)``: |Gx| + |Gy| as a uint8 image.

Expected values come from OpenCV and SciPy, never from the notebook's code.
"""
from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage

from ..convolution import correlate
from . import Hint, call_answer, exercise, ruled
from ._answers import BANK, array_or_hint, scaled_hint

#: Private copies: a student who changes helpers.KERNELS["sobel_x"] does not change the check.
_SOBEL_X = BANK["sobel_x"].astype(float)
_SOBEL_Y = BANK["sobel_y"].astype(float)


def _size_text(shape) -> str:
    return "×".join(str(s) for s in shape)



# --------------------------------------------------------------------------- 04.0 the convolver

#: The OpenCV flag for each padding border of the exercise.
_OPENCV_FLAGS = {
    "zero": cv2.BORDER_CONSTANT,
    "replicate": cv2.BORDER_REPLICATE,
    "reflect": cv2.BORDER_REFLECT,
    "reflect101": cv2.BORDER_REFLECT_101,
    "wrap": cv2.BORDER_WRAP,
}

#: What each border puts outside a row a b c d, for the hints.
_BORDER_PATTERNS = {
    "zero": "0 0 | a b c d | 0 0",
    "replicate": "a a | a b c d | d d",
    "reflect": "b a | a b c d | d c",
    "reflect101": "c b | a b c d | c b",
    "wrap": "c d | a b c d | a b",
}


def _filter2d(image: np.ndarray, kernel: np.ndarray, border: str) -> np.ndarray:
    """cv2.filter2D (cross-correlation) in float64 with the matching border; "valid" crops a padded result.

    ``cv2.filter2D`` refuses BORDER_WRAP, so wrap pads with cv2.copyMakeBorder first.
    """
    r_h, r_w = kernel.shape[0] // 2, kernel.shape[1] // 2
    image = image.astype(np.float64)
    if border == "wrap":
        padded = cv2.copyMakeBorder(image, r_h, r_h, r_w, r_w, cv2.BORDER_WRAP)
        full = cv2.filter2D(padded, cv2.CV_64F, kernel, borderType=cv2.BORDER_CONSTANT)
        return full[r_h : r_h + image.shape[0], r_w : r_w + image.shape[1]]
    flag = _OPENCV_FLAGS.get(border, cv2.BORDER_CONSTANT)
    full = cv2.filter2D(image, cv2.CV_64F, kernel, borderType=flag)
    if border == "valid":
        return full[r_h : image.shape[0] - r_h, r_w : image.shape[1] - r_w]
    return full


def _convolver_cases():
    """(image, kernel, border): unseen images, square and non-square kernels, every border."""
    rng = np.random.default_rng(400)
    kernels = [
        rng.integers(-4, 5, size=(3, 3)).astype(float),
        rng.normal(size=(3, 5)),
        rng.normal(size=(5, 3)),
        np.array([[1.0, -2.0, 3.0]]),
        rng.normal(size=(7, 1)),
        rng.normal(size=(5, 5)),
    ]
    images = [
        rng.integers(0, 256, size=(9, 13), dtype=np.uint8),
        rng.integers(0, 256, size=(12, 8), dtype=np.uint8),
        rng.uniform(0, 255, size=(10, 11)),
    ]
    cases = []
    borders = ["replicate", "zero", "reflect", "reflect101", "wrap", "valid"]
    for index, kernel in enumerate(kernels):
        for border in borders:
            cases.append((images[(index + borders.index(border)) % len(images)], kernel, border))
    return cases


@exercise(
    "04.0",
    asks="write the pixel loop yourself",
    allows=["np.pad"],
    ruled_out=[
        "helpers.correlate",
        "helpers.convolve",
        "cv2.filter2D",
        "ndimage.correlate",
        "ndimage.convolve",
        "signal.correlate2d",
        "signal.convolve2d",
    ],
)
def _correlate_loop(answer) -> str | None:
    """The student's convolver against cv2.filter2D on images, kernels and borders it has not seen.

    It is also called as the rest of notebook 04 calls it, ``correlate_loop(image, kernel)``
    with two arguments, which must mean border="replicate".
    """
    hint = _called_as_the_lesson_does(answer)
    if hint:
        return hint
    # Unanswered borders first: a function without a border argument gets one sentence.
    for image, kernel, border in _convolver_cases():
        original = image.copy()
        expected = _filter2d(image, kernel, border)
        case = f"a {_size_text(image.shape)} {image.dtype} image, a {_size_text(kernel.shape)} kernel, border={border!r}"
        try:
            result = call_answer(answer, image, kernel.copy(), border)
        except Hint as hint:
            if "positional argument" in str(hint) and "TypeError" in str(hint):
                raise Hint(
                    "your function should take three arguments, (image, kernel, border); " + str(hint)
                ) from None
            raise
        if not np.array_equal(image, original):
            return "your function changed the image it was given; write into a new output array"
        result = array_or_hint(result)
        if result.shape != expected.shape:
            if border == "valid":
                return (
                    f"for {case} the result should be {_size_text(expected.shape)}: "
                    "'valid' pads nothing, so the output loses k_h - 1 rows and k_w - 1 columns"
                )
            if result.shape == (expected.shape[0] - kernel.shape[0] + 1, expected.shape[1] - kernel.shape[1] + 1):
                return f"for {case} the output shrank: pad by r_h rows and r_w columns on each side first"
            return (
                f"for {case} the result should have the image's size, "
                f"{_size_text(expected.shape)}; yours is {_size_text(result.shape)}"
            )
        if not np.issubdtype(result.dtype, np.floating):
            return f"return a float64 array (yours has dtype {result.dtype}): results can be negative or above 255"
        scale = float(np.abs(expected).max()) or 1.0
        if np.allclose(result, expected, rtol=1e-7, atol=1e-9 * scale):
            continue
        if np.allclose(result, expected, rtol=1e-4, atol=1e-5 * scale):
            return (
                f"for {case} your values differ from the right ones only after the 5th significant digit: "
                "that is float32 rounding; make the image, the kernel and the output float64"
            )
        hint = _one_short(result, expected, scale) or scaled_hint(result, expected)
        if hint:
            return hint
        if np.allclose(result, _filter2d(image, kernel[::-1, ::-1], border), atol=1e-9 * scale):
            return "your function convolves (it turns the kernel); correlation slides the kernel as it is"
        if border != "valid":
            r_h, r_w = kernel.shape[0] // 2, kernel.shape[1] // 2
            inner = (slice(r_h, image.shape[0] - r_h), slice(r_w, image.shape[1] - r_w))
            if np.allclose(result[inner], expected[inner], atol=1e-9 * scale):
                return (
                    f"right away from the edges but wrong near them for border={border!r}: "
                    f"it should pad like {_BORDER_PATTERNS[border]}"
                )
        if kernel.shape[0] != kernel.shape[1]:
            return (
                f"wrong for a {_size_text(kernel.shape)} kernel: rows and columns need their own reach, "
                "r_h = (k_h - 1) // 2 and r_w = (k_w - 1) // 2"
            )
        if image.dtype == np.uint8 and np.allclose(np.mod(result, 256), np.mod(expected, 256), atol=1e-6):
            return "the sums wrapped around: convert the image to float64 before multiplying"
        return f"wrong values for {case}: compare one output pixel with the sum of window × kernel by hand"
    return None


def _one_short(result: np.ndarray, expected: np.ndarray, scale: float) -> str | None:
    """A hint when only the last row or the last column of the output is wrong (a range that stops early)."""
    close = np.isclose(result, expected, rtol=1e-7, atol=1e-9 * scale)
    rows_bad = ~close.all(axis=1)
    cols_bad = ~close.all(axis=0)
    if rows_bad[-1] and not rows_bad[:-1].any():
        return (
            "every row of the output is right except the last: the loop over rows stops one short; "
            "range(output.shape[0]) visits rows 0 to H - 1"
        )
    if cols_bad[-1] and not cols_bad[:-1].any():
        return (
            "every column of the output is right except the last: the loop over columns stops one short; "
            "range(output.shape[1]) visits columns 0 to W - 1"
        )
    return None


def _called_as_the_lesson_does(answer) -> str | None:
    """Call ``answer(image, kernel)`` as notebook 04's later cells do; it must use border="replicate"."""
    rng = np.random.default_rng(404)
    image = rng.integers(0, 256, size=(6, 7), dtype=np.uint8)
    kernel = rng.integers(-3, 4, size=(3, 3)).astype(float)
    two_arguments = (
        'the rest of this notebook calls correlate_loop(image, kernel) with two arguments, so give border '
        'a default in the def line: def correlate_loop(image, kernel, border="replicate")'
    )
    try:
        result = call_answer(answer, image, kernel)
    except Hint as hint:
        if "TypeError" in str(hint) and "argument" in str(hint):
            return two_arguments
        raise
    result = array_or_hint(result)
    expected = _filter2d(image, kernel, "replicate")
    if result.shape == expected.shape and np.allclose(result, expected, atol=1e-6):
        return None
    for border in _OPENCV_FLAGS:
        other = _filter2d(image, kernel, border)
        if border != "replicate" and result.shape == other.shape and np.allclose(result, other, atol=1e-6):
            return f"{two_arguments} (called with two arguments, yours used border={border!r})"
    return None  # wrong in another way: the cases below say how


@exercise(
    "04.1",
    asks="pad with slicing and np.concatenate",
    ruled_out=["np.pad", "cv2.copyMakeBorder", "helpers.pad_for_kernel"],
)
def _pad_reflect(answer) -> str | None:
    """OpenCV's BORDER_REFLECT by hand, compared with np.pad(mode="symmetric")."""
    rng = np.random.default_rng(401)
    cases = [((4, 5), 2), ((3, 7), 3), ((6, 2), 1), ((2, 3), 2), ((5, 5), 4), ((4, 6), 0)]
    for shape, p in cases:
        image = rng.integers(0, 256, size=shape)
        original = image.copy()
        result = call_answer(answer, image, p)
        if not np.array_equal(image, original):
            return "your function changed the image it was given; work on a copy"
        result = array_or_hint(result)
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


def _colour(image, *args, **kwargs) -> bool:
    return np.ndim(image) == 3


@exercise(
    "04.2",
    asks="loop over the channels yourself",
    allows=["np.pad", "helpers.correlate", "helpers.convolve", "helpers.to_uint8", "cv2.filter2D", "ndimage.correlate",
            "ndimage.convolve", "signal.correlate2d", "signal.convolve2d"],
    ruled_out=[
        ruled("helpers.correlate", when=_colour),
        ruled("cv2.filter2D", when=_colour),
        ruled("ndimage.correlate", when=_colour),
        ruled("helpers.convolve", when=_colour),
        ruled("ndimage.convolve", when=_colour),
    ],
)
def _correlate_color(answer) -> str | None:
    """Per-channel correlation, compared with helpers.correlate on unseen colour images."""
    rng = np.random.default_rng(402)
    cases = [((9, 11, 3), (3, 3)), ((8, 7, 4), (3, 5)), ((6, 10, 2), (5, 5))]
    for shape, kernel_shape in cases:
        image = rng.integers(0, 256, size=shape, dtype=np.uint8)
        kernel = rng.normal(size=kernel_shape)
        expected = correlate(image, kernel, border="replicate", method="vectorized")
        result = array_or_hint(call_answer(answer, image, kernel))
        if result.shape != expected.shape:
            if result.shape == (shape[2], shape[0], shape[1]):
                return "the channel axis should stay last: an H×W×C image gives an H×W×C result"
            return f"a {_size_text(shape)} image should give a {_size_text(shape)} result; got {_size_text(result.shape)}"
        if not np.issubdtype(result.dtype, np.floating):
            return "return the float result; convert to uint8 only to display it"
        if np.allclose(result, expected):
            continue
        planes = [image[:, :, c] for c in range(shape[2])]
        if np.allclose(result, np.stack([_filter2d(p, kernel[::-1, ::-1], "replicate") for p in planes], axis=-1)):
            return "each channel was convolved (the kernel turned); correlate_loop slides the kernel as it is"
        for border in _OPENCV_FLAGS:
            other = np.stack([_filter2d(p, kernel, border) for p in planes], axis=-1)
            if border != "replicate" and np.allclose(result, other):
                return (
                    f"each channel is filtered on its own, but with border={border!r}; "
                    "call correlate_loop(channel, kernel) with two arguments, which means border='replicate'"
                )
        hint = scaled_hint(result, expected)
        if hint:
            return hint
        for c in range(shape[2]):
            if not np.allclose(result[:, :, c], expected[:, :, c]):
                return (
                    f"channel {c} of your result is wrong: it should be that channel of the image, "
                    "filtered on its own"
                )
    return None


def _edge_references(gray: np.ndarray, clip: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The right answer and the one whose negative responses were clipped away first.

    With ``clip=False`` the first is |Gx| + |Gy| before rounding and clipping.
    """
    image = gray.astype(np.float64)
    gx = ndimage.correlate(image, _SOBEL_X, mode="nearest")
    gy = ndimage.correlate(image, _SOBEL_Y, mode="nearest")
    if not clip:
        return np.abs(gx) + np.abs(gy), gx
    right = np.clip(np.rint(np.abs(gx) + np.abs(gy)), 0, 255)
    lost = np.clip(np.rint(np.clip(gx, 0, 255) + np.clip(gy, 0, 255)), 0, 255)
    return right, lost


def _edge_mistake(gray: np.ndarray, result: np.ndarray) -> str | None:
    """A hint naming the formula the student computed instead of |Gx| + |Gy|, if it is a known one."""
    image = gray.astype(np.float64)
    gx = ndimage.correlate(image, _SOBEL_X, mode="nearest")
    gy = ndimage.correlate(image, _SOBEL_Y, mode="nearest")

    def as_uint8(values):
        return np.clip(np.rint(values), 0, 255).astype(int)

    with np.errstate(all="ignore"):
        wrapped_x = np.rint(gx).astype(np.int64) % 256  # what astype(np.uint8) makes of a negative response
        wrapped_y = np.rint(gy).astype(np.int64) % 256
        mistakes = [
            (as_uint8(np.hypot(gx, gy)), "that is √(Gx² + Gy²), the gradient magnitude of notebook 05; "
             "this exercise asks for |Gx| + |Gy|"),
            (as_uint8(gx + gy), "the absolute values are missing: a bright-to-dark edge gives a negative response "
             "that cancels or is clipped to 0; add np.abs(Gx) and np.abs(Gy)"),
            (as_uint8(np.abs(gx)), "only the vertical edges are there (|Gx|): add |Gy| for the horizontal ones"),
            (as_uint8(np.abs(gy)), "only the horizontal edges are there (|Gy|): add |Gx| for the vertical ones"),
            ((as_uint8(np.abs(gx)) + as_uint8(np.abs(gy))) % 256, "two uint8 images were added, and uint8 sums "
             "above 255 wrap around (200 + 100 gives 44): add in float, then clip to 0..255 and convert"),
            (as_uint8(wrapped_x + wrapped_y), "astype(np.uint8) came before np.abs: a response of −3 became 253, "
             "and np.abs cannot undo that; take the absolute values in float, clip, then convert"),
            ((wrapped_x + wrapped_y) % 256, "astype(np.uint8) came before np.abs: a response of −3 became 253, "
             "and np.abs cannot undo that; take the absolute values in float, clip, then convert"),
        ]
    for values, hint in mistakes:
        if np.abs(result.astype(int) - values).max() <= 1:
            return hint
    return None


@exercise(
    "04.3",
    wants_function=True,
    asks="combine the two Sobel responses yourself",
    allows=["np.pad", "helpers.correlate", "helpers.convolve", "helpers.to_uint8", "cv2.filter2D", "cv2.Sobel", "cv2.add",
            "cv2.convertScaleAbs", "ndimage.correlate", "ndimage.convolve", "ndimage.sobel"],
)
def _edge_strength(answer) -> str | None:
    """|Gx| + |Gy| as uint8, compared with scipy.ndimage on unseen images."""
    rng = np.random.default_rng(403)
    square = np.full((20, 24), 40, dtype=np.uint8)
    square[5:15, 6:18] = 70  # edges of both signs; every |Gx| + |Gy| stays below 255
    cases = [square, rng.integers(0, 256, size=(15, 18), dtype=np.uint8), 255 - square]
    for gray in cases:
        result = array_or_hint(call_answer(answer, gray.copy()))
        right, lost = _edge_references(gray)
        if result.shape != gray.shape:
            return f"a {_size_text(gray.shape)} image should give a {_size_text(gray.shape)} result; got {_size_text(result.shape)}"
        if result.dtype != np.uint8:
            return f"return a uint8 image (your result has dtype {result.dtype})"
        difference = np.abs(result.astype(int) - right.astype(int))
        if difference.max() <= 1:
            continue
        unclipped = np.abs(_edge_references(gray, clip=False)[0])
        if np.abs(result.astype(int) - np.mod(np.floor(unclipped), 256).astype(int)).max() <= 1 or np.abs(
            result.astype(int) - np.mod(np.rint(unclipped), 256).astype(int)
        ).max() <= 1:
            return (
                "strengths above 255 wrapped around: astype(np.uint8) keeps only the remainder after "
                "dividing by 256, so 260 becomes 4; clip to 0..255 before converting"
            )
        if np.abs(result.astype(int) - lost.astype(int)).max() <= 1:
            return "the bright-to-dark edges are missing: negative responses were clipped before the absolute value"
        hint = _edge_mistake(gray, result)
        if hint:
            return hint
        if result.min() == 0 and result.max() == 255 and right.max() < 255:
            return "clip, do not rescale: a strength of 100 should stay 100"
        return (
            "some pixels are off by more than 1 grey level: compare one pixel with |Gx| + |Gy| worked out by "
            "hand (Sobel kernels from helpers.KERNELS, replicated border)"
        )
    return None

"""Checks for the exercises of notebook 02 (a 3×3 blur worked by hand).

02.1  the value a 3×3 box blur stores for a new patch;
02.2  ``box_blur_at(image, row, col, size)``: the mean of the window centred on a
      pixel, ``size`` an odd number or a pair (height, width) of odd numbers;
02.3  ``output_size(n, k, padding, stride)`` with padding per side, "valid" or "same".

Expected values are found here by counting and adding pixel by pixel, not with
the formulas the notebook teaches, so the checks do not share their mistakes.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import Hint, call_answer, exercise

#: The patch of exercise 02.1, as printed in the notebook.
PATCH_02_1 = ((12, 200, 37), (90, 61, 148), (255, 3, 70))


def _real(value) -> float | None:
    """``value`` as a float when it is a real number (not a bool; a 0-d array counts), else None."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _is_nan(value) -> bool:
    try:
        return bool(np.size(value) == 1 and np.isnan(np.asarray(value, dtype=float)).all())
    except (TypeError, ValueError):
        return False


@exercise("02.1")
def _blurred_pixel(answer) -> str | None:
    value = _real(answer)
    if value is None:
        return "answer with one number: the value the output pixel stores"
    total = sum(sum(row) for row in PATCH_02_1)
    mean = total / 9
    stored = math.floor(mean + 0.5)  # the mean is not a half here, so this is plain rounding
    if value == stored:
        return None
    if math.isclose(value, mean, abs_tol=0.05):  # also the mean rounded to one decimal
        return "that is the exact mean; an 8-bit output pixel can only store a whole number from 0 to 255"
    if value == math.floor(mean) or value == math.ceil(mean):
        return "round to the nearest whole number, neither always down nor always up"
    if math.isclose(value, total):
        return "that is the sum with every weight equal to 1; what is each weight of the 3×3 box kernel?"
    if value == PATCH_02_1[1][1]:
        return "that is the centre pixel itself; the blur mixes all nine pixels under the kernel"
    return "multiply each of the nine pixels by the box kernel's weight, add the products, then round"


def _test_images() -> list[np.ndarray]:
    rng = np.random.default_rng(2024)
    return [
        rng.integers(0, 256, size=(11, 13), dtype=np.uint8),
        rng.integers(0, 256, size=(14, 12), dtype=np.uint8),
    ]


def _window_mean(image: np.ndarray, row: int, col: int, height: int, width: int, *, corner: bool = False) -> float:
    """Mean of the height×width window centred on (row, col), added pixel by pixel.

    With ``corner=True`` the window starts at (row, col) instead (a common slip).
    """
    up, left = (0, 0) if corner else (height // 2, width // 2)
    total = 0
    for r in range(row - up, row - up + height):
        for c in range(col - left, col - left + width):
            total += int(image[r, c])
    return total / (height * width)


#: Window sizes the check tries: the notebook shows 3 and 5; 7, 9 and the
#: rectangular windows catch answers such as ``reach = 1 if size == 3 else 2``.
_WINDOW_SIZES = [3, 5, 7, 9, (3, 5), (7, 3)]

#: Tolerance in grey levels: a float32 mean (about 7 significant digits) is accepted.
_MEAN_TOLERANCE = 1e-3


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=_MEAN_TOLERANCE)


@exercise(
    "02.2",
    asks="take the window and its mean yourself",
    allows=["helpers.apply_kernel", "helpers.box"],
    ruled_out=[
        "helpers.correlate",
        "helpers.convolve",
        "ndimage.uniform_filter",
        "ndimage.correlate",
        "cv2.blur",
        "cv2.boxFilter",
        "cv2.filter2D",
    ],
)
def _box_blur_at(answer) -> str | None:
    for size in _WINDOW_SIZES:
        height, width = (size, size) if isinstance(size, int) else size
        for image in _test_images():
            rows, cols = image.shape
            up, left = height // 2, width // 2
            for row, col in ((up, left), (rows - 1 - up, cols - 1 - left), (up + 1, cols // 2)):
                returned = call_answer(answer, image.copy(), row, col, size)
                got = _real(returned)
                if got is None and _is_nan(returned):
                    return (
                        f"for size={size!r} at (row, col) = ({row}, {col}) your function returned NaN, the mean of "
                        "an empty window: a slice whose start is negative (row - reach < 0) counts from the end "
                        "and comes out empty; check how far the window reaches on each side"
                    )
                if got is None:
                    return (
                        "box_blur_at should return one number, the mean of the window; "
                        f"yours returned a {type(returned).__name__}"
                    )
                expected = _window_mean(image, row, col, height, width)
                if _close(got, expected):
                    continue
                where = f"size={size!r} at (row, col) = ({row}, {col})"
                if _close(got, _window_mean(image, row, col, height, width, corner=True)):
                    return ("your window starts at (row, col); the kernel is centred there, so the window "
                            "should reach equally far on every side")
                if _close(got, expected * height * width):
                    return "that is the sum of the window; the box kernel's weights are not 1"
                window = image[row - up : row + up + 1, col - left : col + left + 1]
                wrapped = int(window.sum(dtype=np.uint8))
                if _close(got, wrapped / (height * width)) or _close(got, wrapped):
                    return ("the sum wrapped around: uint8 pixels only hold 0 to 255, so convert them to "
                            "float (or int) before adding")
                if _close(got, round(expected)):
                    return "return the exact mean; rounding to a whole number happens only when an image is stored"
                if not isinstance(size, int):
                    return (f"wrong for the rectangular window {where}: size=(height, width) reaches "
                            "height // 2 rows up and down and width // 2 columns left and right")
                if size > 3:
                    return (f"wrong for {where}: how many pixels does a {size}×{size} window reach "
                            "on each side of its centre, and how many pixels does it hold?")
                return ("the value is off: take the size×size pixels centred on (row, col), "
                        "multiply each by the box weight and add them up")
    return None


def _count_positions(n: int, k: int, per_side: int, stride: int) -> int:
    """How many places a k-wide kernel fits, stepping by ``stride``, in n pixels padded on both sides."""
    padded = n + 2 * per_side
    return len(range(0, padded - k + 1, stride))


# (n, k, padding, stride): none of these is worked in the notebook.
_SIZE_CASES = [
    (9, 3, 0, 1),
    (28, 5, 0, 1),
    (10, 3, 2, 1),
    (6, 3, 3, 1),
    (11, 3, 1, 2),
    (12, 5, 2, 3),
    (15, 1, 0, 4),
    (32, 7, 3, 2),
    (10, 3, "valid", 1),
    (13, 5, "valid", 2),
    (10, 5, "same", 1),
    (9, 7, "same", 2),
    (64, 3, "same", 2),
]


@exercise("02.3", wants_function=True)
def _output_size(answer) -> str | None:
    for n, k, padding, stride in _SIZE_CASES:
        per_side = {"valid": 0, "same": (k - 1) // 2}.get(padding, padding)
        expected = _count_positions(n, k, per_side, stride)
        try:
            got = call_answer(answer, n, k, padding, stride)
        except Hint as hint:
            if isinstance(padding, str) and str(hint).startswith("your function raised"):
                raise Hint(f"padding={padding!r}: {hint}. padding can also be the word "
                           "'valid' or 'same'; turn it into a number of pixels per side first") from None
            raise
        if isinstance(got, bool) or not isinstance(got, numbers.Integral):
            if isinstance(got, numbers.Real) and float(got).is_integer() and float(got) == expected:
                return ("the number is right but it is a float; return an int (the / operator always "
                        "gives a float)")
            return f"output_size should return a whole number (an int); for {(n, k, padding, stride)} yours gave {got!r}"
        if got == expected:
            continue
        case = f"for n={n}, k={k}, padding={padding!r}, stride={stride}"
        if padding == "valid":
            return f"{case} yours gave {got}: 'valid' means no padding at all"
        if padding == "same":
            return (f"{case} yours gave {got}: 'same' is the padding per side that keeps the size "
                    "at stride 1; how many pixels per side is that for a k×k kernel?")
        if stride == 1 and got == _count_positions(n + padding, k, 0, 1):
            return f"{case} yours gave {got}: did you count the padding on both sides? padding is per side"
        if stride > 1 and got == math.ceil((n + 2 * padding - k) / stride) + 1:
            return (f"{case} yours gave {got}: round down, since the last position of the kernel "
                    "must still fit inside the padded image")
        if got == (n + 2 * padding - k) // stride:
            return f"{case} yours gave {got}: did you count the first position of the kernel?"
        return f"{case} yours gave {got}; count the positions where the kernel fits in the padded row"
    return None

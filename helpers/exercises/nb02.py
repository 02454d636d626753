"""Checks for the exercises of notebook 02 (a 3×3 blur worked by hand).

02.1  the value a 3×3 box blur stores for a new patch;
02.2  ``box_blur_at(image, row, col, size)``: the size×size mean centred on a pixel;
02.3  ``output_size(n, k, padding, stride)`` with padding per side, "valid" or "same".

Expected values are found here by counting and adding pixel by pixel, not with
the formulas the notebook teaches, so the checks do not share their mistakes.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import exercise

#: The patch of exercise 02.1, as printed in the notebook.
PATCH_02_1 = ((12, 200, 37), (90, 61, 148), (255, 3, 70))


def _real(value) -> float | None:
    """``value`` as a float when it is a real number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


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
        rng.integers(0, 256, size=(7, 9), dtype=np.uint8),
        rng.integers(0, 256, size=(10, 8), dtype=np.uint8),
    ]


def _window_mean(image: np.ndarray, row: int, col: int, size: int, *, start_at: int | None = None) -> float:
    """Mean of the size×size window whose top-left corner is ``start_at`` above and left of (row, col)."""
    reach = size // 2 if start_at is None else start_at
    total = 0
    for r in range(row - reach, row - reach + size):
        for c in range(col - reach, col - reach + size):
            total += int(image[r, c])
    return total / (size * size)


@exercise("02.2")
def _box_blur_at(answer) -> str | None:
    if not callable(answer):
        return "answer with a function box_blur_at(image, row, col, size) that returns a number"
    for size in (3, 5):
        for image in _test_images():
            height, width = image.shape
            reach = size // 2
            for row, col in ((reach, reach), (height - 1 - reach, width - 1 - reach), (reach + 1, width // 2)):
                got = _real(answer(image.copy(), row, col, size))
                if got is None:
                    return "box_blur_at should return one number, the mean of the window"
                expected = _window_mean(image, row, col, size)
                if math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9):
                    continue
                if math.isclose(got, _window_mean(image, row, col, size, start_at=0), rel_tol=1e-9):
                    return ("your window starts at (row, col); the kernel is centred there, so the window "
                            "should reach equally far on every side")
                if math.isclose(got, expected * size * size, rel_tol=1e-9):
                    return "that is the sum of the window; the box kernel's weights are not 1"
                wrapped = int(image[row - reach : row + reach + 1, col - reach : col + reach + 1].sum(dtype=np.uint8))
                if math.isclose(got, wrapped / (size * size), rel_tol=1e-9) or math.isclose(got, wrapped):
                    return ("the sum wrapped around: uint8 pixels only hold 0 to 255, so convert them to "
                            "float (or int) before adding")
                if math.isclose(got, round(expected)) and not math.isclose(got, expected):
                    return "return the exact mean; rounding to a whole number happens only when an image is stored"
                if size == 5:
                    return ("right for 3×3 but not for 5×5: how many pixels does a 5×5 window reach "
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


@exercise("02.3")
def _output_size(answer) -> str | None:
    if not callable(answer):
        return "answer with a function output_size(n, k, padding, stride) that returns a whole number"
    for n, k, padding, stride in _SIZE_CASES:
        per_side = {"valid": 0, "same": (k - 1) // 2}.get(padding, padding)
        expected = _count_positions(n, k, per_side, stride)
        try:
            got = answer(n, k, padding, stride)
        except Exception as error:
            if isinstance(padding, str):
                return (f"padding={padding!r} raised {type(error).__name__}: padding can also be the word "
                        "'valid' or 'same'; turn it into a number of pixels per side first")
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

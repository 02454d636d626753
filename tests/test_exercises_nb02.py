"""The checks of notebook 02's exercises: right answers pass, typical slips get a hint."""
import math

import cv2
import numpy as np
import pytest
from exercise_testing import verdict
from scipy import ndimage

import helpers

# ---------------------------------------------------------------- 02.1
# Patch [[12, 200, 37], [90, 61, 148], [255, 3, 70]] sums to 876; 876 / 9 = 97.33...


@pytest.mark.parametrize("answer", [97, 97.0, np.uint8(97), np.int64(97)])
def test_blurred_pixel(capsys, answer):
    assert verdict(capsys, "02.1", answer)[0] is True


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (876 / 9, "exact mean"),
        (97.3, "exact mean"),
        (98, "nearest whole number"),
        (876, "every weight equal to 1"),
        (61, "centre pixel"),
        (132, "nine pixels"),
        ("97", "one number"),
    ],
)
def test_blurred_pixel_hints(capsys, answer, hint):
    result, out = verdict(capsys, "02.1", answer)
    assert result is False and hint in out
    assert "97" not in out


# ---------------------------------------------------------------- 02.2


def box_blur_by_library(image, row, col, size):
    return float(ndimage.uniform_filter(image.astype(float), size=size, mode="constant")[row, col])


def hw(size):
    return (size, size) if isinstance(size, int) else size


def box_blur_by_loop(image, row, col, size):
    height, width = hw(size)
    values = [float(image[r, c]) for r in range(row - height // 2, row + height // 2 + 1)
              for c in range(col - width // 2, col + width // 2 + 1)]
    return sum(values) / len(values)


def box_blur_solution(image, row, col, size):
    # The solution notebook's answer.
    height, width = (size, size) if np.ndim(size) == 0 else size
    up, left = height // 2, width // 2
    window = image[row - up : row + up + 1, col - left : col + left + 1]
    return helpers.apply_kernel(window, np.full((height, width), 1 / (height * width)))


def box_blur_float32(image, row, col, size):
    height, width = hw(size)
    window = image[row - height // 2 : row + height // 2 + 1, col - width // 2 : col + width // 2 + 1]
    return window.astype(np.float32).mean()  # about 7 significant digits


@pytest.mark.parametrize("answer", [box_blur_solution, box_blur_by_loop, box_blur_float32])
def test_box_blur_at(capsys, answer):
    assert verdict(capsys, "02.2", answer)[0] is True


@pytest.mark.parametrize(
    ("answer", "call"),
    [
        (box_blur_by_library, "ndimage.uniform_filter"),
        (lambda im, r, c, s: float(helpers.correlate(im, helpers.box(s))[r, c]), "helpers.correlate"),
        (lambda im, r, c, s: float(cv2.blur(im.astype(float), hw(s)[::-1])[r, c]), "cv2.blur"),
        (lambda im, r, c, s: float(cv2.boxFilter(im.astype(float), -1, hw(s)[::-1])[r, c]), "cv2.boxFilter"),
    ],
)
def test_box_blur_at_shortcuts_are_named(capsys, answer, call):
    result, out = verdict(capsys, "02.2", answer)
    assert result is False and f"without {call}" in out


def shown_sizes_only(image, row, col, size):
    reach = 1 if size == 3 else 2  # right for the sizes the notebook shows, 3 and 5
    return float(image[row - reach : row + reach + 1, col - reach : col + reach + 1].astype(float).mean())


def square_only(image, row, col, size):
    reach = size // 2  # fails for size=(height, width)
    return float(image[row - reach : row + reach + 1, col - reach : col + reach + 1].astype(float).mean())


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (shown_sizes_only, "wrong for size=7"),
        (square_only, "raised TypeError"),
        (lambda im, r, c, s: box_blur_by_loop(im, r, c, s if isinstance(s, int) else s[::-1]), "rectangular"),
    ],
)
def test_box_blur_at_right_on_the_shown_sizes_only(capsys, answer, hint):
    result, out = verdict(capsys, "02.2", answer)
    assert result is False and hint in out


def window_from_corner(image, row, col, size):
    height, width = hw(size)
    return float(image[row : row + height, col : col + width].astype(float).mean())


def window_sum(image, row, col, size):
    height, width = hw(size)
    return box_blur_by_loop(image, row, col, size) * height * width


def uint8_sum(image, row, col, size):
    height, width = hw(size)
    total = np.uint8(0)
    for r in range(row - height // 2, row + height // 2 + 1):
        for c in range(col - width // 2, col + width // 2 + 1):
            total += image[r, c]  # stays uint8 and wraps around
    return float(total) / (height * width)


def always_three_by_three(image, row, col, size):
    return float(image[row - 1 : row + 2, col - 1 : col + 2].astype(float).mean())


def rounded(image, row, col, size):
    return float(round(box_blur_by_loop(image, row, col, size)))


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (window_from_corner, "centred"),
        (window_sum, "sum of the window"),
        (uint8_sum, "wrapped around"),
        (always_three_by_three, "wrong for size=5"),
        (rounded, "exact mean"),
        (lambda image, row, col, size: [1.0], "one number"),
    ],
)
def test_box_blur_at_hints(capsys, answer, hint):
    with np.errstate(over="ignore"):
        result, out = verdict(capsys, "02.2", answer)
    assert result is False and hint in out


# ---------------------------------------------------------------- 02.3


def per_side(padding, k):
    return {"valid": 0, "same": (k - 1) // 2}.get(padding, padding)


def output_size(n, k, padding, stride):
    return (n + 2 * per_side(padding, k) - k) // stride + 1


def test_output_size(capsys):
    assert verdict(capsys, "02.3", output_size)[0] is True


def test_output_size_known_values():
    # Independent spot checks of the reference above, counted by hand.
    assert output_size(7, 3, 0, 1) == 5  # positions 0..4
    assert output_size(7, 3, "same", 1) == 7
    assert output_size(7, 3, 1, 2) == 4  # padded 9: positions 0, 2, 4, 6


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda n, k, p, s: (n + per_side(p, k) - k) // s + 1, "both sides"),
        (lambda n, k, p, s: (n + 2 * per_side(p, k) - k) / s + 1, "float"),
        (lambda n, k, p, s: math.ceil((n + 2 * per_side(p, k) - k) / s) + 1, "round down"),
        (lambda n, k, p, s: (n + 2 * per_side(p, k) - k) // s, "first position"),
        (lambda n, k, p, s: (n + 2 * p - k) // s + 1, "'valid' or 'same'"),
        (lambda n, k, p, s: output_size(n, k, 1 if p == "same" else p, s), "'same' is the padding"),
        (lambda n, k, p, s: output_size(n, k, 1 if p == "valid" else p, s), "no padding"),
        (lambda n, k, p, s: 3, "count the positions"),
        (lambda n, k, p, s: 5 if (n, k, p, s) == (5, 3, 1, 1) else 3, "count the positions"),
    ],
)
def test_output_size_hints(capsys, answer, hint):
    result, out = verdict(capsys, "02.3", answer)
    assert result is False and hint in out

"""The checks of notebook 02's exercises: right answers pass, typical slips get a hint."""
import math

import numpy as np
import pytest
from exercise_testing import verdict
from scipy import ndimage


@pytest.mark.parametrize("key", ["02.1", "02.2", "02.3"])
def test_unanswered(capsys, key):
    result, out = verdict(capsys, key, None)
    assert result is None and "not answered yet" in out


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


def box_blur_by_loop(image, row, col, size):
    half = size // 2
    values = [float(image[r, c]) for r in range(row - half, row + half + 1) for c in range(col - half, col + half + 1)]
    return sum(values) / len(values)


@pytest.mark.parametrize("answer", [box_blur_by_library, box_blur_by_loop])
def test_box_blur_at(capsys, answer):
    assert verdict(capsys, "02.2", answer)[0] is True


def window_from_corner(image, row, col, size):
    return float(image[row : row + size, col : col + size].astype(float).mean())


def window_sum(image, row, col, size):
    half = size // 2
    return float(image[row - half : row + half + 1, col - half : col + half + 1].astype(float).sum())


def uint8_sum(image, row, col, size):
    half = size // 2
    total = 0
    for r in range(row - half, row + half + 1):
        for c in range(col - half, col + half + 1):
            total += image[r, c]  # stays uint8 and wraps around
    return float(total) / (size * size)


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
        (always_three_by_three, "right for 3×3"),
        (rounded, "exact mean"),
        (lambda image, row, col, size: [1.0], "one number"),
        (42, "function"),
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
        ("5", "function"),
    ],
)
def test_output_size_hints(capsys, answer, hint):
    result, out = verdict(capsys, "02.3", answer)
    assert result is False and hint in out

"""Noise to add to a picture, and how far a result is from the clean picture.

Both noise makers take a seed, so a notebook shows the same noisy picture on
every run. Images are grey or colour arrays on the 0-255 scale; the results
are float64 and are not clipped unless the function says so.
"""
from __future__ import annotations

import numpy as np

from .validation import (
    as_numeric_array,
    check_image,
    check_seed,
    mean_square,
    real_number,
    require_finite,
    scaled_difference,
)


def _fraction(value, name: str) -> float:
    value = real_number(value, name, "a number between 0 and 1 such as 0.05")
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be between 0 and 1; got {value}")
    return value


def add_gaussian_noise(image, sigma: float, seed: int = 0) -> np.ndarray:
    """``image`` plus independent normal noise of standard deviation ``sigma`` grey levels.

    noisy = image + n, n ~ N(0, σ²) per pixel, clipped to 0..255 so it is still a picture.

    >>> add_gaussian_noise([[100.0]], 0.0)
    array([[100.]])
    """
    array = check_image(image).astype(np.float64)
    sigma = real_number(sigma, "sigma", "a number of grey levels such as 20")
    if sigma < 0:
        raise ValueError(f"sigma must be a finite number of grey levels, 0 or more; got {sigma}")
    rng = np.random.default_rng(check_seed(seed))
    return np.clip(array + rng.normal(0.0, sigma, size=array.shape), 0, 255)


def add_salt_and_pepper(image, fraction: float, seed: int = 0) -> np.ndarray:
    """``image`` with a ``fraction`` of its pixels set to 0 (pepper) or 255 (salt), half each.

    In a colour image a pixel's three channels change together.
    """
    array = check_image(image).astype(np.float64)
    fraction = _fraction(fraction, "fraction")
    rng = np.random.default_rng(check_seed(seed))
    hit = rng.random(array.shape[:2]) < fraction
    salt = rng.random(array.shape[:2]) < 0.5
    noisy = array.copy()
    noisy[hit & salt] = 255.0
    noisy[hit & ~salt] = 0.0
    return noisy


def _scaled_errors(result, clean) -> tuple[np.ndarray, int]:
    """(d, e) with result − clean = d · 2^e, |d| <= 2, after checking both (see scaled_difference)."""
    a = as_numeric_array(result, "result").astype(np.float64)
    b = as_numeric_array(clean, "clean").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"result and clean must have the same shape; got {a.shape} and {b.shape}")
    require_finite(a, "result")
    require_finite(b, "clean")
    return scaled_difference(a, b)


def mse(result, clean) -> float:
    """Mean squared error between two pictures of the same shape: mean((result − clean)²).

    The differences are scaled by a power of two before squaring, so no
    intermediate overflows or underflows; an MSE past float64's 1.8e308
    raises ValueError.
    """
    return float(mean_square(*_scaled_errors(result, clean), axis=None, name="the MSE of result and clean"))


def psnr(result, clean) -> float:
    """Peak signal-to-noise ratio in decibels: 10 · log10(255² / MSE); higher is closer.

    Two identical pictures give infinity. The logarithm is taken of the
    scaled MSE, so an MSE too small or too large for float64 still gives
    its finite PSNR.
    """
    scaled, exponent = _scaled_errors(result, clean)
    mean = float(np.mean(scaled * scaled))
    if mean == 0:
        return float("inf")
    return float(10.0 * (2 * np.log10(255.0) - np.log10(mean) - 2 * exponent * np.log10(2.0)))

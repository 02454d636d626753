"""Checks for the exercises of notebook 07 (learning a kernel from examples).

07.1  ``mae_gradient(image, kernel, target)``: the gradient of the mean absolute error;
07.2  the 5×5 kernel learned for "box blur, then Sobel-x";
07.3  ``parameter_count(kernels, size, channels)``: weights and biases of a convolutional layer.

Expected values are computed here by plain loops and by SciPy, not with
helpers.learning, so the checks do not share its mistakes.
"""
from __future__ import annotations

import numbers

import numpy as np
from scipy import signal

from . import exercise


def _as_array(value) -> np.ndarray | None:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array if np.all(np.isfinite(array)) else None


def _loop_correlation(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Valid cross-correlation, one output pixel at a time."""
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out


def _weighted_windows(image: np.ndarray, weights: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """G(m, n) = sum_ij weights(i, j) · image(i + m, j + n), by loops over the kernel positions."""
    h, w = weights.shape
    result = np.zeros(size)
    for m in range(size[0]):
        for n in range(size[1]):
            result[m, n] = np.sum(weights * image[m : m + h, n : n + w])
    return result


def _mae_cases():
    rng = np.random.default_rng(606)
    cases = []
    for shape, k in [((9, 11), 3), ((12, 10), 5), ((8, 8), 3)]:
        image = rng.uniform(-1, 1, size=shape)
        kernel = rng.normal(size=(k, k))
        target = rng.normal(size=(shape[0] - k + 1, shape[1] - k + 1))
        cases.append((image, kernel, target))
    return cases


@exercise("07.1")
def _mae_gradient(answer) -> str | None:
    if not callable(answer):
        return "answer with a function mae_gradient(image, kernel, target)"
    for image, kernel, target in _mae_cases():
        error = _loop_correlation(image, kernel) - target
        count = error.size
        expected = _weighted_windows(image, np.sign(error), kernel.shape) / count
        result = _as_array(answer(image.copy(), kernel.copy(), target.copy()))
        if result is None:
            return "return an array of finite numbers"
        if result.shape != kernel.shape:
            return (
                f"the gradient has one number per kernel weight, so its shape is the kernel's; "
                f"got {result.shape} for a {kernel.shape[0]}×{kernel.shape[1]} kernel"
            )
        if np.allclose(result, expected, atol=1e-9):
            continue
        squared = _weighted_windows(image, 2 * error, kernel.shape) / count
        if np.allclose(result, squared, atol=1e-9):
            return "that is the gradient of the squared error; the derivative of |e| with respect to e is not 2e"
        if np.allclose(result, -expected, atol=1e-9):
            return "the sign is flipped: the error is the prediction minus the target"
        if np.allclose(result, count * expected, atol=1e-7):
            return "the loss is a mean: divide by the number of output pixels"
        if np.allclose(result, 2 * expected, atol=1e-9):
            return "check the factor in front: the derivative of |e| is +1 or -1"
        if np.allclose(result, expected[::-1, ::-1], atol=1e-9):
            return "that is the gradient flipped by 180°: weight (m, n) meets the pixel at (i + m, j + n)"
        return (
            "compare with the squared-error gradient in the notebook: only the derivative of the "
            "per-pixel loss changes; test your function on a tiny image where you can add by hand"
        )
    return None


#: The kernel of exercise 07.2, found here as the full convolution of the two kernels.
_BOX = np.full((3, 3), 1 / 9)
_SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)


@exercise("07.2")
def _combined_kernel(answer) -> str | None:
    learned = _as_array(answer)
    if learned is None or learned.ndim != 2:
        return "answer with the learned kernel: a 2-D array of numbers"
    if learned.shape != (5, 5):
        return (
            "a 3×3 kernel followed by another 3×3 kernel reaches two pixels from the centre "
            f"in each direction; got a {learned.shape[0]}×{learned.shape[1]} kernel"
        )
    expected = signal.convolve2d(_BOX, _SOBEL_X)  # correlating twice = correlating once with this
    error = np.abs(learned - expected).max()
    if error < 0.01:
        return None
    if np.abs(learned + expected).max() < 0.01:
        return "the signs are flipped: is the error the prediction minus the target?"
    if error < 0.1:
        return "close, but not there yet: take more gradient steps"
    return (
        "check the target: the photo correlated with the box blur, then that result correlated "
        "with Sobel-x, both with border='valid', and a 5×5 kernel to learn"
    )


@exercise("07.3")
def _parameter_count(answer) -> str | None:
    if not callable(answer):
        return "answer with a function parameter_count(kernels, size, channels)"
    for kernels, size, channels in [(8, 3, 3), (16, 5, 1), (64, 3, 32), (1, 1, 1), (10, 7, 4)]:
        result = answer(kernels, size, channels)
        if isinstance(result, bool) or not isinstance(result, numbers.Integral):
            return "return a whole number"
        weights = 0
        for _ in range(kernels):
            weights += size * size * channels + 1  # every weight of every channel, and one bias
        if result == weights:
            continue
        if result == kernels * size * size * channels:
            return "every kernel also learns one bias, added to its whole feature map"
        if result == kernels * (size * size + 1):
            return "each kernel of the layer sees every input channel, with its own weights for each"
        if result == kernels * size * size:
            return "count the weights for every input channel, and one bias per kernel"
        return f"not yet: for {kernels} kernels of {size}×{size} on {channels} channel(s), count again"
    return None

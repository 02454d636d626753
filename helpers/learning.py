"""Learning kernels from examples, and a convolutional layer with the steps that follow it, in NumPy.

A kernel K is learned from an image X and a target Y (the response we want)
by gradient descent on the mean squared error of the prediction
Ŷ = X ⋆ K (cross-correlation, border "valid"):

    L(K) = (1/N) Σ_ij (Ŷ(i, j) - Y(i, j))²,        N = number of output pixels

    ∂L/∂K(m, n) = (2/N) Σ_ij E(i, j) X(i + m, j + n),   E = Ŷ - Y

so the gradient is itself a cross-correlation: the input X correlated with
the error E. Both the prediction and the gradient are written here as one
matrix product with the matrix of all k×k windows of X (one window per row,
what deep-learning libraries call "im2col").

A convolutional layer applies a bank of kernels and adds a bias to each map
(X ⋆ K_c + b_c; helpers.cnn has the multi-channel version). A network then
keeps the positive part (ReLU) and shrinks each map by max-pooling, two steps
without weights: :func:`correlate_relu_pool` does all three.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import (
    as_numeric_array,
    check_allocation,
    check_kernel,
    check_product_size,
    check_seed,
    mean_square,
    real_number,
    require_finite,
    scaled_difference,
    unit_scaled,
)


def windows(image, size: int) -> np.ndarray:
    """Every size × size window of a 2-D image, one per row: shape (N, size²).

    Row r holds the window whose top-left pixel is (r // W', r % W'), with
    W' = W - size + 1, flattened row by row; N = (H - size + 1)(W - size + 1).

    >>> windows(np.arange(16).reshape(4, 4), 3)
    array([[ 0.,  1.,  2.,  4.,  5.,  6.,  8.,  9., 10.],
           [ 1.,  2.,  3.,  5.,  6.,  7.,  9., 10., 11.],
           [ 4.,  5.,  6.,  8.,  9., 10., 12., 13., 14.],
           [ 5.,  6.,  7.,  9., 10., 11., 13., 14., 15.]])
    """
    image = _image(image)
    size = _size(size, image.shape)
    count = (image.shape[0] - size + 1) * (image.shape[1] - size + 1)
    check_allocation(count * size * size, "size", f"{count} windows of {size} × {size}")
    view = np.lib.stride_tricks.sliding_window_view(image, (size, size))
    return view.reshape(-1, size * size)


def predict(image, kernels) -> np.ndarray:
    """Ŷ = X ⋆ K for one kernel (k×k → output H'×W') or a bank (C×k×k → C×H'×W').

    The same numbers as ``helpers.correlate(image, kernel, border="valid")``.
    """
    image = _image(image)
    bank, single = _bank(kernels)
    _check_sizes(image, bank)
    size = bank.shape[-1]
    out_shape = (image.shape[0] - size + 1, image.shape[1] - size + 1)
    maps = (windows(image, size) @ bank.reshape(len(bank), -1).T).T.reshape(len(bank), *out_shape)
    return maps[0] if single else maps


def mse_loss(image, kernels, targets) -> np.ndarray | float:
    """L = (1/N) Σ (Ŷ - Y)²: a float for one kernel, one value per kernel for a bank."""
    image = _image(image)
    bank, single = _bank(kernels)
    loss = mean_square(*_errors(image, bank, targets), axis=(1, 2), name="the loss of image ⋆ kernels against targets")
    return float(loss[0]) if single else loss


def mse_gradient(image, kernels, targets) -> np.ndarray:
    """∂L/∂K(m, n) = (2/N) Σ_ij E(i, j) X(i + m, j + n), with E = Ŷ - Y.

    The input correlated with the error; the same shape as ``kernels``.
    """
    image = _image(image)
    bank, single = _bank(kernels)
    errors, error_shift = _errors(image, bank, targets)
    errors = errors.reshape(len(bank), -1)
    # Scaled by powers of two (exact), so the sum of N products cannot overflow before the 2/N.
    patches, patch_shift = unit_scaled(windows(image, bank.shape[-1]))
    with np.errstate(over="ignore"):  # reported below
        gradient = np.ldexp((2.0 / errors.shape[1]) * (errors @ patches), error_shift + patch_shift)
    if not np.all(np.isfinite(gradient)):
        raise ValueError(
            "image, kernels and targets give a gradient too large to represent (past float64's 1.8e308); "
            "scale them down"
        )
    gradient = gradient.reshape(bank.shape)
    return gradient[0] if single else gradient


class DivergenceError(FloatingPointError, ValueError):
    """Gradient descent diverged: the learning rate is too large for these data.

    A FloatingPointError (what went wrong) and a ValueError (the argument to change).
    """


@dataclass
class Fit:
    """The result of :func:`fit_kernels`: the learned kernel(s) and the loss before each step."""

    kernels: np.ndarray
    losses: np.ndarray


def fit_kernels(image, targets, size: int = 3, steps: int = 200, learning_rate: float = 0.1, seed: int = 0) -> Fit:
    """Learn size × size kernels with X ⋆ K ≈ Y by plain gradient descent: K ← K - η ∂L/∂K.

    targets  one H'×W' target or a stack C×H'×W' (one kernel learned per
             target, all at once), with H' = H - size + 1 (border "valid").
    The kernels start from small random numbers drawn with
    ``np.random.default_rng(seed)``, so a fit is repeatable. ``losses[t]`` is
    the loss before step t (one column per kernel for a stack).
    """
    image = _image(image)
    size = _size(size, image.shape)
    targets = _targets(targets, image.shape, size)
    single = targets.ndim == 2
    stack = targets[np.newaxis] if single else targets
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a whole number of at least 1; got {steps!r}")
    learning_rate = real_number(learning_rate, "learning_rate", "a positive number such as 0.1")
    if learning_rate <= 0:
        raise ValueError(f"learning_rate must be a positive number; got {learning_rate!r}")
    seed = check_seed(seed)
    check_allocation(steps * len(stack), "steps", f"the losses of {steps} steps")
    patches = windows(image, size)  # built once: the same for every step
    flat_targets = stack.reshape(len(stack), -1)
    weights = np.random.default_rng(seed).normal(scale=0.1, size=(len(stack), size * size))
    losses = np.empty((steps, len(stack)))
    scale = 2.0 / flat_targets.shape[1]
    with np.errstate(over="ignore", invalid="ignore"):  # a divergence is reported below instead
        for step in range(steps):
            errors = weights @ patches.T - flat_targets  # Ŷ - Y for every kernel
            losses[step] = np.mean(errors**2, axis=1)
            if not np.all(np.isfinite(losses[step])):
                raise DivergenceError(
                    f"gradient descent diverged with learning_rate={learning_rate} (the loss "
                    f"became infinite at step {step}); try a smaller learning rate"
                )
            weights -= learning_rate * scale * (errors @ patches)  # η · ∂L/∂K
    kernels = weights.reshape(len(stack), size, size)
    return Fit(kernels[0], losses[:, 0]) if single else Fit(kernels, losses)


def relu(values) -> np.ndarray:
    """The rectified linear unit: max(x, 0), element by element."""
    values = as_numeric_array(values, "values")
    require_finite(values, "values")
    return np.maximum(values, 0)


def max_pool(maps, size: int = 2) -> np.ndarray:
    """The largest value of each size × size block of the last two axes.

    A map of H×W becomes (H // size)×(W // size); rows and columns that do
    not fill a whole block are dropped, as in most deep-learning libraries.

    >>> max_pool(np.array([[1, 5, 2, 0], [3, 4, 8, 1]]))
    array([[5, 8]])
    """
    maps = as_numeric_array(maps, "maps")
    require_finite(maps, "maps")
    if maps.ndim < 2:
        raise ValueError(f"maps must have at least 2 dimensions (height × width); got shape {maps.shape}")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"size must be a whole number of at least 1; got {size!r}")
    height, width = maps.shape[-2] // size, maps.shape[-1] // size
    if height == 0 or width == 0:
        raise ValueError(f"maps of {maps.shape[-2]}×{maps.shape[-1]} are smaller than one {size}×{size} block")
    cropped = maps[..., : height * size, : width * size]
    blocks = cropped.reshape(*maps.shape[:-2], height, size, width, size)
    return blocks.max(axis=(-3, -1))


def correlate_relu_pool(image, kernels, biases=None, pool: int = 2, border: str = "replicate") -> np.ndarray:
    """A one-channel layer, then ReLU and max-pooling: maxpool(relu(X ⋆ K_c + b_c)) for each kernel c.

    kernels  a list of 2-D kernels (they may differ in size, unlike in a
             network) or a C×k×k array; biases one number per kernel (zero
             by default). Returns the C feature maps, shape C×(H/pool)×(W/pool).
    """
    from .convolution import correlate  # here, to keep this module's import light

    if not isinstance(kernels, (list, tuple, np.ndarray)) or (isinstance(kernels, np.ndarray) and kernels.ndim < 2):
        raise TypeError(f"kernels must be a list of 2-D kernels or a C×k×k array; got {kernels!r}")
    if _looks_like_one_kernel(kernels):
        raise ValueError(
            f"kernels must be a list of 2-D kernels or a C×k×k array; got one 2-D kernel of shape "
            f"{np.shape(kernels)}. Put it in a list, [kernel], for a layer of one kernel"
        )
    bank = [check_kernel(k, f"kernels[{i}]") for i, k in enumerate(kernels)]
    if not bank:
        raise ValueError("kernels is empty; a layer needs at least one kernel")
    if biases is None:
        biases = np.zeros(len(bank))
    biases = as_numeric_array(biases, "biases").astype(np.float64).ravel()
    if len(biases) != len(bank):
        raise ValueError(f"biases must have one number per kernel; got {len(biases)} for {len(bank)} kernels")
    maps = np.stack([correlate(image, k, border=border) + b for k, b in zip(bank, biases, strict=True)])
    return max_pool(relu(maps), pool)


def _looks_like_one_kernel(kernels) -> bool:
    """True for a 2-D array or list of rows of numbers (one kernel where a list of kernels is due)."""
    try:
        return np.ndim(kernels) == 2
    except ValueError:  # ragged: kernels of different sizes
        return False


def _image(image) -> np.ndarray:
    array = as_numeric_array(image, "image")
    if array.ndim != 2:
        raise ValueError(f"image must be 2-D (a grey image, H×W); got shape {array.shape}")
    require_finite(array, "image")
    return array.astype(np.float64, copy=False)


def _size(size, shape) -> int:
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1 or size % 2 == 0:
        raise ValueError(f"size must be a positive odd whole number such as 3 or 5; got {size!r}")
    if size > min(shape):
        raise ValueError(f"size {size} is larger than the image ({shape[0]}×{shape[1]})")
    return int(size)


def _bank(kernels) -> tuple[np.ndarray, bool]:
    """Kernels as a C×k×k float array, and whether a single k×k kernel was given."""
    array = as_numeric_array(kernels, "kernels")
    single = array.ndim == 2
    bank = array[np.newaxis] if single else array
    if bank.ndim != 3 or bank.shape[1] != bank.shape[2] or bank.shape[1] % 2 == 0:
        raise ValueError(
            f"kernels must be one k×k kernel or a stack C×k×k with k odd; got shape {array.shape}"
        )
    require_finite(bank, "kernels")
    return bank.astype(np.float64, copy=False), single


def _targets(targets, image_shape, size) -> np.ndarray:
    array = as_numeric_array(targets, "targets").astype(np.float64, copy=False)
    expected = (image_shape[0] - size + 1, image_shape[1] - size + 1)
    if array.ndim not in (2, 3) or array.shape[-2:] != expected:
        raise ValueError(
            f"targets must be {expected[0]}×{expected[1]} (the 'valid' output of a {size}×{size} kernel "
            f"on a {image_shape[0]}×{image_shape[1]} image), or a stack of those; got shape {array.shape}"
        )
    require_finite(array, "targets")
    return array


def _check_sizes(image: np.ndarray, bank: np.ndarray) -> None:
    """Refuse an image and kernels whose prediction could overflow (max|X| · max_c Σ|K_c| > 1e300)."""
    check_product_size(image, "image", float(np.abs(bank).sum(axis=(1, 2)).max()), "kernels")


def _errors(image: np.ndarray, bank: np.ndarray, targets) -> tuple[np.ndarray, int]:
    """(d, e) with E = Ŷ - Y = d · 2^e for every kernel of the bank: shape C×H'×W' (one target serves them all).

    Scaled by a power of two (see scaled_difference) so that even Ŷ - Y past float64's range is found.
    """
    targets = _targets(targets, image.shape, bank.shape[-1])
    if targets.ndim == 3 and len(targets) != len(bank):
        raise ValueError(f"targets must have one map per kernel; got {len(targets)} for {len(bank)} kernels")
    prediction = predict(image, bank)
    return scaled_difference(prediction, np.broadcast_to(targets, prediction.shape))

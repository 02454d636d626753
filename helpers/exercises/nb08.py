"""Checks for the exercises of notebook 08 (learning a kernel from examples).

08.1  ``mae_gradient(image, kernel, target)``: the gradient of the mean absolute error;
08.2  ``learn_5x5(image, target)``: gradient descent written out, run on targets it has not seen;
08.3  ``input_gradient(output_gradient, kernel)``: the gradient reaching a layer's input (a full convolution).

(The parameter count of a layer, 08.3 before issue 17 and 07.3 before issue 16, is exercise 09.5 of the
CNN lesson; 08.3 is now the input gradient.)

Expected values are computed here by plain loops and by SciPy, not with
helpers.learning, so the checks do not share its mistakes.
"""
from __future__ import annotations

import numpy as np
from scipy import signal

from . import Hint, call_answer, exercise
from ._answers import scaled_hint


def _as_array(value) -> np.ndarray | None:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array if np.all(np.isfinite(array)) else None


def _diverged(value) -> bool:
    """True for an array of numbers of which some are infinite or NaN."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return not np.all(np.isfinite(array))


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


@exercise("08.1", wants_function=True, asks="write the gradient yourself", allows=[
    "helpers.learning.predict", "helpers.learning.windows", "helpers.correlate", "signal.correlate", "signal.correlate2d",
    "ndimage.correlate", "cv2.filter2D"])
def _mae_gradient(answer) -> str | None:
    for image, kernel, target in _mae_cases():
        error = _loop_correlation(image, kernel) - target
        count = error.size
        expected = _weighted_windows(image, np.sign(error), kernel.shape) / count
        try:
            returned = call_answer(answer, image.copy(), kernel.copy(), target.copy(), what="mae_gradient")
        except Hint as hint:
            if "odd height and width" in str(hint):
                raise Hint(
                    f"{hint}. helpers.correlate needs a kernel with a centre, and the error map is "
                    f"{error.shape[0]}×{error.shape[1]} here (an image of {image.shape[0]}×{image.shape[1]} "
                    f"and a {kernel.shape[0]}×{kernel.shape[1]} kernel): add up sign(E) times each "
                    "window of the image yourself (the formula above the exercise), or use "
                    "scipy.signal.correlate(image, np.sign(error), mode=\"valid\"), which takes any size"
                ) from None
            raise
        result = _as_array(returned)
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


_BOX = np.full((3, 3), 1 / 9)
_SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)
_SOBEL_Y = _SOBEL_X.T
_LAPLACIAN = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)

#: Calls that would find the kernel without gradient descent, or run the descent for the student.
_NOT_LEARNING = [
    "helpers.learning.fit_kernels",
    "np.linalg.lstsq",
    "np.linalg.solve",
    "np.linalg.pinv",
    "np.linalg.inv",
    "scipy.signal.convolve2d",
    "scipy.signal.convolve",
]


def _unseen_examples():
    """(image, target, kernel) triples the notebook never showed: the target is image ⋆ kernel (valid).

    The images are noise scaled to mean 0 and standard deviation 1, as the notebook
    scales its crop, so a learning rate that works there works here. The kernels are
    5×5 and found as the full convolution of two 3×3 kernels (correlating twice is
    correlating once with it), or drawn at random.
    """
    rng = np.random.default_rng(607)
    kernels = [
        rng.normal(scale=0.5, size=(5, 5)),  # first: neither symmetric nor antisymmetric, for the hints
        signal.convolve2d(_BOX, _SOBEL_Y),  # box, then Sobel-y
        signal.convolve2d(_SOBEL_X, _LAPLACIAN),  # Sobel-x, then the Laplacian
    ]
    examples = []
    for kernel in kernels:
        image = rng.normal(size=(41, 41))
        image = (image - image.mean()) / image.std()
        examples.append((image, signal.correlate2d(image, kernel, mode="valid"), kernel))
    return examples


@exercise(
    "08.2",
    wants_function=True,
    asks="write the gradient-descent loop yourself",
    time_limit=20.0,  # hundreds of descent steps per case: about 1.5 s each on a shared laptop core
    allows=["helpers.learning.mse_gradient", "helpers.learning.predict", "helpers.learning.mse_loss",
            "helpers.learning.windows", "helpers.correlate", "helpers.box", "signal.correlate", "signal.correlate2d",
            "ndimage.correlate", "cv2.filter2D"],
    ruled_out=_NOT_LEARNING,
)
def _learn_5x5(answer) -> str | None:
    combined = signal.convolve2d(_BOX, _SOBEL_X)
    for image, target, kernel in _unseen_examples():
        diverged = (
            "the descent diverged: your kernel's weights grew to infinity or NaN. Step against the "
            "gradient (K − η · gradient) and keep η below the limit the notebook found (0.1 works)"
        )
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # a diverging descent gets the hint below
                returned = call_answer(answer, image.copy(), target.copy(), what="learn_5x5")
        except Hint as hint:
            if "NaN or infinity" in str(hint) or "too large" in str(hint):  # mse_gradient refuses a blown-up kernel
                raise Hint(f"{diverged} ({hint})") from None
            raise
        learned = _as_array(returned)
        if learned is None and _diverged(returned):
            return diverged
        if learned is None or learned.ndim != 2:
            return "learn_5x5 should return the learned kernel: a 2-D array of finite numbers"
        if learned.shape != (5, 5):
            return (
                "a 3×3 kernel followed by another 3×3 kernel reaches two pixels from the centre "
                f"in each direction, so learn a 5×5 kernel; got {learned.shape[0]}×{learned.shape[1]}"
            )
        error = np.abs(learned - kernel).max() / np.abs(kernel).max()
        if error < 0.01:
            continue
        if np.allclose(learned, combined, atol=0.01):
            return (
                "your function returns the box-then-Sobel-x kernel whatever it is given: it must learn "
                "the kernel from the image and target it receives (the check gives it examples made "
                "with other kernels)"
            )
        if np.abs(learned + kernel).max() / np.abs(kernel).max() < 0.01:
            return "the signs are flipped: step against the gradient, K ← K − η ∂L/∂K"
        if np.abs(learned - kernel[::-1, ::-1]).max() / np.abs(kernel).max() < 0.01:
            return "you learned the kernel turned by 180°: the prediction is a correlation, image ⋆ K"
        if error < 0.2:
            return "close, but not there yet: take more gradient steps"
        return (
            "the learned kernel does not reproduce the target: start from zeros (or small random "
            "numbers) and repeat K ← K − η · mse_gradient(image, K, target), a few hundred steps "
            "with η = 0.1"
        )
    return None


# --------------------------------------------------------------------------- 08.3


def _input_gradient_by_loop(output_gradient: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """dL/dx: every output pixel (i, j) sends g(i, j)·K(m, n) back to input pixel (i + m, j + n)."""
    kh, kw = kernel.shape
    rows, cols = output_gradient.shape
    result = np.zeros((rows + kh - 1, cols + kw - 1))
    for i in range(rows):
        for j in range(cols):
            result[i : i + kh, j : j + kw] += output_gradient[i, j] * kernel
    return result


def _input_gradient_cases():
    rng = np.random.default_rng(808)
    # (output rows, output columns, kernel rows, kernel columns); the notebook used a square 3×3 kernel
    return [(rng.normal(size=(r, c)), rng.normal(size=(kr, kc))) for r, c, kr, kc in
            [(6, 9, 3, 3), (5, 4, 2, 3), (7, 7, 5, 5), (4, 8, 3, 1), (1, 1, 4, 2)]]


@exercise(
    "08.3",
    asks="build the gradient from the kernel and the output gradient yourself",
    allows=["np.pad"],
    ruled_out=[
        "signal.convolve2d",
        "signal.convolve",
        "signal.correlate2d",
        "signal.correlate",
        "signal.fftconvolve",
        "ndimage.convolve",
        "ndimage.correlate",
        "cv2.filter2D",
        "helpers.convolve",
        "helpers.correlate",
    ],
)
def _input_gradient(answer) -> str | None:
    """The full convolution of the output gradient with the kernel, against a scatter loop."""
    for output_gradient, kernel in _input_gradient_cases():
        kept = output_gradient.copy(), kernel.copy()
        result = _as_array(call_answer(answer, output_gradient, kernel))
        if not (np.array_equal(output_gradient, kept[0]) and np.array_equal(kernel, kept[1])):
            return "your function changed the output gradient or the kernel it was given; work on copies"
        expected = _input_gradient_by_loop(output_gradient, kernel)
        size = f"{output_gradient.shape[0]}×{output_gradient.shape[1]}"
        k_size = f"{kernel.shape[0]}×{kernel.shape[1]}"
        if result is None:
            return "return an array of numbers, one per input pixel"
        if result.shape != expected.shape:
            return (f"a {size} output gradient and a {k_size} kernel come from an input of "
                    f"{expected.shape[0]}×{expected.shape[1]} pixels, so the gradient has that shape; "
                    f"yours is {result.shape} (pad the output gradient with k − 1 zeros on every side)")
        if np.allclose(result, expected):
            continue
        if np.allclose(result, _input_gradient_by_loop(output_gradient, kernel[::-1, ::-1])):
            return ("you slid the kernel as it is: the gradient needs the kernel turned by 180° "
                    "(a full convolution, not a correlation)")
        if kernel.shape[0] != kernel.shape[1] and np.allclose(result, _input_gradient_by_loop(output_gradient, kernel.T).T):
            return f"right for square kernels but not for a {k_size} one: check which axis is rows"
        hint = scaled_hint(result, expected)
        if hint:
            return hint
        return (f"wrong values for a {size} output gradient and a {k_size} kernel; each output pixel (i, j) "
                "sends g(i, j)·K(m, n) back to input pixel (i + m, j + n)")
    return None

"""Checks for the exercises of notebook 03 (convolution versus cross-correlation).

03.1  which of six new kernels (``NEW_KERNELS``, not in the bank the notebook
      printed) give a different image under convolution than under correlation;
03.2  ``turn_180(kernel)``: the 180° turn by hand;
03.3  ``correlate_by_convolving(image, kernel)``: correlation from helpers.convolve;
03.4  ``linear_and_shift_invariant(operation)``: probe an operation, answer True or False.
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage

from . import Hint, call_answer, exercise, kernel_names_or_hint
from ._answers import array_or_hint, scaled_hint

#: The kernels of exercise 03.1. None is in helpers.KERNELS, and the notebook
#: never says which of them equal their own 180° turn. Two are symmetric only
#: under the turn (not under either mirror), one is mirror-symmetric left to
#: right but not under the turn, so "looks symmetric" is not enough.
NEW_KERNELS = {
    "prewitt_y": np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]]),
    "gauss_3x3": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]),
    "pinwheel": np.array([[0, 1, 2], [-1, 3, -1], [2, 1, 0]]),
    "shift_right": np.array([[0, 0, 0], [0, 0, 1], [0, 0, 0]]),
    "arrow_up": np.array([[0, 2, 0], [1, 1, 1], [0, 0, 0]]),
    "cross_3x5": np.array([[1, 0, 3, 0, 2], [4, 5, 6, 5, 4], [2, 0, 3, 0, 1]]),
}


@exercise("03.1")
def _changes_under_turn(answer) -> str | None:
    """The new kernels that are not their own 180° rotation (worked out by comparing k[::-1, ::-1])."""
    names, hint = kernel_names_or_hint(answer, '{"gauss_3x3"}', NEW_KERNELS, "NEW_KERNELS")
    if hint:
        return hint
    expected = {name for name, k in NEW_KERNELS.items() if not np.array_equal(k, k[::-1, ::-1])}
    if names - expected:
        return (
            "at least one kernel in your set is its own 180° rotation, so the turn cannot change "
            "what it computes"
        )
    missing = len(expected - names)
    if missing:
        return (
            f"{missing} kernel{'s are' if missing > 1 else ' is'} missing: turn each kernel upside down "
            "and then left to right, and compare it with the original"
        )
    return None


def _probe_kernels():
    rng = np.random.default_rng(301)
    return [rng.integers(-5, 6, size=shape).astype(float) for shape in [(3, 5), (1, 4), (4, 2), (5, 5)]]



@exercise(
    "03.2",
    asks="write the turn yourself",
    ruled_out=["np.rot90", "np.flip", "np.flipud", "np.fliplr"],
)
def _turn_180(answer) -> str | None:
    """A hand-written 180° rotation, compared with np.rot90 on unseen shapes."""
    cases = [*_probe_kernels(), np.array([[7.0]])]
    for kernel in cases:
        original = kernel.copy()
        result = call_answer(answer, kernel)
        if not np.array_equal(kernel, original):
            return "your function changed the kernel it was given; work on a copy"
        result = array_or_hint(result)
        expected = np.rot90(kernel, 2)
        if result.shape != expected.shape:
            return (
                f"a {kernel.shape[0]}×{kernel.shape[1]} kernel came back with shape {result.shape}; "
                "a 180° turn keeps the shape"
            )
        if np.array_equal(result, expected):
            continue
        if kernel.shape[0] == kernel.shape[1] and np.array_equal(result, kernel.T):
            return "that is a transpose (a mirror along the diagonal), not a rotation"
        if np.array_equal(result, kernel[::-1, :]):
            return "your kernel is upside down but not mirrored left to right"
        if np.array_equal(result, kernel[:, ::-1]):
            return "your kernel is mirrored left to right but not turned upside down"
        if np.array_equal(result, kernel):
            return "the kernel came back unchanged"
        return f"wrong result for a {kernel.shape[0]}×{kernel.shape[1]} kernel; try it on np.arange(15).reshape(3, 5)"
    listed = call_answer(answer, [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    if not np.array_equal(np.asarray(listed), [[9, 8, 7], [6, 5, 4], [3, 2, 1]]):
        return "your function should also accept a list of lists; np.asarray turns it into an array"
    return None


def _turn_mistake(image: np.ndarray, kernel: np.ndarray, result: np.ndarray) -> str | None:
    """A hint when the kernel handed to helpers.convolve was turned the wrong way (transposed, half-turned)."""
    # helpers.convolve(image, K') is ndimage.correlate(image, K' turned by 180°).
    handed = {
        "transposed": kernel.T,
        "transposed and turned": kernel.T[::-1, ::-1],
        "upside down only": kernel[::-1, :],
        "mirrored left to right only": kernel[:, ::-1],
    }
    for what, k in handed.items():
        if np.allclose(result, ndimage.convolve(image, k, mode="nearest")):
            if "transposed" in what:
                return (
                    "the kernel was transposed (kernel.T, a mirror along the diagonal): the turn that "
                    "undoes convolve's turn is 180°, upside down and left to right, kernel[::-1, ::-1]"
                )
            return (
                f"the kernel you handed to helpers.convolve was turned only half way ({what}): "
                "turn it upside down and left to right, kernel[::-1, ::-1]"
            )
    return None


@exercise(
    "03.3",
    asks="correlate through helpers.convolve",
    ruled_out=["helpers.correlate", "ndimage.correlate", "cv2.filter2D", "signal.correlate2d"],
    allows=["helpers.convolve", "np.rot90", "np.flip", "np.flipud", "np.fliplr"],
)
def _correlate_by_convolving(answer) -> str | None:
    """Correlation via convolution, compared with scipy.ndimage.correlate (mode 'nearest')."""
    rng = np.random.default_rng(302)
    for shape, kernel_shape in [((12, 15), (3, 3)), ((9, 11), (3, 5)), ((10, 8), (5, 3))]:
        image = rng.uniform(0, 255, size=shape)
        kernel = rng.normal(size=kernel_shape)
        expected = ndimage.correlate(image, kernel, mode="nearest")
        result = array_or_hint(call_answer(answer, image, kernel)).astype(float)
        if result.shape != expected.shape:
            return f"a {shape[0]}×{shape[1]} image should give a {shape[0]}×{shape[1]} result; got {result.shape}"
        if np.allclose(result, expected):
            continue
        if np.allclose(result, ndimage.convolve(image, kernel, mode="nearest")):
            return (
                "your function convolves: helpers.convolve turns the kernel, so hand it a kernel "
                "that the turn brings back to the original"
            )
        hint = _turn_mistake(image, kernel, result) or scaled_hint(result, expected)
        if hint:
            return hint
        if kernel_shape[0] != kernel_shape[1]:
            return f"right for square kernels but wrong for a {kernel_shape[0]}×{kernel_shape[1]} one"
        inner = (slice(3, -3), slice(3, -3))
        if np.allclose(result[inner], expected[inner]):
            return "right away from the edges but wrong near them: helpers.convolve's default border, replicate, is the one"
        return "the result is neither the correlation nor the convolution; compare one pixel with the sum by hand"
    return None


# --------------------------------------------------------------------------- 03.4
# Operations the notebook did not show. Each takes a 2-D float image of any size
# (at least 6×6) and returns one of the same size; all wrap at the border, so the
# shift-invariant ones are exactly shift-invariant under np.roll. They are built
# from np.roll only (the one call 03.4 allows), so the fence, which watches
# everything the student's function runs, has nothing of theirs to refuse.


def _neighbours(image, shape):
    """The image moved so that each pixel sees its neighbour at (m - shape[0] // 2, n - shape[1] // 2), wrapping."""
    image = np.asarray(image, dtype=float)
    return [np.roll(image, (shape[0] // 2 - m, shape[1] // 2 - n), axis=(0, 1))
            for m in range(shape[0]) for n in range(shape[1])]


def _wrap_correlation(kernel):
    """Σ_(m,n) k(m, n) · image(r + m - c_r, c + n - c_c), wrapping (scipy.ndimage.correlate's mode="wrap")."""
    kernel = np.asarray(kernel, dtype=float)
    return lambda image: sum(w * moved for w, moved in zip(kernel.ravel(), _neighbours(image, kernel.shape), strict=True))


def _wrap_median(image):
    """The median of each 3×3 neighbourhood, wrapping."""
    return np.median(np.stack(_neighbours(image, (3, 3))), axis=0)


def _ramp_gain(image):
    image = np.asarray(image, dtype=float)
    return image * (1 + np.arange(image.shape[1]) / image.shape[1])  # brighter to the right


def _corner_zeroed(image):
    out = np.array(image, dtype=float)
    out[0, 0] = 0
    return out


def _lsi_cases():
    """(operation, linear?, shift-invariant?): the student's function must say True only for both.

    The third (a pure shift) moves values without arithmetic, so a False for it is not ``==``'s fault.
    """
    rng = np.random.default_rng(304)
    lean = rng.normal(size=(3, 5))
    return [
        (_wrap_correlation(lean), True, True),
        (lambda image: 3 * np.asarray(image, dtype=float), True, True),
        (lambda image: np.roll(np.asarray(image, dtype=float), (1, -2), axis=(0, 1)), True, True),
        (_wrap_median, False, True),
        (lambda image: np.asarray(image, dtype=float) ** 2, False, True),
        (lambda image: np.asarray(image, dtype=float) + 1, False, True),
        (lambda image: np.abs(_wrap_correlation(lean)(image)), False, True),
        (_ramp_gain, True, False),
        (lambda image: np.asarray(image, dtype=float)[::-1].copy(), True, False),
        (_corner_zeroed, True, False),
        (_wrap_correlation(np.ones((3, 3)) / 9), True, True),
    ]


@exercise("03.4", wants_function=True, allows=["np.roll"])
def _linear_and_shift_invariant(answer) -> str | None:
    """The student's verdicts on eleven operations, against what each is by construction."""
    said_yes_nonlinear = said_yes_shifting = said_no = said_no_exact = False
    for index, (operation, linear, invariant) in enumerate(_lsi_cases()):
        result = call_answer(answer, operation)
        if not isinstance(result, (bool, np.bool_)):
            raise Hint(f"return True or False; your function returned a {type(result).__name__}")
        if bool(result) == (linear and invariant):
            continue
        if result and not linear:
            said_yes_nonlinear = True
        elif result:
            said_yes_shifting = True
        else:
            said_no = True
            said_no_exact = said_no_exact or index == 2
    if said_yes_nonlinear:
        return ("your function said True for an operation that is not linear: compare f(a·x + b·y) with "
                "a·f(x) + b·f(y) on random images with both signs, with a negative a, and with a and b that "
                "do not add up to 1 (an offset x + 1 passes when they do)")
    if said_yes_shifting:
        return ("your function said True for an operation that is linear but not shift-invariant: shift a "
                "random image with np.roll and compare f of the shifted image with f(image) shifted the same way")
    if said_no_exact:
        return ("your function said False for a pure shift (np.roll of the image), which is linear and "
                "shift-invariant and involves no rounding, so == is not the cause and the comparison itself is off: shift the input and the output by the same amount "
                "in the same direction (f(np.roll(x, s)) against np.roll(f(x), s)), and compare f(a·x + b·y) "
                "with a·f(x) + b·f(y)")
    if said_no:
        return ("your function said False for an operation that is linear and shift-invariant: compare with "
                "np.allclose, not ==, since sums in a different order differ by rounding")
    return None

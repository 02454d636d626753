"""Checks for the exercises of notebook 07 (the kernel playground)."""
from __future__ import annotations

import numpy as np
from scipy import ndimage

from . import call_answer, exercise, kernel_names_or_hint
from ._answers import BANK as KERNELS


@exercise("07.1")
def _shift_right(answer) -> str | None:
    """A 3×3 kernel that, under correlation, moves the picture one pixel to the right."""
    try:
        kernel = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return "answer with a 3×3 kernel: a list of three rows of three numbers, or a NumPy array"
    if kernel.shape != (3, 3):
        return f"the kernel should be 3×3; yours has shape {kernel.shape}"
    rng = np.random.default_rng(501)
    image = rng.uniform(0, 255, size=(9, 12))
    result = ndimage.correlate(image, kernel, mode="constant")
    # Moved right by one: each pixel shows its left neighbour; column 0 sees the zero border.
    expected = np.zeros_like(image)
    expected[:, 1:] = image[:, :-1]
    if np.allclose(result, expected):
        return None
    moved_left = np.zeros_like(image)
    moved_left[:, :-1] = image[:, 1:]
    if np.allclose(result, moved_left):
        return (
            "that moves the picture to the left: in correlation, the weight in column c of the "
            "kernel reads the input pixel c − 1 columns to the right of the output pixel"
        )
    if np.allclose(result, image):
        return (
            "that kernel leaves the picture where it is: a single 1 in the centre is the identity. "
            "Put the 1 where each output pixel reads its left neighbour"
        )
    if not np.isclose(kernel.sum(), 1.0):
        return f"your weights sum to {kernel.sum():g}; a pure move keeps every brightness, so they must sum to 1"
    if np.count_nonzero(kernel) > 1:
        return "your kernel mixes several pixels (a blur); each output pixel should copy exactly one input pixel"
    return "that moves the picture, but not one pixel to the right; try it in the playground's nine weight boxes"


@exercise("07.2")
def _negated_by_the_turn(answer) -> str | None:
    """The bank kernels whose 180° rotation is minus the kernel: convolve = -correlate."""
    names, hint = kernel_names_or_hint(answer, '{"sharpen"} (or an empty set)')
    if hint:
        return hint
    turned = {name: np.rot90(k, 2) for name, k in KERNELS.items()}
    expected = {name for name, k in KERNELS.items() if np.array_equal(turned[name], -k)}
    unchanged = {name for name, k in KERNELS.items() if np.array_equal(turned[name], k)}
    if names & unchanged:
        return (
            "at least one kernel in your set is its own 180° rotation: switching to convolve does not "
            "change its output at all, let alone flip its sign"
        )
    if names - expected:
        return (
            "at least one kernel in your set changes under the turn but not into its negative; "
            "compare its centre weight before and after"
        )
    missing = len(expected - names)
    if missing:
        what = ("1 kernel that turns into its own negative is" if missing == 1
                else f"{missing} kernels that turn into their own negative are")
        return f"{what} missing; switch between correlate and convolve in the playground and compare the outputs"
    return None


#: Calls that compute the 1-D convolution (or one of its values) for the student.
_ONE_D_SHORTCUTS = [
    "np.convolve",
    "np.correlate",
    "np.polymul",
    "scipy.signal.convolve",
    "scipy.signal.correlate",
    "scipy.signal.fftconvolve",
    "scipy.signal.oaconvolve",
    "scipy.ndimage.convolve1d",
    "scipy.ndimage.correlate1d",
    "helpers.signals.slide_1d",
]


def _one_term_short(signal: np.ndarray, kernel: np.ndarray, n: int, value: float) -> str | None:
    """A hint when ``value`` is y[n] with the first or last term of a loop left out (a range one short)."""
    terms = [(j, signal[j] * kernel[n - j]) for j in range(len(signal)) if 0 <= n - j < len(kernel)]
    total = sum(t for _, t in terms)
    if len(terms) < 2:  # one term only: a missing term is the kernel hanging over an end, hinted below
        return None
    for j, term in terms:
        if term != 0 and np.isclose(value, total - term) and (j in (0, len(signal) - 1) or n - j in (0, len(kernel) - 1)):
            return (
                f"at n = {n} one product is missing (signal[{j}] × kernel[{n - j}]): a range stops one short; "
                "range(len(signal)) runs j from 0 to len(signal) − 1, and the kernel index n − j from 0 to "
                "len(kernel) − 1"
            )
    return None


@exercise(
    "07.3",
    wants_function=True,
    asks="add up the products yourself",
    allows=["np.flip", "np.fliplr", "np.flipud"],
    ruled_out=_ONE_D_SHORTCUTS,
)
def _output_at(answer) -> str | None:
    """y[n] = sum_j x[j] k[n - j] of the full 1-D convolution, compared with np.convolve.

    The cases are not the notebook's step and [1, 0, -1]: random signals, kernels of
    lengths 1 to 5 that are not symmetric, and every n including those where the
    kernel hangs over an end of the signal.
    """
    rng = np.random.default_rng(503)
    cases = [(rng.normal(size=9), rng.normal(size=3)), (rng.normal(size=6), rng.normal(size=4)),
             (rng.integers(-3, 4, size=7).astype(float), np.array([1.0, 2.0, 3.0, 4.0, 5.0])),
             (rng.normal(size=4), np.array([2.5])), (rng.normal(size=3), rng.normal(size=5))]
    for signal, kernel in cases:
        full = np.convolve(signal, kernel)
        unflipped = np.convolve(signal, kernel[::-1])
        for n in range(len(full)):
            result = call_answer(answer, signal.copy(), kernel.copy(), n, what="output_at")
            try:
                value = float(result)
            except (TypeError, ValueError):
                return f"output_at should return one number; it returned a {type(result).__name__}"
            if np.isclose(value, full[n]):
                continue
            if np.isclose(value, unflipped[n]) and not np.isclose(unflipped[n], full[n]):
                return "you slid the kernel without flipping it: that is correlation, not convolution"
            short = _one_term_short(signal, kernel, n, value)
            if short:
                return short
            inner = range(len(kernel) - 1, len(signal))  # where the kernel lies wholly on the signal
            inner_values = [float(call_answer(answer, signal.copy(), kernel.copy(), m, what="output_at")) for m in inner]
            if not np.isclose(full[n], 0) and all(
                    np.isclose(v, value / full[n] * full[m]) for v, m in zip(inner_values, inner, strict=True)):
                return (f"every output is {value / full[n]:.4g} times the right one: add each product "
                        "x[j]·k[n − j] once, with no weight, average or extra factor")
            edge_only = all(np.isclose(v, full[m]) for v, m in zip(inner_values, inner, strict=True))
            if (n < len(kernel) - 1 or n >= len(signal)) and edge_only:
                return (
                    f"wrong at n = {n}, where the kernel hangs over an end of the signal: "
                    "count the missing positions as 0 and skip them (a negative index in Python "
                    "reads from the other end)"
                )
            return f"wrong at n = {n} for a signal of length {len(signal)} and a kernel of length {len(kernel)}"
    return None

"""Checks for the exercises of notebook 06 (the frequency view).

06.1  ``response_at(kernel, frequency)``: a kernel's signed response, measured by filtering stripes;
06.2  ``predicted_response(row, frequency)``: the same number predicted from the weights, Σ w(n) cos(2π f n);
06.3  ``stripe_remover``: a kernel that removes stripes of period 4 pixels and keeps flat areas and coarse stripes.
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage

from ..kernels import box, gaussian
from . import call_answer, exercise, ruled

# --------------------------------------------------------------------------- 06.1 the response, measured


def _response_cases() -> list[tuple[str, np.ndarray, float]]:
    """(name, kernel, frequency): kernels and frequencies the notebook does not show, some with inverted stripes."""
    rng = np.random.default_rng(606)
    half = rng.uniform(-1, 1, size=3)
    symmetric = np.r_[half, rng.uniform(-1, 1), half[::-1]][np.newaxis, :]  # 1×7, symmetric left to right
    return [
        ("the 3×3 box", box(3), 0.1),
        ("the 3×3 box", box(3), 0.45),  # inverted: −0.29
        ("the 7×7 box", box(7), 0.2),  # inverted
        ("the 5×5 Gaussian of σ = 1", gaussian(5, 1.0), 0.25),
        ("the row [1, 2, 1] / 4", np.array([[0.25, 0.5, 0.25]]), 0.4),
        ("the Laplacian", np.array([[0.0, 1, 0], [1, -4, 1], [0, 1, 0]]), 0.35),  # negative everywhere but 0
        ("a random symmetric 1×7 kernel", symmetric, 0.15),
    ]


def _expected_response(kernel: np.ndarray, frequency: float) -> float:
    """Σ_m Σ_n k(m, n) cos(2π f n), n from the centre column: written out here, independent of helpers.stripes."""
    offsets = np.arange(kernel.shape[1]) - kernel.shape[1] // 2
    return float(np.sum(kernel * np.cos(2 * np.pi * frequency * offsets)[np.newaxis, :]))


_FOURIER_CALLS = (
    "np.fft.fft", "np.fft.rfft", "np.fft.fft2", "np.fft.rfft2", "np.fft.fftn",
    "scipy.fft.fft", "scipy.fft.rfft", "scipy.fft.fft2", "scipy.fft.rfft2",
    "helpers.spectra.frequency_response", "helpers.stripes.fourier_response", "helpers.stripes.measured_response",
)


@exercise(
    "06.1",
    wants_function=True,
    asks="measure the response by filtering stripes",
    allows=["helpers.correlate", "helpers.stripes.stripes", "cv2.filter2D", "ndimage.correlate"],
    ruled_out=[ruled(name) for name in _FOURIER_CALLS],
)
def _response_at(answer) -> str | None:
    """The signed response of a kernel at a frequency: output amplitude over input amplitude."""
    cases = _response_cases()
    results = []
    for name, kernel, frequency in cases:
        value = call_answer(answer, kernel.copy(), frequency)
        try:
            number = float(np.asarray(value, dtype=float).reshape(()))
        except (TypeError, ValueError):
            return (
                f"return one number, the ratio of the output's amplitude to the input's; "
                f"for {name} you returned {type(value).__name__} {np.shape(value)}"
            )
        if not np.isfinite(number):
            return f"for {name} at {frequency} cycles per pixel your function returned {number}: return a finite ratio"
        results.append(number)
    expected = [_expected_response(kernel, frequency) for _, kernel, frequency in cases]
    for (name, _, frequency), got, want in zip(cases, results, expected, strict=True):
        if abs(got - want) <= 1e-6 * max(1.0, abs(want)):
            continue
        if want < 0 and abs(got - abs(want)) <= 1e-3 * max(1.0, abs(want)):
            return (
                f"for {name} at {frequency} cycles per pixel the stripes come back with light and dark swapped, "
                "but your answer is positive: keep the sign (compare the output with the input, not only their sizes)"
            )
        if all(abs(g + w) <= 1e-3 * max(1.0, abs(w)) for g, w in zip(results, expected, strict=True)):
            return "every answer has the wrong sign: the ratio is output over input, positive when the stripes keep their place"
        if abs(got - want) <= 0.05 * max(1.0, abs(want)):
            return (
                f"close, but not exact for {name} at {frequency} cycles per pixel: stripes that do not fit a whole "
                "number of times into the image break at the wrapped border; use stripes(frequency) (120 pixels wide) "
                'and border="wrap"'
            )
        return (
            f"for {name} at {frequency} cycles per pixel your answer is {got:.3f}, which is not the ratio of the "
            "output's amplitude to the input's; filter stripes of that frequency and compare the two"
        )
    return None


# --------------------------------------------------------------------------- 06.2 the response, predicted


def _row_cases() -> list[tuple[str, np.ndarray, float]]:
    """(name, row of weights, frequency): rows the notebook does not show, one of them not symmetric."""
    rng = np.random.default_rng(662)
    half = rng.uniform(-1, 1, size=3)
    return [
        ("the row [1, 1, 1] / 3", np.full(3, 1 / 3), 0.45),  # inverted
        ("the row [1, 2, 1] / 4", np.array([0.25, 0.5, 0.25]), 0.2),
        ("the row [1, 4, 6, 4, 1] / 16", np.array([1.0, 4, 6, 4, 1]) / 16, 0.35),
        ("a random symmetric row of 7", np.r_[half, rng.uniform(-1, 1), half[::-1]], 0.15),
        ("a random row of 5 that is not symmetric", rng.uniform(-1, 1, size=5), 0.3),
        ("the row [1, 2, 1] / 4", np.array([0.25, 0.5, 0.25]), 0.0),
    ]


def _cosine_sum(row: np.ndarray, frequency: float, offsets: np.ndarray, wave=np.cos, turn: float = 2 * np.pi) -> float:
    return float(np.sum(row * wave(turn * frequency * offsets)))


_FILTER_CALLS = (
    "helpers.correlate", "helpers.convolve", "np.convolve", "np.correlate",
    "scipy.ndimage.correlate", "scipy.ndimage.convolve", "scipy.ndimage.correlate1d", "scipy.ndimage.convolve1d",
    "scipy.signal.convolve", "scipy.signal.correlate", "cv2.filter2D",
)


@exercise(
    "06.2",
    wants_function=True,
    asks="predict the response from the weights, without filtering stripes or taking a transform",
    ruled_out=[ruled(name) for name in _FILTER_CALLS + _FOURIER_CALLS],
)
def _predicted_response(answer) -> str | None:
    """H(f) = Σ_n w(n) cos(2π f n), n counted from the centre tap, for a row of an odd number of weights."""
    for name, row, frequency in _row_cases():
        value = call_answer(answer, row.copy(), frequency)
        try:
            got = float(np.asarray(value, dtype=float).reshape(()))
        except (TypeError, ValueError):
            return f"return one number, the predicted response; for {name} you returned {type(value).__name__} {np.shape(value)}"
        centred = np.arange(row.size) - row.size // 2
        want = _cosine_sum(row, frequency, centred)
        scale = float(np.sum(np.abs(row)))  # the largest the sum can be: float32 rounds at about 1e-7 of it
        if abs(got - want) <= 1e-6 * max(scale, abs(want), 1e-3):
            continue
        near = 1e-5 * max(scale, abs(want), 1.0)
        if abs(got - _cosine_sum(row, frequency, np.arange(row.size))) <= near:
            return (
                f"for {name} at {frequency} cycles per pixel: count the offsets n from the centre tap "
                f"(−{row.size // 2} … {row.size // 2}), not from the first one"
            )
        if abs(got - _cosine_sum(row, frequency, centred, turn=1.0)) <= near:
            return "the cosine's argument is 2π · f · n: f counts cycles per pixel, and one cycle is 2π"
        if abs(got - _cosine_sum(row, frequency, centred, wave=np.sin)) <= near:
            return "use the cosine: stripes cos(2π f j) through the weights give Σ w(n) cos(2π f n)"
        if want < 0 and abs(got - abs(want)) <= near:
            return f"for {name} at {frequency} cycles per pixel the prediction is negative (inverted stripes): keep the sign"
        return (
            f"for {name} at {frequency} cycles per pixel your prediction is {got:.4f}, which is not Σ w(n) cos(2π f n); "
            "check it against measured_response for a row of your own"
        )
    return None


# --------------------------------------------------------------------------- 06.3 remove one stripe pattern

#: The stripes to remove (period 4 pixels) and the coarse stripes to keep (period 20 pixels).
REMOVE, KEEP = 0.25, 0.05


@exercise("06.3")
def _stripe_remover(answer) -> str | None:
    """A kernel with weights summing to 1 that removes f = 0.25 stripes and keeps at least 80 % of f = 0.05."""
    try:
        kernel = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return "answer with a kernel: a list of numbers (one row), a list of rows, or a NumPy array"
    if kernel.ndim == 1:
        kernel = kernel[np.newaxis, :]
    if kernel.ndim != 2 or kernel.size == 0:
        return f"answer with a row of weights or a 2-D kernel; yours has shape {np.shape(answer)}"
    if not np.all(np.isfinite(kernel)):
        return "every weight should be a finite number"
    if kernel.shape[0] % 2 == 0 or kernel.shape[1] % 2 == 0:
        return f"give the kernel an odd height and width, so it has a centre; yours is {kernel.shape[0]}×{kernel.shape[1]}"
    if max(kernel.shape) > 41:
        return "keep the kernel at most 41 pixels wide; a few taps are enough"
    if not np.isclose(kernel.sum(), 1.0):
        return f"a flat picture must stay as it is, so the weights must sum to 1; yours sum to {kernel.sum():g}"

    def contrast_kept(frequency: float) -> tuple[float, float]:
        """(in place, in all): the part of the stripes that comes back where it was, and their whole amplitude.

        Stripes at several phases (a kernel can hide stripes at one phase only by luck), wrapped around;
        a kernel that only moves the stripes keeps their amplitude, so the amplitude is measured too.
        """
        in_place, amplitude = [], []
        for phase in (0.0, 0.7, np.pi / 2, 2.0):
            row = np.cos(2 * np.pi * frequency * np.arange(120) + phase)
            image = np.tile(row, (max(9, kernel.shape[0]), 1))
            out = ndimage.correlate(image, kernel, mode="wrap")
            in_place.append(np.sum(out * image) / np.sum(image * image))
            amplitude.append(np.sqrt(np.sum(out * out) / np.sum(image * image)))
        return float(np.mean(in_place)), float(np.max(amplitude))

    removed, left = contrast_kept(REMOVE)
    if abs(removed) > 1e-6:
        swapped = " (inverted: light and dark swapped)" if removed < 0 else ""
        return (
            f"stripes of period 4 pixels still come back with {abs(removed):.0%} of their contrast{swapped}; "
            "choose weights whose sum of w(n)·cos(2π · 0.25 · n) is 0"
        )
    if left > 1e-6:
        return (
            f"stripes of period 4 pixels are moved sideways, not removed: they come back shifted with {left:.0%} "
            "of their contrast; the weights must cancel them, so make them symmetric about the centre "
            "(w(−n) = w(n)) with Σ w(n)·cos(2π · 0.25 · n) = 0"
        )
    coarse, _ = contrast_kept(KEEP)
    if coarse < 0.8:
        return (
            f"the period-4 stripes are gone, but stripes of period 20 pixels keep only {coarse:.0%} of their contrast; "
            "they should keep at least 80 %: use fewer, closer taps"
        )
    return None

"""Checks for the exercises of notebook 06 (the frequency view).

06.1  ``response_at(kernel, frequency)``: a kernel's complex response H = a + ib, measured by filtering stripes
      (magnitude |H|: how much of the stripes survive; phase angle(H): how far they move);
06.2  ``predicted_response(row, frequency)``: the same number predicted from the weights, Σ w(n) e^(2πi f n);
06.3  ``stripe_remover``: a kernel that removes stripes of period 4 pixels (|H(0.25)| = 0, not only the part
      of the output in step with the input) and keeps flat areas and coarse stripes.
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage

from ..kernels import box, gaussian
from . import call_answer, exercise, ruled

# --------------------------------------------------------------------------- 06.1 the response, measured


def _response_cases() -> list[tuple[str, np.ndarray, float]]:
    """(name, kernel, frequency): kernels and frequencies the notebook does not show, some with inverted
    stripes, some not symmetric about their centre (they move the stripes)."""
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
        ("Sobel-x", np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]), 0.2),  # moves the stripes: H = 8i sin 2πf
        ("the row [0.6, 0.3, 0.1]", np.array([[0.6, 0.3, 0.1]]), 0.15),  # neither symmetric nor antisymmetric
        ("a random 3×5 kernel", rng.uniform(-1, 1, size=(3, 5)), 0.35),
    ]


def _expected_response(kernel: np.ndarray, frequency: float) -> complex:
    """Σ_m Σ_n k(m, n) e^(2πi f n), n from the centre column: written out here, independent of helpers.stripes.

    Correlation reads the pixel n columns to the right with the weight k(·, n), so stripes cos(2π f j)
    come out as Re(H e^(2πi f j)) = |H| cos(2π f j + angle H)."""
    offsets = np.arange(kernel.shape[1]) - kernel.shape[1] // 2
    return complex(np.sum(kernel * np.exp(2j * np.pi * frequency * offsets)[np.newaxis, :]))


def _as_complex(value) -> complex | None:
    """One number (real or complex) as a complex, or None when the value is not one number."""
    try:
        return complex(np.asarray(value, dtype=complex).reshape(()))
    except (TypeError, ValueError):
        return None


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
    """The complex response H = a + ib of a kernel at a frequency: |H| the amplitude ratio, angle(H) the shift."""
    cases = _response_cases()
    results = []
    for name, kernel, frequency in cases:
        value = call_answer(answer, kernel.copy(), frequency, allow_complex=True)
        number = _as_complex(value)
        if number is None:
            return (
                f"return one number, the complex response a + ib (1j is i in Python); "
                f"for {name} you returned {type(value).__name__} {np.shape(value)}"
            )
        if not np.isfinite(number):
            return f"for {name} at {frequency} cycles per pixel your function returned {number}: return a finite number"
        results.append(number)
    expected = [_expected_response(kernel, frequency) for _, kernel, frequency in cases]
    if all(abs(g + w) <= 1e-3 * max(1.0, abs(w)) for g, w in zip(results, expected, strict=True)):
        return "every answer has the wrong sign: the ratio is output over input, positive when the stripes keep their place"
    for (name, _, frequency), got, want in zip(cases, results, expected, strict=True):
        scale = max(1.0, abs(want))
        if abs(got - want) <= 1e-6 * scale:
            continue
        near = 1e-3 * scale
        moves = abs(want.imag) > near
        if moves and abs(got - want.real) <= near:
            return (
                f"for {name} at {frequency} cycles per pixel you returned only the part of the output in step with "
                f"the input ({want.real:.3f}); this kernel also moves the stripes, so part of the output is in step "
                "with the stripes a quarter period later: measure that part too (b = −Σ out · sin / Σ sin · sin) "
                "and return a + ib"
            )
        if moves and abs(got - want.conjugate()) <= near:
            return (
                f"for {name} at {frequency} cycles per pixel the magnitude is right but the phase has the wrong "
                "sign: the output is a·cos − b·sin, so b = −Σ out · sin / Σ sin · sin"
            )
        if moves and abs(abs(got) - abs(want)) <= near:
            return (
                f"for {name} at {frequency} cycles per pixel the magnitude |H| = {abs(want):.3f} is right but the "
                "phase is not: H = a + ib with a from the part of the output in step with cos and b from the part "
                "in step with sin"
            )
        if not moves and want.real < 0 and abs(got - abs(want)) <= near:
            return (
                f"for {name} at {frequency} cycles per pixel the stripes come back with light and dark swapped, "
                "but your answer is positive: keep the sign (compare the output with the input, not only their sizes)"
            )
        if abs(got - want) <= 0.05 * scale:
            return (
                f"close, but not exact for {name} at {frequency} cycles per pixel: stripes that do not fit a whole "
                "number of times into the image break at the wrapped border; use stripes(frequency) (120 pixels wide) "
                'and border="wrap"'
            )
        return (
            f"for {name} at {frequency} cycles per pixel your answer is {got:.3f}, which is not the response: "
            "filter stripes of that frequency and compare the output with the input (a) and with the same stripes "
            "a quarter period later (b)"
        )
    return None


# --------------------------------------------------------------------------- 06.2 the response, predicted


def _row_cases() -> list[tuple[str, np.ndarray, float]]:
    """(name, row of weights, frequency): rows the notebook does not show, two of them not symmetric."""
    rng = np.random.default_rng(662)
    half = rng.uniform(-1, 1, size=3)
    return [
        ("the row [1, 1, 1] / 3", np.full(3, 1 / 3), 0.45),  # inverted
        ("the row [1, 2, 1] / 4", np.array([0.25, 0.5, 0.25]), 0.2),
        ("the row [1, 4, 6, 4, 1] / 16", np.array([1.0, 4, 6, 4, 1]) / 16, 0.35),
        ("a random symmetric row of 7", np.r_[half, rng.uniform(-1, 1), half[::-1]], 0.15),
        ("the row [-1, 0, 1]", np.array([-1.0, 0, 1]), 0.1),
        ("a random row of 5 that is not symmetric", rng.uniform(-1, 1, size=5), 0.3),
        ("the row [1, 2, 1] / 4", np.array([0.25, 0.5, 0.25]), 0.0),
    ]


def _wave_sum(row: np.ndarray, frequency: float, offsets: np.ndarray, sign: float = 1.0,
              turn: float = 2 * np.pi) -> complex:
    """Σ w(n) e^(sign · i · turn · f · n) over the given offsets."""
    return complex(np.sum(row * np.exp(sign * 1j * turn * frequency * offsets)))


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
    """H(f) = Σ_n w(n) e^(2πi f n) = Σ w(n) cos(2π f n) + i Σ w(n) sin(2π f n), n counted from the centre tap."""
    for name, row, frequency in _row_cases():
        value = call_answer(answer, row.copy(), frequency, allow_complex=True)
        got = _as_complex(value)
        if got is None:
            return (
                "return one number, the predicted response (a complex number; 1j is i in Python); "
                f"for {name} you returned {type(value).__name__} {np.shape(value)}"
            )
        centred = np.arange(row.size) - row.size // 2
        want = _wave_sum(row, frequency, centred)
        scale = float(np.sum(np.abs(row)))  # the largest the sum can be: float32 rounds at about 1e-7 of it
        if abs(got - want) <= 1e-6 * max(scale, abs(want), 1e-3):
            continue
        near = 1e-5 * max(scale, abs(want), 1.0)
        if abs(got - _wave_sum(row, frequency, np.arange(row.size))) <= near:
            return (
                f"for {name} at {frequency} cycles per pixel the magnitude is right but the phase is not: count the "
                f"offsets n from the centre tap (−{row.size // 2} … {row.size // 2}), not from the first one"
            )
        if abs(got - _wave_sum(row, frequency, centred, turn=1.0)) <= near:
            return "the argument is 2π · f · n: f counts cycles per pixel, and one cycle is 2π"
        if abs(got - want.real) <= near:
            return (
                f"for {name} at {frequency} cycles per pixel you gave only the cosine sum, the real part; this row "
                "is not symmetric, so add i · Σ w(n) sin(2π f n)"
            )
        if abs(got - _wave_sum(row, frequency, centred, sign=-1.0)) <= near:
            return (
                f"for {name} at {frequency} cycles per pixel the phase has the wrong sign: correlation weighs the "
                "pixel n to the right with w(n), which gives Σ w(n) e^(+2πi f n)"
            )
        if abs(got - 1j * want.imag) <= near:
            return "that is only the sine part: H = Σ w(n) cos(2π f n) + i Σ w(n) sin(2π f n)"
        if want.real < 0 and abs(want.imag) < near and abs(got - abs(want)) <= near:
            return f"for {name} at {frequency} cycles per pixel the prediction is negative (inverted stripes): keep the sign"
        return (
            f"for {name} at {frequency} cycles per pixel your prediction is {got:.4f}, which is not Σ w(n) e^(2πi f n); "
            "check it against measured_response for a row of your own"
        )
    return None


# --------------------------------------------------------------------------- 06.3 remove one stripe pattern

#: The stripes to remove (period 4 pixels) and the coarse stripes to keep (period 20 pixels).
REMOVE, KEEP = 0.25, 0.05


def _response_of(kernel: np.ndarray, frequency: float) -> complex:
    """H = a + ib measured on wrapped stripes with SciPy (independent of helpers.stripes):
    a = Σ out · cos / Σ cos², b = −Σ out · sin / Σ sin² (0 where the sine stripes vanish)."""
    columns = np.arange(120)
    cosine = np.tile(np.cos(2 * np.pi * frequency * columns), (max(9, kernel.shape[0]), 1))
    sine = np.tile(np.sin(2 * np.pi * frequency * columns), (max(9, kernel.shape[0]), 1))
    out = ndimage.correlate(cosine, kernel, mode="wrap")
    a = np.sum(out * cosine) / np.sum(cosine * cosine)
    sine_power = np.sum(sine * sine)
    b = 0.0 if sine_power < 1e-9 * sine.size else -np.sum(out * sine) / sine_power
    return complex(a, b)


@exercise("06.3")
def _stripe_remover(answer) -> str | None:
    """A kernel with weights summing to 1 whose response has |H(0.25)| = 0 and |H(0.05)| ≥ 0.8.

    The magnitude, not the in-phase part Re H: a kernel that only moves the stripes (a one-hot shift,
    or an uneven pair such as [0.7, 0, 0.3]) has Re H(0.25) = 0 but keeps |H| of their contrast."""
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

    left = _response_of(kernel, REMOVE)
    if abs(left) > 1e-6:
        if abs(left.real) <= 1e-6:
            return (
                f"stripes of period 4 pixels are moved sideways, not removed: nothing of them stays in place, but "
                f"they come back shifted with |H| = {abs(left):.0%} of their contrast; choose weights whose "
                "response has magnitude 0 at 0.25 cycles per pixel"
            )
        swapped = " (inverted: light and dark swapped)" if left.real < 0 and abs(left.imag) <= 1e-6 else ""
        return (
            f"stripes of period 4 pixels still come back with |H| = {abs(left):.0%} of their contrast{swapped}; "
            "choose weights whose sum of w(n)·e^(2πi · 0.25 · n) is 0"
        )
    coarse = abs(_response_of(kernel, KEEP))
    if coarse < 0.8:
        return (
            f"the period-4 stripes are gone, but stripes of period 20 pixels keep only {coarse:.0%} of their contrast; "
            "they should keep at least 80 %: use fewer, closer taps"
        )
    return None

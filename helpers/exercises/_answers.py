"""Reading what a student's function returned (shared by the checks of notebooks 02-04)."""
from __future__ import annotations

import numpy as np

from ..kernels import KERNELS
from . import Hint

#: The series' kernel bank as it was when the checks were imported: a student who changes
#: helpers.KERNELS (a name, a value) changes the notebook, not what the checks expect.
BANK: dict[str, np.ndarray] = {name: np.array(kernel, copy=True) for name, kernel in KERNELS.items()}
for _kernel in BANK.values():
    _kernel.flags.writeable = False


def array_or_hint(result, what: str = "your function") -> np.ndarray:
    """``result`` as a NumPy array of numbers, or raise :class:`Hint` saying what came back instead."""
    try:
        array = np.asarray(result)
    except Exception:  # an object NumPy cannot read
        array = None
    if array is None or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise Hint(f"{what} should return a NumPy array of numbers; it returned a {type(result).__name__}")
    return array


def close_on_scale(result: np.ndarray, expected: np.ndarray, rtol: float = 1e-7) -> bool:
    """True when ``result`` equals ``expected`` to ``rtol`` of the output's own scale (its largest value)."""
    scale = float(np.abs(expected).max()) if expected.size else 1.0
    return bool(np.allclose(result, expected, rtol=rtol, atol=rtol * (scale or 1.0)))


def number_type_hint(result: np.ndarray, expected: np.ndarray) -> str | None:
    """A hint for values that are wrong only because of their number type (whole numbers), or None."""
    if result.dtype.kind in "iub" and expected.dtype.kind == "f" and not np.allclose(expected, np.rint(expected)):
        return (
            f"your result has dtype {result.dtype}, so every value was cut to a whole number (1/9 becomes 0): "
            "make the output array float64, e.g. np.zeros(shape), not np.zeros(shape, dtype=int) or "
            "np.zeros_like of a whole-number array"
        )
    return None


def scaled_hint(result: np.ndarray, expected: np.ndarray) -> str | None:
    """A hint when ``result`` is the right answer times one constant, or plus one constant; else None.

    Times a constant: the kernel was normalised, scaled or divided (or a sign
    flipped); plus a constant: something was added to every output.
    """
    flat_result, flat_expected = np.ravel(result).astype(np.float64), np.ravel(expected).astype(np.float64)
    energy = float(flat_expected @ flat_expected)
    if flat_result.shape != flat_expected.shape or energy == 0:
        return None
    factor = float(flat_result @ flat_expected) / energy
    if abs(factor - 1) > 1e-6 and abs(factor) > 1e-9 and close_on_scale(flat_result, factor * flat_expected, 1e-6):
        if abs(factor + 1) <= 1e-6:
            return "every value has the wrong sign: check the sign of each term (a kernel turned or subtracted the wrong way)"
        return (
            f"every value is {factor:.4g} times the right one: use the kernel's weights as they are given "
            "(do not normalise, scale or divide them) and add each product once"
        )
    offset = float(np.mean(flat_result - flat_expected))
    if abs(offset) > 1e-9 and close_on_scale(flat_result, flat_expected + offset, 1e-6):
        return (
            f"every value is off by the same amount ({offset:+.4g}): something extra is added to every output "
            "(a starting value other than 0, or a term counted twice)"
        )
    return None

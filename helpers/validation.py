"""Input checks shared by the public helpers.

Every check raises an error that names the argument and says what was
expected, so a student can act on the message. The checks are kept cheap
(one pass over the data at most) because they run on every slider move.
"""
from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

BORDERS = ("valid", "zero", "replicate", "reflect", "reflect101", "wrap")


def as_numeric_array(value, name: str) -> np.ndarray:
    """Return ``value`` as a NumPy array of real numbers, or raise.

    Raises TypeError for anything that is not numeric (strings, objects,
    complex numbers, booleans) or a masked array with masked values, and
    ValueError for an empty array or a ragged list (rows of different lengths).
    """
    if value is None:
        raise TypeError(f"{name} must be a NumPy array of numbers; got None")
    if isinstance(value, np.ma.MaskedArray):
        _refuse_masked(value, name)
    try:
        array = np.asarray(value)
    except ValueError as error:  # NumPy's "inhomogeneous shape" names no argument
        if "inhomogeneous" not in str(error):
            raise
        raise ValueError(
            f"{name} is a ragged list: its rows (or nested lists) have different lengths, "
            "so it is not a rectangular array of numbers; give every row the same length"
        ) from error
    if array.dtype.kind not in "iuf":  # signed, unsigned, float (not bool, complex, text, ...)
        raise TypeError(
            f"{name} must hold real numbers (integers or floats); got dtype {array.dtype}"
        )
    if array.size == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}); expected at least one pixel")
    return array


def _refuse_masked(value: np.ma.MaskedArray, name: str) -> None:
    """Refuse a masked array that hides something: its mask would be ignored.

    NumPy hands the helpers the numbers under the mask, so a masked pixel
    would silently count with whatever value it hides. With nothing masked
    the data are used as they are.
    """
    count = int(np.ma.count_masked(value))
    if count:
        raise TypeError(
            f"{name} is a masked array with {count} masked values; the helpers would use the "
            f"numbers hidden under the mask. Fill them first, e.g. {name}.filled(0), or pass "
            f"{name}.data to use the hidden numbers on purpose"
        )


def require_finite(array: np.ndarray, name: str) -> None:
    """Raise ValueError if a float array holds NaN or infinity.

    Integer arrays cannot hold either, so they cost nothing. For floats one
    sum is enough in the common case: a sum of finite numbers is finite
    unless it overflows, and only then do we look element by element.
    """
    if array.dtype.kind != "f":
        return
    if np.isfinite(_total_size(array)):
        return
    bad = ~np.isfinite(array)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} contains NaN or infinity (first at index {where}); "
            "expected finite numbers only"
        )


def _total_size(array: np.ndarray) -> float:
    """sum |x| over the array: NaN or infinite when an element is (or when it overflows).

    OpenCV's L1 norm reads the data in one pass, about twice as fast as
    np.add.reduce, which matters on every call of correlate; it takes 32- and
    64-bit floats laid out in one block, and NumPy does the rest.
    """
    if (
        array.dtype in (np.float32, np.float64)
        and array.ndim >= 1
        and array.flags.c_contiguous
        and array.size < 2**31
    ):
        return cv2.norm(array.reshape(array.shape[0], -1), cv2.NORM_L1)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow (or inf - inf) is checked element by element
        return np.add.reduce(array, axis=None)


def largest_size(array: np.ndarray) -> float:
    """max |x| over a finite array (one fast pass through OpenCV when it can)."""
    if (
        array.dtype in (np.float32, np.float64)
        and array.ndim >= 1
        and array.flags.c_contiguous
        and array.size < 2**31
    ):
        return float(cv2.norm(array.reshape(array.shape[0], -1), cv2.NORM_INF))
    return float(max(abs(float(array.max())), abs(float(array.min()))))


def check_image(image) -> np.ndarray:
    """Validate an image: 2-D grey (H×W) or 3-D colour (H×W×C), finite numbers."""
    array = as_numeric_array(image, "image")
    if array.ndim not in (2, 3):
        raise ValueError(
            f"image must be 2-D (grey, H×W) or 3-D (colour, H×W×C); got {array.ndim}-D "
            f"with shape {array.shape}"
        )
    require_finite(array, "image")
    return array


def check_kernel(kernel, name: str = "kernel") -> np.ndarray:
    """Validate a kernel: 2-D, odd height and width, finite numbers; return float64.

    ``name`` is what the messages call it ("kernels[2]" for one of a list).
    """
    array = as_numeric_array(kernel, name)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (height × width); got {array.ndim}-D with shape {array.shape}"
        )
    height, width = array.shape
    if height % 2 == 0 or width % 2 == 0:
        raise ValueError(
            f"{name} must have odd height and width so it has a centre pixel; "
            f"got {height}×{width}"
        )
    require_finite(array, name)
    return array.astype(np.float64, copy=False)


def check_choice(value, name: str, choices: tuple[str, ...]) -> str:
    """Raise ValueError unless ``value`` is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}; expected one of {options}")
    return value


#: The largest size a sum of products may reach before the helpers refuse it:
#: float64 ends at 1.8e308, and below 1e300 no sum of the helpers' sizes can overflow.
RESULT_LIMIT = 1e300


def check_product_size(values: np.ndarray, values_name: str, weight_total: float, weights_name: str,
                       extra: float = 0.0) -> None:
    """Refuse values and weights whose weighted sums could pass RESULT_LIMIT.

    No sum Σ values · weights (nor any partial sum of it) can exceed
    max|values| · sum|weights| (+ ``extra``, e.g. the largest bias) in size,
    so below the limit nothing overflows; above it the answer could be
    infinite, and a ValueError naming both arguments says so.
    """
    peak = largest_size(values) if values.size else 0.0
    bound = peak * weight_total + extra
    if bound > RESULT_LIMIT:
        amount = f"{bound:.3g}" if np.isfinite(bound) else "beyond float64's range"
        raise ValueError(
            f"{values_name} and {weights_name} give results too large to compute: the largest value "
            f"of {values_name} ({peak:.3g}) times the total size of {weights_name} ({weight_total:.3g}) "
            f"is {amount}, above the limit of {RESULT_LIMIT:g} (float64 ends at 1.8e308). "
            f"Scale {values_name} or {weights_name} down"
        )


def check_total_size(array: np.ndarray, name: str) -> None:
    """Refuse weights whose total size sum |x| passes RESULT_LIMIT: no sum of them times numbers up to 1 could be trusted.

    For a kernel applied to values of size 1 at most (stripes, a unit impulse),
    every result is bounded by sum |kernel|, so below the limit nothing overflows.
    """
    total = float(absolute_total(array))
    if total > RESULT_LIMIT:
        amount = f"{total:.3g}" if np.isfinite(total) else "beyond float64's range"
        raise ValueError(
            f"{name} is too large: its values add up to {amount} in size (the sum of |{name}|), above the limit "
            f"of {RESULT_LIMIT:g} (float64 ends at 1.8e308), so its results could overflow. Scale {name} down"
        )


def scaled_difference(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, int]:
    """(d, e) with a - b = d · 2^e exactly up to rounding, and |d| <= 2 (no overflow).

    Both are multiplied by 2^-e, e the exponent of the largest of max|a| and
    max|b|, a power of two, so (a - b) is found without overflow even when
    a - b itself would pass float64's range (1e308 - (-1e308)).
    """
    peak = max(largest_size(a), largest_size(b))
    if peak == 0:
        return np.zeros(np.broadcast_shapes(a.shape, b.shape)), 0
    exponent = int(np.frexp(peak)[1])
    return np.ldexp(a, -exponent) - np.ldexp(b, -exponent), exponent


def unit_scaled(a: np.ndarray) -> tuple[np.ndarray, int]:
    """(s, e) with a = s · 2^e exactly and max|s| in [0.5, 1) (or a itself, 0 when a is all zero)."""
    peak = largest_size(a)
    if peak == 0:
        return a.astype(np.float64), 0
    exponent = int(np.frexp(peak)[1])
    return np.ldexp(a, -exponent), exponent


def mean_square(scaled: np.ndarray, exponent: int, axis, name: str):
    """mean((scaled · 2^exponent)²) along ``axis`` without a spurious overflow or underflow.

    The squares are taken of the scaled numbers (at most 4) and the power of
    two is put back at the end, exactly; a mean too large for float64 raises
    ValueError naming ``name``.
    """
    with np.errstate(over="ignore"):  # reported below
        mean = np.ldexp(np.mean(scaled * scaled, axis=axis), 2 * exponent)
    if not np.all(np.isfinite(mean)):
        raise ValueError(
            f"{name} is too large to represent: the mean of the squares passes float64's 1.8e308 "
            "(the differences are above about 1.3e154). Scale the inputs down"
        )
    return mean


#: Where a process finds its cgroup's memory limit: cgroup v2's memory.max ("max" when there is
#: none), then cgroup v1's memory.limit_in_bytes (a number near 2^63 when there is none).
CGROUP_MEMORY_LIMITS = (
    Path("/sys/fs/cgroup/memory.max"),
    Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
)

#: A cgroup "limit" this large means no limit (cgroup v1 writes 2^63 rounded down to a page).
_NO_LIMIT = 2**60


def cgroup_limit_bytes() -> int | None:
    """The memory limit of this process's cgroup in bytes, or None where there is none (or no cgroup).

    On a JupyterHub or Binder pod this is the pod's memory, often a few GiB on a
    host of hundreds: what the process may use before the kernel stops it.
    """
    for path in CGROUP_MEMORY_LIMITS:
        try:
            text = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text.isdigit() and int(text) < _NO_LIMIT:
            return int(text)
        if text == "max" or text.isdigit():
            return None
    return None


def available_ram_bytes() -> int:
    """The host's memory available to new allocations: MemAvailable from /proc/meminfo on Linux,
    else the physical memory (64 GiB where the system says neither)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024  # the file counts kB
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return 64 * 2**30


def memory_bytes() -> int:
    """The memory this process may use in bytes: the smaller of its cgroup's limit and the host's available RAM."""
    limit = cgroup_limit_bytes()
    available = available_ram_bytes()
    return available if limit is None else min(limit, available)


def check_allocation(elements: int, name: str, what: str, item_bytes: int = 8) -> None:
    """Refuse, before allocating, an array of ``elements`` numbers larger than the memory this process may use.

    ``name`` is the argument that asked for it and ``what`` says which array
    (e.g. "the 10⁶ × 10⁶ response"); the error gives the size in GiB, so the
    student sees why, instead of a MemoryError (or the system swapping) later.
    The memory is :func:`memory_bytes`: on a hub or Binder pod its cgroup's
    limit, which is often far below the host's RAM.
    """
    needed = int(elements) * item_bytes
    available = memory_bytes()
    if needed > available:
        amount = f"{needed / 2**30:,.1f}" if needed < 2**100 else f"about 10^{len(str(needed // 2**30)) - 1}"
        raise ValueError(
            f"{name} is too large: {what} would need {amount} GiB of memory, "
            f"more than this session may use ({available / 2**30:,.1f} GiB); choose a smaller {name}"
        )


#: The most numbers a Fourier transform may work on, as :func:`fourier_work` counts them: 2^24,
#: a 4096 × 4096 grid or a row of 16.8 million, a second or two of NumPy. Beyond it a transform
#: runs for tens of seconds (a row of 44,427,337 took 33 s and 7 GB), so it is refused before it starts.
FOURIER_LIMIT = 2**24

#: The factors NumPy's FFT (pocketfft) has fast passes for; a length with any other prime factor
#: goes through slower generic passes or Bluestein's method (two transforms of at least twice the length).
_FAST_FACTORS = (2, 3, 5, 7, 11)


def fourier_work(lengths) -> int:
    """Numbers a Fourier transform of these axis lengths works on: Π n, and 4 times that per axis
    whose length has a prime factor other than 2, 3, 5, 7 and 11 (a prime such as 44,427,337).

    >>> fourier_work([4096, 4096]), fourier_work([4099])
    (16777216, 16396)
    """
    work = 1
    for length in lengths:
        rest = int(length)
        for factor in _FAST_FACTORS:
            while rest > 1 and rest % factor == 0:
                rest //= factor
        work *= int(length) * (1 if rest == 1 else 4)
    return work


def check_fourier_size(lengths, name: str, what: str) -> None:
    """Refuse a Fourier transform of these axis lengths that would run for more than a few seconds.

    A rule, not a clock: :func:`fourier_work` must not pass :data:`FOURIER_LIMIT`.
    The error names ``name`` (the argument that chose the lengths) and says how far it may go.
    """
    work = fourier_work(lengths)
    if work > FOURIER_LIMIT:
        shape = " × ".join(str(int(n)) for n in lengths)
        raise ValueError(
            f"{name} is too large: {what} is a Fourier transform of {shape} numbers, which counts as "
            f"{work:,} (lengths with a prime factor above 11 count four times, being slower), more than "
            f"the {FOURIER_LIMIT:,} this helper computes (a few seconds at most); choose a smaller {name}, "
            "best a product of 2, 3 and 5 such as 120 or 4096"
        )


def real_number(value, name: str, expected: str) -> float:
    """``value`` as a finite float, or an error naming ``name`` (``expected`` such as "a number such as 1.5").

    Takes Python and NumPy integers and floats, not booleans or strings. A
    whole number too large for float64 (10**400) and NaN or infinity raise
    ValueError.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be {expected}; got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(
            f"{name} is too large: a whole number of {len(str(abs(int(value))))} digits does not fit "
            f"in a float (up to 1.8e308); expected {expected}"
        ) from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {number} (expected {expected})")
    return number + 0.0  # + 0.0 turns -0.0 into 0.0


def check_seed(seed) -> int:
    """A seed for ``np.random.default_rng``: a whole number, 0 or more."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be a whole number such as 0; got {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be a whole number of 0 or more (NumPy's generators take no negative seed); got {seed}")
    return int(seed)


def absolute_total(array: np.ndarray, axis=None):
    """sum |x| (along ``axis``), infinity rather than a RuntimeWarning when it passes float64's range."""
    with np.errstate(over="ignore"):
        return np.abs(array.astype(np.float64, copy=False)).sum(axis=axis)

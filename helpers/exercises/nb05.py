"""Checks for the exercises of notebook 05 (what kernels do)."""
from __future__ import annotations

import numpy as np

from ..convolution import correlate
from ..images import load_image
from ..kernels import box
from ..noise import add_gaussian_noise, psnr
from . import Hint, call_answer, exercise
from ._answers import BANK


def _size_text(shape) -> str:
    return "×".join(str(s) for s in shape)


def _as_float_array(result, what: str) -> np.ndarray:
    try:
        array = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be a NumPy array of numbers; got a {type(result).__name__}") from None
    if not np.all(np.isfinite(array)):
        raise Hint(f"{what} holds NaN or infinity; check for a division by zero")
    return array


# --------------------------------------------------------------------------- 05.1 the Gaussian kernel


def _gaussian_like(size: int, sigma: float, exponent) -> np.ndarray:
    offsets = np.arange(size) - size // 2
    x, y = np.meshgrid(offsets, offsets)
    weights = np.exp(exponent(x * x + y * y, sigma))
    return weights / weights.sum()


def _gaussian_reference(size: int, sigma: float) -> np.ndarray:
    return _gaussian_like(size, sigma, lambda r2, s: -r2 / (2.0 * s * s))


@exercise(
    "05.1",
    asks="build the Gaussian from its formula",
    ruled_out=[
        "helpers.gaussian",
        "cv2.getGaussianKernel",
        "cv2.GaussianBlur",
        "ndimage.gaussian_filter",
        "signal.windows.gaussian",
    ],
)
def _gaussian_kernel(answer) -> str | None:
    """gaussian_kernel(size, sigma): G = exp(−(x² + y²) / (2σ²)), normalised to sum 1."""
    cases = [(3, 0.8), (7, 1.5), (9, 2.0), (5, 0.6), (11, 1.2), (1, 1.0), (5, 3.0)]
    for size, sigma in cases:
        result = _as_float_array(call_answer(answer, size, sigma), f"gaussian_kernel({size}, {sigma})")
        expected = _gaussian_reference(size, sigma)
        where = f"gaussian_kernel({size}, {sigma})"
        if result.shape != expected.shape:
            return f"{where} should be a {size}×{size} kernel; got shape {result.shape}"
        if np.allclose(result, expected):
            continue
        if not np.isclose(result.sum(), 1.0):
            return (
                f"the weights of {where} sum to {result.sum():.4g}: divide by their sum so a flat picture "
                "keeps its grey level"
            )
        if np.allclose(result, _gaussian_like(size, sigma, lambda r2, s: -r2 / (s * s))):
            return "the weights fall off too fast: the exponent is −(x² + y²) / (2σ²), with the 2"
        if np.allclose(result, _gaussian_like(size, sigma, lambda r2, s: -r2 / (2.0 * s))):
            return "the weights have the wrong width: the exponent divides by 2σ², sigma squared"
        corner = np.arange(size)
        cx, cy = np.meshgrid(corner, corner)
        uncentred = np.exp(-(cx * cx + cy * cy) / (2.0 * sigma * sigma))
        if size > 1 and np.allclose(result, uncentred / uncentred.sum()):
            return "the largest weight should sit in the centre: measure x and y from the centre pixel, not the corner"
        return f"wrong weights for {where}; compare your kernel with the formula at x = 1, y = 0"
    return None


# --------------------------------------------------------------------------- 05.2 gradient magnitude and direction


def _gradient_cases() -> list[np.ndarray]:
    rng = np.random.default_rng(502)
    rows, cols = np.mgrid[0:24, 0:28]
    disk = np.where((rows - 11) ** 2 + (cols - 15) ** 2 <= 8**2, 190.0, 40.0)
    slope = 3.0 * rows - 2.0 * cols + 120.0  # brighter downwards and to the left
    return [disk, slope, rng.uniform(0, 255, size=(13, 17)), rng.integers(0, 256, size=(10, 10)).astype(np.uint8)]


def _same_angles(a: np.ndarray, b: np.ndarray, where: np.ndarray) -> bool:
    return bool(np.all(np.abs(np.angle(np.exp(1j * (a - b))))[where] < 1e-6))


@exercise(
    "05.2",
    asks="compute the magnitude and direction from Gx and Gy yourself",
    allows=["helpers.correlate", "helpers.convolve", "helpers.gradients.sobel_gradients", "cv2.filter2D", "cv2.Sobel",
            "ndimage.correlate", "ndimage.convolve", "ndimage.sobel", "np.linalg.norm"],
    ruled_out=[
        "skimage.filters.sobel",
        "cv2.cartToPolar",
        "cv2.magnitude",
        "cv2.phase",
        "helpers.gradients.gradient_magnitude",
        "helpers.gradients.gradient_direction",
    ],
)
def _gradient(answer) -> str | None:
    """gradient(gray) -> (√(Gx² + Gy²), atan2(Gy, Gx)) of the Sobel responses, replicated border."""
    for gray in _gradient_cases():
        result = call_answer(answer, gray.copy())
        if isinstance(result, np.ndarray) and result.ndim == 3 and result.shape[0] == 2:
            result = (result[0], result[1])  # np.stack([magnitude, direction]) is the pair too
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return "return two arrays, magnitude and direction, as a pair: return magnitude, direction"
        magnitude = _as_float_array(result[0], "the magnitude")
        try:
            direction = np.asarray(result[1], dtype=np.float64)
        except (TypeError, ValueError):
            return f"the direction should be a NumPy array of numbers; got a {type(result[1]).__name__}"
        size = _size_text(gray.shape)
        if magnitude.shape != gray.shape or direction.shape != gray.shape:
            return f"for a {size} image both arrays should be {size}; got {_size_text(magnitude.shape)} and {_size_text(direction.shape)}"
        # the bank as imported: a notebook that changed helpers.KERNELS["sobel_x"] does not change the reference
        gx = correlate(gray.astype(np.float64), BANK["sobel_x"])
        gy = correlate(gray.astype(np.float64), BANK["sobel_y"])
        if not np.all(np.isfinite(direction)):
            if np.all(np.isfinite(direction[gx != 0])):
                return "np.arctan(Gy / Gx) fails where Gx = 0 (and cannot tell left from right): use np.arctan2(Gy, Gx)"
            return "the direction holds NaN or infinity; check for a division by zero"
        right = np.sqrt(gx * gx + gy * gy)
        moving = right > 1e-9  # the direction of a zero gradient is not checked
        if np.allclose(magnitude, right) and _same_angles(direction, np.arctan2(gy, gx), moving):
            continue
        if np.allclose(direction, right) and _same_angles(magnitude, np.arctan2(gy, gx), moving):
            return "the two arrays are the wrong way round: return magnitude first, then direction"
        if not np.allclose(magnitude, right):
            if np.allclose(magnitude, np.abs(gx) + np.abs(gy)):
                return "that is |Gx| + |Gy|, the cheap approximation that overstates diagonals: use √(Gx² + Gy²)"
            if np.allclose(magnitude, gx * gx + gy * gy):
                return "that is Gx² + Gy²: take the square root"
            inner = (slice(1, -1), slice(1, -1))
            if np.allclose(magnitude[inner], right[inner]):
                return "right inside the picture but not on its edge pixels: use the replicated border (helpers.correlate's default)"
            return f"the magnitude is wrong for a {size} image; Gx and Gy are the sobel_x and sobel_y responses"
        with np.errstate(divide="ignore", invalid="ignore"):
            one_quadrant = np.arctan(gy / gx)
        if _same_angles(direction, np.arctan2(gy, gx) + np.pi, moving):
            return "every direction points downhill instead of uphill: correlate with the Sobel kernels (do not convolve), and use atan2(Gy, Gx)"
        if _same_angles(direction, np.degrees(np.arctan2(gy, gx)), moving):
            return "give the direction in radians (−π to π), not degrees"
        if _same_angles(direction, np.arctan2(gx, gy), moving):
            return "the arguments are swapped: np.arctan2 takes y first, so atan2(Gy, Gx)"
        finite = moving & np.isfinite(one_quadrant)
        if finite.any() and _same_angles(direction, one_quadrant, finite):
            return "np.arctan(Gy / Gx) cannot tell left from right (and fails where Gx = 0): use np.arctan2(Gy, Gx)"
        return f"the direction is wrong for a {size} image; it is atan2(Gy, Gx) in radians"
    return None


# --------------------------------------------------------------------------- 05.3 the best blur, by measurement


def _blur_cases() -> list[tuple[np.ndarray, np.ndarray, list[int]]]:
    astronaut = load_image("astronaut")[300:364, 300:364].astype(np.float64)
    chelsea = load_image("chelsea")[100:164, 150:214].astype(np.float64)
    smooth = 1.5 * np.add.outer(np.arange(48.0), np.arange(48.0)) + 30.0
    cases = []
    for clean, sigma, sizes in [
        (astronaut, 10, [1, 3, 5, 7]),
        (chelsea, 10, [3, 5, 7, 9]),
        (smooth, 30, [3, 5, 7, 9, 11]),
        (astronaut, 60, [1, 3, 5, 7, 9, 11]),
    ]:
        cases.append((add_gaussian_noise(clean, sigma, seed=53), clean, sizes))
    return cases


@exercise(
    "05.3",
    wants_function=True,
    asks="compare the blurs yourself",
    allows=["helpers.correlate", "helpers.box", "helpers.noise", "cv2.blur", "cv2.boxFilter", "cv2.filter2D",
            "ndimage.uniform_filter", "ndimage.correlate"],
)
def _best_box_size(answer) -> str | None:
    """best_box_size(noisy, clean, sizes): the box size whose blur of ``noisy`` has the highest PSNR."""
    for noisy, clean, sizes in _blur_cases():
        scores = {s: psnr(correlate(noisy, box(s)), clean) for s in sizes}
        expected = max(scores, key=scores.get)
        result = call_answer(answer, noisy.copy(), clean.copy(), list(sizes))
        if isinstance(result, (np.integer, int, float, np.floating)) and not isinstance(result, bool):
            if float(result) == expected:
                continue
            if any(np.isclose(float(result), value) for value in scores.values()):
                return "return the best size (one of sizes), not its PSNR"
            against_noisy = {s: psnr(correlate(noisy, box(s)), noisy) for s in sizes}
            if float(result) == max(against_noisy, key=against_noisy.get):
                return (
                    "the blur is measured against the noisy picture, so the least blur always wins: "
                    "measure against the clean one"
                )
            if float(result) == min(scores, key=scores.get):
                return "that is the size with the lowest PSNR: a higher PSNR means closer to the clean picture"
            if float(result) not in sizes:
                return f"the answer should be one of sizes {sizes}; got {result}"
            return f"for sizes {sizes} a different size wins; blur with each box and compare the PSNRs"
        return f"return one size as a number (such as 5); got a {type(result).__name__}"
    return None


# --------------------------------------------------------------------------- 05.4 the median is not linear

#: The pair notebook 05 shows; the exercise asks for another one.
SHOWN_PAIR = (
    [[0, 0, 0], [0, 9, 9], [9, 9, 9]],
    [[9, 9, 9], [9, 9, 0], [0, 0, 0]],
)


def _is_the_shown_pair(a: np.ndarray, b: np.ndarray) -> bool:
    """True for the notebook's pair in either order, under any of the square's eight turns and mirrors."""
    shown = [np.asarray(patch, dtype=np.float64) for patch in SHOWN_PAIR]
    for first, second in (shown, shown[::-1]):
        for turns in range(4):
            turned = np.rot90(first, turns), np.rot90(second, turns)
            for x, y in (turned, (turned[0].T, turned[1].T)):
                if np.array_equal(a, x) and np.array_equal(b, y):
                    return True
    return False


@exercise("05.4")
def _median_pair(answer) -> str | None:
    """Two 3×3 patches a, b with median(a + b) ≠ median(a) + median(b)."""
    if isinstance(answer, np.ndarray) and answer.ndim == 3 and answer.shape[0] == 2:
        answer = (answer[0], answer[1])  # np.array([a, b]) is the pair too
    if isinstance(answer, (str, bytes)) or not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return "answer with a pair of patches: (a, b), each a 3×3 list of rows or NumPy array"
    patches = []
    for name, patch in zip("ab", answer, strict=True):
        try:
            array = np.asarray(patch, dtype=np.float64)
        except (TypeError, ValueError):
            return f"patch {name} should be a 3×3 grid of numbers"
        if array.shape != (3, 3):
            return f"patch {name} should be 3×3; got shape {array.shape}"
        if not np.all(np.isfinite(array)):
            return f"patch {name} holds NaN or infinity; use ordinary grey levels"
        patches.append(array)
    a, b = patches
    if _is_the_shown_pair(a, b):
        return ("that is the notebook's pair (swapped, turned, mirrored or transposed, it is still the same example): "
                "find one of your own")
    together, apart = np.median(a + b), np.median(a) + np.median(b)
    if np.isclose(together, apart):
        return (
            f"for these two, median(a + b) = {together:g} = median(a) + median(b): try patches whose large "
            "values sit in different places, so adding them reorders the values"
        )
    return None


# --------------------------------------------------------------------------- 05.5 a sharpen kernel with an amount


@exercise("05.5", wants_function=True)
def _sharpen_kernel(answer) -> str | None:
    """sharpen_kernel(amount) = identity − amount · Laplacian, a 3×3 kernel summing to 1."""
    identity = np.zeros((3, 3))
    identity[1, 1] = 1.0
    laplacian = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    for amount in (0.5, 2.0, 0.0, 3.7, 1.0):
        result = _as_float_array(call_answer(answer, amount), f"sharpen_kernel({amount})")
        if result.shape != (3, 3):
            return f"sharpen_kernel({amount}) should be a 3×3 kernel; got shape {result.shape}"
        expected = identity - amount * laplacian
        if np.allclose(result, expected):
            continue
        if np.allclose(result, identity + amount * laplacian):
            return "the Laplacian is added instead of subtracted: that softens edges; sharpen = identity − amount · Laplacian"
        if np.allclose(result, amount * (identity - laplacian)):
            return (
                f"the weights of sharpen_kernel({amount}) sum to {result.sum():g}, so flat areas change brightness: "
                "multiply only the Laplacian by the amount, not the identity"
            )
        if np.allclose(result, identity - laplacian):
            return f"that is the bank's sharpen for every amount; with amount {amount} the Laplacian counts {amount} times"
        if not np.isclose(result.sum(), 1.0):
            return f"the weights of sharpen_kernel({amount}) sum to {result.sum():g}; they should sum to 1"
        return f"wrong weights for amount {amount}; write the identity and the Laplacian as 3×3 arrays and combine them"
    return None

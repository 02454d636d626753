"""Checks for the exercises of notebook 12 (beyond one linear filter).

12.1  ``dog_kernel(size, sigma, ratio)``: the difference of Gaussians g(ratio · σ) − g(σ);
12.2  ``suppress(magnitude, direction)``: Canny's non-maximum suppression;
12.3  ``bilateral_pixel(patch, sigma_space, sigma_range)``: the bilateral filter's output at a patch's centre;
12.4  ``pyramid_down(image)``: one level of a Gaussian pyramid, as ``cv2.pyrDown`` computes it.

Expected values are written out here with loops (or, for 12.1, from the
Gaussian's formula), not taken from helpers.bandpass, helpers.canny,
helpers.bilateral or helpers.pyramids, whose functions are ruled out while the
student's code runs.
"""
from __future__ import annotations

import numpy as np

from . import Hint, call_answer, exercise
from ._answers import array_or_hint


def _floats(result, what: str) -> np.ndarray:
    array = array_or_hint(result, what).astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise Hint(f"{what} holds NaN or infinity; check for a division by zero")
    return array


# --------------------------------------------------------------------------- 12.1 the DoG kernel


def _gauss(size: int, sigma: float) -> np.ndarray:
    offsets = np.arange(size) - size // 2
    weights = np.exp(-(offsets[:, None] ** 2 + offsets[None, :] ** 2) / (2.0 * sigma * sigma))
    return weights / weights.sum()


@exercise(
    "12.1",
    wants_function=True,
    asks="subtract the two Gaussians yourself",
    allows=["helpers.gaussian"],
    ruled_out=["helpers.bandpass.dog_kernel", "helpers.bandpass.log_kernel", "ndimage.gaussian_laplace",
               "cv2.getGaussianKernel"],
)
def _dog_kernel(answer) -> str | None:
    """dog_kernel(size, sigma, ratio) = g(ratio · σ) − g(σ), each Gaussian normalised to sum 1."""
    for size, sigma, ratio in [(9, 1.0, 1.6), (13, 1.5, 1.6), (11, 1.2, 2.0), (7, 0.8, 1.3), (15, 2.0, 1.6)]:
        where = f"dog_kernel({size}, {sigma}, {ratio})"
        result = _floats(call_answer(answer, size, sigma, ratio), where)
        expected = _gauss(size, ratio * sigma) - _gauss(size, sigma)
        if result.shape != expected.shape:
            return f"{where} should be a {size}×{size} kernel; got shape {result.shape}"
        if np.allclose(result, expected, atol=1e-12):
            continue
        if np.allclose(result, -expected, atol=1e-12):
            return ("the sign is flipped: subtract the narrow Gaussian from the wide one, g(ratio·σ) − g(σ), "
                    "so the centre is negative like the LoG's")
        if np.allclose(result, _gauss(size, sigma / ratio) - _gauss(size, sigma), atol=1e-12) or np.allclose(
                result, _gauss(size, sigma) - _gauss(size, sigma / ratio), atol=1e-12):
            return "the second Gaussian is the wider one: its σ is ratio · sigma, not sigma / ratio"
        if abs(result.sum()) > 1e-9:
            return (f"the weights of {where} sum to {result.sum():.3g}, not 0: normalise each Gaussian to sum 1 "
                    "before subtracting, so a flat picture answers 0")
        if np.allclose(result, _gauss(size, 1.6 * sigma) - _gauss(size, sigma), atol=1e-12):
            return f"use the ratio you are given ({ratio}), not always 1.6"
        return f"wrong weights for {where}; compare the centre weight with g(ratio·σ)[c, c] − g(σ)[c, c]"
    return None


# --------------------------------------------------------------------------- 12.2 non-maximum suppression

_STEPS = ((0, 1), (1, 1), (1, 0), (1, -1))  # sectors 0°, 45°, 90°, 135°; rows grow downwards


def _suppress(magnitude: np.ndarray, direction: np.ndarray, steps=_STEPS, ring: bool = True) -> np.ndarray:
    """The reference, pixel by pixel; ``steps`` and ``ring`` let the check name the usual slips."""
    h, w = magnitude.shape
    out = np.zeros((h, w))
    for i in range(h):
        for j in range(w):
            di, dj = steps[int(np.round((direction[i, j] % np.pi) / (np.pi / 4))) % 4]
            inside = 0 < i < h - 1 and 0 < j < w - 1
            if not inside:
                if ring:
                    continue
                a = magnitude[i + di, j + dj] if 0 <= i + di < h and 0 <= j + dj < w else 0.0
                b = magnitude[i - di, j - dj] if 0 <= i - di < h and 0 <= j - dj < w else 0.0
            else:
                a, b = magnitude[i + di, j + dj], magnitude[i - di, j - dj]
            if magnitude[i, j] >= a and magnitude[i, j] >= b:
                out[i, j] = magnitude[i, j]
    return out


def _nms_cases() -> list[tuple[str, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(1202)
    rows, cols = np.mgrid[0:9, 0:11]
    ridge = 100 * np.exp(-((cols - 5.3) ** 2) / 4) + rng.uniform(0, 1, size=(9, 11))  # a vertical edge, gradient 0°
    slope = 100 * np.exp(-((rows + cols - 10.2) ** 2) / 6) + rng.uniform(0, 1, size=(9, 11))  # a diagonal edge
    return [
        ("a blurred vertical edge", ridge, np.zeros((9, 11)) + rng.uniform(-0.2, 0.2, size=(9, 11))),
        ("random magnitudes and directions", rng.uniform(0, 50, size=(12, 14)), rng.uniform(-np.pi, np.pi, size=(12, 14))),
        ("random magnitudes, directions near ±135°", rng.uniform(0, 50, size=(7, 7)),
         rng.choice([-1.0, 1.0], size=(7, 7)) * 3 * np.pi / 4 + rng.uniform(-0.3, 0.3, size=(7, 7))),
        # last: on a diagonal edge, comparing along the edge and swapping the diagonals look the same
        ("a blurred diagonal edge", slope, np.full((9, 11), np.pi / 4) + rng.uniform(-0.2, 0.2, size=(9, 11))),
    ]


@exercise(
    "12.2",
    wants_function=True,
    asks="compare each pixel with its two neighbours yourself",
    allows=["np.pad"],
    ruled_out=["helpers.canny.non_maximum_suppression", "helpers.canny.canny", "cv2.Canny", "skimage.feature.canny",
               "ndimage.maximum_filter"],
)
def _suppress_check(answer) -> str | None:
    """suppress(m, θ): m where m ≥ both neighbours along θ (rounded to 45°), else 0; the outer ring 0."""
    for name, magnitude, direction in _nms_cases():
        raw = call_answer(answer, magnitude.copy(), direction.copy())
        result = _floats(raw, "suppress(magnitude, direction)")
        expected = _suppress(magnitude, direction)
        if result.shape != expected.shape:
            return f"return an array of the magnitude's shape {magnitude.shape}; got shape {result.shape}"
        if np.allclose(result, expected):
            continue
        if np.asarray(raw).dtype == bool or np.array_equal(result != 0, expected != 0) and np.all(np.isin(result, (0, 1))):
            return "return the magnitude where a pixel is kept and 0 elsewhere, not True/False"
        if np.allclose(result, _suppress(magnitude, direction, steps=_STEPS[2:] + _STEPS[:2])):
            return (f"for {name} you compared along the edge: compare across it, with the two neighbours in the "
                    "gradient's direction (0° means left and right)")
        if np.allclose(result, _suppress(magnitude, direction, steps=(_STEPS[0], _STEPS[3], _STEPS[2], _STEPS[1]))):
            return ("the two diagonals are swapped: rows grow downwards, so 45° (Gx > 0, Gy > 0) points down and "
                    "right, to (i + 1, j + 1) and (i − 1, j − 1)")
        if np.allclose(result, _suppress(magnitude, direction, ring=False)):
            return "set the outer ring of pixels to 0: they lack a neighbour on one side"
        if np.allclose(result[1:-1, 1:-1], expected[1:-1, 1:-1]):
            return "right inside, wrong on the outer ring: set the first and last rows and columns to 0"
        return (f"wrong for {name}: round θ mod π to a multiple of 45° and keep a pixel when its magnitude is at "
                "least both neighbours' along that direction")
    return None


# --------------------------------------------------------------------------- 12.3 one bilateral pixel


def _bilateral_at(patch: np.ndarray, sigma_space: float, sigma_range: float, centre_value=None,
                  space_power: int = 2, two: float = 2.0, use_range: bool = True, use_space: bool = True,
                  normalise: bool = True) -> float:
    r = patch.shape[0] // 2
    centre = patch[r, r] if centre_value is None else centre_value
    total = weights = 0.0
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            distance = np.sqrt(dy * dy + dx * dx)
            w = 1.0
            if use_space:
                w *= np.exp(-(distance**space_power) / (two * sigma_space**2))
            if use_range:
                w *= np.exp(-((patch[r + dy, r + dx] - centre) ** 2) / (two * sigma_range**2))
            total += w * patch[r + dy, r + dx]
            weights += w
    return float(total / weights) if normalise else float(total)


@exercise(
    "12.3",
    wants_function=True,
    asks="weight the patch's pixels yourself",
    ruled_out=["cv2.bilateralFilter", "skimage.restoration.denoise_bilateral", "helpers.bilateral.bilateral",
               "helpers.bilateral.bilateral_weights"],
)
def _bilateral_pixel(answer) -> str | None:
    """bilateral_pixel(patch, σ_s, σ_r) = Σ w·I / Σ w, w = exp(−d²/(2σ_s²)) · exp(−(I − I_c)²/(2σ_r²))."""
    rng = np.random.default_rng(1203)
    step = np.where(np.arange(7)[None, :] < 3, 40.0, 200.0) * np.ones((7, 1)) + rng.normal(0, 5, size=(7, 7))
    cases = [
        ("a 5×5 noisy flat patch", 120 + rng.normal(0, 10, size=(5, 5)), 1.5, 30.0),
        ("a 7×7 patch with a step just left of the centre", step, 2.0, 40.0),
        ("a 3×3 random patch", rng.uniform(0, 255, size=(3, 3)), 1.0, 60.0),
        ("a 9×9 random patch", rng.uniform(0, 255, size=(9, 9)), 3.0, 25.0),
    ]
    for name, patch, ss, sr in cases:
        where = f"{name} (σ_space = {ss}, σ_range = {sr})"
        result = call_answer(answer, patch.copy(), ss, sr)
        try:
            got = float(np.asarray(result, dtype=float).reshape(()))
        except (TypeError, ValueError):
            return f"return one number, the filtered value of the centre pixel; got {type(result).__name__}"
        want = _bilateral_at(patch, ss, sr)
        if abs(got - want) <= 1e-6 * max(1.0, abs(want)):
            continue

        def near(got=got, patch=patch, ss=ss, sr=sr, want=want, **slip) -> bool:
            return abs(got - _bilateral_at(patch, ss, sr, **slip)) <= 1e-6 * max(1.0, abs(want))

        if near(normalise=False):
            return f"for {where} the weights are not normalised: divide Σ w·I by Σ w"
        if near(use_range=False):
            return ("that is the Gaussian blur's value: multiply each spatial weight by the brightness weight "
                    "exp(−(I(q) − I(p))² / (2σ_range²))")
        if near(use_space=False):
            return "the spatial weight exp(−(dy² + dx²) / (2σ_space²)) is missing"
        if near(centre_value=float(patch.mean())):
            return "compare each pixel's brightness with the centre pixel's, not with the patch's mean"
        if near(space_power=1):
            return "the spatial weight uses the squared distance dy² + dx², not the distance"
        if near(two=1.0):
            return "each exponent divides by 2σ², with the 2"
        return f"wrong value for {where}; compute the weight of one pixel by hand and compare"
    return None


# --------------------------------------------------------------------------- 12.4 one level down the pyramid

_BINOMIAL = np.array([1.0, 4.0, 6.0, 4.0, 1.0]) / 16.0


def _reflect101(index: int, size: int) -> int:
    while index < 0 or index >= size:
        index = -index if index < 0 else 2 * size - 2 - index
    return index


def _pyramid_down(image: np.ndarray, border=_reflect101, row=_BINOMIAL, start: int = 0, blur: bool = True) -> np.ndarray:
    h, w = image.shape
    r = row.size // 2
    out = np.zeros(((h - start + 1) // 2, (w - start + 1) // 2))
    for a, i in enumerate(range(start, h, 2)):
        for b, j in enumerate(range(start, w, 2)):
            if not blur:
                out[a, b] = image[i, j]
                continue
            out[a, b] = sum(row[m] * row[n] * image[border(i + m - r, h), border(j + n - r, w)]
                            for m in range(row.size) for n in range(row.size))
    return out


def _replicate(index: int, size: int) -> int:
    return min(max(index, 0), size - 1)


@exercise(
    "12.4",
    wants_function=True,
    asks="blur and keep every other pixel yourself",
    allows=["helpers.correlate", "np.pad"],
    ruled_out=["cv2.pyrDown", "cv2.resize", "skimage.transform.pyramid_reduce", "skimage.transform.rescale",
               "helpers.pyramids.pyr_down", "helpers.pyramids.gaussian_pyramid"],
)
def _pyramid_down_check(answer) -> str | None:
    """pyramid_down(I) = (I ⋆ b)[::2, ::2], b the 5×5 binomial [1, 4, 6, 4, 1]ᵀ[1, 4, 6, 4, 1]/256, reflect-101."""
    rng = np.random.default_rng(1204)
    for shape in [(8, 10), (9, 7), (6, 6), (11, 12)]:
        image = rng.uniform(0, 255, size=shape)
        where = f"a {shape[0]}×{shape[1]} image"
        result = _floats(call_answer(answer, image.copy()), "pyramid_down(image)")
        expected = _pyramid_down(image)
        if result.shape != expected.shape:
            return (f"for {where} one level down has ⌈H/2⌉ × ⌈W/2⌉ = {expected.shape[0]}×{expected.shape[1]} pixels "
                    f"(rows and columns 0, 2, 4, …); got {result.shape[0]}×{result.shape[1]}" if result.ndim == 2
                    else f"return a 2-D array; got shape {result.shape}")
        if np.allclose(result, expected):
            continue
        if np.allclose(result, _pyramid_down(image, blur=False)):
            return ("you kept every other pixel without blurring first: fine detail would come back as false, "
                    "coarser patterns (aliasing); blur with the binomial, then keep every other pixel")
        odd = _pyramid_down(image, start=1)
        if result.shape == odd.shape and np.allclose(result, odd):
            return "keep rows and columns 0, 2, 4, … (start at 0), as cv2.pyrDown does"
        if np.allclose(result[1:-1, 1:-1], expected[1:-1, 1:-1]):
            if np.allclose(result, _pyramid_down(image, border=_replicate)):
                return "right inside, wrong at the border: pyrDown reflects without repeating the edge pixel (reflect-101)"
            return "right inside, wrong at the border: pad with reflect-101, as cv2.pyrDown does"
        return f"wrong values for {where}: blur with the 5×5 binomial [1, 4, 6, 4, 1]ᵀ[1, 4, 6, 4, 1] / 256 first"
    return None

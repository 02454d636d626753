"""The 2-D playground of notebook 07: every setting of a convolution on a control.

:func:`run_playground` computes one update from a :class:`PlaygroundSettings`
(tests call it without a browser); :class:`Playground` is the ipywidgets
shell that reads the controls, calls it and puts the images into widgets
that already exist.

What the student sees must be true: every image is drawn at the same number
of screen pixels per image pixel (so a "valid" output looks smaller than
its input), an output left over from an earlier setting is dimmed and framed
and the message says so, and controls the chosen kernel does not use are
disabled.
"""
from __future__ import annotations

import re
import warnings
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import lru_cache

import cv2
import ipywidgets as widgets
import numpy as np
from threadpoolctl import ThreadpoolController
from traitlets import Unicode

from ..bandpass import dog_kernel, log_kernel
from ..convolution import CorrelationPlan, plan_correlation
from ..images import load_image, sample_names
from ..kernels import KERNELS, box, gaussian, unsharp
from ..noise import add_gaussian_noise
from ..validation import BORDERS, as_numeric_array, check_choice, check_image, check_kernel, require_finite
from .rendering import (
    MIN_DISPLAY_PIXELS,
    _labelled,
    _message_html,
    _Shell,
    display_factor,
    kernel_html,
    show_in,
)

#: The kernel menu of the playground: a custom 3×3, the five builders with a size, then the bank.
KERNEL_CHOICES = ("custom", "box", "gaussian", "unsharp", "LoG", "DoG", *KERNELS)
#: Kernels built from the size (and sigma, and amount) controls.
SIZED_KERNELS = ("box", "gaussian", "unsharp", "LoG", "DoG")
#: Kernels built from the size and sigma controls (LoG and DoG of notebook 12; the DoG's ratio is 1.6).
SIGMA_KERNELS = ("gaussian", "unsharp", "LoG", "DoG")
OPERATIONS = ("correlate", "convolve")
DISPLAY_MODES = ("clip", "rescale")
#: Crops offered by the playground, by side in pixels (0 keeps the whole image). Each crop sits
#: where the photo has detail along all four edges (:func:`crop_origin`), so the borders differ.
CROPS = {"whole image": 0, "128×128 detail": 128, "32×32 detail": 32, "16×16 detail": 16}
#: The noisy photo of the image menu: "camera" plus Gaussian noise (helpers.noise, seeded).
NOISY_IMAGE = "camera + noise"
NOISE_SIGMA = 20.0
NOISE_SEED = 0
#: A float64 holds numbers up to about 1.8e308; an output that could pass it cannot be shown.
LARGEST_FLOAT = float(np.finfo(np.float64).max)


class SettingsError(ValueError):
    """A setting the playground cannot use; the text is meant for the student."""


# --------------------------------------------------------------------------- 2-D playground: logic


@dataclass(frozen=True)
class PlaygroundSettings:
    """Everything the 2-D playground's controls choose."""

    image: str = "camera"  # a sample name, or NOISY_IMAGE
    crop: int | None = 0  # side of a square crop with detail near its edges; 0 (or None) for the whole image
    color: bool = False
    kernel: str = "sharpen"  # one of KERNEL_CHOICES
    weights: tuple[float, ...] = (0, -1, 0, -1, 5, -1, 0, -1, 0)  # the custom 3×3, row by row
    size: int = 7  # side of the box, Gaussian or unsharp kernel (odd)
    sigma: float = 1.5  # Gaussian sigma, in pixels (gaussian, unsharp, LoG, DoG)
    border: str = "replicate"
    operation: str = "correlate"
    display: str = "clip"
    amount: float = 1.0  # unsharp: sharpened = image + amount · (image - blur)


@dataclass(frozen=True)
class PlaygroundResult:
    """What one update of the playground computes.

    ``output`` is the float result of the series' own convolver, ``shown``
    its uint8 version (clipped or rescaled), ``difference`` is
    ``output - reference`` where ``reference`` is OpenCV's result with the
    matching border (:func:`opencv_reference`). ``message`` is empty when
    all is well, otherwise a short sentence for the student; when ``ok`` is
    False nothing was computed.
    """

    settings: PlaygroundSettings
    input: np.ndarray | None = None
    kernel: np.ndarray | None = None
    output: np.ndarray | None = None
    shown: np.ndarray | None = None
    reference: np.ndarray | None = None
    difference: np.ndarray | None = None
    method: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.output is not None

    @property
    def max_difference(self) -> float | None:
        """The largest |ours - OpenCV|, in grey levels."""
        if self.difference is None:
            return None
        flat = self.difference.reshape(self.difference.shape[0], -1)
        return float(cv2.norm(flat, cv2.NORM_INF)) if flat.flags.c_contiguous else float(np.abs(flat).max())


def image_names() -> tuple[str, ...]:
    """The image menu: the sample photos of ``data/``, then the noisy photo."""
    return (*_sample_names(), NOISY_IMAGE)


@lru_cache(maxsize=1)
def _sample_names() -> tuple[str, ...]:
    return tuple(sample_names())


@lru_cache(maxsize=16)
def _sample(name: str, color: bool) -> np.ndarray:
    if name == NOISY_IMAGE:
        clean = load_image("camera", gray=not color)
        image = np.rint(add_gaussian_noise(clean, NOISE_SIGMA, seed=NOISE_SEED)).astype(np.uint8)
    else:
        image = load_image(name, gray=not color)
    image.setflags(write=False)
    return image


@lru_cache(maxsize=32)
def crop_origin(name: str, side: int) -> tuple[int, int]:
    """Top-left corner of the ``side``×``side`` crop of image ``name`` that the playground shows.

    The crop is placed where the photo has detail along all four of its
    edges, so the borders (zero, replicate, wrap, ...) give visibly different
    results and a one-pixel shift shows. Detail is the gradient magnitude
    |Sobel x| + |Sobel y| of the grey photo; each candidate square (on a grid
    of step side/4) scores the smallest of the mean details of its four edge
    bands (side/8 pixels deep, at least 2), and the best score wins. The
    noisy photo uses the clean photo's crops.
    """
    if name not in image_names():
        raise ValueError(f"unknown image {name!r}; expected one of {', '.join(image_names())}")
    if isinstance(side, bool) or not isinstance(side, (int, np.integer)) or side < 1:
        raise ValueError(f"side must be a whole number of pixels, 1 or more; got {side!r}")
    grey = _sample("camera" if name == NOISY_IMAGE else name, False).astype(np.float32)
    height, width = grey.shape
    if side >= min(height, width):
        return max(0, (height - side) // 2), max(0, (width - side) // 2)
    detail = np.abs(cv2.Sobel(grey, cv2.CV_32F, 1, 0)) + np.abs(cv2.Sobel(grey, cv2.CV_32F, 0, 1))
    sums = cv2.integral(detail, sdepth=cv2.CV_64F)  # sums[r, c] = detail[:r, :c].sum()
    step, band = max(1, side // 4), min(side, max(2, side // 8))
    tops, lefts = np.meshgrid(np.arange(0, height - side + 1, step), np.arange(0, width - side + 1, step),
                              indexing="ij")

    def mean(top, left, rows, cols):
        total = sums[top + rows, left + cols] - sums[top, left + cols] - sums[top + rows, left] + sums[top, left]
        return total / (rows * cols)

    edges = np.stack([
        mean(tops, lefts, band, side),  # top
        mean(tops + side - band, lefts, band, side),  # bottom
        mean(tops, lefts, side, band),  # left
        mean(tops, lefts + side - band, side, band),  # right
    ])
    best = np.unravel_index(np.argmax(edges.min(axis=0)), tops.shape)
    return int(tops[best]), int(lefts[best])


def playground_input(settings: PlaygroundSettings) -> np.ndarray:
    """The image the settings name, in grey or colour, cropped if asked (read-only)."""
    _check_settings(settings)
    return _input(settings)


def _input(settings: PlaygroundSettings) -> np.ndarray:
    """playground_input for settings already checked."""
    if settings.image not in image_names():
        raise SettingsError(f"unknown image {settings.image!r}; choose one of {', '.join(image_names())}")
    image = _sample(settings.image, bool(settings.color))
    side = settings.crop
    if side is None or side == 0:
        return image
    if isinstance(side, bool) or not isinstance(side, (int, np.integer)) or side < 0:
        raise SettingsError(f"crop must be a whole number of pixels (0 for the whole image); got {side!r}")
    side = int(side)  # a NumPy uint8 would wrap around in top + side
    top, left = crop_origin(settings.image, side)
    return image[top : top + side, left : left + side]


def _number(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating))


_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")


def parse_weight(value, index: int = 0) -> float:
    """One custom weight as a float: a number, or the text typed into weight box ``index`` (0-8, row by row).

    Text is read as Python reads a float ("0.5", "-2", "1e-3"; a typographic minus "−" too).
    Anything else raises :class:`SettingsError` with a sentence a student can act on: a decimal
    comma ("0,5"), an empty box, a word, "nan", or a number too large for a float ("1e400").
    """
    where = f"the weight in row {index // 3 + 1}, column {index % 3 + 1}"
    if isinstance(value, bool):
        raise SettingsError(f"{where} must be a number, not {value}")
    if isinstance(value, str):
        text = value.strip().replace("\u2212", "-")
        if not text:
            raise SettingsError(f"{where} is empty: type a number, for example 0")
        if _DECIMAL_COMMA.fullmatch(text):
            raise SettingsError(f"{where} is {value.strip()!r}: write decimals with a point ({text.replace(',', '.')}), "
                                "not a comma")
        try:
            number = float(text)
        except ValueError:
            raise SettingsError(f"{where} is {value.strip()!r}, which is not a number") from None
        if np.isnan(number):
            raise SettingsError(f"{where} is {value.strip()!r} (not a number): type a value such as 0 or 1")
        if np.isinf(number):
            raise SettingsError(f"{where} is {value.strip()!r}, too large for a float (it would be infinity); "
                                "type a smaller number")
        return number
    if not _number(value):
        raise SettingsError(f"{where} must be a number; got {value!r}")
    return float(value)


def playground_kernel(settings: PlaygroundSettings) -> np.ndarray:
    """The kernel the settings describe: the custom 3×3, a box, a Gaussian, an unsharp mask or one of the bank."""
    _check_settings(settings)
    return _kernel(settings)


def _kernel(settings: PlaygroundSettings) -> np.ndarray:
    """playground_kernel for settings already checked."""
    name = settings.kernel
    if name == "custom":
        raw = settings.weights
        if isinstance(raw, (list, tuple)) and len(raw) == 9:  # the nine boxes: numbers or the text typed
            weights = np.array([parse_weight(w, n) for n, w in enumerate(raw)], dtype=np.float64)
        else:
            try:
                weights = np.array(raw, dtype=np.float64)
            except (TypeError, ValueError):
                raise SettingsError("every custom weight must be a number") from None
        if weights.size != 9:
            raise SettingsError(f"the custom kernel needs 9 weights (3×3); got {weights.size}")
        if not np.all(np.isfinite(weights)):
            raise SettingsError("every custom weight must be a finite number")
        return weights.reshape(3, 3)
    if name in SIZED_KERNELS:
        size = settings.size
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1 or size % 2 == 0:
            raise SettingsError(
                f"blur size must be odd (1, 3, 5, ...) so the kernel has a centre pixel; got {size}"
            )
        if name == "box":
            return box(int(size))
        sigma = settings.sigma
        if not _number(sigma) or not np.isfinite(sigma) or sigma <= 0:
            raise SettingsError(f"sigma must be a number above 0; got {sigma}")
        amount = settings.amount
        if name == "unsharp" and (not _number(amount) or not np.isfinite(amount)):
            raise SettingsError(f"amount must be a finite number; got {amount}")
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                if name == "gaussian":
                    kernel = gaussian(int(size), float(sigma))
                elif name == "LoG":
                    kernel = log_kernel(int(size), float(sigma))
                elif name == "DoG":
                    kernel = dog_kernel(int(size), float(sigma), 1.6)
                else:
                    kernel = unsharp(int(size), float(sigma), float(amount))
        except (ValueError, OverflowError, ZeroDivisionError, FloatingPointError) as error:
            raise SettingsError(f"sigma {sigma:g} cannot make a Gaussian: {error}") from None
        return kernel
    if name in KERNELS:
        return np.array(KERNELS[name])
    raise SettingsError(f"unknown kernel {name!r}; choose one of {', '.join(KERNEL_CHOICES)}")


def playground_plan(image, kernel, border: str, operation: str) -> CorrelationPlan:
    """How the playground computes ``operation`` of ``image`` with ``kernel``: helpers.convolution decides.

    The plan is :func:`helpers.convolution.plan_correlation` with
    ``method="own"`` (the series' own NumPy code, never OpenCV), for the
    kernel as given (correlate) or turned by 180° (convolve):
    ``plan.run()`` is the output, ``plan.run("opencv")`` the reference
    (:func:`opencv_reference`), and ``plan.method`` says which method runs.
    """
    check_choice(operation, "operation", OPERATIONS)
    if operation == "convolve":
        kernel = check_kernel(kernel)
    return _plan(image, kernel, border, operation)


def _plan(image, kernel, border: str, operation: str) -> CorrelationPlan:
    """playground_plan for a known operation (and, to convolve, a 2-D kernel)."""
    return plan_correlation(image, kernel[::-1, ::-1] if operation == "convolve" else kernel, border, method="own")


def opencv_reference(image, kernel, border: str, operation: str) -> np.ndarray:
    """OpenCV's correlation (or convolution) with the border that matches ``border``, in float64.

    ``cv2.filter2D``, or ``cv2.sepFilter2D`` for a mid-sized rank-1 kernel
    (the planner of helpers.convolution decides, as for ``method="opencv"``),
    with the kernel turned by 180° for ``operation="convolve"``. OpenCV does
    every sum, so the difference from the series' own output compares two
    independent computations of them; for a rank-1 kernel both take their
    column and row from the same plan (a split the tests check against SciPy).
    """
    return playground_plan(image, kernel, border, operation).run("opencv")


def _check_settings(settings) -> None:
    if not isinstance(settings, PlaygroundSettings):
        raise TypeError(
            f"settings must be a PlaygroundSettings, such as PlaygroundSettings(kernel='sobel_x'); got {settings!r}"
        )


def _check_widget_settings(settings) -> None:
    """Settings the playground's controls can show, or a ValueError naming the setting.

    The widgets would raise traitlets' "Invalid selection" (naming no
    setting) for a value off their menu, and sliders would move a number
    outside their range to the nearest end without a word.
    """
    _check_settings(settings)
    for name, choices in (("image", image_names()), ("kernel", KERNEL_CHOICES), ("border", BORDERS),
                          ("operation", OPERATIONS), ("display", DISPLAY_MODES)):
        check_choice(getattr(settings, name), f"settings.{name}", tuple(choices))
    if settings.crop not in CROPS.values() or isinstance(settings.crop, bool):
        raise ValueError(
            f"settings.crop must be one of the crops the menu offers ({', '.join(map(str, CROPS.values()))}); "
            f"got {settings.crop!r}"
        )
    if not isinstance(settings.color, (bool, np.bool_)):
        raise TypeError(f"settings.color must be True or False; got {settings.color!r}")
    for name, low, high in (("size", 1, 41), ("sigma", 0.2, 10.0), ("amount", 0.0, 5.0)):
        value = getattr(settings, name)
        if not _number(value) or not low <= value <= high:
            raise ValueError(f"settings.{name} must be a number from {low} to {high}, the slider's range; got {value!r}")
    if settings.size % 2 != 1 or int(settings.size) != settings.size:
        raise ValueError(f"settings.size must be odd (1, 3, 5, ...), the slider's steps; got {settings.size!r}")
    weights = settings.weights
    if isinstance(weights, (str, bytes)) or not hasattr(weights, "__len__") or len(weights) != 9 or not all(
        _number(w) and np.isfinite(w) for w in weights
    ):
        raise ValueError(f"settings.weights must be 9 finite numbers (the custom 3×3, row by row); got {weights!r}")


def _check_choices(settings: PlaygroundSettings) -> None:
    for value, name, choices in (
        (settings.border, "border", BORDERS),
        (settings.operation, "operation", OPERATIONS),
        (settings.display, "display", DISPLAY_MODES),
    ):
        if not isinstance(value, str) or value not in choices:  # an array has no single truth value
            raise SettingsError(f"unknown {name} {value!r}; choose one of {', '.join(choices)}")


def _check_own_image(image) -> np.ndarray:
    """An image passed to run_playground instead of a sample: grey H×W or colour H×W×3, finite numbers."""
    image = check_image(image)
    if image.ndim == 3 and image.shape[2] != 3:
        raise ValueError(f"image must be grey (H×W) or colour (H×W×3); got shape {image.shape}")
    return image


def run_playground(settings: PlaygroundSettings, image: np.ndarray | None = None) -> PlaygroundResult:
    """Compute one update of the playground; a bad setting gives a message, not an error.

    output = correlate(image, kernel) or convolve(image, kernel) with the
    chosen border, by the series' own NumPy code (:func:`playground_plan`);
    shown = to_uint8(output, display) (:func:`shown_uint8`); difference = output - reference
    (:func:`opencv_reference`). ``image`` replaces the sample the settings
    name (tests use small arrays); a ``settings`` that is not a
    :class:`PlaygroundSettings`, or an ``image`` that is not grey or colour,
    raises TypeError or ValueError naming it.
    """
    _check_settings(settings)
    own_image = image is not None
    if own_image:
        image = _check_own_image(image)
    try:
        _check_choices(settings)
        if image is None:
            image = _input(settings)
        kernel = _kernel(settings)
    except (SettingsError, FileNotFoundError, ValueError, TypeError, ArithmeticError) as error:
        return PlaygroundResult(settings, input=image, message=str(error))
    height, width = image.shape[:2]
    if kernel.shape[0] > height or kernel.shape[1] > width:
        message = (
            f"the {kernel.shape[0]}×{kernel.shape[1]} kernel is larger than the {height}×{width} image: "
            "choose a smaller blur size or a bigger crop"
        )
        return PlaygroundResult(settings, input=image, kernel=kernel, message=message)
    # The largest output any pixel can reach: max |pixel| · sum |weight|. Past the largest float it is infinity.
    with np.errstate(over="ignore"):
        bound = float(np.abs(image).max()) * float(np.abs(kernel).sum())
    if not bound < LARGEST_FLOAT:
        message = (
            "the weights are too large: an output pixel could pass 1.8e308, the largest number a float "
            "can hold, and turn into infinity; make the weights smaller"
        )
        return PlaygroundResult(settings, input=image, kernel=kernel, message=message)
    # A sample's arrays are cached, so the same settings mean the same input: reuse the last computation.
    key = None if own_image else (settings.image, settings.crop, bool(settings.color), kernel.shape,
                                  kernel.tobytes(), settings.border, settings.operation)
    try:
        method, output, reference, difference, shown, (low, high) = _compute(
            image, kernel, settings.border, settings.operation, key, settings.display
        )
    except (ValueError, TypeError, ArithmeticError) as error:
        return PlaygroundResult(settings, input=image, kernel=kernel, message=str(error))
    notes = []
    if not np.any(kernel):
        notes.append("every weight is 0, so every output pixel is 0")
    if settings.display == "rescale" and high == low:
        notes.append(f"the output is {low:g} everywhere, so rescale has no range to stretch and shows black")
    if max(abs(low), abs(high)) > 2.0**53:
        notes.append(
            f"outputs as large as {max(abs(low), abs(high)):.1e} keep only about 16 significant digits, "
            "so ours and OpenCV differ in the last digits, far more than 1 grey level"
        )
    return PlaygroundResult(
        settings, image, kernel, output, shown, reference, difference, method, "; ".join(notes)
    )


#: One helper thread computes OpenCV's reference while the main thread runs the series' own code
#: (both release Python's lock while they compute), so on two cores an update costs the slower of the
#: two rather than their sum. Meanwhile the matrix products of the "banded" passes get one BLAS
#: thread: with its default of one thread per core, BLAS fought OpenCV for the second core and a
#: 41×41 Gaussian on the colour photo took 43 ms instead of 26 ms (bench/bench_playground.py).
_REFERENCE_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playground-reference")
_THREAD_FROM_WEIGHTS = 49  # 7×7 and larger kernels
_LAST: dict = {}


@lru_cache(maxsize=1)
def _blas_threads() -> ThreadpoolController:
    """Access to the BLAS libraries' thread counts (found once, on first use)."""
    return ThreadpoolController()


def _compute(image, kernel, border, operation, key, display):
    """(method, output, reference, difference, shown, (min, max)) of one update.

    The method is the plan's (:func:`playground_plan`), the output ours, the
    reference OpenCV's, the difference output - reference, shown the output
    as uint8 with its (min, max). The image and kernel are checked once, by
    the plan, which both computations share. The arrays are read-only and
    kept with the method and extent, so a change of display (clip or
    rescale) alone costs only the conversion. While OpenCV computes its
    reference on the helper thread, this thread converts its own output for
    display, which would otherwise wait for the reference.
    """
    if key is not None and _LAST.get("key") == key:
        method, output, reference, difference, extent = _LAST["value"]
        return method, output, reference, difference, shown_uint8(output, display), extent
    plan = _plan(image, kernel, border, operation)
    if kernel.size < _THREAD_FROM_WEIGHTS:  # a few milliseconds: handing over to a thread costs more
        output = plan.run()
        reference = plan.run("opencv")
        shown, extent = shown_uint8(output, display), (float(output.min()), float(output.max()))
    else:
        pending = _REFERENCE_THREAD.submit(plan.run, "opencv")
        try:
            with _blas_threads().limit(limits=1, user_api="blas"):
                output = plan.run()
            shown, extent = shown_uint8(output, display), (float(output.min()), float(output.max()))
        finally:
            wait([pending])  # never leave the helper thread running into the next update
        reference = pending.result()
    difference = output - reference
    for array in (output, reference, difference):
        array.setflags(write=False)
    _LAST.clear()
    if key is not None:
        _LAST.update(key=key, value=(plan.method, output, reference, difference, extent))
    return plan.method, output, reference, difference, shown, extent


def shown_uint8(output: np.ndarray, display: str) -> np.ndarray:
    """The output as uint8 grey levels, exactly as :func:`helpers.to_uint8` makes them, with one scratch array.

    clip:    out = round(clamp(x, 0, 255)), halves to even;
    rescale: out = round(255 · (x − min) / (max − min)), all 0 when max = min.
    The checks of ``to_uint8`` are skipped (the output is known to be
    finite), and each step writes into the same scratch array instead of a
    new one. (``cv2.convertScaleAbs`` would be faster still but rounds
    through 32-bit floats: 28.5000009 becomes 28, not 29.)
    """
    check_choice(display, "display", DISPLAY_MODES)
    if display == "clip":
        scratch = np.clip(output, 0.0, 255.0)
    else:
        low, high = float(output.min()), float(output.max())
        if high == low:
            return np.zeros(output.shape, dtype=np.uint8)
        scratch = np.subtract(output, low)
        scratch *= 255.0 / (high - low)
    np.rint(scratch, out=scratch)
    return scratch.astype(np.uint8)


def difference_image(difference: np.ndarray) -> np.ndarray:
    """|difference| as a uint8 grey image where 1 grey level or more is white (colour: worst channel).

    pixel = min(255, round(255 · |difference|)), one pass of ``cv2.convertScaleAbs``.
    """
    difference = as_numeric_array(difference, "difference")  # refuses complex (its imaginary part would be lost)
    if difference.ndim not in (2, 3):
        raise ValueError(f"difference must be 2-D (grey) or 3-D (colour); got shape {difference.shape}")
    require_finite(difference, "difference")
    magnitude = cv2.convertScaleAbs(difference.astype(np.float64, copy=False), alpha=255.0)
    if magnitude.ndim == 3:  # the worst channel, pairwise (faster than a reduction over a short axis)
        worst = magnitude[:, :, 0]
        for channel in range(1, magnitude.shape[2]):
            worst = np.maximum(worst, magnitude[:, :, channel])
        return worst
    return magnitude


def screen_scale(input_shape, display_pixels: int = MIN_DISPLAY_PIXELS) -> float:
    """Screen pixels per image pixel for every view of one update, set by the input's size.

    A small input is enlarged by a whole factor (each pixel a square block:
    ceil(display_pixels / longer side)); a large one is shrunk to
    ``display_pixels`` on its longer side. The output and difference use
    the same scale, so a "valid" output is drawn smaller than its input.
    """
    factor = display_factor(input_shape, display_pixels)
    return float(factor) if factor > 1 else display_pixels / max(input_shape[0], input_shape[1])


def screen_width(shape, input_shape, display_pixels: int = MIN_DISPLAY_PIXELS) -> int:
    """Width in screen pixels of an image of ``shape`` in the update whose input has ``input_shape``."""
    return round(shape[1] * screen_scale(input_shape, display_pixels))


#: Dimmed and framed: an output left from the last good setting.
# JupyterLab reads keys pressed on a menu, a checkbox or a button inside an output as notebook commands
# (ArrowDown on the kernel menu selects the next cell and moves the focus there, A inserts a cell, ...).
# An element marked data-lm-suppress-shortcuts keeps its keys (JupyterLab checks the focused element
# itself), so every control of the playground is marked, including those drawn later. ipywidgets has no
# attribute of its own for this, and an HTML widget runs no <script>; an image that cannot load runs its
# onerror handler, once the box is on the page.
_KEYS_STAY_HERE = (
    '<img src="data:," alt="" hidden onerror="(function mark(el, tries) {'
    "var box = el.closest('.conv-playground');"
    "if (!box) { if (tries < 100) setTimeout(function () { mark(el, tries + 1); }, 100); return; }"
    "var keep = function () { box.querySelectorAll('select, button, input, textarea, [tabindex]')"
    ".forEach(function (e) { e.setAttribute('data-lm-suppress-shortcuts', 'true'); }); };"
    "box.setAttribute('data-lm-suppress-shortcuts', 'true'); keep();"
    "new MutationObserver(keep).observe(box, {childList: true, subtree: true});"
    '})(this, 0)">'
)
_STALE_CSS = ("<style>.conv-playground .conv-stale img, .conv-playground img.conv-stale "
              "{opacity:0.35}"
              # what has the keyboard's focus is framed: ipywidgets removes outlines with !important
              # (.jupyter-widget-text input[type='number']), which this rule outranks
              ".conv-playground :is(input, select, button, textarea, [tabindex], [contenteditable]):focus-visible, "
              ".conv-playground .noUi-handle:focus "
              "{outline:3px solid #0d47a1 !important;outline-offset:1px}</style>"
              + _KEYS_STAY_HERE)
_STALE_BORDER = "3px dashed #b00020"
_CAPTIONS = {"output": "output (ours)", "difference": "|ours − OpenCV| (white: ≥ 1 grey level)"}


class _DescribedImage(widgets.Image):
    """An Image whose ``tooltip`` is its picture's text alternative (the ``title`` of its <img>).

    ipywidgets 8 puts a tooltip on the element only when the widget's
    ``description`` is empty, and reads that trait on every view: an Image has
    none, so its view fails on a tooltip (8.1). This one carries an empty
    description. ipywidgets 7 has no tooltips: the trait is added and synced,
    read by the static site (tools/build_site.py) and ignored by the view.
    """

    description = Unicode("").tag(sync=True)
    if "tooltip" not in widgets.Image.class_trait_names():
        tooltip = Unicode(None, allow_none=True).tag(sync=True)


def _status_html(text: str) -> str:
    """The status line as a stop for the Tab key after the weight boxes, read out when it changes."""
    return f'<div class="conv-status-text" tabindex="0" role="status" aria-live="polite">{text}</div>'


def kernel_panel_html(kernel: np.ndarray, name: str, operation: str) -> str:
    """The kernel panel: the kernel as chosen for correlate, turned by 180° for convolve.

    Convolution is correlation with the turned kernel, so the panel draws the weights
    that are actually laid over each window (the flip the lesson asks students to watch).
    """
    if operation == "convolve":
        return kernel_html(np.asarray(kernel)[::-1, ::-1], f"{name}, turned by 180° (convolve)")
    return kernel_html(kernel, name)


def _weight_text(value) -> str:
    """A weight as the text its box shows: 5, -1, 0.25 (``repr`` of the float, without ".0")."""
    if isinstance(value, str):
        return value
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


class Playground(_Shell):
    """The 2-D playground: controls for every setting, four live views.

    Views: the input, the kernel (an annotated grid), the output, and
    |output - OpenCV| with the matching border. ``result`` holds the last
    :class:`PlaygroundResult`. Editing one of the nine weights turns the
    kernel into "custom"; choosing a 3×3 kernel from the bank copies its
    weights into the nine boxes, so it can be edited from there. The boxes
    are disabled while a kernel that does not use them is chosen.
    """

    def __init__(self, settings: PlaygroundSettings | None = None, display_pixels: int = MIN_DISPLAY_PIXELS):
        s = PlaygroundSettings() if settings is None else settings
        _check_widget_settings(s)
        if isinstance(display_pixels, bool) or not isinstance(display_pixels, (int, np.integer)) or not (
            1 <= display_pixels <= 4096
        ):
            raise ValueError(f"display_pixels must be a whole number from 1 to 4096; got {display_pixels!r}")
        self._syncing = False
        self._input_key = None
        self._kernel_key = None
        self.display_pixels = display_pixels
        self.stale = False
        short = {"description_width": "70px"}
        self.image = widgets.Dropdown(options=image_names(), value=s.image, description="image", style=short)
        self.crop = widgets.Dropdown(options=list(CROPS.items()), value=s.crop, description="crop", style=short)
        self.color = widgets.Checkbox(value=s.color, description="colour", indent=False)
        self.kernel = widgets.Dropdown(options=KERNEL_CHOICES, value=s.kernel, description="kernel", style=short)
        self.size = widgets.IntSlider(value=s.size, min=1, max=41, step=2, description="blur size", style=short)
        self.sigma = widgets.FloatSlider(value=s.sigma, min=0.2, max=10.0, step=0.1, description="sigma", style=short)
        self.amount = widgets.FloatSlider(value=s.amount, min=0.0, max=5.0, step=0.1, description="amount",
                                          style=short)
        # 100 px: room for "1000000" and a sign.
        # Text boxes, read by parse_weight: a typo ("0,5", "abc", "1e400") gets a message, not a silent value.
        self.weights = [widgets.Text(value=_weight_text(w), continuous_update=False,
                                     layout=widgets.Layout(width="100px")) for w in s.weights]
        for index, box_widget in enumerate(self.weights):  # read out by a screen reader (the box's title)
            box_widget.tooltip = f"weight, row {index // 3 + 1}, column {index % 3 + 1}"
        self.weights_note = widgets.HTML()
        self.border = widgets.Dropdown(options=BORDERS, value=s.border, description="border", style=short)
        self.operation = widgets.ToggleButtons(options=OPERATIONS, value=s.operation,
                                               style={"button_width": "84px"})
        self.display_mode = widgets.ToggleButtons(options=DISPLAY_MODES, value=s.display,
                                                  style={"button_width": "70px"})
        for control, name in [(self.image, "image"), (self.crop, "crop"), (self.color, "colour"), (self.kernel, "kernel"),
                              (self.size, "size"), (self.sigma, "sigma"), (self.amount, "amount"),
                              (self.border, "border"), (self.operation, "operation"),
                              (self.display_mode, "display")]:
            control.add_class(f"conv-{name}")
        for box_widget in self.weights:
            box_widget.add_class("conv-weight")
        self.input_view = _DescribedImage(format="png")
        self.output_view = _DescribedImage(format="png")
        self.difference_view = _DescribedImage(format="png")
        self.output_view.add_class("conv-output")
        self.input_view.add_class("conv-input")
        self.difference_view.add_class("conv-difference")
        self.kernel_view = widgets.HTML(layout=widgets.Layout(min_width="150px"))
        self.status = widgets.HTML()
        self.status.add_class("conv-status")
        self.result: PlaygroundResult | None = None

        weight_grid = widgets.GridBox(self.weights, layout=widgets.Layout(
            grid_template_columns="repeat(3, 104px)", grid_gap="2px"))
        controls = widgets.HBox([
            widgets.VBox([self.image, self.crop, self.color, self.border]),
            widgets.VBox([self.kernel, self.size, self.sigma, self.amount,
                          widgets.HBox([self.operation]), widgets.HBox([self.display_mode])]),
            widgets.VBox([self.weights_note, weight_grid]),
        ])
        self.output_caption = widgets.HTML()
        self.difference_caption = widgets.HTML()
        views = widgets.HBox([
            _labelled(self.input_view, "input"),
            _labelled(self.kernel_view, "kernel"),
            widgets.VBox([self.output_caption, self.output_view]),
            widgets.VBox([self.difference_caption, self.difference_view]),
        ], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))
        self.ui = widgets.VBox([widgets.HTML(_STALE_CSS), controls, self.status, views])
        self.ui.add_class("conv-playground")

        for control in [self.image, self.crop, self.color, self.kernel, self.size, self.sigma, self.amount,
                        self.border, self.operation, self.display_mode, *self.weights]:
            control.observe(self._on_change, names="value")
        self._enable()
        self._mark_stale(False)
        self._safely(self.update)

    @property
    def settings(self) -> PlaygroundSettings:
        """The settings the controls show right now."""
        return PlaygroundSettings(
            image=self.image.value, crop=self.crop.value, color=self.color.value, kernel=self.kernel.value,
            weights=tuple(w.value for w in self.weights), size=self.size.value, sigma=self.sigma.value,
            border=self.border.value, operation=self.operation.value, display=self.display_mode.value,
            amount=self.amount.value,
        )

    def weights_used(self) -> bool:
        """True when the kernel is the nine boxes' (custom) or a 3×3 of the bank they show."""
        name = self.kernel.value
        return name == "custom" or (name in KERNELS and KERNELS[name].shape == (3, 3))

    def _enable(self) -> None:
        name = self.kernel.value
        self.size.disabled = name not in SIZED_KERNELS
        self.sigma.disabled = name not in SIGMA_KERNELS
        self.amount.disabled = name != "unsharp"
        used = self.weights_used()
        for box_widget in self.weights:
            box_widget.disabled = not used
        if used:
            note = '3×3 weights (edit one: the kernel becomes "custom")'
        else:
            note = f'3×3 weights: not used by {name} (choose "custom" or a 3×3 kernel to edit them)'
        self.weights_note.value = f'<div style="font-size:12px;max-width:312px">{note}</div>'

    def _mark_stale(self, stale: bool) -> None:
        """Dim and frame the output and difference views while they show an earlier setting."""
        self.stale = stale
        for view, key, caption in ((self.output_view, "output", self.output_caption),
                                   (self.difference_view, "difference", self.difference_caption)):
            text = _CAPTIONS[key]
            if stale:
                view.add_class("conv-stale")
                view.layout.border = _STALE_BORDER
                caption.value = (f'<div style="font-size:12px;color:#b00020;max-width:256px">{text}: not updated, '
                                 "from the last good setting</div>")
            else:
                view.remove_class("conv-stale")
                view.layout.border = None
                caption.value = f'<div style="font-size:12px">{text}</div>'

    def _on_change(self, change) -> None:
        if self._syncing:
            return
        owner = change["owner"]
        with self._quiet():
            if owner is self.kernel and self.kernel.value in KERNELS and KERNELS[self.kernel.value].shape == (3, 3):
                for box_widget, weight in zip(self.weights, KERNELS[self.kernel.value].ravel(), strict=True):
                    box_widget.value = _weight_text(weight)
            elif owner in self.weights and self.kernel.value != "custom":
                self.kernel.value = "custom"
        self._enable()
        self._safely(self.update)

    def _show(self, view: widgets.Image, image: np.ndarray, input_shape, lossless: bool = False,
              description: str | None = None) -> None:
        """Put ``image`` into ``view`` at the update's screen scale (set by the input's size).

        ``description`` (the picture's text alternative) goes to the browser in
        the same message as the picture, so the view is redrawn once.
        """
        factor = display_factor(input_shape, self.display_pixels)
        with view.hold_sync():
            show_in(view, image, lossless=lossless, factor=factor)
            if description is not None:
                view.tooltip = description
        width = f"{screen_width(image.shape, input_shape, self.display_pixels)}px"
        if view.layout.width != width:
            view.layout.width = width

    def update(self) -> PlaygroundResult:
        """Recompute from the controls and refresh the views that changed."""
        settings = self.settings
        result = run_playground(settings)
        self.result = result
        key = (settings.image, settings.crop, settings.color)
        if result.input is not None and key != self._input_key:
            self._show(self.input_view, result.input, result.input.shape,
                       description=self._descriptions(settings, result)["input"])
            self._input_key = key
        if result.kernel is not None:
            kernel_key = (settings.kernel, settings.operation, result.kernel.shape, result.kernel.tobytes())
            if kernel_key != self._kernel_key:  # a border or display change keeps the grid
                self.kernel_view.value = kernel_panel_html(result.kernel, settings.kernel, settings.operation)
                self._kernel_key = kernel_key
        if not result.ok:
            self._mark_stale(True)
            if self.output_view.value:
                where = ("the output and difference images below are dimmed and framed in red: "
                         "they are from the last good setting")
            else:
                where = "no output yet: the images appear with the first setting that works"
            self.status.value = _status_html(_message_html(result.message, where))
            for view in (self.output_view, self.difference_view):
                if view.value:
                    view.tooltip = f"{view.tooltip.split(' (not updated')[0]} (not updated: {result.message})"
            return result
        # the status line first: it is what a screen reader announces, and it is there when the picture is
        height, width = result.output.shape[:2]
        info = (f"{settings.operation} with a {result.kernel.shape[0]}×{result.kernel.shape[1]} kernel, "
                f"output {height}×{width}, values {result.output.min():.1f} to "
                f"{result.output.max():.1f}; largest difference from OpenCV: "
                f"{result.max_difference:.1e} grey levels")
        self.status.value = _status_html(_message_html(result.message, info))
        described = self._descriptions(settings, result)
        self._show(self.output_view, result.shown, result.input.shape, description=described["output"])
        self._show(self.difference_view, difference_image(result.difference), result.input.shape, lossless=True,
                   description=described["difference"])
        if self.stale:
            self._mark_stale(False)
        return result

    @staticmethod
    def _descriptions(settings: PlaygroundSettings, result: PlaygroundResult) -> dict[str, str]:
        """Each view's text alternative (its ``tooltip``, the picture's title): what it shows after this change."""
        crop = next(name for name, side in CROPS.items() if side == (settings.crop or 0))
        shape = result.input.shape
        described = {"input": f"input: {settings.image}, {crop}, {shape[0]}×{shape[1]} pixels, "
                              f"{'colour' if settings.color else 'grey'}"}
        if result.ok:
            k_h, k_w = result.kernel.shape
            height, width = result.output.shape[:2]
            described["output"] = (
                f"output: {settings.operation} with the {settings.kernel} kernel ({k_h}×{k_w}), border "
                f"{settings.border}, {height}×{width} pixels, values {result.output.min():.1f} to "
                f"{result.output.max():.1f} shown by {settings.display}; largest difference from OpenCV "
                f"{result.max_difference:.1e} grey levels")
            described["difference"] = (
                f"difference from OpenCV ({settings.kernel} kernel, border {settings.border}): largest "
                f"{result.max_difference:.1e} grey levels, white where it is 1 grey level or more")
        return described

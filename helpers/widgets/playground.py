"""The 2-D playground of notebook 06: every setting of a convolution on a control.

:func:`run_playground` computes one update from a :class:`PlaygroundSettings`
(tests call it without a browser); :class:`Playground` is the ipywidgets
shell that reads the controls, calls it and puts the images into widgets
that already exist.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import ipywidgets as widgets
import numpy as np

from ..convolution import OPENCV_BORDERS, convolve, correlate, is_separable
from ..images import load_image, sample_names, to_uint8
from ..kernels import KERNELS, box, gaussian
from ..validation import BORDERS
from .rendering import _labelled, _message_html, _Shell, kernel_html, show_in

#: The kernel menu of the playground: a custom 3×3, the two blur builders, then the bank.
KERNEL_CHOICES = ("custom", "box", "gaussian", *KERNELS)
OPERATIONS = ("correlate", "convolve")
DISPLAY_MODES = ("clip", "rescale")
#: Centre crops offered by the playground, by side in pixels (0 keeps the whole image).
CROPS = {"whole image": 0, "128×128 centre": 128, "32×32 centre": 32, "16×16 centre": 16}


class SettingsError(ValueError):
    """A setting the playground cannot use; the text is meant for the student."""


# --------------------------------------------------------------------------- 2-D playground: logic


@dataclass(frozen=True)
class PlaygroundSettings:
    """Everything the 2-D playground's controls choose."""

    image: str = "camera"
    crop: int | None = 0  # side of a centre crop; 0 (or None) for the whole image
    color: bool = False
    kernel: str = "sharpen"  # one of KERNEL_CHOICES
    weights: tuple[float, ...] = (0, -1, 0, -1, 5, -1, 0, -1, 0)  # the custom 3×3, row by row
    size: int = 7  # side of the box or Gaussian kernel (odd)
    sigma: float = 1.5  # Gaussian sigma, in pixels
    border: str = "replicate"
    operation: str = "correlate"
    display: str = "clip"


@dataclass(frozen=True)
class PlaygroundResult:
    """What one update of the playground computes.

    ``output`` is the float result of the series' own convolver, ``shown``
    its uint8 version (clipped or rescaled), ``difference`` is
    ``output - reference`` where ``reference`` is ``cv2.filter2D`` with the
    matching border. ``message`` is empty when all is well, otherwise a short
    sentence for the student; when ``ok`` is False nothing was computed.
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
        return None if self.difference is None else float(np.abs(self.difference).max())


@lru_cache(maxsize=1)
def _sample_names() -> tuple[str, ...]:
    return tuple(sample_names())


@lru_cache(maxsize=16)
def _sample(name: str, color: bool) -> np.ndarray:
    image = load_image(name, gray=not color)
    image.setflags(write=False)
    return image


def playground_input(settings: PlaygroundSettings) -> np.ndarray:
    """The sample image the settings name, in grey or colour, centre-cropped if asked (read-only)."""
    if settings.image not in _sample_names():
        raise SettingsError(f"unknown image {settings.image!r}; choose one of {', '.join(_sample_names())}")
    image = _sample(settings.image, bool(settings.color))
    side = settings.crop
    if side is None or side == 0:
        return image
    if isinstance(side, bool) or not isinstance(side, (int, np.integer)) or side < 0:
        raise SettingsError(f"crop must be a whole number of pixels (0 for the whole image); got {side!r}")
    height, width = image.shape[:2]
    top, left = max(0, (height - side) // 2), max(0, (width - side) // 2)
    return image[top : top + side, left : left + side]


def playground_kernel(settings: PlaygroundSettings) -> np.ndarray:
    """The kernel the settings describe: the custom 3×3, a box, a Gaussian or one of the bank."""
    name = settings.kernel
    if name == "custom":
        try:
            weights = np.array(settings.weights, dtype=np.float64)
        except (TypeError, ValueError):
            raise SettingsError("every custom weight must be a number") from None
        if weights.size != 9:
            raise SettingsError(f"the custom kernel needs 9 weights (3×3); got {weights.size}")
        if not np.all(np.isfinite(weights)):
            raise SettingsError("every custom weight must be a finite number")
        return weights.reshape(3, 3)
    if name in ("box", "gaussian"):
        size = settings.size
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1 or size % 2 == 0:
            raise SettingsError(
                f"blur size must be odd (1, 3, 5, ...) so the kernel has a centre pixel; got {size}"
            )
        if name == "box":
            return box(int(size))
        sigma = settings.sigma
        if not isinstance(sigma, (int, float, np.integer, np.floating)) or not np.isfinite(sigma) or sigma <= 0:
            raise SettingsError(f"sigma must be a number above 0; got {sigma}")
        return gaussian(int(size), float(sigma))
    if name in KERNELS:
        return np.array(KERNELS[name])
    raise SettingsError(f"unknown kernel {name!r}; choose one of {', '.join(KERNEL_CHOICES)}")


def own_method(kernel: np.ndarray) -> str:
    """Which of the series' own NumPy methods the playground uses for ``kernel``.

    Rank-1 kernels (box, Gaussian, Sobel) go through two 1-D passes; others
    through shifted sums, or the FFT from 11×11 on. OpenCV is kept for the
    reference, so the difference panel compares two independent computations.
    """
    if is_separable(kernel):
        return "separable"
    return "fft" if kernel.size >= 121 else "vectorized"


def opencv_reference(image: np.ndarray, kernel: np.ndarray, border: str, operation: str) -> np.ndarray:
    """``cv2.filter2D`` with the border that matches ``border``, in float64.

    filter2D computes correlation, so for ``operation="convolve"`` the kernel
    is rotated by 180° first. It has no wrap-around border and no "valid"
    output: for those the image is padded first (wrap) and the result cut.
    """
    if operation == "convolve":
        kernel = kernel[::-1, ::-1]
    source = np.ascontiguousarray(image, dtype=np.float64)
    pad_rows, pad_cols = kernel.shape[0] // 2, kernel.shape[1] // 2
    if border not in ("valid", "wrap"):
        return cv2.filter2D(source, cv2.CV_64F, kernel, borderType=OPENCV_BORDERS[border])
    if border == "wrap":
        source = cv2.copyMakeBorder(source, pad_rows, pad_rows, pad_cols, pad_cols, cv2.BORDER_WRAP)
    result = cv2.filter2D(source, cv2.CV_64F, kernel, borderType=cv2.BORDER_CONSTANT)
    return result[pad_rows : result.shape[0] - pad_rows, pad_cols : result.shape[1] - pad_cols]


def _check_choices(settings: PlaygroundSettings) -> None:
    for value, name, choices in (
        (settings.border, "border", BORDERS),
        (settings.operation, "operation", OPERATIONS),
        (settings.display, "display", DISPLAY_MODES),
    ):
        if value not in choices:
            raise SettingsError(f"unknown {name} {value!r}; choose one of {', '.join(choices)}")


def run_playground(settings: PlaygroundSettings, image: np.ndarray | None = None) -> PlaygroundResult:
    """Compute one update of the playground; never raises for a bad setting.

    output = correlate(image, kernel) or convolve(image, kernel) with the
    chosen border, by the series' own NumPy code (:func:`own_method`);
    shown = to_uint8(output, display); difference = output - cv2.filter2D(...).
    ``image`` replaces the sample the settings name (tests use small arrays).
    """
    try:
        _check_choices(settings)
        if image is None:
            image = playground_input(settings)
        kernel = playground_kernel(settings)
    except (SettingsError, FileNotFoundError, ValueError, TypeError) as error:
        return PlaygroundResult(settings, input=image, message=str(error))
    height, width = image.shape[:2]
    if kernel.shape[0] > height or kernel.shape[1] > width:
        message = (
            f"the {kernel.shape[0]}×{kernel.shape[1]} kernel is larger than the {height}×{width} image: "
            "choose a smaller blur size or a bigger crop"
        )
        return PlaygroundResult(settings, input=image, kernel=kernel, message=message)
    method = own_method(kernel)
    apply = convolve if settings.operation == "convolve" else correlate
    try:
        output = apply(image, kernel, border=settings.border, method=method)
        reference = opencv_reference(image, kernel, settings.border, settings.operation)
        shown = to_uint8(output, settings.display)
    except (ValueError, TypeError) as error:
        return PlaygroundResult(settings, input=image, kernel=kernel, message=str(error))
    notes = []
    if not np.any(kernel):
        notes.append("every weight is 0, so every output pixel is 0")
    low, high = float(output.min()), float(output.max())
    if settings.display == "rescale" and high == low:
        notes.append(f"the output is {low:g} everywhere, so rescale has no range to stretch and shows black")
    return PlaygroundResult(
        settings, image, kernel, output, shown, reference, output - reference, method, "; ".join(notes)
    )


def difference_image(difference: np.ndarray) -> np.ndarray:
    """|difference| as a uint8 grey image where 1 grey level or more is white (colour: worst channel).

    pixel = min(255, round(255 · |difference|)), one pass of ``cv2.convertScaleAbs``.
    """
    magnitude = cv2.convertScaleAbs(np.asarray(difference, dtype=np.float64), alpha=255.0)
    if magnitude.ndim == 3:  # the worst channel, pairwise (faster than a reduction over a short axis)
        worst = magnitude[:, :, 0]
        for channel in range(1, magnitude.shape[2]):
            worst = np.maximum(worst, magnitude[:, :, channel])
        return worst
    return magnitude


class Playground(_Shell):
    """The 2-D playground: controls for every setting, four live views.

    Views: the input, the kernel (an annotated grid), the output, and
    |output - cv2.filter2D| with the matching border. ``result`` holds the
    last :class:`PlaygroundResult`. Editing one of the nine weights turns the
    kernel into "custom"; choosing a 3×3 kernel from the bank copies its
    weights into the nine boxes, so it can be edited from there.
    """

    def __init__(self, settings: PlaygroundSettings | None = None, image_width: str = "250px"):
        s = settings or PlaygroundSettings()
        self._syncing = False
        self._input_key = None
        self._kernel_key = None
        short = {"description_width": "70px"}
        self.image = widgets.Dropdown(options=sample_names(), value=s.image, description="image", style=short)
        self.crop = widgets.Dropdown(options=list(CROPS.items()), value=s.crop, description="crop", style=short)
        self.color = widgets.Checkbox(value=s.color, description="colour", indent=False)
        self.kernel = widgets.Dropdown(options=KERNEL_CHOICES, value=s.kernel, description="kernel", style=short)
        self.size = widgets.IntSlider(value=s.size, min=1, max=41, step=2, description="blur size", style=short)
        self.sigma = widgets.FloatSlider(value=s.sigma, min=0.2, max=10.0, step=0.1, description="sigma", style=short)
        self.weights = [
            widgets.FloatText(value=w, layout=widgets.Layout(width="64px")) for w in s.weights
        ]
        self.border = widgets.Dropdown(options=BORDERS, value=s.border, description="border", style=short)
        self.operation = widgets.ToggleButtons(options=OPERATIONS, value=s.operation,
                                               style={"button_width": "84px"})
        self.display_mode = widgets.ToggleButtons(options=DISPLAY_MODES, value=s.display,
                                                  style={"button_width": "70px"})
        for control, name in [(self.image, "image"), (self.crop, "crop"), (self.kernel, "kernel"),
                              (self.size, "size"), (self.sigma, "sigma"), (self.border, "border"),
                              (self.operation, "operation"), (self.display_mode, "display")]:
            control.add_class(f"conv-{name}")
        layout = widgets.Layout(width=image_width)
        self.input_view = widgets.Image(format="png", layout=layout)
        self.output_view = widgets.Image(format="png", layout=layout)
        self.difference_view = widgets.Image(format="png", layout=layout)
        self.output_view.add_class("conv-output")
        self.input_view.add_class("conv-input")
        self.difference_view.add_class("conv-difference")
        self.kernel_view = widgets.HTML(layout=widgets.Layout(min_width="150px"))
        self.status = widgets.HTML()
        self.status.add_class("conv-status")
        self.result: PlaygroundResult | None = None

        weight_grid = widgets.GridBox(self.weights, layout=widgets.Layout(
            grid_template_columns="repeat(3, 68px)", grid_gap="2px"))
        controls = widgets.HBox([
            widgets.VBox([self.image, self.crop, self.color, self.border]),
            widgets.VBox([self.kernel, self.size, self.sigma,
                          widgets.HBox([self.operation]), widgets.HBox([self.display_mode])]),
            widgets.VBox([widgets.HTML('<div style="font-size:12px">3×3 weights (edit one: the kernel '
                                       'becomes "custom")</div>'), weight_grid]),
        ])
        views = widgets.HBox([
            _labelled(self.input_view, "input"),
            _labelled(self.kernel_view, "kernel"),
            _labelled(self.output_view, "output (ours)"),
            _labelled(self.difference_view, "|ours − cv2.filter2D| (white: ≥ 1 grey level)"),
        ], layout=widgets.Layout(flex_flow="row wrap"))
        self.ui = widgets.VBox([controls, self.status, views])
        self.ui.add_class("conv-playground")

        for control in [self.image, self.crop, self.color, self.kernel, self.size, self.sigma,
                        self.border, self.operation, self.display_mode, *self.weights]:
            control.observe(self._on_change, names="value")
        self._enable()
        self._safely(self.update)

    @property
    def settings(self) -> PlaygroundSettings:
        """The settings the controls show right now."""
        return PlaygroundSettings(
            image=self.image.value, crop=self.crop.value, color=self.color.value, kernel=self.kernel.value,
            weights=tuple(w.value for w in self.weights), size=self.size.value, sigma=self.sigma.value,
            border=self.border.value, operation=self.operation.value, display=self.display_mode.value,
        )

    def _enable(self) -> None:
        self.size.disabled = self.kernel.value not in ("box", "gaussian")
        self.sigma.disabled = self.kernel.value != "gaussian"

    def _on_change(self, change) -> None:
        if self._syncing:
            return
        owner = change["owner"]
        with self._quiet():
            if owner is self.kernel and self.kernel.value in KERNELS and KERNELS[self.kernel.value].shape == (3, 3):
                for box_widget, weight in zip(self.weights, KERNELS[self.kernel.value].ravel(), strict=True):
                    box_widget.value = float(weight)
            elif owner in self.weights and self.kernel.value != "custom":
                self.kernel.value = "custom"
        self._enable()
        self._safely(self.update)

    def update(self) -> PlaygroundResult:
        """Recompute from the controls and refresh the views that changed."""
        settings = self.settings
        result = run_playground(settings)
        self.result = result
        key = (settings.image, settings.crop, settings.color)
        if result.input is not None and key != self._input_key:
            show_in(self.input_view, result.input)
            self._input_key = key
        if result.kernel is not None:
            kernel_key = (settings.kernel, result.kernel.shape, result.kernel.tobytes())
            if kernel_key != self._kernel_key:  # a border or display change keeps the grid
                self.kernel_view.value = kernel_html(result.kernel, settings.kernel)
                self._kernel_key = kernel_key
        if not result.ok:
            self.status.value = _message_html(result.message, "(the output above is from the last good setting)")
            return result
        show_in(self.output_view, result.shown)
        show_in(self.difference_view, difference_image(result.difference), lossless=True)
        height, width = result.output.shape[:2]
        info = (f"{settings.operation} with a {result.kernel.shape[0]}×{result.kernel.shape[1]} kernel "
                f"({result.method} method), output {height}×{width}, values {result.output.min():.1f} to "
                f"{result.output.max():.1f}; largest difference from cv2.filter2D: "
                f"{result.max_difference:.1e} grey levels")
        self.status.value = _message_html(result.message, info)
        return result

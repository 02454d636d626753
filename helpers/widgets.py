"""The sliders of notebook 06: a 2-D playground, a step-through view, a 1-D explorer.

Each view is two layers:

- plain functions that take settings and return arrays plus a message for
  the student (:func:`run_playground`, :func:`step_html`,
  :func:`helpers.signals.slide_1d`); tests call them without a browser;
- a thin ipywidgets shell (:class:`Playground`, :class:`StepThrough`,
  :class:`Explorer1D`) that reads its controls, calls the function and puts
  the result into widgets that already exist. Images are sent as PNG or JPEG bytes
  into an ``ipywidgets.Image``: no new figure is built on a slider move.

A setting the helpers cannot use (an all-zero kernel with rescale, a blur
larger than the image, an even size) shows a short message under the
controls; nothing raises, and the controls keep working.
"""
from __future__ import annotations

import html
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import cv2
import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .convolution import OPENCV_BORDERS, convolve, correlate, is_separable
from .images import load_image, sample_names, to_uint8
from .kernels import KERNELS, box, gaussian
from .signals import KERNELS_1D, SIGNALS_1D, slide_1d
from .stepping import step_at, step_count
from .validation import BORDERS

#: The kernel menu of the playground: a custom 3×3, the two blur builders, then the bank.
KERNEL_CHOICES = ("custom", "box", "gaussian", *KERNELS)
OPERATIONS = ("correlate", "convolve")
DISPLAY_MODES = ("clip", "rescale")
#: Centre crops offered by the playground, by side in pixels (0 keeps the whole image).
CROPS = {"whole image": 0, "128×128 centre": 128, "32×32 centre": 32, "16×16 centre": 16}
#: Small images are enlarged (nearest neighbour, so pixels stay square) to at least this size.
MIN_DISPLAY_PIXELS = 256


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


def _enlarged(image: np.ndarray, min_pixels: int) -> tuple[np.ndarray, int]:
    factor = max(1, -(-min_pixels // max(image.shape[:2])))
    if factor > 1:
        image = np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)
    return image, factor


def encode_image(image: np.ndarray, lossless: bool = False, min_pixels: int = MIN_DISPLAY_PIXELS) -> tuple[bytes, str]:
    """Bytes and format ("png" or "jpeg") of a uint8 grey or RGB image, for an ``ipywidgets.Image``.

    Images smaller than ``min_pixels`` on their longer side are enlarged by a
    whole factor first (each pixel becomes a square block), so a 16×16 crop
    shows its pixels instead of a blur; those, and anything asked to be
    ``lossless``, are written as PNG (compression level 1, run-length
    strategy: fast, and tiny for mostly flat images). A full-size photo is
    written as JPEG at quality 90, several times faster than PNG and half
    the bytes, with no visible loss at display size.
    """
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise TypeError(f"image must be a 2-D or H×W×3 uint8 array; got {image.dtype} with shape {image.shape}")
    if lossless and not image.any():
        # The difference panel is black nearly always: encode each black size once.
        return _black_png(image.shape[:2], min_pixels), "png"
    return _encode(image, lossless, min_pixels)


@lru_cache(maxsize=8)
def _black_png(shape: tuple[int, int], min_pixels: int) -> bytes:
    return _encode(np.zeros(shape, dtype=np.uint8), True, min_pixels)[0]


def _encode(image: np.ndarray, lossless: bool, min_pixels: int) -> tuple[bytes, str]:
    image, factor = _enlarged(image, min_pixels)
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)  # OpenCV writes BGR
    if lossless or factor > 1:
        params = [cv2.IMWRITE_PNG_COMPRESSION, 1, cv2.IMWRITE_PNG_STRATEGY, cv2.IMWRITE_PNG_STRATEGY_RLE]
        extension, fmt = ".png", "png"
    else:
        params, extension, fmt = [cv2.IMWRITE_JPEG_QUALITY, 90], ".jpg", "jpeg"
    ok, buffer = cv2.imencode(extension, image, params)
    if not ok:
        raise ValueError(f"OpenCV could not encode the image as {fmt}")
    return buffer.tobytes(), fmt


def show_in(view: widgets.Image, image: np.ndarray, lossless: bool = False) -> None:
    """Put a uint8 image into an existing ``ipywidgets.Image`` (format first, then the bytes)."""
    data, fmt = encode_image(image, lossless=lossless)
    if view.format != fmt:
        view.format = fmt
    view.value = data


# --------------------------------------------------------------------------- HTML grids


def format_weight(value: float) -> str:
    """A kernel weight as short text: 5, -0.25, 1/49 (a simple fraction) or 0.061."""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    fraction = Fraction(value).limit_denominator(999)
    if abs(float(fraction) - value) < 1e-12 and fraction.denominator > 4:
        return f"{fraction.numerator}/{fraction.denominator}"
    return f"{value:.3g}" if abs(value) < 0.01 else f"{value:.3f}".rstrip("0")


def _weight_colour(value: float, limit: float) -> str:
    """White for 0, red for positive, blue for negative, stronger with |value|."""
    strength = 0.0 if limit == 0 else min(1.0, abs(value) / limit)
    fade = int(round(255 * (1 - 0.75 * strength)))
    return f"rgb(255,{fade},{fade})" if value > 0 else f"rgb({fade},{fade},255)"


def _grey_colour(value: float) -> tuple[str, str]:
    level = int(np.clip(round(value), 0, 255))
    return f"rgb({level},{level},{level})", ("black" if level > 110 else "white")


_CELL = "width:{s}px;height:{s}px;text-align:center;font-size:{f}px;padding:0;{extra}"


def kernel_html(kernel: np.ndarray, title: str = "kernel") -> str:
    """The kernel as an HTML grid: weights written in (up to 7×7), red positive, blue negative."""
    kernel = np.asarray(kernel, dtype=np.float64)
    k_h, k_w = kernel.shape
    limit = float(np.abs(kernel).max())
    written = max(k_h, k_w) <= 7
    side = min(40, 230 // max(k_h, k_w)) if written else max(4, 230 // max(k_h, k_w))
    rows = []
    for r in range(k_h):
        cells = []
        for c in range(k_w):
            value = kernel[r, c]
            # Exact text (fractions) only where it is written; a cheap tooltip for big grids.
            text = format_weight(value) if written else f"{value:.4g}"
            style = _CELL.format(s=side, f=10 if k_h > 3 else 12, extra=f"background:{_weight_colour(value, limit)};border:1px solid #ccc")
            cells.append(f'<td style="{style}" title="{html.escape(text)}">{html.escape(text) if written else ""}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"{html.escape(title)}: {k_h}×{k_w}, weights sum to {format_weight(round(kernel.sum(), 12))}"
    if not written:
        caption += f", centre {format_weight(kernel[k_h // 2, k_w // 2])}"
    return (
        f'<div class="conv-kernel-grid"><div style="font-size:12px">{caption}</div>'
        f'<table style="border-collapse:collapse">{"".join(rows)}</table></div>'
    )


def _grid_html(values: np.ndarray, title: str, style_of) -> str:
    rows = []
    for r in range(values.shape[0]):
        cells = []
        for c in range(values.shape[1]):
            text, style = style_of(r, c, values[r, c])
            cells.append(f'<td style="{style}">{html.escape(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div style="margin-right:14px"><div style="font-size:12px;margin-bottom:2px">{html.escape(title)}</div>'
        f'<table style="border-collapse:collapse">{"".join(rows)}</table></div>'
    )


def step_html(image, kernel, index: int, border: str = "valid", decimals: int = 1) -> str:
    """One step of the sliding window as HTML: input with the window, products and sum, output so far.

    Uses :func:`helpers.stepping.step_at`, so the numbers are those of
    out(row, col) = sum_mn padded(row + m, col + n) · kernel(m, n).
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    step = step_at(image, kernel, index, border=border)
    k_h, k_w = kernel.shape
    pad_r, pad_c = (0, 0) if border == "valid" else (k_h // 2, k_w // 2)
    rows, cols = np.asarray(image).shape
    red = "border:3px solid #d62728"
    plain = "border:1px solid #ddd"

    def window_edges(r, c) -> str:
        """Red lines on the window's outer edges only, so it reads as one frame."""
        if not (step.row <= r < step.row + k_h and step.col <= c < step.col + k_w):
            return plain
        sides = {"top": r == step.row, "bottom": r == step.row + k_h - 1,
                 "left": c == step.col, "right": c == step.col + k_w - 1}
        return plain + "".join(f";border-{side}:3px solid #d62728" for side, edge in sides.items() if edge)

    def input_cell(r, c, value):
        padding = not (pad_r <= r < pad_r + rows and pad_c <= c < pad_c + cols)
        background, colour = _grey_colour(value)
        extra = f"background:{background};color:{colour};{window_edges(r, c)}"
        if padding:
            extra += ";font-style:italic;opacity:0.55"
        return format_weight(round(value, decimals)), _CELL.format(s=30, f=10, extra=extra)

    limit = float(np.abs(step.products).max())

    def product_cell(r, c, value):
        extra = f"background:{_weight_colour(value, limit)};{plain}"
        return f"{value:.{decimals}f}", _CELL.format(s=44, f=10, extra=extra)

    finite = step.partial_output[np.isfinite(step.partial_output)]
    low, high = float(finite.min()), float(finite.max())

    def output_cell(r, c, value):
        here = (r, c) == (step.row, step.col)
        if not np.isfinite(value):
            return "", _CELL.format(s=36, f=10, extra=plain)
        level = 128.0 if high == low else 255.0 * (value - low) / (high - low)
        background, colour = _grey_colour(level)
        extra = f"background:{background};color:{colour};{red if here else plain}"
        return f"{value:.{decimals}f}", _CELL.format(s=36, f=10, extra=extra)

    input_title = "input" + ("" if border == "valid" else f", padded ({border}, italic)") + ", window in red"
    return (
        f'<div class="conv-step"><div style="font-size:13px;margin-bottom:4px">step {step.index + 1} of '
        f"{step_count(image, kernel, border)}: output pixel (row {step.row}, column {step.col}) = "
        f"sum of the products = <b>{step.value:.{decimals}f}</b></div>"
        '<div style="display:flex;flex-wrap:wrap;align-items:flex-start">'
        + _grid_html(step.padded, input_title, input_cell)
        + _grid_html(kernel, "kernel", lambda r, c, v: (format_weight(v), _CELL.format(
            s=30, f=10, extra=f"background:{_weight_colour(v, float(np.abs(kernel).max()))};{plain}")))
        + _grid_html(step.products, f"window × kernel (sum {step.value:.{decimals}f})", product_cell)
        + _grid_html(step.partial_output, "output so far", output_cell)
        + "</div></div>"
    )


# --------------------------------------------------------------------------- widget shells


def _message_html(message: str, info: str = "") -> str:
    parts = []
    if message:
        parts.append(f'<span style="color:#b00020">⚠ {html.escape(message)}</span>')
    if info:
        parts.append(f'<span style="color:#444">{html.escape(info)}</span>')
    return '<div style="font-size:13px">' + "<br>".join(parts) + "</div>"


class _Shell:
    """Common parts of the widget shells: display in a notebook and a re-entrancy guard."""

    ui: widgets.Widget
    last_error: str = ""

    def _repr_mimebundle_(self, **kwargs):
        """Show the widget; the plain-text fallback says what to do when the front end is missing."""
        bundle = self.ui._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = (
            f"[{type(self).__name__}: its controls appear here in JupyterLab while the notebook runs. "
            "If you are reading this line in JupyterLab instead, the widget front end is missing: "
            "see notebook 00.]"
        )
        return bundle

    @contextmanager
    def _quiet(self):
        """Change controls from code without each change starting an update."""
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = False

    def _safely(self, update) -> None:
        """Run an update; anything unexpected becomes a message, never a traceback.

        The traceback is kept in ``last_error`` for whoever debugs the widget.
        """
        try:
            update()
        except Exception as error:  # the last line of defence for a live widget
            self.last_error = traceback.format_exc()
            self.status.value = _message_html(f"could not update: {type(error).__name__}: {error}")


def _labelled(view: widgets.Widget, caption: str) -> widgets.VBox:
    return widgets.VBox([widgets.HTML(f'<div style="font-size:12px">{html.escape(caption)}</div>'), view])


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


#: The 3×3 kernels offered by the step-through view.
STEP_KERNELS = {"box 3×3": box(3), **{name: np.array(k) for name, k in KERNELS.items() if k.shape == (3, 3)}}


def step_sample() -> np.ndarray:
    """The small input of the step-through view: a 6×6 patch of "camera" across an edge."""
    return load_image("camera")[181:187, 238:244].copy()


class StepThrough(_Shell):
    """A position slider that walks the kernel over a small image, one output pixel per step."""

    def __init__(self, image=None, kernel: str = "sobel_x", border: str = "valid"):
        self._syncing = False
        self.source = step_sample() if image is None else np.asarray(image)
        short = {"description_width": "70px"}
        self.kernel = widgets.Dropdown(options=list(STEP_KERNELS), value=kernel, description="kernel", style=short)
        self.border = widgets.Dropdown(options=BORDERS, value=border, description="border", style=short)
        # Steps are counted from 1 on the slider, as in the heading "step 7 of 16" (index 6).
        self.position = widgets.IntSlider(value=1, min=1, max=2, description="step", style=short,
                                          layout=widgets.Layout(width="420px"))
        self.play = widgets.Play(value=1, min=1, max=2, interval=700, description="play")
        widgets.jslink((self.play, "value"), (self.position, "value"))
        self.position.add_class("conv-step-position")
        self.view = widgets.HTML()
        self.status = widgets.HTML()
        self.ui = widgets.VBox([
            widgets.HBox([self.kernel, self.border]),
            widgets.HBox([self.play, self.position]),
            self.status, self.view,
        ])
        self.ui.add_class("conv-step-through")
        for control in (self.kernel, self.border, self.position):
            control.observe(self._on_change, names="value")
        self._resize()
        self._safely(self.update)

    def _resize(self) -> None:
        """Fit the slider to the number of steps of the current kernel and border."""
        count = step_count(self.source, STEP_KERNELS[self.kernel.value], self.border.value)
        with self._quiet():
            self.position.max = self.play.max = max(1, count)
            self.position.value = min(self.position.value, self.position.max)

    def _on_change(self, change) -> None:
        if self._syncing:
            return
        if change["owner"] is not self.position:
            self._safely(self._resize)
        self._safely(self.update)

    def update(self) -> None:
        kernel = STEP_KERNELS[self.kernel.value]
        if step_count(self.source, kernel, self.border.value) == 0:
            self.status.value = _message_html("the kernel does not fit inside the image with border 'valid'")
            return
        self.view.value = step_html(self.source, kernel, self.position.value - 1, self.border.value)
        self.status.value = ""


class _Slide1DFigure:
    """One matplotlib figure, drawn off screen once and then updated in place.

    The axes, the signal and the titles are drawn once per (signal, kernel)
    and kept as a background; each shift restores that background and draws
    only the artists that move (matplotlib's "blitting"), several times
    faster than redrawing the figure.
    """

    def __init__(self, width: float = 8.0, height: float = 5.4, dpi: int = 80):
        self.figure = Figure(figsize=(width, height), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(3, 1, sharex=True)
        self._key = None

    def _build(self, signal, kernel, first) -> None:
        top, middle, bottom = self.axes
        for ax in self.axes:
            ax.clear()
            ax.axhline(0, color="#999", linewidth=0.8)
            ax.grid(alpha=0.3)
        full = np.convolve(signal, kernel)
        positions = first.positions
        top.plot(positions, first.signal, "o-", color="#555", label="signal x[j] (0 outside)")
        (self.kernel_line,) = top.plot(positions, first.placed_kernel, "s-", color="#ff7f0e",
                                       label="flipped kernel k[n − j]", animated=True)
        top.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=9, frameon=False)
        top.set_ylim(min(first.signal.min(), kernel.min(), 0) - 0.25, max(first.signal.max(), kernel.max(), 0) + 0.25)
        self.bars = middle.bar(positions, np.zeros(len(positions)), width=0.7, color="#2ca02c", animated=True)
        bound = max(np.abs(signal).max() * np.abs(kernel).max(), 1e-9) * 1.15
        middle.set_ylim(-bound, bound)
        middle.set_title("their products x[j] · k[n − j], where both exist", fontsize=10)
        (self.output_line,) = bottom.plot(positions, first.output, "o-", color="#1f77b4", animated=True)
        (self.current_dot,) = bottom.plot([], [], "o", color="#d62728", markersize=9, animated=True)
        spread = max(np.abs(full).max(), 1e-9)
        bottom.set_ylim(min(full.min(), 0) - 0.15 * spread, max(full.max(), 0) + 0.15 * spread)
        bottom.set_title("the output y[n] = sum of the products, built up to n", fontsize=10)
        bottom.set_xlabel("position (j in the top panels, n in the bottom one)")
        self.markers = [ax.axvline(0, color="#d62728", linewidth=1, alpha=0.6, animated=True) for ax in self.axes]
        self.figure.subplots_adjust(left=0.08, right=0.98, top=0.94, bottom=0.1, hspace=0.45)
        self.canvas.draw()  # everything that does not move
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)

    def render(self, key, signal, kernel, slide) -> np.ndarray:
        """Draw ``slide`` (rebuilding the background when ``key`` changed); return the RGB pixels."""
        if key != self._key:
            self._build(signal, kernel, slide)
            self._key = key
        self.canvas.restore_region(self._background)
        self.kernel_line.set_ydata(slide.placed_kernel)
        for bar, height in zip(self.bars, np.nan_to_num(slide.products), strict=True):
            bar.set_height(height)
        self.output_line.set_ydata(slide.output)
        self.current_dot.set_data([slide.shift], [slide.value])
        for marker in self.markers:
            marker.set_xdata([slide.shift, slide.shift])
        moving = [self.kernel_line, *self.bars, self.output_line, self.current_dot, *self.markers]
        for artist in moving:
            artist.axes.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()


def slide_text(slide) -> str:
    """One line for the explorer: which shift, which products, which output value."""
    taps = [f"{x:.3g}·{k:.3g}" if k >= 0 else f"{x:.3g}·({k:.3g})"
            for x, k in zip(slide.signal, slide.placed_kernel, strict=True) if np.isfinite(k)]
    return f"n = {slide.shift}: y[{slide.shift}] = " + " + ".join(taps) + f" = {slide.value:.3f}"


class Explorer1D(_Shell):
    """Slide the flipped kernel along a 1-D signal; watch the products and the output grow."""

    def __init__(self, signal: str = "step", kernel: str = "difference [1, 0, -1]"):
        self._syncing = False
        short = {"description_width": "60px"}
        self.signal = widgets.Dropdown(options=list(SIGNALS_1D), value=signal, description="signal", style=short)
        self.kernel = widgets.Dropdown(options=list(KERNELS_1D), value=kernel, description="kernel", style=short)
        self.shift = widgets.IntSlider(value=0, min=0, max=1, description="shift n", style=short,
                                       layout=widgets.Layout(width="420px"))
        self.play = widgets.Play(min=0, max=1, interval=500, description="play")
        widgets.jslink((self.play, "value"), (self.shift, "value"))
        self.shift.add_class("conv-shift")
        self.view = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
        self.view.add_class("conv-1d-view")
        self.status = widgets.HTML()
        self.slide = None
        self._figure = _Slide1DFigure()
        self.ui = widgets.VBox([widgets.HBox([self.signal, self.kernel]), widgets.HBox([self.play, self.shift]),
                                self.status, self.view])
        self.ui.add_class("conv-explorer-1d")
        for control in (self.signal, self.kernel, self.shift):
            control.observe(self._on_change, names="value")
        self._resize()
        self._safely(self.update)

    def _arrays(self):
        return SIGNALS_1D[self.signal.value], KERNELS_1D[self.kernel.value]

    def _resize(self) -> None:
        signal, kernel = self._arrays()
        with self._quiet():
            self.shift.max = self.play.max = len(signal) + len(kernel) - 2
            self.shift.value = min(self.shift.value, self.shift.max)

    def _on_change(self, change) -> None:
        if self._syncing:
            return
        if change["owner"] is not self.shift:
            self._safely(self._resize)
        self._safely(self.update)

    def update(self):
        signal, kernel = self._arrays()
        self.slide = slide_1d(signal, kernel, self.shift.value)
        pixels = self._figure.render((self.signal.value, self.kernel.value), signal, kernel, self.slide)
        show_in(self.view, pixels, lossless=True)
        self.status.value = f'<div style="font-size:13px;font-family:monospace">{html.escape(slide_text(self.slide))}</div>'
        return self.slide

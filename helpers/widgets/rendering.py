"""What the three views of notebook 07 share: image encoding, HTML grids, the widget shell.

- :func:`encode_image` / :func:`show_in` turn a uint8 array into PNG or JPEG
  bytes for an ``ipywidgets.Image`` (small images enlarged by a whole factor
  first, so pixels stay square);
- :func:`format_weight`, :func:`kernel_html` and the grid helpers write
  kernels and numbers as HTML tables;
- :class:`_Shell` is the base of every widget: display with a plain-text
  fallback, a guard against updates started from code, and a last line of
  defence that turns an unexpected error into a message.
"""
from __future__ import annotations

import base64
import html
import traceback
from contextlib import contextmanager
from fractions import Fraction
from functools import lru_cache

import cv2
import ipywidgets as widgets
import numpy as np

from ..validation import as_numeric_array, real_number

#: Small images are enlarged (nearest neighbour, so pixels stay square) to at least this size.
MIN_DISPLAY_PIXELS = 256


def display_factor(shape, min_pixels: int = MIN_DISPLAY_PIXELS) -> int:
    """The whole factor that enlarges an image of ``shape`` to at least ``min_pixels`` on its longer side.

    factor = ceil(min_pixels / max(H, W)), at least 1.
    """
    return max(1, -(-min_pixels // max(shape[0], shape[1], 1)))


def _enlarged(image: np.ndarray, factor: int) -> np.ndarray:
    if factor > 1:
        image = np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)
    return image


def encode_image(
    image: np.ndarray, lossless: bool = False, min_pixels: int = MIN_DISPLAY_PIXELS, factor: int | None = None
) -> tuple[bytes, str]:
    """Bytes and format ("png" or "jpeg") of a uint8 grey or RGB image, for an ``ipywidgets.Image``.

    Images smaller than ``min_pixels`` on their longer side are enlarged by a
    whole factor first (each pixel becomes a square block), so a 16×16 crop
    shows its pixels instead of a blur; ``factor`` sets that factor instead
    (the playground enlarges its input and output alike, so a smaller output
    looks smaller). Enlarged images, and anything asked to be ``lossless``,
    are written as PNG (compression level 1, run-length strategy: fast, and
    tiny for mostly flat images). A full-size photo is written as JPEG at
    quality 90, several times faster than PNG and half the bytes, with no
    visible loss at display size.
    """
    image = np.asarray(image)
    if image.dtype != np.uint8:
        raise TypeError(f"image must be a uint8 array (grey levels 0-255); got dtype {image.dtype}")
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
        raise ValueError(f"image must be grey (H×W) or RGB (H×W×3); got shape {image.shape}")
    if image.size == 0:
        raise ValueError(f"image is empty (shape {image.shape}); there is nothing to show")
    if factor is None:
        factor = display_factor(image.shape, min_pixels)
    elif isinstance(factor, bool) or not isinstance(factor, (int, np.integer)) or not 1 <= factor <= 64:
        raise ValueError(f"factor must be a whole number from 1 to 64; got {factor!r}")
    if lossless and not image.any():
        # The difference panel is black nearly always: encode each black size once.
        return _black_png(image.shape[:2], int(factor)), "png"
    return _encode(image, lossless, int(factor))


@lru_cache(maxsize=8)
def _black_png(shape: tuple[int, int], factor: int) -> bytes:
    return _encode(np.zeros(shape, dtype=np.uint8), True, factor)[0]


def _encode(image: np.ndarray, lossless: bool, factor: int) -> tuple[bytes, str]:
    image = _enlarged(image, factor)
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


def show_in(view: widgets.Image, image: np.ndarray, lossless: bool = False, factor: int | None = None) -> None:
    """Put a uint8 image into an existing ``ipywidgets.Image`` (format first, then the bytes)."""
    data, fmt = encode_image(image, lossless=lossless, factor=factor)
    if view.format != fmt:
        view.format = fmt
    view.value = data


# --------------------------------------------------------------------------- HTML grids


def format_weight(value: float) -> str:
    """A kernel weight as short text: 5, -0.25, 1/49 (a simple fraction), 0.061 or 1e+300."""
    value = real_number(value, "value", "a finite number such as 0.25")
    if abs(value) >= 1e7:  # too long to write out in a grid cell
        return f"{value:.3g}"
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


def weight_colours(kernel: np.ndarray) -> np.ndarray:
    """RGB uint8 colour of every weight, as :func:`_weight_colour` gives it (white 0, red +, blue −)."""
    kernel = np.asarray(kernel, dtype=np.float64)
    limit = float(np.abs(kernel).max())
    strength = np.zeros_like(kernel) if limit == 0 else np.minimum(1.0, np.abs(kernel) / limit)
    fade = np.rint(255 * (1 - 0.75 * strength)).astype(np.uint8)
    full = np.full_like(fade, 255)
    positive = kernel > 0
    return np.stack([np.where(positive, full, fade), fade, np.where(positive, fade, full)], axis=-1)


def kernel_html(kernel: np.ndarray, title: str = "kernel") -> str:
    """The kernel as an HTML grid: weights written in (up to 7×7), red positive, blue negative.

    A larger kernel is drawn as a small PNG picture of the same colours (one
    square per weight, grey lines between them), a few kilobytes instead of
    a table of up to 1681 cells for the browser to lay out on every change.
    """
    if not isinstance(title, str):
        raise TypeError(f"title must be text such as 'kernel'; got {title!r}")
    kernel = as_numeric_array(kernel, "kernel").astype(np.float64)  # refuses complex, bool and text
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be a 2-D array of weights; got shape {kernel.shape}")
    if not np.all(np.isfinite(kernel)):
        raise ValueError("kernel must hold finite numbers only (no NaN or infinity)")
    k_h, k_w = kernel.shape
    limit = float(np.abs(kernel).max())
    written = max(k_h, k_w) <= 7
    with np.errstate(over="ignore"):
        total = float(kernel.sum())
    # Python's round (not np.round, which overflows above about 1e296): 1/9 nine times reads 1.
    total = round(total, 12) if np.isfinite(total) else total
    written_total = format_weight(total) if np.isfinite(total) else "more than the largest float (about 1.8e308)"
    caption = f"{html.escape(title)}: {k_h}×{k_w}, weights sum to {written_total}"
    if not written:
        caption += f", centre {format_weight(kernel[k_h // 2, k_w // 2])}"
        return (
            f'<div class="conv-kernel-grid"><div style="font-size:13px">{caption}</div>'
            f"{_kernel_picture(kernel)}</div>"
        )
    side = min(40, 230 // max(k_h, k_w))
    rows = []
    for r in range(k_h):
        cells = []
        for c in range(k_w):
            value = kernel[r, c]
            text = format_weight(value)
            style = _CELL.format(s=side, f=13 if k_h > 3 else 14,
                                 extra=f"background:{_weight_colour(value, limit)};border:1px solid #ccc")
            cells.append(f'<td style="{style}" title="{html.escape(text)}">{html.escape(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="conv-kernel-grid"><div style="font-size:13px">{caption}</div>'
        f'<table style="border-collapse:collapse">{"".join(rows)}</table></div>'
    )


def _kernel_picture(kernel: np.ndarray) -> str:
    """An <img> of the kernel's weight colours: squares of ``side`` pixels with 1-pixel grey lines."""
    k_h, k_w = kernel.shape
    side = max(4, 230 // max(k_h, k_w))
    cell = side - 1
    picture = np.full((k_h * side + 1, k_w * side + 1, 3), 204, dtype=np.uint8)  # #ccc lines
    colours = weight_colours(kernel)
    for r in range(cell):  # pixel (r, c) of every weight's square at once, leaving the grid lines
        for c in range(cell):
            picture[1 + r :: side, 1 + c :: side][:k_h, :k_w] = colours
    data, _ = _encode(picture, lossless=True, factor=1)
    width, height = picture.shape[1], picture.shape[0]
    return (f'<img class="conv-kernel-picture" width="{width}" height="{height}" alt="kernel weights" '
            f'src="data:image/png;base64,{base64.b64encode(data).decode("ascii")}">')


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


# --------------------------------------------------------------------------- widget shells


def _message_html(message: str, info: str = "") -> str:
    parts = []
    if message:
        parts.append(f'<span style="color:#b00020">⚠ {html.escape(message)}</span>')
    if info:
        parts.append(f'<span style="color:#444">{html.escape(info)}</span>')
    return '<div style="font-size:13px">' + "<br>".join(parts) + "</div>"


def placeholder_text(name: str) -> str:
    """The line a widget cell shows where its controls cannot be drawn (a saved notebook, a plain viewer)."""
    return (
        f"[{name}: run this cell (Shift+Enter) to get its controls. "
        "If this line is still here after the cell has run, the widget front end is missing: see notebook 00.]"
    )


class _Shell:
    """Common parts of the widget shells: display in a notebook and a re-entrancy guard."""

    ui: widgets.Widget
    last_error: str = ""

    def _repr_mimebundle_(self, **kwargs):
        """Show the widget; the plain-text fallback is what a saved notebook shows before the cell runs.

        So it first says to run the cell; only a line still there after the
        cell has run means the widget front end is missing.
        """
        bundle = self.ui._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = placeholder_text(type(self).__name__)
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

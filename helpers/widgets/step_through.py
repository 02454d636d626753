"""The step-through view of notebook 07: one output pixel of a 2-D correlation at a time."""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..images import load_image
from ..kernels import KERNELS, box
from ..stepping import step_at, step_count
from ..validation import BORDERS, check_choice, check_image, check_kernel
from .rendering import _CELL, _grey_colour, _grid_html, _message_html, _Shell, _weight_colour, format_weight


def step_html(image, kernel, index: int, border: str = "valid", decimals: int = 1) -> str:
    """One step of the sliding window as HTML: input with the window, products and sum, output so far.

    Uses :func:`helpers.stepping.step_at`, so the numbers are those of
    out(row, col) = sum_mn padded(row + m, col + n) · kernel(m, n).
    """
    kernel = check_kernel(kernel)  # as correlate: complex and bool kernels are refused, not cast
    if isinstance(decimals, (bool, np.bool_)) or not isinstance(decimals, (int, np.integer)) or not 0 <= decimals <= 10:
        raise ValueError(f"decimals must be a whole number from 0 to 10; got {decimals!r}")
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


#: The 3×3 kernels offered by the step-through view.
STEP_KERNELS = {"box 3×3": box(3), **{name: np.array(k) for name, k in KERNELS.items() if k.shape == (3, 3)}}


def step_sample() -> np.ndarray:
    """The small input of the step-through view: a 6×6 patch of "camera" across an edge."""
    return load_image("camera")[181:187, 238:244].copy()


class StepThrough(_Shell):
    """A position slider that walks the kernel over a small image, one output pixel per step."""

    def __init__(self, image=None, kernel: str = "sobel_x", border: str = "valid"):
        check_choice(kernel, "kernel", tuple(STEP_KERNELS))
        check_choice(border, "border", BORDERS)
        self.source = step_sample() if image is None else check_image(image)
        if self.source.ndim != 2:
            raise ValueError(f"image must be 2-D (grey) for stepping; got shape {self.source.shape}")
        self._syncing = False
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

"""One step of the sliding window: which pixels the kernel covers and what it writes.

Notebook 02 draws these steps one after another and the playground of
notebook 07 moves through them with a slider. The logic is a plain function,
:func:`step_at`, so it can be tested without a figure or a browser;
:func:`draw_step` only draws what it returns.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Rectangle

from .convolution import correlate, pad_for_kernel
from .plotting import grey_limits, show_grids
from .validation import BORDERS, check_choice, check_image, check_kernel


@dataclass(frozen=True)
class Step:
    """Everything about output pixel number ``index`` (counted row by row)."""

    index: int
    row: int
    col: int
    padded: np.ndarray  # the input after padding (the input itself for "valid")
    window: np.ndarray  # the k_h × k_w pixels under the kernel
    products: np.ndarray  # window * kernel, element by element
    value: float  # products.sum(): the output pixel
    partial_output: np.ndarray  # output pixels 0..index filled in, the rest NaN

    @property
    def output_shape(self) -> tuple[int, int]:
        return self.partial_output.shape


def step_count(image, kernel, border: str = "valid") -> int:
    """How many output pixels (and so steps) the sliding window makes."""
    image, kernel = check_image(image), check_kernel(kernel)
    check_choice(border, "border", BORDERS)
    if border == "valid":
        return max(0, image.shape[0] - kernel.shape[0] + 1) * max(0, image.shape[1] - kernel.shape[1] + 1)
    return image.shape[0] * image.shape[1]


def step_at(image, kernel, index: int, border: str = "valid") -> Step:
    """The ``index``-th step of correlating a 2-D ``image`` with ``kernel``.

    out(row, col) = sum_mn padded(row + m, col + n) · kernel(m, n), with
    (row, col) = divmod(index, output width).
    """
    image = check_image(image)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (grey) for stepping; got shape {image.shape}")
    kernel = check_kernel(kernel)
    check_choice(border, "border", BORDERS)
    full = correlate(image, kernel, border=border, method="vectorized")
    total = full.size
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < total:
        raise ValueError(f"index must be a whole number from 0 to {total - 1}; got {index!r}")
    row, col = divmod(int(index), full.shape[1])
    padded = pad_for_kernel(image.astype(np.float64), kernel.shape, border)
    window = padded[row : row + kernel.shape[0], col : col + kernel.shape[1]]
    products = window * kernel
    partial = np.full(full.shape, np.nan)
    partial.flat[: index + 1] = full.flat[: index + 1]
    return Step(int(index), row, col, padded, window, products, float(products.sum()), partial)


def draw_step(step: Step, kernel, decimals: int = 1, cell: float | None = None):
    """Four panels: the padded input with the window outlined, the kernel, the products, the output so far.

    Every panel's cells have the same size (``cell`` inches, by default what
    the numbers need). The input and the output are grey levels on the 0-255
    scale, the same scale from one step to the next, so a pixel of 132.9 in
    the output is drawn as light as a pixel of 133 in the input. An output
    that leaves 0..255 (an edge kernel) is drawn from its smallest to its
    largest value over the whole output instead, the same for every step.
    """
    kernel = check_kernel(kernel)
    whole_output = correlate(step.padded, kernel, border="valid", method="vectorized")
    out_low, out_high, _ = grey_limits(whole_output)
    fig = show_grids(
        [step.padded, kernel, step.products, step.partial_output],
        ["input\nwindow outlined", "kernel", f"products\nsum = {step.value:.{decimals}f}",
         f"output so far\npixel ({step.row}, {step.col})"],
        decimals=[0, 2, decimals, decimals],
        cmap=["gray", "coolwarm", "coolwarm", "gray"],
        vmin=[None, None, None, out_low],
        vmax=[None, None, None, out_high],
        cell=cell,
    )
    axes = fig.axes
    k_h, k_w = kernel.shape
    axes[0].add_patch(
        Rectangle((step.col - 0.5, step.row - 0.5), k_w, k_h, fill=False, edgecolor="red", linewidth=3)
    )
    axes[3].add_patch(
        Rectangle((step.col - 0.5, step.row - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=3)
    )
    return fig

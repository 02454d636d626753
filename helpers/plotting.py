"""Figures every notebook shares: images side by side, annotated kernels,
and a patch · kernel = product panel.

Each function returns the matplotlib Figure; end the notebook line with ``;``
so the figure is drawn once and no object address is printed.
"""
from __future__ import annotations

from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np

from .validation import as_numeric_array


def _format_number(value: float, decimals: int) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{decimals}f}"


def show_images(images, titles=None, cmap: str = "gray", size: float = 3.0, vmin=None, vmax=None):
    """Draw images side by side in one row, each with its title.

    Grey images use ``cmap`` (uint8 images keep their 0..255 scale); H×W×3
    images are shown as RGB.
    """
    if isinstance(images, np.ndarray):
        images = [images]
    images = [as_numeric_array(im, "images") for im in images]
    if titles is None:
        titles = [""] * len(images)
    if len(titles) != len(images):
        raise ValueError(f"titles must have one entry per image; got {len(titles)} titles for {len(images)} images")
    fig, axes = plt.subplots(1, len(images), figsize=(size * len(images), size), squeeze=False)
    for ax, image, title in zip(axes[0], images, titles, strict=True):
        low, high = vmin, vmax
        if image.dtype == np.uint8 and low is None and high is None:
            low, high = 0, 255
        ax.imshow(image, cmap=None if image.ndim == 3 else cmap, vmin=low, vmax=high)
        ax.set_title(title)
        ax.set_axis_off()
    fig.tight_layout()
    return fig


def draw_grid(ax, values, title: str = "", decimals: int = 2, cmap: str = "coolwarm", as_fraction: bool = False,
              vmin: float | None = None, vmax: float | None = None):
    """Draw a small 2-D array on ``ax`` as coloured cells with its numbers written in.

    The colour scale runs from the smallest to the largest value (symmetric
    about 0 for "coolwarm"); pass ``vmin`` / ``vmax`` to fix it instead, e.g.
    0 and 255 for grey levels, or the same range for every frame of a sequence.
    """
    values = as_numeric_array(values, "values")
    if values.ndim != 2:
        raise ValueError(f"values must be 2-D; got shape {values.shape}")
    finite = values[np.isfinite(values)] if values.dtype.kind == "f" else values
    if cmap == "coolwarm":
        # Diverging colours: zero is white, positive red, negative blue.
        limit = float(np.abs(finite).max()) if finite.size else 1.0
        low, high = -(limit or 1.0), (limit or 1.0)
    else:
        low = float(finite.min()) if finite.size else 0.0
        high = float(finite.max()) if finite.size else 1.0
    low = low if vmin is None else float(vmin)
    high = high if vmax is None else float(vmax)
    ax.imshow(values, cmap=cmap, vmin=low, vmax=high)
    rows, cols = values.shape
    font = max(6, 14 - max(rows, cols))
    for r in range(rows):
        for c in range(cols):
            value = float(values[r, c])
            if not np.isfinite(value):
                continue  # not computed yet: leave the cell blank
            if as_fraction:
                text = str(Fraction(value).limit_denominator(1000))
            else:
                text = _format_number(value, decimals)
            ax.text(c, r, text, ha="center", va="center", fontsize=font,
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.6, "linewidth": 0})
    ax.set_xticks(range(cols))
    ax.set_yticks(range(rows))
    ax.set_title(title)
    return ax


def show_kernel(kernel, title: str = "kernel", decimals: int = 2, as_fraction: bool = False, size: float = 3.0):
    """Draw a kernel as a grid annotated with its weights (red positive, blue negative)."""
    kernel = as_numeric_array(kernel, "kernel")
    fig, ax = plt.subplots(figsize=(size, size))
    draw_grid(ax, kernel, title, decimals=decimals, as_fraction=as_fraction)
    fig.tight_layout()
    return fig


def show_products(patch, kernel, decimals: int = 1, size: float = 3.0):
    """Show a patch, a kernel and their element-wise product, with the sum in the title."""
    patch = as_numeric_array(patch, "patch")
    kernel = as_numeric_array(kernel, "kernel")
    if patch.shape != kernel.shape:
        raise ValueError(f"patch and kernel must have the same shape; got {patch.shape} and {kernel.shape}")
    product = patch.astype(np.float64) * kernel
    fig, axes = plt.subplots(1, 3, figsize=(3 * size, size))
    draw_grid(axes[0], patch, "patch", decimals=decimals, cmap="gray")
    draw_grid(axes[1], kernel, "kernel", decimals=3)
    draw_grid(axes[2], product, f"products (sum = {product.sum():.{decimals}f})", decimals=decimals)
    fig.tight_layout()
    return fig

"""Figures every notebook shares, and the one plotting style of the series.

The style (:data:`SERIES_STYLE`) is applied when ``helpers`` is imported, so
every figure a notebook draws after ``import helpers`` uses it. It is made for
a projector: text no smaller than 10 pt at the size a figure is shown, grey
images in grey.

How big is a figure on the screen? The notebook shows it as a PNG of
``width_in × figure.dpi`` pixels (100 dpi here), one image pixel per screen
(CSS) pixel of 1/96 inch, and scales it down only when it is wider than the
output area. So text of ``s`` pt is shown at ``s · dpi / 96`` pt, about
``1.04 · s``, as long as the figure is at most :data:`DISPLAY_WIDTH_PX` wide
(the output area of JupyterLab on a 1024-pixel projector). The helpers keep
their figures within :data:`MAX_FIGURE_WIDTH` inches (900 px) and their text at
10 pt or more, so nothing is shown below 10 pt.

Grey images are drawn on the 0-255 scale (0 black, 255 white) unless the
figure says otherwise: an image whose values leave 0..255, or one given its
own ``vmin`` / ``vmax``, gets "(black …, white …)" under its title.

Each function returns the matplotlib Figure; end the notebook line with ``;``
or ``plt.show()`` so the figure is drawn once and no object address is printed.
"""
from __future__ import annotations

import math
import textwrap
from fractions import Fraction

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.textpath import TextPath

from .validation import as_numeric_array

DISPLAY_WIDTH_PX = 900  # the notebook's output area on a 1024-pixel-wide projector
SCREEN_DPI = 96  # CSS pixels per inch: a figure pixel is shown as one of these
FIGURE_DPI = 100
MAX_FIGURE_WIDTH = DISPLAY_WIDTH_PX / FIGURE_DPI  # 9 inches: shown at full size, never shrunk
MIN_FONT_PT = 10  # the smallest text a figure may show
GRID_FONT_PT = 11  # numbers written in the cells of draw_grid

SERIES_STYLE = {
    "figure.dpi": FIGURE_DPI,
    "savefig.dpi": FIGURE_DPI,
    "figure.figsize": (6.0, 4.0),
    "font.size": 12,
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.title_fontsize": 11,
    "figure.titlesize": 13,
    "image.cmap": "gray",
}


def use_series_style() -> None:
    """Apply the series' plotting style (:data:`SERIES_STYLE`) to every figure drawn from now on.

    ``import helpers`` calls it, so notebooks need not. A cell that wants one
    figure in another style can still use ``with plt.rc_context({...}):``.
    """
    mpl.rcParams.update(SERIES_STYLE)


def _format_number(value: float, decimals: int) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{decimals}f}"


def _per_item(value, count: int, name: str) -> list:
    """One value for every item: a list as given (checked for length), anything else repeated."""
    if isinstance(value, (list, tuple)):
        if len(value) != count:
            raise ValueError(f"{name} must be one value or a list with one entry per item; "
                             f"got {len(value)} entries for {count} items")
        return list(value)
    return [value] * count


def wrap_title(title: str, width_inches: float, fontsize: float | None = None) -> str:
    """Break ``title`` at spaces so each line fits about ``width_inches`` at ``fontsize`` pt.

    A character of the series' font is on average about 0.57 of the font size
    wide, so a line holds width_inches · 72 / (0.57 · fontsize) characters.
    """
    fontsize = fontsize or mpl.rcParams["axes.titlesize"]
    if isinstance(fontsize, str):
        fontsize = mpl.font_manager.FontProperties(size=fontsize).get_size_in_points()
    characters = max(8, int(width_inches * 72 / (0.57 * float(fontsize))))
    return "\n".join(textwrap.fill(line, characters, break_long_words=False) for line in title.split("\n"))


def grey_limits(image: np.ndarray, vmin=None, vmax=None) -> tuple[float, float, bool]:
    """The black and white levels of a grey image, and whether they differ from 0 and 255.

    With neither limit given: 0 and 255 if the image's values lie within
    0..255 (grey levels), otherwise its own smallest and largest value. A
    limit given is kept; the other one comes from the image.
    """
    finite = image[np.isfinite(image)] if image.dtype.kind == "f" else image
    low = float(finite.min()) if finite.size else 0.0
    high = float(finite.max()) if finite.size else 255.0
    if vmin is None and vmax is None:
        if image.dtype == np.uint8 or (low >= 0 and high <= 255):
            return 0.0, 255.0, False
        return low, high, True
    low = low if vmin is None else float(vmin)
    high = high if vmax is None else float(vmax)
    return low, high, (low, high) != (0.0, 255.0)


def scale_note(low: float, high: float) -> str:
    """The line a title gets when its grey image is not on the 0-255 scale."""
    return f"(black {low:.3g}, white {high:.3g})"


def show_images(images, titles=None, cmap: str = "gray", size: float = 3.0, vmin=None, vmax=None,
                columns: int | None = None, suptitle: str | None = None):
    """Draw images side by side, each with its title, in rows no wider than the display.

    Grey images are drawn on the 0-255 scale. An image whose values leave
    0..255 is stretched from its smallest (black) to its largest value (white)
    and its title says so; ``vmin`` / ``vmax`` (one value, or a list with one
    entry per image, None for automatic) set the black and white levels
    yourself, and the title says those too. H×W×3 images are shown as RGB.

    Images that would make the figure wider than :data:`MAX_FIGURE_WIDTH` are
    first made smaller (down to 1.75 inches each), then wrapped onto more
    rows; ``columns`` fixes the number per row instead. ``suptitle`` goes
    above them all, with room kept for it.
    """
    if isinstance(images, np.ndarray):
        images = [images]
    images = [as_numeric_array(im, "images") for im in images]
    count = len(images)
    if titles is None:
        titles = [""] * count
    if len(titles) != count:
        raise ValueError(f"titles must have one entry per image; got {len(titles)} titles for {count} images")
    lows, highs = _per_item(vmin, count, "vmin"), _per_item(vmax, count, "vmax")
    if columns is None:
        if count * size <= MAX_FIGURE_WIDTH:
            columns = count
        elif MAX_FIGURE_WIDTH / count >= 1.75:
            columns, size = count, MAX_FIGURE_WIDTH / count
        else:
            columns = max(1, int(MAX_FIGURE_WIDTH // size))
    elif isinstance(columns, bool) or not isinstance(columns, int) or columns < 1:
        raise ValueError(f"columns must be a whole number of at least 1; got {columns!r}")
    columns = min(columns, count)
    size = min(size, MAX_FIGURE_WIDTH / columns)
    rows = math.ceil(count / columns)

    shown_titles = []
    for image, title, low, high in zip(images, titles, lows, highs, strict=True):
        if image.ndim == 2:
            low, high, noted = grey_limits(image, low, high)
            if noted:
                title = f"{title}\n{scale_note(low, high)}" if title else scale_note(low, high)
        shown_titles.append(wrap_title(title, size))
    lines = max(t.count("\n") + 1 if t else 0 for t in shown_titles)
    height = (size + 0.1 + 0.25 * lines) * rows + (0.45 if suptitle else 0)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, height), squeeze=False)
    for ax in axes.ravel()[count:]:
        ax.set_axis_off()
    for ax, image, title, low, high in zip(axes.ravel(), images, shown_titles, lows, highs, strict=False):
        if image.ndim == 3:
            ax.imshow(image)
        else:
            low, high, _ = grey_limits(image, low, high)
            ax.imshow(image, cmap=cmap, vmin=low, vmax=high)
        ax.set_title(title)
        ax.set_axis_off()
    if suptitle:
        fig.suptitle(wrap_title(suptitle, size * columns, mpl.rcParams["figure.titlesize"]))
    fig.tight_layout()
    return fig


def draw_grid(ax, values, title: str = "", decimals: int = 2, cmap: str = "coolwarm", as_fraction: bool = False,
              vmin: float | None = None, vmax: float | None = None):
    """Draw a small 2-D array on ``ax`` as coloured cells with its numbers written in.

    "coolwarm" (the default, for kernels and products) is symmetric about 0:
    zero white, positive red, negative blue. "gray" (for pixels) draws grey
    levels on the 0-255 scale when the values lie within 0..255, otherwise
    from the smallest to the largest value; the numbers in the cells say what
    each shade is. Pass ``vmin`` / ``vmax`` to fix the scale yourself, e.g.
    the same range for every frame of a sequence. The numbers are written at
    :data:`GRID_FONT_PT` points; a cell needs about 0.45 inch for "132.2".
    """
    values = as_numeric_array(values, "values")
    if values.ndim != 2:
        raise ValueError(f"values must be 2-D; got shape {values.shape}")
    finite = values[np.isfinite(values)] if values.dtype.kind == "f" else values
    if cmap == "coolwarm":
        # Diverging colours: zero is white, positive red, negative blue.
        limit = float(np.abs(finite).max()) if finite.size else 1.0
        low, high = -(limit or 1.0), (limit or 1.0)
        low = low if vmin is None else float(vmin)
        high = high if vmax is None else float(vmax)
    elif cmap in ("gray", "grey", "Greys_r"):
        low, high, _ = grey_limits(values, vmin, vmax)
    else:
        low = float(vmin) if vmin is not None else float(finite.min()) if finite.size else 0.0
        high = float(vmax) if vmax is not None else float(finite.max()) if finite.size else 1.0
    ax.imshow(values, cmap=cmap, vmin=low, vmax=high)
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            value = float(values[r, c])
            if not np.isfinite(value):
                continue  # not computed yet: leave the cell blank
            if as_fraction:
                text = str(Fraction(value).limit_denominator(1000))
            else:
                text = _format_number(value, decimals)
            ax.text(c, r, text, ha="center", va="center", fontsize=GRID_FONT_PT,
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.6, "linewidth": 0})
    ax.set_xticks(range(cols))
    ax.set_yticks(range(rows))
    ax.set_title(title)
    return ax


def _label_width_points(values: np.ndarray, decimals: int, as_fraction: bool) -> float:
    """Width in points of the widest number draw_grid would write for ``values``, box included."""
    finite = values[np.isfinite(values)] if values.dtype.kind == "f" else values.ravel()
    if as_fraction:
        labels = {str(Fraction(float(v)).limit_denominator(1000)) for v in finite}
    else:
        labels = {_format_number(float(v), decimals) for v in finite}
    widest = max((TextPath((0, 0), label, size=GRID_FONT_PT).get_extents().width for label in labels), default=0.0)
    return widest + 0.2 * GRID_FONT_PT + 4  # the white box's padding on both sides, and a little air


def show_grids(grids, titles=None, decimals=2, cmap="coolwarm", vmin=None, vmax=None, as_fraction=False,
               cell: float | None = None, suptitle: str | None = None):
    """Draw small 2-D arrays side by side with :func:`draw_grid`, every cell the same size.

    Each panel is as wide as its number of columns, so a 7×7 grid beside a
    3×3 grid has cells of the same size. ``decimals``, ``cmap``, ``vmin``,
    ``vmax`` and ``as_fraction`` are one value or a list with one entry per
    grid. ``cell`` (inches) defaults to what the longest number needs at
    :data:`GRID_FONT_PT` points, at most 0.7 inch. If that makes the figure
    wider than :data:`MAX_FIGURE_WIDTH`, the longest numbers lose a decimal
    at a time (132.94 → 132.9 → 133) until they fit; a ``cell`` given
    shrinks instead.
    """
    grids = [as_numeric_array(g, "grids") for g in grids]
    for g in grids:
        if g.ndim != 2:
            raise ValueError(f"every grid must be 2-D; got shape {g.shape}")
    count = len(grids)
    titles = [""] * count if titles is None else list(titles)
    if len(titles) != count:
        raise ValueError(f"titles must have one entry per grid; got {len(titles)} titles for {count} grids")
    decimals = _per_item(decimals, count, "decimals")
    cmaps = _per_item(cmap, count, "cmap")
    lows, highs = _per_item(vmin, count, "vmin"), _per_item(vmax, count, "vmax")
    fractions = _per_item(as_fraction, count, "as_fraction")
    widths = [g.shape[1] for g in grids]
    panel_margin = 0.35  # inches per panel for the row numbers and the gap to the next panel
    widest_cell = (MAX_FIGURE_WIDTH - 0.2 - panel_margin * count) / sum(widths)
    if cell is None:
        while True:
            needed = [_label_width_points(g, d, f) / 72 for g, d, f in zip(grids, decimals, fractions, strict=True)]
            cell = min(0.7, max(0.35, max(needed)))
            too_wide = [i for i, n in enumerate(needed) if n > widest_cell and decimals[i] > 0 and not fractions[i]]
            if cell <= widest_cell or not too_wide:
                break
            for i in too_wide:  # too wide for the screen: one decimal fewer where the numbers do not fit
                decimals[i] -= 1
    cell = min(cell, widest_cell)
    title_lines = max(wrap_title(t, w * cell + 0.2).count("\n") + 1 for t, w in zip(titles, widths, strict=True))
    height = max(g.shape[0] for g in grids) * cell + 0.5 + 0.25 * title_lines + (0.4 if suptitle else 0)
    # Each panel's share of the width: its cells plus the margin every panel has, so all cells come out equal.
    ratios = [width + panel_margin / cell for width in widths]
    fig, axes = plt.subplots(1, count, figsize=(sum(widths) * cell + panel_margin * count + 0.2, height),
                             width_ratios=ratios, layout="constrained", squeeze=False)
    for ax, g, title, width, d, c, low, high, f in zip(axes[0], grids, titles, widths, decimals, cmaps, lows, highs,
                                                     fractions, strict=True):
        draw_grid(ax, g, wrap_title(title, width * cell + 0.2), decimals=d, cmap=c, vmin=low, vmax=high,
                  as_fraction=f)
    if suptitle:
        fig.suptitle(wrap_title(suptitle, fig.get_size_inches()[0], mpl.rcParams["figure.titlesize"]))
    return fig


def show_kernel(kernel, title: str = "kernel", decimals: int = 2, as_fraction: bool = False, size: float | None = None):
    """Draw a kernel as a grid annotated with its weights (red positive, blue negative).

    ``size`` (inches) is the figure's width; by default each cell is as wide
    as its longest weight needs.
    """
    kernel = as_numeric_array(kernel, "kernel")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D; got shape {kernel.shape}")
    cell = None if size is None else max(0.3, (size - 0.65) / kernel.shape[1])
    return show_grids([kernel], [title], decimals=decimals, as_fraction=as_fraction, cell=cell)


def show_products(patch, kernel, decimals: int = 1):
    """Show a patch (grey levels), a kernel and their element-wise product, with the sum in the title."""
    patch = as_numeric_array(patch, "patch")
    kernel = as_numeric_array(kernel, "kernel")
    if patch.shape != kernel.shape:
        raise ValueError(f"patch and kernel must have the same shape; got {patch.shape} and {kernel.shape}")
    product = patch.astype(np.float64) * kernel
    return show_grids(
        [patch, kernel, product],
        ["patch", "kernel", f"products (sum = {product.sum():.{decimals}f})"],
        decimals=[decimals, 3, decimals],
        cmap=["gray", "coolwarm", "coolwarm"],
    )


def legend_outside(ax, **kwargs):
    """Put the legend of ``ax`` to the right of the axes, clear of the curves."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, frameon=False, **kwargs)

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
own ``vmin`` / ``vmax``, gets "(black …, white …)" under its title. A signed
image (negative and positive values) is drawn with the diverging map
:data:`SIGNED_CMAP` (blue below zero, light grey at zero, red above: readable
with the common colour-vision deficiencies, which confuse red with green, not
blue with red), and any map other than grey gets its own colours in the
note, e.g. "(blue -1, light grey 0, red 1)" (:func:`scale_note`).

Every figure is described in words (:func:`figure_description`): its titles,
what each panel shows and the values a reader takes from it (an image's size
and range, the numbers written in a grid, a curve's extremes). In a notebook
the description goes into the output's metadata (``{"image/png": {"alt":
...}}``, :func:`install_figure_descriptions`), which the site turns into the
picture's ``alt`` text (tools/build_site.py). A helper or a notebook can lead
it with a sentence of its own: :func:`describe`.

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

from .validation import as_numeric_array, unit_scaled

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

#: The map for signed values (kernels, products, signed images): blue negative, light grey zero, red positive.
SIGNED_CMAP = "coolwarm"
#: Maps that run from one colour through a light middle to another: their note names the middle at 0.
DIVERGING_MAPS = {"coolwarm", "bwr", "seismic", "RdBu", "PuOr", "BrBG", "PiYG", "PRGn", "RdGy", "RdYlBu",
                  "RdYlGn", "Spectral"}
#: Names for the colours at the ends of a map (the nearest of these, in RGB, names a colour).
COLOUR_NAMES = {
    "black": (0, 0, 0), "white": (1, 1, 1), "grey": (0.5, 0.5, 0.5), "light grey": (0.85, 0.85, 0.85),
    "red": (0.8, 0.1, 0.1), "dark red": (0.5, 0, 0.05), "blue": (0.2, 0.3, 0.8), "dark blue": (0.05, 0.1, 0.4),
    "green": (0.1, 0.6, 0.2), "dark green": (0, 0.3, 0.1), "yellow": (1, 0.9, 0.15), "light yellow": (1, 1, 0.75),
    "orange": (1, 0.55, 0.1), "purple": (0.45, 0.1, 0.55), "dark purple": (0.25, 0, 0.3), "brown": (0.55, 0.3, 0.05),
    "pink": (0.95, 0.55, 0.75),
}
#: The attribute of a Figure that holds the sentence :func:`describe` gave it.
DESCRIPTION_ATTRIBUTE = "series_description"


def use_series_style() -> None:
    """Apply the series' plotting style (:data:`SERIES_STYLE`) to every figure drawn from now on.

    ``import helpers`` calls it, so notebooks need not. A cell that wants one
    figure in another style can still use ``with plt.rc_context({...}):``.
    """
    mpl.rcParams.update(SERIES_STYLE)
    install_figure_descriptions()


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


def colour_name(rgb) -> str:
    """The nearest of :data:`COLOUR_NAMES` to an RGB(A) colour (components 0..1)."""
    red, green, blue = (float(c) for c in rgb[:3])
    return min(COLOUR_NAMES, key=lambda name: sum((a - b) ** 2 for a, b in
                                                 zip(COLOUR_NAMES[name], (red, green, blue), strict=True)))


def _cmap(cmap) -> mpl.colors.Colormap:
    return mpl.colormaps[cmap] if isinstance(cmap, str) else cmap


def is_grey_map(cmap) -> bool:
    """True for a map that runs from black to white (or white to black) through greys."""
    colours = _cmap(cmap)(np.linspace(0, 1, 9))[:, :3]
    return bool(np.ptp(colours, axis=1).max() < 0.02)


def scale_note(low: float, high: float, cmap="gray") -> str:
    """The line a title gets to say what its colours mean: the colour of ``low`` and of ``high``.

    "(black 0, white 1)" for a grey map; a diverging map (:data:`DIVERGING_MAPS`)
    also names its middle colour, at the middle value, e.g. "(blue -1, light grey
    0, red 1)"; any other map names its two ends, e.g. "(dark purple 0, yellow 9)".
    """
    colours = _cmap(cmap)
    name = getattr(colours, "name", "")
    first, last = colour_name(colours(0.0)), colour_name(colours(1.0))
    if name.removesuffix("_r") in DIVERGING_MAPS:
        middle = colour_name(colours(0.5))
        return f"({first} {low:.3g}, {middle} {(low + high) / 2:.3g}, {last} {high:.3g})"
    return f"({first} {low:.3g}, {last} {high:.3g})"


def image_scale(image: np.ndarray, cmap=None, vmin=None, vmax=None) -> tuple[object, float, float, str]:
    """How :func:`show_images` draws a 2-D image: its map, its low and high values, and its title note.

    With no ``cmap``: grey, or :data:`SIGNED_CMAP` for a signed image (values
    below and above 0) given no limits. A grey map keeps the 0-255 scale when
    it can (:func:`grey_limits`; the note is then empty); a diverging map is
    centred on 0 unless given limits; any other map runs from the smallest to
    the largest value. Every map but grey on 0-255 gets a note saying what its
    colours mean (:func:`scale_note`).
    """
    finite = image[np.isfinite(image)] if image.dtype.kind == "f" else image
    signed = finite.size and float(finite.min()) < 0 < float(finite.max())
    if cmap is None:
        cmap = SIGNED_CMAP if signed and vmin is None and vmax is None else "gray"
    if is_grey_map(cmap):
        low, high, noted = grey_limits(image, vmin, vmax)
        return cmap, low, high, scale_note(low, high, cmap) if noted else ""
    if getattr(_cmap(cmap), "name", "").removesuffix("_r") in DIVERGING_MAPS and vmin is None and vmax is None:
        limit = float(np.abs(finite).max()) if finite.size else 1.0
        low, high = -(limit or 1.0), (limit or 1.0)
    else:
        low = float(vmin) if vmin is not None else float(finite.min()) if finite.size else 0.0
        high = float(vmax) if vmax is not None else float(finite.max()) if finite.size else 1.0
    return cmap, low, high, scale_note(low, high, cmap)


def show_images(images, titles=None, cmap=None, size: float = 3.0, vmin=None, vmax=None,
                columns: int | None = None, suptitle: str | None = None):
    """Draw images side by side, each with its title, in rows no wider than the display.

    Grey images are drawn on the 0-255 scale. An image whose values leave
    0..255 is stretched from its smallest (black) to its largest value (white)
    and its title says so; a signed image (negative and positive values) is
    drawn in :data:`SIGNED_CMAP`, centred on 0, and its title says which colour
    is which value (:func:`image_scale`). ``cmap``, ``vmin`` and ``vmax`` (one
    value, or a list with one entry per image, None for automatic) set the
    map and the low and high levels yourself; the title then says those too.
    H×W×3 images are shown as RGB.

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
    cmaps = _per_item(cmap, count, "cmap")
    for given in cmaps:
        if given is not None and not isinstance(given, mpl.colors.Colormap) and given not in mpl.colormaps:
            raise ValueError(f"cmap must be a matplotlib colour map or its name; got {given!r}")
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

    shown_titles, scales = [], []
    for image, title, given, low, high in zip(images, titles, cmaps, lows, highs, strict=True):
        if image.ndim == 2:
            scale = image_scale(image, given, low, high)
            note = scale[3]
            if note:
                title = f"{title}\n{note}" if title else note
        else:
            scale = None
        scales.append(scale)
        shown_titles.append(wrap_title(title, size))
    lines = max(t.count("\n") + 1 if t else 0 for t in shown_titles)
    height = (size + 0.1 + 0.25 * lines) * rows + (0.45 if suptitle else 0)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, height), squeeze=False)
    for ax in axes.ravel()[count:]:
        ax.set_axis_off()
    for ax, image, title, scale in zip(axes.ravel(), images, shown_titles, scales, strict=False):
        if scale is None:
            ax.imshow(image)
        else:
            shown_map, low, high, _ = scale
            ax.imshow(image, cmap=shown_map, vmin=low, vmax=high)
        ax.set_title(title)
        ax.set_axis_off()
    if suptitle:
        fig.suptitle(wrap_title(suptitle, size * columns, mpl.rcParams["figure.titlesize"]))
    fig.tight_layout()
    describe(fig, f"{count} image{'s' if count > 1 else ''}" + (" side by side" if count > 1 else "")
             + (f" in {rows} rows" if rows > 1 else ""))
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


# --------------------------------------------------------------------------- figures in words


def describe(fig, sentence: str):
    """Give ``fig`` a sentence of its own to lead its description (:func:`figure_description`); return ``fig``.

    For what the figure's titles and contents cannot say, e.g. "the same
    row before and after the blur". A later call replaces the sentence.
    """
    if not isinstance(sentence, str):
        raise TypeError(f"sentence must be a str; got {type(sentence).__name__}")
    setattr(fig, DESCRIPTION_ATTRIBUTE, sentence.strip())
    return fig


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _number(value: float) -> str:
    return _format_number(float(value), 2) if abs(value) < 1e5 else f"{value:.3g}"


def _image_words(image, noun: str = "image") -> str:
    """One drawn image (or pcolormesh, ``noun`` "mesh"): its size, its value range and what the colours mean.

    Cells hidden under a mask or holding NaN are counted as blank and left out of the range.
    """
    data = np.ma.masked_invalid(np.ma.asarray(image.get_array(), dtype=float))
    if data.ndim < 2:
        data = data.reshape(1, -1)
    rows, cols = data.shape[:2]
    if data.ndim == 3:
        return f"a colour picture of {rows}×{cols} pixels"
    finite = data.compressed()
    low, high = image.get_clim()
    words = f"a {rows}×{cols} {noun}"
    if finite.size:
        words += (f" with values from {_number(finite.min())} to {_number(finite.max())}"
                  f" (mean {_number(_mean(finite))})")
    if finite.size < data.size:
        words += f", {data.size - finite.size} cells blank"
    colours = image.get_cmap()
    if isinstance(colours, mpl.colors.ListedColormap) and colours.N <= 16:  # categories, not a scale
        names = ", ".join(dict.fromkeys(colour_name(colours(i)) for i in range(colours.N)))
        return words + f", in {colours.N} colours ({names}) from {_number(low)} to {_number(high)}"
    return words + f", coloured {scale_note(low, high, colours).strip('()')}"


def _grid_words(ax) -> str | None:
    """The numbers written into the cells of a grid (:func:`draw_grid`), row by row, or None."""
    if len(ax.images) != 1 or not ax.texts:
        return None
    rows, cols = np.asarray(ax.images[0].get_array()).shape[:2]
    cells = {}
    for text in ax.texts:
        x, y = text.get_position()
        if float(x).is_integer() and float(y).is_integer() and 0 <= y < rows and 0 <= x < cols:
            cells[int(y), int(x)] = text.get_text()
    if not cells or rows * cols > 100:
        return None
    numbers = "; ".join(", ".join(cells.get((r, c), "blank") for c in range(cols)) for r in range(rows))
    return f"the numbers in its {rows}×{cols} cells, row by row: {numbers}"


def _mean(values: np.ndarray) -> float:
    """The mean of finite values, without overflow near float64's end (1e308 + 1e308): taken of the values
    scaled by a power of two (exactly) and scaled back, so it equals np.mean wherever that is finite."""
    scaled, exponent = unit_scaled(values)
    return float(np.ldexp(np.mean(scaled), exponent))


def _spread(values: np.ndarray) -> bool:
    """True unless every value is the same (np.ptp would overflow from -1e308 to 1e308)."""
    return bool(values.min() != values.max())


def _coordinates(original, converted):
    """(numbers, words): a line's x or y values as matplotlib placed them, and a function naming value i.

    Numbers are named as numbers; anything else (text on a category axis, dates) by what was plotted,
    e.g. x = 'b' where the line was drawn with ax.plot(["a", "b"], ...). None if there are no numbers.
    """
    try:
        numbers = np.asarray(converted, dtype=float).ravel()
    except (TypeError, ValueError):
        return None
    given = np.asarray(original, dtype=object).ravel()
    if given.size == numbers.size and not all(
            isinstance(v, (int, float, np.integer, np.floating)) for v in given):
        return numbers, lambda i: f"'{given[i]}'"
    return numbers, lambda i: _number(numbers[i])


def _line_words(line) -> str | None:
    xs = _coordinates(line.get_xdata(orig=True), line.get_xdata(orig=False))
    ys = _coordinates(line.get_ydata(orig=True), line.get_ydata(orig=False))
    if xs is None or ys is None or xs[0].size != ys[0].size:
        return None
    (x, x_word), (y, y_word) = xs, ys
    index = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    if not index.size:
        return None
    label = line.get_label()
    name = f"line '{label}'" if label and not label.startswith("_") else "a line"
    if index.size == 1 or not _spread(x[index]):
        return f"{name} at x = {x_word(index[0])}" if _spread(y[index]) else f"{name} at y = {y_word(index[0])}"
    first, last = index[np.argmin(x[index])], index[np.argmax(x[index])]
    if not _spread(y[index]):
        return f"{name} flat at {y_word(index[0])} from x = {x_word(first)} to {x_word(last)}"
    low, high = index[np.argmin(y[index])], index[np.argmax(y[index])]
    return (f"{name} of {index.size} points from x = {x_word(first)} to {x_word(last)}, lowest "
            f"{y_word(low)} at x = {x_word(low)}, highest {y_word(high)} at x = {x_word(high)}")


def _bar_words(bars) -> str:
    """How many bars and how high, leaving out bars of NaN height (drawn as nothing)."""
    heights = np.array([b.get_height() for b in bars], dtype=float)
    drawn = heights[np.isfinite(heights)]
    count = f"{len(bars)} bar" + ("s" if len(bars) != 1 else "")
    if not drawn.size:
        return f"{count}, none with a height (all NaN)"
    missing = f" ({len(bars) - drawn.size} without a height)" if drawn.size < len(bars) else ""
    return f"{count}{missing}, from {_number(drawn.min())} to {_number(drawn.max())} high"


def axes_description(ax) -> str:
    """One panel in words: its title and labels, its images or grid numbers, its curves and bars."""
    parts = []
    title = " ".join(_one_line(ax.get_title(loc)) for loc in ("left", "center", "right") if ax.get_title(loc))
    parts.append(f"'{title}'" if title else "untitled panel")
    grid = _grid_words(ax)
    if grid:
        parts.append(_image_words(ax.images[0]).replace("image", "grid", 1))
        parts.append(grid)
    else:
        parts += [_image_words(image) for image in ax.images]
    parts += [_image_words(mesh, "mesh") for mesh in ax.collections if isinstance(mesh, mpl.collections.QuadMesh)]
    lines = [words for words in (_line_words(line) for line in ax.lines) if words]
    if len(lines) > 8:
        lines = lines[:8] + [f"{len(lines) - 8} more lines"]
    parts += lines
    bars = [p for container in ax.containers for p in getattr(container, "patches", [])]
    if bars:
        parts.append(_bar_words(bars))
    # Scatter plots' markers; a pcolormesh (a QuadMesh) is a collection too, described above as a mesh.
    points = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, mpl.collections.PathCollection))
    if points and not ax.images:
        parts.append(f"{points} marked point" + ("s" if points != 1 else ""))
    if ax.axison and (ax.get_xlabel() or ax.get_ylabel()):
        parts.append(f"x axis '{_one_line(ax.get_xlabel())}', y axis '{_one_line(ax.get_ylabel())}'")
    legend = ax.get_legend()
    if legend is not None and legend.get_texts():
        parts.append("legend: " + ", ".join(_one_line(t.get_text()) for t in legend.get_texts()))
    return ": ".join(parts[:1]) + (", " + "; ".join(parts[1:]) if len(parts) > 1 else "")


def figure_description(fig) -> str:
    """The figure in words, for a reader who cannot see it (the ``alt`` text of its picture).

    The sentence :func:`describe` gave it, the figure's title, then every
    panel (:func:`axes_description`) in reading order; a colour bar's panel is
    left out (each image already says what its colours mean).
    """
    if not isinstance(fig, mpl.figure.FigureBase):
        raise TypeError(
            f"fig must be a matplotlib figure (such as fig in fig, ax = plt.subplots()); got {type(fig).__name__}"
        )
    parts = []
    sentence = getattr(fig, DESCRIPTION_ATTRIBUTE, "")
    if sentence:
        parts.append(sentence.rstrip(".") + ".")
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        parts.append(f"Figure titled '{_one_line(suptitle.get_text())}'.")
    panels = [ax for ax in fig.axes
              if ax.get_visible() and not hasattr(ax, "_colorbar") and ax.get_label() != "<colorbar>"
              and (ax.images or ax.lines or ax.containers or ax.collections or ax.get_title() or ax.texts)]
    for number, ax in enumerate(panels, start=1):
        prefix = f"Panel {number} of {len(panels)}: " if len(panels) > 1 else "Panel: "
        parts.append(prefix + axes_description(ax) + ".")
    return " ".join(parts) if parts else "An empty figure."


def _description_metadata(fig):
    """The display metadata of a figure: its description as the PNG's ``alt`` text (IPython's mime-bundle hook)."""
    try:
        text = figure_description(fig)
    except Exception as error:  # a description must never stop a figure from showing  # noqa: BLE001
        text = f"a figure (its description failed: {type(error).__name__})"
    return {}, {"image/png": {"alt": text}}


def install_figure_descriptions() -> bool:
    """Make IPython put every figure's description into its output's metadata (True when it did).

    IPython asks its mime-bundle formatter first and keeps the metadata it
    returns for ``image/png`` while the inline backend's own formatter draws
    the PNG, so the notebook stores ``{"image/png": {"alt": ...}}`` beside the
    picture. Outside IPython (scripts, tests) this does nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    shell.display_formatter.mimebundle_formatter.for_type(mpl.figure.Figure, _description_metadata)
    return True

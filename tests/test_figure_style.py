"""Figures that read on a projector: one style for the series, no text below 10 pt as shown.

Two halves. The helpers' figures are drawn and every piece of text in them is
measured at the size the notebook shows the figure. The notebooks' drawing
cells are read (not run): each must draw in the series' style, which
``import helpers`` switches on, and must not undo it (smaller fonts, a figure
too wide for the screen, a grey image on a scale of its own, no title).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from matplotlib.text import Text

import helpers
from helpers import plotting

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))

# What the screen does with a figure (see helpers/plotting.py): the inline PNG has
# figure.dpi pixels per inch of its tight bounding box, each shown as one CSS
# pixel (1/96 inch), and is scaled down to fit an output area 900 px wide.
CSS_PIXELS_PER_INCH = 96
OUTPUT_AREA_PIXELS = 900
SMALLEST_POINTS = 10


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def shown_font_sizes(figure) -> dict[str, float]:
    """Every visible non-empty text of ``figure`` with its size in points as shown in the notebook."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    width_pixels = figure.get_tightbbox(renderer).width * figure.dpi
    scale = figure.dpi / CSS_PIXELS_PER_INCH * min(1.0, OUTPUT_AREA_PIXELS / width_pixels)
    return {
        text.get_text(): text.get_fontsize() * scale
        for text in figure.findobj(Text)
        if text.get_visible() and text.get_text().strip()
    }


def numbers_wider_than_their_cells(figure) -> list[str]:
    """Numbers written in grid cells (draw_grid) that spill over their cell."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    spilled = []
    for ax in figure.axes:
        if not ax.images or not ax.texts:
            continue
        cell_pixels = ax.get_window_extent(renderer).width / ax.images[0].get_array().shape[1]
        spilled += [t.get_text() for t in ax.texts if t.get_window_extent(renderer).width > cell_pixels]
    return spilled


def _image_and_patch():
    patch = np.array([[93, 139, 101], [26, 252, 196], [135, 230, 18]])
    image = np.random.default_rng(0).integers(0, 256, size=(5, 5))
    image[1:4, 1:4] = patch
    return image, patch


def _figures():
    """Each helper figure, drawn the ways the notebooks draw it and at its hardest."""
    image, patch = _image_and_patch()
    box = helpers.box(3)
    camera = helpers.load_image("camera")
    long_titles = ["|sobel_y|: horizontal edges", "small_blur (7×7)", "an image with a long title to wrap",
                   "|laplacian|: all directions", "emboss, convolution", "sharpen", "large_blur (21×21)"]
    return {
        "show_kernel 3×3 as fractions": lambda: helpers.show_kernel(box, "box kernel: every weight is 1/9",
                                                                    as_fraction=True),
        "show_kernel 5×5 as fractions": lambda: helpers.show_kernel(np.outer([1, 2, 3, 2, 1], [1, 2, 3, 2, 1]) / 81,
                                                                    "box(3) * box(3)", as_fraction=True, size=4),
        "show_kernel 7×7 signed": lambda: helpers.show_kernel(np.random.default_rng(1).normal(size=(7, 7)), "random"),
        "show_products 3×3": lambda: helpers.show_products(patch, box),
        "show_products 2×2": lambda: helpers.show_products(np.array([[200, 200], [0, 0]]),
                                                           np.array([[2, 2], [-2, -2]])),
        "draw_step valid, first": lambda: helpers.draw_step(helpers.step_at(image, box, 0), box),
        "draw_step valid, last": lambda: helpers.draw_step(helpers.step_at(image, box, 8), box),
        "draw_step zero border 7×7": lambda: helpers.draw_step(helpers.step_at(image, box, 12, border="zero"), box),
        "draw_step sobel": lambda: helpers.draw_step(helpers.step_at(image * 1.0, helpers.KERNELS["sobel_x"], 4),
                                                     helpers.KERNELS["sobel_x"]),
        "show_grids 5, 7, 3, 5 (02)": lambda: helpers.show_grids(
            [image, np.pad(image, 1), helpers.correlate(image, box, border="valid"),
             helpers.correlate(image, box, border="zero")],
            ["input 5×5", "zero-padded 7×7", "valid output 3×3", "same output 5×5"],
            decimals=[0, 0, 1, 1], cmap="gray", suptitle="a suptitle that is rather long, as suptitles are"),
        "show_grids five learned kernels (08)": lambda: helpers.show_grids(
            [np.round(np.random.default_rng(2).normal(size=(3, 3)), 2) for _ in range(5)],
            [f"learned {name}" for name in ("sharpen", "laplacian", "sobel_x", "sobel_y", "emboss")], decimals=2),
        "show_images one": lambda: helpers.show_images(camera, ["camera"]),
        "show_images seven small": lambda: helpers.show_images([camera] * 7, long_titles, size=2.2),
        "show_images feature maps (08)": lambda: helpers.show_images(
            [camera / 255 * v for v in (0.98, 0.89, 2.29, 1.1, 3.34, 3.07, 3.27)], long_titles, size=2.25, vmin=0,
            vmax=[0.98, 0.89, 2.29, 1.1, 3.34, 3.07, 3.27], suptitle="the bank as a first layer: correlate, ReLU, pool"),
        "show_images five": lambda: helpers.show_images([camera] * 5, long_titles[:5], size=2.5),
        "show_images with scale notes": lambda: helpers.show_images(
            [camera * 4.0, camera / 255, helpers.load_image("astronaut", gray=False)],
            ["stretched", "own scale", "colour"], vmin=[None, 0, None], vmax=[None, 1, None]),
    }


FIGURES = _figures()


@pytest.mark.parametrize("name", list(FIGURES))
def test_no_text_in_a_helper_figure_is_shown_below_10_pt(name):
    sizes = shown_font_sizes(FIGURES[name]())
    too_small = {text: round(size, 1) for text, size in sizes.items() if size < SMALLEST_POINTS}
    assert sizes and not too_small, f"{name}: text shown below {SMALLEST_POINTS} pt: {too_small}"


@pytest.mark.parametrize("name", [n for n in FIGURES if not n.startswith("show_images")])
def test_numbers_fit_in_their_grid_cells(name):
    assert numbers_wider_than_their_cells(FIGURES[name]()) == []


def titles_running_into_other_panels(figure) -> list[str]:
    """Panel titles whose box overlaps another panel or another title (too long for their panel)."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    titled = [ax for ax in figure.axes if ax.get_title() and ax.get_visible()]
    clashes = []
    for ax in titled:
        box = ax.title.get_window_extent(renderer)
        for other in figure.axes:
            if other is ax or not other.axison and not other.images:
                continue
            if box.overlaps(other.get_window_extent(renderer)) or (
                    other.get_title() and box.overlaps(other.title.get_window_extent(renderer))):
                clashes.append(f"{ax.get_title()!r} runs into {other.get_title()!r}")
    return clashes


@pytest.mark.parametrize("name", list(FIGURES))
def test_titles_stay_over_their_own_panel(name):
    assert titles_running_into_other_panels(FIGURES[name]()) == []


def test_a_figure_wider_than_the_screen_is_measured_smaller():
    # The measurement itself: a 12 pt title on an 18-inch figure is shown at half size.
    figure, ax = plt.subplots(figsize=(18, 2), layout="constrained")
    ax.set_title("wide", fontsize=12)
    assert shown_font_sizes(figure)["wide"] < 7


def test_a_title_too_long_for_its_panel_is_caught():
    figure, axes = plt.subplots(1, 3, figsize=(6, 2))
    for ax in axes:
        ax.imshow(np.zeros((4, 4)))
        ax.set_title("a title that is far too long for its panel")
    assert titles_running_into_other_panels(figure)


def test_importing_helpers_switches_the_series_style_on():
    with mpl.rc_context():
        mpl.rcdefaults()
        helpers.use_series_style()
        assert mpl.rcParams["figure.dpi"] == 100
        sizes = [mpl.rcParams[k] for k in ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
                                           "ytick.labelsize", "legend.fontsize", "figure.titlesize")]
        assert min(sizes) * 100 / CSS_PIXELS_PER_INCH >= SMALLEST_POINTS
        assert mpl.rcParams["image.cmap"] == "gray"
    assert plotting.MAX_FIGURE_WIDTH * 100 <= OUTPUT_AREA_PIXELS


# --------------------------------------------------------------------------- the notebooks' drawing cells

DRAWS = re.compile(r"\bplt\.|matplotlib|\.imshow\(|\.plot\(|\.semilogy\(|\.loglog\(|\.stem\(|\.bar\(|\.hist\("
                   r"|\.scatter\(|helpers\.(show_|draw_)|\bdraw_grid\(|\bshow_grids\(")
STYLE_OVERRIDES = re.compile(r"rcParams|rc_context|plt\.style|mpl\.rc\(|matplotlib\.rc\(|plt\.rc\(|rcdefaults")
SMALL_NAMED_SIZES = {"xx-small", "x-small", "small", "smaller"}
GREY_MAPS = {None, "gray", "grey", "Greys", "Greys_r", "binary", "gist_gray"}
TEXT_CALLS = {"text", "annotate", "title", "set_title", "suptitle", "xlabel", "ylabel", "set_xlabel", "set_ylabel",
              "legend", "figtext", "supxlabel", "supylabel"}  # where `size=` is a font size
HELPERS_IMPORT = re.compile(r"^\s*(import helpers|from helpers\b)", re.MULTILINE)


def _code(cell) -> str:
    """The cell's Python, without IPython magics and shell lines."""
    return "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))


def drawing_cells():
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        helpers_imported = False
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            source = _code(cell)
            helpers_imported = helpers_imported or bool(HELPERS_IMPORT.search(source))
            if DRAWS.search(source):
                yield f"{path.relative_to(ROOT)} cell {index}", source, helpers_imported


DRAWING_CELLS = list(drawing_cells())


def _literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ...


def style_problems(source: str) -> list[str]:
    """What in one drawing cell's code departs from the series' style."""
    problems = []
    if STYLE_OVERRIDES.search(source):
        problems.append("changes matplotlib's settings instead of using the series' style")
    tree = ast.parse(source)
    makes_figure = False
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for key in ("fontsize", "size", "labelsize", "title_fontsize"):
            if key in keywords and (key != "size" or name in TEXT_CALLS):
                value = _literal(keywords[key])
                if (isinstance(value, (int, float)) and value < SMALLEST_POINTS) or value in SMALL_NAMED_SIZES:
                    problems.append(f"{name}({key}={value!r}): text below {SMALLEST_POINTS} pt")
        if name in ("subplots", "figure", "subplot_mosaic"):
            makes_figure = True
            figsize = _literal(keywords["figsize"]) if "figsize" in keywords else None
            if isinstance(figsize, tuple) and figsize[0] > plotting.MAX_FIGURE_WIDTH:
                problems.append(f"figsize {figsize} is wider than {plotting.MAX_FIGURE_WIDTH:g} in: "
                                "the notebook would shrink its text")
        if name == "imshow":
            cmap = _literal(keywords["cmap"]) if "cmap" in keywords else None
            if cmap in GREY_MAPS and not {"vmin", "vmax"} <= set(keywords):
                problems.append("imshow of a grey image without vmin and vmax (0 and 255, or say so in the title)")
    titled_grids = re.search(r"draw_grid\([^,]+,[^,]+,\s*f?[\"']", source)  # draw_grid(ax, values, "title")
    if makes_figure and not (re.search(r"title", source) or titled_grids):
        problems.append("a figure without a title")
    return problems


def test_the_notebooks_draw_somewhere():
    assert len(DRAWING_CELLS) > 40


@pytest.mark.parametrize(("where", "source", "helpers_imported"), DRAWING_CELLS, ids=[c[0] for c in DRAWING_CELLS])
def test_every_drawing_cell_uses_the_series_style(where, source, helpers_imported):
    assert helpers_imported, f"{where} draws before `import helpers` has switched the series' style on"
    assert style_problems(source) == [], where


@pytest.mark.parametrize(("source", "problem"), [
    ("ax.set_title('x', fontsize=8)", "text below 10 pt"),
    ("ax.legend(fontsize='small')", "text below 10 pt"),
    ("ax.text(0, 0, 'x', size=7)", "text below 10 pt"),
    ("fig, ax = plt.subplots(figsize=(14, 3))\nax.set_title('t')", "wider than"),
    ("ax.imshow(face, cmap='gray')", "without vmin and vmax"),
    ("ax.imshow(face)", "without vmin and vmax"),
    ("plt.rcParams['font.size'] = 6", "changes matplotlib's settings"),
    ("fig, ax = plt.subplots()\nax.plot([1, 2])", "without a title"),
])
def test_the_style_check_catches(source, problem):
    assert any(problem in p for p in style_problems(source))


def test_the_style_check_lets_the_series_way_through():
    source = ("fig, axes = plt.subplots(1, 2, figsize=(9, 3))\n"
              "axes[0].imshow(crop, cmap='gray', vmin=0, vmax=255)\n"
              "shown = axes[1].imshow(gap, cmap='magma')\n"
              "axes[1].set_title('difference')\n"
              "helpers.show_images([crop], ['crop'], size=2.5)\n"
              "fit = fit_kernels(x, target, size=3)\n")
    assert style_problems(source) == []


# --------------------------------------------------------------------------- figures in words, colours for every eye


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_helper_figure_is_described_panel_by_panel(name):
    figure = FIGURES[name]()
    text = plotting.figure_description(figure)
    panels = [ax for ax in figure.axes if ax.images or ax.lines]
    for ax in panels:
        title = " ".join(ax.get_title().split())
        assert title and f"'{title}'" in text, f"{name}: panel {title!r} is not described in {text!r}"
    assert text.count("Panel") == len(panels), text
    for ax in panels:  # what a sighted reader takes from each image: its size and its values
        rows, cols = ax.images[0].get_array().shape[:2]
        assert f"{rows}×{cols}" in text, text
    if figure._suptitle is not None:
        assert " ".join(figure._suptitle.get_text().split()) in text


def test_a_grid_is_described_by_its_numbers_and_a_curve_by_its_extremes():
    figure = helpers.show_kernel(helpers.KERNELS["sobel_x"], "sobel_x")
    text = plotting.figure_description(figure)
    assert "row by row: -1, 0, 1; -2, 0, 2; -1, 0, 1" in text, text
    assert "blue -2, light grey 0, red 2" in text, text
    figure, ax = plt.subplots()
    ax.plot([0, 1, 2, 3], [5.0, -2.5, 7.0, 1.0], label="response")
    ax.set_title("a curve")
    text = plotting.figure_description(figure)
    assert "line 'response' of 4 points" in text and "lowest -2.50 at x = 1" in text and "highest 7 at x = 2" in text
    assert plotting.figure_description(plotting.describe(figure, "One response.")).startswith("One response. ")


def test_ipython_stores_the_description_as_the_pictures_alt_text():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert plotting.install_figure_descriptions()
        # what the inline backend does when it loads (after `import helpers`): its own PNG formatter
        from IPython.core.pylabtools import select_figure_formats

        select_figure_formats(shell, {"png"})
        figure = helpers.show_images([helpers.load_image("camera")], ["camera"])
        data, metadata = shell.display_formatter.format(figure)
        assert "image/png" in data
        assert metadata["image/png"]["alt"] == plotting.figure_description(figure)
        assert "'camera', a 512×512 image" in metadata["image/png"]["alt"]
    finally:
        InteractiveShell.clear_instance()
    assert not plotting.install_figure_descriptions()  # outside IPython: nothing to do


# Machado, Oliveira & Fernandes (2009): full protanopia, deuteranopia and tritanopia on linear RGB.
COLOUR_BLINDNESS = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def seen_with(deficiency: str, rgba) -> np.ndarray:
    """An sRGB colour as a reader with ``deficiency`` sees it (sRGB, 0..1)."""
    colour = np.asarray(rgba[:3], dtype=float)
    linear = np.where(colour <= 0.04045, colour / 12.92, ((colour + 0.055) / 1.055) ** 2.4)
    seen = np.clip(np.asarray(COLOUR_BLINDNESS[deficiency]) @ linear, 0, 1)
    return np.where(seen <= 0.0031308, 12.92 * seen, 1.055 * seen ** (1 / 2.4) - 0.055)


def signs_told_apart(cmap) -> dict[str, float]:
    """For each deficiency, the smallest distance between the colours of -x and +x (x = 1/2 and 1 of the scale)."""
    colours = mpl.colormaps[cmap]
    return {d: min(float(np.linalg.norm(seen_with(d, colours(0.5 - x / 2)) - seen_with(d, colours(0.5 + x / 2))))
                   for x in (0.5, 1.0)) for d in COLOUR_BLINDNESS}


def test_the_signed_map_tells_negative_from_positive_with_every_common_colour_deficiency():
    assert min(signs_told_apart(plotting.SIGNED_CMAP).values()) > 0.35, signs_told_apart(plotting.SIGNED_CMAP)
    # the check can fail: red against green is lost to deuteranopia
    assert signs_told_apart("RdYlGn")["deuteranopia"] < 0.35


def test_signed_images_name_their_colours_in_the_title_whatever_the_map():
    signed = np.linspace(-1, 1, 16).reshape(4, 4)
    figure = helpers.show_images([signed, signed, signed], ["auto", "coolwarm", "viridis"],
                                 cmap=[None, "coolwarm", "viridis"], vmin=[None, -1, None], vmax=[None, 1, None])
    auto, coolwarm, viridis = (" ".join(ax.get_title().split()) for ax in figure.axes)
    assert "(blue -1, light grey 0, red 1)" in auto and "(blue -1, light grey 0, red 1)" in coolwarm
    assert "black" not in coolwarm and "white" not in coolwarm  # not the grey map's words on a blue-to-red map
    assert "(dark purple -1, yellow 1)" in viridis
    assert plotting.scale_note(0, 1, "Greys") == "(white 0, black 1)"


RED_AND_GREEN = {"red", "dark red"}, {"green", "dark green"}


def red_against_green(cmap) -> bool:
    """True for a colour map whose two ends are red and green (told apart by hue alone)."""
    colours = mpl.colormaps[cmap]
    ends = {plotting.colour_name(colours(0.0)), plotting.colour_name(colours(1.0))}
    return bool(ends & RED_AND_GREEN[0] and ends & RED_AND_GREEN[1])


def test_no_figure_sets_red_against_green():
    assert red_against_green("RdYlGn") and not red_against_green(plotting.SIGNED_CMAP)
    named = {m.group(1) for _, source, _ in DRAWING_CELLS
             for m in re.finditer(r"cmap\s*=\s*[\"']([A-Za-z_]+)[\"']", source) if m.group(1) in mpl.colormaps}
    helper_maps = {plotting.SIGNED_CMAP, "gray"}
    assert named, "no colour map found in the notebooks' drawing cells"
    assert not [m for m in named | helper_maps if red_against_green(m)]

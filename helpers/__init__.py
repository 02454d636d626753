"""Helpers shared by every notebook of the convolution series.

>>> import helpers
>>> helpers.apply_kernel([[200, 200], [0, 0]], [[2, 2], [-2, -2]])
800.0
"""
from ._mystery import mystery_filter  # notebook 03's black box; read it after the lesson
from .convolution import (
    METHODS,
    apply_kernel,
    convolve,
    correlate,
    is_separable,
    pad_for_kernel,
    separate_kernel,
)
from .images import DATA_DIR, load_image, sample_names, to_uint8
from .kernels import KERNELS, box, gaussian
from .plotting import (
    draw_grid,
    legend_outside,
    show_grids,
    show_images,
    show_kernel,
    show_products,
    use_series_style,
)
from .stepping import Step, draw_step, step_at, step_count
from .validation import BORDERS

__all__ = [
    "BORDERS",
    "DATA_DIR",
    "KERNELS",
    "METHODS",
    "apply_kernel",
    "box",
    "convolve",
    "correlate",
    "draw_grid",
    "gaussian",
    "is_separable",
    "legend_outside",
    "load_image",
    "mystery_filter",
    "pad_for_kernel",
    "sample_names",
    "separate_kernel",
    "Step",
    "draw_step",
    "step_at",
    "step_count",
    "show_grids",
    "show_images",
    "show_kernel",
    "show_products",
    "to_uint8",
    "use_series_style",
]

use_series_style()  # one plotting style for every notebook (helpers/plotting.py)

"""The sliders of notebook 07: a 2-D playground, a step-through view, a 1-D explorer.

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

One module per view (:mod:`.playground`, :mod:`.step_through`,
:mod:`.explorer_1d`) and one for what they share (:mod:`.rendering`);
every public name is importable from ``helpers.widgets`` itself.
"""
from .explorer_1d import Explorer1D, slide_text
from .playground import (
    CROPS,
    DISPLAY_MODES,
    KERNEL_CHOICES,
    OPERATIONS,
    Playground,
    PlaygroundResult,
    PlaygroundSettings,
    SettingsError,
    difference_image,
    opencv_reference,
    playground_input,
    playground_kernel,
    playground_plan,
    run_playground,
)
from .rendering import MIN_DISPLAY_PIXELS, encode_image, format_weight, kernel_html, show_in
from .step_through import STEP_KERNELS, StepThrough, step_html, step_sample

__all__ = [
    "CROPS",
    "DISPLAY_MODES",
    "KERNEL_CHOICES",
    "MIN_DISPLAY_PIXELS",
    "OPERATIONS",
    "STEP_KERNELS",
    "Explorer1D",
    "Playground",
    "PlaygroundResult",
    "PlaygroundSettings",
    "SettingsError",
    "StepThrough",
    "difference_image",
    "encode_image",
    "format_weight",
    "kernel_html",
    "opencv_reference",
    "playground_input",
    "playground_kernel",
    "playground_plan",
    "run_playground",
    "show_in",
    "slide_text",
    "step_html",
    "step_sample",
]

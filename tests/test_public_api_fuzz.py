"""Every public helper, fed arrays of every dtype and shape and arguments of every kind.

Each call must either return a finite result of the promised shape, or raise
ValueError or TypeError whose message names one of the function's arguments
(a student reads the message; it must say which argument to change). Any
other exception, a NaN or infinity, a wrong shape or a message that names no
argument fails the test, and hypothesis prints the smallest call that does.

Each argument is drawn either from values the function is meant for (small
odd kernels, 2-D and 3-D images with finite numbers anywhere in float64's
range, known border names) or from anything at all: None, text, booleans,
huge and negative whole numbers, NaN, infinities, -0.0, complex numbers,
ragged lists, and NumPy arrays of every dtype (bool to complex, text and
object) and of 0 to 4 dimensions, empty ones included. Sizes are sometimes
ones that cannot fit in memory (refused by name, before allocating), and
arrays sometimes hold only values near the ends of float64 (1e300, 1e-300,
subnormals). No call may change an array or list it was given.

Every public function of ``helpers`` is here: a test below fails when one is missing.
"""
from __future__ import annotations

import atexit
import copy
import inspect
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays, from_dtype
from matplotlib.figure import Figure

import helpers
from helpers import (
    cnn,
    gradients,
    integral,
    kernels,
    learning,
    matching,
    noise,
    signals,
    spectra,
    stepping,
    stripes,
)
from helpers.convolution import PLAN_CHOICES, PLANNED_METHODS, plan_correlation
from helpers.plotting import figure_description
from helpers.widgets import (
    OPERATIONS,
    Explorer1D,
    Playground,
    PlaygroundSettings,
    StepThrough,
    difference_image,
    kernel_html,
    opencv_reference,
    playground_plan,
)
from helpers.widgets.explorer_1d import slide_text
from helpers.widgets.playground import CROPS, KERNEL_CHOICES, image_names, run_playground
from helpers.widgets.rendering import format_weight
from helpers.widgets.step_through import step_html

# --------------------------------------------------------------------------- strategies

DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64,
          np.float16, np.float32, np.float64, np.complex64, np.complex128, np.dtype("U3"), np.dtype(object)]
OBJECTS = st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=3), st.complex_numbers())


def _any_array(dtype, shape) -> st.SearchStrategy:
    dtype = np.dtype(dtype)
    elements = OBJECTS if dtype.kind == "O" else from_dtype(dtype)
    return arrays(dtype, shape, elements=elements)


#: Arrays of every dtype and of 0 to 4 dimensions, empty ones included.
any_array = st.tuples(st.sampled_from(DTYPES), array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)).flatmap(
    lambda pair: _any_array(*pair)
)

#: Anything at all that a student might pass by mistake.
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),  # NaN, ±inf, -0.0, subnormals, 1.8e308
    st.complex_numbers(),
    st.text(max_size=6),
    st.lists(st.integers(-3, 3), max_size=4),
    st.just([[1, 2], [3]]),  # ragged
    st.just(()),
    any_array,
    st.just(np.float64(np.nan)),
    st.just(np.array(3)),
)

#: Finite floats anywhere in float64's range: huge, tiny and subnormal included.
finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(-300, 300, allow_nan=False)


def _real_arrays(shapes, elements=None) -> st.SearchStrategy:
    """Real arrays of the given shapes: float64 over all of float64's range, or small integer types."""
    float_arrays = shapes.flatmap(lambda s: arrays(np.float64, s, elements=finite if elements is None else elements))
    int_arrays = st.tuples(st.sampled_from([np.uint8, np.int16, np.int64, np.float32]), shapes).flatmap(
        lambda pair: arrays(pair[0], pair[1], elements=from_dtype(np.dtype(pair[0]), allow_nan=False,
                                                                     allow_infinity=False))
    )
    return st.one_of(float_arrays, int_arrays)


#: Values near the ends of float64: the largest, the smallest normal and subnormal numbers, either sign.
EXTREMES = [1.7e308, 1e300, 1e200, 1e-200, 1e-300, 2.2e-308, 5e-324]
extreme = st.sampled_from(EXTREMES + [-v for v in EXTREMES])


def real_arrays(shapes, elements=None) -> st.SearchStrategy:  # noqa: F811  (extends the one above)
    """As :func:`_real_arrays`, and sometimes arrays of values near the ends of float64 only."""
    return st.one_of(_real_arrays(shapes, elements), shapes.flatmap(lambda s: arrays(np.float64, s, elements=extreme)))


side = st.integers(1, 7)
grey_image = real_arrays(st.tuples(side, side))
colour_image = real_arrays(st.tuples(side, side, st.integers(1, 4)))
image = st.one_of(grey_image, colour_image)
odd = st.sampled_from([1, 3, 5])
kernel = real_arrays(st.tuples(odd, odd))
small_kernel = real_arrays(st.tuples(odd, odd), elements=moderate)
one_d = real_arrays(st.tuples(st.integers(1, 8)))
border = st.sampled_from(helpers.BORDERS)
method = st.sampled_from(helpers.METHODS)
small_whole = st.integers(-2, 9)
number = st.one_of(finite, st.integers(-5, 10**6))
seed = st.integers(-3, 2**40)


def maybe(good: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly values the function is meant for, sometimes anything at all."""
    return st.one_of(good, good, good, anything)


#: Sizes that cannot fit: 10⁶ to 10¹⁵ pixels along a side (terabytes and beyond for a square).
too_large = st.integers(10**6, 10**15)


def size(good: st.SearchStrategy) -> st.SearchStrategy:
    """A size argument: mostly ``good``, sometimes one that cannot fit, sometimes anything at all."""
    return st.one_of(good, good, good, too_large, anything)


# --------------------------------------------------------------------------- the public functions


@dataclass
class Case:
    function: Callable
    arguments: dict[str, st.SearchStrategy]
    shape: Callable[..., tuple | None] | None = None  # expected shape from the (valid) arguments
    allow_infinite: bool = False  # psnr: identical pictures give infinity, as documented
    errors: tuple = (ValueError, TypeError)  # what a refusal may raise (load_image: FileNotFoundError too)


def _same(name):
    return lambda **a: np.shape(a[name])


def _correlated_shape(**a):
    height, width = np.shape(a["image"])[:2]
    if a.get("border", "replicate") == "valid":
        k_h, k_w = np.shape(a["kernel"])
        height, width = height - k_h + 1, width - k_w + 1
    return (height, width) + np.shape(a["image"])[2:]


def _padded_shape(**a):
    height, width = np.shape(a["image"])
    k_h, k_w = a["kernel_shape"]
    return (height, width) if a["border"] == "valid" else (height + k_h - 1, width + k_w - 1)


def plan_then_run(image, kernel, border, method, run):
    """plan_correlation(image, kernel, border, method).run(run): any plan, run by any method (None: its own)."""
    return plan_correlation(image, kernel, border, method).run(run)


def _square(**a):
    return (a["size"], a["size"])


def _valid_map(**a):
    height, width = np.shape(a["image"])
    k = np.shape(a["kernels"])[-1]
    lead = np.shape(a["kernels"])[:-2]
    return (*lead, height - k + 1, width - k + 1)


frequency = st.sampled_from([0, 0.05, 0.1, 0.25, 0.5, 1 / 3, 0.3, 0.7, -0.1])
stripe_size = st.sampled_from([2, 4, 8, 12, 30, 120])
template = real_arrays(st.tuples(st.integers(1, 3), st.integers(1, 3)))


def _template_map(**a):
    (height, width), (t_h, t_w) = np.shape(a["image"]), np.shape(a["template"])
    return (height - t_h + 1, width - t_w + 1)


def _figure(kind: str, values: np.ndarray, hidden: np.ndarray, texts: list[str]) -> Figure:
    """A figure (not registered with pyplot, so nothing to close) drawn from hypothesis' numbers."""
    fig = Figure()
    ax = fig.add_subplot()
    flat = values.ravel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # matplotlib's own warnings about odd data are not what is tested
        if kind == "masked image":
            ax.imshow(np.ma.masked_array(values, mask=np.resize(hidden, values.shape)))
        elif kind == "bars":
            ax.bar(np.arange(flat.size), flat)
        elif kind == "mesh":
            ax.pcolormesh(values)
        elif kind == "scatter":
            ax.scatter(np.arange(flat.size), flat)
        elif kind == "text line":
            ax.plot(texts[: flat.size] + ["z"] * (flat.size - len(texts)), flat)
        else:
            ax.plot(flat, label=kind)
    return fig


#: Figures of images with masked cells, bars, meshes, scatter plots and lines (numbers or text on x),
#: their values anywhere in float64's range, NaN and infinity included.
figures = st.builds(
    _figure,
    st.sampled_from(["masked image", "bars", "mesh", "scatter", "text line", "line"]),
    arrays(np.float64, st.tuples(side, side), elements=st.floats() | extreme),
    arrays(np.bool_, st.tuples(side, side)),
    st.lists(st.text(min_size=1, max_size=3), unique=True, max_size=4),
)


def _image_files() -> list:
    """A folder with a good image, a text file named like one, a folder, a loop of links and a link to nothing."""
    folder = tempfile.mkdtemp(prefix="fuzz-images-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    root = __import__("pathlib").Path(folder)
    shutil.copy(helpers.DATA_DIR / "camera.png", root / "good.png")
    (root / "words.png").write_text("not an image")
    (root / "empty.png").write_bytes(b"")
    (root / "pictures").mkdir()
    (root / "a.png").symlink_to(root / "b.png")
    (root / "b.png").symlink_to(root / "a.png")
    (root / "gone.png").symlink_to(root / "nowhere.png")
    return [root / name for name in ("good.png", "words.png", "empty.png", "pictures", "a.png", "gone.png")]


image_paths = st.one_of(st.sampled_from(helpers.sample_names() + ["nothing", ""]), st.sampled_from(_image_files()),
                        st.sampled_from(_image_files()).map(str))


CASES = [
    Case(helpers.correlate, {"image": maybe(image), "kernel": maybe(kernel), "border": maybe(border),
                             "method": maybe(method)}, _correlated_shape),
    Case(helpers.convolve, {"image": maybe(image), "kernel": maybe(kernel), "border": maybe(border),
                            "method": maybe(method)}, _correlated_shape),
    Case(plan_correlation, {"image": maybe(image), "kernel": maybe(kernel), "border": maybe(border),
                            "method": maybe(st.sampled_from(PLAN_CHOICES))}),
    Case(plan_then_run, {"image": maybe(image), "kernel": maybe(kernel), "border": maybe(border),
                         "method": maybe(st.sampled_from(PLAN_CHOICES)),
                         "run": maybe(st.sampled_from([None, *PLANNED_METHODS]))}, _correlated_shape),
    Case(playground_plan, {"image": maybe(image), "kernel": maybe(kernel), "border": maybe(border),
                           "operation": maybe(st.sampled_from(OPERATIONS))}),
    Case(opencv_reference, {"image": maybe(image), "kernel": maybe(kernel), "border": maybe(border),
                            "operation": maybe(st.sampled_from(OPERATIONS))}, _correlated_shape),
    Case(helpers.apply_kernel, {"patch": maybe(real_arrays(st.just((3, 3)))), "kernel": maybe(real_arrays(st.just((3, 3))))},
         lambda **a: ()),
    Case(helpers.pad_for_kernel, {"image": maybe(grey_image), "kernel_shape": maybe(st.tuples(odd, odd)),
                                  "border": maybe(border)}, _padded_shape),
    Case(helpers.separate_kernel, {"kernel": maybe(kernel)}),
    Case(helpers.is_separable, {"kernel": maybe(kernel)}),
    Case(helpers.to_uint8, {"result": maybe(image), "mode": maybe(st.sampled_from(["clip", "rescale"]))},
         _same("result")),
    Case(kernels.box, {"size": maybe(small_whole)}, _square),
    Case(kernels.gaussian, {"size": maybe(small_whole), "sigma": maybe(number)}, _square),
    Case(kernels.unsharp, {"size": maybe(small_whole), "sigma": maybe(number), "amount": maybe(number)}, _square),
    Case(gradients.sobel_gradients, {"image": maybe(grey_image), "border": maybe(border)}),
    Case(gradients.gradient_magnitude, {"gx": maybe(grey_image), "gy": maybe(grey_image)}, _same("gx")),
    Case(gradients.gradient_direction, {"gx": maybe(grey_image), "gy": maybe(grey_image)}, _same("gx")),
    Case(cnn.output_size, {"n": maybe(small_whole), "k": maybe(small_whole), "p": maybe(small_whole),
                           "s": maybe(small_whole), "d": maybe(small_whole)}, lambda **a: ()),
    Case(cnn.same_padding, {"k": maybe(small_whole), "d": maybe(small_whole)}),
    Case(cnn.receptive_field, {"kernel_sizes": maybe(st.lists(small_whole, max_size=4)),
                               "dilations": maybe(st.none() | st.lists(small_whole, max_size=4)),
                               "strides": maybe(st.none() | st.lists(small_whole, max_size=4))}),
    Case(cnn.conv2d_nchw, {"input": maybe(real_arrays(array_shapes(min_dims=3, max_dims=4, max_side=5))),
                           "weights": maybe(real_arrays(array_shapes(min_dims=4, max_dims=4, max_side=3))),
                           "bias": maybe(st.none() | real_arrays(st.tuples(st.integers(1, 3)))),
                           "stride": maybe(small_whole), "padding": maybe(small_whole | st.sampled_from(["same", "valid"])),
                           "dilation": maybe(small_whole)}),
    Case(cnn.conv_transpose2d, {"input": maybe(real_arrays(array_shapes(min_dims=3, max_dims=4, max_side=5))),
                                "weights": maybe(real_arrays(array_shapes(min_dims=4, max_dims=4, max_side=3))),
                                "stride": maybe(small_whole), "padding": maybe(small_whole),
                                "output_padding": maybe(small_whole)}),
    Case(cnn.conv2d_input_gradient, {
        "output_gradient": maybe(real_arrays(array_shapes(min_dims=3, max_dims=4, max_side=4))),
        "weights": maybe(real_arrays(array_shapes(min_dims=4, max_dims=4, max_side=3))),
        "input_shape": size(st.tuples(side, side)), "stride": maybe(small_whole), "padding": maybe(small_whole)}),
    Case(cnn.depthwise_conv2d, {"input": maybe(real_arrays(array_shapes(min_dims=3, max_dims=4, max_side=5))),
                                "weights": maybe(real_arrays(st.tuples(st.integers(1, 3), st.just(1), side, side))),
                                "stride": maybe(small_whole), "padding": maybe(small_whole)}),
    Case(cnn.separable_as_full, {"depthwise": maybe(real_arrays(st.tuples(st.integers(1, 3), st.just(1), side, side))),
                                 "pointwise": maybe(real_arrays(st.tuples(st.integers(1, 3), st.integers(1, 3),
                                                                          st.just(1), st.just(1))))}),
    Case(cnn.global_average_pool, {"maps": maybe(real_arrays(array_shapes(min_dims=3, max_dims=4, max_side=5)))}),
    Case(learning.windows, {"image": maybe(grey_image), "size": maybe(small_whole)}),
    Case(learning.predict, {"image": maybe(grey_image), "kernels": maybe(kernel)}, _valid_map),
    Case(learning.mse_loss, {"image": maybe(grey_image), "kernels": maybe(kernel), "targets": maybe(grey_image)}),
    Case(learning.mse_gradient, {"image": maybe(grey_image), "kernels": maybe(kernel), "targets": maybe(grey_image)},
         _same("kernels")),
    Case(learning.fit_kernels, {"image": maybe(grey_image), "targets": maybe(grey_image), "size": maybe(odd),
                                "steps": maybe(st.integers(-1, 3)), "learning_rate": maybe(number),
                                "seed": maybe(seed)}),
    Case(learning.relu, {"values": maybe(image)}, _same("values")),
    Case(learning.max_pool, {"maps": maybe(image), "size": maybe(small_whole)}),
    Case(learning.correlate_relu_pool, {"image": maybe(grey_image), "kernels": maybe(st.lists(small_kernel, max_size=3)),
                               "biases": maybe(st.none() | one_d), "pool": maybe(small_whole),
                               "border": maybe(border)}),
    Case(noise.add_gaussian_noise, {"image": maybe(image), "sigma": maybe(number), "seed": maybe(seed)},
         _same("image")),
    Case(noise.add_salt_and_pepper, {"image": maybe(image), "fraction": maybe(st.floats(0, 1)), "seed": maybe(seed)},
         _same("image")),
    Case(noise.mse, {"result": maybe(image), "clean": maybe(image)}, lambda **a: ()),
    Case(noise.psnr, {"result": maybe(image), "clean": maybe(image)}, lambda **a: (), allow_infinite=True),
    Case(signals.shift_count_1d, {"signal": maybe(one_d), "kernel": maybe(one_d)}, lambda **a: ()),
    Case(signals.slide_1d, {"signal": maybe(one_d), "kernel": maybe(one_d), "shift": maybe(small_whole)}),
    Case(spectra.frequency_response, {"kernel": maybe(kernel), "size": maybe(small_whole)}, _square),
    Case(spectra.frequencies, {"size": maybe(small_whole)}, lambda **a: (a["size"],)),
    Case(stepping.step_count, {"image": maybe(image), "kernel": maybe(kernel), "border": maybe(border)},
         lambda **a: ()),
    Case(stepping.step_at, {"image": maybe(grey_image), "kernel": maybe(kernel), "index": maybe(small_whole),
                            "border": maybe(border)}),
    Case(format_weight, {"value": maybe(number)}),
    Case(kernel_html, {"kernel": maybe(kernel), "title": maybe(st.text(max_size=5))}),
    Case(step_html, {"image": maybe(grey_image), "kernel": maybe(small_kernel), "index": maybe(small_whole),
                     "border": maybe(border), "decimals": maybe(small_whole)}),
    Case(slide_text, {"slide": maybe(st.builds(signals.slide_1d, st.just([0.0, 1.0, 1.0]), st.just([1.0, -1.0]),
                                               st.integers(0, 3)))}),
    Case(difference_image, {"difference": maybe(image)}, lambda **a: np.shape(a["difference"])[:2]),
    Case(stripes.stripes, {"frequency": maybe(frequency), "size": size(stripe_size), "phase": maybe(number)}, _square),
    Case(stripes.measured_response, {"kernel": maybe(kernel | one_d), "frequency": maybe(frequency),
                                     "size": size(stripe_size)}, lambda **a: ()),
    Case(stripes.fourier_response, {"kernel": maybe(kernel | one_d), "size": size(st.integers(1, 40))}),
    Case(stripes.centre_first, {"row": maybe(one_d), "size": size(st.integers(1, 40))}, lambda **a: (a["size"],)),
    Case(stripes.response_2d, {"kernel": maybe(kernel), "size": size(st.integers(1, 12))}, _square),
    Case(matching.correlation_map, {"image": maybe(grey_image), "template": maybe(template)}, _template_map),
    Case(matching.ncc_map, {"image": maybe(grey_image), "template": maybe(template)}, _template_map),
    Case(integral.integral_image, {"image": maybe(grey_image)}, lambda **a: tuple(n + 1 for n in np.shape(a["image"]))),
    Case(integral.box_sums, {"image": maybe(grey_image), "k": size(st.integers(-1, 4))}),
    Case(cnn.correlation_matrix, {"kernel": maybe(kernel), "image_shape": size(st.tuples(side, side))}),
    Case(cnn.im2col, {"image": maybe(grey_image), "kernel_shape": size(st.tuples(odd, odd))}),
    Case(helpers.mystery_filter, {"image": maybe(real_arrays(st.tuples(st.integers(4, 9), st.integers(4, 9))))},
         _same("image")),
    Case(figure_description, {"fig": maybe(figures)}),
    Case(helpers.load_image, {"name_or_path": maybe(image_paths), "gray": maybe(st.booleans())},
         errors=(ValueError, TypeError, FileNotFoundError)),
]


# --------------------------------------------------------------------------- the check

#: Examples per function; the same ones on every run (derandomized) unless FUZZ_EXAMPLES asks for
#: more, which also draws fresh ones (for a longer hunt by hand: FUZZ_EXAMPLES=2000 pytest ...).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))


def _numbers(value):
    """Every float array inside a result (dataclasses, tuples and lists opened), for the finiteness check."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            yield value
    elif isinstance(value, (float, np.floating)):
        yield np.asarray(value)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _numbers(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            if name not in ("placed_kernel", "products", "output", "partial_output"):  # NaN marks "not here"
                yield from _numbers(getattr(value, name))


def _snapshot(arguments: dict) -> dict:
    """Copies of the arguments a function could change in place: arrays and lists."""
    return {name: copy.deepcopy(value) for name, value in arguments.items() if isinstance(value, (np.ndarray, list))}


def _unchanged(before, after) -> bool:
    if isinstance(before, np.ndarray):  # byte for byte: NaN stays NaN, -0.0 stays -0.0
        return before.dtype == after.dtype and before.shape == after.shape and (
            before.dtype.kind == "O" or before.tobytes() == after.tobytes())
    return repr(before) == repr(after)


def _check(case: Case, arguments: dict) -> None:
    names = list(inspect.signature(case.function).parameters)
    # a path names itself: load_image's message quotes the path it was given
    paths = [str(v) for v in arguments.values() if isinstance(v, (str, os.PathLike)) and str(v)]
    names += paths + [repr(path) for path in paths]
    given = _snapshot(arguments)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning (overflow, invalid value) is a failure too
        try:
            result = case.function(**arguments)
        except case.errors as error:
            message = str(error)
            assert any(name in message for name in names), (
                f"{case.function.__name__}: {type(error).__name__} names none of {names}: {message}"
            )
            return
        finally:
            for name, before in given.items():
                assert _unchanged(before, arguments[name]), f"{case.function.__name__} changed its argument {name}"
    for values in _numbers(result):
        if case.allow_infinite:
            values = values[~np.isinf(values)]
        assert np.all(np.isfinite(values)), f"{case.function.__name__} returned NaN or infinity"
    if case.shape is not None:
        expected = case.shape(**arguments)
        assert np.shape(result) == tuple(expected), (
            f"{case.function.__name__} returned shape {np.shape(result)}, expected {expected}"
        )


def _public_functions() -> set[str]:
    """Every public function of helpers' modules (not the widgets, exercises or environment report, tested elsewhere)."""
    found = {f"{value.__module__}.{name}" for name, value in vars(helpers).items()
             if name in helpers.__all__ and inspect.isfunction(value)}  # re-exported, e.g. from helpers._mystery
    for module in (helpers, cnn, gradients, integral, kernels, learning, matching, noise, signals, spectra, stepping,
                   stripes, helpers.plotting, helpers.images, helpers.convolution):
        for name, value in vars(module).items():
            if (inspect.isfunction(value) and not name.startswith("_") and value.__module__.startswith("helpers")
                    and value.__module__ == getattr(module, "__name__", "")):
                found.add(f"{value.__module__}.{name}")
    return found


#: Functions left out on purpose: figure makers (they draw; figure_description reads what they drew) and
#: the style and IPython hooks, which take no data.
NOT_FUZZED = {"helpers.plotting." + name for name in (
    "use_series_style", "show_images", "draw_grid", "show_grids", "show_kernel", "show_products", "legend_outside",
    "describe", "install_figure_descriptions", "wrap_title", "grey_limits", "colour_name", "is_grey_map",
    "scale_note", "image_scale", "axes_description")} | {"helpers.images.sample_names", "helpers.stepping.draw_step"}


def test_every_public_function_of_helpers_is_fuzzed():
    fuzzed = {f"{case.function.__module__}.{case.function.__name__}" for case in CASES}
    missing = _public_functions() - fuzzed - NOT_FUZZED
    assert not missing, f"not fuzzed: {sorted(missing)}"


@pytest.mark.parametrize("case", CASES, ids=[f"{case.function.__module__}.{case.function.__name__}" for case in CASES])
def test_every_call_returns_a_finite_result_or_names_an_argument(case):
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES == 60, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    @given(st.fixed_dictionaries(case.arguments))
    def run(arguments):
        _check(case, arguments)

    run()


# --------------------------------------------------------------------------- the playground's logic and widgets


playground_settings = st.builds(
    PlaygroundSettings,
    image=maybe(st.sampled_from(image_names())),
    crop=maybe(st.sampled_from([16, 32, 1, 2, 7, *CROPS.values()])),
    color=maybe(st.booleans()),
    kernel=maybe(st.sampled_from(KERNEL_CHOICES)),
    weights=maybe(st.tuples(*[finite] * 9)),
    size=maybe(st.sampled_from([1, 3, 5, 7, 9])),
    sigma=maybe(number),
    border=maybe(border),
    operation=maybe(st.sampled_from(["correlate", "convolve"])),
    display=maybe(st.sampled_from(["clip", "rescale"])),
    amount=maybe(number),
)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES == 60, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(playground_settings, st.one_of(st.none(), maybe(image)))
def test_run_playground_gives_a_finite_result_or_a_message(settings_, picture):
    # A bad setting gives a sentence in .message; only a bad `settings` or `image` argument may raise.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = run_playground(settings_, picture)
        except (ValueError, TypeError) as error:
            assert "image" in str(error) or "settings" in str(error), str(error)
            return
    if result.ok:
        assert np.all(np.isfinite(result.output)) and np.all(np.isfinite(result.difference))
        assert result.shown.dtype == np.uint8 and result.shown.shape == result.output.shape
    else:
        assert result.message


@settings(max_examples=max(10, EXAMPLES // 4), deadline=None, derandomize=EXAMPLES == 60, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(st.none(), playground_settings), maybe(st.sampled_from(["step", "pulse"])),
       maybe(st.sampled_from(["sobel_x", "box 3×3"])), maybe(border))
def test_widgets_are_built_or_name_the_setting(settings_, signal, step_kernel, step_border):
    # Playground(...) with a crop off the menu, say, must name it (not traitlets' "Invalid selection").
    for make, names in (
        (lambda: Playground(settings_), ("settings",)),
        (lambda: Explorer1D(signal=signal), ("signal",)),
        (lambda: StepThrough(kernel=step_kernel, border=step_border), ("kernel", "border")),
    ):
        try:
            make()
        except (ValueError, TypeError) as error:
            assert any(name in str(error) for name in names), str(error)

"""The sliders of notebook 07, driven from Python as a user would drive them.

Each test sets control values (dropdowns, sliders, the nine weight boxes)
and checks the arrays and messages the widget produces against references
computed here with SciPy and NumPy, never with the code under test.
"""
import base64
import re
import warnings

import cv2
import numpy as np
import pytest
from matplotlib.text import Text
from scipy import ndimage

import helpers
from helpers.signals import KERNELS_1D, SIGNALS_1D, shift_count_1d, slide_1d
from helpers.widgets import (
    OPERATIONS,
    STEP_KERNELS,
    Explorer1D,
    Playground,
    PlaygroundSettings,
    StepThrough,
    difference_image,
    encode_image,
    format_weight,
    kernel_html,
    opencv_reference,
    playground_plan,
    run_playground,
    step_html,
)
from helpers.widgets.playground import (
    KERNEL_CHOICES,
    NOISY_IMAGE,
    SettingsError,
    crop_origin,
    shown_uint8,
)
from helpers.widgets.rendering import is_playing

# The same meaning written out by hand, in SciPy's words.
SCIPY_MODE = {"zero": "constant", "replicate": "nearest", "reflect": "reflect", "reflect101": "mirror", "wrap": "wrap"}
SHARPEN = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float)
SOBEL_Y = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float)


def camera(crop=None):
    """The camera photo read with OpenCV; a crop where the playground puts it (checked for detail below)."""
    image = cv2.imread(str(helpers.DATA_DIR / "camera.png"), cv2.IMREAD_GRAYSCALE).astype(float)
    if crop is None:
        return image
    top, left = crop_origin("camera", crop)
    return image[top : top + crop, left : left + crop]


def decode(data: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)


@pytest.fixture
def playground():
    return Playground()


def test_the_default_view_is_camera_sharpened(playground):
    expected = ndimage.correlate(camera(), SHARPEN, mode="nearest")
    result = playground.result
    assert result.ok and result.message == ""
    np.testing.assert_allclose(result.output, expected, atol=1e-9)
    assert np.array_equal(result.shown, np.clip(np.rint(expected), 0, 255).astype(np.uint8))
    shown = decode(playground.output_view.value)
    assert playground.output_view.format == "jpeg" and shown.shape == (512, 512)
    # JPEG at quality 90: close to the exact uint8 image, not equal to it.
    assert np.abs(shown.astype(float) - result.shown).mean() < 3
    assert "largest difference from OpenCV" in playground.status.value
    # Every dropdown shows a choice (a value of None would leave it blank in the browser).
    for dropdown in (playground.image, playground.crop, playground.kernel, playground.border):
        assert dropdown.index is not None
    assert playground.crop.label == "whole image"


def test_choosing_a_kernel_and_convolution(playground):
    playground.kernel.value = "sobel_y"
    playground.operation.value = "convolve"
    expected = ndimage.convolve(camera(), SOBEL_Y, mode="nearest")
    np.testing.assert_allclose(playground.result.output, expected, atol=1e-9)
    # Sobel rotated by 180° is minus itself: the flip changes the sign.
    playground.operation.value = "correlate"
    np.testing.assert_allclose(playground.result.output, -expected, atol=1e-9)


@pytest.mark.parametrize("border", ["zero", "replicate", "reflect", "reflect101", "wrap"])
def test_every_padding_border_matches_scipy(playground, border):
    playground.crop.value = 32
    playground.kernel.value = "emboss"
    playground.border.value = border
    emboss = np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=float)
    expected = ndimage.correlate(camera(32), emboss, mode=SCIPY_MODE[border])
    np.testing.assert_allclose(playground.result.output, expected, atol=1e-9)
    assert playground.result.max_difference < 1e-9


def test_valid_border_shrinks_the_output(playground):
    playground.crop.value = 32
    playground.border.value = "valid"
    expected = ndimage.correlate(camera(32), SHARPEN, mode="nearest")[1:-1, 1:-1]
    assert playground.result.output.shape == (30, 30)
    np.testing.assert_allclose(playground.result.output, expected, atol=1e-9)


def test_opencv_reference_matches_scipy_for_every_border():
    image = camera(16)
    kernel = np.arange(15, dtype=float).reshape(3, 5) - 7
    for border, mode in SCIPY_MODE.items():
        for operation, scipy_function in [("correlate", ndimage.correlate), ("convolve", ndimage.convolve)]:
            expected = scipy_function(image, kernel, mode=mode)
            got = opencv_reference(image, kernel, border, operation)
            np.testing.assert_allclose(got, expected, atol=1e-9, err_msg=f"{border} {operation}")
    valid = opencv_reference(image, kernel, "valid", "correlate")
    np.testing.assert_allclose(valid, ndimage.correlate(image, kernel)[1:-1, 2:-2], atol=1e-9)


def test_box_and_gaussian_sizes(playground):
    playground.crop.value = 128
    playground.kernel.value = "box"
    assert not playground.size.disabled and playground.sigma.disabled
    playground.size.value = 9
    expected = ndimage.uniform_filter(camera(128), size=9, mode="nearest")
    np.testing.assert_allclose(playground.result.output, expected, atol=1e-9)

    playground.kernel.value = "gaussian"
    playground.size.value = 7
    playground.sigma.value = 2.0
    offsets = np.arange(7) - 3
    line = np.exp(-(offsets**2) / 8.0)
    kernel = np.outer(line, line) / np.outer(line, line).sum()
    np.testing.assert_allclose(playground.result.output, ndimage.correlate(camera(128), kernel, mode="nearest"),
                               atol=1e-9)
    playground.kernel.value = "laplacian"
    assert playground.size.disabled and playground.sigma.disabled


def test_rescale_stretches_to_the_full_range(playground):
    playground.kernel.value = "laplacian"
    playground.display_mode.value = "rescale"
    shown = playground.result.shown
    assert shown.min() == 0 and shown.max() == 255
    output = playground.result.output
    lowest = np.unravel_index(np.argmin(output), output.shape)
    assert shown[lowest] == 0


def test_colour_images_are_filtered_per_channel(playground):
    playground.image.value = "chelsea"
    playground.color.value = True
    playground.crop.value = 32
    rgb = cv2.cvtColor(cv2.imread(str(helpers.DATA_DIR / "chelsea.png")), cv2.COLOR_BGR2RGB).astype(float)
    top, left = crop_origin("chelsea", 32)
    crop = rgb[top : top + 32, left : left + 32]
    output = playground.result.output
    assert output.shape == (32, 32, 3)
    for channel in range(3):
        expected = ndimage.correlate(crop[:, :, channel], SHARPEN, mode="nearest")
        np.testing.assert_allclose(output[:, :, channel], expected, atol=1e-9)


def test_editing_a_weight_makes_the_kernel_custom(playground):
    playground.kernel.value = "sobel_x"
    assert [w.value for w in playground.weights] == ["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"]
    playground.weights[4].value = "8"
    assert playground.kernel.value == "custom"
    kernel = np.array([[-1, 0, 1], [-2, 8, 2], [-1, 0, 1]], dtype=float)
    np.testing.assert_allclose(playground.result.kernel, kernel)
    np.testing.assert_allclose(playground.result.output, ndimage.correlate(camera(), kernel, mode="nearest"),
                               atol=1e-9)
    assert ">8<" in playground.kernel_view.value


def test_all_zero_kernel_with_rescale_says_why_it_is_black(playground):
    playground.kernel.value = "custom"
    for weight in playground.weights:
        weight.value = "0"
    playground.display_mode.value = "rescale"
    message = playground.result.message
    assert "every weight is 0" in message and "rescale" in message
    assert "⚠" in playground.status.value and "Traceback" not in playground.status.value
    assert not playground.result.shown.any()
    # The controls keep working: one non-zero weight and the image comes back.
    playground.weights[4].value = "1"
    assert playground.result.message == ""
    np.testing.assert_allclose(playground.result.output, camera(), atol=1e-9)


def test_blur_larger_than_the_image_is_a_message_not_an_error(playground):
    playground.crop.value = 16
    playground.kernel.value = "box"
    playground.size.value = 9
    before = playground.output_view.value
    playground.size.value = 17
    assert not playground.result.ok
    assert "17×17 kernel is larger than the 16×16 image" in playground.result.message
    assert playground.output_view.value == before  # the last good output stays
    playground.size.value = 15
    assert playground.result.ok and playground.result.output.shape == (16, 16)
    assert playground.output_view.value != before


def test_even_sizes_and_bad_numbers_are_messages(playground):
    playground.kernel.value = "box"
    playground.size.value = 4  # typed in by hand: the slider itself steps by 2
    assert "odd" in playground.result.message and not playground.result.ok
    playground.kernel.value = "custom"
    playground.weights[0].value = "nan"
    assert "not a number" in playground.result.message
    assert playground.last_error == ""
    assert "sigma must be a number above 0" in run_playground(PlaygroundSettings(kernel="gaussian", sigma=0)).message
    assert "unknown image" in run_playground(PlaygroundSettings(image="no-such-photo")).message
    assert "unknown border" in run_playground(PlaygroundSettings(border="mirror")).message


def test_small_crops_are_enlarged_without_blurring():
    tiny = np.arange(16 * 16, dtype=np.uint8).reshape(16, 16)
    data, fmt = encode_image(tiny)
    assert fmt == "png"
    assert np.array_equal(decode(data), np.kron(tiny, np.ones((16, 16), dtype=np.uint8)))
    colour = np.zeros((300, 300, 3), dtype=np.uint8)
    colour[..., 0] = 200  # red in RGB
    data, fmt = encode_image(colour)
    assert fmt == "jpeg" and abs(int(decode(data)[150, 150, 2]) - 200) <= 2  # BGR on decoding
    with pytest.raises(TypeError, match="uint8"):
        encode_image(np.zeros((4, 4)))


def test_difference_image_marks_one_grey_level_as_white():
    difference = np.array([[0.0, 1e-12, -0.5 / 255], [1.0, -3.0, 0.7 / 255]])
    assert difference_image(difference).tolist() == [[0, 0, 0], [255, 255, 1]]
    colour = np.zeros((1, 1, 3))
    colour[0, 0, 2] = -2.0 / 255
    assert difference_image(colour).tolist() == [[2]]


def test_kernel_grid_and_weights_as_text():
    assert [format_weight(w) for w in (5.0, -0.25, 1 / 49, 0.5)] == ["5", "-0.25", "1/49", "0.5"]
    small = kernel_html(SHARPEN, "sharpen")
    assert small.count("<td") == 9 and ">-1<" in small and "weights sum to 1" in small
    large = kernel_html(np.full((21, 21), 1 / 441), "box")
    assert "<td" not in large and "21×21" in large and "centre 1/441" in large


def picture_in(page: str) -> np.ndarray:
    data = page.split('src="data:image/png;base64,')[1].split('"')[0]
    return decode(base64.b64decode(data))[:, :, ::-1]  # RGB


def test_large_kernels_are_drawn_as_a_picture_of_their_weights():
    kernel = np.zeros((21, 21))
    kernel[0, 0], kernel[10, 10], kernel[20, 5] = 2.0, -1.0, 0.5
    picture = picture_in(kernel_html(kernel, "test"))
    side = 230 // 21  # pixels per weight, grid line included
    assert picture.shape == (21 * side + 1, 21 * side + 1, 3)

    def colour(row, col):  # the middle of a weight's square
        return picture[row * side + side // 2, col * side + side // 2].tolist()

    assert colour(0, 0) == [255, 64, 64]  # the largest positive weight: strongest red
    assert colour(10, 10) == [159, 159, 255]  # -1, half the largest |weight|: 255 · (1 - 0.75 · 0.5) = 159
    assert colour(20, 5) == [255, 207, 207]  # a quarter: 255 · (1 - 0.75 · 0.25) = 207, pale red
    assert colour(3, 7) == [255, 255, 255]  # zero: white
    assert picture[0, 5].tolist() == [204, 204, 204]  # a grid line


def test_shown_uint8_matches_to_uint8():
    rng = np.random.default_rng(1)
    values = np.concatenate([rng.uniform(-300, 600, 30000), np.arange(-2, 258, 0.5),
                             [28.50000095346229, 28.4999999, 254.5, 255.5]])  # halves and near-halves
    values = values[: values.size // 3 * 3]
    for image in (values.reshape(-1, 3), values.reshape(-1, 1, 3), values.reshape(3, -1)):
        for display in ("clip", "rescale"):
            assert np.array_equal(shown_uint8(image, display), helpers.to_uint8(image, display)), display
    assert not shown_uint8(np.full((3, 3), 7.0), "rescale").any()
    with pytest.raises(ValueError, match="unknown display"):
        shown_uint8(np.zeros((2, 2)), "stretch")


def test_step_through_walks_every_output_pixel():
    view = StepThrough()
    image = view.source.astype(float)
    assert image.shape == (6, 6)
    assert view.position.max == 16  # a 6×6 image and a 3×3 kernel: 4×4 valid positions
    assert "step 1 of 16" in view.view.value
    expected = ndimage.correlate(image, STEP_KERNELS["sobel_x"])[1:-1, 1:-1]
    view.position.value = 7  # the 7th step writes row 1, column 2
    assert "step 7 of 16: output pixel (row 1, column 2)" in view.view.value
    assert f"= <b>{expected[1, 2]:.1f}</b>" in view.view.value
    view.border.value = "replicate"
    assert view.position.max == 36
    view.position.value = 30
    view.border.value = "valid"
    assert view.position.value == 16  # pulled back inside the smaller range
    view.kernel.value = "laplacian"
    assert "step 16 of 16: output pixel (row 3, column 3)" in view.view.value
    assert view.last_error == ""


def test_step_html_never_prints_minus_zero():
    # -1 times the zero padding is -0.0 in floating point; the page must say 0.0
    page = step_html(np.arange(16.0).reshape(4, 4), -np.ones((3, 3)), 0, border="zero")
    assert "-0.0" not in page and ">0.0<" in page


def test_step_html_marks_padding_and_window():
    page = step_html(np.arange(16.0).reshape(4, 4), np.ones((3, 3)), 0, border="zero")
    assert "padded (zero: italic, dashed)" in page and "step 1 of 16" in page
    # padding is drawn in its own value (0: black), not faded towards grey, and marked by a dashed edge
    assert "opacity" not in page and page.count("outline:1px dashed") == 6 * 6 - 16
    assert page.count("border-top:3px solid") == 3  # the window's top row
    assert page.count("border:3px solid") == 1  # the output pixel it writes
    assert "= <b>10.0</b>" in page  # 0 + 1 + 4 + 5: the top-left pixel with zero padding


@pytest.mark.parametrize("signal_name", list(SIGNALS_1D))
@pytest.mark.parametrize("kernel_name", list(KERNELS_1D))
def test_slide_1d_builds_np_convolve(signal_name, kernel_name):
    signal, kernel = SIGNALS_1D[signal_name], KERNELS_1D[kernel_name]
    full = np.convolve(signal, kernel)
    assert shift_count_1d(signal, kernel) == len(full)
    for shift in range(len(full)):
        step = slide_1d(signal, kernel, shift)
        assert step.value == pytest.approx(full[shift])
        assert np.nansum(step.products) == pytest.approx(full[shift])
        built = step.output[np.isfinite(step.output)]
        np.testing.assert_allclose(built, full[: shift + 1])
        # The kernel appears flipped, its last tap over position `shift`.
        placed = step.placed_kernel
        window = np.isfinite(placed)
        assert step.positions[window][-1] == shift
        np.testing.assert_allclose(placed[window], kernel[::-1])


def test_slide_1d_rejects_a_shift_outside_the_range():
    with pytest.raises(ValueError, match="shift must be a whole number from 0 to 5"):
        slide_1d([1, 2, 3, 4], [1, 1, 1], 6)
    with pytest.raises(ValueError, match="signal must be 1-D"):
        slide_1d(np.ones((2, 2)), [1], 0)


def test_explorer_1d_follows_its_controls():
    explorer = Explorer1D()
    assert explorer.shift.max == 16 + 3 - 2
    first = explorer.view.value
    explorer.shift.value = 8
    assert explorer.view.value != first
    expected = np.convolve(SIGNALS_1D["step"], KERNELS_1D["difference [1, 0, -1]"])[8]
    assert explorer.slide.value == pytest.approx(expected) and f"= {expected:.3f}" in explorer.status.value
    explorer.kernel.value = "box of 5"
    assert explorer.shift.max == 16 + 5 - 2
    explorer.shift.value = explorer.shift.max
    explorer.signal.value = "pulse"
    assert explorer.shift.value == explorer.shift.max == 16 + 5 - 2
    assert decode(explorer.view.value).shape[2] == 3 and explorer.last_error == ""


def test_every_setting_combination_updates_without_an_error():
    playground = Playground(PlaygroundSettings(crop=32))
    for kernel in playground.kernel.options:
        playground.kernel.value = kernel
        for border in playground.border.options:
            playground.border.value = border
            assert playground.result.ok, (kernel, border, playground.result.message)
            assert playground.result.max_difference < 1e-9, (kernel, border)
    assert playground.last_error == ""


# --------------------------------------------------------------------------- issue 12: bad input, named


@pytest.mark.parametrize("image", [np.arange(5.0), [1, 2, 3], np.zeros((4, 4, 2))])
def test_run_playground_names_a_bad_image(image):
    with pytest.raises(ValueError, match="image"):
        run_playground(PlaygroundSettings(kernel="sharpen"), image=image)


def test_run_playground_takes_a_2d_list():
    result = run_playground(PlaygroundSettings(kernel="sharpen", border="zero"), image=[[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    assert result.ok and result.output.tolist() == SHARPEN.tolist()


def test_run_playground_names_missing_settings():
    with pytest.raises(TypeError, match="settings must be a PlaygroundSettings"):
        run_playground(None)
    with pytest.raises(TypeError, match="settings"):
        Playground(settings="sharpen")


@pytest.mark.parametrize("kernel", ["gaussian", "unsharp"])
def test_a_tiny_sigma_is_a_message(kernel):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from the all-NaN Gaussian either
        result = run_playground(PlaygroundSettings(kernel=kernel, size=5, sigma=1e-200))
    assert not result.ok and "sigma 1e-200 cannot make a Gaussian" in result.message
    assert "between 0.001 and 1e+06" in result.message


def test_step_count_names_a_bad_border():
    with pytest.raises(ValueError, match="unknown border 'bogus'"):
        helpers.step_count(np.ones((5, 5)), np.ones((3, 3)), border="bogus")


@pytest.mark.parametrize(("image", "words"), [
    (np.zeros((4, 4, 2), dtype=np.uint8), r"image must be grey \(H×W\) or RGB \(H×W×3\)"),
    (np.zeros((0, 0), dtype=np.uint8), "image is empty"),
])
def test_encode_image_names_a_bad_shape(image, words):
    with pytest.raises(ValueError, match=words):
        encode_image(image)


def test_format_weight_and_kernel_html_name_bad_input():
    with pytest.raises(ValueError, match="value must be a finite number; got nan"):
        format_weight(float("nan"))
    with pytest.raises(TypeError, match="value must be a number"):
        format_weight("1")
    assert format_weight(1e300) == "1e+300" and format_weight(1000000) == "1000000"
    with pytest.raises(ValueError, match="kernel must be a 2-D array"):
        kernel_html(np.ones(3))


@pytest.mark.parametrize(("border", "operation", "name"), [(None, "correlate", "border"),
                                                           ("zero", "flip", "operation")])
def test_opencv_reference_names_a_bad_choice(border, operation, name):
    with pytest.raises(ValueError, match=f"unknown {name}"):
        opencv_reference(np.ones((5, 5)), np.ones((3, 3)), border, operation)


# --------------------------------------------------------------------------- issue 12: nothing false on screen


def test_a_stale_output_is_dimmed_and_the_message_says_where(playground):
    playground.crop.value = 16
    playground.kernel.value = "box"
    playground.size.value = 9
    assert "conv-stale" not in playground.output_view._dom_classes and not playground.stale
    playground.size.value = 17
    assert not playground.result.ok
    for view in (playground.output_view, playground.difference_view):
        assert "conv-stale" in view._dom_classes and "dashed" in view.layout.border
    assert "not updated" in playground.output_caption.value
    status = playground.status.value
    assert "below" in status and "dimmed" in status and "above" not in status
    playground.size.value = 15
    assert playground.result.ok and not playground.stale
    assert "conv-stale" not in playground.output_view._dom_classes and not playground.output_view.layout.border
    assert "not updated" not in playground.output_caption.value


@pytest.mark.parametrize(("kernel", "used"), [("custom", True), ("sobel_x", True), ("box", False),
                                              ("gaussian", False), ("unsharp", False), ("large_blur", False)])
def test_weight_boxes_are_disabled_while_not_used(playground, kernel, used):
    playground.kernel.value = kernel
    assert all(box.disabled is not used for box in playground.weights)
    assert ("not used by" in playground.weights_note.value) is not used


def test_weight_boxes_are_wide_enough_for_a_million(playground):
    # About 8 px per digit at the default font, plus the sign and the input's padding.
    assert all(int(box.layout.width.removesuffix("px")) >= 8 * len("-1000000") + 24 for box in playground.weights)


def test_huge_weights_give_sentences_not_errors(playground):
    playground.kernel.value = "custom"
    playground.weights[4].value = "1e290"
    assert playground.result.ok and playground.last_error == ""
    assert "1e+290" in playground.kernel_view.value
    assert "16 significant digits" in playground.result.message
    playground.weights[4].value = "1e300"  # 255 · 1e300 is past the helpers' limit of 1e300
    assert not playground.result.ok and playground.last_error == ""
    assert "too large" in playground.result.message and "could not update" not in playground.status.value
    playground.weights[0].value = "1e308"
    playground.weights[8].value = "1e308"
    assert not playground.result.ok and playground.last_error == ""
    assert "weights are too large" in playground.result.message and "1.8e308" in playground.result.message
    assert "could not update" not in playground.status.value and playground.stale


def test_every_view_has_the_same_screen_pixels_per_image_pixel(playground):
    playground.crop.value = 32
    playground.kernel.value = "box"
    playground.size.value = 9
    playground.border.value = "valid"
    width = {name: int(getattr(playground, name).layout.width.removesuffix("px"))
             for name in ("input_view", "output_view", "difference_view")}
    assert playground.result.output.shape == (24, 24)
    assert width["input_view"] / 32 == width["output_view"] / 24 == width["difference_view"] / 24
    assert decode(playground.output_view.value).shape[0] / 24 == decode(playground.input_view.value).shape[0] / 32
    playground.crop.value = 0  # the whole 512×512 photo, shown at half size
    playground.size.value = 41
    assert width["input_view"] == int(playground.input_view.layout.width.removesuffix("px"))
    assert int(playground.output_view.layout.width.removesuffix("px")) == round(472 * width["input_view"] / 512)


@pytest.mark.parametrize("side", [16, 32, 128])
def test_crops_have_detail_along_every_edge(side):
    photo = camera()
    band = max(2, side // 8)

    def weakest_edge(crop):
        return min(crop[:band].std(), crop[-band:].std(), crop[:, :band].std(), crop[:, -band:].std())

    result = run_playground(PlaygroundSettings(crop=side, kernel="sharpen"))
    assert result.input.shape == (side, side)
    assert weakest_edge(result.input.astype(float)) > 15  # grey levels of spread in each edge band
    if side <= 32:  # the centre crops were nearly flat coat: the old choice fails this test
        middle = (512 - side) // 2
        assert weakest_edge(photo[middle : middle + side, middle : middle + side]) < 15
    # The borders give visibly different results on such a crop.
    zero = run_playground(PlaygroundSettings(crop=side, kernel="box", size=5, border="zero")).shown
    wrap = run_playground(PlaygroundSettings(crop=side, kernel="box", size=5, border="wrap")).shown
    assert np.abs(zero.astype(int) - wrap.astype(int)).max() > 50


# --------------------------------------------------------------------------- issue 10: noise and unsharp


def test_the_noisy_photo_is_camera_plus_seeded_noise(playground):
    playground.image.value = NOISY_IMAGE
    noisy = playground.result.input.astype(float)
    assert noisy.shape == (512, 512)
    noise = noisy - camera()
    assert 15 < noise[np.abs(noise) < 60].std() < 25  # sigma 20, clipped at 0 and 255
    again = run_playground(PlaygroundSettings(image=NOISY_IMAGE)).input
    assert np.array_equal(again, playground.result.input)  # seeded: the same noise every time


def test_unsharp_sharpens_as_image_plus_amount_times_detail(playground):
    playground.crop.value = 128
    playground.kernel.value = "unsharp"
    assert not playground.size.disabled and not playground.sigma.disabled and not playground.amount.disabled
    playground.size.value = 9
    playground.sigma.value = 2.0
    playground.amount.value = 1.5
    offsets = np.arange(9) - 4
    line = np.exp(-(offsets**2) / 8.0)
    blur = ndimage.correlate(camera(128), np.outer(line, line) / np.outer(line, line).sum(), mode="nearest")
    expected = camera(128) + 1.5 * (camera(128) - blur)
    np.testing.assert_allclose(playground.result.output, expected, atol=1e-9)
    playground.kernel.value = "gaussian"
    assert playground.amount.disabled


def test_every_view_displays_its_controls_under_the_installed_ipywidgets():
    # ipywidgets 8 has Widget._repr_mimebundle_, 7 (Colab) has not: both must give the view of the controls.
    for view in (Playground(PlaygroundSettings(crop=16)), StepThrough(), Explorer1D()):
        bundle = view._repr_mimebundle_()
        assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.ui.model_id
        assert bundle["application/vnd.jupyter.widget-view+json"]["version_major"] == 2


def test_widget_placeholders_say_to_run_the_cell_first():
    for view in (Playground(PlaygroundSettings(crop=16)), StepThrough(), Explorer1D()):
        text = view._repr_mimebundle_()["text/plain"]
        assert text.startswith(f"[{type(view).__name__}: run this cell")
        assert text.index("run this cell") < text.index("still here after the cell has run")


# --------------------------------------------------------------------------- the 1-D explorer's figure


def marker_columns(pixels: np.ndarray, top: int, bottom: int) -> list[int]:
    """x of each vertical red line (the position marker) between rows top and bottom."""
    red, green, blue = (pixels[top:bottom, :, i].astype(int) for i in range(3))
    marker = (red > 200) & (green > 90) & (green < 160) & (blue > 90) & (blue < 160)
    columns = np.flatnonzero(marker.sum(axis=0) > 0.5 * (bottom - top))
    return [int(group[0]) for group in np.split(columns, np.flatnonzero(np.diff(columns) > 1) + 1) if group.size]


def test_explorer_draws_one_position_marker_after_a_change_while_playing():
    explorer = Explorer1D(signal="step", kernel="box of 5")
    setattr(explorer.play, "playing" if explorer.play.has_trait("playing") else "_playing", True)
    assert is_playing(explorer.play)
    explorer.shift.value = 16
    explorer.kernel.value = "difference [1, 0, -1]"  # a redraw while the timer runs
    assert not is_playing(explorer.play)  # the timer stops instead of racing the redraw
    explorer.shift.value = 17
    pixels = decode(explorer.view.value)[:, :, ::-1]  # BGR to RGB
    axes = explorer._figure.axes[0]
    height = pixels.shape[0]
    box = axes.get_window_extent()
    top, bottom = int(height - box.y1) + 3, int(height - box.y0) - 3
    assert len(marker_columns(pixels, top, bottom)) == 1


def test_explorer_text_is_at_least_10_pt_at_its_shown_size():
    explorer = Explorer1D()
    figure = explorer._figure.figure
    assert figure.dpi == 96  # CSS pixels: one figure pixel per screen pixel
    assert explorer.view.layout.width == f"{round(figure.get_figwidth() * 96)}px"
    assert decode(explorer.view.value).shape[1] == round(figure.get_figwidth() * 96)
    sizes = [text.get_fontsize() for text in figure.findobj(Text) if text.get_visible() and text.get_text()]
    assert sizes and min(sizes) >= 10


def test_a_display_change_reuses_the_computation(playground):
    first = playground.result.output
    playground.display_mode.value = "rescale"
    assert playground.result.output is first and not first.flags.writeable
    playground.border.value = "wrap"
    assert playground.result.output is not first
    np.testing.assert_allclose(playground.result.output, ndimage.correlate(camera(), SHARPEN, mode="wrap"), atol=1e-9)


@pytest.mark.parametrize("kernel", [helpers.gaussian(21, 3.0), helpers.box(5), helpers.KERNELS["sobel_y"],
                                    helpers.kernels.unsharp(9, 2.0, 1.0)], ids=["gauss21", "box5", "sobel", "unsharp"])
def test_opencv_reference_matches_scipy_on_colour_for_every_border(kernel):
    # Rank-1 kernels up to 21×21 take cv2.sepFilter2D, the others cv2.filter2D: both must agree with SciPy.
    rgb = cv2.cvtColor(cv2.imread(str(helpers.DATA_DIR / "astronaut.png")), cv2.COLOR_BGR2RGB).astype(float)[:48, :40]
    for border, mode in SCIPY_MODE.items():
        for operation, scipy_function in [("correlate", ndimage.correlate), ("convolve", ndimage.convolve)]:
            expected = np.stack([scipy_function(rgb[:, :, c], kernel, mode=mode) for c in range(3)], axis=-1)
            got = opencv_reference(rgb, kernel, border, operation)
            np.testing.assert_allclose(got, expected, atol=1e-9, err_msg=f"{border} {operation}")
    half = kernel.shape[0] // 2
    valid = opencv_reference(rgb, kernel, "valid", "correlate")
    expected = np.stack([ndimage.correlate(rgb[:, :, c], kernel)[half:-half, half:-half] for c in range(3)], axis=-1)
    np.testing.assert_allclose(valid, expected, atol=1e-9)


def test_a_bad_first_setting_says_there_is_no_output_yet():
    playground = Playground(PlaygroundSettings(crop=16, kernel="box", size=17))
    assert not playground.result.ok and "no output yet" in playground.status.value
    assert "dimmed" not in playground.status.value
    playground.size.value = 3
    assert playground.result.ok and not playground.stale


def test_the_playground_asks_the_planner():
    # How each kernel is computed is decided by helpers.convolution (tests/test_planner.py pins the rule).
    image = camera(32)
    for kernel, method in [(helpers.gaussian(9, 2.0), "banded"), (helpers.kernels.unsharp(9, 2.0, 1.5),
                           "identity + banded"), (SHARPEN, "vectorized"), (np.ones((11, 11)) + np.eye(11), "fft")]:
        for operation in ("correlate", "convolve"):
            assert playground_plan(image, kernel, "zero", operation).method == method
    result = run_playground(PlaygroundSettings(kernel="unsharp", size=9, sigma=2.0, amount=1.5, crop=32))
    assert result.ok and result.method == "identity + banded"
    assert run_playground(PlaygroundSettings(kernel="gaussian", size=9, sigma=2.0, crop=32)).method == "banded"


# identity plus a rank-1 kernel that is not symmetric, so turning it for convolution matters
LOPSIDED = 3.0 * np.eye(1, 35, 17).reshape(5, 7) + np.outer([1.0, -2.0, 0.5, 4.0, 1.0], [2.0, 0.0, -1.0, 1.0, 3.0, 0.5, 1.0])


@pytest.mark.parametrize("kernel", [helpers.kernels.unsharp(9, 2.0, 1.5), LOPSIDED], ids=["unsharp", "lopsided"])
@pytest.mark.parametrize("colour", [False, True], ids=["grey", "colour"])
def test_identity_plus_banded_gives_the_whole_kernel_s_result(kernel, colour):
    rgb = cv2.cvtColor(cv2.imread(str(helpers.DATA_DIR / "astronaut.png")), cv2.COLOR_BGR2RGB)[:30, :27]
    image = rgb if colour else rgb[:, :, 1]
    planes = [image[:, :, c] for c in range(3)] if colour else [image]
    rows, cols = kernel.shape[0] // 2, kernel.shape[1] // 2
    for border in ["valid", *SCIPY_MODE]:
        for operation, scipy_function in [("correlate", ndimage.correlate), ("convolve", ndimage.convolve)]:
            expected = []
            for plane in planes:
                full = scipy_function(plane.astype(float), kernel, mode=SCIPY_MODE.get(border, "constant"))
                expected.append(full[rows:-rows, cols:-cols] if border == "valid" else full)
            expected = np.stack(expected, axis=-1) if colour else expected[0]
            plan = playground_plan(image, kernel, border, operation)
            assert plan.method == "identity + banded"
            np.testing.assert_allclose(plan.run(), expected, atol=1e-9, err_msg=f"{border} {operation}")
            np.testing.assert_allclose(plan.run("opencv"), expected, atol=1e-9, err_msg=f"{border} {operation}")


def test_banded_passes_get_one_blas_thread_while_opencv_computes(monkeypatch):
    # Two BLAS threads on top of OpenCV's reference overload a two-core machine.
    from threadpoolctl import threadpool_info

    from helpers.convolution import CorrelationPlan
    from helpers.widgets import playground as module

    seen = []
    run = CorrelationPlan.run

    def recording(plan, method=None):
        if method is None:  # the series' own method, on the update's thread
            seen.append([library["num_threads"] for library in threadpool_info() if library["user_api"] == "blas"])
        return run(plan, method)

    monkeypatch.setattr(CorrelationPlan, "run", recording)
    module._LAST.clear()
    result = run_playground(PlaygroundSettings(kernel="gaussian", size=9, sigma=2.0, crop=128))
    assert result.ok and result.method == "banded"
    assert seen and seen[0] and set(seen[0]) == {1}


@pytest.mark.parametrize(("border", "operation", "name"), [
    (None, "correlate", "border"), ("zero", "flip", "operation"), ("same", "convolve", "border")])
def test_playground_plan_names_a_bad_choice(border, operation, name):
    with pytest.raises(ValueError, match=f"unknown {name}"):
        playground_plan(np.ones((9, 9)), helpers.gaussian(5, 1.0), border, operation)
    with pytest.raises(ValueError, match=f"unknown {name}"):
        opencv_reference(np.ones((9, 9)), helpers.gaussian(5, 1.0), border, operation)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_playground_plan_names_a_bad_kernel_or_method(operation):
    with pytest.raises(ValueError, match="kernel must be 2-D"):
        playground_plan(np.ones((9, 9)), np.ones(5), "zero", operation)
    with pytest.raises(TypeError, match="kernel"):
        playground_plan(np.ones((9, 9)), None, "zero", operation)
    with pytest.raises(ValueError, match="unknown method 'fastest'"):
        playground_plan(np.ones((9, 9)), np.eye(5), "zero", operation).run("fastest")


def _counting(monkeypatch, module, name, counts):
    """Replace ``module.name`` with a wrapper that counts its calls in ``counts[name]``."""
    original = getattr(module, name)

    def counted(*args, **kwargs):
        counts[name] = counts.get(name, 0) + 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


@pytest.mark.parametrize(("settings", "svds"), [
    (PlaygroundSettings(kernel="gaussian", size=9, sigma=2.0, crop=128), 1),  # rank 1: serves ours and OpenCV
    (PlaygroundSettings(kernel="unsharp", size=9, sigma=2.0, amount=1.5, crop=128, color=True), 2),  # and the rest's
    (PlaygroundSettings(kernel="sobel_x", operation="convolve", crop=128), 0),  # 3×3: no rank needed
], ids=["gaussian", "unsharp", "sobel"])
def test_one_update_validates_its_settings_once(settings, svds, monkeypatch):
    from helpers import convolution
    from helpers.widgets import playground as module

    playground = Playground(settings)
    counts = {}
    for name in ("_check_settings", "_check_choices"):
        _counting(monkeypatch, module, name, counts)
    for where in (convolution, module):  # every module that could check the kernel or the image
        for name in ("check_kernel", "check_image"):
            if hasattr(where, name):
                _counting(monkeypatch, where, name, counts)
    svd = np.linalg.svd
    monkeypatch.setattr(np.linalg, "svd", lambda *a, **k: counts.__setitem__("svd", counts.get("svd", 0) + 1)
                        or svd(*a, **k))
    playground.border.value = "reflect101"  # one update, computed afresh
    assert playground.result.ok
    assert counts.pop("svd", 0) == svds
    assert counts == {"_check_settings": 1, "_check_choices": 1, "check_kernel": 1, "check_image": 1}


@pytest.mark.parametrize("typed, words", [
    ("0,5", ["row 1, column 1", "point (0.5)", "not a comma"]),
    ("1e400", ["too large", "infinity"]),
    ("", ["empty"]),
    ("   ", ["empty"]),
    ("abc", ["'abc'", "not a number"]),
    ("nan", ["'nan'", "not a number"]),
])
def test_a_typo_in_a_weight_box_gets_a_message_and_keeps_the_last_output(playground, typed, words):
    playground.kernel.value = "custom"
    playground.weights[0].value = "0.5"
    assert playground.result.ok
    good = playground.output_view.value
    playground.weights[0].value = typed
    message = playground.result.message
    assert not playground.result.ok and all(word in message for word in words), message
    assert "⚠" in playground.status.value and "Traceback" not in playground.status.value
    assert playground.output_view.value == good and playground.last_error == ""


def test_weight_boxes_read_what_python_reads():
    from helpers.widgets.playground import parse_weight

    assert [parse_weight(t) for t in ("0.5", " -2 ", "1e-3", "\u22121", ".5")] == [0.5, -2.0, 0.001, -1.0, 0.5]
    assert parse_weight(3) == 3.0
    with pytest.raises(SettingsError, match="row 3, column 2"):
        parse_weight("x", 7)


def test_convolve_mode_draws_the_turned_kernel(playground):
    playground.kernel.value = "custom"
    for box_widget, text in zip(playground.weights, ["1", "2", "3", "0", "0", "0", "0", "0", "0"], strict=True):
        box_widget.value = text
    correlate_panel = playground.kernel_view.value
    playground.operation.value = "convolve"
    convolve_panel = playground.kernel_view.value
    assert "turned by 180°" in convolve_panel and "turned" not in correlate_panel
    # the top row 1 2 3 is drawn as the bottom row 3 2 1
    numbers = [int(n) for n in re.findall(r">(-?\d+)<", convolve_panel)]
    assert numbers[-3:] == [3, 2, 1] and numbers[:3] == [0, 0, 0], numbers


# --------------------------------------------------------------------------- issue 29: the band-pass kernels of notebook 12


def test_the_kernel_menu_offers_log_and_dog_built_from_size_and_sigma():
    assert {"LoG", "DoG"} <= set(KERNEL_CHOICES)
    log = run_playground(PlaygroundSettings(kernel="LoG", size=9, sigma=1.0, border="reflect", crop=32))
    assert log.ok, log.message
    picture = log.input.astype(float)
    np.testing.assert_allclose(log.output, ndimage.gaussian_laplace(picture, 1.0, mode="reflect"), atol=1e-9)
    dog = run_playground(PlaygroundSettings(kernel="DoG", size=9, sigma=1.0, border="reflect", crop=32))
    assert dog.ok, dog.message
    # both Gaussians cut at radius 4, as the 9×9 kernel: truncate = 4 / σ
    wide = ndimage.gaussian_filter(picture, 1.6, truncate=4 / 1.6, mode="reflect")
    narrow = ndimage.gaussian_filter(picture, 1.0, truncate=4.0, mode="reflect")
    np.testing.assert_allclose(dog.output, wide - narrow, atol=1e-9)


def test_log_and_dog_use_the_size_and_sigma_controls(playground):
    for name in ("LoG", "DoG"):
        playground.kernel.value = name
        assert not playground.size.disabled and not playground.sigma.disabled and playground.amount.disabled

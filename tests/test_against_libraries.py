"""The series' convolver against cv2.filter2D and scipy.ndimage, method by method."""
import cv2
import numpy as np
import pytest
from scipy import ndimage

import helpers
from helpers.convolution import OPENCV_BORDERS, SCIPY_MODES

SAME_SIZE_BORDERS = ["zero", "replicate", "reflect", "reflect101", "wrap"]
ALL_METHODS = ["loop", "vectorized", "fft", "opencv", "auto"]


def random_kernel(rng, shape):
    return rng.normal(size=shape)


def scale_of(image, kernel):
    """Largest possible output magnitude: the scale 'relative' tolerances refer to."""
    return float(np.abs(image).max() * np.abs(kernel).sum()) or 1.0


def opencv_correlate(image, kernel, border, ddepth):
    """cv2.filter2D with the border flag matching ``border``; wrap needs a pre-pad."""
    flag = OPENCV_BORDERS[border]
    if border != "wrap":
        return cv2.filter2D(image, ddepth, kernel, borderType=flag)
    ph, pw = kernel.shape[0] // 2, kernel.shape[1] // 2
    padded = cv2.copyMakeBorder(image, ph, ph, pw, pw, cv2.BORDER_WRAP)
    out = cv2.filter2D(padded, ddepth, kernel)
    return out[ph : ph + image.shape[0], pw : pw + image.shape[1]]


@pytest.mark.parametrize("border", SAME_SIZE_BORDERS)
@pytest.mark.parametrize("shape", [(3, 3), (5, 5), (3, 7), (7, 1)])
def test_float_output_matches_filter2d(border, shape, gray_uint8, rng):
    kernel = random_kernel(rng, shape)
    expected = opencv_correlate(gray_uint8.astype(np.float64), kernel, border, cv2.CV_64F)
    for method in ["loop", "vectorized", "fft", "auto"]:
        ours = helpers.correlate(gray_uint8, kernel, border=border, method=method)
        np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-4, err_msg=method)


@pytest.mark.parametrize("border", SAME_SIZE_BORDERS)
@pytest.mark.parametrize("name", sorted(helpers.KERNELS))
def test_uint8_output_matches_filter2d_within_one_level(border, name):
    image = helpers.load_image("camera")[200:264, 200:264]
    kernel = helpers.KERNELS[name]
    expected = opencv_correlate(image, kernel, border, -1)
    ours = helpers.to_uint8(helpers.correlate(image, kernel, border=border, method="vectorized"))
    assert ours.dtype == np.uint8
    difference = np.abs(ours.astype(int) - expected.astype(int))
    assert difference.max() <= 1


def test_valid_is_the_interior_of_filter2d(gray_uint8, rng):
    kernel = random_kernel(rng, (5, 3))
    full = cv2.filter2D(gray_uint8.astype(np.float64), cv2.CV_64F, kernel)
    for method in ALL_METHODS:
        valid = helpers.correlate(gray_uint8, kernel, border="valid", method=method)
        assert valid.shape == (23 - 4, 31 - 2)
        np.testing.assert_allclose(valid, full[2:-2, 1:-1], atol=1e-9, err_msg=method)


@pytest.mark.parametrize("border", SAME_SIZE_BORDERS)
@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (1, 5), (9, 9)])
@pytest.mark.parametrize("operation", ["correlate", "convolve"])
def test_matches_scipy_ndimage(border, shape, operation, gray_uint8, rng):
    kernel = random_kernel(rng, shape)
    image = gray_uint8.astype(np.float64)
    reference = getattr(ndimage, operation)(image, kernel, mode=SCIPY_MODES[border], cval=0.0)
    ours_fn = getattr(helpers, operation)
    for method in ALL_METHODS:
        ours = ours_fn(gray_uint8, kernel, border=border, method=method)
        np.testing.assert_allclose(ours, reference, rtol=0, atol=1e-9 * scale_of(image, kernel), err_msg=method)


@pytest.mark.parametrize("border", SAME_SIZE_BORDERS)
@pytest.mark.parametrize("method", ALL_METHODS)
def test_colour_images_are_filtered_per_channel(border, method, color_uint8, rng):
    kernel = random_kernel(rng, (3, 5))
    ours = helpers.correlate(color_uint8, kernel, border=border, method=method)
    assert ours.shape == color_uint8.shape
    for channel in range(3):
        plane = color_uint8[:, :, channel].astype(np.float64)
        reference = ndimage.correlate(plane, kernel, mode=SCIPY_MODES[border])
        np.testing.assert_allclose(ours[:, :, channel], reference, atol=1e-9 * scale_of(plane, kernel))


@pytest.mark.parametrize("border", ["valid", *SAME_SIZE_BORDERS])
@pytest.mark.parametrize("name", ["small_blur", "sobel_x", "emboss", "gaussian"])
def test_every_method_agrees_with_every_other(border, name, rng):
    image = rng.uniform(0, 255, size=(40, 37))
    kernel = helpers.gaussian(7, 1.5) if name == "gaussian" else helpers.KERNELS[name]
    results = {m: helpers.correlate(image, kernel, border=border, method=m) for m in ALL_METHODS}
    if helpers.is_separable(kernel):
        for method in ["separable", "banded"]:
            results[method] = helpers.correlate(image, kernel, border=border, method=method)
    reference = results["loop"]
    tolerance = 1e-9 * scale_of(image, kernel)
    for method, result in results.items():
        assert result.dtype == np.float64
        np.testing.assert_allclose(result, reference, rtol=0, atol=tolerance, err_msg=method)


def test_uint8_input_does_not_overflow():
    image = np.full((5, 5), 255, dtype=np.uint8)
    for method in ALL_METHODS:
        result = helpers.correlate(image, np.ones((3, 3)), method=method)
        assert result.dtype == np.float64
        assert result[2, 2] == pytest.approx(9 * 255, rel=1e-9)


def test_kernel_larger_than_image_with_padding(rng):
    image = rng.uniform(size=(4, 5))
    kernel = rng.normal(size=(7, 9))
    reference = ndimage.correlate(image, kernel, mode="constant")
    for method in ALL_METHODS:
        ours = helpers.correlate(image, kernel, border="zero", method=method)
        np.testing.assert_allclose(ours, reference, atol=1e-9 * scale_of(image, kernel), err_msg=method)

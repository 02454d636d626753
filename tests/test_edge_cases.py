"""Unusual but valid input gets the right answer, the same from every method."""
import warnings

import numpy as np
import pytest
from scipy import ndimage

import helpers
from helpers import convolution
from helpers.convolution import SCIPY_MODES

SAME_SIZE_BORDERS = ["zero", "replicate", "reflect", "reflect101", "wrap"]


def scale_of(image, kernel):
    return float(np.abs(image).max() * np.abs(kernel).sum()) or 1.0


@pytest.mark.parametrize("border", ["valid", *SAME_SIZE_BORDERS])
@pytest.mark.parametrize("method", helpers.METHODS)
@pytest.mark.parametrize("function", ["correlate", "convolve"])
def test_one_channel_images_keep_their_shape(function, method, border):
    # H×W×1 comes back H×W×1 from every method, with the grey result inside.
    rng = np.random.default_rng(7)
    image = rng.uniform(0, 255, size=(9, 11, 1))
    kernel = helpers.gaussian(3, 0.8)
    ours = getattr(helpers, function)(image, kernel, border=border, method=method)
    grey = getattr(helpers, function)(image[:, :, 0], kernel, border=border, method="loop")
    assert ours.shape == (*grey.shape, 1)
    np.testing.assert_allclose(ours[:, :, 0], grey, rtol=0, atol=1e-9 * scale_of(image, kernel))


@pytest.mark.parametrize("method", helpers.METHODS)
def test_many_channels_keep_their_shape(method):
    rng = np.random.default_rng(8)
    image = rng.uniform(0, 1, size=(8, 10, 6))
    kernel = np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0])
    ours = helpers.correlate(image, kernel, method=method)
    assert ours.shape == image.shape
    for c in range(6):
        expected = ndimage.correlate(image[:, :, c], kernel, mode="nearest")
        np.testing.assert_allclose(ours[:, :, c], expected, rtol=0, atol=1e-12)


def test_gaussian_at_the_ends_of_its_range():
    # A tiny sigma tends to the identity kernel, a huge one to the box.
    narrow = helpers.gaussian(5, 1e-3)
    identity = np.zeros((5, 5))
    identity[2, 2] = 1.0
    np.testing.assert_array_equal(narrow, identity)
    wide = helpers.gaussian(41, 1e6)
    np.testing.assert_allclose(wide, helpers.box(41), rtol=1e-9, atol=0)
    assert np.isfinite(helpers.gaussian(3, 0.05)).all()
    assert helpers.gaussian(3, 0.05).sum() == pytest.approx(1.0, abs=1e-15)


def test_gaussian_matches_its_formula():
    # G(x, y) = exp(-(x² + y²) / (2 σ²)), normalised, written out here without the helper.
    size, sigma = 7, 1.3
    x = np.arange(size) - 3
    expected = np.exp(-(x[:, None] ** 2 + x[None, :] ** 2) / (2 * sigma**2))
    expected /= expected.sum()
    np.testing.assert_allclose(helpers.gaussian(size, sigma), expected, rtol=1e-13, atol=0)


def test_rescale_handles_the_whole_float64_range():
    # max - min overflows to infinity here; the result must still span 0..255.
    result = helpers.to_uint8(np.array([-1e308, 0.0, 1e308]), mode="rescale")
    assert result.tolist() == [0, 128, 255]
    result = helpers.to_uint8(np.array([-1.7e308, 1.7e308, 0.85e308]), mode="rescale")
    assert result.tolist() == [0, 255, 191]
    # The other end: a range so narrow that 255 / (max - min) overflows.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = helpers.to_uint8(np.array([0.0, 5e-324, 1e-323]), mode="rescale")
    assert result.tolist() == [0, 128, 255]


@pytest.mark.parametrize("method", helpers.METHODS)
def test_results_just_below_the_limit_are_computed(method):
    # 1e299 × (a kernel summing to 9) stays below the 1e300 limit: every method answers.
    image = np.full((6, 7), 1e299 / 9)
    ours = helpers.correlate(image, np.ones((3, 3)), method=method)
    np.testing.assert_allclose(ours, np.full((6, 7), 1e299), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.float32])
def test_integer_and_single_precision_images_are_not_refused_as_too_large(dtype):
    image = np.full((5, 5), np.iinfo(dtype).max if dtype != np.float32 else 3e38, dtype=dtype)
    result = helpers.correlate(image, np.ones((3, 3)))
    assert np.isfinite(result).all()


def test_pad_for_kernel_pads_lists_and_keeps_valid_unchanged():
    padded = helpers.pad_for_kernel([[1, 2], [3, 4]], (3, 5), "replicate")
    assert padded.tolist() == [
        [1, 1, 1, 2, 2, 2],
        [1, 1, 1, 2, 2, 2],
        [3, 3, 3, 4, 4, 4],
        [3, 3, 3, 4, 4, 4],
    ]
    assert helpers.pad_for_kernel(np.ones((2, 3)), (5, 5), "valid").shape == (2, 3)


# --- "auto" and the speed paths: the answer must not depend on the path taken ---


def test_auto_takes_the_fft_where_it_beats_opencv():
    # The rule in _choose_method (measurements: bench/bench_methods.py --auto), asked through the planner.
    def choose(kernel, height, width, border):
        return convolution.plan_correlation(np.zeros((height, width)), kernel, border).method

    assert choose(helpers.gaussian(31, 5.0), 256, 256, "replicate") == "fft"
    dense = np.random.default_rng(10).normal(size=(41, 41))
    assert choose(dense[:11, :11], 256, 256, "replicate") == "fft"
    assert choose(dense, 224, 280, "zero") == "fft"
    # Small kernels, kernels OpenCV splits into two passes, images outside the window.
    assert choose(helpers.KERNELS["sharpen"], 256, 256, "replicate") == "opencv"
    assert choose(dense[:9, :9], 256, 256, "replicate") == "opencv"
    assert choose(np.ones((11, 11)), 256, 256, "replicate") == "opencv"  # rank 1: sepFilter2D
    assert choose(helpers.gaussian(21, 3.5), 256, 256, "replicate") == "opencv"
    assert choose(helpers.gaussian(31, 5.0), 226, 226, "replicate") == "opencv"
    assert choose(helpers.gaussian(31, 5.0), 512, 512, "replicate") == "opencv"
    assert choose(helpers.gaussian(31, 5.0), 256, 512, "replicate") == "opencv"


@pytest.mark.parametrize("border", ["valid", *SAME_SIZE_BORDERS])
def test_auto_on_a_31x31_gaussian_matches_scipy(border):
    rng = np.random.default_rng(9)
    image = rng.uniform(0, 255, size=(256, 256))
    kernel = helpers.gaussian(31, 5.0)
    ours = helpers.correlate(image, kernel, border=border)
    if border == "valid":
        expected = ndimage.correlate(image, kernel, mode="constant")[15:-15, 15:-15]
    else:
        expected = ndimage.correlate(image, kernel, mode=SCIPY_MODES[border])
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-9 * scale_of(image, kernel))


@pytest.mark.parametrize("size", [3, 9, 21, 31, 41])
@pytest.mark.parametrize("kind", ["gaussian", "random"])
@pytest.mark.parametrize("border", SAME_SIZE_BORDERS)
def test_colour_photo_with_kernels_up_to_41(size, kind, border):
    # The playground's case: a 512×512 colour photo (a crop keeps the test quick
    # but still larger than every kernel), uint8 in, one channel at a time in SciPy.
    image = helpers.load_image("astronaut", gray=False)[100:260, 150:330]
    rng = np.random.default_rng(size)
    kernel = helpers.gaussian(size, size / 6) if kind == "gaussian" else rng.normal(size=(size, size))
    for function in ("correlate", "convolve"):
        ours = getattr(helpers, function)(image, kernel, border=border)
        assert ours.shape == image.shape and ours.dtype == np.float64
        for c in range(3):
            plane = image[:, :, c].astype(np.float64)
            expected = getattr(ndimage, function)(plane, kernel, mode=SCIPY_MODES[border])
            np.testing.assert_allclose(ours[:, :, c], expected, rtol=0, atol=1e-9 * scale_of(plane, kernel))


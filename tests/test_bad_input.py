"""Bad input raises an error that names the argument and says what was expected."""
import contextlib
import re
import warnings

import cv2
import numpy as np
import pytest

import helpers

IMAGE = np.zeros((8, 8))
KERNEL = np.ones((3, 3))


@pytest.mark.parametrize(
    "image, error, phrase",
    [
        (np.zeros((0, 5)), ValueError, "image is empty"),
        (np.array([["a", "b"], ["c", "d"]]), TypeError, "image must hold real numbers"),
        (np.zeros((4, 4), dtype=complex), TypeError, "image must hold real numbers"),
        (None, TypeError, "image must be a NumPy array"),
        (np.zeros(5), ValueError, "image must be 2-D"),
        (np.zeros((2, 2, 2, 2)), ValueError, "got 4-D"),
        (np.array([[1.0, np.nan], [0.0, 1.0]]), ValueError, "image contains NaN or infinity"),
        (np.array([[1.0, np.inf], [0.0, 1.0]]), ValueError, "image contains NaN or infinity"),
    ],
)
@pytest.mark.parametrize("function", [helpers.correlate, helpers.convolve])
def test_bad_images(function, image, error, phrase):
    with pytest.raises(error, match=phrase):
        function(image, KERNEL)


@pytest.mark.parametrize(
    "kernel, error, phrase",
    [
        (np.ones((2, 2)), ValueError, "odd height and width so it has a centre pixel; got 2×2"),
        (np.ones((3, 4)), ValueError, "got 3×4"),
        (np.ones((3, 3, 3)), ValueError, "kernel must be 2-D"),
        (np.ones(3), ValueError, "kernel must be 2-D"),
        (np.empty((0, 3)), ValueError, "kernel is empty"),
        (np.array([[np.nan]]), ValueError, "kernel contains NaN or infinity"),
        (np.array([["x"]]), TypeError, "kernel must hold real numbers"),
        (np.ones((3, 3), dtype=bool), TypeError, "kernel must hold real numbers"),
    ],
)
def test_bad_kernels(kernel, error, phrase):
    with pytest.raises(error, match=phrase):
        helpers.correlate(IMAGE, kernel)


def test_kernel_larger_than_image_in_valid_mode():
    with pytest.raises(ValueError, match="larger than the image"):
        helpers.correlate(np.zeros((4, 4)), np.ones((5, 5)), border="valid")


def test_unknown_border_and_method():
    with pytest.raises(ValueError, match="unknown border 'same'; expected one of 'valid'"):
        helpers.correlate(IMAGE, KERNEL, border="same")
    with pytest.raises(ValueError, match="unknown method 'gpu'"):
        helpers.correlate(IMAGE, KERNEL, method="gpu")


@pytest.mark.parametrize("method", ["separable", "banded"])
def test_separable_methods_need_a_rank_one_kernel(method):
    with pytest.raises(ValueError, match="kernel is not separable: it has rank 2"):
        helpers.correlate(IMAGE, helpers.KERNELS["laplacian"], method=method)


def test_apply_kernel_shapes_must_match():
    with pytest.raises(ValueError, match="patch and kernel must have the same shape; got patch 3×3 and kernel 2×2"):
        helpers.apply_kernel(np.ones((3, 3)), np.ones((2, 2)))
    with pytest.raises(TypeError, match="patch must hold real numbers"):
        helpers.apply_kernel([["a"]], [[1]])


@pytest.mark.parametrize(
    "call, error, phrase",
    [
        (lambda: helpers.box(4), ValueError, "size must be a positive odd number"),
        (lambda: helpers.box(0), ValueError, "size must be a positive odd number"),
        (lambda: helpers.box(2.5), TypeError, "size must be an odd whole number"),
        (lambda: helpers.gaussian(5, 0), ValueError, "sigma must be a positive"),
        (lambda: helpers.gaussian(5, "wide"), TypeError, "sigma must be a positive number"),
        (lambda: helpers.to_uint8(np.ones((2, 2)), mode="stretch"), ValueError, "unknown mode 'stretch'"),
        (lambda: helpers.to_uint8(np.array([np.nan])), ValueError, "result contains NaN"),
        (lambda: helpers.to_uint8(np.array([])), ValueError, "result is empty"),
    ],
)
def test_builders_and_conversion(call, error, phrase):
    with pytest.raises(error, match=phrase):
        call()


def test_load_image_errors_name_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="no_such_picture.png"):
        helpers.load_image("no_such_picture.png")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"this is not a PNG")
    with pytest.raises(ValueError, match="could not read .*broken.png"):
        helpers.load_image(broken)
    with pytest.raises(TypeError, match="name_or_path must be"):
        helpers.load_image(42)


@pytest.mark.parametrize("sigma", [1e-200, 1e-5, 1e7, 1e300])
def test_gaussian_refuses_a_sigma_out_of_range(sigma):
    with _no_warning(), pytest.raises(ValueError, match=r"sigma must lie between .* got " + re.escape(f"{sigma:g}")):
        helpers.gaussian(5, sigma)


@pytest.mark.parametrize(
    "image, error, phrase",
    [
        (None, TypeError, "image must be a NumPy array"),
        (np.zeros(5), ValueError, "image must be 2-D .* got 1-D"),
        (np.zeros((4, 4, 3)), ValueError, "image must be 2-D .* got 3-D"),
        ([[1, 2], [3]], ValueError, "image is a ragged list"),
    ],
)
def test_pad_for_kernel_checks_the_image(image, error, phrase):
    with pytest.raises(error, match=phrase):
        helpers.pad_for_kernel(image, (3, 3), "zero")


@pytest.mark.parametrize(
    "kernel_shape, error, phrase",
    [
        ((2, 3), ValueError, "kernel_shape must be two positive odd numbers .* got \\(2, 3\\)"),
        ((3, 4), ValueError, "kernel_shape must be two positive odd numbers"),
        ((0, 3), ValueError, "kernel_shape must be two positive odd numbers"),
        ((-1, 3), ValueError, "kernel_shape must be two positive odd numbers"),
        ((3,), ValueError, "kernel_shape must be a pair"),
        ((3, 3, 3), ValueError, "kernel_shape must be a pair"),
        (3, TypeError, "kernel_shape must be a pair"),
        (None, TypeError, "kernel_shape must be a pair"),
        ((3.0, 3), TypeError, "kernel_shape must be a pair of whole numbers"),
        ((True, 3), TypeError, "kernel_shape must be a pair of whole numbers"),
    ],
)
def test_pad_for_kernel_checks_the_kernel_shape(kernel_shape, error, phrase):
    with pytest.raises(error, match=phrase):
        helpers.pad_for_kernel(np.zeros((4, 4)), kernel_shape, "replicate")


@pytest.mark.parametrize("method", helpers.METHODS)
@pytest.mark.parametrize("function", [helpers.correlate, helpers.convolve])
def test_a_result_too_large_for_float64_is_refused_by_every_method(function, method):
    image = np.full((6, 6), 1e308)
    with _no_warning(), pytest.raises(ValueError, match="image and kernel .* too large"):
        function(image, np.ones((3, 3)), method=method)
    with _no_warning(), pytest.raises(ValueError, match="image and kernel .* too large"):
        function(np.ones((6, 6)), np.full((3, 3), 1e305), method=method)


def test_ragged_lists_name_the_argument():
    with pytest.raises(ValueError, match="image is a ragged list"):
        helpers.correlate([[1, 2, 3], [4, 5]], np.ones((1, 1)))
    with pytest.raises(ValueError, match="kernel is a ragged list"):
        helpers.correlate(IMAGE, [[1, 2, 3], [4, 5]])
    with pytest.raises(ValueError, match="result is a ragged list"):
        helpers.to_uint8([[1, 2], [3]])


def test_masked_arrays_are_refused_when_something_is_masked():
    masked = np.ma.masked_array(np.ones((4, 4)), mask=np.eye(4, dtype=bool))
    with pytest.raises(TypeError, match="image is a masked array with 4 masked values"):
        helpers.correlate(masked, KERNEL)
    with pytest.raises(TypeError, match="kernel is a masked array"):
        helpers.correlate(IMAGE, np.ma.masked_array(KERNEL, mask=KERNEL > 0))
    with pytest.raises(TypeError, match="result is a masked array"):
        helpers.to_uint8(masked)
    # Nothing masked: the data are used as they are.
    nothing_masked = np.ma.masked_array(np.ones((4, 4)), mask=False)
    np.testing.assert_array_equal(helpers.correlate(nothing_masked, KERNEL), helpers.correlate(np.ones((4, 4)), KERNEL))


@pytest.mark.parametrize("gray", [None, "no", "False", 0, 1, 2.0])
def test_load_image_gray_must_be_true_or_false(gray):
    with pytest.raises(TypeError, match=f"gray must be True or False; got {re.escape(repr(gray))}"):
        helpers.load_image("camera", gray=gray)


@pytest.mark.parametrize("name", ["", "   "])
def test_load_image_says_an_empty_name_is_empty(name):
    with pytest.raises(ValueError, match="name_or_path is empty"):
        helpers.load_image(name)


@pytest.mark.parametrize("gray", [True, False])
def test_load_image_refuses_a_jpeg_cut_in_half(tmp_path, gray):
    picture = helpers.load_image("camera", gray=False)
    ok, encoded = cv2.imencode(".jpg", picture)
    assert ok
    data = encoded.tobytes()
    whole, half = tmp_path / "whole.jpg", tmp_path / "half.jpg"
    whole.write_bytes(data)
    half.write_bytes(data[: len(data) // 2])
    assert helpers.load_image(whole, gray=gray).shape[:2] == (512, 512)
    with pytest.raises(ValueError, match="could not read .*half.jpg.* truncated"):
        helpers.load_image(half, gray=gray)


@contextlib.contextmanager
def _no_warning():
    """Fail on any warning (an overflow must be an error, not a RuntimeWarning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield

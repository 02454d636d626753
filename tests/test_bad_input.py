"""Bad input raises an error that names the argument and says what was expected."""
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


def test_separable_method_needs_a_rank_one_kernel():
    with pytest.raises(ValueError, match="kernel is not separable: it has rank 2"):
        helpers.correlate(IMAGE, helpers.KERNELS["laplacian"], method="separable")


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

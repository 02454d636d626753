"""The shortcuts inside the fast methods must never change the answer.

"vectorized" and "separable" work a band of rows at a time, read the padded
image through index maps, group taps by weight and skip zero taps; "banded"
works a strip of rows and a block of columns at a time, all channels in one
array, as products with banded matrices; "fft"
picks its own transform length; "auto" hands mid-sized rank-1 kernels to
cv2.sepFilter2D. Each is compared with scipy.ndimage (an independent
implementation) to 1e-9 of the largest possible output.
"""
import re

import numpy as np
import pytest
from scipy import ndimage

import helpers
from helpers import convolution, validation
from helpers.convolution import SCIPY_MODES

SAME_SIZE_BORDERS = ["zero", "replicate", "reflect", "reflect101", "wrap"]


def reference(image, kernel, border):
    """scipy.ndimage.correlate, cropped to the valid part for border='valid'."""
    if border != "valid":
        return ndimage.correlate(image, kernel, mode=SCIPY_MODES[border], cval=0.0)
    full = ndimage.correlate(image, kernel, mode="constant")
    ph, pw = kernel.shape[0] // 2, kernel.shape[1] // 2
    return full[ph : image.shape[0] - ph, pw : image.shape[1] - pw]


def assert_close(ours, expected, image, kernel):
    scale = float(np.abs(image).max() * np.abs(kernel).sum()) or 1.0
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-9 * scale)


KERNELS = {
    "sobel_x": helpers.KERNELS["sobel_x"],
    "emboss": helpers.KERNELS["emboss"],
    "box_5": helpers.box(5),
    "gaussian_7": helpers.gaussian(7, 1.3),
    "all_negative": -np.ones((3, 3)),
    "one_tap": np.array([[0, 0, 0], [0, 0, 2.5], [0, 0, 0]]),
    "repeated_weights": np.array([[3, -3, 1], [-1, 0, 3], [1, 1, -3]], dtype=float),
    "rank_one_3x7": np.outer([1.0, -2.0, 0.5], [0.5, 1, 2, 0, -1, 3, 1]),
    "column_5x1": np.array([[1.0], [4.0], [6.0], [4.0], [1.0]]),
}


@pytest.mark.parametrize("band_bytes", [1, 8 * 40 * 3, 1 << 17])
@pytest.mark.parametrize("border", ["valid", *SAME_SIZE_BORDERS])
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_bands_of_any_height_give_the_same_answer(name, border, band_bytes, monkeypatch):
    # A band of one row, of a few rows, and the whole image in one band.
    monkeypatch.setattr(convolution, "_BAND_BYTES", band_bytes)
    rng = np.random.default_rng(1)
    image = rng.uniform(-50, 200, size=(29, 34))
    kernel = KERNELS[name]
    expected = reference(image, kernel, border)
    assert_close(helpers.correlate(image, kernel, border, "vectorized"), expected, image, kernel)
    if helpers.is_separable(kernel):
        assert_close(helpers.correlate(image, kernel, border, "separable"), expected, image, kernel)


@pytest.mark.parametrize("min_block", [1, 2, 5, 32, 1000])
@pytest.mark.parametrize("border", ["valid", *SAME_SIZE_BORDERS])
@pytest.mark.parametrize("name", sorted(name for name, kernel in KERNELS.items() if helpers.is_separable(kernel)))
def test_banded_strips_and_blocks_of_any_size_give_the_same_answer(name, border, min_block, monkeypatch):
    # Strips and column blocks as small as the kernel allows, a few rows, and the whole image in one.
    monkeypatch.setattr(convolution, "_MIN_BLOCK", min_block)
    rng = np.random.default_rng(5)
    kernel = KERNELS[name]
    for image in [rng.uniform(-50, 200, size=(29, 34)), rng.uniform(-50, 200, size=(23, 19, 3))]:
        ours = helpers.correlate(image, kernel, border, "banded")
        if image.ndim == 2:
            assert_close(ours, reference(image, kernel, border), image, kernel)
            continue
        for c in range(3):
            assert_close(ours[:, :, c], reference(image[:, :, c], kernel, border), image, kernel)


@pytest.mark.parametrize("channels", [1, 2, 4])
def test_banded_keeps_any_number_of_channels(channels):
    rng = np.random.default_rng(6)
    image = rng.integers(0, 256, size=(17, 26, channels), dtype=np.uint8)
    kernel = helpers.gaussian(5, 1.0)
    ours = helpers.correlate(image, kernel, "reflect101", "banded")
    assert ours.shape == image.shape and ours.dtype == np.float64
    for c in range(channels):
        plane = image[:, :, c].astype(np.float64)
        assert_close(ours[:, :, c], reference(plane, kernel, "reflect101"), plane, kernel)


@pytest.mark.parametrize("method", ["vectorized", "separable", "banded", "fft"])
@pytest.mark.parametrize("border", SAME_SIZE_BORDERS)
def test_kernels_larger_than_the_image(method, border):
    # Padding wider than the image: reflect and wrap repeat themselves.
    rng = np.random.default_rng(2)
    image = rng.uniform(0, 1, size=(4, 6))
    kernel = helpers.gaussian(9, 2.0) if method in ("separable", "banded") else rng.normal(size=(9, 11))
    expected = reference(image, kernel, border)
    assert_close(helpers.correlate(image, kernel, border, method), expected, image, kernel)


@pytest.mark.parametrize("method", ["vectorized", "separable", "banded", "fft", "auto"])
def test_uint8_and_colour_input(method):
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, size=(21, 18, 3), dtype=np.uint8)
    kernel = helpers.box(7)  # every weight equal: one multiplication per pass
    ours = helpers.correlate(image, kernel, "reflect", method)
    for c in range(3):
        plane = image[:, :, c].astype(np.float64)
        assert_close(ours[:, :, c], reference(plane, kernel, "reflect"), plane, kernel)


@pytest.mark.parametrize("size", [5, 9, 15, 21, 23, 31])
@pytest.mark.parametrize("border", SAME_SIZE_BORDERS)
def test_auto_with_rank_one_kernels_of_every_size(size, border):
    # Mid sizes go to cv2.sepFilter2D, large ones to cv2.filter2D.
    rng = np.random.default_rng(size)
    image = rng.uniform(0, 255, size=(40, 45))
    kernel = np.outer(rng.normal(size=size), rng.normal(size=size))
    assert_close(helpers.correlate(image, kernel, border), reference(image, kernel, border), image, kernel)


@pytest.mark.parametrize("shape", [(3, 3), (5, 9), (15, 15), (1, 7)])
def test_fft_on_odd_sizes(shape):
    # Image sizes whose padded size is not a fast FFT length.
    rng = np.random.default_rng(4)
    image = rng.uniform(0, 1, size=(37, 53))
    kernel = rng.normal(size=shape)
    for border in ["valid", "replicate", "wrap"]:
        expected = reference(image, kernel, border)
        assert_close(helpers.correlate(image, kernel, border, "fft"), expected, image, kernel)


def test_an_all_zero_kernel_gives_zeros():
    image = np.arange(30.0).reshape(5, 6)
    for method in ["vectorized", "separable", "banded", "fft", "loop", "auto"]:
        result = helpers.correlate(image, np.zeros((3, 3)), method=method)
        assert result.shape == (5, 6) and not result.any(), method


def test_separate_kernel_reads_whole_number_factors():
    column, row = helpers.separate_kernel(helpers.KERNELS["sobel_x"])
    assert column.tolist() == [1, 2, 1] and row.tolist() == [-1, 0, 1]
    column, row = helpers.separate_kernel(helpers.KERNELS["sobel_y"])
    np.testing.assert_array_equal(np.outer(column, row), helpers.KERNELS["sobel_y"])
    column, row = helpers.separate_kernel(helpers.box(5))
    assert len(set(column.tolist())) == 1 and len(set(row.tolist())) == 1
    kernel = helpers.gaussian(9, 1.7)
    column, row = helpers.separate_kernel(kernel)
    assert column.tolist() == column[::-1].tolist() and row.tolist() == row[::-1].tolist()
    np.testing.assert_allclose(np.outer(column, row), kernel, rtol=0, atol=1e-15)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1,), (7,), (5, 9), (64, 64), (6, 7, 3)])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_every_nan_or_infinity_is_found(dtype, shape, bad):
    rng = np.random.default_rng(5)
    array = rng.normal(size=shape).astype(dtype)
    for flat in {0, array.size // 2, array.size - 1}:
        spoiled = array.copy()
        spoiled.flat[flat] = bad
        expected = np.unravel_index(flat, shape)
        where = re.escape(f"first at index {tuple(int(i) for i in expected)}")
        with pytest.raises(ValueError, match=where):
            validation.require_finite(spoiled, "image")
        if spoiled.ndim >= 2:  # a strided view (not one block of memory) too
            view = np.swapaxes(spoiled, 0, 1)
            with pytest.raises(ValueError, match="contains NaN or infinity"):
                validation.require_finite(view, "image")


def test_huge_finite_values_are_not_mistaken_for_infinity():
    # The sum overflows, the values do not.
    for dtype in (np.float32, np.float64):
        array = np.full((4, 4), np.finfo(dtype).max, dtype=dtype)
        validation.require_finite(array, "image")
        validation.require_finite(array[:, ::2], "image")

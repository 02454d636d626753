"""Property tests: what must hold for every image and kernel."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import helpers

BORDERS = ["zero", "replicate", "reflect", "reflect101", "wrap"]
values = st.floats(-100, 100, allow_nan=False, allow_infinity=False)
odd = st.sampled_from([1, 3, 5])


def images(min_side=5, max_side=12):
    shape = st.tuples(st.integers(min_side, max_side), st.integers(min_side, max_side))
    return shape.flatmap(lambda s: arrays(np.float64, s, elements=values))


def kernels():
    shape = st.tuples(odd, odd)
    return shape.flatmap(lambda s: arrays(np.float64, s, elements=values))


def tolerance(image, kernel):
    return 1e-9 * (float(np.abs(image).max() * np.abs(kernel).sum()) + 1.0)


@settings(max_examples=60, deadline=None)
@given(images(), kernels(), st.sampled_from(["valid", *BORDERS]))
def test_convolution_is_correlation_with_the_flipped_kernel(image, kernel, border):
    flipped = np.flip(kernel)
    np.testing.assert_allclose(
        helpers.convolve(image, kernel, border=border),
        helpers.correlate(image, flipped, border=border),
        atol=tolerance(image, kernel),
    )


@settings(max_examples=60, deadline=None)
@given(images(), images(), kernels(), values, values, st.sampled_from(BORDERS))
def test_linearity(a, b, kernel, alpha, beta, border):
    rows, cols = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    a, b = a[:rows, :cols], b[:rows, :cols]
    left = helpers.correlate(alpha * a + beta * b, kernel, border=border, method="vectorized")
    right = alpha * helpers.correlate(a, kernel, border=border) + beta * helpers.correlate(b, kernel, border=border)
    scale = (abs(alpha) * np.abs(a).max() + abs(beta) * np.abs(b).max() + 1.0) * np.abs(kernel).sum()
    np.testing.assert_allclose(left, right, atol=1e-9 * scale + 1e-9)


@settings(max_examples=60, deadline=None)
@given(images(min_side=9), kernels(), st.integers(0, 2), st.integers(0, 2))
def test_shift_equivariance_away_from_the_border(image, kernel, dy, dx):
    shifted = np.roll(image, (dy, dx), axis=(0, 1))
    out = helpers.correlate(image, kernel, border="zero")
    out_shifted = helpers.correlate(shifted, kernel, border="zero")
    # Interior pixels whose window never touches rolled-in or padded pixels.
    margin_r, margin_c = kernel.shape[0] // 2, kernel.shape[1] // 2
    rows = slice(dy + margin_r, image.shape[0] - margin_r)
    cols = slice(dx + margin_c, image.shape[1] - margin_c)
    rows_src = slice(margin_r, image.shape[0] - margin_r - dy)
    cols_src = slice(margin_c, image.shape[1] - margin_c - dx)
    np.testing.assert_allclose(out_shifted[rows, cols], out[rows_src, cols_src], atol=tolerance(image, kernel))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([1, 3, 5, 7, 9, 21]), st.floats(0.1, 10))
def test_blur_kernels_sum_to_one(size, sigma):
    assert helpers.box(size).sum() == pytest.approx(1.0, abs=1e-12)
    assert helpers.gaussian(size, sigma).sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    st.floats(0, 255),
    st.sampled_from(["sobel_x", "sobel_y", "laplacian"]),
    # Zero padding puts an edge around the image, so it is left out here.
    st.sampled_from(["valid", "replicate", "reflect", "reflect101", "wrap"]),
)
def test_edge_kernels_answer_zero_on_a_flat_image(level, name, border):
    flat = np.full((9, 11), level)
    result = helpers.correlate(flat, helpers.KERNELS[name], border=border)
    np.testing.assert_allclose(result, 0.0, atol=1e-9 * (level + 1))


@settings(max_examples=60, deadline=None)
@given(images(3, 7), images(3, 7))
def test_full_convolution_is_commutative(a, b):
    """'Full' convolution: 'valid' on an input zero-padded by the other's size - 1."""
    a = a[: a.shape[0] - 1 + a.shape[0] % 2, : a.shape[1] - 1 + a.shape[1] % 2]
    b = b[: b.shape[0] - 1 + b.shape[0] % 2, : b.shape[1] - 1 + b.shape[1] % 2]

    def full(image, kernel):
        ph, pw = kernel.shape[0] - 1, kernel.shape[1] - 1
        padded = np.pad(image, ((ph, ph), (pw, pw)))
        return helpers.convolve(padded, kernel, border="valid")

    np.testing.assert_allclose(full(a, b), full(b, a), atol=tolerance(a, b))

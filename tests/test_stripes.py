"""Stripe images and the complex response measured on them, checked against closed forms and the DFT written out."""
import doctest

import numpy as np
import pytest

import helpers
from helpers import kernels, spectra, stripes


def cosine_sum(row, frequency):
    """H(f) = Σ_n w(n) cos(2π f n), n counted from the centre tap, written out (a symmetric row's response)."""
    offsets = np.arange(len(row)) - len(row) // 2
    return float(np.sum(np.asarray(row) * np.cos(2 * np.pi * frequency * offsets)))


def wave_sum(row, frequency):
    """H(f) = Σ_n w(n) e^(2πi f n), n counted from the centre tap, written out (any row, correlation)."""
    offsets = np.arange(len(row)) - len(row) // 2
    return complex(np.sum(np.asarray(row) * np.exp(2j * np.pi * frequency * offsets)))


def test_the_docstring_examples_hold():
    assert doctest.testmod(stripes).failed == 0


def test_stripes_repeat_with_the_period_one_over_f():
    image = stripes.stripes(0.1, size=40)
    assert image.shape == (40, 40)
    assert np.allclose(image[:, :10], image[:, 10:20])  # period 10
    assert np.allclose(image, image[0])  # the same down every column
    assert not np.allclose(image[:, :5], image[:, 5:10])
    assert np.allclose(stripes.stripes(0.5, size=6)[0], [1, -1, 1, -1, 1, -1])


def test_the_five_tap_box_inverts_stripes_at_0_3():
    # The closed form of the 5-tap box: (1 + 2 cos 2πf + 2 cos 4πf) / 5.
    closed = (1 + 2 * np.cos(2 * np.pi * 0.3) + 2 * np.cos(4 * np.pi * 0.3)) / 5
    assert closed == pytest.approx(-0.2472, abs=1e-4)
    assert stripes.measured_response(kernels.box(5), 0.3) == pytest.approx(closed)
    assert stripes.measured_response(kernels.box(5), 0.2) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("frequency", [0.0, 0.05, 0.125, 0.25, 1 / 3, 0.45, 0.5])
def test_measured_and_fourier_responses_match_the_cosine_sum(frequency):
    rng = np.random.default_rng(3)
    half = rng.normal(size=4)
    row = np.r_[half, rng.normal(), half[::-1]]  # symmetric, 9 taps
    expected = cosine_sum(row, frequency)
    assert stripes.measured_response(row, frequency) == pytest.approx(expected, abs=1e-9)
    f, h = stripes.fourier_response(row, size=120)
    index = int(round(frequency * 120))
    assert f[index] == pytest.approx(frequency)
    assert h[index] == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("frequency", [0.0, 0.05, 0.125, 0.25, 1 / 3, 0.45, 0.5])
def test_an_uneven_row_moves_the_stripes_by_its_phase(frequency):
    row = np.random.default_rng(4).normal(size=7)  # not symmetric
    expected = wave_sum(row, frequency)
    measured = stripes.measured_response(row, frequency)
    assert measured == pytest.approx(expected, abs=1e-9)
    assert stripes.fourier_response(row, size=120)[1][int(round(frequency * 120))] == pytest.approx(expected, abs=1e-9)
    # the output really is |H| cos(2π f j + angle H): the stripes scaled by the magnitude and moved by the phase
    out = helpers.correlate(stripes.stripes(frequency), row[np.newaxis, :], border="wrap")[0]
    columns = np.arange(120)
    assert np.allclose(out, abs(expected) * np.cos(2 * np.pi * frequency * columns + np.angle(expected)))


def test_the_difference_row_moves_period_4_stripes_a_quarter_period():
    h = stripes.measured_response([[-1, 0, 1]], 0.25)
    assert abs(h) == pytest.approx(2.0) and np.angle(h) == pytest.approx(np.pi / 2)
    assert h.real == pytest.approx(0.0, abs=1e-12)  # the in-phase ratio alone would say "removed"
    out = helpers.correlate(stripes.stripes(0.25), np.array([[-1.0, 0, 1]]), border="wrap")
    assert np.allclose(out, 2 * stripes.stripes(0.25, phase=np.pi / 2))  # twice as strong, one pixel over
    f, h_all = stripes.fourier_response(kernels.KERNELS["sobel_x"])
    assert np.allclose(h_all.real, 0.0) and np.allclose(np.abs(h_all), 8 * np.abs(np.sin(2 * np.pi * f)))


def test_centre_first_puts_offset_n_at_index_n_mod_size():
    assert stripes.centre_first([1, 2, 3, 4, 5], 8).tolist() == [3, 4, 5, 0, 0, 0, 1, 2]
    with pytest.raises(ValueError, match="odd number of taps"):
        stripes.centre_first([1, 2], 8)
    with pytest.raises(ValueError, match="size must be"):
        stripes.centre_first([1, 2, 3], 2)


def test_a_2d_kernel_answers_with_its_column_sums():
    kernel = kernels.gaussian(5, 1.0)
    assert stripes.measured_response(kernel, 0.25) == pytest.approx(cosine_sum(kernel.sum(axis=0), 0.25))
    laplacian = kernels.KERNELS["laplacian"]
    # across the columns the Laplacian is [1, -2, 1] (the rows above and below add 0 to a stripe's change): 2 cos 2πf − 2
    assert stripes.measured_response(laplacian, 0.5) == pytest.approx(-4.0)
    assert stripes.measured_response(laplacian, 0.0) == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("call", "error", "phrase"),
    [
        (lambda: stripes.stripes(0.3, size=64), ValueError, "whole number of periods"),
        (lambda: stripes.stripes(0.7), ValueError, "between 0 and 0.5"),
        (lambda: stripes.stripes("0.25"), TypeError, "frequency must be a number"),
        (lambda: stripes.stripes(0.25, size=2.5), ValueError, "size must be a whole number"),
        (lambda: stripes.stripes(0.25, phase="0"), TypeError, "phase must be a number"),
        (lambda: stripes.measured_response([[np.nan, 1, 1]], 0.25), ValueError, "kernel"),
        (lambda: stripes.measured_response(np.ones((2, 2, 2)), 0.25), ValueError, "1-D (one row) or 2-D"),
        (lambda: stripes.measured_response(np.ones((1, 121)), 0.25), ValueError, "at least the kernel"),
        (lambda: stripes.fourier_response([[1, 1]]), ValueError, "odd width"),
        (lambda: stripes.fourier_response([[1, 1, 1]], size=2), ValueError, "size must be"),
    ],
)
def test_bad_input_names_the_argument(call, error, phrase):
    with pytest.raises(error, match=phrase.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_response_2d_matches_the_row_response_and_the_magnitude():
    kernel = kernels.gaussian(5, 1.0)
    grid = stripes.response_2d(kernel, 120)
    assert np.allclose(grid[0, :61], stripes.fourier_response(kernel)[1])  # fy = 0: vertical stripes
    uneven = np.random.default_rng(5).normal(size=(3, 5))
    assert np.allclose(stripes.response_2d(uneven, 120)[0, :61], stripes.fourier_response(uneven)[1])
    shifted = np.fft.fftshift(np.abs(grid))
    assert np.allclose(shifted, spectra.frequency_response(kernel, 120))  # same size |H| as spectra
    laplacian = kernels.KERNELS["laplacian"]
    assert stripes.response_2d(laplacian, 8)[4, 4] == pytest.approx(-8.0)  # the checkerboard


@pytest.mark.parametrize("name", ["box", "sobel_x", "emboss"])
def test_filtering_a_periodic_image_multiplies_its_transform(name):
    image = np.random.default_rng(7).normal(size=(16, 16))
    kernel = kernels.box(3) if name == "box" else kernels.KERNELS[name]
    filtered = helpers.correlate(image, kernel, border="wrap")
    assert np.allclose(np.fft.fft2(filtered), np.fft.fft2(image) * stripes.response_2d(kernel, 16))


def test_response_2d_refuses_bad_input():
    with pytest.raises(ValueError, match="odd height and width"):
        stripes.response_2d(np.ones((2, 3)), 8)
    with pytest.raises(ValueError, match="size must be"):
        stripes.response_2d(np.ones((3, 3)), 2)

"""Frequency responses, checked against the DFT written out and closed forms."""
import numpy as np
import pytest
from scipy import signal

from helpers import kernels, spectra


def dft_by_sum(kernel, size):
    """H(u, v) = Σ k(m, n) exp(−2πi (u m + v n) / N), for u, v = 0 .. N−1, written out."""
    u = np.arange(size)[:, None, None, None]
    v = np.arange(size)[None, :, None, None]
    m = np.arange(kernel.shape[0])[None, None, :, None]
    n = np.arange(kernel.shape[1])[None, None, None, :]
    return (kernel * np.exp(-2j * np.pi * (u * m + v * n) / size)).sum(axis=(2, 3))


def test_response_is_the_written_out_dft_shifted():
    kernel = np.random.default_rng(5).normal(size=(3, 5))
    expected = np.abs(dft_by_sum(kernel, 16))
    shifted = spectra.frequency_response(kernel, 16)
    assert np.allclose(shifted, np.roll(expected, (8, 8), axis=(0, 1)))


def test_centre_is_the_sum_of_the_weights():
    for kernel in (kernels.box(5), kernels.gaussian(7, 1.5), kernels.KERNELS["sharpen"]):
        assert spectra.frequency_response(kernel, 32)[16, 16] == pytest.approx(abs(kernel.sum()))
    assert spectra.frequency_response(kernels.KERNELS["laplacian"], 32)[16, 16] == pytest.approx(0.0)


def test_laplacian_follows_its_closed_form():
    size = 24
    f = spectra.frequencies(size)
    closed = np.abs(2 * np.cos(2 * np.pi * f)[:, None] + 2 * np.cos(2 * np.pi * f)[None, :] - 4)
    assert np.allclose(spectra.frequency_response(kernels.KERNELS["laplacian"], size), closed)


def test_box_row_is_a_dirichlet_kernel_with_zeros():
    size, k = 60, 5
    f = spectra.frequencies(size)
    row = spectra.frequency_response(kernels.box(k), size)[size // 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        closed = np.abs(np.sin(np.pi * k * f) / (k * np.sin(np.pi * f)))
    closed[size // 2] = 1.0
    assert np.allclose(row, closed)
    assert np.isclose(row[size // 2 + size // k], 0.0)  # first zero at 1/k cycles per pixel


def test_convolution_multiplies_responses():
    rng = np.random.default_rng(6)
    a, b = rng.normal(size=(3, 3)), rng.normal(size=(5, 5))
    both = signal.convolve2d(a, b)  # full convolution, 7×7
    assert np.allclose(
        spectra.frequency_response(both, 32), spectra.frequency_response(a, 32) * spectra.frequency_response(b, 32)
    )


def test_frequencies_match_numpy():
    assert np.allclose(spectra.frequencies(8), [-0.5, -0.375, -0.25, -0.125, 0, 0.125, 0.25, 0.375])
    assert np.allclose(spectra.frequencies(5), np.fft.fftshift(np.fft.fftfreq(5)))


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: spectra.frequency_response(np.ones((5, 5)), 4), ValueError, "size must be at least"),
        (lambda: spectra.frequency_response(np.ones((3, 3)), 8.0), TypeError, "size"),
        (lambda: spectra.frequency_response(np.ones(3), 8), ValueError, "kernel must be 2-D"),
        (lambda: spectra.frequency_response([[np.inf]], 8), ValueError, "kernel"),
        (lambda: spectra.frequency_response("box", 8), TypeError, "kernel"),
        (lambda: spectra.frequencies(0), ValueError, "size"),
    ],
)
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error, match=words):
        call()

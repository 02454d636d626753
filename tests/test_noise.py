"""Noise makers, the distance measures and the unsharp-masking kernel."""
import numpy as np
import pytest

from helpers import kernels, noise


def test_gaussian_noise_has_the_asked_spread_and_repeats_with_its_seed():
    flat = np.full((200, 200), 128.0)
    noisy = noise.add_gaussian_noise(flat, 20, seed=3)
    assert abs(np.std(noisy - flat) - 20) < 0.5
    assert abs(np.mean(noisy - flat)) < 0.5
    assert np.array_equal(noisy, noise.add_gaussian_noise(flat, 20, seed=3))
    assert not np.array_equal(noisy, noise.add_gaussian_noise(flat, 20, seed=4))


def test_gaussian_noise_stays_a_picture():
    noisy = noise.add_gaussian_noise(np.zeros((50, 50)), 50)
    assert noisy.min() == 0 and noisy.max() <= 255


def test_salt_and_pepper_changes_the_asked_fraction_to_black_or_white():
    flat = np.full((100, 100), 128.0)
    noisy = noise.add_salt_and_pepper(flat, 0.1, seed=1)
    changed = noisy != 128
    assert 0.08 < changed.mean() < 0.12
    assert set(np.unique(noisy[changed])) == {0.0, 255.0}


def test_psnr_and_mse_follow_their_formulas():
    clean = np.zeros((4, 4))
    result = clean.copy()
    result[0, 0] = 16.0  # MSE = 256 / 16 = 16
    assert noise.mse(result, clean) == 16.0
    assert noise.psnr(result, clean) == pytest.approx(10 * np.log10(255**2 / 16))
    assert noise.psnr(clean, clean) == float("inf")


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: noise.add_gaussian_noise(np.zeros((3, 3)), -1), ValueError, "sigma"),
        (lambda: noise.add_gaussian_noise(np.zeros((3, 3)), "big"), TypeError, "sigma"),
        (lambda: noise.add_gaussian_noise(np.zeros((3, 3)), 5, seed=1.5), TypeError, "seed"),
        (lambda: noise.add_salt_and_pepper(np.zeros((3, 3)), 1.5), ValueError, "fraction"),
        (lambda: noise.add_salt_and_pepper(np.zeros(3), 0.1), ValueError, "image"),
        (lambda: noise.mse(np.zeros((3, 3)), np.zeros((3, 4))), ValueError, "same shape"),
        (lambda: kernels.unsharp(5, 1.0, float("nan")), ValueError, "amount"),
        (lambda: kernels.unsharp(5, 1.0, None), TypeError, "amount"),
    ],
)
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_unsharp_is_image_plus_amount_times_detail():
    rng = np.random.default_rng(0)
    image = rng.uniform(0, 255, size=(9, 9))
    kernel = kernels.unsharp(5, 1.2, 0.7)
    assert kernel.sum() == pytest.approx(1.0)
    from scipy import ndimage

    by_kernel = ndimage.correlate(image, kernel, mode="nearest")
    blurred = ndimage.correlate(image, kernels.gaussian(5, 1.2), mode="nearest")
    assert np.allclose(by_kernel, image + 0.7 * (image - blurred))

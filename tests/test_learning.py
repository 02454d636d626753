"""helpers.learning against independent computations (SciPy, scikit-image, finite differences)."""
import numpy as np
import pytest
from scipy import ndimage, signal
from skimage.measure import block_reduce

import helpers
from helpers import learning


@pytest.fixture
def image():
    return np.random.default_rng(7).uniform(-1, 1, size=(19, 23))


def valid_correlation(image, kernel):
    """scipy.ndimage.correlate, cropped to the positions where the kernel fits."""
    r, c = kernel.shape[0] // 2, kernel.shape[1] // 2
    return ndimage.correlate(image, kernel, mode="constant")[r : image.shape[0] - r, c : image.shape[1] - c]


def scipy_loss(image, kernel, target):
    return np.mean((valid_correlation(image, kernel) - target) ** 2)


def test_windows_are_the_slices_of_the_image(image):
    rows = learning.windows(image, 3)
    width = image.shape[1] - 2
    for r in [0, 1, width, rows.shape[0] - 1]:
        i, j = divmod(r, width)
        assert rows[r].tolist() == image[i : i + 3, j : j + 3].ravel().tolist()
    assert rows.shape == ((19 - 2) * (23 - 2), 9)


@pytest.mark.parametrize("size", [1, 3, 5])
def test_predict_is_the_valid_correlation(image, size):
    rng = np.random.default_rng(size)
    bank = rng.normal(size=(4, size, size))
    maps = learning.predict(image, bank)
    for kernel, prediction in zip(bank, maps, strict=True):
        np.testing.assert_allclose(prediction, valid_correlation(image, kernel), atol=1e-12)
    np.testing.assert_allclose(learning.predict(image, bank[0]), maps[0], atol=0)
    np.testing.assert_allclose(maps[1], helpers.correlate(image, bank[1], border="valid"), atol=1e-12)


def test_loss_and_gradient_match_scipy_and_finite_differences(image):
    rng = np.random.default_rng(1)
    kernel = rng.normal(size=(3, 3))
    target = valid_correlation(image, helpers.KERNELS["sobel_x"])
    assert learning.mse_loss(image, kernel, target) == pytest.approx(scipy_loss(image, kernel, target), rel=1e-12)

    gradient = learning.mse_gradient(image, kernel, target)
    step = 1e-5
    numeric = np.zeros((3, 3))
    for m in range(3):
        for n in range(3):
            bump = np.zeros((3, 3))
            bump[m, n] = step
            up, down = scipy_loss(image, kernel + bump, target), scipy_loss(image, kernel - bump, target)
            numeric[m, n] = (up - down) / (2 * step)
    np.testing.assert_allclose(gradient, numeric, atol=1e-7)

    # The gradient is the input correlated with the error, 2/N times.
    error = valid_correlation(image, kernel) - target
    np.testing.assert_allclose(gradient, 2 / error.size * signal.correlate(image, error, mode="valid"), atol=1e-12)


def test_a_bank_has_one_loss_and_one_gradient_per_kernel(image):
    rng = np.random.default_rng(2)
    bank = rng.normal(size=(3, 3, 3))
    targets = rng.normal(size=(3, 17, 21))
    losses = learning.mse_loss(image, bank, targets)
    gradients = learning.mse_gradient(image, bank, targets)
    assert losses.shape == (3,) and gradients.shape == (3, 3, 3)
    for c in range(3):
        assert losses[c] == pytest.approx(learning.mse_loss(image, bank[c], targets[c]), rel=1e-12)
        np.testing.assert_allclose(gradients[c], learning.mse_gradient(image, bank[c], targets[c]), atol=1e-12)


def test_gradient_descent_recovers_known_kernels(image):
    rng = np.random.default_rng(3)
    truth = rng.normal(size=(2, 3, 3))
    targets = np.stack([valid_correlation(image, k) for k in truth])
    fit = learning.fit_kernels(image, targets, size=3, steps=600, learning_rate=0.5)
    assert fit.kernels.shape == (2, 3, 3) and fit.losses.shape == (600, 2)
    np.testing.assert_allclose(fit.kernels, truth, atol=1e-6)
    assert np.all(np.diff(fit.losses, axis=0) <= 1e-12)  # a small enough step never raises the loss

    single = learning.fit_kernels(image, targets[0], size=3, steps=600, learning_rate=0.5)
    np.testing.assert_allclose(single.kernels, truth[0], atol=1e-6)
    assert single.losses.shape == (600,)


def test_fits_are_repeatable_and_depend_on_the_seed(image):
    target = valid_correlation(image, helpers.KERNELS["emboss"])
    a = learning.fit_kernels(image, target, steps=3, seed=0)
    b = learning.fit_kernels(image, target, steps=3, seed=0)
    c = learning.fit_kernels(image, target, steps=3, seed=1)
    assert np.array_equal(a.kernels, b.kernels) and not np.array_equal(a.kernels, c.kernels)


def test_a_too_large_learning_rate_is_reported(image):
    target = valid_correlation(image, helpers.KERNELS["sobel_x"])
    with pytest.raises(FloatingPointError, match="diverged.*smaller learning rate"):
        learning.fit_kernels(image, target, steps=5000, learning_rate=50.0)


def test_relu_and_max_pool():
    values = np.array([[-2.0, 3.0], [0.5, -0.1]])
    assert learning.relu(values).tolist() == [[0.0, 3.0], [0.5, 0.0]]
    maps = np.random.default_rng(4).normal(size=(3, 9, 12))
    for size in (2, 3):
        pooled = learning.max_pool(maps, size)
        rows, cols = 9 // size, 12 // size
        expected = block_reduce(maps[:, : rows * size, : cols * size], (1, size, size), np.max)
        np.testing.assert_array_equal(pooled, expected)


def test_correlate_relu_pool_is_correlate_then_relu_then_pool():
    image = helpers.load_image("camera")[100:140, 200:240] / 255
    kernels = [helpers.KERNELS["sobel_x"], helpers.KERNELS["small_blur"]]
    maps = learning.correlate_relu_pool(image, kernels, biases=[0.1, -0.5])
    assert maps.shape == (2, 20, 20)
    for kernel, bias, pooled in zip(kernels, [0.1, -0.5], maps, strict=True):
        response = ndimage.correlate(image, kernel, mode="nearest") + bias
        expected = block_reduce(np.maximum(response, 0), (2, 2), np.max)
        np.testing.assert_allclose(pooled, expected, atol=1e-12)


@pytest.mark.parametrize(
    "call, phrase",
    [
        (lambda x: learning.windows(x, 4), "size must be a positive odd"),
        (lambda x: learning.windows(x, 31), "larger than the image"),
        (lambda x: learning.predict(x, np.ones((3, 5))), "kernels must be one k×k kernel"),
        (lambda x: learning.fit_kernels(x, np.zeros((5, 5))), "targets must be 17×21"),
        (lambda x: learning.fit_kernels(x, np.zeros((17, 21)), learning_rate=-1), "learning_rate must be"),
        (lambda x: learning.fit_kernels(x, np.zeros((17, 21)), steps=0), "steps must be"),
        (lambda x: learning.mse_loss(x, np.ones((2, 3, 3)), np.zeros((3, 17, 21))), "one map per kernel"),
        (lambda x: learning.max_pool(x, 0), "size must be"),
        (lambda x: learning.max_pool(x[:1, :1], 2), "smaller than one 2×2 block"),
        (lambda x: learning.correlate_relu_pool(x, [np.ones((3, 3))], biases=[1, 2]), "one number per kernel"),
        (lambda x: learning.predict(x[0], np.ones((3, 3))), "image must be 2-D"),
    ],
)
def test_bad_input_names_the_argument(image, call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call(image)

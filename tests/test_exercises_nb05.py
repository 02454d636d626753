"""The checks of notebook 05's exercises: right answers pass, typical mistakes get a hint,
ruled-out calls are named, and broken answers get a sentence."""
import cv2
import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
import skimage.filters
from exercise_testing import verdict

import helpers
from helpers import gradients
from helpers.exercises import nb05, ruled_out_calls
from helpers.exercises import verdict as graded


def broken_answers():
    """Answers every function exercise must turn into a sentence."""

    def returns_none(*args):
        return None

    def raises(*args):
        raise ValueError("I am not finished")

    return [
        ("gaussian", "wants a function, but your answer is a str"),
        (np.zeros((3, 3)), "wants a function, but your answer is a ndarray"),
        (returns_none, "returned None"),
        (raises, "raised ValueError: I am not finished"),
    ]


@pytest.mark.parametrize("key", ["05.1", "05.2", "05.3"])
@pytest.mark.parametrize("answer, words", broken_answers())
def test_broken_answers_get_a_sentence(capsys, key, answer, words):
    result, out = verdict(capsys, key, answer)
    assert result is False and words in out
    assert "Traceback" not in out


@pytest.mark.parametrize("key", ["05.1", "05.2", "05.3", "05.4", "05.5"])
def test_unanswered(capsys, key):
    result, out = verdict(capsys, key, None)
    assert result is None and "not answered yet" in out


# 05.1 the Gaussian kernel from its formula


def gaussian_kernel(size, sigma):
    offsets = np.arange(size) - size // 2
    line = np.exp(-(offsets**2) / (2 * sigma**2))
    return np.outer(line, line) / line.sum() ** 2


def test_gaussian_right(capsys):
    assert graded("05.1", gaussian_kernel) is True

    def two_d(size, sigma):
        x, y = np.meshgrid(np.arange(size) - size // 2, np.arange(size) - size // 2)
        weights = np.exp(-(x**2 + y**2) / (2 * sigma**2))
        return (weights / weights.sum()).tolist()  # a list of rows is fine too

    assert graded("05.1", two_d) is True


def test_gaussian_agrees_with_independent_libraries():
    # The reference of the check is OpenCV's and SciPy's Gaussian (normalised) as well.
    for size, sigma in [(3, 0.8), (7, 1.5), (9, 2.0), (11, 1.2)]:
        line = cv2.getGaussianKernel(size, sigma, cv2.CV_64F)[:, 0]
        assert np.allclose(nb05._gaussian_reference(size, sigma), np.outer(line, line))
        window = scipy.signal.windows.gaussian(size, sigma)
        assert np.allclose(nb05._gaussian_reference(size, sigma), np.outer(window, window) / window.sum() ** 2)


@pytest.mark.parametrize(
    "call, label",
    [
        (lambda size, sigma: helpers.gaussian(size, sigma), "helpers.gaussian"),
        (lambda size, sigma: helpers.kernels.gaussian(size, sigma), "helpers.gaussian"),
        (lambda size, sigma: cv2.getGaussianKernel(size, sigma) @ cv2.getGaussianKernel(size, sigma).T,
         "cv2.getGaussianKernel"),
        (lambda size, sigma: cv2.GaussianBlur(np.pad([[1.0]], size // 2), (size, size), sigma,
                                              borderType=cv2.BORDER_CONSTANT), "cv2.GaussianBlur"),
        (lambda size, sigma: scipy.ndimage.gaussian_filter(np.pad([[1.0]], size // 2), sigma, mode="constant",
                                                           truncate=size), "ndimage.gaussian_filter"),
        (lambda size, sigma: np.outer(*[scipy.signal.windows.gaussian(size, sigma)] * 2), "signal.windows.gaussian"),
    ],
)
def test_gaussian_shortcuts_are_named(capsys, call, label):
    result, out = verdict(capsys, "05.1", call)
    assert result is False
    assert f"build the Gaussian from its formula, without {label}" in out
    assert helpers.gaussian is helpers.kernels.gaussian  # restored


def test_gaussian_ruled_out_list():
    assert ruled_out_calls("05.1") == [
        "helpers.gaussian", "cv2.getGaussianKernel", "cv2.GaussianBlur", "ndimage.gaussian_filter",
        "signal.windows.gaussian",
    ]


def test_gaussian_typical_mistakes(capsys):
    def unnormalised(size, sigma):
        x, y = np.meshgrid(np.arange(size) - size // 2, np.arange(size) - size // 2)
        return np.exp(-(x**2 + y**2) / (2 * sigma**2)) / (2 * np.pi * sigma**2)

    result, out = verdict(capsys, "05.1", unnormalised)
    assert result is False and "divide by their sum" in out

    def without_the_two(size, sigma):
        x, y = np.meshgrid(np.arange(size) - size // 2, np.arange(size) - size // 2)
        w = np.exp(-(x**2 + y**2) / sigma**2)
        return w / w.sum()

    result, out = verdict(capsys, "05.1", without_the_two)
    assert result is False and "with the 2" in out

    def sigma_not_squared(size, sigma):
        x, y = np.meshgrid(np.arange(size) - size // 2, np.arange(size) - size // 2)
        w = np.exp(-(x**2 + y**2) / (2 * sigma))
        return w / w.sum()

    result, out = verdict(capsys, "05.1", sigma_not_squared)
    assert result is False and "sigma squared" in out

    def from_the_corner(size, sigma):
        x, y = np.meshgrid(np.arange(size), np.arange(size))
        w = np.exp(-(x**2 + y**2) / (2 * sigma**2))
        return w / w.sum()

    result, out = verdict(capsys, "05.1", from_the_corner)
    assert result is False and "centre pixel" in out

    result, out = verdict(capsys, "05.1", lambda size, sigma: np.ones(size) / size)
    assert result is False and "should be a 3×3 kernel" in out

    result, out = verdict(capsys, "05.1", lambda size, sigma: "kernel")
    assert result is False and "array of numbers" in out


def test_gaussian_right_on_the_shown_case_only(capsys):
    shown = helpers.gaussian(5, 1.0)  # the notebook's example, made outside the answer

    result, out = verdict(capsys, "05.1", lambda size, sigma: shown)
    assert result is False and "should be a 3×3 kernel" in out


# 05.2 gradient magnitude and direction


def gradient(gray):
    gx, gy = gradients.sobel_gradients(gray)
    return np.sqrt(gx**2 + gy**2), np.arctan2(gy, gx)


def test_gradient_right(capsys):
    assert graded("05.2", gradient) is True

    def by_hand(gray):
        gx = helpers.correlate(gray, helpers.KERNELS["sobel_x"])
        gy = helpers.correlate(gray, helpers.KERNELS["sobel_y"])
        return [np.hypot(gx, gy), np.arctan2(gy, gx) + 2 * np.pi]  # the same angles, a list is fine

    assert graded("05.2", by_hand) is True


def test_gradient_reference_agrees_with_scikit_image():
    # The check's magnitude is scikit-image's normalised one times 4√2, away from the border.
    for gray in nb05._gradient_cases():
        gx, gy = gradients.sobel_gradients(gray.astype(float))
        inner = (slice(1, -1), slice(1, -1))
        expected = 4 * np.sqrt(2) * skimage.filters.sobel(gray.astype(float))
        assert np.allclose(np.sqrt(gx**2 + gy**2)[inner], expected[inner])


@pytest.mark.parametrize(
    "call, label",
    [
        (lambda g: (skimage.filters.sobel(g), np.zeros(np.shape(g))), "skimage.filters.sobel"),
        (lambda g: cv2.cartToPolar(*gradients.sobel_gradients(g)), "cv2.cartToPolar"),
        (lambda g: (cv2.magnitude(*gradients.sobel_gradients(g)), 0), "cv2.magnitude"),
        (lambda g: (gradient(g)[0], cv2.phase(*gradients.sobel_gradients(g))), "cv2.phase"),
        (lambda g: (gradients.gradient_magnitude(*gradients.sobel_gradients(g)), 0),
         "helpers.gradients.gradient_magnitude"),
        (lambda g: (gradient(g)[0], gradients.gradient_direction(*gradients.sobel_gradients(g))),
         "helpers.gradients.gradient_direction"),
    ],
)
def test_gradient_shortcuts_are_named(capsys, call, label):
    result, out = verdict(capsys, "05.2", call)
    assert result is False
    assert f"compute the magnitude and direction from Gx and Gy yourself, without {label}" in out


def test_gradient_typical_mistakes(capsys):
    def parts(g):
        return gradients.sobel_gradients(g)

    cases = [
        (lambda g: (np.abs(parts(g)[0]) + np.abs(parts(g)[1]), gradient(g)[1]), "|Gx| + |Gy|"),
        (lambda g: (parts(g)[0] ** 2 + parts(g)[1] ** 2, gradient(g)[1]), "square root"),
        (lambda g: gradient(g)[::-1], "wrong way round"),
        (lambda g: (gradient(g)[0], np.arctan2(-parts(g)[1], -parts(g)[0])), "downhill"),
        (lambda g: (gradient(g)[0], np.degrees(gradient(g)[1])), "radians"),
        (lambda g: (gradient(g)[0], np.arctan2(parts(g)[0], parts(g)[1])), "swapped"),
        (lambda g: (gradient(g)[0], np.arctan(parts(g)[1] / parts(g)[0])), "np.arctan2(Gy, Gx)"),
        (lambda g: (gradient(g)[0], np.nan_to_num(np.arctan(parts(g)[1] / parts(g)[0]))), "np.arctan2(Gy, Gx)"),
        (lambda g: (gradient(g)[0], np.full(np.shape(g), np.nan)), "NaN or infinity"),
        (lambda g: (gradient(g)[0], "up"), "array of numbers"),
        (lambda g: gradient(g)[0], "as a pair"),
        (lambda g: (gradient(g)[0][1:-1, 1:-1], gradient(g)[1][1:-1, 1:-1]), "both arrays should be"),
    ]
    with np.errstate(divide="ignore", invalid="ignore"):
        for answer, words in cases:
            result, out = verdict(capsys, "05.2", answer)
            assert result is False and words in out, (words, out)


def test_gradient_wrong_border(capsys):
    def zero_border(g):
        gx = helpers.correlate(g, helpers.KERNELS["sobel_x"], border="zero")
        gy = helpers.correlate(g, helpers.KERNELS["sobel_y"], border="zero")
        return np.hypot(gx, gy), np.arctan2(gy, gx)

    result, out = verdict(capsys, "05.2", zero_border)
    assert result is False and "replicated border" in out


def test_gradient_right_on_the_shown_case_only(capsys):
    shown = helpers.load_image("camera")[200:232, 240:272]
    magnitude, direction = gradient(shown)

    result, out = verdict(capsys, "05.2", lambda g: (magnitude, direction))
    assert result is False and "both arrays should be" in out


# 05.3 the best box blur, by measurement


def best_box_size(noisy, clean, sizes):
    scores = [helpers.noise.psnr(helpers.correlate(noisy, helpers.box(s)), clean) for s in sizes]
    return sizes[int(np.argmax(scores))]


def test_best_size_right(capsys):
    assert graded("05.3", best_box_size) is True

    def with_opencv(noisy, clean, sizes):  # another border and a library blur give the same winners
        scores = {s: helpers.noise.psnr(cv2.blur(noisy, (s, s)), clean) for s in sizes}
        return max(scores, key=scores.get)

    assert graded("05.3", with_opencv) is True


def test_best_size_cases_have_different_winners():
    winners = {best_box_size(*case) for case in nb05._blur_cases()}
    assert len(winners) >= 3


def test_best_size_typical_mistakes(capsys):
    def returns_psnr(noisy, clean, sizes):
        return max(helpers.noise.psnr(helpers.correlate(noisy, helpers.box(s)), clean) for s in sizes)

    result, out = verdict(capsys, "05.3", returns_psnr)
    assert result is False and "not its PSNR" in out

    def lowest(noisy, clean, sizes):
        scores = [helpers.noise.psnr(helpers.correlate(noisy, helpers.box(s)), clean) for s in sizes]
        return sizes[int(np.argmin(scores))]

    result, out = verdict(capsys, "05.3", lowest)
    assert result is False and "lowest PSNR" in out

    def against_noisy(noisy, clean, sizes):
        return best_box_size(noisy, noisy, sizes)

    result, out = verdict(capsys, "05.3", against_noisy)
    assert result is False and "measure against the clean one" in out

    result, out = verdict(capsys, "05.3", lambda noisy, clean, sizes: sizes)
    assert result is False and "return one size as a number" in out

    result, out = verdict(capsys, "05.3", lambda noisy, clean, sizes: 4)
    assert result is False and "one of sizes" in out


def test_best_size_right_on_the_shown_case_only(capsys):
    # The notebook's measurement found the 3×3 box best; answering 3 every time is not enough.
    result, out = verdict(capsys, "05.3", lambda noisy, clean, sizes: 3)
    assert result is False and "a different size wins" in out


# 05.4 a pair of patches for which the median is not additive


def test_median_pair_right(capsys):
    a = [[0, 0, 0], [0, 0, 10], [10, 10, 10]]  # median 0
    b = [[10, 10, 10], [10, 0, 0], [0, 0, 0]]  # median 0; a + b is 10 everywhere but the centre
    assert np.median(np.add(a, b)) != np.median(a) + np.median(b)
    assert graded("05.4", (a, b)) is True
    assert graded("05.4", [np.array(a), np.array(b, dtype=np.uint8)]) is True


def test_median_pair_shown_pair_is_refused(capsys):
    a, b = nb05.SHOWN_PAIR
    assert np.median(np.add(a, b)) != np.median(a) + np.median(b)  # it would pass otherwise
    result, out = verdict(capsys, "05.4", nb05.SHOWN_PAIR)
    assert result is False and "find one of your own" in out


@pytest.mark.parametrize(
    "answer, words",
    [
        ((np.ones((3, 3)), 2 * np.ones((3, 3))), "median(a + b) = 3 = median(a) + median(b)"),
        (np.ones((3, 3)), "pair of patches"),
        ("a, b", "pair of patches"),
        ((np.ones((3, 3)), np.ones((2, 2))), "patch b should be 3×3"),
        ((np.ones((3, 3)), [["x"] * 3] * 3), "patch b should be a 3×3 grid of numbers"),
        ((np.full((3, 3), np.nan), np.ones((3, 3))), "patch a holds NaN"),
        ((lambda: 0, np.ones((3, 3))), "patch a should be"),
    ],
)
def test_median_pair_wrong_answers(capsys, answer, words):
    result, out = verdict(capsys, "05.4", answer)
    assert result is False and words in out
    assert "Traceback" not in out


# 05.5 a sharpen kernel with an amount


def test_sharpen_right(capsys):
    def sharpen_kernel(amount):
        identity = np.zeros((3, 3))
        identity[1, 1] = 1
        return identity - amount * helpers.KERNELS["laplacian"]

    assert graded("05.5", sharpen_kernel) is True
    # Independent of the check's own arithmetic: amount 1 is the bank's sharpen, and the kernel
    # does to an image what the formula says, by scipy.
    assert np.array_equal(sharpen_kernel(1), helpers.KERNELS["sharpen"])
    image = np.random.default_rng(0).uniform(0, 255, size=(9, 9))
    lap = scipy.ndimage.laplace(image, mode="nearest")
    assert np.allclose(scipy.ndimage.correlate(image, sharpen_kernel(2.5), mode="nearest"), image - 2.5 * lap)


def test_sharpen_typical_mistakes(capsys):
    identity = np.zeros((3, 3))
    identity[1, 1] = 1
    lap = helpers.KERNELS["laplacian"]
    cases = [
        (lambda a: identity + a * lap, "added instead of subtracted"),
        (lambda a: a * (identity - lap), "multiply only the Laplacian"),
        (lambda a: (identity - a * lap)[1], "should be a 3×3 kernel"),
        (lambda a: identity - a * lap / 2, "wrong weights"),
        (lambda a: identity - a * lap + 0.1, "sum to 1.9"),
        (lambda a: "sharpen", "array of numbers"),
    ]
    for answer, words in cases:
        result, out = verdict(capsys, "05.5", answer)
        assert result is False and words in out, (words, out)


def test_sharpen_right_on_the_shown_case_only(capsys):
    result, out = verdict(capsys, "05.5", lambda amount: helpers.KERNELS["sharpen"])
    assert result is False and "the bank's sharpen for every amount" in out


@pytest.mark.parametrize("answer, words", broken_answers())
def test_sharpen_broken_answers(capsys, answer, words):
    result, out = verdict(capsys, "05.5", answer)
    assert result is False and words in out

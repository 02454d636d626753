"""The checks of notebook 12's exercises: right answers pass, slips and shortcuts get a sentence."""
import cv2
import numpy as np
import pytest
from exercise_testing import verdict
from scipy import ndimage

import helpers
from helpers import bandpass, bilateral, canny, pyramids

# ---------------------------------------------------------------- 12.1 a difference of Gaussians


def gauss(size, sigma):
    x = np.arange(size) - size // 2
    g = np.exp(-(x[:, None] ** 2 + x[None, :] ** 2) / (2 * sigma**2))
    return g / g.sum()


def dog_solution(size, sigma, ratio):
    return gauss(size, ratio * sigma) - gauss(size, sigma)


def test_dog_right_by_formula_and_with_the_allowed_helper(capsys):
    assert verdict(capsys, "12.1", dog_solution)[0] is True
    assert verdict(capsys, "12.1", lambda n, s, r: helpers.gaussian(n, r * s) - helpers.gaussian(n, s))[0] is True


@pytest.mark.parametrize(("answer", "words"), [
    (lambda n, s, r: -dog_solution(n, s, r), "the sign is flipped"),
    (lambda n, s, r: gauss(n, s / r) - gauss(n, s), "ratio · sigma, not sigma / ratio"),
    (lambda n, s, r: dog_solution(n, s, r) + gauss(n, s), "not 0"),
    (lambda n, s, r: dog_solution(n, s, 1.6), "not always 1.6"),
    (lambda n, s, r: dog_solution(n, s, r)[:-1], "got shape"),
    (lambda n, s, r: "kernel", "array of numbers"),
], ids=["sign", "divided", "not normalised", "fixed ratio", "shape", "a word"])
def test_dog_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "12.1", answer)
    assert result is False and words in out, out


@pytest.mark.parametrize(("answer", "name"), [
    (lambda n, s, r: bandpass.dog_kernel(n, s, r), "helpers.bandpass.dog_kernel"),
    (lambda n, s, r: (lambda a, b: np.outer(a, a) - np.outer(b, b))(cv2.getGaussianKernel(n, r * s).ravel(),
                                                                   cv2.getGaussianKernel(n, s).ravel()),
     "cv2.getGaussianKernel"),
])
def test_dog_shortcuts_are_named(capsys, answer, name):
    result, out = verdict(capsys, "12.1", answer)
    assert result is False and name in out, out


# ---------------------------------------------------------------- 12.2 non-maximum suppression

STEPS = [(0, 1), (1, 1), (1, 0), (1, -1)]


def suppress_solution(magnitude, direction, steps=STEPS, ring=True):
    m = np.asarray(magnitude, dtype=float)
    sector = np.round(np.mod(direction, np.pi) / (np.pi / 4)).astype(int) % 4
    padded = np.pad(m, 1)
    out = np.zeros_like(m)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            di, dj = steps[sector[i, j]]
            if m[i, j] >= padded[1 + i + di, 1 + j + dj] and m[i, j] >= padded[1 + i - di, 1 + j - dj]:
                out[i, j] = m[i, j]
    if ring:
        out[[0, -1], :] = 0
        out[:, [0, -1]] = 0
    return out


def test_suppression_right_and_the_series_helper_agrees_with_it(capsys):
    assert verdict(capsys, "12.2", suppress_solution)[0] is True
    rng = np.random.default_rng(12)
    m, d = rng.uniform(0, 9, size=(12, 13)), rng.uniform(-np.pi, np.pi, size=(12, 13))
    assert np.array_equal(canny.non_maximum_suppression(m, d), suppress_solution(m, d))


@pytest.mark.parametrize(("answer", "words"), [
    (lambda m, d: suppress_solution(m, d) > 0, "not True/False"),
    (lambda m, d: suppress_solution(m, d, steps=STEPS[2:] + STEPS[:2]), "along the edge"),
    (lambda m, d: suppress_solution(m, d, steps=[STEPS[0], STEPS[3], STEPS[2], STEPS[1]]), "rows grow downwards"),
    (lambda m, d: suppress_solution(m, d, ring=False), "outer ring"),
    (lambda m, d: np.where(suppress_solution(m, d) > 0, 0.0, m), "wrong for"),
    (lambda m, d: suppress_solution(m, d)[1:-1, 1:-1], "shape"),
], ids=["booleans", "along the edge", "diagonals swapped", "ring kept", "inverted", "cropped"])
def test_suppression_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "12.2", answer)
    assert result is False and words in out, out


@pytest.mark.parametrize(("answer", "name"), [
    (lambda m, d: canny.non_maximum_suppression(m, d), "helpers.canny.non_maximum_suppression"),
    (lambda m, d: np.where(cv2.Canny(np.uint8(np.clip(m, 0, 255)), 1, 2) > 0, m, 0.0), "cv2.Canny"),
    (lambda m, d: np.where(ndimage.maximum_filter(m, 3) == m, m, 0.0), "ndimage.maximum_filter"),
])
def test_suppression_shortcuts_are_named(capsys, answer, name):
    result, out = verdict(capsys, "12.2", answer)
    assert result is False and name in out, out


# ---------------------------------------------------------------- 12.3 one bilateral pixel


def bilateral_pixel_solution(patch, ss, sr, centre=None, range_weight=True, normalise=True):
    patch = np.asarray(patch, dtype=float)
    r = patch.shape[0] // 2
    c = patch[r, r] if centre is None else centre(patch)
    dy, dx = np.mgrid[-r : r + 1, -r : r + 1]
    w = np.exp(-(dy**2 + dx**2) / (2 * ss**2))
    if range_weight:
        w = w * np.exp(-((patch - c) ** 2) / (2 * sr**2))
    return float(np.sum(w * patch) / (np.sum(w) if normalise else 1.0))


def test_bilateral_pixel_right_and_it_matches_opencv_at_a_centre(capsys):
    assert verdict(capsys, "12.3", bilateral_pixel_solution)[0] is True
    # the whole-square window of the exercise equals OpenCV's disc window when the corners weigh nothing
    patch = np.random.default_rng(3).integers(0, 256, size=(3, 3)).astype(np.uint8)
    expected = cv2.bilateralFilter(np.pad(patch, 3, mode="reflect"), 3, 30, 0.5)[4, 4]
    assert abs(bilateral_pixel_solution(patch, 0.5, 30) - expected) <= 0.5


@pytest.mark.parametrize(("answer", "words"), [
    (lambda p, s, r: bilateral_pixel_solution(p, s, r, normalise=False), "not normalised"),
    (lambda p, s, r: bilateral_pixel_solution(p, s, r, range_weight=False), "Gaussian blur's value"),
    (lambda p, s, r: bilateral_pixel_solution(p, s, r, centre=np.mean), "patch's mean"),
    (lambda p, s, r: bilateral_pixel_solution(p, 1.0, 1.0) * 0 + float(np.median(p)), "wrong value"),
    (lambda p, s, r: [1.0, 2.0], "one number"),
], ids=["not normalised", "no range weight", "mean", "median", "a list"])
def test_bilateral_pixel_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "12.3", answer)
    assert result is False and words in out, out


def test_bilateral_pixel_shortcut_is_named(capsys):
    def by_opencv(patch, ss, sr):
        p = np.float32(patch)
        return float(cv2.bilateralFilter(p, p.shape[0], sr, ss)[p.shape[0] // 2, p.shape[0] // 2])

    result, out = verdict(capsys, "12.3", by_opencv)
    assert result is False and "cv2.bilateralFilter" in out, out


# ---------------------------------------------------------------- 12.4 one level down


def pyramid_down_solution(image):
    row = np.array([1, 4, 6, 4, 1]) / 16
    padded = np.pad(np.asarray(image, dtype=float), 2, mode="reflect")
    across = sum(w * padded[:, k : k + padded.shape[1] - 4] for k, w in enumerate(row))
    both = sum(w * across[k : k + across.shape[0] - 4] for k, w in enumerate(row))
    return both[::2, ::2]


def test_pyramid_down_right_and_equal_to_opencv(capsys):
    assert verdict(capsys, "12.4", pyramid_down_solution)[0] is True
    image = np.random.default_rng(4).uniform(0, 255, size=(9, 12))
    assert np.allclose(pyramid_down_solution(image), cv2.pyrDown(image))


@pytest.mark.parametrize(("answer", "words"), [
    (lambda im: np.asarray(im, dtype=float)[::2, ::2], "aliasing"),
    (lambda im: pyramid_down_solution(im)[:, :-1] if np.shape(im)[1] % 2 else pyramid_down_solution(im)[:-1],
     "⌈H/2⌉"),
    (lambda im: helpers.correlate(im, np.outer(*[np.array([1, 4, 6, 4, 1]) / 16] * 2), border="replicate")[::2, ::2],
     "reflect-101"),
    (lambda im: helpers.correlate(im, np.outer(*[np.array([1, 4, 6, 4, 1]) / 16] * 2),
                                  border="reflect101")[1::2, 1::2], "start at 0"),
    (lambda im: helpers.correlate(im, np.full((3, 3), 1 / 9), border="reflect101")[::2, ::2], "binomial"),
], ids=["no blur", "shape", "replicate", "odd pixels", "box"])
def test_pyramid_down_slips_get_their_sentence(capsys, answer, words):
    result, out = verdict(capsys, "12.4", answer)
    assert result is False and words in out, out


@pytest.mark.parametrize(("answer", "name"), [
    (lambda im: cv2.pyrDown(np.asarray(im, dtype=float)), "cv2.pyrDown"),
    (lambda im: pyramids.pyr_down(im), "helpers.pyramids.pyr_down"),
])
def test_pyramid_down_shortcuts_are_named(capsys, answer, name):
    result, out = verdict(capsys, "12.4", answer)
    assert result is False and name in out, out


def test_the_lesson_helpers_are_not_what_the_checks_compare_with():
    """The checks' expected values come from their own loops: a broken helper would not change a verdict."""
    import helpers.exercises.nb12 as nb12

    source = open(nb12.__file__, encoding="utf-8").read()
    for module in ("bandpass", "canny", "bilateral", "pyramids"):
        assert f"from ..{module}" not in source and f"helpers.{module} import" not in source
    assert bilateral is not None

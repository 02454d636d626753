"""helpers.matching: plain and normalised template scores, against OpenCV and a loop."""
import cv2
import numpy as np
import pytest

from helpers.matching import correlation_map, ncc_map


def loop_ncc(image, template):
    rows, cols = image.shape[0] - template.shape[0] + 1, image.shape[1] - template.shape[1] + 1
    t = template - template.mean()
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            w = image[i : i + template.shape[0], j : j + template.shape[1]]
            w = w - w.mean()
            out[i, j] = np.sum(w * t) / np.sqrt(np.sum(w * w) * np.sum(t * t))
    return out


def test_ncc_agrees_with_opencv_and_a_loop():
    rng = np.random.default_rng(5)
    image = rng.uniform(0, 255, size=(23, 31))
    template = rng.uniform(0, 255, size=(5, 7))
    ours = ncc_map(image, template)
    by_opencv = cv2.matchTemplate(image.astype(np.float32), template.astype(np.float32), cv2.TM_CCOEFF_NORMED)
    assert ours.shape == by_opencv.shape == (19, 25)
    assert np.allclose(ours, by_opencv, atol=1e-4)
    assert np.allclose(ours, loop_ncc(image, template))


def test_correlation_map_agrees_with_opencv():
    rng = np.random.default_rng(6)
    image = rng.uniform(0, 1, size=(12, 9))
    template = rng.normal(size=(3, 4))
    by_opencv = cv2.matchTemplate(image.astype(np.float32), template.astype(np.float32), cv2.TM_CCORR)
    assert np.allclose(correlation_map(image, template), by_opencv, atol=1e-4)


def test_ncc_ignores_gain_and_offset_and_stays_in_range():
    rng = np.random.default_rng(7)
    image = rng.uniform(0, 100, size=(15, 15))
    template = image[4:9, 6:11].copy()
    scores = ncc_map(0.5 * image + 80, template)
    assert np.isclose(scores[4, 6], 1.0) and np.unravel_index(scores.argmax(), scores.shape) == (4, 6)
    assert scores.min() >= -1 and scores.max() <= 1
    assert np.isclose(ncc_map(-image, template)[4, 6], -1.0)  # a negative copy: −1


def test_flat_window_scores_zero():
    image = np.zeros((6, 6))
    image[:, 3:] = np.arange(18).reshape(6, 3)
    scores = ncc_map(image, np.array([[0.0, 1.0], [2.0, 5.0]]))
    assert scores[0, 0] == 0  # a window of zeros has no direction


@pytest.mark.parametrize(
    ("image", "template", "error", "words"),
    [
        (np.zeros((4, 4)), np.ones((2, 2)), ValueError, "flat"),
        (np.zeros((4, 4)), np.eye(5), ValueError, "must fit inside"),
        (np.zeros(4), np.eye(2), ValueError, "image must be 2-D"),
        (np.zeros((4, 4)), "abc", TypeError, "template"),
    ],
)
def test_bad_input_is_named(image, template, error, words):
    with pytest.raises(error, match=words):
        ncc_map(image, template)

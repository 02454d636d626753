"""helpers.integral: box sums from running sums, against a loop and SciPy."""
import numpy as np
import pytest
from scipy import signal

from helpers.integral import box_sums, integral_image


def test_integral_image_is_the_sum_above_and_left():
    rng = np.random.default_rng(40)
    image = rng.normal(size=(5, 7))
    s = integral_image(image)
    assert s.shape == (6, 8) and np.all(s[0] == 0) and np.all(s[:, 0] == 0)
    for i, j in [(1, 1), (3, 5), (5, 7), (2, 6)]:
        assert np.isclose(s[i, j], image[:i, :j].sum())


@pytest.mark.parametrize("k", [1, 2, 3, 8, 21])
def test_box_sums_agree_with_a_valid_correlation(k):
    rng = np.random.default_rng(41)
    image = rng.uniform(0, 255, size=(21, 30))
    expected = signal.correlate2d(image, np.ones((k, k)), mode="valid")
    assert np.allclose(box_sums(image, k), expected)


@pytest.mark.parametrize(("k", "words"), [(0, "at least 1"), (2.0, "whole number"), (6, "does not fit")])
def test_bad_k_is_named(k, words):
    with pytest.raises(ValueError, match=words):
        box_sums(np.zeros((5, 5)), k)

"""helpers.mystery_filter (notebook 03's black box): linear, shift-invariant, and its impulse response."""
import numpy as np
import pytest
import scipy.ndimage as ndi

import helpers
from helpers import _mystery


def test_it_is_linear_and_shift_invariant():
    rng = np.random.default_rng(31)
    x, y = rng.normal(size=(2, 12, 17))
    f = helpers.mystery_filter
    assert np.allclose(f(2.5 * x - 4 * y), 2.5 * f(x) - 4 * f(y))
    assert np.allclose(f(np.roll(x, (3, -5), axis=(0, 1))), np.roll(f(x), (3, -5), axis=(0, 1)))


def test_its_impulse_response_is_the_turned_kernel_and_predicts_any_image():
    impulse = np.zeros((9, 9))
    impulse[4, 4] = 1
    response = helpers.mystery_filter(impulse)[2:7, 2:7]
    assert np.allclose(response, _mystery._KERNEL[::-1, ::-1])
    photo = helpers.load_image("camera")[:40, :50].astype(float)
    assert np.allclose(helpers.mystery_filter(photo), ndi.convolve(photo, response, mode="wrap"))


@pytest.mark.parametrize(("image", "words"), [(np.zeros((3, 3)), "at least 5×5"), (np.zeros((6, 6, 3)), "2-D")])
def test_bad_input_is_named(image, words):
    with pytest.raises(ValueError, match=words):
        helpers.mystery_filter(image)

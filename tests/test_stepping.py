"""The sliding-window steps behind notebook 02's figure and notebook 07's slider."""
import numpy as np
import pytest
from scipy import ndimage

import helpers


def test_every_step_writes_the_library_value():
    image = np.arange(25, dtype=float).reshape(5, 5) ** 1.5
    kernel = helpers.KERNELS["sobel_x"]
    reference = ndimage.correlate(image, kernel, mode="nearest")
    assert helpers.step_count(image, kernel, border="replicate") == 25
    for index in range(25):
        step = helpers.step_at(image, kernel, index, border="replicate")
        assert step.value == pytest.approx(reference[step.row, step.col])
        assert np.isfinite(step.partial_output).sum() == index + 1


def test_valid_steps_shrink_the_output():
    image = np.ones((5, 6))
    assert helpers.step_count(image, np.ones((3, 3))) == 3 * 4
    last = helpers.step_at(image, np.ones((3, 3)), 11)
    assert (last.row, last.col) == (2, 3) and last.output_shape == (3, 4)
    assert last.value == 9


def test_bad_index_is_named():
    with pytest.raises(ValueError, match="index must be a whole number from 0 to 8"):
        helpers.step_at(np.ones((5, 5)), np.ones((3, 3)), 9)

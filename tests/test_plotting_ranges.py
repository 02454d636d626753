"""Colour ranges of the grid figures: fixed on request, stable across the steps of a slide."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import helpers


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_draw_grid_scales_to_the_values_by_default_and_to_vmin_vmax_on_request():
    values = np.array([[40, 60], [80, 100]])
    _, (left, right) = plt.subplots(1, 2)
    helpers.draw_grid(left, values, "default", cmap="gray")
    helpers.draw_grid(right, values, "fixed", cmap="gray", vmin=0, vmax=255)
    assert left.images[0].get_clim() == (40, 100)
    assert right.images[0].get_clim() == (0, 255)


def test_draw_step_output_panel_keeps_one_scale_from_first_to_last_step():
    # A linear ramp: each 3×3 mean equals its centre pixel, so the valid
    # output holds the centres 6, 7, 8, 11, ..., 18.
    image = np.arange(25.0).reshape(5, 5)
    kernel = helpers.box(3)
    limits = []
    for index in (0, 8):
        figure = helpers.draw_step(helpers.step_at(image, kernel, index), kernel)
        limits.append(tuple(round(x, 9) for x in figure.axes[3].images[0].get_clim()))
    assert limits == [(6, 18), (6, 18)]

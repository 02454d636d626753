"""Grey images on the 0-255 scale: the rule of the series' figures, and its stated exceptions."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import helpers


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_draw_grid_draws_grey_levels_on_0_255_and_fixes_vmin_vmax_on_request():
    values = np.array([[40, 60], [80, 100]])
    _, (left, right) = plt.subplots(1, 2)
    helpers.draw_grid(left, values, "default", cmap="gray")
    helpers.draw_grid(right, values, "fixed", cmap="gray", vmin=20, vmax=120)
    assert left.images[0].get_clim() == (0, 255)
    assert right.images[0].get_clim() == (20, 120)


def test_draw_grid_stretches_grey_values_that_leave_0_255():
    _, ax = plt.subplots()
    helpers.draw_grid(ax, np.array([[-40.0, 60.0], [80.0, 300.0]]), "signed", cmap="gray")
    assert ax.images[0].get_clim() == (-40, 300)


@pytest.mark.parametrize("index", [0, 1, 4, 8])
def test_draw_step_draws_input_and_output_on_0_255_at_every_step(index):
    # The case: the 3×3 mean 132.9 must be drawn as light as an input pixel of 133,
    # not black because it is the darkest output so far.
    image = np.random.default_rng(0).integers(0, 256, size=(5, 5))
    kernel = helpers.box(3)
    figure = helpers.draw_step(helpers.step_at(image, kernel, index), kernel)
    input_panel, output_panel = figure.axes[0], figure.axes[3]
    assert input_panel.images[0].get_clim() == (0, 255)
    assert output_panel.images[0].get_clim() == (0, 255)


def test_draw_step_output_shade_matches_the_input_shade_of_the_same_level():
    image = np.random.default_rng(0).integers(0, 256, size=(5, 5))
    kernel = helpers.box(3)
    figure = helpers.draw_step(helpers.step_at(image, kernel, 0), kernel)
    input_image, output_image = figure.axes[0].images[0], figure.axes[3].images[0]
    value = figure.axes[3].images[0].get_array()[0, 0]
    shade_out = output_image.cmap(output_image.norm(value))
    shade_in = input_image.cmap(input_image.norm(value))
    assert shade_out == pytest.approx(shade_in)
    assert 0.3 < shade_out[0] < 0.7  # a mid grey, not black


def test_draw_step_keeps_one_scale_for_an_output_that_leaves_0_255():
    # Rows of alternating sign: Sobel outputs far below 0 and above 255. Such an output is
    # drawn from its smallest to its largest value, the same limits at every step.
    image = np.arange(49.0).reshape(7, 7) * np.where(np.arange(7) % 2, 40, -40)
    kernel = helpers.KERNELS["sobel_x"]
    whole = helpers.correlate(image, kernel, border="valid")
    assert whole.min() < 0 or whole.max() > 255
    limits = set()
    for index in (0, 12, 24):
        figure = helpers.draw_step(helpers.step_at(image, kernel, index), kernel)
        limits.add(tuple(round(x, 6) for x in figure.axes[3].images[0].get_clim()))
    assert limits == {(round(whole.min(), 6), round(whole.max(), 6))}


def test_show_images_draws_float_grey_levels_on_0_255_without_a_note():
    figure = helpers.show_images([np.full((4, 4), 132.9), np.array([[0, 255]], dtype=np.uint8)], ["float", "uint8"])
    for ax, title in zip(figure.axes, ["float", "uint8"], strict=True):
        assert ax.images[0].get_clim() == (0, 255)
        assert ax.get_title() == title


def test_show_images_says_so_when_an_image_is_not_on_0_255():
    signed = np.array([[-100.0, 0.0], [50.0, 400.0]])
    small = np.array([[0.0, 0.5], [1.0, 2.0]])
    figure = helpers.show_images([signed, small, signed], ["signed", "feature map", "signed, grey"],
                                 vmin=[None, 0, None], vmax=[None, 2, None], cmap=[None, None, "gray"])
    signed_ax, small_ax, grey_ax = figure.axes
    # a signed image: the diverging map, centred on 0, its colours named in the title
    assert signed_ax.images[0].get_clim() == (-400, 400)
    assert signed_ax.images[0].get_cmap().name == helpers.plotting.SIGNED_CMAP
    assert "blue -400, light grey 0, red 400" in " ".join(signed_ax.get_title().split())
    assert "black" not in signed_ax.get_title()
    assert small_ax.images[0].get_clim() == (0, 2)
    assert "black 0, white 2" in small_ax.get_title()
    # asked for grey, it is stretched from black to white, and the title says so
    assert grey_ax.images[0].get_clim() == (-100, 400)
    assert "black -100, white 400" in grey_ax.get_title()


def test_show_images_leaves_rgb_images_unscaled():
    rgb = np.zeros((4, 4, 3), dtype=np.uint8)
    figure = helpers.show_images([rgb], ["colour"])
    assert figure.axes[0].get_title() == "colour"
    assert figure.axes[0].images[0].get_array().shape == (4, 4, 3)


def test_show_products_draws_the_patch_on_0_255():
    patch = np.array([[93, 139, 101], [26, 252, 196], [135, 230, 18]])
    figure = helpers.show_products(patch, helpers.box(3))
    assert figure.axes[0].images[0].get_clim() == (0, 255)

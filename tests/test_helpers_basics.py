"""The small public helpers: apply_kernel, the kernel bank, to_uint8, load_image."""
import hashlib
import re

import numpy as np

import helpers


def test_apply_kernel_scores_of_notebook_01():
    horizontal = [[2, 2], [-2, -2]]
    vertical = [[2, -2], [2, -2]]
    flat = [[200, 200], [200, 200]]
    h_edge = [[200, 200], [0, 0]]
    v_edge = [[200, 0], [200, 0]]
    scores = [(helpers.apply_kernel(im, horizontal), helpers.apply_kernel(im, vertical)) for im in (flat, h_edge, v_edge)]
    assert scores == [(0, 0), (800, 0), (0, 800)]


def test_box_blur_by_hand_of_notebook_02():
    patch = np.array([[93, 139, 101], [26, 252, 196], [135, 230, 18]])
    value = helpers.apply_kernel(patch, helpers.box(3))
    assert abs(value - 1190 / 9) < 1e-12
    assert helpers.to_uint8(np.array([value]))[0] == 132


def test_kernel_bank_values():
    bank = helpers.KERNELS
    assert sorted(bank) == sorted(["small_blur", "large_blur", "sharpen", "laplacian", "sobel_x", "sobel_y", "emboss"])
    assert bank["small_blur"].shape == (7, 7) and np.all(bank["small_blur"] == 1 / 49)
    assert bank["large_blur"].shape == (21, 21) and np.all(bank["large_blur"] == 1 / 441)
    assert bank["sharpen"].tolist() == [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]
    assert bank["laplacian"].tolist() == [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
    assert bank["sobel_x"].tolist() == [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    assert bank["sobel_y"].tolist() == [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
    assert bank["emboss"].tolist() == [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]
    assert not bank["sobel_x"].flags.writeable


def test_gaussian_is_symmetric_and_peaks_in_the_centre():
    kernel = helpers.gaussian(7, 1.2)
    assert np.allclose(kernel, kernel.T) and np.allclose(kernel, kernel[::-1, ::-1])
    assert kernel.argmax() == 24


def test_separate_kernel_recovers_the_outer_product():
    column, row = helpers.separate_kernel(helpers.KERNELS["sobel_x"])
    assert np.allclose(np.outer(column, row), helpers.KERNELS["sobel_x"])
    assert helpers.is_separable(helpers.gaussian(5, 1.0))
    assert not helpers.is_separable(helpers.KERNELS["sharpen"])


def test_to_uint8_clip_rounds_and_clamps():
    result = np.array([-20.0, 0.4, 0.5, 1.5, 132.2, 254.6, 300.0])
    assert helpers.to_uint8(result).tolist() == [0, 0, 0, 2, 132, 255, 255]


def test_to_uint8_rescale():
    assert helpers.to_uint8(np.array([-10.0, 0.0, 10.0]), mode="rescale").tolist() == [0, 128, 255]
    constant = helpers.to_uint8(np.full((3, 3), 7.0), mode="rescale")
    assert constant.dtype == np.uint8 and not constant.any()


def test_load_image_gives_rgb_not_bgr():
    rgb = helpers.load_image("astronaut", gray=False)
    assert rgb.shape == (512, 512, 3) and rgb.dtype == np.uint8
    # The astronaut's suit is white and the flag's stripes red: red dominates blue in the stripes.
    import cv2

    bgr = cv2.imread(str(helpers.DATA_DIR / "astronaut.png"))
    assert np.array_equal(rgb, bgr[:, :, ::-1])
    gray = helpers.load_image("camera")
    assert gray.shape == (512, 512) and gray.ndim == 2
    assert np.array_equal(helpers.load_image("camera.png"), gray)
    assert np.array_equal(helpers.load_image(helpers.DATA_DIR / "camera.png"), gray)


def test_data_readme_lists_every_sample_with_its_checksum():
    readme = (helpers.DATA_DIR / "README.md").read_text(encoding="utf-8")
    images = sorted(p for p in helpers.DATA_DIR.iterdir() if p.suffix == ".png")
    assert 2 <= len(images) <= 4
    for path in images:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert path.name in readme and digest in readme, path.name
        image = helpers.load_image(path, gray=False)
        assert image.shape[0] <= 512 and image.shape[1] <= 512
    assert re.search(r"licen[cs]e", readme, re.IGNORECASE)

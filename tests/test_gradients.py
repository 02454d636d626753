"""Sobel gradients, their magnitude and direction, checked against scikit-image and OpenCV."""
import cv2
import numpy as np
import pytest
from skimage import filters

from helpers import gradients


@pytest.fixture
def image():
    return np.random.default_rng(11).uniform(0, 255, size=(23, 31))


def test_components_match_scikit_image_times_four(image):
    # skimage.filters.sobel_v / sobel_h use the same kernels divided by 4; away from the
    # border (which they treat their own way) they must be a quarter of ours.
    gx, gy = gradients.sobel_gradients(image)
    assert np.allclose(gx[1:-1, 1:-1], 4 * filters.sobel_v(image)[1:-1, 1:-1])
    assert np.allclose(gy[1:-1, 1:-1], 4 * filters.sobel_h(image)[1:-1, 1:-1])


def test_components_match_opencv_sobel(image):
    gx, gy = gradients.sobel_gradients(image)
    assert np.allclose(gx, cv2.Sobel(image, cv2.CV_64F, 1, 0, ksize=3, borderType=cv2.BORDER_REPLICATE))
    assert np.allclose(gy, cv2.Sobel(image, cv2.CV_64F, 0, 1, ksize=3, borderType=cv2.BORDER_REPLICATE))


def test_magnitude_is_scikit_images_sobel_times_four_root_two(image):
    gx, gy = gradients.sobel_gradients(image, border="reflect")
    magnitude = gradients.gradient_magnitude(gx, gy)
    assert np.allclose(magnitude, 4 * np.sqrt(2) * filters.sobel(image, mode="reflect"))


def test_magnitude_and_direction_match_opencv_polar(image):
    gx, gy = gradients.sobel_gradients(image)
    length, angle = cv2.cartToPolar(gx, gy)  # angle in radians from 0 to 2π
    assert np.allclose(gradients.gradient_magnitude(gx, gy), length)
    mine = np.mod(gradients.gradient_direction(gx, gy), 2 * np.pi)
    difference = np.angle(np.exp(1j * (mine - angle)))  # compare on the circle
    assert np.abs(difference).max() < 1e-3  # cartToPolar's angle is accurate to about 0.3°


def test_directions_of_four_ramps_point_uphill():
    ramp = np.tile(np.arange(9.0), (9, 1))  # brighter to the right
    cases = {0.0: ramp, np.pi: ramp[:, ::-1], np.pi / 2: ramp.T, -np.pi / 2: ramp.T[::-1]}
    for expected, picture in cases.items():
        gx, gy = gradients.sobel_gradients(picture)
        assert gradients.gradient_direction(gx, gy)[4, 4] == pytest.approx(expected)
        assert gradients.gradient_magnitude(gx, gy)[4, 4] == pytest.approx(8.0)  # 1 per pixel × (1+2+1) × 2


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: gradients.sobel_gradients(np.zeros((4, 4, 3))), ValueError, "image must be a 2-D"),
        (lambda: gradients.sobel_gradients(None), TypeError, "image"),
        (lambda: gradients.sobel_gradients(np.zeros((4, 4)), border="mirror"), ValueError, "border"),
        (lambda: gradients.gradient_magnitude(np.zeros(3), np.zeros(4)), ValueError, "same shape"),
        (lambda: gradients.gradient_direction([1.0, np.nan], [0.0, 0.0]), ValueError, "gx"),
        (lambda: gradients.gradient_direction([1.0], ["a"]), TypeError, "gy"),
    ],
)
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error, match=words):
        call()

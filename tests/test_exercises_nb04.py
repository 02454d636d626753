"""The checks of notebook 04's exercises: right answers pass, typical mistakes get a hint."""
import cv2
import numpy as np
from exercise_testing import verdict

import helpers
from helpers.exercises import verdict as graded

# 04.1 BORDER_REFLECT by hand


def pad_reflect_by_slicing(image, p):
    image = np.asarray(image)
    if p == 0:
        return image.copy()
    tall = np.concatenate([image[:p][::-1], image, image[-p:][::-1]], axis=0)
    return np.concatenate([tall[:, :p][:, ::-1], tall, tall[:, -p:][:, ::-1]], axis=1)


def test_pad_reflect_right(capsys):
    assert graded("04.1", pad_reflect_by_slicing) is True
    assert "correct" in capsys.readouterr().out


def test_pad_reflect_other_modes_are_named(capsys):
    result, out = verdict(capsys, "04.1", lambda im, p: np.pad(im, p, mode="reflect"))
    assert result is False and "reflect-101" in out
    result, out = verdict(capsys, "04.1", lambda im, p: np.pad(im, p, mode="edge"))
    assert result is False and "replicate" in out
    result, out = verdict(capsys, "04.1", lambda im, p: np.pad(im, p, mode="wrap"))
    assert result is False and "wrap" in out


def test_pad_reflect_forgetting_p_zero(capsys):
    def no_special_case(image, p):
        tall = np.concatenate([image[:p][::-1], image, image[-p:][::-1]], axis=0)
        return np.concatenate([tall[:, :p][:, ::-1], tall, tall[:, -p:][:, ::-1]], axis=1)

    result, out = verdict(capsys, "04.1", no_special_case)
    assert result is False and "p = 0" in out


def test_pad_reflect_rows_only(capsys):
    result, out = verdict(capsys, "04.1", lambda im, p: np.pad(im, ((p, p), (0, 0)), mode="symmetric"))
    assert result is False and "should be" in out  # the shape is wrong


def test_pad_reflect_columns_wrong(capsys):
    def rows_right_columns_replicated(image, p):
        tall = np.pad(image, ((p, p), (0, 0)), mode="symmetric")
        return np.pad(tall, ((0, 0), (p, p)), mode="edge")

    result, out = verdict(capsys, "04.1", rows_right_columns_replicated)
    assert result is False and "columns" in out


def test_pad_reflect_unanswered(capsys):
    result, out = verdict(capsys, "04.1", None)
    assert result is None and "not answered yet" in out


# 04.2 colour, one channel at a time


def per_channel(image, kernel):
    return np.stack([helpers.correlate(image[:, :, c], kernel) for c in range(image.shape[2])], axis=-1)


def test_correlate_color_right(capsys):
    assert graded("04.2", per_channel) is True


def test_correlate_color_channels_first(capsys):
    def channels_first(image, kernel):
        return np.stack([helpers.correlate(image[:, :, c], kernel) for c in range(image.shape[2])], axis=0)

    result, out = verdict(capsys, "04.2", channels_first)
    assert result is False and "channel axis should stay last" in out


def test_correlate_color_uint8_result(capsys):
    result, out = verdict(capsys, "04.2", lambda im, k: helpers.to_uint8(per_channel(im, k)))
    assert result is False and "float" in out


def test_correlate_color_three_channels_only(capsys):
    def three_only(image, kernel):
        return np.stack([helpers.correlate(image[:, :, c], kernel) for c in range(3)], axis=-1)

    result, out = verdict(capsys, "04.2", three_only)
    assert result is False and "image should give" in out  # fails on the 4-channel image


def test_correlate_color_convolving(capsys):
    def convolves(image, kernel):
        return np.stack([helpers.convolve(image[:, :, c], kernel) for c in range(image.shape[2])], axis=-1)

    result, out = verdict(capsys, "04.2", convolves)
    assert result is False and "channel 0" in out


def test_correlate_color_mixing_channels(capsys):
    def grey_everywhere(image, kernel):
        grey = helpers.correlate(image.mean(axis=2), kernel)
        return np.repeat(grey[:, :, np.newaxis], image.shape[2], axis=2)

    result, out = verdict(capsys, "04.2", grey_everywhere)
    assert result is False and "filtered on its own" in out


# 04.3 edges of both signs


def edge_strength(gray):
    gx = helpers.correlate(gray, helpers.KERNELS["sobel_x"])
    gy = helpers.correlate(gray, helpers.KERNELS["sobel_y"])
    return helpers.to_uint8(np.abs(gx) + np.abs(gy))


def test_edge_strength_right(capsys):
    assert graded("04.3", edge_strength) is True


def test_edge_strength_with_negatives_clipped_first(capsys):
    def clipped_first(gray):
        gx = cv2.filter2D(gray, -1, helpers.KERNELS["sobel_x"], borderType=cv2.BORDER_REPLICATE)
        gy = cv2.filter2D(gray, -1, helpers.KERNELS["sobel_y"], borderType=cv2.BORDER_REPLICATE)
        return cv2.add(gx, gy)  # saturating uint8 sum

    result, out = verdict(capsys, "04.3", clipped_first)
    assert result is False and "bright-to-dark edges are missing" in out


def test_edge_strength_rescaled(capsys):
    def rescaled(gray):
        gx = helpers.correlate(gray, helpers.KERNELS["sobel_x"])
        gy = helpers.correlate(gray, helpers.KERNELS["sobel_y"])
        return helpers.to_uint8(np.abs(gx) + np.abs(gy), "rescale")

    result, out = verdict(capsys, "04.3", rescaled)
    assert result is False and "do not rescale" in out


def test_edge_strength_float_result(capsys):
    def as_float(gray):
        return edge_strength(gray).astype(float)

    result, out = verdict(capsys, "04.3", as_float)
    assert result is False and "uint8" in out


def test_edge_strength_wrong_border(capsys):
    def zero_border(gray):
        gx = helpers.correlate(gray, helpers.KERNELS["sobel_x"], border="zero")
        gy = helpers.correlate(gray, helpers.KERNELS["sobel_y"], border="zero")
        return helpers.to_uint8(np.abs(gx) + np.abs(gy))

    result, out = verdict(capsys, "04.3", zero_border)
    assert result is False and "border" in out

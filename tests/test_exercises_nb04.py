"""The checks of notebook 04's exercises: right answers pass, typical mistakes get a hint."""
import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal
from exercise_testing import verdict

import helpers
from helpers.convolution import NUMPY_PAD_MODES
from helpers.exercises import verdict as graded


@pytest.mark.parametrize("key", ["04.0", "04.1", "04.2", "04.3"])
@pytest.mark.parametrize(
    ("answer", "sentence"),
    [
        (np.zeros((3, 3)), "wants a function, but your answer is a ndarray"),
        (lambda *args: "an image", "should return a NumPy array of numbers"),
    ],
)
def test_broken_answers_get_a_sentence(capsys, key, answer, sentence):
    result, out = verdict(capsys, key, answer)
    assert sentence in out
    assert "Traceback" not in out and "not callable" not in out


# 04.0 the pixel-loop convolver


def correlate_loop_solution(image, kernel, border="replicate"):
    # The solution notebook's answer.
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    k_h, k_w = kernel.shape
    r_h, r_w = (k_h - 1) // 2, (k_w - 1) // 2
    if border == "valid":
        padded = image
    else:
        padded = np.pad(image, ((r_h, r_h), (r_w, r_w)), mode=NUMPY_PAD_MODES[border])
    out_h, out_w = padded.shape[0] - k_h + 1, padded.shape[1] - k_w + 1
    output = np.zeros((out_h, out_w), dtype=np.float64)
    for i in range(out_h):
        for j in range(out_w):
            output[i, j] = np.sum(padded[i : i + k_h, j : j + k_w] * kernel)
    return output


def test_correlate_loop_right(capsys):
    assert graded("04.0", correlate_loop_solution) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("answer", "call"),
    [
        (lambda im, k, b="replicate": helpers.correlate(im, k, border=b, method="loop"), "helpers.correlate"),
        (lambda im, k, b="replicate": helpers.convolve(im, np.asarray(k)[::-1, ::-1], border=b), "helpers.convolve"),
        (lambda im, k, b="replicate": cv2.filter2D(np.float64(im), cv2.CV_64F, k), "cv2.filter2D"),
        (lambda im, k, b="replicate": ndi.correlate(np.float64(im), k, mode="nearest"), "ndimage.correlate"),
        (lambda im, k, b="replicate": ndi.convolve(np.float64(im), np.asarray(k)[::-1, ::-1]), "ndimage.convolve"),
        (lambda im, k, b="replicate": scipy.signal.correlate2d(im, k, mode="same"), "signal.correlate2d"),
        (lambda im, k, b="replicate": scipy.signal.convolve2d(im, k, mode="same"), "signal.convolve2d"),
    ],
)
def test_correlate_loop_shortcuts_are_named(capsys, answer, call):
    result, out = verdict(capsys, "04.0", answer)
    assert result is False and f"write the pixel loop yourself, without {call}" in out


def replicate_only(image, kernel, border="replicate"):
    return correlate_loop_solution(image, kernel, "replicate")  # the only border the notebook showed


def square_reach(image, kernel, border="replicate"):
    image = np.asarray(image, dtype=np.float64)
    k = np.asarray(kernel).shape[0]
    r = k // 2  # the same reach for rows and columns
    if border == "valid":
        padded = image
    else:
        padded = np.pad(image, r, mode=NUMPY_PAD_MODES[border])
    k_h, k_w = np.asarray(kernel).shape
    out = np.zeros((padded.shape[0] - 2 * r, padded.shape[1] - 2 * r))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(padded[i : i + k_h, j : j + k_w] * kernel) if i + k_h <= padded.shape[0] and \
                j + k_w <= padded.shape[1] else 0
    return out


def numpy_reflect(image, kernel, border="replicate"):
    # np.pad's "reflect" is OpenCV's reflect-101, not BORDER_REFLECT.
    mode = {"reflect": "reflect"}.get(border)
    if mode is None:
        return correlate_loop_solution(image, kernel, border)
    k_h, k_w = np.asarray(kernel).shape
    padded = np.pad(np.asarray(image, dtype=float), ((k_h // 2, k_h // 2), (k_w // 2, k_w // 2)), mode=mode)
    return correlate_loop_solution(padded, kernel, "valid")


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (replicate_only, "border='zero'"),
        (numpy_reflect, "b a | a b c d | d c"),
        (square_reach, "3×5"),
        (lambda im, k, b="replicate": correlate_loop_solution(im, np.asarray(k)[::-1, ::-1], b), "convolves"),
        (lambda im, k, b="replicate": correlate_loop_solution(im, k, b).astype(np.uint8), "float64"),
        (lambda im, k, b="replicate": correlate_loop_solution(im, k, "replicate" if b == "valid" else b), "'valid'"),
        (lambda image, kernel: correlate_loop_solution(image, kernel), "three arguments"),
    ],
)
def test_correlate_loop_typical_mistakes(capsys, answer, hint):
    result, out = verdict(capsys, "04.0", answer)
    assert result is False and hint in out, out


def test_correlate_loop_must_not_change_its_input(capsys):
    def in_place(image, kernel, border="replicate"):
        result = correlate_loop_solution(image, kernel, border)
        image[...] = 0
        return result

    result, out = verdict(capsys, "04.0", in_place)
    assert result is False and "changed the image" in out


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


def reflect101_by_slicing(image, p):
    image = np.asarray(image)
    if p == 0:
        return image.copy()
    tall = np.concatenate([image[1 : p + 1][::-1], image, image[-p - 1 : -1][::-1]], axis=0)
    return np.concatenate([tall[:, 1 : p + 1][:, ::-1], tall, tall[:, -p - 1 : -1][:, ::-1]], axis=1)


def replicate_by_slicing(image, p):
    image = np.asarray(image)
    if p == 0:
        return image.copy()
    tall = np.concatenate([image[:1]] * p + [image] + [image[-1:]] * p, axis=0)
    return np.concatenate([tall[:, :1]] * p + [tall] + [tall[:, -1:]] * p, axis=1)


def test_pad_reflect_other_modes_are_named(capsys):
    result, out = verdict(capsys, "04.1", reflect101_by_slicing)
    assert result is False and "reflect-101" in out
    result, out = verdict(capsys, "04.1", replicate_by_slicing)
    assert result is False and "replicate" in out


@pytest.mark.parametrize(
    ("answer", "call"),
    [
        (lambda im, p: np.pad(im, p, mode="symmetric"), "np.pad"),
        (lambda im, p: np.pad(im, p, mode="reflect"), "np.pad"),
        (lambda im, p: cv2.copyMakeBorder(np.asarray(im, dtype=float), p, p, p, p, cv2.BORDER_REFLECT), "cv2.copyMakeBorder"),
        (lambda im, p: helpers.pad_for_kernel(im, (2 * p + 1, 2 * p + 1), "reflect"), "helpers.pad_for_kernel"),
    ],
)
def test_pad_reflect_shortcuts_are_named(capsys, answer, call):
    result, out = verdict(capsys, "04.1", answer)
    assert result is False and f"pad with slicing and np.concatenate, without {call}" in out


def test_pad_reflect_forgetting_p_zero(capsys):
    def no_special_case(image, p):
        tall = np.concatenate([image[:p][::-1], image, image[-p:][::-1]], axis=0)
        return np.concatenate([tall[:, :p][:, ::-1], tall, tall[:, -p:][:, ::-1]], axis=1)

    result, out = verdict(capsys, "04.1", no_special_case)
    assert result is False and "p = 0" in out


def test_pad_reflect_rows_only(capsys):
    def rows_only(image, p):
        return np.concatenate([image[:p][::-1], image, image[-p:][::-1]], axis=0) if p else image.copy()

    result, out = verdict(capsys, "04.1", rows_only)
    assert result is False and "should be" in out  # the shape is wrong


def test_pad_reflect_columns_wrong(capsys):
    def rows_right_columns_replicated(image, p):
        if p == 0:
            return image.copy()
        tall = np.concatenate([image[:p][::-1], image, image[-p:][::-1]], axis=0)
        return np.concatenate([tall[:, :1]] * p + [tall] + [tall[:, -1:]] * p, axis=1)

    result, out = verdict(capsys, "04.1", rows_right_columns_replicated)
    assert result is False and "columns" in out


def test_pad_reflect_unanswered(capsys):
    result, out = verdict(capsys, "04.1", None)
    assert result is None and "not answered yet" in out


# 04.2 colour, one channel at a time


def per_channel(image, kernel):
    return np.stack([helpers.correlate(image[:, :, c], kernel) for c in range(image.shape[2])], axis=-1)


def test_correlate_color_right(capsys):
    assert graded("04.2", per_channel) is True  # helpers.correlate on one 2-D channel at a time is allowed


@pytest.mark.parametrize(
    ("answer", "call"),
    [
        (lambda im, k: helpers.correlate(im, k), "helpers.correlate"),
        (lambda im, k: cv2.filter2D(np.float64(im), cv2.CV_64F, k, borderType=cv2.BORDER_REPLICATE), "cv2.filter2D"),
        (lambda im, k: ndi.correlate(np.float64(im), np.asarray(k)[:, :, np.newaxis], mode="nearest"), "ndimage.correlate"),
    ],
)
def test_correlate_color_one_call_is_named(capsys, answer, call):
    result, out = verdict(capsys, "04.2", answer)
    assert result is False and f"loop over the channels yourself, without {call}" in out


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
    assert result is False and "convolved" in out


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


def test_edge_strength_wrapped_by_astype(capsys):
    def wrapped(gray):
        gx = helpers.correlate(gray, helpers.KERNELS["sobel_x"])
        gy = helpers.correlate(gray, helpers.KERNELS["sobel_y"])
        return (np.abs(gx) + np.abs(gy)).astype(np.uint8)  # right on the notebook's gentle image only

    result, out = verdict(capsys, "04.3", wrapped)
    assert result is False and "wrapped around" in out and "rescale" not in out


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

"""The fence around a student's function (issue 20), exercise by exercise.

For every exercise whose answer is a function: a right answer written as the
lesson asks is accepted; correct answers in other styles are accepted; each
library twin and trick that would do the work is refused with a hint naming
the call; and a function that never returns gets one sentence within the time
limit. The fence's own mechanics (hooks restored, threads, allowances) follow.
"""
import functools
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest
import scipy.linalg
import scipy.stats
import skimage.feature
import skimage.restoration
import skimage.transform
from exercise_testing import verdict
from scipy import ndimage, signal

import helpers
import helpers.bandpass
import helpers.canny
import helpers.pyramids
from helpers import cnn, exercises, learning, noise
from helpers import integral as _integral  # noqa: F401 (helpers.integral, used below)
from helpers import matching as _matching  # noqa: F401 (helpers.matching, used below)
from helpers.exercises import _fence
from helpers.stripes import stripes

NUMPY_PAD = {"zero": "constant", "replicate": "edge", "reflect": "symmetric", "reflect101": "reflect", "wrap": "wrap"}


# --------------------------------------------------------------------------- right answers, as the lessons ask


def correlate_loop(image, kernel, border="replicate"):
    image, kernel = np.asarray(image, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    k_h, k_w = kernel.shape
    r_h, r_w = (k_h - 1) // 2, (k_w - 1) // 2
    padded = image if border == "valid" else np.pad(image, ((r_h, r_h), (r_w, r_w)), mode=NUMPY_PAD[border])
    out = np.zeros((padded.shape[0] - k_h + 1, padded.shape[1] - k_w + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(padded[i : i + k_h, j : j + k_w] * kernel)
    return out


def box_blur_at(image, row, col, size):
    h, w = (size, size) if np.ndim(size) == 0 else size
    return float(np.mean(image[row - h // 2 : row + h // 2 + 1, col - w // 2 : col + w // 2 + 1].astype(float)))


def output_size(n, k, padding, stride):
    padding = {"valid": 0, "same": (k - 1) // 2}.get(padding, padding)
    return (n + 2 * padding - k) // stride + 1


def turn_180(kernel):
    return np.asarray(kernel)[::-1, ::-1].copy()


def correlate_by_convolving(image, kernel):
    return helpers.convolve(image, np.asarray(kernel, dtype=float)[::-1, ::-1])


def pad_reflect(image, p):
    image = np.asarray(image)
    if p == 0:
        return image.copy()
    tall = np.concatenate([image[:p][::-1], image, image[-p:][::-1]], axis=0)
    return np.concatenate([tall[:, :p][:, ::-1], tall, tall[:, -p:][:, ::-1]], axis=1)


def correlate_color(image, kernel):
    return np.stack([correlate_loop(image[:, :, c], kernel) for c in range(image.shape[2])], axis=-1)


def edge_strength(gray):
    gx = helpers.correlate(gray, helpers.KERNELS["sobel_x"])
    gy = helpers.correlate(gray, helpers.KERNELS["sobel_y"])
    return helpers.to_uint8(np.abs(gx) + np.abs(gy), "clip")


def gaussian_kernel(size, sigma):
    offsets = np.arange(size) - size // 2
    x, y = np.meshgrid(offsets, offsets)
    weights = np.exp(-(x**2 + y**2) / (2 * sigma**2))
    return weights / weights.sum()


def gradient(gray):
    gx = helpers.correlate(gray, helpers.KERNELS["sobel_x"])
    gy = helpers.correlate(gray, helpers.KERNELS["sobel_y"])
    return np.sqrt(gx**2 + gy**2), np.arctan2(gy, gx)


def best_box_size(noisy, clean, sizes):
    scores = [noise.psnr(helpers.correlate(noisy, helpers.box(k)), clean) for k in sizes]
    return sizes[int(np.argmax(scores))]


IDENTITY = np.zeros((3, 3))
IDENTITY[1, 1] = 1.0
LAPLACIAN = np.array([[0.0, 1, 0], [1, -4, 1], [0, 1, 0]])


def sharpen_kernel(amount):
    return IDENTITY - amount * LAPLACIAN


def response_at(kernel, frequency):
    cosine, sine = stripes(frequency), stripes(frequency, phase=-np.pi / 2)
    out = helpers.correlate(cosine, kernel, border="wrap")
    a = np.sum(out * cosine) / np.sum(cosine * cosine)
    b = -np.sum(out * sine) / np.sum(sine * sine) if np.sum(sine * sine) > 1e-6 else 0.0
    return complex(a, b)


def output_at(sig, kernel, n):
    return sum(sig[j] * kernel[n - j] for j in range(len(sig)) if 0 <= n - j < len(kernel))


def mae_gradient(image, kernel, target):
    error = learning.predict(image, kernel) - target
    h, w = error.shape
    grad = np.zeros(kernel.shape)
    for m in range(kernel.shape[0]):
        for n in range(kernel.shape[1]):
            grad[m, n] = np.mean(np.sign(error) * image[m : m + h, n : n + w])
    return grad


def learn_5x5(image, target):
    kernel = np.zeros((5, 5))
    for _ in range(400):
        kernel = kernel - 0.1 * learning.mse_gradient(image, kernel, target)
    return kernel


def layer_output_shape(input_shape, weight_shape, stride, padding, dilation):
    n, _, height, width = input_shape
    c_out, _, k_h, k_w = weight_shape
    rows = (height + 2 * padding - dilation * (k_h - 1) - 1) // stride + 1
    cols = (width + 2 * padding - dilation * (k_w - 1) - 1) // stride + 1
    return (n, c_out, rows, cols)


def layer_by_hand(image, weights, bias):
    image, weights = np.asarray(image, dtype=float), np.asarray(weights, dtype=float)
    c_out, c_in, k, _ = weights.shape
    h, w = image.shape[1] - k + 1, image.shape[2] - k + 1
    out = np.zeros((c_out, h, w))
    for o in range(c_out):
        out[o] += bias[o]
        for c in range(c_in):
            for m in range(k):
                for n in range(k):
                    out[o] += weights[o, c, m, n] * image[c, m : m + h, n : n + w]
    return out


def field_of_view(kernel_sizes, dilations):
    return 1 + sum(d * (k - 1) for k, d in zip(kernel_sizes, dilations, strict=True))


def same_split(k, d):
    total = d * (k - 1)
    return total // 2, total - total // 2


def parameter_count(kernels, size, channels):
    return kernels * (size * size * channels + 1)


def multiplications(height, width):
    return height * width, height + width


def factor(kernel):
    u, s, vt = np.linalg.svd(np.asarray(kernel, dtype=float))
    if len(s) > 1 and s[1] > 1e-10 * s[0]:
        raise ValueError("kernel is not separable: its rank is above 1")
    return u[:, 0] * s[0], vt[0]


def fft_length(n, k):
    return n + k - 1


def ncc(window, template):
    w = np.asarray(window, dtype=float)
    t = np.asarray(template, dtype=float)
    w, t = w - w.mean(), t - t.mean()
    return float(np.sum(w * t) / (np.linalg.norm(w) * np.linalg.norm(t)))


def linear_and_shift_invariant(operation):
    rng = np.random.default_rng(7)
    a, b = rng.normal(size=(2, 10, 11))
    if not np.allclose(operation(3 * a - 4 * b), 3 * operation(a) - 4 * operation(b)):
        return False
    return bool(np.allclose(operation(np.roll(a, (2, -3), axis=(0, 1))), np.roll(operation(a), (2, -3), axis=(0, 1))))


def predicted_response(row, frequency):
    weights = np.asarray(row, dtype=float)
    taps = np.arange(weights.size) - weights.size // 2
    return complex(np.sum(weights * np.exp(2j * np.pi * frequency * taps)))


def input_gradient(output_gradient, kernel):
    g, kernel = np.asarray(output_gradient, dtype=float), np.asarray(kernel, dtype=float)
    k_h, k_w = kernel.shape
    grad = np.zeros((g.shape[0] + k_h - 1, g.shape[1] + k_w - 1))
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            grad[i : i + k_h, j : j + k_w] += g[i, j] * kernel
    return grad


def layer_matrix(kernel, image_shape):
    kernel = np.asarray(kernel, dtype=float)
    height, width = image_shape
    out_h, out_w = height - kernel.shape[0] + 1, width - kernel.shape[1] + 1
    matrix = np.zeros((out_h * out_w, height * width))
    for i in range(out_h):
        for j in range(out_w):
            for m in range(kernel.shape[0]):
                for n in range(kernel.shape[1]):
                    matrix[i * out_w + j, (i + m) * width + j + n] = kernel[m, n]
    return matrix


def field_with_strides(kernel_sizes, strides):
    field, jump = 1, 1
    for k, s in zip(kernel_sizes, strides, strict=True):
        field, jump = field + (k - 1) * jump, jump * s
    return field


def transposed_size(n, k, stride, padding, output_padding):
    return (n - 1) * stride - 2 * padding + k + output_padding


def strided_input_gradient(output_gradient, weights, stride, input_shape):
    # the formula of notebook 10: spread each G_o out, full convolution with W[o, c], add over o
    g, w = np.asarray(output_gradient, dtype=float), np.asarray(weights, dtype=float)
    spread = np.zeros((g.shape[0], (g.shape[1] - 1) * stride + 1, (g.shape[2] - 1) * stride + 1))
    spread[:, ::stride, ::stride] = g
    gradient = np.zeros((w.shape[1], *input_shape))
    for c in range(w.shape[1]):
        part = sum(signal.convolve2d(spread[o], w[o, c], mode="full") for o in range(w.shape[0]))
        gradient[c, : part.shape[0], : part.shape[1]] = part
    return gradient


def box_by_running_sums(image, k):
    sums = np.zeros((image.shape[0] + 1, image.shape[1] + 1))
    sums[1:, 1:] = np.asarray(image, dtype=float).cumsum(axis=0).cumsum(axis=1)
    return sums[k:, k:] - sums[:-k, k:] - sums[k:, :-k] + sums[:-k, :-k]


def fast_correlate(image, kernel, border):
    return correlate_by_shifts(image, kernel, border)


def dog_kernel(size, sigma, ratio):
    return helpers.gaussian(size, ratio * sigma) - helpers.gaussian(size, sigma)


def suppress(magnitude, direction):
    magnitude = np.asarray(magnitude, dtype=float)
    sector = np.round(np.mod(direction, np.pi) / (np.pi / 4)).astype(int) % 4
    steps = [(0, 1), (1, 1), (1, 0), (1, -1)]
    kept = np.zeros_like(magnitude)
    for i in range(1, magnitude.shape[0] - 1):
        for j in range(1, magnitude.shape[1] - 1):
            di, dj = steps[sector[i, j]]
            if magnitude[i, j] >= max(magnitude[i + di, j + dj], magnitude[i - di, j - dj]):
                kept[i, j] = magnitude[i, j]
    return kept


def bilateral_pixel(patch, sigma_space, sigma_range):
    patch = np.asarray(patch, dtype=float)
    r = patch.shape[0] // 2
    dy, dx = np.mgrid[-r : r + 1, -r : r + 1]
    w = np.exp(-(dy**2 + dx**2) / (2 * sigma_space**2)) * np.exp(-((patch - patch[r, r]) ** 2) / (2 * sigma_range**2))
    return float(np.sum(w * patch) / np.sum(w))


def pyramid_down(image):
    row = np.array([1, 4, 6, 4, 1]) / 16
    return helpers.correlate(image, np.outer(row, row), border="reflect101")[::2, ::2]


SOLUTIONS = {
    "02.2": box_blur_at, "02.3": output_size, "03.2": turn_180, "03.3": correlate_by_convolving,
    "04.0": correlate_loop, "04.1": pad_reflect, "04.2": correlate_color, "04.3": edge_strength,
    "05.1": gaussian_kernel, "05.2": gradient, "05.3": best_box_size, "05.5": sharpen_kernel,
    "06.1": response_at, "07.3": output_at, "08.1": mae_gradient, "08.2": learn_5x5,
    "09.1": layer_output_shape, "09.2": layer_by_hand, "09.3": field_of_view, "09.4": same_split,
    "09.5": parameter_count, "11.1": multiplications, "11.2": factor, "11.3": fft_length,
    "01.4": ncc, "03.4": linear_and_shift_invariant, "06.2": predicted_response, "08.3": input_gradient,
    "10.1": layer_matrix, "10.2": field_with_strides, "11.4": box_by_running_sums, "11.5": fast_correlate,
    "10.3": transposed_size, "10.4": strided_input_gradient,
    "12.1": dog_kernel, "12.2": suppress, "12.3": bilateral_pixel, "12.4": pyramid_down,
}
FUNCTION_KEYS = [key for key in exercises.exercise_keys() if exercises._EXERCISES[key].wants_function]


def test_every_function_exercise_has_a_solution_here():
    assert sorted(SOLUTIONS) == FUNCTION_KEYS


@pytest.mark.parametrize("key", FUNCTION_KEYS)
def test_the_solution_passes_inside_the_fence(capsys, key):
    result, out = verdict(capsys, key, SOLUTIONS[key])
    assert result is True, out


# --------------------------------------------------------------------------- correct answers in other styles


def _pad_for(image, kernel, border):
    r_h, r_w = (kernel.shape[0] - 1) // 2, (kernel.shape[1] - 1) // 2
    image = np.asarray(image, dtype=float)
    return image if border == "valid" else np.pad(image, ((r_h, r_h), (r_w, r_w)), mode=NUMPY_PAD[border])


def correlate_by_shifts(image, kernel, border="replicate"):
    """Sum of shifted, weighted copies: one loop over the kernel instead of the pixels."""
    kernel = np.asarray(kernel, dtype=float)
    padded = _pad_for(image, kernel, border)
    h, w = padded.shape[0] - kernel.shape[0] + 1, padded.shape[1] - kernel.shape[1] + 1
    out = np.zeros((h, w))
    for m in range(kernel.shape[0]):
        for n in range(kernel.shape[1]):
            out += kernel[m, n] * padded[m : m + h, n : n + w]
    return out


def correlate_by_windows(image, kernel, border="replicate"):
    kernel = np.asarray(kernel, dtype=float)
    windows = np.lib.stride_tricks.sliding_window_view(_pad_for(image, kernel, border), kernel.shape)
    return np.einsum("ijmn,mn->ij", windows, kernel)


ALTERNATIVES = [
    ("02.2", lambda im, r, c, s: float(np.sum(im[r - np.atleast_1d(s)[0] // 2 : r + np.atleast_1d(s)[0] // 2 + 1,
                                                 c - np.atleast_1d(s)[-1] // 2 : c + np.atleast_1d(s)[-1] // 2 + 1],
                                              dtype=float)) / np.prod(np.broadcast_to(s, 2))),
    ("03.2", lambda k: np.array([row[::-1] for row in np.asarray(k)[::-1]])),
    ("03.2", lambda k: np.asarray(k)[::-1][:, ::-1].copy()),
    ("03.3", lambda im, k: helpers.convolve(im, np.asarray(k, dtype=float)[::-1][:, ::-1])),
    ("04.0", correlate_by_shifts),
    ("04.0", correlate_by_windows),
    ("04.1", lambda im, p: pad_reflect(np.asarray(im).T, p).T),
    ("04.2", lambda im, k: np.dstack([helpers.correlate(im[:, :, c], k) for c in range(im.shape[2])])),
    ("04.2", lambda im, k: np.stack([cv2.filter2D(im[:, :, c].astype(float), -1, k, borderType=cv2.BORDER_REPLICATE)
                                     for c in range(im.shape[2])], axis=-1)),
    ("04.3", lambda g: np.clip(np.rint(np.abs(ndimage.sobel(g.astype(float), axis=1, mode="nearest"))
                                       + np.abs(ndimage.sobel(g.astype(float), axis=0, mode="nearest"))), 0, 255
                               ).astype(np.uint8)),
    ("05.1", lambda size, sigma: (lambda g: np.outer(g, g) / np.outer(g, g).sum())(
        np.exp(-((np.arange(size) - size // 2) ** 2) / (2 * sigma**2)))),
    ("05.2", lambda g: (lambda gx, gy: (np.hypot(gx, gy), np.arctan2(gy, gx)))(
        *helpers.gradients.sobel_gradients(np.asarray(g, dtype=float)))),
    ("07.3", lambda x, k, n: float(np.dot(np.asarray(x)[max(0, n - len(k) + 1) : n + 1],
                                          np.asarray(k)[::-1][max(0, len(k) - 1 - n) : len(k) - 1 - n + len(x)]
                                          [: len(np.asarray(x)[max(0, n - len(k) + 1) : n + 1])]))),
    ("01.4", lambda w, t: (lambda a, b: float(np.sum(a * b) / np.sqrt(np.sum(a * a) * np.sum(b * b))))(
        np.asarray(w, dtype=float) - np.mean(w), np.asarray(t, dtype=float) - np.mean(t))),
    ("08.3", lambda g, k: correlate_by_shifts(np.pad(np.asarray(g, dtype=float), [(np.shape(k)[0] - 1,) * 2,
                                                                                  (np.shape(k)[1] - 1,) * 2]),
                                              _turned(k), "valid")),
    ("10.1", lambda k, shape: np.stack([np.pad(np.asarray(k, dtype=float), [(i, shape[0] - np.shape(k)[0] - i),
                                                                            (j, shape[1] - np.shape(k)[1] - j)]).ravel()
                                        for i in range(shape[0] - np.shape(k)[0] + 1)
                                        for j in range(shape[1] - np.shape(k)[1] + 1)])),
    ("11.5", lambda im, k, b: correlate_by_windows(im, k, b)),
    ("11.2", lambda k: (lambda u, s, vt: (u[:, 0] * np.sqrt(s[0]), vt[0] * np.sqrt(s[0])))(
        *np.linalg.svd(np.asarray(k, dtype=float))) if np.linalg.matrix_rank(np.asarray(k, dtype=float)) == 1
        else (_ for _ in ()).throw(ValueError("not separable"))),
]


@pytest.mark.parametrize(("key", "answer"), ALTERNATIVES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(ALTERNATIVES)])
def test_a_correct_answer_in_another_style_is_accepted(capsys, key, answer):
    result, out = verdict(capsys, key, answer)
    assert result is True, out


# --------------------------------------------------------------------------- twins and tricks (issue 20's list)


def _turned(kernel):
    return np.asarray(kernel, dtype=float)[::-1, ::-1]


def _private_rot90():
    from numpy.lib import _function_base_impl

    return _function_base_impl.rot90


def _make_closure():
    f = helpers.correlate

    def closure(image, kernel, border="replicate"):
        return f(image, kernel, border=border)

    return closure


def _in_a_thread(image, kernel, border="replicate"):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(helpers.correlate, image, kernel, border=border).result()


TWINS = [
    # 04.0: the n-D twin, FFT convolution of the turned kernel, the CNN layer, a generic filter
    ("04.0", lambda im, k, b="replicate": signal.correlate(_pad_for(im, k, b), k, mode="valid"), "scipy.signal.correlate"),
    ("04.0", lambda im, k, b="replicate": signal.fftconvolve(_pad_for(im, k, b), _turned(k), mode="valid"),
     "scipy.signal.fftconvolve"),
    ("04.0", lambda im, k, b="replicate": signal.oaconvolve(_pad_for(im, k, b), _turned(k), mode="valid"),
     "scipy.signal.oaconvolve"),
    ("04.0", lambda im, k, b="replicate": cnn.conv2d_nchw(_pad_for(im, k, b)[None, None], np.asarray(k)[None, None])[0, 0],
     "helpers.cnn.conv2d_nchw"),
    ("04.0", lambda im, k, b="replicate": ndimage.generic_filter(_pad_for(im, k, b), lambda v: v @ np.ravel(k),
                                                                 size=np.shape(k))[
        (np.shape(k)[0] - 1) // 2 : _pad_for(im, k, b).shape[0] - (np.shape(k)[0] - 1) // 2,
        (np.shape(k)[1] - 1) // 2 : _pad_for(im, k, b).shape[1] - (np.shape(k)[1] - 1) // 2], "scipy.ndimage.generic_filter"),
    # 04.0: around the tripwires
    ("04.0", lambda im, k, b="replicate": helpers.correlate.__wrapped__(im, k, border=b)
     if hasattr(helpers.correlate, "__wrapped__") else helpers.correlate(im, k, border=b), "helpers.correlate"),
    ("04.0", lambda im, k, b="replicate", f=helpers.correlate: f(im, k, border=b), "helpers.correlate"),
    ("04.0", _make_closure(), "helpers.correlate"),
    ("04.0", functools.partial(lambda im, k, b="replicate", f=None: f(im, k, border=b), f=helpers.correlate),
     "helpers.correlate"),
    ("04.0", _in_a_thread, "helpers.correlate"),
    ("04.0", lambda im, k, b="replicate": helpers.convolution._filter(np.asarray(im, dtype=float), np.asarray(k, dtype=float),
                                                                       b, "vectorized"), "helpers.convolution._filter"),
    ("04.0", lambda im, k, b="replicate": correlate_by_shifts(im, k, "valid") if b == "valid" else correlate_by_windows(
        helpers.convolution._pad(np.asarray(im, dtype=float), np.shape(k), b), k, "valid"), "helpers.convolution._pad"),
    # 02.2
    ("02.2", lambda im, r, c, s: float(ndimage.convolve(im.astype(float), np.ones(np.broadcast_to(s, 2)) / np.prod(
        np.broadcast_to(s, 2)), mode="nearest")[r, c]), "scipy.ndimage.convolve"),
    ("02.2", lambda im, r, c, s: float(signal.convolve2d(im.astype(float), np.ones(np.broadcast_to(s, 2)) / np.prod(
        np.broadcast_to(s, 2)), mode="same", boundary="symm")[r, c]), "scipy.signal.convolve2d"),
    ("02.2", lambda im, r, c, s: float(cv2.sepFilter2D(im.astype(float), -1, np.ones(np.broadcast_to(s, 2)[1]) / np.broadcast_to(
        s, 2)[1], np.ones(np.broadcast_to(s, 2)[0]) / np.broadcast_to(s, 2)[0])[r, c]), "cv2.sepFilter2D"),
    ("02.2", lambda im, r, c, s: float(helpers.step_at(im.astype(float), np.ones(np.broadcast_to(s, 2)) / np.prod(
        np.broadcast_to(s, 2)), 0, border="replicate").value), "helpers.step_at"),
    # 03.2
    ("03.2", lambda k: cv2.flip(np.asarray(k, dtype=float), -1), "cv2.flip"),
    ("03.2", lambda k: cv2.rotate(np.asarray(k, dtype=float), cv2.ROTATE_180), "cv2.rotate"),
    ("03.2", lambda k: _private_rot90()(np.asarray(k), 2), "np.rot90"),
    ("03.2", lambda k: np.apply_over_axes(np.flip, np.asarray(k), [0, 1]), "np.flip"),
    # 04.2: the whole colour image at once, through convolve and the turned kernel
    ("04.2", lambda im, k: helpers.convolve(im, _turned(k)), "helpers.convolve"),
    # 05.1: the Gaussian read off a filtered impulse
    ("05.1", lambda size, sigma: np.outer(*[ndimage.gaussian_filter1d(np.eye(1, size, size // 2)[0], sigma,
                                                                      mode="constant", truncate=50)] * 2),
     "scipy.ndimage.gaussian_filter1d"),
    # 07.3: polynomial products, a recursive filter, a convolution matrix
    ("07.3", lambda x, k, n: np.polynomial.polynomial.polymul(x, k)[n], "np.polynomial.polynomial.polymul"),
    ("07.3", lambda x, k, n: signal.lfilter(k, [1.0], np.r_[x, np.zeros(len(k) - 1)])[n], "scipy.signal.lfilter"),
    ("07.3", lambda x, k, n: (scipy.linalg.convolution_matrix(k, len(x)) @ x)[n], "scipy.linalg.convolution_matrix"),
    # 01.4: the library's normalised scores
    ("01.4", lambda w, t: float(cv2.matchTemplate(np.float32(w), np.float32(t), cv2.TM_CCOEFF_NORMED)[0, 0]),
     "cv2.matchTemplate"),
    ("01.4", lambda w, t: float(helpers.matching.ncc_map(w, t)[0, 0]), "helpers.matching.ncc_map"),
    ("01.4", lambda w, t: float(np.corrcoef(np.ravel(w), np.ravel(t))[0, 1]), "np.corrcoef"),
    ("01.4", lambda w, t: float(scipy.stats.pearsonr(np.ravel(w), np.ravel(t))[0]), "scipy.stats.pearsonr"),
    # 03.4: a library shift instead of np.roll
    ("03.4", lambda f: (lambda x: bool(np.allclose(f(ndimage.shift(x, (2, -3), mode="grid-wrap", order=0)),
                                                   ndimage.shift(f(x), (2, -3), mode="grid-wrap", order=0))
                                       and np.allclose(f(2 * x - x[::-1]), 2 * f(x) - f(x[::-1]))))(
        np.random.default_rng(3).normal(size=(9, 10))), "scipy.ndimage.shift"),
    # 06.2: measuring the response, or reading it off a transform, instead of predicting it
    ("06.2", lambda row, f: helpers.stripes.measured_response(np.atleast_2d(np.asarray(row, dtype=float)), f, size=40),
     "helpers.stripes.measured_response"),
    ("06.2", lambda row, f: float(np.real(np.fft.fft(np.roll(np.r_[row, np.zeros(40 - len(row))], -(len(row) // 2))))[
        round(f * 40)]), "np.fft.fft"),
    ("06.2", lambda row, f: float(np.interp(f, *helpers.stripes.fourier_response(np.atleast_2d(
        np.asarray(row, dtype=float)), size=400))), "helpers.stripes.fourier_response"),
    # 08.3: the full convolution from a library, or the transposed layer matrix of notebook 10
    ("08.3", lambda g, k: signal.convolve2d(g, k, mode="full"), "signal.convolve2d"),
    ("08.3", lambda g, k: signal.oaconvolve(g, k, mode="full"), "scipy.signal.oaconvolve"),
    ("08.3", lambda g, k: (cnn.correlation_matrix(k, (g.shape[0] + np.shape(k)[0] - 1, g.shape[1] + np.shape(k)[1] - 1)
                           ).T @ np.ravel(g)).reshape(g.shape[0] + np.shape(k)[0] - 1, g.shape[1] + np.shape(k)[1] - 1),
     "helpers.cnn.correlation_matrix"),
    # 10.1: the lesson's matrix, or its columns from impulses through a correlator
    ("10.1", lambda k, shape: cnn.correlation_matrix(k, shape), "cnn.correlation_matrix"),
    ("10.1", lambda k, shape: np.stack([signal.correlate2d(np.eye(1, shape[0] * shape[1], p).reshape(shape), k,
                                                           mode="valid").ravel() for p in range(shape[0] * shape[1])],
                                       axis=1), "scipy.signal.correlate2d"),
    # 12.1-12.4: the lesson's own library calls
    ("12.1", lambda n, s, r: helpers.bandpass.dog_kernel(n, s, r), "helpers.bandpass.dog_kernel"),
    ("12.2", lambda m, d: helpers.canny.non_maximum_suppression(m, d), "helpers.canny.non_maximum_suppression"),
    ("12.2", lambda m, d: np.where(skimage.feature.canny(np.asarray(m, dtype=float), sigma=0), m, 0.0),
     "skimage.feature.canny"),
    ("12.3", lambda p, ss, sr: float(skimage.restoration.denoise_bilateral(
        np.asarray(p, dtype=float) / 255, win_size=np.shape(p)[0], sigma_color=sr / 255, sigma_spatial=ss,
        mode="reflect")[np.shape(p)[0] // 2, np.shape(p)[0] // 2] * 255), "skimage.restoration.denoise_bilateral"),
    ("12.3", lambda p, ss, sr: float(cv2.bilateralFilter(np.float32(p), np.shape(p)[0], sr, ss)[
        np.shape(p)[0] // 2, np.shape(p)[0] // 2]), "cv2.bilateralFilter"),
    ("12.4", lambda im: cv2.pyrDown(np.asarray(im, dtype=float)), "cv2.pyrDown"),
    ("12.4", lambda im: skimage.transform.pyramid_reduce(np.asarray(im, dtype=float), downscale=2, sigma=1,
                                                         preserve_range=True), "skimage.transform.pyramid_reduce"),
    ("12.4", lambda im: helpers.pyramids.pyr_down(im), "helpers.pyramids.pyr_down"),
    # 10.2: the helper that answers it
    ("10.2", lambda sizes, strides: cnn.receptive_field(sizes, strides=strides), "cnn.receptive_field"),
    # 10.3: the size of the lesson's transposed layer
    ("10.3", lambda n, k, s, p, op: cnn.conv_transpose2d(np.ones((1, n, 1)), np.ones((1, 1, k, 1)), stride=(s, 1),
                                                         padding=(p, 0), output_padding=(op, 0)).shape[1],
     "cnn.conv_transpose2d"),
    # 10.4: the lesson's gradient, its transposed layer, or a layer's matrix built from impulses
    ("10.4", lambda g, w, s, shape: cnn.conv2d_input_gradient(g, w, shape, stride=s), "cnn.conv2d_input_gradient"),
    ("10.4", lambda g, w, s, shape: cnn.conv_transpose2d(g, w, stride=s, output_padding=(
        (shape[0] - np.shape(w)[2]) % s, (shape[1] - np.shape(w)[3]) % s)), "cnn.conv_transpose2d"),
    ("10.4", lambda g, w, s, shape: np.reshape(np.stack([cnn.conv2d_nchw(np.eye(1, np.shape(w)[1] * shape[0] * shape[1], p)
                                                                         .reshape(np.shape(w)[1], *shape), w, stride=s).ravel()
                                                         for p in range(np.shape(w)[1] * shape[0] * shape[1])], axis=1).T
                                               @ np.ravel(g), (np.shape(w)[1], *shape)), "cnn.conv2d_nchw"),
    # 11.4: a library box, a library integral image, the series' own, every window at once
    ("11.4", lambda im, k: helpers.integral.box_sums(im, k), "helpers.integral.box_sums"),
    ("11.4", lambda im, k: (lambda s: s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k])(
        cv2.integral(np.asarray(im, dtype=np.float64))), "cv2.integral"),
    ("11.4", lambda im, k: cv2.boxFilter(np.asarray(im, dtype=np.float64), -1, (k, k), normalize=False,
                                         anchor=(0, 0), borderType=cv2.BORDER_CONSTANT
                                         )[: im.shape[0] - k + 1, : im.shape[1] - k + 1], "cv2.boxFilter"),
    ("11.4", lambda im, k: k * k * ndimage.uniform_filter(np.asarray(im, dtype=float), k, mode="constant")[
        k // 2 : k // 2 + im.shape[0] - k + 1, k // 2 : k // 2 + im.shape[1] - k + 1], "ndimage.uniform_filter"),
    ("11.4", lambda im, k: np.lib.stride_tricks.sliding_window_view(np.asarray(im, dtype=float), (k, k)).sum(axis=(2, 3)),
     "np.lib.stride_tricks.sliding_window_view"),
    # 11.5: the library correlators, whole
    ("11.5", lambda im, k, b: cv2.filter2D(np.asarray(im, dtype=float), cv2.CV_64F, k, borderType={
        "zero": cv2.BORDER_CONSTANT, "replicate": cv2.BORDER_REPLICATE, "reflect": cv2.BORDER_REFLECT,
        "reflect101": cv2.BORDER_REFLECT_101, "wrap": cv2.BORDER_WRAP}[b]), "cv2.filter2D"),
    ("11.5", lambda im, k, b: helpers.correlate(im, k, border=b), "helpers.correlate"),
    ("11.5", lambda im, k, b: ndimage.correlate(np.asarray(im, dtype=float), k, mode={
        "zero": "constant", "replicate": "nearest", "reflect": "reflect", "reflect101": "mirror", "wrap": "grid-wrap"}[b]),
     "ndimage.correlate"),
    # 08.2: least squares in one step
    ("08.2", lambda image, target: scipy.linalg.lstsq(
        np.lib.stride_tricks.sliding_window_view(image, (5, 5)).reshape(-1, 25), target.ravel())[0].reshape(5, 5),
     "scipy.linalg.lstsq"),
    ("08.2", lambda image, target: (lambda a: scipy.linalg.solve(a.T @ a, a.T @ target.ravel()).reshape(5, 5))(
        np.lib.stride_tricks.sliding_window_view(image, (5, 5)).reshape(-1, 25)), "scipy.linalg.solve"),
]


@pytest.mark.parametrize(("key", "answer", "call"), TWINS, ids=[f"{k}-{c}-{i}" for i, (k, _, c) in enumerate(TWINS)])
def test_a_twin_or_trick_is_refused_and_named(capsys, key, answer, call):
    result, out = verdict(capsys, key, answer)
    assert result is False, out
    assert f"without {call}" in out or f", {call}" in out or f"or {call}" in out, out
    assert out.count("\n") == 1 and "Traceback" not in out, out
    assert sys.getprofile() is None


# --------------------------------------------------------------------------- a function that never returns


@pytest.fixture
def short_limit(monkeypatch):
    monkeypatch.setattr(_fence, "TIME_LIMIT", 0.3)
    for entry in exercises._EXERCISES.values():
        monkeypatch.setattr(entry, "time_limit", None)
    return 0.3


@pytest.mark.parametrize("key", FUNCTION_KEYS)
def test_a_function_that_never_returns_gets_a_sentence_in_time(capsys, short_limit, key):
    def forever(*args, **kwargs):
        while True:
            pass

    started = time.perf_counter()
    result, out = verdict(capsys, key, forever)
    assert time.perf_counter() - started < 10 * short_limit + 1
    assert result is False and "still running after 0.3 seconds" in out and "while True" in out, out
    assert out.count("\n") == 1


def test_swallowing_the_interruption_does_not_keep_the_check_waiting(capsys, short_limit):
    def stubborn(*args, **kwargs):
        for _ in range(40):
            try:
                while True:
                    pass
            except BaseException:  # noqa: BLE001 (the student's bare except)
                continue
        return 0

    started = time.perf_counter()
    result, out = verdict(capsys, "09.3", stubborn)
    assert time.perf_counter() - started < 30
    assert result is False and "still running" in out, out


# --------------------------------------------------------------------------- the fence itself


def test_the_hooks_are_restored_after_every_kind_of_ending(capsys):
    before = (sys.getprofile(), threading._profile_hook)
    for answer in (correlate_loop, lambda *a: 1 / 0, lambda *a: sys.exit(), lambda *a: signal.correlate(a[0], a[1])):
        verdict(capsys, "04.0", answer)
        assert (sys.getprofile(), threading._profile_hook) == before


def test_switching_the_fence_off_is_refused(capsys):
    def switch_off(image, kernel, border="replicate"):
        sys.setprofile(None)
        return helpers.correlate(image, kernel, border=border)

    result, out = verdict(capsys, "04.0", switch_off)
    assert result is False and "without sys.setprofile" in out, out


def test_an_import_inside_the_function_is_free(capsys):
    def imports(image, kernel, border="replicate"):
        import scipy.special  # noqa: F401 (importing is not calling)

        return correlate_loop(image, kernel, border)

    assert verdict(capsys, "04.0", imports)[0] is True


def test_an_allowance_must_name_something_real():
    with pytest.raises(ValueError, match="np.no_such_function"):
        exercises.exercise("99.bad", wants_function=True, allows=["np.no_such_function"])


def test_a_new_exercise_without_an_allowance_gets_the_default_fence(capsys):
    key = "99.default"

    @exercises.exercise(key, wants_function=True)
    def check_double(function):
        return None if exercises.call_answer(function, 3) == 6 else "double it"

    try:
        assert verdict(capsys, key, lambda x: 2 * x)[0] is True
        result, out = verdict(capsys, key, lambda x: int(np.convolve([x], [2])[0]))
        assert result is False and "this exercise asks you to write this yourself, without np.convolve" in out, out
    finally:
        exercises._CHECKS.pop(key)
        exercises._EXERCISES.pop(key)


def test_result_returns_the_verdict_without_printing(capsys):
    assert exercises.result("04.0", correlate_loop) == (True, "Exercise 04.0: correct.")
    ok, message = exercises.result("04_0", lambda *a: signal.correlate(a[0], a[1]))
    assert ok is False and "without scipy.signal.correlate" in message
    assert exercises.result("04.0", None)[0] is False
    assert capsys.readouterr().out == ""


# --------------------------------------------------------------------------- one resolver (issue 32, item 2)


@pytest.mark.parametrize(("label", "expected"), [
    ("np.pad", np.pad),
    ("numpy.pad", np.pad),
    ("np.lib.stride_tricks.as_strided", np.lib.stride_tricks.as_strided),
    ("ndimage.correlate", ndimage.correlate),
    ("signal.correlate2d", signal.correlate2d),
    ("cnn.receptive_field", cnn.receptive_field),
    ("cv2.filter2D", cv2.filter2D),
    ("helpers.correlate", helpers.correlate),
    ("helpers.noise", noise),
    ("np.linalg", np.linalg),
])
def test_one_resolver_names_the_same_object_for_the_fence_and_the_tripwires(label, expected):
    assert _fence.resolve(label) is expected
    if not isinstance(expected, type(np)):
        owner, name = _fence.locate(exercises.ruled(label).target)
        assert getattr(owner, name) is expected


@pytest.mark.parametrize("label", ["np.no_such_function", "np.lib.no_such_module.pad", "no_such_package.f", "helpers.KERNELS.box"])
def test_the_resolver_refuses_a_name_that_names_nothing(label):
    with pytest.raises(ValueError, match="cannot find"):
        _fence.resolve(label)


def test_the_package_keeps_no_second_resolver():
    assert not hasattr(exercises, "_resolve") and not hasattr(exercises, "_ALIASES")


# --------------------------------------------------------------------------- issue 28: the fence's own bugs


def test_opencv_is_fenced_from_import_on_even_with_a_tripwire_in_its_place():
    """In a fresh interpreter, the first check run holds cv2.filter2D in a tripwire; a copy taken before is refused."""
    import subprocess
    import textwrap

    script = textwrap.dedent("""
        import cv2, numpy as np
        from helpers import exercises
        def loop(im, k, b="replicate", f2d=cv2.filter2D):
            flags = {"zero": 0, "replicate": 1, "reflect": 2, "reflect101": 4}
            if b == "wrap":
                r_h, r_w = k.shape[0] // 2, k.shape[1] // 2
                p = np.pad(np.asarray(im, dtype=float), ((r_h, r_h), (r_w, r_w)), mode="wrap")
                return f2d(p, cv2.CV_64F, k, borderType=0)[r_h:r_h + im.shape[0], r_w:r_w + im.shape[1]]
            if b == "valid":
                r_h, r_w = k.shape[0] // 2, k.shape[1] // 2
                return f2d(np.asarray(im, dtype=float), cv2.CV_64F, k)[r_h:im.shape[0] - r_h, r_w:im.shape[1] - r_w]
            return f2d(np.asarray(im, dtype=float), cv2.CV_64F, k, borderType=flags[b])
        def sums(im, k, integral=cv2.integral):
            s = integral(np.asarray(im, dtype=np.float64))
            return s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]
        print(exercises.result("04.0", loop)[1])
        print(exercises.result("11.5", loop)[1])
        print(exercises.result("11.4", sums)[1])
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=str(Path(helpers.__file__).parent.parent)).stdout
    lines = out.strip().splitlines()
    assert len(lines) == 3, out
    assert "without cv2.filter2D" in lines[0] and "without cv2.filter2D" in lines[1], out
    assert "without cv2.integral" in lines[2], out


def test_the_opencv_table_is_built_at_import():
    assert _fence._CV2_BUILTINS is not None
    assert _fence._CV2_BUILTINS[cv2.filter2D] == "cv2.filter2D" and _fence._CV2_BUILTINS[cv2.integral] == "cv2.integral"


_THROUGH_EXEC = """
def through_exec(image, kernel, border="replicate"):
    return helpers.correlate(image, kernel, border=border)
"""


def test_code_run_by_exec_is_judged_like_any_other_code(capsys):
    namespace = {"helpers": helpers}
    exec(compile(_THROUGH_EXEC, "<string>", "exec"), namespace)
    result, out = verdict(capsys, "04.0", namespace["through_exec"])
    assert result is False and "without helpers.correlate" in out, out

    def exec_inside(image, kernel, border="replicate"):
        found = {}
        exec("found['out'] = helpers.correlate(image, kernel, border=border)",
             {"helpers": helpers, "image": image, "kernel": kernel, "border": border, "found": found})
        return found["out"]

    result, out = verdict(capsys, "04.0", exec_inside)
    assert result is False and "without helpers.correlate" in out, out


def test_a_function_named_like_a_dispatcher_is_not_trusted(capsys):
    def my_dispatcher(image, kernel, border="replicate"):
        return helpers.correlate(image, kernel, border=border)

    result, out = verdict(capsys, "04.0", my_dispatcher)
    assert result is False and "without helpers.correlate" in out, out


def test_a_callback_handed_to_an_allowed_call_is_judged(capsys):
    """np.pad is allowed in 04.0; the student's padding function it calls back is the student's code."""
    def pad_with_a_library(vector, width, axis, options):
        vector[:] = ndimage.correlate1d(vector, [0.0, 1.0, 0.0], mode="nearest")

    def answer(image, kernel, border="replicate"):
        np.pad(np.ones(4), 1, mode=pad_with_a_library)
        return correlate_loop(image, kernel, border)

    result, out = verdict(capsys, "04.0", answer)
    assert result is False and "scipy.ndimage.correlate1d" in out, out

    def plain_callback(vector, width, axis, options):
        vector[: width[0]] = 0
        vector[vector.size - width[1]:] = 0

    def fine(image, kernel, border="replicate"):
        np.pad(np.ones(4), 1, mode=plain_callback)  # a callback of plain NumPy is free
        return correlate_loop(image, kernel, border)

    assert verdict(capsys, "04.0", fine)[0] is True


@pytest.mark.parametrize("how", ["__wrapped__", "default argument", "closure"])
def test_a_ruled_out_call_reached_around_its_tripwire_is_refused(capsys, how):
    corrcoef = np.corrcoef
    if how == "__wrapped__":
        def answer(w, t):
            f = getattr(np.corrcoef, "__wrapped__", np.corrcoef)
            return float(f(np.ravel(w), np.ravel(t))[0, 1])
    elif how == "default argument":
        def answer(w, t, f=np.corrcoef):
            return float(f(np.ravel(w), np.ravel(t))[0, 1])
    else:
        def answer(w, t):
            return float(corrcoef(np.ravel(w), np.ravel(t))[0, 1])
    result, out = verdict(capsys, "01.4", answer)
    assert result is False and "without np.corrcoef" in out, out


@pytest.mark.parametrize("captured", ["default argument", "closure"])
def test_a_call_ruled_out_on_colour_images_is_refused_when_captured_before(capsys, captured):
    """04.2 allows ndimage.correlate per channel; on the whole colour image it is ruled out, captured or not."""
    if captured == "default argument":
        def answer(im, k, f=ndimage.correlate):
            return f(im.astype(float), np.asarray(k, dtype=float)[:, :, None], mode="nearest")
    else:
        f = ndimage.correlate

        def answer(im, k):
            return f(im.astype(float), np.asarray(k, dtype=float)[:, :, None], mode="nearest")
    result, out = verdict(capsys, "04.2", answer)
    assert result is False and "without ndimage.correlate" in out, out


def test_the_time_limit_and_profile_switches_of_every_python_are_named():
    assert {"sys._setprofileallthreads", "sys._settraceallthreads", "signal.signal", "signal.setitimer",
            "signal.pthread_sigmask"} <= _fence.SWITCH_LABELS
    import signal as signals

    assert signals.setitimer in _fence._SWITCHES and signals.signal in _fence._SWITCHES
    if hasattr(sys, "_setprofileallthreads"):  # Python 3.12+ (Colab's)
        assert sys._setprofileallthreads in _fence._SWITCHES


@pytest.mark.parametrize("switch", ["setitimer", "signal", "pthread_sigmask", "alarm", "_setprofileallthreads"])
def test_switching_the_timer_or_every_threads_profile_off_is_refused(capsys, switch):
    import signal as signals

    calls = {
        "setitimer": lambda: signals.setitimer(signals.ITIMER_REAL, 0),
        "signal": lambda: signals.signal(signals.SIGALRM, signals.SIG_IGN),
        "pthread_sigmask": lambda: signals.pthread_sigmask(signals.SIG_BLOCK, [signals.SIGALRM]),
        "alarm": lambda: signals.alarm(0),
        "_setprofileallthreads": lambda: sys._setprofileallthreads(None),
    }
    if switch == "_setprofileallthreads" and not hasattr(sys, switch):
        pytest.skip("sys._setprofileallthreads is Python 3.12+")

    def answer(sizes, dilations):
        calls[switch]()
        return field_of_view(sizes, dilations)

    before = (signals.getsignal(signals.SIGALRM), signals.getitimer(signals.ITIMER_REAL))
    result, out = verdict(capsys, "09.3", answer)
    assert result is False and f"without {'sys' if switch.startswith('_') else 'signal'}.{switch}" in out, out
    assert (signals.getsignal(signals.SIGALRM), signals.getitimer(signals.ITIMER_REAL)) == before
    assert signals.pthread_sigmask(signals.SIG_BLOCK, []) == set() or signals.SIGALRM not in signals.pthread_sigmask(
        signals.SIG_BLOCK, [])
    assert sys.getprofile() is None


class _LateArray:
    """A result whose __array__ does the work with the library only when the check reads it."""

    def __init__(self, image, kernel, border):
        self.args = image, kernel, border

    def __array__(self, dtype=None, copy=None):
        image, kernel, border = self.args
        return np.asarray(helpers.correlate(image, kernel, border=border), dtype=dtype)


def test_a_result_read_later_is_read_inside_the_fence(capsys):
    result, out = verdict(capsys, "04.0", lambda im, k, b="replicate": _LateArray(im, k, b))
    assert result is False and "without helpers.correlate" in out, out
    # an honest array-like result is read as its numbers
    class Honest:
        def __init__(self, values):
            self.values = values

        def __array__(self, dtype=None, copy=None):
            return np.asarray(self.values, dtype=dtype)

    assert verdict(capsys, "04.0", lambda im, k, b="replicate": Honest(correlate_loop(im, k, b)))[0] is True


class _AlwaysEqual(int):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = int.__hash__


@pytest.mark.parametrize("key", ["09.3", "10.2", "02.3", "11.3"])
def test_an_integer_is_compared_by_its_value_not_its_own_equality(capsys, key):
    solution = SOLUTIONS[key]
    result, out = verdict(capsys, key, lambda *a: _AlwaysEqual(solution(*a) + 5))
    assert result is False, out
    assert verdict(capsys, key, lambda *a: _AlwaysEqual(solution(*a)))[0] is True


def test_replacing_numpys_comparisons_is_refused_and_undone(capsys):
    allclose, array_equal = np.allclose, np.array_equal

    def liar(image, kernel, border="replicate"):
        np.allclose = lambda *a, **k: True
        np.array_equal = lambda *a, **k: True
        return np.zeros(np.shape(image))

    result, out = verdict(capsys, "04.0", liar)
    assert result is False and "np.allclose" in out and "np.array_equal" in out, out
    assert np.allclose is allclose and np.array_equal is array_equal


def test_the_checks_compare_with_numpys_own_even_when_the_notebook_replaced_it(capsys, monkeypatch):
    fake = lambda *a, **k: True  # noqa: E731 (a notebook's earlier cell)
    monkeypatch.setattr(np, "allclose", fake)
    monkeypatch.setattr(np, "array_equal", fake)
    result, out = verdict(capsys, "03.2", lambda k: np.asarray(k)[::-1].copy())
    assert result is False, out
    assert np.allclose is fake and np.array_equal is fake  # the notebook's own names are left as they were


class _StudentsOwnError(BaseException):
    pass


def _raiser(error):
    def answer(*args, **kwargs):
        raise error
    return answer


@pytest.mark.parametrize(("error", "words"), [
    (GeneratorExit(), "raised GeneratorExit"),
    (_StudentsOwnError("stop"), "raised _StudentsOwnError: stop"),
    (_fence.Switched("sys.setprofile"), "raised Switched"),
    (_fence.TimeUp(), "raised TimeUp"),
    (exercises._Tripped("np.rot90"), "raised _Tripped"),
    (exercises.Hint("correct"), "raised Hint: correct"),
])
def test_any_exception_of_the_students_is_one_sentence_naming_it(capsys, error, words):
    for key in ("04.0", "09.3"):
        result, out = verdict(capsys, key, _raiser(error))
        assert result is False and words in out and "returned None" not in out, out
        assert out.count("\n") == 1 and "Traceback" not in out, out


def test_a_students_hint_in_a_value_answer_is_not_printed_as_the_hint(capsys):
    class Sly(list):
        def __len__(self):
            raise exercises.Hint("correct")

    result, out = verdict(capsys, "05.4", Sly([[[0] * 3] * 3, [[0] * 3] * 3]))
    assert result is False and "raised Hint: correct" in out, out


def test_keyboard_interrupt_still_stops_the_cell():
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        exercises.result("04.0", interrupted)
    assert sys.getprofile() is None


def test_a_long_single_step_is_named_as_what_was_running():
    try:
        raise _fence.TimeUp
    except _fence.TimeUp as caught:
        error = caught
    late = exercises._overran_text("your function", 5.0, 14.2, error)
    assert "ran for 14 seconds" in late and "single long step" in late and "matrix product" in late, late
    assert "a loop that never ends" not in late
    on_time = exercises._overran_text("your function", 5.0, 5.3, error)
    assert "still running after 5 seconds" in on_time and "while loop" in on_time


def test_the_timer_records_how_late_its_first_interruption_came():
    ran_out = [False]
    started = time.perf_counter()
    with pytest.raises(_fence.TimeUp), _fence.time_limit(0.1, ran_out):
        while True:
            pass
    assert ran_out[0] is True and 0.1 <= ran_out[1] <= time.perf_counter() - started


# --------------------------------------------------------------------------- issue 28: unfenced twins and gaps


@pytest.mark.parametrize(("answer", "call"), [
    (lambda w, t: float(np.cov(np.ravel(w), np.ravel(t))[0, 1] / np.sqrt(np.cov(np.ravel(w)) * np.cov(np.ravel(t)))),
     "np.cov"),
    (lambda w, t: float(np.ma.corrcoef(np.ravel(w), np.ravel(t))[0, 1]), "np.ma.corrcoef"),
    (lambda w, t: __import__("statistics").correlation(list(np.ravel(w).astype(float)), list(np.ravel(t).astype(float))),
     "statistics.correlation"),
    (lambda w, t: __import__("statistics").covariance(list(np.ravel(w).astype(float)), list(np.ravel(t).astype(float)))
     / float(np.std(w, ddof=1) * np.std(t, ddof=1)), "statistics.covariance"),
])
def test_numpys_and_pythons_statistics_are_fenced_in_01_4(capsys, answer, call):
    result, out = verdict(capsys, "01.4", answer)
    assert result is False and f"without {call}" in out, out


def test_pythons_statistics_for_the_means_stay_allowed_in_01_4(capsys):
    import statistics

    def by_pstdev(w, t):
        w, t = np.ravel(w).astype(float), np.ravel(t).astype(float)
        mw, mt = statistics.fmean(w), statistics.fmean(t)
        return float(np.sum((w - mw) * (t - mt)) / (w.size * statistics.pstdev(w) * statistics.pstdev(t)))

    result, out = verdict(capsys, "01.4", by_pstdev)
    assert result is True, out


def test_strided_windows_summed_are_fenced_in_11_4(capsys):
    def strided(im, k):
        im = np.ascontiguousarray(im, dtype=float)
        shape = (im.shape[0] - k + 1, im.shape[1] - k + 1, k, k)
        return np.lib.stride_tricks.as_strided(im, shape, im.strides * 2).sum(axis=(2, 3))

    result, out = verdict(capsys, "11.4", strided)
    assert result is False and "without np.lib.stride_tricks.as_strided" in out, out


def test_a_3d_turned_kernel_through_ndimage_convolve_is_fenced_in_04_2(capsys):
    result, out = verdict(capsys, "04.2", lambda im, k: ndimage.convolve(
        im.astype(float), np.asarray(k, dtype=float)[::-1, ::-1, None], mode="nearest"))
    assert result is False and "without ndimage.convolve" in out, out
    per_channel = lambda im, k: np.stack([ndimage.convolve(im[:, :, c].astype(float), np.asarray(k)[::-1, ::-1],  # noqa: E731
                                                           mode="nearest") for c in range(im.shape[2])], axis=-1)
    assert verdict(capsys, "04.2", per_channel)[0] is True


def test_turning_the_callers_kernel_in_place_is_noticed_in_03_3(capsys):
    def turns_in_place(image, kernel):
        kernel[:] = kernel[::-1, ::-1].copy()
        return helpers.convolve(image, kernel)

    result, out = verdict(capsys, "03.3", turns_in_place)
    assert result is False and "changed the kernel it was given" in out, out


def test_zeroing_the_callers_image_after_computing_is_noticed_in_04_2(capsys):
    def zeroes(image, kernel):
        out = correlate_color(image, kernel)
        image[...] = 0
        return out

    result, out = verdict(capsys, "04.2", zeroes)
    assert result is False and "changed the image it was given" in out, out


def test_a_kernel_bank_changed_earlier_in_the_notebook_is_noticed_in_05_2(capsys, monkeypatch):
    monkeypatch.setitem(helpers.KERNELS, "sobel_x", -helpers.KERNELS["sobel_x"])
    result, out = verdict(capsys, "05.2", gradient)  # the right code, on a bank a cell earlier changed
    assert result is False and "helpers.KERNELS['sobel_x']" in out and "earlier" in out, out


def test_changing_the_kernel_bank_inside_the_answer_is_noticed(capsys):
    saved = helpers.KERNELS["sobel_x"]

    def changes_bank(gray):
        helpers.KERNELS["sobel_x"] = np.zeros((3, 3))
        return gradient(gray)

    try:
        result, out = verdict(capsys, "05.2", changes_bank)
    finally:
        helpers.KERNELS["sobel_x"] = saved
    assert result is False and "changed helpers.KERNELS['sobel_x']" in out, out


@pytest.mark.parametrize("form", ["swapped", "transposed", "both transposed and swapped", "turned"])
def test_the_notebooks_own_pair_in_disguise_is_refused_in_05_4(capsys, form):
    from helpers.exercises.nb05 import SHOWN_PAIR

    a, b = (np.array(p) for p in SHOWN_PAIR)
    pair = {"swapped": (b, a), "transposed": (a.T, b.T), "both transposed and swapped": (b.T, a.T),
            "turned": (np.rot90(a), np.rot90(b))}[form]
    result, out = verdict(capsys, "05.4", pair)
    assert result is False and "notebook's pair" in out, out


def test_a_pair_of_ones_own_is_still_accepted_in_05_4(capsys):
    a = np.array([[0, 0, 9], [0, 9, 0], [9, 0, 0]])
    b = np.array([[9, 9, 0], [0, 0, 9], [0, 0, 0]])
    assert np.median(a + b) != np.median(a) + np.median(b)
    assert verdict(capsys, "05.4", (a, b))[0] is True


def test_a_kernel_that_only_moves_the_stripes_is_refused_in_06_3(capsys):
    # one pixel to the side: a quarter period of the period-4 stripes, so nothing stays in phase
    mover = [[0.0, 0.0, 1.0]]
    result, out = verdict(capsys, "06.3", mover)
    assert result is False and "moved sideways" in out, out
    assert verdict(capsys, "06.3", [[0.25, 0.0, 0.5, 0.0, 0.25]])[0] is True


def test_a_whole_number_matrix_is_refused_in_10_1(capsys):
    def whole_numbers(kernel, shape):
        return layer_matrix(kernel, shape).astype(np.int64)

    result, out = verdict(capsys, "10.1", whole_numbers)
    assert result is False and "cut to a whole number" in out, out


# --------------------------------------------------------------------------- issue 28: right answers refused


def output_at_by_antidiagonal(x, k, n):
    products = np.fliplr(np.outer(np.asarray(x, dtype=float), np.asarray(k, dtype=float)))
    return float(np.trace(products, offset=len(k) - 1 - n))


def field_by_composing(kernel_sizes, dilations):
    reach = np.ones(1)
    for size, d in zip(kernel_sizes, dilations, strict=True):
        taps = np.zeros(d * (size - 1) + 1)
        taps[::d] = 1
        reach = np.convolve(reach, taps)
    return len(reach)


@pytest.mark.parametrize(("key", "answer"), [
    ("03.3", lambda im, k: helpers.convolve(im, np.rot90(np.asarray(k, dtype=float), 2))),
    ("03.3", lambda im, k: helpers.convolve(im, np.flip(np.asarray(k, dtype=float)))),
    ("03.3", lambda im, k: helpers.convolve(im, np.flipud(np.fliplr(np.asarray(k, dtype=float))))),
    ("05.2", lambda g: (lambda gx, gy: (np.linalg.norm(np.stack([gx, gy]), axis=0), np.arctan2(gy, gx)))(
        helpers.correlate(g, helpers.KERNELS["sobel_x"]), helpers.correlate(g, helpers.KERNELS["sobel_y"]))),
    ("05.2", lambda g: (lambda gx, gy: (np.hypot(gx, gy), np.arctan2(gy, gx)))(
        helpers.correlate(g, helpers.KERNELS["sobel_x"]), helpers.correlate(g, helpers.KERNELS["sobel_y"]))),
    ("07.3", output_at_by_antidiagonal),
    ("09.3", field_by_composing),
    ("06.2", lambda row, f: np.complex64(predicted_response(np.asarray(row, dtype=np.float32), np.float32(f)))),
    ("11.5", lambda im, k, b: correlate_by_shifts(np.asarray(im, dtype=np.float32), np.asarray(k, dtype=np.float32),
                                                  b).astype(np.float32)),
], ids=["03.3-rot90", "03.3-flip", "03.3-flipud-fliplr", "05.2-norm", "05.2-hypot", "07.3-fliplr", "09.3-convolve",
        "06.2-float32", "11.5-float32"])
def test_a_right_answer_that_does_not_skip_the_point_is_accepted(capsys, key, answer):
    result, out = verdict(capsys, key, answer)
    assert result is True, out


# --------------------------------------------------------------------------- issue 28: hints that name the cause


def test_a_shift_in_the_wrong_direction_is_named_in_03_4(capsys):
    def wrong_direction(f):
        rng = np.random.default_rng(5)
        x, y = rng.normal(size=(2, 9, 10))
        if not np.allclose(f(2 * x - 3 * y), 2 * f(x) - 3 * f(y)):
            return False
        return bool(np.allclose(f(np.roll(x, (2, 1), axis=(0, 1))), np.roll(f(x), (-2, -1), axis=(0, 1))))

    result, out = verdict(capsys, "03.4", wrong_direction)
    assert result is False and "same direction" in out and "np.allclose, not ==" not in out, out


def test_an_integer_output_is_named_in_11_5(capsys):
    def whole(image, kernel, border):
        out = np.zeros(np.shape(image), dtype=int)
        out[...] = correlate_by_shifts(image, kernel, border)
        return out

    result, out = verdict(capsys, "11.5", whole)
    assert result is False and "dtype int64" in out and "np.pad mode" not in out and "pad kh" not in out, out


def test_a_scaled_kernel_is_named_in_11_5(capsys):
    result, out = verdict(capsys, "11.5", lambda im, k, b: correlate_by_shifts(im, np.asarray(k) / np.sum(np.abs(k)), b))
    assert result is False and "times the right one" in out and "pad kh" not in out, out


def test_a_scaled_output_is_named_in_07_3_not_blamed_on_the_edges(capsys):
    result, out = verdict(capsys, "07.3", lambda x, k, n: 1.5 * output_at(x, k, n))
    assert result is False and "1.5 times the right one" in out and "hangs over an end" not in out, out

    def edges_wrong(x, k, n):  # the signal's end values repeated past its ends, instead of zeros
        return float(sum(x[min(max(j, 0), len(x) - 1)] * k[n - j] for j in range(n - len(k) + 1, n + 1)))

    result, out = verdict(capsys, "07.3", edges_wrong)
    assert result is False and "hangs over an end" in out, out

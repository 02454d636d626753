"""Issue 21, "Hardening II": each case below gave a wrong answer, a raw error or a hang before.

No NaN or infinity from a sum whose exact value is finite, image files that
cannot hang or explode, sizes refused before allocating, and every message
naming the argument it is about.
"""
import os
import struct
import sys
import threading
import warnings
import zlib

import cv2
import numpy as np
import PIL.Image
import pytest

import helpers
from helpers import cnn, exercises, gradients, kernels, learning, noise, signals, spectra
from helpers.widgets import (
    Explorer1D,
    Playground,
    PlaygroundSettings,
    StepThrough,
    difference_image,
    kernel_html,
)
from helpers.widgets.explorer_1d import slide_text
from helpers.widgets.playground import run_playground
from helpers.widgets.step_through import step_html

ALL_METHODS = [m for m in helpers.METHODS if m not in ("separable", "banded")]  # the kernels below have full rank


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --------------------------------------------------------------------------- 1. no NaN from a finite result


@pytest.mark.parametrize("method", ALL_METHODS)
def test_the_issue_example_is_finite_and_right_with_every_method(method, no_warnings):
    # The exact example of the issue: 1e305 everywhere, an 11×11 kernel of about 1e-8.
    image = np.full((260, 260), 1e305)
    kernel = np.random.default_rng(0).normal(size=(11, 11)) * 1e-8
    result = helpers.correlate(image[:40] if method == "loop" else image, kernel, method=method)
    # A flat image with "replicate" borders gives 1e305 · sum(K) at every pixel (a sum in exact arithmetic).
    expected = 1e305 * float(np.sum(kernel))
    assert np.all(np.isfinite(result))
    np.testing.assert_allclose(result, expected, rtol=1e-12 * np.abs(kernel).sum() / abs(kernel.sum()))


@pytest.mark.parametrize("scale", [1e300, 1e-300, 1e-310])
@pytest.mark.parametrize("shape", [(260, 260), (260, 260, 3), (40, 300)])
def test_every_method_agrees_with_the_direct_sum_at_extreme_scales(scale, shape, no_warnings):
    rng = np.random.default_rng(1)
    image = rng.uniform(-1, 1, size=shape) * scale
    kernel = rng.normal(size=(11, 11)) * (1e-3 if scale > 1 else 1e3)
    direct = helpers.correlate(image, kernel, border="reflect", method="vectorized")
    peak = np.abs(image).max() * np.abs(kernel).sum()
    for method in ("auto", "fft", "opencv"):
        result = helpers.correlate(image, kernel, border="reflect", method=method)
        assert np.all(np.isfinite(result)), method
        # float64 keeps 1e-16 of the size of the sums; subnormal results keep 5e-324 absolutely.
        np.testing.assert_allclose(result, direct, rtol=0, atol=1e-12 * peak + 1e-320, err_msg=method)


def test_auto_never_picks_a_path_that_overflows(no_warnings):
    # 300×300 with an 11×11 kernel: "auto" chooses the FFT (padded size 257-320), whose sums were the largest.
    image = np.full((300, 300), 1e305)
    kernel = np.full((11, 11), 1e-8)
    result = helpers.correlate(image, kernel)
    np.testing.assert_allclose(result, 1e305 * 121e-8, rtol=1e-12)


def test_results_past_the_limit_are_still_refused_by_every_method():
    image = np.full((30, 30), 1e300)
    for method in helpers.METHODS:
        with pytest.raises(ValueError, match="image and kernel give results too large"):
            helpers.correlate(image, np.ones((3, 3)), method=method)


# --------------------------------------------------------------------------- 2. overflow and underflow elsewhere


def test_gradient_magnitude_neither_overflows_nor_underflows(no_warnings):
    np.testing.assert_allclose(gradients.gradient_magnitude([1e200], [1e200]), [np.sqrt(2) * 1e200])
    np.testing.assert_allclose(gradients.gradient_magnitude([3e-200], [4e-200]), [5e-200])
    with pytest.raises(ValueError, match="gx and gy are too large"):
        gradients.gradient_magnitude([1.5e308], [1.5e308])


@pytest.mark.parametrize(
    ("call", "names"),
    [
        (lambda: helpers.apply_kernel([[1e300, 1e300]], [[1e10, -1e10]]), ("patch", "kernel")),
        (lambda: signals.slide_1d([1e300, 1e300], [1e10, -1e10], 1), ("signal", "kernel")),
        (lambda: cnn.conv2d_nchw(np.full((1, 1, 3, 3), 1e300), np.full((1, 1, 1, 1), 1e10)), ("input", "weights")),
        (lambda: learning.predict(np.full((3, 3), 1e300), np.full((1, 1), 1e10)), ("image", "kernels")),
        (lambda: learning.mse_loss(np.full((3, 3), 1e200), np.ones((1, 1)), np.zeros((3, 3))), ("image", "targets")),
        (lambda: noise.mse(np.full((3, 3), 1e200), np.zeros((3, 3))), ("result", "clean")),
    ],
    ids=["apply_kernel", "slide_1d", "conv2d_nchw", "predict", "mse_loss", "noise.mse"],
)
def test_sums_that_could_overflow_are_refused_by_name(call, names, no_warnings):
    # Each of these used to give inf (or NaN) with only a RuntimeWarning.
    with pytest.raises(ValueError) as error:
        call()
    assert all(name in str(error.value) for name in names), str(error.value)


def test_large_and_tiny_differences_square_without_spurious_overflow(no_warnings):
    # mean((a - b)²) = 1e200 fits in float64 though no step may square 1e154 or more unscaled.
    assert noise.mse(np.full((2, 2), 1e100), np.zeros((2, 2))) == pytest.approx(1e200)
    assert noise.mse([[1e-100]], [[0.0]]) == pytest.approx(1e-200)
    assert learning.mse_loss(np.full((3, 3), 1e100), np.ones((1, 1)), np.zeros((3, 3))) == pytest.approx(1e200)
    np.testing.assert_allclose(learning.mse_gradient(np.full((3, 3), 1e100), np.ones((1, 1)), np.zeros((3, 3))),
                               [[2e200]])
    # (1e308 - (-1e308))² = 4e616 does not fit: refused by name, not inf.
    with pytest.raises(ValueError, match="result and clean"):
        noise.mse([[1e308]], [[-1e308]])
    # The PSNR of a tiny error is finite: 10·log10(255² / 1e-400) = 48.13 + 4000 dB.
    assert noise.psnr([[1e-200]], [[0.0]]) == pytest.approx(10 * np.log10(255.0**2) + 4000)


def test_a_gradient_too_large_to_represent_is_refused():
    with pytest.raises(ValueError, match="gradient too large"):
        learning.mse_gradient(np.full((3, 3), 1e300), np.full((1, 1), 1e-300), np.full((3, 3), -1e300))


# --------------------------------------------------------------------------- 3. image files


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def test_a_tiny_png_claiming_ten_billion_pixels_is_refused_from_its_header(tmp_path):
    header = struct.pack(">IIBBBBB", 100000, 100000, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 10)) + _chunk(b"IEND", b"")
    path = tmp_path / "bomb.png"
    path.write_bytes(png)
    assert len(png) == 68
    with pytest.raises(ValueError, match=r"bomb\.png.*100000×100000 pixels"):
        helpers.load_image(path)


def test_a_large_jpeg_is_not_taken_for_a_decompression_bomb(tmp_path, monkeypatch):
    # Pillow's guard refuses more than 2 × MAX_IMAGE_PIXELS; lowered here, a 512×512 photo is "large".
    picture = helpers.load_image("camera")
    path = tmp_path / "large.jpg"
    cv2.imwrite(str(path), picture)
    monkeypatch.setattr(PIL.Image, "MAX_IMAGE_PIXELS", 1000)
    loaded = helpers.load_image(path)
    assert loaded.shape == picture.shape and np.abs(loaded.astype(int) - picture).mean() < 3
    assert PIL.Image.MAX_IMAGE_PIXELS == 1000  # put back


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_fifo_named_like_an_image_is_refused_without_waiting(tmp_path):
    path = tmp_path / "x.png"
    os.mkfifo(path)  # opening it for reading would wait for a writer for ever
    outcome = []

    def load():
        try:
            helpers.load_image(path)
        except Exception as error:  # noqa: BLE001 - whatever it is, the test looks at it below
            outcome.append(error)

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # stuck in open(): give it a writer that leaves at once, so it ends
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=10)
        pytest.fail("load_image waited on a named pipe")
    assert len(outcome) == 1 and isinstance(outcome[0], ValueError), outcome
    assert "x.png" in str(outcome[0]) and "not a regular file" in str(outcome[0])


@pytest.mark.parametrize("gray", [True, False])
def test_a_damaged_jpeg_is_refused_not_garbled(tmp_path, gray):
    ok, encoded = cv2.imencode(".jpg", helpers.load_image("camera"))
    data = bytearray(encoded.tobytes())
    middle = len(data) // 2
    for i in range(middle, middle + 40):  # damage the coded data, keep the length and the end marker
        data[i] ^= 0x5A
    path = tmp_path / "damaged.jpg"
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"damaged\.jpg.*truncated or damaged.*Corrupt JPEG data"):
        helpers.load_image(path, gray=gray)


def test_a_float_tiff_is_refused_with_what_is_wrong(tmp_path):
    path = tmp_path / "float.tif"
    assert cv2.imwrite(str(path), np.linspace(0, 1, 64, dtype=np.float32).reshape(8, 8))
    with pytest.raises(ValueError, match=r"float\.tif.*32-bit floating-point") as error:
        helpers.load_image(path)
    assert "unknown format" not in str(error.value)


def test_a_file_that_is_fine_still_loads_and_stderr_is_left_alone(tmp_path, capfd):
    path = tmp_path / "fine.jpg"
    cv2.imwrite(str(path), helpers.load_image("astronaut", gray=False)[:, :, ::-1])
    assert helpers.load_image(path, gray=False).shape == (512, 512, 3)
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


# --------------------------------------------------------------------------- 4. the playground


@pytest.mark.parametrize("crop", [1, 2, np.uint8(7), np.uint8(200)])
def test_run_playground_answers_odd_crops_with_a_result_or_a_message(crop):
    result = run_playground(PlaygroundSettings(crop=crop))
    assert result.ok or result.message


def test_unsharp_with_a_huge_amount_is_computed():
    result = run_playground(PlaygroundSettings(kernel="unsharp", amount=1e200, crop=32))
    assert result.ok, result.message
    assert "NaN or infinity" not in result.message


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: Playground(PlaygroundSettings(border="Reflect")), "settings.border"),
        (lambda: Playground(PlaygroundSettings(kernel="nope")), "settings.kernel"),
        (lambda: Playground(PlaygroundSettings(crop=17)), "settings.crop"),
        (lambda: Playground(PlaygroundSettings(sigma=50.0)), "settings.sigma"),
        (lambda: StepThrough(kernel="nope"), "kernel"),
        (lambda: StepThrough(border="Zero"), "border"),
        (lambda: Explorer1D(signal="nope"), "signal"),
        (lambda: Explorer1D(kernel="nope"), "kernel"),
    ],
)
def test_widget_constructors_name_the_setting(make, name):
    with pytest.raises(ValueError, match=name):
        make()


# --------------------------------------------------------------------------- 5. sizes without a bound


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: spectra.frequency_response([[1.0]], size=10**6), "size"),
        (lambda: spectra.frequencies(10**13), "size"),
        (lambda: cnn.conv2d_nchw(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)), padding=10**5), "padding"),
        (lambda: kernels.box(10**6 + 1), "size"),
        (lambda: kernels.gaussian(10**6 + 1, 0.5), "size"),
        (lambda: helpers.pad_for_kernel(np.ones((3, 3)), (10**6 + 1, 10**6 + 1), "zero"), "kernel_shape"),
        (lambda: learning.windows(np.ones((1000, 1000)), 501), "size"),
    ],
    ids=["frequency_response", "frequencies", "conv2d_nchw", "box", "gaussian", "pad_for_kernel", "windows"],
)
def test_sizes_that_cannot_fit_are_refused_before_allocating(call, name):
    with pytest.raises(ValueError, match=f"{name} is too large.*GiB"):
        call()


# --------------------------------------------------------------------------- 6. messages that name the argument


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: kernels.gaussian(5, 10**400), ValueError, "sigma is too large"),
        (lambda: kernels.unsharp(5, 1.0, 10**400), ValueError, "amount is too large"),
        (lambda: noise.add_gaussian_noise(np.zeros((4, 4)), 10**400), ValueError, "sigma is too large"),
        (lambda: noise.add_gaussian_noise(np.zeros((4, 4)), 5, seed=-1), ValueError, "seed must be"),
        (lambda: noise.add_salt_and_pepper(np.zeros((4, 4)), 0.1, seed=-1), ValueError, "seed must be"),
        (lambda: learning.fit_kernels(np.zeros((8, 8)), np.zeros((6, 6)), seed=-1), ValueError, "seed must be"),
        (lambda: learning.correlate_relu_pool(np.zeros((8, 8)), 3.5), TypeError, "kernels must be a list"),
        (lambda: learning.correlate_relu_pool(np.zeros((8, 8)), np.ones((3, 3))), ValueError, "one 2-D kernel"),
        (lambda: helpers.pad_for_kernel(np.zeros((4, 4)), np.array(3), "zero"), TypeError, "kernel_shape"),
        (lambda: cnn.receptive_field([3, 3], dilations=np.array(2)), TypeError, "dilations"),
        (lambda: cnn.receptive_field(np.array(3)), TypeError, "kernel_sizes"),
        (lambda: kernel_html(np.ones((3, 3)), title=None), TypeError, "title"),
        (lambda: kernel_html(np.ones((3, 3)) * 1j), TypeError, "kernel"),
        (lambda: slide_text("x"), TypeError, "slide"),
        (lambda: step_html(np.zeros((5, 5)), np.ones((3, 3)) + 1j, 0), TypeError, "kernel"),
        (lambda: step_html(np.zeros((5, 5)), np.ones((3, 3), dtype=bool), 0), TypeError, "kernel"),
        (lambda: difference_image(np.ones((4, 4)) * 1j), TypeError, "difference"),
    ],
)
def test_messages_name_the_argument(call, error, words, no_warnings):
    with pytest.raises(error, match=words):
        call()


def test_negative_zero_sigma_adds_no_noise(no_warnings):
    image = np.full((4, 4), 100.0)
    np.testing.assert_array_equal(noise.add_gaussian_noise(image, -0.0), image)


def test_plus_and_minus_infinity_give_the_error_and_no_warning(no_warnings):
    image = np.array([[np.inf, -np.inf], [1.0, 2.0]])[:, ::-1]  # not contiguous: NumPy's sum is used
    with pytest.raises(ValueError, match="image contains NaN or infinity"):
        helpers.correlate(image, [[1.0]])


def test_a_diverging_fit_is_a_value_error_naming_the_learning_rate():
    image = np.random.default_rng(0).normal(size=(12, 12)) * 100
    with pytest.raises(ValueError, match="learning_rate"):
        learning.fit_kernels(image, np.zeros((10, 10)), steps=50, learning_rate=10.0)


# --------------------------------------------------------------------------- 7. exercise checks


def test_a_complex_answer_is_not_graded_on_its_real_part(capsys):
    # 01.2 takes a diagonal-edge kernel such as [[1, 0], [0, -1]] (see test_exercises_nb01.py).
    assert exercises.verdict("01.2", [[1, 0], [0, -1]]) is True
    capsys.readouterr()
    assert exercises.verdict("01.2", np.array([[1 + 2j, 0], [0, -1]])) is False
    assert "complex" in capsys.readouterr().out
    assert exercises.verdict("01.1", (-160 + 0.5j, 360)) is False
    assert "complex" in capsys.readouterr().out


FUNCTION_KEYS = [key for key in exercises.exercise_keys() if exercises._EXERCISES[key].wants_function]


@pytest.mark.parametrize("key", FUNCTION_KEYS)
def test_a_function_returning_complex_numbers_gets_a_hint(capsys, key):
    assert exercises.verdict(key, lambda *args, **kwargs: np.zeros((3, 3), dtype=complex)) is False
    out = capsys.readouterr().out
    assert "complex" in out and out.count("\n") == 1, out


@pytest.mark.parametrize("key", FUNCTION_KEYS)
def test_sys_exit_in_a_students_function_does_not_escape(capsys, key):
    def leaves(*args, **kwargs):
        sys.exit()

    assert exercises.verdict(key, leaves) is False
    out = capsys.readouterr().out
    assert "sys.exit()" in out and "sys.exit()" in out.split("line")[-1], out


def test_a_mistyped_key_is_one_sentence_not_a_key_error(capsys):
    assert exercises.verdict("02.9", 1) is None
    out = capsys.readouterr().out
    assert "There is no exercise '02.9'" in out and "02.1" in out and out.count("\n") == 1


@pytest.fixture
def repr_exercise():
    key = "99.repr"

    @exercises.exercise(key)
    def check_with_an_array_in_the_hint(answer):
        return f"your array {np.asarray(answer)!r} has the wrong corner"

    yield key
    exercises._CHECKS.pop(key)
    exercises._EXERCISES.pop(key)


def test_a_hint_with_a_multi_line_array_is_printed_on_one_line(capsys, repr_exercise):
    assert exercises.verdict(repr_exercise, [[1, 2], [3, 4]]) is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "array([[1, 2], [3, 4]])" in out, out

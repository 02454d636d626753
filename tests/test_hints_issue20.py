"""Issue 20, items 2 to 4: checks call the answer as the lesson will, hints name the real cause, small cases."""
import numpy as np
import pytest
from exercise_testing import verdict
from test_fence import (
    correlate_by_convolving,
    correlate_color,
    correlate_loop,
    edge_strength,
    gradient,
    output_at,
)

import helpers
from helpers import KERNELS


def loop_without_default(image, kernel, border):
    return correlate_loop(image, kernel, border)


def loop_zero_by_default(image, kernel, border="zero"):
    return correlate_loop(image, kernel, border)


def loop_float32(image, kernel, border="replicate"):
    return correlate_loop(np.asarray(image, dtype=np.float32), np.asarray(kernel, dtype=np.float32), border).astype(
        np.float32) * np.float32(1 + 3e-6)


def loop_one_row_short(image, kernel, border="replicate"):
    out = correlate_loop(image, kernel, border)
    out[-1] = 0.0
    return out


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (loop_without_default, 'border="replicate"'),
        (loop_zero_by_default, "border='zero'"),
        (loop_float32, "float32"),
        (loop_one_row_short, "stops one short"),
    ],
)
def test_04_0_hints_name_the_real_cause(capsys, answer, words):
    result, out = verdict(capsys, "04.0", answer)
    assert result is False and words in out and "border pad" not in out, out


@pytest.mark.parametrize(
    ("turn", "words"),
    [(lambda k: k.T, "transposed"), (lambda k: k[::-1, :], "half way"), (lambda k: k[:, ::-1], "half way")],
)
def test_03_3_a_wrongly_turned_kernel_is_named(capsys, turn, words):
    result, out = verdict(capsys, "03.3", lambda im, k: helpers.convolve(im, turn(np.asarray(k, dtype=float))))
    assert result is False and words in out and "border" not in out, out


def test_02_2_an_empty_window_is_named(capsys):
    def reaches_too_far(image, row, col, size):
        h, w = (size, size) if np.ndim(size) == 0 else size
        return float(np.mean(image[row - h // 2 - 1 : row + h // 2 + 1, col - w // 2 : col + w // 2 + 1]))

    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        result, out = verdict(capsys, "02.2", reaches_too_far)
    assert result is False and "empty window" in out, out


def _sobel(gray):
    return helpers.correlate(gray, KERNELS["sobel_x"]), helpers.correlate(gray, KERNELS["sobel_y"])


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda g: helpers.to_uint8(np.hypot(*_sobel(g)), "clip"), "√(Gx² + Gy²)"),
        (lambda g: helpers.to_uint8(sum(_sobel(g)), "clip"), "absolute values are missing"),
        (lambda g: helpers.to_uint8(np.abs(_sobel(g)[0]), "clip"), "only the vertical edges"),
        (lambda g: helpers.to_uint8(np.abs(_sobel(g)[0]), "clip") + helpers.to_uint8(np.abs(_sobel(g)[1]), "clip"),
         "wrap around"),
    ],
)
def test_04_3_hints_name_the_formula(capsys, answer, words):
    gray = np.random.default_rng(7).integers(0, 256, size=(15, 18), dtype=np.uint8)
    assert edge_strength(gray).dtype == np.uint8
    result, out = verdict(capsys, "04.3", answer)
    assert result is False and words in out and "check the border mode" not in out, out


def test_04_3_uint8_before_abs_is_named(capsys):
    def early(gray):
        gx, gy = _sobel(gray)
        with np.errstate(all="ignore"):
            return np.clip(np.abs(np.rint(gx).astype(np.int64) % 256) + np.abs(np.rint(gy).astype(np.int64) % 256),
                           0, 255).astype(np.uint8)

    result, out = verdict(capsys, "04.3", early)
    assert result is False and "astype(np.uint8) came before np.abs" in out, out


def test_04_2_a_wrong_border_per_channel_is_named(capsys):
    def zero_border(image, kernel):
        return np.stack([correlate_loop(image[:, :, c], kernel, "zero") for c in range(image.shape[2])], axis=-1)

    assert verdict(capsys, "04.2", correlate_color)[0] is True
    result, out = verdict(capsys, "04.2", zero_border)
    assert result is False and "border='zero'" in out and "filtered on its own" in out, out


def test_07_3_a_range_one_short_is_named(capsys):
    def one_short(signal, kernel, n):
        return sum(signal[j] * kernel[n - j] for j in range(len(signal) - 1) if 0 <= n - j < len(kernel))

    assert verdict(capsys, "07.3", output_at)[0] is True
    result, out = verdict(capsys, "07.3", one_short)
    assert result is False and "stops one short" in out and "hangs over" not in out, out


def test_07_1_the_identity_is_named(capsys):
    identity = np.zeros((3, 3))
    identity[1, 1] = 1
    result, out = verdict(capsys, "07.1", identity)
    assert result is False and "identity" in out and "not one pixel to the right" not in out, out


def test_small_cases(capsys):
    assert verdict(capsys, "02.1", np.array(97.0))[0] is not None  # a 0-d array is read as its number
    out = verdict(capsys, "02.1", np.array(97.0))[1]
    assert "one number" not in out, out
    result, out = verdict(capsys, "01.1", ("3", "-1"))
    assert result is False and "not text" in out, out
    assert verdict(capsys, "05.2", lambda g: np.stack(gradient(g)))[0] is True
    a = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    b = [[9, 8, 7], [6, 0, 4], [3, 2, 1]]  # median(a + b) = 10, median(a) + median(b) = 9
    assert verdict(capsys, "05.4", (a, b))[0] is True
    assert verdict(capsys, "05.4", np.array([a, b]))[0] is True


def test_the_checks_keep_their_own_kernel_bank(capsys, monkeypatch):
    monkeypatch.setitem(KERNELS, "sobel_x", np.zeros((3, 3)))
    monkeypatch.setitem(KERNELS, "sobel_y", np.zeros((3, 3)))
    result, out = verdict(capsys, "04.3", lambda g: np.zeros_like(g))
    assert result is False, out


def test_rerunning_04s_check_cell_checks_the_students_function():
    import nbformat
    from tests_paths import SOLUTION_04

    nb = nbformat.read(SOLUTION_04, as_version=4)
    definition = next(c.source for c in nb.cells if c.source.startswith("def correlate_loop"))
    check_cell = next(c.source for c in nb.cells if 'verdict("04.0"' in c.source)
    assert "your_correlate_loop = correlate_loop" in definition
    assert "your_correlate_loop = correlate_loop" not in check_cell
    assert 'verdict("04.0", your_correlate_loop)' in check_cell


def test_correlate_by_convolving_still_passes(capsys):
    assert verdict(capsys, "03.3", correlate_by_convolving)[0] is True

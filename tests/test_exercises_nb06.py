"""The checks of notebook 06's exercises: right answers pass, typical slips get a sentence."""
import numpy as np
import pytest
from exercise_testing import verdict

import helpers
from helpers import spectra
from helpers import stripes as stripe_module
from helpers.exercises import nb06, ruled_out_calls
from helpers.stripes import stripes

# ---------------------------------------------------------------- 06.1 the response, measured


def in_phase(kernel, frequency, size=120):
    """Σ out · in / Σ in · in: the part of the output in step with the input, Re H (the lesson's old measure)."""
    image = np.tile(np.cos(2 * np.pi * frequency * np.arange(size)), (size, 1))
    out = helpers.correlate(image, kernel, border="wrap")
    return float((out * image).sum() / (image * image).sum())


def measure(kernel, frequency, size=120):
    """H = a + ib: a = Σ out · cos / Σ cos², b = −Σ out · sin / Σ sin² (0 where the sine stripes vanish)."""
    columns = np.arange(size)
    cosine = np.tile(np.cos(2 * np.pi * frequency * columns), (size, 1))
    sine = np.tile(np.sin(2 * np.pi * frequency * columns), (size, 1))
    out = helpers.correlate(cosine, kernel, border="wrap")
    a = (out * cosine).sum() / (cosine * cosine).sum()
    b = 0.0 if (sine * sine).sum() < 1e-9 else -(out * sine).sum() / (sine * sine).sum()
    return complex(a, b)


def test_response_right_answers(capsys):
    assert verdict(capsys, "06.1", measure)[0] is True

    def two_inputs(kernel, frequency):  # the sine stripes come out as b·cos + a·sin: b read off the cosine
        cosine, sine = stripes(frequency), stripes(frequency, phase=-np.pi / 2)
        a = (helpers.correlate(cosine, kernel, border="wrap") * cosine).sum() / (cosine * cosine).sum()
        b = (helpers.correlate(sine, kernel, border="wrap") * cosine).sum() / (cosine * cosine).sum()
        return a + 1j * b

    assert verdict(capsys, "06.1", two_inputs)[0] is True


def test_the_cases_include_inverted_and_moved_stripes():
    values = [nb06._expected_response(k, f) for _, k, f in nb06._response_cases()]
    assert min(v.real for v in values) < -0.2 and max(v.real for v in values) > 0.5
    assert sum(abs(v.imag) > 0.1 for v in values) >= 3  # kernels that move the stripes
    for _, kernel, frequency in nb06._response_cases():  # the check's own formula agrees with the stripes
        assert nb06._expected_response(kernel, frequency) == pytest.approx(measure(kernel, frequency), abs=1e-9)
        assert nb06._expected_response(kernel, frequency) == pytest.approx(
            stripe_module.measured_response(kernel, frequency), abs=1e-9)


def test_response_in_phase_part_only(capsys):
    # the old definition: right for symmetric kernels, 0 for Sobel-x's moved stripes
    result, out = verdict(capsys, "06.1", in_phase)
    assert result is False and "in step with the input" in out and "Sobel-x" in out


def test_response_with_the_phase_backwards(capsys):
    result, out = verdict(capsys, "06.1", lambda k, f: measure(k, f).conjugate())
    assert result is False and "phase has the wrong sign" in out


def test_response_magnitude_only(capsys):
    # the magnitude alone: right for every kernel that neither inverts nor moves; inverted stripes are caught first
    result, out = verdict(capsys, "06.1", lambda k, f: abs(measure(k, f)))
    assert result is False and "keep the sign" in out


def test_response_without_the_sign(capsys):
    result, out = verdict(capsys, "06.1", lambda k, f: abs(in_phase(k, f)))
    assert result is False and "light and dark swapped" in out and "keep the sign" in out


def test_response_with_the_sign_flipped(capsys):
    result, out = verdict(capsys, "06.1", lambda k, f: -measure(k, f))
    assert result is False and "wrong sign" in out


def test_response_on_stripes_that_do_not_wrap(capsys):
    result, out = verdict(capsys, "06.1", lambda k, f: measure(k, f, size=64))
    assert result is False and "whole number of times" in out


def test_response_input_over_output(capsys):
    result, out = verdict(capsys, "06.1", lambda k, f: 1 / measure(k, f) if measure(k, f) else 0.0)
    assert result is False and "not the response" in out


def test_response_returns_an_array(capsys):
    result, out = verdict(capsys, "06.1", lambda k, f: helpers.correlate(stripes(f), k, border="wrap"))
    assert result is False and "return one number" in out


@pytest.mark.parametrize(
    "shortcut",
    [
        lambda k, f: stripe_module.measured_response(k, f),
        lambda k, f: complex(stripe_module.fourier_response(k)[1][round(f * 120)]),
        lambda k, f: complex(np.fft.rfft(k.sum(axis=0), 120)[0]),
        lambda k, f: float(spectra.frequency_response(k, 120)[60, 60]),
        lambda k, f: complex(np.fft.fft2(k, s=(120, 120))[0, 0]),
    ],
    ids=["measured_response", "fourier_response", "np.fft.rfft", "frequency_response", "np.fft.fft2"],
)
def test_response_shortcuts_are_named(capsys, shortcut):
    result, out = verdict(capsys, "06.1", shortcut)
    assert result is False and "without" in out
    assert any(label in out for label in ruled_out_calls("06.1"))


# ---------------------------------------------------------------- 06.3 remove the period-4 stripes


@pytest.mark.parametrize(
    "answer",
    [[0.5, 0, 0.5], [[0.5, 0, 0.5]], np.array([1, 2, 2, 2, 1]) / 8, [[0, 0, 0], [0.5, 0, 0.5], [0, 0, 0]],
     [0.25, 0, 0.5, 0, 0.25]],
)
def test_remover_right_answers(capsys, answer):
    assert verdict(capsys, "06.3", answer)[0] is True


def test_remover_answers_really_remove_the_stripes():
    for answer in ([0.5, 0, 0.5], np.array([1, 2, 2, 2, 1]) / 8):
        for phase in (0.0, 1.0):
            out = helpers.correlate(stripes(0.25, phase=phase), np.atleast_2d(answer), border="wrap")
            assert np.ptp(out) < 1e-9


def test_remover_weights_must_sum_to_one(capsys):
    result, out = verdict(capsys, "06.3", [1, 2, 2, 2, 1])
    assert result is False and "sum to 1" in out and "sum to 8" in out


def test_remover_a_box_only_damps(capsys):
    result, out = verdict(capsys, "06.3", [1 / 3, 1 / 3, 1 / 3])
    assert result is False and "33%" in out
    result, out = verdict(capsys, "06.3", [0.2] * 5)  # the 5-tap box: −0.2, inverted
    assert result is False and "inverted" in out


def test_remover_too_wide(capsys):
    # [1, 0, 0, 0, 1, ...]: removes nothing it should; taps 2 apart remove period 4, taps 10 apart remove more
    wide = np.zeros(21)
    wide[[0, 20]] = 0.5  # taps ±10: cos(2π · 0.25 · 10) = −1, so the period-4 stripes come back inverted
    result, out = verdict(capsys, "06.3", wide)
    assert result is False and "inverted" in out
    spread = np.zeros(11)
    spread[[0, 2, 8, 10]] = 0.25  # taps ±3 and ±5: period 4 removed, but period 20 nearly gone too
    result, out = verdict(capsys, "06.3", spread)
    assert result is False and "period 20" in out


@pytest.mark.parametrize(("answer", "kept"), [([0, 0, 1], "100%"), ([1, 0, 0], "100%"), ([0.7, 0, 0.3], "40%")])
def test_remover_that_only_moves_the_stripes_is_refused(capsys, answer, kept):
    # Re H(0.25) = 0 for all three (nothing stays in place), but |H| = 1, 1 and 0.4: the stripes move
    kernel = np.atleast_2d(np.asarray(answer, dtype=float))
    assert abs(in_phase(kernel, 0.25)) < 1e-12
    out = helpers.correlate(stripes(0.25), kernel, border="wrap")
    assert np.ptp(out) > 0.7  # still striped
    result, text = verdict(capsys, "06.3", answer)
    assert result is False and "moved sideways, not removed" in text and kept in text


def test_remover_shapes(capsys):
    result, out = verdict(capsys, "06.3", [0.5, 0.5])
    assert result is False and "odd height and width" in out
    result, out = verdict(capsys, "06.3", np.ones((2, 2, 2)))
    assert result is False and "row of weights or a 2-D kernel" in out
    result, out = verdict(capsys, "06.3", [[0.5, 0, 0.5], [0, 0, 0], [0, 0, 0]])
    assert result is True  # a shifted row still removes them and keeps flat areas


def test_remover_that_changes_down_the_columns(capsys):
    # Weights that differ between rows are fine for stripes; the check only reads stripes' contrast.
    result, out = verdict(capsys, "06.3", [[0.25, 0, 0.25], [0, 0, 0], [0.25, 0, 0.25]])
    assert result is True


# ---------------------------------------------------------------- 06.2 the response, predicted from the weights


def predict(row, frequency):
    offsets = np.arange(len(row)) - len(row) // 2
    return complex(np.sum(np.asarray(row) * np.exp(2j * np.pi * frequency * offsets)))


def cosine_only(row, frequency):
    offsets = np.arange(len(row)) - len(row) // 2
    return float(np.sum(np.asarray(row) * np.cos(2 * np.pi * frequency * offsets)))


def test_predicted_right_answer(capsys):
    assert verdict(capsys, "06.2", predict)[0] is True

    def by_loop(row, frequency):
        real = imag = 0.0
        for index, weight in enumerate(row):
            angle = 2 * np.pi * frequency * (index - len(row) // 2)
            real += weight * np.cos(angle)
            imag += weight * np.sin(angle)
        return complex(real, imag)

    assert verdict(capsys, "06.2", by_loop)[0] is True


def test_the_prediction_is_what_the_stripes_measure():
    for _, row, frequency in nb06._row_cases():
        assert predict(row, frequency) == pytest.approx(stripe_module.measured_response(row, frequency), abs=1e-9)
    assert any(predict(row, f).real < 0 for _, row, f in nb06._row_cases())
    assert any(not np.allclose(row, row[::-1]) for _, row, _ in nb06._row_cases())


def test_predicted_offsets_from_the_first_tap(capsys):
    def from_first(row, frequency):
        return complex(np.sum(row * np.exp(2j * np.pi * frequency * np.arange(len(row)))))

    result, out = verdict(capsys, "06.2", from_first)
    assert result is False and "from the centre tap" in out


def test_predicted_without_two_pi(capsys):
    def no_two_pi(row, frequency):
        return complex(np.sum(row * np.exp(1j * frequency * (np.arange(len(row)) - len(row) // 2))))

    result, out = verdict(capsys, "06.2", no_two_pi)
    assert result is False and "2π" in out


def test_predicted_with_sine(capsys):
    def with_sine(row, frequency):
        return float(np.sum(row * np.sin(2 * np.pi * frequency * (np.arange(len(row)) - len(row) // 2))))

    result, out = verdict(capsys, "06.2", with_sine)
    assert result is False and "only the sine part" in out


def test_predicted_cosine_sum_only(capsys):
    # the old definition: right for symmetric rows, only the real part for [-1, 0, 1]
    result, out = verdict(capsys, "06.2", cosine_only)
    assert result is False and "only the cosine sum" in out and "[-1, 0, 1]" in out


def test_predicted_with_the_exponent_backwards(capsys):
    result, out = verdict(capsys, "06.2", lambda row, f: predict(row, f).conjugate())
    assert result is False and "phase has the wrong sign" in out


def test_predicted_without_the_sign(capsys):
    result, out = verdict(capsys, "06.2", lambda row, f: abs(predict(row, f)))
    assert result is False and "keep the sign" in out


def test_predicted_returns_every_term(capsys):
    def terms(row, frequency):
        return row * np.exp(2j * np.pi * frequency * (np.arange(len(row)) - len(row) // 2))

    result, out = verdict(capsys, "06.2", terms)
    assert result is False and "one number" in out


@pytest.mark.parametrize(
    "shortcut",
    [
        lambda row, f: stripe_module.measured_response(row, f),
        lambda row, f: measure(np.atleast_2d(row), f),
        lambda row, f: float(np.convolve(stripes(f)[0], row, mode="valid")[0]),
        lambda row, f: float(np.fft.rfft(np.roll(np.r_[row, np.zeros(120 - len(row))], -(len(row) // 2)))[round(f * 120)].real),
    ],
    ids=["measured_response", "helpers.correlate", "np.convolve", "np.fft.rfft"],
)
def test_predicted_shortcuts_are_named(capsys, shortcut):
    result, out = verdict(capsys, "06.2", shortcut)
    assert result is False and "without" in out
    assert any(label in out for label in ruled_out_calls("06.2"))

"""The checks of notebook 09's exercises: right answers pass, typical slips get a hint."""
import numpy as np
import pytest
from exercise_testing import verdict


@pytest.mark.parametrize("key", ["09.1", "09.2", "09.3"])
def test_unanswered(capsys, key):
    result, out = verdict(capsys, key, None)
    assert result is None and "not answered yet" in out


# ---------------------------------------------------------------- 09.1


def test_multiplications_right(capsys):
    assert verdict(capsys, "09.1", lambda k: (k * k, 2 * k))[0] is True


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda k: (2 * k, k * k), "swapped"),
        (lambda k: (k * k, k), "two passes"),
        (lambda k: (2 * k, 2 * k), "every tap"),
        (lambda k: (k * k, k + 1), "count the taps"),
        (lambda k: k * k, "two whole numbers"),
    ],
)
def test_multiplications_hints(capsys, answer, hint):
    result, out = verdict(capsys, "09.1", answer)
    assert result is False and hint in out


# ---------------------------------------------------------------- 09.2


def svd_factor(kernel):
    u, s, vt = np.linalg.svd(kernel)
    if s[1] > 1e-10 * s[0]:
        raise ValueError("not separable")
    return u[:, 0] * s[0], vt[0]


def test_factor_right(capsys):
    assert verdict(capsys, "09.2", svd_factor)[0] is True


def never_raises(kernel):
    u, s, vt = np.linalg.svd(kernel)
    return u[:, 0] * s[0], vt[0]


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda k: svd_factor(k)[::-1], "swapped"),
        (lambda k: (-svd_factor(k)[0], svd_factor(k)[1]), "wrong sign"),
        (lambda k: (svd_factor(k)[0], 2 * svd_factor(k)[1]), "should give the kernel back"),
        (never_raises, "should raise ValueError"),
        (lambda k: (k[:, 0], 2 * k[0, :]), "should give the kernel back"),
        (lambda k: np.linalg.svd(k)[1][0], "two 1-D arrays"),
        (lambda k: (np.ones(2), np.ones(2)), "entries"),
        (lambda k: (_ for _ in ()).throw(ValueError("no")), "decides the rank"),
    ],
)
def test_factor_hints(capsys, answer, hint):
    result, out = verdict(capsys, "09.2", answer)
    assert result is False and hint in out


# ---------------------------------------------------------------- 09.3


def test_fft_length_right(capsys):
    assert verdict(capsys, "09.3", lambda n, k: n + k - 1)[0] is True


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda n, k: n, "circular"),
        (lambda n, k: n + k - 2, "too short"),
        (lambda n, k: n + k, "not the shortest"),
        (lambda n, k: float(n + k - 1), "whole number"),
    ],
)
def test_fft_length_hints(capsys, answer, hint):
    result, out = verdict(capsys, "09.3", answer)
    assert result is False and hint in out

"""helpers.timing.median_time: the median of the timed calls, after a warm-up call."""
import time

import pytest

from helpers.timing import median_time


def test_the_median_ignores_one_slow_call(monkeypatch):
    """A fake clock that each call moves on by its own duration: no sleeping, no dependence on load."""
    clock = [0.0]
    monkeypatch.setattr(time, "perf_counter", lambda: clock[0])
    durations = iter([0.2, 0.001, 0.003, 0.05, 0.002, 0.001])  # the first is the warm-up

    def varying():
        clock[0] += next(durations)

    assert median_time(varying, repeat=5) == pytest.approx(0.002)
    assert median_time(lambda: None, repeat=4) == 0.0  # an even count: the mean of the middle two


def test_every_call_is_made():
    calls = []
    median_time(lambda: calls.append(1), repeat=4)
    assert len(calls) == 5


@pytest.mark.parametrize("repeat", [0, -1, 2.5, True])
def test_bad_repeat(repeat):
    with pytest.raises(ValueError, match="repeat must be a whole number"):
        median_time(lambda: None, repeat=repeat)


def test_not_callable():
    with pytest.raises(TypeError, match="function must be callable"):
        median_time(42)

"""The exercise checker: verdicts, hints, and robustness to broken answers."""
import pytest

from helpers import exercises


@pytest.fixture
def square_exercise():
    key = "99.test"

    @exercises.exercise(key)
    def check_square(function):
        for value in (3, -4, 0.5):
            if function(value) != value * value:
                return f"try your function on {value}"
        return None

    yield key
    exercises._CHECKS.pop(key)


def test_correct_wrong_and_unanswered(square_exercise, capsys):
    assert exercises.verdict(square_exercise, lambda x: x * x) is True
    assert "correct" in capsys.readouterr().out
    assert exercises.verdict(square_exercise, lambda x: 2 * x) is False
    assert "Hint: try your function on 3" in capsys.readouterr().out
    assert exercises.verdict(square_exercise, None) is None
    assert "not answered yet" in capsys.readouterr().out


def test_an_answer_that_raises_becomes_a_hint(square_exercise, capsys):
    def broken(x):
        raise ZeroDivisionError("division by zero")

    assert exercises.verdict(square_exercise, broken) is False
    assert "raised ZeroDivisionError" in capsys.readouterr().out


def test_unknown_exercise_names_the_key():
    with pytest.raises(KeyError, match="no exercise called '00.0'"):
        exercises.check("00.0", 1)


def test_registering_twice_is_an_error(square_exercise):
    with pytest.raises(ValueError, match="registered twice"):
        exercises.exercise(square_exercise)(lambda answer: None)


def test_check_prints_and_returns_nothing(square_exercise, capsys):
    assert exercises.check(square_exercise, lambda x: x * x) is None
    assert capsys.readouterr().out == f"Exercise {square_exercise}: correct.\n"

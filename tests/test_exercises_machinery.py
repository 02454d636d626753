"""The exercise checker: verdicts, hints, and robustness to broken answers."""
import numpy as np
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
    exercises._EXERCISES.pop(key)


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
    out = capsys.readouterr().out
    assert "raised ZeroDivisionError" in out
    assert 'raise ZeroDivisionError("division by zero")' in out  # the student's own line
    assert "Traceback" not in out


def test_unknown_exercise_names_the_key(capsys):
    exercises.check("00.0", 1)  # a sentence, not a KeyError traceback
    out = capsys.readouterr().out
    assert "There is no exercise '00.0'" in out and out.count("\n") == 1


def test_registering_twice_is_an_error(square_exercise):
    with pytest.raises(ValueError, match="registered twice"):
        exercises.exercise(square_exercise)(lambda answer: None)


def test_check_prints_and_returns_nothing(square_exercise, capsys):
    assert exercises.check(square_exercise, lambda x: x * x) is None
    assert capsys.readouterr().out == f"Exercise {square_exercise}: correct.\n"


@pytest.fixture
def flip_exercise():
    """An exercise that asks for a hand-written flip and rules out np.flip and np.rot90."""
    key = "99.flip"

    @exercises.exercise(
        key, asks="write the flip yourself", ruled_out=["np.flip", "np.rot90"], allows=["np.flipud", "np.fliplr"]
    )
    def check_flip(function):
        kernel = np.arange(6).reshape(2, 3)
        result = exercises.call_answer(function, kernel)
        if not np.array_equal(np.asarray(result), kernel[::-1, ::-1]):
            return "not the 180° turn"
        return None

    yield key
    exercises._CHECKS.pop(key)
    exercises._EXERCISES.pop(key)


def test_a_ruled_out_call_is_named_and_the_library_restored(flip_exercise, capsys):
    original = np.rot90
    assert exercises.verdict(flip_exercise, lambda k: np.rot90(k, 2)) is False
    assert "this exercise asks you to write the flip yourself, without np.rot90" in capsys.readouterr().out
    assert np.rot90 is original
    assert exercises.verdict(flip_exercise, lambda k: np.flip(k)) is False
    assert "without np.flip" in capsys.readouterr().out
    assert exercises.ruled_out_calls(flip_exercise) == ["np.flip", "np.rot90"]


def test_a_tripwire_caught_by_the_student_still_counts(flip_exercise, capsys):
    def sneaky(kernel):
        try:
            return np.rot90(kernel, 2)
        except Exception:
            return np.asarray(kernel)[::-1, ::-1]

    assert exercises.verdict(flip_exercise, sneaky) is False
    assert "without np.rot90" in capsys.readouterr().out


def test_library_code_may_use_a_ruled_out_call(flip_exercise, capsys):
    # np.flipud and np.fliplr are allowed; inside NumPy they may call whatever they like.
    assert exercises.verdict(flip_exercise, lambda k: np.flipud(np.fliplr(k))) is True
    assert exercises.verdict(flip_exercise, lambda k: np.asarray(k)[::-1, ::-1]) is True
    capsys.readouterr()


def test_the_library_is_restored_after_an_error(flip_exercise, capsys):
    original = np.flip

    def broken(kernel):
        raise RuntimeError("boom")

    assert exercises.verdict(flip_exercise, broken) is False
    out = capsys.readouterr().out
    assert "your function raised RuntimeError: boom in line" in out
    assert np.flip is original


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("turn", "wants a function, but your answer is a str"),
        (np.zeros((3, 3)), "wants a function, but your answer is a ndarray"),
        (lambda k: None, "returned None"),
        (lambda k: ..., "returned ...: replace the ... with your code"),
    ],
)
def test_wrong_kinds_of_answer_get_a_sentence(flip_exercise, capsys, answer, expected):
    assert exercises.verdict(flip_exercise, answer) is False
    out = capsys.readouterr().out
    assert expected in out
    assert "Traceback" not in out and "not callable" not in out


def test_ruling_out_needs_an_explanation():
    with pytest.raises(ValueError, match="asks="):
        exercises.exercise("99.bad", ruled_out=["np.flip"])


def test_a_call_imported_by_name_is_ruled_out_too(flip_exercise, capsys):
    # As in a notebook after `from numpy import rot90`: the student's globals hold the function itself.
    namespace = {"rot90": np.rot90}
    exec("def turned(kernel):\n    return rot90(kernel, 2)\n", namespace)
    assert exercises.verdict(flip_exercise, namespace["turned"]) is False
    assert "without np.rot90" in capsys.readouterr().out
    assert namespace["rot90"] is np.rot90  # restored


def test_the_ruled_out_call_given_as_the_answer_is_named(flip_exercise, capsys):
    assert exercises.verdict(flip_exercise, np.flip) is False
    assert "without np.flip" in capsys.readouterr().out

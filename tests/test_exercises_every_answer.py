"""Every exercise of the series answers every kind of wrong answer with a sentence.

Each lesson's own test file tries its right answer, its ruled-out shortcuts and
its typical mistakes; this file sweeps the kinds of answer a check must survive
for every registered exercise at once, so a new exercise cannot skip them.
"""
import pytest
from exercise_testing import verdict

from helpers import exercises

KEYS = exercises.exercise_keys()
FUNCTION_KEYS = [key for key in KEYS if exercises._EXERCISES[key].wants_function]


def divide_by_zero(*args, **kwargs):
    return 1 / 0


def test_the_series_has_exercises_in_every_lesson():
    lessons = {key.split(".")[0] for key in KEYS}
    assert lessons == {f"{n:02d}" for n in range(1, 13)}, lessons

@pytest.mark.parametrize("key", KEYS)
def test_none_is_not_answered_yet(capsys, key):
    result, out = verdict(capsys, key, None)
    assert result is None and "not answered yet" in out

@pytest.mark.parametrize("key", FUNCTION_KEYS)
@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ("my_function", "wants a function, but your answer is a str"),
        (42, "wants a function, but your answer is a int"),
        (lambda *args, **kwargs: None, "returned None"),
        (lambda *args, **kwargs: ..., "returned ..."),
        (divide_by_zero, "raised ZeroDivisionError: division by zero in line"),
    ],
    ids=["a string", "a number", "returns None", "returns ...", "raises"],
)
def test_a_function_exercise_answers_a_wrong_kind_with_a_sentence(capsys, key, answer, words):
    result, out = verdict(capsys, key, answer)
    assert result is False, out
    assert words in out, out
    assert "Traceback" not in out and "not callable" not in out and out.count("\n") == 1, out

@pytest.mark.parametrize("key", FUNCTION_KEYS)
def test_a_raising_function_is_quoted_at_its_own_line(capsys, key):
    def broken(*args, **kwargs):
        raise ValueError("my own mistake")

    result, out = verdict(capsys, key, broken)
    assert result is False and "my own mistake" in out
    assert 'raise ValueError("my own mistake")' in out, out

@pytest.mark.parametrize("key", sorted(set(KEYS) - set(FUNCTION_KEYS)))
@pytest.mark.parametrize("answer", ["a word", [[1, 2], [3]], float("nan"), object()], ids=["str", "ragged", "nan", "object"])
def test_a_value_exercise_answers_odd_values_with_a_sentence(capsys, key, answer):
    result, out = verdict(capsys, key, answer)
    assert result is False, out
    assert "Traceback" not in out and out.count("\n") == 1 and "Hint:" in out, out

"""Grading in two processes (helpers/exercises/_record.py, _wire.py, _scan.py): the verdict comes from the
record, judged where no student code runs, so patches in the student's kernel and forged records earn nothing."""
import json

import numpy as np
import pytest

import helpers.exercises as exercises
from helpers.exercises import _record, _wire, judge, record
from helpers.exercises._scan import aliases, flags


def turn_180(kernel):
    return np.asarray(kernel)[::-1, ::-1].copy()


def unturned(kernel):
    return np.asarray(kernel, dtype=float).copy()


def across(data):
    """The record as the grader receives it: written out as JSON and read back."""
    return json.loads(json.dumps(data))


def test_a_right_and_a_wrong_function_are_judged_from_their_records():
    assert judge("03.2", across(record("03.2", turn_180))) == (True, "Exercise 03.2: correct.")
    ok, line = judge("03.2", across(record("03.2", unturned)))
    assert not ok and line.startswith("Exercise 03.2: not yet. Hint:")


def test_a_value_answer_is_judged_from_its_record():
    right = {"prewitt_y", "shift_right", "arrow_up"}
    assert judge("03.1", across(record("03.1", right)))[0]
    assert not judge("03.1", across(record("03.1", {"prewitt_y"})))[0]
    assert not judge("03.1", across(record("03.1", None)))[0]


def test_a_wrong_answer_recorded_under_a_patched_checker_and_numpy_is_still_wrong(monkeypatch):
    always = lambda *a, **k: True  # noqa: E731
    monkeypatch.setattr(np, "allclose", always)
    monkeypatch.setattr(np, "array_equal", always)
    monkeypatch.setattr(np, "isclose", always)
    monkeypatch.setattr(exercises, "result", lambda *a: (True, ""))
    monkeypatch.setattr(_record, "_judge", lambda key, answer: (True, f"Exercise {key}: correct."))
    data = across(record("03.2", unturned))
    assert data["said"] == "Exercise 03.2: correct."  # the student's kernel was fooled
    monkeypatch.undo()
    assert not judge("03.2", data)[0]  # the grader is not


def test_forged_records_earn_nothing():
    honest = across(record("03.2", unturned))
    claims = {**honest, "said": "Exercise 03.2: correct.", "ok": True, "state": True}
    assert not judge("03.2", claims)[0]
    assert not judge("03.2", {"key": "03.2", "calls": []})[0]
    assert not judge("03.2", {**honest, "key": "03.1"})[0]  # a record for another exercise
    right = across(record("03.2", turn_180))
    assert not judge("03.2", {**right, "key": "03.1"})[0]
    assert not judge("03.1", right)[0]
    # the right results, given for other arguments than the check's
    shuffled = {**right, "calls": [{**call, "args": "0" * 16} for call in right["calls"]]}
    assert not judge("03.2", shuffled)[0]
    # the fingerprints kept, every result the first case's (right there, wrong for the other cases)
    first = right["calls"][0]["result"]
    assert len(right["calls"]) > 1 and judge("03.2", right)[0]
    assert not judge("03.2", {**right, "calls": [{**c, "result": first} for c in right["calls"]]})[0]
    assert not judge("03.2", None)[0] and not judge("03.2", "Exercise 03.2: correct.")[0]


def test_reading_a_record_runs_nothing_it_holds():
    for data in ({"array": "|O8", "shape": [1], "data": "AAAAAAAAAAA="}, {"__reduce__": ["os.system", "true"]},
                 {"set": [{"list": []}]}, {"array": "<f8", "shape": [3], "data": "AAAA"}, {"int": "1" * 6000}):
        with pytest.raises(_wire.Unreadable):
            _wire.decode(data)
    assert not judge("03.1", {"key": "03.1", "value": {"object": "os.system"}})[0]


@pytest.mark.parametrize("value", [None, True, 3, -2.5, 1 + 2j, "text", ..., [1, (2, 3)], {"a": {1, 2}},
                                   frozenset({"x"}), np.arange(6.0).reshape(2, 3), np.uint8(7), np.bool_(False)])
def test_plain_data_crosses_unchanged(value):
    back = _wire.decode(across(_wire.encode(value)))
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and np.array_equal(back, value)
    else:
        assert back == value


def test_what_is_not_plain_data_is_named():
    with pytest.raises(_wire.Unreadable, match="function"):
        _wire.encode(turn_180)
    with pytest.raises(_wire.Unreadable, match="object"):
        _wire.encode(np.array([turn_180], dtype=object))


def test_the_scan_flags_a_refused_call_however_it_was_imported():
    names = aliases(["import numpy as np\nfrom scipy import ndimage as nd"])
    answer = "def correlate_loop(image, kernel, border):\n    return nd.correlate(image, kernel)\n"
    said = flags("04.0", [answer], names)
    assert said and "scipy.ndimage.correlate" in said[0]
    allowed = "def correlate_loop(image, kernel, border):\n    return np.pad(image, 1)\n"
    assert flags("04.0", [allowed], names) == []


def test_the_scan_flags_a_patch_of_numpy_or_of_the_checks():
    names = aliases(["import numpy as np", "import helpers.exercises as _e"])
    said = flags("03.1", ["_e.result = lambda *a: (True, '')\nnp.allclose = lambda *a, **k: True\nx = None"], names)
    assert said and "helpers.exercises.result" in said[0] and "numpy.allclose" in said[0]
    assert flags("03.1", ["setattr(np, 'array_equal', print)"], names)
    assert flags("03.1", ["from helpers.exercises import _record"], aliases(["from helpers.exercises import _record"])) == []
    assert flags("03.1", ["_record.judge"], aliases(["from helpers.exercises import _record"]))


def test_under_autograde_the_test_cell_scores_nothing_by_itself(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert _record.record_for_grading("03.2", turn_180) == 0
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    assert _record.record_for_grading("03.2", turn_180) is None
    with pytest.raises(AssertionError, match="Exercise 03.2: not yet"):
        _record.record_for_grading("03.2", unturned)
    monkeypatch.delenv("NBGRADER_EXECUTION")
    assert _record.record_for_grading("03.2", turn_180) is None
    assert _record.record_for_grading("03.2", unturned) is None

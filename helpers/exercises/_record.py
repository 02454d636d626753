"""Grading in two processes: the student's answers run in the student's kernel, the checks in the grader's.

A check run in the student's own kernel can be fooled by anything the
notebook did before it (one line that replaces the checker or NumPy's
comparisons). For grading, each exercise's test cell therefore only *records*
the answer, with :func:`record_for_grading`, as plain data (see ``_wire.py``):

* a value answer (an array, a number, a set of names) is written down as it is;
* a function answer is run by the exercise's own check, in the student's
  kernel, on the check's cases: each call's arguments (a fingerprint) and its
  result, or the hint the call earned (an error, a refused library call, a
  time-out), are written down. The student's function is only ever called there.

The grader (nbgrader's autograde, through ``tools/grading/series_grader.py``)
reads the record with :func:`judge` in its own process, which never runs the
student's code, and runs the same check again on that data: a value answer is
checked as it is; for a function answer the check gets a :class:`Replay` that
answers each of its calls with the recorded result, provided the call's
arguments have the fingerprint the record holds. The verdict is the grader's
alone: a record that claims more, a result for other arguments, a result the
check does not accept, all score nothing. What a record cannot show is how a
correct result was computed; the source scan (``_scan.py``) flags library
calls for the teacher.
"""
from __future__ import annotations

import os

from . import _EXERCISES, _RECORDING, Hint, Replay, _judge, _plain, _wire

#: The output type a test cell's record travels in (JupyterLab shows its text/plain twin).
MIME = "application/vnd.convolution-series.record+json"


def _normal_key(key):
    if isinstance(key, str) and key not in _EXERCISES and key.replace("_", ".", 1) in _EXERCISES:
        return key.replace("_", ".", 1)
    return key


def record(key: str, answer) -> dict:
    """The record of ``answer`` to exercise ``key``: plain data for :func:`judge`, made in the student's kernel.

    ``said`` is the line the in-notebook check gives here; the grader does not read it.
    """
    key = _normal_key(key)
    data: dict = {"key": key}
    if not isinstance(key, str) or key not in _EXERCISES or answer is None or answer is Ellipsis:
        data["said"] = _judge(key, answer)[1]
        return data
    if _EXERCISES[key].wants_function and callable(answer):
        calls: list[dict] = []
        _RECORDING.append(calls)
        try:
            data["said"] = _judge(key, answer)[1]
        finally:
            _RECORDING.pop()
        data["calls"] = calls
        return data
    try:
        data["value"] = _wire.encode(_plain(answer))
    except _wire.Unreadable as error:
        data["unreadable"] = str(error)
    except Exception as error:  # noqa: BLE001 (an object of the student's that fails to read as numbers)
        data["unreadable"] = f"a {type(answer).__name__} that could not be read ({type(error).__name__})"
    data["said"] = _judge(key, answer)[1]
    return data


def record_for_grading(key: str, answer) -> int | None:
    """Show the record of ``answer`` as this cell's output (nbgrader's test cells call this).

    Under ``nbgrader autograde`` it also returns 0, which nbgrader reads as a score of 0 for the
    cell: should the grader's own step be missing (a course folder without series_grader.py), every
    test cell scores nothing instead of everything. The grader's step replaces this output. Under
    ``nbgrader validate`` (a student's Validate button) an answer the check here does not call
    correct fails the cell, so validation reports it.
    """
    from IPython.display import display

    data = record(key, answer)
    text = f"{data['said']} Your answer is recorded; the grader checks it again, apart from this notebook."
    display({MIME: data, "text/plain": text}, raw=True)
    mode = os.environ.get("NBGRADER_EXECUTION")
    if mode == "validate" and not data["said"].endswith(": correct."):
        raise AssertionError(data["said"])
    return 0 if mode == "autograde" else None


def judge(key: str, data) -> tuple[bool, str]:
    """The grader's verdict on a record, (ok, the check's line), run where no student code runs.

    ``key`` comes from the test cell's grade id, never from the record.
    """
    key = _normal_key(key)
    if not isinstance(data, dict) or data.get("key") != key:
        return False, (f"Exercise {key}: no answer was recorded, because the test cell below the exercise did not "
                       "run to its end; run the whole notebook from the top (Restart and Run All), then submit it")
    if "calls" in data:
        calls = data["calls"]
        if not isinstance(calls, list):
            return False, f"Exercise {key}: the recorded answer is not plain data."
        return _verdict(key, Replay(calls))
    if "unreadable" in data:
        return False, (f"Exercise {key}: not yet. Hint: your answer is {str(data['unreadable'])[:200]}, which the "
                       "grader cannot read: answer with numbers, text, NumPy arrays or lists, sets and dicts of them")
    if "value" in data:
        try:
            answer = _wire.decode(data["value"])
        except _wire.Unreadable as error:
            return False, f"Exercise {key}: the recorded answer is not plain data ({error})."
        return _verdict(key, answer)
    return _verdict(key, None)


def _verdict(key: str, answer) -> tuple[bool, str]:
    state, line = _judge(key, answer)
    return state is True, line


__all__ = ["MIME", "Hint", "judge", "record", "record_for_grading"]

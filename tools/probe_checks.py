"""Probe every function exercise's check with answers written as students write them.

For each exercise that wants a function, the answers are built from the right
answer of ``tests/test_fence.py`` (``SOLUTIONS``) and its other correct styles
(``ALTERNATIVES``), and from the library twins that test refuses (``TWINS``):

* right answers, which the check must accept: the solution, run through
  ``exec`` as a notebook cell runs it, wrapped in another function, working on
  copies of its inputs, returning a list or a tuple where it returned an array,
  returning plain Python numbers, in float32 (a refusal that says "float32" is
  a fair answer too), and every other style of ``ALTERNATIVES``;
* wrong answers, which it must refuse with one sentence: None, an exception,
  ``GeneratorExit``, a ``Hint("correct")`` of the student's, the result scaled,
  shifted, negated, rounded, transposed, as text; changing the caller's input;
  a library call (the exercise's own twins, and a fenced call made through
  ``exec``, a default argument, ``__wrapped__``, a callback, a function named
  like NumPy's dispatchers, an ``__array__`` result); switching the fence or
  its timer off; replacing ``np.allclose``; an integer whose ``==`` says yes.

Prints one row per exercise: answers tried, right answers refused, wrong
answers accepted, and (with ``--show``) each misjudged answer with its line.

    .venv/bin/python tools/probe_checks.py            # every function exercise
    .venv/bin/python tools/probe_checks.py 04.0 11.5  # some
"""
from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import test_fence as fence_tests  # noqa: E402 (after the path is set)
from scipy import ndimage  # noqa: E402

from helpers import exercises  # noqa: E402


def _verdict(key: str, answer) -> tuple[bool | None, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        state = exercises.verdict(key, answer)
    return state, out.getvalue().strip()


# --------------------------------------------------------------------------- how results are changed


def _map_result(result, change):
    """Apply ``change`` to every number-like part of a result (an array, a number, each item of a pair)."""
    if isinstance(result, (bool, np.bool_)):
        return change(result)
    if isinstance(result, tuple):
        return tuple(_map_result(item, change) for item in result)
    if isinstance(result, list):
        return [_map_result(item, change) for item in result]
    return change(result)


def _scaled(factor):
    return lambda value: value if isinstance(value, (bool, np.bool_)) else (
        type(value)(value * factor) if isinstance(value, int) and float(value * factor).is_integer() else value * factor)


def _shifted(value):
    if isinstance(value, (bool, np.bool_)):
        return not value
    return value + 1


def _negated(value):
    if isinstance(value, (bool, np.bool_)):
        return not value
    return -value


def _rounded(value):
    array = np.asarray(value)
    if array.dtype.kind == "f":
        return np.rint(array).astype(np.int64) if array.ndim else int(np.rint(array))
    return value


def _transposed(value):
    array = np.asarray(value)
    if array.ndim == 2 and array.shape[0] != array.shape[1]:
        return array.T.copy()
    if array.ndim == 2:
        return array[::-1].copy()
    if array.ndim == 1 and array.size > 1:
        return array[::-1].copy()
    return value


def _as_float32(value):
    array = np.asarray(value)
    if array.dtype.kind == "f":
        return array.astype(np.float32) if array.ndim else np.float32(array)
    return value


def _as_list(value):
    """A float array as nested lists (an integer image keeps its dtype: 04.3 asks for uint8)."""
    return value.tolist() if isinstance(value, np.ndarray) and value.dtype.kind == "f" else value


def _as_python(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


def _with(solution, change):
    """``solution`` with ``change`` applied to its result; ``answer.changed`` says whether it ever changed one."""
    def answer(*args, **kwargs):
        right = solution(*args, **kwargs)
        result = _map_result(right, change)
        if not _same_result(result, right, _KEY[0]):
            answer.changed = True
        return result
    answer.changed = False
    return answer


def _tracked(solution, variant):
    """``variant``, with ``answer.changed`` set once it returned something other than ``solution`` would."""
    def answer(*args, **kwargs):
        result = variant(*args, **kwargs)
        if not _same_result(result, solution(*args, **kwargs), _KEY[0]):
            answer.changed = True
        return result
    answer.changed = False
    return answer


# --------------------------------------------------------------------------- the answers


_CELL = '''
def answer(*args, **kwargs):
    return solution(*args, **kwargs)
'''

_EXEC_LIBRARY = '''
def answer(*args, **kwargs):
    exec("ndimage.median_filter(np.ones((4, 4)), 3)", {"ndimage": ndimage, "np": np})
    return solution(*args, **kwargs)
'''


class _Alike(int):
    """An integer that says it equals everything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = int.__hash__


def _right_answers(key: str) -> list[tuple[str, object]]:
    solution = fence_tests.SOLUTIONS[key]
    cell: dict = {"solution": solution}
    exec(compile(_CELL, "<notebook cell>", "exec"), cell)

    def on_copies(*args, **kwargs):
        copied = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
        return solution(*copied, **kwargs)

    answers = [
        ("the solution", solution),
        ("run from a notebook cell (exec)", cell["answer"]),
        ("wrapped in a lambda", lambda *a, **k: solution(*a, **k)),
        ("working on copies of its inputs", on_copies),
        ("returning lists instead of arrays", _with(solution, _as_list)),
        ("returning Python numbers", _with(solution, _as_python)),
        ("in float32 (or a hint that says float32)", _with(solution, _as_float32)),
    ]
    answers += [(f"another style #{i}", answer) for i, (k, answer) in enumerate(fence_tests.ALTERNATIVES) if k == key]
    return answers


def _wrong_answers(key: str) -> list[tuple[str, object]]:
    solution = fence_tests.SOLUTIONS[key]

    def raises(*args, **kwargs):
        raise ValueError("not finished")

    def generator_exit(*args, **kwargs):
        raise GeneratorExit

    def hint_correct(*args, **kwargs):
        raise exercises.Hint("correct")

    def zeroes_input(*args, **kwargs):
        result = solution(*[np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args], **kwargs)
        for a in args:
            if isinstance(a, np.ndarray) and a.flags.writeable and a.size and np.any(a != 0):
                a[...] = 0
                zeroes_input.changed = True
                break
            if isinstance(a, list) and a:
                a.append(a[-1])
                zeroes_input.changed = True
                break
        return result

    zeroes_input.changed = False

    def switches_profile(*args, **kwargs):
        sys.setprofile(None)
        ndimage.median_filter(np.ones((4, 4)), 3)
        return solution(*args, **kwargs)

    def switches_timer(*args, **kwargs):
        import signal
        signal.setitimer(signal.ITIMER_REAL, 0)
        return solution(*args, **kwargs)

    def lies_with_allclose(*args, **kwargs):
        np.allclose = lambda *a, **k: True
        np.array_equal = lambda *a, **k: True
        return _map_result(solution(*args, **kwargs), _shifted)

    def default_argument(*args, _f=ndimage.median_filter, **kwargs):
        _f(np.ones((4, 4)), 3)
        return solution(*args, **kwargs)

    def calls_wrapped(*args, **kwargs):
        getattr(ndimage.median_filter, "__wrapped__", ndimage.median_filter)(np.ones((4, 4)), 3)
        return solution(*args, **kwargs)

    def my_dispatcher(*args, **kwargs):
        ndimage.median_filter(np.ones((4, 4)), 3)
        return solution(*args, **kwargs)

    def through_a_callback(*args, **kwargs):
        def fill(vector, width, axis, options):
            ndimage.median_filter(np.ones((4, 4)), 3)
        np.pad(np.ones(3), 1, mode=fill)
        return solution(*args, **kwargs)

    class Late:
        def __init__(self, value):
            self.value = value

        def __array__(self, dtype=None, copy=None):
            ndimage.median_filter(np.ones((4, 4)), 3)
            return np.asarray(self.value, dtype=dtype)

    def array_late(*args, **kwargs):
        result = solution(*args, **kwargs)
        return Late(result) if isinstance(result, np.ndarray) else result + 0 * ndimage.median_filter(
            np.ones((4, 4)), 3)[0, 0]

    def alike(*args, **kwargs):
        result = solution(*args, **kwargs)
        if isinstance(result, (int, np.integer)) and not isinstance(result, (bool, np.bool_)):
            return _Alike(int(result) + 7)
        return _map_result(result, _shifted)

    library: dict = {"solution": solution, "ndimage": ndimage, "np": np}
    exec(compile(_EXEC_LIBRARY, "<notebook cell>", "exec"), library)
    answers = [
        ("returns None", lambda *a, **k: None),
        ("returns True", _tracked(solution, lambda *a, **k: True)),
        ("returns an empty list", lambda *a, **k: []),
        ("raises ValueError", raises),
        ("raises GeneratorExit", generator_exit),
        ("raises Hint('correct')", hint_correct),
        ("result times 1.5", _with(solution, _scaled(1.5))),
        ("result times 2", _with(solution, _scaled(2))),
        ("result minus one", _with(solution, lambda v: _negated(_shifted(_negated(v))))),
        ("returns zero", _with(solution, lambda v: v * 0 if not isinstance(v, (bool, np.bool_)) else not v)),
        ("returns its first argument", _tracked(solution, lambda *a, **k: a[0])),
        ("the first two arguments swapped", _tracked(solution, lambda *a, **k: solution(a[1], a[0], *a[2:], **k))),
        ("result times 1.001", _with(solution, _scaled(1.001))),
        ("result plus one", _with(solution, _shifted)),
        ("result negated", _with(solution, _negated)),
        ("result rounded to whole numbers", _with(solution, _rounded)),
        ("result reversed or transposed", _with(solution, _transposed)),
        ("result as text", lambda *a, **k: str(solution(*a, **k))),
        ("changes the caller's input", zeroes_input),
        ("a fenced call inside exec", library["answer"]),
        ("a fenced call captured as a default argument", default_argument),
        ("a fenced call through __wrapped__", calls_wrapped),
        ("a fenced call in a function named *_dispatcher", my_dispatcher),
        ("a fenced call from a callback handed to np.pad", through_a_callback),
        ("a result whose __array__ calls the library", array_late),
        ("an integer whose == says yes (or a shifted result)", alike),
        ("switches the fence off (sys.setprofile)", switches_profile),
        ("switches the timer off (signal.setitimer)", switches_timer),
        ("replaces np.allclose and returns a wrong result", lies_with_allclose),
    ]
    answers += [(f"library twin {call}", answer) for k, answer, call in fence_tests.TWINS if k == key]
    return answers


#: Results that are the same answer written differently: the factors of 11.2 up to a sign.
_SAME_ANSWER = {"11.2": lambda result: np.outer(*result)}


def _same_result(a, b, key: str | None = None) -> bool:
    """True when two results are the same numbers (so a 'wrong' change that changed nothing is skipped)."""
    canonical = _SAME_ANSWER.get(key, lambda result: result)
    try:
        a, b = np.asarray(canonical(a), dtype=float), np.asarray(canonical(b), dtype=float)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-12, atol=1e-12))
    except (TypeError, ValueError):
        return False


_ALLCLOSE, _ARRAY_EQUAL = np.allclose, np.array_equal


_KEY: list[str] = []


def probe(key: str) -> dict:
    """Run every answer for ``key``; the counts and the misjudged answers."""
    _KEY[:] = [key]
    right_refused, wrong_accepted, tried = [], [], 0
    for name, answer in _right_answers(key):
        state, line = _verdict(key, answer)
        tried += 1
        if state is not True and not ("float32" in name and "float32" in line):
            right_refused.append((name, line))
    for name, answer in _wrong_answers(key):
        state, line = _verdict(key, answer)
        np.allclose, np.array_equal = _ALLCLOSE, _ARRAY_EQUAL  # in case the check did not put them back
        sys.setprofile(None)
        if state is True and getattr(answer, "changed", True) is False:
            continue  # the change changed nothing here (a whole number rounded): not a wrong answer
        tried += 1
        if state is True:
            wrong_accepted.append((name, line))
        elif "Traceback" in line or line.count("\n"):
            wrong_accepted.append((name, "more than one line: " + line))
    return {"key": key, "tried": tried, "right_refused": right_refused, "wrong_accepted": wrong_accepted}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="*", help="exercise keys (default: every function exercise)")
    parser.add_argument("--show", action="store_true", help="print each misjudged answer")
    options = parser.parse_args(argv)
    keys = options.keys or fence_tests.FUNCTION_KEYS
    print(f"{'exercise':<10}{'answers tried':>14}{'right refused':>15}{'wrong accepted':>16}", flush=True)
    rows = []
    for key in keys:
        row = probe(key)
        rows.append(row)
        print(f"{row['key']:<10}{row['tried']:>14}{len(row['right_refused']):>15}{len(row['wrong_accepted']):>16}",
              flush=True)
    total = [sum(row[k] if k == "tried" else len(row[k]) for row in rows) for k in
             ("tried", "right_refused", "wrong_accepted")]
    print(f"{'total':<10}{total[0]:>14}{total[1]:>15}{total[2]:>16}")
    if options.show:
        for row in rows:
            for kind in ("right_refused", "wrong_accepted"):
                for name, line in row[kind]:
                    print(f"{row['key']} {kind.replace('_', ' ')}: {name}: {line}")
    return 1 if total[1] or total[2] else 0


if __name__ == "__main__":
    sys.exit(main())

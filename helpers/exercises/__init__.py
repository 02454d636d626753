"""Checks for the exercises at the end of each lesson notebook.

A notebook cell ends with ``check("02.1", answer)``. The check tries the
answer (a value or a function) on cases the notebook did not show and prints
one line: "correct", a hint, or "not answered yet" while the answer is still
``None``. It never prints the answer and never raises, so a student notebook
runs top to bottom.

Each lesson's checks live in their own module (``nb02.py`` for notebook 02)
and register themselves with the :func:`exercise` decorator; every module in
this package is imported below, so a new lesson only adds a file.

Rules every check follows (the machinery below does the common part):

* A check that wants a function says so (``wants_function=True``): a value that
  is not callable gets a sentence, not ``'str' object is not callable``.
* The check calls the student's function through :func:`call_answer`, which
  turns a result of ``None`` and any exception of the student's (a
  ``GeneratorExit``, a ``Hint`` or a ``BaseException`` of their own) into a
  sentence (the exception with the line of the student's own code that raised
  it); only ``KeyboardInterrupt`` stops the cell. It also reads the result
  into plain numbers inside the fence (an ``__array__`` or an ``int`` with its
  own ``==`` is the student's code), names an argument the function changed in
  place or a change to ``helpers.KERNELS``, and refuses an answer that
  replaced one of NumPy's names; while a check runs, NumPy's names are the ones
  the checks imported, whatever the notebook did to them earlier.
* The student's function runs inside a *fence* (``_fence.py``): every call
  into scipy, cv2, skimage, helpers and NumPy's filtering, flipping, padding
  and transform functions is refused unless the exercise ``allows`` it, whoever
  makes the call; the hint names the call ("this exercise asks you to <asks>,
  without <call>"). It also runs under a time limit of a few seconds per case.
* An exercise may still list calls it rules out by name (``ruled_out=``), for
  example only on colour images (``ruled(..., when=...)``): while
  :func:`call_answer` runs the student's function, each is replaced by a
  tripwire. The library is restored when the call ends, even on error.

:func:`result` gives a check's verdict without printing, as (ok, message),
for graders such as nbgrader's test cells.
"""
from __future__ import annotations

import difflib
import functools
import importlib
import linecache
import operator
import pkgutil
import sys
import traceback
import types
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from . import _fence, _wire
from ._fence import Fence


class Hint(Exception):
    """Raised inside a check to end it with this sentence as the hint."""


@dataclass(frozen=True)
class RuledOut:
    """A library call an exercise rules out.

    ``label`` is the call as a student would write it ("np.rot90");
    ``target`` the dotted path of the attribute to replace while the
    student's function runs ("numpy.rot90"); ``when``, if given, limits the
    tripwire to calls whose arguments it accepts (for example only 3-D images).
    """

    label: str
    target: str
    when: Callable[..., bool] | None = None


def ruled(label: str, *, when: Callable[..., bool] | None = None) -> RuledOut:
    """A :class:`RuledOut` from the call as a student writes it: ``ruled("np.rot90")``."""
    return RuledOut(label, _fence.full_name(label), when)


@dataclass
class _Exercise:
    check: Callable[[object], str | None]
    wants_function: bool
    asks: str
    ruled_out: tuple[RuledOut, ...]
    allows: tuple[str, ...] = ()
    time_limit: float | None = None
    fence: Fence = field(default_factory=Fence)


#: key ("02.1") -> the registered exercise.
_EXERCISES: dict[str, _Exercise] = {}
#: key -> check function, kept for code that reads the checks directly.
_CHECKS: dict[str, Callable[[object], str | None]] = {}


def exercise(
    key: str,
    *,
    wants_function: bool = False,
    asks: str = "",
    ruled_out: Sequence[RuledOut | str] = (),
    allows: Sequence[str] = (),
    time_limit: float | None = None,
):
    """Register the decorated function as the check for exercise ``key``.

    The function receives the student's answer and returns None when it is
    right, or a hint (a sentence that does not give the answer away); it may
    also raise :class:`Hint`. ``wants_function`` makes the machinery refuse a
    non-callable answer with a sentence. ``ruled_out`` lists the library calls
    the exercise asks the student not to use (``"np.rot90"`` or a
    :class:`RuledOut`); ``asks`` completes "this exercise asks you to ...".
    ``allows`` names what the student's function may call inside the fence
    (``"np.pad"``, ``"helpers.correlate"``, a whole module such as
    ``"helpers.noise"``); everything else in the fenced zone is refused.
    ``time_limit`` (seconds per call, default ``_fence.TIME_LIMIT``) suits a
    check whose cases take longer.
    """
    rules = tuple(ruled(r) if isinstance(r, str) else r for r in ruled_out)
    if rules and not asks:
        raise ValueError(f"exercise {key!r} rules out calls, so it needs asks='...' for the hint")
    allows = tuple(allows)
    for label in allows:
        _fence.resolve(label)  # a typo fails at import, not in a student's check

    def register(function):
        if key in _EXERCISES:
            raise ValueError(f"exercise {key!r} is registered twice")
        _EXERCISES[key] = _Exercise(
            function, wants_function or bool(rules), asks, rules, allows, time_limit,
            Fence(allows, refuses=[rule.label for rule in rules if rule.when is None]),
        )
        _CHECKS[key] = function
        return function

    return register


def ruled_out_calls(key: str) -> list[str]:
    """The calls exercise ``key`` rules out, as a student writes them."""
    return [rule.label for rule in _EXERCISES[key].ruled_out]


def allowed_calls(key: str) -> list[str]:
    """What exercise ``key`` allows inside the fence besides Python and NumPy's arithmetic."""
    return list(_EXERCISES[key].allows)


def allowed_text(key: str) -> str:
    """The sentence an exercise's text carries: what the student's function may call while the check runs."""
    entry = _EXERCISES[key]
    if not entry.wants_function:
        return ""
    extra = ", ".join(f"`{label}`" for label in entry.allows)
    allowed = "Python, NumPy's arithmetic, indexing, reductions and array building" + (
        f", and {extra}" if extra else "")
    return f"Allowed while the check runs: {allowed}. Refused: {_fence.zone_text(entry.allows)}."


# --------------------------------------------------------------------------- tripwires


class _Tripped(Exception):
    """Raised by a tripwire; carries the label of the ruled-out call."""


def _holders(function) -> list[tuple[object, str, object]]:
    """Where a student's function keeps references of its own: (place, key, value) for its globals,
    its default arguments and the variables it closes over (a wrapped function's too)."""
    found = []
    for _ in range(5):
        for key, value in list((getattr(function, "__globals__", None) or {}).items()):
            found.append((function.__globals__, key, value))
        for index, value in enumerate(getattr(function, "__defaults__", None) or ()):
            found.append((function, index, value))
        for key, value in list((getattr(function, "__kwdefaults__", None) or {}).items()):
            found.append((function.__kwdefaults__, key, value))
        for cell in getattr(function, "__closure__", None) or ():
            try:
                found.append((cell, None, cell.cell_contents))
            except ValueError:  # an empty cell
                continue
        function = getattr(function, "__wrapped__", None) or getattr(function, "func", None)
        if function is None:
            break
    return found


def _put(place, key, value) -> None:
    """Store ``value`` where :func:`_holders` found a reference: a dict entry, a default argument or a cell."""
    if isinstance(place, dict):
        place[key] = value
    elif isinstance(place, types.CellType):
        place.cell_contents = value
    else:
        defaults = list(place.__defaults__)
        defaults[key] = value
        place.__defaults__ = tuple(defaults)


@contextmanager
def _tripwires(rules: Sequence[RuledOut], tripped: list[str], function=None):
    """Replace each ruled-out call while the block runs; restore them all afterwards.

    The student's ``function`` is searched too (its globals, default arguments
    and closure), so a call imported by name (``from helpers.learning import
    fit_kernels``) or captured earlier (``def f(image, f2d=cv2.filter2D)``) is
    also replaced. A tripwire keeps no ``__wrapped__`` that would hand back the
    original.
    """
    saved = []
    saved_refs = []
    holders = _holders(function) if rules and function is not None else []
    try:
        for rule in rules:
            owner, name = _fence.locate(rule.target)
            original = getattr(owner, name)
            places = [(owner, name)]
            defined_in = sys.modules.get(getattr(original, "__module__", "") or "")
            if defined_in is not None and getattr(defined_in, name, None) is original and defined_in is not owner:
                places.append((defined_in, name))  # helpers.correlate is also helpers.convolution.correlate

            def wire(*args, __original=original, __rule=rule, **kwargs):
                caller = sys._getframe(1).f_code.co_filename
                if not _fence.is_library_file(caller) and (__rule.when is None or __rule.when(*args, **kwargs)):
                    tripped.append(__rule.label)
                    raise _Tripped(__rule.label)
                return __original(*args, **kwargs)

            try:
                functools.update_wrapper(wire, original)
            except (AttributeError, TypeError):
                pass
            wire.__dict__.pop("__wrapped__", None)
            for place_owner, place_name in places:
                saved.append((place_owner, place_name, getattr(place_owner, place_name)))
                setattr(place_owner, place_name, wire)
            for place, key, value in holders:
                if value is original:
                    saved_refs.append((place, key, value))
                    _put(place, key, wire)
        yield
    finally:
        for place, key, value in reversed(saved_refs):
            _put(place, key, value)
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)


# --------------------------------------------------------------------------- calling the student's code


_CURRENT: list[_Exercise] = []


def _student_line(error: BaseException) -> str:
    """' (line N of your code: `...`)' for the deepest frame of the student's own code."""
    found = ""
    for frame in traceback.extract_tb(error.__traceback__):
        if _fence.is_library_file(frame.filename) or frame.filename == __file__:
            continue
        text = frame.line or linecache.getline(frame.filename, frame.lineno).strip()
        found = f" in line {frame.lineno} of your code" + (f": `{text.strip()}`" if text else "")
    return found


#: While :func:`helpers.exercises._record.record` runs a check in the student's kernel, the list its
#: calls of the student's function go into: one entry per call, the arguments' fingerprint and the
#: result (plain data) or the hint.
_RECORDING: list[list[dict]] = []


class Replay:
    """A student's function as the grader sees it: the results it gave on the check's cases, in order.

    The grader runs a check with a Replay in place of the function, in a process that never ran the
    student's code: :func:`call_answer` hands the check the recorded result of each call, after making
    sure the call's arguments are the ones the student's function was given (same fingerprint).
    """

    def __init__(self, calls: list[dict]):
        self.calls = calls
        self.used = 0

    def __call__(self, *args, **kwargs):
        raise Hint("the grader only replays the results your function gave in your notebook")

    def next_result(self, args: tuple, kwargs: dict, what: str, allow_none: bool, allow_complex: bool = False):
        if self.used >= len(self.calls):
            raise Hint(f"{what} has no recorded result for one of the check's cases: run the whole notebook "
                       "from the top (Restart and Run All) and submit it again")
        call = self.calls[self.used]
        self.used += 1
        if not isinstance(call, dict) or call.get("args") != _wire.digest(args, kwargs):
            raise Hint(f"the recorded results of {what} are not for the check's cases: run the whole notebook "
                       "from the top (Restart and Run All) and submit it again")
        if "hint" in call:
            raise Hint(str(call["hint"])[:2000])
        try:
            result = _wire.decode(call.get("result"))
        except _wire.Unreadable as error:
            raise Hint(f"the recorded result of {what} is not plain data ({error})") from None
        hint = _result_hint(result, what, allow_none, allow_complex)
        if hint:
            raise Hint(hint)
        return result


def call_answer(function, *args, what: str = "your function", allow_none: bool = False,
                allow_complex: bool = False, **kwargs):
    """Call the student's ``function`` and return its result, or raise :class:`Hint`.

    Grading adds two ways (see ``_record.py``): while a record is made, each call and its outcome
    is also written down as plain data; a :class:`Replay` answers with what was written down.
    """
    if isinstance(function, Replay):
        return function.next_result(args, kwargs, what, allow_none, allow_complex)
    if not _RECORDING:
        return _call_answer(function, *args, what=what, allow_none=allow_none, allow_complex=allow_complex, **kwargs)
    recording = _RECORDING[-1]
    fingerprint = _wire.digest(args, kwargs)  # before the call, which might change its arguments
    try:
        value = _call_answer(function, *args, what=what, allow_none=allow_none, allow_complex=allow_complex,
                             **kwargs)
    except Hint as hint:
        recording.append({"args": fingerprint, "hint": str(hint)})
        raise
    try:
        recording.append({"args": fingerprint, "result": _wire.encode(value)})
    except _wire.Unreadable as error:
        recording.append({"args": fingerprint, "hint": f"{what} returned {error}, which the grader cannot read: "
                                                        "return numbers, text or NumPy arrays of numbers"})
    return value


def _call_answer(function, *args, what: str = "your function", allow_none: bool = False,
                 allow_complex: bool = False, **kwargs):
    """Call the student's ``function`` and return its result, or raise :class:`Hint`.

    While it runs, the current exercise's ruled-out calls are tripwires. A
    result of None (unless ``allow_none``) and any exception become a
    sentence; for an exception the sentence quotes the line of the student's
    code that raised it. A result of ``...`` (a skeleton's ``output = ...``
    returned unchanged) counts as unanswered, like None. A complex result
    becomes a sentence unless ``allow_complex`` (an answer that is a complex
    number, such as a frequency response).
    """
    current = _CURRENT[-1] if _CURRENT else None
    rules = current.ruled_out if current else ()
    for rule in rules:  # the ruled-out call itself given as the answer, e.g. check(key, helpers.separate_kernel)
        if rule.when is None and function is _fence.resolve(rule.target):
            raise Hint(f"this exercise asks you to {current.asks}, without {rule.label}")
    tripped: list[str] = []
    ran_out = [False]
    limit = (current.time_limit or _fence.TIME_LIMIT) if current else None
    fence = current.fence if current else None
    error = None
    given = [(_parameter_name(function, index), value, _snapshot(value)) for index, value in enumerate(args)]
    given += [(name, value, _snapshot(value)) for name, value in kwargs.items()]
    bank = _bank_entries()
    try:
        with _tripwires(rules, tripped, function):
            with _fence.time_limit(limit, ran_out):
                if fence is None:
                    result = _plain(function(*args, **kwargs))
                else:
                    with fence.around(tripped):  # the result is read inside too: its __array__ is the student's code
                        result = _plain(function(*args, **kwargs))
    except KeyboardInterrupt:  # the student stopping the cell
        raise
    except SystemExit as caught:  # sys.exit() or exit() in the student's code must not end the check
        raise Hint(
            f"{what} called sys.exit() (it raised SystemExit){_student_line(caught)}; "
            "a function hands back its answer with return"
        ) from None
    except BaseException as caught:  # noqa: BLE001 (the student's code may fail in any way, GeneratorExit included)
        if tripped or ran_out[0]:
            result, error = None, caught
        else:  # an error of the student's own, or one of the checks' exceptions they raised themselves
            raise Hint(_raised_text(what, caught)) from None
    replaced = _restore_numpy()
    if tripped:
        asks = current.asks or "write this yourself"
        named = list(dict.fromkeys(tripped))
        listed = [label for label in named if label in {rule.label for rule in rules} | _fence.SWITCH_LABELS]
        named = listed or named  # a call the exercise names outright explains itself best
        calls = ", ".join(named[:-1]) + " or " + named[-1] if len(named) > 1 else named[0]
        raise Hint(f"this exercise asks you to {asks}, without {calls}")
    if ran_out[0]:
        raise Hint(_overran_text(what, limit, ran_out[-1], error))
    if replaced:
        raise Hint(
            f"{what} replaced {', '.join('np.' + name for name in replaced)}; the check needs NumPy as it is, "
            "so leave NumPy's functions in place and write your own under a new name"
        )
    for name, value, kept in given:
        if not _same(value, kept):
            if name.startswith("argument "):
                raise Hint(f"{what} changed its {name} in place, and the caller's array must stay as it was: "
                           "work on a copy, e.g. np.array(..., dtype=float)")
            raise Hint(f"{what} changed the {name} it was given, in place; the caller's {name} must stay as it was: "
                       f"work on a copy, e.g. {name} = np.array({name}, dtype=float)")
    changed = _bank_changes(bank)
    if changed:
        raise Hint(f"{what} changed helpers.KERNELS[{changed[0]!r}], the kernel bank every lesson shares; "
                   "build a new kernel instead of changing the bank")
    hint = _result_hint(result, what, allow_none, allow_complex)
    if hint:
        raise Hint(hint)
    return result


def _result_hint(result, what: str, allow_none: bool, allow_complex: bool = False) -> str | None:
    """The sentence for a result no check accepts (None, ``...``, printed numbers, complex numbers), or None."""
    if (result is None and not allow_none) or result is Ellipsis:  # Ellipsis: a skeleton's ``x = ...`` returned
        return (
            f"{what} returned {'...' if result is Ellipsis else 'None'}: replace the ... with your code "
            "and make sure it ends with a return line"
        )
    if isinstance(result, str) and _printed_numbers(result):
        return (f"{what} returned text ({str(result)[:30]!r}); it should return a number or a NumPy array of "
                "numbers, not their printed form")
    return None if allow_complex else _complex_hint(result, f"{what} returned")


def _printed_numbers(text: str) -> bool:
    """True for text that is a number or an array as print shows it ("0.53", "[[1. 2.]"): a return of str(x)."""
    try:
        float(text)
    except ValueError:
        return text.lstrip().startswith("[")
    return True


def _raised_text(what: str, caught: BaseException) -> str:
    """'your function raised ValueError: ... in line N of your code: `...`'."""
    message = str(caught).strip().splitlines()[0] if str(caught).strip() else ""
    detail = f": {message}" if message else ""
    return f"{what} raised {type(caught).__name__}{detail}{_student_line(caught)}"


def _overran_text(what: str, limit: float, elapsed: float, error: BaseException | None) -> str:
    """The time-limit hint: a loop that kept going, or one long step the timer could not interrupt."""
    where = _student_line(error) if error is not None else ""
    if elapsed > limit + 1.0:  # the interruption came late: one long step (C code) ran past the limit
        where = where.replace(" in line", " near line", 1).replace(" of your code", " of your code, where it ended")
        return (
            f"{what} ran for {elapsed:.0f} seconds on one of the check's small cases (the limit is {limit:g}): "
            f"a single long step was running, one library call or one operation on a huge array (such as a "
            f"matrix product of very large matrices), which cannot be interrupted until it ends{where}; "
            "look for an array far larger than the input"
        )
    where = f" (it was{where.replace(' in line', ' at line', 1)})" if where else ""
    return (
        f"{what} was still running after {limit:g} seconds on one of the check's small cases{where}: "
        "look for a loop that never ends (a while loop whose condition never turns false, a counter "
        "that is never changed) or a loop over far more items than the input has"
    )


def _parameter_name(function, index: int) -> str:
    """The name the student gave parameter ``index`` (``kernel``), or ``argument 2``."""
    code = getattr(function, "__code__", None)
    if code is not None and index < code.co_argcount:
        return code.co_varnames[index]
    return f"argument {index + 1}"


def _snapshot(value, depth: int = 2):
    """A copy of an argument the student's function must leave unchanged (arrays, lists, tuples of them)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if depth > 0 and isinstance(value, (list, tuple)):
        return type(value)(_snapshot(item, depth - 1) for item in value) if isinstance(value, list) else tuple(
            _snapshot(item, depth - 1) for item in value)
    return value


def _same(value, kept) -> bool:
    """True when an argument still equals the copy :func:`_snapshot` took (compared with NumPy's own functions)."""
    if isinstance(kept, np.ndarray):
        if not isinstance(value, np.ndarray) or value.shape != kept.shape or value.dtype != kept.dtype:
            return False
        return bool(_ARRAY_EQUAL(value, kept, equal_nan=value.dtype.kind in "fc"))
    if isinstance(kept, (list, tuple)):
        return len(value) == len(kept) and all(_same(a, b) for a, b in zip(value, kept, strict=True))
    return True


_PLAIN_TYPES = (bool, int, float, complex, str, bytes, type(None), type(Ellipsis), np.ndarray)


def _plain(value, depth: int = 3):
    """The student's result in Python's and NumPy's own types (run inside the fence).

    An object of the student's (an ``__array__``, an ``int`` whose ``==`` says
    yes to everything, a generator) is turned into the numbers it stands for
    here, so none of its methods runs later, outside the fence, in the check.
    """
    kind = type(value)
    if kind in _PLAIN_TYPES:
        if kind is np.ndarray and value.dtype == object:
            try:
                return value.astype(np.float64)
            except (TypeError, ValueError):
                return value
        return value
    if isinstance(value, np.generic):
        return np.asarray(value)[()]
    if isinstance(value, np.ndarray) or any(hasattr(value, name) for name in (
            "__array__", "__array_interface__", "__array_struct__")):
        return np.asarray(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, complex):
        return complex(complex.__complex__(value))
    if isinstance(value, str):
        return str.__str__(value)
    if depth > 0 and isinstance(value, (list, tuple, types.GeneratorType)):
        items = [_plain(item, depth - 1) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    if depth > 0 and isinstance(value, dict):
        return {key: _plain(item, depth - 1) for key, item in value.items()}
    if hasattr(kind, "__index__"):
        return operator.index(value)
    if hasattr(kind, "__float__"):
        return float(value)
    return value


#: NumPy's public names as they were when the checks were imported: the checks compare with these.
_NUMPY_NAMES = dict(vars(np))
_ARRAY_EQUAL = np.array_equal


def _restore_numpy() -> list[str]:
    """Put back any NumPy name that is no longer NumPy's own; the names that were replaced."""
    names = vars(np)
    replaced = [name for name, value in _NUMPY_NAMES.items() if names.get(name) is not value]
    for name in replaced:
        setattr(np, name, _NUMPY_NAMES[name])
    return replaced


@contextmanager
def _numpy_as_imported():
    """NumPy's own functions while a check runs, even if the notebook replaced some; the notebook's back after."""
    names = vars(np)
    replaced = {name: names.get(name, _NUMPY_NAMES) for name, value in _NUMPY_NAMES.items() if names.get(name) is not value}
    _restore_numpy()
    try:
        yield
    finally:
        for name, value in replaced.items():
            if value is _NUMPY_NAMES:
                delattr(np, name)
            else:
                setattr(np, name, value)


def _bank_entries() -> dict:
    from ..kernels import KERNELS

    return dict(KERNELS)


def _bank_changes(before: dict | None = None) -> list[str]:
    """Names in helpers.KERNELS that changed since ``before``, or (without it) that differ from the bank as imported."""
    from ..kernels import KERNELS
    from ._answers import BANK

    if before is not None:
        return [name for name in before.keys() | KERNELS.keys() if KERNELS.get(name) is not before.get(name)]
    return [name for name, kernel in BANK.items() if not (
        isinstance(KERNELS.get(name), np.ndarray) and KERNELS[name].shape == kernel.shape
        and _ARRAY_EQUAL(KERNELS[name], kernel))]


def _holds_complex(value, depth: int = 3) -> bool:
    """True when ``value`` is a complex number or an array (or list, tuple, dict) holding some.

    The checks compare numbers with NumPy, which would quietly compare only
    the real part of a complex answer (or cast it with a ComplexWarning).
    """
    if isinstance(value, (complex, np.complexfloating)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "c" or (value.dtype == object and depth > 0 and any(
            _holds_complex(item, depth - 1) for item in value.flat[:1000]))
    if depth > 0 and isinstance(value, (list, tuple, set, frozenset)):
        return any(_holds_complex(item, depth - 1) for item in list(value)[:1000])
    if depth > 0 and isinstance(value, dict):
        return any(_holds_complex(item, depth - 1) for item in list(value.values())[:1000])
    return False


def _complex_hint(value, said: str) -> str | None:
    if not _holds_complex(value):
        return None
    return (
        f"{said} complex numbers (with an imaginary part, such as 1+2j); the answer is real numbers, "
        "so take the real part only where the maths says it is real, e.g. with .real"
    )


def _one_line(text: str) -> str:
    """A hint on one line: a multi-line array repr inside it is joined with single spaces."""
    return " ".join(text.split()) if "\n" in text else text


def _callable_hint(answer) -> str | None:
    if callable(answer):
        return None
    kind = type(answer).__name__
    return (
        f"this exercise wants a function, but your answer is a {kind}: define the function with def and "
        "pass its name without brackets, e.g. check(key, my_function)"
    )


def check(key: str, answer) -> None:
    """Check ``answer`` for exercise ``key`` and print the verdict in one line.

    Returns nothing, so the notebook cell shows only the printed line (under
    nbval a trailing ``;`` does not hide a returned value). Use
    :func:`verdict` to get the result as a value.
    """
    verdict(key, answer)


def verdict(key: str, answer) -> bool | None:
    """Print the verdict like :func:`check` and return it: True (correct),
    False (not yet) or None (not answered yet)."""
    state, line = _judge(key, answer)
    print(line)
    return state


def result(key: str, answer) -> tuple[bool, str]:
    """The verdict without printing: (True, "Exercise 04.0: correct.") or (False, the line with the hint).

    For graders: an nbgrader test cell asserts ``ok`` and shows ``message``.
    ``key`` may also be written with an underscore ("04_0").
    """
    if isinstance(key, str) and key not in _EXERCISES and key.replace("_", ".", 1) in _EXERCISES:
        key = key.replace("_", ".", 1)
    state, line = _judge(key, answer)
    return state is True, line


def _judge(key: str, answer) -> tuple[bool | None, str]:
    """(True/False/None, the one line :func:`check` prints)."""
    if not isinstance(key, str) or key not in _EXERCISES:
        return None, _unknown_key_text(key)
    if answer is None or answer is Ellipsis:
        return None, f"Exercise {key}: not answered yet. Replace None with your answer and run the cell again."
    entry = _EXERCISES[key]
    hint = _callable_hint(answer) if entry.wants_function else None
    if hint is None:
        _CURRENT.append(entry)
        bank_changed = _bank_changes()  # by a cell earlier in the notebook
        try:
            with _numpy_as_imported():
                hint = None if entry.wants_function else _complex_hint(answer, "your answer holds")
                if hint is None:
                    hint = entry.check(answer)
        except KeyboardInterrupt:
            raise
        except Hint as sentence:
            hint = str(sentence) if not _raised_by_student(sentence) else _raised_text("your code", sentence)
        except SystemExit as error:  # an answer that calls sys.exit() outside call_answer
            hint = f"your code called sys.exit() (it raised SystemExit){_student_line(error)}"
        except BaseException as error:  # noqa: BLE001 (an answer of an unexpected kind; the check itself is tested)
            message = str(error).strip().splitlines()[0] if str(error).strip() else ""
            line = _student_line(error)
            if line:
                hint = f"your code raised {type(error).__name__}{': ' + message if message else ''}{line}"
            else:
                hint = f"your answer could not be checked ({type(error).__name__}{': ' + message if message else ''})"
        finally:
            _CURRENT.pop()
        if hint is not None and bank_changed:
            hint = (f"{hint}. Note: helpers.KERNELS[{bank_changed[0]!r}] no longer holds the kernel the lessons "
                    "defined (a cell earlier changed it); restart the kernel and run the notebook from the top")
    if hint is None:
        return True, f"Exercise {key}: correct."
    return False, f"Exercise {key}: not yet. Hint: {_one_line(str(hint))}"


def _raised_by_student(error: BaseException) -> bool:
    """True when the innermost frame that raised ``error`` is the student's code, not a check's."""
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and not _fence.is_library_file(frames[-1].filename)


def _unknown_key_text(key) -> str:
    """One line for a key that names no exercise: the nearest keys, so a typo is easy to fix."""
    known = sorted(_EXERCISES)
    if not isinstance(key, str):
        return (f"There is no exercise {key!r}: the key is text such as {known[0]!r}, "
                "written in quotes as in the cell above it.")
    lesson = key.split(".")[0]
    same_lesson = [k for k in known if k.split(".")[0] == lesson]
    near = same_lesson or difflib.get_close_matches(key, known, n=5, cutoff=0.5)
    listed = ", ".join(near) if near else ", ".join(known)
    return f"There is no exercise {key!r}: check the key for a typo; the exercises near it are {listed}."


def kernel_names_or_hint(answer, example: str, known=None, known_as: str = "helpers.KERNELS") -> tuple[set[str], str | None]:
    """Read an answer that should be a collection of kernel names.

    The names come from ``known`` (a mapping, called ``known_as`` in the
    hints; ``helpers.KERNELS`` by default). Returns (the names, None), or
    (an empty set, a hint) when the answer is not a collection of known
    names. ``example`` shows the expected form.
    """
    if known is None:
        from ._answers import BANK as known
    if isinstance(answer, str) or not isinstance(answer, (set, frozenset, list, tuple)):
        return set(), f"answer with a set of names from {known_as}, such as {example}"
    names = set(answer)
    unknown = sorted(str(n) for n in names if n not in known)
    if unknown:
        listed = ", ".join(repr(n) for n in unknown)
        return set(), f"{listed} is not a name in {known_as}; the names are {', '.join(known)}"
    return names, None


def exercise_keys() -> list[str]:
    """The keys of every registered exercise, sorted."""
    return sorted(_EXERCISES)


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

from ._record import judge as judge, record as record, record_for_grading as record_for_grading  # noqa: E402, I001  (grading)

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
  turns a result of ``None`` and an exception into a sentence (the exception
  with the line of the student's own code that raised it).
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
import pkgutil
import sys
import sysconfig
import traceback
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import _fence
from ._fence import Fence, Switched, TimeUp


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
            function, wants_function or bool(rules), asks, rules, allows, time_limit, Fence(allows)
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


def _library_folders() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    folders = {paths[name] for name in ("stdlib", "platstdlib", "purelib", "platlib") if name in paths}
    folders.add(str(Path(__file__).resolve().parent.parent))  # the helpers package itself
    return tuple(sorted(folders))


_LIBRARY_FOLDERS = _library_folders()


def _is_library_file(filename: str) -> bool:
    """True for code of Python, an installed package or ``helpers``; False for a student's."""
    if filename.startswith("<frozen") or filename.startswith("<__array_function__"):
        return True
    try:
        resolved = str(Path(filename).resolve())
    except (OSError, ValueError):
        return False
    return resolved.startswith(_LIBRARY_FOLDERS)


class _Tripped(Exception):
    """Raised by a tripwire; carries the label of the ruled-out call."""


@contextmanager
def _tripwires(rules: Sequence[RuledOut], tripped: list[str], namespace: dict | None = None):
    """Replace each ruled-out call while the block runs; restore them all afterwards.

    ``namespace`` (the student's globals) is searched too, so a call imported
    by name (``from helpers.learning import fit_kernels``) is also replaced.
    """
    saved = []
    saved_names = []
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
                if not _is_library_file(caller) and (__rule.when is None or __rule.when(*args, **kwargs)):
                    tripped.append(__rule.label)
                    raise _Tripped(__rule.label)
                return __original(*args, **kwargs)

            try:
                functools.update_wrapper(wire, original)
            except (AttributeError, TypeError):
                pass
            for place_owner, place_name in places:
                saved.append((place_owner, place_name, getattr(place_owner, place_name)))
                setattr(place_owner, place_name, wire)
            for key, value in list((namespace or {}).items()):
                if value is original:
                    saved_names.append((key, value))
                    namespace[key] = wire
        yield
    finally:
        for key, value in reversed(saved_names):
            namespace[key] = value
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)


# --------------------------------------------------------------------------- calling the student's code


_CURRENT: list[_Exercise] = []


def _student_line(error: BaseException) -> str:
    """' (line N of your code: `...`)' for the deepest frame of the student's own code."""
    found = ""
    for frame in traceback.extract_tb(error.__traceback__):
        if _is_library_file(frame.filename) or frame.filename == __file__:
            continue
        text = frame.line or linecache.getline(frame.filename, frame.lineno).strip()
        found = f" in line {frame.lineno} of your code" + (f": `{text.strip()}`" if text else "")
    return found


def call_answer(function, *args, what: str = "your function", allow_none: bool = False, **kwargs):
    """Call the student's ``function`` and return its result, or raise :class:`Hint`.

    While it runs, the current exercise's ruled-out calls are tripwires. A
    result of None (unless ``allow_none``) and any exception become a
    sentence; for an exception the sentence quotes the line of the student's
    code that raised it. A result of ``...`` (a skeleton's ``output = ...``
    returned unchanged) counts as unanswered, like None.
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
    try:
        with _tripwires(rules, tripped, getattr(function, "__globals__", None)):
            with _fence.time_limit(limit, ran_out):
                if fence is None:
                    result = function(*args, **kwargs)
                else:
                    with fence.around(tripped):
                        result = function(*args, **kwargs)
    except (_Tripped, Switched):
        result = None
    except TimeUp as caught:
        result, error = None, caught
    except Hint:
        raise
    except SystemExit as caught:  # sys.exit() or exit() in the student's code must not end the check
        raise Hint(
            f"{what} called sys.exit() (it raised SystemExit){_student_line(caught)}; "
            "a function hands back its answer with return"
        ) from None
    except Exception as caught:  # the student's code may fail in any way
        if tripped or ran_out[0]:
            result, error = None, caught
        else:
            message = str(caught).strip().splitlines()[0] if str(caught).strip() else ""
            detail = f": {message}" if message else ""
            raise Hint(f"{what} raised {type(caught).__name__}{detail}{_student_line(caught)}") from None
    if tripped:
        asks = current.asks or "write this yourself"
        named = list(dict.fromkeys(tripped))
        listed = [label for label in named if label in {rule.label for rule in rules} or label.startswith("sys.")]
        named = listed or named  # a call the exercise names outright explains itself best
        calls = ", ".join(named[:-1]) + " or " + named[-1] if len(named) > 1 else named[0]
        raise Hint(f"this exercise asks you to {asks}, without {calls}")
    if ran_out[0]:
        where = _student_line(error) if error is not None else ""
        where = f" (it was{where.replace(' in line', ' at line', 1)})" if where else ""
        raise Hint(
            f"{what} was still running after {limit:g} seconds on one of the check's small cases{where}: "
            "look for a loop that never ends (a while loop whose condition never turns false, a counter "
            "that is never changed) or a loop over far more items than the input has"
        )
    if (result is None and not allow_none) or result is Ellipsis:  # Ellipsis: a skeleton's ``x = ...`` returned
        raise Hint(
            f"{what} returned {'...' if result is Ellipsis else 'None'}: replace the ... with your code "
            "and make sure it ends with a return line"
        )
    complex_hint = _complex_hint(result, f"{what} returned")
    if complex_hint:
        raise Hint(complex_hint)
    return result


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
    hint = _callable_hint(answer) if entry.wants_function else _complex_hint(answer, "your answer holds")
    if hint is None:
        _CURRENT.append(entry)
        try:
            hint = entry.check(answer)
        except Hint as sentence:
            hint = str(sentence)
        except SystemExit as error:  # an answer that calls sys.exit() outside call_answer
            hint = f"your code called sys.exit() (it raised SystemExit){_student_line(error)}"
        except Exception as error:  # an answer of an unexpected kind (the check itself is tested)
            message = str(error).strip().splitlines()[0] if str(error).strip() else ""
            line = _student_line(error)
            if line:
                hint = f"your code raised {type(error).__name__}{': ' + message if message else ''}{line}"
            else:
                hint = f"your answer could not be checked ({type(error).__name__}{': ' + message if message else ''})"
        finally:
            _CURRENT.pop()
    if hint is None:
        return True, f"Exercise {key}: correct."
    return False, f"Exercise {key}: not yet. Hint: {_one_line(str(hint))}"


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

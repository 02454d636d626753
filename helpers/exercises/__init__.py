"""Checks for the exercises at the end of each lesson notebook.

A notebook cell ends with ``check("02.1", answer)``. The check tries the
answer (a value or a function) on cases the notebook did not show and prints
one line: "correct", a hint, or "not answered yet" while the answer is still
``None``. It never prints the answer and never raises, so a student notebook
runs top to bottom.

Each lesson's checks live in their own module (``nb02.py`` for notebook 02)
and register themselves with the :func:`exercise` decorator; every module in
this package is imported below, so a new lesson only adds a file.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

#: key ("02.1") -> function(answer) returning None when right, else a hint.
_CHECKS: dict[str, Callable[[object], str | None]] = {}


def exercise(key: str):
    """Register the decorated function as the check for exercise ``key``.

    The function receives the student's answer and returns None when it is
    right, or a hint (a sentence that does not give the answer away).
    """

    def register(function):
        if key in _CHECKS:
            raise ValueError(f"exercise {key!r} is registered twice")
        _CHECKS[key] = function
        return function

    return register


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
    if key not in _CHECKS:
        known = ", ".join(sorted(_CHECKS))
        raise KeyError(f"no exercise called {key!r}; the known exercises are {known}")
    if answer is None or answer is Ellipsis:
        print(f"Exercise {key}: not answered yet. Replace None with your answer and run the cell again.")
        return None
    try:
        hint = _CHECKS[key](answer)
    except Exception as error:  # the student's code may fail in any way
        hint = f"your answer raised {type(error).__name__}: {error}"
    if hint is None:
        print(f"Exercise {key}: correct.")
        return True
    print(f"Exercise {key}: not yet. Hint: {hint}")
    return False


def kernel_names_or_hint(answer, example: str) -> tuple[set[str], str | None]:
    """Read an answer that should be a collection of names from ``helpers.KERNELS``.

    Returns (the names, None), or (an empty set, a hint) when the answer is not
    a collection of known names. ``example`` shows the expected form.
    """
    from ..kernels import KERNELS

    if isinstance(answer, str) or not isinstance(answer, (set, frozenset, list, tuple)):
        return set(), f"answer with a set of kernel names, such as {example}"
    names = set(answer)
    unknown = sorted(str(n) for n in names if n not in KERNELS)
    if unknown:
        listed = ", ".join(repr(n) for n in unknown)
        return set(), f"{listed} is not a name in helpers.KERNELS; print helpers.KERNELS.keys()"
    return names, None


def exercise_keys() -> list[str]:
    """The keys of every registered exercise, sorted."""
    return sorted(_CHECKS)


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

"""Plain data across a process boundary: a student's answers as JSON, read back without running any code.

Grading (see :mod:`helpers.exercises._record`) runs a student's answers in the
student's kernel and the checks in another process. Only what this module can
write crosses between them: ``None``, ``bool``, ``int``, ``float``,
``complex``, ``str``, ``...``, lists, tuples, sets and dicts of those, and
NumPy arrays of numbers or booleans (dtype, shape and the raw bytes, base64).
:func:`decode` builds values from those parts with Python's and NumPy's
constructors only (``np.frombuffer`` of a numeric dtype), so reading a record
never runs anything the student wrote, whatever the record holds.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math

import numpy as np

#: NumPy dtype kinds that cross: booleans, integers, unsigned, floats, complex.
_ARRAY_KINDS = "biufc"
#: How deep lists and dicts may nest.
_DEPTH = 6


class Unreadable(ValueError):
    """A value (or record) that is not plain data; the message names what was found."""


def encode(value, depth: int = _DEPTH):
    """``value`` as JSON-ready data, or :class:`Unreadable` naming the part that is not plain data."""
    kind = type(value)
    if value is None or kind in (bool, str):
        return value
    if kind is int:
        return {"int": str(value)}
    if kind is float:
        return {"float": repr(value)}
    if kind is complex:
        return {"complex": [repr(value.real), repr(value.imag)]}
    if value is Ellipsis:
        return {"ellipsis": True}
    if kind is np.ndarray or (isinstance(value, np.generic) and kind.__module__ == "numpy"):
        if value.dtype.kind not in _ARRAY_KINDS:
            raise Unreadable(f"NumPy data of {value.dtype} (the grader reads arrays of numbers or booleans)")
        data = np.ascontiguousarray(value)
        tag = "array" if kind is np.ndarray else "scalar"
        return {tag: data.dtype.str, "shape": list(data.shape), "data": base64.b64encode(data.tobytes()).decode()}
    if depth <= 0:
        raise Unreadable("lists or dicts nested too deep")
    if kind in (list, tuple):
        return {kind.__name__: [encode(item, depth - 1) for item in value]}
    if kind in (set, frozenset):
        items = [encode(item, depth - 1) for item in value]
        return {kind.__name__: sorted(items, key=lambda item: json.dumps(item, sort_keys=True))}
    if kind is dict:
        return {"dict": [[encode(k, depth - 1), encode(v, depth - 1)] for k, v in value.items()]}
    raise Unreadable(f"a {kind.__name__}")


def _number(text, kind):
    if not isinstance(text, str) or len(text) > 5000:
        raise Unreadable(f"a malformed {kind.__name__}")
    try:
        return kind(text)
    except ValueError:
        raise Unreadable(f"a malformed {kind.__name__}") from None


def decode(data, depth: int = _DEPTH):
    """The value :func:`encode` wrote; :class:`Unreadable` for anything else."""
    if data is None or type(data) in (bool, str):
        return data
    if not isinstance(data, dict) or len(data) not in (1, 3):  # a dict as JSON readers give it (or a subclass)
        raise Unreadable("a part that is not plain data")
    if "array" in data or "scalar" in data:
        dtype, shape, raw = data.get("array", data.get("scalar")), data.get("shape"), data.get("data")
        if not (isinstance(dtype, str) and isinstance(shape, list) and isinstance(raw, str)):
            raise Unreadable("a malformed array")
        try:
            dtype = np.dtype(dtype)
        except TypeError:
            raise Unreadable("an array of an unknown dtype") from None
        if dtype.kind not in _ARRAY_KINDS or not all(type(s) is int and s >= 0 for s in shape) or len(shape) > 32:
            raise Unreadable("a malformed array")
        buffer = base64.b64decode(raw.encode(), validate=True)
        if len(buffer) != dtype.itemsize * math.prod(shape):
            raise Unreadable("an array whose data does not fit its shape")
        array = np.frombuffer(buffer, dtype=dtype).reshape(shape).copy()
        return array if "array" in data else array.reshape(())[()]
    ((kind, inner),) = data.items()
    if kind == "int":
        return _number(inner, int)
    if kind == "float":
        return _number(inner, float)
    if kind == "complex" and isinstance(inner, list) and len(inner) == 2:
        return complex(_number(inner[0], float), _number(inner[1], float))
    if kind == "ellipsis":
        return Ellipsis
    if depth <= 0:
        raise Unreadable("lists or dicts nested too deep")
    if kind in ("list", "tuple", "set", "frozenset") and isinstance(inner, list):
        items = [decode(item, depth - 1) for item in inner]
        try:
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[kind](items)
        except TypeError:
            raise Unreadable("a set of unhashable items") from None
    if kind == "dict" and isinstance(inner, list) and all(isinstance(p, list) and len(p) == 2 for p in inner):
        try:
            return {decode(k, depth - 1): decode(v, depth - 1) for k, v in inner}
        except TypeError:
            raise Unreadable("a dict with unhashable keys") from None
    raise Unreadable("a part that is not plain data")


def _fingerprint_form(value, depth: int = 3):
    """:func:`encode`'s form, with an object that is not plain data (a function the check passes) named instead."""
    try:
        return encode(value)
    except Unreadable:
        pass
    if depth > 0 and type(value) in (list, tuple):
        return [_fingerprint_form(item, depth - 1) for item in value]
    if depth > 0 and type(value) is dict:
        return [[str(k), _fingerprint_form(v, depth - 1)] for k, v in value.items()]
    return {"object": getattr(value, "__qualname__", type(value).__name__)}


def digest(*values) -> str:
    """A short fingerprint of a check's arguments: equal arguments, equal fingerprints, in any process."""
    text = json.dumps([_fingerprint_form(v) for v in values], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]

"""What the grader reads in an answer's source: library calls an exercise refuses, and changes to libraries.

The fence (``_fence.py``) catches a refused call while the student's function
runs, in the student's kernel, where a determined student can switch it off.
The grader cannot run the student's code, but it can read it: :func:`flags`
parses the answer cells (never runs them) and names

* a call an exercise's check would refuse, written in the body of a function
  the answer cells define (``ndimage.correlate`` in 04.0, ``np.flip`` in 03.2),
  however it was imported (``from scipy import ndimage as nd``);
* a change to a library's or the checks' own names (``np.allclose = ...``,
  ``setattr(np, ...)``), a reach into the checks (``helpers.exercises``) or a
  call that switches the fence off (``sys.setprofile``).

A flag is for the teacher to read the answer; the score is the grader's
check of the recorded results and does not change. A scan cannot see a call
built at run time (``getattr(np, "fl" + "ip")``, ``exec``); that is why the
guide says what the flags can and cannot catch.
"""
from __future__ import annotations

import ast

from . import _EXERCISES, _fence

#: What a student writes, and the module it names, before any import says otherwise.
_DEFAULT_ALIASES = {"np": "numpy", "numpy": "numpy", "helpers": "helpers", "cv2": "cv2", "scipy": "scipy"}
#: Names whose use in an answer is worth the teacher's eye, whatever the exercise (and any private
#: name of the checks, ``helpers.exercises._record``; their public data, such as NEW_KERNELS, is free).
_TAMPERING = ("ctypes", "builtins", "gc.get_referents", "gc.get_referrers",
              *_fence.SWITCH_NAMES)



def _private_check(name: str) -> bool:
    """True for a private name of the checks (``helpers.exercises._judge``): nothing an answer needs."""
    return _within(name, ["helpers.exercises"]) and any(part.startswith("_") for part in name.split(".")[2:])


def _callable(name: str) -> bool:
    """True when ``name`` names something that can be called (data such as helpers.KERNELS cannot be)."""
    try:
        return callable(_fence.resolve(name))
    except (ValueError, ImportError, AttributeError):
        return True  # a name this Python does not have: the teacher reads it


def aliases(sources: list[str]) -> dict[str, str]:
    """Local name -> dotted module or function name, from every import in ``sources`` (notebook cells)."""
    found = dict(_DEFAULT_ALIASES)
    for source in sources:
        for node in ast.walk(_parse(source)):
            if isinstance(node, ast.Import):
                for name in node.names:
                    if name.asname:
                        found[name.asname] = name.name
                    else:
                        found[name.name.split(".")[0]] = name.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for name in node.names:
                    found[name.asname or name.name] = f"{node.module}.{name.name}"
    return found


def _parse(source: str) -> ast.Module:
    lines = [line for line in source.split("\n") if not line.lstrip().startswith(("%", "!"))]  # IPython magics
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


def _dotted(node: ast.AST, names: dict[str, str]) -> str | None:
    """``scipy.ndimage.correlate`` for the expression ``nd.correlate`` when ``nd`` is scipy.ndimage."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in names:
        return None
    return ".".join([names[node.id], *reversed(parts)])


def _used(tree: ast.AST, names: dict[str, str]) -> list[str]:
    """Every dotted library name an expression in ``tree`` reads, outermost attribute chains only."""
    found = []

    class Reader(ast.NodeVisitor):
        def visit_Attribute(self, node):
            dotted = _dotted(node, names)
            if dotted:
                found.append(dotted)
            else:
                self.generic_visit(node)

        def visit_Name(self, node):
            if isinstance(node.ctx, ast.Load) and node.id in names:
                found.append(names[node.id])

    Reader().visit(tree)
    return found


def _within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _refused(key: str, name: str) -> bool:
    """True when exercise ``key``'s check would refuse a call of ``name`` (a full dotted name)."""
    entry = _EXERCISES[key]
    allowed = [_fence.full_name(label) for label in entry.allows]
    ruled = [rule.target for rule in entry.ruled_out if rule.when is None]
    if _within(name, ruled):
        return True
    if _within(name, allowed) or _within(name, _fence.FREE_MODULES):
        return False
    if _within(name, _fence.FENCED_MODULES):
        return True
    return name.startswith("numpy.") and name.split(".")[1] in _fence.FENCED_NUMPY


def _changes(tree: ast.AST, names: dict[str, str]) -> list[str]:
    """Library or checker names the code assigns, deletes or sets (``np.allclose = ...``, ``setattr(np, ...)``)."""
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr"):
            if node.args and _dotted(node.args[0], names):
                found.append(_dotted(node.args[0], names) + ".*")
        for target in targets:
            if isinstance(target, ast.Attribute):
                dotted = _dotted(target, names)
                if dotted:
                    found.append(dotted)
    return found


def flags(key: str, sources: list[str], names: dict[str, str]) -> list[str]:
    """Sentences for the teacher about exercise ``key``'s answer cells ``sources`` (empty: nothing found)."""
    entry = _EXERCISES.get(key)
    said = []
    refused, changed, reached = [], [], []
    for source in sources:
        tree = _parse(source)
        changed += _changes(tree, names)
        reached += [name for name in _used(tree, names) if _within(name, _TAMPERING) or _private_check(name)]
        if entry is not None and entry.wants_function:
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    refused += [name for name in _used(node, names) if _refused(key, name) and _callable(name)]
    if refused:
        listed = ", ".join(dict.fromkeys(refused))
        said.append(f"the answer's code calls {listed}, which exercise {key} asks students to do without")
    if changed:
        said.append(f"the answer cells change {', '.join(dict.fromkeys(changed))}, a name of a library or of the checks")
    if reached:
        said.append(f"the answer cells use {', '.join(dict.fromkeys(reached))}, which an answer has no need of")
    return said

#!/usr/bin/env python3
"""Find error texts in notebook outputs: a cell that shows a traceback instead of its result.

IPython prints some errors into a cell's output and carries on (an error
while displaying an object, a warning turned into text), so a notebook can
run "without errors" and still show a student a traceback. This module names
every such output:

- an output of type ``error`` (an exception in the cell);
- any output text with a Python traceback ("Traceback (most recent call last)");
- on stderr, a line that starts like an exception or warning report
  (``AttributeError: ...``, ``RuntimeWarning: ...``). On stdout such a line
  can be the lesson's own (a check that prints the helper's ValueError message).

Used in two places: ``conftest.py`` checks the fresh outputs of every cell
nbval runs (in every environment); ``python tools/notebook_errors.py`` checks
the stored outputs of notebooks (exit 1 if any).
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the colours of IPython's tracebacks
TRACEBACK = re.compile(r"Traceback \(most recent call last\)")
# "AttributeError: 'VBox' object has no ..." at the start of a line, as Python reports it.
EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception): ", re.MULTILINE)
WARNING_LINE = re.compile(r"^(?:.*:\d+: )?[A-Z]\w*Warning: ", re.MULTILINE)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def error_texts(outputs: Iterable) -> list[str]:
    """One line per output of a cell that is an error or shows one (empty when the outputs are clean)."""
    found = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "error":
            found.append(f"error output: {output.get('ename')}: {output.get('evalue')}")
            continue
        texts = []
        if kind == "stream":
            texts.append((output.get("name"), _text(output.get("text", ""))))
        for mime, value in (output.get("data") or {}).items():
            if mime.startswith("text/"):
                texts.append((mime, _text(value)))
        for where, text in texts:
            text = ANSI.sub("", text)
            for pattern in (TRACEBACK,) + ((EXCEPTION_LINE, WARNING_LINE) if where == "stderr" else ()):
                match = pattern.search(text)
                if match:
                    line = text[match.start():].splitlines()[0]
                    found.append(f"{where}: {line[:160]}")
                    break
    return found


def notebook_errors(path: Path) -> list[str]:
    """Every error text in the stored outputs of the notebook at ``path``, with its cell number."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            found += [f"{path.name} cell {index}: {line}" for line in error_texts(cell.get("outputs", []))]
    return found


def main(argv: list[str]) -> int:
    found = [line for name in argv for line in notebook_errors(Path(name))]
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

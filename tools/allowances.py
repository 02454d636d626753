"""The "Allowed while the check runs: ..." line of each exercise's text, from the checks' registry.

Each exercise whose answer is a function runs it inside a fence
(helpers/exercises/_fence.py) that allows some calls and refuses the rest.
The sentence saying so is generated, so it stays right when an allowance
changes: :func:`with_allowances` puts ``helpers.exercises.allowed_text(key)``
into the Markdown just above the cell that checks ``key``, replacing the
paragraph that starts with "Allowed while the check runs" if there is one,
else after the paragraph starting "Ruled out while the check runs", else at
the end of the last Markdown cell before the check. tools/build_notebooks.py
applies it to every solution notebook (and so to the student notebooks made
from them).
"""
from __future__ import annotations

import copy
import re

CHECK_CALL = re.compile(r"""\b(?:check|verdict|result)\(\s*["'](\d\d\.\d)["']""")
ALLOWED = "Allowed while the check runs"
RULED = "Ruled out while the check runs"


def _with_line(source: str, line: str) -> str:
    """``source`` with ``line`` as its Allowed paragraph."""
    paragraphs = source.split("\n\n")
    for index, paragraph in enumerate(paragraphs):
        if paragraph.startswith(ALLOWED):
            paragraphs[index] = line
            return "\n\n".join(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        if paragraph.startswith(RULED):
            paragraphs.insert(index + 1, line)
            return "\n\n".join(paragraphs)
    return source.rstrip("\n") + "\n\n" + line


def exercise_blocks(nb) -> list[tuple[str, list[int]]]:
    """(key, indices of the Markdown cells between the previous code cell and the cell checking ``key``).

    A code cell that only defines a function (the student's answer) does not
    end the block, so the text above the ``def`` cell counts.
    """
    blocks = []
    markdown: list[int] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            markdown.append(index)
            continue
        keys = CHECK_CALL.findall(cell.source)
        for key in keys:
            blocks.append((key, list(markdown)))
        if keys or (cell.source.strip() and "def " not in cell.source):
            markdown = []
    return blocks


def with_allowances(nb):
    """A copy of ``nb`` whose exercise texts carry their generated Allowed line."""
    from helpers.exercises import _EXERCISES, allowed_text

    nb = copy.deepcopy(nb)
    for key, cells in exercise_blocks(nb):
        if key not in _EXERCISES or not cells:
            continue
        line = allowed_text(key)
        if not line:
            continue
        holder = next((i for i in cells if ALLOWED in nb.cells[i].source), None)
        if holder is None:
            holder = next((i for i in cells if RULED in nb.cells[i].source), cells[-1])
        nb.cells[holder].source = _with_line(nb.cells[holder].source, line)
    return nb

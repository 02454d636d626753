#!/usr/bin/env python3
"""The presenter's copy of each lesson: the student text, every answer one key press later, notes on every section.

    python tools/presenter.py              # writes presenter/NN_name.ipynb (git-ignored), 01 to the last lesson
    python tools/presenter.py 03 07        # only these lessons
    python tools/presenter.py --missing    # list the sections that have no notes in docs/teaching.md; exit 1 if any

The copy is made from the committed notebooks, with their stored outputs (nothing runs):

- every cell of the solution notebook, with its slide metadata (tools/slides.py);
- where a cell holds an answer (a solution block), the student's version of the cell
  first, with its stored output (03.1's six kernels to predict, say) but without the
  check's "not answered yet" line, then the solution cell as a **fragment**: the code
  and its verdict ("correct") appear one key press later, after the show of hands;
  "predict first" outputs are fragments already;
- a speaker-notes cell after the title (the lesson's time and plan, from the guide's
  bullets, as in the solution notebook), after every ``## `` section heading (the
  section's notes, see below) and after the exercises' heading (the lesson's
  **Mistakes** and **Exercises to set**).

Notes on every section live in docs/teaching.md, in the lesson's guide section, as a
``### Notes by section`` block with one ``#### `` heading per notebook section, written
as the notebook's ``## `` heading (its text, or its start):

    ### Notes by section

    #### Two formulas
    - **Time:** 5 minutes.
    - **Stop on:** the two index sums side by side.
    - **Ask:** ...
    - **Answer:** ...

A notes cell is a RISE ``notes`` cell (shown only in the speaker view: RISE's **T**,
the static deck's **S**) whose Markdown is wrapped in a closed ``<details>`` element:
the notebook view shows one "Speaker notes" line that Run All does not open (JupyterLab
re-renders a Markdown cell when it runs and un-collapses a hidden one, but a closed
``<details>`` stays closed), RISE's speaker view shows it formatted (click the line to
open it), and the static deck opens it in its speaker view. A section without notes
gets a notes cell that says so, and ``--missing`` lists it for the guide.
"""
from __future__ import annotations

import argparse
import copy
import html
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_notebooks as generator  # noqa: E402  (tools/build_notebooks.py)
from handouts import without_check_lines  # noqa: E402  (tools/handouts.py: the same line left off paper)

OUT = ROOT / "presenter"
GUIDE = ROOT / "docs" / "teaching.md"
NOTES_TAG = "speaker-notes"
ANSWER_TAG = "answer"
BY_SECTION = "### Notes by section"
#: the guide's lesson bullets shown with the exercises' heading
EXERCISE_BULLETS = ("Mistakes", "Exercises to set")
MISSING = "*No notes for this section in docs/teaching.md yet.*"


def lesson_section(number: str, guide: str | None = None) -> str:
    """The text of the guide's ``## NN · Title`` section (empty if there is none)."""
    if guide is None:
        guide = GUIDE.read_text(encoding="utf-8") if GUIDE.exists() else ""
    found = re.search(rf"^## {number} · .*?$(.*?)(?=^## |\Z)", guide, re.M | re.S)
    return found.group(1) if found else ""


def section_notes(number: str, guide: str | None = None) -> dict[str, str]:
    """The guide's notes by section for lesson ``number``: ``#### `` heading -> its Markdown."""
    text = lesson_section(number, guide)
    if BY_SECTION not in text:
        return {}
    block = text.split(BY_SECTION, 1)[1]
    block = re.split(r"^### ", block, flags=re.M)[0]
    notes = {}
    for part in re.split(r"^#### ", block, flags=re.M)[1:]:
        heading, _, body = part.partition("\n")
        notes[heading.strip()] = body.strip()
    return notes


def lesson_bullets(number: str, names: tuple[str, ...], guide: str | None = None) -> str:
    """The guide's lesson bullets ``- **Name:** ...`` named in ``names`` (before the notes by section)."""
    text = lesson_section(number, guide).split(BY_SECTION, 1)[0]
    bullets = re.split(r"^(?=- \*\*)", text, flags=re.M)
    return "\n".join(b.strip() for b in bullets if b.startswith(tuple(f"- **{name}" for name in names)))


def heading(cell) -> str | None:
    """The text of a Markdown cell's ``## `` heading (None if it does not start with one)."""
    source = cell.source.lstrip()
    if cell.cell_type != "markdown" or not source.startswith("## "):
        return None
    return source.splitlines()[0][3:].strip()


def notes_for(title: str, notes: dict[str, str]) -> str | None:
    """The notes whose heading is the section's title, or its start (the guide may shorten it)."""
    if title in notes:
        return notes[title]
    return next((body for name, body in notes.items() if title.startswith(name)), None)


def notes_cell(markdown: str, cell_id: str, summary: str = "Speaker notes"):
    """A RISE notes cell: the Markdown inside a closed ``<details>`` (see the module's docstring)."""
    cell = nbformat.v4.new_markdown_cell(
        f"<details class=\"speaker-notes\"><summary>{html.escape(summary)}</summary>\n\n{markdown}\n\n</details>",
        metadata={"tags": [NOTES_TAG], "slideshow": {"slide_type": "notes"}},
    )
    cell["id"] = cell_id[:64]
    return cell


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _has_answer(cell) -> bool:
    marks = ("# BEGIN SOLUTION", "<!-- BEGIN SOLUTION -->")
    return any(line.strip().startswith(marks) for line in cell.source.splitlines())


def without_markers(source: str) -> str:
    """``source`` without its ``BEGIN SOLUTION`` and ``END SOLUTION`` lines (the answer itself stays)."""
    marks = ("# BEGIN SOLUTION", "# END SOLUTION", "<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->")
    return "\n".join(line for line in source.split("\n") if not line.strip().startswith(marks))


def presenter_notebook(solution, path: Path, guide: str | None = None):
    """The presenter's copy of the lesson whose solution notebook ``solution`` was read from ``path``.

    ``guide`` is the teacher's guide's text (default: docs/teaching.md).
    """
    number = path.name[:2]
    student_path = generator.NOTEBOOKS / path.name
    student = nbformat.read(student_path, as_version=4) if student_path.is_file() else None
    student_cells = {c.get("id"): c for c in student.cells} if student else {}
    by_section = section_notes(number, guide)
    nb = copy.deepcopy(solution)
    cells = []
    title_done = False
    for cell in nb.cells:
        if NOTES_TAG in _tags(cell):
            continue  # the solution's one notes cell: replaced by the notes below
        if _has_answer(cell) and cell.get("id") in student_cells:
            asked = copy.deepcopy(student_cells[cell["id"]])
            if asked.cell_type == "code":
                without_check_lines(asked)
            asked.metadata["slideshow"] = {"slide_type": "-"}
            cells.append(asked)
            cell = copy.deepcopy(cell)
            cell.source = without_markers(cell.source)
            cell["id"] = f"{cell['id']}-answer"[:64]
            cell.metadata["slideshow"] = {"slide_type": "fragment"}
            cell.metadata.setdefault("tags", []).append(ANSWER_TAG)
        cells.append(cell)
        if not title_done and cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
            title_done = True
            lesson = lesson_bullets(number, generator.NOTES_BULLETS, guide)
            if lesson:
                cells.append(notes_cell(lesson, "notes-lesson", "Speaker notes: the lesson"))
            continue
        title = heading(cell)
        if title is None:
            continue
        body = notes_for(title, by_section) or MISSING
        if title == "Exercises":
            extra = lesson_bullets(number, EXERCISE_BULLETS, guide)
            body = f"{body}\n\n{extra}" if body != MISSING else (extra or MISSING)
        cells.append(notes_cell(body, f"notes-{len(cells)}", f"Speaker notes: {title}"))
    nb.cells = [c for c in cells if not generator.is_navigation(c)]
    return nb


def missing_notes(guide: str | None = None) -> list[str]:
    """Every ``## `` section of every lesson's solution notebook without notes in the guide."""
    found = []
    for path in sorted(generator.SOLUTIONS.glob("[0-9][0-9]_*.ipynb")):
        notes = section_notes(path.name[:2], guide)
        for cell in nbformat.read(path, as_version=4).cells:
            title = heading(cell)
            if title is not None and notes_for(title, notes) is None and title != "Exercises":
                found.append(f"{path.name[:2]} · {title}")
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("numbers", nargs="*", help="lesson numbers (default: every lesson with solutions)")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: presenter/)")
    parser.add_argument("--missing", action="store_true", help="list sections without notes; exit 1 if any")
    args = parser.parse_args(argv)
    if args.missing:
        missing = missing_notes()
        for name in missing:
            print(f"no notes: {name}")
        return 1 if missing else 0
    args.out.mkdir(parents=True, exist_ok=True)
    # RISE reads rise.css beside the notebook: the same slide style as the lessons' (no "Click to add a cell.")
    (args.out / "rise.css").write_text((generator.NOTEBOOKS / "rise.css").read_text(encoding="utf-8"), encoding="utf-8")
    for path in sorted(generator.SOLUTIONS.glob("[0-9][0-9]_*.ipynb")):
        if args.numbers and path.name[:2] not in args.numbers:
            continue
        nb = presenter_notebook(nbformat.read(path, as_version=4), path)
        nbformat.write(nb, args.out / path.name)
        print(f"wrote {(args.out / path.name).relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out / path.name}")
    missing = missing_notes()
    if missing:
        print(f"{len(missing)} sections have no notes yet (python tools/presenter.py --missing lists them)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

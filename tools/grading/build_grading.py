#!/usr/bin/env python3
"""Make an nbgrader course folder from the solution notebooks, and optionally grade it.

The solution notebooks in ``notebooks/solutions/`` are the source. For each
lesson NN this writes ``grading/source/lessonNN/NN_name.ipynb``, an nbgrader
*source* notebook:

* every code cell holding a solution block (``# BEGIN SOLUTION`` ...
  ``# END SOLUTION``, see tools/build_notebooks.py) becomes an nbgrader
  answer cell (``solution: true``). The block's placeholder, the skeleton line
  the student notebook shows (``padded = ...``), stays in front of nbgrader's
  ``### BEGIN SOLUTION`` marker, so ``nbgrader generate_assignment`` releases
  the same skeleton as the student notebook;
* after every cell that checks an exercise (``check("04.0", answer)`` or
  ``verdict(...)``) comes a locked test cell worth one point, named after the
  exercise, that only records the answer as plain data::

      # Exercise 04.0: Step 4: the double loop, your turn
      from helpers.exercises import record_for_grading

      record_for_grading('04.0', your_correlate_loop)

  and ``series_grader.py`` (copied beside ``nbgrader_config.py``) judges the
  record in nbgrader's own process, where the student's code never runs;
* speaker notes are dropped (they name the answers);
* written answers (Markdown solution blocks) are left to the teacher: the
  source notebook shows the student's placeholder there;
* the navigation cells are dropped (their links point into the repository).

Grade ids have no dots: ``answer_04_0``, ``test_04_0``.

    python tools/grading/build_grading.py                # write grading/
    python tools/grading/build_grading.py --autograde    # also release, submit, autograde, check the totals

``--autograde`` (run by ``make grading-test`` in CI) releases every lesson,
submits it three times, as the solution notebook itself (student
"solutions"), as the released notebook untouched ("blank") and as the release
with the checker and NumPy's comparisons patched in its first answer cell
("patched"), runs ``nbgrader autograde`` and ``generate_feedback``, and exits
1 unless the solutions get full marks with no flag, blank and patched zero,
each feedback page names every exercise and gives its verdict once, no release
or feedback page carries speaker notes, and autograde refuses the repository's
own student notebook with a message (first lesson only). It grades two lessons
at a time (``GRADING_WORKERS``), each into a gradebook file of its own.
"""
from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from build_notebooks import (  # noqa: E402  (tools/build_notebooks.py: the solution-block syntax)
    CODE_BEGIN,
    CODE_END,
    CODE_PLACEHOLDER,
    NOTES_TAG,
    is_navigation,
    strip_solutions,
)

SOLUTIONS = ROOT / "notebooks" / "solutions"
COURSE = ROOT / "grading"
CHECKS = ("check", "verdict")
GRADER = Path(__file__).with_name("series_grader.py")
CONFIG = '''"""nbgrader settings for the course folder made by tools/grading/build_grading.py.

No absolute path: the folder works wherever it is copied (with the series' helpers installed, as the
students' kernels need them too). series_grader.py, beside this file, puts the grader's own check of
every answer into nbgrader's autograde (see its docstring).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from series_grader import configure  # noqa: E402

c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.root = HERE
# The released skeleton is the line in front of the solution block; the block itself leaves nothing.
c.ClearSolutions.code_stub = {"python": ""}
# Some lessons measure or learn for a while; the checks themselves stop a student's function after seconds.
c.ExecutePreprocessor.timeout = 900
c.Execute.timeout = 900
configure(c)
'''


def grade_id(kind: str, key: str) -> str:
    """``answer_04_0``: nbgrader ids without dots."""
    return f"{kind}_{key.replace('.', '_')}"


def metadata(kind: str, key: str, *, points: int = 0) -> dict:
    data = {
        "grade_id": grade_id(kind, key),
        "schema_version": 3,
        "solution": kind == "answer",
        "grade": kind == "test",
        "locked": kind == "test",
    }
    if kind == "test":
        data["points"] = points
    return data


def checked_answers(source: str) -> list[tuple[str, str]]:
    """(key, the answer expression) for each ``check("KK.K", answer)`` or ``verdict(...)`` in a cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CHECKS
            and len(node.args) == 2 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
        ):
            found.append((node.args[0].value, ast.unparse(node.args[1])))
    return found


def nbgrader_blocks(source: str) -> str:
    """``# BEGIN SOLUTION -> x = ...`` blocks rewritten for nbgrader, the placeholder kept in front."""
    lines = []
    for line in source.split("\n"):
        begin = CODE_BEGIN.match(line)
        if begin:
            indent = begin.group(1)
            placeholder = begin.group("placeholder") or CODE_PLACEHOLDER
            lines += [f"{indent}{placeholder}", f"{indent}### BEGIN SOLUTION"]
        elif CODE_END.match(line):
            lines.append(f"{line[: len(line) - len(line.lstrip())]}### END SOLUTION")
        else:
            lines.append(line)
    return "\n".join(lines)


def is_speaker_notes(cell) -> bool:
    """The teacher's notes (they name the answers): tagged by the generator, or any RISE notes cell."""
    meta = cell.get("metadata", {})
    return NOTES_TAG in meta.get("tags", []) or meta.get("slideshow", {}).get("slide_type") == "notes"


EXERCISE_TITLE = re.compile(r"\*\*Exercise (\d\d\.\d+):\s*(.+?)\*\*")
#: A section that is an exercise: "### The double loop, your turn (Exercise 04.0)".
EXERCISE_SECTION = re.compile(r"^#+\s*(.+?)\s*\(Exercise (\d\d\.\d+)\)\s*$", re.M)


def exercise_titles(nb) -> dict[str, str]:
    """Exercise key -> its title in the lesson ("turn a kernel by hand"), from the bold Markdown lead-ins."""
    titles = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for key, title in EXERCISE_TITLE.findall(cell.source):
                titles.setdefault(key, title.strip().rstrip("."))
            for title, key in EXERCISE_SECTION.findall(cell.source):
                titles.setdefault(key, title.strip().rstrip(","))
    return titles


def test_source(key: str, answer: str, title: str) -> str:
    """The locked test cell: it names the exercise and records the answer; the grader judges the record."""
    heading = f"# Exercise {key}" + (f": {title}" if title else "")
    return (
        f"{heading}\n"
        "# Graded apart from this notebook: this cell records your answer, the grader checks it again.\n"
        "from helpers.exercises import record_for_grading\n\n"
        f"record_for_grading({key!r}, {answer})"
    )


def source_notebook(solution_nb, number: str) -> tuple[nbformat.NotebookNode, list[str]]:
    """The nbgrader source notebook for one lesson, and the exercise keys it grades."""
    nb = copy.deepcopy(solution_nb)
    titles = exercise_titles(nb)
    cells, keys = [], []
    pending_answers: list[nbformat.NotebookNode] = []
    for index, cell in enumerate(nb.cells):
        if is_navigation(cell) or is_speaker_notes(cell):
            continue
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if cell.cell_type == "markdown":
            cell.source = strip_solutions(cell.source, "markdown")
            cells.append(cell)
            continue
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        if any(CODE_BEGIN.match(line) for line in cell.source.split("\n")):
            cell.source = nbgrader_blocks(cell.source)
            cell.metadata["nbgrader"] = metadata("answer", f"{number}_cell{index}")
            pending_answers.append(cell)
        cells.append(cell)
        for key, answer in checked_answers(cell.source):
            if key in keys:
                continue
            keys.append(key)
            for answer_cell in pending_answers:  # name the answer cells after the exercise they answer
                answer_cell.metadata["nbgrader"]["grade_id"] = grade_id("answer", key) + (
                    f"_{pending_answers.index(answer_cell)}" if len(pending_answers) > 1 else "")
            pending_answers = []
            test = nbformat.v4.new_code_cell(test_source(key, answer, titles.get(key, "")))
            test.metadata["nbgrader"] = metadata("test", key, points=1)
            cells.append(test)
    nb.cells = cells
    return nb, keys


def build() -> dict[str, list[str]]:
    """Write grading/source/lessonNN/*.ipynb and grading/nbgrader_config.py; lesson -> graded keys."""
    source_root = COURSE / "source"
    if source_root.exists():
        shutil.rmtree(source_root)
    graded = {}
    for path in sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb")):
        number = path.name[:2]
        solution = nbformat.read(path, as_version=4)
        nb, keys = source_notebook(solution, number)
        nb.metadata.pop("series", None)
        if not keys:
            continue
        folder = source_root / f"lesson{number}"
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / path.name)
        graded[f"lesson{number}"] = keys
    (COURSE / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    shutil.copy(GRADER, COURSE / GRADER.name)
    return graded


def nbgrader_env() -> dict[str, str]:
    """nbgrader runs alembic (its database migrations) by name: the venv's bin goes first on PATH."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def nbgrader(*args: str, log: list[str] | None = None) -> None:
    """Run ``nbgrader *args`` in the course folder; its output goes to ``log`` when given, else to the screen."""
    command = [sys.executable, "-m", "nbgrader", *args]
    env = nbgrader_env()
    if log is None:
        print("$ nbgrader " + " ".join(args), flush=True)
        subprocess.run(command, cwd=COURSE, check=True, env=env)
        return
    run = subprocess.run(command, cwd=COURSE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log.append("$ nbgrader " + " ".join(args) + "\n" + run.stdout)
    if run.returncode:
        raise GradingFailed("\n".join(log) + f"\nnbgrader {args[0]} {args[1]} failed (exit {run.returncode})")


class GradingFailed(RuntimeError):
    """An nbgrader command failed; the message is everything nbgrader printed for that assignment."""


def gradebook_url(assignment: str) -> str:
    """The test's gradebook of one assignment: its own SQLite file, so assignments can be graded side by side."""
    return f"sqlite:///{COURSE / f'gradebook-{assignment}.db'}"


#: The patch a teacher tried (issue 26): the checker and NumPy's comparisons replaced, in the first answer
#: cell of a blank release. It must earn nothing.
PATCH = (
    "import helpers.exercises as _e; import numpy as _np; _ok = lambda *a, **k: True\n"
    "_e.result = lambda *a, **k: (True, ''); _e._judge = _e._record._judge = lambda key, answer: "
    "(True, f'Exercise {key}: correct.')\n"
    "_np.allclose = _np.array_equal = _np.array_equiv = _np.isclose = _ok; "
    "_np.testing.assert_allclose = _np.testing.assert_array_equal = lambda *a, **k: None\n"
)
#: The pretend students: who they are and what they submit.
STUDENTS = ("solutions", "blank", "patched")


def patched(release: Path) -> nbformat.NotebookNode:
    """The released notebook with :data:`PATCH` at the top of its first answer cell."""
    nb = nbformat.read(release, as_version=4)
    first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")
    first.source = PATCH + first.source
    return nb


def grade_assignment(assignment: str, refuse_repository: bool = False) -> tuple[str, float]:
    """Release ``assignment``, submit it as the pretend :data:`STUDENTS`, autograde, write feedback.

    Returns nbgrader's output and the seconds autograde took per student. With ``refuse_repository``,
    also submit the repository's own student notebook, which autograde must refuse with a message.
    """
    log: list[str] = []
    database = f"--CourseDirectory.db_url={gradebook_url(assignment)}"
    nbgrader("generate_assignment", assignment, "--force", database, log=log)
    for student in STUDENTS:
        folder = COURSE / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for notebook in (COURSE / "release" / assignment).glob("*.ipynb"):
            if student == "solutions":
                shutil.copy(COURSE / "source" / assignment / notebook.name, folder / notebook.name)
            elif student == "blank":
                shutil.copy(notebook, folder / notebook.name)
            else:
                nbformat.write(patched(notebook), folder / notebook.name)
    started = time.perf_counter()
    nbgrader("autograde", assignment, "--create", "--force", database, log=log)
    per_student = (time.perf_counter() - started) / len(STUDENTS)
    nbgrader("generate_feedback", assignment, "--force", database, log=log)
    if refuse_repository:
        log.append(refused_repository(assignment, database))
    return "\n".join(log), per_student


def refused_repository(assignment: str, database: str) -> str:
    """Submit the repository's student notebook as student "repository": autograde must stop and say so."""
    folder = COURSE / "submitted" / "repository" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for notebook in (COURSE / "release" / assignment).glob("*.ipynb"):
        shutil.copy(ROOT / "notebooks" / notebook.name, folder / notebook.name)
    run = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", assignment, "--student", "repository", "--create", database],
        cwd=COURSE, env=nbgrader_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    said = f"$ nbgrader autograde {assignment} --student repository\n{run.stdout}"
    if run.returncode == 0 or "is not the released notebook" not in run.stdout:
        raise GradingFailed(said + "\nFAIL: the repository's notebook was not refused with a message")
    return said


#: Assignments graded side by side by --autograde (each runs its notebooks one at a time in one kernel).
WORKERS = int(os.environ.get("GRADING_WORKERS", "2"))


def clean() -> None:
    for target in [COURSE / name for name in ("release", "submitted", "autograded", "feedback")] + sorted(
        COURSE.glob("gradebook*.db")
    ):
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def speaker_note_fragments() -> dict[str, list[str]]:
    """Lesson number -> runs of plain words found in its speaker notes and nowhere in its student notebook.

    Such a run in a release or a feedback page can only have come from the notes.
    """
    from build_notebooks import guide_notes

    fragments = {}
    for path in sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb")):
        notes = guide_notes(path.name[:2]) or ""
        student = ROOT / "notebooks" / path.name
        lesson = " ".join(c.source for c in nbformat.read(student, as_version=4).cells) if student.exists() else ""
        runs = [run.strip() for run in re.findall(r"[A-Za-z ,;]{40,}", notes)]
        fragments[path.name[:2]] = [run for run in runs if run not in lesson]
    return fragments


def leaks(assignment: str, fragments: list[str]) -> list[str]:
    """Speaker notes found in the release or the feedback of ``assignment``: where, and what."""
    found = []
    pages = sorted((COURSE / "release" / assignment).glob("*.ipynb")) + sorted(
        (COURSE / "feedback").glob(f"*/{assignment}/*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if "Speaker notes" in text or '"notes"' in text:
            found.append(f"{page.relative_to(COURSE)} carries a speaker-notes cell")
        found += [f"{page.relative_to(COURSE)} carries the notes' {run[:50]!r}" for run in fragments if run in text]
    if not pages:
        found.append(f"no release or feedback pages of {assignment} to check")
    return found


def feedback_problems(assignment: str, keys: list[str]) -> list[str]:
    """Each exercise named in the blank student's feedback, and its hint given once."""
    problems = []
    for page in sorted((COURSE / "feedback" / "blank" / assignment).glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for key in keys:
            if f"# Exercise {key}" not in text:
                problems.append(f"{page.name}: no test cell names exercise {key}")
            shown = len(re.findall(rf"Exercise {re.escape(key)}: (?:not|correct)", text))
            if shown != 1:
                problems.append(f"{page.name}: the verdict on exercise {key} shows {shown} times, not once")
    return problems


def autograde(graded: dict[str, list[str]]) -> int:
    """Release, submit, autograde, feedback; 0 when solutions score full marks, blank and patched zero,
    and no release or feedback page carries speaker notes.

    This is the guide's flow (generate_assignment, autograde with --create, generate_feedback) for every
    lesson, :data:`WORKERS` lessons at a time; each lesson keeps its scores in a gradebook
    of its own (:func:`gradebook_url`), since one SQLite file takes one writer at a time.
    """
    clean()
    first = next(iter(graded), None)
    timings = {}
    with ThreadPoolExecutor(max_workers=max(1, WORKERS)) as pool:
        try:
            jobs = {a: pool.submit(grade_assignment, a, a == first) for a in graded}
            for assignment, job in jobs.items():  # in lesson order, each lesson's output whole
                output, timings[assignment] = job.result()
                print(output, flush=True)
        except GradingFailed as failure:
            print(failure, flush=True)
            return 1

    from nbgrader.api import Gradebook

    failures = []
    fragments = speaker_note_fragments()
    totals = {student: [0.0, 0.0] for student in STUDENTS}
    for assignment, keys in graded.items():
        failures += [f"{assignment}: {leak}" for leak in leaks(assignment, fragments[assignment[len("lesson"):]])]
        failures += [f"{assignment}: {problem}" for problem in feedback_problems(assignment, keys)]
        with Gradebook(gradebook_url(assignment)) as gradebook:
            for student in totals:
                submission = gradebook.find_submission(assignment, student)
                score, maximum = submission.score, submission.max_score
                totals[student][0] += score
                totals[student][1] += maximum
                flagged = [g.name for n in submission.notebooks for g in n.grades if g.needs_manual_grade]
                print(f"{assignment} {student:<9} {score:g} / {maximum:g}"
                      + (f"  flagged for the teacher: {', '.join(flagged)}" if flagged else ""))
                if student == "solutions" and flagged:
                    failures.append(f"{assignment} solutions: flagged for the teacher ({', '.join(flagged)})")
                if student == "patched" and not flagged:
                    failures.append(f"{assignment} patched: the patch in the first answer cell was not flagged")
                if (student == "solutions" and score != maximum) or (student != "solutions" and score != 0):
                    for notebook in submission.notebooks:
                        for grade in notebook.grades:
                            if grade.auto_score != (grade.max_score if student == "solutions" else 0):
                                failures.append(f"{assignment} {student}: {grade.name} scored {grade.auto_score}")
    for student, (score, maximum) in totals.items():
        print(f"total {student:<9} {score:g} / {maximum:g}")
    if timings:
        print(f"autograde time per student: {min(timings.values()):.1f} to {max(timings.values()):.1f} s a lesson "
              f"({sum(timings.values()):.0f} s for one student's {len(timings)} lessons, {WORKERS} lessons at a time)")
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--autograde", action="store_true", help="also release, submit, autograde and check totals")
    parser.add_argument("lessons", nargs="*", help="only these lesson numbers (with --autograde), e.g. 04")
    args = parser.parse_args(argv)
    graded = build()
    for assignment, keys in graded.items():
        print(f"grading/source/{assignment}: {len(keys)} graded exercises ({', '.join(keys)})")
    if not args.autograde:
        return 0
    if args.lessons:
        graded = {a: k for a, k in graded.items() if a[len("lesson"):] in args.lessons}
    return autograde(graded)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

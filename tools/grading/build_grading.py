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
  ``verdict(...)``) comes a locked test cell worth one point that asserts the
  check's verdict through :func:`helpers.exercises.result`, which prints
  nothing and returns (ok, message)::

      ok, message = result("04.0", your_correlate_loop)
      assert ok, message

* written answers (Markdown solution blocks) are left to the teacher: the
  source notebook shows the student's placeholder there;
* the navigation cells are dropped (their links point into the repository).

Grade ids have no dots: ``answer_04_0``, ``test_04_0``.

    python tools/grading/build_grading.py                # write grading/
    python tools/grading/build_grading.py --autograde    # also release, submit, autograde, check the totals

``--autograde`` (run by ``make grading-test`` in CI) releases every lesson,
submits each twice, as the solution notebook itself (student "solutions")
and as the released notebook untouched (student "blank"), runs ``nbgrader
autograde`` and exits 1 unless the solutions get full marks and the blank
notebooks zero. It grades two lessons at a time (``GRADING_WORKERS``), each
into a gradebook file of its own.
"""
from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from build_notebooks import (  # noqa: E402  (tools/build_notebooks.py: the solution-block syntax)
    CODE_BEGIN,
    CODE_END,
    CODE_PLACEHOLDER,
    is_navigation,
    strip_solutions,
)

SOLUTIONS = ROOT / "notebooks" / "solutions"
COURSE = ROOT / "grading"
CHECKS = ("check", "verdict")
CONFIG = '''"""nbgrader settings for the course folder made by tools/grading/build_grading.py."""
c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.root = {root!r}
# The released skeleton is the line in front of the solution block; the block itself leaves nothing.
c.ClearSolutions.code_stub = {"python": ""}
# Some lessons measure or learn for a while; the checks themselves stop a student's function after seconds.
c.ExecutePreprocessor.timeout = 900
c.Execute.timeout = 900
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


def source_notebook(solution_nb, number: str) -> tuple[nbformat.NotebookNode, list[str]]:
    """The nbgrader source notebook for one lesson, and the exercise keys it grades."""
    nb = copy.deepcopy(solution_nb)
    cells, keys = [], []
    pending_answers: list[nbformat.NotebookNode] = []
    for index, cell in enumerate(nb.cells):
        if is_navigation(cell):
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
            test = nbformat.v4.new_code_cell(
                "from helpers.exercises import result\n\n"
                f"ok, message = result({key!r}, {answer})\n"
                "assert ok, message"
            )
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
    (COURSE / "nbgrader_config.py").write_text(CONFIG.replace("{root!r}", repr(str(COURSE))), encoding="utf-8")
    return graded


def nbgrader(*args: str, log: list[str] | None = None) -> None:
    """Run ``nbgrader *args`` in the course folder; its output goes to ``log`` when given, else to the screen."""
    command = [sys.executable, "-m", "nbgrader", *args]
    # nbgrader runs alembic (its database migrations) by name: the venv's bin goes first on PATH.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
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


def grade_assignment(assignment: str) -> str:
    """Release ``assignment``, submit it as two pretend students (solutions, blank), autograde; nbgrader's output."""
    log: list[str] = []
    database = f"--CourseDirectory.db_url={gradebook_url(assignment)}"
    nbgrader("generate_assignment", assignment, "--force", database, log=log)
    for student, origin in (("solutions", "source"), ("blank", "release")):
        folder = COURSE / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for notebook in (COURSE / origin / assignment).glob("*.ipynb"):
            shutil.copy(notebook, folder / notebook.name)
    nbgrader("autograde", assignment, "--create", "--force", database, log=log)
    return "\n".join(log)


#: Assignments graded side by side by --autograde (each runs its notebooks one at a time in one kernel).
WORKERS = int(os.environ.get("GRADING_WORKERS", "2"))


def autograde(graded: dict[str, list[str]]) -> int:
    """Release, submit (solutions, blank), autograde; 0 when solutions score full marks and blank zero.

    This is the guide's flow (generate_assignment, then autograde with --create) for every
    lesson, :data:`WORKERS` lessons at a time; each lesson keeps its scores in a gradebook
    of its own (:func:`gradebook_url`), since one SQLite file takes one writer at a time.
    """
    for target in [COURSE / name for name in ("release", "submitted", "autograded", "feedback")] + sorted(
        COURSE.glob("gradebook*.db")
    ):
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    with ThreadPoolExecutor(max_workers=max(1, WORKERS)) as pool:
        try:
            for output in pool.map(grade_assignment, graded):  # in lesson order, each lesson's output whole
                print(output, flush=True)
        except GradingFailed as failure:
            print(failure, flush=True)
            return 1

    from nbgrader.api import Gradebook

    failures = []
    totals = {"solutions": [0.0, 0.0], "blank": [0.0, 0.0]}
    for assignment in graded:
        with Gradebook(gradebook_url(assignment)) as gradebook:
            for student in totals:
                submission = gradebook.find_submission(assignment, student)
                score, maximum = submission.score, submission.max_score
                totals[student][0] += score
                totals[student][1] += maximum
                print(f"{assignment} {student:<9} {score:g} / {maximum:g}")
                if (student == "solutions" and score != maximum) or (student == "blank" and score != 0):
                    for notebook in submission.notebooks:
                        for grade in notebook.grades:
                            if grade.auto_score != (grade.max_score if student == "solutions" else 0):
                                failures.append(f"{assignment} {student}: {grade.name} scored {grade.auto_score}")
    for student, (score, maximum) in totals.items():
        print(f"total {student:<9} {score:g} / {maximum:g}")
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

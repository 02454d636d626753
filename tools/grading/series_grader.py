"""nbgrader preprocessors of the course folder: the verdicts come from a process the student's code never reaches.

``tools/grading/build_grading.py`` copies this file into the course folder
beside ``nbgrader_config.py``, which calls :func:`configure`. ``nbgrader
autograde`` then runs, for each submitted notebook:

1. :class:`RefuseUnreleased` (first, before nbgrader's own sanitising): a notebook
   with none of the release's graded cells, such as the repository's own
   student notebook that the nbgitpuller and Colab links open, is refused with
   an error naming the file and what to submit, instead of scoring 0 in silence;
2. nbgrader's ``Execute``: the notebook runs in a fresh kernel; each test cell
   only records the answer above it as plain data (``helpers/exercises/_record.py``);
3. :class:`JudgeRecords`, here in nbgrader's own process, which never runs the
   student's code: for each test cell it reads the record and runs the
   exercise's check on it (:func:`helpers.exercises.judge`), and replaces the
   cell's output with that verdict, an error for "not yet" (nbgrader scores an
   error as 0), one line for "correct". The line the notebook's own
   ``check(...)`` printed in the student's kernel is taken out of the answer
   cell's output, so the feedback gives each hint once and from the grader. A
   scan of the answer's source (``helpers/exercises/_scan.py``) adds a note
   for the teacher;
4. nbgrader's ``SaveAutoGrades`` scores the cells, then :class:`FlagForTeacher`
   marks each flagged grade "needs manual grade" in the gradebook and logs it.
"""
from __future__ import annotations

import re

from nbformat.v4 import new_output
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, SaveAutoGrades

from helpers.exercises import judge
from helpers.exercises._record import MIME
from helpers.exercises._scan import aliases, flags

#: Flags found by JudgeRecords, read by FlagForTeacher: (notebook, student) -> {grade_id: sentences}.
_FLAGS: dict[tuple[str, str], dict[str, list[str]]] = {}


def _key(grade_id: str) -> str:
    """``04.0`` for the test cell ``test_04_0``."""
    return grade_id[len("test_"):].replace("_", ".", 1)


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {}) if cell.cell_type in ("code", "markdown") else {}


class RefuseUnreleased(NbGraderPreprocessor):
    """Stop with a clear message when the submission is not the released notebook."""

    def preprocess(self, nb, resources):
        if any(_nbgrader(cell).get("grade_id") for cell in nb.cells):
            return nb, resources
        info = resources["nbgrader"]
        name = f"{info['notebook']}.ipynb"
        raise ValueError(
            f"submitted/{info['student']}/{info['assignment']}/{name} is not the released notebook of "
            f"{info['assignment']}: it has none of its graded cells (it looks like the series' own "
            f"notebooks/{name}, which the nbgitpuller and Colab links open). Nothing was graded for "
            f"{info['student']}. Ask for release/{info['assignment']}/{name} with the answers in its answer "
            "cells (copy them over from the other notebook), put it in place of this file and run autograde again."
        )


class JudgeRecords(NbGraderPreprocessor):
    """Replace each test cell's output with the grader's verdict on the answer the cell recorded."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
        names = aliases(code)
        answers: dict[str, list[str]] = {}
        found: dict[str, list[str]] = {}
        for cell in nb.cells:
            meta = _nbgrader(cell)
            grade_id = meta.get("grade_id", "")
            if meta.get("solution") and cell.cell_type == "code":
                named = re.match(r"answer_(\d\d)_(\d+)", grade_id)  # answer_04_0, or answer_04_0_1 of several
                answers.setdefault(f"{named[1]}.{named[2]}" if named else "", []).append(cell.source)
            if not (meta.get("grade") and not meta.get("solution") and grade_id.startswith("test_")):
                continue
            key = _key(grade_id)
            record = next((out.get("data", {}).get(MIME) for out in cell.get("outputs", [])
                           if out.get("output_type") == "display_data" and MIME in out.get("data", {})), None)
            ok, line = judge(key, record)
            notes = flags(key, answers.get(key, []), names)
            self._drop_check_lines(nb, key)
            if ok:
                cell.outputs = [new_output("stream", name="stdout", text=line + "\n")]
            else:
                cell.outputs = [new_output("error", ename="Not yet", evalue=line, traceback=[line])]
            if notes:
                found[grade_id] = notes
                text = "For the teacher: " + "; ".join(notes) + ". The score is the grader's own check of the recorded results; read the answer."
                cell.outputs.insert(0, new_output("stream", name="stdout", text=text + "\n"))
        _FLAGS[(info["notebook"], info["student"])] = found
        return nb, resources

    @staticmethod
    def _drop_check_lines(nb, key: str) -> None:
        """Take the line ``check(key, ...)`` printed in the student's kernel out of the other cells' output."""
        prefix = f"Exercise {key}: "
        for cell in nb.cells:
            if cell.cell_type != "code" or _nbgrader(cell).get("grade"):
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and prefix in output.get("text", ""):
                    output["text"] = "".join(
                        line for line in output["text"].splitlines(keepends=True) if not line.startswith(prefix))
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream" or o.get("text")]


class FlagForTeacher(NbGraderPreprocessor):
    """Mark every flagged grade as needing the teacher's eye (the formgrader lists it) and log it."""

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        found = _FLAGS.pop((info["notebook"], info["student"]), {})
        if not found:
            return nb, resources
        with Gradebook(info["db_url"]) as gradebook:
            for grade_id, notes in found.items():
                grade = gradebook.find_grade(grade_id, info["notebook"], info["assignment"], info["student"])
                grade.needs_manual_grade = True
                self.log.warning("%s %s %s: %s", info["assignment"], info["student"], _key(grade_id), "; ".join(notes))
            gradebook.db.commit()
        return nb, resources


def configure(c) -> None:
    """Put the preprocessors above into nbgrader's autograde pipeline (called from nbgrader_config.py)."""
    traits = Autograde.class_traits()
    sanitize = list(traits["sanitize_preprocessors"].default())
    grade = list(traits["autograde_preprocessors"].default())
    if Execute not in grade or SaveAutoGrades not in grade:
        raise RuntimeError(f"nbgrader's autograde steps are not the ones series_grader.py knows: {grade}")
    grade.insert(grade.index(Execute) + 1, JudgeRecords)
    grade.insert(grade.index(SaveAutoGrades) + 1, FlagForTeacher)
    c.Autograde.sanitize_preprocessors = [RefuseUnreleased, *sanitize]
    c.Autograde.autograde_preprocessors = grade

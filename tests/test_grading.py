"""The nbgrader source notebooks of tools/grading/build_grading.py (nbgrader itself runs in make grading-test)."""
import re
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.exercises import exercise_keys

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools" / "grading"))
import build_grading  # noqa: E402
from build_notebooks import strip_solutions  # noqa: E402  (on the path through build_grading)

SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb"))
SOURCES = {path.name[:2]: build_grading.source_notebook(nbformat.read(path, as_version=4), path.name[:2]) for path in SOLUTIONS}


def released(source: str) -> str:
    """What nbgrader's ClearSolutions makes of a cell with the empty code stub: the marked region removed."""
    return re.sub(r"\n[ \t]*### BEGIN SOLUTION\n.*?### END SOLUTION", "", source, flags=re.S)


def test_every_exercise_has_one_locked_test_cell():
    tested = []
    for nb, _ in SOURCES.values():
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                assert meta["locked"] and meta["points"] == 1 and not meta["solution"]
                tested.append(re.search(r"result\('(\d\d\.\d)'", cell.source).group(1))
    assert sorted(tested) == exercise_keys()


@pytest.mark.parametrize("number", sorted(SOURCES))
def test_grade_ids_are_unique_and_have_no_dots(number):
    ids = [c.metadata["nbgrader"]["grade_id"] for c in SOURCES[number][0].cells if "nbgrader" in c.metadata]
    assert ids and len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", grade_id) for grade_id in ids), ids


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name[:2] for p in SOLUTIONS])
def test_released_answer_cells_are_the_student_skeletons(path):
    solution = nbformat.read(path, as_version=4)
    originals = [c.source for c in solution.cells if c.cell_type == "code" and "# BEGIN SOLUTION" in c.source]
    answers = [c.source for c in SOURCES[path.name[:2]][0].cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(answers) == len(originals)
    for original, answer in zip(originals, answers, strict=True):
        assert "### BEGIN SOLUTION" in answer
        student = strip_solutions(original, "code")
        assert released(answer).split() == student.split(), (student, released(answer))


def test_the_test_cell_asserts_the_silent_verdict():
    nb, _ = SOURCES["04"]
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_04_0")
    assert "ok, message = result('04.0', your_correlate_loop)" in cell.source
    assert "assert ok, message" in cell.source and "check(" not in cell.source

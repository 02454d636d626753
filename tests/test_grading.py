"""The nbgrader source notebooks of tools/grading/build_grading.py (nbgrader itself runs in make grading-test)."""
import re
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.exercises import exercise_keys
from helpers.exercises._scan import aliases, flags

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
                tested.append(re.search(r"record_for_grading\('(\d\d\.\d)'", cell.source).group(1))
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


def test_the_test_cell_names_the_exercise_and_only_records_the_answer():
    nb, _ = SOURCES["04"]
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_04_0")
    assert cell.source.startswith("# Exercise 04.0: ")
    assert "record_for_grading('04.0', your_correlate_loop)" in cell.source
    assert "assert" not in cell.source and "check(" not in cell.source and "result(" not in cell.source


@pytest.mark.parametrize("number", sorted(SOURCES))
def test_the_source_notebooks_carry_no_speaker_notes(number):
    nb, _ = SOURCES[number]
    assert not [c for c in nb.cells if build_grading.is_speaker_notes(c)]
    assert not [c for c in nb.cells if "Speaker notes" in c.source]


def test_a_speaker_notes_cell_is_recognised_however_it_is_marked():
    tagged = nbformat.v4.new_markdown_cell("x", metadata={"tags": ["speaker-notes"]})
    notes = nbformat.v4.new_markdown_cell("x", metadata={"slideshow": {"slide_type": "notes"}})
    slide = nbformat.v4.new_markdown_cell("x", metadata={"slideshow": {"slide_type": "slide"}})
    assert build_grading.is_speaker_notes(tagged) and build_grading.is_speaker_notes(notes)
    assert not build_grading.is_speaker_notes(slide)


def test_the_course_configuration_holds_no_absolute_path():
    assert str(ROOT) not in build_grading.CONFIG
    assert not re.search(r"""["'](/|[A-Za-z]:\\)""", build_grading.CONFIG)
    assert "c.CourseDirectory.root = HERE" in build_grading.CONFIG


@pytest.mark.parametrize("number", sorted(SOURCES))
def test_the_solutions_raise_no_flag_for_the_teacher(number):
    nb, keys = SOURCES[number]
    names = aliases([c.source for c in nb.cells if c.cell_type == "code"])
    for key in keys:
        answers = [c.source for c in nb.cells
                   if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith(build_grading.grade_id("answer", key))]
        assert answers, key
        assert flags(key, answers, names) == [], key

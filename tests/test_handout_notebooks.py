"""The handouts' paper versions of the notebooks (tools/handouts.py), without a browser.

A "predict first" question is printed with a box to answer in; its answer (the reveal,
the prediction's output from the solution notebook, the checks that pin it) comes after
an "Answers" heading at the end. The printed PDFs themselves are checked in
tests/browser/test_handouts.py.
"""
from pathlib import Path

import nbformat
import pytest
from tool_loading import load_tool

ROOT = Path(__file__).resolve().parent.parent
LESSON_03 = ROOT / "notebooks" / "03_convolution_vs_cross_correlation.ipynb"
LESSON_07 = ROOT / "notebooks" / "07_kernel_playground.ipynb"


@pytest.fixture(scope="module")
def handouts():
    return load_tool("handouts")


def _text(nb) -> str:
    return "\n".join(c.source for c in nb.cells)


def _printed_output(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []))


def _where(nb, needle: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if needle in c.source)


def test_the_reveals_of_03_come_after_the_answers_heading(handouts):
    student = nbformat.read(LESSON_03, as_version=4)
    paper = handouts.handout_notebook(student, LESSON_03)
    answers = _where(paper, "## Answers")
    # the three reveals of 03, in words the questions do not use
    for reveal in ("the right way up", "Convolution with the impulse response reproduces the black box",
                   "reproduces the two passes to rounding error"):
        assert reveal in _text(student)
        assert _where(paper, reveal) > answers, reveal
    # each question stays in the body, with its box after it
    question = _where(paper, "Sketch the 7×7 output")
    box = _where(paper, "Your prediction (answer 1")
    assert question < box < answers
    assert _text(paper).count("Your prediction (answer") == 3


def test_the_answers_show_the_prediction_output_from_the_solution(handouts):
    paper = handouts.handout_notebook(nbformat.read(LESSON_03, as_version=4), LESSON_03)
    answers = _where(paper, "## Answers")
    shown = [c for c in paper.cells[answers:] if c.cell_type == "code" and c.get("outputs")]
    assert any("image/png" in o.get("data", {}) for c in shown for o in c.outputs)
    # the student notebook ships its prediction cells without output: none in the body
    body_predictions = [c for c in paper.cells[:answers] if "prediction" in c.metadata.get("tags", [])]
    assert body_predictions and all(not c.get("outputs") for c in body_predictions)


def test_no_check_line_and_no_navigation_is_printed(handouts):
    student = nbformat.read(LESSON_07, as_version=4)
    assert any("not answered yet" in _printed_output(c) for c in student.cells if c.cell_type == "code")
    paper = handouts.handout_notebook(student, LESSON_07)
    assert not any("not answered yet" in _printed_output(c) or "not yet. Hint" in _printed_output(c)
                   for c in paper.cells if c.cell_type == "code")
    assert not any("navigation" in c.metadata.get("tags", []) for c in paper.cells)
    # other printed lines stay: the playground's measured numbers
    assert any("PSNR against the clean photo" in _printed_output(c) for c in paper.cells if c.cell_type == "code")


def test_03_1_still_prints_its_kernels_to_predict(handouts):
    """Exercise 03.1 prints the six new kernels and then the check's line: only the line goes."""
    paper = handouts.handout_notebook(nbformat.read(LESSON_03, as_version=4), LESSON_03)
    cell = paper.cells[_where(paper, "for name, k in NEW_KERNELS.items()")]
    printed = _printed_output(cell)
    assert "prewitt_y" in printed and "cross_3x5" in printed
    assert "Exercise 03.1" not in printed


def test_a_lesson_without_predictions_gets_no_answers_section(handouts):
    path = ROOT / "notebooks" / "04_the_full_convolver.ipynb"
    student = nbformat.read(path, as_version=4)
    assert not any("prediction" in c.metadata.get("tags", []) for c in student.cells)
    paper = handouts.handout_notebook(student, path)
    assert "## Answers" not in _text(paper)


def test_the_answer_key_shows_the_speaker_notes(handouts):
    path = ROOT / "notebooks" / "solutions" / LESSON_03.name
    key = handouts.answer_key_notebook(nbformat.read(path, as_version=4), path)
    notes = [c for c in key.cells if "speaker-notes" in c.metadata.get("tags", [])]
    assert notes and "slideshow" not in notes[0].metadata  # a page leaves out cells of slide type "notes"
    assert "BEGIN SOLUTION" in _text(key)


def test_two_prediction_cells_before_one_reveal_get_one_box_and_both_outputs(handouts):
    path = ROOT / "notebooks" / "01_edge_confidence_scores.ipynb"
    student = nbformat.read(path, as_version=4)
    paper = handouts.handout_notebook(student, path)
    assert _text(paper).count("Your prediction (answer") == 3  # four prediction cells, two of them in a row
    start = _where(paper, "### Answer 2")
    end = _where(paper, "### Answer 3")
    shown = [c for c in paper.cells[start:end] if c.cell_type == "code" and c.source.startswith("# the prediction")]
    assert len(shown) == 2 and all(c.get("outputs") for c in shown)
    assert "both become −800" in _text(paper)[_text(paper).index("### Answer 2"):]

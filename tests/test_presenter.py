"""The presenter's copy (tools/presenter.py): answers one key press after the student's cell,
notes on every section from docs/teaching.md, nothing that runs or opens by itself."""
from pathlib import Path

import nbformat
import pytest
from tool_loading import load_tool

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "notebooks" / "solutions"
LESSON_03 = SOLUTIONS / "03_convolution_vs_cross_correlation.ipynb"

@pytest.fixture(scope="module")
def presenter():
    return load_tool("presenter")


@pytest.fixture(scope="module")
def copy_03(presenter):
    return presenter.presenter_notebook(nbformat.read(LESSON_03, as_version=4), LESSON_03)


def _slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type")


def _index(nb, start: str, cell_type: str | None = None) -> int:
    return next(i for i, c in enumerate(nb.cells)
                if c.source.lstrip().startswith(start) and (cell_type is None or c.cell_type == cell_type))


def _printed(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []))


@pytest.mark.parametrize("path", sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name[:2])
def test_every_section_has_notes_in_the_guide(presenter, path):
    """A new or renamed section needs its block under the lesson's "### Notes by section" in
    docs/teaching.md (the format: docs/authoring.md); `python tools/presenter.py --missing` lists them."""
    missing = [name for name in presenter.missing_notes() if name.startswith(path.name[:2])]
    assert missing == [], missing


def test_03_1_shows_its_kernels_before_the_answer_and_the_verdict_one_press_later(copy_03):
    asked = _index(copy_03, "for name, k in NEW_KERNELS.items()")
    answer = asked + 1
    question, solution = copy_03.cells[asked], copy_03.cells[answer]
    assert "prewitt_y" in _printed(question) and "Exercise 03.1" not in _printed(question)
    assert "changes_under_turn = None" in question.source and "prewitt_y" not in question.source.split("print")[-1]
    assert _slide_type(question) != "fragment" and _slide_type(solution) == "fragment"
    assert "answer" in solution.metadata["tags"]
    assert '"prewitt_y"' in solution.source or "'prewitt_y'" in solution.source
    assert "Exercise 03.1: correct" in _printed(solution)


def test_every_answer_cell_comes_after_its_question_and_no_marker_is_left(copy_03):
    answers = [i for i, c in enumerate(copy_03.cells) if "answer" in c.metadata.get("tags", [])]
    assert len(answers) == 4  # 03.1 to 03.4
    for index in answers:
        assert copy_03.cells[index].get("id") == f"{copy_03.cells[index - 1].get('id')}-answer"
    text = "\n".join(c.source for c in copy_03.cells)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert not any("navigation" in c.metadata.get("tags", []) for c in copy_03.cells)
    ids = [c.get("id") for c in copy_03.cells]
    assert len(ids) == len(set(ids))


def test_each_section_is_followed_by_its_own_notes(copy_03):
    for index, cell in enumerate(copy_03.cells):
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            notes = copy_03.cells[index + 1]
            assert _slide_type(notes) == "notes", cell.source.splitlines()[0]
            assert cell.source.splitlines()[0][3:] in notes.source
    two_formulas = copy_03.cells[_index(copy_03, "## Two formulas") + 1].source
    assert "256" in two_formulas and "274" in two_formulas  # the section's own numbers
    exercises = copy_03.cells[_index(copy_03, "## Exercises") + 1].source
    assert "**Mistakes:**" in exercises and "**Exercises to set:**" in exercises


def test_notes_stay_closed_in_the_notebook_view(copy_03):
    """JupyterLab's Run All un-collapses a hidden Markdown cell it runs; a closed <details> stays closed."""
    notes = [c for c in copy_03.cells if _slide_type(c) == "notes"]
    assert len(notes) >= 12
    for cell in notes:
        assert cell.source.startswith('<details class="speaker-notes"><summary>')
        assert " open" not in cell.source.split(">", 1)[0]
        assert "source_hidden" not in str(cell.metadata)


def test_a_section_without_notes_says_so(presenter):
    guide = "## 03 · Convolution versus cross-correlation\n\n- **Time:** 5 minutes.\n"
    nb = presenter.presenter_notebook(nbformat.read(LESSON_03, as_version=4), LESSON_03, guide=guide)
    notes = nb.cells[_index(nb, "## Two formulas") + 1]
    assert presenter.MISSING in notes.source
    assert "03 · Two formulas" in presenter.missing_notes(guide)


def test_a_shortened_heading_finds_its_section(presenter):
    guide = ("## 03 · X\n\n- **Time:** 1.\n\n### Notes by section\n\n#### What the turn buys\n- **Time:** 4.\n"
             "\n## 04 · Y\n")
    notes = presenter.section_notes("03", guide)
    assert presenter.notes_for("What the turn buys: commutativity and associativity", notes) == "- **Time:** 4."
    assert presenter.notes_for("The kernel bank", notes) is None


def test_the_solution_notebooks_notes_cell_leaves_the_notes_by_section_out():
    notes = load_tool("build_notebooks").guide_notes("03")
    assert notes.startswith("- **Time:**")
    assert "**Ask:**" not in notes and "Notes by section" not in notes

"""Generated files (student notebooks, navigation, contents) must match their sources."""
import ast
import re
from pathlib import Path

import pytest
from tool_loading import load_tool

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def build():
    return load_tool("build_notebooks")


def test_nothing_is_stale(build):
    stale = build.stale_files()
    assert not stale, f"out of date (run `make notebooks`): {stale}"


def test_solution_blocks_are_replaced_in_code(build):
    source = "answer = None\n# BEGIN SOLUTION\nanswer = 42\n# END SOLUTION\ncheck('01.1', answer)"
    assert build.strip_solutions(source, "code") == "answer = None\n# Your answer here.\ncheck('01.1', answer)"


def test_solution_blocks_keep_indentation(build):
    source = "def f(x):\n    # BEGIN SOLUTION\n    return x\n    # END SOLUTION"
    assert build.strip_solutions(source, "code") == "def f(x):\n    # Your answer here."


def test_solution_blocks_are_replaced_in_markdown(build):
    source = "Why?\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->\nNext."
    assert build.strip_solutions(source, "markdown") == "Why?\n*Your answer here.*\nNext."


def test_an_unclosed_block_is_an_error(build):
    with pytest.raises(SystemExit, match="never closed"):
        build.strip_solutions("# BEGIN SOLUTION\nx = 1", "code")


def test_every_lesson_has_a_solution_and_navigation(build):
    for path, nb in build.planned_notebooks().items():
        assert build.is_navigation(nb.cells[0]) and build.is_navigation(nb.cells[-1]), path


def test_a_block_may_name_its_skeleton_line(build):
    source = "def f(x):\n    # BEGIN SOLUTION -> total = ...\n    total = x + 1\n    # END SOLUTION\n    return total"
    assert build.strip_solutions(source, "code") == "def f(x):\n    total = ...\n    return total"


def test_prediction_cells_are_marked_and_emptied(build):
    import nbformat

    cell = nbformat.v4.new_code_cell("print(1)", metadata={"tags": ["prediction"]})
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    solution = nbformat.v4.new_notebook(cells=[cell])
    student = build.student_version(solution)
    assert student.cells[0].metadata.tags == ["prediction", "nbval-ignore-output"]
    assert solution.cells[0].outputs and solution.cells[0].metadata.tags == ["prediction"]
    student.cells[0].outputs = list(cell.outputs)  # as if the generator had just run it
    assert build.without_prediction_outputs(student).cells[0].outputs == []


STUDENT_NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.name[:2])
def test_students_see_no_test_machinery(path):
    # Every line but the base64 image data, where any short string turns up by chance
    # (the same as: grep -v '"image/png":' notebooks/*.ipynb | grep 'NBVAL\|noqa').
    lines = path.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if '"image/png":' not in line)
    assert len(text) > 1000, path.name
    shown = [word for word in ("NBVAL", "noqa") if word in text]
    assert not shown, f"{path.name} shows {shown} to learners: use nbval cell tags, and no noqa in cells"


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.name[:2])
def test_prediction_cells_ship_without_output(build, path):
    nb = build.read(path)
    for cell in nb.cells:
        if build.is_prediction(cell):
            assert cell.outputs == [], f"{path.name}: a prediction cell shows its answer"
            assert "nbval-ignore-output" in cell.metadata.tags, path.name


PROMPT = re.compile(r"(?<!`)\bpredict\b(?!`)", re.I)  # "Predict first", not "prediction" or `predict`


def _asserts(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return "assert" in source
    return any(isinstance(node, ast.Assert) for node in ast.walk(tree))


def test_checks_move_after_the_reveal(build):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    solution = new_notebook(cells=[
        new_markdown_cell("**Predict first:** what is 2 + 2?"),
        new_code_cell("x = 2 + 2\nassert x == 4\nprint(x)", metadata={"tags": ["prediction"]}),
        new_code_cell("pinned = 4\nassert x == pinned"),
        new_code_cell("print('no check here')"),
        new_markdown_cell("It is 4."),
        new_markdown_cell("**Predict first:** and 3 + 3?"),
        new_code_cell("y = 3 + 3\nassert y == 6", metadata={"tags": ["prediction"]}),
        new_markdown_cell("## A new section is not a reveal"),
    ])
    student = build.student_version(solution)
    assert [c.source for c in student.cells] == [
        "**Predict first:** what is 2 + 2?",
        "x = 2 + 2\nprint(x)",
        "print('no check here')",
        "It is 4.",
        "assert x == 4",
        "pinned = 4\nassert x == pinned",
        "**Predict first:** and 3 + 3?",
        "y = 3 + 3\nassert y == 6",  # no reveal before the heading: left for the test below to catch
        "## A new section is not a reveal",
    ]
    assert "assert x == 4" in solution.cells[1].source  # the solution keeps its cells as written
    nbformat.validate(student)


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.name[:2])
def test_no_check_states_a_prediction_before_its_reveal(build, path):
    """What a class sees under a "predict first" prompt, before the next Markdown cell, pins no answer."""
    under_prompt = False
    for index, cell in enumerate(build.read(path).cells):
        if cell.cell_type == "markdown":
            under_prompt = bool(PROMPT.search(cell.source))
        elif under_prompt:
            assert not _asserts(cell.source), (
                f"{path.name} cell {index}: an assert under a 'predict first' prompt states the answer; "
                "give the prediction a reveal (a Markdown cell) so the generator moves it after it"
            )

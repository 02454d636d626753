"""The slide-boundary rule (tools/slides.py) and that the generator applies it to every lesson."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from tool_loading import load_tool

ROOT = Path(__file__).resolve().parent.parent


slides = load_tool("slides")


def _types(nb) -> list:
    return [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]


def test_the_rule_on_a_small_lesson():
    def nav():
        return new_markdown_cell("[Contents](00_start_here.ipynb)", metadata={"tags": ["navigation"]})

    nb = new_notebook(cells=[
        nav(),
        new_markdown_cell("# A lesson\n\nWhat it is about."),
        new_code_cell("import numpy as np"),
        new_markdown_cell("## A section\n\nPredict the sum first."),
        new_code_cell("print(1 + 1)", metadata={"tags": ["prediction"]}),
        new_markdown_cell("It is 2, because ..."),
        new_markdown_cell("More text on the same slide, with # not at the start."),
        new_markdown_cell("### A subsection"),
        new_markdown_cell("**Exercise 99.1: something.** Do it."),
        new_code_cell("answer = None\n# BEGIN SOLUTION\nanswer = 2\n# END SOLUTION\ncheck('99.1', answer)"),
        new_markdown_cell("# Not a second title: only the first '# ' cell is the title slide"),
        new_markdown_cell("Why?\n\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->"),
        new_markdown_cell("## Kept", metadata={"slideshow": {"slide_type": "skip"}}),
        nav(),
    ])
    marked = slides.with_slides(nb)
    assert _types(marked) == [
        "skip", "slide", None, "slide", "fragment", "fragment", None, "subslide", "slide", "fragment",
        None, "fragment", "skip", "skip",
    ]
    assert _types(nb) == [None] * 12 + ["skip", None]  # the input is left alone
    assert _types(slides.with_slides(marked)) == _types(marked)  # running it again changes nothing


def test_the_student_version_keeps_the_answer_cells_fragments():
    generator = load_tool("build_notebooks")
    solution = new_notebook(cells=[
        new_markdown_cell("# T"),
        new_markdown_cell("**Exercise 99.1: x.**"),
        new_code_cell("a = None\n# BEGIN SOLUTION\na = 1\n# END SOLUTION\ncheck('99.1', a)"),
    ])
    student = slides.with_slides(generator.student_version(solution))
    assert "# Your answer here." in student.cells[2].source
    assert _types(student) == ["slide", "slide", "fragment"]


def test_every_generated_notebook_carries_the_rule():
    """The committed notebooks are what the generator writes: slides where the rule puts them."""
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted((ROOT / "notebooks/solutions").glob("*.ipynb"))
    assert paths
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        types = _types(nb)
        assert types[0] == types[-1] == "skip", f"{path.name}: navigation cells must be skipped"
        assert types[1] == "slide", f"{path.name}: the title must start a slide"
        for cell, kind in zip(nb.cells, types, strict=True):
            if cell.cell_type == "markdown" and cell.source.startswith("## "):
                assert kind == "slide", f"{path.name}: {cell.source.splitlines()[0]!r} is not a slide"
            if cell.cell_type == "markdown" and cell.source.startswith("**Exercise"):
                assert kind == "slide", f"{path.name}: {cell.source[:30]!r} is not on its own slide"


def _generated_paths():
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted((ROOT / "notebooks/solutions").glob("*.ipynb"))


def test_every_section_heading_starts_a_slide():
    """A '## ' line anywhere in a Markdown cell (not only at its top) must be the top of a slide."""
    for path in _generated_paths():
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "markdown":
                continue
            lines = cell.source.splitlines()
            for number, line in enumerate(lines):
                if line.startswith("## "):
                    assert number == 0, f"{path.name} cell {index}: {line!r} sits mid-cell; split the cell"
                    kind = cell.metadata.get("slideshow", {}).get("slide_type")
                    assert kind == "slide", f"{path.name} cell {index}: {line!r} does not start a slide"


def test_a_mid_cell_heading_is_caught():
    nb = new_notebook(cells=[new_markdown_cell("# T"), new_markdown_cell("Text.\n\n## Hidden section")])
    marked = slides.with_slides(nb)
    assert _types(marked)[1] is None  # the rule cannot start a slide mid-cell: the test above fails on it


def test_long_slides_are_cut():
    long_text = "\n".join(f"line {n}" for n in range(30))
    nb = new_notebook(cells=[
        new_markdown_cell("## Section\n\n" + long_text),
        new_code_cell("x = 1"),
        new_markdown_cell(long_text),
        new_markdown_cell("short"),
    ])
    marked = slides.with_slides(nb)
    assert _types(marked) == ["slide", None, "subslide", None]


def test_no_generated_slide_runs_far_past_the_budget():
    for path in _generated_paths():
        height = 0
        for cell in nbformat.read(path, as_version=4).cells:
            kind = cell.metadata.get("slideshow", {}).get("slide_type")
            size = slides.estimated_lines(cell)
            if kind in ("slide", "subslide"):
                height = size
            elif kind not in ("skip", "notes"):
                height += size
                # a fragment may still add to a full slide, and one cell may be tall by itself
                assert kind == "fragment" or height <= slides.SLIDE_LINES or height == size, path.name

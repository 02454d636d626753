"""`make notebooks` never overwrites a student notebook someone changed, and says how to keep or reset it.

The generator (tools/build_notebooks.py) runs here on a copy of the notebooks, the
guide, README and pyproject.toml in a temporary folder, without executing anything.
"""
import shutil
import subprocess

import nbformat
import pytest
from tests_paths import ROOT
from tool_loading import load_tool

LESSON = "05_smoothing_noise_and_edges.ipynb"


@pytest.fixture
def build(tmp_path, monkeypatch):
    """The generator, pointed at a copy of the series in tmp_path."""
    module = load_tool("build_notebooks")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (tmp_path / "docs").mkdir()
    for name in ("README.md", "pyproject.toml", "docs/teaching.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    notebooks = tmp_path / "notebooks"
    for name, value in {
        "ROOT": tmp_path, "NOTEBOOKS": notebooks, "SOLUTIONS": notebooks / "solutions",
        "START_HERE": notebooks / "00_start_here.ipynb", "README": tmp_path / "README.md",
        "GUIDE": tmp_path / "docs" / "teaching.md",
    }.items():
        monkeypatch.setattr(module, name, value)
    return module


def edit_answer(path, text="median_pair = ([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[0, 0, 0]] * 3)"):
    """A student's answer to 05.4 typed into the student notebook."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if 'check("05.4"' in c.source)
    cell.source = cell.source.replace("median_pair = None", text, 1)
    nbformat.write(nb, path)


def answer_cell(path) -> str:
    nb = nbformat.read(path, as_version=4)
    return next(c.source for c in nb.cells if 'check("05.4"' in c.source)


def test_every_committed_student_notebook_carries_the_fingerprint_of_its_cells():
    build = load_tool("build_notebooks")
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        if path.name.startswith("00"):
            continue
        nb = nbformat.read(path, as_version=4)
        stored = nb.metadata.get("series", {}).get(build.GENERATED_KEY)
        assert stored == build.sources_fingerprint(nb), f"{path.name}: run tools/build_notebooks.py"


def test_a_notebook_changed_by_hand_stops_the_generator_before_it_writes_anything(build, capsys):
    student = build.NOTEBOOKS / LESSON
    edit_answer(student)
    before = {path: path.read_bytes() for path in build.NOTEBOOKS.rglob("*.ipynb")}
    readme = build.README.read_text(encoding="utf-8")
    build.README.write_text(readme + "\n", encoding="utf-8")  # stale: the generator would rewrite it

    assert build.main(["--no-execute"]) == 1

    message = capsys.readouterr().err
    assert f"notebooks/{LESSON}" in message and "your own work" in message
    assert "copy it out of notebooks/" in message and "make notebooks REPLACE=05" in message
    assert {path: path.read_bytes() for path in build.NOTEBOOKS.rglob("*.ipynb")} == before
    assert build.README.read_text(encoding="utf-8") == readme + "\n"


def test_running_the_cells_is_not_a_change(build):
    student = build.NOTEBOOKS / LESSON
    nb = nbformat.read(student, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.execution_count = 99
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="run again\n")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, student)

    assert build.main(["--no-execute"]) == 0


def test_replace_puts_the_series_version_back_and_touches_no_other_changed_lesson(build, capsys):
    edit_answer(build.NOTEBOOKS / LESSON)
    other = build.NOTEBOOKS / "02_a_3x3_blur_by_hand.ipynb"
    nb = nbformat.read(other, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("My notes on the blur."))
    nbformat.write(nb, other)
    kept = other.read_bytes()

    assert build.main(["--no-execute", "--replace", "05"]) == 1  # 02 is still someone's work
    assert "02_a_3x3_blur_by_hand" in capsys.readouterr().err
    assert build.main(["--no-execute", "--replace", "05", "02"]) == 0
    assert "median_pair = None" in answer_cell(build.NOTEBOOKS / LESSON)
    assert other.read_bytes() != kept
    assert build.main(["--no-execute"]) == 0  # the replaced notebooks carry a fresh fingerprint


def test_a_notebook_from_before_fingerprints_is_compared_with_git(build, capsys):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    student = build.NOTEBOOKS / LESSON
    nb = nbformat.read(student, as_version=4)
    nb.metadata["series"].pop(build.GENERATED_KEY)
    nbformat.write(nb, student)
    git = ["git", "-C", str(build.ROOT), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "the series"], check=True)

    assert build.main(["--no-execute"]) == 0  # as committed: generated, so it may be rewritten
    nb = nbformat.read(student, as_version=4)
    nb.metadata["series"].pop(build.GENERATED_KEY)
    nbformat.write(nb, student)
    edit_answer(student)
    assert build.main(["--no-execute"]) == 1
    assert LESSON in capsys.readouterr().err

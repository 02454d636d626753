"""The generated set-up cell and links (tools/build_notebooks.py): one setting, every notebook, three behaviours."""
import subprocess
import sys
import types
from importlib import metadata

import pytest
from tool_loading import load_tool


@pytest.fixture(scope="module")
def build():
    return load_tool("build_notebooks")


def test_every_notebook_runs_the_set_up_cell_before_any_other_code(build):
    plan = build.planned_notebooks()
    assert plan
    for path, nb in plan.items():
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code and build.SETUP_TAG in code[0].metadata.get("tags", []), path.name
        assert sum(build.SETUP_TAG in c.metadata.get("tags", []) for c in nb.cells) == 1, path.name
        assert code[0].source == build.setup_source()


def test_the_cell_is_silent_where_helpers_is_installed(build):
    run = subprocess.run([sys.executable, "-c", build.setup_source()], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout == "" and run.stderr == ""


def test_without_helpers_it_says_in_one_sentence_how_to_get_them(build, tmp_path):
    bare = tmp_path / "bare"  # a Python with nothing installed
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    run = subprocess.run([str(bare / "bin" / "python"), "-c", build.setup_source()], cwd=tmp_path,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    repository, _ = build.series_setting()
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].count(". ") == 0 and lines[0].endswith(".")
    assert f"%pip install git+https://github.com/{repository}" in lines[0]


def test_on_colab_it_installs_helpers_from_the_repository(build, monkeypatch):
    calls = []

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", missing)
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(subprocess, "run", lambda command, **kwargs: calls.append(command))
    exec(compile(build.setup_source(), "setup", "exec"), {})
    repository, _ = build.series_setting()
    assert calls == [[sys.executable, "-m", "pip", "install", "--quiet", f"git+https://github.com/{repository}"]]


def test_every_link_follows_the_one_setting(build, monkeypatch):
    monkeypatch.setattr(build, "series_setting", lambda: ("someone/fork", "teaching"))
    lesson = build.Lesson("01", "01_x", "X", "", has_solution=True)
    contents = build.contents_markdown([lesson], "notebooks/")
    assert "https://colab.research.google.com/github/someone/fork/blob/teaching/notebooks/01_x.ipynb" in contents
    links = build.links_markdown()
    assert "https://mybinder.org/v2/gh/someone/fork/teaching?" in links
    assert "repo=https%3A%2F%2Fgithub.com%2Fsomeone%2Ffork&branch=teaching" in links
    assert "git+https://github.com/someone/fork" in build.setup_source()
    assert "convolution-notebooks/convolution-notebooks" not in contents + links

"""No notebook output is an error text (tools/notebook_errors.py), and the finder itself finds them.

conftest.py applies the same finder to the fresh outputs of every cell that
nbval runs, in the main and in the Colab-like environment.
"""
from pathlib import Path

import nbformat
import pytest
from tool_loading import load_tool

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))


@pytest.fixture(scope="module")
def finder():
    return load_tool("notebook_errors")


def stream(name, text):
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_an_error_output_is_found(finder):
    error = nbformat.v4.new_output("error", ename="AttributeError", evalue="'VBox' object has no attribute 'x'",
                                   traceback=[])
    assert finder.error_texts([error]) == ["error output: AttributeError: 'VBox' object has no attribute 'x'"]


def test_a_printed_traceback_is_found_in_any_text(finder):
    text = "\x1b[31mTraceback (most recent call last)\x1b[0m\n  File ...\nAttributeError: no\n"
    assert finder.error_texts([stream("stdout", text)])
    shown = nbformat.v4.new_output("display_data", data={"text/plain": text})
    assert finder.error_texts([shown])


def test_exception_and_warning_lines_count_on_stderr_only(finder):
    assert finder.error_texts([stream("stderr", "x.py:3: RuntimeWarning: overflow encountered\n")])
    assert finder.error_texts([stream("stderr", "ValueError: bad\n")])
    # a lesson may print the helpers' own message on stdout on purpose
    assert finder.error_texts([stream("stdout", "ValueError: kernel must have odd height and width\n")]) == []


def test_clean_outputs_give_nothing(finder):
    result = nbformat.v4.new_output("execute_result", data={"text/plain": "array([1, 2])"}, execution_count=1)
    assert finder.error_texts([stream("stdout", "score 800\n"), result]) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT / "notebooks").as_posix())
def test_no_stored_output_is_an_error_text(finder, path):
    assert finder.notebook_errors(path) == []

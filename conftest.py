"""pytest hooks for the notebook runs (nbval): no cell may show an error text, even where nbval compares nothing.

IPython prints some errors into a cell's output instead of failing the cell
(an object that cannot display itself, say a widget of another ipywidgets
version), and a cell tagged ``nbval-ignore-output`` is not compared; so after
every notebook cell the fresh outputs are searched with
``tools/notebook_errors.py``, in whichever environment the notebooks run.
"""
import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("notebook_errors", Path(__file__).parent / "tools" / "notebook_errors.py")
notebook_errors = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(notebook_errors)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    outputs = getattr(item, "test_outputs", None)  # set by nbval for each notebook cell it runs
    if outputs:
        found = notebook_errors.error_texts(outputs)
        if found:
            pytest.fail(f"{item.name}: the cell's output shows an error:\n" + "\n".join(found), pytrace=False)
    return result

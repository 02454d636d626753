"""Notebook 00's package check (helpers/environment.py) says what is missing where the student is."""
import importlib
import sys
import types

import pytest

from helpers import environment


@pytest.fixture
def without(monkeypatch):
    """Make the named modules fail to import."""
    real = importlib.import_module

    def hide(*names):
        def fake(name, *args, **kwargs):
            if name in names:
                raise ImportError(name)
            return real(name, *args, **kwargs)

        monkeypatch.setattr(environment.importlib, "import_module", fake)

    return hide


def test_everything_installed_reports_nothing_missing(capsys):
    assert environment.print_report() == []
    assert "Everything the lessons need is installed." in capsys.readouterr().out


def test_missing_test_tools_do_not_count_for_the_lessons(without, capsys):
    without("nbval", "pytest", "hypothesis")
    assert environment.print_report() == []


def test_a_missing_library_is_named_with_how_to_install_it(without, capsys):
    without("cv2")
    assert environment.print_report() == ["cv2"]
    assert "Missing: cv2. To install them, run `make lab`" in capsys.readouterr().out


def test_on_colab_the_jupyterlab_front_end_is_not_needed(without, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    without("jupyterlab_widgets", "helpers")
    assert environment.print_report() == ["helpers"]
    assert "run this notebook's first code cell" in capsys.readouterr().out

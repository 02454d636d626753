"""Notebook 00's glossary: it holds the series' terms, and the lessons' links to it resolve from where they stand."""
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
START_HERE = NOTEBOOKS / "00_start_here.ipynb"
LINK = re.compile(r"\]\(([^)#]*00_start_here\.ipynb)#Glossary\)")

#: The terms issue 25 asks the glossary to define (each must appear in bold).
TERMS = ["Convolution", "Correlation", "Linear", "Shift-invariant", "shift-equivariant", "Impulse response",
         "Frequency response", "magnitude", "phase", "Main lobe", "side lobe", "Ringing", "Ripple", "Aliasing",
         "Nyquist limit", "Receptive field", "Stride", "Padding", "Dilation"]


def glossary_text() -> str:
    cells = [c.source for c in nbformat.read(START_HERE, as_version=4).cells if c.source.startswith("## Glossary")]
    assert len(cells) == 1, "notebook 00 has one cell starting '## Glossary'"
    return cells[0]


def test_the_glossary_defines_every_term():
    text = glossary_text()
    missing = [term for term in TERMS if f"**{term}**" not in text]
    assert missing == []


@pytest.mark.parametrize("number", ["01", "02", "03", "04", "05", "06"])
def test_lessons_link_to_the_glossary_from_where_they_stand(number):
    for folder in (NOTEBOOKS, NOTEBOOKS / "solutions"):
        (path,) = folder.glob(f"{number}_*.ipynb")
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        targets = LINK.findall(text)
        assert targets, f"{path.name} in {folder.name}/ links to the glossary"
        for target in targets:
            assert (folder / target).resolve() == START_HERE, f"{path} links to {target}"

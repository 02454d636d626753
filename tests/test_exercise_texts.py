"""Each exercise's text names the calls its check rules out and what it allows, next to the check."""
import re
from pathlib import Path

import nbformat
import pytest

from helpers.exercises import allowed_text, exercise_keys, ruled_out_calls

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb"))
CHECK_CALL = re.compile(r"""\b(?:check|verdict)\(\s*["'](\d\d\.\d)["']""")


def exercise_texts() -> dict[str, str]:
    """Exercise key -> the Markdown cells between the previous code cell and the cell that checks it."""
    texts = {}
    for path in SOLUTIONS:
        nb = nbformat.read(path, as_version=4)
        markdown: list[str] = []
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                markdown.append(cell.source)
                continue
            keys = CHECK_CALL.findall(cell.source)
            if keys or cell.source.strip():
                for key in keys:
                    texts[key] = "\n".join(markdown)
                if keys or "def " not in cell.source:
                    markdown = []
    return texts


TEXTS = exercise_texts()


@pytest.mark.parametrize("key", [k for k in exercise_keys() if ruled_out_calls(k)])
def test_ruled_out_calls_are_listed_next_to_the_check(key):
    assert key in TEXTS, f"no notebook checks exercise {key}"
    text = TEXTS[key]
    assert "Ruled out while the check runs" in text, f"exercise {key}: the text does not list its ruled-out calls"
    missing = [call for call in ruled_out_calls(key) if call not in text]
    assert not missing, f"exercise {key}: the text does not name {missing}"


@pytest.mark.parametrize("key", [k for k in exercise_keys() if allowed_text(k)])
def test_what_the_fence_allows_is_stated_next_to_the_check(key):
    # tools/build_notebooks.py writes the line (tools/allowances.py); this test fails when it is stale.
    assert key in TEXTS, f"no notebook checks exercise {key}"
    assert allowed_text(key) in TEXTS[key], f"exercise {key}: the text does not state what the check allows"

"""`make handouts` (tools/handouts.py): one PDF per lesson, printed by headless Chromium, text extractable.

The handouts are printed into a scratch folder; :func:`problems` is checked on them and on
broken copies, so the check itself can fail.
"""
from pathlib import Path

import pytest
from tool_loading import load_tool


@pytest.fixture(scope="module")
def handouts():
    return load_tool("handouts")


@pytest.fixture(scope="module")
def printed(handouts, tmp_path_factory, chromium_browser):
    out = tmp_path_factory.mktemp("handouts")
    # the session's Chromium: a second Playwright cannot start inside the one the other browser tests keep running
    return out, handouts.build(out, browser=chromium_browser)


def test_one_pdf_per_lesson_with_its_text(handouts, printed):
    out, found = printed
    series = load_tool("build_notebooks").lessons()
    assert found == [], found
    assert sorted(p.stem for p in out.glob("*.pdf")) == sorted(lesson.stem for lesson in series)
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(out / "03_convolution_vs_cross_correlation.pdf").pages)
    assert "\\sum" not in text and "$$" not in text  # formulas typeset, not printed as TeX
    assert "▶ play" not in text  # a player's button means nothing on paper


def test_the_check_reports_a_missing_an_empty_and_a_textless_pdf(handouts, printed, tmp_path):
    out, _ = printed
    series = load_tool("build_notebooks").lessons()
    for pdf in sorted(out.glob("*.pdf"))[1:]:
        (tmp_path / pdf.name).write_bytes(pdf.read_bytes())
    (tmp_path / f"{series[1].stem}.pdf").write_bytes(b"")
    from pypdf import PdfWriter

    blank = PdfWriter()
    blank.add_blank_page(width=595, height=842)
    with open(tmp_path / f"{series[2].stem}.pdf", "wb") as handle:
        blank.write(handle)
    found = handouts.problems(Path(tmp_path), series)
    assert any(series[0].stem in p and "missing" in p for p in found)
    assert any(series[1].stem in p and "missing or empty" in p for p in found)
    assert any(series[2].stem in p and "no text" in p for p in found)
    assert len(found) == 3, found

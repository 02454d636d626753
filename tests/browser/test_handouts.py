"""`make handouts` (tools/handouts.py): one PDF per lesson, printed by headless Chromium, text extractable,
its predict-first answers at the end; one answer key per lesson with a solution notebook.

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
    assert "not answered yet" not in text and "not yet. Hint" not in text
    # the question and its box come before the Answers section, the reveal after it
    question, answers = text.index("Sketch the 7×7 output"), text.index("Answers")
    assert question < text.index("Your prediction (answer 1") < answers < text.index("the right way up")
    keys = sorted(p.stem for p in (out / "answer-keys").glob("*.pdf"))
    assert keys == sorted(lesson.stem for lesson in series if lesson.has_solution)
    key_text = " ".join(page.extract_text() for page in
                        PdfReader(out / "answer-keys" / "03_convolution_vs_cross_correlation.pdf").pages)
    assert "Speaker notes" in key_text and "prewitt_y" in key_text


def test_no_link_leads_to_a_local_file(handouts, printed):
    out, _ = printed
    for pdf in [*out.glob("*.pdf"), *(out / "answer-keys").glob("*.pdf")]:
        assert all(url.startswith(("http://", "https://")) for url in handouts._pdf_links(pdf)), pdf.name


def test_the_check_reports_a_missing_an_empty_and_a_textless_pdf(handouts, printed, tmp_path):
    out, _ = printed
    series = load_tool("build_notebooks").lessons()
    for pdf in sorted(out.glob("*.pdf"))[1:]:
        (tmp_path / pdf.name).write_bytes(pdf.read_bytes())
    (tmp_path / "answer-keys").mkdir()
    for pdf in sorted((out / "answer-keys").glob("*.pdf")):
        (tmp_path / "answer-keys" / pdf.name).write_bytes(pdf.read_bytes())
    (tmp_path / f"{series[1].stem}.pdf").write_bytes(b"")
    from pypdf import PdfWriter

    blank = PdfWriter()
    blank.add_blank_page(width=595, height=842)
    with open(tmp_path / f"{series[2].stem}.pdf", "wb") as handle:
        blank.write(handle)
    (tmp_path / "answer-keys" / f"{series[3].stem}.pdf").unlink()
    # lesson 04 has no prediction: its PDF has no box, so asking for one must be reported
    found = handouts.problems(Path(tmp_path), series, {series[4].stem: 1})
    assert any(series[0].stem in p and "missing" in p for p in found)
    assert any(series[1].stem in p and "missing or empty" in p for p in found)
    assert any(series[2].stem in p and "no text" in p for p in found)
    assert any(p.startswith("answer key") and series[3].stem in p and "missing" in p for p in found)
    assert any(series[4].stem in p and "answer boxes" in p for p in found)
    assert len(found) == 5, found

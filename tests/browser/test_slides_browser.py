"""A lesson as a live RISE slideshow inside JupyterLab, driven by headless Chromium.

The test opens notebook 01 in JupyterLab (with the jupyterlab-rise extension
of requirements.txt), starts the slideshow with RISE's own command, and
checks that it shows the title slide and that the right-arrow key moves to
the next slide (the first "## " section, as tools/slides.py marks it). It
saves a screenshot of the slide in tests/browser/screenshots/ and, when
missing or with UPDATE_DOCS_SCREENSHOT=1, docs/slide.png.

Run with ``make test-browser`` (needs Debian's ``chromium``).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

NOTEBOOK = "01_edge_confidence_scores.ipynb"
DOCS_SCREENSHOT = ROOT / "docs" / "slide.png"
START_S = 120
FORMULA_HEADING = "## The score: multiply in place, then add"


def cell_index(heading: str) -> int:
    """The index of the Markdown cell that starts with ``heading`` (cells move when the generator adds one)."""
    import nbformat

    cells = nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4).cells
    return next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith(heading))


def tallest_slide() -> int:
    """The index of the cell that starts the tallest slide of the notebook, by tools/slides.py's estimate."""
    import nbformat
    from tool_loading import load_tool

    slides = load_tool("slides")
    heights, start = {}, None
    for index, cell in enumerate(nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4).cells):
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        if kind in ("slide", "subslide"):
            start = index
            heights[start] = 0
        if start is not None and kind not in ("skip", "notes"):
            heights[start] += slides.estimated_lines(cell)
    return max(heights, key=heights.get)


def present_heading(frame) -> str:
    """The first heading of the slide reveal.js shows now ('' if none)."""
    return frame.evaluate(
        """() => {
            const slides = [...document.querySelectorAll('.reveal .slides section.present')];
            const slide = slides[slides.length - 1];
            const heading = slide && slide.querySelector('h1, h2, h3');
            return heading ? heading.textContent.replace('¶', '').trim() : '';
        }"""
    )


def test_a_lesson_opens_as_a_rise_slideshow_and_the_right_arrow_moves_on(jupyter_lab, chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(START_S * 1000)
    try:
        page.goto(f"{jupyter_lab['url']}/lab/tree/{NOTEBOOK}?token={jupyter_lab['token']}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
        commands = page.evaluate("() => window.jupyterapp.commands.listCommands().filter(c => c.startsWith('RISE:'))")
        assert "RISE:preview" in commands, f"the jupyterlab-rise extension is not loaded: {commands}"

        # RISE's preview: the slideshow of the current notebook in a panel of JupyterLab.
        page.evaluate("() => window.jupyterapp.commands.execute('RISE:preview')")
        frame_element = page.wait_for_selector("iframe[src*='rise']")
        frame = frame_element.content_frame()
        frame.wait_for_selector(".reveal .slides section.present")
        frame.wait_for_function(
            "() => document.querySelector('.reveal .slides section.present .jp-MarkdownCell') !== null"
        )
        first = present_heading(frame)
        assert first.startswith("Edge-confidence scores"), f"the slideshow does not start on the title: {first!r}"

        frame.locator(".reveal").click(position={"x": 5, "y": 5})  # focus the slideshow, not a cell editor
        frame.press("body", "Escape")
        frame.press("body", "ArrowRight")
        frame.wait_for_function(
            """(first) => {
                const slides = [...document.querySelectorAll('.reveal .slides section.present')];
                const heading = slides.length && slides[slides.length - 1].querySelector('h1, h2, h3');
                return heading && !heading.textContent.includes(first);
            }""",
            arg=first, timeout=30_000,
        )
        second = present_heading(frame)
        assert second.startswith("What you will learn"), f"the right arrow went to {second!r}"

        SCREENSHOTS.mkdir(exist_ok=True)
        frame_element.screenshot(path=str(SCREENSHOTS / "slide_preview.png"))
        # The picture for the docs: the same RISE app, full size, from the slide with the score's formula.
        source = frame_element.get_attribute("src").split("?")[0]
        page.set_viewport_size({"width": 1280, "height": 720})
        page.goto(f"{source}?activeCellIndex={cell_index(FORMULA_HEADING)}&token={jupyter_lab['token']}")
        page.wait_for_selector(".reveal .slides section.present mjx-container")
        page.wait_for_timeout(1500)  # the slide transition
        page.screenshot(path=str(SCREENSHOTS / "slide.png"))
        # The series' JupyterLab defaults (tools/lab_overrides.json) apply: numbered slides that scroll.
        assert page.locator(".reveal .slide-number").is_visible()
        # Scrolling, on the tallest slide the generator left (long slides are cut into subslides)
        page.goto(f"{source}?activeCellIndex={tallest_slide()}&token={jupyter_lab['token']}")
        page.wait_for_selector(".reveal .slides section.present .jp-Cell")
        page.wait_for_timeout(1500)
        page.mouse.move(640, 400)
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(800)
        scrolled = page.evaluate(
            "() => [...document.querySelectorAll('.reveal, .reveal *')].some(e => e.scrollTop > 0)")
        assert scrolled, "a long slide does not scroll"
        # notebooks/rise.css and notebooks/solutions/rise.css: no "Click to add a cell." box on the slides
        footer = page.evaluate("() => { const f = document.querySelector('.jp-Notebook-footer');"
                               " return f && getComputedStyle(f).display; }")
        assert footer == "none", f"JupyterLab's 'Click to add a cell.' box is on the slides (display {footer!r})"
        if not DOCS_SCREENSHOT.exists() or os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
            shutil.copyfile(SCREENSHOTS / "slide.png", DOCS_SCREENSHOT)
    finally:
        context.close()

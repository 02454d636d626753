"""The playground live in a slideshow: jupyterlab-slideshow's deck, inside the notebook panel.

jupyterlab-rise 0.43.1 does not render ipywidgets 8 in its slideshow (its tracker:
"Rise slides not rendered with ipywidgets>=8.0.0", "AnyWidget Support"); the
series presents with jupyterlab-slideshow (the ``deck:`` commands), which shows
the notebook's own cells slide by slide, so the widgets are the notebook's.

The test opens the teacher's copy of 07 (the solution notebook, which carries the
speaker notes), starts the deck on the title slide and checks that the notes
cell is not shown; then runs the playground cell on its slide, checks that the
sliders render, and that moving the blur-size slider changes the output image.
It saves docs/slideshow_playground.png when missing or with
UPDATE_DOCS_SCREENSHOT=1.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DOCS_SCREENSHOT = ROOT / "docs" / "slideshow_playground.png"
NOTEBOOK = "solutions/07_kernel_playground.ipynb"
START_S = 180

CELL_INDEX = """(start) => {
    const nb = window.jupyterapp.shell.currentWidget.content;
    return nb.widgets.findIndex(c => c.model.sharedModel.getSource().startsWith(start));
}"""
ACTIVATE = """(index) => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = index; }"""
SHOWN = """(index) => {
    const cell = window.jupyterapp.shell.currentWidget.content.widgets[index].node;
    const box = cell.getBoundingClientRect();
    const style = getComputedStyle(cell);
    return box.height > 0 && box.width > 0 && style.display !== 'none' && style.visibility !== 'hidden'
        && box.bottom > 0 && box.top < window.innerHeight;
}"""
KERNEL_IDLE = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    const kernel = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    return !!kernel && kernel.status === 'idle';
}"""


def _run(page, command: str) -> None:
    page.evaluate(f"() => window.jupyterapp.commands.execute('{command}')")


def test_the_playground_runs_in_the_deck_and_the_notes_stay_hidden(jupyter_lab, chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(START_S * 1000)
    try:
        page.goto(f"{jupyter_lab['url']}/lab/tree/{NOTEBOOK}?token={jupyter_lab['token']}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
        commands = page.evaluate("() => window.jupyterapp.commands.listCommands()")
        assert "deck:start" in commands, "the jupyterlab-slideshow extension is not loaded"
        page.wait_for_function(KERNEL_IDLE)

        # The title slide: the speaker-notes cell right after the title is part of the notebook, not of the slide.
        title = page.evaluate(CELL_INDEX, "# The kernel playground")
        notes = page.evaluate(CELL_INDEX, "**Speaker notes**")
        assert title >= 0 and notes == title + 1
        page.evaluate(ACTIVATE, title)
        _run(page, "deck:start")
        page.wait_for_function(SHOWN, arg=title)
        assert not page.evaluate(SHOWN, notes), "the speaker notes are shown on the slide"
        _run(page, "deck:stop")

        # The imports, then the playground cell run on its own slide, as a teacher presents it.
        page.evaluate(ACTIVATE, page.evaluate(CELL_INDEX, "import numpy as np"))
        _run(page, "notebook:run-cell")
        page.wait_for_function(KERNEL_IDLE)
        playground = page.evaluate(CELL_INDEX, "playground = Playground()")
        page.evaluate(ACTIVATE, playground)
        _run(page, "deck:start")
        page.wait_for_function(SHOWN, arg=playground)
        _run(page, "notebook:run-cell")
        page.wait_for_selector(".conv-playground .conv-size .noUi-handle", state="visible")
        assert page.locator(".conv-playground .widget-slider").count() >= 3, "the sliders do not render"
        assert "widget front end is missing" not in page.locator(".conv-playground").first.inner_text()
        assert page.evaluate(SHOWN, playground) and not page.evaluate(SHOWN, notes)

        output = ".conv-playground img.conv-output"
        page.wait_for_function(f"() => !!document.querySelector('{output}')?.src")
        page.locator(".conv-kernel select").select_option("box")
        page.wait_for_function("() => !document.querySelector('.conv-size input, .conv-size')?.classList.contains('mod-disabled')")
        page.wait_for_timeout(1500)
        before = page.evaluate(f"() => document.querySelector('{output}').src")
        page.locator(".conv-playground .conv-size .noUi-handle").focus()
        page.keyboard.press("ArrowRight")  # 7×7 box -> 9×9 box
        page.wait_for_function(
            "([selector, old]) => document.querySelector(selector).src !== old", arg=[output, before], timeout=60_000
        )
        status = page.locator(".conv-status").inner_text()
        assert "9×9 kernel" in status, status

        SCREENSHOTS.mkdir(exist_ok=True)
        shot = SCREENSHOTS / "slideshow_playground.png"
        page.locator(".conv-playground").scroll_into_view_if_needed()
        page.screenshot(path=str(shot))
        if not DOCS_SCREENSHOT.exists() or os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
            shutil.copyfile(shot, DOCS_SCREENSHOT)
    finally:
        context.close()


ACTIVE = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
PANEL_ID = "() => window.jupyterapp.shell.currentWidget.id"
OPENED = """(name) => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    return !!w && !!w.context && w.context.path.endsWith(name) && w.content.widgets.length > 0;
}"""
SLIDE_STARTS = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .map((c, i) => [i, (c.model.getMetadata('slideshow') || {}).slide_type])
    .filter(([i, kind]) => kind === 'slide' || kind === 'subslide').map(([i]) => i)"""


def _step(page, key: str, presses: int) -> list[int]:
    """The active cell after each of ``presses`` presses of ``key`` in the deck."""
    seen = []
    for _ in range(presses):
        before = page.evaluate(ACTIVE)
        page.keyboard.press(key)
        try:
            page.wait_for_function(f"() => ({ACTIVE})() !== {before}", timeout=5_000)
        except Exception:  # noqa: BLE001  (the last slide: the key has nowhere to go)
            break
        seen.append(page.evaluate(ACTIVE))
    return seen


def test_a_clickers_page_down_and_the_arrows_move_the_deck_through_every_slide(jupyter_lab, chromium_browser):
    """A presentation clicker sends PageDown and PageUp; bound to the deck's next and back
    (tools/lab_overrides.json), they reach every slide and subslide of 02, as space does,
    and so do the right and left arrows (rebound there: the deck's own skip subslides)."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(START_S * 1000)
    try:
        page.goto(f"{jupyter_lab['url']}/lab/tree/solutions/02_a_3x3_blur_by_hand.ipynb?token={jupyter_lab['token']}")
        # JupyterLab may restore the notebook an earlier test opened: wait for this one, use its panel only
        page.wait_for_function(OPENED, arg="02_a_3x3_blur_by_hand.ipynb")
        page.wait_for_function(KERNEL_IDLE)
        cells = page.locator(f"[id='{page.evaluate(PANEL_ID)}'] .jp-Cell")
        page.wait_for_function(f"() => ({CELL_INDEX})('# A 3×3 blur') >= 0")
        title = page.evaluate(CELL_INDEX, "# A 3×3 blur")
        page.evaluate(ACTIVATE, title)
        _run(page, "deck:start")
        page.wait_for_function(SHOWN, arg=title)
        cells.nth(title).click()
        starts = page.evaluate(SLIDE_STARTS)
        forward = _step(page, "PageDown", 400)
        assert forward, "PageDown does not move the deck"
        missed = [i for i in starts if i > title and i not in forward]
        assert missed == [], f"PageDown never reached the slides starting at cells {missed}"
        back = _step(page, "PageUp", 3)
        assert back and back[-1] < forward[-1], "PageUp does not move the deck back"

        # the right arrow too: the deck's own binding skips subslides (measured: 6 of 02's 25 slides)
        _run(page, "deck:stop")
        page.evaluate(ACTIVATE, title)
        _run(page, "deck:start")
        page.wait_for_function(SHOWN, arg=title)
        cells.nth(title).click()
        right = _step(page, "ArrowRight", 400)
        missed = [i for i in starts if i > title and i not in right]
        assert right and missed == [], f"the right arrow never reached the slides starting at cells {missed}"
        left = _step(page, "ArrowLeft", 3)
        assert left and left[-1] < right[-1], "the left arrow does not move the deck back"
    finally:
        context.close()

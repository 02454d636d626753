"""Notebook 07 in a real JupyterLab, driven by headless Chromium.

The test starts JupyterLab (from this Python's environment) on a temporary
copy of the notebooks, opens the playground notebook with its stored outputs
removed, runs every cell, and then uses the widgets as a student would: it
checks that the sliders render as sliders (not as the text ``IntSlider(...)``),
picks kernels from a dropdown, moves sliders, turns colour on, and checks
that the output image changes each time and that no error appears; a
setting that cannot be used must leave the output dimmed. It prints the time
from each control change to the new image (a 3×3 kernel, a 41×41 Gaussian,
colour; printed, not asserted), and saves screenshots in
``tests/browser/screenshots/`` (git-ignored).

docs/playground.png (the README's picture) is written when it is missing or
when UPDATE_DOCS_SCREENSHOT=1, so a normal run leaves the tracked files alone.

Run with ``make test-browser``; it needs Debian's ``chromium`` (Playwright
cannot download its own browser here): apt-get install -y chromium.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DOCS_SCREENSHOT = ROOT / "docs" / "playground.png"
# found by its name, whatever its number in the series
NOTEBOOK = sorted((ROOT / "notebooks").glob("*kernel_playground*.ipynb"))[0].name
RUN_ALL_S = 180
WIDGET_UPDATE_S = 30


def copy_notebooks(target: Path) -> None:
    """The notebooks, with notebook 07's stored outputs and widget state removed.

    Whatever widgets the page shows must then come from the live kernel.
    """
    shutil.copytree(ROOT / "notebooks", target)
    path = target / NOTEBOOK
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["metadata"].pop("widgets", None)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    path.write_text(json.dumps(notebook), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, start_jupyter_lab):
    """JupyterLab (tests/browser/conftest.py) on a copy of the notebooks with 07's outputs removed."""
    base = tmp_path_factory.mktemp("lab")
    copy_notebooks(base / "notebooks")
    with start_jupyter_lab(base) as server:
        yield server


@pytest.fixture(scope="module")
def page(lab, chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1440, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    try:
        yield tab
    finally:
        context.close()


def image_state(page, selector: str) -> dict:
    """The src of an <img> and a fingerprint of the bytes behind it (read in the page)."""
    return page.evaluate(
        """async (selector) => {
            const img = document.querySelector(selector);
            if (!img || !img.src) return {src: null, size: 0, sum: 0};
            const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
            let sum = 0;
            for (let i = 0; i < bytes.length; i++) sum = (sum * 31 + bytes[i]) % 2147483647;
            return {src: img.src, size: bytes.length, sum: sum};
        }""",
        selector,
    )


def wait_for_new_image(page, selector: str, old_src: str) -> float:
    """Wait until the <img> shows a new src; return the seconds it took."""
    start = time.perf_counter()
    page.wait_for_function(
        "([selector, old]) => { const img = document.querySelector(selector); return img && img.src && img.src !== old; }",
        arg=[selector, old_src], timeout=WIDGET_UPDATE_S * 1000, polling=10,
    )
    return time.perf_counter() - start


def assert_no_errors(page) -> None:
    outputs = " ".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    for bad in ("Traceback", "Error displaying widget", "could not update", "IntSlider(", "VBox(", "[Playground:"):
        assert bad not in outputs, f"{bad!r} appears in the notebook's outputs:\n{outputs[:2000]}"
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0


def open_and_run(page, lab) -> None:
    """Open the playground notebook in JupyterLab and run all its cells (once per module: the page stays open)."""
    if page.locator(".conv-playground").count():
        return
    page.goto(f"{lab['url']}/lab/tree/{NOTEBOOK}?token={lab['token']}", timeout=120_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    # The kernel must be up before "run all"; the app object is exposed by --LabApp.expose_app_in_browser.
    page.wait_for_function(
        """() => {
            const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const kernel = panel && panel.sessionContext && panel.sessionContext.session
                && panel.sessionContext.session.kernel;
            return kernel && kernel.status === 'idle';
        }""",
        timeout=120_000, polling=250,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
        }""",
        timeout=RUN_ALL_S * 1000, polling=500,
    )


def test_playground_in_jupyterlab(lab, page, capsys):
    started = time.perf_counter()
    SCREENSHOTS.mkdir(exist_ok=True)
    open_and_run(page, lab)
    ran = time.perf_counter() - started

    playground = page.locator(".conv-playground")
    playground.wait_for(state="visible", timeout=WIDGET_UPDATE_S * 1000)
    # Sliders render as sliders: the front end is there.
    assert page.locator(".conv-playground .widget-slider").count() >= 2
    assert page.locator(".conv-step-through .widget-slider").count() == 1
    assert page.locator(".conv-explorer-1d .widget-slider").count() == 1
    assert page.locator(".jupyter-widgets").count() > 20
    output = "img.conv-output"
    page.wait_for_function(f"() => !!document.querySelector('{output}')?.src")
    assert_no_errors(page)
    crop = page.locator(".conv-crop select")
    shown = crop.evaluate("select => select.options[select.selectedIndex].text")
    assert shown.replace("\xa0", " ") == "whole image"  # ipywidgets writes spaces in labels as no-break spaces

    timings = {}

    def timed(label: str, action, selector: str = output) -> dict:
        """Do ``action`` (a control change), wait for the new image, record the time; return the new state."""
        old = image_state(page, selector)
        action()
        timings[label] = wait_for_new_image(page, selector, old["src"])
        new = image_state(page, selector)
        assert new["sum"] != old["sum"] or new["size"] != old["size"], label
        return new

    def press(control: str, key: str):
        return lambda: (page.locator(f".conv-playground .conv-{control} .noUi-handle").focus(), page.keyboard.press(key))

    # A 3×3 kernel (the default sharpen): a border change recomputes everything.
    timed("3×3 sharpen, border", lambda: page.locator(".conv-border select").select_option("reflect101"))

    # A dropdown: choose the box blur; the nine weight boxes are greyed out (a 7×7 box does not use them).
    timed("7×7 box, kernel menu", lambda: page.locator(".conv-kernel select").select_option("box"))
    assert page.locator(".conv-playground .conv-weight input:disabled").count() == 9

    # A slider: blur size 7 -> 9 with the keyboard on the slider's handle.
    readout = page.locator(".conv-size .widget-readout")
    assert readout.inner_text().strip() == "7"
    timed("9×9 box, size slider", press("size", "ArrowRight"))
    assert readout.inner_text().strip() == "9"
    status = page.locator(".conv-status").inner_text()
    assert "9×9 kernel" in status and "⚠" not in status

    # The largest kernel: a 41×41 Gaussian (End puts the size slider at its maximum), then its sigma.
    page.locator(".conv-kernel select").select_option("gaussian")
    page.wait_for_function(
        "() => document.querySelector('.conv-kernel-grid')?.textContent.startsWith('gaussian: 9×9')")
    timed("41×41 gaussian, size to 41", press("size", "End"))
    assert readout.inner_text().strip() == "41"
    timed("41×41 gaussian, sigma", press("sigma", "ArrowRight"))

    # Colour, with the same 41×41 Gaussian: the worst case of issue 12.
    timed("41×41 gaussian, colour on", lambda: page.locator(".conv-playground input[type=checkbox]").first.check())
    timed("41×41 gaussian colour, border", lambda: page.locator(".conv-border select").select_option("wrap"))

    # A setting that cannot be used: the output stays, dimmed, and the message says it is below.
    page.locator(".conv-crop select").select_option(label="16×16 detail")
    page.wait_for_function("() => document.querySelector('.conv-status').textContent.includes('larger than')")
    stale_opacity = page.evaluate(
        "() => Number(getComputedStyle(document.querySelector('.conv-playground .conv-output')).opacity)")
    assert stale_opacity < 0.5
    assert "below" in page.locator(".conv-status").inner_text()
    playground.screenshot(path=str(SCREENSHOTS / "playground_stale.png"))

    # Back to a clean grey view with a kernel that finds edges, for the picture.
    page.locator(".conv-crop select").select_option(label="whole image")
    page.locator(".conv-playground input[type=checkbox]").first.uncheck()
    page.locator(".conv-border select").select_option("replicate")
    before = image_state(page, output)
    page.locator(".conv-kernel select").select_option("sobel_x")
    wait_for_new_image(page, output, before["src"])
    page.wait_for_function("() => !document.querySelector('.conv-status').textContent.includes('⚠')")
    page.wait_for_timeout(300)  # let the kernel grid and status settle before the screenshot
    assert_no_errors(page)

    # The step-through view follows its slider too.
    steps = page.locator(".conv-step-through")
    steps.scroll_into_view_if_needed()
    heading = page.locator(".conv-step-through .conv-step > div").first
    assert heading.inner_text().startswith("step 1 of 16")
    assert page.locator(".conv-step-through .widget-readout").inner_text().strip() == "1"
    page.locator(".conv-step-through .noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.conv-step-through .conv-step > div').textContent.startsWith('step 2 of 16')",
        timeout=WIDGET_UPDATE_S * 1000,
    )
    steps.screenshot(path=str(SCREENSHOTS / "step_through.png"))
    page.locator(".conv-explorer-1d").screenshot(path=str(SCREENSHOTS / "explorer_1d.png"))
    assert_no_errors(page)

    playground.scroll_into_view_if_needed()
    playground.screenshot(path=str(SCREENSHOTS / "playground.png"))
    page.screenshot(path=str(SCREENSHOTS / "notebook.png"), full_page=False)
    if not DOCS_SCREENSHOT.exists() or os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        shutil.copyfile(SCREENSHOTS / "playground.png", DOCS_SCREENSHOT)
    total = time.perf_counter() - started
    report = "\n".join([
        f"browser test: run all cells {ran:.1f} s; total {total:.1f} s; control change to new output image:",
        *(f"  {label:<32} {1000 * seconds:6.0f} ms" for label, seconds in timings.items()),
    ])
    (SCREENSHOTS / "timings.txt").write_text(report + "\n")
    with capsys.disabled():
        print("\n" + report)


# --------------------------------------------------------------------------- by keyboard alone

#: the playground's controls in reading order (column by column), as their CSS classes name them
CONTROL_ORDER = ["image", "crop", "colour", "border", "kernel", "size", "sigma", "amount", "operation", "display",
                 "weight", "status-text"]

FOCUSED = """() => {
    const el = document.activeElement;
    const inside = !!(el && el.closest('.conv-playground'));
    const owner = el && el.closest('[class*="conv-"]');
    const name = owner ? [...owner.classList].find(c => c.startsWith('conv-')).slice(5) : (el ? el.tagName : '');
    const style = el ? getComputedStyle(el) : null;
    const framed = !!style && ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
                               || (style.boxShadow && style.boxShadow !== 'none'));
    const how = style ? style.outlineStyle + ' ' + style.outlineWidth + ' ' + style.boxShadow : '';
    const box = el ? el.getBoundingClientRect() : null;
    const seen = !!box && box.bottom > 0 && box.top < window.innerHeight && box.width > 0;
    return {inside, name, tag: el ? el.tagName : '', cls: el ? String(el.className) : '', framed, how, seen,
            text: el ? (el.textContent || el.value || '').trim().slice(0, 40) : ''};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_stops(page, start: str, limit: int = 40) -> list[dict]:
    """Focus ``start`` and press Tab until the focus leaves the playground; every stop on the way, in order."""
    page.locator(start).focus()
    stops = [focused(page)]
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focused(page)
        stops.append(stop)
        if not stop["inside"]:
            break
    return stops


def settled(page, words: str) -> None:
    """Wait until the output's description names ``words``: every change queued before it has been drawn."""
    page.wait_for_function(
        "(words) => (document.querySelector('img.conv-output')?.title || '').includes(words)",
        arg=words, timeout=WIDGET_UPDATE_S * 1000, polling=50)
    page.wait_for_timeout(300)  # the status line and the difference view, sent with the same update


def test_the_playground_works_by_keyboard_alone(lab, page, capsys):
    """Tab reaches every control in reading order, each framed when focused; keys alone change the output."""
    open_and_run(page, lab)
    playground = page.locator(".conv-playground")
    playground.scroll_into_view_if_needed()
    output = "img.conv-output"
    page.wait_for_function(f"() => !!document.querySelector('{output}')?.src")

    # Keys pressed in the playground stay there: JupyterLab does not read them as notebook commands.
    cells = page.locator(".jp-Notebook .jp-Cell").count()
    assert page.locator(".conv-playground[data-lm-suppress-shortcuts]").count() == 1

    # Choose the box blur with the arrow keys on the kernel menu (the menu starts custom, box, gaussian, ...).
    kernel = page.locator(".conv-kernel select")
    kernel.focus()
    for _ in range(40):  # up to "custom", the menu's first entry
        if kernel.evaluate("select => select.selectedIndex") == 0:
            break
        page.keyboard.press("ArrowUp")
    settled(page, "the custom kernel")  # every kernel passed on the way up has been drawn
    before = image_state(page, output)
    page.keyboard.press("ArrowDown")
    wait_for_new_image(page, output, before["src"])
    assert kernel.input_value() == "box"
    settled(page, "the box kernel")

    # The Tab order: every usable control once, column by column, then the status line; nothing skipped,
    # nothing disabled, and the focus always framed and on screen.
    stops = tab_stops(page, ".conv-image select")
    inside = [s for s in stops if s["inside"]]
    names = [s["name"] for s in inside]
    assert names[-1] == "status-text", f"Tab from the last control leaves the playground: {names}"
    order = [name for i, name in enumerate(names) if i == 0 or names[i - 1] != name]
    expected = [n for n in CONTROL_ORDER if n != "weight"]  # the box kernel does not use the nine weights
    assert order == expected, f"Tab order {order}, expected {expected}"
    assert names.count("operation") == 2 and names.count("display") == 2, names
    unframed = [s for s in inside if not s["framed"]]
    assert not unframed, f"focus not visible on {unframed}"
    assert all(s["seen"] for s in inside), f"a focused control is off screen: {[s for s in inside if not s['seen']]}"

    # A slider by keyboard: Tab from the kernel menu reaches the size slider's handle; an arrow key moves it
    # by 2 (ArrowRight up, or ArrowLeft down when it is at its largest, 41).
    kernel.focus()
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "size" and "noUi-handle" in focused(page)["cls"], focused(page)
    readout = page.locator(".conv-size .widget-readout")
    size = int(readout.inner_text())
    key, step = ("ArrowLeft", -2) if size >= 41 else ("ArrowRight", 2)
    before = image_state(page, output)
    page.keyboard.press(key)
    wait_for_new_image(page, output, before["src"])
    assert int(readout.inner_text()) == size + step

    # Back to the custom 3×3 (ArrowUp on the menu): the nine weight boxes join the Tab order.
    kernel.focus()
    before = image_state(page, output)
    page.keyboard.press("ArrowUp")
    wait_for_new_image(page, output, before["src"])
    assert kernel.input_value() == "custom"
    settled(page, "the custom kernel")
    stops = tab_stops(page, ".conv-image select")
    names = [s["name"] for s in stops if s["inside"]]
    assert names.count("weight") == 9 and names[-1] == "status-text", names
    assert all(s["framed"] for s in stops if s["inside"]), [(s["name"], s["how"]) for s in stops if s["inside"] and not s["framed"]]

    # A weight typed in: the top-left box, select what is there, type 2, Tab to commit it.
    page.locator(".conv-weight input").first.focus()
    before = image_state(page, output)
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    wait_for_new_image(page, output, before["src"])
    assert focused(page)["name"] == "weight"  # the next box, not somewhere else on the page
    assert page.locator(".conv-weight input").first.input_value() in ("2", "2.0")

    # The colour checkbox and the toggle buttons with the space bar.
    page.locator(".conv-colour input").focus()
    before = image_state(page, output)
    page.keyboard.press("Space")
    wait_for_new_image(page, output, before["src"])
    assert page.locator(".conv-colour input").is_checked()
    before = image_state(page, output)
    page.keyboard.press("Space")
    wait_for_new_image(page, output, before["src"])

    other = page.locator(".conv-operation button:not(.mod-active)")  # correlate <-> convolve
    chosen = other.inner_text().strip()
    other.focus()
    before = image_state(page, output)
    page.keyboard.press("Space")
    wait_for_new_image(page, output, before["src"])  # the top-left weight of 2 makes the kernel asymmetric
    assert page.locator(".conv-operation button.mod-active").inner_text().strip() == chosen

    # The views say what changed: kernel, border and the largest difference from OpenCV.
    described = page.locator(output).get_attribute("title") or ""
    for words in ("custom kernel", "border", "largest difference from OpenCV", chosen):
        assert words in described, f"{words!r} missing from the output's text alternative {described!r}"
    assert "border" in (page.locator("img.conv-difference").get_attribute("title") or "")
    assert page.locator("img.conv-input").get_attribute("title")
    assert page.locator(".conv-status-text[role=status][aria-live=polite]").count() == 1
    assert page.locator(".jp-Notebook .jp-Cell").count() == cells, "a key press inserted or deleted a cell"
    assert_no_errors(page)
    with capsys.disabled():
        print("\nkeyboard: Tab stops " + " > ".join(s["name"] for s in stops if s["inside"]))

"""Notebook 06 in a real JupyterLab, driven by headless Chromium.

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
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import playwright.sync_api as playwright_api  # in requirements.txt: a missing package is a failure, not a skip
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DOCS_SCREENSHOT = ROOT / "docs" / "playground.png"
NOTEBOOK = "06_kernel_playground.ipynb"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
]
SERVER_START_S = 90  # JupyterLab's first start on a busy 2-core machine can be slow
RUN_ALL_S = 180
WIDGET_UPDATE_S = 30


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.fail("Chromium is missing: install it with `apt-get update && apt-get install -y chromium`")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_settings(settings_dir: Path) -> None:
    """User settings for the test's JupyterLab: every cell in the page, no news pop-ups."""
    values = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True,
        },
    }
    for name, content in values.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


def copy_notebooks(target: Path) -> None:
    """The notebooks, with notebook 06's stored outputs and widget state removed.

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
def lab(tmp_path_factory):
    """A JupyterLab server on a free localhost port with a random token; stopped afterwards."""
    base = tmp_path_factory.mktemp("lab")
    copy_notebooks(base / "notebooks")
    write_settings(base / "settings")
    port, token = free_port(), os.urandom(16).hex()
    env = dict(os.environ)
    env.update({
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "IPYTHONDIR": str(base / "ipython"),
        "MPLBACKEND": "agg",
    })
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={base / 'notebooks'}", "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "getuid") and os.getuid() == 0:
        command.append("--allow-root")
    log = open(base / "server.log", "w")  # noqa: SIM115 (closed in the teardown)
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {server.returncode}:\n{(base / 'server.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within {SERVER_START_S} s:\n{(base / 'server.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield {"url": url, "token": token, "log": base / "server.log"}
    finally:
        stop_server(server, url, token)
        log.close()


def stop_server(server: subprocess.Popen, url: str, token: str) -> None:
    """Ask the server to shut down (it stops its kernels), then make sure its process group is gone."""
    if server.poll() is None:
        try:
            request = urllib.request.Request(f"{url}/api/shutdown?token={token}", method="POST", data=b"")
            urllib.request.urlopen(request, timeout=5).close()
        except OSError:
            pass
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)  # the group this test started: the server and its kernels
        except ProcessLookupError:
            break
        time.sleep(1)
    if server.poll() is None:
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def page(lab):
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            tab = context.new_page()
            tab.set_default_timeout(60_000)
            yield tab
        finally:
            browser.close()


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


def test_playground_in_jupyterlab(lab, page, capsys):
    started = time.perf_counter()
    SCREENSHOTS.mkdir(exist_ok=True)
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

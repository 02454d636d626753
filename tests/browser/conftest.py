"""Shared pieces of the browser tests: Debian's Chromium through Playwright, a JupyterLab
server, and the static site (built once, with its slide decks) on a local HTTP server.

Fixtures: ``chromium_browser`` (one browser for the session), ``jupyter_lab`` (the committed
notebooks), ``start_jupyter_lab`` (a server on a copy a test prepares itself, as the playground
test does) and ``served_site``.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import playwright.sync_api as playwright_api  # in requirements.txt: a missing package is a failure, not a skip
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
]
SERVER_START_S = 90  # JupyterLab's first start on a busy 2-core machine can be slow


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.fail("Chromium is missing: install it with `apt-get update && apt-get install -y chromium`")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Chromium for the session (each test opens its own context)."""
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --------------------------------------------------------------------------- JupyterLab


def _write_lab_settings(settings_dir: Path) -> None:
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


def _stop(server: subprocess.Popen, url: str, token: str) -> None:
    """Ask the server to shut down, then make sure the process group this fixture started is gone."""
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
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        time.sleep(1)
    if server.poll() is None:
        server.wait(timeout=10)


@contextlib.contextmanager
def running_jupyter_lab(base: Path):
    """JupyterLab (this environment's, with its extensions) serving ``base / "notebooks"``.

    Yields {"url", "token", "log"}; the server and its kernels are stopped afterwards.
    """
    _write_lab_settings(base / "settings")
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
    log = open(base / "server.log", "w")  # noqa: SIM115 (closed in the finally below)
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
        _stop(server, url, token)
        log.close()


@pytest.fixture(scope="session")
def start_jupyter_lab():
    """:func:`running_jupyter_lab`, for test modules that prepare their own copy of the notebooks."""
    return running_jupyter_lab


@pytest.fixture(scope="module")
def jupyter_lab(tmp_path_factory):
    """JupyterLab on a copy of notebooks/ as committed; stopped afterwards."""
    base = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", base / "notebooks")
    with running_jupyter_lab(base) as server:
        yield server


# --------------------------------------------------------------------------- the static site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The site with its slide decks (tools/build_site.py --slides), served on a free localhost port.

    Yields ``{"url": ..., "dir": ...}``; the server stops after the session.
    """
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_site", module)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("site")
    module.build(out, slides=True)
    assert module.broken_links(out) == []
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_address[1]}", "dir": out}
    finally:
        server.shutdown()
        server.server_close()

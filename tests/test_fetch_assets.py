"""The site's scripts without Node.js: tools/fetch_assets.py, and a site build with no node or npm on PATH.

The fetcher is tried on a registry made in a temporary folder (file:// addresses),
so these tests need no network; the site build uses the node_modules/ that
`make test` fetched before running them.
"""
import base64
import contextlib
import hashlib
import http.server
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
from tool_loading import load_tool

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def fetcher():
    return load_tool("fetch_assets")


def tarball(files: dict[str, bytes], top: str = "package") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def registry_with(tmp_path: Path, packages: dict[str, tuple[str, bytes]], digests: dict[str, bytes] | None = None):
    """A registry folder laid out as npm's, and a lock file naming its tarballs (digests of ``digests``)."""
    registry = tmp_path / "registry"
    entries = {"": {"name": "site", "dependencies": {n: v for n, (v, _) in packages.items()}}}
    for name, (version, data) in packages.items():
        path = registry / name / "-" / f"{name.split('/')[-1]}-{version}.tgz"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        signed = (digests or {}).get(name, data)
        integrity = "sha512-" + base64.b64encode(hashlib.sha512(signed).digest()).decode()
        entries[f"node_modules/{name}"] = {"version": version, "integrity": integrity}
    lock = tmp_path / "package-lock.json"
    lock.write_text(json.dumps({"name": "site", "lockfileVersion": 3, "packages": entries}))
    return registry.as_uri(), lock


def test_every_package_of_the_lock_file_is_unpacked_where_npm_puts_it(fetcher, tmp_path):
    one = tarball({"package.json": b'{"name": "one"}', "dist/one.js": b"var one = 1;"})
    scoped = tarball({"package.json": b'{"name": "@team/two"}', "two.js": b"2"}, top="two")
    registry, lock = registry_with(tmp_path, {"one": ("1.0.0", one), "@team/two": ("2.1.0", scoped)})
    dest = tmp_path / "node_modules"
    fetched = fetcher.fetch(lock, dest, registry=registry, log=lambda line: None)
    assert sorted(p.name for p in fetched) == ["@team/two", "one"]
    assert (dest / "one" / "dist" / "one.js").read_bytes() == b"var one = 1;"
    assert (dest / "@team" / "two" / "two.js").read_bytes() == b"2"
    # a second run finds both in place and downloads nothing
    assert fetcher.fetch(lock, dest, registry=registry, log=lambda line: None) == []


def test_a_tarball_that_does_not_match_its_sha512_is_refused_before_unpacking(fetcher, tmp_path):
    data = tarball({"package.json": b"{}", "evil.js": b"alert(1)"})
    registry, lock = registry_with(tmp_path, {"one": ("1.0.0", data)}, digests={"one": b"what the lock signed"})
    dest = tmp_path / "node_modules"
    with pytest.raises(fetcher.FetchError, match=r"one 1\.0\.0 .* does not match package-lock\.json: sha512"):
        fetcher.fetch(lock, dest, registry=registry, log=lambda line: None)
    assert not (dest / "one").exists()


def test_an_unreachable_registry_is_named_in_the_error(fetcher, tmp_path):
    registry, lock = registry_with(tmp_path, {"one": ("1.0.0", tarball({"a.js": b"1"}))})
    unreachable = "http://127.0.0.1:9"  # the discard port: nothing listens there
    with pytest.raises(fetcher.FetchError) as caught:
        fetcher.fetch(lock, tmp_path / "node_modules", registry=unreachable, log=lambda line: None)
    message = str(caught.value)
    assert "could not download one 1.0.0 from http://127.0.0.1:9/one/-/one-1.0.0.tgz" in message
    assert "NPM_CONFIG_REGISTRY" in message


def test_a_path_leaving_the_package_folder_is_refused(fetcher, tmp_path):
    data = tarball({"../../outside.js": b"1"})
    registry, lock = registry_with(tmp_path, {"one": ("1.0.0", data)})
    with pytest.raises(fetcher.FetchError, match="unsafe path"):
        fetcher.fetch(lock, tmp_path / "node_modules", registry=registry, log=lambda line: None)
    assert not (tmp_path / "outside.js").exists()


def test_the_real_lock_file_names_a_sha512_for_every_package(fetcher):
    packages = fetcher.read_lock(ROOT / "package-lock.json")
    assert {"mathjax", "reveal.js"} <= {p.name for p in packages}
    assert all(p.integrity.startswith("sha512-") for p in packages)


# --------------------------------------------------------------------------- issue 31: a lock file or a server that misbehaves


def lock_with(tmp_path: Path, path: str, entry: dict) -> Path:
    lock = tmp_path / "package-lock.json"
    digest = base64.b64encode(hashlib.sha512(b"x").digest()).decode()
    lock.write_text(json.dumps({"lockfileVersion": 3, "packages": {
        "": {"name": "site"}, path: {"version": "1.0.0", "integrity": f"sha512-{digest}", **entry}}}))
    return lock


@pytest.mark.parametrize(
    ("path", "entry"),
    [
        ("node_modules/../../x", {}),
        ("node_modules/a/node_modules/../../../x", {}),
        ("node_modules/@team/../../x", {}),
        ("node_modules/.hidden", {}),
        ("node_modules/Upper", {}),
        ("node_modules/one", {"name": "../../x"}),
        ("node_modules/one", {"name": "a/b/c"}),
        ("node_modules/one", {"version": "../1"}),
    ],
    ids=["climbs out", "nested climb", "scoped climb", "leading dot", "upper case", "name climbs", "name with slashes",
         "version with slashes"],
)
def test_a_lock_entry_that_is_no_npm_name_or_leaves_node_modules_is_refused_before_anything(fetcher, tmp_path, path, entry):
    lock = lock_with(tmp_path, path, entry)
    victim = tmp_path / "x"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    dest = tmp_path / "site" / "node_modules"
    with pytest.raises(fetcher.FetchError, match="not node_modules/<npm package name>|not a valid npm|not an npm version"):
        fetcher.fetch(lock, dest, registry=(tmp_path / "registry").as_uri(), log=lambda line: None)
    assert (victim / "keep.txt").read_text() == "mine"
    assert not dest.exists()


def test_valid_npm_names_are_accepted(fetcher):
    assert all(fetcher.is_npm_name(n) for n in ("mathjax", "reveal.js", "axe-core", "@team/two", "a_b", "x~y"))
    assert not any(fetcher.is_npm_name(n) for n in ("..", ".", "_x", "a/b", "@a/b/c", "A", "", "a" * 215, "a\\b"))


@contextlib.contextmanager
def serving(handler_class):
    """An HTTP server on a free local port, in a thread, for the test's duration."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_server_that_trickles_is_stopped_at_the_download_deadline(fetcher, tmp_path, monkeypatch):
    data = tarball({"a.js": b"1"})

    class Trickle(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # one byte every 50 ms: no read ever waits TIMEOUT_SECONDS
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                for byte in data:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass  # the client hung up, as it should

        def log_message(self, *args):
            pass

    _, lock = registry_with(tmp_path, {"one": ("1.0.0", data)})
    monkeypatch.setattr(fetcher, "DEADLINE_SECONDS", 0.5)
    dest = tmp_path / "node_modules"
    with serving(Trickle) as address, pytest.raises(fetcher.FetchError) as caught:
        fetcher.fetch(lock, dest, registry=address, log=lambda line: None)
    message = str(caught.value)
    assert f"could not download one 1.0.0 from {address}/one/-/one-1.0.0.tgz: it took more than 0.5 s" in message
    assert message.count(". ") == 0  # one sentence
    assert not (dest / "one").exists() and not list(dest.glob(".download-*"))


def test_an_endless_response_is_capped_and_never_held_in_memory(fetcher, tmp_path, monkeypatch):
    class Endless(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # no Content-Length: 64 MiB of zeros, as far as the client reads them
            self.send_response(200)
            self.end_headers()
            block = bytes(2**16)
            try:
                for _ in range(1024):
                    self.wfile.write(block)
            except OSError:
                pass

        def log_message(self, *args):
            pass

    _, lock = registry_with(tmp_path, {"one": ("1.0.0", tarball({"a.js": b"1"}))})
    monkeypatch.setattr(fetcher, "MAX_TARBALL_BYTES", 2**20)
    dest = tmp_path / "node_modules"
    with serving(Endless) as address, pytest.raises(fetcher.FetchError) as caught:
        fetcher.fetch(lock, dest, registry=address, log=lambda line: None)
    message = str(caught.value)
    assert f"could not download one 1.0.0 from {address}/one/-/one-1.0.0.tgz: it sent more than the 1,048,576 bytes" in message
    assert not (dest / "one").exists() and not list(dest.glob(".download-*"))


def test_unpacked_folders_and_files_get_the_modes_npm_ci_gives(fetcher, tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data, mode in (("package/lib/a.js", b"1", 0o600), ("package/bin/run", b"#!/bin/sh\n", 0o700)):
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), mode
            archive.addfile(info, io.BytesIO(data))
    registry, lock = registry_with(tmp_path, {"one": ("1.0.0", buffer.getvalue())})
    dest = tmp_path / "node_modules"
    old = os.umask(0o022)
    try:
        fetcher.fetch(lock, dest, registry=registry, log=lambda line: None)
    finally:
        os.umask(old)
    def mode(path):
        return stat.S_IMODE((dest / "one" / path).stat().st_mode)
    assert (mode("."), mode("lib"), mode("bin")) == (0o755, 0o755, 0o755)
    assert (mode("lib/a.js"), mode("bin/run")) == (0o644, 0o755)


# --------------------------------------------------------------------------- the site without Node.js


def node_free_path(tmp_path: Path) -> str:
    """A PATH with this Python's folder and a folder of the few tools a build may call, but no node or npm."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("sh", "bash", "cat", "cp", "mkdir", "rm", "ls"):
        found = shutil.which(name)
        if found:
            (tools / name).symlink_to(found)
    path = os.pathsep.join([str(Path(sys.executable).parent), str(tools)])
    assert shutil.which("node", path=path) is None and shutil.which("npm", path=path) is None
    return path


def test_the_site_builds_with_no_node_or_npm_on_path(tmp_path):
    env = {**os.environ, "PATH": node_free_path(tmp_path)}
    check = subprocess.run([sys.executable, "tools/fetch_assets.py", "--check"], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    out = tmp_path / "site"
    script = (
        "import sys; sys.path.insert(0, 'tools'); import build_site\n"
        f"build_site.build({str(out)!r}, notebooks=['notebooks/00_start_here.ipynb'], jobs=1)\n"
        f"build_site.copy_assets(__import__('pathlib').Path({str(out / 'decks')!r}), slides=True)\n"
    )
    build = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    assert (out / "assets" / "mathjax" / "es5" / "tex-chtml-full.js").is_file()
    assert (out / "decks" / "assets" / "reveal.js" / "dist" / "reveal.js").is_file()
    page = (out / "notebooks" / "00_start_here.html").read_text(encoding="utf-8")
    assert "assets/mathjax/es5/tex-chtml-full.js" in page


def test_the_site_leaves_the_set_up_cell_out(tmp_path):
    site_tool = load_tool("build_site")
    path = ROOT / "notebooks" / "00_start_here.ipynb"
    setup = load_tool("build_notebooks").SETUP_TAG
    tagged = [setup in c.get("metadata", {}).get("tags", []) for c in site_tool.nbformat.read(path, 4).cells]
    assert any(tagged), "the notebook has no set-up cell to leave out"
    nb, _ = site_tool._read_and_title(path)
    assert len(nb.cells) == len(tagged) - sum(tagged)

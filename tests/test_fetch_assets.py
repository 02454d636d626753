"""The site's scripts without Node.js: tools/fetch_assets.py, and a site build with no node or npm on PATH.

The fetcher is tried on a registry made in a temporary folder (file:// addresses),
so these tests need no network; the site build uses the node_modules/ that
`make test` fetched before running them.
"""
import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
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

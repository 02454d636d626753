#!/usr/bin/env python3
"""Fetch the site's JavaScript packages (MathJax, reveal.js, ...) without Node.js.

``package-lock.json`` names every package the site uses, its version and the
sha512 digest of its tarball (``integrity``). This script reads every
``node_modules/...`` entry of the lock file, downloads the tarball from the
npm registry (the entry's ``resolved`` address, or
``<registry>/<name>/-/<name>-<version>.tgz``), checks its sha512 against the
lock file before unpacking anything, and unpacks it where ``npm ci`` would:
``node_modules/<name>/``. So ``make html`` and ``make slides`` need Python only.

    python tools/fetch_assets.py                 # fetch what is missing or changed
    python tools/fetch_assets.py --check         # exit 1 unless every package is in place (no network)
    python tools/fetch_assets.py --lock L --dest D

A package already unpacked from the same tarball (its digest is kept in
``node_modules/<name>/.integrity``) is not fetched again. The registry is
``$NPM_CONFIG_REGISTRY`` when set (a mirror), else https://registry.npmjs.org.
Any failure (no network, a wrong digest, a damaged tarball) stops the script
with one line naming the package, the address and what went wrong.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REGISTRY = "https://registry.npmjs.org"
MARKER = ".integrity"
TIMEOUT_SECONDS = 60


class FetchError(Exception):
    """A package could not be fetched, checked or unpacked; the message says which and why."""


@dataclass(frozen=True)
class Package:
    """One ``node_modules/...`` entry of package-lock.json."""

    path: str  # "node_modules/mathjax", or nested "node_modules/a/node_modules/b"
    name: str  # "mathjax", "@scope/name"
    version: str
    integrity: str  # "sha512-<base64 digest>"
    resolved: str | None

    def url(self, registry: str) -> str:
        if self.resolved and not os.environ.get("NPM_CONFIG_REGISTRY"):
            return self.resolved
        base = self.name.split("/")[-1]  # a scoped package's tarball is named without its scope
        return f"{registry.rstrip('/')}/{self.name}/-/{base}-{self.version}.tgz"


def read_lock(lock: Path) -> list[Package]:
    """Every package of a lockfileVersion 2 or 3 ``package-lock.json``."""
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise FetchError(f"cannot read {lock}: {error}") from None
    packages = []
    for path, entry in sorted(data.get("packages", {}).items()):
        if not path.startswith("node_modules/") or entry.get("link"):
            continue  # "" is the project itself; a link points into the project
        name = entry.get("name") or path.rsplit("node_modules/", 1)[1]
        integrity = entry.get("integrity", "")
        if not integrity.startswith("sha512-") or "version" not in entry:
            raise FetchError(f"{lock}: {path} has no version and sha512 integrity to check a download against")
        packages.append(Package(path, name, entry["version"], integrity, entry.get("resolved")))
    if not packages:
        raise FetchError(f"{lock} names no packages (no 'node_modules/...' entries under 'packages')")
    return packages


def sha512_integrity(data: bytes) -> str:
    """The lock file's form of a digest: "sha512-" + base64 of the SHA-512 of ``data``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def download(url: str, package: Package) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise FetchError(
            f"could not download {package.name} {package.version} from {url}: {reason} "
            "(the site's scripts come from the npm registry; check the network, or set "
            "NPM_CONFIG_REGISTRY to a registry mirror)"
        ) from None


def unpack(data: bytes, target: Path, package: Package) -> None:
    """Unpack the tarball into ``target``, dropping its top folder ("package/"), refusing unsafe paths."""
    staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=target.parent))
    try:
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
                for member in archive.getmembers():
                    parts = PurePosixPath(member.name).parts[1:]
                    if not parts or not (member.isfile() or member.isdir()):
                        continue  # the top folder itself; links and devices are not needed
                    if member.name.startswith("/") or ".." in parts:
                        raise FetchError(f"{package.name} {package.version}: unsafe path {member.name!r} in its tarball")
                    out = staging.joinpath(*parts)
                    if member.isdir():
                        out.mkdir(parents=True, exist_ok=True)
                        continue
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(archive.extractfile(member).read())
        except (tarfile.TarError, OSError, EOFError) as error:
            raise FetchError(f"{package.name} {package.version}: damaged tarball ({error})") from None
        (staging / MARKER).write_text(package.integrity + "\n", encoding="ascii")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def is_current(package: Package, dest: Path) -> bool:
    marker = dest / Path(package.path).relative_to("node_modules") / MARKER
    return marker.is_file() and marker.read_text(encoding="ascii").strip() == package.integrity


def fetch(lock: Path, dest: Path, registry: str | None = None, log=print) -> list[Package]:
    """Fetch every package of ``lock`` that is not already in ``dest``; return those fetched."""
    registry = registry or os.environ.get("NPM_CONFIG_REGISTRY") or DEFAULT_REGISTRY
    fetched = []
    for package in read_lock(lock):
        if is_current(package, dest):
            continue
        url = package.url(registry)
        log(f"fetching {package.name} {package.version} from {url}")
        data = download(url, package)
        found = sha512_integrity(data)
        if found != package.integrity:
            raise FetchError(
                f"{package.name} {package.version} from {url} does not match package-lock.json: "
                f"sha512 {found[7:23]}... instead of {package.integrity[7:23]}... (nothing was unpacked)"
            )
        target = dest / Path(package.path).relative_to("node_modules")
        target.parent.mkdir(parents=True, exist_ok=True)
        unpack(data, target, package)
        fetched.append(package)
    return fetched


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lock", type=Path, default=ROOT / "package-lock.json")
    parser.add_argument("--dest", type=Path, default=ROOT / "node_modules")
    parser.add_argument("--check", action="store_true", help="only report missing or outdated packages")
    args = parser.parse_args(argv)
    try:
        if args.check:
            missing = [p for p in read_lock(args.lock) if not is_current(p, args.dest)]
            for package in missing:
                print(f"missing or outdated: {package.name} {package.version}")
            return 1 if missing else 0
        fetched = fetch(args.lock, args.dest)
    except FetchError as error:
        print(f"fetch_assets: {error}", file=sys.stderr)
        return 1
    print(f"fetched {len(fetched)} package(s) into {args.dest}" if fetched else "every package is in place")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

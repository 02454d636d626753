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

The lock file is not trusted further than npm trusts it: a package name must
be a valid npm name and its path must stay under the destination (no
``node_modules/../..``); a download streams to a file beside the destination,
must finish within DEADLINE_SECONDS in all and may not pass MAX_TARBALL_BYTES;
unpacked files get the modes ``npm ci`` gives them (folders rwxr-xr-x, files
rw-r--r--, executables rwxr-xr-x, under the usual umask 022).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REGISTRY = "https://registry.npmjs.org"
MARKER = ".integrity"
#: The longest one read may wait for the server.
TIMEOUT_SECONDS = 60
#: The longest one download may take in all (a server sending a byte every few seconds never hits
#: TIMEOUT_SECONDS, which is per read).
DEADLINE_SECONDS = 300
#: The largest tarball accepted: the site's largest (MathJax) is under 10 MiB, so a download
#: passing 100 MiB is not the package the lock file names; it is stopped rather than read to the end.
MAX_TARBALL_BYTES = 100 * 2**20
CHUNK_BYTES = 2**16

#: An npm package name: lower case, optionally "@scope/", no leading "." or "_", at most 214
#: characters (npm's rules); anything else, "..", "/" or a backslash included, is refused.
NPM_NAME = re.compile(r"(?:@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~-][a-z0-9._~-]*")
#: A version as npm writes it in the lock file: "3.2.2", "1.0.0-rc.1+build".
NPM_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]*")


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


def is_npm_name(name: str) -> bool:
    """True for a valid npm package name ("mathjax", "@team/two"), False for "..", "a/b/c", "UPPER" ..."""
    return isinstance(name, str) and len(name) <= 214 and NPM_NAME.fullmatch(name) is not None


def check_entry(lock: Path, path: str, name: str, version) -> None:
    """Refuse an entry whose path leaves node_modules/ or is not made of npm names, or whose name or version is not one.

    A path is "node_modules/<name>", or nested "node_modules/<a>/node_modules/<b>":
    every name in it valid, so it cannot climb out ("node_modules/../../x").
    """
    nested = path[len("node_modules/"):].split("/node_modules/")
    if not all(is_npm_name(part) for part in nested):
        raise FetchError(
            f"{lock}: the entry {path!r} is not node_modules/<npm package name> (a path that could leave "
            "node_modules/ is refused; nothing was fetched)"
        )
    if not is_npm_name(name):
        raise FetchError(f"{lock}: the entry {path!r} names {name!r}, which is not a valid npm package name")
    if not isinstance(version, str) or NPM_VERSION.fullmatch(version) is None:
        raise FetchError(f"{lock}: the entry {path!r} has version {version!r}, which is not an npm version")


def read_lock(lock: Path) -> list[Package]:
    """Every package of a lockfileVersion 2 or 3 ``package-lock.json``, each checked by :func:`check_entry`."""
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
        check_entry(lock, path, name, entry["version"])
        packages.append(Package(path, name, entry["version"], integrity, entry.get("resolved")))
    if not packages:
        raise FetchError(f"{lock} names no packages (no 'node_modules/...' entries under 'packages')")
    return packages


def sha512_integrity(data: bytes) -> str:
    """The lock file's form of a digest: "sha512-" + base64 of the SHA-512 of ``data``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _failure(package: Package, url: str, reason: str) -> FetchError:
    return FetchError(f"could not download {package.name} {package.version} from {url}: {reason}")


def download(url: str, package: Package, folder: Path) -> tuple[Path, str]:
    """Stream the tarball at ``url`` into a new file in ``folder``; return (the file, its sha512 integrity).

    The download may take DEADLINE_SECONDS in all (each read at most
    TIMEOUT_SECONDS) and bring MAX_TARBALL_BYTES at most; past either it stops,
    the file is removed and a FetchError says which package, which address and why.
    """
    handle, name = tempfile.mkstemp(prefix=".download-", suffix=".tgz", dir=folder)
    path = Path(name)
    digest = hashlib.sha512()
    received = 0
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        with os.fdopen(handle, "wb") as file, \
                urllib.request.urlopen(url, timeout=min(TIMEOUT_SECONDS, DEADLINE_SECONDS)) as response:
            announced = response.headers.get("Content-Length") if hasattr(response, "headers") else None
            if announced and announced.isdigit() and int(announced) > MAX_TARBALL_BYTES:
                raise _failure(package, url, f"the server announces {int(announced):,} bytes, more than the "
                                             f"{MAX_TARBALL_BYTES:,} a package of the site may have")
            read = getattr(response, "read1", response.read)  # read1: what has arrived, without waiting for a full chunk
            while chunk := read(CHUNK_BYTES):
                received += len(chunk)
                if received > MAX_TARBALL_BYTES:
                    raise _failure(package, url, f"it sent more than the {MAX_TARBALL_BYTES:,} bytes a package of "
                                                 "the site may have, so it was stopped (nothing was unpacked)")
                if time.monotonic() > deadline:
                    raise _failure(package, url, f"it took more than {DEADLINE_SECONDS} s in all ({received:,} bytes "
                                                 "had arrived), so it was stopped; try again, or set "
                                                 "NPM_CONFIG_REGISTRY to a faster registry mirror")
                digest.update(chunk)
                file.write(chunk)
    except FetchError:
        path.unlink(missing_ok=True)
        raise
    except (urllib.error.URLError, OSError, ValueError) as error:
        path.unlink(missing_ok=True)
        reason = getattr(error, "reason", None) or error
        raise _failure(package, url, f"{reason} (the site's scripts come from the npm registry; check the "
                                     "network, or set NPM_CONFIG_REGISTRY to a registry mirror)") from None
    return path, "sha512-" + base64.b64encode(digest.digest()).decode("ascii")


def npm_mode(member: tarfile.TarInfo, umask: int) -> int:
    """The mode ``npm ci`` gives an unpacked entry: folders 0777, files 0666, or 0777 when the
    tarball marks them executable, less the umask (0755, 0644 and 0755 with the usual 022)."""
    if member.isdir():
        return 0o777 & ~umask
    return (0o777 if member.mode & 0o111 else 0o666) & ~umask


def current_umask() -> int:
    """The process's umask (os.umask can only be read by setting it, so it is set back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def unpack(tarball: Path, target: Path, package: Package) -> None:
    """Unpack the tarball into ``target``, dropping its top folder ("package/"), refusing unsafe paths.

    Folders and files get :func:`npm_mode`; the folder is built beside ``target``
    and renamed into place only when everything was unpacked.
    """
    staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=target.parent))
    umask = current_umask()
    try:
        try:
            with tarfile.open(tarball, mode="r:gz") as archive:
                for member in archive.getmembers():
                    parts = PurePosixPath(member.name).parts[1:]
                    if not parts or not (member.isfile() or member.isdir()):
                        continue  # the top folder itself; links and devices are not needed
                    if member.name.startswith("/") or ".." in parts:
                        raise FetchError(f"{package.name} {package.version}: unsafe path {member.name!r} in its tarball")
                    out = staging.joinpath(*parts)
                    if member.isdir():
                        out.mkdir(parents=True, exist_ok=True)
                        out.chmod(npm_mode(member, umask))
                        continue
                    out.parent.mkdir(parents=True, exist_ok=True)
                    with archive.extractfile(member) as source, open(out, "wb") as sink:
                        shutil.copyfileobj(source, sink)
                    out.chmod(npm_mode(member, umask))
        except (tarfile.TarError, OSError, EOFError) as error:
            raise FetchError(f"{package.name} {package.version}: damaged tarball ({error})") from None
        (staging / MARKER).write_text(package.integrity + "\n", encoding="ascii")
        (staging / MARKER).chmod(0o666 & ~umask)
        staging.chmod(0o777 & ~umask)  # mkdtemp made it 0700
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def target_folder(package: Package, dest: Path) -> Path:
    """Where ``npm ci`` puts the package: ``dest``/<path after node_modules/>, refused unless it stays under ``dest``."""
    target = dest / Path(package.path).relative_to("node_modules")
    root = dest.resolve()
    if not target.resolve().is_relative_to(root) or target.resolve() == root:
        raise FetchError(f"{package.name} {package.version}: its path {package.path!r} leaves {dest}; nothing was fetched")
    return target


def is_current(package: Package, dest: Path) -> bool:
    marker = target_folder(package, dest) / MARKER
    return marker.is_file() and marker.read_text(encoding="ascii").strip() == package.integrity


def fetch(lock: Path, dest: Path, registry: str | None = None, log=print) -> list[Package]:
    """Fetch every package of ``lock`` that is not already in ``dest``; return those fetched."""
    registry = registry or os.environ.get("NPM_CONFIG_REGISTRY") or DEFAULT_REGISTRY
    fetched = []
    for package in read_lock(lock):
        if is_current(package, dest):
            continue
        url = package.url(registry)
        target = target_folder(package, dest)
        log(f"fetching {package.name} {package.version} from {url}")
        target.parent.mkdir(parents=True, exist_ok=True)
        tarball, found = download(url, package, target.parent)
        try:
            if found != package.integrity:
                raise FetchError(
                    f"{package.name} {package.version} from {url} does not match package-lock.json: "
                    f"sha512 {found[7:23]}... instead of {package.integrity[7:23]}... (nothing was unpacked)"
                )
            unpack(tarball, target, package)
        finally:
            tarball.unlink(missing_ok=True)
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

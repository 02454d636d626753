"""`import helpers` anywhere: the package metadata, and pip install of the repository into a fresh venv.

The install test copies what a clone holds of the package into a temporary
folder, makes a fresh venv without packages that sees this environment's
libraries after its own (no network: pip builds with this environment's
setuptools), installs the copy with pip (not editable) and loads a sample
image from yet another folder.
"""
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def requirement_bounds(lines) -> dict[str, str]:
    bounds = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if line:
            name, bound = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", line).groups()
            bounds[name.lower()] = bound.replace(" ", "")
    return bounds


def test_the_package_needs_what_requirements_txt_lists_with_the_same_bounds():
    package = requirement_bounds(PYPROJECT["project"]["dependencies"])
    listed = requirement_bounds((ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())
    assert package, "pyproject.toml lists no dependencies: pip install of the repository would not run"
    assert {name: listed.get(name) for name in package} == package


def test_every_subpackage_of_helpers_is_installed():
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "helpers").rglob("__init__.py")}
    found = {name for name in found if "__pycache__" not in name}
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert found | {"helpers.data"} == listed
    assert PYPROJECT["tool"]["setuptools"]["package-dir"]["helpers.data"] == "data"


def test_supported_pythons_are_named_in_the_metadata():
    classifiers = PYPROJECT["project"]["classifiers"]
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers


def test_pip_install_of_the_repository_gives_helpers_with_its_images(tmp_path):
    source = tmp_path / "clone"
    for name in ("helpers", "data"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        (source / name).write_bytes((ROOT / name).read_bytes())
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # the libraries (and setuptools) of this environment, after the venv's own packages
    Path(purelib, "zz_this_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "", "PIP_CONSTRAINT": ""}
    # this environment's pip, installing into the venv's Python (pip --python)
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                              "--no-build-isolation", str(source)], env=env, capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    check = (
        "import helpers\n"
        "image = helpers.load_image('camera')\n"
        "print(helpers.__file__); print(helpers.DATA_DIR); print(image.shape, image.dtype)\n"
    )
    run = subprocess.run([str(python), "-c", check], cwd=elsewhere, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    module, data, shape = run.stdout.splitlines()
    assert Path(module).is_relative_to(venv) and Path(data).is_relative_to(venv), run.stdout
    assert Path(data) == Path(module).parent / "data"
    assert shape == "(512, 512) uint8"

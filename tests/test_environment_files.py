"""The conda files: environment.yml (the full set, as requirements.txt) and binder/environment.yml (a student's).

conda-forge names some packages differently from PyPI, and repo2docker (what
Binder runs) reads only an exact ``python=X.Y``: with a range it starts from
its default Python and solves everything again. These tests read the files as
text (no conda, no network); what repo2docker itself makes of them was checked
by hand with ``repo2docker --no-build`` (see binder/environment.yml).
"""
import re
import tomllib
from pathlib import Path

from test_packaging import requirement_bounds  # requirements.txt's and pyproject's bounds, read one way

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = ROOT / "environment.yml"
BINDER = ROOT / "binder" / "environment.yml"

#: conda-forge's name -> PyPI's name, where they differ. conda-forge's "opencv" has a headless build
#: (no Qt), like opencv-python-headless; its "playwright" is the Node.js tool, the Python library is
#: "playwright-python"; RISE for JupyterLab is "jupyterlab_rise" there.
CONDA_TO_PYPI = {
    "opencv": "opencv-python-headless",
    "jupyterlab_rise": "jupyterlab-rise",
    "playwright-python": "playwright",
}

#: What a student needs besides what `import helpers` needs (pyproject.toml's dependencies):
#: JupyterLab and the two slide extensions of the lessons.
LAB = {"jupyterlab", "jupyterlab-rise", "jupyterlab-slideshow"}


def conda_dependencies(path: Path) -> dict[str, str]:
    """name -> spec (as written after the name, e.g. ">=4.12 *headless*" or "=3.11") of a conda file's dependencies."""
    deps, inside = {}, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            inside = line.startswith("dependencies:")
            continue
        item = re.match(r"\s+-\s+([A-Za-z0-9_.-]+)\s*(.*?)\s*(#.*)?$", line)
        if inside and item:
            deps[item.group(1)] = item.group(2)
    return deps


def channels(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    block = re.search(r"^channels:\n((?:\s+-.*\n)+)", text, re.MULTILINE)
    return re.findall(r"-\s*(\S+)", block.group(1)) if block else []


def as_pypi(deps: dict[str, str]) -> dict[str, str]:
    """The conda dependencies under PyPI's names, with the version bound only (no build string), python and pip left out."""
    return {CONDA_TO_PYPI.get(name, name).lower(): (spec.split() or [""])[0]
            for name, spec in deps.items() if name not in ("python", "pip")}


def test_requirements_and_environment_yml_agree():
    pip = requirement_bounds((ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())
    assert as_pypi(conda_dependencies(ENVIRONMENT)) == pip
    assert re.fullmatch(r"(=|>=)?3\.\d+.*", conda_dependencies(ENVIRONMENT)["python"]), "environment.yml must bound Python"


def test_environment_yml_uses_conda_forges_names():
    # PyPI's name where conda-forge's differs: "playwright" would install the Node.js tool, and
    # "jupyterlab-rise" is not the name of conda-forge's package
    names = set(conda_dependencies(ENVIRONMENT))
    wrong = {pypi for conda, pypi in CONDA_TO_PYPI.items() if pypi in names and pypi != conda}
    assert not wrong, f"environment.yml names {sorted(wrong)}: use conda-forge's names"
    assert {"opencv", "jupyterlab_rise", "playwright-python"} <= names


def test_binder_has_a_file_of_its_own_with_an_exact_python():
    assert BINDER.is_file() and not BINDER.is_symlink(), "binder/environment.yml must be a real file, not a link"
    python = conda_dependencies(BINDER).get("python", "")
    # repo2docker reads "python=3.11"; ">=3.11,<3.14" makes it start from its default Python
    match = re.fullmatch(r"=(3\.\d+)", python)
    assert match, f"binder/environment.yml must pin Python as python=3.Y; it says python {python!r}"
    minor = int(match.group(1).split(".")[1])
    supported = conda_dependencies(ENVIRONMENT)["python"]  # ">=3.11,<3.14"
    low, high = (int(n) for n in re.fullmatch(r">=3\.(\d+),<3\.(\d+)", supported).groups())
    assert low <= minor < high, f"Binder's Python 3.{minor} is outside environment.yml's {supported}"


def test_binder_installs_what_a_student_needs_and_no_test_tools():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    needed = set(requirement_bounds(pyproject["project"]["dependencies"])) | LAB
    binder = set(as_pypi(conda_dependencies(BINDER)))
    assert binder == needed, f"missing {sorted(needed - binder)}, not needed {sorted(binder - needed)}"
    tools = set(requirement_bounds(pyproject["project"]["optional-dependencies"]["test"])) | {"ruff", "playwright", "pypdf"}
    assert not binder & tools


def test_binder_is_a_subset_of_environment_yml():
    # the same channels, and every package of Binder's file with exactly the spec environment.yml gives it
    full, binder = conda_dependencies(ENVIRONMENT), conda_dependencies(BINDER)
    assert channels(BINDER) == channels(ENVIRONMENT) == ["conda-forge"]
    differing = {name: (spec, full.get(name)) for name, spec in binder.items()
                 if name != "python" and full.get(name) != spec}
    assert not differing, f"binder/environment.yml differs from environment.yml (binder, full): {differing}"


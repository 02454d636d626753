"""The environment check of notebook 00: which packages import, and which versions.

Not every package is needed everywhere: the lessons need the libraries and
``helpers``; JupyterLab also needs ``jupyterlab_widgets`` to draw sliders
(Google Colab draws them itself); only ``make test`` needs the test tools.
"""
from __future__ import annotations

import importlib
import sys
from importlib import metadata

LESSONS, JUPYTERLAB, TESTS = "lessons", "JupyterLab", "tests"

#: (import name, distribution name, what the series uses it for, where it is needed)
PACKAGES = (
    ("numpy", "numpy", "arrays", LESSONS),
    ("scipy", "scipy", "reference filters and FFT", LESSONS),
    ("matplotlib", "matplotlib", "figures", LESSONS),
    ("cv2", "opencv-python-headless", "OpenCV, the reference convolver", LESSONS),
    ("skimage", "scikit-image", "image utilities", LESSONS),
    ("ipywidgets", "ipywidgets", "sliders (Python side)", LESSONS),
    ("jupyterlab_widgets", "jupyterlab_widgets", "sliders (JupyterLab front end)", JUPYTERLAB),
    ("nbval", "nbval", "notebook tests (make test only)", TESTS),
    ("pytest", "pytest", "tests (make test only)", TESTS),
    ("hypothesis", "hypothesis", "property tests (make test only)", TESTS),
    ("helpers", "convolution-notebooks", "this series' helper package", LESSONS),
)


def on_colab() -> bool:
    """True inside Google Colab (its ``google.colab`` module is loaded in every Colab kernel)."""
    return "google.colab" in sys.modules


def package_report() -> list[tuple[str, str, str]]:
    """One row per package: (import name, version or 'MISSING', purpose)."""
    rows = []
    for module_name, distribution, purpose, _ in PACKAGES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            rows.append((module_name, "MISSING", purpose))
            continue
        version = getattr(module, "__version__", None)
        if version is None:
            try:
                version = metadata.version(distribution)
            except metadata.PackageNotFoundError:
                version = "installed"
        rows.append((module_name, str(version), purpose))
    return rows


def needed_here() -> set[str]:
    """Import names the lessons need in this environment (the test tools never; the front end not on Colab)."""
    wanted = {LESSONS} if on_colab() else {LESSONS, JUPYTERLAB}
    return {name for name, _, _, where in PACKAGES if where in wanted}


def print_report() -> list[str]:
    """Print the package table and return the names of packages the lessons miss here."""
    rows = package_report()
    needed = needed_here()
    for name, version, purpose in rows:
        if version == "MISSING" and name not in needed:
            version = "-"
        print(f"{name:<20} {version:<12} {purpose}")
    missing = [name for name, version, _ in rows if version == "MISSING" and name in needed]
    if missing:
        how = ("run this notebook's first code cell, which installs them"
               if on_colab() else "run `make lab` from the top folder of the repository")
        print("\nMissing: " + ", ".join(missing) + f". To install them, {how}.")
        if "jupyterlab_widgets" in missing:
            print("Without jupyterlab_widgets, sliders show as text such as IntSlider(value=0).")
    else:
        print("\nEverything the lessons need is installed.")
    return missing

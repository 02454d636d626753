"""The environment check of notebook 00: which packages import, and which versions."""
from __future__ import annotations

import importlib
from importlib import metadata

#: (import name, distribution name, what the series uses it for)
PACKAGES = (
    ("numpy", "numpy", "arrays"),
    ("scipy", "scipy", "reference filters and FFT"),
    ("matplotlib", "matplotlib", "figures"),
    ("cv2", "opencv-python-headless", "OpenCV, the reference convolver"),
    ("skimage", "scikit-image", "image utilities"),
    ("ipywidgets", "ipywidgets", "sliders (Python side)"),
    ("jupyterlab_widgets", "jupyterlab_widgets", "sliders (JupyterLab front end)"),
    ("nbval", "nbval", "notebook tests"),
    ("pytest", "pytest", "tests"),
    ("hypothesis", "hypothesis", "property tests"),
    ("helpers", "convolution-notebooks", "this series' helper package"),
)


def package_report() -> list[tuple[str, str, str]]:
    """One row per package: (import name, version or 'MISSING', purpose)."""
    rows = []
    for module_name, distribution, purpose in PACKAGES:
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


def print_report() -> list[str]:
    """Print the package table and return the names of missing packages."""
    rows = package_report()
    for name, version, purpose in rows:
        print(f"{name:<20} {version:<12} {purpose}")
    missing = [name for name, version, _ in rows if version == "MISSING"]
    if missing:
        print("\nMissing: " + ", ".join(missing) + ". Run `make lab` from the top folder to install them.")
        if "jupyterlab_widgets" in missing:
            print("Without jupyterlab_widgets, sliders show as text such as IntSlider(value=0).")
    else:
        print("\nEverything the series needs is installed.")
    return missing

"""Paths the tests read."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_04 = ROOT / "notebooks" / "solutions" / "04_the_full_convolver.ipynb"
